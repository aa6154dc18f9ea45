/* util: allocation that cannot fail, formatted strings, buffers, files. */
#include "core/util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

static void
oom(size_t n)
{
	fprintf(stderr, "kiosk: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		oom(n);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		oom(0);
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int
util_fail(char **cause, const char *fmt, ...)
{
	if (cause != NULL) {
		va_list ap;
		va_start(ap, fmt);
		char *msg = xvasprintf(fmt, ap);
		va_end(ap);
		free(*cause);
		*cause = msg;
	}
	return -1;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int
util_blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s; s++)
		if (!is_space((unsigned char)*s))
			return 0;
	return 1;
}

char *
util_trim(const char *s)
{
	while (is_space((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : SIZE_MAX - 1;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = buf_add(b, s, strlen(s));
	free(s);
	return rc;
}

const char *
buf_cstr(struct buf *b)
{
	if (b->data == NULL)
		buf_add(b, "", 0);
	return b->data;
}

char *
buf_take(struct buf *b)
{
	buf_cstr(b);
	char *s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int
util_read_file(const char *path, size_t max, char **out, size_t *len, char **cause)
{
	int fd = -1, rc = -1;
	char *data = NULL;
	struct stat st;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		util_fail(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		util_fail(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		util_fail(cause, "%s: is a directory", path);
		goto out;
	}
	/* Size is read as we go, so pipes and growing files work too. */
	size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
	if (cap > max + 1)
		cap = max + 1;
	data = xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				util_fail(cause, "%s: file is larger than %zu MiB", path, max >> 20);
				goto out;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			data = xrealloc(data, cap);
		}
		ssize_t r = read(fd, data + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			util_fail(cause, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			util_fail(cause, "%s: file is larger than %zu MiB", path, max >> 20);
			goto out;
		}
	}
	data = xrealloc(data, n + 1);
	data[n] = '\0';
	*out = data;
	*len = n;
	data = NULL;
	rc = 0;
out:
	free(data);
	if (fd >= 0)
		close(fd);
	return rc;
}

int64_t
util_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
util_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
util_mono_ms(void)
{
	return util_mono_ns() / 1000000;
}

void
util_deadline(struct timespec *ts, clockid_t clk, int64_t ms)
{
	clock_gettime(clk, ts);
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int64_t
util_boot_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
util_slept_ms(void)
{
	return util_boot_ms() - util_mono_ms();
}

static int64_t boot_id;
static pthread_once_t boot_once = PTHREAD_ONCE_INIT;

/* FNV-1a of the kernel's boot_id, a UUID new at every start; never 0. */
static void
read_boot_id(void)
{
	char text[64];
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f == NULL)
		return;
	if (fgets(text, sizeof text, f) != NULL && strlen(text) >= 32) {
		uint64_t h = 14695981039346656037u;
		for (const char *p = text; *p != '\0' && *p != '\n'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211u;
		boot_id = (int64_t)(h >> 1) | 1;
	}
	fclose(f);
}

int64_t
util_boot_id(void)
{
	pthread_once(&boot_once, read_boot_id);
	return boot_id;
}

/* Random bytes for UUIDs, taken from the kernel 4 KiB at a time: an import
 * makes 100,000 UUIDs, and a system call for each was a tenth of its time.
 * One pool per thread; a forked child starts a new one, so parent and child
 * never hand out the same bytes. */
#define UUID_POOL 4096
static _Thread_local unsigned char uuid_pool[UUID_POOL];
static _Thread_local size_t uuid_used = UUID_POOL;
static pthread_once_t uuid_once = PTHREAD_ONCE_INIT;

static void
uuid_forked(void)
{
	uuid_used = UUID_POOL;
}

static void
uuid_init(void)
{
	pthread_atfork(NULL, NULL, uuid_forked);
}

static bool
uuid_fill(void)
{
	size_t got = 0;
	while (got < UUID_POOL) {
		ssize_t r = getrandom(uuid_pool + got, UUID_POOL - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	uuid_used = 0;
	return true;
}

char *
util_uuid(void)
{
	uuid_t u;
	char *s = xmalloc(37);
	uint64_t ms = (uint64_t)util_now_ms();
	pthread_once(&uuid_once, uuid_init);
	if (uuid_used + sizeof u > UUID_POOL && !uuid_fill()) {
		uuid_generate_random(u); /* no getrandom(): libuuid finds another way */
	} else {
		memcpy(u, uuid_pool + uuid_used, sizeof u);
		memset(uuid_pool + uuid_used, 0, sizeof u);
		uuid_used += sizeof u;
	}
	/* Version 7 (RFC 9562): the time in ms in the first 48 bits, 74 random
	 * bits after. Records made one after another then sit side by side in
	 * a uuid index, so storing a batch of them (a sync, an import) touches
	 * a few index pages instead of one page per record. */
	for (int i = 0; i < 6; i++)
		u[i] = (unsigned char)(ms >> (40 - 8 * i));
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x70);   /* version 7 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);   /* RFC 9562 variant */
	uuid_unparse_lower(u, s);
	return s;
}

size_t
util_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

size_t
util_utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

size_t
util_utf8_count(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int
util_text_check(const char *what, const char *s, char **cause)
{
	if (s == NULL || util_utf8_valid(s, strlen(s)))
		return 0;
	return util_fail(cause, "%s: not valid UTF-8 (is the terminal or the file set to "
	    "UTF-8?)", what);
}

/* Characters that look like nothing around a code or a field: ASCII white
 * space and control bytes, and the Unicode ones a text file or a copy from
 * a web page or a spreadsheet brings (a codes file saved by Notepad starts
 * with a BOM; Excel and web pages pad with no-break spaces). */
static const char *const invisible[] = {
	"\xef\xbb\xbf",             /* U+FEFF BOM, zero-width no-break space */
	"\xc2\xa0",                 /* U+00A0 no-break space */
	"\xe2\x80\x87", "\xe2\x80\xaf", /* U+2007 figure, U+202F narrow no-break */
	"\xe2\x80\x8b", "\xe2\x81\xa0", /* U+200B zero-width space, U+2060 joiner */
	"\xe2\x80\x89", "\xe2\x80\x82", "\xe2\x80\x83", /* thin, en, em spaces */
	"\xe3\x80\x80",             /* U+3000 ideographic space */
};

size_t
util_invisible_len(const char *s, size_t n, bool at_end)
{
	unsigned char c = (unsigned char)(at_end ? s[n - 1] : s[0]);
	if (c <= ' ' || c == 0x7f)
		return 1;
	if (c < 0x80) /* every other ASCII character is seen: the common case */
		return 0;
	for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
		size_t k = strlen(invisible[i]);
		if (k <= n && memcmp(at_end ? s + n - k : s, invisible[i], k) == 0)
			return k;
	}
	return 0;
}

static bool
atext(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

bool
util_email_ok(const char *addr)
{
	if (addr == NULL)
		return false;
	size_t n = strlen(addr);
	const char *at = strrchr(addr, '@');
	if (n > UTIL_EMAIL_MAX || at == NULL || at == addr || strchr(addr, '@') != at)
		return false;
	size_t local = (size_t)(at - addr);
	if (local > UTIL_EMAIL_LOCAL_MAX || addr[0] == '.' || addr[local - 1] == '.')
		return false;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)addr[i];
		if (c == '.' ? addr[i + 1] == '.' : !atext(c))
			return false;
	}
	const char *d = at + 1;
	int labels = 0;
	for (;;) {
		size_t k = strcspn(d, ".");
		if (k == 0 || k > 63 || d[0] == '-' || d[k - 1] == '-')
			return false;
		for (size_t i = 0; i < k; i++) {
			unsigned char c = (unsigned char)d[i];
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-'))
				return false;
		}
		labels++;
		if (d[k] == '\0')
			break;
		d += k + 1;
	}
	return labels >= 2;
}

char *
util_url_redact(const char *url)
{
	const char *u = url ? url : "";
	const char *sep = strstr(u, "://");
	const char *start = sep ? sep + 3 : u;
	size_t host_end = strcspn(start, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < host_end; i++)
		if (start[i] == '@')
			at = start + i;
	if (at == NULL)
		return xstrdup(u);
	return xasprintf("%.*s***%s", (int)(start - u), u, at);
}

/* The parts of url util_url_same compares; false when it is no
 * SCHEME://HOST... address. */
struct url_parts {
	const char *scheme, *host, *path;
	size_t scheme_len, host_len, path_len;
	long port;
};

static bool
url_split(const char *url, struct url_parts *p)
{
	const char *sep = strstr(url, "://");
	if (sep == NULL || sep == url)
		return false;
	p->scheme = url;
	p->scheme_len = (size_t)(sep - url);
	const char *h = sep + 3;
	size_t auth = strcspn(h, "/?#");
	p->host = h;
	if (h[0] == '[') { /* [IPv6]: its colons are not the port's */
		const char *end = memchr(h, ']', auth);
		if (end == NULL)
			return false;
		p->host_len = (size_t)(end - h) + 1;
	} else {
		p->host_len = strcspn(h, ":/?#");
	}
	p->port = -1;
	if (p->host_len < auth) { /* ":PORT" */
		if (h[p->host_len] != ':')
			return false;
		const char *d = h + p->host_len + 1;
		long port = 0;
		for (; d < h + auth && *d >= '0' && *d <= '9' && port < 100000; d++)
			port = port * 10 + (*d - '0');
		if (d != h + auth)
			return false;
		if (d > h + p->host_len + 1)
			p->port = port;
	}
	if (p->port < 0) {
		if (p->scheme_len == 4 && strncasecmp(url, "http", 4) == 0)
			p->port = 80;
		else if (p->scheme_len == 5 && strncasecmp(url, "https", 5) == 0)
			p->port = 443;
	}
	p->path = h + auth;
	p->path_len = strlen(p->path);
	while (p->path_len > 0 && p->path[p->path_len - 1] == '/')
		p->path_len--;
	return true;
}

bool
util_url_same(const char *a, const char *b)
{
	struct url_parts x, y;
	if (!url_split(a, &x) || !url_split(b, &y))
		return strcmp(a, b) == 0;
	return x.scheme_len == y.scheme_len && strncasecmp(x.scheme, y.scheme, x.scheme_len) == 0 &&
	    x.host_len == y.host_len && strncasecmp(x.host, y.host, x.host_len) == 0 &&
	    x.port == y.port && x.path_len == y.path_len &&
	    memcmp(x.path, y.path, x.path_len) == 0;
}

/* url's host, without the root's trailing dot ("hub.example."): false for
 * text that is not SCHEME://HOST... */
static bool
url_host(const char *url, const char **host, size_t *len)
{
	struct url_parts p;
	if (!url_split(url, &p) || p.host_len == 0)
		return false;
	while (p.host_len > 1 && p.host[p.host_len - 1] == '.')
		p.host_len--;
	*host = p.host;
	*len = p.host_len;
	return true;
}

bool
util_url_same_host(const char *a, const char *b)
{
	const char *x, *y;
	size_t nx, ny;
	return url_host(a, &x, &nx) && url_host(b, &y, &ny) && nx == ny &&
	    strncasecmp(x, y, nx) == 0;
}

/* Whether name ends with the label suffix (".local"), in any case. */
static bool
host_ends(const char *name, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len > n && strncasecmp(name + len - n, suffix, n) == 0;
}

bool
util_url_mdns(const char *url)
{
	const char *host;
	size_t len;
	return url_host(url, &host, &len) && host_ends(host, len, ".local");
}

bool
util_url_local(const char *url)
{
	struct url_parts p;
	char host[256];
	if (!url_split(url, &p) || p.host_len == 0 || p.host_len >= sizeof host)
		return false;
	memcpy(host, p.host, p.host_len);
	host[p.host_len] = '\0';
	if (host[0] == '[') {
		struct in6_addr a6;
		host[p.host_len - 1] = '\0';
		char *zone = strchr(host + 1, '%'); /* fe80::1%25eth0 */
		if (zone != NULL)
			*zone = '\0';
		if (inet_pton(AF_INET6, host + 1, &a6) != 1)
			return false;
		const unsigned char *b = a6.s6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			snprintf(host, sizeof host, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
		} else {
			return IN6_IS_ADDR_LOOPBACK(&a6) || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
			    (b[0] & 0xfe) == 0xfc;
		}
	}
	struct in_addr a4;
	if (inet_pton(AF_INET, host, &a4) == 1) {
		uint32_t a = ntohl(a4.s_addr);
		return (a >> 24) == 127 || (a >> 24) == 10 || (a >> 20) == 0xAC1 ||
		    (a >> 16) == 0xC0A8 || (a >> 16) == 0xA9FE || (a >> 22) == (100u << 2 | 1);
	}
	size_t len = strlen(host);
	if (len > 0 && host[len - 1] == '.') /* "hub.local.", the root's dot */
		host[--len] = '\0';
	return len > 0 && (memchr(host, '.', len) == NULL || host_ends(host, len, ".local") ||
	    host_ends(host, len, ".lan") || host_ends(host, len, ".internal") ||
	    host_ends(host, len, ".home.arpa") || host_ends(host, len, ".home") ||
	    host_ends(host, len, ".fritz.box") || host_ends(host, len, ".localdomain") ||
	    strcasecmp(host, "localhost") == 0 ||
	    host_ends(host, len, ".localhost"));
}

size_t
util_invisible_span(const char *s, size_t len, size_t *start)
{
	size_t a = 0, b = len, k;
	while (a < b && (k = util_invisible_len(s + a, b - a, false)) > 0)
		a += k;
	while (b > a && (k = util_invisible_len(s + a, b - a, true)) > 0)
		b -= k;
	*start = a;
	return b - a;
}

char *
util_trim_invisible(const char *s)
{
	if (s == NULL)
		return NULL;
	size_t a;
	size_t n = util_invisible_span(s, strlen(s), &a);
	return xstrndup(s + a, n);
}

unsigned
util_c1_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	return n >= 2 && u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F ? u[1] : 0;
}

unsigned
util_direction_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n < 3 || u[0] != 0xE2 || !((u[1] == 0x80 && u[2] >= 0xAA && u[2] <= 0xAE) ||
	    (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)))
		return 0;
	return 0x2000u | (unsigned)(u[1] & 0x3F) << 6 | (unsigned)(u[2] & 0x3F);
}

int
util_name_check(const char *what, const char *s, size_t max, char **cause)
{
	size_t n = s ? strlen(s) : 0, cut = 0, k;

	if (n == 0 || util_blank(s))
		return util_fail(cause, "%s: empty; give a name such as 'Door 2'", what);
	if (!util_utf8_valid(s, n))
		return util_fail(cause, "%s: not valid UTF-8", what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F || util_c1_at(s + i, n - i) != 0)
			return util_fail(cause, "%s: control characters (tabs, new lines...) are "
			    "not allowed", what);
	}
	if (n > max) {
		/* Quote the start only, cut on a character boundary. */
		while (cut < 24 && (k = util_utf8_len((const unsigned char *)s + cut,
		    n - cut)) > 0)
			cut += k;
		return util_fail(cause, "%s '%.*s...': %zu bytes, the most is %zu", what,
		    (int)cut, s, n, max);
	}
	return 0;
}

char *
util_utf8_fix(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n = 0;
	char *t = xmalloc(len * 3 + 1); /* each bad byte: three bytes of U+FFFD */
	while (i < len) {
		size_t k = util_utf8_len(u + i, len - i);
		if (k == 0) {
			memcpy(t + n, "\xef\xbf\xbd", 3);
			n += 3;
			i++;
		} else {
			memcpy(t + n, u + i, k);
			n += k;
			i += k;
		}
	}
	t[n] = '\0';
	return t;
}

int
util_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		/* Most of a guest list is ASCII; skip it without the full check. */
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = util_utf8_len(u + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Does this process have the file of st open (Linux: /proc/self/fd)? */
static bool
open_here(const struct stat *st)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	bool found = false;
	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		struct stat fst;
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end == '\0' && e->d_name[0] != '\0' && fd != dirfd(d) &&
		    fstat((int)fd, &fst) == 0)
			found = fst.st_dev == st->st_dev && fst.st_ino == st->st_ino;
	}
	closedir(d);
	return found;
}

