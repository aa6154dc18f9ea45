/* kiosk config: print the documented default kiosk.conf, or check one. */
#include <string.h>

#include "cli/cli.h"

enum { OPT_DEFAULTS = OPT__FIRST_OWN, OPT_CHECK };

/* --check: every error, one a line, so that a file with three typos is
 * mended in one go; then how many. */
static int
config_check(struct cli *c)
{
	struct conf_errors errs;

	if (cli_load_all(c, &errs) == 0) {
		printf("%s: ok\n", c->conf->path ? c->conf->path : "built-in defaults");
		return CLI_OK;
	}
	for (size_t i = 0; i < errs.n; i++)
		cli_error(c, "%s", errs.msg[i]);
	if (errs.total > errs.n)
		cli_error(c, "%zu errors, the first %zu shown: is this a kiosk.conf?", errs.total,
		    errs.n);
	else if (errs.total > 1)
		cli_error(c, "%zu errors", errs.total);
	conf_errors_free(&errs);
	return CLI_ERROR;
}

static int
cmd_config(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "defaults", no_argument, NULL, OPT_DEFAULTS },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_config_entry };
	bool defaults = false, check = false;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_DEFAULTS)
			defaults = true;
		else if (opt == OPT_CHECK)
			check = true;
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	/* Which one was meant cannot be told: the defaults printed would
	 * have read as the check's answer. */
	if (defaults && check) {
		cli_error(&c, "--defaults and --check: give one (--defaults prints the default "
		    "kiosk.conf, --check checks yours)");
		goto out;
	}
	/* A write that failed is main's to say (it knows the output is lost):
	 * an error here would have told it the command had said so. */
	if (defaults) {
		(void)conf_write_default(stdout); /* a failed write: main says so */
		rc = CLI_OK;
		goto out;
	}
	rc = config_check(&c);
out:
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_config_entry = {
	"config", "[--defaults | --check]",
	"Check kiosk.conf, or print a documented default one.",
	"options:\n"
	"  --check            load kiosk.conf (or --config) and report every error\n"
	"                     (the default)\n"
	"  --defaults         print the documented default kiosk.conf\n",
	cmd_config,
};
