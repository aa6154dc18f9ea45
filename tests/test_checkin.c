/* Tests for checkin: the rule book (a decision table) and recorded scans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/attend.h"
#include "core/checkin.h"
#include "core/code.h"
#include "core/conf.h"
#include "core/guest.h"
#include "core/import.h"
#include "core/ktime.h"
#include "core/merge.h"
#include "testutil.h"

#define NOW  1782838800000LL /* 2026-06-30 19:00 Europe/Brussels */
#define HOUR 3600000LL

/* --- the decision table ------------------------------------------------ */

static void
test_decision_table(void **state)
{
	(void)state;
	static const char *const speakers[] = { "Speaker", "VIP" };
	const struct checkin_policy open = { 0 };
	const struct checkin_policy reentry = { .reentry = true };
	const struct checkin_policy exitp = { .exit_mode = true, .reentry = true };
	const struct checkin_policy door = { .admit_types = speakers, .n_admit_types = 2 };
	const struct checkin_policy window = { .open_from = NOW - HOUR, .open_until = NOW + HOUR };
	static const char *const speaker[] = { "Speaker" };
	const struct checkin_policy one = { .admit_types = speaker, .n_admit_types = 1 };
	const struct checkin_policy door_window = { .admit_types = speakers, .n_admit_types = 2,
	    .open_from = NOW - HOUR, .open_until = NOW + HOUR };
	struct {
		const char *what;
		struct checkin_facts f;
		const struct checkin_policy *p;
		int64_t now;
		enum checkin_result want;
	} rows[] = {
		{ "not a code", { .valid = false }, &open, NOW, CHECKIN_INVALID },
		{ "unknown", { .valid = true }, &open, NOW, CHECKIN_UNKNOWN },
		{ "other event", { .valid = true, .other_event = true }, &open, NOW, CHECKIN_OTHER_EVENT },
		{ "first scan", { .valid = true, .found = true }, &open, NOW, CHECKIN_ADMITTED },
		{ "second scan", { .valid = true, .found = true, .ins = 1, .inside = true }, &open, NOW,
		  CHECKIN_ALREADY },
		{ "cancelled", { .valid = true, .found = true, .cancelled = true }, &open, NOW,
		  CHECKIN_CANCELLED },
		{ "cancelled beats already", { .valid = true, .found = true, .cancelled = true,
		  .ins = 1, .inside = true }, &open, NOW, CHECKIN_CANCELLED },
		{ "went out, no re-entry", { .valid = true, .found = true, .ins = 1 }, &open, NOW,
		  CHECKIN_ALREADY },
		{ "went out, re-entry", { .valid = true, .found = true, .ins = 1 }, &reentry, NOW,
		  CHECKIN_ADMITTED },
		{ "inside, re-entry", { .valid = true, .found = true, .ins = 1, .inside = true },
		  &reentry, NOW, CHECKIN_ALREADY },
		{ "exit scan inside", { .valid = true, .found = true, .ins = 1, .inside = true },
		  &exitp, NOW, CHECKIN_EXITED },
		{ "exit scan not inside", { .valid = true, .found = true }, &exitp, NOW,
		  CHECKIN_NOT_INSIDE },
		{ "exit scan inside, cancelled since", { .valid = true, .found = true,
		  .cancelled = true, .ins = 1, .inside = true }, &exitp, NOW, CHECKIN_EXITED },
		{ "exit scan not inside, cancelled", { .valid = true, .found = true,
		  .cancelled = true }, &exitp, NOW, CHECKIN_CANCELLED },
		{ "speaker at speakers' door", { .valid = true, .found = true,
		  .ticket_type = "speaker" }, &door, NOW, CHECKIN_ADMITTED },
		{ "student at speakers' door", { .valid = true, .found = true,
		  .ticket_type = "Student" }, &door, NOW, CHECKIN_WRONG_DOOR },
		{ "no type at speakers' door", { .valid = true, .found = true }, &door, NOW,
		  CHECKIN_WRONG_DOOR },
		{ "walk-in, no type, at speakers' door", { .valid = true, .found = true,
		  .walkin = true }, &door, NOW, CHECKIN_ADMITTED },
		{ "walk-in student at speakers' door", { .valid = true, .found = true,
		  .walkin = true, .ticket_type = "Student" }, &door, NOW, CHECKIN_WRONG_DOOR },
		{ "before opening", { .valid = true, .found = true }, &window, NOW - 2 * HOUR,
		  CHECKIN_TOO_EARLY },
		{ "at opening", { .valid = true, .found = true }, &window, NOW - HOUR,
		  CHECKIN_ADMITTED },
		{ "at closing", { .valid = true, .found = true }, &window, NOW + HOUR,
		  CHECKIN_TOO_LATE },
		/* a door for one ticket type lets in that type only */
		{ "student at a speakers-only door", { .valid = true, .found = true,
		  .ticket_type = "Student" }, &one, NOW, CHECKIN_WRONG_DOOR },
		{ "speaker at a speakers-only door", { .valid = true, .found = true,
		  .ticket_type = "Speaker" }, &one, NOW, CHECKIN_ADMITTED },
		/* every admitted type, not only the first */
		{ "VIP at speakers' door", { .valid = true, .found = true, .ticket_type = "vip" },
		  &door, NOW, CHECKIN_ADMITTED },
		/* first match wins, in the order of checkin.h: a cancelled ticket is
		 * not sent to another door, where it is refused anyway; a wrong door
		 * does not say to wait for the opening; who is in and comes back after
		 * closing hears that the entrance is closed */
		{ "cancelled at the wrong door", { .valid = true, .found = true, .cancelled = true,
		  .ticket_type = "Student" }, &door, NOW, CHECKIN_CANCELLED },
		{ "wrong door before opening", { .valid = true, .found = true,
		  .ticket_type = "Student" }, &door_window, NOW - 2 * HOUR, CHECKIN_WRONG_DOOR },
		{ "checked in, back after closing", { .valid = true, .found = true, .ins = 1,
		  .inside = true }, &window, NOW + HOUR, CHECKIN_TOO_LATE },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum checkin_result got = checkin_decide(&rows[i].f, rows[i].p, rows[i].now);
		if (got != rows[i].want)
			fail_msg("%s: got %s, want %s", rows[i].what, checkin_result_name(got),
			    checkin_result_name(rows[i].want));
	}
}

