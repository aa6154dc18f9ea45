/* test_mime: headers, encoded words, quoted-printable, base64, dates and
 * addresses, each decoded back by a small decoder of the test's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/ktime.h"
#include "core/util.h"
#include "mail/mime.h"

/* --- decoders (the receiving side) -------------------------------------------- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t
b64_decode(const char *s, size_t n, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = strchr(tab, s[i]);
		if (s[i] == '=' || p == NULL || s[i] == '\0')
			continue;
		v = v << 6 | (unsigned)(p - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((v >> bits) & 0xff);
		}
	}
	return o;
}

/* Every line of the header block ends CRLF and is at most max characters. */
static void
assert_lines(const char *s, size_t max)
{
	size_t n = strlen(s);
	assert_true(n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n');
	for (const char *line = s; *line;) {
		const char *end = strstr(line, "\r\n");
		assert_non_null(end);
		if ((size_t)(end - line) > max)
			fail_msg("line of %zu > %zu: %.*s", (size_t)(end - line), max,
			    (int)(end - line), line);
		assert_null(memchr(line, '\n', (size_t)(end - line)));
		assert_null(memchr(line, '\r', (size_t)(end - line)));
		line = end + 2;
	}
}

/* Unfold a header ("Name: value" with CRLF SP continuations) and decode
 * its encoded words as RFC 2047 says: white space between two encoded
 * words is dropped. Returns the value. */
static char *
header_value(const char *h)
{
	struct buf u, out;
	buf_init(&u, 0);
	buf_init(&out, 0);
	const char *colon = strchr(h, ':');
	assert_non_null(colon);
	for (const char *p = colon + 2; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			p++;
			continue;
		}
		buf_addc(&u, *p);
	}
	const char *s = buf_cstr(&u);
	bool last_ew = false;
	size_t pending_ws = 0;
	for (size_t i = 0; s[i];) {
		if (strncmp(s + i, "=?UTF-8?", 8) == 0) {
			char kind = s[i + 8];
			const char *text = s + i + 10, *end = strstr(text, "?=");
			assert_non_null(end);
			if (!last_ew)
				buf_add(&out, s + i - pending_ws, pending_ws);
			if (kind == 'B') {
				char tmp[256];
				size_t k = b64_decode(text, (size_t)(end - text), tmp);
				buf_add(&out, tmp, k);
			} else {
				assert_int_equal(kind, 'Q');
				for (const char *p = text; p < end; p++) {
					if (*p == '_') {
						buf_addc(&out, ' ');
					} else if (*p == '=') {
						buf_addc(&out, (char)(hexval(p[1]) << 4 | hexval(p[2])));
						p += 2;
					} else {
						buf_addc(&out, *p);
					}
				}
			}
			i = (size_t)(end + 2 - s);
			last_ew = true;
			pending_ws = 0;
			continue;
		}
		if (s[i] == ' ') {
			pending_ws++;
			i++;
			continue;
		}
		buf_add(&out, s + i - pending_ws, pending_ws);
		pending_ws = 0;
		last_ew = false;
		buf_addc(&out, s[i++]);
	}
	buf_free(&u);
	return buf_take(&out);
}

/* Every encoded word is at most 75 characters (RFC 2047 2). */
static void
assert_encoded_words_short(const char *h)
{
	for (const char *p = strstr(h, "=?"); p; p = strstr(p + 2, "=?")) {
		const char *end = strstr(p + 10, "?=");
		assert_non_null(end);
		assert_true(end + 2 - p <= 75);
		p = end;
	}
}

static char *
text_header(const char *value)
{
	struct buf b;
	buf_init(&b, 0);
	mime_header_text(&b, "Subject", value);
	return buf_take(&b);
}

static char *
mailbox_header(const char *name, const char *addr)
{
	struct buf b;
	buf_init(&b, 0);
	mime_header_mailbox(&b, "To", name, addr);
	return buf_take(&b);
}

/* --- tests ------------------------------------------------------------------------ */

