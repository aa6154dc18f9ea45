/* outbox: who gets a ticket e-mail, the sending, and the record of it
 * (see outbox.h). */
#include "mail/outbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/code.h"
#include "core/guest.h"
#include "core/ktime.h"
#include "core/util.h"
#include "mail/mime.h"
#include "mail/refusal.h"

/* Waits before the next try of a guest whose message met a temporary
 * failure; the last failure after these is final. */
static const int64_t retry_ms[] = { 1000, 5000, 30000, 120000, 300000 };
#define NRETRY (sizeof retry_ms / sizeof retry_ms[0])

/* Waits before trying an unreachable server again, once it has taken a
 * message in this run. */
static const int64_t reach_ms[] = { 1000, 2000, 4000, 8000, 16000 };
#define NREACH (sizeof reach_ms / sizeof reach_ms[0])

#define WAIT_STEP_MS 200          /* a wait looks at *stop this often */
#define PROGRESS_MS  1000         /* and reports progress this often */
#define NAMES_SHOWN  5            /* guests named in a refusal */

/* --- choosing ------------------------------------------------------------------ */

static void
guest_free_fields(struct outbox_guest *g)
{
	free(g->uuid);
	free(g->code);
	free(g->first_name);
	free(g->last_name);
	free(g->email);
	free(g->company);
	free(g->ticket_type);
	free(g->handle);
	free(g->language);
	free(g->replaced_code);
}

void
outbox_list_free(struct outbox_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nsend; i++)
		guest_free_fields(&l->send[i]);
	for (size_t i = 0; i < l->nnoaddr; i++)
		guest_free_fields(&l->noaddr[i]);
	free(l->send);
	free(l->noaddr);
	free(l);
}

char *
outbox_guest_label(const struct outbox_guest *g)
{
	const char *f = g->first_name, *l = g->last_name;
	const char *sp = *f && *l ? " " : "";
	if (*g->email == '\0')
		return xasprintf("%s%s%s", f, sp, l);
	if (*f == '\0' && *l == '\0')
		return xasprintf("<%s>", g->email);
	return xasprintf("%s%s%s <%s>", f, sp, l, g->email);
}

static void
push(struct outbox_guest **list, size_t *n, const struct outbox_guest *g)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = *g;
}

/* A row of CHOOSE_COLUMNS (GUEST_COLUMNS, language, when mailed, whether
 * answered, the code replaced) as a guest. */
static void
from_row(sqlite3_stmt *st, struct outbox_guest *og, bool *cancelled)
{
	struct guest g;
	guest_from_row(st, &g);
	memset(og, 0, sizeof *og);
	og->uuid = g.uuid;
	og->code = g.code;
	og->first_name = g.first_name;
	og->last_name = g.last_name;
	og->email = util_trim(g.email);
	og->company = g.company;
	og->ticket_type = g.ticket_type;
	og->handle = g.handle;
	og->language = xstrdup((const char *)sqlite3_column_text(st, 15));
	og->mailed_at = sqlite3_column_int64(st, 16);
	og->answered = sqlite3_column_int(st, 17) != 0;
	const unsigned char *replaced = sqlite3_column_text(st, 18);
	og->replaced_code = xstrdup(replaced ? (const char *)replaced : "");
	*cancelled = g.cancelled;
	g.uuid = g.code = g.first_name = g.last_name = g.company = NULL;
	g.ticket_type = g.handle = NULL;
	guest_clear(&g);
}

/* Mailed already: the code the guest has now, at the address they have
 * now. A corrected address (an import fixed a typo) has not had the ticket
 * yet, nor has a guest whose code an import replaced (--new-codes). A
 * message that went whole with no answer may have arrived: it counts. */
#define MAIL_OF_GUEST " FROM mail WHERE mail.guest_uuid = guest.uuid" \
	" AND lower(mail.address) = lower(trim(guest.email, ' ' || char(9, 10, 11, 12, 13)))"
#define CHOOSE_MAILED(MAILED, SENT, REPLACED) "SELECT " GUEST_COLUMNS ", language," \
	" (SELECT max(at)" MAIL_OF_GUEST " AND " MAILED ")," \
	" EXISTS (SELECT 1" MAIL_OF_GUEST " AND " SENT "), " REPLACED " FROM guest"
#define THIS_CODE "(mail.code IS NULL OR mail.code = guest.code)"
/* The ticket a message to the guest now replaces: the latest that may
 * have reached them there with another code. One of no code (a kiosk
 * before schema 7) cannot be told from theirs, and replaces nothing. */
