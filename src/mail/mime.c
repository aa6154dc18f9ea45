/* mime: the pieces of an Internet message (see mime.h). */
#include "mail/mime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE_MAX_HDR  78   /* RFC 5322: a header line's length, CRLF not counted */
#define LINE_MAX_EW   76   /* RFC 2047: a line holding encoded words */
#define EW_MAX        75   /* RFC 2047: one encoded word */
#define EW_OVERHEAD   12   /* "=?UTF-8?Q?" and "?=" */
#define QP_LINE       76   /* RFC 2045: an encoded line, its soft break included */
#define B64_LINE      76
#define WORD_MAX      60   /* an ASCII word longer than this cannot be folded: encode */

static const char hexdig[] = "0123456789ABCDEF";

/* A header value made safe: control characters and bytes that are not
 * UTF-8 become spaces, runs of spaces one space, none at either end. */
static char *
clean_value(const char *v)
{
	size_t n = v ? strlen(v) : 0;
	char *out = xmalloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)v[i];
		size_t k = c < 0x80 ? 1 : util_utf8_len((const unsigned char *)v + i, n - i);
		bool space = c < 0x20 || c == 0x7f || k == 0;
		if (k == 0)
			k = 1;
		if (space || c == ' ') {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			memcpy(out + o, v + i, k);
			o += k;
		}
		i += k;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

static bool
all_printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Longest run of characters without a space. */
static size_t
longest_word(const char *s)
{
	size_t best = 0, cur = 0;
	for (; *s; s++) {
		cur = *s == ' ' ? 0 : cur + 1;
		if (cur > best)
			best = cur;
	}
	return best;
}

/* A byte that stands for itself inside a Q encoded word in any header
 * (RFC 2047 5(3), the strictest of its rules). */
static bool
q_literal(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

static size_t
q_len(unsigned char c)
{
	return q_literal(c) || c == ' ' ? 1 : 3;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of n (at most 3) bytes into out[4]. */
static void
b64_group(const unsigned char *p, size_t n, char out[4])
{
	unsigned v = (unsigned)p[0] << 16 | (n > 1 ? (unsigned)p[1] << 8 : 0) | (n > 2 ? p[2] : 0);
	out[0] = b64[(v >> 18) & 63];
	out[1] = b64[(v >> 12) & 63];
	out[2] = n > 1 ? b64[(v >> 6) & 63] : '=';
	out[3] = n > 2 ? b64[v & 63] : '=';
}

/* Append text as encoded words, the first on the current line (at column
 * *col), each further one on a folded line of its own. "Q" keeps mostly
 * Latin text readable; "B" is shorter for other scripts, so a name in
 * Arabic or Chinese fits in fewer words. Adjacent encoded words join
 * without a space when decoded (RFC 2047 6.2), so the text may be cut
 * anywhere between two characters. */
static void
add_encoded_words(struct buf *b, size_t *col, const char *text)
{
	size_t n = strlen(text), i = 0, qlen = 0;
	bool first = true;

	for (size_t j = 0; j < n; j++)
		qlen += q_len((unsigned char)text[j]);
	bool use_b = 2 * qlen > 3 * ((n + 2) / 3 * 4); /* B only when clearly shorter */
	while (i < n) {
		if (!first || *col + EW_OVERHEAD + 12 > LINE_MAX_EW) {
			buf_add(b, "\r\n ", 3);
			*col = 1;
		}
		size_t room = EW_MAX;
		if (room > LINE_MAX_EW - *col)
			room = LINE_MAX_EW - *col;
		room -= EW_OVERHEAD;
		buf_add(b, use_b ? "=?UTF-8?B?" : "=?UTF-8?Q?", 10);
		size_t used = 0, start = i;
		while (i < n) {
			size_t k = util_utf8_len((const unsigned char *)text + i, n - i);
			if (k == 0)
				k = 1;
			size_t need = 0;
			if (use_b) {
				need = (i + k - start + 2) / 3 * 4 - used;
			} else {
				for (size_t j = 0; j < k; j++)
					need += q_len((unsigned char)text[i + j]);
			}
			if (used + need > room)
				break;
			for (size_t j = 0; j < k && !use_b; j++) {
				unsigned char c = (unsigned char)text[i + j];
				if (c == ' ') {
					buf_addc(b, '_');
				} else if (q_literal(c)) {
					buf_addc(b, (char)c);
				} else {
					char e[3] = { '=', hexdig[c >> 4], hexdig[c & 15] };
					buf_add(b, e, 3);
				}
			}
			used += need;
			i += k;
		}
		for (size_t j = start; use_b && j < i; j += 3) {
			char g[4];
			b64_group((const unsigned char *)text + j, i - j < 3 ? i - j : 3, g);
			buf_add(b, g, 4);
		}
		buf_add(b, "?=", 2);
		*col += used + EW_OVERHEAD;
		first = false;
	}
}

void
mime_header_text(struct buf *b, const char *name, const char *value)
{
	char *v = clean_value(value);
	size_t col = strlen(name) + 2;

	buf_addf(b, "%s: ", name);
	/* Plain ASCII is folded at spaces; anything else, a word too long to
	 * fold, or text a reader could take for an encoded word is encoded. */
	if (all_printable_ascii(v) && longest_word(v) <= WORD_MAX && strstr(v, "=?") == NULL) {
		bool first = true;
		for (char *w = v; *w;) {
			size_t k = strcspn(w, " ");
			if (!first) {
				if (col + 1 + k > LINE_MAX_HDR) {
					buf_add(b, "\r\n", 2);
					col = 0;
				}
				buf_addc(b, ' ');
				col++;
			}
			buf_add(b, w, k);
			col += k;
			first = false;
			w += k;
			while (*w == ' ')
				w++;
		}
	} else {
		add_encoded_words(b, &col, v);
	}
	buf_add(b, "\r\n", 2);
	free(v);
}

void
mime_header_mailbox(struct buf *b, const char *name, const char *display, const char *addr)
{
	char *v = clean_value(display);
	size_t col = strlen(name) + 2;

	buf_addf(b, "%s: ", name);
	if (*v == '\0') {
		buf_addf(b, "%s\r\n", addr);
		free(v);
		return;
	}
	if (all_printable_ascii(v) && longest_word(v) <= WORD_MAX && strstr(v, "=?") == NULL) {
		/* A quoted string, folded at its spaces: unfolding gives the
		 * space back, and no decoder can disagree about it. */
		buf_addc(b, '"');
		col++;
		for (char *w = v; *w;) {
			size_t k = strcspn(w, " "), esc = 0;
			for (size_t j = 0; j < k; j++)
				esc += w[j] == '"' || w[j] == '\\';
			if (w != v) {
				if (col + 1 + k + esc + 1 > LINE_MAX_HDR) {
					buf_add(b, "\r\n", 2);
					col = 0;
				}
				buf_addc(b, ' ');
				col++;
			}
			for (size_t j = 0; j < k; j++) {
				if (w[j] == '"' || w[j] == '\\')
					buf_addc(b, '\\');
				buf_addc(b, w[j]);
			}
			col += k + esc;
			w += k;
			while (*w == ' ')
				w++;
		}
		buf_addc(b, '"');
		col++;
	} else {
		add_encoded_words(b, &col, v);
	}
	if (col + 3 + strlen(addr) > LINE_MAX_HDR)
		buf_addf(b, "\r\n <%s>\r\n", addr);
	else
		buf_addf(b, " <%s>\r\n", addr);
	free(v);
}

/* One encoded line of quoted-printable, from line[0..n) (no line end). */
static void
qp_line(struct buf *b, const char *line, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];
		bool literal = (c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && i + 1 < n);
		size_t need = literal ? 1 : 3;
		if (col + need > QP_LINE - 1) {
			buf_add(b, "=\r\n", 3);
			col = 0;
		}
		/* What starts an encoded line is never '.' nor "From ". */
		if (col == 0 && (c == '.' || (c == 'F' && n - i >= 5 &&
		    memcmp(line + i, "From ", 5) == 0)))
			literal = false;
		if (literal) {
			buf_addc(b, (char)c);
			col++;
		} else {
			char e[3] = { '=', hexdig[c >> 4], hexdig[c & 15] };
			buf_add(b, e, 3);
			col += 3;
		}
	}
	buf_add(b, "\r\n", 2);
}

