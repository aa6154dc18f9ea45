/* Rendering tests: every screen at 1920x1080, 1280x720 and 800x1280 portrait,
 * drawn with SDL's offscreen driver and checked for what a person would see:
 * the result colour fills the screen, text stays inside the window, buttons
 * are where taps land. The frames are kept as PNGs in build/test-artefacts/
 * for a person to look at. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "core/code.h"
#include "core/guest.h"
#include "core/ktime.h"
#include "core/secret.h"
#include "testutil.h"
#include "ui/door.h"
#include "ui/engine.h"
#include "ui/i18n.h"
#include "ui/render.h"
#include "ui/shot.h"
#include "ui/text.h"

#define ARTEFACTS TEST_ARTEFACTS

static const struct { int w, h; } sizes[] = { { 1920, 1080 }, { 1280, 720 }, { 800, 1280 } };

struct fx {
	struct tu_fixture base;
	struct engine eng;
	struct text *text;
	char zoe[64];
	char longname[64];
	char hyphens[64];       /* a name with no space to wrap at */
	char habsburg[64];      /* six lines of name in portrait, and extra fields */
};

static int64_t
fixed_now(void)
{
	return 1782838800000LL;
}

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	void *base = NULL;
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	/* No GL: faster, and no Mesa leaks under LeakSanitizer. */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	if (tu_setup(&base) != 0)
		return -1;
	f->base = *(struct tu_fixture *)base;
	free(base);
	struct guest_fields zf = { .first_name = "Zoë", .last_name = "Çelik",
	    .ticket_type = "Student", .company = "Vlaamse Blog Coöperatie",
	    .extra = "{\"T-shirt\":\"M\",\"Dieet\":\"vegan\"}" };
	struct guest_fields lf = { .first_name = "Maximiliaan-Alexander",
	    .last_name = "van den Bossche-Vanderhaeghen de la Croix", .ticket_type = "Speaker" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &zf, "Door 2", &g, NULL), 0);
	snprintf(f->zoe, sizeof f->zoe, "%s", g.code);
	guest_clear(&g);
	assert_int_equal(guest_add_walkin(f->base.s, &lf, "Door 2", &g, NULL), 0);
	snprintf(f->longname, sizeof f->longname, "%s", g.code);
	guest_clear(&g);
	struct guest_fields hf = { .first_name = "Marie-Claire-Bénédicte",
	    .last_name = "Vandenberghe-Ødegård-de-la-Fontaine-Rodríguez-Çelik" };
	assert_int_equal(guest_add_walkin(f->base.s, &hf, "Door 2", &g, NULL), 0);
	snprintf(f->hyphens, sizeof f->hyphens, "%s", g.code);
	guest_clear(&g);
	struct guest_fields mf = { .first_name = "Maximilian Alexander",
	    .last_name = "von und zu Liechtenstein-Habsburg",
	    .ticket_type = "VIP All-Access Pass (Both Days + Dinner)",
	    .company = "Internationale Handelsgesellschaft mbH &",
	    .extra = "{\"T-shirt\":\"XXL\",\"Dieet\":\"Vegetarian, no nuts\"}" };
	assert_int_equal(guest_add_walkin(f->base.s, &mf, "Door 2", &g, NULL), 0);
	snprintf(f->habsburg, sizeof f->habsburg, "%s", g.code);
	guest_clear(&g);
	f->eng.store = f->base.s;
	f->eng.kiosk = "Door 1";
	f->eng.now = fixed_now;
	f->eng.pin_hash = "";
	assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
	char *cause = NULL;
	if (text_open("fonts", &f->text, &cause) != 0)
		fail_msg("%s", cause);
	mkdir("build", 0755);
	mkdir(ARTEFACTS, 0755);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	text_close(f->text);
	SDL_Quit();
	store_close(f->base.s);
	tu_rmdir(f->base.dir);
	free(f);
	return 0;
}

struct frame {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct render *rd;
	SDL_Surface *px;
};

/* What the admin menu says doors join (render_info.join) in the next draw. */
static const char *draw_join;
/* Whether the door's guest list is short (render_info.list_short). */
static bool draw_short;
static bool draw_damaged;
static bool draw_refused;
static bool draw_portal;
static enum merge_unreached draw_unreached; /* render_info.unreached */
static const char *draw_problems;
static const char *draw_kiosk;   /* render_info.kiosk_name, when not "Door 1" */
static bool draw_no_audio;      /* render_info.no_audio */
static bool draw_keys_elsewhere; /* render_info.keys_elsewhere */
static const char *draw_link;   /* render_info.link, when set */
static const struct render_kiosk *draw_kiosks; /* render_info.kiosks */
static int draw_nkiosks;

static void
draw(struct fx *f, struct frame *fr, struct door *d, int w, int h, const char *name)
{
	static const char *const show[] = { "T-shirt", "Dieet" };
	struct render_info info = { .event_name = "Social Media Day Antwerp 2026",
	    .kiosk_name = draw_kiosk != NULL ? draw_kiosk : "Door 1",
	    .link = draw_link != NULL ? draw_link : draw_join != NULL ? "hub" : "standalone",
	    .show_fields = show, .n_show_fields = 2, .join = draw_join, .no_pin = true,
	    .list_short = draw_short, .damaged = draw_damaged, .sync_refused = draw_refused,
	    .sync_portal = draw_portal, .unreached = draw_unreached,
	    .problems = draw_problems, .no_audio = draw_no_audio, .kiosks = draw_kiosks,
	    .nkiosks = draw_nkiosks, .keys_elsewhere = draw_keys_elsewhere };
	struct door_view v;
	char path[256];
	/* The last frame's renderer is gone, and a new one may come back at
	 * its address (text.h): its textures must not be drawn here. */
	text_forget_renderer(f->text);
	fr->win = SDL_CreateWindow("test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
	assert_non_null(fr->win);
	fr->ren = SDL_CreateRenderer(fr->win, -1, SDL_RENDERER_SOFTWARE);
	assert_non_null(fr->ren);
	fr->rd = render_new(fr->ren, f->text);
	door_view(d, &v);
	render_frame(fr->rd, &v, &info, 1000);
	fr->px = shot_read(fr->ren, NULL);
	assert_non_null(fr->px);
	assert_int_equal(fr->px->w, w);
	snprintf(path, sizeof path, ARTEFACTS "/render-%s-%dx%d.png", name, w, h);
	assert_int_equal(shot_save(fr->ren, path, NULL), 0);
}

static void
frame_free(struct frame *fr)
{
	SDL_FreeSurface(fr->px);
	render_free(fr->rd);
	SDL_DestroyRenderer(fr->ren);
	SDL_DestroyWindow(fr->win);
}

static Uint32
pixel(const SDL_Surface *s, int x, int y)
{
	return ((const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * s->pitch))[x] & 0xFFFFFF;
}

/* Share of pixels of exactly rgb. */
static double
share(const SDL_Surface *s, Uint32 rgb)
{
	long n = 0;
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++)
			n += pixel(s, x, y) == rgb;
	return (double)n / ((double)s->w * s->h);
}

/* Nothing but background in the outer columns of the band y0..y1: no text
 * runs off the edge. */
static bool
margins_clear(const SDL_Surface *s, Uint32 bg, int y0, int y1)
{
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < 3; x++)
			if (pixel(s, x, y) != bg || pixel(s, s->w - 1 - x, y) != bg)
				return false;
	return true;
}

/* Rows in the band that hold something other than the background. */
static int
ink_rows(const SDL_Surface *s, Uint32 bg, int y0, int y1)
{
	int n = 0;
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < s->w; x++)
			if (pixel(s, x, y) != bg) {
				n++;
				break;
			}
	return n;
}

/* The rectangle of button id on the last frame (by where taps land, every
 * 2 px), or w 0 when it is not there. */
static SDL_Rect
button_rect(struct frame *fr, enum door_button id)
{
	SDL_Rect q = { fr->px->w, fr->px->h, 0, 0 };
	int x1 = -1, y1 = -1;
	for (int y = 0; y < fr->px->h; y += 2)
		for (int x = 0; x < fr->px->w; x += 2)
			if (render_hit(fr->rd, x, y, NULL) == id) {
				q.x = x < q.x ? x : q.x;
				q.y = y < q.y ? y : q.y;
				x1 = x > x1 ? x : x1;
				y1 = y > y1 ? y : y1;
			}
	if (x1 < 0)
		return (SDL_Rect){ 0, 0, 0, 0 };
	q.w = x1 - q.x + 1;
	q.h = y1 - q.y + 1;
	return q;
}

/* Nothing but bg in the rectangle x0..x1, y0..y1. */
static bool
clear_of_ink(const SDL_Surface *s, Uint32 bg, int x0, int y0, int x1, int y1)
{
	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < s->h; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < s->w; x++)
			if (pixel(s, x, y) != bg)
				return false;
	return true;
}

static struct door *
new_door(struct fx *f)
{
	struct door_config cfg = { 4000, false, false, 0, false, true, false };
	return door_new(&engine_ops, &f->eng, &cfg);
}

static void
test_idle(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "idle");
		assert_true(share(fr.px, 0x102A43) > 0.6);
		assert_true(margins_clear(fr.px, 0x102A43, sizes[i].h / 5, sizes[i].h * 3 / 5));
		assert_true(ink_rows(fr.px, 0x102A43, sizes[i].h / 5, sizes[i].h * 3 / 5) > 40);
		/* The search button is where a tap finds it. */
		int bx = -1, by = -1;
		for (int y = sizes[i].h - 1; y > sizes[i].h / 2 && bx < 0; y -= 4)
			for (int x = 0; x < sizes[i].w / 2; x += 4)
				if (render_hit(fr.rd, x, y, NULL) == DOOR_BTN_SEARCH) {
					bx = x;
					by = y;
					break;
				}
		assert_true(bx >= 0 && by >= 0);
		frame_free(&fr);
		door_free(d);
	}
}

static void
result_checks(struct fx *f, const char *code, const char *name, Uint32 bg,
    enum checkin_result want)
{
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		struct frame fr;
		door_scan(d, code, strlen(code), 100);
		struct door_view v;
		door_view(d, &v);
		assert_int_equal(v.outcome->result, want);
		draw(f, &fr, d, sizes[i].w, sizes[i].h, name);
		/* The result colour fills the screen. */
		double got = share(fr.px, bg);
		if (got < 0.6)
			fail_msg("%s at %dx%d: background covers %.0f%%", name, sizes[i].w, sizes[i].h,
			    got * 100);
		assert_true(margins_clear(fr.px, bg, 0, sizes[i].h * 3 / 4));
		frame_free(&fr);
		door_free(d);
		/* Each size sees the same first scan: undo the admission. */
		if (want == CHECKIN_ADMITTED) {
			struct checkin_outcome o;
			assert_int_equal(checkin_undo(f->base.s, code, "Door 1", 200, 0, &o, NULL), 0);
			checkin_outcome_clear(&o);
		}
	}
}

/* A sum of a frame's pixels, to tell two frames apart. */
static unsigned long
frame_sum(const SDL_Surface *s)
{
	unsigned long sum = 0;
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++)
			sum = sum * 31 + pixel(s, x, y);
	return sum;
}

