/* text: fonts and text on screen.
 *
 * The kiosk shows guests' names as they were typed on the registration
 * platform: Latin with diacritics, Greek, Cyrillic, Arabic, Chinese,
 * Japanese, Korean. The fonts in fonts/ (shipped with their licences) are
 * tried in order for each character, so a name never shows as boxes: the main
 * font for what it covers, then the fallbacks. Arabic and Hebrew runs are
 * shaped and laid out right to left (SDL_ttf with HarfBuzz).
 *
 * Fonts are opened lazily per pixel size and kept; sizes are rounded to a
 * few steps so a layout that scales does not open dozens. */
#ifndef KIOSK_TEXT_H
#define KIOSK_TEXT_H

#include <SDL.h>
#include <stdbool.h>

struct text;

/* Open the fonts in dir (the main font and fallbacks, by file name). Returns
 * 0 and *out, or -1 with *cause naming the missing file. */
int text_open(const char *dir, struct text **out, char **cause);
void text_close(struct text *t);

enum text_weight { TEXT_REGULAR, TEXT_BOLD };

/* Size of utf8 drawn at px pixels. px is the em size, rounded to a step (a
 * multiple of 4 below 64, of 8 up to 512) here and in text_draw alike. h is
 * the line's height (the main font's, grown for a fallback that needs more);
 * what text_draw draws stays inside w x h. NULL or "" gives w 0. */
void text_measure(struct text *t, const char *utf8, int px, enum text_weight wt, int *w, int *h);

/* Draw utf8 with its top-left at x, y. Returns the width drawn (the width
 * text_measure gives). A line is cut past 4096 pixels, and only the first
 * 256 characters of a string are laid out, by all the functions here.
 *
 * The textures of the strings drawn last (at most 64, 8 MB) are kept and
 * drawn again as they are, so a screen redrawn every frame costs little.
 * They belong to the renderer: SDL frees them with it, so text_close may
 * come before or after SDL_DestroyRenderer. Drawing on another renderer
 * forgets them; a renderer destroyed and replaced while t lives may come
 * back at the same address, so call text_forget_renderer(t) then. */
int text_draw(struct text *t, SDL_Renderer *r, const char *utf8, int px, enum text_weight wt,
    SDL_Color colour, int x, int y);

/* Forget the textures kept for the renderer t drew on, without touching
 * them (that renderer frees them, or already has). */
void text_forget_renderer(struct text *t);

/* The largest size from max_px down to min_px at which utf8 fits max_w
 * pixels wide; min_px when none does (the caller then wraps). The answer is
 * max_px, min_px or a step between them. */
int text_fit(struct text *t, const char *utf8, int max_px, int min_px, enum text_weight wt,
    int max_w);

/* True when every character of utf8 has a glyph in one of the fonts (and
 * utf8 is valid UTF-8). Control characters, which are not drawn, count as
 * covered. */
bool text_covered(struct text *t, const char *utf8);

/* The fallback font files that could not be read, with the scripts they
 * cover and why ("NotoSansArabic-Regular.ttf (Arabic): No such file or
 * directory; ..."), for the admin screen; "" when all are there. The string
 * belongs to t and changes as fonts fail; copy it to keep it. */
const char *text_missing(struct text *t);

/* The font files text draws with, as named in the fonts directory (the
 * main font's two first), into names (room for max); returns how many
 * there are. For kiosk doctor, which looks for them without drawing. */
int text_font_files(const char **names, int max);

#endif
