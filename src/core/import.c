/* import: bring a registration platform's export into the event (see import.h). */
#include "core/import.h"

#include <assert.h>
#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/code.h"
#include "core/fold.h"
#include "core/guest.h"
#include "core/merge.h"
#include "core/util.h"
#include "core/odsin.h"
#include "core/xlsxin.h"

/* The stored fields a row can set, in struct order. */
enum { F_FIRST, F_LAST, F_EMAIL, F_COMPANY, F_TYPE, F_HANDLE, F_EXTID, F_CODE, F__N };

static const char *const field_label[F__N] = {
	"first name", "last name", "email", "company", "ticket type", "handle", "id", "code",
};

struct row {
	size_t line;
	char *v[F__N];          /* NULL when the file has no such column */
	bool cancelled;
	bool has_status;
	bool named;             /* its names are read whole (note_rejected_names) */
	char *extra;            /* JSON object text of the other columns */
	bool extra_whole;       /* extra is all the guest's extras (our own listing) */
	char *match_key;        /* name_key(), when the row has neither code nor id */
	char *alt_key;          /* the key without the tussenvoegsel, or NULL */
	char *bare_id;          /* pretix's Position ID without its order, or NULL */
	char *lf_full;          /* a row without code or id: its name written last
	                         * name first, for lookup_name's last try */
	const char *language;   /* en/nl/fr/de or "" (static); NULL: no such column */
	char *warning;          /* about an accepted row (an unknown language), or NULL */
};

/* A rejected row, or a warning about an accepted one. */
struct reject {
	size_t line;
	char *reason;
};

/* An array one thread appends to while others read what it published: in
 * blocks that never move, from a table of them sized up front (from the
 * file's lines). A block is allocated when its first element comes, so a
 * file of a million blank lines costs a table of pointers, not a row each. */
#define BLOCK_LEN 4096

struct blocks {
	char **block;
	size_t nblocks;
	size_t size;            /* bytes of one element */
};

static void
blocks_init(struct blocks *b, size_t max, size_t size)
{
	b->nblocks = max / BLOCK_LEN + 1;
	b->block = xcalloc(b->nblocks, sizeof *b->block);
	b->size = size;
}

/* Element i, zeroed at first (i < the max given; a reader asks only for
 * published ones, whose block the writer made). */
static void *
blocks_at(struct blocks *b, size_t i)
{
	assert(i / BLOCK_LEN < b->nblocks);
	char **blk = &b->block[i / BLOCK_LEN];
	if (*blk == NULL)
		*blk = xcalloc(BLOCK_LEN, b->size);
	return *blk + (i % BLOCK_LEN) * b->size;
}

static void
blocks_free(struct blocks *b)
{
	for (size_t k = 0; k < b->nblocks; k++)
		free(b->block[k]);
	free(b->block);
	memset(b, 0, sizeof *b);
}

/* The header is read by import_open; the rows after it on a thread of
 * their own (the reader), while import_apply writes those before them: the
 * reading was a quarter of a first import's time. A row is theirs once
 * published (nready). */
struct import_plan {
	enum csvin_encoding enc;
	char delim;
	char *mapping;
	char **extra_cols;      /* headers of the columns kept as extra fields */
	size_t nextra;
	size_t utf8_lines;      /* csvin_utf8_lines */
	size_t utf8_line;
	size_t cp1252_lines;    /* csvin_cp1252_lines */
	size_t cp1252_line;
	char **head;            /* the header line's fields, as written */
	size_t nhead;
	bool present[F__N];     /* the file has a column for the field */
	char **rej_names;       /* name keys of rejected rows (row_name_keys) */
	size_t nrej_names, caprej_names;
	size_t rej_unnamed;     /* rejected before their names were read */
	bool has_language;      /* the file has a language column */
	bool listing;           /* the file is our own `kiosk guests --format csv` */
	bool new_codes;         /* guests on the list may get another ticket code */
	int code_min_length;    /* import_check_code_length's; 0: not asked */
	bool lossy;             /* Windows-1252, Mac Roman or all ASCII: a '?' may be a lost letter */
	bool *payment;          /* per column: it says whether the order is paid */
	bool *plus_ones;        /* per column: it counts guests brought along */
	bool *cancel_col;       /* per column: an extra asking if the ticket is cancelled */
	struct csvin *in;       /* the reader's, until it ends: a CSV file's */
	struct zipin_sheet *book; /* or a spreadsheet's (then in is NULL) */
	bool sheet;             /* read from a workbook: a record's line is its row */
	char *name;             /* the file, as messages name it */
	char *sheet_name;       /* the worksheet read, and the workbook's sheets */
	size_t nsheets;
	char *sheet_list;       /* their names, for messages */
	bool sheet_asked;       /* the sheet read is one asked for by name */
	char *sheet_skipped;    /* the first sheet shown, with no list, passed over */
	struct colmap *m;
	struct blocks rows;     /* of struct row */
	size_t nrows, caprows;  /* nrows: the reader's own count; caprows: lines */
	struct reject *rej;     /* the reader's, until it ends */
	size_t nrej, caprej;
	struct reject *warn;
	size_t nwarn, capwarn;

	pthread_mutex_t lock;
	pthread_cond_t grew;
	pthread_t reader;
	bool reading;           /* the reader thread was started */
	size_t nready;          /* rows published (lock) */
	bool done;              /* the reader has ended (lock) */
	bool stop;              /* asked to end early (lock) */
	char *failure;          /* why the file cannot be imported, once done */
};

/* --- a small string -> line map for duplicates within one file ---------- */

struct seen {
	char **keys;
	size_t *lines;
	size_t cap, n;
	bool borrow;    /* the keys are the caller's, alive as long as the map */
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The value kept for key: *found says whether key was there; if not, it is
 * added with the value 0. */
static size_t *
seen_slot(struct seen *m, const char *key, bool *found)
{
	if (m->n * 2 >= m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		char **keys = xcalloc(cap, sizeof *keys);
		size_t *lines = xcalloc(cap, sizeof *lines);
		for (size_t i = 0; i < m->cap; i++) {
			if (m->keys[i] == NULL)
				continue;
			size_t j = hash_str(m->keys[i]) & (cap - 1);
			while (keys[j] != NULL)
				j = (j + 1) & (cap - 1);
			keys[j] = m->keys[i];
			lines[j] = m->lines[i];
		}
		free(m->keys);
		free(m->lines);
		m->keys = keys;
		m->lines = lines;
		m->cap = cap;
	}
	size_t j = hash_str(key) & (m->cap - 1);
	*found = true;
	while (m->keys[j] != NULL) {
		if (strcmp(m->keys[j], key) == 0)
			return &m->lines[j];
		j = (j + 1) & (m->cap - 1);
	}
	*found = false;
	m->keys[j] = m->borrow ? (char *)key : xstrdup(key);
	m->lines[j] = 0;
	m->n++;
	return &m->lines[j];
}

/* Returns the line the key was first seen on, or 0 after remembering it. */
static size_t
seen_add(struct seen *m, const char *key, size_t line)
{
	bool found;
	size_t *v = seen_slot(m, key, &found);
	if (found)
		return *v;
	*v = line;
	return 0;
}

/* The value kept for key, or 0. */
static size_t
seen_get(const struct seen *m, const char *key)
{
	if (m->cap == 0)
		return 0;
	for (size_t j = hash_str(key) & (m->cap - 1); m->keys[j] != NULL;
	    j = (j + 1) & (m->cap - 1))
		if (strcmp(m->keys[j], key) == 0)
			return m->lines[j];
	return 0;
}

static void
seen_free(struct seen *m)
{
	for (size_t i = 0; i < m->cap && !m->borrow; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->lines);
}

/* --- reading ----------------------------------------------------------- */

static void
add_line(struct reject **list, size_t *n, size_t *cap, size_t line, char *text)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*list = xreallocarray(*list, *cap, sizeof **list);
	}
	(*list)[*n].line = line;
	(*list)[*n].reason = text;
	(*n)++;
}

static void
add_reject(struct import_plan *p, size_t line, char *reason)
{
	add_line(&p->rej, &p->nrej, &p->caprej, line, reason);
}

static void
row_free(struct row *r)
{
	for (int i = 0; i < F__N; i++)
		free(r->v[i]);
	free(r->extra);
	free(r->match_key);
	free(r->bare_id);
	free(r->alt_key);
	free(r->lf_full);
	free(r->warning);
}

