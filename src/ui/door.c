/* door: what the kiosk shows and does (rules in door.h). */
#include "ui/door.h"
#include "ui/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/code.h"
#include "core/guest.h"
#include "core/throttle.h"
#include "core/util.h"

#define NOTICE_MS 4000
#define UNDO_CONFIRM_MS 15000
#define STAFF_OPEN_MS 60000 /* [kiosk] staff_pin: the PIN opens staff's screens this long */
#define TYPED_MS 5000       /* keys typed aside, with no more after them, are stale */
#define FORM_KEPT_MS 300000 /* a walk-in form kept for staff's PIN, this long at most */

struct door {
	const struct door_ops *ops;
	void *ctx;
	struct door_config cfg;
	int home_language;              /* kiosk.conf's; a guest's pick lasts one visit */

	enum door_screen screen;
	uint32_t since;                 /* when this screen was entered */
	uint32_t touched;               /* last thing a person did */

	struct checkin_outcome outcome; /* RESULT, UNDO */
	bool has_outcome;
	bool can_undo;
	/* Undo questions a scan came in the middle of: the next guest's
	 * answer first, then the question again, the latest first (they walk
	 * in meanwhile; the mis-scan they interrupted stays to be undone). */
	struct checkin_outcome held[DOOR_HELD_MAX];
	int nheld;
	char *failure;                  /* FAILED */

	char query[DOOR_FIELD_MAX + 1];
	struct door_hit hits[DOOR_HITS];
	int nhits;
	bool hits_more;                 /* fewer listed, but more may match */
	bool keys_typed;                /* a real keyboard typed since the screen was
	                                 * last touched: no on-screen keyboard */
	int selected;

	char fields[4][DOOR_FIELD_MAX + 1];
	const char *field_ptrs[4];
	int focus;
	enum door_screen resume_to;     /* WALKIN, SEARCH, CONFIRM or WALKIN_DONE a scan
	                                 * came in the middle of, back to it after the
	                                 * answer (resume_waits); IDLE: none */
	uint32_t resume_touched;        /* when staff last touched it (resume_due) */
	bool listed_told;               /* "on the list already" said for these fields, */
	bool listed_name;               /* of this name (not only this e-mail) */
	char *walkin_code;

	char pin[DOOR_PIN_MAX + 1];
	enum door_screen after_pin;     /* where the right PIN leads: ADMIN, SEARCH, WALKIN */
	bool staff_in;          /* the PIN given ([kiosk] staff_pin), */
	uint32_t staff_at;      /* when: it opens staff's screens for a minute */
	bool pin_long;          /* more digits typed than a PIN has, or letters: no try */
	char typed[DOOR_FIELD_MAX + 1]; /* staff_pin, closed: keys typed, read as a code */
	uint32_t typed_at;      /* the last of them */
	uint32_t pin_at;        /* the last digit typed on the PIN pad */
	bool form_kept;         /* staff_pin, closed: a walk-in form a scan interrupted, */
	uint32_t form_kept_at;  /* kept for Walk-in and the PIN, since */
	bool pin_wrong;
	int pin_failures;       /* wrong PINs in a row */
	bool pin_locked;        /* closed until pin_open_at (throttle_pin_wait_ms) */
	uint32_t pin_open_at;
	int pin_wait_s;         /* seconds of that left, as last ticked */

	struct door_stats stats;
	const char *notice;
	uint32_t notice_until;
	uint32_t notice_at;     /* when it was given: it goes with the screen then, */
	bool notice_bound;      /* unless it is news from elsewhere (door_notice) */
	bool quit;
};

static bool
due(uint32_t now, uint32_t since, uint32_t ms)
{
	return (uint32_t)(now - since) >= ms; /* wrap-safe */
}

static void home_language(struct door *d);
static void configure(struct door *d);

static bool staff_ok(const struct door *d, uint32_t now);
static void drop_held(struct door *d);
static void ask_pin(struct door *d, enum door_screen then, uint32_t now);
static void back_to(struct door *d, uint32_t now);

/* The screen of staff's a scan interrupted (resume_to) waits behind its
 * answer, an Undo of it and a PIN pad, not behind another of staff's
 * screens nor the idle screen; the walk-in form waits behind the admin
 * menu too (staff_pin: kept for Walk-in and the PIN on the way out, go). */
static bool
resume_waits(const struct door *d, enum door_screen s)
{
	return s == DOOR_RESULT || s == DOOR_FAILED || s == DOOR_UNDO || s == DOOR_PIN ||
	    (s == DOOR_ADMIN && d->resume_to == DOOR_WALKIN);
}

/* Is the minute of the screen a scan interrupted over? It runs from staff's
 * last touch, not from the scans, for every screen: guests scanning are
 * not staff at work, and a queue that scans more than once a minute kept a
 * search left open (a guest list, a "Check in?" that Enter answers), or a
 * stranger's half-typed walk-in form, on the screen for good. Staff who go
 * on typing are there: its minute starts again (door_text). The walk-in
 * form at a door of guests ([kiosk] staff_pin) is not lost then: it is kept
 * FORM_KEPT_MS for Walk-in and the PIN (go, start_walkin). */
static bool
resume_due(const struct door *d, uint32_t now)
{
	return due(now, d->resume_touched, DOOR_IDLE_TIMEOUT_MS);
}

static void
go(struct door *d, enum door_screen s, uint32_t now)
{
	/* A notice is about the screen it was given on: "check the e-mail
	 * address" must not greet the next guest on the idle screen, nor
	 * cover the PIN pad. One given on the way to this screen ("undone")
	 * is about this one. */
	if (s != d->screen && d->notice != NULL && d->notice_bound && d->notice_at != now)
		d->notice = NULL;
	d->screen = s;
	d->since = now;
	d->touched = now;
	/* keys typed aside live on the screens a guest faces */
	if (s != DOOR_IDLE && s != DOOR_RESULT && s != DOOR_FAILED)
		d->typed[0] = '\0';
	/* Back on the idle screen, the visit is over, by whichever way out
	 * (the result timing out, Enter, Escape, an undo): the next guest
	 * finds the door's own language, staff's screens closed behind the
	 * PIN again (staff_pin), no walk-in form left to come back and no
	 * Undo question held for an earlier guest. */
	if (s == DOOR_IDLE) {
		home_language(d);
		drop_held(d);
		d->staff_in = false;
		/* a form a scan interrupted, left on the way (a PIN pad for it
		 * given up): kept for Walk-in and the PIN at a door of guests */
		if (d->resume_to == DOOR_WALKIN && d->cfg.staff_pin) {
			d->form_kept = true;
			d->form_kept_at = now;
		}
	}
	if (!resume_waits(d, s))
		d->resume_to = DOOR_IDLE;
}

