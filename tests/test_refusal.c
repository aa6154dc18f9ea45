/* Tests for refusal: whose a mail server's refusal is. What an organiser
 * notices: a run that hit the account's sending limit stops after a few
 * refusals instead of failing every guest left; a guest's own refusal (an
 * unknown user, a full mailbox), however many in a row, never stops it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mail/refusal.h"

static void
test_whose_by_enhanced_code(void **state)
{
	(void)state;
	/* Gmail's daily limit, one line and the first of several */
	assert_int_equal(refusal_whose("550 5.4.5 Daily user sending quota exceeded."),
	    REFUSAL_SENDER);
	assert_int_equal(refusal_whose("550-5.4.5 Daily user sending limit exceeded. For more\n"
	    "550 5.4.5 https://support.google.com/mail/?p=DailyLimitExceeded"), REFUSAL_SENDER);
	assert_int_equal(refusal_whose("451 4.4.5 Too much mail, try later"), REFUSAL_SENDER);
	/* the guest's: addressing and mailbox */
	assert_int_equal(refusal_whose("550 5.1.1 <ann@example.org>: User unknown"),
	    REFUSAL_GUEST);
	assert_int_equal(refusal_whose("552 5.2.2 Mailbox full"), REFUSAL_GUEST);
	assert_int_equal(refusal_whose("450 4.2.0 <ann@example.org>: Greylisted"), REFUSAL_GUEST);
	/* nothing says */
	assert_int_equal(refusal_whose("550 5.7.1 Message rejected"), REFUSAL_EITHER);
	assert_int_equal(refusal_whose("550 5.4.50 what"), REFUSAL_EITHER);
	assert_int_equal(refusal_whose("the connection was lost"), REFUSAL_EITHER);
	assert_int_equal(refusal_whose(""), REFUSAL_EITHER);
	assert_int_equal(refusal_whose(NULL), REFUSAL_EITHER);
}

/* A server with no X.4.5 code for it says the sender's limit in words:
 * the sender's at once, of one domain or many (a company's event mails
 * its staff alone, and every one of them was refused "not sent", the
 * account hammered, since three alike of one domain stopped nothing). A
 * guest's full mailbox, or a guest flooded, is not a sending limit. */
static void
test_whose_by_words_of_a_limit(void **state)
{
	(void)state;
	static const char *const sender[] = {
		"550 Daily quota exceeded",
		"554 Message rejected: Sending quota exceeded.",
		"550 5.7.1 <ann@acme.test>: Daily sending limit reached, try again tomorrow",
		"451 4.7.1 Ratelimit exceeded for user tickets@example.org, try later",
		"450 4.7.1 Rate limit reached (120 per hour)",
		"452 Too many messages sent today",
		"421-4.7.0 You are being throttled.\n421 4.7.0 Try again later.",
		/* Office 365: its X.2.0 is the sender's mailbox store */
		"554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed "
		"to process message due to a permanent exception",
	};
	for (size_t i = 0; i < sizeof sender / sizeof *sender; i++)
		if (refusal_whose(sender[i]) != REFUSAL_SENDER)
			fail_msg("not the sender's: %s", sender[i]);
	static const char *const guest[] = {
		"452-4.2.2 The email account that you tried to reach is over quota.",
		"552 5.2.2 <ann@acme.test>: Mailbox full, quota exceeded",
		"452-4.2.1 The user you are trying to contact is receiving mail at a rate that "
		"prevents additional messages from being delivered.",
		"450 4.2.1 <ann@acme.test>: too many messages for this mailbox today",
		"550 5.1.1 <ratelimit@acme.test>: User unknown",
	};
	for (size_t i = 0; i < sizeof guest / sizeof *guest; i++)
		if (refusal_whose(guest[i]) != REFUSAL_GUEST)
			fail_msg("not the guest's: %s", guest[i]);
	static const char *const either[] = {
		"550 <ratelimit@acme.test>: access denied",     /* an address is no word */
		"552 5.3.4 Message size exceeds fixed limit",
		"550 5.7.1 Message rejected as spam",
		"the connection to the mail server was lost (rate limit)",  /* not a reply */
	};
	for (size_t i = 0; i < sizeof either / sizeof *either; i++)
		if (refusal_whose(either[i]) != REFUSAL_EITHER)
			fail_msg("said whose: %s", either[i]);
}

/* Feed the answer "before ADDRESS after" for each address in turn; the
 * index of the one that made it the sender's, or -1. */
static int
feed(const char *const *to, size_t n, const char *before, const char *after)
{
	struct refusal_streak st = { 0 };
	for (size_t i = 0; i < n; i++) {
		char answer[SMTP_ANSWER_MAX];
		snprintf(answer, sizeof answer, "%s%s%s", before, to[i], after);
		if (refusal_streak_note(&st, answer, to[i]))
			return (int)i;
	}
	return -1;
}

static const char *const apart[] = {
	"ann@one.test", "bob@two.test", "cid@three.test", "dee@four.test", "eve@five.test",
};

