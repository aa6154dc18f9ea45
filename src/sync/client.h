/* client: a kiosk's side of the sync protocol (docs/sync-protocol.md), over
 * libcurl.
 *
 * A round pushes everything that waits, then pulls pages until the hub has
 * nothing more, then keeps the clock offset of the fastest round trip. Each
 * batch and page is its own transaction on both ends, so a round cut at any
 * byte resumes where it stopped and stores nothing twice. A round never
 * holds the database between requests: the door's check-ins go on. */
#ifndef KIOSK_CLIENT_H
#define KIOSK_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/merge.h"
#include "core/store.h"
#include "sync/repl.h"

/* What a door without a hub or token is told to run: the token is asked
 * for, never put on the command line (ps, the shell's history). */
#define CLIENT_SET_UP "set up this kiosk with 'kiosk join URL' (it asks for the token)"
#define CLIENT_BATCH 2000        /* check-ins per push, records per pull page */

struct client_options {
	const char *url;             /* http(s)://host:port, without /v1 */
	const char *token;
	const char *cafile;          /* NULL or "": the system's authorities */
	long connect_ms;             /* 0: 3000 */
	long timeout_ms;             /* a whole request; 0: 60000 */
	bool (*abort)(void *arg);    /* NULL, or true to give up the request now */
	void (*answered)(void *arg); /* NULL, or told of each answer the hub gave
	                              * (200, its JSON; not a 5xx or a page) */
	void *abort_arg;             /* the argument of both */
};

struct client_report {
	struct repl_counts pushed;   /* records the hub had not seen */
	struct repl_counts pulled;   /* records that changed something here */
	int requests;
	uint64_t bytes_sent;         /* on the wire: request headers and bodies */
	uint64_t bytes_received;     /* response headers and bodies, as sent */
	bool clock_valid;
	int64_t clock_offset;        /* ms added to this computer's clock */
	bool hub_clock_lost;         /* the hub's clock is not set (it gave no time,
	                              * or one before MERGE_CLOCK_MIN) */
	bool started_over;           /* another hub than the last one's: everything
	                              * is sent again (repl_hub) */
	bool hub_unrecorded;         /* and that because the database is from a
	                              * kiosk that did not record its hub */
	bool hub_lost;               /* or because the hub has lost records this
	                              * kiosk pulled from it (restored from an
	                              * older copy: merge_hub_lost) */
	bool untrusted;              /* an https hub this kiosk cannot trust, or a
	                              * [sync] cafile it cannot read: unreachable,
	                              * but no network coming back mends it */
	bool portal;                 /* what answered was a web page or a redirect
	                              * (or HTTP 511), as a Wi-Fi that wants a
	                              * login first answers every address (a
	                              * captive portal): unreachable, until
	                              * someone logs in */
	bool moved;                  /* a redirect to another address of the hub's
	                              * own host: unreachable, until kiosk join is
	                              * given that address */
	enum merge_unreached unreached; /* not reached at all: why, as the advice
	                              * in *cause says it (client_unreached) */
};

enum client_status {
	CLIENT_OK = 0,
	CLIENT_REFUSED = -1,         /* the hub answered no (token, event, version) */
	CLIENT_UNREACHABLE = -2,     /* no answer: network down, hub stopped, cut */
	CLIENT_LOCAL = -3,           /* this kiosk's database failed */
};

/* One round for the event in s, first starting over when o's hub is
 * another than the one the database last synced with (repl_hub). The
 * report counts what moved even when the round failed half-way. *cause
 * says why on failure. */
enum client_status client_round(struct store *s, const struct client_options *o,
    struct client_report *r, char **cause);

/* GET /v1/event: which event the hub serves and the name the token was
 * given, for `kiosk join`. *event is a new reference; *device is the
 * caller's. */
enum client_status client_hello(const struct client_options *o, json_t **event,
    char **device, struct client_report *r, char **cause);

#endif
