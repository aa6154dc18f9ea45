/* Tests for gz: round trips checked against zlib itself, damaged streams,
 * and the inflate limit against a zip bomb (time and address space). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __GLIBC__
#include <malloc.h> /* mallopt */
#endif

#include "sync/gz.h"

#define MB        (1024u * 1024u)
#define BOMB_SIZE (100u * MB) /* zeros inside the bomb */

/* A pointer that gz_inflate must overwrite with NULL on failure. */
static char sentinel_byte;
#define SENTINEL (&sentinel_byte)

static uint64_t
xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static unsigned char *
random_bytes(size_t n, uint64_t seed)
{
	unsigned char *p = malloc(n ? n : 1);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(xorshift64(&seed) >> 24);
	return p;
}

/* Exactly n bytes of sync-like JSON records (the last one cut short). */
static char *
json_text(size_t n)
{
	char *p = malloc(n + 1);
	uint64_t seed = 42;
	size_t len = 0;
	assert_non_null(p);
	while (len < n) {
		char rec[160];
		uint64_t r = xorshift64(&seed);
		int k = snprintf(rec, sizeof rec,
		    "{\"id\":\"%016llx\",\"name\":\"Guest %u\",\"door\":\"Door %u\","
		    "\"at\":%llu,\"kind\":\"checkin\"},\n",
		    (unsigned long long)r, (unsigned)(r % 5000), (unsigned)(r % 4 + 1),
		    1782838800000ULL + (r % 3600000));
		assert_true(k > 0 && (size_t)k < sizeof rec);
		size_t take = (size_t)k < n - len ? (size_t)k : n - len;
		memcpy(p + len, rec, take);
		len += take;
	}
	p[n] = '\0';
	return p;
}

/* zlib's own gunzip: asserts that z is one complete gzip stream of want. */
static void
ref_gunzip_equals(const unsigned char *z, size_t zlen, const void *want, size_t n)
{
	z_stream zs;
	unsigned char *buf = malloc(n + 1);
	assert_non_null(buf);
	memset(&zs, 0, sizeof zs);
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)z;
	zs.avail_in = (uInt)zlen;
	zs.next_out = buf;
	zs.avail_out = (uInt)(n + 1);
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.avail_in, 0);
	assert_int_equal(zs.total_out, n);
	if (n > 0)
		assert_memory_equal(buf, want, n);
	inflateEnd(&zs);
	free(buf);
}

/* zlib's own gzip (a different level than gz uses). */
static unsigned char *
ref_gzip(const void *data, size_t n, int level, size_t *zlen)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&zs, (uLong)n);
	unsigned char *z = malloc(cap);
	assert_non_null(z);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)n;
	zs.next_out = z;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*zlen = zs.total_out;
	deflateEnd(&zs);
	return z;
}

static unsigned char *
must_deflate(const void *data, size_t n, size_t *zlen)
{
	unsigned char *z = NULL;
	assert_int_equal(gz_deflate(data, n, &z, zlen), 0);
	assert_non_null(z);
	return z;
}

/* gz_deflate -> zlib check -> gz_inflate, with max exactly n. */
static void
round_trip(const void *data, size_t n)
{
	size_t zlen = 0, olen = 12345;
	char *out = SENTINEL;
	unsigned char *z = must_deflate(data, n, &zlen);

	/* RFC 1952 member header: magic, deflate method. */
	assert_true(zlen >= 18);
	assert_int_equal(z[0], 0x1f);
	assert_int_equal(z[1], 0x8b);
	assert_int_equal(z[2], 8);
	ref_gunzip_equals(z, zlen, data, n);

	assert_int_equal(gz_inflate(z, zlen, n, &out, &olen), 0);
	assert_non_null(out);
	assert_true(out != SENTINEL);
	assert_int_equal(olen, n);
	if (n > 0)
		assert_memory_equal(out, data, n);
	assert_int_equal(out[n], '\0');
	free(out);
	free(z);
}

static void
test_round_trip_empty(void **state)
{
	(void)state;
	round_trip("", 0);
	/* max 0 still fits the empty body. */
	size_t zlen, olen = 99;
	char *out = NULL;
	unsigned char *z = must_deflate("", 0, &zlen);
	assert_int_equal(gz_inflate(z, zlen, 0, &out, &olen), 0);
	assert_int_equal(olen, 0);
	assert_string_equal(out, "");
	free(out);
	free(z);
}

static void
test_round_trip_small(void **state)
{
	(void)state;
	const char *s = "{\"op\":\"checkin\",\"code\":\"8184922608941621308297001\"}";
	round_trip(s, strlen(s));
	round_trip("x", 1);
	/* Embedded NULs survive; the terminator is extra. */
	round_trip("a\0b\0", 4);
}

