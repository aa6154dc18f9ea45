/* Tests for badge: layouts true to their paper, names that always fit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include "badge/badge.h"
#include "core/conf.h"
#include "core/fonts.h"

#define NEAR(a, b) (fabs((a) - (b)) < 0.5) /* the tolerance, mm */

static void
test_layouts_match_their_paper(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		double pw, ph, bw, bh;
		int per_page;
	} want[] = {
		{ "a4-2x4", 210, 297, 90, 55, 8 },
		{ "a4-2x5", 210, 297, 80, 50, 10 },
		{ "card", 86, 54, 86, 54, 1 },
		{ "roll-62", 100, 62, 100, 62, 1 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct badge_layout *l = badge_layout_find(want[i].name);
		assert_non_null(l);
		assert_true(NEAR(l->page_w, want[i].pw) && NEAR(l->page_h, want[i].ph));
		assert_true(NEAR(l->badge_w, want[i].bw) && NEAR(l->badge_h, want[i].bh));
		assert_int_equal(l->cols * l->rows, want[i].per_page);
		/* Every badge on the page, none overlapping, symmetric margins. */
		for (int k = 0; k < want[i].per_page; k++) {
			double x, y;
			badge_layout_slot(l, k, &x, &y);
			assert_true(x >= -0.01 && y >= -0.01);
			assert_true(x + l->badge_w <= l->page_w + 0.01);
			assert_true(y + l->badge_h <= l->page_h + 0.01);
		}
		double xl, yl;
		badge_layout_slot(l, want[i].per_page - 1, &xl, &yl);
		assert_true(NEAR(l->left, l->page_w - (xl + l->badge_w)));
		assert_true(NEAR(l->top, l->page_h - (yl + l->badge_h)));
	}
	assert_null(badge_layout_find("a3-giant"));
	assert_null(badge_layout_find(NULL));
}

static void
test_a4_2x4_positions(void **state)
{
	(void)state;
	const struct badge_layout *l = badge_layout_find("a4-2x4");
	double x, y;
	badge_layout_slot(l, 0, &x, &y);
	assert_true(NEAR(x, 10) && NEAR(y, 31));
	badge_layout_slot(l, 1, &x, &y);
	assert_true(NEAR(x, 110) && NEAR(y, 31));
	badge_layout_slot(l, 7, &x, &y);
	assert_true(NEAR(x, 110) && NEAR(y, 211));
	badge_layout_slot(l, 8, &x, &y); /* the next page starts over */
	assert_true(NEAR(x, 10) && NEAR(y, 31));
}

static void
check_fits(const char *layout, const char *first, const char *last)
{
	const struct badge_layout *l = badge_layout_find(layout);
	struct badge_info b = { first, last, "Vlaamse Blog Coöperatie", "@someone", "Speaker",
		"Social Media Day Antwerp 2026", "SMD26-7K3QX9M2TB4V8HCR5" };
	struct badge_fit f1, f2;
	char *cause = NULL;
	if (badge_measure_name(l, &b, &f1, &f2, NULL, &cause) != 0)
		fail_msg("%s", cause);
	if (f1.w_mm > f1.box_w_mm + 0.01 || f1.h_mm > f1.box_h_mm + 0.01)
		fail_msg("%s: '%s' is %.1f x %.1f mm in a %.1f x %.1f box", layout, first, f1.w_mm,
		    f1.h_mm, f1.box_w_mm, f1.box_h_mm);
	if (last[0] && (f2.w_mm > f2.box_w_mm + 0.01 || f2.h_mm > f2.box_h_mm + 0.01))
		fail_msg("%s: '%s' is %.1f x %.1f mm in a %.1f x %.1f box", layout, last, f2.w_mm,
		    f2.h_mm, f2.box_w_mm, f2.box_h_mm);
	/* Legible, not shrunk to nothing. */
	if (f1.size_pt < 6)
		fail_msg("%s: '%s' shrunk to %.1f pt", layout, first, f1.size_pt);
}

