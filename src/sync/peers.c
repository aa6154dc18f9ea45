/* peers: the hub's open connections, and room kept for the doors
 * (peers.h). A list in order of arrival, and a table of the addresses
 * they come from with how many strangers each holds. */
#include "sync/peers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/util.h"

#define PEERS_ADDR_MAX 63
#define PEERS_SWEEP_MS 250

struct addr_slot {
	char key[PEERS_ADDR_MAX + 1];
	unsigned int peers;       /* connections from it; 0: a free slot */
	unsigned int strangers;   /* of which neither trusted nor cut */
};

struct peer {
	int fd;
	int64_t born;             /* monotonic ms of its accept */
	unsigned int slot;        /* its address in peers->addrs */
	bool trusted;
	bool busy;
	bool cut;                 /* shut down here; MHD closes it */
	struct peer *prev, *next;
};

struct peers {
	pthread_mutex_t lock;
	pthread_cond_t wake;      /* the sweeper's stop, on CLOCK_MONOTONIC */
	pthread_t sweeper;
	bool sweeping, stop;
	unsigned int max;
	unsigned int untrusted;   /* neither trusted nor cut */
	unsigned long cuts;
	struct peer *head, *tail;
	struct addr_slot *addrs;
	unsigned int naddrs;
};

/* Counted as a stranger: neither trusted nor on its way out. */
static bool
stranger(const struct peer *c)
{
	return !c->trusted && !c->cut;
}

/* c stops being a stranger (trusted, cut, or gone). */
static void
unstrange(struct peers *p, struct peer *c)
{
	if (!stranger(c))
		return;
	p->untrusted--;
	p->addrs[c->slot].strangers--;
}

/* The cut: the stranger past its grace, not being answered, from the
 * address with the most strangers, the oldest of those (the list is in
 * order of arrival). The socket stays open until MHD closes it, after
 * peers_remove under this lock: the fd is never another's. */
static void
enforce(struct peers *p, int64_t now)
{
	while (p->untrusted > p->max) {
		struct peer *best = NULL;
		for (struct peer *o = p->head; o != NULL; o = o->next) {
			if (!stranger(o) || o->busy || now - o->born < PEERS_GRACE_MS)
				continue;
			if (best == NULL || p->addrs[o->slot].strangers > p->addrs[best->slot].strangers)
				best = o;
		}
		if (best == NULL)
			return;
		shutdown(best->fd, SHUT_RDWR);
		unstrange(p, best);
		best->cut = true;
		p->cuts++;
	}
}

static void *
sweep_main(void *arg)
{
	struct peers *p = arg;
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		struct timespec until;
		util_deadline(&until, CLOCK_MONOTONIC, PEERS_SWEEP_MS);
		pthread_cond_timedwait(&p->wake, &p->lock, &until);
		if (!p->stop)
			enforce(p, util_mono_ms());
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct peers *
peers_new(unsigned int untrusted_max, unsigned int slots, bool sweep)
{
	struct peers *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	p->max = untrusted_max > 0 ? untrusted_max : 1;
	p->naddrs = slots > 0 ? slots : 1;
	p->addrs = xcalloc(p->naddrs, sizeof *p->addrs);
	/* Without its thread the limit holds at each new connection only. */
	p->sweeping = sweep && util_thread_start(&p->sweeper, sweep_main, p) == 0;
	return p;
}

void
peers_free(struct peers *p)
{
	if (p == NULL)
		return;
	if (p->sweeping) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->sweeper, NULL);
	}
	struct peer *c = p->head, *next;
	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p->addrs);
	free(p);
}

/* The slot of key, taken when new; naddrs (none) when the table is full. */
static unsigned int
slot_of(struct peers *p, const char *key)
{
	unsigned int free_slot = p->naddrs;
	for (unsigned int i = 0; i < p->naddrs; i++) {
		if (p->addrs[i].peers == 0) {
			if (free_slot == p->naddrs)
				free_slot = i;
		} else if (strcmp(p->addrs[i].key, key) == 0) {
			return i;
		}
	}
	if (free_slot < p->naddrs)
		snprintf(p->addrs[free_slot].key, sizeof p->addrs[free_slot].key, "%s", key);
	return free_slot;
}

struct peer *
peers_add(struct peers *p, int fd, const char *addr, int64_t now)
{
	pthread_mutex_lock(&p->lock);
	unsigned int slot = slot_of(p, addr != NULL ? addr : "");
	if (slot == p->naddrs) {
		pthread_mutex_unlock(&p->lock);
		return NULL;
	}
	struct peer *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->born = now;
	c->slot = slot;
	c->prev = p->tail;
	if (p->tail != NULL)
		p->tail->next = c;
	else
		p->head = c;
	p->tail = c;
	p->addrs[slot].peers++;
	p->addrs[slot].strangers++;
	p->untrusted++;
	enforce(p, now);
	pthread_mutex_unlock(&p->lock);
	return c;
}

void
peers_busy(struct peers *p, struct peer *c, bool busy)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	c->busy = busy;
	pthread_mutex_unlock(&p->lock);
}

void
peers_trust(struct peers *p, struct peer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	unstrange(p, c);
	c->trusted = true;
	pthread_mutex_unlock(&p->lock);
}

void
peers_remove(struct peers *p, struct peer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	unstrange(p, c);
	p->addrs[c->slot].peers--;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		p->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		p->tail = c->prev;
	pthread_mutex_unlock(&p->lock);
	free(c);
}

void
peers_enforce(struct peers *p, int64_t now)
{
	pthread_mutex_lock(&p->lock);
	enforce(p, now);
	pthread_mutex_unlock(&p->lock);
}

unsigned long
peers_cut(struct peers *p)
{
	pthread_mutex_lock(&p->lock);
	unsigned long n = p->cuts;
	pthread_mutex_unlock(&p->lock);
	return n;
}

unsigned int
peers_untrusted(struct peers *p)
{
	pthread_mutex_lock(&p->lock);
	unsigned int n = p->untrusted;
	pthread_mutex_unlock(&p->lock);
	return n;
}
