/* render: draw the door's view with SDL (see render.h). */
#include "ui/render.h"

#include <jansson.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/fold.h"
#include "core/ktime.h"
#include "core/lang.h"
#include "core/store.h"
#include "core/util.h"
#include "sync/live.h"
#include "ui/i18n.h"

#define MAX_BUTTONS 80

/* Colours: dark backgrounds with white text read from two metres; the
 * result colours are the door convention, told apart by their icons too.
 * To one in twelve men (red-green colour blindness) green and red are one
 * olive; they are told apart by how light they are, so the green is
 * lighter and the red darker (luminance 0.19 and 0.08, where they were
 * 0.16 and 0.14), white on each still 4.3:1 and 8:1. */
static const SDL_Color C_IDLE = { 0x10, 0x2A, 0x43, 255 };
static const SDL_Color C_PANEL = { 0x24, 0x3B, 0x53, 255 };
static const SDL_Color C_GREEN = { 0x1E, 0x8C, 0x45, 255 };
static const SDL_Color C_AMBER = { 0xF2, 0xA9, 0x00, 255 };
static const SDL_Color C_RED = { 0x9E, 0x1B, 0x1B, 255 };
/* Red words on the dark panels (a cancelled ticket in a list): 5:1 there,
 * where C_RED was 1.4:1. */
static const SDL_Color C_RED_TEXT = { 0xFF, 0x8A, 0x80, 255 };
static const SDL_Color C_WHITE = { 255, 255, 255, 255 };
static const SDL_Color C_BLACK = { 0x11, 0x11, 0x11, 255 };
static const SDL_Color C_GREY = { 0xB0, 0xBE, 0xC5, 255 };
static const SDL_Color C_FOCUS = { 0x4F, 0xC3, 0xF7, 255 };

struct button {
	SDL_Rect r;
	enum door_button id;
	char key[8];
};

struct render {
	SDL_Renderer *r;
	struct text *t;
	int w, h;
	float u;                        /* a hundredth of the shorter side */
	struct button buttons[MAX_BUTTONS];
	int nbuttons;
	int banner_h;                   /* rows the keyboard banner covers: a tap there is
	                                 * the banner's, not a button's hidden under it */
	bool dry;                       /* measuring: centred() draws nothing */
	struct {                        /* the last screen fitted (fit_block), by key */
		char key[192];
		int y;
		float k;
	} fit;
};

struct render *
render_new(SDL_Renderer *r, struct text *t)
{
	struct render *rd = xcalloc(1, sizeof *rd);
	rd->r = r;
	rd->t = t;
	return rd;
}

void
render_free(struct render *rd)
{
	free(rd);
}

static int
U(const struct render *rd, float k)
{
	int v = (int)(rd->u * k + 0.5f);
	return v > 1 ? v : 1;
}

/* A fingertip's height on the smallest screen a door runs on, the
 * Raspberry Pi's 7" touchscreen (800x480, about 133 dpi: 7.6 mm). Units
 * are small there (U(7) is 34 px), so what is tapped is sized with
 * touch(). */
#define TOUCH_MIN_PX 40

/* U(rd, k), but never shorter than a finger needs. */
static int
touch(const struct render *rd, float k)
{
	int v = U(rd, k);
	return v > TOUCH_MIN_PX ? v : TOUCH_MIN_PX;
}

static void
colour(struct render *rd, SDL_Color c)
{
	SDL_SetRenderDrawColor(rd->r, c.r, c.g, c.b, c.a);
}

static void
fill(struct render *rd, int x, int y, int w, int h, SDL_Color c)
{
	SDL_Rect q = { x, y, w, h };
	colour(rd, c);
	SDL_RenderFillRect(rd->r, &q);
}

static void
outline(struct render *rd, SDL_Rect q, int thick, SDL_Color c)
{
	fill(rd, q.x, q.y, q.w, thick, c);
	fill(rd, q.x, q.y + q.h - thick, q.w, thick, c);
	fill(rd, q.x, q.y, thick, q.h, c);
	fill(rd, q.x + q.w - thick, q.y, thick, q.h, c);
}

/* Filled convex polygon by scanlines (icons are a handful of points). */
static void
fill_poly(struct render *rd, const float *xs, const float *ys, int n, SDL_Color c)
{
	float top = ys[0], bot = ys[0];
	for (int i = 1; i < n; i++) {
		top = fminf(top, ys[i]);
		bot = fmaxf(bot, ys[i]);
	}
	colour(rd, c);
	for (int y = (int)top; y <= (int)bot; y++) {
		float lo = 1e9f, hi = -1e9f, fy = (float)y + 0.5f;
		for (int i = 0; i < n; i++) {
			int j = (i + 1) % n;
			float y0 = ys[i], y1 = ys[j];
			if ((fy < y0) == (fy < y1))
				continue;
			float x = xs[i] + (fy - y0) * (xs[j] - xs[i]) / (y1 - y0);
			lo = fminf(lo, x);
			hi = fmaxf(hi, x);
		}
		if (lo <= hi)
			SDL_RenderDrawLine(rd->r, (int)lo, y, (int)hi, y);
	}
}

static void
fill_circle(struct render *rd, float cx, float cy, float rad, SDL_Color c)
{
	colour(rd, c);
	for (int dy = (int)-rad; dy <= (int)rad; dy++) {
		float dx = sqrtf(rad * rad - (float)dy * (float)dy);
		SDL_RenderDrawLine(rd->r, (int)(cx - dx), (int)cy + dy, (int)(cx + dx), (int)cy + dy);
	}
}

/* A thick line as a quadrilateral. */
static void
thick_line(struct render *rd, float x0, float y0, float x1, float y1, float t, SDL_Color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	if (len <= 0)
		return;
	float nx = -dy / len * t / 2, ny = dx / len * t / 2;
	float xs[4] = { x0 + nx, x1 + nx, x1 - nx, x0 - nx };
	float ys[4] = { y0 + ny, y1 + ny, y1 - ny, y0 - ny };
	fill_poly(rd, xs, ys, 4, c);
}

enum icon { ICON_OK, ICON_WARN, ICON_STOP };

/* Shapes as well as colours: a tick in a circle, ! in a triangle, a cross in
 * an octagon. */
static void
icon(struct render *rd, enum icon kind, float cx, float cy, float size)
{
	float r = size / 2;
	if (kind == ICON_OK) {
		fill_circle(rd, cx, cy, r, C_WHITE);
		thick_line(rd, cx - r * 0.5f, cy, cx - r * 0.12f, cy + r * 0.4f, r * 0.2f, C_GREEN);
		thick_line(rd, cx - r * 0.12f, cy + r * 0.4f, cx + r * 0.55f, cy - r * 0.4f,
		    r * 0.2f, C_GREEN);
	} else if (kind == ICON_WARN) {
		float xs[3] = { cx, cx + r, cx - r }, ys[3] = { cy - r, cy + r * 0.85f, cy + r * 0.85f };
		fill_poly(rd, xs, ys, 3, C_BLACK);
		thick_line(rd, cx, cy - r * 0.45f, cx, cy + r * 0.3f, r * 0.16f, C_AMBER);
		fill_circle(rd, cx, cy + r * 0.58f, r * 0.1f, C_AMBER);
	} else {
		float xs[8], ys[8];
		for (int i = 0; i < 8; i++) {
			float a = (float)M_PI / 8 + (float)i * (float)M_PI / 4;
			xs[i] = cx + r * cosf(a);
			ys[i] = cy + r * sinf(a);
		}
		fill_poly(rd, xs, ys, 8, C_WHITE);
		thick_line(rd, cx - r * 0.45f, cy - r * 0.45f, cx + r * 0.45f, cy + r * 0.45f,
		    r * 0.2f, C_RED);
		thick_line(rd, cx + r * 0.45f, cy - r * 0.45f, cx - r * 0.45f, cy + r * 0.45f,
		    r * 0.2f, C_RED);
	}
}

/* Where s[0..n) breaks for wrap_lines, nearest its middle: at a space
 * (dropped), else after a hyphen ("Vandenberghe-Ødegård-"), else between
 * two characters: *cut bytes stay on the first line, *skip are dropped.
 * False when it cannot break (one character). */
static bool
break_at(const char *s, size_t n, size_t *cut, size_t *skip)
{
	const char *mid = s + n / 2, *best = NULL;
	for (const char *p = s; p < s + n; p++)
		if (*p == ' ' && (best == NULL || labs(p - mid) < labs(best - mid)))
			best = p;
	if (best != NULL) {
		*cut = (size_t)(best - s);
		*skip = 1;
		return true;
	}
	for (const char *p = s + 1; p + 1 < s + n; p++)
		if (*p == '-' && (best == NULL || labs(p + 1 - mid) < labs(best + 1 - mid)))
			best = p;
	if (best != NULL) {
		*cut = (size_t)(best + 1 - s);
		*skip = 0;
		return true;
	}
	for (size_t d = 0; d <= n / 2; d++) { /* the character boundary nearest the middle */
		size_t at[2] = { n / 2 - d, n / 2 + d };
		for (int j = 0; j < 2; j++) {
			if (at[j] > 0 && at[j] < n && ((unsigned char)s[at[j]] & 0xC0) != 0x80) {
				*cut = at[j];
				*skip = 0;
				return true;
			}
		}
	}
	return false;
}

/* s[0..n) in lines that each fit max_w at size least where they can:
 * split where break_at says, again until they fit. */
static void
wrap_lines(struct render *rd, const char *s, size_t n, int least, enum text_weight wt,
    int max_w, char ***lines, size_t *count)
{
	char *t = xstrndup(s, n);
	int w, h;
	size_t cut, skip;
	text_measure(rd->t, t, least, wt, &w, &h);
	if (w <= max_w || !break_at(s, n, &cut, &skip)) {
		*lines = xreallocarray(*lines, *count + 1, sizeof **lines);
		(*lines)[(*count)++] = t;
		return;
	}
	free(t);
	wrap_lines(rd, s, cut, least, wt, max_w, lines, count);
	wrap_lines(rd, s + cut + skip, n - cut - skip, least, wt, max_w, lines, count);
}

/* s from y, centred on x (centre) or from x, as large as px when it fits
 * max_w; when it does not at keep times that (seven tenths for most), on
 * several lines that do, all at one size (a name whose second half came out
 * smaller looked like two things; a headline shrunk to fit one line came out
 * smaller than the line under it, read from two metres as the message). A
 * word too long for a line at that size shrinks the lines further. Returns
 * the height drawn. */
