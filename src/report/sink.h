/* sink: where cairo writes a file (PDF, PNG, SVG): an open file or a capped
 * buffer, remembering the first error. cairo itself says only "write
 * error", and its own file writer says nothing at all of a write that
 * failed at the end (a full disk left a cut badge PDF reported written). */
#ifndef KIOSK_REPORT_SINK_H
#define KIOSK_REPORT_SINK_H

#include <cairo.h>
#include <stdio.h>

#include "core/util.h"

struct sink {
	FILE *fp;               /* the (temporary) file, or */
	struct buf *b;          /* the buffer (not NULL: this one) */
	int err;                /* errno of the first failed write; 0: none */
};

/* A cairo_write_func_t; closure is a struct sink. */
cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len);

/* Why the writing failed: the first write's error, else cairo's. */
const char *sink_error(const struct sink *k, cairo_status_t st);

/* The end of a file cairo wrote through k into r (util_replace): put in
 * place when cairo's verdict st and every write were good, else removed,
 * with *cause naming the file and why. 0, or -1. */
int sink_commit(struct util_replace *r, const struct sink *k, cairo_status_t st, char **cause);

#endif
