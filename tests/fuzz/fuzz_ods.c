/* fuzz_ods: an OpenDocument spreadsheet's content.xml through the
 * spreadsheet reader and the import.
 *
 * The input is content.xml (a zip's deflate would turn nearly every
 * mutation into a damaged file): it is packed, stored, after the mimetype
 * and a manifest, as LibreOffice lays an .ods out, and read with odsin:
 * every record as wide as the others, its rows rising and at most the
 * last one, its fields NUL-free, trimmed and of their length; a file that
 * fails says why. Then import_read_mem, which tells the .ods by its first
 * bytes, plans the import of the same bytes, its rejections on rows of
 * the sheet. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/import.h"
#include "core/odsin.h"
#include "core/util.h"
#include "fuzzsheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) FS_CHECK("fuzz_ods", cond)

static const char mimetype[] = "application/vnd.oasis.opendocument.spreadsheet";
static const char manifest[] = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
    "opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" "
    "manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>"
    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type="
    "\"text/xml\"/></manifest:manifest>";

/* The spreadsheet's bytes (malloc'd), or NULL. */
static char *
pack(const uint8_t *content, size_t size, size_t *len)
{
	const struct fs_part parts[] = {
		{ "mimetype", mimetype, sizeof mimetype - 1 },
		{ "META-INF/manifest.xml", manifest, sizeof manifest - 1 },
		{ "content.xml", content, size },
	};
	return fs_pack(parts, sizeof parts / sizeof parts[0], len);
}

static void
check_reader(const char *z, size_t len)
{
	struct zipin_sheet *o = NULL;
	char *cause = NULL;
	size_t n;

	CHECK(odsin_magic(z, len));
	if (odsin_open_mem(z, len, "fuzz.ods", NULL, &o, &cause) != 0) {
		CHECK(o == NULL && cause != NULL && strncmp(cause, "fuzz.ods: ", 10) == 0);
		free(cause);
		return;
	}
	CHECK(zipin_sheet_tab(o, &n) != NULL && n >= 1);
	fs_check_sheet("fuzz_ods", o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = 0;
	char *z = pack(data, size, &len);
	if (z == NULL)
		return 0;
	check_reader(z, len);
	fs_check_import("fuzz_ods", z, len, "fuzz.ods");
	free(z);
	return 0;
}
