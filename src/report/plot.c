/* plot: arrivals over the event as a picture (see plot.h).
 *
 * Everything is laid out in points on a page PLOT_PAGE_W wide (the PNG is
 * that page scaled to 1600 pixels), so one set of sizes reads the same on
 * paper and on screen. Layout first, drawing second: the plot area is what
 * is left after the header, the axis labels and the time rows have taken
 * their measured room, so no text can land on another. */
#include "report/plot.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/catalog.h"
#include "core/fonts.h"
#include "core/lang.h"
#include "core/util.h"
#include "report/sink.h"

/* The badges' families (core/fonts.h). */
#define PLOT_FONTS FONT_FAMILIES

#define SLOT_MS   (15 * 60 * 1000)
#define DAY_MIN   (24 * 60)

/* Sizes in points, for A4 read at arm's length. */
#define MARGIN     24.0
#define TITLE_PT   20.0
#define TOTALS_PT  12.5
#define LABEL_PT   10.0         /* legend, axis titles, caption */
#define TICK_PT     9.5
#define SMALL_PT    8.5         /* footer */
#define EMPTY_PT   20.0

/* Greys that survive a cheap laser printer: bars well apart from both the
 * white paper and the black line, gridlines light but not lost. */
#define GREY_BAR   0.62
#define GREY_GRID  0.80
#define GREY_DAY   0.45         /* the dashed line at midnight */
#define GREY_TEXT  0.20         /* secondary text */

#define LINE_W     2.4          /* the cumulative line */
#define HALO_W     6.0          /* white under it, so it parts from the bars */
#define MARKER_R   3.2
#define MARKER_GAP 12.0         /* markers at least this far apart */
#define HEADROOM   1.04         /* the tallest bar and the line stay off the top */
#define PNG_MAX    (16 << 20)   /* bytes of an in-memory PNG: 1600 x 900 is ~100 KB */

enum plot_format { PLOT_FMT_NONE, PLOT_FMT_PNG, PLOT_FMT_SVG, PLOT_FMT_PDF };

/* Text drawing state: one layout and font description for the whole plot. */
struct pen {
	cairo_t *cr;            /* where it draws */
	PangoLayout *pl;        /* reused for every piece of text */
	PangoFontDescription *fd; /* PLOT_FONTS; size and weight set per text */
	int lang;               /* the words', dates' and numbers' language */
	const struct catalog *cat; /* its translations; NULL: English */
};

/* Where everything goes, in points; computed before anything is drawn. */
struct chart {
	const struct attend_stats *st;
	double x, y, w, h;      /* the plot area */
	double bw;              /* one slot's width */
	int ticks;              /* gridline intervals, shared by both axes */
	double step_l, step_r;  /* what one interval is on the left / right axis */
	int total;              /* arrivals over all slots */
	int cum_top;            /* the cumulative line's highest: total, or at an
	                         * event of days the busiest day's (day_starts) */
	int peak;               /* the most arrivals in one slot */
	int tick_min;           /* time labels every so many minutes */
	bool dates;             /* a row of dates under the times */
	int marker_q;           /* hollow markers every so many quarter hours */
};

#define S(x) ((x) != NULL ? (x) : "")

/* The chart's words in its language: `make po` collects them from this
 * file as from the live page's (--keyword=tr:2 --keyword=trn:2,3). */
static const char *tr(const struct catalog *cat, const char *msgid) __attribute__((format_arg(2)));
static const char *trn(const struct catalog *cat, const char *singular, const char *plural,
    long n) __attribute__((format_arg(2), format_arg(3)));

static const char *
tr(const struct catalog *cat, const char *msgid)
{
	return catalog_get(cat, msgid);
}

static const char *
trn(const struct catalog *cat, const char *singular, const char *plural, long n)
{
	return catalog_nget(cat, singular, plural, n);
}

static int
lang_ok(int l)
{
	return l >= 0 && l < LANG_COUNT ? l : LANG_EN;
}

/* A scale's figure as the language groups its digits: "2.500" in Dutch. */
static void
num_text(const struct pen *p, double v, char out[LANG_NUM_BUF])
{
	lang_num(p->lang, (int64_t)llround(v), out);
}

/* --- text -------------------------------------------------------------- */

/* A layout whose text is spaced as designed at any scale: hinted metrics
 * round each letter to whole pixels of the PNG and make the PDF uneven. */
