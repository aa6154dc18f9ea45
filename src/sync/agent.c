/* agent: the kiosk app's sync, on a thread of its own (see agent.h). */
#include "sync/agent.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/merge.h"
#include "core/util.h"

struct agent {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;       /* kicks and stop, on CLOCK_MONOTONIC */
	pthread_cond_t ended;      /* a round ended (agent_flush), the same clock */
	bool stop, kicked;
	bool flush;                /* a kick that runs a round even while offline */
	int64_t begun, done;       /* rounds begun; the number of the last ended */
	struct agent_state st;     /* under lock */
	int64_t round_from;        /* under lock: mono ms the round under way
	                            * began or last had an answer from the
	                            * hub; 0 when no round is under way */
	int64_t unreached_from;    /* under lock: mono ms the first round that
	                            * did not reach the hub began (or had the
	                            * hub's last answer), or the first of the
	                            * empty replies since (merge_unreached_anew);
	                            * 0 when reached since */
	int64_t round_slept;       /* under lock: util_slept_ms() when the round
	                            * under way began */
	bool slept;                /* under lock: that round's request was given
	                            * up because the computer slept since */
	struct store *store;       /* the thread's own connection */
	char *url, *token, *cafile;
	struct client_options o;
	int64_t every_ms;
};

/* Now, for round_from: never 0, which is "no round". */
static int64_t
round_now(void)
{
	return util_mono_ms() + 1;
}

static void
count_waiting(struct agent *a)
{
	int64_t n;
	if (repl_waiting(a->store, &n, NULL) != 0)
		return;
	pthread_mutex_lock(&a->lock);
	a->st.waiting = n;
	pthread_mutex_unlock(&a->lock);
}

/* One round. True when it was given up because the computer slept
 * meanwhile (merge_round_slept): no failure, nothing said, and the caller
 * runs another at once. */
static bool
round_once(struct agent *a, int *failures)
{
	struct client_report r;
	char *cause = NULL;
	pthread_mutex_lock(&a->lock);
	a->round_from = round_now();
	a->round_slept = util_slept_ms();
	a->slept = false;
	int64_t round = ++a->begun;
	pthread_mutex_unlock(&a->lock);
	enum client_status rc = client_round(a->store, &a->o, &r, &cause);
	pthread_mutex_lock(&a->lock);
	bool slept = a->slept && !a->stop;
	if (slept)
		a->round_from = 0;
	pthread_mutex_unlock(&a->lock);
	if (slept) {
		free(cause);
		return true;
	}
	int64_t n = 0;
	bool counted = repl_waiting(a->store, &n, NULL) == 0, is_short = false;
	(void)repl_list_short(a->store, &is_short, NULL);

	pthread_mutex_lock(&a->lock);
	int64_t last_heard = a->round_from; /* the round's start, or the hub's last answer */
	a->round_from = 0;
	a->st.online = rc == CLIENT_OK || rc == CLIENT_LOCAL;
	a->st.refused = rc == CLIENT_REFUSED;
	a->st.untrusted = rc != CLIENT_OK && r.untrusted;
	a->st.portal = rc != CLIENT_OK && r.portal;
	/* A round that reached the hub (refused, or this database failing,
	 * are not the network's doing) ends what the network did. */
	if (rc == CLIENT_UNREACHABLE) {
		if (a->unreached_from == 0 || merge_unreached_anew(a->st.unreached, r.unreached))
			a->unreached_from = last_heard;
		a->st.unreached = r.unreached;
	} else {
		a->unreached_from = 0;
		a->st.unreached = MERGE_UNREACHED_NONE;
	}
	if (counted)
		a->st.waiting = n;
	a->st.list_short = is_short;
	a->st.pulled += r.pulled.guests + r.pulled.checkins;
	if (rc == CLIENT_OK) {
		a->st.last_ok = store_now(a->store);
		a->st.rounds++;
		a->st.error[0] = '\0';
	} else {
		snprintf(a->st.error, sizeof a->st.error, "%s", cause ? cause : "sync failed");
	}
	a->done = round;
	pthread_cond_broadcast(&a->ended);
	pthread_mutex_unlock(&a->lock);
	*failures = rc == CLIENT_OK ? 0 : *failures + 1;
	free(cause);
	return false;
}

