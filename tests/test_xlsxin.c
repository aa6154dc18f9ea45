/* test_xlsxin: the workbook reader on workbooks as Excel, openpyxl and
 * LibreOffice write them (tests/data/xlsx-*, made by tests/data/make-xlsx.py),
 * on cells written every way OOXML allows, and on what it refuses: an
 * .xls, a workbook with a password, an .ods, a zip of something else, a
 * damaged one, a zip bomb. Small workbooks are built here with libzip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/util.h"
#include "core/xlnumfmt.h"
#include "core/xlsxin.h"
#include "testzip.h"

static char *
data_path(const char *name)
{
	const char *dir = getenv("KIOSK_TESTDATA");
	return xasprintf("%s/%s", dir ? dir : "tests/data", name);
}

/* --- workbooks built here --------------------------------------------------- */

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *const workbook_one =
	"<workbook " NS "><sheets><sheet name=\"Guests\" sheetId=\"1\" r:id=\"rId1\"/>"
	"</sheets></workbook>";
static const char *const book_rels =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId4\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
	"</Relationships>";
static const char *const pkg_rels =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
	"</Relationships>";

/* A workbook of one sheet's sheetData, with shared strings and styles (NULL:
 * none), as bytes. */
static char *
workbook(const char *book, const char *data, const char *strings, const char *styles,
    size_t *len)
{
	char *sheet = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS
	    "><sheetData>%s</sheetData></worksheet>", data);
	char *sst = strings ? xasprintf("<sst " NS ">%s</sst>", strings) : NULL;
	char *sty = styles ? xasprintf("<styleSheet " NS ">%s</styleSheet>", styles) : NULL;
	struct tz_part parts[8] = {
		{ "_rels/.rels", pkg_rels, 0 },
		{ "xl/workbook.xml", book ? book : workbook_one, 0 },
		{ "xl/_rels/workbook.xml.rels", book_rels, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, 0 },
	};
	size_t n = 4;
	if (sst)
		parts[n++] = (struct tz_part){ "xl/sharedStrings.xml", sst, 0 };
	if (sty)
		parts[n++] = (struct tz_part){ "xl/styles.xml", sty, 0 };
	char *z = tz_zip_parts(parts, len);
	free(sheet);
	free(sst);
	free(sty);
	return z;
}

static struct zipin_sheet *
open_bytes(const char *data, size_t len)
{
	struct zipin_sheet *x = NULL;
	char *cause = NULL;
	if (xlsxin_open_mem(data, len, "mem.xlsx", NULL, &x, &cause) != 0)
		fail_msg("mem.xlsx: %s", cause);
	return x;
}

static struct zipin_sheet *
open_sheet(const char *data, const char *strings, const char *styles)
{
	size_t len;
	char *z = workbook(NULL, data, strings, styles, &len);
	struct zipin_sheet *x = open_bytes(z, len);
	free(z);
	return x;
}

/* Opening must fail; returns the message (caller frees). */
static char *
open_fails(const char *data, size_t len)
{
	struct zipin_sheet *x = NULL;
	char *cause = NULL;
	assert_int_equal(xlsxin_open_mem(data, len, "bad.xlsx", NULL, &x, &cause), -1);
	assert_null(x);
	assert_non_null(cause);
	return cause;
}

static char *
file_fails(const char *name)
{
	char *path = data_path(name), *cause = NULL;
	struct zipin_sheet *x = NULL;
	assert_int_equal(xlsxin_open_file(path, &x, &cause), -1);
	assert_null(x);
	assert_non_null(cause);
	free(path);
	return cause;
}

/* The next record as "row: a|b|c" (a new string), or NULL at the end. */
static char *
next_text(struct zipin_sheet *x)
{
	struct csvin_record rec;
	if (zipin_sheet_next(x, &rec) == 0)
		return NULL;
	struct buf b;
	buf_init(&b, 0);
	buf_addf(&b, "%zu: ", rec.line);
	for (size_t i = 0; i < rec.nfields; i++) {
		assert_int_equal(strlen(rec.fields[i]), rec.lens[i]);
		buf_addf(&b, "%s%s", i ? "|" : "", rec.fields[i]);
	}
	return buf_take(&b);
}

#define assert_next(x, want) do { \
	char *got_ = next_text(x); \
	assert_non_null(got_); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

/* --- the fixtures ---------------------------------------------------------------- */

/* Both writers' workbooks of the same list read the same: openpyxl's inline
 * strings with Excel's shared strings (one a rich text of two runs and a
 * phonetic guide), LibreOffice's shared strings and styles of its own. */
