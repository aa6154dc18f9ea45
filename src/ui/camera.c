/* camera: ticket codes from a webcam (zbar decoder and V4L2 capture).
 *
 * Rules:
 *  - The capture thread owns the zbar video and decoder; the UI thread only
 *    takes the lock to copy out scans, the preview and the state.
 *  - camera_status() words the status when asked, on the caller's thread:
 *    in the language the door shows at that moment (a guest may have
 *    switched since the camera started), from the reason, read under the
 *    lock, and the device, which never changes after camera_start.
 *  - camera_stop never waits for the camera: the thread sleeps only in
 *    poll() on the device and on a wake pipe, never in a blocking
 *    zbar_video_next_image (which is called only once poll says a frame is
 *    ready), so writing one byte to the pipe ends it at once.
 *  - Codes are never logged or put in a status: they are personal data. */
#include "ui/camera.h"
#include "ui/camera_private.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zbar.h>
#include <linux/videodev2.h>

#include "core/util.h"
#include "ui/i18n.h"

#define CAMDEC_MAX_DIM 8192         /* larger frames are refused, not decoded */
/* zbar scans every Nth row and column. 2 decodes noisy frames about 1.7
 * times faster but loses small, low-contrast and noisier codes (measured
 * with tests/test_camera.c's frames), and 1 already makes the 60 fps target. */
#define CAMDEC_DENSITY 1
#define CAMERA_RETRY_MS 3000        /* a missing camera is looked for again after this */
#define CAMERA_STALL_MS 5000        /* no frame for this long: reopen the device */
#define CAMERA_DRAIN_MAX 8          /* frames skipped at most to reach the newest */
#define CAMERA_DEFAULT_W 640
#define CAMERA_DEFAULT_H 480
#define CAMERA_DEVICE_SHOWN 200     /* device name cut to this in status strings */

#define FOURCC_Y800 zbar_fourcc('Y', '8', '0', '0')
#define FOURCC_GREY zbar_fourcc('G', 'R', 'E', 'Y')

/* --- camdec ------------------------------------------------------------- */

struct camdec {
	zbar_image_scanner_t *scanner;  /* QR only, no cache */
	uint8_t *pack;                  /* the smoothed frame, packed rows */
	size_t packsz;                  /* bytes allocated at pack */
	uint16_t *rows;                 /* 3 rows of horizontal sums */
	size_t rowsz;                   /* entries allocated at rows */
};

/* Returns a new decoder (camdec_free frees it), or NULL when zbar cannot
 * allocate its scanner. */
struct camdec *
camdec_new(void)
{
	zbar_image_scanner_t *scanner = zbar_image_scanner_create();
	if (scanner == NULL)
		return NULL;
	/* Every symbology off, then QR on: a door only sees QR codes, and each
	 * enabled linear decoder costs time on every scan line. */
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_X_DENSITY, CAMDEC_DENSITY);
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, CAMDEC_DENSITY);
	/* A frame with no code is scanned again inverted: a ticket on a phone
	 * in dark mode, or in a PDF viewer's night mode, is light on dark. */
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1);
	zbar_image_scanner_enable_cache(scanner, 0);

	struct camdec *d = xcalloc(1, sizeof *d);
	d->scanner = scanner;
	return d;
}

void
camdec_free(struct camdec *d)
{
	if (d == NULL)
		return;
	zbar_image_scanner_destroy(d->scanner);
	free(d->pack);
	free(d->rows);
	free(d);
}

/* Horizontal 1-2-1 of one source row into sum (edges repeated). */
static void
camdec_hrow(const uint8_t *src, int w, uint16_t *sum)
{
	if (w == 1) {
		sum[0] = (uint16_t)(4 * src[0]);
		return;
	}
	sum[0] = (uint16_t)(3 * src[0] + src[1]);
	for (int x = 1; x < w - 1; x++)
		sum[x] = (uint16_t)(src[x - 1] + 2 * src[x] + src[x + 1]);
	sum[w - 1] = (uint16_t)(src[w - 2] + 3 * src[w - 1]);
}

