/* i18n: the kiosk's languages (see i18n.h). */
#include "ui/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code;
	const char *name;
} langs[I18N_COUNT] = {
	{ "en", "English" }, { "nl", "Nederlands" }, { "fr", "Français" }, { "de", "Deutsch" },
};

const char *
i18n_code(int lang)
{
	return langs[lang >= 0 && lang < I18N_COUNT ? lang : 0].code;
}

const char *
i18n_name(int lang)
{
	return langs[lang >= 0 && lang < I18N_COUNT ? lang : 0].name;
}

int
i18n_index(const char *code)
{
	for (int i = 0; i < I18N_COUNT; i++)
		if (code != NULL && strcmp(code, langs[i].code) == 0)
			return i;
	return 0;
}

void
i18n_init(const char *localedir)
{
	/* gettext ignores LANGUAGE under the "C" locale; C.UTF-8 is always
	 * there on Debian and changes nothing else we use. */
	if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
		setlocale(LC_MESSAGES, "");
	bindtextdomain("kiosk", localedir);
	bind_textdomain_codeset("kiosk", "UTF-8");
	textdomain("kiosk");
}

void
i18n_set(int lang)
{
	extern int _nl_msg_cat_cntr;
	setenv("LANGUAGE", i18n_code(lang), 1);
	++_nl_msg_cat_cntr;
}