static void
test_names_fit_their_box(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	const char *sixty = "Maximiliaan-Alexander Johannes Petrus Vanderhaeghen-Bosscher";
	assert_int_equal(strlen(sixty), 60);
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const char *name = badge_layout_at(i)->name;
		check_fits(name, "Zoë", "Çelik");
		check_fits(name, sixty, sixty);
		check_fits(name, "محمد", "عبد الرحمن الهاشمي");
		check_fits(name, "王", "小明");
		check_fits(name, "Αλέξανδρος", "Παπαδόπουλος");
		check_fits(name, "", "OnlyALastName");
	}
	/* A long name wraps rather than shrinking to dust. */
	struct badge_fit f1, f2;
	const struct badge_layout *l = badge_layout_find("a4-2x4");
	struct badge_info b = { sixty, "", "", "", "", "E", "X" };
	assert_int_equal(badge_measure_name(l, &b, &f1, &f2, NULL, NULL), 0);
	assert_true(f1.lines >= 2 && f1.lines <= 3);
	/* One long word shrinks on its line rather than break ("Anastasi-a"),
	 * to no less than 45% of its full size. */
	struct badge_info one = { "Anastasia", "Aerts", "", "", "", "E", "X" };
	struct badge_fit full;
	struct badge_info shortname = { "Ann", "Aerts", "", "", "", "E", "X" };
	assert_int_equal(badge_measure_name(l, &shortname, &full, &f2, NULL, NULL), 0);
	assert_int_equal(badge_measure_name(l, &one, &f1, &f2, NULL, NULL), 0);
	assert_int_equal(f1.lines, 1);
	assert_true(f1.size_pt < full.size_pt * 0.67);
	assert_true(f1.size_pt >= full.size_pt * 0.45);
	assert_true(f1.w_mm <= f1.box_w_mm);
	/* Emoji (no font here has them; they printed as hex boxes) are left
	 * out: the name is laid out as if they were not there. */
	struct badge_info plain = { "Emoji", "Party", "", "", "", "E", "X" };
	struct badge_info emoji = { "Emoji \xf0\x9f\x8e\x89", "Party \xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa7", "", "", "", "E", "X" };
	struct badge_fit p1, p2, e1, e2;
	assert_int_equal(badge_measure_name(l, &plain, &p1, &p2, NULL, NULL), 0);
	assert_int_equal(badge_measure_name(l, &emoji, &e1, &e2, NULL, NULL), 0);
	assert_true(e1.size_pt == p1.size_pt && e1.w_mm == p1.w_mm);
	assert_true(e2.size_pt == p2.size_pt && e2.w_mm == p2.w_mm);
}

/* The company line fits in what long names leave above the ticket type's
 * band, never under it; a handle keeps its '@' before it after an Arabic
 * company; a hyphenated name breaks after its hyphen, not inside a word. */
static void
test_company_and_hyphens(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	struct badge_info crowded = { "María Josefa Antonia Francisca",
	    "de Paula Vandenbroucke y Borbón-Dos Sicilias",
	    "Vlaamse Radio- en Televisieomroeporganisatie / Radio-télévision belge de la "
	    "Communauté française / Belgischer Rundfunk", "@mariajosefa_antonia_official",
	    "VIP Speaker Backstage All Access Pass", "E", "EDGE-0001" };
	struct badge_info hyphen = { "Maximiliaan-Alexander", "Aerts", "", "", "", "E", "X" };
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		struct badge_fit f1, f2, fc;
		assert_int_equal(badge_measure_name(l, &crowded, &f1, &f2, &fc, NULL), 0);
		if (fc.size_pt > 0 && fc.y_mm + fc.h_mm > fc.limit_mm + 0.01)
			fail_msg("%s: the company reaches %.1f mm, the band starts at %.1f mm",
			    l->name, fc.y_mm + fc.h_mm, fc.limit_mm);
		assert_true(fc.limit_mm > 0);
		/* drawn, and large enough to read, or not at all */
		assert_true(fc.size_pt == 0 || fc.size_pt >= 5);
		assert_int_equal(badge_measure_name(l, &hyphen, &f1, &f2, NULL, NULL), 0);
		if (f1.inside_word)
			fail_msg("%s: 'Maximiliaan-Alexander' broken inside a word (%.1f pt)",
			    l->name, f1.size_pt);
	}
}

