/* Tests for tally: the door's figures counted on a thread of its own. What
 * door staff notice: the idle screen's "N checked in" follows the door's
 * own check-ins and those that arrive by sync (another connection's
 * commits), without the screen's thread counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "core/checkin.h"
#include "core/guest.h"
#include "core/import.h"
#include "testutil.h"
#include "ui/tally.h"

/* The next figures the tally gives, waiting up to 5 s for them. */
static bool
next_figures(struct tally *t, struct door_stats *st)
{
	for (int i = 0; i < 500; i++) {
		if (tally_take(t, st))
			return true;
		struct timespec ms10 = { 0, 10 * 1000000L };
		nanosleep(&ms10, NULL);
	}
	return false;
}

/* At an event of days (tally_set_each_day), "in the last hour" counts a
 * guest back for a second day, as the door and the live page do: the
 * counting thread's own connection is told too. */
static void
test_last_hour_of_an_event_of_days(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nAnn,Aerts,1001\n"),
	    0);
	int64_t now = store_now(fx->s);
	char *sql = xasprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk) SELECT"
	    " 'before', uuid, 'in', %lld, 'Door 1' FROM guest; INSERT INTO checkin (uuid,"
	    " guest_uuid, kind, at, kiosk) SELECT 'today', uuid, 'in', %lld, 'Door 1' FROM guest",
	    (long long)(now - 3 * 24 * 3600 * 1000LL), (long long)(now - 60000));
	assert_int_equal(sqlite3_exec(store_db(fx->s), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	char *cause = NULL;
	struct tally *t = tally_start(store_path(fx->s), 20, &cause);
	assert_non_null(t);
	struct door_stats st;
	assert_true(next_figures(t, &st));
	assert_int_equal(st.checked_in, 1);
	assert_int_equal(st.last_hour, 0); /* one event: she arrived days ago */
	tally_set_each_day(t, true);
	assert_true(next_figures(t, &st));
	assert_int_equal(st.checked_in, 1);
	assert_int_equal(st.last_hour, 1); /* today's first entry */
	tally_stop(t);
}

static void
test_figures_follow_the_file(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\n"
	    "Ann,Aerts,1001\nBob,Bos,1002\n"
	    "Cas,Claes,1003\n"), 0);

	char *cause = NULL;
	struct tally *t = tally_start(store_path(fx->s), 20, &cause);
	assert_non_null(t);
	struct door_stats st;
	assert_true(next_figures(t, &st)); /* the first look counts */
	assert_int_equal(st.registered, 3);
	assert_int_equal(st.checked_in, 0);
	assert_false(tally_take(t, &st)); /* taken: nothing new */

	/* A check-in on the door's own connection, then a walk-in. */
	const struct checkin_policy pol = { 0 };
	struct checkin_outcome o;
	assert_int_equal(checkin_scan(fx->s, "1002", 4, "Door 1", &pol, store_now(fx->s), &o,
	    &cause), 0);
	assert_int_equal(o.result, CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	assert_true(next_figures(t, &st));
	assert_int_equal(st.checked_in, 1);
	assert_int_equal(st.last_hour, 1);
	struct guest_fields w = { .first_name = "Walk", .last_name = "In" };
	struct guest g;
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	assert_true(next_figures(t, &st));
	assert_int_equal(st.registered, 4);
	assert_int_equal(st.walkins, 1);
	/* A scan coming in: no count starts meanwhile, however kicked. */
	tally_quiet(t, 600);
	assert_int_equal(guest_add_walkin(fx->s, &w, "Door 1", &g, NULL), 0);
	guest_clear(&g);
	tally_kick(t);
	struct timespec ms200 = { 0, 200 * 1000000L };
	nanosleep(&ms200, NULL);
	assert_false(tally_take(t, &st));
	assert_true(next_figures(t, &st));
	assert_int_equal(st.registered, 5);
	tally_stop(t);
	tally_stop(NULL);
}

/* "In the last hour" on the door's clock: an offset from the hub learnt
 * after the tally started (the first sync of a laptop two hours fast)
 * counts, as the door itself records its check-ins by it: on this
 * computer's clock the check-in was two hours ago. */
static void
test_last_hour_on_the_clock_learnt_since(void **state)
{
	struct tu_fixture *fx = *state;
	assert_int_equal(tu_import_csv(fx->s, "First Name,Last Name,Barcode #\nAnn,Aerts,1001\n"), 0);
	char *cause = NULL;
	struct tally *t = tally_start(store_path(fx->s), 20, &cause);
	assert_non_null(t);
	struct door_stats st;
	assert_true(next_figures(t, &st));
	/* The hub says this computer is two hours fast. */
	const int64_t offset = -2 * 3600 * 1000;
	assert_int_equal(store_begin(fx->s, &cause), 0);
	assert_int_equal(store_clock_set(fx->s, offset, &cause), 0);
	assert_int_equal(store_commit(fx->s, &cause), 0);
	const struct checkin_policy pol = { 0 };
	struct checkin_outcome o;
	assert_int_equal(checkin_scan(fx->s, "1001", 4, "Door 1", &pol, store_now_fresh(fx->s), &o,
	    &cause), 0);
	assert_int_equal(o.result, CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	tally_kick(t);
	for (int i = 0; i < 5 && next_figures(t, &st) && st.checked_in == 0; i++)
		;
	assert_int_equal(st.checked_in, 1);
	assert_int_equal(st.last_hour, 1);
	tally_stop(t);
}

/* No file to count: no thread, and the caller counts as before. */
static void
test_no_file_no_tally(void **state)
{
	struct tu_fixture *fx = *state;
	char *cause = NULL, *path = xasprintf("%s/none.db", fx->dir);
	assert_null(tally_start(path, 20, &cause));
	assert_non_null(cause);
	free(cause);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_last_hour_of_an_event_of_days, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_figures_follow_the_file, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_last_hour_on_the_clock_learnt_since, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_no_file_no_tally, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