/* Staff at work on a screen of theirs keep their minute ([kiosk]
 * staff_pin): a walk-in typed for two minutes is still theirs. */
static void
staff_busy(struct door *d, uint32_t now)
{
	d->touched = now;
	bool theirs = d->screen == DOOR_SEARCH || d->screen == DOOR_CONFIRM ||
	    d->screen == DOOR_WALKIN || d->screen == DOOR_WALKIN_DONE || d->screen == DOOR_ADMIN;
	if (theirs && d->staff_in && !due(now, d->staff_at, STAFF_OPEN_MS))
		d->staff_at = now;
}

static void
notice(struct door *d, const char *text, uint32_t now)
{
	d->notice = text;
	d->notice_at = now;
	d->notice_bound = true;
	d->notice_until = now + NOTICE_MS;
}

static void
clear_outcome(struct door *d)
{
	if (d->has_outcome)
		checkin_outcome_clear(&d->outcome);
	d->has_outcome = false;
	d->can_undo = false;
}

/* The Undo questions held for later, let go: staff moved on to another
 * screen. */
static void
drop_held(struct door *d)
{
	while (d->nheld > 0)
		checkin_outcome_clear(&d->held[--d->nheld]);
}

static void
refresh_stats(struct door *d)
{
	if (d->ops->stats != NULL)
		d->ops->stats(d->ctx, &d->stats);
}

struct door *
door_new(const struct door_ops *ops, void *ctx, const struct door_config *cfg)
{
	struct door *d = xcalloc(1, sizeof *d);
	d->ops = ops;
	d->ctx = ctx;
	d->cfg = *cfg;
	d->home_language = cfg->language;
	d->selected = -1;
	for (int i = 0; i < 4; i++)
		d->field_ptrs[i] = d->fields[i];
	refresh_stats(d);
	return d;
}

void
door_free(struct door *d)
{
	if (d == NULL)
		return;
	clear_outcome(d);
	drop_held(d);
	free(d->failure);
	free(d->walkin_code);
	free(d);
}

static void
feedback(struct door *d, bool good)
{
	if (d->cfg.sound && d->ops->feedback != NULL)
		d->ops->feedback(d->ctx, good);
}

/* A scanner that reads one badge twice (a bounce, a second trigger) sends
 * the same code again a moment after it admitted the guest: the second
 * read is "already checked in" here, at this door. Showing it would turn
 * the guest's green screen amber as they walk in; it is recorded like any
 * scan, and the green answer stays. */
static bool
echo_of_admission(const struct door *d, const struct checkin_outcome *o, uint32_t now)
{
	return d->screen == DOOR_RESULT && d->has_outcome &&
	    d->outcome.result == CHECKIN_ADMITTED && !due(now, d->since, DOOR_ECHO_MS) &&
	    o->result == CHECKIN_ALREADY && o->has_guest && d->outcome.has_guest &&
	    strcmp(o->guest.uuid, d->outcome.guest.uuid) == 0;
}

/* Check in code and show the answer; a failure to record is FAILED. */
static void
check_in(struct door *d, const char *code, size_t len, uint32_t now)
{
	struct checkin_outcome o;
	char *cause = NULL;
	free(d->failure);
	d->failure = NULL;
	/* a PIN pad asked for an Undo: the answer it was for is gone */
	if (d->screen == DOOR_PIN && d->after_pin == DOOR_UNDO)
		d->after_pin = DOOR_ADMIN;
	if (d->screen == DOOR_UNDO && d->has_outcome) {
		if (d->nheld == DOOR_HELD_MAX) { /* the oldest goes */
			checkin_outcome_clear(&d->held[0]);
			memmove(d->held, d->held + 1, (DOOR_HELD_MAX - 1) * sizeof d->held[0]);
			d->nheld--;
		}
		d->held[d->nheld++] = d->outcome;
		memset(&d->outcome, 0, sizeof d->outcome);
		d->has_outcome = false;
	}
	if (d->ops->checkin(d->ctx, code, len, &o, &cause) != 0) {
		clear_outcome(d);
		d->notice = NULL;
		d->failure = cause ? cause : xstrdup("the check-in could not be recorded");
		go(d, DOOR_FAILED, now);
		feedback(d, false);
		return;
	}
	if (echo_of_admission(d, &o, now)) {
		checkin_outcome_clear(&o);
		return;
	}
	clear_outcome(d);
	d->outcome = o;
	d->has_outcome = true;
	d->notice = NULL; /* "scan again" was about the scan before this one */
	d->can_undo = d->outcome.result == CHECKIN_ADMITTED;
	/* Counted as attend_counts counts: a guest at their first admission,
	 * not again when they come back in (re-entry). */
	if (d->outcome.result == CHECKIN_ADMITTED && d->outcome.arrival)
		d->stats.checked_in++;
	if (d->outcome.result == CHECKIN_ADMITTED && d->outcome.first_today)
		d->stats.today++;
	go(d, DOOR_RESULT, now);
	feedback(d, checkin_result_ok(d->outcome.result));
}

/* The language a guest picked served their visit: the next guest finds the
 * door's own. */
static void
home_language(struct door *d)
{
	if (d->cfg.language == d->home_language)
		return;
	d->cfg.language = d->home_language;
	configure(d);
}

static bool aside(const struct door *d, uint32_t now);

/* Leave a result: for the idle screen, or back to the Undo question or
 * the walk-in form a scan interrupted, with what was typed in it. */
static void
leave_result(struct door *d, uint32_t now)
{
	/* Staff out ([kiosk] staff_pin, their minute over): nothing of theirs
	 * comes back on its own in front of the guests, where a guest's Enter
	 * would answer it (Yes to an Undo, a wrong PIN). The idle screen lets
	 * an Undo question go and keeps a walk-in form for Walk-in and the
	 * PIN (go). */
	if (aside(d, now)) {
		go(d, DOOR_IDLE, now);
	} else if (d->nheld > 0) {
		clear_outcome(d);
		d->outcome = d->held[--d->nheld];
		d->has_outcome = true;
		d->can_undo = true;
		go(d, DOOR_UNDO, now);
	} else if (d->resume_to != DOOR_IDLE) {
		back_to(d, now);
	} else {
		go(d, DOOR_IDLE, now);
	}
}

