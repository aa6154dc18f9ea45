/* listing: the attendance list as CSV or JSON (see listing.h). */
#include "report/listing.h"

#include <jansson.h>
#include <string.h>

#include "core/csvout.h"
#include "core/ktime.h"

/* The last, days_attended, only at an event of days (store_each_day): the
 * days a guest came, for a certificate of three days. */
static const char *const header[] = {
	"first_name", "last_name", "email", "company", "ticket_type", "source", "attended",
	"checked_in_at", "kiosk", "scans", "duplicate_entries", "cancelled", "days_attended",
};
#define NCOLS (sizeof header / sizeof header[0])

struct listing {
	FILE *fp;
	enum listing_format format;
	enum attend_list list;
	json_t *array;
	size_t ncols;              /* NCOLS, or one fewer: no days_attended */
};

static int
row(const struct attend_row *r, void *arg)
{
	struct listing *l = arg;
	const struct guest *g = r->guest;
	char when[KTIME_BUF] = "", scans[16], dups[16], days[16];
	bool json = l->format == LISTING_JSON;

	if (!attend_listed(r, l->list))
		return 0;
	if (r->first_at != 0)
		json ? ktime_iso(r->first_at, when) : ktime_local(r->first_at, when);
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "first_name", json_string(g->first_name));
		json_object_set_new(o, "last_name", json_string(g->last_name));
		json_object_set_new(o, "email", json_string(g->email));
		json_object_set_new(o, "company", json_string(g->company));
		json_object_set_new(o, "ticket_type", json_string(g->ticket_type));
		json_object_set_new(o, "source", json_string(g->source));
		json_object_set_new(o, "attended", json_boolean(r->first_at != 0));
		json_object_set_new(o, "checked_in_at", r->first_at ? json_string(when) :
		    json_null());
		json_object_set_new(o, "kiosk", r->first_at ? json_string(r->first_kiosk) :
		    json_null());
		json_object_set_new(o, "scans", json_integer(r->scans));
		json_object_set_new(o, "duplicate_entries", json_integer(r->duplicate_entries));
		json_object_set_new(o, "cancelled", json_boolean(g->cancelled));
		if (l->ncols == NCOLS)
			json_object_set_new(o, "days_attended", json_integer(r->days));
		json_array_append_new(l->array, o);
		return 0;
	}
	snprintf(scans, sizeof scans, "%d", r->scans);
	snprintf(dups, sizeof dups, "%d", r->duplicate_entries);
	snprintf(days, sizeof days, "%d", r->days);
	const char *v[NCOLS] = { g->first_name, g->last_name, g->email, g->company,
	    g->ticket_type, g->source, r->first_at ? "yes" : "no", when, r->first_kiosk, scans,
	    dups, g->cancelled ? "yes" : "no", days };
	char delim = l->format == LISTING_CSV_EXCEL ? ';' : ',';
	for (size_t i = 0; i < l->ncols; i++)
		csvout_field(l->fp, v[i], delim, i == 0);
	csvout_end_row(l->fp);
	return ferror(l->fp) ? 1 : 0;
}

int
listing_write(FILE *fp, struct store *s, enum listing_format format, enum attend_list list,
    char **cause)
{
	struct listing l = { fp, format, list, NULL, store_each_day(s) ? NCOLS : NCOLS - 1 };
	int rc = -1;

	if (format == LISTING_JSON) {
		l.array = json_array();
	} else {
		char delim = format == LISTING_CSV_EXCEL ? ';' : ',';
		if (format == LISTING_CSV_EXCEL || format == LISTING_CSV_BOM)
			fputs("\xEF\xBB\xBF", fp); /* Excel reads UTF-8 only after a BOM */
		for (size_t i = 0; i < l.ncols; i++)
			csvout_field(fp, header[i], delim, i == 0);
		csvout_end_row(fp);
	}
	if (attend_each(s, row, &l, cause) < 0)
		goto out;
	if (l.array != NULL) {
		if (json_dumpf(l.array, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
			goto out;
		fputc('\n', fp);
	}
	rc = ferror(fp) ? -1 : 0;
out:
	json_decref(l.array);
	return rc;
}
