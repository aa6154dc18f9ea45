/* test_outbox: choosing the guests of a run, and the run itself with a fake
 * server and a fake clock: records, retries and their back-off, refusals,
 * an unreachable server, a stop request, the rate limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/import.h"
#include "mail/outbox.h"
#include "testutil.h"

#define MAX_CALLS 64

/* A server that answers from a script: for each address a string of what
 * each attempt gets (S sent, T 451, P 550, U unreachable, F login refused,
 * and the sender's limit: Q Gmail's 5.4.5, L a 550 in words; A a 550 and R
 * a 452 naming the guest, whose words say nothing of whose); past its end,
 * S. */
struct fake {
	int64_t now;                     /* the clock, ms */
	const char *const *script;       /* address, answers, address, answers, ..., NULL */
	size_t used[16];                 /* answers used per script entry */
	size_t ncalls;
	char *to[MAX_CALLS];             /* each send: to whom, when, which message */
	int64_t at[MAX_CALLS];
	char *mid[MAX_CALLS];
	int made;                        /* messages composed */
	size_t stop_after;               /* set *stop after this many sends; 0: never */
	volatile sig_atomic_t stop;
	struct buf told;                 /* "FAILED a@x: answer" lines */
};

static int
fake_compose(void *arg, const struct outbox_guest *g, int64_t now, struct ticket_message *m,
    char **cause)
{
	struct fake *f = arg;
	(void)now;
	(void)cause;
	m->data = xasprintf("To: %s\r\n\r\nticket %s\r\n", g->email, g->code);
	m->len = strlen(m->data);
	m->message_id = xasprintf("<m%d@test>", ++f->made);
	m->lang = xstrdup("en");
	return 0;
}

static enum smtp_result
fake_send(void *arg, const struct outbox_guest *g, const struct ticket_message *m,
    char **answer)
{
	struct fake *f = arg;
	char what = 'S';
	assert_true(f->ncalls < MAX_CALLS);
	f->to[f->ncalls] = xstrdup(g->email);
	f->at[f->ncalls] = f->now;
	f->mid[f->ncalls] = xstrdup(m->message_id);
	f->ncalls++;
	for (size_t i = 0; f->script && f->script[2 * i]; i++) {
		if (strcmp(f->script[2 * i], g->email) != 0)
			continue;
		const char *s = f->script[2 * i + 1];
		if (f->used[i] < strlen(s))
			what = s[f->used[i]++];
	}
	if (f->stop_after != 0 && f->ncalls == f->stop_after)
		f->stop = 1;
	f->now += 10; /* a message takes 10 ms */
	switch (what) {
	case 'T': *answer = xstrdup("451 4.7.1 later"); return SMTP_TEMPORARY;
	case 'P': *answer = xstrdup("550 5.1.1 no such user"); return SMTP_PERMANENT;
	case 'U': *answer = xstrdup("cannot reach the mail server"); return SMTP_UNREACHABLE;
	case 'F': *answer = xstrdup("refused the login"); return SMTP_FATAL;
	case 'K': *answer = xstrdup("lost during DATA; the message may have arrived");
		return SMTP_UNKNOWN;
	case 'B': *answer = xstrdup("421 4.7.0 too many messages, try later"); return SMTP_BUSY;
	case 'Q': *answer = xstrdup("550 5.4.5 Daily user sending quota exceeded.");
		return SMTP_PERMANENT;
	case 'L': *answer = xasprintf("550 <%s>: Daily sending limit reached, try again tomorrow",
		    g->email);
		return SMTP_PERMANENT;
	case 'A': *answer = xasprintf("550 5.7.1 <%s>: message not accepted", g->email);
		return SMTP_PERMANENT;
	case 'R': *answer = xasprintf("452 4.3.0 <%s>: not now, try again later", g->email);
		return SMTP_TEMPORARY;
	default: *answer = xasprintf("250 2.0.0 queued as %zu", f->ncalls); return SMTP_SENT;
	}
}

static void
fake_told(void *arg, const struct outbox_guest *g, enum outbox_event e, const char *answer,
    int64_t wait_ms)
{
	struct fake *f = arg;
	static const char *const names[] = { "SENT", "RETRY", "FAILED", "UNKNOWN" };
	if (f->told.max == 0)  /* the fakes start zeroed */
		buf_init(&f->told, 0);
	buf_addf(&f->told, "%s %s %lld: %s\n", names[e], g->email, (long long)wait_ms, answer);
}