char *
util_output_path(const char *path, char **cause)
{
	struct stat st;
	size_t n = strlen(path);
	char *real = NULL;

	if (n == 0)
		return util_fail(cause, "no file name given (an empty --out?)"), NULL;
	if (path[n - 1] == '/')
		return util_fail(cause, "%s: is a folder, not a file name", path), NULL;
	if (lstat(path, &st) != 0)
		return xstrdup(path); /* a new file (or a folder missing: said on create) */
	if (S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (real == NULL)
			return util_fail(cause, "%s: a link to nowhere (%s)", path, strerror(errno)),
			    NULL;
		if (stat(real, &st) != 0) {
			util_fail(cause, "%s: %s", path, strerror(errno));
			goto fail;
		}
	} else {
		real = xstrdup(path);
	}
	if (S_ISDIR(st.st_mode)) {
		util_fail(cause, "%s: is a folder, not a file name", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		util_fail(cause, "%s: not a regular file (a device or a pipe); give a file name",
		    path);
		goto fail;
	}
	/* A file this process has open is not opened again to look at it:
	 * closing that look would drop SQLite's fcntl locks on it (the event's
	 * database, open while it is exported). Such a file is refused as it
	 * is; any other is read for SQLite's header. */
	bool db = open_here(&st);
	if (!db) {
		char magic[16];
		int fd = open(real, O_RDONLY | O_CLOEXEC);
		db = fd >= 0 && read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
		    memcmp(magic, "SQLite format 3", sizeof magic) == 0;
		if (fd >= 0)
			close(fd);
	}
	if (db) {
		util_fail(cause, "%s: is a database (the event's?); not replaced: give another "
		    "file name", path);
		goto fail;
	}
	return real;
fail:
	free(real);
	return NULL;
}

/* Files a stop signal removes on its way out (util_stop_removes). Any
 * thread that writes a file claims a slot and gives it back, under
 * stop_lock (a door serving as the hub prints a badge on one thread while
 * another makes the live page's download): two that claimed the same slot
 * could tear its path, which then matched neither util_stop_keeps, and the
 * slot was lost for good. The handler, on any thread, takes no lock: a
 * slot's flag is set once its path is whole, and a lock-free atomic may be
 * read in a handler. */
#define STOP_FILES 4
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop handler reads atomic_int flags");
static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static char stop_files[STOP_FILES][PATH_MAX];
static atomic_int stop_used[STOP_FILES];

static void
stop_unlinks(int sig)
{
	for (int i = 0; i < STOP_FILES; i++)
		if (atomic_load_explicit(&stop_used[i], memory_order_acquire))
			unlink(stop_files[i]);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig); /* dies of it once this returns, as it would have */
}

