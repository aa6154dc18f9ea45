/* outbox: who gets a ticket e-mail, the sending, and the record of it.
 *
 * The record is the mail table (store.h): one row per attempt, with when,
 * the address, the ticket's code, 'sent', 'failed' or 'unknown' (went
 * whole with no answer: it may have arrived), our Message-ID and the
 * server's words. A guest has been mailed when a 'sent' or 'unknown' row
 * names them with the address and code they have now. One of those rows
 * with another code, when there is one, names the ticket that their
 * message now replaces (ticket.h says so to the guest).
 *
 * Choosing (outbox_choose). Every guest, or those named by code; cancelled
 * tickets are left out (named by code, they are an error). OUTBOX's unsent
 * keeps only guests not mailed yet, so an interrupted run resumes where it
 * stopped. Mailing anyone a second time takes resend: without it a choice
 * that would do so is refused before anything is sent. Guests without an
 * e-mail address, or with one that is not an address, are handed back in
 * a list of their own for the caller to show, never dropped in silence.
 *
 * Sending (outbox_run). One message at a time, in list order, at most
 * per_minute a minute. Each attempt is committed in a transaction of its
 * own right after the server's answer, so a run that dies loses at most the
 * message in flight: if the server had taken it, the next --unsent run
 * mails that one guest again (the same ticket twice, never none; kiosk
 * chooses this over a 'sending' mark, which would turn a hard kill into a
 * guest nobody mails). A stop request (SIGINT, SIGTERM: *stop) is honoured
 * between messages, so an interrupted run sends nothing twice.
 *  - A temporary failure (4xx, a dropped connection) is recorded and the
 *    guest queued again after 1 s, 5 s, 30 s, 2 min and 5 min (greylisting
 *    servers want minutes); the others go on meanwhile, and the same
 *    message (same Message-ID) is offered again. After the last try the
 *    guest counts as failed.
 *  - A permanent failure (5xx: a bad address) is recorded, reported
 *    through ops->told, and the run goes on.
 *  - A refusal that is the sender's, not the guest's (a 421 busy server;
 *    refusal.h: an X.4.5 code such as Gmail's daily quota, or
 *    REFUSAL_ALIKE guests in a row refused alike) stops the run
 *    (OUTBOX_REFUSED), that guest left with the rest, rather than fail
 *    every guest left one by one.
 *  - A message that went whole and got no answer is recorded 'unknown',
 *    reported as such and counted apart from the failures: it may have
 *    arrived, so neither this run nor an unsent one sends it again.
 *  - A server that cannot be reached stops the run at once when nothing has
 *    been sent yet (a wrong address in kiosk.conf), else after 1, 2, 4, 8
 *    and 16 s of trying again. A fatal answer (login refused, TLS) stops it
 *    at once. What is left is sent by the next --unsent run. */
#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/store.h"
#include "mail/smtp.h"
#include "mail/ticket.h"

/* A guest of the run. Strings owned by the list; never NULL. */
struct outbox_guest {
	char *uuid;
	char *code;
	char *first_name;
	char *last_name;
	char *email;             /* trimmed */
	char *company;
	char *ticket_type;
	char *handle;
	char *language;          /* en, nl, fr, de or "" */
	int64_t mailed_at;       /* latest 'sent' or 'unknown' with the address and code it
	                          * has now (ms UTC); 0: never */
	bool answered;           /* one of those was 'sent': the server took it */
	char *replaced_code;     /* the code of the latest 'sent' or 'unknown' at the address
	                          * it has now with another code (an import gave it a new
	                          * one): the ticket this one replaces; "": none */
};

struct outbox_choice {
	const char *const *codes;  /* only these guests (as typed); none: every guest */
	size_t ncodes;
	bool unsent;               /* only guests not mailed yet */
	bool resend;               /* mailing someone again is intended */
};

struct outbox_list {
	struct outbox_guest *send;   /* to be mailed, in list order */
	size_t nsend;
	struct outbox_guest *noaddr; /* no e-mail address, or not a valid one */
	size_t nnoaddr;
	size_t cancelled;            /* cancelled tickets left out */
	size_t mailed;               /* mailed already and left out (unsent) */
};

/* Choose the guests of a run. Returns 0 and *out (outbox_list_free), or -1
 * with *cause: a code nobody has, a cancelled ticket named by code, guests
 * mailed already without resend (named, with what to do), unsent with
 * resend, or a database error. */
int outbox_choose(struct store *s, const struct outbox_choice *c, struct outbox_list **out,
    char **cause);

void outbox_list_free(struct outbox_list *l);

/* "First Last <address>" (or the address alone) for messages. Caller frees. */
char *outbox_guest_label(const struct outbox_guest *g);

enum outbox_event {
	OUTBOX_SENT,     /* the server took it (a dry run: the file is written) */
	OUTBOX_RETRY,    /* a temporary failure; tried again in wait_ms */
	OUTBOX_FAILED,   /* refused for good, or still failing after the last try */
	OUTBOX_UNKNOWN,  /* went whole, no answer: it may have arrived; not sent again */
};

struct outbox_counts {
	size_t sent;
	size_t failed;
	size_t unknown;  /* went whole with no answer (OUTBOX_UNKNOWN): not failed, since
	                  * it may have arrived, and not sent again */
	size_t left;     /* not yet sent, failed for good nor unknown (retries included) */
};

/* What the run does through the caller. clock_ms and sleep_ms may be NULL
 * (the monotonic clock, nanosleep); tests give their own. */
struct outbox_ops {
	/* Make g's message, dated now (ms UTC, the event's clock). Returns 0
	 * with *m, or -1 with *cause, which stops the run. */
	int (*compose)(void *arg, const struct outbox_guest *g, int64_t now,
	    struct ticket_message *m, char **cause);
	/* Hand it over; *answer (caller frees) gets the server's words. */
	enum smtp_result (*send)(void *arg, const struct outbox_guest *g,
	    const struct ticket_message *m, char **answer);
	/* One guest's outcome (may be NULL). */
	void (*told)(void *arg, const struct outbox_guest *g, enum outbox_event e,
	    const char *answer, int64_t wait_ms);
	/* The counts, after each message and now and then while waiting (may be NULL). */
	void (*progress)(void *arg, const struct outbox_counts *c);
	int64_t (*clock_ms)(void *arg);
	void (*sleep_ms)(void *arg, int64_t ms);
	void *arg;
};

struct outbox_options {
	bool record;                      /* keep each attempt in the mail table */
	int per_minute;                   /* messages a minute at most; 0: no limit */
	const volatile sig_atomic_t *stop; /* non-zero: stop before the next message */
};

enum outbox_end {
	OUTBOX_DONE,     /* every guest of the list sent, or failed for good */
	OUTBOX_STOPPED,  /* *stop was set; the rest is left */
	OUTBOX_REFUSED,  /* the server turns this sender away for now (421, a quota, a rate
	                  * limit): the rest is left for a later --unsent, and *cause says
	                  * so whole, how many and when included */
	OUTBOX_ABORTED,  /* the server or the database made going on pointless: *cause */
};

/* Send the list. *counts tells how far it got, whatever the end. */
enum outbox_end outbox_run(struct store *s, const struct outbox_list *l,
    const struct outbox_options *o, const struct outbox_ops *ops,
    struct outbox_counts *counts, char **cause);

#endif
