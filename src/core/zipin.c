/* zipin: the zip, XML and value table that xlsxin and odsin share (see
 * zipin.h).
 *
 * Each part is unpacked from the zip a block at a time into expat (with
 * namespaces, so that a prefix other than the usual one reads the same);
 * nothing of the XML is kept but what the handlers keep. */
#include "core/zipin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include <zip.h>

#define READ_BLOCK 65536   /* bytes unpacked at a time */

struct zipin {
	zip_t *zip;
	char *name;         /* path or caller's name, for messages */
	const char *kind;   /* "workbook" */
	const char *again;  /* "save it again as .xlsx or CSV UTF-8" */
	size_t kept;        /* bytes kept of all parts (zipin_keep) */
};

int
zipin_open_mem(const void *data, size_t len, const char *name, const char *kind,
    const char *again, struct zipin **out, char **cause)
{
	zip_source_t *src = NULL;
	zip_t *zip = NULL;
	zip_error_t err;

	if (len > CSVIN_MAX_FILE)
		return util_fail(cause, "%s: larger than %u MiB; not a guest list", name,
		    CSVIN_MAX_FILE >> 20);
	zip_error_init(&err);
	src = zip_source_buffer_create(data, len, 0, &err);
	if (src != NULL)
		zip = zip_open_from_source(src, ZIP_RDONLY, &err);
	if (zip == NULL) {
		util_fail(cause, "%s: a damaged zip file, not a %s kiosk can read (%s): %s",
		    name, kind, zip_error_strerror(&err), again);
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&err);
		return -1;
	}
	zip_error_fini(&err);
	struct zipin *z = xcalloc(1, sizeof *z);
	z->zip = zip;
	z->name = xstrdup(name);
	z->kind = kind;
	z->again = again;
	*out = z;
	return 0;
}

void
zipin_free(struct zipin *z)
{
	if (z == NULL)
		return;
	zip_discard(z->zip);
	free(z->name);
	free(z);
}

const char *
zipin_name(const struct zipin *z)
{
	return z->name;
}

