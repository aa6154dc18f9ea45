/* csvin: read a guest-list export into records of UTF-8 fields (see csvin.h).
 *
 * The file is decoded to UTF-8 in memory at open. Records are then parsed on
 * demand by feeding libcsv one physical line at a time (a line ends at LF,
 * CRLF or a lone CR): that is how a record knows the line it starts on, even
 * after quoted fields with embedded newlines and after blank lines, without
 * counting newlines inside fields after the fact.
 *
 * After a line is fed, either libcsv ended the record at the line's
 * terminator, or the line left a quoted field open. So "no record end after a
 * non-blank line" means "inside quotes", which is also how an unterminated
 * quote is found at the end of the file: libcsv's CSV_STRICT_FINI only works
 * together with CSV_STRICT, and strict mode would reject the stray quotes in
 * unquoted fields (Jan "JJ" Smit) that hand-edited files have.
 *
 * A line that starts a record and holds no quote at all is a whole record;
 * it is split at the delimiter directly, which is what libcsv would do byte
 * by byte, and keeps a 100,000-guest export well under a second.
 *
 * A record whose fields are all empty after trimming (Excel writes ";;;;"
 * rows for formatted but empty cells) is skipped like a blank line. A first
 * line "sep=;" (Excel's way of naming the delimiter) is obeyed and skipped. */
#include "core/csvin.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define CSVIN_MAX_FIELDS 10000 /* per record; more is not a guest list */

struct csvin {
	char *name;                  /* path or caller's name, for messages */
	char *text;                  /* allocation that holds data */
	char *data;                  /* decoded UTF-8 text, NUL-terminated */
	size_t len;                  /* bytes in data */
	size_t pos;                  /* offset of the next physical line */
	size_t line;                 /* 1-based number of the line at pos */
	size_t next_lf;              /* line_end's: where the next LF is */
	char delim;                  /* ',', ';' or '\t' */
	enum csvin_encoding enc;     /* what the bytes were */
	bool ascii;             /* every byte of the file is ASCII */
	size_t utf8_lines;      /* of a Windows-1252 file: lines that were UTF-8 */
	size_t utf8_line;       /* and the first of them */
	size_t cp1252_lines;    /* of a UTF-8 file: lines read as Windows-1252 */
	size_t cp1252_line;     /* and the first of them */
	size_t *cp1252_at;      /* and each of them, in order (cp1252_lines) */
	size_t invalid_lines;   /* of a UTF-8 file: lines left with bytes not UTF-8 */

	struct csv_parser parser;    /* libcsv state between lines */
	int parser_ready;            /* parser was initialised (needs csv_free) */
	int in_record;               /* a record has begun and not ended */
	int record_done;             /* libcsv reported the end of a record */
	int too_many;                /* the record passed CSVIN_MAX_FIELDS */
	int ended;                   /* all input consumed */
	char *failure;               /* message of a fatal parse error, repeated */
	size_t record_line;          /* line the current record started on */
	size_t field_line;           /* line the current field started on */

	bool quoted;                 /* the next line starts inside a quoted field */
	struct buf mended;           /* a line with a stray quote, as fed to libcsv */
	struct buf arena;            /* field bytes of the record, NUL after each */
	size_t nfields;              /* fields in the record so far */
	size_t cap;                  /* slots in offs, lens and fields */
	size_t *offs;                /* start of each field in arena */
	size_t *lens;                /* length of each field */
	char **fields;               /* pointers into arena, built at record end */
};

#define LF_UNKNOWN SIZE_MAX
static size_t line_end(const char *s, size_t len, size_t pos, size_t *lf);

static int
is_ws(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' ||
	    ch == '\f';
}

/* In the n bytes at s: *chars multi-byte UTF-8 characters, and *bad bytes
 * of 0x80 and above that are part of none. */
static void
count_utf8(const unsigned char *s, size_t n, size_t *chars, size_t *bad)
{
	size_t k;
	*chars = *bad = 0;
	for (size_t i = 0; i < n; i += k ? k : 1) {
		k = s[i] < 0x80 ? 1 : util_utf8_len(s + i, n - i);
		if (k > 1)
			(*chars)++;
		else if (k == 0)
			(*bad)++;
	}
}

/* in (n bytes) converted by cd to UTF-8, appended to out. grow is the most
 * UTF-8 bytes one input byte can become: 3 for Windows-1252, 2 for UTF-16
 * (a 2-byte unit becomes at most 3 bytes, a 4-byte pair 4). Fails with
 * *bad_at, the offset of the first byte that does not convert, and *err,
 * which the caller words. */
static int
iconv_append(iconv_t cd, const char *in, size_t n, size_t grow, struct buf *out,
    size_t *bad_at, int *err)
{
	char *dst = xmalloc(n * grow + 1), *ip = (char *)in, *op = dst;
	size_t il = n, ol = n * grow;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	*err = errno;
	if (r != (size_t)-1)
		buf_add(out, dst, (size_t)(op - dst));
	else
		*bad_at = (size_t)(ip - in);
	free(dst);
	return r == (size_t)-1 ? -1 : 0;
}

