/* fuzz_hub: the real hub, fed raw HTTP over loopback.
 *
 * LLVMFuzzerInitialize starts the hub (hub_start, 127.0.0.1, a free port,
 * one thread) on the fixed event (fuzz.h) in a temporary folder (in
 * /dev/shm when there is one: the hub commits with synchronous=FULL).
 * Each input is written to a new connection as it is, the sending side is
 * shut once the hub has read it all (see exchange), and the answer is read
 * to the end: libmicrohttpd's parsing, judge() on the headers, then the
 * push, pull, event and live handlers, in the hub's own thread (the
 * project's code there is instrumented like the rest; libmicrohttpd, a
 * system library, is not, so its parsing is exercised but not steered).
 * Before each input the database is made the fixed event again, so an
 * input replays alone.
 *
 * Two marks make the inputs that matter reachable (test code only):
 *   FZ_SESSION_MARK   becomes the key of a logged-in session of the live
 *                     page (the harness logs in when it has none);
 *   "@LEN@"           the first one becomes the length of what follows the
 *                     first blank line after it, so a mutated body keeps
 *                     a Content-Length that lets it reach the handler.
 * The token is fixed (FZ_TOKEN), and so is the event's uuid.
 *
 * The hub must answer every request without a 500 (nothing a client sends
 * is a database failure), every answer of its JSON API must be the
 * protocol's JSON object (zipped or not), and it must never keep a
 * half-closed connection waiting for longer than ANSWER_MS. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz.h"
#include "sync/gz.h"
#include "sync/hub.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ANSWER_MS 10000             /* the hub's answer to a half-closed request */
#define ANSWER_MAX (4u << 20)       /* bytes of an answer kept (downloads are bigger) */
#define LEN_MARK "@LEN@"

static struct hub *hub;
static struct store *db;            /* the harness's own connection, for fz_reset */
static char *dir, *db_path;
static int port;
static char *session;               /* the live page's session key */

static void
cleanup(void)
{
	hub_stop(hub);
	store_close(db);
	if (dir != NULL) {
		const char *ext[] = { "", "-wal", "-shm", "-journal" };
		for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
			char *p = xasprintf("%s%s", db_path, ext[i]);
			unlink(p);
			free(p);
		}
		rmdir(dir);
	}
	free(db_path);
	free(dir);
	free(session);
}

/* The hub's end of the connection whose local port is ours: the accepted
 * socket in this very process (libmicrohttpd's thread made it). -1 while
 * it is not accepted yet or after it is closed. */
static int
hub_side(int ours)
{
	struct sockaddr_in me, a, b;
	socklen_t len = sizeof me;

	if (getsockname(ours, (struct sockaddr *)&me, &len) != 0)
		return -1;
	for (int fd = 3; fd < 1024; fd++) {
		socklen_t la = sizeof a, lb = sizeof b;
		if (fd == ours || getsockname(fd, (struct sockaddr *)&a, &la) != 0 ||
		    a.sin_family != AF_INET || ntohs(a.sin_port) != port ||
		    getpeername(fd, (struct sockaddr *)&b, &lb) != 0 ||
		    b.sin_port != me.sin_port)
			continue;
		return fd;
	}
	return -1;
}

/* Read what is there without waiting; returns 1 at the end of the stream. */
static int
drain(int fd, struct buf *b, int wait_ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char chunk[16384];

	while (poll(&pfd, 1, wait_ms) > 0) {
		ssize_t n = recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return 1; /* closed, or reset after an early answer */
		if (b->len < ANSWER_MAX)
			buf_add(b, chunk, (size_t)n < ANSWER_MAX - b->len ? (size_t)n :
			    ANSWER_MAX - b->len);
	}
	return 0;
}

/* connect() to the hub, through a signal: libFuzzer's own timers interrupt
 * it now and then (EINTR), and the connection then goes on by itself. */
static int
connect_hub(int fd, const struct sockaddr_in *sa)
{
	if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
		return 0;
	if (errno != EINTR)
		return -1;
	struct pollfd p = { fd, POLLOUT, 0 };
	int r;
	while ((r = poll(&p, 1, ANSWER_MS)) < 0 && errno == EINTR)
		;
	int err = r == 0 ? ETIMEDOUT : 0;
	socklen_t l = sizeof err;
	if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) != 0)
		return -1;
	errno = err;
	return err == 0 ? 0 : -1;
}

/* Send req to the hub and read its whole answer (NUL-terminated, caller
 * frees).
 *
 * The end of the request is a half-close, and when the hub has answered
 * it closes. But libmicrohttpd waits for socket events edge-triggered and
 * reads once: when the request and the FIN arrive together it never sees
 * the FIN and keeps the connection until its 30 s timeout. So the FIN is
 * sent only once the hub has read every byte (its socket's queue, seen
 * from this process, is empty), as a client that waits would. */
