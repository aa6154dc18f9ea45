/* Tests for import: what an organiser sees when importing and re-importing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/checkin.h"
#include "core/fold.h"
#include "core/guest.h"
#include "core/import.h"
#include "testutil.h"
#include "testzip.h"

#include <zip.h>

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif


/* Import text, with import_allow_new_codes when new_codes; returns 0 and
 * *rep, or -1 and *cause for import_apply's refusal, failing the test on
 * a file it cannot read. */
static int
import_try(struct store *s, const char *text, bool new_codes, struct import_report *rep,
    char **cause)
{
	struct import_plan *p = NULL;
	memset(rep, 0, sizeof *rep);
	if (import_read_mem(text, strlen(text), "test.csv", NULL, 0, &p, cause) != 0)
		fail_msg("import_read_mem: %s", *cause);
	if (new_codes)
		import_allow_new_codes(p);
	int rc = import_apply(s, p, false, "test", NULL, NULL, rep, cause);
	import_free(p);
	return rc;
}

/* Import text; returns the report, failing the test on a file-level error. */
static struct import_report
import_text(struct store *s, const char *text)
{
	struct import_report rep;
	char *cause = NULL;
	if (import_try(s, text, false, &rep, &cause) != 0)
		fail_msg("import_apply: %s", cause);
	return rep;
}

static void
test_samples_import_completely(void **state)
{
	struct tu_fixture *fx = *state;
	static const struct { const char *file; size_t rows; } samples[] = {
		{ TEST_DATA "/eventbrite-attendees.csv", 40 },
		{ TEST_DATA "/excel-nl-utf8.csv", 25 },
		{ TEST_DATA "/meetup-rsvps.csv", 30 },
	};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		struct import_plan *p = NULL;
		struct import_report rep;
		char *cause = NULL;
		if (import_read(samples[i].file, NULL, 0, &p, &cause) != 0)
			fail_msg("%s: %s", samples[i].file, cause);
		assert_int_equal(import_rejects(p), 0);
		assert_int_equal(import_rows(p), samples[i].rows);
		assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
		assert_int_equal(rep.added, samples[i].rows);
		import_free(p);
	}
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 95);
	/* Eventbrite barcodes are kept as issued. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code ="
	    " '8184922608941621308297001'"), 1);
	/* Meetup has no codes: ours were made, with the event tag. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code LIKE 'TEST26-%'"),
	    55);
	/* Unmapped columns are kept as extra fields. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " json_extract(extra, '$.\"Job Title\"') = 'Marketeer and blogger'"), 6);
	/* Every guest's every word is in the search index, and nothing else
	 * (words go in many to a statement: none lost at a batch's edge). */
	int indexed = tu_count(fx->s, "SELECT count(*) FROM guest_word");
	assert_true(indexed > 95 * 2);
	assert_int_equal(indexed, tu_count(fx->s, "SELECT sum(length(words) -"
	    " length(replace(words, ' ', '')) - 1) FROM guest"));
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest g WHERE NOT EXISTS"
	    " (SELECT 1 FROM guest_word w WHERE w.guest_id = g.id)"), 0);
}

static void
test_reimport_updates_adds_keeps(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s,
	    "First Name,Last Name,Email,Company,Barcode #\n"
	    "Zoë,Çelik,zoe@example.org,Acme,111\n"
	    "Jan,Peeters,jan@example.org,,222\n"
	    "Els,Maes,els@example.org,,333\n");
	assert_int_equal(r.added, 3);

	/* Jan checks in before the organiser re-imports. */
	struct checkin_policy pol = { 0 };
	struct checkin_outcome o;
	assert_int_equal(checkin_scan(fx->s, "222", 3, "Door 1", &pol, 1000, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);

	r = import_text(fx->s,
	    "First Name,Last Name,Email,Company,Barcode #\n"
	    "Zoë,Çelik,zoe@example.org,Acme Corp,111\n"
	    "Jan,Peeters,jan@example.org,,222\n"
	    "Nina,Smit,nina@example.org,,444\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.unchanged, 1);
	/* Els is not in the new file but is never dropped. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 4);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE company = 'Acme Corp'"),
	    1);
	/* Jan's check-in survived. */
	assert_int_equal(checkin_scan(fx->s, "222", 3, "Door 1", &pol, 2000, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_ALREADY);
	checkin_outcome_clear(&o);
}

/* A re-import that changes what a badge shows (a name corrected, an
 * upgrade to VIP, a company) names those rows, for the organiser to print
 * their badges again; an e-mail, an extra field or a cancellation is no
 * badge's, nor is a cancelled guest's change. */
static void
test_reimport_names_changed_badges(void **state)
{
	struct tu_fixture *fx = *state;
	static const char head[] = "First Name,Last Name,Email,Company,Ticket Type,Size,"
	    "Attendee Status,Barcode #\n";
	char *first = xasprintf("%s"
	    "Zoe,Celik,zoe@example.org,Acme,Regular,M,Attending,111\n"
	    "Jan,Peeters,jan@example.org,,Regular,L,Attending,222\n"
	    "Els,Maes,els@example.org,,Regular,S,Attending,333\n"
	    "Nina,Smit,nina@example.org,,Regular,S,Attending,444\n"
	    "Tom,Wouters,tom@example.org,,Regular,S,Attending,555\n", head);
	struct import_report r = import_text(fx->s, first);
	assert_int_equal(r.added, 5);
	assert_int_equal(r.rebadged, 0);
	char *second = xasprintf("%s"
	    "Zoë,Çelik,zoe@example.org,Acme,Regular,M,Attending,111\n" /* line 2: name */
	    "Jan,Peeters,jan@example.be,,Regular,XL,Attending,222\n"  /* e-mail, extra */
	    "Els,Maes,els@example.org,,VIP,S,Attending,333\n"        /* line 4: type */
	    "Nina,Smit,nina@example.org,Smit BV,Regular,S,Not Attending,444\n" /* cancelled */
	    "Tom,Wouters,tom@example.org,,Regular,S,Attending,555\n", head);
	r = import_text(fx->s, second);
	assert_int_equal(r.updated, 4);
	assert_int_equal(r.rebadged, 2);
	assert_int_equal(r.rebadged_lines[0], 2);
	assert_int_equal(r.rebadged_lines[1], 4);
	free(first);
	free(second);
}

static int
count_hits(const struct guest *g, void *arg)
{
	(void)g;
	(*(int *)arg)++;
	return 0;
}

/* Each space-separated query in qs finds n guests. */
static void
assert_hits(struct store *s, const char *qs, int n)
{
	char *all = xstrdup(qs), *save = NULL;
	for (char *q = strtok_r(all, " ", &save); q != NULL; q = strtok_r(NULL, " ", &save)) {
		int got = 0;
		assert_true(guest_search(s, q, 20, count_hits, &got, NULL) >= 0);
		if (got != n)
			fail_msg("search '%s': %d guests, not %d", q, got, n);
	}
	free(all);
}

/* Every guest's stored words and sort key are those of its stored names,
 * and the search index holds exactly its words; returns the guests. */
static int
words_all_right(struct store *s)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT first_name, last_name, email,"
	    " words, sort_key FROM guest", -1, &st, NULL), SQLITE_OK);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *first = (const char *)sqlite3_column_text(st, 0);
		const char *last = (const char *)sqlite3_column_text(st, 1);
		char *words = fold_search_words(first, last, (const char *)sqlite3_column_text(st, 2));
		char *sort = fold_sort_key(first, last);
		assert_string_equal((const char *)sqlite3_column_text(st, 3), words);
		assert_string_equal((const char *)sqlite3_column_text(st, 4), sort);
		free(words);
		free(sort);
		rows++;
	}
	sqlite3_finalize(st);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM guest_word w JOIN guest g"
	    " ON g.id = w.guest_id WHERE instr(g.words, ' ' || w.word || ' ') > 0"),
	    tu_count(s, "SELECT count(*) FROM guest_word"));
	assert_int_equal(tu_count(s, "SELECT count(*) FROM guest_word"),
	    tu_count(s, "SELECT sum(length(words) - length(replace(words, ' ', '')) - 1)"
	    " FROM guest"));
	return rows;
}

/* A renamed guest is no longer found by the old name, also in a file whose
 * search index holds words this version would not write (older versions
 * indexed "jorisdevries" next to "jorisdevriesexampleorg"), and also when
 * an update that renames nobody came first and rewrote the row's words. */
static void
test_renamed_guest_leaves_the_search_index(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s,
	    "First Name,Last Name,Email,Company,Barcode #\n"
	    "Joris,de Vries,joris.devries@example.org,Acme,111\n");
	assert_int_equal(r.added, 1);
	assert_hits(fx->s, "joris de vries devries jorisdevries", 1);
	/* Name words, and the e-mail words no other word starts. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word"), 5);
	/* As an older version left it: every word of the address too. */
	assert_int_equal(sqlite3_exec(store_db(fx->s),
	    "UPDATE guest SET words = ' joris de vries devries jorisdevries "
	    "jorisdevriesexampleorg ';"
	    "INSERT OR IGNORE INTO guest_word SELECT 'jorisdevries', id FROM guest;",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word"), 6);

	/* Only the company changes: the row gets this version's words, and
	 * the index follows. */
	r = import_text(fx->s,
	    "First Name,Last Name,Email,Company,Barcode #\n"
	    "Joris,de Vries,joris.devries@example.org,Acme Corp,111\n");
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word"), 5);

	r = import_text(fx->s,
	    "First Name,Last Name,Email,Company,Barcode #\n"
	    "Anna,Peeters,anna@example.org,Acme Corp,111\n");
	assert_int_equal(r.updated, 1);
	assert_hits(fx->s, "joris de vries devries jorisdevries", 0);
	assert_hits(fx->s, "anna pee anna@ex", 1);
	/* anna, peeters, annaexampleorg ("anna" of the address is a name word) */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word"), 3);

	/* A new part of the last name: the words both names have stay, the
	 * others go, and the index is the row's words, each once. */
	r = import_text(fx->s,
	    "First Name,Last Name,Email,Company,Barcode #\n"
	    "Anna,Peeters-Claes,anna@example.org,Acme Corp,111\n");
	assert_int_equal(r.updated, 1);
	assert_hits(fx->s, "anna claes", 1);
	assert_hits(fx->s, "peeters anna", 1);
	assert_int_equal(words_all_right(fx->s), 1);
}

/* A re-import that changes the code, the platform's id or the name: the
 * guest is found by each through its index afterwards (they are set apart
 * from the other columns, and only when they change). */
static void
test_indexed_columns_follow_a_reimport(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s,
	    "Attendee #,First Name,Last Name,Barcode #\n"
	    "9001,Anna,Aerts,AAA111\n"
	    "9002,Bert,Bos,BBB222\n");
	assert_int_equal(r.added, 2);
	/* matched by code: a new id and a new last name */
	r = import_text(fx->s, "Attendee #,First Name,Last Name,Barcode #\n"
	    "9101,Anna,Zeger,AAA111\n");
	assert_int_equal(r.updated, 1);
	/* matched by id: a new code, the platform's (new_codes_are_said) */
	char *cause = NULL;
	assert_int_equal(import_try(fx->s, "Attendee #,First Name,Last Name,Barcode #\n"
	    "9002,Bert,Bos,CCC333\n", true, &r, &cause), 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest INDEXED BY guest_ext_id"
	    " WHERE ext_id = '9101' AND last_name = 'Zeger'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest INDEXED BY guest_ext_id"
	    " WHERE ext_id = '9001'"), 0);
	char *sort = fold_sort_key("Anna", "Zeger");
	char *sql = sqlite3_mprintf("SELECT count(*) FROM guest INDEXED BY guest_sort"
	    " WHERE sort_key = %Q", sort);
	assert_int_equal(tu_count(fx->s, sql), 1);
	sqlite3_free(sql);
	free(sort);
	struct guest g;
	assert_int_equal(guest_find_by_code(fx->s, "CCC333", &g, &cause), 1);
	assert_string_equal(g.last_name, "Bos");
	guest_clear(&g);
	assert_int_equal(guest_find_by_code(fx->s, "BBB222", &g, &cause), 0);
	/* the same file again changes nothing */
	r = import_text(fx->s, "Attendee #,First Name,Last Name,Barcode #\n"
	    "9002,Bert,Bos,CCC333\n");
	assert_int_equal(r.unchanged, 1);
	/* a sort key an older version made is remade by any change */
	assert_int_equal(sqlite3_exec(store_db(fx->s), "UPDATE guest SET sort_key = 'stale'"
	    " WHERE code = 'CCC333'", NULL, NULL, NULL), SQLITE_OK);
	r = import_text(fx->s, "Attendee #,First Name,Last Name,Barcode #,Company\n"
	    "9002,Bert,Bos,CCC333,Acme\n");
	assert_int_equal(r.updated, 1);
	sort = fold_sort_key("Bert", "Bos");
	sql = sqlite3_mprintf("SELECT count(*) FROM guest INDEXED BY guest_sort"
	    " WHERE sort_key = %Q AND code = 'CCC333'", sort);
	assert_int_equal(tu_count(fx->s, sql), 1);
	sqlite3_free(sql);
	free(sort);
	char *check = tu_text(fx->s, "PRAGMA integrity_check");
	assert_string_equal(check, "ok");
	free(check);
}

/* A column of the file's own before an "extra" column of JSON (as our own
 * listing has): the same file again is unchanged (the merge once moved the
 * column's key after the JSON's and called that an update). */
static void
test_same_extras_again_are_unchanged(void **state)
{
	struct tu_fixture *fx = *state;
	const char *csv = "First Name,Last Name,Shirt,extra\n"
	    "Anna,Aerts,M,\"{\"\"Diet\"\":\"\"vegan\"\"}\"\n";
	struct import_report r = import_text(fx->s, csv);
	assert_int_equal(r.added, 1);
	r = import_text(fx->s, csv);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(r.updated, 0);
	char *extra = tu_text(fx->s, "SELECT extra FROM guest");
	assert_non_null(strstr(extra, "\"Diet\":\"vegan\""));
	assert_non_null(strstr(extra, "\"Shirt\":\"M\""));
	free(extra);
}

static void
test_reimport_without_codes_keeps_our_codes(void **state)
{
	struct tu_fixture *fx = *state;
	const char *csv = "Naam;E-mail\nInès Çelik;ines@example.org\nJan Palma;jan@example.org\n";
	import_text(fx->s, csv);
	long long before = tu_count(fx->s, "SELECT sum(length(code)) FROM guest");
	char *codes1 = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3_prepare_v2(store_db(fx->s), "SELECT group_concat(code) FROM guest", -1, &st, NULL);
	sqlite3_step(st);
	codes1 = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);

	struct import_report r = import_text(fx->s, csv);
	assert_int_equal(r.unchanged, 2);
	assert_int_equal(r.added, 0);
	sqlite3_prepare_v2(store_db(fx->s), "SELECT group_concat(code) FROM guest", -1, &st, NULL);
	sqlite3_step(st);
	assert_string_equal(codes1, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(tu_count(fx->s, "SELECT sum(length(code)) FROM guest"), before);
	free(codes1);
}

/* Read a fixture and import it whole; returns the plan (caller frees). */
static struct import_plan *
import_fixture(struct store *s, const char *path, struct import_report *rep)
{
	struct import_plan *p = NULL;
	char *cause = NULL;
	if (import_read(path, NULL, 0, &p, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	if (import_apply(s, p, false, "t", NULL, NULL, rep, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	return p;
}

/* pretix's order data: each order numbers its tickets from 1, so the id is
 * the order code's too (every ticket kept); a ticket with no attendee
 * e-mail gets the order's; a pending order's ticket is let in, said; a
 * cancelled one is cancelled. */
static void
test_pretix_order_export(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report rep;
	struct import_plan *p = import_fixture(fx->s, TEST_DATA "/csv-pretix-orders.csv", &rep);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(rep.added, 5);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE ext_id IN"
	    " ('QK3TA-1', 'QK3TA-2', 'ZM9PL-1', 'HH7KQ-1', 'PN4XW-1')"), 5);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " email = 'ines@agency.example' AND first_name = 'Inès'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " email = 'jan.smit@example.org' AND last_name = 'Smit'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled = 1"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled = 1"
	    " AND last_name = 'Groß'"), 1);
	/* The order's own e-mail stays among the extra fields. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " json_extract(extra, '$.Email') = 'boss@agency.example'"), 2);
	bool pending = false;
	for (size_t i = 0; i < import_warnings(p); i++) {
		size_t line;
		const char *text;
		import_warning(p, i, &line, &text);
		pending = pending || (line == 6 && strstr(text, "order not paid ('Status' is "
		    "'pending')") != NULL);
	}
	assert_true(pending);
	import_free(p);

	/* The same file again: every ticket is its own guest still. */
	p = import_fixture(fx->s, TEST_DATA "/csv-pretix-orders.csv", &rep);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.unchanged, 5);
	import_free(p);
}

/* An event that asked no attendee names: each ticket is its buyer's, and
 * admits at the door by its own secret. */
static void
test_tickets_without_names_take_the_buyers(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report rep;
	struct import_plan *p = import_fixture(fx->s, TEST_DATA "/csv-pretix-noname.csv", &rep);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(rep.added, 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Émile'"
	    " AND last_name = 'Dupont' AND email = 'famille.dupont@example.fr'"), 2);
	import_free(p);
	struct checkin_outcome o;
	struct checkin_policy pol;
	char *cause = NULL;
	memset(&pol, 0, sizeof pol);
	assert_int_equal(checkin_scan(fx->s, "w4c8mzx2nrq7bhv9kdf3jt6yp5ga", 28, "Door 1", &pol,
	    1000, &o, &cause), 0);
	assert_int_equal(o.result, CHECKIN_ADMITTED);
	assert_string_equal(o.guest.first_name, "Émile");
	checkin_outcome_clear(&o);

	/* Tito: a void ticket is cancelled, an unassigned one its buyer's,
	 * each by its own reference. */
	p = import_fixture(fx->s, TEST_DATA "/csv-tito.csv", &rep);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(rep.added, 5);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'XW2B-2'"
	    " AND first_name = 'Jörg'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Dubois'"
	    " AND cancelled = 1"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'De Smet'"
	    " AND email = 'pieter@example.be'"), 1);
	import_free(p);
}

/* The colleague added a "Geannuleerd" column to the platform's export
 * (still "Attending" there): a yes in it cancels on the re-import, a no or
 * a blank keeps the ticket, a word that is neither lets in with a warning
 * naming its line; Annulé and Storniert read the same. */
static void
test_cancel_column_beside_the_status(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s,
	    "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Ann,Peeters,ann@example.org,100001,Attending\n"
	    "Bart,Janssens,bart@example.org,100002,Attending\n"
	    "Carl,Maes,carl@example.org,100003,Attending\n");
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	static const char again[] =
	    "First Name,Last Name,Email,Barcode #,Attendee Status,Geannuleerd \n"
	    "Ann,Peeters,ann@example.org,100001,Attending,Ja\n"
	    "Bart,Janssens,bart@example.org,100002,Attending,\n"
	    "Carl,Maes,carl@example.org,100003,Attending,misschien\n";
	assert_int_equal(import_read_mem(again, strlen(again), "test.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "test", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(import_warnings(p), 1);
	size_t line = 0;
	const char *text = NULL;
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 4);
	assert_non_null(strstr(text, "misschien"));
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled = 1"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '100001'"
	    " AND cancelled = 1"), 1);

	import_text(fx->s,
	    "Prénom,Nom,Email,Barcode #,Annulé\n"
	    "Bart,Janssens,bart@example.org,100002,Oui\n");
	import_text(fx->s,
	    "Vorname,Nachname,Email,Barcode #,Storniert\n"
	    "Carl,Maes,carl@example.org,100003,x\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled = 1"), 3);
}

