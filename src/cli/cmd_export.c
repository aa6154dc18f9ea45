/* kiosk export and kiosk stats: attendance for the organiser. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/attend.h"
#include "core/catalog.h"
#include "core/lang.h"
#include "core/ktime.h"
#include "core/util.h"
#include "badge/badge.h"
#include "report/listing.h"
#include "report/plot.h"
#include "report/xlsx.h"

#define QUIET_SLOTS 8 /* quarter hours without arrivals printed as one line */
#include "ui/app.h"

enum { OPT_OUT = OPT__FIRST_OWN, OPT_FORMAT, OPT_EXCEL, OPT_JSON, OPT_PLOT };
/* export's lists, numbered apart so that stats' options can grow freely. */
enum { OPT_NO_SHOWS = OPT__FIRST_OWN + 32, OPT_WALK_INS };

struct export {
	enum listing_format format;
	enum attend_list list;     /* which guests get a row */
	struct store *store;
	char *cause;
};

static int
write_export(FILE *fp, void *arg, char **cause)
{
	struct export *e = arg;
	return listing_write(fp, e->store, e->format, e->list, cause);
}

/* A door whose join was cut short counts only the guests it has. */
static void
warn_list_short(struct cli *c)
{
	if (cli_list_short(c))
		cli_error(c, "warning: this kiosk's guest list is not all here (its join with the "
		    "hub was cut short): these figures count only the guests it has; run kiosk sync "
		    "until it completes, or take them from the hub");
}

