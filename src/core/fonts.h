/* fonts: the font families kiosk draws text with on paper and in pictures
 * (badges, plots), in the order pango tries them. They are the fonts
 * shipped in fonts/ (registered with badge_use_fonts), so a name in any
 * script draws, and fontconfig is never left to pick a font that draws
 * some characters blank. */
#ifndef KIOSK_FONTS_H
#define KIOSK_FONTS_H

#define FONT_FAMILIES "DejaVu Sans, Noto Sans Arabic, Noto Sans Hebrew, Droid Sans Fallback, " \
	"NanumSquare"

#include <stdbool.h>

/* Whether this process has laid out text with pango (a badge, a plot).
 * badge_shutdown asks before it cleans up: asking pango for its font map
 * makes one, and that starts a thread of pango's that loads fontconfig's
 * configuration while the cleanup frees it. */
void fonts_note_pango(void);
bool fonts_pango_used(void);

#endif
