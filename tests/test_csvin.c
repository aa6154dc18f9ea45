/* test_csvin: the CSV reader on real-looking exports and on the ways files go
 * wrong (encodings, line ends, quotes that never end). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvin.h"
#include "core/util.h"

/* Fixtures live in tests/data; KIOSK_TESTDATA points elsewhere when the
 * tests run from another directory. */
static char *
data_path(const char *name)
{
	const char *dir = getenv("KIOSK_TESTDATA");
	return xasprintf("%s/%s", dir ? dir : "tests/data", name);
}

static struct csvin *
open_data(const char *name)
{
	char *path = data_path(name), *cause = NULL;
	struct csvin *c = NULL;

	if (csvin_open_file(path, &c, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	free(path);
	return c;
}

static struct csvin *
open_str(const char *s)
{
	char *cause = NULL;
	struct csvin *c = NULL;

	if (csvin_open_mem(s, strlen(s), "mem.csv", &c, &cause) != 0)
		fail_msg("mem.csv: %s", cause);
	return c;
}

/* Open must fail; returns the message (caller frees). */
static char *
open_fails(const char *s, size_t len)
{
	char *cause = NULL;
	struct csvin *c = NULL;

	assert_int_equal(csvin_open_mem(s, len, "bad.csv", &c, &cause), -1);
	assert_null(c);
	assert_non_null(cause);
	return cause;
}

static void
next_ok(struct csvin *c, struct csvin_record *r)
{
	char *cause = NULL;
	int rc = csvin_next(c, r, &cause);

	if (rc != 1)
		fail_msg("csvin_next returned %d (%s)", rc, cause ? cause : "");
}

static void
at_end(struct csvin *c)
{
	struct csvin_record r;
	char *cause = NULL;

	assert_int_equal(csvin_next(c, &r, &cause), 0);
	assert_null(cause);
	/* and stays there */
	assert_int_equal(csvin_next(c, &r, &cause), 0);
}

/* Records of a file: count, and the record at a 0-based index. */
static size_t
count_records(struct csvin *c, size_t want_index, struct csvin_record *want,
    char **copy_fields, size_t ncopy)
{
	struct csvin_record r;
	char *cause = NULL;
	size_t n = 0;
	int rc;

	while ((rc = csvin_next(c, &r, &cause)) == 1) {
		if (n == want_index && want != NULL) {
			*want = r;
			for (size_t i = 0; i < ncopy && i < r.nfields; i++)
				copy_fields[i] = xstrdup(r.fields[i]);
		}
		n++;
	}
	if (rc != 0)
		fail_msg("csvin_next: %s", cause);
	return n;
}

static void
test_eventbrite(void **state)
{
	struct csvin *c = open_data("eventbrite-attendees.csv");
	struct csvin_record r;

	(void)state;
	assert_int_equal(csvin_delimiter(c), ',');
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8);
	assert_string_equal(csvin_name(c) + strlen(csvin_name(c)) - 24,
	    "eventbrite-attendees.csv");

	next_ok(c, &r);
	assert_int_equal(r.line, 1);
	assert_int_equal(r.nfields, 12);
	assert_string_equal(r.fields[0], "Order #");
	assert_string_equal(r.fields[11], "Job Title");

	/* The first guest's job title spans two physical lines. */
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.nfields, 12);
	assert_string_equal(r.fields[2], "Léa");
	assert_string_equal(r.fields[3], "Çelik");
	assert_string_equal(r.fields[11], "Marketeer\nand blogger");
	assert_int_equal(r.lens[11], strlen("Marketeer\nand blogger"));

	next_ok(c, &r);
	assert_int_equal(r.line, 4);
	assert_string_equal(r.fields[2], "Pieter-Jan");
	assert_string_equal(r.fields[10], "Agence Lumière");
	assert_string_equal(r.fields[11], "");
	assert_int_equal(r.lens[11], 0);

	/* Skip to Chloé (line 10, multi-line) and the guest after her. */
	for (int i = 0; i < 6; i++)
		next_ok(c, &r);
	assert_int_equal(r.line, 10);
	assert_string_equal(r.fields[2], "Chloé");
	assert_string_equal(r.fields[3], "O'Brien");
	next_ok(c, &r);
	assert_int_equal(r.line, 12);
	assert_string_equal(r.fields[2], "Fatima");

	/* Doubled quotes are unescaped: line 24 is Saskia at Studio "Noord". */
	while (r.line < 24)
		next_ok(c, &r);
	assert_int_equal(r.line, 24);
	assert_string_equal(r.fields[2], "Saskia");
	assert_string_equal(r.fields[10], "Studio \"Noord\"");
	csvin_free(c);

	/* 40 guests plus the header; the last one starts on line 47. */
	c = open_data("eventbrite-attendees.csv");
	char *f[3] = { NULL, NULL, NULL };
	assert_int_equal(count_records(c, 40, &r, f, 3), 41);
	assert_string_equal(f[0], "6440536624");
	assert_string_equal(f[2], "Anaïs");
	for (int i = 0; i < 3; i++)
		free(f[i]);
	csvin_free(c);
}

static void
test_excel_nl_bom_semicolon(void **state)
{
	struct csvin *c = open_data("excel-nl-utf8.csv");
	struct csvin_record r;

	(void)state;
	assert_int_equal(csvin_delimiter(c), ';');
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8_BOM);
	next_ok(c, &r);
	/* The BOM is gone: the first header is the plain word. */
	assert_string_equal(r.fields[0], "Voornaam");
	assert_int_equal(r.lens[0], 8);
	assert_int_equal(r.nfields, 6);
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	assert_string_equal(r.fields[0], "Ilse");
	assert_string_equal(r.fields[5], "@ilsherm0");
	while (r.line < 9)
		next_ok(c, &r);
	/* A quoted semicolon is data, not a delimiter. */
	assert_string_equal(r.fields[3], "Zuid; Marketing");
	assert_int_equal(r.nfields, 6);
	while (r.line < 24)
		next_ok(c, &r);
	assert_string_equal(r.fields[3], "Studio \"Noord\"");
	csvin_free(c);

	c = open_data("excel-nl-utf8.csv");
	assert_int_equal(count_records(c, 0, NULL, NULL, 0), 26);
	csvin_free(c);
}