/* The colleague's copy of the list, every name in capitals (and the
 * addresses too), imported over the platform's: the names as listed
 * before are kept, so the badges printed stay right, and said; a name in
 * small letters before is taken in its proper case; a real change is. */
static void
test_names_in_capitals_keep_their_case(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s,
	    "First Name,Last Name,Email,Barcode #\n"
	    "Ann,Peeters,ann@example.org,100001\n"
	    "bart,janssens,bart@example.org,100002\n"
	    "Chloé,Dubois,chloe@example.org,100003\n"
	    "Dirk,Maes,dirk@example.org,100004\n");
	struct import_report rep = import_text(fx->s,
	    "First Name,Last Name,Email,Barcode #\n"
	    "ANN,PEETERS,ANN@EXAMPLE.ORG,100001\n"
	    "Bart,Janssens,bart@example.org,100002\n"
	    "CHLOÉ,DUBOIS,chloe@example.org,100003\n"
	    "DIRK,MAES-VERMEULEN,dirk@example.org,100004\n");
	assert_int_equal(rep.recased, 3);
	assert_int_equal(rep.recased_lines[0], 2);
	assert_int_equal(rep.recased_lines[1], 4);
	assert_int_equal(rep.recased_lines[2], 5);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(rep.updated, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Ann'"
	    " AND last_name = 'Peeters' AND email = 'ann@example.org'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Bart'"
	    " AND last_name = 'Janssens'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Chloé'"
	    " AND last_name = 'Dubois'"), 1);
	/* a last name changed is taken as the file has it; the first name
	 * beside it, only in capitals now, is kept */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Dirk'"
	    " AND last_name = 'MAES-VERMEULEN'"), 1);
}

/* The platform's export again, rows reordered, one guest's row gone (a
 * refund the platform drops, a colleague's tidying) and one new: the
 * guest gone from the file is kept and said by name and code, not the new
 * one, not one cancelled before, not a walk-in; a list of a few (a
 * speakers' list) says nothing of the many it does not name. */
static void
test_guests_gone_from_the_file_are_said(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s,
	    "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Ann,Peeters,ann@example.org,100001,Attending\n"
	    "Bart,Janssens,bart@example.org,100002,Attending\n"
	    "Chloé,Dubois,chloe@example.org,100003,Attending\n"
	    "Dirk,Maes,dirk@example.org,100004,Attending\n"
	    "Els,Wouters,els@example.org,100005,Attending\n"
	    "Gert,Smet,gert@example.org,100007,Cancelled\n");
	struct guest_fields f = { .first_name = "Walter", .last_name = "In",
		.email = "walter@example.org" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &f, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	struct import_report rep = import_text(fx->s,
	    "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Els,Wouters,els@example.org,100005,Attending\n"
	    "Dirk,Maes,dirk@example.org,100004,Attending\n"
	    "Ann,Peeters,ann@example.org,100001,Attending\n"
	    "Chloé,Dubois,chloe@example.org,100003,Attending\n"
	    "Fien,Claes,fien@example.org,100006,Attending\n");
	assert_int_equal(rep.added, 1);
	assert_int_equal(rep.unchanged, 4);
	assert_int_equal(rep.absent, 1);
	assert_string_equal(rep.absent_names[0], "Bart Janssens (100002)");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '100002'"
	    " AND NOT cancelled"), 1);
	rep = import_text(fx->s, "Name,Email,Barcode #\nSpeaker One,sp1@example.org,SP-1\n");
	assert_int_equal(rep.absent, 0);
}

/* The colleague opened the list in Excel, which read the codes as numbers
 * and dropped their leading zeros ("123" for the ticket's "000123"): the
 * same tickets, whose codes as listed are kept, said; not "codes changed,
 * nothing imported". The other way round too. Another person's "124"
 * (another platform's numbering) is another ticket than "000124". */
static void
test_codes_without_their_zeros(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s,
	    "First Name,Last Name,Email,Barcode #\n"
	    "Ann,Peeters,ann@example.org,000123\n"
	    "Bart,Janssens,bart@example.org,000124\n"
	    "Chloé,Dubois,chloe@example.org,77\n");
	struct import_report rep = import_text(fx->s,
	    "First Name,Last Name,Email,Barcode #\n"
	    "ANN,PEETERS,ann@example.org,123\n"
	    "Zeno,Other,zeno@example.org,124\n"
	    "Chloé,Dubois,chloe@example.org,0077\n");
	assert_int_equal(rep.zeros, 2);
	assert_int_equal(rep.zeros_lines[0], 2);
	assert_int_equal(rep.zeros_lines[1], 4);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(rep.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '000123'"
	    " AND first_name = 'Ann'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '77'"
	    " AND first_name = 'Chloé'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '000124'"
	    " AND first_name = 'Bart'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '124'"
	    " AND first_name = 'Zeno'"), 1);
}

/* "Email" twice: the second address stands in where the first is blank,
 * so the guest can be mailed a ticket and matched by e-mail. */
static void
test_second_email_column_fills_in(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report rep = import_text(fx->s,
	    "First Name,Last Name,Email,Email,Barcode #\n"
	    "Ann,Peeters,ann@example.org,ann.p@work.be,100001\n"
	    "Bart,Janssens,,bart@example.org,100002\n");
	assert_int_equal(rep.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '100001'"
	    " AND email = 'ann@example.org'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '100002'"
	    " AND email = 'bart@example.org'"), 1);
}

/* The list as the colleague "cleaned it up": a totals line below the
 * guests, a platform's "Generated by" line under it, in the first column
 * or in a name column, one alone on its line; each is skipped with a
 * warning naming its line, never made a guest with a ticket. A guest whose
 * name starts so but who has an e-mail is a guest. */
static void
test_footer_lines_are_no_guests(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	static const char text[] =
	    "Order #,First Name,Last Name,Email,Barcode #,Ticket Type\n"
	    ",Speakers,,,,\n"
	    "71,Ann,Peeters,ann@example.org,100001,GA\n"
	    "72,Total,Energie,total@example.org,100002,GA\n"
	    "Total VIP,,,,,1\n"
	    "73,Chloé,Dubois,chloe@example.org,100003,VIP\n"
	    ",Totaal,,,,3\n"
	    "Generated by Eventbrite on 2026-06-20\n";
	assert_int_equal(import_read_mem(text, strlen(text), "test.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "test", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(rep.added, 3);
	static const struct { size_t line; const char *what; } said[] = {
		{ 2, "'Speakers' is alone on its row, with no ticket code: read as a heading" },
		{ 5, "'Total VIP' reads as a totals or footer line" },
		{ 7, "'Totaal' reads as a totals or footer line" },
		{ 8, "'Generated by Eventbrite on 2026-06-20' reads as a totals or footer line" },
	};
	assert_int_equal(import_warnings(p), 4);
	for (size_t i = 0; i < 4; i++) {
		size_t line = 0;
		const char *w = NULL;
		import_warning(p, i, &line, &w);
		assert_int_equal(line, said[i].line);
		if (strstr(w, said[i].what) == NULL)
			fail_msg("line %zu: '%s' lacks '%s'", line, w, said[i].what);
	}
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Total'"
	    " AND code = '100002'"), 1);

	/* A list without ticket codes (a form, names typed in): a name alone
	 * on its row is a guest, whom the organiser may have typed so. */
	struct import_report r2 = import_text(fx->s,
	    "Name,Email\nZoë Maes,zoe@example.org\nJan Smit,\nTotal: 2,\n");
	assert_int_equal(r2.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"), 1);
}

/* A guest is never taken for a footer or a heading: a company's name that
 * starts like a footer ("Total Belgium", "Generated by Design") in the
 * first column of a list without e-mails, whose row has the guest's name;
 * a guest a colleague typed in by hand, without a code, in a list of
 * codes whose name is one column ("Jef Maes"), or the whole name typed in
 * the first name's column. Headings and totals lines stay skipped. */
static void
test_footer_words_in_a_guest_row(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s,
	    "Company,First Name,Last Name,Phone\n"
	    "Total Belgium,Jan,Peeters,0475123456\n"
	    "Acme,Ann,Smit,\n"
	    "Generated by Design,Piet,Claes,\n"
	    "Total,,,3\n");
	assert_int_equal(r.added, 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name IN"
	    " ('Peeters', 'Claes')"), 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Total'"
	    " OR last_name = 'Total'"), 0);

	struct import_report r2 = import_text(fx->s,
	    "Name,Barcode\nAnn Maes,200001\nSpeakers,\nBob Wouters,200002\nJef Maes,\n");
	assert_int_equal(r2.added, 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Jef'"
	    " AND last_name = 'Maes'"), 1);
	/* said, in case it was a heading ("VIP guests") */
	struct import_plan *p = NULL;
	char *cause = NULL;
	static const char text[] = "Name,Barcode\nAnn Maes,200001\nVIP guests,\n";
	assert_int_equal(import_read_mem(text, strlen(text), "t.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_warnings(p), 1);
	size_t line = 0;
	const char *w = NULL;
	import_warning(p, 0, &line, &w);
	assert_int_equal(line, 3);
	if (strstr(w, "'VIP guests' is alone on its row, with no ticket code: imported as a "
	    "guest") == NULL)
		fail_msg("warning: %s", w);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " first_name = 'Speakers' OR last_name = 'Speakers'"), 0);

	struct import_report r3 = import_text(fx->s,
	    "First Name,Last Name,Barcode\nLies,Claes,300001\nVIP,,\nKarel De Smet,,\n");
	assert_int_equal(r3.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " first_name LIKE 'Karel%'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'VIP'"), 0);
}

/* Luma's guest CSV: each ticket admits by the link its QR code holds, as
 * Luma mailed it; a guest the host declined, left on the waiting list or
 * has not approved yet is cancelled; a group's tickets sharing one e-mail
 * are each their own guest; the columns kiosk has no field for are kept. */
static void
test_luma_guest_export(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report rep;
	struct import_plan *p = import_fixture(fx->s, TEST_DATA "/csv-luma.csv", &rep);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(rep.added, 10);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled = 1"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled = 1"
	    " AND last_name IN ('Çelik', 'de Vries', 'Lemaître')"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " email = 'team@peeters-bouw.be' AND ticket_type = 'VIP'"), 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE ext_id = "
	    "'gst-9Lm2Qx7RtY3Bv1c' AND first_name = 'Amélie'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " json_extract(extra, '$.\"What''s your company?\"') = 'Agence Lumière'"), 1);

	struct checkin_policy pol;
	struct checkin_outcome o;
	char *cause = NULL;
	memset(&pol, 0, sizeof pol);
	const char *amelie = "https://luma.com/check-in/evt-Qh7Xk2Lm9PzR4Tn?pk=g-Hq2Vb8Nc4Xs1Lp9";
	assert_int_equal(checkin_scan(fx->s, amelie, strlen(amelie), "Door 1", &pol, 1000, &o,
	    &cause), 0);
	assert_int_equal(o.result, CHECKIN_ADMITTED);
	assert_string_equal(o.guest.first_name, "Amélie");
	checkin_outcome_clear(&o);
	const char *thijs = "https://luma.com/check-in/evt-Qh7Xk2Lm9PzR4Tn?pk=g-Lz1Xc3Vb5Nm7Qw9";
	assert_int_equal(checkin_scan(fx->s, thijs, strlen(thijs), "Door 1", &pol, 1000, &o,
	    &cause), 0);
	assert_int_equal(o.result, CHECKIN_CANCELLED);
	checkin_outcome_clear(&o);
}

/* An Excel for Mac save (Mac Roman, lone CRs): every accented name as
 * written, so that the door finds "Amélie" and her badge says so. */
static void
test_excel_mac_save(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report rep;
	struct import_plan *p = import_fixture(fx->s, TEST_DATA "/csv-excel-mac.csv", &rep);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(import_encoding(p), CSVIN_MACROMAN);
	assert_int_equal(rep.added, 11);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " (first_name, last_name) IN (VALUES ('Amélie', 'Dubois'), ('Jörg', 'Weiß'),"
	    " ('François', 'Lemaître'), ('Inès', 'Çelik'), ('Geneviève', 'Dupré'),"
	    " ('Noël', 'Hüsken'), ('Anaïs', 'Vandenbussche'), ('Björn', 'Ødegård'))"), 8);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE company = 'Café René'"
	    " AND json_extract(extra, '$.Dieetwensen') = 'vegetarisch'"), 1);
}

/* A re-import whose extra fields, laid over those an earlier file gave,
 * pass what sync carries of a guest is refused whole, naming the line: the
 * hub would otherwise hold a guest no door can pull, and every pull would
 * stop there. */
static void
test_extras_over_the_limit_with_earlier_ones(void **state)
{
	struct tu_fixture *fx = *state;
	char *a = xmalloc(32001), *b = xmalloc(2001);
	memset(a, 'a', 32000);
	a[32000] = '\0';
	memset(b, 'b', 2000);
	b[2000] = '\0';
	char *one = xasprintf("Code,First Name,Last Name,Notes A\nCODE0001,Ann,Alpha,%s\n", a);
	char *two = xasprintf("Code,First Name,Last Name,Notes B,Notes C\n"
	    "CODE0001,Ann,Alpha,%s,%s\n", a, b);
	struct import_report rep = import_text(fx->s, one);
	assert_int_equal(rep.added, 1);
	char *cause = NULL;
	assert_int_equal(import_try(fx->s, two, false, &rep, &cause), -1);
	assert_non_null(strstr(cause, "line 2: Ann Alpha's extra fields, this file's with those "
	    "kept from earlier imports, would be"));
	free(cause);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " json_extract(extra, '$.\"Notes B\"') IS NOT NULL"), 0);
	/* a guest already over it (as an older version left one) does not stop
	 * a file that changes none of their extras, in whatever order stored */
	char *big = xasprintf("UPDATE guest SET extra = json_object('Notes B', '%s',"
	    " 'Notes A', '%s', 'Notes C', '%s')", a, a, b);
	assert_int_equal(sqlite3_exec(store_db(fx->s), big, NULL, NULL, NULL), SQLITE_OK);
	free(big);
	assert_int_equal(import_try(fx->s, one, false, &rep, &cause), 0);
	assert_int_equal(rep.unchanged + rep.updated, 1);
	free(one);
	free(two);
	free(a);
	free(b);
}

/* Lists imported before this version read them otherwise: a guest listed
 * without an e-mail is the row of the same name that has one now (a
 * form's export that gained the column, a buyer's e-mail now taken), and
 * pretix's bare Position ID is the guest of the row's order and position
 * when the name is theirs. Nobody is listed twice. */
static void
test_reimport_matches_what_older_imports_stored(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First Name,Last Name\nAnn,Alpha\nBo,Beta\n");
	assert_int_equal(r.added, 2);
	r = import_text(fx->s, "First Name,Last Name,Email\nAnn,Alpha,ann@example.org\n"
	    "Bo,Beta,\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Alpha'"
	    " AND email = 'ann@example.org'"), 1);

	/* pretix, as an older version stored it: ids 1 and 2 of one order */
	r = import_text(fx->s, "Position ID,Attendee name,E-mail\n1,Inès Çelik,ines@example.org\n"
	    "2,Thijs Maes,thijs@example.org\n");
	assert_int_equal(r.added, 2);
	r = import_text(fx->s, "Order code,Position ID,Attendee name,E-mail\n"
	    "ZM9PL,1,Jan Smit,jan@example.org\n"
	    "QK3TA,1,Inès Çelik,ines@example.org\nQK3TA,2,Thijs Maes,thijs@example.org\n");
	assert_int_equal(r.added, 1); /* Jan's bare id 1 is Inès's: not taken */
	assert_int_equal(r.updated, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE ext_id IN"
	    " ('QK3TA-1', 'QK3TA-2', 'ZM9PL-1')"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 5);

	/* but never a walk-in listed without an e-mail: the row is a guest of
	 * its own (said: they may hold two tickets) */
	struct guest_fields f = { .first_name = "Wim", .last_name = "Walker" };
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_add_walkin(fx->s, &f, "Door 1", &g, &cause), 0);
	guest_clear(&g);
	r = import_text(fx->s, "First Name,Last Name,Email\nWim,Walker,wim@example.org\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Walker'"
	    " AND source = 'walkin' AND email = ''"), 1);
}

/* The name of a guest listed without an e-mail is theirs only when it is
 * alone in the file: a namesake's row, with another e-mail or cancelling,
 * never takes them, whatever the order of the rows; an exact match among
 * guests with codes wins; a row with a secret never takes a guest by a bare
 * pretix id. When in doubt, the row is a guest of its own. */
static void
test_loose_matches_take_nobody_in_doubt(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "Name,RSVP\nJan Smit,Yes\n");
	assert_int_equal(r.added, 1);
	r = import_text(fx->s, "Name,Email,RSVP\nJan Smit,jan.other@example.org,No\n"
	    "Jan Smit,,Yes\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"
	    " AND email = '' AND cancelled = 0"), 1);
	r = import_text(fx->s, "Name,Email\nJan Smit,someone@example.org\nJan Smit,\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"
	    " AND email = '' AND cancelled = 0"), 1);
	/* two namesakes with e-mails: neither takes him */
	r = import_text(fx->s, "Name,Email\nJan Smit,a@example.org\nJan Smit,b@example.org\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"
	    " AND email = '' AND cancelled = 0"), 1);
	/* and one alone that cancels: not him either */
	r = import_text(fx->s, "Name,Email,RSVP\nJan Smit,c@example.org,No\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"
	    " AND email = '' AND cancelled = 0"), 1);

	/* an exact match among guests with codes wins */
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\nAnn,Alpha,ann@example.org,111\n");
	r = import_text(fx->s, "First Name,Last Name\nAnn,Alpha\n");
	r = import_text(fx->s, "First Name,Last Name,Email\nAnn,Alpha,ann@example.org\n");
	assert_int_equal(r.updated, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Alpha'"
	    " AND email = 'ann@example.org'"), 1);

	/* a row with a secret: its own guest, or a new one */
	r = import_text(fx->s, "Position ID,Attendee name,E-mail,Secret\n"
	    "1,Inès Çelik,ines@example.org,s3cr3tinesqk3ta\n");
	char *cause = NULL;
	assert_int_equal(import_try(fx->s, "Order code,Position ID,Attendee name,E-mail,Secret\n"
	    "AB12C,1,Inès Çelik,ines@example.org,s3cr3tinesab12c\n"
	    "QK3TA,1,Inès Çelik,ines@example.org,s3cr3tinesqk3ta\n", false, &r, &cause), 0);
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 's3cr3tinesqk3ta'"
	    " AND ext_id = 'QK3TA-1'"), 1);
}

/* Where the loose matches do take a guest: a list first imported without
 * codes or e-mails, then the platform's export, gives its guests the
 * platform's codes; pretix guests of a bare id get the secret (their code
 * was made here) or the cancellation of their one row. A file with a
 * rejected row makes none (the rejected row may be the guest's own), and a
 * tussenvoegsel's two spellings count as one name. */
