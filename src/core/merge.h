/* merge: the rules by which kiosks and the hub agree (docs/sync-protocol.md),
 * as pure functions: no I/O, no clock.
 *
 *  - Guests: last writer wins. Of two copies of a guest, the one with the
 *    greater (updated_at, updated_by) is kept; equal copies are the same
 *    write and change nothing. But for the cancellation, which goes by its
 *    own stamp (cancelled_at): a ticket cancelled at an offline door stays
 *    cancelled when the hub later corrects the guest's name, and is
 *    reinstated only by a later kiosk cancel --undo.
 *  - A forgotten guest (kiosk forget: names erased at their request) stays
 *    forgotten: a forgotten copy wins over any other, whatever the stamps
 *    say (merge_forget).
 *  - Clocks: a kiosk takes the hub's clock as the event's. From a request
 *    sent at t0 and answered at t1 (this computer's clock) carrying the
 *    hub's time, the offset is the hub's time minus the middle of the round
 *    trip; of several, the shortest round trip is the most accurate.
 *  - Retries: a kiosk that cannot reach the hub waits 1, 2, 4 ... seconds,
 *    up to 60, but never less than its normal interval. */
#ifndef KIOSK_MERGE_H
#define KIOSK_MERGE_H

#include <stdbool.h>
#include <stdint.h>

/* True when the incoming copy of a guest replaces the stored one. */
bool merge_guest_wins(int64_t in_at, const char *in_by, int64_t have_at, const char *have_by);

/* True when the incoming copy's cancellation (cancelled or not, set at
 * in_at) replaces the stored one's, whichever copy's other fields are
 * kept: the later setting wins; at the same time, cancelled. */
bool merge_cancel_wins(int64_t in_at, bool in_cancelled, int64_t have_at, bool have_cancelled);

/* One copy of a guest as the merge sees it. fields_at: when its fields
 * (all but the cancellation) were last set, at or before updated_at; a
 * copy whose cancellation was set since has updated_at later (an older
 * kiosk, which knows no fields_at, then takes it whole). A record of an
 * older kiosk has fields_at = updated_at. Two copies with fields of one
 * stamp hold the same fields (two writes of one guest in the same
 * millisecond on two machines are not told apart), as do two of one
 * (updated_at, by): the same write. */
struct merge_copy {
	int64_t updated_at, fields_at, cancelled_at;
	const char *by;
	bool cancelled;
};

/* Before merge_guest_plan: what a forgotten copy does, by when kiosk
 * forget erased each (in_forgotten_at, have_forgotten_at; 0: not).
 * A guest erased at their request stays erased: a door offline since the
 * forget, or a kiosk of a version that knows no forgetting, may hold the
 * name under a later stamp, and sends it. So a forgotten copy wins over
 * one that is not, whatever the stamps; of two forgotten ones (both
 * empty), the later by (updated_at, by), so that all nodes end with one.
 * Ours forgotten and the other not but stamped later, an older kiosk
 * would keep its own copy over ours as it stands: ours is stamped anew
 * (merge_stamp after both) and sent on, so that it takes it whole. */
enum merge_forget {
	MERGE_FORGET_NONE,      /* neither is forgotten: merge_guest_plan decides */
	MERGE_FORGET_TAKE,      /* the incoming copy is forgotten, and ours not or
	                         * stamped before: take it whole */
	MERGE_FORGET_KEEP,      /* ours is forgotten: the incoming one changes nothing */
	MERGE_FORGET_RESEND,    /* the same, and ours goes on stamped anew */
};
enum merge_forget merge_forget(const struct merge_copy *in, int64_t in_forgotten_at,
    const struct merge_copy *have, int64_t have_forgotten_at);

/* How an incoming copy merges with ours: its fields when they were set
 * later, its cancellation when merge_cancel_wins. The
 * result is news when it is neither copy as it stands (the fields of one,
 * the cancellation of the other) and is not ours: it is stamped anew
 * (merge_stamp after both copies' stamps) and sent on, so that every node,
 * older kiosks too, takes it whole. Otherwise the later copy by
 * (updated_at, by) is the result, as it came. A door's cancel made before
 * it pulled a correction of the name made on the hub thus keeps the
 * correction, and the correction keeps the cancel. */
struct merge_plan {
	bool fields;    /* take the incoming copy's fields */
	bool cancel;    /* take its cancellation */
	bool news;      /* the result is a new copy, stamped anew */
};
struct merge_plan merge_guest_plan(const struct merge_copy *in, const struct merge_copy *have);

