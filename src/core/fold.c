/* fold: case and diacritic folding with utf8proc (see fold.h). */
#include "core/fold.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/util.h"

/* Latin letters that NFKD leaves whole; folded to what a person types. */
static const struct {
	utf8proc_int32_t cp;
	const char *ascii;
} extra_latin[] = {
	{ 0x0142, "l" },  /* ł */
	{ 0x00F8, "o" },  /* ø */
	{ 0x00E6, "ae" }, /* æ */
	{ 0x0153, "oe" }, /* œ */
	{ 0x0111, "d" },  /* đ */
	{ 0x00F0, "d" },  /* ð */
	{ 0x00FE, "th" }, /* þ */
	{ 0x0131, "i" },  /* ı */
	{ 0x0127, "h" },  /* ħ */
	{ 0x00DF, "ss" }, /* ß (case folding already gives ss; kept for safety) */
};

static int
keep(utf8proc_int32_t cp)
{
	/* Modifier letters that are apostrophes (ʼ in OʼBrien or a Ukrainian
	 * name, ʻ): dropped as ' and ’ are, so that what staff type finds
	 * them. */
	if (cp == 0x02BC || cp == 0x02BB)
		return 0;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/* Fold n bytes of s and append the kept characters to b. */
static void
fold_append(struct buf *b, const char *s, size_t n)
{
	utf8proc_uint8_t *mapped = NULL;
	struct buf clean;

	/* Most names are plain ASCII: fold them without utf8proc's allocation
	 * per call (the import folds some ten words a guest). The result is
	 * the same: letters lower-cased, digits kept, the rest dropped. */
	bool ascii = true;
	for (size_t i = 0; i < n && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii) {
		char out[256]; /* then added in one piece, not a byte a call */
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			char c = s[i];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				continue;
			out[k++] = c;
			if (k == sizeof out) {
				buf_add(b, out, k);
				k = 0;
			}
		}
		buf_add(b, out, k);
		return;
	}

	/* utf8proc_map refuses invalid UTF-8 whole; drop the bad bytes first. */
	buf_init(&clean, 0);
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		buf_add(&clean, s + i, (size_t)k);
		i += (size_t)k;
	}
	if (clean.len == 0)
		goto out;
	utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)clean.data,
	    (utf8proc_ssize_t)clean.len, &mapped,
	    UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
	    UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	if (m < 0)
		goto out;
	for (utf8proc_ssize_t i = 0; i < m;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(mapped + i, m - i, &cp);
		if (k <= 0)
			break;
		if (keep(cp)) {
			const char *alt = NULL;
			for (size_t j = 0; j < sizeof extra_latin / sizeof extra_latin[0]; j++)
				if (extra_latin[j].cp == cp)
					alt = extra_latin[j].ascii;
			if (alt != NULL)
				buf_add(b, alt, strlen(alt));
			else
				buf_add(b, mapped + i, (size_t)k);
		}
		i += k;
	}
out:
	free(mapped);
	buf_free(&clean);
}

char *
fold_key(const char *s)
{
	struct buf b;
	buf_init(&b, 0);
	fold_append(&b, s, strlen(s));
	return buf_take(&b);
}

/* A word boundary: white space and the punctuation that separates name parts
 * or e-mail parts. Apostrophes do not split ("O'Brien" is one word). */
static int
is_sep(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' ||
	    c == '.' || c == '_' || c == '+' || c == '@' || c == ',' ||
	    c == '/' || c == '(' || c == ')' || c == ';';
}

size_t
fold_space(const char *s, size_t n)
{
	if (n == 0 || (unsigned char)s[0] < 0x80)
		return 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
	return k > 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS ? (size_t)k : 0;
}

/* Bytes of the word boundary p starts with, or 0: is_sep, or white space
 * beyond ASCII ("Van\u00a0Dijk" is two words, as "Van Dijk"). */
static size_t
sep_len(const char *p)
{
	return is_sep((unsigned char)*p) ? 1 : fold_space(p, strnlen(p, 4));
}

