/* peers: the hub's open connections, and room kept for the doors
 * (peers.h). A list in order of arrival: the oldest come first, and the
 * one cut is the first idle stranger from the front. */
#include "sync/peers.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "core/util.h"

struct peer {
	int fd;
	bool trusted;
	bool busy;
	bool cut;                 /* shut down here; MHD closes it */
	struct peer *prev, *next;
};

struct peers {
	pthread_mutex_t lock;
	unsigned int max;
	unsigned int untrusted;   /* neither trusted nor cut */
	unsigned long cuts;
	struct peer *head, *tail;
};

struct peers *
peers_new(unsigned int untrusted_max)
{
	struct peers *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	p->max = untrusted_max > 0 ? untrusted_max : 1;
	return p;
}

void
peers_free(struct peers *p)
{
	if (p == NULL)
		return;
	struct peer *c = p->head, *next;
	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* Counted as a stranger: neither trusted nor on its way out. */
static bool
stranger(const struct peer *c)
{
	return !c->trusted && !c->cut;
}

struct peer *
peers_add(struct peers *p, int fd)
{
	struct peer *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	pthread_mutex_lock(&p->lock);
	c->prev = p->tail;
	if (p->tail != NULL)
		p->tail->next = c;
	else
		p->head = c;
	p->tail = c;
	p->untrusted++;
	/* The new one itself is never cut: it is a door as likely as not. A
	 * socket shut down here is still open (MHD closes it, after
	 * peers_remove, under this lock), so the fd is never another's. */
	if (p->untrusted > p->max) {
		for (struct peer *o = p->head; o != NULL && o != c; o = o->next) {
			if (stranger(o) && !o->busy) {
				shutdown(o->fd, SHUT_RDWR);
				o->cut = true;
				p->untrusted--;
				p->cuts++;
				break;
			}
		}
	}
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
	if (stranger(c))
		p->untrusted--;
	c->trusted = true;
	pthread_mutex_unlock(&p->lock);
}

void
peers_remove(struct peers *p, struct peer *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	if (stranger(c))
		p->untrusted--;
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
