/* attend: who came, when, and how many: the figures behind `kiosk export`
 * and `kiosk stats`, computed once here so every output agrees.
 *
 * A guest attended when they have a check-in that was not undone; their
 * check-in time is the earliest such one (later ones at other doors are
 * duplicate entries). Cancelled guests are not registered and never no-shows. */
#ifndef KIOSK_ATTEND_H
#define KIOSK_ATTEND_H

#include <stddef.h>
#include <stdint.h>

#include "core/guest.h"
#include "core/store.h"

/* One guest's attendance. */
struct attend_row {
	const struct guest *guest;
	int64_t first_at;          /* 0 when not checked in */
	const char *first_kiosk;   /* "" when not checked in */
	int scans;                 /* scan attempts with this guest's code */
	int duplicate_entries;     /* entries while already inside (two doors apart) */
};

typedef int (*attend_fn)(const struct attend_row *r, void *arg);

/* Every guest with attendance, ordered by last and first name; fn returning
 * non-zero stops. Returns the number visited or -1 with *cause. */
int attend_each(struct store *s, attend_fn fn, void *arg, char **cause);

struct attend_slot {
	int64_t start;             /* ms UTC of the local quarter hour */
	int arrivals;
};

struct attend_stats {
	int registered;            /* guests not cancelled (walk-ins included) */
	int checked_in;            /* of those, with a check-in */
	int walkins;               /* walk-ins not cancelled */
	int no_shows;              /* registered minus checked in */
	int cancelled;
	int repeat_scans;          /* scans answered "already checked in" */
	int duplicate_entries;     /* admissions of a guest already inside: doors that
	                            * admitted one ticket while they could not talk */
	struct attend_slot *slots; /* arrivals per 15 minutes, no gaps, in order */
	size_t nslots;
};

/* Compute the figures. Returns 0 or -1 with *cause; attend_stats_free() after. */
int attend_stats(struct store *s, struct attend_stats *st, char **cause);
void attend_stats_free(struct attend_stats *st);

/* The few counts a kiosk shows, cheap enough for its start-up and the admin
 * screen (no per-guest work). now is ms UTC, for arrivals in the last hour. */
struct attend_counts {
	int registered;            /* guests not cancelled */
	int checked_in;            /* guests with a check-in not undone */
	int walkins;
	int last_hour;             /* check-ins in the hour before now */
};
int attend_counts(struct store *s, int64_t now, struct attend_counts *c, char **cause);

#endif
