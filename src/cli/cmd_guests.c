/* kiosk guests and kiosk add: the guest list for the organiser. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/code.h"
#include "core/colmap.h"
#include "core/csvout.h"
#include "core/fold.h"
#include "core/guest.h"
#include "core/util.h"

enum { OPT_SEARCH = OPT__FIRST_OWN, OPT_FORMAT, OPT_LIMIT, OPT_FIRST, OPT_LAST, OPT_EMAIL,
	OPT_COMPANY, OPT_TYPE, OPT_LANGUAGE, OPT_JSON, OPT_KIOSK, OPT_NAME, OPT_TZ, OPT_TAG };

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

struct list {
	enum format fmt;
	json_t *array;
	int n;
	int cancelled;          /* of them */
	FILE *fp;               /* where the rows go (write_list's) */
	struct store *store;
	const char *search;     /* NULL: every guest */
	int limit;
	bool more;              /* the search looked at only some of the names */
};

static const char *const csv_header[] = {
	"code", "first_name", "last_name", "email", "company", "ticket_type", "handle",
	"source", "status", "extra",
};

/* s and the spaces that line the next column up after width terminal
 * columns (printf pads bytes: "Zoë Çelik" came out two short). */
static void
cell(FILE *fp, const char *s, size_t width)
{
	size_t w = fold_width(s);
	fprintf(fp, "%s%*s", s, (int)(w < width ? width - w : 0) + 2, "");
}

/* A guest's extra fields ({"T-shirt size":"L","Dietary needs":"none"}) as
 * a person reads them: "T-shirt size: L; Dietary needs: none". The JSON
 * as it is should it not parse. Caller frees. */
static char *
extra_text(const char *json)
{
	json_t *o = json_loads(json, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return xstrdup(json);
	}
	struct buf b;
	buf_init(&b, 0);
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		const char *t = json_string_value(v);
		if (t != NULL && t[0] != '\0')
			buf_addf(&b, "%s%s: %s", b.len ? "; " : "", key, t);
	}
	json_decref(o);
	return buf_take(&b);
}

/* Whether g was erased with kiosk forget: asked only of a cancelled guest
 * without a name, as only such a one can be, so a list of thousands asks
 * the database nothing more. */
static bool
forgotten(struct store *s, const struct guest *g)
{
	int64_t at = 0;
	if (!g->cancelled || g->first_name[0] != '\0' || g->last_name[0] != '\0')
		return false;
	return guest_forgotten_at(s, g->id, &at, NULL) == 0 && at != 0;
}

static int
print_guest(const struct guest *g, void *arg)
{
	struct list *l = arg;
	l->n++;
	l->cancelled += g->cancelled;
	switch (l->fmt) {
	case FMT_JSON:
		json_array_append_new(l->array, cli_guest_json(g, true));
		break;
	case FMT_CSV: {
		const char *v[] = { g->code, g->first_name, g->last_name, g->email, g->company,
		    g->ticket_type, g->handle, g->source, g->cancelled ? "cancelled" : "valid",
		    g->extra };
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			csvout_field(l->fp, v[i], ',', i == 0);
		csvout_end_row(l->fp);
		break;
	}
	case FMT_TABLE: {
		char *name = guest_display_name(g);
		char *extra = extra_text(g->extra);
		cell(l->fp, g->code, 26);
		cell(l->fp, name, 30);
		cell(l->fp, g->email, 28);
		cell(l->fp, g->company, 20);
		cell(l->fp, g->ticket_type, 16);
		/* a row with a code and no name: say why */
		fprintf(l->fp, "%s%s%s\n", forgotten(l->store, g) ? "[forgotten]" :
		    g->cancelled ? "[cancelled]" : "",
		    g->cancelled && extra[0] ? " " : "", extra);
		free(extra);
		free(name);
		break;
	}
	}
	return 0;
}

/* The list, header first, for cli_write_output (which holds it in memory
 * until the query is done: a reader that stops holds up no door). */