void
util_stop_removes(const char *path)
{
	static bool installed;
	size_t n = strlen(path);
	if (n >= PATH_MAX)
		return;
	pthread_mutex_lock(&stop_lock);
	for (int i = 0; i < STOP_FILES; i++) {
		if (atomic_load_explicit(&stop_used[i], memory_order_relaxed))
			continue;
		memcpy(stop_files[i], path, n + 1);
		atomic_store_explicit(&stop_used[i], 1, memory_order_release);
		break;
	}
	if (!installed) {
		installed = true;
		sigset_t stops;
		struct sigaction sa = { .sa_handler = stop_unlinks }, was;
		sigemptyset(&sa.sa_mask);
		util_stop_signals(&stops);
		for (int sig = 1; sig < NSIG; sig++) {
			/* one ignored stays so (nohup, a job in the background); one a
			 * program handles itself (the hub, the door app) is its own */
			if (sigismember(&stops, sig) == 1 && sigaction(sig, NULL, &was) == 0 &&
			    was.sa_handler == SIG_DFL)
				sigaction(sig, &sa, NULL);
		}
	}
	pthread_mutex_unlock(&stop_lock);
}

int
util_mkstemp_removed(char *tmpl)
{
	sigset_t stops, was;
	util_stop_signals(&stops);
	pthread_sigmask(SIG_BLOCK, &stops, &was);
	int fd = mkstemp(tmpl);
	int err = errno;
	if (fd >= 0)
		util_stop_removes(tmpl);
	pthread_sigmask(SIG_SETMASK, &was, NULL); /* a stop that came meanwhile: now */
	errno = err;
	return fd;
}

