/* A zip built in memory, for the tests of the readers of zipped
 * spreadsheets (test_import's workbooks, test_odsin's spreadsheets).
 * Include after cmocka.h: it asserts. */
#ifndef KIOSK_TESTZIP_H
#define KIOSK_TESTZIP_H

#include <string.h>
#include <zip.h>

#include "core/util.h"

/* A zip of n members (name, text), in that order, as bytes the caller
 * frees. A member named "mimetype" is stored, not compressed, as ODF lays
 * out its own first member. */
static inline char *
tz_zip(const char *const parts[][2], size_t n, size_t *len)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &err);
	assert_non_null(out);
	zip_source_keep(out);
	zip_t *z = zip_open_from_source(out, ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(z, parts[i][1], strlen(parts[i][1]), 0);
		assert_non_null(src);
		zip_int64_t at = zip_file_add(z, parts[i][0], src, 0);
		assert_true(at >= 0);
		if (strcmp(parts[i][0], "mimetype") == 0)
			assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)at, ZIP_CM_STORE,
			    0), 0);
	}
	assert_int_equal(zip_close(z), 0);
	zip_stat_t st;
	assert_int_equal(zip_source_stat(out, &st), 0);
	char *data = xmalloc(st.size);
	assert_int_equal(zip_source_open(out), 0);
	assert_int_equal(zip_source_read(out, data, st.size), (zip_int64_t)st.size);
	zip_source_close(out);
	zip_source_free(out);
	zip_error_fini(&err);
	*len = st.size;
	return data;
}

#endif
