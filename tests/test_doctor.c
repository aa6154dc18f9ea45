/* doctor: what counts as a problem before the doors open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

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

/* /proc/bus/input/devices of a door laptop: its power button and own
 * keyboard, a webcam (a button), a mouse with side buttons, a headset
 * (volume keys) and a USB scanner, which is a whole keyboard; bitmaps in
 * 64-bit words, as a 64-bit reader gets them. */
static const char input_devices_64[] =
    "I: Bus=0019 Vendor=0000 Product=0001 Version=0000\n"
    "N: Name=\"Power Button\"\n"
    "P: Phys=PNP0C0C/button/input0\n"
    "H: Handlers=kbd event0 \n"
    "B: PROP=0\n"
    "B: EV=3\n"
    "B: KEY=10000000000000 0\n"
    "\n"
    "I: Bus=0011 Vendor=0001 Product=0001 Version=ab83\n"
    "N: Name=\"AT Translated Set 2 keyboard\"\n"
    "H: Handlers=sysrq kbd event3 leds \n"
    "B: EV=120013\n"
    "B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe\n"
    "\n"
    "I: Bus=0003 Vendor=046d Product=0825 Version=0012\n"
    "N: Name=\"UVC Camera (046d:0825)\"\n"
    "H: Handlers=kbd event6 \n"
    "B: EV=3\n"
    "B: KEY=100000 0 0 0\n"
    "\n"
    "I: Bus=0003 Vendor=046d Product=c52b Version=0111\n"
    "N: Name=\"Logitech USB Receiver Mouse\"\n"
    "H: Handlers=mouse0 event7 \n"
    "B: EV=17\n"
    "B: KEY=ffff0000 0 0 0 0\n"
    "\n"
    "I: Bus=0003 Vendor=0b0e Product=0422 Version=0111\n"
    "N: Name=\"Jabra EVOLVE 20 MS\"\n"
    "H: Handlers=kbd event8 \n"
    "B: EV=13\n"
    "B: KEY=e000000000000 0\n"
    "\n"
    "I: Bus=0003 Vendor=0c2e Product=0b61 Version=0111\n"
    "N: Name=\"Honeywell Imaging & Mobility 1900\"\n"
    "H: Handlers=sysrq kbd event5 leds \n"
    "B: EV=120013\n"
    "B: KEY=1000000000007 ff800000000007ff febeffdff3cfffff fffffffffffffffe\n"
    "\n";

static void
test_scanner_is_a_keyboard_plugged_in(void **state)
{
	(void)state;
	struct doctor_keyboards kb;

	doctor_keyboards(input_devices_64, 64, &kb);
	assert_int_equal(kb.devices, 6);
	assert_int_equal(kb.n, 1);   /* the scanner; not the laptop's own, not the others */
	assert_string_equal(kb.name[0], "Honeywell Imaging & Mobility 1900");
	assert_int_equal(doctor_scanner(&kb, false), DOCTOR_OK);

	/* the same scanner to a 32-bit reader: words of 32 bits; and over
	 * Bluetooth */
	doctor_keyboards("I: Bus=0005 Vendor=05ac Product=024f Version=0111\n"
	    "N: Name=\"BT Scanner\"\n"
	    "B: KEY=10000 7 ff800000 7ff febeffdf f3cfffff ffffffff fffffffe\n", 32, &kb);
	assert_int_equal(kb.devices, 1);
	assert_int_equal(kb.n, 1);
	assert_string_equal(kb.name[0], "BT Scanner");

	/* none plugged in: worth a look, unless a camera reads the codes */
	static const char no_scanner[] =
	    "I: Bus=0011 Vendor=0001 Product=0001 Version=ab83\n"
	    "N: Name=\"AT Translated Set 2 keyboard\"\n"
	    "B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe\n"
	    "\n"
	    "I: Bus=0003 Vendor=046d Product=0825 Version=0012\n"
	    "N: Name=\"UVC Camera (046d:0825)\"\n"
	    "B: KEY=100000 0 0 0\n";
	doctor_keyboards(no_scanner, 64, &kb);
	assert_int_equal(kb.devices, 2);
	assert_int_equal(kb.n, 0);
	assert_int_equal(doctor_scanner(&kb, false), DOCTOR_WARN);
	assert_int_equal(doctor_scanner(&kb, true), DOCTOR_OK);

	/* nothing known (no list, or one with no device: a container) is
	 * said, not called a problem */
	doctor_keyboards("", 64, &kb);
	assert_int_equal(kb.devices, 0);
	assert_int_equal(doctor_scanner(&kb, false), DOCTOR_OK);
	doctor_keyboards(NULL, 64, &kb);
	assert_int_equal(kb.devices, 0);

	/* a name with bytes beyond ASCII, or too long, stays a short string */
	doctor_keyboards("I: Bus=0003 Vendor=1 Product=2 Version=3\n"
	    "N: Name=\"Sc\xc3\xa4nner 0123456789012345678901234567890123456789012345678901234567890\"\n"
	    "B: KEY=1000000000007 ff800000000007ff febeffdff3cfffff fffffffffffffffe\n", 64, &kb);
	assert_int_equal(kb.n, 1);
	assert_int_equal(strlen(kb.name[0]), DOCTOR_KEYBOARD_NAME - 1);
	assert_memory_equal(kb.name[0], "Sc??nner 0", 10);
}

/* The list's codes against [scanner] min_length: any code shorter is a
 * guest a scan does not check in (its keys are taken for typing), so it
 * fails, with the min_length the list needs; a door that reads with its
 * camera alone is only warned. Without an Enter after a code (suffix =
 * none), codes under four characters cannot be told from typing by speed:
 * the scanner must send Enter. */
static void
test_codes_against_min_length(void **state)
{
	(void)state;
	struct doctor_codes v;
	doctor_codes(0, 25, false, true, &v);
	assert_int_equal(v.level, DOCTOR_OK);
	assert_int_equal(v.advice, DOCTOR_CODES_FINE);
	doctor_codes(0, 0, false, true, &v);    /* no guests yet */
	assert_int_equal(v.level, DOCTOR_OK);

	doctor_codes(120, 4, false, true, &v);  /* a form's own "0042" */
	assert_int_equal(v.level, DOCTOR_FAIL);
	assert_int_equal(v.advice, DOCTOR_CODES_LOWER);
	assert_int_equal(v.min_length, 4);
	doctor_codes(1, 1, false, true, &v);    /* tickets numbered 1 to 200 */
	assert_int_equal(v.level, DOCTOR_FAIL);
	assert_int_equal(v.min_length, 1);

	doctor_codes(120, 4, false, false, &v); /* camera only */
	assert_int_equal(v.level, DOCTOR_WARN);
	assert_int_equal(v.advice, DOCTOR_CODES_LOWER);

	doctor_codes(120, 4, true, true, &v);   /* suffix none: four is told apart */
	assert_int_equal(v.advice, DOCTOR_CODES_LOWER);
	assert_int_equal(v.min_length, 4);
	doctor_codes(3, DOCTOR_NONE_MIN_LENGTH - 1, true, true, &v);
	assert_int_equal(v.level, DOCTOR_FAIL);
	assert_int_equal(v.advice, DOCTOR_CODES_SUFFIX);
	assert_int_equal(v.min_length, DOCTOR_NONE_MIN_LENGTH - 1);
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
		cmocka_unit_test(test_scanner_is_a_keyboard_plugged_in),
		cmocka_unit_test(test_codes_against_min_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