/* A first name of hyphens is one name: it keeps its line, shrinking as a
 * single word of its length does ("Pieter- / Jan" read as two names). The
 * company line is read at arm's length: a company of a few words wraps
 * onto two lines rather than shrink to 5 pt. */
static void
test_hyphenated_names_and_company_read_well(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	struct badge_info pj = { "Pieter-Jan", "de Vries", "", "", "", "E", "X" };
	struct badge_info mc = { "Marie-Claire", "Lambert", "", "", "", "E", "X" };
	struct badge_info jb = { "Jean-Baptiste", "Aerts", "", "", "", "E", "X" };
	struct badge_info co = { "Hélène", "Çelik", "Bourgondisch Netwerk bvba", "", "Student",
	    "E", "X" };
	struct badge_info huge = { "Jean-Baptiste", "Vandenbroucke-Delacroix",
	    "Bourgondisch Netwerk voor Sociale Media en Communicatie bvba", "@jeanbaptiste_vdb",
	    "VIP All-Access Three-Day Conference Pass with Workshops and Dinner", "E", "X" };
	struct badge_info both = { "Hélène", "Çelik", "Bourgondisch Netwerk bvba", "@hlherm21",
	    "Student", "E", "X" };
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		struct badge_fit f1, f2, fc;
		assert_int_equal(badge_measure_name(l, &pj, &f1, &f2, NULL, NULL), 0);
		if (f1.lines != 1)
			fail_msg("%s: 'Pieter-Jan' on %d lines", l->name, f1.lines);
		double pj_pt = f1.size_pt;
		assert_int_equal(badge_measure_name(l, &mc, &f1, &f2, NULL, NULL), 0);
		if (f1.lines != 1)
			fail_msg("%s: 'Marie-Claire' on %d lines", l->name, f1.lines);
		/* one too long for its line breaks at its hyphen, as large as
		 * before: not shrunk first as a single word is */
		assert_int_equal(badge_measure_name(l, &jb, &f1, &f2, NULL, NULL), 0);
		if (f1.lines != 2 || f1.size_pt < pj_pt || f1.inside_word)
			fail_msg("%s: 'Jean-Baptiste' at %.1f pt on %d lines ('Pieter-Jan' %.1f)",
			    l->name, f1.size_pt, f1.lines, pj_pt);
		assert_int_equal(badge_measure_name(l, &co, &f1, &f2, &fc, NULL), 0);
		if (fc.size_pt < 10 || fc.y_mm + fc.h_mm > fc.limit_mm)
			fail_msg("%s: the company at %.1f pt, to %.1f mm (band at %.1f)", l->name,
			    fc.size_pt, fc.y_mm + fc.h_mm, fc.limit_mm);
		assert_int_equal(badge_measure_name(l, &both, &f1, &f2, &fc, NULL), 0);
		if (fc.size_pt < 8)
			fail_msg("%s: company and handle at %.1f pt", l->name, fc.size_pt);
		/* too long to read whole: the company alone, or cut short, but
		 * never smaller than 6 pt (it was 5 on every layout) */
		assert_int_equal(badge_measure_name(l, &huge, &f1, &f2, &fc, NULL), 0);
		if (fc.size_pt < 6 || fc.y_mm + fc.h_mm > fc.limit_mm)
			fail_msg("%s: a long company and handle at %.1f pt, to %.1f mm (band at %.1f)",
			    l->name, fc.size_pt, fc.y_mm + fc.h_mm, fc.limit_mm);
	}
}

/* A badge rendered as a PNG, read back: what a printer prints. */
#define INK_DPI 150

struct page {
	cairo_surface_t *sf;
	unsigned char *px;
	int w, h, stride;
};