static int64_t
fake_clock(void *arg)
{
	return ((struct fake *)arg)->now;
}

static void
fake_sleep(void *arg, int64_t ms)
{
	((struct fake *)arg)->now += ms;
}

static void
fake_free(struct fake *f)
{
	for (size_t i = 0; i < f->ncalls; i++) {
		free(f->to[i]);
		free(f->mid[i]);
	}
	buf_free(&f->told);
}

/* Guests: Ann (ok), Bob (no address), Cid (not an address), Dee
 * (cancelled), Eve (ok), Fay (ok); listed by last name A..F. */
static void
add_guests(struct store *s)
{
	const char *csv = "First Name,Last Name,Email,Barcode #,Attendee Status,Language\n"
	    "Ann,Aa,ann@example.org,A1,Attending,nl\n"
	    "Bob,Bb,,B2,Attending,\n"
	    "Cid,Cc,cid@,C3,Attending,\n"
	    "Dee,Dd,dee@example.org,D4,Cancelled,\n"
	    "Eve,Ee, eve@example.org ,E5,Attending,fr\n"
	    "Fay,Ff,fay@example.org,F6,Attending,\n";
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	if (import_read_mem(csv, strlen(csv), "g.csv", NULL, 0, &p, &cause) != 0 ||
	    import_apply(s, p, false, "t", NULL, NULL, &rep, &cause) != 0)
		fail_msg("%s", cause);
	import_free(p);
}

static struct outbox_list *
choose(struct store *s, const char *const *codes, size_t n, bool unsent, bool resend)
{
	struct outbox_choice c = { codes, n, unsent, resend };
	struct outbox_list *l = NULL;
	char *cause = NULL;
	if (outbox_choose(s, &c, &l, &cause) != 0)
		fail_msg("%s", cause);
	return l;
}

/* The guests of add_guests, and the list of all of them to mail. */
static struct outbox_list *
everyone(struct store *s)
{
	add_guests(s);
	return choose(s, NULL, 0, false, false);
}

static char *
choose_fails(struct store *s, const char *const *codes, size_t n, bool unsent, bool resend)
{
	struct outbox_choice c = { codes, n, unsent, resend };
	struct outbox_list *l = NULL;
	char *cause = NULL;
	assert_int_equal(outbox_choose(s, &c, &l, &cause), -1);
	assert_null(l);
	return cause;
}

static enum outbox_end
run(struct store *s, const struct outbox_list *l, struct fake *f, bool record, int per_minute,
    struct outbox_counts *n, char **cause)
{
	struct outbox_options o = { record, per_minute, &f->stop };
	struct outbox_ops ops = { fake_compose, fake_send, fake_told, NULL, fake_clock, fake_sleep,
	    f };
	*cause = NULL;
	return outbox_run(s, l, &o, &ops, n, cause);
}

/* The mail table as "address result detail-start; ..." in id order. */
static char *
rows(struct store *s)
{
	sqlite3_stmt *st = NULL;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "SELECT address, result,"
	    " substr(detail, 1, 14), message_id FROM mail ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_addf(&b, "%s%s %s %s %s", b.len ? "; " : "", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return buf_take(&b);
}

static void
test_choose(void **state)
{
	struct tu_fixture *fx = *state;
	struct outbox_list *l = everyone(fx->s);
	assert_int_equal(l->nsend, 3);
	assert_string_equal(l->send[0].email, "ann@example.org");
	assert_string_equal(l->send[0].language, "nl");
	assert_string_equal(l->send[1].email, "eve@example.org"); /* trimmed */
	assert_string_equal(l->send[1].language, "fr");
	assert_string_equal(l->send[2].code, "F6");
	assert_int_equal(l->nnoaddr, 2);
	assert_string_equal(l->noaddr[0].first_name, "Bob");
	assert_string_equal(l->noaddr[1].email, "cid@");
	assert_int_equal(l->cancelled, 1);
	char *label = outbox_guest_label(&l->send[0]);
	assert_string_equal(label, "Ann Aa <ann@example.org>");
	free(label);
	label = outbox_guest_label(&l->noaddr[0]);
	assert_string_equal(label, "Bob Bb");
	free(label);
	outbox_list_free(l);

	static const char *const two[] = { "E5", "A1", "E5" }; /* each guest once */
	l = choose(fx->s, two, 3, false, false);
	assert_int_equal(l->nsend, 2);
	assert_string_equal(l->send[0].code, "E5");
	assert_string_equal(l->send[1].code, "A1");
	outbox_list_free(l);
	static const char *const bob[] = { "B2" };
	l = choose(fx->s, bob, 1, false, false);
	assert_int_equal(l->nsend, 0);
	assert_int_equal(l->nnoaddr, 1);
	outbox_list_free(l);

	static const char *const dee[] = { "D4" };
	char *cause = choose_fails(fx->s, dee, 1, false, false);
	assert_string_equal(cause, "the ticket D4 (Dee Dd <dee@example.org>) is cancelled; "
	    "nothing sent");
	free(cause);
	static const char *const nope[] = { "A1", "NOPE-1" };
	cause = choose_fails(fx->s, nope, 2, false, false);
	assert_string_equal(cause, "no guest has the code 'NOPE-1'; nothing sent");
	free(cause);
	cause = choose_fails(fx->s, NULL, 0, true, true);
	assert_non_null(strstr(cause, "contradict"));
	free(cause);
	outbox_list_free(NULL);
}

