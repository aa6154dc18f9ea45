/* hub: the central list over HTTP(S) (rules in hub.h, the protocol in
 * docs/sync-protocol.md).
 *
 * A request is judged in two steps. When its headers are in, everything
 * that does not need the body is checked, in the protocol's order: the
 * declared size (413 at once, so a client that waits for "100 Continue"
 * never sends it), the token (401), Kiosk-Protocol (400/426), Kiosk-Event
 * (409), the path (404/405) and the query (400). A body that comes anyway
 * is counted and thrown away: nothing a client without a valid token sends
 * is kept in memory. The answer goes out once the body is in, since a
 * server that answers and closes while the client is still sending makes
 * the client's TCP stack drop the answer. Only an accepted push keeps its
 * body, up to 8 MiB; past that the rest is thrown away and the answer is
 * 413, or the connection is cut if the client goes on sending far past it.
 *
 * Each thread of MHD's pool opens its own store connection the first time
 * it serves a request (SQLite connections are not shared between threads
 * here); hub_stop closes them after the pool has stopped. Logs go to stderr,
 * one line per refused request, with the path, status, device and reason:
 * never a token, a query string or a body. */
#include "sync/hub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/device.h"
#include "core/hostname.h"
#include "core/store.h"
#include "core/merge.h"
#include "core/util.h"
#include "sync/gz.h"
#include "sync/live.h"
#include "sync/peers.h"
#include "sync/repl.h"

#define HUB_BODY_MAX ((size_t)8 << 20)       /* a request body as sent */
#define HUB_PUSHING_MS 2000                  /* a device with more to push is waited
                                              * for this long after its last push */
#define HUB_UNZIPPED_MAX ((size_t)16 << 20)  /* once unzipped: the fullest push
                                              * (REPL_MAX_RECORDS of each kind, 2 MiB
                                              * of guests) is about 6 */
#define HUB_BIG_BODY ((size_t)1 << 20)       /* parsed one at a time from this size */
#define HUB_DISCARD_MAX ((uint64_t)64 << 20) /* thrown away before the connection is cut */
#define HUB_GZIP_FROM 1024                   /* smaller answers are not worth zipping */
#define HUB_TIMEOUT_S 30
#define HUB_CONN_MEMORY (256 * 1024)         /* per connection: headers and buffers */
#define HUB_THREADS 4
#define HUB_THREADS_MAX 64
#define HUB_CONNECTIONS 512
/* From one address: a dozen doors and an organiser's browser behind one
 * venue NAT fit; one machine holding connections open a header line at a
 * time (never idle for the 30 s timeout) no longer takes them all. */
#define HUB_CONNECTIONS_PER_IP 48
#define HUB_PEM_MAX (1 << 20)
#define HUB_PULL_LIMIT 2000
#define HUB_DRAIN_MS 5000                    /* hub_stop waits this long for answers */
/* GnuTLS's NORMAL less TLS 1.0 and 1.1 (RFC 8996), key exchange by the
 * server's RSA key (no forward secrecy: whoever records the Wi-Fi today and
 * gets the key later reads every token) and CBC ciphers with SHA-1. Doors
 * (libcurl), phones and browsers of the last ten years speak TLS 1.2 with
 * ECDHE and AES-GCM or ChaCha20. */
#define HUB_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:-SHA1"

enum route { ROUTE_NONE, ROUTE_EVENT, ROUTE_PUSH, ROUTE_PULL, ROUTE_LIVE };

/* One pool thread's database connection. */
struct hub_conn {
	struct store *s;
	const struct hub *owner;
	struct hub_conn *next;
};

struct hub {
	struct MHD_Daemon *d;
	char *db_path;
	dev_t db_dev;                   /* the file served, to notice it deleted or replaced */
	ino_t db_ino;
	char *ev_uuid;                  /* the event served, for the 409 check */
	char *ev_name;
	atomic_bool each_day;           /* hub_options', or hub_set_each_day's */
	char *cert_pem, *key_pem;       /* kept until the daemon is gone */
	bool tls;                       /* serving https */
	char self[HOSTNAME_MAX + 1];    /* this computer's name; "": unknown */
	char **names;                   /* hub_options' names, copied */
	size_t n_names;
	struct live *live;              /* the organiser's page at / */
	struct peers *peers;            /* open connections; strangers' bounded */
	struct repl_cache *pulled;      /* check-ins as pull pages write them */
	int port;
	pthread_mutex_t lock;           /* guards conns and log_* */
	pthread_mutex_t big_body;       /* held while a body over HUB_BIG_BODY is parsed
	                                 * and stored: jansson takes ~100 bytes a value,
	                                 * and one at a time bounds the memory (a push
	                                 * waits for the write lock anyway) */
	struct hub_conn *conns;         /* every thread's store, closed by hub_stop */
	int64_t log_second;             /* strangers' refusals logged this second */
	int log_lines;
	unsigned long log_hidden;       /* and not logged since the last that was */
	atomic_bool started;            /* MHD's log lines go to stderr from then on */
	char start_error[256];          /* MHD's last message before that */
	atomic_int sending;             /* answers queued and not yet sent */
	_Atomic uint64_t requests;
	_Atomic uint64_t bytes_in;
	_Atomic uint64_t bytes_out;
};

/* The request being served, from its headers to its completion. */
struct req {
	enum route route;
	unsigned int status;            /* refused on its headers: the answer; 0 if not */
	char *error;                    /* and why */
	const char *log_error;          /* why, for the hub's own log, when it differs */
	char *device;                   /* the token's name, once checked */
	bool gzip_in;                   /* the body has Content-Encoding: gzip */
	bool gzip_out;                  /* the client accepts gzip */
	bool answered;                  /* a response is queued (counted in sending) */
	int64_t q_guests, q_checkins;   /* pull cursors */
	int q_limit;
	bool q_mine;                    /* the kiosk has its own check-ins: skip them */
	bool rows;                      /* Kiosk-Accept: checkin-rows (pull pages) */
	int64_t waiting;                /* Kiosk-Waiting: records it has to push; -1 */
	struct buf body;                /* a push's body, up to HUB_BODY_MAX */
	uint64_t received;              /* body bytes, kept or thrown away */
	struct peer *peer;              /* its connection (peers.h), or NULL */
};

static _Thread_local struct hub_conn *tl_conn;

/* --- small helpers ------------------------------------------------------- */

/* A copy of client or database text fit for JSON and a log line: valid
 * UTF-8 (jansson refuses anything else) without control characters, at
 * most max bytes. Caller frees. */