/* The same of the rows y0 to y1 only (the status line left out). */
static unsigned long
band_sum(const SDL_Surface *s, int y0, int y1)
{
	unsigned long sum = 0;
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < s->w; x++)
			sum = sum * 31 + pixel(s, x, y);
	return sum;
}

static void
test_results(void **state)
{
	struct fx *f = *state;
	result_checks(f, "NOT-A-GUEST", "refused", 0x9E1B1B, CHECKIN_UNKNOWN);
	/* At a door whose list is short, "unknown" says so (and still fits). */
	draw_short = true;
	result_checks(f, "NOT-A-GUEST", "refused-short-list", 0x9E1B1B, CHECKIN_UNKNOWN);
	draw_short = false;
	unsigned long sums[2];
	for (int k = 0; k < 2; k++) {
		struct door *d = new_door(f);
		struct frame fr;
		door_scan(d, "NOT-A-GUEST", 11, 100);
		draw_short = k == 1;
		draw(f, &fr, d, 1280, 720, k ? "refused-short-list" : "refused");
		sums[k] = frame_sum(fr.px);
		frame_free(&fr);
		door_free(d);
	}
	draw_short = false;
	assert_true(sums[0] != sums[1]);
	/* Admit first (green), then the same code again is amber. */
	result_checks(f, f->zoe, "admitted", 0x1E8C45, CHECKIN_ADMITTED);
}

/* A code of this event that the door has not had (a walk-in registered at
 * another door while this one was offline): at a door that syncs, red says
 * so, for staff not to register the guest again; at a door alone, as any
 * unknown code. Both fit every size. */
static void
test_unknown_ticket_of_this_event(void **state)
{
	struct fx *f = *state;
	char *code = code_new(store_event(f->base.s)->tag);
	static const char *const links[] = { "standalone", "offline", "sync refused" };
	unsigned long sums[3];
	for (int k = 0; k < 3; k++) {
		draw_link = links[k];
		if (k < 2)
			result_checks(f, code, k ? "refused-ours-offline" : "refused-ours", 0x9E1B1B,
			    CHECKIN_UNKNOWN);
		struct door *d = new_door(f);
		struct frame fr;
		door_scan(d, code, strlen(code), 100);
		struct door_view v;
		door_view(d, &v);
		assert_true(v.outcome->ours);
		draw(f, &fr, d, 1280, 720, "refused-ours");
		sums[k] = band_sum(fr.px, 720 * 40 / 100, 720 * 60 / 100);
		frame_free(&fr);
		door_free(d);
	}
	draw_link = NULL;
	assert_true(sums[0] != sums[1]);
	/* a door the hub refuses will not get it: said as any unknown code */
	assert_true(sums[0] == sums[2]);
	free(code);
}

static void
test_already_and_long_name(void **state)
{
	struct fx *f = *state;
	struct door *d = new_door(f);
	door_scan(d, f->zoe, strlen(f->zoe), 100);
	door_free(d);
	result_checks(f, f->zoe, "already", 0xF2A900, CHECKIN_ALREADY);
	result_checks(f, f->longname, "longname", 0x1E8C45, CHECKIN_ADMITTED);
	/* a double-barrelled name with no space breaks after a hyphen */
	result_checks(f, f->hyphens, "hyphens", 0x1E8C45, CHECKIN_ADMITTED);
	/* First checked in two days ago: the line says the date, and fits. */
	struct checkin_policy pol = { 0 };
	struct checkin_outcome o;
	assert_int_equal(checkin_scan(f->base.s, f->hyphens, strlen(f->hyphens), "Door 2", &pol,
	    fixed_now() - 2 * 86400000LL, &o, NULL), 0);
	assert_int_equal(o.result, CHECKIN_ADMITTED);
	checkin_outcome_clear(&o);
	for (size_t i = 0; i < 3; i++) {
		struct door *again = new_door(f);
		struct frame fr;
		door_scan(again, f->hyphens, strlen(f->hyphens), 100);
		struct door_view v;
		door_view(again, &v);
		assert_int_equal(v.outcome->result, CHECKIN_ALREADY);
		assert_int_equal(v.outcome->first_at, fixed_now() - 2 * 86400000LL);
		draw(f, &fr, again, sizes[i].w, sizes[i].h, "already-days-ago");
		assert_true(margins_clear(fr.px, 0xF2A900, 0, sizes[i].h * 3 / 4));
		frame_free(&fr);
		door_free(again);
	}
}

/* The screens the render tests drive a door to, as staff and guests do. */
enum goal { GO_IDLE, GO_SEARCH, GO_CONFIRM, GO_WALKIN, GO_WALKIN_DONE, GO_ADMIN, GO_FAILED,
	GO_ADMITTED };

/* Drive d from idle to goal; code is the ticket GO_ADMITTED and GO_FAILED
 * scan. */
static void
drive(struct fx *f, struct door *d, enum goal goal, const char *code)
{
	switch (goal) {
	case GO_IDLE:
		break;
	case GO_SEARCH:
		door_text(d, "zo", 10);
		break;
	case GO_CONFIRM:
		door_text(d, "zo", 10);
		door_key(d, DOOR_KEY_ENTER, 20);
		break;
	case GO_WALKIN:
	case GO_WALKIN_DONE:
		door_key(d, DOOR_KEY_WALKIN, 10);
		door_text(d, "Inès", 20);
		if (goal == GO_WALKIN)
			break;
		door_key(d, DOOR_KEY_TAB, 30);
		door_text(d, "Dupont", 40);
		door_tap(d, DOOR_BTN_SAVE, 50);
		/* registered at the size before: "on the list already", and
		 * Register again registers her all the same */
		door_tap(d, DOOR_BTN_SAVE, 55);
		break;
	case GO_ADMIN:
		door_key(d, DOOR_KEY_ADMIN, 10);
		break;
	case GO_FAILED:
		/* the write fails: the red "not recorded" screen */
		sqlite3_exec(store_db(f->base.s), "PRAGMA query_only = 1", NULL, NULL, NULL);
		door_scan(d, code, strlen(code), 10);
		sqlite3_exec(store_db(f->base.s), "PRAGMA query_only = 0", NULL, NULL, NULL);
		break;
	case GO_ADMITTED:
		door_scan(d, code, strlen(code), 10);
		break;
	}
}

/* Rows of the band y0..y1 where some pixel is rgb. */
static int
rows_with(const SDL_Surface *s, Uint32 rgb, int y0, int y1)
{
	int n = 0;
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < s->w; x++)
			if (pixel(s, x, y) == rgb) {
				n++;
				break;
			}
	return n;
}

/* The bands of rows above height with a pixel of colour rgb (a line of
 * white buttons, of amber warnings), top to bottom, at most 8: each its
 * first row and the row after its last. Returns how many. */
static int
bands_of(const SDL_Surface *s, Uint32 rgb, int height, int band[8][2])
{
	int n = 0, start = -1;
	for (int y = 0; y < height && n < 8; y++) {
		bool has = rows_with(s, rgb, y, y + 1) > 0;
		if (has && start < 0) {
			start = y;
		} else if (!has && start >= 0) {
			band[n][0] = start;
			band[n][1] = y;
			n++;
			start = -1;
		}
	}
	return n;
}

static void
test_other_screens(void **state)
{
	struct fx *f = *state;
	static const struct { const char *name; enum goal goal; } screens[] = {
		{ "search", GO_SEARCH }, { "confirm", GO_CONFIRM }, { "walkin", GO_WALKIN },
		{ "walkin-done", GO_WALKIN_DONE }, { "admin", GO_ADMIN }, { "failed", GO_FAILED },
	};
	for (size_t k = 0; k < sizeof screens / sizeof screens[0]; k++) {
		for (size_t i = 0; i < 3; i++) {
			struct door *d = new_door(f);
			drive(f, d, screens[k].goal, f->zoe);
			struct frame fr;
			draw(f, &fr, d, sizes[i].w, sizes[i].h, screens[k].name);
			struct door_view v;
			door_view(d, &v);
			Uint32 bg = v.screen == DOOR_FAILED ? 0x9E1B1B : 0x102A43;
			assert_true(share(fr.px, bg) > 0.3);
			/* Nothing runs off the left or right edge. */
			assert_true(margins_clear(fr.px, bg, 0, sizes[i].h - 1));
			/* A guest checked in already is said so in amber before Yes,
			 * as in the list (not in the details' grey). */
			if (v.screen == DOOR_CONFIRM && v.hits[v.selected].checked_in)
				assert_true(rows_with(fr.px, 0xF2A900, 0, sizes[i].h) > 0);
			frame_free(&fr);
			door_free(d);
		}
	}
}

/* Rows of the band y0..y1 more than half of whose pixels are rgb: a
 * banner across the screen, not words in that colour. */
static int
rows_filled(const SDL_Surface *s, Uint32 rgb, int y0, int y1)
{
	int n = 0;
	for (int y = y0; y < y1; y++) {
		int k = 0;
		for (int x = 0; x < s->w; x++)
			k += pixel(s, x, y) == rgb;
		n += k * 2 > s->w;
	}
	return n;
}

/* A door that is also the hub says, in its admin menu, the address the
 * other laptops join (the organiser has no terminal open at the door), or
 * in amber that none can. */
static void
test_admin_says_where_doors_join(void **state)
{
	struct fx *f = *state;
	const char *const joins[] = { NULL, "http://192.168.1.10:8080, http://10.0.0.5:8080", "" };
	int ink5[3], amber5[3], ink6[3], amber6[3];
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		drive(f, d, GO_ADMIN, f->zoe);
		struct frame fr;
		draw_join = joins[i];
		draw(f, &fr, d, 1280, 720, i == 0 ? "admin-nohub" : i == 1 ? "admin-hub" :
		    "admin-hub-unreachable");
		draw_join = NULL;
		/* the fifth and sixth lines (from 13 units, 5.5 apart) */
		ink5[i] = ink_rows(fr.px, 0x102A43, 720 * 35 / 100, 720 * 40 / 100);
		amber5[i] = rows_with(fr.px, 0xF2A900, 720 * 35 / 100, 720 * 40 / 100);
		ink6[i] = ink_rows(fr.px, 0x102A43, 720 * 405 / 1000, 720 * 455 / 1000);
		amber6[i] = rows_with(fr.px, 0xF2A900, 720 * 405 / 1000, 720 * 455 / 1000);
		assert_true(margins_clear(fr.px, 0x102A43, 0, 719));
		frame_free(&fr);
		door_free(d);
	}
	/* no hub: the no-PIN warning (amber) is the fifth line, nothing after */
	assert_true(amber5[0] > 5);
	assert_int_equal(ink6[0], 0);
	/* serving with addresses: a white line of its own, the warning after */
	assert_true(ink5[1] > 5);
	assert_int_equal(amber5[1], 0);
	assert_true(amber6[1] > 5);
	/* serving where nobody can reach it: said in amber, the warning after */
	assert_true(amber5[2] > 5);
	assert_true(amber6[2] > 5);
}

/* An e-mail address asked again: the amber word sits over the title,
 * beside Back, and leaves every field in sight (across the middle it hid
 * the last name). */
