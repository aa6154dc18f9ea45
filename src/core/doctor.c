/* doctor: the verdicts of `kiosk doctor` (see doctor.h). */
#include "core/doctor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum doctor_level
doctor_free_space(uint64_t free_bytes)
{
	if (free_bytes < DOCTOR_FREE_FAIL)
		return DOCTOR_FAIL;
	return free_bytes < DOCTOR_FREE_WARN ? DOCTOR_WARN : DOCTOR_OK;
}

enum doctor_level
doctor_file_mode(unsigned int mode)
{
	if (mode & 0002)
		return DOCTOR_FAIL;   /* anyone may change it */
	return (mode & 0044) ? DOCTOR_WARN : DOCTOR_OK;
}

enum doctor_level
doctor_conf_mode(unsigned int mode, bool holds_secret)
{
	enum doctor_level l = doctor_file_mode(mode);
	return l == DOCTOR_WARN && !holds_secret ? DOCTOR_OK : l;
}

bool
doctor_mode_kept(unsigned int fresh_mode)
{
	return (fresh_mode & 0077) == 0;
}

enum doctor_level
doctor_clock(int64_t offset_ms)
{
	int64_t a = offset_ms < 0 ? -offset_ms : offset_ms;
	return a > DOCTOR_CLOCK_WARN ? DOCTOR_WARN : DOCTOR_OK;
}

void
doctor_span(int64_t ms, char out[DOCTOR_SPAN_BUF])
{
	char sign = ms < 0 ? '-' : '+';
	uint64_t a = ms < 0 ? (uint64_t)-(ms + 1) + 1 : (uint64_t)ms;
	uint64_t min = a / 60000, h = min / 60, days = h / 24;
	if (a < 50) /* shown as 0.0: no sign ("-0.0 s off the hub's") */
		snprintf(out, DOCTOR_SPAN_BUF, "0.0 s");
	else if (a < 60000)
		snprintf(out, DOCTOR_SPAN_BUF, "%c%.1f s", sign, (double)a / 1000.0);
	else if (min < 60)
		snprintf(out, DOCTOR_SPAN_BUF, "%c%" PRIu64 " min", sign, min);
	else if (h < 48)
		snprintf(out, DOCTOR_SPAN_BUF, "%c%" PRIu64 " h %" PRIu64 " min", sign, h, min % 60);
	else
		snprintf(out, DOCTOR_SPAN_BUF, "%c%" PRIu64 " days", sign, days);
}

enum doctor_level
doctor_waiting(int64_t waiting, int64_t oldest_ms, int64_t every_ms)
{
	int64_t stale = every_ms > DOCTOR_WAITING_AGE_MS / 10 ? 10 * every_ms :
	    DOCTOR_WAITING_AGE_MS;
	return waiting > DOCTOR_WAITING_WARN || (waiting > 0 && oldest_ms >= stale) ?
	    DOCTOR_WARN : DOCTOR_OK;
}

enum doctor_level
doctor_gates(int64_t now, int64_t open_from, int64_t open_until)
{
	if (open_until != 0 && now >= open_until)
		return DOCTOR_FAIL;
	if (open_from != 0 && open_from - now > DOCTOR_OPENS_WARN)
		return DOCTOR_WARN;
	return DOCTOR_OK;
}

/* Linux input key codes (linux/input-event-codes.h) a scanner types. */
static const struct { int from, to; } scanner_keys[] = {
	{ 2, 11 },    /* KEY_1 .. KEY_0 */
	{ 16, 25 },   /* KEY_Q .. KEY_P */
	{ 28, 28 },   /* KEY_ENTER */
	{ 30, 38 },   /* KEY_A .. KEY_L */
	{ 44, 50 },   /* KEY_Z .. KEY_M */
};

/* Whether the "B: KEY=" bitmap (len bytes: words of word_bits, the highest
 * first, in hex, blank-separated) has every key a scanner types. */
