/* Tests for scanner: scanner bursts versus a person typing, US decoding on
 * any layout, and garbage from the scanner. The tests feed events the way
 * the app does (poll after each event at the event's time) and look only at
 * what comes out; keys carry the time of the read before them (after_read)
 * only in the tests of keys read late. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ui/scanner.h"

#define GAP 30          /* max_gap_ms of every test scanner */
#define MINLEN 6        /* min_length of every test scanner */
#define SC_LSHIFT 225
#define SC_RSHIFT 229
#define SC_LCTRL 224
#define SC_RIGHT 79     /* arrow right */
#define SC_F1 58

/* What came out of a scanner, in order. */
struct outs {
	struct scanner_out *o;
	size_t n;
	size_t cap;
};

static void
outs_free(struct outs *r)
{
	free(r->o);
	memset(r, 0, sizeof(*r));
}

static void
drain(struct scanner *s, uint32_t now, struct outs *r)
{
	struct scanner_out o;
	while (scanner_poll(s, now, &o)) {
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 64;
			r->o = xreallocarray(r->o, r->cap, sizeof(*r->o));
		}
		r->o[r->n++] = o;
	}
}

static size_t
count_kind(const struct outs *r, enum scanner_out_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->o[i].kind == kind;
	return n;
}

/* All TEXT outputs joined. */
static void
texts(const struct outs *r, char *buf, size_t bufsz)
{
	size_t len = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->o[i].kind != SCANNER_OUT_TEXT)
			continue;
		size_t n = strlen(r->o[i].text);
		assert_true(len + n < bufsz);
		memcpy(buf + len, r->o[i].text, n);
		len += n;
	}
	buf[len] = '\0';
}

static struct scanner *
new_scanner(void)
{
	struct scanner_config cfg = { GAP, MINLEN, SCANNER_SUFFIX_RETURN };
	return scanner_new(&cfg);
}

static void
key_event(struct scanner *s, struct outs *r, uint32_t ms, int sc, bool shift, bool repeat)
{
	struct scanner_in in = { .kind = SCANNER_IN_KEY, .ms = ms, .scancode = sc, .shift = shift,
		.repeat = repeat };
	scanner_feed(s, &in);
	if (r != NULL)
		drain(s, ms, r);
}

static void
key(struct scanner *s, struct outs *r, uint32_t ms, int sc, bool shift)
{
	key_event(s, r, ms, sc, shift, false);
}

static void
text(struct scanner *s, struct outs *r, uint32_t ms, const char *t)
{
	struct scanner_in in = { .kind = SCANNER_IN_TEXT, .ms = ms };
	snprintf(in.text, sizeof(in.text), "%s", t);
	scanner_feed(s, &in);
	if (r != NULL)
		drain(s, ms, r);
}

/* Where a US keyboard has c (written out here, not taken from the module). */
static void
us_position(char c, int *sc, bool *shift)
{
	*shift = false;
	if (c >= 'a' && c <= 'z') {
		*sc = 4 + (c - 'a');
	} else if (c >= 'A' && c <= 'Z') {
		*sc = 4 + (c - 'A');
		*shift = true;
	} else if (c >= '1' && c <= '9') {
		*sc = 30 + (c - '1');
	} else if (c == '0') {
		*sc = 39;
	} else if (c == '-') {
		*sc = 45;
	} else if (c == '!') {
		*sc = 30;
		*shift = true;
	} else if (c == ' ') {
		*sc = 44;
	} else if (c == '@') {
		*sc = 31;
		*shift = true;
	} else if (c == '.') {
		*sc = 55;
	} else {
		fail_msg("no US position for '%c' in the test table", c);
	}
}

typedef const char *layout_fn(int sc, bool shift);

static const char *
layout_us(int sc, bool shift)
{
	static char buf[2];
	buf[0] = scanner_us_char(sc, shift);
	buf[1] = '\0';
	return buf;
}

/* What a Belgian AZERTY layout types at a US key position. */
static const char *
layout_be(int sc, bool shift)
{
	static const char *const digits[] = { "&", "é", "\"", "'", "(", "§", "è", "!", "ç", "à" };
	static const char *const shifted[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "0" };
	static char buf[2];
	if (sc >= 30 && sc <= 39)
		return shift ? shifted[sc - 30] : digits[sc - 30];
	switch (sc) {
	case 4: return shift ? "Q" : "q";
	case 20: return shift ? "A" : "a";
	case 26: return shift ? "Z" : "z";
	case 29: return shift ? "W" : "w";
	case 51: return shift ? "M" : "m";
	case 16: return shift ? "?" : ",";
	case 45: return shift ? "°" : ")";
	case 46: return shift ? "_" : "-";
	}
	buf[0] = scanner_us_char(sc, shift);
	buf[1] = '\0';
	return buf;
}

/* What a German QWERTZ layout types at a US key position. */
static const char *
layout_de(int sc, bool shift)
{
	static char buf[2];
	switch (sc) {
	case 28: return shift ? "Z" : "z";
	case 29: return shift ? "Y" : "y";
	case 45: return shift ? "?" : "ß";
	case 31: return shift ? "\"" : "2";
	case 56: return shift ? "_" : "-";
	}
	buf[0] = scanner_us_char(sc, shift);
	buf[1] = '\0';
	return buf;
}

/* Type code as a scanner does: a key every gap ms (a shift key pressed
 * first for capitals), each followed by the layout's text; then end_key
 * (0: none). Polls after each event into r, unless r is NULL. Returns the
 * time of the last event. */