#define REPLACED_CODE "(SELECT mail.code" MAIL_OF_GUEST " AND (result = 'sent' OR" \
	" result = 'unknown') AND mail.code <> guest.code ORDER BY at DESC, mail.id DESC LIMIT 1)"
#define CHOOSE_COLUMNS CHOOSE_MAILED("(result = 'sent' OR result = 'unknown') AND " THIS_CODE, \
	"result = 'sent' AND " THIS_CODE, REPLACED_CODE)
/* The same of an event of a schema before 7 that this user cannot write,
 * and so read as it is (a dry run): its attempts kept no code (each is
 * taken for the guest's, as the migration takes it), and one that may have
 * arrived is 'failed' with the words that say so (as store.c's step 6 -> 7
 * reads them). */
#define CHOOSE_COLUMNS_V6 CHOOSE_MAILED("(result = 'sent' OR (result = 'failed' AND detail" \
	" LIKE " STORE_MAIL_UNKNOWN_V6 "))", "result = 'sent'", "NULL")

/* Does the mail table keep each attempt's code (schema 7)? 1, 0, or -1
 * with *cause. */
static int
mail_keeps_code(struct store *s, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM pragma_table_info('mail')"
	    " WHERE name = 'code'", cause);
	if (st == NULL)
		return -1;
	int rc = sqlite3_step(st), n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	if (n < 0)
		return store_fail(s, cause, "cannot read the mail log");
	return n > 0;
}

/* Sort one guest into the list. by_code: named on the command line. */
static int
sort_guest(struct outbox_list *l, struct outbox_guest *g, bool cancelled, bool by_code,
    const struct outbox_choice *c, struct outbox_guest **again, size_t *nagain, char **cause)
{
	if (cancelled) {
		if (by_code) {
			char *who = outbox_guest_label(g);
			util_fail(cause, "the ticket %s (%s) is cancelled; nothing sent", g->code, who);
			free(who);
			guest_free_fields(g);
			return -1;
		}
		l->cancelled++;
		guest_free_fields(g);
		return 0;
	}
	if (!util_email_ok(g->email)) {
		push(&l->noaddr, &l->nnoaddr, g);
		return 0;
	}
	if (g->mailed_at != 0 && c->unsent) {
		l->mailed++;
		guest_free_fields(g);
		return 0;
	}
	if (g->mailed_at != 0 && !c->resend)
		push(again, nagain, g);
	else
		push(&l->send, &l->nsend, g);
	return 0;
}

/* The refusal for guests mailed already: who, and what to do instead. */
static void
refuse_again(const struct outbox_list *l, const struct outbox_guest *again, size_t nagain,
    bool by_code, char **cause)
{
	struct buf b;
	buf_init(&b, 0);
	if (nagain == 1) {
		char when[KTIME_BUF], *who = outbox_guest_label(&again[0]);
		ktime_local(again[0].mailed_at, when);
		if (again[0].answered)
			buf_addf(&b, "%s was mailed already (%s)", who, when);
		else   /* only a message the server never answered */
			buf_addf(&b, "%s may have been mailed already (%s: the message went whole, "
			    "the mail server did not answer)", who, when);
		free(who);
	} else {
		buf_addf(&b, "%zu guests were mailed already (", nagain);
		for (size_t i = 0; i < nagain && i < NAMES_SHOWN; i++) {
			char *who = outbox_guest_label(&again[i]);
			buf_addf(&b, "%s%s", i ? ", " : "", who);
			free(who);
		}
		buf_addf(&b, "%s)", nagain > NAMES_SHOWN ? ", ..." : "");
	}
	if (by_code)
		buf_addf(&b, ": add --resend to mail %s again", nagain == 1 ? "them" : "those");
	else
		buf_addf(&b, ": --unsent mails only the %zu not mailed yet, --resend mails "
		    "everyone again", l->nsend);
	util_fail(cause, "%s; nothing sent", buf_cstr(&b));
	buf_free(&b);
}