static PangoLayout *
new_layout(cairo_t *cr)
{
	fonts_note_pango();
	PangoLayout *pl = pango_cairo_create_layout(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pango_layout_get_context(pl), fo);
	pango_layout_set_single_paragraph_mode(pl, TRUE);
	pango_layout_context_changed(pl);
	cairo_font_options_destroy(fo);
	return pl;
}

/* Set the pen's text; max_w > 0 ellipsizes it to that width. */
static void
pen_text(struct pen *p, const char *text, double pt, bool bold, double max_w)
{
	pango_font_description_set_weight(p->fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(p->fd, pt * PANGO_SCALE);
	pango_layout_set_font_description(p->pl, p->fd);
	pango_layout_set_width(p->pl, max_w > 0 ? (int)(max_w * PANGO_SCALE) : -1);
	pango_layout_set_ellipsize(p->pl, max_w > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
	pango_layout_set_text(p->pl, text, -1);
}

static void
pen_size(struct pen *p, double *w, double *h)
{
	PangoRectangle lg;
	pango_layout_get_extents(p->pl, NULL, &lg);
	if (w != NULL)
		*w = (double)lg.width / PANGO_SCALE;
	if (h != NULL)
		*h = (double)lg.height / PANGO_SCALE;
}

/* Width of text at pt. */
static double
text_width(struct pen *p, const char *text, double pt, bool bold)
{
	double w;
	pen_text(p, text, pt, bold, 0);
	pen_size(p, &w, NULL);
	return w;
}

/* Show the pen's text with the point (ax, ay) of its box (0 left/top,
 * 0.5 centre, 1 right/bottom) at (x, y), in grey g. */
static void
pen_show(struct pen *p, double x, double y, double ax, double ay, double g)
{
	PangoRectangle lg;
	pango_layout_get_extents(p->pl, NULL, &lg);
	double w = (double)lg.width / PANGO_SCALE, h = (double)lg.height / PANGO_SCALE;
	cairo_set_source_rgb(p->cr, g, g, g);
	cairo_move_to(p->cr, x - ax * w - (double)lg.x / PANGO_SCALE, y - ay * h);
	pango_cairo_show_layout(p->cr, p->pl);
}

/* Show the pen's text turned to read upwards, centred on (x, y). */
static void
pen_show_up(struct pen *p, double x, double y, double g)
{
	cairo_save(p->cr);
	cairo_translate(p->cr, x, y);
	cairo_rotate(p->cr, -M_PI / 2);
	pango_cairo_update_layout(p->cr, p->pl);
	pen_show(p, 0, 0, 0.5, 0.5, g);
	cairo_restore(p->cr);
	pango_cairo_update_layout(p->cr, p->pl);
}

/* --- time -------------------------------------------------------------- */

static void
local_tm(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	localtime_r(&t, tm);
}

/* Local days since 1970-01-01, for "every other day". */
static int64_t
local_day(int64_t ms, const struct tm *tm)
{
	int64_t s = (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) + tm->tm_gmtoff;
	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/* "Tue 30 Jun", "di 30 jun": in the chart's language, whatever LC_TIME
 * says (the hub serves four languages from one process). */
static void
date_text(const struct pen *p, const struct tm *tm, char out[LANG_DATE_BUF])
{
	lang_date(p->lang, tm->tm_wday, tm->tm_mday, tm->tm_mon, -1, out);
}

/* Where slot boundary i starts (i == nslots: where the last slot ends). */
static int64_t
edge_ms(const struct attend_stats *st, size_t i)
{
	return i < st->nslots ? st->slots[i].start : st->slots[st->nslots - 1].start + SLOT_MS;
}

/* Does the cumulative line start again from 0 at slot i? At an event of
 * days (st->days), at the first slot of each day: it counts who came that
 * day, each day's first admissions being the arrivals (attend_stats), and
 * a line over all days would end at several times the checked in. */
static bool
day_starts(const struct attend_stats *st, size_t i)
{
	if (st->days == NULL || i == 0 || i >= st->nslots)
		return false;
	struct tm a, b;
	local_tm(edge_ms(st, i - 1), &a);
	local_tm(edge_ms(st, i), &b);
	return a.tm_yday != b.tm_yday || a.tm_year != b.tm_year;
}

/* Does the time axis carry a label at ms, labels being every step minutes? */
static bool
labelled(int64_t ms, int step, struct tm *tm)
{
	local_tm(ms, tm);
	int mod = tm->tm_hour * 60 + tm->tm_min;
	if (step < DAY_MIN)
		return mod % step == 0;
	if (mod != 0)
		return false;
	if (step == 2 * DAY_MIN)
		return local_day(ms, tm) % 2 == 0;
	if (step == 7 * DAY_MIN)
		return tm->tm_wday == 1;
	return true;
}

static bool
same_day(const struct tm *a, const struct tm *b)
{
	return a->tm_year == b->tm_year && a->tm_yday == b->tm_yday;
}

/* --- scales ------------------------------------------------------------ */

/* The smallest round whole number at least x: 1, 2, 2.5 or 5 times a power
 * of ten, or with fine also 1.5, 3, 4, 6 and 8 times (for the right axis,
 * whose step must fill a given number of intervals snugly). */
static double
nice_ceil(double x, bool fine)
{
	static const double coarse_m[] = { 1, 2, 2.5, 5 };
	static const double fine_m[] = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 };
	const double *m = fine ? fine_m : coarse_m;
	size_t nm = fine ? sizeof fine_m / sizeof fine_m[0] : sizeof coarse_m / sizeof coarse_m[0];
	if (x <= 1)
		return 1;
	for (double p = 1; p < 1e12; p *= 10)
		for (size_t i = 0; i < nm; i++) {
			double v = m[i] * p;
			if (v >= x && v == floor(v))
				return v;
		}
	return ceil(x);
}

/* The left axis takes the finest round step that spans the highest bar
 * (with headroom) in at most seven intervals; the right axis gets as many,
 * each a round number, so both share gridlines. */
static void
scale_axes(struct chart *c)
{
	c->step_l = nice_ceil(c->peak * HEADROOM / 7, false);
	c->ticks = (int)ceil(c->peak * HEADROOM / c->step_l);
	if (c->ticks < 2)
		c->ticks = 2;
	c->step_r = nice_ceil(c->cum_top * HEADROOM / c->ticks, true);
}

/* --- layout ------------------------------------------------------------ */

/* Time labels every step minutes: hourly, or the shortest longer step whose
 * labels fit side by side; shorter than an hour only for short events. */
static int
pick_tick_step(struct pen *p, const struct chart *c)
{
	static const int steps[] = { 15, 30, 60, 120, 180, 360, 720, DAY_MIN, 2 * DAY_MIN,
	    7 * DAY_MIN };
	int span = (int)c->st->nslots * 15;
	int least = span <= 90 ? 15 : span <= 180 ? 30 : 60;
	double time_w = text_width(p, "00:00", TICK_PT, false) + 16;
	/* The widest date the language writes: its widest weekday, then its
	 * widest month with that weekday and a two-digit day. */
	char d[LANG_DATE_BUF];
	struct tm tm = { .tm_mday = 30 };
	double date_w = 0, w;
	int wide_wday = 0;
	for (int i = 0; i < 7; i++) {
		tm.tm_wday = i;
		date_text(p, &tm, d);
		if ((w = text_width(p, d, TICK_PT, false)) > date_w)
			date_w = w, wide_wday = i;
	}
	tm.tm_wday = wide_wday;
	for (int i = 0; i < 12; i++) {
		tm.tm_mon = i;
		date_text(p, &tm, d);
		if ((w = text_width(p, d, TICK_PT, false)) > date_w)
			date_w = w;
	}
	date_w += 16;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (steps[i] < least)
			continue;
		double room = c->w * steps[i] / (double)span;
		if (room >= (steps[i] < DAY_MIN ? time_w : date_w))
			return steps[i];
	}
	return 7 * DAY_MIN;
}

/* Hollow markers on the line every 15, 30, 60 minutes... so they stay apart
 * and fall on round times. */
static int
pick_marker_step(const struct chart *c)
{
	static const int q[] = { 1, 2, 4, 8, 12, 24, 48, 96 };
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
		if (q[i] * c->bw >= MARKER_GAP)
			return q[i];
	return 96;
}

/* The plot area between the header (ending at top) and the bottom of the
 * page, leaving room for what is measured around it. */
static void
layout_chart(struct pen *p, struct chart *c, double top, double pw, double ph)
{
	const struct attend_stats *st = c->st;
	char num[LANG_NUM_BUF];
	double lh, th, wl = 0, wr = 0, w;

	pen_text(p, "Ag", LABEL_PT, false, 0);
	pen_size(p, NULL, &lh);
	pen_text(p, "0", TICK_PT, false, 0);
	pen_size(p, NULL, &th);
	for (int k = 0; k <= c->ticks; k++) {
		num_text(p, k * c->step_l, num);
		if ((w = text_width(p, num, TICK_PT, false)) > wl)
			wl = w;
		num_text(p, k * c->step_r, num);
		if ((w = text_width(p, num, TICK_PT, false)) > wr)
			wr = w;
	}
	c->x = MARGIN + lh + 8 + wl + 6;
	c->w = pw - MARGIN - lh - 8 - wr - 6 - c->x;
	c->y = top + th; /* the top tick label stands half above the area */

	struct tm a, b;
	local_tm(st->slots[0].start, &a);
	local_tm(st->slots[st->nslots - 1].start, &b);
	c->bw = c->w / (double)st->nslots;
	c->tick_min = pick_tick_step(p, c);
	c->dates = !same_day(&a, &b) && c->tick_min < DAY_MIN;
	c->marker_q = pick_marker_step(c);
	/* Below the area: tick, times, dates, the caption. */
	c->h = ph - MARGIN - lh - 6 - (c->dates ? th + 1 : 0) - th - 3 - 4 - c->y;
}

/* --- drawing ----------------------------------------------------------- */

static double
value_y(const struct chart *c, double v, double step)
{
	return c->y + c->h - v / (step * c->ticks) * c->h;
}

static void
hline(cairo_t *cr, double x0, double x1, double y, double lw, double g)
{
	cairo_set_source_rgb(cr, g, g, g);
	cairo_set_line_width(cr, lw);
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x1, y);
	cairo_stroke(cr);
}

