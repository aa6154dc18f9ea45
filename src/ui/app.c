/* app: the fullscreen door app (see app.h). */
#include "ui/app.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL.h>

#include "core/checkin.h"
#include "core/device.h"
#include "core/ktime.h"
#include "core/merge.h"
#include "core/util.h"
#include "sync/agent.h"
#include "sync/hub.h"
#include "sync/repl.h"
#include "ui/camera.h"
#include "ui/door.h"
#include "ui/engine.h"
#include "ui/i18n.h"
#include "ui/printq.h"
#include "ui/render.h"
#include "ui/scanner.h"
#include "ui/shot.h"
#include "ui/sound.h"
#include "ui/tally.h"
#include "ui/text.h"

#ifndef KIOSK_DATADIR
#define KIOSK_DATADIR "/usr/local/share/kiosk"
#endif

#define IDLE_REDRAW_MS 1000   /* the status line and clock */
#define RESULT_REDRAW_MS 50   /* the countdown bar */
#define DEFER_MAX_MS 1000     /* longest a scanner burst holds the screen still */
#define TALLY_QUIET_MS 300    /* and the counting thread after its last look */
#define APP_FAULT_RETRY_MS 2000 /* app_fault: how often the door tries to start again */
#define WOKE_MS 2000 /* the door's clock and the boot clock this far apart: it slept */
#define MAX_TIMINGS 20000
#define APP_BUSY_MS 1500      /* longest wait for another program's write lock */
#define JOIN_READ_MS 30000    /* how often a hub door works out its join addresses again */
#define KIOSKS_READ_MS 2000   /* how often a hub door looks at the other doors' syncs */
#define KIOSKS_SHOWN 32       /* other doors its admin screen looks at (a dozen entrances,
                               * as many as fit; the rest counted as more) */
#define CONF_READ_MS 3000     /* how often kiosk.conf is looked at for a new [sync] */
#define CONF_SETTLE_MS 2000   /* kiosk.conf is read once unchanged this long */
#define EXIT_WAIT_MS 20000    /* longest wait at exit for threads stopping */
#define PRINTED_KEPT (DOOR_HELD_MAX + 12) /* badges remembered as printed (queue_badge) */

/* Set by SIGTERM (systemctl stop), SIGINT (Ctrl+C in a terminal) and SIGHUP:
 * whoever can send a signal may stop the kiosk without the PIN. */
static volatile sig_atomic_t app_stop;

static void
on_signal(int sig)
{
	app_stop = sig;
}

static bool
is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
app_localedir(void)
{
	const char *datadir = app_datadir();
	char *localedir = xasprintf("%s/locale", datadir);
	struct stat st;
	if (stat(localedir, &st) != 0) {
		free(localedir);
		localedir = xasprintf("%s/build/locale", datadir);
	}
	return localedir;
}

const char *
app_datadir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("KIOSK_DATADIR");
	if (env != NULL && env[0] != '\0')
		return env;
	/* An installed binary finds PREFIX/share/kiosk beside its bin/,
	 * wherever it was installed; one run from the source tree (./kiosk,
	 * build/asan/kiosk) finds the tree a few folders up by its po/. Both
	 * are told by the folder, not by a font in it: a font missing there
	 * is then named where it is missing (kiosk doctor), and the
	 * translations beside it are still found, where a probe for the font
	 * fell through to the built-in prefix, another install's or none. */
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n > 0) {
		dir[n] = '\0';
		for (int up = 0; up < 4; up++) {
			char *slash = strrchr(dir, '/');
			if (slash == NULL)
				break;
			*slash = '\0';
			char probe[PATH_MAX + 48];
			snprintf(probe, sizeof probe, "%s/share/kiosk", dir);
			if (is_dir(probe)) {
				size_t len = strlen(dir);
				snprintf(dir + len, sizeof dir - len, "/share/kiosk");
				return dir;
			}
			snprintf(probe, sizeof probe, "%s/po/kiosk.pot", dir);
			if (is_file(probe))
				return dir;
		}
	}
	return KIOSK_DATADIR;
}

/* Agents and hubs being stopped on threads of their own (retire). */
static atomic_int retiring;

/* Run fn(arg), which stops something and counts retiring down, on a
 * detached thread, so that the door does not wait for it; exit waits for
 * the count. False when no thread could be made (the caller stops it). */
static bool
retire(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	atomic_fetch_add(&retiring, 1);
	bool made = pthread_create(&t, &attr, fn, arg) == 0;
	if (!made)
		atomic_fetch_sub(&retiring, 1);
	pthread_attr_destroy(&attr);
	return made;
}

/* kiosk.conf's [hub] settings a door serves with: kept, since kiosk.conf
 * may say [hub] serve = yes after the start (and the join addresses shown
 * are this hub's). */
struct serving {
	bool want;
	char *listen, *cert, *key;
	char **names;                   /* [hub] names, the live page's (hostname.h) */
	size_t n_names;
};

/* kiosk.conf's [sync] settings: `kiosk join` changes them under a running
 * door (a door made the hub after the hub's laptop died). */
struct app {
	const struct conf *cf;
	struct engine eng;
	struct door *door;
	struct scanner *scanner;
	struct camera *camera;
	struct sound *sound;
	struct printq *printq;          /* NULL unless kiosk.conf prints badges */
	struct agent *agent;            /* sync with the hub; NULL when standalone */
	struct conf_sync synced;        /* what the agent was started with */
	const char *conf_path;          /* kiosk.conf, read again for [sync]; NULL: not */
	struct util_watch conf_watch;   /* kiosk.conf, on SDL ticks; zeros: not read yet */
	uint32_t conf_read;             /* SDL ticks kiosk.conf was last looked at */
	char sync_note[512];            /* the problem sync_note last put up; "" none */
	char refusal_note[512];         /* the hub's refusal put up (note()); "" none */
	char camera_note[512];          /* the camera's trouble put up (note()); "" none */
	int64_t boot_gap;               /* util_boot_ms() - util_mono_ms() at the start */
	int64_t slept_ms;               /* how long the laptop has slept since (door_clock) */
	struct serving serving;         /* what to serve as the hub with; want: serve */
	uint32_t serve_tried;           /* SDL ticks serving was last tried */
	char serve_note[512];           /* the problem serving last put up; "" none */
	bool badge_fonts;               /* badge_use_fonts() was called (printing, serving) */
	struct hub *hub;                /* serving as the hub; NULL unless [hub] serve */
	struct agent_state sync;        /* what the status line last showed */
	char *damage;                   /* the database was found damaged: why */
	uint32_t counts_read;           /* SDL ticks the database was last asked for news */
	struct tally *tally;            /* the figures, counted off this thread; or NULL */
	uint32_t waiting_read;          /* ... and for what waits, while a round hangs */
	int64_t waiting;                /* what waits, counted here while a round hangs */
	char print_news[256];           /* the printer's last word, shown as a notice */
	/* admissions (check-in uuid) and walk-ins (code) last sent to print,
	 * a ring: an answer comes back after others (an Undo question a scan
	 * held, then No), and is not printed again */
	char printed[PRINTED_KEPT][64];
	unsigned nprinted;              /* sent in all; the latest at (n - 1) % KEPT */
	struct text *text;
	struct render *render;
	SDL_Window *win;
	SDL_Renderer *ren;
	bool sdl;                       /* SDL_Init done (screen_open) */
	bool signals_set;               /* ours set; the old ones below */
	struct sigaction old_term, old_int, old_hup;
	SDL_Texture *preview;
	unsigned preview_serial;
	char problems[512];
	char join[256];                 /* serving as the hub: where doors join (render_info) */
	uint32_t join_read;             /* SDL ticks join was last worked out */
	struct render_kiosk kiosks[KIOSKS_SHOWN]; /* serving: the other doors (render_info) */
	int nkiosks;
	uint32_t kiosks_read;           /* SDL ticks they were last looked at */
	bool dirty;
	bool keys_elsewhere;            /* the window lost the keyboard (render_info) */
	uint32_t drawn_at;
	enum door_screen last_screen;
	/* scan-to-frame timings, ms */
	uint32_t last_key_ms;           /* the last key's event time (a scan's Return, Tab...) */
	bool keys_read;                 /* the events were read dry at keys_read_ms: a key */
	uint32_t keys_read_ms;          /* found later was typed after (scanner_in) */
	uint32_t pending_scan_ms;       /* a scan's last key time until its frame; 0 none */
	double *lat;
	size_t nlat;
	/* bench: codes typed as a scanner through SDL's event queue */
	char **codes;
	size_t ncodes, next_code;
	int64_t injected_ns;            /* when the last code's Return was queued; 0 none */
};

