/* xlsxin: read a guest list saved as an Excel workbook (see xlsxin.h).
 *
 * The parts are read in the order each needs the one before: the package's
 * relationships name the workbook; the workbook names its sheets (the
 * first visible worksheet is read) and, through its relationships, where
 * the sheets, the shared strings and the styles are; the styles say which
 * cells hold dates; then the sheet's cells are read, each value kept once
 * in one buffer, and handed out row by row.
 *
 * Each part is unpacked through zipin (zipin.h: its limits, a DTD
 * refused) into expat with namespaces, so that a prefix other than
 * Excel's reads the same; nothing of the XML is kept but the values. */
#include "core/xlsxin.h"

#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/xlnumfmt.h"
#include "core/zipin.h"

#define MAX_ROW 1048576u   /* Excel's last row */
#define MAX_COL 16384u     /* Excel's last column, XFD */

/* What a damaged workbook's messages end with. */
#define AGAIN "save it again as .xlsx or CSV UTF-8"

/* --- what it is: the refusals ------------------------------------------- */

bool
xlsxin_magic(const void *head, size_t n)
{
	return (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0) ||
	    (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0);
}

/* An OLE2 compound file: an .xls, or an .xlsx with a password, whose
 * package is encrypted inside one (its stream "EncryptedPackage", named in
 * UTF-16 in the file's directory). */
static int
refuse_ole(const char *name, const unsigned char *d, size_t n, char **cause)
{
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	for (size_t i = 0; i + sizeof enc - 1 <= n; i++)
		if (d[i] == 'E' && memcmp(d + i, enc, sizeof enc - 1) == 0)
			return util_fail(cause, "%s: a workbook protected with a password, which "
			    "kiosk cannot open: open it in Excel with the password and save it "
			    "without one (File > Info > Protect Workbook > Encrypt with Password, "
			    "emptied), as .xlsx or CSV UTF-8, or ask for the list without a "
			    "password", name);
	return util_fail(cause, "%s: an Excel 97-2003 workbook (.xls), which kiosk cannot "
	    "read: save it as .xlsx (Excel Workbook) or CSV UTF-8 and import that", name);
}

/* --- a part of the zip through expat -------------------------------------- */

struct part {
	struct zipin_part zp; /* first: expat's handlers get it */
	struct zipin_sheet *x;
};

static void
part_fail(struct part *pt, char *why)
{
	zipin_fail(&pt->zp, why);
}

static bool
keep(struct part *pt, size_t n)
{
	return zipin_keep(&pt->zp, n);
}

static int
read_part(struct zipin *z, const char *path, bool must_exist, struct part *pt,
    XML_StartElementHandler start, XML_EndElementHandler end,
    XML_CharacterDataHandler text, char **cause)
{
	return zipin_read_part(z, path, must_exist, &pt->zp, start, end, text, cause);
}

/* Append character data to b, stopping the part past what may be kept. */
static void
collect(struct part *pt, struct buf *b, const XML_Char *s, int len)
{
	if (len > 0 && keep(pt, (size_t)len) && buf_add(b, s, (size_t)len) != 0)
		part_fail(pt, xstrdup("out of memory"));
}

/* --- relationships: Id -> Target and Type --------------------------------- */

struct rel {
	char *id, *target, *type;
};

struct rels {
	struct part pt;
	struct rel *r;
	size_t n;
};

static void XMLCALL
rels_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct rels *rs = arg;
	if (strcmp(zipin_local(name), "Relationship") != 0)
		return;
	const char *id = zipin_attr(atts, "Id", false);
	const char *target = zipin_attr(atts, "Target", false);
	const char *type = zipin_attr(atts, "Type", false);
	const char *mode = zipin_attr(atts, "TargetMode", false);
	if (id == NULL || target == NULL || (mode != NULL && strcmp(mode, "External") == 0))
		return;
	if (rs->n == 4096) {
		part_fail(&rs->pt, xasprintf("%s lists more than 4096 parts", rs->pt.zp.path));
		return;
	}
	rs->r = xreallocarray(rs->r, rs->n + 1, sizeof *rs->r);
	rs->r[rs->n++] = (struct rel){ xstrdup(id), xstrdup(target), xstrdup(type ? type : "") };
}