static void
test_loose_matches_take_the_one_guest(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First Name,Last Name\nJan,Smit\nAnn,Alpha\n");
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Jan,Smit,jan@example.org,111222333\nAnn,Alpha,ann@example.org,444555666\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '111222333'"
	    " AND email = 'jan@example.org'"), 1);

	r = import_text(fx->s, "Position ID,Attendee name,E-mail\n1,Inès Çelik,ines@example.org\n"
	    "2,Thijs Maes,thijs@example.org\n");
	r = import_text(fx->s, "Order code,Position ID,Attendee name,E-mail,Secret,Status\n"
	    "QK3TA,1,Inès Çelik,ines@example.org,s3cr3tinesqk3ta,paid\n"
	    "QK3TA,2,Thijs Maes,thijs@example.org,s3cr3tthijsqk3ta,canceled\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 's3cr3tinesqk3ta'"
	    " AND ext_id = 'QK3TA-1' AND NOT cancelled"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE ext_id = 'QK3TA-2'"
	    " AND cancelled"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 4);

	/* a rejected row (an unquoted comma): no loose match */
	r = import_text(fx->s, "First Name,Last Name,Company\nPia,Peeters,Acme\n");
	const char *bad = "First Name,Last Name,Email,Company\n"
	    "Pia,Peeters,pia@globex.example,Globex\nPia,Peeters,,Acme, Inc.\n";
	r = import_text(fx->s, bad);
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Peeters'"
	    " AND company = 'Acme' AND email = ''"), 1);

	/* a form whose one person sent it twice: the repeat (same name and
	 * e-mail) is rejected, and takes nobody's place in doubt */
	r = import_text(fx->s, "Name,RSVP\nMarie Dubois,Yes\nAnna Jansen,No\n");
	r = import_text(fx->s, "First name,Last name,Email\nMarie,Dubois,marie@example.org\n"
	    "Marie,Dubois,marie@example.org\nAnna,Jansen,anna@example.org\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Dubois'"),
	    1);
	/* but a cancelled guest is never taken by name alone (an RSVP "No",
	 * then the form or the platform's export): a paid ticket would be
	 * refused */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Jansen'"
	    " AND NOT cancelled AND email = 'anna@example.org'"), 1);

	/* pretix: a row rejected unread does not stop a bare id with its name
	 * (the cancellation reaches Thijs), and two rows of one id and name
	 * take neither */
	r = import_text(fx->s, "Position ID,Attendee name,E-mail\n3,Thijs Maes,thijs@example.org\n"
	    "4,Lotte Smet,lotte@example.org\n");
	const char *px = "Order code,Position ID,Attendee name,E-mail,Status\n"
	    "QK3TA,3,Thijs Maes,thijs@example.org,canceled\nZZ9XY,1,short row\n"
	    "AB1,4,Lotte Smet,lotte@example.org,paid\nAB2,4,Lotte Smet,lotte@example.org,paid\n";
	r = import_text(fx->s, px);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Maes'"
	    " AND ext_id = 'QK3TA-3' AND cancelled"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smet'"
	    " AND ext_id = '4'"), 1);

	/* two exports pasted: the repeat of a row (same code, name and
	 * e-mail) is the same person, and their name stays alone */
	r = import_text(fx->s, "Name\nAnna Janssens\n");
	r = import_text(fx->s, "First Name,Last Name,Email,Ticket Code\n"
	    "Anna,Janssens,anna.j@example.org,QWERTY123\n"
	    "Anna,Janssens,anna.j@example.org,QWERTY123\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Janssens'"),
	    1);

	/* a rejected row of the same bare id and name counts too */
	r = import_text(fx->s, "Position ID,Attendee name,E-mail\n6,Pia Puk,pia@example.org\n");
	const char *pr = "Order code,Position ID,Attendee name,E-mail,Status\n"
	    "AB1,6,Pia Puk,pia@example.org,paid\nAB2,6,Pia Puk,pia@example.org,pa\001id\n";
	r = import_text(fx->s, pr);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Puk'"
	    " AND ext_id = '6'"), 1);
	/* a row rejected at its last name is a name unknown: no match by the
	 * name alone */
	r = import_text(fx->s, "First Name,Last Name\nRené,Dubois\n");
	const char *half = "First Name,Last Name,Email\nRené,Dubois,rene@example.org\n"
	    "René,Dubois\001,rene.d@example.org\n";
	r = import_text(fx->s, half);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Dubois'"
	    " AND email = ''"), 1);

	/* a bare id's guest with a platform's code of their own is another
	 * ticket than a row with another secret */
	r = import_text(fx->s, "Position ID,Attendee name,E-mail,Secret\n"
	    "5,Zoe Zed,zoe@example.org,oldsecret5zed\n");
	r = import_text(fx->s, "Order code,Position ID,Attendee name,E-mail,Secret\n"
	    "NEW1,5,Zoe Zed,zoe@example.org,newsecret5zed\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'oldsecret5zed'"
	    " AND ext_id = '5'"), 1);

	/* "Jan Dijk" and "Jan van Dijk" are one name: neither order takes */
	r = import_text(fx->s, "First Name,Last Name\nKees,Dijk\n");
	r = import_text(fx->s, "First Name,Tussenvoegsel,Last Name,Email\n"
	    "Kees,,Dijk,kees.dijk@example.org\nKees,van,Dijk,\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Kees'"
	    " AND email = 'kees.dijk@example.org' AND created_at = updated_at"), 1);
}

static void
test_group_order_shares_email(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s,
	    "First Name,Last Name,Email\n"
	    "Łukasz,Hermans,buyer@example.org\n"
	    "Émile,Dubois,buyer@example.org\n");
	assert_int_equal(r.added, 2);
	assert_int_equal(r.rejected, 0);
}

/* The first import into an empty event looks up no row in the database:
 * nothing stored can match, and rows of the file cannot match each other,
 * because a code, an id or (for rows with neither) a name and e-mail seen
 * on an earlier row rejects the row. Importing the file again, into the
 * event that now has guests, matches every row and adds nobody. */
static void
test_first_import_repeats_are_rejected_not_matched(void **state)
{
	struct tu_fixture *fx = *state;
	static const char text[] =
	    "Attendee #,Barcode #,First Name,Last Name,Email\n"
	    "17,CODEA1,Ann,Aerts,ann@example.org\n"
	    "18,CODEB1,Bo,Bos,bo@example.org\n"
	    "17,,Ann,Aerts-Peeters,ann@example.org\n"     /* 4: id of line 2 */
	    ",,Cas,Claes,cas@example.org\n"
	    "19,CODEB1,Bob,Bos,bob@example.org\n"         /* 6: code of line 3 */
	    ",,Cas,Claes,cas@example.org\n";              /* 7: as line 5 */
	struct import_plan *p = NULL;
	struct import_report r = { 0 };
	char *cause = NULL;
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 0);
	assert_int_equal(import_read_mem(text, strlen(text), "t.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rejects(p), 3);
	size_t line;
	const char *why;
	import_reject(p, 0, &line, &why);
	assert_int_equal(line, 4);
	assert_non_null(strstr(why, "line 2"));
	import_reject(p, 2, &line, &why);
	assert_int_equal(line, 7);
	assert_non_null(strstr(why, "line 5"));
	assert_int_equal(import_apply(fx->s, p, false, "test", NULL, NULL, &r, &cause), 0);
	import_free(p);
	assert_int_equal(r.added, 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'CODEA1'"
	    " AND last_name = 'Aerts'"), 1);
	r = import_text(fx->s, text);
	assert_int_equal(r.added, 0);
	assert_int_equal(r.unchanged, 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);
}

/* A big first import writes its rows before the guest list's indexes and
 * makes them after: the file ends with the same indexes, whole. */
/* import_open: the rows are written while the rest is read. What the
 * organiser gets is what a whole read gives: every good row, each bad one
 * named in file order, and for a file unreadable further down, nothing. */
static void
test_rows_written_while_read(void **state)
{
	struct tu_fixture *fx = *state;
	static const char schema[] = "SELECT group_concat(name || ':' || sql, ';') FROM"
	    " (SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'guest'"
	    " AND sql IS NOT NULL ORDER BY name)";
	struct buf b;
	buf_init(&b, 0);
	buf_addf(&b, "Attendee #,First Name,Last Name,Email\n");
	size_t line = 1, bad[16], nbad = 0;
	for (int i = 0; i < 3000; i++) {
		line++;
		if (i % 500 == 250) {           /* no name: rejected */
			buf_addf(&b, "%d,,,nobody%d@example.org\n", 90000 + i, i);
			bad[nbad++] = line;
		} else if (i % 700 == 350) {    /* the id of the row before: rejected */
			buf_addf(&b, "%d,Again%d,Twice,again%d@example.org\n", 10000 + i - 1, i, i);
			bad[nbad++] = line;
		} else {
			buf_addf(&b, "%d,Guest%d,Family%d,g%d@example.org\n", 10000 + i, i, i % 89, i);
		}
		if (i % 1000 == 999) {          /* a blank line: skipped, counted as a line */
			buf_addf(&b, "\n");
			line++;
		}
	}
	char *path = tu_write(fx->dir, "while.csv", buf_cstr(&b));
	struct import_plan *p = NULL;
	struct import_report r = { 0 };
	char *cause = NULL;
	assert_int_equal(import_open(path, NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "test", NULL, NULL, &r, &cause), 0);
	assert_int_equal(r.added, 3000 - nbad);
	assert_int_equal(r.rejected, nbad);
	assert_int_equal(import_rejects(p), nbad);
	for (size_t i = 0; i < nbad; i++) {
		size_t at;
		const char *why;
		import_reject(p, i, &at, &why);
		assert_int_equal(at, bad[i]);
	}
	import_free(p);
	free(path);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3000 - nbad);
	/* the last row read is found by its words, like the first */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word WHERE word = 'guest2999'"
	    " AND guest_id = (SELECT id FROM guest WHERE first_name = 'Guest2999')"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word WHERE word = 'guest0'"),
	    1);

	/* 3,000 rows in the transaction, then a quote that never ends: into
	 * a new event, nothing; its indexes as they were */
	struct store *s2 = tu_store(fx->dir, "late.db");
	assert_non_null(s2);
	char *before = tu_text(s2, schema);
	buf_addf(&b, "1,\"Open,quote@example.org\n2,Next,Row,next@example.org\n");
	path = tu_write(fx->dir, "late.csv", buf_cstr(&b));
	buf_free(&b);
	assert_int_equal(import_open(path, NULL, 0, &p, &cause), 0);
	/* the reader may have found it before the first row was asked for */
	int ready = import_ready(p, &cause);
	if (ready == 0)
		assert_int_equal(import_apply(s2, p, false, "test", NULL, NULL, &r, &cause), -1);
	assert_non_null(strstr(cause, "never ends"));
	assert_non_null(strstr(cause, "late.csv:"));
	free(cause);
	import_free(p);
	free(path);
	assert_int_equal(tu_count(s2, "SELECT count(*) FROM guest"), 0);
	assert_int_equal(tu_count(s2, "SELECT count(*) FROM guest_word"), 0);
	char *after = tu_text(s2, schema);
	assert_string_equal(after, before);
	free(before);
	free(after);
	store_close(s2);
}

/* A big re-import's words are made ahead on a thread from the rows'
 * names: right for renamed guests, and for a file without the e-mail
 * column, whose guests keep the stored address in their words. */
static void
test_big_reimport_makes_the_right_words(void **state)
{
	struct tu_fixture *fx = *state;
	struct buf b;
	for (int round = 0; round < 3; round++) {
		buf_init(&b, 0);
		buf_addf(&b, round < 2 ? "Attendee #,First Name,Last Name,Email\n" :
		    "Attendee #,First Name,Last Name\n");
		for (int i = 0; i < 1500; i++) {
			if (round < 2)
				buf_addf(&b, "%d,Guest%d,Fam%s%d,g%d@example.org\n", 7000 + i, i,
				    round == 0 ? "" : "ily", i % 97, i);
			else
				buf_addf(&b, "%d,Guest%d,Van Fam%d\n", 7000 + i, i, i % 97);
		}
		struct import_report r = import_text(fx->s, buf_cstr(&b));
		buf_free(&b);
		assert_int_equal(round == 0 ? r.added : r.updated, 1500);
		assert_int_equal(words_all_right(fx->s), 1500);
	}
	/* the stored address stayed, and is still found */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word WHERE word ="
	    " 'g1234exampleorg'"), 1);
}

static void
test_big_first_import_keeps_the_indexes(void **state)
{
	struct tu_fixture *fx = *state;
	static const char schema[] = "SELECT group_concat(name || ':' || sql, ';') FROM"
	    " (SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'guest'"
	    " AND sql IS NOT NULL ORDER BY name)";
	char *before = tu_text(fx->s, schema), *cause = NULL;
	struct buf b;
	buf_init(&b, 0);
	buf_addf(&b, "Attendee #,First Name,Last Name,Email\n");
	for (int i = 0; i < 1500; i++)
		buf_addf(&b, "%d,Guest%d,Fam\xc3\xadly%d,g%d@example.org\n", 5000 + i, i, i % 97, i);
	/* a dry run first: nothing written, the indexes as they were */
	struct import_plan *p = NULL;
	struct import_report r = { 0 };
	assert_int_equal(import_read_mem(buf_cstr(&b), b.len, "t.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, true, "test", NULL, NULL, &r, &cause), 0);
	import_free(p);
	assert_int_equal(r.added, 1500);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 0);
	char *dry = tu_text(fx->s, schema);
	assert_string_equal(dry, before);
	free(dry);
	r = import_text(fx->s, buf_cstr(&b));
	buf_free(&b);
	assert_int_equal(r.added, 1500);
	/* every row got its own words and sort key (made on another thread) */
	assert_int_equal(words_all_right(fx->s), 1500);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word WHERE word = 'guest1234'"
	    " AND guest_id = (SELECT id FROM guest WHERE first_name = 'Guest1234')"), 1);
	char *after = tu_text(fx->s, schema);
	assert_string_equal(after, before);
	assert_non_null(strstr(after, "guest_sort"));
	char *check = tu_text(fx->s, "PRAGMA integrity_check");
	assert_string_equal(check, "ok");
	/* the indexes hold every row: looked up through them */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest INDEXED BY guest_ext_id"
	    " WHERE ext_id = '6234'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest INDEXED BY guest_sort"
	    " WHERE sort_key >= ''"), 1500);
	/* and a second import, into the event that now has guests, matches them */
	buf_init(&b, 0);
	buf_addf(&b, "Attendee #,First Name,Last Name,Email\n6234,Renamed,Family,g@example.org\n");
	r = import_text(fx->s, buf_cstr(&b));
	buf_free(&b);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 1500);
	free(before);
	free(after);
	free(check);
}

struct want_reject {
	size_t line;
	const char *why;        /* a part of the reason */
};

/* The plan's rejected rows are these n, in order. */
static void
expect_rejects(const struct import_plan *p, const struct want_reject *want, size_t n)
{
	assert_int_equal(import_rejects(p), n);
	for (size_t i = 0; i < n; i++) {
		size_t line;
		const char *why;
		import_reject(p, i, &line, &why);
		assert_int_equal(line, want[i].line);
		if (strstr(why, want[i].why) == NULL)
			fail_msg("line %zu: '%s' lacks '%s'", line, why, want[i].why);
	}
}

static void
test_bad_rows_are_rejected_with_lines(void **state)
{
	struct tu_fixture *fx = *state;
	char *big = xmalloc(5000);
	memset(big, 'x', 4999);
	big[4999] = '\0';
	char *csv = xasprintf(
	    "First Name,Last Name,Email,Barcode #\n"   /* 1 */
	    "Zoë,Çelik,zoe@example.org,111\n"          /* 2 */
	    "Only,Two\n"                               /* 3: too few fields */
	    ",,nobody@example.org,222\n"               /* 4: no name */
	    "Jan,\"Pee\x01ters\",jan@example.org,333\n" /* 5: control character */
	    "Dup,Licate,dup@example.org,111\n"         /* 6: same code as line 2 */
	    "\"Multi\nLine\",Name,m@example.org,444\n" /* 7-8: fine */
	    "Long,%s,l@example.org,555\n"              /* 9: field too long */
	    "Robert'); DROP TABLE guest;--,Tables,b@example.org,666\n", /* 10: fine */
	    big);
	struct import_plan *p = NULL;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "bad.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rows(p), 3);
	assert_int_equal(import_rejects(p), 5);
	static const struct want_reject want[] = {
		{ 3, "fields where the header has 4" }, { 4, "no name" },
		{ 5, "control character" }, { 6, "line 2" }, { 9, "at most 1024" },
	};
	expect_rejects(p, want, 5);
	struct import_report rep;
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 3);
	assert_int_equal(rep.rejected, 5);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name ="
	    " 'Robert''); DROP TABLE guest;--'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name ="
	    " 'Multi Line'"), 1);
	import_free(p);
	free(csv);
	free(big);
}

/* A stray quote in a field reads the rows after it into that field, up to
 * the next quote: the row is rejected, naming the lines, rather than
 * imported with those guests lost inside it. A name or note typed on two
 * lines is still imported. */
static void
test_stray_quote_rejects_the_row(void **state)
{
	(void)state;
	const char *csv =
	    "First Name,Last Name,Email,Job Title\n"     /* 1 */
	    "Ann,Lee,a@x.org,\"Marketeer,\nand blogger\"\n" /* 2-3: fine */
	    "Cid,\"O,c@x.org\n"                          /* 4-6: a name of three lines */
	    "Dee,Yu,d@x.org,x\n"
	    "Eve,Fo\",e@x.org,y\n"
	    "Gus,\"Ha,g@x.org,z\n"                       /* 7-8: two, with a comma */
	    "Hal,Ho\",h@x.org,z\n"
	    "\"Multi\nLine\",Name,m@x.org,\"Note\non two\nlines\"\n" /* 9-12: fine */
	    "Ida,Ito,i@x.org,\"CEO\n"                    /* 13-15: a title holding rows */
	    "Jo,Jay,j@x.org,x\n"
	    "Kim,Ko,k@x.org,y\"\n"
	    "Lou,Lu,l@x.org,z\n"                         /* 16 */
	    "Max,Mo,m2@x.org,\"Flat 2\n"                 /* 17-18: an address, fine */
	    "10 High St, Leeds, West Yorkshire, LS1 1AA\"\n";
	struct import_plan *p = NULL;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "q.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rows(p), 4);
	static const struct want_reject want[] = {
		{ 4, "field 'Last Name' runs over lines 4 to 6: a quote opened in it closes only "
		    "on line 6" },
		{ 7, "field 'Last Name' runs over lines 7 to 8" },
		{ 13, "field 'Job Title' runs over lines 13 to 15 and holds what look like rows" },
	};
	expect_rejects(p, want, 3);
	import_free(p);
}

/* A stray quote that leaves its row with fewer or more fields than the
 * header is the same stray quote: the lines it swallowed are named, not
 * a count of fields that hides the guests lost inside it. */
static void
test_stray_quote_in_a_row_of_the_wrong_width_names_its_lines(void **state)
{
	(void)state;
	const char *csv =
	    "First Name,Last Name,Email,Barcode #,Company\n"
	    "Ann,Lee,a@x.org,C1,A\n"                  /* 2 */
	    "Bob,\"Li Jr,b@x.org,C2,B\n"              /* 3-5: too few fields */
	    "Cid,Co,c@x.org,C3,C\n"
	    "Dan,Do,d@x.org,C4,\"D\"\n"
	    "Eve,\"Ev,e@x.org,C5,E\n"                 /* 6-7: too many */
	    "Fay,Fa,f@x.org,C6,F\",x,y,z,w\n"
	    "Gus,Gu,g@x.org,C7,G\n";                  /* 8 */
	struct import_plan *p = NULL;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "q4.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rows(p), 2);
	static const struct want_reject want[] = {
		{ 3, "field 'Last Name' runs over lines 3 to 5: a quote opened in it closes only "
		    "on line 5" },
		{ 6, "field 'Last Name' runs over lines 6 to 7" },
	};
	expect_rejects(p, want, 2);
	import_free(p);
}

