/* store: one SQLite database per event (schema and rules in store.h). */
#define _GNU_SOURCE /* renameat2, RENAME_NOREPLACE: a new event put in place whole */
#include "core/store.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "core/code.h"
#include "core/fold.h"
#include "core/ktime.h"
#include "core/merge.h"
#include "core/util.h"

#define BUSY_TIMEOUT_MS 10000  /* an import of 100k guests holds the lock ~1 s */
#define STMT_CACHE 48
#define CHECKPOINT_SOON 10000   /* WAL pages after which the thread checkpoints at once */
#define CHECKPOINT_PAGES 12000  /* WAL pages after which a commit checkpoints itself */
#define CHECKPOINT_PASSES 16    /* checkpoints in a row to catch up with a rush */
#define CHECKPOINT_SLACK 1000   /* WAL pages past CHECKPOINT_PAGES after which only the
                                 * commits checkpoint (the thread is not woken) */
#define CLOCK_DRIFT_MS 1000    /* the wall clock this far off the boot clock's time: set */
#define QUIET_MS 1000          /* no commit for this long: checkpoint */
#define PREGROW_FREE (256.0 * 1024 * 1024) /* space a door's WAL is written ahead beside */
#define PREGROW_MS 200         /* at most this long (then a sync) writing it ahead */
#define PREGROW_LEAST 1000     /* WAL pages written ahead for the smallest event */
#define WORDS_SCHEMA 7         /* search words are made as fold.c makes them now since
                                * this schema: an event of an earlier one has them
                                * made again (the index with them) */
#define JOURNAL_LIMIT 100663296 /* bytes a WAL is cut back to when it starts over (96 MiB) */

/* What steps 0 -> 1 and 1 -> 2 gained after kiosks had run them, as
 * mend_schema adds them to an event those kiosks made (step 1 -> 2 uses
 * the same text for its own). */
#define GUEST_SORT_KEY \
	"ALTER TABLE guest ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';" \
	"CREATE INDEX IF NOT EXISTS guest_sort ON guest(sort_key);"
#define GUEST_WORDS "ALTER TABLE guest ADD COLUMN words TEXT NOT NULL DEFAULT '';"
#define GUEST_LANGUAGE "ALTER TABLE guest ADD COLUMN language TEXT NOT NULL DEFAULT '';"
#define SETTING_TABLE \
	"CREATE TABLE IF NOT EXISTS setting (" \
	"  key TEXT PRIMARY KEY," \
	"  value TEXT NOT NULL) WITHOUT ROWID;"
/* Ticket e-mails: every attempt, so a run resumes and nobody gets two. */
#define MAIL_TABLE \
	"CREATE TABLE IF NOT EXISTS mail (" \
	"  id INTEGER PRIMARY KEY," \
	"  guest_uuid TEXT NOT NULL," \
	"  at INTEGER NOT NULL," \
	"  address TEXT NOT NULL," \
	"  result TEXT NOT NULL CHECK (result IN ('sent', 'failed'))," \
	"  message_id TEXT," \
	"  detail TEXT);" \
	"CREATE INDEX IF NOT EXISTS mail_guest ON mail(guest_uuid, result);"
/* The mail table since step 6 -> 7: each attempt keeps the code its ticket
 * carried (a ticket whose code an import replaced is not mailed: --unsent
 * mails the new one), and a message that went whole with no answer is
 * 'unknown', not 'failed' (it may have arrived: --unsent leaves it). NULL
 * code: an attempt recorded before, taken for the guest's code. */
#define MAIL_TABLE_V7 \
	"CREATE TABLE IF NOT EXISTS mail (" \
	"  id INTEGER PRIMARY KEY," \
	"  guest_uuid TEXT NOT NULL," \
	"  at INTEGER NOT NULL," \
	"  address TEXT NOT NULL," \
	"  result TEXT NOT NULL CHECK (result = 'sent' OR result = 'failed' OR" \
	"    result = 'unknown')," \
	"  code TEXT," \
	"  message_id TEXT," \
	"  detail TEXT);" \
	"CREATE INDEX IF NOT EXISTS mail_guest ON mail(guest_uuid, result);"

/* Migration i takes user_version i to i + 1. Append only: a released step is
 * never edited, since databases in the field have already run it. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  uuid TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  tag TEXT NOT NULL,"
	"  tz TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE guest ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  code TEXT NOT NULL UNIQUE,"
	"  ext_id TEXT,"
	"  first_name TEXT NOT NULL DEFAULT '',"
	"  last_name TEXT NOT NULL DEFAULT '',"
	"  email TEXT NOT NULL DEFAULT '',"
	"  company TEXT NOT NULL DEFAULT '',"
	"  ticket_type TEXT NOT NULL DEFAULT '',"
	"  handle TEXT NOT NULL DEFAULT '',"
	"  extra TEXT NOT NULL DEFAULT '{}',"
	"  source TEXT NOT NULL CHECK (source IN ('import', 'walkin')),"
	"  cancelled INTEGER NOT NULL DEFAULT 0,"
	"  match_key TEXT,"
	"  sort_key TEXT NOT NULL DEFAULT '',"
	"  words TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  updated_by TEXT NOT NULL);"
	"CREATE INDEX guest_ext_id ON guest(ext_id) WHERE ext_id IS NOT NULL;"
	"CREATE INDEX guest_match_key ON guest(match_key) WHERE match_key IS NOT NULL;"
	"CREATE INDEX guest_sort ON guest(sort_key);"
	"CREATE TABLE guest_word ("
	"  word TEXT NOT NULL,"
	"  guest_id INTEGER NOT NULL,"
	"  PRIMARY KEY (word, guest_id)) WITHOUT ROWID;"
	"CREATE TABLE checkin ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  guest_uuid TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('in', 'out', 'undo')),"
	"  undoes TEXT,"
	"  at INTEGER NOT NULL,"
	"  kiosk TEXT NOT NULL);"
	"CREATE INDEX checkin_guest ON checkin(guest_uuid, at);"
	"CREATE TABLE scan ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  at INTEGER NOT NULL,"
	"  kiosk TEXT NOT NULL,"
	"  code TEXT NOT NULL,"
	"  result TEXT NOT NULL,"
	"  guest_uuid TEXT);"
	"CREATE INDEX scan_guest ON scan(guest_uuid) WHERE guest_uuid IS NOT NULL;",
	/* 1 -> 2: sync. rev orders guest changes for pulls (the hub's cursor);
	 * dirty marks guests changed here that the hub has not confirmed;
	 * pushed marks check-ins and scans the hub has (or that came from it);
	 * origin is the device that pushed a row to this hub. */
	"ALTER TABLE guest ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE guest ADD COLUMN dirty INTEGER NOT NULL DEFAULT 0;"
	"UPDATE guest SET rev = id, dirty = 1;"
	"CREATE INDEX guest_rev ON guest(rev);"
	"CREATE INDEX guest_dirty ON guest(rev) WHERE dirty = 1;"
	/* "not undone" is asked of every check-in a guest has, at every scan */
	"CREATE INDEX checkin_undoes ON checkin(undoes) WHERE undoes IS NOT NULL;"
	"ALTER TABLE checkin ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE checkin ADD COLUMN origin TEXT;"
	"ALTER TABLE scan ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE sync_state ("
	"  key TEXT PRIMARY KEY,"
	"  value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE device ("
	"  name TEXT PRIMARY KEY,"
	"  token_hash BLOB NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER,"
	"  last_seen_at INTEGER);"
	SETTING_TABLE
	/* The language a guest is written to (en, nl, fr, de; '' the event's). */
	GUEST_LANGUAGE
	MAIL_TABLE,
	/* 2 -> 3: SQLite builds a temporary table for a three-item IN list in
	 * a CHECK, at every insert; the same rule spelt with OR costs nothing,
	 * and check-ins are what the door and sync insert most. A CHECK cannot
	 * be altered, so the table is rebuilt (the rows as they are). */
	"CREATE TABLE checkin_v3 ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  guest_uuid TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind = 'in' OR kind = 'out' OR kind = 'undo'),"
	"  undoes TEXT,"
	"  at INTEGER NOT NULL,"
	"  kiosk TEXT NOT NULL,"
	"  pushed INTEGER NOT NULL DEFAULT 0,"
	"  origin TEXT);"
	"INSERT INTO checkin_v3 (id, uuid, guest_uuid, kind, undoes, at, kiosk, pushed, origin)"
	"  SELECT id, uuid, guest_uuid, kind, undoes, at, kiosk, pushed, origin FROM checkin;"
	"DROP TABLE checkin;"
	"ALTER TABLE checkin_v3 RENAME TO checkin;"
	"CREATE INDEX checkin_guest ON checkin(guest_uuid, at);"
	"CREATE INDEX checkin_undoes ON checkin(undoes) WHERE undoes IS NOT NULL;",
	/* 3 -> 4: every scan at the door wrote a leaf of scan_guest too, one
	 * page in seven of its commit, for one reader: the export's scan count
	 * per guest, which now counts them all in one grouped pass. */
	"DROP INDEX IF EXISTS scan_guest;",
	/* 4 -> 5: when a guest's cancellation was last set, apart from the
	 * record's own stamp: sync keeps the later cancellation however the
	 * rest of the record merges (merge_cancel_wins), so a door's cancel is
	 * not undone by a later change of the name on the hub. Until now the
	 * record's stamp was the cancellation's too. */
	("ALTER TABLE guest ADD COLUMN cancelled_at INTEGER NOT NULL DEFAULT 0;"
	"UPDATE guest SET cancelled_at = updated_at;"),
	/* 5 -> 6: when a guest's other fields were last set, where a
	 * cancellation set since moved the record's stamp (NULL: at
	 * updated_at, as every row until now). Sync then keeps the later
	 * fields and the later cancellation, each its own (merge_guest_plan):
	 * a door's cancel no longer puts back the name the hub corrected
	 * before the door heard of it. Nullable, so an insert need not say. */
	"ALTER TABLE guest ADD COLUMN fields_at INTEGER;",
	/* 6 -> 7: the mail table as MAIL_TABLE_V7 says (a CHECK cannot be
	 * altered, so it is rebuilt). An event made before step 1 -> 2 had
	 * the table has it first, as mend_schema would give it. An attempt
	 * recorded as failed with "may have arrived" becomes 'unknown', with
	 * the code its detail names; every other takes the code its guest has
	 * now, the best known of what it carried (a code replaced from now on
	 * is then mailed again; one replaced before is not known). */
	MAIL_TABLE
	"ALTER TABLE mail RENAME TO mail_v6;"
	"DROP INDEX IF EXISTS mail_guest;"
	MAIL_TABLE_V7
	"INSERT INTO mail (id, guest_uuid, at, address, result, code, message_id, detail)"
	"  SELECT id, guest_uuid, at, address, CASE WHEN unknown THEN 'unknown' ELSE result END,"
	"    CASE WHEN unknown THEN substr(detail, named, length(detail) - named - 9)"
	"    ELSE (SELECT code FROM guest WHERE guest.uuid = m.guest_uuid) END,"
	"    message_id, detail"
	"  FROM (SELECT *, result = 'failed' AND detail LIKE " STORE_MAIL_UNKNOWN_V6 " AS unknown,"
	"    instr(detail, 'kiosk mail --code ') + 18 AS named FROM mail_v6) AS m;"
	"DROP TABLE mail_v6;",
	/* 7 -> 8: a guest erased at their request (kiosk forget, GDPR article
	 * 17): when (0: not), and a keyed hash of the name key the row had
	 * (guest_forget_key), so that an import of a file that still lists
	 * them matches the row without the name being kept. Sync takes a
	 * forgotten copy over any other (merge_forget). */
	"ALTER TABLE guest ADD COLUMN forgotten_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE guest ADD COLUMN forgotten_key TEXT;"
	"CREATE INDEX guest_forgotten_key ON guest(forgotten_key) WHERE forgotten_key IS NOT NULL;",
};

