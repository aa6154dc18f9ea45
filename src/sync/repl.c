/* repl: the records of docs/sync-protocol.md, between the store and JSON
 * (see repl.h).
 *
 * Rules:
 *  - Incoming records are checked field by field before anything is written;
 *    the first bad field aborts the whole batch or page (rolled back) with a
 *    message that names it: "checkins[12].at: expected an integer".
 *  - A record whose uuid is already here is "known" and changes nothing,
 *    except a guest copy that wins by last writer (merge.h).
 *  - A guest whose code belongs to another guest here (two lists imported
 *    apart) is not stored: it is counted as a conflict, never written over
 *    a guest who may have checked in already.
 *  - Kiosk side, what waits to be pushed: guests with dirty = 1, check-ins
 *    and scans with pushed = 0. Check-ins and scans are append-only, so a
 *    "floor" in sync_state (every id at or below it is pushed) keeps the
 *    search for unpushed rows short without an index on the door's path. */
#include "sync/repl.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/device.h"
#include "core/code.h"
#include "core/fold.h"
#include "core/guest.h"
#include "core/merge.h"
#include "core/util.h"

#define FLOOR_CHECKIN "push_floor_checkin"
#define FLOOR_SCAN    "push_floor_scan"
#define CURSOR_GUESTS "pull_cursor_guests"
#define CURSOR_CHECKINS "pull_cursor_checkins"
#define HUB_ROWS      "hub_reads_rows"  /* the hub's last page said push_rows */
#define START_OVERS   "start_overs"     /* repl_start_over's, counted */
#define LIST_SHORT    "list_short"      /* 1: a join's first pull has not reached the end */
#define HUB_DAYS      "hub_each_day"    /* the hub's last page said each_day */
#define HUB_SETTING   "sync_hub"        /* the hub the floors and cursors are for */
#define PULL_ANCHOR   "pull_anchor"     /* the uuid of the hub's check-in at the pull
                                         * position ("": none known) */

#define UUID_MAX      64    /* bytes of a record's uuid */
#define CODE_MAX      64    /* bytes of a code in a scan record; a guest's may be
                             * as long as an import takes (CODE_MAX_LEN) */
#define CODE_TAKEN    1024  /* and what a hub takes of one, kept to CODE_MAX: an
                             * older door sends all it audited (up to 256) */
#define RESULT_MAX    32    /* bytes of a scan's result in a check-in */
#define NAME_MAX_B    200   /* bytes of a kiosk or writer name */
#define FIELD_MAX     2000  /* bytes of a guest's text field */
#define PULL_EXAMINE  4     /* a pull page looks at most limit * this check-ins */
/* Bytes of guest rows a pull page or a push carries at most (one guest more
 * than that, whatever its size): 2,000 guests of an ordinary list are well
 * under it, but each may hold 64 KiB of extra fields (GUEST_EXTRA_MAX), and
 * a page over what the other side takes (8 MiB as sent, 64 unzipped) would
 * be refused at every try. */
#define GUEST_BYTES   ((size_t)2 << 20)
#define REPL_HOLD_NS  (20 * 1000000) /* how long a pull transaction holds the lock */

/* --- checking incoming fields ----------------------------------------------- */

/* Where a record is, for messages: "guests[3]". */
struct where {
	const char *kind;
	size_t i;
};

static enum repl_status
bad(char **cause, const struct where *w, const char *field, const char *what)
{
	util_fail(cause, "%s[%zu].%s: %s", w->kind, w->i, field, what);
	return REPL_BAD;
}

/* A string field: required unless opt, at most max bytes, no NUL (jansson
 * strings may hold one). Sets *out (borrowed, NULL when absent and opt). */
/* A control character becomes '?' (in place): a C0 byte or DEL, and a C1
 * one (U+0080 to U+009F, two bytes in UTF-8: "??", so the text stays
 * UTF-8; U+009B is a terminal's escape too). True when there was one. */
static bool
mark_controls(char *p)
{
	bool any = false;
	for (; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			*p = '?';
			any = true;
		} else if (c == 0xC2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9F) {
			p[0] = p[1] = '?';
			p++;
			any = true;
		}
	}
	return any;
}

/* A text field of o, at most max bytes, kept printable: what an import or
 * kiosk add stores never holds a control character, and one from a forged
 * push (a terminal's escape in a name, a tab before a formula) becomes a
 * '?', in o itself, rather than refuse the page (which would stop a sync
 * for good) or reach a terminal or a spreadsheet as it came. */
static enum repl_status
get_str(json_t *o, const char *field, bool opt, size_t max, const struct where *w,
    const char **out, char **cause)
{
	json_t *v = json_object_get(o, field);
	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (opt)
			return REPL_OK;
		return bad(cause, w, field, "missing");
	}
	if (!json_is_string(v))
		return bad(cause, w, field, "expected a string");
	size_t n = json_string_length(v);
	if (n > max) {
		char what[64];
		snprintf(what, sizeof what, "longer than %zu bytes", max);
		return bad(cause, w, field, what);
	}
	if (strlen(json_string_value(v)) != n)
		return bad(cause, w, field, "holds a NUL character");
	char *shown = xstrdup(json_string_value(v));
	if (mark_controls(shown)) {
		json_object_set_new(o, field, json_string_nocheck(shown));
		v = json_object_get(o, field);
	}
	free(shown);
	*out = json_string_value(v);
	return REPL_OK;
}

/* The extra fields of a pushed guest as an import stores them: an object
 * of strings, every key and value printable (get_str's rule). A value of
 * another type (a forged push's number or nested object) becomes its JSON
 * text, a NUL in a key or value ends it; neither refuses the page. */
static json_t *
printable_extra(json_t *x)
{
	json_t *shown = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(x, k, v) {
		char *key = xstrdup(k);
		char *val = json_is_string(v) ? xstrdup(json_string_value(v)) :
		    json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (val == NULL)
			val = xstrdup("");
		mark_controls(key);
		mark_controls(val);
		json_object_set_new(shown, key, json_string_nocheck(val));
		free(key);
		free(val);
	}
	return shown;
}

static bool
uuid_ok(const char *u)
{
	size_t n = strlen(u);
	if (n < 8 || n > UUID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((u[i] >= '0' && u[i] <= '9') || (u[i] >= 'a' && u[i] <= 'f') ||
		    (u[i] >= 'A' && u[i] <= 'F') || u[i] == '-'))
			return false;
	return true;
}

static enum repl_status
get_uuid(json_t *o, const char *field, bool opt, const struct where *w, const char **out,
    char **cause)
{
	enum repl_status r = get_str(o, field, opt, UUID_MAX, w, out, cause);
	if (r != REPL_OK || *out == NULL)
		return r;
	if (!uuid_ok(*out))
		return bad(cause, w, field, "not a UUID");
	return REPL_OK;
}

bool
repl_json_within(const char *text, size_t len)
{
	size_t containers = 0, tokens = 0;
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++; /* the escaped byte, a quote too */
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c) {
		case '"':
			in_string = true;
			break;
		case '{':
		case '[':
			if (++containers > REPL_JSON_CONTAINERS)
				return false;
			/* fall through */
		case ',':
		case ':':
			if (++tokens > REPL_JSON_TOKENS)
				return false;
			break;
		default:
			break;
		}
	}
	return true;
}

/* Times: ms since 1970 UTC, from 2000 to 2200: a 0 or a time in seconds is
 * a broken sender, not a guest who came in 1970. */
static bool
time_ok(long long t)
{
	return t >= MERGE_TIME_MIN && t <= MERGE_TIME_MAX;
}

static enum repl_status
get_time(json_t *o, const char *field, const struct where *w, int64_t *out, char **cause)
{
	json_t *v = json_object_get(o, field);
	if (v == NULL)
		return bad(cause, w, field, "missing");
	if (!json_is_integer(v))
		return bad(cause, w, field, "expected an integer");
	json_int_t t = json_integer_value(v);
	if (!time_ok(t))
		return bad(cause, w, field, "not a time in milliseconds since 1970");
	*out = (int64_t)t;
	return REPL_OK;
}