static void *
run(void *arg)
{
	struct agent *a = arg;
	int failures = 0;
	bool sync_now = true;
	struct timespec until;
	/* util_boot_ms() when the last round began: the boot clock, so that
	 * after a sleep a kick (the door woken, a scan) finds the last try
	 * as old as it is, not seconds old as the monotonic clock says */
	int64_t tried = 0;

	for (;;) {
		/* The next round is due a back-off after the last one, not after
		 * the last kick: a door scanning a guest a second kicks more
		 * often than it backs off, and never tried the hub again. */
		if (sync_now) {
			do
				tried = util_boot_ms();
			while (round_once(a, &failures));
			util_deadline(&until, CLOCK_MONOTONIC, merge_retry_ms(failures, a->every_ms));
		} else {
			count_waiting(a);
		}
		pthread_mutex_lock(&a->lock);
		int w = 0;
		while (!a->stop && !a->kicked && w != ETIMEDOUT)
			w = pthread_cond_timedwait(&a->wake, &a->lock, &until);
		bool stop = a->stop, kicked = a->kicked, flush = a->flush;
		a->kicked = false;
		a->flush = false;
		pthread_mutex_unlock(&a->lock);
		if (stop)
			break;
		/* A kick while the hub is away tries it only if the last try is
		 * a few seconds old (merge_kick_retries); else it recounts, and
		 * the next try comes when the back-off says. */
		sync_now = !kicked || flush ||
		    merge_kick_retries(failures, util_boot_ms() - tried, a->every_ms);
	}
	return NULL;
}

static void
agent_free(struct agent *a)
{
	pthread_cond_destroy(&a->wake);
	pthread_cond_destroy(&a->ended);
	pthread_mutex_destroy(&a->lock);
	store_close(a->store);
	free(a->url);
	free(a->token);
	free(a->cafile);
	free(a);
}

/* The client's answer hook: a long round that the hub keeps answering (a
 * start-over, a big backlog) is not a hanging one; and a hub that answers
 * is reached, whatever the round's end (the admin screen's advice goes
 * at once, not after the round). */
static void
answered(void *arg)
{
	struct agent *a = arg;
	pthread_mutex_lock(&a->lock);
	if (a->round_from != 0)
		a->round_from = round_now();
	a->unreached_from = 0;
	a->st.unreached = MERGE_UNREACHED_NONE;
	pthread_mutex_unlock(&a->lock);
}

/* The client's abort hook: a stopping app does not wait out a transfer,
 * nor a door woken from a sleep one begun before it (merge_round_slept). */
static bool
stopping(void *arg)
{
	struct agent *a = arg;
	pthread_mutex_lock(&a->lock);
	if (!a->stop && a->round_from != 0 && merge_round_slept(a->round_slept, util_slept_ms()))
		a->slept = true;
	bool stop = a->stop || a->slept;
	pthread_mutex_unlock(&a->lock);
	return stop;
}

int
agent_start(const char *db_path, const struct client_options *o, int64_t every_ms,
    struct agent **out, char **cause)
{
	struct agent *a = xcalloc(1, sizeof *a);
	pthread_condattr_t ca;

	if (store_open(db_path, 0, NULL, &a->store, cause) != 0) {
		free(a);
		return -1;
	}
	store_set_relaxed(a->store); /* it writes only what the hub keeps */
	a->url = xstrdup(o->url);
	a->token = xstrdup(o->token);
	a->cafile = xstrdup(o->cafile ? o->cafile : "");
	a->o = *o;
	a->o.url = a->url;
	a->o.token = a->token;
	a->o.cafile = a->cafile;
	a->o.abort = stopping;
	a->o.answered = answered;
	a->o.abort_arg = a;
	a->every_ms = every_ms;
	pthread_mutex_init(&a->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&a->wake, &ca);
	pthread_cond_init(&a->ended, &ca);
	pthread_condattr_destroy(&ca);
	count_waiting(a);
	if (pthread_create(&a->thread, NULL, run, a) != 0) {
		util_fail(cause, "cannot start the sync thread");
		agent_free(a);
		return -1;
	}
	*out = a;
	return 0;
}

void
agent_kick(struct agent *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->kicked = true;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
}

bool
agent_flush(struct agent *a, int64_t timeout_ms)
{
	struct timespec until;
	util_deadline(&until, CLOCK_MONOTONIC, timeout_ms);
	pthread_mutex_lock(&a->lock);
	/* The round under way may have begun before what is to be sent was
	 * written: wait for the next to begin, and end. */
	int64_t want = a->begun + 1;
	a->kicked = true;
	a->flush = true;
	pthread_cond_signal(&a->wake);
	int w = 0;
	while (a->done < want && !a->stop && w != ETIMEDOUT)
		w = pthread_cond_timedwait(&a->ended, &a->lock, &until);
	bool ended = a->done >= want;
	pthread_mutex_unlock(&a->lock);
	return ended;
}

void
agent_state(struct agent *a, struct agent_state *st)
{
	pthread_mutex_lock(&a->lock);
	*st = a->st;
	st->round_ms = a->round_from != 0 ? round_now() - a->round_from : 0;
	st->unreached_ms = a->unreached_from != 0 ? round_now() - a->unreached_from : 0;
	pthread_mutex_unlock(&a->lock);
}

void
agent_stop_soon(struct agent *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->wake);
	pthread_cond_broadcast(&a->ended); /* an agent_flush gives up waiting */
	pthread_mutex_unlock(&a->lock);
}

void
agent_stop(struct agent *a)
{
	if (a == NULL)
		return;
	agent_stop_soon(a);
	pthread_join(a->thread, NULL);
	agent_free(a);
}