static void
test_result_names_are_stable(void **state)
{
	(void)state;
	/* These names are the JSON and audit vocabulary: scripts depend on them. */
	assert_string_equal(checkin_result_name(CHECKIN_ADMITTED), "admitted");
	assert_string_equal(checkin_result_name(CHECKIN_ALREADY), "already_checked_in");
	assert_string_equal(checkin_result_name(CHECKIN_UNKNOWN), "unknown_code");
	assert_string_equal(checkin_result_name(CHECKIN_OTHER_EVENT), "other_event");
	assert_string_equal(checkin_result_name(CHECKIN_CANCELLED), "cancelled");
	/* A second exit scan: the guest did check in, and left; the words
	 * must not say they never checked in. */
	assert_string_equal(checkin_result_text(CHECKIN_NOT_INSIDE),
	    "This guest is not inside (not checked in, or already out).");
	assert_true(checkin_result_ok(CHECKIN_ADMITTED));
	assert_false(checkin_result_ok(CHECKIN_ALREADY));
}

/* Green is a guest let through: in at an entrance, out at an exit door.
 * Everything else is not (ALREADY has its own amber, but lets nobody in). */
static void
test_green_is_admitted_and_exited(void **state)
{
	(void)state;
	for (int r = CHECKIN_ADMITTED; r <= CHECKIN_WRONG_DAY; r++) {
		bool want = r == CHECKIN_ADMITTED || r == CHECKIN_EXITED;
		if (checkin_result_ok((enum checkin_result)r) != want)
			fail_msg("%s: ok is %d", checkin_result_name((enum checkin_result)r), !want);
	}
}

/* Every result's name (the JSON of `kiosk checkin --json` and the scan
 * table's result column, which scripts and the hub read), and words that
 * tell the door's staff apart what they must do. */
static void
test_every_result_has_its_name_and_words(void **state)
{
	(void)state;
	static const char *const names[] = {
		"admitted", "already_checked_in", "unknown_code", "other_event", "cancelled",
		"wrong_door", "too_early", "too_late", "exited", "not_inside", "invalid_code",
		"wrong_day",
	};
	assert_int_equal(sizeof names / sizeof names[0], CHECKIN_RESULTS);
	for (int r = CHECKIN_ADMITTED; r <= CHECKIN_WRONG_DAY; r++)
		assert_string_equal(checkin_result_name((enum checkin_result)r), names[r]);
	/* "not open yet" sends a guest to wait, "closed" home: never swapped */
	assert_string_equal(checkin_result_text(CHECKIN_TOO_EARLY), "This entrance is not open yet.");
	assert_string_equal(checkin_result_text(CHECKIN_TOO_LATE), "This entrance is closed.");
	for (int r = CHECKIN_ADMITTED; r <= CHECKIN_WRONG_DAY; r++) {
		const char *t = checkin_result_text((enum checkin_result)r);
		assert_true(t[0] != '\0');
		for (int q = CHECKIN_ADMITTED; q < r; q++)
			if (strcmp(t, checkin_result_text((enum checkin_result)q)) == 0)
				fail_msg("%s and %s say the same", names[q], names[r]);
	}
}

/* A two-day conference's day tickets ([checkin] ticket_days): a Day 2
 * ticket on day 1 is told it is for another day, not that it is at the
 * wrong entrance (admit_types was the only way, and sent guests looking
 * for another door); the day turns at midnight in the event's zone. */
static void
test_day_tickets(void **state)
{
	(void)state;
	char *cause = NULL;
	assert_int_equal(ktime_set_zone("Europe/Brussels", &cause), 0);
	static const char *const days[] = { "Day 1: 2026-06-30", "day 2: 2026-07-01",
	    "Weekend: 2026-06-30", "Weekend: 2026-07-01" };
	static const char *const main_door[] = { "Day 1", "Day 2", "Combi", "Weekend" };
	const struct checkin_policy p = { .ticket_days = days, .n_ticket_days = 4 };
	const struct checkin_policy at_door = { .ticket_days = days, .n_ticket_days = 4,
	    .admit_types = main_door, .n_admit_types = 4, .open_from = NOW + 14 * HOUR };
	const struct checkin_policy hours = { .ticket_days = days, .n_ticket_days = 4,
	    .open_from = NOW + 14 * HOUR };
	const int64_t midnight = NOW + 5 * HOUR; /* 2026-07-01 00:00 Brussels */
	struct {
		const char *what;
		const char *type;
		const struct checkin_policy *p;
		int64_t now;
		enum checkin_result want;
	} rows[] = {
		{ "Day 1 on day 1", "Day 1", &p, NOW, CHECKIN_ADMITTED },
		{ "Day 2 on day 1", "Day 2", &p, NOW, CHECKIN_WRONG_DAY },
		{ "Day 2 on day 2, another case", "DAY 2", &p, NOW + 14 * HOUR, CHECKIN_ADMITTED },
		{ "Day 1 on day 2", "Day 1", &p, NOW + 14 * HOUR, CHECKIN_WRONG_DAY },
		{ "Day 1 at 23:59", "Day 1", &p, midnight - 60000, CHECKIN_ADMITTED },
		{ "Day 1 at 00:00", "Day 1", &p, midnight, CHECKIN_WRONG_DAY },
		{ "Day 2 at 00:00", "Day 2", &p, midnight, CHECKIN_ADMITTED },
		{ "Weekend both days", "Weekend", &p, NOW, CHECKIN_ADMITTED },
		{ "Weekend both days (2)", "Weekend", &p, NOW + 14 * HOUR, CHECKIN_ADMITTED },
		{ "Weekend the day after", "Weekend", &p, NOW + 38 * HOUR, CHECKIN_WRONG_DAY },
		{ "a type not named: every day", "Combi", &p, NOW + 38 * HOUR, CHECKIN_ADMITTED },
		{ "no type: every day", NULL, &p, NOW, CHECKIN_ADMITTED },
		/* a wrong door first (the speakers' entrance is no help on any
		 * day); a wrong day before the hours (not "opens at 09:00" to a
		 * guest who will be refused at 09:00) */
		{ "Speaker at the main door", "Speaker", &at_door, NOW, CHECKIN_WRONG_DOOR },
		{ "Day 2 before day 1's opening", "Day 2", &hours, NOW, CHECKIN_WRONG_DAY },
		{ "Day 1 before day 1's opening", "Day 1", &hours, NOW - 60000, CHECKIN_TOO_EARLY },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct checkin_facts f = { .valid = true, .found = true,
		    .ticket_type = rows[i].type };
		enum checkin_result got = checkin_decide(&f, rows[i].p, rows[i].now);
		if (got != rows[i].want)
			fail_msg("%s: got %s, want %s", rows[i].what, checkin_result_name(got),
			    checkin_result_name(rows[i].want));
	}
	/* an exit scan lets a Day 1 guest out after midnight */
	const struct checkin_policy exitp = { .exit_mode = true, .reentry = true,
	    .ticket_days = days, .n_ticket_days = 4 };
	const struct checkin_facts in = { .valid = true, .found = true, .ticket_type = "Day 1",
	    .ins = 1, .inside = true };
	assert_int_equal(checkin_decide(&in, &exitp, midnight + HOUR), CHECKIN_EXITED);
	char out[64];
	assert_string_equal(checkin_ticket_days(&p, "day 2", out, sizeof out), "2026-07-01");
	assert_string_equal(checkin_ticket_days(&p, "Weekend", out, sizeof out),
	    "2026-06-30, 2026-07-01");
	assert_string_equal(checkin_ticket_days(&p, "Combi", out, sizeof out), "");
	assert_string_equal(checkin_ticket_days(&p, "Weekend", out, 12), "2026-06-30");
	assert_string_equal(checkin_result_text(CHECKIN_WRONG_DAY),
	    "This ticket is for another day.");
}

