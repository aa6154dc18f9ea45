/* kiosk checkin, kiosk scan, kiosk undo: the door from the command line. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/checkin.h"
#include "core/code.h"
#include "core/guest.h"
#include "core/ktime.h"
#include "core/util.h"
#include "sync/agent.h"
#include "sync/repl.h"

#define SCAN_LINE_MAX 4096 /* bytes of one scanned line kept; the rest is drained */

enum { OPT_KIOSK = OPT__FIRST_OWN, OPT_JSON, OPT_SYNC };

/* The outcome as the one JSON object documented for `checkin --json` and
 * every line of `kiosk scan`. On a door whose list is not all here, an
 * unknown code may be a valid ticket not pulled yet: its message, all a
 * headless door's display shows, says so. So does one of this event's
 * codes at a door that syncs, as the door app's red screen: a walk-in
 * registered at another door that this one has not had yet. */
static json_t *
outcome_json(struct cli *c, const struct checkin_outcome *o, const char *code)
{
	char when[KTIME_BUF];
	json_t *j = json_object();
	const char *message = checkin_result_text(o->result);
	if (o->result == CHECKIN_UNKNOWN && cli_list_short(c))
		message = "This code is not on this door's guest list, which is not all here yet: "
		    "ask a member of staff.";
	else if (o->result == CHECKIN_UNKNOWN && o->ours && c->conf != NULL &&
	    (c->conf->hub_url[0] != '\0' || c->conf->hub_serve))
		message = "A ticket of this event that this door has not had yet (new at another "
		    "door?): ask a member of staff.";
	json_object_set_new(j, "result", json_string(checkin_result_name(o->result)));
	json_object_set_new(j, "message", json_string(message));
	if (code != NULL && o->result != CHECKIN_INVALID)
		json_object_set_new(j, "code", json_string(code));
	if (o->has_guest)
		json_object_set_new(j, "guest", cli_guest_json(&o->guest, false));
	if (o->result == CHECKIN_ALREADY) {
		ktime_iso(o->first_at, when);
		json_object_set_new(j, "at", json_string(when));
		json_object_set_new(j, "kiosk", json_string(o->first_kiosk));
	} else if (o->result == CHECKIN_ADMITTED || o->result == CHECKIN_EXITED) {
		ktime_iso(o->at, when);
		json_object_set_new(j, "at", json_string(when));
	}
	if (o->result == CHECKIN_TOO_EARLY && o->opens_at != 0) {
		ktime_iso(o->opens_at, when);
		json_object_set_new(j, "opens_at", json_string(when));
	}
	if (o->detail != NULL)
		json_object_set_new(j, "detail", json_string(o->detail));
	return j;
}

static void
print_outcome(const struct checkin_outcome *o)
{
	char when[KTIME_BUF];
	char *name = o->has_guest ? guest_display_name(&o->guest) : NULL;
	if (name != NULL && name[0] == '\0') { /* forgotten (kiosk forget): no name to give */
		free(name);
		name = NULL;
	}
	switch (o->result) {
	case CHECKIN_ADMITTED:
		printf("ADMITTED: %s%s%s\n", name, o->guest.ticket_type[0] ? " - " : "",
		    o->guest.ticket_type);
		break;
	case CHECKIN_ALREADY:
		ktime_when(o->first_at, o->at, when);
		printf("ALREADY CHECKED IN: %s, at %s at %s\n", name, when, o->first_kiosk);
		break;
	case CHECKIN_EXITED:
		printf("EXIT: %s\n", name);
		break;
	case CHECKIN_WRONG_DAY:
		printf("REFUSED: %s Valid on %s.%s%s%s\n", checkin_result_text(o->result),
		    o->detail ? o->detail : "", name ? " (" : "", name ? name : "", name ? ")" : "");
		break;
	case CHECKIN_TOO_EARLY:
		ktime_ahead(o->opens_at, o->at, when);
		printf("REFUSED: %s Opens at %s.%s%s%s\n", checkin_result_text(o->result), when,
		    name ? " (" : "", name ? name : "", name ? ")" : "");
		break;
	default:
		if (name != NULL)
			printf("REFUSED: %s (%s)\n", checkin_result_text(o->result), name);
		else
			printf("REFUSED: %s\n", checkin_result_text(o->result));
		break;
	}
	free(name);
}