/* The guests of add_guests, all three with an address mailed. */
static void
mail_everyone(struct store *s, struct fake *f)
{
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(s);
	assert_int_equal(run(s, l, f, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.sent, 3);
	assert_int_equal(n.failed, 0);
	assert_int_equal(n.left, 0);
	outbox_list_free(l);
}

static void
test_run_records_and_nobody_twice(void **state)
{
	struct tu_fixture *fx = *state;
	struct fake f = { 0 };
	struct outbox_list *l;
	mail_everyone(fx->s, &f);
	char *r = rows(fx->s);
	assert_string_equal(r, "ann@example.org sent 250 2.0.0 queu <m1@test>; "
	    "eve@example.org sent 250 2.0.0 queu <m2@test>; "
	    "fay@example.org sent 250 2.0.0 queu <m3@test>");
	free(r);

	char *why = choose_fails(fx->s, NULL, 0, false, false);
	assert_non_null(strstr(why, "3 guests were mailed already (Ann Aa <ann@example.org>, "
	    "Eve Ee <eve@example.org>, Fay Ff <fay@example.org>): --unsent mails only the 0 not "
	    "mailed yet, --resend mails everyone again; nothing sent"));
	free(why);
	l = choose(fx->s, NULL, 0, true, false);
	assert_int_equal(l->nsend, 0);
	assert_int_equal(l->mailed, 3);
	outbox_list_free(l);
	l = choose(fx->s, NULL, 0, false, true);
	assert_int_equal(l->nsend, 3);
	outbox_list_free(l);
	static const char *const ann[] = { "A1" };
	why = choose_fails(fx->s, ann, 1, false, false);
	assert_non_null(strstr(why, "Ann Aa <ann@example.org> was mailed already ("));
	assert_non_null(strstr(why, "): add --resend to mail them again; nothing sent"));
	free(why);
	l = choose(fx->s, ann, 1, false, true);
	assert_int_equal(l->nsend, 1);
	outbox_list_free(l);
	/* An import corrected Ann's address: her ticket has not reached it
	 * yet, and --unsent mails it there (upper case is the same address). */
	assert_int_equal(sqlite3_exec(store_db(fx->s), "UPDATE guest SET email ="
	    " 'ann.aa@example.org' WHERE code = 'A1'; UPDATE guest SET email = 'FAY@example.org'"
	    " WHERE code = 'F6'", NULL, NULL, NULL), SQLITE_OK);
	l = choose(fx->s, NULL, 0, true, false);
	assert_int_equal(l->nsend, 1);
	assert_string_equal(l->send[0].email, "ann.aa@example.org");
	assert_int_equal(l->mailed, 2);
	outbox_list_free(l);
	fake_free(&f);
}

static void
test_permanent_failure_goes_on(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "ann@example.org", "P", NULL };
	struct fake f = { .script = script };
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.sent, 2);
	assert_int_equal(n.failed, 1);
	char *r = rows(fx->s);
	assert_string_equal(r, "ann@example.org failed 550 5.1.1 no s <m1@test>; "
	    "eve@example.org sent 250 2.0.0 queu <m2@test>; "
	    "fay@example.org sent 250 2.0.0 queu <m3@test>");
	free(r);
	assert_string_equal(buf_cstr(&f.told), "FAILED ann@example.org 0: 550 5.1.1 no such user\n"
	    "SENT eve@example.org 0: 250 2.0.0 queued as 2\n"
	    "SENT fay@example.org 0: 250 2.0.0 queued as 3\n");
	/* a failed guest is not mailed: --unsent offers them again */
	outbox_list_free(l);
	l = choose(fx->s, NULL, 0, true, false);
	assert_int_equal(l->nsend, 1);
	assert_string_equal(l->send[0].email, "ann@example.org");
	outbox_list_free(l);
	fake_free(&f);
}