static void
page_render(const struct badge_layout *l, const struct badge_info *b, struct page *pg)
{
	char dir[] = "/tmp/kiosk-badge-ink-XXXXXX", png[64], *cause = NULL;
	assert_non_null(mkdtemp(dir));
	snprintf(png, sizeof png, "%s/b.png", dir);
	if (badge_render_png(png, l, b, INK_DPI, &cause) != 0)
		fail_msg("%s", cause);
	pg->sf = cairo_image_surface_create_from_png(png);
	assert_int_equal(cairo_surface_status(pg->sf), CAIRO_STATUS_SUCCESS);
	cairo_surface_flush(pg->sf);
	pg->px = cairo_image_surface_get_data(pg->sf);
	pg->w = cairo_image_surface_get_width(pg->sf);
	pg->h = cairo_image_surface_get_height(pg->sf);
	pg->stride = cairo_image_surface_get_stride(pg->sf);
	unlink(png);
	rmdir(dir);
}

static int
px_of(double mm)
{
	return (int)floor(mm / 25.4 * INK_DPI + 0.5);
}

/* The ink's left and right edge (mm) in the rectangle x0..x1, y0..y1 (mm):
 * pixels darker than mid grey, or with light, lighter (white text on the
 * ticket type's band). false when the rectangle holds none. */
static bool
ink_span(const struct page *pg, double x0, double y0, double x1, double y1, bool light,
    double *left, double *right)
{
	int lo = -1, hi = -1;
	for (int y = px_of(y0); y < px_of(y1) && y < pg->h; y++) {
		for (int x = px_of(x0); x < px_of(x1) && x < pg->w; x++) {
			uint32_t v = *(uint32_t *)(pg->px + (size_t)y * (size_t)pg->stride +
			    (size_t)x * 4);
			int g = (int)((v >> 8) & 0xff);
			if (light ? g > 128 : g < 128) {
				if (lo < 0 || x < lo)
					lo = x;
				if (x > hi)
					hi = x;
			}
		}
	}
	if (lo < 0)
		return false;
	*left = lo * 25.4 / INK_DPI;
	*right = (hi + 1) * 25.4 / INK_DPI;
	return true;
}

/* Where a line's ink stands in the name column pad .. pad + w: against
 * the left edge, or the right one, for the reader of its script to start
 * at. */
static void
check_side(const struct page *pg, const char *layout, const char *what, double pad, double w,
    double y0, double y1, bool light, bool rtl)
{
	double left = 0, right = 0;
	if (!ink_span(pg, pad, y0, pad + w, y1, light, &left, &right))
		fail_msg("%s: no ink for %s", layout, what);
	/* 2 mm: a large bold letter's side bearing */
	double gap_left = left - pad, gap_right = pad + w - right;
	if (rtl ? gap_right > 2 || gap_right >= gap_left : gap_left > 2 || gap_left >= gap_right)
		fail_msg("%s: %s inked from %.1f to %.1f mm in the column %.1f to %.1f mm: should "
		    "start at its %s", layout, what, left, right, pad, pad + w,
		    rtl ? "right" : "left");
}

/* An Arabic or Hebrew name, company and ticket type stand against the
 * right edge of the name column, where their reader starts, in every
 * layout (they stood at the left, ending in the middle of the badge);
 * Latin ones stay left. Every field keeps its own direction. */
