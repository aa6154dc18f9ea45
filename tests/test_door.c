/* Tests for door: which screen, what it shows, when it times out, who may
 * reach what, driven like the app drives it, on a real event store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/attend.h"
#include "core/guest.h"
#include "testutil.h"
#include "ui/door.h"
#include "ui/engine.h"

#define T0 1000u

struct fx {
	struct tu_fixture base;
	struct engine eng;
	struct door *door;
	char zoe[64];
	char *pin_hash;
	int good, bad;          /* tones played */
	int64_t clock;
};

static struct fx *current;

static int64_t
fake_now(void)
{
	return current->clock;
}

static void
tone(void *arg, bool good)
{
	struct fx *f = arg;
	if (good)
		f->good++;
	else
		f->bad++;
}

/* Staff type the PIN (2468) at a, and Enter at b. */
static void
enter_pin(struct fx *f, uint32_t a, uint32_t b)
{
	door_text(f->door, "2468", a);
	door_key(f->door, DOOR_KEY_ENTER, b);
}

static struct door *
make_door(struct fx *f, bool pin, int result_ms)
{
	struct door_config cfg = { result_ms, false, true, 0, pin, true, false };
	door_free(f->door);
	f->eng.pin_hash = pin ? f->pin_hash : "";
	f->door = door_new(&engine_ops, &f->eng, &cfg);
	return f->door;
}

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	void *base = &f->base;
	if (tu_setup(&base) != 0)
		return -1;
	f->base = *(struct tu_fixture *)base;
	free(base);
	struct guest_fields zf = { .first_name = "Zoë", .last_name = "Çelik",
	    .ticket_type = "Student" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &zf, "Desk", &g, NULL), 0);
	snprintf(f->zoe, sizeof f->zoe, "%s", g.code);
	guest_clear(&g);
	f->pin_hash = tu_pin_hash("2468");
	assert_non_null(f->pin_hash);
	f->clock = 1782838800000LL;
	f->eng.store = f->base.s;
	f->eng.kiosk = "Door 1";
	f->eng.now = fake_now;
	f->eng.on_feedback = tone;
	f->eng.arg = f;
	current = f;
	make_door(f, true, 4000);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	door_free(f->door);
	free(f->pin_hash);
	store_close(f->base.s);
	tu_rmdir(f->base.dir);
	free(f);
	return 0;
}

static struct door_view
view(struct fx *f)
{
	struct door_view v;
	door_view(f->door, &v);
	return v;
}

/* The app's sync thread, on a connection of its own, learns that this
 * computer is two hours slow: the next scan is on the hub's clock already. */
static void
test_scan_takes_the_clock_the_sync_thread_learnt(void **state)
{
	struct fx *f = *state;
	struct store *agent = NULL;
	char *cause = NULL, *path = xasprintf("%s/event.db", f->base.dir);
	f->eng.now = NULL; /* the store's clock, as in the app */
	assert_int_equal(store_open(path, 0, NULL, &agent, &cause), 0);
	assert_int_equal(store_begin(agent, &cause), 0);
	assert_int_equal(store_state_set(agent, STORE_STATE_CLOCK_OFFSET, 7200000, &cause), 0);
	assert_int_equal(store_commit(agent, &cause), 0);
	store_close(agent);
	int64_t before = util_now_ms() + 7200000;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	assert_true(tu_count(f->base.s, "SELECT at FROM checkin") >= before);
	free(path);
}

static void
test_scan_admits_then_times_out(void **state)
{
	struct fx *f = *state;
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_int_equal(view(f).stats->checked_in, 0);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_string_equal(v.outcome->guest.first_name, "Zoë");
	assert_true(v.can_undo);
	assert_int_equal(v.stats->checked_in, 1);
	assert_int_equal(f->good, 1);
	door_tick(f->door, T0 + 3999);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_tick(f->door, T0 + 4000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
}

/* A burst ended by Tab: "scan again" either way; a scanner set to send Tab
 * only when it is a guest's ticket (either reading), never for an e-mail
 * address a volunteer typed fast and Tabbed past in the walk-in form,
 * where "set suffix = tab" would stop every real scan. */
static void
test_tab_ended_burst_names_a_tab_scanner_only_for_a_ticket(void **state)
{
	struct fx *f = *state;
	assert_false(door_tab_scan(f->door, "amelie.lefevre@example.be", "", T0));
	assert_string_equal(view(f).notice, "scan_again");
	assert_false(door_tab_scan(f->door, "NOPE-123456", "", T0 + 10));
	assert_true(door_tab_scan(f->door, f->zoe, "", T0 + 20));
	assert_string_equal(view(f).notice, "scan_again");
	assert_true(door_tab_scan(f->door, "AQZW-NOBODY", f->zoe, T0 + 30));
	/* nobody checked in by it */
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin"), 0);
}

/* A burst too short for a scan, typed as fast as a scanner types: a
 * ticket's code (a form's own, under [scanner] min_length) is told from a
 * person's keys, for the admin screen to name the setting; nothing is
 * recorded or shown for it (its keys were typed already). */
static void
test_short_fast_burst_names_min_length_only_for_a_ticket(void **state)
{
	struct fx *f = *state;
	enum door_screen before = view(f).screen;
	assert_false(door_short_scan(f->door, "jan", ""));
	assert_false(door_short_scan(f->door, "", ""));
	assert_true(door_short_scan(f->door, f->zoe, ""));
	assert_true(door_short_scan(f->door, "AQZW-NOBODY", f->zoe));
	assert_int_equal(view(f).screen, before);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin"), 0);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan"), 0);
}

/* A volunteer who types faster than [scanner] max_gap_ms: the e-mail
 * address typed into the walk-in form, and a name typed into the search,
 * stay in their field (they were read as a scan, "scan again", and wiped);
 * a guest's ticket, or another event's, scanned meanwhile is a scan still. */
static void
test_fast_typing_stays_in_the_field(void **state)
{
	struct fx *f = *state;
	const char *mail = "jan.peeters@telenet.be";
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Jan", T0 + 10);
	door_key(f->door, DOOR_KEY_TAB, T0 + 20);
	door_text(f->door, "Peeters", T0 + 30);
	door_key(f->door, DOOR_KEY_TAB, T0 + 40);
	assert_int_equal(DOOR_BURST_TYPED, door_burst_typed(f->door, mail, "", mail, T0 + 50));
	door_key(f->door, DOOR_KEY_TAB, T0 + 60);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[2], mail);
	assert_int_equal(v.focus, 3);
	assert_null(v.notice);
	/* a guest scans meanwhile: their answer, then the form as it was */
	assert_int_equal(DOOR_BURST_SCAN, door_burst_typed(f->door, f->zoe, "", f->zoe, T0 + 70));
	assert_int_equal(DOOR_BURST_SCAN, door_burst_typed(f->door, "OTHER-ABCDEFGHJKMNPQRS0", "",
	    "OTHER-ABCDEFGHJKMNPQRS0", T0 + 70));
	assert_string_equal(view(f).fields[3], "");
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 80);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 90);
	v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[2], mail);
	/* the search: a name with a space, typed fast */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 100);
	door_key(f->door, DOOR_KEY_SEARCH, T0 + 110);
	assert_int_equal(DOOR_BURST_TYPED, door_burst_typed(f->door, "zoe cel", "", "zoe cel",
	    T0 + 120));
	v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_string_equal(v.query, "zoe cel");
	assert_int_equal(v.nhits, 1);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan"), 1);
}

/* The on-screen keyboard took all but three results' room at 1280x720 on
 * a laptop with its own keys: shown until a person types on a real
 * keyboard, then gone until the screen is touched, or the search's box or
 * a walk-in field tapped (a touchscreen door that met a keyboard once). */
static void
test_keyboard_goes_when_real_keys_type(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_SEARCH, T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_true(v.keyboard);           /* nothing typed yet: a touchscreen's */
	door_keys_typed(f->door);
	door_text(f->door, "z", T0 + 200);
	assert_false(view(f).keyboard);
	door_tap(f->door, DOOR_BTN_QUERY, T0 + 400);
	v = view(f);
	assert_true(v.keyboard);
	assert_int_equal(v.screen, DOOR_SEARCH);   /* the box tapped: nothing else */
	assert_string_equal(v.query, "z");
	door_keys_typed(f->door);
	door_text(f->door, "o", T0 + 600);
	assert_false(view(f).keyboard);
	door_touched(f->door);
	assert_true(view(f).keyboard);
	/* the walk-in form: the same, and a tapped field brings the keys */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 800);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 900);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	door_keys_typed(f->door);
	door_text(f->door, "A", T0 + 1000);
	assert_false(view(f).keyboard);
	door_tap(f->door, DOOR_BTN_FIELD0 + 1, T0 + 1100);
	v = view(f);
	assert_true(v.keyboard);
	assert_int_equal(v.focus, 1);
}

/* A guest scans within max_gap_ms of a fast typist's last key: one burst,
 * the address and the ticket. The address goes to the field, the ticket
 * gets its answer (it went into the e-mail field, the guest unanswered),
 * and the form comes back after it. */
static void
test_scan_glued_to_typing_answers(void **state)
{
	struct fx *f = *state;
	const char *mail = "matheo.dubois@proton.me";
	char burst[256];
	snprintf(burst, sizeof burst, "%s%s", mail, f->zoe);
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Mathéo", T0 + 10);
	door_key(f->door, DOOR_KEY_TAB, T0 + 20);
	door_text(f->door, "Dubois", T0 + 30);
	door_key(f->door, DOOR_KEY_TAB, T0 + 40);
	assert_int_equal(DOOR_BURST_BOTH, door_burst_typed(f->door, burst, "", burst, T0 + 50));
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 1000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[2], mail);
	assert_int_equal(v.focus, 2);
}

/* A name typed fast on the idle screen opens the search with it, as typed
 * slowly: it read as a broken scan ("scan again", the name lost), or with
 * Return as an unknown code, the name kept in the scan audit. A burst that
 * is no name is a scan there; at a door of guests with staff out, keys
 * are a code as before. */
static void
test_fast_name_on_idle_opens_the_search(void **state)
{
	struct fx *f = *state;
	assert_int_equal(DOOR_BURST_SCAN, door_burst_typed(f->door, "WIFI:S:venue;T:WPA;;", "",
	    "WIFI:S:venue;T:WPA;;", T0));
	assert_int_equal(DOOR_BURST_SCAN, door_burst_typed(f->door, "NOPE123456", "", "NOPE123456",
	    T0));
	assert_int_equal(DOOR_BURST_TYPED, door_burst_typed(f->door, "celik", "", "celik", T0 + 10));
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_string_equal(v.query, "celik");
	assert_int_equal(v.nhits, 1);
	/* on an answer too */
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 100);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	assert_int_equal(DOOR_BURST_TYPED, door_burst_typed(f->door, "van de", "", "van de",
	    T0 + 200));
	assert_int_equal(view(f).screen, DOOR_SEARCH);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan"), 1);
	/* staff_pin, staff out: not opened */
	struct door_config cfg = { 4000, false, true, 0, true, true, true };
	door_free(f->door);
	f->door = door_new(&engine_ops, &f->eng, &cfg);
	assert_int_equal(DOOR_BURST_SCAN, door_burst_typed(f->door, "celik", "", "celik", T0 + 300));
	assert_int_equal(view(f).screen, DOOR_IDLE);
}

/* The admin PIN typed fast on the pad (6 digits, 20 ms apart, Return)
 * opens the admin screen: it was read as a scan, "not on the guest list",
 * the pad gone and the PIN written into the scan audit. A guest's ticket
 * scanned at the pad is still their answer, and 25 digits are a ticket. */
static void
test_fast_pin_is_the_pin_not_a_scan(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_ADMIN, T0);
	assert_int_equal(view(f).screen, DOOR_PIN);
	assert_int_equal(DOOR_BURST_SCAN, door_burst_typed(f->door, "8184922608941621308297999", "",
	    "8184922608941621308297999", T0 + 10));
	assert_int_equal(DOOR_BURST_SCAN, door_burst_typed(f->door, f->zoe, "", f->zoe, T0 + 20));
	assert_int_equal(view(f).pin_len, 0);
	assert_int_equal(DOOR_BURST_TYPED, door_burst_typed(f->door, "2468", "", "2468", T0 + 30));
	door_key(f->door, DOOR_KEY_ENTER, T0 + 40);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan"), 0);
}