struct cached_stmt {
	const char *sql;        /* the literal it was prepared from */
	sqlite3_stmt *stmt;
};

struct checkpointer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	sqlite3 *db;            /* its own connection */
	bool stop;
	bool dirty;             /* commits since the last checkpoint */
	bool soon;              /* the WAL is long: checkpoint without waiting for quiet */
	int soon_at;            /* WAL pages that set soon (more while a reader holds it) */
	struct store_checkpoints n; /* counted, for tests and the bench */
	int64_t last_commit;    /* monotonic ms of the last commit */
	pthread_cond_t checked; /* the file's integrity is known */
	bool verified;
	bool pregrow;           /* a door: write the WAL ahead (pregrow_wal) */
	char *damage;           /* why the file is damaged; NULL when it is whole */
};

struct store {
	sqlite3 *db;
	char *path;
	struct store_event ev;  /* strings below are owned here */
	char *ev_uuid, *ev_name, *ev_tag, *ev_tz;
	int64_t clock_offset;   /* ms to add to this computer's clock (store_now) */
	int64_t clock_seen;     /* and the least time it returns (CLOCK_SEEN) */
	int64_t boot_offset;    /* ms to add to the boot clock, when boot_anchored */
	bool boot_anchored;     /* boot_offset was learnt since this computer started */
	int64_t latest;         /* with a clock not set: the latest time held */
	int64_t latest_mono;    /* and util_mono_ms() when it was read */
	int busy_ms;            /* the busy timeout set (store_set_busy_timeout) */
	bool first;             /* its writes go first (store_set_first) */
	int64_t busy_since;     /* when first: util_mono_ns() its wait began */
	struct cached_stmt cache[STMT_CACHE];
	size_t ncache;
	struct checkpointer *cp; /* NULL unless started */
	int64_t data_version;   /* as store_changed_elsewhere last read it; -1 before */
	bool in_memory;         /* STORE_MEMORY, or a STORE_SNAPSHOT's copy */
	bool made_event;        /* this open made the event (store_made_event) */
	bool made_file;         /* this open created the file */
	int flags;              /* as opened, for store_publish's reopening */
	char *draft;            /* a new event's file until store_publish puts it at
	                         * path (NULL otherwise): the file SQLite has open */
	int draft_fd;           /* its lock, held while it is a draft; -1 */
	char *place;            /* where it goes: path, or where path's links lead */
	bool each_day;          /* an event of days (store_set_each_day) */
};

/* Is the file system holding the database out of space (for us)? Asked only
 * on an I/O error, so it may cost a system call. */
static bool
disk_full(struct store *s)
{
	int e = sqlite3_system_errno(s->db);
	struct statvfs v;
	if (e == ENOSPC || e == EDQUOT)
		return true;
	const char *file = s->draft != NULL ? s->draft : s->path;
	return file != NULL && !s->in_memory && statvfs(file, &v) == 0 && v.f_bavail == 0;
}

/* store_fail's words for each trouble (and fail_damaged's), which
 * store_trouble finds again. */
enum { HINT_FULL, HINT_READONLY, HINT_EROFS, HINT_BUSY, HINT_DAMAGED, HINT_IO,
	HINT_CHECKED_DAMAGED, HINT_SCHEMA, HINT__COUNT };
static const struct {
	enum store_trouble t;
	const char *hint;
} hints[HINT__COUNT] = {
	[HINT_FULL] = { STORE_TROUBLE_FULL, " (the disk is full: free some space)" },
	[HINT_READONLY] = { STORE_TROUBLE_READONLY, " (the file or its folder is read-only)" },
	[HINT_EROFS] = { STORE_TROUBLE_READONLY, " (the disk has become read-only)" },
	[HINT_BUSY] = { STORE_TROUBLE_BUSY, " (another program holds the database too long: a "
	    "door, the hub, an import, a database browser; try again)" },
	[HINT_DAMAGED] = { STORE_TROUBLE_DAMAGED, " (" STORE_BROKEN_PAGES "): "
	    STORE_DAMAGED_ADVICE },
	[HINT_IO] = { STORE_TROUBLE_IO, " (the disk reported an I/O error)" },
	[HINT_CHECKED_DAMAGED] = { STORE_TROUBLE_DAMAGED, ": the database is damaged (" },
	[HINT_SCHEMA] = { STORE_TROUBLE_DAMAGED, " (the event's tables are not as kiosk made them: "
	    "edited in another program? Use a backup ('kiosk backup'), or import the guest "
	    "list again into a new event)" },
};

static bool schema_current(struct store *s);

int
store_fail(struct store *s, char **cause, const char *what)
{
	int code = sqlite3_extended_errcode(s->db) & 0xff;
	char msg[256]; /* a copy: schema_current's queries set another */
	snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(s->db));
	int hint = -1;

	switch (code) {
	case SQLITE_FULL:
		hint = HINT_FULL;
		break;
	case SQLITE_READONLY:
		hint = HINT_READONLY;
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		hint = HINT_BUSY;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		hint = HINT_DAMAGED;
		/* not SQLite's "disk image is malformed" */
		snprintf(msg, sizeof msg, "the database is damaged");
		break;
	case SQLITE_IOERR:
		/* SQLite says "I/O error" for a full disk met outside of page
		 * writes (making its shared-memory file at start, a sync): an
		 * organiser told "I/O error" would look for a broken disk. */
		if (disk_full(s))
			hint = HINT_FULL;
		else if (sqlite3_system_errno(s->db) == EROFS)
			hint = HINT_EROFS;
		else
			hint = HINT_IO;
		break;
	case SQLITE_ERROR:
		/* A statement of this version's on a table or column that is not
		 * there, in a file of this version's schema, whole when it was
		 * opened (schema_whole): it was edited since. (An older event
		 * opened only for reading lacks columns too, and is no edit.) */
		if ((strncmp(msg, "no such table", 13) == 0 || strncmp(msg, "no such column", 14) == 0)
		    && schema_current(s))
			hint = HINT_SCHEMA;
		break;
	default:
		break;
	}
	return util_fail(cause, "%s: %s: %s%s", s->path, what, msg,
	    hint >= 0 ? hints[hint].hint : "");
}

enum store_trouble
store_trouble(const char *cause)
{
	for (size_t i = 0; cause != NULL && i < sizeof hints / sizeof hints[0]; i++)
		if (strstr(cause, hints[i].hint) != NULL)
			return hints[i].t;
	return STORE_TROUBLE_OTHER;
}

static int
exec(struct store *s, const char *sql, char **cause)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(s, cause, "cannot run statement");
	return 0;
}

/* The integer sql's first row starts with, on any connection: 0 and *out,
 * or -1 when there is no row. */
static int
query_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
pragma_int(struct store *s, const char *sql, int *out, char **cause)
{
	int64_t v;
	if (query_int(s->db, sql, &v) != 0)
		return store_fail(s, cause, "cannot read the database header");
	*out = (int)v;
	return 0;
}

sqlite3_stmt *
store_stmt(struct store *s, const char *sql, char **cause)
{
	for (size_t i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].stmt);
			sqlite3_clear_bindings(s->cache[i].stmt);
			return s->cache[i].stmt;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_fail(s, cause, "cannot prepare statement");
		return NULL;
	}
	if (s->ncache < STMT_CACHE) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].stmt = st;
		s->ncache++;
	} else {
		/* Cache full: replace the oldest. A fixed set of literals never
		 * gets here; it is a guard, not a policy. */
		sqlite3_finalize(s->cache[0].stmt);
		memmove(s->cache, s->cache + 1, (STMT_CACHE - 1) * sizeof s->cache[0]);
		s->cache[STMT_CACHE - 1].sql = sql;
		s->cache[STMT_CACHE - 1].stmt = st;
	}
	return st;
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

const struct store_event *
store_event(const struct store *s)
{
	return &s->ev;
}

bool
store_made_file(const struct store *s)
{
	return s->made_file;
}

bool
store_made_event(const struct store *s)
{
	return s->made_event;
}

const char *
store_draft(const struct store *s)
{
	return s->draft;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

void
store_set_relaxed(struct store *s)
{
	exec(s, "PRAGMA synchronous = NORMAL", NULL);
}

/* Connections of this process whose write waits for the lock now and
 * goes first (store_set_first): a long writer of the process gives way
 * to them (store_give_way). */
static atomic_int first_waiting;

/* The busy handler of a connection that goes first: it tries again every
 * FIRST_POLL_NS, not at SQLite's 1, 2, 5, 10, 15, 20, 25... ms, which a
 * writer that commits and begins again at once (a sync's next chunk)
 * beats at every try: a door's scan waited through chunk after chunk. */
#define FIRST_POLL_NS (200 * 1000)

static int
first_busy(void *arg, int count)
{
	struct store *s = arg;
	int64_t now = util_mono_ns();
	if (count == 0)
		s->busy_since = now;
	if (now - s->busy_since >= (int64_t)s->busy_ms * 1000000)
		return 0;
	struct timespec nap = { 0, FIRST_POLL_NS };
	nanosleep(&nap, NULL);
	return 1;
}

/* The busy wait this connection has: SQLite's, or first_busy; 0 none. */
static void
set_busy(struct store *s, int ms)
{
	if (s->first && ms > 0)
		sqlite3_busy_handler(s->db, first_busy, s);
	else
		sqlite3_busy_timeout(s->db, ms);
}

void
store_set_busy_timeout(struct store *s, int ms)
{
	s->busy_ms = ms;
	set_busy(s, ms);
}

void
store_set_first(struct store *s)
{
	s->first = true;
	set_busy(s, s->busy_ms);
}

/* How long a writer that gave way waits for the one it gave way to take
 * the lock, at most (it may have given up, or be another process's). */
#define GIVE_WAY_MAX_NS (50 * 1000000)

static bool stopping(struct checkpointer *cp);

/* Wait until no connection that goes first waits for the lock (it has it
 * now, or gave up), at most most_ns, and no longer than cp (when not
 * NULL) runs. A writer that took the lock at once instead would take it
 * back before the waiting one's next try. */
static void
wait_first_served(int64_t most_ns, struct checkpointer *cp)
{
	int64_t since = util_mono_ns();
	while (atomic_load(&first_waiting) > 0 && util_mono_ns() - since < most_ns &&
	    (cp == NULL || !stopping(cp))) {
		struct timespec nap = { 0, FIRST_POLL_NS / 2 };
		nanosleep(&nap, NULL);
	}
}

int
store_give_way(struct store *s, char **cause)
{
	if (atomic_load(&first_waiting) == 0 || sqlite3_get_autocommit(s->db))
		return 0;
	if (store_commit(s, cause) != 0)
		return -1;
	/* then this BEGIN waits for its commit, a millisecond */
	wait_first_served(GIVE_WAY_MAX_NS, NULL);
	return store_begin(s, cause) != 0 ? -1 : 1;
}

int
store_secure_delete(struct store *s, bool on, char **cause)
{
	return exec(s, on ? "PRAGMA secure_delete = ON" : "PRAGMA secure_delete = OFF", cause);
}

/* Without the busy handler, tried a few times: a TRUNCATE checkpoint that
 * waits (in the busy handler) for a reader to leave the WAL keeps every
 * writer out while it waits, and a door's scans would wait with it, up to
 * the 1.5 s after which the door says it could not record. Each try keeps
 * writers out only while it copies. */
#define TRUNCATE_TRIES 10
#define TRUNCATE_PAUSE_MS 100

int
store_checkpoint_truncate(struct store *s, char **cause)
{
	int rc = SQLITE_BUSY, log = -1, done = -1;
	set_busy(s, 0);
	for (int i = 0; i < TRUNCATE_TRIES; i++) {
		if (i > 0) {
			struct timespec nap = { 0, TRUNCATE_PAUSE_MS * 1000 * 1000 };
			nanosleep(&nap, NULL);
		}
		log = done = -1;
		rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log,
		    &done);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || log == 0)
			break;
	}
	set_busy(s, s->busy_ms);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return 0;
	if (rc != SQLITE_OK)
		return store_fail(s, cause, "cannot checkpoint the WAL");
	return log == 0 ? 1 : 0;
}

