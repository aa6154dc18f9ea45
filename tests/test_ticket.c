/* test_ticket: the QR code PNG (decoded with zbar), the message's
 * structure, and what the maker refuses before any guest is mailed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "badge/badge.h"
#include "core/util.h"
#include "mail/ticket.h"
#include "testutil.h"

static const char *
srcdir(void)
{
	const char *d = getenv("KIOSK_SRCDIR");
	return d != NULL && *d != '\0' ? d : ".";
}

/* Decode a PNG in memory with zbar: the QR code's text (caller frees), or NULL. */
static char *
zbar_png(const unsigned char *png, size_t len)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, png, len))
		return NULL;
	img.format = PNG_FORMAT_GRAY;
	unsigned char *px = xmalloc(PNG_IMAGE_SIZE(img));
	if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
		free(px);
		return NULL;
	}
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_t *zi = zbar_image_create();
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, img.width, img.height);
	zbar_image_set_data(zi, px, (unsigned long)img.width * img.height, NULL);
	char *text = NULL;
	if (zbar_scan_image(sc, zi) > 0) {
		const zbar_symbol_t *sym = zbar_image_first_symbol(zi);
		text = xstrdup(zbar_symbol_get_data(sym));
	}
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(sc);
	free(px);
	return text;
}

static void
test_qr_png_decodes(void **state)
{
	static const char *const codes[] = {
		"SMD26-7K3QX9M2TB4V8HCR5", "8184922608941621308297001", "pretix-secret-abc_DEF",
	};
	(void)state;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		unsigned char *png = NULL;
		size_t len = 0;
		int side = 0;
		char *cause = NULL;
		assert_int_equal(ticket_qr_png(codes[i], TICKET_QR_MODULE, &png, &len, &side,
		    &cause), 0);
		assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
		assert_int_equal(side % TICKET_QR_MODULE, 0);
		assert_true(len < 2000); /* 1-bit: small enough to travel inline */
		char *got = zbar_png(png, len);
		assert_non_null(got);
		assert_string_equal(got, codes[i]);
		free(got);
		free(png);
	}
	unsigned char *png = (unsigned char *)"untouched";
	size_t len = 0;
	int side = 0;
	char *cause = NULL;
	assert_int_equal(ticket_qr_png("x", 0, &png, &len, &side, &cause), -1);
	assert_string_equal((char *)png, "untouched");
	free(cause);
}

/* The boundaries and parts of a fixed message, byte for byte. */
static void
test_assemble(void **state)
{
	(void)state;
	static const unsigned char png[] = { 1, 2, 3 }, pdf[] = { '%', 'P', 'D', 'F' };
	struct ticket_parts p = {
		"Thu, 21 May 2026 09:00:00 +0200", "<u@example.org>", "Day", "t@example.org",
		"Zoë Çelik", "zoe@example.org", "Je ticket", "Hallo\n", "<p>Hallo</p>\n",
		"qr.u@example.org", png, sizeof png, pdf, sizeof pdf, "=_kiosk_u",
	};
	struct buf a, b;
	buf_init(&a, 0);
	buf_init(&b, 0);
	ticket_assemble(&p, &a);
	ticket_assemble(&p, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_string_equal(buf_cstr(&a),
	    "Date: Thu, 21 May 2026 09:00:00 +0200\r\n"
	    "From: \"Day\" <t@example.org>\r\n"
	    "To: =?UTF-8?Q?Zo=C3=AB_=C3=87elik?= <zoe@example.org>\r\n"
	    "Subject: Je ticket\r\n"
	    "Message-ID: <u@example.org>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed;\r\n boundary=\"=_kiosk_u_m\"\r\n"
	    "\r\n"
	    "This is a message in MIME format.\r\n"
	    "\r\n"
	    "--=_kiosk_u_m\r\n"
	    "Content-Type: multipart/alternative;\r\n boundary=\"=_kiosk_u_a\"\r\n"
	    "\r\n"
	    "--=_kiosk_u_a\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "Hallo\r\n"
	    "--=_kiosk_u_a\r\n"
	    "Content-Type: multipart/related;\r\n boundary=\"=_kiosk_u_r\";\r\n"
	    " type=\"text/html\"\r\n"
	    "\r\n"
	    "--=_kiosk_u_r\r\n"
	    "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "<p>Hallo</p>\r\n"
	    "--=_kiosk_u_r\r\n"
	    "Content-Type: image/png\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Content-ID: <qr.u@example.org>\r\n"
	    "Content-Disposition: inline; filename=\"qr.png\"\r\n"
	    "\r\n"
	    "AQID\r\n"
	    "--=_kiosk_u_r--\r\n"
	    "--=_kiosk_u_a--\r\n"
	    "--=_kiosk_u_m\r\n"
	    "Content-Type: application/pdf; name=\"ticket.pdf\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment; filename=\"ticket.pdf\"\r\n"
	    "\r\n"
	    "JVBERg==\r\n"
	    "--=_kiosk_u_m--\r\n");
	buf_free(&a);
	buf_free(&b);
}

struct fx {
	char *dir;
	char *shipped;
	struct ticket_setup su;
};

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->dir = tu_tmpdir();
	f->shipped = xasprintf("%s/templates", srcdir());
	struct ticket_setup su = {
		"Social Media Day", "21 May 2026", "De Singel", "Social Media Day <tickets@smd.example>",
		"nl", NULL, f->shipped, NULL, NULL, f->dir, NULL,
	};
	f->su = su;
	char *fonts = xasprintf("%s/fonts", srcdir());
	badge_use_fonts(fonts);
	free(fonts);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	tu_rmdir(f->dir);
	free(f->shipped);
	free(f);
	return 0;
}