/* Has the hub lost records this kiosk pulled from it? A hub restored from
 * an older copy of its database (kiosk backup, a file copied back) answers
 * at the same address, and a kiosk that went on from its old pull
 * position would never send again what it pushed there since the copy,
 * nor fetch the check-ins the hub numbers below that position: the
 * attendance would lack them for good. A pull page says (its "anchor")
 * the highest number of its guest changes (head_guests; -1: not said, a
 * hub of an older version) and the uuid of its check-in numbered as the
 * kiosk's check-in position (hub_checkin; NULL: it has none so numbered;
 * hub_said false: not said). The kiosk recorded the uuid of the check-in
 * at that position when it moved there (ours; NULL: none recorded, as
 * before this was kept). Lost when the hub's guest changes end before
 * the kiosk's position (cursor_guests), or its check-in at the kiosk's
 * position is none or another: other doors that sent the restored hub
 * all they hold again have numbered it past the position, with other
 * check-ins. */
bool merge_hub_lost(int64_t cursor_guests, int64_t head_guests, const char *ours,
    bool hub_said, const char *hub_checkin);

/* One clock sample: request sent at t0, answer at t1 (local ms), hub said now. */
struct merge_clock {
	int64_t offset;       /* ms to add to the local clock */
	int64_t rtt;          /* round trip, ms; the smaller the better */
	bool valid;
};

/* Fold a sample into best (which starts zeroed): keeps the one with the
 * shortest round trip. A hub time outside MERGE_CLOCK_MIN..MERGE_TIME_MAX
 * is a lost clock, no sample. */
#define MERGE_TIME_MIN 946684800000LL
#define MERGE_TIME_MAX 7258118400000LL

/* A computer's clock before this (2026-01-01 UTC, before kiosk was
 * written) is not set: a laptop whose clock battery died starts at its
 * firmware's default, 1970 or 2000-01-01. Such a time is no sample of the
 * hub's clock, and a kiosk stamps after the latest time its event holds
 * instead (store_now). Records stamped from 2000 on are still taken: an
 * older kiosk wrote some. */
#define MERGE_CLOCK_MIN 1767225600000LL

/* The time to stamp a change made here at now to a guest whose copy is
 * stamped previous: after it, whatever the clock says (a copy stamped
 * ahead, by a door whose clock ran fast or this one's before it was set
 * right, would otherwise win over the change everywhere, for good), but
 * never past MERGE_TIME_MAX (a copy stamped then, by a forged push or a
 * clock gone wild, would have the change refused by every node, and their
 * pulls stop at it). */
int64_t merge_stamp(int64_t now, int64_t previous);

/* A stamp of a guest a door pushed (stamp), as the hub keeps it, beside the
 * same stamp of the hub's copy (have; 0: none). A copy stamped at
 * MERGE_TIME_MAX, forged by whoever holds a door's token, would tie with
 * any later change (merge_stamp) and keep its cancel or its name at every
 * door for good, revoked token or not. So a stamp past MERGE_PUSH_MAX, a
 * year before the end, is kept only as a change made just after the hub's
 * copy (at most MERGE_PUSH_STEP later: a door's merge_stamp after a copy
 * that high); any other is kept at MERGE_PUSH_MAX - MERGE_PUSH_STEP, where
 * a change made after it, anywhere, is stamped after it and taken. Pushed
 * again (a door sends a batch again when the answer was lost), a stamp is
 * kept the same: from a bound taken from the hub's clock it would not be. */
#define MERGE_PUSH_MAX (MERGE_TIME_MAX - 365LL * 24 * 3600 * 1000)
#define MERGE_PUSH_STEP 1000LL
int64_t merge_pushed_stamp(int64_t stamp, int64_t have);
void merge_clock_sample(struct merge_clock *best, int64_t t0, int64_t t1, int64_t hub_now);

/* Is the measured offset news against the stored one (have: one is
 * stored)? Only a move of more than MERGE_CLOCK_SLACK_MS is: a round that
 * moved nothing else then writes nothing (no two doors admit one guest
 * within 50 ms of each other, so "earliest" does not need finer). */
#define MERGE_CLOCK_SLACK_MS 50
bool merge_clock_news(const struct merge_clock *c, bool have, int64_t stored);

/* After a pull page: pull again? Yes while the hub has more; and, once it
 * has not, while other devices are still pushing (the page's "pushing")
 * and this round has waited less than MERGE_PULL_WAIT_MS (wall time, the
 * pulls included) for them: the doors back from an outage then agree at
 * the end of one round, not of the next. */
#define MERGE_PULL_WAIT_MS 3000
bool merge_pull_again(bool more, int64_t pushing, int64_t waited_ms);
/* The pause before poll number n (0, 1, ...) of that wait: 50 ms, doubling
 * to 400, so a dozen waiting doors do not crowd the hub they wait on. */
int64_t merge_pull_pause_ms(int n);
/* Hub side: a push that held held records from a device that said it had
 * waiting ones before it (-1: it did not say): are more coming? */
bool merge_more_to_push(int64_t waiting, int64_t held);

/* ms to wait before the next sync round after failures consecutive failed
 * rounds (0: the normal interval every_ms). */
int64_t merge_retry_ms(int failures, int64_t every_ms);