void
util_stop_keeps(const char *path)
{
	pthread_mutex_lock(&stop_lock);
	for (int i = 0; i < STOP_FILES; i++)
		if (atomic_load_explicit(&stop_used[i], memory_order_relaxed) &&
		    strcmp(stop_files[i], path) == 0)
			atomic_store_explicit(&stop_used[i], 0, memory_order_relaxed);
	pthread_mutex_unlock(&stop_lock);
}

char
util_name_unportable(const char *path)
{
	const char *slash = strrchr(path, '/');
	for (const char *c = slash != NULL ? slash + 1 : path; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || strchr("\"*:<>?\\|", *c) != NULL)
			return *c;
	return 0;
}

const char *
util_create_error(const char *path, int err, char buf[UTIL_CREATE_ERROR_BUF])
{
	char bad = util_name_unportable(path);
	if ((err != EINVAL && err != ENOENT) || bad == 0)
		return strerror(err);
	if (err == ENOENT) { /* through FUSE; or really no such folder */
		char *dir = util_folder_of(path);
		bool there = access(dir, F_OK) == 0;
		free(dir);
		if (!there)
			return strerror(err);
	}
	char what[24] = "a control character";
	if ((unsigned char)bad >= 0x20)
		snprintf(what, sizeof what, "the character '%c'", bad);
	snprintf(buf, UTIL_CREATE_ERROR_BUF, "its disk refuses %s in a file name (a USB stick "
	    "formatted FAT, exFAT or NTFS, a Windows share): name it without any of "
	    "\" * : < > ? \\ |", what);
	return buf;
}