static void
check_eventbrite(const char *name)
{
	char *path = data_path(name), *cause = NULL;
	struct zipin_sheet *x = NULL;
	if (xlsxin_open_file(path, &x, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	size_t nsheets = 0;
	assert_string_equal(zipin_sheet_tab(x, &nsheets), "Attendees");
	assert_int_equal(nsheets, 2);
	assert_next(x, "1: Attendee report, Social Media Day 2026||||||||||");
	assert_next(x, "2: Order #|Order Date|First Name|Last Name|Email|Ticket Type|Barcode #|"
	    "Attendee Status|Company|Event Date|Newsletter");
	assert_next(x, "3: 7225516707|2026-06-01 10:22:13|Zoë|Çelik|zoe.celik@example.org|"
	    "Early bird|8184922608941621308297001|Attending|Agence Lumière|2026-06-30|TRUE");
	/* a company left empty: no cell, the field in its place */
	assert_next(x, "4: 7225516708|2026-06-01 15:22:13|Pieter-Jan|de Vries|pj@example.org|"
	    "Regular|8184922608941621308297002|Attending||2026-06-30|FALSE");
	size_t rows = 4;
	char *t;
	while ((t = next_text(x)) != NULL) {
		free(t);
		rows++;
	}
	assert_int_equal(rows, 14);
	assert_int_equal(zipin_sheet_rows_left(x), 1);
	zipin_sheet_free(x);
	free(path);
}

static void
test_eventbrite_openpyxl(void **state)
{
	(void)state;
	check_eventbrite("xlsx-eventbrite.xlsx");
}

static void
test_eventbrite_libreoffice(void **state)
{
	(void)state;
	check_eventbrite("xlsx-libreoffice.xlsx");
}

/* Barcodes Excel stored as numbers: written as Excel's CSV writes them, 15
 * significant digits and zeros, for import to know them rounded. */
static void
test_rounded_barcodes(void **state)
{
	(void)state;
	char *path = data_path("xlsx-rounded.xlsx"), *cause = NULL;
	struct zipin_sheet *x = NULL;
	if (xlsxin_open_file(path, &x, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	struct csvin_record rec;
	assert_int_equal(zipin_sheet_next(x, &rec), 1);
	assert_int_equal(zipin_sheet_next(x, &rec), 1);
	assert_int_equal(zipin_sheet_next(x, &rec), 1);
	assert_int_equal(rec.line, 3);
	assert_string_equal(rec.fields[6], "8184922608941620000000000");
	zipin_sheet_free(x);
	free(path);
}

/* --- cells ---------------------------------------------------------------------- */

/* Cells placed by their reference, missing ones empty, one without a
 * reference after the last; rows without values skipped; every record as
 * wide as the widest row. */
static void
test_cell_places(void **state)
{
	(void)state;
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Name</t></is></c>"
	    "<c r=\"C1\" t=\"inlineStr\"><is><t>Email</t></is></c></row>"
	    "<row r=\"2\"><c r=\"B2\" s=\"0\"/></row>"
	    "<row r=\"5\"><c r=\"C5\" t=\"inlineStr\"><is><t>a@b.c</t></is></c>"
	    "<c t=\"inlineStr\"><is><t>next</t></is></c></row>"
	    "<row><c t=\"inlineStr\"><is><t>  Ann  </t></is></c></row>",
	    NULL, NULL);
	assert_next(x, "1: Name||Email|");
	assert_next(x, "5: ||a@b.c|next");
	assert_next(x, "6: Ann|||");
	assert_null(next_text(x));
	zipin_sheet_free(x);

	/* rows without a number, an empty one left out: their cells say
	 * which they are */
	x = open_sheet(
	    "<row><c r=\"A1\" t=\"inlineStr\"><is><t>Name</t></is></c></row>"
	    "<row><c r=\"B3\" t=\"inlineStr\"><is><t>Ann</t></is></c><c><v>7</v></c></row>"
	    "<row><c t=\"inlineStr\"><is><t>Bo</t></is></c></row>",
	    NULL, NULL);
	assert_next(x, "1: Name||");
	assert_next(x, "3: |Ann|7");
	assert_next(x, "4: Bo||");
	assert_null(next_text(x));
	zipin_sheet_free(x);
}

/* Rows and cells another program wrote out of order are put in order. */
static void
test_cells_out_of_order(void **state)
{
	(void)state;
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"3\"><c r=\"B3\"><v>2</v></c><c r=\"A3\"><v>1</v></c></row>"
	    "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>x</v></c></row>", NULL, NULL);
	assert_next(x, "1: x|");
	assert_next(x, "3: 1|2");
	assert_null(next_text(x));
	zipin_sheet_free(x);
}

/* A colleague merged the ticket type of a group of guests into one cell
 * (Merge & Center): each guest of the area has it, as the sheet shows; a
 * title merged over the columns, an area merged down past the list and a
 * value Excel kept under the area change nothing else. */
static void
test_merged_cells(void **state)
{
	(void)state;
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
	char *sheet = xasprintf("<worksheet " NS "><sheetData>"
	    "<row r=\"1\">" IS("A1", "Guest list") "</row>"
	    "<row r=\"2\">" IS("A2", "Name") IS("B2", "Type") IS("C2", "Company") "</row>"
	    "<row r=\"3\">" IS("A3", "Ann") IS("B3", "VIP") IS("C3", "Acme") "</row>"
	    "<row r=\"4\">" IS("A4", "Bart") "<c r=\"B4\"/></row>"
	    "<row r=\"5\">" IS("A5", "Chloé") IS("B5", "GA") IS("C5", "Kept") "</row>"
	    "<row r=\"6\">" IS("A6", "Dirk") "</row>"
	    "</sheetData><mergeCells count=\"4\"><mergeCell ref=\"A1:C1\"/>"
	    "<mergeCell ref=\"B3:B4\"/><mergeCell ref=\"C3:C5\"/>"
	    "<mergeCell ref=\"B5:B9\"/></mergeCells></worksheet>");
#undef IS
	struct tz_part parts[] = {
		{ "_rels/.rels", pkg_rels, 0 },
		{ "xl/workbook.xml", workbook_one, 0 },
		{ "xl/_rels/workbook.xml.rels", book_rels, 0 },
		{ "xl/worksheets/sheet1.xml", sheet, 0 },
		{ NULL, NULL, 0 },
	};
	size_t len;
	char *z = tz_zip_parts(parts, &len);
	struct zipin_sheet *x = open_bytes(z, len);
	assert_next(x, "1: Guest list||");
	assert_next(x, "2: Name|Type|Company");
	assert_next(x, "3: Ann|VIP|Acme");
	assert_next(x, "4: Bart|VIP|Acme");
	assert_next(x, "5: Chloé|GA|Kept");
	assert_next(x, "6: Dirk|GA|");
	assert_null(next_text(x));
	zipin_sheet_free(x);
	free(z);
	free(sheet);
}

/* Each kind of value, as Excel shows it and writes it to CSV. */
static void
test_value_kinds(void **state)
{
	(void)state;
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"1\">"
	    "<c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "<c r=\"B1\" t=\"s\"><v>1</v></c>"
	    "<c r=\"C1\" t=\"inlineStr\"><is><r><t>Jo</t></r><r><rPr><i/></rPr><t>sé</t></r>"
	    "<rPh><t>ホセ</t></rPh></is></c>"
	    "<c r=\"D1\" t=\"str\"><f>A1&amp;\"!\"</f><v>Zoë!</v></c>"
	    "<c r=\"E1\" t=\"b\"><v>0</v></c>"
	    "<c r=\"F1\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
	    "<c r=\"G1\" t=\"s\"><v>2</v></c>"
	    "<c r=\"H1\" t=\"inlineStr\"><is><t>a_x000D_b_x005F_x0041_</t></is></c>"
	    "<c r=\"I1\" t=\"d\"><v>2026-06-30T19:00:00</v></c>"
	    "</row>",
	    "<si><t>Zoë</t></si><si><r><t xml:space=\"preserve\">Van </t></r>"
	    "<r><rPr><b/></rPr><t>den Broeck</t></r></si><si><t>  </t></si>", NULL);
	assert_next(x, "1: Zoë|Van den Broeck|José|Zoë!|FALSE|#DIV/0!||a\rb_x0041_|"
	    "2026-06-30T19:00:00");
	zipin_sheet_free(x);
}

/* Numbers as Excel writes them: integral ones in digits, with its 15
 * significant digits from 10^15 on; the others to 15 significant digits,
 * small ones as Excel's General writes them (1E-05, not 1e-05). */
static void
test_numbers(void **state)
{
	(void)state;
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"1\"><c r=\"A1\"><v>7225516707</v></c><c r=\"B1\"><v>3.5</v></c>"
	    "<c r=\"C1\"><v>0.30000000000000004</v></c><c r=\"D1\"><v>-42</v></c>"
	    "<c r=\"E1\"><v>8.1849226089416213E+24</v></c><c r=\"F1\"><v>1234567890123456</v></c>"
	    "<c r=\"G1\"><v>1E+15</v></c><c r=\"H1\" t=\"n\"><v>0</v></c>"
	    "<c r=\"I1\"><v>1.0000000000000000E+2</v></c><c r=\"J1\"><v>1.0000000000000001E-5</v></c>"
	    "<c r=\"K1\"><v>-2.5E-7</v></c><c r=\"L1\"><v>0.0001</v></c></row>", NULL, NULL);
	assert_next(x, "1: 7225516707|3.5|0.3|-42|8184922608941620000000000|1234567890123460|"
	    "1000000000000000|0|100|1E-05|-2.5E-07|0.0001");
	zipin_sheet_free(x);
}

