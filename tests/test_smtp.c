/* test_smtp: libcurl against a scripted SMTP server on loopback (a thread
 * of this test): the bytes that arrive are the bytes given, answers sorted
 * into sent / temporary / permanent / fatal / unreachable, one connection
 * for many messages, and no password or user info in any message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/util.h"
#include "mail/smtp.h"

#define DROP "(drop)"
#define HANG "(hang)"   /* no answer after the message, the connection kept (8 s) */

/* What the server answers; NULL: the usual yes; DROP: no answer, the
 * connection closed. */
struct script {
	const char *mail, *rcpt, *data_end, *auth;
};

struct server {
	int fd;
	int port;
	pthread_t thread;
	atomic_bool done;         /* set by the test, read by the server's thread */
	struct script script;
	const char *starttls;     /* non-NULL: offered, and answered so */
	int connections;
	struct buf data;          /* the last message's data, dot-unstuffed */
	struct buf commands;      /* every command line, one a line */
};

/* Read one line (CRLF kept) into b; false at the end of the connection. */
static bool
read_line(int fd, struct buf *b)
{
	char c;
	buf_reset(b);
	for (;;) {
		ssize_t n = read(fd, &c, 1);
		if (n <= 0)
			return false;
		buf_addc(b, c);
		if (c == '\n')
			return true;
	}
}

/* A line to the client; a client gone (a TLS handshake given up on the
 * greeting) is no SIGPIPE that kills the test. */
static void
say(int fd, const char *s)
{
	size_t n = strlen(s);
	if (send(fd, s, n, MSG_NOSIGNAL) != (ssize_t)n || send(fd, "\r\n", 2, MSG_NOSIGNAL) != 2)
		return;
}

/* A script's DROP: the server closes the connection instead of answering. */
static bool
dropped(const char *answer)
{
	return answer != NULL && strcmp(answer, DROP) == 0;
}

static void
serve_one(struct server *sv, int c)
{
	struct buf line;
	buf_init(&line, 0);
	say(c, "220 fake.test ESMTP");
	while (read_line(c, &line)) {
		const char *l = buf_cstr(&line);
		buf_add(&sv->commands, l, line.len);
		if (strncmp(l, "EHLO", 4) == 0) {
			say(c, "250-fake.test");
			say(c, "250-AUTH PLAIN LOGIN");
			if (sv->starttls != NULL)
				say(c, "250-STARTTLS");
			say(c, "250 8BITMIME");
		} else if (strncmp(l, "STARTTLS", 8) == 0 && sv->starttls != NULL) {
			say(c, sv->starttls);
		} else if (strncmp(l, "AUTH", 4) == 0) {
			/* "AUTH PLAIN" alone: the credentials come on the next line */
			if (strcmp(l, "AUTH PLAIN\r\n") == 0) {
				say(c, "334 ");
				if (!read_line(c, &line))
					break;
			}
			say(c, sv->script.auth ? sv->script.auth : "235 2.7.0 ok");
		} else if (strncmp(l, "MAIL", 4) == 0) {
			say(c, sv->script.mail ? sv->script.mail : "250 2.1.0 ok");
		} else if (strncmp(l, "RCPT", 4) == 0) {
			if (dropped(sv->script.rcpt))
				break;
			say(c, sv->script.rcpt ? sv->script.rcpt : "250 2.1.5 ok");
		} else if (strncmp(l, "DATA", 4) == 0) {
			say(c, "354 go ahead");
			buf_reset(&sv->data);
			while (read_line(c, &line)) {
				const char *d = buf_cstr(&line);
				if (strcmp(d, ".\r\n") == 0)
					break;
				buf_add(&sv->data, d + (d[0] == '.'), line.len - (d[0] == '.'));
			}
			if (dropped(sv->script.data_end))
				break;
			if (sv->script.data_end != NULL && strcmp(sv->script.data_end, HANG) == 0) {
				for (int i = 0; i < 800 && !sv->done; i++) {
					struct timespec ms10 = { 0, 10 * 1000000L };
					nanosleep(&ms10, NULL);
				}
				break;
			}
			say(c, sv->script.data_end ? sv->script.data_end : "250 2.0.0 queued as 1");
		} else if (strncmp(l, "QUIT", 4) == 0) {
			say(c, "221 2.0.0 bye");
			break;
		} else {
			say(c, "250 ok");
		}
	}
	buf_free(&line);
}