static int
text_block(struct render *rd, const char *s, float px, float keep, enum text_weight wt,
    SDL_Color c, int x, int y, int max_w, bool centre)
{
	int least = (int)(px * 0.45f) > 8 ? (int)(px * 0.45f) : 8;
	int prefer = (int)(px * keep) > least ? (int)(px * keep) : least;
	int size = text_fit(rd->t, s, (int)px, prefer, wt, max_w);
	int w, h;
	text_measure(rd->t, s, size, wt, &w, &h);
	if (w <= max_w) {
		if (!rd->dry)
			text_draw(rd->t, rd->r, s, size, wt, c, centre ? x - w / 2 : x, y);
		return h;
	}
	char **lines = NULL;
	size_t n = 0;
	wrap_lines(rd, s, strlen(s), prefer, wt, max_w, &lines, &n);
	size = (int)px;
	for (size_t i = 0; i < n; i++) {
		int fit = text_fit(rd->t, lines[i], (int)px, least, wt, max_w);
		if (fit < size)
			size = fit;
	}
	int total = 0;
	for (size_t i = 0; i < n; i++) {
		text_measure(rd->t, lines[i], size, wt, &w, &h);
		if (!rd->dry)
			text_draw(rd->t, rd->r, lines[i], size, wt, c, centre ? x - w / 2 : x,
			    y + total);
		total += h;
		free(lines[i]);
	}
	free(lines);
	return total;
}

static int
centred(struct render *rd, const char *s, float px, enum text_weight wt, SDL_Color c, int cx,
    int y, int max_w)
{
	return text_block(rd, s, px, 0.7f, wt, c, cx, y, max_w, true);
}

/* As centred, for a result's headline over a line of 5/7 its size ("Please
 * ask a member of staff"): wrapped before it shrinks to that line's size,
 * so that on a narrow screen it is still read first. */
static int
headline(struct render *rd, const char *s, float px, SDL_Color c, int cx, int y, int max_w)
{
	return text_block(rd, s, px, 0.8f, TEXT_BOLD, c, cx, y, max_w, true);
}

/* From x, the admin screen's warnings: wrapped before they shrink, so
 * that all come out at one size. Shrunk to one line first, as centred
 * does, a long one (French "Aucun code PIN admin n'est défini : ...") was
 * two thirds the size of the one under it, the smallest text there. */
static int
left_wrapped(struct render *rd, const char *s, float px, enum text_weight wt, SDL_Color c,
    int x, int y, int max_w)
{
	return text_block(rd, s, px, 1.0f, wt, c, x, y, max_w, false);
}

/* s with k of the nb characters that may go (starting at at[], within
 * its first m bytes) kept and "…" for the others: at the start (keep_end),
 * or after them, before the rest of s. */
static void
cut_text(char *cut, size_t cap, const char *s, const size_t *at, size_t nb, size_t m,
    size_t k, bool keep_end)
{
	if (keep_end)
		snprintf(cut, cap, "…%s", s + at[nb - k]);
	else
		snprintf(cut, cap, "%.*s…%s", (int)at[k], s, s + m);
}

/* s from x, shrunk to fit max_w down to least times px (at least 8 px); what
 * does not fit even so is cut, "…" where it is (a 63-byte kiosk name in the
 * status line ran under Undo): the end of its first head bytes, the rest
 * kept whole (the status line's sync state after the name); or for a box
 * being typed in (keep_end), its start, so that the cursor and the last
 * letters typed stay in sight. Returns the height drawn. */
static int
left_cut(struct render *rd, const char *s, size_t head, float px, float least,
    enum text_weight wt, SDL_Color c, int x, int y, int max_w, bool keep_end)
{
	int size = text_fit(rd->t, s, (int)px, (int)(px * least) > 8 ? (int)(px * least) : 8, wt,
	    max_w);
	int w, h;
	text_measure(rd->t, s, size, wt, &w, &h);
	if (w <= max_w) {
		text_draw(rd->t, rd->r, s, size, wt, c, x, y);
		return h;
	}
	/* The starts of the characters that may go; the most of them kept
	 * that fits with "…". */
	size_t n = strlen(s), nb = 0, m = keep_end || head > n ? n : head;
	size_t *at = xmalloc((m + 1) * sizeof *at);
	for (size_t i = 0; i < m; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			at[nb++] = i;
	at[nb] = m;
	char *cut = xmalloc(n + 4);
	size_t lo = 0, hi = nb; /* characters kept: lo fits (none does), hi does not */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		cut_text(cut, n + 4, s, at, nb, m, mid, keep_end);
		text_measure(rd->t, cut, size, wt, &w, &h);
		if (w <= max_w)
			lo = mid;
		else
			hi = mid;
	}
	cut_text(cut, n + 4, s, at, nb, m, lo, keep_end);
	text_draw(rd->t, rd->r, cut, size, wt, c, x, y);
	text_measure(rd->t, cut, size, wt, &w, &h);
	free(cut);
	free(at);
	return h;
}

static int
left(struct render *rd, const char *s, float px, enum text_weight wt, SDL_Color c, int x, int y,
    int max_w)
{
	return left_cut(rd, s, strlen(s), px, 0.5f, wt, c, x, y, max_w, false);
}

/* As left, shrunk less before it is cut: a list's rows, read at a
 * glance, where a long guest's name drawn at half size was a smear. */
static int
left_short(struct render *rd, const char *s, float px, enum text_weight wt, SDL_Color c, int x,
    int y, int max_w)
{
	return left_cut(rd, s, strlen(s), px, 0.85f, wt, c, x, y, max_w, false);
}

static void
add_button(struct render *rd, SDL_Rect q, enum door_button id, const char *key)
{
	if (rd->nbuttons >= MAX_BUTTONS)
		return;
	struct button *b = &rd->buttons[rd->nbuttons++];
	b->r = q;
	b->id = id;
	snprintf(b->key, sizeof b->key, "%s", key ? key : "");
}

/* The size label takes on a button of q's size. */
static int
button_px(struct render *rd, SDL_Rect q, const char *label)
{
	return text_fit(rd->t, label, (int)(q.h * 0.45f), 8, TEXT_BOLD, q.w - U(rd, 2));
}

/* A button with label at px (0: as large as fits). */
static void
button_at(struct render *rd, SDL_Rect q, const char *label, int px, SDL_Color bg,
    SDL_Color fg, enum door_button id, const char *key)
{
	fill(rd, q.x, q.y, q.w, q.h, bg);
	outline(rd, q, U(rd, 0.3f) > 2 ? U(rd, 0.3f) : 2, fg);
	if (px <= 0)
		px = button_px(rd, q, label);
	int w, h;
	text_measure(rd->t, label, px, TEXT_BOLD, &w, &h);
	text_draw(rd->t, rd->r, label, px, TEXT_BOLD, fg, q.x + (q.w - w) / 2, q.y + (q.h - h) / 2);
	add_button(rd, q, id, key);
}

static void
button(struct render *rd, SDL_Rect q, const char *label, SDL_Color bg, SDL_Color fg,
    enum door_button id, const char *key)
{
	button_at(rd, q, label, 0, bg, fg, id, key);
}

enum door_button
render_hit(const struct render *rd, int x, int y, char key[8])
{
	SDL_Point p = { x, y };
	if (y < rd->banner_h)
		return DOOR_BTN_NONE;
	for (int i = rd->nbuttons - 1; i >= 0; i--) {
		if (SDL_PointInRect(&p, &rd->buttons[i].r)) {
			if (key != NULL)
				memcpy(key, rd->buttons[i].key, 8);
			return rd->buttons[i].id;
		}
	}
	return DOOR_BTN_NONE;
}

static void
status_line(struct render *rd, const struct render_info *in, SDL_Color fg)
{
	char line[512];
	if (in->waiting > 0) {
		/* one count, its verb agreeing: Dutch "1 wacht", "5 wachten" */
		char waiting[128];
		snprintf(waiting, sizeof waiting, ngettext("%d waiting to sync", "%d waiting to sync",
		    (unsigned long)in->waiting), in->waiting);
		snprintf(line, sizeof line, "%s  ·  %s  ·  %s", in->kiosk_name, _(in->link), waiting);
	} else
		snprintf(line, sizeof line, "%s  ·  %s", in->kiosk_name, _(in->link));
	/* The state is what staff look for: a name too long for the line at
	 * its smallest is cut, "…", before the state is. */
	left_cut(rd, line, strlen(in->kiosk_name), rd->u * 2.6f, 0.5f, TEXT_REGULAR, fg, U(rd, 2),
	    rd->h - U(rd, 4.5f), rd->w / 2, false);
}

static const char *
notice_text(const char *id)
{
	if (strcmp(id, "scan_again") == 0)
		return _("Please scan again");
	if (strcmp(id, "need_name") == 0)
		return _("Type a first or a last name");
	if (strcmp(id, "bad_email") == 0)
		return _("Check the e-mail address, or leave it empty");
	if (strcmp(id, "already_listed") == 0)
		return _("Already on the list: Back to search, or Register again");
	if (strcmp(id, "email_listed") == 0)
		return _("This e-mail is on the list already: Register again to add them");
	if (strcmp(id, "walkin_failed") == 0)
		return _("Could not register: call staff");
	if (strcmp(id, "undone") == 0)
		return _("Admission undone");
	if (strcmp(id, "undo_failed") == 0)
		return _("Could not undo: call staff");
	if (strcmp(id, "exit_needs_reentry") == 0)
		return _("Exit mode needs reentry = yes in kiosk.conf");
	if (strcmp(id, "print_full") == 0)
		return _("Printer: too many badges waiting");
	/* The print queue's words (printq.c), said in the door's language:
	 * "Printer: " and CUPS's reason, which has no translation. */
	if (strcmp(id, "Badge printed") == 0)
		return _("Badge printed");
	if (strncmp(id, "Printer: ", 9) == 0) {
		static char line[512];
		snprintf(line, sizeof line, "%s %s", _("Printer:"), id + 9);
		return line;
	}
	return id;
}

