/* ktime: times in the event's time zone (see ktime.h). */
#include "core/ktime.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

#define KTIME_ZONE_MAX 255 /* longest time zone name taken */

/* A name that can only mean a file inside the zoneinfo folder: parts of
 * letters, digits, '_', '-', '+' and '.', never "." or "..". */
bool
ktime_zone_name_ok(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > KTIME_ZONE_MAX || v[0] == '/' || v[n - 1] == '/')
		return false;
	for (const char *part = v; part != NULL;) {
		const char *slash = strchr(part, '/');
		size_t w = slash ? (size_t)(slash - part) : strlen(part);
		if (w == 0 || (w == 1 && part[0] == '.') ||
		    (w == 2 && part[0] == '.' && part[1] == '.'))
			return false;
		for (size_t i = 0; i < w; i++) {
			unsigned char ch = (unsigned char)part[i];
			if (!isalnum(ch) && ch != '_' && ch != '-' && ch != '+' && ch != '.')
				return false;
		}
		part = slash ? slash + 1 : NULL;
	}
	return true;
}

static const char *
zone_dir(void)
{
	/* glibc looks in TZDIR first; accept exactly what it will load. */
	const char *d = getenv("TZDIR");
	return d != NULL && *d != '\0' ? d : "/usr/share/zoneinfo";
}

/* A compiled zone: a regular file that starts "TZif". */
static bool
is_zone_file(const char *path)
{
	char magic[4];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "TZif", sizeof magic) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The entry of folder dir/sub named name, case aside, that is a zone file
 * (or, for want_dir, a folder), for the caller to free; NULL when none. */
static char *
entry_like(const char *dir, const char *sub, const char *name, bool want_dir)
{
	char *folder = sub ? xasprintf("%s/%s", dir, sub) : xstrdup(dir), *found = NULL;
	DIR *d = opendir(folder);
	struct dirent *e;
	while (d != NULL && found == NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcasecmp(e->d_name, name) != 0)
			continue;
		char *path = xasprintf("%s/%s", folder, e->d_name);
		struct stat st;
		if (want_dir ? stat(path, &st) == 0 && S_ISDIR(st.st_mode) : is_zone_file(path))
			found = xstrdup(e->d_name);
		free(path);
	}
	if (d != NULL)
		closedir(d);
	free(folder);
	return found;
}

/* What a newcomer meant by a zone glibc does not know: the same name in
 * other case (Europe/brussels, utc), or a city without its region
 * (Brussels), when exactly one zone is that, for the caller to free.
 * NULL: no guess. */
static char *
zone_like(const char *dir, const char *name)
{
	const char *slash = strrchr(name, '/');
	if (slash != NULL) {
		char *area = xstrndup(name, (size_t)(slash - name)), *a = NULL, *city = NULL;
		char *guess = NULL;
		/* one level of region, as nearly every zone has */
		if (strchr(area, '/') == NULL && (a = entry_like(dir, NULL, area, true)) != NULL &&
		    (city = entry_like(dir, a, slash + 1, false)) != NULL)
			guess = xasprintf("%s/%s", a, city);
		free(area);
		free(a);
		free(city);
		return guess;
	}
	char *guess = entry_like(dir, NULL, name, false);
	if (guess != NULL)
		return guess;
	int found = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		/* posix/ and right/ hold the same zones again */
		if (e->d_name[0] == '.' || strcmp(e->d_name, "posix") == 0 ||
		    strcmp(e->d_name, "right") == 0)
			continue;
		char *city = entry_like(dir, e->d_name, name, false);
		if (city != NULL && found++ == 0)
			guess = xasprintf("%s/%s", e->d_name, city);
		free(city);
	}
	if (d != NULL)
		closedir(d);
	if (found != 1) {
		free(guess);
		guess = NULL;
	}
	return guess;
}

/* What a zone's name looks like, for a name that is not of that shape
 * and resembles no zone: one that does gets "did you mean" instead, never
 * both. */
#define KTIME_ZONE_HINT "(a name like Europe/Brussels)"