static char *
exchange(const char *req, size_t len, size_t *out_len)
{
	struct sockaddr_in sa = { 0 };
	struct buf b;
	int fd, done = 0;

	buf_init(&b, ANSWER_MAX);
	buf_add(&b, "", 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect_hub(fd, &sa) != 0)
		fz_die("connect to the hub", xstrdup(strerror(errno)));
	/* The hub may answer and close before it has read everything (413):
	 * a failed send is not an error, the answer is what counts. */
	for (size_t sent = 0; sent < len && !done;) {
		ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
			sent += (size_t)n;
		else if (n < 0 && errno != EAGAIN && errno != EINTR)
			break;
		done = drain(fd, &b, n > 0 ? 0 : 1);
	}
	int64_t deadline = util_mono_ns() / 1000000 + ANSWER_MS;
	int hub_fd = -1, queued = 1;
	while (!done && util_mono_ns() / 1000000 < deadline) {
		if (hub_fd < 0)
			hub_fd = hub_side(fd);
		if (hub_fd >= 0 && (ioctl(hub_fd, FIONREAD, &queued) != 0 || queued == 0))
			break;
		done = drain(fd, &b, 0);
		if (!done)
			sched_yield();
	}
	shutdown(fd, SHUT_WR);
	while (!done) {
		int left = (int)(deadline - util_mono_ns() / 1000000);
		if (left <= 0) {
			fprintf(stderr, "fuzz_hub: no answer or no close within %d ms\n", ANSWER_MS);
			abort();
		}
		done = drain(fd, &b, left);
	}
	close(fd);
	*out_len = b.len;
	char *out = xmalloc(b.len + 1); /* a zipped answer holds NULs */
	memcpy(out, buf_cstr(&b), b.len + 1);
	buf_free(&b);
	return out;
}

static unsigned
status_of(const char *answer)
{
	if (strncmp(answer, "HTTP/1.", 7) != 0 || answer[7] == '\0' || answer[8] != ' ')
		return 0;
	return (unsigned)strtoul(answer + 9, NULL, 10);
}

/* Log in to the live page; sets session. Waits out the hub's pause after
 * a wrong password (429) that an input may have caused. */
static void
login(void)
{
	static const char req[] = "POST /login HTTP/1.1\r\nHost: hub\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 22\r\n\r\n"
	    "password=" FZ_PASSWORD;
	for (int tries = 0; tries < 5; tries++) {
		size_t n;
		char *a = exchange(req, sizeof req - 1, &n);
		unsigned st = status_of(a);
		const char *c = strstr(a, "kiosk_session=");
		if (st == 303 && c != NULL) {
			c += 14;
			free(session);
			session = xstrndup(c, strcspn(c, ";\r\n"));
			free(a);
			return;
		}
		free(a);
		if (st != 429)
			fz_die("login", xasprintf("status %u", st));
		sqlite3_sleep(1100);
	}
	fz_die("login", xstrdup("still refused after waiting"));
}

/* Whether the session still opens the page (an input may have logged it
 * out, or logged in so often that it was pushed out). */
static bool
session_ok(void)
{
	char *req = xasprintf("GET /?part=live HTTP/1.1\r\nHost: hub\r\nCookie: "
	    "kiosk_session=%s\r\n\r\n", session);
	size_t n;
	char *a = exchange(req, strlen(req), &n);
	bool ok = status_of(a) == 200;
	free(a);
	free(req);
	return ok;
}

/* Folders of runs that crashed (their pid is gone): a crash skips atexit. */
static void
remove_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		long pid;
		char tail[16];
		if (sscanf(e->d_name, "kiosk-fuzz-%ld-%15s", &pid, tail) != 2 || pid <= 0 ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char *cmd = xasprintf("rm -rf '%s/%s'", parent, e->d_name);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz_hub: cannot remove %s/%s\n", parent, e->d_name);
		free(cmd);
	}
	if (d != NULL)
		closedir(d);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct stat st;
	char *cause = NULL;

	(void)argc;
	(void)argv;
	fz_template();
	const char *parent = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" :
	    "/tmp";
	remove_stale(parent);
	dir = xasprintf("%s/kiosk-fuzz-%ld-XXXXXX", parent, (long)getpid());
	if (mkdtemp(dir) == NULL)
		fz_die("mkdtemp", xstrdup(strerror(errno)));
	db_path = xasprintf("%s/hub.db", dir);
	db = fz_open(db_path);
	fz_reset(db);
	atexit(cleanup);

	/* the corpus's requests say "Host: hub": a name the live page
	 * answers to only when listed, as kiosk.conf's [hub] names would */
	static const char *const names[] = { "hub" };
	struct hub_options o = { .db_path = db_path, .listen = "127.0.0.1:0", .threads = 1,
	    .max_connections = 8, .names = names, .n_names = 1 };
	if (hub_start(&o, &hub, &cause) != 0)
		fz_die("hub_start", cause);
	port = hub_port(hub);
	login();
	return 0;
}

/* The value of header name in the head of an answer (up to its blank
 * line), or NULL; *n is its length. */