static void
notice_banner(struct render *rd, const struct door_view *v)
{
	if (v->notice == NULL)
		return;
	/* Above the idle screen's bottom buttons (one row of them, two in
	 * portrait), which stay visible and usable under it; on the screens
	 * with a keyboard, across the middle, leaving the keys and Back; above
	 * a new walk-in's QR code and buttons, where the printer's word on
	 * their badge comes, and over the title of the screens whose buttons
	 * fill the rest (the PIN pad, Yes and No, admin). */
	int bh = U(rd, 9), rows = rd->w < rd->h ? 2 : 1, w = rd->w;
	int y = rd->h - U(rd, 7) - rows * (U(rd, 9) + U(rd, 2)) - bh, ty = U(rd, 1.5f);
	if (v->screen == DOOR_SEARCH)
		y = U(rd, 22);
	else if (v->screen == DOOR_WALKIN_DONE || v->screen == DOOR_CONFIRM ||
	    v->screen == DOOR_UNDO)
		y = 0; /* over the title: their buttons reach down to the bottom */
	else if (v->screen == DOOR_WALKIN || v->screen == DOOR_ADMIN || v->screen == DOOR_PIN) {
		/* over the title, beside Back: across the middle it hid the
		 * last name while asking for the e-mail address again, and at
		 * the bottom admin's buttons */
		y = 0;
		bh = U(rd, 11); /* the title's descenders too */
		ty = U(rd, 3);
		w = rd->w - U(rd, 16) - U(rd, 4);
	}
	fill(rd, 0, y, w, bh, C_AMBER);
	/* One line, shrunk to fit rather than wrapped (centred): a second line
	 * would run out of the banner over what it is about. */
	const char *s = notice_text(v->notice);
	int px = (int)(rd->u * 5), least = px * 2 / 5 > 8 ? px * 2 / 5 : 8, tw, th;
	int size = text_fit(rd->t, s, px, least, TEXT_BOLD, w - U(rd, 4));
	text_measure(rd->t, s, size, TEXT_BOLD, &tw, &th);
	text_draw(rd->t, rd->r, s, size, TEXT_BOLD, C_BLACK, (w - tw) / 2,
	    size == px ? y + ty : y + (bh - th) / 2);
}

/* The window without the keyboard (another window was clicked or popped
 * up: a Wi-Fi prompt, a terminal): a USB scanner types each code into that
 * window, and the door shows "ready" and answers nothing. Across the top of
 * every screen, over whatever is there, until a click on the door gives
 * the keyboard back. The camera still reads; touch still works. */
static void
keys_banner(struct render *rd, const struct render_info *in)
{
	if (!in->keys_elsewhere)
		return;
	int bh = U(rd, 11), w = rd->w;
	rd->banner_h = bh;
	fill(rd, 0, 0, w, bh, C_AMBER);
	const char *s = _("Scans go to another window: click here");
	int px = (int)(rd->u * 5.5f), least = px * 2 / 5 > 8 ? px * 2 / 5 : 8, tw, th;
	int size = text_fit(rd->t, s, px, least, TEXT_BOLD, w - U(rd, 4));
	text_measure(rd->t, s, size, TEXT_BOLD, &tw, &th);
	text_draw(rd->t, rd->r, s, size, TEXT_BOLD, C_BLACK, (w - tw) / 2, (bh - th) / 2);
}

/* A stylised QR code: three finder squares. */
static void
scan_symbol(struct render *rd, int cx, int cy, int size)
{
	int m = size / 7;
	int x0 = cx - size / 2, y0 = cy - size / 2;
	int pos[3][2] = { { 0, 0 }, { size - 3 * m, 0 }, { 0, size - 3 * m } };
	for (int i = 0; i < 3; i++) {
		SDL_Rect q = { x0 + pos[i][0], y0 + pos[i][1], 3 * m, 3 * m };
		outline(rd, q, m / 2 > 1 ? m / 2 : 1, C_WHITE);
		fill(rd, q.x + m, q.y + m, m, m, C_WHITE);
	}
	fill(rd, x0 + 4 * m, y0 + 4 * m, m, m, C_WHITE);
	fill(rd, x0 + 5 * m + m / 2, y0 + 5 * m, m, m, C_WHITE);
	fill(rd, x0 + 4 * m, y0 + 6 * m, m, m / 2 + 1, C_WHITE);
}

static void
draw_idle(struct render *rd, const struct door_view *v, const struct render_info *in)
{
	char line[128];
	fill(rd, 0, 0, rd->w, rd->h, in->damaged ? C_RED : C_IDLE);
	/* The event name stops short of the admin button in the corner. */
	left(rd, in->event_name, rd->u * 5, TEXT_BOLD, C_WHITE, U(rd, 3), U(rd, 3),
	    rd->w - U(rd, 15));
	int cy = rd->h * 2 / 5;
	int y = cy + U(rd, 4);
	if (in->damaged) {
		/* Every scan would be red: not "Scan your ticket" to a queue that
		 * learns it from the first guest. */
		icon(rd, ICON_STOP, (float)rd->w / 2, (float)(cy - U(rd, 8)), rd->u * 18);
		y += centred(rd, _("This door cannot check anyone in"), rd->u * 8, TEXT_BOLD,
		    C_WHITE, rd->w / 2, y, rd->w - U(rd, 6));
		y += centred(rd, _("The guest list file is damaged: run 'kiosk doctor'"),
		    rd->u * 4.5f, TEXT_BOLD, C_WHITE, rd->w / 2, y + U(rd, 2), rd->w - U(rd, 6));
	} else {
		scan_symbol(rd, rd->w / 2, cy - U(rd, 8), U(rd, 18));
		y += centred(rd, _("Scan your ticket"), rd->u * 11, TEXT_BOLD, C_WHITE, rd->w / 2, y,
		    rd->w - U(rd, 6));
	}
	/* at an event of days, today's: all days' would read as today's */
	if (v->stats->days)
		snprintf(line, sizeof line, ngettext("%d checked in today", "%d checked in today",
		    (unsigned long)v->stats->today), v->stats->today);
	else
		snprintf(line, sizeof line, ngettext("%d checked in", "%d checked in",
		    (unsigned long)v->stats->checked_in), v->stats->checked_in);
	if (!in->damaged) /* a count read from a damaged file is no count */
		centred(rd, line, rd->u * 4.5f, TEXT_REGULAR, C_GREY, rd->w / 2, y + U(rd, 2),
		    rd->w - U(rd, 6));
	if (v->exit_mode)
		centred(rd, _("EXIT"), rd->u * 6, TEXT_BOLD, C_AMBER, rd->w / 2, U(rd, 11),
		    rd->w / 2);

	/* Bottom row: staff buttons left, languages right. */
	int bh = U(rd, 9), by = rd->h - bh - U(rd, 7);
	int bw = rd->w < rd->h ? rd->w / 3 : rd->w / 6;
	/* Side by side, one size for both labels. */
	SDL_Rect sq = { U(rd, 2), by, bw, bh }, wq = { U(rd, 3) + bw, by, bw, bh };
	int sp = button_px(rd, sq, _("Search name")), wp = button_px(rd, wq, _("Walk-in"));
	button_at(rd, sq, _("Search name"), sp < wp ? sp : wp, C_PANEL, C_WHITE,
	    DOOR_BTN_SEARCH, NULL);
	button_at(rd, wq, _("Walk-in"), sp < wp ? sp : wp, C_PANEL, C_WHITE,
	    DOOR_BTN_WALKIN, NULL);
	int lw = U(rd, 9), lx = rd->w - 4 * (lw + U(rd, 1)) - U(rd, 1);
	if (rd->w < rd->h) { /* portrait: languages go above the staff buttons */
		lx = U(rd, 2);
		by -= bh + U(rd, 2);
	}
	for (int i = 0; i < I18N_COUNT; i++) {
		char code[4];
		snprintf(code, sizeof code, "%s", i18n_code(i));
		for (char *p = code; *p; p++)
			*p = (char)(*p - 'a' + 'A');
		bool on = i == v->language;
		button(rd, (SDL_Rect){ lx + i * (lw + U(rd, 1)), by, lw, bh }, code,
		    on ? C_WHITE : C_PANEL, on ? C_IDLE : C_WHITE, DOOR_BTN_LANG0 + i, NULL);
	}
	/* Admin: a small corner button (the PIN guards it). */
	int aw = touch(rd, 7);
	button(rd, (SDL_Rect){ rd->w - aw - U(rd, 2), U(rd, 2), aw, aw }, "⚙", C_IDLE, C_GREY,
	    DOOR_BTN_ADMIN, NULL);
	if (in->preview != NULL) {
		int pw = U(rd, 24), ph = pw * 3 / 4;
		SDL_Rect q = { rd->w - pw - U(rd, 2), U(rd, 11), pw, ph };
		SDL_RenderCopy(rd->r, in->preview, NULL, &q);
		outline(rd, q, 2, C_GREY);
	}
	status_line(rd, in, C_GREY);
}

/* Extra fields of the guest that kiosk.conf asks to show. */
static int
show_extras(struct render *rd, const struct guest *g, const struct render_info *in, int y,
    float k, SDL_Color fg)
{
	json_t *ex = json_loads(g->extra, 0, NULL);
	int used = 0;
	for (size_t i = 0; i < in->n_show_fields && json_is_object(ex); i++) {
		json_t *val = json_object_get(ex, in->show_fields[i]);
		if (!json_is_string(val) || json_string_value(val)[0] == '\0')
			continue;
		char line[512];
		snprintf(line, sizeof line, "%s: %s", in->show_fields[i], json_string_value(val));
		used += centred(rd, line, rd->u * 5 * k, TEXT_BOLD, fg, rd->w / 2, y + used,
		    rd->w - U(rd, 8));
	}
	json_decref(ex);
	return used;
}

static const char *
reason(enum checkin_result r)
{
	switch (r) {
	case CHECKIN_ADMITTED:    return _("Welcome!");
	case CHECKIN_ALREADY:     return _("Already checked in");
	case CHECKIN_UNKNOWN:     return _("This code is not on the guest list");
	case CHECKIN_OTHER_EVENT: return _("This ticket is for another event");
	case CHECKIN_CANCELLED:   return _("This ticket was cancelled");
	case CHECKIN_WRONG_DOOR:  return _("This ticket is not for this entrance");
	case CHECKIN_TOO_EARLY:   return _("This entrance is not open yet");
	case CHECKIN_TOO_LATE:    return _("This entrance is closed");
	case CHECKIN_EXITED:      return _("Goodbye, see you later!");
	case CHECKIN_NOT_INSIDE:  return _("This guest is not inside");
	case CHECKIN_INVALID:     return _("This is not a ticket code");
	case CHECKIN_WRONG_DAY:   return _("This ticket is for another day");
	}
	return "";
}

