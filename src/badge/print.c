/* print: send a badge PDF to a CUPS printer, bounded in time.
 *
 * One call is one connection of our own to the print service libcups would
 * use (cupsServer(): CUPS_SERVER, client.conf, else the local cupsd), and
 * every request goes over it: Create-Job, Send-Document with the PDF as
 * application/pdf, CUPS-Get-Printers for the message when a name is wrong.
 * libcups's conveniences are avoided where they open connections of their
 * own that we cannot bound: cupsCreateJob and cupsPrintFile2 look a printer
 * up with cupsGetNamedDest, whose fallback for an unknown name browses the
 * network and asks the server again on libcups's shared connection (seen
 * here: 132 s against a hung cupsd). The default printer is found with
 * cupsGetNamedDest(http, NULL, NULL), which uses only our connection
 * (LPDEST, PRINTER, lpoptions, else CUPS-Get-Default).
 *
 * Time:
 *   connect      at most PRINT_CONNECT_MS (httpConnect2), any address.
 *   the rest     a deadline of PRINT_BASE_S plus a second per PRINT_RATE
 *                bytes of the file, from the start of the call. libcups
 *                polls the socket in PRINT_POLL_S steps and asks our
 *                callback whether to go on waiting, which says no once the
 *                deadline is past; the document is sent in chunks and the
 *                deadline is checked between them too.
 *
 * Worst case, a server that accepts and never answers: PRINT_CONNECT_MS +
 * the deadline + PRINT_POLL_S, that is 5 + 10 + 1 s for a badge, 5 + 30 +
 * 1 s for a 5 MB sheet of 1,000 (a stopped cupsd, nothing listening, fails
 * at once). Not bounded here: the name lookup of a remote CUPS_SERVER
 * (getaddrinfo, the resolver's own timeouts), a server that keeps sending a
 * byte more often than every PRINT_POLL_S past the deadline, and libcups's
 * 30 s reconnect when a live server demands TLS. The kiosk prints from its
 * own thread, so even those never hold the door.
 *
 * When print_pdf returns, the whole file has been sent and the server has
 * answered: the caller may delete it at once. A job whose document fails
 * half-way is cancelled when the connection still works; when the
 * connection is what failed, cupsd aborts the job whose document never
 * finished.
 *
 * Nothing here writes to stderr or a log. The job title shows in the CUPS
 * queue and its logs (and cups-pdf names its file after it), so callers pass
 * a fixed title, not a guest's name. Passwords are never asked for (a kiosk
 * has no one at a tty): the calling thread's libcups password callback is
 * set to answer "no password". */
#include "badge/print.h"

#include <cups/cups.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

#define PRINT_CONNECT_MS 5000           /* to reach the server */
#define PRINT_BASE_S 10                 /* deadline of a whole call ... */
#define PRINT_RATE (256 * 1024)         /* ... plus 1 s per this many bytes */
#define PRINT_POLL_S 1.0                /* how often libcups asks us again */
#define PRINT_MAX_BYTES (256L << 20)    /* a badge PDF is far below this */
#define PRINT_NAME_MAX 127              /* CUPS's longest printer name */
#define PRINT_LIST_MAX 10               /* printers named in a message */

struct print_job {
	http_t *http;           /* our connection */
	const char *server;     /* cupsServer(), for messages */
	int64_t deadline_ns;    /* util_mono_ns() past which waits fail */
	int timed_out;          /* the deadline stopped a wait */
};

static const char *
password_none(const char *prompt, http_t *http, const char *method,
    const char *resource, void *data)
{
	(void)prompt;
	(void)http;
	(void)method;
	(void)resource;
	(void)data;
	return NULL;
}

/* libcups calls this after each PRINT_POLL_S of silence: go on waiting
 * until the deadline, then give up. */
static int
keep_waiting(http_t *http, void *data)
{
	struct print_job *j = data;
	(void)http;
	if (util_mono_ns() < j->deadline_ns)
		return 1;
	j->timed_out = 1;
	return 0;
}

/* A name CUPS could have given a queue: at most PRINT_NAME_MAX bytes,
 * printable, no space, slash, backslash, quote or hash. */
static int
valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PRINT_NAME_MAX)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= ' ' || c == 0x7f || strchr("/\\'\"#", c) != NULL)
			return 0;
	}
	return 1;
}

/* "printer 'NAME': " before a message, or "" for the default printer.
 * Returns a new string. */
static char *
who(const char *printer)
{
	return printer && printer[0] ? xasprintf("printer '%s': ", printer) : xstrdup("");
}

/* The message for a request that got no IPP answer (cupsLastError() says
 * why). Returns -1. */
static int
fail_noanswer(const struct print_job *j, const char *printer, char **cause)
{
	char *w = who(printer);
	ipp_status_t st = cupsLastError();
	if (j->timed_out)
		util_fail(cause, "%sthe print service at %s did not answer in time "
		    "(is cupsd hung?)", w, j->server);
	else if (st == IPP_STATUS_ERROR_FORBIDDEN || st == IPP_STATUS_ERROR_NOT_AUTHENTICATED ||
	    st == IPP_STATUS_ERROR_NOT_AUTHORIZED ||
	    st == IPP_STATUS_ERROR_CUPS_AUTHENTICATION_CANCELED)
		util_fail(cause, "%sthe print service at %s does not let this user print: %s",
		    w, j->server, cupsLastErrorString());
	else
		util_fail(cause, "%sthe print service at %s failed: %s (is cupsd running?)", w,
		    j->server, cupsLastErrorString());
	free(w);
	return -1;
}

