/* kiosk hub: serve the event to the other kiosks, and manage their tokens.
 *
 * `kiosk hub` runs in the foreground until SIGINT or SIGTERM; its first line
 * on stdout names the real address (scripts read the port from it). Tokens
 * are shown once, when made, alone on the last line of stdout, so that
 * `kiosk hub token add NAME | tail -1` is the token and nothing else. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/device.h"
#include "core/ktime.h"
#include "core/secret.h"
#include "core/util.h"
#include "badge/badge.h"
#include "sync/hub.h"
#include "sync/live.h"
#include "ui/app.h"

enum { OPT_LISTEN = OPT__FIRST_OWN, OPT_TLS_CERT, OPT_TLS_KEY, OPT_JSON };

struct hub_args {
	const char *listen;     /* --listen, or NULL */
	const char *tls_cert;   /* --tls-cert, or NULL */
	const char *tls_key;
	bool json;
};

static int
count_active(const struct device_info *d, void *arg)
{
	if (d->revoked_at == 0)
		(*(int *)arg)++;
	return 0;
}

/* The host part of a listen address, for the "serving" line. */
static char *
listen_host(const char *listen)
{
	const char *colon = strrchr(listen, ':');
	if (colon == NULL || colon == listen)
		return xstrdup("0.0.0.0");
	return xstrndup(listen, (size_t)(colon - listen));
}

/* "kiosk hub: doors join http://192.168.1.10:8080", one a line; or why
 * no other computer can. Says whether another computer can. */
static bool
join_lines(const char *listen, int port, bool tls)
{
	char *urls = hub_join_urls(listen, port, tls);
	if (urls == NULL)
		return false;
	bool reachable = urls[0] != '\0';
	if (!reachable) {
		char *host = listen_host(hub_listen_text(listen));
		printf("kiosk hub: no other computer can reach it on %s:%d (this computer only, "
		    "or no network): doors on other computers need --listen 0.0.0.0:PORT and a "
		    "network\n", host, port);
		free(host);
	}
	for (char *line = urls, *end; (end = strchr(line, '\n')) != NULL; line = end + 1)
		printf("kiosk hub: doors join %.*s\n", (int)(end - line), line);
	free(urls);
	return reachable;
}

