/* guest: the guest list of an event: lookup, walk-ins, name search, listing.
 *
 * A guest row is found at the door by its code, by door staff by name
 * (guest_search), and by the organiser's tools by listing. Search matches
 * each typed word as a prefix of a word of the first name, last name or
 * e-mail, folded (fold.h), so "zoe cel" finds "Zoë Çelik"; fewer than two
 * letters typed find nobody, so the guest list is never on show. */
#ifndef KIOSK_GUEST_H
#define KIOSK_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/store.h"

#define GUEST_SEARCH_MIN 2      /* folded characters before search lists anyone */
#define GUEST_SEARCH_WORDS 4    /* words of a query that are used */
#define GUEST_EXTRA_MAX 65536   /* bytes of a guest's extra fields, as JSON */

/* A guest as stored. Strings are owned by the struct: guest_clear() frees
 * them; never NULL after a successful read ("" when empty). */
struct guest {
	int64_t id;
	char *uuid;
	char *code;
	char *ext_id;           /* "" when the platform gave none */
	char *first_name;
	char *last_name;
	char *email;
	char *company;
	char *ticket_type;
	char *handle;
	char *extra;            /* JSON object of the import's other columns */
	char *source;           /* "import" or "walkin" */
	bool cancelled;
	int64_t updated_at;
	char *updated_by;
};

/* Where a guest stands at the door, from their check-in events. */
struct guest_state {
	int ins;                /* check-ins not undone */
	int outs;               /* exits not undone */
	bool inside;            /* last event not undone is a check-in */
	int64_t first_in_at;    /* earliest check-in not undone; 0 when none */
	char first_in_kiosk[256]; /* its kiosk (names from the hub: up to 200 bytes) */
	char last_in_uuid[40];  /* latest check-in not undone, for undo; "" when none */
	int64_t last_in_at;
	int64_t last_at;        /* latest check-in or exit not undone; 0 when none */
	/* The same of the events since a time (guest_state's since; all of
	 * them for 0): where the guest stands today at an event of days. */
	int ins_since;
	int outs_since;
	int64_t first_since_at;
	char first_since_kiosk[256];
};

/* The fields a new guest is made of (walk-in or import). NULL means "". */
struct guest_fields {
	const char *first_name;
	const char *last_name;
	const char *email;
	const char *company;
	const char *ticket_type;
	const char *handle;
	const char *ext_id;
	const char *extra;      /* JSON object text; NULL means {} */
	const char *language;   /* en, nl, fr or de; NULL or "" for the event's */
	/* Made from the names when NULL: fold_search_words() and fold_sort_key() of
	 * them, when the caller made them already (an import, on a thread). */
	const char *words;
	const char *sort_key;
};

void guest_clear(struct guest *g);

/* Bind the columns every written guest row has, in this order: ?1 uuid,
 * ?2 code, ?3 ext_id, ?4 first name, ?5 last name, ?6 e-mail, ?7 company,
 * ?8 ticket type, ?9 handle, ?10 extra (NULL fields as ""). The strings are
 * bound SQLITE_STATIC: they must outlive the step. */
void guest_bind_fields(sqlite3_stmt *st, const char *uuid, const char *code,
    const struct guest_fields *f);

/* Set one indexed column of guest id to value, by sql: "UPDATE guest SET
 * col = ?1 WHERE id = ?2", with "AND col IS NOT ?1" when the caller has
 * not compared them. Apart from the other columns, and only when it
 * changes, because SQLite rewrites the index entry of every column a SET
 * names, changed or not: a search at a random place of a large b-tree,
 * for each. With taken, a value another guest has (a code) sets *taken
 * and returns 0. Returns 0 or -1 with *cause. */
int guest_set_indexed(struct store *s, const char *sql, int64_t id, const char *value, bool *taken,
    char **cause);

/* Find by code (normalised, exact). Returns 1 and fills *g, 0 when there is
 * no such code, -1 with *cause on a database error. */
int guest_find_by_code(struct store *s, const char *code, struct guest *g, char **cause);
/* Find by a code as a person typed it: exactly, else in small letters, in
 * capitals, or with the case of every letter the other way round (Caps
 * Lock, a keyboard that began with a capital): a platform's codes are
 * kept as issued, and the one guest of such spellings is theirs; two
 * guests of them ("abc123" and "ABC123") make it nobody's. Each try is
 * one look-up by the code's index. Returns as guest_find_by_code. */
