/* odsin: read a guest list saved as an OpenDocument spreadsheet (.ods,
 * LibreOffice's own format) into the records csvin gives of a CSV file,
 * as xlsxin does for an Excel workbook, for import to take either.
 *
 * What is read, as LibreOffice shows it and writes it to CSV: the first
 * visible table of content.xml (a table whose style has
 * table:display="false" is hidden); each cell's value by its
 * office:value-type: a string's paragraphs, or its office:string-value
 * when it has none, as LibreOffice reads one (text:p, several joined by a
 * newline; text:span and text:a as their text, text:s as its text:c
 * spaces, text:tab and text:line-break as a tab and a newline); a number
 * (float, percentage, currency) as the cell shows it, its text:p, so that
 * a code kept as a number in a format ("TKT-"00000, leading zeros) is the
 * code printed on the ticket, and a long barcode LibreOffice rounded shows
 * as the rounded number it is (8.18492260894162E+24, which import
 * rejects as it does a CSV's); a number without text as General
 * (xlnumfmt_general); a date as ISO 8601 from office:date-value,
 * "2026-06-30" or "2026-06-30 19:30:00" (fractions of a second dropped),
 * as xlsxin writes one; a time from office:time-value (PT19H30M00S:
 * "19:30:00"); a boolean as TRUE or FALSE. A value that is none of these
 * is written as shown. Values are trimmed of surrounding white space, as
 * csvin trims fields.
 *
 * A record is one row with a value; its line is the row's number as
 * LibreOffice shows it (table:number-rows-repeated counted; rows without
 * values skipped as csvin skips blank lines, and never held in memory:
 * a sheet ends in a million of them), its fields the columns A, B, C...
 * up to the sheet's widest row (table:number-columns-repeated counted; a
 * repeat of empty cells is held as nothing either). A merged area's
 * covered cells (table:covered-table-cell) take their columns, and give
 * the value they may hold (the merge kept "the contents of the hidden
 * cells"), as LibreOffice's CSV export writes it and xlsxin reads the
 * .xlsx of the same sheet.
 *
 * The file is read whole at open, within zipin's limits (zipin.h), so
 * that a file-level problem is found before anything is imported. Refused
 * with what to do: an .ods saved with a password (its
 * META-INF/manifest.xml has manifest:encryption-data: the parts are
 * encrypted), one without content.xml or with no visible table, a
 * damaged one, a value past row 1048576 (the last of a sheet in Excel and
 * LibreOffice; a row of values repeated past it is refused before it is
 * expanded). */
#ifndef KIOSK_ODSIN_H
#define KIOSK_ODSIN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/csvin.h"
#include "core/zipin.h"

/* Whether n bytes from the start of a file are those of an OpenDocument
 * spreadsheet: a zip whose first member is its mimetype, stored
 * uncompressed as ODF lays it out for that, and says so. */
bool odsin_magic(const void *head, size_t n);

/* Open a spreadsheet of len bytes at data and read its table named want
 * (NULL: the first visible one; see zipin_sheet_met); name is used in
 * messages, the bytes only read during the call. Returns 0 and sets *out,
 * or -1 with *cause naming the file and what to do. Free with
 * zipin_sheet_free(). */
int odsin_open_mem(const void *data, size_t len, const char *name, const char *want,
    struct zipin_sheet **out, char **cause);

#endif