/* The hours of every day of a conference of days (open_from = 08:30,
 * open_until = 18:00): a dated window from day 1's opening to day 2's
 * closing left the doors open all night and at 07:00 on day 2. The day's
 * hours are read on its own clock, also on the day summer time ends. */
static void
test_daily_hours(void **state)
{
	(void)state;
	char *cause = NULL;
	assert_int_equal(ktime_set_zone("Europe/Brussels", &cause), 0);
	const struct checkin_policy p = { .daily_from = 8 * 60 + 30 + 1,
	    .daily_until = 18 * 60 + 1 };
	const struct checkin_policy from_only = { .daily_from = 8 * 60 + 30 + 1 };
	const struct checkin_facts f = { .valid = true, .found = true };
	int64_t day1, day2; /* 00:00 of 2026-10-24 (+02:00) and 2026-10-25 (ends +01:00) */
	assert_int_equal(ktime_from_local(2026, 10, 24, 0, 0, &day1), 0);
	assert_int_equal(ktime_from_local(2026, 10, 25, 0, 0, &day2), 0);
	const int64_t m = 60000;
	struct {
		const char *what;
		const struct checkin_policy *p;
		int64_t now;
		enum checkin_result want;
	} rows[] = {
		{ "day 1, 08:29", &p, day1 + (8 * 60 + 29) * m, CHECKIN_TOO_EARLY },
		{ "day 1, 08:30", &p, day1 + (8 * 60 + 30) * m, CHECKIN_ADMITTED },
		{ "day 1, 17:59", &p, day1 + (17 * 60 + 59) * m, CHECKIN_ADMITTED },
		{ "day 1, 18:00", &p, day1 + 18 * 60 * m, CHECKIN_TOO_LATE },
		{ "night, 23:00", &p, day1 + 23 * 60 * m, CHECKIN_TOO_LATE },
		{ "night, 02:30", &p, day2 + (2 * 60 + 30) * m, CHECKIN_TOO_EARLY },
		/* 25 hours that day: 08:29 local is 9 h 29 after midnight */
		{ "day 2, 08:29", &p, day2 + (9 * 60 + 29) * m, CHECKIN_TOO_EARLY },
		{ "day 2, 08:30", &p, day2 + (9 * 60 + 30) * m, CHECKIN_ADMITTED },
		{ "day 2, 18:00", &p, day2 + 19 * 60 * m, CHECKIN_TOO_LATE },
		{ "no closing, 23:00", &from_only, day1 + 23 * 60 * m, CHECKIN_ADMITTED },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum checkin_result got = checkin_decide(&f, rows[i].p, rows[i].now);
		if (got != rows[i].want)
			fail_msg("%s: got %s, want %s", rows[i].what, checkin_result_name(got),
			    checkin_result_name(rows[i].want));
	}
	int64_t from, until;
	checkin_window(&p, day2 + 7 * 60 * m, &from, &until);
	assert_true(from == day2 + (9 * 60 + 30) * m); /* "Opens at 08:30", day 2's */
	assert_true(until == day2 + 19 * 60 * m);
}

/* --- scans against a store ---------------------------------------------- */

struct fixture {
	char *dir;
	struct store *s;
	struct guest zoe;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct guest_fields f = { .first_name = "Zoë", .last_name = "Çelik",
	    .ticket_type = "Student" };
	fx->dir = tu_tmpdir();
	fx->s = tu_store(fx->dir, "event.db");
	assert_non_null(fx->s);
	assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &fx->zoe, NULL), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	guest_clear(&fx->zoe);
	store_close(fx->s);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

static enum checkin_result
scan(struct fixture *fx, const char *code, const char *kiosk, int64_t now,
    const struct checkin_policy *p, struct checkin_outcome *o)
{
	char *cause = NULL;
	int rc = checkin_scan(fx->s, code, strlen(code), kiosk, p, now, o, &cause);
	if (rc != 0)
		fail_msg("checkin_scan: %s", cause);
	return o->result;
}

