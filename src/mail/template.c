/* template: the words of a ticket e-mail (see template.h).
 *
 * A template is parsed once into paragraphs of segments, each a piece of
 * literal text or a placeholder, so rendering a guest's message is a walk
 * over the segments with no parsing and no way to fail. */
#include "mail/template.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

#define FIELD_NAME_MAX 32  /* longest placeholder name we look up */

static const char *const field_names[TEMPLATE__COUNT] = {
	"first_name", "last_name", "name", "email", "company", "ticket_type", "code",
	"event", "date", "place",
};

struct seg {
	int field;              /* enum template_field, or -1 for literal text */
	char *text;             /* the literal text ('\n' between lines) */
};

struct para {
	struct seg *segs;
	size_t n;
	bool qr;                /* the paragraph that is only {qr} */
};

struct template {
	char *name;             /* file name, for messages */
	struct seg *subject;
	size_t nsubject;
	struct para *paras;
	size_t npara;
	bool uses_subject[TEMPLATE__COUNT];
	bool uses_body[TEMPLATE__COUNT];
};

const char *
template_field_name(enum template_field f)
{
	return (int)f >= 0 && f < TEMPLATE__COUNT ? field_names[f] : "?";
}

const char *
template_name(const struct template *t)
{
	return t->name;
}

bool
template_uses(const struct template *t, enum template_field f)
{
	return (int)f >= 0 && f < TEMPLATE__COUNT && (t->uses_subject[f] || t->uses_body[f]);
}

static void
segs_free(struct seg *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].text);
	free(s);
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	segs_free(t->subject, t->nsubject);
	for (size_t i = 0; i < t->npara; i++)
		segs_free(t->paras[i].segs, t->paras[i].n);
	free(t->paras);
	free(t->name);
	free(t);
}

static void
seg_add(struct seg **s, size_t *n, int field, char *text)
{
	/* Adjacent literal text is one segment. */
	if (field < 0 && *n > 0 && (*s)[*n - 1].field < 0) {
		char *joined = xasprintf("%s%s", (*s)[*n - 1].text, text);
		free((*s)[*n - 1].text);
		free(text);
		(*s)[*n - 1].text = joined;
		return;
	}
	*s = xreallocarray(*s, *n + 1, sizeof **s);
	(*s)[*n].field = field;
	(*s)[*n].text = text;
	(*n)++;
}

static char *
field_list(void)
{
	struct buf b;
	buf_init(&b, 0);
	for (int f = 0; f < TEMPLATE__COUNT; f++)
		buf_addf(&b, "%s{%s}", f ? ", " : "", field_names[f]);
	buf_addf(&b, ", {qr}");
	return buf_take(&b);
}

/* Parse text[0..len) (lines from line on) into segments; {qr} is taken
 * only when qr is not NULL (and then sets *qr). Returns 0, or -1 with
 * *cause naming name and the line. */
static int
parse_segs(const char *text, size_t len, const char *name, int line, bool *qr,
    struct seg **out, size_t *nout, bool uses[TEMPLATE__COUNT], char **cause)
{
	struct seg *s = NULL;
	size_t n = 0, lit = 0;
	int rc = -1;

	for (size_t i = 0; i <= len; i++) {
		bool brace = i < len && (text[i] == '{' || text[i] == '}');
		if (i < len && !brace) {
			if (text[i] == '\n')
				line++;
			continue;
		}
		if (i > lit)
			seg_add(&s, &n, -1, xstrndup(text + lit, i - lit));
		if (i == len)
			break;
		if (i + 1 < len && text[i + 1] == text[i]) {  /* "{{" or "}}" */
			seg_add(&s, &n, -1, xstrndup(text + i, 1));
			lit = ++i + 1;
			continue;
		}
		if (text[i] == '}') {       /* a lone '}' is just a brace */
			seg_add(&s, &n, -1, xstrdup("}"));
			lit = i + 1;
			continue;
		}
		size_t end = i + 1;
		while (end < len && text[end] != '}' && text[end] != '\n' && text[end] != '{')
			end++;
		if (end >= len || text[end] != '}') {
			util_fail(cause, "%s:%d: '{' without its '}' (write {{ for a brace)", name, line);
			goto out;
		}
		char *key = xstrndup(text + i + 1, end - i - 1);
		char *k = util_trim(key);
		free(key);
		int f = -1;
		for (int j = 0; j < TEMPLATE__COUNT && f < 0; j++)
			if (strcasecmp(k, field_names[j]) == 0)
				f = j;
		if (f < 0 && qr != NULL && strcasecmp(k, "qr") == 0) {
			*qr = true;
			free(k);
			lit = end + 1;
			i = end;
			continue;
		}
		if (f < 0) {
			char *list = field_list();
			util_fail(cause, "%s:%d: unknown placeholder {%.*s}; placeholders: %s", name,
			    line, FIELD_NAME_MAX, k, list);
			free(list);
			free(k);
			goto out;
		}
		free(k);
		seg_add(&s, &n, f, NULL);
		uses[f] = true;
		lit = end + 1;
		i = end;
	}
	*out = s;
	*nout = n;
	s = NULL;
	n = 0;
	rc = 0;
out:
	segs_free(s, n);
	return rc;
}

