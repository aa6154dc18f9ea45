/* Tests for store: creation, identity checks, versions, durability settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/fold.h"
#include "testutil.h"

static char *dir;

static int
setup(void **state)
{
	(void)state;
	dir = tu_tmpdir();
	return dir ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	tu_rmdir(dir);
	return 0;
}

/* A door says in its own language what store_fail's English says: the
 * trouble is found again in the message. */
static void
test_trouble_of_a_failure(void **state)
{
	(void)state;
	struct store_event_init init = { "Trouble", "Europe/Brussels", "", NULL };
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/trouble.db", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), 0);
	assert_int_equal(sqlite3_exec(store_db(s), "PRAGMA query_only = 1", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(s), "INSERT INTO setting VALUES ('a', 'b')",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_fail(s, &cause, "cannot record the check-in"), -1);
	assert_int_equal(store_trouble(cause), STORE_TROUBLE_READONLY);
	free(cause);
	assert_int_equal(store_trouble("x.db: cannot commit: database or disk is full (the disk "
	    "is full: free some space)"), STORE_TROUBLE_FULL);
	assert_int_equal(store_trouble("the check-in could not be recorded"), STORE_TROUBLE_OTHER);
	/* as the door is refused a damaged file's write (fail_damaged) */
	assert_int_equal(store_trouble("e.db: the database is damaged (" STORE_BROKEN_PAGES
	    "); nothing was written to it"),
	    STORE_TROUBLE_DAMAGED);
	assert_int_equal(store_trouble(NULL), STORE_TROUBLE_OTHER);
	store_close(s);
	free(path);
}

/* The guest table before schema 8 (no forgotten_at, forgotten_key), before
 * schema 6 (no fields_at either) and before schema 5 (no cancelled_at
 * either), from the current one. */
#define SCHEMA_7_GUEST \
	"DROP INDEX guest_forgotten_key;" \
	"ALTER TABLE guest DROP COLUMN forgotten_key;" \
	"ALTER TABLE guest DROP COLUMN forgotten_at;"
#define SCHEMA_5_GUEST SCHEMA_7_GUEST \
	"ALTER TABLE guest DROP COLUMN fields_at;"
#define SCHEMA_4_GUEST SCHEMA_5_GUEST \
	"ALTER TABLE guest DROP COLUMN cancelled_at;"

/* A few development versions had a schema 5, reverted before a release:
 * their files open, as schema 4, read-only too, and a writer drops the
 * table they added. A real newer schema is still refused. */
static void
test_reverted_schema5_opens(void **state)
{
	(void)state;
	struct store_event_init init = { "Alias", "Europe/Brussels", "", NULL };
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/alias5.db", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), 0);
	assert_int_equal(sqlite3_exec(store_db(s), SCHEMA_4_GUEST "CREATE TABLE guest_alias (uuid "
	    "TEXT PRIMARY KEY, guest_uuid TEXT NOT NULL) WITHOUT ROWID; PRAGMA user_version = 5",
	    NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
	assert_int_equal(store_open(path, STORE_READONLY, NULL, &s, &cause), 0);
	assert_string_equal(store_event(s)->name, "Alias");
	store_close(s);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	assert_int_equal(tu_count(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_master WHERE name = "
	    "'guest_alias'"), 0);
	/* without that table, 5 is the real schema 5, and 9 a newer kiosk's */
	store_close(s);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM pragma_table_info('guest') WHERE"
	    " name = 'cancelled_at'"), 1);
	assert_int_equal(sqlite3_exec(store_db(s), "PRAGMA user_version = 9", NULL, NULL, NULL),
	    SQLITE_OK);
	store_close(s);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), -1);
	assert_non_null(strstr(cause, "made by a newer kiosk (schema 9"));
	free(cause);
	free(path);
}

static void
test_create_and_reopen(void **state)
{
	(void)state;
	struct store_event_init init = { "Social Media Day Antwerp 2026", "Europe/Brussels", "", NULL };
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/new.db", dir);
	struct stat st;

	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), 0);
	assert_string_equal(store_event(s)->name, "Social Media Day Antwerp 2026");
	assert_string_equal(store_event(s)->tag, "SMDA26");
	assert_string_equal(store_event(s)->tz, "Europe/Brussels");
	assert_int_equal(strlen(store_event(s)->uuid), 36);
	char *uuid = xstrdup(store_event(s)->uuid);
	assert_int_equal(tu_count(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(tu_count(s, "PRAGMA synchronous"), 2); /* FULL */
	store_close(s);

	/* Guest lists are personal data: not readable by others. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);

	/* Reopened without CREATE: the same event. */
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	assert_string_equal(store_event(s)->uuid, uuid);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "PRAGMA journal_mode", -1, &q, NULL), 0);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	store_close(s);
	free(uuid);
	free(path);
}

static void
test_missing_is_refused_without_create(void **state)
{
	(void)state;
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/missing.db", dir);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), -1);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "kiosk import"));
	assert_int_equal(access(path, F_OK), -1); /* not created */
	free(cause);
	cause = NULL;
	free(path);
	/* a folder: the one the event was meant to go in */
	assert_int_equal(store_open(dir, STORE_CREATE, NULL, &s, &cause), -1);
	char *named = xasprintf("is a folder, not an event's file; name the file, for example "
	    "--db %s/event.db", dir);
	assert_non_null(strstr(cause, named));
	free(named);
	free(cause);
	cause = NULL;
	/* no folder either: a USB stick not plugged in, not an event to make */
	path = xasprintf("%s/STICK/event.db", dir);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), -1);
	assert_non_null(strstr(cause, path));
	char *folder = xasprintf("there is no folder %s/STICK (is the USB stick", dir);
	assert_non_null(strstr(cause, folder));
	assert_null(strstr(cause, "kiosk import"));
	free(folder);
	free(cause);
	free(path);
}

/* A -wal left beside a database moved aside without it (a door killed
 * mid-event, its last check-ins only there): a new event is not made on
 * top of it, which SQLite would replay into the new file. An empty -wal,
 * or zeros (a WAL written ahead), holds nothing: the event is made. */
static void
test_new_event_is_not_made_on_a_stray_wal(void **state)
{
	(void)state;
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/moved.db", dir), *wal = xasprintf("%s-wal", path);
	/* a WAL header, big-endian 0x377f0682, and the rest of one */
	unsigned char head[32] = { 0x37, 0x7f, 0x06, 0x82, 0, 0x2d, 0xe2, 0x18, 0, 0, 0x10, 0 };
	FILE *f = fopen(wal, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	struct store_event_init init = { "Test Event", "Europe/Brussels", "TEST26", NULL };
	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), -1);
	assert_non_null(strstr(cause, "moved.db-wal is there without its database"));
	assert_int_equal(access(path, F_OK), -1); /* not created */
	assert_int_equal(access(wal, F_OK), 0);   /* nor the -wal touched */
	free(cause);
	cause = NULL;
	/* zeros: nothing in it */
	memset(head, 0, sizeof head);
	f = fopen(wal, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), 0);
	store_close(s);
	free(wal);
	free(path);
}

static void
test_foreign_files_are_refused_untouched(void **state)
{
	(void)state;
	struct store *s = NULL;
	char *cause = NULL;
	char *text = tu_write(dir, "notes.db", "this is not a database, it is a note\n");
	assert_int_equal(store_open(text, STORE_CREATE, NULL, &s, &cause), -1);
	assert_non_null(strstr(cause, "not a kiosk event database"));
	free(cause);
	cause = NULL;
	char *content = NULL;
	size_t len;
	assert_int_equal(util_read_file(text, 1024, &content, &len, NULL), 0);
	assert_string_equal(content, "this is not a database, it is a note\n");
	free(content);

	/* A SQLite database of another program. */
	char *other = xasprintf("%s/other.db", dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(other, STORE_CREATE, NULL, &s, &cause), -1);
	assert_non_null(strstr(cause, "another program"));
	free(cause);
	free(other);
	free(text);
}