static uint32_t
type_burst(struct scanner *s, struct outs *r, uint32_t ms, uint32_t gap, const char *code,
    layout_fn *layout, int end_key)
{
	for (const char *p = code; *p; p++) {
		int sc = 0;
		bool shift = false;
		us_position(*p, &sc, &shift);
		if (p != code)
			ms += gap;
		if (shift)
			key(s, r, ms, SC_LSHIFT, false);
		key(s, r, ms, sc, shift);
		const char *t = layout(sc, shift);
		if (t[0] != '\0')
			text(s, r, ms + 1, t);
	}
	if (end_key != 0) {
		ms += gap;
		key(s, r, ms, end_key, false);
	}
	return ms;
}

static void
assert_one_scan(const struct outs *r, const char *code)
{
	assert_int_equal(r->n, 1);
	assert_int_equal(r->o[0].kind, SCANNER_OUT_SCAN);
	assert_string_equal(r->o[0].code, code);
	assert_int_equal(r->o[0].code_len, strlen(code));
}

static void
test_us_scan_is_one_scan_and_nothing_typed(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 1000, 5, "SMD26-7KQ3ZXWA", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "SMD26-7KQ3ZXWA");

	/* And the next scan right after works the same. */
	outs_free(&r);
	t = type_burst(s, &r, t + 200, 4, "ev-abc123", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "ev-abc123");
	outs_free(&r);
	scanner_free(s);
}

/* The app draws no frame while a burst is open (a slow frame between two
 * keys would split the code), so "holding" must be true exactly then. */
static void
test_holding_while_a_burst_is_open(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	assert_false(scanner_holding(s, NULL));
	key(s, &r, 1000, 4 + ('s' - 'a'), false);        /* 's' */
	assert_true(scanner_holding(s, NULL));
	key(s, &r, 1005, 4 + ('m' - 'a'), false);
	drain(s, 1005 + GAP, &r);                       /* not yet a pause */
	uint32_t since = 0;
	assert_true(scanner_holding(s, &since));
	assert_int_equal(since, 1000);                  /* from its first key */
	drain(s, 1005 + GAP + 1, &r);                   /* a pause: released */
	assert_false(scanner_holding(s, NULL));
	assert_int_equal(count_kind(&r, SCANNER_OUT_KEY), 2);
	outs_free(&r);

	uint32_t t = type_burst(s, &r, 3000, 5, "SMD26-7KQ3ZXWA", layout_us, SCANNER_KEY_RETURN);
	assert_false(scanner_holding(s, NULL));               /* Return closed it */
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "SMD26-7KQ3ZXWA");
	outs_free(&r);
	scanner_free(s);
}

/* A key-down the system calls an auto-repeat. */
static void
repeat_key(struct scanner *s, struct outs *r, uint32_t ms, int sc)
{
	key_event(s, r, ms, sc, false, true);
}

/* X11 reports a key pressed again within 2 ms of its release as a repeat;
 * a fast scanner typing "...7001" does just that. The code must come whole. */
static void
test_doubled_character_seen_as_repeat_is_kept(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 1000, 2, "8297", layout_us, 0);
	key(s, &r, t + 2, 39, false);            /* '0' */
	repeat_key(s, &r, t + 3, 39);            /* '0' again, "a repeat" */
	key(s, &r, t + 5, 30, false);            /* '1' */
	key(s, &r, t + 7, SCANNER_KEY_RETURN, false);
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "8297001");
	outs_free(&r);
	scanner_free(s);
}

/* A person holding a key down: the first press is typed once; the repeats
 * (from a quarter second on, every 25 ms) neither type keys nor make a
 * burst that reads as a broken scan. */
static void
test_key_held_down_is_one_key(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	key(s, &r, 1000, SCANNER_KEY_BACKSPACE, false);
	key(s, &r, 2000, 4, false);              /* 'a' */
	for (uint32_t t = 2250; t < 4000; t += 25)
		repeat_key(s, &r, t, 4);
	drain(s, 9000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_BROKEN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_KEY), 2);
	assert_int_equal(r.o[0].scancode, SCANNER_KEY_BACKSPACE);
	assert_int_equal(r.o[1].scancode, 4);
	outs_free(&r);
	scanner_free(s);
}

/* A scanner set to send Tab, or nothing, after each code: configured so,
 * every code is one scan; with the default (Return), the same bursts are
 * broken scans, never typed. */
static void
test_suffix_tab_and_none(void **state)
{
	(void)state;
	struct scanner_config tab = { GAP, MINLEN, SCANNER_SUFFIX_TAB };
	struct scanner_config none = { GAP, MINLEN, SCANNER_SUFFIX_NONE };
	struct scanner_config ret = { GAP, MINLEN, SCANNER_SUFFIX_RETURN };
	struct outs r = {0};

	struct scanner *s = scanner_new(&tab);
	uint32_t t = type_burst(s, &r, 1000, 5, "SMD26-7KQ3ZXWA", layout_us, SCANNER_KEY_TAB);
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "SMD26-7KQ3ZXWA");
	outs_free(&r);
	/* Return still works with a Tab scanner. */
	t = type_burst(s, &r, t + 6000, 5, "SMD26-7KQ3ZXWB", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "SMD26-7KQ3ZXWB");
	outs_free(&r);
	/* A person's Tab is still a key. */
	key(s, &r, t + 9000, SCANNER_KEY_TAB, false);
	drain(s, t + 9100, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_KEY);
	assert_false(r.o[0].shift);
	outs_free(&r);
	/* Shift+Tab says so: the walk-in form's field before, not the next. */
	key(s, &r, t + 9500, SC_LSHIFT, false);
	key(s, &r, t + 9600, SCANNER_KEY_TAB, true);
	drain(s, t + 9700, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[0].scancode, SCANNER_KEY_TAB);
	assert_true(r.o[0].shift);
	outs_free(&r);
	scanner_free(s);

	s = scanner_new(&none);
	t = type_burst(s, &r, 1000, 5, "SMD26-7KQ3ZXWA", layout_us, 0);
	drain(s, t + GAP, &r);
	assert_int_equal(r.n, 0);               /* not before the keys stopped */
	drain(s, t + GAP + 1, &r);
	assert_one_scan(&r, "SMD26-7KQ3ZXWA");
	outs_free(&r);
	/* Short bursts are still a person typing. */
	t = type_burst(s, &r, t + 5000, 5, "ab", layout_us, 0);
	drain(s, t + 5000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_KEY), 2);
	outs_free(&r);
	scanner_free(s);

	s = scanner_new(&ret);
	t = type_burst(s, &r, 1000, 5, "SMD26-7KQ3ZXWA", layout_us, SCANNER_KEY_TAB);
	drain(s, t + 5000, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	/* ...and says which key ended it, so that the door can tell staff to
	 * set suffix = tab (every scan was "scan again", with no why). */
	assert_int_equal(r.o[0].scancode, SCANNER_KEY_TAB);
	outs_free(&r);
	t = type_burst(s, &r, t + 6000, 5, "SMD26-7KQ3ZXWA", layout_us, 0);
	drain(s, t + 5000, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	outs_free(&r);
	scanner_free(s);
}

static void
test_azerty_text_still_decodes_us(void **state)
{
	(void)state;
	const char *codes[] = { "SMD26-7KQ3ZXWA", "aqzwm-1234567890", "AQZWM-0987654321" };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct scanner *s = new_scanner();
		struct outs r = {0};
		uint32_t t = type_burst(s, &r, 500, 5, codes[i], layout_be, SCANNER_KEY_RETURN);
		drain(s, t + 5000, &r);
		assert_one_scan(&r, codes[i]);
		outs_free(&r);
		scanner_free(s);
	}
}

