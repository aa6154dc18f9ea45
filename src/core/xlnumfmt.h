/* xlnumfmt: a cell's value as an Excel number format shows it, which is
 * what Excel's CSV save writes, for xlsxin to give a code or an id as it is
 * printed on the ticket ("TKT-00042", not 42).
 *
 * Rendered, the elements codes and ids are written with: the sections
 * positive;negative;zero;text (a number in a format of one section gets a
 * minus of its own when negative; in one of two or more the section says
 * how a negative one looks), digit placeholders 0 (a zero when there is no
 * digit), # (nothing) and ? (a space), filled from the right with the
 * digits of the number rounded to a whole one, those the placeholders do
 * not hold before the first (so 000-00-0000 shows 123-45-6789), literal
 * text in quotes, a backslash-escaped character and the characters Excel
 * shows as they are ($ - + ( ) : ! ^ & ' ~ { } < > = space), the symbol of a
 * [$EUR-413], _x as a space, *x as nothing, General, the @ of the text
 * section; colours in brackets ([Red], [Color10]) show nothing.
 *
 * Not rendered, the caller writes the number as General (xlnumfmt_general)
 * as it did before this module: a decimal point, thousands separators,
 * percent, exponent and fractions (Excel writes them in the separators of
 * the saving machine's locale, "1,500" or "1.500", and a guest list's
 * codes have none; the plain number reads the same in every locale),
 * conditions ([>=100]: which section they choose is not decided here),
 * dates and times (xlsxin writes them in ISO 8601), letters Excel would
 * have quoted, an infinite number. */
#ifndef KIOSK_XLNUMFMT_H
#define KIOSK_XLNUMFMT_H

#include <stddef.h>

/* v as Excel's CSV writes a number in the General format, into out of n
 * bytes: an integral number in digits (from 10^15 on, the 15 significant
 * digits Excel keeps and zeros, so that a long barcode kept as a number
 * looks rounded as it does in a CSV), another to 15 significant digits,
 * a small one as 1E-05 as Excel writes it. '.' for the decimal point
 * whatever the locale: kiosk never sets LC_NUMERIC. */
void xlnumfmt_general(double v, char *out, size_t n);

/* v as the format code shows it, into out of n bytes (NUL-terminated).
 * Returns 1, or 0 when the format has an element not rendered (above) or
 * the text does not fit: then out is undefined and the caller writes the
 * number as General. So is a number whose section shows none of its
 * digits (";;;" hides a cell, "\"-\"" shows a dash): 0, and the caller
 * writes the number, which is the data; the nothing is not. */
int xlnumfmt_number(const char *code, double v, char *out, size_t n);

/* A text cell's text as the code's text section shows it (the fourth
 * section, or the last of fewer when it holds @: "0;"TKT-"@", whose
 * numbers then take the sections before it). Returns the text, which the
 * caller frees, or NULL when the format leaves text as it is (no text
 * section, one without an @, which hides the text, or one with an element
 * not rendered). */
char *xlnumfmt_text(const char *code, const char *text);

#endif