/* A block of a screen drawn from y at k times its size, returning where
 * it ends; with rd->dry it is only measured. */
typedef int (*block_fn)(struct render *rd, const void *arg, int y, float k);

/* Where to draw a block so that it ends above bottom: from *y, else from
 * up (the room above it), and at its size, else shrunk in steps down to
 * half of it. Measured once per key (what the block shows, and where), not
 * at every frame the screen is drawn; *y and *k get the answer. */
static void
fit_block(struct render *rd, const char *key, block_fn fn, const void *arg, int bottom, int up,
    int *y, float *k)
{
	if (strcmp(key, rd->fit.key) != 0) {
		int at = *y;
		float size = 1.0f;
		rd->dry = true;
		if (fn(rd, arg, at, size) > bottom)
			at = up;
		while (size > 0.5f && fn(rd, arg, at, size) > bottom)
			size *= 0.9f;
		rd->dry = false;
		snprintf(rd->fit.key, sizeof rd->fit.key, "%s", key);
		rd->fit.y = at;
		rd->fit.k = size;
	}
	*y = rd->fit.y;
	*k = rd->fit.k;
}

/* The door's language index is i18n.h's, given to lang.h's functions. */
_Static_assert(I18N_COUNT == LANG_COUNT && LANG_NL == 1 && LANG_FR == 2 && LANG_DE == 3,
    "i18n.h and lang.h list the languages in one order");

struct result_arg {
	const struct checkin_outcome *o;
	const struct render_info *in;
	enum icon ic;
	SDL_Color fg;
	int language;           /* the door's now (i18n.h's order, lang.h's too) */
};

/* The result's block (icon, headline, name, details, what to do): a
 * block_fn of struct result_arg. */
static int
result_block(struct render *rd, const void *arg, int y, float k)
{
	const struct result_arg *a = arg;
	const struct checkin_outcome *o = a->o;
	const struct render_info *in = a->in;
	SDL_Color fg = a->fg;
	enum icon ic = a->ic;
	if (!rd->dry)
		icon(rd, ic, (float)rd->w / 2, (float)(y + U(rd, 11 * k)), rd->u * 22 * k);
	y += U(rd, 25 * k);
	y += headline(rd, o->result == CHECKIN_ALREADY || !checkin_result_ok(o->result) ?
	    reason(o->result) : (o->result == CHECKIN_EXITED ? reason(o->result) : _("Welcome")),
	    rd->u * 7 * k, fg, rd->w / 2, y, rd->w - U(rd, 6));
	/* A guest forgotten (kiosk forget) has no name to show, nor a gap. */
	if (o->has_guest && (o->guest.first_name[0] || o->guest.last_name[0])) {
		char *name = guest_display_name(&o->guest);
		y += U(rd, 1);
		y += centred(rd, name, rd->u * 13 * k, TEXT_BOLD, fg, rd->w / 2, y, rd->w - U(rd, 6));
		free(name);
		char detail[512] = "";
		snprintf(detail, sizeof detail, "%s%s%s", o->guest.ticket_type,
		    o->guest.ticket_type[0] && o->guest.company[0] ? "  ·  " : "", o->guest.company);
		if (detail[0])
			y += centred(rd, detail, rd->u * 5 * k, TEXT_REGULAR, fg, rd->w / 2, y + U(rd, 1),
			    rd->w - U(rd, 8)) + U(rd, 1);
	}
	/* Too early: when it opens, for the guest to come back then. */
	if (o->result == CHECKIN_TOO_EARLY && o->opens_at != 0) {
		char when[KTIME_BUF], line[128];
		ktime_ahead(o->opens_at, o->at, when);
		snprintf(line, sizeof line, _("Opens at %s"), when);
		y += centred(rd, line, rd->u * 6 * k, TEXT_BOLD, fg, rd->w / 2, y + U(rd, 2),
		    rd->w - U(rd, 8)) + U(rd, 2);
	}
	/* Another day's ticket: which day, so the guest knows when to come. */
	if (o->result == CHECKIN_WRONG_DAY && o->detail != NULL && o->detail[0] != '\0') {
		char days[256], line[320];
		snprintf(line, sizeof line, _("Valid on %s"),
		    lang_days(a->language, o->detail, days, sizeof days));
		y += centred(rd, line, rd->u * 6 * k, TEXT_BOLD, fg, rd->w / 2, y + U(rd, 2),
		    rd->w - U(rd, 8)) + U(rd, 2);
	}
	/* Red: what to do, not only what is wrong. At a door whose list is
	 * not all here, "unknown" may be a valid ticket: staff must know. So
	 * may one of this event's codes at a door that syncs (not one the hub
	 * refuses, which will not get it): a walk-in
	 * registered at another door a moment ago, or while this one was
	 * offline, that staff would otherwise register again. */
	if (!checkin_result_ok(o->result) && o->result != CHECKIN_ALREADY) {
		const char *ask = _("Please ask a member of staff");
		if (o->result == CHECKIN_UNKNOWN && in->list_short)
			ask = _("This door's guest list is incomplete: please ask a member of staff");
		else if (o->result == CHECKIN_UNKNOWN && o->ours && in->link != NULL &&
		    strcmp(in->link, "standalone") != 0 && strcmp(in->link, "sync refused") != 0)
			ask = _("A ticket of this event that this door has not had yet (new at "
			    "another door?): please ask a member of staff");
		y += centred(rd, ask, rd->u * 5 * k, TEXT_REGULAR, fg, rd->w / 2, y + U(rd, 2),
		    rd->w - U(rd, 8)) + U(rd, 2);
	}
	if (o->result == CHECKIN_ALREADY) {
		char when[KTIME_BUF], line[256];
		ktime_when(o->first_at, o->at, when);
		snprintf(line, sizeof line, _("First checked in at %s at %s"), when, o->first_kiosk);
		y += centred(rd, line, rd->u * 6 * k, TEXT_BOLD, fg, rd->w / 2, y + U(rd, 2),
		    rd->w - U(rd, 6)) + U(rd, 2);
	}
	if (o->result == CHECKIN_ADMITTED && o->has_guest)
		y += U(rd, 2) + show_extras(rd, &o->guest, in, y + U(rd, 2), k, fg);
	return y;
}

static void
draw_result(struct render *rd, const struct door_view *v, const struct render_info *in,
    uint32_t now)
{
	const struct checkin_outcome *o = v->outcome;
	SDL_Color bg = C_RED, fg = C_WHITE;
	enum icon ic = ICON_STOP;
	if (checkin_result_ok(o->result)) {
		bg = C_GREEN;
		ic = ICON_OK;
	} else if (o->result == CHECKIN_ALREADY) {
		bg = C_AMBER;
		fg = C_BLACK;
		ic = ICON_WARN;
	}
	fill(rd, 0, 0, rd->w, rd->h, bg);
	/* On a portrait screen the block sits a third of the way down, not
	 * against the top edge. Down to where Undo (or the status line)
	 * begins: a long name on a portrait screen (six lines of it) and the
	 * extra fields below it move up, then shrink together, rather than
	 * run under the button. */
	int bh = touch(rd, 8), y0 = rd->h > rd->w ? (rd->h - rd->w) / 3 : U(rd, 5);
	int bottom = rd->h - (v->can_undo ? bh + U(rd, 3) : U(rd, 5)) - U(rd, 1);
	char key[sizeof rd->fit.key];
	snprintf(key, sizeof key, "result %d %s %s %lld %d %d %d %d %d", (int)o->result,
	    o->checkin_uuid, o->has_guest ? o->guest.uuid : "", (long long)o->at, rd->w, rd->h,
	    v->can_undo, in->list_short, v->language);
	struct result_arg a = { o, in, ic, fg, v->language };
	float k;
	fit_block(rd, key, result_block, &a, bottom, y0 < U(rd, 3) ? y0 : U(rd, 3), &y0, &k);
	result_block(rd, &a, y0, k);
	/* Time left on screen, as a shrinking bar. */
	uint32_t gone = now - v->since;
	if (v->result_ms > 0 && gone < (uint32_t)v->result_ms) {
		int bw = (int)((int64_t)rd->w * (v->result_ms - (int)gone) / v->result_ms);
		fill(rd, 0, rd->h - U(rd, 1.2f), bw, U(rd, 1.2f), fg);
	}
	if (v->can_undo) {
		/* As wide as the word needs at the button's own size: German's
		 * "Rückgängig" came out a third as tall as English "Undo". */
		int bw = U(rd, 16), tw, th;
		text_measure(rd->t, _("Undo"), (int)(bh * 0.45f), TEXT_BOLD, &tw, &th);
		if (tw + U(rd, 4) > bw)
			bw = tw + U(rd, 4) < rd->w / 3 ? tw + U(rd, 4) : rd->w / 3;
		button(rd, (SDL_Rect){ rd->w - bw - U(rd, 2), rd->h - bh - U(rd, 3), bw, bh },
		    _("Undo"), bg, fg, DOOR_BTN_UNDO, NULL);
	}
	status_line(rd, in, fg);
}

/* The on-screen keyboard's rows of keys: digits (a ticket code typed by
 * hand), letters, the hyphen and apostrophe of names (Pieter-Jan, D'Hondt);
 * a last row around the space bar has @ and . for an e-mail address. */
static const char *const kb_rows[] = { "1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM-'" };
enum { KB_ROWS = sizeof kb_rows / sizeof kb_rows[0] + 1 };

/* Where the keyboard starts: the bottom 2/5 of a landscape screen, the
 * bottom third of a portrait one, or more when keys would come out shorter
 * than a finger (31 px at 800x480 once the digits row came). */
static int
keyboard_top(const struct render *rd, const struct door_view *v)
{
	if (!v->keyboard)
		return rd->h - U(rd, 2); /* typed on a real keyboard: the room is
		                          * the results' (door_keys_typed) */
	int band = rd->h < rd->w ? rd->h * 2 / 5 : rd->h / 3;
	int least = KB_ROWS * (TOUCH_MIN_PX + U(rd, 1)) + U(rd, 2);
	return rd->h - (band > least ? band : least);
}