static bool
keys_of_scanner(const char *bits, size_t len, int word_bits)
{
	uint64_t low = 0;   /* bits 0..63 of the bitmap */
	int words = 0;

	/* The last words hold the low bits: read from the end. */
	for (const char *p = bits + len; p > bits && words * word_bits < 64;) {
		const char *w = p;
		while (w > bits && w[-1] != ' ')
			w--;
		char hex[24], *stop;
		size_t n = (size_t)(p - w);
		if (n == 0 || n >= sizeof hex)
			return false;
		memcpy(hex, w, n);
		hex[n] = '\0';
		uint64_t v = strtoull(hex, &stop, 16);
		if (*stop != '\0')
			return false;
		low |= v << (word_bits * words);
		words++;
		p = w > bits ? w - 1 : w;
	}
	for (size_t i = 0; i < sizeof scanner_keys / sizeof scanner_keys[0]; i++)
		for (int k = scanner_keys[i].from; k <= scanner_keys[i].to; k++)
			if (!(low >> k & 1))
				return false;
	return true;
}

/* One device's block of the list: "I: Bus=0003 ...", "N: Name=...", ...,
 * up to a blank line. */
static void
device_take(const char *block, size_t len, int word_bits, struct doctor_keyboards *kb)
{
	char name[DOCTOR_KEYBOARD_NAME] = "";
	bool usb_or_bt = false, keys = false;

	kb->devices++;
	for (const char *l = block; l < block + len;) {
		const char *nl = memchr(l, '\n', (size_t)(block + len - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(block + len - l);
		if (n > 11 && strncmp(l, "I: Bus=", 7) == 0) {
			usb_or_bt = strncmp(l + 7, "0003 ", 5) == 0 || strncmp(l + 7, "0005 ", 5) == 0;
		} else if (n > 9 && strncmp(l, "N: Name=\"", 9) == 0) {
			size_t w = 0;
			for (size_t i = 9; i < n && l[i] != '"' && w + 1 < sizeof name; i++)
				name[w++] = l[i] >= ' ' && l[i] <= '~' ? l[i] : '?'; /* ASCII: a
				* cut UTF-8 sequence would be no string for --json */
			name[w] = '\0';
		} else if (n > 7 && strncmp(l, "B: KEY=", 7) == 0) {
			keys = keys_of_scanner(l + 7, n - 7, word_bits);
		}
		l += n + 1;
	}
	if (!usb_or_bt || !keys)
		return;
	if (kb->n < DOCTOR_KEYBOARDS_LISTED)
		snprintf(kb->name[kb->n], DOCTOR_KEYBOARD_NAME, "%s", name[0] ? name : "(no name)");
	kb->n++;
}

void
doctor_keyboards(const char *list, int word_bits, struct doctor_keyboards *kb)
{
	memset(kb, 0, sizeof *kb);
	if (word_bits != 32 && word_bits != 64)
		return;
	for (const char *p = list; p != NULL && *p != '\0';) {
		while (*p == '\n')
			p++;
		if (*p == '\0')
			break;
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		device_take(p, len, word_bits, kb);
		p += len;
	}
}

enum doctor_level
doctor_scanner(const struct doctor_keyboards *kb, bool camera)
{
	return kb->devices > 0 && kb->n == 0 && !camera ? DOCTOR_WARN : DOCTOR_OK;
}

void
doctor_codes(int64_t shorter, int shortest, bool suffix_none, bool scanner,
    struct doctor_codes *out)
{
	out->min_length = shortest > 0 ? shortest : 1;
	if (shorter <= 0) {
		out->level = DOCTOR_OK;
		out->advice = DOCTOR_CODES_FINE;
		return;
	}
	/* Without an Enter after a code, a burst is a scan when its keys stop:
	 * two or three keys a person's fingers roll over as fast would be one
	 * too, and a name typed in the search would read as an unknown code. */
	out->advice = suffix_none && shortest < DOCTOR_NONE_MIN_LENGTH ? DOCTOR_CODES_SUFFIX :
	    DOCTOR_CODES_LOWER;
	out->level = scanner ? DOCTOR_FAIL : DOCTOR_WARN;
}

const char *
doctor_level_word(enum doctor_level l)
{
	switch (l) {
	case DOCTOR_OK:   return "ok";
	case DOCTOR_WARN: return "warn";
	case DOCTOR_FAIL: return "FAIL";
	}
	return "FAIL";
}