int
outbox_choose(struct store *s, const struct outbox_choice *c, struct outbox_list **out,
    char **cause)
{
	struct outbox_list *l = xcalloc(1, sizeof *l);
	struct outbox_guest *again = NULL;
	size_t nagain = 0;
	char **seen = NULL;
	size_t nseen = 0;
	int rc = -1, step;
	sqlite3_stmt *st;

	if (c->unsent && c->resend) {
		util_fail(cause, "--unsent and --resend contradict each other");
		goto out;
	}
	if (store_begin_read(s, cause) != 0)
		goto out;
	int v7 = mail_keeps_code(s, cause);
	if (v7 < 0)
		goto fail;
	if (c->ncodes == 0) {
		st = store_stmt(s, v7 ? CHOOSE_COLUMNS " ORDER BY sort_key, id" :
		    CHOOSE_COLUMNS_V6 " ORDER BY sort_key, id", cause);
		if (st == NULL)
			goto fail;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			struct outbox_guest g;
			bool cancelled;
			from_row(st, &g, &cancelled);
			if (sort_guest(l, &g, cancelled, false, c, &again, &nagain, cause) != 0)
				break;
		}
		sqlite3_reset(st);
		if (step != SQLITE_DONE) {
			store_fail(s, cause, "cannot read the guest list");
			goto fail;
		}
	}
	for (size_t i = 0; i < c->ncodes; i++) {
		char *code = NULL;
		const char *typed = c->codes[i];
		if (code_normalize(typed, strlen(typed), &code) != CODE_OK) {
			util_fail(cause, "'%s' is not a ticket code", typed);
			goto fail;
		}
		bool dup = false;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = strcmp(seen[j], code) == 0;
		if (dup) {
			free(code);
			continue;
		}
		seen = xreallocarray(seen, nseen + 1, sizeof *seen);
		seen[nseen++] = code;
		st = store_stmt(s, v7 ? CHOOSE_COLUMNS " WHERE code = ?" :
		    CHOOSE_COLUMNS_V6 " WHERE code = ?", cause);
		if (st == NULL)
			goto fail;
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		step = sqlite3_step(st);
		struct outbox_guest g;
		bool cancelled = false;
		if (step == SQLITE_ROW)
			from_row(st, &g, &cancelled);
		sqlite3_reset(st);
		if (step == SQLITE_DONE) {
			util_fail(cause, "no guest has the code '%s'; nothing sent", typed);
			goto fail;
		}
		if (step != SQLITE_ROW) {
			store_fail(s, cause, "cannot read the guest list");
			goto fail;
		}
		if (sort_guest(l, &g, cancelled, true, c, &again, &nagain, cause) != 0)
			goto fail;
	}
	store_rollback(s); /* a read: nothing to keep */
	if (nagain > 0) {
		refuse_again(l, again, nagain, c->ncodes > 0, cause);
		goto out;
	}
	*out = l;
	l = NULL;
	rc = 0;
	goto out;
fail:
	store_rollback(s);
out:
	for (size_t i = 0; i < nagain; i++)
		guest_free_fields(&again[i]);
	free(again);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	outbox_list_free(l);
	return rc;
}

/* --- sending ---------------------------------------------------------------------- */

/* A guest of the list on its way. */
struct slot {
	int tries;                     /* attempts made */
	int64_t due;                   /* a retry's earliest time (clock_ms) */
	bool done;                     /* sent, or failed for good */
	struct ticket_message msg;     /* kept between tries: the same message */
};

struct run {
	struct store *s;
	const struct outbox_list *l;
	const struct outbox_options *o;
	const struct outbox_ops *ops;
	struct slot *slot;
	struct outbox_counts counts;
	int64_t next_send;             /* clock_ms of the earliest next message */
	int64_t last_progress;
	size_t next_fresh;             /* first guest not tried yet */
	size_t *wait;                  /* guests queued again after a temporary failure */
	size_t nwait;                  /* (few: a short list, not a scan of the run) */
	bool any_sent;                 /* the server took a message in this run */
};

static int64_t
mono_ms(void *arg)
{
	(void)arg;
	return util_mono_ms();
}

static void
nap_ms(void *arg, int64_t ms)
{
	(void)arg;
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		break; /* a signal: back to the caller, who looks at *stop */
}

static int64_t
now_ms(const struct run *r)
{
	return r->ops->clock_ms ? r->ops->clock_ms(r->ops->arg) : mono_ms(NULL);
}

static bool
stopping(const struct run *r)
{
	return r->o->stop != NULL && *r->o->stop != 0;
}

static void
progress(struct run *r, bool force)
{
	int64_t t = now_ms(r);
	if (r->ops->progress == NULL || (!force && t - r->last_progress < PROGRESS_MS))
		return;
	r->last_progress = t;
	r->ops->progress(r->ops->arg, &r->counts);
}

/* Wait until clock_ms reaches until, in short naps; false when asked to stop. */
static bool
wait_until(struct run *r, int64_t until)
{
	for (;;) {
		if (stopping(r))
			return false;
		int64_t t = now_ms(r);
		if (t >= until)
			return true;
		int64_t nap = until - t < WAIT_STEP_MS ? until - t : WAIT_STEP_MS;
		if (r->ops->sleep_ms)
			r->ops->sleep_ms(r->ops->arg, nap);
		else
			nap_ms(NULL, nap);
		progress(r, false);
	}
}