static int
write_list(FILE *fp, void *arg, char **cause)
{
	struct list *l = arg;
	l->fp = fp;
	if (l->fmt == FMT_JSON)
		l->array = json_array();
	if (l->fmt == FMT_CSV) {
		for (size_t i = 0; i < sizeof csv_header / sizeof csv_header[0]; i++)
			csvout_field(fp, csv_header[i], ',', i == 0);
		csvout_end_row(fp);
	}
	if (l->fmt == FMT_TABLE) {
		cell(fp, "code", 26);
		cell(fp, "name", 30);
		cell(fp, "e-mail", 28);
		cell(fp, "company", 20);
		cell(fp, "ticket type", 16);
		fprintf(fp, "extra fields\n");
	}
	int n = l->search ? guest_search_more(l->store, l->search, l->limit, print_guest, l,
	    &l->more, cause) : guest_each(l->store, print_guest, l, cause);
	if (n < 0)
		return -1;
	if (l->fmt == FMT_JSON) {
		json_dumpf(l->array, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', fp);
	}
	return ferror(fp) ? -1 : 0;
}

static int
cmd_guests(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "search", required_argument, NULL, OPT_SEARCH },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_guests_entry };
	struct list l = { FMT_TABLE, NULL, 0, 0, NULL, NULL, NULL, 50, false };
	const char *search = NULL;
	int opt, rc = CLI_ERROR;
	bool limit_given = false;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_SEARCH) {
			search = optarg;
		} else if (opt == OPT_LIMIT) {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 100000) {
				cli_error(&c, "--limit: expected a number from 1 to 100000, got '%s'",
				    optarg);
				goto out;
			}
			l.limit = (int)v;
			limit_given = true;
		} else if (opt == OPT_FORMAT) {
			if (strcmp(optarg, "table") == 0)
				l.fmt = FMT_TABLE;
			else if (strcmp(optarg, "csv") == 0)
				l.fmt = FMT_CSV;
			else if (strcmp(optarg, "json") == 0)
				l.fmt = FMT_JSON;
			else {
				cli_error(&c, "--format: expected table, csv or json, got '%s'", optarg);
				goto out;
			}
		}
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (limit_given && search == NULL) {
		cli_error(&c, "--limit goes with --search (without it, every guest is listed)");
		goto out;
	}
	if (cli_load(&c) != 0 || cli_open(&c, STORE_READONLY, NULL) != 0)
		goto out;
	l.store = c.store;
	l.search = search;
	if (cli_write_output(&c, NULL, write_list, &l) != 0)
		goto out;
	/* Said for a file too (on stderr, beside it): a list saved as CSV
	 * would otherwise be cut at the limit without a word. */
	if (search != NULL && l.n == l.limit)
		fprintf(stderr, "the first %d guests found; more may match (--limit N shows more)\n",
		    l.n);
	else if (search != NULL && l.more)
		/* every word typed starts so many names that only the first
		 * were looked at: "0 guests" would be untrue */
		fprintf(stderr, "%d guest%s found, but so many names start so that only some "
		    "were looked at; more may match: type more of the name\n", l.n,
		    l.n == 1 ? "" : "s");
	else if (l.fmt == FMT_TABLE && l.cancelled > 0)
		/* Cancelled ones are listed, marked: the total says how many
		 * (stats' registered also counts one cancelled after it came). */
		fprintf(stderr, "%d guest%s: %d valid, %d cancelled\n", l.n, l.n == 1 ? "" : "s",
		    l.n - l.cancelled, l.cancelled);
	else if (l.fmt == FMT_TABLE)
		fprintf(stderr, "%d guest%s%s\n", l.n, l.n == 1 ? "" : "s", search != NULL &&
		    l.n == 0 && fold_width(search) < 2 ? " (a search needs two letters or more)" : "");
	else if (search != NULL && l.n == 0 && fold_width(search) < 2)
		/* csv, json: the list stays a list for the script; the reason
		 * why it is empty goes aside */
		cli_error(&c, "warning: a search needs two letters or more; '%s' lists nobody",
		    search);
	rc = CLI_OK;
out:
	json_decref(l.array);
	cli_done(&c);
	return rc;
}