void
store_set_cache_mib(struct store *s, int mib)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", mib * 1024);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

/* This computer's time, set by what the hub's clock said at the last sync:
 * on the boot clock since then, unless the computer restarted. */
static int64_t
clock_now(const struct store *s)
{
	return s->boot_anchored ? util_boot_ms() + s->boot_offset :
	    util_now_ms() + s->clock_offset;
}

/* The clock offset is read when a write transaction starts, not per
 * store_now(): an import stamps 100,000 rows with it. So is, when this
 * computer's clock is not set (MERGE_CLOCK_MIN: it restarted without one,
 * as a Raspberry Pi has none), the latest time this event holds: see
 * store_now. */
static void
load_clock_offset(struct store *s)
{
	int64_t v, boot = 0, boot_offset = 0;
	/* One statement for the four: it runs at every check-in. */
	sqlite3_stmt *st = store_stmt(s, "SELECT key, value FROM sync_state WHERE key IN"
	    " ('" STORE_STATE_CLOCK_OFFSET "', '" STORE_STATE_CLOCK_SEEN "', '"
	    STORE_STATE_CLOCK_BOOT_OFFSET "', '" STORE_STATE_CLOCK_BOOT "')", NULL);
	while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		v = sqlite3_column_int64(st, 1);
		if (key == NULL)
			continue;
		if (strcmp(key, STORE_STATE_CLOCK_OFFSET) == 0)
			s->clock_offset = v;
		else if (strcmp(key, STORE_STATE_CLOCK_SEEN) == 0)
			s->clock_seen = v;
		else if (strcmp(key, STORE_STATE_CLOCK_BOOT_OFFSET) == 0)
			boot_offset = v;
		else
			boot = v;
	}
	if (st != NULL)
		sqlite3_reset(st);
	s->boot_anchored = boot != 0 && boot == util_boot_id();
	s->boot_offset = boot_offset;
	/* Read at most once a second (it scans every guest), and in between
	 * the time goes on from it as this computer's monotonic clock does;
	 * the next read takes in what other processes wrote (a door's push). */
	if ((s->latest == 0 || util_mono_ms() - s->latest_mono >= 1000) &&
	    clock_now(s) < MERGE_CLOCK_MIN &&
	    query_int(s->db, "SELECT max(coalesce((SELECT max(updated_at) FROM guest), 0),"
	    " coalesce((SELECT max(at) FROM checkin), 0), coalesce((SELECT max(at) FROM scan), 0),"
	    " (SELECT created_at FROM event))", &v) == 0) {
		/* The time goes on from what it was, not from the last record:
		 * else a door's scans a minute apart were a millisecond apart. */
		int64_t mono = util_mono_ms();
		if (s->latest != 0 && s->latest + (mono - s->latest_mono) > v)
			v = s->latest + (mono - s->latest_mono);
		s->latest = v;
		s->latest_mono = mono;
	}
}

/* PRAGMA quick_check on db: NULL when the file is whole, else what is
 * wrong (caller frees). A damaged page in a part no query has touched yet
 * is found only like this: such a file must not take more writes. */
static char *
quick_check(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	char *why = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	/* SQLite's own report ("*** in database main *** Page 5:
	 * btreeInitPage() returns error code 11", over lines) tells an
	 * organiser nothing they can act on: fail_damaged says what to do. */
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (v == NULL || strcmp(v, "ok") != 0)
			why = xstrdup(STORE_BROKEN_PAGES);
	} else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) {
		why = xstrdup(STORE_BROKEN_PAGES);
	}
	sqlite3_finalize(st);
	return why;
}

/* Into WAL mode (a file already in it stays). SQLite does not run the busy
 * handler for a connection that has read the file and then wants to write
 * while another holds the write lock (the two could wait for each other),
 * and the switch reads the header first: on a file another program writes
 * through a rollback journal it answers SQLITE_BUSY at once. So it waits
 * here too, as long as for any busy database. A mode other than WAL given
 * back is no lock to wait for: the file system cannot do WAL's shared
 * memory. Returns 0 or -1 with *cause. */
static int
set_wal(struct store *s, char **cause)
{
	int64_t start = util_mono_ms();
	for (;;) {
		sqlite3_stmt *st = NULL;
		char mode[16] = "";
		int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
			snprintf(mode, sizeof mode, "%s", sqlite3_column_text(st, 0) != NULL ?
			    (const char *)sqlite3_column_text(st, 0) : "?");
		sqlite3_finalize(st);
		if (strcmp(mode, "wal") == 0)
			return 0;
		if (rc == SQLITE_ROW)
			return util_fail(cause, "%s: cannot put the database in WAL mode (SQLite keeps "
			    "it in %s mode: the disk or share may not allow the shared memory WAL "
			    "needs; keep the event on a local disk)", s->path, mode);
		if ((rc & 0xff) != SQLITE_BUSY || util_mono_ms() - start >= BUSY_TIMEOUT_MS)
			return store_fail(s, cause, "cannot put the database in WAL mode");
		/* a pause the length of a short write transaction */
		struct timespec nap = { 0, 20 * 1000 * 1000 };
		nanosleep(&nap, NULL);
	}
}

/* Schema 5 of a few development versions (a table guest_alias), reverted
 * before any release: their databases are schema 4 and that table, which
 * nothing reads. A real schema 5 must not make a table of that name. */
#define ALIAS5_VERSION 5
static bool
alias5(struct store *s, int version)
{
	int n = 0;
	return version == ALIAS5_VERSION && pragma_int(s, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name = 'guest_alias'", &n, NULL) == 0 && n == 1;
}

/* Steps 0 -> 1 and 1 -> 2 were changed after kiosks had run them: 0 -> 1
 * gained guest.sort_key and guest.words, 1 -> 2 the setting table,
 * guest.language and the mail table. An event such a kiosk made has the
 * schema's number without them, and was moved on to this schema without
 * them too; each new guest then failed to be written (a walk-in, an
 * import, a hub's whole sync). So what is missing is looked for by name,
 * at every open for writing (the schema is in memory: no read of the
 * file), and added. */
static bool
has_column(struct store *s, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	bool has = sqlite3_prepare_v2(s->db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
	    -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return has;
}

static bool
has_table(struct store *s, const char *table)
{
	sqlite3_stmt *st = NULL;
	bool has = sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
	    " AND name = ?1", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return has;
}

static bool
schema_whole(struct store *s)
{
	int n = 0;
	return pragma_int(s, "SELECT (SELECT count(*) FROM pragma_table_info('guest') WHERE name IN"
	    " ('sort_key', 'words', 'language')) + (SELECT count(*) FROM sqlite_master WHERE"
	    " type = 'table' AND name IN ('setting', 'mail'))", &n, NULL) == 0 && n == 5;
}

/* This version's schema, with what mend_schema adds: a file in which a
 * table or column this version uses is missing was edited since. */
static bool
schema_current(struct store *s)
{
	int version = 0;
	return pragma_int(s, "PRAGMA user_version", &version, NULL) == 0 &&
	    version == STORE_SCHEMA_VERSION && schema_whole(s);
}

/* Will opening this file write to it (a migration, the switch to WAL)? */
static bool
opening_writes(struct store *s)
{
	int version = STORE_SCHEMA_VERSION;
	bool wal = false;
	sqlite3_stmt *st = NULL;
	if (pragma_int(s, "PRAGMA user_version", &version, NULL) != 0)
		return true;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		wal = m != NULL && strcmp(m, "wal") == 0;
	}
	sqlite3_finalize(st);
	return version < STORE_SCHEMA_VERSION || alias5(s, version) || !wal || !schema_whole(s);
}

static int
fail_damaged(const char *path, const char *why, char **cause)
{
	return util_fail(cause, "%s%s%s); nothing was written to it: " STORE_DAMAGED_ADVICE,
	    path, hints[HINT_CHECKED_DAMAGED].hint, why);
}

/* A long-running writer's checkpointer checks the file when it starts:
 * wait for that before the first write, and write nothing to a damaged
 * file. */
static int
verified(struct store *s, char **cause)
{
	struct checkpointer *cp = s->cp;
	pthread_mutex_lock(&cp->lock);
	while (!cp->verified)
		pthread_cond_wait(&cp->checked, &cp->lock);
	char *why = cp->damage ? xstrdup(cp->damage) : NULL;
	pthread_mutex_unlock(&cp->lock);
	if (why == NULL)
		return 0;
	fail_damaged(s->path, why, cause);
	free(why);
	return -1;
}

int
store_damage(struct store *s, char **cause)
{
	struct checkpointer *cp = s->cp;
	if (cp == NULL)
		return 0;
	pthread_mutex_lock(&cp->lock);
	char *why = cp->verified && cp->damage ? xstrdup(cp->damage) : NULL;
	pthread_mutex_unlock(&cp->lock);
	if (why == NULL)
		return 0;
	fail_damaged(s->path, why, cause);
	free(why);
	return 1;
}

int
store_begin(struct store *s, char **cause)
{
	/* Counted from before the file's check: the WAL written ahead after
	 * it stops for this write (pregrow_wal). */
	if (s->first)
		atomic_fetch_add(&first_waiting, 1);
	int rc = s->cp != NULL && verified(s, cause) != 0 ? -1 : exec(s, "BEGIN IMMEDIATE", cause);
	if (s->first)
		atomic_fetch_sub(&first_waiting, 1);
	if (rc != 0)
		return -1;
	load_clock_offset(s);
	/* The wall clock set since the last sync: its offset follows, so that
	 * after a restart (the boot clock's start gone) the wall clock and it
	 * still give the hub's time, not one shifted by that step. Written
	 * only then, with this transaction; a failure leaves the old one. */
	if (s->boot_anchored) {
		int64_t drift = clock_now(s) - (util_now_ms() + s->clock_offset);
		if (drift > CLOCK_DRIFT_MS || drift < -CLOCK_DRIFT_MS)
			store_state_set(s, STORE_STATE_CLOCK_OFFSET, s->clock_offset + drift, NULL);
	}
	return 0;
}

bool
store_changed_elsewhere(struct store *s)
{
	int64_t v;
	if (query_int(s->db, "PRAGMA data_version", &v) != 0)
		return false;
	bool changed = v != s->data_version;
	s->data_version = v;
	return changed;
}

int64_t
store_now(const struct store *s)
{
	int64_t now = clock_now(s);
	if (now < s->clock_seen)
		now = s->clock_seen;
	/* A hub, or a door with no offset learnt, whose computer restarted
	 * without its clock would write 1970, which every other node refuses
	 * as a time (MERGE_TIME_MIN): each door's pull would stop at that
	 * record for good; or 2000-01-01, before everything the event holds,
	 * its check-ins then sorting before the entries they follow
	 * (MERGE_CLOCK_MIN). It writes just after the latest time the event
	 * holds instead, so that a change it makes (a cancel) is also the
	 * latest and wins over the copies the doors have. Only then: the
	 * times held may be ahead of the real one. */
	if (now < MERGE_CLOCK_MIN && s->latest >= now)
		now = s->latest + 1 + (util_mono_ms() - s->latest_mono);
	return now;
}

int64_t
store_now_given(const struct store *s)
{
	return clock_now(s) < MERGE_CLOCK_MIN ? -1 : store_now(s);
}

int
store_clock_check(const struct store *s, char **cause)
{
	int64_t now = store_now(s);
	if (now >= MERGE_CLOCK_MIN)
		return 0;
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	char when[32] = "?";
	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
	return util_fail(cause, "this computer's clock reads %s, so it is not set: set the "
	    "date and time (nothing was written)", when);
}

int64_t
store_now_fresh(struct store *s)
{
	load_clock_offset(s);
	return store_now(s);
}

/* Step a "SELECT value FROM ... WHERE key = ?" once: 1 with st on the row
 * (the caller reads it, then resets st), 0 for no row, -1 with *cause. */
static int
keyed_row(struct store *s, sqlite3_stmt *st, const char *key, char **cause)
{
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(s, cause, "cannot read the event's settings");
}

int
store_state_get(struct store *s, const char *key, int64_t *value, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM sync_state WHERE key = ?", cause);
	int rc = keyed_row(s, st, key, cause);
	if (rc == 1) {
		*value = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

int
store_setting_get(struct store *s, const char *key, char **value, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM setting WHERE key = ?", cause);
	int rc = keyed_row(s, st, key, cause);
	if (rc == 1) {
		*value = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	return rc;
}

int
store_setting_set(struct store *s, const char *key, const char *value, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO setting (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET value = ?2", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot write a setting");
	return 0;
}

int
store_state_set(struct store *s, const char *key, int64_t value, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET value = ?2", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, value);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot write the sync state");
	if (strcmp(key, STORE_STATE_CLOCK_OFFSET) == 0)
		s->clock_offset = value;
	else if (strcmp(key, STORE_STATE_CLOCK_SEEN) == 0)
		s->clock_seen = value;
	else if (strcmp(key, STORE_STATE_CLOCK_BOOT_OFFSET) == 0)
		s->boot_offset = value;
	else if (strcmp(key, STORE_STATE_CLOCK_BOOT) == 0)
		s->boot_anchored = value != 0 && value == util_boot_id();
	return 0;
}

int
store_clock_set(struct store *s, int64_t offset, char **cause)
{
	/* The hub's time now, on the wall clock and on the boot clock read
	 * together (the offset is the hub's time less the wall clock's). */
	int64_t wall = util_now_ms(), boot = util_boot_ms(), id = util_boot_id();
	if (store_state_set(s, STORE_STATE_CLOCK_OFFSET, offset, cause) != 0 ||
	    store_state_set(s, STORE_STATE_CLOCK_BOOT_OFFSET, wall + offset - boot, cause) != 0 ||
	    store_state_set(s, STORE_STATE_CLOCK_BOOT, id, cause) != 0)
		return -1;
	return store_state_set(s, STORE_STATE_CLOCK_SEEN, wall + offset, cause);
}

bool
store_clock_anchored(struct store *s)
{
	load_clock_offset(s);
	return s->boot_anchored;
}

int
store_begin_read(struct store *s, char **cause)
{
	return exec(s, "BEGIN", cause);
}

int
store_commit(struct store *s, char **cause)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s, cause, "cannot commit");
		store_rollback(s);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}


/* SQL functions for the mend: the guest's search words and sort key, as
 * an import makes them (registered with 3 and 2 arguments). */
static const char *
sql_text(sqlite3_value *v)
{
	const char *t = (const char *)sqlite3_value_text(v);
	return t != NULL ? t : "";
}

static void
sql_search_words(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_text(ctx, fold_search_words(sql_text(argv[0]), sql_text(argv[1]),
	    sql_text(argv[2])), -1, free);
}

static void
sql_sort_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_text(ctx, fold_sort_key(sql_text(argv[0]), sql_text(argv[1])), -1, free);
}

