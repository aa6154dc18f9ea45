/* odsin: read a guest list saved as an OpenDocument spreadsheet (see
 * odsin.h).
 *
 * Two parts are read, through zipin (its limits, a DTD refused): the
 * manifest, only to refuse an encrypted file before its garbled content
 * reads as a damaged one; then content.xml in one pass: its automatic
 * styles first (which table styles hide a table), then the tables, of
 * which the first visible one's cells are kept and the others counted.
 *
 * A row's values are held until the row ends, then kept once for each row
 * it repeats (table:number-rows-repeated); a row without values only moves
 * the row count on, however many it repeats. A cell's value is held until
 * the cell ends and kept once for each column it repeats. */
#include "core/odsin.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/xlnumfmt.h"
#include "core/zipin.h"

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_MANIFEST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
#define MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"

/* The last row of a sheet in Excel and LibreOffice (bar its experimental
 * 16-million-row sheets), as xlsxin's: a value past it is no guest list,
 * and a row of values repeated past it would be expanded into millions of
 * records from a few hundred bytes. */
#define MAX_ROW 1048576u
#define MAX_REPEAT (1u << 24)  /* a repeat past every row or column there is */
#define MAX_SPACES 1024        /* text:c of one text:s */

/* What a damaged spreadsheet's messages end with. */
#define AGAIN "save it again in LibreOffice (.ods), or as .xlsx or CSV UTF-8"

/* A namespaced attribute ("table:name"), by namespace and local name. */
static const char *
nsattr(const XML_Char **atts, const char *ns, const char *local)
{
	for (size_t i = 0; atts[i] != NULL; i += 2)
		if (zipin_is(atts[i], ns, local))
			return atts[i + 1];
	return NULL;
}

/* A repeat count attribute: 1 when absent or not a count, at most
 * MAX_REPEAT. */
static uint32_t
repeat(const XML_Char **atts, const char *local)
{
	const char *v = nsattr(atts, NS_TABLE, local);
	if (v == NULL || *v < '0' || *v > '9')
		return 1;
	unsigned long long n = strtoull(v, NULL, 10);
	return n == 0 ? 1 : n > MAX_REPEAT ? MAX_REPEAT : (uint32_t)n;
}

/* --- the manifest: is it encrypted? ------------------------------------------ */

struct manifest {
	struct zipin_part pt;   /* first: the handlers' argument */
	bool encrypted;
};

static void XMLCALL
manifest_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct manifest *m = arg;
	if (zipin_is(name, NS_MANIFEST, "encryption-data"))
		m->encrypted = true;
}

/* --- content.xml --------------------------------------------------------------- */

/* A value of the row being read: its column and its text in rowvals. */
struct rowcell {
	uint32_t col;
	size_t off, len;
};

struct content {
	struct zipin_part pt;   /* first: the handlers' argument */
	struct zipin_sheet *o;
	char **hidden;          /* names of the table styles that hide a table */
	size_t nhidden;
	char *style;            /* the table style being read, or NULL */
	bool reading;           /* inside the table read */
	bool read;              /* a table was chosen */
	unsigned tables;        /* depth of table:table (a cell may hold one) */
	uint64_t rows;          /* rows of the table before the current one */
	uint32_t rrepeat;       /* how many rows the current one is */
	uint64_t col;           /* the column of the next cell */
	struct rowcell *rc;     /* the current row's values */
	size_t nrc, caprc;
	struct buf rowvals;
	bool in_cell;           /* inside a table-cell or covered-table-cell */
	uint32_t crepeat;       /* how many columns the cell is */
	unsigned depth;         /* elements open inside the cell */
	unsigned p_depth;       /* the depth of the text:p open (a child of the
	                         * cell's), 0 outside one */
	unsigned note;          /* inside a text:note or office:annotation of it */
	bool had_p;             /* the cell has a paragraph */
	char type[16];          /* office:value-type */
	char *value;            /* office:value, date-value, time-value,
	                         * boolean-value or string-value, as its type
	                         * wants */
	struct buf text;        /* the cell's paragraphs */
};

static void
content_fail(struct content *c, char *why)
{
	zipin_fail(&c->pt, why);
}

