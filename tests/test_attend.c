/* Tests for attend and ktime: the figures organisers read, in local time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/attend.h"
#include "core/checkin.h"
#include "core/guest.h"
#include "core/import.h"
#include "testutil.h"

#define T1900 1782838800000LL /* 2026-06-30 19:00:00 Europe/Brussels (CEST) */
#define MIN   60000LL

static void
test_local_time_formats(void **state)
{
	(void)state;
	char buf[KTIME_BUF];
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	ktime_iso(T1900 + 2 * MIN + 11000, buf);
	assert_string_equal(buf, "2026-06-30T19:02:11+02:00");
	ktime_clock(T1900, buf);
	assert_string_equal(buf, "19:00");
	/* Beside a time on the same local day, the clock; on another (a first
	 * check-in the evening before), the date too. 23:30 and 00:30 local
	 * are 21:30 and 22:30 UTC, one UTC day. */
	ktime_when(T1900, T1900 + 4 * 60 * MIN + 59 * MIN, buf);
	assert_string_equal(buf, "19:00");
	ktime_when(T1900 + 4 * 60 * MIN + 30 * MIN, T1900 + 5 * 60 * MIN + 30 * MIN, buf);
	assert_string_equal(buf, "2026-06-30 23:30");
	ktime_when(T1900 - 48 * 60 * MIN, T1900, buf);
	assert_string_equal(buf, "2026-06-28 19:00");
	/* A time to come (an entrance opening): the clock alone later that
	 * day, the date too the next. */
	ktime_ahead(T1900 + 60 * MIN, T1900, buf);
	assert_string_equal(buf, "20:00");
	ktime_ahead(T1900 + 14 * 60 * MIN, T1900, buf);
	assert_string_equal(buf, "2026-07-01 09:00");
	/* Winter time: +01:00. */
	ktime_iso(1796148000000LL, buf); /* 2026-12-01 19:00 CET */
	assert_string_equal(buf, "2026-12-01T19:00:00+01:00");
	int64_t ms;
	assert_int_equal(ktime_from_local(2026, 6, 30, 19, 0, &ms), 0);
	assert_int_equal(ms, T1900);
	/* Quarter hours are cut in local time, also in India's +05:30. */
	assert_int_equal(ktime_slot15(T1900 + 14 * MIN), T1900);
	assert_int_equal(ktime_slot15(T1900 + 15 * MIN), T1900 + 15 * MIN);
	assert_int_equal(ktime_set_zone("Asia/Kolkata", NULL), 0);
	ktime_clock(ktime_slot15(T1900 + 7 * MIN), buf); /* 22:37 local */
	assert_string_equal(buf, "22:30");
	assert_int_equal(ktime_set_zone("Europe/Antwerpen", NULL), -1);
	assert_int_equal(ktime_set_zone("../../etc/passwd", NULL), -1);
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
}

/* open_from / open_until on the nights the clocks change: one meaning for
 * a time whatever was converted before it (glibc's mktime with
 * tm_isdst = -1 resolved the repeated hour by its previous call), and a
 * time the clock skips opens when the clock jumps past it. */
static void
test_local_times_on_dst_nights(void **state)
{
	(void)state;
	int64_t ms, again;
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	/* 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 shows twice, first
	 * at 00:30 UTC. Asked after a summer time and after a winter time. */
	assert_int_equal(ktime_from_local(2026, 7, 1, 12, 0, &again), 0);
	assert_int_equal(ktime_from_local(2026, 10, 25, 2, 30, &ms), 0);
	assert_int_equal(ms, 1792888200000LL); /* 2026-10-25T00:30:00Z */
	assert_int_equal(ktime_from_local(2026, 12, 1, 12, 0, &again), 0);
	assert_int_equal(ktime_from_local(2026, 10, 25, 2, 30, &again), 0);
	assert_int_equal(again, ms);
	/* At the door at 02:10 +01:00, a first check-in at 02:50 +02:00 says
	 * its offset: not 40 minutes ahead. Once, not again at 03:10. */
	char when[KTIME_BUF];
	ktime_when(ms + 20 * 60000, ms + 40 * 60000, when);
	assert_string_equal(when, "02:50 +02:00");
	ktime_when(ms + 100 * 60000, ms + 110 * 60000, when);
	assert_string_equal(when, "03:10");
	/* 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 never shows, and is
	 * reached at 03:00 CEST, 01:00 UTC */
	assert_int_equal(ktime_from_local(2026, 3, 29, 2, 30, &ms), 0);
	assert_int_equal(ms, 1774746000000LL); /* 2026-03-29T01:00:00Z */
	assert_int_equal(ktime_from_local(2026, 3, 29, 3, 0, &again), 0);
	assert_int_equal(again, ms);
	assert_int_equal(ktime_from_local(2026, 3, 29, 1, 59, &ms), 0);
	assert_int_equal(ms, 1774745940000LL); /* 00:59 UTC, CET */
	/* Lord Howe's half-hour change, and a zone without summer time */
	assert_int_equal(ktime_set_zone("Australia/Lord_Howe", NULL), 0);
	assert_int_equal(ktime_from_local(2026, 4, 5, 1, 45, &ms), 0);
	assert_int_equal(ms, 1775313900000LL); /* first 01:45, +11:00: 14:45Z the 4th */
	assert_int_equal(ktime_set_zone("UTC", NULL), 0);
	assert_int_equal(ktime_from_local(2026, 3, 29, 2, 30, &ms), 0);
	assert_int_equal(ms, 1774751400000LL);
	/* a time in the repeated hour is marked with its offset, both times
	 * it shows; others are left as they are */
	char buf[KTIME_BUF];
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	const int64_t first0230 = 1792888200000LL, second0230 = first0230 + 3600000;
	ktime_clock(first0230, buf);
	ktime_mark_repeated(first0230, buf);
	assert_string_equal(buf, "02:30 +02:00");
	ktime_clock(second0230, buf);
	ktime_mark_repeated(second0230, buf);
	assert_string_equal(buf, "02:30 +01:00");
	ktime_local(second0230 + 3600000, buf); /* 03:30, once */
	ktime_mark_repeated(second0230 + 3600000, buf);
	assert_string_equal(buf, "2026-10-25 03:30");
	ktime_clock(first0230 - 3600000, buf); /* 01:30, once */
	ktime_mark_repeated(first0230 - 3600000, buf);
	assert_string_equal(buf, "01:30");
	ktime_clock(1774746000000LL, buf); /* 03:00 in March, once */
	ktime_mark_repeated(1774746000000LL, buf);
	assert_string_equal(buf, "03:00");
}


/* The export's times west of Greenwich and in a zone of half hours carry
 * their own offset: New York's is -04:00 in May, India's +05:30. */
static void
test_iso_offsets_west_and_in_half_hours(void **state)
{
	(void)state;
	char buf[KTIME_BUF];
	const int64_t t = 1779346800000LL; /* 2026-05-21 07:00 UTC */
	assert_int_equal(ktime_set_zone("America/New_York", NULL), 0);
	ktime_iso(t, buf);
	assert_string_equal(buf, "2026-05-21T03:00:00-04:00");
	assert_int_equal(ktime_set_zone("Asia/Kolkata", NULL), 0);
	ktime_iso(t, buf);
	assert_string_equal(buf, "2026-05-21T12:30:00+05:30");
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	/* A first check-in on the same date a year before is not today's. */
	ktime_when(T1900 - 365 * 24 * 60 * MIN, T1900, buf);
	assert_string_equal(buf, "2025-06-30 19:00");
}

