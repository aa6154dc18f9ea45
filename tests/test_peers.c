/* Tests for peers: what the hub keeps for its doors when strangers hold
 * connections open a header line at a time. What a door notices: its
 * request is answered however many such connections there are; a door or
 * an organiser already known is never cut, nor a request being answered.
 * And the live page's test of a form sent by another site. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

#include "sync/live.h"
#include "sync/peers.h"

/* A connected pair: [0] plays the hub's side, [1] the client's. */
struct pair {
	int fd[2];
};

static void
pair_open(struct pair *p)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, p->fd), 0);
}

static void
pair_close(struct pair *p)
{
	close(p->fd[0]);
	close(p->fd[1]);
}

/* Was the hub's side shut down? Its client then reads the end. */
static bool
was_cut(struct pair *p)
{
	char c;
	ssize_t n = recv(p->fd[1], &c, 1, MSG_DONTWAIT);
	return n == 0;
}

#define T0 100000 /* ms: any monotonic time */
#define OLD (T0 + PEERS_GRACE_MS) /* past the grace of one added at T0 */

static void
test_oldest_idle_stranger_is_cut(void **state)
{
	(void)state;
	struct peers *ps = peers_new(3, 16, false);
	struct pair p[5];
	struct peer *c[5];
	for (int i = 0; i < 3; i++) {
		pair_open(&p[i]);
		c[i] = peers_add(ps, p[i].fd[0], "10.0.0.66", T0 + i);
	}
	/* Over the limit, past the first second: the oldest two go. */
	for (int i = 3; i < 5; i++) {
		pair_open(&p[i]);
		c[i] = peers_add(ps, p[i].fd[0], "10.0.0.66", OLD + 10);
	}
	assert_true(was_cut(&p[0]));
	assert_true(was_cut(&p[1]));
	for (int i = 2; i < 5; i++)
		assert_false(was_cut(&p[i]));
	assert_int_equal(peers_untrusted(ps), 3);
	assert_int_equal(peers_cut(ps), 2);
	/* MHD closes the cut ones: they count no more. */
	peers_remove(ps, c[0]);
	peers_remove(ps, c[1]);
	assert_int_equal(peers_untrusted(ps), 3);
	for (int i = 2; i < 5; i++)
		peers_remove(ps, c[i]);
	assert_int_equal(peers_untrusted(ps), 0);
	for (int i = 0; i < 5; i++)
		pair_close(&p[i]);
	peers_free(ps);
}

/* A door's connection is new when a flood comes (its TLS handshake under
 * way): never cut in its first second, and the cut falls on the address
 * holding the most strangers, not on the door's one. */
static void
test_new_ones_and_lone_addresses_are_spared(void **state)
{
	(void)state;
	struct peers *ps = peers_new(2, 16, false);
	struct pair door, a1, a2, a3;
	pair_open(&door);
	pair_open(&a1);
	pair_open(&a2);
	pair_open(&a3);
	struct peer *cd = peers_add(ps, door.fd[0], "192.168.1.20", T0);
	struct peer *c1 = peers_add(ps, a1.fd[0], "10.6.6.6", T0 + 1);
	struct peer *c2 = peers_add(ps, a2.fd[0], "10.6.6.6", T0 + 2); /* 3 > 2, all new */
	assert_int_equal(peers_cut(ps), 0);
	/* A second on: the door is the oldest, but 10.6.6.6 holds two. */
	struct peer *c3 = peers_add(ps, a3.fd[0], "10.6.6.6", OLD + 5);
	assert_false(was_cut(&door));
	assert_true(was_cut(&a1));
	assert_true(was_cut(&a2));
	assert_false(was_cut(&a3)); /* itself new */
	peers_remove(ps, c1);
	peers_remove(ps, c2);
	peers_remove(ps, c3);
	peers_remove(ps, cd);
	pair_close(&door);
	pair_close(&a1);
	pair_close(&a2);
	pair_close(&a3);
	peers_free(ps);
}