static bool
one_of(const char *s, const char *const *words)
{
	for (size_t i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/* --- guests ----------------------------------------------------------------- */

/* A guest record, checked. Strings borrowed from the JSON. */
struct in_guest {
	const char *uuid, *code, *ext_id, *first, *last, *email, *company, *type, *handle;
	const char *source, *by, *language;
	char *extra;              /* owned: the object as compact JSON text */
	bool cancelled;
	int64_t created_at, updated_at;
	int64_t cancelled_at;     /* when the cancellation was set; a record
	                           * without it (an older kiosk's): updated_at */
	int64_t fields_at;        /* when the other fields were; the same */
	int64_t forgotten_at;     /* kiosk forget erased it then; 0: not */
	const char *forgotten_key; /* guest_forget_key of the name it had, or NULL */
};

/* An optional stamp of part of a record, taken only when it is a time at
 * or before the record's own (updated_at): a row an older kiosk wrote into
 * a database a newer one had migrated has 0 there, and stops nobody's
 * sync. Else, as in a record without it, the record's own. */
static int64_t
stamp_before(json_t *o, const char *field, int64_t updated_at)
{
	json_t *v = json_object_get(o, field);
	if (json_is_integer(v) && json_integer_value(v) >= MERGE_TIME_MIN &&
	    json_integer_value(v) <= updated_at)
		return json_integer_value(v);
	return updated_at;
}

static enum repl_status
read_guest(json_t *o, const struct where *w, struct in_guest *g, char **cause)
{
	static const char *const sources[] = { "import", "walkin", NULL };
	enum repl_status r;

	memset(g, 0, sizeof *g);
	if (!json_is_object(o))
		return util_fail(cause, "%s[%zu]: expected an object", w->kind, w->i), REPL_BAD;
	if ((r = get_uuid(o, "uuid", false, w, &g->uuid, cause)) != REPL_OK ||
	    (r = get_str(o, "code", false, CODE_MAX_LEN, w, &g->code, cause)) != REPL_OK ||
	    (r = get_str(o, "ext_id", true, FIELD_MAX, w, &g->ext_id, cause)) != REPL_OK ||
	    (r = get_str(o, "first_name", true, FIELD_MAX, w, &g->first, cause)) != REPL_OK ||
	    (r = get_str(o, "last_name", true, FIELD_MAX, w, &g->last, cause)) != REPL_OK ||
	    (r = get_str(o, "email", true, FIELD_MAX, w, &g->email, cause)) != REPL_OK ||
	    (r = get_str(o, "company", true, FIELD_MAX, w, &g->company, cause)) != REPL_OK ||
	    (r = get_str(o, "ticket_type", true, FIELD_MAX, w, &g->type, cause)) != REPL_OK ||
	    (r = get_str(o, "handle", true, FIELD_MAX, w, &g->handle, cause)) != REPL_OK ||
	    (r = get_str(o, "language", true, 16, w, &g->language, cause)) != REPL_OK ||
	    (r = get_str(o, "source", false, 16, w, &g->source, cause)) != REPL_OK ||
	    (r = get_str(o, "updated_by", false, NAME_MAX_B, w, &g->by, cause)) != REPL_OK ||
	    (r = get_time(o, "created_at", w, &g->created_at, cause)) != REPL_OK ||
	    (r = get_time(o, "updated_at", w, &g->updated_at, cause)) != REPL_OK)
		return r;
	if (g->code[0] == '\0')
		return bad(cause, w, "code", "empty");
	if (!one_of(g->source, sources))
		return bad(cause, w, "source", "expected import or walkin");
	json_t *c = json_object_get(o, "cancelled");
	if (c != NULL && !json_is_boolean(c))
		return bad(cause, w, "cancelled", "expected true or false");
	g->cancelled = json_is_true(c);
	g->cancelled_at = stamp_before(o, "cancelled_at", g->updated_at);
	g->fields_at = stamp_before(o, "fields_at", g->updated_at);
	/* A forgotten copy holds nothing that names the guest, whatever it
	 * came with (a forged or a faulty one), and admits nobody. */
	json_t *f = json_object_get(o, "forgotten_at");
	if (f != NULL && !json_is_null(f) && !json_is_integer(f))
		return bad(cause, w, "forgotten_at", "expected an integer");
	if (json_is_integer(f) && json_integer_value(f) > 0) {
		g->forgotten_at = json_integer_value(f);
		/* the node that had the name keyed it; 64 hex digits or none */
		if ((r = get_str(o, "forgotten_key", true, FORGOTTEN_KEY_LEN, w, &g->forgotten_key,
		    cause)) != REPL_OK)
			return r;
		if (g->forgotten_key != NULL && (strlen(g->forgotten_key) != FORGOTTEN_KEY_LEN ||
		    strspn(g->forgotten_key, "0123456789abcdef") != FORGOTTEN_KEY_LEN))
			return bad(cause, w, "forgotten_key", "expected 64 hexadecimal digits");
		g->first = g->last = g->email = g->company = g->handle = g->language = "";
		g->cancelled = true;
		g->extra = xstrdup("{}");
		return REPL_OK;
	}
	json_t *x = json_object_get(o, "extra");
	if (x != NULL && !json_is_null(x)) {
		if (!json_is_object(x))
			return bad(cause, w, "extra", "expected an object");
		json_t *shown = printable_extra(x);
		g->extra = json_dumps(shown, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(shown);
		if (g->extra == NULL || strlen(g->extra) > GUEST_EXTRA_MAX) {
			free(g->extra);
			g->extra = NULL;
			return bad(cause, w, "extra", "too large");
		}
	}
	if (g->extra == NULL)
		g->extra = xstrdup("{}");
	return REPL_OK;
}

#define S(x) ((x) ? (x) : "")

/* Write a guest copy that is new here or wins over ours. id 0: insert.
 * old_words: the words of the copy it replaces, for the search index.
 * dirty: the copy written is not the one that came (news: it keeps our
 * cancellation), and goes to the hub in turn; keep_dirty: it keeps our
 * later stamp of the same cancellation, which goes to the hub if it was
 * going to. */
static enum repl_status
write_guest(struct store *s, const struct in_guest *g, int64_t id, const char *old_words,
    bool dirty, bool keep_dirty, bool *conflict, char **cause)
{
	char *words = fold_search_words(S(g->first), S(g->last), S(g->email));
	char *sort = fold_sort_key(S(g->first), S(g->last));
	enum repl_status r = REPL_FAILED;
	sqlite3_stmt *st;

	*conflict = false;
	if (id == 0)
		st = store_stmt(s, "INSERT INTO guest (uuid, code, ext_id, first_name, last_name,"
		    " email, company, ticket_type, handle, extra, source, cancelled, sort_key, words,"
		    " created_at, updated_at, updated_by, rev, dirty, language, cancelled_at,"
		    " fields_at, forgotten_at, forgotten_key) VALUES (?1, ?2, nullif(?3, ''), ?4, ?5,"
		    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
		    " (SELECT coalesce(max(rev), 0) + 1 FROM guest), ?21, ?19, ?20, nullif(?22, ?16),"
		    " ?24, ?25)", cause);
	else {
		/* The code first, on its own (guest_set_indexed): one another
		 * guest has here is a conflict, with nothing of the copy
		 * written. The other indexed columns after the rest. */
		if (guest_set_indexed(s, "UPDATE guest SET code = ?1 WHERE id = ?2 AND"
		    " code IS NOT ?1", id, g->code, conflict, cause) != 0)
			goto out;
		if (*conflict) {
			r = REPL_OK;
			goto out;
		}
		st = store_stmt(s, "UPDATE guest SET first_name = ?4, last_name = ?5, email = ?6,"
		    " company = ?7, ticket_type = ?8, handle = ?9, extra = ?10, source = ?11,"
		    " cancelled = ?12, words = ?14, created_at = ?15, updated_at = ?16,"
		    " updated_by = ?17, rev = (SELECT coalesce(max(rev), 0) + 1 FROM guest),"
		    " dirty = ?21 OR (dirty AND ?23), language = ?19, cancelled_at = ?20, fields_at = nullif(?22, ?16),"
		    " forgotten_at = ?24, forgotten_key = coalesce(forgotten_key, ?25) WHERE id = ?18",
		    cause);
	}
	if (st == NULL)
		goto out;
	struct guest_fields f = { .first_name = g->first, .last_name = g->last, .email = g->email,
		.company = g->company, .ticket_type = g->type, .handle = g->handle,
		.ext_id = g->ext_id, .extra = g->extra };
	guest_bind_fields(st, g->uuid, g->code, &f);
	sqlite3_bind_text(st, 11, g->source, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, g->cancelled);
	sqlite3_bind_text(st, 13, sort, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, words, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, g->created_at);
	sqlite3_bind_int64(st, 16, g->updated_at);
	sqlite3_bind_text(st, 17, g->by, -1, SQLITE_STATIC);
	if (id != 0)
		sqlite3_bind_int64(st, 18, id);
	sqlite3_bind_text(st, 19, S(g->language), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 20, g->cancelled_at);
	sqlite3_bind_int(st, 21, dirty);
	sqlite3_bind_int64(st, 22, g->fields_at);
	if (id != 0)
		sqlite3_bind_int(st, 23, keep_dirty);
	sqlite3_bind_int64(st, 24, g->forgotten_at);
	if (g->forgotten_key != NULL)
		sqlite3_bind_text(st, 25, g->forgotten_key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 25);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE &&
	    sqlite3_extended_errcode(store_db(s)) == SQLITE_CONSTRAINT_UNIQUE) {
		/* A new guest whose code is another guest's here (an update's
		 * code went first, above): see the rules above. */
		*conflict = true;
		r = REPL_OK;
		goto out;
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot store a guest");
		goto out;
	}
	if (id == 0) {
		id = sqlite3_last_insert_rowid(store_db(s));
		if (guest_index(s, id, words, cause) != 0)
			goto out;
	} else if (guest_set_indexed(s, "UPDATE guest SET ext_id = nullif(?1, '') WHERE id = ?2"
	    " AND ext_id IS NOT nullif(?1, '')", id, S(g->ext_id), NULL, cause) != 0 ||
	    guest_set_indexed(s, "UPDATE guest SET sort_key = ?1 WHERE id = ?2 AND"
	    " sort_key IS NOT ?1", id, sort, NULL, cause) != 0 ||
	    (strcmp(old_words, words) != 0 &&
	    guest_reindex(s, id, old_words, words, cause) != 0)) {
		goto out;
	}
	r = REPL_OK;
out:
	free(words);
	free(sort);
	return r;
}

/* A cancellation (cancelled, set at at) taken into our copy, whose fields
 * stay. stamp 0: only a later stamp of the one we have, kept quietly (the
 * hub serves it still, so that all nodes end with one stamp). Else the
 * result is news (merge_guest_plan): stamped so, its fields' own stamp
 * kept, and sent on (a door pushes it, the hub serves it). */
static enum repl_status
take_cancellation(struct store *s, int64_t id, bool cancelled, int64_t at, int64_t stamp,
    bool at_door, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE guest SET cancelled = ?1, cancelled_at = ?2,"
	    " fields_at = CASE WHEN ?4 THEN coalesce(fields_at, updated_at) ELSE fields_at END,"
	    " updated_at = CASE WHEN ?4 THEN ?4 ELSE updated_at END, dirty = dirty OR (?4 AND ?5),"
	    " rev = CASE WHEN ?4 OR NOT ?5 THEN (SELECT coalesce(max(rev), 0) + 1 FROM guest)"
	    " ELSE rev END WHERE id = ?3", cause);
	if (st == NULL)
		return REPL_FAILED;
	sqlite3_bind_int(st, 1, cancelled);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, stamp);
	sqlite3_bind_int(st, 5, at_door);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot store a guest"), REPL_FAILED;
	return REPL_OK;
}

/* Our forgotten copy, stamped anew (MERGE_FORGET_RESEND) as one whole
 * write, and sent on: a door pushes it, the hub serves it. */
static enum repl_status
resend_forgotten(struct store *s, int64_t id, int64_t stamp, bool at_door, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE guest SET updated_at = ?1, cancelled_at = ?1,"
	    " fields_at = NULL, dirty = dirty OR ?2,"
	    " rev = (SELECT coalesce(max(rev), 0) + 1 FROM guest) WHERE id = ?3", cause);
	if (st == NULL)
		return REPL_FAILED;
	sqlite3_bind_int64(st, 1, stamp);
	sqlite3_bind_int(st, 2, at_door);
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot store a guest"), REPL_FAILED;
	return REPL_OK;
}

/* After a commit that took forgotten copies (repl_counts.forgotten): their
 * old bytes are gone from the pages (secure_delete), but not from the
 * frames of the WAL that earlier writes left (a pull, an import on the hub,
 * a door's own edit), which a node holding the event open (the hub, a door
 * app) keeps until the WAL starts over, for days at a hub: emptied now, as
 * kiosk forget does. A reader in the way leaves it for the next forget, or
 * the last to close the event. */
static void
forget_wal(struct store *s, int forgotten)
{
	char *ignored = NULL;
	if (forgotten > 0 && store_checkpoint_truncate(s, &ignored) < 0)
		free(ignored);
}

/* Apply one incoming guest: new, or merged with ours (merge_guest_plan:
 * the later fields, the later cancellation). at_door: a pull (a door), not
 * a push (the hub). */
static enum repl_status
apply_guest(struct store *s, json_t *o, const struct where *w, bool at_door,
    struct repl_counts *stored, struct repl_counts *known, char **cause)
{
	struct in_guest g;
	enum repl_status r = read_guest(o, w, &g, cause);
	char *old_words = NULL;
	struct merge_copy have = { 0 };
	int64_t id = 0, have_forgotten = 0;
	bool conflict;