/* A scan that reads two ways (a scanner set to AZERTY: "EVENTPQSS" by key
 * position, "EVENTPASS" as the layout types it): the reading someone holds
 * is checked in, the other never recorded; both nobody's, the first. */
static void
test_a_scan_read_two_ways_takes_the_known_one(void **state)
{
	struct fx *f = *state;
	door_scan_either(f->door, "AQZW-NOBODY", f->zoe, T0);
	struct door_view v = view(f);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_string_equal(v.outcome->guest.first_name, "Zoë");
	door_scan_either(f->door, f->zoe, "AQZW-NOBODY", T0 + 5000);
	assert_int_equal(view(f).outcome->result, CHECKIN_ALREADY);
	door_scan_either(f->door, "QAWZ-NOBODY", "AQZW-NOBODY", T0 + 10000);
	assert_int_equal(view(f).outcome->result, CHECKIN_UNKNOWN);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan WHERE code LIKE "
	    "'AQZW%'"), 0);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan WHERE code LIKE "
	    "'QAWZ%'"), 1);
	/* a link nobody's, read garbled by key position (German layout): the
	 * audit keeps the link */
	door_scan_either(f->door, "https\xc3\x96--x.example-t-NOPE\xc3\x9f" "9",
	    "https://x.example/t/NOPE-9", T0 + 15000);
	assert_int_equal(view(f).outcome->result, CHECKIN_UNKNOWN);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan WHERE code = "
	    "'https://x.example/t/NOPE-9'"), 1);
}

/* The door's own count against attend_counts (what the admin screen shows
 * after a refresh, and the live page). */
static void
assert_count_is_the_events(struct fx *f)
{
	struct attend_counts c;
	assert_int_equal(attend_counts(f->base.s, f->clock, &c, NULL), 0);
	assert_int_equal(view(f).stats->checked_in, c.checked_in);
}

/* With re-entry, a guest who went out and comes back is admitted again but
 * is not one more guest checked in; undoing that re-entry does not take
 * them out of the count either. */
static void
test_reentry_is_not_an_arrival(void **state)
{
	struct fx *f = *state;
	f->eng.policy.reentry = true;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	assert_int_equal(view(f).stats->checked_in, 1);
	/* out at the exit door, on the same file */
	const struct checkin_policy exit_door = { .exit_mode = true, .reentry = true };
	struct checkin_outcome o;
	assert_int_equal(checkin_scan(f->base.s, f->zoe, strlen(f->zoe), "Exit", &exit_door,
	    f->clock + 60000, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_EXITED);
	checkin_outcome_clear(&o);
	f->clock += 120000;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 10000);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	assert_int_equal(view(f).stats->checked_in, 1);
	assert_count_is_the_events(f);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 10100);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 10200);
	assert_string_equal(view(f).notice, "undone");
	assert_int_equal(view(f).stats->checked_in, 1);
	assert_count_is_the_events(f);
}

static void
test_next_scan_replaces_result(void **state)
{
	struct fx *f = *state;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	door_scan(f->door, "NOPE", 4, T0 + 500);
	struct door_view v = view(f);
	assert_int_equal(v.outcome->result, CHECKIN_UNKNOWN);
	assert_false(v.can_undo);
	assert_int_equal(f->bad, 1);
	/* The new result gets its full time on screen. */
	door_tick(f->door, T0 + 4100);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 5000);
	v = view(f);
	assert_int_equal(v.outcome->result, CHECKIN_ALREADY);
	assert_string_equal(v.outcome->first_kiosk, "Door 1");
}

/* A scanner bounce reads the badge twice: the guest keeps the green screen
 * (both reads are in the audit); a read seconds later is a real repeat. */
static void
test_same_badge_read_twice_stays_green(void **state)
{
	struct fx *f = *state;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 300);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_true(v.can_undo);
	assert_int_equal(v.stats->checked_in, 1);
	assert_int_equal(f->bad, 0);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan"), 2);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin"), 1);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + DOOR_ECHO_MS + 100);
	assert_int_equal(view(f).outcome->result, CHECKIN_ALREADY);
	assert_int_equal(f->bad, 1);
}

/* No scanner, or a crumpled ticket: the code typed into the search and
 * Return checks it in when no name matches; a name still goes to the
 * list. */
static void
test_typed_code_checks_in(void **state)
{
	struct fx *f = *state;
	door_text(f->door, f->zoe, T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_int_equal(v.nhits, 0);
	assert_true(v.enter_checks_in);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 10);
	v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	/* A name that matches nobody is not a code: Return does nothing. */
	door_key(f->door, DOOR_KEY_SEARCH, T0 + 20);
	door_text(f->door, "nobody here", T0 + 30);
	assert_false(view(f).enter_checks_in);
	for (int i = 0; i < 11; i++)
		door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 31);
	door_text(f->door, "jan1980@example.org", T0 + 32); /* an e-mail, not a code */
	assert_false(view(f).enter_checks_in);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 40);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan"), 1);
}

/* A PIN typed halfway and left (Back, a scan, the timeout) does not come
 * back into the next try. */
static void
test_abandoned_pin_is_forgotten(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_ADMIN, T0);
	door_text(f->door, "12", T0 + 10);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 20);
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 30);
	assert_int_equal(view(f).pin_len, 0);
	door_text(f->door, "2468", T0 + 40);
	assert_int_equal(view(f).pin_len, 4);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 50);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
}

/* Three wrong PINs, and the pad is closed 30 s: the right PIN then is not
 * even looked at, the screen says how long; after, it opens the menu. */
static void
test_wrong_pins_close_the_pad(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_ADMIN, T0);
	for (int i = 0; i < 3; i++) {
		door_text(f->door, "1111", T0 + 10 + i);
		door_key(f->door, DOOR_KEY_ENTER, T0 + 20 + i);
		assert_int_equal(view(f).screen, DOOR_PIN);
	}
	assert_int_equal(view(f).pin_wait_s, 30);
	door_text(f->door, "2468", T0 + 1000);
	assert_int_equal(view(f).pin_len, 0);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 1010);
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_tick(f->door, T0 + 20000);
	assert_int_equal(view(f).pin_wait_s, 11);
	door_tick(f->door, T0 + 30100);
	assert_int_equal(view(f).pin_wait_s, 0);
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 30200);
	enter_pin(f, T0 + 30300, T0 + 30400);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	/* three more wrong ones close it again; a door then left running
	 * for 25 days (SDL's tick count past 2^31 ms on) opens as it should */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 30410);
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 30420);
	for (int i = 0; i < 3; i++) {
		door_text(f->door, "1111", T0 + 30430 + i);
		door_key(f->door, DOOR_KEY_ENTER, T0 + 30440 + i);
	}
	assert_true(view(f).pin_wait_s > 0);
	uint32_t later = T0 + 30450;
	for (int i = 0; i < 26; i++) { /* a tick a day, as the app ticks every frame */
		later += 86400000u;
		door_tick(f->door, later);
	}
	door_key(f->door, DOOR_KEY_ADMIN, later + 1);
	enter_pin(f, later + 2, later + 3);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	/* the right one counts the wrong ones out again */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 30500);
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 30600);
	door_text(f->door, "1111", T0 + 30700);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 30800);
	assert_int_equal(view(f).pin_wait_s, 0);
}

/* "Please scan again" was about the scan before: the next guest's answer
 * comes without it. */
static void
test_new_result_drops_the_old_notice(void **state)
{
	struct fx *f = *state;
	door_broken_scan(f->door, T0);
	assert_string_equal(view(f).notice, "scan_again");
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 500);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	assert_null(view(f).notice);
}

/* A notice goes with the screen it was given on: the walk-in form's
 * "check the e-mail address" does not greet the next guest, nor sit over
 * the PIN pad; one given on the way ("undone") stays. */
static void
test_notice_goes_with_its_screen(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Ann", T0 + 1);
	door_key(f->door, DOOR_KEY_TAB, T0 + 2);
	door_text(f->door, "Aerts", T0 + 3);
	door_key(f->door, DOOR_KEY_TAB, T0 + 4);
	door_text(f->door, "ann@", T0 + 5);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 6);
	assert_string_equal(view(f).notice, "bad_email");
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 100);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_null(view(f).notice);
	/* a scan read badly on the idle screen, then F12: not over the pad */
	door_broken_scan(f->door, T0 + 200);
	assert_string_equal(view(f).notice, "scan_again");
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 300);
	assert_int_equal(view(f).screen, DOOR_PIN);
	assert_null(view(f).notice);
	/* one given on the PIN pad stays with it */
	door_broken_scan(f->door, T0 + 400);
	assert_string_equal(view(f).notice, "scan_again");
	/* The printer's word on a badge, seconds after the screen that
	 * printed it, stays its time whatever the screen. */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 500);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 1000);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_notice(f->door, "Printer: out of paper", T0 + 2000);
	door_tick(f->door, T0 + 5000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_string_equal(view(f).notice, "Printer: out of paper");
}

/* Shift+Tab in the walk-in form goes back a field, as in any form: a
 * volunteer who sees a typo in the last name while at the e-mail mends the
 * last name, and the company (next after the e-mail) is left alone. */
static void
test_walkin_shift_tab_goes_back(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Amélie", T0 + 10);
	door_key(f->door, DOOR_KEY_TAB, T0 + 20);
	door_text(f->door, "Lefevrr", T0 + 30);
	door_key(f->door, DOOR_KEY_TAB, T0 + 40);
	door_text(f->door, "amelie@example.be", T0 + 50);
	door_key(f->door, DOOR_KEY_TAB, T0 + 60);
	door_text(f->door, "RTBF", T0 + 70);
	door_key(f->door, DOOR_KEY_BACKTAB, T0 + 80);
	door_key(f->door, DOOR_KEY_BACKTAB, T0 + 90);
	struct door_view v = view(f);
	assert_int_equal(v.focus, 1);
	door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 100);
	door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 110);
	door_text(f->door, "re", T0 + 120);
	v = view(f);
	assert_string_equal(v.fields[0], "Amélie");
	assert_string_equal(v.fields[1], "Lefevre");
	assert_string_equal(v.fields[2], "amelie@example.be");
	assert_string_equal(v.fields[3], "RTBF");
	/* from the first field it wraps to the last, as Tab wraps forward */
	door_key(f->door, DOOR_KEY_BACKTAB, T0 + 130);
	door_key(f->door, DOOR_KEY_BACKTAB, T0 + 140);
	assert_int_equal(view(f).focus, 3);
}

/* A guest scans while a volunteer types a walk-in: the guest gets the
 * answer, then the form comes back as it was (it was thrown away). */
static void
test_scan_mid_walkin_keeps_the_form(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Inès", T0 + 10);
	door_key(f->door, DOOR_KEY_TAB, T0 + 20);
	door_text(f->door, "Dupont", T0 + 30);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 40);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	door_tick(f->door, T0 + 40 + 4000);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[0], "Inès");
	assert_string_equal(v.fields[1], "Dupont");
	assert_int_equal(v.focus, 1);
	/* ... also when the volunteer just goes on typing during the answer */
	door_scan(f->door, "NOPE", 4, T0 + 4100);
	door_text(f->door, "-Claes", T0 + 4200);
	v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[1], "Dupont-Claes");
	/* Without a form half typed, a result goes back to idle as before. */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 5000);
	door_scan(f->door, "NOPE", 4, T0 + 5100);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 5200);
	assert_int_equal(view(f).screen, DOOR_IDLE);
}

/* The admission that interrupted the form undone (a mis-scan), or its Undo
 * question left to time out: the form comes back as it was. */
static void
test_undo_mid_walkin_keeps_the_form(void **state)
{
	struct fx *f = *state;
	for (int way = 0; way < 2; way++) {
		uint32_t t = T0 + (uint32_t)way * 100000;
		door_key(f->door, DOOR_KEY_WALKIN, t);
		door_text(f->door, "Jan", t + 10);
		door_key(f->door, DOOR_KEY_TAB, t + 20);
		door_text(f->door, "Peeters", t + 30);
		door_scan(f->door, f->zoe, strlen(f->zoe), t + 40);
		assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
		door_tap(f->door, DOOR_BTN_UNDO, t + 100);
		assert_int_equal(view(f).screen, DOOR_UNDO);
		if (way == 0)
			door_key(f->door, DOOR_KEY_ENTER, t + 200);
		else
			door_tick(f->door, t + 100 + 16000);
		struct door_view v = view(f);
		assert_int_equal(v.screen, DOOR_WALKIN);
		assert_string_equal(v.fields[0], "Jan");
		assert_string_equal(v.fields[1], "Peeters");
		if (way == 0)
			assert_string_equal(v.notice, "undone");
		else /* not undone: the next scan of that ticket is "already" */
			assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE"
			    " kind = 'undo'"), 1);
		door_key(f->door, DOOR_KEY_ESCAPE, t + 20000);
	}
}