static void
test_walkin_notice_leaves_the_fields(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		drive(f, d, GO_WALKIN, f->zoe);
		door_key(d, DOOR_KEY_TAB, 30);
		door_text(d, "Dupont", 40);
		door_key(d, DOOR_KEY_TAB, 50);
		door_text(d, "ines.dupont@gmail", 60);
		door_tap(d, DOOR_BTN_SAVE, 70);
		struct door_view v;
		door_view(d, &v);
		assert_string_equal(v.notice, "bad_email");
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "walkin-notice");
		double u = (sizes[i].w < sizes[i].h ? sizes[i].w : sizes[i].h) / 100.0;
		int fields = (int)(11.5 * u); /* the first field's top is 12 units down */
		assert_true(rows_with(fr.px, 0xF2A900, 0, fields) > 0);
		assert_int_equal(rows_with(fr.px, 0xF2A900, fields, sizes[i].h), 0);
		/* Back is still there to tap */
		assert_int_equal(render_hit(fr.rd, sizes[i].w - (int)(10 * u), (int)(5 * u), NULL),
		    DOOR_BTN_BACK);
		frame_free(&fr);
		door_free(d);
	}
}

/* More matches than fit above the keyboard: the row the arrow keys chose
 * is on screen (it was drawn off it, and Return then admitted a guest
 * nobody saw). */
static void
test_search_scrolls_to_the_choice(void **state)
{
	struct fx *f = *state;
	static const char *const last[] = { "Aerts", "Claes", "Dubois", "Janssens", "Maes",
	    "Peeters", "Wouters" };
	for (size_t i = 0; i < sizeof last / sizeof last[0]; i++) {
		struct guest_fields gf = { .first_name = "Jan", .last_name = last[i],
		    .company = "Bourgondisch Sponsorgroep" };
		struct guest g;
		assert_int_equal(guest_add_walkin(f->base.s, &gf, "Desk", &g, NULL), 0);
		guest_clear(&g);
	}
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		door_text(d, "jan", 10);
		for (int k = 0; k < DOOR_HITS - 1; k++)
			door_key(d, DOOR_KEY_DOWN, 20 + k);
		struct door_view v;
		door_view(d, &v);
		assert_int_equal(v.selected, DOOR_HITS - 1);
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "search-scrolled");
		/* The chosen row is drawn in the focus colour, below the box. */
		assert_true(rows_with(fr.px, 0x4FC3F7, sizes[i].h / 5, sizes[i].h) > sizes[i].h / 40);
		frame_free(&fr);
		door_free(d);
	}
}

/* "Please scan again" is an amber band that leaves the Search and Walk-in
 * buttons below it in sight (it covered them). */
static void
test_notice_leaves_the_buttons(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		door_broken_scan(d, 10);
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "notice");
		int w = sizes[i].w, h = sizes[i].h;
		float u = (float)(w < h ? w : h) / 100.0f;
		assert_true(share(fr.px, 0xF2A900) > 0.02);
		/* The middle of the Search button's row: no amber across it. */
		int y = h - (int)(u * 7) - (int)(u * 4.5f);
		for (int x = 0; x < w; x += 4)
			assert_int_not_equal(pixel(fr.px, x, y), 0xF2A900);
		frame_free(&fr);
		door_free(d);
	}
}

/* A door whose window lost the keyboard says so across the top of every
 * screen, in amber, over a notice there too; not when it has it. */
static void
test_keys_elsewhere_banner(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		int w = sizes[i].w, h = sizes[i].h;
		float u = (float)(w < h ? w : h) / 100.0f;
		struct door *d = new_door(f);
		struct frame fr;
		draw(f, &fr, d, w, h, "keys-here");
		assert_int_equal(rows_filled(fr.px, 0xF2A900, 0, (int)(u * 10)), 0);
		int gear_x = w - (int)(u * 5), gear_y = (int)(u * 4);
		assert_int_equal(render_hit(fr.rd, gear_x, gear_y, NULL), DOOR_BTN_ADMIN);
		frame_free(&fr);
		draw_keys_elsewhere = true;
		draw(f, &fr, d, w, h, "keys-elsewhere");
		draw_keys_elsewhere = false; /* before a failure skips the rest */
		assert_true(rows_filled(fr.px, 0xF2A900, 0, (int)(u * 10)) > (int)(u * 5));
		assert_int_equal(rows_filled(fr.px, 0xF2A900, (int)(u * 12), h), 0);
		/* A click on the banner, as it asks, opens no PIN pad through
		 * the admin corner it hides (it did); the buttons below it work. */
		assert_int_equal(render_hit(fr.rd, gear_x, gear_y, NULL), DOOR_BTN_NONE);
		assert_int_equal(render_hit(fr.rd, w / 2, 1, NULL), DOOR_BTN_NONE);
		bool below = false;
		for (int y = (int)(u * 12); y < h && !below; y += 4)
			for (int x = 0; x < w && !below; x += 4)
				below = render_hit(fr.rd, x, y, NULL) == DOOR_BTN_SEARCH;
		assert_true(below);
		frame_free(&fr);
		door_free(d);
		/* the admin screen's notice is at the top too, leaving Back
		 * (top right): the banner goes across it all */
		struct door_config cfg = { 4000, false, false, 0, false, true, false };
		d = door_new(&engine_ops, &f->eng, &cfg);
		drive(f, d, GO_ADMIN, f->zoe);
		door_broken_scan(d, 100);
		draw_keys_elsewhere = true;
		draw(f, &fr, d, w, h, "keys-elsewhere-admin");
		draw_keys_elsewhere = false;
		assert_int_equal(pixel(fr.px, w - (int)(u * 10), 1), 0xF2A900);
		/* nor leaves the admin screen through the Back it hides */
		assert_int_equal(render_hit(fr.rd, w - (int)(u * 10), (int)(u * 5), NULL),
		    DOOR_BTN_NONE);
		frame_free(&fr);
		door_free(d);
	}
}

/* On the PIN pad, Yes/No and admin, whose buttons reach down to the
 * bottom, a notice (a badge read badly meanwhile) covers the title, not
 * the pad's last row or Yes and No. */
static void
test_notice_leaves_the_pad_and_yes_no(void **state)
{
	struct fx *f = *state;
	static const struct { const char *name; enum goal goal; bool pin; } screens[] = {
		{ "notice-pin", GO_ADMIN, true }, { "notice-confirm", GO_CONFIRM, false },
		{ "notice-admin", GO_ADMIN, false },
	};
	for (size_t k = 0; k < sizeof screens / sizeof screens[0]; k++) {
		for (size_t i = 0; i < 3; i++) {
			struct door_config cfg = { 4000, false, false, 0, screens[k].pin, true, false };
			struct door *d = door_new(&engine_ops, &f->eng, &cfg);
			drive(f, d, screens[k].goal, f->zoe);
			door_broken_scan(d, 100);
			struct frame fr;
			draw(f, &fr, d, sizes[i].w, sizes[i].h, screens[k].name);
			int w = sizes[i].w, h = sizes[i].h;
			float u = (float)(w < h ? w : h) / 100.0f;
			assert_true(share(fr.px, 0xF2A900) > 0.01);
			/* The banner (admin's warning of no PIN, and the confirm
			 * screen's "checked in", are amber words) */
			if (rows_filled(fr.px, 0xF2A900, h / 4, h) != 0)
				fail_msg("%s at %dx%d: amber below the top quarter", screens[k].name,
				    w, h);
			/* and Back, top right on admin and the PIN pad, shows */
			if (screens[k].goal == GO_ADMIN &&
			    pixel(fr.px, w - (int)(u * 10), (int)(u * 5)) == 0xF2A900)
				fail_msg("%s at %dx%d: Back covered", screens[k].name, w, h);
			frame_free(&fr);
			door_free(d);
		}
	}
}

/* A red answer says what to do as well as what is wrong: a guest at an
 * unattended door, or one who reads no English name on a ticket, is not
 * left standing there. Below the reason, in the band above the status
 * line, is a line of text (the red screen had nothing there). */
static void
test_refusal_says_what_to_do(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		door_scan(d, "NOT-A-GUEST", 11, 100);
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "refused-next");
		int w = sizes[i].w, h = sizes[i].h;
		float u = (float)(w < h ? w : h) / 100.0f;
		/* Where the reason starts (as draw_result places it), then one line
		 * of it: the reason fits on one line at every size. */
		int top = (h > w ? (h - w) / 3 : (int)(u * 5)) + (int)(u * 25) + (int)(u * 9);
		int rows = rows_with(fr.px, 0xFFFFFF, top, h * 3 / 4);
		if (rows < h / 50)
			fail_msg("%dx%d: %d rows of text below the reason", sizes[i].w, h, rows);
		frame_free(&fr);
		door_free(d);
	}
}

/* The printer's word on a walk-in's badge comes while the walk-in's QR code
 * and "Check in now" are on screen: the amber band covers neither (it hid
 * the button and the bottom of the code). */
/* A name of six lines in portrait and two extra fields under it: above
 * Undo, not beside it under its edge ("Dietary needs: Vegetarian, no" ran
 * into the button, "nuts" under it). */
static void
test_long_result_stays_above_undo(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		door_scan(d, f->habsburg, strlen(f->habsburg), 10);
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "habsburg");
		SDL_Rect u = button_rect(&fr, DOOR_BTN_UNDO);
		assert_true(u.w > 0);
		/* (the status line, at the left, is beside it by design) */
		if (!clear_of_ink(fr.px, 0x1E8C45, sizes[i].w * 11 / 20, u.y - 4, u.x - 4, u.y + u.h))
			fail_msg("%dx%d: text beside Undo", sizes[i].w, sizes[i].h);
		/* and it is all there: the last field's line above the button */
		assert_true(ink_rows(fr.px, 0x1E8C45, u.y - sizes[i].h / 8, u.y - 4) > 0);
		frame_free(&fr);
		/* a kiosk name of 63 bytes: the status line ends in "…" before
		 * the middle, not under Undo */
		draw_kiosk = "Entrée principale du Palais des Congrès, côté Anspach 1";
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "habsburg-long-kiosk");
		draw_kiosk = NULL;
		u = button_rect(&fr, DOOR_BTN_UNDO);
		if (!clear_of_ink(fr.px, 0x1E8C45, sizes[i].w * 11 / 20, u.y - 4, u.x - 4,
		    u.y + u.h))
			fail_msg("%dx%d: the status line runs under Undo", sizes[i].w, sizes[i].h);
		frame_free(&fr);
		door_tap(d, DOOR_BTN_UNDO, 20); /* admitted anew at the next size */
		door_tap(d, DOOR_BTN_YES, 30);
		door_free(d);
	}
}

/* A walk-in of a long name at 1366x768 and 1024x600: their name and new
 * code above Check in now, nothing in the gap between it and Done (the
 * code was drawn there, across both). */
