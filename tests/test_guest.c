/* Tests for guest: name search as door staff use it, and walk-ins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/code.h"
#include "core/guest.h"
#include "testutil.h"


static const char *const people[][3] = {
	{ "Zoë", "Çelik", "zoe.celik@example.org" },
	{ "Zoe", "Martens", "zm@example.org" },
	{ "Thijs", "Van Der Auwera", "thijs@example.org" },
	{ "Chloé", "O'Brien", "chloe.obrien@example.org" },
	{ "Pieter-Jan", "de Vries", "pj@example.org" },
	{ "Łukasz", "Hermans", "lukasz@example.org" },
	{ "Jan", "Janssens", "jan@example.org" },
	{ "محمد", "علي", "m.ali@example.org" },
};

static int
setup(void **state)
{
	if (tu_setup(state) != 0)
		return -1;
	struct tu_fixture *fx = *state;
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		struct guest_fields f = { .first_name = people[i][0], .last_name = people[i][1],
		    .email = people[i][2] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	return 0;
}


struct hits {
	char names[16][128];
	int n;
};

static int
collect(const struct guest *g, void *arg)
{
	struct hits *h = arg;
	if (h->n < 16)
		snprintf(h->names[h->n++], 128, "%s %s", g->first_name, g->last_name);
	return 0;
}

static struct hits
search(struct tu_fixture *fx, const char *q)
{
	struct hits h;
	char *cause = NULL;
	memset(&h, 0, sizeof h);
	if (guest_search(fx->s, q, 20, collect, &h, &cause) < 0)
		fail_msg("search '%s': %s", q, cause);
	return h;
}

static int
found(const struct hits *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return 1;
	return 0;
}

/* Enough typed for the search to list anyone: two folded characters in
 * its words, spaces and apostrophes aside; one CJK character is enough. */
static void
test_query_ready(void **state)
{
	struct tu_fixture *fx = *state;
	const char *short_[] = { "", "j", "j ", " j", "o'", "- ,", "é" };
	const char *ready[] = { "jo", "j p", "zö", "李", "O'B" };
	for (size_t i = 0; i < sizeof short_ / sizeof short_[0]; i++) {
		assert_false(guest_query_ready(short_[i]));
		assert_int_equal(search(fx, short_[i]).n, 0);
	}
	for (size_t i = 0; i < sizeof ready / sizeof ready[0]; i++)
		assert_true(guest_query_ready(ready[i]));
}

/* When a guest was added: the door shows a walk-in's time of registration
 * to tell two of one name apart. */
static void
test_added_at(void **state)
{
	struct tu_fixture *fx = *state;
	struct guest_fields f = { .first_name = "Lotte", .last_name = "Claeys" };
	struct guest g;
	int64_t before = store_now(fx->s);
	assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
	int64_t at = -1, after = store_now(fx->s);
	assert_int_equal(guest_added_at(fx->s, g.id, &at, NULL), 1);
	assert_true(at >= before && at <= after);
	at = -1;
	assert_int_equal(guest_added_at(fx->s, g.id + 1000, &at, NULL), 0);
	assert_int_equal(at, -1);
	guest_clear(&g);
}

static void
test_diacritics_and_case_ignored(void **state)
{
	struct tu_fixture *fx = *state;
	struct hits h = search(fx, "zoe");
	assert_int_equal(h.n, 2);
	assert_true(found(&h, "Zoë Çelik"));
	assert_true(found(&h, "Zoe Martens"));
	h = search(fx, "celik");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Zoë Çelik"));
	h = search(fx, "LUK");
	assert_true(found(&h, "Łukasz Hermans"));
	h = search(fx, "chloe");
	assert_true(found(&h, "Chloé O'Brien"));
}

static void
test_prefix_of_any_name_word(void **state)
{
	struct tu_fixture *fx = *state;
	struct hits h = search(fx, "auw");
	assert_true(found(&h, "Thijs Van Der Auwera"));
	h = search(fx, "vanderau");
	assert_true(found(&h, "Thijs Van Der Auwera"));
	h = search(fx, "obri");
	assert_true(found(&h, "Chloé O'Brien"));
	h = search(fx, "brien"); /* what follows the apostrophe, as heard */
	assert_true(found(&h, "Chloé O'Brien"));
	h = search(fx, "pieter-j");
	assert_true(found(&h, "Pieter-Jan de Vries"));
	h = search(fx, "vries");
	assert_true(found(&h, "Pieter-Jan de Vries"));
	/* Prefix, not substring: "ssens" is inside Janssens but starts no word. */
	h = search(fx, "ssens");
	assert_int_equal(h.n, 0);
	h = search(fx, "محمد");
	assert_int_equal(h.n, 1);
}

