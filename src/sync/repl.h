/* repl: the records of docs/sync-protocol.md, between the store and JSON.
 *
 * Both ends use it: a kiosk collects what it must push (repl_collect) and
 * applies what it pulls (repl_apply_pull); the hub stores what is pushed to
 * it (repl_store_push) and pages out what changed (repl_read_pull). All of
 * it runs in store transactions: a batch or a page is stored whole or not at
 * all, with the cursors that go with it. Storing a record whose uuid is
 * there already changes nothing; guests go by last writer wins (merge.h). */
#ifndef KIOSK_REPL_H
#define KIOSK_REPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/store.h"

#define REPL_PROTOCOL 1
#define REPL_MAX_RECORDS 5000   /* of one kind in a push or a pull page */

struct repl_counts {
	int guests;
	int checkins;
	int scans;
	int conflicts;  /* guests not stored: their code is another guest's here */
	int forgotten;  /* of guests, forgotten copies (kiosk forget) taken over
	                 * one that was not: the WAL is emptied after */
	int lost;       /* a pull page: the hub lost records this kiosk pulled
	                 * from it (merge_hub_lost), and the kiosk started over */
};

/* Whether a push body or a pull page, as JSON text, holds no more than one
 * can: at most REPL_JSON_CONTAINERS objects and arrays and REPL_JSON_TOKENS
 * commas, colons, objects and arrays. Read before it is parsed: jansson
 * builds every value before the records are looked at, and 64 MiB of "{},"
 * (35 KB gzipped, from a door's token or a false hub) was 22 million
 * objects, 5 GB. A push or a page at its fullest (REPL_MAX_RECORDS of each
 * kind, 2 MiB of guests) holds under half of either. Strings are passed
 * over whole; the text need not be valid JSON (the parser says what is
 * wrong with it). */
#define REPL_JSON_CONTAINERS 100000
#define REPL_JSON_TOKENS     2000000
bool repl_json_within(const char *text, size_t len);

/* --- kiosk side ----------------------------------------------------------- */

/* What waits to go to the hub: up to max check-ins, with the guests changed
 * here and the refusals' scans, oldest first. */
struct repl_batch;

/* Collect a batch, its check-ins as rows (for a hub that reads them; see
 * docs/sync-protocol.md) or objects. Returns 0 with *out (NULL when nothing
 * waits), -1 with *cause. */
int repl_collect(struct store *s, int max, bool rows, struct repl_batch **out,
    char **cause);

/* The push body as JSON text (caller frees; *len its length):
 * {"guests": [...], "checkins": [...], "scans": [...]}, and
 * "checkin_rows": "..." instead of check-in objects when collected so. */
char *repl_batch_text(const struct repl_batch *b, size_t *len);

/* What a hub's answer to a push of b says: every check-in stored or known
 * (taken: mark the batch sent); none read, sent as rows (a hub that does
 * not know rows ignores them: send the batch again as objects); or, as
 * objects, some missing (send nothing more). */
enum repl_verdict { REPL_TAKEN, REPL_AGAIN_AS_OBJECTS, REPL_NOT_TAKEN };
enum repl_verdict repl_push_verdict(const struct repl_batch *b, json_t *answer);

/* Does the hub read pushed check-ins as rows? Yes once a pull page of
 * its said so ("push_rows"); *rows false when it did not, or no page came
 * yet. */
int repl_push_rows(struct store *s, bool *rows, char **cause);

/* The hub did not take a push as rows (an older hub put in its place):
 * push objects until its pages come as rows again. Commits. */
int repl_forget_rows(struct store *s, char **cause);

/* Start over with the hub (kiosk sync --start-over; a round with another
 * hub than the one recorded): every guest, check-in and scan here waits to
 * be pushed again, and the pulls begin again from the start; hub, when not
 * NULL, is recorded as the hub they are for (repl_hub). For a hub that
 * lost what it had (restored from a copy, or a door made the hub): records
 * it has are "known" and change nothing, the others are stored. A round
 * under way meanwhile (the door app's) marks nothing sent and moves no
 * cursor when its answers come. Commits. Returns 0 or -1 with *cause. */
int repl_start_over(struct store *s, const char *hub, char **cause);

/* The hub this database's floors and cursors are for (the address last
 * synced with, as kiosk.conf gave it): 1 with *url (caller frees), 0 when
 * none is recorded (never synced, or before it was kept), -1 with *cause.
 * repl_start_over(s, hub) records hub with the start-over; repl_hub_set
 * records one alone (a first sync). */
int repl_hub(struct store *s, char **url, char **cause);
int repl_hub_set(struct store *s, const char *url, char **cause);
#define REPL_HUB_SERVED "(served as the hub)" /* recorded by a hub: any hub after
                                               * it is another (hub_start) */
/* Whether the hub recorded is REPL_HUB_SERVED: this database served as the
 * hub. Returns 0 with *served, or -1 with *cause. */
int repl_served(struct store *s, bool *served, char **cause);

/* Before a round with the hub at url: start over when the database's
 * floors and cursors are another hub's (repl_hub; or, from before that was
 * recorded, when it has synced at all), else record url for a first sync.
 * *starts gets the start-over count the round holds to: a batch or page
 * read with another (another program started over meanwhile) ends the
 * round (repl_batch_starts, repl_cursors). Returns 0, or -1 with *cause. */
enum repl_over {
	REPL_OVER_NONE,         /* the same hub, or a first sync */
	REPL_OVER_OTHER_HUB,    /* another hub than the one recorded */
	REPL_OVER_UNRECORDED,   /* synced before the hub was recorded (an upgrade) */
};
int repl_follow(struct store *s, const char *url, enum repl_over *over, int64_t *starts,
    char **cause);