static void
test_temporary_failure_retried_others_go_on(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "ann@example.org", "TT", NULL };
	struct fake f = { .script = script };
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.sent, 3);
	assert_int_equal(n.failed, 0);
	/* Ann at 0; Eve and Fay straight on; Ann after 1 s, then after 5 s
	 * more; the same message each time. */
	assert_int_equal(f.ncalls, 5);
	assert_string_equal(f.to[0], "ann@example.org");
	assert_string_equal(f.to[1], "eve@example.org");
	assert_string_equal(f.to[2], "fay@example.org");
	assert_string_equal(f.to[3], "ann@example.org");
	assert_string_equal(f.to[4], "ann@example.org");
	assert_int_equal(f.at[3], 10 + 1000);
	assert_int_equal(f.at[4], 10 + 1000 + 10 + 5000);
	assert_string_equal(f.mid[0], f.mid[3]);
	assert_string_equal(f.mid[0], f.mid[4]);
	assert_int_equal(f.made, 3);
	char *r = rows(fx->s);
	assert_string_equal(r, "ann@example.org failed temporary, try <m1@test>; "
	    "eve@example.org sent 250 2.0.0 queu <m2@test>; "
	    "fay@example.org sent 250 2.0.0 queu <m3@test>; "
	    "ann@example.org failed temporary, try <m1@test>; "
	    "ann@example.org sent 250 2.0.0 queu <m1@test>");
	free(r);
	assert_non_null(strstr(buf_cstr(&f.told), "RETRY ann@example.org 1000: 451 4.7.1 later\n"));
	assert_non_null(strstr(buf_cstr(&f.told), "RETRY ann@example.org 5000: 451 4.7.1 later\n"));
	outbox_list_free(l);
	fake_free(&f);
}

/* The whole message went and no answer came: it may have arrived, so it
 * is not sent again in this run (a server that stored it and dropped the
 * line got six copies); recorded 'unknown', saying how to resend, and
 * told and counted as such, not as failed ("not sent"). */
static void
test_unknown_outcome_not_sent_again(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "eve@example.org", "K", NULL };
	struct fake f = { .script = script };
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.sent, 2);
	/* Not a failure: reported and counted as may have arrived. */
	assert_int_equal(n.failed, 0);
	assert_int_equal(n.unknown, 1);
	assert_int_equal(n.left, 0);
	assert_non_null(strstr(buf_cstr(&f.told), "UNKNOWN eve@example.org 0: lost during DATA; "
	    "the message may have arrived; not sent again (if it did not arrive: kiosk mail "
	    "--code E5 --resend)\n"));
	assert_int_equal(f.ncalls, 3); /* Eve once */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE address ="
	    " 'eve@example.org' AND result = 'unknown' AND code = 'E5' AND detail LIKE"
	    " '%may have arrived%--code E5 --resend%'"), 1);
	outbox_list_free(l);
	/* Nor by --unsent: that is --code E5 --resend, as the report says. */
	l = choose(fx->s, NULL, 0, true, false);
	assert_int_equal(l->nsend, 0);
	assert_int_equal(l->mailed, 3);
	outbox_list_free(l);
	static const char *const eve[] = { "E5" };
	char *why = choose_fails(fx->s, eve, 1, false, false);
	assert_non_null(strstr(why, "Eve Ee <eve@example.org> may have been mailed already ("));
	assert_non_null(strstr(why, ": the message went whole, the mail server did not answer): "
	    "add --resend to mail them again; nothing sent"));
	free(why);
	l = choose(fx->s, eve, 1, false, true);
	assert_int_equal(l->nsend, 1);
	outbox_list_free(l);
	fake_free(&f);
}

/* An event of schema 6 that this user cannot write is read as it is (kiosk
 * mail --dry-run opens it read-only, and nothing migrates it): its mail
 * table has no code column, and a message that may have arrived is a
 * 'failed' saying so. Choosing works on it as on the migrated table. */