static void
test_admit_then_already(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;

	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	assert_true(o.has_guest);
	assert_string_equal(o.guest.first_name, "Zoë");
	checkin_outcome_clear(&o);

	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", NOW + 60000, &p, &o), CHECKIN_ALREADY);
	assert_int_equal(o.first_at, NOW);
	assert_string_equal(o.first_kiosk, "Door 1");
	checkin_outcome_clear(&o);

	/* One check-in row, two audit rows. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan"), 2);
	assert_int_equal(tu_count(fx->s,
	    "SELECT count(*) FROM scan WHERE result = 'already_checked_in'"), 1);
}

/* A speakers' entrance registers a walk-in with the door app's form, which
 * asks for no ticket type, then taps "Check in now": admitted (it was
 * refused as the wrong entrance). A walk-in with a type keeps the rule, and
 * one the main entrance registered does not get in at the speakers' one. */
/* A conference of days ([checkin] each_day): a ticket gets in once a day,
 * in the event's zone. Without it, day two is "already checked in" with
 * day one's time; with it, day two's first scan admits (not an arrival:
 * the guest came yesterday), and a second that day is "already" with day
 * two's time. Nobody scans out at night: an exit scan the next morning
 * finds the guest not inside, and re-entry works within the day. */
static void
test_each_day(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;
	assert_int_equal(ktime_set_zone("Europe/Brussels", &cause), 0);
	const struct checkin_policy once = { 0 }, daily = { .each_day = true };
	const struct checkin_policy in = { .each_day = true, .reentry = true };
	const struct checkin_policy out = { .each_day = true, .reentry = true, .exit_mode = true };
	const int64_t midnight = NOW + 5 * HOUR; /* 2026-07-01 00:00 in Brussels */
	struct checkin_outcome o;

	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &daily, &o), CHECKIN_ADMITTED);
	assert_true(o.arrival);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", midnight - 1, &daily, &o),
	    CHECKIN_ALREADY);
	assert_int_equal(o.first_at, NOW);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", midnight + 9 * HOUR, &once, &o),
	    CHECKIN_ALREADY);
	assert_int_equal(o.first_at, NOW);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", midnight + 9 * HOUR, &daily, &o),
	    CHECKIN_ADMITTED);
	assert_false(o.arrival);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", midnight + 10 * HOUR, &daily, &o),
	    CHECKIN_ALREADY);
	assert_int_equal(o.first_at, midnight + 9 * HOUR);
	assert_string_equal(o.first_kiosk, "Door 2");
	checkin_outcome_clear(&o);

	/* day three: in, out, in again (re-entry), once more (already); an
	 * exit a guest left open last night is no reason to refuse one now
	 * (in at 22:00, out at 00:30) */
	const int64_t day3 = midnight + 33 * HOUR;
	const struct {
		const struct checkin_policy *p;
		enum checkin_result want;
	} steps[] = {
		{ &in, CHECKIN_ADMITTED }, { &out, CHECKIN_EXITED }, { &in, CHECKIN_ADMITTED },
		{ &in, CHECKIN_ALREADY },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		assert_int_equal(scan(fx, fx->zoe.code, "Door 3", day3 + (int64_t)i * 60000,
		    steps[i].p, &o), steps[i].want);
		checkin_outcome_clear(&o);
	}
	assert_int_equal(scan(fx, fx->zoe.code, "Door 3", day3 + 13 * HOUR, &in, &o),
	    CHECKIN_ALREADY); /* 22:00, still in */
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 3", day3 + 15 * HOUR + HOUR / 2, &out, &o),
	    CHECKIN_EXITED); /* 00:30 the next day */
	checkin_outcome_clear(&o);
	/* one guest, who came on three days: no duplicate entry at an event
	 * of days; at a one-day event (or a night past midnight), an entry
	 * with no exit since the one before is one, whatever the day */
	struct attend_stats st;
	store_set_each_day(fx->s, true);
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.checked_in, 1);
	assert_int_equal(st.duplicate_entries, 0);
	attend_stats_free(&st);
	store_set_each_day(fx->s, false);
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.duplicate_entries, 2);
	attend_stats_free(&st);
}

/* At an event of days, an admission at the stroke of midnight is that
 * day's: a second scan the same morning is "already", with its time. */
static void
test_each_day_from_its_first_millisecond(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;
	assert_int_equal(ktime_set_zone("Europe/Brussels", &cause), 0);
	const struct checkin_policy daily = { .each_day = true };
	const int64_t midnight = NOW + 5 * HOUR; /* 2026-07-01 00:00 in Brussels */
	struct checkin_outcome o;

	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", midnight, &daily, &o),
	    CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", midnight + 9 * HOUR, &daily, &o),
	    CHECKIN_ALREADY);
	assert_int_equal(o.first_at, midnight);
	assert_string_equal(o.first_kiosk, "Door 1");
	checkin_outcome_clear(&o);
}

/* At an event of days, kiosk undo undoes today's admission, never an
 * earlier day's: that was attendance, not a mis-scan. */
static void
test_each_day_undo_keeps_earlier_days(void **state)
{
	struct fixture *fx = *state;
	char *cause = NULL;
	assert_int_equal(ktime_set_zone("Europe/Brussels", &cause), 0);
	const struct checkin_policy daily = { .each_day = true };
	const int64_t day2 = NOW + 14 * HOUR; /* 2026-07-01 09:00 */
	const int64_t since = ktime_day_start(day2);
	struct checkin_outcome o;
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &daily, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(checkin_undo(fx->s, fx->zoe.code, "Door 1", day2, since, &o, &cause), 1);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", day2, &daily, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(checkin_undo(fx->s, fx->zoe.code, "Door 1", day2 + 1000, since, &o,
	    &cause), 0);
	assert_int_equal(o.first_at, day2);
	checkin_outcome_clear(&o);
	assert_int_equal(checkin_undo(fx->s, fx->zoe.code, "Door 1", day2 + 2000, since, &o,
	    &cause), 1);
	checkin_outcome_clear(&o);
	/* day one's admission stands: she came */
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.checked_in, 1);
	attend_stats_free(&st);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 1);
}

/* The day each_day counts from: local midnight, also on the day the
 * clocks go forward (23 hours) and back (25). */
static void
test_day_start(void **state)
{
	(void)state;
	char *cause = NULL;
	assert_int_equal(ktime_set_zone("Europe/Brussels", &cause), 0);
	/* 2026-06-30 19:00 +02:00: from 2026-06-29T22:00Z */
	assert_int_equal(ktime_day_start(NOW), NOW - 19 * HOUR);
	assert_int_equal(ktime_day(NOW), 20260630);
	assert_int_equal(ktime_day(NOW + 5 * HOUR - 1), 20260630);
	assert_int_equal(ktime_day(NOW + 5 * HOUR), 20260701);
	/* 2026-03-29 12:00 +02:00 (10:00Z); its midnight was +01:00 */
	const int64_t spring = 1774778400000LL;
	assert_int_equal(ktime_day_start(spring), spring - 11 * HOUR);
	/* 2026-10-25 12:00 +01:00 (11:00Z); its midnight was +02:00 */
	const int64_t autumn = 1792926000000LL;
	assert_int_equal(ktime_day_start(autumn), autumn - 13 * HOUR);
	assert_int_equal(ktime_day_start(ktime_day_start(autumn)), ktime_day_start(autumn));
}