/* A whole number in a format of zeros ("0000000000": a code or a member
 * number kept with its leading zeros) as Excel shows it and writes it to
 * CSV, padded: the badge printed from it scans. */
static void
test_zero_padded_numbers(void **state)
{
	(void)state;
	static const char styles[] =
	    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"0000000000\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"00000;[Red]-00000\"/></numFmts>"
	    "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
	    "<xf numFmtId=\"165\"/><xf numFmtId=\"1\"/></cellXfs>";
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>12345</v></c><c r=\"B1\" s=\"2\"><v>42</v></c>"
	    "<c r=\"C1\" s=\"2\"><v>1234567</v></c><c r=\"D1\" s=\"3\"><v>7</v></c>"
	    "<c r=\"E1\" s=\"0\"><v>42</v></c><c r=\"F1\" s=\"1\" t=\"s\"><v>0</v></c></row>",
	    "<si><t>0099</t></si>", styles);
	assert_next(x, "1: 0000012345|00042|1234567|7|42|0099");
	zipin_sheet_free(x);
}

/* A code or an id in a format with text, sections or a sign, as Excel
 * shows it and writes it to CSV: the code printed on the ticket
 * ("TKT-00042"), not the number (42), which is a wrong code at the door. */
static void
test_formatted_codes(void **state)
{
	(void)state;
	static const char styles[] =
	    "<numFmts count=\"8\"><numFmt numFmtId=\"164\" formatCode=\"&quot;TKT-&quot;00000\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"\\T00000\"/>"
	    "<numFmt numFmtId=\"166\" formatCode=\"00000&quot; EUR&quot;\"/>"
	    "<numFmt numFmtId=\"167\" formatCode=\"0000;-0000;0000\"/>"
	    "<numFmt numFmtId=\"168\" formatCode=\"00000;[Red]-00000\"/>"
	    "<numFmt numFmtId=\"169\" formatCode=\"0000000000\"/>"
	    "<numFmt numFmtId=\"170\" formatCode=\"&quot;TKT-&quot;00000;;;&quot;TKT-&quot;@\"/>"
	    "<numFmt numFmtId=\"171\" formatCode=\"&quot;TKT-&quot;00000;&quot;TKT-&quot;@\"/>"
	    "</numFmts>"
	    "<cellXfs count=\"9\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
	    "<xf numFmtId=\"166\"/><xf numFmtId=\"167\"/><xf numFmtId=\"168\"/>"
	    "<xf numFmtId=\"169\"/><xf numFmtId=\"170\"/><xf numFmtId=\"171\"/></cellXfs>";
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>42</v></c><c r=\"B1\" s=\"2\"><v>42</v></c>"
	    "<c r=\"C1\" s=\"3\"><v>42</v></c><c r=\"D1\" s=\"4\"><v>-42</v></c>"
	    "<c r=\"E1\" s=\"4\"><v>0</v></c><c r=\"F1\" s=\"5\"><v>-42</v></c>"
	    "<c r=\"G1\" s=\"6\"><v>-12345</v></c><c r=\"H1\" s=\"7\" t=\"s\"><v>0</v></c>"
	    "<c r=\"I1\" s=\"7\"><v>42</v></c><c r=\"J1\" s=\"8\" t=\"s\"><v>0</v></c></row>",
	    "<si><t>00042</t></si>", styles);
	assert_next(x, "1: TKT-00042|T00042|00042 EUR|-0042|0000|-00042|-0000012345|TKT-00042|"
	    "TKT-00042|TKT-00042");
	zipin_sheet_free(x);
}

