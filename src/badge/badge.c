/* badge: print-ready name badges (see badge.h). */
#include "badge/badge.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "badge/outline.h"
#include "core/fonts.h"

#define SHUTDOWN_WAIT_MS 1000   /* for pango's threads to let go of the font map */
#include "core/util.h"
#include "report/sink.h"

#define PT_MM (25.4 / 72.0)     /* one typographic point in mm */

/* The families in the order they are asked for a character: named, so that
 * fontconfig cannot pick a font that claims Chinese characters but draws
 * them blank (NanumSquare's bold does, for its Hanja). */
#define BADGE_FONTS FONT_FAMILIES

/* The layouts, true to the paper they are printed on. */
static const struct badge_layout layouts[] = {
	{ "a4-2x4", "A4 sheet, 2 x 4 name badge labels of 90 x 55 mm",
	  210, 297, 90, 55, 2, 4, 10, 31, 10, 5 },
	{ "a4-2x5", "A4 sheet, 2 x 5 name badge labels of 80 x 50 mm",
	  210, 297, 80, 50, 2, 5, 17.5, 13.5, 15, 5 },
	{ "card", "single credit-card badge, 86 x 54 mm (CR80 card printers)",
	  86, 54, 86, 54, 1, 1, 0, 0, 0, 0 },
	{ "roll-62", "62 mm continuous label roll (Brother QL and the like), 100 mm a badge",
	  100, 62, 100, 62, 1, 1, 0, 0, 0, 0 },
};

size_t
badge_layout_count(void)
{
	return sizeof layouts / sizeof layouts[0];
}

const struct badge_layout *
badge_layout_at(size_t i)
{
	return i < badge_layout_count() ? &layouts[i] : NULL;
}

const struct badge_layout *
badge_layout_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < badge_layout_count(); i++)
		if (strcmp(layouts[i].name, name) == 0)
			return &layouts[i];
	return NULL;
}

void
badge_layout_slot(const struct badge_layout *l, int i, double *x, double *y)
{
	int col = i % l->cols, row = (i / l->cols) % l->rows;
	*x = l->left + col * (l->badge_w + l->gap_x);
	*y = l->top + row * (l->badge_h + l->gap_y);
}

#define S(x) ((x) ? (x) : "")

/* Geometry of one badge, in mm from its top-left corner. */
struct frame {
	double w, h, pad;
	double qr;              /* side of the QR code with its quiet zone */
	double text_w;          /* the name column's width */
	double band;            /* height of the event line at the top */
};

static void
frame_of(const struct badge_layout *l, struct frame *f)
{
	f->w = l->badge_w;
	f->h = l->badge_h;
	f->pad = f->h * 0.07;
	f->band = f->h * 0.12;
	f->qr = f->h - 2 * f->pad - f->band;
	if (f->qr > f->w * 0.42)
		f->qr = f->w * 0.42;
	f->text_w = f->w - f->qr - 3 * f->pad;
}

/* Text is laid out at one size, REF_PT, and drawn scaled to the size it
 * was given: with unhinted metrics a text's extents grow in proportion to
 * its size, so one layout measures it at every size, and pango asks
 * fontconfig for fonts (a sort of every installed font) once per family
 * and weight, not once per size tried. Wrapped text is laid out at REF_PT
 * in the box's width divided by the scale. */
#define REF_PT 10.0
#define CUT_BELOW_PT 6.0        /* wrapped smaller (company, ticket type): one line, cut short */
#define COMPANY_READ_PT 7.0     /* a company and handle smaller: the company alone */
#define COMPANY_DOT "·"         /* between the company and the handle */

/* The layout's extents at REF_PT, in mm, for wrap width w (mm at REF_PT;
 * <= 0: one line); lines is its line count. */
static void
measure(PangoLayout *pl, double w, double *ew, double *eh, int *lines)
{
	PangoRectangle logical;
	pango_layout_set_width(pl, w > 0 ? (int)(w * PANGO_SCALE) : -1);
	pango_layout_get_extents(pl, NULL, &logical);
	*ew = (double)logical.width / PANGO_SCALE;
	*eh = (double)logical.height / PANGO_SCALE;
	*lines = pango_layout_get_line_count(pl);
}

