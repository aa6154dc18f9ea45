/* gz: gzip bodies for the sync protocol (zlib), with limits.
 *
 * Rules:
 * - Only a single gzip member is accepted (windowBits 15+16, no zlib or raw
 *   deflate): anything after the first member's trailer is refused, so that a
 *   body cannot smuggle bytes past the checksum.
 * - The inflate buffer never holds more than max+1 bytes: the extra byte is
 *   either the NUL terminator or the first byte over the limit, which is how
 *   "too big" is noticed without inflating any further.
 * - zlib counts in uInt; sizes are size_t, so input and output are handed to
 *   zlib in windows of at most UINT_MAX bytes. */
#include "sync/gz.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZ_WBITS     (15 + 16) /* 32K window, gzip wrapper only */
#define GZ_LEVEL     1         /* fastest: at 6 deflate was a tenth of the hub's time; 1 sends ~8% more */
#define GZ_FIRST_OUT 4096      /* smallest inflate buffer */

/* The largest window of n that zlib's uInt counters can take. */
static uInt
gz_window(size_t n)
{
	return n > UINT_MAX ? UINT_MAX : (uInt)n;
}

int
gz_deflate(const void *data, size_t len, unsigned char **out, size_t *out_len)
{
	z_stream zs;
	unsigned char *buf = NULL;
	const unsigned char *in = data;
	size_t cap, total = 0, left = len;
	int inited = 0, rc = -1, zrc;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, GZ_LEVEL, Z_DEFLATED, GZ_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		goto out;
	inited = 1;

	/* deflateBound only holds for a single deflate call and uLong may be
	 * narrower than size_t, so it is a first guess: the buffer can grow. */
	cap = len <= ULONG_MAX ? deflateBound(&zs, (uLong)len) : len;
	if ((buf = malloc(cap ? cap : 1)) == NULL)
		goto out;

	for (;;) {
		if (zs.avail_in == 0 && left > 0) {
			zs.next_in = (Bytef *)(uintptr_t)in; /* zlib never writes it */
			zs.avail_in = gz_window(left);
			in += zs.avail_in;
			left -= zs.avail_in;
		}
		if (total == cap) {
			unsigned char *nbuf;
			if (cap > SIZE_MAX / 2)
				goto out;
			if ((nbuf = realloc(buf, cap * 2)) == NULL)
				goto out;
			buf = nbuf;
			cap *= 2;
		}
		zs.next_out = buf + total;
		zs.avail_out = gz_window(cap - total);
		uInt before = zs.avail_out;
		zrc = deflate(&zs, left == 0 ? Z_FINISH : Z_NO_FLUSH);
		total += before - zs.avail_out;
		if (zrc == Z_STREAM_END)
			break;
		if (zrc == Z_BUF_ERROR && zs.avail_out > 0)
			goto out; /* cannot happen with all input given */
		if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			goto out;
	}

	/* The bound is mostly slack for compressible JSON; give it back. */
	unsigned char *shrunk = realloc(buf, total);
	if (shrunk != NULL)
		buf = shrunk;
	*out = buf;
	*out_len = total;
	buf = NULL;
	rc = 0;
out:
	if (inited)
		deflateEnd(&zs);
	free(buf);
	return rc;
}

/* Out of memory is reported as -1 too: the header promises no other code,
 * and a caller treats both as "body unusable". */
int
gz_inflate(const void *data, size_t len, size_t max, char **out, size_t *out_len)
{
	z_stream zs;
	char *buf = NULL;
	const unsigned char *in = data;
	size_t limit, cap, total = 0, left = len;
	int inited = 0, rc = -1, zrc;

	*out = NULL;
	if (len == 0)
		return -1;
	/* limit is the buffer's hard size: max bytes plus the NUL. */
	limit = max < SIZE_MAX ? max + 1 : SIZE_MAX;

	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, GZ_WBITS) != Z_OK)
		goto out;
	inited = 1;

	/* JSON inflates several times over, so 8x the input is a first guess
	 * that usually avoids any realloc; doubling keeps the rest few. */
	cap = len < SIZE_MAX / 8 ? len * 8 : SIZE_MAX;
	if (cap < GZ_FIRST_OUT)
		cap = GZ_FIRST_OUT;
	if (cap > limit)
		cap = limit;
	if ((buf = malloc(cap)) == NULL)
		goto out;

	for (;;) {
		if (zs.avail_in == 0 && left > 0) {
			zs.next_in = (Bytef *)(uintptr_t)in; /* zlib never writes it */
			zs.avail_in = gz_window(left);
			in += zs.avail_in;
			left -= zs.avail_in;
		}
		if (total == cap) {
			size_t ncap;
			if (cap == limit) {
				rc = -2; /* only reachable when max == SIZE_MAX */
				goto out;
			}
			ncap = cap <= limit / 2 ? cap * 2 : limit;
			char *nbuf = realloc(buf, ncap);
			if (nbuf == NULL)
				goto out;
			buf = nbuf;
			cap = ncap;
		}
		zs.next_out = (Bytef *)buf + total;
		zs.avail_out = gz_window(cap - total);
		uInt before = zs.avail_out;
		zrc = inflate(&zs, Z_NO_FLUSH);
		total += before - zs.avail_out;
		if (total > max) {
			rc = -2;
			goto out;
		}
		if (zrc == Z_STREAM_END)
			break;
		if (zrc == Z_BUF_ERROR) {
			/* No progress was possible: more room or more input
			 * helps, having neither means the stream is cut short. */
			if (zs.avail_out > 0 && zs.avail_in == 0 && left == 0)
				goto out;
		} else if (zrc != Z_OK) {
			goto out; /* Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR */
		}
	}
	if (zs.avail_in > 0 || left > 0)
		goto out; /* bytes after the trailer */

	if (total == cap) {
		/* Room for the NUL; total <= max so this stays within limit. */
		char *nbuf = realloc(buf, total + 1);
		if (nbuf == NULL)
			goto out;
		buf = nbuf;
	}
	buf[total] = '\0';
	*out = buf;
	*out_len = total;
	buf = NULL;
	rc = 0;
out:
	if (inited)
		inflateEnd(&zs);
	free(buf);
	return rc;
}
