/* Tests for lang: the live page's language from the organiser's browser,
 * and figures written as that language writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/lang.h"

/* A Belgian browser sends nl-BE first: Dutch, not the fallback. */
static void
test_region_is_its_language(void **state)
{
	(void)state;
	assert_int_equal(lang_accept("nl-BE,nl;q=0.9,en-US;q=0.8,en;q=0.7"), LANG_NL);
	assert_int_equal(lang_accept("fr-BE"), LANG_FR);
	assert_int_equal(lang_accept("de-DE,de;q=0.9"), LANG_DE);
	assert_int_equal(lang_accept("en-GB,en;q=0.9"), LANG_EN);
	assert_int_equal(lang_accept("NL-be"), LANG_NL);
}

/* The q-values rank, whatever the order they come in; among equals the
 * first listed wins; q=0 is "not this one". */
static void
test_q_values(void **state)
{
	(void)state;
	assert_int_equal(lang_accept("en;q=0.5, fr;q=0.8, nl;q=0.7"), LANG_FR);
	assert_int_equal(lang_accept("de;q=0.8,nl;q=0.8"), LANG_DE);
	assert_int_equal(lang_accept("nl;q=0, fr;q=0.1"), LANG_FR);
	assert_int_equal(lang_accept("nl;q=0"), -1);
	assert_int_equal(lang_accept("fr ; q=1.0 , nl"), LANG_FR);
	/* a language kiosk lacks ranks nothing: the next one it has */
	assert_int_equal(lang_accept("es-ES,es;q=0.9,fr;q=0.5"), LANG_FR);
	/* a garbled q ranks last, not first */
	assert_int_equal(lang_accept("de;q=abc,nl;q=0.2"), LANG_NL);
	assert_int_equal(lang_accept("de;q=2,nl;q=0.2"), LANG_NL);
}

/* No preference kiosk can serve: -1, the caller's fallback (kiosk.conf). */
static void
test_none_of_ours(void **state)
{
	(void)state;
	assert_int_equal(lang_accept(NULL), -1);
	assert_int_equal(lang_accept(""), -1);
	assert_int_equal(lang_accept("*"), -1);
	assert_int_equal(lang_accept("es,it;q=0.5"), -1);
	assert_int_equal(lang_accept(" , ;q=1,,"), -1);
	/* not a prefix match: "nld", "french" are no codes */
	assert_int_equal(lang_accept("nld,french"), -1);
	/* only the first LANG_ACCEPT_MAX bytes are read */
	char big[LANG_ACCEPT_MAX + 16];
	memset(big, 'x', sizeof big);
	memcpy(big + LANG_ACCEPT_MAX, ",nl", 4);
	assert_int_equal(lang_accept(big), -1);
	/* an item cut at LANG_ACCEPT_MAX, its parameters running on past it
	 * (fuzz_lang: the q-value's reader stepped past the cut, and then read
	 * memory before it as 2^64 bytes long) */
	char cut[LANG_ACCEPT_MAX + 64];
	memset(cut, ' ', sizeof cut);
	memcpy(cut, "fr;q=0.1,", 9);
	memcpy(cut + LANG_ACCEPT_MAX - 3, "nl;", 3);
	memcpy(cut + LANG_ACCEPT_MAX + 8, ";q=0.9", 7);
	assert_int_equal(lang_accept(cut), LANG_NL);
}

static void
test_codes(void **state)
{
	(void)state;
	assert_int_equal(lang_of("fr"), LANG_FR);
	assert_int_equal(lang_of("de-AT"), LANG_DE);
	assert_int_equal(lang_of("xx"), -1);
	assert_int_equal(lang_of(NULL), -1);
	assert_string_equal(lang_code(LANG_NL), "nl");
	assert_string_equal(lang_code(99), "en");
}