/* Queue a code as a US-layout scanner types it: key events with the
 * scancodes of a US keyboard, then Return, all at once (a burst). */
static void
inject_code(const char *code)
{
	for (const char *p = code; *p; p++) {
		int sc = 0;
		bool shift = false;
		for (int k = 4; k < 100 && sc == 0; k++) {
			if (scanner_us_char(k, false) == *p)
				sc = k;
			else if (scanner_us_char(k, true) == *p) {
				sc = k;
				shift = true;
			}
		}
		if (sc == 0)
			continue;
		SDL_Event ev = { 0 };
		ev.type = SDL_KEYDOWN;
		ev.key.keysym.scancode = (SDL_Scancode)sc;
		ev.key.keysym.mod = shift ? KMOD_LSHIFT : KMOD_NONE;
		SDL_PushEvent(&ev);
	}
	SDL_Event ret = { 0 };
	ret.type = SDL_KEYDOWN;
	ret.key.keysym.scancode = SDL_SCANCODE_RETURN;
	SDL_PushEvent(&ret);
}

static void
load_codes(struct app *a, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	if (util_read_file(path, 64 << 20, &data, &len, NULL) != 0)
		return;
	for (char *line = strtok(data, "\r\n"); line; line = strtok(NULL, "\r\n")) {
		a->codes = xreallocarray(a->codes, a->ncodes + 1, sizeof *a->codes);
		a->codes[a->ncodes++] = xstrdup(line);
	}
	free(data);
}

/* The door's window: width x height (1280 x 720 when 0), or full screen.
 * Full screen is asked of the window manager; an X server with none (a
 * kiosk machine started with xinit) leaves the window its size, drawn for
 * the whole screen and cut. Made as large as the screen, borderless, at
 * its corner, the window covers it either way. NULL with SDL's error. */
static SDL_Window *
open_window(int width, int height, bool full)
{
	int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
	int w = width > 0 ? width : 1280, h = height > 0 ? height : 720;
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE;
	SDL_Rect screen;
	if (full && SDL_GetDisplayBounds(0, &screen) == 0) {
		x = screen.x;
		y = screen.y;
		w = screen.w;
		h = screen.h;
		flags |= SDL_WINDOW_BORDERLESS;
	}
	if (full)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	return SDL_CreateWindow("kiosk", x, y, w, h, flags);
}

/* Resident memory now and at its peak, in MiB, from /proc. */
static void
memory(double *rss, double *peak)
{
	char line[256];
	FILE *fp = fopen("/proc/self/status", "r");
	*rss = *peak = 0;
	if (fp == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		long kb;
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			*rss = (double)kb / 1024;
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			*peak = (double)kb / 1024;
	}
	fclose(fp);
}

static void
on_change(void *arg)
{
	struct app *a = arg;
	agent_kick(a->agent);
	tally_kick(a->tally);
}

static void sync_begin(struct app *a, const struct conf *cf);
static void sync_note(struct app *a, const char *text);
static void note(struct app *a, char slot[512], const char *text);
static void note_what(struct app *a, char slot[512], const char *what, const char *detail);

static void
serving_free(struct serving *sv)
{
	free(sv->listen);
	free(sv->cert);
	free(sv->key);
	for (size_t i = 0; i < sv->n_names; i++)
		free(sv->names[i]);
	free(sv->names);
	memset(sv, 0, sizeof *sv);
}

/* Serve as the hub for the other doors with a->serving: at the start, when
 * kiosk.conf says [hub] serve = yes later, and again every few seconds
 * while it fails (the port still held by the hub just stopped, another
 * program on it), saying why on the admin screen meanwhile. */
static void
serve_try(struct app *a, uint32_t now)
{
	char *err = NULL;
	if (!a->serving.want || a->hub != NULL)
		return;
	a->serve_tried = now ? now : 1;
	/* The live page's arrivals picture is drawn with the kiosk's fonts. */
	if (!a->badge_fonts) {
		char *fonts = xasprintf("%s/fonts", app_datadir());
		badge_use_fonts(fonts);
		free(fonts);
		a->badge_fonts = true;
	}
	/* the live page in the organiser's language, with the door's
	 * catalogues (live.h) */
	char *localedir = app_localedir();
	struct hub_options ho = { store_path(a->eng.store), a->serving.listen, a->serving.cert,
	    a->serving.key, 0, 0, a->eng.policy.each_day, a->eng.kiosk, localedir,
	    a->cf->language, (const char *const *)a->serving.names, a->serving.n_names };
	int started = hub_start(&ho, &a->hub, &err);
	free(localedir);
	if (started != 0) {
		note_what(a, a->serve_note, _("Not serving as hub:"), err);
		free(err);
		return;
	}
	note(a, a->serve_note, "");
	a->join_read = 0; /* work out the join addresses at once */
}

/* What cf says of serving, kept in a->serving; true when it changed. */
static bool
serving_from(struct app *a, const struct conf *cf)
{
	bool same = a->serving.want == cf->hub_serve && a->serving.listen != NULL &&
	    strcmp(a->serving.listen, cf->hub_listen) == 0 &&
	    strcmp(a->serving.cert, cf->hub_tls_cert) == 0 &&
	    strcmp(a->serving.key, cf->hub_tls_key) == 0 &&
	    a->serving.n_names == cf->n_hub_names;
	for (size_t i = 0; same && i < cf->n_hub_names; i++)
		same = strcmp(a->serving.names[i], cf->hub_names[i]) == 0;
	if (same)
		return false;
	serving_free(&a->serving);
	a->serving = (struct serving){ cf->hub_serve, xstrdup(cf->hub_listen),
	    xstrdup(cf->hub_tls_cert), xstrdup(cf->hub_tls_key), NULL, 0 };
	/* kept here: a->cf is kiosk.conf as the door started, and a name
	 * added since is to be answered to from the hub's next start */
	a->serving.names = xcalloc(cf->n_hub_names + 1, sizeof *a->serving.names);
	for (size_t i = 0; i < cf->n_hub_names; i++)
		a->serving.names[a->serving.n_names++] = xstrdup(cf->hub_names[i]);
	return true;
}

static void *
unserve_main(void *arg)
{
	hub_stop(arg); /* lets the answers under way finish: up to seconds */
	atomic_fetch_sub(&retiring, 1);
	return NULL;
}

/* Stop serving, off the door's thread. A push it stores meanwhile is
 * passed on all the same: the hub records the database served, and this
 * door's next round starts over (repl_follow). */
static void
serve_end(struct app *a)
{
	if (!retire(unserve_main, a->hub))
		hub_stop(a->hub);
	a->hub = NULL;
	a->join[0] = '\0';
}

/* Sync and hub on their own threads; the door starts whatever they say. */
static void
start_sync(struct app *a, uint32_t now)
{
	serving_from(a, a->cf);
	serve_try(a, now);
	sync_begin(a, a->cf);
}

/* A hub keeps what its doors push as sent (they sent it), so a door that
 * serves as the hub and also syncs with another never passes their
 * records on (kiosk doctor says FAIL): it does not sync while it serves,
 * or is to serve (a bind that failed is tried again). */
static bool
serving_alone(struct app *a, const struct conf *cf)
{
	if (!a->serving.want || cf->hub_url[0] == '\0')
		return false;
	sync_note(a, _("This door serves as the hub, so it syncs with no other hub: set "
	    "[hub] serve = no, or empty [sync] hub"));
	return true;
}

/* A problem put on the admin screen by one part (slot keeps what it last
 * put up): replaced, or taken off when what it said is over. Another
 * part's problem shown meanwhile is left alone. */
static void
note(struct app *a, char slot[512], const char *text)
{
	if (slot[0] != '\0' && strcmp(a->problems, slot) == 0)
		a->problems[0] = '\0';
	snprintf(slot, 512, "%s", text);
	if (text[0] != '\0') {
		snprintf(a->problems, sizeof a->problems, "%s", text);
	} else if (a->problems[0] == '\0') {
		/* One over, another still on (the hub takes the door again, the
		 * camera is still unplugged): that one is said again. */
		const char *const held[] = { a->refusal_note, a->sync_note, a->serve_note,
			a->camera_note };
		for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
			if (held[i][0] != '\0') {
				snprintf(a->problems, sizeof a->problems, "%s", held[i]);
				break;
			}
	}
}

