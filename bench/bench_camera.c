/* bench_camera: the camera figure of `make bench`.
 *
 * Decode rate of camdec (the function the camera thread calls on every
 * frame) on noisy 640x480 grey frames holding a badge QR code, on one core:
 * 16 frames (two codes, turned 0 to 30 degrees, 5 to 7 pixels a module,
 * Gaussian noise of sigma 12 from a fixed seed) are decoded round and round
 * for about two seconds of this thread's CPU time (so other work on the
 * machine does not count against it). Prints one line:
 *
 *   camera_decode_fps <frames a second>
 *
 * and, on stderr, how many frames decoded to the right code and the rate on
 * the same frames without a code (what an idle kiosk spends). A frame that
 * decodes wrong makes the exit status 1: a fast wrong decoder is no result.
 *
 *   bench_camera [SECONDS]     default 2 */
#include <math.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "ui/camera.h"
#include "../tests/qrframe.h"

#define FW 640
#define FH 480
#define NFRAMES 16
#define SIGMA 12.0

/* The code as a printed badge held up: dark on light (qrframe.h). */
static bool
draw_qr(uint8_t *px, const char *text, double module, double cx, double cy, double deg)
{
	return qrframe_draw(px, FW, FH, text, module, cx, cy, deg, 20, 235);
}

static void
add_noise(uint8_t *px, uint64_t seed)
{
	uint64_t s = seed;
	for (int i = 0; i < FW * FH; i++) {
		double u1 = rng_unit(&s), u2 = rng_unit(&s);
		if (u1 < 1e-12)
			u1 = 1e-12;
		long v = lround(px[i] + SIGMA * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
		px[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}

/* CPU time of this thread in ns: the rate on one core, whatever else the
 * machine is doing. */
static int64_t
cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Decode every frame round and round for secs; returns frames a second and
 * counts the right decodes of one round in *right (want NULL: none wanted). */
static double
run(struct camdec *d, uint8_t **frames, const char *const *want, double secs, int *right)
{
	char got[CAMERA_MAX_CODE + 1];
	*right = 0;
	for (int i = 0; i < NFRAMES; i++) {
		int rc = camdec_decode(d, frames[i], FW, FH, FW, got, sizeof got);
		if (want != NULL ? rc == 1 && strcmp(got, want[i]) == 0 : rc == 0)
			(*right)++;
	}
	long n = 0;
	int64_t t0 = cpu_ns(), t;
	do {
		for (int i = 0; i < NFRAMES; i++, n++)
			camdec_decode(d, frames[i], FW, FH, FW, got, sizeof got);
		t = cpu_ns();
	} while (t - t0 < (int64_t)(secs * 1e9));
	return n / ((t - t0) / 1e9);
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	if (secs <= 0)
		secs = 2.0;
	static const char *const codes[2] = { "SMD26-7K3QX9M2TB4V8HCR5", "4815162342108230001000001" };
	uint8_t *with[NFRAMES] = { 0 }, *without[NFRAMES] = { 0 };
	const char *want[NFRAMES];
	int rc = 1;
	struct camdec *d = camdec_new();
	if (d == NULL) {
		fprintf(stderr, "bench_camera: zbar cannot allocate a scanner\n");
		return 1;
	}
	for (int i = 0; i < NFRAMES; i++) {
		with[i] = xmalloc(FW * FH);
		without[i] = xmalloc(FW * FH);
		memset(with[i], 110, FW * FH);
		memset(without[i], 110, FW * FH);
		want[i] = codes[i % 2];
		if (!draw_qr(with[i], want[i], 5 + i % 3, 260 + 8 * i, 200 + 5 * i, 2 * i)) {
			fprintf(stderr, "bench_camera: qrencode failed\n");
			goto out;
		}
		add_noise(with[i], 1000 + (uint64_t)i);
		add_noise(without[i], 2000 + (uint64_t)i);
	}

	int right, idle_right;
	double fps = run(d, with, want, secs, &right);
	double idle = run(d, without, NULL, secs / 2, &idle_right);
	printf("camera_decode_fps %.1f\n", fps);
	fprintf(stderr, "bench_camera: %d/%d frames decoded right; %.1f fps on frames "
	    "without a code (%d/%d found none)\n", right, NFRAMES, idle, idle_right, NFRAMES);
	rc = right == NFRAMES && idle_right == NFRAMES ? 0 : 1;

out:
	for (int i = 0; i < NFRAMES; i++) {
		free(with[i]);
		free(without[i]);
	}
	camdec_free(d);
	return rc;
}
