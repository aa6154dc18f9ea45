/* fuzz_xlsx: a workbook's sheet through the workbook reader and the import.
 *
 * The input is the worksheet's XML (a zip's deflate would turn nearly every
 * mutation into a damaged file): it is packed, stored, into a workbook with
 * fixed shared strings (a rich text among them) and styles (dates, times, a
 * quoted letter, codes in formats of text, sections and placeholders), and
 * read with xlsxin: every record as wide as the others, its rows rising,
 * its fields NUL-free, trimmed and of their length; a workbook that fails
 * says why. Then import_read_mem plans the import of
 * the same bytes, its rejections on rows of the sheet. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "core/util.h"
#include "core/xlsxin.h"
#include "fuzzsheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) FS_CHECK("fuzz_xlsx", cond)

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char book[] = "<workbook " NS " xmlns:r=\"" REL "\"><sheets>"
    "<sheet name=\"Guests\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
    "package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL "/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
static const char strings[] = "<sst " NS "><si><t>First Name</t></si><si><t>Last Name</t>"
    "</si><si><t>Email</t></si><si><t>Barcode</t></si><si><r><t xml:space=\"preserve\">"
    "Zo</t></r><r><rPr><b/></rPr><t>ë</t></r><rPh><t>x</t></rPh></si><si><t> </t></si>"
    "</sst>";
static const char styles[] = "<styleSheet " NS "><numFmts><numFmt numFmtId=\"164\" "
    "formatCode=\"dd/mm/yyyy hh:mm\"/><numFmt numFmtId=\"165\" formatCode=\"&quot;d&quot;0\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"&quot;TKT-&quot;00000;[Red]\\-0000;;&quot;T&quot;@\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"[$\xe2\x82\xac-813]_-* 000-00-##?0General\"/>"
    "</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"20\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/>"
    "<xf numFmtId=\"1\"/></cellXfs></styleSheet>";

/* The workbook's bytes (malloc'd), or NULL. */
static char *
pack(const uint8_t *sheet, size_t size, size_t *len)
{
	const struct fs_part parts[] = {
		{ "xl/workbook.xml", book, sizeof book - 1 },
		{ "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1 },
		{ "xl/sharedStrings.xml", strings, sizeof strings - 1 },
		{ "xl/styles.xml", styles, sizeof styles - 1 },
		{ "xl/worksheets/sheet1.xml", sheet, size },
	};
	return fs_pack(parts, sizeof parts / sizeof parts[0], len);
}

static void
check_reader(const char *z, size_t len)
{
	struct zipin_sheet *x = NULL;
	char *cause = NULL;
	size_t n;

	if (xlsxin_open_mem(z, len, "fuzz.xlsx", NULL, &x, &cause) != 0) {
		CHECK(x == NULL && cause != NULL && strncmp(cause, "fuzz.xlsx: ", 11) == 0);
		free(cause);
		return;
	}
	CHECK(strcmp(zipin_sheet_tab(x, &n), "Guests") == 0 && n == 1);
	fs_check_sheet("fuzz_xlsx", x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = 0;
	char *z = pack(data, size, &len);
	if (z == NULL)
		return 0;
	check_reader(z, len);
	fs_check_import("fuzz_xlsx", z, len, "fuzz.xlsx");
	free(z);
	return 0;
}