static void
test_doors_and_answers_are_never_cut(void **state)
{
	(void)state;
	struct peers *ps = peers_new(1, 16, false);
	struct pair door, busy, s1, s2;
	pair_open(&door);
	pair_open(&busy);
	pair_open(&s1);
	pair_open(&s2);
	struct peer *cd = peers_add(ps, door.fd[0], "10.0.0.2", T0);
	peers_trust(ps, cd);                          /* showed its token */
	struct peer *cb = peers_add(ps, busy.fd[0], "10.0.0.3", T0);
	peers_busy(ps, cb, true);                     /* being answered */
	struct peer *c1 = peers_add(ps, s1.fd[0], "10.0.0.4", T0);
	peers_enforce(ps, OLD);                       /* two strangers: one too many */
	assert_false(was_cut(&door));
	assert_false(was_cut(&busy));
	assert_true(was_cut(&s1));
	/* Answered, the busy one is an idle stranger like any other. */
	peers_busy(ps, cb, false);
	struct peer *c2 = peers_add(ps, s2.fd[0], "10.0.0.5", OLD);
	peers_enforce(ps, OLD + 10);
	assert_true(was_cut(&busy));
	assert_false(was_cut(&door));
	assert_false(was_cut(&s2));
	peers_remove(ps, c1);
	peers_remove(ps, cb);
	peers_remove(ps, c2);
	peers_remove(ps, cd);
	assert_int_equal(peers_untrusted(ps), 0);
	pair_close(&door);
	pair_close(&busy);
	pair_close(&s1);
	pair_close(&s2);
	peers_free(ps);
}

/* All strangers busy: nothing to cut, the new one is let in anyway. */
static void
test_all_busy_cuts_none(void **state)
{
	(void)state;
	struct peers *ps = peers_new(1, 16, false);
	struct pair a, b;
	pair_open(&a);
	pair_open(&b);
	struct peer *ca = peers_add(ps, a.fd[0], "10.0.0.7", T0);
	peers_busy(ps, ca, true);
	struct peer *cb = peers_add(ps, b.fd[0], "10.0.0.8", OLD);
	peers_busy(ps, cb, true);
	peers_enforce(ps, OLD + PEERS_GRACE_MS);
	assert_false(was_cut(&a));
	assert_false(was_cut(&b));
	assert_int_equal(peers_untrusted(ps), 2);
	peers_remove(ps, ca);
	peers_remove(ps, cb);
	pair_close(&a);
	pair_close(&b);
	peers_free(ps);
}

/* With no new connection to cut at (libmicrohttpd's limit full), the
 * thread cuts strangers once they are past their first second. */
static void
test_the_thread_cuts_without_new_connections(void **state)
{
	(void)state;
	struct peers *ps = peers_new(1, 16, true);
	struct pair a, b;
	pair_open(&a);
	pair_open(&b);
	int64_t now = util_mono_ms();
	struct peer *ca = peers_add(ps, a.fd[0], "10.0.0.9", now);
	struct peer *cb = peers_add(ps, b.fd[0], "10.0.0.9", now);
	assert_false(was_cut(&a));
	bool cut = false;
	for (int i = 0; i < 300 && !cut; i++) { /* up to 3 s */
		struct timespec ms10 = { 0, 10 * 1000000L };
		nanosleep(&ms10, NULL);
		cut = was_cut(&a);
	}
	assert_true(cut);
	assert_false(was_cut(&b));
	peers_remove(ps, ca);
	peers_remove(ps, cb);
	pair_close(&a);
	pair_close(&b);
	peers_free(ps);
}

static void
test_cross_site_forms(void **state)
{
	(void)state;
	/* The page's own button: same origin, or a browser that says none. */
	assert_false(live_cross_site("same-origin", "http://10.0.0.2:8080", "10.0.0.2:8080"));
	assert_false(live_cross_site("none", NULL, "10.0.0.2:8080"));
	/* Another site's hidden form, by what the browser says. */
	assert_true(live_cross_site("cross-site", "http://evil.example", "10.0.0.2:8080"));
	assert_true(live_cross_site("same-site", "http://10.0.0.2:9999", "10.0.0.2:8080"));
	/* A browser that sends only Origin. */
	assert_false(live_cross_site(NULL, "http://10.0.0.2:8080", "10.0.0.2:8080"));
	assert_false(live_cross_site(NULL, "HTTP://Hub.Local:8080", "hub.local:8080"));
	assert_true(live_cross_site(NULL, "http://evil.example", "10.0.0.2:8080"));
	assert_true(live_cross_site(NULL, "http://10.0.0.2:8081", "10.0.0.2:8080"));
	/* "null": what an older browser sends for the page's own form
	 * under a no-referrer policy; SameSite=Strict guards the session */
	assert_false(live_cross_site(NULL, "null", "10.0.0.2:8080"));
	assert_true(live_cross_site("cross-site", "null", "10.0.0.2:8080"));
	/* curl, a script: no word of it either way, as before. */
	assert_false(live_cross_site(NULL, NULL, "10.0.0.2:8080"));
	assert_false(live_cross_site(NULL, NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oldest_idle_stranger_is_cut),
		cmocka_unit_test(test_new_ones_and_lone_addresses_are_spared),
		cmocka_unit_test(test_the_thread_cuts_without_new_connections),
		cmocka_unit_test(test_doors_and_answers_are_never_cut),
		cmocka_unit_test(test_all_busy_cuts_none),
		cmocka_unit_test(test_cross_site_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
