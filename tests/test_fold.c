/* Tests for fold: what door staff type finds what was imported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/util.h"

static void
check(const char *in, const char *want)
{
	char *got = fold_key(in);
	assert_string_equal(got, want);
	free(got);
}

static void
test_diacritics_and_case(void **state)
{
	(void)state;
	check("Zoë", "zoe");
	check("Çelik", "celik");
	check("ÉMILE", "emile");
	check("Łukasz", "lukasz");
	check("Søren", "soren");
	check("Straße", "strasse");
	check("Ömer", "omer");
	check("Anaïs", "anais");
}

/* The letters NFKD leaves whole are spelt as people type them. */
static void
test_letters_without_decomposition(void **state)
{
	(void)state;
	check("Læstadius", "laestadius");
	check("Cœur", "coeur");
	check("Đorđević", "dordevic");
	check("Guðrún", "gudrun");
	check("Þór", "thor");
	check("Yıldız", "yildiz");
	check("Ħal", "hal");
}

/* Compatibility forms fold too: full-width letters from an East Asian
 * keyboard, ligatures from a word processor. */
static void
test_compatibility_forms(void **state)
{
	(void)state;
	check("\xef\xbc\xaa\xef\xbd\x81\xef\xbd\x8e", "jan");  /* Ｊａｎ */
	check("\xef\xac\x81ona", "fiona");                      /* ﬁ ligature */
}

/* Digits stay whether or not the word holds accents: "Çelik13" is found as
 * "celik13", as "Celik13" is. */
static void
test_digits_kept_beside_accents(void **state)
{
	(void)state;
	check("Celik13", "celik13");
	check("Çelik13", "celik13");
	check("Zoë 2090", "zoe2090");
}

/* A long ASCII field (an import takes names of up to 1024 bytes) folds
 * whole, past the fast path's 256-byte chunks. */
static void
test_long_ascii(void **state)
{
	(void)state;
	char in[700], want[700];
	size_t k = 0;
	for (int i = 0; i < 600; i++) {
		in[i] = (char)('A' + i % 26);
		if (i % 7 != 6)
			want[k++] = (char)('a' + i % 26);
		else
			in[i] = ' ';
	}
	in[600] = '\0';
	want[k] = '\0';
	check(in, want);
}

static void
test_punctuation_dropped(void **state)
{
	(void)state;
	check("O'Brien", "obrien");
	check("Pieter-Jan", "pieterjan");
	check("  van  den Berg ", "vandenberg");
}

static void
test_other_scripts_kept(void **state)
{
	(void)state;
	check("محمد", "محمد");
	check("王小明", "王小明");
}

static void
test_invalid_utf8_dropped(void **state)
{
	(void)state;
	check("Zo\xeb", "zo");
	check("\xff\xfe", "");
}

struct collected {
	char words[16][64];
	int n;
};

static void
collect(const char *w, void *arg)
{
	struct collected *c = arg;
	if (c->n < 16)
		snprintf(c->words[c->n++], 64, "%s", w);
}

static int
has(const struct collected *c, const char *w)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->words[i], w) == 0)
			return 1;
	return 0;
}

