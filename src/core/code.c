/* code: ticket codes (see code.h). */
#include "core/code.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "core/fold.h"
#include "core/util.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Value of a character of the alphabet, or -1. Accepts the confusable
 * letters a person may type (Crockford's decoding rules). */
static int
sym_value(int c)
{
	c = toupper(c);
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	const char *p = c ? strchr(alphabet, c) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

/* Luhn mod 32 check character over body (values of the alphabet). */
static char
check_char(const char *body, size_t n)
{
	int factor = 2, sum = 0;
	for (size_t i = n; i-- > 0;) {
		int addend = factor * sym_value((unsigned char)body[i]);
		factor = factor == 2 ? 1 : 2;
		sum += addend / 32 + addend % 32;
	}
	return alphabet[(32 - sum % 32) % 32];
}

bool
code_tag_valid(const char *tag)
{
	size_t n = strlen(tag);
	if (n < CODE_TAG_MIN || n > CODE_TAG_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isdigit((unsigned char)tag[i]) || (tag[i] >= 'A' && tag[i] <= 'Z')))
			return false;
	return true;
}

bool
code_tag_normalize(const char *in, char out[CODE_TAG_MAX + 2])
{
	size_t n = 0;
	for (; in[n] != '\0' && n < CODE_TAG_MAX + 1; n++)
		out[n] = (char)toupper((unsigned char)in[n]);
	out[n] = '\0';
	return code_tag_valid(out);
}

/* The letter a word of the event's name gives its tag, A to Z: its first,
 * folded as search folds it ("Één" gives E, "Ørsted" O); 0 for a word
 * that folds to no Latin letter first. */
static char
tag_initial(const char *w, size_t len)
{
	if (isalpha((unsigned char)*w))
		return (char)toupper((unsigned char)*w);
	char *word = xstrndup(w, len), *folded = fold_key(word);
	char c = folded[0] >= 'a' && folded[0] <= 'z' ? (char)(folded[0] - 'a' + 'A') : 0;
	free(word);
	free(folded);
	return c;
}

void
code_tag_from_name(const char *name, char out[CODE_TAG_MAX + 1])
{
	size_t n = 0;
	char year[3] = "";
	const char *p = name;

	while (*p) {
		while (*p && !isalnum((unsigned char)*p) && (unsigned char)*p < 0x80)
			p++;
		const char *w = p;
		while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80))
			p++;
		if (p == w)
			continue;
		if (isdigit((unsigned char)*w)) {
			/* A year: keep its last two digits. Only four digits are
			 * one: "10th" must not put "th" in the tag. */
			if (p - w == 4 && isdigit((unsigned char)w[1]) &&
			    isdigit((unsigned char)w[2]) && isdigit((unsigned char)w[3])) {
				year[0] = w[2];
				year[1] = w[3];
			}
		} else if (n < CODE_TAG_MAX - 2) {
			char c = tag_initial(w, (size_t)(p - w));
			if (c != 0)
				out[n++] = c;
		}
	}
	for (size_t i = 0; year[i] && n < CODE_TAG_MAX; i++)
		out[n++] = year[i];
	while (n < CODE_TAG_MIN)
		out[n++] = 'K';
	out[n] = '\0';
}

