/* util: allocation that cannot fail, formatted strings, small string helpers.
 *
 * Out of memory is treated as impossible (tmux's rule): the x* functions print
 * a message and abort rather than hand NULL to callers that cannot recover
 * at a door anyway. Everything returned here is malloc'd; the caller frees. */
#ifndef KIOSK_UTIL_H
#define KIOSK_UTIL_H

#include <pthread.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Return a new string formatted like printf. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Set *cause (when cause is not NULL) to a new formatted message; returns -1
 * so that error paths can read `return util_fail(cause, "...", ...);`. An
 * earlier message in *cause is freed. */
int util_fail(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when s is NULL or only white space. */
int util_blank(const char *s);

/* Copy of s without leading and trailing ASCII white space. */
char *util_trim(const char *s);

/* Growable byte buffer with a hard cap (curl's dynbuf). */
struct buf {
	char *data;    /* NUL-terminated when len > 0 or after buf_cstr */
	size_t len;    /* bytes used, excluding the NUL */
	size_t cap;    /* bytes allocated */
	size_t max;    /* hard cap on len; 0 means SIZE_MAX */
};
void buf_init(struct buf *b, size_t max);
/* Append n bytes; returns 0, or -1 (buffer unchanged) past the cap. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *buf_cstr(struct buf *b);
/* Hand the string to the caller (who frees it) and reset the buffer. */
char *buf_take(struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* Read a whole file, at most max bytes; *out is NUL-terminated. */
int util_read_file(const char *path, size_t max, char **out, size_t *len, char **cause);

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when the
 * bytes there are not UTF-8 (overlong forms, surrogates, past U+10FFFF). */
size_t util_utf8_len(const unsigned char *s, size_t n);
/* True when all n bytes at s are valid UTF-8. */
int util_utf8_valid(const char *s, size_t n);
/* Characters (not bytes) in the UTF-8 string s: "ç" is one. */
size_t util_utf8_count(const char *s);
/* The most of s's n bytes, at most max, that end between characters: what
 * a text cut to max bytes keeps. */
size_t util_utf8_cut(const char *s, size_t n, size_t max);
/* Text that will be stored and synced must be UTF-8 (JSON carries nothing
 * else). Returns 0 when s is NULL or valid; else -1 with *cause
 * "WHAT: not valid UTF-8 ...". */
int util_text_check(const char *what, const char *s, char **cause);
/* Bytes of an invisible character at the start (at_end false) or the end of
 * s[0..n): ASCII white space or a control byte, or a BOM, a no-break or
 * zero-width space and the like; 0 when there is none. */
size_t util_invisible_len(const char *s, size_t n, bool at_end);
/* The code point of a C1 control (U+0080 to U+009F: U+009B is a terminal's
 * escape) at the start of s[0..n), or 0. Two bytes when not 0. */
unsigned util_c1_at(const char *s, size_t n);
/* The code point of a direction override, embedding or isolate (U+202A to
 * U+202E, U+2066 to U+2069: the text after it reads the other way round, so
 * a name can read as another's) at the start of s[0..n), or 0. Three bytes
 * when not 0. */
unsigned util_direction_at(const char *s, size_t n);
#define UTIL_EMAIL_MAX       254 /* bytes of an address (RFC 5321 path limit) */
#define UTIL_EMAIL_LOCAL_MAX 64  /* bytes of its local part */

/* True when addr is an address kiosk sends tickets to: local@domain in
 * ASCII, the local part a dot-atom (RFC 5322 atext and single dots), the
 * domain two or more labels of letters, digits and inner hyphens. Quoted
 * local parts, address literals and non-ASCII addresses are refused: they
 * need server support (SMTPUTF8) a ticket run cannot count on. */
bool util_email_ok(const char *addr);

/* Order a before b (< 0), after (> 0) or the same (0), reading runs of
 * ASCII digits as numbers: Door 2 before Door 10, Door 1b before Door 2,
 * Hall 2 before Hall 10. Equal numbers with other leading zeros, and
 * anything else, compare as bytes, so only equal strings are the same.
 * The store's collation natural_order. */
int util_natural_cmp(const char *a, size_t na, const char *b, size_t nb);

/* The address url fit for a message: its user info, if any (a user name and
 * a password before an '@'), replaced by three stars. Caller frees. */
char *util_url_redact(const char *url);
/* Whether a and b name the same server and path: scheme and host in any
 * case, a port the scheme's default or left out, a path with or without
 * its trailing slash (http://Hub:80/ is http://hub). Text that is not
 * SCHEME://... is compared as it is. */
bool util_url_same(const char *a, const char *b);
/* Whether a and b (SCHEME://HOST...) name the same host, in any case and
 * whatever their schemes, ports and paths; false for text that is not
 * SCHEME://HOST... */
bool util_url_same_host(const char *a, const char *b);
/* Whether url's host is on this computer or the local network, where no
 * web proxy leads: loopback, private (10/8, 172.16/12, 192.168/16),
 * shared (100.64/10) and link-local addresses, IPv6's ::1, fe80::/10 and
 * fc00::/7, localhost, a name without a dot, or one ending .local, .lan,
 * .internal, .home.arpa, .home, .localdomain or .fritz.box (the names home
 * routers give: BT's, a FRITZ!Box's). False for anything else, and for text
 * that is not SCHEME://HOST... */
bool util_url_local(const char *url);
/* Whether url's host is a name ending .local, which only mDNS finds. */
bool util_url_mdns(const char *url);
/* s[0..len) without the invisible characters at its ends: where it starts
 * (*start) and its length (returned). */
size_t util_invisible_span(const char *s, size_t len, size_t *start);
/* s without the invisible characters at its ends, as a new string (NULL
 * for NULL): what a field typed at the door or given to 'kiosk add' is,
 * as an import cleans its fields. */
char *util_trim_invisible(const char *s);

/* Names of kiosks and devices are shown on the door's screen, in lists and
 * in the records a kiosk made, and synced: 1 to max bytes of UTF-8 on one
 * line (no control character, C0 or C1). Returns 0 when s is one; else -1
 * with *cause "WHAT ...: why". */
#define UTIL_NAME_MAX 63 /* bytes of a kiosk or device name */
int util_name_check(const char *what, const char *s, size_t max, char **cause);
/* A copy of s (caller frees) in which every byte that is not part of valid
 * UTF-8 is U+FFFD: for text stored by an older kiosk that did not check. */
char *util_utf8_fix(const char *s);

/* Milliseconds since the Unix epoch, UTC (CLOCK_REALTIME). */
int64_t util_now_ms(void);
/* Monotonic nanoseconds, for measuring. */
int64_t util_mono_ns(void);
/* The same in milliseconds, for timeouts and "how long since". */
int64_t util_mono_ms(void);
/* *ts = ms from now on clock clk (for pthread_cond_timedwait and kin). */
void util_deadline(struct timespec *ts, clockid_t clk, int64_t ms);
/* Milliseconds since this computer started (CLOCK_BOOTTIME: counts a
 * suspend too, never stepped when the wall clock is set), and a number
 * naming this start of it (from the kernel's boot_id; 0 when unknown). */
int64_t util_boot_ms(void);
int64_t util_boot_id(void);
/* Milliseconds this computer has slept (suspended) since it started: the
 * boot clock less the monotonic one, which a suspend stops. Grows only
 * when it sleeps. */
int64_t util_slept_ms(void);

/* *set: the signals that ask kiosk to stop (SIGINT, SIGTERM, SIGHUP). */
void util_stop_signals(sigset_t *set);

/* Have a stop signal (util_stop_signals) that ends this process remove
 * path on its way out, until util_stop_keeps(path): a half-written file
 * with guests in it (an export's temporary file, a new event's draft) is
 * not left behind by Ctrl-C or a systemd stop. A signal the program
 * ignores or handles itself is left so. At most four files at once. */
void util_stop_removes(const char *path);
/* mkstemp(tmpl), the file made and put on util_stop_removes' list as one
 * step: a stop signal between the two left the file behind. Returns the
 * descriptor, or -1 with errno. */
int util_mkstemp_removed(char *tmpl);
void util_stop_keeps(const char *path);

/* pthread_create, the new thread with the stop signals blocked: they are
 * for the main thread to take (a handler that cleans up, a signalfd),
 * never a worker's. 0 or an error number. */
int util_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* A new time-ordered (version 7) UUID in its 36-character text form: the
 * time in ms, then 74 random bits. */
char *util_uuid(void);

/* A file written whole or not at all: made beside path as
 * PATH.tmp-XXXXXX (mode given), written through fp (or by a library that
 * opens tmp by name), then synced and renamed over path by
 * util_replace_commit. util_replace_abort removes it; an existing file at
 * path is untouched until the commit. */
struct util_replace {
	const char *path;       /* as given, for messages */
	char *real;             /* what is replaced: path, or a link's target */
	char *tmp;
	FILE *fp;
};

/* The folder path is in ("." for a bare name, "/" for one at the root); a
 * new string the caller frees. */
char *util_folder_of(const char *path);

/* The first character of path's last part that FAT, exFAT and NTFS (USB
 * sticks, Windows shares) refuse in a file name: " * : < > ? \ | or a
 * control character; 0 when there is none. Such a disk answers EINVAL (or,
 * through FUSE, ENOENT) to making the file, which says nothing of why. */
char util_name_unportable(const char *path);

/* The words for a file at path that could not be made (errno err): why
 * its disk refused its name, written into buf; else strerror(err). */
#define UTIL_CREATE_ERROR_BUF 256
const char *util_create_error(const char *path, int err, char buf[UTIL_CREATE_ERROR_BUF]);

/* The file an output named path really replaces: path itself, or where a
 * symbolic link points (the link stays). NULL with *cause for what must not
 * be replaced: a folder, a device or a pipe, a database (`--out event.db`
 * would have put a CSV in place of the event), a link to nowhere. */
char *util_output_path(const char *path, char **cause);
int util_replace_open(struct util_replace *r, const char *path, unsigned int mode,
    char **cause);
int util_replace_commit(struct util_replace *r, char **cause);
void util_replace_abort(struct util_replace *r);

/* A hub's listen address, IPv4: "ADDR:PORT", "PORT" or ":PORT" (every
 * interface), ADDR also "*" or "localhost"; the port 0 to 65535. Returns 0
 * and *sa, or -1 with *cause ("listen address 'x': expected ADDR:PORT..."). */
struct sockaddr_in;
int util_parse_listen(const char *text, struct sockaddr_in *sa, char **cause);

/* A file that programs rewrite while this one runs (kiosk.conf, which
 * kiosk join writes in several replacements, and an editor leaves empty or
 * half-written for a moment): util_watch_settled says true once it has
 * changed since it was last taken up, and been the same for settle_ms
 * since; the caller then reads it. now: any millisecond clock, the same at
 * every call. A watch made with util_watch_start says nothing until it
 * changes; zeroed, it says the file once. */
struct util_watch {
	struct stat taken;      /* as last taken up */
	struct stat seen;       /* as last looked at */
	int64_t seen_at;
};
void util_watch_start(struct util_watch *w, const char *path);
bool util_watch_settled(struct util_watch *w, const char *path, int64_t now, int settle_ms);

#endif