/* Where a layout's keyboard has c: the keys a scanner set to that layout
 * presses (Shift for every digit on AZERTY). */
static void
layout_position(layout_fn *layout, char c, int *sc, bool *shift)
{
	for (int k = 4; k <= 56; k++)
		for (int sh = 0; sh <= 1; sh++)
			if (strcmp(layout(k, sh), (char[]){ c, '\0' }) == 0) {
				*sc = k;
				*shift = sh;
				return;
			}
	fail_msg("no position for '%c' in the test's layout table", c);
}

/* A scanner set to layout types code on a computer set to it too. */
static uint32_t
type_as_layout(struct scanner *s, struct outs *r, uint32_t ms, const char *code,
    layout_fn *layout)
{
	for (const char *p = code; *p; p++, ms += 5) {
		int sc = 0;
		bool shift = false;
		layout_position(layout, *p, &sc, &shift);
		if (shift)
			key(s, r, ms, SC_LSHIFT, false);
		key(s, r, ms, sc, shift);
		text(s, r, ms + 1, layout(sc, shift));
	}
	key(s, r, ms, SCANNER_KEY_RETURN, false);
	return ms;
}

/* A scanner set to Belgian AZERTY, on a computer set to it too: its keys
 * read as US are "@)@^" for 2026, every ticket unknown; the layout's text
 * is the code. */
static void
test_azerty_scanner_decodes_the_layouts_text(void **state)
{
	(void)state;
	const char *codes[] = { "9430684960243480538242001", "SMD26-B676M78TMKWH7TA4F",
	    "amqz-0123" };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct scanner *s = new_scanner();
		struct outs r = {0};
		uint32_t ms = type_as_layout(s, &r, 500, codes[i], layout_be);
		drain(s, ms + 5000, &r);
		assert_one_scan(&r, codes[i]);
		outs_free(&r);
		scanner_free(s);
	}
	/* Letters alone, some that AZERTY moves: the two readings tie, and
	 * the door is given both (door_scan_either tries the other). */
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t ms = type_as_layout(s, &r, 500, "EVENTPASS", layout_be);
	drain(s, ms + 5000, &r);
	assert_one_scan(&r, "EVENTPQSS");
	assert_string_equal(r.o[0].alt, "EVENTPASS");
	outs_free(&r);
	scanner_free(s);
	/* German QWERTZ, scanner and computer: our codes' dash is a '/' by
	 * US position, the layout's text is the code. */
	s = new_scanner();
	memset(&r, 0, sizeof r);
	ms = type_as_layout(s, &r, 500, "SMD26-B6Z6M78TMKWH7TA4Y", layout_de);
	drain(s, ms + 5000, &r);
	assert_one_scan(&r, "SMD26-B6Z6M78TMKWH7TA4Y");
	assert_string_equal(r.o[0].alt, "SMD26/B6Y6M78TMKWH7TA4Z");
	outs_free(&r);
	scanner_free(s);
}

static void
test_qwertz_text_still_decodes_us(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 500, 5, "yz-2YZ-zzy", layout_de, SCANNER_KEY_KP_ENTER);
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "yz-2YZ-zzy");
	outs_free(&r);
	scanner_free(s);
}

static void
test_person_typing_comes_out_as_text(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	char buf[64];

	key(s, &r, 100, 29, false);             /* z */
	text(s, &r, 100, "z");
	/* Held back while the window is open. */
	drain(s, 100 + GAP, &r);
	assert_int_equal(r.n, 0);
	drain(s, 100 + GAP + 1, &r);
	texts(&r, buf, sizeof(buf));
	assert_string_equal(buf, "z");

	type_burst(s, &r, 250, 150, "oe", layout_us, 0);
	drain(s, 2000, &r);
	texts(&r, buf, sizeof(buf));
	assert_string_equal(buf, "zoe");
	assert_int_equal(count_kind(&r, SCANNER_OUT_TEXT), 3);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_BROKEN), 0);
	/* Each key comes out before its text, in typing order. */
	assert_int_equal(r.n, 6);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[0].scancode, 29);
	assert_int_equal(r.o[2].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[2].scancode, 18);
	assert_int_equal(r.o[5].kind, SCANNER_OUT_TEXT);
	assert_string_equal(r.o[5].text, "e");
	outs_free(&r);
	scanner_free(s);
}

