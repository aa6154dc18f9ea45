/* fuzz_handlers: the hub's request handlers, called in-process.
 *
 * Faster and deeper than fuzz_hub (no sockets, no HTTP): the first byte of
 * the input picks the handler, the rest is what the hub would hand it.
 *
 *   0 push   the body of POST /v1/push, as serve_push parses it, stored by
 *            repl_store_push from device "Door 1" on the fixed event
 *            (fuzz.h). A malformed body is REPL_BAD, never a database
 *            failure; a stored batch sent again stores nothing; and what
 *            the hub stored comes out of repl_read_pull as a page a kiosk
 *            accepts (a page a kiosk refuses would stop its sync for good).
 *   1 pull   a page from the hub for repl_apply_pull on a kiosk: applied
 *            twice changes nothing the second time; a refused page leaves
 *            the cursors where they were.
 *   2 live   the organiser's page: "METHOD\nURL\nCOOKIE\nPART\nBODY", a
 *            field "-" meaning absent, given to live_serve as hub.c does
 *            (GET or POST on the page's paths; the body for POST only,
 *            at most LIVE_FORM_MAX). FZ_SESSION_MARK in the cookie becomes
 *            a logged-in session's key; without it nothing but the login
 *            form may be served. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "sync/live.h"
#include "sync/repl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "fuzz_handlers: %s:%d: %s\n", \
	__FILE__, __LINE__, #cond); abort(); } } while (0)

static struct store *hub, *kiosk;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_template();
	hub = fz_open(NULL);
	kiosk = fz_open(NULL);
	return 0;
}

static bool
counts_zero(const struct repl_counts *c)
{
	return c->guests == 0 && c->checkins == 0 && c->scans == 0;
}

static void
do_push(const char *text, size_t len)
{
	struct repl_counts stored, known, again, known2, got;
	json_error_t jerr;
	bool too_big = false, more = false;
	char *cause = NULL;

	json_t *body = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(body)) {
		json_decref(body);
		return; /* 400 before the handler */
	}
	fz_reset(hub);
	enum repl_status r = repl_store_push(hub, FZ_DEVICE, body, &stored, &known, &too_big,
	    &cause);
	if (r == REPL_FAILED)
		fz_die("repl_store_push: a malformed push is a database failure", cause);
	if (r == REPL_BAD) {
		CHECK(cause != NULL && counts_zero(&stored) && counts_zero(&known));
		free(cause);
		json_decref(body);
		return;
	}
	CHECK(!too_big && cause == NULL);
	/* The answer was lost: the kiosk sends the batch again. */
	r = repl_store_push(hub, FZ_DEVICE, body, &again, &known2, &too_big, &cause);
	if (r != REPL_OK)
		fz_die("repl_store_push again", cause);
	/* (Conflicts may differ: a guest refused for its code the first time
	 * can lose to a later copy of itself in the same batch the second, or
	 * be stored then, once a guest later in the batch gave up that code.) */
	CHECK(again.checkins == 0 && again.scans == 0 && again.guests <= stored.conflicts);
	json_decref(body);

	/* Another door pulls everything the hub has, page by page. */
	fz_reset(kiosk);
	int64_t gc = 0, cc = 0;
	for (int pages = 0; pages < 2000; pages++) {
		/* as rows (kiosks of today) and as objects (older ones), in turn */
		json_t *page = repl_read_pull(hub, "Door 2", gc, cc, 7, pages % 2 == 0, &cause);
		if (page == NULL)
			fz_die("repl_read_pull", cause);
		/* Through text, as on the wire. */
		char *wire = json_dumps(page, JSON_COMPACT);
		json_decref(page);
		CHECK(wire != NULL);
		page = json_loads(wire, JSON_REJECT_DUPLICATES, &jerr);
		free(wire);
		CHECK(page != NULL);
		if (repl_apply_pull(kiosk, page, NULL, &got, &more, &cause) != 0) {
			fprintf(stderr, "fuzz_handlers: a kiosk refuses the hub's page: %s\n", cause);
			abort();
		}
		json_decref(page);
		struct repl_pos pos;
		if (repl_cursors(kiosk, &pos, &cause) != 0)
			fz_die("repl_cursors", cause);
		gc = pos.guests;
		cc = pos.checkins;
		if (!more)
			break;
	}
	CHECK(!more);
}

