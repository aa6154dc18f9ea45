/* refusal: whether a mail server's refusal is one guest's or the sender's.
 *
 * A refused message is usually about its guest (an unknown user, a full
 * mailbox), and the run goes on. But when the organiser's account has hit
 * its sending limit, the server refuses every further message, each with
 * the same words, and at the guest's stage (RCPT or DATA: Gmail's "550
 * 5.4.5 Daily user sending quota exceeded"). Going on then prints one
 * failure per remaining guest and hammers the account. Three signs tell
 * the sender's refusal apart:
 *  - the enhanced status code (RFC 3463) X.4.5, "mail system congestion":
 *    a state of the mail system, not of a recipient; Gmail answers its
 *    daily sending limit with it;
 *  - words of a sending limit in a reply (4xx, 5xx): "sending quota",
 *    "rate limit", "too many messages", "daily limit"... (refusal.c has
 *    the list), by which other providers say it. They name the limit of
 *    the server kiosk talks to, the organiser's own, whoever the guest is,
 *    so they hold for guests of one domain too: a company's event mails
 *    its staff alone, and the domain rule below never stopped it;
 *  - REFUSAL_ALIKE messages in a row refused alike (the same reply and
 *    enhanced codes and words, once the addresses and the words with digits
 *    in them, ids and times, are taken out), to guests of more than one
 *    domain.
 * Never the sender's: X.1.x (addressing: 5.1.1 user unknown) and X.2.x
 * (mailbox: 5.2.2 full), however many in a row, since they are about the
 * guest by definition; except an X.2.x whose words name sending itself
 * (Office 365's "5.2.0 ... SubmissionQuotaExceededException", about the
 * sender's mailbox). A guest's "over quota" or "receiving mail at a rate
 * that prevents additional messages" is no sending limit. The domain rule
 * keeps a run from stopping on a company whose server refuses its guests
 * alike in other words (its policy, its filter): a guest refused for good
 * is tried again by --unsent, in the same order, so a false stop would
 * stop every later run at the same place. */
#ifndef KIOSK_REFUSAL_H
#define KIOSK_REFUSAL_H

#include <stdbool.h>
#include <stddef.h>

#include "mail/smtp.h"

/* Three: one refusal is a guest's; two alike in a row still happen (two bad
 * addresses of one kind, one after the other); a third, to guests of
 * different domains, is the server's mind about the sender. Stopping then
 * costs two "not sent" lines instead of hundreds, and those two guests are
 * mailed by the next --unsent run like the rest. */
#define REFUSAL_ALIKE 3
#define REFUSAL_ADDR_MAX 256   /* bytes of an address kept (for telling guests apart) */

enum refusal_whose {
	REFUSAL_EITHER,  /* nothing in the answer says whose it is */
	REFUSAL_GUEST,   /* X.1.x or X.2.x: the guest's address or mailbox */
	REFUSAL_SENDER,  /* X.4.5, or words of a sending limit: the mail system will
	                  * not take more for now */
};

/* Whose refusal answer ("550 5.4.5 Daily user sending quota exceeded",
 * multi-line answers included) is, by its enhanced status code and its
 * words of a sending limit. NULL, or neither: REFUSAL_EITHER. */
enum refusal_whose refusal_whose(const char *answer);

/* The refusals in a row so far. Zeroed: none (a struct on the stack). */
struct refusal_streak {
	char key[SMTP_ANSWER_MAX];                       /* the answer, addresses taken out */
	char to[REFUSAL_ALIKE][REFUSAL_ADDR_MAX];        /* the guests refused alike so far */
	size_t n;                                        /* how many of them */
	bool domains_differ;                             /* not all of one domain */
};

/* Note that the message to address to was refused with answer (4xx or
 * 5xx; an answer that is not the server's reply, such as a connection lost,
 * starts over). Returns true when this makes REFUSAL_ALIKE different guests in a
 * row refused alike, of more than one domain: the sender's refusal. A
 * guest's own refusal (X.1.x, X.2.x) or a different answer starts over; the
 * same guest again (a retry) adds nothing. */
bool refusal_streak_note(struct refusal_streak *st, const char *answer, const char *to);

/* A message went through: the streak is over. */
void refusal_streak_reset(struct refusal_streak *st);

#endif
