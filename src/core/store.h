/* store: one SQLite database per event.
 *
 * Schema (user_version 4), all times are ms since the epoch, UTC:
 *   event(id=1, uuid, name, tag, tz, created_at)       the event itself
 *   guest(id, uuid, code UNIQUE, ext_id, first_name, last_name, email,
 *         company, ticket_type, handle, extra JSON, source import|walkin,
 *         cancelled, match_key, sort_key, words, created_at, updated_at,
 *         updated_by, rev, dirty, language, cancelled_at, fields_at,
 *         forgotten_at, forgotten_key)
 *         rev: the order of changes (a hub's pull cursor); every write sets
 *         it to max(rev) + 1. dirty: changed here, not yet confirmed by the hub.
 *         forgotten_at: erased by kiosk forget (0: not); its personal
 *         fields are empty and stay so, forgotten_key recognises it
 *   guest_word(word, guest_id)                         search index (fold.h)
 *   checkin(id, uuid, guest_uuid, kind in|out|undo, undoes, at, kiosk, pushed,
 *           origin)   id orders arrivals (a hub's pull cursor); pushed: the
 *           hub has it; origin: the device that pushed it to this hub
 *   scan(id, uuid, at, kiosk, code, result, guest_uuid, pushed) audit of every
 *        scan; a scan that made a check-in has the check-in's uuid
 *   sync_state(key, value)                             cursors, clock offset
 *   device(name, token_hash, created_at, revoked_at, last_seen_at) hub tokens
 *   setting(key, value)                                the event's own settings
 *                                                      (the hub's password hash)
 *   mail(id, guest_uuid, at, address, result sent|failed|unknown, code,
 *        message_id, detail)                           every ticket e-mail attempt;
 *        unknown: went whole, no answer (it may have arrived); code: the
 *        ticket's, NULL for an attempt of schema 6 whose guest was gone
 *
 * Rules:
 *  - Check-ins are append-only events, each with a UUID made where it was
 *    born, so that sync can copy them between kiosks without conflict. An
 *    undo is a new row naming the check-in it cancels; nothing is erased.
 *  - The file is recognised by application_id 'KIOS'. A file that is not
 *    ours, or whose user_version is newer than this program knows, is refused
 *    and never modified. Older versions are migrated forward in one
 *    transaction per step; there are no backward migrations.
 *  - WAL journal with synchronous=FULL: a commit returns only when it is on
 *    disk, so "admitted" on screen survives a power cut.
 *  - Several processes share the file (the kiosk, the hub, the commands): a
 *    busy database is waited for (busy_timeout), not reported. Writers start
 *    with BEGIN IMMEDIATE so a transaction never fails half-way on a lock.
 *  - Every statement is prepared with bound parameters; hot ones are cached
 *    per connection (store_stmt). */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 8

/* Until schema 7, a mail attempt that went whole with no answer (it may
 * have arrived) was 'failed' with a detail that matches this LIKE pattern. */
#define STORE_MAIL_UNKNOWN_V6 \
	"'%; not sent again (if it did not arrive: kiosk mail --code % --resend)'"
#define STORE_APP_ID 0x4B494F53 /* 'KIOS' */

struct store;

/* What an event is created with when the database does not exist yet. */
struct store_event_init {
	const char *name;
	const char *tz;
	const char *tag;   /* "" or NULL: derived from the name */
	const char *uuid;  /* NULL: a new one (kiosk join gives the hub's) */
};

/* The event, as stored. Strings owned by the store. */
struct store_event {
	const char *uuid;
	const char *name;
	const char *tag;
	const char *tz;
};

