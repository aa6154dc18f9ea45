/* test_template: the shipped templates, placeholders, errors with file and
 * line, and the plain text and HTML made from one source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "mail/template.h"

static const char *
srcdir(void)
{
	const char *d = getenv("KIOSK_SRCDIR");
	return d != NULL && *d != '\0' ? d : ".";
}

static struct template *
parse_ok(const char *text)
{
	struct template *t = NULL;
	char *cause = NULL;
	if (template_parse(text, strlen(text), "t.txt", &t, &cause) != 0)
		fail_msg("%s", cause);
	return t;
}

static void
expect_err(const char *text, const char *want)
{
	struct template *t = NULL;
	char *cause = NULL;
	assert_int_equal(template_parse(text, strlen(text), "mail-nl.txt", &t, &cause), -1);
	assert_null(t);
	if (strstr(cause, want) == NULL)
		fail_msg("got '%s', want '%s'", cause, want);
	free(cause);
}

static const char *const values[TEMPLATE__COUNT] = {
	[TEMPLATE_FIRST_NAME] = "Zoë", [TEMPLATE_LAST_NAME] = "Çelik",
	[TEMPLATE_NAME] = "Zoë Çelik", [TEMPLATE_EMAIL] = "zoe@example.org",
	[TEMPLATE_COMPANY] = "Acme & Sons", [TEMPLATE_TICKET_TYPE] = "Speaker",
	[TEMPLATE_CODE] = "SMD26-7K3QX9M2TB4V8HCR5", [TEMPLATE_EVENT] = "Social Media Day",
	[TEMPLATE_DATE] = "21 May 2026", [TEMPLATE_PLACE] = "De Singel",
};

static void
test_shipped_templates(void **state)
{
	static const char *const langs[] = { "en", "nl", "fr", "de" };
	static const char *const greet[] = { "Hello Zoë Çelik,", "Hallo Zoë Çelik,",
	    "Bonjour Zoë Çelik,", "Hallo Zoë Çelik," };
	(void)state;
	for (size_t i = 0; i < 4; i++) {
		char *path = xasprintf("%s/templates/mail-%s.txt", srcdir(), langs[i]);
		struct template *t = NULL;
		char *cause = NULL;
		if (template_load(path, &t, &cause) != 0)
			fail_msg("%s", cause);
		assert_true(template_uses(t, TEMPLATE_EVENT));
		assert_true(template_uses(t, TEMPLATE_DATE));
		assert_true(template_uses(t, TEMPLATE_PLACE));
		assert_true(template_uses(t, TEMPLATE_CODE));
		assert_true(template_uses(t, TEMPLATE_NAME));
		struct template_result r;
		template_render(t, values, langs[i], "<img src=\"cid:x\">", NULL, &r);
		assert_non_null(strstr(r.subject, "Social Media Day"));
		assert_memory_equal(r.text, greet[i], strlen(greet[i]));
		assert_non_null(strstr(r.text, "21 May 2026"));
		assert_non_null(strstr(r.text, "De Singel"));
		assert_non_null(strstr(r.text, "SMD26-7K3QX9M2TB4V8HCR5"));
		assert_null(strstr(r.text, "{"));
		assert_null(strstr(r.text, "cid:"));
		/* the QR code sits in the HTML before the code line */
		const char *img = strstr(r.html, "<p><img src=\"cid:x\"></p>");
		assert_non_null(img);
		assert_non_null(strstr(img, "SMD26-7K3QX9M2TB4V8HCR5"));
		/* Lines the template wrapped flow on in HTML (a phone broke
		 * "printed. Your<br>ticket" mid-sentence); the date and the
		 * place keep a line each: one <br>, after the date. */
		const char *br = strstr(r.html, "<br>");
		assert_non_null(br);
		assert_null(strstr(br + 1, "<br>"));
		assert_true(br - r.html > 11 && memcmp(br - 11, "21 May 2026", 11) == 0);
		char *lang = xasprintf("<html lang=\"%s\">", langs[i]);
		assert_non_null(strstr(r.html, lang));
		free(lang);
		template_result_clear(&r);
		template_free(t);
		free(path);
	}
}