static void
vline(cairo_t *cr, double x, double y0, double y1, double lw, double g)
{
	cairo_set_source_rgb(cr, g, g, g);
	cairo_set_line_width(cr, lw);
	cairo_move_to(cr, x, y0);
	cairo_line_to(cr, x, y1);
	cairo_stroke(cr);
}

static void
marker(cairo_t *cr, double x, double y)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, x, y, MARKER_R, 0, 2 * M_PI);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 1.5);
	cairo_stroke(cr);
}

/* A bar (or the legend's swatch): mid grey, outlined in black. */
static void
bar_shape(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_rectangle(cr, x, y, w, h);
	cairo_set_source_rgb(cr, GREY_BAR, GREY_BAR, GREY_BAR);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.7);
	cairo_stroke(cr);
}

/* The cumulative line (or the legend's): black on a white halo. */
static void
stroke_line(cairo_t *cr)
{
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, HALO_W);
	cairo_stroke_preserve(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, LINE_W);
	cairo_stroke(cr);
}

/* The legend's two entries, left-aligned at x on the row at y; days: the
 * line starts again each day (day_starts). */
static void
draw_legend(struct pen *p, double x, double y, bool days)
{
	cairo_t *cr = p->cr;
	double h;
	pen_text(p, "Ag", LABEL_PT, false, 0);
	pen_size(p, NULL, &h);
	double mid = y + h / 2;

	bar_shape(cr, x, mid - 5, 16, 10);
	x += 16 + 6;
	pen_text(p, tr(p->cat, "arrivals per 15 minutes (left scale)"), LABEL_PT, false, 0);
	pen_show(p, x, y, 0, 0, 0);
	double w;
	pen_size(p, &w, NULL);
	x += w + 28;

	cairo_move_to(cr, x, mid);
	cairo_line_to(cr, x + 30, mid);
	stroke_line(cr);
	marker(cr, x + 15, mid);
	x += 30 + 6;
	pen_text(p, days ? tr(p->cat, "arrived so far that day (right scale)") :
	    tr(p->cat, "total arrived so far (right scale)"), LABEL_PT, false, 0);
	pen_show(p, x, y, 0, 0, 0);
}