/* Words already emitted for one string, as offsets into one buffer: a
 * name has a handful of words, so a linear look is cheapest. */
struct seen {
	struct buf text;        /* the words, each followed by a NUL */
	size_t off[32];
	size_t n;
};

static size_t
emit(struct seen *seen, const char *w, void (*fn)(const char *, void *), void *arg)
{
	if (*w == '\0')
		return 0;
	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->text.data + seen->off[i], w) == 0)
			return 0;
	if (seen->n < sizeof seen->off / sizeof seen->off[0]) {
		seen->off[seen->n++] = seen->text.len;
		buf_add(&seen->text, w, strlen(w) + 1);
	}
	fn(w, arg);
	return 1;
}

/* Bytes after the last apostrophe in s[0..n) (', U+2019, U+2018, U+02BC,
 * and what keyboards and lists put for one: an acute accent U+00B4, a
 * backquote, U+02BB), or NULL when there is none. */
static const char *
after_apostrophe(const char *s, size_t n, size_t *rest)
{
	static const char *const marks[] = { "'", "\xe2\x80\x99", "\xe2\x80\x98", "\xca\xbc",
		"\xc2\xb4", "`", "\xca\xbb" };
	const char *after = NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			size_t m = strlen(marks[k]);
			if (m <= n - i && memcmp(s + i, marks[k], m) == 0)
				after = s + i + m;
		}
	if (after != NULL)
		*rest = n - (size_t)(after - s);
	return after;
}

/* s[0..n) with ä, ö, ü and ø spelt ae, oe, ue and oe, as German and
 * Scandinavian names are written without those letters ("Müller" as
 * Mueller, "Øystein" as Oeystein), composed or as a vowel and a combining
 * diaeresis; NULL when it has none. */
static char *
umlauts_spelt(const char *s, size_t n)
{
	struct buf b;
	bool any = false;
	buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i], next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		const char *to = NULL;
		if (c == 0xC3) {
			switch (next) {
			case 0xA4: case 0x84: to = "ae"; break;             /* ä Ä */
			case 0xB6: case 0x96: case 0xB8: case 0x98: to = "oe"; break; /* ö Ö ø Ø */
			case 0xBC: case 0x9C: to = "ue"; break;             /* ü Ü */
			default: break;
			}
		} else if (c == 0xCC && next == 0x88 && i > 0 && strchr("aouAOU", s[i - 1])) {
			to = "e";                                          /* U+0308 */
		}
		if (to != NULL) {
			buf_add(&b, to, strlen(to));
			any = true;
			i++;
		} else {
			buf_addc(&b, (char)c);
		}
	}
	if (!any) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

