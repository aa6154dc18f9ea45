/* attend: who came, when, and how many (see attend.h). */
#include "core/attend.h"

#include <stdlib.h>
#include <string.h>

#include "core/checkin.h"
#include "core/ktime.h"
#include "core/util.h"

/* CHECKIN_ECHO_MS in SQL text */
#define TEXT_OF_(x) #x
#define TEXT_OF(x) TEXT_OF_(x)
#define ECHO_MS_TEXT TEXT_OF(CHECKIN_ECHO_MS)

/* Check-in row c (an alias) is not undone. */
#define NOT_UNDONE(c) " NOT EXISTS (SELECT 1 FROM checkin u WHERE u.kind = 'undo'" \
	" AND u.undoes = " c ".uuid)"

/* The earliest check-in not undone of the guest in the outer query; of two
 * in one millisecond, the one every node picks (uuid order, as
 * guest_state), not the one that came here first. */
#define FIRST_IN(col) "(SELECT c." col " FROM checkin c WHERE c.guest_uuid = g.uuid" \
	" AND c.kind = 'in' AND" NOT_UNDONE("c") " ORDER BY c.at, c.uuid LIMIT 1)"

/* Whether the guest in the outer query has an admission not undone. */
#define ADMITTED "EXISTS (SELECT 1 FROM checkin c WHERE c.guest_uuid = g.uuid" \
	" AND c.kind = 'in' AND" NOT_UNDONE("c") ")"

/* attend_counted() of the guest in the outer query, for WHERE clauses. The
 * EXISTS runs for cancelled guests only, a few of them. */
#define COUNTED "(NOT g.cancelled OR " ADMITTED ")"

/* Every entry and exit not undone, with the kind and time of the same
 * guest's previous one (NULL for their first): a duplicate entry is an
 * entry whose previous event is an entry too, with no exit between, on
 * the same day (two doors admitted the ticket while they could not talk;
 * at an event of days, [checkin] each_day, yesterday's entry is no exit,
 * and today's is no duplicate). One definition for the export's column,
 * the figure and the live page's list: counting entries less exits
 * (ins - 1 - outs) lost a duplicate as soon as the guest went out once. */
#define EVENTS "SELECT c.id, c.guest_uuid, c.kind, c.at, c.kiosk, lag(c.kind) OVER w AS prev," \
	" lag(c.at) OVER w AS prev_at FROM checkin c" \
	" WHERE c.kind <> 'undo' AND" NOT_UNDONE("c") \
	" WINDOW w AS (PARTITION BY c.guest_uuid ORDER BY c.at, c.uuid)"
#define IS_DUPLICATE(e) e ".kind = 'in' AND " e ".prev = 'in' AND kiosk_day(" e ".at) =" \
	" kiosk_day(" e ".prev_at)"

/* Each guest's first admission not undone, with the guest, of each group:
 * the arrivals. ARRIVALS: the first ever, as a one-day event counts them;
 * ARRIVALS_OF_DAYS: at an event of days (store_each_day) each day's, the
 * arrivals the door and the live page show for the hour past. */
#define FIRST_ADMISSIONS(group) "SELECT c.guest_uuid, min(c.at) AS first FROM checkin c" \
	" JOIN guest g ON g.uuid = c.guest_uuid WHERE c.kind = 'in' AND" NOT_UNDONE("c") \
	" GROUP BY " group
#define ARRIVALS FIRST_ADMISSIONS("c.guest_uuid")
#define ARRIVALS_OF_DAYS FIRST_ADMISSIONS("c.guest_uuid, kiosk_day(c.at)")

/* attend_each's query, with days the column of days attended; the days
 * they came counted (EACH_DAYS) only at an event of days, which alone
 * shows them: a 100,000-guest export would pay a fifth more for nothing. */