	if (r != REPL_OK)
		goto out;
	r = REPL_FAILED;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, updated_at, updated_by, words, cancelled,"
	    " cancelled_at, coalesce(fields_at, updated_at), forgotten_at FROM guest"
	    " WHERE uuid = ?", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_text(st, 1, g.uuid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		have.updated_at = sqlite3_column_int64(st, 1);
		have.by = xstrdup((const char *)sqlite3_column_text(st, 2));
		old_words = xstrdup((const char *)sqlite3_column_text(st, 3));
		have.cancelled = sqlite3_column_int(st, 4) != 0;
		have.cancelled_at = sqlite3_column_int64(st, 5);
		have.fields_at = sqlite3_column_int64(st, 6);
		have_forgotten = sqlite3_column_int64(st, 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot look up a guest");
		goto out;
	}
	if (!at_door) {
		/* the two others at or before updated_at, as a copy has them */
		g.updated_at = merge_pushed_stamp(g.updated_at, have.updated_at);
		g.fields_at = merge_pushed_stamp(g.fields_at, have.fields_at);
		g.cancelled_at = merge_pushed_stamp(g.cancelled_at, have.cancelled_at);
		if (g.fields_at > g.updated_at)
			g.fields_at = g.updated_at;
		if (g.cancelled_at > g.updated_at)
			g.cancelled_at = g.updated_at;
	}
	struct merge_copy in = { g.updated_at, g.fields_at, g.cancelled_at, g.by, g.cancelled };
	enum merge_forget fp = id != 0 ? merge_forget(&in, g.forgotten_at, &have, have_forgotten) :
	    MERGE_FORGET_NONE;
	if (fp == MERGE_FORGET_KEEP || fp == MERGE_FORGET_RESEND) {
		r = fp == MERGE_FORGET_KEEP ? REPL_OK : resend_forgotten(s, id,
		    merge_stamp(store_now(s), g.updated_at > have.updated_at ? g.updated_at :
		    have.updated_at), at_door, cause);
		if (r == REPL_OK)
			known->guests++;
		goto out;
	}
	if (fp == MERGE_FORGET_TAKE) {
		/* Ours erased here as the node that forgot them did, taken
		 * whole (its stamps), with the old bytes overwritten. */
		r = REPL_FAILED;
		if (store_secure_delete(s, true, cause) != 0)
			goto out;
		if (guest_erase(s, id, g.forgotten_at, cause) == 0) {
			free(old_words);
			old_words = fold_search_words("", "", "");
			r = write_guest(s, &g, id, old_words, false, false, &conflict, cause);
		}
		/* Ours was the later (an edit made here since the forget): an
		 * older kiosk that has it goes by the stamps and would keep
		 * the name; stamped anew after both, as for a resend. */
		if (r == REPL_OK && !conflict && !merge_guest_wins(g.updated_at, g.by,
		    have.updated_at, have.by))
			r = resend_forgotten(s, id, merge_stamp(store_now(s), g.updated_at >
			    have.updated_at ? g.updated_at : have.updated_at), at_door, cause);
		char *ignored = NULL;
		store_secure_delete(s, false, &ignored);
		free(ignored);
		if (r == REPL_OK) {
			if (conflict)
				stored->conflicts++;
			else
				stored->guests++;
			stored->forgotten++;
		}
		goto out;
	}
	struct merge_plan p = { true, true, false };
	bool in_later = true;
	if (id != 0) {
		p = merge_guest_plan(&in, &have);
		in_later = merge_guest_wins(g.updated_at, g.by, have.updated_at, have.by);
	}
	int64_t stamp = p.news ? merge_stamp(store_now(s), in_later ? g.updated_at :
	    have.updated_at) : 0;
	if (!p.news && !in_later) {
		/* Ours stands; a later stamp of the same cancellation is kept,
		 * quietly. */
		r = REPL_OK;
		if (p.cancel && g.cancelled_at != have.cancelled_at)
			r = take_cancellation(s, id, g.cancelled, g.cancelled_at, 0, at_door, cause);
		if (r == REPL_OK)
			known->guests++;
		goto out;
	}
	if (!p.fields && p.news) {
		/* Our fields, with its cancellation or ours, as a new copy. */
		r = take_cancellation(s, id, p.cancel ? g.cancelled : have.cancelled,
		    p.cancel ? g.cancelled_at : have.cancelled_at, stamp, at_door, cause);
		if (r == REPL_OK)
			stored->guests++;
		goto out;
	}
	bool kept_stamp = !p.cancel && g.cancelled_at != have.cancelled_at;
	if (!p.cancel) {
		g.cancelled = have.cancelled;
		g.cancelled_at = have.cancelled_at;
	}
	if (p.news)
		g.updated_at = stamp;
	r = write_guest(s, &g, id, old_words, p.news && at_door, kept_stamp, &conflict, cause);
	if (r == REPL_OK) {
		if (conflict)
			stored->conflicts++;
		else
			stored->guests++;
	}
out:
	free(g.extra);
	free(old_words);
	free((char *)have.by);
	return r;
}

/* --- check-ins and scans ---------------------------------------------------- */

/* A check-in record, checked. Strings borrowed from the JSON or the row. */
struct in_checkin {
	const char *uuid, *guest, *kind, *undoes, *kiosk, *scan;
	int64_t at;
};

/* What holds for a check-in however it came: a known kind, and an undo
 * (only an undo) names the check-in it cancels. */
static enum repl_status
check_checkin(const struct in_checkin *c, const struct where *w, char **cause)
{
	static const char *const kinds[] = { "in", "out", "undo", NULL };
	if (!one_of(c->kind, kinds))
		return bad(cause, w, "kind", "expected in, out or undo");
	if ((strcmp(c->kind, "undo") == 0) != (c->undoes != NULL))
		return bad(cause, w, "undoes", strcmp(c->kind, "undo") == 0 ?
		    "missing (an undo names the check-in it cancels)" : "only an undo has it");
	return REPL_OK;
}

static enum repl_status
read_checkin(json_t *o, const struct where *w, struct in_checkin *c, char **cause)
{
	enum repl_status r;
	if (!json_is_object(o))
		return util_fail(cause, "%s[%zu]: expected an object", w->kind, w->i), REPL_BAD;
	if ((r = get_uuid(o, "uuid", false, w, &c->uuid, cause)) != REPL_OK ||
	    (r = get_uuid(o, "guest", false, w, &c->guest, cause)) != REPL_OK ||
	    (r = get_str(o, "kind", false, 8, w, &c->kind, cause)) != REPL_OK ||
	    (r = get_uuid(o, "undoes", true, w, &c->undoes, cause)) != REPL_OK ||
	    (r = get_time(o, "at", w, &c->at, cause)) != REPL_OK ||
	    (r = get_str(o, "kiosk", false, NAME_MAX_B, w, &c->kiosk, cause)) != REPL_OK ||
	    (r = get_str(o, "scan", true, RESULT_MAX, w, &c->scan, cause)) != REPL_OK)
		return r;
	return check_checkin(c, w, cause);
}

static enum repl_status
store_checkin(struct store *s, const struct in_checkin *c, const char *origin,
    bool with_scan, struct repl_counts *stored, struct repl_counts *known, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO checkin (uuid, guest_uuid, kind, undoes,"
	    " at, kiosk, pushed, origin) VALUES (?, ?, ?, ?, ?, ?, 1, ?)"
	    " ON CONFLICT (uuid) DO NOTHING", cause);
	if (st == NULL)
		return REPL_FAILED;
	sqlite3_bind_text(st, 1, c->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->guest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->kind, -1, SQLITE_STATIC);
	if (c->undoes != NULL)
		sqlite3_bind_text(st, 4, c->undoes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, c->at);
	sqlite3_bind_text(st, 6, c->kiosk, -1, SQLITE_STATIC);
	if (origin != NULL)
		sqlite3_bind_text(st, 7, origin, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot store a check-in");
		return REPL_FAILED;
	}
	if (sqlite3_changes(store_db(s)) == 0) {
		known->checkins++;
	} else {
		stored->checkins++;
		/* the name the door gives itself, for the hub's list of doors */
		if (origin != NULL && device_note_door(s, origin, c->kiosk, cause) != 0)
			return REPL_FAILED;
	}
	if (!with_scan || c->scan == NULL)
		return REPL_OK;
	/* The scan that made this check-in travelled inside it (same uuid),
	 * and is stored even when the check-in is known: a door made the hub
	 * has the others' check-ins from its pulls, which bring no scans. */
	st = store_stmt(s, "INSERT INTO scan (uuid, at, kiosk, code, result, guest_uuid, pushed)"
	    " VALUES (?1, ?2, ?3, coalesce((SELECT code FROM guest WHERE uuid = ?5), ''), ?4,"
	    " ?5, 1) ON CONFLICT (uuid) DO NOTHING", cause);
	if (st == NULL)
		return REPL_FAILED;
	sqlite3_bind_text(st, 1, c->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, c->at);
	sqlite3_bind_text(st, 3, c->kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->scan, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->guest, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot store a scan");
		return REPL_FAILED;
	}
	return REPL_OK;
}

static enum repl_status
apply_checkin(struct store *s, json_t *o, const char *origin, bool with_scan,
    const struct where *w, struct repl_counts *stored, struct repl_counts *known,
    char **cause)
{
	struct in_checkin c = { 0 };
	enum repl_status r = read_checkin(o, w, &c, cause);
	if (r != REPL_OK)
		return r;
	return store_checkin(s, &c, origin, with_scan, stored, known, cause);
}

/* --- check-ins as rows ------------------------------------------------------ */

/* Pull pages for a kiosk that asks (Kiosk-Accept: checkin-rows) carry their
 * check-ins as one string of rows, "checkin_rows", instead of an array of
 * objects: reading 2,000 objects with jansson made a fifth of a syncing
 * kiosk's time, and the rows are read in place. Kiosks push their
 * check-ins the same way to a hub whose pages came as rows. A row is uuid,
 * guest, kind, at, kiosk, undoes, scan (the last two empty when none),
 * separated by tabs and ended by a newline; in a field, a backslash, tab,
 * newline or carriage return is written \\, \t, \n or \r. */
#define ROW_FIELDS 7

/* Append field v (n bytes of UTF-8) to b as a row's field and then end (a
 * tab or a newline), already escaped as the inside of a JSON string: the
 * hub keeps rows in this form, and a page is its rows between quotes
 * (jansson, asked to write the string, spent as long as on objects). */
static int
add_row_field(struct buf *b, const char *v, size_t n, char end)
{
	int rc = 0;
	size_t from = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char ch = (unsigned char)v[i];
		char u[8];
		const char *esc = ch == '\\' ? "\\\\\\\\" : ch == '\t' ? "\\\\t" :
		    ch == '\n' ? "\\\\n" : ch == '\r' ? "\\\\r" : ch == '"' ? "\\\"" : NULL;
		if (esc == NULL && ch < 0x20) {
			snprintf(u, sizeof u, "\\u%04x", ch);
			esc = u;
		}
		if (esc == NULL)
			continue;
		rc = buf_add(b, v + from, i - from) || buf_add(b, esc, strlen(esc));
		from = i + 1;
	}
	if (rc == 0)
		rc = buf_add(b, v + from, n - from) || buf_add(b, end == '\t' ? "\\t" : "\\n", 2);
	return rc ? -1 : 0;
}

/* Undo add_row_field's escapes in the field at f (NUL-ended), in place;
 * false when a backslash starts no escape. */