/* Lord Howe Island turns its clock back half an hour (02:00 +11:00 is
 * 01:30 +10:30): only 01:30 to 01:59 show twice and are marked; 01:10,
 * shown once, is left as it is. */
static void
test_repeated_half_hour_is_marked_alone(void **state)
{
	(void)state;
	char buf[KTIME_BUF];
	const int64_t first0145 = 1775313900000LL; /* 14:45Z the 4th, +11:00 */
	assert_int_equal(ktime_set_zone("Australia/Lord_Howe", NULL), 0);
	ktime_clock(first0145, buf);
	ktime_mark_repeated(first0145, buf);
	assert_string_equal(buf, "01:45 +11:00");
	ktime_clock(first0145 + 30 * MIN, buf);
	ktime_mark_repeated(first0145 + 30 * MIN, buf);
	assert_string_equal(buf, "01:45 +10:30");
	ktime_clock(first0145 - 35 * MIN, buf);
	ktime_mark_repeated(first0145 - 35 * MIN, buf);
	assert_string_equal(buf, "01:10");
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
}


static void
scan(struct store *s, const char *code, int64_t at, enum checkin_result want)
{
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char *cause = NULL;
	if (checkin_scan(s, code, strlen(code), "Door 1", &p, at, &o, &cause) != 0)
		fail_msg("scan: %s", cause);
	assert_int_equal(o.result, want);
	checkin_outcome_clear(&o);
}

static int
count_attended(const struct attend_row *r, void *arg)
{
	int *n = arg;
	if (r->first_at != 0) {
		(*n)++;
		assert_string_equal(r->first_kiosk, "Door 1");
	}
	return 0;
}

/* Scans per guest, by last name: "Five=1 Four=0 ..." in attend order. */
static int
note_scans(const struct attend_row *r, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s=%d ", r->guest->last_name, r->scans);
	return 0;
}

static void
test_stats_and_slots(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #,Attendee Status\n"
	    "A,One,1,\nB,Two,2,\nC,Three,3,\nD,Four,4,\nE,Five,5,Cancelled\n"), 0);
	struct guest_fields w = { .first_name = "Walk", .last_name = "In" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);

	scan(fx->s, "1", T1900 + 1 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "2", T1900 + 14 * MIN, CHECKIN_ADMITTED);
	/* The scanner's double read of 2's badge (the door stayed green) is no
	 * repeat; 1 back twenty minutes later is one. */
	scan(fx->s, "2", T1900 + 14 * MIN + 400, CHECKIN_ALREADY);
	scan(fx->s, "1", T1900 + 20 * MIN, CHECKIN_ALREADY);
	scan(fx->s, g.code, T1900 + 50 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "5", T1900 + 51 * MIN, CHECKIN_CANCELLED);
	/* An undone check-in does not count. */
	scan(fx->s, "3", T1900 + 52 * MIN, CHECKIN_ADMITTED);
	struct checkin_outcome o;
	assert_int_equal(checkin_undo(fx->s, "3", "Door 1", T1900 + 53 * MIN, 0, &o, NULL), 0);
	checkin_outcome_clear(&o);
	guest_clear(&g);

	struct attend_stats st;
	char *cause = NULL;
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.registered, 5);   /* 4 valid imports + 1 walk-in */
	assert_int_equal(st.cancelled, 1);
	assert_int_equal(st.walkins, 1);
	assert_int_equal(st.checked_in, 3);
	assert_int_equal(st.no_shows, 2);
	assert_int_equal(st.repeat_scans, 1);
	/* 19:00 (2), 19:15 (0), 19:30 (0), 19:45 (1): no gaps. */
	assert_int_equal(st.nslots, 4);
	assert_int_equal(st.slots[0].start, T1900);
	assert_int_equal(st.slots[0].arrivals, 2);
	assert_int_equal(st.slots[1].arrivals, 0);
	assert_int_equal(st.slots[3].arrivals, 1);
	attend_stats_free(&st);

	int attended = 0;
	assert_int_equal(attend_each(fx->s, count_attended, &attended, &cause), 6);
	assert_int_equal(attended, 3);

	/* Every scan of a guest's code counts, refused ones too, and a double
	 * read (the audit holds both reads); a code nobody has counts for
	 * nobody. */
	scan(fx->s, "1", T1900 + 60 * MIN, CHECKIN_ALREADY);
	scan(fx->s, "nobody", T1900 + 61 * MIN, CHECKIN_UNKNOWN);
	char seen[256] = "";
	assert_int_equal(attend_each(fx->s, note_scans, seen, &cause), 6);
	assert_string_equal(seen, "Five=1 Four=0 In=1 One=3 Three=1 Two=2 ");
}

/* One walk-in registered at two doors that could not talk (the guest tried
 * the next entrance, or came back without the new badge) is two guests:
 * each door knew nothing of the other's, so neither warned. Never merged
 * (two people may share a name), but counted apart, so that the
 * attendance is not taken for true with them doubled: the walk-ins that
 * share their name, folded as search folds it, or their e-mail, any case,
 * with another walk-in. A cancelled walk-in who never came counts for
 * nothing. */
static void
test_walkins_alike_are_counted(void **state)
{
	struct tu_fixture *fx = *state;
	struct guest g;
	const struct guest_fields w[] = {
		{ .first_name = "Jan", .last_name = "Peeters", .email = "jan@example.org" },
		{ .first_name = "Jan", .last_name = "Peeters" },             /* name */
		{ .first_name = "Zoë", .last_name = "Çelik" },
		{ .first_name = "zoe", .last_name = "CELIK" },               /* folded name */
		{ .first_name = "J.", .last_name = "P.", .email = "JAN@example.org" }, /* e-mail */
		{ .first_name = "Ann", .last_name = "Other", .email = "ann@example.org" },
		{ .first_name = "Ann", .last_name = "Else" },
	};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		assert_int_equal(guest_add_walkin(fx->s, &w[i], i % 2 ? "Door 2" : "Door 1", &g,
		    NULL), 0);
		guest_clear(&g);
	}
	/* a walk-in of Ann's e-mail cancelled before she came: none */
	const struct guest_fields gone = { .first_name = "X", .last_name = "Y",
		.email = "ann@example.org" };
	assert_int_equal(guest_add_walkin(fx->s, &gone, "Door 1", &g, NULL), 0);
	struct guest after;
	assert_int_equal(guest_set_cancelled(fx->s, g.code, true, "Door 1", &after, NULL), 0);
	guest_clear(&after);
	guest_clear(&g);
	struct attend_stats st;
	char *cause = NULL;
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.walkins, 7);
	assert_int_equal(st.walkins_alike, 5); /* the three Jans, the two Zoës */
	attend_stats_free(&st);
}

/* A test scan two weeks before a 20-guest event is counted apart, not a
 * plot of 14 days; a second day of the event, after a weekend, is not. */