static void
test_walkin_without_type_at_a_typed_door(void **state)
{
	struct fixture *fx = *state;
	static const char *const speakers[] = { "Speaker", "VIP" };
	const struct checkin_policy door = { .admit_types = speakers, .n_admit_types = 2 };
	struct guest_fields f = { .first_name = "Lotte", .last_name = "Van den Broeck" };
	struct guest lotte;
	struct checkin_outcome o;

	assert_int_equal(guest_add_walkin(fx->s, &f, "Door 2", &lotte, NULL), 0);
	assert_int_equal(scan(fx, lotte.code, "Door 2", NOW, &door, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", NOW, &door, &o), CHECKIN_WRONG_DOOR);
	checkin_outcome_clear(&o);
	guest_clear(&lotte);
	assert_int_equal(guest_add_walkin(fx->s, &f, "Main entrance", &lotte, NULL), 0);
	assert_int_equal(scan(fx, lotte.code, "Door 2", NOW, &door, &o), CHECKIN_WRONG_DOOR);
	checkin_outcome_clear(&o);
	guest_clear(&lotte);
}

static void
test_unknown_other_event_invalid_are_audited(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char *other = code_new("ELSE27");
	char big[5001];
	memset(big, '7', 5000);
	big[5000] = '\0';

	assert_int_equal(scan(fx, "NOPE-123", "Door 1", NOW, &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, other, "Door 1", NOW, &p, &o), CHECKIN_OTHER_EVENT);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, big, "Door 1", NOW, &p, &o), CHECKIN_INVALID);
	assert_non_null(o.detail);
	checkin_outcome_clear(&o);
	free(other);
	/* A scanner sending Latin-1: refused, and audited as text (the row
	 * goes to the hub as JSON, which carries nothing else). */
	assert_int_equal(scan(fx, "AB\xe9\xe9" "CD", "Door 1", NOW, &p, &o), CHECKIN_INVALID);
	checkin_outcome_clear(&o);
	/* 63 bytes (an escape among them) then a 2-byte character: the
	 * excerpt stops before it rather than cut it in half. */
	char edge[70];
	memset(edge, 'A', 62);
	edge[62] = 0x1b;
	memcpy(edge + 63, "\xc3\xa9", 3);
	assert_int_equal(scan(fx, edge, "Door 1", NOW, &p, &o), CHECKIN_INVALID);
	checkin_outcome_clear(&o);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan"), 5);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan WHERE code = 'AB??CD'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan WHERE code ="
	    " printf('%.62c?', 'A')"), 1);
	/* The audit keeps a bounded excerpt, not 5,000 characters. */
	assert_true(tu_count(fx->s, "SELECT max(length(CAST(code AS BLOB))) FROM scan") <= 64);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin"), 0);
}

/* A kiosk's name is on the screens and in every record: one line, at most
 * UTIL_NAME_MAX bytes, refused before anything is written. A longer name a
 * hub sent (sync takes up to 200 bytes) comes back whole, never cut inside
 * a character. */
static void
test_kiosk_names(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char long64[65];
	memset(long64, 'D', 64);
	long64[64] = '\0';
	const char *const bad[] = { long64, "Door\n2", "\x1b[31mRed", "", "  " };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *cause = NULL;
		assert_int_equal(checkin_scan(fx->s, fx->zoe.code, strlen(fx->zoe.code), bad[i], &p,
		    NOW, &o, &cause), -1);
		assert_non_null(strstr(cause, "kiosk name"));
		free(cause);
		checkin_outcome_clear(&o);
	}
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan"), 0);

	/* 100 x "é": 200 bytes, from another door through the hub. */
	char far[201];
	for (int i = 0; i < 100; i++)
		memcpy(far + 2 * i, "\xc3\xa9", 2);
	far[200] = '\0';
	char *sql = sqlite3_mprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk)"
	    " VALUES ('u-far', %Q, 'in', %lld, %Q)", fx->zoe.uuid, (long long)NOW, far);
	assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW + 1000, &p, &o), CHECKIN_ALREADY);
	assert_string_equal(o.first_kiosk, far);
	checkin_outcome_clear(&o);
}