static void
test_make(void **state)
{
	struct fx *f = *state;
	struct ticket_maker *mk = NULL;
	char *cause = NULL;
	if (ticket_maker_new(&f->su, &mk, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(ticket_maker_from(mk), "tickets@smd.example");

	struct ticket_guest g = { "Zoë", "Çelik", "zoe@example.org", "Acme", "Speaker", "@zoe",
	    "SMD26-7K3QX9M2TB4V8HCR5", "fr", NULL };
	struct ticket_message m, m2;
	assert_int_equal(ticket_make(mk, &g, 1779346800000LL, &m, &cause), 0);
	assert_string_equal(m.lang, "fr");
	assert_int_equal(m.len, strlen(m.data));
	assert_non_null(strstr(m.data, "Subject: Votre billet pour Social Media Day\r\n"));
	assert_non_null(strstr(m.data, "From: \"Social Media Day\" <tickets@smd.example>\r\n"));
	assert_memory_equal(m.message_id, "<", 1);
	assert_non_null(strstr(m.message_id, "@smd.example>"));
	char *mid = xasprintf("Message-ID: %s\r\n", m.message_id);
	assert_non_null(strstr(m.data, mid));
	free(mid);
	assert_non_null(strstr(m.data, "Content-Type: application/pdf"));
	assert_non_null(strstr(m.data, "JVBER")); /* "%PDF" in base64 */
	/* no line over 78, CRLF only */
	for (const char *l = m.data; *l;) {
		const char *e = strstr(l, "\r\n");
		assert_non_null(e);
		assert_true(e - l <= 78);
		assert_null(memchr(l, '\n', (size_t)(e - l)));
		l = e + 2;
	}
	/* a guest with no language gets the default; another message, another id */
	g.language = "";
	assert_int_equal(ticket_make(mk, &g, 1779346800000LL, &m2, &cause), 0);
	assert_string_equal(m2.lang, "nl");
	assert_non_null(strstr(m2.data, "Subject: Je ticket voor Social Media Day\r\n"));
	assert_string_not_equal(m.message_id, m2.message_id);
	ticket_message_clear(&m);
	ticket_message_clear(&m2);
	ticket_message_clear(NULL);
	ticket_maker_free(mk);
	ticket_maker_free(NULL);
	/* the work folder is left empty */
	char *cmd = xasprintf("test -z \"$(ls -A '%s')\"", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* The message as a reader sees it: headers unfolded, quoted-printable's
 * soft line breaks joined (the words tested are ASCII). Caller frees. */
static char *
unfolded(const char *data)
{
	struct buf b;
	buf_init(&b, 0);
	for (const char *p = data; *p; p++) {
		if (strncmp(p, "\r\n ", 3) == 0)
			p += 1;          /* a folded header: the space stays */
		else if (strncmp(p, "=\r\n", 3) == 0)
			p += 2;          /* a soft line break */
		else
			buf_addc(&b, *p);
	}
	return buf_take(&b);
}

/* A guest mailed before with another code (an import gave them a new one)
 * got a second e-mail of the very same subject and words, kept the first,
 * and was turned away at the door. The new one says, first thing, in the
 * guest's language, that it replaces the earlier ticket, naming its code. */
static void
test_replacement_says_so(void **state)
{
	struct fx *f = *state;
	struct ticket_maker *mk = NULL;
	char *cause = NULL;
	if (ticket_maker_new(&f->su, &mk, &cause) != 0)
		fail_msg("%s", cause);
	struct ticket_guest g = { "Ann", "Aa", "ann@example.org", NULL, NULL, NULL,
	    "SMD26-NEWCODE", "en", "SMD26-OLDCODE" };
	struct ticket_message m;
	assert_int_equal(ticket_make(mk, &g, 0, &m, &cause), 0);
	char *u = unfolded(m.data);
	if (strstr(u, "\r\nSubject: New ticket (replaces your earlier one): Your ticket for "
	    "Social Media Day\r\n") == NULL)
		fail_msg("%s", u);
	/* the plain text and the HTML each open with it, before the greeting */
	const char *plain = strstr(u, "This ticket replaces the one we sent you earlier (code "
	    "SMD26-OLDCODE), which is no longer valid at the entrance. Please show this one and "
	    "disregard the earlier e-mail.\r\n\r\nHello Ann Aa,");
	assert_non_null(plain);
	assert_true(plain < strstr(u, "text/html"));
	assert_non_null(strstr(u, "<p style=3D\"font-weight: bold; border-left: 4px solid #c0392b;"
	    " padding-left: 12px;\">This ticket replaces the one we sent you earlier (code SMD26-"
	    "OLDCODE)"));
	assert_non_null(strstr(u, "Your ticket code: SMD26-NEWCODE"));
	free(u);
	ticket_message_clear(&m);

	/* in the guest's language: here the event's default, Dutch */
	g.language = "";
	assert_int_equal(ticket_make(mk, &g, 0, &m, &cause), 0);
	u = unfolded(m.data);
	assert_non_null(strstr(u, "\r\nSubject: Nieuw ticket (vervangt je eerdere): Je ticket "
	    "voor Social Media Day\r\n"));
	assert_non_null(strstr(u, "Dit ticket vervangt het ticket dat we je eerder stuurden (code "
	    "SMD26-OLDCODE), dat aan de ingang niet meer geldig is."));
	free(u);
	ticket_message_clear(&m);

	/* a first ticket, or one sent again with the same code, says nothing of it */
	g.replaces = "";
	assert_int_equal(ticket_make(mk, &g, 0, &m, &cause), 0);
	u = unfolded(m.data);
	assert_non_null(strstr(u, "\r\nSubject: Je ticket voor Social Media Day\r\n"));
	assert_null(strstr(u, "SMD26-OLDCODE"));
	assert_null(strstr(u, "border-left"));
	free(u);
	ticket_message_clear(&m);
	ticket_maker_free(mk);
}

static void
expect_maker_err(const struct ticket_setup *su, const char *want)
{
	struct ticket_maker *mk = NULL;
	char *cause = NULL;
	assert_int_equal(ticket_maker_new(su, &mk, &cause), -1);
	assert_null(mk);
	if (strstr(cause, want) == NULL)
		fail_msg("got '%s', want '%s'", cause, want);
	free(cause);
}

static void
test_maker_refuses(void **state)
{
	struct fx *f = *state;
	struct ticket_setup su = f->su;
	su.from = "";
	expect_maker_err(&su, "no sender: set [mail] from in kiosk.conf");
	su.from = "Day <tickets>";
	expect_maker_err(&su, "the sender 'Day <tickets>' is not an e-mail address");
	su = f->su;
	su.event_date = "";
	expect_maker_err(&su, "mail-en.txt says {date}, but [event] date in kiosk.conf is empty");
	su = f->su;
	su.event_place = NULL;
	expect_maker_err(&su, "says {place}, but [event] place in kiosk.conf is empty");
	/* the settings file in use, when it is another (--config door2.conf) */
	su.conf_path = "door2.conf";
	expect_maker_err(&su, "says {place}, but [event] place in door2.conf is empty");
	su = f->su;
	su.shipped_dir = "/nonexistent";
	expect_maker_err(&su, "/nonexistent/mail-en.txt");
	su = f->su;
	su.subject = "Hi {frist_name}";
	expect_maker_err(&su, "--subject:1: unknown placeholder {frist_name}");

	/* --template: one for everybody, {date} not needed when not used */
	char *own = tu_write(f->dir, "mine.txt", "Subject: Hi {first_name}\n\nSee you, {code}.\n");
	su = f->su;
	su.template_file = own;
	su.event_date = "";
	struct ticket_maker *mk = NULL;
	char *cause = NULL;
	assert_int_equal(ticket_maker_new(&su, &mk, &cause), 0);
	struct ticket_guest g = { "Jan", "", "jan@example.org", NULL, NULL, NULL, "C-1", "de",
	    NULL };
	struct ticket_message m;
	assert_int_equal(ticket_make(mk, &g, 0, &m, &cause), 0);
	assert_non_null(strstr(m.data, "Subject: Hi Jan\r\n"));
	assert_non_null(strstr(m.data, "See you, C-1.\r\n"));
	assert_non_null(strstr(m.data, "To: \"Jan\" <jan@example.org>\r\n"));
	ticket_message_clear(&m);
	ticket_maker_free(mk);

	/* [mail] templates: one's own language files first, the rest shipped */
	char *sub = xasprintf("%s/own", f->dir);
	char *mk_cmd = xasprintf("mkdir -p '%s'", sub);
	assert_int_equal(system(mk_cmd), 0);
	free(mk_cmd);
	free(tu_write(sub, "mail-nl.txt", "Subject: Eigen {event}\n\nHoi {first_name}\n"));
	su = f->su;
	su.own_dir = sub;
	assert_int_equal(ticket_maker_new(&su, &mk, &cause), 0);
	g.language = "nl";
	assert_int_equal(ticket_make(mk, &g, 0, &m, &cause), 0);
	assert_non_null(strstr(m.data, "Subject: Eigen Social Media Day\r\n"));
	ticket_message_clear(&m);
	g.language = "en";
	assert_int_equal(ticket_make(mk, &g, 0, &m, &cause), 0);
	assert_non_null(strstr(m.data, "Subject: Your ticket for Social Media Day\r\n"));
	ticket_message_clear(&m);
	ticket_maker_free(mk);

	/* A folder spelt wrong, a file, or a folder of files named otherwise:
	 * refused, not the shipped text to every guest. */
	char *typo = xasprintf("%s/owm", f->dir);
	su.own_dir = typo;
	expect_maker_err(&su, "[mail] templates = ");
	expect_maker_err(&su, "/owm: No such file or directory");
	su.own_dir = own;
	expect_maker_err(&su, "mine.txt: not a folder");
	char *other = xasprintf("%s/other", f->dir);
	mk_cmd = xasprintf("mkdir -p '%s'", other);
	assert_int_equal(system(mk_cmd), 0);
	free(mk_cmd);
	free(tu_write(other, "mail_en.txt", "Subject: Mine\n\nHi\n"));
	su.own_dir = other;
	expect_maker_err(&su, "no mail-en.txt, mail-nl.txt, mail-fr.txt or mail-de.txt in it");
	/* --template wins over the folder, which is then not looked at */
	su.template_file = own;
	assert_int_equal(ticket_maker_new(&su, &mk, &cause), 0);
	ticket_maker_free(mk);
	free(other);
	free(typo);
	free(sub);
	free(own);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qr_png_decodes),
		cmocka_unit_test(test_assemble),
		cmocka_unit_test_setup_teardown(test_make, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maker_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replacement_says_so, setup, teardown),
	};
	int rc = cmocka_run_group_tests_name("ticket", tests, NULL, NULL);
	badge_shutdown();
	return rc;
}
