/* door: what the kiosk shows and does, as plain C (no SDL).
 *
 * The door is a state machine over screens. Events come in (a scan, a key, a
 * tap on a button, typed text, the clock); the door asks the engine through
 * door_ops (check in, search, register a walk-in, check the PIN) and keeps
 * what the screen must show. The renderer only reads it (door_view), so every
 * rule here (which screen, what text, when it times out, who may reach what)
 * is driven by unit tests without a window.
 *
 * Rules:
 *  - a scan works from every screen and always ends on a result; one that
 *    interrupts a walk-in form being typed, a walk-in's new code, a search
 *    typed or its "Check in?" returns to it, as it was (unless the scan was
 *    of the walk-in, the guest picked, or one the search lists);
 *  - a result stays result_seconds, or until the next scan; the same badge
 *    read again within DOOR_ECHO_MS of admitting it keeps the green answer;
 *  - a code typed into the search with Return, when no name matches, is
 *    checked in as if scanned;
 *  - search lists nobody before two characters; search, walk-in, PIN and
 *    admin screens fall back to idle after a minute untouched, so an
 *    unattended kiosk never shows a guest list (a walk-in form, search,
 *    "Check in?" or walk-in's code a scan interrupted counts it from
 *    staff's last touch, not from the scans);
 *  - leaving the kiosk (quit) and the admin screen need the PIN; without a
 *    PIN hash configured, quitting needs a physical keyboard's Ctrl+Q;
 *  - a request to close (the window manager's close, Alt+F4) never quits a
 *    full-screen kiosk: it opens the PIN screen (door_close);
 *  - a check-in that could not be recorded is a red "call staff" screen,
 *    never green. */
#ifndef KIOSK_DOOR_H
#define KIOSK_DOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/attend.h"
#include "core/checkin.h"
#include "core/code.h"
#include "core/ktime.h"

#define DOOR_HITS 6             /* search results on screen */
#define DOOR_HELD_MAX 4         /* Undo questions a scan interrupted, kept to ask again */
#define DOOR_FIELD_MAX 128      /* bytes of a typed field */
#define DOOR_IDLE_TIMEOUT_MS 60000
#define DOOR_PIN_MIN 4          /* kiosk pin takes 4 to 12 digits */
#define DOOR_PIN_MAX 12
#define DOOR_ECHO_MS CHECKIN_ECHO_MS /* the same badge read again this soon: one scan */

enum door_screen {
	DOOR_IDLE,
	DOOR_RESULT,        /* the answer to a scan */
	DOOR_SEARCH,        /* staff type a name */
	DOOR_CONFIRM,       /* "admit this guest?" after a search pick */
	DOOR_UNDO,          /* "undo this admission?" */
	DOOR_WALKIN,        /* the walk-in form */
	DOOR_WALKIN_DONE,   /* the new guest's QR code */
	DOOR_PIN,           /* PIN pad before admin */
	DOOR_ADMIN,
	DOOR_FAILED,        /* could not record: call staff */
};

/* Keys a person presses (the scanner's keys never come here). */
enum door_key {
	DOOR_KEY_ENTER, DOOR_KEY_ESCAPE, DOOR_KEY_BACKSPACE, DOOR_KEY_TAB,
	DOOR_KEY_BACKTAB,   /* Shift+Tab */
	DOOR_KEY_UP, DOOR_KEY_DOWN, DOOR_KEY_QUIT,  /* Ctrl+Q */
	DOOR_KEY_SEARCH,    /* F2 or a typed letter on idle */
	DOOR_KEY_WALKIN,    /* F3 */
	DOOR_KEY_ADMIN,     /* F12 */
};

/* On-screen buttons (touch or click). */
enum door_button {
	DOOR_BTN_NONE,
	DOOR_BTN_SEARCH, DOOR_BTN_WALKIN, DOOR_BTN_ADMIN, DOOR_BTN_BACK,
	DOOR_BTN_UNDO, DOOR_BTN_YES, DOOR_BTN_NO,
	DOOR_BTN_HIT0,      /* DOOR_BTN_HIT0 + i: the i-th search result */
	DOOR_BTN_LANG0 = DOOR_BTN_HIT0 + DOOR_HITS, /* + i: the i-th language */
	DOOR_BTN_FIELD0 = DOOR_BTN_LANG0 + 4,       /* + i: the i-th walk-in field */
	DOOR_BTN_SAVE = DOOR_BTN_FIELD0 + 4,
	DOOR_BTN_MODE, DOOR_BTN_SOUND, DOOR_BTN_QUIT,
	DOOR_BTN_KEY,       /* an on-screen keyboard key: door_tap_key() */
	DOOR_BTN_PIN,       /* a PIN pad digit: door_tap_key() */
	DOOR_BTN_QUERY,     /* the search's box: the on-screen keyboard back */
};

