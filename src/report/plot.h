/* plot: arrivals over the event as a picture an organiser can print.
 *
 * One chart from struct attend_stats (the figures `kiosk stats` prints, so
 * the picture and the text always agree): arrivals per 15-minute slot as
 * bars on the left axis, the cumulative count as a line on the right axis,
 * the time axis in the event's local time (HH:MM every hour, or every 2, 3,
 * 6... hours when the event is long; dates under the times when it spans
 * midnight). It must read on a black-and-white printer: grey bars with a
 * black outline, a thick black line with hollow markers, light gridlines,
 * no colour carries meaning. The two axes share their gridlines (the right
 * axis' step is chosen for that), so a gridline never belongs to one axis only.
 *
 * Times are formatted in the process's local zone: call ktime_set_zone()
 * with the event's zone first, as every command does. Text is laid out by
 * pango with the badges' font families; a process that may lack them in the
 * system registers the kiosk's fonts/ first (badge_use_fonts).
 *
 * The format follows the path's extension, case-insensitively: .png is
 * 1600 x 900 pixels; .svg and .pdf are an A4 landscape page in points
 * (842 x 595), as vectors. The file is written whole or not at all (a
 * temporary file beside it, renamed over it), mode 0644: a plot holds
 * counts, no guest's data. An event without arrivals is a plot saying
 * "No arrivals yet", not an error. */
#ifndef KIOSK_PLOT_H
#define KIOSK_PLOT_H

#include "core/attend.h"
#include "core/catalog.h"

#define PLOT_PNG_W 1600         /* pixels */
#define PLOT_PNG_H 900
#define PLOT_PAGE_W 842.0       /* points: A4 landscape, for .svg and .pdf */
#define PLOT_PAGE_H 595.0

/* The words on the chart; any field may be NULL. UTF-8, any script the
 * badge fonts draw. Text too long for the page is ellipsized, never cut
 * mid-letter or drawn over something else. The chart's own words (legend,
 * axes, "No arrivals yet"), its dates and its numbers are in lang, looked
 * up in cat (po/LANG.po, as the live page's): the page's language on the
 * hub, kiosk.conf's for `kiosk stats --plot`. */
struct plot_labels {
	const char *title;      /* the event's name; NULL or "": "Arrivals" */
	const char *zone;       /* the event's zone, for the time axis' caption
	                         * "time (Europe/Brussels)"; NULL: "local time" */
	const char *totals;     /* the line under the title: "412 of 500 checked
	                         * in · 23 walk-ins" (plot_totals_text makes it);
	                         * NULL: none */
	const char *footer;     /* small print at the bottom right, say when the
	                         * figures were taken: "as of Tue 30 Jun 2026
	                         * 21:47" (plot_footer_text); NULL: none */
	int lang;               /* enum lang: LANG_EN (0) unless set */
	const struct catalog *cat; /* lang's translations; NULL: English words */
};

/* Draw st to path (.png, .svg or .pdf). Returns 0, or -1 with *cause (the
 * caller frees): an unknown extension (the message names the three), a
 * folder that cannot be written, a write that fails. On failure no file is
 * left at path and an existing one is left as it was. */
int plot_arrivals(const struct attend_stats *st, const struct plot_labels *l,
    const char *path, char **cause);

/* The same chart as a PNG in memory, for a web page: *png (the caller
 * frees) and *len are written only on success. Returns 0, or -1 with
 * *cause when cairo fails or the image passes 16 MB. */
int plot_arrivals_png(const struct attend_stats *st, const struct plot_labels *l,
    char **png, size_t *len, char **cause);

/* The usual totals line for st in lang (words from cat, NULL: English):
 * "412 of 500 checked in · 23 walk-ins", and " · 1 arrival not drawn: a
 * day or more from these" when st->outside (the running total ends at the
 * arrivals drawn). Returns a new string; the caller frees. */
char *plot_totals_text(const struct attend_stats *st, int lang, const struct catalog *cat);

/* The footer saying when the figures were taken, now_ms in the local zone
 * (ktime_set_zone) as lang writes it: "as of Tue 30 Jun 2026 21:47",
 * "stand van di 30 jun 2026 21:47". Returns a new string; the caller frees. */
char *plot_footer_text(int64_t now_ms, int lang, const struct catalog *cat);

#endif