/* Gridlines, bars, the day lines, the cumulative line, the axes. */
static void
draw_data(struct pen *p, const struct chart *c)
{
	cairo_t *cr = p->cr;
	const struct attend_stats *st = c->st;
	size_t n = st->nslots;
	double base = c->y + c->h;
	struct tm tm, prev;

	for (int k = 1; k <= c->ticks; k++)
		hline(cr, c->x, c->x + c->w, value_y(c, k * c->step_l, c->step_l), 0.6, GREY_GRID);
	for (size_t i = 0; i <= n; i++)
		if (labelled(edge_ms(st, i), c->tick_min, &tm) && i > 0 && i < n)
			vline(cr, c->x + (double)i * c->bw, c->y, base, 0.6, GREY_GRID);

	/* Midnights as dashed lines, when the dates below say which day is
	 * which (with a label a day, the gridlines are the midnights). */
	local_tm(edge_ms(st, 0), &prev);
	for (size_t i = 1; i < n && c->dates; i++) {
		local_tm(edge_ms(st, i), &tm);
		if (!same_day(&tm, &prev)) {
			static const double dash[] = { 4, 3 };
			cairo_set_dash(cr, dash, 2, 0);
			vline(cr, c->x + (double)i * c->bw, c->y, base, 0.9, GREY_DAY);
			cairo_set_dash(cr, NULL, 0, 0);
		}
		prev = tm;
	}

	/* Bars: a gap between them while there is room; an outline only while
	 * it does not swallow the grey. */
	double gap = c->bw >= 6 ? c->bw * 0.18 : 0;
	bool outline = c->bw >= 3;
	for (size_t i = 0; i < n; i++) {
		if (st->slots[i].arrivals <= 0)
			continue;
		double top = value_y(c, st->slots[i].arrivals, c->step_l);
		if (outline)
			bar_shape(cr, c->x + (double)i * c->bw + gap / 2, top, c->bw - gap,
			    base - top);
		else /* thin bars touch: one fill, or antialiasing draws seams between them */
			cairo_rectangle(cr, c->x + (double)i * c->bw, top, c->bw, base - top);
	}
	if (!outline) {
		cairo_set_source_rgb(cr, GREY_BAR, GREY_BAR, GREY_BAR);
		cairo_fill(cr);
	}

	/* The cumulative count at each slot's end, from 0 at the first slot's
	 * start (and at an event of days, at each day's: day_starts). */
	int cum = 0;
	cairo_move_to(cr, c->x, base);
	for (size_t i = 0; i < n; i++) {
		if (day_starts(st, i)) {
			cum = 0;
			cairo_move_to(cr, c->x + (double)i * c->bw, base);
		}
		cum += st->slots[i].arrivals > 0 ? st->slots[i].arrivals : 0;
		cairo_line_to(cr, c->x + (double)(i + 1) * c->bw, value_y(c, cum, c->step_r));
	}
	stroke_line(cr);
	cum = 0;
	double last_x = -1e9;
	for (size_t i = 0; i <= n; i++) {
		if (i > 0)
			cum += st->slots[i - 1].arrivals > 0 ? st->slots[i - 1].arrivals : 0;
		local_tm(edge_ms(st, i), &tm);
		int q = (tm.tm_hour * 60 + tm.tm_min) / 15;
		double x = c->x + (double)i * c->bw;
		bool end = i == n && x - last_x >= MARKER_GAP;
		if ((q % c->marker_q == 0 && x - last_x >= MARKER_GAP) || end) {
			marker(cr, x, value_y(c, cum, c->step_r));
			last_x = x;
		}
		if (day_starts(st, i))
			cum = 0; /* the marker at midnight closed the day before */
	}

	/* Axes over everything: the baseline and both scales' spines. */
	vline(cr, c->x, c->y, base + 0.5, 1.2, 0);
	vline(cr, c->x + c->w, c->y, base + 0.5, 1.2, 0);
	hline(cr, c->x - 0.6, c->x + c->w + 0.6, base, 1.2, 0);
}

