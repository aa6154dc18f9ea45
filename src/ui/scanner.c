/* scanner: tell a keyboard-wedge barcode scanner from a person typing.
 *
 * Rules (the header is the contract; these are the details):
 *  - A burst is a run of printable keys (those scanner_us_char knows) with at
 *    most max_gap_ms between two of them. Only key events time a burst;
 *    modifiers (224..231) are skipped entirely, TEXT events never move it.
 *  - Return or keypad Enter (and Tab, with suffix tab) ends a burst: with at
 *    least min_length characters it is a SCAN (BROKEN when over
 *    SCANNER_MAX_CODE) and nothing of it is typed, Return included;
 *    otherwise the held keys and the Return come out as typing at once,
 *    then a SHORT with the burst read as a code.
 *  - Any other non-printable key (Escape, Backspace, arrows...) ends a burst
 *    the same way, except that a long burst ends BROKEN (the key is taken as
 *    part of it); alone it comes out as a KEY at once.
 *  - A burst that stops (no key for more than max_gap_ms, seen at the next
 *    key or at scanner_poll) is BROKEN when long enough (a SCAN with suffix
 *    none), else typed. The next key's time for this is read_ms when the
 *    app gives it (after_read), up to SCANNER_LATE_READ_MS before its
 *    stamp: the earliest it can have been typed.
 *  - A repeated key counts as a key inside an open burst, and is ignored
 *    outside one (after the gap check, so a stale burst is closed first).
 *  - TEXT goes with the last key fed: held with it, typed with it, or
 *    dropped with it. TEXT with no key before it passes straight through.
 *
 * Memory is bounded whatever comes in: a burst keeps its keys only while it
 * is shorter than min_length (after that it can never be typed), its code
 * stops growing at SCANNER_MAX_CODE, and the result queue drops its oldest
 * entry past SCANNER_MAX_QUEUE (only an app that never polls gets there).
 * Timestamps are compared by their uint32 difference, so wrap-around is fine;
 * a key stamped slightly before the last one counts as no gap. */
#include "ui/scanner.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define SCANNER_DEFAULT_GAP_MS 30
#define SCANNER_DEFAULT_MIN_LENGTH 6
#define SCANNER_MAX_GAP_MS 1000
#define SCANNER_MAX_QUEUE 1024  /* results waiting for scanner_poll */
/* The ring grows by doubling from 16 and must land on its maximum exactly:
 * queue_push moves the wrapped part into the new half. */
_Static_assert(SCANNER_MAX_QUEUE >= 16 && (SCANNER_MAX_QUEUE & (SCANNER_MAX_QUEUE - 1)) == 0,
    "SCANNER_MAX_QUEUE: a power of two, at least 16");

enum scanner_text_to {
	SCANNER_TEXT_PASS,      /* last key was typed: its text is typed too */
	SCANNER_TEXT_HOLD,      /* last key is held: text joins it */
	SCANNER_TEXT_DROP,      /* last key was part of a scan: text is dropped */
};

struct scanner_held {
	int scancode;
	bool shift;
	char text[32];          /* TEXT the layout made of this key, UTF-8 */
};

struct scanner {
	uint32_t max_gap_ms;
	enum scanner_suffix suffix;
	size_t min_length;      /* 1..SCANNER_MAX_CODE */

	bool active;            /* a burst is open */
	uint32_t first_ms;      /* time of the burst's first key */
	uint32_t last_ms;       /* time of the burst's last key */
	size_t code_len;        /* printable keys in the burst, uncapped */
	char code[SCANNER_MAX_CODE + 1];   /* first SCANNER_MAX_CODE of them, US */
	char text[SCANNER_MAX_CODE + 1];   /* and the text the layout made of them */
	struct scanner_held held[SCANNER_MAX_CODE];  /* kept while code_len < min_length */
	size_t nheld;
	enum scanner_text_to text_to;

	struct scanner_out *queue;  /* a ring: len results from queue[head] */
	size_t head;
	size_t len;
	size_t cap;
};