/* --- number formats (xlnumfmt) --------------------------------------------------- */

/* A number as a format shows it: literal text, escapes, zero padding, the
 * sections and their signs; NULL where the format is not rendered and the
 * caller writes the plain number (decimals, thousands, percent, exponent,
 * fractions, conditions, dates, text, unquoted letters). */
static void
test_numfmt_number(void **state)
{
	(void)state;
	static const struct { const char *code; double v; const char *want; } cases[] = {
		{ "\"TKT-\"00000", 42, "TKT-00042" },
		{ "\\T00000", 42, "T00042" },
		{ "00000\" EUR\"", 42, "00042 EUR" },
		{ "0000000000", 12345, "0000012345" },
		{ "0000000000", -12345, "-0000012345" },
		{ "0000;-0000;0000", -42, "-0042" },
		{ "0000;-0000;0000", 0, "0000" },
		{ "0000;-0000;0000", 7, "0007" },
		{ "0000;(0000)", -42, "(0042)" },
		{ "0000;0000", -42, "0042" },
		{ "00000;[Red]-00000", -42, "-00042" },
		{ "0;-0;;@", 0, NULL },
		/* a section that shows none of the number hides it: the
		 * number is read */
		{ ";;;", 42, NULL },
		{ "0;-0;\"-\"", 0, NULL },
		{ "\"VIP\"", 42, NULL },
		/* an @ in the last of two or three sections makes it the text
		 * section: the numbers take the others, a negative one the
		 * first with its minus, zero the first */
		{ "\"TKT-\"00000;\"TKT-\"@", -42, "-TKT-00042" },
		{ "\"TKT-\"00000;\"TKT-\"@", 42, "TKT-00042" },
		{ "00000;(00000);\"T\"@", 0, "00000" },
		{ "00000;(00000);\"T\"@", -42, "(00042)" },
		{ "000-00-0000", 123456789, "123-45-6789" },
		{ "00000", 1234567, "1234567" },
		{ "\"TKT-\"0", -5, "-TKT-5" },
		{ "#", 0, "" },
		{ "#0", 0, "0" },
		{ "???0", 42, "  42" },
		{ "00000", 42.5, "00043" },
		{ "0", 3.5, "4" },
		{ "[$\xe2\x82\xac-813] 0000", 42, "\xe2\x82\xac 0042" },
		{ "[$-413]0000", 42, "0042" },
		{ "[Color10]\"ID\"_-0000_-", 42, "ID 0042 " },
		{ "* 0000", 42, "0042" },
		{ "\"TKT-\"General", 42, "TKT-42" },
		{ "General", 1e-05, "1E-05" },
		{ "0000000000", 8.1849226089416213E+24, "8184922608941620000000000" },
		{ "0.00", 12.5, NULL },
		{ "#,##0", 1500, NULL },
		{ "0%", 0.25, NULL },
		{ "0.00E+00", 1500, NULL },
		{ "# ?/?", 1.5, NULL },
		{ "[>=100]0000;000", 42, NULL },
		{ "@", 42, NULL },
		{ "[h]:mm", 0.5, NULL },
		{ "A0000", 42, NULL },
		{ "0General", 42, NULL },
		{ "0\"unterminated", 1, "1unterminated" },
		{ "0\\", 1, "1" },
		{ "[Red", 1, NULL },
	};
	char out[64];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int got = xlnumfmt_number(cases[i].code, cases[i].v, out, sizeof out);
		if (cases[i].want == NULL && got != 0)
			fail_msg("%s: '%s', not the plain number", cases[i].code, out);
		if (cases[i].want != NULL && (got != 1 || strcmp(out, cases[i].want) != 0))
			fail_msg("%s: '%s' for '%s'", cases[i].code, got ? out : "(plain)",
			    cases[i].want);
	}
	/* text that does not fit: the plain number */
	char small[6];
	assert_int_equal(xlnumfmt_number("\"TKT-\"00000", 42, small, sizeof small), 0);
}