static void
test_subject_ascii_and_folding(void **state)
{
	(void)state;
	char *h = text_header("Your ticket for Social Media Day");
	assert_string_equal(h, "Subject: Your ticket for Social Media Day\r\n");
	free(h);

	const char *lng = "Your ticket for the International Conference on Very Long Event "
	    "Names and Their Consequences for Mail Headers, Antwerp 2026";
	h = text_header(lng);
	assert_lines(h, 78);
	assert_non_null(strstr(h, "\r\n "));
	assert_null(strstr(h, "=?"));
	char *v = header_value(h);
	assert_string_equal(v, lng);
	free(v);
	free(h);
}

static void
test_subject_encoded_words(void **state)
{
	(void)state;
	static const char *const values[] = {
		"Ihr Ticket für Zoë Çelik",
		"Je ticket voor de Vlaamse Dag van de Sociale Media — één dag, twee zalen, "
		"drie keynotes, vier workshops",
		"محمد علي: تذكرتك لحدث كبير جدا في أنتويرب ٢٠٢٦ مع أصدقاء كثيرين",
		"小明 王 的门票 小明 王 的门票 小明 王 的门票 小明 王 的门票 小明 王 的门票",
		"literally =?UTF-8?Q?not_encoded?= in ASCII",
		"Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword",
		"€",
		"",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char *h = text_header(values[i]);
		assert_lines(h, 76 + (strstr(h, "=?") == NULL ? 2 : 0));
		assert_encoded_words_short(h);
		char *v = header_value(h);
		if (strcmp(v, values[i]) != 0)
			fail_msg("%s\ndecoded: '%s'\nwant:    '%s'", h, v, values[i]);
		free(v);
		free(h);
	}
	/* Arabic and Chinese go as B, Latin with accents as Q. */
	char *h = text_header("小明 王 的门票");
	assert_non_null(strstr(h, "=?UTF-8?B?"));
	free(h);
	h = text_header("Ihr Ticket für");
	assert_string_equal(h, "Subject: =?UTF-8?Q?Ihr_Ticket_f=C3=BCr?=\r\n");
	free(h);
}

static void
test_header_injection_impossible(void **state)
{
	(void)state;
	char *h = text_header("Hello\r\nBcc: everyone@example.org\r\n\r\nbody");
	assert_lines(h, 78);
	assert_null(strstr(h, "\r\nBcc"));
	assert_string_equal(h, "Subject: Hello Bcc: everyone@example.org body\r\n");
	free(h);
	h = mailbox_header("Eve\r\nBcc: x@example.org", "eve@example.org");
	assert_null(strstr(h, "\r\nBcc"));
	assert_string_equal(h, "To: \"Eve Bcc: x@example.org\" <eve@example.org>\r\n");
	free(h);
	/* bytes that are not UTF-8 never reach a header */
	h = text_header("caf\xe9 \xff");
	assert_string_equal(h, "Subject: caf\r\n");
	free(h);
}

static void
test_mailbox(void **state)
{
	(void)state;
	char *h = mailbox_header("Jan Peeters", "jan@example.org");
	assert_string_equal(h, "To: \"Jan Peeters\" <jan@example.org>\r\n");
	free(h);
	h = mailbox_header("", "jan@example.org");
	assert_string_equal(h, "To: jan@example.org\r\n");
	free(h);
	h = mailbox_header(NULL, "jan@example.org");
	assert_string_equal(h, "To: jan@example.org\r\n");
	free(h);
	h = mailbox_header("Jan \"the Man\" O\\Brien", "jan@example.org");
	assert_string_equal(h, "To: \"Jan \\\"the Man\\\" O\\\\Brien\" <jan@example.org>\r\n");
	free(h);
	h = mailbox_header("Zoë Çelik", "zoe@example.org");
	assert_string_equal(h, "To: =?UTF-8?Q?Zo=C3=AB_=C3=87elik?= <zoe@example.org>\r\n");
	free(h);

	/* A long ASCII name: the address folds onto a line of its own; longer
	 * still, the name folds inside its quotes, at a space. */
	const char *lng = "Maximiliaan-Alexander Johannes Vanderhaeghen-Bosscher-Verstraete 13";
	h = mailbox_header(lng, "g13@example.org");
	assert_lines(h, 78);
	assert_string_equal(h, "To: \"Maximiliaan-Alexander Johannes "
	    "Vanderhaeghen-Bosscher-Verstraete 13\"\r\n <g13@example.org>\r\n");
	free(h);
	h = mailbox_header("Maximiliaan-Alexander Johannes Vanderhaeghen-Bosscher-Verstraete "
	    "de Oliveira", "g13@example.org");
	assert_lines(h, 78);
	assert_string_equal(h, "To: \"Maximiliaan-Alexander Johannes "
	    "Vanderhaeghen-Bosscher-Verstraete de\r\n Oliveira\" <g13@example.org>\r\n");
	free(h);
	/* A long non-Latin name: encoded words, the address on a line of its own
	 * when it does not fit. */
	const char *ar = "محمد بن عبد الله بن عبد المطلب بن هاشم";
	h = mailbox_header(ar, "a-very-long-address-for-testing@subdomain.example.org");
	assert_lines(h, 78);
	assert_encoded_words_short(h);
	char *v = header_value(h);
	char *want = xasprintf("%s <a-very-long-address-for-testing@subdomain.example.org>", ar);
	assert_string_equal(v, want);
	free(want);
	free(v);
	free(h);
}

