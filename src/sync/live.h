/* live: the organiser's page on the hub, at "/".
 *
 * Server-side HTML for a phone or a laptop on the venue network: checked in
 * out of registered, arrivals over the last hours, every kiosk with its last
 * contact and what it has waiting, the latest duplicate entries, and the
 * exports to download. A few lines of inline script refresh it every 5 s;
 * no framework, no external assets (it works without internet).
 *
 * Rules:
 *  - Behind a login: the organiser's password, set with `kiosk hub
 *    password`, stored as an Argon2id hash in the event database (setting
 *    table). Without a session nothing but the login form is served; with
 *    no password set, the page says how to set one and serves nothing else.
 *  - A session is 32 random bytes in an HttpOnly, SameSite=Strict cookie
 *    (Secure over https), for 12 hours, kept hashed in the event so that
 *    the hub started again keeps it; logging out ends it. A failed login
 *    makes the next from that address wait a second, and after five in a
 *    row 30 s, doubling up to 15 min, so a password cannot be guessed at
 *    speed. A browser that logged in also gets a device cookie (30 days):
 *    its next login is throttled by itself, not by its address, which a
 *    guesser behind the same NAT may share (throttle_who).
 *  - Served only to a Host that is an address, localhost, this computer's
 *    name or one in [hub] names (hub.c, hostname.h): DNS rebinding.
 *  - Kiosks are not served here: their requests carry a token (hub.c) and
 *    report their waiting records (live_seen) for the page to show. */
#ifndef KIOSK_LIVE_H
#define KIOSK_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/store.h"

#define LIVE_FORM_MAX 4096      /* bytes of a login form */

struct live;

/* https: the hub serves TLS (cookies get Secure). door: the name of the door
 * app that serves as the hub, or NULL (kiosk hub): the page lists that door
 * first among the kiosks, as the hub. */
/* localedir: where the translations are (<localedir>/nl/LC_MESSAGES/kiosk.mo,
 * as the door's); NULL, or one missing: that language's page is English.
 * language: kiosk.conf's, the page's when the browser asks for none of
 * kiosk's languages (NULL: English). */
struct live *live_new(bool https, const char *door, const char *localedir,
    const char *language);
void live_free(struct live *lv);

/* The kiosks of the event (those with a token), by name, with what this
 * hub heard from each: fn is called for each (non-zero stops). Returns the
 * number, or -1 with *cause. */
struct live_kiosk {
	const char *name;
	const char *door;        /* the name it gives itself, when it pushed a
	                          * check-in (device.h); else NULL */
	int64_t at;              /* ms UTC of its last request; 0: never */
	int64_t waiting;         /* records it said it had then; -1: not said */
	int64_t since_ms;        /* how long ago that was (on the boot clock,
	                          * which counts a sleep, when this hub heard
	                          * it); -1: never */
	bool revoked;
};
typedef int (*live_kiosk_fn)(const struct live_kiosk *k, void *arg);
int live_kiosks(struct live *lv, struct store *s, live_kiosk_fn fn, void *arg, char **cause);

/* A kiosk not heard from for longer is shown in warning colours. */
#define LIVE_QUIET_MS 60000

/* The "Waiting to sync" cell of a kiosk's row into b, in lang (enum lang):
 * waiting, the records it said it had at its last contact (-1: not said),
 * since_ms ago (-1: never, or revoked). */
struct buf;
void live_waiting_cell(const struct live *lv, int lang, struct buf *b, int64_t waiting,
    int64_t since_ms);

/* A kiosk's request: when, and the records it says it has waiting (-1:
 * it did not say). */
void live_seen(struct live *lv, const char *device, int64_t now, int64_t waiting);

/* After a push that was stored: more, the device has more to push (it said
 * it had more waiting than this push held), for the next for_ms at most;
 * a pull from it (more false) says it is done. A push that failed changes
 * nothing, so a device that cannot push is not waited for again and again. */
void live_push_state(struct live *lv, const char *device, bool more, int64_t for_ms);
/* Devices other than device that are still pushing. */
int live_pushing(struct live *lv, const char *device);

/* Whether url is one of the page's paths. */
bool live_owns(const char *url);

struct live_request {
	const char *method;
	const char *url;
	const char *cookie;       /* the Cookie header, or NULL */
	const char *part;         /* the "part" query argument, or NULL */
	const char *body;         /* a POST's form, NUL-terminated, or NULL */
	const char *client;       /* the client's address as text, or NULL */
	bool cross_site;          /* sent by another site's page (Sec-Fetch-Site, Origin) */
	const char *lang;         /* the "lang" query argument (the page's language
	                           * links), or NULL */
	const char *accept_language; /* the Accept-Language header, or NULL */
};

struct live_answer {
	unsigned int status;
	const char *type;         /* Content-Type */
	char *body;               /* owned */
	size_t len;
	char *set_cookie;         /* owned, or NULL */
	char *set_device;         /* a second Set-Cookie (the device's), owned, or NULL */
	const char *location;     /* a redirect, or NULL */
	const char *filename;     /* a download's name, or NULL */
	bool signed_in;           /* the request carried a valid login, or made one */
};

/* Serve one request on s (the hub thread's connection). */
/* Forget the logins and the known devices (DEVICE_COOKIE) kept in the
 * event (a new password ends them: they are refused anyway, and need not
 * wait 12 hours, or 30 days, to go). 0, or -1 with *cause. */
int live_forget_sessions(struct store *s, char **cause);

/* Was a request sent by another site's page? From its Sec-Fetch-Site,
 * else its Origin against its Host (each NULL when absent). */
bool live_cross_site(const char *fetch_site, const char *origin, const char *host);

void live_serve(struct live *lv, struct store *s, const struct live_request *rq,
    struct live_answer *a);

void live_answer_clear(struct live_answer *a);

#endif
