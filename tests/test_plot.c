/* Tests for plot: the arrivals chart is the size it says, shows the data
 * (ink in the plot, grey bars where the arrivals are), comes in the three
 * formats, and fails whole: no file, or the old one untouched.
 *
 * The figures are built by hand here; that they are the ones `kiosk stats
 * --json` prints is attend_stats' business, tested in test_attend.c. The
 * PNGs stay in build/test-artefacts/ for a person to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "badge/badge.h"
#include "core/attend.h"
#include "core/catalog.h"
#include "core/ktime.h"
#include "core/lang.h"
#include "core/util.h"
#include "report/plot.h"
#include "testutil.h"

#define ARTEFACTS TEST_ARTEFACTS
#define BAR_GREY 158            /* GREY_BAR 0.62 of 255, as cairo rounds it */

/* Slots from a local start time, one per 15 minutes, with these arrivals. */
static void
make_stats(struct attend_stats *st, int y, int mo, int d, int h, int mi, const int *arr,
    size_t n)
{
	int64_t t0;
	memset(st, 0, sizeof *st);
	assert_int_equal(ktime_from_local(y, mo, d, h, mi, &t0), 0);
	st->slots = n > 0 ? xcalloc(n, sizeof *st->slots) : NULL;
	st->nslots = n;
	for (size_t i = 0; i < n; i++) {
		st->slots[i].start = t0 + (int64_t)i * 15 * 60 * 1000;
		st->slots[i].arrivals = arr[i];
		st->checked_in += arr[i];
	}
}

/* What a PNG holds, read back through cairo. */
struct ink {
	int w, h;
	long dark;              /* pixels darker than 30% in the plot region */
	long bar;               /* pixels of the bars' grey there */
	int bar_col;            /* the column with the most bar grey (-1: none) */
	int bar_first, bar_last;/* the first and last column with bar grey */
};

static void
read_png(const char *path, struct ink *k)
{
	cairo_surface_t *sf = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(sf), CAIRO_STATUS_SUCCESS);
	memset(k, 0, sizeof *k);
	k->w = cairo_image_surface_get_width(sf);
	k->h = cairo_image_surface_get_height(sf);
	k->bar_col = k->bar_first = k->bar_last = -1;
	cairo_surface_flush(sf);
	const unsigned char *data = cairo_image_surface_get_data(sf);
	int stride = cairo_image_surface_get_stride(sf);
	long *col = xcalloc((size_t)k->w, sizeof *col);
	/* The plot region: below the title and legend, above the time labels,
	 * inside the scales' numbers. */
	for (int y = k->h * 25 / 100; y < k->h * 85 / 100; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		for (int x = k->w * 8 / 100; x < k->w * 92 / 100; x++) {
			int r = (int)(row[x] >> 16 & 0xff), g = (int)(row[x] >> 8 & 0xff),
			    b = (int)(row[x] & 0xff);
			if (r + g + b < 3 * 77)
				k->dark++;
			if (abs(r - BAR_GREY) <= 1 && abs(g - BAR_GREY) <= 1 && abs(b - BAR_GREY) <= 1) {
				k->bar++;
				col[x]++;
			}
		}
	}
	long best = 0;
	for (int x = 0; x < k->w; x++) {
		if (col[x] > best) {
			best = col[x];
			k->bar_col = x;
		}
		if (col[x] > 20) {
			if (k->bar_first < 0)
				k->bar_first = x;
			k->bar_last = x;
		}
	}
	free(col);
	cairo_surface_destroy(sf);
}

static char *
artefact(const char *name)
{
	mkdir("build", 0755);
	mkdir(ARTEFACTS, 0755);
	return xasprintf("%s/%s", ARTEFACTS, name);
}

