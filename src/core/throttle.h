/* throttle: password tries per client address, for the hub's login page.
 *
 * A wrong password makes its address wait THROTTLE_PENALTY_MS before the
 * next try, and an address has one try under way at a time; other
 * addresses are not held up by it. After THROTTLE_LOGIN_FREE wrong ones in
 * a row (an organiser's typos) each wait is longer (throttle_login_wait_ms):
 * at a try a second, an attendee with a word list had 3,600 guesses an
 * hour from one laptop, and a day's event is long. So somebody on the
 * venue network who guesses slows down only themselves, ever more, and the
 * organiser logs in at once from their own phone.
 *
 * The table remembers a fixed number of addresses: a new one takes the
 * place of the one idle longest, never of one with a try under way. Not
 * thread-safe: the caller holds its own lock around each call. */
#ifndef KIOSK_THROTTLE_H
#define KIOSK_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define THROTTLE_PENALTY_MS 1000
#define THROTTLE_ADDR_MAX 63    /* bytes of an address kept; longer ones are cut */

enum throttle_verdict {
	THROTTLE_GO,            /* try now; then call throttle_end */
	THROTTLE_BUSY,          /* a try from this address is under way */
	THROTTLE_WAIT,          /* this address failed less than the penalty ago */
};

struct throttle;

/* A table of slots addresses (at least 1). Never NULL. */
struct throttle *throttle_new(int slots);
void throttle_free(struct throttle *t);

/* May addr (NULL or "" counts as one address) try at now_ms (monotonic)?
 * THROTTLE_GO marks its try as under way. */
enum throttle_verdict throttle_begin(struct throttle *t, const char *addr, int64_t now_ms);

/* The try that throttle_begin let addr make is over; failed starts the
 * penalty at now_ms. */
void throttle_end(struct throttle *t, const char *addr, bool failed, int64_t now_ms);

/* The try throttle_begin let addr make came to nothing (the check was
 * busy): no verdict, its last wrong password stands, and it waits the
 * penalty before the next, as after a wrong one. */
void throttle_abandon(struct throttle *t, const char *addr, int64_t now_ms);

/* Has addr given no wrong password in the last THROTTLE_CLEAN_MS? Such an
 * address (the organiser's phone) may wait its turn for the one password
 * check that runs at a time; one that has (a guesser, on however many
 * addresses) is turned away when that check is busy. A quarter of an hour:
 * guessers on many addresses each come back clean once a THROTTLE_CLEAN_MS,
 * and with a minute, 250 addresses (a venue's /24) brought back four a
 * second, as many as the check takes, and took the organiser's place to
 * wait for good. An organiser who mistyped waits no longer for it: only
 * while the check is busy. */
#define THROTTLE_CLEAN_MS (15 * 60 * 1000)
bool throttle_clean(struct throttle *t, const char *addr, int64_t now_ms);

/* Whose tries one login counts as, into buf (size at least
 * THROTTLE_ADDR_MAX + 1), returned: a browser that logged in here before
 * (device: a fingerprint of the cookie it was given then, which the
 * caller has checked; NULL or "": none) its own, else its address's.
 * Behind a venue's NAT, or a web server in front of the hub, every
 * browser has one address: a guesser's wrong passwords made the organiser
 * wait up to 15 min there. A device is known only by having had the
 * password, so a guesser never gets a place of its own this way. */
#define THROTTLE_DEVICE_PREFIX "device:"
const char *throttle_who(const char *addr, const char *device, char *buf, size_t size);

/* How a try throttle_begin let through gets to the one password check
 * that runs at a time (the caller's lock): */
enum throttle_turn {
	THROTTLE_TURN_WAIT,     /* wait a while for it */
	THROTTLE_TURN_TRY,      /* take it when free, else be turned away */
	THROTTLE_TURN_AWAY,     /* turned away at once: another waits for it */
};
/* known: a device that logged in before (throttle_who); clean:
 * throttle_clean; waiting: tries waiting for the check now; waiters: how
 * many clean addresses may wait at a time. A known device always waits
 * (there are only as many as logins, each one try at a time), and every
 * try that waits has the next turn before a guesser's. */
enum throttle_turn throttle_turn(bool known, bool clean, int waiting, int waiters);

/* How long (ms) addr still waits before its next try may begin; 0: none. */
int64_t throttle_wait_left(struct throttle *t, const char *addr, int64_t now_ms);

/* The wait after an address's wrong-th wrong password in a row:
 * THROTTLE_PENALTY_MS for the first THROTTLE_LOGIN_FREE, then 30 s,
 * twice as long with each one after, at most THROTTLE_LOGIN_MAX_MS. An
 * address with no wrong password for THROTTLE_FORGET_MS starts over (a
 * guesser waiting out the longest wait never does). */
#define THROTTLE_LOGIN_FREE 5
#define THROTTLE_LOGIN_MAX_MS (15 * 60 * 1000)
#define THROTTLE_FORGET_MS (60 * 60 * 1000)
int64_t throttle_login_wait_ms(int wrong);

/* After the failures-th wrong admin PIN in a row at the door, how long
 * (ms) the PIN pad stays closed: not at all for the first
 * THROTTLE_PIN_FREE (a PIN mistyped), then 30 s, twice as long with each
 * one after, at most 15 min. A device typing PINs as a keyboard then needs
 * days for 10,000 four-digit ones, not ten minutes. */
#define THROTTLE_PIN_FREE 3
int64_t throttle_pin_wait_ms(int failures);

#endif
