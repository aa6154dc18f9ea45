/* kiosk import: bring a guest-list export into the event. */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/import.h"
#include "core/ktime.h"
#include "core/util.h"
#include "sync/repl.h"

/* The draft a first import writes its new event in, for a stop signal
 * (Ctrl-C, a systemd stop) to remove on its way out (util_stop_removes):
 * nothing with the guest list in it is left behind, not even until the
 * next writer's sweep. Kept until the draft is in place (a stop during the
 * rename finds the name gone or removes it first), or, when the import
 * failed, until store_close has removed it. */
static char *watched_draft;

/* The stop signals held back from before a new event's draft is made until
 * watch_draft can name it: one that comes meanwhile then removes it. */
static void
hold_stops(sigset_t *was)
{
	sigset_t stops;
	util_stop_signals(&stops);
	pthread_sigmask(SIG_BLOCK, &stops, was);
}

/* From here until forget_draft, a stop signal removes s's draft. */
static void
watch_draft(struct store *s)
{
	const char *draft = store_draft(s);
	if (draft == NULL)
		return;
	watched_draft = xstrdup(draft);
	util_stop_removes(watched_draft);
}

static void
forget_draft(void)
{
	if (watched_draft == NULL)
		return;
	util_stop_keeps(watched_draft);
	free(watched_draft);
	watched_draft = NULL;
}

/* "4, 9, 12 and 3 more": the first IMPORT_KEPT_LINES of n lines, into a
 * new buf the caller frees. */
static void
line_list(struct buf *b, const size_t *lines, size_t n)
{
	buf_init(b, 0);
	for (size_t i = 0; i < n && i < IMPORT_KEPT_LINES; i++)
		buf_addf(b, "%s%zu", i == 0 ? "" : ", ", lines[i]);
	if (n > IMPORT_KEPT_LINES)
		buf_addf(b, " and %zu more", n - IMPORT_KEPT_LINES);
}

/* "2 guests (lines 4, 9)": n guests and the lines that name them, into a
 * new buf the caller frees; unit is import_unit's, "line" or "row". */
static void
guests_at(struct buf *b, size_t n, const char *unit, const size_t *lines)
{
	struct buf l;
	line_list(&l, lines, n);
	buf_init(b, 0);
	buf_addf(b, "%zu guest%s (%s%s %s)", n, n == 1 ? "" : "s", unit, n == 1 ? "" : "s",
	    buf_cstr(&l));
	buf_free(&l);
}

/* "kiosk: import: warning: N guest(s) added (line(s) L) has/have WHAT": the
 * rows added beside a guest they may be (import_report's same_*); unit is
 * import_unit's, "line" or "row". */
static void
added_warning(const char *unit, const size_t *lines, size_t n, const char *what)
{
	struct buf b;
	line_list(&b, lines, n);
	fprintf(stderr, "kiosk: import: warning: %zu %s (%s%s %s) ha%s %s\n", n,
	    n == 1 ? "guest added" : "guests added", unit, n == 1 ? "" : "s", buf_cstr(&b),
	    n == 1 ? "s" : "ve", what);
	buf_free(&b);
}

#define WARNINGS_SHOWN 20 /* warnings named one a line before the rest are counted */

enum { OPT_MAP = OPT__FIRST_OWN, OPT_DRY, OPT_NAME, OPT_TZ, OPT_TAG, OPT_VERBOSE, OPT_NEW_CODES,
	OPT_ON_DOOR, OPT_SHEET };

/* arg: import_unit's word for a place, "line" or "row". */
static void
show_change(size_t line, const char *what, const char *name, const char *fields, void *arg)
{
	const char *unit = arg;
	if (strcmp(what, "add") == 0)
		/* a cancelled ticket is added too (it is refused at the door) */
		printf("%s %zu: add %s%s\n", unit, line, name, *fields ? " (cancelled)" : "");
	else
		printf("%s %zu: update %s (%s)\n", unit, line, name, fields);
}

/* Where a record is, as the organiser finds it: "FILE:12" in a CSV file (a
 * line, as editors number them), "FILE: row 12" in a workbook (a row, as
 * Excel numbers them). */