static char *
clean(const char *s, size_t max)
{
	struct buf b;
	size_t n = s ? strlen(s) : 0, i = 0;

	buf_init(&b, 0);
	while (i < n && b.len < max) {
		size_t k = util_utf8_len((const unsigned char *)s + i, n - i);
		unsigned char c = (unsigned char)s[i];
		if (k == 0 || (k == 1 && (c < 0x20 || c == 0x7F)) ||
		    (k == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)) {
			buf_addc(&b, '?');
			i += k ? k : 1;
			continue;
		}
		if (b.len + k > max)
			break;
		buf_add(&b, s + i, k);
		i += k;
	}
	if (i < n)
		buf_add(&b, "...", 3);
	return buf_take(&b);
}

/* A non-negative decimal integer, digits only, within [0, max]. */
static bool
parse_count(const char *v, int64_t max, int64_t *out)
{
	char *end = NULL;
	if (v == NULL || v[0] < '0' || v[0] > '9')
		return false;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 0 || n > max)
		return false;
	*out = n;
	return true;
}

static const char *
header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Does a comma-separated header value (NULL: absent) name token (in any
 * case)? */
static bool
accepts(const char *value, const char *token)
{
	size_t n = strlen(token);
	for (const char *p = value; p != NULL && *p != '\0';) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, " \t,;");
		if (len == n && strncasecmp(p, token, n) == 0)
			return true;
		p += len;
		p += strcspn(p, ","); /* past any ;parameters */
	}
	return false;
}

/* The time the hub gives the doors (store_now_given), or -1: then an
 * answer has no "now" (a door of any version takes no time from it, where
 * some took a 0 for 1970). */
static int64_t
hub_now(void)
{
	if (tl_conn != NULL && tl_conn->s != NULL)
		return store_now_given(tl_conn->s);
	int64_t now = util_now_ms();
	return now < MERGE_CLOCK_MIN ? -1 : now;
}

static void
set_now(json_t *body)
{
	int64_t now = hub_now();
	if (now >= 0)
		json_object_set_new(body, "now", json_integer(now));
}

/* This thread's store, opened the first time it serves a request. */
static struct store *
thread_store(struct hub *h, char **cause)
{
	struct store *s = NULL;
	struct stat st;

	/* The file the hub started on, on every request and every thread: a
	 * connection keeps writing to a file deleted under it, and a new one
	 * would open whatever file now has the name; every kiosk would take
	 * "stored" for an answer while nothing is. */
	if (stat(h->db_path, &st) != 0 || st.st_dev != h->db_dev || st.st_ino != h->db_ino) {
		util_fail(cause, "%s: the hub's database file is gone or was replaced; restart "
		    "the hub", h->db_path);
		return NULL;
	}
	if (tl_conn != NULL && tl_conn->owner == h) {
		s = tl_conn->s;
	} else {
		if (store_open(h->db_path, 0, NULL, &s, cause) != 0)
			return NULL;
		struct hub_conn *c = xcalloc(1, sizeof *c);
		c->s = s;
		c->owner = h;
		pthread_mutex_lock(&h->lock);
		c->next = h->conns;
		h->conns = c;
		pthread_mutex_unlock(&h->lock);
		tl_conn = c;
	}
	/* the mode as it is now: a door serving as the hub may change it */
	store_set_each_day(s, atomic_load(&h->each_day));
	return s;
}

/* --- answers ------------------------------------------------------------- */

/* Queue resp (len bytes; destroyed here) and count it as sent. */
static enum MHD_Result
queue(struct hub *h, struct MHD_Connection *conn, struct req *r, unsigned int status,
    struct MHD_Response *resp, size_t len)
{
	enum MHD_Result ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	if (ret == MHD_YES) {
		atomic_fetch_add(&h->bytes_out, len);
		if (r != NULL && !r->answered) {
			r->answered = true;
			atomic_fetch_add(&h->sending, 1);
		}
	}
	return ret;
}

/* Queue text (JSON, taken over; NULL answers a bare 500) as the response.
 * Zipped when the client accepts it and it is worth it. */
static enum MHD_Result
send_text(struct hub *h, struct MHD_Connection *conn, struct req *r, unsigned int status,
    char *text, const char *hname, const char *hvalue)
{
	unsigned char *zipped = NULL;
	size_t len, zlen = 0;
	void *data;
	bool gz = false;

	if (text == NULL) {
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		int64_t now = hub_now();
		char at[40] = "";
		if (now >= 0)
			snprintf(at, sizeof at, ",\"now\":%lld", (long long)now);
		text = xasprintf("{\"protocol\":%d%s,\"error\":\"the hub could not write its "
		    "answer\"}", REPL_PROTOCOL, at);
	}
	len = strlen(text);
	data = text;
	if (r != NULL && r->gzip_out && len > HUB_GZIP_FROM &&
	    gz_deflate(text, len, &zipped, &zlen) == 0) {
		free(text);
		data = zipped;
		len = zlen;
		gz = true;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (gz)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (hname != NULL)
		MHD_add_response_header(resp, hname, hvalue);
	return queue(h, conn, r, status, resp, len);
}

/* Queue body (stolen; NULL answers a bare 500) as the response. */
static enum MHD_Result
send_json(struct hub *h, struct MHD_Connection *conn, struct req *r, unsigned int status,
    json_t *body, const char *hname, const char *hvalue)
{
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(body);
	return send_text(h, conn, r, status, text, hname, hvalue);
}

static json_t *
jstring(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (j == NULL) {
		char *c = clean(s, 4096);
		j = json_string(c);
		free(c);
	}
	return j;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size);

#define HUB_STRANGER_LINES 5 /* log lines a second for requests of no door */

/* May a refusal of no door's request be logged now? At most
 * HUB_STRANGER_LINES a second; *hidden gets how many were not since the
 * last that was. */
static bool
log_stranger(struct hub *h, unsigned long *hidden)
{
	int64_t second = util_mono_ms() / 1000;
	bool log;
	pthread_mutex_lock(&h->lock);
	if (second != h->log_second) {
		h->log_second = second;
		h->log_lines = 0;
	}
	log = h->log_lines < HUB_STRANGER_LINES;
	if (log) {
		h->log_lines++;
		*hidden = h->log_hidden;
		h->log_hidden = 0;
	} else {
		h->log_hidden++;
	}
	pthread_mutex_unlock(&h->lock);
	return log;
}

static const char *
hidden_note(unsigned long n)
{
	static _Thread_local char note[64];
	snprintf(note, sizeof note, " (and %lu more refused, not shown)", n);
	return note;
}

/* An error answer, logged. logmsg replaces msg in the log when msg may
 * quote what the client sent (a JSON parse error quotes the body). A
 * request from no known device is logged with its address: the organiser
 * reading "unknown or revoked token" wants to know which door it is. */
/* The address this connection reached the hub at, as a URL's host and
 * port ("192.168.1.10:8080", "[fe80::1]:8080"), or "" when unknown. */
static void
local_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char ip[INET6_ADDRSTRLEN];
	out[0] = '\0';
	if (ci == NULL || getsockname(ci->connect_fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)&ss;
		if (inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip) != NULL)
			snprintf(out, size, "%s:%u", ip, (unsigned)ntohs(a->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)(const void *)&ss;
		if (inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip) != NULL)
			snprintf(out, size, "[%s]:%u", ip, (unsigned)ntohs(a->sin6_port));
	}
}