/* Does the text at pt fit the box, wrapped on at most max_lines lines? */
static bool
fits_wrapped(PangoLayout *pl, double pt, double box_w, double box_h, bool whole_words,
    int max_lines)
{
	double k = pt / REF_PT, w, h;
	int lines;
	/* whole words: a word wider than the box overflows it, unbroken */
	if (whole_words)
		pango_layout_set_wrap(pl, PANGO_WRAP_WORD);
	measure(pl, box_w / k, &w, &h, &lines);
	if (whole_words)
		pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	return w * k <= box_w && h * k <= box_h && lines <= max_lines;
}

/* The largest size on half points from 3 to hi at which the text fits
 * wrapped (3: drawn at 3 pt, fitting or not): a binary search, since where
 * the lines break changes with the size. */
static double
wrapped_size(PangoLayout *pl, double hi, double box_w, double box_h, bool whole_words,
    int max_lines)
{
	double lo = 3;
	while (hi - lo >= 0.5) {
		double mid = lo + floor((hi - lo) / 2 * 2 + 0.5) / 2;
		if (mid <= lo)
			mid = lo + 0.5;
		if (fits_wrapped(pl, mid, box_w, box_h, whole_words, max_lines))
			lo = mid;
		else
			hi = mid - 0.5;
	}
	return lo;
}

/* Pictographs no bundled font has (emoji, their joiners and variation
 * selectors) would print as boxes with hex digits in them: left out,
 * with the spaces around them tidied. Returns a new string. */