/* A key the app read late: stamped at ms, but not found by a read of the
 * events at read_ms, so typed after that. */
static void
key_read_late(struct scanner *s, struct outs *r, uint32_t ms, uint32_t read_ms, char c,
    bool repeat)
{
	int sc = 0;
	bool shift = false;
	us_position(c, &sc, &shift);
	struct scanner_in in = { .kind = SCANNER_IN_KEY, .ms = ms, .scancode = sc, .shift = shift,
		.repeat = repeat, .after_read = true, .read_ms = read_ms };
	scanner_feed(s, &in);
	drain(s, ms, r);
}

/* The app stamps keys when it reads them: one that was busy 60 ms in the
 * middle of a scan reads the rest of it stamped 60 ms later. The events
 * were read dry just after the first part, so the rest was typed after
 * that, and it is one scan; a gap up to such a read is a pause. */
static void
test_keys_read_late_are_still_one_scan(void **state)
{
	(void)state;
	const char *code = "8184922608941621308297001";
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 1000, 1, "81849226089416213", layout_us, 0);
	for (const char *p = code + 17; *p; p++)
		key_read_late(s, &r, t + 60, t + GAP, *p, false);
	key(s, &r, t + 61, SCANNER_KEY_RETURN, false);
	drain(s, t + 1000, &r);
	assert_one_scan(&r, code);
	outs_free(&r);

	/* stamped so without the read: two pieces, as before */
	r = (struct outs){0};
	t = type_burst(s, &r, 5000, 1, "81849226089416213", layout_us, 0);
	t = type_burst(s, &r, t + 60, 1, "08297001", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_BROKEN), 1);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 1);
	outs_free(&r);

	/* a read dry more than the gap after the last key: a pause, whatever
	 * the key's stamp */
	r = (struct outs){0};
	t = type_burst(s, &r, 9000, 1, "81849226089416213", layout_us, 0);
	for (const char *p = code + 17; *p; p++)
		key_read_late(s, &r, t + 60, t + GAP + 1, *p, false);
	key(s, &r, t + 61, SCANNER_KEY_RETURN, false);
	drain(s, t + 1000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_BROKEN), 1);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 1);
	outs_free(&r);
	scanner_free(s);
}

/* A long stall (longer than SCANNER_LATE_READ_MS) is no evidence that
 * keys came together: a person types several meanwhile, and a held key
 * repeats. Neither may join a burst and be taken for a scan. */
static void
test_a_long_stall_joins_no_typing_to_a_burst(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	/* "P" read, then "ieter" and Return typed 120 ms apart while the app
	 * stood still 800 ms: all read at once */
	key(s, &r, 0, 19, true);
	for (const char *p = "ieter"; *p; p++)
		key_read_late(s, &r, 800, 1, *p, false);
	struct scanner_in ret = { .kind = SCANNER_IN_KEY, .ms = 800,
		.scancode = SCANNER_KEY_RETURN, .after_read = true, .read_ms = 1 };
	scanner_feed(s, &ret);
	drain(s, 2000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_BROKEN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_KEY), 7);
	outs_free(&r);

	/* "a" held down through a 600 ms stall: its repeats are ignored */
	r = (struct outs){0};
	key(s, &r, 5000, 4, false);
	for (uint32_t i = 0; i < 8; i++)
		key_read_late(s, &r, 5600, 5001, 'a', true);
	drain(s, 7000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_BROKEN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_KEY), 1);
	outs_free(&r);
	scanner_free(s);
}

static void
test_person_typing_many_keys_never_scans(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	char buf[64];
	/* Eight letters then Return, 80 ms apart: a person, however long. */
	uint32_t t = type_burst(s, &r, 0, 80, "annelies", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	texts(&r, buf, sizeof(buf));
	assert_string_equal(buf, "annelies");
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 0);
	assert_int_equal(r.o[r.n - 1].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[r.n - 1].scancode, SCANNER_KEY_RETURN);
	outs_free(&r);
	scanner_free(s);
}

static void
test_person_keys_come_out_as_keys(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	int keys[] = { SCANNER_KEY_BACKSPACE, SCANNER_KEY_ESCAPE, SCANNER_KEY_TAB,
		SC_RIGHT, SC_F1, SCANNER_KEY_RETURN, SCANNER_KEY_KP_ENTER };
	uint32_t t = 10;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++, t += 400) {
		key(s, &r, t, keys[i], false);
		drain(s, t + 1000, &r);
		assert_int_equal(r.n, i + 1);
		assert_int_equal(r.o[i].kind, SCANNER_OUT_KEY);
		assert_int_equal(r.o[i].scancode, keys[i]);
	}
	outs_free(&r);
	scanner_free(s);
}

static void
test_scan_mid_search(void **state)
{
	(void)state;
	/* Once polling after every event, once feeding everything first (an
	 * app that fell behind). */
	for (int late = 0; late < 2; late++) {
		struct scanner *s = new_scanner();
		struct outs r = {0};
		struct outs *during = late ? NULL : &r;
		char buf[64];
		type_burst(s, during, 100, 150, "zo", layout_us, 0);
		uint32_t t = type_burst(s, during, 1200, 5, "SMD26-7KQ3ZXWA", layout_be,
		    SCANNER_KEY_RETURN);
		drain(s, t + 1000, &r);
		texts(&r, buf, sizeof(buf));
		assert_string_equal(buf, "zo");
		assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 1);
		assert_int_equal(r.o[r.n - 1].kind, SCANNER_OUT_SCAN);
		assert_string_equal(r.o[r.n - 1].code, "SMD26-7KQ3ZXWA");
		assert_int_equal(count_kind(&r, SCANNER_OUT_KEY), 2);
		assert_int_equal(r.n, 5);
		outs_free(&r);
		scanner_free(s);
	}
}