/* s with HTML's special characters written as entities, into b (for text
 * and double-quoted attributes). */
static void
add_html(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<': buf_addf(b, "&lt;"); break;
		case '>': buf_addf(b, "&gt;"); break;
		case '&': buf_addf(b, "&amp;"); break;
		case '"': buf_addf(b, "&quot;"); break;
		default: buf_addc(b, *s); break;
		}
	}
}

/* The live page asked for by a name the hub does not answer to (hostname.h):
 * the organiser's browser is shown why in words, with a link to the page by
 * the address it reached the hub at, rather than a door's JSON. */
static enum MHD_Result
send_misdirected(struct hub *h, struct MHD_Connection *conn, struct req *r, const char *msg)
{
	char at[INET6_ADDRSTRLEN + 16];
	struct buf b;
	local_address(conn, at, sizeof at);
	buf_init(&b, 0);
	buf_addf(&b, "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width\"><title>kiosk hub</title></head><body "
	    "style=\"font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em\">"
	    "<h1>Not by this name</h1><p>");
	add_html(&b, msg ? msg : "this hub is not known by this name");
	buf_addf(&b, ".</p>");
	if (at[0] != '\0') {
		buf_addf(&b, "<p>Open it by its address: <a href=\"http://");
		add_html(&b, at);
		buf_addf(&b, "/\">http://");
		add_html(&b, at);
		buf_addf(&b, "/</a></p>");
	}
	buf_addf(&b, "</body></html>\n");
	size_t len = b.len;
	char *text = buf_take(&b);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
	return queue(h, conn, r, MHD_HTTP_MISDIRECTED_REQUEST, resp, len);
}

static enum MHD_Result
send_error(struct hub *h, struct MHD_Connection *conn, struct req *r, const char *method,
    const char *url, unsigned int status, const char *msg, const char *logmsg)
{
	const char *hname = NULL, *hvalue = NULL;
	char *m = clean(method, 16), *u = clean(url, 80);
	char *dev = r && r->device ? clean(r->device, DEVICE_NAME_MAX) : NULL;
	char *lm = clean(logmsg ? logmsg : msg, 300);

	char from[INET6_ADDRSTRLEN + 8] = "";
	if (dev == NULL && conn != NULL) {
		char addr[INET6_ADDRSTRLEN];
		client_address(conn, addr, sizeof addr);
		if (addr[0] != '\0')
			snprintf(from, sizeof from, " from %s", addr);
	}
	/* A door's refusals are all told; strangers' at most a few a second,
	 * or a flood of them fills the disk with the log. */
	unsigned long hidden = 0;
	if (dev != NULL || log_stranger(h, &hidden))
		fprintf(stderr, "kiosk: hub: %s %s %u%s%s%s%s: %s%s\n", m, u, status,
		    dev ? " (device \"" : "", dev ? dev : "", dev ? "\")" : "", from, lm,
		    hidden > 0 ? hidden_note(hidden) : "");
	free(m);
	free(u);
	free(dev);
	free(lm);

	if (status == MHD_HTTP_UNAUTHORIZED) {
		hname = MHD_HTTP_HEADER_WWW_AUTHENTICATE;
		hvalue = "Bearer";
	} else if (status == MHD_HTTP_METHOD_NOT_ALLOWED && r != NULL) {
		hname = MHD_HTTP_HEADER_ALLOW;
		hvalue = r->route == ROUTE_PUSH ? "POST" : r->route == ROUTE_LIVE ? "GET, POST" :
		    "GET";
	}
	if (r != NULL && r->route == ROUTE_LIVE && status == MHD_HTTP_MISDIRECTED_REQUEST)
		return send_misdirected(h, conn, r, msg);
	json_t *body = json_object();
	json_object_set_new(body, "protocol", json_integer(REPL_PROTOCOL));
	set_now(body);
	json_object_set_new(body, "error", jstring(msg ? msg : "failed"));
	return send_json(h, conn, r, status, body, hname, hvalue);
}

/* --- judging the headers -------------------------------------------------- */

static void
refuse(struct req *r, unsigned int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
refuse(struct req *r, unsigned int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->status = status;
	free(r->error);
	r->error = xvasprintf(fmt, ap);
	va_end(ap);
}

struct query {
	struct req *r;
	bool guests, checkins, limit, mine;   /* seen */
};

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query *q = cls;
	struct req *r = q->r;
	int64_t n = 0;
	bool *seen = NULL;

	(void)kind;
	char *k = clean(key, 40);
	if (key != NULL && strcmp(key, "guests") == 0)
		seen = &q->guests;
	else if (key != NULL && strcmp(key, "checkins") == 0)
		seen = &q->checkins;
	else if (key != NULL && strcmp(key, "limit") == 0)
		seen = &q->limit;
	else if (key != NULL && strcmp(key, "mine") == 0)
		seen = &q->mine;
	if (seen == NULL) {
		refuse(r, MHD_HTTP_BAD_REQUEST, "unknown query parameter '%s' (expected guests, "
		    "checkins, limit and mine)", k);
		goto stop;
	}
	if (*seen) {
		refuse(r, MHD_HTTP_BAD_REQUEST, "query parameter '%s' given twice", k);
		goto stop;
	}
	*seen = true;
	if (seen == &q->limit) {
		if (!parse_count(value, REPL_MAX_RECORDS, &n) || n < 1) {
			refuse(r, MHD_HTTP_BAD_REQUEST, "query parameter 'limit': expected an "
			    "integer from 1 to %d", REPL_MAX_RECORDS);
			goto stop;
		}
		r->q_limit = (int)n;
	} else if (seen == &q->mine) {
		if (value == NULL || (strcmp(value, "0") != 0 && strcmp(value, "1") != 0)) {
			refuse(r, MHD_HTTP_BAD_REQUEST, "query parameter 'mine': expected 0 or 1");
			goto stop;
		}
		r->q_mine = value[0] == '1';
	} else {
		if (!parse_count(value, INT64_MAX, &n)) {
			refuse(r, MHD_HTTP_BAD_REQUEST, "query parameter '%s': expected a "
			    "non-negative integer", k);
			goto stop;
		}
		if (seen == &q->guests)
			r->q_guests = n;
		else
			r->q_checkins = n;
	}
	free(k);
	return MHD_YES;
stop:
	free(k);
	return MHD_NO;
}