/* An on-screen keyboard for touchscreens, filling the band from y down. */
static void
keyboard(struct render *rd, int y)
{
	int avail = rd->h - y - U(rd, 2);
	int kh = avail / KB_ROWS - U(rd, 1);
	int kw = (rd->w - U(rd, 4)) / 10 - U(rd, 1);
	if (kh > kw)
		kh = kw;
	for (int r = 0; r < KB_ROWS - 1; r++) {
		int n = (int)strlen(kb_rows[r]);
		int x = (rd->w - n * (kw + U(rd, 1))) / 2;
		for (int i = 0; i < n; i++) {
			char k[2] = { kb_rows[r][i], 0 };
			button(rd, (SDL_Rect){ x + i * (kw + U(rd, 1)), y, kw, kh }, k, C_PANEL, C_WHITE,
			    DOOR_BTN_KEY, k);
		}
		y += kh + U(rd, 1);
	}
	/* Backspace, @, space, ., Return: 2 + 1 + 3 + 1 + 2 key widths. */
	int p = kw + U(rd, 1);
	int x = (rd->w - 9 * p + U(rd, 1)) / 2;
	button(rd, (SDL_Rect){ x, y, 2 * p - U(rd, 1), kh }, "⌫", C_PANEL, C_WHITE, DOOR_BTN_KEY,
	    "\b");
	x += 2 * p;
	button(rd, (SDL_Rect){ x, y, kw, kh }, "@", C_PANEL, C_WHITE, DOOR_BTN_KEY, "@");
	x += p;
	button(rd, (SDL_Rect){ x, y, 3 * p - U(rd, 1), kh }, _("space"), C_PANEL, C_WHITE,
	    DOOR_BTN_KEY, " ");
	x += 3 * p;
	button(rd, (SDL_Rect){ x, y, kw, kh }, ".", C_PANEL, C_WHITE, DOOR_BTN_KEY, ".");
	x += p;
	button(rd, (SDL_Rect){ x, y, 2 * p - U(rd, 1), kh }, "↵", C_PANEL, C_WHITE, DOOR_BTN_KEY,
	    "\n");
}

static void
back_button(struct render *rd)
{
	int bw = U(rd, 16), bh = touch(rd, 7);
	button(rd, (SDL_Rect){ rd->w - bw - U(rd, 2), U(rd, 2), bw, bh }, _("Back"), C_PANEL,
	    C_WHITE, DOOR_BTN_BACK, NULL);
}

/* Do rows a and b read the same (name and second line), to a volunteer
 * in a hurry: case and accents aside? */
static bool
hits_alike(const struct door_hit *a, const struct door_hit *b)
{
	char *an = fold_key(a->name), *bn = fold_key(b->name);
	char *ad = fold_key(a->detail), *bd = fold_key(b->detail);
	bool same = strcmp(an, bn) == 0 && strcmp(ad, bd) == 0;
	free(an);
	free(bn);
	free(ad);
	free(bd);
	return same;
}

/* Append part to out (RENDER_HIT_DETAIL_MAX), after " · " if out has
 * something, cut at a whole character if it does not fit. */
static void
detail_part(char *out, const char *part)
{
	size_t n = strlen(out);
	if (part[0] == '\0')
		return;
	int w = snprintf(out + n, RENDER_HIT_DETAIL_MAX - n, "%s%s", n > 0 ? " · " : "", part);
	if (w < 0 || (size_t)w >= RENDER_HIT_DETAIL_MAX - n)
		out[util_utf8_cut(out, strlen(out), RENDER_HIT_DETAIL_MAX - 1)] = '\0';
}

/* Do namesakes a and b (hits_alike) still read the same with what tells
 * them apart (e-mail, when registered)? Two walk-ins of one name, no
 * e-mail, registered the same minute. */
static bool
hits_twins(const struct door_hit *a, const struct door_hit *b)
{
	return strcasecmp(a->email, b->email) == 0 && strcmp(a->walkin_at, b->walkin_at) == 0;
}

/* The last `want` characters of code (UTF-8), at most 32 bytes of them. */
static const char *
code_tail(const char *code, int want)
{
	size_t n = strlen(code);
	const char *p = code + n;
	while (p > code && want > 0 && (size_t)(code + n - p) < 32) {
		p--;
		if (((unsigned char)*p & 0xc0) != 0x80)
			want--;
	}
	return p;
}

void
render_hit_detail(const struct door_hit *hits, int n, int i, char out[RENDER_HIT_DETAIL_MAX])
{
	const struct door_hit *h = &hits[i];
	bool twin = false, same = false;
	for (int j = 0; j < n; j++)
		if (j != i && hits_alike(h, &hits[j])) {
			twin = true;
			same = same || hits_twins(h, &hits[j]);
		}
	out[0] = '\0';
	/* what tells them apart first: the line is cut at the row's end */
	if (twin) {
		detail_part(out, h->email);
		if (h->walkin_at[0] != '\0') {
			char reg[128];
			/* TRANSLATORS: a namesake's row in the search; %s: "21:04" */
			snprintf(reg, sizeof reg, _("walk-in, registered %s"), h->walkin_at);
			detail_part(out, reg);
		}
	}
	/* Still alike (registered the same minute, no e-mail): the end of
	 * their ticket code, which the walk-in's screen showed under the QR
	 * code, and which no two guests share. No personal data. */
	if (same && h->code[0] != '\0') {
		char tail[128];
		/* TRANSLATORS: a namesake's row in the search: the last characters
		 * of their ticket code; %s: "7KQ3" */
		snprintf(tail, sizeof tail, _("ticket …%s"), code_tail(h->code, 4));
		detail_part(out, tail);
	}
	detail_part(out, h->detail);
}

const char *
render_hit_flag(const struct door_hit *h, bool asked)
{
	if (h->cancelled)
		return _("cancelled");
	if (!h->checked_in)
		return NULL;
	/* Under "Check in this guest?", a bare "checked in" read as the
	 * answer to come, not as the warning it is */
	return asked ? _("already checked in") : _("checked in");
}

static void
draw_search(struct render *rd, const struct door_view *v)
{
	fill(rd, 0, 0, rd->w, rd->h, C_IDLE);
	left(rd, _("Find a guest"), rd->u * 6, TEXT_BOLD, C_WHITE, U(rd, 3), U(rd, 3),
	    rd->w - U(rd, 24));
	back_button(rd);
	SDL_Rect box = { U(rd, 3), U(rd, 12), rd->w - U(rd, 6), U(rd, 9) };
	fill(rd, box.x, box.y, box.w, box.h, C_WHITE);
	outline(rd, box, U(rd, 0.5f), C_FOCUS);
	add_button(rd, box, DOOR_BTN_QUERY, NULL); /* a tap: the keys back */
	char q[DOOR_FIELD_MAX + 8];
	snprintf(q, sizeof q, "%s|", v->query);
	left_cut(rd, q, strlen(q), rd->u * 5.5f, 0.5f, TEXT_REGULAR, C_BLACK, box.x + U(rd, 2),
	    box.y + U(rd, 1.5f), box.w - U(rd, 4), true);
	int y = box.y + box.h + U(rd, 2);
	int rh = U(rd, 9.5f), gap = U(rd, 1);
	int kb_top = keyboard_top(rd, v);
	if (v->query_short) { /* letters, as the search counts them (not "j ", nor bytes) */
		left(rd, _("Type at least two letters of a first name, last name or e-mail"),
		    rd->u * 3.5f, TEXT_REGULAR, C_GREY, U(rd, 3), y, rd->w - U(rd, 6));
	} else if (v->enter_checks_in) {
		left(rd, _("Nobody found. Press Return to check this code in."), rd->u * 4.5f,
		    TEXT_REGULAR, C_GREY, U(rd, 3), y, rd->w - U(rd, 6));
	} else if (v->nhits == 0 && v->hits_more) {
		/* "Nobody found" would send staff to register a guest who is on
		 * the list: so many names start so that not all were looked at */
		left(rd, _("More guests may match: type more letters"), rd->u * 4.5f,
		    TEXT_REGULAR, C_GREY, U(rd, 3), y, rd->w - U(rd, 6));
	} else if (v->nhits == 0) {
		left(rd, _("Nobody found"), rd->u * 4.5f, TEXT_REGULAR, C_GREY, U(rd, 3), y,
		    rd->w - U(rd, 6));
	}
	/* The rows that fit above the keyboard, scrolled so that the one the
	 * arrow keys chose is among them; a line says when more match. */
	int fit = 0;
	while (fit < v->nhits && y + (fit + 1) * (rh + gap) - gap <= kb_top)
		fit++;
	bool more = v->nhits > fit || v->nhits == DOOR_HITS || (v->hits_more && v->nhits > 0);
	if (more && fit > 1 && y + fit * (rh + gap) - gap + U(rd, 4) > kb_top)
		fit--; /* room for the line */
	int top = v->selected >= fit ? v->selected - fit + 1 : 0;
	for (int i = top; i < v->nhits && i < top + fit; i++) {
		const struct door_hit *h = &v->hits[i];
		SDL_Rect row = { U(rd, 3), y, rd->w - U(rd, 6), rh };
		bool sel = i == v->selected;
		fill(rd, row.x, row.y, row.w, row.h, sel ? C_FOCUS : C_PANEL);
		SDL_Color fg = sel ? C_BLACK : C_WHITE;
		/* The whole row, or up to the flag at its last quarter. */
		bool flag = h->cancelled || h->checked_in;
		int tw = (flag ? row.w * 3 / 4 : row.w) - U(rd, 4);
		left_short(rd, h->name, rd->u * 4.0f, TEXT_BOLD, fg, row.x + U(rd, 2),
		    row.y + U(rd, 0.6f), tw);
		char detail[RENDER_HIT_DETAIL_MAX];
		render_hit_detail(v->hits, v->nhits, i, detail);
		left_short(rd, detail, rd->u * 2.6f, TEXT_REGULAR, fg, row.x + U(rd, 2),
		    row.y + U(rd, 5.8f), tw);
		/* A cancelled ticket first: the door would refuse it, inside
		 * already or not. */
		if (flag)
			left(rd, render_hit_flag(h, false), rd->u * 3.5f, TEXT_BOLD,
			    sel ? C_BLACK : h->cancelled ? C_RED_TEXT : C_AMBER,
			    row.x + row.w * 3 / 4, row.y + U(rd, 2), row.w / 4 - U(rd, 2));
		add_button(rd, row, DOOR_BTN_HIT0 + i, NULL);
		y += rh + gap;
	}
	if (more && fit > 0)
		left(rd, _("More guests may match: type more letters"),
		    rd->u * 3, TEXT_REGULAR, C_GREY, U(rd, 3), y, rd->w - U(rd, 6));
	if (v->keyboard)
		keyboard(rd, kb_top);
}

