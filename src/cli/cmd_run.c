/* kiosk run: the door app; kiosk pin: set the admin PIN. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/secret.h"
#include "core/util.h"
#include "ui/app.h"

enum { OPT_WINDOWED = OPT__FIRST_OWN, OPT_SIZE, OPT_SHOT, OPT_EXIT_AFTER, OPT_KIOSK,
	OPT_TIMINGS, OPT_TRACE, OPT_BENCH };

/* The settings and the event a door needs, read again at every try
 * (app_fault). Returns 0, or -1 with *why. */
static int
door_ready(void *arg, char **why)
{
	struct cli *c = arg;
	cli_done(c);
	c->conf_none = false;
	return cli_load_quiet(c, why) != 0 || cli_open_quiet(c, CLI_OPEN_DOOR, NULL, why) != 0 ?
	    -1 : 0;
}

static int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "windowed", no_argument, NULL, OPT_WINDOWED },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "kiosk", required_argument, NULL, OPT_KIOSK },
		{ "screenshot", required_argument, NULL, OPT_SHOT },
		{ "exit-after", required_argument, NULL, OPT_EXIT_AFTER },
		{ "timings", required_argument, NULL, OPT_TIMINGS },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "bench-codes", required_argument, NULL, OPT_BENCH },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_run_entry };
	struct app_options o = { .started_ns = util_mono_ns() };
	const char *kiosk = NULL;
	char *cause = NULL;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		switch (opt) {
		case OPT_WINDOWED:
			o.windowed = true;
			break;
		case OPT_SIZE:
			if (sscanf(optarg, "%dx%d", &o.width, &o.height) != 2 || o.width < 320 ||
			    o.height < 240 || o.width > 7680 || o.height > 4320) {
				cli_error(&c, "--size: expected WIDTHxHEIGHT such as 1280x720, got '%s'",
				    optarg);
				goto out;
			}
			o.windowed = true;
			break;
		case OPT_KIOSK:
			kiosk = optarg;
			break;
		case OPT_SHOT:
			o.screenshot = optarg;
			break;
		case OPT_TIMINGS:
			o.timings = optarg;
			break;
		case OPT_TRACE:
			o.trace = optarg;
			break;
		case OPT_BENCH:
			o.bench_codes = optarg;
			break;
		case OPT_EXIT_AFTER: {
			char *end = NULL;
			long ms = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || ms < 0 || ms > 86400000) {
				cli_error(&c, "--exit-after: expected milliseconds from 0 to 86400000, "
				    "got '%s'", optarg);
				goto out;
			}
			o.exit_after_ms = (int)ms;
			break;
		}
		}
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	/* Refused here, not at every scan: the door would show red to all. */
	if (cli_kiosk_check(&c, kiosk) != 0)
		goto out;
	char *why = NULL;
	if (door_ready(&c, &why) != 0) {
		/* Said in the log, and on the door's screen until it is mended
		 * (a door started by its service shows nothing else). */
		cli_error(&c, "%s", why);
		int f = app_fault(why, c.conf != NULL ? c.conf->language : NULL,
		    c.conf != NULL ? c.conf->fullscreen : true, &o, door_ready, &c, &cause);
		free(why);
		if (f < 0)
			cli_error(&c, "%s", cause); /* no screen: the log says why */
		free(cause);
		if (f != 0)
			goto out;
	}
	o.config = c.config ? c.config : "kiosk.conf"; /* as cli_load */
	if (app_run(c.conf, c.store, cli_kiosk_name(&c, kiosk), &o, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	rc = CLI_OK;
out:
	cli_done(&c);
	return rc;
}

static int
cmd_pin(int argc, char **argv)
{
	static const struct option longopts[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	struct cli c = { .cmd = &cmd_pin_entry };
	char pin[64] = "", again[64] = "";
	char *hash = NULL, *cause = NULL;
	bool made = false;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1)
		cli_common_opt(&c, opt);
	const char *path = c.config ? c.config : "kiosk.conf";
	/* "kiosk pin 1234" must not look as if 1234 became the PIN. */
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s': the PIN is read from the terminal "
		    "(or standard input), twice", argv[optind]);
		goto out;
	}
	if (cli_read_secret("New admin PIN (4 to 12 digits): ", pin, sizeof pin) != 0) {
		cli_error(&c, "no PIN given");
		goto out;
	}
	/* printf '1234\n' | kiosk pin: the PIN came, its confirmation not */
	if (cli_read_secret("Again: ", again, sizeof again) != 0) {
		cli_error(&c, "the PIN was given once; it is read twice, the second time to "
		    "confirm it (from standard input: two lines); nothing changed");
		goto out;
	}
	size_t n = strlen(pin);
	if (n < 4 || n > 12 || strspn(pin, "0123456789") != n) {
		cli_error(&c, "a PIN is 4 to 12 digits");
		goto out;
	}
	if (strcmp(pin, again) != 0) {
		cli_error(&c, "the two PINs differ; nothing changed");
		goto out;
	}
	/* A door's first command may be this one (the README's order): the
	 * kiosk.conf it goes into is made, as kiosk join makes its own. */
	if (cli_ensure_conf(&c, path, &made) != 0)
		goto out;
	if (secret_hash(pin, &hash, &cause) != 0 ||
	    conf_set(path, "kiosk", "admin_pin_hash", hash, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (made)
		printf("created %s (every setting documented)\n", path);
	printf("admin PIN set in %s (stored as a hash)\n", path);
	rc = CLI_OK;
out:
	if (made && rc != CLI_OK)
		unlink(path);
	explicit_bzero(pin, sizeof pin);
	explicit_bzero(again, sizeof again);
	free(hash);
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_run_entry = {
	"run", "[--windowed] [--size WxH]",
	"Start the door app: full screen, scanner and camera input.",
	"Scan tickets with a USB scanner (any keyboard layout) or the camera from\n"
	"kiosk.conf. Staff: type a name to search (F2), F3 for a walk-in, F12 for the\n"
	"admin menu (behind the PIN from 'kiosk pin'), which is also where the kiosk is quit.\n\n"
	"options:\n"
	"  --windowed         a window instead of full screen\n"
	"  --size WxH         window size (implies --windowed)\n"
	"  --kiosk NAME       this kiosk's name (default: kiosk.conf, host name)\n"
	"  --screenshot FILE  write a PNG of the screen whenever it changes (tests)\n"
	"  --exit-after MS    quit after MS milliseconds (tests)\n"
	"  --timings FILE     write start-up and scan-to-frame times at exit (bench)\n"
	"  --trace FILE       append a line per screen shown (tests)\n"
	"  --bench-codes FILE type these codes as a scanner, one per result, then quit (bench)\n",
	cmd_run,
};

const struct cmd_entry cmd_pin_entry = {
	"pin", "[--config FILE]   (or: printf 'PIN\\nPIN\\n' | kiosk pin)",
	"Set the admin PIN of the kiosk (stored hashed in kiosk.conf).",
	"Reads the PIN, 4 to 12 digits, twice (without echo on a terminal) and writes\n"
	"its Argon2id hash as [kiosk] admin_pin_hash in kiosk.conf (or --config),\n"
	"which is made, every setting documented, when there is none.\n\n"
	"options:\n",
	cmd_pin,
};
