/* A zip built in memory, for the tests of the readers of zipped
 * spreadsheets (test_import's workbooks, test_odsin's spreadsheets).
 * Include after cmocka.h: it asserts. */
#ifndef KIOSK_TESTZIP_H
#define KIOSK_TESTZIP_H

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/util.h"

/* A member of a zip built here: text of len bytes (0: up to its NUL). */
struct tz_part {
	const char *name;
	const char *text;
	size_t len;
};

/* A zip of the parts (a NULL name ends them), in that order, as bytes the
 * caller frees. A member named "mimetype" is stored, not compressed, as
 * ODF lays out its own first member. */
static inline char *
tz_zip_parts(const struct tz_part *parts, size_t *len)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &err);
	assert_non_null(out);
	zip_source_keep(out);
	zip_t *z = zip_open_from_source(out, ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (size_t i = 0; parts[i].name != NULL; i++) {
		size_t n = parts[i].len ? parts[i].len : strlen(parts[i].text);
		zip_source_t *src = zip_source_buffer(z, parts[i].text, n, 0);
		assert_non_null(src);
		zip_int64_t at = zip_file_add(z, parts[i].name, src, ZIP_FL_ENC_UTF_8);
		assert_true(at >= 0);
		if (strcmp(parts[i].name, "mimetype") == 0)
			assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)at, ZIP_CM_STORE,
			    0), 0);
	}
	assert_int_equal(zip_close(z), 0);
	zip_stat_t st;
	assert_int_equal(zip_source_stat(out, &st), 0);
	char *data = xmalloc(st.size + 1);
	assert_int_equal(zip_source_open(out), 0);
	assert_int_equal(zip_source_read(out, data, st.size), (zip_int64_t)st.size);
	zip_source_close(out);
	zip_source_free(out);
	zip_error_fini(&err);
	*len = st.size;
	return data;
}

/* The same of n members (name, text). */
static inline char *
tz_zip(const char *const parts[][2], size_t n, size_t *len)
{
	struct tz_part *p = xmalloc((n + 1) * sizeof *p);
	for (size_t i = 0; i < n; i++)
		p[i] = (struct tz_part){ parts[i][0], parts[i][1], 0 };
	p[n] = (struct tz_part){ NULL, NULL, 0 };
	char *data = tz_zip_parts(p, len);
	free(p);
	return data;
}

#endif