/* The next guest scans while the volunteer is asked to confirm an Undo:
 * their answer first, then the question again, so the mis-scan can still
 * be undone (it used to stay checked in with no Undo left at the door). A
 * volunteer who moves on to a search lets it go. */
static void
test_undo_question_comes_back_after_a_scan(void **state)
{
	struct fx *f = *state;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	char *zoes = xstrdup(view(f).outcome->checkin_uuid);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100);
	assert_int_equal(view(f).screen, DOOR_UNDO);
	door_scan(f->door, "NOPE", 4, T0 + 200);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_UNKNOWN);
	/* the next guest's answer times out: the question is back, for Zoë */
	door_tick(f->door, T0 + 200 + 60000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_UNDO);
	assert_string_equal(v.outcome->checkin_uuid, zoes);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 60300);
	v = view(f);
	assert_int_equal(v.screen, DOOR_IDLE);
	assert_string_equal(v.notice, "undone");
	char *sql = xasprintf("SELECT count(*) FROM checkin WHERE kind = 'undo' AND undoes = '%s'",
	    zoes);
	assert_int_equal(tu_count(f->base.s, sql), 1);
	free(sql);
	free(zoes);

	/* Dismissed with Enter, the next answer gives the question back too;
	 * a search started from it lets the question go. */
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 70000);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 70100);
	door_scan(f->door, "NOPE", 4, T0 + 70200);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 70300);
	assert_int_equal(view(f).screen, DOOR_UNDO);
	door_tap(f->door, DOOR_BTN_NO, T0 + 70400);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 70500);
	door_scan(f->door, "NOPE", 4, T0 + 70600);
	door_text(f->door, "zo", T0 + 70700);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 70800);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 1);

	/* Two questions interrupted, one after the other: both come back,
	 * the latest first. */
	struct guest g;
	struct guest_fields xf = { .first_name = "Xavi", .last_name = "Xu" };
	assert_int_equal(guest_add_walkin(f->base.s, &xf, "Desk", &g, NULL), 0);
	char *xavi = xstrdup(g.code), *wim = NULL;
	guest_clear(&g);
	struct guest_fields wf = { .first_name = "Wim", .last_name = "Wu" };
	assert_int_equal(guest_add_walkin(f->base.s, &wf, "Desk", &g, NULL), 0);
	wim = xstrdup(g.code);
	guest_clear(&g);
	door_scan(f->door, xavi, strlen(xavi), T0 + 100000);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100100);
	door_scan(f->door, wim, strlen(wim), T0 + 100200);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100300);
	door_scan(f->door, "NOPE", 4, T0 + 100400);
	door_tick(f->door, T0 + 100400 + 5000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_UNDO);
	assert_string_equal(v.outcome->guest.first_name, "Wim");
	door_key(f->door, DOOR_KEY_ENTER, T0 + 106000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_UNDO);
	assert_string_equal(v.outcome->guest.first_name, "Xavi");
	door_key(f->door, DOOR_KEY_ENTER, T0 + 106100);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 3);
	free(xavi);
	free(wim);
}

/* [kiosk] staff_pin: search and the walk-in form open only with the PIN,
 * which opens them for a minute, and staff leaving them for the idle
 * screen close them again (guests taking turns kept them open). What a
 * guest types opens no PIN pad (their keys counted there as wrong PINs and
 * locked staff out): Enter checks it in as a code, as a slow scanner's. */
static void
test_staff_pin_guards_search_and_walkin(void **state)
{
	struct fx *f = *state;
	struct door_config cfg = { 4000, false, true, 0, true, true, true };
	door_free(f->door);
	f->eng.pin_hash = f->pin_hash;
	f->door = door_new(&engine_ops, &f->eng, &cfg);

	door_tap(f->door, DOOR_BTN_SEARCH, T0);
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, T0 + 100, T0 + 200);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
	door_text(f->door, "zo", T0 + 300);
	assert_int_equal(view(f).nhits, 1);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 400);
	door_tap(f->door, DOOR_BTN_YES, T0 + 500);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	/* from the result, within the minute: straight in */
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 30000);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	/* left for the idle screen: closed again */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 30100);
	door_tap(f->door, DOOR_BTN_SEARCH, T0 + 30200);
	assert_int_equal(view(f).screen, DOOR_PIN);
	/* OK on an empty pad, or a ticket number typed there: said wrong,
	 * but no try counted, however often */
	for (int i = 0; i < 4; i++)
		door_key(f->door, DOOR_KEY_ENTER, T0 + 30300 + (uint32_t)i);
	door_text(f->door, "5033029141793782511607001", T0 + 30400);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 30500);
	struct door_view v = view(f);
	assert_true(v.pin_wrong);
	assert_int_equal(v.pin_wait_s, 0);
	/* F12 there: the PIN leads to the admin menu */
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 30600);
	enter_pin(f, T0 + 30700, T0 + 30800);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 30900);

	/* A guest types on the idle screen: no search, no PIN pad; a code
	 * with Enter is checked in, a name asks for a scan. */
	uint32_t t = T0 + 100000;
	door_text(f->door, "z", t);
	door_text(f->door, "o", t + 10);
	v = view(f);
	assert_int_equal(v.screen, DOOR_IDLE);
	door_key(f->door, DOOR_KEY_ENTER, t + 20);
	v = view(f);
	assert_int_equal(v.screen, DOOR_IDLE);
	assert_string_equal(v.notice, "scan_again");
	door_text(f->door, "1", t + 30);
	door_text(f->door, "2345", t + 40);
	door_key(f->door, DOOR_KEY_BACKSPACE, t + 45);
	door_key(f->door, DOOR_KEY_ENTER, t + 50);
	v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_UNKNOWN);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan WHERE code = '1234'"), 1);
	door_key(f->door, DOOR_KEY_ESCAPE, t + 60);

	/* A form half typed, interrupted by scans past staff's minute: it is
	 * kept, not shown (it came back open, and a guest could register and
	 * admit themselves; then behind a PIN pad that came up on its own,
	 * where guests' keys landed); Walk-in and the PIN give it back. */
	t += 10000;
	door_tap(f->door, DOOR_BTN_WALKIN, t);
	enter_pin(f, t + 10, t + 20);
	door_text(f->door, "Maxime", t + 30);
	door_scan(f->door, "NOPE", 4, t + 59000);
	door_tick(f->door, t + 63100);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	door_scan(f->door, "NOPE", 4, t + 63200);
	door_tick(f->door, t + 68000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	door_tap(f->door, DOOR_BTN_WALKIN, t + 68050);
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, t + 68100, t + 68200);
	v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[0], "Maxime");
	door_key(f->door, DOOR_KEY_ESCAPE, t + 68300);

	/* Undo is staff's too: behind the PIN. An Undo question held past
	 * staff's minute is not asked of the next guest, whose Enter would
	 * answer it. */
	t += 100000;
	struct guest_fields bf = { .first_name = "Björn", .last_name = "Janssens" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &bf, "Desk", &g, NULL), 0);
	door_scan(f->door, g.code, strlen(g.code), t);
	door_tap(f->door, DOOR_BTN_UNDO, t + 100);
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, t + 200, t + 300);
	v = view(f);
	assert_int_equal(v.screen, DOOR_UNDO);
	assert_string_equal(v.outcome->guest.first_name, "Björn");
	door_scan(f->door, "NOPE", 4, t + 58000);
	door_tick(f->door, t + 62100);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 0);
	guest_clear(&g);
}

static void
staff_door(struct fx *f)
{
	struct door_config cfg = { 4000, false, true, 0, true, true, true };
	door_free(f->door);
	f->eng.pin_hash = f->pin_hash;
	f->door = door_new(&engine_ops, &f->eng, &cfg);
}

/* Staff admit a guest from the search; the result times out to the
 * idle screen; the next guest in the queue taps Walk-in: it must ask for
 * the PIN (idle closes staff's screens). */
static void
test_idle_after_result_closes_staff_screens(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_SEARCH, T0);
	enter_pin(f, T0 + 100, T0 + 200);
	door_text(f->door, "zo", T0 + 300);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 400);
	door_tap(f->door, DOOR_BTN_YES, T0 + 500);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_tick(f->door, T0 + 4500);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	/* next guest */
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 10000);
	assert_int_equal(view(f).screen, DOOR_PIN);
}

/* The same, via a walk-in registered and admitted, then a guest typing a
 * name on the idle screen: it must not open the guest list. */
static void
test_idle_after_walkin_result_closes_search(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	enter_pin(f, T0 + 10, T0 + 20);
	door_text(f->door, "Inès", T0 + 30);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 40);
	door_tap(f->door, DOOR_BTN_YES, T0 + 50);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_tick(f->door, T0 + 4100);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	door_text(f->door, "zo", T0 + 5000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
}

/* A guest types their ticket number on a result while a walk-in form
 * waits behind the PIN: the first key opens the PIN pad, the rest land in
 * it, and Enter counts a wrong PIN (three such guests lock staff out). */
static void
test_guest_keys_on_result_are_no_pin_tries(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	enter_pin(f, T0 + 10, T0 + 20);
	door_text(f->door, "Maxime", T0 + 30);
	uint32_t t = T0 + 70000;                      /* staff's minute is up */
	for (int i = 0; i < 3; i++, t += 10000) {
		door_scan(f->door, "NOPE", 4, t);
		assert_int_equal(view(f).screen, DOOR_RESULT);
		const char *keys[] = { "1", "2", "3", "4", "5", "6" };
		for (int k = 0; k < 6; k++)
			door_text(f->door, keys[k], t + 10 + (uint32_t)k);
		door_key(f->door, DOOR_KEY_ENTER, t + 20);
	}
	assert_int_equal(view(f).pin_wait_s, 0);
}

/* What a guest typed on the idle screen and left without Enter is
 * still there for the next one: their code is read with it in front. */
static void
test_typed_is_forgotten_when_left(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_text(f->door, "9", T0);                     /* and walks off */
	door_tick(f->door, T0 + 10 * 60000);
	for (const char *p = f->zoe; *p; p++) {
		char c[2] = { *p, '\0' };
		door_text(f->door, c, T0 + 10 * 60000 + 1);
	}
	door_key(f->door, DOOR_KEY_ENTER, T0 + 10 * 60000 + 2);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
}

/* Staff type a walk-in for over a minute, Save says "already on the
 * list", Back: the search for that name (staff are at their form: no PIN
 * again; through a PIN pad the name was lost). */
static void
test_back_to_search_behind_pin_keeps_the_name(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	enter_pin(f, T0 + 10, T0 + 20);
	door_text(f->door, "zoe", T0 + 30000);
	door_key(f->door, DOOR_KEY_TAB, T0 + 40000);
	door_text(f->door, "CELIK", T0 + 50000);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 70000);
	assert_string_equal(view(f).notice, "already_listed");
	door_tap(f->door, DOOR_BTN_BACK, T0 + 71000);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
	assert_string_equal(view(f).query, "zoe CELIK");
}

/* An Undo question held while a form waits: Walk-in tapped on the
 * result, the PIN given: staff opened walk-in, the question is let go, it
 * must not be asked after the next guest's answer minutes later. */
static void
test_walkin_through_pin_drops_held_undo(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	enter_pin(f, T0 + 10, T0 + 20);
	door_text(f->door, "Maxime", T0 + 30);
	uint32_t t = T0 + 70000;
	door_scan(f->door, f->zoe, strlen(f->zoe), t);   /* mis-scan mid-form */
	door_tap(f->door, DOOR_BTN_UNDO, t + 100);
	door_scan(f->door, "NOPE", 4, t + 200);          /* held: Zoë's question */
	door_tap(f->door, DOOR_BTN_WALKIN, t + 300);     /* staff: back to the form */
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, t + 400, t + 500);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	door_scan(f->door, "NOPE", 4, t + 120000);       /* another guest, 2 min on */
	door_tick(f->door, t + 125000);
	assert_int_not_equal(view(f).screen, DOOR_UNDO);
}

/* A form kept behind the PIN is not given back five minutes on: a later
 * Walk-in is an empty form (it gave the old guest's form). */
