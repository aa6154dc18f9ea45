/* Tests for util: UUIDs, and text that must be UTF-8.
 *
 * Every record (guest, check-in, scan) is known by its UUID everywhere,
 * across kiosks: two alike would merge two guests or drop a check-in as
 * "already stored". They are time-ordered (version 7), which keeps a batch
 * of records together in the uuid indexes. Text is stored and synced as
 * UTF-8, the only thing JSON carries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "testutil.h"

#define MANY 20000

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_uuid_form(void **state)
{
	(void)state;
	char *u = util_uuid();
	assert_int_equal(strlen(u), 36);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(u[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", u[i]));
	}
	assert_int_equal(u[14], '7');               /* version 7 */
	assert_non_null(strchr("89ab", u[19]));     /* RFC 9562 variant */
	free(u);
}

static void
test_uuid_carries_the_time(void **state)
{
	(void)state;
	int64_t before = util_now_ms();
	char *u = util_uuid();
	int64_t after = util_now_ms();
	char hex[13];
	memcpy(hex, u, 8);
	memcpy(hex + 8, u + 9, 4);
	hex[12] = '\0';
	int64_t ms = (int64_t)strtoll(hex, NULL, 16);
	assert_true(ms >= before && ms <= after);
	free(u);
}

static void
test_uuids_are_unique(void **state)
{
	(void)state;
	/* Most of these share a millisecond: only the random bits differ. */
	char **all = malloc(MANY * sizeof *all);
	assert_non_null(all);
	for (int i = 0; i < MANY; i++)
		all[i] = util_uuid();
	qsort(all, MANY, sizeof *all, by_text);
	for (int i = 1; i < MANY; i++)
		assert_string_not_equal(all[i - 1], all[i]);
	for (int i = 0; i < MANY; i++)
		free(all[i]);
	free(all);
}

static void
test_later_uuids_sort_after(void **state)
{
	(void)state;
	char *first = util_uuid();
	struct timespec two_ms = { 0, 2 * 1000000 };
	nanosleep(&two_ms, NULL);
	char *second = util_uuid();
	assert_true(strcmp(first, second) < 0);
	free(first);
	free(second);
}

static void
test_text_that_is_not_utf8(void **state)
{
	(void)state;
	char *cause = NULL;
	assert_int_equal(util_text_check("first name", "Ren\xc3\xa9", &cause), 0);
	assert_int_equal(util_text_check("first name", NULL, &cause), 0);
	assert_int_equal(util_text_check("first name", "Ren\xe9", &cause), -1);
	assert_non_null(strstr(cause, "first name: not valid UTF-8"));
	free(cause);
	/* Bad bytes become U+FFFD, good characters stay, nothing is cut. */
	char *fixed = util_utf8_fix("A\xe9" "B\xc3\xa9\xc3");
	assert_string_equal(fixed, "A\xef\xbf\xbd" "B\xc3\xa9\xef\xbf\xbd");
	free(fixed);	/* Cut to a number of bytes between characters, never inside "é". */
	assert_int_equal(util_utf8_cut("Ren\xc3\xa9", 5, 9), 5);
	assert_int_equal(util_utf8_cut("Ren\xc3\xa9", 5, 4), 3);
	assert_int_equal(util_utf8_cut("Ren\xc3\xa9", 5, 3), 3);
	assert_int_equal(util_utf8_cut("\xe2\x82\xac", 3, 2), 0);
}

static int
ncmp(const char *a, const char *b)
{
	return util_natural_cmp(a, strlen(a), b, strlen(b));
}