static int
zone_unknown(const char *dir, const char *name, char **cause)
{
	char *guess = zone_like(dir, name);
	if (guess != NULL)
		util_fail(cause, "unknown time zone '%s'; did you mean %s?", name, guess);
	else if (strchr(name, '/') == NULL)
		util_fail(cause, "unknown time zone '%s' " KTIME_ZONE_HINT, name);
	else /* an Area/City name already: a hint would name the one missing */
		util_fail(cause, "unknown time zone '%s'", name);
	free(guess);
	return -1;
}

int
ktime_zone_check(const char *name, char **cause)
{
	if (!ktime_zone_name_ok(name))
		return util_fail(cause, "unknown time zone '%s' " KTIME_ZONE_HINT, name);
	const char *dir = zone_dir();
	struct stat st;

	if (stat(dir, &st) != 0)
		return util_fail(cause, "cannot check time zone '%s': %s: %s (install tzdata)",
		    name, dir, strerror(errno));
	/* The file must be a compiled zone (it starts "TZif"): the zoneinfo
	 * folder also holds zone.tab and the like, which glibc would take as
	 * no zone at all, silently giving UTC. */
	char *path = xasprintf("%s/%s", dir, name);
	bool zone = is_zone_file(path);
	free(path);
	return zone ? 0 : zone_unknown(dir, name, cause);
}

int
ktime_set_zone(const char *zone, char **cause)
{
	if (zone == NULL || ktime_zone_check(zone, cause) != 0)
		return zone == NULL ? util_fail(cause, "no time zone") : -1;
	/* ":Zone" makes glibc read the zone file rather than parse a POSIX rule. */
	char *tz = xasprintf(":%s", zone);
	setenv("TZ", tz, 1);
	free(tz);
	tzset();
	return 0;
}

static void
local_tm(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	localtime_r(&t, tm);
}

void
ktime_iso(int64_t ms, char out[static KTIME_BUF])
{
	struct tm tm;
	local_tm(ms, &tm);
	int off = (int)(tm.tm_gmtoff % 86400);
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(out, KTIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, sign, off / 3600, off % 3600 / 60);
}