static void
place(char *out, size_t n, const struct import_plan *plan, const char *path, size_t line)
{
	if (strcmp(import_unit(plan), "row") == 0)
		snprintf(out, n, "%s: row %zu", path, line);
	else
		snprintf(out, n, "%s:%zu", path, line);
}

/* What the organiser must know of the file, said once it is known to be
 * importable (a file that fails says only why): of the file as a whole;
 * then the rejected rows, every one named; then the warnings (the row is
 * imported) named up to a screenful, then counted, so that a list with
 * thousands of odd addresses does not scroll the rejections and the
 * summary away. --verbose names them all. */
/* n lines of a file, from first, in an encoding other than the file's,
 * read as as: "this line is not UTF-8, and was read as Windows-1252 (a
 * row pasted in from another file? check its accented names)", with what
 * to check of one line or of several. */
static void
warn_pasted(const char *path, size_t n, size_t first, const char *is, const char *as,
    const char *check_one, const char *check_many)
{
	if (n == 1)
		fprintf(stderr, "kiosk: import: warning: %s:%zu: this line is %s, and was read as %s "
		    "(a row pasted in from another file?%s)\n", path, first, is, as, check_one);
	else if (n > 1)
		fprintf(stderr, "kiosk: import: warning: %s:%zu: %zu lines, this the first, are %s, "
		    "and were read as %s (rows pasted in from another file?%s)\n", path, first, n, is,
		    as, check_many);
}

static void
print_report(const struct import_plan *plan, const char *path, bool verbose)
{
	size_t first, n;
	char at[PATH_MAX + 32];
	/* A workbook's other sheets are not read: said, in case the list is
	 * on another. */
	const char *sheet = import_sheet(plan, &n);
	if (sheet != NULL && import_sheet_skipped(plan) != NULL)
		fprintf(stderr, "kiosk: import: warning: %s has %zu sheets (%s); the first one "
		    "shown, '%s', has no guest list (no name column), so '%s' was read (to import "
		    "another, give its name to --sheet)\n", path, n, import_sheets(plan),
		    import_sheet_skipped(plan), sheet);
	else if (sheet != NULL && n > 1 && !import_sheet_asked(plan))
		fprintf(stderr, "kiosk: import: warning: %s has %zu sheets (%s); read the first "
		    "one shown, '%s' (to import another, give its name to --sheet)\n", path, n,
		    import_sheets(plan), sheet);
	if (import_encoding(plan) == CSVIN_CP1252)
		fprintf(stderr, "kiosk: import: warning: %s is not UTF-8; read it as Windows-1252 "
		    "(check accented names)\n", path);
	else if (import_encoding(plan) == CSVIN_MACROMAN)
		fprintf(stderr, "kiosk: import: warning: %s is not UTF-8; read it as Mac Roman, as "
		    "Excel for Mac saves a CSV (check accented names)\n", path);
	/* Rows pasted in from a UTF-8 export, or the other way round from an
	 * older one: read as they are, and said. */
	n = import_utf8_lines(plan, &first);
	warn_pasted(path, n, first, "UTF-8 all the same", "such", "", "");
	n = import_cp1252_lines(plan, &first);
	warn_pasted(path, n, first, "not UTF-8", "Windows-1252", " check its accented names",
	    " check their accented names");
	if (import_encoding(plan) == CSVIN_UTF8_INVALID)
		fprintf(stderr, "kiosk: import: warning: %s is UTF-8 with some damaged lines; the "
		    "rows holding them are rejected\n", path);
	/* Said every time: a code column under a name we do not know means
	 * every ticket already sent would be refused at the door. */
	if (!import_has_codes(plan))
		fprintf(stderr, "kiosk: import: warning: %s has no ticket code column (such as "
		    "'Barcode #', 'Secret' or 'Code'): new guests get codes made here, for the "
		    "badges and ticket e-mails kiosk makes (right for an RSVP list or a form). If "
		    "the platform sent tickets with codes of its own, those will not scan: name "
		    "that column with --map code=COLUMN\n", path);
	for (size_t i = 0; i < import_rejects(plan); i++) {
		size_t line;
		const char *why;
		import_reject(plan, i, &line, &why);
		place(at, sizeof at, plan, path, line);
		fprintf(stderr, "kiosk: import: %s: rejected: %s\n", at, why);
	}
	size_t nwarn = import_warnings(plan);
	size_t shown = verbose || nwarn <= WARNINGS_SHOWN + 1 ? nwarn : WARNINGS_SHOWN;
	for (size_t i = 0; i < shown; i++) {
		size_t line;
		const char *what;
		import_warning(plan, i, &line, &what);
		place(at, sizeof at, plan, path, line);
		fprintf(stderr, "kiosk: import: %s: warning: %s\n", at, what);
	}
	if (shown < nwarn)
		fprintf(stderr, "kiosk: import: warning: and %zu more rows of %s with a warning, "
		    "imported all the same (--verbose lists them all)\n", nwarn - shown, path);
}

