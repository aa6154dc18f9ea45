/* Tests for xlsx: the workbook is a zip with the parts a spreadsheet program
 * needs, typed cells (date-times in the event's zone, booleans, numbers),
 * text that stays text, the summary figures, the lists, and no file left
 * behind when writing fails.
 *
 * The zip is read here (central directory, then zlib's inflate) rather than
 * with an unzip tool: the test needs nothing but the libraries kiosk links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

#include "core/attend.h"
#include "core/checkin.h"
#include "core/guest.h"
#include "core/import.h"
#include "report/xlsx.h"
#include "testutil.h"

#define T1900 1782838800000LL /* 2026-06-30 19:00:00 Europe/Brussels (CEST) */
#define MIN   60000LL
#define DAY0  46203.0         /* 2026-06-30 as an Excel date (days since 1899-12-30) */

/* --- a small zip reader ---------------------------------------------------- */

struct zip {
	unsigned char *data;
	size_t len;
};

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

static void
zip_load(struct zip *z, const char *path)
{
	char *data = NULL;
	if (util_read_file(path, 16u << 20, &data, &z->len, NULL) != 0)
		fail_msg("cannot read %s", path);
	z->data = (unsigned char *)data;
	assert_true(z->len > 22);
	assert_memory_equal(z->data, "PK\3\4", 4);
}

/* The end of central directory record: the last "PK\5\6" (a comment may follow). */
static const unsigned char *
zip_eocd(const struct zip *z)
{
	for (size_t i = z->len - 22 + 1; i-- > 0;)
		if (memcmp(z->data + i, "PK\5\6", 4) == 0)
			return z->data + i;
	fail_msg("no end of central directory: not a zip");
	return NULL;
}

/* Calls fn for each entry of the central directory; returns the count. */
typedef void (*zip_fn)(const char *name, size_t nlen, const unsigned char *cd, void *arg);
static int
zip_each(const struct zip *z, zip_fn fn, void *arg)
{
	const unsigned char *e = zip_eocd(z);
	unsigned count = le16(e + 10);
	size_t off = le32(e + 16);
	for (unsigned i = 0; i < count; i++) {
		assert_true(off + 46 <= z->len);
		const unsigned char *cd = z->data + off;
		assert_memory_equal(cd, "PK\1\2", 4);
		size_t n = le16(cd + 28), x = le16(cd + 30), c = le16(cd + 32);
		assert_true(off + 46 + n + x + c <= z->len);
		fn((const char *)cd + 46, n, cd, arg);
		off += 46 + n + x + c;
	}
	return (int)count;
}

struct find {
	const char *name;
	const unsigned char *cd;
};

static void
find_entry(const char *name, size_t nlen, const unsigned char *cd, void *arg)
{
	struct find *f = arg;
	if (strlen(f->name) == nlen && memcmp(name, f->name, nlen) == 0)
		f->cd = cd;
}

/* The part's bytes, NUL-terminated (caller frees), or NULL when absent. */
static char *
zip_part(const struct zip *z, const char *name)
{
	struct find f = { name, NULL };
	zip_each(z, find_entry, &f);
	if (f.cd == NULL)
		return NULL;
	unsigned method = le16(f.cd + 10);
	size_t csize = le32(f.cd + 20), usize = le32(f.cd + 24), loff = le32(f.cd + 42);
	assert_true(loff + 30 <= z->len);
	const unsigned char *lh = z->data + loff;
	assert_memory_equal(lh, "PK\3\4", 4);
	size_t start = loff + 30 + le16(lh + 26) + le16(lh + 28);
	assert_true(start + csize <= z->len);
	char *out = xmalloc(usize + 1);
	if (method == 0) {
		assert_int_equal(csize, usize);
		memcpy(out, z->data + start, usize);
	} else {
		assert_int_equal(method, 8); /* deflate */
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
		zs.next_in = z->data + start;
		zs.avail_in = (uInt)csize;
		zs.next_out = (Bytef *)out;
		zs.avail_out = (uInt)usize;
		assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
		assert_int_equal(zs.total_out, usize);
		inflateEnd(&zs);
	}
	assert_int_equal(crc32(0, (const Bytef *)out, (uInt)usize), le32(f.cd + 16));
	out[usize] = '\0';
	return out;
}

