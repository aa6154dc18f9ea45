/* lang: kiosk's languages for pages served per request (see lang.h). */
#include "core/lang.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const codes[LANG_COUNT] = { "en", "nl", "fr", "de" };

const char *
lang_code(int l)
{
	return codes[l >= 0 && l < LANG_COUNT ? l : LANG_EN];
}

/* The language of a tag's first len bytes: its primary subtag, before any
 * '-' or '_' ("nl-BE", "fr_CA"). */
static int
lang_of_n(const char *tag, size_t len)
{
	size_t primary = 0;
	while (primary < len && tag[primary] != '-' && tag[primary] != '_')
		primary++;
	for (int i = 0; i < LANG_COUNT; i++)
		if (primary == 2 && strncasecmp(tag, codes[i], 2) == 0)
			return i;
	return -1;
}

int
lang_of(const char *code)
{
	return code != NULL ? lang_of_n(code, strlen(code)) : -1;
}

/* The q-value in an item's parameters (";q=0.8"); 1 when there is none,
 * 0 for one that does not read as a number from 0 to 1 (a garbled item
 * ranks last rather than first). */
static double
item_q(const char *params, size_t len)
{
	char tmp[64];
	const char *p = params, *end = params + len;
	while (p < end) {
		/* within the item: the header goes on past LANG_ACCEPT_MAX */
		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		if (p == end)
			break;
		if (p + 1 < end && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			size_t n = (size_t)(end - p - 2);
			if (n >= sizeof tmp)
				return 0;
			memcpy(tmp, p + 2, n);
			tmp[n] = '\0';
			n = strcspn(tmp, " \t;");
			tmp[n] = '\0';
			char *stop = NULL;
			double q = strtod(tmp, &stop);
			if (n == 0 || stop == tmp || *stop != '\0' || !(q >= 0 && q <= 1))
				return 0;
			return q;
		}
		const char *semi = memchr(p, ';', (size_t)(end - p));
		p = semi != NULL ? semi : end;
	}
	return 1;
}

int
lang_accept(const char *header)
{
	int best = -1;
	double best_q = 0;
	if (header == NULL)
		return -1;
	size_t total = strnlen(header, LANG_ACCEPT_MAX);
	const char *p = header, *end = header + total;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *item_end = comma != NULL ? comma : end;
		while (p < item_end && (*p == ' ' || *p == '\t'))
			p++;
		size_t tag = 0;
		while (p + tag < item_end && p[tag] != ' ' && p[tag] != '\t' && p[tag] != ';')
			tag++;
		int l = lang_of_n(p, tag);
		if (l >= 0) {
			double q = item_q(p + tag, (size_t)(item_end - p - tag));
			if (q > best_q) {
				best = l;
				best_q = q;
			}
		}
		p = comma != NULL ? comma + 1 : end;
	}
	return best;
}

int
lang_choose(const char *asked, const char *accept, int fallback)
{
	int l = lang_of(asked);
	if (l < 0)
		l = lang_accept(accept);
	if (l < 0)
		l = fallback >= 0 && fallback < LANG_COUNT ? fallback : LANG_EN;
	return l;
}

void
lang_num(int l, int64_t n, char out[LANG_NUM_BUF])
{
	/* CLDR's grouping: a narrow no-break space (U+202F) in French, so
	 * that a figure never breaks across lines. */
	static const char *const group[LANG_COUNT] = { ",", ".", "\u202f", "." };
	const char *sep = group[l >= 0 && l < LANG_COUNT ? l : LANG_EN];
	char digits[24];
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)u);
	size_t o = 0, seplen = strlen(sep);
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0) {
			memcpy(out + o, sep, seplen);
			o += seplen;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void
lang_date(int l, int wday, int mday, int mon, int year, char out[LANG_DATE_BUF])
{
	static const char *const wdays[LANG_COUNT][7] = {
		{ "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" },
		{ "zo", "ma", "di", "wo", "do", "vr", "za" },
		{ "dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam." },
		{ "So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa." },
	};
	static const char *const mons[LANG_COUNT][12] = {
		{ "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
		  "Dec" },
		{ "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
		  "dec" },
		{ "janv.", "f\u00e9vr.", "mars", "avr.", "mai", "juin", "juil.", "ao\u00fbt",
		  "sept.", "oct.", "nov.", "d\u00e9c." },
		{ "Jan.", "Feb.", "M\u00e4rz", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.",
		  "Okt.", "Nov.", "Dez." },
	};
	int li = l >= 0 && l < LANG_COUNT ? l : LANG_EN;
	int w = wday < 0 ? 0 : wday > 6 ? 6 : wday, m = mon < 0 ? 0 : mon > 11 ? 11 : mon;
	/* German puts a comma after the weekday and a point after the day. */
	bool de = li == LANG_DE;
	int n = snprintf(out, LANG_DATE_BUF, "%s%s %d%s %s", wdays[li][w], de ? "," : "", mday,
	    de ? "." : "", mons[li][m]);
	if (year >= 0 && n > 0 && n < LANG_DATE_BUF)
		snprintf(out + n, LANG_DATE_BUF - (size_t)n, " %d", year);
}

/* Day of the week of a date (0: Sunday), as mktime works it out: at
 * noon, a date's weekday is the same in any time zone and DST. */
static int
weekday(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12,
		.tm_isdst = -1 };
	return mktime(&tm) == (time_t)-1 ? 0 : tm.tm_wday;
}

char *
lang_days(int l, const char *iso, char *out, size_t size)
{
	size_t used = 0;
	if (size == 0)
		return out;
	out[0] = '\0';
	const char *p = iso != NULL ? iso : "";
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == 0)
			break;
		char item[LANG_DATE_BUF];
		int y, m, d, end = 0;
		if (n == 10 && sscanf(p, "%4d-%2d-%2d%n", &y, &m, &d, &end) == 3 && end == 10 &&
		    m >= 1 && m <= 12 && d >= 1 && d <= 31)
			lang_date(l, weekday(y, m, d), d, m - 1, -1, item);
		else
			snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item - 1 ? n :
			    sizeof item - 1), p);
		int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "", item);
		if (w < 0 || (size_t)w >= size - used) {
			out[used] = '\0'; /* a whole day or none */
			break;
		}
		used += (size_t)w;
		p += strcspn(p, ",");
	}
	return out;
}
