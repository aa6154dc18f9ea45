/* kiosk badges: name badges with QR codes, as a PDF or PNG, or printed. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "badge/badge.h"
#include "badge/print.h"
#include "cli/cli.h"
#include "core/code.h"
#include "core/guest.h"
#include "core/ktime.h"
#include "core/util.h"
#include "ui/app.h"

enum { OPT_OUT = OPT__FIRST_OWN, OPT_LAYOUT, OPT_CODE, OPT_SINCE, OPT_PRINT, OPT_LIST };

/* The guests to print, copied out of the store. */
struct set {
	struct guest *g;
	size_t n;
};

static int
keep(const struct guest *g, void *arg)
{
	struct set *set = arg;
	if (g->cancelled)
		return 0;
	set->g = xreallocarray(set->g, set->n + 1, sizeof *set->g);
	struct guest *c = &set->g[set->n++];
	memset(c, 0, sizeof *c);
	c->first_name = xstrdup(g->first_name);
	c->last_name = xstrdup(g->last_name);
	c->company = xstrdup(g->company);
	c->handle = xstrdup(g->handle);
	c->ticket_type = xstrdup(g->ticket_type);
	c->code = xstrdup(g->code);
	return 0;
}

static void
list_layouts(void)
{
	for (size_t i = 0; i < badge_layout_count(); i++) {
		const struct badge_layout *l = badge_layout_at(i);
		printf("%-8s  %s (page %g x %g mm, %d per page)\n", l->name, l->what, l->page_w,
		    l->page_h, l->cols * l->rows);
	}
}