/* Plot st to build/test-artefacts/name and read it back. */
static void
plot_png(const struct attend_stats *st, const struct plot_labels *l, const char *name,
    struct ink *k)
{
	char *path = artefact(name), *cause = NULL;
	unlink(path);
	if (plot_arrivals(st, l, path, &cause) != 0)
		fail_msg("%s: %s", name, cause);
	read_png(path, k);
	assert_int_equal(k->w, PLOT_PNG_W);
	assert_int_equal(k->h, PLOT_PNG_H);
	free(path);
}

/* Nothing but name in dir (NULL: nothing at all), so no half file or
 * temporary one was left behind. */
static void
assert_only(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (name == NULL || strcmp(e->d_name, name) != 0)
			fail_msg("%s: left behind: %s", dir, e->d_name);
	}
	closedir(d);
}

static void
test_evening_with_a_spike(void **state)
{
	(void)state;
	/* 18:00 to 23:45: doors at 18:30, everyone at 19:00-19:30. */
	static const int arr[] = { 2, 1, 9, 24, 87, 71, 40, 28, 19, 16, 12, 11, 9, 8, 6, 7,
		5, 4, 6, 3, 2, 1, 1, 1 };
	struct attend_stats st;
	make_stats(&st, 2026, 6, 30, 18, 0, arr, sizeof arr / sizeof arr[0]);
	st.registered = 500;
	st.walkins = 23;
	char *totals = plot_totals_text(&st, LANG_EN, NULL);
	assert_string_equal(totals, "373 of 500 checked in \xc2\xb7 23 walk-ins");
	struct plot_labels l = { "Antwerp Open Source Summit 2026", "Europe/Brussels", totals,
		"as of 2026-06-30 23:59", LANG_EN, NULL };
	struct ink k;
	plot_png(&st, &l, "plot-evening.png", &k);
	assert_true(k.dark > 2000);
	assert_true(k.bar > 20000);
	/* The tallest bar is the spike: slot 4 of 24, where the bars' span says. */
	assert_true(k.bar_first >= 0 && k.bar_last > k.bar_first);
	double slot = (k.bar_last - k.bar_first) / 24.0;
	double want = k.bar_first + 4.5 * slot;
	if (k.bar_col < want - slot || k.bar_col > want + slot)
		fail_msg("tallest bar at x=%d, the spike is at %.0f", k.bar_col, want);
	free(totals);
	attend_stats_free(&st);
}

static void
test_across_midnight(void **state)
{
	(void)state;
	/* Fri 3 Jul 21:00 to Sat 4 Jul 03:45: a party. */
	int arr[28];
	for (int i = 0; i < 28; i++)
		arr[i] = i < 4 ? 3 + 4 * i : i < 12 ? 18 - i : i == 12 ? 30 : 2 + (i % 3);
	struct attend_stats st;
	make_stats(&st, 2026, 7, 3, 21, 0, arr, 28);
	st.registered = 400;
	char *totals = plot_totals_text(&st, LANG_EN, NULL);
	struct plot_labels l = { "Midsummer Night Party", "Europe/Brussels", totals, NULL, LANG_EN, NULL };
	struct ink k;
	plot_png(&st, &l, "plot-midnight.png", &k);
	assert_true(k.dark > 2000);
	assert_true(k.bar > 10000);
	free(totals);
	attend_stats_free(&st);
}