/* The numbers on both scales and their titles. */
static void
draw_scales(struct pen *p, const struct chart *c, double pw)
{
	char num[LANG_NUM_BUF];
	for (int k = 0; k <= c->ticks; k++) {
		double y = value_y(c, k * c->step_l, c->step_l);
		hline(p->cr, c->x - 4, c->x, y, 1, 0);
		hline(p->cr, c->x + c->w, c->x + c->w + 4, y, 1, 0);
		num_text(p, k * c->step_l, num);
		pen_text(p, num, TICK_PT, false, 0);
		pen_show(p, c->x - 6, y, 1, 0.5, 0);
		num_text(p, k * c->step_r, num);
		pen_text(p, num, TICK_PT, false, 0);
		pen_show(p, c->x + c->w + 6, y, 0, 0.5, 0);
	}
	double lh;
	pen_text(p, tr(p->cat, "per 15 minutes"), LABEL_PT, false, 0);
	pen_size(p, NULL, &lh);
	pen_show_up(p, MARGIN + lh / 2, c->y + c->h / 2, GREY_TEXT);
	pen_text(p, c->st->days != NULL ? tr(p->cat, "so far that day") :
	    tr(p->cat, "total so far"), LABEL_PT, false, 0);
	pen_show_up(p, pw - MARGIN - lh / 2, c->y + c->h / 2, GREY_TEXT);
}