/* A search result as listed. */
struct door_hit {
	char code[CODE_MAX_LEN + 1];
	char name[256];
	char detail[256];   /* ticket type, company */
	/* What tells two guests alike in the list apart (render_hit_detail):
	 * shown only then, for staff to ask the guest about. */
	char email[256];
	char walkin_at[KTIME_BUF]; /* a walk-in: when registered, as read at the
	                            * door ("21:04", another day's with its date);
	                            * an imported guest: "" */
	bool checked_in;
	bool cancelled;     /* the ticket: the door would refuse it */
};

/* Figures for the admin screen. */
struct door_stats {
	int registered;
	int checked_in;
	int walkins;
	int last_hour;      /* arrivals in the last hour */
	int today;          /* at an event of days: checked in today */
	bool days;          /* an event of days ([checkin] each_day) */
};

struct door_config {
	int result_ms;          /* how long a result stays */
	bool exit_mode;
	bool sound;
	int language;           /* index into the app's languages */
	bool has_pin;           /* an admin PIN is configured */
	bool reentry;           /* [checkin] reentry: the admin's exit mode needs it */
	bool staff_pin;         /* [kiosk] staff_pin: search and walk-in behind the PIN too */
};

enum { DOOR_LISTED_NAME = 1, DOOR_LISTED_EMAIL = 2 };

/* What the door needs from the engine. Each returns 0 or -1 with *cause. */
struct door_ops {
	int (*checkin)(void *ctx, const char *code, size_t len, struct checkin_outcome *o,
	    char **cause);
	/* Undo the admission checkin_uuid (the one on screen) of code; *out
	 * tells whether the guest is no longer checked in (it was their only
	 * admission left: not a re-entry, and no other door's since). */
	int (*undo)(void *ctx, const char *code, const char *checkin_uuid, bool *out,
	    char **cause);
	int (*search)(void *ctx, const char *query, struct door_hit *hits, int max, int *n,
	    bool *more, char **cause);
	/* Register a walk-in; *code gets the new ticket code (caller frees). */
	/* language: the one a guest picked for this visit ("fr"), or NULL:
	 * their ticket e-mail is written in it. */
	int (*walkin)(void *ctx, const char *const fields[4], const char *language, char **code,
	    char **cause);
	bool (*pin_ok)(void *ctx, const char *pin);
	/* Whether some guest holds code (a scanner's other reading is tried
	 * when the first is nobody's); may be NULL. */
	bool (*known)(void *ctx, const char *code, size_t len);
	int (*stats)(void *ctx, struct door_stats *st);
	void (*feedback)(void *ctx, bool good);   /* a tone; may be NULL */
	/* The admin changed mode, sound or language; may be NULL. */
	void (*configure)(void *ctx, const struct door_config *cfg);
	/* Whether a guest not cancelled has the walk-in's whole name
	 * (DOOR_LISTED_NAME) or only their e-mail (DOOR_LISTED_EMAIL) already,
	 * of fields first, last, e-mail, company; 0 when none. May be NULL. */
	int (*listed)(void *ctx, const char *const fields[4]);
};


struct door;

struct door *door_new(const struct door_ops *ops, void *ctx, const struct door_config *cfg);
void door_free(struct door *d);

/* Events. now is ms on a monotonic clock. */
void door_scan(struct door *d, const char *code, size_t len, uint32_t now);
/* A scan that reads two ways (scanner.h: alt): code, or alt when code is
 * nobody's and alt someone's. alt "" is door_scan. */
void door_scan_either(struct door *d, const char *code, const char *alt, uint32_t now);
void door_broken_scan(struct door *d, uint32_t now);
/* A burst of keys ended by Tab where Return was due: "scan again", as
 * door_broken_scan. Returns true when it reads (code, or alt: scanner.h) as
 * a guest's ticket: a scanner set to send Tab, which the admin screen
 * names. An e-mail typed fast and Tabbed past is not one. */
bool door_tab_scan(struct door *d, const char *code, const char *alt, uint32_t now);
/* A burst of keys as fast as a scanner's, ended by Return, but shorter
 * than [scanner] min_length, so typed (scanner.h: SHORT): true when it
 * reads (code, or alt) as a guest's ticket, which a scanner sent and the
 * door took for typing, for the admin screen to name the setting. Changes
 * nothing: the keys were typed already. */
