/* ktime: times in the event's time zone.
 *
 * Times are stored as milliseconds since the epoch, UTC. People read them in
 * the event's zone (an organiser in Antwerp reads 19:02, not 17:02Z), so a
 * process sets the event zone once, right after opening the event, and every
 * formatting call uses it. This uses the C library's TZ machinery, which is
 * process-wide: set it before starting threads. */
#ifndef KIOSK_KTIME_H
#define KIOSK_KTIME_H

#include <stdbool.h>
#include <stdint.h>

#define KTIME_BUF 64

/* True when zone has the shape of an IANA name: only a file inside the
 * zoneinfo folder (not absolute, no "." or ".." part). */
bool ktime_zone_name_ok(const char *zone);
/* 0 when zone is an IANA name the system knows: that shape, and a compiled
 * zone file in $TZDIR or /usr/share/zoneinfo, as glibc will load it; else
 * -1 with *cause, which says what to write ("unknown time zone 'Brussels';
 * did you mean Europe/Brussels?", "unknown time zone 'CET+1' (a name like
 * Europe/Brussels)"). */
int ktime_zone_check(const char *zone, char **cause);

/* Make zone the process's local zone. Returns 0, or -1 with *cause. */
int ktime_set_zone(const char *zone, char **cause);

/* ISO 8601 with the local offset: "2026-06-30T19:02:11+02:00". */
void ktime_iso(int64_t ms, char out[KTIME_BUF]);
/* "2026-06-30 19:02" local. */
void ktime_local(int64_t ms, char out[KTIME_BUF]);
/* "19:02" local. */
void ktime_clock(int64_t ms, char out[KTIME_BUF]);
/* ms as people at the door read it beside now: "19:02" on now's local
 * day, "2026-06-29 19:02" on another, or more than a minute ahead of now
 * (a first check-in two days ago at 17:40 is not "17:40", which reads as
 * today's, nor one a fast clock stamped at 21:00, one yet to come); in
 * the hour shown twice when summer time ends, with its offset
 * ("02:50 +02:00" at 02:10 +01:00 is not 40 minutes ahead). */
void ktime_when(int64_t ms, int64_t now, char out[KTIME_BUF]);
/* A time to come (when an entrance opens) as people at the door read it
 * beside now: "20:00" on now's local day, "2026-07-01 09:00" on another;
 * in the hour shown twice, with its offset. ktime_when dates every time
 * ahead, which is right for a stamp (a fast clock's) but made "Opens at
 * 20:00" read "Opens at 2026-06-30 20:00" at 19:00 that day. */
void ktime_ahead(int64_t ms, int64_t now, char out[KTIME_BUF]);
/* Append " +02:00", ms's UTC offset, to a time ktime_clock or ktime_local
 * wrote into out, when that local time is shown twice (the hour repeated
 * when summer time ends); else leave out as it is. */
void ktime_mark_repeated(int64_t ms, char out[KTIME_BUF]);

/* Local wall time to UTC ms, in the process zone: the first moment the
 * clock shows it (in the hour repeated when summer time ends, its first
 * showing; in the hour skipped when it starts, the moment the clock jumps
 * past it). -1 on error. */
int ktime_from_local(int year, int mon, int day, int hour, int min, int64_t *out);

/* Start of the local 15-minute slot holding ms. */
int64_t ktime_slot15(int64_t ms);

/* The local calendar day holding ms: its first moment (midnight, or the
 * moment the clock jumps past it), and its number YYYYMMDD. */
int64_t ktime_day_start(int64_t ms);
int ktime_day(int64_t ms);
/* A ktime_day as people read it, "2026-06-30", into out; returns out. */
const char *ktime_day_text(int day, char out[KTIME_BUF]);

#endif