/* Time labels under their ticks and, past midnight, the dates under them:
 * the first day's at the left edge, every other at its midnight. */
static void
draw_times(struct pen *p, const struct chart *c, double pw)
{
	const struct attend_stats *st = c->st;
	size_t n = st->nslots;
	double base = c->y + c->h, th, row = base + 4 + 3;
	char text[LANG_DATE_BUF];
	struct tm tm, prev;

	pen_text(p, "0", TICK_PT, false, 0);
	pen_size(p, NULL, &th);
	for (size_t i = 0; i <= n; i++) {
		double x = c->x + (double)i * c->bw;
		if (!labelled(edge_ms(st, i), c->tick_min, &tm)) {
			/* Unlabelled hours get a short tick when they are far enough apart. */
			if (tm.tm_min == 0 && c->bw * 4 >= 4)
				vline(p->cr, x, base, base + 2.5, 0.8, 0);
			continue;
		}
		vline(p->cr, x, base, base + 4, 1, 0);
		if (c->tick_min < DAY_MIN)
			snprintf(text, sizeof text, "%02d:%02d", tm.tm_hour, tm.tm_min);
		else
			date_text(p, &tm, text);
		pen_text(p, text, TICK_PT, false, 0);
		pen_show(p, x, row, 0.5, 0, 0);
	}
	if (!c->dates)
		return;

	/* The first day's date at the left edge, unless its midnight comes too
	 * soon for both; every other day's centred on its midnight. */
	double drow = row + th + 1, right = -1e9;
	char first[LANG_DATE_BUF];
	bool first_done = false;
	local_tm(edge_ms(st, 0), &prev);
	date_text(p, &prev, first);
	double first_w = text_width(p, first, TICK_PT, true);
	for (size_t i = 1; i < n; i++) {
		local_tm(edge_ms(st, i), &tm);
		if (same_day(&tm, &prev))
			continue;
		prev = tm;
		date_text(p, &tm, text);
		double w = text_width(p, text, TICK_PT, true);
		double x = fmin(c->x + (double)i * c->bw - w / 2, pw - MARGIN - w);
		if (!first_done) {
			first_done = true;
			if (c->x + first_w + 10 <= x) {
				pen_text(p, first, TICK_PT, true, 0);
				pen_show(p, c->x, drow, 0, 0, 0);
				right = c->x + first_w;
			}
		}
		if (x < right + 10)
			continue;
		pen_text(p, text, TICK_PT, true, 0);
		pen_show(p, x, drow, 0, 0, 0);
		right = x + w;
	}
}

/* Title and totals at the top; returns where the next row may start. */
static double
draw_header(struct pen *p, const struct plot_labels *l, double pw)
{
	double y = MARGIN, h;
	const char *title = l->title != NULL && l->title[0] != '\0' ? l->title :
	    tr(p->cat, "Arrivals");
	pen_text(p, title, TITLE_PT, true, pw - 2 * MARGIN);
	pen_show(p, MARGIN, y, 0, 0, 0);
	pen_size(p, NULL, &h);
	y += h + 2;
	if (l->totals != NULL && l->totals[0] != '\0') {
		pen_text(p, l->totals, TOTALS_PT, false, pw - 2 * MARGIN);
		pen_show(p, MARGIN, y, 0, 0, 0);
		pen_size(p, NULL, &h);
		y += h;
	}
	return y + 12;
}

/* The caption under the time axis (centred on cx) and the footer at the
 * bottom right, which yields room to the caption. */
