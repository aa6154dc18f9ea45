/* i18n: the kiosk's languages, with gettext catalogues (po/LANG.po, compiled
 * to <localedir>/<lang>/LC_MESSAGES/kiosk.mo).
 *
 * The attendee switches language on the idle screen, so the language changes
 * at run time: LANGUAGE is set and gettext's catalogue cache invalidated, the
 * documented way (GNU gettext manual, "Being a gettext grok"). English is the
 * source text and needs no catalogue. */
#ifndef KIOSK_I18N_H
#define KIOSK_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
#define I18N_COUNT 4

/* Codes and native names, in button order: en, nl, fr, de. */
const char *i18n_code(int lang);
const char *i18n_name(int lang);
/* Index of a code ("nl"), or 0 (English) for anything else. */
int i18n_index(const char *code);

/* Bind the catalogues in localedir. Call once, before threads start. */
void i18n_init(const char *localedir);
/* Switch the language of every later _() call. */
void i18n_set(int lang);

#endif