/* A status no platform uses (a typo, Eventbrite's "Transferred") lets the
 * ticket in, as before, and says so on its line: the organiser decides. */
static void
test_unknown_status_is_valid_and_said(void **state)
{
	(void)state;
	const char *csv =
	    "First Name,Last Name,Barcode #,Attendee Status\n"
	    "Ann,Lee,C1,Attending\n"      /* 2 */
	    "Bob,Li,C2,Cancled\n"         /* 3: a typo */
	    "Cid,Co,C3,Checked In\n"      /* 4 */
	    "Dan,Do,C4,Cancelled\n";      /* 5 */
	struct import_plan *p = NULL;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "st.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rows(p), 4);
	assert_int_equal(import_warnings(p), 1);
	size_t line;
	const char *text;
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 3);
	assert_non_null(strstr(text, "status 'Cancled' in column 'Attendee Status' is not one "
	    "kiosk knows"));
	assert_non_null(strstr(text, "imported as a valid ticket"));
	import_free(p);
}

/* A row rejected for a duplicate id does not take its code with it: the
 * next row with that code is the only guest who has it. */
static void
test_a_rejected_rows_code_is_no_ones(void **state)
{
	(void)state;
	static const char csv[] =
	    "Attendee #,First Name,Last Name,Barcode #\n"
	    "1,Ann,Aerts,AAA111\n"         /* 2 */
	    "1,Bob,Bos,BBB222\n"           /* 3: the id of line 2 */
	    "2,Cis,Claes,BBB222\n";        /* 4: BBB222 is nobody's yet */
	struct import_plan *p = NULL;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "ids.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rows(p), 2);
	assert_int_equal(import_rejects(p), 1);
	size_t line;
	const char *why;
	import_reject(p, 0, &line, &why);
	assert_int_equal(line, 3);
	assert_non_null(strstr(why, "as line 2"));
	import_free(p);
}

static void
test_unimportable_files_fail_whole(void **state)
{
	(void)state;
	static const struct { const char *text; const char *why; } files[] = {
		{ "", "empty" },
		{ "First Name,Last Name\n", "no guests" },
		{ "Order,Quantity\n1,2\n", "name" },
		{ "First Name,Last Name\n,,\n\n", "no guests" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct import_plan *p = NULL;
		char *cause = NULL;
		int rc = import_read_mem(files[i].text, strlen(files[i].text), "f.csv", NULL, 0, &p,
		    &cause);
		assert_int_equal(rc, -1);
		assert_null(p);
		if (strstr(cause, files[i].why) == NULL)
			fail_msg("file %zu: '%s' lacks '%s'", i, cause, files[i].why);
		assert_non_null(strstr(cause, "f.csv"));
		free(cause);
	}
}

static void
test_all_rows_rejected_names_them_and_writes_nothing(void **state)
{
	struct tu_fixture *fx = *state;
	const char *csv = "First Name,Last Name,Email\nBroken\nAlso\n";
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	size_t line;
	const char *why;
	assert_int_equal(import_read_mem(csv, strlen(csv), "allbad.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rows(p), 0);
	assert_int_equal(import_rejects(p), 2);
	import_reject(p, 1, &line, &why);
	assert_int_equal(line, 3);
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), -1);
	assert_non_null(strstr(cause, "every row was rejected"));
	free(cause);
	import_free(p);
}

static void
test_damaged_utf8_rows_rejected_rest_kept(void **state)
{
	struct tu_fixture *fx = *state;
	/* A row pasted in from a Latin-1 file is read as such, and said; a
	 * row with a UTF-8 letter and a stray byte is damaged: rejected. */
	const char *csv = "First Name,Last Name\nZo\xc3\xab,Claes\nJos\xe9,Smit\n"
	    "Zo\xc3\xab,M\xfcller\nAn,Peeters\n?ukasz,W\xf3jcik\n";
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	size_t line, first = 0;
	const char *why;
	assert_int_equal(import_read_mem(csv, strlen(csv), "m.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_encoding(p), CSVIN_UTF8_INVALID);
	assert_int_equal(import_cp1252_lines(p, &first), 2);
	assert_int_equal(first, 3);
	assert_int_equal(import_rejects(p), 2);
	import_reject(p, 0, &line, &why);
	assert_int_equal(line, 4);
	assert_non_null(strstr(why, "UTF-8"));
	/* a row read as Windows-1252 with a '?' for a letter its program
	 * could not write is refused, as in a Windows-1252 file */
	import_reject(p, 1, &line, &why);
	assert_int_equal(line, 6);
	assert_non_null(strstr(why, "'?ukasz' has a '?'"));
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 3);
	/* Zoë is stored as Zoë, not as Windows-1252 mojibake; José as José. */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Zoë'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'José'"), 1);
	import_free(p);
}

/* A file cancels a ticket, but never reinstates one: a ticket cancelled
 * here (kiosk cancel, an earlier export) stays cancelled when the same old
 * export is imported again, and the report counts it for a warning. */
/* A row's shape decides before its names do: one field short (a field left
 * out) or one too many (an unquoted comma) is rejected, an empty field
 * past the header's is not; a name is a first or a last name, either alone
 * will do; a DEL at a field's end is a control character as inside it. */
static void
test_row_shape_and_names(void **state)
{
	struct tu_fixture *fx = *state;
	const char *csv =
	    "First Name,Last Name,Email,Barcode #\n"      /* 1 */
	    "Jan,Peeters,jan@example.org\n"               /* 2: one field short */
	    "Smit, Jan,Smit,smit@example.org,111\n"       /* 3: one too many */
	    "An,Smit,an@example.org,222,\n"               /* 4: fine, empty past the end */
	    ",Cher,cher@example.org,333\n"                /* 5: fine, a last name alone */
	    "Prince,,prince@example.org,444\n"            /* 6: fine, a first name alone */
	    "Els,Maes\x7f,els@example.org,555\n";         /* 7: control character */
	struct import_plan *p = NULL;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "shape.csv", NULL, 0, &p, &cause), 0);
	static const struct want_reject want[] = {
		{ 2, "3 fields where the header has 4" },
		{ 3, "5 fields where the header has 4 (a ',' inside a field that is not in quotes?)" },
		{ 7, "control character" },
	};
	expect_rejects(p, want, 3);
	assert_int_equal(import_rows(p), 3);
	struct import_report rep;
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	import_free(p);
	assert_int_equal(rep.added, 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = ''"
	    " AND last_name = 'Cher' AND code = '333'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Prince'"
	    " AND last_name = '' AND code = '444'"), 1);
}

/* Which guest a row of a platform's export takes, found by name: one
 * guest a row, and only a guest listed without a ticket of the
 * platform's. Two tickets bought under one name are two guests; a ticket
 * cancelled on the platform does not cancel a namesake's; a pretix ticket
 * of a bare id with another name is not that guest; a guest who has the
 * platform's id is not taken by a row of another id. */
static void
test_name_matches_take_one_guest_each(void **state)
{
	struct tu_fixture *fx = *state;
	/* a form's list, then the platform's export: two tickets for Jan */
	struct import_report r = import_text(fx->s, "First Name,Last Name\nJan,Peeters\n");
	r = import_text(fx->s, "First Name,Last Name,Barcode #\n"
	    "Jan,Peeters,AAA111222\nJan,Peeters,BBB333444\n");
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Peeters'"),
	    2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Peeters'"
	    " AND code IN ('AAA111222', 'BBB333444')"), 2);

	/* a cancelled ticket of the same name is another ticket */
	r = import_text(fx->s, "First Name,Last Name\nAn,Smit\n");
	r = import_text(fx->s, "First Name,Last Name,Barcode #,Attendee Status\n"
	    "An,Smit,CCC555666,Cancelled\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"
	    " AND NOT cancelled AND code LIKE 'TEST26-%'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"
	    " AND cancelled AND code = 'CCC555666'"), 1);

	/* pretix: position 1 of another order, another attendee */
	r = import_text(fx->s, "Position ID,Attendee name\n1,Wout Wouters\n");
	r = import_text(fx->s, "Order code,Position ID,Attendee name\nZZ9XX,1,Els Maes\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Wouters'"
	    " AND ext_id = '1'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Maes'"
	    " AND ext_id = 'ZZ9XX-1'"), 1);

	/* a guest given the platform's id keeps it beside a namesake's ticket */
	r = import_text(fx->s, "First Name,Last Name\nLotte,Smet\n");
	r = import_text(fx->s, "First Name,Last Name,Attendee #\nLotte,Smet,1001\n");
	assert_int_equal(r.updated, 1);
	r = import_text(fx->s, "First Name,Last Name,Attendee #\n"
	    "Lotte,Smet,1001\nLotte,Smet,1002\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smet'"
	    " AND ext_id = '1001'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Smet'"
	    " AND ext_id = '1002'"), 1);
}

/* "Listed twice?" is said of a row of a form's list only, beside one
 * guest of its e-mail: not of a platform's ticket bought with a guest's
 * e-mail (a group order), nor beside a family sharing one address. */
static void
test_same_email_said_only_in_doubt(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "Naam,E-mail\nJan Peeters,jan@x.be\n");
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Mia,Peeters,jan@x.be,C1X2Y3Z4\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.same_email, 0);

	r = import_text(fx->s, "Naam,E-mail\nTom Claes,fam@x.be\nAn Claes,fam@x.be\n");
	r = import_text(fx->s, "Naam,E-mail\nMia Claes,fam@x.be\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.same_email, 0);
	/* while one guest of the address, under another name, is said */
	r = import_text(fx->s, "Naam,E-mail\nWout Wauters,jan@x.be\n");
	assert_int_equal(r.same_email, 1);
}

/* kiosk forget the guest of code (guest_forget). */
/* A guest erased with kiosk forget stays erased when the platform's export,
 * which still lists them, is imported again: matched by code, by id, or
 * (a list without either) by the hash of their name and e-mail. */
static void
test_forgotten_guest_is_not_restored(void **state)
{
	struct tu_fixture *fx = *state;
	static const char coded[] = "First Name,Last Name,Email,Barcode #,Order #\n"
	    "Zoë,Çelik,zoe@x.be,C1X2Y3Z4,1001\nJan,Peeters,jan@x.be,C5X6Y7Z8,1002\n";
	import_text(fx->s, coded);
	assert_int_equal(tu_forget(fx->s, "C1X2Y3Z4"), 0);
	struct import_report r = import_text(fx->s, coded);
	assert_int_equal(r.forgotten, 1);
	assert_int_equal(r.forgotten_lines[0], 2);
	assert_true(r.forgotten_at[0] > 0);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(r.added + r.updated, 0);
	/* by the platform's id alone, with the code gone from the file */
	r = import_text(fx->s, "First Name,Last Name,Email,Order #\nZoë,Çelik,zoe@x.be,1001\n");
	assert_int_equal(r.forgotten, 1);
	assert_int_equal(r.added + r.updated, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Zoë'"
	    " OR email = 'zoe@x.be' OR words LIKE '%celik%'"), 0);

	/* a form's list, by name and e-mail alone */
	static const char form[] = "Naam,Voornaam,E-mail\nMaes,Mia,mia@x.be\nClaes,Tom,tom@x.be\n";
	import_text(fx->s, form);
	char *code = tu_text(fx->s, "SELECT code FROM guest WHERE first_name = 'Mia'");
	assert_int_equal(tu_forget(fx->s, code), 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE match_key LIKE '%mia%'"
	    " OR sort_key LIKE '%mia%'"), 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE length(forgotten_key)"
	    " = 64"), 2);
	r = import_text(fx->s, "Naam,Voornaam,E-mail\nClaes,Tom,tom@x.be\nMAES,Mia,MIA@x.be\n");
	assert_int_equal(r.forgotten, 1);
	assert_int_equal(r.forgotten_lines[0], 3);
	assert_int_equal(r.added, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Mia'"), 0);
	/* another person is another person */
	r = import_text(fx->s, "Naam,Voornaam,E-mail\nMaes,Mia,other@x.be\n");
	assert_int_equal(r.forgotten, 0);
	assert_int_equal(r.added, 1);
	free(code);
}

/* A row with a code no guest has names a forgotten guest by name and
 * e-mail as well: the platform's export after a form's list (whose guests
 * take the platform's codes), or codes the platform reissued. */
static void
test_forgotten_guest_is_not_restored_under_a_new_code(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Naam,Voornaam,E-mail\nMaes,Mia,mia@x.be\nClaes,Tom,tom@x.be\n");
	char *code = tu_text(fx->s, "SELECT code FROM guest WHERE first_name = 'Mia'");
	assert_int_equal(tu_forget(fx->s, code), 0);
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Tom,Claes,tom@x.be,P0000001\nMia,Maes,mia@x.be,P0000002\n");
	assert_int_equal(r.forgotten, 1);
	assert_int_equal(r.forgotten_lines[0], 3);
	assert_int_equal(r.added, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Mia'"
	    " OR email = 'mia@x.be'"), 0);
	/* the platform's codes reissued (--new-codes) */
	import_text(fx->s, "First Name,Last Name,Email,Barcode #\nAda,Smit,ada@x.be,P0000003\n");
	free(code);
	code = tu_text(fx->s, "SELECT code FROM guest WHERE first_name = 'Ada'");
	assert_int_equal(tu_forget(fx->s, code), 0);
	char *cause = NULL;
	assert_int_equal(import_try(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Ada,Smit,ADA@x.be,P0000009\n", true, &r, &cause), 0);
	assert_int_equal(r.forgotten, 1);
	assert_int_equal(r.added + r.updated, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Ada'"),
	    0);
	free(code);
}

static void
test_cancelled_status_and_never_reinstated(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Barcode #,Attendee Status\n"
	    "A,One,1,Attending\nB,Two,2,Cancelled\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled"), 1);
	struct import_report r = import_text(fx->s, "First Name,Last Name,Barcode #,Attendee Status\n"
	    "A,One,1,Attending\nB,Two,2,Attending\n");
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.kept_cancelled, 1);
	assert_int_equal(r.kept_lines[0], 3); /* the warning names the file's line */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled"), 1);
	r = import_text(fx->s, "First Name,Last Name,Barcode #,Attendee Status\n"
	    "A,One,1,Refunded\n");
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled"), 2);
}

static void
test_dry_run_writes_nothing(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *csv = "Name,Email\nA B,a@example.org\nC D,c@example.org\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "d.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, true, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest_word"), 0);
	import_free(p);
}

/* Codes shorter than [scanner] min_length are counted before a dry run
 * rolls back: the run before the real one is where the organiser reads
 * the warning (kiosk import), and after the rollback none are there. */
static void
test_dry_run_counts_short_codes(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *csv = "Name,Email,Code\nA B,a@example.org,A7K3\nC D,c@example.org,B2\n"
	    "E F,e@example.org,TICKET123\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "s.csv", NULL, 0, &p, &cause), 0);
	import_check_code_length(p, 6);
	assert_int_equal(import_apply(fx->s, p, true, "t", NULL, NULL, &rep, &cause), 0);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 0);
	assert_int_equal(rep.short_codes, 2);
	assert_int_equal(rep.shortest_code, 2);
	/* not asked: nothing counted */
	assert_int_equal(import_read_mem(csv, strlen(csv), "s.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	import_free(p);
	assert_int_equal(rep.short_codes, 0);
}

static void
test_overrides_and_extras(void **state)
{
	struct tu_fixture *fx = *state;
	struct colmap_override ov[2];
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	assert_int_equal(colmap_parse_override("name=Deelnemer", &ov[0], &cause), 0);
	assert_int_equal(colmap_parse_override("email=Contact", &ov[1], &cause), 0);
	const char *csv = "Deelnemer;Contact;T-shirt\nInès Çelik;ines@example.org;M\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "o.csv", ov, 2, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Inès'"
	    " AND last_name = 'Çelik' AND email = 'ines@example.org'"
	    " AND json_extract(extra, '$.\"T-shirt\"') = 'M'"), 1);
	import_free(p);
	/* A second file with another column adds to the extras. */
	import_text(fx->s, "Name,Email,Dieet\nInès Çelik,ines@example.org,vegan\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " json_extract(extra, '$.\"T-shirt\"') = 'M' AND json_extract(extra, '$.Dieet') = 'vegan'"),
	    1);
}

/* What an update callback saw, for the language tests. */
static void
record_change(size_t line, const char *what, const char *name, const char *fields, void *arg)
{
	struct buf *b = arg;
	buf_addf(b, "%zu %s %s (%s)\n", line, what, name, fields);
}

/* A language column sets each guest's language, normalised; an unknown
 * value is a warning naming its line (the row is imported, language "");
 * a re-import updates it, and a file without the column leaves it alone. */
/* An address no ticket can be mailed to is a warning naming the row, not a
 * rejection: the guest is still on the list. */
static void
test_unmailable_email_is_a_warning(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *csv = "First Name,Last Name,Email,Taal\n"
	    "An,Een,an@example.org,nl\n"
	    "Bo,Twee,bo@example,fr\n"
	    "Cy,Drie,,de\n"
	    "Di,Vier,di at example.org,Klingon\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(import_warnings(p), 2);
	size_t line;
	const char *text;
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 3);
	assert_string_equal(text, "e-mail 'bo@example' is not an address a ticket can be mailed "
	    "to");
	import_warning(p, 1, &line, &text);
	assert_int_equal(line, 5);
	assert_non_null(strstr(text, "unknown language 'Klingon'"));
	assert_non_null(strstr(text, "; e-mail 'di at example.org' is not an address"));
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 4);
	import_free(p);
}

/* Two exports pasted together: the second's header line is skipped with a
 * warning naming it, not added as a guest "First Name Last Name" with the
 * code "Barcode #"; so is one after a BOM, or with empty columns after. */
static void
test_header_repeated_is_skipped(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *csv = "First Name,Last Name,Email,Barcode #\n"
	    "Jan,Smit,j@example.org,111\n"
	    "First Name,Last Name,Email,Barcode #,,\n"
	    "Piet,Smit,p@example.org,222\n"
	    "\xEF\xBB\xBF" "\"First Name\",\"Last Name\",Email,Barcode #\n"
	    "First Name,Last Name,Email,Barcode\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_warnings(p), 3);
	size_t line;
	const char *text;
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 3);
	assert_string_equal(text, "the header line again (two exports pasted together?): "
	    "skipped");
	import_warning(p, 1, &line, &text);
	assert_int_equal(line, 5);
	/* Not the header, if much like it: a guest (of an odd name). */
	import_warning(p, 2, &line, &text);
	assert_int_equal(line, 6);
	assert_non_null(strstr(text, "e-mail 'Email'"));
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 3);
	struct guest g;
	assert_int_equal(guest_find_by_code(fx->s, "Barcode #", &g, &cause), 0);
	import_free(p);
}

/* A form's free-text answer is a guest's extra field, however long a
 * name may be (IMPORT_MAX_FIELD): up to a spreadsheet cell's 32,767, and
 * the row's extras up to what the hub takes; our own listing, with those
 * in its one "extra" cell, imports again. */
