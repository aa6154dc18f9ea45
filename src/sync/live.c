/* live: the organiser's page on the hub (see live.h). */
#define _GNU_SOURCE /* pthread_mutex_clocklock: a wait a wall clock set back cannot stretch */
#include "sync/live.h"

#include <malloc.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/attend.h"
#include "core/catalog.h"
#include "core/device.h"
#include "core/ktime.h"
#include "core/lang.h"
#include "core/secret.h"
#include "core/throttle.h"
#include "core/util.h"
#include "report/listing.h"
#include "report/plot.h"
#include "report/xlsx.h"

#define SESSIONS      32                    /* logged-in browsers at once */
#define SESSION_MS    (12LL * 3600 * 1000)  /* a session lasts 12 hours */
#define SESSION_BYTES 32
#define COOKIE        "kiosk_session"
/* A browser that logged in is given a second cookie, for 30 days: at its
 * next login it is throttled by itself, not by its address (throttle_who),
 * so a guesser behind the same NAT does not keep it out. */
#define DEVICE_COOKIE "kiosk_device"
#define DEVICE_MS     (30LL * 24 * 3600 * 1000)
#define KIOSKS_MAX    256                   /* kiosks remembered by live_seen */
#define WINDOW_SLOTS  12                    /* arrivals shown: 3 hours of quarters */
#define DUPES_SHOWN   10
#define ADDRESSES     1024                  /* client addresses the login throttle keeps */
#define LOGIN_WAIT_MS 2000                  /* a clean address waits this long for its turn, */
/* so many at a time: with the one checking, three of the hub's four
 * threads at most, whatever guessers on however many addresses do
 * (three waiters once took all four, and doors' syncs stalled 18 s while
 * guessers on 220 addresses came and went from a table of 64, each
 * forgotten one clean again). libmicrohttpd serves a connection on the
 * thread that took it, so a door's request on a waiting thread waits too,
 * at most LOGIN_WAIT_MS: slower, never shut out. Two, not one: when
 * guessers start, each new address is clean for its first try, and the
 * organiser must still find a place to wait. */
#define LOGIN_WAITERS 2

struct session {
	unsigned char key[SESSION_BYTES];
	unsigned char password[16];             /* which password it logged in with */
	int64_t expires;                        /* boot clock ms; 0: free */
};

/* A fingerprint of the stored password hash (Argon2id, salted: a new
 * password, even the same one set again, has another): a session logged in
 * under one ends when `kiosk hub password` sets another. */
static void
password_print(const char *hash, unsigned char out[16])
{
	crypto_generichash(out, 16, (const unsigned char *)hash, strlen(hash), NULL, 0);
}

struct seen {
	char name[DEVICE_NAME_MAX + 1];
	int64_t at;                             /* ms UTC of the last request */
	int64_t boot;                           /* ... and on the boot clock */
	int64_t waiting;                        /* -1: unknown */
	int64_t pushing_until;                  /* boot clock ms; 0: not pushing */
};

/* A kiosk's row as read with the figures. */
struct fig_kiosk {
	char name[DEVICE_NAME_MAX + 1];
	char door[DEVICE_NAME_MAX + 1];         /* "": none said */
	int64_t waiting;                        /* as live_kiosk */
	int64_t since_ms;
	bool revoked;
};

/* A duplicate entry's row, its times already written (ktime_when: the
 * same in every language). */
struct fig_dupe {
	char *name, *first_kiosk, *later_kiosk;
	char first[KTIME_BUF], later[KTIME_BUF];
};

/* The live part's figures, read in one snapshot of the event, without a
 * word of any language: made once for every language open (reading them
 * is what costs, 0.1 to 0.6 s at 20,000 guests; writing them in a
 * language is a few hundred microseconds). */
struct figures {
	int64_t now;                            /* store_now when read */
	struct attend_counts c;
	int no_shows, cancelled_after_checkin, duplicate_entries;
	bool each_day;                          /* store_each_day */
	int64_t start;                          /* the arrivals window's first quarter */
	int v[WINDOW_SLOTS];                    /* its arrivals */
	struct fig_kiosk *kiosks;
	size_t nkiosks;
	struct fig_dupe dupes[DUPES_SHOWN];
	size_t ndupes;
};

/* The live part as last written in one language, from the figures of
 * generation gen. */
struct part {
	char *html;                             /* NULL: none yet */
	size_t len;
	uint64_t gen;                           /* the figures it was written from */
};

struct live {
	bool https;
	char door[DEVICE_NAME_MAX + 1];         /* the door serving as the hub; "": none */
	struct catalog *cat[LANG_COUNT];        /* translations; NULL: English (or none found) */
	int lang;                               /* kiosk.conf's language: the page's when the
	                                         * browser asks for none of kiosk's */
	pthread_mutex_t lock;                   /* guards everything below */
	struct session sessions[SESSIONS];
	struct seen seen[KIOSKS_MAX];
	size_t nseen;
	struct throttle *throttle;              /* login tries per client address */
	pthread_mutex_t check;                  /* one Argon2id check at a time */
	int login_waiting;                      /* clean addresses waiting for it (lock) */
	pthread_mutex_t making;                 /* one download made at a time */
	struct figures *fig;                    /* the latest figures; NULL: none yet (lock) */
	uint64_t fig_gen;                       /* counts the figures read (lock) */
	int64_t fig_at;                         /* read at this boot clock ms (lock) */
	bool fig_making;                        /* one thread reading them anew (lock) */
	struct part part[LANG_COUNT];           /* the live part in each language (lock) */
};

static void figures_free(struct figures *f);

struct live *
live_new(bool https, const char *door, const char *localedir, const char *language)
{
	struct live *lv = xcalloc(1, sizeof *lv);
	lv->https = https;
	if (door != NULL)
		snprintf(lv->door, sizeof lv->door, "%s", door);
	lv->lang = lang_choose(language, NULL, LANG_EN);
	for (int l = LANG_EN + 1; l < LANG_COUNT && localedir != NULL; l++) {
		char *cause = NULL;
		lv->cat[l] = catalog_load(localedir, lang_code(l), "kiosk", &cause);
		if (lv->cat[l] == NULL) {
			/* An install without its translations: the page in English
			 * rather than none; said once, for whoever packaged it. */
			fprintf(stderr, "kiosk: hub: the live page has no %s translation (%s); it "
			    "shows English instead\n", lang_code(l), cause);
			free(cause);
		}
	}
	pthread_mutex_init(&lv->lock, NULL);
	pthread_mutex_init(&lv->check, NULL);
	pthread_mutex_init(&lv->making, NULL);
	lv->throttle = throttle_new(ADDRESSES);
	return lv;
}

void
live_free(struct live *lv)
{
	if (lv == NULL)
		return;
	sodium_memzero(lv->sessions, sizeof lv->sessions);
	pthread_mutex_destroy(&lv->lock);
	pthread_mutex_destroy(&lv->check);
	pthread_mutex_destroy(&lv->making);
	for (int l = 0; l < LANG_COUNT; l++) {
		free(lv->part[l].html);
		catalog_free(lv->cat[l]);
	}
	figures_free(lv->fig);
	throttle_free(lv->throttle);
	free(lv);
}

/* The device's entry, added when there is room; NULL when there is none.
 * Called with lv->lock held. */
static struct seen *
seen_of(struct live *lv, const char *device)
{
	size_t i;
	for (i = 0; i < lv->nseen; i++)
		if (strcmp(lv->seen[i].name, device) == 0)
			return &lv->seen[i];
	if (lv->nseen == KIOSKS_MAX)
		return NULL;
	snprintf(lv->seen[i].name, sizeof lv->seen[i].name, "%s", device);
	lv->nseen++;
	return &lv->seen[i];
}