static int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "out", required_argument, NULL, OPT_OUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "excel", no_argument, NULL, OPT_EXCEL },
		{ "no-shows", no_argument, NULL, OPT_NO_SHOWS },
		{ "walk-ins", no_argument, NULL, OPT_WALK_INS },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_export_entry };
	struct export e = { .format = LISTING_CSV };
	bool json = false, xlsx = false, excel = false;
	const char *out = NULL, *format = NULL;
	bool no_shows = false, walk_ins = false;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_OUT) {
			out = optarg;
		} else if (opt == OPT_EXCEL) {
			excel = true;
		} else if (opt == OPT_FORMAT) {
			format = optarg;
			json = strcmp(optarg, "json") == 0;
			xlsx = strcmp(optarg, "xlsx") == 0;
			if (!json && !xlsx && strcmp(optarg, "csv") != 0) {
				cli_error(&c, "--format: expected csv, json or xlsx, got '%s'", optarg);
				goto out;
			}
		} else if (opt == OPT_NO_SHOWS) {
			no_shows = true;
			e.list = ATTEND_LIST_NO_SHOWS;
		} else if (opt == OPT_WALK_INS) {
			walk_ins = true;
			e.list = ATTEND_LIST_WALK_INS;
		}
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	/* The file's name says the format when no --format does: Excel will
	 * not open CSV written into an .xlsx, and nobody would know why. */
	bool named_xlsx = out != NULL && cli_ends_with(out, ".xlsx");
	bool named_json = out != NULL && cli_ends_with(out, ".json");
	bool named_csv = out != NULL && (cli_ends_with(out, ".csv") || cli_ends_with(out, ".txt"));
	/* LibreOffice's own format and Excel 97's, which kiosk does not write:
	 * LibreOffice refuses a CSV or an .xlsx under the name (".ods could not
	 * be loaded"), Excel warns of a damaged file. */
	bool named_other = out != NULL && (cli_ends_with(out, ".ods") || cli_ends_with(out, ".xls"));
	if (named_other) {
		/* the name for the format asked for, or the spreadsheet's */
		bool as_json = format != NULL && strcmp(format, "json") == 0;
		bool csv = format != NULL && strcmp(format, "csv") == 0;
		cli_error(&c, "--out %s: kiosk writes no %s file; name it %s", out,
		    cli_ends_with(out, ".ods") ? ".ods" : ".xls", as_json ? ".json" : csv ? ".csv" :
		    ".xlsx for a spreadsheet (LibreOffice and Excel open it), or .csv");
		goto out;
	}
	if (format == NULL && (named_xlsx || named_json) && excel) {
		cli_error(&c, "--excel writes CSV, and --out %s is named as %s: name it .csv, or "
		    "leave out --excel for %s", out, named_xlsx ? "a spreadsheet" : "JSON",
		    named_xlsx ? "an .xlsx" : "JSON");
		goto out;
	}
	if (format == NULL && named_xlsx)
		xlsx = true, format = "xlsx";
	else if (format == NULL && named_json)
		json = true, format = "json";
	if (format != NULL && !json && !xlsx && named_json) {
		cli_error(&c, "--format %s writes CSV, and --out %s is named as JSON: name it .csv, "
		    "or give --format json", format, out);
		goto out;
	}
	if (format != NULL && !xlsx && named_xlsx) {
		cli_error(&c, "--format %s writes %s, and --out %s is named as a spreadsheet: "
		    "name it .%s, or give --format xlsx", format, json ? "JSON" : "CSV", out,
		    json ? "json" : "csv");
		goto out;
	}
	if ((json || xlsx) && named_csv) {
		cli_error(&c, "--format %s writes %s, and --out %s is named as CSV: name it .%s, or "
		    "give --format csv", format, json ? "JSON" : "a spreadsheet", out,
		    json ? "json" : "xlsx");
		goto out;
	}
	if ((json || xlsx) && excel) {
		cli_error(&c, "--excel is a CSV dialect; it does not go with --format %s", format);
		goto out;
	}
	if (no_shows && walk_ins) {
		cli_error(&c, "--no-shows and --walk-ins are two lists: ask for one at a time");
		goto out;
	}
	/* A zip on a terminal is garbage, and in a pipe it is rarely meant. */
	if (xlsx && (out == NULL || strcmp(out, "-") == 0)) {
		cli_error(&c, "--format xlsx writes a binary file, not to standard output:"
		    " give --out FILE.xlsx");
		goto out;
	}
	e.format = json ? LISTING_JSON : excel ? LISTING_CSV_EXCEL : LISTING_CSV;
	if (cli_load(&c) != 0 || cli_open(&c, STORE_READONLY, NULL) != 0)
		goto out;
	warn_list_short(&c);
	e.store = c.store;
	if (store_begin_read(c.store, &e.cause) != 0) {
		rc = cli_fail(&c, e.cause);
		goto out;
	}
	if (xlsx) {
		struct xlsx_filter f = { e.list };
		if (xlsx_write_attendance(c.store, out, &f, &e.cause) != 0) {
			cli_error(&c, "%s", e.cause);
			goto out;
		}
	} else if (cli_write_output(&c, out, write_export, &e) != 0) {
		goto out;
	}
	/* Said where the data is not: a volunteer sees the file was made. */
	if (out != NULL && strcmp(out, "-") != 0)
		fprintf(stderr, "%s written to %s\n", no_shows ? "no-shows" : walk_ins ? "walk-ins" :
		    "attendance", out);
	rc = CLI_OK;
out:
	free(e.cause);
	cli_done(&c);
	return rc;
}

#define OFFSET_BUF 8

/* The UTC offset of ms in the event's zone, "+02:00" (ktime_iso's ending). */
static void
slot_offset(int64_t ms, char out[OFFSET_BUF])
{
	char iso[KTIME_BUF];
	ktime_iso(ms, iso);
	size_t n = strlen(iso);
	snprintf(out, OFFSET_BUF, "%.6s", n >= 6 ? iso + n - 6 : "");
}

/* Whether the slots cross a change of UTC offset (summer time ending): then
 * an hour of local times comes twice, and each time needs its offset. */
static bool
slots_cross_offsets(const struct attend_stats *st)
{
	char first[OFFSET_BUF], other[OFFSET_BUF];
	if (st->nslots == 0)
		return false;
	slot_offset(st->slots[0].start, first);
	for (size_t i = 1; i < st->nslots; i++) {
		slot_offset(st->slots[i].start, other);
		if (strcmp(first, other) != 0)
			return true;
	}
	return false;
}

/* A slot's start as the text listing shows it: local time, with the offset
 * when the listing crosses a change ("2026-10-25 02:00 +01:00"). */