static void
test_slots_leave_out_a_test_scan_days_before(void **state)
{
	struct tu_fixture *fx = *state;
	struct buf csv;
	buf_init(&csv, 0);
	buf_addf(&csv, "First Name,Last Name,Barcode #\n");
	for (int i = 1; i <= 41; i++)
		buf_addf(&csv, "G,%d,%d\n", i, i);
	assert_int_equal(tu_import_csv(fx->s, buf_cstr(&csv)), 0);
	buf_free(&csv);
	const int64_t day = 24 * 60 * MIN;
	char code[16];

	scan(fx->s, "1", T1900 - 14 * day, CHECKIN_ADMITTED);
	for (int i = 2; i <= 21; i++) {
		snprintf(code, sizeof code, "%d", i);
		scan(fx->s, code, T1900 + i * MIN, CHECKIN_ADMITTED);
	}
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.checked_in, 21);
	assert_int_equal(st.outside, 1);
	assert_int_equal(st.slots[0].start, T1900);
	assert_int_equal(st.nslots, 2);
	attend_stats_free(&st);

	/* Monday: 20 more, three days on. Both days are the event. */
	for (int i = 22; i <= 41; i++) {
		snprintf(code, sizeof code, "%d", i);
		scan(fx->s, code, T1900 + 3 * day + i * MIN, CHECKIN_ADMITTED);
	}
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.outside, 1);
	assert_int_equal(st.slots[0].start, T1900);
	assert_int_equal(st.nslots, 3 * 96 + 3);
	attend_stats_free(&st);
}

/* One test scan 41 days before the doors open, then the event: every
 * arrival is counted, the quarter hours are the event's, and the scan
 * weeks off is counted apart instead of being lost. */
static void
test_slots_leave_out_a_scan_weeks_before(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\n"
	    "A,One,1\nB,Two,2\nC,Three,3\n"
	    "D,Four,4\n"), 0);
	const int64_t day = 24 * 60 * MIN;

	scan(fx->s, "1", T1900 - 41 * day, CHECKIN_ADMITTED);
	scan(fx->s, "2", T1900 + 1 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "3", T1900 + 31 * MIN, CHECKIN_ADMITTED);
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.checked_in, 3);
	assert_int_equal(st.outside, 1);
	assert_int_equal(st.nslots, 3);
	assert_int_equal(st.slots[0].start, T1900);
	assert_int_equal(st.slots[0].arrivals + st.slots[1].arrivals + st.slots[2].arrivals, 2);
	attend_stats_free(&st);

	/* Within the month, all of them are in the slots. */
	struct checkin_outcome o;
	assert_int_equal(checkin_undo(fx->s, "1", "Door 1", T1900, 0, &o, NULL), 0);
	checkin_outcome_clear(&o);
	scan(fx->s, "1", T1900 - 2 * day, CHECKIN_ADMITTED);
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.outside, 0);
	assert_int_equal(st.nslots, 2 * 96 + 3);
	assert_int_equal(st.slots[0].arrivals, 1);
	attend_stats_free(&st);

	/* As many test scans as arrivals: the event's are the ones listed. */
	assert_int_equal(checkin_undo(fx->s, "1", "Door 1", T1900, 0, &o, NULL), 0);
	checkin_outcome_clear(&o);
	assert_int_equal(checkin_undo(fx->s, "2", "Door 1", T1900, 0, &o, NULL), 0);
	checkin_outcome_clear(&o);
	scan(fx->s, "1", T1900 - 40 * day, CHECKIN_ADMITTED);
	scan(fx->s, "2", T1900 - 40 * day + MIN, CHECKIN_ADMITTED);
	scan(fx->s, "4", T1900 + 5 * MIN, CHECKIN_ADMITTED);
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.outside, 2);
	assert_int_equal(st.slots[0].start, T1900);
	attend_stats_free(&st);
}

/* Two doors admitted a ticket while apart: a duplicate entry, also when the
 * ticket was cancelled since (the guest came, so has a row on the export
 * with its duplicate_entries, and the figures count them). */
static void
test_duplicates_also_of_tickets_cancelled_since(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nA,One,1\nB,Two,2\n"), 0);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "INSERT INTO checkin (uuid, guest_uuid, kind,"
	    " at, kiosk) SELECT 'a' || code, uuid, 'in', 1000, 'Door 1' FROM guest;"
	    "INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk) SELECT 'b' || code, uuid, 'in',"
	    " 2000, 'Door 2' FROM guest; UPDATE guest SET cancelled = 1 WHERE code = '2'",
	    NULL, NULL, NULL), SQLITE_OK);
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.duplicate_entries, 2);
	assert_int_equal(st.cancelled_after_checkin, 1);
	/* The door's and the live page's counts agree with them: two guests
	 * in (not four), two arrivals in the last hour (not four). */
	struct attend_counts c;
	assert_int_equal(attend_counts(fx->s, 3000, &c, NULL), 0);
	assert_int_equal(c.checked_in, st.checked_in);
	assert_int_equal(c.checked_in, 2);
	assert_int_equal(c.last_hour, 2);
	assert_int_equal(c.registered, st.registered);
	attend_stats_free(&st);
}

static int
sum_dupes(const struct attend_row *r, void *arg)
{
	*(int *)arg += r->duplicate_entries;
	return 0;
}

static int
count_dupe(const struct attend_dupe *d, void *arg)
{
	(void)d;
	(*(int *)arg)++;
	return 0;
}

static int
keep_dupe(const struct attend_dupe *d, void *arg)
{
	*(struct attend_dupe *)arg = *d;
	((struct attend_dupe *)arg)->name = NULL; /* borrowed strings: times only */
	((struct attend_dupe *)arg)->code = NULL;
	((struct attend_dupe *)arg)->first_kiosk = NULL;
	((struct attend_dupe *)arg)->later_kiosk = NULL;
	return 0;
}

/* At an event of days (store_set_each_day), a guest in on day one, then
 * twice on day two at two doors: one duplicate, of day two's first entry,
 * and day two's first entry an arrival of its hour; at a one-day event the
 * same rows are two duplicates, of the first entry ever, and no arrival. */