/* Check everything but the body, in the protocol's order; a refusal is
 * left in r->status and r->error. */
static void
judge(struct hub *h, struct MHD_Connection *conn, const char *url, const char *method,
    struct req *r)
{
	char *cause = NULL;
	const char *v;
	int64_t proto = 0;
	char theirs[24] = "";

	const char *accept = header(conn, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	r->gzip_out = accept != NULL && strstr(accept, "gzip") != NULL;

	struct store *s = thread_store(h, &cause);
	if (s == NULL) {
		refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", cause ? cause : "cannot open "
		    "the database");
		goto out;
	}

	/* The organiser's page has its own login (a session cookie). */
	if (live_owns(url)) {
		r->route = ROUTE_LIVE;
		/* Only by a name no other site can own (hostname.h): over https
		 * the certificate already binds the name, a browser shows the
		 * page of no other. */
		v = header(conn, MHD_HTTP_HEADER_HOST);
		if (!h->tls && !hostname_allowed(v, h->self, (const char *const *)h->names,
		    h->n_names)) {
			char *name = clean(v, 64);
			refuse(r, MHD_HTTP_MISDIRECTED_REQUEST, "this hub is not known as '%s': open "
			    "it by its address, or list the name in kiosk.conf's [hub] names", name);
			free(name);
			goto out;
		}
		if (strcmp(method, MHD_HTTP_METHOD_POST) == 0)
			buf_init(&r->body, LIVE_FORM_MAX);
		else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
			refuse(r, MHD_HTTP_METHOD_NOT_ALLOWED, "%s takes GET or POST", url);
		goto out;
	}

	/* Who: "Bearer TOKEN", the scheme in any case. */
	v = header(conn, MHD_HTTP_HEADER_AUTHORIZATION);
	if (v == NULL) {
		refuse(r, MHD_HTTP_UNAUTHORIZED, "no token: send 'Authorization: Bearer TOKEN' "
		    "with a token from 'kiosk hub token add NAME'");
		goto out;
	}
	if (strncasecmp(v, "Bearer", 6) != 0 || (v[6] != ' ' && v[6] != '\t')) {
		refuse(r, MHD_HTTP_UNAUTHORIZED, "no token: the Authorization header is not "
		    "'Bearer TOKEN'");
		goto out;
	}
	v += 6;
	v += strspn(v, " \t");
	char token[DEVICE_TOKEN_LEN + 1];
	size_t tlen = strcspn(v, " \t");
	if (tlen > DEVICE_TOKEN_LEN || v[tlen + strspn(v + tlen, " \t")] != '\0')
		tlen = 0; /* not one of ours: refused below without a query */
	memcpy(token, v, tlen);
	token[tlen] = '\0';
	int ok = device_check(s, token, store_now(s), &r->device, &cause);
	explicit_bzero(token, sizeof token);
	if (ok < 0) {
		refuse(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", cause ? cause : "cannot check "
		    "the token");
		goto out;
	}
	if (ok == 0) {
		refuse(r, MHD_HTTP_UNAUTHORIZED, "unknown or revoked token: ask the organiser for "
		    "a new one ('kiosk hub token add NAME' on the hub)");
		/* The log is the organiser's: not told to ask themselves. */
		r->log_error = "unknown or revoked token: a door set up with another hub's "
		    "token, or one revoked here ('kiosk hub token list')";
		goto out;
	}
	int64_t waiting = -1;
	v = header(conn, "Kiosk-Waiting");
	if (v == NULL || !parse_count(v, INT64_MAX, &waiting))
		waiting = -1;
	r->waiting = waiting;
	live_seen(h->live, r->device, store_now(s), waiting);
	r->rows = accepts(header(conn, "Kiosk-Accept"), "checkin-rows");

	v = header(conn, "Kiosk-Protocol");
	if (v == NULL) {
		refuse(r, MHD_HTTP_BAD_REQUEST, "missing Kiosk-Protocol header (this hub speaks "
		    "protocol %d)", REPL_PROTOCOL);
		goto out;
	}
	if (!parse_count(v, INT64_MAX, &proto)) {
		/* All digits but too long is still a number, and a newer one. */
		if (v[0] != '\0' && strspn(v, "0123456789") == strlen(v) &&
		    strspn(v, "0") != strlen(v)) {
			proto = INT64_MAX;
		} else {
			refuse(r, MHD_HTTP_BAD_REQUEST, "Kiosk-Protocol: expected a positive "
			    "integer");
			goto out;
		}
	}
	if (proto < 1) {
		refuse(r, MHD_HTTP_BAD_REQUEST, "Kiosk-Protocol: expected a positive integer");
		goto out;
	}
	if (proto > REPL_PROTOCOL) {
		if (proto != INT64_MAX)
			snprintf(theirs, sizeof theirs, " (%lld)", (long long)proto);
		refuse(r, MHD_HTTP_UPGRADE_REQUIRED, "this hub speaks protocol %d, older than "
		    "this kiosk's%s: update kiosk on the hub, or use a kiosk of the hub's version",
		    REPL_PROTOCOL, theirs);
		goto out;
	}

	if (strcmp(url, "/v1/event") == 0)
		r->route = ROUTE_EVENT;
	else if (strcmp(url, "/v1/push") == 0)
		r->route = ROUTE_PUSH;
	else if (strcmp(url, "/v1/pull") == 0)
		r->route = ROUTE_PULL;

	/* GET /v1/event is how a kiosk learns the event: it may not know it. */
	v = header(conn, "Kiosk-Event");
	if (v == NULL && (r->route == ROUTE_PUSH || r->route == ROUTE_PULL)) {
		refuse(r, MHD_HTTP_BAD_REQUEST, "missing Kiosk-Event header (the event UUID of "
		    "the kiosk's database)");
		goto out;
	}
	if (v != NULL && strcmp(v, h->ev_uuid) != 0) {
		refuse(r, MHD_HTTP_CONFLICT, "this hub serves the event \"%s\", not the event of "
		    "this kiosk's database: join this hub's event first", h->ev_name);
		goto out;
	}