static void
test_address_valid(void **state)
{
	(void)state;
	static const char *const good[] = {
		"jan@example.org", "j.peeters+event@mail.example.co.uk", "A_B-c@x-y.be",
		"o'brien@example.ie", "x@a.b", "1234567890@example.org",
	};
	static const char *const bad[] = {
		"", "jan", "jan@", "@example.org", "jan@localhost", "jan@@example.org",
		"j an@example.org", "jan@exa mple.org", ".jan@example.org", "jan.@example.org",
		"j..an@example.org", "jan@-example.org", "jan@example-.org", "jan@example..org",
		"zoë@example.org", "jan@exämple.org", "\"jan\"@example.org", "jan@[127.0.0.1]",
		"jan@example.org\r\nBcc: x@y.org", "<jan@example.org>", "jan@example.org>",
		"a@b@c.org",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!util_email_ok(good[i]))
			fail_msg("refused '%s'", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (util_email_ok(bad[i]))
			fail_msg("took '%s'", bad[i]);
	assert_false(util_email_ok(NULL));
	char local[70], addr[400];
	memset(local, 'a', 64);
	local[64] = '\0';
	snprintf(addr, sizeof addr, "%s@example.org", local);
	assert_true(util_email_ok(addr));
	memset(local, 'a', 65);
	local[65] = '\0';
	snprintf(addr, sizeof addr, "%s@example.org", local);
	assert_false(util_email_ok(addr));
}

static void
test_parse_mailbox(void **state)
{
	(void)state;
	static const struct {
		const char *text, *name, *addr;
	} cases[] = {
		{ "tickets@example.org", "", "tickets@example.org" },
		{ "  tickets@example.org ", "", "tickets@example.org" },
		{ "Social Media Day <tickets@example.org>", "Social Media Day", "tickets@example.org" },
		{ "\"Day, the \\\"best\\\"\" <t@example.org>", "Day, the \"best\"", "t@example.org" },
		{ "<t@example.org>", "", "t@example.org" },
		{ "Zoë <zoe@example.org>", "Zoë", "zoe@example.org" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *name = NULL, *addr = NULL;
		if (mime_parse_mailbox(cases[i].text, &name, &addr) != 0)
			fail_msg("refused '%s'", cases[i].text);
		assert_string_equal(name, cases[i].name);
		assert_string_equal(addr, cases[i].addr);
		free(name);
		free(addr);
	}
	static const char *const bad[] = {
		"", "Day <tickets>", "Day <tickets@example.org", "Day tickets@example.org",
		"tickets@example.org>", NULL,
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *name = (char *)"untouched", *addr = (char *)"untouched";
		assert_int_equal(mime_parse_mailbox(bad[i], &name, &addr), -1);
		assert_string_equal(name, "untouched");
		assert_string_equal(addr, "untouched");
	}
}

/* Decode quoted-printable (the receiving side). */
static char *
qp_decode(const char *s)
{
	struct buf out;
	buf_init(&out, 0);
	for (size_t i = 0; s[i];) {
		if (s[i] == '=' && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 3;
		} else if (s[i] == '=') {
			assert_true(hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0);
			buf_addc(&out, (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2])));
			i += 3;
		} else if (s[i] == '\r' && s[i + 1] == '\n') {
			buf_addc(&out, '\n');
			i += 2;
		} else {
			buf_addc(&out, s[i++]);
		}
	}
	return buf_take(&out);
}