static void
test_words(void **state)
{
	(void)state;
	struct collected c = { .n = 0 };
	fold_words("Van Der Auwera", collect, &c);
	assert_true(has(&c, "van"));
	assert_true(has(&c, "der"));
	assert_true(has(&c, "auwera"));
	assert_true(has(&c, "vanderauwera"));
	assert_int_equal(c.n, 4);

	memset(&c, 0, sizeof c);
	fold_words("zoe.celik13@example.org", collect, &c);
	assert_true(has(&c, "zoe"));
	assert_true(has(&c, "celik13"));
	assert_true(has(&c, "zoecelik13exampleorg"));

	/* Staff who heard "D'Hondt" type "hondt" as well as "dhondt". */
	memset(&c, 0, sizeof c);
	fold_words("D'Hondt", collect, &c);
	assert_true(has(&c, "dhondt"));
	assert_true(has(&c, "hondt"));
	assert_int_equal(c.n, 2);
	memset(&c, 0, sizeof c);
	fold_words("Seán O\xe2\x80\x99" "Brien", collect, &c); /* a typographic apostrophe */
	assert_true(has(&c, "obrien"));
	assert_true(has(&c, "brien"));
	assert_true(has(&c, "sean"));
	memset(&c, 0, sizeof c);
	fold_words("l'", collect, &c); /* nothing after it: no empty word */
	assert_int_equal(c.n, 1);
	/* The other apostrophes a keyboard or a word processor gives:
	 * U+2018 and the modifier letter U+02BC. */
	memset(&c, 0, sizeof c);
	fold_words("O\xe2\x80\x98" "Brien", collect, &c);
	assert_true(has(&c, "obrien"));
	assert_true(has(&c, "brien"));
	memset(&c, 0, sizeof c);
	fold_words("Ka\xca\xbc" "iulani", collect, &c);
	assert_true(has(&c, "iulani"));
	/* and the whole word is what staff type, the ' left out, as for
	 * the others: "obrien" finds OʼBrien (U+02BC), and ʻ (U+02BB) too */
	assert_true(has(&c, "kaiulani"));
	char *k = fold_key("O\xca\xbc" "Brien Ha\xca\xbb" "ena");
	assert_string_equal(k, "obrienhaena");
	free(k);

	/* White space beyond ASCII, as pasted from a web page: a no-break
	 * space, a thin space, an ideographic space part words too. */
	memset(&c, 0, sizeof c);
	fold_words("Van\xc2\xa0" "Dijk", collect, &c);
	assert_true(has(&c, "van"));
	assert_true(has(&c, "dijk"));
	assert_true(has(&c, "vandijk"));
	assert_int_equal(c.n, 3);
	memset(&c, 0, sizeof c);
	fold_words("Anne De\xe2\x80\x89Smet\xe3\x80\x80Zo\xc3\xab", collect, &c);
	assert_true(has(&c, "de"));
	assert_true(has(&c, "smet"));
	assert_true(has(&c, "zoe"));
	/* ... but not what only looks like it: "ŀ" (U+0140) is a letter. */
	memset(&c, 0, sizeof c);
	fold_words("Pau\xc5\x80la", collect, &c);
	assert_int_equal(c.n, 1);

	memset(&c, 0, sizeof c);
	assert_int_equal(fold_words("Anna anna ANNA", collect, &c), 2); /* anna, annaannaanna */
	memset(&c, 0, sizeof c);
	assert_int_equal(fold_words("", collect, &c), 0);
}

/* The punctuation between name and e-mail parts splits words even with no
 * space beside it: staff type "peeters" for "jan_peeters+event@...",
 * "jan" for "Peeters,Jan", either name of "Anna/Bob". */
static void
test_words_split_at_punctuation(void **state)
{
	(void)state;
	struct collected c = { .n = 0 };
	fold_words("jan_peeters+event@example.org", collect, &c);
	assert_true(has(&c, "jan"));
	assert_true(has(&c, "peeters"));
	assert_true(has(&c, "event"));
	assert_true(has(&c, "example"));

	static const char *const joined[] = {
		"Peeters,Jan", "Peeters;Jan", "Peeters/Jan", "Peeters(Jan)",
		"Peeters-Jan", "Peeters\tJan", "Peeters\nJan", "Peeters\r\nJan",
	};
	for (size_t i = 0; i < sizeof joined / sizeof joined[0]; i++) {
		memset(&c, 0, sizeof c);
		fold_words(joined[i], collect, &c);
		assert_true(has(&c, "peeters"));
		assert_true(has(&c, "jan"));
		assert_true(has(&c, "peetersjan"));
		assert_int_equal(c.n, 3);
	}
}

/* What people type for ä, ö, ü and ø without those letters is a word too:
 * "mueller" for Müller, "oeystein" for Øystein; composed or decomposed,
 * capital or not. Other diaereses are not spelt so ("Zoë" is no "zoee"). */