static void
test_meetup(void **state)
{
	struct csvin *c = open_data("meetup-rsvps.csv");
	struct csvin_record r;

	(void)state;
	assert_int_equal(csvin_delimiter(c), ',');
	next_ok(c, &r);
	assert_int_equal(r.nfields, 7);
	assert_string_equal(r.fields[6], "URL of Member Profile");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Inès Çelik");
	assert_string_equal(r.fields[2], "");
	assert_string_equal(r.fields[3], "Yes");
	csvin_free(c);

	c = open_data("meetup-rsvps.csv");
	assert_int_equal(count_records(c, 0, NULL, NULL, 0), 31);
	csvin_free(c);
}

static void
test_pretix_quoted(void **state)
{
	struct csvin *c = open_data("csv-pretix-checkin.csv");
	struct csvin_record r;

	(void)state;
	next_ok(c, &r);
	assert_int_equal(r.nfields, 10);
	assert_string_equal(r.fields[7], "Secret");
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "Inès Çelik");
	assert_string_equal(r.fields[3], "Conference ticket – Early bird");
	assert_string_equal(r.fields[4], "120.00");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.line, 4);
	/* A quoted comma stays in the field. */
	assert_string_equal(r.fields[2], "Smit, Jan");
	assert_string_equal(r.fields[9], "Studio \"Noord\"");
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "Zoë");
	at_end(c);
	csvin_free(c);
}

static void
test_excel_de(void **state)
{
	struct csvin *c = open_data("csv-excel-de.csv");
	struct csvin_record r;

	(void)state;
	assert_int_equal(csvin_delimiter(c), ';');
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8_BOM);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Vorname");
	assert_string_equal(r.fields[4], "Ticketart");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Müller");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Weiß");
	assert_string_equal(r.fields[3], "Weiß; Partner");
	/* Line 4 is ";;;;" (empty cells Excel kept): skipped like a blank. */
	next_ok(c, &r);
	assert_int_equal(r.line, 5);
	assert_string_equal(r.fields[0], "Łukasz");
	assert_string_equal(r.fields[3], "");
	at_end(c);
	csvin_free(c);
}

static void
test_cp1252_converted(void **state)
{
	struct csvin *c = open_data("csv-excel-fr-cp1252.csv");
	struct csvin_record r;

	(void)state;
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	assert_string_equal(csvin_encoding_name(csvin_encoding(c)), "Windows-1252");
	assert_int_equal(csvin_delimiter(c), ';');
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Prénom");
	assert_int_equal(r.lens[0], strlen("Prénom"));
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Hélène");
	assert_string_equal(r.fields[1], "Lefèvre");
	assert_string_equal(r.fields[3], "Société Générale");
	assert_string_equal(r.fields[4], "Étudiant");
	next_ok(c, &r);
	/* 0x9C and 0x80 are the CP1252 letters, not Latin-1 controls. */
	assert_string_equal(r.fields[3], "Cœur de Ville");
	assert_string_equal(r.fields[4], "Tarif réduit 49 €");
	next_ok(c, &r);
	assert_int_equal(r.line, 4);
	assert_string_equal(r.fields[0], "Zoë");
	at_end(c);
	csvin_free(c);

	/* One stray Latin-1 byte in otherwise ASCII text. */
	c = open_str("Name\nRen\xe9" "e Janssens\n");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Renée Janssens");
	csvin_free(c);

	/* Many Windows-1252 accents and one pair that happens to be UTF-8
	 * ("É" and a no-break space): the file is Windows-1252, not UTF-8
	 * with damaged rows. */
	c = open_str("Pr\xe9nom;Nom;Entreprise\nH\xe9l\xe8ne;Lef\xe8vre;CAF\xc9\xa0" "DU COIN\n"
	    "Fran\xe7ois;Dubois;Soci\xe9t\xe9\n");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Prénom");
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "CAFÉ\xc2\xa0" "DU COIN");
	csvin_free(c);

	/* The same with an English header, all ASCII: the rows decide, and
	 * one such pair among many accented names does not make them
	 * invalid UTF-8. */
	c = open_str("First Name;Last Name;Company\nJan;Smit;LE CAF\xc9\xa0: Bar\n"
	    "Fran\xe7ois;Dubois;C\x9cur\nH\xe9l\xe8ne;Lef\xe8vre;\nZo\xeb;\xc7" "elik;\n");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "LE CAFÉ\xc2\xa0: Bar");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "François");
	csvin_free(c);

	/* A short Windows-1252 file whose « café » happens to hold one UTF-8
	 * sequence (é, no-break space, »): the header says Windows-1252. */
	c = open_str("Pr\xe9nom;Nom;Atelier\nH\xe9l\xe8ne;Dupont;\xab\xa0Le caf\xe9\xa0\xbb\n");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "«\xc2\xa0Le café\xc2\xa0»");
	csvin_free(c);

	/* The other way round: a UTF-8 header over rows pasted in from a
	 * Windows-1252 file stays UTF-8, rather than the header turning into
	 * "PrÃ©nom" that maps to nothing, and those rows are read as
	 * Windows-1252, line by line, and counted. */
	c = open_str("Pr\xc3\xa9nom;Soci\xc3\xa9t\xc3\xa9\nRen\xe9" "e;Caf\xe9\nJos\xe9;\xc9t\xe9\n"
	    "Zo\xc3\xab;M\xc3\xbcller\nZo\xeb;M\xfcller\n");
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8);
	size_t first = 0;
	assert_int_equal(csvin_cp1252_lines(c, &first), 3);
	assert_int_equal(first, 2);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Prénom");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Renée");
	assert_string_equal(r.fields[1], "Café");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Été");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Müller");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Zoë");
	assert_string_equal(r.fields[1], "Müller");
	csvin_free(c);

	/* A line with a UTF-8 letter and a byte that is not UTF-8 is damaged,
	 * not Windows-1252: left as it is (the import rejects its row); so is
	 * one with a byte Windows-1252 leaves undefined. The line of a
	 * Windows-1252 "É" and no-break space (UTF-8 for "ɠ") and other bytes
	 * that are not UTF-8 is Windows-1252. */
	c = open_str("Pr\xc3\xa9nom;Nom\nZo\xc3\xab;Jos\xe9\nAn;B\x81\nCAF\xc9\xa0;Ren\xe9" "e\n"
	    "Zo\xc3\xab;Claes\n");
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8_INVALID);
	assert_int_equal(csvin_cp1252_lines(c, &first), 1);
	assert_int_equal(first, 4);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Jos\xe9");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "B\x81");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "CAFÉ\xc2\xa0");
	assert_string_equal(r.fields[1], "Renée");
	csvin_free(c);

	/* A BOM followed by bytes that are not UTF-8: still CP1252. */
	c = open_str("\xef\xbb\xbfName\nZo\xeb\n");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Name");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Zoë");
	csvin_free(c);
}

