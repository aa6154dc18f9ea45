/* csvout: writing CSV (RFC 4180) that spreadsheets open safely.
 *
 * A field is quoted when it holds the delimiter or another usual one (comma,
 * semicolon, tab: a spreadsheet may split on all three), a quote, a line
 * break or a leading space. A field a spreadsheet would run as a formula
 * (starting with =, +, - or @) is quoted and prefixed with an apostrophe, so
 * a guest named "=HYPERLINK(...)" stays text. Rows end with CRLF. */
#ifndef KIOSK_CSVOUT_H
#define KIOSK_CSVOUT_H

#include <stdbool.h>
#include <stdio.h>

/* One field; first says it starts a row (no delimiter before it). */
void csvout_field(FILE *fp, const char *s, char delim, bool first);

/* End the row. */
void csvout_end_row(FILE *fp);

#endif