/* Standard input, line by line, watching for the signals that stop a
 * headless door (SIGTERM from systemd, SIGINT, SIGHUP). They are blocked in
 * every thread and read from a signalfd, so that a stop ends the input
 * between two scans, never in the middle of one, and the last sync round
 * still runs. No handler: nothing else sees EINTR (a write of an answer
 * cut short would read as a broken output). */
struct input {
	int sfd;                /* -1: not watching (signalfd refused) */
	sigset_t stops;
	int signal;             /* the signal that stopped the input, or 0 */
	bool eof;
	size_t start, end;
	void (*idle)(void *);   /* called about every IDLE_MS while no input comes */
	void *idle_arg;
	char buf[65536];
};

#define IDLE_MS 1000

/* Before any thread starts: they inherit the blocked signals. */
static void
input_open(struct input *in)
{
	memset(in, 0, sizeof *in);
	util_stop_signals(&in->stops);
	/* No standard input (kiosk scan <&-): none to read, rather than the
	 * next file opened taking fd 0 and being read as the input. */
	if (fcntl(STDIN_FILENO, F_GETFD) == -1 && errno == EBADF)
		(void)open("/dev/null", O_RDONLY); /* takes fd 0, the lowest free */
	pthread_sigmask(SIG_BLOCK, &in->stops, NULL);
	in->sfd = signalfd(-1, &in->stops, SFD_CLOEXEC | SFD_NONBLOCK);
	/* Never one of the standard three (closed by whoever started us). */
	if (in->sfd >= 0 && in->sfd <= STDERR_FILENO) {
		int moved = fcntl(in->sfd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		close(in->sfd);
		in->sfd = moved;
	}
	if (in->sfd < 0)
		pthread_sigmask(SIG_UNBLOCK, &in->stops, NULL);
}

/* Read every stop signal that came into in->signal, the most telling
 * named: signalfd gives the lowest number first, and systemd's SIGTERM
 * comes with a SIGHUP. */
static void
take_signals(struct input *in)
{
	struct signalfd_siginfo si;
	while (read(in->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		int sig = (int)si.ssi_signo;
		if (in->signal == 0 || sig == SIGTERM || (sig == SIGINT && in->signal == SIGHUP))
			in->signal = sig;
	}
}

/* After the input. The signals stay blocked to the end: one sent just
 * after the stop (systemd's SIGHUP follows its SIGTERM) is the same stop,
 * and unblocked it would end the last sync round unrun. That round is
 * bounded (SYNC_LAST_MS). */
static void
input_close(struct input *in)
{
	if (in->sfd >= 0)
		close(in->sfd);
	in->sfd = -1;
}

/* Has a stop signal come? Waits up to wait_ms for it or for input (-1:
 * as long as it takes). */
static bool
input_stopped(struct input *in, int wait_ms)
{
	struct pollfd fds[2] = { { .fd = in->sfd, .events = POLLIN },
	    { .fd = STDIN_FILENO, .events = POLLIN } };
	if (in->sfd < 0)
		return false;
	if (poll(fds, wait_ms == 0 ? 1 : 2, wait_ms) <= 0 || !(fds[0].revents & POLLIN))
		return false;
	take_signals(in);
	return in->signal != 0;
}

/* Read one line into line (cap bytes) without its line end. NUL bytes are
 * kept (a scanned code with one is refused, not split); a line longer than
 * line is drained and *len says how much fitted, which is more than any
 * code. Returns 1 for a line, 0 at the end of input, -1 when a stop signal
 * came (in->signal), -2 on a read error (errno). */
static int
input_line(struct input *in, char *line, size_t cap, size_t *len)
{
	size_t n = 0;
	bool any = false;
	if (input_stopped(in, 0))
		return -1;
	for (;;) {
		if (in->start == in->end) {
			if (in->eof)
				break;
			if (in->idle != NULL && in->sfd >= 0) {
				/* no input yet: the idle work, then wait again */
				struct pollfd fd = { .fd = STDIN_FILENO, .events = POLLIN };
				if (input_stopped(in, IDLE_MS))
					return -1;
				if (poll(&fd, 1, 0) <= 0) {
					in->idle(in->idle_arg);
					continue;
				}
			} else if (input_stopped(in, -1)) {
				return -1;
			}
			ssize_t got = read(STDIN_FILENO, in->buf, sizeof in->buf);
			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got < 0)
				return -2;
			in->start = 0;
			in->end = (size_t)got;
			in->eof = got == 0;
			continue;
		}
		any = true;
		const char *s = in->buf + in->start;
		const char *nl = memchr(s, '\n', in->end - in->start);
		size_t take = nl != NULL ? (size_t)(nl - s) : in->end - in->start;
		size_t fit = take < cap - 1 - n ? take : cap - 1 - n;
		memcpy(line + n, s, fit);
		n += fit;
		in->start += take + (nl != NULL);
		if (nl != NULL)
			break;
	}
	line[n] = '\0';
	*len = n;
	return any ? 1 : 0;
}

/* json, sync: NULL for a command without that option. */
static int
parse(struct cli *c, int argc, char **argv, const char **kiosk, bool *json, bool *sync,
    int want_args)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "kiosk", required_argument, NULL, OPT_KIOSK },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "sync", no_argument, NULL, OPT_SYNC },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	while ((opt = cli_getopt(c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(c, opt))
			continue;
		if (opt == OPT_KIOSK)
			*kiosk = optarg;
		else if (opt == OPT_JSON && json != NULL)
			*json = true;
		else if (opt == OPT_SYNC && sync != NULL)
			*sync = true;
		else if (opt == OPT_JSON || opt == OPT_SYNC) {
			cli_error(c, "unknown option '--%s'; see 'kiosk %s --help'",
			    opt == OPT_JSON ? "json" : "sync", c->cmd->name);
			return -1;
		}
	}
	if (argc - optind != want_args) {
		cli_error(c, "usage: kiosk %s %s", c->cmd->name, c->cmd->usage);
		return -1;
	}
	/* Refused once here, not by every scan of kiosk scan's input. */
	return cli_kiosk_check(c, *kiosk);
}

