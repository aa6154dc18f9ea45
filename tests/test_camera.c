/* Tests for camera: camdec on still frames (badge QR codes rendered with
 * libqrencode, then rotated, blurred, noisy, low contrast, small), the
 * debouncer, the per-frame step (queue and preview), and the capture thread
 * on devices that are not there (this machine has no webcam). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "ui/camera.h"
#include "ui/i18n.h"
#include "qrframe.h"
#include "ui/camera_private.h"

#define FW 640
#define FH 480

static const char OUR_CODE[] = "SMD26-7K3QX9M2TB4V8HCR5";
static const char EB_CODE[] = "4815162342108230001000001";   /* 25 digits */

/* --- frames ------------------------------------------------------------- */

static uint8_t *
frame_new(uint8_t scene)
{
	uint8_t *px = xmalloc(FW * FH);
	memset(px, scene, FW * FH);
	return px;
}

/* A badge held up in front of the camera (qrframe.h). */
static void
draw_qr(uint8_t *px, const char *text, double module, double cx, double cy, double deg,
    uint8_t dark, uint8_t light)
{
	assert_true(qrframe_draw(px, FW, FH, text, module, cx, cy, deg, dark, light));
}

/* A plain frame: the code large (7 px a module) in the middle. */
static uint8_t *
frame_code(const char *text, double deg)
{
	uint8_t *px = frame_new(110);
	draw_qr(px, text, 7, FW / 2.0, FH / 2.0, deg, 20, 235);
	return px;
}

/* Box blur, (2r+1) x (2r+1), edges clamped. */
static void
frame_blur(uint8_t *px, int r)
{
	uint8_t *tmp = xmalloc(FW * FH);
	for (int pass = 0; pass < 2; pass++) {
		const uint8_t *src = pass == 0 ? px : tmp;
		uint8_t *dst = pass == 0 ? tmp : px;
		for (int y = 0; y < FH; y++) {
			for (int x = 0; x < FW; x++) {
				int sum = 0;
				for (int k = -r; k <= r; k++) {
					int xx = pass == 0 ? x + k : x, yy = pass == 0 ? y : y + k;
					xx = xx < 0 ? 0 : xx >= FW ? FW - 1 : xx;
					yy = yy < 0 ? 0 : yy >= FH ? FH - 1 : yy;
					sum += src[yy * FW + xx];
				}
				dst[y * FW + x] = (uint8_t)(sum / (2 * r + 1));
			}
		}
	}
	free(tmp);
}