static bool
unescape_row_field(char *f)
{
	char *out = f;
	for (const char *p = f; *p != '\0'; p++) {
		if (*p != '\\') {
			*out++ = *p;
			continue;
		}
		p++;
		switch (*p) {
		case '\\': *out++ = '\\'; break;
		case 't': *out++ = '\t'; break;
		case 'n': *out++ = '\n'; break;
		case 'r': *out++ = '\r'; break;
		default: return false;
		}
	}
	*out = '\0';
	return true;
}

/* The row at line (NUL-ended, without its newline; changed in place) as a
 * check-in, checked as read_checkin checks a record. */
static enum repl_status
read_checkin_row(char *line, const struct where *w, struct in_checkin *c, char **cause)
{
	static const char *const names[ROW_FIELDS] = { "uuid", "guest", "kind", "at", "kiosk",
	    "undoes", "scan" };
	char *f[ROW_FIELDS];
	int n = 0;
	for (char *p = line;; p++) {
		if (n == ROW_FIELDS)
			return util_fail(cause, "%s[%zu]: more than %d fields", w->kind, w->i,
			    ROW_FIELDS), REPL_BAD;
		f[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p = '\0';
	}
	if (n != ROW_FIELDS)
		return util_fail(cause, "%s[%zu]: %d fields; a row has %d", w->kind, w->i, n,
		    ROW_FIELDS), REPL_BAD;
	for (int i = 0; i < ROW_FIELDS; i++)
		if (!unescape_row_field(f[i]))
			return bad(cause, w, names[i], "a backslash that starts no escape");
	c->uuid = f[0];
	c->guest = f[1];
	c->kind = f[2];
	mark_controls(f[4]); /* as get_str: printable, as a door writes it */
	c->kiosk = f[4];
	c->undoes = f[5][0] != '\0' ? f[5] : NULL;
	mark_controls(f[6]);
	c->scan = f[6][0] != '\0' ? f[6] : NULL;
	if (c->scan != NULL && strlen(c->scan) > RESULT_MAX)
		return bad(cause, w, "scan", "longer than 32 bytes");
	if (!uuid_ok(c->uuid))
		return bad(cause, w, "uuid", "not a UUID");
	if (!uuid_ok(c->guest))
		return bad(cause, w, "guest", "not a UUID");
	if (c->undoes != NULL && !uuid_ok(c->undoes))
		return bad(cause, w, "undoes", "not a UUID");
	if (strlen(c->kiosk) > NAME_MAX_B)
		return bad(cause, w, "kiosk", "too long");
	char *end = NULL;
	errno = 0;
	long long t = strtoll(f[3], &end, 10);
	if (f[3][0] < '0' || f[3][0] > '9' || *end != '\0' || errno != 0 || !time_ok(t))
		return bad(cause, w, "at", "not a time in milliseconds since 1970");
	c->at = (int64_t)t;
	return check_checkin(c, w, cause);
}

static enum repl_status
apply_scan(struct store *s, json_t *o, const struct where *w, struct repl_counts *stored,
    struct repl_counts *known, char **cause)
{
	const char *uuid, *kiosk, *code, *result, *guest;
	int64_t at;
	enum repl_status r;

	if (!json_is_object(o))
		return util_fail(cause, "%s[%zu]: expected an object", w->kind, w->i), REPL_BAD;
	if ((r = get_uuid(o, "uuid", false, w, &uuid, cause)) != REPL_OK ||
	    (r = get_time(o, "at", w, &at, cause)) != REPL_OK ||
	    (r = get_str(o, "kiosk", false, NAME_MAX_B, w, &kiosk, cause)) != REPL_OK ||
	    (r = get_str(o, "code", false, CODE_TAKEN, w, &code, cause)) != REPL_OK ||
	    (r = get_str(o, "result", false, 32, w, &result, cause)) != REPL_OK ||
	    (r = get_uuid(o, "guest", true, w, &guest, cause)) != REPL_OK)
		return r;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO scan (uuid, at, kiosk, code, result,"
	    " guest_uuid, pushed) VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (uuid) DO NOTHING",
	    cause);
	if (st == NULL)
		return REPL_FAILED;
	/* What was scanned is kept printable, as a door writes it (its audit
	 * text): a control byte from a forged push is a '?', never something
	 * a terminal or an export acts on; and to CODE_MAX bytes, cut between
	 * characters, as a door of this version sends it (one of before sent
	 * a poster's whole URL, and a refusal stopped its every push). */
	char *shown = xstrndup(code, util_utf8_cut(code, strlen(code), CODE_MAX));
	mark_controls(shown);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, shown, -1, SQLITE_TRANSIENT);
	free(shown);
	sqlite3_bind_text(st, 5, result, -1, SQLITE_STATIC);
	if (guest != NULL)
		sqlite3_bind_text(st, 6, guest, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot store a scan");
		return REPL_FAILED;
	}
	if (sqlite3_changes(store_db(s)) == 0)
		known->scans++;
	else
		stored->scans++;
	return REPL_OK;
}

/* The array body[key]: absent is empty; anything else but an array is bad. */
static enum repl_status
get_array(json_t *body, const char *key, json_t **out, bool *too_big, char **cause)
{
	json_t *a = json_object_get(body, key);
	*out = NULL;
	if (a == NULL || json_is_null(a))
		return REPL_OK;
	if (!json_is_array(a)) {
		util_fail(cause, "%s: expected an array", key);
		return REPL_BAD;
	}
	if (json_array_size(a) > REPL_MAX_RECORDS) {
		if (too_big != NULL)
			*too_big = true;
		util_fail(cause, "%s: %zu records; at most %d in one request", key,
		    json_array_size(a), REPL_MAX_RECORDS);
		return REPL_BAD;
	}
	*out = a;
	return REPL_OK;
}

/* The "checkin_rows" string of body, if any: a copy to split in place
 * (*rows, caller frees; NULL when absent) and its number of rows. */
static enum repl_status
get_rows(json_t *body, char **rows, size_t *nrows, bool *too_big, char **cause)
{
	json_t *rv = json_object_get(body, "checkin_rows");
	*rows = NULL;
	*nrows = 0;
	if (rv == NULL || json_is_null(rv))
		return REPL_OK;
	if (!json_is_string(rv))
		return util_fail(cause, "checkin_rows: expected a string"), REPL_BAD;
	size_t n = json_string_length(rv), count = 0;
	const char *v = json_string_value(rv);
	if (memchr(v, '\0', n) != NULL)
		return util_fail(cause, "checkin_rows: holds a NUL character"), REPL_BAD;
	if (n > 0 && v[n - 1] != '\n')
		return util_fail(cause, "checkin_rows: the last row has no end"), REPL_BAD;
	for (const char *p = v; (p = memchr(p, '\n', (size_t)(v + n - p))) != NULL; p++)
		count++;
	if (count > REPL_MAX_RECORDS) {
		if (too_big != NULL)
			*too_big = true;
		return util_fail(cause, "checkin_rows: %zu rows; at most %d in one request", count,
		    REPL_MAX_RECORDS), REPL_BAD;
	}
	*rows = xstrndup(v, n);
	*nrows = count;
	return REPL_OK;
}

static int chunk(struct store *s, int64_t *since, char **cause);

/* Store the nrows rows at rows (from get_rows; split in place) as
 * check-ins; with origin and their scans on the hub (with_scan). */
static enum repl_status
apply_checkin_rows(struct store *s, char *rows, size_t nrows, const char *origin,
    bool with_scan, int64_t *since, struct repl_counts *stored, struct repl_counts *known,
    char **cause)
{
	char *line = rows;
	enum repl_status r = REPL_OK;
	for (size_t i = 0; i < nrows && r == REPL_OK; i++) {
		struct where w = { "checkin_rows", i };
		struct in_checkin c;
		char *end = strchr(line, '\n');
		*end = '\0';
		if ((r = read_checkin_row(line, &w, &c, cause)) == REPL_OK &&
		    (r = store_checkin(s, &c, origin, with_scan, stored, known, cause)) == REPL_OK &&
		    since != NULL && chunk(s, since, cause) != 0)
			r = REPL_FAILED;
		line = end + 1;
	}
	return r;
}

/* --- hub side --------------------------------------------------------------- */

static enum repl_status
mark_served(struct store *s, char **cause)
{
	bool served;
	if (repl_served(s, &served, cause) != 0 ||
	    (!served && store_setting_set(s, HUB_SETTING, REPL_HUB_SERVED, cause) != 0))
		return REPL_FAILED;
	return REPL_OK;
}

enum repl_status
repl_store_push(struct store *s, const char *device, json_t *body,
    struct repl_counts *stored, struct repl_counts *known, bool *too_big, char **cause)
{
	json_t *guests, *checkins, *scans;
	char *rows = NULL;
	size_t nrows = 0;
	enum repl_status r;

	memset(stored, 0, sizeof *stored);
	memset(known, 0, sizeof *known);
	if (too_big != NULL)
		*too_big = false;
	if (!json_is_object(body)) {
		util_fail(cause, "the body must be a JSON object");
		return REPL_BAD;
	}
	if ((r = get_array(body, "guests", &guests, too_big, cause)) != REPL_OK ||
	    (r = get_array(body, "checkins", &checkins, too_big, cause)) != REPL_OK ||
	    (r = get_array(body, "scans", &scans, too_big, cause)) != REPL_OK ||
	    (r = get_rows(body, &rows, &nrows, too_big, cause)) != REPL_OK)
		return r;
	if (store_begin(s, cause) != 0) {
		free(rows);
		return REPL_FAILED;
	}
	size_t i;
	json_t *v;
	json_array_foreach(guests, i, v) {
		struct where w = { "guests", i };
		if ((r = apply_guest(s, v, &w, false, stored, known, cause)) != REPL_OK)
			goto out;
	}
	json_array_foreach(checkins, i, v) {
		struct where w = { "checkins", i };
		if ((r = apply_checkin(s, v, device, true, &w, stored, known, cause)) != REPL_OK)
			goto out;
	}
	if ((r = apply_checkin_rows(s, rows, nrows, device, true, NULL, stored, known,
	    cause)) != REPL_OK)
		goto out;
	json_array_foreach(scans, i, v) {
		struct where w = { "scans", i };
		if ((r = apply_scan(s, v, &w, stored, known, cause)) != REPL_OK)
			goto out;
	}
	/* What a hub stores is kept as sent (the door sent it): should this
	 * database sync with a hub later (a door that stood in as the hub, and
	 * joined the hub once it was back, perhaps while its doors still
	 * pushed here), its next round starts over and passes it on. Written
	 * only when it says otherwise: a hub's pushes pay one read. */
	if (stored->guests + stored->checkins + stored->scans > 0 &&
	    (r = mark_served(s, cause)) != REPL_OK)
		goto out;
	r = store_commit(s, cause) == 0 ? REPL_OK : REPL_FAILED;
	if (r == REPL_OK)
		forget_wal(s, stored->forgotten);
out:
	free(rows);
	if (r != REPL_OK) {
		store_rollback(s);
		memset(stored, 0, sizeof *stored);
		memset(known, 0, sizeof *known);
	}
	return r;
}

