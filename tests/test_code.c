/* Tests for code: our ticket codes and scanner input normalisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/code.h"
#include "core/util.h"

static void
test_new_code_shape(void **state)
{
	(void)state;
	char *c = code_new("SMD26");
	char tag[CODE_TAG_MAX + 1];
	assert_non_null(c);
	assert_int_equal(strlen(c), strlen("SMD26-") + CODE_BODY_LEN + 1);
	assert_memory_equal(c, "SMD26-", 6);
	/* Only characters of the QR alphanumeric set, no confusable letters. */
	for (const char *p = c + 6; *p; p++) {
		assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", *p));
	}
	assert_true(code_parse_ours(c, tag));
	assert_string_equal(tag, "SMD26");
	free(c);
}

static void
test_codes_are_unique(void **state)
{
	(void)state;
	enum { N = 2000 };
	char *codes[N];
	for (int i = 0; i < N; i++)
		codes[i] = code_new("EV");
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			assert_string_not_equal(codes[i], codes[j]);
	for (int i = 0; i < N; i++)
		free(codes[i]);
}

static void
test_check_char_catches_typos(void **state)
{
	(void)state;
	char tag[CODE_TAG_MAX + 1];
	int caught = 0, total = 0;
	for (int k = 0; k < 50; k++) {
		char *c = code_new("EV");
		size_t n = strlen(c);
		/* Every single-character substitution in the body is detected. */
		for (size_t i = 3; i < n; i++) {
			char orig = c[i];
			c[i] = orig == 'A' ? 'B' : 'A';
			total++;
			caught += !code_parse_ours(c, tag);
			c[i] = orig;
		}
		free(c);
	}
	assert_int_equal(caught, total);
}