static void
test_newer_schema_is_refused(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "future.db");
	char *cause = NULL;
	char *path = xasprintf("%s/future.db", dir);
	assert_non_null(s);
	assert_int_equal(sqlite3_exec(store_db(s), "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	store_close(s);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), -1);
	assert_non_null(strstr(cause, "newer kiosk"));
	assert_non_null(strstr(cause, "99"));
	free(cause);
	free(path);
}

/* What schema 2's checkin table was (its kind checked with an IN list), put
 * in place of schema 3's, then user_version 2: a file the previous kiosk
 * made. */
#define SCHEMA_2_CHECKIN \
	"DROP TABLE checkin;" \
	"CREATE TABLE checkin (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE," \
	" guest_uuid TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('in', 'out', 'undo'))," \
	" undoes TEXT, at INTEGER NOT NULL, kiosk TEXT NOT NULL);" \
	"CREATE INDEX checkin_guest ON checkin(guest_uuid, at);" \
	"CREATE INDEX checkin_undoes ON checkin(undoes) WHERE undoes IS NOT NULL;" \
	"ALTER TABLE checkin ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;" \
	"ALTER TABLE checkin ADD COLUMN origin TEXT;"

/* The index schemas 1 to 3 had on scan (schema 4 dropped it). */
#define SCHEMA_3_SCAN \
	"CREATE INDEX scan_guest ON scan(guest_uuid) WHERE guest_uuid IS NOT NULL;"


/* A file an older kiosk made: name in dir, made from the current schema by
 * sql (which sets its user_version), then opened by this kiosk, which
 * migrates it. */
static struct store *
open_older(const char *name, const char *sql)
{
	struct store *s = tu_store(dir, name);
	char *cause = NULL, *path = xasprintf("%s/%s", dir, name);
	assert_non_null(s);
	assert_int_equal(sqlite3_exec(store_db(s), SCHEMA_4_GUEST, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	assert_int_equal(tu_count(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'scan_guest'"),
	    0);
	/* a guest's cancellation was stamped with its record until schema 5 */
	assert_int_equal(tu_count(s, "SELECT count(*) FROM guest WHERE cancelled_at <> updated_at"),
	    0);
	free(path);
	return s;
}

/* A database made by the previous kiosk opens with every check-in as it
 * was, and the rule still holds. */
static void
test_schema_2_is_migrated(void **state)
{
	(void)state;
	struct store *s = open_older("v2.db", SCHEMA_2_CHECKIN SCHEMA_3_SCAN
	    "INSERT INTO checkin VALUES (7, 'c1', 'g1', 'in', NULL, 1000, 'Door 1', 1, 'Door 1');"
	    "INSERT INTO checkin VALUES (9, 'c2', 'g1', 'undo', 'c1', 2000, 'Door 2', 0, NULL);"
	    "PRAGMA user_version = 2;");
	assert_int_equal(tu_count(s, "SELECT count(*) FROM checkin WHERE id = 7 AND uuid = 'c1'"
	    " AND guest_uuid = 'g1' AND kind = 'in' AND undoes IS NULL AND at = 1000"
	    " AND kiosk = 'Door 1' AND pushed = 1 AND origin = 'Door 1'"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM checkin WHERE id = 9 AND kind = 'undo'"
	    " AND undoes = 'c1' AND pushed = 0 AND origin IS NULL"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'checkin'"
	    " AND name IN ('checkin_guest', 'checkin_undoes')"), 2);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'checkin'"
	    " AND sql LIKE '% IN (%'"), 0);
	/* What the CHECK and UNIQUE refused, they still refuse. */
	assert_int_not_equal(sqlite3_exec(store_db(s), "INSERT INTO checkin (uuid, guest_uuid,"
	    " kind, at, kiosk) VALUES ('c3', 'g1', 'sideways', 1, 'x')", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(s), "INSERT INTO checkin (uuid, guest_uuid,"
	    " kind, at, kiosk) VALUES ('c1', 'g1', 'in', 1, 'x')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO checkin (uuid, guest_uuid,"
	    " kind, at, kiosk) VALUES ('c4', 'g1', 'out', 1, 'x')", NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
}

/* A schema-3 file keeps its scans, and loses the index only the export
 * read (every scan at the door wrote it; open_older checks it is gone). */
static void
test_schema_3_is_migrated(void **state)
{
	(void)state;
	struct store *s = open_older("v3.db", SCHEMA_3_SCAN
	    "INSERT INTO scan (id, uuid, at, kiosk, code, result, guest_uuid, pushed)"
	    " VALUES (5, 's1', 1000, 'Door 1', 'C1', 'admitted', 'g1', 1);"
	    "PRAGMA user_version = 3;");
	assert_int_equal(tu_count(s, "SELECT count(*) FROM scan WHERE id = 5 AND uuid = 's1'"
	    " AND at = 1000 AND kiosk = 'Door 1' AND code = 'C1' AND result = 'admitted'"
	    " AND guest_uuid = 'g1' AND pushed = 1"), 1);
	store_close(s);
}

/* Two released steps were edited after kiosks had run them: 0 -> 1 gained
 * guest.words (5f59b49) and 1 -> 2 gained guest.language and the mail table
 * (a569696). A file made before either has the user_version but not the
 * shape; once opened by this kiosk it must have every column the current
 * schema has, or each new guest (walk-in, import, synced) fails to insert. */
#define SCHEMA_2_BEFORE_LANGUAGE \
	"ALTER TABLE guest DROP COLUMN language; DROP TABLE mail;"
#define SCHEMA_1_BEFORE_WORDS SCHEMA_2_BEFORE_LANGUAGE \
	"DROP INDEX guest_rev; DROP INDEX guest_dirty; DROP INDEX checkin_undoes;" \
	"ALTER TABLE guest DROP COLUMN rev; ALTER TABLE guest DROP COLUMN dirty;" \
	"ALTER TABLE checkin DROP COLUMN pushed; ALTER TABLE checkin DROP COLUMN origin;" \
	"ALTER TABLE scan DROP COLUMN pushed;" \
	"DROP TABLE sync_state; DROP TABLE device; DROP TABLE setting;" \
	"ALTER TABLE guest DROP COLUMN words;"

static void
assert_current_guest_shape(struct store *s)
{
	assert_int_equal(tu_count(s, "SELECT count(*) FROM pragma_table_info('guest') WHERE"
	    " name IN ('words', 'language', 'rev', 'dirty', 'cancelled_at', 'fields_at')"), 6);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM pragma_table_info('mail') WHERE"
	    " name = 'code'"), 1);
}

/* Until schema 7 a mail attempt kept no code, and one that may have arrived
 * was 'failed': the rows are kept, with their guest's code, that one becomes
 * 'unknown' (so --unsent leaves it), and the rule still refuses any other
 * result. */
static void
test_schema_6_mail_is_migrated(void **state)
{
	(void)state;
	struct store *s = open_older("v6-mail.db", "DROP TABLE mail;"
	    "CREATE TABLE mail (id INTEGER PRIMARY KEY, guest_uuid TEXT NOT NULL,"
	    "  at INTEGER NOT NULL, address TEXT NOT NULL,"
	    "  result TEXT NOT NULL CHECK (result IN ('sent', 'failed')), message_id TEXT,"
	    "  detail TEXT);"
	    "CREATE INDEX mail_guest ON mail(guest_uuid, result);"
	    "INSERT INTO guest (uuid, code, source, created_at, updated_at, updated_by)"
	    "  VALUES ('g1', 'A1', 'import', 1, 1, 'test');"
	    "INSERT INTO mail VALUES (1, 'g1', 1000, 'a@example.org', 'sent', '<m1>', '250 ok');"
	    "INSERT INTO mail VALUES (2, 'g2', 2000, 'b@example.org', 'failed', '<m2>',"
	    "  'the connection to the mail server at x was lost during DATA (reset); the message"
	    " may have arrived; not sent again (if it did not arrive: kiosk mail --code B2"
	    " --resend)');"
	    "INSERT INTO mail VALUES (3, 'g3', 3000, 'c@example.org', 'failed', '<m3>',"
	    "  '550 5.1.1 no such user');"
	    "PRAGMA user_version = 4;");
	/* the code the guest has, or none for one not on the list; the one
	 * that may have arrived, the code its words name */
	assert_int_equal(tu_count(s, "SELECT count(*) FROM mail WHERE code IS NULL"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM mail WHERE id = 2 AND code = 'B2'"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM mail WHERE id = 1 AND guest_uuid = 'g1'"
	    " AND at = 1000 AND address = 'a@example.org' AND result = 'sent' AND code = 'A1'"
	    " AND message_id = '<m1>' AND detail = '250 ok'"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM mail WHERE id = 2 AND result ="
	    " 'unknown'"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM mail WHERE id = 3 AND result ="
	    " 'failed'"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'mail_guest'"
	    " AND tbl_name = 'mail'"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'mail_v6'"),
	    0);
	assert_int_not_equal(sqlite3_exec(store_db(s), "INSERT INTO mail (guest_uuid, at, address,"
	    " result) VALUES ('g4', 1, 'd@example.org', 'lost')", NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
}

static void
test_schema_2_before_language_is_migrated(void **state)
{
	(void)state;
	struct store *s = open_older("v2-before-language.db", SCHEMA_2_CHECKIN SCHEMA_3_SCAN
	    SCHEMA_2_BEFORE_LANGUAGE "PRAGMA user_version = 2;");
	assert_current_guest_shape(s);
	store_close(s);
}

/* Such a file that an earlier version of this kiosk moved on to the current
 * schema number without them is mended too. */
static void
test_current_schema_without_language_is_mended(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "v6-without-language.db");
	char *cause = NULL, *path = xasprintf("%s/v6-without-language.db", dir);
	assert_non_null(s);
	assert_int_equal(sqlite3_exec(store_db(s), SCHEMA_2_BEFORE_LANGUAGE, NULL, NULL, NULL),
	    SQLITE_OK);
	store_close(s);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	assert_current_guest_shape(s);
	store_close(s);
	free(path);
}

/* An event of a schema before this fold's words gets them, in the index
 * too: "mueller" finds Müller, whose words an earlier kiosk made. */
static void
test_words_made_again_at_schema_7(void **state)
{
	(void)state;
	struct store *s = open_older("v6-words.db",
	    "INSERT INTO guest (id, uuid, code, first_name, last_name, source, created_at,"
	    "  updated_at, updated_by, words) VALUES (5, 'g5', 'M1', 'Jürgen', 'Müller',"
	    "  'import', 1, 1, 'test', ' jurgen muller ');"
	    "INSERT INTO guest_word VALUES ('jurgen', 5), ('muller', 5);"
	    "PRAGMA user_version = 4;");
	assert_int_equal(tu_count(s, "SELECT count(*) FROM guest WHERE id = 5 AND"
	    " words = ' juergen jurgen mueller muller '"), 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM guest_word WHERE guest_id = 5"
	    " AND word IN ('juergen', 'jurgen', 'mueller', 'muller')"), 4);
	store_close(s);
}

static void
test_schema_1_before_words_is_migrated(void **state)
{
	(void)state;
	struct store *s = open_older("v1-before-words.db", SCHEMA_2_CHECKIN SCHEMA_3_SCAN
	    SCHEMA_1_BEFORE_WORDS
	    "INSERT INTO guest (id, uuid, code, first_name, last_name, email, source, created_at,"
	    " updated_at, updated_by) VALUES (1, 'g1', 'C1', 'Zoë', 'Çelik',"
	    " 'zoe@example.org', 'import', 1000, 1000, 'import');"
	    /* that kiosk's index held the e-mail's domain too */
	    "INSERT INTO guest_word VALUES ('zoe', 1), ('celik', 1), ('exampleorg', 1);"
	    "PRAGMA user_version = 1;");
	assert_current_guest_shape(s);
	/* found by the words an import makes now, on the row and in the index */
	char *words = fold_search_words("Zoë", "Çelik", "zoe@example.org");
	char *row = tu_text(s, "SELECT words FROM guest WHERE id = 1");
	assert_non_null(row);
	assert_string_equal(row, words);
	free(row);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM guest_word WHERE guest_id = 1 AND"
	    " word IN ('zoe', 'celik')"), 2);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM guest_word WHERE word = 'exampleorg'"),
	    0);
	free(words);
	store_close(s);
}