static void
test_long_event(void **state)
{
	(void)state;
	/* Three days, 08:00 Monday to 07:45 Thursday: busy mornings, quiet nights. */
	enum { N = 3 * 96 };
	int arr[N];
	for (int i = 0; i < N; i++) {
		int q = i % 96; /* quarters since 08:00 */
		arr[i] = q < 4 ? 30 - 5 * q : q < 40 ? 4 + (q % 5) : q < 56 ? 1 : 0;
	}
	struct attend_stats st;
	make_stats(&st, 2026, 9, 14, 8, 0, arr, N);
	st.registered = 1800;
	st.walkins = 1;
	char *totals = plot_totals_text(&st, LANG_EN, NULL);
	assert_non_null(strstr(totals, "1 walk-in"));
	assert_null(strstr(totals, "walk-ins"));
	assert_null(strstr(totals, "not drawn"));
	/* A test scan weeks before is in "checked in" but not in the bars nor
	 * the running total: the line says so, so the two agree. */
	st.outside = 1;
	char *with = plot_totals_text(&st, LANG_EN, NULL);
	assert_non_null(strstr(with, "1 arrival not drawn: a day or more from these"));
	free(with);
	st.outside = 0;
	struct plot_labels l = { "Three-day Conference", "Europe/Brussels", totals, NULL, LANG_EN, NULL };
	struct ink k;
	plot_png(&st, &l, "plot-conference.png", &k);
	assert_true(k.dark > 2000);
	assert_true(k.bar > 1000);
	free(totals);
	attend_stats_free(&st);
}

static void
test_short_event(void **state)
{
	(void)state;
	static const int arr[] = { 3, 5, 1 };
	struct attend_stats st;
	make_stats(&st, 2026, 3, 12, 12, 15, arr, 3);
	st.registered = 12;
	struct plot_labels l = { "Lunch talk", NULL, NULL, NULL, LANG_EN, NULL };
	struct ink k;
	plot_png(&st, &l, "plot-short.png", &k);
	assert_true(k.dark > 1000);
	assert_true(k.bar > 10000);
	attend_stats_free(&st);
}

static void
test_empty_event_says_so(void **state)
{
	(void)state;
	struct attend_stats st;
	make_stats(&st, 2026, 6, 30, 18, 0, NULL, 0);
	st.registered = 500;
	char *totals = plot_totals_text(&st, LANG_EN, NULL);
	struct plot_labels l = { "Antwerp Open Source Summit 2026", "Europe/Brussels", totals,
		NULL, LANG_EN, NULL };
	struct ink k;
	plot_png(&st, &l, "plot-empty.png", &k);
	assert_true(k.dark > 500);      /* "No arrivals yet" */
	assert_true(k.bar < 200);       /* and no bars */
	/* Slots that hold no one are no arrivals either; NULL labels are fine. */
	static const int zeros[] = { 0, 0, 0 };
	struct attend_stats z;
	make_stats(&z, 2026, 6, 30, 18, 0, zeros, 3);
	plot_png(&z, NULL, "plot-empty-slots.png", &k);
	assert_true(k.dark > 500);
	assert_true(k.bar < 200);
	free(totals);
	attend_stats_free(&z);
	attend_stats_free(&st);
}

static void
test_long_title_and_big_numbers(void **state)
{
	(void)state;
	/* A congress: thousands an hour, a name in three scripts too long for
	 * the line (it is ellipsized), numbers five digits wide on both scales. */
	enum { N = 40 };
	int arr[N];
	for (int i = 0; i < N; i++)
		arr[i] = i < 8 ? 300 * (i + 1) : 2400 - 55 * i;
	assert_int_equal(ktime_set_zone("America/Argentina/Buenos_Aires", NULL), 0);
	struct attend_stats st;
	make_stats(&st, 2026, 10, 24, 7, 30, arr, N);
	st.registered = 80000;
	st.walkins = 1250;
	char *totals = plot_totals_text(&st, LANG_EN, NULL);
	struct plot_labels l = {
		"International Congress of Botanical Gardens \xe2\x80\x94 \xd0\x91\xd0\xbe\xd1\x82"
		"\xd0\xb0\xd0\xbd\xd0\xb8\xd0\xba\xd0\xb0 \xe2\x80\x94 \xd8\xad\xd8\xaf\xd9\x8a"
		"\xd9\x82\xd8\xa9 \xd9\x86\xd8\xa8\xd8\xa7\xd8\xaa\xd9\x8a\xd8\xa9 2026 \xe2\x80\x94 "
		"Plenary Hall, Main Entrance and the East Wing",
		"America/Argentina/Buenos_Aires", totals, "as of 2026-10-24 17:30, hub of the East Wing", LANG_EN, NULL };
	struct ink k;
	plot_png(&st, &l, "plot-congress.png", &k);
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	assert_true(k.dark > 2000);
	assert_true(k.bar > 20000);
	free(totals);
	attend_stats_free(&st);
}