/* note() of a state looked at every loop: only when it changed, so that
 * another problem put up since is not covered again by the same words. */
static void
note_changed(struct app *a, char slot[512], const char *text)
{
	if (strcmp(text, slot) != 0)
		note(a, slot, text);
}

static void
sync_note(struct app *a, const char *text)
{
	note(a, a->sync_note, text);
}

/* note() of "what: detail" (what is translated, detail an error or a path). */
static void
note_what(struct app *a, char slot[512], const char *what, const char *detail)
{
	char *text = xasprintf("%s %s", what, detail);
	note(a, slot, text);
	free(text);
}

static void *
retire_main(void *arg)
{
	agent_stop(arg); /* joins and frees */
	atomic_fetch_sub(&retiring, 1);
	return NULL;
}

/* Stop the agent, off the door's thread. It is told here, before a new
 * agent starts, so that it pushes nothing more to the old hub; its end (a
 * page it may be applying) is not waited for. */
static void
sync_retire(struct app *a)
{
	if (a->agent == NULL)
		return;
	agent_stop_soon(a->agent);
	if (!retire(retire_main, a->agent))
		agent_stop(a->agent);
	a->agent = NULL;
}

/* Sync with cf's hub, if it names one. Another hub than the one this
 * database last synced with makes the agent's first round start over
 * (client_round): records the old hub had and this one lacks are sent. */
static void
sync_begin(struct app *a, const struct conf *cf)
{
	char *err = NULL;

	/* the old hub's refusal is no word on the new one */
	note(a, a->refusal_note, "");
	conf_sync_take(&a->synced, cf);
	memset(&a->sync, 0, sizeof a->sync);
	sync_note(a, "");
	if (cf->hub_url[0] == '\0' || serving_alone(a, cf))
		return;
	struct client_options co = { .url = cf->hub_url, .token = cf->hub_token,
	    .cafile = cf->sync_cafile };
	if (agent_start(store_path(a->eng.store), &co, (int64_t)cf->sync_seconds * 1000,
	    &a->agent, &err) != 0) {
		note_what(a, a->sync_note, _("No sync:"), err);
		free(err);
	}
}

/* `kiosk join` at another hub, a new token, [sync] edited, or [hub] serve
 * set or cleared, under a running door: sync and serve as kiosk.conf says
 * now, without a restart. Nothing else of kiosk.conf is taken up (the
 * rest needs a restart), and a kiosk.conf that now names another event
 * database is not followed: a join for another event (--db) would point
 * this door at its hub. Also tries serving again while it fails. */
static void
sync_reload(struct app *a, uint32_t now)
{
	struct conf *cf = NULL;
	char *err = NULL;

	if (a->hub == NULL && a->serving.want && now - a->serve_tried >= CONF_READ_MS)
		serve_try(a, now);
	/* Read only once it has settled (util_watch): an empty kiosk.conf,
	 * an editor's moment, reads as the defaults ([hub] serve = no, no
	 * [sync] hub). */
	if (!util_watch_settled(&a->conf_watch, a->conf_path, now, CONF_SETTLE_MS))
		return;
	if (conf_load(a->conf_path, &cf, &err) != 0) {
		note_what(a, a->sync_note, _("kiosk.conf changed, but:"), err);
		free(err);
		return;
	}
	if (strcmp(cf->db_path, a->cf->db_path) != 0) {
		note_what(a, a->sync_note, _("kiosk.conf now names another event database; "
		    "restart the door to use it:"), cf->db_path);
		conf_free(cf);
		return;
	}
	/* Serving changed: the hub stops (on a thread of its own), and starts
	 * again with the new settings or for the first time (a door made the
	 * hub, live). [hub] serve = no (the real hub is back, and kiosk join
	 * pointed this door at it): the doors still joined to this one wait,
	 * offline, until they join the hub too; what they pushed here is
	 * passed on (the database is recorded served). */
	bool wanted = a->serving.want;
	if (serving_from(a, cf)) {
		if (a->hub != NULL)
			serve_end(a);
		if (!a->serving.want)
			note(a, a->serve_note, "");
		serve_try(a, now);
	}
	/* sync_begin syncs with no hub while this door is to serve */
	if (wanted != a->serving.want || !conf_sync_same(&a->synced, cf)) {
		sync_retire(a);
		sync_begin(a, cf);
		/* In the journal too: the organiser who ran kiosk join, or
		 * emptied [sync] hub, sees the door took it up. (A door that
		 * serves syncs with no other hub: its serving says so.) */
		if (cf->hub_url[0] == '\0' && !a->serving.want) {
			fprintf(stderr, "kiosk: run: %s changed: no [sync] hub now; this door works "
			    "alone\n", a->conf_path);
		} else if (!a->serving.want) {
			char *shown = util_url_redact(cf->hub_url);
			fprintf(stderr, "kiosk: run: %s changed: syncing with %s now\n", a->conf_path,
			    shown);
			free(shown);
		}
	} else if (!serving_alone(a, cf)) {
		sync_note(a, "");
	}
	conf_free(cf);
}

/* The event is one of days, or no longer: what a hub's pages said, or
 * kiosk.conf's for a kiosk no hub has spoken to (repl_each_day). Asked
 * every few seconds, not only when a sync brings records: a hub switched
 * on the second morning brings none to a door that turns returning guests
 * away. A door serving as the hub tells its doors the same (hub_set_each_day). */
static void
days_follow(struct app *a)
{
	bool days = repl_each_day(a->eng.store, a->cf->each_day); /* the store marked */
	if (days == a->eng.policy.each_day)
		return;
	a->eng.policy.each_day = days;
	tally_set_each_day(a->tally, days);
	hub_set_each_day(a->hub, days);
}

/* The addresses other doors join this one, serving as their hub, by
 * (render_info.join): worked out again now and then, since a laptop moved
 * to another Wi-Fi or given another address by it keeps running. True
 * when they changed. */
static bool
update_join(struct app *a)
{
	char *urls = hub_join_urls(a->serving.listen, hub_port(a->hub),
	    a->serving.cert[0] != '\0');
	char join[sizeof a->join] = "";
	size_t n = 0;
	for (char *line = urls, *end; line != NULL && (end = strchr(line, '\n')) != NULL;
	    line = end + 1) {
		int k = snprintf(join + n, sizeof join - n, "%s%.*s", n > 0 ? ", " : "",
		    (int)(end - line), line);
		if (k < 0 || (size_t)k >= sizeof join - n) {
			join[n] = '\0'; /* the addresses that fit, none cut */
			break;
		}
		n += (size_t)k;
	}
	free(urls);
	bool changed = strcmp(join, a->join) != 0;
	memcpy(a->join, join, sizeof join);
	return changed;
}

struct kiosks_read {
	struct render_kiosk *k;
	int n;
};

static int
add_kiosk(const struct live_kiosk *lk, void *arg)
{
	struct kiosks_read *r = arg;
	if (lk->revoked)
		return 0;
	if (r->n == KIOSKS_SHOWN)
		return 1;
	struct render_kiosk *k = &r->k[r->n++];
	device_label(lk->name, lk->door, k->name, sizeof k->name);
	int64_t ago = lk->since_ms < 0 ? -1 : lk->since_ms / 1000;
	k->ago_s = ago > INT_MAX ? INT_MAX : (int)ago;
	k->waiting = lk->waiting > INT_MAX ? INT_MAX : (int)lk->waiting;
	return 0;
}

/* Serving as the hub: the other doors and when it last heard from each,
 * for the admin screen (the volunteer at the hub's laptop sees a door gone
 * quiet). True when they changed. */
static bool
update_kiosks(struct app *a, struct render_info *info)
{
	struct render_kiosk k[KIOSKS_SHOWN];
	struct kiosks_read r = { k, 0 };
	memset(k, 0, sizeof k);
	if (a->hub != NULL && hub_kiosks(a->hub, a->eng.store, add_kiosk, &r, NULL) < 0)
		return false;   /* the last read stays: the database was busy */
	render_kiosks_order(k, r.n);
	bool changed = r.n != a->nkiosks || memcmp(k, a->kiosks, sizeof k) != 0;
	memcpy(a->kiosks, k, sizeof k);
	a->nkiosks = r.n;
	info->kiosks = a->kiosks;
	info->nkiosks = a->nkiosks;
	return changed;
}