/* Smooth the frame with a 3 x 3 binomial (1-2-1) filter into d->pack.
 * zbar's scanner follows single-pixel edges, so sensor noise breaks up the
 * finder patterns: at a noise sigma of 20 grey levels it finds no code,
 * smoothed it finds every one, and it decodes noisy frames faster (fewer
 * false edges). The price is very small codes: under about 2.5 pixels a
 * module they blur away. */
static void
camdec_smooth(struct camdec *d, const uint8_t *grey, int w, int h, int stride)
{
	size_t n = (size_t)w * (size_t)h;
	if (d->packsz < n) {
		free(d->pack);
		d->pack = xmalloc(n);
		d->packsz = n;
	}
	if (d->rowsz < 3 * (size_t)w) {
		free(d->rows);
		d->rows = xreallocarray(NULL, 3 * (size_t)w, sizeof *d->rows);
		d->rowsz = 3 * (size_t)w;
	}
	uint16_t *r[3] = { d->rows, d->rows + w, d->rows + 2 * (size_t)w };
	camdec_hrow(grey, w, r[1]);                                   /* row 0 */
	if (h > 1)
		camdec_hrow(grey + stride, w, r[2]);                      /* row 1 */
	else
		memcpy(r[2], r[1], (size_t)w * sizeof *r[1]);
	memcpy(r[0], r[1], (size_t)w * sizeof *r[1]);                 /* row -1 = row 0 */
	for (int y = 0; y < h; y++) {
		const uint16_t *a = r[0], *b = r[1], *c = r[2];
		uint8_t *dst = d->pack + (size_t)y * w;
		for (int x = 0; x < w; x++)
			dst[x] = (uint8_t)((a[x] + 2 * b[x] + c[x] + 8) >> 4);
		/* Roll the rows: the next row below, or the last one repeated. */
		uint16_t *t = r[0];
		r[0] = r[1];
		r[1] = r[2];
		r[2] = t;
		if (y + 2 < h)
			camdec_hrow(grey + (size_t)(y + 2) * stride, w, r[2]);
		else
			memcpy(r[2], r[1], (size_t)w * sizeof *r[1]);
	}
}

/* Returns 1 and writes out (only then) when the frame holds a QR code; 0 for
 * none, and for frames that make no sense (sizes out of range). */
int
camdec_decode(struct camdec *d, const uint8_t *grey, int w, int h, int stride,
    char *out, size_t outsz)
{
	if (d == NULL || grey == NULL || out == NULL || outsz == 0)
		return 0;
	if (w <= 0 || h <= 0 || w > CAMDEC_MAX_DIM || h > CAMDEC_MAX_DIM || stride < w)
		return 0;

	camdec_smooth(d, grey, w, h, stride);   /* also packs the rows */
	zbar_image_t *img = zbar_image_create();
	if (img == NULL)
		return 0;
	zbar_image_set_format(img, FOURCC_Y800);
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, d->pack, (size_t)w * h, NULL);   /* NULL: not freed */

	int found = 0;
	if (zbar_scan_image(d->scanner, img) > 0) {
		for (const zbar_symbol_t *sym = zbar_image_first_symbol(img); sym != NULL;
		    sym = zbar_symbol_next(sym)) {
			if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
				continue;
			const char *text = zbar_symbol_get_data(sym);
			size_t len = zbar_symbol_get_data_length(sym);
			if (text == NULL)
				continue;
			len = strnlen(text, len);   /* binary data may hold a NUL */
			/* A text too long for out is cut after its leading white
			 * space and ends in a mark, so that it is still too long
			 * once trimmed (CAMERA_MAX_CODE): never a shorter code. */
			bool cut = len > outsz - 1;
			if (cut) {
				size_t a;
				(void)util_invisible_span(text, len, &a);
				text += a;
				len -= a;
				cut = len > outsz - 1;
			}
			if (cut)
				len = outsz - 1;
			memcpy(out, text, len);
			out[len] = '\0';
			if (cut && len > 0)
				out[len - 1] = '~';
			found = 1;
			break;
		}
	}
	zbar_image_destroy(img);
	return found;
}

