/* Tests for throttle: login tries per client address. What an organiser
 * notices: a guesser elsewhere on the network does not lock them out; a
 * guesser gets one try a second; the table's size is no way around it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/throttle.h"

#define PENALTY THROTTLE_PENALTY_MS

/* One whole try: begin, and end it with failed when it was let through. */
static enum throttle_verdict
try_once(struct throttle *t, const char *addr, bool failed, int64_t now)
{
	enum throttle_verdict v = throttle_begin(t, addr, now);
	if (v == THROTTLE_GO)
		throttle_end(t, addr, failed, now);
	return v;
}

static void
test_wrong_password_waits_a_second_per_address(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(8);
	assert_int_equal(try_once(t, "192.168.1.66", true, 10000), THROTTLE_GO);
	assert_int_equal(try_once(t, "192.168.1.66", true, 10000 + PENALTY - 1), THROTTLE_WAIT);
	/* The organiser's phone is another address: straight in. */
	assert_int_equal(try_once(t, "192.168.1.20", false, 10001), THROTTLE_GO);
	/* After the penalty the guesser may try again, and fails again. */
	assert_int_equal(try_once(t, "192.168.1.66", true, 10000 + PENALTY), THROTTLE_GO);
	assert_int_equal(try_once(t, "192.168.1.66", true, 10000 + PENALTY + 10), THROTTLE_WAIT);
	throttle_free(t);
}

static void
test_one_try_at_a_time_per_address(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(8);
	assert_int_equal(throttle_begin(t, "10.0.0.5", 5000), THROTTLE_GO);
	/* Five more at once from the same address: all turned away. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(throttle_begin(t, "10.0.0.5", 5000), THROTTLE_BUSY);
	/* Another address is not held up by it. */
	assert_int_equal(throttle_begin(t, "10.0.0.6", 5000), THROTTLE_GO);
	throttle_end(t, "10.0.0.6", false, 5050);
	throttle_end(t, "10.0.0.5", false, 5100);
	/* A right password leaves no penalty. */
	assert_int_equal(try_once(t, "10.0.0.5", false, 5101), THROTTLE_GO);
	throttle_free(t);
}

static void
test_success_clears_the_penalty(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(4);
	assert_int_equal(try_once(t, "::1", true, 1000), THROTTLE_GO);
	assert_int_equal(try_once(t, "::1", false, 1000 + PENALTY), THROTTLE_GO);
	assert_int_equal(try_once(t, "::1", false, 1000 + PENALTY + 1), THROTTLE_GO);
	throttle_free(t);
}

/* Unknown addresses share one bucket: still one try a second. */
static void
test_unknown_address_is_one_bucket(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(4);
	assert_int_equal(try_once(t, NULL, true, 1000), THROTTLE_GO);
	assert_int_equal(try_once(t, "", true, 1001), THROTTLE_WAIT);
	throttle_free(t);
}

/* A full table forgets the address idle longest, never one mid-try; when
 * every address is mid-try, a new one is turned away. */
static void
test_full_table(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(2);
	assert_int_equal(throttle_begin(t, "a", 100), THROTTLE_GO);
	assert_int_equal(throttle_begin(t, "b", 101), THROTTLE_GO);
	assert_int_equal(throttle_begin(t, "c", 102), THROTTLE_BUSY);
	throttle_end(t, "a", true, 103);
	/* "c" takes a's place ("b" is mid-try) */
	assert_int_equal(throttle_begin(t, "c", 104), THROTTLE_GO);
	/* "b" is still mid-try: not evicted, still busy */
	assert_int_equal(throttle_begin(t, "b", 105), THROTTLE_BUSY);
	throttle_end(t, "b", true, 106);
	throttle_end(t, "c", true, 107);
	assert_int_equal(throttle_begin(t, "b", 108), THROTTLE_WAIT);
	throttle_free(t);
}

/* A full table forgets an address that never guessed wrong before a
 * guesser, even one idle longer: a forgotten guesser would come back clean
 * (and be let wait for a turn of the password check). */