static void
test_choose_in_schema_6_read_as_it_is(void **state)
{
	struct tu_fixture *fx = *state;
	add_guests(fx->s);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "DROP TABLE mail;"
	    "CREATE TABLE mail (id INTEGER PRIMARY KEY, guest_uuid TEXT NOT NULL,"
	    "  at INTEGER NOT NULL, address TEXT NOT NULL,"
	    "  result TEXT NOT NULL CHECK (result IN ('sent', 'failed')), message_id TEXT,"
	    "  detail TEXT);"
	    "INSERT INTO mail (guest_uuid, at, address, result, detail) SELECT uuid, 1000,"
	    "  email, 'sent', '250 ok' FROM guest WHERE code = 'A1';"
	    "INSERT INTO mail (guest_uuid, at, address, result, detail) SELECT uuid, 2000,"
	    "  'eve@example.org', 'failed', 'lost during DATA; the message may have arrived; not sent"
	    " again (if it did not arrive: kiosk mail --code E5 --resend)' FROM guest"
	    "  WHERE code = 'E5';"
	    "INSERT INTO mail (guest_uuid, at, address, result, detail) SELECT uuid, 3000,"
	    "  email, 'failed', '550 5.1.1 no such user' FROM guest WHERE code = 'F6';"
	    "PRAGMA user_version = 6;", NULL, NULL, NULL), SQLITE_OK);
	struct outbox_list *l = choose(fx->s, NULL, 0, true, false);
	assert_int_equal(l->nsend, 1);
	assert_string_equal(l->send[0].code, "F6");
	assert_string_equal(l->send[0].replaced_code, "");  /* no code kept: none known */
	assert_int_equal(l->mailed, 2);
	outbox_list_free(l);
	static const char *const ann[] = { "A1" };
	char *why = choose_fails(fx->s, ann, 1, false, false);
	assert_non_null(strstr(why, "was mailed already"));
	free(why);
}

/* A ticket whose code an import replaced (--new-codes) no longer scans:
 * the guest has not had the new one, and --unsent mails it, as the one
 * that replaces A1 (the message says so: a second e-mail alike left the
 * guest to pick, and the old ticket is refused at the door). */
static void
test_new_code_is_unsent(void **state)
{
	struct tu_fixture *fx = *state;
	struct fake f = { 0 };
	mail_everyone(fx->s, &f);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE address ="
	    " 'ann@example.org' AND result = 'sent' AND code = 'A1'"), 1);
	struct outbox_list *l;
	l = choose(fx->s, NULL, 0, false, true);
	assert_int_equal(l->nsend, 3);
	for (size_t i = 0; i < l->nsend; i++) /* the same codes again: nothing replaced */
		assert_string_equal(l->send[i].replaced_code, "");
	outbox_list_free(l);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "UPDATE guest SET code = 'A9' WHERE"
	    " code = 'A1'", NULL, NULL, NULL), SQLITE_OK);
	l = choose(fx->s, NULL, 0, true, false);
	assert_int_equal(l->nsend, 1);
	assert_string_equal(l->send[0].code, "A9");
	assert_string_equal(l->send[0].replaced_code, "A1");
	assert_int_equal(l->mailed, 2);
	outbox_list_free(l);
	/* A run without --unsent says so. */
	char *why = choose_fails(fx->s, NULL, 0, false, false);
	assert_non_null(strstr(why, "--unsent mails only the 1 not mailed yet"));
	free(why);
	fake_free(&f);
}

/* The ticket replaced is the latest that may have reached the guest at
 * the address they have now with another code: mailed A1, then A9, now
 * A7, it is A9. A message refused ('failed') with another code replaces
 * nothing, nor does one sent to an address the guest no longer has. */
static void
test_replaced_code_is_the_latest(void **state)
{
	struct tu_fixture *fx = *state;
	struct fake f = { 0 };
	mail_everyone(fx->s, &f);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "UPDATE guest SET code = 'A9' WHERE"
	    " code = 'A1'; INSERT INTO mail (guest_uuid, at, address,"
	    " result, code, detail) SELECT uuid, 9000000000000, email, 'sent', 'A9', '250 ok' FROM"
	    " guest WHERE code = 'A9'; UPDATE guest SET code = 'A7' WHERE code = 'A9';"
	    " INSERT INTO mail (guest_uuid, at, address, result, code, detail) SELECT uuid,"
	    " 9100000000000, email, 'failed', 'E1', '550 no' FROM guest WHERE code = 'E5';"
	    " INSERT INTO mail (guest_uuid, at, address, result, code, detail) SELECT uuid,"
	    " 9100000000000, 'old@example.org', 'sent', 'F1', '250 ok' FROM guest WHERE code = 'F6'",
	    NULL, NULL, NULL), SQLITE_OK);
	struct outbox_list *l = choose(fx->s, NULL, 0, false, true);
	assert_int_equal(l->nsend, 3);
	assert_string_equal(l->send[0].code, "A7");
	assert_string_equal(l->send[0].replaced_code, "A9");
	assert_string_equal(l->send[1].code, "E5");
	assert_string_equal(l->send[1].replaced_code, "");
	assert_string_equal(l->send[2].code, "F6");
	assert_string_equal(l->send[2].replaced_code, "");
	outbox_list_free(l);
	fake_free(&f);
}