/* --- camdebounce -------------------------------------------------------- */

void
camdebounce_init(struct camdebounce *b)
{
	memset(b, 0, sizeof *b);
}

/* Copy code into dst (CAMERA_MAX_CODE + 1 bytes), cut to CAMERA_MAX_CODE. */
static void
camdebounce_copy(char *dst, const char *code)
{
	size_t len = strnlen(code, CAMERA_MAX_CODE);
	memcpy(dst, code, len);
	dst[len] = '\0';
}

/* A missed decode breaks the run but not the memory of the code last
 * reported: that code counts again only once it has been out of sight for
 * more than CAMDEBOUNCE_GONE_MS (a held ticket that the decoder loses for a
 * frame or two is still the same scan). Times are compared by difference, so
 * the uint32_t millisecond clock may wrap. */
bool
camdebounce_frame(struct camdebounce *b, const char *code, uint32_t now_ms)
{
	if (code == NULL || code[0] == '\0') {
		b->last[0] = '\0';
		b->run = 0;
		return false;
	}

	char cut[CAMERA_MAX_CODE + 1];
	camdebounce_copy(cut, code);

	if (strcmp(cut, b->last) == 0) {
		if (b->run < CAMDEBOUNCE_FRAMES)
			b->run++;
	} else {
		memcpy(b->last, cut, sizeof cut);
		b->run = 1;
	}

	if (b->fired[0] != '\0' && strcmp(cut, b->fired) == 0) {
		if ((uint32_t)(now_ms - b->fired_seen_ms) <= CAMDEBOUNCE_GONE_MS) {
			b->fired_seen_ms = now_ms;
			return false;
		}
		b->fired[0] = '\0';   /* gone long enough: a new scan once held again */
	}

	if (b->run < CAMDEBOUNCE_FRAMES)
		return false;
	memcpy(b->fired, cut, sizeof cut);
	b->fired_seen_ms = now_ms;
	return true;
}

/* --- camera ------------------------------------------------------------- */

enum camera_reason {
	CAMERA_R_OFF,
	CAMERA_R_OPENING,
	CAMERA_R_RUNNING,
	CAMERA_R_NOTFOUND,
	CAMERA_R_DENIED,
	CAMERA_R_NOTCAMERA,
	CAMERA_R_UNUSABLE,
	CAMERA_R_FORMAT,
	CAMERA_R_LOST,
	CAMERA_R_STALLED,
	CAMERA_R_COUNT
};

/* What each reason says after "camera DEVICE: ", translated when shown. */
static const char *const camera_reason_words[CAMERA_R_COUNT] = {
	/* TRANSLATORS: what is wrong with the camera, after "camera DEVICE: ". */
	[CAMERA_R_OFF] = N_("off"),
	[CAMERA_R_OPENING] = N_("opening"),
	[CAMERA_R_RUNNING] = N_("running"),
	[CAMERA_R_NOTFOUND] = N_("not found"),
	[CAMERA_R_DENIED] = N_("permission denied"),
	[CAMERA_R_NOTCAMERA] = N_("is not a camera"),
	[CAMERA_R_UNUSABLE] = N_("cannot be used (busy?)"),
	[CAMERA_R_FORMAT] = N_("gives no picture format zbar can read"),
	[CAMERA_R_LOST] = N_("lost (unplugged?)"),
	[CAMERA_R_STALLED] = N_("sends no pictures"),
};

struct camera {
	char *device;                  /* NULL when off */
	int req_w, req_h;              /* size asked of the driver */
	bool has_thread;               /* thread started, to be joined */
	pthread_t thread;
	int wake[2];                   /* pipe: a byte in it means stop */

	pthread_mutex_t lock;          /* guards the fields below */
	enum camera_state state;
	enum camera_reason reason;
	char queue[CAMERA_QUEUE][CAMERA_MAX_CODE + 1];  /* ring of scans */
	unsigned qhead;                /* index of the oldest scan */
	unsigned qlen;                 /* scans in the ring */
	uint8_t *preview;              /* CAMERA_PREVIEW_W x _H bytes */
	int pw, ph;                    /* preview size; 0 before the first frame */
	unsigned pserial;              /* bumped with each new preview */

