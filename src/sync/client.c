/* client: a kiosk's side of the sync protocol (see client.h). */
#include "sync/client.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/merge.h"
#include "core/store.h"
#include "core/util.h"
#include "sync/client_private.h"
#include "sync/gz.h"

#define RESPONSE_MAX  (8u << 20)    /* bytes of a response as sent */
#define INFLATED_MAX  (16u << 20)   /* and unzipped (a full page is about 6) */
#define ROUND_BATCHES 10000         /* pushes or pages in a round: a safety stop */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

/* curl_global_init is not thread-safe: once, before any handle. */
static void
curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct conn {
	CURL *curl;
	const struct client_options *o;
	const char *event;           /* Kiosk-Event; NULL for /v1/event */
	int64_t waiting;             /* Kiosk-Waiting, for the hub's page; -1 unknown */
	struct client_report *r;
	struct merge_clock clock;
	int64_t starts;              /* the start-over count the round began with */
	struct buf body;             /* the response body being received */
	bool gzipped;                /* its Content-Encoding */
	bool overflow;
	bool no_mine;                /* the hub is older than mine= (see pull_all) */
	bool again;                  /* the hub lost records: push and pull anew */
	char error[CURL_ERROR_SIZE];
};

/* How a hub from before 26 November 2026, 02:46, refused a pull asking
 * mine=0: it knew no such parameter (and left a kiosk's own check-ins out
 * of its pulls, as mine=1 does). */
#define HUB_WITHOUT_MINE "unknown query parameter 'mine'"

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct conn *c = arg;
	if (c->body.len + n > RESPONSE_MAX) {
		c->overflow = true;
		return 0; /* aborts the transfer */
	}
	buf_add(&c->body, p, n);
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct conn *c = arg;
	static const char name[] = "content-encoding:";
	if (n > sizeof name && strncasecmp(p, name, sizeof name - 1) == 0) {
		const char *v = p + sizeof name - 1;
		size_t len = n - (sizeof name - 1);
		for (size_t i = 0; i + 4 <= len; i++)
			if (strncasecmp(v + i, "gzip", 4) == 0)
				c->gzipped = true;
	}
	return size * n;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct conn *c = arg;
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return c->o->abort(c->o->abort_arg) ? 1 : 0;
}

static int
conn_open(struct conn *c, const struct client_options *o, const char *event,
    struct client_report *r, char **cause)
{
	memset(c, 0, sizeof *c);
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return util_fail(cause, "cannot start libcurl: %s", curl_easy_strerror(curl_init_rc));
	c->o = o;
	c->event = event;
	c->waiting = -1;
	c->r = r;
	buf_init(&c->body, 0);
	c->curl = curl_easy_init();
	if (c->curl == NULL)
		return util_fail(cause, "cannot start libcurl");
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* we run on threads */
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_ms > 0 ? o->connect_ms : 3000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 60000L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->error);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	/* A hub on the venue's network is reached directly: libcurl would
	 * take the http_proxy or ALL_PROXY of a company laptop's environment,
	 * a proxy that cannot reach the venue and would read the token. */
	if (util_url_local(o->url))
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
#if LIBCURL_VERSION_NUM >= 0x075700 /* 7.87.0 */
	/* A hub's name the venue's DNS never answers: the request gives up
	 * at the connect timeout, but curl_easy_cleanup waited out the
	 * resolver's thread (5 to 30 s), and with it the door's Quit, kiosk
	 * doctor and kiosk sync. The thread ends by itself. */
	curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
#endif
	if (o->cafile != NULL && o->cafile[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, o->cafile);
	if (o->abort != NULL) {
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, c);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	buf_free(&c->body);
}

/* The hub's words for a refusal: its "error", else the status alone. A
 * 5xx is the hub's own failure (its disk, its database), not a no to
 * this door. */
static char *
refusal(long status, json_t *resp)
{
	const char *e = json_string_value(json_object_get(resp, "error"));
	if (e != NULL)
		return xasprintf("the hub %s (HTTP %ld): %s", status >= 500 ? "failed" : "refused",
		    status, e);
	return xasprintf("the hub answered HTTP %ld", status);
}

/* Whether libcurl may take url through a proxy the environment names, as
 * it reads them (http_proxy for http, https_proxy or HTTPS_PROXY for
 * https, else all_proxy or ALL_PROXY; no_proxy is not looked at): a hub
 * on the local network never is (conn_open). */
static bool
proxied(const char *url)
{
	static const char *const http[] = { "http_proxy", "all_proxy", "ALL_PROXY", NULL };
	static const char *const https[] = {
		"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", NULL,
	};
	if (util_url_local(url))
		return false;
	for (const char *const *v = strncasecmp(url, "https:", 6) == 0 ? https : http; *v; v++) {
		const char *set = getenv(*v);
		if (set != NULL && set[0] != '\0')
			return true;
	}
	return false;
}