static void
test_normalize_trims_and_uppercases_ours(void **state)
{
	(void)state;
	char *c = code_new("SMD26"), *out = NULL;
	char *typed = strdup(c);
	for (char *p = typed; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	char *padded = NULL;
	size_t n = strlen(typed) + 4;
	padded = malloc(n + 1);
	snprintf(padded, n + 1, "  %s\r\n", typed);
	assert_int_equal(code_normalize(padded, strlen(padded), &out), CODE_OK);
	assert_string_equal(out, c);
	free(out);
	free(padded);
	free(typed);
	free(c);
}

static void
test_normalize_maps_confusables(void **state)
{
	(void)state;
	char *c = code_new("EV"), *out = NULL;
	/* Find a 0 or 1 in the body and type it as the letter people confuse. */
	char *typed = strdup(c);
	for (char *p = typed + 3; *p; p++) {
		if (*p == '0') *p = 'O';
		else if (*p == '1') *p = 'l';
	}
	assert_int_equal(code_normalize(typed, strlen(typed), &out), CODE_OK);
	assert_string_equal(out, c);
	free(out);
	free(typed);
	free(c);
}

static void
test_normalize_keeps_platform_codes(void **state)
{
	(void)state;
	char *out = NULL;
	assert_int_equal(code_normalize(" 8184922608941621308297001 ", 27, &out), CODE_OK);
	assert_string_equal(out, "8184922608941621308297001");
	free(out);
	/* A pretix secret is case-sensitive: kept as it is. */
	assert_int_equal(code_normalize("abcDEF123xyz", 12, &out), CODE_OK);
	assert_string_equal(out, "abcDEF123xyz");
	free(out);
}

/* A codes file saved by Notepad starts with a BOM; a code copied from a
 * web page or a spreadsheet brings no-break spaces. */
static void
test_normalize_drops_invisible_unicode(void **state)
{
	(void)state;
	static const char *const in[] = {
		"\xef\xbb\xbf" "8184922608941621308297001",
		"8184922608941621308297001\xc2\xa0",
		"\xc2\xa0\xe2\x80\xaf 8184922608941621308297001\xe2\x80\x8b\r\n",
		"\xe3\x80\x80" "8184922608941621308297001\xef\xbb\xbf",
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		char *out = NULL;
		assert_int_equal(code_normalize(in[i], strlen(in[i]), &out), CODE_OK);
		assert_string_equal(out, "8184922608941621308297001");
		free(out);
	}
	/* Inside a code it stays: that is another code, not padding. */
	char *out = NULL;
	assert_int_equal(code_normalize("81849\xc2\xa0" "22", 9, &out), CODE_OK);
	assert_string_equal(out, "81849\xc2\xa0" "22");
	free(out);
	/* Nothing but invisible characters is no code at all. */
	assert_int_equal(code_normalize("\xef\xbb\xbf\xc2\xa0", 5, &out), CODE_EMPTY);
}

static void
test_normalize_rejects_junk(void **state)
{
	(void)state;
	char *out = NULL;
	char big[5001];
	memset(big, 'A', sizeof big - 1);
	big[5000] = '\0';
	assert_int_equal(code_normalize("   \t\r\n", 6, &out), CODE_EMPTY);
	assert_int_equal(code_normalize(big, 5000, &out), CODE_TOO_LONG);
	assert_int_equal(code_normalize("AB\x1b[2JCD", 8, &out), CODE_BAD_CHAR);
	assert_int_equal(code_normalize("AB\0CD", 5, &out), CODE_BAD_CHAR);
	assert_int_equal(code_normalize("AB\x7f" "CD", 5, &out), CODE_BAD_CHAR);
	/* Latin-1 bytes from a misconfigured scanner: no ticket has them. */
	assert_int_equal(code_normalize("AB\xe9\xe9" "CD", 6, &out), CODE_NOT_TEXT);
	assert_null(out);
	/* UTF-8 is text, whatever the script. */
	assert_int_equal(code_normalize("Z\xc3\xa9" "9", 4, &out), CODE_OK);
	free(out);
	/* SQL metacharacters are just characters: bound, never built into SQL. */
	assert_int_equal(code_normalize("x'; DROP TABLE guest;--", 23, &out), CODE_OK);
	assert_string_equal(out, "x'; DROP TABLE guest;--");
	free(out);
}

static void
test_other_event_tag_is_recognised(void **state)
{
	(void)state;
	char tag[CODE_TAG_MAX + 1];
	char *c = code_new("OTHER1");
	assert_true(code_parse_ours(c, tag));
	assert_string_equal(tag, "OTHER1");
	free(c);
	assert_false(code_parse_ours("8184922608941621308297001", tag));
	assert_false(code_parse_ours("SMD26-TOOSHORT", tag));
}

static void
test_tag_from_name(void **state)
{
	(void)state;
	char tag[CODE_TAG_MAX + 1];
	code_tag_from_name("Social Media Day Antwerp 2026", tag);
	assert_string_equal(tag, "SMDA26");
	assert_true(code_tag_valid(tag));
	code_tag_from_name("", tag);
	assert_true(code_tag_valid(tag));
	code_tag_from_name("Één grote dag voor iedereen in de stad van Antwerpen 2027", tag);
	assert_true(code_tag_valid(tag));
	/* a word's first letter as people read it: É is an E, Ø an O; a
	 * word of no Latin letter gives none */
	code_tag_from_name("Één dag 2027", tag);
	assert_string_equal(tag, "ED27");
	code_tag_from_name("Ørsted \xd0\x94\xd0\xb5\xd0\xbd\xd1\x8c Forum", tag);
	assert_string_equal(tag, "OF");
	/* A word of four characters that starts with a digit is not a year
	 * (found by fuzz_code): the tag must stay valid, or every code made
	 * for the event is refused at its door as another event's. */
	code_tag_from_name("10th Anniversary Gala", tag);
	assert_string_equal(tag, "AG");
	code_tag_from_name("Jazz 9\xe2\x82\xac", tag); /* "9€": four bytes */
	assert_string_equal(tag, "JK");
	code_tag_from_name("85e1", tag);
	assert_true(code_tag_valid(tag));
	assert_false(code_tag_valid("smd"));
	assert_false(code_tag_valid("A"));
	assert_false(code_tag_valid("ABCDEFGHI"));
	assert_false(code_tag_valid("AB-C"));
}

/* The parts of a link a platform's code may be: the values of the query's
 * code keys, then the path's last segment, decoded; not an event's number
 * or year elsewhere in it; nothing for what is not a link. */
static void
test_url_parts(void **state)
{
	char *parts[CODE_URL_PARTS];
	(void)state;
	size_t n = code_url_parts("https://example.com/e/2026/checkin?code=GIAO%2D1&e=7&lang=nl#top",
	    parts);
	const char *want[] = { "GIAO-1" };
	assert_int_equal(n, 1);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(parts[i], want[i]);
		free(parts[i]);
	}
	n = code_url_parts("HTTP://x.example/a+b/?ticket=a+b&T=a%20b&id=7&code=&flag", parts);
	assert_int_equal(n, 2); /* "a b" once, and "a+b" as written; no path */
	assert_string_equal(parts[0], "a b");
	assert_string_equal(parts[1], "a+b");
	free(parts[0]);
	free(parts[1]);
	n = code_url_parts("HTTP://x.example/a+b/?id=7", parts);
	assert_int_equal(n, 1); /* '+' is a space only in the query */
	assert_string_equal(parts[0], "a+b");
	free(parts[0]);
	/* a decoded control character is no code */
	assert_int_equal(code_url_parts("https://x.example/%00%01", parts), 0);
	assert_int_equal(code_url_parts("GIAO-1", parts), 0);
	assert_int_equal(code_url_parts("ftp://x.example/GIAO-1", parts), 0);
	assert_int_equal(code_url_parts("https://", parts), 0);
	assert_int_equal(code_url_parts("https://x.example", parts), 0);
	assert_int_equal(code_url_parts("https://x.example/?id=7&e=2026", parts), 0);
	/* a code key with nothing (or no code) in it: the path is not read */
	assert_int_equal(code_url_parts("https://x.example/events/7?code=", parts), 0);
	assert_int_equal(code_url_parts("https://x.example/events/7?code=%00", parts), 0);
	assert_int_equal(code_url_parts("https://x.example/events/7?code", parts), 0);
	/* at most CODE_URL_PARTS, however long the link */
	char *many = xstrdup("https://x.example/t/LAST?");
	for (int i = 0; i < 40; i++) {
		char *m = xasprintf("%sc=%d&", many, i);
		free(many);
		many = m;
	}
	n = code_url_parts(many, parts);
	assert_int_equal(n, CODE_URL_PARTS);
	assert_string_equal(parts[0], "0");
	for (size_t i = 0; i < n; i++)
		free(parts[i]);
	free(many);
}