static void
rels_free(struct rels *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->r[i].id);
		free(rs->r[i].target);
		free(rs->r[i].type);
	}
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

/* Whether a relationship's type is the one named by its last word ("/styles"),
 * in the transitional or the strict namespace alike. */
static bool
rel_is(const struct rel *r, const char *what)
{
	const char *slash = strrchr(r->type, '/');
	return slash != NULL && strcmp(slash + 1, what) == 0;
}

/* A target as a zip entry name: relative to dir ("xl/"), or absolute; its
 * "." and ".." resolved as OPC resolves a URI ("../xl/worksheets/sheet1.xml"
 * from xl/ is xl/worksheets/sheet1.xml: zip names are never resolved). One
 * that climbs above the package is left as written, for the part not found
 * to name it. A new string. */
static char *
rel_path(const char *dir, const char *target)
{
	char *path = target[0] == '/' ? xstrdup(target + 1) : xasprintf("%s%s", dir, target);
	char *out = xmalloc(strlen(path) + 1);
	size_t n = 0;
	for (const char *seg = path; *seg != '\0';) {
		const char *slash = strchr(seg, '/');
		size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (n == 0) { /* above the package's top */
				free(out);
				return path;
			}
			while (--n > 0 && out[n - 1] != '/')
				;
		} else if (len > 0 && !(len == 1 && seg[0] == '.')) {
			memcpy(out + n, seg, len);
			n += len;
			if (slash != NULL)
				out[n++] = '/';
		}
		seg += len + (slash != NULL);
	}
	out[n] = '\0';
	free(path);
	return out;
}

/* --- the workbook: its sheets and date system ------------------------------ */

struct sheetref {
	char *name, *rid;
	bool hidden;
};

struct book {
	struct part pt;
	struct sheetref *s;
	size_t n;
	bool date1904;
};

static void XMLCALL
book_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct book *b = arg;
	const char *l = zipin_local(name);
	if (strcmp(l, "workbookPr") == 0) {
		const char *v = zipin_attr(atts, "date1904", false);
		b->date1904 = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(l, "sheet") == 0) {
		const char *sname = zipin_attr(atts, "name", false), *rid = zipin_attr(atts, "id", true);
		const char *state = zipin_attr(atts, "state", false);
		if (b->n == MAX_COL) {
			part_fail(&b->pt, xstrdup("the workbook lists too many sheets"));
			return;
		}
		b->s = xreallocarray(b->s, b->n + 1, sizeof *b->s);
		b->s[b->n++] = (struct sheetref){ xstrdup(sname ? sname : ""),
			xstrdup(rid ? rid : ""), state != NULL && strcmp(state, "visible") != 0 };
	}
}

static void
book_free(struct book *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->s[i].name);
		free(b->s[i].rid);
	}
	free(b->s);
}

/* --- shared strings ---------------------------------------------------------- */

struct strings {
	struct part pt;
	struct buf text;    /* every string, NUL after each */
	size_t *off;        /* where each starts in text */
	size_t n, cap;
	bool in_si;         /* inside <si> */
	int in_rph;         /* inside <rPh> (a phonetic guide: not the text) */
	bool in_t;          /* inside a <t> of the string */
};

static void XMLCALL
strings_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct strings *ss = arg;
	const char *l = zipin_local(name);
	if (strcmp(l, "si") == 0) {
		ss->in_si = true;
		if (ss->n == ss->cap) {
			ss->cap = ss->cap ? 2 * ss->cap : 256;
			ss->off = xreallocarray(ss->off, ss->cap, sizeof *ss->off);
		}
		if (!keep(&ss->pt, sizeof *ss->off + 1))
			return;
		ss->off[ss->n++] = ss->text.len;
	} else if (strcmp(l, "rPh") == 0) {
		ss->in_rph++;
	} else if (strcmp(l, "t") == 0 && ss->in_si && ss->in_rph == 0) {
		ss->in_t = true;
	}
}