static char *
without_pictographs(const char *text)
{
	size_t n = strlen(text), o = 0;
	char *out = xmalloc(n + 1);
	bool after_picture = false;
	for (const char *p = text; *p;) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		const char *next = c == (gunichar)-1 || c == (gunichar)-2 ? p + 1 :
		    g_utf8_next_char(p);
		bool picture = (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
		    (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0xE0000 && c <= 0xE007F);
		/* Joiners and variation selectors go with their pictograph only:
		 * Sinhala and Indic scripts need U+200D. */
		bool drop = picture || (after_picture && (c == 0x200D ||
		    (c >= 0xFE00 && c <= 0xFE0F)));
		after_picture = drop;
		if (!drop && !(*p == ' ' && (o == 0 || out[o - 1] == ' '))) {
			memcpy(out + o, p, (size_t)(next - p));
			o += (size_t)(next - p);
		}
		p = next;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* What a fit came to, for tests: pl's text of w x h (mm at REF_PT) drawn
 * at pt in lines, in a box of box_w x box_h mm. */
static void
note_fit(struct badge_fit *fit, PangoLayout *pl, double pt, int lines, double w, double h,
    double box_w, double box_h)
{
	double k = pt / REF_PT;
	fit->cut = pango_layout_is_ellipsized(pl);
	fit->size_pt = pt;
	fit->lines = lines;
	fit->w_mm = w * k;
	fit->h_mm = h * k;
	fit->box_w_mm = box_w;
	fit->box_h_mm = box_h;
}

enum {
	FIT_BOLD = 1,
	/* wrapped as large as fits (a company line), not only once shrinking
	 * on one line has gone as far as it may (a name) */
	FIT_WRAP_LARGE = 2,
	/* one name, hyphens and all (a first name): "Pieter- / Jan" read
	 * as two names */
	FIT_ONE_NAME = 4,
	/* wrapped on as many lines as the box holds, not three at most
	 * (a long company in the room the names left) */
	FIT_ANY_LINES = 8,
};

/* Lay text out in a box: the largest half-point size from max_pt down to
 * two thirds of it (a single word, or with FIT_ONE_NAME one of hyphens:
 * under half) at which it fits on one line; else the largest (from 3 pt; up
 * to that two thirds, or with FIT_WRAP_LARGE up to max_pt) at which it fits
 * wrapped on up to three lines; the text is never cut. The layout is left
 * set up for drawing at REF_PT; returns the scale to draw it with (size /
 * REF_PT); *fit says what it took. */
static double
fit_text(PangoLayout *pl, const char *text, const char *family, int flags, double max_pt,
    double box_w, double box_h, struct badge_fit *fit)
{
	PangoFontDescription *fd = pango_font_description_from_string(family);
	pango_font_description_set_weight(fd, flags & FIT_BOLD ? PANGO_WEIGHT_BOLD :
	    PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, REF_PT * PT_MM * PANGO_SCALE);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	char *shown = without_pictographs(text);
	pango_layout_set_text(pl, shown, -1);
	free(shown);

	double w, h, wrap_w = 0;
	int lines, max_lines = flags & FIT_ANY_LINES ? INT_MAX : 3;
	measure(pl, 0, &w, &h, &lines);
	/* One line: the largest size both extents allow, to the half point
	 * below (and a hair under, so that rounding cannot overflow). */
	double by_w = w > 0 ? box_w / w : 1e9, by_h = h > 0 ? box_h / h : 1e9;
	double pt = floor(REF_PT * (by_w < by_h ? by_w : by_h) * 0.9999 * 2) / 2;
	if (pt > max_pt)
		pt = max_pt;
	/* A single word wraps only by breaking it ("Anastasi-a"): it may
	 * shrink further first. A hyphen is a place to break, as a space is,
	 * but in a first name ("Pieter-Jan" on two lines read as two names,
	 * where "Dieuwertje" kept its line); wrapped, it is as large as any
	 * text that breaks there ("Jean- / Baptiste"). */
	bool spaced = strchr(text, ' ') != NULL, hyphens = strchr(text, '-') != NULL;
	double small = floor(max_pt * (spaced || (hyphens && !(flags & FIT_ONE_NAME)) ? 0.67 :
	    0.45) * 2) / 2;
	double cap = flags & FIT_WRAP_LARGE ? max_pt :
	    spaced || hyphens ? floor(max_pt * 0.67 * 2) / 2 : small;
	if (pt < small || lines > 1 || (flags & FIT_WRAP_LARGE && pt < max_pt)) {
		double one_pt = pt;
		bool one = lines == 1;
		/* Wrapped, at spaces and after hyphens ("Maximiliaan- /
		 * Alexander") if that costs less than a seventh of the size
		 * breaking inside a word allows ("Maximiliaan / -Alexander"). */
		pt = wrapped_size(pl, cap, box_w, box_h, false, max_lines);
		double whole = wrapped_size(pl, pt, box_w, box_h, true, max_lines);
		if (whole >= pt * 0.85)
			pt = whole;
		wrap_w = box_w / (pt / REF_PT);
		if (one && one_pt >= pt) { /* wrapping won nothing */
			pt = one_pt;
			wrap_w = 0;
		}
		measure(pl, wrap_w, &w, &h, &lines);
	}
	double k = pt / REF_PT;
	if (fit != NULL) {
		/* a line that starts where no space or hyphen ended the last,
		 * or with the company line's separator */
		const char *t = pango_layout_get_text(pl);
		fit->inside_word = false;
		fit->dot_starts_line = false;
		for (GSList *ln = pango_layout_get_lines_readonly(pl); ln != NULL; ln = ln->next) {
			int at = ((PangoLayoutLine *)ln->data)->start_index;
			if (at > 0 && t[at - 1] != ' ' && t[at - 1] != '-')
				fit->inside_word = true;
			if (strncmp(t + at, COMPANY_DOT, strlen(COMPANY_DOT)) == 0)
				fit->dot_starts_line = true;
		}
		note_fit(fit, pl, pt, lines, w, h, box_w, box_h);
	}
	return k;
}

/* The text fit_text laid out, on one line cut short with "…", as large as
 * box_h allows up to max_pt: the scale to draw it at, or 0 when even
 * CUT_BELOW_PT would not fit (then it is not drawn). The caller sets
 * the ellipsis off again. */
static double
fit_ellipsized(PangoLayout *pl, double max_pt, double box_w, double box_h,
    struct badge_fit *fit)
{
	double w, h;
	int lines;
	pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_NONE);
	measure(pl, 0, &w, &h, &lines);
	if (h <= 0)
		return 0;
	double pt = floor(REF_PT * box_h / h * 0.9999 * 2) / 2;
	if (pt > max_pt)
		pt = max_pt;
	if (pt < CUT_BELOW_PT)
		return 0;
	double k = pt / REF_PT;
	pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
	measure(pl, box_w / k, &w, &h, &lines);
	fit->inside_word = false;
	note_fit(fit, pl, pt, lines, w, h, box_w, box_h);
	return k;
}

/* The text fit_text laid out, at pt on as many lines as box_h holds, the
 * last cut short with "…" where the text goes on: the scale to draw it
 * at, or 0 when not one line fits (then it is not drawn). The caller sets
 * the ellipsis and the height off again. */
static double
fit_cut_lines(PangoLayout *pl, double pt, double box_w, double box_h, struct badge_fit *fit)
{
	double k = pt / REF_PT, w, h;
	int lines;
	pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_height(pl, -1);
	measure(pl, 0, &w, &h, &lines);
	if (h <= 0 || lines < 1)
		return 0;
	pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
	/* a fallback font's line may be taller than the first: one less */
	for (int n = (int)floor(box_h / (h / lines * k)); n >= 1; n--) {
		pango_layout_set_height(pl, -n);
		measure(pl, box_w / k, &w, &h, &lines);
		if (h * k <= box_h) {
			fit->inside_word = false;
			note_fit(fit, pl, pt, lines, w, h, box_w, box_h);
			return k;
		}
	}
	return 0;
}

/* A layout for cr whose text is spaced as designed at any resolution:
 * hinted metrics round each letter to whole pixels of a 200 dpi PNG. */
static PangoLayout *
new_layout(cairo_t *cr)
{
	fonts_note_pango();
	PangoLayout *pl = pango_cairo_create_layout(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pango_layout_get_context(pl), fo);
	/* Pango rounds each glyph's position to a whole unit of the context;
	 * ours are millimetres, so small text came out letter-spaced. */
	pango_context_set_round_glyph_positions(pango_layout_get_context(pl), FALSE);
	pango_layout_context_changed(pl);
	cairo_font_options_destroy(fo);
	return pl;
}

/* Draw the layout fit_text left, at scale k, in the box of width box_w
 * from (x, y); returns its height as drawn. Text is set where its reader
 * starts: a right-to-left paragraph (Arabic, Hebrew: pango's auto
 * direction, from its first letter) against the box's right edge, as it
 * already is when wrapped, for pango aligns lines within the width it
 * wraps to. One line has no width to align in, and an Arabic name stood
 * at the left, ending in the middle of the badge. */
static double
draw_text(cairo_t *cr, PangoLayout *pl, double k, double x, double y, double box_w)
{
	PangoRectangle logical;
	pango_layout_get_extents(pl, NULL, &logical);
	PangoLayoutLine *first = pango_layout_get_line_readonly(pl, 0);
	if (pango_layout_get_width(pl) < 0 && first != NULL &&
	    first->resolved_dir == PANGO_DIRECTION_RTL)
		x += box_w - (double)(logical.x + logical.width) / PANGO_SCALE * k;
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, k, k);
	cairo_move_to(cr, 0, 0);
	pango_cairo_show_layout(cr, pl);
	cairo_restore(cr);
	return (double)logical.height / PANGO_SCALE * k;
}