static bool
blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Add the paragraph made of text[0..len) (its lines right-trimmed), which
 * starts on line. */
static int
add_para(struct template *t, const char *text, size_t len, int line, char **cause)
{
	struct para p = { NULL, 0, false };
	struct buf b;
	int rc = -1;

	buf_init(&b, 0);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, e = end;
		while (e > i && (text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		if (b.len > 0)
			buf_addc(&b, '\n');
		buf_add(&b, text + i, e - i);
		i = end + 1;
	}
	if (parse_segs(buf_cstr(&b), b.len, t->name, line, &p.qr, &p.segs, &p.n, t->uses_body,
	    cause) != 0)
		goto out;
	if (p.qr && p.n > 0 && !(p.n == 1 && p.segs[0].field < 0 && blank_line(p.segs[0].text,
	    strlen(p.segs[0].text)))) {
		util_fail(cause, "%s:%d: {qr} must be a paragraph of its own (blank lines around "
		    "it)", t->name, line);
		goto out;
	}
	if (p.qr) {
		segs_free(p.segs, p.n);
		p.segs = NULL;
		p.n = 0;
	}
	t->paras = xreallocarray(t->paras, t->npara + 1, sizeof *t->paras);
	t->paras[t->npara++] = p;
	p.segs = NULL;
	p.n = 0;
	rc = 0;
out:
	segs_free(p.segs, p.n);
	buf_free(&b);
	return rc;
}

int
template_parse(const char *text, size_t len, const char *name, struct template **out,
    char **cause)
{
	struct template *t = xcalloc(1, sizeof *t);
	struct buf clean;
	int rc = -1;

	t->name = xstrdup(name ? name : "template");
	buf_init(&clean, 0);
	if (len > TEMPLATE_MAX_BYTES) {
		util_fail(cause, "%s: over %d bytes: not a template", t->name, TEMPLATE_MAX_BYTES);
		goto out;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (!util_utf8_valid(text, len) || memchr(text, '\0', len) != NULL) {
		util_fail(cause, "%s: not UTF-8 text (save it as UTF-8)", t->name);
		goto out;
	}
	for (size_t i = 0; i < len; i++)       /* CRLF files from Windows editors */
		if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
			buf_addc(&clean, text[i]);
	const char *s = buf_cstr(&clean);
	size_t n = clean.len;

	size_t first = strcspn(s, "\n");
	if (first < 8 || strncasecmp(s, "Subject:", 8) != 0) {
		util_fail(cause, "%s:1: expected 'Subject: ...' on the first line", t->name);
		goto out;
	}
	char *raw = xstrndup(s + 8, first - 8);
	char *subj = util_trim(raw);
	free(raw);
	int r = parse_segs(subj, strlen(subj), t->name, 1, NULL, &t->subject, &t->nsubject,
	    t->uses_subject, cause);
	free(subj);
	if (r != 0)
		goto out;

	/* The body: paragraphs between blank lines. */
	size_t i = first < n ? first + 1 : n, start = 0;
	int line = 2, start_line = 0;
	bool in_para = false;
	while (i <= n) {
		const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
		size_t end = nl ? (size_t)(nl - s) : n;
		bool blank = blank_line(s + i, end - i);
		if (!blank && !in_para) {
			in_para = true;
			start = i;
			start_line = line;
		}
		if ((blank || end == n) && in_para) {
			size_t stop = blank ? i : end;
			if (add_para(t, s + start, stop - start, start_line, cause) != 0)
				goto out;
			in_para = false;
		}
		if (end == n)
			break;
		i = end + 1;
		line++;
	}
	bool text_para = false;
	for (size_t k = 0; k < t->npara; k++)
		text_para = text_para || !t->paras[k].qr;
	if (!text_para) {
		util_fail(cause, "%s: no text below the subject line", t->name);
		goto out;
	}
	*out = t;
	t = NULL;
	rc = 0;
out:
	buf_free(&clean);
	template_free(t);
	return rc;
}

int
template_load(const char *path, struct template **out, char **cause)
{
	char *text = NULL;
	size_t len = 0;
	const char *slash = strrchr(path, '/');
	int rc = -1;

	if (util_read_file(path, TEMPLATE_MAX_BYTES, &text, &len, cause) != 0)
		goto out;
	rc = template_parse(text, len, slash ? slash + 1 : path, out, cause);
	if (rc != 0 && slash != NULL) {
		/* The message names the file as the user gave it. */
		char *msg = xasprintf("%.*s%s", (int)(slash + 1 - path), path, *cause);
		free(*cause);
		*cause = msg;
	}
out:
	free(text);
	return rc;
}

int
template_set_subject(struct template *t, const char *text, char **cause)
{
	struct seg *s = NULL;
	size_t n = 0;
	bool uses[TEMPLATE__COUNT] = { false };
	char *flat = xstrdup(text ? text : "");

	for (char *p = flat; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	int rc = parse_segs(flat, strlen(flat), "--subject", 1, NULL, &s, &n, uses, cause);
	free(flat);
	if (rc != 0)
		return -1;
	segs_free(t->subject, t->nsubject);
	t->subject = s;
	t->nsubject = n;
	memcpy(t->uses_subject, uses, sizeof uses);
	return 0;
}

/* --- rendering -------------------------------------------------------------- */

/* A value as it goes in: control characters (line breaks too) as spaces. */
static void
add_value(struct buf *b, struct buf *mask, const char *v)
{
	for (const char *p = v ? v : ""; *p; p++) {
		unsigned char c = (unsigned char)*p;
		buf_addc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
		if (mask != NULL)
			buf_addc(mask, 'v');
	}
}

/* Render segments into b; mask (when not NULL) gets one byte per byte of
 * b: 'l' for literal text of the template, 'v' for a value. */
static void
render_segs(const struct seg *s, size_t n, const char *const values[TEMPLATE__COUNT],
    struct buf *b, struct buf *mask)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i].field >= 0) {
			add_value(b, mask, values[s[i].field]);
			continue;
		}
		size_t k = strlen(s[i].text);
		buf_add(b, s[i].text, k);
		if (mask != NULL)
			for (size_t j = 0; j < k; j++)
				buf_addc(mask, 'l');
	}
}