/* A control character that rejects a row: any but line breaks and tabs. */
static bool
bad_control(unsigned char c)
{
	return (c < ' ' && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
}

/* Clean one field (at most max bytes): white space around it goes, Unicode's too (a no-break
 * space after an e-mail address made a second guest of its owner); line
 * breaks and tabs inside a value become spaces (a job title typed on two
 * lines is still one job title); any other control character rejects the
 * row; the apostrophe a CSV of ours puts before = + - @ against spreadsheet
 * formulas is taken off. Returns a new string or NULL with *why. */
static char *
clean_text(const char *s, size_t len, const char *header, size_t max, bool sheet,
    char **why)
{
	/* a workbook's are columns, as Excel shows them */
	const char *field = sheet ? "column" : "field";
	if (len > max) {
		*why = xasprintf("%s '%s' is %zu bytes long (at most %zu)", field, header, len,
		    max);
		return NULL;
	}
	if (!util_utf8_valid(s, len)) {
		*why = xasprintf("field '%s' is not valid UTF-8 (the file mixes UTF-8 with "
		    "another encoding)", header);
		return NULL;
	}
	size_t a = 0, b = len, k;
	while (a < b && !bad_control((unsigned char)s[a]) &&
	    (k = util_invisible_len(s + a, b - a, false)) > 0)
		a += k;
	while (b > a && !bad_control((unsigned char)s[b - 1]) &&
	    (k = util_invisible_len(s + a, b - a, true)) > 0)
		b -= k;
	if (b - a >= 2 && s[a] == '\'' && strchr("=+-@\t\r", s[a + 1]) != NULL)
		a++;
	char *out = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = a; i < b; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\r' || c == '\t') {
			if (n > 0 && out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		if (c < ' ' || c == 0x7f) {
			*why = xasprintf("%s '%s' contains a control character (byte 0x%02x)",
			    field, header, c);
			free(out);
			return NULL;
		}
		/* A C1 control (U+0080 to U+009F) is what a Windows-1252
		 * character became in a file read once as Latin-1 ("…" as
		 * U+0085, NEL): text mangled before it came, not a reason to
		 * turn a guest away, but no character to keep either (U+009B
		 * is a terminal's escape). NEL is a line break, the rest a
		 * '?', as sync stores them (repl.c, mark_controls). */
		if (util_c1_at(s + i, b - i) != 0) {
			if ((unsigned char)s[++i] == 0x85) {
				if (n > 0 && out[n - 1] != ' ')
					out[n++] = ' ';
			} else {
				out[n++] = '?';
			}
			continue;
		}
		/* Direction overrides, embeddings and isolates (U+202A to
		 * U+202E, U+2066 to U+2069) turn the text after them around: a
		 * name could read as another on a badge or the door's screen.
		 * Invisible, and not needed to show any script the right way
		 * round: left out. */
		if (util_direction_at(s + i, b - i) != 0) {
			i += 2;
			continue;
		}
		out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

/* A field read as a guest's name, e-mail, company...: IMPORT_MAX_FIELD. */
static char *
clean_field(const char *s, size_t len, const char *header, bool sheet, char **why)
{
	return clean_text(s, len, header, IMPORT_MAX_FIELD, sheet, why);
}

/* "8184922608941620000000000": a long number a spreadsheet kept as a
 * number (its 15 significant digits, all it keeps) and wrote out in full
 * with the "Number" format: digits, then zeros from the 16th on. Only from
 * 19 digits, four or more such zeros: one random code of that length in
 * 10,000 ends so, and an Eventbrite barcode ends in its ticket's number. */
#define SPREADSHEET_DIGITS 15
static bool
rounded_digits(const char *s)
{
	size_t n = strlen(s);
	if (n < SPREADSHEET_DIGITS + 4 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) || (i >= SPREADSHEET_DIGITS && s[i] != '0'))
			return false;
	return true;
}

/* Digits past the 15th of a 16- to 18-digit number that are all zeros, as
 * a spreadsheet leaves them ("1234567890123450" from ...3456): 1 to 3, or
 * 0 for any other code. One such code may be real; a file whose every such
 * code ends so was rounded (spreadsheet_file). */
static size_t
rounded_tail(const char *s)
{
	size_t n = strlen(s);
	if (n <= SPREADSHEET_DIGITS || n >= SPREADSHEET_DIGITS + 4 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) || (i >= SPREADSHEET_DIGITS && s[i] != '0'))
			return 0;
	return n - SPREADSHEET_DIGITS;
}

/* "8,18492E+24", "7.81176e+24": a long number a spreadsheet rounded and
 * wrote in scientific notation when the file was saved, always as a digit,
 * a separator, digits, E and a signed exponent; or rounded_digits. The
 * digits it dropped are gone. ("2024E0001" is a real code: no separator,
 * no sign.) */
static bool
spreadsheet_number(const char *s)
{
	const char *p = s;
	if (rounded_digits(s))
		return true;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != ',' && *p != '.')
		return false;
	if (!isdigit((unsigned char)*++p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != 'E' && *p != 'e')
		return false;
	p++;
	if (*p != '+' && *p != '-')
		return false;
	p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '\0';
}

static char *
lower_ascii(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

/* The key that matches a guest by name across imports (fold.h). */
static char *
name_key(const char *first, const char *last, const char *email)
{
	return fold_name_key(first, last, email);
}

/* The name keys a row may match a guest by, with no e-mail: its name, the
 * name without its tussenvoegsel (alt_key) and a last-name-first name as
 * split before (lf_full); each once, into keys (caller frees). */
static size_t
row_name_keys(const struct row *r, char *keys[3])
{
	size_t n = 0;
	keys[n++] = name_key(r->v[F_FIRST], r->v[F_LAST], "");
	if (r->alt_key != NULL)
		keys[n++] = xstrndup(r->alt_key, strcspn(r->alt_key, "|") + 1);
	if (r->lf_full != NULL) {
		char *first = NULL, *last = NULL;
		colmap_split_name(r->lf_full, &first, &last);
		keys[n++] = name_key(first, last, "");
		free(first);
		free(last);
	}
	for (size_t i = 1; i < n; i++) {
		for (size_t j = 0; j < i && keys[i] != NULL; j++) {
			if (keys[j] != NULL && strcmp(keys[i], keys[j]) == 0) {
				free(keys[i]);
				keys[i] = NULL;
			}
		}
	}
	return n;
}

/* The key of a pretix bare id with a name key: "#ID|name". */
static char *
id_name_key(const char *bare_id, const char *name)
{
	return xasprintf("#%s|%s", bare_id, name);
}

/* Every key a row counts under in the file's names (alone_in_file): its
 * name keys (row_name_keys) and, with pretix's bare id, each with the id;
 * into keys (caller frees). Returns how many. */
static size_t
file_keys(const struct row *r, char *keys[6])
{
	char *names[3];
	size_t n = row_name_keys(r, names), m = 0;
	for (size_t k = 0; k < n; k++) {
		if (names[k] == NULL)
			continue;
		keys[m++] = names[k];
		if (r->bare_id != NULL)
			keys[m++] = id_name_key(r->bare_id, names[k]);
	}
	return m;
}

/* A rejected row's names, for the loose matches (alone_in_file): its keys
 * when its names were read, else counted as unknown. Not for a row of the
 * same name and e-mail as one kept (the same person, twice). */
static void
note_rejected_names(struct import_plan *p, const struct row *r)
{
	if (!r->named) {
		p->rej_unnamed++;
		return;
	}
	char *keys[6];
	size_t n = file_keys(r, keys);
	for (size_t k = 0; k < n; k++) {
		if (p->nrej_names == p->caprej_names) {
			p->caprej_names = p->caprej_names ? 2 * p->caprej_names : 16;
			p->rej_names = xreallocarray(p->rej_names, p->caprej_names,
			    sizeof *p->rej_names);
		}
		p->rej_names[p->nrej_names++] = keys[k];
	}
}

/* `kiosk guests --format csv`, edited and imported again, has two columns
 * of our own: "extra" (the extra fields as a JSON object: unpacked into
 * extra, each value checked as a field is) and "source" (import or walkin:
 * not the organiser's data). Returns 1 when v was such a value and is taken
 * care of, 0 when it is an ordinary value, -1 with *why for a bad one. */
static int
own_listing_column(const char *header, const char *v, json_t *extra, char **why)
{
	if (strcmp(header, "source") == 0)
		return strcmp(v, "import") == 0 || strcmp(v, "walkin") == 0;
	if (strcmp(header, "extra") != 0 || v[0] != '{')
		return 0;
	json_t *o = json_loads(v, 0, NULL);
	bool ok = json_is_object(o);
	const char *k;
	json_t *x;
	json_object_foreach(o, k, x)
		ok = ok && json_is_string(x);
	int rc = ok;
	json_object_foreach(o, k, x) {
		if (!ok)
			break;
		char *clean = clean_text(json_string_value(x), json_string_length(x), k,
		    IMPORT_MAX_EXTRA, false, why);
		if (clean == NULL) {
			rc = -1;
			break;
		}
		if (clean[0] != '\0')
			json_object_set_new(extra, k, json_string(clean));
		free(clean);
	}
	json_decref(o);
	return rc;
}

/* Add w (taken) to the row's warnings, "; " between. */
static void
add_warning(struct row *r, char *w)
{
	if (r->warning != NULL) {
		char *both = xasprintf("%s; %s", r->warning, w);
		free(w);
		free(r->warning);
		w = both;
	}
	r->warning = w;
}

/* A pending order's ticket scans like any other, which the organiser may
 * not want: said, with what to do. */
static void
warn_unpaid(struct row *r, const char *header, const char *value)
{
	add_warning(r, xasprintf("order not paid ('%s' is '%s'): imported as a valid ticket; "
	    "'kiosk cancel CODE' if it should not get in", header, value));
}

/* The cell of column c, cleaned (a new string), or NULL with *why. */
static char *
cell(const struct import_plan *p, const struct csvin_record *rec, int c, char **why)
{
	return clean_field(rec->fields[c], rec->lens[c], colmap_header(p->m, (size_t)c),
	    p->sheet, why);
}

/* Line breaks in a field as read (CRLF is one). */
static size_t
breaks_in(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			n++;
	return n;
}

/* Whether a field that runs over several lines holds what look like rows of
 * the file: a line of it after its first with a delimiter between every
 * column and, where the file has an e-mail column, an address in that
 * column's place (a note or an address on several lines has a comma or two,
 * "10 High St, Leeds, LS1 1AA", not a row's fields); in a file with no
 * e-mail column, only where it has six columns or more. */
static bool
holds_rows(const char *s, size_t len, char delim, size_t ncol, int email_col)
{
	if (ncol < 3 || (email_col < 0 && ncol < 6))
		return false;
	size_t i = 0;
	while (i < len && s[i] != '\n' && s[i] != '\r')
		i++;
	while (i < len) {
		while (i < len && (s[i] == '\n' || s[i] == '\r'))
			i++;
		size_t n = 0;
		bool at = false;
		for (; i < len && s[i] != '\n' && s[i] != '\r'; i++) {
			if (s[i] == delim)
				n++;
			else if (s[i] == '@' && (int)n == email_col)
				at = true;
		}
		if (n >= ncol - 1 && (email_col < 0 || at))
			return true;
	}
	return false;
}

/* A quote opened in a field and closed only lines later (a stray '"' typed
 * in a name) reads the rows between into that field: importing it would
 * lose those guests without a word. A name, e-mail address or code that
 * runs over three lines or more, or over two with the file's delimiter in
 * it, is such a quote (a name typed on two lines is still a name); any
 * other field is when it holds what look like rows (holds_rows: a job
 * title, note or address on several lines stays one). Rejected, the line numbers show where to
 * mend the file. Returns 0, or 1 with *why. */
static int
stray_quote(const struct import_plan *p, const struct csvin_record *rec, size_t ncol,
    char **why)
{
	static const enum colmap_field one_line[] = { COLMAP_FIRST, COLMAP_LAST, COLMAP_FULL,
		COLMAP_FULL_LF, COLMAP_INFIX, COLMAP_EMAIL, COLMAP_EXTID, COLMAP_CODE };
	size_t from = rec->line;
	/* A quote that swallowed rows often leaves its row short of fields
	 * (or past them): this is looked at first, over the fields there are,
	 * so that the message names the lines lost, not a count of fields. */
	size_t nf = rec->nfields < ncol ? rec->nfields : ncol;
	for (size_t c = 0; c < nf; c++) {
		const char *f = rec->fields[c];
		size_t len = rec->lens[c];
		if (memchr(f, '\n', len) == NULL && memchr(f, '\r', len) == NULL)
			continue;
		size_t n = breaks_in(f, len);
		bool name = false;
		for (size_t k = 0; k < sizeof one_line / sizeof one_line[0] && !name; k++)
			name = colmap_column(p->m, one_line[k]) == (int)c ||
			    colmap_fallback(p->m, one_line[k]) == (int)c;
		if (name ? n >= 2 || memchr(f, p->delim, len) != NULL :
		    holds_rows(f, len, p->delim, ncol, colmap_column(p->m, COLMAP_EMAIL))) {
			*why = xasprintf("field '%s' runs over lines %zu to %zu%s: a quote opened in "
			    "it closes only on line %zu (a stray '\"'?), which reads the rows of those lines "
			    "into it; mend the quote and import again", colmap_header(p->m, c), from,
			    from + n, name ? "" : " and holds what look like rows", from + n);
			return 1;
		}
		from += n;
	}
	return 0;
}

/* Where the row has no name of its own, the buyer's (colmap_fallback): a
 * ticket of an order whose event asked no attendee names still gets in.
 * Returns 0, or -1 with *why. */
static int
fallback_name(const struct import_plan *p, const struct csvin_record *rec, struct row *r,
    char **why)
{
	const struct colmap *m = p->m;
	int fc = colmap_fallback(m, COLMAP_FIRST), lc = colmap_fallback(m, COLMAP_LAST);
	int nc = colmap_fallback(m, COLMAP_FULL);
	char *first = NULL, *last = NULL, *full = NULL;
	int rc = -1;

	if ((fc >= 0 && (first = cell(p, rec, fc, why)) == NULL) ||
	    (lc >= 0 && (last = cell(p, rec, lc, why)) == NULL) ||
	    (nc >= 0 && (full = cell(p, rec, nc, why)) == NULL))
		goto out;
	if (util_blank(first) && util_blank(last) && !util_blank(full)) {
		free(first);
		free(last);
		colmap_split_name(full, &first, &last);
	}
	if (!util_blank(first) || !util_blank(last)) {
		free(r->v[F_FIRST]);
		free(r->v[F_LAST]);
		r->v[F_FIRST] = first != NULL ? first : xstrdup("");
		r->v[F_LAST] = last != NULL ? last : xstrdup("");
		first = last = NULL;
	}
	rc = 0;
out:
	free(first);
	free(last);
	free(full);
	return rc;
}

/* The columns a name is in: first, last, the whole name (either way round). */
static const enum colmap_field name_fields[] = { COLMAP_FIRST, COLMAP_LAST, COLMAP_FULL,
	COLMAP_FULL_LF };
#define NNAME_FIELDS (sizeof name_fields / sizeof name_fields[0])

/* Build one row from a record; returns 0, or 1 with *why for a rejected row
 * (what was read of it in r: the caller frees it), or 2 for a row with
 * nothing in it (skipped, like a blank line). */
static int
build_row(const struct import_plan *p, const struct csvin_record *rec, struct row *r,
    char **why)
{
	const struct colmap *m = p->m;
	bool listing = p->listing;
	size_t ncol = colmap_ncolumns(m);
	int fcol[COLMAP__COUNT];
	json_t *extra = NULL;
	char *full = NULL, *status = NULL, *lang = NULL, *bare_last = NULL;
	int rc = 1;

	memset(r, 0, sizeof *r);
	r->line = rec->line;
	bool empty = true;
	for (size_t i = 0; i < rec->nfields; i++)
		if (rec->lens[i] > 0)
			empty = false;
	if (empty)
		return 2;
	/* A workbook's cells hold their line breaks; no quote can stray. */
	if (!p->sheet && stray_quote(p, rec, ncol, why))
		return 1;
	if (rec->nfields < ncol) {
		*why = xasprintf("%zu field%s where the header has %zu (a missing field, or an "
		    "unquoted delimiter?)", rec->nfields, rec->nfields == 1 ? "" : "s", ncol);
		return 1;
	}
	for (size_t i = ncol; i < rec->nfields; i++) {
		if (rec->lens[i] > 0) {
			*why = xasprintf("%zu fields where the header has %zu (a %s inside a field "
			    "that is not in quotes?)", rec->nfields, ncol, p->delim == '\t' ? "tab" :
			    p->delim == ';' ? "';'" : "','");
			return 1;
		}
	}
	for (int f = 0; f < COLMAP__COUNT; f++)
		fcol[f] = colmap_column(m, (enum colmap_field)f);

	static const struct { enum colmap_field cf; int f; } direct[] = {
		{ COLMAP_FIRST, F_FIRST }, { COLMAP_LAST, F_LAST }, { COLMAP_EMAIL, F_EMAIL },
		{ COLMAP_COMPANY, F_COMPANY }, { COLMAP_TYPE, F_TYPE },
		{ COLMAP_HANDLE, F_HANDLE }, { COLMAP_EXTID, F_EXTID }, { COLMAP_CODE, F_CODE },
	};
	for (size_t k = 0; k < sizeof direct / sizeof direct[0]; k++) {
		int c = fcol[direct[k].cf];
		if (c < 0)
			continue;
		r->v[direct[k].f] = cell(p, rec, c, why);
		if (r->v[direct[k].f] == NULL)
			goto out;
	}
	/* The order's e-mail for a ticket whose own is blank (pretix asks
	 * an attendee's only if the organiser set it to). */
	int ec = colmap_fallback(m, COLMAP_EMAIL);
	if (ec >= 0 && util_blank(r->v[F_EMAIL])) {
		char *e = cell(p, rec, ec, why);
		if (e == NULL)
			goto out;
		free(r->v[F_EMAIL]);
		r->v[F_EMAIL] = e;
	}
	/* pretix's "Position ID" 2 is the second ticket of its order. */
	int sc = colmap_id_scope(m);
	if (sc >= 0 && !util_blank(r->v[F_EXTID])) {
		char *order = cell(p, rec, sc, why);
		if (order == NULL)
			goto out;
		if (!util_blank(order)) {
			r->bare_id = r->v[F_EXTID];
			r->v[F_EXTID] = xasprintf("%s-%s", order, r->bare_id);
		}
		free(order);
	}
	/* A full name, first name first or last name first: the first of
	 * them that holds one, where the row has no first or last name. */
	static const struct {
		enum colmap_field cf;
		void (*split)(const char *, char **, char **);
	} fulls[] = {
		{ COLMAP_FULL, colmap_split_name }, { COLMAP_FULL_LF, colmap_split_name_last_first },
	};
	for (size_t k = 0; k < sizeof fulls / sizeof fulls[0]; k++) {
		int c = fcol[fulls[k].cf];
		if (c < 0)
			continue;
		free(full);
		full = cell(p, rec, c, why);
		if (full == NULL)
			goto out;
		if (util_blank(r->v[F_FIRST]) && util_blank(r->v[F_LAST]) && !util_blank(full)) {
			free(r->v[F_FIRST]);
			free(r->v[F_LAST]);
			fulls[k].split(full, &r->v[F_FIRST], &r->v[F_LAST]);
			/* Before such a column was read last name first, it was
			 * imported with --map name=, its names the wrong way round:
			 * that guest is this row's (lookup_name), not another.
			 * (Where a name is cut does not matter: name_key joins the
			 * two halves.) Only a row matched by name needs it. */
			if (fulls[k].cf == COLMAP_FULL_LF && r->lf_full == NULL &&
			    r->v[F_CODE] == NULL && r->v[F_EXTID] == NULL)
				r->lf_full = xstrdup(full);
		}
	}
	/* A file with a full-name column sets both names. */
	if (fcol[COLMAP_FULL] >= 0 || fcol[COLMAP_FULL_LF] >= 0 || fcol[COLMAP_FIRST] >= 0 ||
	    fcol[COLMAP_LAST] >= 0) {
		if (r->v[F_FIRST] == NULL)
			r->v[F_FIRST] = xstrdup("");
		if (r->v[F_LAST] == NULL)
			r->v[F_LAST] = xstrdup("");
	}
	if (fcol[COLMAP_INFIX] >= 0) { /* "van" + "Dijk": "van Dijk" */
		int c = fcol[COLMAP_INFIX];
		char *infix = cell(p, rec, c, why);
		if (infix == NULL)
			goto out;
		size_t n = strlen(infix);
		/* Not twice: some exports also put it in the last name. */
		bool has = r->v[F_LAST] != NULL && strncasecmp(r->v[F_LAST], infix, n) == 0 &&
		    r->v[F_LAST][n] == ' ';
		if (!util_blank(infix) && r->v[F_LAST] != NULL && !has) {
			char *last = util_blank(r->v[F_LAST]) ? xstrdup(infix) :
			    xasprintf("%s %s", infix, r->v[F_LAST]);
			bare_last = r->v[F_LAST];
			r->v[F_LAST] = last;
		}
		free(infix);
	}
	/* A name merged down over two rows (Merge Cells, the second's own
	 * not kept): which guest the lower row is, nobody can tell, unless
	 * the row has a name of its own beside it (a family's surname merged
	 * over its members' first names: each is a guest of that surname,
	 * said). A ticket type, a company or an e-mail merged over a group
	 * is each one's. */
	int merged = -1;
	uint32_t merged_top = 0;
	bool own_name = false;
	for (size_t k = 0; k < NNAME_FIELDS && p->book != NULL; k++) {
		int c = fcol[name_fields[k]];
		uint32_t top = c >= 0 ? zipin_sheet_merged_from(p->book, (size_t)c) : 0;
		if (top != 0 && merged < 0) {
			merged = c;
			merged_top = top;
		}
		own_name = own_name || (c >= 0 && top == 0 && (size_t)c < rec->nfields &&
		    !util_blank(rec->fields[c]));
	}
	if (merged >= 0 && !own_name) {
		*why = xasprintf("column '%s' is merged with row %u above it, so this row "
		    "has no name of its own: unmerge those cells and type each guest's "
		    "name in their own row", colmap_header(m, (size_t)merged), merged_top);
		goto out;
	}
	if (merged >= 0)
		add_warning(r, xasprintf("column '%s' is merged with row %u above it: its "
		    "'%s' was taken for this guest too (Excel keeps the top cell's value "
		    "only: check it is theirs)", colmap_header(m, (size_t)merged), merged_top,
		    (size_t)merged < rec->nfields ? rec->fields[merged] : ""));
	if (util_blank(r->v[F_FIRST]) && util_blank(r->v[F_LAST]) &&
	    fallback_name(p, rec, r, why) != 0)
		goto out;
	r->named = true;
	if (util_blank(r->v[F_FIRST]) && util_blank(r->v[F_LAST])) {
		*why = xstrdup("no name");
		goto out;
	}
	/* Excel saving "CSV" in a Western locale writes a letter Windows-1252
	 * lacks ("Ł", "ő", "ş") as '?' (and a file of such names only is all
	 * ASCII): "?ukasz Maes" would be a guest of its own beside Łukasz,
	 * with a second ticket. No name has a '?'. */
	for (int f = F_FIRST; f <= F_LAST && (p->lossy || rec->cp1252); f++) {
		if (r->v[f] != NULL && strchr(r->v[f], '?') != NULL) {
			*why = xasprintf("%s '%s' has a '?' where the program that saved the file "
			    "could not write a letter: save it as CSV UTF-8 and import that",
			    field_label[f], r->v[f]);
			goto out;
		}
	}
	if (fcol[COLMAP_STATUS] >= 0) {
		int c = fcol[COLMAP_STATUS];
		status = cell(p, rec, c, why);
		if (status == NULL)
			goto out;
		r->has_status = true;
		enum colmap_status st = colmap_status(colmap_header(m, (size_t)c), status);
		r->cancelled = st == COLMAP_STATUS_CANCELLED;
		if (st == COLMAP_STATUS_UNPAID)
			warn_unpaid(r, colmap_header(m, (size_t)c), status);
		else if (st == COLMAP_STATUS_UNKNOWN)
			add_warning(r, xasprintf("status '%s' in column '%s' is not one kiosk knows "
			    "(a typo? a transfer?): imported as a valid ticket; 'kiosk cancel CODE' "
			    "if it should not get in", status, colmap_header(m, (size_t)c)));
	}
	if (fcol[COLMAP_LANGUAGE] >= 0) {
		int c = fcol[COLMAP_LANGUAGE];
		lang = cell(p, rec, c, why);
		if (lang == NULL)
			goto out;
		r->language = colmap_language(lang);
		if (r->language == NULL) {
			/* Not worth rejecting a guest over: they get the default. */
			add_warning(r, xasprintf("unknown language '%s' in column '%s' (expected en, "
			    "nl, fr or de, or their names); the event's default language is used",
			    lang, colmap_header(m, (size_t)c)));
			r->language = "";
		}
	}
	/* A guest whose address no ticket can be mailed to is still a guest;
	 * the organiser hears of it now, a week before, not from kiosk mail. */
	const char *email = r->v[F_EMAIL];
	if (email != NULL && email[0] != '\0' && !util_email_ok(email))
		add_warning(r, xasprintf("e-mail '%s' is not an address a ticket can be mailed to",
		    email));
	for (int f = F_EXTID; f <= F_CODE; f++) {
		if (r->v[f] != NULL && spreadsheet_number(r->v[f])) {
			*why = xasprintf("%s '%s' was turned into a rounded number by a spreadsheet;"
			    " the real one is lost: %s", f == F_CODE ? "ticket code" : "id", r->v[f],
			    p->sheet ? "export the list from the platform again (as CSV, or the "
			    "workbook as it came, not saved again by a spreadsheet)" : "export the "
			    "list again and open it as text (in Excel: Data > From Text/CSV, column "
			    "type Text; in LibreOffice: the Text Import dialog, column type Text)");
			goto out;
		}
	}
	if (!util_blank(r->v[F_CODE])) {
		char *code = NULL;
		enum code_status cs = code_normalize(r->v[F_CODE], strlen(r->v[F_CODE]), &code);
		if (cs != CODE_OK) {
			*why = xasprintf("ticket code: %s", code_status_str(cs));
			goto out;
		}
		free(r->v[F_CODE]);
		r->v[F_CODE] = code;
	} else if (r->v[F_CODE] != NULL) {
		free(r->v[F_CODE]);
		r->v[F_CODE] = NULL; /* no code on this row: keep or make one */
	}
	if (r->v[F_EXTID] != NULL && r->v[F_EXTID][0] == '\0') {
		free(r->v[F_EXTID]);
		r->v[F_EXTID] = NULL;
	}
	extra = json_object();
	/* Our own listing's extra column is all of a guest's extra fields: one
	 * taken out of it (or the cell emptied) is taken off the guest. */
	r->extra_whole = listing;
	for (size_t c = 0; c < ncol; c++) {
		if (colmap_field_of(m, c) >= 0 || rec->lens[c] == 0)
			continue;
		/* Our listing's "extra" cell holds them all, as JSON. */
		bool all = listing && strcmp(colmap_header(m, c), "extra") == 0;
		char *v = clean_text(rec->fields[c], rec->lens[c], colmap_header(m, c),
		    all ? GUEST_EXTRA_MAX : IMPORT_MAX_EXTRA, p->sheet, why);
		if (v == NULL)
			goto out;
		int own = v[0] != '\0' ? own_listing_column(colmap_header(m, c), v, extra, why) : 1;
		if (own == 0)
			json_object_set_new(extra, colmap_header(m, c), json_string(v));
		/* A pretix list can hold pending orders: their tickets scan like
		 * any other, which the organiser may not want. */
		if (own == 0 && p->payment[c] && colmap_unpaid_value(v))
			warn_unpaid(r, colmap_header(m, c), v);
		/* A "Geannuleerd" column the organiser added beside the
		 * platform's status (or a file's only one): a yes there
		 * cancels as the status column's would, whatever that says. */
		if (own == 0 && p->cancel_col[c]) {
			enum colmap_status st = colmap_status(colmap_header(m, c), v);
			r->has_status = true;
			if (st == COLMAP_STATUS_CANCELLED)
				r->cancelled = true;
			else if (st != COLMAP_STATUS_VALID)
				add_warning(r, xasprintf("'%s' in column '%s' is neither yes nor no: "
				    "imported as a valid ticket; 'kiosk cancel CODE' if it should not "
				    "get in", v, colmap_header(m, c)));
		}
		/* Meetup's plus-ones: people the door will see with no ticket. */
		char *end = NULL;
		long more = own == 0 && p->plus_ones[c] ? strtol(v, &end, 10) : 0;
		if (more > 0 && end != NULL && *end == '\0')
			add_warning(r, xasprintf("brings %ld guest%s ('%s' is %s) with no ticket of "
			    "their own: register them at the door as walk-ins, or show '%s' on the "
			    "door's screen ([kiosk] show_fields)", more, more == 1 ? "" : "s",
			    colmap_header(m, c), v, colmap_header(m, c)));
		free(v);
		if (own < 0)
			goto out;
	}
	r->extra = json_dumps(extra, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (r->extra == NULL) {
		*why = xstrdup("a field is not valid UTF-8");
		goto out;
	}
	/* What the hub takes of one guest (sync would refuse the row). */
	if (strlen(r->extra) > GUEST_EXTRA_MAX) {
		*why = xasprintf("the columns kept as extra fields are %zu bytes in all (at most "
		    "%d)", strlen(r->extra), GUEST_EXTRA_MAX);
		goto out;
	}
	/* Imports before the tussenvoegsel was read kept it apart: the guest
	 * they made is "Jan Dijk". */
	if (bare_last != NULL)
		r->alt_key = name_key(r->v[F_FIRST], bare_last, r->v[F_EMAIL]);
	/* A row with a code or an id needs its key only if that matches
	 * nobody (lookup_name makes it then): folding names is not free. */
	if (r->v[F_CODE] == NULL && r->v[F_EXTID] == NULL)
		r->match_key = name_key(r->v[F_FIRST], r->v[F_LAST], r->v[F_EMAIL]);
	rc = 0;
out:
	free(bare_last);
	json_decref(extra);
	free(full);
	free(status);
	free(lang);
	return rc;
}

#define HEADER_SEARCH 5 /* records the header may be, a title above it */

/* How messages name a record's place: its line in a text file, its row in
 * a workbook's sheet, as Excel numbers them (no line of the file is one). */
static const char *
unit(const struct import_plan *p)
{
	return p->sheet ? "row" : "line";
}

/* The file's next record, from whichever reader has it (csvin_next). */
static int
next_record(struct import_plan *p, struct csvin_record *rec, char **cause)
{
	return p->book != NULL ? zipin_sheet_next(p->book, rec) : csvin_next(p->in, rec, cause);
}

/* End the reader of the file. */
static void
close_source(struct import_plan *p)
{
	csvin_free(p->in);
	p->in = NULL;
	zipin_sheet_free(p->book);
	p->book = NULL;
}

/* The header: the column map, and what the rows are read against. */
static int
plan_header(struct import_plan *p, const struct colmap_override *ov, size_t nov,
    char **cause)
{
	struct csvin *in = p->in;
	struct csvin_record rec;

	/* A workbook's text is Unicode, its cells apart: no encoding to
	 * guess, no letter lost, no delimiter. */
	p->enc = in ? csvin_encoding(in) : CSVIN_UTF8;
	if (in != NULL) {
		p->utf8_lines = csvin_utf8_lines(in, &p->utf8_line);
		p->cp1252_lines = csvin_cp1252_lines(in, &p->cp1252_line);
	}
	p->lossy = in != NULL && (p->enc == CSVIN_CP1252 || p->enc == CSVIN_MACROMAN ||
	    csvin_ascii(in));
	p->delim = in ? csvin_delimiter(in) : ',';
	int got = next_record(p, &rec, cause);
	if (got < 0)
		return -1;
	if (got == 0)
		return util_fail(cause, "%s: %s", p->name, p->sheet ? "the sheet is empty" :
		    "file is empty");
	/* A title or a date above the header (a list dressed up in Excel): the
	 * header is the first of the first HEADER_SEARCH records that names
	 * the columns, and what is above it is said, not read as guests. When
	 * none does, the first record's reason is the file's. */
	size_t first_line = rec.line;
	char *first_why = NULL;
	for (int tries = 1;; tries++) {
		/* A header that is not UTF-8 in a file that is (mostly): the
		 * column would be matched to nothing, or to the wrong field,
		 * and the rows read under it; refuse the file instead. */
		for (size_t c = 0; c < rec.nfields; c++) {
			if (util_utf8_valid(rec.fields[c], rec.lens[c]))
				continue;
			char *raw = xstrndup(rec.fields[c], rec.lens[c]), *shown = util_utf8_fix(raw);
			util_fail(cause, "%s:%zu: the header's column %zu ('%s') is not valid UTF-8: "
			    "the file mixes encodings; save it again as UTF-8 (in Excel: CSV UTF-8)",
			    p->name, rec.line, c + 1, shown);
			free(raw);
			free(shown);
			free(first_why);
			return -1;
		}
		char *why = NULL;
		if (colmap_build(rec.fields, rec.nfields, ov, nov, &p->m, &why) == 0)
			break;
		if (first_why == NULL)
			first_why = why;
		else
			free(why);
		if (tries == HEADER_SEARCH || (got = next_record(p, &rec, cause)) != 1) {
			if (got >= 0)
				util_fail(cause, "%s: %s", p->name, first_why);
			free(first_why);
			return -1;
		}
	}
	if (first_why != NULL) {
		char *above = rec.line - first_line == 1 ?
		    xasprintf("%s %zu above it is not a guest and was", unit(p), first_line) :
		    xasprintf("%ss %zu to %zu above it are not guests and were", unit(p),
		    first_line, rec.line - 1);
		add_line(&p->warn, &p->nwarn, &p->capwarn, rec.line, xasprintf("the header is "
		    "this %s; %s skipped", unit(p), above));
		free(above);
		free(first_why);
	}
	struct colmap *m = p->m;
	p->head = xcalloc(rec.nfields, sizeof *p->head);
	for (size_t c = 0; c < rec.nfields; c++)
		p->head[p->nhead++] = xstrdup(rec.fields[c]);
	struct buf map;
	buf_init(&map, 0);
	for (int f = 0; f < COLMAP__COUNT; f++) {
		int c = colmap_column(m, (enum colmap_field)f);
		int fb = colmap_fallback(m, (enum colmap_field)f);
		if (c >= 0 && f == COLMAP_EXTID && colmap_id_scope(m) >= 0)
			buf_addf(&map, "%s%s=%s + %s", map.len ? ", " : "",
			    colmap_field_name((enum colmap_field)f),
			    colmap_header(m, (size_t)colmap_id_scope(m)), colmap_header(m, (size_t)c));
		else if (c >= 0)
			buf_addf(&map, "%s%s=%s", map.len ? ", " : "",
			    colmap_field_name((enum colmap_field)f), colmap_header(m, (size_t)c));
		if (fb >= 0)
			buf_addf(&map, "%s%s=%s%s", map.len ? ", " : "",
			    colmap_field_name((enum colmap_field)f), colmap_header(m, (size_t)fb),
			    c >= 0 ? " where blank" : " where the name is blank");
	}
	p->mapping = buf_take(&map);
	/* The keys this file owns among a guest's extras: its own columns',
	 * and what an older reading of the same header kept there (a column
	 * now read as a field, "Tussenvoegsel"; a header now named "Column 7"
	 * that was ""): cleared, then set again from the row. */
	int seen_listing = 0;
	for (size_t c = 0; c < colmap_ncolumns(m); c++) {
		char *raw = util_trim(c < rec.nfields ? rec.fields[c] : "");
		const char *name = colmap_header(m, c);
		static const char *const ours[] = { "code", "source", "status", "extra" };
		for (size_t k = 0; k < sizeof ours / sizeof ours[0]; k++)
			seen_listing += strcmp(raw, ours[k]) == 0;
		const char *drop[2] = { colmap_field_of(m, c) < 0 ? name : NULL,
		    colmap_field_of(m, c) >= 0 || strcmp(raw, name) != 0 ? raw : NULL };
		for (int k = 0; k < 2; k++) {
			if (drop[k] == NULL)
				continue;
			p->extra_cols = xreallocarray(p->extra_cols, p->nextra + 1,
			    sizeof *p->extra_cols);
			p->extra_cols[p->nextra++] = xstrdup(drop[k]);
		}
		free(raw);
	}
	p->listing = seen_listing == 4;
	p->payment = xcalloc(colmap_ncolumns(m) + 1, sizeof *p->payment);
	p->plus_ones = xcalloc(colmap_ncolumns(m) + 1, sizeof *p->plus_ones);
	p->cancel_col = xcalloc(colmap_ncolumns(m) + 1, sizeof *p->cancel_col);
	for (size_t c = 0; c < colmap_ncolumns(m); c++) {
		p->payment[c] = colmap_field_of(m, c) < 0 &&
		    colmap_payment_column(colmap_header(m, c));
		p->plus_ones[c] = colmap_field_of(m, c) < 0 &&
		    colmap_plus_ones_column(colmap_header(m, c));
		p->cancel_col[c] = colmap_field_of(m, c) < 0 &&
		    colmap_cancel_column(colmap_header(m, c));
	}
	static const struct { enum colmap_field cf; int f; } present[] = {
		{ COLMAP_EMAIL, F_EMAIL }, { COLMAP_COMPANY, F_COMPANY }, { COLMAP_TYPE, F_TYPE },
		{ COLMAP_HANDLE, F_HANDLE }, { COLMAP_EXTID, F_EXTID }, { COLMAP_CODE, F_CODE },
	};
	for (size_t k = 0; k < sizeof present / sizeof present[0]; k++)
		p->present[present[k].f] = colmap_column(m, present[k].cf) >= 0;
	p->present[F_FIRST] = p->present[F_LAST] = true;
	p->has_language = colmap_column(m, COLMAP_LANGUAGE) >= 0;
	p->caprows = in ? csvin_lines_left(in) : zipin_sheet_rows_left(p->book);
	blocks_init(&p->rows, p->caprows, sizeof(struct row));
	return 0;
}

#define PUBLISH_STEP 64 /* rows read between two publications */

/* Publish the rows read so far; false when the reader is asked to stop. */
static bool
publish(struct import_plan *p)
{
	pthread_mutex_lock(&p->lock);
	p->nready = p->nrows;
	bool stop = p->stop;
	pthread_cond_broadcast(&p->grew);
	pthread_mutex_unlock(&p->lock);
	return !stop;
}

/* Whether rec is the header line again: two exports pasted together, the
 * second's header among the first's rows (csvin drops a BOM before it).
 * Read as a row it would be a guest named "First Name Last Name". Empty
 * columns past the header's count as its own. */
static bool
repeats_header(const struct import_plan *p, const struct csvin_record *rec)
{
	size_t n = rec->nfields;
	while (n > p->nhead && rec->lens[n - 1] == 0)
		n--;
	if (n != p->nhead)
		return false;
	for (size_t c = 0; c < n; c++)
		if (strcmp(rec->fields[c], p->head[c]) != 0)
			return false;
	return true;
}

/* Whether column c holds a name (first, last, or the whole name). */
static bool
name_column(const struct import_plan *p, size_t c)
{
	for (size_t k = 0; k < NNAME_FIELDS; k++)
		if (colmap_column(p->m, name_fields[k]) == (int)c)
			return true;
	return false;
}

/* Whether s has a letter (any byte of a UTF-8 character counts as one), and
 * how many words (parted by spaces) it has. */
static bool
has_letter(const char *s)
{
	for (; *s; s++)
		if (isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return true;
	return false;
}

static size_t
count_words(const char *s)
{
	size_t n = 0;
	for (bool in = false; *s; s++) {
		bool sp = isspace((unsigned char)*s) != 0;
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

/* The first cell of rec when it reads as a spreadsheet's totals line or an
 * export's footer ("Total", "Generated by Eventbrite on ..."), below the
 * guests or between groups of them, with no e-mail, ticket code or id in
 * the row, nor a name in another name column (a guest of the company
 * "Total Belgium" has one); or, in a file with a ticket code column
 * (every ticket has one), when it is the row's only cell (a heading over a
 * group: "Speakers", "VIP", *heading set), but for a name of two words or
 * more in a name column (a guest typed in by hand, without a code yet, or
 * a heading such as "VIP guests": *lone set, for a warning): a new
 * string, or NULL for a row that may be a guest. Imported, it would be a
 * guest named "Total" or "Speakers" with a ticket of its own. */
static char *
footer_record(const struct import_plan *p, const struct csvin_record *rec, bool *heading,
    bool *lone)
{
	static const enum colmap_field keys[] = { COLMAP_EMAIL, COLMAP_CODE, COLMAP_EXTID };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		int c[2] = { colmap_column(p->m, keys[k]), colmap_fallback(p->m, keys[k]) };
		for (int j = 0; j < 2; j++)
			if (c[j] >= 0 && (size_t)c[j] < rec->nfields && !util_blank(rec->fields[c[j]]))
				return NULL;
	}
	size_t cells = 0, first = 0;
	for (size_t c = rec->nfields; c-- > 0;)
		if (!util_blank(rec->fields[c])) {
			cells++;
			first = c;
		}
	if (cells == 0)
		return NULL;
	char *text = util_trim(rec->fields[first]);
	*heading = !colmap_footer_text(text);
	bool guest = *heading && (cells > 1 || colmap_column(p->m, COLMAP_CODE) < 0);
	if (*heading && !guest && name_column(p, first) && count_words(text) > 1)
		guest = *lone = true;
	for (size_t c = 0; !*heading && !guest && c < rec->nfields; c++)
		guest = c != first && name_column(p, c) && has_letter(rec->fields[c]);
	if (guest) {
		free(text);
		return NULL;
	}
	return text;
}

/* Whether r repeats the kept row of line (a row the reader took, found by
 * its line: rows are kept in line order) with the same name and e-mail:
 * the same person twice, whose name stays alone in the file. */
static bool
same_person(struct import_plan *p, size_t line, const struct row *r)
{
	size_t lo = 0, hi = p->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct row *k = blocks_at(&p->rows, mid);
		if (k->line == line) {
			char *a = name_key(k->v[F_FIRST], k->v[F_LAST], k->v[F_EMAIL]);
			char *b = name_key(r->v[F_FIRST], r->v[F_LAST], r->v[F_EMAIL]);
			bool same = strcmp(a, b) == 0;
			free(a);
			free(b);
			return same;
		}
		if (k->line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The rows below the header, into p->rows, published as they come; at the
 * end p->failure says why the file cannot be imported (a record the
 * parser cannot read, no guests at all), and done is set. */
static void
plan_rows(struct import_plan *p)
{
	struct colmap *m = p->m;
	/* The keys are the accepted rows' own strings, which the plan keeps. */
	struct seen codes = { .borrow = true }, ids = { .borrow = true },
	    keys = { .borrow = true };
	struct csvin_record rec;
	char *cause = NULL;
	int got;
	size_t seen_rows = 0;
	/* Codes of 16 to 18 digits: how many, how many end in zeros from the
	 * 16th digit, and those zeros in all (rounded_tail). */
	size_t long_codes = 0, zero_tails = 0, zeros = 0, first_zero_line = 0;

	while ((got = next_record(p, &rec, &cause)) == 1) {
		struct row r;
		char *why = NULL;
		if (repeats_header(p, &rec)) {
			add_line(&p->warn, &p->nwarn, &p->capwarn, rec.line, xasprintf("the header "
			    "%s again (two exports pasted together?): skipped", unit(p)));
			continue;
		}
		bool heading = false, lone = false;
		char *footer = p->listing ? NULL : footer_record(p, &rec, &heading, &lone);
		if (footer != NULL) {
			add_line(&p->warn, &p->nwarn, &p->capwarn, rec.line, heading ?
			    xasprintf("skipped: '%s' is alone on its row, with no ticket code: read "
			    "as a heading or a note, not a guest (a guest needs their ticket code in "
			    "the file)", footer) :
			    xasprintf("skipped: "
			    "'%s' reads as a totals or footer line, not a guest (a guest of that "
			    "name needs an e-mail or a ticket code in the file)", footer));
			free(footer);
			continue;
		}
		int b = build_row(p, &rec, &r, &why);
		if (b == 2)
			continue;
		seen_rows++;
		if (b == 0 && lone)
			add_warning(&r, xasprintf("'%s%s%s' is alone on its row, with no ticket code: "
			    "imported as a guest with a code made here; if it is a heading over a "
			    "group, not a guest, delete that row ('kiosk cancel CODE' after this "
			    "import)", r.v[F_FIRST], !util_blank(r.v[F_FIRST]) &&
			    !util_blank(r.v[F_LAST]) ? " " : "", r.v[F_LAST]));
		if (b == 1) {
			add_reject(p, rec.line, why);
			note_rejected_names(p, &r);
			row_free(&r);
			continue;
		}
		/* Looked up first, remembered only for a row that is kept: a
		 * rejected row's code is no one's. */
		size_t first = 0;
		const char *dup = NULL;
		if (r.v[F_CODE] && (first = seen_get(&codes, r.v[F_CODE])) != 0)
			dup = "ticket code";
		else if (r.v[F_EXTID] && (first = seen_get(&ids, r.v[F_EXTID])) != 0)
			dup = colmap_header(m, (size_t)colmap_column(m, COLMAP_EXTID));
		else if (r.match_key && (first = seen_get(&keys, r.match_key)) != 0)
			dup = "name and e-mail";
		if (dup != NULL) {
			add_reject(p, r.line, xasprintf("same %s as %s %zu", dup, unit(p), first));
			if (!same_person(p, first, &r))
				note_rejected_names(p, &r);
			row_free(&r);
			continue;
		}
		if (r.v[F_CODE]) {
			seen_add(&codes, r.v[F_CODE], r.line);
			size_t n = strlen(r.v[F_CODE]), z = rounded_tail(r.v[F_CODE]);
			long_codes += n > SPREADSHEET_DIGITS && n < SPREADSHEET_DIGITS + 4 &&
			    strspn(r.v[F_CODE], "0123456789") == n;
			zero_tails += z > 0;
			zeros += z;
			if (z > 0 && first_zero_line == 0)
				first_zero_line = r.line;
		}
		if (r.v[F_EXTID])
			seen_add(&ids, r.v[F_EXTID], r.line);
		if (r.match_key)
			seen_add(&keys, r.match_key, r.line);
		if (r.warning != NULL) {
			add_line(&p->warn, &p->nwarn, &p->capwarn, r.line, r.warning);
			r.warning = NULL;
		}
		/* caprows is more than the lines left */
		*(struct row *)blocks_at(&p->rows, p->nrows++) = r;
		if (p->nrows % PUBLISH_STEP == 0 && !publish(p)) {
			cause = xstrdup("stopped");
			break;
		}
	}
	if (got == 0 && seen_rows == 0)
		util_fail(&cause, "%s: no guests below the header %s", p->name, unit(p));
	/* Every code of 16 to 18 digits ends in zeros from its 16th digit, and
	 * so many that chance is out (one file in a million): a spreadsheet
	 * kept 15 digits of each. Their tickets would all be refused at the
	 * door, so nothing is imported. */
	if (cause == NULL && got == 0 && long_codes > 0 && zero_tails == long_codes && zeros >= 6)
		util_fail(&cause, "%s: the ticket codes were rounded by a spreadsheet: all %zu codes "
		    "of 16 to 18 digits end in zeros from the 16th digit (%s %zu first), which "
		    "is all the digits a spreadsheet keeps; their tickets would not scan. %s; "
		    "nothing imported", p->name, long_codes, unit(p), first_zero_line,
		    p->sheet ? "The workbook keeps them as numbers: export the list from the "
		    "platform again (as CSV, or the workbook as it came, not saved again by a "
		    "spreadsheet)" : "Export the list again and open it as text, not as numbers");
	seen_free(&codes);
	seen_free(&ids);
	seen_free(&keys);
	close_source(p);
	pthread_mutex_lock(&p->lock);
	p->failure = cause;
	p->nready = p->nrows;
	p->done = true;
	pthread_cond_broadcast(&p->grew);
	pthread_mutex_unlock(&p->lock);
}

static void *
reader_main(void *arg)
{
	plan_rows(arg);
	return NULL;
}

/* Open a zip of a spreadsheet with its reader: an OpenDocument one
 * (odsin_magic: its mimetype first), else an Excel workbook, which xlsxin
 * reads or says what it is; the sheet named want, or the first shown. */
static int
open_sheet(const void *data, size_t len, const char *name, const char *want,
    struct zipin_sheet **book, char **cause)
{
	if (odsin_magic(data, len))
		return odsin_open_mem(data, len, name, want, book, cause);
	return xlsxin_open_mem(data, len, name, want, book, cause);
}

static int plan_open(struct csvin *in, struct zipin_sheet *book,
    const struct colmap_override *ov, size_t nov, struct import_plan **out, char **cause);

/* Open a workbook's sheet named want (NULL: the first shown) and its plan.
 * Asked for none, when the first sheet shown has no list (a cover sheet,
 * a summary, instructions before the list), the next sheet shown that has
 * one is read, and the plan says which was passed over; when none has,
 * the first one's reason is the file's. */
static int
open_book(const void *data, size_t len, const char *name, const char *want,
    const struct colmap_override *ov, size_t nov, struct import_plan **out, char **cause)
{
	struct zipin_sheet *book = NULL;
	char *first = NULL, **tabs = NULL;
	size_t ntabs = 0;
	int rc = -1;

	if (open_sheet(data, len, name, want, &book, cause) != 0)
		return -1;
	if (want == NULL && book->nsheets > 1) {
		first = xstrdup(book->sheet);
		ntabs = book->nsheets < ZIPIN_MAX_TABS ? book->nsheets : ZIPIN_MAX_TABS;
		tabs = xcalloc(ntabs, sizeof *tabs);
		for (size_t i = 0; i < ntabs; i++)
			tabs[i] = book->hidden[i] ? NULL : xstrdup(book->tabs[i]);
	}
	if (plan_open(NULL, book, ov, nov, out, cause) == 0) {
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < ntabs; i++) {
		struct import_plan *p = NULL;
		char *why = NULL;
		if (tabs[i] == NULL || strcmp(tabs[i], first) == 0 ||
		    open_sheet(data, len, name, tabs[i], &book, &why) != 0 ||
		    plan_open(NULL, book, ov, nov, &p, &why) != 0) {
			free(why);
			continue;
		}
		/* asked for by no one: said as the first shown is */
		p->sheet_asked = false;
		p->sheet_skipped = first;
		first = NULL;
		free(*cause);
		*cause = NULL;
		*out = p;
		rc = 0;
		break;
	}
out:
	for (size_t i = 0; i < ntabs; i++)
		free(tabs[i]);
	free(tabs);
	free(first);
	return rc;
}

/* Take in or book, the one set (on success too: the plan keeps it), read
 * the header, and start the reader; without a thread, read the rows here. */
static int
plan_open(struct csvin *in, struct zipin_sheet *book, const struct colmap_override *ov,
    size_t nov, struct import_plan **out, char **cause)
{
	struct import_plan *p = xcalloc(1, sizeof *p);
	p->in = in;
	p->book = book;
	p->sheet = in == NULL;
	p->name = xstrdup(in ? csvin_name(in) : zipin_sheet_name(book));
	if (book != NULL) {
		p->sheet_name = xstrdup(zipin_sheet_tab(book, &p->nsheets));
		p->sheet_list = zipin_sheet_tabs(book);
		p->sheet_asked = book->want != NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->grew, NULL);
	if (plan_header(p, ov, nov, cause) != 0) {
		/* The list may be on another sheet than the one read (a sheet
		 * of instructions first): say which was, and which the file
		 * has, or the organiser looks for what is wrong with a list
		 * that has nothing wrong. */
		if (p->sheet && p->nsheets > 1 && !p->sheet_asked && *cause != NULL) {
			char *said = xasprintf("%s (the first sheet shown of %zu, '%s', was read; "
			    "the sheets are %s: to import another, give its name to --sheet)",
			    *cause, p->nsheets, p->sheet_name, p->sheet_list);
			free(*cause);
			*cause = said;
		}
		import_free(p);
		return -1;
	}
	p->reading = util_thread_start(&p->reader, reader_main, p) == 0;
	if (!p->reading)
		plan_rows(p);
	*out = p;
	return 0;
}

/* Row i once the reader has published it, or NULL when the file has no
 * row i (or the reader stopped before). *seen caches what the caller last
 * learnt was published, to take the lock only when it must wait. */
static const struct row *
plan_row(struct import_plan *p, size_t i, size_t *seen)
{
	if (i >= *seen) {
		pthread_mutex_lock(&p->lock);
		while (p->nready <= i && !p->done)
			pthread_cond_wait(&p->grew, &p->lock);
		*seen = p->nready;
		pthread_mutex_unlock(&p->lock);
	}
	return i < *seen ? blocks_at(&p->rows, i) : NULL;
}

int
import_open(const char *path, const struct colmap_override *ov, size_t nov,
    struct import_plan **out, char **cause)
{
	return import_open_sheet(path, NULL, ov, nov, out, cause);
}

int
import_open_sheet(const char *path, const char *sheet, const struct colmap_override *ov,
    size_t nov, struct import_plan **out, char **cause)
{
	struct csvin *in = NULL;
	struct zipin_sheet *book = NULL;
	char *raw = NULL;
	size_t len = 0;
	/* Read once, then told apart by its first bytes (xlsxin_magic): a
	 * pipe (kiosk import /dev/stdin, <(...)) cannot be read again, and
	 * what a first look read of it was lost to the reader after it. */
	if (util_read_file(path, CSVIN_MAX_FILE, &raw, &len, cause) != 0)
		return -1;
	if (xlsxin_magic(raw, len)) {
		int rc = open_book(raw, len, path, sheet, ov, nov, out, cause);
		free(raw);
		return rc;
	} else if (sheet != NULL) {
		free(raw);
		return util_fail(cause, "%s: not a workbook (.xlsx) or spreadsheet (.ods), which "
		    "--sheet is for: leave --sheet out", path);
	} else if (csvin_open_take(raw, len, path, &in, cause) != 0) {
		return -1;
	}
	return plan_open(in, book, ov, nov, out, cause);
}

int
import_ready(struct import_plan *p, char **cause)
{
	size_t seen = 0;
	(void)plan_row(p, 0, &seen);
	pthread_mutex_lock(&p->lock);
	bool done = p->done;
	pthread_mutex_unlock(&p->lock);
	/* read to the end already: a file that failed opens nothing */
	return done ? import_finish(p, cause) : 0;
}

int
import_finish(struct import_plan *p, char **cause)
{
	pthread_mutex_lock(&p->lock);
	while (!p->done)
		pthread_cond_wait(&p->grew, &p->lock);
	pthread_mutex_unlock(&p->lock);
	if (p->reading) {
		pthread_join(p->reader, NULL);
		p->reading = false;
	}
	if (p->failure != NULL)
		return util_fail(cause, "%s", p->failure);
	return 0;
}

/* Open, then read it all: a file that cannot be imported fails here. */
static int
read_all(struct import_plan *p, struct import_plan **out, char **cause)
{
	if (import_finish(p, cause) != 0) {
		import_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int
import_read(const char *path, const struct colmap_override *ov, size_t nov,
    struct import_plan **out, char **cause)
{
	struct import_plan *p = NULL;
	if (import_open(path, ov, nov, &p, cause) != 0)
		return -1;
	return read_all(p, out, cause);
}

int
import_read_mem(const char *data, size_t len, const char *name,
    const struct colmap_override *ov, size_t nov, struct import_plan **out, char **cause)
{
	struct csvin *in = NULL;
	struct import_plan *p = NULL;
	if (xlsxin_magic(data, len) ? open_book(data, len, name, NULL, ov, nov, &p, cause) != 0 :
	    csvin_open_mem(data, len, name, &in, cause) != 0 ||
	    plan_open(in, NULL, ov, nov, &p, cause) != 0)
		return -1;
	return read_all(p, out, cause);
}

void import_allow_new_codes(struct import_plan *p) { p->new_codes = true; }
void
import_check_code_length(struct import_plan *p, int min_length)
{
	p->code_min_length = min_length;
}
enum csvin_encoding import_encoding(const struct import_plan *p) { return p->enc; }

size_t
import_utf8_lines(const struct import_plan *p, size_t *first)
{
	*first = p->utf8_line;
	return p->utf8_lines;
}

size_t
import_cp1252_lines(const struct import_plan *p, size_t *first)
{
	*first = p->cp1252_line;
	return p->cp1252_lines;
}
char import_delimiter(const struct import_plan *p) { return p->delim; }
const char *import_unit(const struct import_plan *p) { return unit(p); }

const char *
import_sheet(const struct import_plan *p, size_t *nsheets)
{
	*nsheets = p->nsheets;
	return p->sheet_name;
}

const char *import_sheets(const struct import_plan *p) { return p->sheet_list; }
bool import_sheet_asked(const struct import_plan *p) { return p->sheet_asked; }
const char *import_sheet_skipped(const struct import_plan *p) { return p->sheet_skipped; }
bool import_has_codes(const struct import_plan *p) { return p->present[F_CODE]; }
size_t import_rejects(const struct import_plan *p) { return p->nrej; }
size_t import_warnings(const struct import_plan *p) { return p->nwarn; }

void
import_reject(const struct import_plan *p, size_t i, size_t *line, const char **reason)
{
	*line = p->rej[i].line;
	*reason = p->rej[i].reason;
}

void
import_warning(const struct import_plan *p, size_t i, size_t *line, const char **text)
{
	*line = p->warn[i].line;
	*text = p->warn[i].reason;
}

size_t
import_rows(const struct import_plan *p)
{
	/* the lock, not the plan, changes: the reader may be publishing */
	pthread_mutex_t *lock = (pthread_mutex_t *)&p->lock;
	pthread_mutex_lock(lock);
	size_t n = p->nready;
	pthread_mutex_unlock(lock);
	return n;
}

char *
import_mapping_text(const struct import_plan *p)
{
	return xstrdup(p->mapping);
}

void
import_free(struct import_plan *p)
{
	if (p == NULL)
		return;
	if (p->reading) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->reader, NULL);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->grew);
	close_source(p);
	free(p->name);
	free(p->sheet_name);
	free(p->sheet_list);
	free(p->sheet_skipped);
	colmap_free(p->m);
	free(p->payment);
	free(p->plus_ones);
	free(p->cancel_col);
	free(p->failure);
	for (size_t i = 0; i < p->nrows; i++)
		row_free(blocks_at(&p->rows, i));
	for (size_t i = 0; i < p->nrej; i++)
		free(p->rej[i].reason);
	for (size_t i = 0; i < p->nwarn; i++)
		free(p->warn[i].reason);
	blocks_free(&p->rows);
	for (size_t i = 0; i < p->nrej_names; i++)
		free(p->rej_names[i]);
	free(p->rej_names);
	free(p->rej);
	free(p->warn);
	free(p->mapping);
	for (size_t i = 0; i < p->nextra; i++)
		free(p->extra_cols[i]);
	free(p->extra_cols);
	for (size_t i = 0; i < p->nhead; i++)
		free(p->head[i]);
	free(p->head);
	free(p);
}

/* --- applying ---------------------------------------------------------- */

/* Matching by name and e-mail, for a row whose code or id matched nobody.
 * A wrong merge (a valid ticket cancelled, someone's sent ticket replaced,
 * two people made one) is worse than a second row, so a key matches only
 * when exactly one candidate has it, and each guest at most one row. */
#define KEY_AMBIGUOUS SIZE_MAX

struct name_index {
	struct seen keyless;    /* guests imported without code or id: key -> id */
	struct seen coded;      /* the others (with a code, an id, walk-ins) */
	bool keyless_loaded, coded_loaded;
	struct seen taken;      /* guests matched by name in this import */
	struct seen emails;     /* keyless guests' e-mails (lower case) -> id */
	bool emails_loaded;
	struct seen walkins;    /* walk-ins' e-mails and names (walkin_keys) -> id */
	bool walkins_loaded;
	struct seen file_names; /* each name of the file (no e-mail), as every
	                         * key may match it: its rows; "#ID|" before it,
	                         * with pretix's bare id */
	bool file_names_loaded;
	struct seen file_codes; /* each ticket code of the file's rows */
	bool file_codes_loaded;
	struct seen names;      /* for a file without e-mails: guests' names
	                         * (name_key without the e-mail) -> id */
	bool names_loaded;
};

static void
name_index_free(struct name_index *ix)
{
	seen_free(&ix->keyless);
	seen_free(&ix->coded);
	seen_free(&ix->taken);
	seen_free(&ix->emails);
	seen_free(&ix->walkins);
	seen_free(&ix->file_names);
	seen_free(&ix->file_codes);
	seen_free(&ix->names);
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The valid guests imported before (id up to before) whom no row of the
 * file matched (matched, sorted), into rep->absent and its names, when the
 * file matched four times as many or more: a re-import of the whole
 * export, from which rows were deleted (a refund the platform drops, a
 * colleague's tidying), not a list of a few (speakers, one platform of
 * two), which would name most of the event. Returns 0, or -1 with *cause. */
static int
absent_guests(struct store *s, int64_t before, const int64_t *matched, size_t nmatched,
    struct import_report *rep, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, first_name, last_name, code FROM guest"
	    " WHERE id <= ?1 AND source = 'import' AND NOT cancelled AND forgotten_at = 0",
	    cause); /* in the order they were listed: no sort of the whole list */
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (bsearch(&id, matched, nmatched, sizeof *matched, cmp_id) != NULL)
			continue;
		if (n < IMPORT_KEPT_LINES) {
			char *name = rep->absent_names[n];
			int w = snprintf(name, IMPORT_ABSENT_NAME, "%s%s%s (%s)",
			    (const char *)sqlite3_column_text(st, 1),
			    sqlite3_column_bytes(st, 1) && sqlite3_column_bytes(st, 2) ? " " : "",
			    (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3));
			/* a long one (a Luma link for a code) cut between characters */
			if (w < 0) {
				name[0] = '\0';
			} else if (w >= IMPORT_ABSENT_NAME) {
				size_t k = util_utf8_cut(name, IMPORT_ABSENT_NAME - 1,
				    IMPORT_ABSENT_NAME - 4);
				memcpy(name + k, "...", 4);
			}
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read the guest list");
	rep->absent = n * 4 <= nmatched ? n : 0;
	return 0;
}

/* A keyless row added while a guest of its e-mail, under another name, was
 * on the list before: most likely a name corrected in the form's export,
 * which now lists the guest twice (e-mail is no key: a family may share
 * one). Said if no row of the file matched that guest (import_apply).
 * Returns the other guest's id, 0 for none, or -1 with *cause. */
static int64_t
same_email_guest(struct store *s, const struct import_plan *p, struct name_index *ix,
    const struct row *r, char **cause)
{
	if (r->match_key == NULL || util_blank(r->v[F_EMAIL]))
		return 0;
	if (!ix->emails_loaded) {
		/* A file with neither codes nor ids matched the guests that came
		 * with one as well (find_existing): a name corrected there lists
		 * such a guest twice too. Their e-mails go under "+", asked only
		 * where no guest listed without a code has the row's. */
		sqlite3_stmt *st = store_stmt(s, "SELECT id, email, match_key IS NULL FROM guest"
		    " WHERE email != '' AND (match_key IS NOT NULL OR (?1 AND source = 'import'))",
		    cause);
		if (st == NULL)
			return -1;
		sqlite3_bind_int(st, 1, !p->present[F_CODE] && !p->present[F_EXTID]);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			char *l = lower_ascii((const char *)sqlite3_column_text(st, 1));
			char *e = sqlite3_column_int(st, 2) ? xasprintf("+%s", l) : xstrdup(l);
			free(l);
			bool found;
			size_t *slot = seen_slot(&ix->emails, e, &found);
			*slot = found ? KEY_AMBIGUOUS : (size_t)sqlite3_column_int64(st, 0);
			free(e);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_fail(s, cause, "cannot read the guest list");
		ix->emails_loaded = true;
	}
	char *e = lower_ascii(r->v[F_EMAIL]);
	size_t id = seen_get(&ix->emails, e);
	if (id == 0) {
		char *c = xasprintf("+%s", e);
		id = seen_get(&ix->emails, c);
		free(c);
	}
	free(e);
	return id == KEY_AMBIGUOUS ? 0 : (int64_t)id;
}

/* A walk-in's keys: "@" and the e-mail in lower case, when there is one;
 * "=" and the whole name folded (as name_key), when there is one. */
static void
walkin_keys(const char *first, const char *last, const char *email, char *keys[2])
{
	keys[0] = util_blank(email) ? NULL : lower_ascii(email);
	if (keys[0] != NULL) {
		char *k = xasprintf("@%s", keys[0]);
		free(keys[0]);
		keys[0] = k;
	}
	char *a = fold_key(first ? first : ""), *b = fold_key(last ? last : "");
	keys[1] = *a != '\0' || *b != '\0' ? xasprintf("=%s%s", a, b) : NULL;
	free(a);
	free(b);
}

/* A row added while a walk-in of its e-mail or name is on the list: most
 * likely someone registered at the door who then bought a ticket on the
 * platform, and now holds two that both admit. Returns the walk-in's id,
 * 0 for none, or -1 with *cause. */
static int64_t
same_walkin(struct store *s, struct name_index *ix, const struct row *r, char **cause)
{
	char *keys[2];
	if (!ix->walkins_loaded) {
		sqlite3_stmt *st = store_stmt(s, "SELECT id, first_name, last_name, email FROM guest"
		    " WHERE source = 'walkin' AND NOT cancelled", cause);
		if (st == NULL)
			return -1;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			walkin_keys((const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3), keys);
			for (int k = 0; k < 2; k++)
				if (keys[k] != NULL) {
					seen_add(&ix->walkins, keys[k], (size_t)sqlite3_column_int64(st, 0));
					free(keys[k]);
				}
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_fail(s, cause, "cannot read the guest list");
		ix->walkins_loaded = true;
	}
	walkin_keys(r->v[F_FIRST], r->v[F_LAST], r->v[F_EMAIL], keys);
	size_t id = 0;
	for (int k = 0; k < 2; k++) {
		if (keys[k] != NULL && id == 0)
			id = seen_get(&ix->walkins, keys[k]);
		free(keys[k]);
	}
	return (int64_t)id;
}

/* The name keys of the guests imported without code or id (keyless) or of
 * the others, made from their names as stored (a key stored by an older
 * version was made another way). */
static int
load_names(struct store *s, struct seen *map, bool keyless, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, keyless ?
	    "SELECT id, first_name, last_name, email FROM guest WHERE match_key IS NOT NULL" :
	    "SELECT id, first_name, last_name, email FROM guest WHERE match_key IS NULL", cause);
	if (st == NULL)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *k = name_key((const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3));
		bool found;
		size_t *slot = seen_slot(map, k, &found);
		*slot = found ? KEY_AMBIGUOUS : (size_t)sqlite3_column_int64(st, 0);
		free(k);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read the guest list");
	return 0;
}

/* The guest of r's name key in map, or 0 (KEY_AMBIGUOUS for several). */
static size_t
lookup_name(const struct seen *map, const struct row *r)
{
	char *made = r->match_key ? NULL : name_key(r->v[F_FIRST], r->v[F_LAST], r->v[F_EMAIL]);
	size_t id = seen_get(map, made ? made : r->match_key);
	free(made);
	if (id == 0 && r->alt_key != NULL)
		id = seen_get(map, r->alt_key);
	/* a last-name-first name as --map name= split it before such a
	 * column was read so (build_row) */
	if (id == 0 && r->lf_full != NULL) {
		char *first = NULL, *last = NULL;
		colmap_split_name(r->lf_full, &first, &last);
		char *k = name_key(first, last, r->v[F_EMAIL]);
		id = seen_get(map, k);
		free(k);
		free(first);
		free(last);
	}
	return id;
}

/* Was g's ticket code made here (our shape and this event's tag), for a
 * guest listed before without a code of the platform's? */
static bool
code_made_here(struct store *s, const struct guest *g)
{
	char tag[CODE_TAG_MAX + 1];
	return code_parse_ours(g->code, tag) && strcmp(tag, store_event(s)->tag) == 0;
}

/* Has kiosk mail sent g a ticket with the code g has (or one that may have
 * arrived)? 1, 0, or -1 with *cause. */
static int
ticket_mailed(struct store *s, const struct guest *g, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS (SELECT 1 FROM mail WHERE guest_uuid = ?1"
	    " AND (result = 'sent' OR result = 'unknown') AND (code IS NULL OR code = ?2))",
	    cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, g->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, g->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int mailed = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	if (mailed < 0)
		return store_fail(s, cause, "cannot read the mail log");
	return mailed;
}

/* May g's ticket code be replaced without a word? Only a code made here
 * with no ticket mailed (a mailed one must go on scanning). 1, 0, or -1
 * with *cause; *mailed says whether kiosk mail sent a ticket with the code
 * g has, made here or the platform's (kiosk mail sends either). */
static int
code_replaceable(struct store *s, const struct guest *g, bool *mailed, char **cause)
{
	*mailed = false;
	int m = ticket_mailed(s, g, cause);
	if (m < 0)
		return -1;
	*mailed = m;
	return code_made_here(s, g) && !m;
}

/* May a row with a ticket code or id of its own take over g, found by name?
 * Only a guest with no id whose code was made here: the row then gives the
 * guest the platform's code, without a word when no ticket was mailed, and
 * when one was, only with --new-codes (update_guest counts it as recoded):
 * adding the row as another guest would let both tickets in. A guest with
 * the platform's own code or id is another ticket, perhaps of the same
 * buyer under the same name. */
static bool
may_take_code(struct store *s, const struct guest *g)
{
	return g->ext_id[0] == '\0' && code_made_here(s, g);
}

/* Count key for one row in the file's names (struct name_index). */
static void
count_name(struct seen *m, const char *key)
{
	bool found;
	size_t *slot = seen_slot(m, key, &found);
	(*slot)++;
}

/* Whether key (a name, or "#ID|" and a name) belongs to one row of the file
 * (rejected rows among them), in all the ways a row may be matched
 * (row_name_keys): only then may a loose match take a guest. A re-import
 * has the whole file read before it is applied, so this does not hang on
 * the order of the rows. strict: a row rejected before its names were read
 * (its fields miscounted) could be anyone's, and makes no match by name
 * alone; an order and position with the name are enough. */
static bool
alone_in_file(struct import_plan *p, struct name_index *ix, const char *key, bool strict)
{
	if (!ix->file_names_loaded) {
		const struct row *x;
		size_t seen = 0;
		for (size_t i = 0; (x = plan_row(p, i, &seen)) != NULL; i++) {
			char *keys[6];
			size_t n = file_keys(x, keys);
			for (size_t k = 0; k < n; k++) {
				count_name(&ix->file_names, keys[k]);
				free(keys[k]);
			}
		}
		for (size_t i = 0; i < p->nrej_names; i++)
			count_name(&ix->file_names, p->rej_names[i]);
		ix->file_names_loaded = true;
	}
	return (!strict || p->rej_unnamed == 0) && seen_get(&ix->file_names, key) == 1;
}

/* Whether a row of the file has code. */
static bool
code_in_file(struct import_plan *p, struct name_index *ix, const char *code)
{
	if (!ix->file_codes_loaded) {
		const struct row *x;
		size_t seen = 0;
		for (size_t i = 0; (x = plan_row(p, i, &seen)) != NULL; i++)
			if (x->v[F_CODE] != NULL)
				seen_add(&ix->file_codes, x->v[F_CODE], 1);
		ix->file_codes_loaded = true;
	}
	return seen_get(&ix->file_codes, code) != 0;
}

/* Whether g, the one guest of a row's name and e-mail, is that row's ticket
 * under a code that changed (recoded_guest): not cancelled, imported (not a
 * walk-in) with a code of the platform's that no row of this file has, and
 * without an id, or with one this file cannot show (it has no id column: a
 * guest first imported from a file with ids is found by its name then).
 * Not when the row is of another ticket type (a workshop beside the
 * conference, a second file: a reissued code keeps its type), nor when
 * another row of the file, rejected ones too, may be theirs (a rejected
 * row may hold the old code): in doubt, the row is a guest of its own. */
static bool
code_changed(struct store *s, struct import_plan *p, struct name_index *ix,
    const struct guest *g, const struct row *r)
{
	if (g->cancelled || (g->ext_id[0] != '\0' && p->present[F_EXTID]) ||
	    strcmp(g->source, "import") != 0 || code_made_here(s, g) ||
	    code_in_file(p, ix, g->code))
		return false;
	if (p->present[F_TYPE] && !util_blank(r->v[F_TYPE]) && g->ticket_type[0] != '\0' &&
	    strcmp(r->v[F_TYPE], g->ticket_type) != 0)
		return false;
	/* a file without the ticket type the guest was listed with (a second
	 * list, a dinner's, with codes of its own) cannot show a reissue:
	 * --new-codes would take the guest's first ticket */
	if (!p->present[F_TYPE] && g->ticket_type[0] != '\0')
		return false;
	char *k = name_key(r->v[F_FIRST], r->v[F_LAST], "");
	bool alone = alone_in_file(p, ix, k, true);
	free(k);
	return alone;
}

/* The name keys of the guests with a code or id (name_index.coded), read
 * once. Returns 0, or -1 with *cause. */
static int
coded_names(struct store *s, struct name_index *ix, char **cause)
{
	if (!ix->coded_loaded) {
		if (load_names(s, &ix->coded, false, cause) != 0)
			return -1;
		ix->coded_loaded = true;
	}
	return 0;
}

/* The guest id names (a name index's), unless it is none, several, or one
 * another row took by name: 1 with *g, 0, or -1 with *cause. */
static int
untaken_guest(struct store *s, struct name_index *ix, size_t id, struct guest *g, char **cause)
{
	if (id == 0 || id == KEY_AMBIGUOUS)
		return 0;
	char text[24];
	snprintf(text, sizeof text, "%zu", id);
	if (seen_get(&ix->taken, text) != 0)
		return 0;
	return guest_find_one(s, "SELECT " GUEST_COLUMNS " FROM guest"
	    " WHERE id = CAST(? AS INTEGER)", text, g, cause);
}

/* g is taken by a row by name: no other row takes it. */
static void
take(struct name_index *ix, const struct guest *g)
{
	char text[24];
	snprintf(text, sizeof text, "%lld", (long long)g->id);
	seen_add(&ix->taken, text, 1);
}

/* A row that may be a guest's whose code changed (recoded_guest): a code,
 * no id, and an e-mail to tell the guest by with the name. */
static bool
recodable_row(const struct row *r)
{
	return r->v[F_CODE] != NULL && r->v[F_EXTID] == NULL && !util_blank(r->v[F_EMAIL]);
}

/* The guest a row with a ticket code no guest has, and no id, is, when its
 * code changed: a guest of the row's name and e-mail, alone on the list
 * under them, imported with a code of the platform's that no row of this
 * file has, not cancelled, without an id. The platform issued new codes,
 * or --map code= names another column (an order number): added, every
 * guest would be on the list twice, and both their tickets would let them
 * in. Taken, update_guest counts the guest recoded, and the import stops
 * unless --new-codes. A guest whose old code is still in the file is
 * another ticket of the same buyer; a cancelled one, a ticket bought
 * again. Returns 1 with *g, 0, or -1 with *cause. */
static int
recoded_guest(struct store *s, struct import_plan *p, const struct row *r,
    struct name_index *ix, struct guest *g, char **cause)
{
	if (!recodable_row(r))
		return 0;
	if (coded_names(s, ix, cause) != 0)
		return -1;
	int found = untaken_guest(s, ix, lookup_name(&ix->coded, r), g, cause);
	if (found != 1)
		return found;
	if (!code_changed(s, p, ix, g, r)) {
		guest_clear(g);
		return 0;
	}
	take(ix, g);
	return 1;
}

/* A guest imported before without code, id or e-mail, for a row of theirs
 * that has an e-mail now (a form's export that gained the column, a buyer's
 * e-mail now read, the platform's export with codes): its id, or 0. Only
 * for a row that cancels nothing, whose name is alone in the file. */
static size_t
no_email_guest(struct import_plan *p, struct name_index *ix, const struct row *r)
{
	if (ix->keyless.n == 0 || util_blank(r->v[F_EMAIL]) || (r->has_status && r->cancelled))
		return 0;
	char *k = name_key(r->v[F_FIRST], r->v[F_LAST], "");
	size_t id = seen_get(&ix->keyless, k);
	if (id != 0 && !alone_in_file(p, ix, k, true))
		id = 0;
	free(k);
	return id;
}

/* The names (name_key without the e-mail) of the guests this file could
 * match by name and e-mail (find_existing), in name_index.names, read
 * once. Returns 0, or -1 with *cause. */
static int
load_name_only(struct store *s, const struct import_plan *p, struct name_index *ix,
    char **cause)
{
	if (ix->names_loaded)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, first_name, last_name FROM guest WHERE"
	    " match_key IS NOT NULL OR (?1 AND source = 'import')", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, !p->present[F_CODE] && !p->present[F_EXTID]);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *k = name_key((const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), "");
		bool found;
		size_t *slot = seen_slot(&ix->names, k, &found);
		*slot = found ? KEY_AMBIGUOUS : (size_t)sqlite3_column_int64(st, 0);
		free(k);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read the guest list");
	ix->names_loaded = true;
	return 0;
}

/* A keyless row added with the whole name of a guest listed before with
 * another e-mail, or from a file without e-mails: most likely an e-mail
 * corrected in the form's export, or a list of names (speakers, a form
 * that asked none) of guests already listed, who are now on it twice, and
 * both their codes admit. But two people may share a name, and a name
 * alone is no key (a speakers' list matched by name made an attendee of
 * the same name a speaker): only said, as same_email_guest's, and only if
 * no row of the file matched that guest. Returns the guest's id, 0 for
 * none, or -1 with *cause. */
static int64_t
same_name_guest(struct store *s, const struct import_plan *p, struct name_index *ix,
    const struct row *r, char **cause)
{
	if (r->match_key == NULL || (util_blank(r->v[F_EMAIL]) && p->present[F_EMAIL]))
		return 0;
	if (load_name_only(s, p, ix, cause) != 0)
		return -1;
	char *k = name_key(r->v[F_FIRST], r->v[F_LAST], "");
	size_t id = seen_get(&ix->names, k);
	free(k);
	return id == KEY_AMBIGUOUS ? 0 : (int64_t)id;
}

/* Whether a and b are the same number written with other leading zeros
 * ("000123", "123"): a code a spreadsheet opened as a number. */
static bool
same_number(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na == 0 || nb == 0 || strspn(a, "0123456789") != na ||
	    strspn(b, "0123456789") != nb)
		return false;
	a += strspn(a, "0");
	b += strspn(b, "0");
	return strcmp(a, b) == 0;
}

static int
find_existing(struct store *s, struct import_plan *p, const struct row *r,
    struct name_index *ix, struct guest *g, char **cause)
{
	static const char *const by_id = "SELECT " GUEST_COLUMNS " FROM guest WHERE ext_id = ?"
	    " ORDER BY id LIMIT 1";
	int found = 0;
	size_t id = 0;

	if (r->v[F_CODE] != NULL)
		found = guest_find_by_code(s, r->v[F_CODE], g, cause);
	if (found == 0 && r->v[F_EXTID] != NULL)
		found = guest_find_one(s, by_id, r->v[F_EXTID], g, cause);
	/* pretix's Position ID as imported before it was read with its order:
	 * the guest of that bare id, when theirs is the row's name and no other
	 * row of the file has both, and, for a row with a secret, the guest's
	 * code was made here (a platform's code is another ticket). */
	if (found == 0 && r->bare_id != NULL &&
	    (found = guest_find_one(s, by_id, r->bare_id, g, cause)) == 1) {
		char *a = name_key(g->first_name, g->last_name, ""),
		    *b = name_key(r->v[F_FIRST], r->v[F_LAST], "");
		char *idk = id_name_key(r->bare_id, b);
		if (strcmp(a, b) != 0 || !alone_in_file(p, ix, idk, false) ||
		    (r->v[F_CODE] != NULL && !code_made_here(s, g))) {
			guest_clear(g);
			found = 0;
		}
		free(idk);
		free(a);
		free(b);
	}
	if (found != 0)
		return found;
	/* A row with a code or an id that is cancelled takes over nobody: it
	 * would cancel the valid ticket of someone of the same name. */
	bool coded = r->match_key == NULL;
	if (coded && r->has_status && r->cancelled)
		return 0;

	if (!ix->keyless_loaded) {
		if (load_names(s, &ix->keyless, true, cause) != 0)
			return -1;
		ix->keyless_loaded = true;
	}
	id = lookup_name(&ix->keyless, r);
	/* A file with neither a code nor an id column (a form, an export whose
	 * code column was renamed) also matches the guests that came with
	 * one: it cannot give them another code, nor cancel their ticket
	 * (form_keeps_ticket). */
	if (id == 0 && !coded && !p->present[F_CODE] && !p->present[F_EXTID] &&
	    !util_blank(r->v[F_EMAIL])) {
		/* not by the name alone (a guest listed without an e-mail):
		 * a speakers' list would make an attendee of that name a
		 * speaker, an RSVP "No" cancel a walk-in */
		if (coded_names(s, ix, cause) != 0)
			return -1;
		id = lookup_name(&ix->coded, r);
	}
	bool loose = false;
	if (id == 0)
		loose = (id = no_email_guest(p, ix, r)) != 0;
	if (id == 0 && coded)
		return recoded_guest(s, p, r, ix, g, cause);
	found = untaken_guest(s, ix, id, g, cause);
	/* by name alone, never a cancelled guest: a paid ticket would be
	 * refused (an RSVP "No", then the platform's export) */
	/* nor one of another ticket type (a speakers' list imported first,
	 * then the platform's export with an attendee of that name) */
	if (found == 1 && loose && (g->cancelled || (p->present[F_TYPE] &&
	    !util_blank(r->v[F_TYPE]) && g->ticket_type[0] != '\0' &&
	    strcmp(r->v[F_TYPE], g->ticket_type) != 0))) {
		guest_clear(g);
		return 0;
	}
	/* A guest first listed by a form, who took the platform's code since,
	 * is under it a guest with a code: a row of a code no guest has, and no
	 * id, is theirs when that code changed, as in recoded_guest (else every
	 * such guest would be added again, and both tickets admit). */
	if (found == 1 && coded && !may_take_code(s, g)) {
		bool recoded = !loose && recodable_row(r) && code_changed(s, p, ix, g, r);
		if (recoded && coded_names(s, ix, cause) != 0) {
			guest_clear(g);
			return -1;
		}
		if (!recoded || lookup_name(&ix->coded, r) != 0) {
			guest_clear(g);
			return 0;
		}
	}
	if (found == 1)
		take(ix, g);
	return found;
}

/* Stored extras with the row's laid over them: a second file with other
 * columns (T-shirt sizes) adds to what the first gave, and a column of this
 * file left empty in the row clears what an earlier import put there. */
static char *
merge_extra(const struct import_plan *p, const char *stored, const struct row *r)
{
	/* The row's extras as they are stored (most rows of a re-import): the
	 * merge would give them back, so skip parsing both. */
	if (stored != NULL && r->extra != NULL && strcmp(stored, r->extra) == 0)
		return xstrdup(stored);
	json_t *a = r->extra_whole ? json_object() : json_loads(stored, 0, NULL);
	json_t *b = json_loads(r->extra, 0, NULL);
	char *out;
	if (!json_is_object(a)) {
		json_decref(a);
		a = json_object();
	}
	for (size_t i = 0; i < p->nextra; i++)
		json_object_del(a, p->extra_cols[i]);
	if (json_is_object(b))
		json_object_update(a, b);
	out = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(a);
	json_decref(b);
	return out ? out : xstrdup(r->extra);
}

/* Whether two JSON texts hold the same object, in whatever order (the
 * merge puts this file's columns last). */
static bool
same_json(const char *a, const char *b)
{
	json_t *x = json_loads(a, 0, NULL), *y = json_loads(b, 0, NULL);
	bool same = x != NULL && y != NULL && json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return same;
}

/* A file with neither codes nor ids (a form, an RSVP list) cancels no
 * ticket the platform sold, the guest's who was first listed by the form
 * too: an RSVP "No" there is not a refund. The row still updates the
 * guest's fields (it is theirs: not added again beside them, cancelled,
 * to be matched by the next "Yes"). */
static bool
form_keeps_ticket(struct store *s, const struct import_plan *p, const struct guest *g)
{
	return !p->present[F_CODE] && !p->present[F_EXTID] &&
	    (g->ext_id[0] != '\0' || !code_made_here(s, g) ||
	    strcmp(g->source, "walkin") == 0);
}

/* A matched guest's UPDATE but for the indexed columns (update_guest). */
#define UPDATE_SET "UPDATE guest SET first_name = ?1, last_name = ?2, email = ?3," \
	" company = ?4, ticket_type = ?5, handle = ?6, extra = ?9, cancelled = ?10," \
	" cancelled_at = CASE WHEN cancelled = ?10 THEN cancelled_at ELSE ?11 END," \
	" updated_at = ?11, updated_by = ?12, words = ?15, language = coalesce(?16, language)," \
	" fields_at = CASE WHEN ?18 THEN NULL ELSE coalesce(fields_at, updated_at) END," \
	" dirty = 1, rev = (SELECT coalesce(max(rev), 0) + 1 FROM guest)"

/* What update_guest did besides updating. */
struct updated {
	bool changed;          /* anything at all */
	bool kept_cancelled;   /* cancelled here, valid in the file: left cancelled */
	bool recoded;          /* a code that was sent replaced (needs --new-codes) */
	bool new_code;         /* a code kiosk made, never sent, replaced by the row's */
	bool remail;           /* recoded, and kiosk mail had sent the old code */
	bool rebadged;         /* what a badge shows changed (a valid ticket's) */
	bool recased;          /* a name in one case only kept as listed (fold_case_lost) */
	bool zeros;            /* the code with other leading zeros: the listed one kept */
};

/* A row that did what a report's figure counts (hit): counted, and its
 * line kept among the first IMPORT_KEPT_LINES, for the message to name. */
static void
count_line(bool hit, size_t *count, size_t lines[IMPORT_KEPT_LINES], size_t line)
{
	if (!hit)
		return;
	if (*count < IMPORT_KEPT_LINES)
		lines[*count] = line;
	(*count)++;
}

static int
update_guest(struct store *s, const struct import_plan *p, const struct row *r,
    const struct guest *g, const char *by, char *made_words, char *made_sort,
    import_change_fn fn, void *arg, struct updated *u, char **cause)
{
	const char *old[F__N] = { g->first_name, g->last_name, g->email, g->company,
	    g->ticket_type, g->handle, g->ext_id, g->code };
	const char *now[F__N];
	struct buf what;
	char *extra = merge_extra(p, g->extra, r);
	char *new_words = NULL, *old_words = NULL, *old_lang = NULL, *sort = NULL;
	/* An import cancels, but never reinstates: a ticket cancelled here
	 * (kiosk cancel, or an earlier export) stays cancelled when a file still
	 * says Attending; kiosk cancel --undo reinstates. */
	bool cancelled = g->cancelled || (r->has_status && r->cancelled &&
	    !form_keeps_ticket(s, p, g));
	memset(u, 0, sizeof *u);
	u->kept_cancelled = g->cancelled && r->has_status && !r->cancelled;
	int rc = -1;

	buf_init(&what, 0);
	/* What the hub and the doors take of one guest (read_guest): more, and
	 * every pull would stop at this guest. */
	if (strlen(extra) > GUEST_EXTRA_MAX && !same_json(extra, g->extra)) {
		util_fail(cause, "%s %zu: %s %s's extra fields, this file's with those kept from "
		    "earlier imports, would be %zu bytes in all (at most %d); nothing was "
		    "imported: leave some columns out, or keep a column an earlier file had "
		    "but empty (that clears it)", unit(p), r->line, g->first_name, g->last_name,
		    strlen(extra), GUEST_EXTRA_MAX);
		goto out;
	}
	/* struct guest has no language: read it only for files that set it. */
	if (p->has_language && r->language != NULL &&
	    guest_stored_language(s, g->id, &old_lang, cause) != 0)
		goto out;
	for (int f = 0; f < F__N; f++) {
		/* A column the file does not have leaves the stored value alone. */
		now[f] = p->present[f] && r->v[f] != NULL ? r->v[f] : old[f];
		/* A list a colleague put in capitals ("ANN PEETERS"): the name
		 * as listed before says which letters are capitals, and the
		 * badges printed with it stay right. */
		if ((f == F_FIRST || f == F_LAST) && fold_case_lost(old[f], now[f])) {
			now[f] = old[f];
			u->recased = true;
		}
		/* ANN@EXAMPLE.ORG is the same mailbox: no change to sync. */
		if (f == F_EMAIL && strcasecmp(now[f], old[f]) == 0)
			now[f] = old[f];
		/* "123" for the list's "000123" (a spreadsheet read the codes
		 * as numbers), the row found by its name and e-mail: the same
		 * ticket, whose code as listed (as printed on it) is kept; the
		 * door takes either (guest_find_by_scanned). */
		if (f == F_CODE && strcmp(now[f], old[f]) != 0 && same_number(now[f], old[f])) {
			now[f] = old[f];
			u->zeros = true;
		}
		if (strcmp(now[f], old[f]) != 0) {
			buf_addf(&what, "%s%s", what.len ? ", " : "", field_label[f]);
			/* a badge printed before shows the old text (a name
			 * corrected on the platform): the organiser is told */
			u->rebadged |= f == F_FIRST || f == F_LAST || f == F_COMPANY ||
			    f == F_TYPE || f == F_HANDLE;
		}
	}
	/* The same fields in another order (the file's columns reordered, or
	 * two files imported in turn: the merge puts this file's last) are no
	 * change. */
	if (strcmp(extra, g->extra) != 0 && !same_json(extra, g->extra))
		buf_addf(&what, "%sextra fields", what.len ? ", " : "");
	/* A file that only cancels keeps the fields' own stamp (merge.h), as
	 * kiosk cancel does: a correction made elsewhere meanwhile stays. */
	bool fields_changed = what.len > 0;
	u->rebadged &= !cancelled; /* a cancelled ticket's badge is no use */
	if (cancelled != g->cancelled)
		buf_addf(&what, "%scancelled", what.len ? ", " : "");
	bool new_lang = old_lang != NULL && strcmp(old_lang, r->language) != 0;
	if (new_lang) {
		buf_addf(&what, "%slanguage", what.len ? ", " : "");
		fields_changed = true;
	}
	u->changed = what.len > 0;
	if (!u->changed) {
		rc = 0;
		goto out;
	}
	/* The words as indexed, not as fold_search_words() would make them now:
	 * files of older versions hold other lists, so any change that rewrites
	 * the row's words re-indexes when they differ, renamed or not. */
	if (guest_stored_words(s, g->id, &old_words, cause) != 0)
		goto out;
	/* The indexed columns are set apart, and only when they change
	 * (guest_set_indexed): the sort key with the rest when the name
	 * changed, as it will then; else only if it differs (a key an older
	 * version made). */
	bool renamed = strcmp(now[F_FIRST], old[F_FIRST]) != 0 ||
	    strcmp(now[F_LAST], old[F_LAST]) != 0;
	static const char rename_sql[] = UPDATE_SET ", sort_key = ?17 WHERE id = ?13";
	static const char update_sql[] = UPDATE_SET " WHERE id = ?13";
	sqlite3_stmt *st = store_stmt(s, renamed ? rename_sql : update_sql, cause);
	if (st == NULL)
		goto out;
	for (int f = F_FIRST; f <= F_HANDLE; f++)
		sqlite3_bind_text(st, f + 1, now[f], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, extra, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, cancelled);
	sqlite3_bind_int64(st, 11, merge_stamp(store_now(s), g->updated_at));
	sqlite3_bind_text(st, 12, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, g->id);
	/* Made on the derive thread from the row's names: right when the
	 * names written are the row's own (not the stored ones kept for a
	 * column the file lacks). */
	bool own = made_words != NULL && now[F_FIRST] == r->v[F_FIRST] &&
	    now[F_LAST] == r->v[F_LAST] && now[F_EMAIL] == r->v[F_EMAIL];
	new_words = own ? made_words : fold_search_words(now[F_FIRST], now[F_LAST], now[F_EMAIL]);
	sort = own ? made_sort : fold_sort_key(now[F_FIRST], now[F_LAST]);
	if (own)
		made_words = made_sort = NULL;
	sqlite3_bind_text(st, 15, new_words, -1, SQLITE_STATIC);
	if (new_lang)
		sqlite3_bind_text(st, 16, r->language, -1, SQLITE_STATIC);
	if (renamed)
		sqlite3_bind_text(st, 17, sort, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 18, fields_changed);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot update a guest");
		goto out;
	}
	if (!renamed && guest_set_indexed(s, "UPDATE guest SET sort_key = ?1 WHERE id = ?2 AND"
	    " sort_key IS NOT ?1", g->id, sort, NULL, cause) != 0)
		goto out;
	if (strcmp(now[F_CODE], old[F_CODE]) != 0) {
		/* A ticket the platform or kiosk mail sent: import_apply stops
		 * unless the plan allows new codes. */
		bool mailed;
		int may = code_replaceable(s, g, &mailed, cause);
		if (may < 0)
			goto out;
		u->recoded = !may;
		u->new_code = may;
		u->remail = mailed;
		if (guest_set_indexed(s, "UPDATE guest SET code = ?1 WHERE id = ?2", g->id,
		    now[F_CODE], NULL, cause) != 0)
			goto out;
	}
	if (strcmp(now[F_EXTID], old[F_EXTID]) != 0 && guest_set_indexed(s,
	    "UPDATE guest SET ext_id = nullif(?1, '') WHERE id = ?2", g->id, now[F_EXTID], NULL,
	    cause) != 0)
		goto out;
	if (strcmp(new_words, old_words) != 0 &&
	    guest_reindex(s, g->id, old_words, new_words, cause) != 0)
		goto out;
	if (fn != NULL) {
		char *name = xasprintf("%s %s", now[F_FIRST], now[F_LAST]);
		fn(r->line, "update", name, what.data, arg);
		free(name);
	}
	rc = 0;
out:
	free(made_words);
	free(made_sort);
	free(new_words);
	free(old_words);
	free(old_lang);
	free(sort);
	free(extra);
	buf_free(&what);
	return rc;
}

/* The search words and sort key of every row, made on a second thread
 * while the first writes the rows: folding names was an eighth of an
 * import's time, and it needs nothing from the database. */
#define DERIVE_MIN_ROWS 1000    /* fewer: not worth a thread, nor new indexes */
#define DERIVE_STEP 64          /* rows between two reports of progress */

struct derived {
	char *words, *sort;
};

struct derive {
	struct import_plan *p;
	struct blocks made;     /* of struct derived, per row; taken by derive_take */
	size_t ready;           /* rows made (under lock) */
	size_t seen;            /* ready, as the writer last read it */
	bool stop, started, ended;
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t thread;
};

#define S(x) ((x) ? (x) : "")

static void
derive_row(const struct row *r, char **words, char **sort)
{
	*words = fold_search_words(S(r->v[F_FIRST]), S(r->v[F_LAST]), S(r->v[F_EMAIL]));
	*sort = fold_sort_key(S(r->v[F_FIRST]), S(r->v[F_LAST]));
}

static void *
derive_main(void *arg)
{
	struct derive *d = arg;
	const struct row *r;
	size_t i, rows_seen = 0;
	for (i = 0; (r = plan_row(d->p, i, &rows_seen)) != NULL; i++) {
		struct derived *x = blocks_at(&d->made, i);
		derive_row(r, &x->words, &x->sort);
		/* at the end of what the reader has published too: the writer
		 * may be waiting for this very row */
		if ((i + 1) % DERIVE_STEP == 0 || i + 1 == rows_seen) {
			pthread_mutex_lock(&d->lock);
			d->ready = i + 1;
			bool stop = d->stop;
			pthread_cond_signal(&d->more);
			pthread_mutex_unlock(&d->lock);
			if (stop)
				return NULL;
		}
	}
	pthread_mutex_lock(&d->lock);
	d->ready = i;
	d->ended = true;
	pthread_cond_signal(&d->more);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

/* Start making them, for a file of DERIVE_MIN_ROWS lines or more; with
 * fewer, guest_insert and update_guest make each when they write it. */
static void
derive_start(struct derive *d, struct import_plan *p)
{
	memset(d, 0, sizeof *d);
	d->p = p;
	if (p->caprows < DERIVE_MIN_ROWS)
		return;
	blocks_init(&d->made, p->caprows, sizeof(struct derived));
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->more, NULL);
	d->started = util_thread_start(&d->thread, derive_main, d) == 0;
	if (!d->started) {
		pthread_mutex_destroy(&d->lock);
		pthread_cond_destroy(&d->more);
	}
}

/* Row i's words and sort key (the caller frees them): from the thread,
 * waiting for it when it is behind; NULL without one (guest_insert makes
 * them then). */
static void
derive_take(struct derive *d, size_t i, char **words, char **sort)
{
	*words = *sort = NULL;
	if (!d->started)
		return;
	if (i >= d->seen) {
		pthread_mutex_lock(&d->lock);
		while (d->ready <= i && !d->ended)
			pthread_cond_wait(&d->more, &d->lock);
		d->seen = d->ready;
		pthread_mutex_unlock(&d->lock);
	}
	struct derived *x = blocks_at(&d->made, i);
	*words = x->words;
	*sort = x->sort;
	x->words = x->sort = NULL;
}

static void
derive_end(struct derive *d)
{
	if (d->started) {
		pthread_mutex_lock(&d->lock);
		d->stop = true;
		pthread_mutex_unlock(&d->lock);
		pthread_join(d->thread, NULL);
		pthread_mutex_destroy(&d->lock);
		pthread_cond_destroy(&d->more);
	}
	for (size_t k = 0; k < d->made.nblocks; k++) {
		struct derived *x = (struct derived *)d->made.block[k];
		for (size_t j = 0; x != NULL && j < BLOCK_LEN; j++) {
			free(x[j].words);
			free(x[j].sort);
		}
	}
	blocks_free(&d->made);
}

#undef S

/* The guest table's own indexes (not its UNIQUE columns'), as their CREATE
 * statements from the schema. A first import of many rows drops them,
 * writes the rows, and makes each again in one sort, all in its one
 * transaction, instead of keeping four indexes up row by row. */
struct guest_indexes {
	char **name, **sql;
	size_t n;
};

static void
guest_indexes_free(struct guest_indexes *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->name[i]);
		free(x->sql[i]);
	}
	free(x->name);
	free(x->sql);
	memset(x, 0, sizeof *x);
}

static int
guest_indexes_drop(struct store *s, struct guest_indexes *x, char **cause)
{
	/* Named, not all of them: guest_rev stays (every insert asks for
	 * max(rev), which without it reads the whole table), and an index
	 * added later stays unless it is known to be safe to set aside. */
	sqlite3_stmt *st = store_stmt(s, "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
	    " AND tbl_name = 'guest' AND name IN ('guest_ext_id', 'guest_match_key',"
	    " 'guest_sort', 'guest_dirty') ORDER BY name", cause);
	if (st == NULL)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		x->name = xreallocarray(x->name, x->n + 1, sizeof *x->name);
		x->sql = xreallocarray(x->sql, x->n + 1, sizeof *x->sql);
		x->name[x->n] = xstrdup((const char *)sqlite3_column_text(st, 0));
		x->sql[x->n] = xstrdup((const char *)sqlite3_column_text(st, 1));
		x->n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot read the schema");
	for (size_t i = 0; i < x->n; i++) {
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", x->name[i]);
		rc = sqlite3_exec(store_db(s), drop, NULL, NULL, NULL);
		sqlite3_free(drop);
		if (rc != SQLITE_OK)
			return store_fail(s, cause, "cannot set the guest list's indexes aside");
	}
	return 0;
}

static int
guest_indexes_make(struct store *s, const struct guest_indexes *x, char **cause)
{
	for (size_t i = 0; i < x->n; i++)
		if (sqlite3_exec(store_db(s), x->sql[i], NULL, NULL, NULL) != SQLITE_OK)
			return store_fail(s, cause, "cannot index the guest list");
	return 0;
}

#define RECODED_SHOWN 3 /* lines named when codes would change */

/* A row of a guest forgotten at at, counted and left as it is. */
static void
note_forgotten(struct import_report *rep, size_t line, int64_t at)
{
	if (rep->forgotten < IMPORT_KEPT_LINES) {
		rep->forgotten_lines[rep->forgotten] = line;
		rep->forgotten_at[rep->forgotten] = at;
	}
	rep->forgotten++;
}

/* When the guest a row that matched no guest names was forgotten: by
 * guest_forget_key of its name and e-mail, as its name would have matched
 * them. A row with a code no guest has too: the platform's export after a
 * form's list (find_existing gives such guests the platform's codes, by
 * their names), or codes it reissued. 0 for none, -1 with *cause. */
static int64_t
forgotten_row(struct store *s, const struct row *r, char **cause)
{
	if (util_blank(r->v[F_FIRST]) && util_blank(r->v[F_LAST]))
		return 0;
	char *key = guest_forget_key(s, r->v[F_FIRST], r->v[F_LAST], r->v[F_EMAIL]);
	sqlite3_stmt *st = store_stmt(s, "SELECT forgotten_at FROM guest WHERE forgotten_key = ?"
	    " AND forgotten_at != 0 LIMIT 1", cause);
	if (st == NULL) {
		free(key);
		return -1;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int64_t at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(key);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, cause, "cannot look up a guest");
	return at;
}

int
import_apply(struct store *s, struct import_plan *p, bool dry_run, const char *by,
    import_change_fn fn, void *arg, struct import_report *report, char **cause)
{
	struct import_report rep = { 0 };
	const char *tag = store_event(s)->tag;
	struct guest_wordlist *wl = NULL;
	struct derive d = { 0 };
	struct guest_indexes aside = { 0 };
	struct name_index ix = { 0 };
	struct twin { size_t line; int64_t id; bool by_name; } *twins = NULL;
	size_t ntwins = 0, captwins = 0;
	int64_t *matched = NULL; /* every guest a row of this file matched, by any key */
	size_t nmatched = 0, capmatched = 0;
	struct buf recoded; /* the first lines whose guest would get another code */
	size_t nrecoded = 0;
	int rc = -1;
	const struct row *r;
	size_t i, rows_seen = 0;

	buf_init(&recoded, 0);

	/* Wait for the first row: a file of rejected rows opens nothing. */
	if (import_ready(p, cause) != 0)
		return -1;
	if (import_rows(p) == 0)
		return util_fail(cause, "every row was rejected; nothing to import");
	if (!dry_run && store_clock_check(s, cause) != 0)
		return -1;
	store_set_cache_mib(s, 64); /* random keys overflow the default cache */
	if (store_begin(s, cause) != 0)
		return -1;
	/* Into an event with no guests yet (the first import), no row can
	 * match: nothing is stored, and read_plan rejected every row whose
	 * code, id or name key an earlier row had. The look-up cost a tenth
	 * of a first import. */
	sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS (SELECT 1 FROM guest)", cause);
	if (st == NULL)
		goto out;
	bool fresh = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
	sqlite3_reset(st);
	/* Guests forgotten (kiosk forget) are looked for only in an event
	 * that has some: a row costs no more elsewhere. */
	st = fresh ? NULL : store_stmt(s, "SELECT EXISTS (SELECT 1 FROM guest"
	    " WHERE forgotten_at != 0)", cause);
	if (!fresh && st == NULL)
		goto out;
	bool any_forgotten = st != NULL && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_int(st, 0) != 0;
	if (st != NULL)
		sqlite3_reset(st);
	if (fresh && p->caprows >= DERIVE_MIN_ROWS && guest_indexes_drop(s, &aside, cause) != 0)
		goto out;
	/* The last guest on the list before this file: those after it are
	 * its own (absent_guests). */
	int64_t before = 0;
	if (!fresh) {
		st = store_stmt(s, "SELECT coalesce(max(id), 0) FROM guest", cause);
		if (st == NULL)
			goto out;
		if (sqlite3_step(st) == SQLITE_ROW)
			before = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	wl = guest_wordlist_new();
	/* Words ahead on a thread, for a re-import's updates too: those whose
	 * names are the row's take them (update_guest). */
	derive_start(&d, p);
	for (i = 0; (r = plan_row(p, i, &rows_seen)) != NULL; i++) {
		struct guest g;
		char *words, *sort;
		memset(&g, 0, sizeof g);
		int found = fresh ? 0 : find_existing(s, p, r, &ix, &g, cause);
		if (found < 0)
			goto out;
		int64_t forgot = 0;
		if (any_forgotten && (found ? guest_forgotten_at(s, g.id, &forgot, cause) :
		    (forgot = forgotten_row(s, r, cause))) < 0) {
			guest_clear(&g);
			goto out;
		}
		if (forgot != 0) {
			/* theirs stays as kiosk forget left it */
			if (found) {
				if (nmatched == capmatched) {
					capmatched = capmatched ? 2 * capmatched : 1024;
					matched = xrealloc(matched, capmatched * sizeof *matched);
				}
				matched[nmatched++] = g.id;
			}
			guest_clear(&g);
			note_forgotten(&rep, r->line, forgot);
			derive_take(&d, i, &words, &sort);
			free(words);
			free(sort);
			continue;
		}
		if (found) {
			struct updated up;
			if (nmatched == capmatched) {
				capmatched = capmatched ? 2 * capmatched : 1024;
				matched = xrealloc(matched, capmatched * sizeof *matched);
			}
			matched[nmatched++] = g.id;
			derive_take(&d, i, &words, &sort);
			int u = update_guest(s, p, r, &g, by, words, sort, fn, arg, &up, cause);
			if (u == 0 && up.recoded && nrecoded++ < RECODED_SHOWN)
				buf_addf(&recoded, "%s%s %zu: %s would become %s",
				    nrecoded > 1 ? "; " : "", unit(p), r->line, g.code, r->v[F_CODE]);
			guest_clear(&g);
			if (u != 0)
				goto out;
			count_line(up.kept_cancelled, &rep.kept_cancelled, rep.kept_lines, r->line);
			count_line(up.new_code, &rep.new_code, rep.new_code_lines, r->line);
			count_line(up.remail, &rep.remail, rep.remail_lines, r->line);
			count_line(up.rebadged, &rep.rebadged, rep.rebadged_lines, r->line);
			count_line(up.recased, &rep.recased, rep.recased_lines, r->line);
			count_line(up.zeros, &rep.zeros, rep.zeros_lines, r->line);
			if (up.changed)
				rep.updated++;
			else
				rep.unchanged++;
			continue;
		}
		char *code = r->v[F_CODE] ? xstrdup(r->v[F_CODE]) : code_new(tag);
		if (code == NULL) {
			util_fail(cause, "cannot read the system's random source");
			goto out;
		}
		derive_take(&d, i, &words, &sort);
		struct guest_fields gf = {
			r->v[F_FIRST], r->v[F_LAST], r->v[F_EMAIL], r->v[F_COMPANY], r->v[F_TYPE],
			r->v[F_HANDLE], r->v[F_EXTID], r->extra, r->language, words, sort,
		};
		/* a cancelled row admits nobody: not "on the list twice" */
		int64_t twin = fresh || r->cancelled ? 0 : same_email_guest(s, p, &ix, r, cause);
		bool by_name = twin == 0 && !fresh && !r->cancelled;
		if (by_name)
			twin = same_name_guest(s, p, &ix, r, cause);
		if (twin < 0)
			goto out;
		if (twin > 0) {
			if (ntwins == captwins) {
				captwins = captwins ? 2 * captwins : 16;
				twins = xrealloc(twins, captwins * sizeof *twins);
			}
			twins[ntwins].line = r->line;
			twins[ntwins].by_name = by_name;
			twins[ntwins++].id = twin;
		}
		int64_t walkin = fresh || r->cancelled ? 0 : same_walkin(s, &ix, r, cause);
		if (walkin < 0)
			goto out;
		if (walkin > 0 && rep.same_walkin++ < IMPORT_KEPT_LINES)
			rep.same_walkin_lines[rep.same_walkin - 1] = r->line;
		int ins = guest_insert(s, &gf, code, "import", r->cancelled, r->match_key, by,
		    wl, NULL, cause);
		free(code);
		free(words);
		free(sort);
		if (ins != 0)
			goto out;
		if (fn != NULL) {
			char *name = xasprintf("%s %s", r->v[F_FIRST], r->v[F_LAST]);
			fn(r->line, "add", name, r->cancelled ? "cancelled" : "", arg);
			free(name);
		}
		rep.added++;
	}
	/* A file that turns out unreadable further down writes nothing. */
	if (import_finish(p, cause) != 0)
		goto out;
	rep.rejected = p->nrej;
	/* Added beside a guest of the same e-mail, or name, no row matched:
	 * said. */
	if (nmatched > 0)
		qsort(matched, nmatched, sizeof *matched, cmp_id);
	/* Guests the platform's export no longer lists still get in: said. */
	if (nmatched > 0 && absent_guests(s, before, matched, nmatched, &rep, cause) != 0)
		goto out;
	for (size_t t = 0; t < ntwins; t++) {
		if (nmatched > 0 && bsearch(&twins[t].id, matched, nmatched, sizeof *matched,
		    cmp_id) != NULL)
			continue;
		size_t *n = twins[t].by_name ? &rep.same_name : &rep.same_email;
		size_t *lines = twins[t].by_name ? rep.same_name_lines : rep.same_email_lines;
		if (*n < IMPORT_KEPT_LINES)
			lines[*n] = twins[t].line;
		(*n)++;
	}
	/* A re-import that changes the codes of tickets already sent (a
	 * spreadsheet that rounded them, a wrong --map code=) would have the
	 * door refuse them all: the organiser says when the platform really
	 * issued new ones. */
	if (nrecoded > 0 && !p->new_codes) {
		if (nrecoded > RECODED_SHOWN)
			buf_addf(&recoded, "; and %zu more", nrecoded - RECODED_SHOWN);
		util_fail(cause, "%zu guest%s on the list would get another ticket code (%s), and "
		    "the ticket%s sent with the old one%s would no longer scan; nothing was "
		    "imported. If the platform issued new codes, run again with --new-codes; if "
		    "not, check which column holds the codes (--map code=COLUMN) and that no "
		    "spreadsheet rounded them; a person's second ticket is added as such when "
		    "the file also has their first (import the whole export, not only new "
		    "orders)",
		    nrecoded, nrecoded == 1 ? "" : "s", buf_cstr(&recoded), nrecoded == 1 ? "" : "s",
		    nrecoded == 1 ? "" : "s");
		goto out;
	}
	if (guest_wordlist_flush(s, wl, cause) != 0 || guest_indexes_make(s, &aside, cause) != 0)
		goto out;
	/* before a dry run's rollback: the codes it would bring in */
	if (p->code_min_length > 0 && guest_short_codes(s, p->code_min_length, &rep.short_codes,
	    &rep.shortest_code, cause) != 0)
		goto out;
	if (dry_run) {
		store_rollback(s);
	} else if (store_commit(s, cause) != 0) {
		goto out;
	}
	store_set_cache_mib(s, 16);
	*report = rep;
	rc = 0;
out:
	free(twins);
	free(matched);
	buf_free(&recoded);
	name_index_free(&ix);
	guest_indexes_free(&aside);
	derive_end(&d);
	guest_wordlist_free(wl);
	if (rc != 0)
		store_rollback(s);
	return rc;
}
