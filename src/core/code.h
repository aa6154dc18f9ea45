/* code: ticket codes, the text a QR code or barcode holds.
 *
 * Two kinds of code live in one event:
 *  - platform codes (Eventbrite "Barcode #", pretix "Secret", a spreadsheet
 *    column): kept exactly as imported, so tickets already mailed keep working;
 *  - our codes: "TAG-" + 16 random characters (80 bits from getrandom) + one
 *    check character, in Crockford's base-32 alphabet (digits and upper-case
 *    letters without I, L, O, U), which is a subset of the QR alphanumeric
 *    alphabet, so the QR stays small and scanners type it safely. The tag is
 *    the event's short tag: a code of ours with another tag is a ticket for
 *    another event, not an unknown one. The check character (Luhn mod 32 over
 *    the body) tells a damaged code from a forged one.
 * No code holds personal data. */
#ifndef KIOSK_CODE_H
#define KIOSK_CODE_H

#include <stdbool.h>
#include <stddef.h>

#define CODE_MAX_LEN   256 /* bytes; longer input is not a ticket code */
#define CODE_TAG_MIN   2
#define CODE_TAG_MAX   8
#define CODE_BODY_LEN  16  /* random characters: 16 * 5 = 80 bits */
#define CODE_OURS_MAX  (CODE_TAG_MAX + 1 + CODE_BODY_LEN + 1)

enum code_status {
	CODE_OK = 0,
	CODE_EMPTY,      /* nothing but white space */
	CODE_TOO_LONG,   /* over CODE_MAX_LEN bytes */
	CODE_BAD_CHAR,   /* a control character inside the code */
	CODE_NOT_TEXT,   /* bytes that are not UTF-8: no ticket has them */
};

/* A new code of ours for tag (caller frees). Returns NULL only if the OS
 * random source fails, which callers report as an error. */
char *code_new(const char *tag);

/* True when tag is 2 to 8 characters of A-Z and 0-9. */
bool code_tag_valid(const char *tag);
/* A tag as people write it ("smd26"): upper-cased into out (cut at
 * CODE_TAG_MAX + 1 bytes); true when that is a valid tag. */
bool code_tag_normalize(const char *in, char out[CODE_TAG_MAX + 2]);

/* Derive a tag from an event name: initials of its words and the last two
 * digits of a year in it ("Social Media Day Antwerp 2026" -> "SMDA26"),
 * padded to at least two characters. Writes at most CODE_TAG_MAX + 1 bytes. */
void code_tag_from_name(const char *name, char out[CODE_TAG_MAX + 1]);

/* Normalise what a scanner or a person typed: surrounding white space,
 * control characters and invisible Unicode (a BOM, no-break spaces) removed; a code of our shape is upper-cased with the
 * letters people confuse mapped (O->0, I and L->1). Platform codes are kept
 * as they are. On CODE_OK *out is a new string (caller frees). */
enum code_status code_normalize(const char *in, size_t len, char **out);

/* The parts of a scanned web address a ticket's code may be, for a
 * platform whose QR code is a link ("https://tickets.example/t/GIAO-1",
 * "https://example.com/checkin?code=GIAO-1&e=7"): the values of the query
 * keys a code goes by (code, ticket, barcode, secret, t, ref, pk, token...;
 * not id or e, which a short code of the list could be by chance), or in
 * a link with no such key (even empty), the path's last segment, %-escapes decoded, at most CODE_URL_PARTS of
 * them, each a normalised code (code_normalize). Returns how many were put
 * in parts (each a new string; caller frees them), 0 when code is not an
 * http or https address. */
#define CODE_URL_PARTS 12
/* Whether s is an http or https address (either case). */
bool code_is_link(const char *s);
size_t code_url_parts(const char *code, char *parts[CODE_URL_PARTS]);

/* Whether a burst of keys that came as fast as a scanner's, into a text
 * field at the door (the search, the walk-in form), is what a person typed
 * there rather than a ticket scanned: a fast typist's e-mail address or
 * name reads to the scanner's timing as a scan. typed is the text the
 * keyboard layout made of the keys, code and alt (alt may be "") the
 * burst's readings as a code (ui/scanner.h), known whether either is a
 * guest's. A ticket stays a ticket: one a guest holds, one of our shape
 * with any event's tag (another event's, or a damaged one), a link, or
 * one of the letters, digits and punctuation codes are made of (- _ / +
 * =) with a digit among them (an unknown platform code). The rest is
 * typing: text with white space, '@', a dot, a character outside ASCII,
 * other punctuation, or letters and no digit (a name). */
bool code_burst_typed(const char *typed, const char *code, const char *alt, bool known);
/* Whether typed reads as a name or an e-mail address staff type to look a
 * guest up: letters (any script), with only spaces, hyphens, apostrophes,
 * dots and '@' between them, no digit. Where no field is open (the idle
 * screen) only such a burst that code_burst_typed also calls typing is
 * taken for a search: any other is a scan. */
bool code_burst_name(const char *typed);

/* Human text for a status. */
const char *code_status_str(enum code_status s);

/* If code (normalised) has the shape of one of ours with a valid check
 * character, copy its tag into tag (CODE_TAG_MAX + 1 bytes) and return true. */
bool code_parse_ours(const char *code, char tag[CODE_TAG_MAX + 1]);

#endif
