/* agent: the kiosk app's sync, on a thread of its own.
 *
 * The door never waits for the network: the agent has its own database
 * connection and runs client rounds every few seconds, and at once when the
 * door asks (agent_kick, after a check-in). When the hub cannot be reached it
 * waits longer each time (merge_retry_ms); a kick then only recounts what
 * waits. The door reads a copy of the agent's state under a mutex, which is
 * never held during network or database work. */
#ifndef KIOSK_AGENT_H
#define KIOSK_AGENT_H

#include <stdbool.h>
#include <stdint.h>

#include "sync/client.h"

struct agent_state {
	bool online;               /* the last round reached the hub */
	bool refused;              /* the hub said no (token, event, version) */
	bool untrusted;            /* an https hub this kiosk cannot trust
	                            * (client_report.untrusted) */
	bool portal;               /* the network wants a login first: a Wi-Fi's
	                            * captive portal (client_report.portal) */
	int64_t waiting;           /* records not yet on the hub */
	int64_t last_ok;           /* ms UTC of the last complete round; 0 never */
	int rounds;                /* complete rounds since the start */
	int64_t pulled;            /* records pulled since the start: when it
	                            * grows, counts on screen are stale */
	int64_t round_ms;          /* how long the round under way has waited
	                            * for the hub: since it began or since the
	                            * hub's last answer; 0 when none is under
	                            * way (merge_link) */
	enum merge_unreached unreached; /* why the hub is not reached, as far as
	                            * this computer can tell (client_report
	                            * .unreached); none since it answered */
	int64_t unreached_ms;      /* how long the hub has not been reached:
	                            * since the first round that did not reach
	                            * it began (merge_unreached_anew: or the
	                            * first empty reply since); 0 when it was
	                            * reached since */
	bool list_short;           /* the guest list is not all here yet: a join
	                            * was cut short (repl_list_short) */
	char error[512];           /* why the last round failed; "" when it did not
	                            * (as long as the admin screen's problems) */
};

struct agent;

/* Start syncing the event database at db_path with the hub in o (strings
 * are copied) every every_ms. Returns 0 with *out, -1 with *cause. */
int agent_start(const char *db_path, const struct client_options *o, int64_t every_ms,
    struct agent **out, char **cause);

/* Something changed here: sync now (or recount, when offline). */
void agent_kick(struct agent *a);

/* Run a round now, even while the hub is away (a kick then only
 * recounts), and wait until one that began after this call has ended, or
 * timeout_ms, or agent_stop_soon: true when it ended (agent_state says
 * how). For a program about to stop, whose last records should reach the
 * hub first; not to be called beside agent_stop, which frees the agent. */
bool agent_flush(struct agent *a, int64_t timeout_ms);

/* A copy of the state. */
void agent_state(struct agent *a, struct agent_state *st);

/* Stop after the round in flight (whose requests give up at once) and
 * close. NULL is fine. */
void agent_stop(struct agent *a);
/* Ask it to stop, without waiting: no round starts after this, and the
 * requests of the one in flight give up. agent_stop() still joins and
 * frees it. For a door replacing its agent (another hub): the old one must
 * not push to the old hub once the new one has started. */
void agent_stop_soon(struct agent *a);

#endif