/* The hub's time when the offset was learnt is a floor: a computer whose
 * clock went back (a dead RTC, 1970) records no earlier, and another
 * connection to the file takes the floor too. */
static void
test_now_is_never_before_the_hub_time_seen(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "floor.db"), *other = NULL;
	char *cause = NULL, *path = xasprintf("%s/floor.db", dir);
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_clock_set(s, 0, &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	int64_t seen = tu_count(s, "SELECT value FROM sync_state WHERE key = 'clock_seen_ms'");
	assert_true(seen > 946684800000LL && seen <= util_now_ms());
	/* as if this computer's clock were now an hour behind the last sync */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_state_set(s, STORE_STATE_CLOCK_SEEN, util_now_ms() + 3600000,
	    &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	assert_true(store_now(s) >= util_now_ms() + 3500000);
	assert_int_equal(store_open(path, 0, NULL, &other, &cause), 0);
	assert_true(store_now(other) >= util_now_ms() + 3500000);
	store_close(other);
	store_close(s);
	free(path);
}

/* A door's time follows the boot clock from the hub's time at the last
 * sync: its wall clock set (by NTP, by staff) after that shifts nothing.
 * After a restart the boot clock starts over: the wall clock and the
 * offset then, until the next sync. */
static void
test_now_follows_the_boot_clock(void **state)
{
	(void)state;
	if (util_boot_id() == 0)
		skip(); /* no /proc: the wall clock's offset, as before */
	struct store *s = tu_store(dir, "boot.db"), *other = NULL;
	char *cause = NULL, *path = xasprintf("%s/boot.db", dir);
	const int64_t hour = 3600000;
	assert_false(store_clock_anchored(s));
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_clock_set(s, 2 * hour, &cause), 0); /* the hub 2 h ahead */
	assert_int_equal(store_commit(s, &cause), 0);
	assert_true(store_clock_anchored(s));
	int64_t now = store_now_fresh(s);
	assert_true(now >= util_now_ms() + 2 * hour - 1000 && now <= util_now_ms() + 2 * hour + 1000);
	/* The wall clock stepped 2 h back since: the offset to it, had it
	 * been measured now, would be 4 h; the time stays the hub's. */
	char *sql = sqlite3_mprintf("UPDATE sync_state SET value = %lld WHERE key = '%q'",
	    (long long)(4 * hour), STORE_STATE_CLOCK_OFFSET);
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	now = store_now_fresh(s);
	assert_true(now >= util_now_ms() + 2 * hour - 1000 && now <= util_now_ms() + 2 * hour + 1000);
	assert_int_equal(store_open(path, 0, NULL, &other, &cause), 0);
	now = store_now_fresh(other);
	assert_true(now >= util_now_ms() + 2 * hour - 1000 && now <= util_now_ms() + 2 * hour + 1000);
	store_close(other);
	/* The next write sets the wall clock's offset right too ... */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	int64_t off = tu_count(s, "SELECT value FROM sync_state WHERE key = 'clock_offset_ms'");
	assert_true(off >= 2 * hour - 1000 && off <= 2 * hour + 1000);
	/* ... which is what counts once this computer restarted. */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_state_set(s, STORE_STATE_CLOCK_BOOT, util_boot_id() ^ 2, &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	assert_false(store_clock_anchored(s));
	now = store_now_fresh(s);
	assert_true(now >= util_now_ms() + 2 * hour - 1000 && now <= util_now_ms() + 2 * hour + 1000);
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_state_set(s, STORE_STATE_CLOCK_OFFSET, 3 * hour, &cause), 0);
	assert_int_equal(store_commit(s, &cause), 0);
	now = store_now_fresh(s);
	assert_true(now >= util_now_ms() + 3 * hour - 1000 && now <= util_now_ms() + 3 * hour + 1000);
	store_close(s);
	free(path);
}

