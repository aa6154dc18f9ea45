/* qrframe: camera-like grey frames holding a QR code, for the camera tests
 * and the camera benchmark (one drawing, so both measure the same thing). */
#ifndef KIOSK_QRFRAME_H
#define KIOSK_QRFRAME_H

#include <math.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdint.h>

/* Deterministic PRNG (xorshift64*), so every run uses the same pixels. */
static inline uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static inline double
rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

/* Draw text as a QR code (EC level M) into a w x h grey frame, centred at
 * (cx, cy), module px a module, turned deg degrees, dark on light with a
 * 4-module light quiet zone: a badge held up in front of the camera. Each
 * pixel is the average of 4 x 4 samples, so edges are grey as a lens makes
 * them. Returns false when qrencode fails. */
static inline bool
qrframe_draw(uint8_t *px, int w, int h, const char *text, double module, double cx,
    double cy, double deg, uint8_t dark, uint8_t light)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return false;
	int n = qr->width;
	double half = (n + 8) / 2.0;        /* code + quiet zone, in modules */
	double rad = deg * M_PI / 180.0, cs = cos(rad), sn = sin(rad);
	double reach = half * module * 1.5; /* covers any turn */
	int x0 = (int)(cx - reach), x1 = (int)(cx + reach);
	int y0 = (int)(cy - reach), y1 = (int)(cy + reach);
	for (int y = y0 < 0 ? 0 : y0; y <= y1 && y < h; y++) {
		for (int x = x0 < 0 ? 0 : x0; x <= x1 && x < w; x++) {
			int inside = 0, darks = 0;
			for (int s = 0; s < 16; s++) {
				double dx = x + (s % 4 + 0.5) / 4 - cx;
				double dy = y + (s / 4 + 0.5) / 4 - cy;
				double u = (dx * cs + dy * sn) / module + half;
				double v = (-dx * sn + dy * cs) / module + half;
				if (u < 0 || v < 0 || u >= 2 * half || v >= 2 * half)
					continue;
				inside++;
				int mu = (int)floor(u) - 4, mv = (int)floor(v) - 4;
				if (mu >= 0 && mv >= 0 && mu < n && mv < n && (qr->data[mv * n + mu] & 1))
					darks++;
			}
			if (inside == 0)
				continue;
			double cover = inside / 16.0;
			double ink = (darks * dark + (inside - darks) * light) / (double)inside;
			px[y * w + x] = (uint8_t)lround(cover * ink + (1 - cover) * px[y * w + x]);
		}
	}
	QRcode_free(qr);
	return true;
}

#endif