	if (r->route == ROUTE_NONE) {
		refuse(r, MHD_HTTP_NOT_FOUND, "no such path (this hub serves GET /v1/event, "
		    "POST /v1/push and GET /v1/pull)");
		goto out;
	}
	const char *want = r->route == ROUTE_PUSH ? MHD_HTTP_METHOD_POST : MHD_HTTP_METHOD_GET;
	if (strcmp(method, want) != 0) {
		refuse(r, MHD_HTTP_METHOD_NOT_ALLOWED, "%s takes %s only", url, want);
		goto out;
	}

	if (r->route == ROUTE_PULL) {
		struct query q = { .r = r };
		r->q_limit = HUB_PULL_LIMIT;
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, &q);
		if (r->status != 0)
			goto out;
	}
	if (r->route == ROUTE_PUSH) {
		v = header(conn, MHD_HTTP_HEADER_CONTENT_ENCODING);
		if (v != NULL && strcasecmp(v, "gzip") == 0) {
			r->gzip_in = true;
		} else if (v != NULL && strcasecmp(v, "identity") != 0) {
			char *e = clean(v, 40);
			refuse(r, MHD_HTTP_BAD_REQUEST, "Content-Encoding '%s': this hub takes gzip "
			    "or none", e);
			free(e);
			goto out;
		}
		buf_init(&r->body, HUB_BODY_MAX);
	}
out:
	free(cause);
}

/* --- serving -------------------------------------------------------------- */

static enum MHD_Result
serve_event(struct hub *h, struct MHD_Connection *conn, struct req *r)
{
	const struct store_event *ev = store_event(tl_conn->s);
	json_t *event = json_object();
	json_object_set_new(event, "uuid", jstring(ev->uuid));
	json_object_set_new(event, "name", jstring(ev->name));
	json_object_set_new(event, "tag", jstring(ev->tag));
	json_object_set_new(event, "tz", jstring(ev->tz));
	json_t *body = json_object();
	json_object_set_new(body, "protocol", json_integer(REPL_PROTOCOL));
	set_now(body);
	json_object_set_new(body, "device", jstring(r->device));
	json_object_set_new(body, "event", event);
	return send_json(h, conn, r, MHD_HTTP_OK, body, NULL, NULL);
}

static enum MHD_Result
serve_pull(struct hub *h, struct MHD_Connection *conn, const char *url, struct req *r)
{
	char *cause = NULL;
	struct store *s = tl_conn->s;
	size_t len;
	/* A door that pulls has pushed all it had. Other doors still pushing:
	 * this one may wait for their check-ins rather than end its round
	 * without them. */
	live_push_state(h->live, r->device, false, 0);
	int pushing = live_pushing(h->live, r->device);
	char *page = repl_read_pull_text(s, h->pulled, r->q_mine ? r->device : NULL, r->q_guests,
	    r->q_checkins, r->q_limit, r->rows, -1, pushing, &len, &cause);
	if (page == NULL) {
		enum MHD_Result ret = send_error(h, conn, r, "GET", url,
		    MHD_HTTP_INTERNAL_SERVER_ERROR, cause ? cause : "cannot read the changes",
		    NULL);
		free(cause);
		return ret;
	}
	return send_text(h, conn, r, MHD_HTTP_OK, page, NULL, NULL);
}

static json_t *
counts_json(const struct repl_counts *c)
{
	return json_pack("{s:i, s:i, s:i}", "guests", c->guests, "checkins", c->checkins,
	    "scans", c->scans);
}

/* A big body parsed and let go: its values (up to a few hundred MB at the
 * limits) are given back to the system before the next is parsed. Left in
 * the arena of the thread that parsed it, each of the hub's threads would
 * keep its own high-water mark. */
static void
big_body_done(struct hub *h)
{
	malloc_trim(0);
	pthread_mutex_unlock(&h->big_body);
}

static enum MHD_Result
serve_push(struct hub *h, struct MHD_Connection *conn, const char *url, struct req *r)
{
	struct repl_counts stored = { 0 }, known = { 0 };
	struct store *s = tl_conn->s;
	char *unzipped = NULL, *cause = NULL, *msg = NULL, *logmsg = NULL;
	const char *data = r->body.data ? r->body.data : "";
	size_t len = r->body.len;
	json_t *body = NULL;
	json_error_t jerr;
	bool too_big = false, big = false;
	unsigned int status = MHD_HTTP_BAD_REQUEST;
	enum MHD_Result ret;

	if (r->gzip_in) {
		int z = gz_inflate(data, len, HUB_UNZIPPED_MAX, &unzipped, &len);
		if (z == -2) {
			status = MHD_HTTP_CONTENT_TOO_LARGE;
			msg = xasprintf("the body unzips to more than %zu MiB", HUB_UNZIPPED_MAX >> 20);
			goto fail;
		}
		if (z != 0) {
			msg = xstrdup("the gzip body is damaged or cut short");
			goto fail;
		}
		data = unzipped;
	}
	if (!repl_json_within(data, len)) {
		status = MHD_HTTP_CONTENT_TOO_LARGE;
		msg = xasprintf("the body holds more values than a push can (%d objects and arrays, "
		    "%d values at most)", REPL_JSON_CONTAINERS, REPL_JSON_TOKENS);
		goto fail;
	}
	if (len > HUB_BIG_BODY) {
		pthread_mutex_lock(&h->big_body);
		big = true;
	}
	body = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL) {
		/* jansson's text may quote the body: the log gets the place only. */
		msg = xasprintf("malformed JSON at line %d, column %d: %s", jerr.line, jerr.column,
		    jerr.text);
		logmsg = xasprintf("malformed JSON at line %d, column %d", jerr.line, jerr.column);
		goto fail;
	}
	if (!json_is_object(body)) {
		msg = xstrdup("the body must be a JSON object");
		goto fail;
	}
	/* The raw body is not needed any more: free it before the work. */
	free(unzipped);
	unzipped = NULL;
	buf_free(&r->body);

	switch (repl_store_push(s, r->device, body, &stored, &known, &too_big, &cause)) {
	case REPL_OK:
		break;
	case REPL_BAD:
		status = too_big ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST;
		msg = cause ? cause : xstrdup("malformed push");
		cause = NULL;
		goto fail;
	default:
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		msg = cause ? cause : xstrdup("the hub's database failed");
		cause = NULL;
		goto fail;
	}
	json_decref(body);
	if (big)
		big_body_done(h);
	/* It said how much it had waiting before this push: more than this
	 * push held, and the other doors' pulls wait for the rest. */
	int64_t held = stored.guests + stored.checkins + stored.scans + stored.conflicts +
	    known.guests + known.checkins + known.scans;
	live_push_state(h->live, r->device, merge_more_to_push(r->waiting, held), HUB_PUSHING_MS);
	body = json_object();
	json_object_set_new(body, "protocol", json_integer(REPL_PROTOCOL));
	set_now(body);
	json_object_set_new(body, "stored", counts_json(&stored));
	json_object_set_new(body, "known", counts_json(&known));
	return send_json(h, conn, r, MHD_HTTP_OK, body, NULL, NULL);
