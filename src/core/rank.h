/* rank: the order a name search lists guests in, as door staff expect it.
 *
 * The search (guest.h) finds every guest each typed word starts a word
 * of; this decides who of them comes first, since Return picks the first
 * row and a laptop's screen shows three to six. A volunteer asks "your
 * name?" and types the surname, or the first name and then the surname:
 *
 *   0  the surname, whole, as typed: "de smet" (De Smet, or Desmet),
 *      "jan peeters", "linden" (Van der Linden too: the particles in front
 *      may be left out)
 *   1  the surname's first words, whole: "van de" (Van de Velde, before
 *      van der Linden and Vandenberghe)
 *   2  the first name, whole: "sarah", "pieter jan"
 *   3  the surname's start: "peet", "van de" (van der Linden, Vandevelde)
 *   4  surname then first name, typed the other way round: "peeters jan"
 *      (after the natural order: "jan pe" lists Jan Peeters before Peter
 *      Jansen)
 *   5  the first name's start: "sar"
 *   6  anything else (a word inside the name; the e-mail address)
 *
 * Within a level, a whole first name typed comes before its start ("jan
 * pe": Jan Peeters before Janine Peeters); the search then lists in name
 * order. Query words are folded (fold.h) as the search folds them. */
#ifndef KIOSK_RANK_H
#define KIOSK_RANK_H

#include <stdbool.h>
#include <stddef.h>

#define RANK_WORDS 4           /* query words ranked on (GUEST_SEARCH_WORDS) */
#define RANK_LEVEL_STEP 16     /* rank_guest() / RANK_LEVEL_STEP is the level */
#define RANK_OTHER (6 * RANK_LEVEL_STEP) /* level 6: found some other way */

#define RANK_TEXT 256          /* bytes of a query's words ranked on */

/* A query's words made ready to rank many guests by (a search ranks its
 * hundreds of candidates a keystroke): on the stack, no allocation. */
struct rank_query {
	size_t n;                               /* words */
	const char *w[RANK_WORDS];              /* into text */
	const char *joined[RANK_WORDS][RANK_WORDS + 1]; /* w[a..b) joined; NULL when
	                                         * too long */
	char text[RANK_TEXT];                   /* the words, NUL-terminated */
	char join_text[4 * RANK_TEXT];          /* their runs joined */
};

/* The n folded query words q (empty ones skipped, at most RANK_WORDS
 * used, those past RANK_TEXT bytes left out) into *rq. */
void rank_query_init(struct rank_query *rq, const char *const *q, size_t n);

/* The same for the query as one string of folded words parted by single
 * spaces ("van de"), as the search binds it to its SQL. */
void rank_query_parse(struct rank_query *rq, const char *query);

/* How well the query names the guest first, last: lower is listed first;
 * rank / RANK_LEVEL_STEP is the level above (0 to 6). NULL names read as
 * "". No allocation. */
int rank_guest(const struct rank_query *rq, const char *first, const char *last);

/* rank_query_parse and rank_guest in one. */
int rank_guest_text(const char *query, const char *first, const char *last);

/* Whether the folded word w is a name's particle: the Dutch, Flemish,
 * French, German, Italian, Spanish, Portuguese and Scottish ones ("van",
 * "de", "der", "le", "mc") that lists also write joined to the name after
 * them. */
bool rank_particle(const char *w);

#endif
