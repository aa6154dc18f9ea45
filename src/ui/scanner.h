/* scanner: tell a keyboard-wedge barcode scanner from a person typing, and
 * read the scanner's keys as it means them.
 *
 * A USB scanner is a keyboard that types a whole code in a burst (a few ms
 * between keys) and ends with Return. A person types slower. Key events are
 * held back for up to max_gap_ms: if more keys follow that fast and the burst
 * ends with Return after at least min_length characters, it is a scan and none
 * of its keys reach the screen (a scan works from any screen, even in the
 * middle of a search; the door may still give a burst that is no ticket back
 * to the field a fast typist typed it into: out.typed); if the keys stop, they are released as typing, in
 * order, with the text the keyboard layout made of them. A burst of at least
 * min_length keys that stops without Return is a broken scan (a half code):
 * reported, never typed. A scanner set to end codes with Tab, or with
 * nothing, is configured as such (suffix): then Tab ends a scan too, or a
 * long burst that stops is the scan. A burst too short for a scan but
 * ended by Return as fast is typed all the same, and then reported (SHORT):
 * a ticket's code shorter than min_length, which a scanner sent.
 *
 * A scanner set to US layout sends the key positions of a US keyboard. On a
 * Belgian AZERTY machine the layout turns the digit row into &é"'(§è!çà, so the
 * code is decoded from scancodes (USB HID usage ids, which SDL_Scancode
 * values are) with the US table. A scanner set to the machine's own layout
 * presses Shift for each AZERTY digit, which the US table reads as "@#$":
 * then the layout's text is the code. Of the two readings, the one with
 * more letters and digits is taken; a tie is the US reading.
 *
 * An app stamps keys when it reads them (SDL does), so keys read late (the
 * app busy, or not scheduled for 40 ms on a loaded machine) come stamped
 * after a gap the scanner never made. Such a gap splits no burst when the
 * app says when it last read the events before (read_ms): a key not found
 * then was typed after it, and a burst is over only when the gap up to that
 * read was longer than max_gap_ms. Only for a read up to
 * SCANNER_LATE_READ_MS before the key's stamp: in a longer stall a person
 * types several keys, or a held key repeats, which would then join a burst
 * and be taken for a scan; there the key's stamp is taken, and a scan read
 * so late is split, as it always was.
 *
 * A key pressed again within a millisecond or two of its release is reported
 * by X11 as an auto-repeat (SDL cannot tell), and fast scanners type doubled
 * characters ("00") exactly so. A repeat inside an open burst is therefore a
 * key of the code; elsewhere (a key held down: repeats start after a quarter
 * second, long after any burst closed) it is ignored, as it always was.
 *
 * No SDL here: the app feeds events in, polls results out; tests do the same. */
#ifndef KIOSK_SCANNER_H
#define KIOSK_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCANNER_MAX_CODE 256    /* longer bursts are kept to this and flagged */
#define SCANNER_LATE_READ_MS 100 /* see above: a read trusted this long before a key */

/* USB HID usage ids used here (equal to SDL_Scancode values). */
enum {
	SCANNER_KEY_RETURN = 40,
	SCANNER_KEY_ESCAPE = 41,
	SCANNER_KEY_BACKSPACE = 42,
	SCANNER_KEY_TAB = 43,
	SCANNER_KEY_KP_ENTER = 88,
};

/* What the scanner sends after a code. */
enum scanner_suffix {
	SCANNER_SUFFIX_RETURN,  /* Return or keypad Enter (most scanners' factory setting) */
	SCANNER_SUFFIX_TAB,     /* Tab (Return is taken too) */
	SCANNER_SUFFIX_NONE,    /* nothing: a long burst is a scan when its keys stop */
};

struct scanner_config {
	int max_gap_ms;         /* longest pause between two keys of a burst */
	int min_length;         /* shortest burst (before Return) taken as a scan */
	enum scanner_suffix suffix;
};

enum scanner_in_kind {
	SCANNER_IN_KEY,         /* a key went down */
	SCANNER_IN_TEXT,        /* the text the layout made of the last key(s) */
};

struct scanner_in {
	enum scanner_in_kind kind;
	uint32_t ms;            /* event time, ms (SDL's timestamp) */
	int scancode;           /* KEY: USB HID usage id; modifiers (224..231) are ignored */
	bool shift;             /* KEY: a shift key is held */
	bool repeat;            /* KEY: the system calls it auto-repeat (see below) */
	bool after_read;        /* KEY: a read of the events at read_ms did not */
	uint32_t read_ms;       /* find it: it was typed after read_ms */
	char text[32];          /* TEXT: UTF-8 */
};

enum scanner_out_kind {
	SCANNER_OUT_SCAN,       /* a complete code: out.code */
	SCANNER_OUT_BROKEN,     /* a burst without its Return, or over-long: out.code holds what came */
	SCANNER_OUT_KEY,        /* a key a person pressed: out.scancode (Return, Backspace...) */
	SCANNER_OUT_TEXT,       /* text a person typed: out.text */
	SCANNER_OUT_SHORT,      /* a burst too short for a scan (min_length) ended
	                         * by Return as fast as a scanner types: its keys
	                         * came out as typing just before; out.code (and
	                         * alt) hold them read as a code, for the app to
	                         * tell a ticket's from a person's */
};

struct scanner_out {
	enum scanner_out_kind kind;
	char code[SCANNER_MAX_CODE + 1];
	char alt[SCANNER_MAX_CODE + 1]; /* SCAN: the burst's other reading, when it
	                         * differs ("" when not): a code of letters and
	                         * digits alike in both may be either */
	char typed[SCANNER_MAX_CODE + 1]; /* SCAN, BROKEN: the text the keyboard
	                         * layout made of the burst, as a person typing
	                         * it meant it (a fast typist's e-mail address
	                         * reads as a scan: the door may give it back to
	                         * the field, then the key that ended it) */
	size_t code_len;        /* bytes of the burst, even past SCANNER_MAX_CODE */
	int scancode;           /* KEY: the key; SCAN, BROKEN: the key that ended
	                         * it (0: time) */
	bool shift;             /* KEY, and the key that ended a SCAN or BROKEN:
	                         * typed with Shift held (Shift+Tab: the field
	                         * before) */
	char text[32];
};

struct scanner;

/* A new decoder; never NULL. scanner_free(NULL) does nothing. */
struct scanner *scanner_new(const struct scanner_config *cfg);
void scanner_free(struct scanner *s);

/* Feed one event, in the order they came. */
void scanner_feed(struct scanner *s, const struct scanner_in *in);

/* Take the next result that is due at time now_ms (call every frame and
 * after each feed, until it returns false). Typed keys come out once the
 * burst window after them has passed, in order. */
bool scanner_poll(struct scanner *s, uint32_t now_ms, struct scanner_out *out);

/* True while a burst is open: keys are held back and the next one is due
 * within max_gap_ms; *since_ms (when not NULL) is then the time of its first
 * key. The app must not start slow work (drawing a frame) then: it stamps
 * keys when it reads them, so keys read after a long frame would look like a
 * pause and split the scan in two. */
bool scanner_holding(const struct scanner *s, uint32_t *since_ms);

/* The character a US-layout keyboard types for a scancode, or 0. */
char scanner_us_char(int scancode, bool shift);

#endif
