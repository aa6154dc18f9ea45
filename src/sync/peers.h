/* peers: the hub's open connections, and room kept for the doors.
 *
 * A client that opens connections and sends its request a header line at
 * a time is never idle long enough for a timeout, and a few addresses of
 * such clients took every connection the hub has: the doors could no
 * longer sync. Here each connection is known from its accept to its
 * close; one that has shown a door's token or an organiser's login is
 * trusted. When more than a limit are not, each new connection cuts the
 * oldest of them that is not being answered, so what a stranger holds
 * stays bounded and a door's request, which sends its headers at once,
 * always finds a place. Thread-safe: MHD's pool threads share one. */
#ifndef KIOSK_SYNC_PEERS_H
#define KIOSK_SYNC_PEERS_H

#include <stdbool.h>
#include <stdint.h>

struct peers;
struct peer;

/* untrusted_max: connections not trusted kept at most (at least 1). */
struct peers *peers_new(unsigned int untrusted_max);
void peers_free(struct peers *p);

/* A connection accepted on socket fd. When that makes one too many not
 * trusted, the oldest one that is idle (not between its headers and its
 * answer) is shut down, which makes its thread close it. */
struct peer *peers_add(struct peers *p, int fd);

/* Its request's headers came (busy) or its answer went (idle). */
void peers_busy(struct peers *p, struct peer *c, bool busy);

/* It showed a door's token or an organiser's login: never cut. */
void peers_trust(struct peers *p, struct peer *c);

/* Closed: forgotten and freed (before its socket is closed). */
void peers_remove(struct peers *p, struct peer *c);

/* Connections cut so far, and not trusted now: for tests and the log. */
unsigned long peers_cut(struct peers *p);
unsigned int peers_untrusted(struct peers *p);

#endif