/* Add to the cell's text, within what one cell may be. */
static void
add_text(struct content *c, const char *s, size_t len)
{
	if (c->text.len + len > CSVIN_MAX_FILE) {
		content_fail(c, xasprintf("row %llu: a cell of more than %u MiB",
		    (unsigned long long)c->rows + 1, CSVIN_MAX_FILE >> 20));
		return;
	}
	if (buf_add(&c->text, s, len) != 0)
		content_fail(c, xstrdup("out of memory"));
}

static bool
style_hidden(const struct content *c, const char *name)
{
	for (size_t i = 0; name != NULL && i < c->nhidden; i++)
		if (strcmp(c->hidden[i], name) == 0)
			return true;
	return false;
}

/* A table:table that is no cell's: the one asked for, or the first
 * visible one, is read. */
static void
table_start(struct content *c, const XML_Char **atts)
{
	if (c->tables++ > 0)
		return;
	const char *name = nsattr(atts, NS_TABLE, "name");
	if (zipin_sheet_met(c->o, name ? name : "",
	    style_hidden(c, nsattr(atts, NS_TABLE, "style-name")), true))
		c->read = c->reading = true;
}

/* An element of the cell being read. */
static void
cell_child_start(struct content *c, const XML_Char *name, const XML_Char **atts)
{
	c->depth++;
	if (c->p_depth == 0) {
		if (c->depth == 1 && (zipin_is(name, NS_TEXT, "p") || zipin_is(name, NS_TEXT, "h"))) {
			if (c->had_p)
				add_text(c, "\n", 1);
			c->had_p = true;
			c->p_depth = c->depth;
		}
		return;
	}
	if (c->note > 0 || zipin_is(name, NS_TEXT, "note") ||
	    zipin_is(name, NS_OFFICE, "annotation")) {
		c->note++;
	} else if (zipin_is(name, NS_TEXT, "s")) {
		const char *n = nsattr(atts, NS_TEXT, "c");
		long k = n ? strtol(n, NULL, 10) : 1;
		for (long i = 0; i < (k < 1 ? 1 : k > MAX_SPACES ? MAX_SPACES : k); i++)
			add_text(c, " ", 1);
	} else if (zipin_is(name, NS_TEXT, "tab")) {
		add_text(c, "\t", 1);
	} else if (zipin_is(name, NS_TEXT, "line-break")) {
		add_text(c, "\n", 1);
	}
}

/* A table-cell, or a covered-table-cell of a merged area: the value a
 * covered one may hold (LibreOffice's "Keep the contents of the hidden
 * cells") is read too, as LibreOffice's CSV export writes it and xlsxin
 * reads the .xlsx it saves of the same sheet. */
static void
cell_start(struct content *c, const XML_Char **atts)
{
	c->in_cell = true;
	c->crepeat = repeat(atts, "number-columns-repeated");
	/* A merged area over several rows: its value is theirs too
	 * (zipin_table_merge), in the row where it starts. */
	uint32_t span = repeat(atts, "number-rows-spanned");
	if (span > 1 && c->col < ZIPIN_MAX_COLUMNS && c->rows + span <= MAX_ROW)
		zipin_table_merge(&c->o->t, &c->pt, (uint32_t)c->rows + 1,
		    (uint32_t)(c->rows + span), (uint32_t)c->col);
	c->depth = c->p_depth = c->note = 0;
	c->had_p = false;
	buf_reset(&c->text);
	free(c->value);
	c->value = NULL;
	const char *type = nsattr(atts, NS_OFFICE, "value-type");
	snprintf(c->type, sizeof c->type, "%s", type ? type : "");
	const char *v = strcmp(c->type, "date") == 0 ? "date-value" :
	    strcmp(c->type, "time") == 0 ? "time-value" :
	    strcmp(c->type, "boolean") == 0 ? "boolean-value" :
	    strcmp(c->type, "string") == 0 || c->type[0] == '\0' ? "string-value" : "value";
	v = nsattr(atts, NS_OFFICE, v);
	c->value = v ? xstrdup(v) : NULL;
}