/* Is the guest of the answer on screen the one the screen a scan
 * interrupted was about (one the search lists, the one picked in it, the
 * walk-in just registered)? They found their ticket: nothing to come back
 * to. (Another of a family the search lists is no answer to "Check in"
 * the one picked.) */
static bool
outcome_theirs(const struct door *d)
{
	if (!d->has_outcome || !d->outcome.has_guest)
		return false;
	const char *code = d->outcome.guest.code;
	if (d->resume_to == DOOR_WALKIN) /* a form typed: nobody's yet */
		return false;
	if (d->resume_to == DOOR_WALKIN_DONE)
		return d->walkin_code != NULL && strcmp(d->walkin_code, code) == 0;
	if (d->resume_to == DOOR_CONFIRM)
		return d->selected >= 0 && d->selected < d->nhits &&
		    strcmp(d->hits[d->selected].code, code) == 0;
	for (int i = 0; i < d->nhits; i++)
		if (strcmp(d->hits[i].code, code) == 0)
			return true;
	return false;
}

void
door_scan(struct door *d, const char *code, size_t len, uint32_t now)
{
	/* A guest scans while a volunteer types a walk-in at the same kiosk:
	 * the answer first, then the form as it was. */
	bool typing = false;
	for (int i = 0; i < 4 && d->screen == DOOR_WALKIN; i++)
		typing = typing || d->fields[i][0] != '\0';
	/* ... and while a volunteer looks up a guest who has no ticket, or
	 * shows a walk-in their new one: the answer, then the name typed, the
	 * "Check in?" asked or the walk-in's code and Check in now, as they
	 * were (the next guest in the queue scanned; they were thrown away).
	 * One scanned on the answer, an Undo of it or the PIN pad that gives
	 * the form back leaves it waiting; one on any other screen of staff's
	 * lets it go. */
	if (typing || (d->screen == DOOR_SEARCH && d->query[0] != '\0') ||
	    d->screen == DOOR_CONFIRM || (d->screen == DOOR_WALKIN_DONE && d->walkin_code != NULL)) {
		d->resume_to = d->screen;
		d->resume_touched = d->touched;
	} else if (d->screen != DOOR_RESULT && d->screen != DOOR_FAILED &&
	    d->screen != DOOR_UNDO && !(d->screen == DOOR_PIN && d->after_pin == DOOR_WALKIN &&
	    d->resume_to == DOOR_WALKIN)) {
		d->resume_to = DOOR_IDLE;
	}
	check_in(d, code, len, now);
	if (d->resume_to != DOOR_IDLE && outcome_theirs(d))
		d->resume_to = DOOR_IDLE;
}

void
door_scan_either(struct door *d, const char *code, const char *alt, uint32_t now)
{
	size_t n = strlen(code), an = strlen(alt);
	bool known = an == 0 || d->ops->known == NULL || d->ops->known(d->ctx, code, n);
	if (!known && d->ops->known(d->ctx, alt, an))
		door_scan(d, alt, an, now);
	/* Neither is a guest's: the audit keeps the reading that is a link,
	 * when only one is (a link read by the wrong layout is garbled). */
	else if (!known && code_is_link(alt) && !code_is_link(code))
		door_scan(d, alt, an, now);
	else
		door_scan(d, code, n, now);
}

void
door_broken_scan(struct door *d, uint32_t now)
{
	notice(d, "scan_again", now);
	feedback(d, false);
}

/* Is the burst, read as code or as alt (the other layout's reading, or
 * ""), a guest's ticket? */
static bool
known_either(const struct door *d, const char *code, const char *alt)
{
	if (d->ops->known == NULL || code[0] == '\0')
		return false;
	return d->ops->known(d->ctx, code, strlen(code)) ||
	    (alt[0] != '\0' && d->ops->known(d->ctx, alt, strlen(alt)));
}

bool
door_tab_scan(struct door *d, const char *code, const char *alt, uint32_t now)
{
	door_broken_scan(d, now);
	return known_either(d, code, alt);
}

/* Could typed be a PIN: 1 to DOOR_PIN_MAX digits? */
static bool
pin_shaped(const char *typed)
{
	size_t n = strspn(typed, "0123456789");
	return n > 0 && n <= DOOR_PIN_MAX && typed[n] == '\0';
}

bool
door_short_scan(struct door *d, const char *code, const char *alt)
{
	return known_either(d, code, alt);
}

/* A guest's ticket at the end of typed (the scanner's keys following a
 * fast typist's within max_gap_ms, one burst): the offset where it starts
 * (at least DOOR_GLUED_MIN bytes long, the longest such), or 0. */
static size_t
glued_ticket(const struct door *d, const char *typed)
{
	size_t n = strlen(typed);
	if (d->ops->known == NULL)
		return 0;
	for (size_t i = 1; i + DOOR_GLUED_MIN <= n; i++)
		if (((unsigned char)typed[i] & 0xc0) != 0x80 &&
		    d->ops->known(d->ctx, typed + i, n - i))
			return i;
	return 0;
}

enum door_burst
door_burst_typed(struct door *d, const char *code, const char *alt, const char *typed,
    uint32_t now)
{
	/* Where typing a name opens the search (the idle screen, an answer),
	 * a name or an address typed fast opens it too (it read as a broken
	 * scan, or an unknown one with the name in the audit); anything else
	 * there is a scan. Not at a door of guests with staff out (staff_pin):
	 * keys typed there are read as a code. */
	bool opens = (d->screen == DOOR_IDLE || d->screen == DOOR_RESULT ||
	    d->screen == DOOR_FAILED) && !aside(d, now) && code_burst_name(typed);
	if (d->screen != DOOR_SEARCH && d->screen != DOOR_WALKIN && d->screen != DOOR_PIN &&
	    !opens)
		return DOOR_BURST_SCAN;
	bool known = known_either(d, code, alt);
	/* The PIN typed fast on the pad: a scan of it said "not on the guest
	 * list", closed the pad, and wrote the admin PIN into the scan audit
	 * (which a hub and kiosk export see). Digits a PIN could be, nobody's
	 * ticket, go to the pad; a guest's ticket is still their answer. */
	if (d->screen == DOOR_PIN ? known || !pin_shaped(typed) :
	    !code_burst_typed(typed, code, alt, known))
		return DOOR_BURST_SCAN;
	/* A guest who scanned as staff typed the last keys: what was typed
	 * goes to the field, the ticket gets its answer (and the form comes
	 * back after it), the Return was the scanner's. */
	size_t at = d->screen == DOOR_PIN ? 0 : glued_ticket(d, typed);
	if (at > 0) {
		char *head = xstrndup(typed, at);
		door_text(d, head, now);
		free(head);
		door_scan(d, typed + at, strlen(typed + at), now);
		return DOOR_BURST_BOTH;
	}
	door_text(d, typed, now);
	return DOOR_BURST_TYPED;
}