static void
test_left_form_does_not_come_back(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	enter_pin(f, T0 + 10, T0 + 20);
	door_text(f->door, "Maxime", T0 + 30);
	door_scan(f->door, "NOPE", 4, T0 + 70000);
	door_tick(f->door, T0 + 75000);
	assert_int_equal(view(f).screen, DOOR_IDLE);     /* kept for staff */
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 400000); /* five minutes on: gone */
	enter_pin(f, T0 + 400010, T0 + 400020);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "");
}

/* A door without staff_pin: the form a scan interrupted comes back with no
 * PIN, as before (past staff's minute, within the form's own). */
static void
test_no_staff_pin_resume_unchanged(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Maxime", T0 + 10);
	door_scan(f->door, "NOPE", 4, T0 + 50000);
	door_tick(f->door, T0 + 54000);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 55000);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 55100);
	door_scan(f->door, "NOPE", 4, T0 + 55200);
	door_text(f->door, "x", T0 + 55300);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "Maximex");
	door_text(f->door, "zo", T0 + 55400);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 55500);
	door_text(f->door, "zo", T0 + 55600);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
}

/* Memory: more Undo questions interrupted than are kept, some let go
 * by a search, some left in the door when it is freed. */
static void
test_held_memory(void **state)
{
	struct fx *f = *state;
	char *codes[6];
	for (int i = 0; i < 6; i++) {
		struct guest_fields gf = { .first_name = "Held", .last_name = "Guest" };
		struct guest g;
		assert_int_equal(guest_add_walkin(f->base.s, &gf, "Desk", &g, NULL), 0);
		codes[i] = xstrdup(g.code);
		guest_clear(&g);
	}
	uint32_t t = T0;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 6; i++, t += 1000) {
			door_scan(f->door, codes[i], strlen(codes[i]), t);
			door_tap(f->door, DOOR_BTN_UNDO, t + 100);
			if (round == 1 && i == 2)
				door_key(f->door, DOOR_KEY_ESCAPE, t + 150); /* question dismissed */
		}
		door_scan(f->door, "NOPE", 4, t);
		door_key(f->door, DOOR_KEY_ENTER, t + 10);
		assert_int_equal(view(f).screen, DOOR_UNDO);
		if (round == 0)
			door_key(f->door, DOOR_KEY_SEARCH, t + 20);    /* lets them go */
		t += 100000;
	}
	for (int i = 0; i < 6; i++)
		free(codes[i]);
	/* held ones freed by teardown's door_free */
}

/* An Undo question held, a guest taps Search (PIN pad), staff press
 * F12 there and give the PIN: the admin menu is open, the question must be
 * let go, not asked after the next scan. */
static void
test_admin_through_retargeted_pin_drops_held_undo(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100);
	door_scan(f->door, "NOPE", 4, T0 + 200);         /* held: Zoë's question */
	door_tap(f->door, DOOR_BTN_SEARCH, T0 + 300);
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 400);
	enter_pin(f, T0 + 500, T0 + 600);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	door_scan(f->door, "NOPE", 4, T0 + 50000);       /* a guest, later */
	door_tick(f->door, T0 + 55000);
	assert_int_not_equal(view(f).screen, DOOR_UNDO);
}

/* A guest types their ticket code by hand while the previous guest's
 * answer is still up; it times out mid-code: what they typed must not be
 * cut (the tail alone is checked in, red). */
static void
test_typed_survives_the_result_timeout(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_scan(f->door, "NOPE", 4, T0);
	uint32_t t = T0 + 2000;
	for (const char *p = f->zoe; *p; p++, t += 400) {
		char c[2] = { *p, '\0' };
		door_text(f->door, c, t);
		door_tick(f->door, t + 200);                   /* the app ticks every frame */
	}
	door_key(f->door, DOOR_KEY_ENTER, t);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
}

/* More than twelve digits typed, all taken back with Backspace, the
 * right PIN typed: it opens (it is refused as "too long"). */
static void
test_backspaced_long_pin_is_looked_at(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_ADMIN, T0);
	door_text(f->door, "1234567890123", T0 + 10);
	for (int i = 0; i < 12; i++)
		door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 20);
	assert_int_equal(view(f).pin_len, 0);
	enter_pin(f, T0 + 30, T0 + 40);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
}

static void
test_undo_needs_confirm(void **state)
{
	struct fx *f = *state;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100);
	assert_int_equal(view(f).screen, DOOR_UNDO);
	door_tap(f->door, DOOR_BTN_NO, T0 + 200);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 0);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 300);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 400);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_IDLE);
	assert_string_equal(v.notice, "undone");
	assert_int_equal(v.stats->checked_in, 0);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 1);
	/* The guest can be admitted again. */
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 500);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
}

/* Undo on the door undoes the admission on its screen, even when a sync
 * brought another door's later admission of the same ticket meanwhile:
 * that one stays, and the guest stays counted as checked in. */
static void
test_undo_takes_back_this_doors_admission(void **state)
{
	struct fx *f = *state;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	struct door_view v = view(f);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	char *mine = xstrdup(v.outcome->checkin_uuid);
	char *sql = xasprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk)"
	    " SELECT 'door-2-in', guest_uuid, 'in', at + 500, 'Door 2' FROM checkin"
	    " WHERE uuid = '%s'", mine);
	assert_int_equal(sqlite3_exec(store_db(f->base.s), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 200);
	v = view(f);
	assert_string_equal(v.notice, "undone");
	sql = xasprintf("SELECT count(*) FROM checkin WHERE kind = 'undo' AND undoes = '%s'",
	    mine);
	assert_int_equal(tu_count(f->base.s, sql), 1);
	free(sql);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"),
	    1);
	assert_int_equal(v.stats->checked_in, 1);
	free(mine);
}

/* Zoë was let in at Door 2 now, and the clock moves on a day. */
static void
came_yesterday(struct fx *f)
{
	char *sql = xasprintf("INSERT INTO checkin (uuid, guest_uuid, kind, at, kiosk) SELECT"
	    " 'day-one', uuid, 'in', %lld, 'Door 2' FROM guest", (long long)f->clock);
	assert_int_equal(sqlite3_exec(store_db(f->base.s), sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	f->clock += 24 * 3600 * 1000LL;
}

/* A search result says "checked in" as the door decides: at an event of
 * days ([checkin] each_day), a guest who came yesterday is not in today. */
static void
test_search_says_checked_in_today(void **state)
{
	struct fx *f = *state;
	came_yesterday(f);
	for (int days = 0; days < 2; days++) {
		f->eng.policy.each_day = days;
		make_door(f, false, 4000);
		door_text(f->door, "zo", T0);
		struct door_view v = view(f);
		assert_int_equal(v.nhits, 1);
		assert_int_equal(v.hits[0].checked_in, !days);
	}
}

/* At an event of days the door counts today's: a guest who came yesterday
 * is in the all-days figure, not today's, until scanned again, and an undo
 * of that scan takes them out of today's only. */
static void
test_door_counts_today_at_an_event_of_days(void **state)
{
	struct fx *f = *state;
	came_yesterday(f);
	f->eng.policy.each_day = true;
	store_set_each_day(f->base.s, true);
	make_door(f, false, 4000);
	struct door_view v = view(f);
	assert_true(v.stats->days);
	assert_int_equal(v.stats->checked_in, 1);
	assert_int_equal(v.stats->today, 0);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	v = view(f);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_int_equal(v.stats->checked_in, 1);
	assert_int_equal(v.stats->today, 1);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 200);
	v = view(f);
	assert_string_equal(v.notice, "undone");
	assert_int_equal(v.stats->checked_in, 1);
	assert_int_equal(v.stats->today, 0);
	store_set_each_day(f->base.s, false);
}

static void
test_search_lists_nobody_before_two_letters(void **state)
{
	struct fx *f = *state;
	/* Typing on idle starts a search. */
	door_text(f->door, "z", T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_int_equal(v.nhits, 0);
	door_text(f->door, "o", T0 + 100);
	v = view(f);
	assert_int_equal(v.nhits, 1);
	assert_string_equal(v.hits[0].name, "Zoë Çelik");
	assert_false(v.hits[0].checked_in);
	assert_false(v.hits[0].cancelled);
	assert_false(v.query_short);
	door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 200);
	assert_int_equal(view(f).nhits, 0);
	assert_true(view(f).query_short);
	/* an initial and a space is one letter still: "type more", not
	 * "Nobody found" */
	door_text(f->door, " ", T0 + 210);
	assert_int_equal(view(f).nhits, 0);
	assert_true(view(f).query_short);
	door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 220);
	/* A cancelled ticket is flagged for the screen to say in its own
	 * language, not spelt out in English in the details. */
	struct guest g;
	assert_int_equal(guest_set_cancelled(f->base.s, f->zoe, true, "Desk", &g, NULL), 0);
	guest_clear(&g);
	door_text(f->door, "o", T0 + 300);
	v = view(f);
	assert_int_equal(v.nhits, 1);
	assert_true(v.hits[0].cancelled);
	assert_null(strstr(v.hits[0].detail, "cancelled"));
	/* picked, it is refused at once: no "Check in this guest?" with a
	 * green Yes for a ticket that cannot get in */
	door_key(f->door, DOOR_KEY_ENTER, T0 + 400);
	v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_CANCELLED);
}

/* Two words that each start more names than a keystroke looks at: the
 * view says more may match (the screen then never says "Nobody found"),
 * and a search that lists the whole answer does not. */
static void
test_search_says_more_may_match(void **state)
{
	struct fx *f = *state;
	assert_int_equal(tu_namesakes(f->base.s, "Jan", NULL, 2100, "JAN"), 0);
	assert_int_equal(tu_namesakes(f->base.s, NULL, "Pauwels", 2100, "PAU"), 0);
	door_text(f->door, "jan pau", T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_true(v.nhits < DOOR_HITS);
	assert_true(v.hits_more);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 100);
	door_text(f->door, "zo", T0 + 200);
	v = view(f);
	assert_int_equal(v.nhits, 1);
	assert_false(v.hits_more);
}

static void
test_search_pick_confirm_admit(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_SEARCH, T0);
	door_text(f->door, "cel", T0 + 10);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 20);
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin"), 0);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 30);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin"), 1);
}

/* Tickets bought together on one address: Julie's carries Bram's e-mail.
 * Staff type Bram's name and press Enter: the first listed, highlighted,
 * is Bram, and Bram is admitted, not Julie. */
static void
test_search_enter_picks_the_name_not_the_email(void **state)
{
	struct fx *f = *state;
	static const char *const group[][2] = { { "Julie", "Goossens" }, { "Bram", "Lefèvre" } };
	for (size_t i = 0; i < 2; i++) {
		struct guest_fields gf = { .first_name = group[i][0], .last_name = group[i][1],
		    .email = "bram.lefevre@example.be" };
		struct guest g;
		assert_int_equal(guest_add_walkin(f->base.s, &gf, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	door_key(f->door, DOOR_KEY_SEARCH, T0);
	door_text(f->door, "lefev", T0 + 10);
	struct door_view v = view(f);
	assert_int_equal(v.nhits, 2);
	assert_int_equal(v.selected, 0);
	assert_string_equal(v.hits[0].name, "Bram Lefèvre");
	door_key(f->door, DOOR_KEY_ENTER, T0 + 20);
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 30);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin JOIN guest"
	    " ON guest.uuid = checkin.guest_uuid WHERE guest.first_name = 'Bram'"), 1);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin"), 1);
}

static void
test_scan_works_mid_search(void **state)
{
	struct fx *f = *state;
	door_text(f->door, "ze", T0);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 50);
	assert_int_equal(view(f).screen, DOOR_RESULT);
}

/* The next guest in the queue scans while a volunteer looks up a guest who
 * has no ticket: the scan gets its answer, then the name typed, or the
 * "Check in?" asked, comes back as it was (both were thrown away, and the
 * volunteer typed the name again with the queue waiting). */
