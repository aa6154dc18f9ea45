/* tally: the door's figures, counted on a thread of its own (tally.h). */
#include "ui/tally.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/attend.h"
#include "core/store.h"
#include "core/util.h"

#define TALLY_CACHE_MIB 2 /* a count reads through pages once: no need to keep many */
#define TALLY_NICE 10     /* the counting thread's niceness */

struct tally {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;        /* stop, on CLOCK_MONOTONIC */
	bool stop;
	bool kicked;                /* count now (tally_kick) */
	uint64_t gen;               /* kicks so far: a count begun before one is stale */
	bool fresh;                 /* st not yet taken */
	int64_t quiet_until;        /* monotonic ms: no count starts before */
	struct door_stats st;       /* under lock */
	struct store *store;        /* the thread's own connection */
	int64_t every_ms;
	bool each_day;              /* under lock: tally_set_each_day */
};

/* Count, begun at kick generation gen. A count begun before the door's
 * latest change (a kick since) could show one fewer than the door itself
 * counted: dropped, and counted again at once. The clock as the door has
 * it (store_now_fresh: the hub's offset learnt since the start), for "in
 * the last hour". */
static void
count(struct tally *t, uint64_t gen)
{
	struct attend_counts c;
	if (attend_counts(t->store, store_now_fresh(t->store), &c, NULL) != 0)
		return; /* busy or failing now: the next look tries again */
	pthread_mutex_lock(&t->lock);
	if (gen == t->gen) {
		door_stats_counted(&t->st, &c, t->each_day);
		t->fresh = true;
	} else {
		t->kicked = true;
	}
	pthread_mutex_unlock(&t->lock);
}

static void *
tally_main(void *arg)
{
	struct tally *t = arg;
	int64_t last_count = util_mono_ms();
	/* Below the screen's thread, which reads the scanner's keys as they
	 * come: a count is never urgent (best effort; Linux nices threads). */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), TALLY_NICE);
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		if (!t->kicked) {
			struct timespec until;
			util_deadline(&until, CLOCK_MONOTONIC, t->every_ms);
			pthread_cond_timedwait(&t->wake, &t->lock, &until);
		}
		if (t->stop)
			break;
		int64_t wait = t->quiet_until - util_mono_ms();
		if (wait > 0) {
			struct timespec until;
			util_deadline(&until, CLOCK_MONOTONIC, wait);
			pthread_cond_timedwait(&t->wake, &t->lock, &until);
			continue; /* and look again: more keys may have come */
		}
		bool kicked = t->kicked;
		uint64_t gen = t->gen;
		t->kicked = false;
		store_set_each_day(t->store, t->each_day); /* this thread's connection */
		pthread_mutex_unlock(&t->lock);
		/* Kicked, changed (this connection's first look: yes), or a
		 * minute on: "in the last hour" moves with the clock alone. */
		int64_t now = util_mono_ms();
		bool changed = store_changed_elsewhere(t->store);
		if (kicked || changed || now - last_count >= 60 * 1000) {
			count(t, gen);
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
	if (util_thread_start(&t->thread, tally_main, t) != 0) {
		util_fail(cause, "cannot start the counting thread");
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		store_close(t->store);
		free(t);
		return NULL;
	}
	return t;
}

void
tally_kick(struct tally *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	t->gen++;
	t->kicked = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
}

void
tally_set_each_day(struct tally *t, bool each_day)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	if (t->each_day != each_day) {
		t->each_day = each_day;
		t->gen++;
		t->kicked = true;
		pthread_cond_signal(&t->wake);
	}
	pthread_mutex_unlock(&t->lock);
}

void
tally_quiet(struct tally *t, int64_t ms)
{
	if (t == NULL)
		return;
	int64_t until = util_mono_ms() + ms;
	pthread_mutex_lock(&t->lock);
	if (until > t->quiet_until)
		t->quiet_until = until;
	pthread_mutex_unlock(&t->lock);
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
