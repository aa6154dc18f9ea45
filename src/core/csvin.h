/* csvin: read a guest-list export (CSV as organisers really have it) into
 * records of UTF-8 fields.
 *
 * What it accepts, because registration platforms and European Excel produce it:
 *  - comma, semicolon or tab delimiters, detected from the header line
 *    (characters inside quotes do not count; a tie goes to the comma);
 *  - UTF-16 with or without a BOM, either byte order (Excel's "Unicode
 *    text"), converted to UTF-8 first (CSVIN_UTF16), then read as below;
 *  - UTF-8 with or without a BOM; a file that is not valid UTF-8 is taken as
 *    Windows-1252 and converted (csvin_encoding() says so, the caller warns),
 *    but for its lines that are UTF-8 all the same (csvin_utf8_lines);
 *    a file that is not UTF-8 and reads as Mac Roman (Excel for Mac's "CSV
 *    (Macintosh)": lone CR line ends, and more lower-case letters in Mac
 *    Roman than in Windows-1252) is converted from Mac Roman instead
 *    (CSVIN_MACROMAN);
 *    bytes that are neither (NUL bytes, 0x81/0x8D/0x8F/0x90/0x9D) make the file
 *    "not a text file"; a file with real UTF-8 characters and some lines
 *    that are not stays UTF-8, those lines read as Windows-1252
 *    (csvin_cp1252_lines), but for lines that are neither, damaged
 *    (CSVIN_UTF8_INVALID): the records holding them are passed on as they
 *    are for the caller to reject;
 *  - LF, CRLF or CR line ends; quoted fields with embedded delimiters, doubled
 *    quotes and newlines; blank lines are skipped;
 *  - fields are trimmed of surrounding white space.
 *
 * The whole file is read and decoded in memory first (at most CSVIN_MAX_FILE),
 * so a record can report the physical line it starts on, and a file-level
 * problem is found before anything is imported. Parsing uses libcsv. */
#ifndef KIOSK_CSVIN_H
#define KIOSK_CSVIN_H

#include <stdbool.h>
#include <stddef.h>

#define CSVIN_MAX_FILE (512u << 20) /* bytes: larger is not a guest list */

enum csvin_encoding {
	CSVIN_UTF8,     /* valid UTF-8, no BOM */
	CSVIN_UTF8_BOM, /* valid UTF-8 after a BOM, which is dropped */
	CSVIN_UTF8_INVALID, /* UTF-8 with some invalid bytes left in place */
	CSVIN_CP1252,   /* converted from Windows-1252 */
	CSVIN_UTF16,    /* converted from UTF-16 (Excel's "Unicode text") */
	CSVIN_MACROMAN, /* converted from Mac Roman (Excel for Mac's "CSV (Macintosh)") */
};

struct csvin;

/* One record, valid until the next csvin_next() or csvin_free(). */
struct csvin_record {
	size_t line;          /* 1-based physical line where the record starts */
	bool cp1252;          /* a line of it was read as Windows-1252 (csvin_cp1252_lines) */
	size_t nfields;       /* number of fields, >= 1 */
	char *const *fields;  /* NUL-terminated UTF-8, trimmed */
	const size_t *lens;   /* byte length of each field */
};

/* Open and decode a file. Returns 0 and sets *out, or -1 with *cause
 * ("FILE: is empty", "FILE: not a text file (a NUL byte at line L, offset N; ...)").
 * Free with csvin_free(). */
int csvin_open_file(const char *path, struct csvin **out, char **cause);

/* Same on bytes in memory; name is used in messages. The bytes are copied. */
int csvin_open_mem(const char *data, size_t len, const char *name,
    struct csvin **out, char **cause);

/* Same on bytes the caller read (util_read_file's: NUL after the last),
 * which csvin takes, whatever it returns: a file already read to tell a
 * workbook from a CSV is not copied or read again (a pipe cannot be). */
int csvin_open_take(char *raw, size_t len, const char *name, struct csvin **out,
    char **cause);

/* Next record: returns 1 and fills *rec, 0 at the end, or -1 with *cause for
 * a file that cannot be read further (a quoted field that never ends: the
 * message names the line where it starts). */
int csvin_next(struct csvin *c, struct csvin_record *rec, char **cause);

/* Physical lines not read yet, plus one: more than the records left. */
size_t csvin_lines_left(const struct csvin *c);

char csvin_delimiter(const struct csvin *c);
enum csvin_encoding csvin_encoding(const struct csvin *c);
/* Whether every byte of the file is ASCII (then UTF-8 and Windows-1252 are
 * the same: a letter neither was written as '?' when it was saved). */
bool csvin_ascii(const struct csvin *c);
const char *csvin_encoding_name(enum csvin_encoding e);
/* Of a CSVIN_CP1252 file, the lines that were UTF-8 all the same and were
 * kept so (rows pasted in from another export), and the first of them. */
size_t csvin_utf8_lines(const struct csvin *c, size_t *first);
/* Of a UTF-8 file, the lines that were not and were read as Windows-1252
 * (rows pasted in from an older export), and the first of them. */
size_t csvin_cp1252_lines(const struct csvin *c, size_t *first);
/* The name given at open: the path, or the name for memory input. */
const char *csvin_name(const struct csvin *c);

/* csvin_free(NULL) does nothing. */
void csvin_free(struct csvin *c);

#endif
