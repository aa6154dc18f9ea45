/* Tests for rank: who a door's name search lists first, at an Antwerp
 * meetup where Van de Velde, van der Linden, Vandenberghe, De Smet and
 * Desmet, Jan Peeters and Jan Peters all queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/fold.h"
#include "core/rank.h"

static int
level(const char *query, const char *first, const char *last)
{
	return rank_guest_text(query, first, last) / RANK_LEVEL_STEP;
}

/* Typing query, guest a (first, last) is listed before guest b. */
static void
before(const char *query, const char *af, const char *al, const char *bf, const char *bl)
{
	int a = rank_guest_text(query, af, al), b = rank_guest_text(query, bf, bl);
	if (a >= b)
		fail_msg("\"%s\": %s %s (%d) should come before %s %s (%d)", query, af, al, a,
		    bf, bl, b);
}

static void
test_surname_whole_first(void **state)
{
	(void)state;
	assert_int_equal(level("peeters", "Jan", "Peeters"), 0);
	assert_int_equal(level("de smet", "Tom", "De Smet"), 0);
	assert_int_equal(level("de smet", "Ann", "Desmet"), 0);   /* written joined */
	assert_int_equal(level("desmet", "Tom", "De Smet"), 0);   /* typed joined */
	assert_int_equal(level("dhondt", "Marc", "D'Hondt"), 0);
	assert_int_equal(level("lefevre dubois", "Claire", "Lefèvre-Dubois"), 0);
	/* the particles in front left out: still the surname */
	assert_int_equal(level("linden", "Piet", "van der Linden"), 0);
	assert_int_equal(level("velde", "Jan", "Van de Velde"), 0);
	/* first name, then the surname */
	assert_int_equal(level("jan peeters", "Jan", "Peeters"), 0);
	assert_int_equal(level("jan van de velde", "Jan", "Van de Velde"), 0);
	before("peeters", "Jan", "Peeters", "Peeters", "Janssens");
	before("peeters", "Janine", "Peeters", "Jan", "Peetersen");
}

/* The walk-through's complaint: "van de" did not list the Van de Veldes
 * first, but Vanessa Devos and Dennis Van Acker. */
static void
test_van_de(void **state)
{
	(void)state;
	assert_int_equal(level("van de", "Jan", "Van de Velde"), 1);
	before("van de", "Jan", "Van de Velde", "Piet", "van der Linden");
	before("van de", "Els", "Van de Velde", "Koen", "Vandenberghe");
	before("van de", "Els", "Van de Velde", "Lies", "Vandevelde");
	before("van de", "Piet", "van der Linden", "Vanessa", "Devos");
	before("van de", "Koen", "Vandenberghe", "Vanessa", "Devos");
	before("van de", "Lies", "Vandevelde", "Dennis", "Van Acker");
	before("van de", "Vanessa", "Devos", "Dennis", "Van Acker");
	/* typing on: "van der" is van der Linden's, whole */
	before("van der", "Piet", "van der Linden", "Jan", "Van de Velde");
	/* joined typed, apart listed, and the other way round: the same */
	assert_int_equal(level("vandevelde", "Jan", "Van de Velde"), 0);
	assert_int_equal(level("van de velde", "Lies", "Vandevelde"), 0);
}

static void
test_first_name_and_surname(void **state)
{
	(void)state;
	/* Jan Peeters and Jan Peters before Janine, and Peter Jansen (whose
	 * names the words start the other way round) after them */
	before("jan pe", "Jan", "Peeters", "Janine", "Peeters");
	before("jan pe", "Jan", "Peters", "Janine", "Peeters");
	before("jan pe", "Janine", "Peeters", "Peter", "Jansen");
	assert_int_equal(rank_guest_text("jan pe", "Jan", "Peeters"),
	    rank_guest_text("jan pe", "Jan", "Peters"));   /* then in name order */
	before("jan peeters", "Jan", "Peeters", "Jan", "Peters");
	before("jan peters", "Jan", "Peters", "Jan", "Peeters");
	/* the list's order typed: "Peeters, Jan" */
	assert_int_equal(level("peeters jan", "Jan", "Peeters"), 4);
	before("peeters jan", "Jan", "Peeters", "Janine", "Peeters");
}