/* Do curl's words of a failed TLS handshake say that what answered spoke
 * plain http (OpenSSL's, GnuTLS's)? */
static bool
plain_http(const char *error)
{
	static const char *const words[] = { "wrong version number", "packet length too long",
		"unknown protocol", "unexpected TLS packet", NULL };
	for (const char *const *w = words; error != NULL && *w; w++)
		if (strstr(error, *w) != NULL)
			return true;
	return false;
}

/* Why a request did not reach the hub (see client_private.h). */
enum merge_unreached
client_unreached(CURLcode cr, long os_errno, bool connected, const char *error, bool proxied,
    bool mdns, bool tls)
{
	if (proxied)
		return MERGE_UNREACHED_PROXY;
	if (cr == CURLE_COULDNT_RESOLVE_HOST && mdns)
		return MERGE_UNREACHED_MDNS;
	if (cr == CURLE_COULDNT_RESOLVE_HOST || (cr == CURLE_OPERATION_TIMEDOUT &&
	    strncmp(error, "Resolving timed out", 19) == 0))
		return MERGE_UNREACHED_DNS;
	if ((cr == CURLE_OPERATION_TIMEDOUT && !connected) || (cr == CURLE_COULDNT_CONNECT &&
	    (os_errno == EHOSTUNREACH || os_errno == ENETUNREACH || os_errno == ETIMEDOUT)))
		return MERGE_UNREACHED_SILENT;
	if (cr == CURLE_COULDNT_CONNECT && os_errno == ECONNREFUSED)
		return MERGE_UNREACHED_PORT;
	/* Connected, then nothing in time: the network carried the
	 * connection, what did not answer is the hub. */
	if (cr == CURLE_OPERATION_TIMEDOUT && connected)
		return MERGE_UNREACHED_HUNG;
	/* A reset or a short answer, for longer than a hub restarting (the
	 * next round would find its port closed): the way there drops. */
	if (cr == CURLE_RECV_ERROR || cr == CURLE_PARTIAL_FILE)
		return MERGE_UNREACHED_CUT;
	/* An empty reply to http:// is what a hub with a certificate gives a
	 * plain request; a hub stopping mid-answer gives one too, once, which
	 * the door does not say (merge_unreached_anew). To https:// it is
	 * only the latter. */
	if (cr == CURLE_GOT_NOTHING && !tls)
		return MERGE_UNREACHED_WANTS_HTTPS;
	/* The handshake fails because plain http came back: a hub without a
	 * certificate. Only curl's words tell it from a connection closed in
	 * the handshake (SSL_ERROR_SYSCALL, an unexpected eof: a hub
	 * stopping, one at its connection limit, a portal that takes port
	 * 443), which is no reason to join with http://. */
	if (cr == CURLE_SSL_CONNECT_ERROR && tls && os_errno != ECONNRESET && plain_http(error))
		return MERGE_UNREACHED_WANTS_HTTP;
	return MERGE_UNREACHED_NONE;
}

/* Why the hub's 5xx answer is no answer (see client_private.h). */
enum merge_unreached
client_hub_failed(long status, const char *error, bool proxied)
{
	if (status < 500 || status > 599)
		return MERGE_UNREACHED_NONE;
	/* A gateway's statuses without the hub's words: what answered stands
	 * in front of the hub and did not get an answer from it. A portal, or
	 * a web server that is not the hub's, answers otherwise (portal). */
	if (error == NULL && (status == 502 || status == 503 || status == 504))
		return proxied ? MERGE_UNREACHED_PROXY : MERGE_UNREACHED_BEHIND;
	if (error == NULL)
		return MERGE_UNREACHED_NONE;
	return store_trouble(error) == STORE_TROUBLE_FULL ? MERGE_UNREACHED_HUB_FULL :
	    MERGE_UNREACHED_HUB_FAILED;
}

/* What the organiser can do about a hub not reached, after curl's or the
 * hub's words (a parenthesis, or ""), for each reason (the door's admin
 * screen says it in its own words). A venue's network fails in its own
 * ways: a guest Wi-Fi keeps its devices apart (client isolation), so that
 * a door's packets to the hub go nowhere; its DNS knows no hub's name, or
 * does not answer; a hub stopped leaves its computer refusing the port; a
 * weak Wi-Fi cuts what it carries. And the hub's computer in its own: a
 * laptop asleep, a full disk. */