/* As iconv_append, from charset from into a new *out (NUL-terminated). */
static int
iconv_to_utf8(const char *from, const char *in, size_t n, size_t grow, char **out,
    size_t *outlen, size_t *bad_at, int *err)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1) {
		*bad_at = 0;
		*err = errno;
		return -1;
	}
	struct buf b;
	buf_init(&b, 0);
	int rc = iconv_append(cd, in, n, grow, &b, bad_at, err);
	iconv_close(cd);
	if (rc == 0) {
		*outlen = b.len;
		*out = b.len > 0 ? buf_take(&b) : xstrdup("");
	}
	buf_free(&b);
	return rc;
}

/* The 1-based line of the byte at offset at of s. */
static size_t
line_of(const char *s, size_t at)
{
	size_t line = 1;
	for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + at - p))) != NULL; p++)
		line++;
	return line;
}

/* Whether a line whose bytes are all UTF-8 reads as text written in it:
 * none of its two-byte characters outside Latin, Greek, Cyrillic, Hebrew
 * and Arabic (U+00A0 to U+017F, U+0370 to U+06FF), which is what
 * Windows-1252 text makes by chance: the French "CAFÉ :", É and a no-break
 * space, is UTF-8 for "CAFɠ:", and "Strauß GmbH" with a no-break space an
 * NKo letter. */
static bool
utf8_plausible(const unsigned char *u, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (u[i] < 0x80)
			continue;
		size_t k = util_utf8_len(u + i, len - i);
		unsigned cp = k == 2 ? (unsigned)(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F) : 0;
		if (k == 2 && !((cp >= 0xA0 && cp <= 0x17F) || (cp >= 0x370 && cp <= 0x6FF)))
			return false;
		i += k > 0 ? k - 1 : 0;
	}
	return true;
}

/* Whether a line from `from` to before `to` was read as Windows-1252 (of
 * a UTF-8 file: mixed_lines). */