/* A code typed by hand with the letters people confuse, in any case: O or
 * o for 0, I, i, L or l for 1. A fixed code, so that every one of them is
 * there each run (a new code has a 0 and a 1 only now and then). */
static void
test_confusables_of_a_known_code(void **state)
{
	(void)state;
	char *out = NULL, tag[CODE_TAG_MAX + 1];
	assert_int_equal(code_normalize("test26-Lk6gIoma9x4ONiKP9", 24, &out), CODE_OK);
	assert_string_equal(out, "TEST26-1K6G10MA9X40N1KP9");
	assert_true(code_parse_ours(out, tag));
	assert_string_equal(tag, "TEST26");
	free(out);
	assert_int_equal(code_normalize("test26-lk6g10ma9x40n1kp9", 24, &out), CODE_OK);
	assert_string_equal(out, "TEST26-1K6G10MA9X40N1KP9");
	free(out);
}

/* Codes made before stay ours: tickets already mailed (this event's, and
 * another event's, which the door must call another event's) keep their
 * check character. A code with a wrong one is not ours. */
static void
test_codes_made_before_are_still_ours(void **state)
{
	(void)state;
	static const char *const made[] = {
		"TEST26-1K6G10MA9X40N1KP9", "TEST26-8C7B7ACZER83C0103",
		"TEST26-RK2W1ZV0GDR0JE8EQ", "TEST26-N6QH79HN1JP3QR9Y0",
		"TEST26-Y0YYBW2224PE2XN71", "TEST26-M6BZ1BHYZAJ0ABFKP",
	};
	char tag[CODE_TAG_MAX + 1];
	for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
		if (!code_parse_ours(made[i], tag))
			fail_msg("%s is no longer ours", made[i]);
		assert_string_equal(tag, "TEST26");
	}
	assert_false(code_parse_ours("TEST26-1K6G10MA9X40N1KP8", tag));
	/* one character more is not ours either */
	assert_false(code_parse_ours("TEST26-1K6G10MA9X40N1KP90", tag));
}