static int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "map", required_argument, NULL, OPT_MAP },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "event-name", required_argument, NULL, OPT_NAME },
		{ "timezone", required_argument, NULL, OPT_TZ },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "new-codes", no_argument, NULL, OPT_NEW_CODES },
		{ "on-door", no_argument, NULL, OPT_ON_DOOR },
		{ "sheet", required_argument, NULL, OPT_SHEET },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_import_entry };
	struct colmap_override *maps = NULL;
	size_t nmaps = 0;
	struct import_plan *plan = NULL;
	struct import_report rep;
	bool dry = false, verbose = false, held = false, new_codes = false, on_door = false;
	sigset_t mask; /* the signal mask before hold_stops */
	const char *name = NULL, *tz = NULL, *tag = NULL, *sheet = NULL;
	char *cause = NULL;
	int opt, rc = CLI_ERROR;

	maps = xcalloc((size_t)argc, sizeof *maps);
	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		switch (opt) {
		case OPT_MAP:
			if (colmap_parse_override(optarg, &maps[nmaps], &cause) != 0) {
				rc = cli_fail(&c, cause);
				goto out;
			}
			nmaps++;
			break;
		case OPT_DRY: dry = true; break;
		case OPT_VERBOSE: verbose = true; break;
		case OPT_NEW_CODES: new_codes = true; break;
		case OPT_ON_DOOR: on_door = true; break;
		case OPT_NAME: name = optarg; break;
		case OPT_TZ: tz = optarg; break;
		case OPT_TAG: tag = optarg; break;
		case OPT_SHEET: sheet = optarg; break;
		}
	}
	if (optind != argc - 1) {
		cli_error(&c, argc - optind < 1 ? "which file? usage: kiosk import FILE" :
		    "one file at a time");
		goto out;
	}
	const char *path = argv[optind];
	if (cli_check_event_flags(&c, tz, tag) != 0 || cli_load(&c) != 0)
		goto out;
	/* The header first, then the rows on a thread of their own. A file that
	 * cannot be imported writes nothing: one whose rows are all bad is
	 * known before the database is opened. The rows are written while the
	 * rest is read only into a new event's file, which a failure further
	 * down (a quote that never ends) removes whole: opening an existing
	 * one may write to it (a migration, WAL mode), and a dry run or
	 * --verbose lists the rows as they go, so then the file is read to its
	 * end first. */
	const char *db = c.db ? c.db : c.conf->db_path;
	bool missing = access(db, F_OK) != 0, stream = !dry && !verbose && missing;
	if (import_open_sheet(path, sheet, maps, nmaps, &plan, &cause) != 0 ||
	    (stream ? import_ready(plan, &cause) : import_finish(plan, &cause)) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (new_codes)
		import_allow_new_codes(plan);
	import_check_code_length(plan, c.conf->scanner_min_length);
	if (import_rows(plan) == 0) {
		print_report(plan, path, verbose);
		cli_error(&c, "%s: every row was rejected; nothing imported", path);
		goto out;
	}
	struct store_event_init init = {
		name ? name : c.conf->event_name, tz ? tz : c.conf->event_tz,
		tag ? tag : c.conf->event_tag, NULL,
	};
	/* A dry run never creates the file, never writes it, and never holds
	 * up a door with the write lock (an import takes seconds): it works on
	 * a copy in memory, which also serves a file this user cannot write. */
	int flags = STORE_CREATE | STORE_BULK;
	if (dry)
		flags = missing ? STORE_MEMORY : STORE_CREATE | STORE_SNAPSHOT;
	/* Making a new event: a stop that comes while its draft is made is
	 * held back until the handler knows the draft's name. (The worker
	 * threads never take one: util_thread_start.) */
	if (!dry && missing) {
		hold_stops(&mask);
		held = true;
	}
	if (cli_open(&c, flags, &init) != 0)
		goto out;
	watch_draft(c.store);
	if (held) {
		pthread_sigmask(SIG_SETMASK, &mask, NULL);
		held = false;
	}
	/* A door's list is the hub's. Imported here as well, a row becomes a
	 * guest of this door's own, and the hub's guest of the same ticket
	 * (the same file imported there) cannot be stored beside it: the
	 * ticket admits once at this door and again at the others, and the
	 * hub loses this door's admission. */
	const char *hub;
	if (!on_door && !store_made_file(c.store) && cli_event_role(&c, &hub) == CLI_ROLE_DOOR) {
		char *why = xasprintf("%s is a door synced with %s%s: import the file on the hub "
		    "instead, and every door has it after its next sync. Imported here too, its "
		    "tickets would be two guests, one here and one on the hub, each admitted once. "
		    "(--on-door imports here all the same: only for a door made the hub, or one "
		    "that will never sync again)", store_path(c.store), hub ? "the hub at " : "a hub",
		    hub ? hub : "");
		/* A dry run answers as asked, and says the import would not. */
		if (dry) {
			fprintf(stderr, "kiosk: import: warning: the import itself would be refused: "
			    "%s\n", why);
		} else {
			cli_error(&c, "%s", why);
			free(why);
			goto out;
		}
		free(why);
	}
	/* A file made by another program since it was looked for: an existing
	 * event after all, whose rows are written only from a whole file. */
	if (stream && !store_made_file(c.store) && import_finish(plan, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (dry || verbose) {
		char *map = import_mapping_text(plan);
		printf("columns: %s\n", map);
		free(map);
	}
	/* A new event's file is put in place only now, whole; one that failed
	 * is removed when closed (cli_done). */
	const char *unit = import_unit(plan);
	if (import_apply(c.store, plan, dry, cli_kiosk_name(&c, NULL), dry || verbose ?
	    show_change : NULL, (void *)unit, &rep, &cause) != 0 ||
	    store_publish(&c.store, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	forget_draft(); /* in place: the name is free for another's draft */
	cli_note_event_flags(&c, name, tz, tag);
	if (store_made_event(c.store))
		cli_note_new_event(&c, dry ? db : store_path(c.store), dry, stdout);
	print_report(plan, path, verbose);
	/* A hub whose own join was cut short has the list now (doctor): one
	 * that has served, or is set to ([hub] serve, or --on-door), before
	 * it is first started. */
	if (!dry && repl_list_imported(c.store, on_door || (cli_conf_db(&c) && c.conf->hub_serve),
	    &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (rep.kept_cancelled > 0) {
		/* Which rows, so that the organiser can look them up: a refund
		 * the platform has not seen yet, or a cancel made by mistake. */
		struct buf lines;
		line_list(&lines, rep.kept_lines, rep.kept_cancelled);
		fprintf(stderr, "kiosk: import: warning: %zu guest%s cancelled here %s valid in "
		    "%s (%s%s %s): left cancelled ('kiosk cancel --undo CODE' reinstates one)\n",
		    rep.kept_cancelled, rep.kept_cancelled == 1 ? "" : "s",
		    rep.kept_cancelled == 1 ? "is" : "are", path, unit,
		    rep.kept_cancelled == 1 ? "" : "s",
		    buf_cstr(&lines));
		buf_free(&lines);
	}
	if (rep.same_email > 0) {
		char *what = xasprintf("the e-mail of a guest already listed under another name, "
		    "whom no row of %s names now: if a name was corrected, that guest is on the "
		    "list twice ('kiosk guests --search ADDRESS' shows both; 'kiosk cancel CODE' "
		    "the old one)", path);
		added_warning(unit, rep.same_email_lines, rep.same_email, what);
		free(what);
	}
	if (rep.same_name > 0) {
		char *what = xasprintf("the name of a guest already listed with another e-mail, "
		    "or of one this file without e-mails cannot tell, whom no row of %s names "
		    "now: if they are the same person (an e-mail corrected, a list of names), that "
		    "guest is on the list twice, and both codes let them in ('kiosk guests "
		    "--search NAME' shows both; 'kiosk cancel CODE' the one to drop)", path);
		added_warning(unit, rep.same_name_lines, rep.same_name, what);
		free(what);
	}
	if (rep.same_walkin > 0)
		added_warning(unit, rep.same_walkin_lines, rep.same_walkin, "the e-mail or the name of a "
		    "walk-in registered at a door: if one person, they now hold two tickets that "
		    "both admit ('kiosk guests --search NAME' shows both; 'kiosk cancel CODE' the "
		    "one they do not use)");
	if (rep.new_code > 0) {
		/* Allowed (no ticket was mailed with it), but a badge printed
		 * for the door would now be refused there. */
		struct buf who;
		guests_at(&who, rep.new_code, unit, rep.new_code_lines);
		fprintf(stderr, "kiosk: import: warning: %s now ha%s the file's ticket code instead "
		    "of the one kiosk made: a badge printed with the old code no longer scans; "
		    "print %s again ('kiosk badges --code CODE')\n", buf_cstr(&who),
		    rep.new_code == 1 ? "s" : "ve", rep.new_code == 1 ? "that badge" : "those badges");
		buf_free(&who);
	}
	if (rep.remail > 0) {
		/* --new-codes took the code of a ticket kiosk mail sent: the
		 * guest holds a ticket the doors refuse until mailed again. */
		struct buf who;
		guests_at(&who, rep.remail, unit, rep.remail_lines);
		fprintf(stderr, "kiosk: import: warning: %s had a ticket from 'kiosk mail' whose "
		    "code no longer scans: 'kiosk mail --unsent' mails %s the new one; print %s "
		    "badge%s again too\n", buf_cstr(&who), rep.remail == 1 ? "them" : "each",
		    rep.remail == 1 ? "their" : "those", rep.remail == 1 ? "" : "s");
		buf_free(&who);
	}
	if (rep.rebadged > 0) {
		/* A correction made on the platform (a misspelt name, an
		 * upgrade to VIP) after the badges were printed: the door
		 * admits the guest, but the badge they are handed is wrong.
		 * A dry run lists the changes already (show_change). */
		struct buf who;
		guests_at(&who, rep.rebadged, unit, rep.rebadged_lines);
		fprintf(stderr, "kiosk: import: note: %s now ha%s another name, company, handle or "
		    "ticket type: a badge printed before shows the old one; print %s again "
		    "('kiosk badges --code CODE'%s)\n", buf_cstr(&who), rep.rebadged == 1 ? "s" : "ve",
		    rep.rebadged == 1 ? "that badge" : "those badges",
		    verbose || dry ? "" : "; --verbose lists the changes");
		buf_free(&who);
	}
	if (rep.absent > 0) {
		/* A row deleted from the export (a refund the platform drops,
		 * a colleague's tidying) leaves its guest on the list: kept,
		 * since a list of fewer is no cancellation, but said. */
		struct buf names;
		buf_init(&names, 0);
		for (size_t i = 0; i < rep.absent && i < IMPORT_KEPT_LINES; i++)
			buf_addf(&names, "%s%s", i ? ", " : "", rep.absent_names[i]);
		if (rep.absent > IMPORT_KEPT_LINES)
			buf_addf(&names, " and %zu more", rep.absent - IMPORT_KEPT_LINES);
		fprintf(stderr, "kiosk: import: note: %zu guest%s on the list %s not in %s: %s; "
		    "kept, and still let in: 'kiosk cancel CODE' for one who should not get in\n",
		    rep.absent, rep.absent == 1 ? "" : "s", rep.absent == 1 ? "is" : "are", path,
		    buf_cstr(&names));
		buf_free(&names);
	}
	if (rep.zeros > 0) {
		struct buf who;
		guests_at(&who, rep.zeros, unit, rep.zeros_lines);
		fprintf(stderr, "kiosk: import: note: %s ha%s a ticket code without the leading "
		    "zeros the list has, or with more (a spreadsheet opened the codes as numbers: "
		    "123 for 000123): the same ticket%s, whose code%s as listed %s kept\n",
		    buf_cstr(&who), rep.zeros == 1 ? "s" : "ve", rep.zeros == 1 ? "" : "s",
		    rep.zeros == 1 ? "" : "s", rep.zeros == 1 ? "was" : "were");
		buf_free(&who);
	}
	if (rep.recased > 0) {
		/* "ANN PEETERS" in a list a colleague "cleaned up": the name
		 * as listed before is the better one, and so is its badge. */
		struct buf who;
		guests_at(&who, rep.recased, unit, rep.recased_lines);
		fprintf(stderr, "kiosk: import: note: %s ha%s a name in capitals or small letters "
		    "only in this file: the name as listed before was kept, and so are the badges "
		    "printed with it\n", buf_cstr(&who), rep.recased == 1 ? "s" : "ve");
		buf_free(&who);
	}
	/* Erased at their request: said, by line, and left so. */
	for (size_t i = 0; i < rep.forgotten && i < IMPORT_KEPT_LINES; i++) {
		char day[KTIME_BUF];
		ktime_local(rep.forgotten_at[i], day);
		day[strcspn(day, " ")] = '\0';
		fprintf(stderr, "kiosk: import: %s: %s %zu: a guest forgotten with kiosk forget "
		    "on %s; not restored\n", path, unit, rep.forgotten_lines[i], day);
	}
	if (rep.forgotten > IMPORT_KEPT_LINES)
		fprintf(stderr, "kiosk: import: and %zu more rows of guests forgotten with kiosk "
		    "forget; not restored\n", rep.forgotten - IMPORT_KEPT_LINES);
	/* the codes as imported, a dry run's too: the run before the real one
	 * is where they are looked at */
	cli_say_short_codes(&c, NULL, rep.short_codes, rep.shortest_code);
	printf("%sadded %zu, updated %zu, unchanged %zu, rejected %zu",
	    dry ? "dry run (nothing written): " : "", rep.added, rep.updated, rep.unchanged,
	    rep.rejected);
	if (rep.forgotten > 0)
		printf(", forgotten %zu (not restored)", rep.forgotten);
	printf("\n");
	rc = rep.rejected > 0 ? CLI_PARTIAL : CLI_OK;
out:
	import_free(plan);
	free(maps);
	cli_done(&c);
	forget_draft();
	if (held) /* a stop held back now ends the program, its draft gone */
		pthread_sigmask(SIG_SETMASK, &mask, NULL);
	return rc;
}

const struct cmd_entry cmd_import_entry = {
	"import", "FILE [--map FIELD=COLUMN]... [--sheet NAME] [--dry-run]",
	"Import or update the guest list from a CSV export (Eventbrite, Meetup, pretix, Tito, "
	"HelloAsso, Luma, Google Forms, Excel), an Excel workbook (.xlsx) or an OpenDocument "
	"spreadsheet (.ods).",
	"FILE is a CSV file (any delimiter and encoding), an Excel workbook (.xlsx) or an\n"
	"OpenDocument spreadsheet (.ods), whose first visible sheet (or --sheet) is\n"
	"read as the spreadsheet shows it (.xls: save it as .xlsx or CSV UTF-8 first).\n"
	"Re-importing an updated export updates matched guests, adds new ones and never\n"
	"drops a guest or a check-in. Rejected rows are listed with their line (of a\n"
	"workbook, their row); the others are imported. Exit status: 0 all rows imported,\n"
	"2 some rejected, 1 nothing imported.\n\n"
	"options:\n"
	"  --map FIELD=COLUMN take FIELD from COLUMN (fields: first, last, name, email,\n"
	"                     company, type, handle, id, code, status, language, infix,\n"
	"                     name-last-first: a whole name written last name first)\n"
	"  --sheet NAME       of a workbook or spreadsheet, read the sheet named NAME\n"
	"                     (its tab; case ignored), not the first one shown\n"
	"  --dry-run          show what would change; write nothing\n"
	"  --verbose          list every added and updated guest, and every warning\n"
	"  --new-codes        let guests on the list take the file's new ticket codes\n"
	"                     (the platform issued new ones; without it such a file is\n"
	"                     refused, as the tickets sent would no longer scan)\n"
	"  --on-door          import on a door synced with a hub (refused without it:\n"
	"                     import on the hub, which the doors sync from)\n"
	"  --event-name NAME  name of a new event (default: kiosk.conf)\n"
	"  --timezone ZONE    time zone of a new event, e.g. Europe/Brussels\n"
	"  --tag TAG          short tag in the codes of a new event, e.g. SMD26\n",
	cmd_import,
};
