/* Tests for hostname: the names the hub's live page answers to. What the
 * organiser notices: the page opens by the hub's address, its name, or a
 * name kiosk.conf lists; a page on another site whose name was pointed at
 * the hub (DNS rebinding) gets nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/hostname.h"

static bool
ok(const char *host)
{
	static const char *const names[] = { "checkin.venue.lan", "hub.lan:8080", "Door-Hub.",
		"http://Entree.Venue.lan:8080/", "https://door-2.lan/?lang=nl" };
	return hostname_allowed(host, "orga-laptop", names, 5);
}

static void
test_addresses_are_allowed(void **state)
{
	(void)state;
	assert_true(ok("192.168.1.10:8080"));
	assert_true(ok("192.168.1.10"));
	assert_true(ok("127.0.0.1:8080"));
	assert_true(ok("[::1]:8080"));
	assert_true(ok("[fe80::1]"));
	assert_true(ok(NULL));           /* HTTP/1.0: no browser */
	assert_true(ok(" 192.168.1.10:8080\t"));  /* not part of the value */
}

static void
test_own_names_are_allowed(void **state)
{
	(void)state;
	assert_true(ok("localhost:8080"));
	assert_true(ok("LOCALHOST"));
	assert_true(ok("hub.localhost:8080"));
	assert_true(ok("orga-laptop:8080"));
	assert_true(ok("Orga-Laptop.local:8080"));
	assert_true(ok("orga-laptop.local."));
	assert_true(ok("checkin.venue.lan:8080"));
	assert_true(ok("CHECKIN.venue.lan."));
	assert_true(ok("hub.lan:9000"));  /* a name listed with a port: any port */
	assert_true(ok("door-hub"));
	/* listed as the browser's address bar shows it */
	assert_true(ok("entree.venue.lan:8080"));
	assert_true(ok("Door-2.lan"));
}

/* A computer whose name carries its domain ("hub.venue.lan", as some
 * installers set it) is opened by its short name too, as a browser on the
 * venue's network is given it; not by that label under another domain. */
static void
test_short_name_of_a_full_name(void **state)
{
	(void)state;
	assert_true(hostname_allowed("hub:8080", "hub.venue.lan", NULL, 0));
	assert_true(hostname_allowed("HUB", "hub.venue.lan", NULL, 0));
	assert_true(hostname_allowed("hub.venue.lan:8080", "hub.venue.lan", NULL, 0));
	assert_false(hostname_allowed("hub.evil.example", "hub.venue.lan", NULL, 0));
	assert_false(hostname_allowed("hu", "hub.venue.lan", NULL, 0));
	assert_false(hostname_allowed("hubx", "hub.venue.lan", NULL, 0));
	assert_false(hostname_allowed("venue", "hub.venue.lan", NULL, 0));
	assert_false(hostname_allowed("evil", "hub", NULL, 0));
}

static void
test_other_names_are_refused(void **state)
{
	(void)state;
	assert_false(ok("evil.example"));
	assert_false(ok("evil.example:8080"));
	assert_false(ok("192.168.1.10.nip.io:8080"));  /* a name that resolves to the hub */
	assert_false(ok("localhost.evil.example"));
	assert_false(ok("orga-laptop.evil.example"));
	assert_false(ok("evilorga-laptop"));
	assert_false(ok("venue.lan"));
	assert_false(ok("x"));
	assert_false(ok("0x7f.1"));       /* not how a browser writes an address */
	assert_false(ok("2130706433"));
	assert_false(ok(".localhost"));
	assert_false(ok(""));
	assert_false(ok("  "));
	assert_false(ok("127.0.0.1 evil.example"));
	assert_false(ok(":8080"));
	assert_false(ok("[::1"));
	assert_false(ok("[evil.example]"));
	assert_false(ok("192.168.1.10:80:80"));
	assert_false(ok("192.168.1.10:http"));
	assert_false(ok("hub.lan@evil.example"));
	assert_false(ok("http"));         /* the scheme of a listed address is no name */
	assert_false(ok("venue.lan"));
	/* no name of its own: only addresses and localhost */
	assert_false(hostname_allowed("orga-laptop", NULL, NULL, 0));
	assert_false(hostname_allowed("orga-laptop", "", NULL, 0));
	assert_true(hostname_allowed("127.0.0.1", "", NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses_are_allowed),
		cmocka_unit_test(test_own_names_are_allowed),
		cmocka_unit_test(test_short_name_of_a_full_name),
		cmocka_unit_test(test_other_names_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