/* Every code made is read back as ours (none with a check character
 * outside the alphabet), and the codes use the whole alphabet: 16 random
 * characters of 32, the 80 bits code.h promises. */
static void
test_every_new_code_is_ours_and_uses_the_alphabet(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	bool seen[32] = { false };
	char tag[CODE_TAG_MAX + 1];
	for (int k = 0; k < 2000; k++) {
		char *c = code_new("EV");
		assert_non_null(c);
		assert_int_equal(strlen(c), 3 + CODE_BODY_LEN + 1);
		if (!code_parse_ours(c, tag))
			fail_msg("%s is not ours", c);
		for (size_t i = 3; i < 3 + CODE_BODY_LEN; i++)
			seen[strchr(alphabet, c[i]) - alphabet] = true;
		free(c);
	}
	for (int i = 0; i < 32; i++)
		if (!seen[i])
			fail_msg("no code has '%c'", alphabet[i]);
}

/* A long event name keeps the year in its tag, so that last year's ticket
 * is another event's at the door, not an unknown one; a number of five
 * digits is no year. */
static void
test_tag_of_a_long_name_keeps_its_year(void **state)
{
	(void)state;
	char tag[CODE_TAG_MAX + 1];
	code_tag_from_name("Een grote dag voor iedereen in de stad van Antwerpen 2027", tag);
	assert_true(code_tag_valid(tag));
	assert_int_equal(strlen(tag), CODE_TAG_MAX);
	assert_string_equal(tag + CODE_TAG_MAX - 2, "27");
	code_tag_from_name("Een grote dag voor iedereen in de stad van Antwerpen 2026", tag);
	assert_string_equal(tag + CODE_TAG_MAX - 2, "26");
	code_tag_from_name("Marathon 42195 Gent", tag);
	assert_string_equal(tag, "MG");
}

/* Platform codes close to our shape are not ours, and are kept as they
 * are: a body a character short or long, or a tag of nine characters, is
 * neither upper-cased nor has its o, i and l read as digits. */
static void
test_nearly_our_shape_is_kept_as_it_is(void **state)
{
	(void)state;
	static const char *const near[] = {
		"ab-hello0world12345",     /* body of 16 */
		"ab-hello0world1234567",   /* body of 18 */
		"abcdefghi-hello0world123456", /* tag of 9 */
	};
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
		char *out = NULL;
		assert_int_equal(code_normalize(near[i], strlen(near[i]), &out), CODE_OK);
		assert_string_equal(out, near[i]);
		free(out);
	}
	/* and one of our shape is ours, whatever its case */
	char *out = NULL;
	assert_int_equal(code_normalize("ab-hello0world123456", 20, &out), CODE_OK);
	assert_string_equal(out, "AB-HE1100W0R1D123456");
	free(out);
}

/* Escapes in a link decode whatever the case of their hex digits, also at
 * the very end of a value (a base64 secret's "==" as "%3d%3D"). */
static void
test_url_escapes_in_either_case(void **state)
{
	(void)state;
	char *parts[CODE_URL_PARTS];
	size_t n = code_url_parts("https://x.example/c?secret=qx7kz9ab4%3d%3D", parts);
	assert_int_equal(n, 1);
	assert_string_equal(parts[0], "qx7kz9ab4==");
	free(parts[0]);
	n = code_url_parts("https://x.example/t/%47%49%41%4f%2d%39", parts);
	assert_int_equal(n, 1);
	assert_string_equal(parts[0], "GIAO-9");
	free(parts[0]);
}

/* A fast typist's keys reach the door as fast as a scanner's: what they
 * typed into a field stays there, and a ticket scanned meanwhile is still
 * a scan. */
