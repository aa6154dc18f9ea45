/* test_odsin: the OpenDocument spreadsheet reader on files LibreOffice
 * wrote (tests/data/ods-*, made by tests/data/make-ods.py), read as the
 * same records xlsxin gives of the workbook they were saved from; on
 * content.xml written here for each way ODF repeats, spans and hides; and
 * on what it refuses: a file saved with a password, a damaged one, a zip
 * bomb, a value past the columns a guest list can have. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/odsin.h"
#include "core/util.h"
#include "core/xlsxin.h"
#include "core/zipin.h"
#include "testzip.h"

#define MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"
#define NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""
#define EMPTY_ROWS(n) "<table:table-row table:number-rows-repeated=\"" #n "\">" \
	"<table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
#define CELL(t) "<table:table-cell office:value-type=\"string\"><text:p>" t \
	"</text:p></table:table-cell>"

/* The bytes of a file in tests/data (caller frees). */
static char *
data_file(const char *name, size_t *len)
{
	const char *dir = getenv("KIOSK_TESTDATA");
	char *path = xasprintf("%s/%s", dir ? dir : "tests/data", name), *raw = NULL, *cause = NULL;
	if (util_read_file(path, CSVIN_MAX_FILE, &raw, len, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	free(path);
	return raw;
}

/* An .ods whose content.xml has these automatic styles and tables. */
static char *
ods_of(const char *styles, const char *tables, size_t *len)
{
	char *content = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<office:document-content " NS "><office:automatic-styles>%s"
	    "</office:automatic-styles><office:body><office:spreadsheet>%s"
	    "</office:spreadsheet></office:body></office:document-content>", styles, tables);
	const char *const members[][2] = { { "mimetype", MIMETYPE }, { "content.xml", content } };
	char *z = tz_zip(members, 2, len);
	free(content);
	return z;
}

/* An .ods of one table of these rows. */
static char *
ods_rows(const char *rows, size_t *len)
{
	char *table = xasprintf("<table:table table:name=\"Guests\">%s</table:table>", rows);
	char *z = ods_of("", table, len);
	free(table);
	return z;
}

static struct zipin_sheet *
open_ok(const char *data, size_t len)
{
	struct zipin_sheet *o = NULL;
	char *cause = NULL;
	if (odsin_open_mem(data, len, "mem.ods", NULL, &o, &cause) != 0)
		fail_msg("mem.ods: %s", cause);
	return o;
}

/* A file of tests/data, opened. */
static struct zipin_sheet *
open_data(const char *name)
{
	size_t len;
	char *raw = data_file(name, &len);
	struct zipin_sheet *o = open_ok(raw, len);
	free(raw);
	return o;
}

/* Opening must fail; returns the message (caller frees). */
static char *
open_fails(const char *data, size_t len)
{
	struct zipin_sheet *o = NULL;
	char *cause = NULL;
	assert_int_equal(odsin_open_mem(data, len, "bad.ods", NULL, &o, &cause), -1);
	assert_null(o);
	assert_non_null(cause);
	return cause;
}

static struct zipin_sheet *
open_rows(const char *rows)
{
	size_t len;
	char *z = ods_rows(rows, &len);
	struct zipin_sheet *o = open_ok(z, len);
	free(z);
	return o;
}

static char *
rows_fail(const char *rows)
{
	size_t len;
	char *z = ods_rows(rows, &len);
	char *cause = open_fails(z, len);
	free(z);
	return cause;
}

/* A record as "row: a|b|c" (a new string). */
static char *
record_text(const struct csvin_record *rec)
{
	struct buf b;
	buf_init(&b, 0);
	buf_addf(&b, "%zu: ", rec->line);
	for (size_t i = 0; i < rec->nfields; i++) {
		assert_int_equal(strlen(rec->fields[i]), rec->lens[i]);
		buf_addf(&b, "%s%s", i ? "|" : "", rec->fields[i]);
	}
	return buf_take(&b);
}

/* The next records must be these, then no more. */
static void
expect_records(struct zipin_sheet *o, const char *const *want, size_t n)
{
	struct csvin_record rec;
	for (size_t i = 0; i < n; i++) {
		if (zipin_sheet_next(o, &rec) != 1)
			fail_msg("record %zu missing: want '%s'", i, want[i]);
		char *got = record_text(&rec);
		assert_string_equal(got, want[i]);
		free(got);
	}
	assert_int_equal(zipin_sheet_next(o, &rec), 0);
}

/* LibreOffice's .ods of the Eventbrite-like workbook reads as the same
 * records as the workbook itself: dates, the order number, the rich-text
 * company, booleans, the missing cell, the title row; its first sheet of
 * two; its million empty rows and 16384 empty columns held as nothing. */
static void
test_same_records_as_the_workbook(void **state)
{
	(void)state;
	size_t olen, xlen, n;
	char *ods = data_file("ods-eventbrite.ods", &olen);
	char *xlsx = data_file("xlsx-eventbrite.xlsx", &xlen);
	struct zipin_sheet *o = open_ok(ods, olen);
	struct zipin_sheet *x = NULL;
	char *cause = NULL;
	if (xlsxin_open_mem(xlsx, xlen, "xlsx-eventbrite.xlsx", NULL, &x, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(zipin_sheet_tab(o, &n), "Attendees");
	assert_int_equal(n, 2);
	assert_string_equal(zipin_sheet_name(o), "mem.ods");
	assert_int_equal(zipin_sheet_rows_left(o), zipin_sheet_rows_left(x));
	struct csvin_record orec, xrec;
	size_t records = 0;
	while (zipin_sheet_next(x, &xrec) == 1) {
		assert_int_equal(zipin_sheet_next(o, &orec), 1);
		char *got = record_text(&orec), *want = record_text(&xrec);
		assert_string_equal(got, want);
		free(got);
		free(want);
		records++;
	}
	assert_int_equal(zipin_sheet_next(o, &orec), 0);
	assert_int_equal(records, 14);
	zipin_sheet_free(o);
	zipin_sheet_free(x);
	free(ods);
	free(xlsx);
}

/* Numbers as LibreOffice shows them: a code in "TKT-"00000 as printed on
 * the ticket, one in 0000000 with its zeros; dates and times as ISO 8601;
 * the hidden first sheet skipped, and counted. */
static void
test_numbers_as_shown(void **state)
{
	(void)state;
	size_t n;
	struct zipin_sheet *o = open_data("ods-codes.ods");
	assert_string_equal(zipin_sheet_tab(o, &n), "Guests");
	assert_int_equal(n, 2);
	static const char *const want[] = {
		"1: First Name|Last Name|Email|Ticket code|Member|Ordered|Doors|Paid",
		"2: Zoë|Çelik|zoe@example.org|TKT-00042|0000123|2026-06-01 10:22:13|19:30:00|50%",
		"3: Jan|Janssens|jan@example.be|TKT-00007|0004567|2026-06-02 08:05:00|09:00:00|100%",
	};
	expect_records(o, want, 3);
	zipin_sheet_free(o);
}

/* A long barcode kept as a number in General shows rounded; it is read so,
 * for import to reject it as a rounded code. */
static void
test_rounded_barcodes(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_data("ods-rounded.ods");
	struct csvin_record rec;
	assert_int_equal(zipin_sheet_next(o, &rec), 1);
	assert_int_equal(zipin_sheet_next(o, &rec), 1);
	assert_int_equal(zipin_sheet_next(o, &rec), 1);
	assert_int_equal(rec.line, 3);
	assert_string_equal(rec.fields[6], "8.18492260894162E+024");
	zipin_sheet_free(o);
}

/* Every way content.xml holds a value (ods-cells.ods, written by hand):
 * runs, links, spaces, tabs, line breaks and paragraphs; a row repeated
 * with its values; empty rows repeated; a merged cell and the cell it
 * covers, with its own value; each value type; a comment left out; values trimmed; a hidden
 * sheet before and a sheet after, counted. */
static void
test_every_kind_of_cell(void **state)
{
	(void)state;
	size_t n;
	struct zipin_sheet *o = open_data("ods-cells.ods");
	assert_string_equal(zipin_sheet_tab(o, &n), "Guests");
	assert_int_equal(n, 3);
	static const char *const want[] = {
		"1: First name|Last name|Email|Code|Note",
		"2: Zoë|Çelik|zoe@example.org|TKT-00042|a   b\tc\nd \nsecond para",
		"3: Same|Row|same@example.org||",
		"4: Same|Row|same@example.org||",
		"8: Merged|under|00123|50%|€12.50",
		"9: 2026-06-30|2026-06-30 19:30:00|19:30:00|TRUE|1.5",
		"10: x|x|x|with note|padded",
	};
	expect_records(o, want, 7);
	zipin_sheet_free(o);
}

/* A string's office:string-value, which ODF lets a program write instead
 * of its paragraphs, is the value when they are left out, as LibreOffice
 * reads it (its CSV of the first and last cells here: "Zoë", "notype");
 * it was left out, a guest's name lost. Where LibreOffice wrote both, the
 * paragraph is the text as the cell shows it: a text in the format
 * "TKT-"@ (string-value 00042) and an error (string-value ""), but for a
 * text its format hides (";;;": an empty paragraph), which is read. */
static void
test_string_value(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_rows("<table:table-row>"
	    "<table:table-cell office:value-type=\"string\" office:string-value=\"Zoë\"/>"
	    "<table:table-cell office:value-type=\"string\" office:string-value=\"00042\">"
	    "<text:p>TKT-00042</text:p></table:table-cell>"
	    "<table:table-cell table:formula=\"of:=1/0\" office:value-type=\"string\" "
	    "office:string-value=\"\"><text:p>#DIV/0!</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"string\" office:string-value=\"\"/>"
	    "<table:table-cell office:string-value=\"notype\"/>"
	    "<table:table-cell office:value-type=\"string\" office:string-value=\"TKT-7\">"
	    "<text:p/></table:table-cell>"
	    "</table:table-row>");
	static const char *const want[] = { "1: Zoë|TKT-00042|#DIV/0!||notype|TKT-7" };
	expect_records(o, want, 1);
	zipin_sheet_free(o);
}

/* A merged area's covered cells keep the values they hold (LibreOffice's
 * "Keep the contents of the hidden cells"): its CSV export writes them,
 * and so does xlsxin read the .xlsx it saves of the same sheet; left out,
 * the second guest of a name merged down two rows lost their name and was
 * rejected. An empty covered cell only takes its column. */
static void
test_covered_cells(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_rows("<table:table-row>" CELL("name") CELL("email")
	    "</table:table-row><table:table-row>"
	    "<table:table-cell office:value-type=\"string\" table:number-rows-spanned=\"2\">"
	    "<text:p>Ann</text:p></table:table-cell>" CELL("a@example.org")
	    "</table:table-row><table:table-row>"
	    "<table:covered-table-cell office:value-type=\"string\"><text:p>Bob</text:p>"
	    "</table:covered-table-cell>" CELL("b@example.org")
	    "</table:table-row><table:table-row>"
	    "<table:table-cell office:value-type=\"string\" table:number-columns-spanned=\"3\">"
	    "<text:p>Cy</text:p></table:table-cell>"
	    "<table:covered-table-cell table:number-columns-repeated=\"2\"/>" CELL("x")
	    "</table:table-row>");
	static const char *const want[] = {
		"1: name|email||",
		"2: Ann|a@example.org||",
		"3: Bob|b@example.org||",
		"4: Cy|||x",
	};
	expect_records(o, want, 4);
	zipin_sheet_free(o);
}

/* A ticket type merged down over a group of guests (the covered cells
 * empty: LibreOffice's "Move the contents of the hidden cells" not chosen)
 * is each one's, as the sheet shows it; rows below the list get none. */
static void
test_merged_down(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_rows("<table:table-row>" CELL("name") CELL("type")
	    "</table:table-row><table:table-row>" CELL("Ann")
	    "<table:table-cell office:value-type=\"string\" table:number-rows-spanned=\"4\">"
	    "<text:p>VIP</text:p></table:table-cell>"
	    "</table:table-row><table:table-row>" CELL("Bart")
	    "<table:covered-table-cell/>"
	    "</table:table-row>"
	    EMPTY_ROWS(2));
	static const char *const want[] = {
		"1: name|type",
		"2: Ann|VIP",
		"3: Bart|VIP",
	};
	expect_records(o, want, 3);
	zipin_sheet_free(o);
}

/* Values of each type as their attributes say, the shown text where they
 * say nothing it could be written from; a number its format hides (";;;":
 * an empty paragraph) as its value. */
static void
test_value_types(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_rows("<table:table-row>"
	    "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"false\">"
	    "<text:p>ONWAAR</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"time\" office:time-value=\"PT36H05M09.5S\">"
	    "<text:p>36:05</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"time\" office:time-value=\"-PT1H\">"
	    "<text:p>-01:00</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"date\" office:date-value=\"-0044-03-15\">"
	    "<text:p>15/03/-44</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"date\" office:date-value=\"2026-06-30T00:00:00\">"
	    "<text:p>30/06/26</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"float\" office:value=\"1e-05\"/>"
	    "<table:table-cell office:value-type=\"float\" office:value=\"12\"><text:p/>"
	    "</table:table-cell>"
	    "<table:table-cell><text:p>no type</text:p></table:table-cell>"
	    "<table:table-cell office:value-type=\"string\"><text:p>a<text:note><text:note-body>"
	    "<text:p>footnote</text:p></text:note-body></text:note>b<office:annotation>"
	    "<text:p>comment</text:p></office:annotation></text:p></table:table-cell>"
	    "</table:table-row>");
	static const char *const want[] = {
		"1: FALSE|36:05:09|-01:00|15/03/-44|2026-06-30 00:00:00|1E-05|12|no type|ab",
	};
	expect_records(o, want, 1);
	zipin_sheet_free(o);
}

/* Repeats are counted, never expanded when empty: a sheet of 16 million
 * empty rows and 16384 empty columns opens in no memory to speak of. A
 * value past row 1048576, the last of a sheet in Excel and LibreOffice
 * (bar its experimental 16-million-row sheets), is refused, as xlsxin
 * refuses one: no guest list is that long. */
static void
test_repeats(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_rows(EMPTY_ROWS(1048575)
	    "<table:table-row><table:table-cell table:number-columns-repeated=\"9999\"/>"
	    CELL("last") "<table:table-cell table:number-columns-repeated=\"6384\"/>"
	    "</table:table-row>" EMPTY_ROWS(16000000));
	struct csvin_record rec;
	assert_int_equal(zipin_sheet_next(o, &rec), 1);
	assert_int_equal(rec.line, 1048576);
	assert_int_equal(rec.nfields, 10000);
	assert_string_equal(rec.fields[9999], "last");
	assert_string_equal(rec.fields[0], "");
	assert_int_equal(zipin_sheet_next(o, &rec), 0);
	zipin_sheet_free(o);

	char *cause = rows_fail(EMPTY_ROWS(1048576) "<table:table-row>" CELL("late")
	    "</table:table-row>");
	assert_string_equal(cause, "bad.ods: row 1048577: a value past row 1048576, the last "
	    "of a sheet in Excel and LibreOffice: more rows than a guest list has; nothing "
	    "imported");
	free(cause);
}

/* A row of values repeated (table:number-rows-repeated) is that many
 * records, each with its own row; one repeated past the last row is
 * refused before it is expanded: an .ods of 700 bytes whose one row of
 * values repeats 16 million times was 16,777,000 records, 1.5 GB and 46 s
 * of kiosk import. */
static void
test_repeated_values(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_rows("<table:table-row>" CELL("name") "</table:table-row>"
	    "<table:table-row table:number-rows-repeated=\"1048575\">" CELL("Same")
	    "</table:table-row>" EMPTY_ROWS(1000));
	struct csvin_record rec;
	for (size_t row = 1; row <= 1048576; row++) {
		assert_int_equal(zipin_sheet_next(o, &rec), 1);
		if (rec.line != row)
			fail_msg("record %zu is row %zu", row, rec.line);
	}
	assert_string_equal(rec.fields[0], "Same");
	assert_int_equal(zipin_sheet_next(o, &rec), 0);
	zipin_sheet_free(o);

	char *cause = rows_fail("<table:table-row>" CELL("name") "</table:table-row>"
	    "<table:table-row table:number-rows-repeated=\"16777000\">" CELL("x")
	    "</table:table-row>");
	assert_string_equal(cause, "bad.ods: row 1048577: a value past row 1048576, the last "
	    "of a sheet in Excel and LibreOffice: more rows than a guest list has; nothing "
	    "imported");
	free(cause);
}

/* A value past the columns a guest list has: one repeated over a whole
 * row, and one alone there. */
static void
test_column_limit(void **state)
{
	(void)state;
	char *cause = rows_fail("<table:table-row><table:table-cell "
	    "table:number-columns-repeated=\"16384\" office:value-type=\"string\">"
	    "<text:p>x</text:p></table:table-cell></table:table-row>");
	assert_string_equal(cause, "bad.ods: row 1: a value in column NTQ, past the 10000 "
	    "columns a guest list can have");
	free(cause);
	cause = rows_fail("<table:table-row><table:table-cell "
	    "table:number-columns-repeated=\"10005\"/>" CELL("y") "</table:table-row>");
	assert_string_equal(cause, "bad.ods: row 1: a value in column NTV, past the 10000 "
	    "columns a guest list can have");
	free(cause);
}

/* Which table is read: the first one no style hides. */
static void
test_first_visible_sheet(void **state)
{
	(void)state;
	static const char styles[] =
	    "<style:style style:name=\"ta1\" style:family=\"table\">"
	    "<style:table-properties table:display=\"false\"/></style:style>"
	    "<style:style style:name=\"ta2\" style:family=\"table-row\">"
	    "<style:table-properties table:display=\"false\"/></style:style>";
	size_t len, n;
	char *z = ods_of(styles,
	    "<table:table table:name=\"Hidden\" table:style-name=\"ta1\"><table:table-row>"
	    CELL("no") "</table:table-row></table:table>"
	    "<table:table table:name=\"Shown\" table:style-name=\"ta2\"><table:table-row>"
	    CELL("yes") "</table:table-row></table:table>", &len);
	struct zipin_sheet *o = open_ok(z, len);
	assert_string_equal(zipin_sheet_tab(o, &n), "Shown");
	assert_int_equal(n, 2);
	static const char *const want[] = { "1: yes" };
	expect_records(o, want, 1);
	zipin_sheet_free(o);

	/* asked for by name (case and spaces aside): that one, hidden or
	 * not; a name it has not: its sheets said */
	char *cause = NULL;
	o = NULL;
	assert_int_equal(odsin_open_mem(z, len, "mem.ods", "hidden ", &o, &cause), 0);
	assert_string_equal(zipin_sheet_tab(o, &n), "Hidden");
	assert_int_equal(n, 2);
	static const char *const hidden[] = { "1: no" };
	expect_records(o, hidden, 1);
	zipin_sheet_free(o);
	o = NULL;
	assert_int_equal(odsin_open_mem(z, len, "mem.ods", "Guests", &o, &cause), -1);
	assert_null(o);
	assert_string_equal(cause, "mem.ods: no sheet is named 'Guests'; its sheets are: "
	    "'Hidden', 'Shown'");
	free(cause);
	free(z);

	z = ods_of(styles, "<table:table table:name=\"Hidden\" table:style-name=\"ta1\">"
	    "<table:table-row>" CELL("no") "</table:table-row></table:table>", &len);
	cause = open_fails(z, len);
	assert_non_null(strstr(cause, "bad.ods: the spreadsheet has no visible sheet"));
	free(cause);
	free(z);
}

/* An empty sheet: no records, and no fields. */
static void
test_empty_sheet(void **state)
{
	(void)state;
	struct zipin_sheet *o = open_rows(EMPTY_ROWS(1048576));
	struct csvin_record rec;
	assert_int_equal(zipin_sheet_next(o, &rec), 0);
	assert_int_equal(zipin_sheet_rows_left(o), 1);
	zipin_sheet_free(o);
}

/* The first bytes tell an .ods from an .xlsx and from a zip whose first
 * member is another. */
static void
test_magic(void **state)
{
	(void)state;
	static const char *const files[] = { "ods-eventbrite.ods", "ods-codes.ods",
		"ods-cells.ods", "ods-encrypted.ods", "xlsx-libreoffice.ods" };
	size_t len;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *raw = data_file(files[i], &len);
		if (!odsin_magic(raw, len))
			fail_msg("%s: not told an .ods", files[i]);
		assert_false(odsin_magic(raw, 40));
		free(raw);
	}
	char *raw = data_file("xlsx-libreoffice.xlsx", &len);
	assert_false(odsin_magic(raw, len));
	free(raw);
	const char *const members[][2] = { { "content.xml", "<x/>" }, { "mimetype", MIMETYPE } };
	raw = tz_zip(members, 2, &len);
	assert_false(odsin_magic(raw, len));
	free(raw);
}

/* Saved with a password: refused by its manifest, with what to do. */
static void
test_refuses_encrypted(void **state)
{
	(void)state;
	size_t len;
	char *raw = data_file("ods-encrypted.ods", &len);
	char *cause = open_fails(raw, len);
	assert_string_equal(cause, "bad.ods: a spreadsheet saved with a password, which kiosk "
	    "cannot open: open it in LibreOffice with the password and save it without one "
	    "(File > Save As, 'Save with password' unticked), or ask for the list without a "
	    "password");
	free(cause);
	free(raw);
}

/* A damaged file, whatever is wrong with it, is refused whole. */
static void
test_refuses_damaged(void **state)
{
	(void)state;
	size_t len;
	char *raw = data_file("ods-eventbrite.ods", &len);
	char *cause = open_fails(raw, len / 2);
	assert_non_null(strstr(cause, "bad.ods: a damaged zip file, not a spreadsheet kiosk "
	    "can read"));
	free(cause);
	free(raw);

	const char *const no_content[][2] = { { "mimetype", MIMETYPE } };
	raw = tz_zip(no_content, 1, &len);
	cause = open_fails(raw, len);
	assert_string_equal(cause, "bad.ods: a damaged spreadsheet: it has no content.xml; save "
	    "it again in LibreOffice (.ods), or as .xlsx or CSV UTF-8");
	free(cause);
	free(raw);

	cause = rows_fail("<table:table-row>" CELL("unclosed") "</table:table>");
	assert_non_null(strstr(cause, "bad.ods: a damaged spreadsheet (content.xml, line 2: "
	    "mismatched tag)"));
	free(cause);

	const char *const dtd[][2] = { { "mimetype", MIMETYPE },
		{ "content.xml", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>" } };
	raw = tz_zip(dtd, 2, &len);
	cause = open_fails(raw, len);
	assert_string_equal(cause, "bad.ods: content.xml has a DTD, which no spreadsheet has");
	free(cause);
	free(raw);

	const char *const text[][2] = { { "mimetype", "application/vnd.oasis.opendocument.text" },
		{ "content.xml", "<x/>" } };
	raw = tz_zip(text, 2, &len);
	cause = open_fails(raw, len);
	assert_non_null(strstr(cause, "bad.ods: not an OpenDocument spreadsheet"));
	free(cause);
	free(raw);
}

/* Set the size content.xml says it unpacks to, in both its headers. */
static void
say_content_size(char *z, size_t len, uint32_t size)
{
	static const char name[] = "content.xml";
	const size_t nl = sizeof name - 1;
	int set = 0;
	for (size_t i = 0; i + 46 + nl <= len; i++) {
		bool local = memcmp(z + i, "PK\x03\x04", 4) == 0 &&
		    memcmp(z + i + 30, name, nl) == 0;
		bool central = memcmp(z + i, "PK\x01\x02", 4) == 0 &&
		    memcmp(z + i + 46, name, nl) == 0;
		if (local || central) {
			memcpy(z + i + (local ? 22 : 24), &size, 4); /* little-endian hosts */
			set++;
		}
	}
	assert_int_equal(set, 2);
}

/* A zip bomb: content.xml saying it unpacks past the limit is refused
 * before it is unpacked; one saying less than it holds is stopped there. */
static void
test_refuses_zip_bomb(void **state)
{
	(void)state;
	size_t len, big = 300000;
	char *pad = xmalloc(big + 1);
	memset(pad, ' ', big);
	pad[big] = '\0';
	char *rows = xasprintf("<table:table-row>" CELL("a") "</table:table-row>%s", pad);
	char *z = ods_rows(rows, &len);
	say_content_size(z, len, 0xF0000000u);
	char *cause = open_fails(z, len);
	assert_string_equal(cause, "bad.ods: content.xml unpacks to 3840 MiB, more than the "
	    "1024 MiB a guest list's sheet can be (a damaged or malicious file?); nothing "
	    "imported");
	free(cause);
	say_content_size(z, len, 2000);
	cause = open_fails(z, len);
	assert_string_equal(cause, "bad.ods: a damaged or malicious spreadsheet: content.xml "
	    "unpacks to more than the 2000 bytes it says it holds; nothing imported");
	free(cause);
	free(z);
	free(rows);
	free(pad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_records_as_the_workbook),
		cmocka_unit_test(test_numbers_as_shown),
		cmocka_unit_test(test_rounded_barcodes),
		cmocka_unit_test(test_every_kind_of_cell),
		cmocka_unit_test(test_value_types),
		cmocka_unit_test(test_covered_cells),
		cmocka_unit_test(test_merged_down),
		cmocka_unit_test(test_string_value),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_repeated_values),
		cmocka_unit_test(test_column_limit),
		cmocka_unit_test(test_first_visible_sheet),
		cmocka_unit_test(test_empty_sheet),
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_refuses_encrypted),
		cmocka_unit_test(test_refuses_damaged),
		cmocka_unit_test(test_refuses_zip_bomb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