/* " (printers: A, B)" or " (no printers are set up)" from CUPS-Get-Printers,
 * or "" when even that fails. Returns a new string. */
static char *
list_printers(struct print_job *j)
{
	static const char *const want[] = { "printer-name" };
	ipp_t *req = ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 1,
	    NULL, want);
	ipp_t *resp = cupsDoRequest(j->http, req, "/");
	if (resp == NULL)
		return xstrdup("");
	struct buf b;
	buf_init(&b, 4096);
	size_t n = 0;
	for (ipp_attribute_t *a = ippFindAttribute(resp, "printer-name", IPP_TAG_NAME);
	    a != NULL; a = ippFindNextAttribute(resp, "printer-name", IPP_TAG_NAME)) {
		const char *name = ippGetString(a, 0, NULL);
		if (name == NULL || !valid_name(name))
			continue;
		if (n == PRINT_LIST_MAX) {
			buf_addf(&b, ", ...");
			break;
		}
		buf_addf(&b, "%s%s", n ? ", " : " (printers: ", name);
		n++;
	}
	ippDelete(resp);
	/* CUPS answers Get-Printers with "not found" when there are none. */
	if (n == 0) {
		buf_free(&b);
		return xstrdup(" (no printers are set up)");
	}
	buf_addc(&b, ')');
	return buf_take(&b);
}

/* Connect to the print service with a deadline of budget_s from now, and
 * name the printer (printer, else the default). Returns 0 with j->http
 * open and *name (caller frees), or -1 with *cause. */
static int
service_open(struct print_job *j, const char *printer, int64_t budget_s, char **name,
    char **cause)
{
	cups_dest_t *dest = NULL;

	*name = NULL;
	cupsSetPasswordCB2(password_none, NULL);
	j->deadline_ns = util_mono_ns() + budget_s * 1000000000;
	j->http = httpConnect2(j->server, ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1,
	    PRINT_CONNECT_MS, NULL);
	if (j->http == NULL) {
		char *w = who(printer);
		util_fail(cause, "%scannot reach the print service at %s (is cupsd running?)", w,
		    j->server);
		free(w);
		return -1;
	}
	httpSetTimeout(j->http, PRINT_POLL_S, keep_waiting, j);
	if (printer != NULL && printer[0] != '\0') {
		*name = xstrdup(printer);
		return 0;
	}
	dest = cupsGetNamedDest(j->http, NULL, NULL);
	if (dest == NULL) {
		if (cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND || j->timed_out)
			return fail_noanswer(j, NULL, cause);
		char *list = list_printers(j);
		util_fail(cause, "no default printer%s", list);
		free(list);
		return -1;
	}
	*name = xstrdup(dest->name);
	cupsFreeDests(1, dest);
	return 0;
}

int
print_check(const char *printer, char **state, char **cause)
{
	static const char *const want[] = { "printer-state", "printer-is-accepting-jobs",
	    "printer-state-message" };
	struct print_job j = { NULL, cupsServer(), 0, 0 };
	char uri[HTTP_MAX_URI], resource[HTTP_MAX_URI];
	char *name = NULL;
	ipp_t *resp = NULL;
	int rc = -1;

	*state = NULL;
	if (printer != NULL && printer[0] != '\0' && !valid_name(printer))
		return util_fail(cause, "not a printer name: '%s'", printer);
	if (service_open(&j, printer, PRINT_BASE_S, &name, cause) != 0)
		goto out;
	if (httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost",
	    ippPort(), "/printers/%s", name) < HTTP_URI_STATUS_OK ||
	    snprintf(resource, sizeof resource, "/printers/%s", name) >= (int)sizeof resource) {
		util_fail(cause, "printer '%s': cannot make its URI", name);
		goto out;
	}
	ipp_t *req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3,
	    NULL, want);
	resp = cupsDoRequest(j.http, req, resource);
	if (resp == NULL) {
		fail_noanswer(&j, name, cause);
		goto out;
	}
	if (ippGetStatusCode(resp) == IPP_STATUS_ERROR_NOT_FOUND) {
		char *list = list_printers(&j);
		util_fail(cause, "no printer named '%s'%s", name, list);
		free(list);
		goto out;
	}
	ipp_attribute_t *a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
	ipp_attribute_t *acc = ippFindAttribute(resp, "printer-is-accepting-jobs",
	    IPP_TAG_BOOLEAN);
	ipp_attribute_t *msg = ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT);
	const char *m = msg ? ippGetString(msg, 0, NULL) : NULL;
	bool stopped = a != NULL && ippGetInteger(a, 0) == IPP_PSTATE_STOPPED;
	bool refusing = acc != NULL && !ippGetBoolean(acc, 0);
	*state = xasprintf("%s%s%s%s%s", name, stopped ? " is stopped" : refusing ?
	    " refuses jobs" : " is ready", m && *m ? " (" : "", m && *m ? m : "",
	    m && *m ? ")" : "");
	rc = stopped || refusing ? 1 : 0;
