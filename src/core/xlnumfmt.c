/* xlnumfmt: a cell's value as an Excel number format shows it (see
 * xlnumfmt.h).
 *
 * A format code is split into its sections; the one that applies is walked
 * twice: once to see that every element in it is one rendered here and to
 * count its digit placeholders (the digits fill them from the right), then
 * to write. Whatever is not rendered makes the whole cell General, never a
 * half-rendered text: a plain number is a wrong code, a mangled one is a
 * wrong code that looks right. */
#include "core/xlnumfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

#define MAX_SECTIONS 4  /* positive;negative;zero;text */
#define MAX_DIGITS 400  /* the digits of DBL_MAX (309) and a NUL */

void
xlnumfmt_general(double v, char *out, size_t n)
{
	if (!isfinite(v)) {
		snprintf(out, n, "%g", v);
	} else if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, n, "%.0f", v);
	} else if (v == floor(v)) {
		char e[40];
		snprintf(e, sizeof e, "%.14e", v); /* -d.dddddddddddddde+XX */
		const char *p = e;
		size_t k = 0;
		if (*p == '-')
			out[k++] = *p++;
		const char *exp = strchr(p, 'e');
		long ex = strtol(exp + 1, NULL, 10);
		for (; p < exp && k + 1 < n; p++)
			if (*p != '.')
				out[k++] = *p;
		for (long z = ex - 14; z > 0 && k + 1 < n; z--)
			out[k++] = '0';
		out[k] = '\0';
	} else {
		/* Below 1E-04 %G writes an exponent, as Excel's General does,
		 * and writes it as Excel does: 1E-05, not 1e-05 */
		snprintf(out, n, "%.15G", v);
	}
}

struct section {
	const char *p;
	size_t len;
};

/* The code's sections, split at each ';' outside quotes, brackets and
 * escapes: returns how many (Excel has no more than 4; more are not
 * looked at), and whether any section has a condition ([>=100]). */