/* Text of a stored row as a JSON string. Whatever kiosk writes today is
 * UTF-8; an older kiosk stored some text unchecked (a Latin-1 kiosk name, a
 * scanner's bytes), and json_string() refuses that with NULL, which would
 * drop the record from the batch unseen. Such bytes travel as U+FFFD. */
static json_t *
text(const char *s)
{
	json_t *v = json_string(s ? s : "");
	if (v == NULL) {
		char *fixed = util_utf8_fix(s);
		v = json_string(fixed);
		free(fixed);
	}
	return v;
}

static json_t *
column_text(sqlite3_stmt *st, int col)
{
	return text((const char *)sqlite3_column_text(st, col));
}

/* A column known to be UTF-8 (a uuid we checked, a kind the table's CHECK
 * allows), without checking it again. The text first, then its length: the
 * order SQLite documents. */
static json_t *
column_known(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	return json_stringn_nocheck(v ? v : "", v ? (size_t)sqlite3_column_bytes(st, col) : 0);
}

/* A guest row (GUEST_COLUMNS, then created_at, then language at column
 * lang, cancelled_at at column cat, fields_at, forgotten_at and
 * forgotten_key after it) as a record; fields_at only when apart from
 * updated_at (NULL in the row), forgotten_at and its key only when
 * forgotten. */
static json_t *
guest_json(sqlite3_stmt *st, int lang, int cat)
{
	struct guest g;
	guest_from_row(st, &g);
	json_t *extra = json_loads(g.extra, 0, NULL);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b,"
	    " s:I, s:I, s:o}",
	    "uuid", text(g.uuid), "code", text(g.code), "ext_id", text(g.ext_id),
	    "first_name", text(g.first_name), "last_name", text(g.last_name),
	    "email", text(g.email), "company", text(g.company),
	    "ticket_type", text(g.ticket_type), "handle", text(g.handle),
	    "extra", json_is_object(extra) ? extra : json_object(), "source", text(g.source),
	    "cancelled", g.cancelled, "created_at", (json_int_t)sqlite3_column_int64(st, 15),
	    "updated_at", (json_int_t)g.updated_at, "updated_by", text(g.updated_by));
	json_object_set_new(o, "language", column_text(st, lang));
	json_object_set_new(o, "cancelled_at", json_integer(sqlite3_column_int64(st, cat)));
	if (sqlite3_column_type(st, cat + 1) != SQLITE_NULL)
		json_object_set_new(o, "fields_at", json_integer(sqlite3_column_int64(st, cat + 1)));
	if (sqlite3_column_int64(st, cat + 2) != 0) {
		json_object_set_new(o, "forgotten_at", json_integer(sqlite3_column_int64(st, cat + 2)));
		if (sqlite3_column_type(st, cat + 3) == SQLITE_TEXT)
			json_object_set_new(o, "forgotten_key",
			    json_string((const char *)sqlite3_column_text(st, cat + 3)));
	}
	if (!json_is_object(extra))
		json_decref(extra);
	guest_clear(&g);
	return o;
}

/* A check-in row (uuid, guest_uuid, kind, undoes, at, kiosk from column
 * first) as a record. */
static json_t *
checkin_json(sqlite3_stmt *st, int first)
{
	/* Built field by field rather than with json_pack (this runs for every
	 * check-in of every pull page): the keys are ours, the uuids were
	 * checked when they came in and the kind by the table's CHECK, so only
	 * the kiosk name is checked as UTF-8 again. */
	json_t *o = json_object();
	json_object_set_new_nocheck(o, "uuid", column_known(st, first));
	json_object_set_new_nocheck(o, "guest", column_known(st, first + 1));
	json_object_set_new_nocheck(o, "kind", column_known(st, first + 2));
	json_object_set_new_nocheck(o, "at", json_integer(sqlite3_column_int64(st, first + 4)));
	json_object_set_new_nocheck(o, "kiosk", column_text(st, first + 5));
	if (sqlite3_column_type(st, first + 3) != SQLITE_NULL)
		json_object_set_new_nocheck(o, "undoes", column_known(st, first + 3));
	return o;
}

/* The JSON text of check-ins as pull pages send them, kept by row id. A
 * dozen doors pull the same check-ins after an outage: each is written out
 * once, not once per door. A slot holds one row (id and uuid both must
 * match: a database swapped under the hub cannot serve another's text);
 * check-in rows never change, so what is kept stays right. Doors pulling
 * at the same time ask for nearby rows, so 16,384 slots (about 4 MB when
 * full) serve them: a door that is also the hub keeps its memory. */
#define CACHE_SLOTS 16384

struct cached_text {
	int64_t id;
	char uuid[UUID_MAX + 1];
	bool row;               /* text is a row (checkin_rows), not an object */
	char *text;
	size_t len;
};

struct repl_cache {
	pthread_mutex_t lock;
	struct cached_text *slot;
};

struct repl_cache *
repl_cache_new(void)
{
	struct repl_cache *c = xcalloc(1, sizeof *c);
	c->slot = xcalloc(CACHE_SLOTS, sizeof *c->slot);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void
repl_cache_free(struct repl_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		free(c->slot[i].text);
	free(c->slot);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Append the check-in at st (columns as checkin_json reads them, from
 * first; its scan's result at column scan, or none when scan < 0) to b as a
 * row of checkin_rows, escaped for JSON. */
static int
add_checkin_row(struct buf *b, sqlite3_stmt *st, int first, int scan)
{
	char at[24], *fixed = NULL;
	int rc = 0;

	for (int i = 0; i < ROW_FIELDS && rc == 0; i++) {
		/* the columns in row order: uuid, guest, kind, at, kiosk, undoes */
		static const int col[ROW_FIELDS - 1] = { 0, 1, 2, 4, 5, 3 };
		int c = i < ROW_FIELDS - 1 ? first + col[i] : scan;
		/* up to a NUL, as the objects' json_string() takes it: jansson
		 * refuses \u0000 in a page, which would stop every kiosk there */
		const char *v = c >= 0 ? (const char *)sqlite3_column_text(st, c) : NULL;
		size_t n = v ? strlen(v) : 0;
		if (i == 3) {
			snprintf(at, sizeof at, "%lld", (long long)sqlite3_column_int64(st, c));
			v = at;
			n = strlen(at);
		} else if (v != NULL && !util_utf8_valid(v, n)) {
			free(fixed);
			v = fixed = util_utf8_fix(v);   /* as text() sends it */
			n = strlen(v);
		}
		rc = add_row_field(b, v ? v : "", n, i + 1 < ROW_FIELDS ? '\t' : '\n');
	}
	free(fixed);
	return rc;
}

/* Append the text of the check-in row at st (id, then the columns
 * checkin_json reads from 1) to out, as an object or a row, from the cache
 * when it is there. */
static int
add_checkin_text(struct repl_cache *c, sqlite3_stmt *st, bool row, struct buf *out)
{
	int64_t id = sqlite3_column_int64(st, 0);
	const char *uuid = (const char *)sqlite3_column_text(st, 1);
	struct cached_text *slot = c ? &c->slot[(uint64_t)id % CACHE_SLOTS] : NULL;
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (uuid == NULL)
		uuid = "";
	if (slot != NULL) {
		pthread_mutex_lock(&c->lock);
		if (slot->text != NULL && slot->id == id && slot->row == row &&
		    strcmp(slot->uuid, uuid) == 0)
			rc = buf_add(out, slot->text, slot->len);
		pthread_mutex_unlock(&c->lock);
		if (rc == 0)
			return 0;
	}
	if (row) {
		struct buf b;
		buf_init(&b, 0);
		if (add_checkin_row(&b, st, 1, -1) != 0) {
			buf_free(&b);
			return -1;
		}
		len = b.len;
		text = buf_take(&b);
	} else {
		json_t *o = checkin_json(st, 1);
		text = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (text == NULL)
			return -1;
		len = strlen(text);
	}
	rc = buf_add(out, text, len);
	if (slot != NULL && strlen(uuid) <= UUID_MAX) {
		pthread_mutex_lock(&c->lock);
		free(slot->text);
		slot->id = id;
		snprintf(slot->uuid, sizeof slot->uuid, "%s", uuid);
		slot->row = row;
		slot->text = text;
		slot->len = len;
		text = NULL;
		pthread_mutex_unlock(&c->lock);
	}
	free(text);
	return rc;
}

/* Bytes a row's first n columns hold, for GUEST_BYTES. */
static size_t
row_bytes(sqlite3_stmt *st, int n)
{
	size_t bytes = 0;
	for (int c = 0; c < n; c++)
		bytes += (size_t)sqlite3_column_bytes(st, c);
	return bytes;
}

/* What a page says of the hub's records (docs/sync-protocol.md, "anchor"),
 * read in the page's snapshot: the last number of its guest changes and
 * the uuids of its check-ins numbered from (the kiosk's position) and to
 * (the page's), by which a kiosk knows a hub restored from an older copy
 * (merge_hub_lost). Returns 0, or -1 with *cause. */
static int
add_anchor(struct store *s, struct buf *out, int64_t from, int64_t to, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(rev), 0) FROM guest", cause);
	if (st == NULL)
		return -1;
	int rc = sqlite3_step(st);
	int64_t head = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, cause, "cannot read guests");
	buf_addf(out, ",\"anchor\":{\"guests\":%lld", (long long)head);
	st = store_stmt(s, "SELECT uuid FROM checkin WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	const int64_t at[2] = { from, to };
	const char *const key[2] = { "from", "to" };
	for (int i = 0; i < 2; i++) {
		sqlite3_bind_int64(st, 1, at[i]);
		rc = sqlite3_step(st);
		const char *u = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		/* a uuid as a hub takes one (uuid_ok): nothing to escape */
		if (u != NULL && uuid_ok(u))
			buf_addf(out, ",\"%s\":\"%s\"", key[i], u);
		else
			buf_addf(out, ",\"%s\":null", key[i]);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, cause, "cannot read check-ins");
	}
	buf_addc(out, '}');
	return 0;
}

char *
repl_read_pull_text(struct store *s, struct repl_cache *cache, const char *device,
    int64_t guests, int64_t checkins, int limit, bool rows, int64_t now, int pushing,
    size_t *len, char **cause)
{
	json_t *ga = json_array();
	char *gtext = NULL;
	struct buf out;
	bool more = false;
	int rc, n;
	const int64_t from = checkins;

	buf_init(&out, 0);
	if (limit < 1 || limit > REPL_MAX_RECORDS)
		limit = REPL_MAX_RECORDS;
	/* One read transaction: the page is a snapshot, cursors and rows agree. */
	if (store_begin_read(s, cause) != 0)
		goto fail;
	sqlite3_stmt *st = store_stmt(s, "SELECT " GUEST_COLUMNS ", created_at, rev, language,"
	    " cancelled_at, fields_at, forgotten_at, forgotten_key FROM guest WHERE rev > ?"
	    " ORDER BY rev LIMIT ?",
	    cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, guests);
	sqlite3_bind_int(st, 2, limit + 1);
	n = 0;
	size_t bytes = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == limit || bytes > GUEST_BYTES) {
			more = true;
			break;
		}
		bytes += row_bytes(st, 19);
		json_array_append_new(ga, guest_json(st, 17, 18));
		guests = sqlite3_column_int64(st, 16);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot read guests");
		goto fail;
	}
	if ((gtext = json_dumps(ga, JSON_COMPACT)) == NULL) {
		util_fail(cause, "cannot write the guests of a page");
		goto fail;
	}
	/* rows go between quotes as they are: escaped for JSON (add_row_field) */
	buf_addf(&out, "{\"guests\":%s,%s", gtext, rows ? "\"checkin_rows\":\"" : "\"checkins\":[");

	/* Check-ins the device pushed itself are passed over, not sent back;
	 * a page looks at a bounded number of rows so a device that pushed
	 * 100,000 does not make one request scan them all. */
	st = store_stmt(s, "SELECT id, uuid, guest_uuid, kind, undoes, at, kiosk,"
	    " coalesce(origin, '') = ?2 FROM checkin WHERE id > ?1 ORDER BY id LIMIT ?3", cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, checkins);
	sqlite3_bind_text(st, 2, device ? device : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit * PULL_EXAMINE + 1);
	n = 0;
	int examined = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == limit || examined == limit * PULL_EXAMINE) {
			more = true;
			break;
		}
		examined++;
		checkins = sqlite3_column_int64(st, 0);
		if (device != NULL && sqlite3_column_int(st, 7))
			continue;
		if ((!rows && n > 0 && buf_addc(&out, ',') != 0) ||
		    add_checkin_text(cache, st, rows, &out) != 0) {
			sqlite3_reset(st);
			util_fail(cause, "cannot write the check-ins of a page");
			goto fail;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot read check-ins");
		goto fail;
	}
	buf_addc(&out, rows ? '"' : ']');
	if (add_anchor(s, &out, from, checkins, cause) != 0)
		goto fail;
	store_rollback(s); /* ends the read transaction */
	/* The hub's time last, after the page was read: the kiosk takes it
	 * as the time the answer left. */
	buf_addf(&out, ",\"cursor\":{\"guests\":%lld,\"checkins\":%lld},\"more\":%s,"
	    "\"pushing\":%d,\"push_rows\":true,\"each_day\":%s,\"protocol\":%d",
	    (long long)guests, (long long)checkins, more ? "true" : "false", pushing,
	    store_each_day(s) ? "true" : "false", REPL_PROTOCOL);
	if (now < 0)
		now = store_now_given(s);
	if (now >= 0)
		buf_addf(&out, ",\"now\":%lld", (long long)now);
	buf_addc(&out, '}');
	free(gtext);
	json_decref(ga);
	*len = out.len;
	return buf_take(&out);