/* Every guest's sort key (sort) and search words (words) made again, as
 * this kiosk makes them, inside the migration's transaction. The search
 * index is made again whole from the words: a kiosk without guest.words
 * kept other words in it (the e-mail's domain), and search checks a
 * query's other words on the row. */
static int
remake_words(struct store *s, bool sort, bool words, char **cause)
{
	int rc = -1;
	if (sqlite3_create_function(s->db, "kiosk_search_words", 3, SQLITE_UTF8, NULL,
	    sql_search_words, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(s->db, "kiosk_sort_key", 2, SQLITE_UTF8, NULL, sql_sort_key,
	    NULL, NULL) != SQLITE_OK) {
		store_fail(s, cause, "cannot upgrade the guest list");
		goto out;
	}
	if (sort && exec(s, "UPDATE guest SET sort_key = kiosk_sort_key(first_name, last_name)",
	    cause) != 0)
		goto out;
	/* Each word of " w1 w2 ... " into guest_word. */
	if (words && exec(s, "UPDATE guest SET words ="
	    " kiosk_search_words(first_name, last_name, email);"
	    "DELETE FROM guest_word;"
	    "WITH RECURSIVE w(id, word, rest) AS ("
	    "  SELECT id, '', substr(words, 2) FROM guest"
	    "  UNION ALL SELECT id, substr(rest, 1, instr(rest, ' ') - 1),"
	    "    substr(rest, instr(rest, ' ') + 1) FROM w WHERE instr(rest, ' ') > 0)"
	    " INSERT OR IGNORE INTO guest_word (word, guest_id)"
	    "  SELECT word, id FROM w WHERE word <> ''", cause) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_create_function(s->db, "kiosk_search_words", 3, SQLITE_UTF8, NULL, NULL, NULL,
	    NULL);
	sqlite3_create_function(s->db, "kiosk_sort_key", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	return rc;
}

/* Inside the migration's transaction: what steps 0 -> 1 and 1 -> 2
 * gained after kiosks had run them. *remade: the words were made again. */
static int
mend_schema(struct store *s, bool *remade, char **cause)
{
	*remade = false;
	if (schema_whole(s))
		return 0;
	bool sort = !has_column(s, "guest", "sort_key"), words = !has_column(s, "guest", "words");
	if ((sort && exec(s, GUEST_SORT_KEY, cause) != 0) ||
	    (words && exec(s, GUEST_WORDS, cause) != 0) ||
	    (!has_column(s, "guest", "language") && exec(s, GUEST_LANGUAGE, cause) != 0) ||
	    exec(s, SETTING_TABLE MAIL_TABLE_V7, cause) != 0)
		return -1;
	if (!sort && !words)
		return 0;
	*remade = words;
	return remake_words(s, sort, words, cause);
}

/* Apply the migrations from the current user_version; when creating, also
 * write the event row, in the same transaction: a database either has its
 * event or does not exist. */
static int
migrate(struct store *s, const struct store_event_init *init, bool creating, char **cause)
{
	int version = 0, rc = -1;
	sqlite3_stmt *st = NULL;

	/* An event of this schema needs nothing: it is not locked for writing,
	 * so a command that only reads does not wait for a writer (in WAL mode
	 * it reads beside one). Otherwise the version is read again under the
	 * lock: another program may have migrated it meanwhile. */
	if (!creating && pragma_int(s, "PRAGMA user_version", &version, NULL) == 0 &&
	    version == STORE_SCHEMA_VERSION && schema_whole(s))
		return 0;
	if (store_begin(s, cause) != 0)
		return -1;
	if (pragma_int(s, "PRAGMA user_version", &version, cause) != 0)
		goto out;
	if (alias5(s, version)) {
		if (exec(s, "DROP TABLE guest_alias; PRAGMA user_version = 4", cause) != 0)
			goto out;
		version = 4;
	}
	if (version > STORE_SCHEMA_VERSION) {
		util_fail(cause, "%s: made by a newer kiosk (schema %d; this kiosk knows up "
		    "to %d): upgrade kiosk to open it", s->path, version, STORE_SCHEMA_VERSION);
		goto out;
	}
	for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
		if (exec(s, migrations[v], cause) != 0)
			goto out;
	}
	bool remade = false;
	if (!creating && mend_schema(s, &remade, cause) != 0)
		goto out;
	if (!creating && !remade && version < WORDS_SCHEMA &&
	    remake_words(s, false, true, cause) != 0)
		goto out;
	if (version < STORE_SCHEMA_VERSION) {
		char sql[96];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d",
		    STORE_SCHEMA_VERSION, STORE_APP_ID);
		if (exec(s, sql, cause) != 0)
			goto out;
	}
	if (creating) {
		char tag[CODE_TAG_MAX + 2];
		const char *name = init && !util_blank(init->name) ? init->name : "Untitled event";
		const char *tz = init && !util_blank(init->tz) ? init->tz : "UTC";
		if (init && !util_blank(init->tag)) {
			/* As kiosk.conf takes it: "smd26" is SMD26. */
			if (!code_tag_normalize(init->tag, tag)) {
				util_fail(cause, "event tag '%s': use 2 to 8 letters A-Z and digits",
				    init->tag);
				goto out;
			}
		} else {
			code_tag_from_name(name, tag);
		}
		if (ktime_zone_check(tz, cause) != 0)
			goto out;
		/* A door joining a hub learns its clock from it; an event made
		 * here has nothing to go by. */
		if ((init == NULL || init->uuid == NULL) && store_clock_check(s, cause) != 0)
			goto out;
		char *uuid = init && init->uuid ? xstrdup(init->uuid) : util_uuid();
		if (sqlite3_prepare_v2(s->db, "INSERT INTO event (id, uuid, name, tag, tz, created_at)"
		    " VALUES (1, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK) {
			free(uuid);
			store_fail(s, cause, "cannot create the event");
			goto out;
		}
		sqlite3_bind_text(st, 1, uuid, -1, free);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, tag, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, tz, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, util_now_ms());
		if (sqlite3_step(st) != SQLITE_DONE) {
			store_fail(s, cause, "cannot create the event");
			goto out;
		}
	}
	if (store_commit(s, cause) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	if (rc != 0)
		store_rollback(s);
	return rc;
}

static int
load_event(struct store *s, char **cause)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT uuid, name, tag, tz FROM event WHERE id = 1",
	    -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, cause, "cannot read the event");
		goto out;
	}
	int step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		if (step == SQLITE_DONE)
			util_fail(cause, "%s: the database has no event (damaged?)", s->path);
		else
			store_fail(s, cause, "cannot read the event");
		goto out;
	}
	s->ev_uuid = xstrdup((const char *)sqlite3_column_text(st, 0));
	s->ev_name = xstrdup((const char *)sqlite3_column_text(st, 1));
	s->ev_tag = xstrdup((const char *)sqlite3_column_text(st, 2));
	s->ev_tz = xstrdup((const char *)sqlite3_column_text(st, 3));
	s->ev.uuid = s->ev_uuid;
	s->ev.name = s->ev_name;
	s->ev.tag = s->ev_tag;
	s->ev.tz = s->ev_tz;
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Is this file one of ours (or an empty database we may initialise)? */
static int
check_identity(struct store *s, bool *empty, char **cause)
{
	int app = 0, version = 0, tables = 0;

	if (pragma_int(s, "PRAGMA application_id", &app, cause) != 0 ||
	    pragma_int(s, "PRAGMA user_version", &version, cause) != 0 ||
	    pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables, cause) != 0) {
		int code = sqlite3_errcode(s->db);
		if (code == SQLITE_NOTADB)
			return util_fail(cause, "%s: not a kiosk event database (%s); the file "
			    "was left as it is", s->path, sqlite3_errmsg(s->db));
		/* A SQLite header with a broken inside: a damaged database (a
		 * copy cut short, a bad disk), not a stranger's file. */
		if (code == SQLITE_CORRUPT)
			return fail_damaged(s->path, STORE_BROKEN_PAGES, cause);
		return -1;
	}
	*empty = app == 0 && version == 0 && tables == 0;
	if (*empty)
		return 0;
	if (app != STORE_APP_ID)
		return util_fail(cause, "%s: not a kiosk event database (a SQLite database of "
		    "another program); the file was left as it is", s->path);
	if (version > STORE_SCHEMA_VERSION && !alias5(s, version))
		return util_fail(cause, "%s: made by a newer kiosk (schema %d; this kiosk knows "
		    "up to %d): upgrade kiosk to open it; the file was left as it is",
		    s->path, version, STORE_SCHEMA_VERSION);
	return 0;
}

