/* gz: gzip bodies for the sync protocol (zlib), with limits.
 *
 * Sync bodies are JSON full of repeated keys and kiosk names; gzip makes a
 * check-in cost tens of bytes on the wire instead of ~200. Inflating has a
 * hard limit on the output so that a small hostile body cannot expand into
 * gigabytes (a "zip bomb"). */
#ifndef KIOSK_GZ_H
#define KIOSK_GZ_H

#include <stddef.h>

/* Compress len bytes into a gzip stream (RFC 1952). Returns 0 with *out and
 * *out_len (caller frees), or -1 (out of memory only). */
int gz_deflate(const void *data, size_t len, unsigned char **out, size_t *out_len);

/* Decompress a whole gzip stream of len bytes, producing at most max bytes,
 * NUL-terminated (not counted in *out_len) so JSON can be parsed in place.
 * Returns 0, -1 for a damaged or truncated stream, -2 when the output would
 * exceed max. On failure *out is NULL. */
int gz_inflate(const void *data, size_t len, size_t max, char **out, size_t *out_len);

#endif
