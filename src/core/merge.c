/* merge: the rules by which kiosks and the hub agree (see merge.h). */
#include "core/merge.h"

#include <string.h>

/* The longest wait between tries while the hub is away. A door no guest
 * scans at learns of the others' check-ins only when it tries again: at a
 * minute, a guest admitted at one door after the hub's restart could be
 * admitted again at a quiet one 58 s later (measured with 12 doors and a
 * hub down 75 s). A dozen doors trying every 15 s is nothing to a hub. */
#define RETRY_MAX_MS 15000

bool
merge_guest_wins(int64_t in_at, const char *in_by, int64_t have_at, const char *have_by)
{
	if (in_at != have_at)
		return in_at > have_at;
	/* Same millisecond on two machines: the writer's name breaks the tie,
	 * so that every node picks the same copy whatever order they came in. */
	return strcmp(in_by ? in_by : "", have_by ? have_by : "") > 0;
}

bool
merge_cancel_wins(int64_t in_at, bool in_cancelled, int64_t have_at, bool have_cancelled)
{
	if (in_at != have_at)
		return in_at > have_at;
	return in_cancelled && !have_cancelled;
}

enum merge_forget
merge_forget(const struct merge_copy *in, int64_t in_forgotten_at,
    const struct merge_copy *have, int64_t have_forgotten_at)
{
	if (have_forgotten_at == 0)
		return in_forgotten_at != 0 ? MERGE_FORGET_TAKE : MERGE_FORGET_NONE;
	if (!merge_guest_wins(in->updated_at, in->by, have->updated_at, have->by))
		return MERGE_FORGET_KEEP;
	return in_forgotten_at != 0 ? MERGE_FORGET_TAKE : MERGE_FORGET_RESEND;
}

static bool
same_fields(const struct merge_copy *a, const struct merge_copy *b)
{
	return a->fields_at == b->fields_at;
}

struct merge_plan
merge_guest_plan(const struct merge_copy *in, const struct merge_copy *have)
{
	struct merge_plan p = { 0 };
	/* One stamp and writer: one write, whatever its fields_at says (an
	 * older hub sends a door's copy back without it). */
	bool same_write = in->updated_at == have->updated_at &&
	    strcmp(in->by ? in->by : "", have->by ? have->by : "") == 0;
	p.fields = !same_write && in->fields_at > have->fields_at;
	p.cancel = merge_cancel_wins(in->cancelled_at, in->cancelled, have->cancelled_at,
	    have->cancelled);
	/* The copy the result would be as it stands: the later one whole. A
	 * later stamp of the same cancellation (same value) is no difference
	 * between them: taking it changes what nobody sees. */
	bool in_later = merge_guest_wins(in->updated_at, in->by, have->updated_at, have->by);
	const struct merge_copy *later = in_later ? in : have;
	const struct merge_copy *fields_of = p.fields ? in : have;
	const struct merge_copy *cancel_of = p.cancel ? in : have;
	bool fields_as_later = fields_of == later || same_fields(in, have);
	bool cancel_as_later = cancel_of == later || in->cancelled == have->cancelled;
	p.news = !(fields_as_later && cancel_as_later);
	return p;
}

int64_t
merge_stamp(int64_t now, int64_t previous)
{
	if (now <= previous)
		now = previous + 1;
	return now < MERGE_TIME_MAX ? now : MERGE_TIME_MAX;
}

int64_t
merge_pushed_stamp(int64_t stamp, int64_t have)
{
	if (stamp <= MERGE_PUSH_MAX || (have > 0 && stamp - have <= MERGE_PUSH_STEP))
		return stamp;
	return MERGE_PUSH_MAX - MERGE_PUSH_STEP;
}

bool
merge_hub_lost(int64_t cursor_guests, int64_t head_guests, const char *ours, bool hub_said,
    const char *hub_checkin)
{
	if (head_guests >= 0 && cursor_guests > head_guests)
		return true;
	if (ours == NULL || ours[0] == '\0' || !hub_said)
		return false;
	return hub_checkin == NULL || strcmp(ours, hub_checkin) != 0;
}

void
merge_clock_sample(struct merge_clock *best, int64_t t0, int64_t t1, int64_t hub_now)
{
	if (t1 < t0)
		return; /* the local clock stepped back during the request: no sample */
	/* A hub whose own clock is lost (restarted at 1970, or at 2000-01-01)
	 * would put every door's records there, before all the event holds:
	 * keep the doors' own. */
	if (hub_now < MERGE_CLOCK_MIN || hub_now > MERGE_TIME_MAX)
		return;
	int64_t rtt = t1 - t0;
	if (best->valid && rtt >= best->rtt)
		return;
	/* t0 + rtt / 2 without overflow concerns: times are ~1.8e12. */
	best->offset = hub_now - (t0 + rtt / 2);
	best->rtt = rtt;
	best->valid = true;
}

bool
merge_clock_news(const struct merge_clock *c, bool have, int64_t stored)
{
	if (!c->valid)
		return false;
	if (!have)
		return true;
	int64_t d = c->offset - stored;
	return d > MERGE_CLOCK_SLACK_MS || d < -MERGE_CLOCK_SLACK_MS;
}

bool
merge_pull_again(bool more, int64_t pushing, int64_t waited_ms)
{
	return more || (pushing > 0 && waited_ms < MERGE_PULL_WAIT_MS);
}

int64_t
merge_pull_pause_ms(int n)
{
	return n <= 0 ? 50 : n == 1 ? 100 : n == 2 ? 200 : 400;
}

bool
merge_more_to_push(int64_t waiting, int64_t held)
{
	return waiting > held;
}

int64_t
merge_retry_ms(int failures, int64_t every_ms)
{
	if (failures <= 0)
		return every_ms;
	int64_t wait = 1000;
	for (int i = 1; i < failures && wait < RETRY_MAX_MS; i++)
		wait *= 2;
	if (wait > RETRY_MAX_MS)
		wait = RETRY_MAX_MS;
	return wait < every_ms ? every_ms : wait;
}

bool
merge_kick_retries(int failures, int64_t since_try_ms, int64_t every_ms)
{
	if (failures <= 0)
		return true;
	return since_try_ms >= (every_ms > MERGE_KICK_RETRY_MS ? every_ms : MERGE_KICK_RETRY_MS);
}

bool
merge_round_slept(int64_t slept_at_start, int64_t slept_now)
{
	return slept_now - slept_at_start > MERGE_SLEPT_MS;
}

enum merge_link
merge_link(bool refused, bool online, int64_t round_ms)
{
	if (round_ms > MERGE_ROUND_STUCK_MS)
		return MERGE_LINK_OFFLINE;
	if (refused)
		return MERGE_LINK_REFUSED;
	return online ? MERGE_LINK_ONLINE : MERGE_LINK_OFFLINE;
}

bool
merge_unreached_said(enum merge_unreached why, enum merge_link link, int64_t unreached_ms)
{
	return why != MERGE_UNREACHED_NONE && link == MERGE_LINK_OFFLINE &&
	    unreached_ms > MERGE_UNREACHED_SAY_MS;
}

bool
merge_unreached_anew(enum merge_unreached was, enum merge_unreached why)
{
	return why == MERGE_UNREACHED_WANTS_HTTPS && was != MERGE_UNREACHED_WANTS_HTTPS;
}