/* A text cell in a format with a text section, as it shows it. */
static void
test_numfmt_text(void **state)
{
	(void)state;
	static const struct { const char *code, *text, *want; } cases[] = {
		{ "\"TKT-\"00000;;;\"TKT-\"@", "00042", "TKT-00042" },
		{ "\"ID \"@", "x", "ID x" },
		{ "@", "x", "x" },
		{ "0;-0;0;", "abc", NULL },
		{ ";;;", "TKT-7", NULL },
		{ "0;-0;0;\"n/a\"", "abc", NULL },
		{ "0000", "abc", NULL },
		{ "\"a@b\"", "x", NULL },
		{ "0;@", "x", "x" },
		/* the last of two or three sections, when it has an @: the text
		 * section, as Excel shows it */
		{ "\"TKT-\"00000;\"TKT-\"@", "00042", "TKT-00042" },
		{ "0;-0;\"T\"@", "x", "Tx" },
		{ "0;\"@\"", "x", NULL },
		{ "@@", "ab", "abab" },
		{ "@@", "abcdefgh", NULL }, /* past the text once and the format */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = xlnumfmt_text(cases[i].code, cases[i].text);
		if (cases[i].want == NULL ? got != NULL :
		    got == NULL || strcmp(got, cases[i].want) != 0)
			fail_msg("%s: '%s' for '%s'", cases[i].code, got ? got : "(as is)",
			    cases[i].want ? cases[i].want : "(as is)");
		free(got);
	}
}

/* General as Excel writes it: small numbers as 1E-05. */
static void
test_numfmt_general(void **state)
{
	(void)state;
	static const struct { double v; const char *want; } cases[] = {
		{ 1e-05, "1E-05" }, { 1.5e-07, "1.5E-07" }, { 0.0001, "0.0001" },
		{ -2.5e-06, "-2.5E-06" }, { 3.5, "3.5" }, { 7225516707, "7225516707" },
		{ 1e15, "1000000000000000" }, { 0.30000000000000004, "0.3" },
	};
	char out[64];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		xlnumfmt_general(cases[i].v, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
}

/* Cells in a date or time format, built-in or custom, as ISO 8601; in a
 * format whose letters are quoted or bracketed, numbers, with the quoted
 * text as Excel shows it ("day 46203"). */
static void
test_dates(void **state)
{
	(void)state;
	static const char styles[] =
	    "<numFmts count=\"4\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy hh:mm\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"&quot;day &quot;0;[Red]\\d0\"/>"
	    "<numFmt numFmtId=\"166\" formatCode=\"[$-F800]dddd, mmmm dd, yyyy\"/>"
	    "<numFmt numFmtId=\"167\" formatCode=\"[h]:mm\"/></numFmts>"
	    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
	    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"20\"/>"
	    "<xf numFmtId=\"22\"/></cellXfs>";
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>46203</v></c><c r=\"B1\" s=\"2\"><v>46203.8125</v></c>"
	    "<c r=\"C1\" s=\"3\"><v>46203</v></c><c r=\"D1\" s=\"4\"><v>46203</v></c>"
	    "<c r=\"E1\" s=\"5\"><v>0.5</v></c><c r=\"F1\" s=\"6\"><v>1</v></c>"
	    "<c r=\"G1\" s=\"0\"><v>46203</v></c><c r=\"H1\" s=\"1\"><v>59</v></c>"
	    "<c r=\"I1\" s=\"1\"><v>-1</v></c><c r=\"J1\" s=\"1\" t=\"s\"><v>0</v></c></row>",
	    "<si><t>30/06/2026</t></si>", styles);
	assert_next(x, "1: 2026-06-30|2026-06-30 19:30:00|day 46203|2026-06-30|12:00:00|"
	    "1900-01-01 00:00:00|46203|1900-02-28|-1|30/06/2026");
	zipin_sheet_free(x);

	/* the 1904 date system (older Excel for Mac) */
	size_t len;
	char *z = workbook("<workbook " NS "><workbookPr date1904=\"1\"/><sheets>"
	    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
	    "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44741</v></c></row>", NULL, styles, &len);
	x = open_bytes(z, len);
	assert_next(x, "1: 2026-06-30");
	zipin_sheet_free(x);
	free(z);
}

/* A number format's colour or condition in brackets says nothing of dates:
 * [Magenta] is no [m] of elapsed minutes. An m with no d, y, h or s beside
 * it is a month, as Excel shows it ("mmmm": June). Decimals, percent and
 * thousands are written as the plain number (see xlnumfmt.h), quoted text
 * as Excel shows it ("3 days"). */
static void
test_formats_that_are_no_dates(void **state)
{
	(void)state;
	static const char styles[] =
	    "<numFmts count=\"8\"><numFmt numFmtId=\"164\" formatCode=\"[Magenta]0\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"[Red]0.00;[Magenta]\\-0.00\"/>"
	    "<numFmt numFmtId=\"166\" formatCode=\"0.00%\"/>"
	    "<numFmt numFmtId=\"167\" formatCode=\"0 &quot;days&quot;\"/>"
	    "<numFmt numFmtId=\"168\" formatCode=\"[Color10][&gt;=100]#,##0\"/>"
	    "<numFmt numFmtId=\"169\" formatCode=\"mmmm\"/>"
	    "<numFmt numFmtId=\"170\" formatCode=\"[mm]:ss\"/></numFmts>"
	    "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
	    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
	    "<xf numFmtId=\"168\"/><xf numFmtId=\"169\"/><xf numFmtId=\"170\"/></cellXfs>";
	struct zipin_sheet *x = open_sheet(
	    "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>46203</v></c><c r=\"B1\" s=\"2\"><v>12.5</v></c>"
	    "<c r=\"C1\" s=\"3\"><v>0.25</v></c><c r=\"D1\" s=\"4\"><v>3</v></c>"
	    "<c r=\"E1\" s=\"5\"><v>1500</v></c><c r=\"F1\" s=\"6\"><v>46203</v></c>"
	    "<c r=\"G1\" s=\"7\"><v>0.5</v></c></row>", NULL, styles);
	assert_next(x, "1: 46203|12.5|0.25|3 days|1500|2026-06-30|12:00:00");
	zipin_sheet_free(x);
}