	/* Capture thread (or camera_feed caller) only. */
	struct camdec *dec;
	struct camdebounce deb;
	uint8_t *scratch;              /* next preview, swapped in under the lock */
	char code[CAMERA_MAX_CODE + 1];
};

static void
camera_set(struct camera *c, enum camera_state state, enum camera_reason reason)
{
	pthread_mutex_lock(&c->lock);
	c->state = state;
	c->reason = reason;
	if (state != CAMERA_RUNNING)
		c->pw = c->ph = 0;   /* no frozen picture of a camera that is gone */
	pthread_mutex_unlock(&c->lock);
}

/* Box-filter the frame by a whole factor into dst (at most PREVIEW_W x _H). */
static void
camera_shrink(const uint8_t *grey, int w, int h, int stride, uint8_t *dst, int *pw,
    int *ph)
{
	int f = 1;
	while (w / f > CAMERA_PREVIEW_W || h / f > CAMERA_PREVIEW_H)
		f++;
	int ow = w / f > 0 ? w / f : 1;
	int oh = h / f > 0 ? h / f : 1;
	for (int y = 0; y < oh; y++) {
		int y1 = y * f + f < h ? y * f + f : h;   /* a frame thinner than f */
		for (int x = 0; x < ow; x++) {
			int x1 = x * f + f < w ? x * f + f : w;
			unsigned sum = 0, count = 0;
			for (int j = y * f; j < y1; j++) {
				const uint8_t *row = grey + (size_t)j * stride;
				for (int i = x * f; i < x1; i++)
					sum += row[i];
				count += (unsigned)(x1 - x * f);
			}
			dst[(size_t)y * ow + x] = (uint8_t)(sum / count);
		}
	}
	*pw = ow;
	*ph = oh;
}

void
camera_feed(struct camera *c, const uint8_t *grey, int w, int h, int stride, uint32_t now_ms)
{
	if (c == NULL || grey == NULL || w <= 0 || h <= 0 || stride < w ||
	    w > CAMDEC_MAX_DIM || h > CAMDEC_MAX_DIM)
		return;

	int found = c->dec != NULL &&
	    camdec_decode(c->dec, grey, w, h, stride, c->code, sizeof c->code);
	bool scan = camdebounce_frame(&c->deb, found ? c->code : NULL, now_ms);

	int pw, ph;
	camera_shrink(grey, w, h, stride, c->scratch, &pw, &ph);

	pthread_mutex_lock(&c->lock);
	uint8_t *t = c->preview;
	c->preview = c->scratch;
	c->scratch = t;
	c->pw = pw;
	c->ph = ph;
	c->pserial++;
	if (c->pserial == 0)
		c->pserial = 1;   /* 0 stays "never seen" for callers */
	if (scan) {
		if (c->qlen == CAMERA_QUEUE) {   /* nobody polls: drop the stalest */
			c->qhead = (c->qhead + 1) % CAMERA_QUEUE;
			c->qlen--;
		}
		unsigned tail = (c->qhead + c->qlen) % CAMERA_QUEUE;
		memcpy(c->queue[tail], c->code, sizeof c->code);
		c->qlen++;
	}
	pthread_mutex_unlock(&c->lock);
}

static uint32_t
camera_now_ms(void)
{
	return (uint32_t)util_mono_ms();
}

/* Wait up to ms for the stop byte; returns true when asked to stop. */
static bool
camera_wait_stop(struct camera *c, int ms)
{
	int64_t end = util_mono_ns() + (int64_t)ms * 1000000;
	for (;;) {
		int64_t left = (end - util_mono_ns()) / 1000000;
		if (left < 0)
			left = 0;
		struct pollfd p = { .fd = c->wake[0], .events = POLLIN };
		int rc = poll(&p, 1, (int)left);
		if (rc > 0)
			return true;
		if (rc == 0)
			return false;
		if (errno != EINTR)
			return false;
	}
}