fail:
	store_rollback(s);
	free(gtext);
	json_decref(ga);
	buf_free(&out);
	return NULL;
}

json_t *
repl_read_pull(struct store *s, const char *device, int64_t guests, int64_t checkins,
    int limit, bool rows, char **cause)
{
	size_t len;
	json_error_t err;
	char *text = repl_read_pull_text(s, NULL, device, guests, checkins, limit, rows,
	    store_now(s), 0, &len, cause);
	if (text == NULL)
		return NULL;
	json_t *page = json_loadb(text, len, 0, &err);
	if (page == NULL)
		util_fail(cause, "a pull page is not JSON: %s", err.text);
	free(text);
	return page;
}

/* --- kiosk side ------------------------------------------------------------- */

struct repl_batch {
	json_t *body;
	struct buf rows;                /* the check-ins as rows, when rows */
	bool as_rows;
	struct repl_counts n;
	int64_t *guest_ids, *guest_rev; /* guest rows sent, with the version sent */
	int64_t *checkin_ids;
	int64_t checkin_floor;          /* the floor they were collected above */
	int64_t *scan_ids;
	int64_t starts;                 /* START_OVERS when collected */
	size_t guest_bytes;             /* of the guest rows collected (GUEST_BYTES) */
};

static int64_t
floor_of(struct store *s, const char *key, char **cause, int *err)
{
	int64_t v = 0;
	if (store_state_get(s, key, &v, cause) < 0)
		*err = 1;
	return v;
}

/* Run st, bound to (after, max) or to (max) when after < 0, calling fn on
 * every row until it says the batch is full. Returns 0 or -1 with *cause. */
static int
each_row(struct store *s, sqlite3_stmt *st, int64_t after, int max,
    bool (*fn)(sqlite3_stmt *st, struct repl_batch *b), struct repl_batch *b,
    const char *what, char **cause)
{
	int rc;
	if (st == NULL)
		return -1;
	if (after >= 0) {
		sqlite3_bind_int64(st, 1, after);
		sqlite3_bind_int(st, 2, max);
	} else {
		sqlite3_bind_int(st, 1, max);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && fn(st, b))
		;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, cause, what);
	return 0;
}

/* Guests go up to GUEST_BYTES; the rest wait for the next push. */
static bool
collect_guest(sqlite3_stmt *st, struct repl_batch *b)
{
	int i = b->n.guests++;
	b->guest_ids[i] = sqlite3_column_int64(st, 0);
	b->guest_rev[i] = sqlite3_column_int64(st, 17);
	json_array_append_new(json_object_get(b->body, "guests"), guest_json(st, 16, 18));
	b->guest_bytes += row_bytes(st, 19);
	return b->guest_bytes <= GUEST_BYTES;
}

static bool
collect_checkin(sqlite3_stmt *st, struct repl_batch *b)
{
	if (b->as_rows) {
		add_checkin_row(&b->rows, st, 1, 7);
	} else {
		json_t *o = checkin_json(st, 1);
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			json_object_set_new(o, "scan", column_text(st, 7));
		json_array_append_new(json_object_get(b->body, "checkins"), o);
	}
	b->checkin_ids[b->n.checkins++] = sqlite3_column_int64(st, 0);
	return true;
}

/* A scan's code as a hub takes it: at most CODE_MAX bytes, cut where a
 * character starts. A door audits whatever is scanned, up to CODE_MAX_LEN
 * (a poster's URL, a Wi-Fi QR code shown by mistake); a hub refuses a
 * longer code as a malformed record, and the whole push with it, so every
 * record after that scan would wait for good. The audit row here keeps it
 * whole. */
static json_t *
scan_code(sqlite3_stmt *st, int col)
{
	const char *c = (const char *)sqlite3_column_text(st, col);
	size_t n = c != NULL ? strlen(c) : 0;
	if (n <= CODE_MAX)
		return column_text(st, col);
	char *cut = xstrndup(c, util_utf8_cut(c, n, CODE_MAX));
	json_t *v = text(cut);
	free(cut);
	return v;
}

static bool
collect_scan(sqlite3_stmt *st, struct repl_batch *b)
{
	json_t *o = json_pack("{s:o, s:I, s:o, s:o, s:o}",
	    "uuid", column_text(st, 1),
	    "at", (json_int_t)sqlite3_column_int64(st, 2),
	    "kiosk", column_text(st, 3),
	    "code", scan_code(st, 4),
	    "result", column_text(st, 5));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL)
		json_object_set_new(o, "guest", column_text(st, 6));
	json_array_append_new(json_object_get(b->body, "scans"), o);
	b->scan_ids[b->n.scans++] = sqlite3_column_int64(st, 0);
	return true;
}

int
repl_collect(struct store *s, int max, bool rows, struct repl_batch **out, char **cause)
{
	struct repl_batch *b = xcalloc(1, sizeof *b);
	int err = 0;

	*out = NULL;
	b->as_rows = rows;
	buf_init(&b->rows, 0);
	b->body = json_pack("{s:o, s:o, s:o}", "guests", json_array(), "checkins",
	    json_array(), "scans", json_array());
	b->guest_ids = xcalloc((size_t)max, sizeof *b->guest_ids);
	b->guest_rev = xcalloc((size_t)max, sizeof *b->guest_rev);
	b->checkin_ids = xcalloc((size_t)max, sizeof *b->checkin_ids);
	b->scan_ids = xcalloc((size_t)max, sizeof *b->scan_ids);
	if (store_begin_read(s, cause) != 0)
		goto fail;
	b->checkin_floor = floor_of(s, FLOOR_CHECKIN, cause, &err);
	int64_t sfloor = floor_of(s, FLOOR_SCAN, cause, &err);
	b->starts = floor_of(s, START_OVERS, cause, &err);
	if (err)
		goto fail;
	/* Guests changed here, check-ins above the floor, and the scans that
	 * made no check-in (one that did travels inside its check-in). */
	if (each_row(s, store_stmt(s, "SELECT " GUEST_COLUMNS ", created_at, language, rev,"
	    " cancelled_at, fields_at, forgotten_at, forgotten_key FROM guest WHERE dirty = 1"
	    " ORDER BY rev LIMIT ?", cause), -1,
	    max, collect_guest, b,
	    "cannot read guests", cause) != 0 ||
	    each_row(s, store_stmt(s, "SELECT c.id, c.uuid, c.guest_uuid, c.kind, c.undoes,"
	    " c.at, c.kiosk, s.result FROM checkin c LEFT JOIN scan s ON s.uuid = c.uuid"
	    " WHERE c.id > ? AND c.pushed = 0 ORDER BY c.id LIMIT ?", cause), b->checkin_floor,
	    max, collect_checkin, b, "cannot read check-ins", cause) != 0 ||
	    each_row(s, store_stmt(s, "SELECT id, uuid, at, kiosk, code, result, guest_uuid"
	    " FROM scan s WHERE id > ? AND pushed = 0"
	    " AND NOT EXISTS (SELECT 1 FROM checkin c WHERE c.uuid = s.uuid)"
	    " ORDER BY id LIMIT ?", cause), sfloor, max, collect_scan, b, "cannot read scans",
	    cause) != 0)
		goto fail;
	store_rollback(s); /* ends the read */
	if (b->n.guests + b->n.checkins + b->n.scans == 0) {
		repl_batch_free(b);
		return 0;
	}
	*out = b;
	return 0;
fail:
	store_rollback(s);
	repl_batch_free(b);
	return -1;
}

char *
repl_batch_text(const struct repl_batch *b, size_t *len)
{
	char *text = json_dumps(b->body, JSON_COMPACT);
	if (text == NULL || !b->as_rows) {
		*len = text ? strlen(text) : 0;
		return text;
	}
	/* {"guests":[...],...} with the rows put in before its last brace:
	 * they are escaped for JSON already (add_row_field) */
	struct buf t;
	size_t n = strlen(text);
	buf_init(&t, 0);
	static const char key[] = ",\"checkin_rows\":\"";
	buf_add(&t, text, n - 1);
	buf_add(&t, key, sizeof key - 1);
	buf_add(&t, b->rows.data, b->rows.len);
	buf_add(&t, "\"}", 2);
	free(text);
	*len = t.len;
	return buf_take(&t);
}

struct repl_counts
repl_batch_counts(const struct repl_batch *b)
{
	return b->n;
}