/* The first visible worksheet the workbook lists, whatever its file, or
 * the one asked for. */
static void
test_first_visible_sheet(void **state)
{
	(void)state;
	size_t len, n;
	char *sheet2 = xasprintf("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>second</t></is></c></row></sheetData></worksheet>");
	char *sheet1 = xasprintf("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>first</t></is></c></row></sheetData></worksheet>");
	struct tz_part parts[] = {
		{ "xl/workbook.xml", "<workbook " NS "><sheets>"
		    "<sheet name=\"Old\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
		    "<sheet name=\"Now\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>", 0 },
		{ "xl/_rels/workbook.xml.rels", book_rels, 0 },
		{ "xl/worksheets/sheet1.xml", sheet1, 0 },
		{ "xl/worksheets/sheet2.xml", sheet2, 0 },
		{ NULL, NULL, 0 },
	};
	char *z = tz_zip_parts(parts, &len);
	struct zipin_sheet *x = open_bytes(z, len);
	assert_string_equal(zipin_sheet_tab(x, &n), "Now");
	assert_int_equal(n, 2);
	assert_next(x, "1: second");
	zipin_sheet_free(x);

	/* asked for by name (case and spaces aside): that one, hidden or
	 * not; a name it has not: its sheets said */
	char *cause = NULL;
	x = NULL;
	assert_int_equal(xlsxin_open_mem(z, len, "mem.xlsx", " old ", &x, &cause), 0);
	assert_string_equal(zipin_sheet_tab(x, &n), "Old");
	assert_next(x, "1: first");
	zipin_sheet_free(x);
	x = NULL;
	assert_int_equal(xlsxin_open_mem(z, len, "mem.xlsx", "Guests", &x, &cause), -1);
	assert_null(x);
	assert_string_equal(cause, "mem.xlsx: no sheet is named 'Guests'; its sheets are: "
	    "'Old', 'Now'");
	free(cause);
	free(z);
	free(sheet1);
	free(sheet2);
}

/* --sheet with a tab named in other letters than ASCII: its case is aside
 * too, as Excel's and LibreOffice's tabs are told apart ("équipe" finds
 * "ÉQUIPE", a name typed decomposed the same one composed); a chart sheet
 * asked for is said to be one, not missing from a list that names it. */
static void
test_sheet_asked_beyond_ascii(void **state)
{
	(void)state;
	size_t len, n;
	char *sheet1 = xasprintf("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>team</t></is></c></row></sheetData></worksheet>");
	struct tz_part parts[] = {
		{ "xl/workbook.xml", "<workbook " NS "><sheets>"
		    "<sheet name=\"Graphique\" sheetId=\"1\" r:id=\"rId9\"/>"
		    "<sheet name=\"ÉQUIPE Jour 1\" sheetId=\"2\" r:id=\"rId1\"/>"
		    "</sheets></workbook>", 0 },
		{ "xl/_rels/workbook.xml.rels",
		    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		    "relationships\">"
		    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" "
		    "Target=\"worksheets/sheet1.xml\"/>"
		    "<Relationship Id=\"rId9\" Type=\"" REL "chartsheet\" "
		    "Target=\"chartsheets/sheet1.xml\"/></Relationships>", 0 },
		{ "xl/worksheets/sheet1.xml", sheet1, 0 },
		{ NULL, NULL, 0 },
	};
	char *z = tz_zip_parts(parts, &len);
	static const char *const asked[] = {
		"équipe jour 1",         /* lower case, é composed */
		"E\xCC\x81quipe JOUR 1", /* E and a combining acute */
		"Équipe Jour 1",
	};
	for (size_t i = 0; i < sizeof asked / sizeof *asked; i++) {
		struct zipin_sheet *x = NULL;
		char *cause = NULL;
		if (xlsxin_open_mem(z, len, "mem.xlsx", asked[i], &x, &cause) != 0)
			fail_msg("--sheet '%s': %s", asked[i], cause);
		assert_string_equal(zipin_sheet_tab(x, &n), "ÉQUIPE Jour 1");
		assert_next(x, "1: team");
		zipin_sheet_free(x);
	}
	struct zipin_sheet *x = NULL;
	char *cause = NULL;
	assert_int_equal(xlsxin_open_mem(z, len, "mem.xlsx", "graphique", &x, &cause), -1);
	assert_null(x);
	assert_string_equal(cause, "mem.xlsx: the sheet 'Graphique' is a chart, with no list of "
	    "guests: give --sheet the name of the sheet its data is on");
	free(cause);
	free(z);
	free(sheet1);
}

/* Targets in the relationships as a writer other than Excel may give them:
 * through "..", "./" or an absolute path, each the part it names (OPC
 * resolves them as URIs are, against the workbook's folder). */
