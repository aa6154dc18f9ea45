/* app: the fullscreen door app: SDL window, input, the door, rendering.
 *
 * One thread draws and takes input; the only database work on it is the one
 * check-in transaction of a scan (plus a name search as staff type). The
 * camera decodes on its own thread. Frames are drawn when something changed,
 * and at a few frames a second otherwise. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <stdbool.h>

#include "core/conf.h"
#include "core/store.h"

struct app_options {
	bool windowed;          /* a window instead of full screen */
	int width, height;      /* window size; 0 for 1280x720 */
	const char *screenshot; /* write a PNG here whenever the screen changes */
	int exit_after_ms;      /* leave after this long (tests); 0: never */
	const char *timings;    /* write start-up and scan-to-frame times here */
	const char *trace;      /* append a line per screen shown ("result admitted") */
	const char *bench_codes; /* bench: type these codes (one a line) as a scanner, one
	                          * per result frame, then quit; needs timings */
	int64_t started_ns;     /* util_mono_ns() when the command started; 0: now */
	const char *config;     /* kiosk.conf, looked at every few seconds for a new
	                         * [sync] hub (kiosk join); NULL: not */
};

/* Where fonts/ and the translations are: $KIOSK_DATADIR, else the source
 * tree the binary sits in, else the install prefix. Never NULL; static. */
const char *app_datadir(void);
/* The translations' folder: <datadir>/locale installed, build/locale in the
 * source tree. Caller frees. */
char *app_localedir(void);

/* Run the door until it is quit from the admin screen (or, for a window
 * with no PIN set, closed), or SIGTERM, SIGINT or SIGHUP arrives. Full
 * screen, the keyboard is grabbed and Alt+F4 or a window manager's close
 * opens the PIN screen (door_close). kiosk names this kiosk. Returns 0, or
 * -1 with *cause (no display, fonts missing). */
int app_run(const struct conf *cf, struct store *s, const char *kiosk,
    const struct app_options *o, char **cause);

/* A door that cannot start (a kiosk.conf that does not load, no event
 * database, one of a newer kiosk): why, on the door's own screen in red,
 * rather than a black one the service restarts every few seconds, and
 * ready(arg, &why) asked every 2 s whether it can start now (0; else -1
 * with a why, shown when it changed). Returns 0 once ready (the caller
 * goes on to app_run), 1 when quit first (Esc, Ctrl+Q, the window closed,
 * SIGTERM, --exit-after), -1 with *cause when there is no screen.
 * language and full: kiosk.conf's [kiosk] language and fullscreen when it
 * loaded, else NULL (English) and true; language is read before the first
 * retry (which frees the settings it came from). */
typedef int (*app_ready_fn)(void *arg, char **why);
int app_fault(const char *why, const char *language, bool full, const struct app_options *o,
    app_ready_fn ready, void *arg, char **cause);

#endif
