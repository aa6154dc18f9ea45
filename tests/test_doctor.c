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
}

static void
test_clock_and_waiting(void **state)
{
	(void)state;
	assert_int_equal(doctor_clock(0), DOCTOR_OK);
	assert_int_equal(doctor_clock(-DOCTOR_CLOCK_WARN), DOCTOR_OK);
	assert_int_equal(doctor_clock(DOCTOR_CLOCK_WARN + 1), DOCTOR_WARN);
	assert_int_equal(doctor_clock(-3600000), DOCTOR_WARN);
	assert_int_equal(doctor_waiting(0), DOCTOR_OK);
	assert_int_equal(doctor_waiting(DOCTOR_WAITING_WARN), DOCTOR_OK);
	assert_int_equal(doctor_waiting(DOCTOR_WAITING_WARN + 1), DOCTOR_WARN);
	assert_string_equal(doctor_level_word(DOCTOR_FAIL), "FAIL");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_space),
		cmocka_unit_test(test_file_mode),
		cmocka_unit_test(test_clock_and_waiting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
