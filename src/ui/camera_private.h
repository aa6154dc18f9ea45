/* camera_private: the capture thread's per-frame step, shared with the tests.
 *
 * camera_feed is exactly what the capture thread does with each picture
 * (decode, debounce, queue the scan, keep the preview), so a test can drive
 * the queue and the preview without a webcam. Call it only on a camera that
 * has no thread (camera_start(NULL, ...)) or from its own capture thread. */
#ifndef KIOSK_CAMERA_PRIVATE_H
#define KIOSK_CAMERA_PRIVATE_H

#include <stdint.h>

#include "ui/camera.h"

#define CAMERA_QUEUE 8          /* scans waiting for camera_poll; oldest dropped */
#define CAMERA_PREVIEW_W 320    /* the kept preview is at most this size */
#define CAMERA_PREVIEW_H 240

/* One grey frame (w x h, stride bytes a row) seen at now_ms. */
void camera_feed(struct camera *c, const uint8_t *grey, int w, int h, int stride,
    uint32_t now_ms);

#endif
