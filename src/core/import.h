/* import: bring a registration platform's export into the event.
 *
 * The file is a CSV export (csvin), an Excel workbook (xlsxin) or an
 * OpenDocument spreadsheet (odsin), told apart by its first bytes; a
 * workbook's or spreadsheet's records are its sheet's rows, and every
 * place a message names is a row instead of a line.
 *
 * Two phases, so that a bad file writes nothing:
 *  1. Reading checks the file without touching the database: file-level
 *     problems (unreadable, not text, no name column, no rows, a record the
 *     parser cannot read) fail the whole import; row-level problems (too few
 *     fields, no name, a field over IMPORT_MAX_FIELD bytes, a control
 *     character, a duplicate of an earlier row) reject that row with its
 *     line and reason. import_read() reads it all first; import_open()
 *     reads the header and leaves the rows to a thread of their own.
 *  2. import_apply() merges the accepted rows in one transaction, each as
 *     soon as it is read; a file that fails further down rolls it back.
 *
 * Merge rules. A row is the same guest as a stored one when, in this order:
 * its ticket code matches; else its platform id (ext_id) matches; else,
 * for exports with neither, its folded first name, last name and e-mail
 * match. E-mail alone is never a key: group orders share the buyer's e-mail.
 * A matched guest is updated when a field differs and counted unchanged
 * otherwise; guests missing from the file are kept; check-ins are never
 * touched. Rows without a code get a fresh code of ours; a guest who already
 * has a code keeps it unless the platform now gives another.
 *
 * A guest erased with kiosk forget stays erased: a row that matches them
 * (by code or id, or, for a row with neither, by guest_forget_key of its
 * name and e-mail: the name itself is gone) changes nothing and is
 * counted apart (import_report.forgotten), never added again.
 *
 * A language column (Language, Taal, Langue, Sprache...) sets the language
 * the guest's ticket e-mail is written in (colmap_language); a value naming
 * no language of ours is a warning, not a rejection, and stores "" (the
 * event's default). Re-imports update it like any other field. */
#ifndef KIOSK_IMPORT_H
#define KIOSK_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/colmap.h"
#include "core/csvin.h"
#include "core/store.h"

#define IMPORT_MAX_FIELD 1024 /* bytes in one field; more is not a name */
/* Bytes in a column kept as an extra field: a form's free-text answer, up
 * to what a spreadsheet cell holds (32,767 characters), so that the export
 * can give it back; the row's extra fields together, GUEST_EXTRA_MAX. */
#define IMPORT_MAX_EXTRA 32767
#define IMPORT_KEPT_LINES 10  /* lines of guests left cancelled, named in the warning */
#define IMPORT_ABSENT_NAME 160 /* bytes of one "First Last (CODE)" of report.absent_names */

struct import_plan;