/* The status line's words for the link; true when they changed. Kiosks
 * pushing to this one (as their hub) make the counts on screen stale. */
static bool
update_link(struct app *a, struct render_info *info, uint32_t now)
{
	struct agent_state st;
	const char *link;
	bool changed = false;
	enum merge_unreached unreached = MERGE_UNREACHED_NONE;

	/* The idle screen's "N checked in" counts every door on this file:
	 * another app on it, `kiosk checkin`, the hub's pushes. Counted on
	 * the tally's thread (ui/tally.h); here only when it could not start. */
	struct door_stats counted;
	if (a->tally != NULL && tally_take(a->tally, &counted)) {
		door_set_stats(a->door, &counted);
		changed = true;
	}
	if (a->tally == NULL && now - a->counts_read >= 2000) {
		if (store_changed_elsewhere(a->eng.store)) {
			door_refresh(a->door);
			changed = true;
		}
		a->counts_read = now;
	}
	if (a->hub != NULL && (a->join_read == 0 || now - a->join_read >= JOIN_READ_MS)) {
		changed |= update_join(a);
		a->join_read = now ? now : 1;
	}
	if (a->kiosks_read == 0 || now - a->kiosks_read >= KIOSKS_READ_MS ||
	    (a->hub == NULL && a->nkiosks > 0)) {
		changed |= update_kiosks(a, info);
		a->kiosks_read = now ? now : 1;
	}
	if (now - a->conf_read >= CONF_READ_MS) {
		sync_reload(a, now);
		a->conf_read = now;
		days_follow(a);
	}
	if (a->agent == NULL) {
		link = a->hub != NULL ? N_("hub") : N_("standalone");
		memset(&st, 0, sizeof st);
	} else {
		agent_state(a->agent, &st);
		/* A hanging round holds the agent, which counts what waits only
		 * between rounds: count it here meanwhile, so the door's own
		 * check-ins show as waiting. */
		if (st.round_ms > MERGE_ROUND_STUCK_MS) {
			if (now - a->waiting_read >= 2000) {
				(void)repl_waiting(a->eng.store, &a->waiting, NULL);
				a->waiting_read = now;
			}
			st.waiting = a->waiting;
		}
		enum merge_link l = merge_link(st.refused, st.online, st.round_ms);
		link = l == MERGE_LINK_REFUSED ? N_("sync refused") :
		    l == MERGE_LINK_ONLINE ? N_("online") : N_("offline");
		/* A join cut short: a valid ticket may be "unknown" here until
		 * the list is all pulled (repl_list_short). */
		if (st.list_short && l != MERGE_LINK_REFUSED)
			link = l == MERGE_LINK_ONLINE ? N_("guest list incomplete") :
			    N_("offline, guest list incomplete");
		/* Why the hub says no, or cannot be trusted, or a Wi-Fi's login
		 * page answers for it, is for the admin screen, not the guest;
		 * taken again (the right hub back, the token renewed), it is
		 * over: an admin screen still saying it would send the
		 * organiser to replace a token that works. */
		note_changed(a, a->refusal_note, st.refused || st.untrusted || st.portal ?
		    st.error : "");
		/* Why the hub is not reached, once the door has been offline
		 * for longer than a blip: staff at the door cannot run kiosk
		 * doctor. curl's words stay kiosk sync's and doctor's: the
		 * advice is what someone at the door can act on. */
		if (merge_unreached_said(st.unreached, l, st.unreached_ms))
			unreached = st.unreached;
	}
	changed |= info->link != link || info->waiting != (int)st.waiting;
	if (st.pulled != a->sync.pulled) {
		/* counted off this thread when it can be (ui/tally.h) */
		if (a->tally != NULL)
			tally_kick(a->tally);
		else
			door_refresh(a->door);
		changed = true;
	}
	changed |= info->list_short != st.list_short;
	/* the admin screen says it in the door's language, the details in
	 * the English of the logs */
	bool problem = (st.refused || st.untrusted || st.portal) &&
	    strcmp(a->problems, st.error) == 0;
	changed |= info->sync_refused != (problem && st.refused) ||
	    info->sync_untrusted != (problem && st.untrusted) ||
	    info->sync_portal != (problem && st.portal);
	info->sync_refused = problem && st.refused;
	info->sync_untrusted = problem && st.untrusted;
	info->sync_portal = problem && st.portal;
	changed |= info->unreached != unreached;
	info->unreached = unreached;
	info->link = link;
	info->list_short = st.list_short;
	info->join = a->hub != NULL ? a->join : NULL; /* it may have stopped serving */
	info->waiting = (int)st.waiting;
	a->sync = st;
	return changed;
}

static void
on_feedback(void *arg, bool good)
{
	struct app *a = arg;
	sound_play(a->sound, good);
}

static void
on_config(void *arg, const struct door_config *cfg)
{
	(void)arg;
	i18n_set(cfg->language);
}

static void
key_to_door(struct app *a, int scancode, bool shift, uint32_t now)
{
	if (shift && scancode == SDL_SCANCODE_TAB) {
		door_key(a->door, DOOR_KEY_BACKTAB, now);
		return;
	}
	static const struct { int sc; enum door_key k; } map[] = {
		{ SDL_SCANCODE_RETURN, DOOR_KEY_ENTER }, { SDL_SCANCODE_KP_ENTER, DOOR_KEY_ENTER },
		{ SDL_SCANCODE_ESCAPE, DOOR_KEY_ESCAPE }, { SDL_SCANCODE_BACKSPACE, DOOR_KEY_BACKSPACE },
		{ SDL_SCANCODE_TAB, DOOR_KEY_TAB }, { SDL_SCANCODE_UP, DOOR_KEY_UP },
		{ SDL_SCANCODE_DOWN, DOOR_KEY_DOWN }, { SDL_SCANCODE_F2, DOOR_KEY_SEARCH },
		{ SDL_SCANCODE_F3, DOOR_KEY_WALKIN }, { SDL_SCANCODE_F12, DOOR_KEY_ADMIN },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].sc == scancode)
			door_key(a->door, map[i].k, now);
}

/* seen_ms: a moment before the last read of the event queue, so every key
 * typed before it has been fed: a pause is judged up to there, never past
 * keys still waiting to be read (SDL's ticks, as the keys). now: the
 * door's clock (door_clock). */
static void
drain_scanner(struct app *a, uint32_t seen_ms, uint32_t now)
{
	struct scanner_out out;
	enum door_burst kind;
	while (scanner_poll(a->scanner, seen_ms, &out)) {
		a->dirty = true;
		switch (out.kind) {
		case SCANNER_OUT_SCAN:
			/* A fast typist's e-mail or name in the search or the
			 * walk-in form: back in the field, then its Return */
			kind = door_burst_typed(a->door, out.code, out.alt, out.typed, now);
			if (kind != DOOR_BURST_SCAN) {
				if (kind == DOOR_BURST_TYPED)
					key_to_door(a, out.scancode, out.shift, now);
				break;
			}
			a->pending_scan_ms = a->last_key_ms;
			door_scan_either(a->door, out.code, out.alt, now);
			break;
		case SCANNER_OUT_BROKEN:
			/* Longer than any code (a link with a tracking token): said
			 * and audited as too long, as the camera's and kiosk
			 * checkin's are, not "scan again" at every try. The kept
			 * head and one byte more are too long for code_normalize. */
			if (out.code_len > SCANNER_MAX_CODE) {
				char longer[SCANNER_MAX_CODE + 2];
				snprintf(longer, sizeof longer, "%s~", out.code);
				door_scan(a->door, longer, strlen(longer), now);
				break;
			}
			/* typed fast and Tabbed past, or paused after: typing */
			kind = door_burst_typed(a->door, out.code, out.alt, out.typed, now);
			if (kind != DOOR_BURST_SCAN) {
				if (kind == DOOR_BURST_TYPED && out.scancode != 0)
					key_to_door(a, out.scancode, out.shift, now);
				break;
			}
			/* A guest's code ended by Tab: a scanner set to send Tab,
			 * and kiosk.conf not told. The guest reads "scan again";
			 * the admin menu says why. Only a guest's: a volunteer's
			 * e-mail typed fast in the walk-in form and Tabbed past
			 * reads the same, and the advice would stop every scan. */
			if (out.scancode == SCANNER_KEY_TAB && out.code_len <= SCANNER_MAX_CODE) {
				if (door_tab_scan(a->door, out.code, out.alt, now))
					snprintf(a->problems, sizeof a->problems, "%s",
					    N_("Scans end with Tab: set [scanner] suffix = tab in kiosk.conf"));
				break;
			}
			door_broken_scan(a->door, now);
			break;
		case SCANNER_OUT_SHORT:
			/* A ticket's code shorter than [scanner] min_length: its
			 * keys went to the screen as typing (a search, the form),
			 * and the guest was not checked in by the scan. Said on
			 * the admin screen, as the Tab scanner is; kiosk doctor
			 * and kiosk import name the value. */
			if (door_short_scan(a->door, out.code, out.alt))
				snprintf(a->problems, sizeof a->problems, "%s",
				    N_("A ticket was scanned but taken for typing: its code is "
				    "shorter than [scanner] min_length in kiosk.conf (kiosk "
				    "doctor says what to set)"));
			break;
		case SCANNER_OUT_KEY:
			key_to_door(a, out.scancode, out.shift, now);
			break;
		case SCANNER_OUT_TEXT:
			door_keys_typed(a->door);   /* a real keyboard: the keys go */
			door_text(a->door, out.text, now);
			break;
		}
	}
}