static int
hub_serve(struct cli *c, const struct hub_args *a)
{
	struct hub_options o = { 0 };
	struct hub_stats st;
	struct hub *h = NULL;
	char *cause = NULL, *host = NULL, *localedir = NULL;
	sigset_t stop;
	int sig = 0, active = 0, rc = CLI_ERROR;

	if ((a->tls_cert != NULL) != (a->tls_key != NULL)) {
		cli_error(c, "--tls-cert and --tls-key go together: give both, or neither for "
		    "plain http");
		return CLI_ERROR;
	}
	if (cli_load(c) != 0 || cli_open(c, 0, NULL) != 0)
		return CLI_ERROR;
	o.db_path = store_path(c->store);
	o.listen = a->listen ? a->listen : c->conf->hub_listen;
	o.tls_cert = a->tls_cert ? a->tls_cert : c->conf->hub_tls_cert;
	o.tls_key = a->tls_key ? a->tls_key : c->conf->hub_tls_key;
	/* a door made the hub keeps the event's mode (cli_open) */
	o.each_day = store_each_day(c->store);
	if ((o.tls_cert[0] != '\0') != (o.tls_key[0] != '\0')) {
		cli_error(c, "%s: [hub] tls_cert and tls_key go together: set both, or neither "
		    "for plain http", conf_file(c->conf));
		return CLI_ERROR;
	}
	if (device_each(c->store, count_active, &active, &cause) < 0)
		return cli_fail(c, cause);
	/* The live page in the organiser's browser's language, else
	 * kiosk.conf's, from the door's catalogues. */
	localedir = app_localedir();
	o.localedir = localedir;
	o.language = c->conf->language;
	o.names = (const char *const *)c->conf->hub_names;
	o.n_names = c->conf->n_hub_names;
	/* The live page's arrivals picture is drawn with the kiosk's fonts. */
	char *fonts = xasprintf("%s/fonts", app_datadir());
	badge_use_fonts(fonts);
	free(fonts);

	/* Blocked before the server's threads start, so that they inherit the
	 * mask and the signals wait for sigwait below. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	if (hub_start(&o, &h, &cause) != 0) {
		rc = cli_fail(c, cause);
		goto out;
	}
	host = listen_host(hub_listen_text(o.listen));
	printf("kiosk hub: serving \"%s\" on %s://%s:%d\n", store_event(c->store)->name,
	    o.tls_cert[0] ? "https" : "http", host, hub_port(h));
	/* 0.0.0.0 is no address to join: the organiser is told this computer's
	 * (where the venue's network gave it one). */
	bool tls = o.tls_cert[0] != '\0';
	bool reachable = join_lines(o.listen, hub_port(h), tls);
	fflush(stdout);
	/* Anyone on a shared venue Wi-Fi can read plain http: a door's token
	 * read there lets its reader change the guest list. */
	if (reachable && !tls)
		fprintf(stderr, "kiosk: hub: plain http: the doors' tokens and the live page's "
		    "password cross the network readable; on a network the public shares, give "
		    "the hub --tls-cert and --tls-key (README, \"Several doors\")\n");
	if (active == 0)
		fprintf(stderr, "kiosk: hub: no kiosk has a token yet, so none can sync: add one "
		    "with 'kiosk hub token add NAME'\n");
	if (sigwait(&stop, &sig) != 0)
		cli_error(c, "cannot wait for a signal; stopping");
	hub_stats(h, &st);
	hub_stop(h);
	h = NULL;
	printf("kiosk hub: stopped after %llu requests, %llu bytes in, %llu bytes out\n",
	    (unsigned long long)st.requests, (unsigned long long)st.bytes_in,
	    (unsigned long long)st.bytes_out);
	fflush(stdout);
	rc = CLI_OK;
out:
	hub_stop(h);
	badge_shutdown(); /* the live page's fonts: a leak checker sees only real leaks */
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	free(host);
	free(localedir);
	return rc;
}

static int
token_add(struct cli *c, const char *name)
{
	char *token = NULL, *cause = NULL;
	int rc;

	if (cli_load(c) != 0 || cli_open(c, 0, NULL) != 0)
		return CLI_ERROR;
	if (device_add(c->store, name, &token, &cause) != 0)
		return cli_fail(c, cause);
	/* A door that serves ([hub] serve) runs no kiosk hub to say it. */
	fprintf(stderr, "Token for \"%s\", shown only this once (the hub keeps a hash of it). "
	    "On that kiosk run: kiosk join http://THIS-HUB:PORT (https:// for a hub with a "
	    "certificate; %s says the address), "
	    "which asks for it; typed there, not on the command line, it stays out of ps and "
	    "the shell's history. Whoever has it can sync as \"%s\".\n", name,
	    c->conf->hub_serve ? "this door's admin menu, F12," : "kiosk hub", name);
	printf("%s\n", token);
	rc = fflush(stdout) == 0 && !ferror(stdout) ? CLI_OK : CLI_ERROR;
	if (rc != CLI_OK)
		cli_error(c, "cannot write the token; revoke \"%s\" and add it again", name);
	explicit_bzero(token, strlen(token));
	free(token);
	return rc;
}

static int
token_revoke(struct cli *c, const char *name)
{
	char *cause = NULL;

	if (cli_load(c) != 0 || cli_open(c, 0, NULL) != 0)
		return CLI_ERROR;
	switch (device_revoke(c->store, name, &cause)) {
	case 0:
		printf("revoked \"%s\": its token is refused from the next request on\n", name);
		return CLI_OK;
	case 1:
		cli_error(c, "no active device named \"%s\" (see 'kiosk hub token list')", name);
		return CLI_ERROR;
	default:
		return cli_fail(c, cause);
	}
}

struct token_list {
	bool json;
	json_t *array;
	struct device_info *rows;
	char **names;
	size_t n, cap;
};