static void
run_search(struct door *d)
{
	char *cause = NULL;
	int n = 0;
	bool more = false;
	if (d->ops->search(d->ctx, d->query, d->hits, DOOR_HITS, &n, &more, &cause) != 0) {
		free(cause);
		n = 0;
		more = false;
	}
	d->nhits = n;
	d->hits_more = more;
	d->selected = n > 0 ? 0 : -1;
}

/* Back to the screen of staff's a scan interrupted: the search, the
 * "Check in?" of a guest picked in it, a walk-in's new code. The search's
 * list is looked up again (the scan, or another door, may have checked
 * someone in on it), the guest chosen still chosen. */
static void
back_to(struct door *d, uint32_t now)
{
	enum door_screen s = d->resume_to;
	if (resume_due(d, now)) {
		d->query[0] = '\0';
		d->nhits = 0;
		d->hits_more = false;
		d->selected = -1;
		go(d, DOOR_IDLE, now); /* which keeps a form at a door of guests */
		return;
	}
	d->resume_to = DOOR_IDLE;
	if (s == DOOR_SEARCH) {
		char code[CODE_MAX_LEN + 1] = "";
		if (d->selected >= 0 && d->selected < d->nhits)
			snprintf(code, sizeof code, "%s", d->hits[d->selected].code);
		run_search(d);
		for (int i = 0; i < d->nhits && code[0] != '\0'; i++)
			if (strcmp(d->hits[i].code, code) == 0)
				d->selected = i;
	}
	go(d, s, now);
	d->touched = d->resume_touched;
}

/* Staff's screens (search, the walk-in form, admin): with [kiosk]
 * staff_pin, opened only with the PIN, for a minute from when it was given
 * and until the door is back on the idle screen (a guest facing a door they
 * use themselves could look everyone up, or register and admit
 * themselves). Once in, staff move between them freely. */
static bool
staff_ok(const struct door *d, uint32_t now)
{
	return !d->cfg.staff_pin || (d->staff_in && !due(now, d->staff_at, STAFF_OPEN_MS));
}

/* The search, empty: from another of staff's screens, or past the PIN. */
static void
open_search(struct door *d, uint32_t now)
{
	d->resume_to = DOOR_IDLE;
	drop_held(d);
	d->query[0] = '\0';
	d->nhits = 0;
	d->hits_more = false;
	d->selected = -1;
	go(d, DOOR_SEARCH, now);
}

static void
start_search(struct door *d, uint32_t now)
{
	if (!staff_ok(d, now))
		ask_pin(d, DOOR_SEARCH, now);
	else
		open_search(d, now);
}

static void
start_walkin(struct door *d, uint32_t now)
{
	if (!staff_ok(d, now)) {
		ask_pin(d, DOOR_WALKIN, now); /* which gives back a form a scan interrupted */
		return;
	}
	drop_held(d);
	/* Walk-in on the answer to a scan that interrupted a form, or after
	 * the PIN for a form kept while staff were out: that form, as it
	 * was, not an empty one */
	bool kept = d->form_kept && !due(now, d->form_kept_at, FORM_KEPT_MS);
	d->form_kept = false;
	if (d->resume_to == DOOR_WALKIN || kept) {
		d->resume_to = DOOR_IDLE;
		go(d, DOOR_WALKIN, now);
		return;
	}
	memset(d->fields, 0, sizeof d->fields);
	d->focus = 0;
	d->listed_told = false;
	go(d, DOOR_WALKIN, now);
}

void
door_refresh(struct door *d)
{
	refresh_stats(d);
}

void
door_set_stats(struct door *d, const struct door_stats *st)
{
	d->stats = *st;
}

void
door_stats_counted(struct door_stats *st, const struct attend_counts *c, bool days)
{
	st->registered = c->registered;
	st->checked_in = c->checked_in;
	st->walkins = c->walkins;
	st->last_hour = c->last_hour;
	st->today = c->today;
	st->days = days;
}

/* The PIN pad, for then (ADMIN, SEARCH or WALKIN). With staff_pin and no
 * PIN set (kiosk.conf refuses that; a PIN hash removed while running),
 * search and walk-in stay closed. */
static void
ask_pin(struct door *d, enum door_screen then, uint32_t now)
{
	if (!d->cfg.has_pin && then != DOOR_ADMIN)
		return;
	memset(d->pin, 0, sizeof d->pin);
	d->pin_long = false;
	d->pin_wrong = false;
	d->after_pin = then;
	go(d, DOOR_PIN, now);
}

static void
start_admin(struct door *d, uint32_t now)
{
	drop_held(d);
	if (d->cfg.has_pin) {
		ask_pin(d, DOOR_ADMIN, now);
	} else {
		refresh_stats(d);
		go(d, DOOR_ADMIN, now);
	}
}

/* Append UTF-8 text to a bounded field, whole characters only. */
static void
append(char *field, const char *text)
{
	size_t n = strlen(field), t = strlen(text);
	if (n + t > DOOR_FIELD_MAX)
		return;
	for (size_t i = 0; i < t; i++)
		if ((unsigned char)text[i] < ' ')
			return; /* no control characters in a name */
	memcpy(field + n, text, t + 1);
}

/* Remove the last UTF-8 character. */
static void
backspace(char *field)
{
	size_t n = strlen(field);
	while (n > 0) {
		n--;
		if (((unsigned char)field[n] & 0xC0) != 0x80)
			break;
	}
	field[n] = '\0';
}

