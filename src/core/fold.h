/* fold: case and diacritic folding with utf8proc, for name search and for
 * matching header names.
 *
 * SQLite's lower() folds ASCII only; door staff type "zoe" for "Zoë" and
 * "celik" for "Çelik". Folding is: Unicode NFKD, case fold, drop combining
 * marks, then keep letters and digits only (so "O'Brien" is "obrien",
 * "Pieter-Jan" is "pieterjan"). Letters without a decomposition (ł, ø, ß,
 * æ, đ) are mapped to their usual Latin spelling. Scripts without case
 * (Arabic, Chinese) pass through as their letters. */
#ifndef KIOSK_FOLD_H
#define KIOSK_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* A new folded copy of the UTF-8 string s (invalid bytes are dropped).
 * Never NULL; the caller frees. */
char *fold_key(const char *s);

/* The key that matches a guest by name across imports: the whole name
 * folded (letters and digits only: wherever a full name was split, "Jan
 * Willem | Smit" or "Jan | Willem Smit", it is the same, while "Wei Li"
 * and "Li Wei" stay two people) and the e-mail in lower case. NULL reads
 * as ""; the caller frees. */
char *fold_name_key(const char *first, const char *last, const char *email);

/* fold_key of s with ä, ö, ü and ø spelt ae, oe, ue and oe ("Müller" as
 * "mueller"), or NULL when s has none of them; the caller frees. */
char *fold_key_spelt(const char *s);

/* The words a guest is found by, for the search index: each part of s split
 * at white space, hyphens and other punctuation (folded), plus the whole of s
 * folded when it holds more than one part ("Van Der Auwera" gives "van",
 * "der", "auwera" and "vanderauwera"). An apostrophe does not split, but
 * what follows it is a word too ("D'Hondt" gives "dhondt" and "hondt").
 * Calls fn for each distinct non-empty word; returns the number of words. */
size_t fold_words(const char *s, void (*fn)(const char *word, void *arg), void *arg);

/* The parts of s in the order written, each folded as fold_key folds it,
 * split where fold_words splits ("Van de Velde" gives "van", "de",
 * "velde"; "D'Hondt" one part, "dhondt"): at most max of them, as
 * out[0..n), pointing into text[0..cap) (each part NUL-terminated; those
 * past the end of text are left out: a name's search is decided on its
 * first parts). No allocation the caller frees. Returns n. */
size_t fold_parts(const char *s, char *text, size_t cap, const char **out, size_t max);

/* Bytes of the Unicode white space character that s[0..n) starts with (a
 * no-break space U+00A0, a thin space U+2009: category Zs, beyond ASCII),
 * or 0. Names pasted from a web page or a word processor hold them between
 * their words. */
size_t fold_space(const char *s, size_t n);

/* Columns s takes in a terminal: "Zoë" is 3, "李小龍" is 6 (wide), a
 * combining mark 0; for lining up tables. Invalid bytes count 1 each. */
size_t fold_width(const char *s);

/* The words a guest is found by: of the first and last name, the
 * e-mail's local part and the whole address, as " w1 w2 ... " (a space
 * before and after each word, so " tok" finds a word starting with tok),
 * sorted, once each, without an e-mail word that starts another word
 * (search is by prefix, so it would find nobody more). Stored on the guest
 * row (guest.words) and in guest_word. Caller frees. */
char *fold_search_words(const char *first, const char *last, const char *email);

/* Whether each of the n (at most 8) folded words w starts a word of the
 * name first, last: a name's word of fold_search_words(), not one the
 * e-mail alone gives. A word "" starts any name. */
bool fold_name_starts(const char *first, const char *last, const char *const *w, size_t n);

/* Whether now is before in capitals only or small letters only: the same
 * letters, before written in both cases ("Ann Peeters"), now in one
 * ("ANN PEETERS", "ann peeters"), as a spreadsheet's UPPER() or a form
 * typed in caps gives it. Such a name says less than the one before (which
 * letters are capitals: "McDonald", "van der Berg"). False for NULL, the
 * same string, other letters, or a now of both cases. */
bool fold_case_lost(const char *before, const char *now);

/* The key guests are listed in: folded last name, then first name, so that
 * "Çelik" sorts with the Cs and "de Vries" with the Ds (caller frees). */
char *fold_sort_key(const char *first, const char *last);

#endif