bool door_short_scan(struct door *d, const char *code, const char *alt);
/* A burst of keys that came as fast as a scanner's (scanner.h: code, alt
 * and the text the layout made of it, typed) while staff type into a field
 * (the search, the walk-in form): a fast typist's e-mail address or name.
 * When it is no ticket (code_burst_typed: nobody's, not of our shape, with
 * what no code has) its text goes into the field as typed, and true is
 * returned (DOOR_BURST_TYPED): the caller passes on the key that ended it. On the
 * PIN pad, digits a PIN could be (up to DOOR_PIN_MAX) that are nobody's
 * ticket are the PIN, typed fast: never a scan, nor in the audit. On the
 * idle screen and an answer, where typing opens the search, a name or an
 * e-mail address (code_burst_name) that is no ticket opens it, unless
 * staff are out at a door of guests (staff_pin). A typed burst that ends
 * in a guest's ticket (they scanned within max_gap_ms of staff's last key)
 * is both: DOOR_BURST_BOTH. Else
 * false, nothing done: it is a scan (door_scan_either, door_tab_scan,
 * door_broken_scan), and a guest scanning meanwhile gets their answer. */
enum door_burst {
	DOOR_BURST_SCAN,    /* a scan: nothing done */
	DOOR_BURST_TYPED,   /* typed: the caller passes on the key that ended it */
	DOOR_BURST_BOTH,    /* typed, then a guest's ticket scanned right after
	                     * (the scanner's keys followed within max_gap_ms):
	                     * the text typed, the ticket answered, the end key
	                     * was the scanner's */
};
#define DOOR_GLUED_MIN 6    /* bytes of a ticket found glued to typing */
enum door_burst door_burst_typed(struct door *d, const char *code, const char *alt,
    const char *typed, uint32_t now);
void door_key(struct door *d, enum door_key k, uint32_t now);
void door_text(struct door *d, const char *utf8, uint32_t now);
void door_tap(struct door *d, enum door_button b, uint32_t now);
/* The on-screen keyboard (search, walk-in form) is for a touchscreen; on
 * a laptop it took the room of all but three results at 1280x720. Shown
 * until a person types on a real keyboard (door_keys_typed: a key typed,
 * not a scanner's burst nor an on-screen key), hidden then, and shown
 * again when the screen is touched (door_touched: a finger, not a
 * mouse) or the search's box or a walk-in field is tapped, as on a phone:
 * a touchscreen door that met a keyboard once is not left without keys. */
void door_keys_typed(struct door *d);
void door_touched(struct door *d);
void door_tick(struct door *d, uint32_t now);
/* Someone asked to close the kiosk: the window manager's close (Alt+F4, a
 * title bar's button) or Alt+F4 typed where no window manager sees it.
 * locked: the kiosk fills the screen (not a window on a desk). Returns true
 * only for a window with no admin PIN configured: the app may close. Else
 * it opens the PIN screen (the admin screen when no PIN is configured),
 * where Quit is, and returns false. */
bool door_close(struct door *d, bool locked, uint32_t now);
/* Re-read the counts shown (other kiosks' check-ins arrived by sync). */
void door_refresh(struct door *d);
/* The counts shown, as counted elsewhere (ui/tally: off the screen's thread). */
void door_set_stats(struct door *d, const struct door_stats *st);
/* The counts a door shows, from attend_counts' (days: an event of days). */
void door_stats_counted(struct door_stats *st, const struct attend_counts *c, bool days);
/* Show a line of text for a few seconds (the printer's news); text must
 * stay valid while shown. */
void door_notice(struct door *d, const char *text, uint32_t now);

/* What to show. Valid until the next event. */
struct door_view {
	enum door_screen screen;
	/* DOOR_RESULT, DOOR_UNDO, DOOR_FAILED */
	const struct checkin_outcome *outcome;  /* NULL on FAILED */
	const char *failure;                    /* FAILED: what went wrong */
	bool can_undo;                          /* RESULT: an admission just made */
	uint32_t since;                         /* when this screen was entered */
	int result_ms;                          /* RESULT: how long it stays */
	/* DOOR_SEARCH, DOOR_CONFIRM */
	const char *query;
	const struct door_hit *hits;
	int nhits;
	bool hits_more;                         /* fewer than DOOR_HITS, but more may match
	                                         * (guest_search_more): type more letters */
	int selected;                           /* -1 when none */
	bool enter_checks_in;                   /* SEARCH: Return checks the query in as a code */
	bool query_short;                       /* SEARCH: too little typed for the search to
	                                         * list anyone (guest_query_ready) */
	bool keyboard;                          /* SEARCH, WALKIN: the on-screen keyboard
	                                         * shows (door_keys_typed) */
	/* DOOR_WALKIN, DOOR_WALKIN_DONE */
	const char *const *fields;              /* first, last, e-mail, company */
	int focus;                              /* field being typed in */
	const char *walkin_code;                /* DONE: the new code */
	/* DOOR_PIN */
	int pin_len;
	bool pin_wrong;
	int pin_wait_s;                         /* closed after wrong PINs: seconds left */
	/* DOOR_ADMIN */
	const struct door_stats *stats;
	bool exit_mode;
	bool sound;
	/* everywhere */
	int language;
	const char *notice;                     /* a message id to show ("scan_again"), or NULL */
	bool quit;                              /* the app should close */
};

void door_view(const struct door *d, struct door_view *v);

#endif
