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

static void
test_stats_and_slots(void **state)
{
	struct tu_fixture *fx = *state;
	const char *csv = "First Name,Last Name,Barcode #,Attendee Status\n"
	    "A,One,1,\nB,Two,2,\nC,Three,3,\nD,Four,4,\nE,Five,5,Cancelled\n";
	struct import_plan *p = NULL;
	struct import_report rep;
	assert_int_equal(import_read_mem(csv, strlen(csv), "s.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, NULL), 0);
	import_free(p);
	struct guest_fields w = { .first_name = "Walk", .last_name = "In" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);

	scan(fx->s, "1", T1900 + 1 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "2", T1900 + 14 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "1", T1900 + 20 * MIN, CHECKIN_ALREADY);
	scan(fx->s, g.code, T1900 + 50 * MIN, CHECKIN_ADMITTED);
	scan(fx->s, "5", T1900 + 51 * MIN, CHECKIN_CANCELLED);
	/* An undone check-in does not count. */
	scan(fx->s, "3", T1900 + 52 * MIN, CHECKIN_ADMITTED);
	struct checkin_outcome o;
	assert_int_equal(checkin_undo(fx->s, "3", "Door 1", T1900 + 53 * MIN, &o, NULL), 0);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_time_formats),
		cmocka_unit_test_setup_teardown(test_stats_and_slots, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_empty_event_stats, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests_name("attend", tests, NULL, NULL);
}