/* The header decides the file's encoding: written in UTF-8, the file is
 * UTF-8 with its Windows-1252 rows read line by line, however many there
 * are; written in Windows-1252 over rows of plain ASCII, it is Windows-1252
 * (what the import warns about and checks for lost letters). A record
 * says whether a line of it was read as Windows-1252, and only such
 * records do. */
static void
test_header_decides_encoding(void **state)
{
	struct csvin_record r;
	size_t first = 0;

	(void)state;
	struct csvin *c = open_str("Pr\xc3\xa9nom;Nom;Soci\xc3\xa9t\xc3\xa9\n"
	    "Ren\xe9" "e;Lef\xe8vre;Caf\xe9 \xe0 l'\xe9t\xe9\n"
	    "Jan;Smit;\n"
	    "H\xe9l\xe8ne;Br\xfbl\xe9;Soci\xe9t\xe9 G\xe9n\xe9rale\n");
	assert_int_equal(csvin_encoding(c), CSVIN_UTF8);
	assert_int_equal(csvin_cp1252_lines(c, &first), 2);
	assert_int_equal(first, 2);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Prénom");
	assert_false(r.cp1252);
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "Café à l'été");
	assert_true(r.cp1252);
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	assert_false(r.cp1252);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Hélène");
	assert_true(r.cp1252);
	at_end(c);
	csvin_free(c);

	c = open_str("Pr\xe9nom;Nom\nJan;Smit\nAn;Peeters\n");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	assert_int_equal(csvin_cp1252_lines(c, NULL), 0);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Prénom");
	csvin_free(c);
}

/* Each byte Windows-1252 leaves undefined makes a file of it "not a text
 * file", naming the line. */
static void
test_cp1252_undefined_bytes(void **state)
{
	static const unsigned char bytes[] = { 0x81, 0x8D, 0x8F, 0x90, 0x9D };

	(void)state;
	for (size_t i = 0; i < sizeof bytes; i++) {
		char text[32];
		int n = snprintf(text, sizeof text, "Pr\xe9nom\nJan\nAn%c\n", bytes[i]);
		char *cause = open_fails(text, (size_t)n);
		char *want = xasprintf("bad.csv:3: not a text file (byte 0x%02X",
		    bytes[i]);
		assert_non_null(strstr(cause, want));
		free(want);
		free(cause);
	}
}

/* Excel for Mac's "CSV (Macintosh)": Mac Roman, lines ended by a lone CR.
 * Read as Windows-1252 its names were garbled ("AmŽlie", "Jšrg Wei§") and
 * its ç or è refused the file. */
static void
test_macroman_converted(void **state)
{
	struct csvin *c = open_data("csv-excel-mac.csv");
	struct csvin_record r;

	(void)state;
	assert_int_equal(csvin_encoding(c), CSVIN_MACROMAN);
	assert_string_equal(csvin_encoding_name(csvin_encoding(c)), "Mac Roman");
	assert_int_equal(csvin_delimiter(c), ';');
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Zoë");
	assert_string_equal(r.fields[3], "Café René");
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	assert_string_equal(r.fields[0], "Amélie");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Jörg");
	assert_string_equal(r.fields[1], "Weiß");
	assert_string_equal(r.fields[3], "Müller AG");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "François");
	assert_string_equal(r.fields[3], "Crèmerie Lemaître");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Çelik");
	for (int i = 0; i < 6; i++)
		next_ok(c, &r);
	assert_int_equal(r.line, 12);
	assert_string_equal(r.fields[0], "Björn");
	assert_string_equal(r.fields[1], "Ødegård");
	at_end(c);
	csvin_free(c);

	/* Windows-1252 stays so: with lone CRs, its é (E9) is a capital in Mac
	 * Roman; with CRLF, its curly quotes and dashes (0x91 to 0x97, Mac
	 * Roman's ë to ó) are not taken for letters. */
	c = open_str("Pr\xe9nom;Nom\rH\xe9l\xe8ne;Lef\xe8" "vre\rJ\xf6rg;Wei\xdf\r");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Hélène");
	csvin_free(c);
	c = open_str("Name,Notes\r\nSe\x92" "an O\x92" "Brien,\x93VIP\x94 \x96 table 3 \x97 late\r\n");
	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Se\u2019an O\u2019Brien");
	csvin_free(c);
	/* A note of two lines in a cell (Excel's line break in a cell is an
	 * LF, written inside the quotes) leaves the file an Excel for Mac
	 * save: it was read as Windows-1252, "Am\x8Elie" as "AmŽlie", and with
	 * a ç refused. */
	c = open_str("Pr\x8Enom;Nom;Notes\rAm\x8Elie;Dubois;\"v\x8Eg\x8Etarienne\nsans gluten\"\r"
	    "Fran\x8Dois;Lema\x94tre;\r");
	assert_int_equal(csvin_encoding(c), CSVIN_MACROMAN);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Amélie");
	assert_string_equal(r.fields[2], "végétarienne\nsans gluten");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "François");
	assert_string_equal(r.fields[1], "Lemaître");
	at_end(c);
	csvin_free(c);
	/* and Mac Roman's ç and è with LF line ends is no Excel for Mac save:
	 * refused as before (test_cp1252_undefined_bytes) */
	const char *lf = "Pr\x8Enom\nFran\x8Dois\nH\x8El\x8Fne\n";
	char *cause = open_fails(lf, strlen(lf));
	assert_non_null(strstr(cause, "not a text file (byte 0x8D"));
	free(cause);
}

/* s (UTF-8) as UTF-16, big- or little-endian, after a BOM when bom: what
 * Excel's "Unicode text" and Notepad write. Written out here, not with
 * iconv, so the test does not share the code's converter. */