/* The US layout by HID usage id: unshifted, shifted. */
static const char us_table[][2] = {
	[4] = {'a', 'A'}, [5] = {'b', 'B'}, [6] = {'c', 'C'}, [7] = {'d', 'D'},
	[8] = {'e', 'E'}, [9] = {'f', 'F'}, [10] = {'g', 'G'}, [11] = {'h', 'H'},
	[12] = {'i', 'I'}, [13] = {'j', 'J'}, [14] = {'k', 'K'}, [15] = {'l', 'L'},
	[16] = {'m', 'M'}, [17] = {'n', 'N'}, [18] = {'o', 'O'}, [19] = {'p', 'P'},
	[20] = {'q', 'Q'}, [21] = {'r', 'R'}, [22] = {'s', 'S'}, [23] = {'t', 'T'},
	[24] = {'u', 'U'}, [25] = {'v', 'V'}, [26] = {'w', 'W'}, [27] = {'x', 'X'},
	[28] = {'y', 'Y'}, [29] = {'z', 'Z'},
	[30] = {'1', '!'}, [31] = {'2', '@'}, [32] = {'3', '#'}, [33] = {'4', '$'},
	[34] = {'5', '%'}, [35] = {'6', '^'}, [36] = {'7', '&'}, [37] = {'8', '*'},
	[38] = {'9', '('}, [39] = {'0', ')'},
	[44] = {' ', ' '}, [45] = {'-', '_'}, [46] = {'=', '+'}, [47] = {'[', '{'},
	[48] = {']', '}'}, [49] = {'\\', '|'}, [51] = {';', ':'}, [52] = {'\'', '"'},
	[53] = {'`', '~'}, [54] = {',', '<'}, [55] = {'.', '>'}, [56] = {'/', '?'},
	/* Keypad: the same character with or without shift. */
	[84] = {'/', '/'}, [85] = {'*', '*'}, [86] = {'-', '-'}, [87] = {'+', '+'},
	[89] = {'1', '1'}, [90] = {'2', '2'}, [91] = {'3', '3'}, [92] = {'4', '4'},
	[93] = {'5', '5'}, [94] = {'6', '6'}, [95] = {'7', '7'}, [96] = {'8', '8'},
	[97] = {'9', '9'}, [98] = {'0', '0'}, [99] = {'.', '.'},
};

char
scanner_us_char(int scancode, bool shift)
{
	if (scancode < 0 || (size_t)scancode >= sizeof(us_table) / sizeof(us_table[0]))
		return 0;
	return us_table[scancode][shift ? 1 : 0];
}

static bool
is_modifier(int scancode)
{
	return scancode >= 224 && scancode <= 231;
}

static bool
is_return(int scancode)
{
	return scancode == SCANNER_KEY_RETURN || scancode == SCANNER_KEY_KP_ENTER;
}

/* Does this key end a scan? */
static bool
is_end(const struct scanner *s, int scancode)
{
	return is_return(scancode) ||
	    (s->suffix == SCANNER_SUFFIX_TAB && scancode == SCANNER_KEY_TAB);
}

/* True when more than max_gap_ms passed from `from` to `to`; a `to` up to
 * 2^31 ms before `from` counts as no time at all. */
static bool
gap_over(const struct scanner *s, uint32_t from, uint32_t to)
{
	uint32_t d = to - from;
	return d <= INT32_MAX && d > s->max_gap_ms;
}

/* Copy at most dstsz - 1 bytes of text (itself at most srcsz bytes) after
 * what dst holds, cutting only between UTF-8 sequences. */
static void
text_append(char *dst, size_t dstsz, const char *src, size_t srcsz)
{
	size_t have = strnlen(dst, dstsz - 1);
	size_t n = strnlen(src, srcsz);
	n = util_utf8_cut(src, n, dstsz - 1 - have);
	memcpy(dst + have, src, n);
	dst[have + n] = '\0';
}

static struct scanner_out *
queue_push(struct scanner *s, enum scanner_out_kind kind)
{
	if (s->len == s->cap && s->cap < SCANNER_MAX_QUEUE) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		if (cap > SCANNER_MAX_QUEUE)
			cap = SCANNER_MAX_QUEUE;
		s->queue = xreallocarray(s->queue, cap, sizeof(*s->queue));
		/* The ring's wrapped part (before head) moves past the old end,
		 * so the results run from head again without a gap. */
		memcpy(s->queue + s->cap, s->queue, s->head * sizeof(*s->queue));
		s->cap = cap;
	}
	if (s->len == s->cap) {
		/* Nobody is polling: the oldest result goes, the newest counts.
		 * A ring, so a stuck app costs nothing per key. */
		s->head = (s->head + 1) % s->cap;
		s->len--;
	}
	struct scanner_out *o = &s->queue[(s->head + s->len++) % s->cap];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	return o;
}

