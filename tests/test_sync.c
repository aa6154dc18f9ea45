/* Sync without a network: a hub store and kiosk stores exchange the very
 * JSON the protocol carries (as text, as on the wire), so that what doors
 * agree on after a sync is tested here, and the HTTP layer in the
 * integration tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <time.h>

#include "core/attend.h"
#include "core/checkin.h"
#include "core/code.h"
#include "core/lang.h"
#include "core/guest.h"
#include "core/import.h"
#include "core/merge.h"
#include "core/secret.h"
#include "sync/client_private.h"
#include "sync/hub.h"
#include "core/device.h"
#include "sync/live.h"
#include "sync/repl.h"
#include "testutil.h"

#define T0 1779370000000LL   /* 2026-05-21, during the event */

struct net {
	char *dir;
	struct store *hub;
	struct store *k[3];
};

static struct store *
kiosk_store(struct net *n, const char *name)
{
	struct store_event_init init = { "Test Event", "Europe/Brussels", "TEST26",
	    store_event(n->hub)->uuid };
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/%s", n->dir, name);
	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), 0);
	free(path);
	return s;
}

static int
setup(void **state)
{
	struct net *n = xcalloc(1, sizeof *n);
	n->dir = tu_tmpdir();
	n->hub = tu_store(n->dir, "hub.db");
	n->k[0] = kiosk_store(n, "k1.db");
	n->k[1] = kiosk_store(n, "k2.db");
	n->k[2] = kiosk_store(n, "k3.db");
	*state = n;
	return 0;
}

static int
teardown(void **state)
{
	struct net *n = *state;
	store_close(n->hub);
	for (int i = 0; i < 3; i++)
		store_close(n->k[i]);
	tu_rmdir(n->dir);
	free(n);
	return 0;
}

/* Through text, as on the wire. */
/* A batch's body as the hub reads it. */
static json_t *
batch_json(const struct repl_batch *b)
{
	size_t len;
	char *text = repl_batch_text(b, &len);
	assert_non_null(text);
	assert_int_equal(len, strlen(text));
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(j);
	return j;
}

static json_t *
wire(json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT);
	json_t *back = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(back);
	return back;
}

/* Push everything waiting at k in batches of batch check-ins. Returns the
 * records the hub had not seen. */
static unsigned pushes;   /* batches pushed: odd ones go as objects */

static struct repl_counts
push(struct store *k, struct store *hub, const char *device, int batch)
{
	struct repl_counts total = { 0 }, stored, known;
	char *cause = NULL;
	for (;;) {
		struct repl_batch *b = NULL;
		/* as rows and as objects in turn: kiosks push either way */
		assert_int_equal(repl_collect(k, batch, (pushes++ & 1) == 0, &b, &cause), 0);
		if (b == NULL)
			break;
		json_t *body = batch_json(b);
		bool too_big;
		enum repl_status r = repl_store_push(hub, device, body, &stored, &known, &too_big,
		    &cause);
		if (r != REPL_OK)
			fail_msg("push: %s", cause);
		json_decref(body);
		assert_int_equal(repl_batch_done(k, b, &cause), 0);
		repl_batch_free(b);
		total.guests += stored.guests;
		total.checkins += stored.checkins;
		total.scans += stored.scans;
	}
	return total;
}

/* Push a body given as JSON text from device; fails the test unless the
 * hub takes it. Returns what it stored. */
static struct repl_counts
push_text(struct store *hub, const char *device, const char *text)
{
	struct repl_counts stored, known;
	bool too_big = false;
	char *cause = NULL;
	json_t *body = json_loads(text, 0, NULL);
	assert_non_null(body);
	if (repl_store_push(hub, device, body, &stored, &known, &too_big, &cause) != REPL_OK)
		fail_msg("push: %s", cause);
	json_decref(body);
	return stored;
}

/* Pull pages until the last, their check-ins as rows or (an older kiosk)
 * as objects. */
static struct repl_counts
pull_as(struct store *k, struct store *hub, const char *device, int limit, bool rows)
{
	struct repl_counts total = { 0 }, got;
	char *cause = NULL;
	bool more = true;
	while (more) {
		struct repl_pos pos;
		assert_int_equal(repl_cursors(k, &pos, &cause), 0);
		json_t *page = repl_read_pull(hub, device, pos.guests, pos.checkins, limit, rows,
		    &cause);
		assert_non_null(page);
		json_t *w = wire(page);
		json_decref(page);
		assert_int_equal(repl_apply_pull(k, w, &pos, &got, &more, &cause), 0);
		json_decref(w);
		total.guests += got.guests;
		total.checkins += got.checkins;
		total.conflicts += got.conflicts;
	}
	return total;
}

static struct repl_counts
pull(struct store *k, struct store *hub, const char *device, int limit)
{
	return pull_as(k, hub, device, limit, true);
}

static void
sync_one(struct net *n, int i)
{
	static const char *const dev[] = { "Door 1", "Door 2", "Door 3" };
	push(n->k[i], n->hub, dev[i], 3);
	pull(n->k[i], n->hub, dev[i], 2);
}

static void
sync_all(struct net *n)
{
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3; i++)
			sync_one(n, i);
}

static char *
add_guest(struct store *s, const char *first, const char *last)
{
	struct guest_fields f = { .first_name = first, .last_name = last };
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_add_walkin(s, &f, "hub", &g, &cause), 0);
	char *code = xstrdup(g.code);
	guest_clear(&g);
	return code;
}

static enum checkin_result
scan(struct store *s, const char *code, const char *kiosk, int64_t at,
    struct checkin_outcome *keep)
{
	struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char *cause = NULL;
	assert_int_equal(checkin_scan(s, code, strlen(code), kiosk, &p, at, &o, &cause), 0);
	enum checkin_result r = o.result;
	if (keep != NULL)
		*keep = o;
	else
		checkin_outcome_clear(&o);
	return r;
}

/* The set of check-ins (uuid, at, kiosk, kind) as one string, to compare nodes. */
static char *
checkin_set(struct store *s)
{
	sqlite3_stmt *st;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT uuid, at, kiosk, kind FROM"
	    " checkin ORDER BY uuid", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_addf(&b, "%s %lld %s %s\n", sqlite3_column_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1), sqlite3_column_text(st, 2),
		    sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return buf_take(&b);
}

static char *
guest_set(struct store *s)
{
	sqlite3_stmt *st;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT uuid, code, first_name,"
	    " last_name, cancelled, updated_at, updated_by, cancelled_at FROM guest ORDER BY uuid",
	    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_addf(&b, "%s %s %s %s %d %lld %s %lld\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		    sqlite3_column_text(st, 3), sqlite3_column_int(st, 4),
		    (long long)sqlite3_column_int64(st, 5), sqlite3_column_text(st, 6),
		    (long long)sqlite3_column_int64(st, 7));
	sqlite3_finalize(st);
	return buf_take(&b);
}

static void
assert_all_equal(struct net *n)
{
	char *hc = checkin_set(n->hub), *hg = guest_set(n->hub);
	for (int i = 0; i < 3; i++) {
		char *c = checkin_set(n->k[i]), *g = guest_set(n->k[i]);
		assert_string_equal(c, hc);
		assert_string_equal(g, hg);
		free(c);
		free(g);
	}
	free(hc);
	free(hg);
}

/* --- merge: the pure rules ------------------------------------------------------ */

static void
test_last_writer_wins(void **state)
{
	(void)state;
	assert_true(merge_guest_wins(T0 + 1, "Door 1", T0, "Door 2"));
	assert_false(merge_guest_wins(T0, "Door 2", T0 + 1, "Door 1"));
	/* same millisecond: the name decides, the same way on every node */
	assert_true(merge_guest_wins(T0, "Door 2", T0, "Door 1"));
	assert_false(merge_guest_wins(T0, "Door 1", T0, "Door 2"));
	/* the same write twice changes nothing */
	assert_false(merge_guest_wins(T0, "Door 1", T0, "Door 1"));
	/* a change here is stamped after the copy it changes, and no later
	 * than any node takes */
	assert_int_equal(merge_stamp(T0 + 5, T0), T0 + 5);
	assert_int_equal(merge_stamp(T0, T0 + 3600000), T0 + 3600001);
	assert_int_equal(merge_stamp(T0, T0), T0 + 1);
	assert_int_equal(merge_stamp(T0, MERGE_TIME_MAX), MERGE_TIME_MAX);
	/* a pushed stamp past a year before the end of time is kept below it,
	 * unless it is a change just after the hub's copy: a copy forged at the
	 * end would tie with every later change, for good */
	const int64_t kept = MERGE_PUSH_MAX - MERGE_PUSH_STEP;
	assert_int_equal(merge_pushed_stamp(T0 + 5, T0), T0 + 5);
	assert_int_equal(merge_pushed_stamp(T0 + 5, 0), T0 + 5);
	assert_int_equal(merge_pushed_stamp(MERGE_PUSH_MAX, T0), MERGE_PUSH_MAX);
	assert_int_equal(merge_pushed_stamp(MERGE_PUSH_MAX + 1, T0), kept);
	assert_int_equal(merge_pushed_stamp(MERGE_TIME_MAX, T0), kept);
	assert_int_equal(merge_pushed_stamp(MERGE_TIME_MAX, 0), kept);
	/* a change made after a copy that high (merge_stamp) is taken... */
	assert_int_equal(merge_pushed_stamp(MERGE_PUSH_MAX + 1, MERGE_PUSH_MAX),
	    MERGE_PUSH_MAX + 1);
	assert_int_equal(merge_pushed_stamp(MERGE_TIME_MAX, MERGE_TIME_MAX - 3),
	    MERGE_TIME_MAX);
	/* ...one far past it is not, nor the forged copy pushed again */
	assert_int_equal(merge_pushed_stamp(MERGE_TIME_MAX, MERGE_PUSH_MAX + 1), kept);
	assert_int_equal(merge_pushed_stamp(MERGE_TIME_MAX, kept), kept);
	assert_int_equal(merge_pushed_stamp(MERGE_PUSH_MAX + 1, kept), kept);
	assert_true(kept > T0 + 100LL * 365 * 24 * 3600 * 1000);
	assert_true(merge_stamp(T0, kept) < MERGE_PUSH_MAX);
	/* a cancellation goes by its own stamp; at the same time, cancelled */
	assert_true(merge_cancel_wins(T0 + 1, false, T0, true));
	assert_false(merge_cancel_wins(T0, false, T0 + 1, true));
	assert_true(merge_cancel_wins(T0, true, T0, false));
	assert_false(merge_cancel_wins(T0, false, T0, true));
	assert_false(merge_cancel_wins(T0, true, T0, true));
}

/* A hub restored from an older copy is told by its page's anchor: its
 * guest changes end before the kiosk's position, or its check-in at the
 * kiosk's position is none or another. A hub or a kiosk that keeps no
 * anchor says nothing. */
static void
test_merge_hub_lost(void **state)
{
	(void)state;
	const char *u = "0190aaaa-0000-7000-8000-000000000001";
	const char *v = "0190aaaa-0000-7000-8000-000000000002";
	assert_false(merge_hub_lost(10, 10, u, true, u));       /* the hub we knew */
	assert_false(merge_hub_lost(10, 50, u, true, u));       /* grown since */
	assert_true(merge_hub_lost(11, 10, u, true, u));        /* guests lost */
	assert_true(merge_hub_lost(10, 10, u, true, NULL));     /* no such check-in */
	assert_true(merge_hub_lost(10, 10, u, true, v));        /* another there */
	assert_false(merge_hub_lost(10, -1, u, false, NULL));   /* an older hub */
	assert_true(merge_hub_lost(11, 10, NULL, false, NULL)); /* its guests say */
	assert_false(merge_hub_lost(10, 10, NULL, true, v));    /* none recorded */
	assert_false(merge_hub_lost(10, 10, "", true, NULL));   /* position 0 */
}

/* A hub's database put back from an older copy (kiosk backup) at the same
 * address: each door finds out from its next page and sends it all again,
 * also one whose position the other doors' resending has passed with
 * other check-ins. Before, the check-ins pushed only to the lost hub were
 * never sent again, and the attendance lacked them for good. */
static void
test_hub_restored_from_a_copy_gets_it_all_back(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	char *c[4];
	for (int i = 0; i < 4; i++)
		c[i] = add_guest(n->hub, "Guest", (const char *[]){ "A", "B", "C", "D" }[i]);
	sync_all(n);
	char *copy = xasprintf("%s/copy.db", n->dir);
	char *sql = xasprintf("VACUUM INTO '%s'", copy);
	assert_int_equal(sqlite3_exec(store_db(n->hub), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	/* after the copy: Door 1 admits A, Door 2 B, Door 1 C, each synced */
	assert_int_equal(scan(n->k[0], c[0], "Door 1", T0, NULL), CHECKIN_ADMITTED);
	sync_one(n, 0);
	assert_int_equal(scan(n->k[1], c[1], "Door 2", T0 + 1, NULL), CHECKIN_ADMITTED);
	sync_one(n, 1);
	assert_int_equal(scan(n->k[0], c[2], "Door 1", T0 + 2, NULL), CHECKIN_ADMITTED);
	sync_one(n, 0);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 3);
	/* the hub comes back from the copy */
	store_close(n->hub);
	assert_int_equal(store_open(copy, 0, NULL, &n->hub, &cause), 0);
	/* Door 2 first, with one more: it finds out, and sends it all */
	assert_int_equal(scan(n->k[1], c[3], "Door 2", T0 + 3, NULL), CHECKIN_ADMITTED);
	push(n->k[1], n->hub, "Door 2", 10);
	struct repl_counts got = pull(n->k[1], n->hub, "Door 2", 10);
	(void)got;
	push(n->k[1], n->hub, "Door 2", 10);
	pull(n->k[1], n->hub, "Door 2", 10);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 3);
	/* Door 1's position is now a check-in of Door 2's resending */
	push(n->k[0], n->hub, "Door 1", 10);
	pull(n->k[0], n->hub, "Door 1", 10);
	push(n->k[0], n->hub, "Door 1", 10);
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 4);
	for (int i = 0; i < 3; i++)
		sync_one(n, i);
	assert_all_equal(n);
	/* and then a plain round starts over no more */
	struct repl_pos before, after;
	assert_int_equal(repl_cursors(n->k[0], &before, &cause), 0);
	sync_one(n, 0);
	assert_int_equal(repl_cursors(n->k[0], &after, &cause), 0);
	assert_int_equal(after.starts, before.starts);
	free(copy);
	for (int i = 0; i < 4; i++)
		free(c[i]);
}

/* A forgotten copy (kiosk forget) wins over any other, whatever the
 * stamps; ours forgotten and the other stamped later, ours goes on anew. */
static void
test_merge_forgotten_wins(void **state)
{
	(void)state;
	struct merge_copy plain = { T0, T0, T0, "import", false };
	struct merge_copy later = { T0 + 99, T0 + 99, T0 + 99, "Door 2", false };
	struct merge_copy gone = { T0 + 10, T0 + 10, T0 + 10, "hub", true };
	struct merge_copy gone_too = { T0 + 20, T0 + 20, T0 + 20, "Door 1", true };
	assert_int_equal(merge_forget(&later, 0, &plain, 0), MERGE_FORGET_NONE);
	/* taken over an older copy and over a later one alike */
	assert_int_equal(merge_forget(&gone, T0 + 10, &plain, 0), MERGE_FORGET_TAKE);
	assert_int_equal(merge_forget(&gone, T0 + 10, &later, 0), MERGE_FORGET_TAKE);
	/* ours stands over an older copy, and over a later one, sent on */
	assert_int_equal(merge_forget(&plain, 0, &gone, T0 + 10), MERGE_FORGET_KEEP);
	assert_int_equal(merge_forget(&later, 0, &gone, T0 + 10), MERGE_FORGET_RESEND);
	/* two forgotten copies: the later, so that all nodes end with one */
	assert_int_equal(merge_forget(&gone_too, T0 + 20, &gone, T0 + 10), MERGE_FORGET_TAKE);
	assert_int_equal(merge_forget(&gone, T0 + 10, &gone_too, T0 + 20), MERGE_FORGET_KEEP);
	assert_int_equal(merge_forget(&gone, T0 + 10, &gone, T0 + 10), MERGE_FORGET_KEEP);
}

/* The plan of a guest's merge: the later fields and the later
 * cancellation, each its own; a result that is neither copy whole is news. */
static void
test_merge_plan(void **state)
{
	(void)state;
	struct merge_plan p;
	/* ours: fields of T0, valid since T0 */
	struct merge_copy have = { T0, T0, T0, "import", false };
	/* a door's cancel at T0+20 of fields of T0: taken, as it stands */
	struct merge_copy door = { T0 + 20, T0, T0 + 20, "Door 1", true };
	p = merge_guest_plan(&door, &have);
	assert_false(p.fields);
	assert_true(p.cancel);
	assert_false(p.news);
	/* the same cancel on a hub whose fields were corrected at T0+10: the
	 * hub's fields, the door's cancel, a new copy */
	struct merge_copy hub = { T0 + 10, T0 + 10, T0, "import", false };
	p = merge_guest_plan(&door, &hub);
	assert_false(p.fields);
	assert_true(p.cancel);
	assert_true(p.news);
	/* and the door pulling the hub's corrected copy: its fields, our
	 * cancel, a new copy to send */
	p = merge_guest_plan(&hub, &door);
	assert_true(p.fields);
	assert_false(p.cancel);
	assert_true(p.news);
	/* the new copy (fields of T0+10, cancelled at T0+20, stamped T0+30)
	 * is taken whole by either, news to neither (the hub has its fields) */
	struct merge_copy merged = { T0 + 30, T0 + 10, T0 + 20, "import", true };
	p = merge_guest_plan(&merged, &hub);
	assert_true(!p.fields && p.cancel && !p.news);
	p = merge_guest_plan(&merged, &door);
	assert_true(p.fields && !p.news);
	/* a copy of an older kiosk (fields_at = updated_at) is whole, as before */
	struct merge_copy old = { T0 + 40, T0 + 40, T0 + 40, "Door 9", false };
	p = merge_guest_plan(&old, &merged);
	assert_true(p.fields && p.cancel && !p.news);
	/* the door's own copy sent back by an older hub, which keeps no
	 * fields_at: the same write, not news */
	struct merge_copy echo = door;
	echo.fields_at = echo.updated_at;
	p = merge_guest_plan(&echo, &door);
	assert_false(p.fields || p.cancel || p.news);
	/* an older copy changes nothing, and a same one is not news */
	p = merge_guest_plan(&have, &merged);
	assert_false(p.fields || p.cancel || p.news);
	p = merge_guest_plan(&merged, &merged);
	assert_false(p.fields || p.cancel || p.news);
	/* a later stamp of the same cancellation is taken, quietly */
	struct merge_copy again = { T0 + 5, T0, T0 + 5, "Door 2", false };
	p = merge_guest_plan(&again, &door);
	assert_false(p.fields);
	assert_false(p.cancel); /* door's cancel at T0+20 is later */
	p = merge_guest_plan(&door, &again);
	assert_true(p.cancel);
	assert_false(p.news);
}

static void
test_clock_offset(void **state)
{
	(void)state;
	struct merge_clock c = { 0 };
	/* this computer is an hour slow; a 40 ms round trip */
	merge_clock_sample(&c, T0, T0 + 40, T0 + 3600000 + 20);
	assert_true(c.valid);
	assert_int_equal(c.offset, 3600000);
	/* a slower sample does not replace it; a faster one does */
	merge_clock_sample(&c, T0, T0 + 400, T0 + 3600000 + 390);
	assert_int_equal(c.offset, 3600000);
	merge_clock_sample(&c, T0 + 1000, T0 + 1010, T0 + 3601000 + 2);
	assert_int_equal(c.offset, 3599997);
	assert_int_equal(c.rtt, 10);
	/* a clock that stepped back during the request teaches nothing */
	struct merge_clock d = { 0 };
	merge_clock_sample(&d, T0, T0 - 5, T0);
	assert_false(d.valid);
	/* nor does a hub whose clock restarted at 1970 */
	merge_clock_sample(&d, T0, T0 + 10, 86400000);
	assert_false(d.valid);
	/* Stored only when it is news: the first measure, or a move of more
	 * than the slack; a few ms of jitter per round writes nothing. */
	assert_false(merge_clock_news(&d, false, 0));
	assert_true(merge_clock_news(&c, false, 0));
	assert_false(merge_clock_news(&c, true, 3599997 + 3));
	assert_false(merge_clock_news(&c, true, 3599997 - MERGE_CLOCK_SLACK_MS));
	assert_true(merge_clock_news(&c, true, 3599997 - MERGE_CLOCK_SLACK_MS - 1));
	assert_true(merge_clock_news(&c, true, 3599997 + 3600000));
}

/* A hub laptop whose clock battery died boots at the firmware's default,
 * often 2000-01-01 00:00 (UTC): just past MERGE_TIME_MIN. Its "now" is as
 * lost as 1970's, but every door takes it: they then record their
 * check-ins in the year 2000, 26 years before those already held, and a
 * door whose own clock is right is told to "fix the time". QA (clocks). */
static void
test_clock_of_a_hub_booted_at_2000_is_no_sample(void **state)
{
	(void)state;
	struct merge_clock d = { 0 };
	merge_clock_sample(&d, T0, T0 + 10, MERGE_TIME_MIN + 5 * 60 * 1000);
	assert_false(d.valid);
}

/* A hub on the same network answers within the millisecond: that sample
 * is the best there is, not none (a door that only ever had such would
 * never take the hub's clock). A hub whose clock is past 2200, lost the
 * other way, teaches nothing either: the doors' records would go there. */
static void
test_clock_samples_at_the_edges(void **state)
{
	(void)state;
	struct merge_clock c = { 0 };
	merge_clock_sample(&c, T0, T0, T0 + 3600000);
	assert_true(c.valid);
	assert_int_equal(c.offset, 3600000);
	assert_int_equal(c.rtt, 0);
	struct merge_clock d = { 0 };
	merge_clock_sample(&d, T0, T0 + 10, MERGE_TIME_MAX + 1);
	assert_false(d.valid);
	merge_clock_sample(&d, T0, T0 + 10, 16725225600000LL); /* 2500 */
	assert_false(d.valid);
	merge_clock_sample(&d, T0, T0 + 10, MERGE_TIME_MAX);
	assert_true(d.valid);
}

/* Doors back from an outage push at once; one whose pull ends while another
 * is still pushing waits for it (a bounded while) instead of ending its
 * round without those check-ins. The hub counts the others that said, in a
 * request within 2 s, that they have records waiting. */