static void
test_round_trip_json_5mb(void **state)
{
	(void)state;
	size_t n = 5 * MB, zlen;
	char *text = json_text(n);
	round_trip(text, n);
	unsigned char *z = must_deflate(text, n, &zlen);
	assert_true(zlen < n / 4); /* it really compresses */
	free(z);
	free(text);
}

static void
test_round_trip_random(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 7, 4095, 4096, 4097, 65536, 1000003 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = random_bytes(sizes[i], 7 + i);
		round_trip(p, sizes[i]);
		free(p);
	}
}

/* Streams made by zlib at other levels inflate too. */
static void
test_inflate_foreign_stream(void **state)
{
	(void)state;
	char *text = json_text(300000);
	for (int level = 0; level <= 9; level += 9) {
		size_t zlen, olen;
		char *out = NULL;
		unsigned char *z = ref_gzip(text, 300000, level, &zlen);
		assert_int_equal(gz_inflate(z, zlen, 300000, &out, &olen), 0);
		assert_int_equal(olen, 300000);
		assert_memory_equal(out, text, 300000);
		assert_int_equal(out[olen], '\0');
		free(out);
		free(z);
	}
	free(text);
}

/* The limit is inclusive: max bytes pass, max-1 is too small, for sizes
 * around the buffer's growth steps and for compressible and random data. */
static void
test_exact_max(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 2, 4095, 4096, 4097, 8192, 32768, 65537, 300000 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t n = sizes[i];
		for (int kind = 0; kind < 2; kind++) {
			unsigned char *p = kind ? random_bytes(n, n) : (unsigned char *)json_text(n);
			size_t zlen, olen = 0;
			unsigned char *z = must_deflate(p, n, &zlen);
			char *out = SENTINEL;

			assert_int_equal(gz_inflate(z, zlen, n, &out, &olen), 0);
			assert_int_equal(olen, n);
			assert_memory_equal(out, p, n);
			assert_int_equal(out[n], '\0');
			free(out);

			out = SENTINEL;
			assert_int_equal(gz_inflate(z, zlen, n + 1, &out, &olen), 0);
			assert_int_equal(olen, n);
			free(out);

			out = SENTINEL;
			olen = 777;
			assert_int_equal(gz_inflate(z, zlen, n - 1, &out, &olen), -2);
			assert_null(out);
			assert_int_equal(olen, 777); /* untouched on failure */

			out = SENTINEL;
			assert_int_equal(gz_inflate(z, zlen, n / 2, &out, &olen), -2);
			assert_null(out);
			free(z);
			free(p);
		}
	}
}

/* Outputs that fill the buffer exactly at one of its growth steps, ending
 * the stream in the same call: the NUL then needs one more byte (a write
 * past the end here shows under AddressSanitizer). */
static void
test_buffer_full_at_end(void **state)
{
	(void)state;
	for (size_t n = 4096; n <= 65536; n *= 2) {
		unsigned char *p = calloc(n, 1);
		assert_non_null(p);
		for (size_t i = 0; i < n; i += 512)
			p[i] = (unsigned char)(i / 512);
		size_t zlen, olen;
		unsigned char *z = must_deflate(p, n, &zlen);
		char *out = NULL;
		assert_int_equal(gz_inflate(z, zlen, 10 * MB, &out, &olen), 0);
		assert_int_equal(olen, n);
		assert_memory_equal(out, p, n);
		assert_int_equal(out[n], '\0');
		free(out);
		free(z);
		free(p);
	}
}

static void
expect_damaged(const void *z, size_t zlen, size_t max)
{
	char *out = SENTINEL;
	size_t olen = 777;
	assert_int_equal(gz_inflate(z, zlen, max, &out, &olen), -1);
	assert_null(out);
	assert_int_equal(olen, 777);
}

static void
test_empty_input(void **state)
{
	(void)state;
	expect_damaged("", 0, 1000);
	expect_damaged(NULL, 0, 1000);
}

static void
test_truncated(void **state)
{
	(void)state;
	const char *s = "{\"op\":\"checkin\",\"guest\":\"Zoe\",\"door\":\"Door 1\"}";
	size_t zlen;
	unsigned char *z = must_deflate(s, strlen(s), &zlen);
	/* Every proper prefix, down to one byte and up to a missing last
	 * byte of the length trailer. */
	for (size_t cut = 1; cut < zlen; cut++)
		expect_damaged(z, cut, 1000);
	free(z);

	/* A large body cut in the middle and just before its trailer. */
	size_t n = 2 * MB;
	char *text = json_text(n);
	z = must_deflate(text, n, &zlen);
	expect_damaged(z, zlen / 2, n);
	expect_damaged(z, zlen - 8, n);
	expect_damaged(z, zlen - 1, n);
	free(z);
	free(text);
}