static bool
converted_between(const struct csvin *c, size_t from, size_t to)
{
	size_t lo = 0, hi = c->cp1252_lines;
	while (lo < hi) { /* the first converted line at or after from */
		size_t mid = lo + (hi - lo) / 2;
		if (c->cp1252_at[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->cp1252_lines && c->cp1252_at[lo] < to;
}

/* A byte Windows-1252 leaves undefined: no text of its. */
static bool
cp1252_undefined(unsigned char b)
{
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

/* Bytes of a lower-case letter in Mac Roman (its accented letters at 0x87
 * to 0x9F: á à â ä ã å ç é è ê ë í ì î ï ñ ó ò ô ö õ ú ù û ü; ß, æ, ø, œ,
 * ÿ) and in Windows-1252 (š, œ, ž, and ß to ÿ but ÷). */
static bool
mac_lower(unsigned char b)
{
	return (b >= 0x87 && b <= 0x9F) || b == 0xA7 || b == 0xBE || b == 0xBF ||
	    b == 0xCF || b == 0xD8;
}

static bool
win_lower(unsigned char b)
{
	return b == 0x9A || b == 0x9C || b == 0x9E || (b >= 0xDF && b != 0xF7);
}

/* Whether a file that is not UTF-8 is Excel for Mac's "Comma Separated
 * Values" (once "CSV (Macintosh)"): Mac Roman, its lines ended by a lone
 * CR. Read as Windows-1252, its "Amélie" is "AmŽlie" and its "Jörg"
 * "Jšrg", and its ç, è, ê or ù, bytes Windows-1252 leaves undefined, make
 * it no text at all. It is, when its lines end so (no Windows program
 * writes that; an LF inside quotes is a cell's) and more of its bytes
 * are a lower-case letter in Mac Roman alone than in Windows-1252 alone:
 * an accented name is mostly lower case, and Windows-1252's own (é is E9)
 * are capitals or signs in Mac Roman. Other files with bytes
 * Windows-1252 leaves undefined are still refused: every byte is a Mac
 * Roman character, but not every file is Mac Roman. */
static bool
macroman_likely(const unsigned char *u, size_t n)
{
	size_t mac = 0, win = 0;
	bool cr = false, quoted = false;
	for (size_t i = 0; i < n; i++) {
		/* An LF inside quotes is a line break in a cell, which Excel
		 * writes as an LF whatever ends its lines (a doubled quote
		 * toggles twice). */
		quoted = quoted != (u[i] == '"');
		if (u[i] == '\n' && !quoted)
			return false;
		cr = cr || u[i] == '\r';
		if (u[i] < 0x80)
			continue;
		mac += mac_lower(u[i]) && !win_lower(u[i]);
		win += win_lower(u[i]) && !mac_lower(u[i]);
	}
	return cr && mac > win;
}

/* A file of two encodings to UTF-8, line by line: rows pasted from one
 * export into another. Each line counts alone (Windows-1252 is one byte a
 * character and never makes or takes a line end, a quote or a delimiter):
 *  - of a Windows-1252 file (utf8_file false), a line whose bytes are all
 *    UTF-8, with a letter beyond ASCII ("José" written C3 A9), is kept as
 *    it is rather than read as "JosÃ©", unless what UTF-8 makes of it is
 *    unlikely text (utf8_plausible); csvin_utf8_lines says how many. A
 *    byte Windows-1252 leaves undefined is no text of its: the file is
 *    refused by its line, most likely an old DOS or Mac save;
 *  - of a UTF-8 file, a line with bytes that are not UTF-8 ("Jos" E9) and
 *    no likely UTF-8 character is read as Windows-1252; csvin_cp1252_lines
 *    says how many. A line with both ("Zoë" and a stray byte), or with a
 *    byte Windows-1252 leaves undefined, is damaged: it stays as it is, for
 *    the caller to reject. */
static int
mixed_lines(struct csvin *c, const char *in, size_t n, bool utf8_file, char **out,
    size_t *outlen, char **cause)
{
	struct buf b;
	size_t line = 1;
	int rc = -1;
	iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
	if (cd == (iconv_t)-1)
		return util_fail(cause, "%s: cannot convert from Windows-1252: %s", c->name,
		    strerror(errno));
	buf_init(&b, 0);
	size_t lf = LF_UNKNOWN;
	for (size_t pos = 0; pos < n; line++) {
		size_t end = line_end(in, n, pos, &lf);
		const unsigned char *u = (const unsigned char *)in + pos;
		size_t len = end - pos, chars, bad, undefined = len;
		count_utf8(u, len, &chars, &bad);
		for (size_t i = 0; i < len && undefined == len; i++)
			if (cp1252_undefined(u[i]))
				undefined = i;
		bool convert;
		if (bad == 0 && chars > 0 && !utf8_file && utf8_plausible(u, len)) {
			if (c->utf8_lines++ == 0)
				c->utf8_line = line;
			convert = false;
		} else if (utf8_file) {
			convert = bad > 0 && (chars == 0 || !utf8_plausible(u, len)) &&
			    undefined == len;
			if (convert) {
				if (c->cp1252_lines == 0)
					c->cp1252_line = line;
				c->cp1252_at = xreallocarray(c->cp1252_at, c->cp1252_lines + 1,
				    sizeof *c->cp1252_at);
				c->cp1252_at[c->cp1252_lines++] = line;
			}
			c->invalid_lines += bad > 0 && !convert;
		} else {
			convert = bad > 0 || chars > 0;
			if (undefined < len) {
				util_fail(cause, "%s:%zu: not a text file (byte 0x%02X at offset "
				    "%zu is neither UTF-8 nor Windows-1252; an old DOS or Mac "
				    "encoding? save it as CSV UTF-8)", c->name, line, u[undefined],
				    pos + undefined);
				goto out;
			}
		}
		if (!convert) {
			buf_add(&b, in + pos, len);
		} else {
			size_t at;
			int err;
			if (iconv_append(cd, in + pos, len, 3, &b, &at, &err) != 0) {
				util_fail(cause, "%s:%zu: cannot convert from Windows-1252: %s",
				    c->name, line, strerror(err));
				goto out;
			}
		}
		pos = end;
	}
	*outlen = b.len;
	*out = b.len > 0 ? buf_take(&b) : xstrdup("");
	rc = 0;
out:
	buf_free(&b);
	iconv_close(cd);
	return rc;
}

/* Excel's "Unicode text" (and Notepad's "Unicode"): UTF-16, little-endian
 * unless big says otherwise, without its BOM, to UTF-8. A unit that is no
 * character (half a surrogate pair) or a file cut in the middle of one is
 * refused by its line, which is what the organiser can find. */
static int
utf16_to_utf8(const char *name, const char *in, size_t n, bool big, size_t from,
    char **out, size_t *outlen, char **cause)
{
	size_t at;
	int err;
	if (iconv_to_utf8(big ? "UTF-16BE" : "UTF-16LE", in, n, 2, out, outlen, &at,
	    &err) == 0)
		return 0;
	if (err != EILSEQ && err != EINVAL)
		return util_fail(cause, "%s: cannot convert from UTF-16: %s", name,
		    strerror(err));
	size_t line = 1;
	for (size_t i = 0; i + 1 < at; i += 2)
		line += in[i + big] == '\n' && in[i + !big] == '\0';
	if (err == EINVAL)
		return util_fail(cause, "%s:%zu: the file ends in the middle of a "
		    "character (UTF-16 cut short; save it again)", name, line);
	return util_fail(cause, "%s:%zu: not text (bytes at offset %zu are no UTF-16 "
	    "character)", name, line, from + at);
}

/* Decode raw bytes into c->data and c->enc. Takes raw (malloc'd, with a NUL
 * after n bytes): valid UTF-8 is used where it lies, since a big export
 * would otherwise be in memory twice. */
static int
decode(struct csvin *c, char *raw, size_t n, char **cause)
{
	const unsigned char *u = (const unsigned char *)raw;
	size_t skip = 0;

	/* Spreadsheets saved in the wrong format are the likely mistake; say so
	 * rather than report a NUL byte. */
	c->text = raw;
	if (n >= 4 && memcmp(raw, "PK\x03\x04", 4) == 0)
		return util_fail(cause, "%s: not a text file (a spreadsheet workbook, .xlsx or "
		    ".ods, or another zip file; save it as CSV UTF-8)", c->name);
	if (n >= 8 && memcmp(raw, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return util_fail(cause, "%s: not a text file (an Excel 97-2003 workbook, .xls; "
		    "save it as CSV UTF-8)", c->name);
	if (n >= 5 && memcmp(raw, "%PDF-", 5) == 0)
		return util_fail(cause, "%s: not a text file (a PDF; export the guest list from "
		    "the platform as CSV, or save it from a spreadsheet as CSV UTF-8)", c->name);
	/* UTF-16 by its BOM, or without one by the NULs of every other byte
	 * of the header's letters: converted, then read as any UTF-8 file. */
	bool bom16 = n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
	const char *nul = memchr(raw, '\0', n);
	if (bom16 || (nul != NULL && n >= 4 && ((u[0] != 0 && u[1] == 0 && u[2] != 0 &&
	    u[3] == 0) || (u[0] == 0 && u[1] != 0 && u[2] == 0 && u[3] != 0)))) {
		bool big = bom16 ? u[0] == 0xFE : u[0] == 0;
		size_t from = bom16 ? 2 : 0, len = 0;
		char *utf8 = NULL;
		if (utf16_to_utf8(c->name, raw + from, n - from, big, from, &utf8, &len, cause) != 0)
			return -1;
		free(raw);
		c->text = raw = utf8;
		u = (const unsigned char *)raw;
		n = len;
		c->enc = CSVIN_UTF16;
		/* A BOM written again inside (U+FEFF) is no letter either. */
		if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
			skip = 3;
		nul = memchr(raw, '\0', n);
		if (nul != NULL)
			return util_fail(cause, "%s: not a text file (a NUL character, U+0000, "
			    "at line %zu)", c->name, line_of(raw, (size_t)(nul - raw)));
	} else if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
		skip = 3;
	}
	if (nul != NULL)
		return util_fail(cause, "%s: not a text file (a NUL byte at line %zu, offset %zu; "
		    "save it as CSV UTF-8)", c->name, line_of(raw, (size_t)(nul - raw)),
		    (size_t)(nul - raw));
	size_t i;
	for (i = skip; i < n && is_ws(u[i]); i++)
		;
	if (i == n)
		return util_fail(cause, "%s: file is empty", c->name);

	if (c->enc == CSVIN_UTF16 || util_utf8_valid(raw + skip, n - skip)) {
		c->ascii = true;
		for (i = skip; i < n && c->ascii; i++)
			c->ascii = u[i] < 0x80;
		if (c->enc != CSVIN_UTF16)
			c->enc = skip ? CSVIN_UTF8_BOM : CSVIN_UTF8;
		c->data = raw + skip;
		c->len = n - skip;
		return 0;
	}
	/* Real UTF-8 characters say the file is UTF-8 and some lines are
	 * not (two exports pasted together, an edit in another editor).
	 * Reading it all as Windows-1252 would garble every accented name;
	 * keep UTF-8 and read those lines alone (mixed_lines). But a
	 * Windows-1252 file holds the odd pair that happens to be UTF-8 ("É"
	 * and a no-break space): the header decides then. */
	size_t chars, bad, head_chars, head_bad;
	count_utf8(u + skip, n - skip, &chars, &bad);
	/* The header says most: written in UTF-8 ("Prénom", "Société"), the
	 * file is UTF-8 however many rows were pasted in from elsewhere (read
	 * line by line, not the header garbled into columns nobody knows);
	 * written in Windows-1252, the file is, unless its rows are plainly
	 * UTF-8 (then the header is refused as mixed). */
	const unsigned char *eol = memchr(u + skip, '\n', n - skip);
	count_utf8(u + skip, eol ? (size_t)(eol - (u + skip)) : n - skip, &head_chars, &head_bad);
	size_t row_chars = chars - head_chars, row_bad = bad - head_bad;
	bool is_utf8;
	if (head_chars > 0 && head_bad == 0)
		is_utf8 = true;
	else if (head_bad > 0 && head_chars == 0)
		is_utf8 = row_chars > 0 && row_chars >= 4 * row_bad;
	else /* an ASCII header: the rows decide, leaning to UTF-8. A UTF-8
	      * file with a few lines of other bytes has those read alone,
	      * rather than every accented name garbled as Windows-1252;
	      * but a Windows-1252 file's one "É"
	      * before a no-break space (UTF-8 for "ɠ") among its many accented
	      * names does not make it UTF-8 and those names invalid. */
		is_utf8 = row_chars > 0 && row_bad <= 4 * row_chars;
	char *utf8 = NULL;
	if (!is_utf8 && macroman_likely(u + skip, n - skip)) {
		size_t at;
		int err;
		/* a Mac Roman byte is at most U+F8FF: 3 bytes of UTF-8 */
		if (iconv_to_utf8("MACINTOSH", raw + skip, n - skip, 3, &utf8, &c->len, &at,
		    &err) != 0)
			return util_fail(cause, "%s: cannot convert from Mac Roman: %s", c->name,
			    strerror(err));
		c->enc = CSVIN_MACROMAN;
		free(c->text);
		c->text = c->data = utf8;
		return 0;
	}
	if (mixed_lines(c, raw + skip, n - skip, is_utf8, &utf8, &c->len, cause) != 0)
		return -1;
	if (!is_utf8)
		c->enc = CSVIN_CP1252;
	else if (c->invalid_lines > 0)
		c->enc = CSVIN_UTF8_INVALID;
	else
		c->enc = skip ? CSVIN_UTF8_BOM : CSVIN_UTF8;
	free(c->text);
	c->text = c->data = utf8;
	return 0;
}

/* End of the physical line starting at pos: the offset just past its
 * terminator (LF, CRLF or lone CR), or len for a last line without one.
 * *lf remembers where the next LF is (len: none; LF_UNKNOWN to begin
 * with), so that a file of lone CRs (Excel's "CSV (Macintosh)") is not
 * searched to its end for an LF at every line, which made reading one
 * quadratic. */
static size_t
line_end(const char *s, size_t len, size_t pos, size_t *lf)
{
	if (*lf == LF_UNKNOWN || *lf < pos) {
		const char *at = memchr(s + pos, '\n', len - pos);
		*lf = at != NULL ? (size_t)(at - s) : len;
	}
	size_t stop = *lf;
	const char *cr = memchr(s + pos, '\r', stop - pos);

	if (cr == NULL)
		return stop < len ? stop + 1 : len;
	size_t i = (size_t)(cr - s);
	return i + 1 < len && s[i + 1] == '\n' ? i + 2 : i + 1;
}

static int
line_blank(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!is_ws((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Excel honours a first line "sep=;" naming the delimiter; so do we. */
static int
sep_line(struct csvin *c)
{
	size_t lf = LF_UNKNOWN;
	size_t end = c->len > 0 ? line_end(c->data, c->len, 0, &lf) : 0;
	size_t n = end;

	while (n > 0 && (c->data[n - 1] == '\n' || c->data[n - 1] == '\r'))
		n--;
	if (n != 5 || strncmp(c->data, "sep=", 4) != 0)
		return 0;
	char d = c->data[4];
	if (d != ',' && d != ';' && d != '\t')
		return 0;
	c->delim = d;
	c->pos = end;
	c->line = 2;
	return 1;
}

/* The delimiter: of tab, semicolon and comma, one the header record (the
 * first non-blank one) has, outside quotes; the one that as many of the
 * records after it as can be (up to DETECT_RECORDS, in the first
 * DETECT_BYTES) have as often as the header, then the one the header has
 * most, then tab, semicolon, comma in that order. A header of a Belgian
 * Excel "Nom, prénom;E-mail" has one comma and one semicolon: its rows
 * ("Naam;Vragen, opmerkingen" above "Jan;Geen") often say which, and when
 * they say nothing more ("Dupont, Jean;jd@example.org") a comma inside a
 * field is far likelier than a semicolon. None at all: one column, comma. */
#define DETECT_RECORDS 20
#define DETECT_BYTES (64 * 1024)
static char
detect_from(const char *s, size_t len, size_t pos, size_t *agreed, size_t *rows,
    size_t *next)
{
	static const char cand[3] = { '\t', ';', ',' }; /* a tie goes to the first */
	size_t head[3] = { 0 }, agree[3] = { 0 }, cur[3] = { 0 };
	size_t records = 0; /* records ended; the first is the header */
	int quoted = 0, started = 0;
	size_t end = len - pos > DETECT_BYTES ? pos + DETECT_BYTES : len;
	*next = len;

	for (size_t i = pos; i <= end && records <= DETECT_RECORDS; i++) {
		/* The end of the file ends a record; the end of the sample, cut
		 * inside one, does not. */
		bool eol = i == end ? end == len : !quoted && (s[i] == '\n' || s[i] == '\r');
		if (i == end || eol) {
			/* A title above the header ("Guest list, Saturday") has no
			 * delimiter: the header is the first record with one. */
			if (eol && started && records == 0 && cur[0] + cur[1] + cur[2] == 0)
				started = 0;
			if (eol && started) {
				for (int k = 0; k < 3; k++) {
					if (records == 0)
						head[k] = cur[k];
					else
						agree[k] += cur[k] == head[k];
				}
				if (records == 0)
					*next = i + 1;
				records++;
			}
			memset(cur, 0, sizeof cur);
			started = 0;
			continue;
		}
		char ch = s[i];
		if (ch == '"')
			quoted = !quoted;
		for (int k = 0; k < 3 && !quoted; k++)
			cur[k] += ch == cand[k];
		if (!is_ws((unsigned char)ch))
			started = 1;
	}
	int best = -1;
	for (int k = 0; k < 3; k++)
		if (head[k] > 0 && (best < 0 || agree[k] > agree[best] ||
		    (agree[k] == agree[best] && head[k] > head[best])))
			best = k;
	*agreed = best < 0 ? 0 : agree[best];
	*rows = records > 0 ? records - 1 : 0;
	return best < 0 ? ',' : cand[best];
}

/* A title above the header with a delimiter in it ("Guest list, Saturday"
 * above "First Name;Last Name"): no record below agrees with it. The
 * header is then looked for below it, a few records down at most. */
#define DETECT_TITLES 3
static char
detect_delimiter(const char *s, size_t len, size_t pos)
{
	size_t agreed, rows, next;
	char d = detect_from(s, len, pos, &agreed, &rows, &next);
	for (int t = 0; t < DETECT_TITLES && rows > 1 && agreed == 0 && next < len; t++) {
		size_t a2, r2, n2;
		char d2 = detect_from(s, len, next, &a2, &r2, &n2);
		if (a2 > 0)
			return d2;
		next = n2;
	}
	return d;
}

static void
grow(struct csvin *c)
{
	size_t cap = c->cap ? c->cap * 2 : 32;

	c->offs = xreallocarray(c->offs, cap, sizeof *c->offs);
	c->lens = xreallocarray(c->lens, cap, sizeof *c->lens);
	c->fields = xreallocarray(c->fields, cap, sizeof *c->fields);
	c->cap = cap;
}

/* Append one field to the record: trimmed, with CRLF and CR inside it made
 * LF. */
static void
add_field(struct csvin *c, const char *s, size_t n)
{
	if (c->too_many)
		return;
	if (c->nfields == CSVIN_MAX_FIELDS) {
		c->too_many = 1;
		return;
	}
	while (n > 0 && is_ws((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_ws((unsigned char)s[n - 1]))
		n--;
	if (c->nfields == c->cap)
		grow(c);
	size_t start = c->arena.len;
	if (memchr(s, '\r', n) == NULL) {
		buf_add(&c->arena, s, n);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (s[i] != '\r')
				buf_addc(&c->arena, s[i]);
			else if (i + 1 == n || s[i + 1] != '\n')
				buf_addc(&c->arena, '\n');
		}
	}
	c->offs[c->nfields] = start;
	c->lens[c->nfields] = c->arena.len - start;
	c->nfields++;
	buf_addc(&c->arena, '\0');
}

/* libcsv: one field ended. */
static void
on_field(void *p, size_t n, void *arg)
{
	struct csvin *c = arg;

	/* The next field starts on the line being fed: the delimiter is here. */
	c->field_line = c->line;
	add_field(c, p ? p : "", n);
}

/* libcsv: the record ended. */
static void
on_record(int term, void *arg)
{
	struct csvin *c = arg;

	(void)term;
	c->record_done = 1;
}

/* Open on raw, which this takes over whatever happens. */
static int
open_owned(char *raw, size_t len, const char *name, struct csvin **out,
    char **cause)
{
	struct csvin *c = NULL;
	int rc = -1;

	c = xcalloc(1, sizeof *c);
	c->name = xstrdup(name);
	c->line = 1;
	c->next_lf = LF_UNKNOWN;
	buf_init(&c->arena, 0);
	buf_init(&c->mended, 0);
	if (decode(c, raw, len, cause) != 0)
		goto out;
	if (!sep_line(c))
		c->delim = detect_delimiter(c->data, c->len, 0);

	if (csv_init(&c->parser, CSV_APPEND_NULL) != 0) {
		util_fail(cause, "%s: cannot start the CSV parser", name);
		goto out;
	}
	c->parser_ready = 1;
	csv_set_delim(&c->parser, (unsigned char)c->delim);
	/* Out of memory is fatal everywhere else too (util.h). */
	csv_set_realloc_func(&c->parser, xrealloc);
	csv_set_free_func(&c->parser, free);
	*out = c;
	c = NULL;
	rc = 0;
out:
	csvin_free(c);
	return rc;
}

int
csvin_open_mem(const char *data, size_t len, const char *name,
    struct csvin **out, char **cause)
{
	if (len > CSVIN_MAX_FILE)
		return util_fail(cause, "%s: file is larger than %u MiB", name,
		    CSVIN_MAX_FILE >> 20);
	char *raw = xmalloc(len + 1);
	if (len > 0)
		memcpy(raw, data, len);
	raw[len] = '\0';
	return open_owned(raw, len, name, out, cause);
}

int
csvin_open_take(char *raw, size_t len, const char *name, struct csvin **out,
    char **cause)
{
	return open_owned(raw, len, name, out, cause);
}

int
csvin_open_file(const char *path, struct csvin **out, char **cause)
{
	char *raw = NULL;
	size_t len = 0;

	if (util_read_file(path, CSVIN_MAX_FILE, &raw, &len, cause) != 0)
		return -1;
	return open_owned(raw, len, path, out, cause);
}

static void
start_record(struct csvin *c)
{
	c->in_record = 1;
	c->record_done = 0;
	c->too_many = 0;
	c->nfields = 0;
	c->record_line = c->line;
	c->field_line = c->line;
	c->quoted = false;
	buf_reset(&c->arena);
}

/* A whole record on one line without quotes is only split at delimiters;
 * most lines of an export are like that, and libcsv would read them byte by
 * byte to the same result. */
static void
split_plain(struct csvin *c, const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	for (;;) {
		const char *d = memchr(s, c->delim, n);
		if (d == NULL)
			break;
		add_field(c, s, (size_t)(d - s));
		n -= (size_t)(d - s) + 1;
		s = d + 1;
	}
	add_field(c, s, n);
}

/* A field that opens with a quote and closes it before its end, as in
 * "JJ" Smit (a nickname typed by hand): libcsv, not strict, reads the
 * quote as a letter and the field as still open, and takes the lines after
 * it into this one field until some later quote ends it, so that guests
 * vanish into a name. Each line fed to libcsv is walked here first, as
 * libcsv reads it (a doubled quote is a letter, spaces may stand between a
 * closing quote and the delimiter); a quote that closes a field with more
 * of it after is a stray. Without out, says whether the line has one. With
 * out, writes the line mended into it: the field is what was written,
 * quotes and all ("JJ" Smit), quoted again for libcsv; when its opening
 * quote was on an earlier line, the closing one is dropped (as Python's
 * csv module reads it). *quoted: whether the line starts, and then ends,
 * inside a quoted field. */
enum qstate { Q_START, Q_PLAIN, Q_QUOTED, Q_CLOSED, Q_TAIL };

static void
put(struct buf *out, const char *s, size_t n)
{
	if (out != NULL)
		buf_add(out, s, n);
}

static bool
quote_walk(const char *s, size_t n, char delim, bool *quoted, struct buf *out)
{
	enum qstate st = *quoted ? Q_QUOTED : Q_START;
	bool here = false;   /* the open field's quote is on this line */
	size_t open_src = 0; /* where it is in s */
	size_t open_at = 0;  /* and out->len before it */
	size_t spaces = 0;   /* after a closing quote */

	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool ends = ch == delim || ch == '\r' || ch == '\n';
		switch (st) {
		case Q_START:
			if (ch == '"') {
				open_at = out != NULL ? out->len : 0;
				open_src = i;
				put(out, &ch, 1);
				st = Q_QUOTED;
				here = true;
				continue;
			}
			if (!ends && ch != ' ' && ch != '\t')
				st = Q_PLAIN;
			put(out, &ch, 1);
			continue;
		case Q_PLAIN:
			st = ends ? Q_START : Q_PLAIN;
			put(out, &ch, 1);
			continue;
		case Q_QUOTED:
			if (ch == '"') {
				st = Q_CLOSED;
				spaces = 0;
			} else {
				put(out, &ch, 1);
			}
			continue;
		case Q_CLOSED:
			if (ch == '"' && spaces == 0) {
				put(out, "\"\"", 2);
				st = Q_QUOTED;
			} else if (ends) {
				put(out, "\"", 1);
				put(out, s + i - spaces, spaces);
				put(out, &ch, 1);
				st = Q_START;
			} else if (ch == ' ' || ch == '\t') {
				spaces++;
			} else {
				if (out == NULL)
					return true;
				if (here) {
					/* the field again from its opening quote, as
					 * written: each quote in it a letter */
					out->len = open_at;
					buf_addc(out, '"');
					for (size_t j = open_src; j < i; j++) {
						buf_addc(out, s[j]);
						if (s[j] == '"')
							buf_addc(out, '"');
					}
				} else {
					buf_add(out, s + i - spaces, spaces);
				}
				st = Q_TAIL;
				i--; /* this letter is the tail's */
			}
			continue;
		case Q_TAIL:
			if (ends) {
				put(out, "\"", 1);
				st = Q_START;
			} else if (ch == '"') {
				put(out, "\"", 1); /* doubled below */
			}
			put(out, &ch, 1);
			continue;
		}
	}
	/* A last line without its line end: libcsv is given one after it. */
	if (st == Q_CLOSED) {
		put(out, "\"", 1);
		put(out, s + n - spaces, spaces);
	} else if (st == Q_TAIL) {
		put(out, "\"", 1);
	}
	*quoted = st == Q_QUOTED;
	return false;
}

static int
feed(struct csvin *c, const char *s, size_t n, char **cause)
{
	if (csv_parse(&c->parser, s, n, on_field, on_record, c) != n)
		return util_fail(cause, "%s:%zu: %s", c->name, c->line,
		    csv_strerror(csv_error(&c->parser)));
	return 0;
}

static int
all_empty(const struct csvin *c)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (c->lens[i] != 0)
			return 0;
	return 1;
}

/* csvin_next without the memory of failure: returns 1, 0 or -1 with *msg. */
static int
next_record(struct csvin *c, struct csvin_record *rec, char **msg)
{
	for (;;) {
		if (c->pos >= c->len) {
			if (c->ended || !c->in_record) {
				c->ended = 1;
				return 0;
			}
			/* A last line without a terminator: end it for libcsv. If
			 * that still ends no record, a quoted field is open. */
			c->ended = 1;
			if (feed(c, "\n", 1, msg) != 0)
				return -1;
			if (!c->record_done)
				return util_fail(msg, "%s:%zu: a quoted field starts "
				    "here and never ends", c->name, c->field_line);
		} else {
			size_t end = line_end(c->data, c->len, c->pos, &c->next_lf);
			/* A BOM starting a line (two exports pasted together, the
			 * second's BOM and header among the rows) is no text:
			 * before it, "\"First Name\"" would not be a quoted field. */
			if (!c->in_record && end - c->pos >= 3 &&
			    memcmp(c->data + c->pos, "\xEF\xBB\xBF", 3) == 0)
				c->pos += 3;
			if (!c->in_record) {
				if (line_blank(c->data, c->pos, end)) {
					c->pos = end;
					c->line++;
					continue;
				}
				start_record(c);
				if (memchr(c->data + c->pos, '"', end - c->pos) == NULL) {
					split_plain(c, c->data + c->pos, end - c->pos);
					c->record_done = 1;
				}
			}
			if (!c->record_done) {
				const char *line = c->data + c->pos;
				size_t n = end - c->pos;
				bool quoted = c->quoted;
				if (quote_walk(line, n, c->delim, &quoted, NULL)) {
					buf_reset(&c->mended);
					quoted = c->quoted;
					quote_walk(line, n, c->delim, &quoted, &c->mended);
					line = c->mended.data;
					n = c->mended.len;
				}
				c->quoted = quoted;
				if (feed(c, line, n, msg) != 0)
					return -1;
			}
			c->pos = end;
			c->line++;
			if (!c->record_done)
				continue;
		}

		c->in_record = 0;
		c->record_done = 0;
		if (c->too_many)
			return util_fail(msg, "%s:%zu: more than %d fields in one "
			    "record", c->name, c->record_line, CSVIN_MAX_FIELDS);
		if (all_empty(c))
			continue;
		for (size_t i = 0; i < c->nfields; i++)
			c->fields[i] = c->arena.data + c->offs[i];
		rec->line = c->record_line;
		rec->cp1252 = converted_between(c, c->record_line, c->line);
		rec->nfields = c->nfields;
		rec->fields = c->fields;
		rec->lens = c->lens;
		return 1;
	}
}

int
csvin_next(struct csvin *c, struct csvin_record *rec, char **cause)
{
	/* A file that failed once stays failed: the parser state is lost. */
	if (c->failure == NULL) {
		int rc = next_record(c, rec, &c->failure);
		if (rc >= 0)
			return rc;
	}
	return util_fail(cause, "%s", c->failure);
}

size_t
csvin_lines_left(const struct csvin *c)
{
	size_t n = 1, lf = LF_UNKNOWN;
	for (size_t pos = c->pos; pos < c->len; n++)
		pos = line_end(c->data, c->len, pos, &lf);
	return n;
}

char
csvin_delimiter(const struct csvin *c)
{
	return c->delim;
}

enum csvin_encoding
csvin_encoding(const struct csvin *c)
{
	return c->enc;
}

bool
csvin_ascii(const struct csvin *c)
{
	return c->ascii;
}

size_t
csvin_utf8_lines(const struct csvin *c, size_t *first)
{
	if (first != NULL)
		*first = c->utf8_line;
	return c->utf8_lines;
}

size_t
csvin_cp1252_lines(const struct csvin *c, size_t *first)
{
	if (first != NULL)
		*first = c->cp1252_line;
	return c->cp1252_lines;
}

const char *
csvin_encoding_name(enum csvin_encoding e)
{
	switch (e) {
	case CSVIN_UTF8:
		return "UTF-8";
	case CSVIN_UTF8_BOM:
		return "UTF-8 with BOM";
	case CSVIN_UTF8_INVALID:
		return "UTF-8 with invalid bytes";
	case CSVIN_CP1252:
		return "Windows-1252";
	case CSVIN_UTF16:
		return "UTF-16";
	case CSVIN_MACROMAN:
		return "Mac Roman";
	}
	return "unknown";
}

const char *
csvin_name(const struct csvin *c)
{
	return c->name;
}

void
csvin_free(struct csvin *c)
{
	if (c == NULL)
		return;
	if (c->parser_ready)
		csv_free(&c->parser);
	free(c->fields);
	free(c->lens);
	free(c->offs);
	buf_free(&c->arena);
	buf_free(&c->mended);
	free(c->failure);
	free(c->cp1252_at);
	free(c->text);
	free(c->name);
	free(c);
}
