/* kiosk sync: one sync round with the hub; kiosk join: become one of the
 * hub's kiosks (docs/sync-protocol.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/attend.h"
#include "core/util.h"
#include "sync/client.h"

enum { OPT_JSON = OPT__FIRST_OWN, OPT_NAME, OPT_KIOSK, OPT_CAFILE, OPT_START_OVER };

static void
report_json(const struct client_report *r, int waiting, const char *error)
{
	json_t *o = json_pack("{s:b, s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}, s:i, s:I, s:I, s:I,"
	    " s:i}",
	    "ok", error == NULL,
	    "pushed", "guests", r->pushed.guests, "checkins", r->pushed.checkins,
	    "scans", r->pushed.scans,
	    "pulled", "guests", r->pulled.guests, "checkins", r->pulled.checkins,
	    "conflicts", r->pulled.conflicts,
	    "requests", r->requests, "bytes_sent", (json_int_t)r->bytes_sent,
	    "bytes_received", (json_int_t)r->bytes_received,
	    "clock_offset_ms", (json_int_t)(r->clock_valid ? r->clock_offset : 0),
	    "waiting", waiting);
	if (error != NULL)
		json_object_set_new(o, "error", json_string(error));
	json_object_set_new(o, "started_over", json_boolean(r->started_over));
	if (r->hub_lost)
		json_object_set_new(o, "hub_lost", json_true());
	if (r->hub_clock_lost)
		json_object_set_new(o, "hub_clock_lost", json_true());
	json_dumpf(o, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(o);
}

#define S(n) ((n) == 1 ? "" : "s")

static void
report_text(const struct client_report *r, int waiting)
{
	if (r->hub_lost)
		printf("the hub has lost records this kiosk fetched from it (restored from an "
		    "older copy?): it sends it everything again, and fetches all the hub's\n");
	else if (r->hub_unrecorded)
		printf("this database is from a kiosk version that did not record its hub: it "
		    "sends the hub everything once, and fetches all the hub's\n");
	else if (r->started_over)
		printf("another hub than the one this kiosk last synced with: it sends it "
		    "everything again, and fetches all the hub's\n");
	printf("pushed  %d check-in%s, %d guest record%s (walk-ins, changes), %d scan%s\n",
	    r->pushed.checkins, S(r->pushed.checkins), r->pushed.guests, S(r->pushed.guests),
	    r->pushed.scans, S(r->pushed.scans));
	printf("pulled  %d check-in%s, %d guest record%s\n", r->pulled.checkins,
	    S(r->pulled.checkins), r->pulled.guests, S(r->pulled.guests));
	if (r->pulled.conflicts > 0)
		printf("warning %d guest%s from the hub %s not stored: %s code is another "
		    "guest's here\n", r->pulled.conflicts, S(r->pulled.conflicts),
		    r->pulled.conflicts == 1 ? "was" : "were", r->pulled.conflicts == 1 ? "its" :
		    "their");
	printf("wire    %d request%s, %llu bytes sent, %llu received\n", r->requests,
	    S(r->requests), (unsigned long long)r->bytes_sent,
	    (unsigned long long)r->bytes_received);
	if (r->clock_valid && (r->clock_offset >= 100 || r->clock_offset <= -100))
		printf("clock   this computer is %+.1f s off the hub's clock (corrected)\n",
		    -(double)r->clock_offset / 1000.0);
	else if (r->clock_valid)
		printf("clock   in step with the hub's (within 0.1 s)\n");
	else if (r->hub_clock_lost)
		printf("clock   the hub's clock is not set (a dead clock battery?): this kiosk "
		    "keeps its own; set the date and time on the hub's computer\n");
	printf("waiting %d record%s\n", waiting, S(waiting));
}

static void
options_from(const struct conf *cf, struct client_options *o)
{
	memset(o, 0, sizeof *o);
	o->url = cf->hub_url;
	o->token = cf->hub_token;
	o->cafile = cf->sync_cafile;
}

static int
cmd_sync(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "start-over", no_argument, NULL, OPT_START_OVER },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_sync_entry };
	struct client_options o;
	struct client_report r;
	char *cause = NULL;
	bool json = false, start_over = false;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_JSON)
			json = true;
		else if (opt == OPT_START_OVER)
			start_over = true;
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cli_load(&c) != 0)
		goto out;
	if (c.conf->hub_url[0] == '\0') {
		cli_error(&c, "no hub is set: [sync] hub in %s is empty; " CLIENT_SET_UP,
		    conf_file(c.conf));
		goto out;
	}
	if (c.conf->hub_token[0] == '\0') {
		cli_error(&c, "no token is set: [sync] token in %s is empty, and the hub refuses "
		    "a kiosk without one; " CLIENT_SET_UP, conf_file(c.conf));
		goto out;
	}
	/* The file's integrity is checked on a thread of its own, as at a
	 * door: the first write waits for it, and a round with nothing to
	 * write (the common case, run from cron) does not pay for it. So a
	 * damaged file still pushes what it can read (off a failing disk, to
	 * the hub) before the first write is refused; a round that writes
	 * nothing does not report the damage (kiosk doctor and a door's start
	 * do). */
	if (cli_open(&c, CLI_OPEN_DOOR, NULL) != 0)
		goto out;
	if (store_start_checkpointer(c.store, 0, &cause) != 0) {
		rc = cli_fail(&c, cause);
		cause = NULL;
		goto out;
	}
	store_set_relaxed(c.store); /* it writes only what the hub keeps */
	/* A hub that lost records (restored from a copy, or a door made the
	 * hub) is not told apart from the one this kiosk knew: the organiser
	 * says so, and this kiosk sends everything again. */
	if (start_over) {
		int64_t all = 0;
		if (repl_start_over(c.store, c.conf->hub_url, &cause) != 0 ||
		    repl_waiting(c.store, &all, &cause) != 0) {
			rc = cli_fail(&c, cause);
			cause = NULL;
			goto out;
		}
		if (!json)
			printf("starting over with the hub: %lld records to send again, the hub's "
			    "to fetch again\n", (long long)all);
	}
	options_from(c.conf, &o);
	enum client_status st = client_round(c.store, &o, &r, &cause);
	int64_t waiting = 0;
	repl_waiting(c.store, &waiting, NULL);
	if (json)
		report_json(&r, (int)waiting, st == CLIENT_OK ? NULL : cause);
	else
		report_text(&r, (int)waiting);
	if (st != CLIENT_OK) {
		cli_fail(&c, cause);
		cause = NULL;
		goto out;
	}
	rc = CLI_OK;