static void
test_long_extra_fields(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	char *answer = xmalloc(5001), *big = xmalloc(IMPORT_MAX_EXTRA + 2);
	memset(answer, 'a', 5000);
	answer[5000] = '\0';
	memset(big, 'b', IMPORT_MAX_EXTRA + 1);
	big[IMPORT_MAX_EXTRA + 1] = '\0';
	big[30000] = '\0'; /* three of 30,000: too much together */
	char *csv = xasprintf("First Name,Last Name,Email,Q1,Q2,Q3\n"
	    "Noor,Nowak,noor@example.org,%s,b,c\n"
	    "Karim,Vries,karim@example.org,%s,%s,%s\n"
	    "Ann,Long,ann@example.org,%s,,\n"
	    "Jan,Name,jan@example.org,x,y,z\n", answer, big, big, big, answer);
	big[30000] = 'b';
	free(answer);
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &p, &cause), 0);
	free(csv);
	assert_int_equal(import_rejects(p), 1);
	size_t line;
	const char *why;
	import_reject(p, 0, &line, &why);
	assert_int_equal(line, 3);
	assert_string_equal(why, "the columns kept as extra fields are 90025 bytes in all (at "
	    "most 65536)");
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 3);
	import_free(p);

	/* One answer past a cell's length: that row, named. */
	csv = xasprintf("First Name,Last Name,Q1\nBo,Big,%s\n", big);
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &p, &cause), 0);
	free(csv);
	assert_int_equal(import_rejects(p), 1);
	import_reject(p, 0, &line, &why);
	assert_string_equal(why, "field 'Q1' is 32768 bytes long (at most 32767)");
	import_free(p);
	free(big);
}

/* Meetup's plus-ones ("Guests": 2) have no tickets: each row that brings
 * some is a warning naming it, how many, and what to do at the door. */
static void
test_plus_ones_are_a_warning(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *csv = "Name,User ID,Title,RSVP,Guests,RSVPed on\n"
	    "Jan Palma,200001,,Yes,2,2026-06-20 21:14\n"
	    "An Peeters,200002,,Yes,0,2026-06-20 21:15\n"
	    "Bo Claes,200003,,Yes,1,2026-06-20 21:16\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "m.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_warnings(p), 2);
	size_t line;
	const char *text;
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 2);
	assert_string_equal(text, "brings 2 guests ('Guests' is 2) with no ticket of their own: "
	    "register them at the door as walk-ins, or show 'Guests' on the door's screen "
	    "([kiosk] show_fields)");
	import_warning(p, 1, &line, &text);
	assert_int_equal(line, 4);
	assert_non_null(strstr(text, "brings 1 guest ('Guests' is 1)"));
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 3);
	import_free(p);
}

/* A title and a date above the header (a list dressed up in Excel): the
 * header is found below them and said, the rows are guests; a file whose
 * header names nothing is still refused by its first line's reason. */
static void
test_title_above_the_header(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *csv = "Gastenlijst Social Media Day\r\n"
	    "Zaterdag 20 juni\r\n"
	    "\r\n"
	    "Voornaam;Achternaam;E-mailadres;Code\r\n"
	    "Jan;Smit;j@example.org;C1\r\n"
	    "An;Peeters;a@example.org;C2\r\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(import_warnings(p), 1);
	size_t line;
	const char *text;
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 4);
	assert_string_equal(text, "the header is this line; lines 1 to 3 above it are not guests "
	    "and were skipped");
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 2);
	import_free(p);

	/* --map names a column of the header below the title */
	struct colmap_override ov[] = { { "first", "Wie" }, { "last", "Naam" } };
	csv = "Lijst;;\nWie;Naam;Code\nBo;Claes;C3\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", ov, 2, &p, &cause), 0);
	assert_int_equal(import_warnings(p), 1);
	import_free(p);

	csv = "Wie;Mail\nJan;j@example.org\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &p, &cause), -1);
	assert_non_null(strstr(cause, "t.csv: no name column"));
	free(cause);
}

static void
test_language_column(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *csv = "First Name,Last Name,Barcode #,Taal\n"
	    "An,Een,1,Nederlands\n"
	    "Bo,Twee,2,fr-BE\n"
	    "Cy,Drie,3,Deutsch\n"
	    "Di,Vier,4,\n"
	    "Ed,Vijf,5,Klingon\n"
	    "Fe,Zes,6,English\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(import_warnings(p), 1);
	size_t line;
	const char *text;
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 6);
	assert_non_null(strstr(text, "unknown language 'Klingon'"));
	char *map = import_mapping_text(p);
	assert_non_null(strstr(map, "language=Taal"));
	free(map);
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 6);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " (code, language) IN (VALUES ('1', 'nl'), ('2', 'fr'), ('3', 'de'), ('4', ''),"
	    " ('5', ''), ('6', 'en'))"), 6);
	long long rev = tu_count(fx->s, "SELECT max(rev) FROM guest");

	/* Re-import: Bo now German, Di Dutch; the rest unchanged. */
	struct buf changes;
	buf_init(&changes, 0);
	csv = "First Name,Last Name,Barcode #,Language\n"
	    "An,Een,1,nl\n"
	    "Bo,Twee,2,de\n"
	    "Cy,Drie,3,DE\n"
	    "Di,Vier,4,Vlaams\n"
	    "Ed,Vijf,5,\n"
	    "Fe,Zes,6,en_GB\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t2.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_warnings(p), 0);
	assert_int_equal(import_apply(fx->s, p, false, "t", record_change, &changes, &rep,
	    &cause), 0);
	import_free(p);
	assert_int_equal(rep.updated, 2);
	assert_int_equal(rep.unchanged, 4);
	assert_string_equal(buf_cstr(&changes), "3 update Bo Twee (language)\n"
	    "5 update Di Vier (language)\n");
	buf_free(&changes);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " (code, language) IN (VALUES ('2', 'de'), ('4', 'nl'))"), 2);
	/* the change travels with sync: marked dirty with a new rev */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code IN ('2', '4')"
	    " AND dirty = 1"), 2);
	assert_true(tu_count(fx->s, "SELECT min(rev) FROM guest WHERE code IN ('2', '4')") > rev);

	/* A file without the column keeps what is stored. */
	rep = import_text(fx->s, "First Name,Last Name,Barcode #,Company\nBo,Twee,2,Acme\n");
	assert_int_equal(rep.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '2'"
	    " AND language = 'de' AND company = 'Acme'"), 1);
	/* A dry run writes no language either. */
	csv = "First Name,Last Name,Barcode #,Langue\nBo,Twee,2,français\nGo,Zeven,7,nl\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "t3.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, true, "t", NULL, NULL, &rep, &cause), 0);
	import_free(p);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE language = 'fr'"), 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '7'"), 0);
}

/* A header in Windows-1252 over rows in UTF-8 (rows pasted under an old
 * header) is read line by line: "Prénom" names the first name. A header
 * damaged (a UTF-8 letter and a stray byte) would have its columns read
 * under the wrong fields (here "Nom" as a full name), so the file is
 * refused, naming the line and the column. */
static void
test_header_not_utf8_refuses_the_file(void **state)
{
	(void)state;
	const char *csv = "Pr\xe9nom;Nom;Courriel\nZo\xc3\xab;C\xc3\xb4t\xc3\xa9;z@x\nJean;Dupont;j@x\n";
	struct import_plan *p = NULL;
	char *cause = NULL;
	size_t first = 0;
	assert_int_equal(import_read_mem(csv, strlen(csv), "h.csv", NULL, 0, &p, &cause), 0);
	assert_int_equal(import_cp1252_lines(p, &first), 1);
	assert_int_equal(first, 1);
	assert_int_equal(import_rejects(p), 0);
	char *mapping = import_mapping_text(p);
	assert_non_null(strstr(mapping, "first=Prénom"));
	free(mapping);
	import_free(p);
	p = NULL;

	csv = "Pr\xe9nom;Nom\xc3\xa9;Courriel\nZo\xc3\xab;C\xc3\xb4t\xc3\xa9;z@x\nJean;Dupont;j@x\n";
	assert_int_equal(import_read_mem(csv, strlen(csv), "h.csv", NULL, 0, &p, &cause), -1);
	assert_null(p);
	assert_non_null(strstr(cause, "h.csv:1: the header's column 1 ('Pr\xef\xbf\xbdnom') is not "
	    "valid UTF-8"));
	free(cause);
}

/* Excel writes a long barcode as "8,18492E+24" when it saves: the real
 * code is gone, and a re-import must not replace a working one with it. */
static void
test_spreadsheet_numbers_are_rejected(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name;Last Name;Attendee #;Barcode #\n"
	    "Noor;Claes;1001;8184922608941621308297001\nAn;Peeters;1002;7811761494802217362733001\n");
	const char *excel = "First Name;Last Name;Attendee #;Barcode #\n"
	    "Noor;Claes;1001;8,18492E+24\nAn;Peeters;1002;7.81176e+24\nJo;Smit;1.2E+3;JS1\n"
	    "Lies;Maes;1004;2024E0001\n";
	struct import_plan *p = NULL;
	struct import_report rep;
	size_t line;
	const char *why;
	assert_int_equal(import_read_mem(excel, strlen(excel), "x.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_rejects(p), 3);
	import_reject(p, 0, &line, &why);
	assert_int_equal(line, 2);
	assert_non_null(strstr(why, "ticket code '8,18492E+24' was turned into a rounded number"));
	import_reject(p, 2, &line, &why);
	assert_non_null(strstr(why, "id '1.2E+3'"));
	import_free(p);

	/* LibreOffice's save of the same file (15 digits, as its Calc shows
	 * them): the message says where LibreOffice keeps the code as text, not
	 * only Excel's menu. */
	const char *calc = "\"First Name\";\"Last Name\";\"Barcode #\"\n"
	    "\"Noor\";\"Claes\";8,18492260894162E+024\n";
	assert_int_equal(import_read_mem(calc, strlen(calc), "lo.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_rejects(p), 1);
	import_reject(p, 0, &line, &why);
	assert_non_null(strstr(why, "ticket code '8,18492260894162E+024' was turned into a rounded"));
	assert_non_null(strstr(why, "in Excel: Data > From Text/CSV, column type Text"));
	assert_non_null(strstr(why, "in LibreOffice: the Text Import dialog, column type Text"));
	import_free(p);
	(void)rep;
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"
	    " WHERE code = '8184922608941621308297001'"), 1);

	/* The same column formatted as Number: 15 digits, then zeros. A code
	 * that merely ends in a few zeros, or is short, is a code. */
	const char *number = "First Name;Last Name;Attendee #;Barcode #\n"
	    "Noor;Claes;1001;8184922608941620000000000\n"
	    "An;Peeters;1002;7811761494802210000\n"
	    "Jo;Smit;1003;781176149480221000\n"
	    "Lies;Maes;1004;8184922608941621308290000\n"
	    "Piet;Peeters;1005;1000000000000000000000\n"
	    "Mia;Mertens;1006;0811761494802210000\n";
	assert_int_equal(import_read_mem(number, strlen(number), "n.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_rejects(p), 3);
	import_reject(p, 0, &line, &why);
	assert_int_equal(line, 2);
	assert_non_null(strstr(why, "ticket code '8184922608941620000000000' was turned into a "
	    "rounded number by a spreadsheet"));
	import_reject(p, 1, &line, &why);
	assert_int_equal(line, 3);
	import_reject(p, 2, &line, &why);
	assert_int_equal(line, 6);
	import_free(p);

	/* 16 to 18 digits: one code ending in zeros may be real, but a file
	 * whose every such code does, beyond chance, was rounded: refused whole */
	const char *r18 = "First Name,Last Name,Barcode #\nA,A,123456789012345000\n"
	    "B,B,223456789012345000\nC,C,323456789012345000\nD,D,DX-9\n";
	char *cause = NULL;
	assert_int_equal(import_read_mem(r18, strlen(r18), "r.csv", NULL, 0, &p, &cause), -1);
	assert_non_null(strstr(cause, "r.csv: the ticket codes were rounded by a spreadsheet: all 3 "
	    "codes of 16 to 18 digits end in zeros from the 16th digit (line 2 first)"));
	free(cause);
	const char *chance = "First Name,Last Name,Barcode #\nA,A,1234567890123450\n"
	    "B,B,2234567890123450\nC,C,3234567890123450\nD,D,4234567890123451\n";
	assert_int_equal(import_read_mem(chance, strlen(chance), "c.csv", NULL, 0, &p, NULL), 0);
	import_free(p);
	const char *few = "First Name,Last Name,Barcode #\nA,A,1234567890123450\n"
	    "B,B,2234567890123450\nC,C,3234567890123450\n";
	assert_int_equal(import_read_mem(few, strlen(few), "f.csv", NULL, 0, &p, NULL), 0);
	import_free(p);
}

/* Excel saving a UTF-8 list again as "CSV" (Windows-1252) writes the
 * letters that encoding lacks as '?': such a row is rejected, naming the
 * name, rather than a second guest "?ukasz" with a ticket of its own. In a
 * UTF-8 file a '?' is what was typed. */
static void
test_letters_lost_to_windows_1252_are_rejected(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Voornaam;Achternaam;E-mail\n\xc5\x81ukasz;Maes;lm@example.org\n"
	    "Zo\xc3\xab;\xc3\x87" "elik;zc@example.org\n");
	const char *saved = "Voornaam;Achternaam;E-mail\n?ukasz;Maes;lm@example.org\n"
	    "Zo\xeb;\xc7" "elik;zc@example.org\nAnna;Nowak-?;an@example.org\n";
	struct import_plan *p = NULL;
	size_t line;
	const char *why;
	assert_int_equal(import_read_mem(saved, strlen(saved), "w.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_encoding(p), CSVIN_CP1252);
	assert_int_equal(import_rejects(p), 2);
	import_reject(p, 0, &line, &why);
	assert_int_equal(line, 2);
	assert_non_null(strstr(why, "first name '?ukasz' has a '?'"));
	assert_non_null(strstr(why, "save it as CSV UTF-8"));
	import_reject(p, 1, &line, &why);
	assert_int_equal(line, 4);
	assert_non_null(strstr(why, "last name 'Nowak-?'"));
	struct import_report rep;
	char *cause = NULL;
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.unchanged, 1); /* Zoë */
	assert_int_equal(rep.added, 0);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 2);

	const char *utf8 = "First Name,Last Name\nWho?,Kn\xc3\xb6ws\n";
	assert_int_equal(import_read_mem(utf8, strlen(utf8), "u.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_rejects(p), 0);
	import_free(p);
	/* A file whose only such names were saved so is all ASCII. */
	const char *ascii = "First Name,Last Name\n?ukasz,Maes\nJan,Smit\n";
	assert_int_equal(import_read_mem(ascii, strlen(ascii), "a.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_rejects(p), 1);
	import_free(p);
}

/* Dutch exports keep "van", "de", "van der" in a column of their own. */
static void
test_tussenvoegsel_starts_the_last_name(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Voornaam;Tussenvoegsel;Achternaam;E-mailadres\n"
	    "Jan;van;Dijk;jan@x.nl\nAn;;Peeters;an@x.be\nPiet;van der;;p@x.nl\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Jan'"
	    " AND last_name = 'van Dijk' AND extra = '{}'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Peeters'"),
	    1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'van der'"),
	    1);
	int got = 0;
	assert_true(guest_search(fx->s, "van dijk", 20, count_hits, &got, NULL) >= 0);
	assert_int_equal(got, 1);
	/* An export that also has it in the last name: not "van van Dijk". */
	import_text(fx->s, "Voornaam;Tussenvoegsel;Achternaam;E-mailadres\n"
	    "Jan;van;van Dijk;jan@x.nl\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'van Dijk'"),
	    1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);
}

/* Guests imported before names were read this way (the tussenvoegsel kept
 * as an extra field; "Jan Smit Jr." split as "Jan Smit" + "Jr.") are found
 * again by the new reading, not added a second time. */
static void
test_names_read_anew_still_match(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Voornaam;Achternaam;E-mailadres;Opmerking\n"
	    "Jan;Dijk;jan@x.nl;van\nJan Smit;Jr.;js@x.nl;\n");
	/* as an older version kept the unknown column */
	assert_int_equal(sqlite3_exec(store_db(fx->s), "UPDATE guest SET extra ="
	    " '{\"Tussenvoegsel\":\"van\",\"Opmerking\":\"van\"}' WHERE last_name = 'Dijk'",
	    NULL, NULL, NULL), SQLITE_OK);
	struct import_report r = import_text(fx->s, "Voornaam;Tussenvoegsel;Achternaam;E-mailadres\n"
	    "Jan;van;Dijk;jan@x.nl\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'van Dijk'"
	    " AND extra = '{\"Opmerking\":\"van\"}'"), 1);
	r = import_text(fx->s, "Naam,E-mail\nJan Smit Jr.,js@x.nl\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 2);

}

/* Two "Notes" columns and one without a header: each value is kept, under
 * a name of its own. */
static void
test_repeated_and_empty_headers_keep_every_value(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Notes,Notes,,Notes (2)\n"
	    "Jan,Smit,veggie,wheelchair,foo,bar\n");
	char *extra = tu_text(fx->s, "SELECT extra FROM guest");
	assert_string_equal(extra, "{\"Notes\":\"veggie\",\"Notes (2)\":\"wheelchair\","
	    "\"Column 5\":\"foo\",\"Notes (2) (2)\":\"bar\"}");
	free(extra);
}

/* A column of the new file left empty clears what the old file put there;
 * a column the new file does not have leaves it alone. */
static void
test_reimport_clears_emptied_extras(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Code,Dietary,Size\nJan,Smit,C0000001,vegan,XL\n");
	struct import_report r = import_text(fx->s, "First Name,Last Name,Code,Dietary\n"
	    "Jan,Smit,C0000001,\n");
	assert_int_equal(r.updated, 1);
	char *extra = tu_text(fx->s, "SELECT extra FROM guest");
	assert_string_equal(extra, "{\"Size\":\"XL\"}");
	free(extra);
}

/* The export again, its code column renamed (or a form of the same people
 * with T-shirt sizes): matched by name and e-mail, not added twice, and the
 * check-in stays with the guest. */
static void
test_reimport_without_code_column_matches_by_name(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Email,Code\n"
	    "Jan,Smit,jan@example.org,ABC12345\nAn,Peeters,an@example.org,XYZ98765\n");
	const struct checkin_policy pol = { 0 };
	struct checkin_outcome o;
	assert_int_equal(checkin_scan(fx->s, "ABC12345", 8, "Door", &pol, 1000, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);

	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Ticket Ref,Shirt\n"
	    "Jan,Smit,JAN@example.org,ABC12345,L\nAn,Peeters,an@example.org,XYZ98765,M\n"
	    "Nieuw,Persoon,n@example.org,Q1,S\n");
	assert_int_equal(r.updated, 2);
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'ABC12345'"
	    " AND extra LIKE '%\"Shirt\":\"L\"%'"), 1);
	assert_int_equal(checkin_scan(fx->s, "ABC12345", 8, "Door", &pol, 2000, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_ALREADY);
	checkin_outcome_clear(&o);
}

/* `kiosk guests --format csv`, edited in a spreadsheet and imported again:
 * its "extra" column is unpacked, its "source" column is ours, and guests
 * nobody edited are unchanged. */
