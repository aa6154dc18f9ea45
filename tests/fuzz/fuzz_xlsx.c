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
#include <zip.h>

#include "core/import.h"
#include "core/util.h"
#include "core/xlsxin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "fuzz_xlsx: %s:%d: %s\n", \
	__FILE__, __LINE__, #cond); abort(); } } while (0)

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

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* The workbook's bytes (malloc'd), or NULL. */
static char *
pack(const uint8_t *sheet, size_t size, size_t *len)
{
	const struct { const char *name; const void *data; size_t n; } parts[] = {
		{ "xl/workbook.xml", book, sizeof book - 1 },
		{ "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1 },
		{ "xl/sharedStrings.xml", strings, sizeof strings - 1 },
		{ "xl/styles.xml", styles, sizeof styles - 1 },
		{ "xl/worksheets/sheet1.xml", sheet, size },
	};
	char *out = NULL;
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &err);
	zip_source_keep(buf);
	zip_t *z = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
	CHECK(z != NULL);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		zip_source_t *s = zip_source_buffer(z, parts[i].data, parts[i].n, 0);
		zip_int64_t at = zip_file_add(z, parts[i].name, s, 0);
		CHECK(at >= 0);
		zip_set_file_compression(z, (zip_uint64_t)at, ZIP_CM_STORE, 0);
	}
	CHECK(zip_close(z) == 0);
	zip_stat_t st;
	if (zip_source_stat(buf, &st) == 0 && zip_source_open(buf) == 0) {
		out = xmalloc(st.size + 1);
		CHECK(zip_source_read(buf, out, st.size) == (zip_int64_t)st.size);
		zip_source_close(buf);
		*len = st.size;
	}
	zip_source_free(buf);
	zip_error_fini(&err);
	return out;
}

static void
check_reader(const char *z, size_t len)
{
	struct xlsxin *x = NULL;
	struct csvin_record rec;
	char *cause = NULL;
	size_t last = 0, width = 0, n;

	if (xlsxin_open_mem(z, len, "fuzz.xlsx", &x, &cause) != 0) {
		CHECK(x == NULL && cause != NULL && strncmp(cause, "fuzz.xlsx: ", 11) == 0);
		free(cause);
		return;
	}
	CHECK(strcmp(xlsxin_sheet(x, &n), "Guests") == 0 && n == 1);
	while (xlsxin_next(x, &rec) == 1) {
		CHECK(rec.line > last && rec.line <= 1048576);
		last = rec.line;
		CHECK(rec.nfields >= 1 && rec.nfields <= XLSXIN_MAX_COLUMNS);
		CHECK(width == 0 || rec.nfields == width);
		width = rec.nfields;
		bool any = false;
		for (size_t i = 0; i < rec.nfields; i++) {
			const char *f = rec.fields[i];
			size_t m = rec.lens[i];
			CHECK(f != NULL && strlen(f) == m);
			CHECK(m == 0 || (!is_ws(f[0]) && !is_ws(f[m - 1])));
			CHECK(util_utf8_valid(f, m));
			any = any || m > 0;
		}
		CHECK(any);
	}
	CHECK(xlsxin_next(x, &rec) == 0);
	xlsxin_free(x);
}

static void
check_import(const char *z, size_t len)
{
	struct import_plan *p = NULL;
	char *cause = NULL;
	if (import_read_mem(z, len, "fuzz.xlsx", NULL, 0, &p, &cause) != 0) {
		CHECK(p == NULL && cause != NULL);
		free(cause);
		return;
	}
	CHECK(strcmp(import_unit(p), "row") == 0);
	for (size_t i = 0; i < import_rejects(p); i++) {
		size_t line;
		const char *why;
		import_reject(p, i, &line, &why);
		CHECK(line >= 2 && why != NULL);
	}
	import_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = 0;
	char *z = pack(data, size, &len);
	if (z == NULL)
		return 0;
	check_reader(z, len);
	check_import(z, len);
	free(z);
	return 0;
}