/* A door whose join was cut short holds part of the guest list: say so
 * before it answers valid tickets "unknown" (repl_list_short). */
static void
warn_list_short(struct cli *c, bool syncing)
{
	if (cli_list_short(c))
		cli_error(c, "warning: this kiosk's guest list is not all here (its join with the "
		    "hub was cut short): tickets not yet pulled are answered \"unknown\"%s",
		    syncing ? " until the sync completes it" : "; run kiosk sync until it completes");
}

static int
cmd_checkin(int argc, char **argv)
{
	struct cli c = { .cmd = &cmd_checkin_entry };
	struct checkin_policy pol;
	struct checkin_outcome o;
	const char *kiosk = NULL;
	bool json = false;
	char *cause = NULL;
	int rc = CLI_ERROR;

	if (parse(&c, argc, argv, &kiosk, &json, NULL, 1) != 0 || cli_load(&c) != 0 ||
	    cli_open(&c, 0, NULL) != 0 || cli_policy(&c, &pol) != 0)
		goto out;
	warn_list_short(&c, false);
	const char *input = argv[optind];
	if (checkin_scan(c.store, input, strlen(input), cli_kiosk_name(&c, kiosk), &pol,
	    store_now(c.store), &o, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (json) {
		char *code = NULL;
		(void)code_normalize(input, strlen(input), &code);
		json_t *j = outcome_json(&c, &o, code);
		int wrote = cli_json_line(j);
		json_decref(j);
		free(code);
		if (wrote != 0) {
			cli_error(&c, "cannot write the output: %s (the scan is recorded)",
			    strerror(errno));
			checkin_outcome_clear(&o);
			goto out;
		}
	} else {
		print_outcome(&o);
	}
	if (o.result == CHECKIN_INVALID && !json)
		cli_error(&c, "%s", o.detail);
	rc = checkin_result_ok(o.result) ? CLI_OK : CLI_REFUSED;
	checkin_outcome_clear(&o);
out:
	cli_done(&c);
	return rc;
}

/* kiosk scan --sync: a headless door syncs as the door app does, on a
 * thread of its own with its own connection, every [sync] every_seconds
 * and after each scan (sync/agent.h). Never the door's answers' wait. */
static int
start_sync(struct cli *c, struct agent **out)
{
	const struct conf *cf = c->conf;
	char *cause = NULL;
	if (cf->hub_url[0] == '\0') {
		cli_error(c, "--sync: %s names no hub ([sync] hub): run kiosk join first",
		    c->config ? c->config : "kiosk.conf");
		return -1;
	}
	if (cf->hub_serve) {
		cli_error(c, "--sync: this kiosk serves as the hub ([hub] serve); its doors sync "
		    "with it");
		return -1;
	}
	struct client_options co = { .url = cf->hub_url, .token = cf->hub_token,
	    .cafile = cf->sync_cafile };
	if (agent_start(store_path(c->store), &co, (int64_t)cf->sync_seconds * 1000, out,
	    &cause) != 0) {
		cli_fail(c, cause);
		return -1;
	}
	return 0;
}

#define SYNC_LAST_MS 10000 /* at the end of the input, how long a last round may take */

/* `kiosk join` at another hub (the hub's laptop died and a door took over),
 * a new token, or [sync] edited, under a running `kiosk scan --sync`: it
 * syncs as kiosk.conf says now, as the door app does, rather than on with
 * the old hub while the scans it takes reach no other door. Looked at
 * about once a second, read once it has been the same for FOLLOW_SETTLE_MS
 * (kiosk join writes it in several replacements). */
#define FOLLOW_SETTLE_MS 1500

struct follow {
	struct cli *c;
	struct agent **agent;
	const char *path;       /* kiosk.conf, or NULL when there is none */
	struct util_watch watch; /* on util_mono_ms() */
	int64_t looked_at;
	struct conf_sync synced; /* what the agent syncs as (the rest of the first
	                          * kiosk.conf stays: names point in it) */
};

static void
follow_conf(void *arg)
{
	struct follow *f = arg;
	struct conf *cf = NULL;
	char *err = NULL;
	int64_t now = util_mono_ms();

	if (f->path == NULL || now - f->looked_at < IDLE_MS / 2)
		return;
	f->looked_at = now;
	if (!util_watch_settled(&f->watch, f->path, now, FOLLOW_SETTLE_MS))
		return;
	if (conf_load(f->path, &cf, &err) != 0) {
		cli_error(f->c, "%s changed, but: %s; syncing as before", f->path, err);
		free(err);
		return;
	}
	if (conf_sync_same(&f->synced, cf)) {
		conf_free(cf);
		return;
	}
	/* A join for another event (--db) names its database: this scan's
	 * event is not that hub's, and would be refused by it. */
	if (strcmp(cf->db_path, f->c->conf->db_path) != 0) {
		cli_error(f->c, "%s now names another event database (%s): syncing as before; "
		    "restart this scan to use it", f->path, cf->db_path);
		conf_free(cf);
		return;
	}
	if (cf->hub_url[0] == '\0' || cf->hub_serve) {
		cli_error(f->c, "%s now names no hub to sync with; syncing as before until this "
		    "scan is restarted", f->path);
		conf_free(cf);
		return;
	}
	/* The old one stops before the new one starts: it must not push to
	 * the old hub once the new one has (each switch sends all again). */
	agent_stop_soon(*f->agent);
	agent_stop(*f->agent);
	*f->agent = NULL;
	struct client_options co = { .url = cf->hub_url, .token = cf->hub_token,
	    .cafile = cf->sync_cafile };
	if (agent_start(store_path(f->c->store), &co, (int64_t)cf->sync_seconds * 1000,
	    f->agent, &err) != 0) {
		cli_error(f->c, "%s names another hub, but: %s; not syncing until this scan is "
		    "restarted", f->path, err);
		free(err);
		*f->agent = NULL;
		conf_sync_take(&f->synced, cf);
		conf_free(cf);
		return;
	}
	char *shown = util_url_redact(cf->hub_url);
	cli_error(f->c, "%s changed: syncing with %s now", f->path, shown);
	free(shown);
	conf_sync_take(&f->synced, cf);
	conf_free(cf);
}

/* Stop the sync, after a last round that sends what the last scans made
 * (the round their kicks began may have been under way already), and say
 * what is still not on the hub, and why. */
static void
stop_sync(struct cli *c, struct agent *a)
{
	if (a == NULL)
		return;
	bool ended = agent_flush(a, SYNC_LAST_MS);
	struct agent_state st;
	agent_state(a, &st);
	agent_stop(a);
	int64_t n = 0;
	if (repl_waiting(c->store, &n, NULL) != 0 || n == 0)
		return;
	if (ended && st.refused)
		cli_error(c, "%lld record%s not on the hub: it refused this kiosk (%s); they go "
		    "once it accepts it (a new token: kiosk join)", (long long)n, n == 1 ? "" : "s",
		    st.error);
	else {
		const char *why = !ended ? "the hub did not answer within 10 s" :
		    st.error[0] ? st.error : NULL;
		cli_error(c, "%lld record%s not yet on the hub%s%s%s; the next kiosk sync sends "
		    "them", (long long)n, n == 1 ? "" : "s", why ? " (" : "", why ? why : "",
		    why ? ")" : "");
	}
}

static int
cmd_scan(int argc, char **argv)
{
	struct cli c = { .cmd = &cmd_scan_entry };
	struct checkin_policy pol;
	const char *kiosk = NULL;
	char *cause = NULL;
	char line[SCAN_LINE_MAX];
	int rc = CLI_ERROR;
	bool failed = false, sync = false;
	size_t scans = 0;
	struct agent *agent = NULL;
	struct input *in = xmalloc(sizeof *in);
	struct follow follow = { .c = &c, .agent = &agent };

	/* A reader gone (a pipe closed) is a write that fails, said and
	 * stopped on with a last sync round, not a silent end with the last
	 * guest admitted unheard and unsent. */
	signal(SIGPIPE, SIG_IGN);
	input_open(in); /* before the threads below start */
	if (parse(&c, argc, argv, &kiosk, NULL, &sync, 0) != 0 || cli_load(&c) != 0 ||
	    cli_open(&c, CLI_OPEN_DOOR, NULL) != 0 || cli_policy(&c, &pol) != 0)
		goto out;
	/* Checkpoints on their own thread keep their fsyncs off the scan path
	 * (and that thread checks the file before the first scan is written). */
	if (store_start_checkpointer(c.store, STORE_DOOR, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	store_set_first(c.store); /* before the sync's long transactions */
	if (sync && start_sync(&c, &agent) != 0)
		goto out;
	struct stat conf_st;
	follow.path = c.config != NULL ? c.config :
	    stat("kiosk.conf", &conf_st) == 0 ? "kiosk.conf" : NULL;
	if (sync && follow.path != NULL) {
		util_watch_start(&follow.watch, follow.path);
		conf_sync_take(&follow.synced, c.conf);
		in->idle = follow_conf;
		in->idle_arg = &follow;
	}
	warn_list_short(&c, sync);
	const char *name = cli_kiosk_name(&c, kiosk);
	size_t len;
	int got;
	int64_t days_read = util_mono_ms();
	while ((got = input_line(in, line, sizeof line, &len)) == 1) {
		bool blank = true;
		for (size_t i = 0; i < len && blank; i++)
			blank = line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
		if (blank)
			continue;
		struct checkin_outcome o;
		scans++;
		if (in->idle != NULL) /* a stream of scans leaves no idle second */
			follow_conf(&follow);
		/* The hub may make the event one of days, or no longer, under a
		 * running scan (repl_each_day): looked at once a second. */
		int64_t mono = util_mono_ms();
		if (mono - days_read >= 1000) {
			pol.each_day = repl_each_day(c.store, c.conf->each_day);
			days_read = mono;
		}
		/* a `kiosk sync` beside may have learnt the hub's clock since */
		if (checkin_scan(c.store, line, len, name, &pol, store_now_fresh(c.store), &o,
		    &cause) != 0) {
			/* which line failed, for a script that retries it (null:
			 * no code could be read from the line) */
			char *code = NULL;
			(void)code_normalize(line, len, &code);
			json_t *j = json_pack("{s:s, s:s?, s:s}", "result", "error", "code", code,
			    "error", cause);
			free(code);
			int wrote = cli_json_line(j);
			json_decref(j);
			fprintf(stderr, "kiosk: scan: %s\n", cause);
			free(cause);
			cause = NULL;
			failed = true;
			if (wrote != 0) {
				cli_error(&c, "cannot write the output: %s; stopped at scan %zu of the "
				    "input", strerror(errno), scans);
				break;
			}
			continue;
		}
		char *code = NULL;
		(void)code_normalize(line, len, &code);
		json_t *j = outcome_json(&c, &o, code);
		int wrote = cli_json_line(j);
		json_decref(j);
		free(code);
		checkin_outcome_clear(&o);
		/* as the door app: the other doors learn of it at once */
		if (agent != NULL)
			agent_kick(agent);
		/* The scan is recorded, but nobody heard its answer: stop, rather
		 * than go on admitting guests whose answers go nowhere. */
		if (wrote != 0) {
			cli_error(&c, "cannot write the output: %s; stopped at scan %zu of the input "
			    "(that scan is recorded)", strerror(errno), scans);
			failed = true;
			break;
		}
	}
	if (got == -2) {
		cli_error(&c, "cannot read the input: %s; stopped after %zu scans",
		    strerror(errno), scans);
		failed = true;
	} else if (got == -1) {
		/* systemctl stop, Ctrl-C: a stop, not a failure */
		cli_error(&c, "stopped by %s after %zu scan%s%s", in->signal == SIGINT ? "SIGINT" :
		    in->signal == SIGHUP ? "SIGHUP" : "SIGTERM", scans, scans == 1 ? "" : "s",
		    agent != NULL ? "; a last sync round first" : "");
	}
	rc = failed ? CLI_ERROR : CLI_OK;
out:
	input_close(in);
	stop_sync(&c, agent);
	conf_sync_free(&follow.synced);
	cli_done(&c);
	free(in);
	return rc;
}

static int
cmd_undo(int argc, char **argv)
{
	struct cli c = { .cmd = &cmd_undo_entry };
	struct checkin_outcome o;
	const char *kiosk = NULL;
	char *cause = NULL;
	char when[KTIME_BUF];
	int rc = CLI_ERROR;

	if (parse(&c, argc, argv, &kiosk, NULL, NULL, 1) != 0 || cli_load(&c) != 0 ||
	    cli_open(&c, 0, NULL) != 0)
		goto out;
	/* at an event of days, today's admissions only (checkin_undo) */
	int64_t now = store_now(c.store);
	int64_t since = checkin_counted_since(store_each_day(c.store), now);
	int r = checkin_undo(c.store, argv[optind], cli_kiosk_name(&c, kiosk), now, since, &o,
	    &cause);
	if (r < 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	char *name = cli_guest_said(&o.guest);
	if (r == 1) {
		cli_error(&c, "%s is not checked in%s; nothing to undo", name,
		    since != 0 ? " today" : "");
	} else {
		ktime_when(o.first_at, o.at, when);
		printf("undone: check-in of %s at %s at %s (recorded as undone, not erased)\n", name,
		    when, o.first_kiosk);
		rc = CLI_OK;
		/* Admitted twice (two doors, before they synced): the other
		 * admission stands, and the organiser must not think them out.
		 * (After a re-entry undone, a guest who had left is not in.) */
		struct guest_state gs;
		if (guest_state(c.store, o.guest.uuid, since, &gs, &cause) != 0) {
			rc = cli_fail(&c, cause);
		} else if (gs.ins_since == 0) {
			/* at an event of days, not in today (earlier days stand) */
		} else if (gs.inside && gs.outs_since == 0) {
			ktime_when(gs.first_since_at, o.at, when);
			printf("%s is still checked in: admitted at %s at %s too (kiosk undo %s again "
			    "to undo that one)\n", name, when, gs.first_since_kiosk, argv[optind]);
		} else if (gs.inside) {
			ktime_when(gs.last_in_at, o.at, when);
			printf("%s is still checked in: admitted again at %s\n", name, when);
		}
	}
	free(name);
	checkin_outcome_clear(&o);
out:
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_checkin_entry = {
	"checkin", "CODE [--kiosk NAME] [--json]",
	"Check in one ticket code and say whether to admit.",
	"Exit status: 0 admitted, 3 refused (already checked in, unknown, cancelled...),\n"
	"1 error (nothing recorded).\n\noptions:\n"
	"  --kiosk NAME       record the check-in as this kiosk (default: kiosk.conf, host name)\n"
	"  --json             one JSON object: result, guest, at; kiosk when already in\n",
	cmd_checkin,
};

const struct cmd_entry cmd_scan_entry = {
	"scan", "[--kiosk NAME] [--sync] < codes",
	"Check in codes read from standard input, one a line; print one JSON object a line.",
	"For headless doors, turnstiles and scripts. Each answer is printed after its\n"
	"check-in is on disk.\n\noptions:\n"
	"  --kiosk NAME       record check-ins as this kiosk\n"
	"  --sync             sync with kiosk.conf's hub as the door app does: every\n"
	"                     [sync] every_seconds and right after each scan, on a\n"
	"                     thread of its own (answers never wait for it); at the\n"
	"                     end, says what is not yet on the hub\n",
	cmd_scan,
};

const struct cmd_entry cmd_undo_entry = {
	"undo", "CODE [--kiosk NAME]",
	"Undo the latest check-in of a ticket (a mis-scan); the undo is recorded.",
	"options:\n"
	"  --kiosk NAME       record the undo as this kiosk\n",
	cmd_undo,
};