#define EACH(days, join) "SELECT g.id, g.uuid, g.code, coalesce(g.ext_id, '')," \
	" g.first_name, g.last_name, g.email, g.company, g.ticket_type, g.handle, g.extra," \
	" g.source, g.cancelled, g.updated_at, g.updated_by, " \
	FIRST_IN("at") ", " FIRST_IN("kiosk") "," \
	" coalesce(sc.n, 0), coalesce(d.n, 0), " days \
	" FROM guest g LEFT JOIN (SELECT guest_uuid, count(*) AS n FROM scan" \
	" WHERE guest_uuid IS NOT NULL GROUP BY guest_uuid) sc ON sc.guest_uuid = g.uuid" \
	" LEFT JOIN (SELECT e.guest_uuid, count(*) AS n FROM (" EVENTS ") e" \
	" WHERE " IS_DUPLICATE("e") " GROUP BY e.guest_uuid) d ON d.guest_uuid = g.uuid" \
	join " ORDER BY g.sort_key, g.id"
#define EACH_DAYS " LEFT JOIN (SELECT c.guest_uuid, count(DISTINCT kiosk_day(c.at)) AS n" \
	" FROM checkin c WHERE c.kind = 'in' AND" NOT_UNDONE("c") " GROUP BY c.guest_uuid) dd" \
	" ON dd.guest_uuid = g.uuid"

int
attend_each(struct store *s, attend_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *st = store_each_day(s) ? store_stmt(s, EACH("coalesce(dd.n, 0)", EACH_DAYS),
	    cause) : store_stmt(s, EACH("0", ""), cause);
	if (st == NULL)
		return -1;
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct guest g;
		guest_from_row(st, &g);
		const unsigned char *k = sqlite3_column_text(st, 16);
		struct attend_row r = {
			&g, sqlite3_column_int64(st, 15), k ? (const char *)k : "",
			sqlite3_column_int(st, 17), sqlite3_column_int(st, 18),
			sqlite3_column_int(st, 19),
		};
		n++;
		int stop = fn(&r, arg);
		guest_clear(&g);
		if (stop)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read attendance");
	return n;
}

bool
attend_counted(bool cancelled, bool attended)
{
	/* A refund after the event does not undo the visit: the venue, the
	 * sponsors and a CPE certificate count who was in the room. */
	return !cancelled || attended;
}

bool
attend_listed(const struct attend_row *r, enum attend_list list)
{
	if (!attend_counted(r->guest->cancelled, r->first_at != 0))
		return false;
	switch (list) {
	case ATTEND_LIST_ALL:
		return true;
	case ATTEND_LIST_NO_SHOWS:
		return r->first_at == 0;
	case ATTEND_LIST_WALK_INS:
		return strcmp(r->guest->source, "walkin") == 0;
	}
	return false;
}

int
attend_by_type(struct store *s, attend_type_fn fn, void *arg, char **cause)
{
	/* One type however it is capitalised ("VIP", "vip"), as the door's
	 * admit_types reads it; named as the first of its spellings sorts. */
	sqlite3_stmt *st = store_stmt(s, "SELECT min(g.ticket_type), count(*), sum("
	    FIRST_IN("at") " IS NOT NULL) FROM guest g WHERE " COUNTED
	    " GROUP BY g.ticket_type COLLATE NOCASE ORDER BY 1 COLLATE NOCASE", cause);
	if (st == NULL)
		return -1;
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *type = sqlite3_column_text(st, 0);
		struct attend_type t = {
			type ? (const char *)type : "", sqlite3_column_int(st, 1),
			sqlite3_column_int(st, 2),
		};
		n++;
		if (fn(&t, arg))
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot count ticket types");
	return n;
}

static int
count(struct store *s, const char *sql, int *out, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, cause, "cannot count");
	return 0;
}

#define QUARTER_MS (15 * 60 * 1000)
#define APART_MS (24 * 3600 * 1000LL) /* arrivals this far from the others: apart */
#define APART_DAYS_MS (3 * APART_MS)    /* the same at an event of days */

/* Arrivals per quarter hour from firsts (n > 0, ascending): over the span of
 * at most ATTEND_SLOTS_MAX quarters that holds the most of them, so that one
 * test scan weeks before the doors open neither stretches the list over
 * weeks nor pushes the event out of it; the others are counted as outside. */