static void
test_duplicates_of_an_event_of_days(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nA,One,1\n"), 0);
	/* nobody yet: an empty list of days, still an event of days */
	struct attend_stats none;
	store_set_each_day(fx->s, true);
	assert_int_equal(attend_stats(fx->s, &none, NULL), 0);
	assert_non_null(none.days);
	assert_int_equal(none.ndays, 0);
	attend_stats_free(&none);
	const int64_t day2 = T1900 + 14 * 60 * MIN; /* 2026-07-01 09:00 */
	char *sql = xasprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk) SELECT"
	    " 'd1', uuid, 'in', %lld, 'Door A' FROM guest; INSERT INTO checkin (uuid, guest_uuid,"
	    " kind, at, kiosk) SELECT 'd2', uuid, 'in', %lld, 'Door A' FROM guest; INSERT INTO"
	    " checkin (uuid, guest_uuid, kind, at, kiosk) SELECT 'd2b', uuid, 'in', %lld, 'Door B'"
	    " FROM guest", (long long)T1900, (long long)day2, (long long)(day2 + 5 * MIN));
	assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	struct attend_dupe d = { 0 };
	store_set_each_day(fx->s, true);
	assert_int_equal(attend_duplicates(fx->s, 10, keep_dupe, &d, NULL), 1);
	assert_int_equal(d.first_at, day2);
	assert_int_equal(d.later_at, day2 + 5 * MIN);
	/* day two's first entry is an arrival of the hour past, on the door
	 * and in the live page's quarters; one guest came all the same */
	struct attend_counts c;
	int quarters[4];
	assert_int_equal(attend_counts(fx->s, day2 + 10 * MIN, &c, NULL), 0);
	assert_int_equal(c.checked_in, 1);
	assert_int_equal(c.last_hour, 1);
	assert_int_equal(c.today, 1);
	assert_int_equal(attend_counts(fx->s, day2 + 24 * 60 * MIN, &c, NULL), 0);
	assert_int_equal(c.today, 0); /* the day after: nobody yet */
	/* in at 23:59 and again at 00:01: one guest of the last hour */
	const int64_t midnight = T1900 + 29 * 60 * MIN; /* 2026-07-02 00:00 */
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nB,Two,2\n"), 0);
	sql = xasprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk) SELECT 'n1',"
	    " uuid, 'in', %lld, 'Door A' FROM guest WHERE code = '2'; INSERT INTO checkin (uuid,"
	    " guest_uuid, kind, at, kiosk) SELECT 'n2', uuid, 'in', %lld, 'Door A' FROM guest"
	    " WHERE code = '2'", (long long)(midnight - MIN), (long long)(midnight + MIN));
	assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	assert_int_equal(attend_counts(fx->s, midnight + 2 * MIN, &c, NULL), 0);
	assert_int_equal(c.last_hour, 1);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "DELETE FROM checkin WHERE uuid IN"
	    " ('n1', 'n2'); DELETE FROM guest WHERE code = '2'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(attend_arrivals_from(fx->s, day2 - 30 * MIN, quarters, 4, NULL), 0);
	assert_int_equal(quarters[2], 1);
	/* kiosk stats: one guest checked in, who came on each of two days */
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.checked_in, 1);
	assert_int_equal(st.ndays, 2);
	assert_int_equal(st.days[0].day, 20260630);
	assert_int_equal(st.days[0].came, 1);
	assert_int_equal(st.days[1].day, 20260701);
	assert_int_equal(st.days[1].came, 1);
	/* and its quarters hold each day's first admission, as the live
	 * page's: two, on two days */
	int arrivals = 0;
	for (size_t i = 0; i < st.nslots; i++)
		arrivals += st.slots[i].arrivals;
	assert_int_equal(arrivals, 2);
	attend_stats_free(&st);
	store_set_each_day(fx->s, false);
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_null(st.days);
	attend_stats_free(&st);
	assert_int_equal(attend_duplicates(fx->s, 10, keep_dupe, &d, NULL), 2);
	assert_int_equal(d.first_at, T1900); /* the last visited: the older one */
	assert_int_equal(d.later_at, day2);
	assert_int_equal(attend_counts(fx->s, day2 + 10 * MIN, &c, NULL), 0);
	assert_int_equal(c.checked_in, 1);
	assert_int_equal(c.last_hour, 0);
	assert_int_equal(attend_arrivals_from(fx->s, day2 - 30 * MIN, quarters, 4, NULL), 0);
	assert_int_equal(quarters[2], 0);
}

/* With re-entry, a duplicate entry stays one after the guest goes out: the
 * figure, the export's column and the live page's list agree. Counting
 * entries less exits made in, in, out no duplicate at all. */
static void
test_duplicates_survive_an_exit(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\n"
	    "A,One,1\nB,Two,2\nC,Three,3\n"
	    "D,Four,4\nE,Five,5\n"), 0);
	/* 1: in, in, out (1). 2: in, out, in (0). 3: in, in, in, out (2).
	 * 4: in, out, in, in (1). 5: in, in undone (0). */
	static const char *const ev[][2] = {
		{ "1", "in" }, { "1", "in" }, { "1", "out" },
		{ "2", "in" }, { "2", "out" }, { "2", "in" },
		{ "3", "in" }, { "3", "in" }, { "3", "in" }, { "3", "out" },
		{ "4", "in" }, { "4", "out" }, { "4", "in" }, { "4", "in" },
		{ "5", "in" }, { "5", "in" },
	};
	for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
		char *sql = sqlite3_mprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk)"
		    " SELECT 'e%d', uuid, %Q, %d, 'Door %d' FROM guest WHERE code = %Q", (int)i,
		    ev[i][1], 1000 * (int)(i + 1), (int)(i % 2) + 1, ev[i][0]);
		assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_free(sql);
	}
	assert_int_equal(sqlite3_exec(store_db(fx->s), "INSERT INTO checkin (uuid, guest_uuid,"
	    " kind, undoes, at, kiosk) SELECT 'u15', guest_uuid, 'undo', 'e15', 20000, 'Door 1'"
	    " FROM checkin WHERE uuid = 'e15'", NULL, NULL, NULL), SQLITE_OK);

	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.duplicate_entries, 4);
	assert_int_equal(st.checked_in, 5);
	attend_stats_free(&st);
	int rows = 0, listed = 0;
	assert_int_equal(attend_each(fx->s, sum_dupes, &rows, NULL), 5);
	assert_int_equal(rows, 4);
	assert_int_equal(attend_duplicates(fx->s, 100, count_dupe, &listed, NULL), 4);
	assert_int_equal(listed, 4);
}

/* While attend_counts runs, another process registers a walk-in: on the
 * trace of its walk-in count (the last statement), as a door's sync could. */
struct writer {
	struct store *other;
	bool done;
};

static int
walkin_meanwhile(unsigned type, void *ctx, void *p, void *x)
{
	struct writer *w = ctx;
	(void)type;
	(void)x;
	const char *sql = sqlite3_sql(p);
	if (w->done || sql == NULL || strstr(sql, "source = 'walkin'") == NULL)
		return 0;
	w->done = true;
	struct guest_fields f = { .first_name = "Late", .last_name = "Walkin" };
	struct guest g;
	assert_int_equal(guest_add_walkin(w->other, &f, "Door 2", &g, NULL), 0);
	guest_clear(&g);
	return 0;
}

/* The door's counts come from one snapshot: never more walk-ins than
 * registered guests, however the other doors' writes fall between them. */