static void
test_placeholders_and_braces(void **state)
{
	(void)state;
	struct template *t = parse_ok("Subject: {event} for {first_name}\n\n"
	    "Dear {name} ({email}),\nyour {ticket_type} ticket, {{literally}} {{ and }}.\n"
	    "{ code }: {code}\n");
	struct template_result r;
	template_render(t, values, "en", "QR", NULL, &r);
	assert_string_equal(r.subject, "Social Media Day for Zoë");
	assert_string_equal(r.text, "Dear Zoë Çelik (zoe@example.org),\n"
	    "your Speaker ticket, {literally} { and }.\n"
	    "SMD26-7K3QX9M2TB4V8HCR5: SMD26-7K3QX9M2TB4V8HCR5\n");
	assert_true(template_uses(t, TEMPLATE_FIRST_NAME));
	assert_false(template_uses(t, TEMPLATE_DATE));
	template_result_clear(&r);
	template_free(t);
}

/* A notice (a ticket that replaces an earlier one) comes first: before
 * the subject, and as the first paragraph of both parts, the HTML's set
 * off; escaped like a value, never markup. */
static void
test_notice_comes_first(void **state)
{
	(void)state;
	struct template *t = parse_ok("Subject: Ticket for {event}\n\nHello {name},\n\n{qr}\n\n"
	    "Code: {code}\n");
	const struct template_notice n = { "New ticket: ", "Replaces <old> & co\nnow." };
	struct template_result r;
	template_render(t, values, "en", "[QR]", &n, &r);
	assert_string_equal(r.subject, "New ticket: Ticket for Social Media Day");
	assert_string_equal(r.text, "Replaces <old> & co now.\n\nHello Zoë Çelik,\n\n"
	    "Code: SMD26-7K3QX9M2TB4V8HCR5\n");
	const char *body = strstr(r.html, "<body");
	assert_non_null(body);
	if (strstr(body, ">\n<p style=\"font-weight: bold; border-left: 4px solid #c0392b; "
	    "padding-left: 12px;\">Replaces &lt;old&gt; &amp; co now.</p>\n<p>Hello Zoë Çelik,</p>\n"
	    "<p>[QR]</p>\n") == NULL)
		fail_msg("%s", r.html);
	assert_non_null(strstr(r.html, "<title>New ticket: Ticket for Social Media Day</title>"));
	template_result_clear(&r);
	/* none: the template's words alone */
	const struct template_notice none = { NULL, NULL };
	template_render(t, values, "en", "[QR]", &none, &r);
	assert_string_equal(r.subject, "Ticket for Social Media Day");
	assert_null(strstr(r.html, "border-left"));
	template_result_clear(&r);
	template_free(t);
}