struct import_report {
	size_t added;
	size_t updated;
	size_t unchanged;
	size_t rejected;
	size_t kept_cancelled;  /* cancelled here, valid in the file: left cancelled */
	size_t kept_lines[IMPORT_KEPT_LINES]; /* the file's lines of the first of those */
	/* rows without code or id added beside a guest listed before with
	 * their e-mail, under another name, that no row matched (a name
	 * corrected in a form's export), and the lines of the first
	 * IMPORT_KEPT_LINES */
	size_t same_email;
	size_t same_email_lines[IMPORT_KEPT_LINES];
	/* the same, for rows added beside a guest listed before under their
	 * whole name, with another e-mail (an e-mail corrected) */
	size_t same_name;
	size_t same_name_lines[IMPORT_KEPT_LINES];
	/* rows added beside a walk-in of their e-mail or name (someone
	 * registered at the door who then bought a ticket), and the lines of
	 * the first IMPORT_KEPT_LINES */
	size_t same_walkin;
	size_t same_walkin_lines[IMPORT_KEPT_LINES];
	/* guests whose code kiosk made (never mailed) now have the file's
	 * platform code: a badge printed with the old one no longer scans */
	size_t new_code;
	size_t new_code_lines[IMPORT_KEPT_LINES];
	/* guests kiosk mail had sent a ticket with the code they had, which
	 * --new-codes replaced: the ticket they hold no longer scans, and
	 * kiosk mail --unsent counts them as mailed */
	size_t remail;
	size_t remail_lines[IMPORT_KEPT_LINES];
	/* guests, valid, whose name, company, handle or ticket type changed:
	 * a badge printed before shows the old one */
	size_t rebadged;
	size_t rebadged_lines[IMPORT_KEPT_LINES];
	/* valid guests imported before whom no row of this file names, when
	 * the file names most of the list (a row deleted from the export, not
	 * a list of a few): kept, and still admitted; the first
	 * IMPORT_KEPT_LINES as "First Last (CODE)", cut to fit */
	size_t absent;
	char absent_names[IMPORT_KEPT_LINES][IMPORT_ABSENT_NAME];
	/* guests whose name the file has in capitals or small letters only,
	 * listed before in both: the name as listed was kept */
	size_t recased;
	size_t recased_lines[IMPORT_KEPT_LINES];
	/* guests whose numeric code the file has with other leading zeros
	 * ("123" for "000123": a spreadsheet dropped them): the code as
	 * listed was kept */
	size_t zeros;
	size_t zeros_lines[IMPORT_KEPT_LINES];
	/* rows of guests forgotten with kiosk forget, left so (not in
	 * unchanged): the lines of the first IMPORT_KEPT_LINES, and when each
	 * was forgotten */
	size_t forgotten;
	size_t forgotten_lines[IMPORT_KEPT_LINES];
	int64_t forgotten_at[IMPORT_KEPT_LINES];
	/* with import_check_code_length: the list's codes, as imported (a dry
	 * run's too), shorter than that length, and the shortest code's
	 * length (guest_short_codes) */
	int64_t short_codes;
	int shortest_code;
};

/* Read and check a file. Returns 0 and *out (even when rows were rejected,
 * all of them included: import_rows() is then 0 and import_apply() refuses),
 * or -1 with *cause for a file that cannot be imported at all. */
int import_read(const char *path, const struct colmap_override *ov, size_t nov,
    struct import_plan **out, char **cause);

/* Read the file's header (failing as import_read does for what it can
 * tell from it) and start reading the rows on a thread of their own, for
 * import_apply to write while the rest is read. Until import_finish says
 * the file is read, only import_encoding, import_delimiter,
 * import_has_codes, import_mapping_text and import_rows (those read so
 * far) may be asked. */
int import_open(const char *path, const struct colmap_override *ov, size_t nov,
    struct import_plan **out, char **cause);

/* import_open reading a workbook's or spreadsheet's sheet named sheet
 * (zipin_sheet_met; NULL: the first one shown). A file that has no such
 * sheet fails, saying the sheets it has; so does a CSV file given one. */
int import_open_sheet(const char *path, const char *sheet, const struct colmap_override *ov,
    size_t nov, struct import_plan **out, char **cause);

/* Wait until the reader has published rows (it does, 64 at a time) or read
 * the file: 0 then (import_rows is 0 only when every row was rejected), or
 * -1 with *cause for a file that cannot be imported. Before touching the
 * database: a file whose rows are all bad creates no event. */
int import_ready(struct import_plan *p, char **cause);

/* Wait until the whole file is read: 0, or -1 with *cause for a file that
 * cannot be imported (a quoted field that never ends, no guests). */
int import_finish(struct import_plan *p, char **cause);

/* Same as import_read for bytes in memory; name stands for the file in
 * messages. */
int import_read_mem(const char *data, size_t len, const char *name,
    const struct colmap_override *ov, size_t nov, struct import_plan **out, char **cause);

