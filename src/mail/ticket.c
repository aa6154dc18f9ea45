/* ticket: one guest's ticket e-mail (see ticket.h). */
#include "mail/ticket.h"

#include <errno.h>
#include <pango/pangocairo.h>
#include <png.h>
#include <qrencode.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "badge/badge.h"
#include "mail/mime.h"

#define TICKET_LAYOUT "card"    /* a credit-card ticket: one badge, one page */


static const char *const langs[TICKET_LANGS] = { "en", "nl", "fr", "de" };

/* What a ticket that replaces an earlier one says first (ticket.h), in the
 * order of langs: the subject's start, and the paragraph before and after
 * the earlier ticket's code. The same words as the shipped templates: "je"
 * in Dutch, "vous" in French, "Sie" in German. */
static const struct {
	const char *subject;
	const char *before;
	const char *after;
} replaced_words[TICKET_LANGS] = {
	{ "New ticket (replaces your earlier one): ",
	  "This ticket replaces the one we sent you earlier (code ",
	  "), which is no longer valid at the entrance. Please show this one and "
	  "disregard the earlier e-mail." },
	{ "Nieuw ticket (vervangt je eerdere): ",
	  "Dit ticket vervangt het ticket dat we je eerder stuurden (code ",
	  "), dat aan de ingang niet meer geldig is. Toon dit ticket en negeer de "
	  "eerdere e-mail." },
	{ "Nouveau billet (remplace le précédent)\u00a0: ",
	  "Ce billet remplace celui que nous vous avons envoyé précédemment (code ",
	  "), qui n'est plus valable à l'entrée. Présentez celui-ci et ne tenez plus "
	  "compte de l'e-mail précédent." },
	{ "Neues Ticket (ersetzt Ihr früheres): ",
	  "Dieses Ticket ersetzt das Ticket, das wir Ihnen zuvor geschickt haben (Code ",
	  "); jenes ist am Eingang nicht mehr gültig. Bitte zeigen Sie dieses Ticket vor "
	  "und beachten Sie die frühere E-Mail nicht mehr." },
};

struct ticket_maker {
	char *from_name;
	char *from_addr;
	const char *domain;                       /* inside from_addr */
	char *event_name, *event_date, *event_place;
	char *default_lang;
	char *work_dir;
	char *conf;                               /* the settings file, for messages */
	struct template *tmpl[TICKET_LANGS];      /* all the same one with --template */
	bool one_template;
	const struct badge_layout *layout;
};

static int
lang_index(const char *lang)
{
	for (int i = 0; i < TICKET_LANGS; i++)
		if (lang != NULL && strcmp(lang, langs[i]) == 0)
			return i;
	return -1;
}

static bool
is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* [mail] templates names a folder with at least one mail-XX.txt: a folder
 * spelt wrong, or files named otherwise, would mail every guest the
 * shipped text instead, which no one can take back. */
