/* guest: the guest list of an event (see guest.h). */
#include "core/guest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/code.h"
#include "core/fold.h"
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
guest_sort_key(const char *first, const char *last)
{
	char *a = fold_key(last), *b = fold_key(first);
	char *k = xasprintf("%s %s", a, b);
	free(a);
	free(b);
	return k;
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

int
guest_find_by_code(struct store *s, const char *code, struct guest *g, char **cause)
{
	return guest_find_one(s, "SELECT " GUEST_COLUMNS " FROM guest WHERE code = ?", code, g,
	    cause);
}

int
guest_state(struct store *s, const char *guest_uuid, struct guest_state *gs, char **cause)
{
	/* A guest has a handful of events; fold them in C rather than in SQL.
	 * An undo row cancels the row it names. */
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT c.uuid, c.kind, c.at, c.kiosk FROM checkin c"
	    " WHERE c.guest_uuid = ?1 AND c.kind <> 'undo'"
	    " AND NOT EXISTS (SELECT 1 FROM checkin u WHERE u.kind = 'undo' AND u.undoes = c.uuid)"
	    " ORDER BY c.at, c.id", cause);
	if (st == NULL)
		return -1;
	memset(gs, 0, sizeof *gs);
	sqlite3_bind_text(st, 1, guest_uuid, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		int64_t at = sqlite3_column_int64(st, 2);
		if (strcmp(kind, "in") == 0) {
			if (gs->ins == 0) {
				gs->first_in_at = at;
				snprintf(gs->first_in_kiosk, sizeof gs->first_in_kiosk, "%s",
				    (const char *)sqlite3_column_text(st, 3));
			}
			gs->ins++;
			gs->inside = true;
			gs->last_in_at = at;
			snprintf(gs->last_in_uuid, sizeof gs->last_in_uuid, "%s",
			    (const char *)sqlite3_column_text(st, 0));
		} else {
			gs->outs++;
			gs->inside = false;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read check-ins");
	return 0;
}

struct index_ctx {
	sqlite3_stmt *st;
	int64_t id;
	int rc;
};

static void
index_word(const char *word, void *arg)
{
	struct index_ctx *ctx = arg;
	sqlite3_reset(ctx->st);
	sqlite3_bind_text(ctx->st, 1, word, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ctx->st, 2, ctx->id);
	if (sqlite3_step(ctx->st) != SQLITE_DONE)
		ctx->rc = -1;
	sqlite3_reset(ctx->st);
}

int
guest_index(struct store *s, int64_t id, const char *first, const char *last,
    const char *email, char **cause)
{
	sqlite3_stmt *del = store_stmt(s, "DELETE FROM guest_word WHERE guest_id = ?", cause);
	if (del == NULL)
		return -1;
	sqlite3_bind_int64(del, 1, id);
	if (sqlite3_step(del) != SQLITE_DONE) {
		sqlite3_reset(del);
		return store_fail(s, cause, "cannot update the search index");
	}
	sqlite3_reset(del);
	struct index_ctx ctx = { NULL, id, 0 };
	ctx.st = store_stmt(s, "INSERT OR IGNORE INTO guest_word (word, guest_id) VALUES (?, ?)",
	    cause);
	if (ctx.st == NULL)
		return -1;
	fold_words(first, index_word, &ctx);
	fold_words(last, index_word, &ctx);
	/* The whole name too, so "jan de" finds "Jan de Vries" as typed. */
	char *full = xasprintf("%s %s", first, last);
	fold_words(full, index_word, &ctx);
	free(full);
	fold_words(email, index_word, &ctx);
	if (ctx.rc != 0)
		return store_fail(s, cause, "cannot update the search index");
	return 0;
}

int
guest_insert(struct store *s, const struct guest_fields *f, const char *code,
    const char *source, bool cancelled, const char *match_key, const char *by,
    struct guest *g, char **cause)
{
#define S(x) ((x) ? (x) : "")
	char *uuid = util_uuid();
	int64_t now = util_now_ms();
	int rc = -1;
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO guest (uuid, code, ext_id, first_name, last_name, email, company,"
	    " ticket_type, handle, extra, source, cancelled, match_key, sort_key, created_at,"
	    " updated_at, updated_by) VALUES (?1, ?2, nullif(?3, ''), ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?16, ?14, ?14, ?15)", cause);
	if (st == NULL)
		goto out;
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
	sqlite3_bind_text(st, 11, source, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, cancelled);
	if (match_key)
		sqlite3_bind_text(st, 13, match_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 14, now);
	sqlite3_bind_text(st, 15, by, -1, SQLITE_STATIC);
	char *sort = guest_sort_key(S(f->first_name), S(f->last_name));
	sqlite3_bind_text(st, 16, sort, -1, free);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot add the guest");
		goto out;
	}
	int64_t id = sqlite3_last_insert_rowid(store_db(s));
	if (guest_index(s, id, S(f->first_name), S(f->last_name), S(f->email), cause) != 0)
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
	free(uuid);
	return rc;
#undef S
}

int
guest_add_walkin(struct store *s, const struct guest_fields *f, const char *by,
    struct guest *g, char **cause)
{
	char *code = NULL;
	int rc = -1;

	if (util_blank(f->first_name) && util_blank(f->last_name))
		return util_fail(cause, "a walk-in needs a first or a last name");
	code = code_new(store_event(s)->tag);
	if (code == NULL)
		return util_fail(cause, "cannot read the system's random source");
	if (store_begin(s, cause) != 0)
		goto out;
	if (guest_insert(s, f, code, "walkin", false, NULL, by, g, cause) != 0)
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
	return rc;
}

/* Statements for 1 to GUEST_SEARCH_WORDS words: each word must be a prefix
 * of one of the guest's words (a range on the guest_word primary key). */
#define SEARCH_HEAD "SELECT " GUEST_COLUMNS " FROM guest WHERE id IN" \
	" (SELECT guest_id FROM guest_word WHERE word >= ?1 AND word < ?2)"
#define SEARCH_AND(a, b) " AND id IN (SELECT guest_id FROM guest_word WHERE word >= ?" \
	#a " AND word < ?" #b ")"
#define SEARCH_TAIL " ORDER BY sort_key, id LIMIT ?9"
static const char *const search_sql[GUEST_SEARCH_WORDS] = {
	SEARCH_HEAD SEARCH_TAIL,
	SEARCH_HEAD SEARCH_AND(3, 4) SEARCH_TAIL,
	SEARCH_HEAD SEARCH_AND(3, 4) SEARCH_AND(5, 6) SEARCH_TAIL,
	SEARCH_HEAD SEARCH_AND(3, 4) SEARCH_AND(5, 6) SEARCH_AND(7, 8) SEARCH_TAIL,
};

struct words {
	char *w[GUEST_SEARCH_WORDS];
	size_t n;
	size_t total;          /* folded characters over all words */
};

static int
query_words(const char *query, struct words *ws)
{
	memset(ws, 0, sizeof *ws);
	const char *p = query;
	while (*p && ws->n < GUEST_SEARCH_WORDS) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		if (p == start)
			break;
		char *part = xstrndup(start, (size_t)(p - start));
		char *w = fold_key(part);
		free(part);
		if (*w == '\0') {
			free(w);
			continue;
		}
		ws->total += strlen(w);
		ws->w[ws->n++] = w;
	}
	return 0;
}

