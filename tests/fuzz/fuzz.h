/* fuzz.h: the fixed event every libFuzzer target runs against (test code).
 *
 * One event, the same in every run, so that a crash found once replays from
 * its input file alone:
 *   - event FZ_EVENT_UUID, "Fuzz Fest 2026", tag FUZZ26, Europe/Brussels;
 *   - the guests of fz_guests_csv (imported with the real import), with
 *     fixed uuids FZ_GUEST_UUID(n) for the n-th row and a fixed code of
 *     ours (FZ_OURS_CODE) for the row the import gave a random one; Sam
 *     Peeters' ticket is cancelled, Inès Çelik (VIP) is checked in at
 *     "Door 2" (check-in uuid FZ_CHECKIN_UUID);
 *   - device "Door 1" with token FZ_TOKEN and a revoked "Old door" with
 *     FZ_TOKEN_REVOKED. device_add makes random tokens, so the harness
 *     writes the BLAKE2b-256 hash of these fixed 32-byte tokens into the
 *     device table itself, exactly as device.c stores it;
 *   - the hub page's password FZ_PASSWORD, hashed with libsodium's minimum
 *     Argon2id cost so that a fuzzed login costs microseconds (a real hash
 *     from `kiosk hub password` costs ~0.1 s; the verify code is the same).
 *
 * Targets that write (check-ins, pushes, imports) start every input from
 * this event: fz_reset() copies a pristine in-memory template over the
 * working database with SQLite's backup API (a few microseconds). */
#ifndef KIOSK_FUZZ_H
#define KIOSK_FUZZ_H

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkin.h"
#include "core/import.h"
#include "core/ktime.h"
#include "core/store.h"
#include "core/util.h"

#define FZ_EVENT_UUID "f0220000-0000-4000-8000-00000000e7e2"
#define FZ_EVENT_NAME "Fuzz Fest 2026"
#define FZ_TAG "FUZZ26"
#define FZ_TZ "Europe/Brussels"
#define FZ_NOW 1782838800000LL /* 2026-06-30 19:00 Europe/Brussels */
#define FZ_OURS_CODE "FUZZ26-0123456789ABCDEF8"          /* valid check character */
#define FZ_OTHER_CODE "OTHER1-7K3M9QXWJ2HDRB4TG"         /* ours, another event */
#define FZ_GUEST_UUID_FMT "f0220000-0000-4000-8000-%012d"
#define FZ_CHECKIN_UUID "f0220000-0000-4000-8000-0000000c0001"
#define FZ_DEVICE "Door 1"
#define FZ_TOKEN_RAW "fuzz-token-fuzz-token-fuzz-token"    /* 32 bytes */
#define FZ_TOKEN "kt1_ZnV6ei10b2tlbi1mdXp6LXRva2VuLWZ1enotdG9rZW4"
#define FZ_TOKEN_REVOKED_RAW "revoked-token-revoked-token-revo"
#define FZ_PASSWORD "fuzz-password"
#define FZ_SESSION_MARK "@SESSION@" /* replaced by a live session's key */

/* The guest list: platform codes, one row without a code (gets ours), one
 * cancelled, one VIP, names that need folding. */
static const char fz_guests_csv[] =
    "First Name,Last Name,Email,Ticket Type,Attendee #,Barcode #,Attendee Status,"
    "Company,T-shirt size\n"
    "L\xc3\xa9" "a,\xc3\x87" "elik,lea@example.org,Student,1000,8184922608941621308297001,"
    "Attending,MF Media,M\n"
    "Pieter-Jan,de Vries,pj@example.org,Early bird,1001,9430684960243480538242001,"
    "Attending,,L\n"
    "Noor,Nowak,noor@example.org,Speaker,1002,,Attending,Mashable,S\n"
    "Sam,Peeters,sam@example.org,Student,1003,7811761494802217362733001,Cancelled,,XL\n"
    "In\xc3\xa8s,\xc3\x87" "elik,ines@example.org,VIP,1004,r7jw9hfq2mzd4ynxkvtcg5pe8b3a,"
    "Attending,\"Studio \"\"Noord\"\"\",M\n";

static inline void
fz_die(const char *what, char *cause)
{
	fprintf(stderr, "fuzz harness: %s: %s\n", what, cause ? cause : "failed");
	free(cause);
	abort();
}

static inline void
fz_exec(struct store *s, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(store_db(s), sql, NULL, NULL, &err) != SQLITE_OK)
		fz_die(sql, xstrdup(err ? err : "sqlite3_exec"));
	sqlite3_free(err);
}