int guest_find_by_typed_code(struct store *s, const char *code, struct guest *g, char **cause);
/* Find by what a scanner read: as guest_find_by_typed_code; else, for a
 * number with leading zeros, by the number without them (a spreadsheet
 * dropped them from the list: "0012345678" kept as 12345678); else, for a
 * web address (a platform whose QR code is a link), by the one guest its
 * parts lead to (code_url_parts); two guests make it nobody's. Returns as
 * guest_find_by_code. */
int guest_find_by_scanned(struct store *s, const char *code, struct guest *g, char **cause);

/* A guest not cancelled with this e-mail (any case) or this whole name
 * (folded, as search folds it: "Zoë Çelik" is "zoe celik"), other than
 * the one of id (0: none): whom a walk-in being registered may be already.
 * Returns GUEST_TWIN_NAME (the name, perhaps the e-mail too) or
 * GUEST_TWIN_EMAIL (the e-mail only) with *g (the caller clears it), 0
 * for none, -1 with *cause. */
enum { GUEST_TWIN_NAME = 1, GUEST_TWIN_EMAIL = 2 };
int guest_find_twin(struct store *s, const char *first, const char *last, const char *email,
    int64_t not_id, struct guest *g, char **cause);

/* Run sql, a literal "SELECT GUEST_COLUMNS FROM guest WHERE ..." with one
 * text parameter bound to value; the first row goes to *g. Returns 1, 0 when
 * there is no row, -1 with *cause. */
int guest_find_one(struct store *s, const char *sql, const char *value, struct guest *g,
    char **cause);

/* Read a guest's door state, and apart that of the events at or after
 * since (the *_since fields; 0: all events). Returns 0 or -1 with *cause. */
int guest_state(struct store *s, const char *guest_uuid, int64_t since, struct guest_state *st,
    char **cause);

/* Search words waiting to be written in one sorted pass: a bulk import
 * writes its 700,000 index entries in key order rather than at random
 * places of the b-tree, several times faster. */
struct guest_wordlist;
struct guest_wordlist *guest_wordlist_new(void);
/* Write the words (sorted) and empty the list. Returns 0 or -1 with *cause. */
int guest_wordlist_flush(struct store *s, struct guest_wordlist *wl, char **cause);
void guest_wordlist_free(struct guest_wordlist *wl);

/* Insert a guest with the given code; source is "import" or "walkin"; by
 * names the writer (the kiosk). Its search words go to the index now, or to
 * wl when not NULL (the caller flushes it in the same transaction). The
 * caller holds a transaction. Returns 0 and fills *g (when not NULL), or -1. */
int guest_insert(struct store *s, const struct guest_fields *f, const char *code,
    const char *source, bool cancelled, const char *match_key, const char *by,
    struct guest_wordlist *wl, struct guest *g, char **cause);

/* Register a walk-in: a guest with a fresh code, committed. Needs a first
 * or a last name. Returns 0 and *g, or -1 with *cause. */
int guest_add_walkin(struct store *s, const struct guest_fields *f, const char *by,
    struct guest *g, char **cause);

/* Cancel the ticket with this code (or reinstate it when cancelled is
 * false), recorded as a guest edit by `by` so that sync carries it to every
 * kiosk. Commits. Returns 0 with *g (the guest after the change), 1 when it
 * was already so (nothing written), -1 with *cause (no such code too, or a
 * forgotten guest to reinstate: kiosk forget is not undone). */
int guest_set_cancelled(struct store *s, const char *code, bool cancelled, const char *by,
    struct guest *g, char **cause);

/* kiosk forget (GDPR article 17, a guest's request to be erased).
 *
 * A forgotten guest keeps its row, its code, platform id (ext_id) and
 * ticket type, none of which names anyone, so that its check-ins and
 * scans still count and its ticket is refused as cancelled; everything
 * that names them is emptied, and stays so: forgotten_at is set, sync
 * takes a forgotten copy over any other (merge_forget), an import leaves
 * a row of it as it is (import.h). */

/* The form under which an import recognises a forgotten guest listed by
 * name and e-mail alone: fold_name_key of them, hashed (BLAKE2b, 256 bits)
 * with the event's uuid as its key, in hex; the caller frees. One-way:
 * the name is not in it, though whoever holds a candidate name, its
 * e-mail and the event can test them against it, as an import does. */
char *guest_forget_key(struct store *s, const char *first, const char *last, const char *email);
#define FORGOTTEN_KEY_LEN 64 /* its length: 32 bytes in hex */

/* When guest id was forgotten (0: it was not) into *at. Returns 0, or -1
 * with *cause. */
