/* badge: print-ready name badges with a QR code, for a sheet of labels, a
 * credit-card badge or a label-printer roll.
 *
 * A layout is data (the table in layout.c): page size, badge size, grid,
 * margins and gaps in millimetres, as the label sheets are sold. Drawing is
 * cairo (PDF for sheets, PNG for one badge) with text laid out by pango, so
 * every script a name can be written in renders; the QR code is drawn as a
 * vector outline of libqrencode's modules (outline.h) with its four-module
 * quiet zone, crisp at any printer resolution. A name that does not fit
 * shrinks, then wraps onto up to three lines; it is never cut off. */
#ifndef KIOSK_BADGE_H
#define KIOSK_BADGE_H

#include <stdbool.h>
#include <stddef.h>

struct badge_layout {
	const char *name;       /* what --layout takes: "a4-2x4" */
	const char *what;       /* for --list-layouts */
	double page_w, page_h;  /* mm */
	double badge_w, badge_h;/* mm */
	int cols, rows;         /* badges on a page */
	double left, top;       /* mm from the page's left and top edge to the first badge */
	double gap_x, gap_y;    /* mm between badges */
};

/* The layouts, and one by name (NULL when unknown). */
size_t badge_layout_count(void);
const struct badge_layout *badge_layout_at(size_t i);
const struct badge_layout *badge_layout_find(const char *name);

/* Where badge i of a page sits: its top-left corner in mm. */
void badge_layout_slot(const struct badge_layout *l, int i, double *x, double *y);

/* What goes on a badge. NULL means "". */
struct badge_info {
	const char *first_name;
	const char *last_name;
	const char *company;
	const char *handle;
	const char *ticket_type;
	const char *event_name;
	const char *code;       /* what the QR code holds */
};

/* Render badges to a PDF at path, written whole or not at all (a temporary
 * file renamed over it). Returns 0, or -1 with *cause. */
int badge_render_pdf(const char *path, const struct badge_layout *l,
    const struct badge_info *b, size_t n, char **cause);

/* Render one badge to a PNG at dpi dots per inch. Same contract. */
int badge_render_png(const char *path, const struct badge_layout *l,
    const struct badge_info *b, int dpi, char **cause);

/* How a name, and the company line, were fitted into their boxes, for
 * tests: the font size used (pt), the lines it took, and its ink size (mm)
 * against the box (mm), drawn from y_mm down; for the company, limit_mm is
 * how far down it may reach (a little above the ticket type's band). All 0
 * for a line not drawn, but limit_mm. Any of the three may be NULL. */
struct badge_fit {
	double size_pt;
	int lines;
	double w_mm, h_mm;
	double box_w_mm, box_h_mm;
	double y_mm, limit_mm;
	bool inside_word;       /* a line break inside a word ("Maximiliaan / -Alexander") */
	bool cut;               /* cut short with "…": not all of it shows */
	bool dot_starts_line;   /* the "·" between company and handle begins a line */
};
int badge_measure_name(const struct badge_layout *l, const struct badge_info *b,
    struct badge_fit *first, struct badge_fit *last, struct badge_fit *company, char **cause);

/* Add the fonts in dir (the kiosk's fonts/) to those badges may use.
 * Returns 0, or -1 when the folder cannot be read. */
int badge_use_fonts(const char *dir);

/* Release the font caches pango, cairo and fontconfig keep for the life of
 * the process (call once, at exit, after the last badge), so a leak checker
 * sees only real leaks. Waits (at most a second) for pango's own threads to
 * finish with the font map first: cairo aborts if its caches go under them. */
void badge_shutdown(void);

#endif