static void
test_own_listing_imports_back(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Code,T-shirt\nJan,Smit,C0000001,XL\n"
	    "An,Peeters,C0000002,M\n");
	struct import_report r = import_text(fx->s,
	    "code,first_name,last_name,email,company,ticket_type,handle,source,status,extra\n"
	    "C0000001,Jan,Smit,,,,,import,valid,\"{\"\"T-shirt\"\":\"\"XL\"\"}\"\n"
	    "C0000002,An,Peeters-Claes,,,,,import,valid,\"{\"\"T-shirt\"\":\"\"L\"\"}\"\n");
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(r.updated, 1);
	char *extra = tu_text(fx->s, "SELECT extra FROM guest WHERE code = 'C0000002'");
	assert_string_equal(extra, "{\"T-shirt\":\"L\"}");
	free(extra);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name ="
	    " 'Peeters-Claes'"), 1);
	/* A field taken out of the extra column, or the cell emptied, is taken
	 * off the guest. */
	import_text(fx->s, "code,first_name,last_name,email,company,ticket_type,handle,source,status,"
	    "extra\nC0000002,An,Peeters-Claes,,,,,import,valid,\n");
	extra = tu_text(fx->s, "SELECT extra FROM guest WHERE code = 'C0000002'");
	assert_string_equal(extra, "{}");
	free(extra);
	/* Its values are checked as any field is: no bell in a T-shirt size. */
	const char *bell = "code,first_name,last_name,extra\n"
	    "C0000001,Jan,Smit,\"{\"\"T-shirt\"\":\"\"X\\u0007L\"\"}\"\n";
	struct import_plan *p = NULL;
	size_t line;
	const char *why;
	assert_int_equal(import_read_mem(bell, strlen(bell), "b.csv", NULL, 0, &p, NULL), 0);
	assert_int_equal(import_rejects(p), 1);
	import_reject(p, 0, &line, &why);
	assert_non_null(strstr(why, "'T-shirt' contains a control character"));
	import_free(p);
}

/* A first list without a code column, then the one with it: the guests
 * take the platform's codes, nobody is added twice, the check-in stays. */
static void
test_codes_come_later(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Email\nJan,Smit,jan@example.org\n"
	    "An,Peeters,an@example.org\n");
	char *ours = tu_text(fx->s, "SELECT code FROM guest WHERE last_name = 'Smit'");
	const struct checkin_policy pol = { 0 };
	struct checkin_outcome o;
	assert_int_equal(checkin_scan(fx->s, ours, strlen(ours), "Door", &pol, 1000, &o, NULL), 0);
	checkin_outcome_clear(&o);
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Barcode\n"
	    "Jan,Smit,jan@example.org,AB12CD34EF\nAn,Peeters,an@example.org,GH56IJ78KL\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 2);
	assert_int_equal(checkin_scan(fx->s, "AB12CD34EF", 10, "Door", &pol, 2000, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_ALREADY);
	checkin_outcome_clear(&o);
	/* A second ticket of the same person, with a code of its own, is a
	 * guest of its own: not matched by the name, when the first is still
	 * in the file (alone, it is the first's code changed: refused, as for
	 * a guest that came with the platform's code; test_new_codes_without_
	 * ids_are_said). */
	char *cause = NULL;
	assert_int_equal(import_try(fx->s, "First Name,Last Name,Email,Barcode\n"
	    "Jan,Smit,jan@example.org,ZZ99YY88XX\n", false, &r, &cause), -1);
	assert_non_null(strstr(cause, "AB12CD34EF would become ZZ99YY88XX"));
	free(cause);
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode\n"
	    "Jan,Smit,jan@example.org,AB12CD34EF\nJan,Smit,jan@example.org,ZZ99YY88XX\n");
	assert_int_equal(r.added, 1);
	free(ours);
}

/* Matching by name never takes a guest it cannot be sure of: two guests of
 * one name and e-mail (a cancelled ticket and its replacement), a walk-in,
 * a guest whose ticket was mailed, a guest with a ticket of its own for a
 * row left without a code; and a cancelled row with a code takes over
 * nobody. A second row is better than a valid ticket refused. */
static void
test_name_match_takes_no_chances(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Jan,Smit,jan@x.org,111111111,Attending\n");
	import_text(fx->s, "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Jan,Smit,jan@x.org,111111111,Cancelled\nJan,Smit,jan@x.org,222222222,Attending\n");
	/* two candidates: the valid one is left alone */
	import_text(fx->s, "First Name,Last Name,Email,Ticket ref,Attendee Status\n"
	    "Jan,Smit,jan@x.org,222222222,Cancelled\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '222222222'"
	    " AND NOT cancelled"), 1);
	/* a row without a code, in a file with codes, is not the coded guest */
	import_text(fx->s, "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Ann,Aerts,ann@x.org,333333333,Attending\n");
	import_text(fx->s, "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Ann,Aerts,ann@x.org,,Cancelled\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = '333333333'"
	    " AND NOT cancelled"), 1);
	/* a walk-in paid at the door; the export then says Refunded, or
	 * gives a code: the walk-in's badge keeps working */
	struct guest_fields w = { .first_name = "Piet", .last_name = "Bakker",
	    .email = "piet@x.org" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Desk", &g, NULL), 0);
	import_text(fx->s, "First Name,Last Name,Email,Barcode #,Attendee Status\n"
	    "Piet,Bakker,piet@x.org,444444444,Refunded\nPiet,Bakker,piet@x.org,555555555,"
	    "Attending\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE source = 'walkin'"
	    " AND NOT cancelled AND code LIKE '%-%'"), 1);
	guest_clear(&g);
	/* a form guest whose ticket (our code) was mailed is not added again
	 * with the platform's code, which would let both tickets in: the file
	 * is refused, naming the line, unless the platform's codes are said to
	 * be the new ones; then she has that one, and is still one guest */
	import_text(fx->s, "First Name,Last Name,Email\nMia,Maes,mia@x.org\n");
	assert_int_equal(sqlite3_exec(store_db(fx->s), "INSERT INTO mail (guest_uuid, at, address,"
	    " result) SELECT uuid, 0, email, 'sent' FROM guest WHERE last_name = 'Maes'", NULL,
	    NULL, NULL), SQLITE_OK);
	char *mailed = tu_text(fx->s, "SELECT code FROM guest WHERE last_name = 'Maes'");
	const char *coded = "First Name,Last Name,Email,Barcode #\nMia,Maes,mia@x.org,666666666\n";
	struct import_report r;
	char *cause = NULL;
	assert_int_equal(import_try(fx->s, coded, false, &r, &cause), -1);
	char *want = xasprintf("(line 2: %s would become 666666666)", mailed);
	if (strstr(cause, want) == NULL)
		fail_msg("got '%s', want '%s' in it", cause, want);
	free(want);
	free(cause);
	char *sql = sqlite3_mprintf("SELECT count(*) FROM guest WHERE code = %Q", mailed);
	assert_int_equal(tu_count(fx->s, sql), 1);
	sqlite3_free(sql);
	assert_int_equal(import_try(fx->s, coded, true, &r, &cause), 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.added, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Maes'"
	    " AND code = '666666666'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name = 'Maes'"), 1);
	free(mailed);
}

/* A "Nom et prénom" list imported before such a column was read last name
 * first (with --map name=, its names the wrong way round) is the same
 * guests when imported now: their names are set right, nobody is added. */
static void
test_last_name_first_list_imported_the_old_way(void **state)
{
	struct tu_fixture *fx = *state;
	const char *csv = "Nom et pr\xc3\xa9nom,Adresse e-mail\nDupont Jean,jean@x.fr\n"
	    "Van den Berg Anne,anne@x.fr\n";
	struct colmap_override ov = { "name", "Nom et pr\xc3\xa9nom" };
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	assert_int_equal(import_read_mem(csv, strlen(csv), "old.csv", &ov, 1, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "test", NULL, NULL, &rep, &cause), 0);
	import_free(p);
	assert_int_equal(rep.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Dupont'"),
	    1);
	rep = import_text(fx->s, csv);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Jean'"
	    " AND last_name = 'Dupont'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Anne'"
	    " AND last_name = 'Van den Berg'"), 1);
	rep = import_text(fx->s, csv);
	assert_int_equal(rep.unchanged, 2);
}

/* A guest an older kiosk made of "Anne Van den Broeck-De Smet" (first name
 * "Anne Van den Broeck-De") is the same guest in a re-import of the form,
 * with her name set right, not a second one: a name is matched whole,
 * wherever it was cut. */
static void
test_double_surname_split_the_old_way(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Name,Email\nPiet Peeters,piet@x.be\n");
	/* as the older split left her */
	assert_int_equal(sqlite3_exec(store_db(fx->s), "INSERT INTO guest (uuid, code, first_name,"
	    " last_name, email, source, created_at, updated_at, updated_by, sort_key, words)"
	    " SELECT 'u-anne', 'TEST26-OLDANNE', 'Anne Van den Broeck-De', 'Smet', 'anne@x.be',"
	    " 'import', 0, 0, 'old', 'smet', ''", NULL, NULL, NULL), SQLITE_OK);
	struct import_report r = import_text(fx->s, "Name,Email\nPiet Peeters,piet@x.be\n"
	    "Anne Van den Broeck-De Smet,anne@x.be\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Anne'"
	    " AND last_name = 'Van den Broeck-De Smet' AND code = 'TEST26-OLDANNE'"), 1);
}

/* A form's re-import with a name corrected (Wouters -> Wauters) adds a
 * guest, as e-mail is no key; it says so, naming the line, when nobody in
 * the file is the guest of that e-mail any more; not for a family sharing
 * an address, both in the file. */
static void
test_corrected_name_is_said(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "Naam,E-mail\nWout Wouters,wout@x.be\n"
	    "An Peeters,an@x.be\n");
	assert_int_equal(r.added, 2);
	r = import_text(fx->s, "Naam,E-mail\nAn Peeters,an@x.be\nWout Wauters,WOUT@x.be\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.same_email, 1);
	assert_int_equal(r.same_email_lines[0], 3);
	r = import_text(fx->s, "Naam,E-mail\nAn Peeters,an@x.be\nPiet Peeters,an@x.be\n"
	    "Wout Wauters,wout@x.be\nWout Wouters,wout@x.be\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.same_email, 0);
	/* the other guest's row found by its code (kiosk guests --format csv,
	 * a row added to it) names them as well */
	char *code = tu_text(fx->s, "SELECT code FROM guest WHERE last_name = 'Wouters'");
	char *csv = xasprintf("code,first_name,last_name,email\n%s,Wout,Wouters,wout@x.be\n"
	    ",Mia,Wouters,wout@x.be\n", code);
	r = import_text(fx->s, csv);
	assert_int_equal(r.added, 1);
	assert_int_equal(r.same_email, 0);
	free(csv);
	free(code);
	/* eleven corrected names are all counted, not the first ten */
	struct buf a, b;
	buf_init(&a, 0);
	buf_init(&b, 0);
	buf_addf(&a, "Naam,E-mail\n");
	buf_addf(&b, "Naam,E-mail\n");
	for (int i = 0; i < 11; i++) {
		buf_addf(&a, "Gast Oud%d,g%d@x.be\n", i, i);
		buf_addf(&b, "Gast Nieuw%d,g%d@x.be\n", i, i);
	}
	import_text(fx->s, buf_cstr(&a));
	r = import_text(fx->s, buf_cstr(&b));
	assert_int_equal(r.added, 11);
	assert_int_equal(r.same_email, 11);
	assert_int_equal(r.same_email_lines[0], 2);
	buf_free(&a);
	buf_free(&b);
}

/* A walk-in who then bought a ticket on the platform holds two tickets
 * that both admit: the import says so for a row of their e-mail or whole
 * name (a coded row matches by its code alone), not for a cancelled
 * walk-in, nor for a row that is cancelled itself. */
static void
test_walkin_who_bought_online_is_said(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Email,Barcode #\nAn,Peeters,an@x.be,1001\n");
	struct guest_fields tf = { .first_name = "Tom", .last_name = "Peeters",
	    .email = "tom@x.be" };
	struct guest_fields lf = { .first_name = "Lisa", .last_name = "Walk" };
	struct guest_fields cf = { .first_name = "Cas", .last_name = "Gone", .email = "cas@x.be" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &tf, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	assert_int_equal(guest_add_walkin(fx->s, &lf, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	assert_int_equal(guest_add_walkin(fx->s, &cf, "Door 1", &g, NULL), 0);
	char *code = xstrdup(g.code);
	guest_clear(&g);
	assert_int_equal(guest_set_cancelled(fx->s, code, true, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	free(code);
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Barcode #,"
	    "Attendee Status\nAn,Peeters,an@x.be,1001,Attending\nThomas,Peeters,TOM@x.be,1002,"
	    "Attending\nLisa,Walk,lisa@x.be,1003,Attending\nCas,Gone,cas@x.be,1004,Attending\n"
	    "Tom,Other,tom@x.be,1005,Cancelled\nPiet,Nieuw,piet@x.be,1006,Attending\n");
	assert_int_equal(r.added, 5);
	assert_int_equal(r.same_walkin, 2);
	assert_int_equal(r.same_walkin_lines[0], 3);
	assert_int_equal(r.same_walkin_lines[1], 4);
}

/* "Wei Li" and "Li Wei" on one booking e-mail are two people. */
static void
test_names_in_another_order_are_other_people(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email\n"
	    "Wei,Li,team@x.cn\nLi,Wei,team@x.cn\n");
	assert_int_equal(r.added, 2);
	r = import_text(fx->s, "First Name,Last Name,Email\nWei,Li,team@x.cn\nLi,Wei,team@x.cn\n");
	assert_int_equal(r.unchanged, 2);
}

/* What a spreadsheet or a web page leaves around a value, and the guard our
 * CSVs put before = + - @, are not part of it. */
static void
test_fields_lose_invisible_padding(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Name,Email,Barcode,Company\nJan Smit,jan@example.org,,Acme\n");
	struct import_report r = import_text(fx->s, "Name,Email,Barcode,Company\n"
	    "Jan Smit,jan@example.org\xc2\xa0,\xc2\xa0,'+Acme\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE company = '+Acme'"
	    " AND email = 'jan@example.org'"), 1);
	/* direction overrides and isolates, which turn a name around on a
	 * badge ("\u202EeeL" reads "Lee"), are left out */
	r = import_text(fx->s, "First Name,Last Name,Email\n"
	    "Ann,\xe2\x80\xae" "eeL,ann@example.org\nBo,Ba\xe2\x81\xa8x\xe2\x81\xa9,bo@example.org\n");
	assert_int_equal(r.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE last_name IN"
	    " ('eeL', 'Bax')"), 2);
}

/* A re-import that would give guests on the list another ticket code (a
 * 25-digit barcode column saved by Excel as a number keeps 15 digits; a
 * wrong --map code=) stops with nothing written, naming the lines, unless
 * the organiser says the platform issued new codes. A code made here and
 * never mailed is replaced, with a warning that its printed badge will
 * not scan (the report's new_code, with the lines). */
static void
test_new_codes_are_said(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r;
	char *cause = NULL;
	r = import_text(fx->s, "Attendee #,First Name,Last Name,Barcode #\n"
	    "9001,Anna,Aerts,8184922608941621308297001\n"
	    "9002,Bert,Bos,8184922608941621308298001\n"
	    "9003,Carl,Claes,8184922608941621308299001\n"
	    "9004,Dina,Dirks,8184922608941621308290001\n");
	assert_int_equal(r.added, 4);
	const char *wrong = "Attendee #,First Name,Last Name,Barcode #\n"
	    "9001,Anna,Aerts,A-1\n9002,Bert,Bos,B-2\n9003,Carl,Claes,C-3\n"
	    "9004,Dina,Dirks,8184922608941621308290001\n9005,Eva,Els,E-5\n";
	assert_int_equal(import_try(fx->s, wrong, false, &r, &cause), -1);
	assert_non_null(strstr(cause, "3 guests on the list would get another ticket code"));
	assert_non_null(strstr(cause, "line 2: 8184922608941621308297001 would become A-1"));
	assert_non_null(strstr(cause, "line 4: 8184922608941621308299001 would become C-3"));
	assert_non_null(strstr(cause, "--new-codes"));
	free(cause);
	cause = NULL;
	/* nothing written: not the codes, not the new guest */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 4);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code ="
	    " '8184922608941621308297001'"), 1);
	/* said: the platform's new codes */
	assert_int_equal(import_try(fx->s, wrong, true, &r, &cause), 0);
	assert_int_equal(r.updated, 3);
	assert_int_equal(r.new_code, 0); /* the platform's codes: their own warning above */
	assert_int_equal(r.remail, 0);   /* the platform mailed those, not kiosk */
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'A-1'"), 1);
	/* A platform's code that kiosk mail sent too: that ticket no longer
	 * scans either, and the guest is named for mailing again. */
	assert_int_equal(sqlite3_exec(store_db(fx->s), "INSERT INTO mail (guest_uuid, at, address,"
	    " result, code) SELECT uuid, 1, 'b@example.org', 'sent', code FROM guest WHERE"
	    " ext_id = '9002'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(import_try(fx->s, "Attendee #,First Name,Last Name,Barcode #\n"
	    "9001,Anna,Aerts,A-1\n9002,Bert,Bos,B-22\n", true, &r, &cause), 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.new_code, 0);
	assert_int_equal(r.remail, 1);
	assert_int_equal(r.remail_lines[0], 3);

	/* A guest listed first without a code (one made here), then with the
	 * platform's: replaced, said as a warning, by id as by name; but not
	 * once kiosk mail sent a ticket with it. */
	r = import_text(fx->s, "Attendee #,First Name,Last Name\n9101,Fay,Faes\n9102,Gus,Goes\n");
	assert_int_equal(r.added, 2);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "INSERT INTO mail (guest_uuid, at, address,"
	    " result) SELECT uuid, 1, 'g@example.org', 'sent' FROM guest WHERE ext_id = '9102'",
	    NULL, NULL, NULL), SQLITE_OK);
	r = import_text(fx->s, "Attendee #,First Name,Last Name,Barcode #\n9101,Fay,Faes,F-6\n");
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.new_code, 1);
	assert_int_equal(r.new_code_lines[0], 2);
	assert_int_equal(r.remail, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'F-6'"), 1);
	assert_int_equal(import_try(fx->s, "Attendee #,First Name,Last Name,Barcode #\n"
	    "9102,Gus,Goes,G-7\n", false, &r, &cause), -1);
	assert_non_null(strstr(cause, "1 guest on the list would get another ticket code (line 2:"));
	free(cause);
	cause = NULL;
	/* Said with --new-codes, the guest mailed is named for mailing again
	 * (kiosk mail --unsent): their ticket no longer scans. */
	assert_int_equal(import_try(fx->s, "Attendee #,First Name,Last Name,Barcode #\n"
	    "9102,Gus,Goes,G-7\n", true, &r, &cause), 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.new_code, 0);
	assert_int_equal(r.remail, 1);
	assert_int_equal(r.remail_lines[0], 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'G-7'"), 1);
}

/* The same in a file with ticket codes and no attendee id: a guest of the
 * row's name and e-mail whose code no row has any more is that row's, its
 * code changed (a wrong --map code=, the platform's new codes). Before,
 * every such row was added again: the list held everyone twice, and both
 * codes let them in. A guest whose code is still in the file, a cancelled
 * one, or two of the name and e-mail, are other tickets: rows added. */
static void
test_new_codes_without_ids_are_said(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r;
	char *cause = NULL;
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #,Order\n"
	    "Ann,Peeters,ann@example.org,P1000001,O-77001\n"
	    "Bob,Jans,bob@example.org,P1000002,O-77002\n"
	    "Cor,Vos,cor@example.org,P1000003,O-77003\n");
	assert_int_equal(r.added, 3);
	/* --map code=Order: every code changes */
	struct import_plan *p = NULL;
	struct colmap_override ov = { "code", "Order" };
	const char *again = "First Name,Last Name,Email,Barcode #,Order\n"
	    "Ann,Peeters,ann@example.org,P1000001,O-77001\n"
	    "Bob,Jans,bob@example.org,P1000002,O-77002\n"
	    "Cor,Vos,cor@example.org,P1000003,O-77003\n";
	assert_int_equal(import_read_mem(again, strlen(again), "test.csv", &ov, 1, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "test", NULL, NULL, &r, &cause), -1);
	import_free(p);
	assert_non_null(strstr(cause, "3 guests on the list would get another ticket code"));
	assert_non_null(strstr(cause, "line 2: P1000001 would become O-77001"));
	free(cause);
	cause = NULL;
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);

	/* one code changed: refused, then taken with --new-codes */
	const char *one = "First Name,Last Name,Email,Barcode #\n"
	    "Ann,Peeters,ann@example.org,Z2000001\n"
	    "Bob,Jans,bob@example.org,P1000002\n";
	assert_int_equal(import_try(fx->s, one, false, &r, &cause), -1);
	assert_non_null(strstr(cause, "1 guest on the list would get another ticket code"
	    " (line 2: P1000001 would become Z2000001)"));
	free(cause);
	cause = NULL;
	assert_int_equal(import_try(fx->s, one, true, &r, &cause), 0);
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'Z2000001'"
	    " AND first_name = 'Ann'"), 1);

	/* a second ticket of Ann's, her first still in the file: added */
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Ann,Peeters,ann@example.org,Z2000001\n"
	    "Ann,Peeters,ann@example.org,Z3000001\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.unchanged, 1);
	/* two Anns on the list now: a third code is nobody's in particular */
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Ann,Peeters,ann@example.org,Z4000001\n");
	assert_int_equal(r.added, 1);
	/* a cancelled guest bought again: a new ticket */
	struct guest g;
	assert_int_equal(guest_set_cancelled(fx->s, "P1000003", true, "test", &g, &cause), 0);
	guest_clear(&g);
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Cor,Vos,cor@example.org,Q5000003\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'P1000003'"
	    " AND cancelled = 1"), 1);
}