static void
test_rtl_text_starts_at_the_right(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	static const struct {
		struct badge_info b;
		bool rtl_first, rtl_last, rtl_company, rtl_type;
	} cases[] = {
		{ { "محمد", "الهاشمي", "شركة الإعلام", "", "عادي", "Social Media Day",
		    "SMD26-7K3QX9M2TB4V8HCR5" }, true, true, true, true },
		{ { "דוד", "כהן", "חברת המדיה", "", "דובר", "Social Media Day",
		    "SMD26-7K3QX9M2TB4V8HCR6" }, true, true, true, true },
		{ { "Layla", "الهاشمي", "Acme", "", "Regular", "Social Media Day",
		    "SMD26-7K3QX9M2TB4V8HCR7" }, false, true, false, false },
		{ { "سارة", "Peeters", "Acme سارة", "", "VIP", "Social Media Day",
		    "SMD26-7K3QX9M2TB4V8HCR8" }, true, false, false, false },
	};
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		double pad = l->badge_h * 0.07, bh = l->badge_h * 0.13;
		double by = l->badge_h - pad - bh;
		for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
			const struct badge_info *b = &cases[c].b;
			struct badge_fit f1, f2, fc;
			assert_int_equal(badge_measure_name(l, b, &f1, &f2, &fc, NULL), 0);
			assert_int_equal(f1.lines, 1);
			double w = f1.box_w_mm;
			struct page pg;
			page_render(l, b, &pg);
			check_side(&pg, l->name, b->first_name, pad, w, f1.y_mm, f1.y_mm + f1.h_mm,
			    false, cases[c].rtl_first);
			check_side(&pg, l->name, b->last_name, pad, w, f2.y_mm, f2.y_mm + f2.h_mm,
			    false, cases[c].rtl_last);
			check_side(&pg, l->name, b->company, pad, w, fc.y_mm, fc.y_mm + fc.h_mm,
			    false, cases[c].rtl_company);
			/* white on the band, whose 1 mm margins stay dark */
			check_side(&pg, l->name, b->ticket_type, pad + 1, w - 2, by + 0.5,
			    by + bh - 0.5, true, cases[c].rtl_type);
			cairo_surface_destroy(pg.sf);
		}
	}
}

#define PT_MM (25.4 / 72.0)
#define MIN_COMPANY_PT 6.0      /* the smallest a company is printed at */

/* The height (mm) text takes at pt, wrapped in w mm, as pango lays it
 * out in the badge's fonts: measured here, not by the code under test. */
static double
wrapped_height(const char *text, double pt, double w)
{
	cairo_surface_t *sf = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(sf);
	PangoLayout *pl = pango_cairo_create_layout(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(pango_layout_get_context(pl), fo);
	cairo_font_options_destroy(fo);
	pango_layout_context_changed(pl);
	PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILIES);
	pango_font_description_set_absolute_size(fd, pt * PT_MM * PANGO_SCALE);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
	pango_layout_set_text(pl, text, -1);
	PangoRectangle logical;
	pango_layout_get_extents(pl, NULL, &logical);
	g_object_unref(pl);
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	return (double)logical.height / PANGO_SCALE;
}

/* A long company is printed whole whenever it fits, wrapped, in the room
 * the names leave at the smallest size a company is printed at: it was
 * cut to "Internationale Ve…" on one large line with room to spare, and
 * "Vlaamse Verenigin…" under a long name. Cut short ("…") only when it
 * cannot fit, then at that smallest size, on the lines there is room for;
 * never under the ticket type's band nor wider than the name column. */
static void
test_long_company_printed_whole_when_it_fits(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	static const char *companies[] = {
		"Vlaamse Vereniging voor Sociale Media en Digitale Communicatie vzw",
		"Internationale Vereniging van Onafhankelijke Softwareontwikkelaars en Digitale "
		"Ondernemers in Vlaanderen en Brussel vzw",
		"الجمعية الوطنية للإعلام الاجتماعي والاتصال الرقمي في المملكة",
	};
	static const char *names[][2] = {
		{ "Zoë", "Çelik" },
		{ "Jan", "Peeters" },
		{ "Maximiliaan-Alexander", "Vandenbroucke-Van Den Berghe" },
		{ "Maximiliaan-Alexander Johannes", "Vandenbroucke-Van Den Berghe" },
	};
	int whole = 0;
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		for (size_t c = 0; c < sizeof companies / sizeof companies[0]; c++) {
			for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
				struct badge_info b = { names[n][0], names[n][1], companies[c],
				    "@maximiliaan_vandenbroucke", "Regular", "Social Media Day",
				    "SMD26-7K3QX9M2TB4V8HCR5" };
				struct badge_fit f2, fc;
				assert_int_equal(badge_measure_name(l, &b, NULL, &f2, &fc, NULL), 0);
				double top = f2.y_mm + f2.h_mm, room = fc.limit_mm - top;
				double need = wrapped_height(companies[c], MIN_COMPANY_PT, fc.box_w_mm);
				if (fc.size_pt == 0) {
					if (room >= wrapped_height("Ag", MIN_COMPANY_PT, 100) + 0.5)
						fail_msg("%s: '%s' left out with %.1f mm of room", l->name,
						    companies[c], room);
					continue;
				}
				if (fc.size_pt < MIN_COMPANY_PT || fc.w_mm > fc.box_w_mm + 0.01 ||
				    fc.y_mm + fc.h_mm > fc.limit_mm + 0.01)
					fail_msg("%s: '%s' at %.1f pt, %.1f mm wide in %.1f, to %.1f mm "
					    "(limit %.1f)", l->name, companies[c], fc.size_pt, fc.w_mm,
					    fc.box_w_mm, fc.y_mm + fc.h_mm, fc.limit_mm);
				if (fc.cut && need <= fc.limit_mm - fc.y_mm)
					fail_msg("%s: '%s' under '%s %s' cut short at %.1f pt on %d "
					    "line(s): it fits whole at %.0f pt (%.1f mm of %.1f)", l->name,
					    companies[c], names[n][0], names[n][1], fc.size_pt, fc.lines,
					    MIN_COMPANY_PT, need, fc.limit_mm - fc.y_mm);
				whole += !fc.cut;
			}
		}
	}
	/* most of them are whole: the test is not vacuous */
	assert_true(whole >= 24);
}

