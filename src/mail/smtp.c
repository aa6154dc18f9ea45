/* smtp: hand finished messages to a mail server, with libcurl (see smtp.h). */
#include "mail/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/util.h"

#define STAGE_MAX 12            /* a command's first word */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "smtp_cut reads an atomic_int in a handler");

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

/* curl_global_init is not thread-safe: once, before any handle. */
static void
curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct smtp {
	CURL *curl;
	char *url_shown;                 /* util_url_redact(url), for messages */
	char *username;                  /* for messages: never the password */
	char *conf;                      /* the settings file, for messages */
	bool local;                      /* the server is this computer */
	/* One message's transfer. */
	const char *data;
	size_t len, pos;
	char stage[STAGE_MAX];           /* first word of the last command sent */
	bool quitting;                   /* QUIT sent: later answers are not the news */
	bool fresh;                      /* the next message on a new connection */
	char answer[SMTP_ANSWER_MAX];    /* the last complete answer */
	char pending[SMTP_ANSWER_MAX];   /* lines of a multi-line answer so far */
	char error[CURL_ERROR_SIZE];
	int (*abort)(void *arg);
	void *abort_arg;
	atomic_int sock;                 /* the connection's socket; -1: none (smtp_cut
	                                  * reads it in a handler, on whichever thread
	                                  * the signal finds: curl's resolver, pango's) */
};

bool
smtp_host_is_local(const char *host)
{
	if (host == NULL)
		return false;
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "[::1]") == 0)
		return true;
	/* 127.0.0.0/8, written as four decimal numbers */
	int a, b, c, d;
	char tail;
	return sscanf(host, "%d.%d.%d.%d%c", &a, &b, &c, &d, &tail) == 4 && a == 127 &&
	    b >= 0 && b <= 255 && c >= 0 && c <= 255 && d >= 0 && d <= 255;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct smtp *s = arg;
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return s->abort(s->abort_arg) ? 1 : 0;
}

/* The connection's socket, known for smtp_cut. */
static int
on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct smtp *s = arg;
	(void)purpose;
	atomic_store(&s->sock, (int)fd);
	return CURL_SOCKOPT_OK;
}

static int
on_close(void *arg, curl_socket_t fd)
{
	struct smtp *s = arg;
	int was = (int)fd;
	atomic_compare_exchange_strong(&s->sock, &was, -1);
	return close(fd);
}

void
smtp_cut(struct smtp *s)
{
	if (s == NULL)
		return;
	int fd = atomic_load(&s->sock);
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

static size_t
on_read(char *out, size_t size, size_t n, void *arg)
{
	struct smtp *s = arg;
	size_t want = size * n, left = s->len - s->pos;
	if (want > left)
		want = left;
	memcpy(out, s->data + s->pos, want);
	s->pos += want;
	return want;
}

/* Keep the server's answers; of our commands, only the first word. */
static int
on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp *s = arg;
	(void)h;
	if (type == CURLINFO_HEADER_OUT) {
		char word[STAGE_MAX];
		size_t k = 0;
		while (k < size && k < STAGE_MAX - 1 && data[k] >= 'A' && data[k] <= 'Z') {
			word[k] = data[k];
			k++;
		}
		word[k] = '\0';
		/* After a refusal libcurl says QUIT; "221 Bye" is not the news. */
		if (strcmp(word, "QUIT") == 0)
			s->quitting = true;
		else if (!s->quitting)
			memcpy(s->stage, word, k + 1);
	} else if (type == CURLINFO_HEADER_IN && !s->quitting) {
		size_t n = size;
		while (n > 0 && (data[n - 1] == '\r' || data[n - 1] == '\n'))
			n--;
		size_t have = strlen(s->pending);
		if (have > 0 && have + 3 < sizeof s->pending) {
			s->pending[have++] = ' ';
			s->pending[have] = '\0';
		}
		size_t room = sizeof s->pending - 1 - have;
		if (n > room)
			n = room;
		memcpy(s->pending + have, data, n);
		s->pending[have + n] = '\0';
		/* "250-..." goes on; "250 ..." (or a bare code) ends the answer. */
		if (!(size > 3 && data[3] == '-')) {
			for (char *p = s->pending; *p; p++)
				if ((unsigned char)*p < 0x20)
					*p = ' ';
			memcpy(s->answer, s->pending, sizeof s->answer);
			s->pending[0] = '\0';
		}
	}
	return 0;
}