static int
cmd_badges(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "out", required_argument, NULL, OPT_OUT },
		{ "layout", required_argument, NULL, OPT_LAYOUT },
		{ "code", required_argument, NULL, OPT_CODE },
		{ "new-since", required_argument, NULL, OPT_SINCE },
		{ "print", required_argument, NULL, OPT_PRINT },
		{ "list-layouts", no_argument, NULL, OPT_LIST },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_badges_entry };
	struct set set = { NULL, 0 };
	struct badge_info *info = NULL;
	const char **codes = xcalloc((size_t)argc + 1, sizeof *codes);
	const char *out = NULL, *layout = NULL, *since = NULL, *printer = NULL;
	bool print = false;
	size_t ncodes = 0;
	char *cause = NULL, *tmp = NULL;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		switch (opt) {
		case OPT_OUT: out = optarg; break;
		case OPT_LAYOUT: layout = optarg; break;
		case OPT_CODE: codes[ncodes++] = optarg; break;
		case OPT_SINCE: since = optarg; break;
		case OPT_PRINT:
			print = true;
			printer = strcmp(optarg, "default") == 0 ? NULL : optarg;
			break;
		case OPT_LIST:
			list_layouts();
			rc = CLI_OK;
			goto out;
		}
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cli_load(&c) != 0)
		goto out;
	const struct badge_layout *l = badge_layout_find(layout ? layout : c.conf->badge_layout);
	if (l == NULL) {
		cli_error(&c, "unknown layout '%s'; see 'kiosk badges --list-layouts'",
		    layout ? layout : c.conf->badge_layout);
		goto out;
	}
	if (cli_open(&c, STORE_READONLY, NULL) != 0)
		goto out;
	if (ncodes > 0) {
		for (size_t i = 0; i < ncodes; i++) {
			struct guest g;
			char *norm = NULL;
			if (code_normalize(codes[i], strlen(codes[i]), &norm) != CODE_OK) {
				cli_error(&c, "'%s' is not a ticket code", codes[i]);
				goto out;
			}
			int found = guest_find_by_code(c.store, norm, &g, &cause);
			free(norm);
			if (found < 0) {
				rc = cli_fail(&c, cause);
				goto out;
			}
			if (found == 0) {
				cli_error(&c, "no guest has the code '%s'; nothing written", codes[i]);
				goto out;
			}
			bool twice = false;
			for (size_t k = 0; k < set.n && !twice; k++)
				twice = strcmp(set.g[k].code, g.code) == 0;
			int64_t forgotten = 0;
			if (g.cancelled && guest_forgotten_at(c.store, g.id, &forgotten, &cause) != 0) {
				guest_clear(&g);
				rc = cli_fail(&c, cause);
				goto out;
			}
			if (g.cancelled && forgotten != 0) {
				/* no name left to say whose */
				fprintf(stderr, "kiosk: badges: note: '%s' is the ticket of a guest "
				    "forgotten with kiosk forget: no badge\n", codes[i]);
			} else if (g.cancelled) {
				char *name = guest_display_name(&g);
				fprintf(stderr, "kiosk: badges: note: '%s' is %s's cancelled ticket: no "
				    "badge\n", codes[i], name);
				free(name);
			} else if (!twice) {
				keep(&g, &set);
			}
			guest_clear(&g);
		}
	} else {
		int n;
		if (since != NULL) {
			int y, mo, d, h, mi;
			int64_t ms;
			if (conf_parse_local_time(since, &y, &mo, &d, &h, &mi) != 0 ||
			    ktime_from_local(y, mo, d, h, mi, &ms) != 0) {
				cli_error(&c, "--new-since: expected 'YYYY-MM-DD HH:MM', got '%s'", since);
				goto out;
			}
			n = guest_each_since(c.store, ms, keep, &set, &cause);
		} else {
			n = guest_each(c.store, keep, &set, &cause);
		}
		if (n < 0) {
			rc = cli_fail(&c, cause);
			goto out;
		}
	}
	if (set.n == 0) {
		cli_error(&c, "no guests to make badges for");
		goto out;
	}
	info = xcalloc(set.n, sizeof *info);
	for (size_t i = 0; i < set.n; i++) {
		info[i].first_name = set.g[i].first_name;
		info[i].last_name = set.g[i].last_name;
		info[i].company = set.g[i].company;
		info[i].handle = set.g[i].handle;
		info[i].ticket_type = set.g[i].ticket_type;
		info[i].event_name = store_event(c.store)->name;
		info[i].code = set.g[i].code;
	}
	char *fonts = xasprintf("%s/fonts", app_datadir());
	badge_use_fonts(fonts);
	free(fonts);
	if (print && out == NULL) {
		/* Print from a temporary PDF, removed afterwards. */
		tmp = xstrdup("/tmp/kiosk-badges-XXXXXX");
		int fd = mkstemp(tmp);
		if (fd < 0) {
			cli_error(&c, "cannot make a temporary file");
			goto out;
		}
		close(fd);
		out = tmp;
	}
	if (out == NULL)
		out = "badges.pdf";
	else if (out != tmp && !cli_ends_with(out, ".pdf") && !cli_ends_with(out, ".png")) {
		cli_error(&c, "--out %s: badges are a .pdf (sheets) or a .png (one badge)", out);
		goto out;
	}
	int r;
	if (cli_ends_with(out, ".png")) {
		if (set.n != 1) {
			cli_error(&c, "a PNG holds one badge: name it with --code (%zu guests chosen)",
			    set.n);
			goto out;
		}
		r = badge_render_png(out, l, info, 300, &cause);
	} else {
		r = badge_render_pdf(out, l, info, set.n, &cause);
	}
	if (r != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (print) {
		int job = print_pdf(out, printer, "kiosk badges", &cause);
		if (job < 0) {
			rc = cli_fail(&c, cause);
			goto out;
		}
		printf("%zu badge%s sent to %s (job %d)\n", set.n, set.n == 1 ? "" : "s",
		    printer && printer[0] ? printer : "the default printer", job);
	}
	if (tmp == NULL && cli_ends_with(out, ".png")) /* one badge, as a cell of the layout */
		printf("1 badge (one %s label, 300 dpi) written to %s\n", l->name, out);
	else if (tmp == NULL)
		printf("%zu badge%s (%s) written to %s\n", set.n, set.n == 1 ? "" : "s", l->name, out);
	rc = CLI_OK;
out:
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	for (size_t i = 0; i < set.n; i++)
		guest_clear(&set.g[i]);
	free(set.g);
	free(info);
	free(codes);
	cli_done(&c);
	badge_shutdown();
	return rc;
}

const struct cmd_entry cmd_badges_entry = {
	"badges", "[--out FILE.pdf|FILE.png] [--layout NAME] [--code CODE]... [--new-since TIME] "
	"[--print PRINTER]",
	"Make name badges with QR codes: a PDF for label sheets, a PNG, or print them.",
	"Every guest (cancelled tickets left out), or those named with --code, or those\n"
	"added since a time. The file is written whole or not at all.\n\noptions:\n"
	"  --out FILE         badges.pdf by default; FILE.png renders one badge at 300 dpi\n"
	"  --layout NAME      see --list-layouts (default: kiosk.conf [badge] layout)\n"
	"  --list-layouts     the layouts and their sizes\n"
	"  --code CODE        only this guest (repeat for more)\n"
	"  --new-since TIME   only guests added since 'YYYY-MM-DD HH:MM' (event time)\n"
	"  --print PRINTER    send to this CUPS printer ('default': the default printer)\n",
	cmd_badges,
};
