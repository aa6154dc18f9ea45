/* checkin: the decision at the door (rules in checkin.h). */
#include "core/checkin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/code.h"
#include "core/conf.h"
#include "core/ktime.h"
#include "core/merge.h"
#include "core/util.h"

bool
checkin_result_ok(enum checkin_result r)
{
	return r == CHECKIN_ADMITTED || r == CHECKIN_EXITED;
}

const char *
checkin_result_name(enum checkin_result r)
{
	switch (r) {
	case CHECKIN_ADMITTED:    return "admitted";
	case CHECKIN_ALREADY:     return "already_checked_in";
	case CHECKIN_UNKNOWN:     return "unknown_code";
	case CHECKIN_OTHER_EVENT: return "other_event";
	case CHECKIN_CANCELLED:   return "cancelled";
	case CHECKIN_WRONG_DOOR:  return "wrong_door";
	case CHECKIN_TOO_EARLY:   return "too_early";
	case CHECKIN_TOO_LATE:    return "too_late";
	case CHECKIN_EXITED:      return "exited";
	case CHECKIN_NOT_INSIDE:  return "not_inside";
	case CHECKIN_INVALID:     return "invalid_code";
	case CHECKIN_WRONG_DAY:   return "wrong_day";
	}
	return "invalid_code";
}

const char *
checkin_result_text(enum checkin_result r)
{
	switch (r) {
	case CHECKIN_ADMITTED:    return "Welcome!";
	case CHECKIN_ALREADY:     return "This ticket was already checked in.";
	case CHECKIN_UNKNOWN:     return "This code is not on the guest list.";
	case CHECKIN_OTHER_EVENT: return "This ticket is for another event.";
	case CHECKIN_CANCELLED:   return "This ticket was cancelled.";
	case CHECKIN_WRONG_DOOR:  return "This ticket type is not admitted at this entrance.";
	case CHECKIN_TOO_EARLY:   return "This entrance is not open yet.";
	case CHECKIN_TOO_LATE:    return "This entrance is closed.";
	case CHECKIN_EXITED:      return "Goodbye, see you later!";
	case CHECKIN_NOT_INSIDE:  return "This guest is not inside (not checked in, or already out).";
	case CHECKIN_INVALID:     return "This is not a ticket code.";
	case CHECKIN_WRONG_DAY:   return "This ticket is for another day.";
	}
	return "";
}

/* A walk-in this kiosk registered without a ticket type passes: the door
 * app's walk-in form asks for none, and the door that registered the guest
 * must be able to let them in ("Check in now"). One registered at another
 * door (the main entrance) does not get through a speakers' entrance, nor
 * does a guest imported without a type. */
static bool
type_admitted(const struct checkin_policy *p, const char *type, bool walkin)
{
	if (p->n_admit_types == 0 || (walkin && (type == NULL || type[0] == '\0')))
		return true;
	for (size_t i = 0; i < p->n_admit_types; i++)
		if (strcasecmp(p->admit_types[i], type ? type : "") == 0)
			return true;
	return false;
}

/* Whether ticket_days item names type; its day in *day. */
static bool
day_item(const char *item, const char *type, int *day)
{
	size_t n;
	return conf_ticket_day(item, &n, day) == 0 && strlen(type) == n &&
	    strncasecmp(item, type, n) == 0;
}

/* A day ticket is for its days; a type ticket_days does not name (and a
 * guest without a type) for every day. */
static bool
day_admitted(const struct checkin_policy *p, const char *type, int today)
{
	bool named = false;
	int day;
	for (size_t i = 0; i < p->n_ticket_days; i++) {
		if (!day_item(p->ticket_days[i], type ? type : "", &day))
			continue;
		if (day == today)
			return true;
		named = true;
	}
	return !named;
}

const char *
checkin_ticket_days(const struct checkin_policy *p, const char *type, char *out, size_t size)
{
	size_t used = 0;
	int day;
	char text[KTIME_BUF];
	if (size > 0)
		out[0] = '\0';
	for (size_t i = 0; i < p->n_ticket_days; i++) {
		if (!day_item(p->ticket_days[i], type ? type : "", &day))
			continue;
		int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "",
		    ktime_day_text(day, text));
		if (n < 0 || (size_t)n >= size - used) {
			out[used] = '\0'; /* a whole day or none */
			break;
		}
		used += (size_t)n;
	}
	return out;
}

/* minute (plus 1, 0: none) of the local day of now, as ms UTC (0: none) */
static int64_t
day_at(int minute, int64_t now)
{
	int day = ktime_day(now);
	int64_t at = 0;
	if (minute == 0 || ktime_from_local(day / 10000, day / 100 % 100, day % 100,
	    (minute - 1) / 60, (minute - 1) % 60, &at) != 0)
		return 0;
	return at;
}

