/* zipin: what the readers of zipped spreadsheets share (xlsxin's Excel
 * workbooks, odsin's OpenDocument spreadsheets): opening the zip, its XML
 * parts unpacked through expat within limits, and the table of values a
 * sheet's cells become, handed out as csvin records.
 *
 * Limits, the same for every format: the file at CSVIN_MAX_FILE; each XML
 * part unpacked at ZIPIN_MAX_XML, refused from the size the zip declares
 * before it is unpacked (a zip bomb) and stopped when the data runs past
 * it; what is kept of all parts (values and their bookkeeping, counted
 * with zipin_keep) at CSVIN_MAX_FILE; ZIPIN_MAX_COLUMNS columns, as
 * csvin's fields per record. A part that declares a DTD is refused: no
 * spreadsheet format has one, and entities are how a small XML becomes a
 * huge one.
 *
 * Messages name the file, call it by the reader's kind ("workbook",
 * "spreadsheet") and end, for a damaged file, with the reader's advice
 * ("save it again as .xlsx or CSV UTF-8"). */
#ifndef KIOSK_ZIPIN_H
#define KIOSK_ZIPIN_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/csvin.h"
#include "core/util.h"

#define ZIPIN_MAX_XML (1024u << 20) /* bytes of one XML part, unpacked */
#define ZIPIN_MAX_COLUMNS 10000     /* as csvin's fields per record */
#define ZIPIN_MAX_TABS 1000        /* sheets whose names are kept */

struct zipin;

/* A part being read: the first member of a reader's handler state, which
 * expat's handlers get as their argument. */
struct zipin_part {
	struct zipin *z;
	XML_Parser xp;
	const char *path;   /* the part's name in the zip */
	char *error;        /* why the part cannot be read, once stopped */
};

/* Open the zip of len bytes at data (not copied: kept until zipin_free).
 * kind and again are for messages (static strings). Returns 0 and sets
 * *out, or -1 with *cause ("NAME: a damaged zip file, ..."). */
int zipin_open_mem(const void *data, size_t len, const char *name, const char *kind,
    const char *again, struct zipin **out, char **cause);

/* zipin_free(NULL) does nothing. */
void zipin_free(struct zipin *z);

/* The file's name as given at open. */
const char *zipin_name(const struct zipin *z);

/* Whether the zip has an entry of that name (case aside, as OPC compares
 * them). */
bool zipin_has(struct zipin *z, const char *path);

/* Up to n - 1 bytes from the start of the entry at path, NUL-terminated
 * in out (for a mimetype member); "" when there is no such entry or it
 * cannot be read. */
void zipin_head(struct zipin *z, const char *path, char *out, size_t n);

/* Read the part at path through the handlers, with pt (pt->z set by the
 * caller) as their argument. Returns 0, 1 when the zip has no such part
 * (and must_exist is false), or -1 with *cause. */
int zipin_read_part(struct zipin *z, const char *path, bool must_exist,
    struct zipin_part *pt, XML_StartElementHandler start, XML_EndElementHandler end,
    XML_CharacterDataHandler text, char **cause);

/* Stop the part's parser with a reason (taken; the first one stays). */
void zipin_fail(struct zipin_part *pt, char *why);

/* Count n bytes against what may be kept; false (and the part stopped)
 * past it. */
bool zipin_keep(struct zipin_part *pt, size_t n);

/* Handlers that do nothing, for the parts that need no end or text. */
void XMLCALL zipin_ignore_end(void *arg, const XML_Char *name);
void XMLCALL zipin_ignore_text(void *arg, const XML_Char *s, int len);

/* The local name of a namespaced name ("uri|row": "row"). */
const char *zipin_local(const XML_Char *name);

/* Whether a namespaced name is ns's local one ("uri|row"). */
bool zipin_is(const XML_Char *name, const char *ns, const char *local);

/* An attribute by local name; with ns, only a namespaced one ("r:id"). */
const char *zipin_attr(const XML_Char **atts, const char *name, bool ns);

/* --- the values of a sheet, as csvin records ------------------------------ */

struct zipin_cell {
	uint32_t row;       /* 1-based */
	uint32_t col;       /* 0-based */
	size_t off;         /* in vals, NUL-terminated */
	size_t len;
	uint32_t from;      /* the top row of the merged area whose value it
	                     * shows (zipin_table_merge), 0 for its own */
};

/* A sheet's values, each kept once in one buffer, and the record handed
 * out. A record is one row with a value; its fields are the columns up to
 * the widest row's, a missing cell an empty field. */
/* A merged area of cells: rows first..last of column col, which show the
 * value of its top cell (a wider area: its first column). */
struct zipin_merge {
	uint32_t first, last, col;
};