out:
	free(cause);
	cli_done(&c);
	return rc;
}

static int
cmd_join(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "name", required_argument, NULL, OPT_NAME },
		/* what every other command calls this kiosk's name: typed here
		 * from habit, it is the same */
		{ "kiosk", required_argument, NULL, OPT_KIOSK },
		{ "cafile", required_argument, NULL, OPT_CAFILE },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_join_entry };
	const char *cafile = NULL;
	struct client_options o = { 0 };
	struct client_report r;
	json_t *ev = NULL;
	char *device = NULL, *cause = NULL, *db_abs = NULL, *url = NULL;
	const char *name = NULL, *name_opt = "--name", *conf_path = NULL;
	bool made_conf = false, round_tried = false;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_NAME || opt == OPT_KIOSK) {
			name = optarg;
			name_opt = opt == OPT_KIOSK ? "--kiosk" : "--name";
		} else if (opt == OPT_CAFILE)
			cafile = optarg;
	}
	if (argc - optind != 1 && argc - optind != 2) {
		cli_error(&c, argc - optind == 0 ? "expected the hub's address: kiosk join URL "
		    "(it asks for the token, from 'kiosk hub token add NAME' on the hub)" :
		    "expected the hub's address and at most a token: kiosk join URL [TOKEN]");
		goto out;
	}
	/* An address pasted from a chat or a mail may bring spaces (and
	 * no-break ones) around it. */
	url = util_trim_invisible(argv[optind]);
	const char *token = argv[optind + 1];
	/* Without TOKEN (or with "-"), it is read from the terminal unshown,
	 * or from a pipe: a token on the command line is in every user's ps
	 * and in the shell's history. */
	char typed[256];
	if (token == NULL || strcmp(token, "-") == 0) {
		if (cli_read_secret("Token (from 'kiosk hub token add' on the hub): ", typed,
		    sizeof typed) != 0 || typed[strspn(typed, " \t")] == '\0') {
			cli_error(&c, "no token given: paste the one 'kiosk hub token add NAME' "
			    "printed on the hub");
			goto out;
		}
		/* a paste may bring spaces around it */
		char *t = typed + strspn(typed, " \t");
		t[strcspn(t, " \t")] = '\0';
		token = t;
	}
	if (!conf_address_ok("sync", "hub", url)) {
		char *shown = util_url_redact(url);
		/* "192.168.1.10:8080", as an address is often said aloud */
		char *http = xasprintf("http://%s", url);
		if (strstr(url, "://") == NULL && conf_address_ok("sync", "hub", http))
			cli_error(&c, "'%s': the hub's address starts with http:// (https:// for a "
			    "hub with a certificate): kiosk join http://%s", shown, shown);
		else
			cli_error(&c, "'%s': the hub's address is http://HOST[:PORT] or "
			    "https://HOST[:PORT], with no user name or password in it", shown);
		free(http);
		free(shown);
		goto out;
	}
	/* Before anything is written: a name refused at the end left a joined
	 * database and half a kiosk.conf. */
	if (name != NULL && util_name_check(name_opt, name, UTIL_NAME_MAX, &cause) != 0)
		goto fail;
	if (name != NULL && !conf_value_writable(name)) {
		cli_error(&c, "%s '%s': a ';' after a space would start a comment in "
		    "kiosk.conf; leave it out", name_opt, name);
		goto out;
	}
	conf_path = c.config ? c.config : "kiosk.conf";
	if (cli_ensure_conf(&c, conf_path, &made_conf) != 0)
		goto out;
	c.config = conf_path;
	if (cli_load(&c) != 0)
		goto out;
	o.url = url;
	o.token = token;
	o.cafile = cafile ? cafile : c.conf->sync_cafile;
	if (cafile != NULL && access(cafile, R_OK) != 0) {
		cli_error(&c, "--cafile %s: %s", cafile, strerror(errno));
		goto out;
	}
	if (client_hello(&o, &ev, &device, &r, &cause) != CLIENT_OK)
		goto fail;

	/* The event's database: made with the hub's event, or an existing one
	 * of the same event (joining again); never one of another event. */
	const char *db = c.db ? c.db : c.conf->db_path;
	struct store_event_init init = {
		json_string_value(json_object_get(ev, "name")),
		json_string_value(json_object_get(ev, "tz")),
		json_string_value(json_object_get(ev, "tag")),
		json_string_value(json_object_get(ev, "uuid")),
	};
	if (store_open(db, STORE_CREATE, &init, &c.store, &cause) != 0)
		goto fail;
	if (strcmp(store_event(c.store)->uuid, init.uuid) != 0) {
		/* The same name is two imports of one list: one here, or the
		 * hub's event made anew after its laptop was lost, while this
		 * door's check-ins are only here. */
		if (strcmp(store_event(c.store)->name, init.name) == 0)
			cause = xasprintf("%s holds another event than the hub's, both named \"%s\" "
			    "(each made by an import of its own): if the hub was made anew after its "
			    "laptop was lost, make this door's database the hub instead, as the "
			    "README says for a hub's laptop that died, or its check-ins stay here; "
			    "else move %s aside, or give this kiosk another database with --db", db,
			    init.name, db);
		else
			cause = xasprintf("%s holds the event \"%s\", but the hub serves \"%s\": give "
			    "this kiosk another database with --db", db, store_event(c.store)->name,
			    init.name);
		goto fail;
	}
	if (r.clock_valid && (store_begin(c.store, &cause) != 0 ||
	    store_clock_set(c.store, r.clock_offset, &cause) != 0 ||
	    store_commit(c.store, &cause) != 0))
		goto fail;
	/* A join cut short leaves part of the list: marked until a pull ends */
	if (repl_list_joining(c.store, &cause) != 0)
		goto fail;
	/* Another hub than the one this database last synced with (or, for
	 * one from before that was kept, kiosk.conf's): most likely a door
	 * made the hub after the hub's laptop died, which has not got all
	 * this kiosk pushed to the old one. Starting over costs only traffic
	 * (what the hub has is "known"). Before kiosk.conf names the new hub,
	 * so that a join that fails later and is run again starts over too
	 * (the round would, from the recorded hub, but say nothing). */
	char *was = NULL;
	int have = repl_hub(c.store, &was, &cause);
	if (have < 0)
		goto fail;
	/* kiosk.conf's hub says nothing of a database this join just made */
	const char *prev = have == 1 ? was : store_made_event(c.store) ? "" : c.conf->hub_url;
	bool other_hub = prev[0] != '\0' && !util_url_same(prev, url);
	if (other_hub && repl_start_over(c.store, url, &cause) != 0) {
		free(was);
		goto fail;
	}
	if (other_hub && strcmp(prev, REPL_HUB_SERVED) == 0) {
		printf("this kiosk served as the hub: it sends the hub everything it holds, "
		    "what its doors pushed to it too\n");
	} else if (other_hub) {
		char *shown = util_url_redact(prev);
		printf("another hub than the one this kiosk last synced with (%s): it sends it "
		    "everything it holds\n", shown);
		free(shown);
	}
	free(was);
	/* The event's name in kiosk.conf is for a new event only; the joined
	 * database has the hub's. One kiosk.conf cannot keep ("Rock ;) Night")
	 * is left out rather than refuse the join. */
	if (conf_set(conf_path, "sync", "hub", url, &cause) != 0 ||
	    conf_set(conf_path, "sync", "token", token, &cause) != 0 ||
	    (conf_value_writable(init.name) &&
	    conf_set(conf_path, "event", "name", init.name, &cause) != 0) ||
	    conf_set(conf_path, "event", "timezone", init.tz, &cause) != 0 ||
	    conf_set(conf_path, "event", "tag", init.tag, &cause) != 0)
		goto fail;
	/* kiosk.conf reads a relative path from its own folder: write it whole. */
	char cwd[4096];
	if (cafile != NULL) {
		char *abs = cafile[0] == '/' || getcwd(cwd, sizeof cwd) == NULL ? xstrdup(cafile) :
		    xasprintf("%s/%s", cwd, cafile);
		int set = conf_set(conf_path, "sync", "cafile", abs, &cause);
		free(abs);
		if (set != 0)
			goto fail;
	}
	if (c.db != NULL) {
		db_abs = c.db[0] == '/' || getcwd(cwd, sizeof cwd) == NULL ? xstrdup(c.db) :
		    xasprintf("%s/%s", cwd, c.db);
		if (conf_set(conf_path, "event", "database", db_abs, &cause) != 0)
			goto fail;
	}
	/* The name the hub knows this kiosk by (its token's), unless --name:
	 * records and the hub's list of kiosks then say the same. */
	const char *kname = name ? name : device;
	char *old_name = c.conf->kiosk_name[0] != '\0' && strcmp(c.conf->kiosk_name, kname) != 0 ?
	    xstrdup(c.conf->kiosk_name) : NULL;
	if (conf_set(conf_path, "kiosk", "name", kname, &cause) != 0) {
		free(old_name);
		goto fail;
	}
	if (old_name != NULL)
		printf("this kiosk is now \"%s\" (kiosk.conf said \"%s\"; --name NAME keeps "
		    "another)\n", kname, old_name);
	free(old_name);
	chmod(conf_path, 0600); /* it holds the token */

	struct client_report round;
	round_tried = true;
	if (client_round(c.store, &o, &round, &cause) != CLIENT_OK) {
		/* Cut short: what came is kept, and so is kiosk.conf, which a
		 * sync needs to pull the rest (doctor and the door say so). */
		struct attend_counts part;
		cli_fail(&c, cause);
		cause = NULL;
		if (attend_counts(c.store, store_now(c.store), &part, NULL) == 0)
			cli_error(&c, "the join was cut short with %d guests of the list here; %s "
			    "keeps the hub and token: run 'kiosk sync --config %s' (or this join "
			    "again) to pull the rest", part.registered, conf_path, conf_path);
		goto out;
	}
	/* What this kiosk now holds: a join that resumes one cut short
	 * pulls only the rest, and "0 guests from the hub" read as empty. */
	struct attend_counts held;
	if (attend_counts(c.store, store_now(c.store), &held, &cause) != 0)
		goto fail;
	printf("joined \"%s\" as %s: %d guests here, %d checked in (%d guest records and %d "
	    "check-ins came from the hub now)\n", init.name, name ? name : device,
	    held.registered, held.checked_in, round.pulled.guests, round.pulled.checkins);
	/* A door that joins imports nothing: the list's short codes are
	 * said here, where it comes in. */
	cli_warn_short_codes(&c, conf_path);
	if (r.clock_valid && (r.clock_offset > 2000 || r.clock_offset < -2000))
		printf("note: this computer's clock is %+.0f s off the hub's; kiosk records "
		    "the hub's time\n", -(double)r.clock_offset / 1000.0);
	/* A door app or a kiosk scan --sync already running on this
	 * kiosk.conf looks at it every few seconds and takes up a new [sync]
	 * hub and token (app.c, cmd_checkin.c). */
	printf("settings in %s; start the door with: kiosk run --config %s (a door app or a "
	    "kiosk scan --sync already running on it syncs with this hub within a few "
	    "seconds)\n", conf_path, conf_path);
	rc = CLI_OK;
	goto out;