/* A hub or a standalone door (no hub time seen) whose computer restarted at
 * 1970 records just after the latest time the event holds (which every node
 * takes, and which wins over older copies of a guest); a clock merely
 * behind (after 2000) is left as it is. */
static void
test_now_is_never_1970(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "epoch.db");
	char *cause = NULL;
	int64_t made = tu_count(s, "SELECT created_at FROM event");
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_state_set(s, STORE_STATE_CLOCK_OFFSET,
	    86400000LL - util_now_ms(), &cause), 0); /* 1970-01-02 */
	assert_int_equal(store_commit(s, &cause), 0);
	int64_t now = store_now_fresh(s);
	assert_true(now >= made + 1 && now < made + 1000);
	/* and goes on as time does, past the next reading of the latest time
	 * held (once a second): a door's scans a minute apart were a
	 * millisecond apart */
	nanosleep(&(struct timespec){ .tv_sec = 1, .tv_nsec = 100000000 }, NULL);
	int64_t later = store_now_fresh(s);
	if (later - now < 1100 || later - now > 3000)
		fail_msg("1.1 s later, store_now moved %lld ms", (long long)(later - now));
	/* a later record another process wrote is taken in when read again */
	assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO checkin (uuid, guest_uuid, kind,"
	    " at, kiosk) VALUES ('c1', 'g1', 'in', 1900000000000, 'Door 1')", NULL, NULL, NULL),
	    SQLITE_OK);
	struct store *other = NULL;
	char *path = xasprintf("%s/epoch.db", dir);
	assert_int_equal(store_open(path, 0, NULL, &other, &cause), 0);
	now = store_now(other);
	assert_true(now >= 1900000000001LL && now < 1900000001000LL);
	store_close(other);
	free(path);
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_state_set(s, STORE_STATE_CLOCK_OFFSET, -86400000LL * 30, &cause),
	    0); /* a month behind */
	assert_int_equal(store_commit(s, &cause), 0);
	now = store_now(s);
	assert_true(now < made && now > made - 86400000LL * 31);
	store_close(s);
}

/* A door opens the file without waiting for its check (that runs on its
 * checkpoint thread, before the first write); but a file that must first
 * be migrated is written as it opens, so it is checked first: a damaged
 * schema-2 file is refused, and left as it was. */
static void
test_damaged_file_is_not_migrated(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "v2bad.db");
	char *cause = NULL;
	char *path = xasprintf("%s/v2bad.db", dir);
	assert_non_null(s);
	/* Enough search-index pages that one can be damaged unread. */
	assert_int_equal(sqlite3_exec(store_db(s),
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
	    " INSERT INTO guest_word (word, guest_id) SELECT printf('word%06d', i), i FROM n;"
	    SCHEMA_2_CHECKIN "PRAGMA user_version = 2;", NULL, NULL, NULL), SQLITE_OK);
	int page = tu_count(s, "SELECT pageno FROM dbstat WHERE name = 'guest_word'"
	    " AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 20");
	int size = tu_count(s, "PRAGMA page_size");
	store_close(s); /* the last connection: everything is in the file */
	assert_true(page > 0);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	char junk[65536];
	memset(junk, 'g', sizeof junk);
	assert_int_equal(fseek(f, (long)(page - 1) * size, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, (size_t)size, f), (size_t)size);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(store_open(path, 0, NULL, &s, &cause), -1);
	assert_non_null(strstr(cause, "damaged"));
	/* the door's red screen says it in its language */
	assert_int_equal(store_trouble(cause), STORE_TROUBLE_DAMAGED);
	free(cause);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* not migrated */
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
}

static void
test_bad_create_leaves_no_file(void **state)
{
	(void)state;
	struct store_event_init init = { "X", "Europe/Antwerpen", "", NULL };
	struct store *s = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/badzone.db", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), -1);
	assert_non_null(strstr(cause, "Europe/Antwerpen"));
	assert_int_equal(access(path, F_OK), -1);
	free(cause);
	cause = NULL;
	struct store_event_init badtag = { "X", "UTC", "no-good", NULL };
	assert_int_equal(store_open(path, STORE_CREATE, &badtag, &s, &cause), -1);
	assert_non_null(strstr(cause, "tag"));
	assert_int_equal(access(path, F_OK), -1);
	free(cause);
	cause = NULL;
	/* A file in the zoneinfo folder that is no zone: glibc would give UTC
	 * without a word, and every time on every screen would be off. */
	struct store_event_init table = { "X", "zone.tab", "", NULL };
	assert_int_equal(store_open(path, STORE_CREATE, &table, &s, &cause), -1);
	assert_string_equal(cause, "unknown time zone 'zone.tab' (a name like Europe/Brussels)");
	assert_int_equal(access(path, F_OK), -1);
	free(cause);
	free(path);
}

/* PRAGMA journal_mode of a connection, as a fresh string. */
static char *
journal_mode(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	char *mode = xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return mode;
}

/* The journal mode the file itself is in, as another program opening it
 * finds it (sqlite3 does not change it on open). */
static char *
file_journal_mode(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char *mode = journal_mode(db);
	sqlite3_close(db);
	return mode;
}