int
smtp_new(const struct smtp_options *o, struct smtp **out, char **cause)
{
	struct smtp *s = xcalloc(1, sizeof *s);
	CURLU *u = NULL;
	char *scheme = NULL, *host = NULL, *user = NULL;
	int rc = -1;

	s->url_shown = util_url_redact(o->url);
	s->conf = xstrdup(o->conf_path ? o->conf_path : "kiosk.conf");
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK) {
		util_fail(cause, "cannot start libcurl: %s", curl_easy_strerror(curl_init_rc));
		goto out;
	}
	if (o->url == NULL || o->url[0] == '\0') {
		util_fail(cause, "no mail server: set [mail] smtp in %s (e.g. smtps://"
		    "mail.example.org:465), or give --smtp", s->conf);
		goto out;
	}
	u = curl_url();
	if (u == NULL || curl_url_set(u, CURLUPART_URL, o->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0)) {
		util_fail(cause, "the mail server's address %s is not smtps://HOST[:PORT] or "
		    "smtp://HOST[:PORT]", s->url_shown);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    strchr(s->url_shown, '@') != NULL) {
		util_fail(cause, "the mail server's address %s holds a user name or password: "
		    "put them in [mail] username and password in %s, never in the "
		    "address", s->url_shown, s->conf);
		goto out;
	}
	s->local = smtp_host_is_local(host);
	s->username = xstrdup(o->username ? o->username : "");
	s->curl = curl_easy_init();
	if (s->curl == NULL) {
		util_fail(cause, "cannot start libcurl");
		goto out;
	}
	CURL *h = s->curl;
	curl_easy_setopt(h, CURLOPT_URL, o->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_ms > 0 ? o->connect_ms : 15000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 120000L);
#if LIBCURL_VERSION_NUM >= 0x075700 /* 7.87.0 */
	/* A mail server's name the network's DNS never answers: a message
	 * abandoned (Ctrl-C twice), or given up at the connect timeout, left
	 * curl_easy_cleanup waiting out the resolver's thread (glibc's tries,
	 * 10 s each), and kiosk mail with it. The thread ends by itself. */
	curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
#endif
	curl_easy_setopt(h, CURLOPT_USE_SSL, s->local ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	if (o->cafile != NULL && o->cafile[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, o->cafile);
	if (s->username[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, o->username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->error);
	/* The debug function is how answers are read: it needs VERBOSE, and
	 * with it set libcurl prints nothing itself. */
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, s);
	atomic_store(&s->sock, -1);
	curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	curl_easy_setopt(h, CURLOPT_SOCKOPTDATA, s);
	curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, on_close);
	curl_easy_setopt(h, CURLOPT_CLOSESOCKETDATA, s);
	if (o->abort != NULL) {
		s->abort = o->abort;
		s->abort_arg = o->abort_arg;
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, s);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
	*out = s;
	s = NULL;
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_url_cleanup(u);
	smtp_free(s);
	return rc;
}

void
smtp_free(struct smtp *s)
{
	if (s == NULL)
		return;
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	free(s->url_shown);
	free(s->conf);
	free(s->username);
	free(s);
}

/* What went wrong, in words: the server's answer, else libcurl's. */
static const char *
what(const struct smtp *s, CURLcode cr)
{
	if (s->answer[0] != '\0')
		return s->answer;
	return s->error[0] != '\0' ? s->error : curl_easy_strerror(cr);
}

