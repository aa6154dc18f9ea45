/* guest: the guest list of an event (see guest.h). */
#include "core/guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/code.h"
#include "core/fold.h"
#include "core/rank.h"
#include "core/merge.h"
#include "core/util.h"

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return xstrdup(t ? (const char *)t : "");
}

void
guest_from_row(sqlite3_stmt *st, struct guest *g)
{
	g->id = sqlite3_column_int64(st, 0);
	g->uuid = col_dup(st, 1);
	g->code = col_dup(st, 2);
	g->ext_id = col_dup(st, 3);
	g->first_name = col_dup(st, 4);
	g->last_name = col_dup(st, 5);
	g->email = col_dup(st, 6);
	g->company = col_dup(st, 7);
	g->ticket_type = col_dup(st, 8);
	g->handle = col_dup(st, 9);
	g->extra = col_dup(st, 10);
	g->source = col_dup(st, 11);
	g->cancelled = sqlite3_column_int(st, 12) != 0;
	g->updated_at = sqlite3_column_int64(st, 13);
	g->updated_by = col_dup(st, 14);
}

void
guest_clear(struct guest *g)
{
	if (g == NULL)
		return;
	free(g->uuid);
	free(g->code);
	free(g->ext_id);
	free(g->first_name);
	free(g->last_name);
	free(g->email);
	free(g->company);
	free(g->ticket_type);
	free(g->handle);
	free(g->extra);
	free(g->source);
	free(g->updated_by);
	memset(g, 0, sizeof *g);
}

char *
guest_display_name(const struct guest *g)
{
	if (g->first_name[0] && g->last_name[0])
		return xasprintf("%s %s", g->first_name, g->last_name);
	return xstrdup(g->first_name[0] ? g->first_name : g->last_name);
}

int
guest_find_one(struct store *s, const char *sql, const char *value, struct guest *g,
    char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		guest_from_row(st, g);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(s, cause, "cannot look up a guest");
}

/* A whole-number column of guest id, as sql selects it: 1 and *v, 0 no
 * such guest, -1 with *cause. */
static int
guest_number(struct store *s, const char *sql, int64_t id, int64_t *v, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read a guest");
	return rc == SQLITE_ROW;
}

int
guest_added_at(struct store *s, int64_t id, int64_t *at, char **cause)
{
	return guest_number(s, "SELECT created_at FROM guest WHERE id = ?", id, at, cause);
}

int
guest_short_codes(struct store *s, int shorter_than, int64_t *n, int *shortest, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(CASE WHEN length(code) < ? THEN 1 END),"
	    " coalesce(min(length(code)), 0) FROM guest", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, shorter_than);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		*shortest = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, cause, "cannot read the codes");
}

int
guest_find_by_code(struct store *s, const char *code, struct guest *g, char **cause)
{
	return guest_find_one(s, "SELECT " GUEST_COLUMNS " FROM guest WHERE code = ?", code, g,
	    cause);
}

/* Count one look-up's result f (hit, when f is 1) toward the one guest
 * several look-ups must lead to: *hits is 0 (none yet), 1 (*g), 2 (two
 * guests: nobody's) or -1 (a database error). */
static void
tally(int f, struct guest *hit, struct guest *g, int *hits)
{
	if (f < 0) {
		if (*hits == 1)
			guest_clear(g);
		*hits = -1;
	} else if (f == 1 && *hits == 1 && hit->id == g->id) {
		guest_clear(hit); /* the same guest by another way */
	} else if (f == 1 && *hits == 0) {
		*g = *hit;
		*hits = 1;
	} else if (f == 1) {
		guest_clear(hit);
		if (*hits == 1)
			guest_clear(g);
		*hits = 2;
	}
}

int
guest_find_by_typed_code(struct store *s, const char *code, struct guest *g, char **cause)
{
	int found = guest_find_by_code(s, code, g, cause);
	if (found != 0)
		return found;
	/* Every spelling tried, and taken only when they lead to one guest:
	 * "abc123" and "ABC123" both on the list make "Abc123" nobody's. */
	size_t n = strlen(code);
	char *v = xmalloc(n + 1);
	struct guest hit;
	int hits = 0;
	for (int way = 0; way < 3 && hits >= 0; way++) {
		bool letters = false;
		for (size_t i = 0; i <= n; i++) {
			unsigned char c = (unsigned char)code[i];
			bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
			letters |= lower || upper;
			v[i] = (char)(way == 0 && upper ? c + 32 : way == 1 && lower ? c - 32 :
			    way == 2 && upper ? c + 32 : way == 2 && lower ? c - 32 : c);
		}
		if (!letters)
			break;
		if (strcmp(v, code) == 0)
			continue;
		tally(guest_find_by_code(s, v, &hit, cause), &hit, g, &hits);
		if (hits == 2)
			break;
	}
	free(v);
	if (hits == 2)
		return 0;
	return hits;
}

int
guest_find_by_scanned(struct store *s, const char *code, struct guest *g, char **cause)
{
	int found = guest_find_by_typed_code(s, code, g, cause);
	if (found != 0)
		return found;
	/* A number whose leading zeros a spreadsheet dropped from the list
	 * ("0012345678" saved as 12345678): the ticket still has them. Each
	 * shorter number is tried, and taken when one guest has one of them
	 * ("012345678" and "12345678" both listed: nobody's). */
	size_t zeros = strspn(code, "0");
	if (zeros > 0 && code[zeros] != '\0' && strspn(code, "0123456789") == strlen(code)) {
		struct guest hit;
		int hits = 0;
		for (size_t z = 1; z <= zeros && (hits == 0 || hits == 1); z++)
			tally(guest_find_by_code(s, code + z, &hit, cause), &hit, g, &hits);
		return hits == 2 ? 0 : hits;
	}
	char *parts[CODE_URL_PARTS];
	size_t n = code_url_parts(code, parts);
	struct guest hit;
	int hits = 0;
	for (size_t i = 0; i < n; i++) {
		if (hits == 0 || hits == 1)
			tally(guest_find_by_typed_code(s, parts[i], &hit, cause), &hit, g, &hits);
		free(parts[i]);
	}
	return hits == 2 ? 0 : hits;
}