static void
test_pull_waits_for_doors_still_pushing(void **state)
{
	(void)state;
	assert_true(merge_pull_again(true, 0, 0));
	assert_false(merge_pull_again(false, 0, 0));
	assert_true(merge_pull_again(false, 1, 0));
	assert_true(merge_pull_again(false, 2, MERGE_PULL_WAIT_MS - 1));
	assert_false(merge_pull_again(false, 2, MERGE_PULL_WAIT_MS));
	assert_true(merge_pull_again(true, 2, MERGE_PULL_WAIT_MS + 5000)); /* more is more */

	/* The pauses grow, so waiting doors do not crowd the hub. */
	assert_int_equal(merge_pull_pause_ms(0), 50);
	assert_int_equal(merge_pull_pause_ms(1), 100);
	assert_int_equal(merge_pull_pause_ms(3), 400);
	assert_int_equal(merge_pull_pause_ms(40), 400);

	/* The hub: a push holding fewer records than the door said it had
	 * waiting means more are coming; an old door that says nothing (-1),
	 * or its last push, does not. */
	assert_true(merge_more_to_push(10000, 2000));
	assert_false(merge_more_to_push(2000, 2000));
	assert_false(merge_more_to_push(-1, 2000));
	struct live *lv = live_new(false, NULL, NULL, NULL);
	live_push_state(lv, "Door 1", true, 2000);  /* stored, more to come */
	live_push_state(lv, "Door 2", false, 2000); /* its last push */
	assert_int_equal(live_pushing(lv, "Door 2"), 1);
	assert_int_equal(live_pushing(lv, "Door 1"), 0); /* not itself */
	assert_int_equal(live_pushing(lv, NULL), 1);
	/* A pull from it says it is done. */
	live_push_state(lv, "Door 1", false, 0);
	assert_int_equal(live_pushing(lv, "Door 2"), 0);
	/* A door that went quiet (or whose pushes fail) is not waited for. */
	live_push_state(lv, "Door 3", true, 1);
	struct timespec ms5 = { 0, 5 * 1000000 };
	nanosleep(&ms5, NULL);
	assert_int_equal(live_pushing(lv, "Door 2"), 0);
	live_free(lv);
}

/* The live page's "Waiting to sync": a door cut off for minutes showed the
 * 0 of its last contact, read as nothing waiting while it held hundreds. */
static void
test_live_waiting_of_a_quiet_door(void **state)
{
	(void)state;
	static const struct {
		int64_t waiting, since_ms;
		const char *cell;
	} cases[] = {
		{ 0, 2000, "0" },
		{ 12, 2000, "<span class=warn>12</span>" },
		{ 0, LIVE_QUIET_MS + 1, "<span class=warn>0 then; not known since</span>" },
		{ 7, 81000, "<span class=warn>7 then; not known since</span>" },
		{ -1, 2000, "<span class=muted>not known until its next sync</span>" },
		{ -1, 81000, "<span class=muted>not known until its next sync</span>" },
		{ -1, -1, "<span class=muted>-</span>" },
		{ 3, -1, "<span class=muted>-</span>" },
	};
	struct live *lv = live_new(false, NULL, NULL, NULL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b;
		buf_init(&b, 0);
		live_waiting_cell(lv, LANG_EN, &b, cases[i].waiting, cases[i].since_ms);
		assert_string_equal(buf_cstr(&b), cases[i].cell);
		buf_free(&b);
	}
	live_free(lv);
}

/* ... in the organiser's language, the figure grouped as it groups them,
 * from the door's catalogues (build/locale); without them, English. */
static void
test_live_waiting_in_dutch_and_french(void **state)
{
	(void)state;
	struct live *lv = live_new(false, NULL, "build/locale", "nl");
	struct live *bare = live_new(false, NULL, NULL, "nl");
	struct buf b;
	buf_init(&b, 0);
	live_waiting_cell(lv, LANG_NL, &b, 7, 81000);
	assert_string_equal(buf_cstr(&b), "<span class=warn>7 toen; sindsdien onbekend</span>");
	buf_reset(&b);
	live_waiting_cell(lv, LANG_FR, &b, 12345, 81000);
	assert_string_equal(buf_cstr(&b),
	    "<span class=warn>12\u202f345 alors\u00a0; inconnu depuis</span>");
	buf_reset(&b);
	live_waiting_cell(lv, LANG_DE, &b, -1, 2000);
	assert_string_equal(buf_cstr(&b),
	    "<span class=muted>unbekannt bis zur nächsten Synchronisierung</span>");
	buf_reset(&b);
	live_waiting_cell(bare, LANG_NL, &b, 1234, 2000);
	assert_string_equal(buf_cstr(&b), "<span class=warn>1.234</span>");
	buf_free(&b);
	live_free(lv);
	live_free(bare);
}

static int
kiosk_since(const struct live_kiosk *k, void *arg)
{
	int64_t *since = arg;
	since[strcmp(k->name, "Door 2") == 0 ? 0 : 1] = k->since_ms;
	return 0;
}

/* How long since a door's last sync, on the hub's monotonic clock: a wall
 * clock set back ten minutes since (NTP) put a door gone quiet before it
 * in the future, shown "0 s ago" at the hub's door and "-" on the page. A
 * door heard before the hub started counts from its stored time. */
static void
test_live_kiosks_since_on_a_clock_set_back(void **state)
{
	(void)state;
	char *dir = tu_tmpdir(), *cause = NULL, *tok = NULL;
	struct store *s = tu_store(dir, "hub.db");
	assert_int_equal(device_add(s, "Door 2", &tok, &cause), 0);
	free(tok);
	assert_int_equal(device_add(s, "Door 3", &tok, &cause), 0);
	free(tok);
	assert_int_equal(sqlite3_exec(store_db(s), "UPDATE device SET last_seen_at ="
	    " (strftime('%s', 'now') + 600) * 1000 WHERE name = 'Door 3'", NULL, NULL, NULL),
	    SQLITE_OK);
	struct live *lv = live_new(false, NULL, NULL, NULL);
	live_seen(lv, "Door 2", store_now(s) + 600000, 3);
	struct timespec ms20 = { 0, 20 * 1000000 };
	nanosleep(&ms20, NULL);
	int64_t since[2] = { -2, -2 };
	assert_int_equal(live_kiosks(lv, s, kiosk_since, since, &cause), 2);
	assert_true(since[0] >= 20 && since[0] < 5000);
	assert_int_equal(since[1], 0);   /* stored in the future: not negative */
	live_free(lv);
	store_close(s);
	tu_rmdir(dir);
}

/* GET url (with its query's part and lang) from the live page as the
 * organiser logged in with cookie; the body (the caller frees). */
static char *
live_get(struct live *lv, struct store *s, const char *cookie, const char *part,
    const char *lang)
{
	struct live_request rq = { "GET", "/", cookie, part, NULL, "127.0.0.1", false, lang, NULL };
	struct live_answer a;
	live_serve(lv, s, &rq, &a);
	assert_int_equal(a.status, 200);
	char *body = xstrndup(a.body, a.len);
	live_answer_clear(&a);
	return body;
}

/* Organisers with the live page open in four languages (two phones in
 * Dutch and French, a laptop in German, the sponsor's in English) see the
 * same figures, read once for all of them: a check-in stored between two
 * languages' refreshes is in neither until the next read. Each language
 * read the event anew before, so the figures differed by language and the
 * hub did the reading four times. */
static void
test_live_languages_share_one_read(void **state)
{
	(void)state;
	char *dir = tu_tmpdir(), *cause = NULL, *hash = NULL;
	struct store *s = tu_store(dir, "hub.db");
	assert_int_equal(tu_import_csv(s, "First Name,Last Name,Email\nZo\xc3\xab,\xc3\x87" "elik,"
	    "zoe@example.org\nAnn,Aerts,ann@example.org\n"), 0);
	assert_int_equal(secret_hash("organiser-pw", &hash, &cause), 0);
	assert_int_equal(store_setting_set(s, STORE_SETTING_HUB_PASSWORD, hash, &cause), 0);
	struct live *lv = live_new(false, NULL, "build/locale", "en");
	struct live_request login = { "POST", "/login", NULL, NULL, "password=organiser-pw",
	    "127.0.0.1", false, NULL, NULL };
	struct live_answer a;
	live_serve(lv, s, &login, &a);
	assert_non_null(a.set_cookie);
	char *cookie = xstrndup(a.set_cookie, strcspn(a.set_cookie, ";"));
	live_answer_clear(&a);

	char *nl = live_get(lv, s, cookie, "live", "nl");
	assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO checkin(uuid, guest_uuid, kind, at,"
	    " kiosk) SELECT 'c-1', uuid, 'in', strftime('%s', 'now') * 1000, 'Door 2' FROM guest"
	    " LIMIT 1", NULL, NULL, NULL), SQLITE_OK);
	char *fr = live_get(lv, s, cookie, "live", "fr");
	char *de = live_get(lv, s, cookie, "live", "de");
	char *en = live_get(lv, s, cookie, "live", "en");
	/* each in its own words ... */
	assert_non_null(strstr(nl, "van 2 ingeschreven gasten ingecheckt"));
	assert_non_null(strstr(fr, "entr\xc3\xa9" "e sur 2 inscrits"));   /* 0: singular in French */
	assert_non_null(strstr(de, "von 2 Angemeldeten eingecheckt"));
	assert_non_null(strstr(en, "of 2 registered checked in"));
	/* ... with the same figures: nobody in yet, in all four */
	const char *const parts[] = { nl, fr, de, en };
	for (size_t i = 0; i < 4; i++)
		if (strstr(parts[i], "<div class=num>0</div>") == NULL)
			fail_msg("%s: not the figures the others show:\n%.300s", lang_code((int)i ==
			    3 ? LANG_EN : (int)i + 1), parts[i]);
	/* and its second asking is the same page, not written again */
	char *nl2 = live_get(lv, s, cookie, "live", "nl");
	assert_string_equal(nl, nl2);
	free(nl);
	free(nl2);
	free(fr);
	free(de);
	free(en);
	free(cookie);
	free(hash);
	live_free(lv);
	store_close(s);
	tu_rmdir(dir);
}

/* A live page on s, fresh (the figures read anew), and the cookie of the
 * organiser logged in on it (the caller frees both). */
static struct live *
live_logged_in(struct store *s, char **cookie)
{
	struct live *lv = live_new(false, NULL, "build/locale", "en");
	struct live_request login = { "POST", "/login", NULL, NULL, "password=organiser-pw",
	    "127.0.0.1", false, NULL, NULL };
	struct live_answer a;
	live_serve(lv, s, &login, &a);
	assert_non_null(a.set_cookie);
	*cookie = xstrndup(a.set_cookie, strcspn(a.set_cookie, ";"));
	live_answer_clear(&a);
	return lv;
}

/* The live page's figures read as sentences in French whatever the count:
 * at the doors' opening one guest is in, and the line under the big "1"
 * said "sur 2 inscrits sont entrés", the plural, as did "1 venus, annulés
 * depuis". The count picks the form (trn), in every language: "1 entrée
 * sur 2 inscrits", "2 entrées", "1 venu". */
static void
test_live_one_guest_in_reads_singular(void **state)
{
	(void)state;
	char *dir = tu_tmpdir(), *cause = NULL, *hash = NULL, *cookie = NULL;
	struct store *s = tu_store(dir, "hub.db");
	assert_int_equal(tu_import_csv(s, "First Name,Last Name,Email\nAnn,Aerts,ann@example.org\n"
	    "Bart,Peeters,bart@example.org\n"), 0);
	assert_int_equal(secret_hash("organiser-pw", &hash, &cause), 0);
	assert_int_equal(store_setting_set(s, STORE_SETTING_HUB_PASSWORD, hash, &cause), 0);
	const char *in = "INSERT INTO checkin(uuid, guest_uuid, kind, at, kiosk) SELECT 'c-' ||"
	    " rowid, uuid, 'in', strftime('%s', 'now') * 1000, 'Door 2' FROM guest WHERE uuid NOT"
	    " IN (SELECT guest_uuid FROM checkin) LIMIT 1";
	assert_int_equal(sqlite3_exec(store_db(s), in, NULL, NULL, NULL), SQLITE_OK);
	struct live *lv = live_logged_in(s, &cookie);
	char *fr = live_get(lv, s, cookie, "live", "fr");
	assert_non_null(strstr(fr, "<div class=num>1</div>"));
	if (strstr(fr, "<div>entr\xc3\xa9" "e sur 2 inscrits (50\xc2\xa0%)") == NULL)
		fail_msg("one guest in, in French:\n%.400s", fr);
	free(fr);
	free(cookie);
	live_free(lv);

	/* both in: the plural */
	assert_int_equal(sqlite3_exec(store_db(s), in, NULL, NULL, NULL), SQLITE_OK);
	lv = live_logged_in(s, &cookie);
	fr = live_get(lv, s, cookie, "live", "fr");
	if (strstr(fr, "<div>entr\xc3\xa9" "es sur 2 inscrits (100\xc2\xa0%)") == NULL)
		fail_msg("two guests in, in French:\n%.400s", fr);
	free(fr);
	free(cookie);
	live_free(lv);

	/* one came and her ticket was cancelled since: "1 venu" */
	assert_int_equal(sqlite3_exec(store_db(s), "UPDATE guest SET cancelled = 1 WHERE uuid ="
	    " (SELECT guest_uuid FROM checkin ORDER BY uuid LIMIT 1)", NULL, NULL, NULL),
	    SQLITE_OK);
	lv = live_logged_in(s, &cookie);
	fr = live_get(lv, s, cookie, "live", "fr");
	char *en = live_get(lv, s, cookie, "live", "en");
	if (strstr(fr, "1 venu, annul\xc3\xa9 depuis") == NULL)
		fail_msg("one came, cancelled since, in French:\n%.900s", fr);
	assert_non_null(strstr(en, "1 came, cancelled since"));
	free(fr);
	free(en);
	free(cookie);
	free(hash);
	live_free(lv);
	store_close(s);
	tu_rmdir(dir);
}

static void
test_retry_backoff(void **state)
{
	(void)state;
	assert_int_equal(merge_retry_ms(0, 5000), 5000);
	assert_int_equal(merge_retry_ms(1, 500), 1000);
	assert_int_equal(merge_retry_ms(3, 500), 4000);
	assert_int_equal(merge_retry_ms(3, 5000), 5000);   /* never below the interval */
	assert_int_equal(merge_retry_ms(4, 1000), 8000);
	/* at most 15 s: a quiet door is back on the hub soon after it is */
	assert_int_equal(merge_retry_ms(5, 1000), 15000);
	assert_int_equal(merge_retry_ms(100, 1000), 15000);
	assert_int_equal(merge_retry_ms(100, 30000), 30000);
	/* a scan tries the hub now when the last try is 5 s old (or the
	 * interval, if longer); always when the last round went through */
	assert_true(merge_kick_retries(0, 0, 5000));
	assert_false(merge_kick_retries(6, 4999, 1000));
	assert_true(merge_kick_retries(6, 5000, 1000));
	assert_false(merge_kick_retries(2, 9000, 10000));
	assert_true(merge_kick_retries(2, 10000, 10000));
}

/* A round during which the computer slept is given up and run anew: the
 * connection it waits on may have been closed by the hub meanwhile, with
 * no word reaching the sleeping laptop. A few ms between reading the boot
 * and monotonic clocks is no sleep. */
static void
test_round_slept(void **state)
{
	(void)state;
	assert_false(merge_round_slept(0, 0));
	assert_false(merge_round_slept(1234, 1234 + 3));          /* clocks read apart */
	assert_false(merge_round_slept(1234, 1234 + MERGE_SLEPT_MS));
	assert_true(merge_round_slept(1234, 1234 + MERGE_SLEPT_MS + 1));
	assert_true(merge_round_slept(0, 600000));                /* the lid shut 10 min */
	/* what slept before the round began is not this round's */
	assert_false(merge_round_slept(600000, 600000 + 10));
	/* the clocks' difference, as util_slept_ms reads it, grows only */
	int64_t a = util_slept_ms(), b = util_slept_ms();
	assert_true(a >= 0 && b - a >= -1);
}

/* A hub that keeps the connection open and never answers holds a round up
 * to the client's timeout: past MERGE_ROUND_STUCK_MS of it the door says
 * offline, whatever the last round did (it said online for the minute). */
static void
test_link_of_a_round_that_hangs(void **state)
{
	(void)state;
	assert_int_equal(merge_link(false, true, 0), MERGE_LINK_ONLINE);
	assert_int_equal(merge_link(false, true, 2000), MERGE_LINK_ONLINE);   /* a slow round */
	assert_int_equal(merge_link(false, true, MERGE_ROUND_STUCK_MS), MERGE_LINK_ONLINE);
	assert_int_equal(merge_link(false, true, MERGE_ROUND_STUCK_MS + 1), MERGE_LINK_OFFLINE);
	assert_int_equal(merge_link(false, false, 0), MERGE_LINK_OFFLINE);
	assert_int_equal(merge_link(true, false, 0), MERGE_LINK_REFUSED);
	assert_int_equal(merge_link(true, false, 60000), MERGE_LINK_OFFLINE);
}

/* Why a hub was not reached, from what curl says of the request: each
 * reason the advice of kiosk sync and doctor, and the door's admin
 * screen, speak of; none for what curl's words alone must say. */
static void
test_why_the_hub_is_not_reached(void **state)
{
	(void)state;
	/* a port nothing listens on: a hub not started, or the port wrong */
	assert_int_equal(client_unreached(CURLE_COULDNT_CONNECT, ECONNREFUSED, false,
	    "Failed to connect to 127.0.0.1 port 1", false, false, false), MERGE_UNREACHED_PORT);
	/* no answer at all: a Wi-Fi keeping its devices apart drops the packets */
	assert_int_equal(client_unreached(CURLE_OPERATION_TIMEDOUT, 0, false,
	    "Connection timed out after 3001 milliseconds", false, false, false), MERGE_UNREACHED_SILENT);
	assert_int_equal(client_unreached(CURLE_COULDNT_CONNECT, EHOSTUNREACH, false, "", false,
	    false, false), MERGE_UNREACHED_SILENT);
	assert_int_equal(client_unreached(CURLE_COULDNT_CONNECT, ENETUNREACH, false, "", false,
	    false, false), MERGE_UNREACHED_SILENT);
	/* connected, then no answer: a hub that hangs, not the network */
	assert_int_equal(client_unreached(CURLE_OPERATION_TIMEDOUT, 0, true,
	    "Operation timed out after 60000 milliseconds with 0 bytes received", false, false,
	    false), MERGE_UNREACHED_HUNG);
	/* cut mid-answer: the way there drops */
	assert_int_equal(client_unreached(CURLE_RECV_ERROR, ECONNRESET, true,
	    "Recv failure: Connection reset by peer", false, false, false), MERGE_UNREACHED_CUT);
	assert_int_equal(client_unreached(CURLE_PARTIAL_FILE, 0, true,
	    "transfer closed with 1200 bytes remaining to read", false, false, false),
	    MERGE_UNREACHED_CUT);
	/* an empty reply to http:// is what a hub that speaks https only gives
	 * (merge_unreached_anew keeps one from a hub stopping off the door);
	 * to https:// it is only a hub stopping */
	assert_int_equal(client_unreached(CURLE_GOT_NOTHING, 0, true, "Empty reply from server",
	    false, false, false), MERGE_UNREACHED_WANTS_HTTPS);
	assert_int_equal(client_unreached(CURLE_GOT_NOTHING, 0, true, "Empty reply from server",
	    false, false, true), MERGE_UNREACHED_NONE);
	/* https:// to a hub that speaks plain http: the handshake fails, in
	 * OpenSSL's words or GnuTLS's; a reset in it is not that */
	assert_int_equal(client_unreached(CURLE_SSL_CONNECT_ERROR, 0, true,
	    "error:0A00010B:SSL routines::wrong version number", false, false, true),
	    MERGE_UNREACHED_WANTS_HTTP);
	assert_int_equal(client_unreached(CURLE_SSL_CONNECT_ERROR, 0, true,
	    "gnutls_handshake() failed: An unexpected TLS packet was received.", false, false,
	    true), MERGE_UNREACHED_WANTS_HTTP);
	assert_int_equal(client_unreached(CURLE_SSL_CONNECT_ERROR, ECONNRESET, true,
	    "OpenSSL SSL_connect: Connection reset by peer", false, false, true),
	    MERGE_UNREACHED_NONE);
	/* closed in the handshake without a reset: a hub stopping, one at its
	 * connection limit, a Wi-Fi's portal that takes port 443 and lets it
	 * go, none a hub without a certificate (join again with http:// would
	 * be wrong advice, and doctor's FAIL a false one) */
	assert_int_equal(client_unreached(CURLE_SSL_CONNECT_ERROR, 0, true,
	    "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 10.0.0.5:8443 ", false,
	    false, true), MERGE_UNREACHED_NONE);
	assert_int_equal(client_unreached(CURLE_SSL_CONNECT_ERROR, 0, true,
	    "error:0A000126:SSL routines::unexpected eof while reading", false, false, true),
	    MERGE_UNREACHED_NONE);
	assert_int_equal(client_unreached(CURLE_SSL_CONNECT_ERROR, 0, true,
	    "gnutls_handshake() failed: The TLS connection was non-properly terminated.", false,
	    false, true), MERGE_UNREACHED_NONE);
	/* OpenSSL's other words for a plain http answer */
	assert_int_equal(client_unreached(CURLE_SSL_CONNECT_ERROR, 0, true,
	    "error:0A0000C6:SSL routines::packet length too long", false, false, true),
	    MERGE_UNREACHED_WANTS_HTTP);
	/* through a proxy the environment names, the proxy is what to look at */
	assert_int_equal(client_unreached(CURLE_GOT_NOTHING, 0, true, "Empty reply from server",
	    true, false, false), MERGE_UNREACHED_PROXY);
	/* a name not found: mDNS for a .local one, else the network's DNS */
	assert_int_equal(client_unreached(CURLE_COULDNT_RESOLVE_HOST, 0, false,
	    "Could not resolve host: hub.local", false, true, false), MERGE_UNREACHED_MDNS);
	assert_int_equal(client_unreached(CURLE_COULDNT_RESOLVE_HOST, 0, false,
	    "Could not resolve host: hub.venue.example", false, false, false),
	    MERGE_UNREACHED_DNS);
	assert_int_equal(client_unreached(CURLE_OPERATION_TIMEDOUT, 0, false,
	    "Resolving timed out after 3000 milliseconds", false, false, false),
	    MERGE_UNREACHED_DNS);
	/* through a proxy, what is not reached is the proxy, whatever happened */
	assert_int_equal(client_unreached(CURLE_COULDNT_CONNECT, ECONNREFUSED, false,
	    "Failed to connect to proxy.corp port 3128", true, false, false),
	    MERGE_UNREACHED_PROXY);
	assert_int_equal(client_unreached(CURLE_COULDNT_RESOLVE_PROXY, 0, false,
	    "Could not resolve proxy: proxy.corp", true, false, false), MERGE_UNREACHED_PROXY);
	/* other failures: curl's words are all there is */
	assert_int_equal(client_unreached(CURLE_COULDNT_CONNECT, EACCES, false, "", false, false,
	    false), MERGE_UNREACHED_NONE);
	assert_int_equal(client_unreached(CURLE_SEND_ERROR, 0, true, "", false, false, false),
	    MERGE_UNREACHED_NONE);
}