static void
make_slots(struct attend_stats *st, const int64_t *firsts, size_t n, bool days)
{
	const int64_t apart = days ? APART_DAYS_MS : APART_MS;
	size_t lo = 0, best_lo = 0, best_hi = 0;
	for (size_t hi = 0; hi < n; hi++) {
		while ((ktime_slot15(firsts[hi]) - ktime_slot15(firsts[lo])) / QUARTER_MS >=
		    ATTEND_SLOTS_MAX)
			lo++;
		/* On a tie the later span: test scans come before an event. */
		if (hi - lo >= best_hi - best_lo) {
			best_lo = lo;
			best_hi = hi;
		}
	}
	/* Within it, a few arrivals a day or more before or after all the
	 * others (test scans the week before, a wrong clock) are counted
	 * apart too: a quarter-hour plot of 14 days has no room for the
	 * event's evening. A few: at most one in twenty (two at least) and at
	 * most a fifth of the rest, so that a second day of the event stays.
	 * At an event of days, only three days or more apart: its days follow
	 * one another, and a small one (a workshop the day before, a closing
	 * evening) is the event's, not a test scan; left out, the quarter
	 * hours did not add up to who came each day, and its guests were
	 * called "a test scan, or a wrong clock?". */
	for (;;) {
		size_t a = best_lo, b = best_hi;
		while (a < best_hi && firsts[a + 1] - firsts[a] < apart)
			a++;
		if (a == best_hi)
			break; /* one run of arrivals */
		while (b > best_lo && firsts[b] - firsts[b - 1] < apart)
			b--;
		size_t total = best_hi - best_lo + 1, few = total / 20 > 2 ? total / 20 : 2;
		size_t head = a - best_lo + 1, tail = best_hi - b + 1;
		if (head <= few && head * 4 <= total - head && head <= tail)
			best_lo = a + 1;
		else if (tail <= few && tail * 4 <= total - tail)
			best_hi = b - 1;
		else
			break;
	}
	int64_t first = ktime_slot15(firsts[best_lo]), last = ktime_slot15(firsts[best_hi]);
	/* Slots are cut in local time but stepped in UTC: a quarter hour is a
	 * quarter hour on both sides of a DST change. */
	st->nslots = (size_t)((last - first) / QUARTER_MS) + 1;
	st->slots = xcalloc(st->nslots, sizeof *st->slots);
	for (size_t i = 0; i < st->nslots; i++)
		st->slots[i].start = first + (int64_t)i * QUARTER_MS;
	for (size_t i = best_lo; i <= best_hi; i++)
		st->slots[(ktime_slot15(firsts[i]) - first) / QUARTER_MS].arrivals++;
	st->outside = (int)(n - (best_hi - best_lo + 1));
}

/* Who came each day of an event of days, into st, from the day's first
 * admissions (ascending): an empty list (not NULL) when nobody came yet,
 * so that it still reads as an event of days. */
static void
days_of(struct attend_stats *st, const int64_t *firsts, size_t n)
{
	size_t cap = 8;
	st->days = xreallocarray(NULL, cap, sizeof *st->days);
	for (size_t i = 0; i < n; i++) {
		int day = ktime_day(firsts[i]);
		if (st->ndays > 0 && st->days[st->ndays - 1].day == day) {
			st->days[st->ndays - 1].came++;
			continue;
		}
		if (st->ndays == cap) {
			cap *= 2;
			st->days = xreallocarray(st->days, cap, sizeof *st->days);
		}
		st->days[st->ndays].day = day;
		st->days[st->ndays++].came = 1;
	}
}

/* The times of q's first column (ascending) appended to (*firsts, *n, *cap);
 * q is reset. Returns 0, or -1 with *cause (q NULL: store_stmt's). */
static int
read_firsts(struct store *s, sqlite3_stmt *q, int64_t **firsts, size_t *n, size_t *cap,
    char **cause)
{
	if (q == NULL)
		return -1;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			*firsts = xreallocarray(*firsts, *cap, sizeof **firsts);
		}
		(*firsts)[(*n)++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_reset(q);
	if (step != SQLITE_DONE)
		return store_fail(s, cause, "cannot read check-ins");
	return 0;
}