static void
test_relationship_targets(void **state)
{
	(void)state;
	size_t len;
	char *sheet = xasprintf("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" "
	    "t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>46203</v></c></row></sheetData>"
	    "</worksheet>");
	char *sst = xasprintf("<sst " NS "><si><t>found</t></si></sst>");
	char *sty = xasprintf("<styleSheet " NS "><cellXfs count=\"2\"><xf numFmtId=\"0\"/>"
	    "<xf numFmtId=\"14\"/></cellXfs></styleSheet>");
	struct tz_part parts[] = {
		{ "_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
		    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" "
		    "Target=\"./xl/workbook.xml\"/></Relationships>", 0 },
		{ "xl/workbook.xml", workbook_one, 0 },
		{ "xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas."
		    "openxmlformats.org/package/2006/relationships\">"
		    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" "
		    "Target=\"../xl/worksheets/./sheet1.xml\"/>"
		    "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" "
		    "Target=\"worksheets/../sharedStrings.xml\"/>"
		    "<Relationship Id=\"rId4\" Type=\"" REL "styles\" Target=\"/xl/styles.xml\"/>"
		    "</Relationships>", 0 },
		{ "xl/worksheets/sheet1.xml", sheet, 0 },
		{ "xl/sharedStrings.xml", sst, 0 },
		{ "xl/styles.xml", sty, 0 },
		{ NULL, NULL, 0 },
	};
	char *z = tz_zip_parts(parts, &len);
	struct zipin_sheet *x = open_bytes(z, len);
	assert_next(x, "1: found|2026-06-30");
	zipin_sheet_free(x);
	free(z);

	/* a target above the package's top is no part of it */
	parts[2].text = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	    "relationships\"><Relationship Id=\"rId1\" Type=\"" REL "worksheet\" "
	    "Target=\"../../sheet1.xml\"/></Relationships>";
	z = tz_zip_parts(parts, &len);
	char *why = open_fails(z, len);
	assert_non_null(strstr(why, "bad.xlsx: a damaged workbook: it has no "));
	free(why);
	free(z);
	free(sheet);
	free(sst);
	free(sty);
}

/* A part in UTF-16 or another encoding its declaration names (XML allows
 * it; a program other than Excel may write it). */
static void
test_part_encodings(void **state)
{
	(void)state;
	static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet " NS
	    "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Zo\xC3\xAB</t></is>"
	    "</c></row></sheetData></worksheet>";
	/* to UTF-16LE (no BOM, which the first bytes tell): ASCII, and one
	 * U+00EB */
	char *u = xmalloc(2 * sizeof xml);
	size_t n = 0;
	for (size_t i = 0; xml[i] != '\0'; i++) {
		if ((unsigned char)xml[i] == 0xC3) {
			u[n++] = '\xEB';
			u[n++] = '\0';
			i++;
		} else {
			u[n++] = xml[i];
			u[n++] = '\0';
		}
	}
	struct tz_part parts[] = {
		{ "xl/workbook.xml", workbook_one, 0 },
		{ "xl/_rels/workbook.xml.rels", book_rels, 0 },
		{ "xl/worksheets/sheet1.xml", u, n },
		{ NULL, NULL, 0 },
	};
	size_t len;
	char *z = tz_zip_parts(parts, &len);
	struct zipin_sheet *x = open_bytes(z, len);
	assert_next(x, "1: Zoë");
	zipin_sheet_free(x);
	free(z);
	free(u);

	/* and in Latin-1, declared so */
	parts[2] = (struct tz_part){ "xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" "
	    "encoding=\"ISO-8859-1\"?><worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>Zo\xEB</t></is></c></row></sheetData></worksheet>", 0 };
	z = tz_zip_parts(parts, &len);
	x = open_bytes(z, len);
	assert_next(x, "1: Zoë");
	zipin_sheet_free(x);
	free(z);
}

/* An empty sheet gives no record (import says the file is empty). */
static void
test_empty_sheet(void **state)
{
	(void)state;
	struct zipin_sheet *x = open_sheet("<row r=\"1\"><c r=\"A1\" s=\"2\"/></row>", NULL, NULL);
	assert_null(next_text(x));
	zipin_sheet_free(x);
}

/* --- refusals -------------------------------------------------------------------- */

static void
test_refuses_xls(void **state)
{
	(void)state;
	char *cause = file_fails("xlsx-excel97.xls");
	assert_non_null(strstr(cause, "xlsx-excel97.xls: an Excel 97-2003 workbook (.xls)"));
	assert_non_null(strstr(cause, "save it as .xlsx"));
	free(cause);
}

static void
test_refuses_encrypted(void **state)
{
	(void)state;
	char *cause = file_fails("xlsx-encrypted.xlsx");
	assert_non_null(strstr(cause, "xlsx-encrypted.xlsx: a workbook protected with a "
	    "password"));
	free(cause);
}

/* An .ods is odsin's to read (import tells it by its mimetype, first in
 * the zip); one that reaches xlsxin is one whose mimetype is not first. */
static void
test_refuses_ods(void **state)
{
	(void)state;
	char *cause = file_fails("xlsx-libreoffice.ods");
	assert_non_null(strstr(cause, "an OpenDocument spreadsheet (.ods) whose zip does not "
	    "begin with its mimetype"));
	assert_non_null(strstr(cause, "save it again (.ods), or as .xlsx or CSV UTF-8"));
	free(cause);
}

static void
test_refuses_other_zips(void **state)
{
	(void)state;
	size_t len;
	struct tz_part other[] = { { "guests.csv", "Name\nAnn\n", 0 }, { NULL, NULL, 0 } };
	char *z = tz_zip_parts(other, &len);
	char *cause = open_fails(z, len);
	assert_non_null(strstr(cause, "bad.xlsx: a zip file that holds no workbook"));
	free(cause);
	free(z);

	struct tz_part xlsb[] = { { "xl/workbook.bin", "\x83\x01", 0 }, { NULL, NULL, 0 } };
	z = tz_zip_parts(xlsb, &len);
	cause = open_fails(z, len);
	assert_non_null(strstr(cause, "(.xlsb)"));
	free(cause);
	free(z);

	/* cut short: no central directory */
	char *path = data_path("xlsx-eventbrite.xlsx"), *raw = NULL;
	assert_int_equal(util_read_file(path, 1 << 20, &raw, &len, &cause), 0);
	cause = open_fails(raw, len / 2);
	assert_non_null(strstr(cause, "bad.xlsx: a damaged zip file"));
	free(cause);
	free(raw);
	free(path);
}

