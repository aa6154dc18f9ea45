/* smtp: hand finished messages to a mail server, with libcurl.
 *
 * One handle serves a whole run, so libcurl keeps the connection (and its
 * TLS session) open from one message to the next.
 *
 * Rules:
 *  - TLS. smtps:// is TLS from the first byte; smtp:// must switch to TLS
 *    with STARTTLS before anything else is said (CURLUSESSL_ALL). The one
 *    exception is a server on this computer (localhost, 127.0.0.0/8, ::1),
 *    a local relay, which may speak plain SMTP (STARTTLS is still used when
 *    it is offered).
 *  - Secrets. The user name and password come from the options (kiosk.conf)
 *    and nowhere else: an address with user info in it is refused, and no
 *    message of ours ever holds the password or an address's user info
 *    (util_url_redact). Of the dialogue only the server's answers are kept, for
 *    the messages; of what we send (AUTH carries the password) nothing but
 *    the command's first word is looked at, to know which command an answer
 *    belongs to.
 *  - Outcomes, by what the caller should do next:
 *      SMTP_SENT         the server took the message (250 after the data);
 *      SMTP_TEMPORARY    4xx, or a connection lost mid-way: try again later;
 *      SMTP_PERMANENT    5xx to this recipient or this message (a bad
 *                        address, a refused message): report it, go on;
 *      SMTP_UNREACHABLE  no connection could be made: wait, or stop;
 *      SMTP_FATAL        every message would fail alike (login refused, no
 *                        STARTTLS, a certificate we cannot trust, our sender
 *                        refused): stop the run. */
#ifndef KIOSK_SMTP_H
#define KIOSK_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#define SMTP_ANSWER_MAX 512     /* bytes of a server answer kept for messages */

enum smtp_result {
	SMTP_SENT,
	SMTP_TEMPORARY,
	SMTP_PERMANENT,
	SMTP_UNREACHABLE,
	SMTP_FATAL,
	/* The whole message went, and no answer came (the connection lost,
	 * or none in time): it may have arrived. Sending it again could give
	 * the guest a second copy, or a sixth. */
	SMTP_UNKNOWN,
	/* The server turns every message away for now, not this guest's
	 * (421, or a 4xx to MAIL FROM: a rate limit, a daily quota). */
	SMTP_BUSY,
};

struct smtp_options {
	const char *url;          /* smtp://HOST[:PORT][/EHLO-NAME] or smtps://... */
	const char *username;     /* "" or NULL: no login */
	const char *password;
	const char *cafile;       /* PEM to trust; "" or NULL: the system's */
	long connect_ms;          /* 0: 15 s */
	long timeout_ms;          /* a whole message; 0: 120 s */
	/* Polled during a transfer: non-zero abandons the message in flight
	 * (SMTP_FATAL, "interrupted"; SMTP_UNKNOWN once all of it went and
	 * the answer is awaited: it may have arrived). NULL: never. */
	int (*abort)(void *arg);
	void *abort_arg;
	const char *conf_path;    /* the settings file messages name; NULL: kiosk.conf */
};

struct smtp;

/* Check the options and make a handle (nothing is sent yet). Returns 0 and
 * *out, or -1 with *cause: not an smtp:// or smtps:// address, user info in
 * the address, plain smtp:// to another computer is fine (STARTTLS), libcurl
 * failing to start. */
int smtp_new(const struct smtp_options *o, struct smtp **out, char **cause);

/* Send one message from the bare address from to the bare address to. A
 * message abandoned before its final dot is not delivered; one abandoned
 * while the server's answer to it is awaited may have been. 
 * *answer (caller frees) gets what the server said last ("250 2.0.0 Ok:
 * queued as 4B2F"; for a failure the refusal) or what went wrong. */
enum smtp_result smtp_send(struct smtp *s, const char *from, const char *to,
    const char *data, size_t len, char **answer);

/* Cut the connection of the message in flight (shutdown(2) of its
 * socket): what abort does between libcurl's polls, also where libcurl
 * does not poll (the wait for the answer after the message, up to the
 * timeout). Async-signal-safe: for a signal handler. NULL does nothing. */
void smtp_cut(struct smtp *s);

/* smtp_free(NULL) does nothing. */
void smtp_free(struct smtp *s);

/* True when the server is this computer (see the TLS rule above). */
bool smtp_host_is_local(const char *host);

#endif