static const char *const advice[] = {
	[MERGE_UNREACHED_NONE] = "",
	/* What was not reached is the proxy then: curl's words name
	 * its address, and the venue's network is not the one to mend. */
	[MERGE_UNREACHED_PROXY] = " (through the web proxy this computer's environment "
	    "names, http_proxy, https_proxy or ALL_PROXY, unless no_proxy lets the hub by: "
	    "is that proxy on this network?)",
	[MERGE_UNREACHED_MDNS] = " (a name ending .local is found by mDNS, which this "
	    "computer lacks or the network does not pass: install avahi-daemon and "
	    "libnss-mdns, or give the hub's address as its admin menu or 'kiosk hub' shows "
	    "it, such as http://192.168.1.10:8080)",
	[MERGE_UNREACHED_DNS] = " (the network's DNS does not know the hub's name, or does "
	    "not answer: give the hub's address as its admin menu or 'kiosk hub' shows it, "
	    "such as http://192.168.1.10:8080)",
	[MERGE_UNREACHED_SILENT] = " (no answer at all: is this computer on the hub's "
	    "network? A Wi-Fi that keeps its devices apart, as guest Wi-Fi often does "
	    "(client isolation), lets no door reach the hub: give the doors a network of "
	    "their own, a small router or a phone's hotspot, or a cable)",
	[MERGE_UNREACHED_PORT] = " (its computer answers, but no hub on that port: is kiosk "
	    "hub, or the door serving as the hub, running there, and is the port right?)",
	[MERGE_UNREACHED_HUNG] = " (its computer took the connection, but the hub did not "
	    "answer in time: is that computer asleep or overloaded, or the hub stuck? Look at "
	    "it, and start the hub again if need be)",
	/* Said after one cut too (kiosk join, kiosk sync): it tells what a cut
	 * means when it keeps happening, not that it did. */
	[MERGE_UNREACHED_CUT] = " (the connection was cut before the answer was whole; when "
	    "that keeps happening, it is the network on the way that drops, a weak Wi-Fi most "
	    "often: bring the door nearer its router, or use a cable)",
	[MERGE_UNREACHED_HUB_FULL] = " (the hub's computer is out of disk space: free some "
	    "there, and the doors sync again)",
	[MERGE_UNREACHED_HUB_FAILED] = " (the hub's own trouble, not this door's: look at the "
	    "hub's computer, where 'kiosk doctor' says more)",
	/* One round cannot tell these from a hub that stopped: the door says
	 * them surer, after a while of nothing else. */
	[MERGE_UNREACHED_WANTS_HTTPS] = " (a hub with a certificate speaks only https, and "
	    "closes a plain http request so: then run 'kiosk join' again with its https:// "
	    "address)",
	[MERGE_UNREACHED_WANTS_HTTP] = " (a hub without a certificate speaks plain http, and "
	    "no https: then run 'kiosk join' again with its http:// address)",
	[MERGE_UNREACHED_BEHIND] = " (a web server in front of the hub answers for it, but the "
	    "hub behind it does not: start the hub, or look at where that web server sends the "
	    "doors)",
};

/* The probe's body, up to a hub's answer of a page (more is no hub). */
static size_t
on_probe(char *p, size_t size, size_t n, void *arg)
{
	return buf_add(arg, p, size * n) == 0 ? size * n : 0;
}

/* Whether the https:// address url, whose TLS handshake failed, is a
 * kiosk hub speaking plain http: asked at http:// for its event, with no
 * token (never sent in the clear), it answers as a hub does, with its
 * protocol. A hub without a certificate answers a TLS handshake with a
 * plain 400 and closes, but with the handshake unread the close is a
 * reset, and the 400 is then lost about one time in four: curl's words
 * alone (client_unreached) miss those. */
static bool
plain_hub(const char *url)
{
	CURL *h = curl_easy_init();
	if (h == NULL)
		return false;
	struct buf body;
	buf_init(&body, 4096);
	char *plain = xasprintf("http:%s/v1/event", url + 6);
	curl_easy_setopt(h, CURLOPT_URL, plain);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_probe);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	bool hub = false;
	if (curl_easy_perform(h) == CURLE_OK && body.len > 0) {
		json_t *j = json_loadb(body.data, body.len, 0, NULL);
		hub = json_is_object(j) && json_is_integer(json_object_get(j, "protocol"));
		json_decref(j);
	}
	buf_free(&body);
	free(plain);
	curl_easy_cleanup(h);
	return hub;
}

/* Why c's request that failed with cr did not reach the hub, kept in c's
 * report, and what to do about it (advice). */
