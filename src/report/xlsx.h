/* xlsx: the attendance as a spreadsheet (libxlsxwriter), for the organiser
 * who opens it in Excel or LibreOffice rather than reads a CSV.
 *
 * The workbook has two sheets:
 *   Attendance  one row per guest on the list, the columns of the CSV export
 *               (first_name ... duplicate_entries) with types: checked_in_at
 *               an Excel date-time in the event's zone, attended a boolean,
 *               scans and duplicate_entries numbers. Bold frozen header,
 *               autofilter over the data.
 *   Summary     the event, its time zone, when the file was made, which list
 *               it holds, the figures of attend_stats and the attendance rate,
 *               then registered / attended / rate per ticket type. The figures
 *               are the whole event's, whichever list the first sheet holds.
 *
 * Rules:
 *  - Guest data is only ever written as strings, numbers, booleans and
 *    dates: a name such as "=HYPERLINK(...)" stays text, never a formula.
 *  - Times are written in the process's local zone, which ktime_set_zone()
 *    made the event's (cli_open does): Excel date-times carry no zone, so
 *    the zone is named on the Summary sheet.
 *  - The file is written whole or not at all: to PATH.tmp-XXXXXX (mode 0600,
 *    attendance is personal data) in the same folder, synced, then renamed
 *    over PATH. On any error no file is left and PATH is untouched. */
#ifndef KIOSK_XLSX_H
#define KIOSK_XLSX_H

#include "core/attend.h"
#include "core/store.h"

/* Which guests get a row on the Attendance sheet. */
struct xlsx_filter {
	enum attend_list list;     /* ATTEND_LIST_ALL, _NO_SHOWS or _WALK_INS */
};

/* Write the workbook to path. f NULL lists every guest. Reads in the
 * caller's read transaction when one is open (the sheets then agree with
 * anything else the caller read in it), else in one of its own. Returns 0,
 * or -1 with *cause (caller frees) naming path. */
int xlsx_write_attendance(struct store *s, const char *path, const struct xlsx_filter *f,
    char **cause);

#endif
