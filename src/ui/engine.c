/* engine: the door's operations on an event store (see engine.h). */
#include "ui/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/attend.h"
#include "core/code.h"
#include "core/guest.h"
#include "core/ktime.h"
#include "core/secret.h"
#include "core/util.h"

/* The sync thread has a connection of its own: the clock offset it learns
 * is read again here, before the time of a scan is taken. */
static int64_t
engine_now(const struct engine *e)
{
	return e->now != NULL ? e->now() : store_now_fresh(e->store);
}

static void
changed(const struct engine *e)
{
	if (e->on_change != NULL)
		e->on_change(e->arg);
}

static int
op_checkin(void *ctx, const char *code, size_t len, struct checkin_outcome *o, char **cause)
{
	struct engine *e = ctx;
	int rc = checkin_scan(e->store, code, len, e->kiosk, &e->policy, engine_now(e), o, cause);
	if (rc == 0)
		changed(e); /* every scan is a record, refusals too */
	return rc;
}

static int
op_undo(void *ctx, const char *code, const char *checkin_uuid, bool *out, char **cause)
{
	struct engine *e = ctx;
	struct checkin_outcome o;
	int rc = checkin_undo_admission(e->store, code, checkin_uuid, e->kiosk, engine_now(e),
	    &o, cause);
	*out = rc == 0 && o.arrival;
	checkin_outcome_clear(&o);
	if (rc == 0)
		changed(e);
	if (rc == 1)
		return util_fail(cause, "nothing to undo");
	return rc;
}

struct hits {
	struct engine *e;
	struct door_hit *out;
	int max, n;
};

static int
add_hit(const struct guest *g, void *arg)
{
	struct hits *h = arg;
	struct guest_state st;
	if (h->n >= h->max)
		return 1;
	struct door_hit *d = &h->out[h->n++];
	char *name = guest_display_name(g);
	snprintf(d->code, sizeof d->code, "%s", g->code);
	snprintf(d->name, sizeof d->name, "%s", name);
	snprintf(d->detail, sizeof d->detail, "%s%s%s", g->ticket_type,
	    g->ticket_type[0] && g->company[0] ? " · " : "", g->company);
	/* What tells namesakes apart when that does not (two walk-ins of one
	 * name, with no company): the screen shows it only then. */
	snprintf(d->email, sizeof d->email, "%s", g->email);
	d->walkin_at[0] = '\0';
	int64_t added;
	if (strcmp(g->source, "walkin") == 0 && guest_added_at(h->e->store, g->id, &added,
	    NULL) == 1) {
		char when[KTIME_BUF];
		ktime_when(added, engine_now(h->e), when);
		snprintf(d->walkin_at, sizeof d->walkin_at, "%s", when);
	}
	d->cancelled = g->cancelled;
	/* in, and at an event of days in today (as checkin_scan decides) */
	int64_t since = checkin_counted_since(h->e->policy.each_day, engine_now(h->e));
	d->checked_in = guest_state(h->e->store, g->uuid, since, &st, NULL) == 0 && st.inside &&
	    st.ins_since > 0;
	free(name);
	return 0;
}

static int
op_search(void *ctx, const char *query, struct door_hit *hits, int max, int *n, bool *more,
    char **cause)
{
	struct engine *e = ctx;
	struct hits h = { e, hits, max, 0 };
	if (guest_search_more(e->store, query, max, add_hit, &h, more, cause) < 0)
		return -1;
	*n = h.n;
	return 0;
}

static int
op_walkin(void *ctx, const char *const fields[4], const char *language, char **code,
    char **cause)
{
	struct engine *e = ctx;
	struct guest_fields f = { .first_name = fields[0], .last_name = fields[1],
	    .email = fields[2], .company = fields[3], .language = language };
	struct guest g;
	if (guest_add_walkin(e->store, &f, e->kiosk, &g, cause) != 0)
		return -1;
	changed(e);
	*code = xstrdup(g.code);
	guest_clear(&g);
	return 0;
}

static bool
op_pin_ok(void *ctx, const char *pin)
{
	struct engine *e = ctx;
	return e->pin_hash != NULL && e->pin_hash[0] != '\0' && secret_verify(e->pin_hash, pin);
}

/* Whether some guest holds the code (as the check-in would read it). */
static bool
op_known(void *ctx, const char *code, size_t len)
{
	struct engine *e = ctx;
	char *norm = NULL;
	struct guest g;
	bool found = code_normalize(code, len, &norm) == CODE_OK &&
	    guest_find_by_scanned(e->store, norm, &g, NULL) == 1;
	if (found)
		guest_clear(&g);
	free(norm);
	return found;
}

static int
op_stats(void *ctx, struct door_stats *st)
{
	struct engine *e = ctx;
	struct attend_counts c;
	if (attend_counts(e->store, engine_now(e), &c, NULL) != 0)
		return -1;
	door_stats_counted(st, &c, store_each_day(e->store));
	return 0;
}

static void
op_feedback(void *ctx, bool good)
{
	struct engine *e = ctx;
	if (e->on_feedback != NULL)
		e->on_feedback(e->arg, good);
}

static void
op_configure(void *ctx, const struct door_config *cfg)
{
	struct engine *e = ctx;
	e->policy.exit_mode = cfg->exit_mode;
	if (e->on_config != NULL)
		e->on_config(e->arg, cfg);
}

/* A lookup that fails says "not listed": the walk-in is registered, as
 * before this check was made. */
static int
op_listed(void *ctx, const char *const fields[4])
{
	struct engine *e = ctx;
	struct guest g;
	char *cause = NULL;
	int found = guest_find_twin(e->store, fields[0], fields[1], fields[2], 0, &g, &cause);
	free(cause);
	if (found <= 0)
		return 0;
	guest_clear(&g);
	/* the name when it is theirs (search finds them), else the e-mail */
	return found == GUEST_TWIN_NAME ? DOOR_LISTED_NAME : DOOR_LISTED_EMAIL;
}

const struct door_ops engine_ops = {
	op_checkin, op_undo, op_search, op_walkin, op_pin_ok, op_known, op_stats, op_feedback,
	op_configure, op_listed,
};