enum store_flags {
	STORE_CREATE   = 1 << 0, /* create a missing database with init */
	STORE_READONLY = 1 << 1, /* the caller only reads: a read-only file is fine */
	STORE_MEMORY   = 1 << 2, /* path is ignored: a private in-memory event */
	STORE_VERIFY   = 1 << 3, /* refuse a damaged file (PRAGMA quick_check), for
	                          * writers: a damaged page nothing has read yet
	                          * would otherwise take writes unnoticed */
	STORE_SNAPSHOT = 1 << 4, /* read the file, then work on a private in-memory
	                          * copy of it (a dry run): never writes the file,
	                          * never takes its write lock, and works on a file
	                          * this user cannot write */
	STORE_BULK     = 1 << 5, /* with STORE_CREATE, for a first import: a file
	                          * this open makes stays out of sight, under a
	                          * name of its own, until store_publish puts it
	                          * in place whole (each page written once, not to
	                          * the WAL and again at its checkpoint). Without
	                          * it a new event is put in place by store_open */
};

/* Open (or with STORE_CREATE, create) an event database. Returns 0 and *out,
 * or -1 with *cause naming the file: missing ("no event database at PATH;
 * create one with 'kiosk import FILE' or 'kiosk add'"), not a kiosk database,
 * newer schema, read-only or locked. Close with store_close(). */
int store_open(const char *path, int flags, const struct store_event_init *init,
    struct store **out, char **cause);

/* A file this open made with STORE_BULK is put in place: into WAL mode,
 * closed, renamed to its path (and its folder synced), and opened there
 * again as *sp. No-op for any other store. -1 with *cause when it could not
 * be, *sp then closed and NULL: another program made the file meanwhile
 * (its event is left as it is), or the disk failed. */
int store_publish(struct store **sp, char **cause);

/* Close. A STORE_BULK file never published is removed: a first import
 * that failed leaves nothing behind. */
void store_close(struct store *s);

const struct store_event *store_event(const struct store *s);
const char *store_path(const struct store *s);
/* Whether this open made the event (STORE_CREATE on a missing or empty
 * file, or STORE_MEMORY), with the name, tag and zone it was given. */
bool store_made_event(const struct store *s);
/* Whether this open created the database file (it did not exist). */
bool store_made_file(const struct store *s);
/* The file a STORE_BULK store is being made in until store_publish (a
 * draft beside its path), or NULL. */
const char *store_draft(const struct store *s);

/* Transactions. store_begin takes the write lock at once (BEGIN IMMEDIATE).
 * store_commit returns only after the commit is durable. */
int store_begin(struct store *s, char **cause);
int store_begin_read(struct store *s, char **cause);
int store_commit(struct store *s, char **cause);
void store_rollback(struct store *s);

/* A prepared statement for sql, cached on the connection: sql must be a
 * string literal (the cache keys on it). The statement comes reset with its
 * bindings cleared; do not finalize it. Returns NULL with *cause on error. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql, char **cause);

/* The connection, for core modules that run their own statements. */
sqlite3 *store_db(struct store *s);

/* Set *cause to "PATH: <sqlite message>" (with friendlier words for full
 * disks, read-only files and locks) and return -1. */
int store_fail(struct store *s, char **cause, const char *what);

/* The trouble a store_fail message names, for a door that says it in its
 * own language (the message itself is English, for logs and staff). */
enum store_trouble {
	STORE_TROUBLE_OTHER,
	STORE_TROUBLE_FULL,     /* the disk is full */
	STORE_TROUBLE_READONLY, /* the file, its folder or the disk is read-only */
	STORE_TROUBLE_BUSY,     /* another program holds the database */
	STORE_TROUBLE_DAMAGED,  /* not a database, or a damaged one */
	STORE_TROUBLE_IO,       /* the disk reported an error */
};
enum store_trouble store_trouble(const char *cause);

/* What a damaged file is said to have, in words for the organiser (SQLite's
 * own report names b-tree pages and error codes). */
#define STORE_BROKEN_PAGES "broken pages in the file"
/* What to do with such a file, said by every command and by doctor. A door
 * joined to a hub gets it all back by joining again; a copy or a new import
 * there lacks the check-ins made since, and admits those guests again. */
#define STORE_DAMAGED_ADVICE "move it aside, then at a door that syncs with a hub run " \
	"'kiosk join' again (the list and every check-in the hub has come back); on the hub " \
	"or a standalone kiosk, use a backup ('kiosk backup'), or import the guest list " \
	"again into a new event"