/* A tap on an on-screen key: letters are typed as a person would write a
 * name in the walk-in form (a capital at the start of a word, and after a
 * hyphen or an apostrophe: Pieter-Jan, D'Hondt), an e-mail address and
 * the search in small letters. */
static void
tap_key(struct app *a, enum door_button b, const char *key, uint32_t now)
{
	struct door_view v;
	if (strcmp(key, "\b") == 0) {
		door_key(a->door, DOOR_KEY_BACKSPACE, now);
		return;
	}
	if (strcmp(key, "\n") == 0) {
		door_key(a->door, DOOR_KEY_ENTER, now);
		return;
	}
	char t[8];
	snprintf(t, sizeof t, "%s", key);
	door_view(a->door, &v);
	if (b == DOOR_BTN_KEY && t[0] >= 'A' && t[0] <= 'Z') {
		const char *field = v.screen == DOOR_WALKIN ? v.fields[v.focus] : v.query;
		size_t n = strlen(field);
		bool word_start = n == 0 || field[n - 1] == ' ' || field[n - 1] == '-' ||
		    field[n - 1] == '\'';
		/* The search is the same in either case; a ticket code typed
		 * there is matched as typed first (guest_find_by_typed_code). */
		if (!word_start || v.screen != DOOR_WALKIN || v.focus == 2)
			t[0] = (char)(t[0] - 'A' + 'a');
	}
	door_text(a->door, t, now);
}

/* The door's clock: SDL's ticks (which the scanner's keys are stamped
 * with), and the time the laptop slept. Ticks stop while the lid is shut:
 * a screen staff left open, which closes after a minute untouched, would
 * still be open when the lid opens an hour later. */
static uint32_t
door_clock(const struct app *a, uint32_t ticks)
{
	return ticks + (uint32_t)a->slept_ms; /* wraps as the ticks do: due() is wrap-safe */
}

/* After a sleep (a lid shut and opened): the figures counted again and a
 * sync round at once, not in a minute: "checked in today" must not be
 * yesterday's the next morning. */
static void
wake_check(struct app *a)
{
	int64_t slept = util_boot_ms() - util_mono_ms() - a->boot_gap;
	if (slept <= a->slept_ms + WOKE_MS)
		return;
	a->slept_ms = slept;
	tally_kick(a->tally);
	agent_kick(a->agent);
	if (a->tally == NULL)
		door_refresh(a->door);
	a->dirty = true;
}

/* The camera's trouble on the admin screen while it lasts (unplugged,
 * busy), and taken down when it runs again. */
static void
camera_note(struct app *a)
{
	char text[512] = "";
	if (camera_state(a->camera) == CAMERA_MISSING)
		camera_status(a->camera, text, sizeof text);
	note_changed(a, a->camera_note, text);
}

/* locked: the kiosk fills the screen; leaving it takes the admin PIN. */
static void
handle(struct app *a, const SDL_Event *ev, bool locked, bool *quit)
{
	uint32_t now = door_clock(a, SDL_GetTicks());
	switch (ev->type) {
	case SDL_QUIT:
		/* The window manager's close (Alt+F4, a close button): the
		 * admin's business, so the PIN screen unless a window on a desk. */
		if (door_close(a->door, locked, now))
			*quit = true;
		a->dirty = true;
		break;
	case SDL_KEYDOWN: {
		const SDL_Keysym *k = &ev->key.keysym;
		/* A repeat may be a scanner's doubled character: the scanner
		 * decides (see scanner.h); shortcuts act once per press. */
		bool repeat = ev->key.repeat != 0;
		/* Ctrl+Q by the letter the layout types: on AZERTY the US Q key
		 * is A, and Ctrl+A (select all) must not open the PIN screen. */
		if ((k->mod & KMOD_CTRL) && k->sym == SDLK_q) {
			if (!repeat)
				door_key(a->door, DOOR_KEY_QUIT, now);
			a->dirty = true;
			break;
		}
		/* With the keyboard grabbed (full screen), or with no window
		 * manager at all (KMSDRM), these reach us instead of a window
		 * manager: Alt+F4 asks to close, Alt+Tab switches to nothing. */
		if ((k->mod & KMOD_ALT) && k->scancode == SDL_SCANCODE_F4) {
			if (!repeat && door_close(a->door, locked, now))
				*quit = true;
			a->dirty = true;
			break;
		}
		if ((k->mod & KMOD_ALT) && k->scancode == SDL_SCANCODE_TAB)
			break;
		a->last_key_ms = ev->key.timestamp;
		struct scanner_in in = { .kind = SCANNER_IN_KEY, .ms = ev->key.timestamp,
			.scancode = k->scancode, .shift = (k->mod & KMOD_SHIFT) != 0,
			.repeat = repeat, .after_read = a->keys_read, .read_ms = a->keys_read_ms };
		scanner_feed(a->scanner, &in);
		break;
	}
	case SDL_TEXTINPUT: {
		struct scanner_in in = { .kind = SCANNER_IN_TEXT, .ms = ev->text.timestamp };
		snprintf(in.text, sizeof in.text, "%s", ev->text.text);
		scanner_feed(a->scanner, &in);
		break;
	}
	case SDL_FINGERDOWN:
		/* A touchscreen: its keyboard on screen again (the tap itself
		 * comes as a mouse click too) */
		door_touched(a->door);
		a->dirty = true;
		break;
	case SDL_MOUSEBUTTONDOWN: {
		if (ev->button.which == SDL_TOUCH_MOUSEID)
			door_touched(a->door);
		/* A click, as the banner asks, takes the keyboard back, with a
		 * window manager or without one. */
		if (a->keys_elsewhere) {
			SDL_RaiseWindow(a->win);
			SDL_SetWindowInputFocus(a->win);
		}
		if (ev->button.button != SDL_BUTTON_LEFT)
			break;
		char key[8] = "";
		int x = ev->button.x, y = ev->button.y;
		/* Logical and output sizes match (no scaling), but HiDPI may not. */
		int ww, wh, ow, oh;
		SDL_GetWindowSize(a->win, &ww, &wh);
		SDL_GetRendererOutputSize(a->ren, &ow, &oh);
		if (ww > 0 && wh > 0) {
			x = x * ow / ww;
			y = y * oh / wh;
		}
		enum door_button b = render_hit(a->render, x, y, key);
		if (b == DOOR_BTN_KEY || b == DOOR_BTN_PIN)
			tap_key(a, b, key, now);
		else if (b != DOOR_BTN_NONE)
			door_tap(a->door, b, now);
		a->dirty = true;
		break;
	}
	case SDL_WINDOWEVENT:
		/* Lost and gained, not asked at each frame: a driver with no
		 * keyboard at all (offscreen) never has the focus and never
		 * loses it. */
		if (ev->window.event == SDL_WINDOWEVENT_FOCUS_LOST)
			a->keys_elsewhere = true;
		else if (ev->window.event == SDL_WINDOWEVENT_FOCUS_GAINED)
			a->keys_elsewhere = false;
		a->dirty = true;
		break;
	default:
		break;
	}
}