static const char *
answer_header(const char *head, size_t head_len, const char *name, size_t *n)
{
	size_t nl = strlen(name);
	for (const char *p = head; p < head + head_len;) {
		const char *eol = memchr(p, '\n', (size_t)(head + head_len - p));
		if (eol == NULL)
			break;
		if ((size_t)(eol - p) > nl + 1 && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			p += nl + 1;
			p += strspn(p, " ");
			*n = (size_t)(eol - p) - (eol > p && eol[-1] == '\r');
			return p;
		}
		p = eol + 1;
	}
	return NULL;
}

/* The protocol's promise: every answer of the hub's JSON API (not the
 * live page, not libmicrohttpd's own refusals) is a JSON object with
 * "protocol" and "now", zipped or not. Only the first answer is looked at
 * (the input may hold more requests). */
static void
check_json(const char *req, const char *answer, size_t alen)
{
	const char *end = NULL;
	size_t n;

	/* The answer to HEAD has no body (what follows is the next answer). */
	req += strspn(req, "\r\n");
	if (strncmp(req, "HEAD ", 5) == 0)
		return;

	for (size_t i = 0; i + 4 <= alen && end == NULL; i++)
		if (memcmp(answer + i, "\r\n\r\n", 4) == 0)
			end = answer + i;
	if (end == NULL)
		return;
	size_t head_len = (size_t)(end - answer) + 2;
	const char *type = answer_header(answer, head_len, "Content-Type", &n);
	if (type == NULL || n != 16 || strncmp(type, "application/json", 16) != 0)
		return;
	const char *cl = answer_header(answer, head_len, "Content-Length", &n);
	if (cl == NULL)
		return;
	size_t blen = (size_t)strtoull(cl, NULL, 10);
	const char *body = end + 4;
	if (body + blen > answer + alen)
		return; /* a HEAD request, or an answer cut short by a reset */
	char *unzipped = NULL;
	const char *enc = answer_header(answer, head_len, "Content-Encoding", &n);
	if (enc != NULL && n == 4 && strncmp(enc, "gzip", 4) == 0) {
		if (gz_inflate(body, blen, (size_t)64 << 20, &unzipped, &blen) != 0) {
			fprintf(stderr, "fuzz_hub: a zipped answer does not unzip\n");
			abort();
		}
		body = unzipped;
	}
	json_error_t jerr;
	json_t *j = json_loadb(body, blen, 0, &jerr);
	if (!json_is_object(j) || !json_is_integer(json_object_get(j, "protocol")) ||
	    !json_is_integer(json_object_get(j, "now"))) {
		fprintf(stderr, "fuzz_hub: an answer is not the protocol's JSON (%s):\n%.*s\n",
		    jerr.text, (int)(alen < 2000 ? alen : 2000), answer);
		abort();
	}
	json_decref(j);
	free(unzipped);
}

/* Replace the first LEN_MARK by the length of the body after it. */
static char *
fix_length(char *req, size_t *len)
{
	char *m = NULL;
	size_t ml = strlen(LEN_MARK);
	for (size_t i = 0; i + ml <= *len && m == NULL; i++)
		if (memcmp(req + i, LEN_MARK, ml) == 0)
			m = req + i;
	if (m == NULL)
		return req;
	char *hdr_end = NULL;
	for (char *q = m + ml; q + 4 <= req + *len && hdr_end == NULL; q++)
		if (memcmp(q, "\r\n\r\n", 4) == 0)
			hdr_end = q + 4;
	size_t body = hdr_end ? (size_t)(req + *len - hdr_end) : 0;
	char num[24];
	int nl = snprintf(num, sizeof num, "%zu", body);
	size_t before = (size_t)(m - req), after = *len - before - ml;
	char *out = xmalloc(before + (size_t)nl + after + 1);
	memcpy(out, req, before);
	memcpy(out + before, num, (size_t)nl);
	memcpy(out + before + nl, m + ml, after);
	*len = before + (size_t)nl + after;
	out[*len] = '\0';
	free(req);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, alen;
	bool uses_session = false;

	for (size_t i = 0; i + strlen(FZ_SESSION_MARK) <= size && !uses_session; i++)
		uses_session = memcmp(data + i, FZ_SESSION_MARK, strlen(FZ_SESSION_MARK)) == 0;
	if (uses_session && !session_ok())
		login();
	char *req = fz_subst(data, size, session, &len);
	req = fix_length(req, &len);

	fz_reset(db);
	char *answer = exchange(req, len, &alen);
	check_json(req, answer, alen);
	if (status_of(answer) == 500) {
		fprintf(stderr, "fuzz_hub: the hub answered 500:\n%.*s\n", (int)(alen < 2000 ?
		    alen : 2000), answer);
		abort();
	}
	/* FUZZ_HUB_SHOW=1: the answer's status line and error, when writing seeds. */
	if (getenv("FUZZ_HUB_SHOW") != NULL) {
		const char *err = strstr(answer, "\"error\":");
		fprintf(stderr, "fuzz_hub: %.*s %.*s\n", (int)strcspn(answer, "\r\n"), answer,
		    err ? (int)strcspn(err, "}") : 0, err ? err : "");
	}
	free(answer);
	free(req);
	return 0;
}

/* fontconfig (through the arrivals picture) keeps its caches behind
 * pointers LeakSanitizer cannot follow; they live as long as the process. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