/* A scan while the hub is away: does it try the hub now? Only when the
 * last try began MERGE_KICK_RETRY_MS (or every_ms, if longer) ago: a
 * door back on the network after a long outage is on the hub with its
 * next guest, not up to a minute of back-off later, while one scanning a
 * guest a second into a dead network tries no more than every 5 s. */
#define MERGE_KICK_RETRY_MS 5000
bool merge_kick_retries(int failures, int64_t since_try_ms, int64_t every_ms);

/* Did the computer sleep during a round (util_slept_ms when it began,
 * and now)? Then its request is given up and a round run anew: a laptop
 * shut mid-sync wakes to a connection the hub closed while it slept, of
 * which no word reached it, and waited up to the 60 s timeout (on the
 * monotonic clock, stopped meanwhile) before syncing again, while another
 * door let in a ticket scanned here. A sleep shorter than MERGE_SLEPT_MS
 * is no sleep (the two clocks are read apart). */
#define MERGE_SLEPT_MS 2000
bool merge_round_slept(int64_t slept_at_start, int64_t slept_now);

/* What a door's status line says of its link to the hub: refused (the hub
 * said no), online (the last round reached it), offline. A round under way
 * for longer than MERGE_ROUND_STUCK_MS is offline whatever the last one
 * did: a hub that keeps the connection open and never answers holds a
 * round up to the client's 60 s timeout, and the door said "online" all
 * the while, its check-ins going nowhere. round_ms: how long the round
 * under way has waited for the hub (since it began, or since the hub's
 * last answer: a long round the hub keeps answering is not hanging), 0
 * when none is under way. */
enum merge_link { MERGE_LINK_OFFLINE, MERGE_LINK_ONLINE, MERGE_LINK_REFUSED };
#define MERGE_ROUND_STUCK_MS 15000
enum merge_link merge_link(bool refused, bool online, int64_t round_ms);

/* Why a round did not reach the hub, or got no answer it could use, as far
 * as this computer can tell (client_report.unreached, chosen with the
 * advice kiosk sync and kiosk doctor print after curl's or the hub's
 * words): what the organiser can do differs. */
enum merge_unreached {
	MERGE_UNREACHED_NONE,      /* reached, or no such reason known */
	MERGE_UNREACHED_SILENT,    /* no answer at all: not on the hub's network, or a
	                            * Wi-Fi that keeps its devices apart */
	MERGE_UNREACHED_MDNS,      /* a .local name not found: no mDNS here */
	MERGE_UNREACHED_DNS,       /* a name the network's DNS does not know, or
	                            * does not answer for */
	MERGE_UNREACHED_PORT,      /* its computer refuses the port: no hub there */
	MERGE_UNREACHED_PROXY,     /* through a web proxy the environment names,
	                            * itself not reached */
	MERGE_UNREACHED_HUNG,      /* its computer took the connection, but no
	                            * answer came in time: a hub stuck, its
	                            * computer asleep or overloaded */
	MERGE_UNREACHED_CUT,       /* the connection cut mid-answer: a Wi-Fi that
	                            * drops, or something on the way */
	MERGE_UNREACHED_HUB_FULL,  /* the hub answered that it failed, its disk
	                            * being full */
	MERGE_UNREACHED_HUB_FAILED, /* the hub answered that it failed otherwise
	                            * (its database damaged, read-only, held) */
	MERGE_UNREACHED_WANTS_HTTPS, /* an http:// address, and only empty
	                            * replies: a hub with a certificate, which
	                            * speaks only https */
	MERGE_UNREACHED_WANTS_HTTP, /* an https:// address, and no TLS comes
	                            * back: a hub without a certificate, which
	                            * speaks plain http */
	MERGE_UNREACHED_BEHIND,    /* a web server in front of the hub answers
	                            * HTTP 502, 503 or 504 for it, without the
	                            * hub's words: no hub runs behind it */
};

/* Does a door's admin screen say why (why) the hub is not reached, the
 * door's link being link and the hub not reached for unreached_ms (since
 * the first round that did not reach it began)? Only when offline for
 * longer than MERGE_UNREACHED_SAY_MS: a hub restarted, a Wi-Fi that
 * reconnects, a round that hangs a while, send nobody to the router, and
 * the line does not come and go with them. The hub reached again, it is
 * over at once (the agent's reason is none again). */
#define MERGE_UNREACHED_SAY_MS 20000
bool merge_unreached_said(enum merge_unreached why, enum merge_link link,
    int64_t unreached_ms);

/* Does a round that did not reach the hub for why, after one that did not
 * for was, begin anew the stretch merge_unreached_said measures? Only for
 * an empty reply (MERGE_UNREACHED_WANTS_HTTPS) after another reason: a
 * hub stopping mid-answer gives one too, so the door says the hub wants
 * https only after MERGE_UNREACHED_SAY_MS of nothing but empty replies. */
bool merge_unreached_anew(enum merge_unreached was, enum merge_unreached why);

#endif