/* Why a device could not be opened, from the file system's view. */
static enum camera_reason
camera_why(const char *device)
{
	if (access(device, R_OK | W_OK) == 0)
		return CAMERA_R_UNUSABLE;
	if (errno == ENOENT || errno == ENOTDIR)
		return CAMERA_R_NOTFOUND;
	if (errno == EACCES || errno == EPERM || errno == EROFS)
		return CAMERA_R_DENIED;
	return CAMERA_R_UNUSABLE;
}

/* Ask the device itself whether it captures video, before zbar opens it:
 * for anything else (the metadata node a webcam also has, a file named by
 * mistake) libv4l2 prints errors on stderr at every retry. Returns
 * CAMERA_R_RUNNING when it is a capture device. */
static enum camera_reason
camera_probe(const char *device)
{
	struct stat st;
	if (stat(device, &st) != 0)
		return camera_why(device);
	if (!S_ISCHR(st.st_mode))
		return CAMERA_R_NOTCAMERA;
	int fd = open(device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == EBUSY ? CAMERA_R_UNUSABLE : camera_why(device);
	struct v4l2_capability cap;
	memset(&cap, 0, sizeof cap);
	int rc;
	do
		rc = ioctl(fd, VIDIOC_QUERYCAP, &cap);
	while (rc < 0 && errno == EINTR);
	close(fd);
	if (rc < 0)
		return CAMERA_R_NOTCAMERA;
	uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps :
	    cap.capabilities;
	if ((caps & V4L2_CAP_VIDEO_CAPTURE) == 0)
		return CAMERA_R_NOTCAMERA;
	return CAMERA_R_RUNNING;
}

/* Hand one captured image to camera_feed as grey; false when it cannot be. */
static bool
camera_take(struct camera *c, zbar_image_t *img)
{
	zbar_image_t *conv = NULL;
	unsigned long fmt = zbar_image_get_format(img);
	if (fmt != FOURCC_Y800 && fmt != FOURCC_GREY) {
		conv = zbar_image_convert(img, FOURCC_Y800);
		if (conv == NULL)
			return false;
		img = conv;
	}
	unsigned w = zbar_image_get_width(img), h = zbar_image_get_height(img);
	const uint8_t *data = zbar_image_get_data(img);
	bool ok = data != NULL && w > 0 && h > 0 && w <= CAMDEC_MAX_DIM &&
	    h <= CAMDEC_MAX_DIM && zbar_image_get_data_length(img) >= (unsigned long)w * h;
	if (ok)
		camera_feed(c, data, (int)w, (int)h, (int)w, camera_now_ms());
	if (conv != NULL)
		zbar_image_destroy(conv);
	return ok;
}

/* Open the device and stream from it until it fails or stop is asked.
 * Returns true when stop was asked. Leaves the state and reason set. */
static bool
camera_capture(struct camera *c)
{
	bool stop = false;
	zbar_video_t *video = NULL;

	enum camera_reason why = camera_probe(c->device);
	if (why != CAMERA_R_RUNNING) {
		camera_set(c, CAMERA_MISSING, why);
		goto out;
	}
	video = zbar_video_create();
	if (video == NULL) {
		camera_set(c, CAMERA_MISSING, CAMERA_R_UNUSABLE);
		goto out;
	}
	zbar_video_request_size(video, (unsigned)c->req_w, (unsigned)c->req_h);
	if (zbar_video_open(video, c->device) != 0) {
		camera_set(c, CAMERA_MISSING, camera_why(c->device));
		goto out;
	}
	/* With no window, zbar picks the camera format cheapest to turn into
	 * grey (grey itself when the camera has it; else YUYV, MJPEG...) and
	 * initialises the device with it; camera_take converts each frame. */
	if (zbar_negotiate_format(video, NULL) != 0) {
		camera_set(c, CAMERA_MISSING, CAMERA_R_FORMAT);
		goto out;
	}
	int fd = zbar_video_get_fd(video);
	if (fd < 0 || zbar_video_enable(video, 1) != 0) {
		camera_set(c, CAMERA_MISSING, CAMERA_R_UNUSABLE);
		goto out;
	}
	camera_set(c, CAMERA_RUNNING, CAMERA_R_RUNNING);
	camdebounce_init(&c->deb);

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = c->wake[0], .events = POLLIN },
			{ .fd = fd, .events = POLLIN },
		};
		int rc = poll(p, 2, CAMERA_STALL_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (p[0].revents != 0) {
			stop = true;
			break;
		}
		if (rc == 0) {
			camera_set(c, CAMERA_MISSING, CAMERA_R_STALLED);
			break;
		}
		if (rc < 0 || (p[1].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
			camera_set(c, CAMERA_MISSING, CAMERA_R_LOST);
			break;
		}
		if ((p[1].revents & POLLIN) == 0)
			continue;
		/* Ready, so this does not block. When decoding fell behind,
		 * skip to the newest frame rather than work through old ones. */
		zbar_image_t *img = zbar_video_next_image(video);
		for (int i = 0; img != NULL && i < CAMERA_DRAIN_MAX; i++) {
			struct pollfd q = { .fd = fd, .events = POLLIN };
			if (poll(&q, 1, 0) != 1 || (q.revents & POLLIN) == 0)
				break;
			zbar_image_t *next = zbar_video_next_image(video);
			if (next == NULL)
				break;
			zbar_image_destroy(img);
			img = next;
		}
		if (img == NULL) {
			camera_set(c, CAMERA_MISSING, CAMERA_R_LOST);
			break;
		}
		bool ok = camera_take(c, img);
		zbar_image_destroy(img);   /* gives the buffer back to the driver */
		if (!ok) {
			camera_set(c, CAMERA_MISSING, CAMERA_R_FORMAT);
			break;
		}
	}

out:
	if (video != NULL) {
		zbar_video_enable(video, 0);
		zbar_video_destroy(video);   /* closes the device */
	}
	return stop;
}