static void
draw_footer(struct pen *p, const struct plot_labels *l, const char *caption, double cx,
    double pw, double ph)
{
	double h, w = 0, right = cx;
	pen_text(p, "Ag", LABEL_PT, false, 0);
	pen_size(p, NULL, &h);
	double y = ph - MARGIN - h;
	if (caption != NULL) {
		pen_text(p, caption, LABEL_PT, false, 0);
		pen_size(p, &w, NULL);
		pen_show(p, cx, y, 0.5, 0, 0);
		right = cx + w / 2;
	}
	if (l->footer != NULL && l->footer[0] != '\0') {
		double room = pw - MARGIN - right - 16;
		if (room < 20)
			return;
		pen_text(p, l->footer, SMALL_PT, false, 0);
		pen_size(p, &w, NULL);
		if (w > room)
			pen_text(p, l->footer, SMALL_PT, false, room);
		pen_show(p, pw - MARGIN, y + h, 1, 1, GREY_TEXT);
	}
}

static void
render(cairo_t *cr, const struct attend_stats *st, const struct plot_labels *l, double pw,
    double ph)
{
	struct pen p = { cr, new_layout(cr), pango_font_description_from_string(PLOT_FONTS),
	    lang_ok(l->lang), l->cat };
	struct chart c = { .st = st };
	char caption[128];

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	double top = draw_header(&p, l, pw);

	int day = 0;
	for (size_t i = 0; i < st->nslots; i++) {
		int a = st->slots[i].arrivals > 0 ? st->slots[i].arrivals : 0;
		if (day_starts(st, i))
			day = 0;
		day += a;
		c.total += a;
		if (day > c.cum_top)
			c.cum_top = day;
		if (a > c.peak)
			c.peak = a;
	}
	if (c.total == 0) {
		double h;
		pen_text(&p, "Ag", LABEL_PT, false, 0);
		pen_size(&p, NULL, &h);
		double bottom = ph - MARGIN - h - 10;
		cairo_set_source_rgb(cr, GREY_GRID, GREY_GRID, GREY_GRID);
		cairo_set_line_width(cr, 1);
		cairo_rectangle(cr, MARGIN, top, pw - 2 * MARGIN, bottom - top);
		cairo_stroke(cr);
		pen_text(&p, tr(p.cat, "No arrivals yet"), EMPTY_PT, true, 0);
		pen_show(&p, pw / 2, (top + bottom) / 2, 0.5, 0.5, GREY_TEXT);
		draw_footer(&p, l, NULL, pw / 2, pw, ph);
		goto out;
	}

	double lh;
	pen_text(&p, "Ag", LABEL_PT, false, 0);
	pen_size(&p, NULL, &lh);
	scale_axes(&c);
	layout_chart(&p, &c, top + lh + 10, pw, ph);
	draw_legend(&p, c.x, top, st->days != NULL);
	draw_data(&p, &c);
	draw_scales(&p, &c, pw);
	draw_times(&p, &c, pw);
	if (l->zone != NULL && l->zone[0] != '\0')
		snprintf(caption, sizeof caption, tr(p.cat, "time (%s)"), l->zone);
	else
		snprintf(caption, sizeof caption, "%s", tr(p.cat, "local time"));
	draw_footer(&p, l, caption, c.x + c.w / 2, pw, ph);
out:
	pango_font_description_free(p.fd);
	g_object_unref(p.pl);
}

/* --- files ------------------------------------------------------------- */

static enum plot_format
format_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	if (dot == NULL || (slash != NULL && dot < slash))
		return PLOT_FMT_NONE;
	if (strcasecmp(dot, ".png") == 0)
		return PLOT_FMT_PNG;
	if (strcasecmp(dot, ".svg") == 0)
		return PLOT_FMT_SVG;
	if (strcasecmp(dot, ".pdf") == 0)
		return PLOT_FMT_PDF;
	return PLOT_FMT_NONE;
}

/* Draw into a new surface of the format writing to k; returns cairo's verdict. */
static cairo_status_t
draw_to(enum plot_format f, const struct attend_stats *st, const struct plot_labels *l,
    struct sink *k)
{
	cairo_surface_t *sf;
	cairo_status_t rc;
	double pw = PLOT_PAGE_W, ph = PLOT_PAGE_H;