static void
test_quoted_printable(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"Hello Zoë,\n\nHere is your ticket.\n",
		".\n..\n.hidden line\nFrom here on\nFrom: a header-like line\nFromage\n",
		"trailing space \ntrailing tab\t\n  \n",
		"a=b, 100% =?UTF-8?Q?x?=\n",
		"一行很长的中文文本，一行很长的中文文本，一行很长的中文文本，一行很长的中文文本，结束\n",
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxx=xxxxx xxxx\n",
		"no newline at the end",
		"",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct buf b;
		buf_init(&b, 0);
		mime_qp(&b, texts[i], strlen(texts[i]));
		const char *q = buf_cstr(&b);
		assert_lines(q, 76);
		/* what starts a line is never '.' nor "From " */
		for (const char *line = q; *line; line = strstr(line, "\r\n") + 2) {
			assert_true(line[0] != '.');
			assert_true(strncmp(line, "From ", 5) != 0);
			const char *end = strstr(line, "\r\n");
			if (end > line)
				assert_true(end[-1] != ' ' && end[-1] != '\t');
		}
		char *d = qp_decode(q);
		size_t n = strlen(texts[i]);
		bool nl = n > 0 && texts[i][n - 1] == '\n';
		char *want = xasprintf("%s%s", texts[i], nl || n == 0 ? "" : "\n");
		if (n == 0) {
			free(want);
			want = xstrdup("\n");
		}
		assert_string_equal(d, want);
		free(want);
		free(d);
		buf_free(&b);
	}
	/* CRLF in the text is one line end. */
	struct buf b;
	buf_init(&b, 0);
	mime_qp(&b, "a\r\nb\n", 5);
	assert_string_equal(buf_cstr(&b), "a\r\nb\r\n");
	buf_free(&b);
}

static void
test_base64(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } v[] = {
		{ "", "\r\n" }, { "f", "Zg==\r\n" }, { "fo", "Zm8=\r\n" }, { "foo", "Zm9v\r\n" },
		{ "foob", "Zm9vYg==\r\n" }, { "fooba", "Zm9vYmE=\r\n" }, { "foobar", "Zm9vYmFy\r\n" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct buf b;
		buf_init(&b, 0);
		mime_base64(&b, v[i].in, strlen(v[i].in));
		assert_string_equal(buf_cstr(&b), v[i].out);
		buf_free(&b);
	}
	unsigned char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	struct buf b;
	buf_init(&b, 0);
	mime_base64(&b, data, sizeof data);
	assert_lines(buf_cstr(&b), 76);
	assert_int_equal(strstr(buf_cstr(&b), "\r\n") - b.data, 76);
	char back[1000];
	assert_int_equal(b64_decode(b.data, b.len, back), sizeof data);
	assert_memory_equal(back, data, sizeof data);
	buf_free(&b);
}

static void
test_date(void **state)
{
	(void)state;
	char d[MIME_DATE_MAX];
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	mime_date(1779346800000LL, d);   /* 2026-05-21 07:00 UTC */
	assert_string_equal(d, "Thu, 21 May 2026 09:00:00 +0200");
	mime_date(1767225600000LL, d);   /* 2026-01-01 00:00 UTC */
	assert_string_equal(d, "Thu, 01 Jan 2026 01:00:00 +0100");
	assert_int_equal(ktime_set_zone("America/New_York", NULL), 0);
	mime_date(1779346800000LL, d);
	assert_string_equal(d, "Thu, 21 May 2026 03:00:00 -0400");
	assert_int_equal(ktime_set_zone("Asia/Kolkata", NULL), 0);
	mime_date(1779346800000LL, d);
	assert_string_equal(d, "Thu, 21 May 2026 12:30:00 +0530");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_ascii_and_folding),
		cmocka_unit_test(test_subject_encoded_words),
		cmocka_unit_test(test_header_injection_impossible),
		cmocka_unit_test(test_mailbox),
		cmocka_unit_test(test_address_valid),
		cmocka_unit_test(test_parse_mailbox),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_date),
	};
	return cmocka_run_group_tests_name("mime", tests, NULL, NULL);
}