/* A code's QR symbol as the outline of its dark modules. */
struct qr_shape {
	struct outline o;
	int width;              /* modules a side, without the quiet zone */
	bool ok;
};

static void
qr_shape_make(const char *code, struct qr_shape *q)
{
	QRcode *qr = QRcode_encodeString(code, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	q->ok = qr != NULL && outline_trace(qr->data, qr->width, &q->o) == 0;
	q->width = qr ? qr->width : 0;
	QRcode_free(qr);
}

static void
qr_shape_free(struct qr_shape *q)
{
	if (q->ok)
		outline_free(&q->o);
	q->ok = false;
}

/* The QR code as vector shapes (the outline of its dark modules) on white,
 * with the four-module quiet zone. One path: two numbers a corner in the
 * PDF rather than eight a rectangle (see outline.h). */
static int
draw_qr(cairo_t *cr, const struct qr_shape *q, double x, double y, double side)
{
	if (!q->ok)
		return -1;
	double m = side / (q->width + 8);
	const struct outline *o = &q->o;
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, side, side);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (size_t p = 0; p < o->npoly; p++) {
		size_t from = o->start[p], to = p + 1 < o->npoly ? o->start[p + 1] : o->npt;
		cairo_move_to(cr, x + (o->pt[from].x + 4) * m, y + (o->pt[from].y + 4) * m);
		for (size_t i = from + 1; i < to; i++)
			cairo_line_to(cr, x + (o->pt[i].x + 4) * m, y + (o->pt[i].y + 4) * m);
		cairo_close_path(cr);
	}
	cairo_fill(cr);
	return 0;
}