	if (f == PLOT_FMT_PNG) {
		sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PLOT_PNG_W, PLOT_PNG_H);
		ph = PLOT_PAGE_W * PLOT_PNG_H / PLOT_PNG_W;
	} else if (f == PLOT_FMT_SVG) {
		sf = cairo_svg_surface_create_for_stream(sink_write, k, pw, ph);
		cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PT);
	} else {
		sf = cairo_pdf_surface_create_for_stream(sink_write, k, pw, ph);
		cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE,
		    l->title != NULL && l->title[0] != '\0' ? l->title : tr(l->cat, "Arrivals"));
		cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "kiosk");
	}
	cairo_t *cr = cairo_create(sf);
	if (f == PLOT_FMT_PNG)
		cairo_scale(cr, PLOT_PNG_W / PLOT_PAGE_W, PLOT_PNG_W / PLOT_PAGE_W);
	render(cr, st, l, pw, ph);
	rc = cairo_status(cr);
	cairo_destroy(cr);
	if (rc == CAIRO_STATUS_SUCCESS && f == PLOT_FMT_PNG)
		rc = cairo_surface_write_to_png_stream(sf, sink_write, k);
	cairo_surface_finish(sf);
	if (rc == CAIRO_STATUS_SUCCESS)
		rc = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	return rc;
}

int
plot_arrivals(const struct attend_stats *st, const struct plot_labels *l, const char *path,
    char **cause)
{
	static const struct plot_labels none = { NULL, NULL, NULL, NULL, LANG_EN, NULL };
	enum plot_format f = path != NULL ? format_of(path) : PLOT_FMT_NONE;
	struct sink k = { NULL, NULL, 0 };
	struct util_replace r = { 0 };

	if (f == PLOT_FMT_NONE)
		return util_fail(cause, "%s: a plot is a .png, .svg or .pdf file", S(path));
	if (l == NULL)
		l = &none;
	/* Counts only, nothing personal: readable by whoever prints it. */
	if (util_replace_open(&r, path, 0644, cause) != 0)
		return -1;
	k.fp = r.fp;
	return sink_commit(&r, &k, draw_to(f, st, l, &k), cause);
}

int
plot_arrivals_png(const struct attend_stats *st, const struct plot_labels *l, char **png,
    size_t *len, char **cause)
{
	static const struct plot_labels none = { NULL, NULL, NULL, NULL, LANG_EN, NULL };
	struct buf b;
	struct sink k = { NULL, &b, 0 };
	buf_init(&b, PNG_MAX);
	cairo_status_t cs = draw_to(PLOT_FMT_PNG, st, l != NULL ? l : &none, &k);
	if (cs != CAIRO_STATUS_SUCCESS) {
		buf_free(&b);
		return util_fail(cause, "cannot draw the plot: %s", sink_error(&k, cs));
	}
	*len = b.len;
	*png = buf_take(&b);
	return 0;
}

char *
plot_totals_text(const struct attend_stats *st, int lang, const struct catalog *cat)
{
	char in[LANG_NUM_BUF], reg[LANG_NUM_BUF], walk[LANG_NUM_BUF], out[LANG_NUM_BUF];
	struct buf b;
	int l = lang_ok(lang);
	lang_num(l, st->checked_in, in);
	lang_num(l, st->registered, reg);
	lang_num(l, st->walkins, walk);
	buf_init(&b, 0);
	/* TRANSLATORS: the arrivals chart's line under its title: checked in
	 * of registered, "412 of 500 checked in" */
	buf_addf(&b, trn(cat, "%s of %s checked in", "%s of %s checked in", st->checked_in), in,
	    reg);
	buf_addf(&b, " \xc2\xb7 ");
	buf_addf(&b, trn(cat, "%s walk-in", "%s walk-ins", st->walkins), walk);
	/* The running total ends at the arrivals drawn: say where the others
	 * are, or "10 checked in" and a line ending at 9 contradict. */
	if (st->outside > 0) {
		lang_num(l, st->outside, out);
		buf_addf(&b, " \xc2\xb7 ");
		buf_addf(&b, trn(cat, "%s arrival not drawn: a day or more from these",
		    "%s arrivals not drawn: a day or more from these", st->outside), out);
	}
	return buf_take(&b);
}

char *
plot_footer_text(int64_t now_ms, int lang, const struct catalog *cat)
{
	char day[LANG_DATE_BUF];
	struct tm tm;
	local_tm(now_ms, &tm);
	lang_date(lang_ok(lang), tm.tm_wday, tm.tm_mday, tm.tm_mon, tm.tm_year + 1900, day);
	char *when = xasprintf("%s %02d:%02d", day, tm.tm_hour, tm.tm_min);
	/* TRANSLATORS: the arrivals chart's footer; %s is a day and a time,
	 * "Tue 30 Jun 2026 21:47" */
	char *text = xasprintf(tr(cat, "as of %s"), when);
	free(when);
	return text;
}