char *
code_new(const char *tag)
{
	unsigned char rnd[CODE_BODY_LEN];
	char body[CODE_BODY_LEN + 1];
	size_t got = 0;

	/* 16 bytes, 5 bits of each: 80 bits. */
	while (got < sizeof rnd) {
		ssize_t r = getrandom(rnd + got, sizeof rnd - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		got += (size_t)r;
	}
	for (size_t i = 0; i < CODE_BODY_LEN; i++)
		body[i] = alphabet[rnd[i] & 31];
	body[CODE_BODY_LEN] = '\0';
	return xasprintf("%s-%s%c", tag, body, check_char(body, CODE_BODY_LEN));
}

bool
code_parse_ours(const char *code, char tag[CODE_TAG_MAX + 1])
{
	const char *dash = strchr(code, '-');
	if (dash == NULL)
		return false;
	size_t tn = (size_t)(dash - code);
	const char *body = dash + 1;
	if (tn < CODE_TAG_MIN || tn > CODE_TAG_MAX || strlen(body) != CODE_BODY_LEN + 1)
		return false;
	for (size_t i = 0; i < tn; i++)
		if (!(isdigit((unsigned char)code[i]) || (code[i] >= 'A' && code[i] <= 'Z')))
			return false;
	for (size_t i = 0; i <= CODE_BODY_LEN; i++)
		if (strchr(alphabet, body[i]) == NULL || body[i] == '\0')
			return false;
	if (check_char(body, CODE_BODY_LEN) != body[CODE_BODY_LEN])
		return false;
	memcpy(tag, code, tn);
	tag[tn] = '\0';
	return true;
}

/* True when s (n bytes) looks like one of ours in any case: TAG-BODY+check
 * with only alphanumerics. Used to decide whether to upper-case. */
static bool
shaped_like_ours(const char *s, size_t n)
{
	const char *dash = memchr(s, '-', n);
	if (dash == NULL)
		return false;
	size_t tn = (size_t)(dash - s), bn = n - tn - 1;
	if (tn < CODE_TAG_MIN || tn > CODE_TAG_MAX || bn != CODE_BODY_LEN + 1)
		return false;
	for (size_t i = 0; i < tn; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	for (size_t i = 0; i < bn; i++)
		if (sym_value((unsigned char)dash[1 + i]) < 0)
			return false;
	return true;
}

enum code_status
code_normalize(const char *in, size_t len, char **out)
{
	size_t a;
	size_t span = util_invisible_span(in, len, &a);
	size_t b = a + span; /* the code is in[a..b) */
	if (a == b)
		return CODE_EMPTY;
	if (b - a > CODE_MAX_LEN)
		return CODE_TOO_LONG;
	for (size_t i = a; i < b; i++)
		if ((unsigned char)in[i] < ' ' || in[i] == 0x7f)
			return CODE_BAD_CHAR;
	if (!util_utf8_valid(in + a, b - a))
		return CODE_NOT_TEXT;
	char *s = xstrndup(in + a, b - a);
	size_t n = b - a;
	if (shaped_like_ours(s, n)) {
		char *dash = strchr(s, '-');
		for (char *p = s; p < dash; p++)
			*p = (char)toupper((unsigned char)*p);
		for (char *p = dash + 1; *p; p++)
			*p = alphabet[sym_value((unsigned char)*p)];
	}
	*out = s;
	return CODE_OK;
}

static int
hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* s[0..n) with %XX decoded (and '+' as a space when plus_space), normalised
 * as a code, into parts; one already there is not put twice. */
static void
add_decoded(const char *s, size_t n, bool plus_space, char *parts[CODE_URL_PARTS], size_t *np)
{
	char *d = xmalloc(n + 1), *code = NULL;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int hi = s[i] == '%' && i + 2 < n ? hex_value(s[i + 1]) : -1;
		int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
		if (lo >= 0) {
			d[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[k++] = plus_space && s[i] == '+' ? ' ' : s[i];
		}
	}
	if (*np < CODE_URL_PARTS && code_normalize(d, k, &code) == CODE_OK) {
		bool seen = false;
		for (size_t i = 0; i < *np && !seen; i++)
			seen = strcmp(parts[i], code) == 0;
		if (seen)
			free(code);
		else
			parts[(*np)++] = code;
	}
	free(d);
}

/* A part of a link, decoded. In a query a '+' is a space as web forms
 * write it, or the '+' of a code put in a link as it is (a base64 secret):
 * both are tried. */
static void
add_url_part(const char *s, size_t n, bool query, char *parts[CODE_URL_PARTS], size_t *np)
{
	add_decoded(s, n, query, parts, np);
	if (query && memchr(s, '+', n) != NULL)
		add_decoded(s, n, false, parts, np);
}

/* Query keys a ticket's code goes by in a link, folded to small letters;
 * "id" or "e" (an event's number) do not: a short code of the list could
 * be one by chance. */
static bool
code_key(const char *k, size_t n)
{
	static const char *const keys[] = {
		"code", "ticket", "ticketcode", "ticket_code", "ticketid", "ticket_id", "barcode",
		"secret", "qr", "qrcode", "t", "c", "tk", "tkt", "ref", "reference", "pk", "key",
		"token",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i]) == n && strncasecmp(keys[i], k, n) == 0)
			return true;
	return false;
}