static void
test_scan_mid_search_keeps_the_search(void **state)
{
	struct fx *f = *state;
	struct guest_fields bf = { .first_name = "Bram", .last_name = "Vandenberghe" };
	struct guest b;
	assert_int_equal(guest_add_walkin(f->base.s, &bf, "Desk", &b, NULL), 0);
	door_text(f->door, "cel", T0);
	door_scan(f->door, b.code, strlen(b.code), T0 + 100);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	door_tick(f->door, T0 + 100 + 4000);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_string_equal(v.query, "cel");
	assert_int_equal(v.nhits, 1);
	assert_string_equal(v.hits[0].name, "Zoë Çelik");
	/* Picked, asked "Check in?": an unknown code scanned, then the same
	 * question, and Yes admits Zoë */
	door_key(f->door, DOOR_KEY_ENTER, T0 + 5000);
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	door_scan(f->door, "NOPE-123456", 11, T0 + 5100);
	assert_int_equal(view(f).outcome->result, CHECKIN_UNKNOWN);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 5200); /* staff wave the answer off */
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 5300);
	v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_string_equal(v.outcome->guest.code, f->zoe);
	/* The answer to staff's own Yes goes back to idle, as before. */
	door_tick(f->door, T0 + 5300 + 4000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	/* Two scans in a row during a search: back to it after the second;
	 * and the volunteer who goes on typing types on the name. */
	door_text(f->door, "van", T0 + 10000);
	door_scan(f->door, "NOPE-123456", 11, T0 + 10100);
	door_scan(f->door, "NOPE-654321", 11, T0 + 10900);
	door_text(f->door, " den", T0 + 11000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_string_equal(v.query, "van den");
	/* The guest searched for finds their ticket and scans it: the search
	 * for them is done, the door goes back to idle. */
	door_scan(f->door, b.code, strlen(b.code), T0 + 12000);
	assert_int_equal(view(f).outcome->result, CHECKIN_ALREADY);
	door_tick(f->door, T0 + 12000 + 4000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	/* An empty search box is nothing to come back to. */
	door_key(f->door, DOOR_KEY_SEARCH, T0 + 20000);
	door_scan(f->door, "NOPE-123456", 11, T0 + 20100);
	door_tick(f->door, T0 + 20100 + 4000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	/* Staff tap Undo on the answer of a scan that came mid-search, and
	 * the next guest scans on the Undo question: that guest's answer,
	 * the question, then the search. */
	struct guest_fields lf = { .first_name = "Lars", .last_name = "Late" };
	struct guest l;
	assert_int_equal(guest_add_walkin(f->base.s, &lf, "Desk", &l, NULL), 0);
	door_text(f->door, "cel", T0 + 25500);
	door_scan(f->door, l.code, strlen(l.code), T0 + 25600);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 25700);
	assert_int_equal(view(f).screen, DOOR_UNDO);
	door_scan(f->door, "NOPE-222222", 11, T0 + 25800);
	door_tick(f->door, T0 + 25800 + 4000);
	assert_int_equal(view(f).screen, DOOR_UNDO);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 30000); /* No */
	door_tick(f->door, T0 + 30000 + 4000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_string_equal(v.query, "cel");
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 34500);
	guest_clear(&l);
	/* A family: staff ask "Check in?" of Noor, who has no ticket; her
	 * brother, listed too, scans his: Noor's question comes back. Noor
	 * then finds hers and scans it: done. */
	struct guest_fields nf = { .first_name = "Noor", .last_name = "Nowak" };
	struct guest_fields mf = { .first_name = "Maarten", .last_name = "Nowak" };
	struct guest n, m;
	assert_int_equal(guest_add_walkin(f->base.s, &nf, "Desk", &n, NULL), 0);
	assert_int_equal(guest_add_walkin(f->base.s, &mf, "Desk", &m, NULL), 0);
	door_text(f->door, "nowak", T0 + 50000);
	assert_int_equal(view(f).nhits, 2);
	assert_string_equal(view(f).hits[0].name, "Maarten Nowak");
	door_key(f->door, DOOR_KEY_DOWN, T0 + 50100);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 50200);
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	door_scan(f->door, m.code, strlen(m.code), T0 + 50300);
	door_tick(f->door, T0 + 50300 + 4000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_CONFIRM);
	assert_string_equal(v.hits[v.selected].name, "Noor Nowak");
	door_scan(f->door, n.code, strlen(n.code), T0 + 55000);
	door_tick(f->door, T0 + 55000 + 4000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	guest_clear(&n);
	guest_clear(&m);
	guest_clear(&b);
}

static void
test_unattended_screens_fall_back_to_idle(void **state)
{
	struct fx *f = *state;
	door_text(f->door, "zo", T0);
	door_tick(f->door, T0 + DOOR_IDLE_TIMEOUT_MS - 1);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
	door_tick(f->door, T0 + DOOR_IDLE_TIMEOUT_MS);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_IDLE);
	/* Nothing of the list is kept for the next person. */
	assert_string_equal(v.query, "");
	assert_int_equal(v.nhits, 0);
}

static void
test_admin_needs_pin(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_ADMIN, T0);
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_text(f->door, "1111", T0 + 10);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 20);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_PIN);
	assert_true(v.pin_wrong);
	assert_int_equal(v.pin_len, 0);
	/* Quit is only on the admin screen. */
	door_tap(f->door, DOOR_BTN_QUIT, T0 + 30);
	assert_false(view(f).quit);
	enter_pin(f, T0 + 40, T0 + 50);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	door_tap(f->door, DOOR_BTN_QUIT, T0 + 60);
	assert_true(view(f).quit);
}

/* Alt+F4 or the window manager's close on a full-screen kiosk: the PIN
 * screen, from any screen, and never a quit without the PIN. */
static void
test_close_full_screen_asks_for_pin(void **state)
{
	struct fx *f = *state;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	assert_false(door_close(f->door, true, T0 + 10));
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_PIN);
	assert_false(v.quit);
	/* Closing again while the PIN is typed keeps the digits and the screen. */
	door_text(f->door, "24", T0 + 20);
	assert_false(door_close(f->door, true, T0 + 30));
	assert_int_equal(view(f).screen, DOOR_PIN);
	assert_int_equal(view(f).pin_len, 2);
	door_text(f->door, "68", T0 + 40);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 50);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	assert_false(view(f).quit);
	door_tap(f->door, DOOR_BTN_QUIT, T0 + 60);
	assert_true(view(f).quit);
}

/* A PIN screen opened by a close falls back to idle like any other. */
static void
test_close_then_walk_away(void **state)
{
	struct fx *f = *state;
	assert_false(door_close(f->door, true, T0));
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_tick(f->door, T0 + DOOR_IDLE_TIMEOUT_MS);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_false(view(f).quit);
}

/* Only a window on a desk with no PIN configured closes like a window. */
static void
test_close_window_without_pin(void **state)
{
	struct fx *f = *state;
	assert_false(door_close(f->door, false, T0)); /* a PIN is configured */
	assert_int_equal(view(f).screen, DOOR_PIN);
	make_door(f, false, 4000);
	assert_true(door_close(f->door, false, T0 + 10));
	assert_int_equal(view(f).screen, DOOR_IDLE);
	/* Full screen without a PIN: the admin screen, not a quit. */
	assert_false(door_close(f->door, true, T0 + 20));
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	assert_false(view(f).quit);
}

static void
test_admin_toggles_exit_mode(void **state)
{
	struct fx *f = *state;
	make_door(f, false, 4000);
	door_key(f->door, DOOR_KEY_ADMIN, T0);
	assert_int_equal(view(f).screen, DOOR_ADMIN); /* no PIN configured */
	door_tap(f->door, DOOR_BTN_MODE, T0 + 10);
	assert_true(view(f).exit_mode);
	assert_true(f->eng.policy.exit_mode);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 20);
	f->eng.policy.reentry = true;
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 30);
	assert_int_equal(view(f).outcome->result, CHECKIN_NOT_INSIDE);
}

/* kiosk.conf without re-entry: the admin's toggle does not make an exit
 * door of it ('kiosk config' refuses mode = exit there for the same reason:
 * a guest scanned out could never come back in); it says why. */
static void
test_exit_mode_needs_reentry(void **state)
{
	struct fx *f = *state;
	struct door_config cfg = { 4000, false, true, 0, false, false, false };
	door_free(f->door);
	f->eng.pin_hash = "";
	f->door = door_new(&engine_ops, &f->eng, &cfg);
	door_key(f->door, DOOR_KEY_ADMIN, T0);
	door_tap(f->door, DOOR_BTN_MODE, T0 + 10);
	assert_false(view(f).exit_mode);
	assert_false(f->eng.policy.exit_mode);
	assert_string_equal(view(f).notice, "exit_needs_reentry");
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 20);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 30);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
}

static void
test_walkin_registers_and_admits(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 1);      /* empty first name: next field */
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 2);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.notice, "need_name");
	door_text(f->door, "Inès", T0 + 3);
	door_key(f->door, DOOR_KEY_TAB, T0 + 4);
	door_text(f->door, "Dupont", T0 + 5);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 6);
	v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN_DONE);
	assert_non_null(v.walkin_code);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest WHERE first_name = 'Inès'"
	    " AND last_name = 'Dupont' AND source = 'walkin'"), 1);
	door_tap(f->door, DOOR_BTN_YES, T0 + 7);
	v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_string_equal(v.outcome->guest.first_name, "Inès");
}

/* A search staff left open (no PIN at this door) comes back after the
 * answers of the guests who scan meanwhile, but times out a minute after
 * staff last touched it, as it would have with nobody scanning: the scans
 * are not staff's, and a queue that kept scanning kept a guest list, or a
 * "Check in?" that Enter answers, on the screen for good. */
static void
test_search_left_open_times_out_behind_scans(void **state)
{
	struct fx *f = *state;
	door_text(f->door, "cel", T0);
	door_scan(f->door, "NOPE-111111", 11, T0 + 30000);
	door_tick(f->door, T0 + 34000);
	assert_int_equal(view(f).screen, DOOR_SEARCH); /* within staff's minute */
	door_scan(f->door, "NOPE-222222", 11, T0 + 58000);
	door_tick(f->door, T0 + 62000);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_IDLE);
	assert_string_equal(v.query, "");
	/* the same for a "Check in?" asked and left */
	door_text(f->door, "cel", T0 + 100000);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 101000);
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	door_scan(f->door, "NOPE-333333", 11, T0 + 150000);
	door_tick(f->door, T0 + 154000);
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	door_tick(f->door, T0 + 161500);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	/* staff who go on typing on an answer get their search back, late
	 * or not: they are there */
	door_text(f->door, "cel", T0 + 200000);
	door_scan(f->door, "NOPE-444444", 11, T0 + 259000);
	door_text(f->door, "i", T0 + 261000);
	v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_string_equal(v.query, "celi");
}

/* The next guest scans while a walk-in's new code is on the screen, before
 * staff tap Check in now: the answer, then the walk-in's code and Check in
 * now again (they went, and the walk-in was left registered but not in). */
static void
test_scan_on_walkin_done_keeps_check_in_now(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	door_text(f->door, "Inès", T0 + 10);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 20);
	assert_int_equal(view(f).screen, DOOR_WALKIN_DONE);
	char code[CODE_MAX_LEN + 1];
	snprintf(code, sizeof code, "%s", view(f).walkin_code);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 100);
	assert_string_equal(view(f).outcome->guest.code, f->zoe);
	door_tick(f->door, T0 + 100 + 4000);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN_DONE);
	assert_string_equal(v.walkin_code, code);
	door_tap(f->door, DOOR_BTN_YES, T0 + 5000);
	v = view(f);
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_string_equal(v.outcome->guest.code, code);
	door_tick(f->door, T0 + 5000 + 4000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	/* The walk-in scans the code off the screen themselves: in, done. */
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 10000);
	door_text(f->door, "Noor", T0 + 10010);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 10020);
	snprintf(code, sizeof code, "%s", view(f).walkin_code);
	door_scan(f->door, code, strlen(code), T0 + 10100);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	door_tick(f->door, T0 + 10100 + 4000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
}

/* A walk-in registered in the language the guest picked gets their ticket
 * e-mail in it; one registered in the door's own language is left to the
 * event's ([mail] language). */
static void
test_walkin_takes_the_language_picked(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_LANG0 + 2, T0); /* fr */
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 1);
	door_text(f->door, "Camille", T0 + 2);
	door_key(f->door, DOOR_KEY_TAB, T0 + 3);
	door_text(f->door, "Durand", T0 + 4);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 5);
	assert_int_equal(view(f).screen, DOOR_WALKIN_DONE);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest WHERE last_name = 'Durand'"
	    " AND language = 'fr'"), 1);
	door_tap(f->door, DOOR_BTN_NO, T0 + 6);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 7);
	door_tick(f->door, T0 + 600000); /* the guest's visit is over */
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 600001);
	door_text(f->door, "Jan", T0 + 600002);
	door_key(f->door, DOOR_KEY_TAB, T0 + 600003);
	door_text(f->door, "Peeters", T0 + 600004);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 600005);
	assert_int_equal(view(f).screen, DOOR_WALKIN_DONE);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest WHERE last_name = 'Peeters'"
	    " AND source = 'walkin' AND language = ''"), 1);
}