void
live_seen(struct live *lv, const char *device, int64_t now, int64_t waiting)
{
	if (lv == NULL || device == NULL)
		return;
	pthread_mutex_lock(&lv->lock);
	struct seen *e = seen_of(lv, device);
	if (e != NULL) {
		e->at = now;
		e->boot = util_boot_ms();
		e->waiting = waiting;
	}
	pthread_mutex_unlock(&lv->lock);
}

void
live_push_state(struct live *lv, const char *device, bool more, int64_t for_ms)
{
	if (lv == NULL || device == NULL)
		return;
	int64_t now = util_boot_ms(); /* not the clock a correction can step back */
	pthread_mutex_lock(&lv->lock);
	struct seen *e = seen_of(lv, device);
	if (e != NULL)
		e->pushing_until = more ? now + for_ms : 0;
	pthread_mutex_unlock(&lv->lock);
}

int
live_pushing(struct live *lv, const char *device)
{
	int n = 0;
	if (lv == NULL)
		return 0;
	int64_t now = util_boot_ms();
	pthread_mutex_lock(&lv->lock);
	for (size_t i = 0; i < lv->nseen; i++)
		if (lv->seen[i].pushing_until > now &&
		    (device == NULL || strcmp(lv->seen[i].name, device) != 0))
			n++;
	pthread_mutex_unlock(&lv->lock);
	return n;
}

static const char *const paths[] = {
	"/", "/login", "/logout", "/export.csv", "/export.xlsx", "/arrivals.png", NULL,
};

bool
live_owns(const char *url)
{
	for (size_t i = 0; paths[i] != NULL; i++)
		if (strcmp(url, paths[i]) == 0)
			return true;
	return false;
}

void
live_answer_clear(struct live_answer *a)
{
	free(a->body);
	free(a->set_cookie);
	free(a->set_device);
	memset(a, 0, sizeof *a);
}

/* --- sessions ---------------------------------------------------------------- */

/* The value of cookie name in a Cookie header, into out (base64url). */
static bool
cookie_value(const char *header, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = header;
	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t;");
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			p += nl + 1;
			size_t len = strcspn(p, ";");
			if (len == 0 || len >= n)
				return false;
			memcpy(out, p, len);
			out[len] = '\0';
			return true;
		}
		p = strchr(p, ';');
	}
	return false;
}

/* Sessions are kept in the event's settings too, so that a hub started
 * again (a door app serving as the hub, quit and back) does not log the
 * organiser out: as "live_session:" and a hash of the key (never the key),
 * with when it ends (ms UTC) and the password's fingerprint. */
#define SESSION_SETTING "live_session:"
#define DEVICE_SETTING  "live_device:"  /* the same for DEVICE_COOKIE */

static void
key_setting(const char *prefix, const unsigned char key[SESSION_BYTES], char out[64])
{
	unsigned char h[16];
	char hex[33];
	crypto_generichash(h, sizeof h, key, SESSION_BYTES, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, 64, "%s%s", prefix, hex);
}

static void
session_setting(const unsigned char key[SESSION_BYTES], char out[64])
{
	key_setting(SESSION_SETTING, key, out);
}