/* --- the workbook's XML, as libxlsxwriter writes it ------------------------ */

/* The text of shared string idx, unescaped, into out. */
static void
shared_string(const char *sst, int idx, char *out, size_t n)
{
	const char *p = sst;
	for (int i = 0; i <= idx; i++) {
		p = strstr(p, "<si>");
		assert_non_null(p);
		p += 4;
	}
	p = strstr(p, "<t");
	assert_non_null(p);
	p = strchr(p, '>') + 1;
	const char *end = strstr(p, "</t>");
	assert_non_null(end);
	size_t k = 0;
	while (p < end && k + 1 < n) {
		static const struct { const char *esc; char c; } ents[] = {
			{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		};
		bool done = false;
		for (size_t e = 0; e < sizeof ents / sizeof ents[0] && !done; e++) {
			size_t el = strlen(ents[e].esc);
			if (strncmp(p, ents[e].esc, el) == 0) {
				out[k++] = ents[e].c;
				p += el;
				done = true;
			}
		}
		if (!done)
			out[k++] = *p++;
	}
	out[k] = '\0';
}

/* A cell as text: a string cell's string, a boolean as "TRUE"/"FALSE", a
 * number as written; "" for a cell that is absent. A formula fails the test. */
static void
cell(const char *sheet, const char *sst, const char *ref, char *out, size_t n)
{
	char key[32];
	snprintf(key, sizeof key, "<c r=\"%s\"", ref);
	out[0] = '\0';
	const char *c = strstr(sheet, key);
	if (c == NULL)
		return;
	const char *end = strstr(c, "</c>"), *close = strchr(c, '>');
	assert_non_null(close);
	if (end == NULL || close[-1] == '/') /* <c r=".." s=".."/>: a blank */
		return;
	const char *f = strstr(c, "<f>");
	if (f != NULL && f < end)
		fail_msg("cell %s is a formula", ref);
	const char *v = strstr(c, "<v>");
	assert_true(v != NULL && v < end);
	v += 3;
	char val[64];
	size_t vl = (size_t)(strstr(v, "</v>") - v);
	assert_true(vl < sizeof val);
	memcpy(val, v, vl);
	val[vl] = '\0';
	const char *t = strstr(c, " t=\"");
	if (t != NULL && t < close) {
		t += 4;
		if (strncmp(t, "s\"", 2) == 0)
			shared_string(sst, atoi(val), out, n);
		else if (strncmp(t, "b\"", 2) == 0)
			snprintf(out, n, "%s", strcmp(val, "1") == 0 ? "TRUE" : "FALSE");
		else
			fail_msg("cell %s has type %.4s", ref, t);
		return;
	}
	snprintf(out, n, "%s", val);
}

/* The row (from 2) whose column A is first_name, or 0. */
static int
row_of(const char *sheet, const char *sst, const char *first_name)
{
	char ref[16], v[256];
	for (int r = 2; r < 100; r++) {
		snprintf(ref, sizeof ref, "A%d", r);
		cell(sheet, sst, ref, v, sizeof v);
		if (strcmp(v, first_name) == 0)
			return r;
	}
	return 0;
}

static void
assert_cell(const char *sheet, const char *sst, char col, int row, const char *want)
{
	char ref[16], v[256];
	snprintf(ref, sizeof ref, "%c%d", col, row);
	cell(sheet, sst, ref, v, sizeof v);
	if (strcmp(v, want) != 0)
		fail_msg("cell %s is '%s', expected '%s'", ref, v, want);
}

static double
cell_number(const char *sheet, const char *sst, char col, int row)
{
	char ref[16], v[256];
	snprintf(ref, sizeof ref, "%c%d", col, row);
	cell(sheet, sst, ref, v, sizeof v);
	assert_true(v[0] != '\0');
	return strtod(v, NULL);
}

/* --- the event --------------------------------------------------------------- */

static void
scan(struct store *s, const char *code, const char *kiosk, int64_t at,
    enum checkin_result want)
{
	const struct checkin_policy p = { 0 };
	struct checkin_outcome o;
	char *cause = NULL;
	if (checkin_scan(s, code, strlen(code), kiosk, &p, at, &o, &cause) != 0)
		fail_msg("scan: %s", cause);
	assert_int_equal(o.result, want);
	checkin_outcome_clear(&o);
}

/* Zoë (Regular, company a formula) in at 19:02:11 at Door 1; 李 (VIP) in at
 * 19:10 at Door 2 and scanned again; "=1+1" (Regular) never came; Wendy a
 * walk-in without a type, never scanned; Cas cancelled. */
static void
make_event(struct store *s)
{
	const char *csv = "First Name,Last Name,Email,Company,Ticket Type,Barcode #,"
	    "Attendee Status\n"
	    "Zoë,Çelik,zoe@example.org,\"=HYPERLINK(\"\"http://evil.example\"\")\",Regular,1,\n"
	    "李,小龙,li@example.org,,VIP,2,\n"
	    "=1+1,Formula,f@example.org,,Regular,3,\n"
	    "Cas,Claes,cas@example.org,,VIP,4,Cancelled\n";
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	if (import_read_mem(csv, strlen(csv), "x.csv", NULL, 0, &p, &cause) != 0)
		fail_msg("import: %s", cause);
	assert_int_equal(import_apply(s, p, false, "t", NULL, NULL, &rep, NULL), 0);
	import_free(p);
	struct guest_fields w = { .first_name = "Wendy", .last_name = "Walkin" };
	struct guest g;
	assert_int_equal(guest_add_walkin(s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	scan(s, "1", "Door 1", T1900 + 2 * MIN + 11000, CHECKIN_ADMITTED);
	scan(s, "2", "Door 2", T1900 + 10 * MIN, CHECKIN_ADMITTED);
	scan(s, "2", "Door 1", T1900 + 12 * MIN, CHECKIN_ALREADY);
}

/* The workbook written with list, loaded: sheet1 (Attendance), sheet2
 * (Summary) and the shared strings. */
struct book {
	char *path;
	struct zip z;
	char *sheet1, *sheet2, *sst, *styles, *workbook;
};

static void
book_write(struct tu_fixture *fx, struct book *b, enum attend_list list)
{
	struct xlsx_filter f = { list };
	char *cause = NULL;
	memset(b, 0, sizeof *b);
	b->path = xasprintf("%s/attendance.xlsx", fx->dir);
	if (xlsx_write_attendance(fx->s, b->path, &f, &cause) != 0)
		fail_msg("xlsx_write_attendance: %s", cause);
	zip_load(&b->z, b->path);
	b->sheet1 = zip_part(&b->z, "xl/worksheets/sheet1.xml");
	b->sheet2 = zip_part(&b->z, "xl/worksheets/sheet2.xml");
	b->sst = zip_part(&b->z, "xl/sharedStrings.xml");
	b->styles = zip_part(&b->z, "xl/styles.xml");
	b->workbook = zip_part(&b->z, "xl/workbook.xml");
	assert_non_null(b->sheet1);
	assert_non_null(b->sheet2);
	assert_non_null(b->sst);
	assert_non_null(b->styles);
	assert_non_null(b->workbook);
}

static void
book_free(struct book *b)
{
	free(b->sheet1);
	free(b->sheet2);
	free(b->sst);
	free(b->styles);
	free(b->workbook);
	free(b->z.data);
	free(b->path);
}

/* --- tests ------------------------------------------------------------------- */

struct names {
	char list[512];
};

static void
add_name(const char *name, size_t nlen, const unsigned char *cd, void *arg)
{
	(void)cd;
	struct names *ns = arg;
	size_t k = strlen(ns->list);
	snprintf(ns->list + k, sizeof ns->list - k, "%.*s;", (int)nlen, name);
}

static void
test_parts(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	make_event(fx->s);
	book_write(fx, &b, ATTEND_LIST_ALL);

	struct stat st;
	assert_int_equal(stat(b.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* attendance is personal data */

	struct names ns = { "" };
	assert_true(zip_each(&b.z, add_name, &ns) >= 9);
	const char *want[] = { "[Content_Types].xml;", "_rels/.rels;", "xl/workbook.xml;",
	    "xl/_rels/workbook.xml.rels;", "xl/worksheets/sheet1.xml;",
	    "xl/worksheets/sheet2.xml;", "xl/sharedStrings.xml;", "xl/styles.xml;",
	    "docProps/core.xml;" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(ns.list, want[i]) == NULL)
			fail_msg("no part %s in %s", want[i], ns.list);
	char *types = zip_part(&b.z, "[Content_Types].xml");
	assert_non_null(strstr(types, "spreadsheetml.sheet.main+xml"));
	free(types);

	/* Two sheets, in this order. */
	const char *att = strstr(b.workbook, "name=\"Attendance\"");
	const char *sum = strstr(b.workbook, "name=\"Summary\"");
	assert_true(att != NULL && sum != NULL && att < sum);
	book_free(&b);
}

/* At an event of days, the sheet's last column says on how many days
 * each guest came, as the CSV's. */
static void
test_days_attended_column(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	make_event(fx->s);
	store_set_each_day(fx->s, true);
	book_write(fx, &b, ATTEND_LIST_ALL);
	assert_cell(b.sheet1, b.sst, 'M', 1, "days_attended");
	assert_non_null(strstr(b.sheet1, "<autoFilter ref=\"A1:M5\"/>"));
	int r = row_of(b.sheet1, b.sst, "Zoë");
	assert_int_not_equal(r, 0);
	assert_cell(b.sheet1, b.sst, 'M', r, "1");
	assert_true(row_of(b.sheet2, b.sst, "Came on 2026-06-30") != 0);
	book_free(&b);
}

static void
test_attendance_sheet(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	make_event(fx->s);
	book_write(fx, &b, ATTEND_LIST_ALL);
	const char *s1 = b.sheet1, *sst = b.sst;

	/* The CSV export's header, bold (style 1), frozen, with an autofilter
	 * over the header and the four guests not cancelled. */
	const char *cols = "ABCDEFGHIJKL";
	const char *header[] = { "first_name", "last_name", "email", "company", "ticket_type",
	    "source", "attended", "checked_in_at", "kiosk", "scans", "duplicate_entries",
	    "cancelled" };
	for (int i = 0; i < 12; i++)
		assert_cell(s1, sst, cols[i], 1, header[i]);
	assert_non_null(strstr(s1, "<c r=\"A1\" s=\"1\" t=\"s\">"));
	assert_non_null(strstr(s1, "ySplit=\"1\""));
	assert_non_null(strstr(s1, "state=\"frozen\""));
	assert_non_null(strstr(s1, "<autoFilter ref=\"A1:L5\"/>"));
	assert_null(strstr(s1, "<row r=\"6\""));
	assert_null(strstr(s1, "<c r=\"M1\"")); /* no days_attended at a one-day event */
	assert_non_null(strstr(s1, "<cols>"));
	assert_null(strstr(s1, "<f>"));
	assert_null(strstr(b.sheet2, "<f>"));
	assert_non_null(strstr(b.styles, "formatCode=\"yyyy-mm-dd hh:mm\""));
	assert_non_null(strstr(b.styles, "formatCode=\"0.0%\""));

	/* Zoë: every column, typed; the time is 19:02:11 in Brussels, not the
	 * 17:02:11 UTC it was stored as. */
	int r = row_of(s1, sst, "Zoë");
	assert_int_not_equal(r, 0);
	assert_cell(s1, sst, 'B', r, "Çelik");
	assert_cell(s1, sst, 'C', r, "zoe@example.org");
	assert_cell(s1, sst, 'D', r, "=HYPERLINK(\"http://evil.example\")");
	assert_cell(s1, sst, 'E', r, "Regular");
	assert_cell(s1, sst, 'F', r, "import");
	assert_cell(s1, sst, 'G', r, "TRUE");
	double when = cell_number(s1, sst, 'H', r);
	assert_true(fabs(when - (DAY0 + (19 * 3600 + 2 * 60 + 11) / 86400.0)) < 1e-7);
	char ref[16];
	snprintf(ref, sizeof ref, "<c r=\"H%d\" s=\"", r);
	assert_non_null(strstr(s1, ref)); /* with the date format */
	assert_cell(s1, sst, 'I', r, "Door 1");
	assert_cell(s1, sst, 'J', r, "1");
	assert_cell(s1, sst, 'K', r, "0");
	assert_cell(s1, sst, 'L', r, "FALSE");

	r = row_of(s1, sst, "李");
	assert_int_not_equal(r, 0);
	assert_cell(s1, sst, 'B', r, "小龙");
	assert_true(fabs(cell_number(s1, sst, 'H', r) - (DAY0 + 19 * 3600 / 86400.0 +
	    10 / 1440.0)) < 1e-7);
	assert_cell(s1, sst, 'I', r, "Door 2");
	assert_cell(s1, sst, 'J', r, "2");

	/* The formula-looking name is a string cell (cell() fails on formulas). */
	r = row_of(s1, sst, "=1+1");
	assert_int_not_equal(r, 0);
	assert_cell(s1, sst, 'G', r, "FALSE");
	assert_cell(s1, sst, 'H', r, "");
	assert_cell(s1, sst, 'I', r, "");
	assert_cell(s1, sst, 'J', r, "0");

	r = row_of(s1, sst, "Wendy");
	assert_int_not_equal(r, 0);
	assert_cell(s1, sst, 'F', r, "walkin");
	assert_int_equal(row_of(s1, sst, "Cas"), 0); /* cancelled: not listed */
	book_free(&b);
}

static void
test_summary_sheet(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	make_event(fx->s);
	int64_t before = util_now_ms();
	book_write(fx, &b, ATTEND_LIST_ALL);
	const char *s2 = b.sheet2, *sst = b.sst;

	assert_cell(s2, sst, 'A', 1, "Event");
	assert_cell(s2, sst, 'B', 1, "Test Event");
	assert_cell(s2, sst, 'B', 2, "Europe/Brussels");
	/* Generated now, in local time: within a minute of now's serial. */
	struct tm tm;
	time_t t = (time_t)(before / 1000);
	localtime_r(&t, &tm);
	double now = 25569.0 + (double)(t + tm.tm_gmtoff) / 86400.0;
	assert_true(fabs(cell_number(s2, sst, 'B', 3) - now) < 60.0 / 86400);
	assert_cell(s2, sst, 'B', 4, "every guest");

	const char *labels[] = { "Registered", "Attended (checked in)", "No-shows", "Walk-ins",
	    "Cancelled", "Came, cancelled since", "Duplicate entries", "Repeat scans",
	    "Attendance rate" };
	const char *values[] = { "4", "2", "2", "1", "1", "0", "0", "1", "0.5" };
	for (int i = 0; i < 9; i++) {
		assert_cell(s2, sst, 'A', 6 + i, labels[i]);
		assert_cell(s2, sst, 'B', 6 + i, values[i]);
	}
	assert_cell(s2, sst, 'A', 16, "Ticket type");
	assert_cell(s2, sst, 'D', 16, "Rate");
	const char *types[][4] = {
		{ "(no ticket type)", "1", "0", "0" },
		{ "Regular", "2", "1", "0.5" },
		{ "VIP", "1", "1", "1" },
	};
	for (int i = 0; i < 3; i++)
		for (int c = 0; c < 4; c++)
			assert_cell(s2, sst, (char)('A' + c), 17 + i, types[i][c]);
	assert_cell(s2, sst, 'A', 20, "");
	book_free(&b);
}

static void
test_lists(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	make_event(fx->s);

	book_write(fx, &b, ATTEND_LIST_NO_SHOWS);
	assert_non_null(strstr(b.sheet1, "<autoFilter ref=\"A1:L3\"/>"));
	assert_int_not_equal(row_of(b.sheet1, b.sst, "=1+1"), 0);
	assert_int_not_equal(row_of(b.sheet1, b.sst, "Wendy"), 0);
	assert_cell(b.sheet2, b.sst, 'B', 4, "no-shows only");
	assert_cell(b.sheet2, b.sst, 'B', 6, "4"); /* the figures stay the event's */
	book_free(&b);

	book_write(fx, &b, ATTEND_LIST_WALK_INS);
	assert_non_null(strstr(b.sheet1, "<autoFilter ref=\"A1:L2\"/>"));
	assert_cell(b.sheet1, b.sst, 'A', 2, "Wendy");
	assert_cell(b.sheet2, b.sst, 'B', 4, "walk-ins only");
	book_free(&b);
}

static void
test_empty_event(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	book_write(fx, &b, ATTEND_LIST_ALL);
	assert_non_null(strstr(b.sheet1, "<autoFilter ref=\"A1:L1\"/>"));
	assert_cell(b.sheet2, b.sst, 'B', 6, "0");
	assert_cell(b.sheet2, b.sst, 'A', 14, "Attendance rate");
	assert_cell(b.sheet2, b.sst, 'B', 14, ""); /* no rate, not 0% or #DIV/0! */
	assert_cell(b.sheet2, b.sst, 'A', 17, "");
	book_free(&b);
}

/* A name with U+FFFE or U+FFFF (a UTF-16 file read wrong somewhere upstream;
 * the CSV import takes them, being valid UTF-8) is no XML character: written
 * as it was, LibreOffice read the shared strings as broken and showed every
 * name of the workbook empty. They are written as U+FFFD, the rest kept. */
static void
test_xml_noncharacters(void **state)
{
	struct tu_fixture *fx = *state;
	struct guest_fields w = { .first_name = "Ann\xEF\xBF\xBE",
	    .last_name = "Noncar", .company = "Co\xEF\xBF\xBF" };
	struct guest g;
	struct book b;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	book_write(fx, &b, ATTEND_LIST_ALL);
	assert_null(strstr(b.sst, "\xEF\xBF\xBE"));
	assert_null(strstr(b.sst, "\xEF\xBF\xBF"));
	int r = row_of(b.sheet1, b.sst, "Ann\xEF\xBF\xBD");
	assert_int_not_equal(r, 0);
	assert_cell(b.sheet1, b.sst, 'B', r, "Noncar");
	assert_cell(b.sheet1, b.sst, 'D', r, "Co\xEF\xBF\xBD");
	book_free(&b);
}

/* Zoë came, then her ticket was cancelled (a refund after the event): her
 * row stays, cancelled TRUE in the last column, and the Summary counts her
 * as registered and attended, and once more apart. */
static void
test_cancelled_after_checkin(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	struct guest g;
	make_event(fx->s);
	assert_int_equal(guest_set_cancelled(fx->s, "1", true, "t", &g, NULL), 0);
	guest_clear(&g);
	book_write(fx, &b, ATTEND_LIST_ALL);
	int r = row_of(b.sheet1, b.sst, "Zoë");
	assert_int_not_equal(r, 0);
	assert_cell(b.sheet1, b.sst, 'G', r, "TRUE");
	assert_cell(b.sheet1, b.sst, 'I', r, "Door 1");
	assert_cell(b.sheet1, b.sst, 'L', r, "TRUE");
	assert_int_equal(row_of(b.sheet1, b.sst, "Cas"), 0); /* never came: not listed */
	assert_cell(b.sheet2, b.sst, 'B', 6, "4");  /* Registered */
	assert_cell(b.sheet2, b.sst, 'B', 7, "2");  /* Attended */
	assert_cell(b.sheet2, b.sst, 'B', 8, "2");  /* No-shows */
	assert_cell(b.sheet2, b.sst, 'B', 10, "1"); /* Cancelled: Cas */
	assert_cell(b.sheet2, b.sst, 'A', 11, "Came, cancelled since");
	assert_cell(b.sheet2, b.sst, 'B', 11, "1");
	assert_cell(b.sheet2, b.sst, 'A', 18, "Regular");
	assert_cell(b.sheet2, b.sst, 'C', 18, "1");
	book_free(&b);
}

/* Inside the caller's read transaction, the workbook is read in it and the
 * transaction stays open (the caller's to end). */
static void
test_in_callers_transaction(void **state)
{
	struct tu_fixture *fx = *state;
	struct book b;
	make_event(fx->s);
	assert_int_equal(store_begin_read(fx->s, NULL), 0);
	book_write(fx, &b, ATTEND_LIST_ALL);
	assert_int_equal(sqlite3_get_autocommit(store_db(fx->s)), 0);
	store_rollback(fx->s);
	assert_cell(b.sheet2, b.sst, 'B', 7, "2");
	book_free(&b);
	assert_int_not_equal(sqlite3_get_autocommit(store_db(fx->s)), 0);
}

/* The names in dir, sorted, ";"-separated, into out. */
static void
list_dir(const char *dir, char *out, size_t n)
{
	struct dirent **ents = NULL;
	int k = scandir(dir, &ents, NULL, alphasort);
	assert_true(k >= 0);
	out[0] = '\0';
	for (int i = 0; i < k; i++) {
		size_t used = strlen(out);
		snprintf(out + used, n - used, "%s;", ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
}

static void
test_failure_leaves_nothing(void **state)
{
	struct tu_fixture *fx = *state;
	char before[1024], after[1024];
	char *cause = NULL;
	make_event(fx->s);

	/* A folder that does not exist: refused before anything is made. */
	char *missing = xasprintf("%s/no/such/folder/a.xlsx", fx->dir);
	assert_int_equal(xlsx_write_attendance(fx->s, missing, NULL, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, missing));
	free(cause);
	cause = NULL;
	struct stat st;
	assert_int_equal(stat(missing, &st), -1);
	free(missing);

	/* A path that is a folder: the workbook is written to the temporary file,
	 * then the rename fails; the temporary file goes and the folder stays. */
	char *folder = xasprintf("%s/out.xlsx", fx->dir);
	assert_int_equal(mkdir(folder, 0700), 0);
	list_dir(fx->dir, before, sizeof before);
	assert_int_equal(xlsx_write_attendance(fx->s, folder, NULL, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, folder));
	free(cause);
	cause = NULL;
	list_dir(fx->dir, after, sizeof after);
	assert_string_equal(after, before);
	assert_int_equal(stat(folder, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(folder);

	/* Over an existing file (0644): replaced whole, and 0600 after. */
	char *old = tu_write(fx->dir, "old.xlsx", "old contents");
	assert_int_equal(chmod(old, 0644), 0);
	assert_int_equal(xlsx_write_attendance(fx->s, old, NULL, &cause), 0);
	assert_int_equal(stat(old, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	struct zip z;
	zip_load(&z, old);
	free(z.data);
	free(old);
	list_dir(fx->dir, after, sizeof after);
	assert_null(strstr(after, ".tmp-"));
}

/* A disk that fills up while the workbook is written: files may grow to 4 KB
 * only (the workbook is bigger), so the write fails part way. The old file
 * stays as it was and no temporary file is left. */
static void
test_full_disk_keeps_the_old_file(void **state)
{
	struct tu_fixture *fx = *state;
	char before[1024], after[1024];
	char *cause = NULL, *old = NULL, *now = NULL;
	size_t nold = 0, nnow = 0;
	make_event(fx->s);
	char *path = xasprintf("%s/a.xlsx", fx->dir);
	assert_int_equal(xlsx_write_attendance(fx->s, path, NULL, &cause), 0);
	assert_int_equal(util_read_file(path, 1 << 20, &old, &nold, NULL), 0);
	assert_true(nold > 4096);
	list_dir(fx->dir, before, sizeof before);

	struct rlimit was, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
	lim = was;
	lim.rlim_cur = 4096;
	void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	int rc = xlsx_write_attendance(fx->s, path, NULL, &cause);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
	signal(SIGXFSZ, handler);

	assert_int_equal(rc, -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot write"));
	assert_non_null(strstr(cause, path));
	free(cause);
	list_dir(fx->dir, after, sizeof after);
	assert_string_equal(after, before);
	assert_int_equal(util_read_file(path, 1 << 20, &now, &nnow, NULL), 0);
	assert_int_equal(nnow, nold);
	assert_memory_equal(now, old, nold);
	free(old);
	free(now);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parts, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_days_attended_column, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_attendance_sheet, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_summary_sheet, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_lists, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_empty_event, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_xml_noncharacters, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_after_checkin, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_in_callers_transaction, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_failure_leaves_nothing, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_full_disk_keeps_the_old_file, tu_setup,
		    tu_teardown),
	};
	return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
