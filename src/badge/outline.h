/* outline: the boundary of the dark cells of a square grid (a QR code's
 * modules) as closed polygons, corners only.
 *
 * A badge's QR code is filled as one path. Drawn as one rectangle per run of
 * modules it took 8 numbers a rectangle; its outline takes 2 per corner, a
 * quarter fewer, and writing those numbers out (printf, deflate) was most of
 * the time of a badge PDF. Filled with the nonzero rule the polygons cover
 * exactly the dark cells: outer boundaries run clockwise (in y-down
 * coordinates, dark on the right of travel) and holes the other way. */
#ifndef KIOSK_OUTLINE_H
#define KIOSK_OUTLINE_H

#include <stddef.h>

struct outline_pt {
	int x, y;               /* a cell corner: column, row */
};

struct outline {
	struct outline_pt *pt;  /* every polygon's corners, one after another */
	size_t npt;
	size_t *start;          /* where each polygon begins in pt */
	size_t npoly;
};

/* Trace the cells of an n x n grid whose byte has bit 0 set (libqrencode's
 * dark modules). Fills *o (free with outline_free); returns 0, or -1 when n
 * is not positive. */
int outline_trace(const unsigned char *cells, int n, struct outline *o);
void outline_free(struct outline *o);

#endif
