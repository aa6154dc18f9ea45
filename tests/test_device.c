/* Tests for device: hub tokens, made, checked, revoked, never stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/device.h"
#include "testutil.h"

#define B64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

static struct store *
fx_store(void **state)
{
	return ((struct tu_fixture *)*state)->s;
}

static char *
add_ok(struct store *s, const char *name)
{
	char *token = NULL, *cause = NULL;
	int rc = device_add(s, name, &token, &cause);
	if (rc != 0)
		fail_msg("device_add '%s': %s", name, cause);
	assert_non_null(token);
	return token;
}

/* device_check's answer, with the name it gave compared to want. */
static int
check(struct store *s, const char *token, int64_t now, const char *want)
{
	char *name = NULL, *cause = NULL;
	int rc = device_check(s, token, now, &name, &cause);
	if (rc < 0)
		fail_msg("device_check: %s", cause);
	if (rc == 1) {
		assert_non_null(want);
		assert_string_equal(name, want);
	} else {
		assert_null(name);
	}
	free(name);
	return rc;
}

static void
test_add_gives_token_that_checks(void **state)
{
	struct store *s = fx_store(state);
	char *t1 = add_ok(s, "Door 1");
	char *t2 = add_ok(s, "Door 2");

	assert_int_equal(strlen(t1), DEVICE_TOKEN_LEN);
	assert_memory_equal(t1, "kt1_", 4);
	assert_int_equal(strspn(t1 + 4, B64URL), 43);
	assert_string_not_equal(t1, t2);

	assert_int_equal(check(s, t1, store_now(s), "Door 1"), 1);
	assert_int_equal(check(s, t2, store_now(s), "Door 2"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device"), 2);
	free(t1);
	free(t2);
}

static void
test_other_tokens_are_refused(void **state)
{
	struct store *s = fx_store(state);
	char *t = add_ok(s, "Door 1");
	char *bad = xstrdup(t);
	int64_t now = store_now(s);

	/* Another character anywhere in the random part. */
	for (size_t i = 4; i < DEVICE_TOKEN_LEN; i++) {
		char was = bad[i];
		bad[i] = was == 'A' ? 'B' : 'A';
		assert_int_equal(check(s, bad, now, NULL), 0);
		bad[i] = was;
	}
	/* The last character carries 2 unused bits: a spelling that differs
	 * only there decodes to the same bytes and must still be refused. */
	const char *pos = strchr(B64URL, bad[DEVICE_TOKEN_LEN - 1]);
	assert_non_null(pos);
	for (int k = 1; k < 4; k++) {
		bad[DEVICE_TOKEN_LEN - 1] = B64URL[((pos - B64URL) & ~3) | k];
		assert_int_equal(check(s, bad, now, NULL), 0);
	}
	bad[DEVICE_TOKEN_LEN - 1] = t[DEVICE_TOKEN_LEN - 1];
	assert_int_equal(check(s, bad, now, "Door 1"), 1);

	/* Truncated, extended, other prefixes, padding, white space. */
	char *shorter = xstrndup(t, DEVICE_TOKEN_LEN - 1);
	char *longer = xasprintf("%sA", t);
	char *padded = xasprintf("%s=", t);
	char *spaced = xasprintf(" %s", t);
	char *kt2 = xasprintf("kt2_%s", t + 4);
	char *bare = xstrdup(t + 4);
	const char *const refused[] = { shorter, longer, padded, spaced, kt2, bare, "", "kt1_",
	    "Bearer", "kt1_+++++++++++++++++++++++++++++++++++++++++++" };
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		assert_int_equal(check(s, refused[i], now, NULL), 0);
	assert_int_equal(check(s, NULL, now, NULL), 0);

	/* A well-formed token nobody was given. */
	bad[10] = bad[10] == 'x' ? 'y' : 'x';
	assert_int_equal(check(s, bad, now, NULL), 0);

	free(shorter);
	free(longer);
	free(padded);
	free(spaced);
	free(kt2);
	free(bare);
	free(bad);
	free(t);
}

/* A malformed token is refused before any query: with the table gone, it
 * still answers 0, while a well-formed one reports the database error. */
static void
test_malformed_token_makes_no_query(void **state)
{
	struct store *s = fx_store(state);
	char *t = add_ok(s, "Door 1");
	char *name = NULL, *cause = NULL;

	assert_int_equal(sqlite3_exec(store_db(s), "DROP TABLE device", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(device_check(s, "kt1_short", 0, &name, &cause), 0);
	assert_int_equal(device_check(s, "not a token at all, just some text here ....", 0,
	    &name, &cause), 0);
	assert_null(cause);
	assert_int_equal(device_check(s, t, 0, &name, &cause), -1);
	assert_null(name);
	assert_non_null(cause);
	free(cause);
	free(t);
}

static void
test_revoke(void **state)
{
	struct store *s = fx_store(state);
	char *t = add_ok(s, "Door 1");
	char *cause = NULL;

	assert_int_equal(check(s, t, store_now(s), "Door 1"), 1);
	assert_int_equal(device_revoke(s, "Door 1", &cause), 0);
	assert_int_equal(check(s, t, store_now(s), NULL), 0);
	/* Revoking again, or an unknown name, says there was none. */
	assert_int_equal(device_revoke(s, "Door 1", &cause), 1);
	assert_int_equal(device_revoke(s, "Door 9", &cause), 1);
	assert_int_equal(device_revoke(s, "door 1", &cause), 1);
	assert_null(cause);
	/* The row stays, with the time of the revocation. */
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device WHERE name = 'Door 1'"
	    " AND revoked_at > 0"), 1);
	free(t);
}

static void
test_add_existing_name(void **state)
{
	struct store *s = fx_store(state);
	char *t = add_ok(s, "Door 1");
	char *token = NULL, *cause = NULL;

	assert_int_equal(device_add(s, "Door 1", &token, &cause), -1);
	assert_null(token);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "'Door 1'"));
	assert_non_null(strstr(cause, "already"));
	free(cause);
	/* The first token still works. */
	assert_int_equal(check(s, t, store_now(s), "Door 1"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device"), 1);

	/* Revoked, the name may be given again: a new token, the old refused. */
	assert_int_equal(device_revoke(s, "Door 1", &cause), 0);
	char *t2 = add_ok(s, "Door 1");
	assert_string_not_equal(t, t2);
	assert_int_equal(check(s, t, store_now(s), NULL), 0);
	assert_int_equal(check(s, t2, store_now(s), "Door 1"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device WHERE revoked_at IS NULL"), 1);
	free(t);
	free(t2);
}

static void
test_bad_names(void **state)
{
	struct store *s = fx_store(state);
	char long64[65], long63[64];
	memset(long64, 'x', 64);
	long64[64] = '\0';
	memset(long63, 'x', 63);
	long63[63] = '\0';
	const char *const bad[] = { "", "   ", long64, "Door\n1", "Door\t1", "Door\x7f",
	    "Door \xff", "Door \xc0\xaf", "Door \xc2\x85", "\x1b[31mred" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *token = NULL, *cause = NULL;
		assert_int_equal(device_add(s, bad[i], &token, &cause), -1);
		assert_null(token);
		assert_non_null(cause);
		assert_memory_equal(cause, "device name", 11);
		/* The message itself prints on one line. */
		for (const char *p = cause; *p; p++)
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
		free(cause);
	}
	char *token = NULL, *cause = NULL;
	assert_int_equal(device_add(s, NULL, &token, &cause), -1);
	free(cause);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device"), 0);

	char *t = add_ok(s, long63);
	free(t);
	t = add_ok(s, "Deur 2 \xe2\x80\x94 Zo\xc3\xab"); /* "Deur 2 — Zoë" */
	assert_int_equal(check(s, t, store_now(s), "Deur 2 \xe2\x80\x94 Zo\xc3\xab"), 1);
	free(t);
}

static bool
contains(const void *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (memcmp((const char *)hay + i, needle, n) == 0)
			return true;
	return false;
}

/* Does any column of any device row hold needle (as text or bytes)? */
static bool
table_holds(struct store *s, const char *needle)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT * FROM device", -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const void *p = sqlite3_column_blob(st, i);
			size_t len = (size_t)sqlite3_column_bytes(st, i);
			if (p != NULL && contains(p, len, needle))
				found = true;
			const char *text = (const char *)sqlite3_column_text(st, i);
			if (text != NULL && strstr(text, needle) != NULL)
				found = true;
		}
	}
	sqlite3_finalize(st);
	return found;
}

static bool
file_holds(const char *path, const char *needle)
{
	char *data = NULL, *cause = NULL;
	size_t len = 0;
	bool found;
	if (util_read_file(path, 64 << 20, &data, &len, &cause) != 0) {
		free(cause);
		return false;
	}
	found = contains(data, len, needle);
	free(data);
	return found;
}

static void
test_token_is_never_stored(void **state)
{
	struct tu_fixture *fx = *state;
	struct store *s = fx->s;
	char *t = add_ok(s, "Door 1");
	char *tail = xstrndup(t + 4, 16); /* any sizeable piece of it */

	assert_int_equal(check(s, t, store_now(s), "Door 1"), 1);
	assert_false(table_holds(s, t));
	assert_false(table_holds(s, t + 4));
	assert_false(table_holds(s, tail));
	/* The hash is 32 bytes, in a BLOB. */
	assert_int_equal(tu_count(s, "SELECT length(token_hash) FROM device"), 32);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device WHERE typeof(token_hash)"
	    " = 'blob'"), 1);
	/* Nor anywhere in the files. */
	char *db = xasprintf("%s/event.db", fx->dir), *wal = xasprintf("%s/event.db-wal", fx->dir);
	assert_false(file_holds(db, tail));
	assert_false(file_holds(wal, tail));
	assert_true(file_holds(wal, "Door 1") || file_holds(db, "Door 1")); /* files were read */
	free(db);
	free(wal);
	free(tail);
	free(t);
}