void
mime_qp(struct buf *b, const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - i;
		if (n > 0 && text[end - 1] == '\r')
			n--;
		qp_line(b, text + i, n);
		i = nl ? end + 1 : len;
	}
	if (len == 0)
		buf_add(b, "\r\n", 2);
}

void
mime_base64(struct buf *b, const void *data, size_t len)
{
	const unsigned char *p = data;
	char out[B64_LINE + 2];
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		b64_group(p + i, len - i < 3 ? len - i : 3, out + o);
		o += 4;
		if (o == B64_LINE) {
			out[o++] = '\r';
			out[o++] = '\n';
			buf_add(b, out, o);
			o = 0;
		}
	}
	if (o > 0 || len == 0) {
		out[o++] = '\r';
		out[o++] = '\n';
		buf_add(b, out, o);
	}
}

void
mime_date(int64_t ms, char out[MIME_DATE_MAX])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL) {
		t = 0;
		gmtime_r(&t, &tm);
	}
	long off = tm.tm_gmtoff / 60;
	char sign = off < 0 ? '-' : '+', text[128];
	if (off < 0)
		off = -off;
	/* Every field is in range (localtime made them), so this fits. */
	snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 60 % 100, off % 60);
	size_t n = strlen(text);
	if (n >= MIME_DATE_MAX)
		n = MIME_DATE_MAX - 1;
	memcpy(out, text, n);
	out[n] = '\0';
}

int
mime_parse_mailbox(const char *text, char **name, char **addr)
{
	char *t = util_trim(text ? text : "");
	char *n = NULL, *a = NULL;
	size_t len = strlen(t);
	int rc = -1;

	char *lt = strrchr(t, '<');
	if (lt != NULL) {
		if (len == 0 || t[len - 1] != '>')
			goto out;
		a = xstrndup(lt + 1, (size_t)(t + len - 1 - (lt + 1)));
		char *raw = xstrndup(t, (size_t)(lt - t));
		n = util_trim(raw);
		free(raw);
		size_t nl = strlen(n);
		if (nl >= 2 && n[0] == '"' && n[nl - 1] == '"') {
			/* A quoted string: drop the quotes and the backslashes of its
			 * quoted pairs. */
			size_t o = 0;
			for (size_t i = 1; i + 1 < nl; i++) {
				if (n[i] == '\\' && i + 2 < nl)
					i++;
				n[o++] = n[i];
			}
			n[o] = '\0';
		}
	} else {
		a = xstrdup(t);
		n = xstrdup("");
	}
	if (!util_email_ok(a))
		goto out;
	*name = n;
	*addr = a;
	n = a = NULL;
	rc = 0;
out:
	free(n);
	free(a);
	free(t);
	return rc;
}