static void
test_words_with_umlauts_spelt(void **state)
{
	(void)state;
	struct collected c = { .n = 0 };
	fold_words("Müller", collect, &c);
	assert_true(has(&c, "muller"));
	assert_true(has(&c, "mueller"));
	assert_int_equal(c.n, 2);
	memset(&c, 0, sizeof c);
	fold_words("Mu\xcc\x88ller", collect, &c);   /* u and U+0308 */
	assert_true(has(&c, "muller"));
	assert_true(has(&c, "mueller"));
	assert_int_equal(c.n, 2);
	memset(&c, 0, sizeof c);
	fold_words("Øystein Ærø", collect, &c);
	assert_true(has(&c, "oystein"));
	assert_true(has(&c, "oeystein"));
	assert_true(has(&c, "aero"));
	assert_true(has(&c, "aeroe"));
	memset(&c, 0, sizeof c);
	fold_words("ÖZTÜRK-Bähr", collect, &c);
	assert_true(has(&c, "oeztuerk"));
	assert_true(has(&c, "baehr"));
	assert_true(has(&c, "ozturkbahr"));
	memset(&c, 0, sizeof c);
	fold_words("Zoë", collect, &c);
	assert_int_equal(c.n, 1);
	assert_true(has(&c, "zoe"));
}

/* An acute accent or a backquote typed for the apostrophe (D´Hondt,
 * D`Haese) parts the word as the apostrophe does. */
static void
test_apostrophe_stand_ins(void **state)
{
	(void)state;
	struct collected c = { .n = 0 };
	fold_words("D\xc2\xb4Hondt", collect, &c);
	assert_true(has(&c, "dhondt"));
	assert_true(has(&c, "hondt"));
	assert_int_equal(c.n, 2);
	memset(&c, 0, sizeof c);
	fold_words("D`Haese", collect, &c);
	assert_true(has(&c, "dhaese"));
	assert_true(has(&c, "haese"));
	memset(&c, 0, sizeof c);
	fold_words("Ka\xca\xbb" "ahumanu", collect, &c);
	assert_true(has(&c, "kaahumanu"));
	assert_true(has(&c, "ahumanu"));
}

/* A Chinese, Japanese or Korean name typed whole, family name first, finds
 * a guest the list parts into first and last name; a Latin name gains no
 * such word. */
static void
test_east_asian_name_whole(void **state)
{
	(void)state;
	char *w = fold_search_words("小龍", "李", "");
	assert_non_null(strstr(w, " 李小龍 "));
	assert_non_null(strstr(w, " 小龍李 "));
	assert_non_null(strstr(w, " 李 "));
	free(w);
	w = fold_search_words("민준", "김", "mj@example.org");
	char *typed = fold_key("김민준"), *word = xasprintf(" %s ", typed);
	assert_non_null(strstr(w, word));   /* as typed, folded alike */
	free(word);
	free(typed);
	free(w);
	w = fold_search_words("Jan", "Peeters", "");
	assert_string_equal(w, " jan peeters ");
	free(w);
}

/* What lines up `kiosk guests`: characters on screen, not bytes. */
static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(fold_width(""), 0);
	assert_int_equal(fold_width("Jan Peeters"), 11);
	assert_int_equal(fold_width("Zo\xc3\xab \xc3\x87" "elik"), 9);          /* Zoë Çelik */
	assert_int_equal(fold_width("\xe6\x9d\x8e \xe5\xb0\x8f\xe9\xbe\x8d"), 7); /* 李 小龍: wide */
	assert_int_equal(fold_width("e\xcc\x81"), 1);                       /* e + U+0301 */
	assert_int_equal(fold_width("A\xff" "B"), 3);
}

/* A name's words, not the e-mail's: what search lists first. */
static void
test_name_starts(void **state)
{
	(void)state;
	const char *lef[] = { "lefev" }, *two[] = { "bram", "lef" }, *none[] = { "", "" };
	assert_true(fold_name_starts("Bram", "Lefèvre", lef, 1));
	assert_true(fold_name_starts("Bram", "Lefèvre", two, 2));
	assert_false(fold_name_starts("Julie", "Goossens", lef, 1));
	assert_false(fold_name_starts("Julie", "Bram", two, 2));   /* lef: not hers */
	assert_true(fold_name_starts("Julie", "Goossens", none, 2));
	const char *mid[] = { "der", "auw" }, *inside[] = { "ev" }, *spelt[] = { "mueller" };
	assert_true(fold_name_starts("Thijs", "Van Der Auwera", mid, 2));
	assert_false(fold_name_starts("Bram", "Lefèvre", inside, 1));
	assert_true(fold_name_starts("Jonas", "Müller", spelt, 1));
	const char *brien[] = { "brien" }, *whole[] = { "李小" };
	assert_true(fold_name_starts("Chloé", "O'Brien", brien, 1));
	assert_true(fold_name_starts("小龍", "李", whole, 1));
}