/* The start-over count when the batch was collected. */
int64_t repl_batch_starts(const struct repl_batch *b);

/* Records in the batch, by kind. */
struct repl_counts repl_batch_counts(const struct repl_batch *b);

/* The hub stored the batch: mark its records sent (a guest edited again
 * since it was collected stays waiting; nothing, if this kiosk started
 * over since). Commits. Returns 0 or -1. */
int repl_batch_done(struct store *s, struct repl_batch *b, char **cause);

void repl_batch_free(struct repl_batch *b);

/* How many records wait to be pushed (the kiosk's "37 waiting to sync"). */
int repl_waiting(struct store *s, int64_t *n, char **cause);
/* The time (ms UTC, the store's clock) of the oldest record waiting to be
 * pushed (a check-in, a scan, a guest changed here): 1 with *at, 0 when
 * none waits, -1 with *cause. */
int repl_oldest_waiting(struct store *s, int64_t *at, char **cause);

/* Where this kiosk's pulls have reached (0, 0 at first), and how many
 * times it started over (repl_start_over, perhaps from another process
 * while a round was under way). */
struct repl_pos {
	int64_t guests, checkins;
	int64_t starts;
	char anchor[72];        /* the uuid of the hub's check-in at checkins, as
	                         * recorded with it ("": none; merge_hub_lost) */
};
int repl_cursors(struct store *s, struct repl_pos *pos, char **cause);

/* A door that joined with no guests and whose pulls have not yet reached
 * the hub's last page holds part of the guest list: a valid ticket can be
 * "unknown" there. kiosk join marks a database with no guests yet
 * (repl_list_joining) before its first pull; repl_apply_pull clears the
 * mark at the hub's last page. A join cut short (killed, the network gone)
 * leaves it marked, and the door, `kiosk scan` and `kiosk doctor` say so
 * until a sync completes. Returns 0 with *is_short, or -1 with *cause. */
int repl_list_short(struct store *s, bool *is_short, char **cause);
int repl_list_joining(struct store *s, char **cause);
/* Whether the event is one of days here ([checkin] each_day), the store
 * marked so (store_set_each_day) and the answer returned: once a hub's
 * pages have said (their "each_day", kept in the database), what they
 * said, so that all doors decide alike whatever each kiosk.conf says, also
 * a door made the hub, or taken off it, which keeps the event's mode; else,
 * for a kiosk no hub has spoken to, its own kiosk.conf's (own). A database
 * error: own. */
bool repl_each_day(struct store *s, bool own);

/* After an import: a database marked so that serves as the hub (a door cut
 * short, then made the hub: it has served, or hub says it is set to) has
 * the list from the file now, and the mark goes. A door's stays: the list
 * is the hub's, and an import there makes guests of its own, with codes of
 * its own for a file without codes. */
int repl_list_imported(struct store *s, bool hub, char **cause);

/* Apply a pull page (the hub's answer to a request made from position
 * from) and move the cursors. The page is applied in short transactions
 * (the door keeps its write lock waits short); the cursors move with the
 * last, so a page that fails half-way is pulled again and its stored
 * records change nothing. Had this kiosk started over since from was read,
 * the records are kept but the cursors stay where the start-over put them,
 * and *more is true: pull again from there. A page by which the hub has
 * lost records this kiosk pulled from it (merge_hub_lost: restored from
 * an older copy) is not applied: the kiosk starts over (repl_start_over),
 * got->lost says so, and *more is true. got counts the records that
 * changed something here. Returns 0, or -1 with *cause: a malformed page is
 * an error naming the record. *more is the page's "more". */
int repl_apply_pull(struct store *s, json_t *page, const struct repl_pos *from,
    struct repl_counts *got, bool *more, char **cause);

/* --- hub side ------------------------------------------------------------- */

enum repl_status { REPL_OK = 0, REPL_BAD = -1, REPL_FAILED = -2 };

/* Store a push body from device (the token's name). REPL_BAD: the body is
 * malformed or over REPL_MAX_RECORDS, *cause says where ("checkins[12].at:
 * expected an integer"), nothing stored (answer 400/413: *too_big tells
 * which). REPL_FAILED: the database failed, *cause says how (500). */
enum repl_status repl_store_push(struct store *s, const char *device, json_t *body,
    struct repl_counts *stored, struct repl_counts *known, bool *too_big, char **cause);

/* Check-ins written out for pull pages, kept for the next door that asks
 * (thread-safe; one per hub). */
struct repl_cache;
struct repl_cache *repl_cache_new(void);
void repl_cache_free(struct repl_cache *c);

/* A pull page after the given cursors: at most limit records of each kind;
 * check-ins that device pushed are left out (device NULL: none is). Returns
 * the page as JSON text (caller frees; *len its length):
 * {"guests": [...], "checkins": [...], "cursor": {...}, "more": b,
 *  "pushing": pushing, "protocol": 1, "now": now}, or NULL with *cause.
 * rows: the check-ins as "checkin_rows" (one string of tab-separated
 * rows; docs/sync-protocol.md) instead of "checkins".
 * now < 0: the store's clock once the page is read (store_now_given; no
 * "now" when its clock is not set). pushing: how many
 * other devices are still pushing. cache may be NULL. */
char *repl_read_pull_text(struct store *s, struct repl_cache *cache, const char *device,
    int64_t guests, int64_t checkins, int limit, bool rows, int64_t now, int pushing,
    size_t *len, char **cause);

/* The same page as an object (now: the store's clock), for tests. */
json_t *repl_read_pull(struct store *s, const char *device, int64_t guests,
    int64_t checkins, int limit, bool rows, char **cause);

#endif