char *
fold_name_key(const char *first, const char *last, const char *email)
{
	char *a = fold_key(first ? first : ""), *b = fold_key(last ? last : "");
	char *e = xstrdup(email ? email : "");
	for (char *p = e; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	char *k = xasprintf("%s%s|%s", a, b, e);
	free(a);
	free(b);
	free(e);
	return k;
}

char *
fold_key_spelt(const char *s)
{
	char *spelt = umlauts_spelt(s, strlen(s));
	if (spelt == NULL)
		return NULL;
	char *key = fold_key(spelt);
	free(spelt);
	return key;
}

size_t
fold_words(const char *s, void (*fn)(const char *word, void *arg), void *arg)
{
	struct seen seen;
	size_t count = 0, parts = 0;
	struct buf w;

	buf_init(&seen.text, 0);
	seen.n = 0;
	buf_init(&w, 0);
	for (const char *p = s; *p;) {
		size_t k;
		while (*p && (k = sep_len(p)) > 0)
			p += k;
		const char *start = p;
		while (*p && sep_len(p) == 0)
			p++;
		if (p == start)
			continue;
		buf_reset(&w);
		fold_append(&w, start, (size_t)(p - start));
		if (w.len > 0) {
			parts++;
			count += emit(&seen, w.data, fn, arg);
		}
		char *spelt = umlauts_spelt(start, (size_t)(p - start));
		if (spelt != NULL) {
			buf_reset(&w);
			fold_append(&w, spelt, strlen(spelt));
			if (w.len > 0)
				count += emit(&seen, w.data, fn, arg);
			free(spelt);
		}
		/* "D'Hondt" is one word, "dhondt"; door staff who heard the
		 * name type "hondt" too, so the part after the apostrophe is
		 * a word as well (O'Brien: "brien"; d'Artagnan: "artagnan"). */
		size_t rest = 0;
		const char *after = after_apostrophe(start, (size_t)(p - start), &rest);
		if (after != NULL && rest > 0) {
			buf_reset(&w);
			fold_append(&w, after, rest);
			if (w.len > 0)
				count += emit(&seen, w.data, fn, arg);
		}
	}
	if (parts > 1) {
		char *whole = fold_key(s);
		count += emit(&seen, whole, fn, arg);
		free(whole);
	}
	buf_free(&seen.text);
	buf_free(&w);
	return count;
}

/* fold_append of each two-byte UTF-8 character below U+0250 (Latin-1 and
 * Latin Extended: é, ç, ł, ß, ő), made once by fold_append itself, so that
 * fold_parts folds the names of most lists without utf8proc: a search
 * folds hundreds a keystroke. A character folds on its own as within a
 * word (case folding and dropping marks are per character; a combining
 * mark after it is U+0300 or more and takes the slow way). */
#define LATIN_END 0x250
struct latin {
	char s[4];              /* the folded text */
	unsigned char len;      /* its bytes; 255: longer, take the slow way */
};
static struct latin latin_fold[LATIN_END];
static pthread_once_t latin_once = PTHREAD_ONCE_INIT;

static void
latin_init(void)
{
	struct buf b;
	buf_init(&b, 0);
	for (unsigned cp = 0x80; cp < LATIN_END; cp++) {
		char u[2] = { (char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F)) };
		buf_reset(&b);
		fold_append(&b, u, 2);
		if (b.len < sizeof latin_fold[cp].s) {
			if (b.len > 0)
				memcpy(latin_fold[cp].s, b.data, b.len);
			latin_fold[cp].len = (unsigned char)b.len;
		} else {
			latin_fold[cp].len = 255;
		}
	}
	buf_free(&b);
}

/* s[0..n) folded into out, which has room for n bytes (a character that
 * folds longer than its own bytes is left to fold_append). Returns the
 * bytes written, or -1 when s has a character this does not know:
 * fold_append must. */
static long
fold_latin(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				out[k++] = (char)(c - 'A' + 'a');
			else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				out[k++] = (char)c;
			i++;
			continue;
		}
		if ((c & 0xE0) != 0xC0 || i + 1 >= n || ((unsigned char)s[i + 1] & 0xC0) != 0x80)
			return -1;
		unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
		if (cp < 0x80 || cp >= LATIN_END || latin_fold[cp].len == 255 ||
		    latin_fold[cp].len > 2)
			return -1;
		memcpy(out + k, latin_fold[cp].s, latin_fold[cp].len);
		k += latin_fold[cp].len;
		i += 2;
	}
	return (long)k;
}