static void
test_scanner_noise_still_admits(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char typed[128];
	/* Caps lock off and a trailing CR/LF from the scanner. */
	snprintf(typed, sizeof typed, "%s\r\n", fx->zoe.code);
	for (char *c = typed; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	assert_int_equal(scan(fx, typed, "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
}

/* Import csv into s, every row taken. */
static void
import_csv(struct store *s, const char *csv)
{
	struct import_plan *plan = NULL;
	struct import_report rep;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &plan, &cause), 0);
	assert_int_equal(import_apply(s, plan, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.rejected, 0);
	import_free(plan);
}

/* A platform's code typed by hand with the case wrong (a keyboard that
 * began with a capital, Caps Lock on) is its guest's, when exactly that
 * spelling is nobody's and the small letters, the capitals, or every
 * letter's case the other way round are theirs; any other is unknown. */
static void
test_code_typed_in_another_case(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	const char *csv = "First Name,Last Name,Barcode #\nAna,Pretix,qx7kz9ab4fmtr2ehw8cd\n"
	    "Tom,Tito,TITO-ABC1\nMia,Mixed,AbCd12xY\nAl,Lower,abc123\nBo,Upper,ABC123\n";
	import_csv(fx->s, csv);
	static const struct { const char *typed, *last; } ok[] = {
		{ "Qx7kz9ab4fmtr2ehw8cd", "Pretix" }, { "tito-abc1", "Tito" },
		{ "aBcD12Xy", "Mixed" },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(scan(fx, ok[i].typed, "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
		assert_string_equal(o.guest.last_name, ok[i].last);
		checkin_outcome_clear(&o);
	}
	assert_int_equal(scan(fx, "abcd12xy", "Door 1", NOW, &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	/* two guests of such spellings: neither, by a third one; each by its own */
	assert_int_equal(scan(fx, "Abc123", "Door 1", NOW, &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "ABC123", "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	assert_string_equal(o.guest.last_name, "Upper");
	checkin_outcome_clear(&o);
	/* and undone as typed */
	char *cause = NULL;
	assert_int_equal(checkin_undo(fx->s, "QX7KZ9AB4FMTR2EHW8CD", "Door 1", NOW + 1, 0, &o, &cause),
	    0);
	assert_string_equal(o.guest.last_name, "Pretix");
	checkin_outcome_clear(&o);
}

/* A platform whose QR code is a link: the door finds the one guest whose
 * code is in it (a query value or a path segment); a link to two guests,
 * or to none, is unknown, and its audit row keeps the link as read. */
static void
test_code_in_a_link(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	const char *csv = "First Name,Last Name,Barcode #\nAnn,Alpha,GIAO-1\nBob,Beta,abc123\n"
	    "Cy,Gamma,EVT9\nDi,Delta,7\nEd,Eps,2026\nFe,Phi,qx7kz9+ab4/fmtr2eh==\n";
	import_csv(fx->s, csv);
	assert_int_equal(scan(fx, "https://tickets.example.com/t/GIAO-1", "Door 1", NOW, &p, &o),
	    CHECKIN_ADMITTED);
	assert_string_equal(o.guest.last_name, "Alpha");
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "https://example.com/checkin?code=abc123&e=7", "Door 1", NOW,
	    &p, &o), CHECKIN_ADMITTED);
	assert_string_equal(o.guest.last_name, "Beta");
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "HTTPS://EXAMPLE.COM/EVT9/", "Door 1", NOW, &p, &o),
	    CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	/* a base64 secret put in a link as it is, '+' and all */
	assert_int_equal(scan(fx, "https://x.example/c?secret=qx7kz9+ab4/fmtr2eh==", "Door 1", NOW,
	    &p, &o), CHECKIN_ADMITTED);
	assert_string_equal(o.guest.last_name, "Phi");
	checkin_outcome_clear(&o);
	/* a code key says which: the path's last segment is not read then */
	assert_int_equal(scan(fx, "https://x.example/events/7?code=abc123", "Door 1", NOW, &p,
	    &o), CHECKIN_ALREADY);
	assert_string_equal(o.guest.last_name, "Beta");
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "https://x.example/t?code=GIAO-1&ticket=abc123", "Door 1", NOW,
	    &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "https://x.example/nobody?code=none", "Door 1", NOW, &p, &o),
	    CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	/* an event's number or year that is a short code of the list is no
	 * guest's: only a code key's value and the last segment count */
	assert_int_equal(scan(fx, "https://example.com/checkin?code=OTHER-EVENT-99&e=7", "Door 1",
	    NOW, &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "https://tickets.example/2026/t/EVT9", "Door 1", NOW + 5, &p,
	    &o), CHECKIN_ALREADY);
	assert_string_equal(o.guest.last_name, "Gamma");
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "https://x.example/t/GIAO%2D1", "Door 1", NOW + 10, &p, &o),
	    CHECKIN_ALREADY);
	checkin_outcome_clear(&o);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan WHERE code ="
	    " 'https://x.example/t?code=GIAO-1&ticket=abc123' AND result = 'unknown_code'"), 1);
}

/* A list whose numeric codes lost their leading zeros in a spreadsheet
 * ("0012345678" saved as 12345678): the ticket, which has them, admits;
 * a code that is only zeros, or that has them on the list too, is as
 * written. */
static void
test_code_with_the_zeros_a_spreadsheet_dropped(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	const char *csv = "First Name,Last Name,Barcode #\nAnn,Alpha,12345678\n"
	    "Bob,Beta,0077\nCy,Gamma,77\nDi,Delta,0555\nEd,Eps,555\n";
	import_csv(fx->s, csv);
	assert_int_equal(scan(fx, "0012345678", "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	assert_string_equal(o.guest.last_name, "Alpha");
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "0077", "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	assert_string_equal(o.guest.last_name, "Beta");
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "000", "Door 1", NOW, &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, "0012345679", "Door 1", NOW, &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
	/* two guests of its shorter numbers: nobody's */
	assert_int_equal(scan(fx, "00555", "Door 1", NOW, &p, &o), CHECKIN_UNKNOWN);
	checkin_outcome_clear(&o);
}

/* Refused at a door for its ticket type, the door says which type it is
 * (the JSON's "detail" of `kiosk checkin --json`). */
static void
test_wrong_door_names_the_ticket_type(void **state)
{
	struct fixture *fx = *state;
	static const char *const speakers[] = { "Speaker", "VIP" };
	const struct checkin_policy door = { .admit_types = speakers, .n_admit_types = 2 };
	struct checkin_outcome o;

	assert_int_equal(scan(fx, fx->zoe.code, "Door 2", NOW, &door, &o), CHECKIN_WRONG_DOOR);
	assert_non_null(o.detail);
	assert_string_equal(o.detail, "Student");
	checkin_outcome_clear(&o);
}

/* The pass for a walk-in without a type is for a walk-in: a guest without
 * a type who came in an import run on this door's computer (so written by
 * this kiosk too) is refused at its speakers' entrance like any other. */
static void
test_guest_imported_at_this_door_is_no_walkin(void **state)
{
	struct fixture *fx = *state;
	static const char *const speakers[] = { "Speaker", "VIP" };
	const struct checkin_policy door = { .admit_types = speakers, .n_admit_types = 2 };
	const char *csv = "First Name,Last Name,Barcode #\nNo,Type,NT-1\n";
	struct import_plan *plan = NULL;
	struct import_report rep;
	struct checkin_outcome o;

	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &plan, NULL), 0);
	assert_int_equal(import_apply(fx->s, plan, false, "Door 2", NULL, NULL, &rep, NULL), 0);
	import_free(plan);
	assert_int_equal(scan(fx, "NT-1", "Door 2", NOW, &door, &o), CHECKIN_WRONG_DOOR);
	checkin_outcome_clear(&o);
}

/* Undo is for a mis-scan: a guest who was admitted and has since gone out
 * through the exit has no admission left to undo, and their visit stays. */
