/* rank: the order a name search lists guests in (rank.h). */
#include "core/rank.h"

#include <stdbool.h>
#include <string.h>

#include "core/fold.h"

#define NAME_PARTS 8            /* a name's words looked at */
#define NAME_TEXT 256           /* bytes of them, folded */

bool
rank_particle(const char *w)
{
	static const char *const particles[] = {
		"van", "von", "vom", "der", "den", "de", "del", "della", "di", "da", "das",
		"do", "dos", "du", "des", "le", "la", "les", "ten", "ter", "te", "het", "op",
		"mc", "mac", "st",
	};
	if (w[0] == '\0' || w[1] == '\0' || strlen(w) > 5)
		return false;   /* most words of a name: asked of each ranked */
	for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
		if (w[0] == particles[i][0] && strcmp(w, particles[i]) == 0)
			return true;
	return false;
}

/* A name's words, folded, in order, and all of them joined: the words
 * from the i-th on, joined, are joined + from[i]. */
struct parts {
	const char *w[NAME_PARTS];
	size_t n;
	size_t lead;            /* w[0..lead) are particles ("van", "der") */
	size_t from[NAME_PARTS];
	char text[NAME_TEXT];
	char joined[NAME_TEXT];
};

static void
name_parts(const char *name, struct parts *p)
{
	p->n = fold_parts(name != NULL ? name : "", p->text, sizeof p->text, p->w, NAME_PARTS);
	/* the parts fit in text with a NUL each: joined, they fit too */
	size_t len = 0;
	for (size_t i = 0; i < p->n; i++) {
		size_t k = strlen(p->w[i]);
		p->from[i] = len;
		memcpy(p->joined + len, p->w[i], k);
		len += k;
	}
	p->joined[len] = '\0';
	/* one word has no particles in front (surname_level asks after it) */
	for (p->lead = 0; p->n > 1 && p->lead < p->n && rank_particle(p->w[p->lead]); p->lead++)
		;
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* How the query's words w[a..b) match a name's words from its i-th: 3 all
 * of them ("de smet" for De Smet, or Desmet: a list writes particles
 * joined or apart, and staff type them either way), 2 its first words
 * whole ("van de" for Van de Velde), 1 its start ("van de" for van der
 * Linden or Vandenberghe), 0 not. */
static int
match_words(const struct rank_query *rq, size_t a, size_t b, const struct parts *p, size_t i)
{
	size_t k = b - a, m = p->n - i, j = 0;
	while (j < k && j < m && strcmp(rq->w[a + j], p->w[i + j]) == 0)
		j++;
	if (j == k)
		return k == m ? 3 : 2;
	int level = j == k - 1 && j < m && starts(p->w[i + j], rq->w[a + j]) ? 1 : 0;
	const char *qj = rq->joined[a][b], *wj = p->joined + p->from[i];
	if (qj != NULL) {
		if (strcmp(qj, wj) == 0)
			return 3;
		if (level == 0 && starts(wj, qj))
			level = 1;
	}
	return level;
}

/* w[a..b) as the surname s: match_words from its first word, or from a
 * word after particles only ("linden" for van der Linden is the surname
 * whole); from a later word otherwise ("dubois" for Lefèvre-Dubois) at
 * most its start. */
static int
surname_level(const struct rank_query *rq, size_t a, size_t b, const struct parts *s)
{
	int best = 0;
	for (size_t i = 0; i < s->n && best < 3; i++) {
		int l = match_words(rq, a, b, s, i);
		if (i > s->lead && l > 1)
			l = 1;   /* not after particles only */
		if (l > best)
			best = l;
	}
	return best;
}

/* w[a..b) as the first name f: 2 whole (or its first words whole: "jan"
 * for Jan Willem), 1 its start, 0 not. */
static int
first_level(const struct rank_query *rq, size_t a, size_t b, const struct parts *f)
{
	if (f->n == 0)
		return 0;
	int l = match_words(rq, a, b, f, 0);
	return l >= 2 ? 2 : l;
}

void
rank_query_init(struct rank_query *rq, const char *const *q, size_t n)
{
	size_t used = 0, jused = 0;
	memset(rq->joined, 0, sizeof rq->joined);
	rq->n = 0;
	for (size_t i = 0; i < n && rq->n < RANK_WORDS; i++) {
		size_t k = q[i] != NULL ? strlen(q[i]) : 0;
		if (k == 0 || k + 1 > sizeof rq->text - used)
			continue;
		memcpy(rq->text + used, q[i], k + 1);
		rq->w[rq->n++] = rq->text + used;
		used += k + 1;
	}
	/* Every run of words joined, once, not once a guest. The words fit in
	 * text, so each run does; all of them, at most 4 times as many. */
	for (size_t a = 0; a < rq->n; a++)
		for (size_t b = a + 1; b <= rq->n; b++) {
			size_t len = 0;
			for (size_t i = a; i < b; i++)
				len += strlen(rq->w[i]);
			if (len + 1 > sizeof rq->join_text - jused)
				continue;
			char *o = rq->join_text + jused;
			rq->joined[a][b] = o;
			for (size_t i = a; i < b; i++) {
				size_t k = strlen(rq->w[i]);
				memcpy(o, rq->w[i], k);
				o += k;
			}
			*o = '\0';
			jused += len + 1;
		}
}

void
rank_query_parse(struct rank_query *rq, const char *query)
{
	char text[RANK_TEXT];
	const char *q[RANK_WORDS];
	size_t n = 0, len = strlen(query != NULL ? query : "");
	if (len >= sizeof text)
		len = sizeof text - 1;
	memcpy(text, query != NULL ? query : "", len);
	text[len] = '\0';
	for (char *p = text; *p && n < RANK_WORDS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		q[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	rank_query_init(rq, q, n);
}

int
rank_guest(const struct rank_query *rq, const char *first, const char *last)
{
	size_t n = rq->n;
	if (n == 0)
		return RANK_OTHER;
	struct parts f, s;
	name_parts(first, &f);
	name_parts(last, &s);
	int best = RANK_OTHER;

	/* The surname typed alone, or after the first name: w[0..k) the first
	 * name, w[k..n) the surname. */
	for (size_t k = 0; k < n; k++) {
		int sl = surname_level(rq, k, n, &s);
		int fl = sl == 0 ? 0 : k == 0 ? 2 : first_level(rq, 0, k, &f);
		if (sl == 0 || fl == 0)
			continue;
		int level = sl == 3 ? 0 : sl == 2 ? 1 : 3;
		int r = level * RANK_LEVEL_STEP + (2 - fl);
		if (r < best)
			best = r;
	}
	/* The surname first, then the first name ("Peeters, Jan", as a list
	 * reads): after every name typed the natural way round. */
	for (size_t k = 1; k < n && best > 4 * RANK_LEVEL_STEP; k++) {
		int sl = surname_level(rq, 0, k, &s);
		int fl = sl == 0 ? 0 : first_level(rq, k, n, &f);
		if (sl == 0 || fl == 0)
			continue;
		int r = 4 * RANK_LEVEL_STEP + (3 - sl) * 3 + (2 - fl);
		if (r < best)
			best = r;
	}
	/* The first name alone. */
	if (best > 2 * RANK_LEVEL_STEP) {
		int fl = first_level(rq, 0, n, &f);
		int r = fl == 2 ? 2 * RANK_LEVEL_STEP : fl == 1 ? 5 * RANK_LEVEL_STEP : RANK_OTHER;
		if (r < best)
			best = r;
	}
	return best;
}

int
rank_guest_text(const char *query, const char *first, const char *last)
{
	struct rank_query rq;
	rank_query_parse(&rq, query);
	return rank_guest(&rq, first, last);
}