static void XMLCALL
content_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct content *c = arg;
	if (c->in_cell) {
		cell_child_start(c, name, atts);
	} else if (zipin_is(name, NS_STYLE, "style")) {
		const char *family = nsattr(atts, NS_STYLE, "family");
		const char *sname = nsattr(atts, NS_STYLE, "name");
		free(c->style);
		c->style = family && sname && strcmp(family, "table") == 0 ? xstrdup(sname) : NULL;
	} else if (zipin_is(name, NS_STYLE, "table-properties") && c->style != NULL) {
		const char *display = nsattr(atts, NS_TABLE, "display");
		if (display != NULL && strcmp(display, "false") == 0 && c->nhidden < 65536) {
			c->hidden = xreallocarray(c->hidden, c->nhidden + 1, sizeof *c->hidden);
			c->hidden[c->nhidden++] = xstrdup(c->style);
		}
	} else if (zipin_is(name, NS_TABLE, "table")) {
		table_start(c, atts);
	} else if (!c->reading || c->tables != 1) {
		return;
	} else if (zipin_is(name, NS_TABLE, "table-row")) {
		c->rrepeat = repeat(atts, "number-rows-repeated");
		c->col = 0;
		c->nrc = 0;
		buf_reset(&c->rowvals);
	} else if (zipin_is(name, NS_TABLE, "table-cell") ||
	    zipin_is(name, NS_TABLE, "covered-table-cell")) {
		cell_start(c, atts);
	}
}

/* Whether s (len bytes) is all white space, as csvin trims it. */
static bool
blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strchr(" \t\r\n\v\f", s[i]) == NULL)
			return false;
	return true;
}

/* "2026-06-30" or "2026-06-30T19:30:00.5" as "2026-06-30" or
 * "2026-06-30 19:30:00"; false for another form. */
static bool
iso_date(const char *v, char *out, size_t n)
{
	static const char date[] = "dddd-dd-dd", time[] = "Tdd:dd:dd";
	for (size_t i = 0; i < sizeof date - 1; i++)
		if (date[i] == 'd' ? v[i] < '0' || v[i] > '9' : v[i] != date[i])
			return false;
	if (v[10] == '\0') {
		snprintf(out, n, "%.10s", v);
		return true;
	}
	for (size_t i = 0; i < sizeof time - 1; i++)
		if (time[i] == 'd' ? v[10 + i] < '0' || v[10 + i] > '9' : v[10 + i] != time[i])
			return false;
	const char *rest = v + 19;
	if (*rest == '.' || *rest == ',')
		rest += 1 + strspn(rest + 1, "0123456789");
	if (*rest != '\0')
		return false;
	snprintf(out, n, "%.10s %.8s", v, v + 11);
	return true;
}

/* "PT19H30M00S" (ISO 8601 duration, seconds with a fraction perhaps) as
 * "19:30:00"; false for another form (a negative one, days). */
static bool
iso_time(const char *v, char *out, size_t n)
{
	unsigned long part[3] = { 0, 0, 0 };
	static const char units[] = "HMS";
	if (strncmp(v, "PT", 2) != 0)
		return false;
	const char *p = v + 2;
	for (size_t i = 0; i < 3 && *p != '\0'; i++) {
		if (*p < '0' || *p > '9')
			return false;
		char *end;
		part[i] = strtoul(p, &end, 10);
		if (i == 2 && (*end == '.' || *end == ','))
			end += 1 + strspn(end + 1, "0123456789");
		if (*end != units[i] || part[i] > 1000000)
			return false;
		p = end + 1;
	}
	if (*p != '\0')
		return false;
	snprintf(out, n, "%02lu:%02lu:%02lu", part[0], part[1], part[2]);
	return true;
}

/* The value of the cell just ended, as LibreOffice's CSV would have it,
 * into *s and *len (in buf or the cell's text). */