static void
test_several_words_narrow(void **state)
{
	struct tu_fixture *fx = *state;
	struct hits h = search(fx, "zoe cel");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Zoë Çelik"));
	h = search(fx, "jan jans");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Jan Janssens"));
}

/* A group's tickets bought on one address: Julie's carries Bram's e-mail.
 * Typing Bram's name at the door lists Bram first (Enter picks the first
 * listed), Julie after him, though "goossens" sorts before "lefevre". A
 * name the typed word is not in as folded ("mueller" for Müller) is a
 * name's match too, ahead of an e-mail's. */
static void
test_name_match_before_email_match(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const group[][3] = {
		{ "Julie", "Goossens", "bram.lefevre@example.be" },
		{ "Bram", "Lefèvre", "bram.lefevre@example.be" },
		{ "Anke", "Van Der Lefe", "anke@example.be" },
		{ "Eva", "Aerts", "mueller.jonas@example.de" },
		{ "Jonas", "Müller", "jonas@example.de" },
	};
	for (size_t i = 0; i < sizeof group / sizeof group[0]; i++) {
		struct guest_fields f = { .first_name = group[i][0], .last_name = group[i][1],
		    .email = group[i][2] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	struct hits h = search(fx, "lefev");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.names[0], "Bram Lefèvre");
	assert_string_equal(h.names[1], "Julie Goossens");
	h = search(fx, "bram lef");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.names[0], "Bram Lefèvre");
	assert_string_equal(h.names[1], "Julie Goossens");
	h = search(fx, "lef bram"); /* the words in either order */
	assert_int_equal(h.n, 2);
	assert_string_equal(h.names[0], "Bram Lefèvre");
	h = search(fx, "Lefèvre, Bram");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.names[0], "Bram Lefèvre");
	/* The names first, the surname typed whole (Van Der Lefe: its
	 * particles need not be typed) before one it starts; then Julie. */
	h = search(fx, "lefe");
	assert_int_equal(h.n, 3);
	assert_string_equal(h.names[0], "Anke Van Der Lefe");
	assert_string_equal(h.names[1], "Bram Lefèvre");
	assert_string_equal(h.names[2], "Julie Goossens");
	h = search(fx, "mueller");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.names[0], "Jonas Müller");
	assert_string_equal(h.names[1], "Eva Aerts");
}

static void
test_email_prefix(void **state)
{
	struct tu_fixture *fx = *state;
	struct hits h = search(fx, "zoe.celik@");
	assert_int_equal(h.n, 1);
	h = search(fx, "lukasz@ex");
	assert_int_equal(h.n, 1);
}

static void
test_list_not_on_show(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(search(fx, "").n, 0);
	assert_int_equal(search(fx, "z").n, 0);
	assert_int_equal(search(fx, "  ' - ").n, 0);
	assert_int_equal(search(fx, "%").n, 0);
	assert_int_equal(search(fx, "_").n, 0);
	assert_int_equal(search(fx, "zo").n, 2);
}

/* Every word typed narrows by a word prefix, the fourth too, however it
 * is typed: "Martens, Zoe" or "zoe,mar" as a name is written in a list. */