/* XML that is not well formed, a DTD (entities), a shared string that is
 * not there, a cell reference that is none: refused, with the part. */
static void
test_refuses_damaged_xml(void **state)
{
	(void)state;
	static const struct { const char *data, *want; } cases[] = {
		{ "<row r=\"1\"><c r=\"A1\"><v>1</v></row>", "a damaged workbook "
		    "(xl/worksheets/sheet1.xml, line 2: mismatched tag)" },
		{ "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>", "shared string '7' of 1" },
		{ "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", "cell '1A' in row 1" },
		{ "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", "cell 'XFE1' in row 1" },
		{ "<row r=\"0\"/>", "row number '0'" },
		{ "<row r=\"1\"><c r=\"NTQ1\"><v>1</v></c></row>", "row 1: a value in column NTQ, "
		    "past the 10000 columns" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len;
		char *z = workbook(NULL, cases[i].data, "<si><t>a</t></si>", NULL, &len);
		char *cause = open_fails(z, len);
		if (strstr(cause, cases[i].want) == NULL)
			fail_msg("%s: '%s' does not say '%s'", cases[i].data, cause, cases[i].want);
		free(cause);
		free(z);
	}
	size_t len;
	struct tz_part dtd[] = {
		{ "xl/workbook.xml", "<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">]><workbook/>", 0 },
		{ NULL, NULL, 0 },
	};
	char *z = tz_zip_parts(dtd, &len);
	char *cause = open_fails(z, len);
	assert_non_null(strstr(cause, "has a DTD"));
	free(cause);
	free(z);
}

/* Set the uncompressed size a zip says its only sheet has, in the local
 * header and the central directory. */
static void
set_sheet_size(char *z, size_t len, uint32_t size)
{
	static const char name[] = "xl/worksheets/sheet1.xml";
	size_t nl = sizeof name - 1;
	int done = 0;
	for (size_t i = 0; i + 46 + nl <= len; i++) {
		if (memcmp(z + i, "PK\x03\x04", 4) == 0 && (uint8_t)z[i + 26] == nl &&
		    memcmp(z + i + 30, name, nl) == 0) {
			memcpy(z + i + 22, &size, 4); /* little-endian, as the tests' hosts */
			done++;
		} else if (memcmp(z + i, "PK\x01\x02", 4) == 0 && (uint8_t)z[i + 28] == nl &&
		    memcmp(z + i + 46, name, nl) == 0) {
			memcpy(z + i + 24, &size, 4);
			done++;
		}
	}
	assert_int_equal(done, 2);
}

/* A zip bomb: a sheet that says it unpacks to gigabytes is refused before
 * it is unpacked; one that says less than it holds is stopped there. */
static void
test_refuses_zip_bomb(void **state)
{
	(void)state;
	size_t big = 200000, len;
	char *rows = xmalloc(big + 1);
	memset(rows, ' ', big);
	rows[big] = '\0';
	static const char row[] = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>";
	memcpy(rows, row, sizeof row - 1);
	char *z = workbook(NULL, rows, NULL, NULL, &len);
	assert_true(len < 20000); /* spaces pack well */

	set_sheet_size(z, len, 0xF0000000u);
	char *cause = open_fails(z, len);
	assert_non_null(strstr(cause, "bad.xlsx: xl/worksheets/sheet1.xml unpacks to 3840 MiB, "
	    "more than the 1024 MiB"));
	free(cause);

	set_sheet_size(z, len, 1000);
	cause = open_fails(z, len);
	assert_non_null(strstr(cause, "bad.xlsx: a damaged or malicious workbook: "
	    "xl/worksheets/sheet1.xml unpacks to more than the 1000 bytes it says it holds"));
	free(cause);
	free(z);
	free(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eventbrite_openpyxl),
		cmocka_unit_test(test_eventbrite_libreoffice),
		cmocka_unit_test(test_rounded_barcodes),
		cmocka_unit_test(test_cell_places),
		cmocka_unit_test(test_cells_out_of_order),
		cmocka_unit_test(test_merged_cells),
		cmocka_unit_test(test_value_kinds),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_zero_padded_numbers),
		cmocka_unit_test(test_formatted_codes),
		cmocka_unit_test(test_numfmt_number),
		cmocka_unit_test(test_numfmt_text),
		cmocka_unit_test(test_numfmt_general),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_formats_that_are_no_dates),
		cmocka_unit_test(test_first_visible_sheet),
		cmocka_unit_test(test_sheet_asked_beyond_ascii),
		cmocka_unit_test(test_relationship_targets),
		cmocka_unit_test(test_part_encodings),
		cmocka_unit_test(test_empty_sheet),
		cmocka_unit_test(test_refuses_xls),
		cmocka_unit_test(test_refuses_encrypted),
		cmocka_unit_test(test_refuses_ods),
		cmocka_unit_test(test_refuses_other_zips),
		cmocka_unit_test(test_refuses_damaged_xml),
		cmocka_unit_test(test_refuses_zip_bomb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