static char *
utf16(const char *s, bool big, bool bom, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	unsigned char *out = xmalloc(2 * n + 2);
	unsigned units[2];
	if (bom) {
		out[o++] = big ? 0xFE : 0xFF;
		out[o++] = big ? 0xFF : 0xFE;
	}
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = u[i] < 0x80 ? 1 : u[i] < 0xE0 ? 2 : u[i] < 0xF0 ? 3 : 4;
		cp = k == 1 ? u[i] : (unsigned)(u[i] & (0x7F >> k));
		for (size_t j = 1; j < k; j++)
			cp = cp << 6 | (u[i + j] & 0x3F);
		i += k;
		int nu = 1;
		units[0] = cp;
		if (cp >= 0x10000) {
			units[0] = 0xD800 + ((cp - 0x10000) >> 10);
			units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			nu = 2;
		}
		for (int j = 0; j < nu; j++) {
			out[o++] = (unsigned char)(big ? units[j] >> 8 : units[j] & 0xFF);
			out[o++] = (unsigned char)(big ? units[j] & 0xFF : units[j] >> 8);
		}
	}
	*len = o;
	return (char *)out;
}

/* Rows of a UTF-8 export pasted into a Windows-1252 file: those lines are
 * read as UTF-8 ("José", not "JosÃ©") and counted, the others as
 * Windows-1252; a Windows-1252 line that happens to be UTF-8 for an
 * unlikely letter (É and a no-break space, "ɠ") stays Windows-1252. */
static void
test_utf8_lines_in_a_cp1252_file(void **state)
{
	(void)state;
	struct csvin *c = open_str("Pr\xe9nom;Nom;Soci\xe9t\xe9\r\n"
	    "Ren\xe9;M\xfcller;LE CAF\xc9\xa0: Bar\r\n"
	    "Anna;Strau\xdf\xa0GmbH;\r\n"
	    "Fran\xe7ois;Dubois;\r\n"
	    "Jos\xc3\xa9;M\xc3\xbcller;\xc3\x85sa & \xc5\x81ukasz\r\n"
	    "Zo\xeb;\xc7" "elik;\r\n"
	    "\xc3\x89mile;Zola;\r\n");
	struct csvin_record r;
	size_t first = 0;

	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	assert_int_equal(csvin_utf8_lines(c, &first), 2);
	assert_int_equal(first, 5);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "René");
	assert_string_equal(r.fields[2], "LE CAFÉ\xc2\xa0: Bar");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Strauß\xc2\xa0GmbH");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.line, 5);
	assert_string_equal(r.fields[0], "José");
	assert_string_equal(r.fields[2], "Åsa & Łukasz");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Çelik");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Émile");
	at_end(c);
	csvin_free(c);
}

/* Of a Windows-1252 file, the UTF-8 lines pasted in are kept in Greek,
 * Cyrillic and Arabic too, and only they are counted: its plain ASCII
 * lines are neither. */
static void
test_utf8_lines_other_scripts(void **state)
{
	(void)state;
	struct csvin *c = open_str("Pr\xe9nom;Nom\n"
	    "Jan;Smit\n"
	    "Fran\xe7ois;Dubois\n"
	    "H\xe9l\xe8ne;Lef\xe8vre\n"
	    "J\xe9r\xf4me;Br\xfbl\xe9\n"
	    "\xce\x95\xce\xbb\xce\xad\xce\xbd\xce\xb7;Zo\n"
	    "\xd0\x9e\xd0\xbb\xd1\x8f;Ivanova\n"
	    "\xd8\xb9\xd9\x84\xd9\x8a;Said\n");
	struct csvin_record r;
	size_t first = 0;

	assert_int_equal(csvin_encoding(c), CSVIN_CP1252);
	assert_int_equal(csvin_utf8_lines(c, &first), 3);
	assert_int_equal(first, 6);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Jan");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "François");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Brûlé");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Ελένη");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Оля");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "علي");
	at_end(c);
	csvin_free(c);
}

/* Excel's "Unicode text": read as the same file in UTF-8 would be, with
 * or without its BOM, either byte order, letters beyond the BMP too. */
static void
test_utf16_converted(void **state)
{
	const char *text = "Voornaam\tAchternaam\tBedrijf\r\n"
	    "Zoë\tÇelik\t\"Café \"\"De Ster\"\"\"\r\n"
	    "\r\n"
	    "Ελένη\tΠαπαδοπούλου\tTicket 🎟\r\n";
	(void)state;
	for (int v = 0; v < 4; v++) {
		bool big = v & 1, bom = v < 2;
		size_t len;
		char *bytes = utf16(text, big, bom, &len);
		struct csvin *c = NULL;
		struct csvin_record r;
		char *cause = NULL;
		if (csvin_open_mem(bytes, len, "u16.txt", &c, &cause) != 0)
			fail_msg("big=%d bom=%d: %s", big, bom, cause);
		free(bytes);
		assert_int_equal(csvin_encoding(c), CSVIN_UTF16);
		assert_string_equal(csvin_encoding_name(csvin_encoding(c)), "UTF-16");
		assert_false(csvin_ascii(c));
		assert_int_equal(csvin_delimiter(c), '\t');
		next_ok(c, &r);
		assert_int_equal(r.nfields, 3);
		assert_string_equal(r.fields[0], "Voornaam"); /* no BOM left in it */
		next_ok(c, &r);
		assert_int_equal(r.line, 2);
		assert_string_equal(r.fields[0], "Zoë");
		assert_string_equal(r.fields[1], "Çelik");
		assert_string_equal(r.fields[2], "Café \"De Ster\"");
		next_ok(c, &r);
		assert_int_equal(r.line, 4);
		assert_string_equal(r.fields[1], "Παπαδοπούλου");
		assert_string_equal(r.fields[2], "Ticket 🎟");
		at_end(c);
		csvin_free(c);
	}
}

/* A field that opens with a quote and goes on after closing it ("JJ" Smit,
 * typed by hand) is read as written, and the rows after it are rows of
 * their own: libcsv alone took them into that field until a later quote. */