struct seen {
	int n;
	char names[8][DEVICE_NAME_MAX + 1];
	char doors[8][DEVICE_NAME_MAX + 1];
	struct device_info info[8];
};

static int
collect(const struct device_info *d, void *arg)
{
	struct seen *sn = arg;
	if (sn->n >= 8)
		return 1;
	snprintf(sn->names[sn->n], sizeof sn->names[0], "%s", d->name);
	sn->info[sn->n] = *d;
	sn->info[sn->n].name = sn->names[sn->n];
	if (d->door != NULL) {   /* the row's text lasts only the call */
		snprintf(sn->doors[sn->n], sizeof sn->doors[0], "%s", d->door);
		sn->info[sn->n].door = sn->doors[sn->n];
	}
	sn->n++;
	return 0;
}

static int
stop_at_first(const struct device_info *d, void *arg)
{
	(void)d;
	(*(int *)arg)++;
	return 1;
}

static void
test_each_lists_by_name(void **state)
{
	struct store *s = fx_store(state);
	struct seen sn = { 0 };
	char *cause = NULL;
	int64_t before = store_now(s);
	char *tc = add_ok(s, "Charlie"), *ta = add_ok(s, "Alpha"), *tb = add_ok(s, "Bravo");

	assert_int_equal(device_revoke(s, "Bravo", &cause), 0);
	assert_int_equal(check(s, ta, before + 5000, "Alpha"), 1);
	assert_int_equal(device_each(s, collect, &sn, &cause), 3);
	assert_int_equal(sn.n, 3);
	assert_string_equal(sn.names[0], "Alpha");
	assert_string_equal(sn.names[1], "Bravo");
	assert_string_equal(sn.names[2], "Charlie");
	for (int i = 0; i < 3; i++)
		assert_true(sn.info[i].created_at >= before);
	assert_int_equal(sn.info[0].revoked_at, 0);
	assert_true(sn.info[1].revoked_at >= before);
	assert_int_equal(sn.info[2].revoked_at, 0);
	assert_int_equal(sn.info[0].last_seen_at, before + 5000);
	assert_int_equal(sn.info[2].last_seen_at, 0); /* never */

	int calls = 0;
	assert_int_equal(device_each(s, stop_at_first, &calls, &cause), 1);
	assert_int_equal(calls, 1);
	free(ta);
	free(tb);
	free(tc);
}

