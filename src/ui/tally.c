/* tally: the door's figures, counted on a thread of its own (tally.h). */
#include "ui/tally.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "core/attend.h"
#include "core/store.h"
#include "core/util.h"

#define TALLY_CACHE_MIB 2 /* a count reads through pages once: no need to keep many */

struct tally {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;        /* stop, on CLOCK_MONOTONIC */
	bool stop;
	bool fresh;                 /* st not yet taken */
	struct door_stats st;       /* under lock */
	struct store *store;        /* the thread's own connection */
	int64_t every_ms;
};

static void
count(struct tally *t)
{
	struct attend_counts c;
	if (attend_counts(t->store, store_now(t->store), &c, NULL) != 0)
		return; /* busy or failing now: the next look tries again */
	pthread_mutex_lock(&t->lock);
	t->st.registered = c.registered;
	t->st.checked_in = c.checked_in;
	t->st.walkins = c.walkins;
	t->st.last_hour = c.last_hour;
	t->fresh = true;
	pthread_mutex_unlock(&t->lock);
}

static void *
tally_main(void *arg)
{
	struct tally *t = arg;
	int64_t last_count = util_mono_ms();
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		struct timespec until;
		util_deadline(&until, CLOCK_MONOTONIC, t->every_ms);
		pthread_cond_timedwait(&t->wake, &t->lock, &until);
		if (t->stop)
			break;
		pthread_mutex_unlock(&t->lock);
		/* Changed (this connection's first look: yes), or a minute on:
		 * "in the last hour" moves with the clock alone. */
		int64_t now = util_mono_ms();
		if (store_changed_elsewhere(t->store) || now - last_count >= 60 * 1000) {
			count(t);
			last_count = now;
		}
		pthread_mutex_lock(&t->lock);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct tally *
tally_start(const char *db_path, int64_t every_ms, char **cause)
{
	struct tally *t = xcalloc(1, sizeof *t);
	t->every_ms = every_ms > 0 ? every_ms : 1;
	if (store_open(db_path, STORE_READONLY, NULL, &t->store, cause) != 0) {
		free(t);
		return NULL;
	}
	store_set_cache_mib(t->store, TALLY_CACHE_MIB);
	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->thread, NULL, tally_main, t) != 0) {
		util_fail(cause, "cannot start the counting thread");
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		store_close(t->store);
		free(t);
		return NULL;
	}
	return t;
}

bool
tally_take(struct tally *t, struct door_stats *out)
{
	pthread_mutex_lock(&t->lock);
	bool fresh = t->fresh;
	if (fresh)
		*out = t->st;
	t->fresh = false;
	pthread_mutex_unlock(&t->lock);
	return fresh;
}

void
tally_stop(struct tally *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	store_close(t->store);
	free(t);
}