/* A hub that answers it failed (HTTP 5xx, its own words in "error"): a
 * full disk is said as such, anything else is the hub's own trouble; a
 * refusal, or a 5xx without the hub's words, is not, but for a gateway's
 * 502 to 504: a web server in front of the hub that it does not answer. */
static void
test_why_the_hub_failed(void **state)
{
	(void)state;
	assert_int_equal(client_hub_failed(500, "/srv/kiosk/event.db: cannot store the push: "
	    "database or disk is full (the disk is full: free some space)", false),
	    MERGE_UNREACHED_HUB_FULL);
	assert_int_equal(client_hub_failed(500, "/srv/kiosk/event.db: cannot read the changes: "
	    "the database is damaged (broken pages in the file): move it aside", false),
	    MERGE_UNREACHED_HUB_FAILED);
	assert_int_equal(client_hub_failed(503, "the hub could not write its answer", false),
	    MERGE_UNREACHED_HUB_FAILED);
	assert_int_equal(client_hub_failed(500, NULL, false), MERGE_UNREACHED_NONE);
	/* a gateway's status without the hub's words: a web server in front of
	 * the hub with no hub behind it (through the environment's proxy, that
	 * proxy); the hub's own 503 is the hub's */
	assert_int_equal(client_hub_failed(502, NULL, false), MERGE_UNREACHED_BEHIND);
	assert_int_equal(client_hub_failed(503, NULL, false), MERGE_UNREACHED_BEHIND);
	assert_int_equal(client_hub_failed(504, NULL, false), MERGE_UNREACHED_BEHIND);
	assert_int_equal(client_hub_failed(502, NULL, true), MERGE_UNREACHED_PROXY);
	assert_int_equal(client_hub_failed(501, NULL, false), MERGE_UNREACHED_NONE);
	/* a portal's 511, a web server that is not the hub's: not that */
	assert_int_equal(client_hub_failed(511, NULL, false), MERGE_UNREACHED_NONE);
	assert_int_equal(client_hub_failed(404, NULL, false), MERGE_UNREACHED_NONE);
	assert_int_equal(client_hub_failed(401, "unknown or revoked token", false),
	    MERGE_UNREACHED_NONE);
	assert_int_equal(client_hub_failed(200, "", false), MERGE_UNREACHED_NONE);
}

/* The door's admin screen says why the hub is not reached only once the
 * door has been offline for longer than a blip (a hub restarting, a Wi-Fi
 * reconnecting): the line does not come and go with every round. */
static void
test_door_says_why_after_a_blip(void **state)
{
	(void)state;
	enum merge_unreached port = MERGE_UNREACHED_PORT;
	assert_false(merge_unreached_said(port, MERGE_LINK_OFFLINE, 0));
	assert_false(merge_unreached_said(port, MERGE_LINK_OFFLINE, 5000));
	assert_false(merge_unreached_said(port, MERGE_LINK_OFFLINE, MERGE_UNREACHED_SAY_MS));
	assert_true(merge_unreached_said(port, MERGE_LINK_OFFLINE, MERGE_UNREACHED_SAY_MS + 1));
	/* each reason, the hub's computer's own ones too */
	for (enum merge_unreached why = MERGE_UNREACHED_SILENT;
	    why <= MERGE_UNREACHED_BEHIND; why++) {
		assert_false(merge_unreached_said(why, MERGE_LINK_OFFLINE, 5000));
		assert_true(merge_unreached_said(why, MERGE_LINK_OFFLINE, 600000));
	}
	/* no reason known: nothing said, the status line's "offline" is all */
	assert_false(merge_unreached_said(MERGE_UNREACHED_NONE, MERGE_LINK_OFFLINE, 600000));
	/* online, or refused (the refusal has its own line): nothing */
	assert_false(merge_unreached_said(port, MERGE_LINK_ONLINE, 600000));
	assert_false(merge_unreached_said(port, MERGE_LINK_REFUSED, 600000));
	/* a blip is longer than a round that hangs before the door says offline */
	assert_true(MERGE_UNREACHED_SAY_MS > MERGE_ROUND_STUCK_MS);
}

/* An empty reply is also what a hub gives as it stops: after a while of
 * another reason, the door counts the stretch anew from the first empty
 * reply, so that it says the hub wants https only after a while of
 * nothing else; the other reasons go on counting. */
static void
test_door_says_https_after_empty_replies_alone(void **state)
{
	(void)state;
	enum merge_unreached https = MERGE_UNREACHED_WANTS_HTTPS;
	assert_true(merge_unreached_anew(MERGE_UNREACHED_HUNG, https));
	assert_true(merge_unreached_anew(MERGE_UNREACHED_PORT, https));
	assert_true(merge_unreached_anew(MERGE_UNREACHED_NONE, https));
	assert_false(merge_unreached_anew(https, https));
	for (enum merge_unreached why = MERGE_UNREACHED_NONE; why <= MERGE_UNREACHED_BEHIND;
	    why++) {
		if (why == https)
			continue;
		assert_false(merge_unreached_anew(https, why));
		assert_false(merge_unreached_anew(MERGE_UNREACHED_HUNG, why));
	}
}

/* The addresses an organiser gives the other doors: 0.0.0.0 is none of
 * them, loopback and link-local ones no other computer reaches. */
static void
test_join_urls_are_addresses_others_reach(void **state)
{
	(void)state;
	const uint32_t addrs[] = { 0x7F000001u /* 127.0.0.1 */, 0xC0A8010Au /* 192.168.1.10 */,
		0xA9FE0102u /* 169.254.1.2 */, 0x0A000005u /* 10.0.0.5 */ };
	char *u = hub_join_urls_from("0.0.0.0:8080", 8080, false, addrs, 4);
	assert_string_equal(u, "http://192.168.1.10:8080\nhttp://10.0.0.5:8080\n");
	free(u);
	u = hub_join_urls_from("", 8443, true, addrs, 4);     /* "": 0.0.0.0:8080 */
	assert_string_equal(u, "https://192.168.1.10:8443\nhttps://10.0.0.5:8443\n");
	free(u);
	u = hub_join_urls_from("192.168.1.10:8080", 8080, false, addrs, 4);
	assert_string_equal(u, "http://192.168.1.10:8080\n");
	free(u);
	u = hub_join_urls_from("127.0.0.1:8080", 8080, false, addrs, 4);
	assert_string_equal(u, "");                            /* this computer only */
	free(u);
	u = hub_join_urls_from("0.0.0.0:8080", 8080, false, addrs, 1);
	assert_string_equal(u, "");                            /* no network yet */
	free(u);
	assert_null(hub_join_urls_from("nowhere:80", 80, false, addrs, 4));
}

/* --- repl: doors that agree ------------------------------------------------------ */

static void
test_join_pulls_the_guest_list_in_pages(void **state)
{
	struct net *n = *state;
	char *codes[5];
	for (int i = 0; i < 5; i++) {
		char first[32];
		snprintf(first, sizeof first, "Guest%d", i);
		codes[i] = add_guest(n->hub, first, "Peeters");
	}
	/* the language a guest is written to travels with them */
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE guest SET language = 'nl'"
	    " WHERE first_name = 'Guest2'", NULL, NULL, NULL), SQLITE_OK);
	struct repl_counts got = pull(n->k[0], n->hub, "Door 1", 2);
	assert_int_equal(got.guests, 5);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE language = 'nl'"
	    " AND first_name = 'Guest2'"), 1);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest"), 5);
	/* pulled guests are found by name and by code, and are not "waiting" */
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest_word WHERE word = 'guest3'"),
	    1);
	assert_int_equal(scan(n->k[0], codes[3], "Door 1", T0, NULL), CHECKIN_ADMITTED);
	int64_t waiting;
	char *cause = NULL;
	assert_int_equal(repl_waiting(n->k[0], &waiting, &cause), 0);
	assert_int_equal(waiting, 1);   /* the check-in (its scan travels inside it) */
	/* a second pull brings nothing */
	got = pull(n->k[0], n->hub, "Door 1", 2);
	assert_int_equal(got.guests, 0);
	for (int i = 0; i < 5; i++)
		free(codes[i]);
}

/* A batch of check-ins the hub took is all marked sent: the door says
 * nothing waits, and its next round sends none of them again. */
static void
test_batch_taken_waits_no_more(void **state)
{
	struct net *n = *state;
	char *codes[3];
	for (int i = 0; i < 3; i++) {
		char last[32];
		snprintf(last, sizeof last, "Batch%d", i);
		codes[i] = add_guest(n->hub, "Guest", last);
	}
	pull(n->k[0], n->hub, "Door 1", 10);
	for (int i = 0; i < 3; i++)
		assert_int_equal(scan(n->k[0], codes[i], "Door 1", T0 + i, NULL), CHECKIN_ADMITTED);
	struct repl_batch *b = NULL;
	char *cause = NULL;
	assert_int_equal(repl_collect(n->k[0], 10, true, &b, &cause), 0);
	assert_non_null(b);
	assert_int_equal(repl_batch_counts(b).checkins, 3);
	json_t *body = batch_json(b);
	struct repl_counts stored, known;
	bool too_big;
	assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known, &too_big,
	    &cause), REPL_OK);
	json_decref(body);
	assert_int_equal(stored.checkins, 3);
	assert_int_equal(repl_batch_done(n->k[0], b, &cause), 0);
	repl_batch_free(b);
	int64_t waiting = -1;
	assert_int_equal(repl_waiting(n->k[0], &waiting, &cause), 0);
	assert_int_equal(waiting, 0);
	b = NULL;
	assert_int_equal(repl_collect(n->k[0], 10, true, &b, &cause), 0);
	assert_null(b);
	for (int i = 0; i < 3; i++)
		free(codes[i]);
}

/* A guest changed at a door while a push of it is on its way (a ticket
 * cancelled during the round): the hub takes the copy sent, and the
 * change waits for the next push, which brings it to the hub. */
static void
test_change_made_during_a_push_waits(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->k[0], "Wout", "Walkin");
	struct repl_batch *b = NULL;
	char *cause = NULL;
	assert_int_equal(repl_collect(n->k[0], 10, true, &b, &cause), 0);
	assert_non_null(b);
	assert_int_equal(repl_batch_counts(b).guests, 1);
	struct guest g;
	assert_int_equal(guest_set_cancelled(n->k[0], code, true, "Door 1", &g, &cause), 0);
	guest_clear(&g);
	json_t *body = batch_json(b);
	struct repl_counts stored, known;
	bool too_big;
	assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known, &too_big,
	    &cause), REPL_OK);
	json_decref(body);
	assert_int_equal(repl_batch_done(n->k[0], b, &cause), 0);
	repl_batch_free(b);
	int64_t waiting = -1;
	assert_int_equal(repl_waiting(n->k[0], &waiting, &cause), 0);
	assert_int_equal(waiting, 1);
	push(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->hub, "SELECT cancelled FROM guest WHERE last_name = 'Walkin'"),
	    1);
	free(code);
}

/* A scan that made no check-in (a second scan: "already checked in")
 * reaches the hub with its guest, as the check-in's own scan does: the
 * hub's audit says whose ticket was refused. */
static void
test_pushed_scan_keeps_its_guest(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Sam", "Scanned");
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0, NULL), CHECKIN_ADMITTED);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0 + 1000, NULL), CHECKIN_ALREADY);
	struct repl_counts got = push(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(got.scans, 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM scan WHERE guest_uuid ="
	    " (SELECT uuid FROM guest WHERE last_name = 'Scanned')"), 2);
	free(code);
}

static void
test_big_page_goes_in_chunks(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	assert_int_equal(store_begin(n->hub, &cause), 0);
	for (int i = 0; i < 777; i++) {
		char first[32], code[32];
		snprintf(first, sizeof first, "G%d", i);
		snprintf(code, sizeof code, "CODE%05d", i);
		struct guest_fields f = { .first_name = first, .last_name = "Janssens" };
		assert_int_equal(guest_insert(n->hub, &f, code, "import", false, NULL, "import",
		    NULL, NULL, &cause), 0);
	}
	assert_int_equal(store_commit(n->hub, &cause), 0);
	struct repl_counts got = pull(n->k[0], n->hub, "Door 1", REPL_MAX_RECORDS);
	assert_int_equal(got.guests, 777);
	char *a = guest_set(n->hub), *b = guest_set(n->k[0]);
	assert_string_equal(a, b);
	free(a);
	free(b);
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	assert_int_equal(pos.guests, tu_count(n->hub, "SELECT max(rev) FROM guest"));
	/* the same page again (a cut answer) changes nothing */
	json_t *page = repl_read_pull(n->hub, "Door 1", 0, 0, REPL_MAX_RECORDS, false, &cause);
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], page, NULL, &got, &more, &cause), 0);
	json_decref(page);
	assert_int_equal(got.guests, 0);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest"), 777);
	/* A page with nothing new writes nothing: a sync round with nothing
	 * to do takes no write lock (and need not wait for the file's check). */
	page = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, REPL_MAX_RECORDS, false,
	    &cause);
	int before = sqlite3_total_changes(store_db(n->k[0]));
	assert_int_equal(repl_apply_pull(n->k[0], page, NULL, &got, &more, &cause), 0);
	json_decref(page);
	assert_false(more);
	assert_int_equal(sqlite3_total_changes(store_db(n->k[0])), before);
}

static bool
list_short(struct store *s)
{
	bool is_short = true;
	char *cause = NULL;
	assert_int_equal(repl_list_short(s, &is_short, &cause), 0);
	return is_short;
}

/* A join cut short (killed, the network gone) leaves a door with part of
 * the guest list, where a valid ticket is "unknown": it stays marked
 * until a pull reaches the hub's last page, and the door, kiosk scan and
 * kiosk doctor say so. A door that has a list already is not marked. */
static void
test_a_join_cut_short_is_known(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	char *codes[5];
	static const char *const first[] = { "An", "Bo", "Cas", "Dirk", "Eva" };
	for (int i = 0; i < 5; i++)
		codes[i] = add_guest(n->hub, first[i], "Peeters");
	assert_false(list_short(n->k[0]));
	assert_int_equal(repl_list_joining(n->k[0], &cause), 0);
	assert_true(list_short(n->k[0]));
	/* the first page of two guests, then the join is cut */
	struct repl_pos pos;
	struct repl_counts got;
	bool more = false;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	json_t *page = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, 2, true,
	    &cause);
	assert_int_equal(repl_apply_pull(n->k[0], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	assert_true(more);
	assert_int_equal(got.guests, 2);
	assert_true(list_short(n->k[0]));
	assert_int_equal(scan(n->k[0], codes[4], "Door 1", 1000, NULL), CHECKIN_UNKNOWN);
	/* the next sync pulls the rest: the list is whole */
	pull(n->k[0], n->hub, "Door 1", 2);
	assert_false(list_short(n->k[0]));
	assert_int_equal(scan(n->k[0], codes[4], "Door 1", 2000, NULL), CHECKIN_ADMITTED);

	/* A door with a list: joining again (or another hub) does not mark it. */
	pull(n->k[1], n->hub, "Door 2", REPL_MAX_RECORDS);
	assert_int_equal(repl_list_joining(n->k[1], &cause), 0);
	assert_false(list_short(n->k[1]));
	/* A last page with nothing new (the page before was full and said
	 * "more") clears the mark too. */
	assert_int_equal(sqlite3_exec(store_db(n->k[1]), "INSERT OR REPLACE INTO sync_state"
	    " (key, value) VALUES ('list_short', 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_true(list_short(n->k[1]));
	struct repl_counts none = pull(n->k[1], n->hub, "Door 2", REPL_MAX_RECORDS);
	assert_int_equal(none.guests, 0);
	assert_false(list_short(n->k[1]));
	/* An import on a door leaves the mark: the list is the hub's, and the
	 * file's guests would be the door's own. A door cut short and then
	 * made the hub keeps it too (its doors pull only what it has), until
	 * the platform's export is imported there. */
	assert_int_equal(repl_list_joining(n->k[2], &cause), 0);
	assert_int_equal(repl_list_imported(n->k[2], false, &cause), 0);
	assert_true(list_short(n->k[2]));
	assert_int_equal(repl_hub_set(n->k[2], REPL_HUB_SERVED, &cause), 0);
	assert_true(list_short(n->k[2]));
	assert_int_equal(repl_list_imported(n->k[2], false, &cause), 0);
	assert_false(list_short(n->k[2]));
	/* Set to serve but not started yet: the import there clears it too. */
	assert_int_equal(sqlite3_exec(store_db(n->k[1]), "INSERT OR REPLACE INTO sync_state"
	    " (key, value) VALUES ('list_short', 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_true(list_short(n->k[1]));
	assert_int_equal(repl_list_imported(n->k[1], true, &cause), 0);
	assert_false(list_short(n->k[1]));
	for (int i = 0; i < 5; i++)
		free(codes[i]);
}

static void
test_two_doors_apart_keep_both_and_agree_on_the_first(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Zoë", "Çelik");
	sync_all(n);
	/* the network drops; Door 2 admits at 19:05, Door 1 at 19:02 */
	assert_int_equal(scan(n->k[1], code, "Door 2", T0 + 180000, NULL), CHECKIN_ADMITTED);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0, NULL), CHECKIN_ADMITTED);
	sync_all(n);
	assert_all_equal(n);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 2);
	/* every door now answers "already checked in at Door 1" with Door 1's time */
	for (int i = 0; i < 3; i++) {
		struct checkin_outcome o;
		assert_int_equal(scan(n->k[i], code, "Door 3", T0 + 600000, &o), CHECKIN_ALREADY);
		assert_string_equal(o.first_kiosk, "Door 1");
		assert_int_equal(o.first_at, T0);
		checkin_outcome_clear(&o);
	}
	/* and the hub reports one duplicate entry */
	struct attend_stats st;
	char *cause = NULL;
	assert_int_equal(attend_stats(n->hub, &st, &cause), 0);
	assert_int_equal(st.checked_in, 1);
	assert_int_equal(st.duplicate_entries, 1);
	attend_stats_free(&st);
	free(code);
}

static int
door_of(const struct device_info *d, void *arg)
{
	if (strcmp(d->name, "Door 2") == 0)
		snprintf(arg, DEVICE_NAME_MAX + 1, "%s", d->door != NULL ? d->door : "(none)");
	return 0;
}

/* A door whose token is "Door 2" and which calls itself "Porte 2": the hub
 * that stores its check-ins knows it by that name too (the live page lists
 * it "Door 2 (Porte 2)"); renamed since, its latest check-in's name. */
static void
test_hub_notes_the_name_a_door_gives_itself(void **state)
{
	struct net *n = *state;
	char door[DEVICE_NAME_MAX + 1] = "";
	char *cause = NULL, *tok = NULL;
	char *a = add_guest(n->hub, "Amélie", "Lefèvre"), *b = add_guest(n->hub, "Wout", "Aerts");
	assert_int_equal(device_add(n->hub, "Door 2", &tok, &cause), 0);
	sync_all(n);
	assert_int_equal(device_each(n->hub, door_of, door, &cause), 1);
	assert_string_equal(door, "(none)");
	assert_int_equal(scan(n->k[1], a, "Porte 2", T0, NULL), CHECKIN_ADMITTED);
	sync_one(n, 1);
	assert_int_equal(device_each(n->hub, door_of, door, &cause), 1);
	assert_string_equal(door, "Porte 2");
	assert_int_equal(scan(n->k[1], b, "Entrée Sud", T0 + 1000, NULL), CHECKIN_ADMITTED);
	sync_one(n, 1);
	assert_int_equal(device_each(n->hub, door_of, door, &cause), 1);
	assert_string_equal(door, "Entrée Sud");
	free(tok);
	free(a);
	free(b);
}

/* Two doors admit one ticket in the same millisecond: every node names the
 * same one first, whichever reached it first. */
static void
test_two_doors_in_one_millisecond_agree_on_the_first(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Zoë", "Çelik");
	sync_all(n);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0, NULL), CHECKIN_ADMITTED);
	assert_int_equal(scan(n->k[1], code, "Door 2", T0, NULL), CHECKIN_ADMITTED);
	/* Door 2's reaches the hub first, Door 1's next */
	sync_one(n, 1);
	sync_all(n);
	struct store *all[] = { n->hub, n->k[0], n->k[1], n->k[2] };
	char first[4][256];
	for (int i = 0; i < 4; i++) {
		struct checkin_outcome o;
		assert_int_equal(scan(all[i], code, "Door 3", T0 + 600000, &o), CHECKIN_ALREADY);
		snprintf(first[i], sizeof first[i], "%s", o.first_kiosk);
		checkin_outcome_clear(&o);
		if (i > 0)
			assert_string_equal(first[i], first[0]);
	}
	free(code);
}

static void
repeated_batch_changes_nothing(struct net *n, bool rows)
{
	char *code = add_guest(n->hub, "Ann", "Aerts");
	char *bad = "NOT-A-CODE-AT-ALL";
	pull(n->k[0], n->hub, "Door 1", 10);
	scan(n->k[0], code, "Door 1", T0, NULL);
	scan(n->k[0], bad, "Door 1", T0 + 1, NULL);
	scan(n->k[0], code, "Door 1", T0 + 2, NULL);   /* already checked in */

	struct repl_batch *b = NULL;
	struct repl_counts stored, known;
	bool too_big;
	char *cause = NULL;
	assert_int_equal(repl_collect(n->k[0], 100, rows, &b, &cause), 0);
	assert_non_null(b);
	struct repl_counts c = repl_batch_counts(b);
	assert_int_equal(c.checkins, 1);
	assert_int_equal(c.scans, 2);
	/* the answer is lost: the kiosk sends the batch again */
	for (int i = 0; i < 2; i++) {
		json_t *body = batch_json(b);
		assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known,
		    &too_big, &cause), REPL_OK);
		json_decref(body);
		assert_int_equal(stored.checkins, i == 0 ? 1 : 0);
		assert_int_equal(known.checkins, i == 0 ? 0 : 1);
		assert_int_equal(stored.scans, i == 0 ? 2 : 0);
	}
	assert_int_equal(repl_batch_done(n->k[0], b, &cause), 0);
	repl_batch_free(b);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 1);
	/* the admitted scan came inside its check-in, with its code */
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM scan WHERE result = 'admitted'"
	    " AND code <> ''"), 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM scan"), 3);
	int64_t waiting;
	assert_int_equal(repl_waiting(n->k[0], &waiting, &cause), 0);
	assert_int_equal(waiting, 0);
	/* nothing is collected again */
	assert_int_equal(repl_collect(n->k[0], 100, rows, &b, &cause), 0);
	assert_null(b);
	free(code);
}

static void
test_repeated_batch_changes_nothing(void **state)
{
	repeated_batch_changes_nothing(*state, false);
}

/* The same pushed as rows, as kiosks push to a hub whose pages came so. */
static void
test_repeated_batch_as_rows_changes_nothing(void **state)
{
	repeated_batch_changes_nothing(*state, true);
}

/* A kiosk pushes rows only to a hub whose last page came as rows, and
 * whatever the hub answers, a batch is marked sent only when the hub took
 * every check-in in it: an older hub ignores rows (answering 200 with
 * nothing stored), and the batch goes again as objects. */