static void
test_first_name(void **state)
{
	(void)state;
	assert_int_equal(level("sarah", "Sarah", "Claes"), 2);
	assert_int_equal(level("sar", "Sarah", "Claes"), 5);
	assert_int_equal(level("pieter jan", "Pieter-Jan", "Claes"), 2);
	assert_int_equal(level("jan", "Jan Willem", "Smit"), 2);
	/* a whole first name before a surname's start, a surname's start
	 * before a first name's */
	before("jan", "Jan", "Peeters", "Eva", "Janssens");
	before("jan", "Eva", "Janssens", "Janine", "Peeters");
	before("sar", "Bart", "Sarens", "Sarah", "Claes");
	/* the same surname: a whole first name first */
	before("claes sarah", "Sarah", "Claes", "Sarahlynn", "Claes");
}

static void
test_other(void **state)
{
	(void)state;
	/* found by the e-mail alone, or by a word inside the name */
	assert_int_equal(rank_guest_text("peeters", "Eva", "Janssens"), RANK_OTHER);
	assert_int_equal(rank_guest_text("jan", "Pieter-Jan", "Claes"), RANK_OTHER);
	assert_int_equal(rank_guest_text("", "Jan", "Peeters"), RANK_OTHER);
	assert_int_equal(rank_guest_text("  ", "Jan", "Peeters"), RANK_OTHER);
	assert_int_equal(rank_guest_text("jan", NULL, NULL), RANK_OTHER);
	assert_int_equal(rank_guest_text("jan", "", ""), RANK_OTHER);
	/* a later surname word, not after particles: its start at most */
	assert_int_equal(level("dubois", "Claire", "Lefèvre-Dubois"), 3);
	/* diacritics and case as the search folds them (the query comes folded) */
	assert_int_equal(level("lefevre", "Claire", "LEFÈVRE-Dubois"), 1);
	assert_int_equal(level("zoe celik", "Zoë", "Çelik"), 0);
}

static void
test_long_names(void **state)
{
	(void)state;
	/* more words, or bytes, than are looked at: no overflow, some rank */
	char big[1024];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	int r = rank_guest_text(big, big, big);
	assert_true(r >= 0 && r <= RANK_OTHER);
	assert_int_equal(level("a", "x", "a b c d e f g h i j k l"), 1);
	const char *q[] = { "a", "b", "c", "d", "e", "f" };
	struct rank_query rq;
	rank_query_init(&rq, q, 6);
	assert_int_equal(rq.n, RANK_WORDS);
	r = rank_guest(&rq, "f", "a b c d e");
	assert_true(r >= 0 && r <= RANK_OTHER);
	/* one query, many guests: the same as asked one by one */
	rank_query_parse(&rq, "van de");
	assert_int_equal(rank_guest(&rq, "Jan", "Van de Velde"),
	    rank_guest_text("van de", "Jan", "Van de Velde"));
	assert_int_equal(rank_guest(&rq, "Piet", "van der Linden"),
	    rank_guest_text("van de", "Piet", "van der Linden"));
}

static void
test_fold_parts(void **state)
{
	(void)state;
	char text[32];
	const char *w[4];
	size_t n = fold_parts("Van de  Velde-D'Hondt", text, sizeof text, w, 4);
	assert_int_equal(n, 4);
	assert_string_equal(w[0], "van");
	assert_string_equal(w[1], "de");
	assert_string_equal(w[2], "velde");
	assert_string_equal(w[3], "dhondt");
	/* what does not fit is left out, never cut */
	n = fold_parts("Abcdefgh Ijklmnop", text, 12, w, 4);
	assert_int_equal(n, 1);
	assert_string_equal(w[0], "abcdefgh");
	assert_int_equal(fold_parts("", text, sizeof text, w, 4), 0);
	assert_int_equal(fold_parts("a b c d e", text, sizeof text, w, 2), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_surname_whole_first),
		cmocka_unit_test(test_van_de),
		cmocka_unit_test(test_first_name_and_surname),
		cmocka_unit_test(test_first_name),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_fold_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