char *
util_folder_of(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, strlen(dir) + 1, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

#define STALE_TMP_S 600 /* a temporary file untouched this long is no run's under way */

/* The temporary files beside real that a run killed outright (kill -9, a
 * power cut: no handler to remove them) left: they hold guests' names, and
 * nothing else would ever remove them. Only this user's, untouched for
 * STALE_TMP_S: a run writing the same file now keeps its own. */
static void
sweep_stale_tmp(const char *real)
{
	const char *slash = strrchr(real, '/');
	char *dir = slash != NULL ? xstrndup(real, (size_t)(slash - real + 1)) : xstrdup(".");
	char *prefix = xasprintf("%s.tmp-", slash != NULL ? slash + 1 : real);
	size_t np = strlen(prefix);
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t now = time(NULL);
	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;
		/* the temporary file, or the journal SQLite kept beside it (a
		 * backup's VACUUM INTO) */
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, np) != 0 || (n != np + 6 &&
		    !(n == np + 14 && strcmp(e->d_name + np + 6, "-journal") == 0)) ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
		    now - st.st_mtime < STALE_TMP_S)
			continue;
		unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d != NULL)
		closedir(d);
	free(prefix);
	free(dir);
}

/* Whether a chmod failed with err because the disk keeps no modes of its
 * own: a USB stick formatted FAT or exFAT gives every file the mode its
 * mount says, and Linux refuses a chmod to any other (EPERM); a share may
 * not do modes at all. Such a file can be made no more private than the
 * disk allows, so it is written with the disk's mode, as cp does: an
 * export or a backup refused there was refused where organisers keep them. */