fail:
	json_decref(body);
	body = NULL;
	if (big)
		big_body_done(h);
	ret = send_error(h, conn, r, "POST", url, status, msg, logmsg);
	free(unzipped);
	free(cause);
	free(msg);
	free(logmsg);
	return ret;
}

/* The client's address as text ("" when unknown), for the login throttle. */
static void
client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (ci == NULL || ci->client_addr == NULL)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		    (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
		    (socklen_t)size);
}

/* The organiser's page (live.c): HTML, redirects and downloads. */
static enum MHD_Result
serve_live(struct hub *h, struct MHD_Connection *conn, const char *method, const char *url,
    struct req *r)
{
	char client[INET6_ADDRSTRLEN];
	client_address(conn, client, sizeof client);
	struct live_request rq = {
		method, url, header(conn, "Cookie"),
		MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "part"),
		strcmp(method, MHD_HTTP_METHOD_POST) == 0 ? buf_cstr(&r->body) : NULL,
		client,
		live_cross_site(header(conn, "Sec-Fetch-Site"), header(conn, "Origin"),
		    header(conn, MHD_HTTP_HEADER_HOST)),
		MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "lang"),
		header(conn, MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
	};
	struct live_answer a;

	live_serve(h->live, tl_conn->s, &rq, &a);
	if (a.signed_in)
		peers_trust(h->peers, r->peer);
	struct MHD_Response *resp = MHD_create_response_from_buffer(a.len, a.body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		live_answer_clear(&a);
		return MHD_NO;
	}
	size_t len = a.len;
	a.body = NULL; /* the response owns it now */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a.type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	/* same-origin: nothing to other sites, and a real Origin on the
	 * page's own forms (no-referrer made it "null") */
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; "
	    "img-src 'self'; form-action 'self'; frame-ancestors 'none'");
	if (a.set_cookie != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, a.set_cookie);
	if (a.set_device != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, a.set_device);
	if (a.location != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, a.location);
	if (a.filename != NULL) {
		char *cd = xasprintf("attachment; filename=\"%s\"", a.filename);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
		free(cd);
	}
	unsigned int status = a.status;
	live_answer_clear(&a);
	return queue(h, conn, r, status, resp, len);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct hub *h = cls;
	struct req *r = *con_cls;

	(void)version;
	if (url == NULL)
		url = "";
	if (method == NULL)
		method = "";
	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		*con_cls = r;
		atomic_fetch_add(&h->requests, 1);
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		r->peer = ci != NULL ? ci->socket_context : NULL;
		/* Too big as declared: say so before the client sends it. */
		const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t declared = 0;
		if (cl != NULL && parse_count(cl, INT64_MAX, &declared) &&
		    (uint64_t)declared > HUB_BODY_MAX)
			return send_error(h, conn, r, method, url, MHD_HTTP_CONTENT_TOO_LARGE,
			    "the request body is over 8 MiB", NULL);
		judge(h, conn, url, method, r);
		/* A door's is never cut; a stranger's only once its body is in
		 * (below): one sending a byte of it every few seconds is no
		 * request being answered. */
		if (r->status == 0 && r->device != NULL) {
			peers_trust(h->peers, r->peer);
			peers_busy(h->peers, r->peer, true);
		}
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES; /* MHD drops what else the client sends */
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		atomic_fetch_add(&h->bytes_in, n);
		r->received += n;
		size_t cap = r->route == ROUTE_LIVE ? LIVE_FORM_MAX : HUB_BODY_MAX;
		if (r->status == 0 && (r->route == ROUTE_PUSH || r->route == ROUTE_LIVE) &&
		    r->received <= cap) {
			if (buf_add(&r->body, upload_data, n) != 0)
				buf_free(&r->body);
		} else {
			buf_free(&r->body);
		}
		/* Someone keeps sending what is refused: cut the connection. */
		if (r->received > HUB_BODY_MAX + HUB_DISCARD_MAX)
			return MHD_NO;
		return MHD_YES;
	}
	peers_busy(h->peers, r->peer, true); /* all in: being answered */
	if (r->received > HUB_BODY_MAX)
		return send_error(h, conn, r, method, url, MHD_HTTP_CONTENT_TOO_LARGE,
		    "the request body is over 8 MiB", NULL);
	if (r->route == ROUTE_LIVE && r->received > LIVE_FORM_MAX)
		return send_error(h, conn, r, method, url, MHD_HTTP_CONTENT_TOO_LARGE,
		    "a form of over 4 KiB", NULL);
	if (r->status != 0)
		return send_error(h, conn, r, method, url, r->status, r->error, r->log_error);
	switch (r->route) {
	case ROUTE_EVENT:
		return serve_event(h, conn, r);
	case ROUTE_PULL:
		return serve_pull(h, conn, url, r);
	case ROUTE_PUSH:
		return serve_push(h, conn, url, r);
	case ROUTE_LIVE:
		return serve_live(h, conn, method, url, r);
	default:
		return send_error(h, conn, r, method, url, MHD_HTTP_NOT_FOUND, "no such path", NULL);
	}
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct hub *h = cls;
	struct req *r = *con_cls;

	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	peers_busy(h->peers, r->peer, false);
	buf_free(&r->body);
	free(r->error);
	free(r->device);
	if (r->answered)
		atomic_fetch_sub(&h->sending, 1);
	free(r);
	*con_cls = NULL;
}

/* Each connection from its accept to its close (peers.h): what strangers
 * hold open is bounded, so the doors always find a place. */