static void
test_half_code_is_broken_not_typed(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 100, 5, "SMD26-7KQ3ZX", layout_be, 0);
	drain(s, t + GAP, &r);
	assert_int_equal(r.n, 0);
	drain(s, t + GAP + 1, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	assert_string_equal(r.o[0].code, "SMD26-7KQ3ZX");
	assert_int_equal(r.o[0].code_len, 12);

	/* The next key (a person, later) ends a half code too, and is typed. */
	outs_free(&r);
	t = type_burst(s, &r, t + 500, 5, "abcdefgh", layout_us, 0);
	type_burst(s, &r, t + 400, 5, "x", layout_us, 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	assert_string_equal(r.o[0].code, "abcdefgh");
	drain(s, t + 5000, &r);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.o[1].kind, SCANNER_OUT_KEY);
	assert_string_equal(r.o[2].text, "x");
	outs_free(&r);
	scanner_free(s);
}

static void
test_short_fast_burst_with_return_is_typing(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	char buf[64];
	/* MINLEN - 1 characters: a person hitting keys and Return quickly. */
	uint32_t t = type_burst(s, &r, 100, 10, "ab12x", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	texts(&r, buf, sizeof(buf));
	assert_string_equal(buf, "ab12x");
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 0);
	assert_int_equal(r.o[r.n - 2].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[r.n - 2].scancode, SCANNER_KEY_RETURN);
	/* and then said, read as a code: a ticket's code under min_length
	 * (a form's own "A7K3") is the app's to tell from a person's keys */
	assert_int_equal(r.o[r.n - 1].kind, SCANNER_OUT_SHORT);
	assert_string_equal(r.o[r.n - 1].code, "ab12x");
	assert_int_equal(count_kind(&r, SCANNER_OUT_SHORT), 1);

	/* The same keys typed at a person's pace, or a Return after a pause,
	 * are typing and nothing more. */
	outs_free(&r);
	t = type_burst(s, &r, t + 500, GAP + 40, "ab12x", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SHORT), 0);
	outs_free(&r);
	t = type_burst(s, &r, t + 500, 10, "ab12x", layout_us, 0);
	key(s, &r, t + GAP + 50, SCANNER_KEY_RETURN, false);
	drain(s, t + 1000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SHORT), 0);
	assert_int_equal(r.o[r.n - 1].scancode, SCANNER_KEY_RETURN);
	t += 1000;

	/* MINLEN characters are a scan. */
	outs_free(&r);
	t = type_burst(s, &r, t + 500, 10, "ab12xy", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	assert_one_scan(&r, "ab12xy");
	outs_free(&r);
	scanner_free(s);
}

static void
test_other_key_inside_burst(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	char buf[64];
	/* Long enough: a code ended by Tab is broken, and the Tab is not typed. */
	uint32_t t = type_burst(s, &r, 100, 5, "SMD26-7K", layout_us, SCANNER_KEY_TAB);
	drain(s, t + 1000, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	assert_string_equal(r.o[0].code, "SMD26-7K");

	/* Short: typing, then the key itself. */
	outs_free(&r);
	t = type_burst(s, &r, t + 500, 10, "zo", layout_us, SCANNER_KEY_BACKSPACE);
	drain(s, t + 1000, &r);
	texts(&r, buf, sizeof(buf));
	assert_string_equal(buf, "zo");
	assert_int_equal(r.n, 5);
	assert_int_equal(r.o[4].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[4].scancode, SCANNER_KEY_BACKSPACE);
	outs_free(&r);
	scanner_free(s);
}

static void
test_5000_key_burst_is_broken(void **state)
{
	(void)state;
	char *big = xmalloc(5001);
	for (int i = 0; i < 5000; i++)
		big[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 36];
	big[5000] = '\0';
	for (int ret = 0; ret < 2; ret++) {
		struct scanner *s = new_scanner();
		struct outs r = {0};
		uint32_t t = type_burst(s, &r, 100, 1, big, layout_be,
		    ret ? SCANNER_KEY_RETURN : 0);
		drain(s, t + 1000, &r);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
		assert_int_equal(r.o[0].code_len, 5000);
		assert_int_equal(strlen(r.o[0].code), SCANNER_MAX_CODE);
		assert_memory_equal(r.o[0].code, big, SCANNER_MAX_CODE);
		outs_free(&r);
		scanner_free(s);
	}
	free(big);
}

static void
test_longest_code_scans_one_more_breaks(void **state)
{
	(void)state;
	char code[SCANNER_MAX_CODE + 2];
	memset(code, 'k', sizeof(code));
	code[SCANNER_MAX_CODE] = '\0';
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 100, 2, code, layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	assert_one_scan(&r, code);

	outs_free(&r);
	code[SCANNER_MAX_CODE] = 'k';
	code[SCANNER_MAX_CODE + 1] = '\0';
	t = type_burst(s, &r, t + 1000, 2, code, layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	assert_int_equal(r.o[0].code_len, SCANNER_MAX_CODE + 1);
	outs_free(&r);
	scanner_free(s);
}

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t
rnd(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) & 0xFFFFFF;
}

static void
test_mashing_at_human_speed_never_scans(void **state)
{
	(void)state;
	int pool[] = { 4, 5, 17, 22, 29, 30, 31, 39, 44, 45, SCANNER_KEY_RETURN,
		SCANNER_KEY_RETURN, SCANNER_KEY_KP_ENTER, SCANNER_KEY_BACKSPACE,
		SCANNER_KEY_ESCAPE, 89, 98, SC_LSHIFT, SC_LCTRL, SC_RIGHT, 0, 255 };
	uint32_t seed = 42;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = 0xFFF00000u;               /* crosses the wrap too */
	size_t keys = 0;
	for (int i = 0; i < 20000; i++) {
		t += GAP + 1 + rnd(&seed) % 300;
		int sc = pool[rnd(&seed) % (sizeof(pool) / sizeof(pool[0]))];
		bool shift = rnd(&seed) % 4 == 0;
		key(s, &r, t, sc, shift);
		keys += !(sc >= 224 && sc <= 231);
		char c = scanner_us_char(sc, shift);
		if (c != 0) {
			char tx[2] = { c, '\0' };
			text(s, &r, t, tx);
		}
	}
	drain(s, t + 1000, &r);
	assert_int_equal(count_kind(&r, SCANNER_OUT_SCAN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_BROKEN), 0);
	assert_int_equal(count_kind(&r, SCANNER_OUT_KEY), keys);
	outs_free(&r);
	scanner_free(s);
}

/* Key i of a test's typing: a letter, a through z again and again. */
static int
nth_letter(int i)
{
	return 4 + i % 26;
}

/* An app that polls now and then, behind: keys typed at human speed come
 * out in the order typed, every one, while the queue fills, wraps round
 * and grows; once full it keeps the newest, still in order. */
static void
test_results_keep_their_order_when_polled_late(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = 0;
	int typed = 0;
	for (int round = 1; round <= 15; round++) {
		for (int i = 0; i < round * 6; i++) {
			t += GAP + 50;
			key(s, NULL, t, nth_letter(typed++), false);
		}
		/* five taken a round: the rest waits, the ring's head moves on */
		struct scanner_out o;
		for (int k = 0; k < 5; k++) {
			assert_true(scanner_poll(s, t, &o));
			if (r.n == r.cap) {
				r.cap = r.cap ? r.cap * 2 : 64;
				r.o = xreallocarray(r.o, r.cap, sizeof(*r.o));
			}
			r.o[r.n++] = o;
		}
	}
	drain(s, t + 1000, &r);
	assert_int_equal(r.n, typed);   /* 720 waited at most: nothing dropped */
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.o[i].kind, SCANNER_OUT_KEY);
		assert_int_equal(r.o[i].scancode, nth_letter((int)i));
	}
	outs_free(&r);

	/* 3,000 keys nobody polls: the oldest go, the newest stay in order. */
	for (int i = 0; i < 3000; i++) {
		t += GAP + 50;
		key(s, NULL, t, nth_letter(typed++), false);
	}
	drain(s, t + 1000, &r);
	assert_true(r.n >= 16 && r.n < 3000);
	for (size_t i = 0; i < r.n; i++)
		assert_int_equal(r.o[i].scancode, nth_letter(typed - (int)r.n + (int)i));
	outs_free(&r);
	scanner_free(s);
}