static void
update_preview(struct app *a)
{
	static uint8_t grey[320 * 240];
	int w, h;
	if (a->camera == NULL || !camera_preview(a->camera, grey, 320, 240, &w, &h,
	    &a->preview_serial))
		return;
	if (a->preview == NULL)
		a->preview = SDL_CreateTexture(a->ren, SDL_PIXELFORMAT_ARGB8888,
		    SDL_TEXTUREACCESS_STREAMING, 320, 240);
	if (a->preview == NULL)
		return;
	void *px;
	int pitch;
	if (SDL_LockTexture(a->preview, NULL, &px, &pitch) != 0)
		return;
	for (int y = 0; y < 240; y++) {
		Uint32 *row = (Uint32 *)((Uint8 *)px + (size_t)y * pitch);
		for (int x = 0; x < 320; x++) {
			uint8_t g = x < w && y < h ? grey[y * w + x] : 0;
			row[x] = 0xFF000000u | (Uint32)g << 16 | (Uint32)g << 8 | g;
		}
	}
	SDL_UnlockTexture(a->preview);
	a->dirty = true;
}

static const char *
screen_name(enum door_screen s)
{
	static const char *const names[] = { "idle", "result", "search", "confirm", "undo",
		"walkin", "walkin_done", "pin", "admin", "failed" };
	return (size_t)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* One line per screen shown, for tests that drive the real window: the
 * admin screen's advice on a hub not reached too (render_info.unreached). */
static void
trace(const char *path, const struct door_view *v, const struct render_info *in)
{
	static const char *const unreached[] = {
		[MERGE_UNREACHED_NONE] = "", [MERGE_UNREACHED_SILENT] = "silent",
		[MERGE_UNREACHED_MDNS] = "mdns", [MERGE_UNREACHED_DNS] = "dns",
		[MERGE_UNREACHED_PORT] = "port", [MERGE_UNREACHED_PROXY] = "proxy",
		[MERGE_UNREACHED_HUNG] = "hung", [MERGE_UNREACHED_CUT] = "cut",
		[MERGE_UNREACHED_HUB_FULL] = "hub_full", [MERGE_UNREACHED_HUB_FAILED] = "hub_failed",
		[MERGE_UNREACHED_WANTS_HTTPS] = "wants_https",
		[MERGE_UNREACHED_WANTS_HTTP] = "wants_http", [MERGE_UNREACHED_BEHIND] = "behind",
	};
	FILE *fp = fopen(path, "a");
	if (fp == NULL)
		return;
	fprintf(fp, "screen %s", screen_name(v->screen));
	if (v->screen == DOOR_RESULT && v->outcome != NULL)
		fprintf(fp, " %s", checkin_result_name(v->outcome->result));
	if (v->screen == DOOR_ADMIN && in->unreached != MERGE_UNREACHED_NONE)
		fprintf(fp, " unreached %s", unreached[in->unreached]);
	if (v->notice != NULL)
		fprintf(fp, " notice %s", v->notice);
	fputc('\n', fp);
	fclose(fp);
}

/* A walk-in just registered, or (with print_checkins) a guest just
 * admitted: their badge goes to the printer, off this thread. Once per
 * admission or walk-in, told apart by its own uuid or code, not by the
 * screen: a guest scanned while the last one's result is still shown
 * replaces it with no other screen between, and an answer or a walk-in's
 * code comes back after other screens (Undo, then No; a scan between, and
 * the next guest's answer, printed, before an Undo question held comes
 * back): the last PRINTED_KEPT are remembered, more than can come back.
 * A walk-in's admission prints nothing more: their badge came out when
 * they were registered. */
static void
queue_badge(struct app *a, const struct door_view *v, uint32_t now)
{
	struct guest g;
	const struct guest *src = NULL;
	const char *key = "";
	bool found = false;
	if (a->printq == NULL)
		return;
	bool walkin = v->screen == DOOR_WALKIN_DONE && a->cf->print_walkins &&
	    v->walkin_code != NULL;
	/* at their arrival only: not again at a re-entry, nor each morning
	 * of an event of days (they have it on) */
	bool admitted = v->screen == DOOR_RESULT && a->cf->print_checkins && v->outcome != NULL &&
	    v->outcome->result == CHECKIN_ADMITTED && v->outcome->has_guest &&
	    v->outcome->arrival;
	if (walkin)
		key = v->walkin_code;
	else if (admitted)
		key = v->outcome->checkin_uuid;
	else
		return;
	/* A walk-in's badge was printed under their code when registered:
	 * their admission (Check in now, with print_checkins too) is no
	 * second badge. */
	const char *code = admitted ? v->outcome->guest.code : NULL;
	for (unsigned i = 0; i < PRINTED_KEPT && i < a->nprinted; i++)
		if (strcmp(key, a->printed[i]) == 0 ||
		    (code != NULL && strcmp(code, a->printed[i]) == 0))
			return;
	snprintf(a->printed[a->nprinted++ % PRINTED_KEPT], sizeof a->printed[0], "%s", key);
	if (walkin) {
		found = guest_find_by_code(a->eng.store, v->walkin_code, &g, NULL) == 1;
		src = found ? &g : NULL;
	} else if (admitted) {
		src = &v->outcome->guest;
	}
	if (src != NULL) {
		struct badge_info b = { src->first_name, src->last_name, src->company, src->handle,
			src->ticket_type, store_event(a->eng.store)->name, src->code };
		/* The printer hangs or is far behind: said now, since nothing
		 * else will be until a job ends, and this badge is not printed. */
		if (!printq_add(a->printq, &b)) {
			door_notice(a->door, "print_full", now);
			snprintf(a->problems, sizeof a->problems, "%s",
			    N_("Printer: too many badges waiting"));
			a->dirty = true;
		}
	}
	if (found)
		guest_clear(&g);
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static void
write_timings(struct app *a, const char *path, double start_ms, double idle_rss)
{
	double rss, peak;
	FILE *fp = fopen(path, "w");
	if (fp == NULL)
		return;
	memory(&rss, &peak);
	fprintf(fp, "start_to_ready_ms %.1f\nrss_idle_mb %.1f\nrss_end_mb %.1f\n"
	    "rss_peak_mb %.1f\n", start_ms, idle_rss, rss, peak);
	if (a->nlat > 0) {
		/* the first code is typed as soon as the door is drawn: what a
		 * guest at a door started mid-rush (a restart) waits */
		fprintf(fp, "first_scan_ms %.2f\n", a->lat[0]);
		qsort(a->lat, a->nlat, sizeof *a->lat, cmp_double);
		fprintf(fp, "scans %zu\nscan_to_frame_p50_ms %.2f\nscan_to_frame_p99_ms %.2f\n"
		    "scan_to_frame_p999_ms %.2f\n", a->nlat, a->lat[a->nlat / 2],
		    a->lat[(a->nlat * 99) / 100], a->lat[(a->nlat * 999) / 1000]);
	}
	fclose(fp);
}

/* What the door and app_fault draw on: translations in language (NULL:
 * English), signals turned into app_stop, SDL, the display (never one
 * that draws nowhere), the fonts, the window and its renderer. Returns 0,
 * or -1 with *cause; screen_close undoes what was done either way. */
static int
screen_open(struct app *a, const char *language, const struct app_options *o, bool locked,
    char **cause)
{
	char *localedir = app_localedir();
	i18n_init(localedir);
	free(localedir);
	i18n_set(i18n_index(language != NULL ? language : "en"));

	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	/* SDL would turn SIGTERM into SDL_QUIT, which a full-screen kiosk
	 * answers with the PIN screen: systemctl stop would wait, then kill. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	/* A desktop laptop blanks and locks its screen after a few quiet
	 * minutes (GNOME: 5), the door black and the scanner typing into the
	 * lock screen. SDL keeps the screen on while its window is open: on
	 * X11 (XWayland too) it suspends the X screen saver and asks
	 * org.freedesktop.ScreenSaver.Inhibit, which GNOME (its settings
	 * daemon's proxy, an idle inhibitor of the session), KDE and
	 * others honour. These name the door among the session's inhibitors
	 * (gnome-session-inhibit --list) instead of "My SDL application:
	 * Playing a game" (SDL_APP_NAME also names the door's sound to
	 * PulseAudio). */
	SDL_SetHint(SDL_HINT_APP_NAME, "kiosk");
	SDL_SetHint(SDL_HINT_SCREENSAVER_INHIBIT_ACTIVITY_NAME, "kiosk door: checking guests in");
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &a->old_term);
	sigaction(SIGINT, &sa, &a->old_int);
	sigaction(SIGHUP, &sa, &a->old_hup);
	a->signals_set = true;
	if (SDL_Init(SDL_INIT_VIDEO) != 0)
		return util_fail(cause, "cannot open the display: %s", SDL_GetError());
	a->sdl = true;
	/* With no display and no console screen SDL falls back on a driver
	 * that draws nowhere: a door nobody can see, still taking scans from
	 * a scanner. Only a test asks for one by name. */
	const char *drv = SDL_GetCurrentVideoDriver(), *asked = SDL_getenv("SDL_VIDEODRIVER");
	if (drv != NULL && (SDL_strcasecmp(drv, "offscreen") == 0 ||
	    SDL_strcasecmp(drv, "dummy") == 0) && (asked == NULL || SDL_strcasecmp(asked, drv) != 0))
		return util_fail(cause, "no display to open the door app on (DISPLAY and "
		    "WAYLAND_DISPLAY are not set, and no console screen could be opened): start it "
		    "on the laptop's own screen, or on a console with SDL_VIDEODRIVER=kmsdrm");
	/* The software renderer starts in milliseconds where the GL path on a
	 * machine without a GPU spends ~200 ms (DESIGN.md). It draws into the
	 * window's own framebuffer, which KMSDRM (a console, no desktop) does
	 * not have: there SDL carries the frame to the screen as a texture. */
	if (drv == NULL || SDL_strcasecmp(drv, "KMSDRM") != 0)
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	char *fontdir = xasprintf("%s/fonts", app_datadir()), *err = NULL;
	int trc = text_open(fontdir, &a->text, &err);
	free(fontdir);
	if (trc != 0) {
		util_fail(cause, "%s", err);
		free(err);
		return -1;
	}
	a->win = open_window(o->width, o->height, locked);
	if (a->win == NULL)
		return util_fail(cause, "cannot open a window: %s", SDL_GetError());
	/* Full screen, every key is ours while the kiosk has the focus (an X
	 * keyboard grab, taken again whenever the focus comes back): a
	 * desktop's Alt+Tab, Alt+F4 and Super never reach its window manager. */
	if (locked)
		SDL_SetWindowKeyboardGrab(a->win, SDL_TRUE);
	a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
	if (a->ren == NULL)
		return util_fail(cause, "cannot draw in the window: %s", SDL_GetError());
	return 0;
}

static void
screen_close(struct app *a)
{
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->win)
		SDL_DestroyWindow(a->win);
	text_close(a->text);
	if (a->sdl)
		SDL_Quit();
	if (a->signals_set) {
		sigaction(SIGTERM, &a->old_term, NULL);
		sigaction(SIGINT, &a->old_int, NULL);
		sigaction(SIGHUP, &a->old_hup, NULL);
	}
	a->ren = NULL;
	a->win = NULL;
	a->text = NULL;
	a->sdl = a->signals_set = false;
}