/* An e-mail address no ticket can be mailed to is asked again while the
 * guest is still at the desk: the form stays, at the e-mail field, nothing
 * is stored. Padding from a phone's keyboard is no fault. */
static void
test_walkin_with_a_bad_email_is_asked_again(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	door_text(f->door, "Inès", T0 + 1);
	door_key(f->door, DOOR_KEY_TAB, T0 + 2);
	door_text(f->door, "Dupont", T0 + 3);
	door_key(f->door, DOOR_KEY_TAB, T0 + 4);
	door_text(f->door, "ines.dupont@gmail", T0 + 5);   /* Enter pressed too soon */
	door_key(f->door, DOOR_KEY_TAB, T0 + 6);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 7);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.notice, "bad_email");
	assert_int_equal(v.focus, 2);
	assert_string_equal(v.fields[0], "Inès");           /* nothing typed is lost */
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest WHERE last_name = 'Dupont'"),
	    0);
	door_text(f->door, ".com\xc2\xa0", T0 + 8);         /* and a no-break space */
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 9);
	assert_int_equal(view(f).screen, DOOR_WALKIN_DONE);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest WHERE last_name = 'Dupont'"
	    " AND source = 'walkin' AND email = 'ines.dupont@gmail.com'"), 1);
}

/* Someone on the list already (Zoë Çelik, typed without accents; or an
 * e-mail of a guest, in another case) is said before a second ticket is
 * made; a second Register makes it (a namesake), and a field changed
 * after the warning is looked up again. */
static void
test_walkin_already_listed_is_said_first(void **state)
{
	struct fx *f = *state;
	struct guest_fields af = { .first_name = "An", .last_name = "Peeters",
	    .email = "an.peeters@example.org" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &af, "Desk", &g, NULL), 0);
	guest_clear(&g);
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	door_text(f->door, "zoe", T0 + 1);
	door_key(f->door, DOOR_KEY_TAB, T0 + 2);
	door_text(f->door, "CELIK", T0 + 3);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 4);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.notice, "already_listed");
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest"), 2);
	/* "Back to search", as it says: the search, for that name */
	door_tap(f->door, DOOR_BTN_BACK, T0 + 4);
	v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_string_equal(v.query, "zoe CELIK");
	assert_int_equal(v.nhits, 1);
	/* a name longer than the search box: its start, whole characters */
	const char *lf = "María del Carmen Inmaculada Concepción Esperanza";
	const char *ll = "Fernández de la Cruz y Rodríguez-Santamaría de los Ángeles Ortega Villanueva";
	struct guest_fields mf = { .first_name = (char *)lf, .last_name = (char *)ll };
	assert_int_equal(guest_add_walkin(f->base.s, &mf, "Desk", &g, NULL), 0);
	guest_clear(&g);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 4);
	door_text(f->door, lf, T0 + 4);
	door_key(f->door, DOOR_KEY_TAB, T0 + 4);
	door_text(f->door, ll, T0 + 4);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 4);
	assert_string_equal(view(f).notice, "already_listed");
	door_tap(f->door, DOOR_BTN_BACK, T0 + 4);
	v = view(f);
	assert_int_equal(v.screen, DOOR_SEARCH);
	assert_true(strlen(v.query) > 100 && strncmp(v.query, lf, strlen(lf)) == 0);
	assert_int_equal(v.nhits, 1);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 4);
	door_text(f->door, "zoe", T0 + 4);
	door_key(f->door, DOOR_KEY_TAB, T0 + 4);
	door_text(f->door, "CELIK", T0 + 4);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 4);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 5);
	assert_int_equal(view(f).screen, DOOR_WALKIN_DONE);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest WHERE last_name = 'CELIK'"),
	    1);
	door_tap(f->door, DOOR_BTN_NO, T0 + 6);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 7);

	/* by e-mail, under another name; then the e-mail corrected: asked again */
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 8);
	door_text(f->door, "Anna", T0 + 9);
	door_key(f->door, DOOR_KEY_TAB, T0 + 10);
	door_text(f->door, "Smit", T0 + 11);
	door_key(f->door, DOOR_KEY_TAB, T0 + 12);
	door_text(f->door, "An.Peeters@Example.org", T0 + 13);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 14);
	assert_string_equal(view(f).notice, "email_listed");   /* search finds no Anna Smit */
	door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 15);
	door_text(f->door, "g", T0 + 16);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 17);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).notice, "email_listed");
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM guest WHERE last_name = 'Smit'"),
	    0);
	/* a guest no one is yet: registered at once (Back, after an e-mail
	 * on the list under another name, is the idle screen: no name to
	 * search for) */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 18);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 19);
	door_text(f->door, "Anna", T0 + 20);
	door_key(f->door, DOOR_KEY_TAB, T0 + 21);
	door_text(f->door, "Smit", T0 + 22);
	door_tap(f->door, DOOR_BTN_SAVE, T0 + 23);
	assert_int_equal(view(f).screen, DOOR_WALKIN_DONE);
}

static void
test_failed_write_is_never_green(void **state)
{
	struct fx *f = *state;
	sqlite3_exec(store_db(f->base.s), "PRAGMA query_only = 1", NULL, NULL, NULL);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_FAILED);
	assert_null(v.outcome);
	assert_non_null(v.failure);
	assert_int_equal(f->good, 0);
	assert_int_equal(f->bad, 1);
	/* It stays until staff see it... */
	door_tick(f->door, T0 + 120000);
	assert_int_equal(view(f).screen, DOOR_FAILED);
	/* ...and the next scan, once the disk is back, works. */
	sqlite3_exec(store_db(f->base.s), "PRAGMA query_only = 0", NULL, NULL, NULL);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 120001);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
}

static void
test_locked_database_fails_red_then_recovers(void **state)
{
	struct fx *f = *state;
	/* An organiser's import holds the write lock. */
	sqlite3 *other = NULL;
	char *path = xasprintf("%s/event.db", f->base.dir);
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_set_busy_timeout(f->base.s, 50);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_FAILED);
	assert_non_null(strstr(v.failure, "locked"));
	/* Search still works while the lock is held: WAL readers don't wait. */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 10);
	door_text(f->door, "zoe", T0 + 20);
	assert_int_equal(view(f).nhits, 1);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 30);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	free(path);
}

static void
test_broken_scan_says_scan_again(void **state)
{
	struct fx *f = *state;
	door_broken_scan(f->door, T0);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_IDLE);
	assert_string_equal(v.notice, "scan_again");
	door_tick(f->door, T0 + 5000);
	assert_null(view(f).notice);
}

static void
test_language_buttons(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_LANG0 + 2, T0);
	assert_int_equal(view(f).language, 2);
}

/* A guest picks French, gets their answer in French; the next guest finds
 * the door in its own language again (it stayed French for everybody after),
 * and so does one who finds it after a guest picked German and walked off. */
static void
test_language_returns_after_the_guest(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_LANG0 + 2, T0);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 2000);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	assert_int_equal(view(f).language, 2);
	door_tick(f->door, T0 + 6000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_int_equal(view(f).language, 0);

	door_tap(f->door, DOOR_BTN_LANG0 + 3, T0 + 10000);
	door_tick(f->door, T0 + 10000 + DOOR_IDLE_TIMEOUT_MS - 1);
	assert_int_equal(view(f).language, 3);
	door_tick(f->door, T0 + 10000 + DOOR_IDLE_TIMEOUT_MS);
	assert_int_equal(view(f).language, 0);

	/* Every way off the result ends the visit: Enter, an undo. */
	uint32_t t = T0 + 200000;
	door_tap(f->door, DOOR_BTN_LANG0 + 1, t);
	door_scan(f->door, "NOPE-1", 6, t + 100);
	door_key(f->door, DOOR_KEY_ENTER, t + 200);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_int_equal(view(f).language, 0);
	door_tap(f->door, DOOR_BTN_LANG0 + 2, t + 300);
	door_scan(f->door, f->zoe, strlen(f->zoe), t + 400); /* admitted before: amber */
	door_tap(f->door, DOOR_BTN_LANG0 + 2, t + 500);
	struct guest_fields nf = { .first_name = "Nora", .last_name = "Peeters" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &nf, "Desk", &g, NULL), 0);
	door_key(f->door, DOOR_KEY_ESCAPE, t + 600);
	door_tap(f->door, DOOR_BTN_LANG0 + 2, t + 700);
	door_scan(f->door, g.code, strlen(g.code), t + 800);
	guest_clear(&g);
	door_tap(f->door, DOOR_BTN_UNDO, t + 900);
	door_key(f->door, DOOR_KEY_ENTER, t + 1000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	assert_int_equal(view(f).notice != NULL && strcmp(view(f).notice, "undone") == 0, 1);
	assert_int_equal(view(f).language, 0);
}

/* A scan in the middle of a walk-in form brings the form back as it was,
 * in the language it was being typed in. */
static void
test_resumed_walkin_keeps_its_language(void **state)
{
	struct fx *f = *state;
	door_tap(f->door, DOOR_BTN_LANG0 + 1, T0);
	door_key(f->door, DOOR_KEY_WALKIN, T0 + 100);
	door_text(f->door, "Ines", T0 + 200);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 300);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 400);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "Ines");
	assert_int_equal(view(f).language, 1);
}

/* A staff_pin door with a form typed behind the PIN; keys typed
 * one by one, the app ticking between them. */
static void
form_behind_pin(struct fx *f)
{
	staff_door(f);
	door_tap(f->door, DOOR_BTN_WALKIN, T0);
	enter_pin(f, T0 + 10, T0 + 20);
	door_text(f->door, "Maxime", T0 + 30);
}

static uint32_t
type_slowly(struct fx *f, const char *s, uint32_t t)
{
	for (; *s; s++, t += 400) {
		char c[2] = { *s, '\0' };
		door_text(f->door, c, t);
		door_tick(f->door, t + 200);
	}
	return t;
}

/* A guest types a code by hand across the last answer's timeout, a form
 * waiting behind the PIN: the code is checked in, no PIN try counted (the
 * answer gave way to the PIN pad, which took the rest of the digits). */
static void
test_code_typed_across_a_timeout_is_no_pin_try(void **state)
{
	struct fx *f = *state;
	form_behind_pin(f);
	for (uint32_t t = T0 + 70000; t < T0 + 130000; t += 20000) { /* 3 guests */
		door_scan(f->door, "NOPE", 4, t);
		door_key(f->door, DOOR_KEY_ENTER, type_slowly(f, "NOPE-123456", t + 2000));
	}
	assert_int_equal(view(f).pin_wait_s, 0);
	assert_int_equal(tu_count(f->base.s,
	    "SELECT count(*) FROM scan WHERE code = 'NOPE-123456'"), 3);
}

/* The same, with an Undo question held: the guest's Enter checks their code
 * in; it answered Yes to undoing another guest's admission. */
static void
test_code_typed_across_a_timeout_undoes_nothing(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	struct guest_fields bf = { .first_name = "Björn", .last_name = "Janssens" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &bf, "Desk", &g, NULL), 0);
	char bjorn[64];
	snprintf(bjorn, sizeof bjorn, "%s", g.code);
	guest_clear(&g);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100);
	door_scan(f->door, "NOPE", 4, T0 + 200);          /* held: Zoë's question */
	door_key(f->door, DOOR_KEY_ENTER, type_slowly(f, bjorn, T0 + 2000));
	assert_int_equal(tu_count(f->base.s,
	    "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 0);
	assert_string_equal(view(f).outcome->guest.first_name, "Björn");
}

/* A scan on the red "could not record" screen keeps the walk-in form the
 * failed scan interrupted. */
static void
test_scan_on_failed_keeps_the_form(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_WALKIN, T0);           /* no staff_pin */
	door_text(f->door, "Maxime", T0 + 10);
	sqlite3_exec(store_db(f->base.s), "PRAGMA query_only = 1", NULL, NULL, NULL);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 100);
	assert_int_equal(view(f).screen, DOOR_FAILED);
	sqlite3_exec(store_db(f->base.s), "PRAGMA query_only = 0", NULL, NULL, NULL);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 200);
	door_tick(f->door, T0 + 4200);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "Maxime");
}