/* The text of a PDF (pdftotext), or fail. The caller frees. */
static char *
pdf_text(const char *pdf)
{
	char *cmd = xasprintf("pdftotext -q -layout '%s' -", pdf), *out = NULL;
	FILE *fp = popen(cmd, "r");
	struct buf b;
	char chunk[4096];
	size_t n;
	if (fp == NULL)
		fail_msg("cannot run pdftotext (poppler-utils)");
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	if (pclose(fp) != 0)
		fail_msg("pdftotext %s failed", pdf);
	buf_addc(&b, '\0');
	out = buf_take(&b);
	free(cmd);
	return out;
}

/* The chart an organiser downloads from a Dutch, French or German page
 * (or plots with kiosk.conf in that language) speaks it: legend, axes,
 * title, the dates under the times, the figures' grouping and the footer;
 * no English word is left. Two days (Fri 3 to Sat 4 July), 20,000 guests. */
static void
test_in_the_pages_language(void **state)
{
	(void)state;
	static const struct {
		int lang;
		const char *want[8];
		const char *png;
	} cases[] = {
		{ LANG_NL, { "aankomsten per 15 minuten", "tijd (Europe/Brussels)", "vr 3 jul",
		      "za 4 jul", "18.000 van 20.000 ingecheckt", "12 nieuwe gasten", "stand van za 4 jul 2026 01:30",
		      "Aankomsten" }, "plot-nl.png" },
		{ LANG_FR, { "arrivées par tranche de 15 minutes", "heure (Europe/Brussels)", "ven. 3 juil.",
		      "sam. 4 juil.", "18 000 entrées sur 20 000 inscrits", "12 inscriptions sur place",
		      "au sam. 4 juil. 2026 01:30", "Arrivées" }, "plot-fr.png" },
		{ LANG_DE, { "Ankünfte pro 15 Minuten", "Uhrzeit (Europe/Brussels)", "Fr., 3. Juli",
		      "Sa., 4. Juli", "18.000 von 20.000 Angemeldeten eingecheckt", "12 neue Gäste",
		      "Stand: Sa., 4. Juli 2026 01:30", "Ankünfte" }, "plot-de.png" },
	};
	static const char *const english[] = { "arrivals per", "right scale", "time (", "Fri",
		"Sat", "Jul ", "as of", "checked in", "walk-in" };
	/* Fri 3 Jul 21:00 to Sat 4 Jul 02:45: 18,000 of them, most by midnight. */
	enum { N = 24 };
	int arr[N];
	for (int i = 0; i < N; i++)
		arr[i] = 750;
	int64_t now;
	assert_int_equal(ktime_from_local(2026, 7, 4, 1, 30, &now), 0);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		char *cause = NULL;
		struct catalog *cat = catalog_load("build/locale", lang_code(cases[c].lang), "kiosk",
		    &cause);
		if (cat == NULL)
			fail_msg("%s", cause);
		struct attend_stats st;
		make_stats(&st, 2026, 7, 3, 21, 0, arr, N);
		st.registered = 20000;
		st.walkins = 12;
		char *totals = plot_totals_text(&st, cases[c].lang, cat);
		/* pdftotext reads French's narrow no-break space as a space */
		if (cases[c].lang == LANG_FR)
			assert_string_equal(totals, "18\u202f000 entr\u00e9es sur 20\u202f000 inscrits "
			    "\xc2\xb7 12 inscriptions sur place");
		char *footer = plot_footer_text(now, cases[c].lang, cat);
		/* no title: the chart's own ("Arrivals") */
		struct plot_labels l = { NULL, "Europe/Brussels", totals, footer, cases[c].lang, cat };
		char *pdf = artefact("plot-lang.pdf");
		if (plot_arrivals(&st, &l, pdf, &cause) != 0)
			fail_msg("%s", cause);
		char *text = pdf_text(pdf);
		for (size_t w = 0; w < 8; w++)
			if (strstr(text, cases[c].want[w]) == NULL)
				fail_msg("%s: no \"%s\" in the chart:\n%s", lang_code(cases[c].lang),
				    cases[c].want[w], text);
		for (size_t w = 0; w < sizeof english / sizeof english[0]; w++)
			if (strstr(text, english[w]) != NULL)
				fail_msg("%s: English \"%s\" left in the chart:\n%s",
				    lang_code(cases[c].lang), english[w], text);
		/* The PNG, with a long name, for a person to look at. */
		l.title = "Antwerpse Open-Source-Zomerconferentie 2026 \xe2\x80\x94 Grote Zaal, "
		    "Hoofdingang en de Oostvleugel van het Congrescentrum";
		struct ink k;
		plot_png(&st, &l, cases[c].png, &k);
		assert_true(k.bar > 10000);
		free(text);
		free(pdf);
		free(totals);
		free(footer);
		attend_stats_free(&st);
		catalog_free(cat);
	}
}