/* A [checkin] open_from or open_until: its minute plus 1 in *daily (every
 * day), or its moment in *at; both left 0 for "". */
static int
policy_time(const char *text, int *daily, int64_t *at, char **cause)
{
	int y, mo, d, h, mi;
	if (text == NULL || text[0] == '\0')
		return 0;
	if (conf_parse_daily_time(text, &h, &mi) == 0) {
		*daily = h * 60 + mi + 1;
		return 0;
	}
	if (conf_parse_local_time(text, &y, &mo, &d, &h, &mi) != 0 ||
	    ktime_from_local(y, mo, d, h, mi, at) != 0)
		return util_fail(cause, "bad open_from/open_until time '%s'", text);
	return 0;
}

int
checkin_policy_from_conf(const struct conf *cf, bool each_day, struct checkin_policy *p,
    char **cause)
{
	struct checkin_policy q;
	memset(&q, 0, sizeof q);
	q.exit_mode = cf->mode == CONF_MODE_EXIT;
	q.reentry = cf->reentry;
	q.each_day = each_day;
	q.admit_types = (const char *const *)cf->admit_types;
	q.n_admit_types = cf->n_admit_types;
	q.ticket_days = (const char *const *)cf->ticket_days;
	q.n_ticket_days = cf->n_ticket_days;
	if (policy_time(cf->open_from, &q.daily_from, &q.open_from, cause) != 0 ||
	    policy_time(cf->open_until, &q.daily_until, &q.open_until, cause) != 0)
		return -1;
	*p = q;
	return 0;
}

void
checkin_window(const struct checkin_policy *p, int64_t now, int64_t *from, int64_t *until)
{
	*from = p->daily_from != 0 ? day_at(p->daily_from, now) : p->open_from;
	*until = p->daily_until != 0 ? day_at(p->daily_until, now) : p->open_until;
}

int64_t
checkin_counted_since(bool each_day, int64_t now)
{
	return each_day ? ktime_day_start(now) : 0;
}

enum checkin_result
checkin_decide(const struct checkin_facts *f, const struct checkin_policy *p, int64_t now)
{
	if (!f->valid)
		return CHECKIN_INVALID;
	if (!f->found)
		return f->other_event ? CHECKIN_OTHER_EVENT : CHECKIN_UNKNOWN;
	/* A guest inside is let out and the exit recorded, though the ticket
	 * was cancelled since they came in (a refund at the desk): refusing
	 * them only loses the record of their leaving. */
	if (p->exit_mode && f->inside)
		return CHECKIN_EXITED;
	if (f->cancelled)
		return CHECKIN_CANCELLED;
	if (p->exit_mode)
		return CHECKIN_NOT_INSIDE;
	if (!type_admitted(p, f->ticket_type, f->walkin))
		return CHECKIN_WRONG_DOOR;
	if (p->n_ticket_days > 0 && !day_admitted(p, f->ticket_type, ktime_day(now)))
		return CHECKIN_WRONG_DAY;
	int64_t from, until;
	checkin_window(p, now, &from, &until);
	if (from != 0 && now < from)
		return CHECKIN_TOO_EARLY;
	if (until != 0 && now >= until)
		return CHECKIN_TOO_LATE;
	if (f->ins > 0 && !(p->reentry && !f->inside))
		return CHECKIN_ALREADY;
	return CHECKIN_ADMITTED;
}

void
checkin_outcome_clear(struct checkin_outcome *o)
{
	if (o == NULL)
		return;
	if (o->has_guest)
		guest_clear(&o->guest);
	free(o->detail);
	memset(o, 0, sizeof *o);
}

