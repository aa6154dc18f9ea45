/* checkin: the decision at the door.
 *
 * checkin_decide() is the whole rule book as one pure function of facts
 * (what the code is, who it belongs to, what that guest did before) and the
 * kiosk's policy; checkin_scan() gathers the facts from the store, decides,
 * and records the result: the check-in (or exit) and an audit row for every
 * scan, in one transaction. It returns only after that transaction is
 * committed, so a kiosk that shows "admitted" has it on disk.
 *
 * Order of the rules, first match wins:
 *   not a code at all                      -> INVALID
 *   code of ours for another event         -> OTHER_EVENT
 *   no such code                           -> UNKNOWN
 *   ticket cancelled                       -> CANCELLED
 *   exit mode: inside -> EXITED, else NOT_INSIDE
 *   ticket type not admitted at this kiosk -> WRONG_DOOR (a walk-in this
 *     kiosk registered without a type passes: its form asks for none)
 *   a day ticket (ticket_days) on another day -> WRONG_DAY (before the
 *     hours: a Day 2 ticket at 08:00 on day 1 is not told to wait)
 *   before open_from / after open_until    -> TOO_EARLY / TOO_LATE (the
 *     dated ones, or now's day's opening and closing hours)
 *   checked in before: re-entry allowed and guest went out -> ADMITTED
 *                      otherwise           -> ALREADY (first check-in's time and kiosk)
 *   otherwise                              -> ADMITTED */
#ifndef KIOSK_CHECKIN_H
#define KIOSK_CHECKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/guest.h"
#include "core/store.h"

/* The same badge read again this soon after its admission at the same door
 * is one scan: a scanner's double read (a bounce, a second trigger). The
 * door keeps its green answer; the figures do not count it as a repeat.
 * Short enough that a second person with a copy of the QR code is not
 * waved through on the first one's green. */
#define CHECKIN_ECHO_MS 1000

enum checkin_result {
	CHECKIN_ADMITTED,
	CHECKIN_ALREADY,
	CHECKIN_UNKNOWN,
	CHECKIN_OTHER_EVENT,
	CHECKIN_CANCELLED,
	CHECKIN_WRONG_DOOR,
	CHECKIN_TOO_EARLY,
	CHECKIN_TOO_LATE,
	CHECKIN_EXITED,
	CHECKIN_NOT_INSIDE,
	CHECKIN_INVALID,
	CHECKIN_WRONG_DAY,
};
/* How many results there are: keep it the last one's + 1. */
#define CHECKIN_RESULTS (CHECKIN_WRONG_DAY + 1)

/* The kiosk's rules, from kiosk.conf. */
struct checkin_policy {
	bool exit_mode;              /* this kiosk records exits */
	bool reentry;                /* guests may leave and come back */
	bool each_day;               /* an event of days: a ticket gets in once a
	                              * day (the event's zone), the earlier days'
	                              * admissions and exits left aside */
	const char *const *admit_types; /* ticket types admitted here; none = all */
	size_t n_admit_types;
	int64_t open_from;           /* ms UTC; 0 = no limit */
	int64_t open_until;          /* ms UTC; 0 = no limit */
	int daily_from;              /* an event of days' every-day opening: minutes
	                              * after midnight, plus 1 (event zone); 0 = none
	                              * (then open_from, if any) */
	int daily_until;             /* every day's closing, the same way */
	const char *const *ticket_days; /* "TYPE: YYYY-MM-DD" items (conf_ticket_day):
	                              * a type named gets in on its days only */
	size_t n_ticket_days;
};

/* What is known when a code is scanned. */
struct checkin_facts {
	bool valid;                  /* the input is a code at all */
	bool other_event;            /* our format with another event's tag */
	bool found;                  /* a guest has this code */
	bool cancelled;
	const char *ticket_type;
	bool walkin;                 /* a walk-in this kiosk registered (source
	                              * "walkin", written by this kiosk) */
	int ins;                     /* check-ins not undone */
	bool inside;
};

/* Where the admissions and exits that count at now start (guest_state's
 * since): at an event of days (each_day), the start of now's day in the
 * event's zone; else 0, all of them. */
int64_t checkin_counted_since(bool each_day, int64_t now);

/* The days a ticket of this type is for, as "2026-07-01, 2026-07-02", in
 * out (size bytes; cut short at a whole day); "" when ticket_days names
 * it on none (it is for every day). Returns out. */
const char *checkin_ticket_days(const struct checkin_policy *p, const char *type, char *out,
    size_t size);