static void
test_long_walkin_done_stays_above_its_buttons(void **state)
{
	struct fx *f = *state;
	static const struct { int w, h; } small[] = { { 1366, 768 }, { 1024, 600 }, { 800, 1280 } };
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		door_key(d, DOOR_KEY_WALKIN, 10);
		door_text(d, "Maximilian Alexander", 20);
		door_key(d, DOOR_KEY_TAB, 30);
		door_text(d, "von und zu Liechtenstein-Habsburg", 40);
		door_tap(d, DOOR_BTN_SAVE, 50);
		door_tap(d, DOOR_BTN_SAVE, 55); /* on the list already, at the size before */
		struct frame fr;
		draw(f, &fr, d, small[i].w, small[i].h, "walkin-done-long");
		SDL_Rect yes = button_rect(&fr, DOOR_BTN_YES), done = button_rect(&fr, DOOR_BTN_BACK);
		assert_true(yes.w > 0 && done.w > 0);
		if (!clear_of_ink(fr.px, 0x102A43, yes.x, yes.y + yes.h + 2, yes.x + yes.w,
		    done.y - 2))
			fail_msg("%dx%d: something between Check in now and Done", small[i].w,
			    small[i].h);
		frame_free(&fr);
		door_free(d);
	}
}

/* Three wrong PINs close the pad: how long for is said across the screen,
 * above the keys, in every size (in portrait its second line lay behind
 * 1 2 3, "wait 30 s" unseen). */
static void
test_pin_wait_is_above_the_keys(void **state)
{
	struct fx *f = *state;
	char *hash = NULL;
	assert_int_equal(secret_hash("2468", &hash, NULL), 0);
	f->eng.pin_hash = hash;
	static const struct { int w, h; } small[] = { { 800, 1280 }, { 1080, 1920 }, { 800, 480 } };
	for (size_t i = 0; i < 3; i++) {
		struct door_config cfg = { 4000, false, false, 0, true, true, false };
		struct door *d = door_new(&engine_ops, &f->eng, &cfg);
		door_key(d, DOOR_KEY_ADMIN, 10);
		for (uint32_t k = 0; k < 3; k++) {
			door_text(d, "1111", 20 + k * 10);
			door_key(d, DOOR_KEY_ENTER, 25 + k * 10);
		}
		struct door_view v;
		door_view(d, &v);
		assert_true(v.pin_wait_s > 0);
		struct frame fr;
		draw(f, &fr, d, small[i].w, small[i].h, "pin-wait");
		SDL_Rect k = button_rect(&fr, DOOR_BTN_PIN);
		assert_true(k.w > 0);
		/* amber text above the keys, none from their top down */
		long above = 0, below = 0;
		for (int y = 0; y < small[i].h; y++)
			for (int x = 0; x < small[i].w; x++)
				if (pixel(fr.px, x, y) == 0xF2A900 && y < k.y)
					above++;
				else if (pixel(fr.px, x, y) == 0xF2A900)
					below++;
		if (above == 0 || below > 0)
			fail_msg("%dx%d: %ld amber pixels above the keys, %ld among them", small[i].w,
			    small[i].h, above, below);
		frame_free(&fr);
		door_free(d);
	}
	f->eng.pin_hash = "";
	free(hash);
}

static void
test_printer_notice_leaves_walkin_done(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		door_key(d, DOOR_KEY_WALKIN, 10);
		door_text(d, "Wout", 20);
		door_key(d, DOOR_KEY_TAB, 30);
		door_text(d, "Claes", 40);
		door_tap(d, DOOR_BTN_SAVE, 50);
		door_tap(d, DOOR_BTN_SAVE, 55); /* on the list already, at the size before */
		door_notice(d, "Printer: cannot reach the print service at localhost", 60);
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "walkin-done-notice");
		int w = sizes[i].w, h = sizes[i].h;
		assert_true(share(fr.px, 0xF2A900) > 0.02);
		long covered = 0;
		for (int y = 0; y < h; y += 2)
			for (int x = 0; x < w; x += 2)
				if (render_hit(fr.rd, x, y, NULL) == DOOR_BTN_YES &&
				    pixel(fr.px, x, y) == 0xF2A900)
					covered++;
		if (covered > 0)
			fail_msg("%dx%d: the notice covers Check in now", w, h);
		/* Nor the code: white (its quiet zone) and black, no amber in the
		 * square around the middle of the QR code's column. */
		int qx = w < h ? w / 2 : w / 3;
		int qy0 = w < h ? (int)(w / 100.0f * 10) : h / 2 - h * 3 / 10;
		int qs = w < h ? w * 7 / 10 : h * 6 / 10;
		for (int y = qy0; y < qy0 + qs; y++)
			assert_int_not_equal(pixel(fr.px, qx, y), 0xF2A900);
		frame_free(&fr);
		door_free(d);
	}
}

/* The on-screen keyboard types what the walk-in form and the search ask
 * for on a touchscreen with no other keyboard: an e-mail address (@ and a
 * dot), a hyphenated or D'Hondt name, a ticket code's digits. Every key is
 * on screen, and the walk-in's Register button stays where a tap finds it. */
static void
test_keyboard_types_an_address(void **state)
{
	struct fx *f = *state;
	static const char *const want[] = { "@", ".", "-", "'", "0", "1", "5", "9", "Q", "M",
	    " ", "\b", "\n" };
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		door_key(d, DOOR_KEY_WALKIN, 10);
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "walkin-keys");
		bool seen[sizeof want / sizeof want[0]] = { false };
		bool save = false;
		for (int y = 0; y < sizes[i].h; y += 3)
			for (int x = 0; x < sizes[i].w; x += 3) {
				char key[8] = { 0 };
				enum door_button b = render_hit(fr.rd, x, y, key);
				save = save || b == DOOR_BTN_SAVE;
				if (b != DOOR_BTN_KEY)
					continue;
				for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
					seen[k] = seen[k] || strcmp(key, want[k]) == 0;
			}
		for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
			if (!seen[k])
				fail_msg("%dx%d: no key '%s' on the on-screen keyboard", sizes[i].w,
				    sizes[i].h, want[k]);
		assert_true(save);
		assert_true(margins_clear(fr.px, 0x102A43, 0, sizes[i].h - 1));
		frame_free(&fr);
		door_free(d);
	}
}

/* One button's extent in the last frame, found the way taps find it. */
struct target {
	enum door_button id;
	char key[8];
	int top, bottom;
};

/* The buttons of the last frame (at most n) and how tall each is where a
 * tap lands on it; returns how many there are. */
static int
targets(const struct frame *fr, struct target *t, int n)
{
	int count = 0;
	for (int y = 0; y < fr->px->h; y++)
		for (int x = 0; x < fr->px->w; x += 2) {
			char key[8] = { 0 };
			enum door_button b = render_hit(fr->rd, x, y, key);
			if (b == DOOR_BTN_NONE)
				continue;
			int i = 0;
			while (i < count && (t[i].id != b || strcmp(t[i].key, key) != 0))
				i++;
			if (i == count) {
				if (count == n)
					continue;
				t[count++] = (struct target){ b, { 0 }, y, y };
				memcpy(t[i].key, key, sizeof key);
			}
			t[i].bottom = y;
		}
	return count;
}

/* On the Raspberry Pi's 7" touchscreen (800x480) every button is at least
 * 40 px tall, about a fingertip: the on-screen keyboard's keys came out
 * 31 px once the digits row was added. The walk-in form keeps its four
 * fields and Register in reach above the keys. */
static void
test_touch_targets_on_a_small_screen(void **state)
{
	struct fx *f = *state;
	/* "pin": the admin key with a PIN set shows the PIN pad. */
	static const struct { const char *name; enum goal goal; bool pin; } screens[] = {
		{ "idle", GO_IDLE, false }, { "search", GO_SEARCH, false },
		{ "walkin", GO_WALKIN, false }, { "walkin-done", GO_WALKIN_DONE, false },
		{ "admin", GO_ADMIN, false }, { "pin", GO_ADMIN, true },
		{ "admitted", GO_ADMITTED, false },
	};
	/* A guest of this test's own, admitted with Undo on screen. */
	struct guest_fields gf = { .first_name = "Ruth", .last_name = "Smets" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &gf, "Desk", &g, NULL), 0);
	char code[64];
	snprintf(code, sizeof code, "%s", g.code);
	guest_clear(&g);
	for (size_t k = 0; k < sizeof screens / sizeof screens[0]; k++) {
		struct door_config cfg = { 4000, false, false, 0, screens[k].pin, true, false };
		struct door *d = door_new(&engine_ops, &f->eng, &cfg);
		drive(f, d, screens[k].goal, code);
		struct frame fr;
		draw(f, &fr, d, 800, 480, screens[k].name);
		struct target t[100];
		int n = targets(&fr, t, 100);
		if (n == 0)
			fail_msg("%s at 800x480: no buttons", screens[k].name);
		int fields = 0, keys = 0;
		bool save = false;
		for (int i = 0; i < n; i++) {
			int tall = t[i].bottom - t[i].top + 1;
			if (tall < 40)
				fail_msg("%s at 800x480: button %d '%s' is %d px tall", screens[k].name,
				    (int)t[i].id, t[i].key, tall);
			fields += t[i].id >= DOOR_BTN_FIELD0 && t[i].id < DOOR_BTN_FIELD0 + 4;
			keys += t[i].id == DOOR_BTN_KEY;
			save = save || t[i].id == DOOR_BTN_SAVE;
		}
		if (screens[k].goal == GO_WALKIN) {
			assert_int_equal(fields, 4);
			assert_true(save);
			assert_int_equal(keys, 10 + 10 + 9 + 9 + 5);
		}
		frame_free(&fr);
		door_free(d);
	}
}

/* A door whose database is damaged takes no scan: the idle screen is red
 * and says so, not "Scan your ticket" to a queue that learns it from the
 * first guest. */
static void
test_idle_on_a_damaged_database(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++) {
		struct door *d = new_door(f);
		struct frame fr;
		draw_damaged = true;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "idle-damaged");
		draw_damaged = false;
		assert_true(share(fr.px, 0x9E1B1B) > 0.6);
		assert_true(ink_rows(fr.px, 0x9E1B1B, sizes[i].h / 5, sizes[i].h * 3 / 5) > 40);
		frame_free(&fr);
		door_free(d);
	}
}

/* The hub refusing this door: the admin screen says so in its language, a
 * line more than the English reason alone, and the buttons stay clear. */
static void
test_admin_says_the_hub_refuses(void **state)
{
	struct fx *f = *state;
	struct door *d = new_door(f);
	drive(f, d, GO_ADMIN, f->zoe);
	struct frame plain, refused;
	draw_problems = "the hub refused (HTTP 401): unknown or revoked token: ask the "
	    "organiser for a new one (kiosk join)";
	draw(f, &plain, d, 1280, 720, "admin-problem");
	draw_refused = true;
	draw(f, &refused, d, 1280, 720, "admin-refused");
	/* on a portrait screen the warning and the reason wrap, none cut at
	 * the right edge */
	struct frame tall;
	draw(f, &tall, d, 800, 1280, "admin-refused");
	if (!margins_clear(tall.px, 0x102A43, 0, 1280))
		fail_msg("800x1280: a line of the admin screen runs off its edge");
	frame_free(&tall);
	draw_refused = false;
	draw_problems = NULL;
	assert_true(ink_rows(refused.px, 0x102A43, 0, 720) > ink_rows(plain.px, 0x102A43, 0, 720));
	struct target t[100];
	int n = targets(&refused, t, 100);
	bool quit = false;
	for (int k = 0; k < n; k++)
		quit = quit || t[k].id == DOOR_BTN_QUIT;
	assert_true(quit);
	frame_free(&plain);
	frame_free(&refused);
	door_free(d);
}