/* The company is never larger than the name line above it (a long name
 * shrinks; the company printed larger read as the guest's name), unless
 * that is under 7 pt. */
static void
test_company_not_larger_than_the_name(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	static const struct badge_info guests[] = {
		{ "Maximiliaan-Alexander Vandenbroucke-Van Den Berghe", "",
		  "Vlaamse Vereniging voor Sociale Media en Digitale Communicatie vzw", "",
		  "Regular", "E", "X" },
		{ "María Josefa Antonia Francisca", "de Paula Vandenbroucke y Borbón-Dos Sicilias",
		  "Acme", "@maria", "Regular", "E", "X" },
		{ "Zoë", "Vandenbroucke-Van Den Berghe Wolfeschlegelsteinhausenbergerdorff", "Acme",
		  "", "", "E", "X" },
	};
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		for (size_t g = 0; g < sizeof guests / sizeof guests[0]; g++) {
			struct badge_fit f1, f2, fc;
			assert_int_equal(badge_measure_name(l, &guests[g], &f1, &f2, &fc, NULL), 0);
			double name_pt = f2.size_pt > 0 ? f2.size_pt : f1.size_pt;
			assert_true(fc.size_pt > 0);
			if (fc.size_pt > name_pt && fc.size_pt > 7)
				fail_msg("%s: '%s' at %.1f pt under '%s' at %.1f pt", l->name,
				    guests[g].company, fc.size_pt, f2.size_pt > 0 ?
				    guests[g].last_name : guests[g].first_name, name_pt);
		}
	}
}

/* No ink in the rectangle x0..x1, y0..y1 (mm)? */
static bool
no_ink(const struct page *pg, double x0, double y0, double x1, double y1)
{
	double left, right;
	return !ink_span(pg, x0, y0, x1, y1, false, &left, &right);
}

/* Whatever the guest list holds, the text stays in its column and on the
 * badge: the QR code (with its quiet zone) prints as it does on a badge
 * with no text at all, nothing is inked between the name column and the
 * code, nor in the badge's margins, where a label sheet's next badge or
 * the card's edge begins. */
