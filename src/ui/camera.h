/* camera: ticket codes from a webcam.
 *
 * Three layers, each testable alone:
 *  - camdec: decode one grey frame with zbar, QR codes only (3 to 4 times
 *    faster than every symbology, and a door only sees QR codes);
 *  - camdebounce: the same code held in front of the camera for many frames
 *    is one scan: a code counts once it is seen in two frames running, and
 *    again only after it has been out of sight for a while;
 *  - camera: a thread that captures frames with zbar's video layer
 *    (V4L2), decodes them with camdec, debounces, and hands the UI thread the
 *    scans and a small grey preview. A missing or unplugged camera is a
 *    status, never a crash; the thread retries every few seconds. */
#ifndef KIOSK_CAMERA_H
#define KIOSK_CAMERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/code.h"

/* One byte more than a ticket code may have: a longer text (a link with a
 * tracking token), cut here, is still too long and refused as such, never
 * read as the shorter code it was cut to. */
#define CAMERA_MAX_CODE (CODE_MAX_LEN + 1)

struct camdec;

/* A QR-only decoder; NULL only when zbar cannot allocate. */
struct camdec *camdec_new(void);
void camdec_free(struct camdec *d);

/* Decode a grey (Y800) frame: w x h pixels, stride bytes a row. Returns 1
 * and the first QR code's text in out (NUL-terminated, cut to outsz - 1),
 * or 0 when there is none. */
int camdec_decode(struct camdec *d, const uint8_t *grey, int w, int h, int stride,
    char *out, size_t outsz);

struct camdebounce {
	char last[CAMERA_MAX_CODE + 1];  /* code seen in the previous frame */
	int run;                          /* frames in a row it was seen */
	char fired[CAMERA_MAX_CODE + 1];  /* last code reported */
	uint32_t fired_seen_ms;           /* when the reported code was last seen */
};

#define CAMDEBOUNCE_FRAMES 2        /* frames in a row before a code counts */
#define CAMDEBOUNCE_GONE_MS 2000    /* out of sight this long: it may count again */

void camdebounce_init(struct camdebounce *b);
/* One frame's result (code NULL when none) at time now_ms. Returns true
 * when this frame makes a new scan of code. */
bool camdebounce_frame(struct camdebounce *b, const char *code, uint32_t now_ms);

struct camera;

enum camera_state {
	CAMERA_OFF,             /* no device configured */
	CAMERA_RUNNING,
	CAMERA_MISSING,         /* cannot open the device (unplugged, busy, not a camera) */
};

/* Start the capture thread on device (e.g. /dev/video0) at about w x h.
 * Never fails for a missing device: camera_state() says so and the thread
 * keeps trying. Returns NULL only when the thread cannot start. */
struct camera *camera_start(const char *device, int w, int h);
void camera_stop(struct camera *c);   /* joins the thread; NULL does nothing */

/* The next debounced scan, if any: copies it to code and returns true. */
bool camera_poll(struct camera *c, char *code, size_t n);

/* The latest frame, scaled to at most maxw x maxh grey pixels, into buf
 * (maxw * maxh bytes); returns false when there is none yet. Sets *w, *h
 * and bumps *serial when it is newer than the caller's. */
bool camera_preview(struct camera *c, uint8_t *buf, int maxw, int maxh, int *w, int *h,
    unsigned *serial);

enum camera_state camera_state(struct camera *c);
/* Plain words for the admin screen, in the door's language as of this call
 * (English without a catalogue): "camera /dev/video0: not found", the device
 * path as it is. Writes at most n bytes to buf and returns it. */
const char *camera_status(struct camera *c, char *buf, size_t n);

#endif