/* How long a statement waits for another program's write lock before it
 * fails with "locked" (default 10 s, for commands). The door app waits
 * less: a guest should not stand before a frozen screen while an organiser
 * imports a big list. */
void store_set_busy_timeout(struct store *s, int ms);

/* This connection's writes go first (a door's check-ins): while it waits
 * for the write lock, a long writer of this process (a sync taking in a
 * hub's thousands of changes) commits what it has and lets it in at its
 * next store_give_way, and it tries for the lock every 0.2 ms rather than
 * at SQLite's growing intervals. Writers in other programs (an import)
 * are waited for as before. */
void store_set_first(struct store *s);

/* In a long write transaction, at a point where what is written may be
 * committed: when a connection that goes first waits for the lock, commit,
 * let it take the lock, and begin again. 1 gave way, 0 no one waits, -1
 * with *cause (the transaction then is rolled back, none is open). */
int store_give_way(struct store *s, char **cause);

/* An event of several days ([checkin] each_day): the figures (attend) take
 * an entry on a later day than the guest's last for no duplicate. */
void store_set_each_day(struct store *s, bool each_day);
bool store_each_day(const struct store *s);

/* Has another connection (another door on this file, `kiosk checkin`, an
 * import) committed since the last call? Cheap (PRAGMA data_version): for
 * a screen that shows counts. The first call says true. */
bool store_changed_elsewhere(struct store *s);

/* Now on the event's clock: this computer's time plus the offset from the
 * hub learnt by sync (0 until then), in ms UTC. Every time a kiosk records
 * comes from here, so that "earliest" is true across kiosks. */
int64_t store_now(const struct store *s);
/* store_now after reading the offset again: another connection (the door
 * app's sync thread, a `kiosk sync` beside `kiosk scan`) may have learnt a
 * new one, which this connection would take only at its next write, after
 * the time of that write was taken. For the times a door records. */
int64_t store_now_fresh(struct store *s);
/* 0 when store_now is a set clock's time (MERGE_CLOCK_MIN on); else -1
 * with *cause saying what the clock reads and to set it, before anything
 * is written with that time: a computer that restarted without its clock,
 * on an event that holds no time yet to write after, would give its
 * guests a 1970 no door can pull, or a 2000 before every later record. */
int store_clock_check(const struct store *s, char **cause);
/* The time a hub gives the doors to record on (store_now), or -1 when its
 * clock is not set (this computer's clock, with the offset learnt from a
 * hub, before MERGE_CLOCK_MIN): it stamps its own changes after the latest time the
 * event holds, which is behind the real time (a hub restarted the next
 * morning would put the doors back to the evening before); the doors keep
 * their own clocks rather than take that. */
int64_t store_now_given(const struct store *s);

/* Named integers of the sync state (cursors, the clock offset). get returns
 * 1 with *value, 0 when unset, -1 with *cause (cause may be NULL). */
#define STORE_STATE_CLOCK_OFFSET "clock_offset_ms"
/* The hub's time when the offset was last learnt: store_now is never
 * earlier. A door whose computer lost its clock (a dead RTC starts at 1970
 * or 2000, until the network sets it) would record its check-ins then; the
 * hub refuses a time before 2000 and, as a push goes oldest first, every
 * record after it would wait forever. Such a door records this time
 * instead, and from its next sync the hub's. */
#define STORE_STATE_CLOCK_SEEN "clock_seen_ms"
/* The same offset to this computer's boot clock (util_boot_ms), and which
 * start of it (util_boot_id): a wall clock set right, or wrong, after a
 * sync (by NTP, by the staff) would shift every time a door records until
 * its next sync; the boot clock is never set. Used while the computer has
 * not restarted; after that, CLOCK_OFFSET until the next sync. */