/* A door joined with a token "Door 2" that calls itself "Porte 2" (kiosk
 * join --name): its check-ins, the duplicates and its own screen say
 * "Porte 2", so the hub's page lists it as "Door 2 (Porte 2)", not as a
 * third door the organiser cannot find. The latest check-in's name counts
 * (a door renamed since); a door that pushed none keeps its token's. (The
 * hub's storing of a pushed check-in notes it: test_sync.) */
static void
test_each_gives_the_name_the_door_gives_itself(void **state)
{
	struct store *s = fx_store(state);
	struct seen sn = { 0 };
	char *cause = NULL;
	char *t1 = add_ok(s, "Door 1"), *t2 = add_ok(s, "Door 2"), *t3 = add_ok(s, "Door 3");

	assert_int_equal(device_note_door(s, "Door 2", "Deur 2", &cause), 0);
	assert_int_equal(device_note_door(s, "Door 2", "Porte 2", &cause), 0);
	assert_int_equal(device_note_door(s, "Door 1", "Door 1", &cause), 0);
	assert_int_equal(device_note_door(s, "Door 1", "Door 1", &cause), 0);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM setting WHERE key GLOB 'door_name:*'"),
	    2);
	assert_int_equal(device_each(s, collect, &sn, &cause), 3);
	assert_string_equal(sn.info[0].door, "Door 1");
	assert_string_equal(sn.info[1].door, "Porte 2");
	assert_null(sn.info[2].door);

	char label[DEVICE_LABEL_MAX];
	device_label("Door 2", "Porte 2", label, sizeof label);
	assert_string_equal(label, "Door 2 (Porte 2)");
	device_label("Door 1", "Door 1", label, sizeof label);
	assert_string_equal(label, "Door 1");
	device_label("Door 3", NULL, label, sizeof label);
	assert_string_equal(label, "Door 3");
	device_label("Door 3", "", label, sizeof label);
	assert_string_equal(label, "Door 3");
	/* cut short on a character, never inside one */
	device_label("Porte", "Entrée", label, 12);
	assert_string_equal(label, "Porte (Entr");
	device_label("Porte", "Entrée", label, 13);
	assert_string_equal(label, "Porte (Entr");
	free(t1);
	free(t2);
	free(t3);
}

