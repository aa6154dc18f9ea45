/* tally: the door's idle-screen figures (checked in, registered, walk-ins,
 * the last hour), counted on a thread of its own.
 *
 * Other doors' check-ins come in through sync, or another program on the
 * same file: the door counts again whenever the file changed. At 100,000
 * guests that count takes 60 to 200 ms, and on the screen's thread it held
 * a scan's result for as long, every 2 s while other doors synced. Here a
 * thread with its own read connection looks every every_ms and counts when
 * the file changed (the door's own commits included); the screen takes the
 * figures when there are new ones. */
#ifndef KIOSK_UI_TALLY_H
#define KIOSK_UI_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/door.h"

struct tally;

/* Start counting the event at db_path. NULL with *cause when its
 * connection cannot be opened (the caller then counts on its own). */
struct tally *tally_start(const char *db_path, int64_t every_ms, char **cause);

/* The event is one of days, or no longer ([checkin] each_day, or the
 * hub's word): "in the last hour" counts each day's first admissions. A
 * change counts again. NULL is fine. */
void tally_set_each_day(struct tally *t, bool each_day);

/* Count now: the door changed something (a check-in, a walk-in, an undo)
 * or a sync brought news. A count under way, begun before, is dropped:
 * it could be one fewer than the door counted itself. NULL is fine. */
void tally_kick(struct tally *t);

/* A scan is coming in (a scanner's keys): no count starts for ms from now.
 * SDL stamps a key when the screen's thread reads it, and a count beside
 * it on a busy two-core laptop could delay that enough to split a code. */
void tally_quiet(struct tally *t, int64_t ms);

/* New figures since the last take: true and *out; false when none. */
bool tally_take(struct tally *t, struct door_stats *out);

/* Stop the thread and free it (NULL is fine). */
void tally_stop(struct tally *t);

#endif