/* Names as a person reads them: numbers by value, wherever they are. */
static void
test_natural_order(void **state)
{
	(void)state;
	const char *const order[] = { "", "9", "10", "Door", "Door 1", "Door 1b", "Door 02",
		"Door 2", "Door 3", "Door 9", "Door 10", "Door 12", "Door 100", "Exit",
		"Hall 2 Door 1", "Hall 10 Door 1", "Zuid", "\xc3\x89ntr\xc3\xa9" "e 1" };
	enum { N = sizeof order / sizeof order[0] };
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int c = ncmp(order[i], order[j]);
			if ((i < j && c >= 0) || (i > j && c <= 0) || (i == j && c != 0))
				fail_msg("'%s' vs '%s': %d", order[i], order[j], c);
		}
	/* long numbers are compared by their digits, not as integers */
	assert_true(ncmp("Door 99999999999999999999", "Door 100000000000000000000") < 0);
	assert_true(ncmp("a0", "a00") < 0);     /* the same number: bytes decide */
	assert_true(ncmp("a00", "a0") > 0);
}

/* `kiosk join` starts over with a hub at another address; one typed
 * another way is the same hub, and starting over would resend everything. */
static void
test_same_hub_address(void **state)
{
	(void)state;
	const char *const same[][2] = {
		{ "http://hub:8080", "http://hub:8080/" },
		{ "http://hub:8080", "HTTP://Hub:8080" },
		{ "http://hub", "http://hub:80/" },
		{ "https://hub", "https://hub:443" },
		{ "http://192.168.1.10:8080/kiosk", "http://192.168.1.10:8080/kiosk//" },
		{ "http://[fe80::1]:8080", "http://[FE80::1]:8080/" },
		{ "nonsense", "nonsense" },
	};
	const char *const other[][2] = {
		{ "http://hub:8080", "http://hub:8081" },
		{ "http://hub:8080", "https://hub:8080" },
		{ "http://hub", "https://hub" },
		{ "http://hub:443", "https://hub:443/x" },
		{ "http://hub1:8080", "http://hub:8080" },
		{ "http://hub:8080/a", "http://hub:8080/A" },
		{ "http://hub:8080", "http://hub:08080x" },
		{ "http://[fe80::1]:8080", "http://[fe80::2]:8080" },
		{ "nonsense", "Nonsense" },
		{ "http://hub", "hub" },
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		if (!util_url_same(same[i][0], same[i][1]) || !util_url_same(same[i][1], same[i][0]))
			fail_msg("'%s' and '%s' should be the same hub", same[i][0], same[i][1]);
	}
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		if (util_url_same(other[i][0], other[i][1]) || util_url_same(other[i][1], other[i][0]))
			fail_msg("'%s' and '%s' are different hubs", other[i][0], other[i][1]);
	}
}

/* A redirect to the hub's own host (a web server in front of it sending
 * http:// on to https://) is no Wi-Fi's login page, which sends every
 * address to its own. */