static void
test_rows_are_pushed_only_to_a_hub_that_reads_them(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Ann", "Aerts"), *cause = NULL;
	bool rows = true;
	assert_int_equal(repl_push_rows(n->k[0], &rows, &cause), 0);
	assert_false(rows);                          /* no page yet */
	pull(n->k[0], n->hub, "Door 1", 10);         /* a page as rows */
	assert_int_equal(repl_push_rows(n->k[0], &rows, &cause), 0);
	assert_true(rows);
	scan(n->k[0], code, "Door 1", T0, NULL);
	struct repl_batch *b = NULL;
	assert_int_equal(repl_collect(n->k[0], 100, true, &b, &cause), 0);
	json_t *old_hub = json_pack("{s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}}",
	    "stored", "guests", 0, "checkins", 0, "scans", 0,
	    "known", "guests", 0, "checkins", 0, "scans", 0);
	assert_int_equal(repl_push_verdict(b, old_hub), REPL_AGAIN_AS_OBJECTS);
	assert_int_equal(repl_forget_rows(n->k[0], &cause), 0);
	assert_int_equal(repl_push_rows(n->k[0], &rows, &cause), 0);
	assert_false(rows);
	repl_batch_free(b);
	assert_int_equal(repl_collect(n->k[0], 100, false, &b, &cause), 0);
	assert_int_equal(repl_push_verdict(b, old_hub), REPL_NOT_TAKEN);
	json_decref(old_hub);
	/* the hub of today takes it either way */
	struct repl_counts stored, known;
	bool too_big;
	json_t *body = batch_json(b), *answer;
	assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known, &too_big,
	    &cause), REPL_OK);
	json_decref(body);
	answer = json_pack("{s:{s:i}, s:{s:i}}", "stored", "checkins", stored.checkins,
	    "known", "checkins", known.checkins);
	assert_int_equal(repl_push_verdict(b, answer), REPL_TAKEN);
	json_decref(answer);
	repl_batch_free(b);
	/* and a page that does not say push_rows (an older hub) turns rows off */
	pull(n->k[1], n->hub, "Door 2", 10);
	assert_int_equal(repl_push_rows(n->k[1], &rows, &cause), 0);
	assert_true(rows);
	assert_int_equal(sqlite3_exec(store_db(n->hub), "INSERT INTO checkin (uuid, guest_uuid,"
	    " kind, at, kiosk) SELECT '0190a0b0-0000-7000-8000-0000000000c1', uuid, 'in',"
	    " 1779372000000, 'Door 9' FROM guest LIMIT 1", NULL, NULL, NULL), SQLITE_OK);
	struct repl_pos pos;
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_cursors(n->k[1], &pos, &cause), 0);
	json_t *page = repl_read_pull(n->hub, "Door 2", pos.guests, pos.checkins, 10, false, &cause);
	assert_true(json_is_true(json_object_get(page, "push_rows")));
	json_object_del(page, "push_rows");
	assert_int_equal(repl_apply_pull(n->k[1], page, NULL, &got, &more, &cause), 0);
	json_decref(page);
	assert_int_equal(repl_push_rows(n->k[1], &rows, &cause), 0);
	assert_false(rows);
	free(code);
}

/* An older kiosk stored text unchecked: a scanner's Latin-1 bytes in a
 * scan, a kiosk name from a Latin-1 kiosk.conf on a check-in. Such records
 * still reach the hub and the other doors (the bad bytes as U+FFFD), never
 * dropped from the batch unseen. */
static void
test_old_non_utf8_text_still_syncs(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Ann", "Aerts");
	pull(n->k[0], n->hub, "Door 1", 10);
	scan(n->k[0], code, "Door 1", T0, NULL);
	assert_int_equal(sqlite3_exec(store_db(n->k[0]),
	    "UPDATE checkin SET kiosk = CAST(X'54E97374' AS TEXT);"
	    "UPDATE scan SET kiosk = CAST(X'44C3' AS TEXT);"
	    "INSERT INTO scan (uuid, at, kiosk, code, result) VALUES"
	    " ('0190a0b0-0000-7000-8000-000000000001', 1779372000000, 'Door 1',"
	    "  CAST(X'4142E9E9' AS TEXT), 'unknown_code');", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM scan WHERE code ="
	    " CAST(X'4142E9E9' AS TEXT)"), 1);
	struct repl_counts pushed = push(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(pushed.checkins, 1);
	assert_int_equal(pushed.scans, 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM scan WHERE code = 'AB'"
	    " || char(65533) || char(65533)"), 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin WHERE kiosk = 'T'"
	    " || char(65533) || 'st'"), 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 1);
	/* and from the hub to another door */
	struct repl_counts got = pull(n->k[1], n->hub, "Door 2", 10);
	assert_int_equal(got.checkins, 1);
	free(code);
}

/* A poster's URL scanned at a door (113 bytes: a door audits up to 256) goes
 * to the hub cut to the 64 bytes a hub takes: it used to make the hub
 * refuse the whole push, and every record after it waited for good. */
static void
test_a_scanned_url_does_not_stop_the_push(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Ann", "Aerts");
	pull(n->k[0], n->hub, "Door 1", 10);
	const char *url = "https://www.socialmediaday.be/programma/2026/sessies/"
	    "keynote-de-toekomst-van-sociale-media-in-vlaanderen?utm_source=poster";
	assert_true(strlen(url) > 64);
	assert_int_equal(scan(n->k[0], url, "Door 1", T0, NULL), CHECKIN_UNKNOWN);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0 + 1000, NULL), CHECKIN_ADMITTED);
	struct repl_counts pushed = push(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(pushed.scans, 1);
	assert_int_equal(pushed.checkins, 1);
	char *sql = xasprintf("SELECT count(*) FROM scan WHERE code = '%.64s'", url);
	assert_int_equal(tu_count(n->hub, sql), 1);
	free(sql);
	/* the door keeps the whole of what was scanned */
	assert_int_equal(tu_count(n->k[0], "SELECT max(length(code)) FROM scan"), (int)strlen(url));
	/* A door of before sent all of it: the hub takes it, cut, rather
	 * than refuse that door's every push. */
	json_t *body = json_pack("{s:[], s:[], s:[{s:s, s:I, s:s, s:s, s:s}]}", "guests",
	    "checkins", "scans", "uuid", "0b7f3d9e-1c2a-4e5f-8a9b-0c1d2e3f4a5b", "at",
	    (json_int_t)T0, "kiosk", "Old door", "code", url, "result", "unknown_code");
	struct repl_counts stored, known;
	bool too_big;
	char *cause = NULL;
	assert_int_equal(repl_store_push(n->hub, "Old door", body, &stored, &known, &too_big,
	    &cause), REPL_OK);
	json_decref(body);
	assert_int_equal(stored.scans, 1);
	assert_int_equal(tu_count(n->hub, "SELECT length(code) FROM scan WHERE kiosk = "
	    "'Old door'"), 64);
	free(code);
}

/* Codes as long as an import takes (a platform whose tickets hold a URL):
 * a guest with one, imported at a door, made the hub refuse the door's
 * every push after it ("longer than 64 bytes"), its check-ins with it;
 * imported at the hub, no door could pull it. */
static void
test_long_platform_codes_sync_both_ways(void **state)
{
	struct net *n = *state;
	char *at_hub = add_guest(n->hub, "Hanne", "Hub");
	char *at_door = add_guest(n->k[0], "Dries", "Door");
	char longer[2][CODE_MAX_LEN + 1];
	for (int i = 0; i < 2; i++) {
		snprintf(longer[i], sizeof longer[i], "https://tickets.example.org/t/%d/", i);
		size_t k = strlen(longer[i]);
		memset(longer[i] + k, 'a' + i, CODE_MAX_LEN - k);
		longer[i][CODE_MAX_LEN] = '\0';
	}
	struct store *where[2] = { n->hub, n->k[0] };
	const char *old[2] = { at_hub, at_door };
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(store_db(where[i]), "UPDATE guest SET code = ?,"
		    " dirty = 1 WHERE code = ?", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, longer[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, old[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	assert_int_equal(scan(n->k[0], longer[1], "Door 1", T0, NULL), CHECKIN_ADMITTED);
	sync_all(n);
	sync_all(n);
	assert_all_equal(n);
	assert_int_equal(scan(n->k[2], longer[0], "Door 3", T0 + 1000, NULL), CHECKIN_ADMITTED);
	assert_int_equal(scan(n->k[2], longer[1], "Door 3", T0 + 2000, NULL), CHECKIN_ALREADY);
	free(at_hub);
	free(at_door);
}

static void
test_walkin_at_one_door_is_known_at_the_others(void **state)
{
	struct net *n = *state;
	sync_all(n);
	char *code = add_guest(n->k[0], "Walter", "Walkin");
	sync_all(n);
	assert_all_equal(n);
	assert_int_equal(scan(n->k[2], code, "Door 3", T0, NULL), CHECKIN_ADMITTED);
	sync_all(n);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0 + 1000, NULL), CHECKIN_ALREADY);
	free(code);
}

static void
test_cancelled_on_the_hub_is_refused_everywhere(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Carl", "Claes");
	sync_all(n);
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_set_cancelled(n->hub, code, true, "organiser", &g, &cause), 0);
	guest_clear(&g);
	sync_all(n);
	for (int i = 0; i < 3; i++)
		assert_int_equal(scan(n->k[i], code, "Door", T0, NULL), CHECKIN_CANCELLED);
	free(code);
}

/* Nothing of the guest's name left at node s, and the ticket refused. */
static void
assert_forgotten(struct store *s, const char *code, const char *first, const char *last)
{
	char *sql = xasprintf("SELECT count(*) FROM guest WHERE first_name = '%s' OR"
	    " last_name = '%s' OR trim(words) != '' AND code = '%s'", first, last, code);
	assert_int_equal(tu_count(s, sql), 0);
	free(sql);
	sql = xasprintf("SELECT count(*) FROM guest WHERE code = '%s' AND cancelled AND"
	    " forgotten_at != 0 AND trim(sort_key) = '' AND match_key IS NULL", code);
	assert_int_equal(tu_count(s, sql), 1);
	free(sql);
	assert_int_equal(scan(s, code, "Door", T0 + 5000, NULL), CHECKIN_CANCELLED);
}

/* kiosk forget on the hub: every door erases the guest at its next sync,
 * and none can reinstate the ticket. */
static void
test_forgotten_on_the_hub_is_erased_everywhere(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Fiona", "Fenwick");
	sync_all(n);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0, NULL), CHECKIN_ADMITTED);
	sync_all(n);
	assert_int_equal(tu_forget(n->hub, code), 0);
	sync_all(n);
	assert_all_equal(n);
	assert_forgotten(n->hub, code, "Fiona", "Fenwick");
	for (int i = 0; i < 3; i++)
		assert_forgotten(n->k[i], code, "Fiona", "Fenwick");
	/* the admission stays, at every node */
	assert_int_equal(tu_count(n->k[2], "SELECT count(*) FROM checkin WHERE kind = 'in'"), 1);
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_set_cancelled(n->k[1], code, false, "Door 2", &g, &cause), -1);
	assert_non_null(strstr(cause, "forgot"));
	free(cause);
	free(code);
}

/* A door offline since before the forget, whose copy holds the name under
 * a later stamp (an older kiosk's edit, a clock ahead), pushes it after:
 * the hub keeps the forgotten copy, and sends it on stamped after the
 * door's, so that the door (an older kiosk too, which knows no
 * forgotten_at) takes it whole. */
static void
test_older_copy_does_not_restore_a_forgotten_guest(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Gerda", "Goossens");
	sync_all(n);
	char *sql = xasprintf("UPDATE guest SET last_name = 'Restored', words = 'gerda restored',"
	    " updated_at = updated_at + 86400000, fields_at = NULL, dirty = 1,"
	    " rev = (SELECT max(rev) + 1 FROM guest) WHERE code = '%s'", code);
	assert_int_equal(sqlite3_exec(store_db(n->k[1]), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	assert_int_equal(tu_forget(n->hub, code), 0);
	push(n->k[1], n->hub, "Door 2", 3);
	assert_forgotten(n->hub, code, "Gerda", "Restored");
	/* Door 2 as an older kiosk reads the page: without forgotten_at */
	char *cause = NULL;
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[1], &pos, &cause), 0);
	json_t *page = repl_read_pull(n->hub, "Door 2", pos.guests, pos.checkins, 100, true,
	    &cause);
	assert_non_null(page);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(page, "guests"), i, v) {
		assert_true(json_integer_value(json_object_get(v, "forgotten_at")) > 0);
		json_object_del(v, "forgotten_at");
	}
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[1], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	sql = xasprintf("SELECT count(*) FROM guest WHERE code = '%s' AND cancelled AND"
	    " first_name = '' AND last_name = ''", code);
	assert_int_equal(tu_count(n->k[1], sql), 1);
	free(sql);
	/* and a door of this version pushing the name again later changes
	 * nothing either */
	sql = xasprintf("UPDATE guest SET first_name = 'Gerda', forgotten_at = 0,"
	    " updated_at = updated_at + 86400000, dirty = 1 WHERE code = '%s'", code);
	assert_int_equal(sqlite3_exec(store_db(n->k[2]), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	sync_all(n);
	assert_all_equal(n);
	assert_forgotten(n->hub, code, "Gerda", "Restored");
	assert_forgotten(n->k[0], code, "Gerda", "Restored");
	assert_forgotten(n->k[2], code, "Gerda", "Restored");
	/* (Door 2, as an older kiosk, has the empty copy, not forgotten_at) */
	sql = xasprintf("SELECT count(*) FROM guest WHERE code = '%s' AND cancelled AND"
	    " first_name = '' AND last_name = '' AND trim(words) = ''", code);
	assert_int_equal(tu_count(n->k[1], sql), 1);
	free(sql);
	free(code);
}

/* A door forgets a guest offline while the hub corrects their name, later:
 * the hub takes the forgotten copy, and sends it stamped after its own
 * correction, so that an older kiosk (which goes by the stamps) that took
 * the correction takes the forgotten copy whole. */
static void
test_forget_older_than_an_edit_reaches_older_kiosks(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Hanna", "Hermans");
	sync_all(n);
	assert_int_equal(tu_forget(n->k[0], code), 0);
	char *sql = xasprintf("UPDATE guest SET last_name = 'Corrected', words = 'hanna corrected',"
	    " updated_at = updated_at + 86400000, fields_at = NULL,"
	    " rev = (SELECT max(rev) + 1 FROM guest) WHERE code = '%s'", code);
	assert_int_equal(sqlite3_exec(store_db(n->hub), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	/* Door 2, an older kiosk, takes the correction */
	pull(n->k[1], n->hub, "Door 2", 100);
	sql = xasprintf("SELECT count(*) FROM guest WHERE code = '%s' AND last_name = 'Corrected'",
	    code);
	assert_int_equal(tu_count(n->k[1], sql), 1);
	free(sql);
	push(n->k[0], n->hub, "Door 1", 3);
	assert_forgotten(n->hub, code, "Hanna", "Corrected");
	char *cause = NULL;
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[1], &pos, &cause), 0);
	json_t *page = repl_read_pull(n->hub, "Door 2", pos.guests, pos.checkins, 100, true,
	    &cause);
	assert_non_null(page);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(page, "guests"), i, v)
		json_object_del(v, "forgotten_at");
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[1], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	sql = xasprintf("SELECT count(*) FROM guest WHERE code = '%s' AND cancelled AND"
	    " first_name = '' AND last_name = ''", code);
	assert_int_equal(tu_count(n->k[1], sql), 1);
	free(sql);
	/* and every node of this version ends the same, forgotten */
	sync_all(n);
	assert_forgotten(n->hub, code, "Hanna", "Corrected");
	assert_forgotten(n->k[0], code, "Hanna", "Corrected");
	assert_forgotten(n->k[2], code, "Hanna", "Corrected");
	free(code);
}

/* A ticket cancelled at a door, not pushed yet, when a page brings the
 * hub's older copy again (the whole list pulled from the start, the push
 * cut before it): the door keeps refusing it, and the hub and the other
 * doors refuse it once the door has pushed. */
static void
test_cancellation_waiting_at_a_door_outlives_an_older_copy(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Ella", "Eyckmans");
	sync_all(n);
	usleep(2000);
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_set_cancelled(n->k[0], code, true, "Door 1", &g, &cause), 0);
	guest_clear(&g);
	json_t *page = repl_read_pull(n->hub, "Door 1", 0, 0, 100, true, &cause);
	assert_non_null(page);
	json_t *w = wire(page);
	json_decref(page);
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], w, NULL, &got, &more, &cause), 0);
	json_decref(w);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0, NULL), CHECKIN_CANCELLED);
	sync_all(n);
	assert_all_equal(n);
	assert_int_equal(scan(n->k[2], code, "Door 3", T0, NULL), CHECKIN_CANCELLED);
	free(code);
}

static void
test_guest_edits_last_writer_wins(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Dirk", "Dubois");
	sync_all(n);
	struct guest g;
	char *cause = NULL;
	/* the hub cancels, then a kiosk reinstates later: the kiosk wins
	 * everywhere, and the writer is recorded */
	assert_int_equal(guest_set_cancelled(n->hub, code, true, "organiser", &g, &cause), 0);
	guest_clear(&g);
	usleep(5000);
	assert_int_equal(guest_set_cancelled(n->k[1], code, false, "Door 2", &g, &cause), 1);
	guest_clear(&g);
	/* k[1] never saw the cancel: reinstating is "already valid". Pull first. */
	sync_all(n);
	assert_int_equal(guest_set_cancelled(n->k[1], code, false, "Door 2", &g, &cause), 0);
	guest_clear(&g);
	sync_all(n);
	assert_all_equal(n);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM guest WHERE NOT cancelled"
	    " AND updated_by = 'Door 2'"), 1);
	/* an older copy arriving late loses */
	assert_int_equal(tu_count(n->k[0], "SELECT cancelled FROM guest"), 0);
	free(code);
}

/* The hub's guest list imported again with one guest's name corrected:
 * what an organiser's re-import does to a guest stored on the hub. */
static void
rename_on_hub(struct store *hub, const char *code, const char *last)
{
	char *csv = xasprintf("Barcode #,First Name,Last Name\n%s,Rita,%s\n", code, last);
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "late.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(hub, p, false, "hub", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.updated, 1);
	import_free(p);
	free(csv);
}

/* Two tickets cancelled at two doors while the hub was away (a at Door 1,
 * b at Door 2), and the guests' names corrected on the hub (Janssens to
 * Jansen, Maes to Mees), before the cancels or after (rename_first). Door 1
 * then pushes first, Door 2 pulls first, and all sync. Whatever the order,
 * the names are the hub's and both tickets are cancelled everywhere.
 * Sets *a and *b to the codes (the caller's to free). */
static void
cancel_and_rename(struct net *n, bool rename_first, char **a, char **b)
{
	*a = add_guest(n->hub, "Rita", "Janssens");
	*b = add_guest(n->hub, "Rita", "Maes");
	sync_all(n);
	for (int step = 0; step < 2; step++) {
		if ((step == 0) == rename_first) {
			rename_on_hub(n->hub, *a, "Jansen");
			rename_on_hub(n->hub, *b, "Mees");
		} else {
			struct guest g;
			char *cause = NULL;
			assert_int_equal(guest_set_cancelled(n->k[0], *a, true, "Door 1", &g, &cause), 0);
			guest_clear(&g);
			assert_int_equal(guest_set_cancelled(n->k[1], *b, true, "Door 2", &g, &cause), 0);
			guest_clear(&g);
		}
		usleep(5000);
	}
	int64_t renamed = tu_count(n->hub, "SELECT updated_at FROM guest WHERE"
	    " last_name = 'Jansen'");
	/* Door 1 pushes first: the hub keeps the corrected name, takes the
	 * cancel, and stamps the copy after both: a door of an older version,
	 * which merges by that stamp alone, takes it */
	push(n->k[0], n->hub, "Door 1", 3);
	char *sql = xasprintf("SELECT count(*) FROM guest WHERE last_name = 'Jansen' AND cancelled"
	    " AND updated_at > %lld", (long long)renamed);
	assert_int_equal(tu_count(n->hub, sql), 1);
	free(sql);
	/* Door 2 pulls first: it takes the name and keeps its cancel, to send */
	pull(n->k[1], n->hub, "Door 2", 2);
	assert_int_equal(tu_count(n->k[1], "SELECT count(*) FROM guest WHERE last_name = 'Mees'"
	    " AND cancelled AND dirty"), 1);
	sync_all(n);
	assert_all_equal(n);
	struct store *all[4] = { n->hub, n->k[0], n->k[1], n->k[2] };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(tu_count(all[i], "SELECT count(*) FROM guest WHERE cancelled AND"
		    " last_name IN ('Jansen', 'Mees')"), 2);
		assert_int_equal(tu_count(all[i], "SELECT count(*) FROM guest WHERE"
		    " last_name IN ('Janssens', 'Maes')"), 0);
		assert_int_equal(scan(all[i], *a, "Door", T0, NULL), CHECKIN_CANCELLED);
		assert_int_equal(scan(all[i], *b, "Door", T0, NULL), CHECKIN_CANCELLED);
	}
}

/* The name corrected on the hub after the doors' cancels; a later
 * reinstatement on the hub wins in turn. */
static void
test_offline_cancel_survives_a_later_change(void **state)
{
	struct net *n = *state;
	char *a, *b;
	cancel_and_rename(n, false, &a, &b);
	usleep(5000);
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_set_cancelled(n->hub, a, false, "organiser", &g, &cause), 0);
	guest_clear(&g);
	sync_all(n);
	assert_all_equal(n);
	for (int i = 0; i < 3; i++)
		assert_int_equal(scan(n->k[i], a, "Door", T0 + 1000 * i, NULL), CHECKIN_ADMITTED);
	free(a);
	free(b);
}

/* The name corrected on the hub before the cancels, at doors that had not
 * heard of it: the cancel is the later change, but of the cancellation
 * only, and the correction stays. */
static void
test_offline_cancel_keeps_an_earlier_correction(void **state)
{
	struct net *n = *state;
	char *a, *b;
	cancel_and_rename(n, true, &a, &b);
	free(a);
	free(b);
}

/* Cancels, reinstatements, renames on the hub, pushes and pulls in the
 * order seed gives, over a hub and three doors: once all have synced,
 * every node holds the same record of each guest, with the last name the
 * hub gave and the cancellation set last; nothing waits to be sent, and a
 * round more stores nothing (no merge goes back and forth). */