static void
test_counts_one_snapshot(void **state)
{
	struct tu_fixture *fx = *state;
	struct guest_fields f = { .first_name = "First", .last_name = "Walkin" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &f, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	struct writer w = { tu_store(fx->dir, "event.db"), false };
	assert_non_null(w.other);
	sqlite3_trace_v2(store_db(fx->s), SQLITE_TRACE_STMT, walkin_meanwhile, &w);
	struct attend_counts c;
	assert_int_equal(attend_counts(fx->s, T1900, &c, NULL), 0);
	sqlite3_trace_v2(store_db(fx->s), 0, NULL, NULL);
	assert_true(w.done);
	assert_int_equal(c.registered, 1);
	assert_int_equal(c.walkins, 1);
	/* and the next time, both see the late walk-in */
	assert_int_equal(attend_counts(fx->s, T1900, &c, NULL), 0);
	assert_int_equal(c.registered, 2);
	assert_int_equal(c.walkins, 2);
	store_close(w.other);
}

/* The sixth week of a long event: attend_stats' slots keep to the busier
 * month before, so the live page's "last three hours" reads its own
 * window, and agrees with attend_counts' "in the last hour". */
static void
test_arrivals_window_of_a_long_event(void **state)
{
	struct tu_fixture *fx = *state;
	const int64_t day = 24 * 60 * MIN;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\n"
	    "A,One,1\nB,Two,2\nC,Three,3\n"
	    "D,Four,4\nE,Five,5\n"), 0);
	scan(fx->s, "1", T1900 - 40 * day, CHECKIN_ADMITTED);
	scan(fx->s, "2", T1900 - 39 * day, CHECKIN_ADMITTED);
	scan(fx->s, "3", T1900 - 38 * day, CHECKIN_ADMITTED);
	scan(fx->s, "4", T1900 - 100 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "5", T1900 + 5 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "5", T1900 + 6 * MIN, CHECKIN_ALREADY);

	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.outside, 2); /* the slots are the month before */
	attend_stats_free(&st);

	int v[12];
	const int64_t now = T1900 + 10 * MIN, from = T1900 - 11 * 15 * MIN;
	assert_int_equal(attend_arrivals_from(fx->s, from, v, 12, NULL), 0);
	assert_int_equal(v[11], 1);                       /* 19:00 */
	assert_int_equal(v[(T1900 - 100 * MIN - from) / (15 * MIN)], 1); /* 17:20 */
	int total = 0, hour = 0;
	for (int i = 0; i < 12; i++)
		total += v[i];
	assert_int_equal(total, 2);
	for (int i = 8; i < 12; i++)
		hour += v[i];
	struct attend_counts c;
	assert_int_equal(attend_counts(fx->s, now, &c, NULL), 0);
	assert_int_equal(c.last_hour, hour);
	assert_int_equal(c.last_hour, 1);
}

static void
test_empty_event_stats(void **state)
{
	struct tu_fixture *fx = *state;
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.registered, 0);
	assert_int_equal(st.nslots, 0);
	assert_null(st.slots);
	attend_stats_free(&st);
}

/* Collects the names on a list, "First Last;" each, in list order. */
struct listed {
	enum attend_list list;
	char names[256];
};

static int
collect_listed(const struct attend_row *r, void *arg)
{
	struct listed *l = arg;
	if (attend_listed(r, l->list)) {
		size_t n = strlen(l->names);
		snprintf(l->names + n, sizeof l->names - n, "%s %s;", r->guest->first_name,
		    r->guest->last_name);
	}
	return 0;
}

struct types_seen {
	char line[256];
	int registered, checked_in, n;
};

static int
collect_type(const struct attend_type *t, void *arg)
{
	struct types_seen *ts = arg;
	size_t n = strlen(ts->line);
	snprintf(ts->line + n, sizeof ts->line - n, "[%s] %d/%d;", t->type, t->checked_in,
	    t->registered);
	ts->registered += t->registered;
	ts->checked_in += t->checked_in;
	ts->n++;
	return 0;
}

static int
stop_at_first(const struct attend_type *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
	return 1;
}

/* A: Regular, in. B: Regular, never came. C: VIP, in then undone. D: no
 * type, in. E: VIP, cancelled (on no list, in no count). Walk In: a walk-in with
 * no type who was registered but never scanned (a walk-in and a no-show). */