static void
html_escape(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_add(b, "&amp;", 5); break;
		case '<': buf_add(b, "&lt;", 4); break;
		case '>': buf_add(b, "&gt;", 4); break;
		case '"': buf_add(b, "&quot;", 6); break;
		case '\'': buf_add(b, "&#39;", 5); break;
		case '\n': buf_add(b, "<br>\n", 5); break;
		default: buf_addc(b, s[i]); break;
		}
	}
}

/* Length of the address starting at s[i] ("http://" or "https://" in
 * the template's own text), or 0. It runs to white space or a character
 * that cannot be in one, and trailing punctuation is the sentence's. */
static size_t
url_at(const char *s, const char *mask, size_t i, size_t n)
{
	if (mask[i] != 'l' || (i > 0 && mask[i - 1] == 'l' && s[i - 1] != ' ' &&
	    s[i - 1] != '\n' && s[i - 1] != '(' && s[i - 1] != '<'))
		return 0;
	size_t p;
	if (n - i > 8 && strncmp(s + i, "https://", 8) == 0)
		p = i + 8;
	else if (n - i > 7 && strncmp(s + i, "http://", 7) == 0)
		p = i + 7;
	else
		return 0;
	size_t host = p;
	while (p < n && (unsigned char)s[p] > ' ' && strchr("<>\"'{}", s[p]) == NULL)
		p++;
	while (p > host && strchr(".,;:!?)", s[p - 1]) != NULL)
		p--;
	return p > host ? p - i : 0;
}

#define WRAPPED_LINE 60 /* a template line this long was wrapped at the margin */

/* Whether the template's line break at s[i] only wrapped a long line (the
 * HTML part flows it: "printed. Your<br>ticket is also attached" broke a
 * sentence in two on a phone), rather than ending a short one ("When: ...",
 * "Where: ..."), or a line that introduces the next ("Your page:"). The
 * line is measured as written in the template: its own text, and each
 * value as a {placeholder} of about 7 bytes. */
