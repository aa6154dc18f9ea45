/* listing: the attendance list as CSV or JSON, one row per guest, for
 * `kiosk export` and the hub's download. The columns, in this order:
 *   first_name, last_name, email, company, ticket_type, source, attended
 *   (yes/no; a boolean in JSON), checked_in_at (event-local "YYYY-MM-DD
 *   HH:MM" in CSV, ISO 8601 with offset in JSON; empty/null when not),
 *   kiosk (of the first check-in), scans, duplicate_entries, cancelled
 *   (yes/no, a boolean in JSON: yes for a guest who came and whose ticket
 *   was cancelled since; last, so that the columns before it keep their
 *   places). Guests cancelled who never came have no row (attend.h).
 * Times are formatted in the process's zone: ktime_set_zone() the event's
 * first (cli_open does). */
#ifndef KIOSK_LISTING_H
#define KIOSK_LISTING_H

#include <stdio.h>

#include "core/attend.h"
#include "core/store.h"

enum listing_format {
	LISTING_CSV,               /* comma, UTF-8 */
	LISTING_CSV_EXCEL,         /* semicolon, UTF-8 with a BOM: Excel in NL/FR/DE */
	LISTING_CSV_BOM,           /* comma, UTF-8 with a BOM: Excel in English */
	LISTING_JSON,              /* an array of objects */
};

/* Write the list to fp. Returns 0, or -1 with *cause (a database error) or
 * with *cause NULL on a write error (ferror(fp)). */
int listing_write(FILE *fp, struct store *s, enum listing_format format,
    enum attend_list list, char **cause);

#endif