static void
save_walkin(struct door *d, uint32_t now)
{
	char *cause = NULL, *code = NULL;
	const char *f[4];
	for (int i = 0; i < 4; i++)
		f[i] = d->fields[i];
	if (util_blank(f[0]) && util_blank(f[1])) {
		notice(d, "need_name", now);
		d->focus = 0;
		return;
	}
	/* An address no ticket can be mailed to is asked again here, with the
	 * guest still at the desk, rather than found by the mail run later
	 * (import and `kiosk add` apply the same rule). Padding is no fault:
	 * it is taken off when stored. */
	char *email = util_trim_invisible(f[2]);
	bool bad_email = email[0] != '\0' && !util_email_ok(email);
	free(email);
	if (bad_email) {
		notice(d, "bad_email", now);
		d->focus = 2;
		return;
	}
	/* Someone on the list already (a ticket bought online, a name not
	 * searched for) would hold two tickets that both admit: said once,
	 * and a second Save registers them all the same (a namesake). */
	int listed = d->listed_told || d->ops->listed == NULL ? 0 : d->ops->listed(d->ctx, f);
	if (listed != 0) {
		d->listed_told = true;
		d->listed_name = listed == DOOR_LISTED_NAME;
		notice(d, listed == DOOR_LISTED_NAME ? "already_listed" : "email_listed", now);
		return;
	}
	/* A language the guest picked on the idle screen is theirs (their
	 * ticket e-mail is written in it); the door's own is nobody's in
	 * particular, and leaves the event's. */
	const char *lang = d->cfg.language != d->home_language ? i18n_code(d->cfg.language) :
	    NULL;
	if (d->ops->walkin(d->ctx, f, lang, &code, &cause) != 0) {
		free(cause);
		notice(d, "walkin_failed", now);
		return;
	}
	free(d->walkin_code);
	d->walkin_code = code;
	d->stats.walkins++;
	d->stats.registered++;
	go(d, DOOR_WALKIN_DONE, now);
}

static void
configure(struct door *d)
{
	if (d->ops->configure != NULL)
		d->ops->configure(d->ctx, &d->cfg);
}

/* Typed text that is a code rather than a name: one word with a digit in
 * it and no '@' (names have no digits; e-mail addresses may). */
static bool
looks_like_code(const char *s)
{
	bool digit = false;
	if (strlen(s) < 4)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '@') /* an e-mail address is looked up, not scanned */
			return false;
		digit = digit || (*p >= '0' && *p <= '9');
	}
	return digit;
}

static void check_in(struct door *d, const char *code, size_t len, uint32_t now);

/* Keys typed on a door closed behind the PIN ([kiosk] staff_pin): a guest's
 * code typed by hand, or a slow scanner's, kept aside for Enter. Keys that
 * came after a pause of TYPED_MS are another guest's: the stale ones go. */
static bool
aside(const struct door *d, uint32_t now)
{
	return d->cfg.staff_pin && !staff_ok(d, now);
}

static void
type_aside(struct door *d, const char *utf8, uint32_t now)
{
	if (d->typed[0] != '\0' && due(now, d->typed_at, TYPED_MS))
		d->typed[0] = '\0';
	append(d->typed, utf8);
	d->typed_at = now;
}

static void pin_given(struct door *d, uint32_t now);

/* Text typed by hand where a code is read (the search's Enter, keys typed
 * aside) that is the admin PIN: staff who typed it as a scan took their PIN
 * pad away. Never recorded as a scan (the audit, and the hub, would hold
 * the PIN): taken as the PIN given. Only text shaped like a PIN is hashed. */
static bool
typed_pin(struct door *d, const char *text, uint32_t now)
{
	size_t n = strlen(text);
	if (!d->cfg.has_pin || n < DOOR_PIN_MIN || n > DOOR_PIN_MAX ||
	    strspn(text, "0123456789") != n || !d->ops->pin_ok(d->ctx, text))
		return false;
	d->after_pin = DOOR_ADMIN;
	pin_given(d, now);
	return true;
}

/* Enter, Backspace or Escape after keys typed on a door closed behind the
 * PIN (door_text): a code is checked in as a scan would be; anything else
 * (a name: search is staff's) asks for a scan. */
static void
typed_key(struct door *d, enum door_key k, uint32_t now)
{
	if (k == DOOR_KEY_BACKSPACE) {
		backspace(d->typed);
		return;
	}
	char code[sizeof d->typed];
	snprintf(code, sizeof code, "%s", d->typed);
	d->typed[0] = '\0';
	if (k != DOOR_KEY_ENTER || typed_pin(d, code, now))
		return;
	if (looks_like_code(code)) {
		check_in(d, code, strlen(code), now);
	} else {
		/* an answer kept while they typed stays to carry the notice */
		if (d->screen == DOOR_RESULT)
			d->since = now;
		notice(d, "scan_again", now);
		feedback(d, false);
	}
}

/* A guest picked from the search: asked before checking in, but for a
 * cancelled ticket, whose answer is the red refusal whatever staff say (a
 * green Yes offered for it read as a way in). */
static void
confirm_pick(struct door *d, uint32_t now)
{
	if (d->selected < 0 || d->selected >= d->nhits)
		return;
	if (d->hits[d->selected].cancelled) {
		char code[CODE_MAX_LEN + 1];
		snprintf(code, sizeof code, "%s", d->hits[d->selected].code);
		check_in(d, code, strlen(code), now);
		return;
	}
	go(d, DOOR_CONFIRM, now);
}

/* Is the PIN pad closed after wrong PINs (throttle_pin_wait_ms)? Also
 * keeps the seconds left for the screen. */
static bool
pin_closed(struct door *d, uint32_t now)
{
	/* Opened for good once the wait is over (door_tick looks every
	 * frame), before the tick count's difference could wrap (24.8 days)
	 * and close it again. */
	int32_t left = d->pin_locked ? (int32_t)(d->pin_open_at - now) : 0;
	d->pin_locked = left > 0;
	d->pin_wait_s = left > 0 ? (left + 999) / 1000 : 0;
	return left > 0;
}

/* Back from a walk-in form that found its name on the list ("Back to
 * search"): the search, for that name, so that staff find the guest's
 * ticket without typing it again. */