static int
list_row(const struct device_info *d, void *arg)
{
	struct token_list *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->rows = xreallocarray(l->rows, l->cap, sizeof *l->rows);
		l->names = xreallocarray(l->names, l->cap, sizeof *l->names);
	}
	l->names[l->n] = xstrdup(d->name);
	l->rows[l->n] = *d;
	l->rows[l->n].name = l->names[l->n];
	l->n++;
	return 0;
}

static void
pad(const char *s, size_t w)
{
	fputs(s, stdout);
	for (size_t i = util_utf8_count(s); i < w; i++)
		fputc(' ', stdout);
}

static json_t *
time_json(int64_t ms)
{
	char buf[KTIME_BUF];
	if (ms == 0)
		return json_null();
	ktime_iso(ms, buf);
	return json_string(buf);
}

static int
token_list(struct cli *c, bool json)
{
	struct token_list l = { .json = json };
	char *cause = NULL, made[KTIME_BUF], seen[KTIME_BUF];
	size_t w = 4;
	int rc = CLI_ERROR;

	if (cli_load(c) != 0 || cli_open(c, STORE_READONLY, NULL) != 0)
		return CLI_ERROR;
	if (device_each(c->store, list_row, &l, &cause) < 0) {
		rc = cli_fail(c, cause);
		goto out;
	}
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < l.n; i++) {
			const struct device_info *d = &l.rows[i];
			json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o, s:o}",
			    "name", d->name, "state", d->revoked_at ? "revoked" : "active",
			    "created_at", time_json(d->created_at),
			    "last_seen_at", time_json(d->last_seen_at),
			    "revoked_at", time_json(d->revoked_at)));
		}
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(a);
	} else if (l.n == 0) {
		fprintf(stderr, "no devices yet: add one with 'kiosk hub token add NAME'\n");
	} else {
		for (size_t i = 0; i < l.n; i++)
			if (util_utf8_count(l.rows[i].name) > w)
				w = util_utf8_count(l.rows[i].name);
		pad("NAME", w + 2);
		printf("%-18s%-18s%s\n", "MADE", "LAST SEEN", "STATE");
		for (size_t i = 0; i < l.n; i++) {
			const struct device_info *d = &l.rows[i];
			ktime_local(d->created_at, made);
			ktime_mark_repeated(d->created_at, made);
			if (d->last_seen_at != 0) {
				ktime_local(d->last_seen_at, seen);
				ktime_mark_repeated(d->last_seen_at, seen);
			} else
				snprintf(seen, sizeof seen, "never");
			pad(d->name, w + 2);
			/* a time marked with its offset (the hour repeated when
			 * summer time ends) is wider than the column */
			printf("%-*s%-*s%s\n", strlen(made) < 17 ? 18 : (int)strlen(made) + 2, made,
			    strlen(seen) < 17 ? 18 : (int)strlen(seen) + 2, seen,
			    d->revoked_at ? "revoked" : "active");
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(c, "cannot write the list");
		goto out;
	}
	rc = CLI_OK;
out:
	for (size_t i = 0; i < l.n; i++)
		free(l.names[i]);
	free(l.names);
	free(l.rows);
	return rc;
}

/* The organiser's password for the hub's page, stored as a hash. */
static int
set_password(struct cli *c)
{
	char pw[256] = "", again[256] = "";
	char *hash = NULL, *cause = NULL;
	int rc = CLI_ERROR;

	if (cli_load(c) != 0 || cli_open(c, 0, NULL) != 0)
		goto out;
	if (cli_read_secret("Password for the hub's page (at least 8 characters): ", pw,
	    sizeof pw) != 0) {
		cli_error(c, "no password given; nothing changed");
		goto out;
	}
	if (cli_read_secret("Again: ", again, sizeof again) != 0) {
		cli_error(c, "the password was given once, not twice; nothing changed");
		goto out;
	}
	if (strlen(pw) < 8) {
		cli_error(c, "a password has at least 8 characters; nothing changed");
		goto out;
	}
	if (strcmp(pw, again) != 0) {
		cli_error(c, "the two passwords differ; nothing changed");
		goto out;
	}
	if (secret_hash(pw, &hash, &cause) != 0 ||
	    store_setting_set(c->store, STORE_SETTING_HUB_PASSWORD, hash, &cause) != 0 ||
	    live_forget_sessions(c->store, &cause) != 0) {
		rc = cli_fail(c, cause);
		goto out;
	}
	printf("password set (stored as a hash); log in at the hub's address with a browser\n");
	rc = CLI_OK;
out:
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(again, sizeof again);
	free(hash);
	return rc;
}