static void
push_key(struct scanner *s, int scancode, bool shift)
{
	struct scanner_out *o = queue_push(s, SCANNER_OUT_KEY);
	o->scancode = scancode;
	o->shift = shift;
}

static void
push_text(struct scanner *s, const char *text, size_t n)
{
	struct scanner_out *o = queue_push(s, SCANNER_OUT_TEXT);
	text_append(o->text, sizeof(o->text), text, n);
}

/* Characters of a ticket code: letters, digits, and the dash of ours. */
static size_t
count_alnum(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-';
	return k;
}

/* The burst as a code. A scanner set to US layout (the factory setting)
 * sends US key positions, whatever the computer's layout makes of them:
 * the US reading is the code. But a scanner set to the computer's own
 * layout, Belgian AZERTY as its manual may tell staff to, presses Shift
 * for every digit: the US reading of 2026 is "@)@^", and every ticket
 * would be unknown; the layout's text is the code then. Codes are letters,
 * digits and dashes: the reading with more of them is the code, and a tie
 * is the US reading (a US-set scanner's keys never make more of them in
 * another layout, only fewer: é, &, ß). A tie where the two differ (letters
 * alone, which AZERTY and QWERTZ move: Q and A, Z and Y) cannot be told
 * here: the other reading goes with it, for the door to try when the first
 * is nobody's. */
static void
read_code(const struct scanner *s, struct scanner_out *o)
{
	size_t n = s->code_len < SCANNER_MAX_CODE ? s->code_len : SCANNER_MAX_CODE;
	size_t tn = strlen(s->text);
	char us[SCANNER_MAX_CODE + 1];
	memcpy(us, s->code, n);
	us[n] = '\0';
	bool text = count_alnum(s->text, tn) > count_alnum(us, n);
	snprintf(o->code, sizeof o->code, "%s", text ? s->text : us);
	if (tn > 0 && strcmp(s->text, us) != 0)
		snprintf(o->alt, sizeof o->alt, "%s", text ? us : s->text);
	o->code_len = s->code_len > SCANNER_MAX_CODE || !text ? s->code_len : tn;
	snprintf(o->typed, sizeof o->typed, "%s", s->text);
}

static struct scanner_out *
push_code(struct scanner *s, enum scanner_out_kind kind)
{
	struct scanner_out *o = queue_push(s, kind);
	read_code(s, o);
	return o;
}

static void
burst_reset(struct scanner *s)
{
	s->active = false;
	s->code_len = 0;
	s->nheld = 0;
	s->text[0] = '\0';
}

/* The burst's keys stopped without a Return: long enough, it is broken
 * (or the scan, from a scanner that sends nothing after a code), else
 * typed. */
static void
burst_stop(struct scanner *s)
{
	if (!s->active)
		return;
	if (s->code_len >= s->min_length) {
		push_code(s, s->suffix == SCANNER_SUFFIX_NONE && s->code_len <= SCANNER_MAX_CODE ?
		    SCANNER_OUT_SCAN : SCANNER_OUT_BROKEN);
		s->text_to = SCANNER_TEXT_DROP;
	} else {
		for (size_t i = 0; i < s->nheld; i++) {
			push_key(s, s->held[i].scancode, s->held[i].shift);
			if (s->held[i].text[0] != '\0')
				push_text(s, s->held[i].text, sizeof(s->held[i].text));
		}
		s->text_to = SCANNER_TEXT_PASS;
	}
	burst_reset(s);
}

struct scanner *
scanner_new(const struct scanner_config *cfg)
{
	struct scanner *s = xcalloc(1, sizeof(*s));
	int gap = cfg ? cfg->max_gap_ms : SCANNER_DEFAULT_GAP_MS;
	int min = cfg ? cfg->min_length : SCANNER_DEFAULT_MIN_LENGTH;
	if (gap < 0)
		gap = 0;
	if (gap > SCANNER_MAX_GAP_MS)
		gap = SCANNER_MAX_GAP_MS;
	if (min < 1)
		min = 1;
	if (min > SCANNER_MAX_CODE)
		min = SCANNER_MAX_CODE;
	s->max_gap_ms = (uint32_t)gap;
	s->min_length = (size_t)min;
	s->suffix = cfg != NULL && cfg->suffix <= SCANNER_SUFFIX_NONE ? cfg->suffix :
	    SCANNER_SUFFIX_RETURN;
	s->text_to = SCANNER_TEXT_PASS;
	return s;
}

