/* peers: the hub's open connections, and room kept for the doors.
 *
 * A client that opens connections and sends its request a header line at
 * a time is never idle long enough for a timeout, and a few addresses of
 * such clients took every connection the hub has: the doors could no
 * longer sync. Here each connection is known from its accept to its
 * close; one that has shown a door's token or an organiser's login is
 * trusted. While more than a limit are not, the stranger to cut is one
 * past its first second (a door's TLS handshake is never cut), not being
 * answered, from the address holding the most strangers (a door holds one
 * or two), the oldest of those: at each new connection, and four times a
 * second on a thread of its own (a flood that fills libmicrohttpd's limit
 * brings no new connection to cut at). Thread-safe: MHD's pool threads
 * share one. */
#ifndef KIOSK_SYNC_PEERS_H
#define KIOSK_SYNC_PEERS_H

#include <stdbool.h>
#include <stdint.h>

struct peers;
struct peer;

#define PEERS_GRACE_MS 1000 /* a new connection is never cut before this */

/* untrusted_max: connections not trusted kept at most (at least 1);
 * slots: connections there can be at once (libmicrohttpd's limit). With
 * sweep, a thread enforces the limit four times a second. */
struct peers *peers_new(unsigned int untrusted_max, unsigned int slots, bool sweep);
void peers_free(struct peers *p);

/* A connection accepted on socket fd from address addr (text; NULL or ""
 * is one unknown address), at monotonic ms now. When strangers are too
 * many, the one chosen as above is shut down, which makes its thread close
 * it. NULL when the table is full (the connection is then never cut). */
struct peer *peers_add(struct peers *p, int fd, const char *addr, int64_t now);

/* Its request is being answered (busy: never cut), or no longer. */
void peers_busy(struct peers *p, struct peer *c, bool busy);

/* It showed a door's token or an organiser's login: never cut. */
void peers_trust(struct peers *p, struct peer *c);

/* Closed: forgotten and freed (before its socket is closed). */
void peers_remove(struct peers *p, struct peer *c);

/* Cut strangers over the limit now, as the thread does (for tests). */
void peers_enforce(struct peers *p, int64_t now);

/* Connections cut so far, and not trusted now: for tests and the log. */
unsigned long peers_cut(struct peers *p);
unsigned int peers_untrusted(struct peers *p);

#endif