static void
test_full_table_keeps_guessers(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(2);
	assert_int_equal(try_once(t, "guesser", true, 100), THROTTLE_GO);
	assert_int_equal(try_once(t, "organiser", false, 200), THROTTLE_GO);
	assert_int_equal(try_once(t, "newcomer", false, 300), THROTTLE_GO); /* evicts one */
	assert_false(throttle_clean(t, "guesser", 400));
	assert_int_equal(throttle_begin(t, "guesser", 100 + PENALTY - 1), THROTTLE_WAIT);
	/* Only guessers left: the one idle longest goes. */
	struct throttle *g = throttle_new(2);
	assert_int_equal(try_once(g, "g1", true, 100), THROTTLE_GO);
	assert_int_equal(try_once(g, "g2", true, 200), THROTTLE_GO);
	assert_int_equal(try_once(g, "g3", true, 300), THROTTLE_GO);
	assert_true(throttle_clean(g, "g1", 400));
	assert_false(throttle_clean(g, "g2", 400));
	throttle_free(g);
	throttle_free(t);
}

/* Wherever in the table the addresses sit: a guesser idle longer than a
 * clean address is still the one kept when a newcomer needs a place. */
static void
test_full_table_keeps_a_guesser_idle_longer(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(2);
	assert_int_equal(try_once(t, "organiser", false, 100), THROTTLE_GO); /* first slot */
	assert_int_equal(try_once(t, "guesser", true, 150), THROTTLE_GO);
	assert_int_equal(try_once(t, "organiser", false, 300), THROTTLE_GO);
	assert_int_equal(try_once(t, "newcomer", false, 400), THROTTLE_GO); /* evicts one */
	assert_false(throttle_clean(t, "guesser", 500));
	assert_true(throttle_clean(t, "organiser", 500));
	throttle_free(t);
}

/* The bucket of unknown addresses keeps its wait when new addresses take
 * the table's free places meanwhile. */
static void
test_unknown_address_keeps_its_wait(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(4);
	assert_int_equal(try_once(t, NULL, true, 1000), THROTTLE_GO);
	assert_int_equal(try_once(t, "10.0.0.1", false, 1001), THROTTLE_GO);
	assert_int_equal(try_once(t, "10.0.0.2", false, 1002), THROTTLE_GO);
	assert_int_equal(try_once(t, NULL, true, 1003), THROTTLE_WAIT);
	assert_int_equal(try_once(t, "", true, 1004), THROTTLE_WAIT);
	assert_false(throttle_clean(t, NULL, 1005));
	throttle_free(t);
}

/* Addresses longer than the table keeps are cut, consistently. */
static void
test_long_address(void **state)
{
	(void)state;
	char longaddr[200];
	for (size_t i = 0; i < sizeof longaddr - 1; i++)
		longaddr[i] = (char)('a' + i % 26);
	longaddr[sizeof longaddr - 1] = '\0';
	struct throttle *t = throttle_new(2);
	assert_int_equal(try_once(t, longaddr, true, 1000), THROTTLE_GO);
	assert_int_equal(try_once(t, longaddr, true, 1001), THROTTLE_WAIT);
	throttle_free(t);
}

/* Who may wait for the password check: an address with no wrong password
 * in the last quarter of an hour, or never seen. */
static void
test_clean_addresses(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(4);
	assert_true(throttle_clean(t, "10.0.0.9", 1000));
	assert_int_equal(throttle_begin(t, "10.0.0.9", 1000), THROTTLE_GO);
	throttle_end(t, "10.0.0.9", true, 1000);
	assert_false(throttle_clean(t, "10.0.0.9", 1000 + 14 * 60 * 1000));
	assert_false(throttle_clean(t, "10.0.0.9", 1000 + THROTTLE_CLEAN_MS - 1));
	assert_true(throttle_clean(t, "10.0.0.9", 1000 + THROTTLE_CLEAN_MS));
	assert_true(throttle_clean(t, "10.0.0.2", 2000));
	assert_int_equal(throttle_begin(t, "10.0.0.2", 2000), THROTTLE_GO);
	throttle_end(t, "10.0.0.2", false, 2000);
	assert_true(throttle_clean(t, "10.0.0.2", 2001));
	/* a try turned away while the check was busy leaves a guesser's wrong
	 * password standing: it does not come back clean */
	assert_int_equal(throttle_begin(t, "10.0.0.9", 3000), THROTTLE_GO);
	throttle_end(t, "10.0.0.9", true, 3000);
	assert_int_equal(throttle_begin(t, "10.0.0.9", 4100), THROTTLE_GO);
	throttle_abandon(t, "10.0.0.9", 4100);
	assert_false(throttle_clean(t, "10.0.0.9", 4200));
	/* and waits its second, as after a wrong one; a clean address turned
	 * away stays clean */
	assert_int_equal(throttle_begin(t, "10.0.0.9", 4200), THROTTLE_WAIT);
	assert_int_equal(throttle_begin(t, "10.0.0.3", 5000), THROTTLE_GO);
	throttle_abandon(t, "10.0.0.3", 5000);
	assert_int_equal(throttle_begin(t, "10.0.0.3", 5500), THROTTLE_WAIT);
	assert_true(throttle_clean(t, "10.0.0.3", 5500));
	/* the right password after wrong ones: clean at once */
	assert_int_equal(throttle_begin(t, "10.0.0.9", 9000), THROTTLE_GO);
	throttle_end(t, "10.0.0.9", false, 9000);
	assert_true(throttle_clean(t, "10.0.0.9", 9001));
	throttle_free(t);
}