/* A run the server refuses (OUTBOX_REFUSED) to the end: the guests the
 * fake served as script says, what the run counted, and the words it
 * stopped with (said, and said2 when not NULL); no "FAILED" line unless
 * some guest failed. Frees l. */
struct refused {
	size_t sent, failed, left, ncalls;
	const char *said, *said2;
};

static void
assert_refused(struct store *s, struct outbox_list *l, const char *const *script,
    struct refused want)
{
	struct fake f = { .script = script };
	struct outbox_counts n;
	char *cause = NULL;
	assert_int_equal(run(s, l, &f, true, 0, &n, &cause), OUTBOX_REFUSED);
	assert_int_equal(n.sent, want.sent);
	assert_int_equal(n.failed, want.failed);
	assert_int_equal(n.left, want.left);
	assert_int_equal(f.ncalls, want.ncalls);
	if (strstr(cause, want.said) == NULL || (want.said2 != NULL &&
	    strstr(cause, want.said2) == NULL))
		fail_msg("%s", cause);
	free(cause);
	if (want.failed == 0)
		assert_null(strstr(buf_cstr(&f.told), "FAILED"));
	outbox_list_free(l);
	fake_free(&f);
}

/* A rate limit or quota (421): every guest would be refused alike. The
 * run stops at once, the guest left with the rest for --unsent, rather
 * than six tries of every guest (an account locked for it). */
static void
test_busy_server_stops_the_run(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "eve@example.org", "B", NULL };
	assert_refused(fx->s, everyone(fx->s), script, (struct refused){ 1, 0, 2, 2,
	    "turning messages away for now (421",
	    "2 not sent yet; run 'kiosk mail --unsent' later" });
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE address ="
	    " 'eve@example.org'"), 0);
}

/* Guests of five domains, a1 to e5, to be mailed in that order. */
static struct outbox_list *
five_domains(struct store *s)
{
	const char *csv = "First Name,Last Name,Email,Barcode #\n"
	    "A,A,a1@one.test,A1\nB,B,b2@two.test,B2\nC,C,c3@three.test,C3\n"
	    "D,D,d4@four.test,D4\nE,E,e5@five.test,E5\n";
	struct import_plan *p = NULL;
	struct import_report rep;
	char *cause = NULL;
	if (import_read_mem(csv, strlen(csv), "g.csv", NULL, 0, &p, &cause) != 0 ||
	    import_apply(s, p, false, "t", NULL, NULL, &rep, &cause) != 0)
		fail_msg("%s", cause);
	import_free(p);
	struct outbox_list *l = choose(s, NULL, 0, false, false);
	assert_int_equal(l->nsend, 5);
	assert_string_equal(l->send[0].email, "a1@one.test");
	assert_string_equal(l->send[4].email, "e5@five.test");
	return l;
}

/* Gmail's daily limit (550 5.4.5) comes at the guest's stage, like a bad
 * address: it stopped nothing, and every guest left was failed with a line
 * of its own. An X.4.5 code is the mail system's, not the guest's: the run
 * stops at once, that guest left with the rest and nothing recorded. */
static void
test_sender_quota_code_stops_the_run(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "eve@example.org", "Q", NULL };
	assert_refused(fx->s, everyone(fx->s), script, (struct refused){ 1, 0, 2, 2,
	    "will not take more messages from this account for now: '550 5.4.5 "
	    "Daily user sending quota exceeded.'; stopped: 2 not mailed yet; 'kiosk mail "
	    "--unsent' sends them later, e.g. tomorrow or from another account", NULL });
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE address ="
	    " 'eve@example.org'"), 0);
}