/* A Wi-Fi's login page answering for the hub: the admin screen says, in
 * the door's language, that the network wants a login, over what answered. */
static void
test_admin_says_the_network_wants_a_login(void **state)
{
	struct fx *f = *state;
	struct door *d = new_door(f);
	drive(f, d, GO_ADMIN, f->zoe);
	struct frame plain, portal;
	draw_problems = "http://192.168.1.10:8080 answered with a redirect to "
	    "http://login.venue.example/, not as the kiosk hub does";
	draw(f, &plain, d, 1280, 720, "admin-problem");
	draw_portal = true;
	draw(f, &portal, d, 1280, 720, "admin-portal");
	struct frame tall;
	draw(f, &tall, d, 800, 1280, "admin-portal");
	if (!margins_clear(tall.px, 0x102A43, 0, 1280))
		fail_msg("800x1280: a line of the admin screen runs off its edge");
	frame_free(&tall);
	draw_portal = false;
	draw_problems = NULL;
	assert_true(ink_rows(portal.px, 0x102A43, 0, 720) > ink_rows(plain.px, 0x102A43, 0, 720));
	frame_free(&plain);
	frame_free(&portal);
	door_free(d);
}

/* A door offline for a while says on its admin screen, in its language,
 * why the hub is not reached (or, reached, does not answer) and what to do: one amber line more than
 * "offline" alone, for each reason, whole (no line off the edge) and above
 * the buttons, which stay where a tap reaches them, at every size, on the
 * Pi's 800x480 too, in every language, under the no-PIN warning and
 * beside another problem. */
static void
test_admin_says_why_offline(void **state)
{
	struct fx *f = *state;
	static const char *const langs[] = { "en", "nl", "fr", "de" };
	static const struct { int w, h; } screens[] = { { 1920, 1080 }, { 1280, 720 },
		{ 800, 480 }, { 800, 1280 } };
	static const enum merge_unreached why[] = { MERGE_UNREACHED_SILENT, MERGE_UNREACHED_MDNS,
		MERGE_UNREACHED_DNS, MERGE_UNREACHED_PORT, MERGE_UNREACHED_PROXY,
		MERGE_UNREACHED_HUNG, MERGE_UNREACHED_CUT, MERGE_UNREACHED_HUB_FULL,
		MERGE_UNREACHED_HUB_FAILED, MERGE_UNREACHED_WANTS_HTTPS, MERGE_UNREACHED_WANTS_HTTP,
		MERGE_UNREACHED_BEHIND };
	static const char *const names[] = { "silent", "mdns", "dns", "port", "proxy", "hung",
		"cut", "hub_full", "hub_failed", "wants_https", "wants_http", "behind" };
	char failures[4096] = "";
	i18n_init("build/locale");
	draw_link = "offline";
	draw_problems = "No audio device: no sounds.";
	for (size_t l = 0; l < 4; l++) {
		i18n_set(i18n_index(langs[l]));
		for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
			int w = screens[i].w, h = screens[i].h;
			struct door *d = new_door(f);
			drive(f, d, GO_ADMIN, f->zoe);
			struct frame plain;
			draw_unreached = MERGE_UNREACHED_NONE;
			draw(f, &plain, d, w, h, "admin-offline");
			long amber0 = 0;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					amber0 += pixel(plain.px, x, y) == 0xF2A900;
			frame_free(&plain);
			for (size_t k = 0; k < sizeof why / sizeof why[0]; k++) {
				struct frame fr;
				char name[64];
				draw_unreached = why[k];
				snprintf(name, sizeof name, "admin-offline-%s-%s", names[k], langs[l]);
				draw(f, &fr, d, w, h, name);
				char what[256] = "";
				long amber = 0, below = 0;
				SDL_Rect mode = button_rect(&fr, DOOR_BTN_MODE);
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						if (pixel(fr.px, x, y) == 0xF2A900) {
							amber++;
							below += mode.w > 0 && y >= mode.y - 2;
						}
				if (amber < amber0 + 200)
					snprintf(what, sizeof what, "no line said (%ld amber pixels, %ld "
					    "without)", amber, amber0);
				else if (!margins_clear(fr.px, 0x102A43, 0, h * 3 / 4))
					snprintf(what, sizeof what, "a line runs off the edge");
				else if (below > 0)
					snprintf(what, sizeof what, "%ld amber pixels by the buttons", below);
				struct target t[100];
				int n = targets(&fr, t, 100);
				bool mode_b = false, sound = false, quit = false;
				for (int j = 0; j < n; j++) {
					mode_b = mode_b || t[j].id == DOOR_BTN_MODE;
					sound = sound || t[j].id == DOOR_BTN_SOUND;
					quit = quit || t[j].id == DOOR_BTN_QUIT;
				}
				if (what[0] == '\0' && (!mode_b || !sound || !quit))
					snprintf(what, sizeof what, "mode %d, sound %d, quit %d", mode_b, sound,
					    quit);
				if (what[0] != '\0') {
					size_t have = strlen(failures);
					snprintf(failures + have, sizeof failures - have, " %s %s %dx%d: %s;",
					    names[k], langs[l], w, h, what);
				}
				frame_free(&fr);
			}
			door_free(d);
		}
	}
	draw_unreached = MERGE_UNREACHED_NONE;
	draw_link = NULL;
	draw_problems = NULL;
	i18n_set(0);
	if (failures[0])
		fail_msg("the admin screen's advice on a hub not reached:%s", failures);
}

/* The admin screen at w x h has its Mode, Sound and Quit buttons where a
 * tap reaches them. */
static void
assert_admin_buttons(struct fx *f, int w, int h, const char *name)
{
	struct door *d = new_door(f);
	drive(f, d, GO_ADMIN, f->zoe);
	struct frame fr;
	draw(f, &fr, d, w, h, name);
	struct target t[100];
	int n = targets(&fr, t, 100);
	bool mode = false, sound = false, quit = false;
	for (int k = 0; k < n; k++) {
		mode = mode || t[k].id == DOOR_BTN_MODE;
		sound = sound || t[k].id == DOOR_BTN_SOUND;
		quit = quit || t[k].id == DOOR_BTN_QUIT;
	}
	if (!mode || !sound || !quit)
		fail_msg("%s at %dx%d: mode %d, sound %d, quit %d", name, w, h, mode, sound, quit);
	frame_free(&fr);
	door_free(d);
}

/* A door serving as the hub lists the other doors on its admin screen,
 * one silent for over a minute (or never heard from) in amber: the
 * volunteer at the hub's laptop sees a door cut off. Many doors stay above
 * the buttons, at every size, on an 800 x 480 screen too. */
static void
test_admin_lists_the_other_doors(void **state)
{
	struct fx *f = *state;
	static const struct render_kiosk calm[] = {
		{ "Door 2", 4, 0 }, { "Door 3", 12, 3 },
	};
	static const struct render_kiosk cut[] = {
		{ "Door 2", 4, 0 }, { "Door 3", 240, 37 }, { "Door 4", -1, -1 },
	};
	int amber[2];
	for (int k = 0; k < 2; k++) {
		struct door *d = new_door(f);
		drive(f, d, GO_ADMIN, f->zoe);
		struct frame fr;
		draw_join = "http://192.168.1.10:8080";
		draw_kiosks = k ? cut : calm;
		draw_nkiosks = k ? 3 : 2;
		draw(f, &fr, d, 1280, 720, k ? "admin-hub-door-cut" : "admin-hub-doors");
		/* below the sync line and the join line, above the buttons */
		amber[k] = rows_with(fr.px, 0xF2A900, 720 * 45 / 100, 720 * 70 / 100);
		frame_free(&fr);
		door_free(d);
	}
	assert_true(amber[1] > amber[0] + 10);
	struct render_kiosk many[12];
	for (int i = 0; i < 12; i++) {
		snprintf(many[i].name, sizeof many[i].name, "Entrance %d", i + 2);
		many[i].ago_s = i % 3 ? 5 : 300;
		many[i].waiting = i;
	}
	draw_kiosks = many;
	draw_nkiosks = 12;
	static const struct { int w, h; } all[] = { { 800, 480 }, { 1280, 720 }, { 800, 1280 } };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		assert_admin_buttons(f, all[i].w, all[i].h, "admin-hub-many-doors");
	draw_kiosks = NULL;
	draw_nkiosks = 0;
	draw_join = NULL;

	/* The quiet ones first, the rest as they came (by name). */
	struct render_kiosk order[5] = {
		{ "A", 3, 0 }, { "B", 200, 1 }, { "C", 5, 0 }, { "D", -1, -1 }, { "E", 61, 2 },
	};
	render_kiosks_order(order, 5);
	const char *want[] = { "B", "D", "E", "A", "C" };
	for (int i = 0; i < 5; i++)
		assert_string_equal(order[i].name, want[i]);
	assert_false(render_kiosk_quiet(&(struct render_kiosk){ "X", 60, 0 }));
}

/* A door's row on the hub's admin screen with a long name (63 bytes, the
 * most a name may have): the name is cut, the line stays its size, so
 * that "not in touch" is read at a glance. The whole line was shrunk to
 * half its size, and on a portrait screen cut before "not in touch". */
static void
test_admin_door_row_with_a_long_name(void **state)
{
	struct fx *f = *state;
	static const struct render_kiosk brief[] = { { "Door 2", 300, 4 } };
	static struct render_kiosk longer[1] = { { "", 300, 4 } };
	memset(longer[0].name, 'W', 63);
	static const struct { int w, h; } all[] = { { 800, 1280 }, { 800, 480 } };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		int rows[3];
		for (int k = 0; k < 3; k++) {
			struct door *d = new_door(f);
			drive(f, d, GO_ADMIN, f->zoe);
			struct frame fr;
			draw_kiosks = k == 0 ? NULL : k == 1 ? brief : longer;
			draw_nkiosks = k == 0 ? 0 : 1;
			draw(f, &fr, d, all[i].w, all[i].h, "admin-hub-door-long-name");
			/* the amber rows: the PIN warning, and the door's */
			rows[k] = rows_with(fr.px, 0xF2A900, 0, all[i].h);
			frame_free(&fr);
			door_free(d);
		}
		if ((rows[2] - rows[0]) * 4 < (rows[1] - rows[0]) * 3)
			fail_msg("at %dx%d a long name's row is %d px high, a short one's %d", all[i].w,
			    all[i].h, rows[2] - rows[0], rows[1] - rows[0]);
	}
	draw_kiosks = NULL;
	draw_nkiosks = 0;
}

/* Every admin button can be tapped, landscape and portrait: on a portrait
 * screen Sound lay under Quit, and a tap meant for it quit the kiosk. */
static void
test_admin_buttons_all_reachable(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < 3; i++)
		assert_admin_buttons(f, sizes[i].w, sizes[i].h, "admin-buttons");
}

/* The cap height of the first letter in box: the ink rows of the columns
 * from the first inked one to the next blank one. Ink is colour when is,
 * else anything but colour (a background). The letters measured begin
 * with a capital, so descenders are left out. */