int guest_forgotten_at(struct store *s, int64_t id, int64_t *at, char **cause);

/* Erase guest id's personal data as of at: first and last name, e-mail,
 * company, handle, extra fields and language emptied, and what was made of
 * them (search words and their index entries, sort key, match key); the
 * addresses and details of the ticket e-mails sent them. The ticket is
 * cancelled, forgotten_at set to at and forgotten_key to guest_forget_key
 * of the name it had (of a copy emptied already, none). Stamps, rev and
 * dirty are the caller's. The caller holds a transaction and, for the old
 * bytes to go, store_secure_delete. Returns 0, or -1 with *cause. */
int guest_erase(struct store *s, int64_t id, int64_t at, char **cause);

/* Forget the n guests of ids (guest_erase, in one transaction with secure
 * deletion on), recorded as a guest edit by `by` so that sync carries it
 * to every kiosk, and committed; then the WAL is emptied when it can be
 * (*wal_emptied). One already forgotten is left as it is. Sets *at to the
 * time recorded. Returns 0, or -1 with *cause (nothing changed). */
int guest_forget(struct store *s, const int64_t *ids, size_t n, const char *by, int64_t *at,
    bool *wal_emptied, char **cause);

/* Add a guest's words (fold_search_words()) to the search index; or, after a
 * change of name, index it under new_words instead of old_words (those it
 * is indexed under: guest.words). */
int guest_index(struct store *s, int64_t id, const char *words, char **cause);
int guest_reindex(struct store *s, int64_t id, const char *old_words, const char *new_words,
    char **cause);

/* The words guest id is indexed under now (guest.words), into *words
 * (caller frees). Returns 0, or -1 with *cause. */
int guest_stored_words(struct store *s, int64_t id, char **words, char **cause);

/* The language stored for guest id (en, nl, fr, de; "" the event's), the
 * same way. */
int guest_stored_language(struct store *s, int64_t id, char **language, char **cause);

/* Search by name for door staff: calls fn for at most limit guests, those
 * found by name before those found by e-mail alone, then in the order of
 * rank.h (the surname as typed first), then by last and first name.
 * Returns the number found, or -1 with *cause. */
typedef int (*guest_fn)(const struct guest *g, void *arg);
int guest_search(struct store *s, const char *query, int limit, guest_fn fn, void *arg,
    char **cause);

/* Whether query has enough for the search to list anyone: GUEST_SEARCH_MIN
 * folded characters in its words ("j " and "o'" have one; "李" is enough).
 * Until it has, a door asks for more letters: "Nobody found" would send
 * staff to register a guest who is on the list. */
bool guest_query_ready(const char *query);

/* The same; *more (when not NULL) says that fewer than limit were found
 * although more guests may match: every word typed starts so many names
 * that only the first of them were looked at (two common words half
 * typed, "jan pa" at a large event). The next letter typed narrows it. */
int guest_search_more(struct store *s, const char *query, int limit, guest_fn fn, void *arg,
    bool *more, char **cause);

/* Every guest, ordered by last and first name; fn returning non-zero stops.
 * Returns the number visited, or -1 with *cause. */
int guest_each(struct store *s, guest_fn fn, void *arg, char **cause);

/* Guests added at or after since (ms UTC), in list order: late
 * registrations whose badges are still to print. Same contract. */
int guest_each_since(struct store *s, int64_t since, guest_fn fn, void *arg, char **cause);

/* When guest id was added to the list, where it was added (ms UTC), into
 * *at: 1, or 0 for no such guest (*at untouched); -1 with *cause. */
int guest_added_at(struct store *s, int64_t id, int64_t *at, char **cause);

/* The list's codes against a length (a scanner's [scanner] min_length):
 * how many are shorter than shorter_than characters, into *n, and the
 * shortest code's length, into *shortest (0 for an empty list). Lengths
 * are in characters, as a scanner types them. Returns 0, or -1 with
 * *cause (nothing written). */
int guest_short_codes(struct store *s, int shorter_than, int64_t *n, int *shortest,
    char **cause);

/* Read the columns of a "SELECT GUEST_COLUMNS ..." row into *g. */
#define GUEST_COLUMNS "id, uuid, code, coalesce(ext_id, ''), first_name, last_name, " \
	"email, company, ticket_type, handle, extra, source, cancelled, updated_at, updated_by"
struct sqlite3_stmt;
void guest_from_row(struct sqlite3_stmt *st, struct guest *g);

/* "First Last", or whichever is there (caller frees). */
char *guest_display_name(const struct guest *g);

#endif