static void
test_every_typed_word_narrows(void **state)
{
	struct tu_fixture *fx = *state;
	struct guest_fields f = { .first_name = "Thijs", .last_name = "Van Der Berg" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
	guest_clear(&g);

	struct hits h = search(fx, "thijs van der au");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Thijs Van Der Auwera"));
	h = search(fx, "zoe,mar");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Zoe Martens"));
	h = search(fx, "Martens, Zoe");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Zoe Martens"));
	/* Each word is a prefix, not any part of a word, also when another
	 * word leads the search ("martens" is rarer than "ens..."). */
	static const char *const ensors[] = { "Els", "Eva", "Ed" };
	for (size_t i = 0; i < 3; i++) {
		struct guest_fields e = { .first_name = ensors[i], .last_name = "Ensor" };
		assert_int_equal(guest_add_walkin(fx->s, &e, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	assert_int_equal(search(fx, "martens ens").n, 0);
	assert_int_equal(search(fx, "ens").n, 3);
	assert_int_equal(search(fx, "zoe mart").n, 1);
}

/* A no-break or thin space between two typed words (a name pasted from a
 * web page or a mail, or AltGr+Space on a Belgian keyboard) parts them as
 * a space does, as it parts a name's words in the index. */
static void
test_typed_no_break_space_parts_words(void **state)
{
	struct tu_fixture *fx = *state;
	struct hits h = search(fx, "zo\xc3\xab\xc2\xa0\xc3\xa7" "elik");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Zoë Çelik"));
	h = search(fx, "\xc2\xa0jan\xe2\x80\x89janssens\xc2\xa0");
	assert_int_equal(h.n, 1);
	assert_true(found(&h, "Jan Janssens"));
	assert_int_equal(search(fx, "\xc2\xa0z\xc2\xa0").n, 0);
}

/* A name the list writes as one word is found typed with its particles
 * apart, as staff hear it: Vandenberghe by "van den berghe", Desmet by
 * "de smet", McDonald by "mc donald". Each guest once, the limit over
 * both, and in the order of rank.h: the surname typed whole (joined or
 * not) before the words found the other way round (Berghe Van Den). */
static void
test_particles_typed_apart(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const names[][2] = {
		{ "Wim", "Vandenberghe" }, { "Els", "Desmet" }, { "Ian", "McDonald" },
		{ "Berghe", "Van Den" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct guest_fields f = { .first_name = names[i][0], .last_name = names[i][1] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	struct hits h = search(fx, "van den berghe");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.names[0], "Wim Vandenberghe");
	assert_string_equal(h.names[1], "Berghe Van Den");
	h = search(fx, "wim van den b");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Wim Vandenberghe");
	h = search(fx, "van den");   /* still typing */
	assert_true(found(&h, "Wim Vandenberghe"));
	assert_true(found(&h, "Berghe Van Den"));
	assert_true(found(&h, "Thijs Van Der Auwera") == 0);
	h = search(fx, "de smet");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Els Desmet");
	h = search(fx, "Mc Donald Ian");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Ian McDonald");
	/* a particle that starts no word joined: nothing more */
	assert_int_equal(search(fx, "de zoe").n, 0);
	char *cause = NULL;
	struct hits one;
	memset(&one, 0, sizeof one);
	assert_int_equal(guest_search(fx->s, "van den berghe", 1, collect, &one, &cause), 1);
	assert_int_equal(one.n, 1);
	assert_string_equal(one.names[0], "Wim Vandenberghe");
}

/* The other spellings staff type: an umlaut as ae/oe/ue, a name written
 * whole family name first, an apostrophe a list gave as an accent. */
static void
test_spellings_people_type(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const names[][2] = {
		{ "Jürgen", "Müller" }, { "小龍", "李" }, { "Pieter", "D\xc2\xb4Hondt" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct guest_fields f = { .first_name = names[i][0], .last_name = names[i][1] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	static const char *const typed[][2] = {
		{ "mueller", "Jürgen Müller" }, { "juergen muel", "Jürgen Müller" },
		{ "muller", "Jürgen Müller" }, { "李小龍", "小龍 李" }, { "小龍李", "小龍 李" },
		{ "hondt", "Pieter D\xc2\xb4Hondt" }, { "pieter d'hondt", "Pieter D\xc2\xb4Hondt" },
	};
	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		struct hits h = search(fx, typed[i][0]);
		assert_int_equal(h.n, 1);
		assert_string_equal(h.names[0], typed[i][1]);
	}
}

/* An umlaut typed finds the name a list wrote without it ("müller" finds
 * Mueller, "øystein" Oeystein), listed after the names as typed. */
static void
test_umlaut_typed_finds_it_spelt(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const names[][2] = {
		{ "Hans", "Mueller" }, { "Jürgen", "Müller" }, { "Oeystein", "Berg" },
		{ "Lukas", "Muller" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct guest_fields f = { .first_name = names[i][0], .last_name = names[i][1] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	struct hits h = search(fx, "müller");
	assert_int_equal(h.n, 3);
	assert_string_equal(h.names[0], "Jürgen Müller");
	assert_string_equal(h.names[1], "Lukas Muller");
	assert_string_equal(h.names[2], "Hans Mueller");
	h = search(fx, "hans mül");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Hans Mueller");
	h = search(fx, "Øystein");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Oeystein Berg");
	/* Spelt out, the name is not looked for with its umlauts dropped:
	 * "muel" does not find Muller. */
	h = search(fx, "muel");
	assert_int_equal(h.n, 2);
}

/* The door walk-through at an Antwerp meetup: at 1280x720 three rows
 * show above the on-screen keyboard and Return picks the first, yet "van
 * de" listed Vanessa Devos and Dennis Van Acker above the Van de Veldes,
 * and "jan pe" Peter Jansen above Jan Peeters. The surname as typed comes
 * first, then what it starts, whole first names, the other way round. */
static void
test_antwerp_door_order(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const names[][3] = {
		{ "Vanessa", "Devos", "vanessa@example.be" },
		{ "Dennis", "Van Acker", "dennis@example.be" },
		{ "Piet", "van der Linden", "piet@example.be" },
		{ "Koen", "Vandenberghe", "koen@example.be" },
		{ "Lies", "Vandevelde", "lies@example.be" },
		{ "Jan", "Van de Velde", "jan.vdv@example.be" },
		{ "Els", "Van de Velde", "els@example.be" },
		{ "Tom", "De Smet", "tom@example.be" },
		{ "Ann", "Desmet", "ann@example.be" },
		{ "Marc", "D'Hondt", "marc@example.be" },
		{ "Claire", "Lefèvre-Dubois", "claire@example.be" },
		{ "Peter", "Jansen", "peter@example.be" },
		{ "Janine", "Peeters", "janine@example.be" },
		{ "Jan", "Peters", "jp@example.be" },
		{ "Jan", "Peeters", "jan.peeters@example.be" },
		{ "Eva", "Janssens", "peeters.family@example.be" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct guest_fields f = { .first_name = names[i][0], .last_name = names[i][1],
		    .email = names[i][2] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	struct hits h = search(fx, "van de");
	assert_true(h.n >= 7);
	assert_string_equal(h.names[0], "Els Van de Velde");
	assert_string_equal(h.names[1], "Jan Van de Velde");
	/* then the surnames "van de" starts, Vandevelde among them (found
	 * with the particles joined), in name order */
	assert_string_equal(h.names[2], "Koen Vandenberghe");
	assert_string_equal(h.names[3], "Piet van der Linden");
	assert_string_equal(h.names[4], "Lies Vandevelde");
	assert_string_equal(h.names[5], "Vanessa Devos");
	assert_string_equal(h.names[6], "Dennis Van Acker");
	h = search(fx, "jan pe");
	assert_int_equal(h.n, 5);
	assert_string_equal(h.names[0], "Jan Peeters");
	assert_string_equal(h.names[1], "Jan Peters");
	assert_string_equal(h.names[2], "Janine Peeters");
	assert_string_equal(h.names[3], "Peter Jansen");
	assert_string_equal(h.names[4], "Eva Janssens");   /* by her e-mail alone */
	h = search(fx, "peeters");
	assert_int_equal(h.n, 3);
	assert_string_equal(h.names[2], "Eva Janssens");
	h = search(fx, "jan peters");
	assert_string_equal(h.names[0], "Jan Peters");
	h = search(fx, "de smet");
	assert_int_equal(h.n, 2);
	h = search(fx, "linden");
	assert_string_equal(h.names[0], "Piet van der Linden");
	h = search(fx, "dhondt");
	assert_string_equal(h.names[0], "Marc D'Hondt");
}

/* Matches of one rank are listed by last name, then first name; a first
 * name typed whole before those it only starts. */
static void
test_results_by_last_name(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const names[][2] = {
		{ "Sam", "Zeller" }, { "Samuel", "Adams" }, { "Samira", "Maes" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct guest_fields f = { .first_name = names[i][0], .last_name = names[i][1] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	struct hits h = search(fx, "sam");
	assert_int_equal(h.n, 3);
	assert_string_equal(h.names[0], "Sam Zeller");
	assert_string_equal(h.names[1], "Samuel Adams");
	assert_string_equal(h.names[2], "Samira Maes");
	h = search(fx, "sami");
	assert_int_equal(h.n, 1);
}

static void
test_results_ordered_and_limited(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const lasts[] = { "Zeller", "Çakır", "de Bruin" };
	for (int i = 0; i < 3; i++) {
		struct guest_fields f = { .first_name = "Sam", .last_name = lasts[i] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	struct hits h;
	char *cause = NULL;
	memset(&h, 0, sizeof h);
	assert_int_equal(guest_search(fx->s, "sam", 2, collect, &h, &cause), 2);
	/* By folded last name: Çakır with the Cs, de Bruin with the Ds. */
	assert_string_equal(h.names[0], "Sam Çakır");
	assert_string_equal(h.names[1], "Sam de Bruin");
}

/* The codes a scanner's min_length must let through (kiosk doctor, kiosk
 * import): counted in characters, as a scanner types them ("Zoë1" is
 * four, in five bytes); an empty list has no shortest code. */
static void
test_short_codes(void **state)
{
	struct tu_fixture *fx = *state;
	int64_t n = -1;
	int shortest = -1;
	assert_int_equal(guest_short_codes(fx->s, 6, &n, &shortest, NULL), 0);
	assert_int_equal(n, 0);                 /* the walk-ins' codes of ours are long */
	assert_true(shortest > CODE_BODY_LEN);
	static const char *const codes[] = { "A7K", "0042", "Zo\xc3\xab" "1", "QK3TA" };
	assert_int_equal(store_begin(fx->s, NULL), 0);
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		struct guest_fields f = { .first_name = "Form", .last_name = codes[i] };
		assert_int_equal(guest_insert(fx->s, &f, codes[i], "import", false, NULL, "t", NULL,
		    NULL, NULL), 0);
	}
	assert_int_equal(store_commit(fx->s, NULL), 0);
	assert_int_equal(guest_short_codes(fx->s, 6, &n, &shortest, NULL), 0);
	assert_int_equal(n, 4);
	assert_int_equal(shortest, 3);
	assert_int_equal(guest_short_codes(fx->s, 5, &n, &shortest, NULL), 0);
	assert_int_equal(n, 3);
	assert_int_equal(guest_short_codes(fx->s, 3, &n, &shortest, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(shortest, 3);
}

static void
test_short_codes_of_no_list(void **state)
{
	struct tu_fixture *fx = *state;
	int64_t n = -1;
	int shortest = -1;
	assert_int_equal(guest_short_codes(fx->s, 6, &n, &shortest, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(shortest, 0);
}

static void
test_common_word_does_not_hide_a_guest(void **state)
{
	struct tu_fixture *fx = *state;
	/* A big Flemish event: "van" starts a word of over a thousand guests. */
	assert_int_equal(store_begin(fx->s, NULL), 0);
	for (int i = 0; i < 1100; i++) {
		char last[32], code[32];
		snprintf(last, sizeof last, "van Aert %d", i);
		snprintf(code, sizeof code, "C%d", i);
		struct guest_fields f = { .first_name = "Wout", .last_name = last };
		assert_int_equal(guest_insert(fx->s, &f, code, "import", false, NULL, "t", NULL,
		    NULL, NULL), 0);
	}
	struct guest_fields jan = { .first_name = "Jan", .last_name = "van Dijk" };
	assert_int_equal(guest_insert(fx->s, &jan, "JAN", "import", false, NULL, "t", NULL, NULL,
	    NULL), 0);
	assert_int_equal(store_commit(fx->s, NULL), 0);
	/* Typed as door staff type it: the rare word leads the search. */
	struct hits h = search(fx, "van dij");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Jan van Dijk");
	h = search(fx, "dij van");
	assert_int_equal(h.n, 1);
}

/* Over the search's candidate cap, index entries come in word order: an
 * exact first name must still be among them, ahead of longer names that
 * start with it, whatever its e-mail address makes of it. */
static void
test_exact_name_within_the_cap(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(store_begin(fx->s, NULL), 0);
	for (int i = 0; i < 400; i++) {
		char last[32], email[64], code[32];
		snprintf(last, sizeof last, "Zz%03d", i);
		snprintf(email, sizeof email, "pieter.zz%03d@example.org", i);
		snprintf(code, sizeof code, "P%d", i);
		struct guest_fields f = { .first_name = "Pieter", .last_name = last,
		    .email = email };
		assert_int_equal(guest_insert(fx->s, &f, code, "import", false, NULL, "t", NULL,
		    NULL, NULL), 0);
	}
	struct guest_fields piet = { .first_name = "Piet", .last_name = "Zwart",
	    .email = "piet.zwart@example.org" };
	assert_int_equal(guest_insert(fx->s, &piet, "PIET", "import", false, NULL, "t", NULL,
	    NULL, NULL), 0);
	assert_int_equal(store_commit(fx->s, NULL), 0);
	struct hits h = search(fx, "piet");
	assert_true(found(&h, "Piet Zwart"));
}

/* Both typed words common, each over the candidate cap: "de vries" in a
 * big Flemish list. The rarer, longer word must lead, or the candidates are
 * all "de Smet" and the de Vries family is not found at all. */
static void
test_two_common_words(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(store_begin(fx->s, NULL), 0);
	for (int i = 0; i < 1400; i++) {
		char first[32], code[32];
		snprintf(first, sizeof first, "Guest%04d", i);
		snprintf(code, sizeof code, "DV%d", i);
		/* The de Smets were imported first: their ids come first. */
		struct guest_fields f = { .first_name = first,
		    .last_name = i < 800 ? "de Smet" : "de Vries" };
		assert_int_equal(guest_insert(fx->s, &f, code, "import", false, NULL, "t", NULL,
		    NULL, NULL), 0);
	}
	assert_int_equal(store_commit(fx->s, NULL), 0);
	struct hits h = search(fx, "de vries");
	assert_int_equal(h.n, 16); /* as many as collect keeps */
	for (int i = 0; i < h.n; i++)
		assert_non_null(strstr(h.names[i], "de Vries"));
	h = search(fx, "vries de");
	assert_int_equal(h.n, 16);
}

/* A whole name of two common words, each over the candidate cap and no
 * letter left to type: at a large conference "Wei" and "Wang" each start
 * the words of hundreds of guests, and the Wei Wang who registered last
 * (or a walk-in) must still be found, in either order. */
static void
test_whole_name_of_two_common_words(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_namesakes(fx->s, "Wei", NULL, 600, "WEI"), 0);
	assert_int_equal(tu_namesakes(fx->s, NULL, "Wang", 600, "WANG"), 0);
	struct guest_fields f = { .first_name = "Wei", .last_name = "Wang" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
	guest_clear(&g);
	struct hits h = search(fx, "wei wang");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.names[0], "Wei Wang");
	h = search(fx, "wang wei");
	assert_int_equal(h.n, 1);
	/* One word short of the whole name: listed first, by last name. */
	h = search(fx, "wang we");
	assert_int_equal(h.n, 1);
}

/* Two words that each start more names than are looked at ("jan pa" at
 * a large event): what is listed may not be all, and the search says so,
 * rather than let "Nobody found" send staff to register a guest who is on
 * the list. */
static void
test_capped_search_says_more_may_match(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_namesakes(fx->s, "Jan", NULL, 2100, "JAN"), 0);
	assert_int_equal(tu_namesakes(fx->s, NULL, "Pauwels", 2100, "PA"), 0);
	struct guest_fields f = { .first_name = "Jan", .last_name = "Pauwels" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
	guest_clear(&g);
	struct hits h;
	memset(&h, 0, sizeof h);
	bool more = false;
	char *cause = NULL;
	int n = guest_search_more(fx->s, "jan pau", 6, collect, &h, &more, &cause);
	assert_true(n >= 0 && n < 6);
	assert_true(more);
	memset(&h, 0, sizeof h);
	n = guest_search_more(fx->s, "pauwels ja", 6, collect, &h, &more, &cause);
	assert_true(n >= 0 && n < 6);
	assert_true(more);
	/* One word within SEARCH_CAP_WIDE's names ("smet", 1,001 of them)
	 * beside one past it: that word's names are all looked at, and the
	 * guest who registered last is found. */
	assert_int_equal(tu_namesakes(fx->s, NULL, "Smet", 1000, "SMET"), 0);
	struct guest_fields js = { .first_name = "Jan", .last_name = "Smet" };
	assert_int_equal(guest_add_walkin(fx->s, &js, "Desk", &g, NULL), 0);
	guest_clear(&g);
	memset(&h, 0, sizeof h);
	assert_int_equal(guest_search_more(fx->s, "jan smet", 6, collect, &h, &more, &cause), 1);
	assert_string_equal(h.names[0], "Jan Smet");
	assert_false(more);
	/* and so are 2,000 of them, SEARCH_CAP_WIDE's names exactly: Jan Smet
	 * registered in the middle of them */
	assert_int_equal(tu_namesakes(fx->s, NULL, "Smet", 999, "SMETB"), 0);
	memset(&h, 0, sizeof h);
	assert_int_equal(guest_search_more(fx->s, "jan smet", 6, collect, &h, &more, &cause), 1);
	assert_string_equal(h.names[0], "Jan Smet");
	assert_false(more);
	/* a list that is whole says nothing more */
	memset(&h, 0, sizeof h);
	more = true;
	assert_int_equal(guest_search_more(fx->s, "zoe cel", 6, collect, &h, &more, &cause), 1);
	assert_false(more);
	more = true;
	assert_int_equal(guest_search_more(fx->s, "z", 6, collect, &h, &more, &cause), 0);
	assert_false(more);
}

/* A one-word search over the candidate cap ("jan" at a large event) asked
 * for more guests than it looks at (kiosk guests --search jan --limit
 * 1000): it lists what it found and says more may match. */
static void
test_one_common_word_says_more_may_match(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_namesakes(fx->s, "Jan", NULL, 600, "JAN"), 0);
	struct hits h;
	memset(&h, 0, sizeof h);
	bool more = false;
	char *cause = NULL;
	int n = guest_search_more(fx->s, "jan", 1000, collect, &h, &more, &cause);
	assert_true(n > 0 && n < 601);
	assert_true(more);
}

/* The name as typed, and with its particles joined ("van dam" and
 * "vandam"): together as many guests as asked for, no more, in one order
 * (rank.h): van Dam, then the Vandammes the name starts, then Damian van
 * Loon, whose names the words start the other way round. */
static void
test_joined_search_fills_the_list_to_its_limit(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const names[][2] = {
		{ "Anna", "van Dam" }, { "Damian", "van Loon" }, { "Bert", "Vandamme" },
		{ "Carla", "Vandamme" }, { "Dirk", "Vandamme" }, { "Els", "Vandamme" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct guest_fields f = { .first_name = names[i][0], .last_name = names[i][1] };
		struct guest g;
		assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	for (int limit = 3; limit <= 4; limit++) {
		struct hits h;
		memset(&h, 0, sizeof h);
		char *cause = NULL;
		int n = guest_search_more(fx->s, "van dam", limit, collect, &h, NULL, &cause);
		assert_int_equal(n, limit);
		assert_int_equal(h.n, limit);
		assert_string_equal(h.names[0], "Anna van Dam");
		assert_string_equal(h.names[1], "Bert Vandamme");
		assert_string_equal(h.names[2], "Carla Vandamme");
		assert_true(found(&h, "Damian van Loon") == 0);
	}
	struct hits all;
	memset(&all, 0, sizeof all);
	char *cause = NULL;
	assert_int_equal(guest_search_more(fx->s, "van dam", 10, collect, &all, NULL, &cause), 6);
	assert_string_equal(all.names[5], "Damian van Loon");
}

/* A walk-in's twin on the list: the guest of both the name and the
 * e-mail, before one who only shares the e-mail (a couple's address)
 * and was listed first; and a guest known by a last name alone. */
static void
test_twin_of_name_and_email_comes_first(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const listed[][3] = {
		{ "Anke", "Smit", "smit@example.org" },
		{ "Bas", "Smit", "smit@example.org" },
		{ "", "Peeters", "" },
	};
	for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++) {
		struct guest_fields f = { .first_name = listed[i][0], .last_name = listed[i][1],
		    .email = listed[i][2] };
		assert_int_equal(guest_insert(fx->s, &f, listed[i][1][0] == 'S' ?
		    (i ? "SMIT2" : "SMIT1") : "PEET", "import", false, NULL, "t", NULL, NULL,
		    NULL), 0);
	}
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_find_twin(fx->s, "Bas", "Smit", "SMIT@example.org", 0, &g,
	    &cause), GUEST_TWIN_NAME);
	assert_string_equal(g.first_name, "Bas");
	guest_clear(&g);
	assert_int_equal(guest_find_twin(fx->s, "Carl", "Smit", "smit@example.org", 0, &g,
	    &cause), GUEST_TWIN_EMAIL);
	assert_string_equal(g.first_name, "Anke");
	guest_clear(&g);
	assert_int_equal(guest_find_twin(fx->s, "", "Peeters", "", 0, &g, &cause),
	    GUEST_TWIN_NAME);
	assert_string_equal(g.code, "PEET");
	guest_clear(&g);
}

static void
test_email_domains_are_not_words(void **state)
{
	struct tu_fixture *fx = *state;
	/* Every guest shares the domain: typing it must not list them all. */
	assert_int_equal(search(fx, "example").n, 0);
	assert_int_equal(search(fx, "org").n, 0);
	/* The whole address still finds its guest. */
	assert_int_equal(search(fx, "zoe.celik@example.org").n, 1);
}

static void
test_walkin_needs_a_name_and_gets_our_code(void **state)
{
	struct tu_fixture *fx = *state;
	struct guest_fields none = { .email = "x@example.org" };
	struct guest g;
	char *cause = NULL;
	char tag[CODE_TAG_MAX + 1];
	assert_int_equal(guest_add_walkin(fx->s, &none, "Desk", &g, &cause), -1);
	assert_non_null(strstr(cause, "name"));
	free(cause);
	/* Zero-width and no-break spaces are no name either, as in an import. */
	struct guest_fields blank = { .first_name = "\xe2\x80\x8b", .last_name = " \xc2\xa0" };
	cause = NULL;
	assert_int_equal(guest_add_walkin(fx->s, &blank, "Desk", &g, &cause), -1);
	assert_non_null(strstr(cause, "name"));
	free(cause);
	/* Padding pasted around a field is taken off, as an import does. */
	struct guest_fields f = { .first_name = "\xc2\xa0Walk", .last_name = "In\xe2\x80\x8b",
	    .email = "walk.in@example.org\xc2\xa0" };
	assert_int_equal(guest_add_walkin(fx->s, &f, "Desk", &g, NULL), 0);
	assert_string_equal(g.first_name, "Walk");
	assert_string_equal(g.last_name, "In");
	assert_string_equal(g.email, "walk.in@example.org");
	assert_true(code_parse_ours(g.code, tag));
	assert_string_equal(tag, "TEST26");
	assert_string_equal(g.source, "walkin");
	struct guest again;
	assert_int_equal(guest_find_by_code(fx->s, g.code, &again, NULL), 1);
	assert_string_equal(again.uuid, g.uuid);
	guest_clear(&again);
	guest_clear(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_added_at, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_short_codes, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_short_codes_of_no_list, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_query_ready, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_diacritics_and_case_ignored, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_prefix_of_any_name_word, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_several_words_narrow, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_every_typed_word_narrows, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_typed_no_break_space_parts_words, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_particles_typed_apart, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_spellings_people_type, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_umlaut_typed_finds_it_spelt, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_antwerp_door_order, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_results_by_last_name, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_email_prefix, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_list_not_on_show, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_results_ordered_and_limited, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_exact_name_within_the_cap, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_two_common_words, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_capped_search_says_more_may_match, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_whole_name_of_two_common_words, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_one_common_word_says_more_may_match, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_joined_search_fills_the_list_to_its_limit, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_twin_of_name_and_email_comes_first, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_email_domains_are_not_words, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_name_match_before_email_match, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_common_word_does_not_hide_a_guest, setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_walkin_needs_a_name_and_gets_our_code, setup,
		    tu_teardown),
	};
	return cmocka_run_group_tests_name("guest", tests, NULL, NULL);
}