static int
insert_event(struct store *s, const char *guest_uuid, const char *kind, const char *undoes,
    int64_t at, const char *kiosk, char uuid_out[40], char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO checkin (uuid, guest_uuid, kind, undoes,"
	    " at, kiosk) VALUES (?, ?, ?, ?, ?, ?)", cause);
	if (st == NULL)
		return -1;
	char *uuid = util_uuid();
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, guest_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	if (undoes)
		sqlite3_bind_text(st, 4, undoes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, at);
	sqlite3_bind_text(st, 6, kiosk, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		snprintf(uuid_out, 40, "%s", uuid);
	free(uuid);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot record the check-in");
	return 0;
}

/* A scan that made a check-in shares its uuid, so sync sends the two as one
 * record (docs/sync-protocol.md); uuid is NULL for the others. */
static int
insert_scan(struct store *s, const char *uuid_of, const char *code, const char *result,
    const char *guest_uuid, int64_t at, const char *kiosk, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO scan (uuid, at, kiosk, code, result,"
	    " guest_uuid) VALUES (?, ?, ?, ?, ?, ?)", cause);
	if (st == NULL)
		return -1;
	char *uuid = uuid_of != NULL ? xstrdup(uuid_of) : util_uuid();
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, result, -1, SQLITE_STATIC);
	if (guest_uuid)
		sqlite3_bind_text(st, 6, guest_uuid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	free(uuid);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot record the scan");
	return 0;
}

/* A printable, bounded copy of bad input for the audit row: never the whole
 * 5,000 characters a stranger's QR code may hold, and UTF-8 (a byte that is
 * not becomes '?'), since the row travels to the hub as JSON. */
#define AUDIT_MAX 64
static char *
audit_text(const char *input, size_t len)
{
	const unsigned char *u = (const unsigned char *)input;
	char *t = xmalloc(AUDIT_MAX + 1);
	size_t i = 0, n = 0;
	while (i < len && n < AUDIT_MAX) {
		size_t k = util_utf8_len(u + i, len - i);
		if (k <= 1) { /* ASCII, or a byte that is not UTF-8 */
			t[n++] = k == 0 || u[i] < ' ' || u[i] == 0x7f ? '?' : (char)u[i];
			i++;
			continue;
		}
		if (n + k > AUDIT_MAX)
			break; /* a character that does not fit ends it, uncut */
		memcpy(t + n, u + i, k);
		n += k;
		i += k;
	}
	t[n] = '\0';
	return t;
}

int
checkin_scan(struct store *s, const char *input, size_t len, const char *kiosk,
    const struct checkin_policy *p, int64_t now, struct checkin_outcome *o, char **cause)
{
	struct checkin_facts f = { 0 };
	struct guest_state gs;
	char *code = NULL;
	char tag[CODE_TAG_MAX + 1];
	int rc = -1;

	memset(o, 0, sizeof *o);
	o->at = now;
	if (util_name_check("kiosk name", kiosk, UTIL_NAME_MAX, cause) != 0)
		return -1;
	enum code_status cs = code_normalize(input, len, &code);
	f.valid = cs == CODE_OK;
	if (!f.valid) {
		o->detail = xstrdup(code_status_str(cs));
		code = audit_text(input, len);
	}
	if (store_begin(s, cause) != 0)
		goto out;
	if (f.valid) {
		int found = guest_find_by_scanned(s, code, &o->guest, cause);
		if (found < 0)
			goto out;
		o->has_guest = found == 1;
		f.found = o->has_guest;
		if (!f.found && code_parse_ours(code, tag)) {
			f.other_event = strcmp(tag, store_event(s)->tag) != 0;
			o->ours = !f.other_event;
		}
	}
	if (f.found) {
		/* At an event of days, only today's admissions and exits count
		 * (the first of the guest's, ever, is still their arrival). */
		if (guest_state(s, o->guest.uuid, checkin_counted_since(p->each_day, now), &gs,
		    cause) != 0)
			goto out;
		f.cancelled = o->guest.cancelled;
		f.ticket_type = o->guest.ticket_type;
		f.walkin = o->guest.source != NULL && strcmp(o->guest.source, "walkin") == 0 &&
		    o->guest.updated_by != NULL && strcmp(o->guest.updated_by, kiosk) == 0;
		/* inside whatever the day: one who came in at 22:00 may leave
		 * at 00:30 through an exit kiosk */
		f.ins = gs.ins_since;
		f.inside = gs.inside;
	}
	o->result = checkin_decide(&f, p, now);
	if (o->result == CHECKIN_ALREADY) {
		o->first_at = gs.first_since_at;
		snprintf(o->first_kiosk, sizeof o->first_kiosk, "%s", gs.first_since_kiosk);
	}
	if (o->result == CHECKIN_WRONG_DOOR)
		o->detail = xstrdup(o->guest.ticket_type);
	if (o->result == CHECKIN_TOO_EARLY) {
		int64_t until;
		checkin_window(p, now, &o->opens_at, &until);
	}
	if (o->result == CHECKIN_WRONG_DAY) {
		char days[256];
		o->detail = xstrdup(checkin_ticket_days(p, o->guest.ticket_type, days, sizeof days));
	}
	/* A re-entry is admitted too, but the guest was counted at their
	 * first admission (attend.h). */
	o->arrival = o->result == CHECKIN_ADMITTED && gs.ins == 0;
	o->first_today = o->result == CHECKIN_ADMITTED && gs.ins_since == 0;
	bool recorded = o->result == CHECKIN_ADMITTED || o->result == CHECKIN_EXITED;
	/* A guest's events are taken in the order of their times: one recorded
	 * here comes after those it was decided on, whatever this clock says.
	 * A clock set back since the last (NTP correcting a laptop that ran two
	 * hours fast, between a guest's entry and exit) would else put the
	 * exit before the entry, and the guest stay inside for good: refused
	 * at re-entry as "already checked in". */
	if (recorded)
		o->at = merge_stamp(o->at, gs.last_at); /* never past MERGE_TIME_MAX */
	if (recorded && insert_event(s, o->guest.uuid, o->result == CHECKIN_ADMITTED ? "in" :
	    "out", NULL, o->at, kiosk, o->checkin_uuid, cause) != 0)
		goto out;
	if (insert_scan(s, recorded ? o->checkin_uuid : NULL, code, checkin_result_name(o->result),
	    o->has_guest ? o->guest.uuid : NULL, o->at, kiosk, cause) != 0)
		goto out;
	if (store_commit(s, cause) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		store_rollback(s);
		checkin_outcome_clear(o);
	}
	free(code);
	return rc;
}

/* The admission named uuid, of guest_uuid and not undone: 1 with its time
 * in *at and its kiosk in kiosk (size of checkin_outcome's first_kiosk), 0
 * when there is none such (undone already, at another door too), -1 with
 * *cause. */
static int
admission(struct store *s, const char *guest_uuid, const char *uuid, int64_t *at,
    char kiosk[256], char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT c.at, c.kiosk FROM checkin c WHERE c.uuid = ?1"
	    " AND c.guest_uuid = ?2 AND c.kind = 'in' AND NOT EXISTS (SELECT 1 FROM checkin u"
	    " WHERE u.kind = 'undo' AND u.undoes = c.uuid)", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, guest_uuid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*at = sqlite3_column_int64(st, 0);
		snprintf(kiosk, 256, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read check-ins");
	return rc == SQLITE_ROW;
}

/* checkin_undo and checkin_undo_admission: which is the admission to undo,
 * or NULL for the guest's latest, if at or after since. */
static int
undo(struct store *s, const char *input, const char *which, const char *kiosk, int64_t now,
    int64_t since, struct checkin_outcome *o, char **cause)
{
	struct guest_state gs;
	char *code = NULL;
	int rc = -1;

	memset(o, 0, sizeof *o);
	o->at = now;
	if (util_name_check("kiosk name", kiosk, UTIL_NAME_MAX, cause) != 0)
		return -1;
	enum code_status cs = code_normalize(input, strlen(input), &code);
	if (cs != CODE_OK)
		return util_fail(cause, "%s", code_status_str(cs));
	if (store_begin(s, cause) != 0)
		goto out;
	int found = guest_find_by_scanned(s, code, &o->guest, cause);
	if (found < 0)
		goto out;
	if (found == 0) {
		util_fail(cause, "no guest has the code '%s'", code);
		goto out;
	}
	o->has_guest = true;
	if (guest_state(s, o->guest.uuid, 0, &gs, cause) != 0)
		goto out;
	/* The latest admission (not one the guest left after), or the one
	 * named: its time and kiosk for the caller to say. */
	const char *undone = which != NULL ? which : gs.last_in_uuid;
	int there = which == NULL && !(gs.ins > 0 && gs.inside && gs.last_in_at >= since) ? 0 :
	    admission(s, o->guest.uuid, undone, &o->first_at, o->first_kiosk, cause);
	if (there < 0)
		goto out;
	if (!there) {
		store_rollback(s);
		rc = 1;
		goto out;
	}
	char undo_uuid[40];
	if (insert_event(s, o->guest.uuid, "undo", undone, now, kiosk, undo_uuid, cause) != 0)
		goto out;
	snprintf(o->checkin_uuid, sizeof o->checkin_uuid, "%s", undone);
	o->arrival = gs.ins == 1; /* with an earlier admission left, still checked in */
	if (store_commit(s, cause) != 0)
		goto out;
	o->result = CHECKIN_ADMITTED;
	rc = 0;
out:
	if (rc < 0) {
		store_rollback(s);
		checkin_outcome_clear(o);
	}
	free(code);
	return rc;
}

int
checkin_undo(struct store *s, const char *input, const char *kiosk, int64_t now,
    int64_t since, struct checkin_outcome *o, char **cause)
{
	return undo(s, input, NULL, kiosk, now, since, o, cause);
}

int
checkin_undo_admission(struct store *s, const char *input, const char *checkin_uuid,
    const char *kiosk, int64_t now, struct checkin_outcome *o, char **cause)
{
	return undo(s, input, checkin_uuid, kiosk, now, 0, o, cause);
}
