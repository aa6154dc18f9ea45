/* outline: dark cells to boundary polygons (see outline.h). */
#include "badge/outline.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/util.h"

/* Directions of travel along a cell edge, in y-down coordinates. A right
 * turn is the next bit: right, down, left, up, right. */
enum { GO_RIGHT = 1, GO_DOWN = 2, GO_LEFT = 4, GO_UP = 8 };

static bool
dark(const unsigned char *cells, int n, int r, int c)
{
	return r >= 0 && c >= 0 && r < n && c < n && (cells[r * n + c] & 1);
}

static unsigned
right_of(unsigned d)
{
	return d == GO_UP ? GO_RIGHT : d << 1;
}

static unsigned
left_of(unsigned d)
{
	return d == GO_RIGHT ? GO_UP : d >> 1;
}

static void
step(unsigned d, int *x, int *y)
{
	*x += d == GO_RIGHT ? 1 : d == GO_LEFT ? -1 : 0;
	*y += d == GO_DOWN ? 1 : d == GO_UP ? -1 : 0;
}

static void
add_pt(struct outline *o, size_t *cap, int x, int y)
{
	if (o->npt == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		o->pt = xrealloc(o->pt, *cap * sizeof *o->pt);
	}
	o->pt[o->npt].x = x;
	o->pt[o->npt].y = y;
	o->npt++;
}

int
outline_trace(const unsigned char *cells, int n, struct outline *o)
{
	o->pt = NULL;
	o->start = NULL;
	o->npt = o->npoly = 0;
	if (n <= 0)
		return -1;
	int side = n + 1;
	/* Each corner's outgoing edges: every dark cell's side that borders a
	 * light cell (or the edge of the grid), directed with the cell on its
	 * right. Every corner then has as many edges in as out, so a walk
	 * along unused edges always comes back to where it began. */
	unsigned char *out = xcalloc((size_t)side * (size_t)side, 1);
	size_t edges = 0;
	for (int r = 0; r < n; r++) {
		for (int c = 0; c < n; c++) {
			if (!dark(cells, n, r, c))
				continue;
			if (!dark(cells, n, r - 1, c))
				out[r * side + c] |= GO_RIGHT, edges++;
			if (!dark(cells, n, r, c + 1))
				out[r * side + c + 1] |= GO_DOWN, edges++;
			if (!dark(cells, n, r + 1, c))
				out[(r + 1) * side + c + 1] |= GO_LEFT, edges++;
			if (!dark(cells, n, r, c - 1))
				out[(r + 1) * side + c] |= GO_UP, edges++;
		}
	}
	size_t pcap = 0, scap = 0;
	for (int v = 0; v < side * side && edges > 0; v++) {
		while (out[v] != 0) {
			int x = v % side, y = v / side;
			if (o->npoly == scap) {
				scap = scap ? scap * 2 : 16;
				o->start = xrealloc(o->start, scap * sizeof *o->start);
			}
			o->start[o->npoly++] = o->npt;
			add_pt(o, &pcap, x, y);
			/* The first corner found in row order is a top-left one:
			 * the walk leaves it going right. */
			unsigned d = out[v] & GO_RIGHT ? GO_RIGHT : out[v] & -out[v];
			for (;;) {
				out[y * side + x] &= (unsigned char)~d;
				edges--;
				step(d, &x, &y);
				unsigned here = out[y * side + x];
				if (here == 0)
					break;
				/* Where two dark cells meet only at this corner, turn
				 * right: each keeps its own boundary. */
				unsigned next = here & right_of(d) ? right_of(d) :
				    here & d ? d : here & left_of(d) ? left_of(d) : (here & -here);
				if (next != d)
					add_pt(o, &pcap, x, y);
				d = next;
			}
		}
	}
	free(out);
	return 0;
}

void
outline_free(struct outline *o)
{
	free(o->pt);
	free(o->start);
	o->pt = NULL;
	o->start = NULL;
	o->npt = o->npoly = 0;
}