static void
search_listed(struct door *d, uint32_t now)
{
	char name[2 * sizeof d->fields[0] + 1];
	snprintf(name, sizeof name, "%s%s%s", d->fields[0], d->fields[0][0] && d->fields[1][0] ?
	    " " : "", d->fields[1]);
	/* a long name's start, cut at a whole character (append() takes
	 * nothing that does not fit): its first words find the guest */
	name[util_utf8_cut(name, strlen(name), DOOR_FIELD_MAX)] = '\0';
	open_search(d, now); /* staff are at their form: no PIN again */
	append(d->query, name);
	run_search(d);
}

/* The right PIN: staff in, and on to what it was asked for. */
static void
pin_given(struct door *d, uint32_t now)
{
	d->pin_failures = 0;
	d->staff_in = true;
	d->staff_at = now;
	drop_held(d); /* staff moved on to a screen of theirs */
	if (d->after_pin == DOOR_SEARCH) {
		start_search(d, now);
	} else if (d->after_pin == DOOR_WALKIN) {
		start_walkin(d, now);
	} else if (d->after_pin == DOOR_UNDO && d->has_outcome && d->can_undo) {
		go(d, DOOR_UNDO, now); /* the answer Undo was tapped on */
	} else {
		refresh_stats(d);
		go(d, DOOR_ADMIN, now);
	}
}

void
door_key(struct door *d, enum door_key k, uint32_t now)
{
	staff_busy(d, now);
	if (k == DOOR_KEY_QUIT || k == DOOR_KEY_ADMIN) {
		if (d->screen == DOOR_PIN) /* asked for search or walk-in: admin now */
			d->after_pin = DOOR_ADMIN;
		else if (d->screen != DOOR_ADMIN)
			start_admin(d, now);
		return;
	}
	/* Keys typed aside (a guest's code: they live only on the screens a
	 * guest faces, go): Enter checks them in, and is no Yes to a question
	 * left open. */
	if (d->typed[0] != '\0' && (k == DOOR_KEY_ENTER || k == DOOR_KEY_BACKSPACE ||
	    k == DOOR_KEY_ESCAPE)) {
		typed_key(d, k, now);
		return;
	}
	switch (d->screen) {
	case DOOR_IDLE:
	case DOOR_RESULT:
	case DOOR_FAILED:
		if (k == DOOR_KEY_SEARCH)
			start_search(d, now);
		else if (k == DOOR_KEY_WALKIN)
			start_walkin(d, now);
		else if (d->screen != DOOR_IDLE && (d->nheld > 0 || d->resume_to != DOOR_IDLE) &&
		    (k == DOOR_KEY_ENTER || k == DOOR_KEY_ESCAPE)) {
			/* A key on an answer is someone at the keyboard, not a
			 * scan (its Enter ends its code): staff, back to the
			 * screen a queue's scans kept from them, however long
			 * they took. Its minute starts again (resume_due). */
			if (d->resume_to != DOOR_IDLE && staff_ok(d, now))
				d->resume_touched = now;
			leave_result(d, now);
		}
		else if (d->screen != DOOR_IDLE && (k == DOOR_KEY_ENTER || k == DOOR_KEY_ESCAPE))
			go(d, DOOR_IDLE, now);
		break;
	case DOOR_SEARCH:
		if (k == DOOR_KEY_ESCAPE) {
			go(d, DOOR_IDLE, now);
		} else if (k == DOOR_KEY_BACKSPACE) {
			backspace(d->query);
			run_search(d);
		} else if (k == DOOR_KEY_DOWN && d->selected + 1 < d->nhits) {
			d->selected++;
		} else if (k == DOOR_KEY_UP && d->selected > 0) {
			d->selected--;
		} else if (k == DOOR_KEY_ENTER && d->nhits == 0 && looks_like_code(d->query)) {
			/* No name matches, and it reads like a ticket: a code typed
			 * by hand off a crumpled ticket, or with no scanner. */
			char code[sizeof d->query];
			snprintf(code, sizeof code, "%s", d->query);
			if (!typed_pin(d, code, now))
				check_in(d, code, strlen(code), now);
		} else if (k == DOOR_KEY_ENTER) {
			confirm_pick(d, now);
		} else if (k == DOOR_KEY_WALKIN) {
			start_walkin(d, now);
		}
		break;
	case DOOR_CONFIRM:
		if (k == DOOR_KEY_ENTER)
			door_tap(d, DOOR_BTN_YES, now);
		else if (k == DOOR_KEY_ESCAPE)
			go(d, DOOR_SEARCH, now);
		break;
	case DOOR_UNDO:
		if (k == DOOR_KEY_ENTER)
			door_tap(d, DOOR_BTN_YES, now);
		else if (k == DOOR_KEY_ESCAPE)
			go(d, DOOR_RESULT, now);
		break;
	case DOOR_WALKIN:
		if (k == DOOR_KEY_ESCAPE && d->listed_told && d->listed_name) {
			search_listed(d, now);
		} else if (k == DOOR_KEY_ESCAPE) {
			go(d, DOOR_IDLE, now);
		} else if (k == DOOR_KEY_BACKSPACE) {
			backspace(d->fields[d->focus]);
			d->listed_told = false;
		} else if (k == DOOR_KEY_TAB || k == DOOR_KEY_DOWN) {
			d->focus = (d->focus + 1) % 4;
		} else if (k == DOOR_KEY_UP || k == DOOR_KEY_BACKTAB) {
			/* Shift+Tab goes back, as in every form: taken for Tab, it
			 * sent a volunteer correcting the e-mail into the next
			 * field, their Backspaces eating the company or the name. */
			d->focus = (d->focus + 3) % 4;
		} else if (k == DOOR_KEY_ENTER) {
			if (d->focus < 3)
				d->focus++;
			else
				save_walkin(d, now);
		}
		break;
	case DOOR_WALKIN_DONE:
		if (k == DOOR_KEY_ENTER && d->walkin_code != NULL)
			check_in(d, d->walkin_code, strlen(d->walkin_code), now);
		else if (k == DOOR_KEY_ESCAPE)
			go(d, DOOR_IDLE, now);
		break;
	case DOOR_PIN:
		if (k == DOOR_KEY_ESCAPE && d->nheld > 0) {
			leave_result(d, now); /* the Undo question a scan interrupted */
		} else if (k == DOOR_KEY_ESCAPE) {
			go(d, DOOR_IDLE, now);
		} else if (k == DOOR_KEY_BACKSPACE) {
			backspace(d->pin);
			if (d->pin[0] == '\0')
				d->pin_long = false; /* all taken back */
		} else if (k == DOOR_KEY_ENTER && pin_closed(d, now)) {
			memset(d->pin, 0, sizeof d->pin); /* not even looked at */
		} else if (k == DOOR_KEY_ENTER && (strlen(d->pin) < DOOR_PIN_MIN || d->pin_long)) {
			/* No PIN has that many digits (OK tapped on an empty pad,
			 * a ticket number typed): said wrong, but no try, which
			 * would lock staff out. */
			d->pin_wrong = true;
			d->pin_long = false;
			memset(d->pin, 0, sizeof d->pin);
		} else if (k == DOOR_KEY_ENTER) {
			if (d->ops->pin_ok(d->ctx, d->pin)) {
				pin_given(d, now);
			} else {
				d->pin_wrong = true;
				d->pin_failures++;
				int64_t wait = throttle_pin_wait_ms(d->pin_failures);
				d->pin_open_at = now + (uint32_t)wait;
				d->pin_locked = wait > 0;
				pin_closed(d, now);
			}
			memset(d->pin, 0, sizeof d->pin);
		}
		break;
	case DOOR_ADMIN:
		if (k == DOOR_KEY_ESCAPE)
			go(d, DOOR_IDLE, now);
		break;
	}
}