/* A provider with no X.4.5 code for its limit says it in words. Every
 * guest of a company's event shares one domain, so "three alike, of more
 * than one domain" never stopped it: every guest left was failed, one
 * "not sent" line each. Words of a sending limit stop the run at once,
 * like the code, one domain or many. */
static void
test_sender_limit_in_words_stops_the_run(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "eve@example.org", "L", NULL };
	/* all of example.org */
	assert_refused(fx->s, everyone(fx->s), script, (struct refused){ 1, 0, 2, 2,
	    "will not take more messages from this account for now: '550 "
	    "<eve@example.org>: Daily sending limit reached, try again tomorrow'; stopped: 2 not "
	    "mailed yet; 'kiosk mail --unsent' sends them later", NULL });
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE address ="
	    " 'eve@example.org'"), 0);
}

/* Any other words, refused alike for three guests of different domains in
 * a row: two "not sent" lines, then a stop that says why, not one line per
 * guest left. */
static void
test_three_alike_refusals_stop_the_run(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "b2@two.test", "A", "c3@three.test", "A",
		"d4@four.test", "A", "e5@five.test", "A", NULL };
	assert_refused(fx->s, five_domains(fx->s), script, (struct refused){ 1, 2, 2, 4,
	    "the mail server refused the last 3 messages alike: '550 5.7.1 "
	    "<d4@four.test>: message not accepted'; stopped: 4 not mailed yet; 'kiosk mail "
	    "--unsent' sends them later", NULL });
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE result = 'failed'"), 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE address ="
	    " 'd4@four.test'"), 0);
}

/* The same with a temporary refusal (452): three guests, not three tries
 * of one guest each, and no six tries of everybody. */
static void
test_three_alike_temporary_refusals_stop_the_run(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "a1@one.test", "RRRRRR", "b2@two.test", "RRRRRR",
		"c3@three.test", "RRRRRR", NULL };
	assert_refused(fx->s, five_domains(fx->s), script, (struct refused){ 0, 0, 5, 3,
	    "refused the last 3 messages alike: '452 4.3.0", "stopped: 5 not mailed yet" });
}

/* A guest's own refusal, however many in a row, never stops the run: five
 * unknown users (5.1.1), or three of one domain refused alike. */
static void
test_guests_refusals_in_a_row_go_on(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "a1@one.test", "P", "b2@two.test", "P",
		"c3@three.test", "P", "d4@four.test", "P", "e5@five.test", "P", NULL };
	struct fake f = { .script = script };
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = five_domains(fx->s);
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.failed, 5);
	outbox_list_free(l);
	fake_free(&f);

	static const char *const same[] = { "ann@example.org", "A", "eve@example.org", "A",
		"fay@example.org", "A", NULL };
	struct fake g = { .script = same };
	l = everyone(fx->s);
	assert_int_equal(run(fx->s, l, &g, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.failed, 3);
	outbox_list_free(l);
	fake_free(&g);
}

static void
test_temporary_failure_gives_up(void **state)
{
	struct tu_fixture *fx = *state;
	static const char *const script[] = { "fay@example.org", "TTTTTTTT", NULL };
	struct fake f = { .script = script };
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.sent, 2);
	assert_int_equal(n.failed, 1);
	assert_int_equal(f.ncalls, 2 + 6);
	/* 1 s, 5 s, 30 s, 2 min, 5 min between the six tries */
	static const int64_t gaps[] = { 1000, 5000, 30000, 120000, 300000 };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(f.at[3 + i] - f.at[2 + i], gaps[i] + 10);
	if (strstr(buf_cstr(&f.told), "FAILED fay@example.org 0: temporary, gave up "
	    "after 6 tries: 451 4.7.1 later\n") == NULL)
		fail_msg("%s", buf_cstr(&f.told));
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE address ="
	    " 'fay@example.org' AND result = 'failed'"), 6);
	outbox_list_free(l);
	fake_free(&f);
}

