/* fuzz_lang: what a browser and a catalogue file can hand the live page.
 *
 * The input is an Accept-Language header (any bytes, a NUL ending it
 * early as libmicrohttpd's string would): lang_accept and lang_choose
 * answer one of kiosk's languages or -1, never read past LANG_ACCEPT_MAX,
 * and a language the header names alone ("nl-BE") is what they answer. The
 * same bytes are then read as a .mo catalogue: catalog_from refuses it or
 * reads it whole, and every lookup in what it read returns a string that
 * ends inside it (ASan says when one does not). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/lang.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "fuzz_lang: %s:%d: %s\n", \
	__FILE__, __LINE__, #cond); abort(); } } while (0)

static void
check_accept(const uint8_t *data, size_t size)
{
	/* exactly the header's bytes on the heap: ASan sees a read past them */
	char *header = xstrndup((const char *)data, size);
	int l = lang_accept(header);
	CHECK(l >= -1 && l < LANG_COUNT);
	int c = lang_choose(NULL, header, LANG_DE);
	CHECK(c == (l >= 0 ? l : LANG_DE));
	CHECK(lang_choose(header, NULL, LANG_EN) >= 0);
	free(header);
}

static void
check_catalog(const uint8_t *data, size_t size)
{
	char *cause = NULL;
	struct catalog *c = catalog_from(data, size, &cause);
	if (c == NULL) {
		CHECK(cause != NULL);
		free(cause);
		return;
	}
	static const char *const ids[] = { "", "Kiosks", "%s s ago", "zzz", "\x01" };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		CHECK(strlen(catalog_get(c, ids[i])) < size + 1);
		for (long n = 0; n < 3; n++)
			CHECK(strlen(catalog_nget(c, ids[i], "x", n)) < size + 1);
	}
	catalog_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_accept(data, size);
	check_catalog(data, size);
	return 0;
}