static void
test_undo_after_the_guest_went_out(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy in = { .reentry = true };
	const struct checkin_policy out = { .reentry = true, .exit_mode = true };
	struct checkin_outcome o;
	struct guest_state gs;
	char *cause = NULL;

	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &in, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Exit", NOW + 60000, &out, &o), CHECKIN_EXITED);
	checkin_outcome_clear(&o);
	assert_int_equal(checkin_undo(fx->s, fx->zoe.code, "Door 1", NOW + 120000, 0, &o, &cause), 1);
	checkin_outcome_clear(&o);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 0);
	assert_int_equal(guest_state(fx->s, fx->zoe.uuid, 0, &gs, &cause), 0);
	assert_int_equal(gs.ins, 1);
	assert_int_equal(gs.first_in_at, NOW);
}

/* What an audit row keeps of bad input: a DEL is shown as '?' like every
 * other control character, and a character that fits the 64 bytes exactly
 * is kept whole. */
static void
test_audit_excerpt_is_printable_to_the_last_byte(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;

	assert_int_equal(scan(fx, "AB\x7f" "CD", "Door 1", NOW, &p, &o), CHECKIN_INVALID);
	checkin_outcome_clear(&o);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan WHERE code = 'AB?CD'"), 1);
	/* a letter, an escape, 60 letters, then "é": 64 bytes */
	char edge[70];
	memset(edge, 'A', 62);
	edge[1] = 0x1b;
	memcpy(edge + 62, "\xc3\xa9", 3);
	assert_int_equal(scan(fx, edge, "Door 1", NOW, &p, &o), CHECKIN_INVALID);
	checkin_outcome_clear(&o);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM scan WHERE code ="
	    " 'A?' || printf('%.60c', 'A') || char(233)"), 1);
}

static void
test_undo_is_recorded_and_admits_again(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char *cause = NULL;

	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(checkin_undo(fx->s, fx->zoe.code, "Door 1", NOW + 1000, 0, &o, &cause), 0);
	checkin_outcome_clear(&o);
	/* Nothing left to undo now. */
	assert_int_equal(checkin_undo(fx->s, fx->zoe.code, "Door 1", NOW + 2000, 0, &o, &cause), 1);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW + 3000, &p, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	/* Three rows: in, undo, in. Nothing erased. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 1);
	assert_int_equal(checkin_undo(fx->s, "NOT-A-GUEST", "Door 1", NOW, 0, &o, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

/* A door's Undo undoes the admission on its screen, though a sync brought
 * another door's later admission of the same ticket meanwhile: that one
 * stays (the record of a second entry), and the guest is still in. */
static void
test_undo_admission_undoes_that_one(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char *cause = NULL, mine[40];

	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	snprintf(mine, sizeof mine, "%s", o.checkin_uuid);
	checkin_outcome_clear(&o);
	char *sql = xasprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk) VALUES"
	    " ('door-2-in', '%s', 'in', %lld, 'Door 2')", fx->zoe.uuid, (long long)(NOW + 500));
	assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	assert_int_equal(checkin_undo_admission(fx->s, fx->zoe.code, mine, "Door 1", NOW + 1000,
	    &o, &cause), 0);
	assert_string_equal(o.checkin_uuid, mine);
	assert_false(o.arrival); /* Door 2's admission stands */
	checkin_outcome_clear(&o);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"
	    " AND undoes = 'door-2-in'"), 0);
	struct guest_state gs;
	assert_int_equal(guest_state(fx->s, fx->zoe.uuid, 0, &gs, &cause), 0);
	assert_int_equal(gs.ins, 1);
	assert_string_equal(gs.last_in_uuid, "door-2-in");
	/* Undone already; and an admission that is not this guest's. */
	assert_int_equal(checkin_undo_admission(fx->s, fx->zoe.code, mine, "Door 1", NOW + 2000,
	    &o, &cause), 1);
	checkin_outcome_clear(&o);
	struct guest_fields jf = { .first_name = "Jan", .last_name = "Peeters" };
	struct guest jan;
	assert_int_equal(guest_add_walkin(fx->s, &jf, "Desk", &jan, NULL), 0);
	assert_int_equal(scan(fx, jan.code, "Door 1", NOW + 3000, &p, &o), CHECKIN_ADMITTED);
	snprintf(mine, sizeof mine, "%s", o.checkin_uuid);
	checkin_outcome_clear(&o);
	guest_clear(&jan);
	assert_int_equal(checkin_undo_admission(fx->s, fx->zoe.code, mine, "Door 1", NOW + 4000,
	    &o, &cause), 1);
	checkin_outcome_clear(&o);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 1);
}

static void
test_exit_and_reentry(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy in = { .reentry = true };
	const struct checkin_policy out = { .reentry = true, .exit_mode = true };
	struct checkin_outcome o;

	assert_int_equal(scan(fx, fx->zoe.code, "Exit", NOW, &out, &o), CHECKIN_NOT_INSIDE);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW + 1, &in, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Exit", NOW + 2, &out, &o), CHECKIN_EXITED);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW + 3, &in, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW + 4, &in, &o), CHECKIN_ALREADY);
	/* "Already" names the first check-in, not the re-entry. */
	assert_int_equal(o.first_at, NOW + 1);
	checkin_outcome_clear(&o);
}

/* A guest early at a closed entrance is told when it opens (the door
 * shows "Opens at 09:00"), so they come back then rather than argue. */
static void
test_too_early_says_when_it_opens(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy later = { .open_from = NOW + HOUR };
	struct checkin_outcome o;
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &later, &o), CHECKIN_TOO_EARLY);
	assert_true(o.opens_at == NOW + HOUR);
	checkin_outcome_clear(&o);
}

/* A day ticket scanned on another day is refused with the day it is for
 * (the door shows "Valid on 2026-07-01"), and nothing is admitted. */
static void
test_wrong_day_says_which(void **state)
{
	struct fixture *fx = *state;
	struct guest_fields f = { .first_name = "Lea", .last_name = "Peeters",
	    .ticket_type = "Day 2" };
	struct guest lea;
	assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &lea, NULL), 0);
	static const char *const days[] = { "Day 1: 2026-06-30", "Day 2: 2026-07-01" };
	const struct checkin_policy p = { .ticket_days = days, .n_ticket_days = 2 };
	struct checkin_outcome o;
	assert_int_equal(scan(fx, lea.code, "Door 1", NOW, &p, &o), CHECKIN_WRONG_DAY);
	assert_string_equal(o.detail, "2026-07-01");
	assert_true(o.checkin_uuid[0] == '\0');
	checkin_outcome_clear(&o);
	assert_int_equal(scan(fx, lea.code, "Door 1", NOW + 14 * HOUR, &p, &o),
	    CHECKIN_ADMITTED);
	assert_true(o.arrival);
	checkin_outcome_clear(&o);
	guest_clear(&lea);
}