fail:
	cli_fail(&c, cause);
	cause = NULL;
out:
	if (made_conf && rc != CLI_OK && !round_tried)
		unlink(conf_path); /* a kiosk.conf of a join that did not happen */
	else if (made_conf)
		printf("created %s (every setting documented)\n", conf_path);
	free(url);
	free(db_abs);
	free(cause);
	free(device);
	json_decref(ev);
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_sync_entry = {
	"sync", "[--start-over] [--json]",
	"Run one sync round with the hub and print what moved.",
	"Push this kiosk's check-ins, walk-ins and scans to the hub, pull the\n"
	"other kiosks' check-ins and the guest list's changes, and correct this\n"
	"kiosk's clock by the hub's. The kiosk app does this by itself every few\n"
	"seconds; this is for checking the link, or for a kiosk without the app.\n\n"
	"options:\n"
	"  --start-over       send everything this kiosk holds again and fetch all\n"
	"                     the hub's, for a hub at the same address that lost\n"
	"                     records (restored from a copy; a hub at another\n"
	"                     address gets it all by itself). Run it on every door\n"
	"                     (its door app may keep running); records the hub has\n"
	"                     change nothing\n"
	"  --json             print the figures as JSON\n",
	cmd_sync,
};

const struct cmd_entry cmd_join_entry = {
	"join", "URL [TOKEN] [--name NAME] [--cafile FILE]",
	"Set this kiosk up as one of a hub's kiosks, and pull the guest list.",
	"Asks the hub at URL (http://ADDR:PORT, or https://ADDR:PORT for a hub with\n"
	"a certificate: the address 'kiosk hub' says) which event it serves, with the\n"
	"TOKEN from 'kiosk hub token add NAME' on the hub (without TOKEN, or with\n"
	"'-', it is asked for unshown, or read from a pipe: a token given on the\n"
	"command line shows in ps and the shell's history); writes the hub, token,\n"
	"event and kiosk name into kiosk.conf (--config; made with every setting\n"
	"documented when missing) and pulls the whole guest list into the event\n"
	"database (--db, else kiosk.conf's). A database of another event is\n"
	"refused, never mixed. A hub at another address than the one this kiosk\n"
	"last synced with (a door made the hub) is sent everything this kiosk\n"
	"holds, as with 'kiosk sync --start-over'.\n\n"
	"options:\n"
	"  --name NAME        this kiosk's name on screens and in records\n"
	"                     (default: the name the token was made for)\n"
	"  --kiosk NAME       the same as --name, as the other commands say it\n"
	"  --cafile FILE      for an https:// hub with a certificate of its own\n"
	"                     making: that certificate (PEM), kept in kiosk.conf\n",
	cmd_join,
};