static void
test_stray_quote(void **state)
{
	struct csvin *c = open_str("First,Last,Email\n"
	    "Jan,\"JJ\" Smit,j@example.org\n"
	    "Piet,Smit,p@example.org\n"
	    "An,\"Bo\",a@example.org\n"
	    "Bo, \"Sp\" ace ,b@example.org\n"
	    "Ed,\"Smit, Jan\" Jr,e@example.org\n"
	    "Ce,\"two\nlines\" after,c@example.org\n"
	    "Fa,\"Q\"  ,f@example.org\n"
	    "Gi,x,\"g@example.org\" \n"
	    "Ha,\"a\"\"b\" c,h@example.org\n"
	    "Io,\"\"\"x\" y,i@example.org\n"
	    "Ju,\"Jan\" \"JJ\",j@example.org\n");
	struct csvin_record r;

	(void)state;
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.nfields, 3);
	assert_string_equal(r.fields[1], "\"JJ\" Smit");
	assert_string_equal(r.fields[2], "j@example.org");
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	assert_string_equal(r.fields[0], "Piet");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "Bo");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "\"Sp\" ace");
	next_ok(c, &r);
	assert_int_equal(r.nfields, 3);
	assert_string_equal(r.fields[1], "\"Smit, Jan\" Jr");
	/* Its quote opened on the line before: the closing one goes. */
	next_ok(c, &r);
	assert_int_equal(r.line, 7);
	assert_string_equal(r.fields[1], "two\nlines after");
	assert_string_equal(r.fields[2], "c@example.org");
	next_ok(c, &r);
	assert_int_equal(r.line, 9);
	assert_string_equal(r.fields[1], "Q");
	next_ok(c, &r);
	assert_int_equal(r.line, 10);
	assert_string_equal(r.fields[2], "g@example.org");
	/* quotes doubled inside it: still as written */
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "\"a\"\"b\" c");
	assert_string_equal(r.fields[2], "h@example.org");
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "\"\"\"x\" y");
	/* a quote after a closed one and a space is no doubled quote */
	next_ok(c, &r);
	assert_int_equal(r.nfields, 3);
	assert_string_equal(r.fields[1], "\"Jan\" \"JJ\"");
	assert_string_equal(r.fields[2], "j@example.org");
	at_end(c);
	csvin_free(c);
}

static void
test_tab_and_blank_lines(void **state)
{
	struct csvin *c = open_data("csv-export.tsv");
	struct csvin_record r;

	(void)state;
	assert_int_equal(csvin_delimiter(c), '\t');
	next_ok(c, &r);
	assert_int_equal(r.line, 1);
	assert_int_equal(r.nfields, 4);
	assert_string_equal(r.fields[1], "E-mail");
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	/* Inner white space is the guest's own; only the ends are trimmed. */
	assert_string_equal(r.fields[0], "An  Peeters");
	next_ok(c, &r);
	assert_int_equal(r.line, 5);
	assert_string_equal(r.fields[2], "Team \"Oost\"");
	at_end(c);
	csvin_free(c);
}

static void
test_line_ends(void **state)
{
	static const char *const texts[] = {
		"Name,Email\nJan Smit,jan@x.org\n\nAn Peeters,an@x.org\n",
		"Name,Email\r\nJan Smit,jan@x.org\r\n\r\nAn Peeters,an@x.org\r\n",
		"Name,Email\rJan Smit,jan@x.org\r\rAn Peeters,an@x.org\r",
		"Name,Email\r\nJan Smit,jan@x.org\n\rAn Peeters,an@x.org",
		/* the same with quotes, which take the other way through */
		"\"Name\",Email\n\"Jan Smit\",jan@x.org\n\n\"An Peeters\",an@x.org\n",
		"\"Name\",Email\r\n\"Jan Smit\",jan@x.org\r\n\r\n\"An Peeters\",\"an@x.org\"\r\n",
		"\"Name\",Email\r\"Jan Smit\",jan@x.org\r\r\"An Peeters\",\"an@x.org\"\r",
		"\"Name\",\"Email\"\r\n\"Jan Smit\",jan@x.org\n\r\"An Peeters\",\"an@x.org\"",
	};
	struct csvin_record r;

	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct csvin *c = open_str(texts[i]);
		next_ok(c, &r);
		assert_int_equal(r.line, 1);
		assert_string_equal(r.fields[1], "Email");
		next_ok(c, &r);
		assert_int_equal(r.line, 2);
		assert_string_equal(r.fields[0], "Jan Smit");
		assert_string_equal(r.fields[1], "jan@x.org");
		next_ok(c, &r);
		assert_int_equal(r.line, 4);
		assert_string_equal(r.fields[0], "An Peeters");
		assert_string_equal(r.fields[1], "an@x.org");
		at_end(c);
		csvin_free(c);
	}

	/* Old Mac line ends from a file. */
	struct csvin *c = open_data("csv-cr-only.csv");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	next_ok(c, &r);
	assert_int_equal(r.line, 4);
	assert_string_equal(r.fields[1], "an@example.org");
	at_end(c);
	csvin_free(c);
}

static void
test_multiline_line_numbers(void **state)
{
	struct csvin_record r;
	struct csvin *c;

	(void)state;
	/* Three embedded line breaks of each kind, then blank lines. */
	c = open_str("Name,Notes\n"
	    "Jan,\"one\ntwo\r\nthree\rfour\"\n"
	    "\n"
	    "  \t \n"
	    "An,\"x\"\n"
	    "\"Bram\nClaes\",\"\"\"quoted\"\" note\"\n"
	    "Noor,last\n");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	/* Line breaks inside a field come out as LF whatever the file had. */
	assert_string_equal(r.fields[1], "one\ntwo\nthree\nfour");
	next_ok(c, &r);
	assert_int_equal(r.line, 8);
	assert_string_equal(r.fields[0], "An");
	next_ok(c, &r);
	assert_int_equal(r.line, 9);
	assert_string_equal(r.fields[0], "Bram\nClaes");
	assert_string_equal(r.fields[1], "\"quoted\" note");
	next_ok(c, &r);
	assert_int_equal(r.line, 11);
	assert_string_equal(r.fields[0], "Noor");
	at_end(c);
	csvin_free(c);

	/* Leading blank lines before the header count too. */
	c = open_str("\n\r\nName\nJan\n");
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	assert_string_equal(r.fields[0], "Name");
	csvin_free(c);
}

static void
test_trim_and_quotes(void **state)
{
	struct csvin_record r;
	struct csvin *c;

	(void)state;
	c = open_str("  First Name , Last Name\t\n"
	    "  Jan  ,\"  Smit \"  \n"
	    "Jan \"JJ\" Smit,\"\"\n"
	    "\"a,b\",c\n");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "First Name");
	assert_string_equal(r.fields[1], "Last Name");
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Jan");
	assert_string_equal(r.fields[1], "Smit");
	assert_int_equal(r.lens[1], 4);
	/* A stray quote inside an unquoted field is a character, not an error. */
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	assert_string_equal(r.fields[0], "Jan \"JJ\" Smit");
	assert_string_equal(r.fields[1], "");
	next_ok(c, &r);
	assert_int_equal(r.nfields, 2);
	assert_string_equal(r.fields[0], "a,b");
	at_end(c);
	csvin_free(c);

	/* Rows of empty cells are skipped; rows with one value are not. */
	c = open_str("A;B;C\n;;\n ; ;\n;x;\n");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.line, 4);
	assert_int_equal(r.nfields, 3);
	assert_string_equal(r.fields[1], "x");
	at_end(c);
	csvin_free(c);

	/* The last line may lack its line end. */
	c = open_str("Name,Email\nJan,\"jan@x.org\"");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[1], "jan@x.org");
	at_end(c);
	csvin_free(c);
}

