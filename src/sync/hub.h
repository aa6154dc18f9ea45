/* hub: the central list, served over HTTP(S) with libmicrohttpd
 * (docs/sync-protocol.md). `kiosk hub` runs one; a kiosk with [hub]
 * serve = yes runs one beside its door.
 *
 * Rules: every request is authenticated (device.h) before anything else;
 * bodies are bounded (8 MiB sent, 16 MiB unzipped); any malformed input is
 * a 4xx that changes nothing; the hub never crashes or blocks on a client:
 * connections time out after 30 s and their number is capped. Requests are
 * served by a small thread pool, each thread with its own store connection. */
#ifndef KIOSK_HUB_H
#define KIOSK_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sync/live.h"

struct hub_options {
	const char *db_path;     /* the event database it serves */
	const char *listen;      /* "ADDR:PORT", "PORT" or ":PORT"; port 0: any free port */
	const char *tls_cert;    /* PEM files; both NULL or "": plain HTTP */
	const char *tls_key;
	int threads;             /* 0: 4 */
	int max_connections;     /* 0: 256 */
	bool each_day;           /* an event of days ([checkin] each_day): figures,
	                          * and the doors told (store_set_each_day) */
	const char *door;        /* a door app serving as the hub: its [kiosk] name,
	                          * which the live page lists among the kiosks (it
	                          * has no token); NULL: a hub alone */
	const char *localedir;   /* the translations, for the live page (live_new);
	                          * NULL: English only */
	const char *language;    /* kiosk.conf's [kiosk] language: the live page's
	                          * when the browser asks for none of kiosk's */
	const char *const *names; /* kiosk.conf's [hub] names: more names than its
	                          * address, localhost and this computer's that
	                          * the live page answers to (hostname.h) */
	size_t n_names;
};

struct hub_stats {
	uint64_t requests;
	uint64_t bytes_in;       /* request bodies as received */
	uint64_t bytes_out;      /* response bodies as sent */
};

struct hub;

/* Open the database and start serving. Returns 0 with *out, -1 with *cause
 * ("cannot listen on 0.0.0.0:8080: Address already in use"). */
int hub_start(const struct hub_options *o, struct hub **out, char **cause);

/* The event became one of days, or no longer (a door serving as the hub
 * follows its database's word, repl_each_day): the pages and figures say
 * so from the next request. NULL is fine. */
void hub_set_each_day(struct hub *h, bool each_day);

/* The port it listens on (the real one when 0 was asked). */
int hub_port(const struct hub *h);

/* A listen address as it is meant: "" (kiosk.conf's [hub] listen left
 * empty) is HUB_DEFAULT_LISTEN, every interface on port 8080. */
#define HUB_DEFAULT_LISTEN "0.0.0.0:8080"
const char *hub_listen_text(const char *listen);

/* The port of a listen address (as in hub_options; "" is 0.0.0.0:8080),
 * 0 for "any free one", or -1 when it does not parse. */
int hub_listen_port(const char *listen);

/* The addresses other computers join a hub listening on listen (as in
 * hub_options; "" is 0.0.0.0:8080) by, when it took port: its own address,
 * or for a hub on every interface (0.0.0.0), http(s)://A:port for each of
 * this computer's IPv4 addresses A another computer can reach (not
 * loopback, not link-local). One a line, each ending in '\n', in a new
 * string; "" when there is none (a hub on 127.0.0.1, or no network). NULL
 * when listen does not parse. */
char *hub_join_urls(const char *listen, int port, bool tls);

/* Are the certificate and key files for https there, readable and in PEM
 * form, as hub_start reads them? 0, or -1 with *cause naming which file
 * and what it should be (caller frees). Whether the key is the
 * certificate's is known only when the hub starts. */
int hub_tls_check(const char *cert_path, const char *key_path, char **cause);
/* The same, with this computer's IPv4 addresses given (host byte order). */
char *hub_join_urls_from(const char *listen, int port, bool tls, const uint32_t *addrs,
    size_t n);

/* Counters since the start (for the bench and the log). */
void hub_stats(const struct hub *h, struct hub_stats *st);

/* The kiosks syncing with this hub, and when it last heard from each
 * (live_kiosks), read from s (any connection to the hub's event). */
int hub_kiosks(struct hub *h, struct store *s, live_kiosk_fn fn, void *arg, char **cause);

/* Stop: finishes the requests in flight, closes the database. NULL is fine. */
void hub_stop(struct hub *h);

#endif