void
ktime_local(int64_t ms, char out[static KTIME_BUF])
{
	struct tm tm;
	local_tm(ms, &tm);
	snprintf(out, KTIME_BUF, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void
ktime_clock(int64_t ms, char out[static KTIME_BUF])
{
	struct tm tm;
	local_tm(ms, &tm);
	snprintf(out, KTIME_BUF, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void
ktime_when(int64_t ms, int64_t now, char out[static KTIME_BUF])
{
	struct tm a, b;
	local_tm(ms, &a);
	local_tm(now, &b);
	/* A time more than a minute ahead (stamped by a clock that ran fast)
	 * gets its date too: "21:00" at 19:00 reads as one yet to come. */
	if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday && ms <= now + 60 * 1000)
		ktime_clock(ms, out);
	else
		ktime_local(ms, out);
	ktime_mark_repeated(ms, out);
}

void
ktime_ahead(int64_t ms, int64_t now, char out[static KTIME_BUF])
{
	struct tm a, b;
	local_tm(ms, &a);
	local_tm(now, &b);
	if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
		ktime_clock(ms, out);
	else
		ktime_local(ms, out);
	ktime_mark_repeated(ms, out);
}

/* Is the local minute of ms shown twice (the hour repeated when summer
 * time ends)? It is when, within three hours, the UTC offset falls by d
 * and ms - d or ms + d shows the same minute. */
static bool
repeated(int64_t ms)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm now, other;
	localtime_r(&t, &now);
	for (int side = -1; side <= 1; side += 2) {
		time_t far = t + side * 3 * 3600;
		localtime_r(&far, &other);
		long d = side < 0 ? other.tm_gmtoff - now.tm_gmtoff : now.tm_gmtoff - other.tm_gmtoff;
		if (d <= 0)
			continue;
		time_t twin = t + side * d;
		localtime_r(&twin, &other);
		if (other.tm_year == now.tm_year && other.tm_yday == now.tm_yday &&
		    other.tm_hour == now.tm_hour && other.tm_min == now.tm_min)
			return true;
	}
	return false;
}

void
ktime_mark_repeated(int64_t ms, char out[static KTIME_BUF])
{
	if (!repeated(ms))
		return;
	char iso[KTIME_BUF];
	ktime_iso(ms, iso);
	size_t n = strlen(out), m = strlen(iso);
	snprintf(out + n, KTIME_BUF - n, " %s", m >= 6 ? iso + m - 6 : "");
}

/* The wall time t shows, as one number to compare (YYYYMMDDhhmmss). */
static int64_t
wall_at(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	return ((((int64_t)(tm.tm_year + 1900) * 100 + tm.tm_mon + 1) * 100 + tm.tm_mday) *
	    1000000LL) + tm.tm_hour * 10000 + tm.tm_min * 100 + tm.tm_sec;
}

/* One fixed answer whatever mktime last saw (with tm_isdst = -1 glibc
 * resolves a repeated hour by its previous call: open_until meant one
 * 02:30 alone and the other after open_from): the first moment the wall
 * clock shows the time. A time repeated when summer time ends is its
 * first showing; one skipped when it starts is the moment the clock jumps
 * past it (02:30 that night opens at 03:00). */
int
ktime_from_local(int year, int mon, int day, int hour, int min, int64_t *out)
{
	time_t cand[2];
	int64_t want = (((int64_t)year * 100 + mon) * 100 + day) * 1000000LL + hour * 10000 +
	    min * 100;
	for (int dst = 0; dst < 2; dst++) {
		struct tm tm = { 0 };
		tm.tm_year = year - 1900;
		tm.tm_mon = mon - 1;
		tm.tm_mday = day;
		tm.tm_hour = hour;
		tm.tm_min = min;
		tm.tm_isdst = dst;
		cand[dst] = mktime(&tm);
		if (cand[dst] == (time_t)-1)
			return -1;
	}
	time_t lo = cand[0] < cand[1] ? cand[0] : cand[1];
	time_t hi = cand[0] < cand[1] ? cand[1] : cand[0];
	if (wall_at(lo) == want) {
		*out = (int64_t)lo * 1000;
		return 0;
	}
	if (wall_at(hi) == want) {
		*out = (int64_t)hi * 1000;
		return 0;
	}
	/* Skipped: the first second whose wall time is past it. */
	if (wall_at(hi) < want)
		return -1;
	while (hi - lo > 1) {
		time_t mid = lo + (hi - lo) / 2;
		if (wall_at(mid) >= want)
			hi = mid;
		else
			lo = mid;
	}
	*out = (int64_t)hi * 1000;
	return 0;
}

int64_t
ktime_day_start(int64_t ms)
{
	struct tm tm;
	int64_t start;
	local_tm(ms, &tm);
	if (ktime_from_local(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 0, &start) != 0 ||
	    start > ms)
		return ms - (int64_t)(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) * 1000 -
		    (ms % 1000 + 1000) % 1000;
	return start;
}

int
ktime_day(int64_t ms)
{
	struct tm tm;
	local_tm(ms, &tm);
	return ((tm.tm_year + 1900) * 100 + tm.tm_mon + 1) * 100 + tm.tm_mday;
}

const char *
ktime_day_text(int day, char out[static KTIME_BUF])
{
	snprintf(out, KTIME_BUF, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
	return out;
}

int64_t
ktime_slot15(int64_t ms)
{
	struct tm tm;
	local_tm(ms, &tm);
	/* Zones have offsets in whole quarters of an hour (India's +05:30,
	 * Nepal's +05:45 included), so slots can be cut in UTC after shifting. */
	int64_t off = (int64_t)tm.tm_gmtoff * 1000, q = 15 * 60 * 1000;
	int64_t local = ms + off;
	int64_t slot = local >= 0 ? local / q * q : -((-local + q - 1) / q) * q;
	return slot - off;
}