static bool
mode_unkept(int err)
{
	return err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == ENOSYS;
}

int
util_replace_open(struct util_replace *r, const char *path, unsigned int mode, char **cause)
{
	memset(r, 0, sizeof *r);
	r->path = path;
	if ((r->real = util_output_path(path, cause)) == NULL)
		return -1;
	sweep_stale_tmp(r->real);
	r->tmp = xasprintf("%s.tmp-XXXXXX", r->real);
	int fd = util_mkstemp_removed(r->tmp); /* a stopped export leaves no half file */
	if (fd < 0) {
		char why[UTIL_CREATE_ERROR_BUF];
		/* The new copy is made beside the file: a folder this user
		 * cannot write refuses it, however writable the file is. */
		int err = errno;
		char *dir = util_folder_of(r->real);
		const char *base = strrchr(r->real, '/');
		base = base != NULL ? base + 1 : r->real;
		if (err == ENAMETOOLONG && strlen(base) <= NAME_MAX)
			util_fail(cause, "%s: cannot create: its name is too long to write a new "
			    "copy beside it first (%s), which kiosk then puts in its place; use a "
			    "shorter one", path, r->tmp);
		else if (err == EACCES && access(r->real, F_OK) == 0)
			util_fail(cause, "%s: cannot write it: its folder %s is not writable for this "
			    "user, and kiosk writes a new copy beside it, then puts it in the old "
			    "one's place (check the folder's permissions, or write elsewhere)", path,
			    dir);
		else
			util_fail(cause, "%s: cannot create: %s", path,
			    util_create_error(r->real, err, why));
		free(dir);
		free(r->tmp);
		r->tmp = NULL;
		util_replace_abort(r);
		return -1;
	}
	if ((fchmod(fd, (mode_t)mode) != 0 && !mode_unkept(errno)) ||
	    (r->fp = fdopen(fd, "wb")) == NULL) {
		util_fail(cause, "%s: %s", path, strerror(errno));
		close(fd);
		util_replace_abort(r);
		return -1;
	}
	return 0;
}

