/* Helpers shared by the unit tests: a temporary folder per test program and
 * a fresh event database in it. */
#ifndef KIOSK_TESTUTIL_H
#define KIOSK_TESTUTIL_H

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/guest.h"
#include "core/import.h"
#include "core/ktime.h"
#include "core/store.h"
#include "core/util.h"

/* Where tests keep pictures for a person to look at: the Makefile names
 * each build's own (build/, build/asan/), as the two run side by side. */
#ifndef TEST_ARTEFACTS
#define TEST_ARTEFACTS "build/test-artefacts"
#endif

/* A new temporary folder (removed with everything in it by tu_rmdir). */
static inline char *
tu_tmpdir(void)
{
	char tmpl[] = "/tmp/kiosk-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? xstrdup(d) : NULL;
}

static inline void
tu_rmdir(char *dir)
{
	if (dir == NULL)
		return;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	free(dir);
}

/* A fresh event "Test Event" (tag TEST26, Europe/Brussels) at dir/name. */
static inline struct store *
tu_store(const char *dir, const char *name)
{
	struct store_event_init init = { "Test Event", "Europe/Brussels", "TEST26", NULL };
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/%s", dir, name);
	if (store_open(path, STORE_CREATE, &init, &s, &cause) != 0) {
		fprintf(stderr, "tu_store: %s\n", cause);
		free(cause);
	}
	free(path);
	if (s != NULL)
		ktime_set_zone("Europe/Brussels", NULL);
	return s;
}

/* Write text to dir/name; returns the path (caller frees). */
static inline char *
tu_write(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
	return path;
}

/* A guest list imported from CSV text (by "t"): 0, or -1 when it was not. */
static inline int
tu_import_csv(struct store *s, const char *csv)
{
	struct import_plan *p = NULL;
	struct import_report rep;
	int rc = import_read_mem(csv, strlen(csv), "s.csv", NULL, 0, &p, NULL) == 0 &&
	    import_apply(s, p, false, "t", NULL, NULL, &rep, NULL) == 0 ? 0 : -1;
	import_free(p);
	return rc;
}

/* One integer from a query on the store's connection. */
static inline long long
tu_count(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* One text from a query on the store's connection (caller frees; NULL
 * when there is no row). */
static inline char *
tu_text(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* n guests of one first name (last names numbered) or one last name (first
 * names numbered: pass NULL for the numbered one), with the codes
 * code0, code1, ..., in one transaction: a large event's common names for
 * the search's caps. Returns 0, or -1 when one could not be written. */
static inline int
tu_namesakes(struct store *s, const char *first, const char *last, int n, const char *code)
{
	if (store_begin(s, NULL) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char f[32], l[32], c[64];
		snprintf(f, sizeof f, "Given%04d", i);
		snprintf(l, sizeof l, "Surname%04d", i);
		snprintf(c, sizeof c, "%s%d", code, i);
		struct guest_fields g = { .first_name = first ? first : f,
		    .last_name = last ? last : l };
		if (guest_insert(s, &g, c, "import", false, NULL, "t", NULL, NULL, NULL) != 0) {
			store_rollback(s);
			return -1;
		}
	}
	return store_commit(s, NULL);
}

/* Erase the guest of code as kiosk forget does. Returns 0, or -1 when no
 * guest has it or it could not be done. */
static inline int
tu_forget(struct store *s, const char *code)
{
	struct guest g;
	int64_t at;
	bool emptied;
	if (guest_find_by_code(s, code, &g, NULL) != 1)
		return -1;
	int rc = guest_forget(s, &g.id, 1, "organiser", &at, &emptied, NULL);
	guest_clear(&g);
	return rc;
}

/* A hash of pin that secret_verify takes, as secret_hash makes, but made
 * with Argon2id's smallest limits: the door's tests hash and check a PIN in
 * every test, and at the interactive limits (64 MB, a tenth of a second)
 * that was most of the unit tests' time. NULL when libsodium fails. */
static inline char *
tu_pin_hash(const char *pin)
{
	char buf[crypto_pwhash_STRBYTES];
	if (sodium_init() < 0 || crypto_pwhash_str(buf, pin, strlen(pin),
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0)
		return NULL;
	return xstrdup(buf);
}

/* The usual fixture: a temporary folder with a fresh event database. Use
 * tu_setup/tu_teardown as cmocka setup and teardown; *state is a
 * struct tu_fixture. */
struct tu_fixture {
	char *dir;
	struct store *s;
};

static inline int
tu_setup(void **state)
{
	struct tu_fixture *fx = xcalloc(1, sizeof *fx);
	fx->dir = tu_tmpdir();
	fx->s = fx->dir ? tu_store(fx->dir, "event.db") : NULL;
	*state = fx;
	return fx->s ? 0 : -1;
}

static inline int
tu_teardown(void **state)
{
	struct tu_fixture *fx = *state;
	store_close(fx->s);
	tu_rmdir(fx->dir);
	free(fx);
	return 0;
}

#endif