static void *
camera_main(void *arg)
{
	struct camera *c = arg;
	while (!camera_capture(c)) {
		if (camera_wait_stop(c, CAMERA_RETRY_MS))
			break;
	}
	return NULL;
}

/* Returns the camera (camera_stop frees it), OFF and without a thread when
 * device is NULL or empty. NULL when the pipe or thread cannot be made. */
struct camera *
camera_start(const char *device, int w, int h)
{
	struct camera *c = xcalloc(1, sizeof *c);
	bool on = device != NULL && device[0] != '\0';
	c->device = on ? xstrdup(device) : NULL;
	c->req_w = w > 0 && w <= CAMDEC_MAX_DIM ? w : CAMERA_DEFAULT_W;
	c->req_h = h > 0 && h <= CAMDEC_MAX_DIM ? h : CAMERA_DEFAULT_H;
	c->wake[0] = c->wake[1] = -1;
	pthread_mutex_init(&c->lock, NULL);
	c->state = on ? CAMERA_MISSING : CAMERA_OFF;
	c->reason = on ? CAMERA_R_OPENING : CAMERA_R_OFF;
	c->preview = xmalloc(CAMERA_PREVIEW_W * CAMERA_PREVIEW_H);
	c->scratch = xmalloc(CAMERA_PREVIEW_W * CAMERA_PREVIEW_H);
	c->dec = camdec_new();
	camdebounce_init(&c->deb);
	if (c->dec == NULL)
		goto err;
	if (!on)
		return c;

	if (pipe(c->wake) != 0)
		goto err;
	for (int i = 0; i < 2; i++) {
		if (fcntl(c->wake[i], F_SETFD, FD_CLOEXEC) != 0 ||
		    fcntl(c->wake[i], F_SETFL, O_NONBLOCK) != 0)
			goto err;
	}
	/* The thread takes no asynchronous signals: they belong to the UI
	 * thread, and poll is then never cut short. Faults still reach their
	 * handlers. */
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&c->thread, NULL, camera_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		goto err;
	c->has_thread = true;
	return c;

err:
	camera_stop(c);
	return NULL;
}