int
util_replace_commit(struct util_replace *r, char **cause)
{
	/* The data on disk before the name points at it. */
	bool bad = fflush(r->fp) != 0 || ferror(r->fp) || fsync(fileno(r->fp)) != 0;
	int err = errno;
	int closed = fclose(r->fp);
	r->fp = NULL;
	if (bad || closed != 0) {
		util_fail(cause, "%s: cannot write: %s", r->path, strerror(bad ? err : errno));
		util_replace_abort(r);
		return -1;
	}
	if (rename(r->tmp, r->real) != 0) {
		util_fail(cause, "%s: %s", r->path, strerror(errno));
		util_replace_abort(r);
		return -1;
	}
	util_stop_keeps(r->tmp);
	free(r->tmp);
	r->tmp = NULL;
	free(r->real);
	r->real = NULL;
	return 0;
}

void
util_replace_abort(struct util_replace *r)
{
	if (r->fp != NULL)
		fclose(r->fp);
	r->fp = NULL;
	if (r->tmp != NULL) {
		unlink(r->tmp);
		util_stop_keeps(r->tmp);
	}
	free(r->tmp);
	r->tmp = NULL;
	free(r->real);
	r->real = NULL;
}

static bool
ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
util_natural_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		if (ascii_digit(a[i]) && ascii_digit(b[j])) {
			/* two numbers: the one with more digits (past its leading
			 * zeros) is larger, else the first digit that differs */
			while (i < na && a[i] == '0' && i + 1 < na && ascii_digit(a[i + 1]))
				i++;
			while (j < nb && b[j] == '0' && j + 1 < nb && ascii_digit(b[j + 1]))
				j++;
			size_t ei = i, ej = j;
			while (ei < na && ascii_digit(a[ei]))
				ei++;
			while (ej < nb && ascii_digit(b[ej]))
				ej++;
			if (ei - i != ej - j)
				return ei - i < ej - j ? -1 : 1;
			int c = memcmp(a + i, b + j, ei - i);
			if (c != 0)
				return c < 0 ? -1 : 1;
			i = ei;
			j = ej;
			continue;
		}
		if (a[i] != b[j])
			return (unsigned char)a[i] < (unsigned char)b[j] ? -1 : 1;
		i++;
		j++;
	}
	if (i < na || j < nb)
		return i < na ? 1 : -1;
	/* the same to a reader ("Door 02", "Door 2"): bytes decide */
	int c = memcmp(a, b, na < nb ? na : nb);
	if (c != 0)
		return c < 0 ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