static void XMLCALL
strings_end(void *arg, const XML_Char *name)
{
	struct strings *ss = arg;
	const char *l = zipin_local(name);
	if (strcmp(l, "si") == 0 && ss->in_si) {
		ss->in_si = false;
		if (buf_addc(&ss->text, '\0') != 0)
			part_fail(&ss->pt, xstrdup("out of memory"));
	} else if (strcmp(l, "rPh") == 0 && ss->in_rph > 0) {
		ss->in_rph--;
	} else if (strcmp(l, "t") == 0) {
		ss->in_t = false;
	}
}

static void XMLCALL
strings_text(void *arg, const XML_Char *s, int len)
{
	struct strings *ss = arg;
	if (ss->in_t)
		collect(&ss->pt, &ss->text, s, len);
}

/* --- styles: which cell formats are dates, and their codes ------------------------ */

enum datekind { NOT_DATE, DATE, TIME, DATETIME };

struct fmt {
	unsigned id;
	enum datekind kind;
	char *code;             /* the format code, for xlnumfmt */
};

struct styles {
	struct part pt;
	struct fmt *fmts;       /* the workbook's own number formats */
	size_t nfmts;
	enum datekind *xf;      /* per cell format (a cell's s="") */
	const char **code;      /* per cell format: its code (in fmts or static), or
	                         * NULL for General and the built-ins xlnumfmt
	                         * does not render */
	size_t nxf;
	bool in_xfs;            /* inside <cellXfs> */
};

/* What a format code shows: a date, a time, both, or neither. Only the
 * first section counts (positive numbers); quoted text, escaped and
 * padding characters and [colour] or [$-locale] do not, [h] [mm] [ss]
 * (elapsed time) do. An m beside h or s is minutes, else a month (Excel
 * reads "mm" alone as one). */
static enum datekind
format_kind(const char *code)
{
	bool d = false, t = false, m = false;
	for (const char *p = code; *p != '\0' && *p != ';'; p++) {
		if (*p == '"') {
			while (p[1] != '\0' && p[1] != '"')
				p++;
			if (p[1] == '"')
				p++;
		} else if (*p == '\\' || *p == '_' || *p == '*') {
			if (p[1] != '\0')
				p++;
		} else if (*p == '[') {
			const char *close = strchr(p, ']');
			if (close == NULL)
				break;
			/* [h], [mm], [ss]: elapsed time; [Magenta] or [Mauve]
			 * a colour, [>=100] a condition */
			char c = (char)tolower((unsigned char)p[1]);
			const char *q = p + 1;
			while (q < close && tolower((unsigned char)*q) == c)
				q++;
			if (q == close && (c == 'h' || c == 'm' || c == 's'))
				t = true;
			p = close;
		} else {
			char c = (char)tolower((unsigned char)*p);
			if (c == 'd' || c == 'y')
				d = true;
			else if (c == 'h' || c == 's')
				t = true;
			else if (c == 'm')
				m = true;
		}
	}
	if (m && !d && !t)
		d = true; /* "mmmm" alone: a month, as Excel shows it (June) */
	return d && t ? DATETIME : d ? DATE : t ? TIME : NOT_DATE;
}

/* The built-in number formats that show dates (ECMA-376 18.8.30). */
static enum datekind
builtin_kind(unsigned id)
{
	if (id >= 14 && id <= 17)
		return DATE;
	if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
		return TIME;
	return id == 22 ? DATETIME : NOT_DATE;
}