static void
test_png_in_memory(void **state)
{
	(void)state;
	static const int arr[] = { 2, 10, 30, 12, 5, 3, 1, 1 };
	struct attend_stats st;
	make_stats(&st, 2026, 6, 30, 19, 0, arr, 8);
	struct plot_labels l = { "Meetup", "Europe/Brussels", "64 of 80 checked in", NULL, LANG_EN, NULL };
	char *path = artefact("plot-meetup.png"), *png = NULL, *file = NULL, *cause = NULL;
	size_t len = 0, flen = 0;
	if (plot_arrivals_png(&st, &l, &png, &len, &cause) != 0 ||
	    plot_arrivals(&st, &l, path, &cause) != 0 ||
	    util_read_file(path, 8 << 20, &file, &flen, &cause) != 0)
		fail_msg("%s", cause);
	/* The page's PNG is the file's, byte for byte. */
	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(len, flen);
	assert_memory_equal(png, file, len);
	free(png);
	free(file);
	free(path);
	attend_stats_free(&st);
}

static void
assert_magic(const char *path, const char *magic, const char *also)
{
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	if (util_read_file(path, 8 << 20, &text, &len, &cause) != 0)
		fail_msg("%s", cause);
	assert_true(len > 1000);
	assert_memory_equal(text, magic, strlen(magic));
	if (also != NULL)
		assert_non_null(strstr(text, also));
	free(text);
}

static void
test_svg_and_pdf(void **state)
{
	(void)state;
	static const int arr[] = { 2, 10, 30, 12, 5, 3, 1, 1 };
	struct attend_stats st;
	make_stats(&st, 2026, 6, 30, 19, 0, arr, 8);
	struct plot_labels l = { "Meetup", "Europe/Brussels", "64 of 80 checked in", NULL, LANG_EN, NULL };
	char *svg = artefact("plot-evening.svg"), *pdf = artefact("plot-evening.PDF"), *cause = NULL;
	if (plot_arrivals(&st, &l, svg, &cause) != 0 || plot_arrivals(&st, &l, pdf, &cause) != 0)
		fail_msg("%s", cause);
	/* An A4 landscape page, in points. */
	assert_magic(svg, "<?xml", "width=\"842pt\" height=\"595pt\"");
	assert_magic(pdf, "%PDF-", NULL);
	free(svg);
	free(pdf);
	attend_stats_free(&st);
}