/* The key of cookie name in a Cookie header into key. */
static bool
cookie_key(const char *header, const char *name, unsigned char key[SESSION_BYTES])
{
	char text[128];
	size_t len = 0;
	return header != NULL && cookie_value(header, name, text, sizeof text) &&
	    sodium_base642bin(key, SESSION_BYTES, text, strlen(text), NULL, &len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 && len == SESSION_BYTES;
}

/* Does the Cookie header carry a device cookie this hub gave at a login
 * with the password of hash, not yet ended? Its fingerprint (the hash the
 * settings keep, never the key) into who. */
static bool
device_known(struct store *st, const char *cookie, const char *hash, char who[33])
{
	unsigned char key[SESSION_BYTES], pw[16];
	char name[64], *value = NULL, pwhex[33], want[33];
	long long until = 0;
	bool ok = false;

	if (!cookie_key(cookie, DEVICE_COOKIE, key))
		return false;
	key_setting(DEVICE_SETTING, key, name);
	sodium_memzero(key, sizeof key);
	if (store_setting_get(st, name, &value, NULL) != 1)
		return false;
	password_print(hash, pw);
	sodium_bin2hex(want, sizeof want, pw, sizeof pw);
	if (sscanf(value, "%lld %32s", &until, pwhex) == 2 && until > util_now_ms() &&
	    sodium_memcmp(pwhex, want, sizeof want) == 0) {
		memcpy(who, name + strlen(DEVICE_SETTING), 32);  /* the hash's 32 hex digits */
		who[32] = '\0';
		ok = true;
	}
	free(value);
	return ok;
}

/* A device cookie for a browser that just logged in with the password of
 * hash, kept hashed in the settings for DEVICE_MS (the ended ones go).
 * Returns the Set-Cookie value (caller frees), or NULL when it cannot be
 * kept: the login stands all the same. */
static char *
device_new(struct live *lv, struct store *st, const char *hash)
{
	unsigned char key[SESSION_BYTES], pw[16];
	char text[sodium_base64_ENCODED_LEN(SESSION_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char name[64], pwhex[33], *cookie = NULL;

	randombytes_buf(key, sizeof key);
	sodium_bin2base64(text, sizeof text, key, sizeof key,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	key_setting(DEVICE_SETTING, key, name);
	sodium_memzero(key, sizeof key);
	password_print(hash, pw);
	sodium_bin2hex(pwhex, sizeof pwhex, pw, sizeof pw);
	int64_t wall = util_now_ms();
	char *value = xasprintf("%lld %s", (long long)(wall + DEVICE_MS), pwhex);
	if (store_setting_set(st, name, value, NULL) == 0) {
		sqlite3_stmt *del = store_stmt(st, "DELETE FROM setting WHERE key GLOB '"
		    DEVICE_SETTING "*' AND CAST(value AS INTEGER) <= ?1", NULL);
		if (del != NULL) {
			sqlite3_bind_int64(del, 1, wall);
			(void)sqlite3_step(del);
			sqlite3_reset(del);
		}
		cookie = xasprintf(DEVICE_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
		    "Max-Age=%lld%s", text, DEVICE_MS / 1000, lv->https ? "; Secure" : "");
	}
	free(value);
	sodium_memzero(text, sizeof text);
	return cookie;
}

/* The slot for a new session in lv (lock held): a free one, else the
 * oldest. */
static struct session *
session_slot(struct live *lv, int64_t now)
{
	size_t pick = 0;
	for (size_t i = 0; i < SESSIONS; i++) {
		if (lv->sessions[i].expires <= now)
			return &lv->sessions[i];
		if (lv->sessions[i].expires < lv->sessions[pick].expires)
			pick = i;
	}
	return &lv->sessions[pick];
}

/* A session the event's settings keep (session_setting), taken into lv. */
static bool
session_kept(struct live *lv, struct store *st, const unsigned char key[SESSION_BYTES],
    const unsigned char pw[16])
{
	char name[64], *value = NULL, pwhex[33], want[33];
	long long until = 0;
	bool ok = false;

	session_setting(key, name);
	if (store_setting_get(st, name, &value, NULL) != 1)
		return false;
	sodium_bin2hex(want, sizeof want, pw, 16);
	int64_t wall = util_now_ms(), now = util_boot_ms();
	if (sscanf(value, "%lld %32s", &until, pwhex) == 2 && until > wall &&
	    sodium_memcmp(pwhex, want, sizeof want) == 0) {
		pthread_mutex_lock(&lv->lock);
		struct session *s = session_slot(lv, now);
		memcpy(s->key, key, SESSION_BYTES);
		memcpy(s->password, pw, 16);
		/* Never more than a session's length from now: a hub restarted
		 * with its clock set back (a dead battery at 2000) would else
		 * keep it for as many years. */
		s->expires = now + (until - wall < SESSION_MS ? until - wall : SESSION_MS);
		pthread_mutex_unlock(&lv->lock);
		ok = true;
	}
	free(value);
	return ok;
}

int
live_forget_sessions(struct store *st, char **cause)
{
	sqlite3_stmt *del = store_stmt(st, "DELETE FROM setting WHERE key GLOB '"
	    SESSION_SETTING "*' OR key GLOB '" DEVICE_SETTING "*'", cause);
	if (del == NULL)
		return -1;
	int rc = sqlite3_step(del);
	sqlite3_reset(del);
	return rc == SQLITE_DONE ? 0 : store_fail(st, cause, "cannot forget the live page's logins");
}

static bool
session_valid(struct live *lv, struct store *st, const char *cookie, const char *hash)
{
	unsigned char key[SESSION_BYTES], pw[16];
	bool ok = false;

	if (!cookie_key(cookie, COOKIE, key))
		return false;
	password_print(hash, pw);
	int64_t now = util_boot_ms();
	pthread_mutex_lock(&lv->lock);
	for (size_t i = 0; i < SESSIONS; i++) {
		struct session *s = &lv->sessions[i];
		if (s->expires > now && sodium_memcmp(s->key, key, sizeof key) == 0 &&
		    sodium_memcmp(s->password, pw, sizeof pw) == 0)
			ok = true;
	}
	pthread_mutex_unlock(&lv->lock);
	if (!ok)
		ok = session_kept(lv, st, key, pw);
	sodium_memzero(key, sizeof key);
	return ok;
}

/* A new session; the oldest gives way when all are taken. Returns the
 * Set-Cookie value (caller frees). */
static char *
session_new(struct live *lv, struct store *st, const char *hash)
{
	unsigned char key[SESSION_BYTES], pw[16];
	char text[sodium_base64_ENCODED_LEN(SESSION_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char name[64], pwhex[33];

	randombytes_buf(key, sizeof key);
	sodium_bin2base64(text, sizeof text, key, sizeof key,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	password_print(hash, pw);
	int64_t now = util_boot_ms();
	pthread_mutex_lock(&lv->lock);
	struct session *s = session_slot(lv, now);
	memcpy(s->key, key, sizeof key);
	memcpy(s->password, pw, sizeof pw);
	s->expires = now + SESSION_MS;
	pthread_mutex_unlock(&lv->lock);
	/* Kept for a hub started again; then the ended ones go (not tried when
	 * the database is held: a login waits for one write at most). A hub
	 * that cannot write it still has the session until it stops. */
	int64_t wall = util_now_ms();
	session_setting(key, name);
	sodium_bin2hex(pwhex, sizeof pwhex, pw, sizeof pw);
	char *value = xasprintf("%lld %s", (long long)(wall + SESSION_MS), pwhex);
	sqlite3_stmt *del = store_setting_set(st, name, value, NULL) != 0 ? NULL :
	    store_stmt(st, "DELETE FROM setting WHERE key GLOB '" SESSION_SETTING "*'"
	    " AND CAST(value AS INTEGER) <= ?1", NULL);
	if (del != NULL) {
		sqlite3_bind_int64(del, 1, wall);
		(void)sqlite3_step(del);
		sqlite3_reset(del);
	}
	free(value);
	sodium_memzero(key, sizeof key);
	return xasprintf(COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", text,
	    SESSION_MS / 1000, lv->https ? "; Secure" : "");
}

static void
session_end(struct live *lv, struct store *st, const char *cookie)
{
	char text[128];
	unsigned char key[SESSION_BYTES];
	size_t len = 0;
	if (cookie == NULL || !cookie_value(cookie, COOKIE, text, sizeof text) ||
	    sodium_base642bin(key, sizeof key, text, strlen(text), NULL, &len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != sizeof key)
		return;
	pthread_mutex_lock(&lv->lock);
	for (size_t i = 0; i < SESSIONS; i++)
		if (sodium_memcmp(lv->sessions[i].key, key, sizeof key) == 0)
			memset(&lv->sessions[i], 0, sizeof lv->sessions[i]);
	pthread_mutex_unlock(&lv->lock);
	char name[64], *value = NULL;
	session_setting(key, name);
	sodium_memzero(key, sizeof key);
	/* Written only for a session kept: a made-up cookie costs a look-up,
	 * never the write lock. */
	if (store_setting_get(st, name, &value, NULL) != 1)
		return;
	free(value);
	sqlite3_stmt *del = store_stmt(st, "DELETE FROM setting WHERE key = ?1", NULL);
	if (del != NULL) {
		sqlite3_bind_text(del, 1, name, -1, SQLITE_STATIC);
		(void)sqlite3_step(del);
		sqlite3_reset(del);
	}
}

/* --- HTML ---------------------------------------------------------------------- */

/* The language one request is answered in (lang_choose): every string the
 * page shows is looked up through tr() and trn(), which `make po` collects
 * into po/kiosk.pot beside the door's (--keyword=tr:2 --keyword=trn:2,3). */
struct page {
	int lang;
	const struct catalog *cat;
	bool asked;                /* chosen by the page's own link (?lang=): kept
	                            * across the login, which the link leads to */
};

/* format_arg: printf checks a translation's figures against its English */
static const char *tr(const struct page *pg, const char *msgid) __attribute__((format_arg(2)));
static const char *trn(const struct page *pg, const char *singular, const char *plural, long n)
    __attribute__((format_arg(2), format_arg(3)));

/* A string for tr() later, marked for `make po` */
#define N_(s) (s)

static const char *
tr(const struct page *pg, const char *msgid)
{
	return catalog_get(pg->cat, msgid);
}

static const char *
trn(const struct page *pg, const char *singular, const char *plural, long n)
{
	return catalog_nget(pg->cat, singular, plural, n);
}

static struct page
page_of(const struct live *lv, const struct live_request *rq)
{
	struct page pg;
	pg.asked = lang_of(rq->lang) >= 0;
	pg.lang = lang_choose(rq->lang, rq->accept_language, lv->lang);
	pg.cat = lv->cat[pg.lang];
	return pg;
}

static void
esc(struct buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': buf_addf(b, "&amp;"); break;
		case '<': buf_addf(b, "&lt;"); break;
		case '>': buf_addf(b, "&gt;"); break;
		case '"': buf_addf(b, "&quot;"); break;
		case '\'': buf_addf(b, "&#39;"); break;
		default: buf_addc(b, *s); break;
		}
	}
}

/* s as a JavaScript string literal, safe inside a <script> element: no
 * quote, backslash, '<' (no "</script>") or line end of a translation
 * can end it early. */
static void
js_str(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == '\'' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&')
			buf_addf(b, "\\u%04x", c);
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

/* n in the page's language ("1.234" in Dutch); the result is a static
 * slot of four, enough for the figures of one format string. */
static const char *
num(const struct page *pg, int64_t n)
{
	static _Thread_local char out[4][LANG_NUM_BUF];
	static _Thread_local int next;
	char *o = out[next++ % 4];
	lang_num(pg->lang, n, o);
	return o;
}

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#111}"
	"header{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;"
	"gap:.4em;background:#12283f;color:#fff;padding:.6em 1em}"
	"header h1{font-size:1.2em;margin:0;flex:1}"
	"header nav a,header nav b{color:#fff;margin-right:.5em;font-size:.9em}"
	"main{max-width:60em;margin:0 auto;padding:1em}"
	"section{background:#fff;border-radius:.5em;padding:1em;margin-bottom:1em}"
	"h2{font-size:1em;margin:0 0 .6em}"
	".num{font-size:3em;font-weight:700;line-height:1}"
	".muted{color:#555}"
	"table{border-collapse:collapse;width:100%}"
	"td,th{text-align:left;padding:.3em .4em;border-bottom:1px solid #e3e5e8}"
	".warn{color:#a15c00;font-weight:600}"
	"button,input{font:inherit;padding:.5em .8em}"
	"a{color:#0b57d0}"
	"svg{width:100%;height:auto}"
	/* the chart is 600 units wide, shrunk to about half on a phone: its
	 * 13-unit labels came out 7 px tall there */
	"@media(max-width:40em){svg text{font-size:24px}}"
	".stale-note{background:#fff3e0;border-left:.3em solid #a15c00;color:#111;"
	"padding:.2em 1em;margin-bottom:1em;border-radius:.3em;font-weight:600}"
	"#live.stale{opacity:.45}";

/* The page's link to itself in language l: a page of the organiser's
 * choosing, where the browser says another (a borrowed laptop). */
static const char *const lang_links[LANG_COUNT] = {
	"/?lang=en", "/?lang=nl", "/?lang=fr", "/?lang=de",
};

static void
page_start(struct buf *b, const struct page *pg, const char *title, bool logout)
{
	static const char *const names[LANG_COUNT] = { "EN", "NL", "FR", "DE" };
	static const char *const native[LANG_COUNT] = {
		"English", "Nederlands", "Français", "Deutsch",
	};
	buf_addf(b, "<!doctype html><html lang=%s><head><meta charset=utf-8>"
	    "<meta name=viewport content=\"width=device-width,initial-scale=1\">"
	    "<title>", lang_code(pg->lang));
	esc(b, title);
	buf_addf(b, " - kiosk hub</title><style>%s</style></head><body><header><h1>", style);
	esc(b, title);
	buf_addf(b, "</h1><nav>");
	for (int l = 0; l < LANG_COUNT; l++) {
		if (l == pg->lang)
			buf_addf(b, "<b lang=%s title=\"%s\">%s</b>", lang_code(l), native[l], names[l]);
		else
			buf_addf(b, "<a href=\"%s\" lang=%s hreflang=%s title=\"%s\">%s</a>",
			    lang_links[l], lang_code(l), lang_code(l), native[l], names[l]);
	}
	buf_addf(b, "</nav>");
	if (logout) {
		buf_addf(b, "<form method=post action=/logout><button>");
		esc(b, tr(pg, "Log out"));
		buf_addf(b, "</button></form>");
	}
	buf_addf(b, "</header>");
}

static void
answer_html(struct live_answer *a, unsigned int status, struct buf *b)
{
	a->status = status;
	a->type = "text/html; charset=utf-8";
	a->len = b->len;
	a->body = buf_take(b);
}

/* A plain-text answer; body is taken (malloc'd). */
static void
answer_text(struct live_answer *a, unsigned int status, char *body)
{
	a->status = status;
	a->type = "text/plain; charset=utf-8";
	a->body = body;
	a->len = strlen(body);
}

static void
login_page(struct live_answer *a, const struct page *pg, const char *event, const char *problem,
    bool no_password, unsigned int status)
{
	struct buf b;
	buf_init(&b, 0);
	page_start(&b, pg, event, false);
	buf_addf(&b, "<main><section><h2>");
	esc(&b, tr(pg, "Organiser login"));
	buf_addf(&b, "</h2>");
	if (no_password) {
		buf_addf(&b, "<p>");
		buf_addf(&b, tr(pg, "No password is set for this page yet. On the hub, run %s, "
		    "then reload."), "<code>kiosk hub password</code>");
		buf_addf(&b, "</p>");
	} else {
		if (problem != NULL) {
			buf_addf(&b, "<p class=warn>");
			esc(&b, problem);
			buf_addf(&b, "</p>");
		}
		buf_addf(&b, "<form method=post action=/login><p><label>");
		esc(&b, tr(pg, "Password"));
		buf_addf(&b, "<br><input type=password name=password autocomplete=current-password "
		    "autofocus required></label></p>");
		if (pg->asked)
			buf_addf(&b, "<input type=hidden name=lang value=%s>", lang_code(pg->lang));
		buf_addf(&b, "<p><button>");
		esc(&b, tr(pg, "Log in"));
		buf_addf(&b, "</button></p></form>");
	}
	buf_addf(&b, "</section></main></body></html>");
	answer_html(a, status, &b);
}

/* "12 s ago", "4 min ago", "2 h ago", in the page's language. */
static void
ago(struct buf *b, const struct page *pg, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 90000)
		buf_addf(b, tr(pg, "%s s ago"), num(pg, ms / 1000));
	else if (ms < 2 * 3600000LL)
		buf_addf(b, tr(pg, "%s min ago"), num(pg, ms / 60000));
	else
		buf_addf(b, tr(pg, "%s h ago"), num(pg, ms / 3600000));
}

/* Arrivals per quarter hour over the last three hours, as bars. Read for
 * the window itself, not from attend_stats' slots: those keep to the month
 * with the most arrivals, and in the sixth week of a long event they left
 * this window empty while "in the last hour" above counted arrivals. */
static void
arrivals_svg(struct buf *b, const struct page *pg, const struct figures *f)
{
	const int *v = f->v;
	int max = 0, total = 0;
	for (int i = 0; i < WINDOW_SLOTS; i++) {
		if (v[i] > max)
			max = v[i];
		total += v[i];
	}
	buf_addf(b, "<section><h2>");
	buf_addf(b, tr(pg, "Arrivals, last 3 hours (%s)"), num(pg, total));
	buf_addf(b, "</h2><svg viewBox=\"0 0 600 190\" role=img aria-label=\"");
	esc(b, tr(pg, "arrivals per 15 minutes"));
	buf_addf(b, "\">");
	for (int i = 0; i < WINDOW_SLOTS; i++) {
		int h = max > 0 ? v[i] * 125 / max : 0;
		int x = 10 + i * 48;
		buf_addf(b, "<rect x=%d y=%d width=40 height=%d fill=\"#12283f\"/>", x, 150 - h,
		    h > 0 ? h : 1);
		if (v[i] > 0)
			buf_addf(b, "<text x=%d y=%d font-size=13 text-anchor=middle>%s</text>",
			    x + 20, 145 - h, num(pg, v[i]));
		if (i % 2 == 0) {
			char clock[KTIME_BUF];
			ktime_clock(f->start + i * 900000LL, clock);
			buf_addf(b, "<text x=%d y=172 font-size=13 fill=\"#555\">%s</text>", x, clock);
		}
	}
	buf_addf(b, "</svg></section>");
}

struct kiosks {
	struct live *lv;
	live_kiosk_fn fn;
	void *arg;
	int64_t now, boot;     /* the wall and boot clocks, read once */
};

static int
each_kiosk(const struct device_info *d, void *arg)
{
	struct kiosks *k = arg;
	struct live_kiosk lk = { d->name, d->door, d->last_seen_at, -1, -1, d->revoked_at != 0 };
	bool heard = false;
	pthread_mutex_lock(&k->lv->lock);
	for (size_t i = 0; i < k->lv->nseen; i++) {
		if (strcmp(k->lv->seen[i].name, d->name) == 0) {
			lk.at = k->lv->seen[i].at;
			lk.waiting = k->lv->seen[i].waiting;
			/* on the boot clock: a wall clock set back since would
			 * put a door gone quiet in the future, "0 s ago"; and
			 * the monotonic clock stops while the hub's laptop
			 * sleeps: opened after 20 minutes shut, the page said
			 * every door was heard from seconds ago, 0 waiting */
			lk.since_ms = k->boot - k->lv->seen[i].boot;
			heard = true;
		}
	}
	pthread_mutex_unlock(&k->lv->lock);
	if (!heard && lk.at != 0)   /* before this hub started: the stored time */
		lk.since_ms = k->now > lk.at ? k->now - lk.at : 0;
	return k->fn(&lk, k->arg);
}

int
live_kiosks(struct live *lv, struct store *s, live_kiosk_fn fn, void *arg, char **cause)
{
	struct kiosks k = { lv, fn, arg, store_now(s), util_boot_ms() };
	return device_each(s, each_kiosk, &k, cause);
}

static void
kiosk_row(const struct live *lv, const struct page *pg, struct buf *b, const struct fig_kiosk *d)
{
	int64_t since = d->since_ms;

	char label[DEVICE_LABEL_MAX];
	device_label(d->name, d->door[0] != '\0' ? d->door : NULL, label, sizeof label);
	buf_addf(b, "<tr><td>");
	esc(b, label);
	buf_addf(b, "</td><td>");
	if (d->revoked) {
		esc(b, tr(pg, "revoked"));
	} else if (since < 0) {
		buf_addf(b, "<span class=muted>");
		esc(b, tr(pg, "never"));
		buf_addf(b, "</span>");
	} else if (since > LIVE_QUIET_MS) {
		buf_addf(b, "<span class=warn>");
		ago(b, pg, since);
		buf_addf(b, "</span>");
	} else {
		ago(b, pg, since);
	}
	buf_addf(b, "</td><td>");
	live_waiting_cell(lv, pg->lang, b, d->waiting, d->revoked ? -1 : since);
	buf_addf(b, "</td></tr>");
}

void
live_waiting_cell(const struct live *lv, int lang, struct buf *b, int64_t waiting,
    int64_t since_ms)
{
	int l = lang >= 0 && lang < LANG_COUNT ? lang : LANG_EN;
	struct page pg = { l, lv->cat[l], false };
	/* Unknown: never seen, or not said since this hub started (a bare
	 * '?' told the organiser nothing). A figure from a contact past
	 * LIVE_QUIET_MS is that contact's: a door cut off since may have
	 * scanned hundreds, and a bare 0 read as none waiting. */
	bool quiet = since_ms > LIVE_QUIET_MS;
	if (since_ms < 0) {
		buf_addf(b, "<span class=muted>-</span>");
	} else if (waiting < 0) {
		buf_addf(b, "<span class=muted>");
		esc(b, tr(&pg, "not known until its next sync"));
		buf_addf(b, "</span>");
	} else if (quiet) {
		buf_addf(b, "<span class=warn>");
		buf_addf(b, tr(&pg, "%s then; not known since"), num(&pg, waiting));
		buf_addf(b, "</span>");
	} else if (waiting > 0) {
		buf_addf(b, "<span class=warn>%s</span>", num(&pg, waiting));
	} else {
		buf_addf(b, "0");
	}
}

static void
dupe_row(struct buf *b, const struct fig_dupe *d)
{
	buf_addf(b, "<tr><td>");
	esc(b, d->name);
	buf_addf(b, "</td><td>%s ", d->first);
	esc(b, d->first_kiosk);
	buf_addf(b, "</td><td>%s ", d->later);
	esc(b, d->later_kiosk);
	buf_addf(b, "</td></tr>");
}

/* A section's heading and a table's header cells, each looked up. */
static void
heading(struct buf *b, const struct page *pg, const char *msgid)
{
	buf_addf(b, "<h2>");
	esc(b, tr(pg, msgid));
	buf_addf(b, "</h2>");
}

static void
header_cells(struct buf *b, const struct page *pg, const char *const *msgids, size_t n)
{
	buf_addf(b, "<tr>");
	for (size_t i = 0; i < n; i++) {
		buf_addf(b, "<th>");
		esc(b, tr(pg, msgids[i]));
		buf_addf(b, "</th>");
	}
	buf_addf(b, "</tr>");
}

static void
figures_free(struct figures *f)
{
	if (f == NULL)
		return;
	free(f->kiosks);
	for (size_t i = 0; i < f->ndupes; i++) {
		free(f->dupes[i].name);
		free(f->dupes[i].first_kiosk);
		free(f->dupes[i].later_kiosk);
	}
	free(f);
}

static int
fig_kiosk_add(const struct live_kiosk *k, void *arg)
{
	struct figures *f = arg;
	/* KIOSKS_MAX and more: the tokens an organiser made, grown as read */
	if ((f->nkiosks & (f->nkiosks - 1)) == 0)
		f->kiosks = xrealloc(f->kiosks, (f->nkiosks ? 2 * f->nkiosks : 1) * sizeof *f->kiosks);
	struct fig_kiosk *d = &f->kiosks[f->nkiosks++];
	snprintf(d->name, sizeof d->name, "%s", k->name);
	snprintf(d->door, sizeof d->door, "%s", k->door != NULL ? k->door : "");
	d->waiting = k->waiting;
	d->since_ms = k->since_ms;
	d->revoked = k->revoked;
	return 0;
}

static int
fig_dupe_add(const struct attend_dupe *d, void *arg)
{
	struct figures *f = arg;
	if (f->ndupes >= DUPES_SHOWN)
		return 1;
	struct fig_dupe *o = &f->dupes[f->ndupes++];
	o->name = xstrdup(d->name != NULL ? d->name : "");
	o->first_kiosk = xstrdup(d->first_kiosk != NULL ? d->first_kiosk : "");
	o->later_kiosk = xstrdup(d->later_kiosk != NULL ? d->later_kiosk : "");
	/* With the date on a day other than today's, and "First 02:59 +02:00,
	 * again 02:00 +01:00" on the night the clocks go back (ktime_when) */
	ktime_when(d->first_at, f->now, o->first);
	ktime_when(d->later_at, f->now, o->later);
	return 0;
}

/* The live part's figures from s (within one read). Returns them (the
 * caller frees with figures_free), or NULL with *cause. */
static struct figures *
figures_read(struct live *lv, struct store *s, char **cause)
{
	struct figures *f = xcalloc(1, sizeof *f);
	struct attend_stats st;

	f->now = store_now(s);
	if (attend_counts(s, f->now, &f->c, cause) != 0)
		goto fail;
	if (attend_stats(s, &st, cause) != 0)
		goto fail;
	f->no_shows = st.no_shows;
	f->cancelled_after_checkin = st.cancelled_after_checkin;
	f->duplicate_entries = st.duplicate_entries;
	attend_stats_free(&st);
	f->each_day = store_each_day(s);
	f->start = ktime_slot15(f->now) - (WINDOW_SLOTS - 1) * 900000LL;
	if (attend_arrivals_from(s, f->start, f->v, WINDOW_SLOTS, cause) != 0)
		goto fail;
	if (live_kiosks(lv, s, fig_kiosk_add, f, cause) < 0)
		goto fail;
	if (f->duplicate_entries > 0 && attend_duplicates(s, DUPES_SHOWN, fig_dupe_add, f, cause) < 0)
		goto fail;
	return f;
fail:
	figures_free(f);
	return NULL;
}

/* The live part of the page (refreshed by the script): f in the page's
 * language. */
static void
live_part(const struct live *lv, const struct page *pg, const struct figures *f, struct buf *b)
{
	const struct attend_counts *c = &f->c;
	char clock[KTIME_BUF];

	int pct = c->registered > 0 ? (int)((100LL * c->checked_in + c->registered / 2) /
	    c->registered) : 0;
	buf_addf(b, "<section><div class=num>%s</div><div>", num(pg, c->checked_in));
	/* TRANSLATORS: the line under the big figure of guests checked in,
	 * which is its subject and picks the form: "412" then "of 500
	 * registered checked in (82%)"; "1" then "entrée sur 500 inscrits". */
	buf_addf(b, trn(pg, "of %s registered checked in (%s%%)",
	    "of %s registered checked in (%s%%)", c->checked_in), num(pg, c->registered),
	    num(pg, pct));
	buf_addf(b, "</div><p class=muted>");
	buf_addf(b, trn(pg, "%s walk-in", "%s walk-ins", c->walkins), num(pg, c->walkins));
	buf_addf(b, " &middot; ");
	buf_addf(b, tr(pg, "%s in the last hour"), num(pg, c->last_hour));
	buf_addf(b, " &middot; ");
	buf_addf(b, trn(pg, "%s no-show so far", "%s no-shows so far", f->no_shows),
	    num(pg, f->no_shows));
	/* Counted above (they came); said apart so that the figures are not
	 * taken for valid tickets only. */
	if (f->cancelled_after_checkin > 0) {
		buf_addf(b, " &middot; ");
		buf_addf(b, trn(pg, "%s came, cancelled since", "%s came, cancelled since",
		    f->cancelled_after_checkin), num(pg, f->cancelled_after_checkin));
	}
	/* at an event of days: today's, beside all days' */
	if (f->each_day) {
		buf_addf(b, " &middot; ");
		buf_addf(b, trn(pg, "%s came today", "%s came today", c->today), num(pg, c->today));
	}
	buf_addf(b, "</p></section>");
	arrivals_svg(b, pg, f);

	static const char *const kiosk_cols[] = {
		N_("Kiosk"), N_("Last contact"), N_("Waiting to sync"),
	};
	buf_addf(b, "<section>");
	heading(b, pg, N_("Kiosks"));
	buf_addf(b, "<table>");
	header_cells(b, pg, kiosk_cols, 3);
	/* The door that is the hub syncs with nobody: listed all the same, or
	 * the organiser takes it for a door gone quiet. */
	if (lv->door[0] != '\0') {
		buf_addf(b, "<tr><td>");
		esc(b, lv->door);
		buf_addf(b, "</td><td>");
		esc(b, tr(pg, "is the hub"));
		buf_addf(b, "</td><td><span class=muted>");
		esc(b, tr(pg, "none: its check-ins are the hub's"));
		buf_addf(b, "</span></td></tr>");
	}
	for (size_t i = 0; i < f->nkiosks; i++)
		kiosk_row(lv, pg, b, &f->kiosks[i]);
	if (f->nkiosks == 0) {
		buf_addf(b, "<tr><td colspan=3 class=muted>");
		buf_addf(b, lv->door[0] ? tr(pg, "No other kiosks yet: add one with %s.") :
		    tr(pg, "No kiosks yet: add one with %s."), "<code>kiosk hub token add NAME</code>");
		buf_addf(b, "</td></tr>");
	}
	buf_addf(b, "</table></section>");

	buf_addf(b, "<section><h2>");
	buf_addf(b, tr(pg, "Duplicate entries (%s)"), num(pg, f->duplicate_entries));
	buf_addf(b, "</h2>");
	if (f->duplicate_entries > 0) {
		static const char *const dupe_cols[] = {
			N_("Guest"), N_("First in"), N_("Again"),
		};
		buf_addf(b, "<table>");
		header_cells(b, pg, dupe_cols, 3);
		for (size_t i = 0; i < f->ndupes; i++)
			dupe_row(b, &f->dupes[i]);
		buf_addf(b, "</table>");
	} else {
		buf_addf(b, "<p class=muted>");
		esc(b, tr(pg, "None: no ticket got in twice."));
		buf_addf(b, "</p>");
	}
	buf_addf(b, "</section><section>");
	heading(b, pg, N_("Downloads"));
	buf_addf(b, "<p><a href=\"/export.csv?lang=%s\" download>", lang_code(pg->lang));
	esc(b, tr(pg, "Attendance (CSV)"));
	buf_addf(b, "</a> &middot; <a href=/export.xlsx download>");
	esc(b, tr(pg, "Attendance (Excel)"));
	/* The picture in the page's language, also where the page's own link
	 * chose it over the browser's (a borrowed laptop). */
	buf_addf(b, "</a> &middot; <a href=\"/arrivals.png?lang=%s\" download>", lang_code(pg->lang));
	esc(b, tr(pg, "Arrivals (picture)"));
	buf_addf(b, "</a></p></section>");
	ktime_clock(f->now, clock);
	buf_addf(b, "<p class=muted>");
	buf_addf(b, tr(pg, "Updated %s; refreshes by itself."), clock);
	buf_addf(b, "</p>");
}

/* Refreshes the live part every 5 s, in the page's language. When no
 * fresh part comes (the hub's computer off or asleep, the phone off the
 * venue's network, the hub failing), the figures stay but are dimmed under
 * a warning that counts the seconds: left as they were, "Door 2: 4 s ago,
 * 0 waiting" and the count stood for minutes, the page saying it refreshes
 * by itself. A request that hangs (a sleeping laptop answers nothing)
 * counts as none after STALE_MS; performance.now() is monotonic, so a
 * phone's clock set meanwhile does not change the seconds. The script
 * takes its two words from P (the part's address) and S (the warning, its
 * "%s" the seconds). */
static const char script[] =
	"(function(){var ok=performance.now(),busy=false;"
	"function $(i){return document.getElementById(i)}"
	"function stale(err){var e=$('stale');e.textContent='';"
	"if(err){var q=document.createElement('p');q.textContent=new DOMParser()"
	".parseFromString(err,'text/html').body.textContent;e.appendChild(q)}"
	"var p=document.createElement('p');"
	"p.textContent=S.replace('%s',Math.round((performance.now()-ok)/1000));"
	"e.appendChild(p);e.hidden=false;$('live').className='stale'}"
	"function tick(){if(busy){if(performance.now()-ok>10000)stale();return}"
	"busy=true;var c=window.AbortController?new AbortController():null;"
	"var t=setTimeout(function(){if(c)c.abort()},15000);"
	"fetch(P,{credentials:'same-origin',signal:c?c.signal:undefined})"
	".then(function(r){if(r.status===401){location.reload();throw 0}"
	"return r.text().then(function(x){if(!r.ok)throw x;return x})})"
	".then(function(x){$('live').innerHTML=x;$('live').className='';$('stale').hidden=true;"
	"ok=performance.now()})"
	".catch(function(x){if(x!==0)stale(typeof x==='string'?x:'')})"
	".then(function(){busy=false;clearTimeout(t)})}"
	"setInterval(tick,5000)})()";

static void
script_add(struct buf *b, const struct page *pg)
{
	static const char *const parts[LANG_COUNT] = {
		"/?part=live&lang=en", "/?part=live&lang=nl", "/?part=live&lang=fr",
		"/?part=live&lang=de",
	};
	buf_addf(b, "<script>var P=");
	js_str(b, parts[pg->lang]);
	buf_addf(b, ",S=");
	/* TRANSLATORS: %s is a number of seconds */
	js_str(b, tr(pg, "No answer from the hub for %s s: the figures below are from then, "
	    "not now. Check the hub\u2019s computer and this device\u2019s network."));
	buf_addf(b, ";%s</script>", script);
}

/* The live part in the page's language from figures read at most
 * PART_FRESH_MS ago, appended to b: at 100,000 guests and as many
 * check-ins reading them reads every check-in, 0.6 s of the hub's CPU, and
 * each open browser asks every 5 s; one read serves them all, in every
 * language open (each language's part is written once from each read).
 * While one thread reads them anew, the others serve the last ones. 0, or
 * -1 with *cause. */
#define PART_FRESH_MS 3000

/* The part in pg's language from lv->fig, written now unless it was from
 * these figures. Called with lv->lock held (writing is cheap). */
static void
part_serve(struct live *lv, const struct page *pg, struct buf *b)
{
	struct part *p = &lv->part[pg->lang];
	if (p->html == NULL || p->gen != lv->fig_gen) {
		struct buf mine;
		buf_init(&mine, 0);
		live_part(lv, pg, lv->fig, &mine);
		free(p->html);
		p->len = mine.len;
		p->html = buf_take(&mine);
		p->gen = lv->fig_gen;
	}
	buf_add(b, p->html, p->len);
}

static int
live_part_cached(struct live *lv, const struct page *pg, struct store *s, struct buf *b,
    char **cause)
{
	int64_t now = util_boot_ms(); /* figures read before a sleep are not fresh */
	pthread_mutex_lock(&lv->lock);
	bool fresh = lv->fig != NULL && (now - lv->fig_at < PART_FRESH_MS || lv->fig_making);
	if (fresh)
		part_serve(lv, pg, b);
	else
		lv->fig_making = true;
	pthread_mutex_unlock(&lv->lock);
	if (fresh)
		return 0;
	/* One snapshot for all the figures: "checked in", "no-shows", the
	 * arrivals and the duplicates come from several queries, and kiosks
	 * push between them; read apart, a batch landing in the middle made
	 * checked in and no-shows add up to more than registered. */
	struct figures *f = NULL;
	if (store_begin_read(s, cause) == 0) {
		f = figures_read(lv, s, cause);
		store_rollback(s); /* ends the read */
	}
	pthread_mutex_lock(&lv->lock);
	lv->fig_making = false;
	if (f != NULL) {
		figures_free(lv->fig);
		lv->fig = f;
		lv->fig_gen++;
		lv->fig_at = util_boot_ms();
		part_serve(lv, pg, b);
	}
	pthread_mutex_unlock(&lv->lock);
	return f != NULL ? 0 : -1;
}

static void
main_page(struct live *lv, const struct page *pg, struct store *s,
    const struct live_request *rq, struct live_answer *a)
{
	struct buf b;
	char *cause = NULL;
	bool part = rq->part != NULL && strcmp(rq->part, "live") == 0;

	buf_init(&b, 0);
	if (!part) {
		page_start(&b, pg, store_event(s)->name, true);
		buf_addf(&b, "<main><div id=stale class=stale-note role=alert hidden></div>"
		    "<div id=live>");
	}
	int prc = live_part_cached(lv, pg, s, &b, &cause);
	if (prc != 0) {
		buf_reset(&b);
		buf_addf(&b, "<p class=warn>");
		esc(&b, tr(pg, "The hub cannot read its database:"));
		buf_addf(&b, " ");
		esc(&b, cause);
		buf_addf(&b, "</p>");
		free(cause);
		answer_html(a, 500, &b);
		return;
	}
	if (!part) {
		buf_addf(&b, "</div></main>");
		script_add(&b, pg);
		buf_addf(&b, "</body></html>");
	}
	answer_html(a, 200, &b);
}

/* --- the login form -------------------------------------------------------------- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The form field name, url-decoded into out. */
static bool
form_value(const char *body, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = body;
	while (p != NULL && *p) {
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			p += nl + 1;
			size_t o = 0;
			for (; *p && *p != '&'; p++) {
				char c = *p;
				if (c == '+') {
					c = ' ';
				} else if (c == '%') {
					int hi = p[1] ? hexval(p[1]) : -1;
					int lo = hi >= 0 && p[2] ? hexval(p[2]) : -1;
					if (lo < 0)
						return false;
					c = (char)(hi * 16 + lo);
					p += 2;
				}
				if (o + 1 >= n || c == '\0')
					return false;
				out[o++] = c;
			}
			out[o] = '\0';
			return true;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return false;
}

static void
login(struct live *lv, struct store *s, const char *hash, const struct live_request *rq,
    struct live_answer *a)
{
	char pw[512], lang[8], device[33], whobuf[THROTTLE_ADDR_MAX + 1];
	const char *name = store_event(s)->name;
	/* The language the form was in, when its page's link chose it: the
	 * answer, and the page after, stay in it. */
	struct page page = page_of(lv, rq), *pg = &page;
	if (rq->body != NULL && form_value(rq->body, "lang", lang, sizeof lang) &&
	    lang_of(lang) >= 0) {
		pg->lang = lang_of(lang);
		pg->cat = lv->cat[pg->lang];
		pg->asked = true;
	}

	/* Per client address: one try at a time, and a second after a wrong
	 * one, longer after more than a few (core/throttle), so a guesser
	 * slows down only themselves. The
	 * verdict and taking the turn are one step, so parallel requests from
	 * one address cannot all pass. One Argon2id check runs at a time
	 * (memory-hard: never many at once); a try from an address that
	 * guessed wrong lately, finding another under way, is turned away at
	 * once rather than hold one of the threads that also serve the
	 * kiosks' sync (below). */
	/* A browser that logged in before counts as itself, not as its address
	 * (throttle_who): behind one NAT address a guesser keeps only
	 * themselves and new browsers out. */
	bool known = device_known(s, rq->cookie, hash, device);
	const char *who = throttle_who(rq->client, known ? device : NULL, whobuf, sizeof whobuf);
	pthread_mutex_lock(&lv->lock);
	int64_t at = util_mono_ms();
	enum throttle_verdict v = throttle_begin(lv->throttle, who, at);
	int64_t left = v == THROTTLE_WAIT ? throttle_wait_left(lv->throttle, who, at) : 0;
	pthread_mutex_unlock(&lv->lock);
	if (v != THROTTLE_GO && left > THROTTLE_PENALTY_MS) {
		/* wrong passwords past the typos: told how long, in minutes; a
		 * browser new here is told it may be somebody else's, on the same
		 * address, and what gets in regardless */
		const char *mins = num(pg, (left + 59999) / 60000);
		char *why = known ? xasprintf(tr(pg, "Too many wrong passwords from this device: "
		    "try again in %s min."), mins) : xasprintf(tr(pg, "Too many wrong passwords "
		    "from this address, which other devices on the network may share: try again "
		    "in %s min. A browser that logged in here before, or one on the hub's own "
		    "computer, is not held up."), mins);
		login_page(a, pg, name, why, false, 429);
		free(why);
		return;
	}
	if (v != THROTTLE_GO) {
		login_page(a, pg, name, tr(pg, "Too fast: wait a second and try again."), false, 429);
		return;
	}
	/* An address with no wrong password lately (the organiser) waits up
	 * to LOGIN_WAIT_MS for its turn, LOGIN_WAITERS such at a time, and a
	 * device that logged in before always does (throttle_turn):
	 * guessers on several addresses keep the check busy, and each of
	 * them, having guessed wrong, is turned away at once. So the threads
	 * that also serve the kiosks' sync are not all held here. */
	pthread_mutex_lock(&lv->lock);
	bool clean = throttle_clean(lv->throttle, who, util_mono_ms());
	enum throttle_turn how = throttle_turn(known, clean, lv->login_waiting, LOGIN_WAITERS);
	bool wait = how == THROTTLE_TURN_WAIT, behind = how == THROTTLE_TURN_AWAY;
	lv->login_waiting += wait;
	pthread_mutex_unlock(&lv->lock);
	bool ok = false, turn;
	if (wait) {
		struct timespec until;
		util_deadline(&until, CLOCK_MONOTONIC, LOGIN_WAIT_MS);
		turn = pthread_mutex_clocklock(&lv->check, CLOCK_MONOTONIC, &until) == 0;
		pthread_mutex_lock(&lv->lock);
		lv->login_waiting--;
		pthread_mutex_unlock(&lv->lock);
	} else {
		turn = !behind && pthread_mutex_trylock(&lv->check) == 0;
	}
	if (turn) {
		ok = rq->body != NULL && form_value(rq->body, "password", pw, sizeof pw) &&
		    secret_verify(hash, pw);
		sodium_memzero(pw, sizeof pw);
		pthread_mutex_unlock(&lv->check);
	}
	/* turned away while busy: no verdict, a wrong password before stands */
	pthread_mutex_lock(&lv->lock);
	if (turn)
		throttle_end(lv->throttle, who, !ok, util_mono_ms());
	else
		throttle_abandon(lv->throttle, who, util_mono_ms());
	pthread_mutex_unlock(&lv->lock);
	if (!turn) {
		login_page(a, pg, name, tr(pg, "Busy: try again in a moment."), false, 429);
		return;
	}
	if (!ok) {
		/* The organiser sees someone guessing (at most once a second
		 * from an address: the throttle). */
		fprintf(stderr, "kiosk: hub: a wrong live-page password from %s\n",
		    rq->client != NULL && rq->client[0] ? rq->client : "an unknown address");
		login_page(a, pg, name, tr(pg, "Wrong password."), false, 401);
		return;
	}
	a->set_cookie = session_new(lv, s, hash);
	if (!known)
		a->set_device = device_new(lv, s, hash);
	a->signed_in = true;
	a->location = pg->asked ? lang_links[pg->lang] : "/";
	answer_text(a, 303, xstrdup("logged in\n"));
}

/* --- downloads --------------------------------------------------------------------- */

/* The workbook as bytes: libxlsxwriter writes only to a path, so it is
 * made in a private folder, read back, and the folder removed. */
static int
xlsx_bytes(struct store *s, char **out, size_t *len, char **cause)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/kiosk-hub-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *path = NULL;
	int rc = -1;

	if (mkdtemp(dir) == NULL) {
		util_fail(cause, "cannot make a temporary folder in %s", tmp && *tmp ? tmp : "/tmp");
		free(dir);
		return -1;
	}
	path = xasprintf("%s/attendance.xlsx", dir);
	if (xlsx_write_attendance(s, path, NULL, cause) == 0 &&
	    util_read_file(path, (size_t)256 << 20, out, len, cause) == 0)
		rc = 0;
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	return rc;
}

/* The arrivals picture in the page's language: the organiser sends it on
 * as it is (to a sponsor), so its words are those of the page it came from. */
static int
plot_png(struct store *s, const struct page *pg, char **png, size_t *len, char **cause)
{
	struct attend_stats st;
	if (attend_stats(s, &st, cause) != 0)
		return -1;
	char *totals = plot_totals_text(&st, pg->lang, pg->cat);
	char *footer = plot_footer_text(store_now(s), pg->lang, pg->cat);
	struct plot_labels l = { store_event(s)->name, store_event(s)->tz, totals, footer,
	    pg->lang, pg->cat };
	int rc = plot_arrivals_png(&st, &l, png, len, cause);
	free(totals);
	free(footer);
	attend_stats_free(&st);
	return rc;
}

static void
download(struct live *lv, const struct page *pg, struct store *s, const char *url,
    struct live_answer *a)
{
	char *cause = NULL;
	int rc = -1;

	/* One at a time: at 100,000 guests a workbook takes 2 s and 175 MB,
	 * and eight at once held every hub thread (a door's sync waited 14 s)
	 * and 700 MB. Another is asked to come back in a moment. */
	if (pthread_mutex_trylock(&lv->making) != 0) {
		answer_text(a, 503, xasprintf("%s\n",
		    tr(pg, "Another download is being made: try again in a few seconds.")));
		return;
	}
	/* One snapshot: the file agrees with itself while kiosks push. */
	if (store_begin_read(s, &cause) != 0)
		goto out;
	if (strcmp(url, "/export.csv") == 0) {
		FILE *fp = open_memstream(&a->body, &a->len);
		if (fp != NULL) {
			/* For a spreadsheet, in the page's language: with a BOM
			 * (Excel reads Zoë Çelik as "ZoÃ« Ã‡elik" without one),
			 * and in Dutch, French and German with semicolons, the list
			 * separator of their Excel (as kiosk export --excel). */
			rc = listing_write(fp, s, pg->lang == LANG_EN ? LISTING_CSV_BOM :
			    LISTING_CSV_EXCEL, ATTEND_LIST_ALL, &cause);
			if (fclose(fp) != 0)
				rc = -1;
		}
		a->type = "text/csv; charset=utf-8";
		a->filename = "attendance.csv";
	} else if (strcmp(url, "/export.xlsx") == 0) {
		rc = xlsx_bytes(s, &a->body, &a->len, &cause);
		a->type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		a->filename = "attendance.xlsx";
	} else {
		rc = plot_png(s, pg, &a->body, &a->len, &cause);
		a->type = "image/png";
		a->filename = "arrivals.png";
	}
	store_rollback(s); /* ends the read */
out:
	/* The workbook's memory back to the system: a pool thread's arena
	 * otherwise keeps its peak for good (175 MB a thread). */
	malloc_trim(0);
	pthread_mutex_unlock(&lv->making);
	if (rc != 0) {
		free(a->body);
		char *why = xasprintf(tr(pg, "Cannot make %s: %s"), url + 1, cause ? cause : "failed");
		answer_text(a, 500, xasprintf("%s\n", why));
		free(why);
		a->filename = NULL;
		free(cause);
		return;
	}
	a->status = 200;
}

/* --- dispatch ------------------------------------------------------------------------ */

bool
live_cross_site(const char *fetch_site, const char *origin, const char *host)
{
	/* Browsers of the last years say it outright. */
	if (fetch_site != NULL)
		return strcasecmp(fetch_site, "same-origin") != 0 && strcasecmp(fetch_site, "none") != 0;
	/* curl, or a browser too old to say: as before. "null" too: such a
	 * browser sends it for the page's own form under a no-referrer
	 * policy (the session cookie is SameSite=Strict all the same). */
	if (origin == NULL || strcmp(origin, "null") == 0)
		return false;
	const char *at = strstr(origin, "://");
	if (at == NULL || host == NULL)
		return true;
	return strcasecmp(at + 3, host) != 0;
}

void
live_serve(struct live *lv, struct store *s, const struct live_request *rq,
    struct live_answer *a)
{
	char *hash = NULL, *cause = NULL;
	const char *event = store_event(s)->name;
	bool post = strcmp(rq->method, "POST") == 0;
	struct page pg = page_of(lv, rq);

	memset(a, 0, sizeof *a);
	int has = store_setting_get(s, STORE_SETTING_HUB_PASSWORD, &hash, &cause);
	if (has < 0) {
		answer_text(a, 500, xasprintf("%s %s\n", tr(&pg, "The hub cannot read its database:"),
		    cause));
		free(cause);
		return;
	}
	if (has == 0) {
		login_page(a, &pg, event, NULL, true, strcmp(rq->url, "/") == 0 ? 200 : 401);
		return;
	}
	/* A form another site's page sends in the organiser's browser (a
	 * hidden auto-submitted one): it may neither log them out nor guess
	 * the password with their browser. */
	if (post && rq->cross_site) {
		answer_text(a, 403, xstrdup("a form from another site: use this page's own\n"));
		goto out;
	}
	if (strcmp(rq->url, "/login") == 0) {
		if (post)
			login(lv, s, hash, rq, a);
		else if (session_valid(lv, s, rq->cookie, hash))
			a->status = 303, a->location = "/", a->type = "text/plain",
			a->body = xstrdup("\n"), a->len = 1;
		else
			login_page(a, &pg, event, NULL, false, 200);
		goto out;
	}
	if (strcmp(rq->url, "/logout") == 0 && !post) {
		/* Only the page's own button logs out: a link elsewhere cannot. */
		answer_text(a, 405, xstrdup("log out with the page's button (POST)\n"));
		goto out;
	}
	if (strcmp(rq->url, "/logout") == 0) {
		session_end(lv, s, rq->cookie);
		a->set_cookie = xstrdup(COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
		a->location = "/login";
		answer_text(a, 303, xstrdup("logged out\n"));
		goto out;
	}
	if (!session_valid(lv, s, rq->cookie, hash)) {
		/* The page itself shows the form; its refresh and the downloads
		 * get 401 (the script then reloads into the form). */
		bool page = strcmp(rq->url, "/") == 0 && rq->part == NULL;
		login_page(a, &pg, event, NULL, false, page ? 200 : 401);
		goto out;
	}
	a->signed_in = true;
	if (strcmp(rq->url, "/") == 0)
		main_page(lv, &pg, s, rq, a);
	else
		download(lv, &pg, s, rq->url, a);
out:
	free(hash);
}