static const char *
unreached(const struct conn *c, CURLcode cr)
{
	long os = 0;
	curl_off_t connected = 0;
	curl_easy_getinfo(c->curl, CURLINFO_OS_ERRNO, &os);
	curl_easy_getinfo(c->curl, CURLINFO_CONNECT_TIME_T, &connected);
	bool tls = strncasecmp(c->o->url, "https:", 6) == 0;
	bool via_proxy = proxied(c->o->url);
	enum merge_unreached why = client_unreached(cr, os, connected != 0, c->error,
	    via_proxy, util_url_mdns(c->o->url), tls);
	if (why == MERGE_UNREACHED_NONE && cr == CURLE_SSL_CONNECT_ERROR && tls && !via_proxy &&
	    plain_hub(c->o->url))
		why = MERGE_UNREACHED_WANTS_HTTP;
	c->r->unreached = why;
	return advice[why];
}

/* A redirect's address, as the network's words: printable, and short. */
static void
redirect_shown(const char *to, char where[120])
{
	size_t n = 0;
	for (; to[n] != '\0' && n + 4 < 120; n++)
		where[n] = (unsigned char)to[n] > ' ' && (unsigned char)to[n] < 0x7f ? to[n] : '?';
	snprintf(where + n, 120 - n, "%s", to[n] != '\0' ? "..." : "");
}

/* A redirect to another address on the hub's own host is no Wi-Fi's login
 * page (a portal sends every address to its own): a web server in front of
 * the hub sending http:// on to https://, or the hub's computer naming
 * another port. *cause says to give the address it names, and true. It is
 * not followed: the organiser chooses where the token goes. */
static bool
moved(struct conn *c, long status, char **cause)
{
	char *to = NULL, where[120];
	curl_easy_getinfo(c->curl, CURLINFO_REDIRECT_URL, &to);
	if (status < 300 || status >= 400 || to == NULL || !util_url_same_host(c->o->url, to))
		return false;
	/* the hub's address is SCHEME://HOST[:PORT]: the request's path is
	 * not part of it */
	char *origin = xstrdup(to), *host = strstr(origin, "://");
	host[3 + strcspn(host + 3, "/?#")] = '\0';
	redirect_shown(origin, where);
	free(origin);
	util_fail(cause, "%s answered with a redirect to %s, not as the kiosk hub does: the hub's "
	    "computer sends the doors to another address of its own (a web server in front of "
	    "the hub that wants https://?); run 'kiosk join' with that address", c->o->url, where);
	c->r->moved = true;
	return true;
}

/* A Wi-Fi that wants a login first (a captive portal) answers every
 * address in its own way: a redirect to its login page, HTTP 511, or that
 * page itself. None is the hub's answer (the hub answers JSON only): when
 * the one that came is such, *cause says so, with the organiser's way
 * out, and true. The token went to it as to anyone on a plain http
 * network; no redirect is followed, so it goes nowhere else. */
static bool
portal(struct conn *c, long status, char **cause)
{
	char *to = NULL, *type = NULL;
	curl_easy_getinfo(c->curl, CURLINFO_REDIRECT_URL, &to);
	curl_easy_getinfo(c->curl, CURLINFO_CONTENT_TYPE, &type);
	bool page = status == 200 && type != NULL && strncasecmp(type, "text/html", 9) == 0;
	if (status != 511 && !page && !(status >= 300 && status < 400 && to != NULL))
		return false;
	char where[120] = "";
	if (status != 511 && !page)
		redirect_shown(to, where);
	util_fail(cause, "%s answered %s%s, not as the kiosk hub does: the network wants a "
	    "login first (a Wi-Fi's captive portal)%s; log in on a web page in a browser on this "
	    "computer, or give the doors a network of their own (a small router, a phone's "
	    "hotspot)", c->o->url, status == 511 ? "HTTP 511, network login required" :
	    page ? "with a web page" : "with a redirect to ", where, page ? ", or it is not the "
	    "hub's address" : "");
	c->r->portal = true;
	return true;
}

/* One request: a POST of body (JSON text, body_len bytes), gzipped, or a GET
 * when body is NULL. Returns CLIENT_OK with *resp (a JSON object, new
 * reference) for a 200. */