/* What follows "https://" or "http://" (either case) in s, or NULL. */
static const char *
link_rest(const char *s)
{
	if (strncasecmp(s, "https://", 8) == 0)
		return s + 8;
	if (strncasecmp(s, "http://", 7) == 0)
		return s + 7;
	return NULL;
}

bool
code_is_link(const char *s)
{
	return link_rest(s) != NULL;
}

size_t
code_url_parts(const char *code, char *parts[CODE_URL_PARTS])
{
	size_t np = 0;
	const char *p = link_rest(code);

	if (p == NULL)
		return 0;
	size_t host = strcspn(p, "/?#");
	const char *path = p + host;
	size_t plen = strcspn(path, "?#");
	const char *query = path[plen] == '?' ? path + plen + 1 : NULL;
	/* The values of the query's code keys ("?code="), in order. */
	bool keyed = false;
	for (const char *q = query; q != NULL && *q != '\0' && *q != '#';) {
		size_t len = strcspn(q, "&;#");
		const char *eq = memchr(q, '=', len);
		bool key = code_key(q, eq != NULL ? (size_t)(eq - q) : len);
		keyed = keyed || key;
		if (key && eq != NULL && eq + 1 < q + len)
			add_url_part(eq + 1, (size_t)(q + len - eq - 1), true, parts, &np);
		q += len;
		if (*q == '&' || *q == ';')
			q++;
	}
	/* Else the path's last segment ("/t/GIAO-1", "/GIAO-1/"): a link that
	 * names its code has said it ("/events/7?code=X" is no guest 7's). */
	if (keyed)
		return np;
	size_t end = plen;
	while (end > 0 && path[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end > start)
		add_url_part(path + start, end - start, false, parts, &np);
	return np;
}

/* Characters a ticket code is made of: those of ours (letters, digits,
 * the dash) and those of the platforms' (base64, a spreadsheet's
 * "2026/041"). Not the dot: the first half of "jan.peeters1987@gmail.com",
 * typed before a pause, would be a code. */
static bool
code_char(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("-_/+=", c) != NULL);
}

bool
code_burst_typed(const char *typed, const char *code, const char *alt, bool known)
{
	if (known || typed == NULL || typed[0] == '\0')
		return false;
	const char *reading[] = { code, alt };
	for (size_t i = 0; i < 2; i++) {
		const char *r = reading[i];
		if (r == NULL)
			continue;
		if (shaped_like_ours(r, strlen(r)) || code_is_link(r))
			return false;
	}
	if (shaped_like_ours(typed, strlen(typed)) || code_is_link(typed))
		return false;
	bool digit = false;
	for (const unsigned char *p = (const unsigned char *)typed; *p; p++) {
		if (*p >= 0x80 || !code_char(*p))
			return true;
		digit = digit || isdigit(*p);
	}
	return !digit;
}

bool
code_burst_name(const char *typed)
{
	bool letter = false;
	for (const unsigned char *p = (const unsigned char *)typed; *p; p++) {
		if (*p >= 0x80 || isalpha(*p))
			letter = true;
		else if (strchr(" -'.@", *p) == NULL)
			return false;
	}
	return letter;
}

const char *
code_status_str(enum code_status s)
{
	switch (s) {
	case CODE_OK:       return "ok";
	case CODE_EMPTY:    return "empty code";
	case CODE_TOO_LONG: return "code too long to be a ticket (at most 256 characters)";
	case CODE_BAD_CHAR: return "code contains a control character";
	case CODE_NOT_TEXT: return "code is not text (not UTF-8): not a ticket";
	}
	return "bad code";
}