int
guest_state(struct store *s, const char *guest_uuid, int64_t since, struct guest_state *gs,
    char **cause)
{
	/* A guest has a handful of events; fold them in C rather than in SQL.
	 * An undo row cancels the row it names. Two in the same millisecond
	 * (two doors) are taken in uuid order, which every node has, not in
	 * the order of arrival here (id): else each door would name itself
	 * the first. */
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT c.uuid, c.kind, c.at, c.kiosk FROM checkin c"
	    " WHERE c.guest_uuid = ?1 AND c.kind <> 'undo'"
	    " AND NOT EXISTS (SELECT 1 FROM checkin u WHERE u.kind = 'undo' AND u.undoes = c.uuid)"
	    " ORDER BY c.at, c.uuid", cause);
	if (st == NULL)
		return -1;
	memset(gs, 0, sizeof *gs);
	sqlite3_bind_text(st, 1, guest_uuid, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *kiosk = (const char *)sqlite3_column_text(st, 3);
		int64_t at = sqlite3_column_int64(st, 2);
		bool counted = at >= since;
		gs->last_at = at;
		if (strcmp(kind, "in") == 0) {
			if (gs->ins == 0) {
				gs->first_in_at = at;
				snprintf(gs->first_in_kiosk, sizeof gs->first_in_kiosk, "%s", kiosk);
			}
			if (counted && gs->ins_since == 0) {
				gs->first_since_at = at;
				snprintf(gs->first_since_kiosk, sizeof gs->first_since_kiosk, "%s", kiosk);
			}
			gs->ins++;
			gs->ins_since += counted;
			gs->inside = true;
			gs->last_in_at = at;
			snprintf(gs->last_in_uuid, sizeof gs->last_in_uuid, "%s",
			    (const char *)sqlite3_column_text(st, 0));
		} else {
			gs->outs++;
			gs->outs_since += counted;
			gs->inside = false;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read check-ins");
	return 0;
}

/* The next word of a fold_search_words() list at *p: returns its start and sets
 * *len, advancing *p past it; NULL at the end. */
static const char *
next_word(const char **p, size_t *len)
{
	const char *w = *p;
	while (*w == ' ')
		w++;
	const char *end = strchr(w, ' ');
	if (end == NULL || end == w)
		return NULL;
	*len = (size_t)(end - w);
	*p = end;
	return w;
}

/* Whether a fold_search_words() list holds the word w (len bytes). */
static bool
has_word(const char *words, const char *w, size_t len)
{
	const char *p = words, *x;
	size_t n;
	while ((x = next_word(&p, &n)) != NULL)
		if (n == len && memcmp(x, w, len) == 0)
			return true;
	return false;
}

/* Run sql (one word, one guest id) for each word of a fold_search_words() list
 * that the list except (NULL: none) does not hold. */
static int
each_word(struct store *s, const char *sql, int64_t id, const char *words, const char *except,
    char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	const char *p = words, *w;
	size_t len;
	while ((w = next_word(&p, &len)) != NULL) {
		if (except != NULL && has_word(except, w, len))
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, w, (int)len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_fail(s, cause, "cannot update the search index");
	}
	return 0;
}

#define WORD_ADD "INSERT OR IGNORE INTO guest_word (word, guest_id) VALUES (?, ?)"

int
guest_index(struct store *s, int64_t id, const char *words, char **cause)
{
	return each_word(s, WORD_ADD, id, words, NULL, cause);
}

/* One text column of guest id (sql selects it), into *out. */
static int
stored_text(struct store *s, const char *sql, int64_t id, char **out, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = col_dup(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? util_fail(cause, "no guest %lld", (long long)id) :
		    store_fail(s, cause, "cannot read a guest");
	return 0;
}

int
guest_stored_words(struct store *s, int64_t id, char **words, char **cause)
{
	return stored_text(s, "SELECT words FROM guest WHERE id = ?", id, words, cause);
}

int
guest_stored_language(struct store *s, int64_t id, char **language, char **cause)
{
	return stored_text(s, "SELECT language FROM guest WHERE id = ?", id, language, cause);
}

int
guest_reindex(struct store *s, int64_t id, const char *old_words, const char *new_words,
    char **cause)
{
	/* The exact keys of the primary key: no scan of the whole index. Only
	 * the words that differ (a new last name keeps the first name's): each
	 * is a search at a random place in a large b-tree. */
	if (each_word(s, "DELETE FROM guest_word WHERE word = ? AND guest_id = ?", id, old_words,
	    new_words, cause) != 0)
		return -1;
	return each_word(s, WORD_ADD, id, new_words, old_words, cause);
}

struct word_entry {
	uint64_t head;  /* the word's first 8 bytes, big-endian: most orders end here */
	const char *word; /* in the list's text, once it has stopped moving (flush) */
	size_t at, len; /* where the word is in the list's text */
	int64_t id;
};

/* The words go into one growing text, each NUL-terminated, rather than a
 * string each: a first import of 100,000 guests adds 400,000 of them. */
struct guest_wordlist {
	struct word_entry *e;
	size_t n, cap;
	char *text;
	size_t used, room;
};

struct guest_wordlist *
guest_wordlist_new(void)
{
	return xcalloc(1, sizeof(struct guest_wordlist));
}

static void
wordlist_add(struct guest_wordlist *wl, int64_t id, const char *words)
{
	const char *p = words, *w;
	size_t len;
	while ((w = next_word(&p, &len)) != NULL) {
		if (wl->n == wl->cap) {
			wl->cap = wl->cap ? wl->cap * 2 : 4096;
			wl->e = xreallocarray(wl->e, wl->cap, sizeof *wl->e);
		}
		if (wl->room - wl->used < len + 1) {
			wl->room = wl->room ? wl->room * 2 : 64 * 1024;
			if (wl->room - wl->used < len + 1)
				wl->room = wl->used + len + 1;
			wl->text = xrealloc(wl->text, wl->room);
		}
		uint64_t head = 0;
		for (size_t i = 0; i < 8; i++)
			head = head << 8 | (i < len ? (unsigned char)w[i] : 0);
		memcpy(wl->text + wl->used, w, len);
		wl->text[wl->used + len] = '\0';
		wl->e[wl->n] = (struct word_entry){ head, NULL, wl->used, len, id };
		wl->used += len + 1;
		wl->n++;
	}
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct word_entry *x = a, *y = b;
	/* bytes, as SQLite's BINARY collation: the heads first, then the
	 * rest when both words run past them */
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	int c = (x->head & 0xff) != 0 ? strcmp(x->word + 8, y->word + 8) : 0;
	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Words are written WORDS_PER_STMT to a statement: one statement keeps its
 * cursor where the last (sorted) word went, so the next goes in beside it
 * without a search from the root, and the per-statement cost is paid once
 * for many rows. */
#define WORDS_PER_STMT 64
#define W1 "(?, ?), "
#define W2 W1 W1
#define W4 W2 W2
#define W8 W4 W4
#define W16 W8 W8
#define W32 W16 W16
static const char words_many_sql[] = "INSERT OR IGNORE INTO guest_word (word, guest_id) VALUES "
    W32 W16 W8 W4 W2 W1 "(?, ?)";
#undef W1
#undef W2
#undef W4
#undef W8
#undef W16
#undef W32

int
guest_wordlist_flush(struct store *s, struct guest_wordlist *wl, char **cause)
{
	int rc = 0;
	if (wl->n == 0)
		return 0;
	for (size_t j = 0; j < wl->n; j++)
		wl->e[j].word = wl->text + wl->e[j].at;
	qsort(wl->e, wl->n, sizeof *wl->e, cmp_entry);
	size_t i = 0;
	while (i < wl->n && rc == 0) {
		size_t k = wl->n - i >= WORDS_PER_STMT ? WORDS_PER_STMT : 1;
		sqlite3_stmt *st = store_stmt(s, k > 1 ? words_many_sql :
		    "INSERT OR IGNORE INTO guest_word (word, guest_id) VALUES (?, ?)", cause);
		if (st == NULL) {
			rc = -1;
			break;
		}
		for (size_t j = 0; j < k; j++) {
			sqlite3_bind_text(st, (int)(2 * j + 1), wl->e[i + j].word,
			    (int)wl->e[i + j].len, SQLITE_STATIC);
			sqlite3_bind_int64(st, (int)(2 * j + 2), wl->e[i + j].id);
		}
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_fail(s, cause, "cannot update the search index");
		sqlite3_reset(st);
		i += k;
	}
	wl->n = wl->used = 0;
	return rc;
}

void
guest_wordlist_free(struct guest_wordlist *wl)
{
	if (wl == NULL)
		return;
	free(wl->text);
	free(wl->e);
	free(wl);
}

#define S(x) ((x) ? (x) : "")

int
guest_set_indexed(struct store *s, const char *sql, int64_t id, const char *value, bool *taken,
    char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql, cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* value is the caller's, freed after */
	if (step == SQLITE_DONE)
		return 0;
	if (taken != NULL && sqlite3_extended_errcode(store_db(s)) == SQLITE_CONSTRAINT_UNIQUE) {
		*taken = true;
		return 0;
	}
	return store_fail(s, cause, "cannot update a guest");
}

void
guest_bind_fields(sqlite3_stmt *st, const char *uuid, const char *code,
    const struct guest_fields *f)
{
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, S(f->ext_id), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, S(f->first_name), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, S(f->last_name), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, S(f->email), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, S(f->company), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, S(f->ticket_type), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, S(f->handle), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, f->extra ? f->extra : "{}", -1, SQLITE_STATIC);
}

int
guest_insert(struct store *s, const struct guest_fields *f, const char *code,
    const char *source, bool cancelled, const char *match_key, const char *by,
    struct guest_wordlist *wl, struct guest *g, char **cause)
{
	char *uuid = util_uuid(), *words = NULL;
	int64_t now = store_now(s);
	int rc = -1;
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO guest (uuid, code, ext_id, first_name, last_name, email, company,"
	    " ticket_type, handle, extra, source, cancelled, match_key, sort_key, words,"
	    " created_at, updated_at, updated_by, rev, dirty, language, cancelled_at) VALUES (?1,"
	    " ?2, nullif(?3, ''), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?16, ?17, ?14, ?14,"
	    " ?15, (SELECT coalesce(max(rev), 0) + 1 FROM guest), 1, ?18, ?14)", cause);
	if (st == NULL)
		goto out;
	guest_bind_fields(st, uuid, code, f);
	sqlite3_bind_text(st, 11, source, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, cancelled);
	if (match_key)
		sqlite3_bind_text(st, 13, match_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 14, now);
	sqlite3_bind_text(st, 15, by, -1, SQLITE_STATIC);
	if (f->sort_key != NULL)
		sqlite3_bind_text(st, 16, f->sort_key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, 16, fold_sort_key(S(f->first_name), S(f->last_name)), -1,
		    free);
	if (f->words == NULL)
		words = fold_search_words(S(f->first_name), S(f->last_name), S(f->email));
	const char *w = f->words != NULL ? f->words : words;
	sqlite3_bind_text(st, 17, w, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 18, S(f->language), -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot add the guest");
		goto out;
	}
	int64_t id = sqlite3_last_insert_rowid(store_db(s));
	if (wl != NULL)
		wordlist_add(wl, id, w);
	else if (guest_index(s, id, w, cause) != 0)
		goto out;
	if (g != NULL) {
		g->id = id;
		g->uuid = uuid;
		uuid = NULL;
		g->code = xstrdup(code);
		g->ext_id = xstrdup(S(f->ext_id));
		g->first_name = xstrdup(S(f->first_name));
		g->last_name = xstrdup(S(f->last_name));
		g->email = xstrdup(S(f->email));
		g->company = xstrdup(S(f->company));
		g->ticket_type = xstrdup(S(f->ticket_type));
		g->handle = xstrdup(S(f->handle));
		g->extra = xstrdup(f->extra ? f->extra : "{}");
		g->source = xstrdup(source);
		g->cancelled = cancelled;
		g->updated_at = now;
		g->updated_by = xstrdup(by);
	}
	rc = 0;
out:
	free(words);
	free(uuid);
	return rc;
}

int
guest_add_walkin(struct store *s, const struct guest_fields *f, const char *by,
    struct guest *g, char **cause)
{
	char *code = NULL, *v[6] = { NULL };
	int rc = -1;

	if (util_text_check("first name", f->first_name, cause) != 0 ||
	    util_text_check("last name", f->last_name, cause) != 0 ||
	    util_text_check("e-mail", f->email, cause) != 0 ||
	    util_text_check("company", f->company, cause) != 0 ||
	    util_text_check("ticket type", f->ticket_type, cause) != 0 ||
	    util_text_check("handle", f->handle, cause) != 0 ||
	    util_text_check("external id", f->ext_id, cause) != 0 ||
	    util_text_check("extra fields", f->extra, cause) != 0 ||
	    util_name_check("kiosk name", by, UTIL_NAME_MAX, cause) != 0 ||
	    store_clock_check(s, cause) != 0)
		return -1;
	/* As an import cleans its fields: a no-break space after an e-mail
	 * (pasted from a web page) would keep the ticket from being mailed,
	 * and a name of zero-width spaces is no name. */
	const char *const given[6] = { f->first_name, f->last_name, f->email, f->company,
	    f->ticket_type, f->handle };
	for (int i = 0; i < 6; i++)
		v[i] = util_trim_invisible(given[i]);
	if (util_blank(v[0]) && util_blank(v[1])) {
		util_fail(cause, "a walk-in needs a first or a last name");
		goto out;
	}
	struct guest_fields tf = *f;
	tf.first_name = v[0];
	tf.last_name = v[1];
	tf.email = v[2];
	tf.company = v[3];
	tf.ticket_type = v[4];
	tf.handle = v[5];
	f = &tf;
	code = code_new(store_event(s)->tag);
	if (code == NULL) {
		util_fail(cause, "cannot read the system's random source");
		goto out;
	}
	if (store_begin(s, cause) != 0)
		goto out;
	if (guest_insert(s, f, code, "walkin", false, NULL, by, NULL, g, cause) != 0)
		goto out;
	if (store_commit(s, cause) != 0) {
		guest_clear(g);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		store_rollback(s);
	free(code);
	for (int i = 0; i < 6; i++)
		free(v[i]);
	return rc;
}

int
guest_find_twin(struct store *s, const char *first, const char *last, const char *email,
    int64_t not_id, struct guest *g, char **cause)
{
	char *v[3] = { util_trim_invisible(S(first)), util_trim_invisible(S(last)),
	    util_trim_invisible(S(email)) };
	char *sort = util_blank(v[0]) && util_blank(v[1]) ? NULL : fold_sort_key(v[0], v[1]);
	int rc = -1;
	/* The name by its index; the e-mail, which has none, by reading the
	 * list (a walk-in is registered now and then, not at every scan). A
	 * guest of both comes first. */
	sqlite3_stmt *st = store_stmt(s, "SELECT " GUEST_COLUMNS ", sort_key IS ?2 FROM guest"
	    " WHERE id <> ?1 AND NOT cancelled AND (sort_key = ?2 OR (?3 <> '' AND"
	    " email = ?3 COLLATE NOCASE)) ORDER BY (sort_key IS ?2) + (email = ?3 COLLATE NOCASE)"
	    " DESC, id LIMIT 1", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, not_id);
	if (sort != NULL)
		sqlite3_bind_text(st, 2, sort, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, util_blank(v[2]) ? "" : v[2], -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	rc = 0;
	if (step == SQLITE_ROW) {
		guest_from_row(st, g);
		rc = sqlite3_column_int(st, 15) ? GUEST_TWIN_NAME : GUEST_TWIN_EMAIL;
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(s, cause, "cannot look up a guest");
out:
	free(sort);
	for (int i = 0; i < 3; i++)
		free(v[i]);
	return rc;
}

int
guest_set_cancelled(struct store *s, const char *code, bool cancelled, const char *by,
    struct guest *g, char **cause)
{
	int rc = -1;

	memset(g, 0, sizeof *g);
	if (util_name_check("kiosk name", by, UTIL_NAME_MAX, cause) != 0 ||
	    store_begin(s, cause) != 0)
		return -1;
	int found = guest_find_by_code(s, code, g, cause);
	if (found <= 0) {
		if (found == 0)
			util_fail(cause, "no guest has the code '%s'", code);
		goto out;
	}
	if (g->cancelled == cancelled) {
		rc = 1;
		goto out;
	}
	int64_t forgotten;
	if (guest_forgotten_at(s, g->id, &forgotten, cause) != 0)
		goto out;
	if (forgotten != 0) {
		util_fail(cause, "the guest of code '%s' was forgotten with kiosk forget: their "
		    "ticket cannot be made valid again (add them again with kiosk add, with their "
		    "consent)", code);
		goto out;
	}
	/* Only the cancellation is new: the fields keep their stamp
	 * (merge.h), and sync keeps a correction of the name made elsewhere
	 * meanwhile. The record's stamp moves too, for older kiosks, which
	 * take a copy only whole. */
	sqlite3_stmt *st = store_stmt(s, "UPDATE guest SET cancelled = ?1,"
	    " fields_at = coalesce(fields_at, updated_at), updated_at = ?2, cancelled_at = ?2,"
	    " updated_by = ?3, dirty = 1, rev = (SELECT coalesce(max(rev), 0) + 1 FROM guest)"
	    " WHERE id = ?4", cause);
	if (st == NULL)
		goto out;
	int64_t now = merge_stamp(store_now(s), g->updated_at);
	sqlite3_bind_int(st, 1, cancelled);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, g->id);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot change the guest");
		goto out;
	}
	if (store_commit(s, cause) != 0)
		goto out;
	g->cancelled = cancelled;
	g->updated_at = now;
	free(g->updated_by);
	g->updated_by = xstrdup(by);
	return 0;
out:
	store_rollback(s);
	if (rc != 1)
		guest_clear(g);
	return rc;
}

char *
guest_forget_key(struct store *s, const char *first, const char *last, const char *email)
{
	unsigned char h[FORGOTTEN_KEY_LEN / 2];
	char hex[FORGOTTEN_KEY_LEN + 1];
	const char *key = store_event(s)->uuid;
	char *k = fold_name_key(first, last, email);
	/* a key shorter than BLAKE2b takes (an event of a hand-made uuid)
	 * is padded: the same for every node of the event */
	unsigned char kb[crypto_generichash_KEYBYTES_MAX] = { 0 };
	size_t kn = strlen(key);
	if (kn > sizeof kb)
		kn = sizeof kb;
	memcpy(kb, key, kn);
	crypto_generichash(h, sizeof h, (const unsigned char *)k, strlen(k), kb,
	    kn < crypto_generichash_KEYBYTES_MIN ? crypto_generichash_KEYBYTES_MIN : kn);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	sodium_memzero(k, strlen(k));
	free(k);
	return xstrdup(hex);
}

int
guest_forgotten_at(struct store *s, int64_t id, int64_t *at, char **cause)
{
	*at = 0;
	return guest_number(s, "SELECT forgotten_at FROM guest WHERE id = ?", id, at, cause) < 0 ?
	    -1 : 0;
}

int
guest_erase(struct store *s, int64_t id, int64_t at, char **cause)
{
	char *key = NULL, *words = NULL, *none = NULL, *sort = NULL;
	int rc = -1;
	sqlite3_stmt *st = store_stmt(s, "SELECT first_name, last_name, email, words, uuid"
	    " FROM guest WHERE id = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	char *uuid = NULL;
	if (step == SQLITE_ROW) {
		const char *first = (const char *)sqlite3_column_text(st, 0);
		const char *last = (const char *)sqlite3_column_text(st, 1);
		const char *email = (const char *)sqlite3_column_text(st, 2);
		/* a copy emptied already (forgotten elsewhere) has no name to key */
		if ((first && *first) || (last && *last))
			key = guest_forget_key(s, first, last, email);
		words = col_dup(st, 3);
		uuid = col_dup(st, 4);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW) {
		if (step == SQLITE_DONE)
			util_fail(cause, "no such guest");
		else
			store_fail(s, cause, "cannot read a guest");
		goto out;
	}
	/* the words of no name, as sync writes them for a copy that has none */
	none = fold_search_words("", "", "");
	sort = fold_sort_key("", "");
	st = store_stmt(s, "UPDATE guest SET first_name = '', last_name = '', email = '',"
	    " company = '', handle = '', extra = '{}', language = '', words = ?4, cancelled = 1,"
	    " forgotten_at = ?2, forgotten_key = coalesce(?3, forgotten_key) WHERE id = ?1", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	if (key != NULL)
		sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, none, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* key is freed below */
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot erase a guest");
		goto out;
	}
	/* the indexed columns apart (guest_set_indexed), and the words'
	 * entries by their exact keys */
	if (guest_set_indexed(s, "UPDATE guest SET sort_key = ?1 WHERE id = ?2 AND"
	    " sort_key IS NOT ?1", id, sort, NULL, cause) != 0 ||
	    guest_set_indexed(s, "UPDATE guest SET match_key = nullif(?1, '') WHERE id = ?2 AND"
	    " match_key IS NOT NULL", id, "", NULL, cause) != 0 ||
	    guest_reindex(s, id, words, none, cause) != 0)
		goto out;
	st = store_stmt(s, "UPDATE mail SET address = '', detail = NULL WHERE guest_uuid = ?",
	    cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot erase a guest's ticket e-mails");
		goto out;
	}
	rc = 0;
out:
	free(key);
	free(words);
	free(none);
	free(sort);
	free(uuid);
	return rc;
}

int
guest_forget(struct store *s, const int64_t *ids, size_t n, const char *by, int64_t *at,
    bool *wal_emptied, char **cause)
{
	int rc = -1;

	if (util_name_check("kiosk name", by, UTIL_NAME_MAX, cause) != 0 ||
	    store_secure_delete(s, true, cause) != 0)
		return -1;
	if (store_begin(s, cause) != 0)
		goto out;
	int64_t now = store_now(s);
	for (size_t i = 0; i < n; i++) {
		int64_t was, stamp;
		sqlite3_stmt *st = store_stmt(s, "SELECT forgotten_at, updated_at FROM guest"
		    " WHERE id = ?", cause);
		if (st == NULL)
			goto out;
		sqlite3_bind_int64(st, 1, ids[i]);
		int step = sqlite3_step(st);
		was = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		stamp = step == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
		sqlite3_reset(st);
		if (step != SQLITE_ROW) {
			if (step == SQLITE_DONE)
				util_fail(cause, "no such guest");
			else
				store_fail(s, cause, "cannot read a guest");
			goto out;
		}
		if (was != 0)
			continue;
		/* A whole new copy, fields and cancellation of one stamp: an
		 * older kiosk takes it so, and every node's copy is emptied. */
		stamp = merge_stamp(now, stamp);
		if (guest_erase(s, ids[i], stamp, cause) != 0)
			goto out;
		st = store_stmt(s, "UPDATE guest SET fields_at = NULL, updated_at = ?1,"
		    " cancelled_at = ?1, updated_by = ?2, dirty = 1,"
		    " rev = (SELECT coalesce(max(rev), 0) + 1 FROM guest) WHERE id = ?3", cause);
		if (st == NULL)
			goto out;
		sqlite3_bind_int64(st, 1, stamp);
		sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, ids[i]);
		step = sqlite3_step(st);
		sqlite3_reset(st);
		if (step != SQLITE_DONE) {
			store_fail(s, cause, "cannot change the guest");
			goto out;
		}
	}
	if (store_commit(s, cause) != 0)
		goto out;
	*at = now;
	int t = store_checkpoint_truncate(s, cause);
	if (t < 0 && cause != NULL) {
		/* committed: the erasure stands; the old pages wait for the
		 * WAL to start over */
		free(*cause);
		*cause = NULL;
	}
	*wal_emptied = t == 1;
	rc = 0;
out:
	if (rc != 0)
		store_rollback(s);
	char *ignored = NULL;
	store_secure_delete(s, false, &ignored);
	free(ignored);
	return rc;
}

/* Search: the typed word with the fewest matches drives, through the
 * guest_word index (a range on its primary key); the others must start a
 * word of the guest's word list (" tok" inside guest.words). Candidates from the index are
 * capped, so a two-letter prefix shared by a fifth of a 100,000-guest list
 * costs a bounded, small amount per keystroke: the guests listed are then
 * those whose matching word sorts first, and the next letter typed narrows
 * it. A whole name of two common words ("wei wang", "kris janssens" at a
 * large event) has no next letter: when every word is over the cap but two
 * of them are within SEARCH_CAP_WIDE, the candidates are the guests in
 * both of those ranges, whole, intersected in the index alone (no guest
 * row read), so that every match is found. */
#define SEARCH_SQL "SELECT id, first_name, last_name, sort_key FROM guest WHERE id IN" \
	" (SELECT guest_id FROM guest_word WHERE word >= ?1 AND word < ?2 LIMIT ?3)" \
	" AND instr(words, ?4) AND instr(words, ?5) AND instr(words, ?6)"
#define SEARCH_SQL_BOTH "SELECT id, first_name, last_name, sort_key FROM guest WHERE id IN" \
	" (SELECT guest_id FROM guest_word WHERE word >= ?1 AND word < ?2" \
	"  INTERSECT SELECT guest_id FROM guest_word WHERE word >= ?8 AND word < ?9)" \
	" AND instr(words, ?4) AND instr(words, ?5) AND instr(words, ?6)"
#define SEARCH_CAP_ONE 300      /* candidates for a one-word query */
#define SEARCH_CAP_MORE 500     /* candidates when other words filter them */
#define SEARCH_CAP_WIDE 2000    /* entries of each of two ranges intersected */

struct words {
	char *w[GUEST_SEARCH_WORDS];
	size_t n;
	size_t total;          /* folded characters over all words */
};

/* Bytes of the gap between two typed words that p starts at, or 0: a
 * space, a tab, a comma ("Martens, Zoe"), or white space beyond ASCII (a
 * no-break space pasted, or typed with AltGr or Option held), as a name's
 * words are parted for the index (fold_words). */
static size_t
query_gap(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == ',')
		return 1;
	return fold_space(p, strnlen(p, 4));
}

/* The typed words, folded, into ws; into spelt the same words with ä, ö,
 * ü and ø spelt ae, oe, ue and oe where they were typed, for a list that
 * wrote the name without them ("müller" typed, Mueller listed). true when
 * any was: spelt is not ws. */
static bool
query_words(const char *query, struct words *ws, struct words *spelt)
{
	bool any = false;
	memset(ws, 0, sizeof *ws);
	memset(spelt, 0, sizeof *spelt);
	const char *p = query;
	while (*p && ws->n < GUEST_SEARCH_WORDS) {
		size_t k;
		while ((k = query_gap(p)) > 0)
			p += k;
		const char *start = p;
		while (*p && query_gap(p) == 0)
			p++;
		if (p == start)
			break;
		char *part = xstrndup(start, (size_t)(p - start));
		char *w = fold_key(part), *sp = fold_key_spelt(part);
		free(part);
		if (*w == '\0') {
			free(w);
			free(sp);
			continue;
		}
		any = any || sp != NULL;
		ws->total += strlen(w);
		ws->w[ws->n++] = w;
		spelt->w[spelt->n] = sp != NULL ? sp : xstrdup(w);
		spelt->total += strlen(spelt->w[spelt->n++]);
	}
	return any;
}

/* Step a guest query, calling fn (if any) per row until it returns
 * non-zero. Returns the rows visited, or -1 with *cause ("PATH: what: ..."). */
static int
each_row(struct store *s, sqlite3_stmt *st, guest_fn fn, void *arg, const char *what,
    char **cause)
{
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct guest g;
		guest_from_row(st, &g);
		n++;
		int stop = fn ? fn(&g, arg) : 0;
		guest_clear(&g);
		if (stop)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, what);
	return n;
}

/* Index entries starting with w, counted up to max. Returns -1 on error. */
static int
prefix_count(struct store *s, const char *w, int max, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM (SELECT 1 FROM guest_word"
	    " WHERE word >= ?1 AND word < ?2 LIMIT ?3)", cause);
	if (st == NULL)
		return -1;
	char *hi = xasprintf("%s\xff", w);
	sqlite3_bind_text(st, 1, w, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max);
	int rc = sqlite3_step(st), n = -1;
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	free(hi);
	if (n < 0)
		store_fail(s, cause, "cannot search");
	return n;
}

/* Index entries counted for one search, each word's with its cap: the
 * search with particles joined shares the other words ("emma lucas van
 * de" and "emma lucas vande"), and counting up to SEARCH_CAP_WIDE is most
 * of a search's time. */
struct counts {
	const char *w[2 * GUEST_SEARCH_WORDS];
	int max[2 * GUEST_SEARCH_WORDS], n[2 * GUEST_SEARCH_WORDS];
	size_t len;
};

static int
counted(struct store *s, struct counts *c, const char *w, int max, char **cause)
{
	for (size_t i = 0; i < c->len; i++)
		if (c->max[i] == max && strcmp(c->w[i], w) == 0)
			return c->n[i];
	int n = prefix_count(s, w, max, cause);
	if (n >= 0 && c->len < sizeof c->w / sizeof c->w[0]) {
		c->w[c->len] = w;
		c->max[c->len] = max;
		c->n[c->len++] = n;
	}
	return n;
}

/* The rarest two of the words typed (two or more), by index entries
 * counted up to cap + 1: into *drive and *second, the second's count into
 * *next. Returns the rarest's count, or -1 on error. Counts over cap tie;
 * then the longer word is likely the rarer. */
static int
rarest(struct store *s, struct counts *c, const struct words *ws, int cap, size_t *drive,
    size_t *second, int *next_n, char **cause)
{
	int best = -1, next = -1;
	*drive = *second = 0;
	for (size_t i = 0; i < ws->n; i++) {
		int n = counted(s, c, ws->w[i], cap + 1, cause);
		if (n < 0)
			return -1;
		if (best < 0 || n < best ||
		    (n == best && strlen(ws->w[i]) > strlen(ws->w[*drive]))) {
			*second = *drive;
			next = best;
			best = n;
			*drive = i;
		} else if (next < 0 || n < next ||
		    (n == next && strlen(ws->w[i]) > strlen(ws->w[*second]))) {
			next = n;
			*second = i;
		}
	}
	*next_n = next;
	return best;
}

/* Whether the typed words ws found g by its name, not by its e-mail alone.
 * Each word starting a word of the sort key (the folded name, "lefevre
 * bram") says so without more; only a guest for whom some word does not
 * (mostly one found through the e-mail) has the name's words made as the
 * index makes them (fold_name_starts: particles apart, "mueller" typed for
 * "Müller"), which costs more. */
static bool
found_by_name(const struct guest *g, const char *sort_key, const struct words *ws)
{
	bool starts = sort_key != NULL;
	for (size_t i = 0; i < ws->n && starts; i++) {
		const char *p = sort_key;
		size_t k = strlen(ws->w[i]);
		starts = false;
		while (p != NULL && !starts) {
			starts = strncmp(p, ws->w[i], k) == 0;
			if ((p = strchr(p, ' ')) != NULL)
				p++;
		}
	}
	return starts ||
	    fold_name_starts(g->first_name, g->last_name, (const char *const *)ws->w, ws->n);
}

/* A guest a search found, kept to be put in order with those of its other
 * passes (umlauts spelt out, particles joined) before any is listed. */
struct hit {
	struct guest g;
	char *sort_key;         /* the folded name: name order within a rank */
	int rank;               /* rank_guest() of the words typed, twice, plus one
	                         * when found with umlauts spelt out */
	bool by_name;           /* the typed words start the name (found_by_name) */
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

/* The hits in the order listed: those found by name before those found
 * through their e-mail alone (tickets bought together on one address,
 * bram.lefevre@..., must not list Julie Goossens above Bram Lefèvre when
 * "lefev" is typed, where the door's Return picks the first); then by
 * rank (rank.h: the surname as typed first); then in name order. */
static int
cmp_hit(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;
	if (a->by_name != b->by_name)
		return a->by_name ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	int c = strcmp(a->sort_key, b->sort_key);
	if (c != 0)
		return c;
	return a->g.id < b->g.id ? -1 : a->g.id > b->g.id;
}

static void
hits_free(struct hits *h)
{
	for (size_t i = 0; i < h->n; i++) {
		guest_clear(&h->v[i].g);
		free(h->v[i].sort_key);
	}
	free(h->v);
}

/* A candidate of one pass, ranked, among the limit best so far. */
struct cand {
	int64_t id;
	int rank;
	char *sort_key;
};

static int
cmp_cand(const struct cand *a, int rank, const char *key, int64_t id)
{
	if (a->rank != rank)
		return a->rank < rank ? -1 : 1;
	int c = strcmp(a->sort_key, key);
	if (c != 0)
		return c;
	return a->id < id ? -1 : a->id > id;
}

/* The candidates st gives (id, first name, last name, sort key), ranked
 * (rank.h, twice the rank plus spelt), the limit best read whole and
 * added to h, but for those an earlier pass found. Ranked here, as rows
 * are stepped, not by SQL: a search ranks up to a few thousand candidates
 * a keystroke, and reads only these four columns of each, and only the
 * limit best whole. Returns the candidates stepped, or -1 with *cause. */
static int
collect_hits(struct store *s, sqlite3_stmt *st, const struct words *ws,
    const struct rank_query *rq, bool spelt, int limit, struct hits *h, char **cause)
{
	struct cand *top = xcalloc((size_t)limit, sizeof *top);
	int n = 0, ntop = 0, rc, out = -1;
	size_t before = h->n;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		int64_t id = sqlite3_column_int64(st, 0);
		bool dup = false;
		for (size_t i = 0; i < before && !dup; i++)
			dup = h->v[i].g.id == id;
		if (dup)
			continue;
		const char *first = (const char *)sqlite3_column_text(st, 1);
		const char *last = (const char *)sqlite3_column_text(st, 2);
		const char *key = (const char *)sqlite3_column_text(st, 3);
		int rank = 2 * rank_guest(rq, first, last) + spelt;
		key = key != NULL ? key : "";
		if (ntop == limit && cmp_cand(&top[ntop - 1], rank, key, id) <= 0)
			continue;
		/* in order, the worst dropped when full */
		int at = ntop == limit ? ntop - 1 : ntop;
		if (ntop == limit)
			free(top[at].sort_key);
		else
			ntop++;
		while (at > 0 && cmp_cand(&top[at - 1], rank, key, id) > 0) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = (struct cand){ id, rank, xstrdup(key) };
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot search");
		goto done;
	}
	sqlite3_stmt *one = store_stmt(s, "SELECT " GUEST_COLUMNS " FROM guest WHERE id = ?",
	    cause);
	if (one == NULL)
		goto done;
	for (int i = 0; i < ntop; i++) {
		sqlite3_bind_int64(one, 1, top[i].id);
		rc = sqlite3_step(one);
		if (rc == SQLITE_ROW) {
			if (h->n == h->cap) {
				h->cap = h->cap ? 2 * h->cap : 16;
				h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
			}
			struct hit *x = &h->v[h->n++];
			guest_from_row(one, &x->g);
			x->sort_key = top[i].sort_key;
			top[i].sort_key = NULL;
			x->rank = top[i].rank;
			x->by_name = found_by_name(&x->g, x->sort_key, ws);
		}
		sqlite3_reset(one);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			store_fail(s, cause, "cannot search");
			goto done;
		}
	}
	out = n;
done:
	for (int i = 0; i < ntop; i++)
		free(top[i].sort_key);
	free(top);
	return out;
}