static size_t
split(const char *code, struct section s[MAX_SECTIONS], bool *cond)
{
	size_t n = 0;
	const char *start = code;
	*cond = false;
	for (const char *p = code;; p++) {
		if (*p == '"') {
			while (p[1] != '\0' && p[1] != '"')
				p++;
			if (p[1] == '"')
				p++;
		} else if ((*p == '\\' || *p == '_' || *p == '*') && p[1] != '\0') {
			p++;
		} else if (*p == '[') {
			if (p[1] == '<' || p[1] == '>' || p[1] == '=')
				*cond = true;
			while (p[1] != '\0' && p[1] != ']')
				p++;
			if (p[1] == ']')
				p++;
		} else if (*p == ';' || *p == '\0') {
			if (n < MAX_SECTIONS)
				s[n++] = (struct section){ start, (size_t)(p - start) };
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	return n;
}

/* Does the section hold an @ (outside quotes, brackets and escapes)? The
 * last of two or three sections that does is the text section, as the
 * fourth is (Excel's and LibreOffice's reading): the numbers take the
 * sections before it. */
static bool
text_section(const struct section *s)
{
	const char *end = s->p + s->len;
	for (const char *p = s->p; p < end; p++) {
		const char *q = NULL;
		if (*p == '"' || *p == '[') {
			q = memchr(p + 1, *p == '"' ? '"' : ']', (size_t)(end - p - 1));
			if (q == NULL)
				return false;
			p = q;
		} else if ((*p == '\\' || *p == '_' || *p == '*') && p + 1 < end) {
			p++;
		} else if (*p == '@') {
			return true;
		}
	}
	return false;
}

/* What a section is filled with, and where it is written. */
struct fill {
	bool text;          /* a text section: @ is the value */
	const char *val;    /* the text, or the number's digits ("" for 0) */
	size_t len;
	const char *general;/* the number as General, for a General in the section */
	size_t nph;         /* digit placeholders (0 # ?) in the section */
	size_t ngeneral;    /* Generals in it */
	size_t nat;         /* @s in it */
	size_t ph;          /* placeholders written */
	struct buf *out;    /* NULL: only look and count */
};

static bool
put(struct fill *f, const char *s, size_t n)
{
	return f->out == NULL || buf_add(f->out, s, n) == 0;
}

/* Bytes of the UTF-8 character at p (at least 1, not past end). */
static size_t
char_len(const char *p, const char *end)
{
	size_t k = 1;
	while (p + k < end && ((unsigned char)p[k] & 0xC0) == 0x80)
		k++;
	return k;
}

/* A bracket's content (between [ and ]): a currency's symbol is written, a
 * colour shows nothing; anything else (a condition, elapsed time, [DBNum1])
 * is not rendered. */
static bool
bracket(const char *p, size_t n, struct fill *f)
{
	static const char *const colours[] = { "Black", "Blue", "Cyan", "Green", "Magenta",
		"Red", "White", "Yellow" };
	if (n > 0 && p[0] == '$') {
		const char *dash = memchr(p, '-', n);
		return put(f, p + 1, (size_t)((dash ? dash : p + n) - (p + 1)));
	}
	for (size_t i = 0; i < sizeof colours / sizeof *colours; i++)
		if (strlen(colours[i]) == n && strncasecmp(colours[i], p, n) == 0)
			return true;
	if (n > 5 && n <= 7 && strncasecmp(p, "Color", 5) == 0) {
		for (size_t i = 5; i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				return false;
		return true;
	}
	return false;
}

/* A digit placeholder: the digit it holds counted from the right, and
 * before the first one the digits no placeholder holds. */
static bool
digit(struct fill *f, char c)
{
	if (f->out == NULL) {
		f->nph++;
		return true;
	}
	size_t k = f->ph++;
	if (k == 0 && f->len > f->nph && !put(f, f->val, f->len - f->nph))
		return false;
	if (f->len + k >= f->nph)
		return put(f, f->val + (f->len + k - f->nph), 1);
	return c == '0' ? put(f, "0", 1) : c == '?' ? put(f, " ", 1) : true;
}

/* Walk a section: false at an element not rendered (or out full). */
static bool
walk(const struct section *s, struct fill *f)
{
	const char *p = s->p, *end = s->p + s->len;
	while (p < end) {
		char c = *p++;
		bool ok = true;
		if (c == '"') {
			const char *q = memchr(p, '"', (size_t)(end - p));
			q = q ? q : end;
			ok = put(f, p, (size_t)(q - p));
			p = q < end ? q + 1 : q;
		} else if (c == '\\' || c == '_' || c == '*') {
			/* an escaped character as it is; _x the width of x
			 * (a space in text); *x fills the cell with x */
			size_t k = p < end ? char_len(p, end) : 0;
			ok = c == '\\' ? put(f, p, k) : c == '_' && k > 0 ? put(f, " ", 1) : true;
			p += k;
		} else if (c == '[') {
			const char *q = memchr(p, ']', (size_t)(end - p));
			if (q == NULL)
				return false;
			ok = bracket(p, (size_t)(q - p), f);
			p = q + 1;
		} else if (c == '0' || c == '#' || c == '?') {
			ok = !f->text && digit(f, c);
		} else if (c == '@') {
			f->nat++;
			ok = f->text && put(f, f->val, f->len);
		} else if ((c == 'G' || c == 'g') && end - p >= 6 &&
		    strncasecmp(p - 1, "General", 7) == 0) {
			p += 6;
			f->ngeneral++;
			ok = !f->text && put(f, f->general, strlen(f->general));
		} else if ((c != '\0' && strchr("$-+():!^&'~{}<>= ", c) != NULL) ||
		    (unsigned char)c >= 0x80) {
			ok = put(f, p - 1, 1);
		} else {
			return false; /* . , % E / a letter: not rendered */
		}
		if (!ok)
			return false;
	}
	return true;
}

/* The digits of a rounded to a whole number, "" for 0 (# shows nothing of
 * a zero, 0 a 0): below 10^15 without printf, which a column of 100,000
 * codes would feel. */
static void
whole_digits(double a, char *out, size_t n)
{
	double r = round(a);
	if (r >= 1e15) {
		xlnumfmt_general(r, out, n);
		return;
	}
	char tmp[16];
	size_t k = 0;
	for (unsigned long long u = (unsigned long long)r; u > 0 && k < sizeof tmp; u /= 10)
		tmp[k++] = (char)('0' + u % 10);
	size_t i = 0;
	for (; i < k && i + 1 < n; i++)
		out[i] = tmp[k - 1 - i];
	out[i] = '\0';
}

int
xlnumfmt_number(const char *code, double v, char *out, size_t n)
{
	struct section s[MAX_SECTIONS];
	bool cond;
	size_t ns = split(code, s, &cond);
	if (ns < MAX_SECTIONS && text_section(&s[ns - 1]))
		ns--; /* the text section: "@" alone leaves the number General */
	if (cond || !isfinite(v) || n == 0 || ns == 0)
		return 0;
	const struct section *sec = &s[0];
	bool minus = v < 0; /* one section: its own minus */
	if (ns >= 2 && v < 0) {
		sec = &s[1];
		minus = false;
	} else if (ns >= 3 && v == 0) {
		sec = &s[2];
	}
	/* A section that shows nothing of the number (";;;", "" or a
	 * literal alone) hides it: the number is read, not the nothing or
	 * the dash shown, so that a code column hidden so keeps its codes,
	 * as LibreOffice's CSV of such a cell writes them */
	struct fill f = { .text = false, .general = "" };
	if (!walk(sec, &f) || (f.nph > 0 && f.ngeneral > 0) || f.nph + f.ngeneral == 0)
		return 0;
	char digits[MAX_DIGITS], general[MAX_DIGITS];
	whole_digits(fabs(v), digits, sizeof digits);
	f.val = digits;
	f.len = strlen(digits);
	if (f.ngeneral > 0) {
		xlnumfmt_general(fabs(v), general, sizeof general);
		f.general = general;
	}

	struct buf b;
	buf_init(&b, n - 1);
	int rc = 0;
	f.out = &b;
	if ((minus && buf_addc(&b, '-') != 0) || !walk(sec, &f))
		goto out;
	snprintf(out, n, "%s", buf_cstr(&b));
	rc = 1;
out:
	buf_free(&b);
	return rc;
}

char *
xlnumfmt_text(const char *code, const char *text)
{
	struct section s[MAX_SECTIONS];
	bool cond;
	size_t ns = split(code, s, &cond);
	const struct section *sec = ns == MAX_SECTIONS ? &s[3] :
	    text_section(&s[ns - 1]) ? &s[ns - 1] : NULL;
	struct fill f = { .text = true, .val = text, .len = strlen(text), .general = "" };
	if (sec == NULL || !walk(sec, &f) || f.nat == 0)
		return NULL; /* no @: the text hidden, read as it is (above) */
	/* Room for one @ and the section's text: a format that repeats the
	 * text (@@@@...) would make one cell of a long text huge; it is left
	 * as it is. */
	struct buf b;
	buf_init(&b, f.len + sec->len);
	f.out = &b;
	if (!walk(sec, &f)) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}