static void
do_pull(const char *text, size_t len)
{
	struct repl_counts got;
	json_error_t jerr;
	struct repl_pos p0, p1;
	bool more;
	char *cause = NULL;

	json_t *page = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (page == NULL)
		return; /* the client refuses malformed JSON itself */
	fz_reset(kiosk);
	if (repl_cursors(kiosk, &p0, &cause) != 0)
		fz_die("repl_cursors", cause);
	if (repl_apply_pull(kiosk, page, &p0, &got, &more, &cause) != 0) {
		CHECK(cause != NULL);
		free(cause);
		cause = NULL;
		if (repl_cursors(kiosk, &p1, &cause) != 0)
			fz_die("repl_cursors", cause);
		CHECK(p1.guests == p0.guests && p1.checkins == p0.checkins);
	} else {
		/* The same page again (a cut connection): nothing new. */
		if (repl_apply_pull(kiosk, page, NULL, &got, &more, &cause) != 0)
			fz_die("repl_apply_pull again", cause);
		CHECK(counts_zero(&got));
	}
	json_decref(page);
}

/* The next '\n'-ended field of *p (up to end); "-" is NULL. */
static char *
field(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *stop = nl ? nl : end;
	char *f = xstrndup(*p, (size_t)(stop - *p));
	*p = nl ? nl + 1 : end;
	if (strcmp(f, "-") == 0) {
		free(f);
		return NULL;
	}
	return f;
}

/* A live session, as the browser would have it after logging in. */
static char *
login(struct live *lv)
{
	struct live_request rq = { "POST", "/login", NULL, NULL, "password=" FZ_PASSWORD,
		"127.0.0.1", false, NULL, NULL };
	struct live_answer a;

	live_serve(lv, hub, &rq, &a);
	if (a.status != 303 || a.set_cookie == NULL)
		fz_die("login", xasprintf("status %u", a.status));
	char *v = strchr(a.set_cookie, '=') + 1;
	char *session = xstrndup(v, strcspn(v, ";"));
	live_answer_clear(&a);
	return session;
}

static void
do_live(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	char *method = field(&p, end), *url = field(&p, end), *cookie = field(&p, end);
	char *part = field(&p, end);
	char *body = xstrndup(p, (size_t)(end - p));
	struct live *lv = NULL;
	struct live_answer a;
	char *session = NULL;

	/* What hub.c lets through to live_serve. */
	if (method == NULL || url == NULL || !live_owns(url) ||
	    (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) ||
	    strlen(body) > LIVE_FORM_MAX)
		goto out;
	fz_reset(hub);
	lv = live_new(false, NULL, NULL, NULL);
	session = login(lv);
	bool logged_in = false;
	if (cookie != NULL && strstr(cookie, FZ_SESSION_MARK) != NULL) {
		size_t n;
		char *c = fz_subst((const unsigned char *)cookie, strlen(cookie), session, &n);
		free(cookie);
		cookie = c;
		logged_in = true;
	}
	/* From the same address as the login: a wrong password here is
	 * throttled as any other. */
	/* The part line is also the ?lang= and the Accept-Language header
	 * (the seeds keep their layout): the login and the data stay where
	 * they were in any language asked for. */
	struct live_request rq = { method, url, cookie, part,
	    strcmp(method, "POST") == 0 ? body : NULL, "127.0.0.1", false, part, part };
	live_serve(lv, hub, &rq, &a);
	CHECK(a.body != NULL && a.type != NULL);
	CHECK(a.status == 200 || a.status == 303 || a.status == 401 || a.status == 429 ||
	    a.status == 500 || (a.status == 405 && strcmp(url, "/logout") == 0 &&
	    strcmp(method, "GET") == 0));  /* only the page's button (a POST) logs out */
	CHECK(a.status != 500); /* the in-memory event never fails to read */
	if (!logged_in && strcmp(url, "/login") != 0 && strcmp(url, "/logout") != 0) {
		/* Not logged in: the login form and nothing else. */
		CHECK(a.filename == NULL && a.set_cookie == NULL);
		CHECK(a.status == 401 || (a.status == 200 &&
		    strstr(a.body, "type=password") != NULL));
	}
	if (a.set_cookie != NULL)
		CHECK(strncmp(a.set_cookie, "kiosk_session=", 14) == 0);
	live_answer_clear(&a);
out:
	live_free(lv);
	free(session);
	free(method);
	free(url);
	free(cookie);
	free(part);
	free(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	switch (data[0] % 3) {
	case 0:
		do_push(text, len);
		break;
	case 1:
		do_pull(text, len);
		break;
	default: {
		/* A form and a Cookie header hold no NUL. */
		char *t = xstrndup(text, len);
		do_live(t, strlen(t));
		free(t);
		break;
	}
	}
	return 0;
}

/* fontconfig (through the arrivals picture) keeps its caches behind
 * pointers LeakSanitizer cannot follow; they live as long as the process. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
