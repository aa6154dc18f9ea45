/* fonts: the font families kiosk draws text with on paper and in pictures
 * (badges, plots), in the order pango tries them. They are the fonts
 * shipped in fonts/ (registered with badge_use_fonts), so a name in any
 * script draws, and fontconfig is never left to pick a font that draws
 * some characters blank. */
#ifndef KIOSK_FONTS_H
#define KIOSK_FONTS_H

#define FONT_FAMILIES "DejaVu Sans, Noto Sans Arabic, Noto Sans Hebrew, Droid Sans Fallback, " \
	"NanumSquare"

#endif