static void *
serve(void *arg)
{
	struct server *sv = arg;
	while (!sv->done) {
		struct pollfd p = { sv->fd, POLLIN, 0 };
		if (poll(&p, 1, 50) <= 0)
			continue;
		int c = accept(sv->fd, NULL, NULL);
		if (c < 0)
			continue;
		sv->connections++;
		serve_one(sv, c);
		close(c);
	}
	return NULL;
}

static int
listen_any(int *port)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static int
setup(void **state)
{
	struct server *sv = xcalloc(1, sizeof *sv);
	buf_init(&sv->data, 0);
	buf_init(&sv->commands, 0);
	sv->fd = listen_any(&sv->port);
	if (sv->fd < 0 || pthread_create(&sv->thread, NULL, serve, sv) != 0)
		return -1;
	*state = sv;
	return 0;
}

static int
teardown(void **state)
{
	struct server *sv = *state;
	sv->done = true;
	pthread_join(sv->thread, NULL);
	close(sv->fd);
	buf_free(&sv->data);
	buf_free(&sv->commands);
	free(sv);
	return 0;
}

/* A client of the server at base ("smtp://HOST"), logging in when user. */
static struct smtp *
client_at(const struct server *sv, const char *base, const char *user, const char *password)
{
	char *url = xasprintf("%s:%d", base, sv->port);
	struct smtp_options o = { url, user, password, NULL, 2000, 5000, NULL, NULL, NULL };
	struct smtp *s = NULL;
	char *cause = NULL;
	if (smtp_new(&o, &s, &cause) != 0)
		fail_msg("%s", cause);
	free(url);
	return s;
}

static struct smtp *
client(const struct server *sv, const char *user, const char *password)
{
	return client_at(sv, "smtp://127.0.0.1", user, password);
}

static const char message[] =
    "From: a@example.org\r\nTo: b@example.org\r\nSubject: dots\r\n\r\n"
    ".\r\n..\r\n.leading dot\r\nmiddle . dot\r\n\r\n.\r\nlast line\r\n";

static enum smtp_result
send1(struct smtp *s, char **answer)
{
	return smtp_send(s, "a@example.org", "b@example.org", message, sizeof message - 1, answer);
}