static void
test_same_host_of_a_redirect(void **state)
{
	(void)state;
	const char *const same[][2] = {
		{ "http://hub.example.org", "https://hub.example.org/v1/event" },
		{ "http://Hub.Example.org.:8080", "http://hub.example.org:8443/x" },
		{ "http://192.168.1.10:8080", "https://192.168.1.10/" },
		{ "http://[fe80::1]:8080", "https://[FE80::1]:8443" },
	};
	const char *const other[][2] = {
		{ "http://hub.example.org", "http://login.venue.example/?u=hub.example.org" },
		{ "http://192.168.1.10:8080", "http://192.168.1.1/login" },
		{ "http://hub.example.org", "http://hub.example.org.evil.example/" },
		{ "http://hub.example.org", "http://hub.example.org@evil.example/" },
		{ "http://hub", "/login" },
		{ "http://hub", "hub" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		if (!util_url_same_host(same[i][0], same[i][1]) ||
		    !util_url_same_host(same[i][1], same[i][0]))
			fail_msg("'%s' and '%s' are the same host", same[i][0], same[i][1]);
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (util_url_same_host(other[i][0], other[i][1]) ||
		    util_url_same_host(other[i][1], other[i][0]))
			fail_msg("'%s' and '%s' are different hosts", other[i][0], other[i][1]);
}

/* A hub on the venue's network goes direct, whatever proxy the laptop's
 * environment names (a company laptop's http_proxy cannot reach it, and
 * would read the token): its address is known local by itself. */
static void
test_local_hub_address(void **state)
{
	(void)state;
	const char *const local[] = {
		"http://192.168.1.10:8080", "http://10.0.0.5:8080/", "http://172.16.0.1",
		"http://172.31.255.254:8080", "http://169.254.3.4:8080", "http://127.0.0.1:8080",
		"http://100.64.0.7:8080", "HTTP://192.168.1.10:8080", "http://[::1]:8080",
		"http://[fe80::1%25eth0]:8080", "http://[FE80::1]:8080", "http://[fd12:3456::1]:8080",
		"http://[::ffff:192.168.1.10]:8080", "http://hub:8080", "http://localhost:8080",
		"http://hub.local:8080", "http://Hub.LOCAL.:8080", "http://door1.lan",
		"https://hub.home.arpa:8443", "http://hub.internal", "http://my.localhost",
		"http://kiosk-hub.fritz.box:8080", "http://hub.home:8080", "http://hub.localdomain",
	};
	const char *const remote[] = {
		"https://hub.example.org", "http://8.8.8.8:8080", "http://172.32.0.1:8080",
		"http://172.15.255.255", "http://192.169.1.1", "http://100.128.0.1",
		"http://[2001:db8::1]:8080", "http://[::ffff:8.8.8.8]", "http://local:8080.example",
		"192.168.1.10:8080", "", "http://[fe80::1:8080", "https://hub.local.example.org",
		"https://hub.box", "https://fritz.box.example.org", "https://myhome:8080.example",
	};
	for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
		if (!util_url_local(local[i]))
			fail_msg("'%s' is on the local network", local[i]);
	for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++)
		if (util_url_local(remote[i]))
			fail_msg("'%s' is not known local", remote[i]);
	/* of those, the names only mDNS finds */
	assert_true(util_url_mdns("http://hub.local:8080"));
	assert_true(util_url_mdns("http://Hub.LOCAL.:8080"));
	assert_false(util_url_mdns("http://door1.lan"));
	assert_false(util_url_mdns("https://hub.local.example.org"));
	assert_false(util_url_mdns("hub.local:8080"));
}

/* A file rewritten under a running program (kiosk.conf, which kiosk join
 * writes in several replacements): said once it changed and then stayed
 * the same for the settle time, and once only. */
static void
test_watch_says_a_settled_change_once(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *path = tu_write(dir, "kiosk.conf", "[sync]\nhub =\n");
	struct util_watch w;
	util_watch_start(&w, path);
	assert_false(util_watch_settled(&w, path, 0, 1000));
	free(tu_write(dir, "kiosk.conf", "[sync]\nhub = http://hub:8080\n"));
	assert_false(util_watch_settled(&w, path, 100, 1000));  /* just seen */
	assert_false(util_watch_settled(&w, path, 900, 1000));  /* not yet settled */
	assert_true(util_watch_settled(&w, path, 1100, 1000));
	assert_false(util_watch_settled(&w, path, 5000, 1000)); /* said once */
	/* zeroed: the first settled look says it, a join before it not missed */
	struct util_watch z = { 0 };
	assert_false(util_watch_settled(&z, path, 0, 1000));
	assert_true(util_watch_settled(&z, path, 1000, 1000));
	assert_false(util_watch_settled(&w, NULL, 9000, 1000));
	free(path);
	tu_rmdir(dir); /* frees it */
}

/* A file written again sweeps the temporary files that a run killed
 * outright left beside it (they hold guests' names), but not one another
 * run is writing now, nor those of other files. */
static void
test_replace_sweeps_what_a_killed_run_left(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *old = tu_write(dir, "att.csv.tmp-AbC123", "Zoë,Çelik\n");
	char *fresh = tu_write(dir, "att.csv.tmp-XyZ789", "being written\n");
	char *other = tu_write(dir, "badges.pdf.tmp-Qq1234", "%PDF\n");
	struct timespec hour_ago[2] = { { time(NULL) - 3600, 0 }, { time(NULL) - 3600, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, old, hour_ago, 0), 0);
	assert_int_equal(utimensat(AT_FDCWD, other, hour_ago, 0), 0);
	char *path = xasprintf("%s/att.csv", dir), *cause = NULL;
	struct util_replace r;
	assert_int_equal(util_replace_open(&r, path, 0600, &cause), 0);
	fputs("first_name\n", r.fp);
	assert_int_equal(util_replace_commit(&r, &cause), 0);
	assert_int_equal(access(old, F_OK), -1);
	assert_int_equal(access(fresh, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	assert_int_equal(access(path, F_OK), 0);
	free(path);
	free(old);
	free(fresh);
	free(other);
	tu_rmdir(dir); /* frees it */
}

/* A name that fits the disk, but not with the temporary copy's suffix
 * beside it: said so, not "File name too long" of a name that is not. */
static void
test_replace_says_a_name_too_long_for_its_copy(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char name[251];
	memset(name, 'e', 246);
	memcpy(name + 246, ".csv", 5);
	char *path = xasprintf("%s/%s", dir, name), *cause = NULL;
	struct util_replace r;
	assert_int_equal(util_replace_open(&r, path, 0600, &cause), -1);
	assert_non_null(strstr(cause, "its name is too long to write a new copy beside it"));
	assert_non_null(strstr(cause, "use a shorter one"));
	free(cause);
	free(path);
	tu_rmdir(dir); /* frees it */
}

/* C1 controls and direction controls, at the start of a bounded text:
 * their code points; the characters beside them, and a cut one, are none. */
static void
test_control_code_points(void **state)
{
	(void)state;
	assert_int_equal(util_c1_at("\xc2\x9b" "31m", 5), 0x9B);
	assert_int_equal(util_c1_at("\xc2\x85", 2), 0x85);
	assert_int_equal(util_c1_at("\xc2\xa0", 2), 0);        /* U+00A0: no control */
	assert_int_equal(util_c1_at("\xc2\x9b", 1), 0);        /* cut short */
	assert_int_equal(util_direction_at("\xe2\x80\xae" "eeL", 6), 0x202E);
	assert_int_equal(util_direction_at("\xe2\x80\xaa", 3), 0x202A);
	assert_int_equal(util_direction_at("\xe2\x81\xa9", 3), 0x2069);
	assert_int_equal(util_direction_at("\xe2\x80\xaf", 3), 0);  /* U+202F: a space */
	assert_int_equal(util_direction_at("\xe2\x81\xa5", 3), 0);  /* U+2065 */
	assert_int_equal(util_direction_at("\xe2\x80\x8f", 3), 0);  /* U+200F: a mark */
	assert_int_equal(util_direction_at("\xe2\x80\xae", 2), 0);  /* cut short */
}

/* Where a file's folder is, as messages name it and access() checks it. */
static void
test_folder_of(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "/tmp/ro/att.csv", "/tmp/ro" }, { "att.csv", "." }, { "/att.csv", "/" },
		{ "a/b/", "a/b" }, { "read only #1/ev.db", "read only #1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *dir = util_folder_of(cases[i][0]);
		assert_string_equal(dir, cases[i][1]);
		free(dir);
	}
}

/* A name a USB stick's FAT or exFAT refuses: said as such, where the disk
 * says only EINVAL (or ENOENT through FUSE). */
static void
test_name_a_stick_refuses(void **state)
{
	(void)state;
	assert_int_equal(util_name_unportable("/tmp/Événements 2026/Social Media Day (Antwerp)/"
	    "kiosk.db"), 0);
	assert_int_equal(util_name_unportable("SMD 'Antwerp' #1.db"), 0);
	assert_int_equal(util_name_unportable("Ev \"SMD\".db"), '"');
	assert_int_equal(util_name_unportable("att 15:30.csv"), ':');
	assert_int_equal(util_name_unportable("/media/x:y/att.csv"), 0); /* the folder is there */
	assert_int_equal(util_name_unportable("a|b?.db"), '|');
	assert_int_equal(util_name_unportable("tab\there.csv"), '\t');
	char buf[UTIL_CREATE_ERROR_BUF];
	const char *m = util_create_error("att 15:30.csv", EINVAL, buf);
	assert_non_null(strstr(m, "refuses the character ':'"));
	assert_non_null(strstr(m, "USB stick"));
	assert_non_null(strstr(util_create_error("tab\there.csv", EINVAL, buf),
	    "refuses a control character"));
	/* ENOENT: the name only when the folder is there */
	assert_non_null(strstr(util_create_error("att 15:30.csv", ENOENT, buf), "refuses"));
	assert_string_equal(util_create_error("/nonexistent-kiosk/att 15:30.csv", ENOENT, buf),
	    strerror(ENOENT));
	/* another error, or a name any disk takes: the system's words */
	assert_string_equal(util_create_error("att 15:30.csv", ENOSPC, buf), strerror(ENOSPC));
	assert_string_equal(util_create_error("att.csv", EINVAL, buf), strerror(EINVAL));
}

/* Threads that write files put each on the stop list and take it off
 * again (util_replace_open, util_replace_commit), at the same time: at a
 * door serving as the hub, the badge printer's thread and the one making
 * the live page's download. After any number of such turns the list's
 * four slots are free, and a stop removes the four files then put on it.
 * (Two threads that claimed one slot could tear its path, and no one took
 * it off: this failed in most runs of a plain build, and ThreadSanitizer
 * reports the race whenever they meet.) */
#define STOP_TURNS 500000

static void *
stop_turns(void *arg)
{
	const char *path = arg;
	for (int i = 0; i < STOP_TURNS; i++) {
		util_stop_removes(path);
		util_stop_keeps(path);
	}
	return NULL;
}

static void
test_stop_list_shared_by_threads(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *paths[2] = { xasprintf("%s/a-badge.pdf.tmp-AAAAAA", dir),
		xasprintf("%s/the-hub-download-attendance.xlsx.tmp-BBBBBB", dir) };
	pthread_t t[2];
	for (int k = 0; k < 2; k++)
		assert_int_equal(util_thread_start(&t[k], stop_turns, paths[k]), 0);
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	char *files[4];
	for (int k = 0; k < 4; k++) {
		files[k] = xasprintf("%s/export-%d.csv", dir, k);
		int fd = open(files[k], O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_true(fd >= 0);
		close(fd);
	}
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (int k = 0; k < 4; k++)
			util_stop_removes(files[k]);
		raise(SIGTERM);
		_exit(0); /* not reached: the stop ends it */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	for (int k = 0; k < 4; k++) {
		if (access(files[k], F_OK) == 0)
			fail_msg("%s was left behind by the stop: its slot was taken", files[k]);
		free(files[k]);
	}
	free(paths[0]);
	free(paths[1]);
	tu_rmdir(dir); /* frees it */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folder_of),
		cmocka_unit_test(test_name_a_stick_refuses),
		cmocka_unit_test(test_uuid_form),
		cmocka_unit_test(test_uuid_carries_the_time),
		cmocka_unit_test(test_uuids_are_unique),
		cmocka_unit_test(test_later_uuids_sort_after),
		cmocka_unit_test(test_text_that_is_not_utf8),
		cmocka_unit_test(test_natural_order),
		cmocka_unit_test(test_same_hub_address),
		cmocka_unit_test(test_same_host_of_a_redirect),
		cmocka_unit_test(test_local_hub_address),
		cmocka_unit_test(test_watch_says_a_settled_change_once),
		cmocka_unit_test(test_replace_sweeps_what_a_killed_run_left),
		cmocka_unit_test(test_replace_says_a_name_too_long_for_its_copy),
		cmocka_unit_test(test_control_code_points),
		cmocka_unit_test(test_stop_list_shared_by_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