/* Sheets of badges: the QR symbols are made on a second thread, ahead of
 * the one that draws (a tenth of the time of a big PDF; cairo and pango
 * stay on one thread). The drawer takes symbol i once it is ready and
 * frees it once drawn; the maker stays at most QR_AHEAD symbols ahead, so
 * a 60,000-guest sheet does not hold 60,000 outlines. */
#define QR_AHEAD 64

struct qr_ahead {
	const struct badge_info *b;
	size_t n;
	struct qr_shape ring[QR_AHEAD]; /* symbol i is ring[i % QR_AHEAD] */
	size_t ready;           /* symbols made so far */
	size_t drawn;           /* symbols the drawer is done with */
	bool stop;              /* the drawer gave up: make no more */
	pthread_mutex_t lock;
	pthread_cond_t made;    /* ready moved */
	pthread_cond_t freed;   /* drawn or stop moved */
	pthread_t thread;
};

static void *
qr_ahead_main(void *arg)
{
	struct qr_ahead *qa = arg;
	for (size_t i = 0; i < qa->n; i++) {
		pthread_mutex_lock(&qa->lock);
		while (!qa->stop && i >= qa->drawn + QR_AHEAD)
			pthread_cond_wait(&qa->freed, &qa->lock);
		bool stop = qa->stop;
		pthread_mutex_unlock(&qa->lock);
		if (stop)
			break;
		/* Slot i % QR_AHEAD is free: the drawer is past i - QR_AHEAD. */
		qr_shape_make(S(qa->b[i].code), &qa->ring[i % QR_AHEAD]);
		pthread_mutex_lock(&qa->lock);
		qa->ready = i + 1;
		pthread_cond_signal(&qa->made);
		pthread_mutex_unlock(&qa->lock);
	}
	return NULL;
}

/* Start making the n symbols; 0, or -1 when it is not worth a thread (one
 * badge) or none can be started: the drawer then makes each itself. */
static int
qr_ahead_start(struct qr_ahead *qa, const struct badge_info *b, size_t n)
{
	memset(qa, 0, sizeof *qa);
	if (n < 2)
		return -1;
	qa->b = b;
	qa->n = n;
	pthread_mutex_init(&qa->lock, NULL);
	pthread_cond_init(&qa->made, NULL);
	pthread_cond_init(&qa->freed, NULL);
	if (pthread_create(&qa->thread, NULL, qr_ahead_main, qa) != 0) {
		pthread_mutex_destroy(&qa->lock);
		pthread_cond_destroy(&qa->made);
		pthread_cond_destroy(&qa->freed);
		return -1;
	}
	return 0;
}

/* Symbol i (the drawer asks for 0, 1, 2, ... in order). */
static const struct qr_shape *
qr_ahead_get(struct qr_ahead *qa, size_t i)
{
	pthread_mutex_lock(&qa->lock);
	while (qa->ready <= i)
		pthread_cond_wait(&qa->made, &qa->lock);
	pthread_mutex_unlock(&qa->lock);
	return &qa->ring[i % QR_AHEAD];
}

/* The drawer is done with symbol i: free it, let the maker use its slot. */
static void
qr_ahead_done(struct qr_ahead *qa, size_t i)
{
	qr_shape_free(&qa->ring[i % QR_AHEAD]);
	pthread_mutex_lock(&qa->lock);
	qa->drawn = i + 1;
	pthread_cond_signal(&qa->freed);
	pthread_mutex_unlock(&qa->lock);
}

static void
qr_ahead_stop(struct qr_ahead *qa)
{
	pthread_mutex_lock(&qa->lock);
	qa->stop = true;
	pthread_cond_signal(&qa->freed);
	pthread_mutex_unlock(&qa->lock);
	pthread_join(qa->thread, NULL);
	for (size_t i = 0; i < QR_AHEAD; i++)
		qr_shape_free(&qa->ring[i]);
	pthread_mutex_destroy(&qa->lock);
	pthread_cond_destroy(&qa->made);
	pthread_cond_destroy(&qa->freed);
}

/* Is the company line as fitted at least min_pt, and inside box_h? */
static bool
company_reads(const struct badge_fit *fc, double min_pt, double box_h)
{
	return fc->size_pt >= min_pt && fc->h_mm <= box_h;
}

