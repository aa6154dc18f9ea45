/* Tests for outline: a QR code's dark modules as polygons. What a door
 * notices: a badge whose code does not scan. The polygons, filled with the
 * nonzero rule as cairo does, must cover every dark module and no light
 * one, for any pattern, including modules that touch only at a corner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "badge/outline.h"

/* The nonzero winding number of the polygons around (px, py): a ray to the
 * right crosses vertical edges, down-going ones count +1, up-going -1. */
static int
winding(const struct outline *o, double px, double py)
{
	int w = 0;
	for (size_t p = 0; p < o->npoly; p++) {
		size_t a = o->start[p], b = p + 1 < o->npoly ? o->start[p + 1] : o->npt;
		for (size_t i = a; i < b; i++) {
			struct outline_pt s = o->pt[i], e = o->pt[i + 1 < b ? i + 1 : a];
			if (s.x != e.x || s.x < px)
				continue;
			if (s.y < py && py < e.y)
				w++;
			else if (e.y < py && py < s.y)
				w--;
		}
	}
	return w;
}

/* Every edge is horizontal or vertical and every corner turns. */
static void
assert_well_formed(const struct outline *o)
{
	for (size_t p = 0; p < o->npoly; p++) {
		size_t a = o->start[p], b = p + 1 < o->npoly ? o->start[p + 1] : o->npt;
		assert_true(b - a >= 4);
		for (size_t i = a; i < b; i++) {
			struct outline_pt s = o->pt[i], e = o->pt[i + 1 < b ? i + 1 : a];
			assert_true((s.x == e.x) != (s.y == e.y));
		}
	}
}

static void
assert_covers(const unsigned char *cells, int n)
{
	struct outline o;
	assert_int_equal(outline_trace(cells, n, &o), 0);
	assert_well_formed(&o);
	for (int r = 0; r < n; r++)
		for (int c = 0; c < n; c++)
			assert_int_equal(winding(&o, c + 0.5, r + 0.5) != 0, cells[r * n + c] & 1);
	outline_free(&o);
}

/* A 3 x 3 grid traced into npoly polygons of npt corners in all, the first
 * starting at (x0, y0), covering exactly its dark cells. */
static void
assert_traced(const unsigned char cells[9], size_t npoly, size_t npt, int x0, int y0)
{
	struct outline o;
	assert_int_equal(outline_trace(cells, 3, &o), 0);
	assert_int_equal(o.npoly, npoly);
	assert_int_equal(o.npt, npt);
	assert_int_equal(o.pt[0].x, x0);
	assert_int_equal(o.pt[0].y, y0);
	outline_free(&o);
	assert_covers(cells, 3);
}

static void
test_one_module_is_a_square(void **state)
{
	(void)state;
	unsigned char cells[9] = { 0, 0, 0, 0, 1, 0, 0, 0, 0 };
	assert_traced(cells, 1, 4, 1, 1);
}

static void
test_finder_ring_keeps_its_hole(void **state)
{
	(void)state;
	/* A ring around a light module: the light one stays light. */
	unsigned char cells[9] = { 1, 1, 1, 1, 0, 1, 1, 1, 1 };
	assert_traced(cells, 2, 8, 0, 0);
}

static void
test_modules_touching_at_a_corner(void **state)
{
	(void)state;
	unsigned char diag[4] = { 1, 0, 0, 1 }, anti[4] = { 0, 1, 1, 0 };
	assert_covers(diag, 2);
	assert_covers(anti, 2);
	unsigned char checker[25];
	for (int i = 0; i < 25; i++)
		checker[i] = (unsigned char)((i / 5 + i % 5) % 2 == 0);
	assert_covers(checker, 5);
}

static void
test_random_patterns(void **state)
{
	(void)state;
	/* QR-like densities and sizes (versions 1 to 10), and the extremes. */
	unsigned seed = 12345;
	for (int t = 0; t < 120; t++) {
		int n = 21 + 4 * (t % 10);
		unsigned char *cells = malloc((size_t)n * (size_t)n);
		assert_non_null(cells);
		for (int i = 0; i < n * n; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned v = (seed >> 16) % 100;
			cells[i] = (unsigned char)(t == 0 ? 1 : t == 1 ? 0 : v < 50);
		}
		assert_covers(cells, n);
		free(cells);
	}
}

static void
test_fewer_numbers_than_rectangles(void **state)
{
	(void)state;
	/* The point of it: a half-dark pattern has fewer corners than its
	 * runs have rectangle corners (4 each). */
	int n = 25, runs = 0;
	unsigned char cells[625];
	unsigned seed = 7;
	for (int i = 0; i < n * n; i++) {
		seed = seed * 1103515245u + 12345u;
		cells[i] = (unsigned char)(((seed >> 16) % 2) == 0);
	}
	for (int i = 0; i < n * n; i++)
		if ((cells[i] & 1) && (i % n == 0 || !(cells[i - 1] & 1)))
			runs++;
	struct outline o;
	assert_int_equal(outline_trace(cells, n, &o), 0);
	assert_true(o.npt < (size_t)(4 * runs));
	outline_free(&o);
}

static void
test_empty_grid(void **state)
{
	(void)state;
	struct outline o;
	assert_int_equal(outline_trace(NULL, 0, &o), -1);
	unsigned char none[4] = { 0 };
	assert_int_equal(outline_trace(none, 2, &o), 0);
	assert_int_equal(o.npoly, 0);
	outline_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_module_is_a_square),
		cmocka_unit_test(test_finder_ring_keeps_its_hole),
		cmocka_unit_test(test_modules_touching_at_a_corner),
		cmocka_unit_test(test_random_patterns),
		cmocka_unit_test(test_fewer_numbers_than_rectangles),
		cmocka_unit_test(test_empty_grid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