static void
remove_db_files(const char *path)
{
	static const char *const beside[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
		char *f = xasprintf("%s%s", path, beside[i]);
		unlink(f);
		free(f);
	}
}

/* May this process do mode to path? With its effective IDs and
 * capabilities (a service given CAP_DAC_OVERRIDE), as an open() would be
 * judged, where access() asks for the real user without them. */
static bool
can(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0;
}

static bool
folder_writable(const char *path)
{
	char *dir = util_folder_of(path);
	bool ok = can(dir, W_OK);
	free(dir);
	return ok;
}

/* True when path and its folder are writable (the WAL lives beside it). */
static bool
writable(const char *path)
{
	return can(path, W_OK) && folder_writable(path);
}

/* can() on path's -wal or -shm file (suffix "-wal" or "-shm"). */
static bool
beside_ok(const char *path, const char *suffix, int mode)
{
	char *f = xasprintf("%s%s", path, suffix);
	bool ok = can(f, mode);
	free(f);
	return ok;
}

/* An event this user cannot read (made by another user: events are mode
 * 0600), which SQLite calls "unable to open database file", and a writer's
 * checks below would call read-only. Returns -1 with *cause, or 0. */
static int
explain_unreadable(const char *path, const char *real, bool exists, char **cause)
{
	struct stat st;
	if (!exists || can(real, R_OK) || stat(real, &st) != 0)
		return 0;
	struct passwd *pw = getpwuid(st.st_uid);
	char owner[32];
	if (pw != NULL)
		snprintf(owner, sizeof owner, "%s", pw->pw_name);
	else
		snprintf(owner, sizeof owner, "%u", (unsigned)st.st_uid);
	return util_fail(cause, "%s: this user cannot read the file (its owner is %s, mode "
	    "%03o): run kiosk as that user (sudo -u %s kiosk ...), or change the file's "
	    "permissions", path, owner, (unsigned)(st.st_mode & 0777), owner);
}

/* Why this process cannot write (or, when it does not exist, create) the
 * event at real (path as the user named it), in words the organiser can act
 * on, where SQLite says only "unable to open database file" or "attempt to
 * write a readonly database", or cannot read the header at all. Asked only
 * once SQLite has failed, so that a file system where these checks guess
 * wrong (NFS, FUSE) refuses nothing SQLite can do. Returns -1 with *cause,
 * or 0 when it sees no reason (SQLite's own words then stand). */
static int
explain_unwritable(const char *path, const char *real, bool exists, char **cause)
{
	if (explain_unreadable(path, real, exists, cause) != 0)
		return -1;
	char *dir = util_folder_of(real);
	struct stat st;
	struct statvfs v;
	int rc = -1;
	if (!exists && stat(dir, &st) != 0)
		util_fail(cause, "cannot create %s: there is no folder %s (make it first, or "
		    "name another with --db)", path, dir);
	else if (statvfs(exists ? real : dir, &v) == 0 && (v.f_flag & ST_RDONLY))
		util_fail(cause, exists ? "%s: on a read-only disk or mount (a write-protected "
		    "USB stick, a read-only share); kiosk needs to write to it: copy it to a "
		    "writable disk, or mount this one read-write" : "cannot create %s: the disk or "
		    "mount is read-only (a write-protected USB stick, a read-only share); name a "
		    "file on a writable disk with --db", path);
	else if (exists && !can(real, W_OK))
		util_fail(cause, "%s: the file is read-only for this user; kiosk needs to write "
		    "to it (check its owner and permissions)", path);
	else if (!can(dir, W_OK) && !exists)
		util_fail(cause, "cannot create %s: its folder %s is read-only for this user "
		    "(check the folder's owner and permissions, or name another with --db)", path,
		    dir);
	else if (!can(dir, W_OK) && !(beside_ok(real, "-wal", W_OK) &&
	    beside_ok(real, "-shm", W_OK)))
		util_fail(cause, "%s: its folder %s is read-only for this user, and kiosk writes "
		    "its -wal and -shm files beside the database (check the folder's owner and "
		    "permissions)", path, dir);
	else
		rc = 0;
	free(dir);
	return rc;
}

/* --- a new event, made whole before it is seen -----------------------------
 * A new event's file is made under a name of its own beside PATH
 * ("PATH.kiosk-draft-XXXXXX", mode 0600), and renamed to PATH only when it
 * is whole (store_publish): a door or command never opens half an event,
 * no one else's reader holds up the import writing it, and two programs
 * making the same event at once never remove or write over each other's.
 * A draft is nobody else's, so it keeps its rollback journal in memory.
 * Its maker holds a lock on one byte of it for as long as it lives, so a
 * draft nobody holds was left by a program that died (a power cut, Ctrl-C
 * mid-import): the next kiosk program that writes that event removes it.
 * The lock is an open-file-description lock (it travels over NFS, and
 * SQLite closing its own descriptor of the file does not drop it) on a
 * byte far past SQLite's own lock bytes (1 GiB to 1 GiB + 510), which it
 * therefore never meets. */
#define DRAFT_MARK ".kiosk-draft-" /* a name no one gives a file of their own */
#define DRAFT_X "XXXXXX" /* mkstemp's six letters and digits */
#define DRAFT_LOCK_BYTE ((off_t)1 << 40)
_Static_assert(sizeof(off_t) >= 8, "the draft lock needs 64-bit file offsets");

static int settle(struct store *s, bool theirs, struct store **out, char **cause);

/* Where a file made at path goes: path, or the name a chain of links at
 * path ends in (a link made before its event). */
static char *
missing_end(const char *path)
{
	char *at = xstrdup(path);
	struct stat st;
	for (int hops = 0; hops < 40 && lstat(at, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		char to[PATH_MAX];
		ssize_t n = readlink(at, to, sizeof to - 1);
		if (n <= 0)
			break;
		to[n] = '\0';
		char *dir = util_folder_of(at);
		char *next = to[0] == '/' || strchr(at, '/') == NULL ? xstrdup(to) :
		    xasprintf("%s/%s", dir, to);
		free(dir);
		free(at);
		at = next;
	}
	return at;
}

/* Whether name is one of base's drafts. */
static bool
is_draft_name(const char *name, const char *base)
{
	size_t b = strlen(base), m = strlen(DRAFT_MARK), x = strlen(DRAFT_X);
	if (strncmp(name, base, b) != 0 || strncmp(name + b, DRAFT_MARK, m) != 0 ||
	    strlen(name) != b + m + x)
		return false;
	for (const char *p = name + b + m; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p))
			return false;
	return true;
}

/* The draft lock on fd, without waiting: 0; -1 with errno (EAGAIN: held). */
static int
draft_lock(int fd)
{
	struct flock l = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
	    .l_start = DRAFT_LOCK_BYTE, .l_len = 1 };
	return fcntl(fd, F_OFD_SETLK, &l);
}

/* Does name still lead to the file open as fd? */
static bool
same_file(int fd, const char *name)
{
	struct stat mine, there;
	return fstat(fd, &mine) == 0 && lstat(name, &there) == 0 &&
	    mine.st_ino == there.st_ino && mine.st_dev == there.st_dev;
}

/* Could st be a draft: a regular file of this user's with no other name? */
static bool
draft_like(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_uid == geteuid() && st->st_nlink == 1;
}

/* Removes a draft no program holds, and never where locks are not to be
 * had. Looked at before it is opened (a FIFO is not), and again as opened
 * (the name may have been given to another file in between). */
static void
sweep_draft(const char *draft)
{
	struct stat st;
	if (lstat(draft, &st) != 0 || !draft_like(&st))
		return;
	int fd = open(draft, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC); /* a write lock */
	if (fd < 0)
		return;
	/* under the lock, and still the file locked: no one takes it meanwhile */
	if (fstat(fd, &st) == 0 && draft_like(&st) && draft_lock(fd) == 0 &&
	    same_file(fd, draft))
		remove_db_files(draft);
	close(fd);
}

/* Removes the drafts of the event at path that no program holds. */
static void
remove_stale_drafts(const char *path)
{
	char *dir = util_folder_of(path);
	const char *slash = strrchr(path, '/');
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (!is_draft_name(e->d_name, slash != NULL ? slash + 1 : path))
			continue;
		char *f = xasprintf("%s/%s", dir, e->d_name);
		sweep_draft(f);
		free(f);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
}

/* A new, empty draft for the event at path, held (*fd), beside place
 * (where path's links lead, or path): its name, or NULL with *cause saying
 * why path cannot be made. A draft another program's sweep took between
 * its making and its lock is made again under another name; where locks
 * are not to be had it is made unheld, and never swept. */
static char *
make_draft(const char *path, const char *place, int *fd, char **cause)
{
	for (int tries = 0; tries < 8; tries++) {
		char *draft = xasprintf("%s" DRAFT_MARK DRAFT_X, place);
		*fd = mkostemp(draft, O_CLOEXEC); /* 0600: guest lists are personal data */
		if (*fd < 0) {
			int e = errno;
			char why[UTIL_CREATE_ERROR_BUF];
			if (e == ENAMETOOLONG)
				util_fail(cause, "cannot create %s: its name is too long to make it "
				    "under a name of its own beside it first (%s); use a shorter one",
				    path, draft);
			else if (explain_unwritable(path, place, false, cause) == 0)
				util_fail(cause, "cannot create %s: %s", path,
				    util_create_error(place, e, why));
			free(draft);
			return NULL;
		}
		int locked = draft_lock(*fd), e = errno;
		if ((locked == 0 && same_file(*fd, draft)) ||
		    (locked != 0 && (e == EINVAL || e == EOPNOTSUPP || e == ENOSYS)))
			return draft; /* held; or no such locks on this file system at all */
		close(*fd);
		if (locked != 0 && e != EAGAIN && e != EACCES) {
			unlink(draft);
			util_fail(cause, "cannot create %s: cannot lock its new file %s: %s", path,
			    draft, strerror(e));
			free(draft);
			*fd = -1;
			return NULL;
		}
		free(draft); /* the sweep that holds it removes it */
	}
	*fd = -1;
	util_fail(cause, "cannot create %s: its new file was taken away eight times running "
	    "(by another kiosk program?)", path);
	return NULL;
}

/* Renames draft (open as fd, or -1) to path unless path exists. 0; 1 when
 * it exists (the draft is left as it is); -1 with errno. A file system
 * without RENAME_NOREPLACE (NFS, some FUSE ones) gets a hard link, which
 * fails as well when path exists. One without either (a virtual machine's
 * shared folder) gets ENOTSUP: a look and then a rename could put two
 * events in one place, one of them reported made and gone, and WAL does
 * not work there anyway. */
static int
put_in_place(const char *draft, int fd, const char *path)
{
	if (renameat2(AT_FDCWD, draft, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EEXIST)
		return 1;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	/* NFS may say EEXIST to a link it made, its first answer lost */
	if (link(draft, path) == 0 || (errno == EEXIST && fd >= 0 && same_file(fd, path))) {
		unlink(draft);
		return 0;
	}
	if (errno == EEXIST)
		return 1;
	if (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP)
		errno = ENOTSUP;
	return -1;
}

/* fsync of path's folder, so that its new name outlives a power cut. As
 * SQLite does for its journals, a folder that cannot be opened (write-only)
 * or synced (a file system that refuses: EINVAL and the like) is let be:
 * the event is in place, and the disk writes the name out in its own time.
 * An I/O error is not let be: after a power cut the name could be gone,
 * and the next program would sweep the whole event away as a stale
 * draft. 0, or -1 with errno. */
static int
sync_folder(const char *path)
{
	char *dir = util_folder_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	if (fd >= 0) {
		if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP &&
		    errno != EBADF)
			rc = -1;
		int err = errno;
		close(fd);
		errno = err;
	}
	free(dir);
	return rc;
}