static void
make_typed_event(struct store *s)
{
	assert_int_equal(tu_import_csv(s, "First Name,Last Name,Barcode #,Ticket Type,Attendee Status\n"
	    "A,One,1,Regular,\nB,Two,2,Regular,\nC,Three,3,VIP,\nD,Four,4,,\n"
	    "E,Five,5,VIP,Cancelled\n"), 0);
	struct guest_fields w = { .first_name = "Walk", .last_name = "In" };
	struct guest g;
	assert_int_equal(guest_add_walkin(s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	scan(s, "1", T1900 + 1 * MIN, CHECKIN_ADMITTED);
	scan(s, "3", T1900 + 2 * MIN, CHECKIN_ADMITTED);
	scan(s, "4", T1900 + 3 * MIN, CHECKIN_ADMITTED);
	struct checkin_outcome o;
	assert_int_equal(checkin_undo(s, "3", "Door 1", T1900 + 4 * MIN, 0, &o, NULL), 0);
	checkin_outcome_clear(&o);
}

static void
test_by_type(void **state)
{
	struct tu_fixture *fx = *state;
	make_typed_event(fx->s);

	struct types_seen ts = { "", 0, 0, 0 };
	char *cause = NULL;
	assert_int_equal(attend_by_type(fx->s, collect_type, &ts, &cause), 3);
	/* "" first (bytewise order); the cancelled VIP is not counted; the
	 * undone check-in is not an attendance. */
	assert_string_equal(ts.line, "[] 1/2;[Regular] 1/2;[VIP] 0/1;");
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(ts.registered, st.registered);
	assert_int_equal(ts.checked_in, st.checked_in);
	attend_stats_free(&st);

	int visited = 0;
	assert_int_equal(attend_by_type(fx->s, stop_at_first, &visited, &cause), 1);
	assert_int_equal(visited, 1);

	/* "vip" is the door's VIP (admit_types reads it so): one row, named as
	 * its first spelling sorts. */
	struct guest_fields w = { .first_name = "Vic", .last_name = "Lower", .ticket_type = "vip" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	struct types_seen again = { "", 0, 0, 0 };
	assert_int_equal(attend_by_type(fx->s, collect_type, &again, &cause), 3);
	assert_string_equal(again.line, "[] 1/2;[Regular] 1/2;[VIP] 0/2;");
}

static void
test_by_type_empty(void **state)
{
	struct tu_fixture *fx = *state;
	struct types_seen ts = { "", 0, 0, 0 };
	assert_int_equal(attend_by_type(fx->s, collect_type, &ts, NULL), 0);
	assert_int_equal(ts.n, 0);
}

static void
test_lists(void **state)
{
	struct tu_fixture *fx = *state;
	make_typed_event(fx->s);
	char *cause = NULL;

	struct listed all = { ATTEND_LIST_ALL, "" };
	assert_int_equal(attend_each(fx->s, collect_listed, &all, &cause), 6);
	assert_string_equal(all.names, "D Four;Walk In;A One;C Three;B Two;");

	struct listed ns = { ATTEND_LIST_NO_SHOWS, "" };
	assert_int_equal(attend_each(fx->s, collect_listed, &ns, &cause), 6);
	assert_string_equal(ns.names, "Walk In;C Three;B Two;");

	struct listed wi = { ATTEND_LIST_WALK_INS, "" };
	assert_int_equal(attend_each(fx->s, collect_listed, &wi, &cause), 6);
	assert_string_equal(wi.names, "Walk In;");

	/* The no-show list is as long as the figure says. */
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.no_shows, 3);
	assert_int_equal(st.walkins, 1);
	attend_stats_free(&st);
}

/* An export reads rows and figures in one read transaction: attend_stats
 * joins it rather than failing on a nested BEGIN, and leaves it open. */
static void
test_stats_in_callers_transaction(void **state)
{
	struct tu_fixture *fx = *state;
	make_typed_event(fx->s);
	char *cause = NULL;
	struct attend_stats st;

	assert_int_equal(store_begin_read(fx->s, &cause), 0);
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.checked_in, 2);
	attend_stats_free(&st);
	assert_int_equal(sqlite3_get_autocommit(store_db(fx->s)), 0);
	store_rollback(fx->s);
	/* And alone it opens and closes its own. */
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	attend_stats_free(&st);
	assert_int_not_equal(sqlite3_get_autocommit(store_db(fx->s)), 0);
}

static void
test_counted_rule(void **state)
{
	(void)state;
	assert_true(attend_counted(false, false));   /* a no-show */
	assert_true(attend_counted(false, true));    /* came */
	assert_true(attend_counted(true, true));     /* came, cancelled since */
	assert_false(attend_counted(true, false));   /* cancelled, never came */
}

/* Sums what attend_each's rows say, as an export would. */
struct rows_seen {
	int listed, attended, cancelled, walkins;
	char names[256];
};

static int
sum_rows(const struct attend_row *r, void *arg)
{
	struct rows_seen *rs = arg;
	if (!attend_listed(r, ATTEND_LIST_ALL))
		return 0;
	rs->listed++;
	rs->attended += r->first_at != 0;
	rs->cancelled += r->guest->cancelled;
	rs->walkins += strcmp(r->guest->source, "walkin") == 0;
	size_t n = strlen(rs->names);
	snprintf(rs->names + n, sizeof rs->names - n, "%s%s;", r->guest->last_name,
	    r->guest->cancelled ? "(c)" : "");
	return 0;
}

static int
sum_arrivals(const struct attend_stats *st)
{
	int n = st->outside;
	for (size_t i = 0; i < st->nslots; i++)
		n += st->slots[i].arrivals;
	return n;
}

/* Every figure against every other: the rows, attend_stats, attend_by_type
 * and the door's attend_counts. */
static void
assert_figures_agree(struct store *s, int64_t now)
{
	struct rows_seen rs = { 0 };
	struct types_seen ts = { "", 0, 0, 0 };
	struct attend_stats st;
	struct attend_counts c;

	assert_int_equal(attend_stats(s, &st, NULL), 0);
	assert_true(attend_each(s, sum_rows, &rs, NULL) >= 0);
	assert_true(attend_by_type(s, collect_type, &ts, NULL) >= 0);
	assert_int_equal(attend_counts(s, now, &c, NULL), 0);
	assert_int_equal(rs.listed, st.registered);
	assert_int_equal(rs.attended, st.checked_in);
	assert_int_equal(rs.cancelled, st.cancelled_after_checkin);
	assert_int_equal(rs.walkins, st.walkins);
	assert_int_equal(st.registered - st.checked_in, st.no_shows);
	assert_int_equal(sum_arrivals(&st), st.checked_in);
	assert_int_equal(ts.registered, st.registered);
	assert_int_equal(ts.checked_in, st.checked_in);
	assert_int_equal(c.registered, st.registered);
	assert_int_equal(c.checked_in, st.checked_in);
	assert_int_equal(c.walkins, st.walkins);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT count(*) FROM guest", -1, &q,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int total = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	/* registered and cancelled split the guest list. */
	assert_int_equal(st.registered + st.cancelled, total);
	attend_stats_free(&st);
}

/* A guest admitted, then cancelled (a refund after the event): they were
 * there, so they keep their row, their arrival and their place in every
 * figure; a guest cancelled who never came stays out of all of them. */
static void
test_cancelled_after_checkin(void **state)
{
	struct tu_fixture *fx = *state;
	char *cause = NULL;
	struct guest g;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #,Ticket Type\n"
	    "A,Came,1,Regular\nB,Never,2,Regular\nC,Also,3,VIP\nD,Noshow,4,VIP\n"), 0);
	struct guest_fields w = { .first_name = "Walk", .last_name = "Walkin" };
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);
	scan(fx->s, "1", T1900 + 1 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "3", T1900 + 2 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, g.code, T1900 + 3 * MIN, CHECKIN_ADMITTED);
	struct guest tmp;
	assert_int_equal(guest_set_cancelled(fx->s, "1", true, "t", &tmp, &cause), 0);
	guest_clear(&tmp);
	assert_int_equal(guest_set_cancelled(fx->s, "2", true, "t", &tmp, &cause), 0);
	guest_clear(&tmp);
	assert_int_equal(guest_set_cancelled(fx->s, g.code, true, "t", &tmp, &cause), 0);
	guest_clear(&tmp);

	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.registered, 4);   /* Came, Also, Noshow, Walkin */
	assert_int_equal(st.checked_in, 3);
	assert_int_equal(st.no_shows, 1);
	assert_int_equal(st.walkins, 1);
	assert_int_equal(st.cancelled, 1);    /* Never */
	assert_int_equal(st.cancelled_after_checkin, 2);
	assert_int_equal(st.nslots, 1);
	assert_int_equal(st.slots[0].arrivals, 3);
	attend_stats_free(&st);
	assert_figures_agree(fx->s, T1900 + 10 * MIN);

	struct rows_seen rs = { 0 };
	assert_int_equal(attend_each(fx->s, sum_rows, &rs, &cause), 5);
	assert_string_equal(rs.names, "Also;Came(c);Noshow;Walkin(c);");
	struct listed ns = { ATTEND_LIST_NO_SHOWS, "" };
	assert_int_equal(attend_each(fx->s, collect_listed, &ns, &cause), 5);
	assert_string_equal(ns.names, "D Noshow;");
	struct listed wi = { ATTEND_LIST_WALK_INS, "" };
	assert_int_equal(attend_each(fx->s, collect_listed, &wi, &cause), 5);
	assert_string_equal(wi.names, "Walk Walkin;");
	struct types_seen ts = { "", 0, 0, 0 };
	assert_int_equal(attend_by_type(fx->s, collect_type, &ts, &cause), 3);
	assert_string_equal(ts.line, "[] 1/1;[Regular] 1/1;[VIP] 1/2;");
	struct attend_counts c;
	assert_int_equal(attend_counts(fx->s, T1900 + 10 * MIN, &c, &cause), 0);
	assert_int_equal(c.last_hour, 3);

	/* Reinstated: a valid ticket that came, no longer cancelled since. */
	assert_int_equal(guest_set_cancelled(fx->s, "1", false, "t", &tmp, &cause), 0);
	guest_clear(&tmp);
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.registered, 4);
	assert_int_equal(st.checked_in, 3);
	assert_int_equal(st.cancelled_after_checkin, 1);
	attend_stats_free(&st);
	assert_figures_agree(fx->s, T1900 + 10 * MIN);

	/* The walk-in's admission undone: cancelled and never came after all,
	 * so out of every figure but cancelled. */
	struct checkin_outcome o;
	assert_int_equal(checkin_undo(fx->s, g.code, "Door 1", T1900 + 11 * MIN, 0, &o, &cause), 0);
	checkin_outcome_clear(&o);
	assert_int_equal(attend_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.registered, 3);
	assert_int_equal(st.checked_in, 2);
	assert_int_equal(st.walkins, 0);
	assert_int_equal(st.cancelled, 2);
	assert_int_equal(st.cancelled_after_checkin, 0);
	attend_stats_free(&st);
	assert_figures_agree(fx->s, T1900 + 12 * MIN);
	guest_clear(&g);
}