static inline void
fz_device(struct store *s, const char *name, const char *raw, int revoked)
{
	unsigned char hash[32];
	sqlite3_stmt *st = NULL;

	crypto_generichash(hash, sizeof hash, (const unsigned char *)raw, 32, NULL, 0);
	if (sqlite3_prepare_v2(store_db(s), "INSERT INTO device (name, token_hash, created_at,"
	    " revoked_at) VALUES (?1, ?2, ?3, CASE WHEN ?4 THEN ?3 END)", -1, &st, NULL) !=
	    SQLITE_OK)
		fz_die("device", xstrdup(sqlite3_errmsg(store_db(s))));
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, FZ_NOW - 86400000LL);
	sqlite3_bind_int(st, 4, revoked);
	if (sqlite3_step(st) != SQLITE_DONE)
		fz_die("device", xstrdup(sqlite3_errmsg(store_db(s))));
	sqlite3_finalize(st);
}

/* Fill a freshly created event (see the top of this file). */
static inline void
fz_populate(struct store *s)
{
	struct import_plan *plan = NULL;
	struct import_report rep;
	struct checkin_outcome o;
	struct checkin_policy open = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	char *cause = NULL;

	if (sodium_init() < 0)
		fz_die("sodium_init", NULL);
	if (import_read_mem(fz_guests_csv, sizeof fz_guests_csv - 1, "guests.csv", NULL, 0,
	    &plan, &cause) != 0 ||
	    import_apply(s, plan, false, "import", NULL, NULL, &rep, &cause) != 0)
		fz_die("import", cause);
	import_free(plan);
	fz_exec(s, "UPDATE guest SET uuid = printf('" FZ_GUEST_UUID_FMT "', id);"
	    "UPDATE guest SET code = '" FZ_OURS_CODE "' WHERE first_name = 'Noor'");
	if (checkin_scan(s, "r7jw9hfq2mzd4ynxkvtcg5pe8b3a", 28, "Door 2", &open, FZ_NOW - 3600000,
	    &o, &cause) != 0 || o.result != CHECKIN_ADMITTED)
		fz_die("check-in", cause);
	checkin_outcome_clear(&o);
	fz_exec(s, "UPDATE scan SET uuid = '" FZ_CHECKIN_UUID "';"
	    "UPDATE checkin SET uuid = '" FZ_CHECKIN_UUID "'");
	fz_device(s, FZ_DEVICE, FZ_TOKEN_RAW, 0);
	fz_device(s, "Old door", FZ_TOKEN_REVOKED_RAW, 1);
	if (crypto_pwhash_str(hash, FZ_PASSWORD, strlen(FZ_PASSWORD), crypto_pwhash_OPSLIMIT_MIN,
	    crypto_pwhash_MEMLIMIT_MIN) != 0)
		fz_die("password hash", NULL);
	if (store_setting_set(s, STORE_SETTING_HUB_PASSWORD, hash, &cause) != 0)
		fz_die("password", cause);
}

/* A new event database at path (NULL: in memory), filled. */
static inline struct store *
fz_open(const char *path)
{
	struct store_event_init init = { FZ_EVENT_NAME, FZ_TZ, FZ_TAG, FZ_EVENT_UUID };
	struct store *s = NULL;
	char *cause = NULL;

	if (store_open(path ? path : "", path ? STORE_CREATE : STORE_CREATE | STORE_MEMORY,
	    &init, &s, &cause) != 0)
		fz_die("store_open", cause);
	if (ktime_set_zone(FZ_TZ, &cause) != 0)
		fz_die("time zone", cause);
	return s;
}

/* The pristine event, made once. */
static inline struct store *
fz_template(void)
{
	static struct store *t;
	if (t == NULL) {
		t = fz_open(NULL);
		fz_populate(t);
	}
	return t;
}

/* Make s the pristine event again. */
static inline void
fz_reset(struct store *s)
{
	sqlite3_backup *b = sqlite3_backup_init(store_db(s), "main",
	    store_db(fz_template()), "main");
	if (b == NULL)
		fz_die("backup", xstrdup(sqlite3_errmsg(store_db(s))));
	int rc;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		fz_die("backup", xstrdup(sqlite3_errstr(rc)));
}

/* Copy of data with every FZ_SESSION_MARK replaced by session (caller
 * frees; NUL-terminated, *len excludes the NUL). */
static inline char *
fz_subst(const unsigned char *data, size_t size, const char *session, size_t *len)
{
	struct buf b;
	const char *p = (const char *)data, *end = p + size;
	size_t ml = strlen(FZ_SESSION_MARK);

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	while (p < end) {
		const char *m = NULL;
		for (const char *q = p; q + ml <= end && m == NULL; q++)
			if (memcmp(q, FZ_SESSION_MARK, ml) == 0)
				m = q;
		if (m == NULL) {
			buf_add(&b, p, (size_t)(end - p));
			break;
		}
		buf_add(&b, p, (size_t)(m - p));
		buf_add(&b, session, strlen(session));
		p = m + ml;
	}
	*len = b.len;
	char *out = xmalloc(b.len + 1);
	if (b.len > 0)
		memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	buf_free(&b);
	return out;
}

#endif