static void
test_text_keeps_off_the_code_and_the_edges(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	char word[301];
	memset(word, 'w', 300);
	word[300] = '\0';
	static const char *code = "SMD26-7K3QX9M2TB4V8HCR5";
	const struct badge_info guests[] = {
		{ word, word, word, word, word, word, code },
		{ "Maximiliaan-Alexander Johannes Petrus", "Vandenbroucke-Van Den Berghe "
		  "Wolfeschlegelsteinhausenbergerdorff", "Internationale Vereniging van "
		  "Onafhankelijke Softwareontwikkelaars en Digitale Ondernemers in Vlaanderen "
		  "en Brussel vzw", "@maximiliaan_alexander_vandenbroucke_official",
		  "VIP All-Access Three-Day Conference Pass with Workshops and Dinner",
		  "Social Media Day Antwerp 2026 — Jaarcongres voor Digitale Communicatie in "
		  "de Non-Profitsector en de Culturele Sector van Vlaanderen en Brussel", code },
		{ "عبد الرحمن", "بن عبد العزيز آل سعود الهاشمي القرشي",
		  "الجمعية الوطنية للإعلام الاجتماعي والاتصال الرقمي في المملكة العربية السعودية",
		  "@abdulrahman", "تذكرة كبار الشخصيات لجميع الأيام", "مؤتمر الإعلام الاجتماعي", code },
	};
	const struct badge_info bare = { "", "", "", "", "", "", code };
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		double w = l->badge_w, h = l->badge_h, pad = h * 0.07, band = h * 0.12;
		double qr = h - 2 * pad - band < w * 0.42 ? h - 2 * pad - band : w * 0.42;
		double qx = w - pad - qr, qy = h - pad - qr, text_w = w - qr - 3 * pad;
		struct page ref;
		page_render(l, &bare, &ref);
		for (size_t g = 0; g < sizeof guests / sizeof guests[0]; g++) {
			struct page pg;
			page_render(l, &guests[g], &pg);
			assert_int_equal(pg.w, ref.w);
			/* the code, a pixel inside its edge (blended with what is
			 * under it) */
			for (int y = px_of(qy) + 1; y < px_of(qy + qr) - 1; y++) {
				size_t at = (size_t)y * (size_t)pg.stride + (size_t)(px_of(qx) + 1) * 4;
				size_t n = (size_t)(px_of(qx + qr) - px_of(qx) - 2) * 4;
				if (memcmp(pg.px + at, ref.px + at, n) != 0)
					fail_msg("%s: guest %zu's text inked the QR code (row %d)",
					    l->name, g, y);
			}
			if (!no_ink(&pg, pad + text_w + 0.3, pad + band, qx, h))
				fail_msg("%s: guest %zu's text between its column and the code",
				    l->name, g);
			if (!no_ink(&pg, 0, h - pad + 0.3, w, h) || !no_ink(&pg, w - pad + 0.3, 0, w, h) ||
			    !no_ink(&pg, 0, 0, pad - 0.8, h) || !no_ink(&pg, 0, 0, w, pad - 0.8))
				fail_msg("%s: guest %zu's text in the badge's margin", l->name, g);
			cairo_surface_destroy(pg.sf);
		}
		cairo_surface_destroy(ref.sf);
	}
}

/* The dot between the company and the handle ends the company's line:
 * "חברת המדיה החברתית / · @dcohen" began a Hebrew line with it, read as
 * part of the handle. */
static void
test_company_keeps_its_dot(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	static const struct badge_info guests[] = {
		{ "דוד", "כהן", "חברת המדיה החברתית", "@dcohen", "Speaker", "E", "X" },
		{ "محمد", "الهاشمي", "شركة الإعلام الرقمي", "@mhashemi", "Regular", "E", "X" },
		{ "Zoë", "Çelik", "Vlaamse Vereniging voor Sociale Media en Digitale Communicatie",
		  "@zoe", "Speaker", "E", "X" },
		{ "Jan", "Peeters", "Bourgondisch Netwerk bvba", "@jan_peeters", "", "E", "X" },
	};
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		for (size_t g = 0; g < sizeof guests / sizeof guests[0]; g++) {
			struct badge_fit fc;
			assert_int_equal(badge_measure_name(l, &guests[g], NULL, NULL, &fc, NULL), 0);
			if (fc.dot_starts_line)
				fail_msg("%s: a line of '%s  ·  %s' starts with the dot", l->name,
				    guests[g].company, guests[g].handle);
		}
	}
}

/* Warnings GLib's libraries logged (pango's are structured: no handler
 * set with g_log_set_handler sees them). */
static int glib_warnings;

static GLogWriterOutput
count_warnings(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
	(void)data;
	if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
		glib_warnings++;
	return g_log_writer_default(level, fields, n, NULL);
}