static void
slot_label(int64_t ms, bool offsets, char out[KTIME_BUF])
{
	ktime_local(ms, out);
	if (offsets) {
		char off[OFFSET_BUF];
		slot_offset(ms, off);
		size_t n = strlen(out);
		snprintf(out + n, KTIME_BUF - n, " %s", off);
	}
}

static int
cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_stats_entry };
	struct attend_stats st = { 0 };
	char *cause = NULL;
	char when[KTIME_BUF];
	const char *plot = NULL;
	bool json = false;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_JSON)
			json = true;
		else if (opt == OPT_PLOT)
			plot = optarg;
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cli_load(&c) != 0 || cli_open(&c, STORE_READONLY, NULL) != 0)
		goto out;
	warn_list_short(&c);
	if (attend_stats(c.store, &st, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (plot != NULL) {
		/* The same figures as the text and JSON below, as a picture, in
		 * kiosk.conf's language as the hub's page is by default: the
		 * organiser prints it or sends it on as it is. */
		char *fonts = xasprintf("%s/fonts", app_datadir());
		badge_use_fonts(fonts);
		free(fonts);
		int lang = lang_choose(c.conf->language, NULL, LANG_EN);
		struct catalog *cat = NULL;
		if (lang != LANG_EN) {
			char *localedir = app_localedir();
			cat = catalog_load(localedir, lang_code(lang), "kiosk", &cause);
			free(localedir);
			if (cat == NULL) {
				/* An install without its translations: a chart in
				 * English rather than none. */
				cli_error(&c, "warning: no %s translation (%s): the plot is in English",
				    lang_code(lang), cause);
				free(cause);
				cause = NULL;
				lang = LANG_EN;
			}
		}
		char *totals = plot_totals_text(&st, lang, cat);
		char *footer = plot_footer_text(store_now(c.store), lang, cat);
		struct plot_labels l = { store_event(c.store)->name, store_event(c.store)->tz,
		    totals, footer, lang, cat };
		int prc = plot_arrivals(&st, &l, plot, &cause);
		free(totals);
		free(footer);
		catalog_free(cat);
		if (prc != 0) {
			rc = cli_fail(&c, cause);
			goto out;
		}
		fprintf(stderr, "arrivals plotted to %s\n", plot);
	}
	if (json) {
		json_t *slots = json_array();
		for (size_t i = 0; i < st.nslots; i++) {
			ktime_iso(st.slots[i].start, when);
			json_array_append_new(slots, json_pack("{s:s, s:i}", "start", when,
			    "arrivals", st.slots[i].arrivals));
		}
		json_t *j = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
		    "event", store_event(c.store)->name, "registered", st.registered,
		    "checked_in", st.checked_in, "walk_ins", st.walkins, "no_shows", st.no_shows,
		    "cancelled", st.cancelled,
		    "cancelled_after_checkin", st.cancelled_after_checkin,
		    "repeat_scans", st.repeat_scans,
		    "duplicate_entries", st.duplicate_entries,
		    "arrivals_per_15_minutes", slots);
		json_object_set_new(j, "arrivals_outside_slots", json_integer(st.outside));
		json_object_set_new(j, "walk_ins_alike", json_integer(st.walkins_alike));
		if (st.days != NULL) {
			json_t *days = json_array();
			for (size_t i = 0; i < st.ndays; i++)
				json_array_append_new(days, json_pack("{s:s, s:i}", "day",
				    ktime_day_text(st.days[i].day, when), "came", st.days[i].came));
			json_object_set_new(j, "days", days);
		}
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		printf("%s\n", store_event(c.store)->name);
		printf("  registered    %6d\n  checked in    %6d\n  walk-ins      %6d\n"
		    "  no-shows      %6d\n  cancelled     %6d\n",
		    st.registered, st.checked_in, st.walkins, st.no_shows, st.cancelled);
		/* Only when there are any: one person registered at two doors
		 * before they synced is two walk-ins, counted twice above. */
		if (st.walkins_alike > 0)
			printf("  (of the walk-ins, %d share a name or e-mail with another: one "
			    "person registered at two doors before they synced? kiosk export "
			    "--walk-ins lists them)\n", st.walkins_alike);
		/* Only when there are any: they are in registered and checked in
		 * above, and this line says why those exceed the valid tickets. */
		if (st.cancelled_after_checkin > 0)
			printf("  (of the checked in, %d came and had their ticket cancelled since)\n",
			    st.cancelled_after_checkin);
		printf("  repeat scans  %6d\n  duplicates    %6d%s\n",
		    st.repeat_scans, st.duplicate_entries, st.duplicate_entries > 0 ?
		    "  (let in again by a door that did not know of the first admission yet)" : "");
		/* at an event of days: who came each day (checked in counts
		 * each guest once) */
		if (st.days != NULL)
			printf("\ncame each day:%s\n", st.ndays == 0 ? " nobody yet" : "");
		for (size_t i = 0; i < st.ndays; i++)
			printf("  %s  %6d\n", ktime_day_text(st.days[i].day, when), st.days[i].came);
		bool offsets = slots_cross_offsets(&st);
		if (st.nslots > 0)
			printf("\narrivals per 15 minutes%s (%s%s):\n", st.days != NULL ?
			    ", a guest once each day" : "", store_event(c.store)->tz,
			    offsets ? ", with UTC offsets: the clocks changed" : "");
		/* Bars to the busiest quarter's 60 '#': one '#' an arrival made
		 * 70 and 530 arrivals the same bar. */
		int most = 1;
		for (size_t i = 0; i < st.nslots; i++)
			most = st.slots[i].arrivals > most ? st.slots[i].arrivals : most;
		for (size_t i = 0; i < st.nslots; i++) {
			/* Two hours and more without anyone (a night between two
			 * days) is one line, not a column of zeros. */
			size_t j = i;
			while (j < st.nslots && st.slots[j].arrivals == 0)
				j++;
			if (j - i >= QUIET_SLOTS) {
				char until[KTIME_BUF];
				slot_label(st.slots[i].start, offsets, when);
				slot_label(st.slots[j].start, offsets, until);
				printf("  (no arrivals from %s until %s)\n", when, until);
				i = j - 1;
				continue;
			}
			slot_label(st.slots[i].start, offsets, when);
			printf("  %s  %5d  ", when, st.slots[i].arrivals);
			int a = st.slots[i].arrivals;
			int bar = most <= 60 ? a : (int)(((int64_t)a * 60 + most - 1) / most);
			for (int k = 0; k < bar; k++)
				fputc('#', stdout);
			fputc('\n', stdout);
		}
		if (st.outside > 0)
			printf("  and %d arrival%s a day or more from these (a test scan, or a "
			    "wrong clock?)\n", st.outside, st.outside == 1 ? "" : "s");
	}
	rc = CLI_OK;
out:
	if (plot != NULL)
		badge_shutdown();
	attend_stats_free(&st);
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_export_entry = {
	"export", "[--out FILE] [--format csv|json|xlsx] [--excel] [--no-shows | --walk-ins]",
	"Write the attendance: one row per guest, attended or not, when and where.",
	"Times are in the event's time zone. Cancelled tickets are left out, but for\n"
	"guests who came before their ticket was cancelled: they keep their row, with\n"
	"cancelled = yes in the last column.\n\noptions:\n"
	"  --out FILE         write to FILE (whole or not at all; default: standard output)\n"
	"  --format FORMAT    csv (default), json, or xlsx: a spreadsheet with typed\n"
	"                     columns and a Summary sheet (needs --out FILE); without\n"
	"                     it, --out FILE.xlsx or FILE.json says which\n"
	"  --excel            CSV that a European Excel opens right (UTF-8 BOM, semicolons)\n"
	"  --no-shows         only the guests who never checked in\n"
	"  --walk-ins         only the guests registered at the door\n",
	cmd_export,
};

const struct cmd_entry cmd_stats_entry = {
	"stats", "[--json] [--plot FILE.png|.svg|.pdf]",
	"Registered, checked in, walk-ins, no-shows, and arrivals per 15 minutes.",
	"options:\n"
	"  --json             print the figures as JSON\n"
	"  --plot FILE        also draw the arrivals per 15 minutes (bars) and the\n"
	"                     running total (line) to FILE: .png, .svg or .pdf;\n"
	"                     readable printed in black and white, in kiosk.conf's\n"
	"                     [kiosk] language\n",
	cmd_stats,
};
