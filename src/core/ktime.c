/* ktime: times in the event's time zone (see ktime.h). */
#include "core/ktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/util.h"

#define ZONEINFO "/usr/share/zoneinfo/"

bool
ktime_zone_valid(const char *zone)
{
	struct stat st;
	if (zone == NULL || zone[0] == '\0' || zone[0] == '/' || strstr(zone, "..") != NULL ||
	    strlen(zone) > 64)
		return false;
	char *path = xasprintf(ZONEINFO "%s", zone);
	bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

int
ktime_set_zone(const char *zone, char **cause)
{
	if (!ktime_zone_valid(zone))
		return util_fail(cause, "unknown time zone '%s' (is the tzdata package installed?)",
		    zone ? zone : "");
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

int
ktime_from_local(int year, int mon, int day, int hour, int min, int64_t *out)
{
	struct tm tm = { 0 };
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t * 1000;
	return 0;
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