/* SQLite reads a name that starts with "file:" as a URI (Debian's is built
 * so): such a relative name is given to it as "./file:...". */
static char *
sqlite_name(const char *path)
{
	return strncmp(path, "file:", 5) == 0 ? xasprintf("./%s", path) : xstrdup(path);
}

/* The first n bytes of path into buf: how many were read, or -1 with
 * errno when it cannot be opened. */
static long
read_head(const char *path, unsigned char *buf, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t got = fread(buf, 1, n, f);
	fclose(f);
	return (long)got;
}

/* Is path a database in WAL mode (bytes 18 and 19 of its header are 2)? */
static bool
wal_mode_file(const char *path)
{
	unsigned char h[20];
	return read_head(path, h, sizeof h) == (long)sizeof h && h[18] == 2 && h[19] == 2;
}

enum wal_contents {
	WAL_EMPTY,       /* no -wal, an empty one, or zeros: every commit is in the file */
	WAL_HEADER,      /* a WAL header: commits may follow it */
	WAL_UNREADABLE,  /* there, but this user cannot read it: it may hold commits */
};

/* What path's -wal holds, as far as its first bytes tell. Zeros are a
 * door's WAL written ahead, or one started over (which leaves no header). */
static enum wal_contents
wal_contents(const char *path)
{
	char *wal = xasprintf("%s-wal", path);
	unsigned char magic[4];
	long n = read_head(wal, magic, sizeof magic);
	int err = errno;
	free(wal);
	if (n < 0)
		return err == ENOENT ? WAL_EMPTY : WAL_UNREADABLE;
	/* 0x377f0682 or 0x377f0683, big-endian (SQLite's wal.c) */
	bool header = n == (long)sizeof magic && magic[0] == 0x37 && magic[1] == 0x7f &&
	    magic[2] == 0x06 && (magic[3] & 0xfe) == 0x82;
	return header ? WAL_HEADER : WAL_EMPTY;
}

/* A reader of a WAL database needs its -shm file, and SQLite makes one (and
 * a -wal) when there is none. In a folder this user cannot write (a
 * read-only mount, a copy in someone else's folder) it cannot, and reading
 * fails with "attempt to write a readonly database". In a folder this user
 * can write but beside a database it cannot (an organiser reading the
 * door's event), the files it makes are this user's, left behind when it
 * is done, and the door that owns the database cannot write them: it stops
 * recording check-ins. So unless both files are there to be used as they
 * are, a database whose -wal holds no commit is read as immutable: no
 * -shm, no locks. No kiosk program has it open then (one would have made
 * both files), and the database file holds every commit. (A program that
 * opens it while this one reads could checkpoint under it; a short read's
 * window is small, and a door checkpoints only after its commits.) With
 * commits in the -wal, a readable -shm lets SQLite read them; without one,
 * say so, for otherwise those commits (check-ins) would be left out
 * unseen. A database in rollback-journal mode needs neither file, and its
 * journal must be seen: it opens as usual. real is the file's resolved
 * path (its -wal and -shm are beside the file, not beside a link to it).
 * Returns 1 to read as immutable, 0 to open as usual, -1 with *cause. */
static int
read_immutable(const char *path, const char *real, char **cause)
{
	if (!wal_mode_file(real))
		return 0;
	bool folder = folder_writable(real);
	if (folder && beside_ok(real, "-wal", F_OK) && beside_ok(real, "-shm", F_OK))
		return 0;
	enum wal_contents w = wal_contents(real);
	if (w == WAL_EMPTY)
		return 1;
	if (beside_ok(real, "-shm", R_OK) && w == WAL_HEADER)
		return 0;
	if (folder)
		return util_fail(cause, "%s: this user cannot write it, and %s-wal may hold "
		    "check-ins not yet in the database file, with no -shm file beside it: one made "
		    "by this user would stop the user who wrote it from writing the event; open it "
		    "as that user (kiosk doctor will do), or copy the database with its -wal file "
		    "to a folder you can write", path, real);
	return util_fail(cause, "%s: its folder is read-only for this user, and %s-wal%s may "
	    "hold check-ins not yet in the database file; open it as the user who wrote it, "
	    "or copy the database with its -wal file to a folder you can write", path, real,
	    w == WAL_UNREADABLE ? ", which this user cannot read," : "");
}

/* "file://" + real + "?immutable=1", the path percent-encoded; real is
 * absolute (realpath), so the URI has an empty authority. */
static char *
immutable_uri(const char *real)
{
	struct buf b;
	buf_init(&b, 0);
	buf_add(&b, "file://", 7);
	for (const unsigned char *c = (const unsigned char *)real; *c; c++) {
		if (isalnum(*c) || strchr("/-._~", *c) != NULL) {
			buf_addc(&b, (char)*c);
		} else {
			char hex[4];
			snprintf(hex, sizeof hex, "%%%02X", *c);
			buf_add(&b, hex, 3);
		}
	}
	buf_add(&b, "?immutable=1", 12);
	return buf_take(&b);
}

static int
natural_collation(void *arg, int na, const void *a, int nb, const void *b)
{
	(void)arg;
	return util_natural_cmp(a, (size_t)na, b, (size_t)nb);
}

/* What every connection of a store is: it waits for a busy file, says
 * which error it met, and orders names as a person reads them (COLLATE
 * natural_order: Door 2 before Door 10; "natural" is an SQL keyword).
 * Returns 0 or -1 with *cause. */
/* kiosk_day(ms): the day of a time that counts at this event, for SQL
 * that asks whether two entries were on one day: at an event of days the
 * local day (YYYYMMDD in the event's zone, ktime), else 0 for every time
 * (one event, one day, however late it runs). NULL: NULL. */
static void
day_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const struct store *s = sqlite3_user_data(ctx);
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	sqlite3_result_int(ctx, s->each_day ? ktime_day(sqlite3_value_int64(argv[0])) : 0);
}

void
store_set_each_day(struct store *s, bool each_day)
{
	s->each_day = each_day;
}

bool
store_each_day(const struct store *s)
{
	return s->each_day;
}

static int
conn_setup(struct store *s, char **cause)
{
	s->busy_ms = BUSY_TIMEOUT_MS;
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_create_collation_v2(s->db, "natural_order", SQLITE_UTF8, NULL,
	    natural_collation, NULL) != SQLITE_OK ||
	    sqlite3_create_function(s->db, "kiosk_day", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC |
	    SQLITE_INNOCUOUS, s, day_function, NULL, NULL) != SQLITE_OK)
		return store_fail(s, cause, "cannot set up the connection");
	return 0;
}

/* STORE_SNAPSHOT: the event copied into a private in-memory database, which
 * then stands in for the file (which is closed), so that what follows may
 * write and roll back without taking the file's write lock. */
static int
copy_to_memory(struct store *s, char **cause)
{
	sqlite3 *mem = NULL;
	int64_t page = 0;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(mem);
		return util_fail(cause, "%s: cannot copy it into memory (out of memory)", s->path);
	}
	/* An in-memory copy must have the file's page size. */
	if (query_int(s->db, "PRAGMA page_size", &page) == 0) {
		char *sql = xasprintf("PRAGMA page_size = %lld", (long long)page);
		sqlite3_exec(mem, sql, NULL, NULL, NULL);
		free(sql);
	}
	sqlite3_backup *b = sqlite3_backup_init(mem, "main", s->db, "main");
	int rc = b != NULL ? sqlite3_backup_step(b, -1) : sqlite3_errcode(mem);
	if (b != NULL && sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_DONE)
		rc = sqlite3_errcode(mem);
	if (rc != SQLITE_DONE) {
		sqlite3_close(mem);
		return util_fail(cause, "%s: cannot copy it into memory: %s%s", s->path,
		    sqlite3_errstr(rc), rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? " (another "
		    "kiosk program holds the database too long; try again)" : "");
	}
	sqlite3_close(s->db);
	s->db = mem;
	s->in_memory = true;
	return conn_setup(s, cause);
}