/* A company longer than any buffer, in a script of three bytes a
 * character: drawn whole-charactered (it was cut inside a character at
 * 512 bytes, and pango refused the line as not UTF-8, with a warning on
 * the organiser's terminal). */
static void
test_long_company_stays_utf8(void **state)
{
	(void)state;
	char company[3 * 171 + 1];
	for (int i = 0; i < 171; i++)
		memcpy(company + 3 * i, "\u6B27", 3); /* 欧: three bytes */
	company[3 * 171] = '\0';
	const struct badge_info b = { "Lange", "Firma", company, "@lange", "Regular",
	    "Social Media Day", "SMD26-TEST" };
	int before = glib_warnings;
	for (size_t i = 0; i < badge_layout_count(); i++) {
		struct badge_fit fc;
		assert_int_equal(badge_measure_name(badge_layout_at(i), &b, NULL, NULL, &fc, NULL),
		    0);
		assert_true(fc.size_pt > 0);
	}
	assert_int_equal(glib_warnings - before, 0);
}

static void
test_render_writes_whole_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/kiosk-badge-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char pdf[128], png[128], bad[128];
	snprintf(pdf, sizeof pdf, "%s/b.pdf", dir);
	snprintf(png, sizeof png, "%s/b.png", dir);
	snprintf(bad, sizeof bad, "%s/missing/b.pdf", dir);
	struct badge_info b[9];
	for (int i = 0; i < 9; i++) {
		b[i] = (struct badge_info){ "Zoë", "Çelik", "Acme", "@zoe", "Student", "Event",
			"SMD26-7K3QX9M2TB4V8HCR5" };
	}
	const struct badge_layout *l = badge_layout_find("a4-2x4");
	char *cause = NULL;
	assert_int_equal(badge_render_pdf(pdf, l, b, 9, &cause), 0);
	assert_int_equal(badge_render_png(png, l, b, 150, &cause), 0);
	struct stat st;
	assert_int_equal(stat(pdf, &st), 0);
	assert_true(st.st_size > 1000);
	assert_int_equal(stat(png, &st), 0);
	/* An unwritable place: a clear error and no file. */
	assert_int_equal(badge_render_pdf(bad, l, b, 9, &cause), -1);
	assert_non_null(strstr(cause, bad));
	free(cause);
	assert_int_equal(access(bad, F_OK), -1);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* kiosk.conf's [badge] layout takes every layout there is (conf.c keeps
 * the names in its own list, for 'kiosk config --check'). */
static void
test_conf_knows_every_layout(void **state)
{
	(void)state;
	for (size_t i = 0; i < badge_layout_count(); i++) {
		char text[128];
		struct conf *c = NULL;
		char *cause = NULL;
		snprintf(text, sizeof text, "[badge]\nlayout = %s\n", badge_layout_at(i)->name);
		if (conf_load_string(text, "kiosk.conf", NULL, &c, &cause) != 0)
			fail_msg("%s", cause);
		assert_string_equal(c->badge_layout, badge_layout_at(i)->name);
		conf_free(c);
	}
}

int
main(void)
{
	g_log_set_writer_func(count_warnings, NULL, NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts_match_their_paper),
		cmocka_unit_test(test_a4_2x4_positions),
		cmocka_unit_test(test_names_fit_their_box),
		cmocka_unit_test(test_company_and_hyphens),
		cmocka_unit_test(test_hyphenated_names_and_company_read_well),
		cmocka_unit_test(test_long_company_stays_utf8),
		cmocka_unit_test(test_rtl_text_starts_at_the_right),
		cmocka_unit_test(test_long_company_printed_whole_when_it_fits),
		cmocka_unit_test(test_company_not_larger_than_the_name),
		cmocka_unit_test(test_text_keeps_off_the_code_and_the_edges),
		cmocka_unit_test(test_company_keeps_its_dot),
		cmocka_unit_test(test_render_writes_whole_files),
		cmocka_unit_test(test_conf_knows_every_layout),
	};
	int failed = cmocka_run_group_tests_name("badge", tests, NULL, NULL);
	badge_shutdown();
	return failed;
}