static bool
soft_break(const char *s, const char *mask, size_t i)
{
	if (mask[i] != 'l' || (i > 0 && s[i - 1] == ':'))
		return false;
	size_t len = 0;
	for (size_t j = i; j > 0 && s[j - 1] != '\n'; j--) {
		if (mask[j - 1] == 'l')
			len++;
		else if (j - 1 == 0 || mask[j - 2] != 'v')
			len += 7; /* the first byte of a value */
	}
	return len >= WRAPPED_LINE;
}

static void
render_html_para(struct buf *h, const char *s, const char *mask, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (s[i] == '\n' && soft_break(s, mask, i)) {
			buf_addc(h, '\n'); /* white space in HTML: the line flows on */
			i++;
			continue;
		}
		size_t u = url_at(s, mask, i, n);
		if (u > 0) {
			buf_add(h, "<a href=\"", 9);
			html_escape(h, s + i, u);
			buf_add(h, "\">", 2);
			html_escape(h, s + i, u);
			buf_add(h, "</a>", 4);
			i += u;
			continue;
		}
		size_t j = i + 1;
		while (j < n && s[j] != '\n' && (s[j] != 'h' || url_at(s, mask, j, n) == 0))
			j++;
		html_escape(h, s + i, j - i);
		i = j;
	}
}

/* The notice's paragraph first: in the plain text as it is, in the HTML
 * bold and ruled off on the left, so that it is read before the rest. */
static void
render_notice(const char *notice, struct buf *text, struct buf *html)
{
	struct buf n;
	buf_init(&n, 0);
	add_value(&n, NULL, notice);
	buf_add(text, buf_cstr(&n), n.len);
	buf_addc(text, '\n');
	buf_addf(html, "<p style=\"font-weight: bold; border-left: 4px solid #c0392b; "
	    "padding-left: 12px;\">");
	html_escape(html, buf_cstr(&n), n.len);
	buf_add(html, "</p>\n", 5);
	buf_free(&n);
}

void
template_render(const struct template *t, const char *const values[TEMPLATE__COUNT],
    const char *lang, const char *qr_img, const struct template_notice *notice,
    struct template_result *r)
{
	struct buf subj, text, html, para, mask;
	bool qr_done = false;

	buf_init(&subj, 0);
	buf_init(&text, 0);
	buf_init(&html, 0);
	buf_init(&para, 0);
	buf_init(&mask, 0);
	if (notice != NULL && notice->subject != NULL)
		add_value(&subj, NULL, notice->subject);
	render_segs(t->subject, t->nsubject, values, &subj, NULL);
	char *subject = util_trim(buf_cstr(&subj));

	buf_addf(&html, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n<title>", lang);
	html_escape(&html, subject, strlen(subject));
	buf_addf(&html, "</title>\n</head>\n<body style=\"font-family: Arial, Helvetica, "
	    "sans-serif; font-size: 16px; line-height: 1.5; color: #222222;\">\n");
	if (notice != NULL && notice->text != NULL && notice->text[0] != '\0')
		render_notice(notice->text, &text, &html);
	for (size_t i = 0; i < t->npara; i++) {
		const struct para *p = &t->paras[i];
		if (p->qr) {
			buf_addf(&html, "<p>%s</p>\n", qr_img);
			qr_done = true;
			continue;
		}
		buf_reset(&para);
		buf_reset(&mask);
		render_segs(p->segs, p->n, values, &para, &mask);
		if (text.len > 0)
			buf_addc(&text, '\n');
		buf_add(&text, buf_cstr(&para), para.len);
		buf_addc(&text, '\n');
		buf_add(&html, "<p>", 3);
		render_html_para(&html, buf_cstr(&para), buf_cstr(&mask), para.len);
		buf_add(&html, "</p>\n", 5);
	}
	if (!qr_done)
		buf_addf(&html, "<p>%s</p>\n", qr_img);
	buf_addf(&html, "</body>\n</html>\n");

	r->subject = subject;
	r->text = buf_take(&text);
	r->html = buf_take(&html);
	buf_free(&subj);
	buf_free(&para);
	buf_free(&mask);
}

void
template_result_clear(struct template_result *r)
{
	free(r->subject);
	free(r->text);
	free(r->html);
	memset(r, 0, sizeof *r);
}