static void
test_fast_mashing_for_minutes_stays_bounded(void **state)
{
	(void)state;
	uint32_t seed = 7;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	/* Ten minutes of keys 10 ms apart, with Returns, and an app that never
	 * polls: what comes out at the end is bounded and ends with the newest. */
	uint32_t t = 0;
	int last = 0;
	for (int i = 0; i < 60000; i++) {
		t += 10;
		last = i % 3 == 2 ? SCANNER_KEY_RETURN : 4 + (int)(rnd(&seed) % 26);
		struct scanner_in in = { .kind = SCANNER_IN_KEY, .ms = t, .scancode = last };
		scanner_feed(s, &in);
		struct scanner_in tx = { .kind = SCANNER_IN_TEXT, .ms = t, .text = "x" };
		if (last != SCANNER_KEY_RETURN)
			scanner_feed(s, &tx);
	}
	drain(s, t + 1000, &r);
	assert_true(r.n > 0);
	assert_true(r.n <= 4096);
	assert_int_equal(r.o[r.n - 2].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[r.n - 2].scancode, SCANNER_KEY_RETURN);
	assert_int_equal(r.o[r.n - 1].kind, SCANNER_OUT_SHORT);
	outs_free(&r);

	/* One endless burst: a single broken scan, counted in full. */
	for (int i = 0; i < 60000; i++) {
		t += 10;
		struct scanner_in in = { .kind = SCANNER_IN_KEY, .ms = t, .scancode = 30 };
		scanner_feed(s, &in);
	}
	drain(s, t + 1000, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	assert_int_equal(r.o[0].code_len, 60000);
	outs_free(&r);
	scanner_free(s);
}

static void
test_shift_gives_capitals_and_symbols(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	/* Right shift held over several keys, released, pressed again. */
	uint32_t t = 100;
	key(s, &r, t, SC_RSHIFT, false);
	key(s, &r, t += 5, 22, true);           /* S */
	key(s, &r, t += 5, 16, true);           /* M */
	key(s, &r, t += 5, 30, true);           /* ! */
	key(s, &r, t += 5, 31, true);           /* @ */
	key(s, &r, t += 5, 22, false);          /* s */
	key(s, &r, t += 5, 30, false);          /* 1 */
	key(s, &r, t += 5, SC_LSHIFT, false);
	key(s, &r, t += 5, 56, true);           /* ? */
	key(s, &r, t += 5, 52, true);           /* " */
	key(s, &r, t += 5, SCANNER_KEY_RETURN, false);
	drain(s, t + 1000, &r);
	assert_one_scan(&r, "SM!@s1?\"");
	outs_free(&r);
	scanner_free(s);
}

static void
test_keypad_digits_decode(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	int pad[] = { 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 86, 87, 85, 84 };
	uint32_t t = 100;
	for (size_t i = 0; i < sizeof(pad) / sizeof(pad[0]); i++) {
		key(s, &r, t += 3, pad[i], false);
		text(s, &r, t, "?");   /* whatever num lock made of it */
	}
	key(s, &r, t += 3, SCANNER_KEY_KP_ENTER, false);
	drain(s, t + 1000, &r);
	assert_one_scan(&r, "1234567890.-+*/");
	outs_free(&r);
	scanner_free(s);
}

static void
test_timestamps_wrap_around(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 0xFFFFFFF0u, 5, "SMD26-7KQ3ZXWA", layout_be,
	    SCANNER_KEY_RETURN);
	assert_true(t < 0x100);
	drain(s, t + 1000, &r);
	assert_one_scan(&r, "SMD26-7KQ3ZXWA");
	outs_free(&r);

	/* A person's key just before the wrap is held until the window after
	 * it has passed, not released at once because 0x10 < 0xFFFFFFF8. */
	key(s, &r, 0xFFFFFFF8u, 8, false);
	text(s, &r, 0xFFFFFFF8u, "e");
	drain(s, 0x10, &r);
	assert_int_equal(r.n, 0);
	drain(s, 0x17, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.o[1].text, "e");
	outs_free(&r);

	/* A half code across the wrap is broken once the gap has passed. */
	t = type_burst(s, &r, 0xFFFFFFE0u, 5, "abcdefghij", layout_us, 0);
	drain(s, t + GAP, &r);
	assert_int_equal(r.n, 0);
	drain(s, t + GAP + 1, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_BROKEN);
	assert_string_equal(r.o[0].code, "abcdefghij");
	outs_free(&r);
	scanner_free(s);
}