struct question_arg {
	const char *question, *name, *detail, *flag;
	SDL_Color flag_colour;
};

/* The question's block (question, name, details, flag): a block_fn of
 * struct question_arg. */
static int
question_block(struct render *rd, const void *arg, int y, float k)
{
	const struct question_arg *a = arg;
	y += centred(rd, a->question, rd->u * 7 * k, TEXT_BOLD, C_WHITE, rd->w / 2, y,
	    rd->w - U(rd, 6));
	y += centred(rd, a->name, rd->u * 11 * k, TEXT_BOLD, C_WHITE, rd->w / 2, y + U(rd, 3 * k),
	    rd->w - U(rd, 6)) + U(rd, 3 * k);
	if (a->detail && a->detail[0])
		y += centred(rd, a->detail, rd->u * 4.5f * k, TEXT_REGULAR, C_GREY, rd->w / 2,
		    y + U(rd, 1), rd->w - U(rd, 6)) + U(rd, 1);
	/* What the list said of them, in its colour, before Yes: in small
	 * grey after the details it went unseen. */
	if (a->flag != NULL)
		y += U(rd, 2 * k) + centred(rd, a->flag, rd->u * 6 * k, TEXT_BOLD, a->flag_colour,
		    rd->w / 2, y + U(rd, 2 * k), rd->w - U(rd, 6));
	return y;
}

/* A question about a guest over Yes and No. A long name (four lines on a
 * 1366x768 laptop) moves the block up, then shrinks it, rather than put
 * its details and flag ("checked in") behind the buttons, out of sight
 * when staff tap Yes. */
static void
draw_question(struct render *rd, const char *question, const char *name, const char *detail,
    const char *flag, SDL_Color flag_colour, SDL_Color bg)
{
	fill(rd, 0, 0, rd->w, rd->h, bg);
	int bw = rd->w < rd->h ? rd->w * 2 / 5 : rd->w / 4, bh = U(rd, 12);
	int by = rd->h - bh - U(rd, 10);
	struct question_arg a = { question, name, detail, flag, flag_colour };
	char key[sizeof rd->fit.key];
	/* the sizes first: a long name or detail is cut from the key's end */
	snprintf(key, sizeof key, "question %d %d %zu %zu %s %s %s %s", rd->w, rd->h, strlen(name),
	    detail ? strlen(detail) : 0, flag ? flag : "", question, name, detail ? detail : "");
	int y = rd->h / 6;
	float k;
	fit_block(rd, key, question_block, &a, by - U(rd, 2), U(rd, 3), &y, &k);
	question_block(rd, &a, y, k);
	button(rd, (SDL_Rect){ rd->w / 2 - bw - U(rd, 2), by, bw, bh }, _("Yes"), C_GREEN, C_WHITE,
	    DOOR_BTN_YES, NULL);
	button(rd, (SDL_Rect){ rd->w / 2 + U(rd, 2), by, bw, bh }, _("No"), C_PANEL, C_WHITE,
	    DOOR_BTN_NO, NULL);
}

static const char *
field_label(int i)
{
	static const char *const labels[4] = {
		N_("First name"), N_("Last name"), N_("E-mail"), N_("Company"),
	};
	return _(labels[i]);
}

static void
draw_walkin(struct render *rd, const struct door_view *v)
{
	fill(rd, 0, 0, rd->w, rd->h, C_IDLE);
	left(rd, _("Walk-in registration"), rd->u * 6, TEXT_BOLD, C_WHITE, U(rd, 3), U(rd, 3),
	    rd->w - U(rd, 24));
	back_button(rd);
	int kb_top = keyboard_top(rd, v);
	int y = U(rd, 12), gap = U(rd, 1.5f), bw = U(rd, 22);
	int lw = rd->w < rd->h ? 0 : rd->w / 4;
	int lab = lw == 0 ? U(rd, 4) : 0; /* portrait: each label above its field */
	/* Four fields a finger tall, Register below them. Where the keyboard
	 * leaves no room for that (800x480), Register comes beside the last
	 * field; on a screen shorter still, the fields share what room there is
	 * rather than run under the keys. */
	int room = kb_top - U(rd, 1) - y, fh = touch(rd, 7);
	bool beside = 4 * (lab + fh + gap) + fh > room;
	if (beside && 4 * (lab + fh) + 3 * gap > room)
		fh = (room - 3 * gap) / 4 - lab;
	/* Register as wide as its word needs at the button's own size, as Undo:
	 * Dutch "Registreren" came out half as tall as English at 800x480. */
	int tw, th;
	text_measure(rd->t, _("Register"), (int)(fh * 0.45f), TEXT_BOLD, &tw, &th);
	if (tw + U(rd, 4) > bw)
		bw = tw + U(rd, 4) < rd->w / 3 ? tw + U(rd, 4) : rd->w / 3;
	for (int i = 0; i < 4; i++) {
		int x = U(rd, 3);
		if (lw == 0) {
			left(rd, field_label(i), rd->u * 3, TEXT_REGULAR, C_GREY, x, y, rd->w / 2);
			y += lab;
		} else {
			left(rd, field_label(i), rd->u * 4, TEXT_REGULAR, C_GREY, x, y + U(rd, 1.5f),
			    lw - U(rd, 2));
			x += lw;
		}
		SDL_Rect box = { x, y, rd->w - x - U(rd, 3), fh };
		if (i == 3 && beside)
			box.w -= bw + U(rd, 2);
		fill(rd, box.x, box.y, box.w, box.h, C_WHITE);
		if (i == v->focus)
			outline(rd, box, U(rd, 0.6f), C_FOCUS);
		char val[DOOR_FIELD_MAX + 4];
		snprintf(val, sizeof val, "%s%s", v->fields[i], i == v->focus ? "|" : "");
		left_cut(rd, val, strlen(val), rd->u * 4.5f, 0.5f, TEXT_REGULAR, C_BLACK,
		    box.x + U(rd, 1.5f), box.y + U(rd, 1), box.w - U(rd, 3), i == v->focus);
		add_button(rd, box, DOOR_BTN_FIELD0 + i, NULL);
		if (i < 3 || !beside)
			y += fh + gap;
	}
	button(rd, (SDL_Rect){ rd->w - bw - U(rd, 3), y, bw, fh }, _("Register"), C_GREEN,
	    C_WHITE, DOOR_BTN_SAVE, NULL);
	if (v->keyboard)
		keyboard(rd, kb_top);
}

/* The QR code of a code, drawn module by module with its quiet zone. */
static void
draw_qr(struct render *rd, const char *code, int cx, int cy, int size)
{
	QRcode *qr = QRcode_encodeString(code, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return;
	int n = qr->width + 8; /* four modules of quiet zone each side */
	int m = size / n;
	if (m < 1)
		m = 1;
	int x0 = cx - m * n / 2, y0 = cy - m * n / 2;
	fill(rd, x0, y0, m * n, m * n, C_WHITE);
	colour(rd, C_BLACK);
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1) {
				SDL_Rect q = { x0 + (x + 4) * m, y0 + (y + 4) * m, m, m };
				SDL_RenderFillRect(rd->r, &q);
			}
	QRcode_free(qr);
}

struct walkin_arg {
	const char *name, *code;
	int tx, tw;             /* the column */
};

/* "Registered", the walk-in's name and their new code, in the column: a
 * block_fn of struct walkin_arg. */
static int
walkin_text(struct render *rd, const void *arg, int y, float k)
{
	const struct walkin_arg *a = arg;
	const char *name = a->name, *code = a->code;
	int tx = a->tx, tw = a->tw;
	y += centred(rd, _("Registered"), rd->u * 5 * k, TEXT_BOLD, C_GREY, tx + tw / 2, y, tw);
	y += centred(rd, name, rd->u * 8 * k, TEXT_BOLD, C_WHITE, tx + tw / 2, y + U(rd, 2), tw) +
	    U(rd, 2);
	y += U(rd, 2) + centred(rd, code ? code : "", rd->u * 3.5f * k, TEXT_REGULAR, C_GREY,
	    tx + tw / 2, y + U(rd, 2), tw);
	return y;
}

static void
draw_walkin_done(struct render *rd, const struct door_view *v)
{
	fill(rd, 0, 0, rd->w, rd->h, C_IDLE);
	char name[2 * DOOR_FIELD_MAX + 2];
	snprintf(name, sizeof name, "%s %s", v->fields[0], v->fields[1]);
	int portrait = rd->w < rd->h;
	int qs = portrait ? rd->w * 7 / 10 : rd->h * 6 / 10;
	int qx = portrait ? rd->w / 2 : rd->w / 3, qy = portrait ? U(rd, 10) + qs / 2 : rd->h / 2;
	draw_qr(rd, v->walkin_code ? v->walkin_code : "", qx, qy, qs);
	int tx = portrait ? 0 : rd->w * 2 / 3 - U(rd, 4), tw = portrait ? rd->w : rd->w / 3;
	int y = portrait ? qy + qs / 2 + U(rd, 3) : rd->h / 5;
	int bw = tw - U(rd, 6), bh = U(rd, 10);
	int by = rd->h - 2 * bh - U(rd, 8);
	/* Above the buttons: a long name (five lines of it beside the code at
	 * 1366x768) moves up, then shrinks, with the new code under it. */
	char key[sizeof rd->fit.key];
	snprintf(key, sizeof key, "walkin %s %d %d %d %.120s", v->walkin_code ? v->walkin_code :
	    "", rd->w, rd->h, v->language, name);
	struct walkin_arg a = { name, v->walkin_code, tx, tw };
	float k;
	fit_block(rd, key, walkin_text, &a, by - U(rd, 1), portrait ? y : U(rd, 4), &y, &k);
	walkin_text(rd, &a, y, k);
	button(rd, (SDL_Rect){ tx + U(rd, 3), by, bw, bh }, _("Check in now"), C_GREEN, C_WHITE,
	    DOOR_BTN_YES, NULL);
	button(rd, (SDL_Rect){ tx + U(rd, 3), by + bh + U(rd, 2), bw, bh }, _("Done"), C_PANEL,
	    C_WHITE, DOOR_BTN_BACK, NULL);
}