/* Files in folder whose names start with prefix. */
static int
count_named_in(const char *folder, const char *prefix)
{
	DIR *d = opendir(folder);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/* The same in the test's folder. */
static int
count_named(const char *prefix)
{
	return count_named_in(dir, prefix);
}

/* A first import's file (STORE_BULK) is out of sight until store_publish
 * puts it in place whole, in WAL mode and private; closed unpublished it is
 * gone; an event another program put there meanwhile is left as it is. */
static void
test_new_event_appears_whole(void **state)
{
	(void)state;
	struct store_event_init init = { "Bulk", "UTC", "BULK", NULL };
	struct store_event_init theirs = { "Theirs", "UTC", "THEIRS", NULL };
	struct store *s = NULL, *other = NULL;
	char *cause = NULL, *mode;
	char *path = xasprintf("%s/bulk.db", dir), *path2 = xasprintf("%s/bulk2.db", dir);
	char *path3 = xasprintf("%s/bulk3.db", dir);
	struct stat st;

	assert_int_equal(store_open(path, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_true(store_made_file(s));
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_named("bulk.db.kiosk-draft-"), 1);
	assert_int_equal(store_publish(&s, &cause), 0);
	assert_non_null(s);
	assert_true(store_made_event(s));
	assert_true(store_made_file(s));
	assert_string_equal(store_event(s)->name, "Bulk");
	mode = journal_mode(store_db(s));
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(tu_count(s, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(store_publish(&s, &cause), 0); /* once is enough */
	store_close(s);
	assert_int_equal(count_named("bulk.db.kiosk-draft-"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0); /* personal data */
	mode = file_journal_mode(path);
	assert_string_equal(mode, "wal");
	free(mode);

	/* Closed unpublished (an import that failed): nothing is left. */
	assert_int_equal(store_open(path2, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	store_close(s);
	assert_int_equal(access(path2, F_OK), -1);
	assert_int_equal(count_named("bulk2.db"), 0);

	/* Another program makes the event meanwhile: its event stays. */
	assert_int_equal(store_open(path3, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_int_equal(store_open(path3, STORE_CREATE, &theirs, &other, &cause), 0);
	assert_true(store_made_event(other));
	store_close(other);
	assert_int_equal(store_publish(&s, &cause), -1);
	assert_null(s);
	assert_non_null(strstr(cause, path3));
	assert_non_null(strstr(cause, "another program"));
	free(cause);
	cause = NULL;
	assert_int_equal(count_named("bulk3.db.kiosk-draft-"), 0);
	assert_int_equal(store_open(path3, 0, NULL, &s, &cause), 0);
	assert_string_equal(store_event(s)->name, "Theirs");
	store_close(s);

	/* An existing event: the flag changes nothing. */
	assert_int_equal(store_open(path, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_false(store_made_file(s));
	assert_false(store_made_event(s));
	assert_int_equal(store_publish(&s, &cause), 0);
	mode = journal_mode(store_db(s));
	assert_string_equal(mode, "wal");
	free(mode);
	store_close(s);
	free(path3);
	free(path2);
	free(path);
}

/* Without STORE_BULK a new event is in place when store_open returns; one
 * another program made first is opened instead. A draft no program holds
 * (its maker died) is removed by the next writer of the event; a held one,
 * a second name of a file and names that only look like drafts are not. */
static void
test_new_event_is_in_place_at_once(void **state)
{
	(void)state;
	struct store_event_init init = { "Walk-ins", "UTC", "WALK", NULL };
	struct store_event_init bulk = { "Bulk", "UTC", "BULK", NULL };
	struct store *s = NULL, *importing = NULL;
	char *cause = NULL, *mode;
	char *path = xasprintf("%s/walk.db", dir);

	/* an import under way: its draft is held */
	assert_int_equal(store_open(path, STORE_CREATE | STORE_BULK, &bulk, &importing, &cause), 0);
	char *stale = tu_write(dir, "walk.db.kiosk-draft-abc123", "half an import");
	char *stale_journal = tu_write(dir, "walk.db.kiosk-draft-abc123-journal", "its journal");
	char *stale_wal = tu_write(dir, "walk.db.kiosk-draft-abc123-wal", "its WAL");
	char *stale_shm = tu_write(dir, "walk.db.kiosk-draft-abc123-shm", "its shared memory");
	char *lookalike = tu_write(dir, "walk.db.kiosk-draft-2024-guestlist.csv", "someone's file");
	char *longer = tu_write(dir, "walk.db.kiosk-draft-abcdefg", "not mkstemp's");
	char *others = tu_write(dir, "walker.db.kiosk-draft-abc123", "another event's draft");
	assert_int_equal(count_named("walk.db.kiosk-draft-"), 7);

	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, &cause), 0);
	assert_true(store_made_event(s));
	assert_true(store_made_file(s));
	assert_int_equal(access(path, F_OK), 0);
	mode = journal_mode(store_db(s));
	assert_string_equal(mode, "wal");
	free(mode);
	store_close(s);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(stale_journal, F_OK), -1);
	assert_int_equal(access(stale_wal, F_OK), -1);
	assert_int_equal(access(stale_shm, F_OK), -1);
	assert_int_equal(access(lookalike, F_OK), 0);
	assert_int_equal(access(longer, F_OK), 0);
	assert_int_equal(access(others, F_OK), 0);
	assert_int_equal(count_named("walk.db.kiosk-draft-"), 3); /* the import's, 2 look-alikes */
	store_close(importing); /* its draft goes with it */
	assert_int_equal(count_named("walk.db.kiosk-draft-"), 2);

	/* Left by one that died after the event was made: the next writer of
	 * the event removes it, but not a second name of a file. */
	char *left = tu_write(dir, "walk.db.kiosk-draft-zyx987", "left by Ctrl-C");
	char *linked = xasprintf("%s/walk.db.kiosk-draft-lnk000", dir);
	assert_int_equal(link(path, linked), 0);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	store_close(s);
	assert_int_equal(access(left, F_OK), -1);
	assert_int_equal(access(linked, F_OK), 0);

	/* Made again with another name: the event there is kept. */
	struct store_event_init again = { "Again", "UTC", "AGAIN", NULL };
	assert_int_equal(store_open(path, STORE_CREATE, &again, &s, &cause), 0);
	assert_false(store_made_event(s));
	assert_string_equal(store_event(s)->name, "Walk-ins");
	store_close(s);
	unlink(linked);
	unlink(lookalike);
	unlink(longer);
	unlink(others);
	free(linked);
	free(left);
	free(others);
	free(longer);
	free(lookalike);
	free(stale_shm);
	free(stale_wal);
	free(stale_journal);
	free(stale);
	free(path);
}

/* A link made before its event, in another folder: the event is made
 * where it leads (its draft beside it), and opened through it. */
static void
test_event_is_made_where_a_link_leads(void **state)
{
	(void)state;
	struct store_event_init init = { "Linked", "UTC", "LINK", NULL };
	struct store *s = NULL;
	char *cause = NULL;
	char *links = xasprintf("%s/links", dir), *data = xasprintf("%s/data", dir);
	char *path = xasprintf("%s/current.db", links), *target = xasprintf("%s/gala.db", data);
	assert_int_equal(mkdir(links, 0700), 0);
	assert_int_equal(mkdir(data, 0700), 0);
	assert_int_equal(symlink("../data/gala.db", path), 0);
	assert_int_equal(store_open(path, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_int_equal(count_named_in(data, "gala.db.kiosk-draft-"), 1);
	assert_int_equal(count_named_in(links, "current.db.kiosk-draft-"), 0);
	assert_int_equal(store_publish(&s, &cause), 0);
	assert_string_equal(store_path(s), path);
	store_close(s);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(target, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(count_named_in(data, "gala.db.kiosk-draft-"), 0);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	assert_string_equal(store_event(s)->name, "Linked");
	store_close(s);
	unlink(path);
	unlink(target);
	rmdir(links);
	rmdir(data);
	free(target);
	free(path);
	free(data);
	free(links);
}


/* File systems that lack what putting a new event in place uses, as the
 * link flags of this test program make them (Makefile: --wrap): NFS and
 * some FUSE ones refuse RENAME_NOREPLACE, so a hard link does it; NFS may
 * answer EEXIST to a link it made, its first answer lost; a virtual
 * machine's shared folder (vboxsf) can do neither. */
enum fs_kind { FS_LOCAL, FS_NO_NOREPLACE, FS_LOST_REPLY, FS_NEITHER };
static enum fs_kind fs_kind = FS_LOCAL;
static int fs_links;            /* link() calls store.c made */

int __real_renameat2(int olddir, const char *old, int newdir, const char *new,
    unsigned int flags);
int __wrap_renameat2(int olddir, const char *old, int newdir, const char *new,
    unsigned int flags);
int __real_link(const char *old, const char *new);
int __wrap_link(const char *old, const char *new);

int
__wrap_renameat2(int olddir, const char *old, int newdir, const char *new, unsigned int flags)
{
	if (fs_kind != FS_LOCAL) {
		errno = EINVAL; /* what NFS answers RENAME_NOREPLACE */
		return -1;
	}
	return __real_renameat2(olddir, old, newdir, new, flags);
}

int
__wrap_link(const char *old, const char *new)
{
	fs_links++;
	if (fs_kind == FS_NEITHER) {
		errno = EPERM; /* vboxsf */
		return -1;
	}
	int rc = __real_link(old, new);
	if (rc == 0 && fs_kind == FS_LOST_REPLY) {
		errno = EEXIST;
		return -1;
	}
	return rc;
}

/* The event at path: a regular file with one name, in WAL mode, named
 * name; and no draft of it left beside it. */
static void
assert_event_in_place(const char *path, const char *file, const char *name)
{
	struct store *s = NULL;
	char *cause = NULL;
	struct stat st;
	char *drafts = xasprintf("%s.kiosk-draft-", file);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_nlink, 1); /* the draft's name went */
	assert_int_equal(count_named(drafts), 0);
	char *mode = file_journal_mode(path);
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(store_open(path, 0, NULL, &s, &cause), 0);
	assert_string_equal(store_event(s)->name, name);
	store_close(s);
	free(drafts);
}

/* A failed test_new_event_on_shares leaves the local file system to the rest. */
static int
local_again(void **state)
{
	(void)state;
	fs_kind = FS_LOCAL;
	return 0;
}

static void
test_new_event_on_shares(void **state)
{
	(void)state;
	struct store_event_init init = { "Share", "UTC", "SHARE", NULL };
	struct store_event_init theirs = { "Theirs", "UTC", "THEIRS", NULL };
	struct store *s = NULL, *other = NULL;
	char *cause = NULL;
	char *add = xasprintf("%s/nfs-add.db", dir), *imp = xasprintf("%s/nfs-import.db", dir);
	char *lost = xasprintf("%s/nfs-lost.db", dir), *race = xasprintf("%s/nfs-race.db", dir);
	char *vm = xasprintf("%s/vm.db", dir), *vmimp = xasprintf("%s/vm-import.db", dir);

	/* No RENAME_NOREPLACE: a link puts the event in place, for kiosk add
	 * (in store_open) and an import (store_publish) alike. */
	fs_kind = FS_NO_NOREPLACE;
	fs_links = 0;
	assert_int_equal(store_open(add, STORE_CREATE, &init, &s, &cause), 0);
	assert_true(store_made_event(s));
	store_close(s);
	assert_int_equal(fs_links, 1);
	assert_event_in_place(add, "nfs-add.db", "Share");
	assert_int_equal(store_open(imp, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_int_equal(access(imp, F_OK), -1);
	assert_int_equal(store_publish(&s, &cause), 0);
	assert_true(store_made_event(s));
	store_close(s);
	assert_event_in_place(imp, "nfs-import.db", "Share");

	/* The link made, its answer lost: it is ours, not another program's. */
	fs_kind = FS_LOST_REPLY;
	assert_int_equal(store_open(lost, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_int_equal(store_publish(&s, &cause), 0);
	assert_true(store_made_event(s));
	store_close(s);
	assert_event_in_place(lost, "nfs-lost.db", "Share");

	/* Another program's event put there first, by a link too: it stays,
	 * and the import says nothing of its run was kept. */
	fs_kind = FS_NO_NOREPLACE;
	assert_int_equal(store_open(race, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_int_equal(store_open(race, STORE_CREATE, &theirs, &other, &cause), 0);
	store_close(other);
	assert_int_equal(store_publish(&s, &cause), -1);
	assert_null(s);
	assert_non_null(strstr(cause, "another program"));
	free(cause);
	cause = NULL;
	assert_event_in_place(race, "nfs-race.db", "Theirs");

	/* Neither: refused, with what to do, and nothing left behind. */
	fs_kind = FS_NEITHER;
	fs_links = 0;
	assert_int_equal(store_open(vm, STORE_CREATE, &init, &s, &cause), -1);
	assert_null(s);
	assert_non_null(strstr(cause, vm));
	assert_non_null(strstr(cause, "keep the event on a local disk"));
	free(cause);
	cause = NULL;
	assert_int_equal(fs_links, 1);
	assert_int_equal(access(vm, F_OK), -1);
	assert_int_equal(count_named("vm.db"), 0);
	assert_int_equal(store_open(vmimp, STORE_CREATE | STORE_BULK, &init, &s, &cause), 0);
	assert_int_equal(store_publish(&s, &cause), -1);
	assert_null(s);
	assert_non_null(strstr(cause, "keep the event on a local disk"));
	free(cause);
	assert_int_equal(access(vmimp, F_OK), -1);
	assert_int_equal(count_named("vm-import.db"), 0);

	free(vmimp);
	free(vm);
	free(race);
	free(lost);
	free(imp);
	free(add);
}

/* A tag is taken as kiosk.conf takes it: "smd26" is SMD26. */
static void
test_lower_case_tag_is_upper_cased(void **state)
{
	(void)state;
	struct store_event_init init = { "X", "UTC", "smd26", NULL };
	struct store *s = NULL;
	char *path = xasprintf("%s/lowertag.db", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &init, &s, NULL), 0);
	assert_string_equal(store_event(s)->tag, "SMD26");
	store_close(s);
	free(path);
}

/* The door's idle count follows check-ins other processes make on the
 * same file, and does not re-read for its own. */
static void
test_changes_elsewhere_are_noticed(void **state)
{
	(void)state;
	struct store *a = tu_store(dir, "elsewhere.db"), *b = NULL;
	char *path = xasprintf("%s/elsewhere.db", dir);
	assert_int_equal(store_open(path, 0, NULL, &b, NULL), 0);
	assert_true(store_changed_elsewhere(a));
	assert_false(store_changed_elsewhere(a));
	assert_int_equal(sqlite3_exec(store_db(b), "INSERT INTO setting (key, value)"
	    " VALUES ('x', '1')", NULL, NULL, NULL), SQLITE_OK);
	assert_true(store_changed_elsewhere(a));
	assert_false(store_changed_elsewhere(a));
	assert_int_equal(sqlite3_exec(store_db(a), "INSERT INTO setting (key, value)"
	    " VALUES ('y', '2')", NULL, NULL, NULL), SQLITE_OK);
	assert_false(store_changed_elsewhere(a));
	store_close(b);
	store_close(a);
	free(path);
}

static void
test_busy_database_is_waited_for(void **state)
{
	(void)state;
	struct store *a = tu_store(dir, "busy.db"), *b = NULL;
	char *cause = NULL;
	char *path = xasprintf("%s/busy.db", dir);
	assert_int_equal(store_open(path, 0, NULL, &b, &cause), 0);
	/* a holds the write lock; b's begin waits, and a releases on a thread
	 * would be the real case. Here: a commits first, b then gets it. */
	assert_int_equal(store_begin(a, &cause), 0);
	assert_int_equal(store_commit(a, &cause), 0);
	assert_int_equal(store_begin(b, &cause), 0);
	store_rollback(b);
	store_close(a);
	store_close(b);
	free(path);
}

/* A dry run's snapshot: a private copy of the event, taken while a door
 * holds the write lock, whose changes never reach the file; and one of a
 * schema-3 file is migrated in memory only. */
static void
test_snapshot_is_private(void **state)
{
	(void)state;
	struct store *door = tu_store(dir, "snap.db"), *snap = NULL;
	char *cause = NULL, *path = xasprintf("%s/snap.db", dir);
	assert_int_equal(sqlite3_exec(store_db(door), "INSERT INTO setting (key, value)"
	    " VALUES ('a', '1')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_begin(door, &cause), 0); /* the door's write lock */
	assert_int_equal(store_open(path, STORE_SNAPSHOT | STORE_CREATE, NULL, &snap, &cause), 0);
	assert_int_equal(tu_count(snap, "SELECT count(*) FROM setting WHERE key = 'a'"), 1);
	assert_string_equal(store_event(snap)->uuid, store_event(door)->uuid);
	assert_int_equal(sqlite3_exec(store_db(snap), "INSERT INTO setting (key, value)"
	    " VALUES ('b', '2')", NULL, NULL, NULL), SQLITE_OK);
	store_close(snap);
	store_rollback(door);
	assert_int_equal(tu_count(door, "SELECT count(*) FROM setting WHERE key = 'b'"), 0);
	assert_int_equal(sqlite3_exec(store_db(door), SCHEMA_4_GUEST SCHEMA_3_SCAN
	    "PRAGMA user_version = 3;",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_open(path, STORE_SNAPSHOT | STORE_CREATE, NULL, &snap, &cause), 0);
	assert_int_equal(tu_count(snap, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	store_close(snap);
	assert_int_equal(tu_count(door, "PRAGMA user_version"), 3);
	store_close(door);
	free(path);
}

/* Size of dir/name, or -1. */
static long long
file_size(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	long long size = stat(path, &st) == 0 ? (long long)st.st_size : -1;
	free(path);
	return size;
}

/* n scans committed one by one, as a door does. */
static void
insert_scans(struct store *s, int n)
{
	char *cause = NULL;
	for (int i = 0; i < n; i++) {
		assert_int_equal(store_begin(s, &cause), 0);
		assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO scan (uuid, at, kiosk, code,"
		    " result) VALUES (hex(randomblob(16)), 0, 'k', 'c', 'unknown_code')", NULL, NULL,
		    NULL), SQLITE_OK);
		assert_int_equal(store_commit(s, &cause), 0);
	}
}

static void
test_checkpointer_starts_and_stops(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "cp.db");
	char *cause = NULL;
	assert_int_equal(store_start_checkpointer(s, 0, &cause), 0);
	insert_scans(s, 200);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM scan"), 200);
	store_close(s);
}

/* A rush of commits with no quiet second between them: the WAL still
 * starts over, near 12,000 pages, rather than growing. The thread, woken
 * at 10,000, copies the pages (and the commits past 12,000 what it left);
 * past 13,000 only the commits try, so a thread slowed by a busy CPU
 * cannot keep the WAL from starting over. As at a door, the commits
 * rewrite the same few pages (one row's 24 pages of text here; a door's,
 * the last pages of its tables and indexes); 24,000 pages are committed
 * back to back, and without a checkpoint the WAL would hold them all. */
static void
test_rush_keeps_the_wal_short(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "rush.db");
	char *cause = NULL;
	assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO scan (id, uuid, at, kiosk, code,"
	    " result) VALUES (1, 'u', 0, 'k', '', 'unknown_code')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_start_checkpointer(s, 0, &cause), 0);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(store_begin(s, &cause), 0);
		/* 96 KB of text: 24 pages */
		assert_int_equal(sqlite3_exec(store_db(s), "UPDATE scan SET code ="
		    " hex(randomblob(48000)) WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(store_commit(s, &cause), 0);
	}
	struct store_checkpoints n;
	store_checkpoints(s, &n);
	long long size = file_size("rush.db-wal"); /* the WAL goes at the last close */
	store_close(s);
	assert_true(size >= 0);
	assert_true(n.passes >= 1);            /* the thread did its part */
	/* Not before the thread is woken; on a loaded CPU the commits slow
	 * down and its passes can catch up before 12,000. Past 13,000 a pass
	 * may be in flight. */
	assert_in_range(n.most_pages, 10000, 13000 + 24 * 20);
	assert_in_range(size / 4120, n.most_pages, n.most_pages + 1);
}

struct truncating {
	struct store *s;
	int rc;
};

static void *
truncate_wal(void *arg)
{
	struct truncating *t = arg;
	char *cause = NULL;
	t->rc = store_checkpoint_truncate(t->s, &cause);
	free(cause);
	return NULL;
}

/* kiosk forget, or a forget a sync brings, empties the WAL while a door
 * scans and a reader (the door's counts, kiosk stats) holds an old
 * snapshot: the door's commit is not kept waiting for the reader. It was:
 * a TRUNCATE checkpoint waiting in the busy handler (10 s) for the reader
 * keeps every writer out, and the door says it could not record after
 * 1.5 s. */
static void
test_emptying_the_wal_keeps_no_writer_waiting(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "truncate.db");
	char *path = xasprintf("%s/truncate.db", dir), *cause = NULL;
	struct store *reader = NULL, *door = NULL;
	assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO setting VALUES ('a', 'b')", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(store_open(path, 0, NULL, &reader, &cause), 0);
	assert_int_equal(store_open(path, 0, NULL, &door, &cause), 0);
	store_set_busy_timeout(door, 300);
	/* the reader's snapshot holds the WAL's frames */
	assert_int_equal(store_begin_read(reader, &cause), 0);
	assert_int_equal(sqlite3_exec(store_db(reader), "SELECT count(*) FROM setting", NULL,
	    NULL, NULL), SQLITE_OK);
	struct truncating t = { s, -2 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, truncate_wal, &t), 0);
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	nanosleep(&nap, NULL);
	int64_t before = util_mono_ms();
	assert_int_equal(sqlite3_exec(store_db(door), "INSERT INTO setting VALUES ('c', 'd')", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_true(util_mono_ms() - before < 300);
	pthread_join(th, NULL);
	assert_int_equal(t.rc, 0); /* the reader was in the way: not emptied */
	store_rollback(reader);
	assert_int_equal(store_checkpoint_truncate(s, &cause), 1);
	store_close(door);
	store_close(reader);
	store_close(s);
	free(path);
}

struct long_writer {
	struct store *s;
	atomic_bool stop;
	int rows, gave, rc;
};

/* A sync taking in a big update: one record after another in one write
 * transaction, giving way between records, until told to stop. */
static void *
write_long(void *arg)
{
	struct long_writer *w = arg;
	char *cause = NULL;
	int64_t since = util_mono_ms();
	w->rc = store_begin(w->s, &cause);
	while (w->rc == 0 && !atomic_load(&w->stop) && util_mono_ms() - since < 5000) {
		char key[32];
		snprintf(key, sizeof key, "row %d", w->rows);
		if (store_setting_set(w->s, key, "x", &cause) != 0) {
			w->rc = -1;
			break;
		}
		w->rows++;
		int gave = store_give_way(w->s, &cause);
		if (gave < 0)
			w->rc = -1;
		w->gave += gave > 0;
	}
	if (w->rc == 0)
		w->rc = store_commit(w->s, &cause);
	free(cause);
	return NULL;
}

/* A door's scan while its own sync takes in a hub's 20,000 changed guests
 * (a re-import on the hub mid-event): the scan is recorded at once, not
 * after the sync's transaction, and what the sync wrote stays. The scan
 * waited for chunk after chunk: SQLite's busy handler tries again at
 * growing intervals, and a writer that commits and begins again at once
 * has the lock back each time (100 to 680 ms on screen at the door). */
static void
test_a_door_scan_goes_before_its_sync(void **state)
{
	(void)state;
	struct store *s = tu_store(dir, "first.db");
	char *path = xasprintf("%s/first.db", dir), *cause = NULL;
	struct store *door = NULL;
	assert_int_equal(store_open(path, 0, NULL, &door, &cause), 0);
	store_set_busy_timeout(door, 1000);
	store_set_first(door);
	/* no door waits: the long writer goes on in its transaction */
	assert_int_equal(store_begin(s, &cause), 0);
	assert_int_equal(store_give_way(s, &cause), 0);
	assert_false(sqlite3_get_autocommit(store_db(s)));
	store_rollback(s);
	/* and outside one it has nothing to give */
	assert_int_equal(store_give_way(s, &cause), 0);

	struct long_writer w = { .s = s };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, write_long, &w), 0);
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	nanosleep(&nap, NULL);
	for (int i = 0; i < 3; i++) {
		/* within the door's 1 s, though the sync holds on for 5 s */
		assert_int_equal(store_begin(door, &cause), 0);
		assert_int_equal(store_setting_set(door, "scan", "admitted", &cause), 0);
		assert_int_equal(store_commit(door, &cause), 0);
	}
	atomic_store(&w.stop, true);
	pthread_join(th, NULL);
	assert_int_equal(w.rc, 0);
	assert_true(w.gave >= 1);
	/* every record the sync wrote is there */
	int64_t n = 0;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store_db(door),
	    "SELECT count(*) FROM setting WHERE key LIKE 'row %'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(n, w.rows);
	store_close(door);
	store_close(s);
	free(path);
}

/* The WAL is written ahead only beside 256 MB of free space: a test
 * directory on a small file system cannot see it. */
static bool
room_for_wal(void)
{
	struct statvfs v;
	return statvfs(dir, &v) == 0 && (double)v.f_bavail * (double)v.f_frsize > 400e6;
}

/* A door's scan that comes while its WAL is written ahead (a door started
 * mid-rush) does not wait for all of it: it stops, and the rest is written
 * once the scans pause, so the rush after still overwrites it. */
static void
test_door_wal_written_ahead_after_a_first_scan(void **state)
{
	(void)state;
	if (!room_for_wal())
		skip();
	struct store *s = tu_store(dir, "ahead-first.db");
	char *cause = NULL;
	assert_int_equal(sqlite3_exec(store_db(s), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
	    " SELECT i + 1 FROM n WHERE i < 300) INSERT INTO guest (uuid, code, source,"
	    " created_at, updated_at, updated_by) SELECT 'u' || i, 'c' || i, 'import', 0, 0,"
	    " 'test' FROM n", NULL, NULL, NULL), SQLITE_OK);
	store_set_first(s);
	assert_int_equal(store_start_checkpointer(s, STORE_DOOR, &cause), 0);
	insert_scans(s, 1);
	/* within QUIET_MS and a look of the thread, and some */
	int64_t until = util_mono_ms() + 5000;
	while (file_size("ahead-first.db-wal") < 32 + 1800 * 4120 && util_mono_ms() < until) {
		struct timespec nap = { 0, 50 * 1000 * 1000 };
		nanosleep(&nap, NULL);
	}
	assert_int_equal(file_size("ahead-first.db-wal"), 32 + 1800 * 4120);
	insert_scans(s, 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM scan"), 2);
	store_close(s);
}

/* A door's WAL is written ahead, so that a rush overwrites it rather than
 * growing it: room for six pages a guest, at least 1,000 frames (4 MB),
 * once the door's first write has waited for it. A second door finds it
 * written. Other writers' WAL is left to grow as SQLite grows it. */
static void
test_door_wal_is_written_ahead(void **state)
{
	(void)state;
	if (!room_for_wal())
		skip();
	struct store *s = tu_store(dir, "ahead.db"), *t = tu_store(dir, "plain.db"), *s2 = NULL;
	char *cause = NULL, *path = xasprintf("%s/ahead.db", dir);
	/* 300 guests: 1,800 frames of 4,096 + 24 bytes, after the header */
	assert_int_equal(sqlite3_exec(store_db(s), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
	    " SELECT i + 1 FROM n WHERE i < 300) INSERT INTO guest (uuid, code, source,"
	    " created_at, updated_at, updated_by) SELECT 'u' || i, 'c' || i, 'import', 0, 0,"
	    " 'test' FROM n", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_start_checkpointer(s, STORE_DOOR, &cause), 0);
	assert_int_equal(store_start_checkpointer(t, STORE_DOOR, &cause), 0);
	insert_scans(s, 1);
	insert_scans(t, 1);
	assert_int_equal(file_size("ahead.db-wal"), 32 + 1800 * 4120);
	assert_int_equal(file_size("plain.db-wal"), 32 + 1000 * 4120);
	assert_int_equal(store_open(path, 0, NULL, &s2, &cause), 0);
	assert_int_equal(store_start_checkpointer(s2, STORE_DOOR, &cause), 0);
	insert_scans(s2, 1);
	insert_scans(s, 1);
	assert_int_equal(file_size("ahead.db-wal"), 32 + 1800 * 4120);
	assert_int_equal(tu_count(s2, "SELECT count(*) FROM scan"), 3);
	store_close(s2);
	store_close(s);
	store_close(t);
	free(path);

	struct store *u = tu_store(dir, "sync.db");
	assert_int_equal(store_start_checkpointer(u, 0, &cause), 0);
	insert_scans(u, 1);
	assert_in_range(file_size("sync.db-wal"), 1, 100 * 4120);
	store_close(u);
}

/* In a child process: open path, start a checkpointer with flags, commit n
 * scans at kiosk, and die without closing (no checkpoint, nothing cleaned
 * up, as at a power cut). */
static void
commit_and_die(const char *path, int flags, int n, const char *kiosk)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *s = NULL;
		char *cause = NULL;
		if (store_open(path, 0, NULL, &s, &cause) != 0 ||
		    (flags >= 0 && store_start_checkpointer(s, flags, &cause) != 0))
			_exit(1);
		for (int i = 0; i < n; i++) {
			sqlite3_stmt *st = NULL;
			if (store_begin(s, &cause) != 0 || sqlite3_prepare_v2(store_db(s), "INSERT INTO"
			    " scan (uuid, at, kiosk, code, result) VALUES (hex(randomblob(16)), 0, ?,"
			    " 'c', 'unknown_code')", -1, &st, NULL) != SQLITE_OK ||
			    sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC) != SQLITE_OK ||
			    sqlite3_step(st) != SQLITE_DONE || sqlite3_finalize(st) != SQLITE_OK ||
			    store_commit(s, &cause) != 0)
				_exit(1);
		}
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The zeros come after the WAL's last frame: what an earlier writer
 * committed and nobody checkpointed stays, and what the door commits over
 * the zeros is there after a crash (the WAL is read back up to its last
 * valid frame, and zeros are not one). */
static void
test_written_ahead_wal_keeps_every_commit(void **state)
{
	(void)state;
	if (!room_for_wal())
		skip();
	struct store *s = tu_store(dir, "crash.db");
	char *cause = NULL, *path = xasprintf("%s/crash.db", dir);
	store_close(s);
	commit_and_die(path, -1, 20, "cli");   /* 20 commits in the WAL, no checkpoint */
	long long before = file_size("crash.db-wal");
	assert_in_range(before, 20 * 4120, 200 * 4120);
	commit_and_die(path, STORE_DOOR, 30, "door");
	assert_int_equal(file_size("crash.db-wal"), 32 + 1000 * 4120);
	assert_int_equal(store_open(path, STORE_VERIFY, NULL, &s, &cause), 0);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM scan WHERE kiosk = 'cli'"), 20);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM scan WHERE kiosk = 'door'"), 30);
	char *ok = tu_text(s, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	store_close(s);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_reopen),
		cmocka_unit_test(test_new_event_is_not_made_on_a_stray_wal),
		cmocka_unit_test(test_trouble_of_a_failure),
		cmocka_unit_test(test_reverted_schema5_opens),
		cmocka_unit_test(test_missing_is_refused_without_create),
		cmocka_unit_test(test_new_event_appears_whole),
		cmocka_unit_test(test_new_event_is_in_place_at_once),
		cmocka_unit_test(test_event_is_made_where_a_link_leads),
		cmocka_unit_test_teardown(test_new_event_on_shares, local_again),
		cmocka_unit_test(test_foreign_files_are_refused_untouched),
		cmocka_unit_test(test_newer_schema_is_refused),
		cmocka_unit_test(test_schema_2_is_migrated),
		cmocka_unit_test(test_schema_3_is_migrated),
		cmocka_unit_test(test_schema_2_before_language_is_migrated),
		cmocka_unit_test(test_schema_1_before_words_is_migrated),
		cmocka_unit_test(test_schema_6_mail_is_migrated),
		cmocka_unit_test(test_words_made_again_at_schema_7),
		cmocka_unit_test(test_current_schema_without_language_is_mended),
		cmocka_unit_test(test_now_is_never_before_the_hub_time_seen),
		cmocka_unit_test(test_now_is_never_1970),
		cmocka_unit_test(test_now_follows_the_boot_clock),
		cmocka_unit_test(test_damaged_file_is_not_migrated),
		cmocka_unit_test(test_bad_create_leaves_no_file),
		cmocka_unit_test(test_lower_case_tag_is_upper_cased),
		cmocka_unit_test(test_changes_elsewhere_are_noticed),
		cmocka_unit_test(test_busy_database_is_waited_for),
		cmocka_unit_test(test_snapshot_is_private),
		cmocka_unit_test(test_checkpointer_starts_and_stops),
		cmocka_unit_test(test_rush_keeps_the_wal_short),
		cmocka_unit_test(test_emptying_the_wal_keeps_no_writer_waiting),
		cmocka_unit_test(test_a_door_scan_goes_before_its_sync),
		cmocka_unit_test(test_door_wal_written_ahead_after_a_first_scan),
		cmocka_unit_test(test_door_wal_is_written_ahead),
		cmocka_unit_test(test_written_ahead_wal_keeps_every_commit),
	};
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