/* A guesser on one address, trying again the moment it may, for an hour
 * (a day-long event's attendee with a word list): at a try a second that
 * was 3,600 passwords; the first few come a second apart (an organiser's
 * typos), then each wait is longer. The wait it is told is the one it
 * gets. */
static void
test_guesser_waits_longer_each_time(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(8);
	int64_t now = 1000, hour = 60 * 60 * 1000;
	int checked = 0;
	while (now < 1000 + hour) {
		if (throttle_begin(t, "192.168.1.66", now) == THROTTLE_GO) {
			throttle_end(t, "192.168.1.66", true, now);
			checked++;
			int64_t left = throttle_wait_left(t, "192.168.1.66", now);
			assert_true(left >= PENALTY);
			assert_int_equal(throttle_begin(t, "192.168.1.66", now + left - 1),
			    THROTTLE_WAIT);
			now += left;
		} else {
			now += 100;
		}
	}
	assert_true(checked >= THROTTLE_LOGIN_FREE);
	assert_true(checked <= THROTTLE_LOGIN_FREE + 10);
	/* the organiser's phone, meanwhile: straight in */
	assert_int_equal(try_once(t, "192.168.1.20", false, now), THROTTLE_GO);
	assert_int_equal(throttle_wait_left(t, "192.168.1.20", now), 0);
	throttle_free(t);
}

/* The organiser who mistyped: a second between tries for the first few,
 * the right password clears them; and wrong ones an hour old are
 * forgotten. */
static void
test_typos_are_forgiven(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(8);
	int64_t now = 1000;
	for (int i = 0; i < THROTTLE_LOGIN_FREE; i++, now += PENALTY) {
		assert_int_equal(try_once(t, "10.0.0.7", true, now), THROTTLE_GO);
		assert_int_equal(throttle_wait_left(t, "10.0.0.7", now), PENALTY);
	}
	assert_int_equal(try_once(t, "10.0.0.7", true, now), THROTTLE_GO);
	assert_int_equal(throttle_wait_left(t, "10.0.0.7", now), 30000);
	assert_int_equal(try_once(t, "10.0.0.7", false, now + 30000), THROTTLE_GO);
	assert_int_equal(try_once(t, "10.0.0.7", true, now + 30001), THROTTLE_GO);
	assert_int_equal(throttle_wait_left(t, "10.0.0.7", now + 30001), PENALTY);
	/* another address: six wrong, then quiet for an hour */
	now = 5000;
	for (int i = 0; i <= THROTTLE_LOGIN_FREE; i++, now += 30000)
		assert_int_equal(try_once(t, "10.0.0.8", true, now), THROTTLE_GO);
	now += THROTTLE_FORGET_MS;
	assert_int_equal(try_once(t, "10.0.0.8", true, now), THROTTLE_GO);
	assert_int_equal(throttle_wait_left(t, "10.0.0.8", now), PENALTY);
	throttle_free(t);
}

/* The door's PIN pad: three tries free, then closed a while, longer each
 * time, never more than a quarter of an hour. */