static void
draw_pin(struct render *rd, const struct door_view *v)
{
	fill(rd, 0, 0, rd->w, rd->h, C_IDLE);
	back_button(rd);
	int y = U(rd, 6);
	y += centred(rd, _("Admin PIN"), rd->u * 6, TEXT_BOLD, C_WHITE, rd->w / 2, y, rd->w / 2);
	char dots[64] = "";
	size_t n = 0;
	for (int i = 0; i < v->pin_len && i < 12; i++)
		n += (size_t)snprintf(dots + n, sizeof dots - n, "● ");
	centred(rd, v->pin_len ? dots : " ", rd->u * 6, TEXT_BOLD, C_WHITE, rd->w / 2,
	    y + U(rd, 2), rd->w / 2);
	/* The message across the screen, the keys below it (on a portrait
	 * screen its second line lay behind 1 2 3: "wait 30 s" unseen). */
	int said = 0;
	if (v->pin_wait_s > 0) {
		char line[128];
		snprintf(line, sizeof line, _("Too many wrong PINs: wait %d s"), v->pin_wait_s);
		said = centred(rd, line, rd->u * 4.5f, TEXT_BOLD, C_AMBER, rd->w / 2, y + U(rd, 11),
		    rd->w - U(rd, 6));
	} else if (v->pin_wrong) {
		said = centred(rd, _("Wrong PIN"), rd->u * 4.5f, TEXT_BOLD, C_AMBER, rd->w / 2,
		    y + U(rd, 11), rd->w - U(rd, 6));
	}
	static const char *const keys[12] = { "1", "2", "3", "4", "5", "6", "7", "8", "9",
		"⌫", "0", "OK" };
	static const char *const vals[12] = { "1", "2", "3", "4", "5", "6", "7", "8", "9",
		"\b", "0", "\n" };
	int k = U(rd, 12), gap = U(rd, 1.5f);
	int x0 = rd->w / 2 - (3 * k + 2 * gap) / 2, y0 = y + U(rd, 17);
	if (said > U(rd, 7)) /* two lines of it; one fits above the keys where they are */
		y0 = y + U(rd, 11) + said + U(rd, 1);
	if (y0 + 4 * k + 3 * gap > rd->h - U(rd, 2))
		k = (rd->h - U(rd, 2) - y0 - 3 * gap) / 4;
	x0 = rd->w / 2 - (3 * k + 2 * gap) / 2;
	for (int i = 0; i < 12; i++)
		button(rd, (SDL_Rect){ x0 + (i % 3) * (k + gap), y0 + (i / 3) * (k + gap), k, k },
		    keys[i], C_PANEL, C_WHITE, DOOR_BTN_PIN, vals[i]);
}

/* The step to the next line after one of height h: at least lh. */
static int
below(int lh, int h, int gap)
{
	return h + gap > lh ? h + gap : lh;
}

bool
render_kiosk_quiet(const struct render_kiosk *k)
{
	return k->ago_s < 0 || k->ago_s * 1000LL > LIVE_QUIET_MS;
}

void
render_kiosks_order(struct render_kiosk *k, int n)
{
	int quiet = 0;
	for (int i = 0; i < n; i++) {
		if (!render_kiosk_quiet(&k[i]))
			continue;
		struct render_kiosk t = k[i];
		memmove(&k[quiet + 1], &k[quiet], (size_t)(i - quiet) * sizeof *k);
		k[quiet++] = t;
	}
}

/* Serving as the hub: a line for each other door, when it last synced and
 * what it had waiting then, one quiet for over a minute (cut off, its lid
 * shut) in amber, so that the volunteer at the hub's laptop sees it. As
 * many as fit from y down to bottom (the buttons' top). */
static void
draw_kiosks(struct render *rd, const struct render_info *in, int x, int y, int lh, int bottom)
{
	char line[256];
	int step = lh * 4 / 5;
	for (int i = 0; i < in->nkiosks; i++) {
		const struct render_kiosk *k = &in->kiosks[i];
		if (y + step > bottom)
			return;
		/* the last line that fits says how many more, when there are */
		if (i < in->nkiosks - 1 && y + 2 * step > bottom) {
			snprintf(line, sizeof line, _("... and %d more doors"), in->nkiosks - i);
			left(rd, line, rd->u * 3.2f, TEXT_REGULAR, C_WHITE, x, y, rd->w - U(rd, 6));
			return;
		}
		bool quiet = render_kiosk_quiet(k);
		if (k->ago_s < 0)
			snprintf(line, sizeof line, _("%s: not in touch yet"), k->name);
		else if (quiet)
			snprintf(line, sizeof line, _("%s: not in touch for %d min"), k->name,
			    k->ago_s / 60 > 0 ? k->ago_s / 60 : 1);
		else if (k->waiting >= 0)
			snprintf(line, sizeof line, _("%s: synced %d s ago, %d waiting"), k->name,
			    k->ago_s, k->waiting);
		else
			snprintf(line, sizeof line, _("%s: synced %d s ago"), k->name, k->ago_s);
		/* A long name is cut, not the whole line shrunk: what the door
		 * is doing stays whole and readable (a 63-byte name shrank it to
		 * a smear, and on a portrait screen cut "not in touch" away). */
		size_t nl = strlen(k->name);
		left_cut(rd, line, strncmp(line, k->name, nl) == 0 ? nl : strlen(line), rd->u * 3.2f,
		    0.85f, quiet ? TEXT_BOLD : TEXT_REGULAR, quiet ? C_AMBER : C_WHITE, x, y,
		    rd->w - U(rd, 6), false);
		y += step;
	}
}

/* The width of a button bh tall for label at the size buttons give it: w,
 * or wider when the label needs it, up to room. */
static int
label_width(struct render *rd, const char *label, int bh, int w, int room)
{
	int tw, th;
	text_measure(rd->t, label, (int)(bh * 0.45f), TEXT_BOLD, &tw, &th);
	if (tw + U(rd, 4) <= w)
		return w;
	return tw + U(rd, 4) < room ? tw + U(rd, 4) : room;
}