int
store_open(const char *path, int flags, const struct store_event_init *init,
    struct store **out, char **cause)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->data_version = -1;
	s->draft_fd = -1;
	/* writes: the caller writes to the file; changes: this open may (put
	 * it in WAL mode, migrate it), which a reader that can write does too;
	 * a dry run's snapshot never does, whatever it can. */
	bool memory = flags & STORE_MEMORY, snapshot = flags & STORE_SNAPSHOT;
	bool writes = !(flags & STORE_READONLY) && !snapshot, changes = writes;
	bool open_rw = writes, exists = true, created = false, empty = false;
	bool immutable = false;
	char *real = NULL; /* the file itself, through any link: its -wal is beside it */
	struct stat st;

	s->path = xstrdup(memory ? ":memory:" : path);
	s->in_memory = memory;
	s->flags = flags;
	if (!memory) {
		if (stat(path, &st) != 0) {
			if (errno != ENOENT) {
				util_fail(cause, "%s: %s", path, strerror(errno));
				goto fail;
			}
			exists = false;
		} else if (S_ISDIR(st.st_mode)) {
			/* --db /media/anna/STICK: the folder the event was meant to go in */
			util_fail(cause, "%s: is a folder, not an event's file; name the file, "
			    "for example --db %s%sevent.db", path, path,
			    path[strlen(path) - 1] == '/' ? "" : "/");
			goto fail;
		} else if (!S_ISREG(st.st_mode)) {
			util_fail(cause, "%s: not a regular file", path);
			goto fail;
		}
		/* where the file is, or will be: through any links */
		real = exists ? realpath(path, NULL) : missing_end(path);
		if (real == NULL)
			real = xstrdup(path);
		/* A reader that may write opens read-write all the same: its WAL and
		 * shared-memory files are then cleaned up on close, rather than left
		 * behind owned by whoever read last (root, say). */
		if (!writes && exists && writable(real)) {
			open_rw = true;
			changes = !snapshot;
		}
		if (!exists && !(flags & STORE_CREATE)) {
			/* No folder either: the event is on a USB stick not plugged in (its
			 * folder under /media goes when it is unmounted), or a share not
			 * mounted; making another event is not the remedy. */
			char *folder = util_folder_of(real);
			struct stat fst;
			if (stat(folder, &fst) != 0 && errno == ENOENT)
				util_fail(cause, "no event database at %s: there is no folder %s (is the "
				    "USB stick or the share it is on plugged in and mounted?)", path,
				    folder);
			else
				util_fail(cause, "no event database at %s; create one with 'kiosk "
				    "import FILE' or 'kiosk add', or name another with --db", path);
			free(folder);
			goto fail;
		}
		if (writes)
			remove_stale_drafts(real);
		/* A -wal beside a database that is not there: the last commits
		 * of one moved aside (or deleted) without it, as after a door
		 * killed mid-event. SQLite would replay its pages into the new
		 * database (kiosk join, kiosk import): a mix of two, and those
		 * check-ins gone from the one moved aside. */
		if (!exists && wal_contents(real) != WAL_EMPTY) {
			util_fail(cause, "cannot create %s: %s-wal is there without its database: the "
			    "last check-ins and changes of a database moved aside or deleted without "
			    "it. Put it back beside that database, named as it with -wal at the end "
			    "(its -shm too), and open or sync that one; if that database is gone for "
			    "good, move the -wal file away. Nothing was created", path, path);
			goto fail;
		}
		if (!exists) {
			if ((s->draft = make_draft(path, real, &s->draft_fd, cause)) == NULL)
				goto fail;
			s->place = xstrdup(real);
		}
		int ro = exists && !open_rw && real[0] == '/' ? read_immutable(path, real, cause) : 0;
		if (ro < 0)
			goto fail;
		immutable = ro == 1;
	}
	int oflags = SQLITE_OPEN_NOMUTEX;
	if (memory)
		oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY;
	else if (!open_rw)
		oflags |= SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0);
	else
		oflags |= SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE);
	char *uri = immutable ? immutable_uri(real) : NULL;
	char *name = sqlite_name(s->draft != NULL ? s->draft : s->path);
	int opened = sqlite3_open_v2(uri != NULL ? uri : name, &s->db, oflags, NULL);
	free(name);
	free(uri);
	if (opened != SQLITE_OK) {
		if (s->db == NULL) {
			util_fail(cause, "%s: cannot open (out of memory)", path);
			goto fail;
		}
		if (writes ? explain_unwritable(path, real, exists, cause) == 0 :
		    explain_unreadable(path, real, exists, cause) == 0)
			store_fail(s, cause, "cannot open");
		goto fail;
	}
	created = !exists && !memory;
	/* A writer SQLite could open only for reading (it falls back to that
	 * when opening for writing fails in any way) stops here, before its
	 * first read: in WAL mode that read makes the -wal and -shm files,
	 * owned by this user, which the user who can write the event could
	 * then not write, and their door would stop recording check-ins. */
	if (writes && exists && !memory && sqlite3_db_readonly(s->db, "main") == 1) {
		if (explain_unwritable(path, real, true, cause) == 0)
			/* Its permissions, folder and disk allow writing
			 * (explain_unwritable), yet SQLite fell back to reading:
			 * an I/O error. */
			util_fail(cause, "%s: cannot be opened for writing, though its "
			    "permissions, folder and disk allow it: an I/O error (the disk may be "
			    "failing), or a security policy or share that refuses writing; if "
			    "the disk, copy the event to another one (kiosk backup) and use the "
			    "copy", path);
		goto fail;
	}
	if (conn_setup(s, cause) != 0)
		goto fail;

	if (exists && !memory) {
		if (check_identity(s, &empty, cause) != 0) {
			/* SQLite could not even read the header as a writer: a
			 * read-only file, folder or disk says so in its own words. */
			char *why = NULL;
			if (writes && explain_unwritable(path, real, true, &why) != 0) {
				free(*cause);
				*cause = why;
			}
			goto fail;
		}
		if (empty && !(flags & STORE_CREATE)) {
			util_fail(cause, "%s: an empty file, not a kiosk event database", path);
			goto fail;
		}
		/* A door checks the file on its own thread, before its first
		 * write; but opening it writes first when it must be migrated
		 * or put in WAL mode, so then it is checked here too. */
		if (!empty && ((flags & STORE_VERIFY) || (changes && opening_writes(s)))) {
			char *why = quick_check(s->db);
			if (why != NULL) {
				fail_damaged(path, why, cause);
				free(why);
				goto fail;
			}
		}
	}
	/* A dry run's copy: from here on it is a private event to change. */
	if (snapshot) {
		if (copy_to_memory(s, cause) != 0)
			goto fail;
		changes = true;
	}
	/* A draft goes into WAL mode when it is put in place: until then each
	 * page an import writes goes into the file once, rather than into the
	 * WAL and again at the checkpoint (three times fewer writes). */
	if (changes && !s->in_memory &&
	    (s->draft != NULL ? exec(s, "PRAGMA journal_mode = MEMORY", cause) : set_wal(s, cause)) != 0)
		goto fail;
	/* journal_size_limit: a WAL that grew during a rush is cut back to
	 * JOURNAL_LIMIT when it starts over, rather than keeping its peak size. */
	char *pragmas = xasprintf("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
	    "PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = %d", JOURNAL_LIMIT);
	int failed = exec(s, pragmas, cause);
	free(pragmas);
	if (failed != 0)
		goto fail;
	store_set_cache_mib(s, 16);
	s->made_event = changes && (!exists || empty || memory);
	if (changes && migrate(s, init, s->made_event, cause) != 0)
		goto fail;
	if (load_event(s, cause) != 0)
		goto fail;
	load_clock_offset(s);
	s->made_file = created;
	free(real);
	/* Made whole here (an empty event, for kiosk add or a join): in place
	 * at once, or the event another program put there meanwhile. */
	if (s->draft != NULL && !(flags & STORE_BULK))
		return settle(s, true, out, cause);
	*out = s;
	return 0;
fail:
	store_close(s); /* and the draft with it */
	free(real);
	return -1;
}

/* Checkpoints. At a door, scans come a second or more apart: the thread
 * checkpoints in the first quiet second after a commit, the checkpoint
 * completes, and the next commit starts the WAL over, so no commit ever
 * pays for a checkpoint and the WAL file never grows (a WAL that grows
 * makes every fdatasync also flush the file's new size, which measured
 * twice as slow). In a continuous rush with no quiet second, the commit
 * that takes the WAL past CHECKPOINT_SOON pages wakes the thread, which
 * checkpoints beside the scans (PASSIVE: it never blocks the writer),
 * again while its passes keep up (a pass that ends short, as most do by
 * the commit under way, ends them). The WAL starts over only when a
 * transaction begins with every frame copied, which beside commits back
 * to back only a commit's own checkpoint can see to: the commits past
 * CHECKPOINT_PAGES each try one, and the first that does not find a pass
 * of the thread under way copies what is left and the WAL starts over.
 * In the bench's 20,000-scan rush that is 9 cycles of about 12,000 pages,
 * 8 or 9 commits that checkpoint, and 4 to 280 passes of the thread.
 *
 * Each checkpoint syncs the WAL and the database file, and a commit whose
 * fdatasync meets one waits for it: the p99 is set by how much of a rush
 * checkpoints. With the thread woken at 1,000 pages (and commits past
 * 10,000), the p99 of back-to-back check-ins was 2.1 to 2.3 times the raw
 * fdatasync's; at 10,000 and 12,000, 1.6 to 1.7 in the same paired runs
 * (on a slower hour of the shared disk, 2.0 to 2.4 against 2.0 to 3.0).
 * Tried and worse: one pass a cycle and the rest left to the commit, or
 * passes every 500 or 1,000 pages (the same p99, twice the p99.9: the
 * commit copies more); the thread's passes kept up to 12,000 and the
 * commits alone past it; a WAL twice as long; no checkpoint in the rush at
 * all, the WAL written ahead to 500 MB (a p99 no lower in paired runs).
 * (Holding the next scan back
 * for the last pass, or checkpointing in the committing thread at 1,000
 * pages, measured worse before: the held scan, or the whole checkpoint on
 * one scan in 150, is the tail.) A thread slowed by a busy CPU, woken at
 * every commit past CHECKPOINT_PAGES, could hold the lock at each and keep
 * the WAL from ever starting over: past CHECKPOINT_SLACK more it is not
 * woken. A reader holding an old snapshot keeps the WAL from starting
 * over; the commits past CHECKPOINT_PAGES checkpoint what they can, and
 * the first after it is done copies the rest. */
static bool
stopping(struct checkpointer *cp)
{
	pthread_mutex_lock(&cp->lock);
	bool stop = cp->stop;
	pthread_mutex_unlock(&cp->lock);
	return stop;
}

/* A door's WAL, written ahead with zeros. A commit that appends to the WAL
 * makes its fdatasync also write the file's new size (a journal commit of
 * the file system): on the bench disk 0.36 to 0.46 ms p50 for six frames,
 * against 0.21 ms over blocks already written; fallocate's blocks cost as
 * much as appending, since their first write is a change of metadata too.
 * In a rush the WAL grows to CHECKPOINT_PAGES before it cycles (see
 * above), so without this its first 2,000 scans paid that. Frames past the
 * WAL's last commit are never read (a frame for page 0 is invalid, and
 * zeros match neither the header's salt nor its checksum; a header of
 * zeros is an empty WAL), which is how SQLite itself reuses a WAL file; no
 * other connection writes frames while this one holds the write lock.
 * Enough for every guest to be admitted in one rush (about six pages
 * each), at least PREGROW_LEAST, at most CHECKPOINT_PAGES and some (the
 * commit there that checkpoints finds the thread's pass under way now and
 * then, and the next one tries again), and within the journal_size_limit
 * (which would cut the rest off at the first commit): 7 MB for a meetup of
 * 300, 90 MB from 3,700 guests up, 49 ms for that on the bench disk. The
 * door's first write waits for this, so it stops after PREGROW_MS with
 * what it has written (a slow disk), and, give_way, for a scan that waits
 * (a door started mid-rush: 90 MB took 0.15 to 0.2 s of the first guest's
 * wait); true then, for the rest to be written later. Only a speed-up: a failure gives the space
 * back and leaves the WAL as it was. */