static void
test_redact_and_local(void **state)
{
	(void)state;
	static const char *const r[][2] = {
		{ "smtps://user:pw@mail.example.org:465/x", "smtps://***@mail.example.org:465/x" },
		{ "smtp://user@host", "smtp://***@host" },
		{ "smtp://host:587", "smtp://host:587" },
		{ "smtp://host/path@x", "smtp://host/path@x" },
		{ "user:pw@host", "***@host" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		char *got = util_url_redact(r[i][0]);
		assert_string_equal(got, r[i][1]);
		free(got);
	}
	assert_true(smtp_host_is_local("localhost"));
	assert_true(smtp_host_is_local("LOCALHOST"));
	assert_true(smtp_host_is_local("127.0.0.1"));
	assert_true(smtp_host_is_local("127.1.2.3"));
	assert_true(smtp_host_is_local("::1"));
	assert_true(smtp_host_is_local("[::1]"));
	assert_false(smtp_host_is_local("127.0.0.1.example.org"));
	assert_false(smtp_host_is_local("10.0.0.1"));
	assert_false(smtp_host_is_local("localhost.example.org"));
	assert_false(smtp_host_is_local("128.0.0.1"));
	assert_false(smtp_host_is_local(NULL));
}

static void
expect_new_fails(const char *url, const char *want)
{
	struct smtp_options o = { url, "bot", "hunter2", NULL, 0, 0, NULL, NULL, NULL };
	struct smtp *s = NULL;
	char *cause = NULL;
	assert_int_equal(smtp_new(&o, &s, &cause), -1);
	assert_null(s);
	if (strstr(cause, want) == NULL)
		fail_msg("got '%s', want '%s'", cause, want);
	assert_null(strstr(cause, "hunter2"));
	assert_null(strstr(cause, "s3cr3t"));
	free(cause);
}

static void
test_new_refuses(void **state)
{
	(void)state;
	expect_new_fails("", "no mail server: set [mail] smtp in kiosk.conf");
	expect_new_fails(NULL, "no mail server");
	expect_new_fails("http://mail.example.org", "is not smtps://HOST[:PORT] or smtp://");
	expect_new_fails("mail.example.org", "is not smtps://");
	expect_new_fails("smtp://bot:s3cr3t@mail.example.org:587",
	    "the mail server's address smtp://***@mail.example.org:587 holds a user name or "
	    "password: put them in [mail] username and password in kiosk.conf");
	expect_new_fails("smtps://bot@mail.example.org", "holds a user name");
	smtp_free(NULL);
}

static void
test_sends_the_bytes_given(void **state)
{
	struct server *sv = *state;
	struct smtp *s = client(sv, NULL, NULL);
	char *answer = NULL;
	assert_int_equal(send1(s, &answer), SMTP_SENT);
	assert_string_equal(answer, "250 2.0.0 queued as 1");
	free(answer);
	assert_int_equal(sv->data.len, sizeof message - 1);
	assert_memory_equal(sv->data.data, message, sizeof message - 1);
	assert_non_null(strstr(buf_cstr(&sv->commands), "MAIL FROM:<a@example.org>"));
	assert_non_null(strstr(buf_cstr(&sv->commands), "RCPT TO:<b@example.org>"));
	/* the next message on the same connection */
	assert_int_equal(send1(s, &answer), SMTP_SENT);
	free(answer);
	assert_int_equal(sv->connections, 1);
	smtp_free(s);
}

static void
expect_result(struct server *sv, struct script sc, enum smtp_result want, const char *answer)
{
	struct smtp *s = client(sv, NULL, NULL);
	char *got = NULL;
	sv->script = sc;
	enum smtp_result r = send1(s, &got);
	if (r != want || strstr(got, answer) == NULL)
		fail_msg("result %d '%s', want %d '%s'", r, got, want, answer);
	free(got);
	/* the handle is good for the next message */
	memset(&sv->script, 0, sizeof sv->script);
	assert_int_equal(send1(s, &got), SMTP_SENT);
	free(got);
	smtp_free(s);
}

static void
test_answers_sorted(void **state)
{
	struct server *sv = *state;
	expect_result(sv, (struct script){ NULL, "550 5.1.1 <b@example.org>: no such user", NULL,
	    NULL }, SMTP_PERMANENT, "550 5.1.1 <b@example.org>: no such user");
	expect_result(sv, (struct script){ NULL, "451 4.7.1 greylisted", NULL, NULL },
	    SMTP_TEMPORARY, "451 4.7.1 greylisted");
	expect_result(sv, (struct script){ NULL, NULL, "554 5.7.1 spam", NULL },
	    SMTP_PERMANENT, "554 5.7.1 spam");
	expect_result(sv, (struct script){ NULL, NULL, "452 4.3.1 disk full", NULL },
	    SMTP_TEMPORARY, "452 4.3.1 disk full");
	/* the server's, not the guest's: a rate limit, a quota */
	expect_result(sv, (struct script){ "421 4.7.0 slow down", NULL, NULL, NULL },
	    SMTP_BUSY, "421 4.7.0 slow down");
	expect_result(sv, (struct script){ "451 4.7.1 daily quota reached", NULL, NULL, NULL },
	    SMTP_BUSY, "451 4.7.1 daily quota reached");
	expect_result(sv, (struct script){ "553 5.7.1 sender not allowed", NULL, NULL, NULL },
	    SMTP_FATAL, "refused MAIL: 553 5.7.1 sender not allowed");
}

/* TLS gone wrong, named for what it is. smtps:// written for a port that
 * takes STARTTLS: the server's plain greeting is no handshake, and the
 * cure is smtp://, not a certificate. A server that offers STARTTLS and
 * refuses it for now (454): the run stops, to try again later; refused
 * for good: fatal. (0.0.0.0 reaches this loopback server, but is not this
 * computer by name, so TLS is required as for any mail server.) */
static void
test_tls_troubles_named(void **state)
{
	static const struct {
		const char *base, *starttls;
		enum smtp_result want;
		const char *says;
	} cases[] = {
		{ "smtps://127.0.0.1", NULL, SMTP_FATAL, "does not start with TLS" },
		{ "smtp://0.0.0.0", "454 4.7.0 TLS not available due to temporary reason", SMTP_BUSY,
		  "refuses STARTTLS for now: 454 4.7.0 TLS not available" },
		{ "smtp://0.0.0.0", "502 5.5.1 not here", SMTP_FATAL,
		  "refused STARTTLS (502 5.5.1 not here)" },
		{ "smtp://0.0.0.0", NULL, SMTP_FATAL, "offers no STARTTLS" },
	};
	struct server *sv = *state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = NULL;
		sv->starttls = cases[i].starttls;
		struct smtp *s = client_at(sv, cases[i].base, NULL, NULL);
		enum smtp_result r = send1(s, &got);
		if (r != cases[i].want || strstr(got, cases[i].says) == NULL)
			fail_msg("%s: result %d '%s', want %d '%s'", cases[i].base, r, got,
			    cases[i].want, cases[i].says);
		/* smtps:// on a STARTTLS port: the cure is smtp://, not a certificate */
		if (i == 0)
			assert_true(strstr(got, "write smtp://") != NULL && strstr(got, "cafile") == NULL);
		free(got);
		smtp_free(s);
	}
	assert_int_equal(sv->data.len, 0); /* nothing went in the clear */
}