/* fold_parts folds each part as fold_key does, by its table of Latin
 * letters (é, ç, ß, ł, ő) too, and beyond it (a combining mark, Greek). */
static void
test_parts_fold_as_fold_key(void **state)
{
	(void)state;
	char text[64], name[16];
	const char *w[4];
	for (unsigned cp = 0x80; cp < 0x800; cp++) {
		snprintf(name, sizeof name, "X%c%cb d", (char)(0xC0 | (cp >> 6)),
		    (char)(0x80 | (cp & 0x3F)));
		char *part = xstrndup(name, 4), *want = fold_key(part);
		size_t n = fold_parts(name, text, sizeof text, w, 4);
		if (want[0] == '\0' || fold_space(name + 1, 2) > 0) {
			free(part);
			free(want);
			continue;   /* a space parts them, or nothing is left */
		}
		assert_true(n >= 1);
		if (strcmp(w[0], want) != 0)
			fail_msg("U+%04X: fold_parts \"%s\", fold_key \"%s\"", cp, w[0], want);
		free(part);
		free(want);
	}
	const char *names[] = { "Lefèvre-Dubois", "ÇELİK", "Łukasz", "Straße", "Zoe\xcc\x88",
		"Ødegård", "Ἀθηνᾶ", "Søren Æbelø" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = fold_parts(names[i], text, sizeof text, w, 4);
		struct buf b;
		buf_init(&b, 0);
		for (size_t k = 0; k < n; k++)
			buf_addf(&b, "%s", w[k]);
		char *want = fold_key(names[i]);
		assert_string_equal(buf_cstr(&b), want);
		free(want);
		buf_free(&b);
	}
}

/* A name a colleague's spreadsheet put in capitals or small letters only
 * says less than the one listed before; a name corrected does not. */
static void
test_case_lost(void **state)
{
	(void)state;
	assert_true(fold_case_lost("Ann Peeters", "ANN PEETERS"));
	assert_true(fold_case_lost("McDonald", "mcdonald"));
	assert_true(fold_case_lost("van der Berg", "VAN DER BERG"));
	assert_true(fold_case_lost("Zoë Çelik", "ZOË ÇELIK"));
	assert_true(fold_case_lost("Łukasz", "łukasz"));
	/* now in both cases, or before in one: a correction, taken */
	assert_false(fold_case_lost("ann peeters", "Ann Peeters"));
	assert_false(fold_case_lost("ANN", "Ann"));
	assert_false(fold_case_lost("Mcdonald", "McDonald"));
	assert_false(fold_case_lost("ann", "ANN"));
	/* other letters: another name */
	assert_false(fold_case_lost("Zoë", "ZOE"));
	assert_false(fold_case_lost("Ann", "ANNA"));
	assert_false(fold_case_lost("Ann", "Ann"));
	assert_false(fold_case_lost("", ""));
	assert_false(fold_case_lost(NULL, "ANN"));
	assert_false(fold_case_lost("Ann", NULL));
	assert_false(fold_case_lost("Ann\xff", "ANN\xff"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_fold_as_fold_key),
		cmocka_unit_test(test_case_lost),
		cmocka_unit_test(test_diacritics_and_case),
		cmocka_unit_test(test_letters_without_decomposition),
		cmocka_unit_test(test_compatibility_forms),
		cmocka_unit_test(test_digits_kept_beside_accents),
		cmocka_unit_test(test_long_ascii),
		cmocka_unit_test(test_punctuation_dropped),
		cmocka_unit_test(test_other_scripts_kept),
		cmocka_unit_test(test_invalid_utf8_dropped),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_words_split_at_punctuation),
		cmocka_unit_test(test_words_with_umlauts_spelt),
		cmocka_unit_test(test_apostrophe_stand_ins),
		cmocka_unit_test(test_east_asian_name_whole),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_name_starts),
	};
	return cmocka_run_group_tests_name("fold", tests, NULL, NULL);
}
