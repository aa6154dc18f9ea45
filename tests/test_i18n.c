/* Tests for i18n: the attendee's language switches every string at once,
 * from the catalogues built from po/ (build/locale, made by make). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ui/i18n.h"

static void
test_switching_languages(void **state)
{
	(void)state;
	i18n_init("build/locale");
	i18n_set(i18n_index("nl"));
	assert_string_equal(_("Scan your ticket"), "Scan je ticket");
	i18n_set(i18n_index("fr"));
	assert_string_equal(_("Scan your ticket"), "Scannez votre billet");
	assert_string_equal(_("This ticket was cancelled"), "Ce billet a été annulé");
	i18n_set(i18n_index("de"));
	assert_string_equal(_("Already checked in"), "Bereits eingecheckt");
	i18n_set(i18n_index("en"));
	assert_string_equal(_("Scan your ticket"), "Scan your ticket");
}

/* The idle screen's count agrees with its number: French says "1 entrée"
 * and "0 entrée" but "2 entrées" (it said "1 enregistrés", "registered"). */
static void
test_checked_in_count_plural(void **state)
{
	(void)state;
	i18n_init("build/locale");
	i18n_set(i18n_index("fr"));
	assert_string_equal(ngettext("%d checked in", "%d checked in", 0), "%d entrée");
	assert_string_equal(ngettext("%d checked in", "%d checked in", 1), "%d entrée");
	assert_string_equal(ngettext("%d checked in", "%d checked in", 2), "%d entrées");
	i18n_set(i18n_index("nl"));
	assert_string_equal(ngettext("%d checked in", "%d checked in", 5), "%d ingecheckt");
	i18n_set(i18n_index("de"));
	assert_string_equal(ngettext("%d checked in", "%d checked in", 1), "%d eingecheckt");
	i18n_set(0);
}

/* The status line's count of records waiting agrees with its number:
 * Dutch and German said "1 wachten", "1 warten" (they wait) of one. */
static void
test_waiting_count_plural(void **state)
{
	(void)state;
	i18n_init("build/locale");
	i18n_set(i18n_index("nl"));
	assert_string_equal(ngettext("%d waiting to sync", "%d waiting to sync", 1),
	    "%d wacht op synchronisatie");
	assert_string_equal(ngettext("%d waiting to sync", "%d waiting to sync", 5),
	    "%d wachten op synchronisatie");
	i18n_set(i18n_index("de"));
	assert_string_equal(ngettext("%d waiting to sync", "%d waiting to sync", 1),
	    "%d wartet auf Synchronisierung");
	assert_string_equal(ngettext("%d waiting to sync", "%d waiting to sync", 2),
	    "%d warten auf Synchronisierung");
	i18n_set(i18n_index("fr"));
	assert_string_equal(ngettext("%d waiting to sync", "%d waiting to sync", 1),
	    "%d en attente de synchronisation");
	i18n_set(0);
}

static void
test_codes_and_names(void **state)
{
	(void)state;
	assert_int_equal(i18n_index("de"), 3);
	assert_int_equal(i18n_index("xx"), 0);   /* anything else is English */
	assert_int_equal(i18n_index(NULL), 0);
	assert_string_equal(i18n_name(2), "Français");
	assert_string_equal(i18n_code(-1), "en");
}

static void
test_every_string_translated(void **state)
{
	(void)state;
	/* A string missing from a catalogue shows in English on a Dutch
	 * screen: spot-check the ones a guest reads. */
	static const char *const guest_strings[] = {
		"Welcome", "Already checked in", "This code is not on the guest list",
		"This ticket is for another event", "Please scan again",
		"Could not record this check-in", "Do not let the guest in yet: call staff",
		"Please ask a member of staff", "Badge printed", "This guest is not inside",
	};
	i18n_init("build/locale");
	for (int lang = 1; lang < I18N_COUNT; lang++) {
		i18n_set(lang);
		for (size_t i = 0; i < sizeof guest_strings / sizeof guest_strings[0]; i++)
			if (strcmp(_(guest_strings[i]), guest_strings[i]) == 0)
				fail_msg("'%s' is not translated to %s", guest_strings[i], i18n_code(lang));
	}
	i18n_set(0);
}

/* The camera's words in the admin menu, every reason the camera can give
 * (src/ui/camera.c), in every language: they were English on any door.
 * "camera %s: %s" is Dutch as it is; test_camera checks it is used. */
static void
test_camera_words_translated(void **state)
{
	(void)state;
	static const char *const camera_strings[] = {
		"camera: off", "off", "opening", "running", "not found",
		"permission denied", "is not a camera", "cannot be used (busy?)",
		"gives no picture format zbar can read", "lost (unplugged?)", "sends no pictures",
	};
	i18n_init("build/locale");
	for (int lang = 1; lang < I18N_COUNT; lang++) {
		i18n_set(lang);
		for (size_t i = 0; i < sizeof camera_strings / sizeof camera_strings[0]; i++)
			if (strcmp(_(camera_strings[i]), camera_strings[i]) == 0)
				fail_msg("'%s' is not translated to %s", camera_strings[i],
				    i18n_code(lang));
	}
	i18n_set(0);
}

/* French puts a space before : ; ? and !: a no-break one (U+00A0, or
 * the narrow U+202F), as everywhere in po/fr.po, else the door's screen
 * may wrap there and start a line with the mark ("?) : veuillez vous
 * adresser au personnel"). */
static void
test_french_marks_keep_their_space(void **state)
{
	(void)state;
	FILE *fp = fopen("po/fr.po", "r");
	assert_non_null(fp);
	char line[2048], bad[1024] = "";
	bool in_str = false;
	for (int n = 1; fgets(line, sizeof line, fp) != NULL; n++) {
		if (strncmp(line, "msgstr", 6) == 0)
			in_str = true;
		else if (line[0] != '"')
			in_str = false;
		const char *q = strchr(line, '"');
		if (!in_str || q == NULL)
			continue;
		for (const char *p = q; p[0] != '\0'; p++)
			if (p[0] == ' ' && p[1] != '\0' && strchr(":;?!", p[1]) != NULL) {
				size_t have = strlen(bad);
				snprintf(bad + have, sizeof bad - have, " po/fr.po:%d", n);
				break;
			}
	}
	fclose(fp);
	if (bad[0] != '\0')
		fail_msg("a plain space before : ; ? or !:%s", bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switching_languages),
		cmocka_unit_test(test_checked_in_count_plural),
		cmocka_unit_test(test_waiting_count_plural),
		cmocka_unit_test(test_codes_and_names),
		cmocka_unit_test(test_every_string_translated),
		cmocka_unit_test(test_french_marks_keep_their_space),
		cmocka_unit_test(test_camera_words_translated),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
