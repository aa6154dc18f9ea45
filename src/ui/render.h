/* render: draw the door's view with SDL, and map taps back to buttons.
 *
 * Everything is sized from one unit, a hundredth of the window's shorter
 * side, so the same layout serves 1280x720, 4K and a portrait tablet, with
 * a floor for what a finger taps (40 px, on the Pi's 800x480 screen); text
 * that would not fit shrinks, then wraps, and is never cut off. Results
 * differ in shape as well as colour (a circle with a tick, a triangle with
 * an exclamation mark, an octagon with a cross) for colour-blind guests.
 * The renderer reads the view only; the buttons it drew in the last frame
 * are what render_hit() tests a tap against. */
#ifndef KIOSK_RENDER_H
#define KIOSK_RENDER_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/device.h"
#include "core/merge.h"
#include "ui/door.h"
#include "ui/text.h"

/* Another door, as a door serving as the hub last heard from it. */
struct render_kiosk {
	char name[DEVICE_LABEL_MAX];    /* device_label */
	int ago_s;                      /* since its last sync; -1: never */
	int waiting;                    /* records it said it had then; -1: not said */
};

/* Whether the hub last heard from k over a minute ago, or never. */
bool render_kiosk_quiet(const struct render_kiosk *k);

/* Order k[0..n) for the admin screen: those gone quiet first, each part in
 * the order given (by name): with more doors than the screen has room for,
 * a door cut off is not among those left out. */
void render_kiosks_order(struct render_kiosk *k, int n);

/* The second line of row i of a search's hits[0..n), into out: the ticket
 * type and company; for a guest another row reads alike (the same name and
 * line: two walk-ins "Jan Peeters" with no company), first what tells them
 * apart, for staff to ask the guest: the e-mail address, and for a walk-in
 * when they were registered, and when even that is the same (no e-mail,
 * registered the same minute) the last characters of their ticket code.
 * Only then: a search shows no one's e-mail address for a queue to read
 * over staff's shoulder. */
/* What the door says of a search's guest h, or NULL: "cancelled", or
 * "checked in" beside their row, "already checked in" on the question
 * to check them in (asked). A gettext string: not to be freed. */
const char *render_hit_flag(const struct door_hit *h, bool asked);

#define RENDER_HIT_DETAIL_MAX 800
void render_hit_detail(const struct door_hit *hits, int n, int i,
    char out[RENDER_HIT_DETAIL_MAX]);

/* What the screens show besides the door's state. */
struct render_info {
	const char *event_name;
	const char *kiosk_name;
	const char *link;               /* "standalone", "online", "offline" */
	int waiting;                    /* records waiting to sync */
	const char *const *show_fields; /* extra fields shown on an admission */
	size_t n_show_fields;
	const char *problems;           /* admin: what is wrong, or NULL */
	const char *join;               /* serving as the hub: the addresses doors join
	                                 * (", " between), "" when none; NULL when not */
	bool no_pin;                    /* no admin PIN configured */
	bool sync_refused;              /* the hub refuses this door (why: problems) */
	bool sync_untrusted;            /* this door cannot trust the hub (why: problems) */
	bool sync_portal;               /* the network wants a login first: a Wi-Fi's
	                                 * captive portal (what answered: problems) */
	enum merge_unreached unreached; /* the hub not reached for longer than a blip
	                                 * (merge_unreached_said): why, for the admin
	                                 * screen's advice; NONE: nothing said */
	bool damaged;                   /* the event database is damaged: no scan is
	                                 * recorded, and the idle screen says so */
	bool no_audio;                  /* no audio device: the sound button says so */
	bool list_short;                /* the guest list is not all here yet (a join
	                                 * cut short): "unknown" may be a valid ticket */
	bool keys_elsewhere;            /* the window lost the keyboard: a USB scanner's
	                                 * codes, and staff's typing, go to another window */
	const struct render_kiosk *kiosks; /* serving as the hub: the other doors */
	int nkiosks;
	SDL_Texture *preview;           /* camera preview, or NULL */
};

struct render;

struct render *render_new(SDL_Renderer *r, struct text *t);
void render_free(struct render *rd);

/* Draw one frame for view v at time now (ms, the door's clock). */
void render_frame(struct render *rd, const struct door_view *v, const struct render_info *info,
    uint32_t now);

/* Draw the screen of a door that cannot start (kiosk.conf that does not
 * load, no event database): red, "This door cannot check anyone in", and
 * why, in the words of the message kiosk prints. */
void render_fault(struct render *rd, const char *why);

/* The button under x, y in the last frame, DOOR_BTN_NONE when none (and
 * on the banner saying the keyboard is elsewhere, over the buttons at the
 * top: a click there takes the keyboard back, and nothing else). For an
 * on-screen key or PIN digit, key gets its text (at most 8 bytes). */
enum door_button render_hit(const struct render *rd, int x, int y, char key[8]);

#endif