/* Where a zip entry is, by name as OPC compares them (case aside), or -1. */
static zip_int64_t
entry(struct zipin *z, const char *path)
{
	return zip_name_locate(z->zip, path, ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
}

bool
zipin_has(struct zipin *z, const char *path)
{
	return entry(z, path) >= 0;
}

void
zipin_head(struct zipin *z, const char *path, char *out, size_t n)
{
	zip_int64_t at = entry(z, path);
	zip_file_t *f = at >= 0 ? zip_fopen_index(z->zip, (zip_uint64_t)at, 0) : NULL;
	zip_int64_t got = 0;
	if (f != NULL) {
		got = zip_fread(f, out, n - 1);
		zip_fclose(f);
	}
	out[got > 0 ? got : 0] = '\0';
}

void
zipin_fail(struct zipin_part *pt, char *why)
{
	if (pt->error == NULL)
		pt->error = why;
	else
		free(why);
	XML_StopParser(pt->xp, XML_FALSE);
}

static void XMLCALL
no_doctype(void *arg, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
    int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	struct zipin_part *pt = arg;
	zipin_fail(pt, xasprintf("%s has a DTD, which no %s has", pt->path, pt->z->kind));
}

void XMLCALL
zipin_ignore_end(void *arg, const XML_Char *name)
{
	(void)arg;
	(void)name;
}

void XMLCALL
zipin_ignore_text(void *arg, const XML_Char *s, int len)
{
	(void)arg;
	(void)s;
	(void)len;
}

const char *
zipin_local(const XML_Char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

bool
zipin_is(const XML_Char *name, const char *ns, const char *local)
{
	size_t n = strlen(ns);
	return strncmp(name, ns, n) == 0 && name[n] == '|' && strcmp(name + n + 1, local) == 0;
}

const char *
zipin_attr(const XML_Char **atts, const char *name, bool ns)
{
	for (size_t i = 0; atts[i] != NULL; i += 2) {
		const char *bar = strrchr(atts[i], '|');
		if (ns ? bar != NULL && strcmp(bar + 1, name) == 0 :
		    bar == NULL && strcmp(atts[i], name) == 0)
			return atts[i + 1];
	}
	return NULL;
}

/* Unpack the open member f (st.size bytes, it says) into pt's parser. */
static int
parse_member(struct zipin *z, zip_file_t *f, zip_uint64_t size, struct zipin_part *pt,
    char **cause)
{
	char *block = xmalloc(READ_BLOCK);
	zip_uint64_t total = 0;
	int rc = -1;
	for (;;) {
		zip_int64_t n = zip_fread(f, block, READ_BLOCK);
		if (n < 0) {
			util_fail(cause, "%s: a damaged %s (%s: %s); %s", z->name, z->kind, pt->path,
			    zip_file_strerror(f), z->again);
			goto out;
		}
		total += (zip_uint64_t)n;
		if (total > size) {
			util_fail(cause, "%s: a damaged or malicious %s: %s unpacks to more "
			    "than the %llu bytes it says it holds; nothing imported", z->name, z->kind,
			    pt->path, (unsigned long long)size);
			goto out;
		}
		if (XML_Parse(pt->xp, block, (int)n, n == 0) != XML_STATUS_OK) {
			if (pt->error != NULL)
				util_fail(cause, "%s: %s", z->name, pt->error);
			else
				util_fail(cause, "%s: a damaged %s (%s, line %lu: %s); %s", z->name,
				    z->kind, pt->path, (unsigned long)XML_GetCurrentLineNumber(pt->xp),
				    XML_ErrorString(XML_GetErrorCode(pt->xp)), z->again);
			goto out;
		}
		if (n == 0)
			break;
	}
	rc = 0;
out:
	free(block);
	return rc;
}

int
zipin_read_part(struct zipin *z, const char *path, bool must_exist,
    struct zipin_part *pt, XML_StartElementHandler start, XML_EndElementHandler end,
    XML_CharacterDataHandler text, char **cause)
{
	zip_file_t *f = NULL;
	int rc = -1;
	zip_stat_t st;

	pt->z = z;
	pt->path = path;
	pt->error = NULL;
	pt->xp = NULL;
	zip_int64_t at = entry(z, path);
	if (at < 0) {
		if (!must_exist)
			return 1;
		return util_fail(cause, "%s: a damaged %s: it has no %s; %s", z->name, z->kind,
		    path, z->again);
	}
	zip_stat_init(&st);
	if (zip_stat_index(z->zip, (zip_uint64_t)at, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE)) {
		util_fail(cause, "%s: a damaged %s (%s: %s); %s", z->name, z->kind, path,
		    zip_strerror(z->zip), z->again);
		goto out;
	}
	/* A zip bomb says what it unpacks to; one that lies is stopped at
	 * what it said. */
	if (st.size > ZIPIN_MAX_XML) {
		util_fail(cause, "%s: %s unpacks to %llu MiB, more than the %u MiB a guest "
		    "list's sheet can be (a damaged or malicious file?); nothing imported",
		    z->name, path, (unsigned long long)(st.size >> 20), ZIPIN_MAX_XML >> 20);
		goto out;
	}
	f = zip_fopen_index(z->zip, (zip_uint64_t)at, 0);
	if (f == NULL) {
		/* a zip of its own with a password is no format's encryption */
		util_fail(cause, "%s: cannot unpack %s (%s): %s", z->name, path,
		    zip_strerror(z->zip), z->again);
		goto out;
	}
	pt->xp = XML_ParserCreateNS(NULL, '|'); /* the part's own encoding, UTF-8 or -16 */
	if (pt->xp == NULL) {
		util_fail(cause, "%s: out of memory", z->name);
		goto out;
	}
	XML_SetUserData(pt->xp, pt);
	XML_SetElementHandler(pt->xp, start, end);
	XML_SetCharacterDataHandler(pt->xp, text);
	XML_SetStartDoctypeDeclHandler(pt->xp, no_doctype);
	rc = parse_member(z, f, st.size, pt, cause);
out:
	free(pt->error);
	pt->error = NULL;
	if (pt->xp != NULL)
		XML_ParserFree(pt->xp);
	pt->xp = NULL;
	if (f != NULL)
		zip_fclose(f);
	return rc;
}

bool
zipin_keep(struct zipin_part *pt, size_t n)
{
	struct zipin *z = pt->z;
	if (n > CSVIN_MAX_FILE - z->kept) {
		zipin_fail(pt, xasprintf("its values are more than the %u MiB a guest list can "
		    "be; nothing imported", CSVIN_MAX_FILE >> 20));
		return false;
	}
	z->kept += n;
	return true;
}

/* --- the table ---------------------------------------------------------------- */

void
zipin_table_init(struct zipin_table *t)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->vals, 0);
	buf_addc(&t->vals, '\0'); /* offset 0: the empty field */
}