/* A dozen entrances: "Door 2" comes before "Door 10" on the hub's page and
 * in `kiosk hub token list`, as an organiser counts them. */
static void
test_each_numbers_in_order(void **state)
{
	struct store *s = fx_store(state);
	struct seen sn = { 0 };
	char *cause = NULL;
	const char *made[] = { "Door 10", "Door 2", "Exit", "Door 1", "Door 12", "Door 1b",
		"Hall 10 Door 1", "Hall 2 Door 1" };
	const char *want[] = { "Door 1", "Door 1b", "Door 2", "Door 10", "Door 12", "Exit",
		"Hall 2 Door 1", "Hall 10 Door 1" };
	enum { N = sizeof made / sizeof made[0] };
	char *tok[N];

	for (int i = 0; i < N; i++)
		tok[i] = add_ok(s, made[i]);
	assert_int_equal(device_each(s, collect, &sn, &cause), N);
	for (int i = 0; i < N; i++)
		assert_string_equal(sn.names[i], want[i]);
	for (int i = 0; i < N; i++)
		free(tok[i]);
}

static void
test_each_empty(void **state)
{
	struct seen sn = { 0 };
	char *cause = NULL;
	assert_int_equal(device_each(fx_store(state), collect, &sn, &cause), 0);
	assert_int_equal(sn.n, 0);
}

static int64_t
last_seen(struct store *s)
{
	return tu_count(s, "SELECT last_seen_at FROM device");
}

static void
test_last_seen_once_a_minute(void **state)
{
	struct store *s = fx_store(state);
	char *t = add_ok(s, "Door 1");
	const int64_t t0 = 1779372000000;

	assert_int_equal(tu_count(s, "SELECT count(*) FROM device WHERE last_seen_at IS NULL"), 1);
	assert_int_equal(check(s, t, t0, "Door 1"), 1);
	assert_int_equal(last_seen(s), t0);
	assert_int_equal(check(s, t, t0 + 30000, "Door 1"), 1);
	assert_int_equal(last_seen(s), t0);
	assert_int_equal(check(s, t, t0 + 59999, "Door 1"), 1);
	assert_int_equal(last_seen(s), t0);
	assert_int_equal(check(s, t, t0 + 60000, "Door 1"), 1);
	assert_int_equal(last_seen(s), t0 + 60000);
	/* A clock set back starts the minute over. */
	assert_int_equal(check(s, t, t0, "Door 1"), 1);
	assert_int_equal(last_seen(s), t0);
	free(t);
}

/* Another program holds the write lock: the check still answers. */
static void
test_check_on_busy_database(void **state)
{
	struct tu_fixture *fx = *state;
	struct store *s = fx->s;
	char *t = add_ok(s, "Door 1");
	char *path = xasprintf("%s/event.db", fx->dir);
	sqlite3 *other = NULL;

	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	store_set_busy_timeout(s, 50);
	assert_int_equal(check(s, t, store_now(s), "Door 1"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device WHERE last_seen_at IS NULL"), 1);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);

	/* Free again: the next check records the time. */
	assert_int_equal(check(s, t, store_now(s), "Door 1"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM device WHERE last_seen_at IS NULL"), 0);
	free(path);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_gives_token_that_checks, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_other_tokens_are_refused, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_token_makes_no_query, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_revoke, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_add_existing_name, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_token_is_never_stored, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_each_lists_by_name, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_each_gives_the_name_the_door_gives_itself,
		    tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_each_numbers_in_order, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_each_empty, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_last_seen_once_a_minute, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_check_on_busy_database, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests_name("device", tests, NULL, NULL);
}