/* The page's link (?lang=) wins, then the browser, then kiosk.conf. */
static void
test_choose(void **state)
{
	(void)state;
	assert_int_equal(lang_choose("fr", "nl-BE,nl;q=0.9", LANG_DE), LANG_FR);
	assert_int_equal(lang_choose(NULL, "nl-BE,nl;q=0.9", LANG_DE), LANG_NL);
	assert_int_equal(lang_choose("xx", "nl-BE", LANG_DE), LANG_NL);
	assert_int_equal(lang_choose(NULL, "es", LANG_DE), LANG_DE);
	assert_int_equal(lang_choose(NULL, NULL, LANG_FR), LANG_FR);
	assert_int_equal(lang_choose("", "", 42), LANG_EN);
	/* an English browser gets English, whatever kiosk.conf says */
	assert_int_equal(lang_choose(NULL, "en-US,en;q=0.9", LANG_NL), LANG_EN);
}

/* 12.345 aanwezig, 12 345 présents: each language's grouping. */
static void
test_numbers(void **state)
{
	(void)state;
	char out[LANG_NUM_BUF];
	lang_num(LANG_EN, 12345, out);
	assert_string_equal(out, "12,345");
	lang_num(LANG_NL, 12345, out);
	assert_string_equal(out, "12.345");
	lang_num(LANG_DE, 1234567, out);
	assert_string_equal(out, "1.234.567");
	lang_num(LANG_FR, 12345, out);
	assert_string_equal(out, "12\u202f345");
	lang_num(LANG_NL, 999, out);
	assert_string_equal(out, "999");
	lang_num(LANG_EN, 0, out);
	assert_string_equal(out, "0");
	lang_num(LANG_EN, -1234, out);
	assert_string_equal(out, "-1,234");
	lang_num(LANG_FR, INT64_MIN, out);
	assert_string_equal(out, "-9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f808");
}

/* The dates under a chart's times, as each language writes them short. */
static void
test_dates(void **state)
{
	(void)state;
	char out[LANG_DATE_BUF];
	lang_date(LANG_EN, 2, 30, 5, -1, out);
	assert_string_equal(out, "Tue 30 Jun");
	lang_date(LANG_NL, 2, 30, 5, -1, out);
	assert_string_equal(out, "di 30 jun");
	lang_date(LANG_FR, 2, 30, 5, -1, out);
	assert_string_equal(out, "mar. 30 juin");
	lang_date(LANG_DE, 2, 30, 5, -1, out);
	assert_string_equal(out, "Di., 30. Juni");
	lang_date(LANG_FR, 0, 1, 1, 2026, out);
	assert_string_equal(out, "dim. 1 f\u00e9vr. 2026");
	lang_date(LANG_DE, 6, 7, 2, 2027, out);
	assert_string_equal(out, "Sa., 7. M\u00e4rz 2027");
	lang_date(LANG_NL, 3, 4, 2, 2026, out);
	assert_string_equal(out, "wo 4 mrt 2026");
	/* out of range: the nearest, never past the tables */
	lang_date(99, -1, 9, 12, -1, out);
	assert_string_equal(out, "Sun 9 Dec");
}

/* A day ticket's days, as the door tells a guest on another day: in the
 * guest's language, with the weekday (1 July 2026 is a Wednesday). */
static void
test_days_of_a_ticket(void **state)
{
	(void)state;
	char out[128];
	assert_string_equal(lang_days(LANG_EN, "2026-07-01", out, sizeof out), "Wed 1 Jul");
	assert_string_equal(lang_days(LANG_NL, "2026-06-30, 2026-07-01", out, sizeof out),
	    "di 30 jun, wo 1 jul");
	assert_string_equal(lang_days(LANG_FR, "2026-10-25", out, sizeof out), "dim. 25 oct.");
	assert_string_equal(lang_days(LANG_DE, "2024-02-29", out, sizeof out), "Do., 29. Feb.");
	assert_string_equal(lang_days(LANG_EN, "2000-01-01", out, sizeof out), "Sat 1 Jan");
	/* not a date: as it is */
	assert_string_equal(lang_days(LANG_EN, "Day 2", out, sizeof out), "Day 2");
	assert_string_equal(lang_days(LANG_EN, "", out, sizeof out), "");
	assert_string_equal(lang_days(LANG_EN, NULL, out, sizeof out), "");
	/* too small: whole days only */
	char small[16];
	assert_string_equal(lang_days(LANG_EN, "2026-06-30, 2026-07-01", small, sizeof small),
	    "Tue 30 Jun");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_region_is_its_language),
		cmocka_unit_test(test_q_values),
		cmocka_unit_test(test_none_of_ours),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_days_of_a_ticket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