static void
test_bad_extension_and_unwritable_path(void **state)
{
	(void)state;
	static const int arr[] = { 4, 8, 2 };
	struct attend_stats st;
	make_stats(&st, 2026, 6, 30, 19, 0, arr, 3);
	char dir[] = "/tmp/kiosk-plot-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *cause = NULL;
	static const char *const bad[] = { "plot.jpg", "plot", "plot.png.txt", "svg", ".pdf.x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *path = xasprintf("%s/%s", dir, bad[i]);
		assert_int_equal(plot_arrivals(&st, NULL, path, &cause), -1);
		/* The message names what would do. */
		assert_non_null(strstr(cause, ".png"));
		assert_non_null(strstr(cause, ".svg"));
		assert_non_null(strstr(cause, ".pdf"));
		free(path);
	}
	assert_int_equal(plot_arrivals(&st, NULL, NULL, &cause), -1);
	assert_only(dir, NULL);

	/* A folder that is not there. */
	char *missing = xasprintf("%s/missing/plot.png", dir);
	assert_int_equal(plot_arrivals(&st, NULL, missing, &cause), -1);
	assert_non_null(strstr(cause, missing));
	assert_only(dir, NULL);

	/* A name taken by a folder: drawn, then the rename fails; no temporary
	 * file stays. */
	char *taken = xasprintf("%s/taken.pdf", dir);
	assert_int_equal(mkdir(taken, 0755), 0);
	assert_int_equal(plot_arrivals(&st, NULL, taken, &cause), -1);
	assert_non_null(strstr(cause, taken));
	assert_only(dir, "taken.pdf");
	assert_int_equal(rmdir(taken), 0);

	free(cause);
	free(taken);
	free(missing);
	assert_int_equal(rmdir(dir), 0);
	attend_stats_free(&st);
}

static void
test_full_disk_keeps_the_old_file(void **state)
{
	(void)state;
	static const int arr[] = { 4, 8, 2, 9, 14, 3 };
	struct attend_stats st;
	make_stats(&st, 2026, 6, 30, 19, 0, arr, 6);
	char dir[] = "/tmp/kiosk-plot-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/plot.png", dir), *cause = NULL, *before = NULL, *after = NULL;
	size_t nb = 0, na = 0;
	assert_int_equal(plot_arrivals(&st, NULL, path, &cause), 0);
	assert_int_equal(util_read_file(path, 8 << 20, &before, &nb, &cause), 0);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);

	/* Files may grow to 4 KB only: every format is bigger, so each write
	 * fails part way, as on a full disk. */
	struct rlimit old, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	static const char *const names[] = { "plot.png", "plot.svg", "plot.pdf" };
	int rc[3];
	char *paths[3];
	for (int i = 0; i < 3; i++) {
		paths[i] = xasprintf("%s/%s", dir, names[i]);
		rc[i] = plot_arrivals(&st, NULL, paths[i], &cause);
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rc[i], -1);
		assert_non_null(strstr(cause, "cannot write"));
		free(paths[i]);
	}
	assert_only(dir, "plot.png");
	assert_int_equal(util_read_file(path, 8 << 20, &after, &na, &cause), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, nb);

	free(before);
	free(after);
	free(cause);
	unlink(path);
	free(path);
	assert_int_equal(rmdir(dir), 0);
	attend_stats_free(&st);
}

static int
setup(void **state)
{
	(void)state;
	badge_use_fonts("fonts");
	return ktime_set_zone("Europe/Brussels", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evening_with_a_spike),
		cmocka_unit_test(test_across_midnight),
		cmocka_unit_test(test_long_event),
		cmocka_unit_test(test_short_event),
		cmocka_unit_test(test_empty_event_says_so),
		cmocka_unit_test(test_long_title_and_big_numbers),
		cmocka_unit_test(test_in_the_pages_language),
		cmocka_unit_test(test_png_in_memory),
		cmocka_unit_test(test_svg_and_pdf),
		cmocka_unit_test(test_bad_extension_and_unwritable_path),
		cmocka_unit_test(test_full_disk_keeps_the_old_file),
	};
	int failed = cmocka_run_group_tests_name("plot", tests, setup, NULL);
	badge_shutdown();
	return failed;
}