/* Keep one attempt, in a transaction of its own. result: "sent",
 * "failed", or "unknown" (went whole, no answer: it may have arrived). */
static int
record(struct run *r, const struct outbox_guest *g, const struct ticket_message *m,
    const char *result, const char *detail, char **cause)
{
	if (!r->o->record)
		return 0;
	if (store_begin(r->s, cause) != 0)
		return -1;
	sqlite3_stmt *st = store_stmt(r->s, "INSERT INTO mail (guest_uuid, at, address, result,"
	    " code, message_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)", cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, g->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_now(r->s));
	sqlite3_bind_text(st, 3, g->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, g->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, m->message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, detail, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(r->s, cause, "cannot record an e-mail");
		goto fail;
	}
	return store_commit(r->s, cause) == 0 ? 0 : -1;
fail:
	store_rollback(r->s);
	return -1;
}

/* Queue guest i again (due at slot[i].due). */
static void
requeue(struct run *r, size_t i)
{
	r->wait[r->nwait++] = i;
}

/* Give back guest i, picked but not tried (a stop, an unreachable server). */
static void
give_back(struct run *r, size_t i, bool from_wait)
{
	if (from_wait)
		requeue(r, i);
	else
		r->next_fresh--;
}

/* The next guest to try: a retry that is due, else the next fresh one, else
 * (after waiting) the earliest retry; *from_wait says which. SIZE_MAX when
 * none is left or when asked to stop. */
static size_t
pick(struct run *r, bool *from_wait)
{
	for (;;) {
		size_t soonest = SIZE_MAX;
		for (size_t k = 0; k < r->nwait; k++)
			if (soonest == SIZE_MAX ||
			    r->slot[r->wait[k]].due < r->slot[r->wait[soonest]].due)
				soonest = k;
		if (soonest != SIZE_MAX && r->slot[r->wait[soonest]].due <= now_ms(r)) {
			size_t i = r->wait[soonest];
			r->wait[soonest] = r->wait[--r->nwait];
			*from_wait = true;
			return i;
		}
		*from_wait = false;
		if (r->next_fresh < r->l->nsend)
			return r->next_fresh++;
		if (soonest == SIZE_MAX)
			return SIZE_MAX;
		if (!wait_until(r, r->slot[r->wait[soonest]].due))
			return SIZE_MAX;
	}
}

/* True when the refusal of g's message (answer) is the sender's, not g's
 * (refusal.h): the server will refuse every guest alike, and going on would
 * print a failure for each and hammer the account. *cause then says so;
 * g is left with the rest, for a later run. */
static bool
refused_sender(struct run *r, struct refusal_streak *st, const struct outbox_guest *g,
    const char *answer, char **cause)
{
	/* Every guest not mailed yet, the ones failed by this streak included:
	 * what --unsent sends. g is given back, so one more is left. */
	size_t todo = r->counts.left + r->counts.failed;
	if (refusal_whose(answer) == REFUSAL_SENDER) {
		util_fail(cause, "the mail server will not take more messages from this account "
		    "for now: '%s'; stopped: %zu not mailed yet; 'kiosk mail --unsent' sends them "
		    "later, e.g. tomorrow or from another account", answer, todo);
		return true;
	}
	if (!refusal_streak_note(st, answer, g->email))
		return false;
	util_fail(cause, "the mail server refused the last %d messages alike: '%s'; stopped: "
	    "%zu not mailed yet; 'kiosk mail --unsent' sends them later, e.g. tomorrow or from "
	    "another account", REFUSAL_ALIKE, answer, todo);
	return true;
}