/* Inserts an admission ('in', or 'out', 'undo' with undoes) of the guest
 * with code, as a sync or another door would have written it. */
static void
put_event(struct store *s, const char *uuid, const char *code, const char *kind,
    const char *undoes, int64_t at, const char *kiosk)
{
	char *sql = sqlite3_mprintf("INSERT INTO checkin (uuid, guest_uuid, kind, undoes, at, kiosk)"
	    " SELECT %Q, uuid, %Q, %Q, %lld, %Q FROM guest WHERE code = %Q", uuid, kind, undoes,
	    (long long)at, kiosk, code);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
}

/* "One=<first_at> <kiosk>;" per guest, in attend order. */
static int
note_first(const struct attend_row *r, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s=%lld %s;", r->guest->last_name, (long long)r->first_at,
	    r->first_kiosk);
	return 0;
}

/* A guest's check-in is their earliest admission, wherever a later one
 * was written first; of two in one millisecond at two doors, the one
 * every node picks (uuid order), so every door's export names the same
 * door. The arrival is counted at the earliest too. */
static void
test_first_checkin_is_the_earliest(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nA,One,1\nB,Two,2\n"), 0);
	put_event(fx->s, "z-late", "1", "in", NULL, T1900 + 60 * MIN, "Door 2");
	put_event(fx->s, "y-early", "1", "in", NULL, T1900, "Door 1");
	put_event(fx->s, "b-same", "2", "in", NULL, T1900 + 5 * MIN, "Door 1");
	put_event(fx->s, "a-same", "2", "in", NULL, T1900 + 5 * MIN, "Door 2");
	char seen[256] = "", *want = xasprintf("One=%lld Door 1;Two=%lld Door 2;",
	    (long long)T1900, (long long)(T1900 + 5 * MIN));
	assert_int_equal(attend_each(fx->s, note_first, seen, NULL), 2);
	assert_string_equal(seen, want);
	free(want);
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.nslots, 1);
	assert_int_equal(st.slots[0].start, T1900);
	assert_int_equal(st.slots[0].arrivals, 2);
	attend_stats_free(&st);
}

/* "later_at@later_kiosk after first_at@first_kiosk;" per duplicate. */
static int
note_dupe(const struct attend_dupe *d, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s: %lld@%s after %lld@%s;", d->name, (long long)d->later_at,
	    d->later_kiosk, (long long)d->first_at, d->first_kiosk);
	return 0;
}

/* The live page's duplicate entries: the newest first (and the newest
 * kept when there are more than it shows), each as the later admission
 * after the one that counts. */
static void
test_latest_duplicates_name_both_entries(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nA,One,1\nB,Two,2\n"), 0);
	put_event(fx->s, "e1", "1", "in", NULL, 1000, "Door 1");
	put_event(fx->s, "e2", "1", "in", NULL, 2000, "Door 2");
	put_event(fx->s, "e3", "2", "in", NULL, 3000, "Door 1");
	put_event(fx->s, "e4", "2", "in", NULL, 5000, "Door 3");
	char seen[256] = "";
	assert_int_equal(attend_duplicates(fx->s, 1, note_dupe, seen, NULL), 1);
	assert_string_equal(seen, "B Two: 5000@Door 3 after 3000@Door 1;");
	seen[0] = '\0';
	assert_int_equal(attend_duplicates(fx->s, 10, note_dupe, seen, NULL), 2);
	assert_string_equal(seen, "B Two: 5000@Door 3 after 3000@Door 1;"
	    "A One: 2000@Door 2 after 1000@Door 1;");
}

/* An admission undone is not there: not an exit either. In, in (undone),
 * in is one duplicate entry, the third. */
static void
test_an_undone_entry_is_not_an_exit(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nA,One,1\n"), 0);
	put_event(fx->s, "e1", "1", "in", NULL, 1000, "Door 1");
	put_event(fx->s, "e2", "1", "in", NULL, 2000, "Door 2");
	put_event(fx->s, "u2", "1", "undo", "e2", 2500, "Door 2");
	put_event(fx->s, "e3", "1", "in", NULL, 3000, "Door 3");
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.duplicate_entries, 1);
	attend_stats_free(&st);
	char seen[256] = "";
	assert_int_equal(attend_duplicates(fx->s, 10, note_dupe, seen, NULL), 1);
	assert_string_equal(seen, "A One: 3000@Door 3 after 1000@Door 1;");
}

/* A scanner's double read is at the door that admitted: the same badge at
 * another door within the second is a copy of it, and a repeat scan. */
static void
test_a_copy_at_another_door_is_a_repeat(void **state)
{
	struct tu_fixture *fx = *state;
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nA,One,1\n"), 0);
	scan(fx->s, "1", T1900, CHECKIN_ADMITTED);
	assert_int_equal(checkin_scan(fx->s, "1", 1, "Door 2", &p, T1900 + 400, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_ALREADY);
	checkin_outcome_clear(&o);
	scan(fx->s, "1", T1900 + 600, CHECKIN_ALREADY); /* Door 1's double read */
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.repeat_scans, 1);
	attend_stats_free(&st);
}

/* The quarter hours never cover more than a month (ATTEND_SLOTS_MAX): two
 * arrivals a month apart are not both in them; a quarter less, they are. */
static void
test_slots_never_more_than_a_month(void **state)
{
	struct tu_fixture *fx = *state;
	const int64_t q = 15 * MIN;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nA,One,1\nB,Two,2\n"
	    "C,Three,3\n"), 0);
	scan(fx->s, "1", T1900, CHECKIN_ADMITTED);
	scan(fx->s, "2", T1900 + ATTEND_SLOTS_MAX * q, CHECKIN_ADMITTED);
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_true(st.nslots <= ATTEND_SLOTS_MAX);
	assert_int_equal(st.outside, 1);
	attend_stats_free(&st);
	struct checkin_outcome o;
	assert_int_equal(checkin_undo(fx->s, "2", "Door 1", T1900, 0, &o, NULL), 0);
	checkin_outcome_clear(&o);
	scan(fx->s, "3", T1900 + (ATTEND_SLOTS_MAX - 1) * q, CHECKIN_ADMITTED);
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.nslots, ATTEND_SLOTS_MAX);
	assert_int_equal(st.outside, 0);
	attend_stats_free(&st);
}

/* Guests "1" to "n" on a fresh list. */
static void
import_numbered(struct store *s, int n)
{
	struct buf csv;
	buf_init(&csv, 0);
	buf_addf(&csv, "First Name,Last Name,Barcode #\n");
	for (int i = 1; i <= n; i++)
		buf_addf(&csv, "G,%d,%d\n", i, i);
	assert_int_equal(tu_import_csv(s, buf_cstr(&csv)), 0);
	buf_free(&csv);
}

/* Counted apart are a few arrivals a day or more off the others, after
 * them too (a door whose clock ran days ahead), and two of them before
 * though the event is small; an arrival the evening before, less than a
 * day off, is the event's. */