static void XMLCALL
styles_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct styles *st = arg;
	const char *l = zipin_local(name);
	if (strcmp(l, "numFmt") == 0) {
		const char *id = zipin_attr(atts, "numFmtId", false);
		const char *code = zipin_attr(atts, "formatCode", false);
		if (id == NULL || code == NULL || st->nfmts == 65536)
			return;
		st->fmts = xreallocarray(st->fmts, st->nfmts + 1, sizeof *st->fmts);
		st->fmts[st->nfmts++] = (struct fmt){ (unsigned)strtoul(id, NULL, 10),
			format_kind(code), xstrdup(code) };
	} else if (strcmp(l, "cellXfs") == 0) {
		st->in_xfs = true;
	} else if (strcmp(l, "xf") == 0 && st->in_xfs) {
		if (st->nxf == 65536) {
			part_fail(&st->pt, xstrdup("more than 65536 cell formats"));
			return;
		}
		const char *id = zipin_attr(atts, "numFmtId", false);
		unsigned fid = id ? (unsigned)strtoul(id, NULL, 10) : 0;
		enum datekind k = builtin_kind(fid);
		const char *code = fid == 1 ? "0" : NULL; /* built-in 1: whole numbers */
		for (size_t i = 0; i < st->nfmts; i++)
			if (st->fmts[i].id == fid) {
				k = st->fmts[i].kind;
				code = st->fmts[i].code;
			}
		st->xf = xreallocarray(st->xf, st->nxf + 1, sizeof *st->xf);
		st->code = xreallocarray(st->code, st->nxf + 1, sizeof *st->code);
		st->code[st->nxf] = code;
		st->xf[st->nxf++] = k;
	}
}

static void XMLCALL
styles_end(void *arg, const XML_Char *name)
{
	struct styles *st = arg;
	if (strcmp(zipin_local(name), "cellXfs") == 0)
		st->in_xfs = false;
}

/* --- values as Excel writes them to CSV ------------------------------------------ */