/* A connection the server drops mid-way is a temporary failure, named as
 * such: not "250 2.1.5 ok" or "354 go ahead", the last answers it gave. */
static void
test_dropped_connection(void **state)
{
	struct server *sv = *state;
	char *lost = xasprintf("the connection to the mail server at smtp://127.0.0.1:%d was "
	    "lost during ", sv->port);
	char *want = xasprintf("%sRCPT", lost);
	expect_result(sv, (struct script){ NULL, DROP, NULL, NULL }, SMTP_TEMPORARY, want);
	free(want);
	/* after the whole message: it may have arrived, not to be sent again */
	want = xasprintf("%sDATA", lost);
	expect_result(sv, (struct script){ NULL, NULL, DROP, NULL }, SMTP_UNKNOWN, want);
	expect_result(sv, (struct script){ NULL, NULL, DROP, NULL }, SMTP_UNKNOWN,
	    "; the message may have arrived");
	free(want);
	free(lost);
}

/* After a failure the next message goes on a new connection: an answer
 * that comes late on the old one would be taken for the next message's.
 * Messages sent one after the other share one. */
static void
test_new_connection_after_a_failure(void **state)
{
	struct server *sv = *state;
	struct smtp *s = client(sv, NULL, NULL);
	char *got = NULL;
	assert_int_equal(send1(s, &got), SMTP_SENT);
	free(got);
	int before = sv->connections;
	assert_int_equal(send1(s, &got), SMTP_SENT);
	free(got);
	assert_int_equal(sv->connections, before);
	sv->script.rcpt = "550 5.1.1 no such user";
	assert_int_equal(send1(s, &got), SMTP_PERMANENT);
	free(got);
	memset(&sv->script, 0, sizeof sv->script);
	before = sv->connections;
	assert_int_equal(send1(s, &got), SMTP_SENT);
	free(got);
	assert_int_equal(sv->connections, before + 1);
	smtp_free(s);
}

struct cutter {
	struct smtp *s;
	pthread_t thread;
};

static void *
cut_soon(void *arg)
{
	struct cutter *k = arg;
	struct timespec ms300 = { 0, 300 * 1000000L };
	nanosleep(&ms300, NULL);
	smtp_cut(k->s);
	return NULL;
}

/* A server that took the message and does not answer: libcurl polls no
 * abort while it waits (up to the timeout, 120 s by default), so a second
 * Ctrl-C cuts the connection itself (smtp_cut). The message may have
 * arrived, and is reported so, well before the 5 s this client waits. */
static void
test_cut_while_waiting_for_the_answer(void **state)
{
	struct server *sv = *state;
	struct smtp *s = client(sv, NULL, NULL);
	char *got = NULL;
	sv->script.data_end = HANG;
	struct cutter k = { s, 0 };
	assert_int_equal(pthread_create(&k.thread, NULL, cut_soon, &k), 0);
	int64_t t0 = util_mono_ms();
	enum smtp_result r = send1(s, &got);
	int64_t took = util_mono_ms() - t0;
	pthread_join(k.thread, NULL);
	if (r != SMTP_UNKNOWN || strstr(got, "may have arrived") == NULL || took >= 4000)
		fail_msg("result %d after %lld ms: %s", r, (long long)took, got);
	free(got);
	memset(&sv->script, 0, sizeof sv->script);
	smtp_cut(NULL);
	smtp_free(s);
}

/* A second Ctrl-C as kiosk mail makes it: the stop flag its abort callback
 * polls, then the connection cut, while the server holds its answer to a
 * message it has taken. libcurl sees the flag first (ABORTED_BY_CALLBACK);
 * the message went whole, so it may have arrived: SMTP_UNKNOWN, which the
 * outbox records, and --unsent does not send it again. As SMTP_FATAL it was
 * recorded nowhere, and --unsent mailed that guest a second ticket. */
static atomic_int stop_flag;