static int
own_templates(const char *dir, const char *conf, char **cause)
{
	struct stat st;
	if (dir == NULL || dir[0] == '\0')
		return 0;
	if (stat(dir, &st) != 0)
		return util_fail(cause, "%s: [mail] templates = %s: %s", conf, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return util_fail(cause, "%s: [mail] templates = %s: not a folder (it holds "
		    "mail-en.txt, mail-nl.txt...; for one template for everybody use --template)",
		    conf, dir);
	for (int i = 0; i < TICKET_LANGS; i++) {
		char *path = xasprintf("%s/mail-%s.txt", dir, langs[i]);
		bool there = is_file(path);
		free(path);
		if (there)
			return 0;
	}
	return util_fail(cause, "%s: [mail] templates = %s: no mail-en.txt, mail-nl.txt, "
	    "mail-fr.txt or mail-de.txt in it, so every guest would get the shipped text",
	    conf, dir);
}

/* A placeholder the event has no value for is an error now, not 500 e-mails
 * with a gap in them. */
static int
check_event_values(const struct ticket_maker *mk, const struct template *t, char **cause)
{
	if (template_uses(t, TEMPLATE_DATE) && mk->event_date[0] == '\0')
		return util_fail(cause, "%s says {date}, but [event] date in %s is empty: "
		    "set it, e.g. date = Thursday 21 May 2026, 9:00", template_name(t), mk->conf);
	if (template_uses(t, TEMPLATE_PLACE) && mk->event_place[0] == '\0')
		return util_fail(cause, "%s says {place}, but [event] place in %s is "
		    "empty: set it, e.g. place = De Singel, Antwerp", template_name(t), mk->conf);
	return 0;
}

int
ticket_maker_new(const struct ticket_setup *su, struct ticket_maker **out, char **cause)
{
	struct ticket_maker *mk = xcalloc(1, sizeof *mk);
	char *path = NULL;
	int rc = -1;

	mk->conf = xstrdup(su->conf_path ? su->conf_path : "kiosk.conf");
	if (su->from == NULL || su->from[0] == '\0') {
		util_fail(cause, "no sender: set [mail] from in %s (e.g. from = "
		    "Our Event <tickets@example.org>), or give --from", mk->conf);
		goto out;
	}
	if (mime_parse_mailbox(su->from, &mk->from_name, &mk->from_addr) != 0) {
		util_fail(cause, "the sender '%s' is not an e-mail address (write it as "
		    "Our Event <tickets@example.org>)", su->from);
		goto out;
	}
	mk->domain = strchr(mk->from_addr, '@') + 1;
	mk->event_name = xstrdup(su->event_name ? su->event_name : "");
	mk->event_date = xstrdup(su->event_date ? su->event_date : "");
	mk->event_place = xstrdup(su->event_place ? su->event_place : "");
	mk->default_lang = xstrdup(lang_index(su->language) >= 0 ? su->language : "en");
	mk->work_dir = xstrdup(su->work_dir);
	mk->layout = badge_layout_find(TICKET_LAYOUT);
	if (mk->layout == NULL) {
		util_fail(cause, "no '%s' badge layout", TICKET_LAYOUT);
		goto out;
	}
	if (su->template_file != NULL) {
		if (template_load(su->template_file, &mk->tmpl[0], cause) != 0)
			goto out;
		mk->one_template = true;
	}
	if (!mk->one_template && own_templates(su->own_dir, mk->conf, cause) != 0)
		goto out;
	for (int i = 0; i < TICKET_LANGS && !mk->one_template; i++) {
		free(path);
		path = NULL;
		if (su->own_dir != NULL && su->own_dir[0] != '\0') {
			path = xasprintf("%s/mail-%s.txt", su->own_dir, langs[i]);
			if (!is_file(path)) {
				free(path);
				path = NULL;
			}
		}
		if (path == NULL)
			path = xasprintf("%s/mail-%s.txt", su->shipped_dir, langs[i]);
		if (template_load(path, &mk->tmpl[i], cause) != 0)
			goto out;
	}
	for (int i = 0; i < TICKET_LANGS; i++) {
		struct template *t = mk->tmpl[i];
		if (t == NULL)
			continue;
		if (su->subject != NULL && template_set_subject(t, su->subject, cause) != 0)
			goto out;
		if (check_event_values(mk, t, cause) != 0)
			goto out;
	}
	*out = mk;
	mk = NULL;
	rc = 0;
out:
	free(path);
	ticket_maker_free(mk);
	return rc;
}

const char *
ticket_maker_from(const struct ticket_maker *mk)
{
	return mk->from_addr;
}

void
ticket_maker_free(struct ticket_maker *mk)
{
	if (mk == NULL)
		return;
	for (int i = 0; i < TICKET_LANGS; i++)
		template_free(mk->tmpl[i]);
	free(mk->from_name);
	free(mk->from_addr);
	free(mk->event_name);
	free(mk->event_date);
	free(mk->event_place);
	free(mk->default_lang);
	free(mk->work_dir);
	free(mk->conf);
	free(mk);
}

void
ticket_message_clear(struct ticket_message *m)
{
	if (m == NULL)
		return;
	free(m->data);
	free(m->message_id);
	free(m->lang);
	memset(m, 0, sizeof *m);
}

/* --- the QR code as a PNG --------------------------------------------------- */

static void
png_to_buf(png_structp p, png_bytep data, png_size_t n)
{
	buf_add(png_get_io_ptr(p), data, n);
}

static void
png_no_flush(png_structp p)
{
	(void)p;
}

/* libpng reports errors by longjmp; this function holds nothing that the
 * jump could leak (the caller owns the row and the buffer). */
static int
png_encode(const unsigned char *bits, int side, size_t stride, struct buf *out)
{
	png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = p ? png_create_info_struct(p) : NULL;
	if (info == NULL) {
		png_destroy_write_struct(&p, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(p))) {
		png_destroy_write_struct(&p, &info);
		return -1;
	}
	png_set_write_fn(p, out, png_to_buf, png_no_flush);
	png_set_IHDR(p, info, (png_uint_32)side, (png_uint_32)side, 1, PNG_COLOR_TYPE_GRAY,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(p, info);
	for (int y = 0; y < side; y++)
		png_write_row(p, (png_const_bytep)(bits + (size_t)y * stride));
	png_write_end(p, info);
	png_destroy_write_struct(&p, &info);
	return 0;
}

int
ticket_qr_png(const char *code, int module, unsigned char **png, size_t *len, int *side,
    char **cause)
{
	QRcode *qr = QRcode_encodeString(code, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	unsigned char *bits = NULL;
	struct buf b;
	int rc = -1;

	buf_init(&b, 0);
	if (qr == NULL || module < 1) {
		util_fail(cause, "cannot make the QR code of '%s'", code);
		goto out;
	}
	int n = qr->width, s = (n + 8) * module;
	size_t stride = ((size_t)s + 7) / 8;
	/* 1 bits are white: start all white, then clear the dark modules. */
	bits = xmalloc(stride * (size_t)s);
	memset(bits, 0xff, stride * (size_t)s);
	for (int y = 0; y < s; y++) {
		int r = y / module - 4;
		if (r < 0 || r >= n)
			continue;
		unsigned char *row = bits + (size_t)y * stride;
		for (int x = 0; x < s; x++) {
			int c = x / module - 4;
			if (c >= 0 && c < n && (qr->data[r * n + c] & 1))
				row[x / 8] &= (unsigned char)~(0x80 >> (x % 8));
		}
	}
	if (png_encode(bits, s, stride, &b) != 0) {
		util_fail(cause, "cannot make the QR code's PNG");
		goto out;
	}
	*len = b.len;
	*side = s;
	*png = (unsigned char *)buf_take(&b);
	rc = 0;
out:
	buf_free(&b);
	free(bits);
	QRcode_free(qr);
	return rc;
}

/* --- the message -------------------------------------------------------------- */

static void
part_header(struct buf *b, const char *boundary)
{
	buf_addf(b, "--%s\r\n", boundary);
}

void
ticket_assemble(const struct ticket_parts *p, struct buf *b)
{
	char *mixed = xasprintf("%s_m", p->boundary);
	char *alt = xasprintf("%s_a", p->boundary);
	char *rel = xasprintf("%s_r", p->boundary);

	buf_addf(b, "Date: %s\r\n", p->date);
	mime_header_mailbox(b, "From", p->from_name, p->from_addr);
	mime_header_mailbox(b, "To", p->to_name, p->to_addr);
	mime_header_text(b, "Subject", p->subject);
	buf_addf(b, "Message-ID: %s\r\n", p->message_id);
	buf_addf(b, "MIME-Version: 1.0\r\n");
	buf_addf(b, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", mixed);
	buf_addf(b, "This is a message in MIME format.\r\n\r\n");

	part_header(b, mixed);
	buf_addf(b, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", alt);

	part_header(b, alt);
	buf_addf(b, "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mime_qp(b, p->text, strlen(p->text));

	part_header(b, alt);
	buf_addf(b, "Content-Type: multipart/related;\r\n boundary=\"%s\";\r\n"
	    " type=\"text/html\"\r\n\r\n", rel);
	part_header(b, rel);
	buf_addf(b, "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mime_qp(b, p->html, strlen(p->html));
	part_header(b, rel);
	buf_addf(b, "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
	    "Content-ID: <%s>\r\nContent-Disposition: inline; filename=\"qr.png\"\r\n\r\n",
	    p->qr_cid);
	mime_base64(b, p->png, p->png_len);
	buf_addf(b, "--%s--\r\n", rel);
	buf_addf(b, "--%s--\r\n", alt);

	part_header(b, mixed);
	buf_addf(b, "Content-Type: application/pdf; name=\"ticket.pdf\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment; filename=\"ticket.pdf\"\r\n\r\n");
	mime_base64(b, p->pdf, p->pdf_len);
	buf_addf(b, "--%s--\r\n", mixed);
	free(mixed);
	free(alt);
	free(rel);
}

static char *
html_attr(const char *s)
{
	struct buf b;
	buf_init(&b, 0);
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_addf(&b, "&amp;"); break;
		case '<': buf_addf(&b, "&lt;"); break;
		case '>': buf_addf(&b, "&gt;"); break;
		case '"': buf_addf(&b, "&quot;"); break;
		default: buf_addc(&b, (unsigned char)*s < 0x20 ? ' ' : *s); break;
		}
	}
	return buf_take(&b);
}

#define S(x) ((x) ? (x) : "")

/* Draw the guest's ticket as a one-page PDF in the work folder, read it
 * back and remove it. */
static int
render_pdf(struct ticket_maker *mk, const struct ticket_guest *g, char **pdf, size_t *len,
    char **cause)
{
	char *path = xasprintf("%s/ticket.pdf", mk->work_dir);
	struct badge_info info = {
		g->first_name, g->last_name, g->company, g->handle, g->ticket_type,
		mk->event_name, g->code,
	};
	int rc = badge_render_pdf(path, mk->layout, &info, 1, cause);
	if (rc == 0)
		rc = util_read_file(path, TICKET_PDF_MAX, pdf, len, cause);
	unlink(path);
	free(path);
	return rc;
}

int
ticket_make(struct ticket_maker *mk, const struct ticket_guest *g, int64_t now_ms,
    struct ticket_message *m, char **cause)
{
	struct template_result res = { NULL, NULL, NULL };
	unsigned char *png = NULL;
	char *pdf = NULL, *uuid = NULL, *name = NULL, *cid = NULL, *stem = NULL;
	char *img = NULL, *alt = NULL, *replaced = NULL;
	size_t png_len = 0, pdf_len = 0;
	int side = 0, rc = -1;
	struct buf b;

	buf_init(&b, 0);
	/* One template for everybody is taken to be in the default language. */
	int li = mk->one_template ? -1 : lang_index(g->language);
	if (li < 0)
		li = lang_index(mk->default_lang);
	const struct template *t = mk->tmpl[mk->one_template ? 0 : li];

	const char *first = S(g->first_name), *last = S(g->last_name);
	name = xasprintf("%s%s%s", first, *first && *last ? " " : "", last);
	const char *values[TEMPLATE__COUNT] = {
		[TEMPLATE_FIRST_NAME] = first, [TEMPLATE_LAST_NAME] = last,
		[TEMPLATE_NAME] = name, [TEMPLATE_EMAIL] = S(g->email),
		[TEMPLATE_COMPANY] = S(g->company), [TEMPLATE_TICKET_TYPE] = S(g->ticket_type),
		[TEMPLATE_CODE] = S(g->code), [TEMPLATE_EVENT] = mk->event_name,
		[TEMPLATE_DATE] = mk->event_date, [TEMPLATE_PLACE] = mk->event_place,
	};

	if (ticket_qr_png(S(g->code), TICKET_QR_MODULE, &png, &png_len, &side, cause) != 0)
		goto out;
	if (render_pdf(mk, g, &pdf, &pdf_len, cause) != 0)
		goto out;

	/* One UUID (the time and 74 random bits) names the message, its
	 * boundaries and its image. */
	uuid = util_uuid();
	stem = xasprintf("=_kiosk_%s", uuid);
	for (char *p = stem; *p; p++)
		if (*p == '-')
			*p = '_';
	cid = xasprintf("qr.%s@%s", uuid, mk->domain);
	alt = html_attr(S(g->code));
	img = xasprintf("<img src=\"cid:%s\" alt=\"%s\" width=\"%d\" height=\"%d\" "
	    "style=\"display: block;\">", cid, alt, side, side);
	struct template_notice notice = { NULL, NULL };
	if (g->replaces != NULL && g->replaces[0] != '\0') {
		notice.subject = replaced_words[li].subject;
		replaced = xasprintf("%s%s%s", replaced_words[li].before, g->replaces,
		    replaced_words[li].after);
		notice.text = replaced;
	}
	template_render(t, values, langs[li], img, &notice, &res);

	char date[MIME_DATE_MAX];
	mime_date(now_ms, date);
	m->message_id = xasprintf("<%s@%s>", uuid, mk->domain);
	struct ticket_parts parts = {
		date, m->message_id, mk->from_name, mk->from_addr, name, S(g->email),
		res.subject, res.text, res.html, cid, png, png_len,
		(const unsigned char *)pdf, pdf_len, stem,
	};
	ticket_assemble(&parts, &b);
	m->len = b.len;
	m->data = buf_take(&b);
	m->lang = xstrdup(langs[li]);
	rc = 0;
out:
	buf_free(&b);
	template_result_clear(&res);
	free(png);
	free(pdf);
	free(uuid);
	free(name);
	free(cid);
	free(stem);
	free(img);
	free(alt);
	free(replaced);
	return rc;
}