struct conf;

/* kiosk.conf's rules for this door into *p, which points into cf (cf must
 * outlive it): its mode, reentry, admit_types, ticket_days and the hours,
 * dated or of every day; each_day as given (the event's, store_each_day).
 * Returns 0, or -1 with *cause when open_from or open_until is no time
 * (conf_check refuses such a file). One place for the door and the CLI. */
int checkin_policy_from_conf(const struct conf *cf, bool each_day, struct checkin_policy *p,
    char **cause);

/* The opening and closing that hold at now (ms UTC, 0: none): the dated
 * open_from and open_until, or now's day's hours (daily_from, daily_until). */
void checkin_window(const struct checkin_policy *p, int64_t now, int64_t *from, int64_t *until);

/* The rule book. Pure: no I/O, no clock (now's day is read in the
 * event's zone, ktime). */
enum checkin_result checkin_decide(const struct checkin_facts *f,
    const struct checkin_policy *p, int64_t now);

/* Whether a result lets the guest through (green). */
bool checkin_result_ok(enum checkin_result r);

/* Stable name for JSON and the audit table: "admitted", "already_checked_in",
 * "unknown_code", "other_event", "cancelled", "wrong_door", "too_early",
 * "too_late", "exited", "not_inside", "invalid_code", "wrong_day". */
const char *checkin_result_name(enum checkin_result r);

/* Plain words for door staff and the guest ("This ticket was cancelled."). */
const char *checkin_result_text(enum checkin_result r);

/* What a scan came to. Owned by the caller: checkin_outcome_clear(). */
struct checkin_outcome {
	enum checkin_result result;
	bool has_guest;
	struct guest guest;          /* when has_guest */
	int64_t at;                  /* this scan's time */
	int64_t first_at;            /* ALREADY: first check-in's time;
	                              * checkin_undo: the undone one's */
	char first_kiosk[256];       /* and its kiosk (as guest_state's) */
	char checkin_uuid[40];       /* ADMITTED/EXITED: the row written */
	bool arrival;                /* ADMITTED: the guest's first admission not
	                              * undone, not a re-entry; checkin_undo: the
	                              * admission undone was their only one, so
	                              * they are no longer checked in. What a
	                              * door's "checked in" count follows. */
	bool first_today;            /* ADMITTED: at an event of days (each_day),
	                              * the guest's first admission that day; else
	                              * as arrival. The door's "today" follows it. */
	char *detail;                /* INVALID: why; WRONG_DOOR: the ticket type;
	                              * WRONG_DAY: the days it is for, "2026-07-01"
	                              * or "2026-06-30, 2026-07-01" */
	int64_t opens_at;            /* TOO_EARLY: when the entrance opens */
	bool ours;                   /* UNKNOWN: a code kiosk makes, for this event
	                              * (its tag, a good check character): made at
	                              * another door or on the hub, and not here yet */
};

void checkin_outcome_clear(struct checkin_outcome *o);

/* Scan raw input (as typed by a scanner, len bytes) at kiosk at time now.
 * Returns 0 with *o filled once everything is committed, or -1 with *cause
 * when it could not be recorded: then nothing was admitted and the door
 * must say so. */
int checkin_scan(struct store *s, const char *input, size_t len, const char *kiosk,
    const struct checkin_policy *p, int64_t now, struct checkin_outcome *o, char **cause);

/* Undo the latest check-in of the guest with this code (a mis-scan): an undo
 * row is written, nothing erased. Only one at or after since (0: any; at an
 * event of days, the day's start: an earlier day's attendance is no
 * mis-scan). Returns 0 with *o (result ADMITTED undone: o->checkin_uuid
 * names the undone row), 1 when the guest has no check-in to undo, -1 with
 * *cause (unknown code, database error). */
int checkin_undo(struct store *s, const char *code, const char *kiosk, int64_t now,
    int64_t since, struct checkin_outcome *o, char **cause);

/* Undo the one admission checkin_uuid of the guest with this code: what a
 * door's Undo means, the admission on its screen, though a sync may have
 * brought another door's later admission of the same ticket meanwhile
 * (undoing that one instead would erase the record of a second entry and
 * leave the mis-tap standing). Returns as checkin_undo; 1 when that
 * admission is not the guest's or was undone already (at another door). */
int checkin_undo_admission(struct store *s, const char *code, const char *checkin_uuid,
    const char *kiosk, int64_t now, struct checkin_outcome *o, char **cause);

#endif