static void
notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct hub *h = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		char addr[INET6_ADDRSTRLEN];
		client_address(conn, addr, sizeof addr);
		*socket_context = ci != NULL ? peers_add(h->peers, ci->connect_fd, addr,
		    util_mono_ms()) : NULL;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		peers_remove(h->peers, *socket_context);
		*socket_context = NULL;
	}
}

/* MHD's own messages: kept for hub_start's error until the daemon runs,
 * then printed. */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct hub *h = cls;
	char line[256];

	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\r\n")] = '\0';
	if (!atomic_load(&h->started)) {
		snprintf(h->start_error, sizeof h->start_error, "%s", line);
		return;
	}
	/* Mostly connections cut or broken (peers.c, a stranger's TLS): as
	 * strangers' refusals, a few a second, or a flood fills the disk. */
	unsigned long hidden = 0;
	if (log_stranger(h, &hidden))
		fprintf(stderr, "kiosk: hub: %s%s\n", line, hidden > 0 ? hidden_note(hidden) : "");
}

/* --- start and stop ------------------------------------------------------ */

const char *
hub_listen_text(const char *listen)
{
	return listen != NULL && listen[0] != '\0' ? listen : HUB_DEFAULT_LISTEN;
}

int
hub_listen_port(const char *listen)
{
	struct sockaddr_in sa;
	if (util_parse_listen(hub_listen_text(listen), &sa, NULL) != 0)
		return -1;
	return ntohs(sa.sin_port);
}

static bool
reachable(uint32_t a)
{
	return (a >> 24) != 127 && (a >> 16) != ((169u << 8) | 254u) && a != 0;
}

char *
hub_join_urls_from(const char *listen, int port, bool tls, const uint32_t *addrs, size_t n)
{
	struct sockaddr_in sa;
	struct buf b;
	char ip[INET_ADDRSTRLEN];
	if (util_parse_listen(hub_listen_text(listen), &sa, NULL) != 0)
		return NULL;
	buf_init(&b, 0);
	uint32_t bound = ntohl(sa.sin_addr.s_addr);
	for (size_t i = 0; i < (bound == INADDR_ANY ? n : 1); i++) {
		uint32_t a = bound == INADDR_ANY ? addrs[i] : bound;
		if (!reachable(a))
			continue;
		struct in_addr in = { htonl(a) };
		inet_ntop(AF_INET, &in, ip, sizeof ip);
		buf_addf(&b, "%s://%s:%d\n", tls ? "https" : "http", ip, port);
	}
	return buf_take(&b);
}

/* This computer's IPv4 addresses come from SIOCGIFCONF on an AF_INET
 * socket, not getifaddrs: that opens an AF_NETLINK socket, which the
 * systemd unit's RestrictAddressFamilies= (AF_UNIX AF_INET AF_INET6) does
 * not allow. */
char *
hub_join_urls(const char *listen, int port, bool tls)
{
	struct ifreq req[32];
	struct ifconf ifc = { .ifc_len = sizeof req, .ifc_req = req };
	uint32_t addrs[32];
	size_t n = 0;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && ioctl(fd, SIOCGIFCONF, &ifc) == 0) {
		size_t got = (size_t)ifc.ifc_len / sizeof req[0];
		for (size_t i = 0; i < got && n < 32; i++)
			if (req[i].ifr_addr.sa_family == AF_INET)
				addrs[n++] = ntohl(((struct sockaddr_in *)(void *)&req[i].ifr_addr)->
				    sin_addr.s_addr);
	}
	if (fd >= 0)
		close(fd);
	return hub_join_urls_from(listen, port, tls, addrs, n);
}

/* Why MHD could not listen: try the bind ourselves for errno's words. */
static const char *
bind_error(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1, err = 0;
	if (fd < 0)
		return strerror(errno);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)sa, sizeof *sa) != 0)
		err = errno;
	close(fd);
	return err ? strerror(err) : NULL;
}

static int
read_port(struct hub *h)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	if (info != NULL && info->port != 0)
		return info->port;
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_LISTEN_FD);
	if (info != NULL) {
		struct sockaddr_in sa;
		socklen_t len = sizeof sa;
		if (getsockname(info->listen_fd, (struct sockaddr *)&sa, &len) == 0)
			return ntohs(sa.sin_port);
	}
	return -1;
}

static void
hub_free(struct hub *h)
{
	struct hub_conn *c, *next;

	for (c = h->conns; c != NULL; c = next) {
		next = c->next;
		store_close(c->s);
		free(c);
	}
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->big_body);
	live_free(h->live);
	peers_free(h->peers);
	repl_cache_free(h->pulled);
	free(h->db_path);
	free(h->ev_uuid);
	free(h->ev_name);
	if (h->key_pem != NULL)
		explicit_bzero(h->key_pem, strlen(h->key_pem));
	free(h->cert_pem);
	free(h->key_pem);
	for (size_t i = 0; i < h->n_names; i++)
		free(h->names[i]);
	free(h->names);
	free(h);
}

/* The certificate or key at path (--tls-cert, --tls-key, [hub] tls_cert,
 * tls_key) into *out, refused with words that name which when it is not
 * there or not in PEM form (what kiosk's setup makes and docs/setup.md
 * shows); libmicrohttpd would only say it cannot start TLS. */
static int
read_pem(const char *what, const char *path, const char *marker, char **out, char **cause)
{
	char *why = NULL;
	size_t len;
	if (util_read_file(path, HUB_PEM_MAX, out, &len, &why) != 0) {
		util_fail(cause, "the %s for https: %s", what, why);
		free(why);
		return -1;
	}
	if (strstr(*out, marker) == NULL)
		return util_fail(cause, "the %s for https, %s, is not a %s in PEM form (a text "
		    "file with a '%s' line)", what, path, what, marker);
	return 0;
}

#define PEM_CERT_MARKER "-----BEGIN CERTIFICATE-----"
#define PEM_KEY_MARKER "PRIVATE KEY-----"

int
hub_tls_check(const char *cert_path, const char *key_path, char **cause)
{
	char *cert = NULL, *key = NULL;
	int rc = -1;
	if (read_pem("certificate", cert_path, PEM_CERT_MARKER, &cert, cause) == 0 &&
	    read_pem("key", key_path, PEM_KEY_MARKER, &key, cause) == 0)
		rc = 0;
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	free(cert);
	free(key);
	return rc;
}