static int
cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "first", required_argument, NULL, OPT_FIRST },
		{ "last", required_argument, NULL, OPT_LAST },
		{ "email", required_argument, NULL, OPT_EMAIL },
		{ "company", required_argument, NULL, OPT_COMPANY },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "language", required_argument, NULL, OPT_LANGUAGE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "kiosk", required_argument, NULL, OPT_KIOSK },
		{ "event-name", required_argument, NULL, OPT_NAME },
		{ "timezone", required_argument, NULL, OPT_TZ },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_add_entry };
	struct guest_fields f = { 0 };
	struct guest g = { 0 };
	const char *kiosk = NULL, *name = NULL, *tz = NULL, *tag = NULL, *language = NULL;
	bool json = false;
	char *cause = NULL;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		switch (opt) {
		case OPT_FIRST: f.first_name = optarg; break;
		case OPT_LAST: f.last_name = optarg; break;
		case OPT_EMAIL: f.email = optarg; break;
		case OPT_COMPANY: f.company = optarg; break;
		case OPT_TYPE: f.ticket_type = optarg; break;
		case OPT_LANGUAGE: language = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_KIOSK: kiosk = optarg; break;
		case OPT_NAME: name = optarg; break;
		case OPT_TZ: tz = optarg; break;
		case OPT_TAG: tag = optarg; break;
		}
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	/* Checked before the database is made: a refused walk-in leaves no new
	 * file behind. */
	const char *vals[] = { f.first_name, f.last_name, f.email, f.company, f.ticket_type };
	const char *opts[] = { "--first", "--last", "--email", "--company", "--type" };
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		if (vals[i] == NULL)
			continue;
		if (strlen(vals[i]) > 1024) {
			cli_error(&c, "%s: %zu bytes long (at most 1024)", opts[i], strlen(vals[i]));
			goto out;
		}
		if (util_text_check(opts[i], vals[i], &cause) != 0) {
			rc = cli_fail(&c, cause);
			goto out;
		}
		size_t len = strlen(vals[i]);
		for (size_t j = 0; j < len; j++) {
			const char *p = vals[i] + j;
			unsigned cp;
			if ((unsigned char)*p < ' ' || *p == 0x7f) {
				cli_error(&c, "%s: contains a control character (byte 0x%02x)",
				    opts[i], (unsigned char)*p);
				goto out;
			}
			if ((cp = util_c1_at(p, len - j)) != 0) {
				cli_error(&c, "%s: contains a control character (U+%04X)", opts[i], cp);
				goto out;
			}
			if ((cp = util_direction_at(p, len - j)) != 0) {
				cli_error(&c, "%s: contains a direction control (U+%04X), which can "
				    "make it read as another text", opts[i], cp);
				goto out;
			}
		}
	}
	if (cli_kiosk_check(&c, kiosk) != 0 || cli_check_event_flags(&c, tz, tag) != 0)
		goto out;
	if (util_blank(f.first_name) && util_blank(f.last_name)) {
		cli_error(&c, "a walk-in needs --first or --last");
		goto out;
	}
	/* Padding a copy brings is taken off when stored (guest_add_walkin). */
	char *email = util_trim_invisible(f.email);
	bool bad_email = email != NULL && email[0] != '\0' && !util_email_ok(email);
	free(email);
	if (bad_email) {
		cli_error(&c, "--email '%s': not an address a ticket can be mailed to (write it "
		    "as name@example.org), or leave it out", f.email);
		goto out;
	}
	if (language != NULL && (f.language = colmap_language(language)) == NULL) {
		cli_error(&c, "--language '%s': expected en, nl, fr or de (or their names)",
		    language);
		goto out;
	}
	if (cli_load(&c) != 0)
		goto out;
	struct store_event_init init = {
		name ? name : c.conf->event_name, tz ? tz : c.conf->event_tz,
		tag ? tag : c.conf->event_tag, NULL,
	};
	if (cli_open(&c, STORE_CREATE, &init) != 0)
		goto out;
	cli_note_event_flags(&c, name, tz, tag);
	if (store_made_event(c.store))
		cli_note_new_event(&c, store_path(c.store), false, json ? NULL : stdout);
	if (guest_add_walkin(c.store, &f, cli_kiosk_name(&c, kiosk), &g, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	/* a walk-in added in another folder than the event's */
	if (store_made_event(c.store) && c.conf_none && c.db == NULL)
		cli_error(&c, "warning: there is no kiosk.conf in this folder, so the walk-in is "
		    "in a new event made here (%s); if the event is elsewhere, delete %s and run "
		    "kiosk add in the event's folder, or give --config or --db", store_path(c.store),
		    store_path(c.store));
	if (json) {
		json_t *j = cli_guest_json(&g, true);
		cli_json_line(j);
		json_decref(j);
	} else {
		char *dn = guest_display_name(&g);
		printf("added %s, code %s\n", dn, g.code);
		free(dn);
	}
	/* The guest is registered: a code nobody saw would make the organiser
	 * register them again. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(&c, "cannot write the output (%s); the walk-in is registered, code %s",
		    strerror(errno), g.code);
		goto out;
	}
	rc = CLI_OK;
	/* Registered at the desk though on the list already (a ticket bought
	 * online, a name not searched for): two tickets that both admit. */
	struct guest t;
	char *why = NULL;
	int twin = guest_find_twin(c.store, f.first_name, f.last_name, f.email, g.id, &t, &why);
	if (twin < 0) {
		cli_error(&c, "warning: %s", why);
		free(why);
	} else if (twin > 0) {
		char *dn = guest_display_name(&t);
		cli_error(&c, "warning: %s%s%s%s is on the list already, code %s: if one person, they "
		    "now hold two tickets that both admit ('kiosk cancel %s' the new one)", dn,
		    t.email[0] ? " (" : "", t.email, t.email[0] ? ")" : "", t.code, g.code);
		free(dn);
		guest_clear(&t);
	}
out:
	guest_clear(&g);
	cli_done(&c);
	return rc;
}

static int
cmd_cancel(int argc, char **argv)
{
	enum { OPT_UNDO = OPT__FIRST_OWN, OPT_KIOSK_BY };
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "undo", no_argument, NULL, OPT_UNDO },
		{ "kiosk", required_argument, NULL, OPT_KIOSK_BY },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_cancel_entry };
	struct guest g = { 0 };
	const char *kiosk = NULL;
	bool undo = false;
	char *cause = NULL, *code = NULL;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_UNDO)
			undo = true;
		else if (opt == OPT_KIOSK_BY)
			kiosk = optarg;
	}
	if (argc - optind != 1) {
		cli_error(&c, "expected one ticket code");
		goto out;
	}
	if (cli_kiosk_check(&c, kiosk) != 0)
		goto out;
	enum code_status cs = code_normalize(argv[optind], strlen(argv[optind]), &code);
	if (cs != CODE_OK) {
		cli_error(&c, "'%s': %s", argv[optind], code_status_str(cs));
		goto out;
	}
	if (cli_load(&c) != 0 || cli_open(&c, 0, NULL) != 0)
		goto out;
	int r = guest_set_cancelled(c.store, code, !undo, cli_kiosk_name(&c, kiosk), &g, &cause);
	if (r < 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	char *dn = guest_display_name(&g);
	if (r == 1 && dn[0] == '\0') /* forgotten: no name to say whose */
		printf("the ticket with code ending %s was already %s\n", cli_code_tail(g.code),
		    undo ? "valid" : "cancelled");
	else if (r == 1)
		printf("%s's ticket was already %s\n", dn, undo ? "valid" : "cancelled");
	else
		printf("%s's ticket is %s%s\n", dn, undo ? "valid again" : "cancelled",
		    c.conf->hub_url[0] ? " (kiosks hear of it at their next sync)" : "");
	free(dn);
	rc = CLI_OK;
out:
	free(code);
	guest_clear(&g);
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_cancel_entry = {
	"cancel", "CODE [--undo]",
	"Cancel a ticket (refused at every door after their next sync), or reinstate it.",
	"options:\n"
	"  --undo             make a cancelled ticket valid again\n"
	"  --kiosk NAME       record who made the change\n",
	cmd_cancel,
};

#define FORGET_SHOWN 3      /* codes named in what kiosk forget did */

/* Who else erases a forgotten guest: nobody (a kiosk alone), the doors
 * (this is the hub: `kiosk hub` serves the event, which holds their
 * tokens, or this door serves it), or the hub and the other doors (a
 * door joined to a hub). */
enum forget_reach { FORGET_HERE, FORGET_DOORS, FORGET_HUB_AND_DOORS };

static enum forget_reach
forget_reach(struct cli *c)
{
	const char *url;
	enum cli_role role = cli_event_role(c, &url);
	return role == CLI_ROLE_HUB ? FORGET_DOORS :
	    role == CLI_ROLE_DOOR ? FORGET_HUB_AND_DOORS : FORGET_HERE;
}

/* Ask on the terminal, once the guests are listed; true for yes. reach:
 * who else erases them, at their next sync. */
static bool
forget_confirmed(size_t n, enum forget_reach reach)
{
	static const char *const also[] = {
		[FORGET_HERE] = "",
		[FORGET_DOORS] = ", here and, at their next sync, at every door",
		[FORGET_HUB_AND_DOORS] = ", here and, at their next sync, at every door and the hub",
	};
	char answer[16];
	fprintf(stderr, "Erase %s for good%s? Type yes: ", n == 1 ?
	    "this guest's name, e-mail and all that names them" :
	    "these guests' names, e-mails and all that names them", also[reach]);
	if (fgets(answer, sizeof answer, stdin) == NULL)
		return false;
	answer[strcspn(answer, "\r\n")] = '\0';
	return strcmp(answer, "yes") == 0;
}

static int
cmd_forget(int argc, char **argv)
{
	enum { OPT_YES = OPT__FIRST_OWN, OPT_KIOSK_BY };
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "yes", no_argument, NULL, OPT_YES },
		{ "kiosk", required_argument, NULL, OPT_KIOSK_BY },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_forget_entry };
	const char *kiosk = NULL;
	bool yes = false, emptied = false;
	char *cause = NULL;
	int64_t *ids = NULL, *done = NULL, at = 0;
	char **codes = NULL;
	size_t n = 0, ndone = 0; /* done: those forgotten before, said once */
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_YES)
			yes = true;
		else if (opt == OPT_KIOSK_BY)
			kiosk = optarg;
	}
	if (argc - optind < 1) {
		cli_error(&c, "expected the ticket code of each guest to forget ('kiosk guests "
		    "--search NAME' shows it)");
		goto out;
	}
	if (cli_kiosk_check(&c, kiosk) != 0)
		goto out;
	/* Before anything is asked or written: a code that names nobody is
	 * a typo, and nothing is erased. */
	if (!yes && !isatty(STDIN_FILENO)) {
		cli_error(&c, "this erases for good: give --yes to confirm (not asked: standard "
		    "input is not a terminal); nothing changed");
		goto out;
	}
	if (cli_load(&c) != 0 || cli_open(&c, 0, NULL) != 0)
		goto out;
	ids = xcalloc((size_t)(argc - optind), sizeof *ids);
	done = xcalloc((size_t)(argc - optind), sizeof *done);
	codes = xcalloc((size_t)(argc - optind), sizeof *codes);
	for (int i = optind; i < argc; i++) {
		char *code = NULL;
		struct guest g = { 0 };
		enum code_status cs = code_normalize(argv[i], strlen(argv[i]), &code);
		if (cs != CODE_OK) {
			cli_error(&c, "'%s': %s; nothing changed", argv[i], code_status_str(cs));
			goto out;
		}
		int found = guest_find_by_scanned(c.store, code, &g, &cause);
		free(code);
		if (found < 0) {
			rc = cli_fail(&c, cause);
			goto out;
		}
		if (found == 0) {
			cli_error(&c, "no guest has the code '%s'; nothing changed", argv[i]);
			goto out;
		}
		int64_t was = 0;
		if (guest_forgotten_at(c.store, g.id, &was, &cause) != 0) {
			guest_clear(&g);
			rc = cli_fail(&c, cause);
			goto out;
		}
		bool twice = false;
		for (size_t k = 0; k < n; k++)
			twice = twice || ids[k] == g.id;
		for (size_t k = 0; k < ndone; k++)
			twice = twice || done[k] == g.id;
		if (was != 0 || twice) {
			if (was != 0 && !twice) {
				printf("code ending %s: forgotten already\n", cli_code_tail(g.code));
				done[ndone++] = g.id;
			}
			guest_clear(&g);
			continue;
		}
		/* The organiser's own terminal, before yes: whom they erase. */
		if (!yes) {
			char *dn = guest_display_name(&g);
			printf("%s  %s%s%s%s\n", g.code, dn, g.email[0] ? " <" : "", g.email,
			    g.email[0] ? ">" : "");
			free(dn);
		}
		ids[n] = g.id;
		codes[n++] = xstrdup(g.code);
		guest_clear(&g);
	}
	if (n == 0) {
		rc = CLI_OK;
		goto out;
	}
	enum forget_reach reach = forget_reach(&c);
	if (!yes && (fflush(stdout), !forget_confirmed(n, reach))) {
		cli_error(&c, "not confirmed; nothing changed");
		goto out;
	}
	if (guest_forget(c.store, ids, n, cli_kiosk_name(&c, kiosk), &at, &emptied,
	    &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	printf("forgot %zu guest%s (code%s ending", n, n == 1 ? "" : "s", n == 1 ? "" : "s");
	for (size_t k = 0; k < n && k < FORGET_SHOWN; k++)
		printf("%s %s", k ? "," : "", cli_code_tail(codes[k]));
	if (n > FORGET_SHOWN)
		printf(" and %zu more", n - FORGET_SHOWN);
	printf(")%s\n", reach == FORGET_DOORS ? "; the doors erase it at their next sync" :
	    reach == FORGET_HUB_AND_DOORS ?
	    "; the hub and the other doors erase it at their next sync" : "");
	if (!emptied)
		cli_error(&c, "note: another program has the event open (a door, the hub, kiosk "
		    "sync): the old data in %s-wal goes when the last of them closes the event",
		    store_path(c.store));
	rc = CLI_OK;
out:
	for (size_t k = 0; k < n; k++)
		free(codes[k]);
	free(codes);
	free(ids);
	free(done);
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_forget_entry = {
	"forget", "CODE [CODE...] [--yes]",
	"Erase guests at their request (GDPR): names, e-mail, all that names them.",
	"A guest's first and last name, e-mail, company, handle, extra fields and\n"
	"language are erased from the event, with what was made of them (the search\n"
	"words, the addresses of the ticket e-mails sent them); their ticket is\n"
	"cancelled. Their code, check-ins and scans stay, so attendance counts stay\n"
	"right. Doors and the hub erase it at their next sync, and a later import of a\n"
	"file that still lists them does not bring it back. Cannot be undone. Codes are\n"
	"what 'kiosk guests --search NAME' shows. The platform's own copy, exported\n"
	"files, badge PDFs and backups are yours to delete (see the README).\n\n"
	"options:\n"
	"  --yes              do not ask (needed when standard input is not a terminal)\n"
	"  --kiosk NAME       record who made the change\n",
	cmd_forget,
};

const struct cmd_entry cmd_guests_entry = {
	"guests", "[--search TEXT] [--format table|csv|json]",
	"List the guest list with codes and extra fields (an organiser's tool).",
	"options:\n"
	"  --search TEXT      guests whose first name, last name or e-mail starts with each\n"
	"                     word typed; case and accents ignored (\"zoe\" finds Zoë)\n"
	"  --limit N          at most N search results (default 50)\n"
	"  --format FORMAT    table (default), csv or json\n",
	cmd_guests,
};

const struct cmd_entry cmd_add_entry = {
	"add", "--first NAME --last NAME [--email E] [--company C] [--type T] [--language L]"
	" [--json]",
	"Register a walk-in: a new guest with a fresh ticket code.",
	"options:\n"
	"  --first NAME, --last NAME, --email E, --company C, --type T\n"
	"  --language L       the language of the guest's ticket e-mail: en, nl, fr or de\n"
	"                     (default: the event's, [mail] language)\n"
	"  --json             print the new guest, code included, as JSON\n"
	"  --kiosk NAME       record who added the guest\n"
	"  --event-name, --timezone, --tag   for a new event, as with import\n",
	cmd_add,
};