static void
test_three_alike_in_a_row_are_the_senders(void **state)
{
	(void)state;
	/* the address in the words is no difference */
	assert_int_equal(feed(apart, 5, "452 4.3.0 <", ">: not now, try again later"), 2);
	assert_int_equal(feed(apart, 5, "550 Message not accepted (", ")"), 2);
	assert_int_equal(feed(apart, 5, "421 come back later", ""), 2);
	/* nor a session id, a time or an IP in them */
	struct refusal_streak st = { 0 };
	assert_false(refusal_streak_note(&st, "451 4.7.500 Server busy, try later from "
	    "[192.0.2.7]. (S77719) [AM0PR01.prod 2026-11-28T23:01:02]", "a@one.test"));
	assert_false(refusal_streak_note(&st, "451 4.7.500 Server busy, try later from "
	    "[192.0.2.9]. (S77720) [DB9PR02.prod 2026-11-28T23:01:03]", "b@two.test"));
	assert_true(refusal_streak_note(&st, "451 4.7.500 Server busy, try later from "
	    "[192.0.2.11]. (S77721) [AM0PR01.prod 2026-11-28T23:01:04]", "c@three.test"));
	/* but the codes are kept: 550 5.7.1 and 550 5.7.2 are not alike */
	refusal_streak_reset(&st);
	assert_false(refusal_streak_note(&st, "550 5.7.1 refused", "a@one.test"));
	assert_false(refusal_streak_note(&st, "550 5.7.2 refused", "b@two.test"));
	assert_false(refusal_streak_note(&st, "550 5.7.1 refused", "c@three.test"));
}

static void
test_guests_own_refusals_never_stop(void **state)
{
	(void)state;
	assert_int_equal(feed(apart, 5, "550 5.1.1 <", ">: Recipient address rejected: "
	    "User unknown"), -1);
	assert_int_equal(feed(apart, 5, "552 5.2.2 <", ">: Mailbox full"), -1);
	/* not a server's answer: retried as it is */
	assert_int_equal(feed(apart, 5, "the connection to ", " was lost"), -1);
	/* one company's server refusing its guests alike, with no code that
	 * says whose: theirs, as --unsent would stop at the same place again */
	static const char *const one[] = { "a@acme.test", "b@acme.test", "c@ACME.test",
		"d@acme.test" };
	assert_int_equal(feed(one, 4, "550 <", ">: access denied"), -1);
}

static void
test_different_or_interrupted_refusals_start_over(void **state)
{
	(void)state;
	struct refusal_streak st = { 0 };
	assert_false(refusal_streak_note(&st, "550 limit <a@one.test>", "a@one.test"));
	assert_false(refusal_streak_note(&st, "550 limit <b@two.test>", "b@two.test"));
	refusal_streak_reset(&st);   /* a message went through */
	assert_false(refusal_streak_note(&st, "550 limit <c@three.test>", "c@three.test"));
	assert_false(refusal_streak_note(&st, "550 limit <d@four.test>", "d@four.test"));
	/* another answer in between */
	assert_false(refusal_streak_note(&st, "550 other", "e@five.test"));
	assert_false(refusal_streak_note(&st, "550 limit <f@six.test>", "f@six.test"));
	assert_false(refusal_streak_note(&st, "550 limit <g@seven.test>", "g@seven.test"));
	/* a retry of a guest counted already adds nothing */
	assert_false(refusal_streak_note(&st, "550 limit <f@six.test>", "f@six.test"));
	assert_true(refusal_streak_note(&st, "550 limit <h@eight.test>", "h@eight.test"));
	/* a guest's own refusal in between starts over */
	refusal_streak_reset(&st);
	assert_false(refusal_streak_note(&st, "451 later", "a@one.test"));
	assert_false(refusal_streak_note(&st, "451 later", "b@two.test"));
	assert_false(refusal_streak_note(&st, "550 5.1.1 unknown", "c@three.test"));
	assert_false(refusal_streak_note(&st, "451 later", "d@four.test"));
	assert_false(refusal_streak_note(&st, "451 later", "e@five.test"));
	assert_true(refusal_streak_note(&st, "451 later", "f@six.test"));
}

/* An answer as long as any kept, and an address longer than kept. */
static void
test_long_answers_and_addresses(void **state)
{
	(void)state;
	char answer[SMTP_ANSWER_MAX], to[3][600];
	memset(answer, 'x', sizeof answer - 1);
	memcpy(answer, "550 ", 4);
	answer[sizeof answer - 1] = '\0';
	struct refusal_streak st = { 0 };
	for (int i = 0; i < 3; i++) {
		memset(to[i], 'a' + i, sizeof to[i] - 1);
		to[i][sizeof to[i] - 1] = '\0';
		snprintf(to[i] + 400, 20, "@d%d.test", i);
		assert_int_equal(refusal_streak_note(&st, answer, to[i]), i == 2);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whose_by_enhanced_code),
		cmocka_unit_test(test_whose_by_words_of_a_limit),
		cmocka_unit_test(test_three_alike_in_a_row_are_the_senders),
		cmocka_unit_test(test_guests_own_refusals_never_stop),
		cmocka_unit_test(test_different_or_interrupted_refusals_start_over),
		cmocka_unit_test(test_long_answers_and_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
