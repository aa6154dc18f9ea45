/* fuzz_csv: a guest-list file's bytes through the import.
 *
 * The input is the file. It is read record by record with csvin (every
 * field trimmed, NUL-free, its length right), its first record mapped with
 * colmap (also with a --map override made from the input), its fields
 * split into names and read as statuses; then import_read_mem plans the
 * import and import_apply merges it into the fixed event (fuzz.h), twice:
 * the counts add up, nobody is lost, and importing the same file again
 * adds nobody. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/colmap.h"
#include "core/csvin.h"
#include "core/import.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "fuzz_csv: %s:%d: %s\n", \
	__FILE__, __LINE__, #cond); abort(); } } while (0)

#define MAX_RECORDS 200 /* enough to reach every state of the reader */

static struct store *work;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_template();
	work = fz_open(NULL);
	return 0;
}

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void
check_colmap(char *const *headers, size_t n, const struct colmap_override *ov, size_t nov)
{
	struct colmap *m = NULL;
	char *cause = NULL;

	if (colmap_build(headers, n, ov, nov, &m, &cause) != 0) {
		CHECK(m == NULL && cause != NULL);
		free(cause);
		return;
	}
	CHECK(colmap_ncolumns(m) == n);
	CHECK(colmap_column(m, COLMAP_FIRST) >= 0 || colmap_column(m, COLMAP_LAST) >= 0 ||
	    colmap_column(m, COLMAP_FULL) >= 0 || colmap_column(m, COLMAP_FULL_LF) >= 0);
	for (int f = 0; f < COLMAP__COUNT; f++) {
		int c = colmap_column(m, (enum colmap_field)f);
		CHECK(c >= -1 && c < (int)n);
		CHECK(colmap_field_name((enum colmap_field)f) != NULL);
		if (c >= 0)
			CHECK(colmap_field_of(m, (size_t)c) == f);
	}
	for (size_t c = 0; c < n; c++) {
		int f = colmap_field_of(m, c);
		CHECK(f >= -1 && f < COLMAP__COUNT);
		CHECK(colmap_header(m, c) != NULL);
	}
	colmap_free(m);
}

static void
check_fields(const struct csvin_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *f = rec->fields[i];
		size_t n = rec->lens[i];
		CHECK(f != NULL && strlen(f) == n);
		CHECK(n == 0 || (!is_ws((unsigned char)f[0]) && !is_ws((unsigned char)f[n - 1])));
		CHECK(memchr(f, '\r', n) == NULL);
		(void)colmap_status_cancelled(f);
		char *first = NULL, *last = NULL;
		colmap_split_name(f, &first, &last);
		CHECK(first != NULL && last != NULL);
		free(first);
		free(last);
	}
}

/* The reader alone. */
static void
check_reader(const uint8_t *data, size_t size)
{
	struct csvin *in = NULL;
	struct csvin_record rec;
	char *cause = NULL;
	size_t last_line = 0;
	int got, n = 0;

	if (csvin_open_mem((const char *)data, size, "fuzz.csv", &in, &cause) != 0) {
		CHECK(in == NULL && cause != NULL);
		free(cause);
		return;
	}
	char d = csvin_delimiter(in);
	CHECK(d == ',' || d == ';' || d == '\t');
	CHECK(csvin_encoding_name(csvin_encoding(in)) != NULL);
	while (n < MAX_RECORDS && (got = csvin_next(in, &rec, &cause)) == 1) {
		CHECK(rec.nfields >= 1 && rec.line > last_line);
		last_line = rec.line;
		check_fields(&rec);
		if (n++ == 0) {
			check_colmap(rec.fields, rec.nfields, NULL, 0);
			/* An override naming the last column as the name. */
			struct colmap_override ov = { "name", rec.fields[rec.nfields - 1] };
			check_colmap(rec.fields, rec.nfields, &ov, 1);
		}
	}
	if (n < MAX_RECORDS && got < 0) {
		CHECK(cause != NULL);
		free(cause);
		cause = NULL;
		/* A failed file stays failed. */
		CHECK(csvin_next(in, &rec, &cause) == -1 && cause != NULL);
		free(cause);
	}
	csvin_free(in);
}

/* The first line as a --map spec. */
static void
check_override(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char *spec = xstrndup((const char *)data, nl ? (size_t)(nl - data) : size);
	struct colmap_override ov;
	char *cause = NULL;

	if (colmap_parse_override(spec, &ov, &cause) == 0) {
		CHECK(ov.field != NULL && ov.column != NULL);
	} else {
		CHECK(cause != NULL);
		free(cause);
	}
	free(spec);
}

static int64_t
guests(void)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(store_db(work), "SELECT count(*) FROM guest", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
check_import(const uint8_t *data, size_t size)
{
	struct import_plan *p = NULL;
	struct import_report r1, r2;
	char *cause = NULL;

	if (import_read_mem((const char *)data, size, "fuzz.csv", NULL, 0, &p, &cause) != 0) {
		CHECK(p == NULL && cause != NULL);
		free(cause);
		return;
	}
	char *map = import_mapping_text(p);
	CHECK(map != NULL);
	free(map);
	for (size_t i = 0; i < import_rejects(p); i++) {
		size_t line;
		const char *why;
		import_reject(p, i, &line, &why);
		CHECK(line >= 2 && why != NULL);
	}
	if (import_rows(p) == 0) {
		CHECK(import_apply(work, p, true, "fuzz", NULL, NULL, &r1, &cause) == -1);
		free(cause);
		import_free(p);
		return;
	}
	fz_reset(work);
	int64_t before = guests();
	/* A file that would give the event's guests other ticket codes is
	 * refused, with nothing written, until the organiser says so. */
	if (import_apply(work, p, true, "fuzz", NULL, NULL, &r1, &cause) != 0) {
		CHECK(strstr(cause, "--new-codes") != NULL);
		free(cause);
		cause = NULL;
		CHECK(guests() == before);
		import_allow_new_codes(p);
	}
	if (import_apply(work, p, false, "fuzz", NULL, NULL, &r1, &cause) != 0)
		fz_die("import_apply", cause);
	CHECK(r1.added + r1.updated + r1.unchanged == import_rows(p));
	CHECK(r1.rejected == import_rejects(p));
	CHECK(guests() == before + (int64_t)r1.added);
	/* The same file again: everyone is found, nobody is added. */
	if (import_apply(work, p, false, "fuzz", NULL, NULL, &r2, &cause) != 0)
		fz_die("import_apply again", cause);
	CHECK(r2.added == 0);
	CHECK(guests() == before + (int64_t)r1.added);
	import_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_reader(data, size);
	check_override(data, size);
	check_import(data, size);
	return 0;
}