void
scanner_free(struct scanner *s)
{
	if (s == NULL)
		return;
	free(s->queue);
	free(s);
}

static void
feed_text(struct scanner *s, const struct scanner_in *in)
{
	if (in->text[0] == '\0')
		return;
	if (s->active)
		text_append(s->text, sizeof(s->text), in->text, sizeof(in->text));
	switch (s->text_to) {
	case SCANNER_TEXT_PASS:
		push_text(s, in->text, sizeof(in->text));
		break;
	case SCANNER_TEXT_HOLD:
		if (s->nheld > 0) {
			struct scanner_held *h = &s->held[s->nheld - 1];
			text_append(h->text, sizeof(h->text), in->text, sizeof(in->text));
		}
		break;
	case SCANNER_TEXT_DROP:
		break;
	}
}

static void
feed_key(struct scanner *s, const struct scanner_in *in)
{
	int sc = in->scancode;
	if (is_modifier(sc))
		return;
	uint32_t typed = in->ms;
	if (in->after_read && (uint32_t)(in->ms - in->read_ms) <= SCANNER_LATE_READ_MS)
		typed = in->read_ms;
	if (s->active && gap_over(s, s->last_ms, typed))
		burst_stop(s);
	/* A repeat outside a burst is a key held down: ignored, its text
	 * goes where the last key's went. */
	if (in->repeat && !s->active)
		return;

	char c = scanner_us_char(sc, in->shift);
	if (c != 0) {
		if (!s->active)
			s->first_ms = in->ms;
		s->active = true;
		s->last_ms = in->ms;
		if (s->code_len < SCANNER_MAX_CODE)
			s->code[s->code_len] = c;
		if (s->code_len < SIZE_MAX)
			s->code_len++;
		if (s->code_len < s->min_length) {
			struct scanner_held *h = &s->held[s->nheld++];
			h->scancode = sc;
			h->shift = in->shift;
			h->text[0] = '\0';
			s->text_to = SCANNER_TEXT_HOLD;
		} else {
			/* Long enough to never be typed: its keys need not be kept. */
			s->nheld = 0;
			s->text_to = SCANNER_TEXT_DROP;
		}
		return;
	}

	if (s->active && s->code_len >= s->min_length) {
		struct scanner_out *o = push_code(s, is_end(s, sc) &&
		    s->code_len <= SCANNER_MAX_CODE ? SCANNER_OUT_SCAN : SCANNER_OUT_BROKEN);
		o->scancode = sc;
		o->shift = in->shift;
		s->text_to = SCANNER_TEXT_DROP;
		burst_reset(s);
		return;
	}
	/* A short burst ended by Return within the gap: typed, as it always
	 * was, and said, for a ticket's code under min_length. */
	bool short_end = s->active && is_end(s, sc);
	struct scanner_out told;
	if (short_end) {
		memset(&told, 0, sizeof told);
		read_code(s, &told);
	}
	burst_stop(s);
	push_key(s, sc, in->shift);
	if (short_end) {
		told.kind = SCANNER_OUT_SHORT;
		*queue_push(s, SCANNER_OUT_SHORT) = told;
	}
	s->text_to = SCANNER_TEXT_PASS;
}

void
scanner_feed(struct scanner *s, const struct scanner_in *in)
{
	if (in->kind == SCANNER_IN_KEY)
		feed_key(s, in);
	else if (in->kind == SCANNER_IN_TEXT)
		feed_text(s, in);
}

bool
scanner_holding(const struct scanner *s, uint32_t *since_ms)
{
	if (s->active && since_ms != NULL)
		*since_ms = s->first_ms;
	return s->active;
}

bool
scanner_poll(struct scanner *s, uint32_t now_ms, struct scanner_out *out)
{
	if (s->active && gap_over(s, s->last_ms, now_ms))
		burst_stop(s);
	if (s->len == 0)
		return false;
	*out = s->queue[s->head];
	s->head = (s->head + 1) % s->cap;
	s->len--;
	return true;
}