static int
first_letter(const SDL_Surface *s, SDL_Rect box, Uint32 colour, bool is)
{
	int x0 = -1, x1 = -1;
	for (int x = box.x; x < box.x + box.w && x1 < 0; x++) {
		bool ink = false;
		for (int y = box.y; y < box.y + box.h && !ink; y++)
			ink = (pixel(s, x, y) == colour) == is;
		if (ink && x0 < 0)
			x0 = x;
		else if (!ink && x0 >= 0)
			x1 = x;
	}
	if (x0 < 0 || x1 < 0)
		return 0;
	int top = -1, bottom = -1;
	for (int y = box.y; y < box.y + box.h; y++)
		for (int x = x0; x < x1; x++)
			if ((pixel(s, x, y) == colour) == is) {
				top = top < 0 ? y : top;
				bottom = y;
				break;
			}
	return top < 0 ? 0 : bottom - top + 1;
}

/* The venue laptops' screens, typed on with their own keys: the search's
 * six results all show, with a tap target each and no on-screen key; on
 * a touchscreen (nothing typed on a real keyboard) the keyboard leaves
 * room for three at 1280x720, and at least that at 1366x768. */
static void
test_search_rows_without_the_onscreen_keyboard(void **state)
{
	struct fx *f = *state;
	static const struct { int w, h, keys, typed; } screens[] = {
		{ 1280, 720, 3, 6 }, { 1366, 768, 3, 6 }, { 1920, 1080, 3, 6 },
	};
	for (int i = 0; i < 8; i++) {
		char first[32];
		snprintf(first, sizeof first, "Sarah%c", 'a' + i);
		struct guest_fields gf = { .first_name = first, .last_name = "Van de Velde" };
		struct guest g;
		assert_int_equal(guest_add_walkin(f->base.s, &gf, "Door 2", &g, NULL), 0);
		guest_clear(&g);
	}
	char failures[1024] = "";
	for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
		for (int typed = 0; typed <= 1; typed++) {
			struct door *d = new_door(f);
			if (typed)
				door_keys_typed(d);
			door_text(d, "van de", 10);
			struct frame fr;
			draw(f, &fr, d, screens[i].w, screens[i].h,
			    typed ? "search-typed" : "search-touch");
			int rows = 0;
			for (int k = 0; k < DOOR_HITS; k++)
				rows += button_rect(&fr, DOOR_BTN_HIT0 + k).w > 0;
			bool keys = button_rect(&fr, DOOR_BTN_KEY).w > 0;
			int want = typed ? screens[i].typed : screens[i].keys;
			if (rows < want || keys == (bool)typed) {
				size_t have = strlen(failures);
				snprintf(failures + have, sizeof failures - have,
				    " %dx%d %s: %d rows, on-screen keys %s;", screens[i].w,
				    screens[i].h, typed ? "typed" : "touch", rows, keys ? "yes" : "no");
			}
			/* the box is a tap target: the keys back */
			if (button_rect(&fr, DOOR_BTN_QUERY).w == 0) {
				size_t have = strlen(failures);
				snprintf(failures + have, sizeof failures - have,
				    " %dx%d: the search box is no tap target;", screens[i].w,
				    screens[i].h);
			}
			frame_free(&fr);
			door_free(d);
		}
	}
	if (failures[0])
		fail_msg("search results on a venue laptop:%s", failures);
}

/* A search hit with a long name, ticket type and company, as staff see it
 * to tell two guests apart: the row's name and its detail line stay
 * readable (cut with "…" if need be), not shrunk until the detail is a
 * 7 px smear ("VIP All-Access Pass (Both Days + Dinner) · Internationale
 * Vereniging voor Communicatiewetenschappen en Digitale Media vzw" at
 * 1280x720). The detail's capital must be at least 1.2 % of the screen's
 * shorter side tall (its own size, 2.6 %, gives about 1.9 %), the name's
 * at least 2 % (its size, 4 %, gives about 2.9 %). */
static void
test_search_hit_of_a_long_guest_stays_readable(void **state)
{
	struct fx *f = *state;
	static const struct { int w, h; } screens[] = { { 1920, 1080 }, { 1280, 720 }, { 800, 480 },
		{ 1080, 1920 } };
	char failures[1024] = "";
	struct guest_fields gf = { .first_name = "Maximiliaan-Alexander Johannes",
	    .last_name = "van den Bossche-Vanderhaeghen de la Croix",
	    .ticket_type = "VIP All-Access Pass (Both Days + Dinner)",
	    .company = "Internationale Vereniging voor Communicatiewetenschappen en Digitale "
	    "Media vzw" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &gf, "Door 2", &g, NULL), 0);
	guest_clear(&g);
	for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
		struct door *d = new_door(f);
		door_text(d, "johannes", 10);
		struct door_view v;
		door_view(d, &v);
		assert_int_equal(v.nhits, 1);
		struct frame fr;
		draw(f, &fr, d, screens[i].w, screens[i].h, "search-long-hit");
		SDL_Rect row = button_rect(&fr, DOOR_BTN_HIT0);
		assert_true(row.w > 0);
		Uint32 bg = pixel(fr.px, row.x + 1, row.y + 1);
		float u = (float)(screens[i].w < screens[i].h ? screens[i].w : screens[i].h) / 100.0f;
		int split = row.y + (int)(u * 5.6f);
		int name = first_letter(fr.px, (SDL_Rect){ row.x + 2, row.y + 1, row.w - 4,
		    split - row.y - 1 }, bg, false);
		int detail = first_letter(fr.px, (SDL_Rect){ row.x + 2, split, row.w - 4,
		    row.y + row.h - 1 - split }, bg, false);
		if (name < (int)(u * 2) || detail < (int)(u * 1.2f)) {
			size_t have = strlen(failures);
			snprintf(failures + have, sizeof failures - have,
			    " %dx%d: name's capital %d px, detail's %d px;", screens[i].w, screens[i].h,
			    name, detail);
		}
		frame_free(&fr);
		door_free(d);
	}
	if (failures[0])
		fail_msg("a long guest's search hit is too small to read:%s", failures);
}

/* The second line of a search row: the ticket type and company; for rows
 * that read alike (two walk-ins of one name, no company), first what tells
 * them apart, for staff to ask the guest: the e-mail address, a walk-in's
 * time of registration. A row that reads like no other shows no e-mail
 * address (for a queue to read over staff's shoulder). */
static void
test_search_tells_namesakes_apart(void **state)
{
	(void)state;
	struct door_hit h[5];
	memset(h, 0, sizeof h);
	const char *names[] = { "Jan Peeters", "Jan Peeters", "Jan Peeters", "Zoë Çelik",
		"zoe celik" };
	const char *details[] = { "", "", "Student", "", "" };
	const char *emails[] = { "jan@peeters.be", "", "jp@example.org", "zoe@example.org",
		"zc@example.org" };
	const char *at[] = { "21:04", "21:30", "", "", "" };
	for (int i = 0; i < 5; i++) {
		snprintf(h[i].name, sizeof h[i].name, "%s", names[i]);
		snprintf(h[i].detail, sizeof h[i].detail, "%s", details[i]);
		snprintf(h[i].email, sizeof h[i].email, "%s", emails[i]);
		snprintf(h[i].walkin_at, sizeof h[i].walkin_at, "%s", at[i]);
	}
	char line[RENDER_HIT_DETAIL_MAX];
	render_hit_detail(h, 5, 0, line);
	assert_string_equal(line, "jan@peeters.be · walk-in, registered 21:04");
	render_hit_detail(h, 5, 1, line);
	assert_string_equal(line, "walk-in, registered 21:30");
	render_hit_detail(h, 5, 2, line);              /* a ticket type of its own */
	assert_string_equal(line, "Student");
	render_hit_detail(h, 5, 3, line);              /* alike, accents and case aside */
	assert_string_equal(line, "zoe@example.org");
	render_hit_detail(h, 4, 3, line);              /* alone: no address */
	assert_string_equal(line, "");
	snprintf(h[1].detail, sizeof h[1].detail, "Student");
	snprintf(h[2].walkin_at, sizeof h[2].walkin_at, "2026-06-29 18:00");
	render_hit_detail(h, 3, 1, line);
	assert_string_equal(line, "walk-in, registered 21:30 · Student");
	render_hit_detail(h, 3, 2, line);
	assert_string_equal(line, "jp@example.org · walk-in, registered 2026-06-29 18:00 · Student");
}

/* The "Check in this guest?" question says of a guest in already
 * "already checked in" (a bare "checked in" under the question read as
 * its answer); their row in the list keeps the short flag. */
static void
test_confirm_says_already_checked_in(void **state)
{
	(void)state;
	struct door_hit h;
	memset(&h, 0, sizeof h);
	assert_null(render_hit_flag(&h, true));
	h.checked_in = true;
	assert_string_equal(render_hit_flag(&h, true), "already checked in");
	assert_string_equal(render_hit_flag(&h, false), "checked in");
	h.cancelled = true;
	assert_string_equal(render_hit_flag(&h, true), "cancelled");
}

/* Two walk-ins Jan Peeters, no e-mail, registered the same minute: their
 * rows read alike even with the time; the end of each one's ticket code
 * tells them apart (the walk-in's screen showed it under the QR code). */
static void
test_search_tells_same_minute_walkins_apart(void **state)
{
	(void)state;
	struct door_hit h[3];
	memset(h, 0, sizeof h);
	const char *codes[] = { "SMD26-ABCDEFGHJKMN7KQ3", "SMD26-ABCDEFGHJKMN9XW2",
		"SMD26-ABCDEFGHJKMNPQR5" };
	const char *at[] = { "21:04", "21:04", "21:05" };
	for (int i = 0; i < 3; i++) {
		snprintf(h[i].name, sizeof h[i].name, "Jan Peeters");
		snprintf(h[i].code, sizeof h[i].code, "%s", codes[i]);
		snprintf(h[i].walkin_at, sizeof h[i].walkin_at, "%s", at[i]);
	}
	char a[RENDER_HIT_DETAIL_MAX], b[RENDER_HIT_DETAIL_MAX];
	render_hit_detail(h, 3, 0, a);
	render_hit_detail(h, 3, 1, b);
	assert_string_not_equal(a, b);
	assert_string_equal(a, "walk-in, registered 21:04 · ticket …7KQ3");
	assert_string_equal(b, "walk-in, registered 21:04 · ticket …9XW2");
	/* the one of another minute is told apart by it alone */
	render_hit_detail(h, 3, 2, a);
	assert_string_equal(a, "walk-in, registered 21:05");
}

/* The same from the guest list, on the screen: two walk-ins Lotte Claeys
 * registered at the door (one with an e-mail address) and one imported,
 * looked up by name: three rows that read differently. */