/* A change made here is stamped after the copy it changes, even when that
 * copy's time is ahead of this clock (written by a door whose clock ran
 * fast): else the older-looking change loses to it on every node, for good. */
static void
test_changes_stamped_after_the_copy(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Barcode #\nAnn,One,CODE0001\n");
	const int64_t ahead = util_now_ms() + 3600 * 1000;
	char *sql = sqlite3_mprintf("UPDATE guest SET updated_at = %lld", (long long)ahead);
	assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	struct guest g;
	char *cause = NULL;
	assert_int_equal(guest_set_cancelled(fx->s, "CODE0001", true, "hub", &g, &cause), 0);
	assert_true(g.updated_at > ahead);
	guest_clear(&g);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE cancelled"), 1);
	long long cancelled_at = tu_count(fx->s, "SELECT updated_at FROM guest");
	assert_true(cancelled_at > ahead);
	struct import_report r = import_text(fx->s, "First Name,Last Name,Barcode #,Company\n"
	    "Ann,One,CODE0001,Acme\n");
	assert_int_equal(r.updated, 1);
	assert_true(tu_count(fx->s, "SELECT updated_at FROM guest") > cancelled_at);
}

/* Guests first imported from a file with attendee ids, or first from a form
 * and then given the platform's codes, are found by name and e-mail in a
 * file of codes without ids whose codes changed: refused, not added again
 * (both tickets would admit). */
static void
test_new_codes_of_guests_with_ids_or_from_a_form_are_said(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r;
	char *cause = NULL;
	r = import_text(fx->s, "First Name,Last Name,Email,Attendee #,Barcode #\n"
	    "Ann,Peeters,ann@example.org,1001,P1000001\n"
	    "Bob,Jans,bob@example.org,1002,P1000002\n");
	assert_int_equal(r.added, 2);
	/* the id column left out, Ann's code changed */
	const char *noids = "First Name,Last Name,Email,Barcode #\n"
	    "Ann,Peeters,ann@example.org,Z2000001\n"
	    "Bob,Jans,bob@example.org,P1000002\n";
	assert_int_equal(import_try(fx->s, noids, false, &r, &cause), -1);
	assert_non_null(strstr(cause, "line 2: P1000001 would become Z2000001"));
	free(cause);
	cause = NULL;
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 2);
	assert_int_equal(import_try(fx->s, noids, true, &r, &cause), 0);
	assert_int_equal(r.added, 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'Z2000001'"
	    " AND ext_id = '1001'"), 1);

	/* a form first, then the platform's codes, then other codes */
	r = import_text(fx->s, "Naam,E-mail\nCor Vos,cor@example.org\n");
	assert_int_equal(r.added, 1);
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #,Order #\n"
	    "Cor,Vos,cor@example.org,P1000003,O-3\n");
	assert_int_equal(r.new_code, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);
	const char *order = "First Name,Last Name,Email,Barcode #,Order #\n"
	    "Cor,Vos,cor@example.org,P1000003,O-3\n";
	struct import_plan *p = NULL;
	struct colmap_override ov = { "code", "Order #" };
	assert_int_equal(import_read_mem(order, strlen(order), "test.csv", &ov, 1, &p, &cause), 0);
	assert_int_equal(import_apply(fx->s, p, false, "test", NULL, NULL, &r, &cause), -1);
	import_free(p);
	assert_non_null(strstr(cause, "line 2: P1000003 would become O-3"));
	free(cause);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 3);
}

/* A form's row of a corrected name, with the e-mail of a guest who came
 * with the platform's code (the form matched such guests too), is said. */
static void
test_corrected_name_of_a_coded_guest_is_said(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Jan,de Smet,jan@example.org,P4000001\n"
	    "Els,Maes,els@example.org,P4000002\n");
	assert_int_equal(r.added, 2);
	r = import_text(fx->s, "Naam,E-mail\nEls Maes,els@example.org\n"
	    "Jan De Smedt,jan@example.org\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(r.same_email, 1);
	assert_int_equal(r.same_email_lines[0], 3);
}

/* A form's RSVP "No" with the name and e-mail of a guest who came with the
 * platform's code does not cancel that ticket: the form can only add its
 * own cancelled row. */
static void
test_form_no_does_not_cancel_a_platform_ticket(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Jan,de Smet,jan@example.org,P7000001\n");
	assert_int_equal(r.added, 1);
	r = import_text(fx->s, "Name,Email,RSVP\nJan de Smet,jan@example.org,No\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'P7000001'"
	    " AND cancelled = 0"), 1);
	assert_int_equal(r.updated, 0);
}

/* A form's row with a guest's whole name and another e-mail (an e-mail
 * corrected) is added, and said with its line, unless a row of the file
 * matched that guest: then two people share the name. */
static void
test_corrected_email_is_said(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "Name,E-mail\n"
	    "Jan Peeters,jan@old.example.org\nEls Maes,els@example.org\n");
	assert_int_equal(r.added, 2);
	r = import_text(fx->s, "Name,E-mail\nEls Maes,els@example.org\n"
	    "Jan Peeters,jan@new.example.org\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.same_name, 1);
	assert_int_equal(r.same_name_lines[0], 3);
	assert_int_equal(r.same_email, 0);
	/* both Jans in the file: two people of one name, nothing said */
	r = import_text(fx->s, "Name,E-mail\nJan Peeters,jan@old.example.org\n"
	    "Jan Peeters,jan@new.example.org\nJan Peeters,jan@third.example.org\n");
	assert_int_equal(r.added, 1);
	assert_int_equal(r.same_name, 0);
}

/* The same extra fields in another order (columns reordered, two files
 * imported in turn) change nothing. */
static void
test_reordered_columns_change_nothing(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First Name,Last Name,Barcode #,Size,Diet\n"
	    "Ann,Peeters,P5000001,M,vegan\n");
	assert_int_equal(r.added, 1);
	r = import_text(fx->s, "Diet,Size,Barcode #,Last Name,First Name\n"
	    "vegan,M,P5000001,Peeters,Ann\n");
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.unchanged, 1);
	r = import_text(fx->s, "First Name,Last Name,Barcode #,Order\nAnn,Peeters,P5000001,O-1\n");
	assert_int_equal(r.updated, 1);
	r = import_text(fx->s, "First Name,Last Name,Barcode #,Size,Diet\n"
	    "Ann,Peeters,P5000001,M,vegan\n");
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.unchanged, 1);
}

/* A file without an e-mail column cannot tell a guest listed with one from
 * another person of the name: its rows are added, and those with the name
 * of one guest on the list are said (before, silently all again). */
static void
test_file_without_emails_says_who_may_be_twice(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First name,Last name,Email address\n"
	    "Ann,Peeters,ann@example.org\nBob,Jans,bob@example.org\n"
	    "Jan,Claes,jan1@example.org\nJan,Claes,jan2@example.org\n");
	assert_int_equal(r.added, 4);
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Cor,Vos,cor@example.org,P6000001\n");
	assert_int_equal(r.added, 1);
	/* a name alone is no key (two people may share one): added, and each
	 * said with its line, but for Jan Claes, who is two already */
	r = import_text(fx->s, "First name,Last name,Dietary needs\n"
	    "Ann,Peeters,vegan\nBob,Jans,\nJan,Claes,\nCor,Vos,halal\n");
	assert_int_equal(r.added, 4);
	assert_int_equal(r.same_name, 3);
	assert_int_equal(r.same_name_lines[0], 2);
	assert_int_equal(r.same_name_lines[1], 3);
	assert_int_equal(r.same_name_lines[2], 5);
	/* the guest listed with an e-mail keeps what it had */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Ann'"
	    " AND email = 'ann@example.org' AND extra NOT LIKE '%vegan%'"), 1);
}

/* A form's RSVP "No" cancels no ticket the platform sold, also of a guest
 * first listed by the form; nor is it added beside the guest as a cancelled
 * guest of its own, which the form's next "Yes" would then update (its
 * fields lost to a cancelled copy, "left cancelled" said of it), with a
 * warning of a corrected name pointing at the paid ticket as "the old one". */
static void
test_form_no_leaves_a_platform_ticket_alone(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Jan,de Smet,jan@example.org,P7000001\n");
	r = import_text(fx->s, "Name,Email,RSVP,Diet\nJan de Smet,jan@example.org,No,\n");
	assert_int_equal(r.added, 0);
	assert_int_equal(r.same_email, 0);
	r = import_text(fx->s, "Name,Email,RSVP,Diet\nJan de Smet,jan@example.org,Yes,vegan\n");
	assert_int_equal(r.kept_cancelled, 0);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'P7000001'"
	    " AND cancelled = 0 AND extra LIKE '%vegan%'"), 1);

	/* first from the form, then the platform's code, then the form's "No" */
	r = import_text(fx->s, "Name,Email,RSVP\nCor Vos,cor@example.org,Yes\n");
	assert_int_equal(r.added, 1);
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #\n"
	    "Cor,Vos,cor@example.org,P1000003\n");
	assert_int_equal(r.new_code, 1);
	r = import_text(fx->s, "Name,Email,RSVP\nCor Vos,cor@example.org,No\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'P1000003'"
	    " AND cancelled = 0"), 1);
	/* a guest the form listed, with a code made here: its "No" cancels */
	r = import_text(fx->s, "Name,Email,RSVP\nEls Maes,els@example.org,Yes\n");
	r = import_text(fx->s, "Name,Email,RSVP\nEls Maes,els@example.org,No\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Els'"
	    " AND cancelled = 1"), 1);
}

/* A person's second ticket is no code changed when it is of another ticket
 * type (a workshop beside the conference, imported from a file of its own),
 * or when a rejected row of the file may hold the first ticket's code: the
 * row is added, as before recoded guests were looked for; --new-codes would
 * have given the first ticket the second's code and type. */
static void
test_second_ticket_is_not_a_new_code(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_report r;
	char *cause = NULL;
	r = import_text(fx->s, "First Name,Last Name,Email,Barcode #,Ticket Type,Company\n"
	    "Jan,Smit,jan@example.org,P1000001,Conference,Acme\n"
	    "Els,Maes,els@example.org,P1000002,Conference,Acme\n");
	assert_int_equal(r.added, 2);
	/* the workshop's own export */
	if (import_try(fx->s, "First Name,Last Name,Email,Barcode #,Ticket Type,Company\n"
	    "Jan,Smit,jan@example.org,W2000001,Workshop,Acme\n", false, &r, &cause) != 0)
		fail_msg("refused: %s", cause);
	assert_int_equal(r.added, 1);
	/* the whole export, Jan's first row rejected (a comma in a company) */
	if (import_try(fx->s, "First Name,Last Name,Email,Barcode #,Ticket Type,Company\n"
	    "Jan,Smit,jan@example.org,P1000001,Conference,Acme,Inc\n"
	    "Els,Maes,els@example.org,P1000002,Conference,Acme\n"
	    "Jan,Smit,jan@example.org,P1000003,Conference,Acme\n", false, &r, &cause) != 0)
		fail_msg("refused: %s", cause);
	assert_int_equal(r.added, 1);
	assert_int_equal(r.rejected, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code IN ('P1000001',"
	    " 'W2000001', 'P1000003') AND first_name = 'Jan'"), 3);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'P1000001'"
	    " AND ticket_type = 'Conference'"), 1);
}

/* A walk-in (a ticket made at the door, maybe already used) is cancelled
 * by no form: an RSVP "No" of the same name and e-mail in a form's
 * re-import is not the walk-in's refund. */
static void
test_form_no_keeps_walkin(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Email Address,Full name,RSVP\nnoor@x.org,Noor Nowak,Yes\n");
	struct guest_fields w = { .first_name = "Sam", .last_name = "Smit",
	    .email = "sam@x.org" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	import_text(fx->s, "Email Address,Full name,RSVP\nnoor@x.org,Noor Nowak,Yes\n"
	    "sam@x.org,Sam Smit,No\n");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE source = 'walkin'"
	    " AND NOT cancelled"), 1);
}

/* A list without e-mails (speakers, an RSVP list) finds no guest that came
 * with a code, or a walk-in, by the name alone: a guest of that name with
 * no e-mail may be another person. Added, and said. */
static void
test_names_only_list_takes_no_coded_guest(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Name,Ticket Type,Code\nJan Peeters,Day pass,BX-001\n"
	    "Lies Maes,Day pass,BX-002\n");
	struct guest_fields w = { .first_name = "Piet", .last_name = "Walk" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	struct import_report r = import_text(fx->s, "Name,Ticket Type,RSVP\n"
	    "Jan Peeters,Speaker,Yes\nPiet Walk,Speaker,No\n");
	assert_int_equal(r.added, 2);
	assert_int_equal(r.same_name, 1);
	assert_int_equal(r.same_name_lines[0], 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code = 'BX-001'"
	    " AND ticket_type = 'Day pass'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE source = 'walkin'"
	    " AND NOT cancelled AND ticket_type = ''"), 1);
}

/* A second list with codes of its own and no ticket type (a dinner's) is
 * no reissue of a conference ticket: its rows are added, not refused as
 * codes changed, where --new-codes would have taken the first ticket. */
static void
test_second_list_without_type_is_no_new_code(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "First Name,Last Name,Email,Ticket Type,Barcode\n"
	    "Ann,Peeters,ann@x.org,Conference,EB1001\nBob,Jacobs,bob@x.org,Conference,EB1002\n");
	struct import_report rep;
	char *cause = NULL;
	int rc = import_try(fx->s, "First Name,Last Name,Email,Code\n"
	    "Ann,Peeters,ann@x.org,DIN-77\nCas,Wouters,cas@x.org,DIN-78\n", false, &rep, &cause);
	if (rc != 0)
		fail_msg("refused: %s", cause);
	assert_int_equal(rep.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code IN"
	    " ('EB1001', 'DIN-77')"), 2);
}

/* A speakers' list (names, no e-mails) and then the platform's export with
 * an attendee of a speaker's name: two people, as in the other order. */
static void
test_speakers_then_export_is_two_people(void **state)
{
	struct tu_fixture *fx = *state;
	import_text(fx->s, "Name,Ticket Type\nJan Peeters,Speaker\nEva Claes,Speaker\n");
	struct import_report r = import_text(fx->s, "First Name,Last Name,Email,Ticket Type,"
	    "Barcode\nJan,Peeters,jan.p@x.org,Day pass,P-1001\nLies,Maes,lies@x.org,Day pass,"
	    "P-1002\n");
	assert_int_equal(r.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Jan'"
	    " AND ticket_type = 'Speaker' AND code LIKE '%-%'"), 1);
}

/* --- Excel workbooks ------------------------------------------------------- */

/* A workbook of one sheet with the rows given (sheetData's XML) and the
 * merged areas (mergeCells' XML, or ""), as bytes the caller frees. */
static char *
merged_workbook(const char *rows, const char *merges, size_t *len)
{
	static const char book[] = "<workbook xmlns=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
	    "officeDocument/2006/relationships\"><sheets><sheet name=\"Guests\" sheetId=\"1\" "
	    "r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
	    "openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/></Relationships>";
	char *sheet = xasprintf("<worksheet xmlns=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\"><sheetData>%s</sheetData>%s</worksheet>", rows, merges);
	const char *parts[][2] = {
		{ "xl/workbook.xml", book }, { "xl/_rels/workbook.xml.rels", rels },
		{ "xl/worksheets/sheet1.xml", sheet },
	};
	char *data = tz_zip(parts, 3, len);
	free(sheet);
	return data;
}

/* The same without merged areas. */
static char *
sheet_workbook(const char *rows, size_t *len)
{
	return merged_workbook(rows, "", len);
}

/* A colleague merged cells over groups of guests: a ticket type and a
 * company merged down are each guest's; a name merged down leaves the
 * lower row without one, rejected saying so. */
static void
test_workbook_merged_cells(void **state)
{
	struct tu_fixture *fx = *state;
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
	size_t len;
	char *z = merged_workbook(
	    "<row r=\"1\">" IS("A1", "Name") IS("B1", "Email") IS("C1", "Barcode")
	    IS("D1", "Ticket Type") IS("E1", "Company") "</row>"
	    "<row r=\"2\">" IS("A2", "Ann Peeters") IS("B2", "ann@example.org")
	    IS("C2", "100001") IS("D2", "VIP") IS("E2", "Acme") "</row>"
	    "<row r=\"3\">" IS("A3", "Bart Janssens") IS("B3", "bart@example.org")
	    IS("C3", "100002") "</row>"
	    "<row r=\"4\">" IS("B4", "carl@example.org") IS("C4", "100003") "</row>",
	    "<mergeCells><mergeCell ref=\"D2:D3\"/><mergeCell ref=\"E2:E4\"/>"
	    "<mergeCell ref=\"A3:A4\"/></mergeCells>", &len);
#undef IS
	struct import_plan *p = NULL;
	char *cause = NULL;
	if (import_read_mem(z, len, "attendees.xlsx", NULL, 0, &p, &cause) != 0)
		fail_msg("attendees.xlsx: %s", cause);
	static const struct want_reject want[] = {
		{ 4, "column 'Name' is merged with row 3 above it" },
	};
	expect_rejects(p, want, 1);
	struct import_report rep;
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE ticket_type = 'VIP'"
	    " AND company = 'Acme'"), 2);
	import_free(p);
	free(z);
}

/* A family's surname merged over its members' rows, each with a first
 * name of their own: each is a guest of that surname (said, since Excel
 * keeps the top cell's value only), not a row rejected. */
