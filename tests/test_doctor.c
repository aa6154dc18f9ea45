/* doctor: what counts as a problem before the doors open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/doctor.h"

static void
test_free_space(void **state)
{
	(void)state;
	assert_int_equal(doctor_free_space(0), DOCTOR_FAIL);
	assert_int_equal(doctor_free_space(DOCTOR_FREE_FAIL - 1), DOCTOR_FAIL);
	assert_int_equal(doctor_free_space(DOCTOR_FREE_FAIL), DOCTOR_WARN);
	assert_int_equal(doctor_free_space(DOCTOR_FREE_WARN - 1), DOCTOR_WARN);
	assert_int_equal(doctor_free_space(DOCTOR_FREE_WARN), DOCTOR_OK);
	assert_int_equal(doctor_free_space(50ULL << 30), DOCTOR_OK);
}

static void
test_file_mode(void **state)
{
	(void)state;
	assert_int_equal(doctor_file_mode(0100600), DOCTOR_OK);
	assert_int_equal(doctor_file_mode(0100640), DOCTOR_WARN);   /* the group reads guests */
	assert_int_equal(doctor_file_mode(0100644), DOCTOR_WARN);   /* everyone reads them */
	assert_int_equal(doctor_file_mode(0100666), DOCTOR_FAIL);   /* anyone may change them */
	assert_int_equal(doctor_file_mode(0100602), DOCTOR_FAIL);
	/* kiosk.conf: readable is a matter only when it holds a secret */
	assert_int_equal(doctor_conf_mode(0100644, false), DOCTOR_OK);
	assert_int_equal(doctor_conf_mode(0100644, true), DOCTOR_WARN);
	assert_int_equal(doctor_conf_mode(0100600, true), DOCTOR_OK);
	assert_int_equal(doctor_conf_mode(0100666, false), DOCTOR_FAIL);
	/* a file made 0600 on a disk that keeps modes comes out 0600 (or less,
	 * with a umask); on a FAT or exFAT stick, as its mount says */
	assert_true(doctor_mode_kept(0600));
	assert_true(doctor_mode_kept(0400));
	assert_false(doctor_mode_kept(0644));      /* vfat, udisks' default mount */
	assert_false(doctor_mode_kept(0755));      /* vfat, exfat without showexec */
	assert_false(doctor_mode_kept(0777));      /* exfat-fuse, umask=000 */
	assert_true(doctor_mode_kept(0700));       /* umask=077 */
}

static void
test_clock_and_waiting(void **state)
{
	(void)state;
	assert_int_equal(doctor_clock(0), DOCTOR_OK);
	assert_int_equal(doctor_clock(-DOCTOR_CLOCK_WARN), DOCTOR_OK);
	assert_int_equal(doctor_clock(DOCTOR_CLOCK_WARN + 1), DOCTOR_WARN);
	assert_int_equal(doctor_clock(-3600000), DOCTOR_WARN);
	assert_int_equal(doctor_waiting(0, 0, 5000), DOCTOR_OK);
	assert_int_equal(doctor_waiting(DOCTOR_WAITING_WARN, 1000, 5000), DOCTOR_OK);
	assert_int_equal(doctor_waiting(DOCTOR_WAITING_WARN + 1, 1000, 5000), DOCTOR_WARN);
	/* A few check-ins, but the oldest waiting two minutes: the hub has
	 * not been reached in 24 rounds of 5 s. */
	assert_int_equal(doctor_waiting(3, 119 * 1000, 5000), DOCTOR_OK);
	assert_int_equal(doctor_waiting(3, 120 * 1000, 5000), DOCTOR_WARN);
	/* With rounds every 10 min, ten of them. */
	assert_int_equal(doctor_waiting(3, 20 * 60 * 1000, 600000), DOCTOR_OK);
	assert_int_equal(doctor_waiting(3, 100 * 60 * 1000, 600000), DOCTOR_WARN);
	/* Nothing waits, however long ago the last one was. */
	assert_int_equal(doctor_waiting(0, 3600 * 1000, 5000), DOCTOR_OK);
	assert_string_equal(doctor_level_word(DOCTOR_FAIL), "FAIL");
}

/* A check-in window kiosk.conf kept from last year refuses everyone: the
 * doctor says so before the doors open, not the first guest. */
static void
test_gates(void **state)
{
	(void)state;
	const int64_t now = 1782838800000LL, hour = 3600000LL;
	assert_int_equal(doctor_gates(now, 0, 0), DOCTOR_OK);
	assert_int_equal(doctor_gates(now, now - hour, now + hour), DOCTOR_OK);
	assert_int_equal(doctor_gates(now, now + 2 * hour, now + 10 * hour), DOCTOR_OK);
	assert_int_equal(doctor_gates(now, now + DOCTOR_OPENS_WARN, 0), DOCTOR_OK);
	assert_int_equal(doctor_gates(now, now + DOCTOR_OPENS_WARN + 1, 0), DOCTOR_WARN);
	assert_int_equal(doctor_gates(now, 0, now), DOCTOR_FAIL);
	assert_int_equal(doctor_gates(now, now - 365 * 24 * hour, now - 364 * 24 * hour),
	    DOCTOR_FAIL);
}

/* "+34560000.0 s off the hub's" said nothing a person reads at a glance. */
static void
test_span_reads_as_a_person_would(void **state)
{
	(void)state;
	static const struct { int64_t ms; const char *want; } cases[] = {
		{ 0, "0.0 s" }, { -30, "0.0 s" }, { 49, "0.0 s" }, { -50, "-0.1 s" },
		{ 12345, "+12.3 s" }, { -59999, "-60.0 s" },
		{ 60000, "+1 min" }, { -3 * 60000, "-3 min" }, { 10800000, "+3 h 0 min" },
		{ -(2 * 3600000 + 5 * 60000), "-2 h 5 min" }, { 34560000000LL, "+400 days" },
		{ INT64_MIN, "-106751991167 days" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[DOCTOR_SPAN_BUF];
		doctor_span(cases[i].ms, out);
		assert_string_equal(out, cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_space),
		cmocka_unit_test(test_file_mode),
		cmocka_unit_test(test_clock_and_waiting),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_span_reads_as_a_person_would),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