int
app_fault(const char *why, const char *language, bool full, const struct app_options *o,
    app_ready_fn ready, void *arg, char **cause)
{
	struct app a;
	memset(&a, 0, sizeof a);
	struct render *rd = NULL;
	char *shown = xstrdup(why);
	int rc = -1;

	if (screen_open(&a, language, o, !o->windowed && full, cause) != 0)
		goto out;
	rd = render_new(a.ren, a.text);
	rc = 1;
	bool dirty = true;
	uint32_t started = SDL_GetTicks(), tried = started;
	while (!app_stop) {
		SDL_Event ev;
		bool quit = false;
		if (SDL_WaitEventTimeout(&ev, 100)) {
			do {
				const SDL_Keysym *k = &ev.key.keysym;
				quit |= ev.type == SDL_QUIT || (ev.type == SDL_KEYDOWN &&
				    (k->sym == SDLK_ESCAPE || ((k->mod & KMOD_CTRL) && k->sym == SDLK_q)));
				dirty |= ev.type == SDL_WINDOWEVENT;
			} while (SDL_PollEvent(&ev));
		}
		if (quit)
			break;
		uint32_t now = SDL_GetTicks();
		if (now - tried >= APP_FAULT_RETRY_MS) {
			tried = now;
			char *again = NULL;
			if (ready(arg, &again) == 0) {
				/* a stop asked while it tried (a slow disk) is a stop */
				rc = app_stop ? 1 : 0;
				break;
			}
			if (again != NULL && strcmp(again, shown) != 0) {
				/* the log says what the screen says (journalctl) */
				fprintf(stderr, "kiosk: run: %s\n", again);
				free(shown);
				shown = again;
				again = NULL;
				dirty = true;
			}
			free(again);
		}
		if (dirty) {
			render_fault(rd, shown);
			SDL_RenderPresent(a.ren);
			if (o->screenshot != NULL)
				shot_save(a.ren, o->screenshot, NULL);
			dirty = false;
		}
		if (o->exit_after_ms > 0 && now - started >= (uint32_t)o->exit_after_ms)
			break;
	}
out:
	render_free(rd);
	screen_close(&a);
	free(shown);
	return rc;
}