#define STORE_STATE_CLOCK_BOOT_OFFSET "clock_boot_offset_ms"
#define STORE_STATE_CLOCK_BOOT "clock_boot_id"
int store_state_get(struct store *s, const char *key, int64_t *value, char **cause);
int store_state_set(struct store *s, const char *key, int64_t value, char **cause);
/* Store a clock offset learnt from the hub (and the hub's time now, the
 * floor of store_now, and the offset to the boot clock), in the caller's
 * transaction. */
int store_clock_set(struct store *s, int64_t offset, char **cause);
/* Whether store_now follows the boot clock: an offset learnt since this
 * computer started. A sync stores its offset when not, even unchanged. */
bool store_clock_anchored(struct store *s);

/* synchronous=NORMAL instead of FULL on this connection: its commits may be
 * lost to a power cut (never half-applied). Only for writes that can be
 * made again: a sync client's pulled records and "sent" marks (the hub
 * still has them; sending twice is harmless). Never for check-ins. */
void store_set_relaxed(struct store *s);

/* Text settings kept with the event (not in kiosk.conf: they belong to the
 * database, e.g. the hub page's password hash). get returns 1 with *value
 * (caller frees), 0 when unset, -1 with *cause. set runs in the caller's
 * transaction, or alone. */
#define STORE_SETTING_HUB_PASSWORD "hub_password_hash"
int store_setting_get(struct store *s, const char *key, char **value, char **cause);
int store_setting_set(struct store *s, const char *key, const char *value, char **cause);

/* Overwrite what is deleted or replaced with zeros, in the file and its
 * WAL, from now on (on) or no longer (off), on this connection (PRAGMA
 * secure_delete): kiosk forget's erasure leaves no old bytes in free
 * space. Returns 0 or -1 with *cause. */
int store_secure_delete(struct store *s, bool on, char **cause);

/* Copy the WAL into the file and empty it (a TRUNCATE checkpoint), so
 * that no page of before is left in it. Returns 1 when done, 0 when
 * another connection (a door, the hub, kiosk sync) still reads pages of
 * it and it was not emptied (SQLite writes over it as it starts over), -1
 * with *cause. Never keeps another connection's writes waiting for longer
 * than a copy of the WAL: a door's scans go on while it tries, for about a
 * second, to find no reader in the way. */
int store_checkpoint_truncate(struct store *s, char **cause);

/* Page cache size in MiB (default 16; import asks for 64). */
void store_set_cache_mib(struct store *s, int mib);

/* Take WAL checkpoints off the commit path: automatic checkpoints are turned
 * off and a background thread with its own connection checkpoints when the
 * WAL grows. For long-running writers (kiosk scan, the app, kiosk sync). The
 * thread first checks the file's integrity (as STORE_VERIFY, but off the
 * start-up path); the first write waits for that, and a damaged file takes
 * none. With STORE_DOOR (a door: scans that may come back to back) it then
 * writes the WAL file ahead, up to 90 MB, so that a rush's commits overwrite
 * blocks rather than grow the file; the first write waits for that too. */
enum { STORE_DOOR = 1 << 0 };
int store_start_checkpointer(struct store *s, int flags, char **cause);

/* What the checkpointer did so far (all 0 without one), for tests and the
 * bench: the thread's passes, the commits that tried a checkpoint of their
 * own (the WAL at its longest), and the most pages the WAL held at a
 * commit. */
struct store_checkpoints {
	int passes;
	int by_commits;
	int most_pages;
};
void store_checkpoints(struct store *s, struct store_checkpoints *out);

/* What that check found, without waiting for it: 1 with *cause ("PATH: the
 * database is damaged ...") when the file is damaged, 0 when it is whole or
 * not checked yet. */
int store_damage(struct store *s, char **cause);

/* Whether every table and column this version reads and writes is there
 * (an event of the current schema edited in a database browser: a table
 * dropped, a column removed): 0, or -1 with *cause naming what is missing
 * and what to do. An event of an older schema opened only for reading, or
 * one that lacks what mend_schema adds, is not judged (0). */
int store_schema_check(struct store *s, char **cause);

#endif