static int
stop_set(void *arg)
{
	(void)arg;
	return atomic_load(&stop_flag);
}

static void *
stop_soon(void *arg)
{
	struct cutter *k = arg;
	struct timespec ms300 = { 0, 300 * 1000000L };
	nanosleep(&ms300, NULL);
	atomic_store(&stop_flag, 1);
	smtp_cut(k->s);
	return NULL;
}

static void
test_stop_while_waiting_for_the_answer(void **state)
{
	struct server *sv = *state;
	char *url = xasprintf("smtp://127.0.0.1:%d", sv->port);
	struct smtp_options o = { url, NULL, NULL, NULL, 2000, 5000, stop_set, NULL, NULL };
	struct smtp *s = NULL;
	char *cause = NULL, *got = NULL;
	assert_int_equal(smtp_new(&o, &s, &cause), 0);
	atomic_store(&stop_flag, 0);
	sv->script.data_end = HANG;
	struct cutter k = { s, 0 };
	assert_int_equal(pthread_create(&k.thread, NULL, stop_soon, &k), 0);
	enum smtp_result r = send1(s, &got);
	pthread_join(k.thread, NULL);
	if (r != SMTP_UNKNOWN || strstr(got, "may have arrived") == NULL)
		fail_msg("result %d: %s", r, got);
	free(got);
	memset(&sv->script, 0, sizeof sv->script);
	free(url);
	smtp_free(s);
}

static void
test_login(void **state)
{
	struct server *sv = *state;
	struct smtp *s = client(sv, "bot", "s3cr3t-pw");
	char *answer = NULL;
	enum smtp_result r = send1(s, &answer);
	if (r != SMTP_SENT)
		fail_msg("%d: %s\n%s", r, answer, buf_cstr(&sv->commands));
	free(answer);
	assert_non_null(strstr(buf_cstr(&sv->commands), "AUTH "));
	smtp_free(s);

	sv->script.auth = "535 5.7.8 authentication failed";
	s = client(sv, "bot", "s3cr3t-pw");
	assert_int_equal(send1(s, &answer), SMTP_FATAL);
	assert_non_null(strstr(answer, "refused the login of user 'bot' ([mail] username and "
	    "password in kiosk.conf): 535 5.7.8 authentication failed"));
	assert_null(strstr(answer, "s3cr3t"));
	free(answer);
	smtp_free(s);
	memset(&sv->script, 0, sizeof sv->script);
}

static void
test_unreachable(void **state)
{
	(void)state;
	int port = 0, fd = listen_any(&port);
	close(fd); /* a port nobody listens on now */
	char *url = xasprintf("smtp://127.0.0.1:%d", port);
	struct smtp_options o = { url, NULL, NULL, NULL, 2000, 5000, NULL, NULL, NULL };
	struct smtp *s = NULL;
	char *cause = NULL, *answer = NULL;
	assert_int_equal(smtp_new(&o, &s, &cause), 0);
	assert_int_equal(send1(s, &answer), SMTP_UNREACHABLE);
	char *want = xasprintf("cannot reach the mail server at %s", url);
	assert_non_null(strstr(answer, want));
	free(want);
	free(answer);
	free(url);
	smtp_free(s);
}

static int
always(void *arg)
{
	(*(int *)arg)++;
	return 1;
}

/* An abandoned transfer (a second Ctrl-C) is fatal, and says whether the
 * message can have arrived. */
static void
test_abort(void **state)
{
	struct server *sv = *state;
	int polled = 0;
	char *url = xasprintf("smtp://127.0.0.1:%d", sv->port);
	struct smtp_options o = { url, NULL, NULL, NULL, 2000, 5000, always, &polled, NULL };
	struct smtp *s = NULL;
	char *cause = NULL, *answer = NULL;
	assert_int_equal(smtp_new(&o, &s, &cause), 0);
	assert_int_equal(send1(s, &answer), SMTP_FATAL);
	assert_true(polled > 0);
	assert_string_equal(answer, "interrupted during the message to b@example.org (it was not "
	    "delivered)");
	assert_int_equal(sv->data.len, 0);
	free(answer);
	free(url);
	smtp_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact_and_local),
		cmocka_unit_test(test_new_refuses),
		cmocka_unit_test_setup_teardown(test_sends_the_bytes_given, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_troubles_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_connection_after_a_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cut_while_waiting_for_the_answer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stop_while_waiting_for_the_answer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_login, setup, teardown),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
	};
	return cmocka_run_group_tests_name("smtp", tests, NULL, NULL);
}