/* Guests whose words the typed words ws start, the limit best ranked by
 * the words typed (typed: folded, parted by spaces), added to h; spelt:
 * ws are the typed words with their umlauts spelt out, whose guests come
 * after those of the same rank found as typed ("müller": Müller, then
 * Mueller).
 * *capped: the candidates were cut at the cap, so that more guests may
 * match than were found. */
static int
search_words(struct store *s, struct counts *c, const struct words *ws, const char *typed,
    bool spelt, int limit, struct hits *h, bool *capped, char **cause)
{
	char *hi = NULL, *hi2 = NULL, *other[GUEST_SEARCH_WORDS - 1] = { NULL };
	int found = 0;

	/* The word with the fewest index entries drives: "van d" is driven by
	 * "d" when fewer names start with d than with van. A driver within the
	 * cap finds every match. All over it, the two rarest within
	 * SEARCH_CAP_WIDE are intersected, or the one within it is read whole:
	 * every match again. */
	size_t drive = 0, second = 0;
	bool both = false;
	int cap = ws->n == 1 ? SEARCH_CAP_ONE : SEARCH_CAP_MORE;
	if (ws->n > 1) {
		int next, best = rarest(s, c, ws, SEARCH_CAP_MORE, &drive, &second, &next, cause);
		if (best > SEARCH_CAP_MORE) {
			best = rarest(s, c, ws, SEARCH_CAP_WIDE, &drive, &second, &next, cause);
			if (next <= SEARCH_CAP_WIDE)
				both = true;
			else if (best <= SEARCH_CAP_WIDE)
				cap = best;   /* one word within it: its whole range ("jan
				               * pauwels", the other word too common) */
		}
		if (best < 0)
			return -1;
		if (!both && best > cap)
			*capped = true;
	}
	sqlite3_stmt *st = store_stmt(s, both ? SEARCH_SQL_BOTH : SEARCH_SQL, cause);
	if (st == NULL)
		return -1;
	/* Every word starting with w sorts below w followed by 0xFF, a byte
	 * that never occurs in UTF-8. */
	hi = xasprintf("%s\xff", ws->w[drive]);
	sqlite3_bind_text(st, 1, ws->w[drive], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	if (both) {
		hi2 = xasprintf("%s\xff", ws->w[second]);
		sqlite3_bind_text(st, 8, ws->w[second], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, hi2, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int(st, 3, cap);
	}
	for (size_t i = 0, k = 0; i < GUEST_SEARCH_WORDS; i++) {
		if (i == drive)
			continue;
		/* Unused slots look for " ", which every word list holds. */
		other[k] = i < ws->n ? xasprintf(" %s", ws->w[i]) : xstrdup(" ");
		sqlite3_bind_text(st, (int)(4 + k), other[k], -1, SQLITE_STATIC);
		k++;
	}
	struct rank_query rq;
	rank_query_parse(&rq, typed);
	found = collect_hits(s, st, ws, &rq, spelt, limit, h, cause);
	if (ws->n == 1 && found >= SEARCH_CAP_ONE)
		*capped = true;   /* as many as the candidates: there may be more */
	for (size_t i = 0; i < GUEST_SEARCH_WORDS - 1; i++)
		free(other[i]);
	free(hi);
	free(hi2);
	return found;
}

/* The typed words with the first run of particles joined to the word after
 * them, as a list may write the name ("van den berghe" as Vandenberghe,
 * "de smet" as Desmet, "mc donald" as McDonald; "jan van den berghe" keeps
 * "jan"). false when no run of particles is followed by a word. A name
 * written apart on the list and typed joined is found already: the index
 * holds the joined words too (fold_words). */
static bool
join_particles(const struct words *ws, struct words *out)
{
	size_t i = 0, j;
	while (i < ws->n && !rank_particle(ws->w[i]))
		i++;
	for (j = i; j < ws->n && rank_particle(ws->w[j]); j++)
		;
	if (i == ws->n || (j == ws->n && j - i < 2))
		return false;
	if (j == ws->n)
		j--;   /* particles to the end, still being typed: "van den" */
	memset(out, 0, sizeof *out);
	struct buf b;
	buf_init(&b, 0);
	for (size_t k = i; k <= j; k++)
		buf_addf(&b, "%s", ws->w[k]);
	for (size_t k = 0; k < ws->n; k++) {
		if (k == i)
			out->w[out->n++] = xstrdup(buf_cstr(&b));
		else if (k < i || k > j)
			out->w[out->n++] = xstrdup(ws->w[k]);
	}
	out->total = ws->total;
	buf_free(&b);
	return true;
}

int
guest_search(struct store *s, const char *query, int limit, guest_fn fn, void *arg,
    char **cause)
{
	return guest_search_more(s, query, limit, fn, arg, NULL, cause);
}

bool
guest_query_ready(const char *query)
{
	struct words ws, spelt;
	query_words(query, &ws, &spelt);
	bool ready = ws.n > 0 && ws.total >= GUEST_SEARCH_MIN;
	for (size_t i = 0; i < GUEST_SEARCH_WORDS; i++) {
		free(ws.w[i]);
		free(spelt.w[i]);
	}
	return ready;
}

/* ws's words parted by single spaces, as kiosk_rank reads them. */
static char *
typed_text(const struct words *ws)
{
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < ws->n; i++)
		buf_addf(&b, "%s%s", i > 0 ? " " : "", ws->w[i]);
	return buf_take(&b);
}

int
guest_search_more(struct store *s, const char *query, int limit, guest_fn fn, void *arg,
    bool *more, char **cause)
{
	bool capped = false;
	struct words ws, spelt, joined = { 0 };
	struct hits h = { NULL, 0, 0 };
	struct counts c = { .len = 0 };
	char *typed = NULL, *typed_spelt = NULL;
	int found = 0;

	if (more != NULL)
		*more = false;
	bool umlauts = query_words(query, &ws, &spelt);
	if (ws.n == 0 || ws.total < GUEST_SEARCH_MIN || limit <= 0)
		goto out;
	/* The guests found as typed, with the name's umlauts spelt out, and
	 * with its particles joined, as the list may write it, all ranked
	 * by the words typed and put in one order: "van de" lists Lies
	 * Vandevelde with the Van de Veldes, not after everyone else. */
	typed = typed_text(&ws);
	typed_spelt = umlauts ? typed_text(&spelt) : NULL;
	if (search_words(s, &c, &ws, typed, false, limit, &h, &capped, cause) < 0 ||
	    (umlauts && search_words(s, &c, &spelt, typed_spelt, true, limit, &h, &capped, cause) < 0) ||
	    (join_particles(&ws, &joined) &&
	    search_words(s, &c, &joined, typed, false, limit, &h, &capped, cause) < 0)) {
		found = -1;
		goto out;
	}
	if (h.n > 1)
		qsort(h.v, h.n, sizeof *h.v, cmp_hit);
	for (size_t i = 0; i < h.n && found < limit; i++) {
		found++;
		if (fn != NULL && fn(&h.v[i].g, arg) != 0)
			break;
	}
	if (more != NULL)
		*more = capped && found < limit;
out:
	for (size_t i = 0; i < GUEST_SEARCH_WORDS; i++) {
		free(ws.w[i]);
		free(spelt.w[i]);
		free(joined.w[i]);
	}
	hits_free(&h);
	free(typed);
	free(typed_spelt);
	return found;
}

int
guest_each(struct store *s, guest_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " GUEST_COLUMNS " FROM guest"
	    " ORDER BY sort_key, id", cause);
	return st == NULL ? -1 : each_row(s, st, fn, arg, "cannot list guests", cause);
}

int
guest_each_since(struct store *s, int64_t since, guest_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " GUEST_COLUMNS " FROM guest"
	    " WHERE created_at >= ? ORDER BY sort_key, id", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	return each_row(s, st, fn, arg, "cannot list guests", cause);
}

#undef S
