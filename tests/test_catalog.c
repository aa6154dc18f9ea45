/* Tests for catalog: the live page's translations read from the same
 * catalogues as the door's (build/locale, made by make from po/), without
 * gettext's one language for the whole process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/util.h"

static void
test_reads_the_built_catalogues(void **state)
{
	(void)state;
	char *cause = NULL;
	struct catalog *nl = catalog_load("build/locale", "nl", "kiosk", &cause);
	struct catalog *fr = catalog_load("build/locale", "fr", "kiosk", &cause);
	assert_non_null(nl);
	assert_non_null(fr);
	assert_string_equal(catalog_get(nl, "Scan your ticket"), "Scan je ticket");
	assert_string_equal(catalog_get(fr, "This ticket was cancelled"), "Ce billet a été annulé");
	/* none: the English itself */
	assert_string_equal(catalog_get(nl, "no such string here"), "no such string here");
	assert_string_equal(catalog_get(NULL, "Scan your ticket"), "Scan your ticket");
	assert_string_equal(catalog_get(nl, ""), "");
	catalog_free(nl);
	catalog_free(fr);
}

/* French's plural starts at 2 ("1 entrée", "0 entrée"), Dutch's at 0. */
static void
test_plural_forms(void **state)
{
	(void)state;
	char *cause = NULL;
	struct catalog *fr = catalog_load("build/locale", "fr", "kiosk", &cause);
	struct catalog *nl = catalog_load("build/locale", "nl", "kiosk", &cause);
	assert_non_null(fr);
	assert_non_null(nl);
	const char *s = "%d waiting to sync", *p = "%d waiting to sync";
	assert_string_equal(catalog_nget(fr, "%d checked in", "%d checked in", 0), "%d entrée");
	assert_string_equal(catalog_nget(fr, "%d checked in", "%d checked in", 1), "%d entrée");
	assert_string_equal(catalog_nget(fr, "%d checked in", "%d checked in", 2), "%d entrées");
	assert_string_equal(catalog_nget(nl, s, p, 1), "%d wacht op synchronisatie");
	assert_string_equal(catalog_nget(nl, s, p, 0), "%d wachten op synchronisatie");
	assert_string_equal(catalog_nget(NULL, "%d file", "%d files", 1), "%d file");
	assert_string_equal(catalog_nget(NULL, "%d file", "%d files", 0), "%d files");
	catalog_free(fr);
	catalog_free(nl);
}

/* A file that is no catalogue, or one cut short, is refused whole. */
static void
test_refuses_broken_files(void **state)
{
	(void)state;
	char *cause = NULL, *mo = NULL;
	size_t len = 0;
	assert_null(catalog_load("build/locale", "xx", "kiosk", &cause));
	assert_non_null(cause);
	free(cause), cause = NULL;
	assert_null(catalog_from("hello, this is no catalogue at all", 34, &cause));
	assert_non_null(strstr(cause, "not a translation catalogue"));
	free(cause), cause = NULL;
	assert_int_equal(util_read_file("build/locale/nl/LC_MESSAGES/kiosk.mo", CATALOG_MAX, &mo,
	    &len, &cause), 0);
	/* every length from the header to just short of whole: never read
	 * outside, never a catalogue with a string missing */
	for (size_t cut = 0; cut < len; cut += cut < 64 ? 1 : 997) {
		struct catalog *c = catalog_from(mo, cut, &cause);
		assert_null(c);
		free(cause), cause = NULL;
	}
	/* a string's offset pointed past the end, or more strings than fit */
	uint32_t orig, bad = 0x7fffffff;
	memcpy(&orig, mo + 12, 4);
	memcpy(mo + orig + 12, &bad, 4);
	assert_null(catalog_from(mo, len, &cause));
	free(cause), cause = NULL;
	memcpy(mo + 8, &bad, 4);
	assert_null(catalog_from(mo, len, &cause));
	free(cause);
	free(mo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_the_built_catalogues),
		cmocka_unit_test(test_plural_forms),
		cmocka_unit_test(test_refuses_broken_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