static enum client_status
request(struct conn *c, const char *path, const char *body, size_t body_len, json_t **resp,
    char **cause)
{
	struct curl_slist *hdr = NULL;
	unsigned char *zbody = NULL;
	size_t zlen = 0;
	char *url = NULL, *line = NULL, *plain = NULL;
	json_t *j = NULL;
	enum client_status rc = CLIENT_UNREACHABLE;
	CURL *h = c->curl;

	*resp = NULL;
	/* The hub would answer 401, "unknown or revoked token": this one was
	 * never set. */
	if (c->o->token == NULL || c->o->token[0] == '\0')
		return util_fail(cause, "no token: [sync] token is empty, and the hub refuses a "
		    "kiosk without one; " CLIENT_SET_UP), CLIENT_REFUSED;
	buf_reset(&c->body);
	c->gzipped = c->overflow = false;
	c->error[0] = '\0';
	size_t n = strlen(c->o->url);
	url = xasprintf("%.*s%s", (int)(n > 0 && c->o->url[n - 1] == '/' ? n - 1 : n),
	    c->o->url, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	line = xasprintf("Authorization: Bearer %s", c->o->token);
	hdr = curl_slist_append(hdr, line);
	hdr = curl_slist_append(hdr, "Kiosk-Protocol: 1");
	hdr = curl_slist_append(hdr, "Accept-Encoding: gzip");
	hdr = curl_slist_append(hdr, "Kiosk-Accept: checkin-rows");
	if (c->event != NULL) {
		free(line);
		line = xasprintf("Kiosk-Event: %s", c->event);
		hdr = curl_slist_append(hdr, line);
	}
	if (c->waiting >= 0) {
		free(line);
		line = xasprintf("Kiosk-Waiting: %lld", (long long)c->waiting);
		hdr = curl_slist_append(hdr, line);
	}
	if (body != NULL) {
		if (gz_deflate(body, body_len, &zbody, &zlen) != 0) {
			util_fail(cause, "cannot encode the request");
			rc = CLIENT_LOCAL;
			goto out;
		}
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		hdr = curl_slist_append(hdr, "Content-Encoding: gzip");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, (char *)zbody);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)zlen);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);

	int64_t t0 = util_now_ms();
	CURLcode cr = curl_easy_perform(h);
	int64_t t1 = util_now_ms();
	c->r->requests++;
	long req_size = 0, hdr_size = 0, status = 0;
	curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &req_size);
	curl_easy_getinfo(h, CURLINFO_HEADER_SIZE, &hdr_size);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	c->r->bytes_sent += (uint64_t)req_size + (cr == CURLE_OK ? zlen : 0);
	c->r->bytes_received += (uint64_t)hdr_size + c->body.len;
	if (cr != CURLE_OK) {
		if (c->overflow)
			util_fail(cause, "the hub's answer is over %u bytes", RESPONSE_MAX);
		else if (cr == CURLE_PEER_FAILED_VERIFICATION)
			util_fail(cause, "cannot trust the hub at %s: %s (a certificate of your "
			    "own making: give its PEM with 'kiosk join --cafile FILE', or [sync] "
			    "cafile in kiosk.conf)", c->o->url, c->error[0] ? c->error :
			    curl_easy_strerror(cr));
		else if (cr == CURLE_SSL_CACERT_BADFILE)
			util_fail(cause, "cannot use the hub's certificate %s ([sync] cafile): %s",
			    c->o->cafile && c->o->cafile[0] ? c->o->cafile : "(the system's)",
			    c->error[0] ? c->error : curl_easy_strerror(cr));
		else if (cr == CURLE_GOT_NOTHING || cr == CURLE_RECV_ERROR ||
		    cr == CURLE_PARTIAL_FILE) {
			/* It was reached: the hub (or something on the way) went
			 * mid-answer, most likely a hub stopped or restarted. A hub
			 * with a certificate closes a plain request so too: the
			 * advice says so, else (through a proxy) these words. */
			const char *more = unreached(c, cr);
			util_fail(cause, "the hub at %s closed the connection before it answered "
			    "(stopped or restarted?%s): %s%s", c->o->url, cr == CURLE_GOT_NOTHING &&
			    c->r->unreached != MERGE_UNREACHED_WANTS_HTTPS &&
			    strncasecmp(c->o->url, "http:", 5) == 0 ? " or a hub with a certificate, "
			    "which speaks only https: then its address starts with https://" : "",
			    c->error[0] ? c->error : curl_easy_strerror(cr), more);
		} else if (cr == CURLE_SSL_CONNECT_ERROR) {
			const char *more = unreached(c, cr);
			util_fail(cause, "cannot talk https with the hub at %s%s: %s%s", c->o->url,
			    c->r->unreached == MERGE_UNREACHED_WANTS_HTTP ? "" : " (a hub without a "
			    "certificate speaks plain http: then its address starts with http://)",
			    c->error[0] ? c->error : curl_easy_strerror(cr), more);
		} else
			util_fail(cause, "cannot reach the hub at %s: %s%s", c->o->url,
			    c->error[0] ? c->error : curl_easy_strerror(cr), unreached(c, cr));
		/* Kept apart from a network that is down: it needs the
		 * organiser (doctor FAIL, the door's admin screen says why). */
		c->r->untrusted = cr == CURLE_PEER_FAILED_VERIFICATION ||
		    cr == CURLE_SSL_CACERT_BADFILE;
		goto out;
	}
	const char *data = buf_cstr(&c->body);
	size_t len = c->body.len;
	if (c->gzipped) {
		size_t plen;
		int z = gz_inflate(data, len, INFLATED_MAX, &plain, &plen);
		if (z == -2) {
			util_fail(cause, "%s answered with more than %u MiB unzipped, more than a page "
			    "of the kiosk hub holds: is it the hub's address?", c->o->url,
			    INFLATED_MAX >> 20);
			goto out;
		}
		if (z != 0) {
			util_fail(cause, "the hub's answer is damaged (bad gzip)");
			goto out;
		}
		data = plain;
		len = plen;
	}
	json_error_t je;
	if (!repl_json_within(data, len)) {
		util_fail(cause, "%s answered with more values than a page of the kiosk hub holds: "
		    "is it the hub's address?", c->o->url);
		goto out;
	}
	j = json_loadb(data, len, 0, &je);
	if (!json_is_object(j) && (moved(c, status, cause) || portal(c, status, cause)))
		goto out;
	if (!json_is_object(j)) {
		/* A proxy's error page, or an answer cut short. A web server
		 * in front of the hub with no hub behind it: its 502 to 504. */
		if (status == 200) {
			util_fail(cause, "%s answered, but not as the kiosk hub does (not JSON: %s): "
			    "is it the hub's address?", c->o->url, je.text);
		} else {
			c->r->unreached = client_hub_failed(status, NULL, proxied(c->o->url));
			util_fail(cause, "%s answered HTTP %ld, not the kiosk hub%s", c->o->url, status,
			    advice[c->r->unreached]);
		}
		goto out;
	}
	json_t *proto = json_object_get(j, "protocol");
	if (json_is_integer(proto) && json_integer_value(proto) > REPL_PROTOCOL) {
		util_fail(cause, "the hub speaks sync protocol %" JSON_INTEGER_FORMAT "; this kiosk "
		    "knows only %d: install the same kiosk version on the hub and the kiosks",
		    json_integer_value(proto), REPL_PROTOCOL);
		rc = CLIENT_REFUSED;
		goto out;
	}
	if (status != 200) {
		char *why = refusal(status, j);
		/* A hub that failed says why: what to do is at its computer. */
		c->r->unreached = client_hub_failed(status,
		    json_string_value(json_object_get(j, "error")), proxied(c->o->url));
		util_fail(cause, "%s%s", why, advice[c->r->unreached]);
		free(why);
		rc = status >= 500 ? CLIENT_UNREACHABLE : CLIENT_REFUSED;
		goto out;
	}
	/* Told only now, of the hub's own answer: a 5xx, a web server's page
	 * in front of it, a portal's, are answers of a kind too, but the hub
	 * is not reached, and told of them the door began its 20 s anew at
	 * each round, saying why only once its back-off put rounds 20 s
	 * apart (a minute in), and unsaying it at the next. */
	if (c->o->answered != NULL)
		c->o->answered(c->o->abort_arg);
	/* A hub whose clock is not set gives no time (a hub of an earlier
	 * version gave one before 2026): any answer of the round says so. */
	json_t *now = json_object_get(j, "now");
	if (json_is_integer(now))
		merge_clock_sample(&c->clock, t0, t1, (int64_t)json_integer_value(now));
	if (!json_is_integer(now) || json_integer_value(now) < MERGE_CLOCK_MIN)
		c->r->hub_clock_lost = true;
	*resp = j;
	j = NULL;
	rc = CLIENT_OK;