static int
cmd_hub(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
		{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_hub_entry };
	struct hub_args a = { 0 };
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		switch (opt) {
		case OPT_LISTEN:
			a.listen = optarg;
			break;
		case OPT_TLS_CERT:
			a.tls_cert = optarg;
			break;
		case OPT_TLS_KEY:
			a.tls_key = optarg;
			break;
		case OPT_JSON:
			a.json = true;
			break;
		}
	}
	int nargs = argc - optind;
	char **args = argv + optind;
	bool serving_opts = a.listen || a.tls_cert || a.tls_key;

	if (nargs == 0) {
		if (a.json) {
			cli_error(&c, "--json goes with 'token list'");
			goto out;
		}
		rc = hub_serve(&c, &a);
		goto out;
	}
	if (strcmp(args[0], "password") == 0) {
		if (nargs != 1 || serving_opts || a.json) {
			cli_error(&c, "'password' takes no arguments or options (it asks)");
			goto out;
		}
		rc = set_password(&c);
		goto out;
	}
	if (strcmp(args[0], "token") != 0) {
		cli_error(&c, "unexpected argument '%s'; see 'kiosk hub --help'", args[0]);
		goto out;
	}
	if (serving_opts) {
		cli_error(&c, "--listen, --tls-cert and --tls-key are for serving, not 'token'");
		goto out;
	}
	const char *verb = nargs > 1 ? args[1] : "";
	bool named = strcmp(verb, "add") == 0 || strcmp(verb, "revoke") == 0;
	if (strcmp(verb, "list") != 0 && !named) {
		cli_error(&c, "token: expected 'add NAME', 'list' or 'revoke NAME'");
		goto out;
	}
	if (named && nargs != 3) {
		cli_error(&c, nargs < 3 ? "token %s: give the device's name, such as \"Door 2\"" :
		    "token %s: one name only (quote a name with spaces)", verb);
		goto out;
	}
	if (!named && nargs != 2) {
		cli_error(&c, "unexpected argument '%s'", args[2]);
		goto out;
	}
	if (a.json && strcmp(verb, "list") != 0) {
		cli_error(&c, "--json goes with 'token list'");
		goto out;
	}
	if (strcmp(verb, "add") == 0)
		rc = token_add(&c, args[2]);
	else if (strcmp(verb, "revoke") == 0)
		rc = token_revoke(&c, args[2]);
	else
		rc = token_list(&c, a.json);
out:
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_hub_entry = {
	"hub", "[--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] | token add NAME | "
	"token list [--json] | token revoke NAME | password",
	"Serve the event to the other kiosks (the sync hub), and manage their tokens.",
	"Without a subcommand, serves the event database until Ctrl-C (SIGINT) or SIGTERM.\n"
	"Each kiosk needs a token of its own:\n"
	"  token add NAME     make a device and print its token (shown only once)\n"
	"  token list         the devices: made, last seen, active or revoked\n"
	"  token revoke NAME  refuse that device's token from the next request on\n"
	"  password           set the organiser's password for the live page at the\n"
	"                     hub's address (asked twice; read from standard input\n"
	"                     when it is not a terminal)\n"
	"\noptions:\n"
	"  --listen ADDR:PORT address and port to listen on; PORT or :PORT for all\n"
	"                     addresses, port 0 for any free one (default: kiosk.conf's\n"
	"                     [hub] listen, 0.0.0.0:8080)\n"
	"  --tls-cert FILE    serve https with this PEM certificate...\n"
	"  --tls-key FILE     ...and its PEM key (default: kiosk.conf's [hub] tls_cert and\n"
	"                     tls_key; neither: plain http)\n"
	"  --json             with 'token list': print JSON\n",
	cmd_hub,
};
