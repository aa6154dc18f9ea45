/* sink: where cairo writes a file (sink.h). */
#include "report/sink.h"

#include <errno.h>
#include <string.h>

cairo_status_t
sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *k = closure;
	errno = 0;
	if (k->b != NULL ? buf_add(k->b, data, len) != 0 : fwrite(data, 1, len, k->fp) != len) {
		if (k->err == 0)
			k->err = k->b != NULL ? EFBIG : errno != 0 ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

const char *
sink_error(const struct sink *k, cairo_status_t st)
{
	return k->err != 0 ? strerror(k->err) : cairo_status_to_string(st);
}

int
sink_commit(struct util_replace *r, const struct sink *k, cairo_status_t st, char **cause)
{
	if (st != CAIRO_STATUS_SUCCESS || k->err != 0) {
		util_fail(cause, "%s: cannot write: %s", r->path, sink_error(k, st));
		util_replace_abort(r);
		return -1;
	}
	return util_replace_commit(r, cause);
}