static void
test_text_after_release_still_typed(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	/* The app was slow: it polled past the window between the key and its
	 * text. The text still comes out, once, after the key. */
	key(s, &r, 100, 8, false);
	drain(s, 500, &r);
	text(s, &r, 101, "é");
	assert_int_equal(r.n, 2);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_KEY);
	assert_int_equal(r.o[1].kind, SCANNER_OUT_TEXT);
	assert_string_equal(r.o[1].text, "é");

	/* Text with no key at all (an input method) passes straight through. */
	outs_free(&r);
	struct scanner *s2 = new_scanner();
	text(s2, &r, 5, "日本");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.o[0].text, "日本");
	outs_free(&r);
	scanner_free(s2);
	scanner_free(s);
}

static void
test_garbage_text_is_bounded(void **state)
{
	(void)state;
	struct scanner *s = new_scanner();
	struct outs r = {0};
	struct scanner_in in = { .kind = SCANNER_IN_KEY, .ms = 100, .scancode = 4 };
	scanner_feed(s, &in);
	/* Text without its NUL, many times over for one held key. */
	struct scanner_in tx = { .kind = SCANNER_IN_TEXT, .ms = 100 };
	memset(tx.text, 'q', sizeof(tx.text));
	for (int i = 0; i < 100; i++)
		scanner_feed(s, &tx);
	struct scanner_in odd = { .kind = (enum scanner_in_kind)77, .ms = 100, .scancode = 4 };
	scanner_feed(s, &odd);
	drain(s, 1000, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.o[0].kind, SCANNER_OUT_KEY);
	assert_int_equal(strlen(r.o[1].text), sizeof(r.o[1].text) - 1);

	/* Scancodes far out of range are keys like any other. */
	outs_free(&r);
	key(s, &r, 5000, -5, false);
	key(s, &r, 6000, 100000, true);
	drain(s, 9000, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.o[0].scancode, -5);
	assert_int_equal(r.o[1].scancode, 100000);
	outs_free(&r);
	scanner_free(s);
}

static void
test_us_char_table(void **state)
{
	(void)state;
	assert_int_equal(scanner_us_char(4, false), 'a');
	assert_int_equal(scanner_us_char(4, true), 'A');
	assert_int_equal(scanner_us_char(20, false), 'q');
	assert_int_equal(scanner_us_char(26, false), 'w');
	assert_int_equal(scanner_us_char(29, false), 'z');
	assert_int_equal(scanner_us_char(29, true), 'Z');
	assert_int_equal(scanner_us_char(30, false), '1');
	assert_int_equal(scanner_us_char(30, true), '!');
	assert_int_equal(scanner_us_char(31, true), '@');
	assert_int_equal(scanner_us_char(35, true), '^');
	assert_int_equal(scanner_us_char(38, true), '(');
	assert_int_equal(scanner_us_char(39, false), '0');
	assert_int_equal(scanner_us_char(39, true), ')');
	assert_int_equal(scanner_us_char(44, false), ' ');
	assert_int_equal(scanner_us_char(45, false), '-');
	assert_int_equal(scanner_us_char(45, true), '_');
	assert_int_equal(scanner_us_char(46, true), '+');
	assert_int_equal(scanner_us_char(49, false), '\\');
	assert_int_equal(scanner_us_char(49, true), '|');
	assert_int_equal(scanner_us_char(51, false), ';');
	assert_int_equal(scanner_us_char(51, true), ':');
	assert_int_equal(scanner_us_char(52, false), '\'');
	assert_int_equal(scanner_us_char(52, true), '"');
	assert_int_equal(scanner_us_char(53, true), '~');
	assert_int_equal(scanner_us_char(56, false), '/');
	assert_int_equal(scanner_us_char(56, true), '?');
	assert_int_equal(scanner_us_char(84, false), '/');
	assert_int_equal(scanner_us_char(85, false), '*');
	assert_int_equal(scanner_us_char(89, false), '1');
	assert_int_equal(scanner_us_char(97, true), '9');
	assert_int_equal(scanner_us_char(98, false), '0');
	assert_int_equal(scanner_us_char(99, false), '.');
	/* Not characters: control keys, terminators, modifiers, junk. */
	int none[] = { 0, 3, SCANNER_KEY_RETURN, SCANNER_KEY_ESCAPE, SCANNER_KEY_BACKSPACE,
		SCANNER_KEY_TAB, SCANNER_KEY_KP_ENTER, 57, SC_F1, SC_RIGHT, 100, 224, 225,
		231, 255, 256, -1, 1 << 30 };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		assert_int_equal(scanner_us_char(none[i], false), 0);
		assert_int_equal(scanner_us_char(none[i], true), 0);
	}
}