static void
converge_in_any_order(struct net *n, uint32_t seed)
{
	enum { GUESTS = 3, STEPS = 400 };
	char *code[GUESTS];
	static const char *const names[GUESTS] = { "Aerts", "Bos", "Claes" };
	/* what every node must end with: the last name the hub gave, the
	 * cancellation set last (merge_cancel_wins) */
	char want_name[GUESTS][32];
	int64_t cancel_at[GUESTS] = { 0 };
	bool want_cancel[GUESTS] = { false };
	for (int i = 0; i < GUESTS; i++) {
		code[i] = add_guest(n->hub, "Rita", names[i]);
		snprintf(want_name[i], sizeof want_name[i], "%s", names[i]);
	}
	sync_all(n);
	static const char *const dev[] = { "Door 1", "Door 2", "Door 3" };
	uint32_t rnd = seed;
	int renames = 0;
	for (int step = 0; step < STEPS; step++) {
		rnd = rnd * 1103515245u + 12345u;
		uint32_t r = rnd >> 8;
		int g = (int)(r % GUESTS), k = (int)((r / GUESTS) % 3), op = (int)((r / 12) % 5);
		struct store *node = op == 1 || op == 2 ? n->hub : n->k[k];
		if (op <= 1) { /* a cancel or a reinstatement, where the ticket is */
			struct guest gu;
			char *cause = NULL;
			char *sql = xasprintf("SELECT cancelled FROM guest WHERE code = '%s'", code[g]);
			bool was = tu_count(node, sql) == 1;
			free(sql);
			assert_int_equal(guest_set_cancelled(node, code[g], !was, op ? "organiser" :
			    dev[k], &gu, &cause), 0);
			if (merge_cancel_wins(gu.updated_at, !was, cancel_at[g], want_cancel[g])) {
				cancel_at[g] = gu.updated_at;
				want_cancel[g] = !was;
			}
			guest_clear(&gu);
		} else if (op == 2) {
			snprintf(want_name[g], sizeof want_name[g], "%s%d", names[g], ++renames);
			rename_on_hub(n->hub, code[g], want_name[g]);
		} else if (op == 3) {
			push(n->k[k], n->hub, dev[k], 3);
		} else {
			pull(n->k[k], n->hub, dev[k], 2);
		}
		if (step % 7 == 0)
			usleep(1000);
	}
	sync_all(n);
	assert_all_equal(n);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tu_count(n->k[i], "SELECT count(*) FROM guest WHERE dirty"), 0);
		struct repl_counts pushed = push(n->k[i], n->hub, dev[i], 3);
		struct repl_counts pulled = pull(n->k[i], n->hub, dev[i], 2);
		assert_int_equal(pushed.guests + pulled.guests, 0);
	}
	struct store *all[4] = { n->hub, n->k[0], n->k[1], n->k[2] };
	for (int i = 0; i < GUESTS; i++) {
		char *sql = xasprintf("SELECT last_name || ' ' || cancelled FROM guest WHERE"
		    " code = '%s'", code[i]);
		char *want = xasprintf("%s %d", want_name[i], want_cancel[i]);
		for (int j = 0; j < 4; j++) {
			char *got = tu_text(all[j], sql);
			if (strcmp(got, want) != 0)
				fail_msg("seed %u, guest %d, node %d: %s, expected %s", seed, i, j, got,
				    want);
			free(got);
		}
		free(sql);
		free(want);
		free(code[i]);
	}
}

/* Two orders of 400 steps. */
static void
test_cancellations_converge_in_any_order(void **state)
{
	converge_in_any_order(*state, 12345);
}

static void
test_cancellations_converge_in_another_order(void **state)
{
	converge_in_any_order(*state, 20261127);
}

/* --- check-ins in any order of sync: a model test ------------------------------- */

/* A random run over the hub and the three doors of scans (one ticket at two
 * doors in one millisecond too), undos, walk-ins, check-ins on the hub and
 * cancels, with pushes and pulls cut short, answers lost, pages applied
 * twice, scans while a batch or a page is on its way, start-overs, and
 * doors and the hub restarted in between. The model is every check-in row
 * a node said it wrote (a door that showed "admitted" has it on disk, and
 * no sync may lose it); once all have synced, every node holds exactly
 * those rows, answers alike for every guest at a scan, with the figures
 * alike, and nothing is left to send. */

#define MODEL_GUESTS 16        /* the hub's list of 8, then walk-ins */
#define MODEL_EVENTS 2000      /* rows written, at most */
#define MODEL_NODES 4          /* the doors 0, 1, 2, then the hub */
#define MODEL_HUB 3

static const char *const model_name[MODEL_NODES] = { "Door 1", "Door 2", "Door 3", "Hub" };

/* A check-in row as the node that wrote it reported it. */
struct model_event {
	char uuid[40];
	char guest[40];
	char kind[8];           /* in, out or undo */
	char undoes[40];        /* an undo's admission, else "" */
	int64_t at;
	char kiosk[16];
};

/* What a run did, so that a run which never lost an answer (say) does not
 * pass for one that tested it. */
struct model_tally {
	int admitted, exited, refused, undone, walkin_elsewhere, on_hub, cancels;
	int lost, twice, cut, restarts, meanwhile, start_overs;
};

struct model {
	struct net *n;
	uint32_t seed, rnd;
	int64_t now;                    /* the event's clock: on, or still */
	int nguests;
	char *code[MODEL_GUESTS];
	char *guest[MODEL_GUESTS];      /* uuids */
	int born[MODEL_GUESTS];         /* node that registered a walk-in; -1 */
	int scans[MODEL_NODES];         /* audit rows each node wrote */
	int nev;
	struct model_event ev[MODEL_EVENTS];
	struct model_tally t;
	struct repl_cache *cache;       /* the hub's, as kiosk hub keeps one */
};

static uint32_t
model_rand(struct model *m, uint32_t below)
{
	m->rnd = m->rnd * 1103515245u + 12345u;
	return (m->rnd >> 8) % below;
}

static struct store *
model_node(struct model *m, int i)
{
	return i == MODEL_HUB ? m->n->hub : m->n->k[i];
}

static void
model_add(struct model *m, const char *uuid, const char *guest, const char *kind,
    const char *undoes, int64_t at, const char *kiosk)
{
	if (m->nev == MODEL_EVENTS)
		fail_msg("seed %u: more than %d check-ins: raise MODEL_EVENTS", m->seed,
		    MODEL_EVENTS);
	struct model_event *e = &m->ev[m->nev++];
	snprintf(e->uuid, sizeof e->uuid, "%s", uuid);
	snprintf(e->guest, sizeof e->guest, "%s", guest);
	snprintf(e->kind, sizeof e->kind, "%s", kind);
	snprintf(e->undoes, sizeof e->undoes, "%s", undoes ? undoes : "");
	e->at = at;
	snprintf(e->kiosk, sizeof e->kiosk, "%s", kiosk);
}

static bool
model_knows(struct model *m, int node, int g)
{
	char *sql = xasprintf("SELECT count(*) FROM guest WHERE uuid = '%s'", m->guest[g]);
	bool known = tu_count(model_node(m, node), sql) == 1;
	free(sql);
	return known;
}

/* Door 1 lets a ticket in once; Door 2 lets guests come back; Door 3 does
 * too, and records exits half the time; the hub is a desk that admits
 * once. Their rules differ so that exits and re-entries happen. */
static struct checkin_policy
model_policy(struct model *m, int node)
{
	struct checkin_policy p = { 0 };
	p.reentry = node == 1 || node == 2;
	p.exit_mode = node == 2 && model_rand(m, 2) == 0;
	return p;
}

/* Guest g's code scanned at node: a row it reports written joins the model. */
static void
model_scan_guest(struct model *m, int node, int g)
{
	struct checkin_policy p = model_policy(m, node);
	struct checkin_outcome o;
	char *cause = NULL;
	if (checkin_scan(model_node(m, node), m->code[g], strlen(m->code[g]), model_name[node],
	    &p, m->now, &o, &cause) != 0)
		fail_msg("seed %u: scan at %s: %s", m->seed, model_name[node], cause);
	m->scans[node]++;
	if (checkin_result_ok(o.result)) {
		assert_string_equal(o.guest.uuid, m->guest[g]);
		assert_true(o.at >= m->now);
		model_add(m, o.checkin_uuid, m->guest[g], o.result == CHECKIN_ADMITTED ? "in" :
		    "out", NULL, o.at, model_name[node]);
		if (o.result == CHECKIN_ADMITTED)
			m->t.admitted++;
		else
			m->t.exited++;
		m->t.on_hub += node == MODEL_HUB;
		m->t.walkin_elsewhere += m->born[g] >= 0 && m->born[g] != node;
	} else {
		m->t.refused++;
	}
	checkin_outcome_clear(&o);
}

static void
model_scan(struct model *m, int node)
{
	model_scan_guest(m, node, (int)model_rand(m, (uint32_t)m->nguests));
}

/* One ticket at two doors in the same millisecond (two people with one
 * ticket's copies, or a guest and a scanner's double read at two doors
 * apart): every node must then take the two in the same order. */
static void
model_twin_scan(struct model *m, int door)
{
	int g = (int)model_rand(m, (uint32_t)m->nguests);
	int other = (door + 1 + (int)model_rand(m, 3)) % MODEL_NODES;
	model_scan_guest(m, door, g);
	model_scan_guest(m, other, g);
}

/* An admission of guest g in the model, at random, or NULL. */
static const struct model_event *
model_admission(struct model *m, int g)
{
	const struct model_event *pick = NULL;
	int seen = 0;
	for (int i = 0; i < m->nev; i++)
		if (strcmp(m->ev[i].guest, m->guest[g]) == 0 && strcmp(m->ev[i].kind, "in") == 0 &&
		    model_rand(m, (uint32_t)++seen) == 0)
			pick = &m->ev[i];
	return pick;
}

/* A mis-scan undone at node: the guest's latest admission there, or one
 * named (a door's Undo of the admission on its screen, perhaps not known
 * here, or undone already elsewhere). The undo row joins the model. */
static void
model_undo(struct model *m, int node)
{
	int g = (int)model_rand(m, (uint32_t)m->nguests);
	const struct model_event *e = model_rand(m, 2) ? model_admission(m, g) : NULL;
	struct store *s = model_node(m, node);
	struct checkin_outcome o;
	char *cause = NULL;
	int rc = e != NULL ? checkin_undo_admission(s, m->code[g], e->uuid, model_name[node],
	    m->now, &o, &cause) : checkin_undo(s, m->code[g], model_name[node], m->now, 0, &o,
	    &cause);
	if (rc < 0 && model_knows(m, node, g))
		fail_msg("seed %u: undo at %s: %s", m->seed, model_name[node], cause);
	free(cause);
	if (rc == 0) {
		char *sql = xasprintf("SELECT uuid || ' ' || at FROM checkin WHERE kind = 'undo'"
		    " AND undoes = '%s' AND kiosk = '%s' ORDER BY id DESC LIMIT 1",
		    o.checkin_uuid, model_name[node]);
		char *row = tu_text(s, sql), uuid[40];
		long long at;
		assert_non_null(row);
		assert_int_equal(sscanf(row, "%39s %lld", uuid, &at), 2);
		model_add(m, uuid, m->guest[g], "undo", o.checkin_uuid, at, model_name[node]);
		m->t.undone++;
		free(row);
		free(sql);
	}
	checkin_outcome_clear(&o);
}

static void
model_walkin(struct model *m, int node)
{
	if (m->nguests == MODEL_GUESTS) {
		model_scan(m, node);
		return;
	}
	char last[32];
	snprintf(last, sizeof last, "Walkin%d", m->nguests);
	struct guest_fields f = { .first_name = "Wanda", .last_name = last };
	struct guest g;
	char *cause = NULL;
	if (guest_add_walkin(model_node(m, node), &f, model_name[node], &g, &cause) != 0)
		fail_msg("seed %u: walk-in at %s: %s", m->seed, model_name[node], cause);
	m->code[m->nguests] = xstrdup(g.code);
	m->guest[m->nguests] = xstrdup(g.uuid);
	m->born[m->nguests++] = node;
	guest_clear(&g);
}

/* A ticket cancelled or reinstated where it is known. */
static void
model_cancel(struct model *m, int node)
{
	int g = (int)model_rand(m, (uint32_t)m->nguests);
	if (!model_knows(m, node, g))
		return;
	char *sql = xasprintf("SELECT cancelled FROM guest WHERE uuid = '%s'", m->guest[g]);
	bool was = tu_count(model_node(m, node), sql) == 1;
	free(sql);
	struct guest gu;
	char *cause = NULL;
	if (guest_set_cancelled(model_node(m, node), m->code[g], !was, node == MODEL_HUB ?
	    "organiser" : model_name[node], &gu, &cause) != 0)
		fail_msg("seed %u: cancel at %s: %s", m->seed, model_name[node], cause);
	guest_clear(&gu);
	m->t.cancels++;
}

/* While a batch or a page is on its way, the door (or the hub) goes on
 * scanning: sync runs beside the door on its own thread. */
static void
model_meanwhile(struct model *m, int door)
{
	if (model_rand(m, 4) != 0)
		return;
	model_scan(m, model_rand(m, 3) ? door : MODEL_HUB);
	m->t.meanwhile++;
}

/* Batch b of door stored on the hub, as its push would be. */
static void
model_store(struct model *m, int door, struct repl_batch *b, struct repl_counts *stored,
    struct repl_counts *known)
{
	char *cause = NULL;
	json_t *body = batch_json(b);
	bool too_big;
	if (repl_store_push(m->n->hub, model_name[door], body, stored, known, &too_big,
	    &cause) != REPL_OK)
		fail_msg("seed %u: push from %s: %s", m->seed, model_name[door], cause);
	json_decref(body);
}

/* Up to a few batches of a few check-ins from a door, as a round that is
 * cut short sends them; the last answer perhaps lost: the hub stored the
 * batch, the door marks nothing and sends it again later. */
static void
model_push(struct model *m, int door)
{
	int batch = 1 + (int)model_rand(m, 4), batches = 1 + (int)model_rand(m, 3);
	bool lose = model_rand(m, 3) == 0;
	struct store *k = m->n->k[door];
	char *cause = NULL;
	for (int i = 0; i < batches; i++) {
		struct repl_batch *b = NULL;
		assert_int_equal(repl_collect(k, batch, model_rand(m, 2) == 0, &b, &cause), 0);
		if (b == NULL)
			break;
		struct repl_counts stored, known;
		model_store(m, door, b, &stored, &known);
		json_t *answer = json_pack("{s:{s:i}, s:{s:i}}", "stored", "checkins",
		    stored.checkins, "known", "checkins", known.checkins);
		assert_int_equal(repl_push_verdict(b, answer), REPL_TAKEN);
		json_decref(answer);
		model_meanwhile(m, door);
		if (lose && i == batches - 1) {
			m->t.lost++;
		} else {
			assert_int_equal(repl_batch_done(k, b, &cause), 0);
		}
		repl_batch_free(b);
	}
}

/* The hub's page after pos, as the wire carries it: written out as kiosk
 * hub writes it (its check-ins kept for the next door that asks), or, at
 * random, without the cache. */
static json_t *
model_page(struct model *m, const char *device, const struct repl_pos *pos, int limit,
    bool rows)
{
	char *cause = NULL;
	if (model_rand(m, 2) == 0) {
		json_t *page = repl_read_pull(m->n->hub, device, pos->guests, pos->checkins, limit,
		    rows, &cause);
		assert_non_null(page);
		json_t *w = wire(page);
		json_decref(page);
		return w;
	}
	size_t len;
	char *text = repl_read_pull_text(m->n->hub, m->cache, device, pos->guests,
	    pos->checkins, limit, rows, -1, 0, &len, &cause);
	if (text == NULL)
		fail_msg("seed %u: a page: %s", m->seed, cause);
	json_t *w = json_loadb(text, len, 0, NULL);
	assert_non_null(w);
	free(text);
	return w;
}

/* Up to a few pages of a few records, as rows or objects, asked as this
 * version asks (mine=0) or as an older kiosk (mine=1); a page perhaps
 * applied twice (fetched again after a cut answer), the pull perhaps cut
 * short before the last page. */
static void
model_pull(struct model *m, int door)
{
	int limit = 1 + (int)model_rand(m, 3), pages = 1 + (int)model_rand(m, 4);
	bool rows = model_rand(m, 2) == 0, mine = model_rand(m, 2) == 0;
	struct store *k = m->n->k[door];
	char *cause = NULL;
	for (int i = 0; i < pages; i++) {
		struct repl_pos pos;
		struct repl_counts got;
		bool more;
		assert_int_equal(repl_cursors(k, &pos, &cause), 0);
		json_t *w = model_page(m, mine ? model_name[door] : NULL, &pos, limit, rows);
		model_meanwhile(m, door);
		int twice = model_rand(m, 5) == 0 ? 2 : 1;
		for (int j = 0; j < twice; j++)
			if (repl_apply_pull(k, w, &pos, &got, &more, &cause) != 0)
				fail_msg("seed %u: pull at %s: %s", m->seed, model_name[door],
				    cause);
		json_decref(w);
		m->t.twice += twice - 1;
		if (!more)
			return;
	}
	m->t.cut++;
}

/* A door's program, or the hub's, stops and starts again: a new connection
 * to its file. */
static void
model_restart(struct model *m, int node)
{
	struct store **s = node == MODEL_HUB ? &m->n->hub : &m->n->k[node];
	char *path = xstrdup(store_path(*s)), *cause = NULL;
	store_close(*s);
	if (store_open(path, STORE_VERIFY, NULL, s, &cause) != 0)
		fail_msg("seed %u: restart %s: %s", m->seed, model_name[node], cause);
	free(path);
	m->t.restarts++;
}

/* kiosk sync --start-over at a door, perhaps while its app's batch is on
 * its way: every record goes again, and the batch marks nothing sent. */
static void
model_start_over(struct model *m, int door)
{
	struct store *k = m->n->k[door];
	struct repl_batch *b = NULL;
	char *cause = NULL;
	if (model_rand(m, 2) == 0)
		assert_int_equal(repl_collect(k, 1 + (int)model_rand(m, 4), false, &b, &cause), 0);
	assert_int_equal(repl_start_over(k, NULL, &cause), 0);
	if (b != NULL) {
		struct repl_counts stored, known;
		model_store(m, door, b, &stored, &known);
		assert_int_equal(repl_batch_done(k, b, &cause), 0);
		repl_batch_free(b);
	}
	m->t.start_overs++;
}

/* One random step. The weights favour scans, which make the rows to lose,
 * and pushes and pulls, which could lose them. */
static void
model_step(struct model *m)
{
	int door = (int)model_rand(m, 3);
	int op = (int)model_rand(m, 32);
	if (op < 9)
		model_scan(m, door);
	else if (op < 11)
		model_twin_scan(m, door);
	else if (op < 13)
		model_scan(m, MODEL_HUB);
	else if (op < 16)
		model_undo(m, model_rand(m, 4) ? door : MODEL_HUB);
	else if (op < 17)
		model_walkin(m, door);
	else if (op < 18)
		model_cancel(m, model_rand(m, 4) ? door : MODEL_HUB);
	else if (op < 23)
		model_push(m, door);
	else if (op < 28)
		model_pull(m, door);
	else if (op < 29)
		model_restart(m, model_rand(m, 4) ? door : MODEL_HUB);
	else if (op < 30 && model_rand(m, 3) == 0)
		model_start_over(m, door);
	else
		sync_one(m->n, door);
	/* The clock moves on, or stands still (two doors in one millisecond). */
	if (model_rand(m, 4) != 0)
		m->now += 1 + model_rand(m, 3000);
}

/* Where guest stands by the model's rows, folded as guest_state folds a
 * node's: the rows not undone, by time and then uuid. */
struct model_state {
	int ins, outs, duplicates;
	bool inside;
	int64_t first_in_at, last_at;
	const char *first_in_kiosk, *last_in_uuid;
};

static bool
model_undone(const struct model *m, const char *uuid)
{
	for (int i = 0; i < m->nev; i++)
		if (strcmp(m->ev[i].kind, "undo") == 0 && strcmp(m->ev[i].undoes, uuid) == 0)
			return true;
	return false;
}

static int
model_event_order(const void *a, const void *b)
{
	const struct model_event *x = *(const struct model_event *const *)a;
	const struct model_event *y = *(const struct model_event *const *)b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return strcmp(x->uuid, y->uuid);
}

static struct model_state
model_fold(const struct model *m, const char *guest)
{
	const struct model_event **e = xcalloc((size_t)m->nev + 1, sizeof *e);
	size_t n = 0;
	for (int i = 0; i < m->nev; i++)
		if (strcmp(m->ev[i].guest, guest) == 0 && strcmp(m->ev[i].kind, "undo") != 0 &&
		    !model_undone(m, m->ev[i].uuid))
			e[n++] = &m->ev[i];
	qsort(e, n, sizeof *e, model_event_order);
	struct model_state st = { .first_in_kiosk = "", .last_in_uuid = "" };
	for (size_t i = 0; i < n; i++) {
		st.last_at = e[i]->at;
		if (strcmp(e[i]->kind, "out") == 0) {
			st.outs++;
			st.inside = false;
			continue;
		}
		if (st.ins++ == 0) {
			st.first_in_at = e[i]->at;
			st.first_in_kiosk = e[i]->kiosk;
		}
		/* an entry after an entry: two doors let the ticket in (the
		 * run keeps to one day, where attend counts it so) */
		st.duplicates += i > 0 && strcmp(e[i - 1]->kind, "in") == 0;
		st.inside = true;
		st.last_in_uuid = e[i]->uuid;
	}
	free(e);
	return st;
}

/* Every row of the model is on node, as it was written. */
static void
model_all_there(struct model *m, int node)
{
	struct store *s = model_node(m, node);
	for (int i = 0; i < m->nev; i++) {
		const struct model_event *e = &m->ev[i];
		char *sql = xasprintf("SELECT at || ' ' || kind || ' ' || coalesce(undoes, '') ||"
		    " ' ' || guest_uuid || ' ' || kiosk FROM checkin WHERE uuid = '%s'", e->uuid);
		char *got = tu_text(s, sql);
		char *want = xasprintf("%lld %s %s %s %s", (long long)e->at, e->kind, e->undoes,
		    e->guest, e->kiosk);
		if (got == NULL || strcmp(got, want) != 0)
			fail_msg("seed %u: %s's check-in %s (%s) at %s: %s", m->seed, e->kiosk,
			    e->uuid, want, model_name[node], got ? got : "lost");
		free(sql);
		free(got);
		free(want);
	}
	/* and nothing else: no row the model does not know of */
	if (tu_count(s, "SELECT count(*) FROM checkin") != m->nev)
		fail_msg("seed %u: %s holds %lld check-ins, %d were written", m->seed,
		    model_name[node], tu_count(s, "SELECT count(*) FROM checkin"), m->nev);
}

/* What node answers at a scan of guest g, without writing: its facts
 * (guest_state, as checkin_scan reads them) and the decision of each kind
 * of door. Checks the state against the model's fold. Returns the answer
 * as a line, to compare nodes (caller frees). */