static void
test_garbage(void **state)
{
	(void)state;
	const char *s = "kiosk sync body kiosk sync body kiosk sync body";
	size_t n = strlen(s), zlen;

	expect_damaged("not gzip at all", 15, 1000);
	unsigned char *r = random_bytes(5000, 99);
	expect_damaged(r, 5000, MB);
	r[0] = 0x1f; /* right magic, garbage after it */
	r[1] = 0x8b;
	r[2] = 8;
	r[3] = 0;
	expect_damaged(r, 5000, MB);
	free(r);

	/* A zlib (RFC 1950) stream is not gzip. */
	uLongf clen = compressBound(n);
	unsigned char *c = malloc(clen);
	assert_non_null(c);
	assert_int_equal(compress(c, &clen, (const Bytef *)s, n), Z_OK);
	expect_damaged(c, clen, 1000);
	free(c);

	unsigned char *z = must_deflate(s, n, &zlen);
	unsigned char *bad = malloc(zlen);
	assert_non_null(bad);
	/* Wrong CRC-32, wrong ISIZE, and a bit flipped in the data. */
	static const int from_end[] = { 8, 5, 4, 1 };
	for (size_t i = 0; i < sizeof from_end / sizeof from_end[0]; i++) {
		memcpy(bad, z, zlen);
		bad[zlen - (size_t)from_end[i]] ^= 0x01;
		expect_damaged(bad, zlen, 1000);
	}
	memcpy(bad, z, zlen);
	bad[12] ^= 0x10;
	expect_damaged(bad, zlen, 1000);
	free(bad);
	free(z);
}

static void
test_trailing_junk(void **state)
{
	(void)state;
	const char *s = "{\"ok\":true}";
	size_t n = strlen(s), zlen;
	unsigned char *z = must_deflate(s, n, &zlen);
	unsigned char *two = malloc(2 * zlen);
	assert_non_null(two);
	memcpy(two, z, zlen);

	two[zlen] = 'x';
	expect_damaged(two, zlen + 1, 1000);
	two[zlen] = '\0';
	expect_damaged(two, zlen + 1, 1000);
	/* A second gzip member is trailing data too: one body, one stream. */
	memcpy(two + zlen, z, zlen);
	expect_damaged(two, 2 * zlen, 1000);

	/* The untouched stream is fine (the junk was the only fault). */
	char *out = NULL;
	size_t olen;
	assert_int_equal(gz_inflate(two, zlen, 1000, &out, &olen), 0);
	assert_string_equal(out, s);
	free(out);
	free(two);
	free(z);
}

/* 100 MB of zeros as one gzip stream, built without holding 100 MB. */
static unsigned char *
make_bomb(size_t *zlen)
{
	static const unsigned char zeros[65536];
	size_t cap = MB;
	unsigned char *z = malloc(cap);
	z_stream zs;
	assert_non_null(z);
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_out = z;
	zs.avail_out = (uInt)cap;
	for (size_t fed = 0; fed < BOMB_SIZE; fed += sizeof zeros) {
		zs.next_in = (Bytef *)(uintptr_t)zeros;
		zs.avail_in = sizeof zeros;
		int flush = fed + sizeof zeros == BOMB_SIZE ? Z_FINISH : Z_NO_FLUSH;
		int rc = deflate(&zs, flush);
		assert_true(rc == (flush == Z_FINISH ? Z_STREAM_END : Z_OK));
		assert_int_equal(zs.avail_in, 0);
	}
	*zlen = zs.total_out;
	deflateEnd(&zs);
	return z;
}

static double
now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What inflating the whole bomb costs, without keeping its output. */
static double
full_inflate_time(const unsigned char *z, size_t zlen)
{
	static unsigned char sink[65536];
	z_stream zs;
	double t0 = now_sec();
	int rc;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)z;
	zs.avail_in = (uInt)zlen;
	do {
		zs.next_out = sink;
		zs.avail_out = sizeof sink;
		rc = inflate(&zs, Z_NO_FLUSH);
	} while (rc == Z_OK);
	assert_int_equal(rc, Z_STREAM_END);
	assert_int_equal(zs.total_out, BOMB_SIZE);
	inflateEnd(&zs);
	return now_sec() - t0;
}

#if defined(__SANITIZE_ADDRESS__)
#define GZ_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GZ_TEST_ASAN 1
#endif
#endif

#ifndef GZ_TEST_ASAN
/* Address space in use (VmSize) in bytes, or -1 where /proc does not say. */
static long long
vm_size(void)
{
	char line[256];
	long long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmSize: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}
#endif

/* What gz_inflate(z, zlen, max) returns in a child that may map only
 * budget more bytes (RLIMIT_AS), so that any larger allocation fails:
 * -2 is the limit seen in time, -1 an allocation refused. Returns 1 when
 * this cannot be measured here (no /proc, or AddressSanitizer, whose own
 * mappings do not live with an address space limit). main() makes every
 * block of 16 KB or more an mmap of its own, so freed memory of earlier
 * tests cannot hide an allocation inside the heap, and lets the heap grow
 * by no more than it needs. */