/* The file's encoding (a caller warns on CSVIN_CP1252) and delimiter. */
enum csvin_encoding import_encoding(const struct import_plan *p);
char import_delimiter(const struct import_plan *p);
/* Of a CSVIN_CP1252 file, the lines that were UTF-8 and read as such
 * (csvin_utf8_lines), and the first of them. */
size_t import_utf8_lines(const struct import_plan *p, size_t *first);
/* Of a UTF-8 file, the lines read as Windows-1252 (csvin_cp1252_lines),
 * and the first of them. */
size_t import_cp1252_lines(const struct import_plan *p, size_t *first);

/* How a record's place is named: "line" of a CSV file (the physical line
 * it starts on), "row" of a workbook (the row Excel shows); every line a
 * rejection, warning or report gives is one of these. */
const char *import_unit(const struct import_plan *p);

/* Of a workbook or spreadsheet, the sheet read (zipin_sheet_tab)
 * and its number of sheets; NULL for a CSV file. */
const char *import_sheet(const struct import_plan *p, size_t *nsheets);

/* Of a workbook or spreadsheet, its sheets' names ("'A', 'B'",
 * zipin_sheet_tabs), and whether the sheet read was asked for by name;
 * NULL and false for a CSV file. */
const char *import_sheets(const struct import_plan *p);
bool import_sheet_asked(const struct import_plan *p);
/* The first sheet shown, passed over for having no list (no name column),
 * when the one read is the next that has one; else NULL. */
const char *import_sheet_skipped(const struct import_plan *p);

/* Whether the file has a column of ticket codes the platform issued (else
 * every new guest gets a code made here). */
bool import_has_codes(const struct import_plan *p);

/* Rows accepted, and the rejected ones in file order. */
size_t import_rows(const struct import_plan *p);
size_t import_rejects(const struct import_plan *p);
/* The i-th rejection: its line and reason (owned by the plan). */
void import_reject(const struct import_plan *p, size_t i, size_t *line, const char **reason);

/* Warnings about accepted rows (an unknown language, stored as "": the
 * guest gets the event's default), in file order; the i-th one's line and
 * text (owned by the plan). */
size_t import_warnings(const struct import_plan *p);
void import_warning(const struct import_plan *p, size_t i, size_t *line, const char **text);

/* Which column became which field, for the organiser to check:
 * "first=First Name, last=Last Name, ..." (caller frees). */
char *import_mapping_text(const struct import_plan *p);

/* Called for each added or updated row: line, "add" or "update", the guest's
 * display name, and for updates the changed fields ("email, company"), for
 * an add "cancelled" when the row's ticket is (else ""). */
typedef void (*import_change_fn)(size_t line, const char *what, const char *name,
    const char *fields, void *arg);

/* Let import_apply give guests on the list another ticket code from the
 * file (the platform issued new ones). Without this it refuses a file that
 * would, for a code the platform or kiosk mail sent: a spreadsheet that
 * rounded the codes, or a wrong --map code=, would have every ticket
 * refused at the door. A code made here and never mailed is replaced
 * either way (a list imported first without codes, then with them). */
void import_allow_new_codes(struct import_plan *p);

/* Have import_apply count the list's codes shorter than min_length (a
 * scanner's [scanner] min_length) into the report, read in its own
 * transaction: a dry run's, rolled back, says them too. */
void import_check_code_length(struct import_plan *p, int min_length);

/* Merge the rows into the store in one transaction (rolled back when
 * dry_run), writing each as it is read (import_open); returns when the file
 * is read, as import_finish. by names the writer. report->rejected counts
 * the plan's rejections. Returns 0, or -1 with *cause and nothing written:
 * the file cannot be imported, every row was rejected, or the database
 * failed (what opening the store wrote is the caller's: kiosk import reads
 * the file to its end first unless it made the event's file). */
int import_apply(struct store *s, struct import_plan *p, bool dry_run, const char *by,
    import_change_fn fn, void *arg, struct import_report *report, char **cause);

void import_free(struct import_plan *p);

#endif