int
hub_start(const struct hub_options *o, struct hub **out, char **cause)
{
	const char *listen_text = hub_listen_text(o->listen);
	bool tls_cert = o->tls_cert && o->tls_cert[0], tls_key = o->tls_key && o->tls_key[0];
	unsigned int threads = (unsigned int)(o->threads > 0 ? o->threads : HUB_THREADS);
	unsigned int conns = (unsigned int)(o->max_connections > 0 ? o->max_connections :
	    HUB_CONNECTIONS);
	struct sockaddr_in sa;
	struct store *s = NULL;
	struct hub *h = NULL;

	if (o->db_path == NULL || o->db_path[0] == '\0')
		return util_fail(cause, "no event database to serve");
	if (tls_cert != tls_key)
		return util_fail(cause, "TLS needs both a certificate and its key (%s missing)",
		    tls_cert ? "the key" : "the certificate");
	if (util_parse_listen(listen_text, &sa, cause) != 0)
		return -1;
	if (threads > HUB_THREADS_MAX)
		threads = HUB_THREADS_MAX;
	if (conns < threads)
		conns = threads;

	h = xcalloc(1, sizeof *h);
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->big_body, NULL);
	h->live = live_new(tls_cert, o->door, o->localedir, o->language);
	h->tls = tls_cert;
	if (gethostname(h->self, sizeof h->self) != 0)
		h->self[0] = '\0';
	h->self[sizeof h->self - 1] = '\0';
	h->names = xcalloc(o->n_names + 1, sizeof *h->names);
	for (size_t i = 0; i < o->n_names; i++)
		h->names[h->n_names++] = xstrdup(o->names[i]);
	/* A quarter of the connections for strangers kept past their first
	 * second: the rest stay for the doors and the organiser's browser,
	 * who show a token or a login, and for new connections, which are
	 * not cut in their first second (a TLS handshake). */
	h->peers = peers_new(conns / 4, conns, true);
	h->pulled = repl_cache_new();
	atomic_init(&h->started, false);
	atomic_init(&h->sending, 0);
	atomic_init(&h->requests, 0);
	atomic_init(&h->bytes_in, 0);
	atomic_init(&h->bytes_out, 0);
	h->db_path = xstrdup(o->db_path);
	atomic_init(&h->each_day, o->each_day);

	/* A missing or foreign file is reported here rather than per request. */
	if (store_open(h->db_path, 0, NULL, &s, cause) != 0)
		goto fail;
	struct stat dbst;
	if (stat(h->db_path, &dbst) != 0) {
		util_fail(cause, "%s: %s", h->db_path, strerror(errno));
		store_close(s);
		goto fail;
	}
	h->db_dev = dbst.st_dev;
	h->db_ino = dbst.st_ino;
	h->ev_uuid = xstrdup(store_event(s)->uuid);
	h->ev_name = xstrdup(store_event(s)->name);
	/* What doors push here is kept as sent: should this database sync with
	 * a hub again (a door that stood in as the hub), any hub is another
	 * and gets everything (repl_follow). */
	if (repl_hub_set(s, REPL_HUB_SERVED, cause) != 0) {
		store_close(s);
		goto fail;
	}
	store_close(s);

	if (tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			util_fail(cause, "this libmicrohttpd was built without TLS");
			goto fail;
		}
		if (read_pem("certificate", o->tls_cert, PEM_CERT_MARKER, &h->cert_pem, cause) != 0 ||
		    read_pem("key", o->tls_key, PEM_KEY_MARKER, &h->key_pem, cause) != 0)
			goto fail;
	}

	/* A client that hangs up must not kill the hub: MHD's threads already
	 * send with MSG_NOSIGNAL, TLS writes may not. */
	signal(SIGPIPE, SIG_IGN);

	struct MHD_OptionItem tls_opts[] = {
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, h->key_pem },
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert_pem },
		{ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)HUB_TLS_PRIORITIES },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct MHD_OptionItem no_opts[] = { { MHD_OPTION_END, 0, NULL } };
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG | (tls_cert ? MHD_USE_TLS : 0);

	h->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, h,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, h,
	    MHD_OPTION_NOTIFY_CONNECTION, notify_connection, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HUB_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_LIMIT, conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, conns < HUB_CONNECTIONS_PER_IP ? conns :
	    (unsigned int)HUB_CONNECTIONS_PER_IP,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HUB_CONN_MEMORY,
	    MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
	    MHD_OPTION_ARRAY, tls_cert ? tls_opts : no_opts,
	    MHD_OPTION_END);
	if (h->d == NULL) {
		const char *why = bind_error(&sa);
		if (why != NULL)
			util_fail(cause, "cannot listen on %s: %s", listen_text, why);
		else if (tls_cert)
			util_fail(cause, "cannot start the hub with the certificate %s and the key %s: "
			    "the key is not the certificate's, or one of them is damaged (%s)",
			    o->tls_cert, o->tls_key, h->start_error[0] ? h->start_error :
			    "libmicrohttpd's TLS refused them");
		else
			util_fail(cause, "cannot start the hub on %s: %s", listen_text,
			    h->start_error[0] ? h->start_error : "libmicrohttpd failed");
		goto fail;
	}
	atomic_store(&h->started, true);
	h->port = read_port(h);
	*out = h;
	return 0;
fail:
	hub_free(h);
	return -1;
}

void
hub_set_each_day(struct hub *h, bool each_day)
{
	if (h != NULL)
		atomic_store(&h->each_day, each_day);
}

int
hub_port(const struct hub *h)
{
	return h ? h->port : -1;
}

void
hub_stats(const struct hub *h, struct hub_stats *st)
{
	memset(st, 0, sizeof *st);
	if (h == NULL)
		return;
	st->requests = atomic_load(&h->requests);
	st->bytes_in = atomic_load(&h->bytes_in);
	st->bytes_out = atomic_load(&h->bytes_out);
}

int
hub_kiosks(struct hub *h, struct store *s, live_kiosk_fn fn, void *arg, char **cause)
{
	return live_kiosks(h->live, s, fn, arg, cause);
}

void
hub_stop(struct hub *h)
{
	if (h == NULL)
		return;
	/* Take no new connections and give the answers on their way a moment
	 * to reach their kiosks; then stop the threads, which lets a request
	 * being handled (a push in its transaction) finish. Uploads still
	 * coming and idle keep-alive connections are cut: nothing of theirs
	 * was stored, and a kiosk sends again. */
	MHD_socket lfd = MHD_quiesce_daemon(h->d);
	for (int waited = 0; atomic_load(&h->sending) > 0 && waited < HUB_DRAIN_MS;
	    waited += 10) {
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(h->d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	hub_free(h);
}