/* Walk-in (F3) on the answer to a scan that interrupted a form: that form,
 * not an empty one. */
static void
test_walkin_key_on_result_keeps_the_form(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Maxime", T0 + 10);
	door_scan(f->door, "NOPE", 4, T0 + 100);
	door_key(f->door, DOOR_KEY_WALKIN, T0 + 200);
	assert_string_equal(view(f).fields[0], "Maxime");
}

/* A stray key typed aside, then a pause: it is not put before the next
 * guest's typed code. */
static void
test_stale_keys_typed_aside_are_dropped(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_text(f->door, "9", T0);
	door_scan(f->door, "NOPE", 4, T0 + 1000);         /* scanned instead */
	door_key(f->door, DOOR_KEY_ENTER, type_slowly(f, f->zoe, T0 + 6000));
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
}

/* A ticket number typed on the PIN pad, one typo corrected with Backspace:
 * still no counted try. */
static void
test_corrected_long_number_is_no_pin_try(void **state)
{
	struct fx *f = *state;
	door_key(f->door, DOOR_KEY_ADMIN, T0);
	for (uint32_t i = 0; i < 3; i++) {
		door_text(f->door, "5033029141793782511607002", T0 + 10 + i);
		door_key(f->door, DOOR_KEY_BACKSPACE, T0 + 20 + i);
		door_text(f->door, "1", T0 + 30 + i);
		door_key(f->door, DOOR_KEY_ENTER, T0 + 40 + i);
	}
	assert_int_equal(view(f).pin_wait_s, 0);
}


/* A guest has typed their code by hand; another guest's badge is scanned
 * as they reach for Enter: their Enter checks their code in, both guests
 * are in (a scan dropped their keys, and their Enter took the scanned
 * answer off the screen, or brought up a PIN pad or Undo question). */
static void
test_code_typed_survives_a_scan(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	struct guest_fields bf = { .first_name = "Björn", .last_name = "Janssens" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &bf, "Desk", &g, NULL), 0);
	char bjorn[64];
	snprintf(bjorn, sizeof bjorn, "%s", g.code);
	guest_clear(&g);
	uint32_t t = type_slowly(f, bjorn, T0);
	door_scan(f->door, f->zoe, strlen(f->zoe), t);
	door_key(f->door, DOOR_KEY_ENTER, t + 150);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_RESULT);
	assert_string_equal(v.outcome->guest.first_name, "Björn");
	assert_int_equal(v.outcome->result, CHECKIN_ADMITTED);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'in'"), 2);
}

/* A name typed aside on an answer kept past its time: Enter says "scan
 * again", for the notice's time (the answer left at the next frame, the
 * notice with it). */
static void
test_scan_again_after_typed_name_is_seen(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_scan(f->door, "NOPE", 4, T0);
	uint32_t t = type_slowly(f, "anna", T0 + 3000);   /* past the answer's 4 s */
	door_key(f->door, DOOR_KEY_ENTER, t);
	assert_string_equal(view(f).notice, "scan_again");
	door_tick(f->door, t + 16);                       /* the next frame */
	assert_non_null(view(f).notice);
}

/* Staff give the PIN, a scan cannot be recorded (the red screen stays until
 * staff see it); SDL's 32-bit tick count wraps (49.7 days): the PIN is
 * asked again (staff's minute opened again). */
static void
test_staff_minute_does_not_reopen_at_tick_wrap(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_SEARCH, T0);
	door_text(f->door, "2468", T0 + 10);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 20);       /* staff_at = T0 + 20 */
	sqlite3_exec(store_db(f->base.s), "PRAGMA query_only = 1", NULL, NULL, NULL);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 100);
	assert_int_equal(view(f).screen, DOOR_FAILED);
	uint32_t t = T0 + 100;
	for (int i = 0; i < 49; i++) {                   /* a tick a day */
		t += 86400000u;
		door_tick(f->door, t);
	}
	uint32_t wrapped = T0 + 20 + 1000;               /* staff_at + 2^32 + 1 s */
	door_tick(f->door, wrapped);
	assert_int_equal(view(f).screen, DOOR_FAILED);
	door_tap(f->door, DOOR_BTN_SEARCH, wrapped + 10);
	assert_int_equal(view(f).screen, DOOR_PIN);
}

/* Staff type the PIN on the pad (they tapped Search); a guest's badge is
 * scanned before their Enter, which lands on the answer: the PIN is never
 * checked in as a code (kept aside with the pad's keys, it was: in clear in
 * the scan audit, synced to the hub). */
static void
test_pin_typed_before_a_scan_is_no_code(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_SEARCH, T0);
	assert_int_equal(view(f).screen, DOOR_PIN);
	uint32_t t = type_slowly(f, "2468", T0 + 500);
	door_scan(f->door, f->zoe, strlen(f->zoe), t);   /* a guest, meanwhile */
	door_key(f->door, DOOR_KEY_ENTER, t + 300);      /* staff's OK */
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan WHERE code = '2468'"), 0);
	assert_string_equal(view(f).outcome->guest.first_name, "Zoë");
}

/* Staff out ([kiosk] staff_pin, their minute over), nothing of theirs comes
 * back on its own where a guest's Enter would answer it: an Undo question
 * held is dropped (a guest's Enter was its Yes), and a walk-in form is kept
 * for Walk-in and the PIN, not brought up behind a PIN pad (guests' keys
 * landed there as wrong PINs, and a guest's Back lost the form). Guests'
 * codes typed meanwhile are checked in. */
static void
test_staff_out_nothing_comes_back_on_its_own(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 100);            /* staff's: the PIN */
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, T0 + 200, T0 + 300);
	assert_int_equal(view(f).screen, DOOR_UNDO);
	door_scan(f->door, "NOPE", 4, T0 + 59000);              /* held */
	door_tick(f->door, T0 + 63100);                         /* staff's minute is over */
	assert_int_equal(view(f).screen, DOOR_IDLE);
	for (int i = 0; i < 3; i++) {                           /* guests, Enter and again */
		uint32_t t = type_slowly(f, "NOPE-123456", T0 + 70000 + (uint32_t)i * 20000);
		door_tick(f->door, t + 5500);
		door_key(f->door, DOOR_KEY_ENTER, t + 5600);
		door_key(f->door, DOOR_KEY_ENTER, t + 6000);
		door_key(f->door, DOOR_KEY_ENTER, t + 6400);
	}
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'undo'"), 0);
	assert_int_equal(view(f).pin_wait_s, 0);

	/* the form: kept through guests' scans, keys and taps */
	form_behind_pin(f);
	door_scan(f->door, "NOPE", 4, T0 + 70000);
	door_tick(f->door, T0 + 74100);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	uint32_t t = type_slowly(f, f->zoe, T0 + 75000);        /* a guest's code */
	door_key(f->door, DOOR_KEY_ENTER, t);
	assert_int_equal(view(f).outcome->result, CHECKIN_ALREADY);
	door_tap(f->door, DOOR_BTN_SEARCH, t + 100);            /* a guest, then Back */
	door_text(f->door, "12", t + 200);
	door_tap(f->door, DOOR_BTN_BACK, t + 300);
	door_tap(f->door, DOOR_BTN_WALKIN, t + 20000);          /* staff */
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, t + 20100, t + 20200);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[0], "Maxime");
}

/* Digits a guest left on a PIN pad and walked off from are not put before
 * staff's PIN (a wrong try was counted, the right PIN refused). */
static void
test_digits_left_on_the_pad_do_not_spoil_the_pin(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_SEARCH, T0);                 /* a guest */
	type_slowly(f, "7123", T0 + 100);
	uint32_t t = type_slowly(f, "2468", T0 + 20000);        /* staff */
	door_key(f->door, DOOR_KEY_ENTER, t);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
}

/* Staff open the PIN pad (Search, or the gear); a guest's badge is scanned
 * before they type: the PIN they type, eyes on the keys, and Enter land on
 * the answer. It is taken as the PIN, never recorded as a code (it was, in
 * clear in the scan audit, synced to the hub). The same at a door without
 * staff_pin, where the keys open the search. */
static void
test_pin_typed_after_a_scan_is_no_code(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_SEARCH, T0);
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 300);     /* a guest, meanwhile */
	uint32_t t = type_slowly(f, "2468", T0 + 600);           /* staff */
	door_key(f->door, DOOR_KEY_ENTER, t);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan WHERE code = '2468'"), 0);

	make_door(f, true, 4000);                                /* no staff_pin */
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 100000);
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_scan(f->door, "NOPE", 4, T0 + 100300);
	t = type_slowly(f, "2468", T0 + 100600);
	door_key(f->door, DOOR_KEY_ENTER, t);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM scan WHERE code = '2468'"), 0);
}

/* Guests tap "Search name" (on the idle screen of a staff_pin door) and
 * type their ticket code on the keyboard: a PIN has no letters, so what had
 * them is no try (the pad kept the digits and counted a wrong PIN; three
 * guests, and staff were locked out). */
static void
test_ticket_code_typed_on_the_pad_is_no_pin_try(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	uint32_t t = T0;
	for (int i = 0; i < 3; i++, t += 20000) {
		door_tap(f->door, DOOR_BTN_SEARCH, t);
		assert_int_equal(view(f).screen, DOOR_PIN);
		door_key(f->door, DOOR_KEY_ENTER, type_slowly(f, "TAG-4K7M2Q9XH3PR8TVW", t + 100));
		door_tap(f->door, DOOR_BTN_BACK, t + 10000);
	}
	assert_int_equal(view(f).pin_wait_s, 0);
	door_tap(f->door, DOOR_BTN_SEARCH, t);                  /* staff */
	enter_pin(f, t + 100, t + 200);
	assert_int_equal(view(f).screen, DOOR_SEARCH);
}

/* A volunteer types a walk-in for more than a minute (name, e-mail,
 * company, with the guest spelling them); a guest scans: the volunteer
 * goes on typing during the answer, as at any door, and the form comes
 * back. Staff at work on their own screens keep their minute (their keys
 * went aside, and the form waited for Walk-in and the PIN). */
static void
test_volunteer_past_the_minute_keeps_typing_the_form(void **state)
{
	struct fx *f = *state;
	form_behind_pin(f);                                      /* PIN at T0 + 20 */
	door_key(f->door, DOOR_KEY_TAB, T0 + 40000);
	door_text(f->door, "Dupont", T0 + 80000);
	door_scan(f->door, "NOPE", 4, T0 + 90000);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_text(f->door, "-Claes", T0 + 90500);                /* the volunteer */
	door_tick(f->door, T0 + 96000);
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[0], "Maxime");
	assert_string_equal(v.fields[1], "Dupont-Claes");
}

/* A scan interrupts the form past staff's minute; the volunteer taps
 * Walk-in on the answer (the PIN pad), then Back, or leaves the pad a
 * minute: the form is kept five minutes, as when the answer times out (it
 * was gone for good). */
static void
test_walkin_pad_left_keeps_the_form(void **state)
{
	struct fx *f = *state;
	for (int way = 0; way < 2; way++) {
		form_behind_pin(f);
		door_scan(f->door, "NOPE", 4, T0 + 70000);
		door_tap(f->door, DOOR_BTN_WALKIN, T0 + 71000);  /* staff: the form */
		assert_int_equal(view(f).screen, DOOR_PIN);
		if (way == 0)
			door_tap(f->door, DOOR_BTN_BACK, T0 + 72000);
		else
			door_tick(f->door, T0 + 71000 + DOOR_IDLE_TIMEOUT_MS);
		assert_int_equal(view(f).screen, DOOR_IDLE);
		door_tap(f->door, DOOR_BTN_WALKIN, T0 + 140000);
		enter_pin(f, T0 + 140100, T0 + 140200);
		assert_int_equal(view(f).screen, DOOR_WALKIN);
		assert_string_equal(view(f).fields[0], "Maxime");
	}
}

/* The walk-in form a scan interrupted waits behind the admin menu staff
 * open from the answer (F12, the PIN): leaving the menu for the idle
 * screen at a door of guests keeps it for Walk-in and the PIN. */
static void
test_form_waits_behind_the_admin_menu(void **state)
{
	struct fx *f = *state;
	form_behind_pin(f);                                      /* PIN at T0 + 20 */
	door_scan(f->door, "NOPE", 4, T0 + 1000);
	assert_int_equal(view(f).screen, DOOR_RESULT);
	door_key(f->door, DOOR_KEY_ADMIN, T0 + 1100);
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, T0 + 1200, T0 + 1300);
	assert_int_equal(view(f).screen, DOOR_ADMIN);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 2000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 3000);
	enter_pin(f, T0 + 3100, T0 + 3200);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "Maxime");
}