out:
	json_decref(j);
	curl_slist_free_all(hdr);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	free(plain);
	free(zbody);
	free(line);
	free(url);
	return rc;
}

static void
add_counts(struct repl_counts *to, json_t *from)
{
	to->guests += (int)json_integer_value(json_object_get(from, "guests"));
	to->checkins += (int)json_integer_value(json_object_get(from, "checkins"));
	to->scans += (int)json_integer_value(json_object_get(from, "scans"));
}

static enum client_status
push_all(struct conn *c, struct store *s, char **cause)
{
	bool rows;
	if (repl_push_rows(s, &rows, cause) != 0)
		return CLIENT_LOCAL;
	for (int i = 0; i < ROUND_BATCHES; i++) {
		struct repl_batch *b = NULL;
		json_t *resp = NULL;
		if (repl_collect(s, CLIENT_BATCH, rows, &b, cause) != 0)
			return CLIENT_LOCAL;
		if (b == NULL)
			return CLIENT_OK;
		if (repl_batch_starts(b) != c->starts) { /* started over meanwhile */
			repl_batch_free(b);
			return CLIENT_OK;
		}
		size_t len;
		char *body = repl_batch_text(b, &len);
		if (body == NULL) {
			repl_batch_free(b);
			return util_fail(cause, "cannot encode the request"), CLIENT_LOCAL;
		}
		enum client_status rc = request(c, "/v1/push", body, len, &resp, cause);
		free(body);
		/* Nothing is marked sent unless the hub took every check-in; an
		 * older hub ignores rows, and they go again at once as objects. */
		struct repl_counts sent = repl_batch_counts(b);
		enum repl_verdict v = rc == CLIENT_OK ? repl_push_verdict(b, resp) : REPL_TAKEN;
		if (rc == CLIENT_OK) /* what it stored, taken or not (known when sent again) */
			add_counts(&c->r->pushed, json_object_get(resp, "stored"));
		if (v != REPL_TAKEN) {
			json_decref(resp);
			repl_batch_free(b);
			if (v == REPL_NOT_TAKEN)
				return util_fail(cause, "the hub did not take all %d check-ins sent "
				    "(a hub of another version?)", sent.checkins), CLIENT_REFUSED;
			if (repl_forget_rows(s, cause) != 0)
				return CLIENT_LOCAL;
			rows = false;
			continue;
		}
		if (rc == CLIENT_OK) {
			if (repl_batch_done(s, b, cause) != 0)
				rc = CLIENT_LOCAL;
			/* What the next request tells the hub is still waiting:
			 * the other doors' pulls wait for it (see pull_all). */
			if (c->waiting > 0) {
				c->waiting -= sent.guests + sent.checkins + sent.scans;
				if (c->waiting < 0)
					c->waiting = 0;
			}
		}
		json_decref(resp);
		repl_batch_free(b);
		if (rc != CLIENT_OK)
			return rc;
	}
	return util_fail(cause, "records keep waiting after %d pushes", ROUND_BATCHES),
	    CLIENT_LOCAL;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static enum client_status
pull_all(struct conn *c, struct store *s, char **cause)
{
	int64_t wait_from = -1; /* mono ns when the waiting for other doors began */
	int polls = 0;
	for (int i = 0; i < ROUND_BATCHES; i++) {
		struct repl_pos pos;
		json_t *page = NULL;
		bool more = false;
		if (repl_cursors(s, &pos, cause) != 0)
			return CLIENT_LOCAL;
		if (pos.starts != c->starts) /* started over meanwhile: the next round */
			return CLIENT_OK;
		/* Check-ins pushed under this token's name come back too (mine=0):
		 * this database may lack some of them whatever it pulled before.
		 * A copy from the morning put back, a laptop replaced while the
		 * old one's disk still pushed later, two doors given one token:
		 * asking only for the others' (mine=1, once a pull had gone to the
		 * end) let each of them admit those guests again. What it has
		 * already costs a row each on the wire and is known here. */
		char path[160];
		snprintf(path, sizeof path, "/v1/pull?guests=%lld&checkins=%lld&limit=%d%s",
		    (long long)pos.guests, (long long)pos.checkins, CLIENT_BATCH,
		    c->no_mine ? "" : "&mine=0");
		enum client_status rc = request(c, path, NULL, 0, &page, cause);
		/* A hub older than mine= takes the pull without it: this kiosk
		 * gets what such a hub gives, rather than nothing at all. */
		if (rc == CLIENT_REFUSED && !c->no_mine && *cause != NULL &&
		    strstr(*cause, HUB_WITHOUT_MINE) != NULL) {
			free(*cause);
			*cause = NULL;
			c->no_mine = true;
			i--;
			continue;
		}
		if (rc != CLIENT_OK)
			return rc;
		struct repl_counts got;
		if (repl_apply_pull(s, page, &pos, &got, &more, cause) != 0)
			rc = CLIENT_LOCAL;
		json_int_t pushing = json_integer_value(json_object_get(page, "pushing"));
		json_decref(page);
		if (rc != CLIENT_OK)
			return rc;
		c->r->pulled.guests += got.guests;
		c->r->pulled.checkins += got.checkins;
		c->r->pulled.conflicts += got.conflicts;
		/* A hub restored from an older copy: this kiosk started over,
		 * and the round sends it everything and fetches all of it. */
		if (got.lost) {
			struct repl_pos now;
			if (repl_cursors(s, &now, cause) != 0)
				return CLIENT_LOCAL;
			c->r->started_over = c->r->hub_lost = true;
			c->again = now.starts == c->starts + 1; /* else another program's */
			c->starts = now.starts;
			return CLIENT_OK;
		}
		/* At the end, other doors may still be pushing what this one
		 * should have too: wait a little for it, a bounded while. */
		if (!more) {
			if (wait_from < 0)
				wait_from = util_mono_ns();
			if (merge_pull_again(more, pushing, (util_mono_ns() - wait_from) / 1000000)) {
				sleep_ms(merge_pull_pause_ms(polls++));
				continue;
			}
		}
		if (!more)
			return CLIENT_OK;
	}
	return util_fail(cause, "the hub keeps sending pages after %d", ROUND_BATCHES),
	    CLIENT_LOCAL;
}

enum client_status
client_round(struct store *s, const struct client_options *o, struct client_report *r,
    char **cause)
{
	struct conn c;
	enum client_status rc;

	memset(r, 0, sizeof *r);
	/* A door app's old agent, told to stop, starts no round (and so no
	 * start-over back to the hub it had). */
	if (o->abort != NULL && o->abort(o->abort_arg))
		return util_fail(cause, "stopped"), CLIENT_UNREACHABLE;
	/* With another hub than the last one, everything is sent again and
	 * pulled again first: nothing the old hub had and this one lacks is
	 * left out (a door made the hub, an address edited, even while the
	 * door was off). The round keeps to the start-over count it began
	 * with, and ends where another program starts over meanwhile. */
	int64_t starts;
	enum repl_over over;
	if (repl_follow(s, o->url, &over, &starts, cause) != 0)
		return CLIENT_LOCAL;
	r->started_over = over != REPL_OVER_NONE;
	r->hub_unrecorded = over == REPL_OVER_UNRECORDED;
	if (conn_open(&c, o, store_event(s)->uuid, r, cause) != 0) {
		conn_close(&c);
		return CLIENT_LOCAL;
	}
	c.starts = starts;
	/* What waits here, for the organiser's page on the hub. */
	if (repl_waiting(s, &c.waiting, NULL) != 0)
		c.waiting = -1;
	/* Twice at most: again once the hub turns out to have lost records. */
	for (int pass = 0; pass < 2; pass++) {
		c.again = false;
		if (pass > 0 && repl_waiting(s, &c.waiting, NULL) != 0)
			c.waiting = -1;
		rc = push_all(&c, s, cause);
		if (rc == CLIENT_OK) {
			if (repl_waiting(s, &c.waiting, NULL) != 0)
				c.waiting = -1;
			rc = pull_all(&c, s, cause);
		}
		if (rc != CLIENT_OK || !c.again)
			break;
	}
	/* Even a round that failed half-way measured the clock. */
	if (c.clock.valid) {
		r->clock_valid = true;
		r->clock_offset = c.clock.offset;
		int64_t stored = 0, seen = 0;
		int have = store_state_get(s, STORE_STATE_CLOCK_OFFSET, &stored, NULL);
		/* a database of a kiosk that kept no floor yet gets one too */
		int have_seen = store_state_get(s, STORE_STATE_CLOCK_SEEN, &seen, NULL);
		/* and one learnt before this computer restarted is learnt again,
		 * for the boot clock (store_clock_anchored; none without a boot
		 * id, or every round would write) */
		if (have >= 0 && have_seen >= 0 && (merge_clock_news(&c.clock, have == 1, stored) ||
		    have_seen == 0 || (util_boot_id() != 0 && !store_clock_anchored(s))) &&
		    store_begin(s, NULL) == 0) {
			if (store_clock_set(s, c.clock.offset, NULL) != 0 ||
			    store_commit(s, NULL) != 0)
				store_rollback(s);
		}
	}
	conn_close(&c);
	return rc;
}

enum client_status
client_hello(const struct client_options *o, json_t **event, char **device,
    struct client_report *r, char **cause)
{
	struct conn c;
	json_t *resp = NULL;
	enum client_status rc = CLIENT_LOCAL;

	memset(r, 0, sizeof *r);
	*event = NULL;
	*device = NULL;
	if (conn_open(&c, o, NULL, r, cause) != 0)
		goto out;
	rc = request(&c, "/v1/event", NULL, 0, &resp, cause);
	if (rc != CLIENT_OK)
		goto out;
	json_t *ev = json_object_get(resp, "event");
	const char *dev = json_string_value(json_object_get(resp, "device"));
	if (!json_is_object(ev) || dev == NULL ||
	    !json_is_string(json_object_get(ev, "uuid")) ||
	    !json_is_string(json_object_get(ev, "name")) ||
	    !json_is_string(json_object_get(ev, "tag")) ||
	    !json_is_string(json_object_get(ev, "tz"))) {
		util_fail(cause, "%s did not answer like a kiosk hub", o->url);
		rc = CLIENT_REFUSED;
		goto out;
	}
	*event = json_incref(ev);
	*device = xstrdup(dev);
	r->clock_valid = c.clock.valid;
	r->clock_offset = c.clock.offset;
out:
	json_decref(resp);
	conn_close(&c);
	return rc;
}