/* The company and the handle, in what the names left above the band (the
 * bottom, with no ticket type), from y down to limit (mm), in the name
 * column from x, under a name line of name_pt. Each part keeps its own direction: "@h3" after an Arabic
 * company read "h3@" (Unicode first-strong isolates). What a guest wants
 * to read there is their company, whole:
 *   - with the handle, on up to three lines at the largest size that fits
 *     two lines' room (a long company wraps rather than shrink to print no
 *     one reads), at least COMPANY_READ_PT;
 *   - else the company alone (the handle is the guest's own to give), the
 *     same, then on as many lines as the whole room holds, at the largest
 *     size from COMPANY_READ_PT down to CUT_BELOW_PT: a long company cut
 *     to "Internationale Ve…" on one large line, with room left under it,
 *     told no one where the guest works;
 *   - else at CUT_BELOW_PT on every line the room holds, the last cut
 *     short with "…";
 *   - else (not one line fits under long names) nothing. */
static void
draw_company(cairo_t *cr, PangoLayout *pl, const struct frame *f, const struct badge_info *b,
    double name_pt, double x, double y, double limit, struct badge_fit *fc)
{
	double full = limit - y, room = full < f->h * 0.21 ? full : f->h * 0.21;
	bool company = b->company && b->company[0], handle = b->handle && b->handle[0];
	/* Whole, however long: a fixed buffer cut a long company inside a
	 * character, and pango refused the line as not UTF-8. A word joiner
	 * (no break, no width) holds the dot to the company: a line that
	 * began with it ("· @dcohen" under a Hebrew company) read as part of
	 * the handle. */
	char *line = xasprintf("%s%s%s%s%s%s%s", company ? "\u2068" : "", S(b->company),
	    company ? "\u2069" : "", company && handle ? "  \u2060" COMPANY_DOT "  " : "",
	    handle ? "\u2068" : "", S(b->handle), handle ? "\u2069" : "");
	fc->limit_mm = limit;
	if (line[0] == '\0')
		goto out;
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	/* A line broken inside a word gets no hyphen: one added to a handle
	 * ("@maximiliaan_vanders- / traeten") is typed by who reads it. */
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
	pango_layout_set_attributes(pl, attrs);
	pango_attr_list_unref(attrs);
	/* 11.5 pt on a 55 mm label: read at arm's length (at 8.5 pt, and 5.5
	 * wrapped, it was not); but no larger than the name above it (down
	 * to COMPANY_READ_PT), which a long name shrinks: at 9 pt under a
	 * name of 8, the company read as the guest's name. */
	double max_pt = f->h * 0.18 / PT_MM * 0.42, k;
	if (max_pt > name_pt)
		max_pt = name_pt > COMPANY_READ_PT ? name_pt : COMPANY_READ_PT;
	k = fit_text(pl, line, BADGE_FONTS, FIT_WRAP_LARGE, max_pt, f->text_w, room, fc);
	if (!company_reads(fc, COMPANY_READ_PT, room) && company && handle) {
		free(line);
		line = xasprintf("\u2068%s\u2069", b->company);
		k = fit_text(pl, line, BADGE_FONTS, FIT_WRAP_LARGE, max_pt, f->text_w, room, fc);
	}
	if (!company_reads(fc, COMPANY_READ_PT, room))
		k = fit_text(pl, line, BADGE_FONTS, FIT_WRAP_LARGE | FIT_ANY_LINES,
		    COMPANY_READ_PT, f->text_w, full, fc);
	if (!company_reads(fc, CUT_BELOW_PT, full))
		k = fit_cut_lines(pl, CUT_BELOW_PT, f->text_w, full, fc);
	if (k > 0) {
		fc->y_mm = y;
		draw_text(cr, pl, k, x, y, f->text_w);
	} else {
		memset(fc, 0, sizeof *fc);
		fc->limit_mm = limit;
	}
	pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_height(pl, -1);
	pango_layout_set_attributes(pl, NULL);
out:
	free(line);
}

