/* attend: who came, when, and how many: the figures behind `kiosk export`
 * and `kiosk stats`, computed once here so every output agrees.
 *
 * A guest attended when they have a check-in that was not undone; their
 * check-in time is the earliest such one (later ones at other doors are
 * duplicate entries).
 *
 * Cancelled tickets (attend_counted()): a guest cancelled who never came is
 * on no list and in no figure but "cancelled"; they are not registered and
 * never a no-show. A guest who came and whose ticket was cancelled since (a
 * refund after the event, a cancellation on the hub that crossed an
 * admission at a door) was there: they stay registered, checked in, on the
 * export (with cancelled = yes) and in the arrivals, and are also counted
 * apart as cancelled_after_checkin. So registered + cancelled is every guest,
 * and checked_in + no_shows is registered, whatever was cancelled when. */
#ifndef KIOSK_ATTEND_H
#define KIOSK_ATTEND_H

#include <stdbool.h>
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
	int days;                  /* at an event of days (store_each_day), the days
	                            * with an admission; else 0 */
};

typedef int (*attend_fn)(const struct attend_row *r, void *arg);

/* Whether a guest is in the figures and on the export at all: every guest
 * not cancelled, and a cancelled one who came (see the top of this file). */
bool attend_counted(bool cancelled, bool attended);

/* Every guest with attendance, ordered by last and first name; fn returning
 * non-zero stops. Returns the number visited or -1 with *cause. */
int attend_each(struct store *s, attend_fn fn, void *arg, char **cause);

/* The lists organisers ask for, in one place so that every export format
 * lists the same guests. Only counted guests are on them (attend_counted():
 * a guest cancelled after they came is, a guest cancelled who never came is
 * on none). */
enum attend_list {
	ATTEND_LIST_ALL,           /* every counted guest */
	ATTEND_LIST_NO_SHOWS,      /* not cancelled, never checked in */
	ATTEND_LIST_WALK_INS,      /* counted, registered at the door */
};

/* Whether the guest of r belongs on list. */
bool attend_listed(const struct attend_row *r, enum attend_list list);

struct attend_slot {
	int64_t start;             /* ms UTC of the local quarter hour */
	int arrivals;
};

struct attend_stats {
	int registered;            /* counted guests (walk-ins included): not
	                            * cancelled, or cancelled after they came */
	int checked_in;            /* of those, with a check-in */
	int walkins;               /* counted walk-ins */
	int walkins_alike;         /* of those, the ones that share their name
	                            * (folded) or e-mail with another: one
	                            * person registered at two doors that could
	                            * not talk is two guests, never merged */
	int no_shows;              /* registered minus checked in */
	int cancelled;             /* cancelled and never came: not registered */
	int cancelled_after_checkin; /* came, cancelled since: registered and
	                            * checked in too */
	int repeat_scans;          /* scans answered "already checked in", but a
	                            * scanner's double read of an admission
	                            * (CHECKIN_ECHO_MS), which the door showed
	                            * green */
	int duplicate_entries;     /* admissions of a guest already inside: doors that
	                            * admitted one ticket while they could not talk */
	struct attend_slot *slots; /* arrivals per 15 minutes, no gaps, in order */
	size_t nslots;             /* at most ATTEND_SLOTS_MAX */
	int outside;               /* arrivals not in slots: further than that from the
	                            * most (a test scan weeks before, a wrong clock) */
	struct attend_day *days;   /* at an event of days (store_each_day): who came
	                            * each day, in order; else NULL */
	size_t ndays;
};

/* One day of an event of days: the guests admitted that day. */
struct attend_day {
	int day;                   /* YYYYMMDD in the event's zone (ktime_day) */
	int came;
};

#define ATTEND_SLOTS_MAX (4 * 24 * 31) /* a month of quarter hours */

/* Compute the figures. Runs in the caller's read transaction when one is
 * open (so that they agree with the rows the caller reads in it), else in
 * one of its own. Returns 0 or -1 with *cause; attend_stats_free() after. */
int attend_stats(struct store *s, struct attend_stats *st, char **cause);
void attend_stats_free(struct attend_stats *st);

/* One ticket type's figures. type is "" for guests without one; it belongs
 * to attend_by_type and is valid during the callback only. */
struct attend_type {
	const char *type;
	int registered;            /* counted guests of this type */
	int checked_in;            /* of those, with a check-in not undone */
};

typedef int (*attend_type_fn)(const struct attend_type *t, void *arg);

/* Every ticket type with a counted guest, ordered by type (bytewise,
 * so "" comes first); fn returning non-zero stops. Counts agree with
 * attend_stats: the registered and checked_in of all types add up to its.
 * Returns the number of types visited or -1 with *cause. */
int attend_by_type(struct store *s, attend_type_fn fn, void *arg, char **cause);

/* A duplicate entry: a guest admitted again while already inside (no exit
 * between), which happens when two doors could not talk. Strings belong to
 * attend_duplicates and are valid during the callback only. */
struct attend_dupe {
	const char *name;          /* "First Last" */
	const char *code;
	int64_t first_at;          /* the admission that counts */
	const char *first_kiosk;
	int64_t later_at;          /* the duplicate */
	const char *later_kiosk;
};

typedef int (*attend_dupe_fn)(const struct attend_dupe *d, void *arg);

/* The latest duplicate entries, newest first, at most limit; fn returning
 * non-zero stops. Returns the number visited or -1 with *cause. */
int attend_duplicates(struct store *s, int limit, attend_dupe_fn fn, void *arg,
    char **cause);

/* The few counts a kiosk shows, cheap enough for its start-up and the admin
 * screen (no per-guest work). now is ms UTC, for arrivals in the last hour. */
struct attend_counts {
	int registered;            /* counted guests, as attend_stats */
	int checked_in;            /* of those, with a check-in not undone */
	int walkins;               /* counted walk-ins */
	int last_hour;             /* of those, first checked in in the hour before now */
	int today;                 /* at an event of days (store_each_day), of those,
	                            * admitted on now's day; else 0 */
};
/* Arrivals (first admissions, as attend_stats and attend_counts count them)
 * per quarter hour from `from` (ms UTC, a start of ktime_slot15): out[i] for
 * the i-th of n quarters. Unlike attend_stats' slots, which keep to the month
 * with the most arrivals, these are every arrival in the window: for "the
 * last three hours" while a long event runs. Returns 0 or -1 with *cause. */
int attend_arrivals_from(struct store *s, int64_t from, int *out, size_t n, char **cause);

/* Counted in one snapshot: the caller's read transaction when one is open,
 * else one of its own. Returns 0 or -1 with *cause. */
int attend_counts(struct store *s, int64_t now, struct attend_counts *c, char **cause);

#endif