static char *
model_answer(struct model *m, int node, int g)
{
	struct store *s = model_node(m, node);
	struct guest gu;
	struct guest_state gs;
	char *cause = NULL;
	if (guest_find_by_code(s, m->code[g], &gu, &cause) != 1)
		fail_msg("seed %u: guest %d unknown at %s", m->seed, g, model_name[node]);
	assert_int_equal(guest_state(s, gu.uuid, 0, &gs, &cause), 0);
	struct model_state want = model_fold(m, m->guest[g]);
	if (gs.ins != want.ins || gs.outs != want.outs || gs.inside != want.inside ||
	    gs.first_in_at != want.first_in_at || gs.last_at != want.last_at ||
	    strcmp(gs.first_in_kiosk, want.first_in_kiosk) != 0 ||
	    strcmp(gs.last_in_uuid, want.last_in_uuid) != 0)
		fail_msg("seed %u: guest %d at %s: %d in, %d out, inside %d, first %lld at %s;"
		    " the model: %d in, %d out, inside %d, first %lld at %s", m->seed, g,
		    model_name[node], gs.ins, gs.outs, gs.inside, (long long)gs.first_in_at,
		    gs.first_in_kiosk, want.ins, want.outs, want.inside,
		    (long long)want.first_in_at, want.first_in_kiosk);
	struct checkin_facts f = { .valid = true, .found = true, .cancelled = gu.cancelled,
		.ticket_type = gu.ticket_type, .ins = gs.ins, .inside = gs.inside };
	struct checkin_policy once = { 0 }, again = { .reentry = true },
	    out = { .exit_mode = true };
	char *line = xasprintf("%s cancelled %d, %d in, %d out, inside %d, first %lld at %s: %s,"
	    " %s, %s", m->code[g], gu.cancelled, gs.ins, gs.outs, gs.inside,
	    (long long)gs.first_in_at, gs.first_in_kiosk,
	    checkin_result_name(checkin_decide(&f, &once, m->now)),
	    checkin_result_name(checkin_decide(&f, &again, m->now)),
	    checkin_result_name(checkin_decide(&f, &out, m->now)));
	guest_clear(&gu);
	return line;
}

/* The figures of node, as one line. */
static char *
model_figures(struct model *m, int node, struct attend_stats *st)
{
	char *cause = NULL;
	if (attend_stats(model_node(m, node), st, &cause) != 0)
		fail_msg("seed %u: figures at %s: %s", m->seed, model_name[node], cause);
	return xasprintf("registered %d, checked in %d, walk-ins %d, no-shows %d, cancelled %d"
	    " (%d after they came), duplicate entries %d", st->registered, st->checked_in,
	    st->walkins, st->no_shows, st->cancelled, st->cancelled_after_checkin,
	    st->duplicate_entries);
}

/* Every node answers alike for every guest, as the model does, and the
 * figures agree everywhere and with the model. */
static void
model_same_answers(struct model *m)
{
	int came = 0, duplicates = 0;
	for (int g = 0; g < m->nguests; g++) {
		char *hub = model_answer(m, MODEL_HUB, g);
		for (int i = 0; i < 3; i++) {
			char *door = model_answer(m, i, g);
			if (strcmp(door, hub) != 0)
				fail_msg("seed %u: %s answers %s; the hub %s", m->seed,
				    model_name[i], door, hub);
			free(door);
		}
		free(hub);
		struct model_state want = model_fold(m, m->guest[g]);
		came += want.ins > 0;
		duplicates += want.duplicates;
	}
	struct attend_stats st;
	char *hub = model_figures(m, MODEL_HUB, &st);
	if (st.checked_in != came || st.duplicate_entries != duplicates)
		fail_msg("seed %u: the hub's figures: %s; the model: %d checked in, %d duplicate"
		    " entries", m->seed, hub, came, duplicates);
	attend_stats_free(&st);
	for (int i = 0; i < 3; i++) {
		char *door = model_figures(m, i, &st);
		if (strcmp(door, hub) != 0)
			fail_msg("seed %u: %s's figures: %s; the hub's: %s", m->seed, model_name[i],
			    door, hub);
		attend_stats_free(&st);
		free(door);
	}
	free(hub);
}

/* All nodes hold the same check-ins and guests (assert_all_equal, with the
 * seed said). */
static void
model_same_sets(struct model *m)
{
	char *hc = checkin_set(m->n->hub), *hg = guest_set(m->n->hub);
	for (int i = 0; i < 3; i++) {
		char *c = checkin_set(m->n->k[i]), *g = guest_set(m->n->k[i]);
		if (strcmp(c, hc) != 0)
			fail_msg("seed %u: %s's check-ins:\n%s\nthe hub's:\n%s", m->seed,
			    model_name[i], c, hc);
		if (strcmp(g, hg) != 0)
			fail_msg("seed %u: %s's guests:\n%s\nthe hub's:\n%s", m->seed, model_name[i],
			    g, hg);
		free(c);
		free(g);
	}
	free(hc);
	free(hg);
}

/* Nothing waits at any door, every audit row written is on the hub, and
 * a round more moves nothing. */
static void
model_at_rest(struct model *m)
{
	char *cause = NULL;
	int all = m->scans[MODEL_HUB];
	for (int i = 0; i < 3; i++) {
		struct store *k = m->n->k[i];
		int64_t waiting = -1;
		assert_int_equal(repl_waiting(k, &waiting, &cause), 0);
		if (waiting != 0 ||
		    tu_count(k, "SELECT count(*) FROM checkin WHERE pushed = 0") != 0 ||
		    tu_count(k, "SELECT count(*) FROM scan WHERE pushed = 0") != 0 ||
		    tu_count(k, "SELECT count(*) FROM guest WHERE dirty") != 0)
			fail_msg("seed %u: %s still has %lld records waiting", m->seed,
			    model_name[i], (long long)waiting);
		char *sql = xasprintf("SELECT count(*) FROM scan WHERE kiosk = '%s'", model_name[i]);
		if (tu_count(k, "SELECT count(*) FROM scan") != m->scans[i] ||
		    tu_count(m->n->hub, sql) != m->scans[i])
			fail_msg("seed %u: %s scanned %d times; it has %lld audit rows, the hub"
			    " %lld", m->seed, model_name[i], m->scans[i],
			    tu_count(k, "SELECT count(*) FROM scan"), tu_count(m->n->hub, sql));
		free(sql);
		all += m->scans[i];
		struct repl_counts pushed = push(k, m->n->hub, model_name[i], 3);
		struct repl_counts pulled = pull(k, m->n->hub, model_name[i], 2);
		if (pushed.guests + pushed.checkins + pushed.scans + pulled.guests +
		    pulled.checkins + pulled.conflicts != 0)
			fail_msg("seed %u: a round more at %s pushed %d guests, %d check-ins, %d"
			    " scans and pulled %d guests, %d check-ins", m->seed, model_name[i],
			    pushed.guests, pushed.checkins, pushed.scans, pulled.guests,
			    pulled.checkins);
	}
	assert_int_equal(tu_count(m->n->hub, "SELECT count(*) FROM scan"), all);
}

/* Pairs of rows of one guest at two doors in one millisecond, in the model. */
static int
model_same_ms(const struct model *m)
{
	int pairs = 0;
	for (int i = 0; i < m->nev; i++)
		for (int j = i + 1; j < m->nev; j++)
			pairs += m->ev[i].at == m->ev[j].at &&
			    strcmp(m->ev[i].guest, m->ev[j].guest) == 0 &&
			    strcmp(m->ev[i].kiosk, m->ev[j].kiosk) != 0 &&
			    strcmp(m->ev[i].kind, "undo") != 0 && strcmp(m->ev[j].kind, "undo") != 0;
	return pairs;
}

/* The run: the hub's eight guests synced to the doors, steps random steps
 * from seed, then every door syncs (as often as the merges of guests need:
 * a door's merged copy goes out at its next push), and the checks. */
static void
checkins_converge(struct net *n, uint32_t seed, int steps)
{
	struct model *m = xcalloc(1, sizeof *m);
	m->n = n;
	m->seed = m->rnd = seed;
	m->now = T0;
	m->cache = repl_cache_new();
	static const char *const names[] = { "Aerts", "Bos", "Claes", "Dirix", "Engels", "Faes",
		"Goossens", "Hermans" };
	for (int i = 0; i < 8; i++) {
		struct guest_fields f = { .first_name = "Rita", .last_name = names[i] };
		struct guest g;
		char *cause = NULL;
		assert_int_equal(guest_add_walkin(n->hub, &f, "hub", &g, &cause), 0);
		m->code[i] = xstrdup(g.code);
		m->guest[i] = xstrdup(g.uuid);
		m->born[i] = -1;
		m->nguests++;
		guest_clear(&g);
	}
	sync_all(n);
	for (int step = 0; step < steps; step++)
		model_step(m);
	sync_all(n);
	sync_all(n);
	for (int i = 0; i < MODEL_NODES; i++)
		model_all_there(m, i);
	model_same_sets(m);
	model_same_answers(m);
	model_at_rest(m);
	model_same_sets(m);
	/* the run did what it claims to test */
	const struct model_tally *t = &m->t;
	int duplicates = 0, same_ms = model_same_ms(m);
	for (int g = 0; g < m->nguests; g++)
		duplicates += model_fold(m, m->guest[g]).duplicates;
	if (t->admitted == 0 || t->exited == 0 || t->refused == 0 || t->undone == 0 ||
	    t->walkin_elsewhere == 0 || t->on_hub == 0 || t->cancels == 0 || t->lost == 0 ||
	    t->twice == 0 || t->cut == 0 || t->restarts == 0 || t->meanwhile == 0 ||
	    t->start_overs == 0 || duplicates == 0 || same_ms == 0)
		fail_msg("seed %u covers too little: %d admitted, %d exited, %d refused, %d undone,"
		    " %d walk-ins scanned elsewhere, %d on the hub, %d cancels, %d answers lost,"
		    " %d pages twice, %d pulls cut, %d restarts, %d scans meanwhile, %d start-overs,"
		    " %d duplicate entries, %d pairs in one millisecond", seed, t->admitted,
		    t->exited, t->refused, t->undone, t->walkin_elsewhere, t->on_hub, t->cancels,
		    t->lost, t->twice, t->cut, t->restarts, t->meanwhile, t->start_overs,
		    duplicates, same_ms);
	for (int i = 0; i < m->nguests; i++) {
		free(m->code[i]);
		free(m->guest[i]);
	}
	repl_cache_free(m->cache);
	free(m);
}

static void
test_checkins_converge_in_any_order(void **state)
{
	checkins_converge(*state, 7, 500);
}

static void
test_checkins_converge_in_another_order(void **state)
{
	checkins_converge(*state, 20261128, 500);
}

static void
test_checkins_converge_in_a_third_order(void **state)
{
	checkins_converge(*state, 424242, 500);
}

/* Three doors cancel one ticket offline, and the hub corrects the name
 * after: the latest of the cancels' stamps, which changes nothing anyone
 * sees, still ends on every node (all nodes end equal), whether its door
 * pulls before it pushes (Door 3) or not. */
static void
test_later_stamp_of_a_cancel_reaches_every_door(void **state)
{
	struct net *n = *state;
	char *a = add_guest(n->hub, "Rita", "Janssens");
	sync_all(n);
	struct guest g;
	char *cause = NULL;
	int64_t latest = 0;
	for (int i = 0; i < 3; i++) {
		char door[32];
		snprintf(door, sizeof door, "Door %d", i + 1);
		assert_int_equal(guest_set_cancelled(n->k[i], a, true, door, &g, &cause), 0);
		latest = g.updated_at;
		guest_clear(&g);
		usleep(3000);
	}
	rename_on_hub(n->hub, a, "Jansen");
	push(n->k[0], n->hub, "Door 1", 3);    /* news on the hub: Jansen, cancelled */
	pull(n->k[2], n->hub, "Door 3", 2);    /* its later stamp kept, to send */
	push(n->k[1], n->hub, "Door 2", 3);    /* the same cancel, stamped later */
	sync_all(n);
	assert_all_equal(n);
	struct store *all[4] = { n->hub, n->k[0], n->k[1], n->k[2] };
	for (int i = 0; i < 4; i++)
		assert_int_equal(tu_count(all[i], "SELECT cancelled_at FROM guest WHERE cancelled"
		    " AND last_name = 'Jansen'"), latest);
	free(a);
}

/* A hub whose event is one of days ([checkin] each_day) says so in its
 * pages, and its doors take it so (they decide alike, whatever each
 * kiosk.conf says); and no longer when the hub stops saying it. */
static void
test_doors_learn_the_event_is_one_of_days(void **state)
{
	struct net *n = *state;
	char *a = add_guest(n->hub, "Rita", "Janssens");
	char *cause = NULL;
	sync_all(n);
	assert_false(repl_each_day(n->k[0], false));
	store_set_each_day(n->hub, true);
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_true(repl_each_day(n->k[0], false));
	assert_false(repl_each_day(n->k[1], false)); /* not pulled yet */
	/* whose word holds: a hub's, both ways, once one has spoken, also at
	 * a door made the hub or taken off it; a kiosk no hub has spoken
	 * to, its own */
	struct store *fresh = tu_store(n->dir, "fresh.db");
	assert_true(repl_each_day(fresh, true));
	assert_false(repl_each_day(fresh, false));
	store_close(fresh);
	assert_true(repl_each_day(n->k[0], false));
	assert_true(repl_each_day(n->k[0], true));
	assert_false(repl_each_day(n->k[2], true)); /* the hub said no */
	store_set_each_day(n->hub, false);
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_false(repl_each_day(n->k[0], false));
	assert_false(repl_each_day(n->k[0], true));
	/* a hub of an older version says nothing: what is known stays */
	store_set_each_day(n->hub, true);
	pull(n->k[1], n->hub, "Door 2", 10);
	assert_true(repl_each_day(n->k[1], false));
	json_t *page = repl_read_pull(n->hub, "Door 2", 0, 0, 10, false, &cause);
	assert_non_null(page);
	json_object_del(page, "each_day");
	bool more = false;
	struct repl_counts got = { 0 };
	assert_int_equal(repl_apply_pull(n->k[1], page, NULL, &got, &more, &cause), 0);
	json_decref(page);
	assert_true(repl_each_day(n->k[1], false));
	free(a);
}

/* A file that only cancels (a refunds list) imported at a door that had
 * not pulled the hub's correction of the name: as kiosk cancel, it keeps
 * the fields' stamp, and the correction stays. */
static void
test_import_that_only_cancels_keeps_a_correction(void **state)
{
	struct net *n = *state;
	char *a = add_guest(n->hub, "Rita", "Janssens");
	sync_all(n);
	rename_on_hub(n->hub, a, "Jansen");
	usleep(3000);
	char *csv = xasprintf("Barcode #,First Name,Last Name,Order status\n%s,Rita,Janssens,"
	    "Cancelled\n", a);
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "refunds.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(n->k[0], p, false, "Door 1", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.updated, 1);
	import_free(p);
	free(csv);
	sync_all(n);
	assert_all_equal(n);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM guest WHERE cancelled"
	    " AND last_name = 'Jansen'"), 1);
	free(a);
}

/* A hub of an older version (before fields_at) keeps none and sends none
 * back (here: the door's pushes lose it on the way). A ticket cancelled
 * at a new door moves once, then the door and hub agree: the copy the hub
 * serves back is the door's own write, not news. */
static void
test_old_hub_takes_a_cancel_once(void **state)
{
	struct net *n = *state;
	char *a = add_guest(n->hub, "Rita", "Janssens");
	sync_all(n);
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_set_cancelled(n->k[0], a, true, "Door 1", &g, &cause), 0);
	guest_clear(&g);
	unsigned moved = 0;
	for (int round = 0; round < 4; round++) {
		usleep(2000);
		struct repl_batch *b = NULL;
		assert_int_equal(repl_collect(n->k[0], 100, false, &b, &cause), 0);
		if (b != NULL) {
			json_t *body = batch_json(b);
			size_t i;
			json_t *v;
			json_array_foreach(json_object_get(body, "guests"), i, v)
				json_object_del(v, "fields_at");
			struct repl_counts stored, known;
			bool too_big;
			assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known,
			    &too_big, &cause), REPL_OK);
			moved += stored.guests;
			json_decref(body);
			assert_int_equal(repl_batch_done(n->k[0], b, &cause), 0);
			repl_batch_free(b);
		}
		assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE guest SET fields_at = NULL",
		    NULL, NULL, NULL), SQLITE_OK);
		moved += pull(n->k[0], n->hub, "Door 1", 10).guests;
	}
	assert_int_equal(moved, 1);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE dirty"), 0);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM guest WHERE cancelled"), 1);
	free(a);
}

/* An extra field an import kept holds no control character either: what
 * the hub imported, the doors pull as it is (a C1 control from text read
 * once as Latin-1 is a '?' on import, as on a push; NEL a space). */
static void
test_imported_extras_are_pulled_as_they_are(void **state)
{
	struct net *n = *state;
	assert_int_equal(tu_import_csv(n->hub, "Barcode #,First Name,Last Name,Notes\n"
	    "X-1,Rita,Aerts,a\xc2\x85" "b\xc2\x9b" "c\n"), 0);
	sync_all(n);
	char *h = tu_text(n->hub, "SELECT extra FROM guest"), *d = tu_text(n->k[0],
	    "SELECT extra FROM guest");
	assert_string_equal(h, "{\"Notes\":\"a b?c\"}");
	assert_string_equal(h, d);
	free(h);
	free(d);
}

/* A hub or door of an older version sends no cancelled_at: its record's
 * stamp is its cancellation's, as it was for every node before. */
static void
test_cancellation_of_an_older_kiosk_goes_by_its_record(void **state)
{
	struct net *n = *state;
	char *a = add_guest(n->hub, "Olaf", "Oud");
	sync_all(n);
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_set_cancelled(n->k[0], a, true, "Door 1", &g, &cause), 0);
	guest_clear(&g);
	usleep(5000);
	rename_on_hub(n->hub, a, "Ouder");
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	json_t *page = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, 10, true, &cause);
	assert_non_null(page);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(page, "guests"), i, v)
		json_object_del(v, "cancelled_at");
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE last_name = 'Ouder'"
	    " AND NOT cancelled"), 1);
	/* a walk-in an older kiosk wrote into a database a newer one had
	 * migrated (cancelled_at 0) still syncs, its record's stamp for it */
	char *w = add_guest(n->k[1], "Wim", "Oud");
	assert_int_equal(sqlite3_exec(store_db(n->k[1]), "UPDATE guest SET cancelled_at = 0"
	    " WHERE last_name = 'Oud' AND first_name = 'Wim'", NULL, NULL, NULL), SQLITE_OK);
	sync_all(n);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM guest WHERE first_name = 'Wim'"
	    " AND cancelled_at = updated_at"), 1);
	free(w);
	free(a);
}

/* A forged push with a terminal's escape in a name, a tab before a
 * formula, a door name that is a formula: stored printable ('?' for each
 * control byte), as import and kiosk add would never store them, rather
 * than reach the organiser's terminal or spreadsheet as they came. */
static void
test_pushed_control_characters_made_printable(void **state)
{
	struct net *n = *state;
	push_text(n->hub, "Door 1", "{\"guests\": [{\"uuid\": \"6f1c0000-0000-4000-8000-00000000e5c1\","
	    " \"code\": \"ESC-1\", \"first_name\": \"\\u001b[2J\\u009b31mPWNED\","
	    " \"last_name\": \"\\t=HYPERLINK(1)\", \"company\": \"\\r=1+1\","
	    " \"source\": \"walkin\", \"updated_by\": \"Door 1\", \"created_at\": 1779370000000,"
	    " \"updated_at\": 1779370000000, \"extra\": {\"Job\\u001b\": \"\\t=1+1\\u0085\","
	    " \"Seats\": 2, \"Notes\": {\"a\": \"\\u0007\"}}}],"
	    " \"checkins\": [{\"uuid\": \"0b9e6c1a-0000-4000-8000-0000000000e5\","
	    " \"guest\": \"6f1c0000-0000-4000-8000-00000000e5c1\", \"kind\": \"in\","
	    " \"at\": 1779370000000, \"kiosk\": \"\\t=2+2\"}]}");
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM guest WHERE code = 'ESC-1'"
	    " AND first_name = '?[2J??31mPWNED' AND last_name = '?=HYPERLINK(1)'"
	    " AND company = '?=1+1'"), 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"
	    " WHERE uuid = '0b9e6c1a-0000-4000-8000-0000000000e5' AND kiosk = '?=2+2'"), 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM guest WHERE"
	    " first_name GLOB '*[\x01-\x1f]*' OR last_name GLOB '*[\x01-\x1f]*'"), 0);
	/* the extra fields as an import keeps them: text only, printable */
	char *extra = tu_text(n->hub, "SELECT extra FROM guest WHERE code = 'ESC-1'");
	assert_string_equal(extra, "{\"Job?\":\"?=1+1??\",\"Seats\":\"2\","
	    "\"Notes\":\"{\\\"a\\\":\\\"\\\\u0007\\\"}\"}");
	free(extra);
	/* a check-in pushed as a row: its kiosk and its scan's result too */
	push_text(n->hub, "Door 1", "{\"checkin_rows\": \"0b9e6c1a-0000-4000-8000-0000000000e6"
	    "\\t6f1c0000-0000-4000-8000-00000000e5c1\\tout\\t1779370001000\\t\\u001b=3+3"
	    "\\t\\t\\u001b[2J\\n\"}");
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"
	    " WHERE uuid = '0b9e6c1a-0000-4000-8000-0000000000e6' AND kiosk = '?=3+3'"), 1);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM scan"
	    " WHERE result GLOB '*[\x01-\x1f]*' OR kiosk GLOB '*[\x01-\x1f]*'"), 0);
}

/* Repeat unit n times, between open and close, into a new string. */
static char *
repeated(const char *open, const char *unit, size_t n, const char *close, size_t *len)
{
	size_t u = strlen(unit), o = strlen(open), c = strlen(close);
	char *t = malloc(o + u * n + c + 1);
	assert_non_null(t);
	memcpy(t, open, o);
	for (size_t i = 0; i < n; i++)
		memcpy(t + o + i * u, unit, u);
	memcpy(t + o + u * n, close, c + 1);
	*len = o + u * n + c;
	return t;
}

/* A body of many tiny values is refused before jansson builds them (22
 * million objects took 5 GB); the fullest push a door sends is taken. */