struct zipin_table {
	struct buf vals;            /* every value, NUL after each; offset 0 is "" */
	struct zipin_cell *cells;   /* in row, then column order once finished */
	size_t ncells, capcells;
	struct zipin_merge *merges; /* merged areas over several rows */
	size_t nmerges, capmerges;
	size_t width;               /* fields of a record: the widest row's */
	size_t pos;                 /* next cell for zipin_table_next */
	char **fields;              /* the record handed out (width) */
	size_t *lens;
	uint32_t *from;             /* its cells' zipin_cell.from */
};

void zipin_table_init(struct zipin_table *t);

/* Keep the value (text of len bytes) of the cell at row and col: trimmed
 * of the white space csvin trims, and only when something is left.
 * Stops the part (a column past ZIPIN_MAX_COLUMNS, more than may be kept,
 * out of memory). */
void zipin_table_add(struct zipin_table *t, struct zipin_part *pt, uint32_t row,
    uint32_t col, const char *text, size_t len);

/* Note a merged area, rows first..last and columns col..lastcol (1-based
 * rows, 0-based columns): its top value is the value of the cells below
 * it in its first column (a ticket type or company merged over a group of
 * guests is each one's), in the rows that have a value of their own. An
 * area of one row (a title over the columns) changes nothing. Stops the
 * part past what may be kept. */
void zipin_table_merge(struct zipin_table *t, struct zipin_part *pt, uint32_t first,
    uint32_t last, uint32_t col);

/* After the last zipin_table_add: sort the cells when they came out of
 * order (or merged areas filled cells in), ready the record. */
void zipin_table_finish(struct zipin_table *t, bool sort);

void zipin_table_free(struct zipin_table *t);

/* A spreadsheet read whole, as its reader gives it (xlsxin_open_mem,
 * odsin_open_mem): the records of the sheet read, which import takes as it
 * takes csvin's. */
struct zipin_sheet {
	char *name;             /* path or caller's name, for messages */
	char *want;             /* the sheet asked for, or NULL: the first shown */
	char *sheet;            /* the sheet read (its tab's name) */
	char *chart;            /* the sheet asked for, found a chart (no cells) */
	char **tabs;            /* the sheets' names, in the file's order */
	bool *hidden;           /* of each of tabs: not shown, or a chart's */
	size_t nsheets;         /* sheets the file has (hidden ones included) */
	struct zipin_table t;   /* the sheet's values */
};

/* An empty one named name, for a reader to fill with the sheet named want
 * (NULL: the first one shown). */
struct zipin_sheet *zipin_sheet_new(const char *name, const char *want);

/* The reader met the file's next sheet, tab (hidden: not shown; readable:
 * one with cells, not a chart): returns whether it is the one to read, the
 * first that is readable and is the one asked for (its name, ignoring
 * case, accented letters' too, and the spaces around it, which Excel and
 * LibreOffice ignore in telling sheets apart) or, asked for none, is shown. A hidden sheet is
 * read when asked for by name: the organiser knows it is there. */
bool zipin_sheet_met(struct zipin_sheet *s, const char *tab, bool hidden, bool readable);

/* After the reader met every sheet and read none: -1 with *cause. For a
 * sheet asked for, what the file has (or that it is a chart); else unshown, the reader's own
 * advice, after "FILE: ". */
int zipin_sheet_none(const struct zipin_sheet *s, const char *unshown, char **cause);

/* The sheets' names as "'A', 'B', 'C'" (a new string; past 20, how many
 * more), for messages. */
char *zipin_sheet_tabs(const struct zipin_sheet *s);

/* Next record (a row with a value): returns 1 and fills *rec (valid until
 * the next call or zipin_sheet_free), or 0 at the end. rec->line is the
 * row. */
int zipin_sheet_next(struct zipin_sheet *s, struct csvin_record *rec);

/* Of the record zipin_sheet_next handed out last, the row of the merged
 * area whose value column col shows (zipin_table_merge), or 0 when the
 * cell's value is its own. */
uint32_t zipin_sheet_merged_from(const struct zipin_sheet *s, size_t col);

/* Records not read yet, plus one: no fewer than those left. */
size_t zipin_sheet_rows_left(const struct zipin_sheet *s);

/* The name given at open. */
const char *zipin_sheet_name(const struct zipin_sheet *s);

/* The sheet read, and how many sheets the file has. */
const char *zipin_sheet_tab(const struct zipin_sheet *s, size_t *nsheets);

/* zipin_sheet_free(NULL) does nothing. */
void zipin_sheet_free(struct zipin_sheet *s);

/* "A", "AB": a column's letters (for messages). */
void zipin_col_name(uint32_t col, char out[4]);

#endif
