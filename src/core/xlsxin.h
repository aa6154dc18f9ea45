/* xlsxin: read a guest list saved as an Excel workbook (.xlsx) into the
 * records csvin gives of a CSV file, for import to take either.
 *
 * What is read, as Excel shows it: the first visible worksheet the workbook
 * lists (xl/workbook.xml and its relationships); each cell's value, the
 * cached one for a formula: shared strings (rich-text runs joined, phonetic
 * guides left out), inline strings, formula strings, errors as written
 * ("#N/A"), booleans as TRUE and FALSE, numbers as Excel's CSV writes them
 * (in General, an integral number in digits, from 10^15 on its 15
 * significant digits and then zeros, so that a long barcode Excel kept as
 * a number looks rounded as it does in a CSV; others with up to 15
 * significant digits, a small one as 1E-05; in a format of the kind codes
 * and ids are kept in, as the format shows it: "0000012345", "TKT-00042",
 * "-0042"; see xlnumfmt.h for what is rendered and what is written as
 * General), a text in a format with a text section as it shows it
 * ("TKT-"@), and a number whose style is a date or time format (built-in
 * 14-22, 45-47, or a custom format with d, m, y, h or s outside quotes and
 * brackets, or an elapsed [h], [mm] or [ss]; not a colour such as
 * [Magenta]) as ISO 8601 text: "2026-06-30", "19:30:00",
 * "2026-06-30 19:30:00" (the 1904 date system too). OOXML's
 * _xHHHH_ escapes are decoded. Values are trimmed of surrounding white
 * space, as csvin trims fields.
 *
 * A record is one row with a value; its line is the row's number in Excel
 * (rows without values are skipped as csvin skips blank lines), and its
 * fields are the columns A, B, C... up to the sheet's widest row, a
 * missing cell an empty field, so that every record has the same number of
 * fields. Merged cells hold their value in the first cell only, as Excel
 * stores them.
 *
 * The workbook is read whole at open, so that a file-level problem is
 * found before anything is imported. Bounded: the file at CSVIN_MAX_FILE;
 * each XML part unpacked at XLSXIN_MAX_XML, refused from the size the zip
 * declares before it is unpacked (a zip bomb) and stopped when the data
 * runs past it; the values kept (shared strings and cells, with their
 * bookkeeping) at CSVIN_MAX_FILE; XLSXIN_MAX_COLUMNS columns, as csvin's
 * fields per record.
 *
 * Refused with what to do: an Excel 97-2003 workbook (.xls) and a
 * password-protected .xlsx (both OLE2 compound files), an OpenDocument
 * spreadsheet (.ods: odsin reads one, told apart by its first bytes; one
 * whose mimetype is not first comes here), a binary workbook (.xlsb), a
 * zip that holds no workbook, a damaged one. The zip and its XML are read through zipin
 * (libzip and expat), with its limits. */
#ifndef KIOSK_XLSXIN_H
#define KIOSK_XLSXIN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/csvin.h"
#include "core/zipin.h"

#define XLSXIN_MAX_XML ZIPIN_MAX_XML         /* bytes of one XML part, unpacked */
#define XLSXIN_MAX_COLUMNS ZIPIN_MAX_COLUMNS /* as csvin's fields per record */

/* Whether n bytes from the start of a file are those of a zip archive or an
 * OLE2 compound file: a workbook of some kind (or a zip of another), for
 * xlsxin_open to read or to say what it is. */
bool xlsxin_magic(const void *head, size_t n);

/* Open a workbook and read its first visible worksheet. Returns 0 and sets
 * *out, or -1 with *cause naming the file and what to do ("FILE: an Excel
 * 97-2003 workbook (.xls) ...; save it as .xlsx or CSV UTF-8"). Free with
 * zipin_sheet_free(). */
int xlsxin_open_file(const char *path, struct zipin_sheet **out, char **cause);

/* Same on bytes in memory, reading the worksheet named want (NULL: the
 * first visible one; see zipin_sheet_met); name is used in messages. The
 * bytes are copied. */
int xlsxin_open_mem(const void *data, size_t len, const char *name, const char *want,
    struct zipin_sheet **out, char **cause);

#endif