/* Draw one badge with its top-left corner at the current origin. */
static int
draw_badge(cairo_t *cr, PangoLayout *pl, const struct badge_layout *l,
    const struct badge_info *b, const struct qr_shape *qr, struct badge_fit fits[3])
{
	struct badge_fit unused[3];
	if (fits == NULL)
		fits = unused;
	memset(fits, 0, 3 * sizeof *fits);
	struct badge_fit *ffirst = &fits[0], *flast = &fits[1], *fcompany = &fits[2];
	struct frame f;
	frame_of(l, &f);
	double x = f.pad, y = f.pad;

	/* The event, small, across the top. */
	cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
	double k = fit_text(pl, S(b->event_name), BADGE_FONTS, 0, f.band / PT_MM * 0.75,
	    f.w - 2 * f.pad, f.band, NULL);
	draw_text(cr, pl, k, x, y, f.w - 2 * f.pad);
	y += f.band;

	/* The name, large: first name largest, in the column left of the QR. */
	double name_h = f.h - y - f.pad - f.h * 0.16;
	cairo_set_source_rgb(cr, 0, 0, 0);
	const char *first = S(b->first_name), *last = S(b->last_name);
	if (first[0] == '\0') { /* one name only: it gets the big line */
		first = last;
		last = "";
	}
	k = fit_text(pl, first, BADGE_FONTS, FIT_BOLD | FIT_ONE_NAME, f.h * 0.55 / PT_MM * 0.42,
	    f.text_w, name_h * 0.55, ffirst);
	ffirst->y_mm = y;
	y += draw_text(cr, pl, k, x, y, f.text_w);
	if (last[0] != '\0') {
		k = fit_text(pl, last, BADGE_FONTS, 0, f.h * 0.30 / PT_MM * 0.42, f.text_w,
		    name_h * 0.40, flast);
		flast->y_mm = y;
		y += draw_text(cr, pl, k, x, y, f.text_w);
	}
	bool typed = b->ticket_type && b->ticket_type[0];
	double bh = f.h * 0.13, by = f.h - f.pad - bh, limit = typed ? by : f.h - f.pad;
	draw_company(cr, pl, &f, b, last[0] != '\0' ? flast->size_pt : ffirst->size_pt, x,
	    y + f.h * 0.01, limit - f.h * 0.01, fcompany);
	/* The ticket type in a dark band at the bottom of the name column. */
	if (typed) {
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		cairo_rectangle(cr, x, by, f.text_w, bh);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		struct badge_fit tf;
		double max_pt = bh / PT_MM * 0.6;
		k = fit_text(pl, b->ticket_type, BADGE_FONTS, FIT_BOLD, max_pt, f.text_w - 2, bh,
		    &tf);
		/* A long one (three lines of 5 pt in the band): one line cut
		 * short, large enough for door staff to read "VIP All-Access…" */
		if (tf.size_pt < CUT_BELOW_PT) {
			double kk = fit_ellipsized(pl, max_pt, f.text_w - 2, bh * 0.9, &tf);
			if (kk > 0)
				k = kk;
			else /* not even that fits: wrapped small, as before */
				k = fit_text(pl, b->ticket_type, BADGE_FONTS, FIT_BOLD, max_pt,
				    f.text_w - 2, bh, &tf);
		}
		draw_text(cr, pl, k, x + 1, by + (bh - tf.h_mm) / 2, f.text_w - 2);
		pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_NONE);
	}
	/* A badge drawn alone makes its own symbol. */
	struct qr_shape own;
	if (qr == NULL) {
		qr_shape_make(S(b->code), &own);
		qr = &own;
	}
	int rc = draw_qr(cr, qr, f.w - f.pad - f.qr, f.h - f.pad - f.qr, f.qr);
	if (qr == &own)
		qr_shape_free(&own);
	return rc;
}

/* Badges hold guests' names: the file is the organiser's alone (0600),
 * written through a temporary file beside it (util_replace: a stop leaves
 * no half PDF), its data on disk before it takes the name. cairo writes
 * through a sink, which keeps a failed write's error: cairo's own file
 * writer lost one at the end, and a full disk left a cut PDF reported
 * written. */
#define BADGE_FILE_MODE 0600