/* A standalone door (or the hub) whose clock is set back mid-event (NTP
 * finds the Wi-Fi and corrects a laptop 2 h fast): the guest came in on
 * the fast clock, went out after the correction, and comes back. The
 * door's own records, in the order it made them, say the guest is out;
 * ordered by their times, the exit comes before the entry and the guest
 * is refused as "already checked in" at a time 1 h from now. QA (clocks). */
static void
test_reentry_after_the_clock_was_set_back(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy in = { .reentry = true };
	const struct checkin_policy out = { .reentry = true, .exit_mode = true };
	struct checkin_outcome o;

	/* 19:00 real, the clock says 21:00 */
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW + 2 * HOUR, &in, &o),
	    CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	/* corrected; 19:30 real */
	assert_int_equal(scan(fx, fx->zoe.code, "Exit", NOW + HOUR / 2, &out, &o), CHECKIN_EXITED);
	checkin_outcome_clear(&o);
	/* 20:00 real: back in */
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW + HOUR, &in, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
}

/* A check-in of the guest at the last time any node takes (MERGE_TIME_MAX:
 * a forged push by a token holder, a door whose clock ran wild) must not
 * make this door record the guest's next exit or entry past it: the hub
 * refuses a push holding a time past MERGE_TIME_MAX (repl.c time_ok), and
 * the door's push, then its pull, fail at every round for good. */
static void
test_stamp_after_the_latest_stays_a_time_others_take(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy out = { .reentry = true, .exit_mode = true };
	struct checkin_outcome o;
	char *sql = sqlite3_mprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk)"
	    " VALUES ('0190aaaa-0000-7000-8000-000000000001', %Q, 'in', %lld, 'Far Door')",
	    fx->zoe.uuid, (long long)MERGE_TIME_MAX);
	assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	assert_int_equal(scan(fx, fx->zoe.code, "Exit", NOW, &out, &o), CHECKIN_EXITED);
	assert_true(o.at <= MERGE_TIME_MAX);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM checkin WHERE at > 7258118400000"),
	    0);
	checkin_outcome_clear(&o);
}

static void
test_readonly_database_reports_error_never_admits(void **state)
{
	struct fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char *cause = NULL;

	/* Make writes fail under the running connection. */
	assert_int_equal(sqlite3_exec(store_db(fx->s), "PRAGMA query_only = 1", NULL, NULL,
	    NULL), SQLITE_OK);
	int rc = checkin_scan(fx->s, fx->zoe.code, strlen(fx->zoe.code), "Door 1", &p, NOW, &o,
	    &cause);
	assert_int_equal(rc, -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(sqlite3_exec(store_db(fx->s), "PRAGMA query_only = 0", NULL, NULL,
	    NULL), SQLITE_OK);
	/* And it recovers: the same scan now admits. */
	assert_int_equal(scan(fx, fx->zoe.code, "Door 1", NOW, &p, &o), CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
}

/* kiosk.conf's [checkin] into the rules, the one way the door and the
 * CLI both take: hours of every day, or dated ones; day tickets. */
static void
test_policy_from_conf(void **state)
{
	(void)state;
	char *cause = NULL;
	struct conf *cf = NULL;
	struct checkin_policy p;
	assert_int_equal(ktime_set_zone("Europe/Brussels", &cause), 0);
	assert_int_equal(conf_load_string("[kiosk]\nmode = exit\n[checkin]\nreentry = yes\n"
	    "open_from = 08:30\nopen_until = 18:00\nticket_days = Day 1: 2026-06-30\n", "k.conf",
	    NULL, &cf, &cause), 0);
	assert_int_equal(checkin_policy_from_conf(cf, true, &p, &cause), 0);
	assert_true(p.exit_mode);
	assert_true(p.each_day);
	assert_int_equal(p.daily_from, 8 * 60 + 30 + 1);
	assert_int_equal(p.daily_until, 18 * 60 + 1);
	assert_true(p.open_from == 0 && p.open_until == 0);
	assert_int_equal(p.n_ticket_days, 1);
	conf_free(cf);
	assert_int_equal(conf_load_string("[checkin]\nopen_from = 2026-06-30 08:30\n", "k.conf",
	    NULL, &cf, &cause), 0);
	assert_int_equal(checkin_policy_from_conf(cf, false, &p, &cause), 0);
	int64_t at = 0;
	assert_int_equal(ktime_from_local(2026, 6, 30, 8, 30, &at), 0);
	assert_true(p.open_from == at);
	assert_true(p.daily_from == 0 && p.daily_until == 0 && p.open_until == 0);
	assert_false(p.exit_mode);
	conf_free(cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decision_table),
		cmocka_unit_test(test_policy_from_conf),
		cmocka_unit_test(test_result_names_are_stable),
		cmocka_unit_test(test_day_tickets),
		cmocka_unit_test(test_daily_hours),
		cmocka_unit_test(test_green_is_admitted_and_exited),
		cmocka_unit_test(test_every_result_has_its_name_and_words),
		cmocka_unit_test_setup_teardown(test_admit_then_already, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_day_from_its_first_millisecond, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_each_day_undo_keeps_earlier_days, setup, teardown),
		cmocka_unit_test(test_day_start),
		cmocka_unit_test_setup_teardown(test_each_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walkin_without_type_at_a_typed_door, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_other_event_invalid_are_audited, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scanner_noise_still_admits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_typed_in_another_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_in_a_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_with_the_zeros_a_spreadsheet_dropped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_undo_admission_undoes_that_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kiosk_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_is_recorded_and_admits_again, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exit_and_reentry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_early_says_when_it_opens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_day_says_which, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reentry_after_the_clock_was_set_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stamp_after_the_latest_stays_a_time_others_take,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_database_reports_error_never_admits,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_door_names_the_ticket_type,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_imported_at_this_door_is_no_walkin,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_after_the_guest_went_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_excerpt_is_printable_to_the_last_byte,
		    setup, teardown),
	};
	return cmocka_run_group_tests_name("checkin", tests, NULL, NULL);
}
