/* kiosk export and kiosk stats: attendance for the organiser. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/attend.h"
#include "core/ktime.h"
#include "core/util.h"

enum { OPT_OUT = OPT__FIRST_OWN, OPT_FORMAT, OPT_EXCEL, OPT_JSON };

struct export {
	struct cli *c;
	bool json;
	bool excel;
	char delim;
	json_t *array;
	FILE *fp;
	char *cause;
};

static const char *const header[] = {
	"first_name", "last_name", "email", "company", "ticket_type", "source", "attended",
	"checked_in_at", "kiosk", "scans", "duplicate_entries",
};

static int
export_row(const struct attend_row *r, void *arg)
{
	struct export *e = arg;
	const struct guest *g = r->guest;
	char when[KTIME_BUF] = "", scans[16], dups[16];

	if (g->cancelled)
		return 0;
	if (r->first_at != 0)
		e->json ? ktime_iso(r->first_at, when) : ktime_local(r->first_at, when);
	snprintf(scans, sizeof scans, "%d", r->scans);
	snprintf(dups, sizeof dups, "%d", r->duplicate_entries);
	if (e->json) {
		json_t *o = json_object();
		json_object_set_new(o, "first_name", json_string(g->first_name));
		json_object_set_new(o, "last_name", json_string(g->last_name));
		json_object_set_new(o, "email", json_string(g->email));
		json_object_set_new(o, "company", json_string(g->company));
		json_object_set_new(o, "ticket_type", json_string(g->ticket_type));
		json_object_set_new(o, "source", json_string(g->source));
		json_object_set_new(o, "attended", json_boolean(r->first_at != 0));
		json_object_set_new(o, "checked_in_at", r->first_at ? json_string(when) : json_null());
		json_object_set_new(o, "kiosk", r->first_at ? json_string(r->first_kiosk)
		    : json_null());
		json_object_set_new(o, "scans", json_integer(r->scans));
		json_object_set_new(o, "duplicate_entries", json_integer(r->duplicate_entries));
		json_array_append_new(e->array, o);
		return 0;
	}
	const char *v[] = { g->first_name, g->last_name, g->email, g->company, g->ticket_type,
	    g->source, r->first_at ? "yes" : "no", when, r->first_kiosk, scans, dups };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cli_csv_field(e->fp, v[i], e->delim, i == 0);
	fputs("\r\n", e->fp);
	return ferror(e->fp) ? 1 : 0;
}

static int
write_export(FILE *fp, void *arg)
{
	struct export *e = arg;
	e->fp = fp;
	if (e->json) {
		e->array = json_array();
	} else {
		if (e->excel)
			fputs("\xEF\xBB\xBF", fp); /* Excel reads UTF-8 only after a BOM */
		for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
			cli_csv_field(fp, header[i], e->delim, i == 0);
		fputs("\r\n", fp);
	}
	if (attend_each(e->c->store, export_row, e, &e->cause) < 0)
		return -1;
	if (e->json) {
		if (json_dumpf(e->array, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
			return -1;
		fputc('\n', fp);
	}
	return ferror(fp) ? -1 : 0;
}

static int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "out", required_argument, NULL, OPT_OUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_export_entry };
	struct export e = { .c = &c, .delim = ',' };
	const char *out = NULL;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_OUT) {
			out = optarg;
		} else if (opt == OPT_EXCEL) {
			e.excel = true;
			e.delim = ';';
		} else if (opt == OPT_FORMAT) {
			if (strcmp(optarg, "json") == 0)
				e.json = true;
			else if (strcmp(optarg, "csv") != 0) {
				cli_error(&c, "--format: expected csv or json, got '%s'", optarg);
				goto out;
			}
		}
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (e.json && e.excel) {
		cli_error(&c, "--excel is a CSV dialect; it does not go with --format json");
		goto out;
	}
	if (cli_load(&c) != 0 || cli_open(&c, STORE_READONLY, NULL) != 0)
		goto out;
	if (store_begin_read(c.store, &e.cause) != 0) {
		rc = cli_fail(&c, e.cause);
		goto out;
	}
	if (cli_write_output(&c, out, write_export, &e) != 0) {
		if (e.cause)
			cli_error(&c, "%s", e.cause);
		goto out;
	}
	rc = CLI_OK;
out:
	free(e.cause);
	json_decref(e.array);
	cli_done(&c);
	return rc;
}

static int
cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_stats_entry };
	struct attend_stats st = { 0 };
	char *cause = NULL;
	char when[KTIME_BUF];
	bool json = false;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_JSON)
			json = true;
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cli_load(&c) != 0 || cli_open(&c, STORE_READONLY, NULL) != 0)
		goto out;
	if (attend_stats(c.store, &st, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (json) {
		json_t *slots = json_array();
		for (size_t i = 0; i < st.nslots; i++) {
			ktime_iso(st.slots[i].start, when);
			json_array_append_new(slots, json_pack("{s:s, s:i}", "start", when,
			    "arrivals", st.slots[i].arrivals));
		}
		json_t *j = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
		    "event", store_event(c.store)->name, "registered", st.registered,
		    "checked_in", st.checked_in, "walk_ins", st.walkins, "no_shows", st.no_shows,
		    "cancelled", st.cancelled, "repeat_scans", st.repeat_scans,
		    "duplicate_entries", st.duplicate_entries,
		    "arrivals_per_15_minutes", slots);
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		printf("%s\n", store_event(c.store)->name);
		printf("  registered    %6d\n  checked in    %6d\n  walk-ins      %6d\n"
		    "  no-shows      %6d\n  cancelled     %6d\n  repeat scans  %6d\n"
		    "  duplicates    %6d%s\n",
		    st.registered, st.checked_in, st.walkins, st.no_shows, st.cancelled,
		    st.repeat_scans, st.duplicate_entries, st.duplicate_entries > 0 ?
		    "  (entries at two doors while they were apart)" : "");
		if (st.nslots > 0)
			printf("\narrivals per 15 minutes (%s):\n", store_event(c.store)->tz);
		for (size_t i = 0; i < st.nslots; i++) {
			ktime_local(st.slots[i].start, when);
			printf("  %s  %5d  ", when, st.slots[i].arrivals);
			for (int k = 0; k < st.slots[i].arrivals && k < 60; k++)
				fputc('#', stdout);
			fputc('\n', stdout);
		}
	}
	rc = CLI_OK;
out:
	attend_stats_free(&st);
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_export_entry = {
	"export", "[--out FILE] [--format csv|json] [--excel]",
	"Write the attendance: one row per guest, attended or not, when and where.",
	"Times are in the event's time zone. Cancelled tickets are left out.\n\noptions:\n"
	"  --out FILE         write to FILE (whole or not at all; default: standard output)\n"
	"  --format FORMAT    csv (default) or json\n"
	"  --excel            CSV that a European Excel opens right (UTF-8 BOM, semicolons)\n",
	cmd_export,
};

const struct cmd_entry cmd_stats_entry = {
	"stats", "[--json]",
	"Registered, checked in, walk-ins, no-shows, and arrivals per 15 minutes.",
	"options:\n"
	"  --json             print the figures as JSON\n",
	cmd_stats,
};