out:
	ippDelete(resp);
	free(name);
	if (j.http != NULL)
		httpClose(j.http);
	return rc;
}

/* Create-Job on printer name; returns the job id, or -1 with *cause. */
static int
create_job(struct print_job *j, const char *name, const char *title, char **cause)
{
	char uri[HTTP_MAX_URI], resource[HTTP_MAX_URI];
	if (httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost",
	    ippPort(), "/printers/%s", name) < HTTP_URI_STATUS_OK)
		return util_fail(cause, "printer '%s': cannot make its URI", name);
	int n = snprintf(resource, sizeof resource, "/printers/%s", name);
	if (n < 0 || (size_t)n >= sizeof resource)
		return util_fail(cause, "printer '%s': cannot make its URI", name);

	ipp_t *req = ippNewRequest(IPP_OP_CREATE_JOB);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
	    cupsUser());
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, title);
	ipp_t *resp = cupsDoRequest(j->http, req, resource);
	if (resp == NULL)
		return fail_noanswer(j, name, cause);

	int id = -1;
	ipp_status_t st = ippGetStatusCode(resp);
	ipp_attribute_t *a = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER);
	if (st <= IPP_STATUS_OK_CONFLICTING && a != NULL && ippGetInteger(a, 0) > 0) {
		id = ippGetInteger(a, 0);
	} else if (st == IPP_STATUS_ERROR_NOT_FOUND) {
		char *list = list_printers(j);
		util_fail(cause, "no printer named '%s'%s", name, list);
		free(list);
	} else {
		util_fail(cause, "printer '%s' refused the job: %s", name,
		    st <= IPP_STATUS_OK_CONFLICTING ? "no job id in its answer" :
		    cupsLastErrorString());
	}
	ippDelete(resp);
	return id;
}

int
print_pdf(const char *path, const char *printer, const char *title, char **cause)
{
	struct print_job j = { NULL, cupsServer(), 0, 0 };
	ipp_t *resp = NULL;
	char *name = NULL;
	int fd = -1, job_id = -1, rc = -1;
	struct stat st;
	char head[5], chunk[32768];
	ssize_t got;

	if (title == NULL || title[0] == '\0')
		title = "kiosk badge";
	if (printer != NULL && printer[0] != '\0' && !valid_name(printer)) {
		util_fail(cause, "not a printer name: printer names are at most %d characters, "
		    "with no spaces, slashes, quotes or '#'", PRINT_NAME_MAX);
		goto out;
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		util_fail(cause, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > PRINT_MAX_BYTES) {
		util_fail(cause, "cannot print '%s': %s", path,
		    S_ISREG(st.st_mode) ? "larger than 256 MB" : "not a regular file");
		goto out;
	}
	if (read(fd, head, sizeof head) != (ssize_t)sizeof head || memcmp(head, "%PDF-", 5) != 0) {
		util_fail(cause, "cannot print '%s': not a PDF file", path);
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		util_fail(cause, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}

	if (service_open(&j, printer, (int64_t)PRINT_BASE_S + (int64_t)st.st_size / PRINT_RATE,
	    &name, cause) != 0)
		goto out;

	job_id = create_job(&j, name, title, cause);
	if (job_id < 0)
		goto out;

	if (cupsStartDocument(j.http, name, job_id, title, CUPS_FORMAT_PDF, 1) !=
	    HTTP_STATUS_CONTINUE) {
		fail_noanswer(&j, name, cause);
		goto out;
	}
	while ((got = read(fd, chunk, sizeof chunk)) > 0) {
		if (util_mono_ns() >= j.deadline_ns)
			j.timed_out = 1;
		if (j.timed_out ||
		    cupsWriteRequestData(j.http, chunk, (size_t)got) != HTTP_STATUS_CONTINUE) {
			fail_noanswer(&j, name, cause);
			goto out;
		}
	}
	if (got < 0) {
		/* Send what we have, then take the job back. */
		util_fail(cause, "cannot read '%s': %s", path, strerror(errno));
		ippDelete(cupsGetResponse(j.http, "/"));
		if (!j.timed_out)
			cupsCancelJob2(j.http, name, job_id, 0);
		goto out;
	}
	resp = cupsGetResponse(j.http, "/");
	if (resp == NULL) {
		fail_noanswer(&j, name, cause);
		goto out;
	}
	if (ippGetStatusCode(resp) > IPP_STATUS_OK_CONFLICTING) {
		util_fail(cause, "printer '%s' refused the job: %s", name, cupsLastErrorString());
		cupsCancelJob2(j.http, name, job_id, 0);
		goto out;
	}
	rc = job_id;
out:
	ippDelete(resp);
	free(name);
	if (j.http != NULL)
		httpClose(j.http);
	if (fd >= 0)
		close(fd);
	return rc;
}
