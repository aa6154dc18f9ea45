/* catalog: one language's gettext catalogue (a .mo file made by msgfmt
 * from po/LANG.po), read into memory and looked up by the caller.
 *
 * gettext itself translates into the process's one language (LANGUAGE,
 * the locale), which the door's screen switches as attendees tap: a page
 * served to a browser in the browser's language, from another thread, must
 * not change it or be changed by it. A catalogue is read once, is never
 * written after, and may be looked up from any number of threads.
 *
 * Rules: the file is at most CATALOG_MAX bytes; every offset in it is
 * checked against its size; a file that is not a .mo is refused, never
 * half read. Plural forms follow the catalogue's Plural-Forms header for
 * the two rules kiosk's languages use, "n != 1" and "n > 1" (French). */
#ifndef KIOSK_CATALOG_H
#define KIOSK_CATALOG_H

#include <stddef.h>

#define CATALOG_MAX ((size_t)4 << 20)

struct catalog;

/* Read <localedir>/<lang>/LC_MESSAGES/<domain>.mo. Returns the catalogue
 * (free with catalog_free), or NULL with *cause. */
struct catalog *catalog_load(const char *localedir, const char *lang, const char *domain,
    char **cause);
/* The same from a .mo file's bytes (copied). */
struct catalog *catalog_from(const void *mo, size_t len, char **cause);
void catalog_free(struct catalog *c);

/* msgid's translation, or msgid itself when it has none (or c is NULL,
 * English). Valid as long as c and msgid are. */
const char *catalog_get(const struct catalog *c, const char *msgid);
/* The singular's or the plural's translation for n, or one of the two
 * English forms when there is none. */
const char *catalog_nget(const struct catalog *c, const char *singular, const char *plural,
    long n);

#endif
