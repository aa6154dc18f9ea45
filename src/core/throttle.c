/* throttle: password tries per client address (see throttle.h). */
#include "core/throttle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct slot {
	char addr[THROTTLE_ADDR_MAX + 1];
	bool used;
	bool trying;
	int64_t failed_at;      /* monotonic ms its penalty started (a wrong password, a
	                         * try turned away); 0: none */
	int64_t wrong_at;       /* monotonic ms of its last wrong password; 0: none */
	int64_t penalty;        /* ms the wait from failed_at lasts */
	int wrong;              /* wrong passwords in a row (forgotten after
	                         * THROTTLE_FORGET_MS without one) */
	int64_t last;           /* monotonic ms of its last try, for eviction */
};

struct throttle {
	struct slot *slots;
	int n;
};

struct throttle *
throttle_new(int slots)
{
	struct throttle *t = xcalloc(1, sizeof *t);
	t->n = slots < 1 ? 1 : slots;
	t->slots = xcalloc((size_t)t->n, sizeof *t->slots);
	return t;
}

void
throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t);
}

static struct slot *
find(struct throttle *t, const char *key)
{
	for (int i = 0; i < t->n; i++)
		if (t->slots[i].used && strcmp(t->slots[i].addr, key) == 0)
			return &t->slots[i];
	return NULL;
}

/* A slot for a new address: a free one, else the one idle longest that
 * has no try under way, one that never guessed wrong before one that did:
 * a guesser forgotten would come back clean, and wait for a turn it
 * should be turned away from. NULL when every slot has a try under way. */
static struct slot *
take(struct throttle *t, const char *key)
{
	struct slot *best = NULL;
	for (int i = 0; i < t->n; i++) {
		struct slot *s = &t->slots[i];
		if (!s->used) {
			best = s;
			break;
		}
		if (s->trying)
			continue;
		bool wrong = s->wrong_at != 0, best_wrong = best != NULL && best->wrong_at != 0;
		if (best == NULL || (best_wrong && !wrong) ||
		    (best_wrong == wrong && s->last < best->last))
			best = s;
	}
	if (best != NULL) {
		memset(best, 0, sizeof *best);
		best->used = true;
		snprintf(best->addr, sizeof best->addr, "%s", key);
	}
	return best;
}

static const char *
key_of(const char *addr, char *buf, size_t size)
{
	snprintf(buf, size, "%s", addr != NULL ? addr : "");
	return buf;
}

enum throttle_verdict
throttle_begin(struct throttle *t, const char *addr, int64_t now_ms)
{
	char buf[THROTTLE_ADDR_MAX + 1];
	const char *key = key_of(addr, buf, sizeof buf);
	struct slot *s = find(t, key);
	if (s == NULL && (s = take(t, key)) == NULL)
		return THROTTLE_BUSY;
	if (s->trying)
		return THROTTLE_BUSY;
	if (s->failed_at != 0 && now_ms - s->failed_at < s->penalty)
		return THROTTLE_WAIT;
	s->trying = true;
	s->last = now_ms;
	return THROTTLE_GO;
}

/* addr's try under way is over at now_ms: its slot, or NULL. */
static struct slot *
try_over(struct throttle *t, const char *addr, int64_t now_ms)
{
	char buf[THROTTLE_ADDR_MAX + 1];
	struct slot *s = find(t, key_of(addr, buf, sizeof buf));
	if (s != NULL) {
		s->trying = false;
		s->last = now_ms;
	}
	return s;
}

void
throttle_end(struct throttle *t, const char *addr, bool failed, int64_t now_ms)
{
	struct slot *s = try_over(t, addr, now_ms);
	if (s == NULL)
		return;
	if (!failed) {  /* the right password: the organiser */
		s->failed_at = s->wrong_at = 0;
		s->wrong = 0;
		return;
	}
	if (s->wrong_at != 0 && now_ms - s->wrong_at >= THROTTLE_FORGET_MS)
		s->wrong = 0;
	if (s->wrong < 1000)
		s->wrong++;
	s->failed_at = s->wrong_at = now_ms;
	s->penalty = throttle_login_wait_ms(s->wrong);
}

void
throttle_abandon(struct throttle *t, const char *addr, int64_t now_ms)
{
	struct slot *s = try_over(t, addr, now_ms);
	if (s != NULL) {
		/* the same second's wait: no tight loop of tries (not a wrong
		 * password's longer one: the hub was busy, not the address) */
		s->failed_at = now_ms;
		s->penalty = THROTTLE_PENALTY_MS;
	}
}

bool
throttle_clean(struct throttle *t, const char *addr, int64_t now_ms)
{
	char buf[THROTTLE_ADDR_MAX + 1];
	const struct slot *s = find(t, key_of(addr, buf, sizeof buf));
	return s == NULL || s->wrong_at == 0 || now_ms - s->wrong_at >= THROTTLE_CLEAN_MS;
}

const char *
throttle_who(const char *addr, const char *device, char *buf, size_t size)
{
	if (device != NULL && device[0] != '\0')
		snprintf(buf, size, THROTTLE_DEVICE_PREFIX "%s", device);
	else
		snprintf(buf, size, "%s", addr != NULL ? addr : "");
	return buf;
}

enum throttle_turn
throttle_turn(bool known, bool clean, int waiting, int waiters)
{
	if (known || (clean && waiting < waiters))
		return THROTTLE_TURN_WAIT;
	/* A mutex is not fair: guessers trying it as it comes free would take
	 * the turn from under the one waiting. A clean address that cannot
	 * wait may still try: kept from the check, it would stay clean, and
	 * wait, for good. */
	return waiting > 0 && !clean ? THROTTLE_TURN_AWAY : THROTTLE_TURN_TRY;
}

int64_t
throttle_wait_left(struct throttle *t, const char *addr, int64_t now_ms)
{
	char buf[THROTTLE_ADDR_MAX + 1];
	const struct slot *s = find(t, key_of(addr, buf, sizeof buf));
	if (s == NULL || s->failed_at == 0 || now_ms - s->failed_at >= s->penalty)
		return 0;
	return s->penalty - (now_ms - s->failed_at);
}

int64_t
throttle_login_wait_ms(int wrong)
{
	if (wrong <= THROTTLE_LOGIN_FREE)
		return THROTTLE_PENALTY_MS;
	int64_t wait = 30 * 1000;
	for (int i = THROTTLE_LOGIN_FREE + 1; i < wrong && wait < THROTTLE_LOGIN_MAX_MS; i++)
		wait *= 2;
	return wait < THROTTLE_LOGIN_MAX_MS ? wait : THROTTLE_LOGIN_MAX_MS;
}

int64_t
throttle_pin_wait_ms(int failures)
{
	if (failures < THROTTLE_PIN_FREE)
		return 0;
	int64_t wait = 30 * 1000;
	for (int i = THROTTLE_PIN_FREE; i < failures && wait < 15 * 60 * 1000; i++)
		wait *= 2;
	return wait < 15 * 60 * 1000 ? wait : 15 * 60 * 1000;
}