/* Days from 1970-01-01 to a civil date's (Howard Hinnant's algorithm). */
static void
civil_from_days(long long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long yy = (long long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

/* A date serial as ISO 8601 text of its kind; false for one no date is
 * (negative, past year 9999): then the number is written. */
static bool
format_date(double v, enum datekind kind, bool date1904, char *out, size_t n)
{
	if (!isfinite(v) || v < 0 || v >= 2958466.0)
		return false;
	long long secs = llround(v * 86400.0);
	long long days = secs / 86400, s = secs % 86400;
	/* Excel's 1900 system counts a 29 February 1900 that never was: from
	 * serial 61 (1 March 1900) on, day 0 is 30 December 1899. */
	long long epoch = date1904 ? -24107 : days >= 61 ? -25569 : -25568;
	int y;
	unsigned mo, d;
	civil_from_days(days + epoch, &y, &mo, &d);
	int hh = (int)(s / 3600), mm = (int)(s / 60 % 60), ss = (int)(s % 60);
	if (kind == DATE)
		snprintf(out, n, "%04d-%02u-%02u", y, mo, d);
	else if (kind == TIME && days == 0)
		snprintf(out, n, "%02d:%02d:%02d", hh, mm, ss);
	else
		snprintf(out, n, "%04d-%02u-%02u %02d:%02d:%02d", y, mo, d, hh, mm, ss);
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode OOXML's _xHHHH_ escapes in place (a control character Excel kept:
 * "_x000D_" a carriage return); "_x005F_" is a literal '_'. A NUL stays
 * escaped: no text holds one. Returns the new length. */
static size_t
unescape(char *s, size_t len)
{
	size_t i = 0, o = 0;
	while (i < len) {
		int h0, h1, h2, h3;
		if (i + 7 <= len && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_' &&
		    (h0 = hexval(s[i + 2])) >= 0 && (h1 = hexval(s[i + 3])) >= 0 &&
		    (h2 = hexval(s[i + 4])) >= 0 && (h3 = hexval(s[i + 5])) >= 0) {
			unsigned u = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
			if (u != 0 && (u < 0xD800 || u > 0xDFFF)) {
				if (u < 0x80) {
					s[o++] = (char)u;
				} else if (u < 0x800) {
					s[o++] = (char)(0xC0 | u >> 6);
					s[o++] = (char)(0x80 | (u & 0x3F));
				} else {
					s[o++] = (char)(0xE0 | u >> 12);
					s[o++] = (char)(0x80 | (u >> 6 & 0x3F));
					s[o++] = (char)(0x80 | (u & 0x3F));
				}
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	return o;
}

/* --- the sheet ---------------------------------------------------------------- */

struct sheet {
	struct part pt;
	const struct strings *ss;
	const struct styles *st;
	bool date1904;
	bool in_data;       /* inside <sheetData> */
	uint32_t row;       /* the current row, 0 before the first */
	bool row_known;     /* its number given: by its r="", or its first cell's */
	uint32_t col;       /* the column of the current cell, or of the last */
	bool in_cell;
	char type[16];      /* the cell's t="" */
	enum datekind date; /* the cell's style's */
	const char *code;   /* its style's format code, NULL for General */
	bool in_v;          /* inside <v> */
	int in_is;          /* inside <is>; >1 inside its <rPh> */
	bool in_t;
	struct buf text;    /* the cell's <v> or inline string */
	bool sorted;        /* the cells came in row, then column order */
};

/* "C5": column 2 and row 5; false for a reference that is none. (ASCII
 * only, whatever the locale.) */
static bool
cell_ref(const char *r, uint32_t *col, uint32_t *row)
{
	uint32_t c = 0, w = 0;
	const char *p = r;
	for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
		c = c * 26 + (uint32_t)((*p & ~0x20) - 'A' + 1);
		if (c > MAX_COL)
			return false;
	}
	if (p == r || !(*p >= '0' && *p <= '9'))
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		w = w * 10 + (uint32_t)(*p - '0');
		if (w > MAX_ROW)
			return false;
	}
	if (*p != '\0' || w == 0)
		return false;
	*col = c - 1;
	*row = w;
	return true;
}

static void XMLCALL
sheet_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *sh = arg;
	const char *l = zipin_local(name);
	if (strcmp(l, "sheetData") == 0) {
		sh->in_data = true;
	} else if (strcmp(l, "mergeCell") == 0 && !sh->in_data) {
		/* ref="E2:E4": after the cells, the areas merged */
		const char *ref = zipin_attr(atts, "ref", false);
		const char *colon = ref ? strchr(ref, ':') : NULL;
		uint32_t c1, r1, c2, r2;
		char from[16];
		if (colon != NULL && (size_t)(colon - ref) < sizeof from) {
			memcpy(from, ref, (size_t)(colon - ref));
			from[colon - ref] = '\0';
			if (cell_ref(from, &c1, &r1) && cell_ref(colon + 1, &c2, &r2))
				zipin_table_merge(&sh->pt.x->t, &sh->pt.zp, r1, r2, c1);
		}
	} else if (!sh->in_data) {
		return;
	} else if (strcmp(l, "row") == 0) {
		const char *r = zipin_attr(atts, "r", false);
		unsigned long n = r ? strtoul(r, NULL, 10) : sh->row + 1ul;
		if (n == 0 || n > MAX_ROW) {
			part_fail(&sh->pt, xasprintf("a damaged workbook (row number '%s'); save "
			    "it again as .xlsx or CSV UTF-8", r ? r : ""));
			return;
		}
		sh->sorted = sh->sorted && n > sh->row;
		sh->row = (uint32_t)n;
		sh->row_known = r != NULL;
		sh->col = UINT32_MAX; /* the first cell without a reference is A */
	} else if (strcmp(l, "c") == 0) {
		const char *r = zipin_attr(atts, "r", false), *t = zipin_attr(atts, "t", false);
		const char *s = zipin_attr(atts, "s", false);
		uint32_t col = sh->col + 1, row = sh->row;
		if (sh->row > 0 && r != NULL && !sh->row_known && cell_ref(r, &col, &row)) {
			/* A row without r="" after an empty one left out: its
			 * cells say which it is. */
			sh->sorted = sh->sorted && row >= sh->row;
			sh->row = row;
		}
		if (sh->row > 0)
			sh->row_known = true;
		if (row == 0 || (r != NULL && !cell_ref(r, &col, &row)) || col >= MAX_COL ||
		    row != sh->row) {
			part_fail(&sh->pt, xasprintf("a damaged workbook (cell '%s' in row %u); "
			    "save it again as .xlsx or CSV UTF-8", r ? r : "", sh->row));
			return;
		}
		sh->sorted = sh->sorted && (sh->col == UINT32_MAX || col > sh->col);
		sh->col = col;
		sh->in_cell = true;
		snprintf(sh->type, sizeof sh->type, "%s", t ? t : "n");
		unsigned long xf = s ? strtoul(s, NULL, 10) : 0;
		sh->date = xf < sh->st->nxf ? sh->st->xf[xf] : NOT_DATE;
		sh->code = xf < sh->st->nxf ? sh->st->code[xf] : NULL;
		buf_reset(&sh->text);
	} else if (!sh->in_cell) {
		return;
	} else if (strcmp(l, "v") == 0) {
		sh->in_v = true;
	} else if (strcmp(l, "is") == 0) {
		sh->in_is = 1;
	} else if (strcmp(l, "rPh") == 0 && sh->in_is > 0) {
		sh->in_is++;
	} else if (strcmp(l, "t") == 0 && sh->in_is == 1) {
		sh->in_t = true;
	}
}

/* Keep the current cell's value (text of len bytes), trimmed. */
static void
keep_cell(struct sheet *sh, const char *text, size_t len)
{
	zipin_table_add(&sh->pt.x->t, &sh->pt.zp, sh->row, sh->col, text, len);
}

/* Keep a text cell's text as its style's text section shows it ("TKT-"@),
 * if it has one. */
static void
keep_text(struct sheet *sh, const char *text)
{
	char *shown = sh->code ? xlnumfmt_text(sh->code, text) : NULL;
	const char *s = shown ? shown : text;
	keep_cell(sh, s, strlen(s));
	free(shown);
}

/* The value of the cell just ended, as Excel's CSV would have it. */
static void
end_cell(struct sheet *sh)
{
	char num[256];
	const char *v = buf_cstr(&sh->text);
	size_t len = sh->text.len;
	const char *t = sh->type;

	if (strcmp(t, "s") == 0) {
		char *end = NULL;
		errno = 0;
		unsigned long i = strtoul(v, &end, 10);
		if (len == 0)
			return;
		if (errno != 0 || *end != '\0' || i >= sh->ss->n) {
			part_fail(&sh->pt, xasprintf("a damaged workbook (row %u names shared "
			    "string '%s' of %zu); save it again as .xlsx or CSV UTF-8", sh->row, v,
			    sh->ss->n));
			return;
		}
		const char *s = sh->ss->text.data + sh->ss->off[i];
		char *copy = xstrdup(s);
		copy[unescape(copy, strlen(copy))] = '\0';
		keep_text(sh, copy);
		free(copy);
	} else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
		char *copy = xstrndup(v, len);
		copy[unescape(copy, len)] = '\0';
		keep_text(sh, copy);
		free(copy);
	} else if (strcmp(t, "b") == 0) {
		if (len > 0)
			keep_cell(sh, strcmp(v, "0") == 0 ? "FALSE" : "TRUE",
			    strcmp(v, "0") == 0 ? 5 : 4);
	} else if (strcmp(t, "n") == 0) {
		char *end = NULL;
		if (len == 0)
			return;
		double d = strtod(v, &end);
		if (*end != '\0') { /* not a number after all: as written */
			keep_cell(sh, v, len);
			return;
		}
		if ((sh->date == NOT_DATE || !format_date(d, sh->date, sh->date1904, num,
		    sizeof num)) &&
		    (sh->code == NULL || !xlnumfmt_number(sh->code, d, num, sizeof num)))
			xlnumfmt_general(d, num, sizeof num);
		keep_cell(sh, num, strlen(num));
	} else { /* "e" (an error, "#N/A"), "d" (ISO 8601 already) */
		keep_cell(sh, v, len);
	}
}

static void XMLCALL
sheet_end(void *arg, const XML_Char *name)
{
	struct sheet *sh = arg;
	const char *l = zipin_local(name);
	if (strcmp(l, "sheetData") == 0) {
		sh->in_data = false;
	} else if (!sh->in_cell) {
		return;
	} else if (strcmp(l, "c") == 0) {
		sh->in_cell = false;
		sh->in_v = false;
		sh->in_is = 0;
		sh->in_t = false;
		end_cell(sh);
	} else if (strcmp(l, "v") == 0) {
		sh->in_v = false;
	} else if (strcmp(l, "rPh") == 0 && sh->in_is > 1) {
		sh->in_is--;
	} else if (strcmp(l, "is") == 0) {
		sh->in_is = 0;
	} else if (strcmp(l, "t") == 0) {
		sh->in_t = false;
	}
}

static void XMLCALL
sheet_text(void *arg, const XML_Char *s, int len)
{
	struct sheet *sh = arg;
	if (!sh->in_cell || !(sh->in_v || sh->in_t))
		return;
	/* held only until the cell ends; kept() counts what is kept */
	if (sh->text.len + (size_t)len > CSVIN_MAX_FILE) {
		part_fail(&sh->pt, xasprintf("row %u: a cell of more than %u MiB", sh->row,
		    CSVIN_MAX_FILE >> 20));
		return;
	}
	if (buf_add(&sh->text, s, (size_t)len) != 0)
		part_fail(&sh->pt, xstrdup("out of memory"));
}

/* --- opening ------------------------------------------------------------------ */

/* Say what a zip that is no workbook is. */
static int
not_workbook(struct zipin *z, const char *name, char **cause)
{
	char type[80];
	zipin_head(z, "mimetype", type, sizeof type);
	if (strncmp(type, "application/vnd.oasis.opendocument.spreadsheet", 46) == 0)
		/* odsin reads one whose mimetype is first, as ODF lays it out */
		return util_fail(cause, "%s: an OpenDocument spreadsheet (.ods) whose zip does "
		    "not begin with its mimetype, as LibreOffice writes one: open it in "
		    "LibreOffice and save it again (.ods), or as .xlsx or CSV UTF-8", name);
	if (strncmp(type, "application/vnd.oasis.opendocument", 34) == 0)
		return util_fail(cause, "%s: an OpenDocument file, not a guest list: export the "
		    "list as CSV UTF-8, .xlsx or .ods", name);
	if (zipin_has(z, "xl/workbook.bin"))
		return util_fail(cause, "%s: an Excel binary workbook (.xlsb), which kiosk cannot "
		    "read: save it as .xlsx (Excel Workbook) or CSV UTF-8 and import that", name);
	if (zipin_has(z, "word/document.xml") || zipin_has(z, "ppt/presentation.xml"))
		return util_fail(cause, "%s: a Word or PowerPoint file, not a guest list: export "
		    "the list as CSV UTF-8 or .xlsx", name);
	return util_fail(cause, "%s: a zip file that holds no workbook (no xl/workbook.xml): "
	    "unpack it and import the guest list inside, or export the list as CSV UTF-8 or "
	    ".xlsx", name);
}

/* Read the workbook in z into x. Returns 0 or -1 with *cause. */
static int
read_workbook(struct zipin_sheet *x, struct zipin *z, char **cause)
{
	struct rels pkg = { .pt.x = x }, wrels = { .pt.x = x };
	struct book book = { .pt.x = x };
	struct strings ss = { .pt.x = x };
	struct styles st = { .pt.x = x };
	struct sheet sh = { .pt.x = x, .sorted = true };
	char *book_path = NULL, *book_dir = NULL, *rels_path = NULL, *sheet_path = NULL;
	char *ss_path = NULL, *st_path = NULL;
	int rc = -1, got;

	buf_init(&ss.text, 0);
	buf_init(&sh.text, 0);
	/* The package's relationships name the workbook; Excel's is always
	 * xl/workbook.xml, which a zip without them is taken to have. */
	if (read_part(z, "_rels/.rels", false, &pkg.pt, rels_start, zipin_ignore_end, zipin_ignore_text,
	    cause) < 0)
		goto out;
	for (size_t i = 0; i < pkg.n && book_path == NULL; i++)
		if (rel_is(&pkg.r[i], "officeDocument"))
			book_path = rel_path("", pkg.r[i].target);
	if (book_path == NULL)
		book_path = xstrdup("xl/workbook.xml");
	if (!zipin_has(z, book_path)) {
		rc = not_workbook(z, x->name, cause);
		goto out;
	}
	const char *slash = strrchr(book_path, '/');
	book_dir = xstrndup(book_path, slash ? (size_t)(slash - book_path) + 1 : 0);
	rels_path = xasprintf("%s_rels/%s.rels", book_dir, slash ? slash + 1 : book_path);
	if (read_part(z, book_path, true, &book.pt, book_start, zipin_ignore_end, zipin_ignore_text,
	    cause) != 0 ||
	    read_part(z, rels_path, true, &wrels.pt, rels_start, zipin_ignore_end, zipin_ignore_text,
	    cause) != 0)
		goto out;
	/* The worksheet asked for, or the first visible one (a chart sheet
	 * has no cells). */
	for (size_t i = 0; i < book.n; i++) {
		const struct rel *ws = NULL;
		for (size_t k = 0; k < wrels.n && ws == NULL; k++)
			if (strcmp(wrels.r[k].id, book.s[i].rid) == 0 &&
			    rel_is(&wrels.r[k], "worksheet"))
				ws = &wrels.r[k];
		if (zipin_sheet_met(x, book.s[i].name, book.s[i].hidden, ws != NULL))
			sheet_path = rel_path(book_dir, ws->target);
	}
	if (sheet_path == NULL) {
		zipin_sheet_none(x, "the workbook has no visible worksheet: show the sheet with "
		    "the guest list (in Excel: right-click a tab > Unhide) and save it again", cause);
		goto out;
	}
	for (size_t k = 0; k < wrels.n; k++) {
		if (ss_path == NULL && rel_is(&wrels.r[k], "sharedStrings"))
			ss_path = rel_path(book_dir, wrels.r[k].target);
		else if (st_path == NULL && rel_is(&wrels.r[k], "styles"))
			st_path = rel_path(book_dir, wrels.r[k].target);
	}
	if (ss_path != NULL && (got = read_part(z, ss_path, false, &ss.pt, strings_start,
	    strings_end, strings_text, cause)) < 0)
		goto out;
	if (st_path != NULL && (got = read_part(z, st_path, false, &st.pt, styles_start,
	    styles_end, zipin_ignore_text, cause)) < 0)
		goto out;
	sh.ss = &ss;
	sh.st = &st;
	sh.date1904 = book.date1904;
	if (read_part(z, sheet_path, true, &sh.pt, sheet_start, sheet_end, sheet_text,
	    cause) != 0)
		goto out;
	/* Excel writes rows and cells in order; another program may not. */
	zipin_table_finish(&x->t, !sh.sorted);
	rc = 0;
out:
	rels_free(&pkg);
	rels_free(&wrels);
	book_free(&book);
	buf_free(&ss.text);
	free(ss.off);
	for (size_t i = 0; i < st.nfmts; i++)
		free(st.fmts[i].code);
	free(st.fmts);
	free(st.xf);
	free(st.code);
	buf_free(&sh.text);
	free(book_path);
	free(book_dir);
	free(rels_path);
	free(sheet_path);
	free(ss_path);
	free(st_path);
	return rc;
}

int
xlsxin_open_mem(const void *data, size_t len, const char *name, const char *want,
    struct zipin_sheet **out, char **cause)
{
	struct zipin_sheet *x = NULL;
	struct zipin *z = NULL;
	int rc = -1;

	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return refuse_ole(name, data, len, cause);
	if (zipin_open_mem(data, len, name, "workbook", AGAIN, &z, cause) != 0)
		return -1;
	x = zipin_sheet_new(name, want);
	if (read_workbook(x, z, cause) != 0)
		goto out;
	*out = x;
	x = NULL;
	rc = 0;
out:
	zipin_free(z);
	zipin_sheet_free(x);
	return rc;
}

int
xlsxin_open_file(const char *path, struct zipin_sheet **out, char **cause)
{
	char *raw = NULL;
	size_t len = 0;
	if (util_read_file(path, CSVIN_MAX_FILE, &raw, &len, cause) != 0)
		return -1;
	int rc = xlsxin_open_mem(raw, len, path, NULL, out, cause);
	free(raw);
	return rc;
}
