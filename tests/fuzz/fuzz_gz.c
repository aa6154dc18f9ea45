/* fuzz_gz: gzip bodies as the hub receives them.
 *
 * The input's first byte picks the output limit (tiny, small, or the hub's
 * 64 MiB); the rest is the body for gz_inflate, whose answer must keep
 * gz.h's promises (0 with at most max bytes and a NUL after them, -1, or
 * -2; *out NULL on failure). The whole input also goes around
 * gz_deflate -> gz_inflate and must come back byte for byte, and refused
 * with -2 when the limit is one byte short. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/gz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "fuzz_gz: %s:%d: %s\n", \
	__FILE__, __LINE__, #cond); abort(); } } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t len = 0;
	unsigned char *z = NULL;
	size_t zlen = 0;

	if (size > 0) {
		size_t max = data[0] < 64 ? data[0] : data[0] < 192 ? (size_t)data[0] << 8 :
		    (size_t)64 << 20;
		int rc = gz_inflate(data + 1, size - 1, max, &out, &len);
		CHECK(rc == 0 || rc == -1 || rc == -2);
		if (rc == 0) {
			CHECK(out != NULL && len <= max && out[len] == '\0');
			free(out);
		} else {
			CHECK(out == NULL);
		}
	}

	CHECK(gz_deflate(data, size, &z, &zlen) == 0);
	CHECK(gz_inflate(z, zlen, size, &out, &len) == 0);
	CHECK(len == size && (size == 0 || memcmp(out, data, size) == 0) && out[len] == '\0');
	free(out);
	if (size > 0) {
		out = (char *)1;
		CHECK(gz_inflate(z, zlen, size - 1, &out, &len) == -2 && out == NULL);
	}
	free(z);
	return 0;
}