int
attend_stats(struct store *s, struct attend_stats *out, char **cause)
{
	struct attend_stats st;
	int64_t *firsts = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	/* Inside the caller's transaction, the figures agree with its rows. */
	bool own = sqlite3_get_autocommit(store_db(s)) != 0;

	memset(&st, 0, sizeof st);
	if (own && store_begin_read(s, cause) != 0)
		return -1;
	if (count(s, "SELECT count(*) FROM guest g WHERE " COUNTED, &st.registered, cause) ||
	    count(s, "SELECT count(*) FROM guest g WHERE g.cancelled AND NOT " ADMITTED,
	    &st.cancelled, cause) ||
	    count(s, "SELECT count(*) FROM guest g WHERE g.cancelled AND " ADMITTED,
	    &st.cancelled_after_checkin, cause) ||
	    count(s, "SELECT count(*) FROM guest g WHERE " COUNTED " AND g.source = 'walkin'",
	    &st.walkins, cause) ||
	    /* Doors that could not talk each registered the same walk-in:
	     * neither knew of the other's to warn (guest_find_twin). The
	     * walk-ins are few: compared among themselves. */
	    count(s, "WITH w AS MATERIALIZED (SELECT g.id, g.sort_key, g.email FROM guest g"
	    " WHERE " COUNTED " AND g.source = 'walkin' AND coalesce(g.forgotten_at, 0) = 0)"
	    " SELECT count(*) FROM w a WHERE EXISTS (SELECT 1 FROM w b WHERE b.id <> a.id AND"
	    " ((a.sort_key <> '' AND b.sort_key = a.sort_key) OR (a.email <> '' AND"
	    " b.email = a.email COLLATE NOCASE)))", &st.walkins_alike, cause) ||
	    count(s, "SELECT count(*) FROM scan s WHERE s.result = 'already_checked_in' AND NOT "
	    "EXISTS (SELECT 1 FROM checkin c WHERE c.guest_uuid = s.guest_uuid AND c.at BETWEEN "
	    "s.at - " ECHO_MS_TEXT " AND s.at AND c.kind = 'in' AND c.kiosk = s.kiosk)",
	    &st.repeat_scans, cause) ||
	    /* of guests with a row, as the export's rows: a guest with a
	     * duplicate came, so is counted even when cancelled since */
	    count(s, "SELECT count(*) FROM (" EVENTS ") e JOIN guest g ON g.uuid = e.guest_uuid"
	    " WHERE " IS_DUPLICATE("e"), &st.duplicate_entries, cause))
		goto out;
	/* Every guest who came is counted, cancelled since or not. */
	if (read_firsts(s, store_stmt(s, "SELECT " FIRST_IN("at") " AS first FROM guest g"
	    " WHERE first IS NOT NULL ORDER BY first", cause), &firsts, &n, &cap, cause) != 0)
		goto out;
	st.checked_in = (int)n;
	st.no_shows = st.registered - st.checked_in;
	/* At an event of days, the arrivals are each day's first admissions,
	 * as the door's and the live page's: the plot's line then starts
	 * again each day (plot.c), ending at who came that day. */
	if (store_each_day(s)) {
		n = 0;
		if (read_firsts(s, store_stmt(s, "SELECT first FROM (" ARRIVALS_OF_DAYS ")"
		    " ORDER BY first", cause), &firsts, &n, &cap, cause) != 0)
			goto out;
		days_of(&st, firsts, n);
	}
	if (n > 0)
		make_slots(&st, firsts, n, store_each_day(s));
	*out = st;
	memset(&st, 0, sizeof st);
	rc = 0;
out:
	if (own)
		store_rollback(s);
	free(firsts);
	attend_stats_free(&st);
	return rc;
}

void
attend_stats_free(struct attend_stats *st)
{
	free(st->slots);
	st->slots = NULL;
	st->nslots = 0;
	free(st->days);
	st->days = NULL;
	st->ndays = 0;
}