static void
draw_admin(struct render *rd, const struct door_view *v, const struct render_info *in)
{
	char line[512]; /* "Other doors join" and up to 255 bytes of addresses */
	fill(rd, 0, 0, rd->w, rd->h, C_IDLE);
	left(rd, _("Admin"), rd->u * 6, TEXT_BOLD, C_WHITE, U(rd, 3), U(rd, 3), rd->w / 2);
	back_button(rd);
	int y = U(rd, 13), x = U(rd, 3), lh = U(rd, 5.5f);
	const struct door_stats *st = v->stats;
	snprintf(line, sizeof line, _("Checked in: %d of %d registered"), st->checked_in,
	    st->registered);
	left(rd, line, rd->u * 4.5f, TEXT_BOLD, C_WHITE, x, y, rd->w - U(rd, 6));
	y += lh;
	if (st->days) { /* the line above counts all days */
		snprintf(line, sizeof line, _("Checked in today: %d"), st->today);
		left(rd, line, rd->u * 4, TEXT_REGULAR, C_WHITE, x, y, rd->w - U(rd, 6));
		y += lh;
	}
	snprintf(line, sizeof line, _("Arrivals in the last hour: %d"), st->last_hour);
	left(rd, line, rd->u * 4, TEXT_REGULAR, C_WHITE, x, y, rd->w - U(rd, 6));
	y += lh;
	snprintf(line, sizeof line, _("Walk-ins: %d"), st->walkins);
	left(rd, line, rd->u * 4, TEXT_REGULAR, C_WHITE, x, y, rd->w - U(rd, 6));
	y += lh;
	if (strcmp(in->link, "sync refused") == 0) /* not "Sync: sync refused" */
		snprintf(line, sizeof line, _("Sync: refused by the hub, %d waiting"), in->waiting);
	else
		snprintf(line, sizeof line, _("Sync: %s, %d waiting"), _(in->link), in->waiting);
	left(rd, line, rd->u * 4, TEXT_REGULAR, C_WHITE, x, y, rd->w - U(rd, 6));
	y += lh;
	/* What the organiser types into `kiosk join` on the other laptops. */
	if (in->join != NULL && in->join[0] != '\0') {
		snprintf(line, sizeof line, _("Other doors join %s"), in->join);
		y += below(lh, left_wrapped(rd, line, rd->u * 4, TEXT_BOLD, C_WHITE, x, y,
		    rd->w - U(rd, 6)), U(rd, 1));
	} else if (in->join != NULL) {
		y += below(lh, left_wrapped(rd, _("This door is the hub, but no other computer can "
		    "reach it: no network, or [hub] listen is 127.0.0.1"), rd->u * 3.2f, TEXT_BOLD,
		    C_AMBER, x, y, rd->w - U(rd, 6)), U(rd, 1));
	}
	if (in->no_pin) {
		y += below(lh, left_wrapped(rd, _("No admin PIN is set: anyone can open this menu. "
		    "Set one with 'kiosk pin'."), rd->u * 3.2f, TEXT_BOLD, C_AMBER, x, y,
		    rd->w - U(rd, 6)), U(rd, 1));
	}
	if (in->sync_refused || in->sync_untrusted || in->sync_portal) {
		y += below(lh, left_wrapped(rd, in->sync_untrusted ? _("This door cannot trust the "
		    "hub, so it does not sync: the reason is below, and 'kiosk doctor' says more") :
		    in->sync_portal ? _("The network wants a login first (a Wi-Fi's login page), so "
		    "this door does not sync: open a web page in a browser on this computer and log "
		    "in. What answered is below") :
		    _("The hub refuses this door, so it does not sync: the reason is below. If it is "
		    "the token, run 'kiosk join' with a new one"), rd->u * 3.2f, TEXT_BOLD, C_AMBER, x, y,
		    rd->w - U(rd, 6)), U(rd, 1));
	}
	/* The hub not reached for a while: what someone at the door can do
	 * about it, in the door's language (kiosk sync and kiosk doctor say
	 * it after curl's words, which the organiser reads). */
	static const char *const unreached[] = {
		[MERGE_UNREACHED_SILENT] = N_("No answer from the hub at all: a guest Wi-Fi often "
		    "keeps devices apart. Give the doors a network of their own: a small router, a "
		    "phone's hotspot or a cable"),
		[MERGE_UNREACHED_MDNS] = N_("This computer cannot find the hub's .local name: "
		    "install avahi-daemon and libnss-mdns, or run 'kiosk join' with the address the "
		    "hub's admin menu shows"),
		[MERGE_UNREACHED_DNS] = N_("The network does not find the hub's name: run 'kiosk "
		    "join' with the address the hub's admin menu shows, such as "
		    "http://192.168.1.10:8080"),
		[MERGE_UNREACHED_PORT] = N_("The hub's computer answers, but no hub runs on that "
		    "port: start the hub there, or check the port in its address"),
		[MERGE_UNREACHED_PROXY] = N_("This computer goes to the hub through the web proxy "
		    "its settings name (http_proxy, ALL_PROXY), and does not get through: is that "
		    "proxy on this network?"),
		[MERGE_UNREACHED_HUNG] = N_("The hub's computer takes the connection, but the hub "
		    "does not answer: is that computer asleep or overloaded? Look at it, and start "
		    "the hub again if need be"),
		[MERGE_UNREACHED_CUT] = N_("The connection to the hub is cut again and again: a "
		    "weak Wi-Fi most often. Bring the door nearer its router, or use a cable"),
		[MERGE_UNREACHED_HUB_FULL] = N_("The hub's computer is out of disk space, so the hub "
		    "cannot take check-ins: free some space on it"),
		[MERGE_UNREACHED_HUB_FAILED] = N_("The hub answers, but has a problem of its own (its "
		    "guest list file?): look at the hub's computer, where 'kiosk doctor' says more"),
		[MERGE_UNREACHED_WANTS_HTTPS] = N_("The hub speaks only https (it has a certificate), "
		    "and this door asks it in plain http: run 'kiosk join' again with the hub's "
		    "https:// address"),
		[MERGE_UNREACHED_WANTS_HTTP] = N_("The hub speaks plain http (it has no certificate), "
		    "and this door asks it in https: run 'kiosk join' again with the hub's http:// "
		    "address"),
		[MERGE_UNREACHED_BEHIND] = N_("The web server in front of the hub answers, but the hub "
		    "behind it does not: start the hub on its computer"),
	};
	if (in->unreached > MERGE_UNREACHED_NONE &&
	    (size_t)in->unreached < sizeof unreached / sizeof unreached[0]) {
		y += below(lh, left_wrapped(rd, _(unreached[in->unreached]), rd->u * 3.2f,
		    TEXT_BOLD, C_AMBER, x, y, rd->w - U(rd, 6)), U(rd, 1));
	}
	if (in->problems != NULL && in->problems[0]) {
		/* A fixed message is kept untranslated, so that it follows the
		 * language chosen since (the others come translated or not at all). */
		y += below(lh, left_wrapped(rd, _(in->problems), rd->u * 3.2f, TEXT_BOLD, C_AMBER, x,
		    y, rd->w - U(rd, 6)), U(rd, 1));
	}
	bool tall = rd->w < rd->h;
	int bh = U(rd, 9), bw = tall ? (rd->w - U(rd, 8)) / 2 : rd->w / 5;
	int by = rd->h - bh - U(rd, 8);
	/* Three across at half the width each do not fit a portrait screen:
	 * Mode and Sound go a row above Quit (Sound lay under it, unreachable). */
	int my = tall ? by - bh - U(rd, 2) : by;
	/* after what is wrong here, in what room is left above the buttons */
	draw_kiosks(rd, in, x, y, lh, my - U(rd, 2));
	/* Mode, Sound and Quit as wide as their labels need at the buttons'
	 * size, each up to the next on a landscape screen: "Geluid: geen
	 * apparaat" at a fifth of 800 px came out at 8 px, and "Modus: ingang"
	 * and "Kiosk afsluiten" a size smaller than "Geluid: uit" between
	 * them. Mode takes up to a third. */
	const char *mode = v->exit_mode ? _("Mode: exit") : _("Mode: entry");
	int mw = label_width(rd, mode, bh, bw, tall ? bw : rd->w / 3);
	button(rd, (SDL_Rect){ x, my, mw, bh }, mode, C_PANEL, C_WHITE, DOOR_BTN_MODE, NULL);
	/* "Sound: on" beside "No audio device" read as a contradiction. */
	const char *sound = in->no_audio ? _("Sound: no device") : v->sound ? _("Sound: on") :
	    _("Sound: off");
	int sx = x + mw + U(rd, 2);
	int sw = label_width(rd, sound, bh, bw, tall ? bw : rd->w - bw - U(rd, 3) - U(rd, 2) - sx);
	button(rd, (SDL_Rect){ sx, my, sw, bh }, sound, C_PANEL, C_WHITE, DOOR_BTN_SOUND, NULL);
	/* and Quit, at the right, up to Sound */
	int qw = label_width(rd, _("Quit kiosk"), bh, bw,
	    tall ? rd->w - 2 * U(rd, 3) : rd->w - U(rd, 3) - U(rd, 2) - (sx + sw));
	button(rd, (SDL_Rect){ rd->w - qw - U(rd, 3), by, qw, bh }, _("Quit kiosk"), C_RED, C_WHITE,
	    DOOR_BTN_QUIT, NULL);
	status_line(rd, in, C_GREY);
}

static void
draw_failed(struct render *rd, const struct door_view *v, const struct render_info *in)
{
	fill(rd, 0, 0, rd->w, rd->h, C_RED);
	int y = U(rd, 6);
	icon(rd, ICON_STOP, (float)rd->w / 2, (float)(y + U(rd, 11)), rd->u * 22);
	y += U(rd, 26);
	y += centred(rd, _("Could not record this check-in"), rd->u * 8, TEXT_BOLD, C_WHITE,
	    rd->w / 2, y, rd->w - U(rd, 6));
	y += centred(rd, _("Do not let the guest in yet: call staff"), rd->u * 6, TEXT_BOLD,
	    C_WHITE, rd->w / 2, y + U(rd, 3), rd->w - U(rd, 6)) + U(rd, 3);
	/* What staff can do, in the door's language; the details below are
	 * the English of the logs. */
	static const char *const trouble[] = {
		[STORE_TROUBLE_FULL] = N_("The disk is full: free some space"),
		[STORE_TROUBLE_READONLY] = N_("The guest list cannot be written: its disk or "
		    "folder is read-only"),
		[STORE_TROUBLE_BUSY] = N_("Another program is holding the guest list: try again"),
		[STORE_TROUBLE_DAMAGED] = N_("The guest list file is damaged: run 'kiosk doctor'"),
		[STORE_TROUBLE_IO] = N_("The disk reported an error: run 'kiosk doctor'"),
	};
	enum store_trouble t = store_trouble(v->failure);
	if (t != STORE_TROUBLE_OTHER)
		y += centred(rd, _(trouble[t]), rd->u * 4, TEXT_BOLD, C_WHITE, rd->w / 2,
		    y + U(rd, 3), rd->w - U(rd, 6)) + U(rd, 2);
	if (v->failure)
		centred(rd, v->failure, rd->u * 3, TEXT_REGULAR, C_WHITE, rd->w / 2, y + U(rd, 3),
		    rd->w - U(rd, 6));
	status_line(rd, in, C_WHITE);
}

/* A new frame: the window's size, the unit, no buttons yet. */
static void
frame_begin(struct render *rd)
{
	SDL_GetRendererOutputSize(rd->r, &rd->w, &rd->h);
	rd->u = (float)(rd->w < rd->h ? rd->w : rd->h) / 100.0f;
	rd->nbuttons = 0;
	rd->banner_h = 0;
}

void
render_fault(struct render *rd, const char *why)
{
	frame_begin(rd);
	fill(rd, 0, 0, rd->w, rd->h, C_RED);
	int cy = rd->h * 3 / 10;
	icon(rd, ICON_STOP, (float)rd->w / 2, (float)(cy - U(rd, 6)), rd->u * 16);
	int y = cy + U(rd, 5);
	y += centred(rd, _("This door cannot check anyone in"), rd->u * 8, TEXT_BOLD, C_WHITE,
	    rd->w / 2, y, rd->w - U(rd, 6));
	/* The cause in the words kiosk logs it in (English, as staff read it
	 * out to the organiser), wrapped: a file, a line, a setting. */
	y += centred(rd, why, rd->u * 4, TEXT_REGULAR, C_WHITE, rd->w / 2, y + U(rd, 3),
	    rd->w - U(rd, 8));
	centred(rd, _("When this is fixed, the door starts by itself. Esc quits."), rd->u * 3.5f,
	    TEXT_REGULAR, C_WHITE, rd->w / 2, y + U(rd, 6), rd->w - U(rd, 8));
}

void
render_frame(struct render *rd, const struct door_view *v, const struct render_info *in,
    uint32_t now)
{
	frame_begin(rd);
	switch (v->screen) {
	case DOOR_IDLE:
		draw_idle(rd, v, in);
		break;
	case DOOR_RESULT:
		if (v->outcome != NULL)
			draw_result(rd, v, in, now);
		break;
	case DOOR_SEARCH:
		draw_search(rd, v);
		break;
	case DOOR_CONFIRM: {
		/* with what the list said of them: asked before Yes, not after */
		const struct door_hit *h = &v->hits[v->selected];
		char detail[RENDER_HIT_DETAIL_MAX]; /* the one picked among namesakes */
		render_hit_detail(v->hits, v->nhits, v->selected, detail);
		draw_question(rd, _("Check in this guest?"), h->name, detail, render_hit_flag(h, true),
		    h->cancelled ? C_RED_TEXT : C_AMBER, C_IDLE);
		break;
	}
	case DOOR_UNDO: {
		char *name = v->outcome ? guest_display_name(&v->outcome->guest) : xstrdup("");
		draw_question(rd, _("Undo this admission?"), name, NULL, NULL, C_WHITE, C_PANEL);
		free(name);
		break;
	}
	case DOOR_WALKIN:
		draw_walkin(rd, v);
		break;
	case DOOR_WALKIN_DONE:
		draw_walkin_done(rd, v);
		break;
	case DOOR_PIN:
		draw_pin(rd, v);
		break;
	case DOOR_ADMIN:
		draw_admin(rd, v, in);
		break;
	case DOOR_FAILED:
		draw_failed(rd, v, in);
		break;
	}
	notice_banner(rd, v);
	keys_banner(rd, in);
}