int
app_run(const struct conf *cf, struct store *s, const char *kiosk,
    const struct app_options *o, char **cause)
{
	int64_t t0 = o->started_ns ? o->started_ns : util_mono_ns();
	double idle_rss = 0, unused;
	struct app a;
	char *err = NULL;
	int rc = -1;
	bool quit = false;

	memset(&a, 0, sizeof a);
	a.cf = cf;
	a.lat = xcalloc(MAX_TIMINGS, sizeof *a.lat);
	const char *datadir = app_datadir();
	bool locked = !o->windowed && cf->fullscreen;
	if (screen_open(&a, cf->language, o, locked, cause) != 0)
		goto out;
	a.render = render_new(a.ren, a.text);
	a.sound = sound_open();
	const char *nofont = text_missing(a.text);
	if (nofont != NULL && nofont[0] != '\0')
		snprintf(a.problems, sizeof a.problems, "%s %s", _("Fonts missing:"), nofont);
	else if (a.sound == NULL)
		snprintf(a.problems, sizeof a.problems, "%s", N_("No audio device: no sounds."));
	if (cf->camera_device[0] != '\0')
		a.camera = camera_start(cf->camera_device, cf->camera_width, cf->camera_height);

	static const enum scanner_suffix suffix[] = {
		[CONF_SUFFIX_RETURN] = SCANNER_SUFFIX_RETURN, [CONF_SUFFIX_TAB] = SCANNER_SUFFIX_TAB,
		[CONF_SUFFIX_NONE] = SCANNER_SUFFIX_NONE,
	};
	struct scanner_config scfg = { cf->scanner_gap_ms, cf->scanner_min_length,
		suffix[cf->scanner_suffix] };
	a.scanner = scanner_new(&scfg);
	if (cf->print_walkins || cf->print_checkins) {
		char *fonts = xasprintf("%s/fonts", datadir);
		badge_use_fonts(fonts);
		free(fonts);
		a.badge_fonts = true;
		a.printq = printq_start(cf->badge_layout, cf->badge_printer);
		if (a.printq == NULL)
			snprintf(a.problems, sizeof a.problems, _("No badges printed: unknown badge "
			    "layout '%s' in kiosk.conf"), cf->badge_layout);
	}
	a.eng.store = s;
	a.eng.kiosk = kiosk;
	a.eng.pin_hash = cf->admin_pin_hash;
	a.eng.now = NULL;
	a.eng.on_config = on_config;
	a.eng.on_feedback = on_feedback;
	a.eng.on_change = on_change;
	a.eng.arg = &a;
	/* each_day: kiosk.conf's, or the hub's (cli_open) */
	if (checkin_policy_from_conf(cf, store_each_day(s), &a.eng.policy, cause) != 0)
		goto out;
	struct door_config dcfg = { cf->result_seconds * 1000, cf->mode == CONF_MODE_EXIT,
	    cf->sound, i18n_index(cf->language), cf->admin_pin_hash[0] != '\0', cf->reentry,
	    cf->staff_pin };
	a.door = door_new(&engine_ops, &a.eng, &dcfg);
	store_set_busy_timeout(s, APP_BUSY_MS);
	/* a scan does not wait for this door's sync taking in a big update */
	store_set_first(s);
	/* Without it the door counts on this thread, as before: slower at a
	 * 100,000-guest event, never wrong. */
	char *no_tally = NULL;
	a.tally = tally_start(store_path(s), 2000, &no_tally);
	free(no_tally);
	tally_set_each_day(a.tally, a.eng.policy.each_day);
	if (store_start_checkpointer(s, STORE_DOOR, &err) != 0) {
		util_fail(cause, "%s", err);
		goto out;
	}
	SDL_StartTextInput();
	if (o->bench_codes != NULL)
		load_codes(&a, o->bench_codes);

	/* conf_watch stays zero: the first look reads kiosk.conf and compares its
	 * [sync] with what the door started with, so that a join between the
	 * door's reading it and now is not missed. */
	a.conf_path = o->config;
	start_sync(&a, SDL_GetTicks());
	struct render_info info = {
		.event_name = store_event(s)->name, .kiosk_name = kiosk, .link = N_("standalone"),
		.show_fields = (const char *const *)cf->show_fields,
		.n_show_fields = cf->n_show_fields, .problems = a.problems,
		.join = a.hub != NULL ? a.join : NULL, .no_pin = cf->admin_pin_hash[0] == '\0',
		.no_audio = a.sound == NULL,
	};
	double start_ms = -1;
	a.dirty = true;
	a.last_screen = DOOR_IDLE;
	uint32_t started = SDL_GetTicks();
	a.boot_gap = util_boot_ms() - util_mono_ms();
	while (!quit && !app_stop) {
		SDL_Event ev;
		wake_check(&a); /* before the keys: a key read after a sleep is on its clock */
		uint32_t seen = SDL_GetTicks();
		if (SDL_WaitEventTimeout(&ev, 10)) {
			handle(&a, &ev, locked, &quit);
			while (SDL_PollEvent(&ev))
				handle(&a, &ev, locked, &quit);
		}
		uint32_t now = SDL_GetTicks(), door_now = door_clock(&a, now);
		/* Read dry just before now: a key read next was typed after. A key
		 * stamped later than it was typed (the loop busy or not scheduled)
		 * then splits no scan. */
		a.keys_read = true;
		a.keys_read_ms = now;
		drain_scanner(&a, seen, door_now);
		/* Mid-burst, read keys as they come: SDL stamps a key when it is
		 * read, so a frame drawn between two keys of a scan (50 ms on a
		 * slow machine) would look like a pause and split the code. A
		 * scanner that never stops still gets a frame a second. */
		uint32_t since = 0;
		bool defer = scanner_holding(a.scanner, &since) && now - since < DEFER_MAX_MS;
		if (defer)
			tally_quiet(a.tally, TALLY_QUIET_MS);
		char code[CAMERA_MAX_CODE + 1];
		while (a.camera != NULL && camera_poll(a.camera, code, sizeof code)) {
			door_scan(a.door, code, strlen(code), door_now);
			a.dirty = true;
		}
		if (!defer)
			update_preview(&a);
		if (a.camera != NULL)
			camera_note(&a);
		door_tick(a.door, door_now);
		/* The recount it may do (tens of ms on a 20,000-guest event while
		 * other doors sync) would split a scan as a frame would: after
		 * the burst. */
		if (!defer && update_link(&a, &info, now))
			a.dirty = true;
		struct door_view v;
		door_view(a.door, &v);
		if (v.quit)
			break;
		if (v.screen != a.last_screen) {
			a.dirty = true;
			a.last_screen = v.screen;
		}
		queue_badge(&a, &v, door_now);
		bool printed_ok;
		if (printq_result(a.printq, a.print_news, sizeof a.print_news, &printed_ok)) {
			door_notice(a.door, a.print_news, door_now);
			if (!printed_ok)
				snprintf(a.problems, sizeof a.problems, "%s", a.print_news);
			a.dirty = true;
		}
		/* A notice just given (the printer's queue full at this guest's
		 * badge) is drawn with this frame: taken with the view before it,
		 * it waited for the next frame, and a guest scanned meanwhile
		 * replaced it unseen. */
		if (a.dirty)
			door_view(a.door, &v);
		uint32_t every = v.screen == DOOR_RESULT ? RESULT_REDRAW_MS : IDLE_REDRAW_MS;
		if (!defer && (a.dirty || now - a.drawn_at >= every)) {
			bool changed = a.dirty;
			info.keys_elsewhere = a.keys_elsewhere;
			info.preview = a.camera != NULL && camera_state(a.camera) == CAMERA_RUNNING ?
			    a.preview : NULL;
			render_frame(a.render, &v, &info, door_now);
			SDL_RenderPresent(a.ren);
			a.drawn_at = SDL_GetTicks();
			a.dirty = false;
			if (start_ms < 0) {
				start_ms = (double)(util_mono_ns() - t0) / 1e6;
				memory(&idle_rss, &unused);
			}
			if (a.injected_ns != 0 && v.screen == DOOR_RESULT) {
				if (a.nlat < MAX_TIMINGS)
					a.lat[a.nlat++] = (double)(util_mono_ns() - a.injected_ns) / 1e6;
				a.injected_ns = 0;
				a.pending_scan_ms = 0;
			}
			if (a.codes == NULL && a.pending_scan_ms != 0 && v.screen == DOOR_RESULT) {
				if (a.nlat < MAX_TIMINGS)
					a.lat[a.nlat++] = (double)(a.drawn_at - a.pending_scan_ms);
				a.pending_scan_ms = 0;
			}
			if (changed && o->screenshot != NULL)
				shot_save(a.ren, o->screenshot, NULL);
			if (changed && o->trace != NULL)
				trace(o->trace, &v, &info);
		}
		/* A damaged file takes no scan (store_begin refuses them, red at
		 * the door); the admin screen says why, and the kiosk exits 1. */
		if (a.damage == NULL && store_damage(s, &a.damage) == 1) {
			snprintf(a.problems, sizeof a.problems, "%s", a.damage);
			info.damaged = true;
			a.dirty = true;
		}
		if (o->exit_after_ms > 0 && now - started >= (uint32_t)o->exit_after_ms)
			break;
		/* Bench: the next code once the last one's result is on screen. */
		if (a.codes != NULL && a.injected_ns == 0 && start_ms >= 0) {
			if (a.next_code == a.ncodes) {
				if (o->exit_after_ms > 0)
					continue; /* tests: stay until --exit-after */
				break;
			}
			inject_code(a.codes[a.next_code++]);
			a.injected_ns = util_mono_ns();
		}
	}
	if (o->timings != NULL)
		write_timings(&a, o->timings, start_ms, idle_rss);
	if (a.damage == NULL)
		(void)store_damage(s, &a.damage); /* checked by now, if it ran long enough */
	if (a.damage != NULL) {
		util_fail(cause, "%s", a.damage);
		goto out;
	}
	rc = 0;
out:
	free(a.damage);
	free(err);
	agent_stop(a.agent); /* before the door's store closes: its own connection */
	tally_stop(a.tally);
	/* agents replaced by new ones: their rounds give up at once, and a
	 * page being applied is short */
	for (int waited = 0; atomic_load(&retiring) > 0; waited += 10) {
		if (waited == EXIT_WAIT_MS) {
			fprintf(stderr, "kiosk: run: a sync or hub thread did not stop in %d s; "
			    "leaving without it (its transaction, if any, rolls back)\n",
			    EXIT_WAIT_MS / 1000);
			break;
		}
		SDL_Delay(10);
	}
	conf_sync_free(&a.synced);
	serving_free(&a.serving);
	hub_stop(a.hub);
	door_free(a.door);
	if (a.printq != NULL)
		printq_stop(a.printq);
	if (a.printq != NULL || a.badge_fonts)
		badge_shutdown();
	scanner_free(a.scanner);
	camera_stop(a.camera);
	sound_close(a.sound);
	render_free(a.render);
	if (a.preview)
		SDL_DestroyTexture(a.preview);
	screen_close(&a);
	for (size_t i = 0; i < a.ncodes; i++)
		free(a.codes[i]);
	free(a.codes);
	free(a.lat);
	return rc;
}