static void
test_delimiter_detection(void **state)
{
	struct csvin_record r;
	struct csvin *c;

	(void)state;
	/* Commas inside the quoted header do not count. */
	c = open_str("\"Name, full\";\"Mail, work\";Ticket\nJan Smit;jan@x.org;VIP\n");
	assert_int_equal(csvin_delimiter(c), ';');
	next_ok(c, &r);
	assert_int_equal(r.nfields, 3);
	assert_string_equal(r.fields[0], "Name, full");
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "VIP");
	csvin_free(c);

	/* A tie the rows do not break goes to the semicolon: a comma inside
	 * a field ("Nom, prénom") is far likelier than a semicolon. */
	c = open_str("Nom, pr\xc3\xa9nom;E-mail\nDupont, Jean;jd@example.org\n"
	    "Martin, Zo\xc3\xab;zm@example.org\n");
	assert_int_equal(csvin_delimiter(c), ';');
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.nfields, 2);
	assert_string_equal(r.fields[0], "Dupont, Jean");
	csvin_free(c);
	c = open_str("Name;x,Email\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);

	/* The rows break a tie in the header: "Vragen, opmerkingen" is one
	 * column of a semicolon file whose rows hold no comma, and the
	 * semicolon inside "Smit; Jan" one field of a comma file. */
	c = open_str("Naam;Vragen, opmerkingen\nJan Smit;Geen\nAn Peeters;Vegan\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);
	c = open_str("Name,Notes;x\nJan,a\nAn,b\n");
	assert_int_equal(csvin_delimiter(c), ',');
	csvin_free(c);
	/* ... and a row that ends the file without a line end counts. */
	c = open_str("Naam;Vragen, opmerkingen\nJan Smit;Geen");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);

	/* A title above the header, a comma in it: no row agrees with it, the
	 * line below it is the header. */
	c = open_str("Guest list, Saturday 20 June\nFirst Name;Last Name;Email\n"
	    "Jan;Peeters;jan@x.be\nAn;Smit;an@x.be\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);

	/* Only the header line is counted, not the rows below. */
	c = open_str("Name,Email,Company\n\"a;b;c;d;e\",x,y\n");
	assert_int_equal(csvin_delimiter(c), ',');
	csvin_free(c);

	c = open_str("Name\tEmail\tNotes, remarks; more\nJan\tj@x.org\ta, b; c\n");
	assert_int_equal(csvin_delimiter(c), '\t');
	next_ok(c, &r);
	assert_int_equal(r.nfields, 3);
	next_ok(c, &r);
	assert_string_equal(r.fields[2], "a, b; c");
	csvin_free(c);

	/* A one-column file is comma-separated by default. */
	c = open_str("Name\nJan Smit\n");
	assert_int_equal(csvin_delimiter(c), ',');
	csvin_free(c);

	/* Excel's "sep=" line names the delimiter and is not a record. */
	c = open_str("sep=;\r\nName,full;Email\r\nJan, Smit;j@x.org\r\n");
	assert_int_equal(csvin_delimiter(c), ';');
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	assert_string_equal(r.fields[0], "Name,full");
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	assert_string_equal(r.fields[0], "Jan, Smit");
	csvin_free(c);
}

/* Delimiter detection on the headers organisers write: a title without a
 * delimiter (or several) above it; a title with one above a list of one
 * guest, or under a second title line; commas in a header cell that the
 * rows repeat; commas inside quotes; Excel's "sep=" for every delimiter. */
static void
test_delimiter_detection_titles_and_rows(void **state)
{
	struct csvin_record r;
	struct csvin *c;

	(void)state;
	/* Titles without a delimiter: the header is the first line with one,
	 * even with no guest below it yet, and however many titles. */
	c = open_str("Guest list\nFirst Name;Last Name;Email\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);
	c = open_str("Kiosk export\nGuest list\nSaturday 20 June\nRoom 2\n"
	    "First Name;Last Name\nJan;Peeters\nAn;Smit\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);

	/* A title with a comma above a list of one guest. */
	c = open_str("Guest list, Saturday 20 June\nFirst Name;Last Name\nJan;Peeters\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);
	/* Two such titles (that do not agree with each other). */
	c = open_str("Guest list, Saturday 20 June\nBrussels, Grand-Place 1, room 2\n"
	    "First Name;Last Name;Email\nJan;Peeters;jan@x.be\nAn;Smit;an@x.be\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);

	/* A header cell with two commas over rows with one each: only the
	 * semicolon is in every row as often as in the header. */
	c = open_str("Naam;Allergie\xc3\xabn, dieet, wensen\nJan Smit;Vegan, geen noten\n"
	    "An Peeters;Lactose, gluten\n");
	assert_int_equal(csvin_delimiter(c), ';');
	next_ok(c, &r);
	assert_int_equal(r.nfields, 2);
	csvin_free(c);

	/* Commas inside quotes count for nothing, in the header or rows. */
	c = open_str("\"Name, first, last\";Email\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);
	c = open_str("\"Name, first, last\";Email\n\"Smit, Jan, dr\";j@x.org\n"
	    "\"Peeters, An, ir\";a@x.org\n");
	assert_int_equal(csvin_delimiter(c), ';');
	csvin_free(c);

	/* "sep=" names any of the three, and is no record. */
	c = open_str("sep=,\r\nName;Notes,Email\r\nJan;a,j@x.org\r\n");
	assert_int_equal(csvin_delimiter(c), ',');
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.nfields, 2);
	assert_string_equal(r.fields[0], "Name;Notes");
	csvin_free(c);
	c = open_str("sep=\t\nName;x,y\tEmail\nJan;a,b\tj@x.org\n");
	assert_int_equal(csvin_delimiter(c), '\t');
	next_ok(c, &r);
	assert_int_equal(r.line, 2);
	assert_string_equal(r.fields[1], "Email");
	csvin_free(c);
}

static void
test_empty_files(void **state)
{
	char *cause;

	(void)state;
	cause = open_fails("", 0);
	assert_string_equal(cause, "bad.csv: file is empty");
	free(cause);
	cause = open_fails("\xef\xbb\xbf", 3);
	assert_string_equal(cause, "bad.csv: file is empty");
	free(cause);
	cause = open_fails("\xef\xbb\xbf \r\n\t\n", 7);
	assert_string_equal(cause, "bad.csv: file is empty");
	free(cause);

	char *path = data_path("csv-empty.csv");
	struct csvin *c = NULL;
	cause = NULL;
	assert_int_equal(csvin_open_file(path, &c, &cause), -1);
	assert_null(c);
	char *want = xasprintf("%s: file is empty", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(path);
}

static void
test_not_text(void **state)
{
	char *cause;

	(void)state;
	char *path = data_path("csv-nul.csv");
	struct csvin *c = NULL;
	cause = NULL;
	assert_int_equal(csvin_open_file(path, &c, &cause), -1);
	char *want = xasprintf("%s: not a text file (a NUL byte at line 2, offset 24; save it "
	    "as CSV UTF-8)", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(path);

	/* A byte Windows-1252 leaves undefined. */
	cause = open_fails("Name\nJan\x81\n", 9);
	assert_string_equal(cause, "bad.csv:2: not a text file (byte 0x81 at offset 8 is "
	    "neither UTF-8 nor Windows-1252; an old DOS or Mac encoding? save it as CSV UTF-8)");
	free(cause);

	/* What people save by mistake: a workbook, UTF-16 "Unicode text". */
	cause = open_fails("PK\x03\x04\x14\0\x06\0", 8);
	assert_non_null(strstr(cause, "not a text file (a spreadsheet workbook, .xlsx or .ods"));
	free(cause);
	cause = open_fails("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10);
	assert_non_null(strstr(cause, "not a text file (an Excel 97-2003 workbook, .xls; save it "
	    "as CSV UTF-8)"));
	free(cause);
	cause = open_fails("%PDF-1.7\n\0", 10);
	assert_non_null(strstr(cause, "not a text file (a PDF;"));
	free(cause);
	/* UTF-16 that is not text: half a surrogate pair on line 2, a file
	 * cut in the middle of a character, a NUL character. */
	cause = open_fails("\xff\xfeN\0\n\0\x00\xd8x\0", 10);
	assert_string_equal(cause, "bad.csv:2: not text (bytes at offset 6 are no "
	    "UTF-16 character)");
	free(cause);
	cause = open_fails("\xfe\xff\0N\0\n\xd8\0\0x", 10);
	assert_string_equal(cause, "bad.csv:2: not text (bytes at offset 6 are no "
	    "UTF-16 character)");
	free(cause);
	cause = open_fails("\xff\xfeN\0\n\0J", 7);
	assert_string_equal(cause, "bad.csv:2: the file ends in the middle of a character "
	    "(UTF-16 cut short; save it again)");
	free(cause);
	cause = open_fails("\xff\xfeN\0\n\0J\0\0\0", 10);
	assert_string_equal(cause, "bad.csv: not a text file (a NUL character, U+0000, at "
	    "line 2)");
	free(cause);

	/* Missing file: the path and the system's reason. */
	c = NULL;
	cause = NULL;
	assert_int_equal(csvin_open_file("tests/data/csv-no-such-file.csv", &c,
	    &cause), -1);
	assert_non_null(strstr(cause, "csv-no-such-file.csv: No such file"));
	free(cause);
}

static void
test_unterminated_quote(void **state)
{
	struct csvin_record r;
	char *cause = NULL;

	(void)state;
	struct csvin *c = open_data("csv-unterminated.csv");
	next_ok(c, &r);
	next_ok(c, &r);
	next_ok(c, &r);
	assert_int_equal(r.line, 3);
	assert_int_equal(csvin_next(c, &r, &cause), -1);
	const char *tail = "csv-unterminated.csv:4: a quoted field starts here "
	    "and never ends";
	assert_non_null(cause);
	assert_true(strlen(cause) >= strlen(tail));
	assert_string_equal(cause + strlen(cause) - strlen(tail), tail);
	/* Asking again does not pretend the file is fine. */
	free(cause);
	cause = NULL;
	assert_int_equal(csvin_next(c, &r, &cause), -1);
	assert_non_null(strstr(cause, ":4: a quoted field"));
	free(cause);
	csvin_free(c);

	/* The line named is where the open field starts, not the record. */
	c = open_str("A,B,C\n"
	    "1,\"two\nlines\",\"open\n"
	    "\n"
	    "x,y,z\n");
	next_ok(c, &r);
	cause = NULL;
	assert_int_equal(csvin_next(c, &r, &cause), -1);
	assert_string_equal(cause, "mem.csv:3: a quoted field starts here and never ends");
	free(cause);
	csvin_free(c);

	/* Without a final line end. */
	c = open_str("A\n\"x");
	next_ok(c, &r);
	cause = NULL;
	assert_int_equal(csvin_next(c, &r, &cause), -1);
	assert_string_equal(cause, "mem.csv:2: a quoted field starts here and never ends");
	free(cause);
	csvin_free(c);
}

static void
test_header_only(void **state)
{
	struct csvin_record r;

	(void)state;
	struct csvin *c = open_data("csv-header-only.csv");
	assert_int_equal(csvin_delimiter(c), ';');
	next_ok(c, &r);
	assert_int_equal(r.nfields, 3);
	assert_string_equal(r.fields[2], "Email");
	at_end(c);
	csvin_free(c);
}

static void
test_mem_is_copied(void **state)
{
	struct csvin_record r;
	char text[] = "Name\nJan\n";
	char *cause = NULL;
	struct csvin *c = NULL;

	(void)state;
	assert_int_equal(csvin_open_mem(text, strlen(text), "guests", &c, &cause), 0);
	memset(text, 'X', strlen(text));
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Jan");
	assert_string_equal(csvin_name(c), "guests");
	csvin_free(c);
	csvin_free(NULL);
	assert_string_equal(csvin_encoding_name(CSVIN_UTF8), "UTF-8");
	assert_string_equal(csvin_encoding_name(CSVIN_UTF8_BOM), "UTF-8 with BOM");
}

static void
test_too_many_fields(void **state)
{
	struct buf b;
	struct csvin_record r;
	char *cause = NULL;

	(void)state;
	buf_init(&b, 0);
	buf_add(&b, "Name\n", 5);
	for (int i = 0; i < 20000; i++)
		buf_addc(&b, ',');
	buf_addc(&b, '\n');
	struct csvin *c = open_str(buf_cstr(&b));
	next_ok(c, &r);
	assert_int_equal(csvin_next(c, &r, &cause), -1);
	assert_non_null(strstr(cause, "mem.csv:2: more than"));
	free(cause);
	cause = NULL;
	csvin_free(c);

	/* 10,000 fields are read whole, 10,001 are refused. */
	for (int extra = 0; extra < 2; extra++) {
		buf_reset(&b);
		buf_add(&b, "Name\n", 5);
		for (int i = 0; i < 10000 + extra; i++)
			buf_add(&b, i ? ",x" : "x", i ? 2 : 1);
		buf_addc(&b, '\n');
		c = open_str(buf_cstr(&b));
		next_ok(c, &r);
		if (extra == 0) {
			next_ok(c, &r);
			assert_int_equal(r.nfields, 10000);
			assert_string_equal(r.fields[9999], "x");
			at_end(c);
		} else {
			assert_int_equal(csvin_next(c, &r, &cause), -1);
			assert_non_null(strstr(cause, "mem.csv:2: more than 10000 fields"));
			free(cause);
			cause = NULL;
		}
		csvin_free(c);
	}
	buf_free(&b);
}

/* An empty export saved with its BOM and pasted under a list ("cat
 * list.csv empty.csv"): the BOM alone on the last line is no guest. */
static void
test_lone_bom_at_the_end(void **state)
{
	struct csvin_record r;

	(void)state;
	struct csvin *c = open_str("Name;Email\nJan;j@x.org\n\xEF\xBB\xBF");
	next_ok(c, &r);
	next_ok(c, &r);
	assert_string_equal(r.fields[0], "Jan");
	at_end(c);
	csvin_free(c);
}

/* A 100,000-guest export of about 15 MB, the size of a big conference: read
 * fully, with the right line numbers, without taking long. */
static void
test_large_export(void **state)
{
	struct buf b;
	struct csvin_record r;
	char *cause = NULL;

	(void)state;
	buf_init(&b, 0);
	buf_addf(&b, "Order #,Order Date,First Name,Last Name,Email,Quantity,"
	    "Ticket Type,Attendee #,Barcode #,Attendee Status,Company,Job Title\r\n");
	/* Every tenth company name is quoted, every thousandth job title
	 * spans two lines: both ways through the reader get exercised. */
	for (int i = 0; i < 100000; i++)
		buf_addf(&b, "%d,2026-06-01 10:22:13+02:00,Léa%d,Çelik,lea.celik%d@"
		    "example.org,1,Early bird,%d,81849226089416213%08d,Attending,"
		    "%s%d%s,%s\r\n", 722551670 + i, i, i, 1000 + i, i,
		    i % 10 == 0 ? "\"Studio \"\"Noord\"\", " : "Studio Noord ", i,
		    i % 10 == 0 ? "\"" : "",
		    i % 1000 == 0 ? "\"Marketeer\nand blogger\"" :
		    "Marketeer and blogger");
	assert_true(b.len > 14u << 20);
	int64_t t0 = util_mono_ns();
	struct csvin *c = NULL;
	assert_int_equal(csvin_open_mem(b.data, b.len, "big.csv", &c, &cause), 0);
	size_t n = 0, last = 0, quoted = 0;
	int rc;
	while ((rc = csvin_next(c, &r, &cause)) == 1) {
		n++;
		last = r.line;
		assert_int_equal(r.nfields, 12);
		if (strncmp(r.fields[10], "Studio \"Noord\", ", 16) == 0)
			quoted++;
	}
	double s = (double)(util_mono_ns() - t0) / 1e9;
	assert_int_equal(rc, 0);
	assert_int_equal(n, 100001);
	/* 100 guests have a two-line job title. */
	assert_int_equal(last, 100001 + 100);
	assert_int_equal(quoted, 10000);
	/* For a person reading the log: speed is make bench's (the import's read). */
	print_message("    %.1f MB, %zu records in %.3f s\n", (double)b.len / 1e6, n, s);
	csvin_free(c);
	buf_free(&b);
}

/* Lone CRs between LF lines (a file pasted together from a Mac export
 * and a PC one): every record, on its own line number, and csvin_lines_left
 * counts every line ending. */
static void
test_lone_cr_lines_between_lf_lines(void **state)
{
	(void)state;
	struct csvin *c = open_str("Name,Note\nr1,x\rr2,\"a\rb\"\rr3,z\nr4,w\n");
	struct csvin_record rec;
	char *cause = NULL;
	assert_int_equal(csvin_lines_left(c), 7);
	static const struct { const char *name; size_t line; } want[] = {
		{ "Name", 1 }, { "r1", 2 }, { "r2", 3 }, { "r3", 5 }, { "r4", 6 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(csvin_next(c, &rec, &cause), 1);
		assert_string_equal(rec.fields[0], want[i].name);
		assert_int_equal(rec.line, want[i].line);
	}
	assert_string_equal(rec.fields[1], "w");
	assert_int_equal(csvin_next(c, &rec, &cause), 0);
	csvin_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eventbrite),
		cmocka_unit_test(test_excel_nl_bom_semicolon),
		cmocka_unit_test(test_meetup),
		cmocka_unit_test(test_pretix_quoted),
		cmocka_unit_test(test_excel_de),
		cmocka_unit_test(test_cp1252_converted),
		cmocka_unit_test(test_header_decides_encoding),
		cmocka_unit_test(test_cp1252_undefined_bytes),
		cmocka_unit_test(test_macroman_converted),
		cmocka_unit_test(test_utf16_converted),
		cmocka_unit_test(test_utf8_lines_in_a_cp1252_file),
		cmocka_unit_test(test_utf8_lines_other_scripts),
		cmocka_unit_test(test_stray_quote),
		cmocka_unit_test(test_tab_and_blank_lines),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_multiline_line_numbers),
		cmocka_unit_test(test_trim_and_quotes),
		cmocka_unit_test(test_delimiter_detection),
		cmocka_unit_test(test_delimiter_detection_titles_and_rows),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_mem_is_copied),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_lone_bom_at_the_end),
		cmocka_unit_test(test_large_export),
		cmocka_unit_test(test_lone_cr_lines_between_lf_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
