/* fuzzsheet.h: what the targets of the zipped spreadsheet readers share
 * (fuzz_xlsx, fuzz_ods; test code): a zip of fixed parts and the fuzzed
 * one, stored, so that a mutation is not undone by deflate; the checks
 * every record a reader gives must pass; and the import of the file. */
#ifndef KIOSK_FUZZSHEET_H
#define KIOSK_FUZZSHEET_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/csvin.h"
#include "core/import.h"
#include "core/util.h"
#include "core/zipin.h"

#define FS_CHECK(name, cond) do { if (!(cond)) { fprintf(stderr, "%s: %s:%d: %s\n", \
	name, __FILE__, __LINE__, #cond); abort(); } } while (0)

struct fs_part {
	const char *name;
	const void *data;
	size_t n;
};

/* The zip of the parts, in their order, each stored (malloc'd), or NULL. */
static inline char *
fs_pack(const struct fs_part *parts, size_t nparts, size_t *len)
{
	char *out = NULL;
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &err);
	zip_source_keep(buf);
	zip_t *z = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
	FS_CHECK("fs_pack", z != NULL);
	for (size_t i = 0; i < nparts; i++) {
		zip_source_t *s = zip_source_buffer(z, parts[i].data, parts[i].n, 0);
		zip_int64_t at = zip_file_add(z, parts[i].name, s, 0);
		FS_CHECK("fs_pack", at >= 0);
		zip_set_file_compression(z, (zip_uint64_t)at, ZIP_CM_STORE, 0);
	}
	FS_CHECK("fs_pack", zip_close(z) == 0);
	zip_stat_t st;
	if (zip_source_stat(buf, &st) == 0 && zip_source_open(buf) == 0) {
		out = xmalloc(st.size + 1);
		FS_CHECK("fs_pack", zip_source_read(buf, out, st.size) == (zip_int64_t)st.size);
		zip_source_close(buf);
		*len = st.size;
	}
	zip_source_free(buf);
	zip_error_fini(&err);
	return out;
}

static inline bool
fs_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A record of a sheet: after the row *last, at most max_row; as wide as
 * the others (*width, 0 before the first); its fields NUL-free, trimmed,
 * valid UTF-8 and of their length, one at least not empty. */
static inline void
fs_check_record(const char *name, const struct csvin_record *rec, size_t max_row,
    size_t *last, size_t *width)
{
	FS_CHECK(name, rec->line > *last && rec->line <= max_row);
	*last = rec->line;
	FS_CHECK(name, rec->nfields >= 1 && rec->nfields <= ZIPIN_MAX_COLUMNS);
	FS_CHECK(name, *width == 0 || rec->nfields == *width);
	*width = rec->nfields;
	bool any = false;
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *f = rec->fields[i];
		size_t m = rec->lens[i];
		FS_CHECK(name, f != NULL && strlen(f) == m);
		FS_CHECK(name, m == 0 || (!fs_is_ws(f[0]) && !fs_is_ws(f[m - 1])));
		FS_CHECK(name, util_utf8_valid(f, m));
		any = any || m > 0;
	}
	FS_CHECK(name, any);
}

/* Every record of a sheet read (fs_check_record), no more of them than
 * zipin_sheet_rows_left said, and then the end; frees it. */
static inline void
fs_check_sheet(const char *name, struct zipin_sheet *sh)
{
	struct csvin_record rec;
	size_t last = 0, width = 0, left = zipin_sheet_rows_left(sh);
	while (zipin_sheet_next(sh, &rec) == 1) {
		fs_check_record(name, &rec, 1048576, &last, &width);
		FS_CHECK(name, --left >= 1);
	}
	FS_CHECK(name, zipin_sheet_next(sh, &rec) == 0);
	zipin_sheet_free(sh);
}

/* import_read_mem on the file (named file): it fails saying why, or its
 * places are rows and its rejections on rows below the header. */
static inline void
fs_check_import(const char *name, const char *z, size_t len, const char *file)
{
	struct import_plan *p = NULL;
	char *cause = NULL;
	if (import_read_mem(z, len, file, NULL, 0, &p, &cause) != 0) {
		FS_CHECK(name, p == NULL && cause != NULL);
		free(cause);
		return;
	}
	FS_CHECK(name, strcmp(import_unit(p), "row") == 0);
	for (size_t i = 0; i < import_rejects(p); i++) {
		size_t line;
		const char *why;
		import_reject(p, i, &line, &why);
		FS_CHECK(name, line >= 2 && why != NULL);
	}
	import_free(p);
}

#endif