/* A scan interrupts the form, staff tap Walk-in on the answer (the PIN
 * pad) and another guest scans before they type it: the PIN still gives
 * the form back. A scan on a PIN pad opened for the search lets a search
 * a scan interrupted go. */
static void
test_scan_on_the_walkin_pad_keeps_the_form(void **state)
{
	struct fx *f = *state;
	form_behind_pin(f);
	door_scan(f->door, "NOPE", 4, T0 + 70000);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 71000);
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_scan(f->door, "NOPE", 4, T0 + 72000);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 73000);
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, T0 + 73100, T0 + 73200);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "Maxime");
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 74000);

	/* a search, interrupted; Undo on the answer asks the PIN; a scan
	 * there: its answer, then idle, not the search */
	uint32_t t = T0 + 200000;
	door_tap(f->door, DOOR_BTN_SEARCH, t);
	enter_pin(f, t + 100, t + 200);
	door_text(f->door, "cel", t + 300);
	door_scan(f->door, f->zoe, strlen(f->zoe), t + 70000);
	door_tap(f->door, DOOR_BTN_UNDO, t + 71000);
	assert_int_equal(view(f).screen, DOOR_PIN);
	door_scan(f->door, "NOPE", 4, t + 72000);
	door_tick(f->door, t + 76100);
	assert_int_equal(view(f).screen, DOOR_IDLE);
}

/* A guest the last search listed scans while a walk-in form is typed: the
 * form comes back (the search was over; only a search, "Check in?" or
 * walk-in's code ends with its guest's own scan). */
static void
test_listed_guest_scan_mid_form_keeps_the_form(void **state)
{
	struct fx *f = *state;
	door_text(f->door, "zo", T0);
	assert_int_equal(view(f).nhits, 1);
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 100);
	door_key(f->door, DOOR_KEY_WALKIN, T0 + 200);
	door_text(f->door, "Inès", T0 + 300);
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 400);
	assert_int_equal(view(f).outcome->result, CHECKIN_ADMITTED);
	door_tick(f->door, T0 + 4400);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "Inès");
}

/* A volunteer types half a walk-in and walks off; guests keep scanning,
 * one answer after another: the form times out a minute after the
 * volunteer last touched it, as it would with nobody scanning (it came
 * back with a fresh minute after each answer, and a queue kept a stranger's
 * half-typed form on the screen for good, for the next volunteer to finish
 * with another guest's details). A volunteer who goes on typing gets it
 * back, late or not: they are there. */
static void
test_form_left_times_out_behind_scans(void **state)
{
	struct fx *f = *state;                          /* no staff_pin */
	door_key(f->door, DOOR_KEY_WALKIN, T0);
	door_text(f->door, "Maxime", T0 + 10);
	door_scan(f->door, "NOPE", 4, T0 + 30000);
	door_tick(f->door, T0 + 34000);
	assert_int_equal(view(f).screen, DOOR_WALKIN);  /* within the minute */
	door_scan(f->door, "NOPE", 4, T0 + 58000);
	door_tick(f->door, T0 + 62000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
	door_key(f->door, DOOR_KEY_WALKIN, T0 + 63000);
	assert_string_equal(view(f).fields[0], "");     /* a new form */
	door_key(f->door, DOOR_KEY_ESCAPE, T0 + 63100);

	door_key(f->door, DOOR_KEY_WALKIN, T0 + 100000);
	door_text(f->door, "Inès", T0 + 100010);
	door_scan(f->door, "NOPE", 4, T0 + 159000);
	door_text(f->door, "e", T0 + 161000);           /* the volunteer */
	struct door_view v = view(f);
	assert_int_equal(v.screen, DOOR_WALKIN);
	assert_string_equal(v.fields[0], "Inèse");
	/* its minute runs from there */
	door_scan(f->door, "NOPE", 4, T0 + 200000);
	door_tick(f->door, T0 + 204000);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	door_scan(f->door, "NOPE", 4, T0 + 218000);
	door_tick(f->door, T0 + 222000);
	assert_int_equal(view(f).screen, DOOR_IDLE);
}

/* A queue scans for more than a minute while the volunteer helps a guest
 * with the form aside; they press Enter (or Escape) on the last answer to
 * get back to it: someone at the keyboard is staff there, the form comes
 * back and its minute starts again. It was dropped: their minute ran from
 * their last letter typed, and only letters counted. */
static void
test_enter_on_an_answer_past_the_minute_brings_the_form_back(void **state)
{
	struct fx *f = *state;                          /* no staff_pin */
	for (int way = 0; way < 2; way++) {
		uint32_t t = T0 + (uint32_t)way * 1000000;
		door_key(f->door, DOOR_KEY_WALKIN, t);
		door_text(f->door, "Maxime", t + 10);
		for (uint32_t s = 20000; s <= 80000; s += 3000)
			door_scan(f->door, "NOPE", 4, t + s);
		assert_int_equal(view(f).screen, DOOR_RESULT);
		door_key(f->door, way == 0 ? DOOR_KEY_ENTER : DOOR_KEY_ESCAPE, t + 81000);
		struct door_view v = view(f);
		assert_int_equal(v.screen, DOOR_WALKIN);
		assert_string_equal(v.fields[0], "Maxime");
		/* its minute runs from there */
		door_tick(f->door, t + 81000 + 59000);
		assert_int_equal(view(f).screen, DOOR_WALKIN);
		door_tick(f->door, t + 81000 + 61000);
		assert_int_equal(view(f).screen, DOOR_IDLE);
	}
}

/* At a door of guests (staff_pin) the form left behind scans is not lost
 * when its minute is over: kept five minutes for Walk-in and the PIN, also
 * when staff, back to undo a mis-scan, let the answers run out. */
static void
test_form_left_behind_scans_is_kept_for_the_pin(void **state)
{
	struct fx *f = *state;
	form_behind_pin(f);                              /* "Maxime" at T0 + 30 */
	door_scan(f->door, f->zoe, strlen(f->zoe), T0 + 50000);
	door_tap(f->door, DOOR_BTN_UNDO, T0 + 80000);    /* staff, a minute on */
	assert_int_equal(view(f).screen, DOOR_PIN);
	enter_pin(f, T0 + 80100, T0 + 80200);
	assert_int_equal(view(f).screen, DOOR_UNDO);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 80300);   /* undone */
	assert_int_equal(view(f).screen, DOOR_IDLE);
	door_tap(f->door, DOOR_BTN_WALKIN, T0 + 200000);
	enter_pin(f, T0 + 200100, T0 + 200200);
	assert_int_equal(view(f).screen, DOOR_WALKIN);
	assert_string_equal(view(f).fields[0], "Maxime");
}

/* Staff pick a guest in the search and are called away before answering
 * "Admit?"; the next guest types their code and Enter: their code is
 * checked in, no Yes to the question (their keys were dropped and their
 * Enter admitted the guest staff picked). */
static void
test_guest_code_on_a_confirm_left_admits_nobody_else(void **state)
{
	struct fx *f = *state;
	staff_door(f);
	door_tap(f->door, DOOR_BTN_SEARCH, T0);
	enter_pin(f, T0 + 100, T0 + 200);
	door_text(f->door, "zo", T0 + 50000);
	door_key(f->door, DOOR_KEY_ENTER, T0 + 55000);
	assert_int_equal(view(f).screen, DOOR_CONFIRM);
	uint32_t t = type_slowly(f, "NOPE-123456", T0 + 65000); /* a guest */
	door_key(f->door, DOOR_KEY_ENTER, t);
	assert_int_equal(tu_count(f->base.s, "SELECT count(*) FROM checkin WHERE kind = 'in'"), 0);
	assert_int_equal(tu_count(f->base.s,
	    "SELECT count(*) FROM scan WHERE code = 'NOPE-123456'"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_form_waits_behind_the_admin_menu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_on_the_walkin_pad_keeps_the_form, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_listed_guest_scan_mid_form_keeps_the_form, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_form_left_times_out_behind_scans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_on_an_answer_past_the_minute_brings_the_form_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_form_left_behind_scans_is_kept_for_the_pin, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pin_typed_after_a_scan_is_no_code, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ticket_code_typed_on_the_pad_is_no_pin_try,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_volunteer_past_the_minute_keeps_typing_the_form,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_walkin_pad_left_keeps_the_form, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_guest_code_on_a_confirm_left_admits_nobody_else,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff_out_nothing_comes_back_on_its_own, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_digits_left_on_the_pad_do_not_spoil_the_pin, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scan_takes_the_clock_the_sync_thread_learnt, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scan_admits_then_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyboard_goes_when_real_keys_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tab_ended_burst_names_a_tab_scanner_only_for_a_ticket,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_fast_burst_names_min_length_only_for_a_ticket,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_typing_stays_in_the_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_pin_is_the_pin_not_a_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_glued_to_typing_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_name_on_idle_opens_the_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_scan_read_two_ways_takes_the_known_one, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_next_scan_replaces_result, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_badge_read_twice_stays_green, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_typed_code_checks_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abandoned_pin_is_forgotten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_result_drops_the_old_notice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_pins_close_the_pad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notice_goes_with_its_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walkin_shift_tab_goes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_mid_walkin_keeps_the_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_mid_walkin_keeps_the_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reentry_is_not_an_arrival, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_question_comes_back_after_a_scan, setup, teardown),
	cmocka_unit_test_setup_teardown(test_staff_pin_guards_search_and_walkin, setup, teardown),
	cmocka_unit_test_setup_teardown(test_idle_after_result_closes_staff_screens, setup, teardown),
	cmocka_unit_test_setup_teardown(test_idle_after_walkin_result_closes_search, setup, teardown),
	cmocka_unit_test_setup_teardown(test_guest_keys_on_result_are_no_pin_tries, setup, teardown),
	cmocka_unit_test_setup_teardown(test_typed_is_forgotten_when_left, setup, teardown),
	cmocka_unit_test_setup_teardown(test_back_to_search_behind_pin_keeps_the_name, setup, teardown),
	cmocka_unit_test_setup_teardown(test_walkin_through_pin_drops_held_undo, setup, teardown),
	cmocka_unit_test_setup_teardown(test_left_form_does_not_come_back, setup, teardown),
	cmocka_unit_test_setup_teardown(test_no_staff_pin_resume_unchanged, setup, teardown),
	cmocka_unit_test_setup_teardown(test_held_memory, setup, teardown),
	cmocka_unit_test_setup_teardown(test_admin_through_retargeted_pin_drops_held_undo, setup, teardown),
	cmocka_unit_test_setup_teardown(test_typed_survives_the_result_timeout, setup, teardown),
	cmocka_unit_test_setup_teardown(test_backspaced_long_pin_is_looked_at, setup, teardown),
	cmocka_unit_test_setup_teardown(test_undo_needs_confirm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_takes_back_this_doors_admission, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_search_says_checked_in_today, setup, teardown),
		cmocka_unit_test_setup_teardown(test_door_counts_today_at_an_event_of_days, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_search_says_more_may_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_lists_nobody_before_two_letters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_search_pick_confirm_admit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_enter_picks_the_name_not_the_email,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_works_mid_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_mid_search_keeps_the_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_left_open_times_out_behind_scans, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scan_on_walkin_done_keeps_check_in_now, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unattended_screens_fall_back_to_idle, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_admin_needs_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_full_screen_asks_for_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_then_walk_away, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_window_without_pin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_toggles_exit_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_mode_needs_reentry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walkin_registers_and_admits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walkin_already_listed_is_said_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_walkin_with_a_bad_email_is_asked_again, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_is_never_green, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locked_database_fails_red_then_recovers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_broken_scan_says_scan_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language_buttons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language_returns_after_the_guest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_walkin_takes_the_language_picked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_resumed_walkin_keeps_its_language, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_code_typed_across_a_timeout_is_no_pin_try, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_typed_across_a_timeout_undoes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_on_failed_keeps_the_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walkin_key_on_result_keeps_the_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_keys_typed_aside_are_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrected_long_number_is_no_pin_try, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_typed_survives_a_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_again_after_typed_name_is_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff_minute_does_not_reopen_at_tick_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_typed_before_a_scan_is_no_code, setup, teardown),
	};
	return cmocka_run_group_tests_name("door", tests, NULL, NULL);
}