enum smtp_result
smtp_send(struct smtp *s, const char *from, const char *to, const char *data, size_t len,
    char **answer)
{
	struct curl_slist *rcpt = NULL;
	char *mfrom = xasprintf("<%s>", from), *mto = xasprintf("<%s>", to);
	enum smtp_result r;
	CURL *h = s->curl;

	s->data = data;
	s->len = len;
	s->pos = 0;
	s->stage[0] = s->answer[0] = s->pending[0] = s->error[0] = '\0';
	s->quitting = false;
	rcpt = curl_slist_append(rcpt, mto);
	/* After anything but a message sent, a new connection, the old one
	 * closed (with its handle): an answer that came late on it was taken
	 * for the next message's. */
	if (s->fresh) {
		CURL *again = curl_easy_duphandle(h);
		if (again != NULL) {
			curl_easy_cleanup(h);
			s->curl = h = again;
		}
		s->fresh = false;
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	CURLcode cr = curl_easy_perform(h);
	/* The code of the answer that decided, not of a QUIT after it. */
	long code = 0;
	if (s->answer[0] >= '1' && s->answer[0] <= '5' && s->answer[1] >= '0' &&
	    s->answer[1] <= '9' && s->answer[2] >= '0' && s->answer[2] <= '9')
		code = (s->answer[0] - '0') * 100 + (s->answer[1] - '0') * 10 + (s->answer[2] - '0');
	else
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	bool recipient = strcmp(s->stage, "RCPT") == 0 || strcmp(s->stage, "DATA") == 0;
	/* All of it handed over and no answer to it (none, or the 354 that
	 * asked for it): whether it arrived is not known. */
	bool unanswered = s->pos == s->len && len > 0 && strcmp(s->stage, "DATA") == 0 &&
	    (code == 0 || code == 354);

	switch (cr) {
	case CURLE_OK:
		r = SMTP_SENT;
		*answer = xstrdup(s->answer);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		r = SMTP_UNREACHABLE;
		*answer = xasprintf("cannot reach the mail server at %s: %s", s->url_shown,
		    what(s, cr));
		break;
	case CURLE_LOGIN_DENIED:
		r = SMTP_FATAL;
		*answer = xasprintf("the mail server at %s refused the login of user '%s' "
		    "([mail] username and password in %s): %s", s->url_shown, s->username,
		    s->conf, what(s, cr));
		break;
	case CURLE_USE_SSL_FAILED:
		/* Offered and refused for now (454: "TLS not available due to
		 * temporary reason"), refused, or not offered at all. */
		if (code >= 400 && code < 500) {
			r = SMTP_BUSY;
			*answer = xasprintf("%s refuses STARTTLS for now: %s", s->url_shown,
			    s->answer);
		} else if (code >= 500) {
			r = SMTP_FATAL;
			*answer = xasprintf("the mail server at %s refused STARTTLS (%s), and kiosk "
			    "sends nothing in the clear to another computer (use smtps:// if it "
			    "has it)", s->url_shown, s->answer);
		} else {
			r = SMTP_FATAL;
			*answer = xasprintf("the mail server at %s offers no STARTTLS, and kiosk "
			    "sends nothing in the clear to another computer (use smtps:// if it "
			    "has it)", s->url_shown);
		}
		break;
	case CURLE_SSL_CONNECT_ERROR:
		/* No TLS handshake at all: most often smtps:// written for a
		 * port that takes STARTTLS (587, 25), whose plain greeting the
		 * TLS library reads as a broken packet. Not a certificate. */
		if (strncmp(s->url_shown, "smtps://", 8) == 0 && code == 0) {
			r = SMTP_FATAL;
			*answer = xasprintf("the mail server at %s does not start with TLS (%s): "
			    "on a port that takes STARTTLS (587 or 25), write smtp:// in [mail] smtp "
			    "in %s; smtps:// is for port 465", s->url_shown,
			    s->error[0] ? s->error : curl_easy_strerror(cr), s->conf);
			break;
		}
		/* fall through */
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
		r = SMTP_FATAL;
		*answer = xasprintf("no trusted TLS with the mail server at %s: %s (a certificate "
		    "of its own making: give its PEM as [mail] cafile in %s)", s->url_shown,
		    s->error[0] ? s->error : curl_easy_strerror(cr), s->conf);
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		/* Abandoned after the whole message (a second Ctrl-C while the
		 * server's answer was awaited): it may have arrived, and is to
		 * be recorded so, or --unsent mails that guest twice. Before
		 * that, nothing was delivered: a stop like any other. */
		if (unanswered && code < 400) {
			r = SMTP_UNKNOWN;
			*answer = xasprintf("interrupted after the whole message to %s, before the "
			    "mail server answered: it may have arrived", to);
		} else {
			r = SMTP_FATAL;
			*answer = xasprintf("interrupted during the message to %s (it was not "
			    "delivered)", to);
		}
		break;
	case CURLE_OPERATION_TIMEDOUT:
		r = s->stage[0] == '\0' && code == 0 ? SMTP_UNREACHABLE :
		    unanswered ? SMTP_UNKNOWN : SMTP_TEMPORARY;
		*answer = xasprintf("the mail server at %s did not answer in time%s", s->url_shown,
		    unanswered ? " after the whole message: it may have arrived" : "");
		break;
	default:
		if (unanswered && code < 400)
			r = SMTP_UNKNOWN;
		else if (code == 421 || (code >= 400 && code < 500 && strcmp(s->stage, "MAIL") == 0))
			r = SMTP_BUSY;
		else if (code >= 400 && code < 500)
			r = SMTP_TEMPORARY;
		else if (code >= 500 && recipient)
			r = SMTP_PERMANENT;
		else if (code >= 500)
			r = SMTP_FATAL;   /* our sender, our greeting: every message alike */
		else
			r = SMTP_TEMPORARY; /* the connection went mid-way */
		if (r == SMTP_FATAL)
			*answer = xasprintf("the mail server at %s refused %s: %s", s->url_shown,
			    s->stage[0] ? s->stage : "the connection", what(s, cr));
		else if (code < 400)
			/* The last answer was a yes ("354 go ahead"): giving it as the
			 * reason would puzzle anyone; the connection itself failed. */
			*answer = xasprintf("the connection to the mail server at %s was lost%s%s "
			    "(%s)%s", s->url_shown, s->stage[0] ? " during " : "", s->stage,
			    s->error[0] ? s->error : curl_easy_strerror(cr),
			    strcmp(s->stage, "DATA") == 0 ? "; the message may have arrived" : "");
		else
			*answer = xstrdup(what(s, cr));
		break;
	}
	s->fresh = r != SMTP_SENT;
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(rcpt);
	free(mfrom);
	free(mto);
	s->data = NULL;
	return r;
}