static void
test_workbook_merged_surname(void **state)
{
	struct tu_fixture *fx = *state;
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
	size_t len;
	char *z = merged_workbook(
	    "<row r=\"1\">" IS("A1", "First Name") IS("B1", "Last Name") IS("C1", "Email")
	    IS("D1", "Barcode") "</row>"
	    "<row r=\"2\">" IS("A2", "Ann") IS("B2", "Peeters") IS("C2", "ann@example.org")
	    IS("D2", "100001") "</row>"
	    "<row r=\"3\">" IS("A3", "Jan") IS("C3", "jan@example.org") IS("D3", "100002") "</row>"
	    "<row r=\"4\">" IS("C4", "x@example.org") IS("D4", "100003") "</row>",
	    "<mergeCells><mergeCell ref=\"B2:B4\"/></mergeCells>", &len);
#undef IS
	struct import_plan *p = NULL;
	char *cause = NULL;
	if (import_read_mem(z, len, "family.xlsx", NULL, 0, &p, &cause) != 0)
		fail_msg("family.xlsx: %s", cause);
	static const struct want_reject want[] = {
		{ 4, "column 'Last Name' is merged with row 2 above it" },
	};
	expect_rejects(p, want, 1);
	assert_int_equal(import_warnings(p), 1);
	size_t line = 0;
	const char *w = NULL;
	import_warning(p, 0, &line, &w);
	assert_int_equal(line, 3);
	if (strstr(w, "'Last Name' is merged with row 2") == NULL)
		fail_msg("warning: %s", w);
	struct import_report rep;
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE first_name = 'Jan'"
	    " AND last_name = 'Peeters' AND code = '100002'"), 1);
	import_free(p);
	free(z);
}

/* Import the same 12 guests again: nothing changes. */
static void
import_unchanged(struct tu_fixture *fx, const char *file)
{
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	if (import_read(file, NULL, 0, &p, &cause) != 0)
		fail_msg("%s: %s", file, cause);
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 0);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.unchanged, 12);
	import_free(p);
}

/* Import the Eventbrite-like list (xlsx-eventbrite.xlsx, or a copy
 * LibreOffice saved) into an empty event: read as the workbook's rows, its
 * first sheet of two, the title row above the header skipped; its 12
 * guests with their dates, order number, rich-text company, and the empty
 * cell an empty company. */
static void
import_eventbrite(struct tu_fixture *fx, const char *file)
{
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	const char *text;
	size_t line, n;

	if (import_read(file, NULL, 0, &p, &cause) != 0)
		fail_msg("%s: %s", file, cause);
	assert_string_equal(import_unit(p), "row");
	assert_string_equal(import_sheet(p, &n), "Attendees");
	assert_int_equal(n, 2);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(import_rows(p), 12);
	assert_true(import_has_codes(p));
	assert_int_equal(import_warnings(p), 1);
	import_warning(p, 0, &line, &text);
	assert_int_equal(line, 2);
	assert_string_equal(text, "the header is this row; row 1 above it is not a guest and "
	    "was skipped");
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 12);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE code ="
	    " '8184922608941621308297001' AND first_name = 'Zoë' AND last_name = 'Çelik'"
	    " AND company = 'Agence Lumière' AND ticket_type = 'Early bird'"
	    " AND json_extract(extra, '$.\"Order Date\"') = '2026-06-01 10:22:13'"
	    " AND json_extract(extra, '$.\"Event Date\"') = '2026-06-30'"
	    " AND json_extract(extra, '$.\"Order #\"') = '7225516707'"), 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " code = '8184922608941621308297002' AND company = ''"), 1);
}

/* An attendee report as a workbook: the same guests as its CSV would be,
 * its places rows, the sheet read named; imported again, unchanged. */
static void
test_workbook_imports_as_its_csv(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	char *cause = NULL;
	size_t n;

	import_eventbrite(fx, TEST_DATA "/xlsx-eventbrite.xlsx");
	/* LibreOffice's copy of it is the same list */
	import_unchanged(fx, TEST_DATA "/xlsx-libreoffice.xlsx");
	/* a CSV's places stay lines */
	assert_int_equal(import_read(TEST_DATA "/eventbrite-attendees.csv", NULL, 0, &p,
	    &cause), 0);
	assert_string_equal(import_unit(p), "line");
	assert_null(import_sheet(p, &n));
	import_free(p);
}

/* A workbook's rejected rows are named by their row and column, as Excel
 * shows them; a cell's line breaks are no stray quote. */
static void
test_workbook_rejects_name_rows(void **state)
{
	struct tu_fixture *fx = *state;
	size_t len;
	char *z = sheet_workbook(
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>First Name</t></is></c>"
	    "<c r=\"B1\" t=\"inlineStr\"><is><t>Last Name</t></is></c>"
	    "<c r=\"C1\" t=\"inlineStr\"><is><t>Email</t></is></c>"
	    "<c r=\"D1\" t=\"inlineStr\"><is><t>Barcode</t></is></c></row>"
	    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Ann</t></is></c>"
	    "<c r=\"C2\" t=\"inlineStr\"><is><t>ann@example.org</t></is></c>"
	    "<c r=\"D2\"><v>111</v></c></row>"
	    "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>Bea</t></is></c>"
	    "<c r=\"C4\" t=\"inlineStr\"><is><t>b_x0007_@example.org</t></is></c>"
	    "<c r=\"D4\"><v>222</v></c></row>"
	    "<row r=\"12\"><c r=\"A12\" t=\"inlineStr\"><is><t>Dup</t></is></c>"
	    "<c r=\"D12\" t=\"str\"><v>111</v></c></row>"
	    "<row r=\"13\"><c r=\"A13\" t=\"inlineStr\"><is><t>Marie\nClaire\nAnne</t></is></c>"
	    "<c r=\"B13\" t=\"inlineStr\"><is><t>Dubois</t></is></c>"
	    "<c r=\"D13\"><v>333</v></c></row>", &len);
	struct import_plan *p = NULL;
	char *cause = NULL;
	if (import_read_mem(z, len, "attendees.xlsx", NULL, 0, &p, &cause) != 0)
		fail_msg("attendees.xlsx: %s", cause);
	static const struct want_reject want[] = {
		{ 4, "column 'Email' contains a control character" },
		{ 12, "same ticket code as row 2" },
	};
	expect_rejects(p, want, 2);
	struct import_report rep;
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " first_name = 'Marie Claire Anne' AND code = '333'"), 1);
	import_free(p);
	free(z);
}

/* Barcodes the workbook keeps as numbers (Excel rounded them to 15
 * digits), or the spreadsheet (LibreOffice shows them rounded,
 * 8.18492260894162E+024): each row refused as a CSV's of them is, with
 * what to do. */
static void
test_workbook_rounded_codes(void **state)
{
	(void)state;
	static const struct { const char *file, *code; } cases[] = {
		{ TEST_DATA "/xlsx-rounded.xlsx", "8184922608941620000000000" },
		{ TEST_DATA "/ods-rounded.ods", "8.18492260894162E+024" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct import_plan *p = NULL;
		char *cause = NULL;
		if (import_read(cases[i].file, NULL, 0, &p, &cause) != 0)
			fail_msg("%s: %s", cases[i].file, cause);
		assert_int_equal(import_rows(p), 0);
		assert_int_equal(import_rejects(p), 12);
		size_t line;
		const char *why;
		import_reject(p, 0, &line, &why);
		assert_int_equal(line, 3);
		char *want = xasprintf("ticket code '%s' was turned into a rounded number by a "
		    "spreadsheet", cases[i].code);
		if (strstr(why, want) == NULL)
			fail_msg("%s: '%s' lacks '%s'", cases[i].file, why, want);
		free(want);
		assert_non_null(strstr(why, "not saved again by a spreadsheet"));
		import_free(p);
	}
}

/* An OpenDocument spreadsheet LibreOffice saved of the same list imports
 * as the workbook does: its places rows, the sheet read named, the same
 * guests with the same dates (the workbook imported after it changes
 * nothing); the .ods kiosk refused before (saved from that workbook too)
 * is the same list again. */
static void
test_spreadsheet_imports_as_its_workbook(void **state)
{
	struct tu_fixture *fx = *state;
	import_eventbrite(fx, TEST_DATA "/ods-eventbrite.ods");
	import_unchanged(fx, TEST_DATA "/xlsx-eventbrite.xlsx");
	import_unchanged(fx, TEST_DATA "/xlsx-libreoffice.ods");
}

/* Codes kept as numbers in a format are the codes LibreOffice shows and
 * prints ("TKT-00042", not 42); the hidden first sheet is not read. */
static void
test_spreadsheet_codes_as_shown(void **state)
{
	struct tu_fixture *fx = *state;
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	size_t n;
	if (import_read(TEST_DATA "/ods-codes.ods", NULL, 0, &p, &cause) != 0)
		fail_msg("ods-codes.ods: %s", cause);
	assert_string_equal(import_sheet(p, &n), "Guests");
	assert_int_equal(n, 2);
	assert_int_equal(import_rejects(p), 0);
	assert_int_equal(import_apply(fx->s, p, false, "t", NULL, NULL, &rep, &cause), 0);
	assert_int_equal(rep.added, 2);
	import_free(p);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM guest WHERE"
	    " (code = 'TKT-00042' AND first_name = 'Zoë') OR"
	    " (code = 'TKT-00007' AND first_name = 'Jan')"), 2);
}

/* --sheet: the sheet named is read, hidden or not, case aside; a failure
 * in it is said alone (the organiser chose it); a file without it says
 * the sheets it has; a CSV file given one is refused. Nothing is read of
 * any: import_open_sheet fails before a plan is made. */
static void
test_sheet_asked_for(void **state)
{
	(void)state;
	struct import_plan *p = NULL;
	char *cause = NULL;
	size_t n;
	if (import_open_sheet(TEST_DATA "/ods-codes.ods", "GUESTS", NULL, 0, &p, &cause) != 0 ||
	    import_finish(p, &cause) != 0)
		fail_msg("ods-codes.ods: %s", cause);
	assert_string_equal(import_sheet(p, &n), "Guests");
	assert_true(import_sheet_asked(p));
	assert_string_equal(import_sheets(p), "'Old list', 'Guests'");
	assert_int_equal(import_rows(p), 2);
	import_free(p);
	p = NULL;

	static const struct { const char *file, *sheet, *want; } bad[] = {
		/* the hidden first sheet, "not|this|sheet": read as asked */
		{ "/ods-codes.ods", "old list", "ods-codes.ods: no name column" },
		{ "/ods-codes.ods", "Gasten", "ods-codes.ods: no sheet is named 'Gasten'; its "
		    "sheets are: 'Old list', 'Guests'" },
		{ "/meetup-rsvps.csv", "Guests", "meetup-rsvps.csv: not a workbook (.xlsx) or "
		    "spreadsheet (.ods), which --sheet is for: leave --sheet out" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *path = xasprintf("%s%s", TEST_DATA, bad[i].file);
		assert_int_equal(import_open_sheet(path, bad[i].sheet, NULL, 0, &p, &cause), -1);
		assert_null(p);
		if (strstr(cause, bad[i].want) == NULL || strstr(cause, "first sheet shown") != NULL)
			fail_msg("%s --sheet %s: '%s'", bad[i].file, bad[i].sheet, cause);
		free(cause);
		cause = NULL;
		free(path);
	}
}

/* A workbook whose first sheet is not the list (instructions, a cover, an
 * empty one, a summary) is read from the next sheet shown that is, and
 * says which it passed over; a hidden sheet is never taken so. With no
 * list on any sheet, it fails saying which sheet was read, of how many,
 * and how to import another: "the sheet is empty" alone sent the
 * organiser to a list that is not. */
static void
test_workbook_other_sheet_said(void **state)
{
	(void)state;
#define BOOK(state2) "<workbook xmlns=\"http://schemas.openxmlformats.org/" \
	    "spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/" \
	    "officeDocument/2006/relationships\"><sheets><sheet name=\"Read me\" sheetId=\"1\" " \
	    "r:id=\"rId1\"/><sheet name=\"Guests\" sheetId=\"2\" r:id=\"rId2\"" state2 "/>" \
	    "</sheets></workbook>"
	static const char *const books[] = { BOOK(""), BOOK(" state=\"hidden\"") };
#undef BOOK
	static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
	    "openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas."
	    "openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
	    "Target=\"worksheets/sheet2.xml\"/></Relationships>";
	static const char guests[] = "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
	    "<is><t>Name</t></is></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>"
	    "Ann Lee</t></is></c></row></sheetData></worksheet>";
	static const char *const firsts[] = {
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData/></worksheet>",
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Check the list "
		"on the next tab</t></is></c></row></sheetData></worksheet>",
	};
	/* (book, second sheet): 0 the list shown, 1 hidden, 2 no list */
	for (size_t k = 0; k < 3; k++) {
		for (size_t i = 0; i < 2; i++) {
			const char *parts[][2] = {
				{ "xl/workbook.xml", books[k == 1] },
				{ "xl/_rels/workbook.xml.rels", rels },
				{ "xl/worksheets/sheet1.xml", firsts[i] },
				{ "xl/worksheets/sheet2.xml", k == 2 ? firsts[1 - i] : guests },
			};
			size_t len, n = 0;
			char *z = tz_zip(parts, 4, &len);
			struct import_plan *p = NULL;
			char *cause = NULL;
			if (k == 0) {
				if (import_read_mem(z, len, "attendees.xlsx", NULL, 0, &p, &cause) != 0)
					fail_msg("%zu: %s", i, cause);
				assert_string_equal(import_sheet(p, &n), "Guests");
				assert_int_equal(n, 2);
				assert_string_equal(import_sheet_skipped(p), "Read me");
				assert_false(import_sheet_asked(p));
				assert_int_equal(import_rows(p), 1);
				import_free(p);
				free(z);
				continue;
			}
			assert_int_equal(import_read_mem(z, len, "attendees.xlsx", NULL, 0, &p,
			    &cause), -1);
			assert_null(p);
			if (strstr(cause, "attendees.xlsx: ") != cause ||
			    strstr(cause, "(the first sheet shown of 2, 'Read me', was read; the "
			    "sheets are 'Read me', 'Guests': to import another, give its name to "
			    "--sheet)") == NULL)
				fail_msg("%zu, %zu: '%s'", k, i, cause);
			free(cause);
			free(z);
		}
	}
}

/* Workbooks kiosk cannot read fail whole, saying what to do. */
static void
test_workbooks_refused(void **state)
{
	(void)state;
	static const struct { const char *file, *want; } cases[] = {
		{ TEST_DATA "/xlsx-excel97.xls", "(.xls), which kiosk cannot read: save it as .xlsx" },
		{ TEST_DATA "/xlsx-encrypted.xlsx", "a workbook protected with a password" },
		{ TEST_DATA "/ods-encrypted.ods", "a spreadsheet saved with a password, which kiosk "
		    "cannot open: open it in LibreOffice with the password" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct import_plan *p = NULL;
		char *cause = NULL;
		assert_int_equal(import_read(cases[i].file, NULL, 0, &p, &cause), -1);
		assert_null(p);
		if (strstr(cause, cases[i].want) == NULL)
			fail_msg("%s: '%s' lacks '%s'", cases[i].file, cause, cases[i].want);
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_samples_import_completely, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_reimport_names_changed_badges, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_reimport_updates_adds_keeps, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_reimport_without_codes_keeps_our_codes, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_big_first_import_keeps_the_indexes, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_first_import_repeats_are_rejected_not_matched,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_pretix_order_export, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_luma_guest_export, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_excel_mac_save, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_tickets_without_names_take_the_buyers, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_extras_over_the_limit_with_earlier_ones, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_reimport_matches_what_older_imports_stored, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_loose_matches_take_nobody_in_doubt, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_loose_matches_take_the_one_guest, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_group_order_shares_email, tu_setup, tu_teardown),
		cmocka_unit_test(test_stray_quote_rejects_the_row),
		cmocka_unit_test(test_stray_quote_in_a_row_of_the_wrong_width_names_its_lines),
		cmocka_unit_test(test_unknown_status_is_valid_and_said),
	cmocka_unit_test_setup_teardown(test_bad_rows_are_rejected_with_lines, tu_setup, tu_teardown),
		cmocka_unit_test(test_unimportable_files_fail_whole),
		cmocka_unit_test_setup_teardown(test_workbook_imports_as_its_csv, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_workbook_rejects_name_rows, tu_setup,
		    tu_teardown),
		cmocka_unit_test(test_workbook_rounded_codes),
		cmocka_unit_test_setup_teardown(test_spreadsheet_imports_as_its_workbook, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_spreadsheet_codes_as_shown, tu_setup,
		    tu_teardown),
		cmocka_unit_test(test_workbook_other_sheet_said),
		cmocka_unit_test(test_sheet_asked_for),
		cmocka_unit_test(test_workbooks_refused),
		cmocka_unit_test_setup_teardown(test_all_rows_rejected_names_them_and_writes_nothing,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_damaged_utf8_rows_rejected_rest_kept, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_status_and_never_reinstated, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_forgotten_guest_is_not_restored, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_forgotten_guest_is_not_restored_under_a_new_code,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_counts_short_codes, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_overrides_and_extras, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_language_column, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_header_repeated_is_skipped, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_long_extra_fields, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_plus_ones_are_a_warning, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_title_above_the_header, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_unmailable_email_is_a_warning, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_renamed_guest_leaves_the_search_index, tu_setup,
		    tu_teardown),
		cmocka_unit_test(test_header_not_utf8_refuses_the_file),
		cmocka_unit_test_setup_teardown(test_spreadsheet_numbers_are_rejected, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_tussenvoegsel_starts_the_last_name, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_repeated_and_empty_headers_keep_every_value,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_reimport_clears_emptied_extras, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_reimport_without_code_column_matches_by_name,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_own_listing_imports_back, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_names_read_anew_still_match, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_codes_come_later, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_form_no_does_not_cancel_a_platform_ticket,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_corrected_email_is_said, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_name_match_takes_no_chances, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_names_in_another_order_are_other_people, tu_setup,
		    tu_teardown),
		cmocka_unit_test(test_a_rejected_rows_code_is_no_ones),
		cmocka_unit_test_setup_teardown(test_big_reimport_makes_the_right_words, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_same_extras_again_are_unchanged, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_indexed_columns_follow_a_reimport, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_new_codes_are_said, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_new_codes_without_ids_are_said, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_last_name_first_list_imported_the_old_way,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_double_surname_split_the_old_way, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_corrected_name_is_said, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_walkin_who_bought_online_is_said, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_changes_stamped_after_the_copy, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_letters_lost_to_windows_1252_are_rejected,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rows_written_while_read, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_fields_lose_invisible_padding, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_row_shape_and_names, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_name_matches_take_one_guest_each, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_same_email_said_only_in_doubt, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(
		    test_new_codes_of_guests_with_ids_or_from_a_form_are_said, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_corrected_name_of_a_coded_guest_is_said,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_reordered_columns_change_nothing, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_file_without_emails_says_who_may_be_twice, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_form_no_leaves_a_platform_ticket_alone, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_second_ticket_is_not_a_new_code, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_form_no_keeps_walkin, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_column_beside_the_status, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_guests_gone_from_the_file_are_said, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_codes_without_their_zeros, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_names_in_capitals_keep_their_case, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_second_email_column_fills_in, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_workbook_merged_cells, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_workbook_merged_surname, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_footer_lines_are_no_guests, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_footer_words_in_a_guest_row, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_names_only_list_takes_no_coded_guest, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_second_list_without_type_is_no_new_code, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_speakers_then_export_is_two_people, tu_setup,
		    tu_teardown),
	};
	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