/* Run an UPDATE that marks records sent, bound to a (and b when b >= 0). */
static int
mark(struct store *s, const char *sql, int64_t a, int64_t b, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (b >= 0)
		sqlite3_bind_int64(st, 2, b);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot mark records sent");
	return 0;
}

/* Move a floor up to just below the first row still waiting. */
static int
raise_floor(struct store *s, const char *key, const char *sql, char **cause)
{
	int err = 0;
	int64_t f = floor_of(s, key, cause, &err);
	if (err)
		return -1;
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, f);
	int rc = sqlite3_step(st);
	int64_t nf = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : f;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, cause, "cannot read the sync state");
	return nf > f ? store_state_set(s, key, nf, cause) : 0;
}

int
repl_batch_done(struct store *s, struct repl_batch *b, char **cause)
{
	if (store_begin(s, cause) != 0)
		return -1;
	/* Started over since the batch was collected (kiosk sync --start-over
	 * beside the door app's round): every row waits again, those of the
	 * batch too, and the range below would mark rows it never held. */
	int err = 0;
	if (floor_of(s, START_OVERS, cause, &err) != b->starts || err) {
		store_rollback(s);
		return err ? -1 : 0;
	}
	for (int i = 0; i < b->n.guests; i++) {
		/* Only the version sent (every write bumps rev): an edit made
		 * meanwhile still waits. */
		if (mark(s, "UPDATE guest SET dirty = 0 WHERE id = ?1 AND rev = ?2",
		    b->guest_ids[i], b->guest_rev[i], cause) != 0)
			goto fail;
	}
	/* Collected in id order from the floor: every unpushed row up to the
	 * last one sent was sent (rows made since have higher ids). The scans
	 * that travelled inside those check-ins are marked with them. */
	if (b->n.checkins > 0) {
		int64_t last = b->checkin_ids[b->n.checkins - 1];
		if (mark(s, "UPDATE scan SET pushed = 1 WHERE pushed = 0 AND uuid IN"
		    " (SELECT uuid FROM checkin WHERE id > ?1 AND id <= ?2 AND pushed = 0)",
		    b->checkin_floor, last, cause) != 0 ||
		    mark(s, "UPDATE checkin SET pushed = 1 WHERE id > ?1 AND id <= ?2"
		    " AND pushed = 0", b->checkin_floor, last, cause) != 0)
			goto fail;
	}
	for (int i = 0; i < b->n.scans; i++)
		if (mark(s, "UPDATE scan SET pushed = 1 WHERE id = ?", b->scan_ids[i], -1, cause) != 0)
			goto fail;
	if (raise_floor(s, FLOOR_CHECKIN, "SELECT coalesce((SELECT min(id) - 1 FROM checkin"
	    " WHERE id > ?1 AND pushed = 0), (SELECT max(id) FROM checkin), 0)", cause) != 0 ||
	    raise_floor(s, FLOOR_SCAN, "SELECT coalesce((SELECT min(id) - 1 FROM scan"
	    " WHERE id > ?1 AND pushed = 0), (SELECT max(id) FROM scan), 0)", cause) != 0)
		goto fail;
	return store_commit(s, cause);
fail:
	store_rollback(s);
	return -1;
}

void
repl_batch_free(struct repl_batch *b)
{
	if (b == NULL)
		return;
	json_decref(b->body);
	buf_free(&b->rows);
	free(b->guest_ids);
	free(b->guest_rev);
	free(b->checkin_ids);
	free(b->scan_ids);
	free(b);
}

enum repl_verdict
repl_push_verdict(const struct repl_batch *b, json_t *answer)
{
	/* Every check-in sent is stored or known, or the hub did not read
	 * them: one that does not know rows ignores them. */
	json_int_t took =
	    json_integer_value(json_object_get(json_object_get(answer, "stored"), "checkins")) +
	    json_integer_value(json_object_get(json_object_get(answer, "known"), "checkins"));
	if (took == b->n.checkins)
		return REPL_TAKEN;
	return b->as_rows ? REPL_AGAIN_AS_OBJECTS : REPL_NOT_TAKEN;
}

int
repl_push_rows(struct store *s, bool *rows, char **cause)
{
	int64_t v = 0;
	int rc = store_state_get(s, HUB_ROWS, &v, cause);
	*rows = rc == 1 && v == 1;
	return rc < 0 ? -1 : 0;
}

int
repl_forget_rows(struct store *s, char **cause)
{
	if (store_begin(s, cause) != 0)
		return -1;
	if (store_state_set(s, HUB_ROWS, 0, cause) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, cause);
}

int
repl_hub(struct store *s, char **url, char **cause)
{
	*url = NULL;
	return store_setting_get(s, HUB_SETTING, url, cause);
}

int
repl_served(struct store *s, bool *served, char **cause)
{
	char *hub = NULL;
	int have = repl_hub(s, &hub, cause);
	*served = have == 1 && strcmp(hub, REPL_HUB_SERVED) == 0;
	free(hub);
	return have < 0 ? -1 : 0;
}

int
repl_hub_set(struct store *s, const char *url, char **cause)
{
	if (store_begin(s, cause) != 0)
		return -1;
	if (store_setting_set(s, HUB_SETTING, url, cause) != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, cause);
}

/* Whether this database has pulled or pushed before (a pull cursor or a
 * push floor kept): one from before its hub was recorded. */
static int
synced_before(struct store *s, char **cause)
{
	static const char *const keys[] = { CURSOR_GUESTS, CURSOR_CHECKINS, FLOOR_CHECKIN,
		FLOOR_SCAN };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		int64_t v;
		int have = store_state_get(s, keys[i], &v, cause);
		if (have != 0)
			return have;
	}
	return 0;
}

int
repl_follow(struct store *s, const char *url, enum repl_over *over, int64_t *starts,
    char **cause)
{
	*over = REPL_OVER_NONE;
	/* Each pass reads the count before the hub: a start-over by another
	 * program in between changes the count, which ends this round at its
	 * next batch or page (client.c), rather than pairing the new hub's
	 * record with this round's old count. */
	for (int pass = 0; pass < 3; pass++) {
		int64_t n = 0;
		char *was = NULL;
		if (store_state_get(s, START_OVERS, &n, cause) < 0)
			return -1;
		int have = repl_hub(s, &was, cause);
		if (have < 0)
			return -1;
		bool same = have == 1 && util_url_same(was, url);
		free(was);
		if (same) {
			*starts = n;
			return 0;
		}
		int before = have == 0 ? synced_before(s, cause) : 1;
		if (before < 0)
			return -1;
		if (before == 0) { /* a first sync: nothing to send again */
			if (repl_hub_set(s, url, cause) != 0)
				return -1;
			continue;
		}
		if (repl_start_over(s, url, cause) != 0)
			return -1;
		*over = have == 0 ? REPL_OVER_UNRECORDED : REPL_OVER_OTHER_HUB;
	}
	return util_fail(cause, "the hub this kiosk's database syncs with keeps changing under "
	    "it (two kiosk.conf files naming two hubs for one database?)");
}

int64_t
repl_batch_starts(const struct repl_batch *b)
{
	return b->starts;
}

/* Every row sent again (pushed and dirty are only this kiosk's notes of
 * what the hub has; the hub knows its records by uuid), and the floors,
 * cursors and the hub's row format forgotten, as after a first join. */
int
repl_start_over(struct store *s, const char *hub, char **cause)
{
	static const char *const sql[] = {
		"UPDATE checkin SET pushed = 0 WHERE pushed = 1",
		"UPDATE scan SET pushed = 0 WHERE pushed = 1",
		"UPDATE guest SET dirty = 1 WHERE dirty = 0",
		NULL,
	};
	if (store_begin(s, cause) != 0)
		return -1;
	for (size_t i = 0; sql[i] != NULL; i++) {
		sqlite3_stmt *st = store_stmt(s, sql[i], cause);
		if (st == NULL)
			goto fail;
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			store_fail(s, cause, "cannot mark the records to send again");
			goto fail;
		}
	}
	int err = 0;
	int64_t starts = floor_of(s, START_OVERS, cause, &err);
	if (err || store_state_set(s, START_OVERS, starts + 1, cause) != 0)
		goto fail;
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM sync_state WHERE key IN (?, ?, ?, ?, ?)",
	    cause);
	if (st == NULL)
		goto fail;
	static const char *const keys[] = { FLOOR_CHECKIN, FLOOR_SCAN, CURSOR_GUESTS,
		CURSOR_CHECKINS, HUB_ROWS };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		sqlite3_bind_text(st, (int)i + 1, keys[i], -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot reset the sync positions");
		goto fail;
	}
	if (store_setting_set(s, PULL_ANCHOR, "", cause) != 0 ||
	    (hub != NULL && store_setting_set(s, HUB_SETTING, hub, cause) != 0))
		goto fail;
	return store_commit(s, cause);
fail:
	store_rollback(s);
	return -1;
}

int
repl_oldest_waiting(struct store *s, int64_t *at, char **cause)
{
	int err = 0, found = -1;
	if (store_begin_read(s, cause) != 0)
		return -1;
	int64_t cf = floor_of(s, FLOOR_CHECKIN, cause, &err);
	int64_t sf = floor_of(s, FLOOR_SCAN, cause, &err);
	sqlite3_stmt *st = err ? NULL : store_stmt(s, "SELECT min(m) FROM ("
	    "SELECT min(at) AS m FROM checkin WHERE id > ?1 AND pushed = 0"
	    " UNION ALL SELECT min(at) FROM scan WHERE id > ?2 AND pushed = 0"
	    " UNION ALL SELECT min(updated_at) FROM guest WHERE dirty = 1)", cause);
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, cf);
		sqlite3_bind_int64(st, 2, sf);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			found = sqlite3_column_type(st, 0) != SQLITE_NULL;
			*at = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			store_fail(s, cause, "cannot read the records waiting");
	}
	store_rollback(s);
	return found;
}

int
repl_waiting(struct store *s, int64_t *n, char **cause)
{
	int err = 0;
	*n = 0;
	if (store_begin_read(s, cause) != 0)
		return -1;
	int64_t cf = floor_of(s, FLOOR_CHECKIN, cause, &err);
	int64_t sf = floor_of(s, FLOOR_SCAN, cause, &err);
	if (err)
		goto fail;
	sqlite3_stmt *st = store_stmt(s, "SELECT (SELECT count(*) FROM guest WHERE dirty = 1)"
	    " + (SELECT count(*) FROM checkin WHERE id > ?1 AND pushed = 0)"
	    " + (SELECT count(*) FROM scan s WHERE id > ?2 AND pushed = 0"
	    "    AND NOT EXISTS (SELECT 1 FROM checkin c WHERE c.uuid = s.uuid))", cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, cf);
	sqlite3_bind_int64(st, 2, sf);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		store_fail(s, cause, "cannot count the records waiting");
		goto fail;
	}
	store_rollback(s);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