static void
test_search_screen_tells_walkins_apart(void **state)
{
	struct fx *f = *state;
	assert_int_equal(tu_import_csv(f->base.s, "First Name,Last Name,Email\n"
	    "Lotte,Claeys,lotte.claeys@example.org\n"), 0);
	struct guest_fields a = { .first_name = "Lotte", .last_name = "Claeys" };
	struct guest_fields b = { .first_name = "Lotte", .last_name = "Claeys",
	    .email = "jp@example.be" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &a, "Door 2", &g, NULL), 0);
	guest_clear(&g);
	assert_int_equal(guest_add_walkin(f->base.s, &b, "Door 2", &g, NULL), 0);
	guest_clear(&g);
	struct door *d = new_door(f);
	door_text(d, "claeys", 10);
	struct door_view v;
	door_view(d, &v);
	assert_int_equal(v.nhits, 3);
	char line[3][RENDER_HIT_DETAIL_MAX];
	int walkins = 0;
	for (int i = 0; i < 3; i++) {
		render_hit_detail(v.hits, v.nhits, i, line[i]);
		walkins += strstr(line[i], "walk-in, registered ") != NULL;
	}
	assert_int_equal(walkins, 2);
	assert_string_not_equal(line[0], line[1]);
	assert_string_not_equal(line[0], line[2]);
	assert_string_not_equal(line[1], line[2]);
	for (size_t i = 0; i < 3; i++) {
		struct frame fr;
		draw(f, &fr, d, sizes[i].w, sizes[i].h, "search-namesakes");
		frame_free(&fr);
	}
	door_free(d);
}

/* One letter and a space ("j ", an initial before the last name) is still
 * one letter to the search, which lists nobody yet: the screen says to type
 * more, as for "j", not "Nobody found" (which sends staff to register a
 * guest who is on the list). Below the search box the two frames are the
 * same. */
static void
test_search_one_letter_and_a_space_is_no_nobody_found(void **state)
{
	struct fx *f = *state;
	const char *typed[] = { "j", " " };
	struct frame fr[2];
	struct door *d = new_door(f);
	for (int i = 0; i < 2; i++) {
		door_text(d, typed[i], 10 + (uint32_t)i);
		draw(f, &fr[i], d, 1280, 720, i == 0 ? "search-one-letter" : "search-one-letter-space");
	}
	struct door_view v;
	door_view(d, &v);
	assert_int_equal(v.nhits, 0);
	long differ = 0;
	for (int y = 720 / 4; y < 720 / 2; y++)     /* under the box, above the keyboard */
		for (int x = 0; x < 1280; x++)
			differ += pixel(fr[0].px, x, y) != pixel(fr[1].px, x, y);
	frame_free(&fr[0]);
	frame_free(&fr[1]);
	door_free(d);
	assert_int_equal(differ, 0);
}

/* What an unknown code says, read from 2 m: the reason ("This code is not
 * on the guest list") is the headline, and "Please ask a member of staff"
 * is under it, smaller. On a portrait screen the reason was shrunk to one
 * line until it came out smaller than the line under it (34 px capitals
 * under 38 px ones at 1080x1920), with half the screen empty below. The
 * headline's capital must be at least as tall as the next line's, in
 * every language, at every size. */
static void
test_refusal_headline_is_not_smaller_than_the_line_under_it(void **state)
{
	struct fx *f = *state;
	static const char *const langs[] = { "en", "nl", "fr", "de" };
	static const struct { int w, h; } screens[] = { { 1920, 1080 }, { 1280, 720 }, { 800, 480 },
		{ 800, 1280 }, { 1080, 1920 } };
	char failures[2048] = "";
	i18n_init("build/locale");
	for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++)
		for (size_t l = 0; l < 4; l++) {
			i18n_set(i18n_index(langs[l]));
			struct door *d = new_door(f);
			door_scan(d, "NOT-A-GUEST", 11, 100);
			struct frame fr;
			char name[64];
			snprintf(name, sizeof name, "refused-headline-%s", langs[l]);
			draw(f, &fr, d, screens[i].w, screens[i].h, name);
			/* bands of rows with white in them, down to 3/4 of the
			 * screen: the icon, the reason (one line or more), the
			 * line under it (its first letter a capital, as the
			 * reason's) */
			int band[8][2];
			int n = bands_of(fr.px, 0xFFFFFF, fr.px->h * 3 / 4, band);
			assert_true(n >= 3);
			int head = first_letter(fr.px, (SDL_Rect){ 0, band[1][0], fr.px->w,
			    band[1][1] - band[1][0] }, 0xFFFFFF, true);
			int next = first_letter(fr.px, (SDL_Rect){ 0, band[n - 1][0], fr.px->w,
			    band[n - 1][1] - band[n - 1][0] }, 0xFFFFFF, true);
			if (head < next) {
				size_t have = strlen(failures);
				snprintf(failures + have, sizeof failures - have,
				    " %s %dx%d: reason %d px, next line %d px;", langs[l], screens[i].w,
				    screens[i].h, head, next);
			}
			frame_free(&fr);
			door_free(d);
		}
	i18n_set(0);
	if (failures[0])
		fail_msg("the reason is smaller than the line under it:%s", failures);
}

/* Relative luminance (WCAG) of an sRGB colour 0xRRGGBB. */
static double
luminance(Uint32 rgb)
{
	double c[3];
	for (int i = 0; i < 3; i++) {
		double v = (double)((rgb >> (16 - 8 * i)) & 0xFF) / 255.0;
		c[i] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* To a red-green colour-blind guest (one man in twelve) the admitted
 * green and the refused red are one olive: they must differ in lightness
 * (the backgrounds test_results finds on screen: 1.11:1 before, as good as
 * the same). And white stays readable on each. */
static void
test_green_and_red_differ_in_lightness(void **state)
{
	(void)state;
	double green = luminance(0x1E8C45), red = luminance(0x9E1B1B), white = 1.0;
	assert_true((green + 0.05) / (red + 0.05) >= 1.7);
	assert_true((white + 0.05) / (green + 0.05) >= 4.0);
	assert_true((white + 0.05) / (red + 0.05) >= 4.5);
}

/* The first letter of the label inside button id, 5 px in from its
 * outline (labels here begin with a capital: M, S, G, T); -1 when there
 * is no such button. */
static int
label_letter(struct frame *fr, enum door_button id, Uint32 bg)
{
	SDL_Rect q = button_rect(fr, id);
	if (q.w == 0)
		return -1;
	return first_letter(fr->px, (SDL_Rect){ q.x + 5, q.y + 5, q.w - 10, q.h - 10 }, bg, false);
}

/* A door with no audio device says so on the admin menu's Sound button. On
 * the Pi's 800x480 screen, in Dutch and French, "Geluid: geen apparaat" and
 * "Son : aucun périphérique" came out at the 8 px floor beside "Modus:
 * ingang" at twice that: unreadable, with room to spare on the row. The
 * Sound label's capital must be at least 60 % of Mode's, and 8 px at least
 * (the cap of the status line's 12 px text). */
static void
test_admin_sound_label_is_readable(void **state)
{
	struct fx *f = *state;
	static const char *const langs[] = { "en", "nl", "fr", "de" };
	static const struct { int w, h; } screens[] = { { 800, 480 }, { 1280, 720 }, { 1080, 1920 } };
	char failures[1024] = "";
	i18n_init("build/locale");
	for (size_t s = 0; s < 3; s++)
		for (size_t l = 0; l < 4; l++) {
			i18n_set(i18n_index(langs[l]));
			struct door *d = new_door(f);
			drive(f, d, GO_ADMIN, f->zoe);
			struct frame fr;
			draw_no_audio = true;
			char name[64];
			snprintf(name, sizeof name, "admin-no-audio-%s", langs[l]);
			draw(f, &fr, d, screens[s].w, screens[s].h, name);
			draw_no_audio = false;
			int mode = label_letter(&fr, DOOR_BTN_MODE, 0x243B53);
			int sound = label_letter(&fr, DOOR_BTN_SOUND, 0x243B53);
			if (mode <= 0 || sound * 10 < mode * 6 || sound < 8) {
				size_t have = strlen(failures);
				snprintf(failures + have, sizeof failures - have,
				    " %s %dx%d: Sound's capital %d px, Mode's %d px;", langs[l],
				    screens[s].w, screens[s].h, sound, mode);
			}
			frame_free(&fr);
			door_free(d);
		}
	i18n_set(0);
	if (failures[0])
		fail_msg("the Sound button's label is too small:%s", failures);
}

/* Left and right ends of the ink (not bg) in rows y0..y1; false when none. */
static bool
ink_span(const SDL_Surface *s, Uint32 bg, int y0, int y1, int *x0, int *x1)
{
	*x0 = s->w;
	*x1 = -1;
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < s->w; x++)
			if (pixel(s, x, y) != bg) {
				if (x < *x0)
					*x0 = x;
				if (x > *x1)
					*x1 = x;
			}
	return *x1 >= 0;
}

/* A guest early at an entrance that opens later today is told the hour
 * ("Opens at 20:00"), as staff say it, not a date and hour that read as
 * another day; one that opens tomorrow gets the date. The line is the one
 * above "Please ask a member of staff", the last two bands of text. */
static void
test_too_early_says_the_hour_today(void **state)
{
	struct fx *f = *state;
	static const int64_t opens[] = { 60 * 60000LL, 25 * 60 * 60000LL }; /* ahead of now */
	static const struct { int w, h; } screens[] = { { 1366, 768 }, { 1080, 1920 } };
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	for (size_t s = 0; s < 2; s++) {
		int width[2];
		for (int k = 0; k < 2; k++) {
			f->eng.policy.open_from = fixed_now() + opens[k];
			struct door *d = new_door(f);
			door_scan(d, f->zoe, strlen(f->zoe), 100);
			struct door_view v;
			door_view(d, &v);
			assert_int_equal(v.outcome->result, CHECKIN_TOO_EARLY);
			struct frame fr;
			draw(f, &fr, d, screens[s].w, screens[s].h, k ? "too-early-tomorrow" :
			    "too-early");
			/* bands of rows with ink, down to where the status line is */
			int band[10][2], n = 0, start = -1;
			for (int y = 0; y < fr.px->h * 9 / 10 && n < 10; y++) {
				int x0, x1;
				bool ink = ink_span(fr.px, 0x9E1B1B, y, y + 1, &x0, &x1);
				if (ink && start < 0)
					start = y;
				else if (!ink && start >= 0) {
					band[n][0] = start;
					band[n][1] = y;
					n++;
					start = -1;
				}
			}
			assert_true(n >= 3);
			int x0, x1;
			assert_true(ink_span(fr.px, 0x9E1B1B, band[n - 2][0], band[n - 2][1], &x0, &x1));
			width[k] = x1 - x0;
			frame_free(&fr);
			door_free(d);
		}
		/* "Opens at 20:00" is a good deal shorter than "Opens at
		 * 2026-07-01 20:00" */
		if (width[0] * 10 > width[1] * 8)
			fail_msg("%dx%d: opening today %d px wide, tomorrow %d px: today's has a date",
			    screens[s].w, screens[s].h, width[0], width[1]);
	}
	f->eng.policy.open_from = 0;
}

/* Bands of rows with red's ink (0x9E1B1B: a red screen's text) above the
 * status line. */
static int
red_bands(const struct frame *fr)
{
	int n = 0;
	bool was = false;
	for (int y = 0; y < fr->px->h * 9 / 10; y++) {
		int x0, x1;
		bool ink = ink_span(fr->px, 0x9E1B1B, y, y + 1, &x0, &x1);
		n += ink && !was;
		was = ink;
	}
	return n;
}

/* A day ticket on another day ([checkin] ticket_days): the red screen says
 * the day it is for ("Valid on 2026-07-01"), a line a wrong entrance's
 * screen does not have, so the guest knows to come back then rather than
 * look for another door. */
static void
test_wrong_day_says_the_day(void **state)
{
	struct fx *f = *state;
	static const char *const days[] = { "Student: 2026-07-01" };
	static const char *const speakers[] = { "Speaker" };
	assert_int_equal(ktime_set_zone("Europe/Brussels", NULL), 0);
	int bands[2];
	for (int k = 0; k < 2; k++) {
		if (k == 0) {
			f->eng.policy.ticket_days = days;
			f->eng.policy.n_ticket_days = 1;
		} else {
			f->eng.policy.admit_types = speakers;
			f->eng.policy.n_admit_types = 1;
		}
		struct door *d = new_door(f);
		door_scan(d, f->zoe, strlen(f->zoe), 100);
		struct door_view v;
		door_view(d, &v);
		assert_int_equal(v.outcome->result, k == 0 ? CHECKIN_WRONG_DAY : CHECKIN_WRONG_DOOR);
		struct frame fr;
		draw(f, &fr, d, 1366, 768, k == 0 ? "wrong-day" : "wrong-door");
		bands[k] = red_bands(&fr);
		frame_free(&fr);
		door_free(d);
		f->eng.policy.ticket_days = NULL;
		f->eng.policy.n_ticket_days = 0;
		f->eng.policy.admit_types = NULL;
		f->eng.policy.n_admit_types = 0;
	}
	if (bands[0] != bands[1] + 1)
		fail_msg("wrong day: %d lines, wrong entrance: %d: no day said", bands[0], bands[1]);
}

/* The admin menu's warnings in every language at one size, read by the
 * volunteer at the laptop: "No admin PIN is set" in French ("Aucun code PIN
 * admin n'est défini : tout le monde peut ouvrir ce menu...") was shrunk to
 * fit one line, to about two thirds of the warning under it (no audio
 * device), the smallest text on the screen. The first warning's capital is
 * as tall as the last one's, within a tenth. */
static void
test_admin_warnings_one_size(void **state)
{
	struct fx *f = *state;
	static const char *const langs[] = { "en", "nl", "fr", "de" };
	static const struct { int w, h; } screens[] = { { 1920, 1080 }, { 1366, 768 },
		{ 1024, 600 }, { 1080, 1920 } };
	char failures[2048] = "";
	i18n_init("build/locale");
	draw_problems = "No audio device: no sounds.";
	for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++)
		for (size_t l = 0; l < 4; l++) {
			i18n_set(i18n_index(langs[l]));
			struct door *d = new_door(f);
			drive(f, d, GO_ADMIN, f->zoe);
			struct frame fr;
			char name[64];
			snprintf(name, sizeof name, "admin-warnings-%s", langs[l]);
			draw(f, &fr, d, screens[i].w, screens[i].h, name);
			/* bands of rows with amber: the PIN warning's first line
			 * first, the audio device's last */
			int band[8][2];
			int n = bands_of(fr.px, 0xF2A900, fr.px->h, band);
			assert_true(n >= 2);
			int pin = first_letter(fr.px, (SDL_Rect){ 0, band[0][0], fr.px->w,
			    band[0][1] - band[0][0] }, 0xF2A900, true);
			int audio = first_letter(fr.px, (SDL_Rect){ 0, band[n - 1][0], fr.px->w,
			    band[n - 1][1] - band[n - 1][0] }, 0xF2A900, true);
			if (pin * 10 < audio * 9) {
				size_t have = strlen(failures);
				snprintf(failures + have, sizeof failures - have,
				    " %s %dx%d: PIN warning's capital %d px, audio's %d px;", langs[l],
				    screens[i].w, screens[i].h, pin, audio);
			}
			frame_free(&fr);
			door_free(d);
		}
	draw_problems = NULL;
	i18n_set(0);
	if (failures[0])
		fail_msg("an admin warning is smaller than the others:%s", failures);
}