enum outbox_end
outbox_run(struct store *s, const struct outbox_list *l, const struct outbox_options *o,
    const struct outbox_ops *ops, struct outbox_counts *counts, char **cause)
{
	struct run r = { s, l, o, ops, NULL, { 0, 0, 0, l->nsend }, 0, 0, 0, NULL, 0, false };
	enum outbox_end end = OUTBOX_ABORTED;
	int64_t interval = o->per_minute > 0 ? 60000 / o->per_minute : 0;
	size_t unreachable = 0;
	char *answer = NULL;
	struct refusal_streak streak = { 0 };

	r.slot = xcalloc(l->nsend ? l->nsend : 1, sizeof *r.slot);
	r.wait = xcalloc(l->nsend ? l->nsend : 1, sizeof *r.wait);
	r.next_send = now_ms(&r);
	progress(&r, true);
	for (;;) {
		if (stopping(&r)) {
			end = OUTBOX_STOPPED;
			break;
		}
		bool from_wait;
		size_t i = pick(&r, &from_wait);
		if (i == SIZE_MAX) {
			end = stopping(&r) ? OUTBOX_STOPPED : OUTBOX_DONE;
			break;
		}
		const struct outbox_guest *g = &l->send[i];
		struct slot *sl = &r.slot[i];
		if (!wait_until(&r, r.next_send)) {
			give_back(&r, i, from_wait);
			end = OUTBOX_STOPPED;
			break;
		}
		if (sl->msg.data == NULL &&
		    ops->compose(ops->arg, g, store_now(s), &sl->msg, cause) != 0) {
			char *who = outbox_guest_label(g), *why = *cause;
			*cause = xasprintf("the message to %s: %s", who, why);
			free(who);
			free(why);
			break;
		}
		r.next_send = now_ms(&r) + interval;
		free(answer);
		answer = NULL;
		enum smtp_result res = ops->send(ops->arg, g, &sl->msg, &answer);
		if (res == SMTP_UNREACHABLE) {
			/* Not the guest's failure: the same guest once the server is back. */
			if (!r.any_sent || unreachable == NREACH) {
				util_fail(cause, "%s%s", answer, r.any_sent ? " (tried again for half "
				    "a minute)" : "");
				break;
			}
			give_back(&r, i, from_wait);
			r.next_send = now_ms(&r) + reach_ms[unreachable++];
			continue;
		}
		unreachable = 0;
		if (res == SMTP_FATAL) {
			util_fail(cause, "%s", answer);
			break;
		}
		if (res == SMTP_BUSY) {
			/* A rate limit or a quota: every guest would be refused
			 * alike, and hammering it gets an account locked. This
			 * guest is left with the rest, for a later run. */
			give_back(&r, i, from_wait);
			util_fail(cause, "the mail server is turning messages away for now (%s): "
			    "%zu not sent yet; run 'kiosk mail --unsent' later", answer, r.counts.left);
			end = OUTBOX_REFUSED;
			break;
		}
		if (res == SMTP_TEMPORARY || res == SMTP_PERMANENT) {
			if (refused_sender(&r, &streak, g, answer, cause)) {
				give_back(&r, i, from_wait);
				end = OUTBOX_REFUSED;
				break;
			}
		} else
			refusal_streak_reset(&streak);
		sl->tries++;
		if (res == SMTP_SENT) {
			r.any_sent = true;
			if (record(&r, g, &sl->msg, "sent", answer, cause) != 0) {
				char *who = outbox_guest_label(g), *why = *cause;
				*cause = xasprintf("the message to %s was sent but could not be "
				    "recorded (the next --unsent run mails them again): %s", who, why);
				free(who);
				free(why);
				break;
			}
			sl->done = true;
			r.counts.sent++;
			r.counts.left--;
			if (ops->told)
				ops->told(ops->arg, g, OUTBOX_SENT, answer, 0);
		} else {
			bool again = res == SMTP_TEMPORARY && (size_t)sl->tries <= NRETRY;
			char *detail;
			if (res == SMTP_UNKNOWN)
				/* Not again, in this run or by --unsent: it may have
				 * arrived. */
				detail = xasprintf("%s; not sent again (if it did not arrive: "
				    "kiosk mail --code %s --resend)", answer, g->code);
			else if (again)
				detail = xasprintf("temporary, trying again: %s", answer);
			else if (res == SMTP_TEMPORARY)
				detail = xasprintf("temporary, gave up after %d tries: %s", sl->tries,
				    answer);
			else
				detail = xstrdup(answer);
			int rec = record(&r, g, &sl->msg,
			    res == SMTP_UNKNOWN ? "unknown" : "failed", detail, cause);
			if (rec != 0) {
				free(detail);
				break;
			}
			if (again) {
				int64_t wait = retry_ms[sl->tries - 1];
				sl->due = now_ms(&r) + wait;
				requeue(&r, i);
				if (ops->told)
					ops->told(ops->arg, g, OUTBOX_RETRY, answer, wait);
			} else {
				bool unknown = res == SMTP_UNKNOWN;
				sl->done = true;
				if (unknown)
					r.counts.unknown++;
				else
					r.counts.failed++;
				r.counts.left--;
				if (ops->told)
					ops->told(ops->arg, g, unknown ? OUTBOX_UNKNOWN : OUTBOX_FAILED,
					    detail, 0);
			}
			free(detail);
		}
		if (sl->done)
			ticket_message_clear(&sl->msg);
		progress(&r, true);
	}
	progress(&r, true);
	for (size_t i = 0; i < l->nsend; i++)
		ticket_message_clear(&r.slot[i].msg);
	free(r.slot);
	free(r.wait);
	free(answer);
	*counts = r.counts;
	return end;
}