size_t
fold_parts(const char *s, char *text, size_t cap, const char **out, size_t max)
{
	size_t n = 0, used = 0;
	struct buf w;
	buf_init(&w, 0);
	for (const char *p = s; *p && n < max;) {
		size_t k;
		while (*p && (k = sep_len(p)) > 0)
			p += k;
		const char *start = p;
		bool ascii = true;
		/* sep_len, with its look beyond ASCII only where there is one */
		for (; *p; p++) {
			if ((unsigned char)*p < 0x80) {
				if (is_sep((unsigned char)*p))
					break;
			} else if (fold_space(p, strnlen(p, 4)) > 0) {
				break;
			} else {
				ascii = false;
			}
		}
		/* Most names are ASCII: folded in place, as fold_append would,
		 * for a search that folds a few thousand names a keystroke;
		 * most others Latin: folded by the table. */
		if (!ascii && (size_t)(p - start) + 1 <= cap - used) {
			pthread_once(&latin_once, latin_init);
			long len = fold_latin(start, (size_t)(p - start), text + used);
			if (len == 0)
				continue;
			if (len > 0) {
				text[used + (size_t)len] = '\0';
				out[n++] = text + used;
				used += (size_t)len + 1;
				continue;
			}
		}
		if (ascii) {
			size_t len = 0;
			for (const char *c = start; c < p; c++)
				len += (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
				    (*c >= '0' && *c <= '9');
			if (len == 0 || len + 1 > cap - used)
				continue;
			char *o = text + used;
			for (const char *c = start; c < p; c++) {
				if (*c >= 'A' && *c <= 'Z')
					*o++ = (char)(*c - 'A' + 'a');
				else if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))
					*o++ = *c;
			}
			*o = '\0';
			out[n++] = text + used;
			used += len + 1;
			continue;
		}
		buf_reset(&w);
		fold_append(&w, start, (size_t)(p - start));
		if (w.len == 0 || w.len + 1 > cap - used)
			continue;
		memcpy(text + used, w.data, w.len);
		text[used + w.len] = '\0';
		out[n++] = text + used;
		used += w.len + 1;
	}
	buf_free(&w);
	return n;
}

size_t
fold_width(const char *s)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	size_t w = 0;
	while (*u != '\0') {
		utf8proc_ssize_t k = utf8proc_iterate(u, -1, &cp);
		if (k <= 0) {
			w++;
			u++;
			continue;
		}
		int cw = utf8proc_charwidth(cp);
		w += cw > 0 ? (size_t)cw : 0;
		u += k;
	}
	return w;
}

char *
fold_sort_key(const char *first, const char *last)
{
	char *a = fold_key(last), *b = fold_key(first);
	char *k = xasprintf("%s %s", a, b);
	free(a);
	free(b);
	return k;
}

/* The words found so far, each its own allocation, and whether it comes
 * from a name (kept always) or only from the e-mail address. */
struct word {
	char *w;
	bool name;
};

struct wordset {
	struct word *e;
	size_t n, cap;
	bool name;              /* what the words being added come from */
};

static void
add_word(const char *word, void *arg)
{
	struct wordset *ws = arg;
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? ws->cap * 2 : 16;
		ws->e = xreallocarray(ws->e, ws->cap, sizeof *ws->e);
	}
	ws->e[ws->n].w = xstrdup(word);
	ws->e[ws->n].name = ws->name;
	ws->n++;
}

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(((const struct word *)a)->w, ((const struct word *)b)->w);
}

/* Does s hold a letter of a script written without spaces between a
 * name's parts: Han, kana, Hangul (U+3040 to U+9FFF, U+AC00 to U+D7AF)? */
static bool
east_asian(const char *s)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	while (*u != '\0') {
		if (*u < 0xE3) {   /* every letter sought takes three bytes, E3 to ED */
			u++;
			continue;
		}
		utf8proc_ssize_t k = utf8proc_iterate(u, -1, &cp);
		if (k <= 0) {
			u++;
			continue;
		}
		if ((cp >= 0x3040 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF))
			return true;
		u += k;
	}
	return false;
}

/* The words of the name first, last, to fn: each part's, and a Chinese,
 * Japanese or Korean name whole, family name first ("李小龍"), where a
 * list parts it into first and last name. */
static void
name_words(const char *first, const char *last, void (*fn)(const char *word, void *arg),
    void *arg)
{
	fold_words(first, fn, arg);
	fold_words(last, fn, arg);
	if (east_asian(first) || east_asian(last)) {
		char *whole = xasprintf("%s%s", last, first);
		fold_words(whole, fn, arg);
		free(whole);
		whole = xasprintf("%s%s", first, last);
		fold_words(whole, fn, arg);
		free(whole);
	}
}