static bool
pregrow_wal(struct checkpointer *cp, bool give_way)
{
	bool more = false;
	if (sqlite3_exec(cp->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return false;
	sqlite3_file *wal = NULL;
	int64_t guests, page;
	sqlite3_int64 size = 0;
	if (query_int(cp->db, "SELECT count(*) FROM guest", &guests) != 0 ||
	    query_int(cp->db, "PRAGMA page_size", &page) != 0 || page <= 0 ||
	    sqlite3_file_control(cp->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
	    wal == NULL || wal->pMethods == NULL || wal->pMethods->xFileSize(wal, &size) != SQLITE_OK)
		goto done;
	int64_t frames = guests * 6, most = CHECKPOINT_PAGES + CHECKPOINT_SOON;
	frames = frames < PREGROW_LEAST ? PREGROW_LEAST : frames > most ? most : frames;
	sqlite3_int64 want = 32 + frames * (page + 24); /* the WAL header, then frames */
	if (want > JOURNAL_LIMIT)
		want = JOURNAL_LIMIT;
	/* Never the space the event itself may need: a nearly full disk keeps
	 * it for the check-ins. */
	const char *path = sqlite3_db_filename(cp->db, "main");
	struct statvfs v;
	if (size >= want || path == NULL || statvfs(path, &v) != 0 ||
	    (double)v.f_bavail * (double)v.f_frsize < (double)want + PREGROW_FREE)
		goto done;
	enum {
		CHUNK = 64 * 1024,       /* the unix VFS writes at most 128 KiB - 1 a call */
		SYNC_EVERY = 4 << 20,    /* bytes between syncs, and looks at the clock */
	};
	char *zeros = xcalloc(1, CHUNK);
	int64_t t0 = util_mono_ms();
	sqlite3_int64 at = size, synced = size;
	bool failed = false;
	while (at < want && !failed) {
		int n = want - at < CHUNK ? (int)(want - at) : CHUNK;
		failed = wal->pMethods->xWrite(wal, zeros, n, at) != SQLITE_OK;
		at += failed ? 0 : n;
		/* a door's scan waits for it (store_set_first): what is written
		 * is synced below, the rest written after that scan */
		if (give_way && atomic_load(&first_waiting) > 0)
			break;
		/* Durable in steps, size and blocks with the zeros (fdatasync
		 * writes what reading the data back needs), so that later
		 * commits' syncs need not; and a slow disk stops in time. */
		if (!failed && (at - synced >= SYNC_EVERY || at == want)) {
			failed = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL) != SQLITE_OK;
			synced = at;
			if (util_mono_ms() - t0 >= PREGROW_MS || stopping(cp))
				break;
		}
	}
	free(zeros);
	/* A write or sync that failed (the disk filled meanwhile): the space
	 * back. Zeros written but not synced after a stop are synced. */
	if (failed)
		wal->pMethods->xTruncate(wal, size);
	else if (synced < at)
		wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
	more = !failed && at < want;
done:
	/* Nothing was written through SQLite, so COMMIT cannot fail for a
	 * want of space; were it to, the write lock must not stay held. */
	if (sqlite3_exec(cp->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
	    !sqlite3_get_autocommit(cp->db))
		sqlite3_exec(cp->db, "ROLLBACK", NULL, NULL, NULL);
	return more;
}

static void *
checkpoint_main(void *arg)
{
	struct checkpointer *cp = arg;
	/* First the file's integrity, off the door's start-up: the door is
	 * ready at once, and its first write waits for this (store_begin). A
	 * process already stopping skips it (stop_checkpointer interrupts it
	 * when it is under way). Then a door's WAL is written ahead, before
	 * its first write too, so as not to hold the lock beside a scan,
	 * unless a scan waits (then the rest after it: more). */
	char *damage = stopping(cp) ? NULL : quick_check(cp->db);
	bool more = damage == NULL && cp->pregrow && !stopping(cp) && pregrow_wal(cp, true);
	pthread_mutex_lock(&cp->lock);
	cp->damage = damage;
	cp->verified = true;
	pthread_cond_broadcast(&cp->checked);
	/* A scan stopped it: once that scan has the lock, the rest right
	 * after it, as before it, without stopping for the next one (a queue
	 * scanning on would keep it from ever being written; a guest coming
	 * within the next 0.2 s waits for it). */
	if (more) {
		pthread_mutex_unlock(&cp->lock);
		wait_first_served((int64_t)1000 * 1000000, cp);
		more = !stopping(cp) && pregrow_wal(cp, false);
		pthread_mutex_lock(&cp->lock);
	}
	while (!cp->stop) {
		/* Look four times a second; commits do not wake this thread (a
		 * wake-up per commit cost a context switch on every scan), except
		 * the one that makes the WAL long, which may have come while the
		 * last checkpoint ran: then go on at once. */
		if (!cp->soon) {
			struct timespec until;
			util_deadline(&until, CLOCK_MONOTONIC, 250);
			pthread_cond_timedwait(&cp->wake, &cp->lock, &until);
		}
		if (cp->stop)
			break;
		if (more && !cp->dirty && util_mono_ms() - cp->last_commit >= QUIET_MS) {
			pthread_mutex_unlock(&cp->lock);
			more = pregrow_wal(cp, true);
			pthread_mutex_lock(&cp->lock);
			continue;
		}
		if (!cp->dirty || (!cp->soon && util_mono_ms() - cp->last_commit < QUIET_MS))
			continue;
		cp->dirty = false;
		cp->soon = false;
		pthread_mutex_unlock(&cp->lock);
		/* PASSIVE never waits for the writer, so a scan never waits for it.
		 * The WAL starts over only once a checkpoint has caught up with
		 * it, and in a rush scans commit while one runs: go again for
		 * those (each pass shorter than the last). Past CHECKPOINT_PAGES
		 * the next commit copies the rest and the WAL starts over; a pass
		 * under way then would make it fail (PASSIVE does not wait), and
		 * the WAL would grow on past the pages written ahead for it. */
		int log = 0, done = 0, before = -1, passes = 0;
		for (int pass = 0; pass < CHECKPOINT_PASSES && log != before &&
		    log < CHECKPOINT_PAGES; pass++) {
			before = log;
			passes++;
			if (sqlite3_wal_checkpoint_v2(cp->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
			    &done) != SQLITE_OK || done < log)
				break;
		}
		pthread_mutex_lock(&cp->lock);
		cp->n.passes += passes;
		/* A reader on an old snapshot kept part of the WAL: it cannot
		 * start over until the reader is done, and waking at every commit
		 * meanwhile would put a checkpoint's fsync beside every scan. */
		cp->soon_at = done < log ? log + CHECKPOINT_SOON / 4 : CHECKPOINT_SOON;
	}
	pthread_mutex_unlock(&cp->lock);
	return NULL;
}

static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct checkpointer *cp = arg;
	pthread_mutex_lock(&cp->lock);
	cp->dirty = true;
	cp->last_commit = util_mono_ms();
	if (pages > cp->n.most_pages)
		cp->n.most_pages = pages;
	/* Past CHECKPOINT_PAGES both try: the thread copies what it can off
	 * the scan path, and the commit's own checkpoint returns at once while
	 * the thread's holds the lock, then finds little left. But a thread
	 * woken at every commit (a busy CPU slows its passes) could hold the
	 * lock at every one, and the WAL grow on: past CHECKPOINT_SLACK more,
	 * only the commits try. */
	if (pages >= cp->soon_at && !cp->soon && pages < CHECKPOINT_PAGES + CHECKPOINT_SLACK) {
		cp->soon = true;
		pthread_cond_signal(&cp->wake);
	}
	bool self = pages >= CHECKPOINT_PAGES;
	cp->n.by_commits += self;
	pthread_mutex_unlock(&cp->lock);
	if (self)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

void
store_checkpoints(struct store *s, struct store_checkpoints *out)
{
	memset(out, 0, sizeof *out);
	if (s->cp == NULL)
		return;
	pthread_mutex_lock(&s->cp->lock);
	*out = s->cp->n;
	pthread_mutex_unlock(&s->cp->lock);
}

int
store_start_checkpointer(struct store *s, int flags, char **cause)
{
	if (s->cp != NULL || s->in_memory)
		return 0;
	struct checkpointer *cp = xcalloc(1, sizeof *cp);
	char *name = sqlite_name(s->path);
	int opened = sqlite3_open_v2(name, &cp->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    NULL);
	free(name);
	if (opened != SQLITE_OK) {
		util_fail(cause, "%s: cannot open a checkpoint connection: %s", s->path,
		    cp->db ? sqlite3_errmsg(cp->db) : "out of memory");
		sqlite3_close(cp->db);
		free(cp);
		return -1;
	}
	sqlite3_busy_timeout(cp->db, 100);
	sqlite3_exec(cp->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	pthread_mutex_init(&cp->lock, NULL);
	/* Its quarter-second waits on the boot clock: on the wall clock, one
	 * set back an hour mid-wait (NTP) would keep the checkpoints off for
	 * that hour. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cp->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&cp->checked, NULL);
	cp->soon_at = CHECKPOINT_SOON;
	cp->pregrow = (flags & STORE_DOOR) != 0;
	if (pthread_create(&cp->thread, NULL, checkpoint_main, cp) != 0) {
		pthread_mutex_destroy(&cp->lock);
		pthread_cond_destroy(&cp->wake);
		pthread_cond_destroy(&cp->checked);
		sqlite3_close(cp->db);
		free(cp);
		return util_fail(cause, "cannot start the checkpoint thread");
	}
	/* The hook replaces SQLite's automatic checkpoint on this connection. */
	sqlite3_wal_hook(s->db, wal_hook, cp);
	s->cp = cp;
	return 0;
}

static void
stop_checkpointer(struct store *s)
{
	struct checkpointer *cp = s->cp;
	if (cp == NULL)
		return;
	sqlite3_wal_hook(s->db, NULL, NULL);
	pthread_mutex_lock(&cp->lock);
	cp->stop = true;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->lock);
	/* A process that stops before the integrity check is done (kiosk scan
	 * fed three codes) does not wait for it: the check only guards writes. */
	sqlite3_interrupt(cp->db);
	pthread_join(cp->thread, NULL);
	sqlite3_close(cp->db);
	pthread_mutex_destroy(&cp->lock);
	pthread_cond_destroy(&cp->wake);
	pthread_cond_destroy(&cp->checked);
	free(cp->damage);
	free(cp);
	s->cp = NULL;
}

/* The connection closed, the store kept. */
static void
close_db(struct store *s)
{
	stop_checkpointer(s);
	for (size_t i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].stmt);
	s->ncache = 0;
	if (s->db != NULL) {
		store_rollback(s);
		sqlite3_close(s->db);
		s->db = NULL;
	}
}

/* A draft into WAL mode, closed, and renamed to the store's path: 0; 1 when
 * another program made that file meanwhile (the draft is left for
 * store_close to remove); -1 with *cause. */
static int
publish(struct store *s, char **cause)
{
	if (set_wal(s, cause) != 0)
		return -1;
	close_db(s);
	int put = put_in_place(s->draft, s->draft_fd, s->place);
	if (put < 0 && errno == ENOTSUP)
		return util_fail(cause, "cannot create %s: its disk or share can neither rename a "
		    "file without replacing another nor link one (a virtual machine's shared "
		    "folder?); keep the event on a local disk", s->path);
	if (put < 0)
		return util_fail(cause, "cannot create %s (renaming %s to it): %s", s->path,
		    s->draft, strerror(errno));
	if (put == 1)
		return 1;
	free(s->draft);
	s->draft = NULL;
	close(s->draft_fd); /* and its lock: the name is no draft's now */
	s->draft_fd = -1;
	/* where the name is: past any links */
	if (sync_folder(s->place) != 0)
		return util_fail(cause, "%s: the new event was put in place, but its folder could "
		    "not be written to the disk (%s), so a power cut could still lose it: the disk "
		    "may be failing; nothing more was done (run the command again), and copy the "
		    "event to another disk (kiosk backup) before relying on it", s->path,
		    strerror(errno));
	return 0;
}

/* The file at path, put there by this program (made: checked as it was
 * written, so not read through again) or by another one. */
static int
reopen(const char *path, int flags, bool made, struct store **out, char **cause)
{
	int again = flags & ~(STORE_CREATE | STORE_BULK | (made ? STORE_VERIFY : 0));
	if (store_open(path, again, NULL, out, cause) != 0)
		return -1;
	(*out)->made_event = (*out)->made_file = made;
	return 0;
}

/* s's draft put in place and opened there as *out; s is closed. With
 * theirs, an event another program put there meanwhile is opened instead;
 * without, that is an error. 0, or -1 with *cause and *out NULL. */
static int
settle(struct store *s, bool theirs, struct store **out, char **cause)
{
	int put = publish(s, cause);
	char *path = xstrdup(s->path);
	int flags = s->flags;
	store_close(s);
	*out = NULL;
	int rc = -1;
	if (put == 1 && !theirs) {
		util_fail(cause, "%s: another program made an event there meanwhile: nothing of "
		    "this run was kept; run it again to use that event", path);
	} else if (put >= 0 && (rc = reopen(path, flags, put == 0, out, cause)) != 0 &&
	    put == 0) {
		char *why = *cause;
		*cause = NULL;
		util_fail(cause, "the event was made at %s with all it was given, but cannot be "
		    "opened again: %s", path, why);
		free(why);
	}
	free(path);
	return rc;
}

int
store_publish(struct store **sp, char **cause)
{
	if (*sp == NULL || (*sp)->draft == NULL)
		return 0;
	return settle(*sp, false, sp, cause);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	close_db(s);
	if (s->draft != NULL)
		remove_db_files(s->draft); /* never put in place: nobody else's */
	if (s->draft_fd >= 0)
		close(s->draft_fd);
	free(s->draft);
	free(s->place);
	free(s->ev_uuid);
	free(s->ev_name);
	free(s->ev_tag);
	free(s->ev_tz);
	free(s->path);
	free(s);
}

int
store_schema_check(struct store *s, char **cause)
{
	/* An older event opened only for reading, or one of this version
	 * made before mend_schema (ad27619..2da5370) that this user cannot
	 * write, lacks columns without having been edited. */
	if (!schema_current(s))
		return 0;
	/* What the migrations make, made again in memory: the schema's one
	 * description, which a table list here would copy. */
	sqlite3 *want = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_open_v2(":memory:", &want, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto out;
	for (int v = 0; v < STORE_SCHEMA_VERSION; v++)
		if (sqlite3_exec(want, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
			goto out;
	if (sqlite3_prepare_v2(want, "SELECT m.name, c.name FROM sqlite_master m,"
	    " pragma_table_info(m.name) c WHERE m.type = 'table' ORDER BY m.name, c.cid", -1, &st,
	    NULL) != SQLITE_OK)
		goto out;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(st, 0);
		const char *column = (const char *)sqlite3_column_text(st, 1);
		if (has_column(s, table, column))
			continue;
		bool table_there = has_table(s, table);
		rc = util_fail(cause, "%s: the event's tables: no such %s: %s%s", s->path,
		    table_there ? "column" : "table", table_there ? column : table,
		    hints[HINT_SCHEMA].hint);
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(want);
	return rc;
}