/* The confirm screen for a guest of a long name and ticket type who is in
 * already, as staff see it after picking them: all it says ends above Yes
 * and No, the amber "checked in" too (at 1024x600 the name's third line,
 * the details and the flag lay behind the buttons: Yes was tapped on a
 * guest the screen had warned about out of sight). */
static void
test_confirm_stays_above_yes_and_no(void **state)
{
	struct fx *f = *state;
	static const struct { int w, h; } screens[] = { { 1024, 600 }, { 800, 480 },
		{ 1366, 768 }, { 800, 1280 }, { 1080, 1920 } };
	char failures[2048] = "";
	struct guest_fields gf = { .first_name = "Maria-Theresia Walburga Amalia Christina",
	    .last_name = "von Habsburg-Lothringen de Bourbon-Parme",
	    .ticket_type = "VIP All-Access Pass (Both Days + Dinner)",
	    .company = "Internationale Vereniging voor Communicatiewetenschappen" };
	struct guest g;
	assert_int_equal(guest_add_walkin(f->base.s, &gf, "Door 2", &g, NULL), 0);
	struct door *in = new_door(f);
	door_scan(in, g.code, strlen(g.code), 10);
	door_free(in);
	guest_clear(&g);
	for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
		struct door *d = new_door(f);
		door_text(d, "walburga", 10);
		door_key(d, DOOR_KEY_ENTER, 20);
		struct door_view v;
		door_view(d, &v);
		assert_int_equal(v.screen, DOOR_CONFIRM);
		assert_true(v.hits[v.selected].checked_in);
		struct frame fr;
		draw(f, &fr, d, screens[i].w, screens[i].h, "confirm-long");
		SDL_Rect yes = button_rect(&fr, DOOR_BTN_YES), no = button_rect(&fr, DOOR_BTN_NO);
		assert_true(yes.w > 0 && no.w > 0);
		int top = yes.y < no.y ? yes.y : no.y;
		/* the flag, said, and nothing but the buttons' own ink from
		 * just above them down */
		int said = rows_with(fr.px, 0xF2A900, 0, top - 2);
		int under = rows_with(fr.px, 0xF2A900, top - 2, screens[i].h);
		int grey = rows_with(fr.px, 0xB0BEC5, top - 2, screens[i].h);
		if (said == 0 || under > 0 || grey > 0) {
			size_t have = strlen(failures);
			snprintf(failures + have, sizeof failures - have,
			    " %dx%d: %d rows of the flag above the buttons, %d at or under them, %d "
			    "of details;", screens[i].w, screens[i].h, said, under, grey);
		}
		frame_free(&fr);
		door_free(d);
	}
	if (failures[0])
		fail_msg("the confirm screen runs behind Yes and No:%s", failures);
}

/* The Mode and Quit buttons' labels beside Sound's, on a netbook and the
 * Pi's screen: "Modus: ingang", "Mode : entrée" and "Quitter la borne" were
 * shrunk to fit a fifth of the width while "Geluid: uit" beside them kept
 * its size, two sizes of label on one row. Their capitals must be nine
 * tenths of Sound's at least. */
static void
test_admin_labels_as_large_as_sound(void **state)
{
	struct fx *f = *state;
	static const char *const langs[] = { "en", "nl", "fr", "de" };
	static const struct { int w, h; } screens[] = { { 1024, 600 }, { 800, 480 }, { 1366, 768 },
		{ 1080, 1920 } };
	char failures[2048] = "";
	i18n_init("build/locale");
	for (size_t s = 0; s < sizeof screens / sizeof screens[0]; s++)
		for (size_t l = 0; l < 4; l++) {
			i18n_set(i18n_index(langs[l]));
			struct door *d = new_door(f);
			drive(f, d, GO_ADMIN, f->zoe);
			struct frame fr;
			char name[64];
			snprintf(name, sizeof name, "admin-mode-%s", langs[l]);
			draw(f, &fr, d, screens[s].w, screens[s].h, name);
			int mode = label_letter(&fr, DOOR_BTN_MODE, 0x243B53);
			int sound = label_letter(&fr, DOOR_BTN_SOUND, 0x243B53);
			int quit = label_letter(&fr, DOOR_BTN_QUIT, 0x9E1B1B);
			if (mode * 10 < sound * 9 || quit * 10 < sound * 9) {
				size_t have = strlen(failures);
				snprintf(failures + have, sizeof failures - have,
				    " %s %dx%d: Mode's capital %d px, Quit's %d px, Sound's %d px;",
				    langs[l], screens[s].w, screens[s].h, mode, quit, sound);
			}
			frame_free(&fr);
			door_free(d);
		}
	i18n_set(0);
	if (failures[0])
		fail_msg("a button's label is smaller than Sound's:%s", failures);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: later tests register more guests of the same name */
		cmocka_unit_test(test_search_hit_of_a_long_guest_stays_readable),
		cmocka_unit_test(test_search_rows_without_the_onscreen_keyboard),
		cmocka_unit_test(test_refusal_headline_is_not_smaller_than_the_line_under_it),
		cmocka_unit_test(test_green_and_red_differ_in_lightness),
		cmocka_unit_test(test_admin_sound_label_is_readable),
		cmocka_unit_test(test_admin_labels_as_large_as_sound),
		cmocka_unit_test(test_admin_warnings_one_size),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_unknown_ticket_of_this_event),
		cmocka_unit_test(test_already_and_long_name),
		cmocka_unit_test(test_other_screens),
		cmocka_unit_test(test_admin_says_where_doors_join),
		cmocka_unit_test(test_admin_buttons_all_reachable),
		cmocka_unit_test(test_admin_lists_the_other_doors),
		cmocka_unit_test(test_admin_door_row_with_a_long_name),
		cmocka_unit_test(test_idle_on_a_damaged_database),
		cmocka_unit_test(test_admin_says_the_hub_refuses),
		cmocka_unit_test(test_admin_says_the_network_wants_a_login),
		cmocka_unit_test(test_admin_says_why_offline),
		cmocka_unit_test(test_walkin_notice_leaves_the_fields),
		cmocka_unit_test(test_search_scrolls_to_the_choice),
		cmocka_unit_test(test_notice_leaves_the_buttons),
		cmocka_unit_test(test_notice_leaves_the_pad_and_yes_no),
		cmocka_unit_test(test_keys_elsewhere_banner),
		cmocka_unit_test(test_keyboard_types_an_address),
		cmocka_unit_test(test_refusal_says_what_to_do),
		cmocka_unit_test(test_printer_notice_leaves_walkin_done),
		cmocka_unit_test(test_long_result_stays_above_undo),
		cmocka_unit_test(test_pin_wait_is_above_the_keys),
		cmocka_unit_test(test_long_walkin_done_stays_above_its_buttons),
		cmocka_unit_test(test_touch_targets_on_a_small_screen),
		cmocka_unit_test(test_too_early_says_the_hour_today),
		cmocka_unit_test(test_wrong_day_says_the_day),
		cmocka_unit_test(test_confirm_stays_above_yes_and_no),
		/* last: they add guests of one name, one by import */
		cmocka_unit_test(test_search_one_letter_and_a_space_is_no_nobody_found),
		cmocka_unit_test(test_search_tells_namesakes_apart),
		cmocka_unit_test(test_search_screen_tells_walkins_apart),
		cmocka_unit_test(test_search_tells_same_minute_walkins_apart),
		cmocka_unit_test(test_confirm_says_already_checked_in),
	};
	return cmocka_run_group_tests_name("render", tests, setup, teardown);
}