int
guest_search(struct store *s, const char *query, int limit, guest_fn fn, void *arg,
    char **cause)
{
	struct words ws;
	char *hi[GUEST_SEARCH_WORDS] = { NULL };
	int found = 0;

	query_words(query, &ws);
	if (ws.n == 0 || ws.total < GUEST_SEARCH_MIN || limit <= 0)
		goto out;
	sqlite3_stmt *st = store_stmt(s, search_sql[ws.n - 1], cause);
	if (st == NULL) {
		found = -1;
		goto out;
	}
	for (size_t i = 0; i < ws.n; i++) {
		/* Every word starting with w sorts below w followed by 0xFF, a byte
		 * that never occurs in UTF-8. */
		hi[i] = xasprintf("%s\xff", ws.w[i]);
		sqlite3_bind_text(st, (int)(2 * i + 1), ws.w[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, (int)(2 * i + 2), hi[i], -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 9, limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct guest g;
		guest_from_row(st, &g);
		found++;
		int stop = fn ? fn(&g, arg) : 0;
		guest_clear(&g);
		if (stop)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		found = store_fail(s, cause, "cannot search");
out:
	for (size_t i = 0; i < ws.n; i++) {
		free(ws.w[i]);
		free(hi[i]);
	}
	return found;
}

int
guest_each(struct store *s, guest_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " GUEST_COLUMNS " FROM guest"
	    " ORDER BY sort_key, id", cause);
	if (st == NULL)
		return -1;
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct guest g;
		guest_from_row(st, &g);
		n++;
		int stop = fn(&g, arg);
		guest_clear(&g);
		if (stop)
			break;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot list guests");
	return n;
}