static void
cell_value(struct content *c, char *buf, size_t n, const char **s, size_t *len)
{
	const char *t = c->type, *v = c->value;
	*s = buf_cstr(&c->text);
	*len = c->text.len;
	/* A value shown as nothing (an empty paragraph) is one the format
	 * hides (";;;", LibreOffice's way of hiding cells): the value is read,
	 * as LibreOffice's CSV writes it, and as xlsxin reads that format,
	 * not dropped: a hidden code column is still the tickets' codes. */
	bool shown = c->had_p && !blank(*s, *len);
	if (v == NULL)
		return;
	if (strcmp(t, "string") == 0 || t[0] == '\0') {
		/* office:string-value, written by a program that leaves the
		 * paragraphs out; LibreOffice's text:p is the text as its format
		 * shows it ("TKT-"@: TKT-00042 for the value 00042), and an
		 * error's (#DIV/0!) over an empty value */
		if (shown)
			return;
		*s = v;
	} else if (strcmp(t, "date") == 0 ? iso_date(v, buf, n) :
	    strcmp(t, "time") == 0 ? iso_time(v, buf, n) : false) {
		*s = buf;
	} else if (strcmp(t, "boolean") == 0 && (strcmp(v, "true") == 0 ||
	    strcmp(v, "false") == 0)) {
		*s = strcmp(v, "true") == 0 ? "TRUE" : "FALSE";
	} else if (!shown && (strcmp(t, "float") == 0 || strcmp(t, "percentage") == 0 ||
	    strcmp(t, "currency") == 0)) {
		/* written by a program that leaves the shown text out, or
		 * hidden by its format */
		char *end;
		double d = strtod(v, &end);
		if (*end != '\0' || end == v)
			return;
		xlnumfmt_general(d, buf, n);
		*s = buf;
	} else {
		return;
	}
	*len = strlen(*s);
}

/* Hold the cell's value for each column it repeats. */
static void
cell_end(struct content *c)
{
	char buf[256];
	const char *s;
	size_t len;
	uint64_t col = c->col;

	c->in_cell = false;
	c->col += c->crepeat;
	cell_value(c, buf, sizeof buf, &s, &len);
	if (blank(s, len))
		return;
	if (col + c->crepeat > ZIPIN_MAX_COLUMNS) {
		/* the first column past them, or one past every column there is */
		char name[4];
		zipin_col_name(col < ZIPIN_MAX_COLUMNS ? ZIPIN_MAX_COLUMNS :
		    col < 16384 ? (uint32_t)col : 16383, name);
		content_fail(c, xasprintf("row %llu: a value in column %s, past the %d columns a "
		    "guest list can have", (unsigned long long)c->rows + 1, name,
		    ZIPIN_MAX_COLUMNS));
		return;
	}
	if (c->rowvals.len + len > CSVIN_MAX_FILE) {
		content_fail(c, xasprintf("row %llu: more than %u MiB",
		    (unsigned long long)c->rows + 1, CSVIN_MAX_FILE >> 20));
		return;
	}
	size_t off = c->rowvals.len;
	if (buf_add(&c->rowvals, s, len) != 0) {
		content_fail(c, xstrdup("out of memory"));
		return;
	}
	for (uint32_t k = 0; k < c->crepeat; k++) {
		if (c->nrc == c->caprc) {
			c->caprc = c->caprc ? 2 * c->caprc : 64;
			c->rc = xreallocarray(c->rc, c->caprc, sizeof *c->rc);
		}
		c->rc[c->nrc++] = (struct rowcell){ (uint32_t)(col + k), off, len };
	}
}

/* Keep the row's values once for each row it repeats. */
static void
row_end(struct content *c)
{
	uint64_t first = c->rows + 1;
	c->rows += c->rrepeat;
	if (c->nrc == 0)
		return;
	if (c->rows > MAX_ROW) {
		/* before a repeat is expanded: the first row past it */
		content_fail(c, xasprintf("row %llu: a value past row %u, the last of a sheet in "
		    "Excel and LibreOffice: more rows than a guest list has; nothing imported",
		    (unsigned long long)(first > MAX_ROW ? first : MAX_ROW + 1), MAX_ROW));
		return;
	}
	for (uint64_t r = first; r <= c->rows && c->pt.error == NULL; r++)
		for (size_t i = 0; i < c->nrc && c->pt.error == NULL; i++)
			zipin_table_add(&c->o->t, &c->pt, (uint32_t)r, c->rc[i].col,
			    c->rowvals.data + c->rc[i].off, c->rc[i].len);
}