repl_cursors(struct store *s, struct repl_pos *pos, char **cause)
{
	memset(pos, 0, sizeof *pos);
	/* The count first, each read its own statement: a start-over of
	 * another process committed between them then moves the count past
	 * this one (repl_apply_pull keeps the cursors where it put them),
	 * never pairs the new count with the old cursors. */
	if (store_state_get(s, START_OVERS, &pos->starts, cause) < 0)
		return -1;
	/* The cursors and the anchor written with them, in one statement:
	 * one moment, whatever another program commits meanwhile. */
	sqlite3_stmt *st = store_stmt(s, "SELECT (SELECT value FROM sync_state WHERE key = ?1),"
	    " (SELECT value FROM sync_state WHERE key = ?2),"
	    " (SELECT value FROM setting WHERE key = ?3)", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, CURSOR_GUESTS, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, CURSOR_CHECKINS, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, PULL_ANCHOR, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		pos->guests = sqlite3_column_int64(st, 0);
		pos->checkins = sqlite3_column_int64(st, 1);
		const char *a = (const char *)sqlite3_column_text(st, 2);
		snprintf(pos->anchor, sizeof pos->anchor, "%s", a != NULL ? a : "");
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, cause, "cannot read the sync state");
	return 0;
}

/* After each record of a page: once the transaction has held the write lock
 * for REPL_HOLD_NS, commit and start again. Bounded by time, not by a count,
 * because a guest costs ten check-ins and a venue laptop can be slow: a
 * check-in of another program waits at most this long for the lock. One
 * of this program's door (store_set_first) waits for one record and a
 * commit. Fewer, larger transactions matter: each commit rewrites every
 * index page it touched. */
static int
chunk(struct store *s, int64_t *since, char **cause)
{
	int64_t now = util_mono_ns();
	if (now - *since < REPL_HOLD_NS) {
		/* a door's scan waits: it goes first (store_set_first) */
		int gave = store_give_way(s, cause);
		if (gave > 0)
			*since = util_mono_ns();
		return gave < 0 ? -1 : 0;
	}
	if (store_commit(s, cause) != 0 || store_begin(s, cause) != 0)
		return -1;
	*since = util_mono_ns();
	return 0;
}

static int
get_cursor(json_t *cur, const char *key, int64_t *out, char **cause)
{
	json_t *v = json_object_get(cur, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return util_fail(cause, "the hub's page: cursor.%s: expected a whole number", key);
	*out = (int64_t)json_integer_value(v);
	return 0;
}

/* The hub's event is one of days ([checkin] each_day on the hub): its
 * doors take it so (repl_each_day), set or not at each. Written when
 * it changes, in a transaction of its own when own_tx. */
static int
take_hub_days(struct store *s, json_t *page, bool own_tx, char **cause)
{
	/* a hub of an older version says nothing: nothing is known */
	json_t *said = json_object_get(page, "each_day");
	if (!json_is_boolean(said))
		return 0;
	int64_t days = json_is_true(said), had = 0;
	int known = store_state_get(s, HUB_DAYS, &had, cause);
	if (known < 0)
		return -1;
	if (known == 1 && had == days)
		return 0; /* written once, then only when it changes */
	if (own_tx && store_begin(s, cause) != 0)
		return -1;
	if (store_state_set(s, HUB_DAYS, days, cause) != 0 ||
	    (own_tx && store_commit(s, cause) != 0)) {
		if (own_tx)
			store_rollback(s);
		return -1;
	}
	return 0;
}

bool
repl_each_day(struct store *s, bool own)
{
	int64_t v = 0;
	bool days = store_state_get(s, HUB_DAYS, &v, NULL) == 1 ? v != 0 : own;
	store_set_each_day(s, days);
	return days;
}

int
repl_list_short(struct store *s, bool *is_short, char **cause)
{
	int64_t v = 0;
	if (store_state_get(s, LIST_SHORT, &v, cause) < 0)
		return -1;
	*is_short = v != 0;
	return 0;
}

/* Set LIST_SHORT to v in a transaction of its own. */
static int
list_short_set(struct store *s, int64_t v, char **cause)
{
	if (store_begin(s, cause) != 0)
		return -1;
	if (store_state_set(s, LIST_SHORT, v, cause) != 0 || store_commit(s, cause) != 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int
repl_list_joining(struct store *s, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS (SELECT 1 FROM guest)", cause);
	if (st == NULL)
		return -1;
	int rc = sqlite3_step(st);
	bool any = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, cause, "cannot count the guests");
	/* A door that has a list already (joining again, or another hub) is
	 * not short of one: its pulls only bring what changed. */
	return any ? 0 : list_short_set(s, 1, cause);
}

static int
list_whole(struct store *s, char **cause)
{
	return list_short_set(s, 0, cause);
}

int
repl_list_imported(struct store *s, bool hub, char **cause)
{
	bool is_short = false, served = hub;
	if (repl_list_short(s, &is_short, cause) != 0 ||
	    (is_short && !served && repl_served(s, &served, cause) != 0))
		return -1;
	return is_short && served ? list_whole(s, cause) : 0;
}

/* Whether the page (asked from position from) says the hub lost records
 * this kiosk pulled from it (merge_hub_lost). A page without "anchor" (a
 * hub of an older version) says nothing. */
static bool
hub_lost(json_t *page, const struct repl_pos *from)
{
	json_t *a = json_object_get(page, "anchor");
	if (from == NULL || !json_is_object(a))
		return false;
	json_t *g = json_object_get(a, "guests"), *f = json_object_get(a, "from");
	int64_t head = json_is_integer(g) ? (int64_t)json_integer_value(g) : -1;
	bool said = json_is_string(f) || json_is_null(f);
	return merge_hub_lost(from->guests, head, from->anchor, said, json_string_value(f));
}

int
repl_apply_pull(struct store *s, json_t *page, const struct repl_pos *from,
    struct repl_counts *got, bool *more, char **cause)
{
	struct repl_counts known = { 0 };
	json_t *guests, *checkins, *cur;
	int64_t gc, cc;

	memset(got, 0, sizeof *got);
	*more = false;
	if (!json_is_object(page))
		return util_fail(cause, "the hub's page is not a JSON object");
	cur = json_object_get(page, "cursor");
	if (!json_is_object(cur))
		return util_fail(cause, "the hub's page has no cursor");
	if (get_cursor(cur, "guests", &gc, cause) != 0 ||
	    get_cursor(cur, "checkins", &cc, cause) != 0)
		return -1;
	if (get_array(page, "guests", &guests, NULL, cause) != REPL_OK ||
	    get_array(page, "checkins", &checkins, NULL, cause) != REPL_OK)
		return -1;
	/* Check-ins as rows, when the hub sent them so: one copy, split in
	 * place into lines (nrows of them) below. */
	char *rows = NULL;
	size_t nrows = 0;
	if (get_rows(page, &rows, &nrows, NULL, cause) != REPL_OK)
		return -1;
	/* A hub restored from an older copy: everything again, both ways,
	 * unless another program started over since the page was asked for. */
	if (hub_lost(page, from)) {
		free(rows);
		int64_t starts = 0;
		if (store_state_get(s, START_OVERS, &starts, cause) < 0 ||
		    (starts == from->starts && repl_start_over(s, NULL, cause) != 0))
			return -1;
		got->lost = 1;
		*more = true;
		return 0;
	}
	/* Nothing new: write nothing (a round with nothing to do then takes
	 * no write lock, and need not wait for the file's integrity check). */
	struct repl_pos had;
	bool last = !json_is_true(json_object_get(page, "more"));
	if (json_array_size(guests) == 0 && json_array_size(checkins) == 0 && nrows == 0 &&
	    repl_cursors(s, &had, NULL) == 0 && had.guests == gc && had.checkins == cc) {
		free(rows);
		*more = !last;
		if (take_hub_days(s, page, true, cause) != 0)
			return -1;
		/* the page before was the end, though it said more */
		bool is_short = false;
		if (last && (repl_list_short(s, &is_short, cause) != 0 ||
		    (is_short && list_whole(s, cause) != 0)))
			return -1;
		return 0;
	}
	/* The page goes in chunks, each its own transaction, so the door's
	 * check-ins never wait long for the write lock; the cursor moves with
	 * the last chunk. A page cut short is fetched again and its stored
	 * records are known (by uuid, or an equal guest copy). */
	if (store_begin(s, cause) != 0) {
		free(rows);
		return -1;
	}
	int64_t since = util_mono_ns();
	size_t i;
	json_t *v;
	json_array_foreach(guests, i, v) {
		struct where w = { "guests", i };
		if (apply_guest(s, v, &w, true, got, &known, cause) != REPL_OK ||
		    chunk(s, &since, cause) != 0)
			goto fail;
	}
	json_array_foreach(checkins, i, v) {
		struct where w = { "checkins", i };
		if (apply_checkin(s, v, NULL, false, &w, got, &known, cause) != REPL_OK ||
		    chunk(s, &since, cause) != 0)
			goto fail;
	}
	if (apply_checkin_rows(s, rows, nrows, NULL, false, &since, got, &known, cause) != REPL_OK)
		goto fail;
	/* Started over since the page was asked for: its records are kept (a
	 * record is a record), the cursors stay where the start-over put them. */
	int64_t starts = 0;
	if (from != NULL && store_state_get(s, START_OVERS, &starts, cause) < 0)
		goto fail;
	if (from != NULL && starts != from->starts) {
		free(rows);
		if (store_commit(s, cause) != 0)
			return -1;
		forget_wal(s, got->forgotten);
		*more = true;
		return 0;
	}
	/* With the position, the uuid of the hub's check-in there: the next
	 * page tells a hub restored from an older copy by it (hub_lost). */
	const char *to = json_string_value(json_object_get(json_object_get(page, "anchor"), "to"));
	if (to != NULL && !uuid_ok(to))
		to = NULL; /* as a hub sends none: nothing to check the next page by */
	if (store_state_set(s, CURSOR_GUESTS, gc, cause) != 0 ||
	    store_state_set(s, CURSOR_CHECKINS, cc, cause) != 0 ||
	    store_setting_set(s, PULL_ANCHOR, to != NULL ? to : "", cause) != 0)
		goto fail;
	/* The hub says whether it reads pushed rows ("push_rows"): pushes go
	 * as rows from its first page that says so; a page without it (an
	 * older hub put in its place) turns that off. */
	int64_t page_rows = json_is_true(json_object_get(page, "push_rows")), had_rows = 0;
	if (store_state_get(s, HUB_ROWS, &had_rows, cause) < 0 ||
	    (had_rows != page_rows && store_state_set(s, HUB_ROWS, page_rows, cause) != 0))
		goto fail;
	if (take_hub_days(s, page, false, cause) != 0)
		goto fail;
	/* The hub's last page: the whole list is here (repl_list_short). */
	int64_t was_short = 0;
	if (last && (store_state_get(s, LIST_SHORT, &was_short, cause) < 0 ||
	    (was_short != 0 && store_state_set(s, LIST_SHORT, 0, cause) != 0)))
		goto fail;
	free(rows);
	if (store_commit(s, cause) != 0)
		return -1;
	forget_wal(s, got->forgotten);
	*more = !last;
	return 0;
fail:
	free(rows);
	store_rollback(s);
	memset(got, 0, sizeof *got);
	return -1;
}