static void
test_config_is_clamped(void **state)
{
	(void)state;
	scanner_free(NULL);
	/* No config: the kiosk.conf defaults (30 ms, 6 characters). */
	struct scanner *s = scanner_new(NULL);
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 100, 25, "abcdef", layout_us, SCANNER_KEY_RETURN);
	drain(s, t + 1000, &r);
	assert_one_scan(&r, "abcdef");
	outs_free(&r);
	scanner_free(s);

	/* Out-of-range settings are brought to the nearest sensible one: a
	 * lone Return is never a scan of nothing, a negative length is 1, and
	 * a length past SCANNER_MAX_CODE still lets the longest code scan. */
	struct scanner_config cfgs[] = { { GAP, 0, SCANNER_SUFFIX_RETURN },
		{ GAP, -5, SCANNER_SUFFIX_RETURN }, { GAP, 100000, SCANNER_SUFFIX_RETURN } };
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		char code[SCANNER_MAX_CODE + 1];
		memset(code, 'b', SCANNER_MAX_CODE);
		code[SCANNER_MAX_CODE] = '\0';
		s = scanner_new(&cfgs[i]);
		key(s, &r, 100, SCANNER_KEY_RETURN, false);
		drain(s, 1000, &r);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.o[0].kind, SCANNER_OUT_KEY);
		outs_free(&r);
		t = type_burst(s, &r, 2000, 5, code, layout_us, SCANNER_KEY_RETURN);
		drain(s, t + 1000, &r);
		assert_one_scan(&r, code);
		outs_free(&r);
		scanner_free(s);
	}
	/* A negative gap is 0: keys stamped the same ms are still a burst. */
	struct scanner_config nogap = { -1, 6, SCANNER_SUFFIX_RETURN };
	s = scanner_new(&nogap);
	for (int sc = 4; sc < 10; sc++)
		key(s, &r, 100, sc, false);
	key(s, &r, 100, SCANNER_KEY_RETURN, false);
	drain(s, 1000, &r);
	assert_one_scan(&r, "abcdef");
	outs_free(&r);
	scanner_free(s);
}

/* A fast typist's e-mail address comes as fast as a scan: whatever ends
 * the burst (Return, Tab, a pause), the result carries the text the
 * layout made of it and the key that ended it, for the door to give back
 * to the field it was typed into. */
static void
test_fast_typing_keeps_its_text(void **state)
{
	(void)state;
	static const int ends[] = { SCANNER_KEY_RETURN, SCANNER_KEY_TAB, 0 };
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		struct scanner *s = new_scanner();
		struct outs r = {0};
		uint32_t t = type_burst(s, &r, 1000, 12, "jan.peeters@telenet.be", layout_us,
		    ends[i]);
		drain(s, t + 5000, &r);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.o[0].kind,
		    ends[i] == SCANNER_KEY_RETURN ? SCANNER_OUT_SCAN : SCANNER_OUT_BROKEN);
		assert_string_equal(r.o[0].typed, "jan.peeters@telenet.be");
		assert_int_equal(r.o[0].scancode, ends[i]);
		outs_free(&r);
		scanner_free(s);
	}
	/* on AZERTY, the text the layout made, not the US reading */
	struct scanner *s = new_scanner();
	struct outs r = {0};
	uint32_t t = type_burst(s, &r, 1000, 12, "SMD26-7KQ3ZXWA", layout_be, SCANNER_KEY_RETURN);
	drain(s, t + 5000, &r);
	assert_one_scan(&r, "SMD26-7KQ3ZXWA");
	assert_string_equal(r.o[0].typed, "S?D\xc3\xa9\xc2\xa7)\xc3\xa8KA\"WXZQ");
	outs_free(&r);
	scanner_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_typing_keeps_its_text),
		cmocka_unit_test(test_us_scan_is_one_scan_and_nothing_typed),
		cmocka_unit_test(test_azerty_text_still_decodes_us),
		cmocka_unit_test(test_azerty_scanner_decodes_the_layouts_text),
		cmocka_unit_test(test_qwertz_text_still_decodes_us),
		cmocka_unit_test(test_person_typing_comes_out_as_text),
		cmocka_unit_test(test_person_typing_many_keys_never_scans),
		cmocka_unit_test(test_person_keys_come_out_as_keys),
		cmocka_unit_test(test_scan_mid_search),
		cmocka_unit_test(test_half_code_is_broken_not_typed),
		cmocka_unit_test(test_keys_read_late_are_still_one_scan),
		cmocka_unit_test(test_a_long_stall_joins_no_typing_to_a_burst),
		cmocka_unit_test(test_short_fast_burst_with_return_is_typing),
		cmocka_unit_test(test_other_key_inside_burst),
		cmocka_unit_test(test_5000_key_burst_is_broken),
		cmocka_unit_test(test_longest_code_scans_one_more_breaks),
		cmocka_unit_test(test_mashing_at_human_speed_never_scans),
		cmocka_unit_test(test_results_keep_their_order_when_polled_late),
		cmocka_unit_test(test_fast_mashing_for_minutes_stays_bounded),
		cmocka_unit_test(test_shift_gives_capitals_and_symbols),
		cmocka_unit_test(test_keypad_digits_decode),
		cmocka_unit_test(test_timestamps_wrap_around),
		cmocka_unit_test(test_text_after_release_still_typed),
		cmocka_unit_test(test_garbage_text_is_bounded),
		cmocka_unit_test(test_us_char_table),
		cmocka_unit_test(test_config_is_clamped),
		cmocka_unit_test(test_holding_while_a_burst_is_open),
		cmocka_unit_test(test_doubled_character_seen_as_repeat_is_kept),
		cmocka_unit_test(test_key_held_down_is_one_key),
		cmocka_unit_test(test_suffix_tab_and_none),
	};
	return cmocka_run_group_tests_name("scanner", tests, NULL, NULL);
}