static void XMLCALL
content_end(void *arg, const XML_Char *name)
{
	struct content *c = arg;
	if (c->in_cell && c->depth > 0) {
		if (c->note > 0)
			c->note--;
		if (c->depth == c->p_depth)
			c->p_depth = 0;
		c->depth--;
	} else if (c->in_cell) {
		cell_end(c);
	} else if (zipin_is(name, NS_STYLE, "style")) {
		free(c->style);
		c->style = NULL;
	} else if (zipin_is(name, NS_TABLE, "table")) {
		if (--c->tables == 0)
			c->reading = false;
	} else if (c->reading && c->tables == 1 && zipin_is(name, NS_TABLE, "table-row")) {
		row_end(c);
	}
}

static void XMLCALL
content_text(void *arg, const XML_Char *s, int len)
{
	struct content *c = arg;
	if (c->in_cell && c->p_depth > 0 && c->note == 0 && len > 0)
		add_text(c, s, (size_t)len);
}

static void
content_free(struct content *c)
{
	for (size_t i = 0; i < c->nhidden; i++)
		free(c->hidden[i]);
	free(c->hidden);
	free(c->style);
	free(c->rc);
	free(c->value);
	buf_free(&c->rowvals);
	buf_free(&c->text);
}

/* --- opening ------------------------------------------------------------------ */

/* Read the spreadsheet in z into o. Returns 0 or -1 with *cause. */
static int
read_spreadsheet(struct zipin_sheet *o, struct zipin *z, char **cause)
{
	struct manifest m = { .encrypted = false };
	struct content c = { .o = o };
	char type[80];
	int rc = -1;

	buf_init(&c.rowvals, 0);
	buf_init(&c.text, 0);
	zipin_head(z, "mimetype", type, sizeof type);
	if (strncmp(type, MIMETYPE, strlen(MIMETYPE)) != 0) {
		util_fail(cause, "%s: not an OpenDocument spreadsheet (its mimetype is '%s'): "
		    "export the list as CSV UTF-8, .ods or .xlsx", o->name, type);
		goto out;
	}
	if (zipin_read_part(z, "META-INF/manifest.xml", false, &m.pt, manifest_start,
	    zipin_ignore_end, zipin_ignore_text, cause) < 0)
		goto out;
	if (m.encrypted) {
		util_fail(cause, "%s: a spreadsheet saved with a password, which kiosk cannot "
		    "open: open it in LibreOffice with the password and save it without one "
		    "(File > Save As, 'Save with password' unticked), or ask for the list "
		    "without a password", o->name);
		goto out;
	}
	if (zipin_read_part(z, "content.xml", true, &c.pt, content_start, content_end,
	    content_text, cause) != 0)
		goto out;
	if (!c.read) {
		zipin_sheet_none(o, "the spreadsheet has no visible sheet: show the sheet with "
		    "the guest list (in LibreOffice: right-click a tab > Show Sheet) and save it "
		    "again", cause);
		goto out;
	}
	zipin_table_finish(&o->t, false);
	rc = 0;
out:
	content_free(&c);
	return rc;
}

bool
odsin_magic(const void *head, size_t n)
{
	/* The local header of the first member: its name at 30, its extra
	 * field's length at 28, its data after both. */
	static const char name[] = "mimetype", type[] = MIMETYPE;
	const unsigned char *h = head;
	if (n < 30 + sizeof name - 1 || memcmp(h, "PK\x03\x04", 4) != 0 ||
	    memcmp(h + 30, name, sizeof name - 1) != 0 || h[26] != sizeof name - 1 || h[27] != 0)
		return false;
	size_t at = 30 + sizeof name - 1 + (size_t)(h[28] | h[29] << 8);
	return n >= at + sizeof type - 1 && memcmp(h + at, type, sizeof type - 1) == 0;
}

int
odsin_open_mem(const void *data, size_t len, const char *name, const char *want,
    struct zipin_sheet **out, char **cause)
{
	struct zipin_sheet *o = NULL;
	struct zipin *z = NULL;
	int rc = -1;

	if (zipin_open_mem(data, len, name, "spreadsheet", AGAIN, &z, cause) != 0)
		return -1;
	o = zipin_sheet_new(name, want);
	if (read_spreadsheet(o, z, cause) != 0)
		goto out;
	*out = o;
	o = NULL;
	rc = 0;
out:
	zipin_free(z);
	zipin_sheet_free(o);
	return rc;
}