void
door_text(struct door *d, const char *utf8, uint32_t now)
{
	staff_busy(d, now);
	/* The volunteer goes on typing the walk-in or the name in the search
	 * the scan interrupted (an Undo question held, they have moved on
	 * from): they are at work, its minute starts again. */
	if ((d->screen == DOOR_RESULT || d->screen == DOOR_FAILED) &&
	    (d->resume_to == DOOR_WALKIN || d->resume_to == DOOR_SEARCH) && staff_ok(d, now)) {
		drop_held(d);
		d->resume_touched = now;
		leave_result(d, now);
	}
	switch (d->screen) {
	case DOOR_IDLE:
	case DOOR_RESULT:
	case DOOR_FAILED:
		/* Staff can just start typing a name. With staff_pin, only
		 * once they gave the PIN: else what is typed is kept aside, and
		 * Enter checks it in as a code (a slow scanner's, or a ticket
		 * number typed by hand: guests at a door of their own); it
		 * opens no PIN pad, where a guest's keys would count as wrong
		 * PINs and lock staff out. */
		if (aside(d, now)) {
			type_aside(d, utf8, now);
			return;
		}
		if (utf8[0] == ' ')
			return;
		start_search(d, now);
		/* fall through */
	case DOOR_SEARCH:
		append(d->query, utf8);
		run_search(d);
		break;
	case DOOR_WALKIN:
		append(d->fields[d->focus], utf8);
		d->listed_told = false;
		break;
	case DOOR_UNDO:
		if (aside(d, now))
			type_aside(d, utf8, now);
		break;
	case DOOR_CONFIRM:
	case DOOR_WALKIN_DONE:
		/* no typing there: at a door of guests, a guest's code */
		if (d->cfg.staff_pin)
			type_aside(d, utf8, now);
		break;
	case DOOR_PIN:
		if (pin_closed(d, now))
			break;
		/* digits left by someone who walked off are not the next PIN's */
		if (d->pin[0] != '\0' && due(now, d->pin_at, TYPED_MS)) {
			memset(d->pin, 0, sizeof d->pin);
			d->pin_long = false;
		}
		d->pin_at = now;
		d->pin_wrong = false;
		for (const char *p = utf8; *p; p++) {
			size_t n = strlen(d->pin);
			if (*p >= '0' && *p <= '9' && n < DOOR_PIN_MAX) {
				d->pin[n] = *p;
				d->pin[n + 1] = '\0'; /* digits of an abandoned try are behind it */
			} else if (*p != ' ') {
				/* a ticket code a guest typed (letters, or more
				 * digits than a PIN has): no PIN, and no try */
				d->pin_long = true;
			}
		}
		break;
	default:
		break;
	}
}

void
door_keys_typed(struct door *d)
{
	d->keys_typed = true;
}

void
door_touched(struct door *d)
{
	d->keys_typed = false;
}