static void
test_unreachable(void **state)
{
	struct tu_fixture *fx = *state;
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);

	/* at the start: stop at once, nothing recorded, everyone left */
	static const char *const first[] = { "ann@example.org", "U", NULL };
	struct fake f = { .script = first };
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_ABORTED);
	assert_string_equal(cause, "cannot reach the mail server");
	free(cause);
	assert_int_equal(n.left, 3);
	assert_int_equal(f.ncalls, 1);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail"), 0);
	fake_free(&f);

	/* mid-run: the same guest again after 1 s and 2 s, then on */
	static const char *const mid[] = { "eve@example.org", "UUS", NULL };
	struct fake g = { .script = mid };
	assert_int_equal(run(fx->s, l, &g, true, 0, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.sent, 3);
	assert_int_equal(g.ncalls, 5);
	assert_int_equal(g.at[2] - g.at[1], 1000 + 10);
	assert_int_equal(g.at[3] - g.at[2], 2000 + 10);
	assert_string_equal(g.to[4], "fay@example.org");
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail WHERE result = 'sent'"), 3);
	fake_free(&g);

	/* mid-run and for good: stop after half a minute of trying */
	static const char *const gone[] = { "eve@example.org", "UUUUUUUUUU", NULL };
	struct fake h = { .script = gone };
	assert_int_equal(run(fx->s, l, &h, true, 0, &n, &cause), OUTBOX_ABORTED);
	assert_non_null(strstr(cause, "tried again for half a minute"));
	free(cause);
	assert_int_equal(n.sent, 1);
	assert_int_equal(n.left, 2);
	assert_int_equal(h.ncalls, 1 + 6);
	fake_free(&h);
	outbox_list_free(l);
}

static void
test_fatal_and_stop(void **state)
{
	struct tu_fixture *fx = *state;
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);

	static const char *const script[] = { "eve@example.org", "F", NULL };
	struct fake f = { .script = script };
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_ABORTED);
	assert_string_equal(cause, "refused the login");
	free(cause);
	assert_int_equal(n.sent, 1);
	assert_int_equal(n.left, 2);
	assert_int_equal(f.ncalls, 2);                 /* Fay not tried */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail"), 1);
	fake_free(&f);

	/* a stop request during a message: that one is finished and recorded */
	struct fake g = { .stop_after = 1 };
	assert_int_equal(run(fx->s, l, &g, true, 0, &n, &cause), OUTBOX_STOPPED);
	assert_int_equal(g.ncalls, 1);
	assert_int_equal(n.sent, 1);
	assert_int_equal(n.left, 2);
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail"), 2);
	fake_free(&g);
	outbox_list_free(l);
}

static void
test_rate_and_dry_run(void **state)
{
	struct tu_fixture *fx = *state;
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);
	struct fake f = { 0 };
	assert_int_equal(run(fx->s, l, &f, false, 60, &n, &cause), OUTBOX_DONE);
	assert_int_equal(n.sent, 3);
	assert_int_equal(f.at[0], 0);
	assert_int_equal(f.at[1], 1000);
	assert_int_equal(f.at[2], 2000);
	/* not recorded: a dry run */
	assert_int_equal(tu_count(fx->s, "SELECT count(*) FROM mail"), 0);
	fake_free(&f);
	outbox_list_free(l);
}

static void
test_record_failure_stops(void **state)
{
	struct tu_fixture *fx = *state;
	struct outbox_counts n;
	char *cause;
	struct outbox_list *l = everyone(fx->s);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "PRAGMA query_only = 1", NULL, NULL, NULL),
	    SQLITE_OK);
	struct fake f = { 0 };
	assert_int_equal(run(fx->s, l, &f, true, 0, &n, &cause), OUTBOX_ABORTED);
	assert_non_null(strstr(cause, "the message to Ann Aa <ann@example.org> was sent but could "
	    "not be recorded (the next --unsent run mails them again)"));
	free(cause);
	assert_int_equal(f.ncalls, 1);
	assert_int_equal(n.sent, 0);
	assert_int_equal(n.left, 3);
	assert_int_equal(sqlite3_exec(store_db(fx->s), "PRAGMA query_only = 0", NULL, NULL, NULL),
	    SQLITE_OK);
	fake_free(&f);
	outbox_list_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_choose, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_run_records_and_nobody_twice, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_permanent_failure_goes_on, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_temporary_failure_retried_others_go_on, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_outcome_not_sent_again, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_new_code_is_unsent, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_replaced_code_is_the_latest, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_choose_in_schema_6_read_as_it_is, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_busy_server_stops_the_run, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_sender_quota_code_stops_the_run, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_sender_limit_in_words_stops_the_run, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_three_alike_refusals_stop_the_run, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_three_alike_temporary_refusals_stop_the_run, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_guests_refusals_in_a_row_go_on, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_temporary_failure_gives_up, tu_setup,
		    tu_teardown),
		cmocka_unit_test_setup_teardown(test_unreachable, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_fatal_and_stop, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_rate_and_dry_run, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_record_failure_stops, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests_name("outbox", tests, NULL, NULL);
}