void
zipin_col_name(uint32_t col, char out[4])
{
	char tmp[4];
	size_t n = 0;
	for (uint32_t c = col + 1; c > 0 && n < 3; c = (c - 1) / 26)
		tmp[n++] = (char)('A' + (c - 1) % 26);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* The white space csvin trims from a field. */
static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void
zipin_table_add(struct zipin_table *t, struct zipin_part *pt, uint32_t row, uint32_t col,
    const char *text, size_t len)
{
	while (len > 0 && is_ws(*text)) {
		text++;
		len--;
	}
	while (len > 0 && is_ws(text[len - 1]))
		len--;
	if (len == 0)
		return;
	if (col >= ZIPIN_MAX_COLUMNS) {
		char c[4];
		zipin_col_name(col, c);
		zipin_fail(pt, xasprintf("row %u: a value in column %s, past the %d columns "
		    "a guest list can have", row, c, ZIPIN_MAX_COLUMNS));
		return;
	}
	if (!zipin_keep(pt, len + 1 + sizeof(struct zipin_cell)))
		return;
	if (t->ncells == t->capcells) {
		t->capcells = t->capcells ? 2 * t->capcells : 1024;
		t->cells = xreallocarray(t->cells, t->capcells, sizeof *t->cells);
	}
	t->cells[t->ncells++] = (struct zipin_cell){ row, col, t->vals.len, len, 0 };
	if (buf_add(&t->vals, text, len) != 0 || buf_addc(&t->vals, '\0') != 0)
		zipin_fail(pt, xstrdup("out of memory"));
	if (col + 1 > t->width)
		t->width = col + 1;
}

static int
cell_cmp(const void *a, const void *b)
{
	const struct zipin_cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off; /* the later value last */
}

void
zipin_table_merge(struct zipin_table *t, struct zipin_part *pt, uint32_t first,
    uint32_t last, uint32_t col)
{
	if (last <= first || col >= ZIPIN_MAX_COLUMNS)
		return;
	if (!zipin_keep(pt, sizeof *t->merges))
		return;
	if (t->nmerges == t->capmerges) {
		t->capmerges = t->capmerges ? 2 * t->capmerges : 16;
		t->merges = xreallocarray(t->merges, t->capmerges, sizeof *t->merges);
	}
	t->merges[t->nmerges++] = (struct zipin_merge){ first, last, col };
}

/* The first of the sorted cells at or after row, col (ncells: none). */
static size_t
cell_at(const struct zipin_table *t, uint32_t row, uint32_t col)
{
	size_t lo = 0, hi = t->ncells;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct zipin_cell *c = &t->cells[mid];
		if (c->row < row || (c->row == row && c->col < col))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Give the cells of each merged area below its top the top's value, in the
 * rows that have a value elsewhere (an area merged down past the list adds
 * no rows of one value alone) and where the cell has none of its own (a
 * value Excel kept hidden under the area is the one written). Cells sorted;
 * the new ones share the top's value in vals. */
static void
fill_merges(struct zipin_table *t)
{
	struct zipin_cell *more = NULL;
	size_t nmore = 0, capmore = 0;

	for (size_t m = 0; m < t->nmerges; m++) {
		const struct zipin_merge *a = &t->merges[m];
		size_t top = cell_at(t, a->first, a->col);
		if (top == t->ncells || t->cells[top].row != a->first ||
		    t->cells[top].col != a->col)
			continue;
		for (size_t i = cell_at(t, a->first + 1, 0); i < t->ncells &&
		    t->cells[i].row <= a->last;) {
			uint32_t row = t->cells[i].row;
			bool has = false;
			for (; i < t->ncells && t->cells[i].row == row; i++)
				has = has || t->cells[i].col == a->col;
			if (has)
				continue;
			if (nmore == capmore) {
				capmore = capmore ? 2 * capmore : 64;
				more = xreallocarray(more, capmore, sizeof *more);
			}
			more[nmore++] = (struct zipin_cell){ row, a->col, t->cells[top].off,
				t->cells[top].len, a->first };
		}
	}
	if (nmore > 0) {
		if (t->ncells + nmore > t->capcells) {
			t->capcells = t->ncells + nmore;
			t->cells = xreallocarray(t->cells, t->capcells, sizeof *t->cells);
		}
		memcpy(t->cells + t->ncells, more, nmore * sizeof *more);
		t->ncells += nmore;
		qsort(t->cells, t->ncells, sizeof *t->cells, cell_cmp);
	}
	free(more);
}

void
zipin_table_finish(struct zipin_table *t, bool sort)
{
	if (sort || t->nmerges > 0)
		qsort(t->cells, t->ncells, sizeof *t->cells, cell_cmp);
	if (t->nmerges > 0)
		fill_merges(t);
	t->fields = xcalloc(t->width + 1, sizeof *t->fields);
	t->lens = xcalloc(t->width + 1, sizeof *t->lens);
	t->from = xcalloc(t->width + 1, sizeof *t->from);
}

/* As csvin_next: 1 and *rec (valid until the next call), or 0 at the end. */
static int
zipin_table_next(struct zipin_table *t, struct csvin_record *rec)
{
	if (t->pos >= t->ncells)
		return 0;
	uint32_t row = t->cells[t->pos].row;
	for (size_t c = 0; c < t->width; c++) {
		t->fields[c] = t->vals.data;
		t->lens[c] = 0;
		t->from[c] = 0;
	}
	for (; t->pos < t->ncells && t->cells[t->pos].row == row; t->pos++) {
		const struct zipin_cell *c = &t->cells[t->pos];
		t->fields[c->col] = t->vals.data + c->off;
		t->lens[c->col] = c->len;
		t->from[c->col] = c->from;
	}
	rec->line = row;
	rec->cp1252 = false;
	rec->nfields = t->width;
	rec->fields = t->fields;
	rec->lens = t->lens;
	return 1;
}

/* Records not read yet, plus one. */
static size_t
zipin_table_rows_left(const struct zipin_table *t)
{
	return t->ncells - t->pos + 1;
}

void
zipin_table_free(struct zipin_table *t)
{
	buf_free(&t->vals);
	free(t->cells);
	free(t->merges);
	free(t->fields);
	free(t->lens);
	free(t->from);
	memset(t, 0, sizeof *t);
}

struct zipin_sheet *
zipin_sheet_new(const char *name, const char *want)
{
	struct zipin_sheet *s = xcalloc(1, sizeof *s);
	s->name = xstrdup(name);
	s->want = want ? xstrdup(want) : NULL;
	zipin_table_init(&s->t);
	return s;
}

/* A tab's name as tabs are told apart: trimmed, case folded and composed
 * (NFC), so that "équipe" typed finds the tab "ÉQUIPE", and a name typed
 * decomposed (a Mac's terminal) the same name composed. A new string;
 * invalid UTF-8, which utf8proc refuses, is only trimmed. */
static char *
tab_key(const char *s)
{
	char *t = util_trim(s);
	utf8proc_uint8_t *folded = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)t, 0, &folded, UTF8PROC_NULLTERM |
	    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
		return t;
	free(t);
	return (char *)folded;
}

/* a and b the same but for case and surrounding white space */
static bool
same_tab(const char *a, const char *b)
{
	char *ta = tab_key(a), *tb = tab_key(b);
	bool same = strcasecmp(ta, tb) == 0;
	free(ta);
	free(tb);
	return same;
}

bool
zipin_sheet_met(struct zipin_sheet *s, const char *tab, bool hidden, bool readable)
{
	/* the names of a file's first sheets, which messages list: a file of
	 * more (a generated one) only counts them */
	if (s->nsheets < ZIPIN_MAX_TABS) {
		s->tabs = xreallocarray(s->tabs, s->nsheets + 1, sizeof *s->tabs);
		s->tabs[s->nsheets] = xstrdup(tab);
		s->hidden = xreallocarray(s->hidden, s->nsheets + 1, sizeof *s->hidden);
		s->hidden[s->nsheets] = hidden || !readable;
	}
	s->nsheets++;
	bool named = s->want != NULL && same_tab(s->want, tab);
	if (named && !readable && s->chart == NULL)
		s->chart = xstrdup(tab);
	if (s->sheet != NULL || !readable || (s->want != NULL ? !named : hidden))
		return false;
	s->sheet = xstrdup(tab);
	return true;
}

char *
zipin_sheet_tabs(const struct zipin_sheet *s)
{
	enum { SHOWN = 20 };
	struct buf b;
	buf_init(&b, 0);
	size_t kept = s->nsheets < ZIPIN_MAX_TABS ? s->nsheets : ZIPIN_MAX_TABS;
	for (size_t i = 0; i < kept && i < SHOWN; i++)
		buf_addf(&b, "%s'%s'", i ? ", " : "", s->tabs[i]);
	if (s->nsheets > SHOWN)
		buf_addf(&b, " and %zu more", s->nsheets - SHOWN);
	return buf_take(&b);
}

int
zipin_sheet_none(const struct zipin_sheet *s, const char *unshown, char **cause)
{
	if (s->want == NULL)
		return util_fail(cause, "%s: %s", s->name, unshown);
	if (s->chart != NULL)
		return util_fail(cause, "%s: the sheet '%s' is a chart, with no list of guests: "
		    "give --sheet the name of the sheet its data is on", s->name, s->chart);
	if (s->nsheets == 0)
		return util_fail(cause, "%s: no sheet is named '%s': the file has no sheet",
		    s->name, s->want);
	char *tabs = zipin_sheet_tabs(s);
	util_fail(cause, "%s: no sheet is named '%s'; its sheet%s: %s", s->name, s->want,
	    s->nsheets == 1 ? " is" : "s are", tabs);
	free(tabs);
	return -1;
}

int
zipin_sheet_next(struct zipin_sheet *s, struct csvin_record *rec)
{
	return zipin_table_next(&s->t, rec);
}

uint32_t
zipin_sheet_merged_from(const struct zipin_sheet *s, size_t col)
{
	return s->t.from != NULL && col < s->t.width ? s->t.from[col] : 0;
}

size_t
zipin_sheet_rows_left(const struct zipin_sheet *s)
{
	return zipin_table_rows_left(&s->t);
}

const char *
zipin_sheet_name(const struct zipin_sheet *s)
{
	return s->name;
}

const char *
zipin_sheet_tab(const struct zipin_sheet *s, size_t *nsheets)
{
	*nsheets = s->nsheets;
	return s->sheet;
}

void
zipin_sheet_free(struct zipin_sheet *s)
{
	if (s == NULL)
		return;
	free(s->name);
	free(s->want);
	free(s->chart);
	free(s->sheet);
	for (size_t i = 0; i < s->nsheets && i < ZIPIN_MAX_TABS; i++)
		free(s->tabs[i]);
	free(s->tabs);
	free(s->hidden);
	zipin_table_free(&s->t);
	free(s);
}