static void
test_burst_typed_or_scanned(void **state)
{
	(void)state;
	char *ours = code_new("SMD26");
	assert_non_null(ours);
	/* typing: an e-mail, a name with a space, an accent, an apostrophe,
	 * a name alone */
	assert_true(code_burst_typed("jan.peeters@telenet.be", "jan.peeters2telenet.be", "", false));
	assert_true(code_burst_typed("van de velde", "van de velde", "", false));
	assert_true(code_burst_typed("Müller", "M;ller", "", false));
	assert_true(code_burst_typed("D'Hondt", "D'Hondt", "", false));
	assert_true(code_burst_typed("peeters", "peeters", "", false));
	assert_true(code_burst_typed("maes", ";qes", "maes", false));
	/* an address's first half, typed before a pause */
	assert_true(code_burst_typed("jan.peeters1987", "jan.peeters1987", "", false));
	/* scans: a guest's (whatever it holds), ours of any tag, damaged or
	 * typed in small letters, a link, an unknown platform code */
	assert_false(code_burst_typed("jan@example.org", "jan@example.org", "", true));
	assert_false(code_burst_typed(ours, ours, "", false));
	assert_false(code_burst_typed("OTHER-ABCDEFGHJKMNPQRS0", "OTHER-ABCDEFGHJKMNPQRS0", "", false));
	char lower[64];
	snprintf(lower, sizeof lower, "%s", ours);
	for (char *p = lower; *p; p++)
		*p = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
	assert_false(code_burst_typed(lower, lower, "", false));
	assert_false(code_burst_typed("https://tix.example/t/A B", "https://tix.example/t/A B", "", false));
	assert_false(code_burst_typed("8184922608941621308297999", "8184922608941621308297999", "", false));
	assert_false(code_burst_typed("5z7ubmn8bhd8ukn6jm5zsyggn3efqh7x", "5z7ubmn8bhd8ukn6jm5zsyggn3efqh7x", "", false));
	/* an AZERTY scanner's reading of ours is still ours */
	assert_false(code_burst_typed("&é\"'(", "SMD26-ABCDEFGHJKMNPQRS0", "&é\"'(", false));
	assert_false(code_burst_typed("", "", "", false));
	free(ours);
	/* where no field is open, only a name or an address looks a guest up */
	assert_true(code_burst_name("vandenbroeck"));
	assert_true(code_burst_name("van de Velde"));
	assert_true(code_burst_name("D'Hondt-Çelik"));
	assert_true(code_burst_name("jan.peeters@telenet.be"));
	assert_false(code_burst_name("WIFI:S:venue;T:WPA;P:secret;;"));
	assert_false(code_burst_name("jan2@telenet.be"));
	assert_false(code_burst_name("8184922608941621308297999"));
	assert_false(code_burst_name("- . '"));
	assert_false(code_burst_name(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_code_shape),
		cmocka_unit_test(test_codes_are_unique),
		cmocka_unit_test(test_check_char_catches_typos),
		cmocka_unit_test(test_normalize_trims_and_uppercases_ours),
		cmocka_unit_test(test_normalize_maps_confusables),
		cmocka_unit_test(test_normalize_keeps_platform_codes),
		cmocka_unit_test(test_normalize_drops_invisible_unicode),
		cmocka_unit_test(test_normalize_rejects_junk),
		cmocka_unit_test(test_other_event_tag_is_recognised),
		cmocka_unit_test(test_tag_from_name),
		cmocka_unit_test(test_url_parts),
		cmocka_unit_test(test_confusables_of_a_known_code),
		cmocka_unit_test(test_codes_made_before_are_still_ours),
		cmocka_unit_test(test_every_new_code_is_ours_and_uses_the_alphabet),
		cmocka_unit_test(test_tag_of_a_long_name_keeps_its_year),
		cmocka_unit_test(test_nearly_our_shape_is_kept_as_it_is),
		cmocka_unit_test(test_url_escapes_in_either_case),
		cmocka_unit_test(test_burst_typed_or_scanned),
	};
	return cmocka_run_group_tests_name("code", tests, NULL, NULL);
}