static void
test_slots_leave_out_a_few_arrivals_a_day_off(void **state)
{
	struct tu_fixture *fx = *state;
	const int64_t day = 24 * 60 * MIN;
	char code[16];
	import_numbered(fx->s, 23);
	for (int i = 1; i <= 20; i++) {
		snprintf(code, sizeof code, "%d", i);
		scan(fx->s, code, T1900 + i * MIN, CHECKIN_ADMITTED);
	}
	scan(fx->s, "21", T1900 + 3 * day, CHECKIN_ADMITTED);
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.outside, 1);
	assert_int_equal(st.slots[0].start, T1900);
	assert_int_equal(st.nslots, 2);
	attend_stats_free(&st);
	scan(fx->s, "22", T1900 - 2 * day, CHECKIN_ADMITTED);
	scan(fx->s, "23", T1900 - 2 * day + MIN, CHECKIN_ADMITTED);
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.outside, 3);
	assert_int_equal(st.slots[0].start, T1900);
	assert_int_equal(st.nslots, 2);
	attend_stats_free(&st);

	struct store *s2 = tu_store(fx->dir, "evening.db");
	assert_non_null(s2);
	import_numbered(s2, 21);
	scan(s2, "21", T1900 - 20 * 60 * MIN, CHECKIN_ADMITTED);
	for (int i = 1; i <= 20; i++) {
		snprintf(code, sizeof code, "%d", i);
		scan(s2, code, T1900 + i * MIN, CHECKIN_ADMITTED);
	}
	assert_int_equal(attend_stats(s2, &st, NULL), 0);
	assert_int_equal(st.outside, 0);
	assert_int_equal(st.slots[0].start, T1900 - 20 * 60 * MIN);
	attend_stats_free(&st);
	store_close(s2);
}

/* At an event of days, a small second day more than a day after the first
 * day's last arrival (a morning workshop, then a closing evening) is the
 * event's: its arrivals are in the quarter hours, which add up to who came
 * each day, and none is counted apart as a test scan. */
static void
test_slots_keep_a_small_day_of_an_event_of_days(void **state)
{
	struct tu_fixture *fx = *state;
	const int64_t day = 24 * 60 * MIN;
	char code[16];
	import_numbered(fx->s, 22);
	store_set_each_day(fx->s, true);
	for (int i = 1; i <= 20; i++) { /* 09:01 to 09:20 */
		snprintf(code, sizeof code, "%d", i);
		scan(fx->s, code, T1900 - 10 * 60 * MIN + i * MIN, CHECKIN_ADMITTED);
	}
	scan(fx->s, "21", T1900 + day, CHECKIN_ADMITTED); /* the next day, 19:00 */
	scan(fx->s, "22", T1900 + day + MIN, CHECKIN_ADMITTED);
	struct attend_stats st;
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.ndays, 2);
	assert_int_equal(st.days[1].came, 2);
	assert_int_equal(st.outside, 0);
	int sum = 0;
	for (size_t i = 0; i < st.nslots; i++)
		sum += st.slots[i].arrivals;
	assert_int_equal(sum, 22);
	attend_stats_free(&st);
	/* a test scan a week before is still no day of the event's plot */
	import_numbered(fx->s, 23);
	scan(fx->s, "23", T1900 - 7 * day, CHECKIN_ADMITTED);
	assert_int_equal(attend_stats(fx->s, &st, NULL), 0);
	assert_int_equal(st.outside, 1);
	assert_true(st.nslots < 4 * 24 * 3);
	attend_stats_free(&st);
	store_set_each_day(fx->s, false);
}

/* The door's "in the last hour" is the hour before now. */
static void
test_last_hour_is_the_hour_before_now(void **state)
{
	struct tu_fixture *fx = *state;
	const int64_t now = T1900 + 120 * MIN;
	import_numbered(fx->s, 3);
	scan(fx->s, "1", now - 70 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "2", now - 50 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "3", now - 10 * MIN, CHECKIN_ADMITTED);
	struct attend_counts c;
	assert_int_equal(attend_counts(fx->s, now, &c, NULL), 0);
	assert_int_equal(c.checked_in, 3);
	assert_int_equal(c.last_hour, 2);
}

/* The live page's window holds an arrival at its very start and none at
 * its end (the next quarter's), and writes nothing past its n quarters. */
static void
test_arrivals_window_holds_its_start_not_its_end(void **state)
{
	struct tu_fixture *fx = *state;
	const int64_t q = 15 * MIN;
	import_numbered(fx->s, 3);
	scan(fx->s, "1", T1900, CHECKIN_ADMITTED);
	scan(fx->s, "2", T1900 + 4 * q - 1, CHECKIN_ADMITTED);
	scan(fx->s, "3", T1900 + 4 * q, CHECKIN_ADMITTED);
	int v[5] = { -7, -7, -7, -7, -7 };
	assert_int_equal(attend_arrivals_from(fx->s, T1900, v, 4, NULL), 0);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 0);
	assert_int_equal(v[3], 1);
	assert_int_equal(v[4], -7);
}

static int
stop_at_once(const struct attend_row *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 1;
}

/* A caller that stops (an export whose disk is full) is called no more. */
static void
test_each_stops_when_asked(void **state)
{
	struct tu_fixture *fx = *state;
	int calls = 0;
	import_numbered(fx->s, 3);
	assert_int_equal(attend_each(fx->s, stop_at_once, &calls, NULL), 1);
	assert_int_equal(calls, 1);
}

/* A first check-in stamped ahead of now (a door whose clock was 2 h fast
 * before its first sync, a hub whose clock NTP set back): "First checked in
 * at 21:00" at 19:00 reads as a time yet to come, which the comment of
 * ktime_when means to avoid for a time of another day. QA (clocks). */
static void
test_when_of_a_time_ahead_is_not_a_plain_clock(void **state)
{
	(void)state;
	char buf[KTIME_BUF];
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	ktime_when(T1900 + 2 * 60 * MIN, T1900, buf);
	assert_string_not_equal(buf, "21:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_time_formats),
		cmocka_unit_test(test_when_of_a_time_ahead_is_not_a_plain_clock),
		cmocka_unit_test(test_local_times_on_dst_nights),
		cmocka_unit_test(test_iso_offsets_west_and_in_half_hours),
		cmocka_unit_test(test_repeated_half_hour_is_marked_alone),
		cmocka_unit_test_setup_teardown(test_stats_and_slots, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_walkins_alike_are_counted, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_slots_leave_out_a_test_scan_days_before,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_slots_leave_out_a_scan_weeks_before, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_also_of_tickets_cancelled_since,
		    tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_of_an_event_of_days, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_survive_an_exit, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_counts_one_snapshot, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_arrivals_window_of_a_long_event, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_empty_event_stats, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_by_type, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_by_type_empty, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_lists, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_stats_in_callers_transaction, tu_setup,
		    tu_teardown),
		cmocka_unit_test(test_counted_rule),
		cmocka_unit_test_setup_teardown(test_cancelled_after_checkin, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_first_checkin_is_the_earliest, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_latest_duplicates_name_both_entries, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_an_undone_entry_is_not_an_exit, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_a_copy_at_another_door_is_a_repeat, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_slots_never_more_than_a_month, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_slots_leave_out_a_few_arrivals_a_day_off,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_slots_keep_a_small_day_of_an_event_of_days,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_last_hour_is_the_hour_before_now, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_arrivals_window_holds_its_start_not_its_end,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_each_stops_when_asked, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests_name("attend", tests, NULL, NULL);
}