void
util_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

int
util_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t stops, was;
	util_stop_signals(&stops);
	pthread_sigmask(SIG_BLOCK, &stops, &was); /* the new thread inherits it */
	int rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	return rc;
}

int
util_parse_listen(const char *text, struct sockaddr_in *sa, char **cause)
{
	const char *colon = strrchr(text, ':');
	const char *port = colon ? colon + 1 : text;
	size_t alen = colon ? (size_t)(colon - text) : 0;
	char addr[64], *end = NULL;

	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	errno = 0;
	long p = port[0] >= '0' && port[0] <= '9' ? strtol(port, &end, 10) : -1;
	if (p < 0 || p > 65535 || errno != 0 || end == NULL || *end != '\0')
		return util_fail(cause, "listen address '%s': expected ADDR:PORT, PORT or :PORT "
		    "with a port from 0 to 65535", text);
	sa->sin_port = htons((uint16_t)p);
	if (alen >= sizeof addr)
		return util_fail(cause, "listen address '%s': not an IPv4 address", text);
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	if (alen == 0 || strcmp(addr, "*") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(addr, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, addr, &sa->sin_addr) != 1)
		return util_fail(cause, "listen address '%s': '%s' is not an IPv4 address such "
		    "as 0.0.0.0 or 192.168.1.10", text, addr);
	return 0;
}

static bool
same_file(const struct stat *x, const struct stat *y)
{
	return x->st_ino == y->st_ino && x->st_dev == y->st_dev && x->st_size == y->st_size &&
	    x->st_mtim.tv_sec == y->st_mtim.tv_sec && x->st_mtim.tv_nsec == y->st_mtim.tv_nsec;
}

void
util_watch_start(struct util_watch *w, const char *path)
{
	memset(w, 0, sizeof *w);
	if (stat(path, &w->taken) == 0)
		w->seen = w->taken;
}

bool
util_watch_settled(struct util_watch *w, const char *path, int64_t now, int settle_ms)
{
	struct stat st;
	if (path == NULL || stat(path, &st) != 0 || same_file(&st, &w->taken))
		return false;
	if (!same_file(&st, &w->seen)) {
		w->seen = st;
		w->seen_at = now;
		return false;
	}
	if (now - w->seen_at < settle_ms)
		return false;
	w->taken = st;
	return true;
}