void
door_tap(struct door *d, enum door_button b, uint32_t now)
{
	staff_busy(d, now);
	if (b >= DOOR_BTN_LANG0 && b < DOOR_BTN_LANG0 + 4) {
		d->cfg.language = (int)(b - DOOR_BTN_LANG0);
		configure(d);
		return;
	}
	if (b >= DOOR_BTN_HIT0 && b < DOOR_BTN_HIT0 + DOOR_HITS && d->screen == DOOR_SEARCH) {
		if ((int)(b - DOOR_BTN_HIT0) < d->nhits) {
			d->selected = (int)(b - DOOR_BTN_HIT0);
			confirm_pick(d, now);
		}
		return;
	}
	if (b == DOOR_BTN_QUERY) {
		d->keys_typed = false;
		return;
	}
	if (b >= DOOR_BTN_FIELD0 && b < DOOR_BTN_FIELD0 + 4 && d->screen == DOOR_WALKIN) {
		d->keys_typed = false;
		d->focus = (int)(b - DOOR_BTN_FIELD0);
		return;
	}
	switch (b) {
	case DOOR_BTN_SEARCH:
		start_search(d, now);
		break;
	case DOOR_BTN_WALKIN:
		start_walkin(d, now);
		break;
	case DOOR_BTN_ADMIN:
		start_admin(d, now);
		break;
	case DOOR_BTN_BACK:
		if (d->screen == DOOR_CONFIRM)
			go(d, DOOR_SEARCH, now);
		else if (d->screen == DOOR_UNDO)
			go(d, DOOR_RESULT, now);
		else if (d->screen == DOOR_RESULT || d->screen == DOOR_FAILED)
			leave_result(d, now);
		else if (d->screen == DOOR_WALKIN && d->listed_told && d->listed_name)
			search_listed(d, now);
		else if (d->screen == DOOR_PIN)
			door_key(d, DOOR_KEY_ESCAPE, now);
		else
			go(d, DOOR_IDLE, now);
		break;
	case DOOR_BTN_UNDO:
		/* staff's too, at a door of guests ([kiosk] staff_pin) */
		if (d->screen == DOOR_RESULT && d->can_undo && aside(d, now))
			ask_pin(d, DOOR_UNDO, now);
		else if (d->screen == DOOR_RESULT && d->can_undo)
			go(d, DOOR_UNDO, now);
		break;
	case DOOR_BTN_YES:
		if (d->screen == DOOR_CONFIRM && d->selected >= 0) {
			char code[CODE_MAX_LEN + 1];
			snprintf(code, sizeof code, "%s", d->hits[d->selected].code);
			check_in(d, code, strlen(code), now);
		} else if (d->screen == DOOR_UNDO && d->has_outcome) {
			char *cause = NULL;
			bool out = false;
			if (d->ops->undo(d->ctx, d->outcome.guest.code, d->outcome.checkin_uuid,
			    &out, &cause) != 0) {
				free(cause);
				notice(d, "undo_failed", now);
				go(d, DOOR_RESULT, now);
			} else {
				/* The admission undone is the one on screen: the
				 * guest leaves the count only if it was their only
				 * one (not a re-entry, and no other door's since). */
				if (out && d->stats.checked_in > 0)
					d->stats.checked_in--;
				/* today's, if it was the day's first (a count
				 * from the file follows in a moment) */
				if (d->outcome.first_today && d->stats.today > 0)
					d->stats.today--;
				clear_outcome(d);
				notice(d, "undone", now);
				leave_result(d, now);
			}
		} else if (d->screen == DOOR_WALKIN_DONE && d->walkin_code != NULL) {
			check_in(d, d->walkin_code, strlen(d->walkin_code), now);
		}
		break;
	case DOOR_BTN_NO:
		door_key(d, DOOR_KEY_ESCAPE, now);
		break;
	case DOOR_BTN_SAVE:
		if (d->screen == DOOR_WALKIN)
			save_walkin(d, now);
		break;
	case DOOR_BTN_MODE:
		/* As kiosk.conf's mode = exit: without re-entry a guest scanned
		 * out could not come back in. */
		if (d->screen == DOOR_ADMIN && !d->cfg.exit_mode && !d->cfg.reentry) {
			notice(d, "exit_needs_reentry", now);
		} else if (d->screen == DOOR_ADMIN) {
			d->cfg.exit_mode = !d->cfg.exit_mode;
			configure(d);
		}
		break;
	case DOOR_BTN_SOUND:
		if (d->screen == DOOR_ADMIN) {
			d->cfg.sound = !d->cfg.sound;
			configure(d);
		}
		break;
	case DOOR_BTN_QUIT:
		if (d->screen == DOOR_ADMIN)
			d->quit = true;
		break;
	default:
		break;
	}
}

bool
door_close(struct door *d, bool locked, uint32_t now)
{
	if (!locked && !d->cfg.has_pin)
		return true;
	door_key(d, DOOR_KEY_QUIT, now);
	return false;
}

void
door_notice(struct door *d, const char *text, uint32_t now)
{
	/* The printer's word on a badge comes seconds after the screen that
	 * printed it: it stays its time whatever the screen. */
	notice(d, text, now);
	d->notice_bound = false;
}

void
door_tick(struct door *d, uint32_t now)
{
	if (d->pin_locked)
		pin_closed(d, now);
	if (d->notice != NULL && (int32_t)(now - d->notice_until) >= 0)
		d->notice = NULL;
	/* keys a guest typed and walked away from: not the next one's */
	if (d->typed[0] != '\0' && due(now, d->typed_at, TYPED_MS))
		d->typed[0] = '\0';
	/* Staff's minute over: closed for good, before the tick count's
	 * difference could wrap (49.7 days) and open it again. */
	if (d->staff_in && due(now, d->staff_at, STAFF_OPEN_MS))
		d->staff_in = false;
	switch (d->screen) {
	case DOOR_RESULT:
		/* not while a guest types a code aside: their keys would land
		 * on what comes next (a PIN pad, an Undo question) */
		if (due(now, d->since, (uint32_t)d->cfg.result_ms) && d->typed[0] == '\0')
			leave_result(d, now);
		break;
	case DOOR_UNDO:
		if (due(now, d->touched, UNDO_CONFIRM_MS))
			leave_result(d, now);
		break;
	case DOOR_SEARCH:
	case DOOR_CONFIRM:
	case DOOR_WALKIN:
	case DOOR_WALKIN_DONE:
	case DOOR_PIN:
	case DOOR_ADMIN:
		/* Nobody leaves a guest list or the admin menu open at the door. */
		if (due(now, d->touched, DOOR_IDLE_TIMEOUT_MS)) {
			d->query[0] = '\0';
			d->nhits = 0;
			d->hits_more = false;
			memset(d->pin, 0, sizeof d->pin);
			go(d, DOOR_IDLE, now);
		}
		break;
	case DOOR_IDLE:
		/* A guest picked a language and walked off without scanning. */
		if (due(now, d->touched, DOOR_IDLE_TIMEOUT_MS))
			home_language(d);
		break;
	default:
		break;
	}
}

void
door_view(const struct door *d, struct door_view *v)
{
	memset(v, 0, sizeof *v);
	v->screen = d->screen;
	v->outcome = d->has_outcome ? &d->outcome : NULL;
	v->failure = d->failure;
	v->can_undo = d->can_undo;
	v->since = d->since;
	v->result_ms = d->cfg.result_ms;
	v->query = d->query;
	v->hits = d->hits;
	v->nhits = d->nhits;
	v->hits_more = d->hits_more;
	v->keyboard = !d->keys_typed;
	v->selected = d->selected;
	v->enter_checks_in = d->screen == DOOR_SEARCH && d->nhits == 0 &&
	    looks_like_code(d->query);
	v->query_short = d->screen == DOOR_SEARCH && !guest_query_ready(d->query);
	v->fields = d->field_ptrs;
	v->focus = d->focus;
	v->walkin_code = d->walkin_code;
	v->pin_len = (int)strlen(d->pin);
	v->pin_wrong = d->pin_wrong;
	v->pin_wait_s = d->pin_wait_s;
	v->stats = &d->stats;
	v->exit_mode = d->cfg.exit_mode;
	v->sound = d->cfg.sound;
	v->language = d->cfg.language;
	v->notice = d->notice;
	v->quit = d->quit;
}