static void
test_json_values_are_counted_before_parsing(void **state)
{
	(void)state;
	json_t *guests = json_array(), *checkins = json_array(), *scans = json_array();
	for (int i = 0; i < REPL_MAX_RECORDS; i++) {
		json_array_append_new(guests, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		    "s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}}",
		    "uuid", "0b9e6c1a-0000-4000-8000-0000000000aa", "code", "ST26-ABCDEFGHJKMNP",
		    "ext_id", "1234", "first_name", "Zoë", "last_name", "Çelik", "email", "z@x.org",
		    "company", "Acme", "ticket_type", "VIP", "handle", "@z", "language", "nl",
		    "source", "import", "cancelled", 0, "created_at", T0, "updated_at", T0,
		    "fields_at", T0, "cancelled_at", T0, "updated_by", "Door 1", "extra", "Diet", "v",
		    "T-shirt", "M", "Job", "x", "City", "Gent", "Phone", "0", "Notes", ""));
		json_array_append_new(checkins, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}",
		    "uuid", "0b9e6c1a-0000-4000-8000-0000000000ab", "guest",
		    "0b9e6c1a-0000-4000-8000-0000000000aa", "kind", "in", "at", T0, "kiosk",
		    "Door 1", "scan", "admitted", "origin", "Door 1"));
		json_array_append_new(scans, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "uuid",
		    "0b9e6c1a-0000-4000-8000-0000000000ac", "at", T0, "kiosk", "Door 1", "code",
		    "ST26-ABCDEFGHJKMNP", "result", "admitted", "guest",
		    "0b9e6c1a-0000-4000-8000-0000000000aa"));
	}
	json_t *push = json_pack("{s:o, s:o, s:o}", "guests", guests, "checkins", checkins,
	    "scans", scans);
	char *text = json_dumps(push, JSON_COMPACT);
	assert_true(repl_json_within(text, strlen(text)));
	free(text);
	json_decref(push);

	size_t len;
	text = repeated("{\"x\":[", "{},", REPL_JSON_CONTAINERS, "{}]}", &len);
	assert_false(repl_json_within(text, len));
	free(text);
	text = repeated("[", "0,", REPL_JSON_TOKENS, "0]", &len);
	assert_false(repl_json_within(text, len));
	free(text);
	text = repeated("[", "0,", REPL_JSON_TOKENS - 2, "0]", &len);
	assert_true(repl_json_within(text, len));
	free(text);
	/* what is in a string is no value, an escaped quote no end of it */
	text = repeated("{\"x\": \"\\\"", "{},", REPL_JSON_CONTAINERS + 1, "\"}", &len);
	assert_true(repl_json_within(text, len));
	free(text);
}

static void
test_malformed_push_stores_nothing(void **state)
{
	struct net *n = *state;
	struct repl_counts stored, known;
	bool too_big = false;
	char *cause = NULL;
	json_t *body = json_loads("{\"checkins\": ["
	    "{\"uuid\": \"0b9e6c1a-0000-4000-8000-000000000001\", \"guest\": \"6f1c0000-aaaa\","
	    " \"kind\": \"in\", \"at\": 1779370000000, \"kiosk\": \"Door 1\"},"
	    "{\"uuid\": \"0b9e6c1a-0000-4000-8000-000000000002\", \"guest\": \"6f1c0000-aaaa\","
	    " \"kind\": \"in\", \"at\": \"19:02\", \"kiosk\": \"Door 1\"}]}", 0, NULL);
	assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known, &too_big,
	    &cause), REPL_BAD);
	assert_string_equal(cause, "checkins[1].at: expected an integer");
	assert_false(too_big);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 0);
	json_decref(body);

	static const char *const bad[][2] = {
		{ "[]", "the body must be a JSON object" },
		{ "{\"checkins\": {}}", "checkins: expected an array" },
		{ "{\"guests\": [{\"uuid\": \"x\"}]}", "guests[0].uuid: not a UUID" },
		{ "{\"checkins\": [{\"uuid\": \"0b9e6c1a-1\", \"guest\": \"6f1c0000\", \"kind\":"
		  " \"undo\", \"at\": 1779370000000, \"kiosk\": \"D\"}]}",
		  "checkins[0].undoes: missing (an undo names the check-in it cancels)" },
		{ "{\"checkins\": [{\"uuid\": \"0b9e6c1a-1\", \"guest\": \"6f1c0000\", \"kind\":"
		  " \"in\", \"at\": 1779370000, \"kiosk\": \"D\"}]}",
		  "checkins[0].at: not a time in milliseconds since 1970" },
		{ "{\"scans\": [{\"uuid\": \"0b9e6c1a-1\", \"at\": 1779370000000, \"kiosk\": \"D\","
		  " \"code\": 5, \"result\": \"x\"}]}", "scans[0].code: expected a string" },
		{ "{\"checkins\": [{\"uuid\": \"0b9e6c1\", \"guest\": \"6f1c0000\", \"kind\":"
		  " \"in\", \"at\": 1779370000000, \"kiosk\": \"D\"}]}",
		  "checkins[0].uuid: not a UUID" },
		{ "{\"scans\": [{\"uuid\": \"0b9e6c1a-1\", \"at\": 1779370000000, \"kiosk\": \"D\","
		  " \"code\": \"C\", \"result\": \"123456789012345678901234567890123\"}]}",
		  "scans[0].result: longer than 32 bytes" },
		{ "{\"guests\": [{\"uuid\": \"6f1c0000-aaaa\", \"code\": \"C1\", \"source\":"
		  " \"import\", \"updated_by\": \"D\", \"created_at\": 1779370000000,"
		  " \"updated_at\": 1779370000000, \"cancelled\": \"true\"}]}",
		  "guests[0].cancelled: expected true or false" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		body = json_loads(bad[i][0], JSON_DECODE_ANY, NULL);
		assert_non_null(body);
		assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known,
		    &too_big, &cause), REPL_BAD);
		assert_string_equal(cause, bad[i][1]);
		json_decref(body);
	}
	/* over the record limit: 413, not 400 */
	body = json_pack("{s:o}", "scans", json_array());
	for (int i = 0; i <= REPL_MAX_RECORDS; i++)
		json_array_append_new(json_object_get(body, "scans"), json_object());
	assert_int_equal(repl_store_push(n->hub, "Door 1", body, &stored, &known, &too_big,
	    &cause), REPL_BAD);
	assert_true(too_big);
	json_decref(body);
	free(cause);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM scan"), 0);
}

/* A guest's copy pushed stamped at the last time the protocol takes (year
 * 2200: a door's clock gone wild, or a stolen token): a change at the hub
 * after it is stamped then too, not 1 ms later, which every door refused
 * (no door pulled again). */
/* A copy of the hub's guest code pushed by device with every stamp at the
 * end of time (MERGE_TIME_MAX), cancelled or not: what a stolen door token
 * can send. Fails the test unless the hub takes it. */
static void
push_forged(struct store *hub, const char *device, const char *code, bool cancelled)
{
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_find_by_code(hub, code, &g, &cause), 1);
	char *sql = xasprintf("SELECT created_at FROM guest WHERE id = %lld", (long long)g.id);
	int64_t made = tu_count(hub, sql);
	free(sql);
	json_t *body = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:I, s:s}]}",
	    "guests", "uuid", g.uuid, "code", code, "first_name", g.first_name, "last_name",
	    g.last_name, "source", g.source, "created_at", (json_int_t)made,
	    "updated_at", (json_int_t)MERGE_TIME_MAX, "cancelled", cancelled, "cancelled_at",
	    (json_int_t)MERGE_TIME_MAX, "updated_by", device);
	struct repl_counts stored, known;
	bool too_big = false;
	if (repl_store_push(hub, device, body, &stored, &known, &too_big, &cause) != REPL_OK)
		fail_msg("push: %s", cause);
	json_decref(body);
	guest_clear(&g);
}

static void
test_change_after_a_copy_from_2200_still_syncs(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Noor", "Nowak");
	pull(n->k[0], n->hub, "Door 1", 10);
	push_forged(n->hub, "Door 2", code, false);
	char *cause = NULL;
	/* kept a year before the end of time (a forged stamp, or a clock gone
	 * wild) */
	int64_t kept = tu_count(n->hub, "SELECT updated_at FROM guest WHERE last_name = 'Nowak'");
	assert_int_equal(kept, MERGE_PUSH_MAX - MERGE_PUSH_STEP);
	/* and a scan pushed with control bytes in what was scanned keeps it
	 * printable */
	push_text(n->hub, "Door 2", "{\"scans\": [{\"uuid\": \"0b9e6c1a-0000-4000-8000-0000000000aa\","
	    " \"at\": 1779370000000, \"kiosk\": \"Door 2\", \"code\": \"\\u001b[2Jx\\u007f\","
	    " \"result\": \"unknown_code\"}]}");
	char *shown = tu_text(n->hub, "SELECT code FROM scan WHERE uuid ="
	    " '0b9e6c1a-0000-4000-8000-0000000000aa'");
	assert_string_equal(shown, "?[2Jx?");
	free(shown);
	/* the hub cancels it: stamped after that copy, so the cancel wins at
	 * every node (at MERGE_TIME_MAX it could only have tied) */
	struct guest g;
	assert_int_equal(guest_set_cancelled(n->hub, code, true, "hub", &g, &cause), 0);
	assert_int_equal(g.updated_at, kept + 1);
	guest_clear(&g);
	/* the door still pulls (pull() fails the test on a refused page) */
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->k[0], "SELECT cancelled FROM guest WHERE last_name = 'Nowak'"),
	    1);
	free(code);
}

/* After a forged push stamped in 2200 (kept below MERGE_PUSH_MAX), the
 * organiser undoes the cancel at a door: the door stamps it after the
 * forged copy, and the hub and the other door take it (a bound that kept
 * the door's stamp too would have it tie with the forged cancel, and lose:
 * door and hub would disagree for good). */
static void
test_door_change_after_forged_copy_reaches_hub(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Fay", "Forged");
	pull(n->k[0], n->hub, "Door 1", 10);
	pull(n->k[1], n->hub, "Door 2", 10);
	push_forged(n->hub, "Door 3", code, true);
	char *cause = NULL;
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->k[0], "SELECT cancelled FROM guest WHERE last_name = 'Forged'"),
	    1);
	/* the organiser undoes it at Door 1 */
	struct guest g;
	assert_int_equal(guest_set_cancelled(n->k[0], code, false, "Door 1", &g, &cause), 0);
	assert_int_equal(g.updated_at, MERGE_PUSH_MAX - MERGE_PUSH_STEP + 1);
	guest_clear(&g);
	push(n->k[0], n->hub, "Door 1", 10);
	pull(n->k[0], n->hub, "Door 1", 10);
	pull(n->k[1], n->hub, "Door 2", 10);
	/* every node should show the undo */
	assert_int_equal(tu_count(n->k[0], "SELECT cancelled FROM guest WHERE last_name = 'Forged'"),
	    0);
	assert_int_equal(tu_count(n->hub, "SELECT cancelled FROM guest WHERE last_name = 'Forged'"),
	    0);
	assert_int_equal(tu_count(n->k[1], "SELECT cancelled FROM guest WHERE last_name = 'Forged'"),
	    0);
	free(code);
}

/* The hub's own change after the forged copy reaches the doors; a door's
 * change after that is stamped later still, and taken by the hub. */
static void
test_door_change_after_hub_change_past_push_max(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Fay", "Forged");
	push_forged(n->hub, "Door 3", code, false);
	char *cause = NULL;
	struct guest g;
	assert_int_equal(guest_set_cancelled(n->hub, code, true, "hub", &g, &cause), 0);
	guest_clear(&g);
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->k[0], "SELECT cancelled FROM guest WHERE last_name = 'Forged'"),
	    1);
	assert_int_equal(guest_set_cancelled(n->k[0], code, false, "Door 1", &g, &cause), 0);
	guest_clear(&g);
	push(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->hub, "SELECT cancelled FROM guest WHERE last_name = 'Forged'"),
	    0);
	free(code);
}

/* A forged copy whose record is stamped at the end of time and its
 * cancellation just under MERGE_PUSH_MAX (which the hub keeps as sent): the
 * hub keeps the cancellation no later than the record it kept, so that the
 * organiser's undo at a door, stamped after that record, is taken by the
 * hub and reaches the other doors (kept as sent, the forged cancel would
 * win over it at the hub for good). */
static void
test_forged_cancel_is_no_later_than_its_copy(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Rita", "Raes");
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_find_by_code(n->hub, code, &g, &cause), 1);
	char *sql = xasprintf("SELECT created_at FROM guest WHERE id = %lld", (long long)g.id);
	int64_t made = tu_count(n->hub, sql);
	free(sql);
	json_t *body = json_pack("{s:[{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:I, s:s}]}",
	    "guests", "uuid", g.uuid, "code", code, "first_name", g.first_name, "last_name",
	    g.last_name, "source", g.source, "created_at", (json_int_t)made,
	    "updated_at", (json_int_t)MERGE_TIME_MAX, "cancelled", true, "cancelled_at",
	    (json_int_t)MERGE_PUSH_MAX, "updated_by", "Door 3");
	guest_clear(&g);
	struct repl_counts stored, known;
	bool too_big = false;
	if (repl_store_push(n->hub, "Door 3", body, &stored, &known, &too_big, &cause) != REPL_OK)
		fail_msg("push: %s", cause);
	json_decref(body);
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(scan(n->k[0], code, "Door 1", T0, NULL), CHECKIN_CANCELLED);
	/* the organiser undoes it at Door 1 */
	assert_int_equal(guest_set_cancelled(n->k[0], code, false, "Door 1", &g, &cause), 0);
	guest_clear(&g);
	push(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->hub, "SELECT cancelled FROM guest WHERE last_name = 'Raes'"),
	    0);
	pull(n->k[1], n->hub, "Door 2", 10);
	assert_int_equal(scan(n->k[1], code, "Door 2", T0, NULL), CHECKIN_ADMITTED);
	free(code);
}

static void
test_own_checkins_are_not_sent_back(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Eva", "Engels");
	pull(n->k[0], n->hub, "Door 1", 10);
	scan(n->k[0], code, "Door 1", T0, NULL);
	push(n->k[0], n->hub, "Door 1", 10);
	char *cause = NULL;
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	json_t *page = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, 10, false, &cause);
	assert_int_equal(json_array_size(json_object_get(page, "checkins")), 0);
	/* but the cursor moved past it, and the kiosk keeps the new cursor
	 * (an empty page that moves the cursor is written) */
	assert_true(json_integer_value(json_object_get(json_object_get(page, "cursor"),
	    "checkins")) > pos.checkins);
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], page, NULL, &got, &more, &cause), 0);
	struct repl_pos pos2;
	assert_int_equal(repl_cursors(n->k[0], &pos2, &cause), 0);
	assert_true(pos2.checkins > pos.checkins);
	json_decref(page);
	page = repl_read_pull(n->hub, "Door 2", 0, 0, 10, false, &cause);
	assert_int_equal(json_array_size(json_object_get(page, "checkins")), 1);
	json_decref(page);
	/* a kiosk that has not pulled to the end yet (a replaced laptop) asks
	 * for its own too (device NULL): it gets them */
	page = repl_read_pull(n->hub, NULL, 0, 0, 10, false, &cause);
	assert_int_equal(json_array_size(json_object_get(page, "checkins")), 1);
	json_decref(page);
	free(code);
}

/* The hub writes each check-in out once for all the doors that pull it; what
 * it keeps is never served for another row (the same id in a database put
 * in the first one's place holds another check-in). */
static void
test_pull_pages_from_the_cache_are_the_same(void **state)
{
	struct net *n = *state;
	char *a = add_guest(n->hub, "Eva", "Engels"), *b = add_guest(n->hub, "Bo", "Bos");
	char *cause = NULL;
	size_t len;
	pull(n->k[0], n->hub, "Door 1", 10);
	scan(n->k[0], a, "Door 1", T0, NULL);
	scan(n->k[0], b, "Door 1", T0 + 1, NULL);
	push(n->k[0], n->hub, "Door 1", 10);
	struct repl_cache *cache = repl_cache_new();
	char *plain = repl_read_pull_text(n->hub, NULL, "Door 2", 0, 0, 10, false, T0, 0, &len,
	    &cause);
	char *first = repl_read_pull_text(n->hub, cache, "Door 2", 0, 0, 10, false, T0, 0, &len,
	    &cause);
	char *again = repl_read_pull_text(n->hub, cache, "Door 3", 0, 0, 10, false, T0, 0, &len,
	    &cause);
	assert_non_null(plain);
	assert_string_equal(first, plain);
	assert_string_equal(again, plain);
	assert_int_equal(len, strlen(again));
	json_t *page = json_loads(again, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(page, "checkins")), 2);
	json_decref(page);
	/* The second door got the kept text, not a new one: a row changed
	 * behind the hub's back (check-ins never are) still reads as kept. */
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE checkin SET kiosk = 'Door X'"
	    " WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	char *kept = repl_read_pull_text(n->hub, cache, "Door 2", 0, 0, 10, false, T0, 0, &len,
	    &cause);
	assert_string_equal(kept, plain);
	free(kept);
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE checkin SET kiosk = 'Door 1'"
	    " WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	/* Another check-in under the same row id: its own text, not the kept. */
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE checkin SET uuid ="
	    " '0190a0b0-0000-7000-8000-0000000000aa', kiosk = 'Door 9' WHERE id = 1",
	    NULL, NULL, NULL), SQLITE_OK);
	char *swapped = repl_read_pull_text(n->hub, cache, "Door 2", 0, 0, 10, false, T0, 0, &len,
	    &cause);
	assert_non_null(strstr(swapped, "0190a0b0-0000-7000-8000-0000000000aa"));
	assert_non_null(strstr(swapped, "Door 9"));
	char *swapped_plain = repl_read_pull_text(n->hub, NULL, "Door 2", 0, 0, 10, false, T0, 0,
	    &len, &cause);
	assert_string_equal(swapped, swapped_plain);
	/* Rows for a kiosk that reads them: the same with the cache as without,
	 * never the objects kept for the doors before. */
	char *rows = repl_read_pull_text(n->hub, NULL, "Door 2", 0, 0, 10, true, T0, 0, &len,
	    &cause);
	char *rows_kept = repl_read_pull_text(n->hub, cache, "Door 2", 0, 0, 10, true, T0, 0, &len,
	    &cause);
	assert_string_equal(rows_kept, rows);
	json_t *page2 = json_loads(rows_kept, 0, NULL);
	assert_null(json_object_get(page2, "checkins"));
	const char *text = json_string_value(json_object_get(page2, "checkin_rows"));
	assert_non_null(text);
	assert_non_null(strstr(text, "\tin\t"));
	assert_int_equal(strchr(strchr(text, '\n') + 1, '\n')[1], '\0'); /* two rows */
	json_decref(page2);
	/* and the rows were kept: a row changed behind the hub's back still
	 * reads as kept */
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE checkin SET kiosk = 'Door Y'"
	    " WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	char *rows_again = repl_read_pull_text(n->hub, cache, "Door 2", 0, 0, 10, true, T0, 0,
	    &len, &cause);
	assert_string_equal(rows_again, rows_kept);
	free(rows_again);
	free(rows);
	free(rows_kept);
	free(plain);
	free(first);
	free(again);
	free(swapped);
	free(swapped_plain);
	repl_cache_free(cache);
	free(a);
	free(b);
}

/* Check-ins as rows (what kiosks ask for) arrive as they do as objects,
 * whatever the kiosk names hold: tabs, newlines, backslashes, quotes,
 * accents, nothing, or bytes an older version stored unchecked; control
 * characters as '?', in both. */
static void
test_rows_carry_any_kiosk_name(void **state)
{
	struct net *n = *state;
	static const char *const names[] = { "Deur\t2", "Porte\n3\r", "C:\\door\\n",
	    "\"Zuid\" \xc3\xbc", "\\", "", "Ring\x07", "Nul", "Legacy" };
	enum { N = sizeof names / sizeof names[0] };
	char *codes[N];
	for (int i = 0; i < N; i++)
		codes[i] = add_guest(n->hub, "Guest", names[i]);
	pull(n->k[0], n->hub, "Door 1", 10);
	/* A kiosk name is one line now (util_name_check), but files of older
	 * versions and other kiosks hold any text: give the rows those names. */
	for (int i = 0; i < N; i++) {
		struct checkin_outcome o;
		assert_int_equal(scan(n->k[0], codes[i], "Door 1", T0 + i, &o), CHECKIN_ADMITTED);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(store_db(n->k[0]), "UPDATE checkin SET kiosk = ?"
		    " WHERE uuid = ?", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, o.checkin_uuid, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		checkin_outcome_clear(&o);
	}
	push(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE checkin SET kiosk ="
	    " CAST(X'44E9' AS TEXT) WHERE kiosk = 'Legacy';"
	    "UPDATE checkin SET kiosk = CAST(X'4E554C0041' AS TEXT) WHERE kiosk = 'Nul'",
	    NULL, NULL, NULL), SQLITE_OK);
	/* Door 2 reads rows, Door 3 objects (an older kiosk) */
	assert_int_equal(pull(n->k[1], n->hub, "Door 2", 3).checkins, N);
	assert_int_equal(pull_as(n->k[2], n->hub, "Door 3", 100, false).checkins, N);
	char *rows = checkin_set(n->k[1]), *objects = checkin_set(n->k[2]);
	assert_string_equal(rows, objects);
	/* Each name as it was, but a control character, which arrives as a
	 * '?' (a name is one printable line: util_name_check). */
	for (int i = 0; i + 2 < N; i++) {
		sqlite3_stmt *st;
		char shown[64];
		snprintf(shown, sizeof shown, "%s", names[i]);
		for (char *p = shown; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20)
				*p = '?';
		assert_int_equal(sqlite3_prepare_v2(store_db(n->k[1]), "SELECT count(*) FROM"
		    " checkin WHERE kiosk = ?", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, shown, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		sqlite3_finalize(st);
	}
	assert_int_equal(tu_count(n->k[1], "SELECT count(*) FROM checkin WHERE kiosk = 'D'"
	    " || char(65533)"), 1);
	/* a NUL a file somehow holds ends the name, as it does for objects */
	assert_int_equal(tu_count(n->k[1], "SELECT count(*) FROM checkin WHERE kiosk = 'NUL'"), 1);
	for (int i = 0; i < N; i++)
		free(codes[i]);
	free(rows);
	free(objects);
}

/* A page whose rows are malformed is refused whole, naming the row and
 * the field, and writes nothing: not the good rows, not the cursor. */
static void
test_bad_rows_are_refused_by_row_and_field(void **state)
{
	struct net *n = *state;
#define U1 "0190a0b0-0000-7000-8000-000000000001"
#define U2 "0190a0b0-0000-7000-8000-000000000002"
#define GU "0190a0b0-0000-7000-8000-0000000000ff"
#define GOOD U1 "\t" GU "\tin\t1779372000000\tDoor 1\t\t\n"
	static const struct { const char *rows, *says; } cases[] = {
		{ GOOD U2 "\t" GU "\tin\t1779372000000\tDoor 1\t\n", "checkin_rows[1]: 6 fields" },
		{ GOOD U2 "\t" GU "\tin\t1779372000000\tDoor 1\t\t\t\n",
		    "checkin_rows[1]: more than 7 fields" },
		{ GOOD U2 "\t" GU "\tin\t1779372000000\tDoor\\x1\t\t\n",
		    "checkin_rows[1].kiosk: a backslash" },
		{ GOOD U2 "\t" GU "\tin\t1779372000000\tDoor 1\\\t\t\n",
		    "checkin_rows[1].kiosk: a backslash" },
		{ GOOD U2 "\t" GU "\tin\t17793720000x0\tDoor 1\t\t\n",
		    "checkin_rows[1].at: not a time" },
		{ GOOD U2 "\t" GU "\tin\t1779372\tDoor 1\t\t\n", "checkin_rows[1].at: not a time" },
		{ GOOD "nope\t" GU "\tin\t1779372000000\tDoor 1\t\t\n",
		    "checkin_rows[1].uuid: not a UUID" },
		{ GOOD U2 "\t" GU "\tmaybe\t1779372000000\tDoor 1\t\t\n",
		    "checkin_rows[1].kind: expected in, out or undo" },
		{ GOOD U2 "\t" GU "\tundo\t1779372000000\tDoor 1\t\t\n",
		    "checkin_rows[1].undoes: missing" },
		{ GOOD U2 "\t" GU "\tin\t1779372000000\tDoor 1\t\t"
		    "admitted-but-far-too-long-for-a-result\n", "checkin_rows[1].scan: longer" },
		{ GOOD U2 "\t" GU "\tin\t1779372000000\tDoor 1\t\t", "checkin_rows: the last row has no end" },
	};
#undef GOOD
#undef U1
#undef U2
#undef GU
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *page = json_pack("{s:[], s:s, s:{s:i, s:i}, s:b}", "guests", "checkin_rows",
		    cases[i].rows, "cursor", "guests", 0, "checkins", 99, "more", 0);
		struct repl_counts got;
		bool more;
		char *cause = NULL;
		assert_int_equal(repl_apply_pull(n->k[0], page, NULL, &got, &more, &cause), -1);
		if (strstr(cause, cases[i].says) == NULL)
			fail_msg("case %zu: %s", i, cause);
		free(cause);
		json_decref(page);
		assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM checkin"), 0);
		struct repl_pos pos;
		assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
		assert_int_equal(pos.checkins, 0);
	}
}

static void
test_code_conflict_is_counted_not_overwritten(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Hub", "Guest");
	/* the kiosk has another guest with the same code (two lists imported apart) */
	struct guest_fields f = { .first_name = "Local", .last_name = "Guest" };
	char *cause = NULL;
	assert_int_equal(store_begin(n->k[0], &cause), 0);
	assert_int_equal(guest_insert(n->k[0], &f, code, "import", false, NULL, "k", NULL, NULL,
	    &cause), 0);
	assert_int_equal(store_commit(n->k[0], &cause), 0);
	struct repl_counts got = pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(got.conflicts, 1);
	assert_int_equal(got.guests, 0);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE first_name = 'Local'"),
	    1);
	free(code);
}