/* Gaussian noise (Box-Muller) of the given sigma, from a fixed seed. */
static void
frame_noise(uint8_t *px, double sigma, uint64_t seed)
{
	uint64_t s = seed;
	for (int i = 0; i < FW * FH; i++) {
		double u1 = rng_unit(&s), u2 = rng_unit(&s);
		if (u1 < 1e-12)
			u1 = 1e-12;
		double g = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
		long v = lround(px[i] + sigma * g);
		px[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

/* Decode a FW x FH frame; returns 1 and the text, or 0 (out left "<none>"). */
static int
decode(const uint8_t *px, char *out, size_t outsz)
{
	struct camdec *d = camdec_new();
	assert_non_null(d);
	snprintf(out, outsz, "<none>");
	int rc = camdec_decode(d, px, FW, FH, FW, out, outsz);
	camdec_free(d);
	return rc;
}

static void
assert_decodes(uint8_t *px, const char *want)
{
	char got[CAMERA_MAX_CODE + 1];
	int rc = decode(px, got, sizeof got);
	if (rc != 1 || strcmp(got, want) != 0)
		fail_msg("wanted \"%s\", decoded rc=%d \"%s\"", want, rc, got);
	free(px);
}

/* --- camdec ------------------------------------------------------------- */

static void
test_decode_plain(void **state)
{
	(void)state;
	assert_decodes(frame_code(OUR_CODE, 0), OUR_CODE);
	assert_decodes(frame_code(EB_CODE, 0), EB_CODE);
}

static void
test_decode_rotated_15(void **state)
{
	(void)state;
	assert_decodes(frame_code(OUR_CODE, 15), OUR_CODE);
	assert_decodes(frame_code(EB_CODE, -15), EB_CODE);
}

static void
test_decode_rotated_90(void **state)
{
	(void)state;
	assert_decodes(frame_code(OUR_CODE, 90), OUR_CODE);
	assert_decodes(frame_code(EB_CODE, 90), EB_CODE);
}

static void
test_decode_blurred(void **state)
{
	(void)state;
	uint8_t *px = frame_code(OUR_CODE, 0);
	frame_blur(px, 1);   /* 3 x 3 */
	assert_decodes(px, OUR_CODE);
	px = frame_code(OUR_CODE, 0);
	frame_blur(px, 2);   /* 5 x 5 */
	assert_decodes(px, OUR_CODE);
	px = frame_code(EB_CODE, 15);
	frame_blur(px, 2);
	assert_decodes(px, EB_CODE);
}

static void
test_decode_noisy(void **state)
{
	(void)state;
	uint8_t *px = frame_code(OUR_CODE, 0);
	frame_noise(px, 30, 42);
	assert_decodes(px, OUR_CODE);
	px = frame_code(EB_CODE, 15);
	frame_blur(px, 1);
	frame_noise(px, 20, 7);
	assert_decodes(px, EB_CODE);
}

static void
test_decode_low_contrast(void **state)
{
	(void)state;
	uint8_t *px = frame_new(120);
	draw_qr(px, OUR_CODE, 7, FW / 2.0, FH / 2.0, 0, 90, 150);
	assert_decodes(px, OUR_CODE);
	px = frame_new(120);
	draw_qr(px, EB_CODE, 7, FW / 2.0, FH / 2.0, 15, 90, 150);
	frame_noise(px, 8, 3);
	assert_decodes(px, EB_CODE);
}

/* A ticket on a phone in dark mode, or a PDF viewer's night mode: light
 * modules on a dark ground. */
static void
test_decode_inverted(void **state)
{
	(void)state;
	uint8_t *px = frame_new(30);
	draw_qr(px, OUR_CODE, 7, FW / 2.0, FH / 2.0, 0, 235, 20);
	assert_decodes(px, OUR_CODE);
	px = frame_new(40);
	draw_qr(px, EB_CODE, 7, FW / 2.0, FH / 2.0, 15, 220, 35);
	frame_noise(px, 8, 5);
	assert_decodes(px, EB_CODE);
}

static void
test_decode_off_centre_small(void **state)
{
	(void)state;
	uint8_t *px = frame_new(110);
	draw_qr(px, OUR_CODE, 4, 520, 380, 0, 20, 235);
	assert_decodes(px, OUR_CODE);
	px = frame_new(110);
	draw_qr(px, EB_CODE, 4, 90, 80, 10, 20, 235);
	assert_decodes(px, EB_CODE);
}

/* A frame inside a wider buffer (stride > width): the padding, filled with
 * a pattern, must not be read as picture. Codes used nowhere else, so that
 * memory left over from other tests cannot pass for a decode. */
static void
test_decode_stride(void **state)
{
	(void)state;
	enum { STRIDE = FW + 61 };
	static const char *const codes[3] = {
		"SMD26-STRIDE1", "SMD26-STRIDE2PACKED", "SMD26-STRIDE3",
	};
	struct camdec *d = camdec_new();
	assert_non_null(d);
	for (int k = 0; k < 3; k++) {
		uint8_t *px = frame_code(codes[k], 0);
		uint8_t *wide = xmalloc(STRIDE * FH);
		for (int y = 0; y < FH; y++) {
			memcpy(wide + y * STRIDE, px + y * FW, FW);
			for (int x = FW; x < STRIDE; x++)
				wide[y * STRIDE + x] = (uint8_t)((x ^ y) & 1 ? 0 : 255);
		}
		char got[CAMERA_MAX_CODE + 1] = "";
		if (k == 1)   /* the same decoder, packed in between */
			assert_int_equal(camdec_decode(d, px, FW, FH, FW, got, sizeof got), 1);
		else
			assert_int_equal(camdec_decode(d, wide, FW, FH, STRIDE, got, sizeof got), 1);
		assert_string_equal(got, codes[k]);
		free(wide);
		free(px);
	}
	camdec_free(d);
}

static void
test_decode_cut_to_outsz(void **state)
{
	(void)state;
	uint8_t *px = frame_code(OUR_CODE, 0);
	char got[6];
	assert_int_equal(decode(px, got, sizeof got), 1);
	/* cut, and marked so that it is no code of the cut's length */
	assert_string_equal(got, "SMD2~");
	free(px);
}

/* A text longer than a code, with white space before it: cut after the
 * white space and marked, it stays too long once trimmed (it was a
 * shorter code, the link's head, before). */
static void
test_decode_long_text_stays_too_long(void **state)
{
	(void)state;
	char text[320];
	int n = snprintf(text, sizeof text, "   https://x.example/c?code=");
	memset(text + n, 'A', sizeof text - 1 - (size_t)n);
	text[sizeof text - 1] = '\0';
	uint8_t *px = frame_code(text, 0);
	char got[CAMERA_MAX_CODE + 1];
	assert_int_equal(decode(px, got, sizeof got), 1);
	assert_int_equal(strlen(got), CAMERA_MAX_CODE);
	assert_int_equal(got[0], 'h');
	char *code = NULL;
	assert_int_equal(code_normalize(got, strlen(got), &code), CODE_TOO_LONG);
	free(px);
}

static void
test_decode_nothing(void **state)
{
	(void)state;
	/* A scene with a blank badge and some dark bars, but no code. */
	uint8_t *px = frame_new(110);
	for (int y = 120; y < 360; y++)
		for (int x = 200; x < 440; x++)
			px[y * FW + x] = (x / 12) % 3 == 0 ? 30 : 230;
	char got[CAMERA_MAX_CODE + 1];
	assert_int_equal(decode(px, got, sizeof got), 0);
	assert_string_equal(got, "<none>");   /* untouched on failure */
	free(px);
}

static void
test_decode_random_noise(void **state)
{
	(void)state;
	uint64_t s = 99;
	uint8_t *px = xmalloc(FW * FH);
	for (int i = 0; i < FW * FH; i++)
		px[i] = (uint8_t)(rng_next(&s) >> 56);
	char got[CAMERA_MAX_CODE + 1];
	assert_int_equal(decode(px, got, sizeof got), 0);
	free(px);
}

static void
test_decode_bad_args(void **state)
{
	(void)state;
	uint8_t *px = frame_code(OUR_CODE, 0);
	struct camdec *d = camdec_new();
	assert_non_null(d);
	char got[CAMERA_MAX_CODE + 1];
	assert_int_equal(camdec_decode(d, NULL, FW, FH, FW, got, sizeof got), 0);
	assert_int_equal(camdec_decode(d, px, 0, FH, FW, got, sizeof got), 0);
	assert_int_equal(camdec_decode(d, px, FW, -1, FW, got, sizeof got), 0);
	assert_int_equal(camdec_decode(d, px, FW, FH, FW - 1, got, sizeof got), 0);
	assert_int_equal(camdec_decode(d, px, FW, FH, FW, got, 0), 0);
	assert_int_equal(camdec_decode(d, px, FW, FH, FW, NULL, 10), 0);
	assert_int_equal(camdec_decode(NULL, px, FW, FH, FW, got, sizeof got), 0);
	/* Still works after all that. */
	assert_int_equal(camdec_decode(d, px, FW, FH, FW, got, sizeof got), 1);
	assert_string_equal(got, OUR_CODE);
	camdec_free(d);
	camdec_free(NULL);
	free(px);
}

/* --- camdebounce -------------------------------------------------------- */

#define TICK 33   /* ms between frames at 30 fps */

/* Feed frames (NULL for no code) from t ms on; returns how many fired and
 * puts the index of the first that did in *first (-1 if none). */
static int
feed(struct camdebounce *b, const char *const *codes, int n, uint32_t *t, int *first)
{
	int fired = 0;
	if (first != NULL)
		*first = -1;
	for (int i = 0; i < n; i++, *t += TICK) {
		if (camdebounce_frame(b, codes[i], *t)) {
			if (fired == 0 && first != NULL)
				*first = i;
			fired++;
		}
	}
	return fired;
}

static void
test_debounce_held_fires_once(void **state)
{
	(void)state;
	struct camdebounce b;
	camdebounce_init(&b);
	const char *f[10];
	for (int i = 0; i < 10; i++)
		f[i] = OUR_CODE;
	uint32_t t = 1000;
	int first;
	assert_int_equal(feed(&b, f, 10, &t, &first), 1);
	assert_int_equal(first, CAMDEBOUNCE_FRAMES - 1);
}

static void
test_debounce_glimpse(void **state)
{
	(void)state;
	struct camdebounce b;
	camdebounce_init(&b);
	const char *f[] = { NULL, OUR_CODE, NULL, NULL, EB_CODE, NULL, OUR_CODE, NULL };
	uint32_t t = 1000;
	assert_int_equal(feed(&b, f, 8, &t, NULL), 0);
}

/* n frames with no code: the ticket is out of sight for n * TICK ms. */
static int
feed_nothing(struct camdebounce *b, int n, uint32_t *t)
{
	int fired = 0;
	for (int i = 0; i < n; i++, *t += TICK)
		fired += camdebounce_frame(b, NULL, *t);
	return fired;
}

static void
test_debounce_again_after_gone(void **state)
{
	(void)state;
	struct camdebounce b;
	camdebounce_init(&b);
	const char *held[] = { OUR_CODE, OUR_CODE, OUR_CODE, OUR_CODE };
	uint32_t t = 5000;
	assert_int_equal(feed(&b, held, 4, &t, NULL), 1);

	/* Away for less than CAMDEBOUNCE_GONE_MS: the same scan still. */
	assert_int_equal(feed_nothing(&b, CAMDEBOUNCE_GONE_MS / 2 / TICK, &t), 0);
	assert_int_equal(feed(&b, held, 4, &t, NULL), 0);

	/* Away for longer: a new scan, after two frames again. */
	assert_int_equal(feed_nothing(&b, CAMDEBOUNCE_GONE_MS / TICK + 2, &t), 0);
	int first;
	assert_int_equal(feed(&b, held, 4, &t, &first), 1);
	assert_int_equal(first, CAMDEBOUNCE_FRAMES - 1);
}

static void
test_debounce_held_long(void **state)
{
	(void)state;
	/* Held up for ten seconds (longer than CAMDEBOUNCE_GONE_MS): one scan. */
	struct camdebounce b;
	camdebounce_init(&b);
	uint32_t t = 1000;
	int fired = 0;
	for (int i = 0; i < 10000 / TICK; i++, t += TICK)
		fired += camdebounce_frame(&b, i % 7 == 3 ? NULL : OUR_CODE, t);
	assert_int_equal(fired, 1);
}

static void
test_debounce_different_code(void **state)
{
	(void)state;
	struct camdebounce b;
	camdebounce_init(&b);
	const char *f[] = { OUR_CODE, OUR_CODE, OUR_CODE, EB_CODE, EB_CODE, EB_CODE };
	uint32_t t = 1000;
	assert_true(!camdebounce_frame(&b, f[0], t));
	assert_true(camdebounce_frame(&b, f[1], t += TICK));
	assert_true(!camdebounce_frame(&b, f[2], t += TICK));
	assert_true(!camdebounce_frame(&b, f[3], t += TICK));
	assert_true(camdebounce_frame(&b, f[4], t += TICK));   /* its 2nd frame */
	assert_true(!camdebounce_frame(&b, f[5], t += TICK));
	assert_string_equal(b.fired, EB_CODE);
}

static void
test_debounce_missed_frames(void **state)
{
	(void)state;
	struct camdebounce b;
	camdebounce_init(&b);
	/* A held code the decoder loses now and then, and a stray misread. */
	const char *f[] = {
		OUR_CODE, OUR_CODE, OUR_CODE, NULL, OUR_CODE, OUR_CODE, NULL, NULL,
		OUR_CODE, OUR_CODE, OUR_CODE, EB_CODE, OUR_CODE, OUR_CODE, NULL, OUR_CODE,
	};
	uint32_t t = 1000;
	int first;
	assert_int_equal(feed(&b, f, 16, &t, &first), 1);
	assert_int_equal(first, 1);
}

static void
test_debounce_clock_wraps(void **state)
{
	(void)state;
	struct camdebounce b;
	camdebounce_init(&b);
	const char *held[] = { OUR_CODE, OUR_CODE, OUR_CODE, OUR_CODE, OUR_CODE, OUR_CODE };
	uint32_t t = UINT32_MAX - 2 * TICK;   /* wraps during the hold */
	assert_int_equal(feed(&b, held, 6, &t, NULL), 1);
	assert_int_equal(feed_nothing(&b, CAMDEBOUNCE_GONE_MS / TICK + 2, &t), 0);
	assert_int_equal(feed(&b, held, 6, &t, NULL), 1);
}

static void
test_debounce_long_code(void **state)
{
	(void)state;
	char longcode[CAMERA_MAX_CODE * 2];
	memset(longcode, 'A', sizeof longcode - 1);
	longcode[sizeof longcode - 1] = '\0';
	struct camdebounce b;
	camdebounce_init(&b);
	assert_false(camdebounce_frame(&b, longcode, 0));
	assert_true(camdebounce_frame(&b, longcode, TICK));
	assert_int_equal(strlen(b.fired), CAMERA_MAX_CODE);
	assert_false(camdebounce_frame(&b, longcode, 2 * TICK));
	/* cut, it is still too long to be a code: refused as such, never the
	 * shorter code it was cut to (a link ending "&code=GIAO-12" cut to
	 * "...GIAO-1") */
	char *code = NULL;
	assert_int_equal(code_normalize(b.fired, strlen(b.fired), &code), CODE_TOO_LONG);
	assert_null(code);
}

/* The camera's status, in English unless a test switched the language. */
static const char *
status(struct camera *c)
{
	static char buf[512];
	return camera_status(c, buf, sizeof buf);
}

/* --- the per-frame step: queue and preview ------------------------------ */

static void
test_feed_queue_and_preview(void **state)
{
	(void)state;
	struct camera *c = camera_start(NULL, 0, 0);   /* off: no thread */
	assert_non_null(c);
	assert_int_equal(camera_state(c), CAMERA_OFF);
	assert_string_equal(status(c), "camera: off");

	uint8_t buf[CAMERA_PREVIEW_W * CAMERA_PREVIEW_H];
	int w = -1, h = -1;
	unsigned serial = 0;
	char code[CAMERA_MAX_CODE + 1];
	assert_false(camera_preview(c, buf, CAMERA_PREVIEW_W, CAMERA_PREVIEW_H, &w, &h,
	    &serial));
	assert_false(camera_poll(c, code, sizeof code));

	/* The code held up for ten frames: one scan. */
	uint8_t *px = frame_code(OUR_CODE, 0);
	for (int i = 0; i < 10; i++)
		camera_feed(c, px, FW, FH, FW, 1000 + (uint32_t)i * TICK);
	assert_true(camera_poll(c, code, sizeof code));
	assert_string_equal(code, OUR_CODE);
	assert_false(camera_poll(c, code, sizeof code));
	free(px);

	/* The preview: 640 x 480 box-filtered by 2, left half dark. */
	px = frame_new(200);
	for (int y = 0; y < FH; y++)
		memset(px + y * FW, 10, FW / 2);
	camera_feed(c, px, FW, FH, FW, 2000);
	assert_true(camera_preview(c, buf, CAMERA_PREVIEW_W, CAMERA_PREVIEW_H, &w, &h,
	    &serial));
	assert_int_equal(w, 320);
	assert_int_equal(h, 240);
	assert_int_equal(serial, 11);
	assert_int_equal(buf[0], 10);
	assert_int_equal(buf[159], 10);
	assert_int_equal(buf[160], 200);
	assert_int_equal(buf[239 * 320 + 319], 200);

	/* Nothing newer: false, and buf, w, h, serial untouched. */
	buf[0] = 99;
	assert_false(camera_preview(c, buf, CAMERA_PREVIEW_W, CAMERA_PREVIEW_H, &w, &h,
	    &serial));
	assert_int_equal(buf[0], 99);
	assert_int_equal(w, 320);
	assert_int_equal(serial, 11);

	/* Asked smaller by a caller that has seen nothing: fits, aspect kept. */
	serial = 0;
	assert_true(camera_preview(c, buf, 100, 100, &w, &h, &serial));
	assert_int_equal(w, 100);
	assert_int_equal(h, 75);
	assert_int_equal(serial, 11);
	assert_int_equal(buf[0], 10);
	assert_int_equal(buf[99], 200);
	assert_int_equal(buf[74 * 100 + 99], 200);
	free(px);

	/* An odd frame (thinner than the box) still makes a preview. */
	uint8_t thin[4000];
	memset(thin, 77, sizeof thin);
	camera_feed(c, thin, 4000, 1, 4000, 3000);
	assert_true(camera_preview(c, buf, CAMERA_PREVIEW_W, CAMERA_PREVIEW_H, &w, &h,
	    &serial));
	assert_int_equal(w, 307);
	assert_int_equal(h, 1);
	assert_int_equal(buf[0], 77);
	assert_int_equal(serial, 12);

	/* More scans than the queue holds, nobody polling: the newest are kept. */
	enum { N = CAMERA_QUEUE + 3 };
	for (int i = 0; i < N; i++) {
		char text[32];
		snprintf(text, sizeof text, "SMD26-QUEUE%02d", i);
		px = frame_code(text, 0);
		camera_feed(c, px, FW, FH, FW, 4000 + (uint32_t)i * 100);
		camera_feed(c, px, FW, FH, FW, 4000 + (uint32_t)i * 100 + TICK);
		free(px);
	}
	for (int i = N - CAMERA_QUEUE; i < N; i++) {
		char want[32];
		snprintf(want, sizeof want, "SMD26-QUEUE%02d", i);
		assert_true(camera_poll(c, code, sizeof code));
		assert_string_equal(code, want);
	}
	assert_false(camera_poll(c, code, sizeof code));

	/* camera_poll cuts to the caller's buffer. */
	px = frame_code(EB_CODE, 0);
	camera_feed(c, px, FW, FH, FW, 9000);
	camera_feed(c, px, FW, FH, FW, 9000 + TICK);
	free(px);
	char small[5];
	assert_true(camera_poll(c, small, sizeof small));
	assert_string_equal(small, "4815");

	camera_stop(c);
}

/* --- the capture thread without a camera -------------------------------- */

static double
mono_ms(void)
{
	return util_mono_ns() / 1e6;
}

/* Wait (up to 5 s) until the status contains want. */
static void
wait_status(struct camera *c, const char *want)
{
	double end = mono_ms() + 5000;
	while (strstr(status(c), want) == NULL && mono_ms() < end) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (strstr(status(c), want) == NULL)
		fail_msg("status \"%s\", wanted \"%s\"", status(c), want);
}

struct stopper {
	struct camera *c;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static void *
stopper_main(void *arg)
{
	struct stopper *s = arg;
	camera_stop(s->c);
	pthread_mutex_lock(&s->lock);
	s->done = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* camera_stop must interrupt the 3 s wait before the next retry. It runs on
 * a helper thread so that a stop that never returns fails the test instead
 * of hanging it. Not a speed test: waiting out the retry would take 3 s. */
static void
stop_promptly(struct camera *c)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	nanosleep(&ts, NULL);   /* let the thread settle into its wait */

	static struct stopper s;   /* outlives a failed test's stack frame */
	s.c = c;
	s.done = false;
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, stopper_main, &s), 0);

	struct timespec end;
	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += 1;
	end.tv_nsec += 500 * 1000 * 1000;
	if (end.tv_nsec >= 1000 * 1000 * 1000) {
		end.tv_sec++;
		end.tv_nsec -= 1000 * 1000 * 1000;
	}
	pthread_mutex_lock(&s.lock);
	int rc = 0;
	while (!s.done && rc == 0)
		rc = pthread_cond_timedwait(&s.cond, &s.lock, &end);
	bool done = s.done;
	pthread_mutex_unlock(&s.lock);
	if (!done)
		fail_msg("camera_stop did not return within 1.5 s");
	pthread_join(t, NULL);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
}

static void
test_camera_missing(void **state)
{
	(void)state;
	struct camera *c = camera_start("/nonexistent/video9", 640, 480);
	assert_non_null(c);
	wait_status(c, "not found");
	assert_int_equal(camera_state(c), CAMERA_MISSING);
	assert_string_equal(status(c), "camera /nonexistent/video9: not found");

	char code[CAMERA_MAX_CODE + 1];
	uint8_t buf[64 * 48];
	int w, h;
	unsigned serial = 0;
	assert_false(camera_poll(c, code, sizeof code));
	assert_false(camera_preview(c, buf, 64, 48, &w, &h, &serial));
	stop_promptly(c);
}

static void
test_camera_not_a_camera(void **state)
{
	(void)state;
	/* Paths that exist but capture no video: a plain file, and a device
	 * node that is no camera. */
	char tmpl[] = "/tmp/kiosk-test-camera-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	close(fd);
	const char *paths[] = { tmpl, "/dev/null" };
	for (int i = 0; i < 2; i++) {
		struct camera *c = camera_start(paths[i], 0, 0);
		assert_non_null(c);
		wait_status(c, "is not a camera");
		assert_int_equal(camera_state(c), CAMERA_MISSING);
		char *want = xasprintf("camera %s: is not a camera", paths[i]);
		assert_string_equal(status(c), want);
		free(want);
		stop_promptly(c);
	}
	unlink(tmpl);
}

static void
test_camera_stop_at_once(void **state)
{
	(void)state;
	/* Stopped before the thread has even looked. */
	struct camera *c = camera_start("/nonexistent/video9", 640, 480);
	assert_non_null(c);
	camera_stop(c);
}

static void
test_camera_null(void **state)
{
	(void)state;
	char code[8];
	uint8_t buf[16];
	int w, h;
	unsigned serial = 0;
	camera_stop(NULL);
	assert_int_equal(camera_state(NULL), CAMERA_OFF);
	assert_string_equal(status(NULL), "camera: off");
	assert_false(camera_poll(NULL, code, sizeof code));
	assert_false(camera_preview(NULL, buf, 4, 4, &w, &h, &serial));
	struct camera *c = camera_start("", 0, 0);
	assert_non_null(c);
	assert_int_equal(camera_state(c), CAMERA_OFF);
	camera_stop(c);
}

/* The admin menu's camera line comes in the door's language (it was English
 * on a Dutch, French or German door): the reason in the words of the
 * language shown at the moment, the device path as it is. Uses the
 * catalogues make builds in build/locale, as test_i18n does. */
static void
test_camera_status_in_the_doors_language(void **state)
{
	(void)state;
	static const struct { const char *lang, *missing, *off; } want[] = {
		{ "nl", "camera /nonexistent/video9: niet gevonden", "camera: uit" },
		/* French puts a no-break space before a colon */
		{ "fr", "caméra /nonexistent/video9\u00a0: introuvable", "caméra\u00a0: désactivée" },
		{ "de", "Kamera /nonexistent/video9: nicht gefunden", "Kamera: aus" },
		{ "en", "camera /nonexistent/video9: not found", "camera: off" },
	};
	i18n_init("build/locale");
	i18n_set(0);
	struct camera *c = camera_start("/nonexistent/video9", 640, 480);
	assert_non_null(c);
	wait_status(c, "not found");
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		i18n_set(i18n_index(want[i].lang));
		assert_string_equal(status(c), want[i].missing);
		assert_string_equal(status(NULL), want[i].off);
	}
	camera_stop(c);

	i18n_set(0);
	c = camera_start("/dev/null", 0, 0);
	assert_non_null(c);
	wait_status(c, "is not a camera");
	i18n_set(i18n_index("de"));
	assert_string_equal(status(c), "Kamera /dev/null: ist keine Kamera");
	i18n_set(0);
	camera_stop(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_plain),
		cmocka_unit_test(test_decode_rotated_15),
		cmocka_unit_test(test_decode_rotated_90),
		cmocka_unit_test(test_decode_blurred),
		cmocka_unit_test(test_decode_noisy),
		cmocka_unit_test(test_decode_low_contrast),
		cmocka_unit_test(test_decode_inverted),
		cmocka_unit_test(test_decode_off_centre_small),
		cmocka_unit_test(test_decode_stride),
		cmocka_unit_test(test_decode_cut_to_outsz),
		cmocka_unit_test(test_decode_long_text_stays_too_long),
		cmocka_unit_test(test_decode_nothing),
		cmocka_unit_test(test_decode_random_noise),
		cmocka_unit_test(test_decode_bad_args),
		cmocka_unit_test(test_debounce_held_fires_once),
		cmocka_unit_test(test_debounce_glimpse),
		cmocka_unit_test(test_debounce_again_after_gone),
		cmocka_unit_test(test_debounce_held_long),
		cmocka_unit_test(test_debounce_different_code),
		cmocka_unit_test(test_debounce_missed_frames),
		cmocka_unit_test(test_debounce_clock_wraps),
		cmocka_unit_test(test_debounce_long_code),
		cmocka_unit_test(test_feed_queue_and_preview),
		cmocka_unit_test(test_camera_missing),
		cmocka_unit_test(test_camera_not_a_camera),
		cmocka_unit_test(test_camera_stop_at_once),
		cmocka_unit_test(test_camera_null),
		cmocka_unit_test(test_camera_status_in_the_doors_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
