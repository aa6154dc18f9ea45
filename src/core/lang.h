/* lang: which of kiosk's languages a reader gets, and numbers written the
 * way that language writes them. For pages served to a browser (the hub's
 * live page), where the language is asked for per request and the process's
 * gettext locale (the door's screen) must not be touched.
 *
 * Languages are English (the source text), Dutch, French and German, as
 * everywhere in kiosk; a code is the two letters ("nl"). */
#ifndef KIOSK_LANG_H
#define KIOSK_LANG_H

#include <stddef.h>
#include <stdint.h>

enum lang {
	LANG_EN,
	LANG_NL,
	LANG_FR,
	LANG_DE,
	LANG_COUNT
};

/* The two-letter code of l ("en" for anything out of range). */
const char *lang_code(int l);

/* The language of a code, "nl" or "nl-BE" alike (case ignored), or -1
 * when it is none of kiosk's (or NULL). */
int lang_of(const char *code);

/* The language an Accept-Language header prefers among kiosk's: the one
 * with the highest q-value, the first listed among equals ("nl-BE" is
 * Dutch); q=0 rules a language out. -1 when it names none of them (no
 * header, "*", only other languages), when the caller's fallback
 * (kiosk.conf's language) applies. Only the first LANG_ACCEPT_MAX bytes
 * are read. */
#define LANG_ACCEPT_MAX 1024
int lang_accept(const char *header);

/* The language a page is served in: asked (a link's ?lang=nl) when it is
 * one of kiosk's, else the one the Accept-Language header accept prefers
 * (lang_accept), else fallback (kiosk.conf's). Any argument may be NULL. */
int lang_choose(const char *asked, const char *accept, int fallback);

/* n written with l's digit grouping into out (size at least
 * LANG_NUM_BUF): "12,345" in English, "12.345" in Dutch and German,
 * "12 345" (a narrow no-break space) in French. */
#define LANG_NUM_BUF 48
void lang_num(int l, int64_t n, char out[LANG_NUM_BUF]);

/* A day written short, as l writes it under a chart's times (CLDR's
 * abbreviated forms): "Tue 30 Jun", "di 30 jun", "mar. 30 juin",
 * "Di., 30. Juni"; with year >= 0, the year after it ("di 30 jun 2026").
 * wday 0 is Sunday and mon 0 January, as in struct tm; out of range, the
 * nearest. out is at least LANG_DATE_BUF. */
#define LANG_DATE_BUF 48
void lang_date(int l, int wday, int mday, int mon, int year, char out[LANG_DATE_BUF]);

/* A list of days as kiosk.conf's ticket_days gives them ("2026-07-01" or
 * "2026-06-30, 2026-07-01") written as l writes a day (lang_date, no year):
 * "Wed 1 Jul", "wo 1 jul, do 2 jul". An item that is no such date is
 * copied as it is. out is size bytes; a day that does not fit is left
 * out whole. Returns out. */
char *lang_days(int l, const char *iso, char *out, size_t size);

#endif