char *
fold_search_words(const char *first, const char *last, const char *email)
{
	struct wordset ws = { NULL, 0, 0, true };
	name_words(first, last, add_word, &ws);
	/* The e-mail's local part and the whole address, not its domain:
	 * "example.org" would put every guest under "or" and "ex". */
	ws.name = false;
	const char *at = strchr(email, '@');
	if (at != NULL) {
		char *local = xstrndup(email, (size_t)(at - email));
		char *whole = fold_key(email);
		fold_words(local, add_word, &ws);
		if (whole[0] != '\0')
			add_word(whole, &ws);
		free(whole);
		free(local);
	} else {
		fold_words(email, add_word, &ws);
	}
	/* Search matches word prefixes, so an e-mail word that starts another
	 * word ("jorisdevries0" before "jorisdevries0exampleorg") finds nobody
	 * the longer one does not, and is left out. Name words all stay: a
	 * search over its cap takes index entries in word order, and an exact
	 * name ("piet") must come before longer ones ("pieter..."). Sorted,
	 * a word comes right before one it starts or equals. */
	if (ws.n > 1)
		qsort(ws.e, ws.n, sizeof *ws.e, cmp_word);
	struct buf b;
	buf_init(&b, 0);
	buf_addc(&b, ' ');
	for (size_t i = 0; i < ws.n; i++) {
		struct word *e = &ws.e[i], *next = i + 1 < ws.n ? &ws.e[i + 1] : NULL;
		if (next != NULL && strcmp(e->w, next->w) == 0)
			next->name = next->name || e->name;   /* one copy, a name if either is */
		else if (e->name || next == NULL || strncmp(e->w, next->w, strlen(e->w)) != 0)
			buf_addf(&b, "%s ", e->w);
		free(e->w);
	}
	free(ws.e);
	return buf_take(&b);
}

/* The typed words a name's words start, for fold_name_starts. */
struct starts {
	const char *const *w;
	size_t n;
	bool hit[8];
};

static void
starts_word(const char *word, void *arg)
{
	struct starts *st = arg;
	for (size_t i = 0; i < st->n; i++)
		if (!st->hit[i] && strncmp(word, st->w[i], strlen(st->w[i])) == 0)
			st->hit[i] = true;
}

bool
fold_name_starts(const char *first, const char *last, const char *const *w, size_t n)
{
	struct starts st = { w, n < 8 ? n : 8, { false } };
	/* the name's words as fold_search_words makes them, unsorted */
	name_words(first, last, starts_word, &st);
	for (size_t i = 0; i < st.n; i++)
		if (!st.hit[i] && w[i][0] != '\0')
			return false;
	return true;
}

bool
fold_case_lost(const char *before, const char *now)
{
	if (before == NULL || now == NULL || strcmp(before, now) == 0)
		return false;
	const utf8proc_uint8_t *a = (const utf8proc_uint8_t *)before;
	const utf8proc_uint8_t *b = (const utf8proc_uint8_t *)now;
	utf8proc_ssize_t na = (utf8proc_ssize_t)strlen(before), nb = (utf8proc_ssize_t)strlen(now);
	bool before_upper = false, before_lower = false, now_upper = false, now_lower = false;
	while (na > 0 && nb > 0) {
		utf8proc_int32_t x, y;
		utf8proc_ssize_t ka = utf8proc_iterate(a, na, &x), kb = utf8proc_iterate(b, nb, &y);
		if (ka <= 0 || kb <= 0 || utf8proc_tolower(x) != utf8proc_tolower(y))
			return false;
		before_upper |= utf8proc_isupper(x);
		before_lower |= utf8proc_islower(x);
		now_upper |= utf8proc_isupper(y);
		now_lower |= utf8proc_islower(y);
		a += ka;
		na -= ka;
		b += kb;
		nb -= kb;
	}
	/* the same letters; both cases before, one now */
	return na == 0 && nb == 0 && before_upper && before_lower && now_upper != now_lower;
}
