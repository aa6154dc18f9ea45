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

/* French puts a space before : ; ? ! and », and after «: a no-break one
 * (U+00A0, or the narrow U+202F), as everywhere in po/fr.po, else the
 * door's screen may wrap there and start a line with the mark ("?) :
 * veuillez vous adresser au personnel", "» en dit plus"). A number keeps
 * its unit on its line the same way ("12 s", "3 min"), and the apostrophe
 * is the file's ’. Each msgstr is read whole, its lines joined: msgmerge
 * wraps at a space, which then ends one line and the mark starts the next. */
static void
test_french_marks_keep_their_space(void **state)
{
	(void)state;
	FILE *fp = fopen("po/fr.po", "r");
	assert_non_null(fp);
	char line[2048], str[4096] = "", bad[1024] = "";
	bool in_str = false;
	int at = 0;
	for (int n = 1;; n++) {
		bool more = fgets(line, sizeof line, fp) != NULL;
		bool cont = more && in_str && line[0] == '"';
		if (!cont && in_str) {
			/* str is one whole msgstr: check it */
			const char *why = NULL;
			for (const char *p = str; *p != '\0' && why == NULL; p++) {
				if (p[0] == ' ' && p[1] != '\0' && strchr(":;?!", p[1]) != NULL)
					why = "a plain space before : ; ? or !";
				else if (strncmp(p, " \xc2\xbb", 3) == 0 || strncmp(p, "\xc2\xab ", 3) == 0)
					why = "a plain space inside \xc2\xab \xc2\xbb";
				else if (p[0] == '\'')
					why = "a straight apostrophe";
				else if (p[0] == '%' && (p[1] == 'd' || p[1] == 's') && (strncmp(p + 2,
				    " s", 2) == 0 || strncmp(p + 2, " min", 4) == 0 || strncmp(p + 2,
				    " h", 2) == 0) && (p[4] == '\0' || strchr(" ,.:;)i", p[4]) != NULL))
					why = "a plain space between a number and its unit";
			}
			if (why != NULL) {
				size_t have = strlen(bad);
				snprintf(bad + have, sizeof bad - have, " po/fr.po:%d %s;", at, why);
			}
			in_str = false;
		}
		if (!more)
			break;
		if (strncmp(line, "msgstr", 6) == 0) {
			in_str = true;
			at = n;
			str[0] = '\0';
		}
		const char *q = strchr(line, '"'), *e = strrchr(line, '"');
		if (in_str && q != NULL && e > q) {
			size_t have = strlen(str);
			snprintf(str + have, sizeof str - have, "%.*s", (int)(e - q - 1), q + 1);
		}
	}
	fclose(fp);
	if (bad[0] != '\0')
		fail_msg("French typography:%s", bad);
}

/* Whether t holds word, its first letter in either case. */
static bool
has_word(const char *t, const char *word)
{
	char w[64];
	snprintf(w, sizeof w, "%s", word);
	if (strstr(t, w) != NULL)
		return true;
	if (w[0] >= 'a' && w[0] <= 'z')
		w[0] = (char)(w[0] - 'a' + 'A');
	else if (w[0] >= 'A' && w[0] <= 'Z')
		w[0] = (char)(w[0] - 'A' + 'a');
	return strstr(t, w) != NULL;
}

/* The door as a machine (it syncs, restarts, stands near its router) has
 * one name in each language, the one the hub's live page gives it in its
 * list of kiosks: a Dutch and a German volunteer read "move the entrance
 * nearer its router" (deur, Eingang), and in German "Eingang" was also the
 * entrance a ticket is not valid at; French said "porte" once among
 * "borne"s and "Kiosque" on the page. */
static void
test_the_door_as_a_machine_has_one_name(void **state)
{
	(void)state;
	static const char *const machine[] = {
		"This door serves as the hub, so it syncs with no other hub: set [hub] serve = "
		    "no, or empty [sync] hub",
		"kiosk.conf now names another event database; restart the door to use it:",
		"This door's guest list is incomplete: please ask a member of staff",
		"... and %d more doors", "Other doors join %s",
		"This door is the hub, but no other computer can reach it: no network, or [hub] "
		    "listen is 127.0.0.1",
		"This door cannot trust the hub, so it does not sync: the reason is below, and "
		    "'kiosk doctor' says more",
		"The network wants a login first (a Wi-Fi's login page), so this door does not "
		    "sync: open a web page in a browser on this computer and log in. What "
		    "answered is below",
		"The hub refuses this door, so it does not sync: the reason is below. If it is "
		    "the token, run 'kiosk join' with a new one",
		"No answer from the hub at all: a guest Wi-Fi often keeps devices apart. Give "
		    "the doors a network of their own: a small router, a phone's hotspot or a "
		    "cable",
		"The connection to the hub is cut again and again: a weak Wi-Fi most often. "
		    "Bring the door nearer its router, or use a cable",
		"The hub speaks only https (it has a certificate), and this door asks it in "
		    "plain http: run 'kiosk join' again with the hub's https:// address",
		"The hub speaks plain http (it has no certificate), and this door asks it in "
		    "https: run 'kiosk join' again with the hub's http:// address",
		"When this is fixed, the door starts by itself. Esc quits.",
	};
	char bad[2048] = "";
	i18n_init("build/locale");
	for (int lang = 1; lang < I18N_COUNT; lang++) {
		i18n_set(lang);
		const char *name = _("Kiosk");
		for (size_t i = 0; i < sizeof machine / sizeof machine[0]; i++) {
			const char *t = _(machine[i]);
			if (strcmp(t, machine[i]) == 0 || !has_word(t, name)) {
				size_t have = strlen(bad);
				snprintf(bad + have, sizeof bad - have, "\n  %s: %s", i18n_code(lang), t);
			}
		}
	}
	i18n_set(0);
	if (bad[0] != '\0')
		fail_msg("the door as a machine is not called as on the live page:%s", bad);
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
		cmocka_unit_test(test_the_door_as_a_machine_has_one_name),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