/* A guest the hub changes: its new id, last name and code reach a door
 * through their indexes; a code another guest has at the door is a
 * conflict, and nothing of that copy is written there. */
static void
test_a_changed_guest_is_found_by_its_new_keys(void **state)
{
	struct net *n = *state;
	char *code = add_guest(n->hub, "Hanna", "Hub");
	struct repl_counts got = pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(got.guests, 1);
	/* as an import on the hub would: a new id and last name */
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE guest SET ext_id = 'X-77',"
	    " last_name = 'Haven', sort_key = 'haven hanna', updated_at = updated_at + 1000,"
	    " rev = rev + 1, dirty = 1", NULL, NULL, NULL), SQLITE_OK);
	got = pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(got.guests, 1);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest INDEXED BY guest_ext_id"
	    " WHERE ext_id = 'X-77' AND last_name = 'Haven'"), 1);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest INDEXED BY guest_sort"
	    " WHERE sort_key = (SELECT sort_key FROM guest WHERE last_name = 'Haven')"), 1);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE sort_key LIKE 'haven%'"),
	    1);

	/* the door has a guest of its own with the code the hub now gives */
	struct guest_fields f = { .first_name = "Local", .last_name = "Guest" };
	char *cause = NULL;
	assert_int_equal(store_begin(n->k[0], &cause), 0);
	assert_int_equal(guest_insert(n->k[0], &f, "LOCAL-CODE-1", "import", false, NULL, "k",
	    NULL, NULL, &cause), 0);
	assert_int_equal(store_commit(n->k[0], &cause), 0);
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE guest SET code = 'LOCAL-CODE-1',"
	    " first_name = 'Renamed', updated_at = updated_at + 1000, rev = rev + 1, dirty = 1",
	    NULL, NULL, NULL), SQLITE_OK);
	got = pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(got.conflicts, 1);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE first_name = 'Hanna'"
	    " AND last_name = 'Haven'"), 1);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE first_name ="
	    " 'Renamed'"), 0);
	struct guest g;
	assert_int_equal(guest_find_by_code(n->k[0], code, &g, &cause), 1);
	assert_string_equal(g.first_name, "Hanna");
	guest_clear(&g);
	char *check = tu_text(n->k[0], "PRAGMA integrity_check");
	assert_string_equal(check, "ok");
	free(check);
	free(code);
}

static void
test_clock_offset_corrects_recorded_times(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	/* this kiosk learnt it is an hour slow */
	assert_int_equal(store_begin(n->k[0], &cause), 0);
	assert_int_equal(store_state_set(n->k[0], STORE_STATE_CLOCK_OFFSET, 3600000, &cause), 0);
	assert_int_equal(store_commit(n->k[0], &cause), 0);
	int64_t before = util_now_ms() + 3600000;
	char *code = add_guest(n->k[0], "Frank", "Faes");
	int64_t after = util_now_ms() + 3600000;
	long long at = tu_count(n->k[0], "SELECT updated_at FROM guest");
	assert_true(at >= before && at <= after);
	/* and another connection to the same file reads it too */
	char *path = xasprintf("%s/k1.db", n->dir);
	struct store *other = NULL;
	assert_int_equal(store_open(path, 0, NULL, &other, &cause), 0);
	assert_true(store_now(other) >= before);
	store_close(other);
	free(path);
	free(code);
}

/* kiosk sync --start-over runs in a process of its own, beside the door
 * app's round: the batch the round collected and the page it asked for
 * before the start-over mark nothing sent and move no cursor when their
 * answers come. Else the round undid the start-over: a check-in of another
 * door's, marked to go again, was marked sent with the batch's range, and
 * the page put the pull cursors back where they were. */
static void
test_start_over_beside_a_round_in_flight(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	char *c1 = add_guest(n->hub, "A", "One"), *c2 = add_guest(n->hub, "B", "Two");
	char *c3 = add_guest(n->hub, "C", "Three");
	sync_all(n);
	/* Door 1: an own check-in, one of Door 2's pulled, another own. */
	assert_int_equal(scan(n->k[0], c1, "Door 1", T0, NULL), CHECKIN_ADMITTED);
	assert_int_equal(scan(n->k[1], c2, "Door 2", T0 + 1, NULL), CHECKIN_ADMITTED);
	push(n->k[1], n->hub, "Door 2", 10);
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(scan(n->k[0], c3, "Door 1", T0 + 2, NULL), CHECKIN_ADMITTED);
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	assert_true(pos.guests > 0);
	/* The app collects a batch and asks for a page ... */
	struct repl_batch *b = NULL;
	assert_int_equal(repl_collect(n->k[0], 10, false, &b, &cause), 0);
	json_t *asked = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, 10, true,
	    &cause);
	json_t *page = wire(asked);
	json_decref(asked);
	/* ... kiosk sync --start-over commits meanwhile ... */
	assert_int_equal(repl_start_over(n->k[0], NULL, &cause), 0);
	/* ... and the app's answers arrive. */
	assert_int_equal(repl_batch_done(n->k[0], b, &cause), 0);
	repl_batch_free(b);
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	assert_true(more);      /* pull again, from where the start-over put it */
	struct repl_pos now;
	assert_int_equal(repl_cursors(n->k[0], &now, &cause), 0);
	assert_int_equal(now.guests, 0);
	assert_int_equal(now.checkins, 0);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM checkin WHERE pushed = 0"), 3);
	/* The next round sends all three and fetches everything: the hub
	 * stores nothing twice. */
	push(n->k[0], n->hub, "Door 1", 10);
	pull(n->k[0], n->hub, "Door 1", 10);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM checkin WHERE pushed = 0"), 0);
	assert_int_equal(tu_count(n->hub, "SELECT count(*) FROM checkin"), 3);
	free(c1);
	free(c2);
	free(c3);
}

/* Which hub a kiosk's floors and cursors are for (repl_follow, before
 * every round): a first sync records it, another hub starts over, and so
 * does one from before it was recorded, or after the kiosk stood in as the
 * hub. A start-over by another program after the round began gives its
 * next batch and page another count: the round ends there (client.c), not
 * pushing to the old hub what would then be marked sent. */
static void
test_a_kiosk_follows_its_hub(void **state)
{
	struct net *n = *state;
	char *cause = NULL, *url = NULL;
	enum repl_over over;
	int64_t starts, again;
	struct repl_batch *b = NULL;
	struct repl_pos pos;

	/* a database that has synced, from before the hub was recorded */
	char *c1 = add_guest(n->hub, "A", "One");
	sync_all(n);
	assert_int_equal(repl_hub(n->k[0], &url, &cause), 0);
	assert_int_equal(repl_follow(n->k[0], "http://a:8080", &over, &starts, &cause), 0);
	assert_int_equal(over, REPL_OVER_UNRECORDED); /* not "another hub" */
	assert_int_equal(repl_hub(n->k[0], &url, &cause), 1);
	assert_string_equal(url, "http://a:8080");
	free(url);
	/* the same hub, typed another way: nothing */
	assert_int_equal(repl_follow(n->k[0], "HTTP://A:8080/", &over, &again, &cause), 0);
	assert_int_equal(over, REPL_OVER_NONE);
	assert_int_equal(again, starts);
	assert_int_equal(scan(n->k[0], c1, "Door 1", T0, NULL), CHECKIN_ADMITTED);
	push(n->k[0], n->hub, "Door 1", 10);
	int64_t waiting;
	assert_int_equal(repl_waiting(n->k[0], &waiting, &cause), 0);
	assert_int_equal(waiting, 0);
	/* another hub: everything waits again */
	assert_int_equal(repl_follow(n->k[0], "http://b:8080", &over, &starts, &cause), 0);
	assert_int_equal(over, REPL_OVER_OTHER_HUB);
	assert_int_equal(repl_waiting(n->k[0], &waiting, &cause), 0);
	assert_true(waiting > 0);
	/* another program starts over after this round began: its next batch
	 * and page are read with another count */
	assert_int_equal(repl_start_over(n->k[0], "http://c:8080", &cause), 0);
	assert_int_equal(repl_collect(n->k[0], 100, false, &b, &cause), 0);
	assert_non_null(b);
	assert_true(repl_batch_starts(b) != starts);
	repl_batch_free(b);
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	assert_true(pos.starts != starts);
	/* a first sync of a database that never synced: recorded, nothing more */
	assert_int_equal(repl_follow(n->k[1], "http://b:8080", &over, &starts, &cause), 0);
	assert_true(over); /* k[1] has pulled (sync_all): from before, too */
	struct store *fresh = kiosk_store(n, "fresh.db");
	assert_int_equal(repl_follow(fresh, "http://b:8080", &over, &starts, &cause), 0);
	assert_int_equal(over, REPL_OVER_NONE);
	store_close(fresh);
	/* a database that stored doors' pushes as their hub (a door that stood
	 * in as the hub): any hub after is another, so they are passed on */
	assert_int_equal(repl_hub(n->hub, &url, &cause), 1);
	assert_string_equal(url, REPL_HUB_SERVED);
	free(url);
	assert_int_equal(repl_follow(n->hub, "http://b:8080", &over, &starts, &cause), 0);
	assert_int_equal(over, REPL_OVER_OTHER_HUB);
	free(c1);
}

/* Two programs pulling for one database (the door app, and kiosk sync run
 * beside it): a page asked from the position one read before the other
 * moved it is no sign of a hub that lost records; nothing starts over. */
static void
test_a_pull_beside_another_is_no_lost_hub(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	char *c1 = add_guest(n->hub, "A", "One"), *c2 = add_guest(n->hub, "B", "Two");
	sync_all(n);
	assert_int_equal(scan(n->k[1], c1, "Door 2", T0, NULL), CHECKIN_ADMITTED);
	sync_one(n, 1);
	sync_one(n, 0);
	assert_int_equal(scan(n->k[1], c2, "Door 2", T0 + 1, NULL), CHECKIN_ADMITTED);
	sync_one(n, 1);
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	assert_true(pos.anchor[0] != '\0');
	json_t *asked = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, 10, true,
	    &cause);
	json_t *page = wire(asked);
	json_decref(asked);
	/* the other program pulls meanwhile: position and anchor move on */
	struct store *other = kiosk_store(n, "k1.db");
	pull(other, n->hub, "Door 1", 10);
	store_close(other);
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	assert_int_equal(got.lost, 0);
	struct repl_pos now;
	assert_int_equal(repl_cursors(n->k[0], &now, &cause), 0);
	assert_int_equal(now.starts, pos.starts);
	free(c1);
	free(c2);
}

/* An anchor that is no uuid (a false hub's page) is kept as none: cut
 * to the position's size it would match no page, and every round would
 * start over. */
static void
test_an_anchor_that_is_no_uuid_is_not_kept(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	char *c1 = add_guest(n->hub, "A", "One");
	sync_all(n);
	assert_int_equal(scan(n->k[1], c1, "Door 2", T0, NULL), CHECKIN_ADMITTED);
	sync_one(n, 1);
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	json_t *page = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, 10, true,
	    &cause);
	assert_non_null(page);
	char long_id[101];
	memset(long_id, 'a', 100);
	long_id[100] = '\0';
	json_object_set_new(json_object_get(page, "anchor"), "to", json_string(long_id));
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	struct repl_pos now;
	assert_int_equal(repl_cursors(n->k[0], &now, &cause), 0);
	assert_true(now.checkins > pos.checkins);
	assert_string_equal(now.anchor, "");
	/* and the next rounds go on, starting over never */
	sync_one(n, 0);
	sync_one(n, 0);
	assert_int_equal(repl_cursors(n->k[0], &now, &cause), 0);
	assert_int_equal(now.starts, pos.starts);
	free(c1);
}

/* The start-over of another process may commit while repl_cursors reads
 * the position: here just before its last read, whichever that is. The
 * position must still say it was read before the start-over: one that
 * paired the old cursors with the new count had a page asked from the old
 * cursors put them back. */
struct start_over_at {
	struct store *other;    /* a second connection, as kiosk sync's */
	int reads;              /* sync_state reads until the start-over (repl_cursors
	                         * makes two: the count, then the position) */
};

static int
start_over_before_read(unsigned what, void *arg, void *p, void *x)
{
	struct start_over_at *at = arg;
	(void)what;
	(void)p;
	if (at->reads > 0 && strstr(x, "FROM sync_state") != NULL && --at->reads == 0) {
		char *cause = NULL;
		assert_int_equal(repl_start_over(at->other, NULL, &cause), 0);
	}
	return 0;
}

static void
test_start_over_while_the_position_is_read(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	char *c1 = add_guest(n->hub, "A", "One");
	sync_all(n);
	struct repl_pos pos;
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	assert_true(pos.guests > 0);
	struct start_over_at at = { kiosk_store(n, "k1.db"), 2 };
	sqlite3_trace_v2(store_db(n->k[0]), SQLITE_TRACE_STMT, start_over_before_read, &at);
	assert_int_equal(repl_cursors(n->k[0], &pos, &cause), 0);
	sqlite3_trace_v2(store_db(n->k[0]), 0, NULL, NULL);
	assert_int_equal(at.reads, 0);
	json_t *asked = repl_read_pull(n->hub, "Door 1", pos.guests, pos.checkins, 10, true,
	    &cause);
	json_t *page = wire(asked);
	json_decref(asked);
	struct repl_counts got;
	bool more;
	assert_int_equal(repl_apply_pull(n->k[0], page, &pos, &got, &more, &cause), 0);
	json_decref(page);
	struct repl_pos now;
	assert_int_equal(repl_cursors(n->k[0], &now, &cause), 0);
	assert_int_equal(now.guests, 0);
	assert_int_equal(now.checkins, 0);
	store_close(at.other);
	free(c1);
}

/* Guests with big extra fields (64 KiB each is allowed) go in pages and
 * pushes of a bounded size: 2,000 of them in one would pass what the other
 * side takes, refused at every try, and the door would never join. */
static void
test_big_guests_go_in_several_pages(void **state)
{
	struct net *n = *state;
	struct repl_cache *cache = repl_cache_new();
	char *cause = NULL;
	size_t len = 0;
	for (int i = 0; i < 400; i++) {
		char last[16];
		snprintf(last, sizeof last, "Big%03d", i);
		free(add_guest(n->hub, "Guest", last));
	}
	assert_int_equal(sqlite3_exec(store_db(n->hub), "UPDATE guest SET"
	    " extra = json_object('Notes', hex(randomblob(3000)))", NULL, NULL, NULL), SQLITE_OK);
	char *text = repl_read_pull_text(n->hub, cache, "Door 1", 0, 0, 2000, true, -1, 0, &len,
	    &cause);
	assert_non_null(text);
	json_t *page = json_loads(text, 0, NULL);
	assert_non_null(page);
	size_t got = json_array_size(json_object_get(page, "guests"));
	assert_true(got > 300 && got < 400);
	assert_true(json_is_true(json_object_get(page, "more")));
	assert_true(len < ((size_t)3 << 20));
	json_decref(page);
	free(text);
	repl_cache_free(cache);
	/* the door takes them all, page by page */
	struct repl_counts c = pull(n->k[0], n->hub, "Door 1", 2000);
	assert_int_equal(c.guests, 400);
	/* and a door that sends them all again (a start-over) sends them in parts */
	assert_int_equal(sqlite3_exec(store_db(n->k[0]), "UPDATE guest SET dirty = 1", NULL, NULL,
	    NULL), SQLITE_OK);
	struct repl_batch *b = NULL;
	assert_int_equal(repl_collect(n->k[0], 2000, true, &b, &cause), 0);
	assert_non_null(b);
	assert_true(repl_batch_counts(b).guests < 400);
	char *body = repl_batch_text(b, &len);
	assert_true(len < ((size_t)3 << 20));
	free(body);
	repl_batch_free(b);
	push(n->k[0], n->hub, "Door 1", 2000);
	assert_int_equal(tu_count(n->k[0], "SELECT count(*) FROM guest WHERE dirty = 1"), 0);
}

/* A door made the hub holds the other doors' check-ins from its pulls,
 * which carry no scans: when a door then sends it everything again, the
 * scans inside those check-ins are stored, so its repeat-scan figures and
 * the export's scan counts are whole. */
static void
test_admission_scans_reach_a_door_made_hub(void **state)
{
	struct net *n = *state;
	char *cause = NULL;
	char *code = add_guest(n->hub, "Zoe", "Celik");
	sync_one(n, 0);
	sync_one(n, 1);
	struct checkin_outcome o;
	assert_int_equal(scan(n->k[0], code, "Door 1", T0, &o), CHECKIN_ADMITTED);
	char *q = xasprintf("SELECT count(*) FROM scan WHERE uuid = '%s'", o.checkin_uuid);
	checkin_outcome_clear(&o);
	push(n->k[0], n->hub, "Door 1", 100);
	pull(n->k[1], n->hub, "Door 2", 100);
	assert_int_equal(tu_count(n->k[1], q), 0); /* pulls bring no scans */
	assert_int_equal(repl_start_over(n->k[0], "http://door2:8080", &cause), 0);
	push(n->k[0], n->k[1], "Door 1", 100);
	assert_int_equal(tu_count(n->k[1], q), 1);
	free(q);
	free(code);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_writer_wins),
		cmocka_unit_test(test_merge_plan),
		cmocka_unit_test(test_merge_forgotten_wins),
		cmocka_unit_test(test_merge_hub_lost),
		cmocka_unit_test(test_json_values_are_counted_before_parsing),
		cmocka_unit_test(test_clock_offset),
		cmocka_unit_test(test_clock_of_a_hub_booted_at_2000_is_no_sample),
		cmocka_unit_test(test_clock_samples_at_the_edges),
		cmocka_unit_test(test_pull_waits_for_doors_still_pushing),
		cmocka_unit_test(test_live_waiting_of_a_quiet_door),
		cmocka_unit_test(test_live_waiting_in_dutch_and_french),
		cmocka_unit_test(test_live_kiosks_since_on_a_clock_set_back),
		cmocka_unit_test(test_live_languages_share_one_read),
		cmocka_unit_test(test_live_one_guest_in_reads_singular),
		cmocka_unit_test(test_retry_backoff),
		cmocka_unit_test(test_round_slept),
		cmocka_unit_test(test_link_of_a_round_that_hangs),
		cmocka_unit_test(test_why_the_hub_is_not_reached),
		cmocka_unit_test(test_why_the_hub_failed),
		cmocka_unit_test(test_door_says_https_after_empty_replies_alone),
		cmocka_unit_test(test_door_says_why_after_a_blip),
		cmocka_unit_test(test_join_urls_are_addresses_others_reach),
		cmocka_unit_test_setup_teardown(test_join_pulls_the_guest_list_in_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_taken_waits_no_more, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change_made_during_a_push_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pushed_scan_keeps_its_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_page_goes_in_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_join_cut_short_is_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_doors_apart_keep_both_and_agree_on_the_first,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_doors_in_one_millisecond_agree_on_the_first,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_notes_the_name_a_door_gives_itself, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_repeated_batch_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_batch_as_rows_changes_nothing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rows_are_pushed_only_to_a_hub_that_reads_them,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_non_utf8_text_still_syncs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_scanned_url_does_not_stop_the_push, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_platform_codes_sync_both_ways, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_a_kiosk_follows_its_hub, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walkin_at_one_door_is_known_at_the_others, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_on_the_hub_is_refused_everywhere, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forgotten_on_the_hub_is_erased_everywhere, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forget_older_than_an_edit_reaches_older_kiosks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_older_copy_does_not_restore_a_forgotten_guest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancellation_waiting_at_a_door_outlives_an_older_copy,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_edits_last_writer_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_cancel_survives_a_later_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_offline_cancel_keeps_an_earlier_correction, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancellation_of_an_older_kiosk_goes_by_its_record,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancellations_converge_in_any_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancellations_converge_in_another_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checkins_converge_in_any_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checkins_converge_in_another_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checkins_converge_in_a_third_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_later_stamp_of_a_cancel_reaches_every_door, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import_that_only_cancels_keeps_a_correction, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_old_hub_takes_a_cancel_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_doors_learn_the_event_is_one_of_days, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_imported_extras_are_pulled_as_they_are, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed_push_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change_after_a_copy_from_2200_still_syncs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_door_change_after_forged_copy_reaches_hub, setup, teardown),
		cmocka_unit_test_setup_teardown(test_door_change_after_hub_change_past_push_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pushed_control_characters_made_printable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_cancel_is_no_later_than_its_copy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_own_checkins_are_not_sent_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pull_pages_from_the_cache_are_the_same, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rows_carry_any_kiosk_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_rows_are_refused_by_row_and_field, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_a_changed_guest_is_found_by_its_new_keys, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_code_conflict_is_counted_not_overwritten, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clock_offset_corrects_recorded_times, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_start_over_beside_a_round_in_flight, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_big_guests_go_in_several_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admission_scans_reach_a_door_made_hub, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_start_over_while_the_position_is_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hub_restored_from_a_copy_gets_it_all_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_pull_beside_another_is_no_lost_hub, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_an_anchor_that_is_no_uuid_is_not_kept, setup,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