static void
test_pin_pad_closes(void **state)
{
	(void)state;
	assert_int_equal(throttle_pin_wait_ms(0), 0);
	assert_int_equal(throttle_pin_wait_ms(THROTTLE_PIN_FREE - 1), 0);
	assert_int_equal(throttle_pin_wait_ms(THROTTLE_PIN_FREE), 30000);
	assert_int_equal(throttle_pin_wait_ms(THROTTLE_PIN_FREE + 1), 60000);
	assert_int_equal(throttle_pin_wait_ms(THROTTLE_PIN_FREE + 4), 480000);
	assert_int_equal(throttle_pin_wait_ms(THROTTLE_PIN_FREE + 5), 900000);
	assert_int_equal(throttle_pin_wait_ms(1000000), 900000);
}

/* Behind one NAT address: a guesser's wrong passwords close the address,
 * and the organiser's phone, which logged in before, still gets in at
 * once; a new browser there waits with the guesser. */
static void
test_known_device_is_not_held_by_its_address(void **state)
{
	(void)state;
	struct throttle *t = throttle_new(8);
	char guesser[THROTTLE_ADDR_MAX + 1], phone[THROTTLE_ADDR_MAX + 1],
	    fresh[THROTTLE_ADDR_MAX + 1];
	const char *g = throttle_who("10.0.0.1", NULL, guesser, sizeof guesser);
	const char *p = throttle_who("10.0.0.1", "3f2a9c", phone, sizeof phone);
	const char *f = throttle_who("10.0.0.1", "", fresh, sizeof fresh);
	assert_string_equal(g, "10.0.0.1");
	assert_string_equal(f, "10.0.0.1");
	assert_string_equal(p, THROTTLE_DEVICE_PREFIX "3f2a9c");
	int64_t now = 1000;
	for (int i = 0; i < THROTTLE_LOGIN_FREE + 3; i++) {
		now += throttle_wait_left(t, g, now);
		assert_int_equal(try_once(t, g, true, now), THROTTLE_GO);
	}
	assert_true(throttle_wait_left(t, g, now) > 60 * 1000);
	assert_int_equal(throttle_begin(t, f, now + 1), THROTTLE_WAIT);
	assert_true(throttle_clean(t, p, now + 1));
	assert_int_equal(try_once(t, p, false, now + 1), THROTTLE_GO);
	/* the guesser is not let off by the phone's login */
	assert_int_equal(throttle_begin(t, g, now + 2), THROTTLE_WAIT);
	/* the device's own wrong passwords are its own */
	assert_int_equal(try_once(t, p, true, now + 3), THROTTLE_GO);
	assert_int_equal(throttle_begin(t, p, now + 4), THROTTLE_WAIT);
	throttle_free(t);
}

static void
test_turn_to_check(void **state)
{
	(void)state;
	/* a known device waits, however many wait and whatever it typed */
	assert_int_equal(throttle_turn(true, false, 0, 2), THROTTLE_TURN_WAIT);
	assert_int_equal(throttle_turn(true, false, 5, 2), THROTTLE_TURN_WAIT);
	assert_int_equal(throttle_turn(true, true, 2, 2), THROTTLE_TURN_WAIT);
	/* a clean address waits while there is room */
	assert_int_equal(throttle_turn(false, true, 0, 2), THROTTLE_TURN_WAIT);
	assert_int_equal(throttle_turn(false, true, 1, 2), THROTTLE_TURN_WAIT);
	assert_int_equal(throttle_turn(false, true, 2, 2), THROTTLE_TURN_TRY);
	/* a guesser takes a free check, never one somebody waits for */
	assert_int_equal(throttle_turn(false, false, 0, 2), THROTTLE_TURN_TRY);
	assert_int_equal(throttle_turn(false, false, 1, 2), THROTTLE_TURN_AWAY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrong_password_waits_a_second_per_address),
		cmocka_unit_test(test_one_try_at_a_time_per_address),
		cmocka_unit_test(test_success_clears_the_penalty),
		cmocka_unit_test(test_unknown_address_is_one_bucket),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_full_table_keeps_guessers),
		cmocka_unit_test(test_full_table_keeps_a_guesser_idle_longer),
		cmocka_unit_test(test_unknown_address_keeps_its_wait),
		cmocka_unit_test(test_long_address),
		cmocka_unit_test(test_pin_pad_closes),
		cmocka_unit_test(test_clean_addresses),
		cmocka_unit_test(test_guesser_waits_longer_each_time),
		cmocka_unit_test(test_typos_are_forgiven),
		cmocka_unit_test(test_known_device_is_not_held_by_its_address),
		cmocka_unit_test(test_turn_to_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