int
attend_counts(struct store *s, int64_t now, struct attend_counts *c, char **cause)
{
	struct attend_counts n = { 0 };
	int rc = -1;
	/* Three statements, one snapshot: a door syncing between them (a
	 * walk-in registered, a batch of check-ins) must not give more
	 * walk-ins or check-ins than registered guests. In the caller's
	 * transaction when one is open, as attend_stats. */
	bool own = sqlite3_get_autocommit(store_db(s)) != 0;

	if (own && store_begin_read(s, cause) != 0)
		return -1;
	/* As attend_stats counts them: every guest who came, by their first
	 * admission (a second one at another door is a duplicate, not an
	 * arrival), cancelled since or not. Counted over the check-ins joined
	 * to their guest, not guest by guest: the door asks this every few
	 * seconds while other doors sync, and a 100,000-guest event took 0.1 s
	 * guest by guest, 0.06 s joined. */
	/* At an event of days, "in the last hour" is of each day's first
	 * admissions: on day two nobody is an arrival (ARRIVALS_OF_DAYS); a
	 * guest in at 23:59 and again at 00:01 is one of them. */
	sqlite3_stmt *st = store_each_day(s) ?
	    store_stmt(s, "SELECT count(DISTINCT guest_uuid), count(DISTINCT CASE WHEN"
	    " first >= ?1 THEN guest_uuid END), count(DISTINCT CASE WHEN first >= ?2 THEN"
	    " guest_uuid END) FROM (" ARRIVALS_OF_DAYS ")", cause) :
	    store_stmt(s, "SELECT count(*), coalesce(sum(first >= ?1), 0), 0 FROM (" ARRIVALS ")",
	    cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, now - 3600 * 1000);
	if (store_each_day(s))
		sqlite3_bind_int64(st, 2, ktime_day_start(now));
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		n.checked_in = sqlite3_column_int(st, 0);
		n.last_hour = sqlite3_column_int(st, 1);
		n.today = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW) {
		store_fail(s, cause, "cannot count");
		goto out;
	}
	if (count(s, "SELECT count(*) FROM guest g WHERE " COUNTED, &n.registered, cause) ||
	    count(s, "SELECT count(*) FROM guest g WHERE " COUNTED " AND g.source = 'walkin'",
	    &n.walkins, cause))
		goto out;
	*c = n;
	rc = 0;
out:
	if (own)
		store_rollback(s);
	return rc;
}

int
attend_arrivals_from(struct store *s, int64_t from, int *out, size_t n, char **cause)
{
	/* The firsts of attend_counts, in the window. Zones' offsets are whole
	 * quarter hours, so local quarters are 15 minutes apart in UTC too. */
	sqlite3_stmt *st = store_each_day(s) ?
	    store_stmt(s, "SELECT first FROM (" ARRIVALS_OF_DAYS ") WHERE first >= ? AND"
	    " first < ?", cause) :
	    store_stmt(s, "SELECT first FROM (" ARRIVALS ") WHERE first >= ? AND first < ?",
	    cause);
	if (st == NULL)
		return -1;
	memset(out, 0, n * sizeof *out);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, from + (int64_t)n * QUARTER_MS);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		out[(sqlite3_column_int64(st, 0) - from) / QUARTER_MS]++;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read arrivals");
	return 0;
}

/* The first admission not undone of the guest of e: the one that counts
 * (at an event of days, that day's: an earlier day's is no part of it). */
#define FIRST_OF(col) "(SELECT f." col " FROM checkin f WHERE f.guest_uuid = e.guest_uuid" \
	" AND f.kind = 'in' AND" NOT_UNDONE("f") " AND kiosk_day(f.at) = kiosk_day(e.at)" \
	" ORDER BY f.at, f.uuid LIMIT 1)"

int
attend_duplicates(struct store *s, int limit, attend_dupe_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT g.first_name, g.last_name, g.code, e.at, e.kiosk, "
	    FIRST_OF("at") ", " FIRST_OF("kiosk")
	    " FROM (" EVENTS ") e JOIN guest g ON g.uuid = e.guest_uuid"
	    " WHERE " IS_DUPLICATE("e") " ORDER BY e.at DESC, e.id DESC LIMIT ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, limit);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *first = (const char *)sqlite3_column_text(st, 0);
		const char *last = (const char *)sqlite3_column_text(st, 1);
		char *name = first[0] && last[0] ? xasprintf("%s %s", first, last) :
		    xstrdup(first[0] ? first : last);
		struct attend_dupe d = {
			name, (const char *)sqlite3_column_text(st, 2),
			sqlite3_column_int64(st, 5), (const char *)sqlite3_column_text(st, 6),
			sqlite3_column_int64(st, 3), (const char *)sqlite3_column_text(st, 4),
		};
		n++;
		int stop = fn(&d, arg);
		free(name);
		if (stop)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read duplicate entries");
	return n;
}