void
camera_stop(struct camera *c)
{
	if (c == NULL)
		return;
	if (c->has_thread) {
		ssize_t n;
		do
			n = write(c->wake[1], "x", 1);
		while (n < 0 && errno == EINTR);
		pthread_join(c->thread, NULL);
	}
	for (int i = 0; i < 2; i++)
		if (c->wake[i] >= 0)
			close(c->wake[i]);
	camdec_free(c->dec);
	free(c->preview);
	free(c->scratch);
	pthread_mutex_destroy(&c->lock);
	free(c->device);
	free(c);
}

/* Copies the oldest queued scan to code (cut to n - 1) and returns true;
 * false when there is none. */
bool
camera_poll(struct camera *c, char *code, size_t n)
{
	if (c == NULL || code == NULL || n == 0)
		return false;
	bool got = false;
	pthread_mutex_lock(&c->lock);
	if (c->qlen > 0) {
		const char *s = c->queue[c->qhead];
		size_t len = strnlen(s, n - 1);
		memcpy(code, s, len);
		code[len] = '\0';
		c->qhead = (c->qhead + 1) % CAMERA_QUEUE;
		c->qlen--;
		got = true;
	}
	pthread_mutex_unlock(&c->lock);
	return got;
}

/* When the latest preview is newer than *serial (0: never seen one), copies
 * it, shrunk (nearest pixel, aspect kept) to fit maxw x maxh, into buf as
 * *w x *h packed rows, sets *serial to it and returns true. False, with
 * nothing written, when there is no frame (none yet, or the camera is gone)
 * or none newer: a UI can upload a texture exactly when this is true. */
bool
camera_preview(struct camera *c, uint8_t *buf, int maxw, int maxh, int *w, int *h,
    unsigned *serial)
{
	if (c == NULL || buf == NULL || maxw <= 0 || maxh <= 0 || w == NULL || h == NULL ||
	    serial == NULL)
		return false;
	pthread_mutex_lock(&c->lock);
	int pw = c->pw, ph = c->ph;
	if (pw == 0 || ph == 0 || c->pserial == *serial) {
		pthread_mutex_unlock(&c->lock);
		return false;
	}
	int ow = pw, oh = ph;
	if (ow > maxw || oh > maxh) {
		if ((long)pw * maxh > (long)ph * maxw) {
			ow = maxw;
			oh = (int)((long)ph * maxw / pw);
		} else {
			oh = maxh;
			ow = (int)((long)pw * maxh / ph);
		}
		if (ow < 1)
			ow = 1;
		if (oh < 1)
			oh = 1;
	}
	for (int y = 0; y < oh; y++) {
		const uint8_t *src = c->preview + (size_t)((long)y * ph / oh) * pw;
		uint8_t *dst = buf + (size_t)y * ow;
		if (ow == pw) {
			memcpy(dst, src, (size_t)ow);
			continue;
		}
		for (int x = 0; x < ow; x++)
			dst[x] = src[(long)x * pw / ow];
	}
	*w = ow;
	*h = oh;
	*serial = c->pserial;
	pthread_mutex_unlock(&c->lock);
	return true;
}

enum camera_state
camera_state(struct camera *c)
{
	if (c == NULL)
		return CAMERA_OFF;
	pthread_mutex_lock(&c->lock);
	enum camera_state s = c->state;
	pthread_mutex_unlock(&c->lock);
	return s;
}

/* "camera: off" for NULL and for no device. */
const char *
camera_status(struct camera *c, char *buf, size_t n)
{
	if (c == NULL || c->device == NULL) {
		snprintf(buf, n, "%s", _("camera: off"));
		return buf;
	}
	pthread_mutex_lock(&c->lock);
	enum camera_reason why = c->reason;
	pthread_mutex_unlock(&c->lock);
	char shown[CAMERA_DEVICE_SHOWN + 1];
	snprintf(shown, sizeof shown, "%s", c->device);
	/* TRANSLATORS: the camera's device path, then what is wrong with it. */
	snprintf(buf, n, _("camera %s: %s"), shown, _(camera_reason_words[why]));
	return buf;
}