int
badge_render_pdf(const char *path, const struct badge_layout *l,
    const struct badge_info *b, size_t n, char **cause)
{
	struct util_replace r;
	if (util_replace_open(&r, path, BADGE_FILE_MODE, cause) != 0)
		return -1;
	struct sink k = { r.fp, NULL, 0 };
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(sink_write, &k,
	    l->page_w / PT_MM, l->page_h / PT_MM);
	cairo_t *cr = cairo_create(sf);
	PangoLayout *pl = new_layout(cr);
	int per_page = l->cols * l->rows, rc = 0;
	struct qr_ahead qa;
	bool ahead = qr_ahead_start(&qa, b, n) == 0;
	cairo_scale(cr, 1 / PT_MM, 1 / PT_MM); /* draw in millimetres */
	for (size_t i = 0; i < n && rc == 0; i++) {
		double x, y;
		if (i > 0 && i % (size_t)per_page == 0)
			cairo_show_page(cr);
		badge_layout_slot(l, (int)(i % (size_t)per_page), &x, &y);
		cairo_save(cr);
		cairo_translate(cr, x, y);
		if (draw_badge(cr, pl, l, &b[i], ahead ? qr_ahead_get(&qa, i) : NULL,
		    NULL) != 0)
			rc = util_fail(cause, "cannot make the QR code of badge %zu", i + 1);
		if (ahead)
			qr_ahead_done(&qa, i);
		cairo_restore(cr);
	}
	if (ahead)
		qr_ahead_stop(&qa);
	g_object_unref(pl);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	cairo_status_t st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (rc != 0) {
		util_replace_abort(&r);
		return -1;
	}
	return sink_commit(&r, &k, st, cause);
}

int
badge_render_png(const char *path, const struct badge_layout *l,
    const struct badge_info *b, int dpi, char **cause)
{
	int w = (int)(l->badge_w / 25.4 * dpi + 0.5), h = (int)(l->badge_h / 25.4 * dpi + 0.5);
	struct util_replace r;
	if (util_replace_open(&r, path, BADGE_FILE_MODE, cause) != 0)
		return -1;
	struct sink k = { r.fp, NULL, 0 };
	cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(sf);
	PangoLayout *pl = new_layout(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 25.4, dpi / 25.4);
	int rc = draw_badge(cr, pl, l, b, NULL, NULL);
	g_object_unref(pl);
	cairo_destroy(cr);
	cairo_status_t st = rc == 0 ? cairo_surface_write_to_png_stream(sf, sink_write, &k) :
	    CAIRO_STATUS_NO_MEMORY;
	cairo_surface_destroy(sf);
	return sink_commit(&r, &k, st, cause);
}

int
badge_measure_name(const struct badge_layout *l, const struct badge_info *b,
    struct badge_fit *first, struct badge_fit *last, struct badge_fit *company, char **cause)
{
	cairo_surface_t *sf = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(sf);
	PangoLayout *pl = new_layout(cr);
	struct badge_fit fits[3];
	int rc = draw_badge(cr, pl, l, b, NULL, fits);
	if (first != NULL)
		*first = fits[0];
	if (last != NULL)
		*last = fits[1];
	if (company != NULL)
		*company = fits[2];
	g_object_unref(pl);
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	if (rc != 0)
		return util_fail(cause, "cannot make the QR code");
	return 0;
}

int
badge_use_fonts(const char *dir)
{
	/* The fonts shipped in fonts/ join the system's, so a machine without
	 * Arabic or CJK fonts installed still prints those names. */
	return FcConfigAppFontAddDir(NULL, (const FcChar8 *)dir) ? 0 : -1;
}

void
badge_shutdown(void)
{
	if (!fonts_pango_used()) { /* a hub whose page drew no picture */
		cairo_debug_reset_static_data();
		FcFini();
		return;
	}
	/* Pango may still be finishing font work on a thread of its own (each
	 * task holds a reference to the default font map); resetting cairo's
	 * caches under it aborts on an assertion. Wait for it, briefly. The
	 * default map is per thread: this one's may be new (the hub drew on
	 * its request threads), and a new one loads fontconfig's configuration
	 * on pango's thread; loading a font waits for that to be done. */
	PangoFontMap *fm = pango_cairo_font_map_get_default();
	PangoContext *ctx = pango_font_map_create_context(fm);
	PangoFontDescription *fd = pango_font_description_from_string(BADGE_FONTS " 10");
	PangoFont *font = pango_font_map_load_font(fm, ctx, fd);
	if (font != NULL)
		g_object_unref(font);
	pango_font_description_free(fd);
	g_object_unref(ctx);
	GObject *map = G_OBJECT(fm);
	struct timespec ms1 = { 0, 1000000 };
	for (int ms = 0; ms < SHUTDOWN_WAIT_MS && g_atomic_int_get((gint *)&map->ref_count) > 1;
	    ms++)
		nanosleep(&ms1, NULL);
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