static void
test_errors_name_file_and_line(void **state)
{
	(void)state;
	expect_err("Subject: x\n\nHello {name},\n\nSee {frist_name} there\n",
	    "mail-nl.txt:5: unknown placeholder {frist_name}; placeholders: {first_name}, "
	    "{last_name}, {name}, {email}, {company}, {ticket_type}, {code}, {event}, {date}, "
	    "{place}, {qr}");
	expect_err("Subject: x\n\nHello {name,\nbye\n", "mail-nl.txt:3: '{' without its '}'");
	expect_err("Subject: your {qr}\n\ntext\n", "mail-nl.txt:1: unknown placeholder {qr}");
	expect_err("Hello\n\ntext\n", "mail-nl.txt:1: expected 'Subject: ...' on the first line");
	expect_err("", "mail-nl.txt:1: expected 'Subject: ...'");
	expect_err("Subject: x\n\n\n", "mail-nl.txt: no text below the subject line");
	expect_err("Subject: x\n\n{qr}\n", "mail-nl.txt: no text below the subject line");
	expect_err("Subject: x\n\ntext\nhere is {qr} inline\n",
	    "mail-nl.txt:3: {qr} must be a paragraph of its own");
	expect_err("Subject: x\n\ncaf\xe9\n", "mail-nl.txt: not UTF-8 text");
	/* a template that is a book */
	size_t n = TEMPLATE_MAX_BYTES + 10;
	char *big = xmalloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\0';
	memcpy(big, "Subject: x\n\n", 12);
	expect_err(big, "over");
	free(big);
	/* a file that is not there */
	struct template *t = NULL;
	char *cause = NULL;
	assert_int_equal(template_load("/nonexistent/mail-xx.txt", &t, &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/mail-xx.txt"));
	free(cause);
}

static void
test_html_escapes_values_and_links_urls(void **state)
{
	(void)state;
	static const char *const evil[TEMPLATE__COUNT] = {
		[TEMPLATE_NAME] = "<script>alert('x')</script> & \"co\"",
		[TEMPLATE_COMPANY] = "https://evil.example/phish",
		[TEMPLATE_CODE] = "ABC-123",
		[TEMPLATE_EVENT] = "Day\r\nBcc: x",
	};
	struct template *t = parse_ok("Subject: {event}\r\n\r\n"
	    "Hi {name} from {company}.\r\n\r\n"
	    "Programme: https://example.org/day?x=1&y=2. Your page:\r\n"
	    "https://example.org/t/{code}, or (https://example.org).\r\n");
	struct template_result r;
	template_render(t, evil, "en", "<img src=\"cid:q\">", NULL, &r);
	/* a value never breaks the subject line */
	assert_string_equal(r.subject, "Day  Bcc: x");
	assert_non_null(strstr(r.html, "<p>Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
	    "&amp; &quot;co&quot; from https://evil.example/phish.</p>"));
	assert_non_null(strstr(r.html, "<a href=\"https://example.org/day?x=1&amp;y=2\">"
	    "https://example.org/day?x=1&amp;y=2</a>. Your page:<br>\n"
	    "<a href=\"https://example.org/t/ABC-123\">https://example.org/t/ABC-123</a>, or "
	    "(<a href=\"https://example.org\">https://example.org</a>).</p>"));
	assert_null(strstr(r.html, "href=\"https://evil"));
	/* no {qr} in the template: the QR code comes last */
	assert_non_null(strstr(r.html, "<p><img src=\"cid:q\"></p>\n</body>"));
	/* CRLF files read like LF files */
	assert_string_equal(r.text, "Hi <script>alert('x')</script> & \"co\" from "
	    "https://evil.example/phish.\n\nProgramme: https://example.org/day?x=1&y=2. Your page:\n"
	    "https://example.org/t/ABC-123, or (https://example.org).\n");
	template_result_clear(&r);
	template_free(t);
}

static void
test_paragraphs(void **state)
{
	(void)state;
	struct template *t = parse_ok("\xEF\xBB\xBFSubject:   spaced   \n"
	    "\n\n   \nFirst line   \nsecond line\n\n\n\n{qr}\n\nLast\n");
	struct template_result r;
	template_render(t, values, "nl", "[QR]", NULL, &r);
	assert_string_equal(r.subject, "spaced");
	assert_string_equal(r.text, "First line\nsecond line\n\nLast\n");
	assert_non_null(strstr(r.html, "<p>First line<br>\nsecond line</p>\n<p>[QR]</p>\n"
	    "<p>Last</p>\n</body>\n</html>\n"));
	assert_non_null(strstr(r.html, "<title>spaced</title>"));
	template_result_clear(&r);
	template_free(t);
}

static void
test_subject_override(void **state)
{
	(void)state;
	struct template *t = parse_ok("Subject: old\n\nBody {code}\n");
	char *cause = NULL;
	assert_int_equal(template_set_subject(t, "Ticket {code} for\n{first_name}", &cause), 0);
	assert_true(template_uses(t, TEMPLATE_FIRST_NAME));
	struct template_result r;
	template_render(t, values, "en", "", NULL, &r);
	assert_string_equal(r.subject, "Ticket SMD26-7K3QX9M2TB4V8HCR5 for Zoë");
	template_result_clear(&r);
	assert_int_equal(template_set_subject(t, "Hi {nmae}", &cause), -1);
	assert_non_null(strstr(cause, "--subject:1: unknown placeholder {nmae}"));
	free(cause);
	/* a failed override leaves the subject alone */
	template_render(t, values, "en", "", NULL, &r);
	assert_string_equal(r.subject, "Ticket SMD26-7K3QX9M2TB4V8HCR5 for Zoë");
	template_result_clear(&r);
	template_free(t);
	template_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_templates),
		cmocka_unit_test(test_placeholders_and_braces),
		cmocka_unit_test(test_notice_comes_first),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_html_escapes_values_and_links_urls),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_subject_override),
	};
	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