static int
inflate_in_budget(const unsigned char *z, size_t zlen, size_t max, size_t budget)
{
#ifdef GZ_TEST_ASAN
	(void)z, (void)zlen, (void)max, (void)budget;
	return 1;
#else
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *o = SENTINEL;
		size_t ol;
		int rc = 1;
		long long now = vm_size();
		struct rlimit rl;
		rl.rlim_cur = rl.rlim_max = (rlim_t)now + budget;
		if (now >= 0 && setrlimit(RLIMIT_AS, &rl) == 0) {
			rc = gz_inflate(z, zlen, max, &o, &ol);
			if (rc != 0 && o != NULL)
				rc = 99;
		}
		ssize_t w = write(fds[1], &rc, sizeof rc);
		_exit(w == (ssize_t)sizeof rc ? 0 : 1);
	}
	close(fds[1]);
	int rc = 100, status;
	assert_int_equal(read(fds[0], &rc, sizeof rc), (ssize_t)sizeof rc);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_not_equal(rc, 99); /* *out not NULL on failure */
	return rc;
#endif
}

/* Slack over max+1 for zlib's state (~7 KB) and window (32 KB), each an
 * mmap rounded to pages, and the heap's growth (unpadded, see main()). */
#define GZ_SLACK (96 * 1024)

/* Refusing a body over max takes max+1 bytes of buffer, not more. */
static void
expect_bounded(const unsigned char *z, size_t zlen, size_t max)
{
	/* First, that the measure bites: a buffer this large is an mmap of
	 * its own, so with half of it to spare the call must fail for memory.
	 * Under valgrind, say, the limit does not apply to malloc. */
	int rc = max >= 64 * 1024 ? inflate_in_budget(z, zlen, max, max / 2) : -1;
	if (rc != -1) {
		print_message("no working address space limit here: allocation bound not checked\n");
		return;
	}
	rc = inflate_in_budget(z, zlen, max, max + 1 + GZ_SLACK);
	if (rc == 1) {
		print_message("no address space limit here: allocation bound not checked\n");
		return;
	}
	if (rc != -2)
		fail_msg("limit %zu: got %d with %zu bytes of address space to spare "
		    "(more than max+1 bytes allocated?)", max, rc, max + 1 + (size_t)GZ_SLACK);
}

static void
test_bomb(void **state)
{
	(void)state;
	size_t zlen, olen = 777;
	unsigned char *z = make_bomb(&zlen);
	assert_true(zlen > 50 * 1024 && zlen < 200 * 1024); /* ~1000:1 */

	char *out = SENTINEL;
	assert_int_equal(gz_inflate(z, zlen, MB, &out, &olen), -2);
	assert_null(out);
	assert_int_equal(olen, 777);

	/* Quickly: stopping at 1 MB is a small fraction of inflating 100 MB.
	 * Best of three on both sides keeps a busy machine from deciding. */
	double full = 1e9, ours = 1e9;
	for (int i = 0; i < 3; i++) {
		double t = full_inflate_time(z, zlen);
		if (t < full)
			full = t;
		double t0 = now_sec();
		out = SENTINEL;
		assert_int_equal(gz_inflate(z, zlen, MB, &out, &olen), -2);
		t = now_sec() - t0;
		if (t < ours)
			ours = t;
	}
	if (!(ours * 5 < full))
		fail_msg("bomb: %.1f ms to refuse, %.1f ms to inflate it all", ours * 1e3, full * 1e3);

	expect_bounded(z, zlen, MB);
	expect_bounded(z, zlen, 64 * 1024);
	free(z);
}

/* A body much larger than the limit must not size the buffer by itself:
 * no more than max+1 bytes, whatever the compressed length suggests. */
static void
test_limit_bounds_allocation(void **state)
{
	(void)state;
	size_t n = 2 * MB, zlen;
	unsigned char *p = random_bytes(n, 5);
	unsigned char *z = must_deflate(p, n, &zlen);
	expect_bounded(z, zlen, 1000);
	expect_bounded(z, zlen, 64 * 1024);
	expect_bounded(z, zlen, 256 * 1024);
	free(z);
	free(p);
}

int
main(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 16 * 1024); /* see inflate_in_budget */
#endif
#ifdef M_TOP_PAD
	mallopt(M_TOP_PAD, 0);
#endif
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_empty),
		cmocka_unit_test(test_round_trip_small),
		cmocka_unit_test(test_round_trip_json_5mb),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_inflate_foreign_stream),
		cmocka_unit_test(test_exact_max),
		cmocka_unit_test(test_buffer_full_at_end),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_trailing_junk),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_limit_bounds_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
