/* kiosk mail: each guest's ticket by e-mail (the QR code inline, the ticket
 * as a PDF), through an SMTP server, or as .eml files for a dry run.
 *
 * The work is src/mail's: outbox (who, the run, the record), ticket (the
 * message), smtp (libcurl). This file turns options and kiosk.conf into
 * their settings and their events into lines: per-guest failures and the
 * guests without an address on stderr, a progress line (redrawn on a
 * terminal, every ten seconds otherwise), the counts on stdout. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "badge/badge.h"
#include "cli/cli.h"
#include "core/util.h"
#include "mail/mime.h"
#include "mail/outbox.h"
#include "mail/smtp.h"
#include "mail/ticket.h"
#include "ui/app.h"

enum {
	OPT_SMTP = OPT__FIRST_OWN, OPT_FROM, OPT_SUBJECT, OPT_TEMPLATE, OPT_CODE, OPT_UNSENT,
	OPT_RESEND, OPT_DRY, OPT_RATE, OPT_VERBOSE, OPT_ON_DOOR,
};

#define PLAIN_PROGRESS_MS 10000   /* progress lines when stderr is not a terminal */
#define FILE_STEM_MAX     64

/* The first SIGINT or SIGTERM stops the run after the message in flight;
 * a second one abandons that message too. */
static volatile sig_atomic_t stop_requested;
/* The connection a second stop cuts: libcurl does not poll abandon while
 * it waits for the answer after a message (up to 120 s). */
static struct smtp *volatile cut_on_stop;
/* stderr is a terminal: the first stop's notice wipes the progress line. */
static volatile sig_atomic_t stop_tty;

/* The first stop says what it waits for: a mail server slow to answer
 * (a weak Wi-Fi) holds the message in flight for up to 120 s, during
 * which a silent Ctrl-C looked ignored and invited a kill -9, the one
 * stop that can mail a guest twice. write(2): async-signal-safe. */
static void
say_stopping(void)
{
	static const char wipe[] = "\r\033[K";
	static const char msg[] = "kiosk: mail: stopping after the message in flight "
	    "(Ctrl-C again to stop at once)\n";
	ssize_t w = 0;
	if (stop_tty)
		w = write(STDERR_FILENO, wipe, sizeof wipe - 1);
	w = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)w;
}

static void
on_stop(int sig)
{
	(void)sig;
	if (stop_requested < 2)
		stop_requested++;
	if (stop_requested == 1)
		say_stopping();
	if (stop_requested >= 2)
		smtp_cut(cut_on_stop);
}

static int
abandon(void *arg)
{
	(void)arg;
	return stop_requested >= 2;
}

struct mailer {
	struct cli *c;
	struct ticket_maker *mk;
	struct smtp *smtp;             /* NULL in a dry run */
	const char *dry_dir;           /* the dry run's folder, or NULL */
	bool tty;                      /* stderr is a terminal: redraw progress */
	bool verbose;
	bool line_shown;               /* a progress line is on the terminal now */
	int64_t last_plain;            /* when the last plain progress line went out */
};

/* Before a line of our own: wipe the progress line off the terminal. */
static void
clear_progress(struct mailer *m)
{
	if (m->tty && m->line_shown) {
		fputs("\r\033[K", stderr);
		m->line_shown = false;
	}
}

static int
compose(void *arg, const struct outbox_guest *g, int64_t now, struct ticket_message *msg,
    char **cause)
{
	struct mailer *m = arg;
	struct ticket_guest tg = {
		g->first_name, g->last_name, g->email, g->company, g->ticket_type, g->handle,
		g->code, g->language, g->replaced_code,
	};
	return ticket_make(m->mk, &tg, now, msg, cause);
}

static enum smtp_result
send_smtp(void *arg, const struct outbox_guest *g, const struct ticket_message *msg,
    char **answer)
{
	struct mailer *m = arg;
	return smtp_send(m->smtp, ticket_maker_from(m->mk), g->email, msg->data, msg->len,
	    answer);
}

/* A dry run's file name: the ticket code when it is a safe file name, else
 * the guest's UUID. */
static char *
eml_path(const char *dir, const struct outbox_guest *g)
{
	size_t n = strlen(g->code);
	bool safe = n > 0 && n <= FILE_STEM_MAX && g->code[0] != '.';
	for (size_t i = 0; i < n && safe; i++) {
		char ch = g->code[i];
		safe = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
	}
	return xasprintf("%s/%s.eml", dir, safe ? g->code : g->uuid);
}

/* The dry run's transport: the message, byte for byte, into DIR/NAME.eml,
 * written beside and renamed (a preview: not synced to disk). */
static enum smtp_result
send_file(void *arg, const struct outbox_guest *g, const struct ticket_message *msg,
    char **answer)
{
	struct mailer *m = arg;
	char *path = eml_path(m->dry_dir, g);
	char *tmp = xasprintf("%s.tmp-XXXXXX", path);
	enum smtp_result r = SMTP_FATAL;
	int fd = mkstemp(tmp);

	if (fd < 0) {
		*answer = xasprintf("%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	size_t off = 0;
	while (off < msg->len) {
		ssize_t w = write(fd, msg->data + off, msg->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int err = errno;
	if (close(fd) != 0 && off == msg->len) {
		err = errno;
		off = 0;
	}
	if (off != msg->len || rename(tmp, path) != 0) {
		*answer = xasprintf("%s: cannot write: %s", path, strerror(off != msg->len ? err :
		    errno));
		unlink(tmp);
		goto out;
	}
	*answer = xstrdup(path);
	r = SMTP_SENT;
out:
	free(tmp);
	free(path);
	return r;
}

static void
told(void *arg, const struct outbox_guest *g, enum outbox_event e, const char *answer,
    int64_t wait_ms)
{
	struct mailer *m = arg;
	char *who = outbox_guest_label(g);

	clear_progress(m);
	switch (e) {
	case OUTBOX_SENT:
		if (m->verbose)
			printf("%s: %s\n", m->dry_dir ? "written" : "sent", who);
		break;
	case OUTBOX_RETRY:
		cli_error(m->c, "%s: temporary failure (%s); trying again in %lld s", who, answer,
		    (long long)(wait_ms / 1000));
		break;
	case OUTBOX_FAILED:
		cli_error(m->c, "%s: not sent: %s", who, answer);
		break;
	case OUTBOX_UNKNOWN:
		/* Not "not sent": it may well have arrived. */
		cli_error(m->c, "%s: unconfirmed: %s", who, answer);
		break;
	}
	fflush(stdout);
	free(who);
}

/* ", unconfirmed N" when some messages went with no answer, else "". */
static void
unconfirmed_part(const struct outbox_counts *n, const char *sep, char *out, size_t size)
{
	if (n->unknown == 0)
		out[0] = '\0';
	else
		snprintf(out, size, "%sunconfirmed %zu", sep, n->unknown);
}

static void
show_progress(void *arg, const struct outbox_counts *n)
{
	struct mailer *m = arg;
	char unk[48];
	unconfirmed_part(n, " / ", unk, sizeof unk);
	if (m->tty) {
		fprintf(stderr, "\r\033[K%s %zu%s / failed %zu / left %zu", m->dry_dir ? "written" :
		    "sent", n->sent, unk, n->failed, n->left);
		m->line_shown = true;
	} else {
		int64_t t = util_mono_ms();
		if (m->last_plain != 0 && t - m->last_plain < PLAIN_PROGRESS_MS)
			return;
		m->last_plain = t;
		fprintf(stderr, "kiosk: mail: %s %zu%s / failed %zu / left %zu\n",
		    m->dry_dir ? "written" : "sent", n->sent, unk, n->failed, n->left);
	}
	fflush(stderr);
}

/* "--rate 30/min" or "--rate 30"; 0 for no limit. */
static int
parse_rate(const char *s, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno != 0 || end == s || n < 0 || n > 100000)
		return -1;
	if (*end != '\0' && strcmp(end, "/min") != 0 && strcmp(end, "/m") != 0)
		return -1;
	*out = (int)n;
	return 0;
}

/* The password is in kiosk.conf: say so when others can read the file. */
static void
check_conf_mode(struct cli *c)
{
	struct stat st;
	const struct conf *cf = c->conf;
	if (cf->path == NULL || cf->mail_password[0] == '\0' || stat(cf->path, &st) != 0)
		return;
	if (!(st.st_mode & (S_IRWXG | S_IRWXO)))
		return;
	if (!cli_disk_keeps_modes(cf->path))
		cli_error(c, "warning: %s holds the mail password and others can read it, and %s",
		    cf->path, CLI_MODES_UNKEPT);
	else
		cli_error(c, "warning: %s holds the mail password and others can read it: "
		    "chmod 600 %s", cf->path, cf->path);
}

/* Where the PDFs are drawn (one at a time, each removed at once): $TMPDIR,
 * else memory (/dev/shm) when there is some, which is twice as fast as a
 * disk and never leaves a guest's ticket on one; else /tmp. */
static const char *
work_base(void)
{
	const char *t = getenv("TMPDIR");
	struct stat st;
	if (t != NULL && t[0] == '/')
		return t;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

/* Who was mailed is recorded in the event's file where kiosk mail ran, and
 * sync carries no such record: a door that pulled the list from a hub has
 * none of the hub's, and its 'kiosk mail --unsent' (for a walk-in
 * registered there) mailed every guest the hub had mailed a second time.
 * So a door mails only when told to. Returns 0, or -1 having said why. */
static int
refuse_on_door(struct cli *c)
{
	const char *hub;
	if (cli_event_role(c, &hub) != CLI_ROLE_DOOR)
		return 0;
	cli_error(c, "%s is a door synced with %s%s: run 'kiosk mail' on the hub, which "
	    "keeps the record of who was mailed (a walk-in registered here is there after "
	    "the next sync). Mailed from here, every guest the hub mailed would get a second "
	    "ticket e-mail. (--on-door mails from here all the same: only for a door made the "
	    "hub, or when no other computer mails this event's guests); nothing sent",
	    store_path(c->store), hub ? "the hub at " : "a hub", hub ? hub : "");
	return -1;
}

static void
list_noaddr(struct cli *c, const struct outbox_list *l)
{
	for (size_t i = 0; i < l->nnoaddr; i++) {
		const struct outbox_guest *g = &l->noaddr[i];
		char *who = outbox_guest_label(g);
		if (g->email[0] == '\0')
			cli_error(c, "no e-mail address: %s (ticket %s)", who, g->code);
		else
			cli_error(c, "not an e-mail address: '%s': %s (ticket %s)", g->email, who,
			    g->code);
		free(who);
	}
}

static int
cmd_mail(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "smtp", required_argument, NULL, OPT_SMTP },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "subject", required_argument, NULL, OPT_SUBJECT },
		{ "template", required_argument, NULL, OPT_TEMPLATE },
		{ "code", required_argument, NULL, OPT_CODE },
		{ "unsent", no_argument, NULL, OPT_UNSENT },
		{ "resend", no_argument, NULL, OPT_RESEND },
		{ "dry-run", required_argument, NULL, OPT_DRY },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "on-door", no_argument, NULL, OPT_ON_DOOR },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_mail_entry };
	struct mailer m = { .c = &c };
	struct outbox_choice choice = { NULL, 0, false, false };
	struct outbox_list *list = NULL;
	const char **codes = xcalloc((size_t)argc + 1, sizeof *codes);
	const char *smtp_url = NULL, *from = NULL, *subject = NULL, *template_file = NULL;
	char *cause = NULL, *work = NULL, *shipped = NULL, *fonts = NULL;
	int rate = -1, opt, rc = CLI_ERROR, lock_fd = -1;
	struct sigaction sa, old_int, old_term, old_pipe;
	bool signals_set = false, fonts_used = false, on_door = false;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		switch (opt) {
		case OPT_SMTP: smtp_url = optarg; break;
		case OPT_FROM: from = optarg; break;
		case OPT_SUBJECT: subject = optarg; break;
		case OPT_TEMPLATE: template_file = optarg; break;
		case OPT_CODE: codes[choice.ncodes++] = optarg; break;
		case OPT_UNSENT: choice.unsent = true; break;
		case OPT_RESEND: choice.resend = true; break;
		case OPT_DRY: m.dry_dir = optarg; break;
		case OPT_VERBOSE: m.verbose = true; break;
		case OPT_ON_DOOR: on_door = true; break;
		case OPT_RATE:
			if (parse_rate(optarg, &rate) != 0) {
				cli_error(&c, "--rate: expected N/min (0: no limit), got '%s'", optarg);
				goto out;
			}
			break;
		}
	}
	choice.codes = codes;
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (choice.unsent && choice.resend) {
		cli_error(&c, "--unsent and --resend contradict each other");
		goto out;
	}
	if (cli_load(&c) != 0)
		goto out;
	check_conf_mode(&c);
	if (rate < 0)
		rate = m.dry_dir ? 0 : c.conf->mail_per_minute; /* a dry run sends nothing */
	if (cli_open(&c, m.dry_dir ? STORE_READONLY : 0, NULL) != 0)
		goto out;
	if (m.dry_dir == NULL && !on_door && refuse_on_door(&c) != 0)
		goto out;

	/* Everything that can be wrong with the setup is found before the
	 * first guest: templates, sender, server address, the folder. */
	shipped = xasprintf("%s/templates", app_datadir());
	work = xasprintf("%s/kiosk-mail-XXXXXX", work_base());
	if (mkdtemp(work) == NULL) {
		cli_error(&c, "cannot make a work folder: %s", strerror(errno));
		free(work);
		work = NULL;
		goto out;
	}
	struct ticket_setup setup = {
		store_event(c.store)->name, c.conf->event_date, c.conf->event_place,
		from ? from : c.conf->mail_from, c.conf->mail_language, c.conf->mail_templates,
		shipped, template_file, subject, work, c.conf->path,
	};
	if (ticket_maker_new(&setup, &m.mk, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (m.dry_dir == NULL) {
		struct smtp_options so = {
			smtp_url ? smtp_url : c.conf->mail_smtp, c.conf->mail_username,
			c.conf->mail_password, c.conf->mail_cafile, 0, 0, abandon, NULL, c.conf->path,
		};
		if (smtp_new(&so, &m.smtp, &cause) != 0) {
			rc = cli_fail(&c, cause);
			goto out;
		}
	} else if (mkdir(m.dry_dir, 0700) != 0 && errno != EEXIST) {
		cli_error(&c, "--dry-run %s: %s", m.dry_dir, strerror(errno));
		goto out;
	}

	/* One sending run per event at a time: a second one started in
	 * another terminal (the first seemed stuck) chose the same guests and
	 * mailed them twice. flock is apart from SQLite's own (fcntl) locks. */
	if (m.dry_dir == NULL) {
		lock_fd = open(store_path(c.store), O_RDONLY | O_CLOEXEC);
		if (lock_fd < 0 || flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
			cli_error(&c, "%s", errno == EWOULDBLOCK ? "another 'kiosk mail' is sending "
			    "for this event; wait for it to end (or stop it), then 'kiosk mail "
			    "--unsent'" : strerror(errno));
			goto out;
		}
	}
	if (outbox_choose(c.store, &choice, &list, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	list_noaddr(&c, list);
	if (list->cancelled > 0 || list->mailed > 0)
		printf("left out: %zu cancelled, %zu mailed already\n", list->cancelled,
		    list->mailed);

	fonts = xasprintf("%s/fonts", app_datadir());
	badge_use_fonts(fonts);
	fonts_used = true;

	cut_on_stop = m.smtp; /* NULL in a dry run */
	m.tty = isatty(STDERR_FILENO);
	stop_tty = m.tty;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	signals_set = true;

	m.last_plain = util_mono_ms(); /* the first plain line after a while */
	struct outbox_options oo = { m.dry_dir == NULL, rate, &stop_requested };
	struct outbox_ops ops = {
		compose, m.dry_dir ? send_file : send_smtp, told, show_progress, NULL, NULL, &m,
	};
	struct outbox_counts n;
	enum outbox_end end = outbox_run(c.store, list, &oo, &ops, &n, &cause);
	clear_progress(&m);
	if (m.dry_dir != NULL)
		printf("dry run: %zu written to %s, failed %zu, no e-mail address %zu, left %zu\n",
		    n.sent, m.dry_dir, n.failed, list->nnoaddr, n.left);
	else {
		char unk[48];
		unconfirmed_part(&n, ", ", unk, sizeof unk);
		printf("sent %zu%s, failed %zu, no e-mail address %zu, left %zu\n", n.sent, unk,
		    n.failed, list->nnoaddr, n.left);
	}
	fflush(stdout);
	switch (end) {
	case OUTBOX_DONE:
		rc = n.failed > 0 || n.unknown > 0 || list->nnoaddr > 0 ? CLI_PARTIAL : CLI_OK;
		break;
	case OUTBOX_STOPPED:
		cli_error(&c, "interrupted: %zu left; 'kiosk mail --unsent' goes on", n.left);
		break;
	case OUTBOX_REFUSED:
		/* The refusal of the sender says how many and --unsent
		 * itself, counting the guests it failed too: a second count
		 * of the left alone would contradict it. */
		cli_error(&c, "%s", cause);
		free(cause);
		break;
	case OUTBOX_ABORTED:
		cli_error(&c, "%s", cause ? cause : "stopped");
		if (n.left > 0 && m.dry_dir == NULL)
			cli_error(&c, "%zu left; 'kiosk mail --unsent' goes on", n.left);
		free(cause);
		break;
	}
out:
	if (signals_set) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGPIPE, &old_pipe, NULL);
	}
	cut_on_stop = NULL;
	outbox_list_free(list);
	smtp_free(m.smtp);
	ticket_maker_free(m.mk);
	if (work != NULL)
		rmdir(work);
	free(work);
	free(shipped);
	free(fonts);
	free(codes);
	cli_done(&c);
	/* After the database is closed: closing any descriptor of a file drops
	 * every fcntl lock this process holds on it, SQLite's among them. */
	if (lock_fd >= 0)
		close(lock_fd);
	if (fonts_used)
		badge_shutdown();
	return rc;
}

const struct cmd_entry cmd_mail_entry = {
	"mail", "[--code CODE]... [--unsent | --resend] [--dry-run DIR] [--rate N/min] "
	"[--smtp URL] [--from ADDR] [--subject TEXT] [--template FILE] [--on-door]",
	"E-mail each guest their ticket: QR code inline, the ticket as a PDF.",
	"Every guest with a ticket (cancelled ones left out), or those named with --code,\n"
	"gets one e-mail in their language (the import's language column, else [mail]\n"
	"language): the event, its date and place, their name, the QR code, and the ticket\n"
	"as a PDF. Every attempt is recorded. Nobody is mailed twice without --resend;\n"
	"after an interruption, --unsent mails the rest. Temporary failures are tried\n"
	"again later in the run; refused addresses are reported and the run goes on.\n"
	"A message that went whole and got no answer may have arrived: not sent again,\n"
	"nor by --unsent (--code CODE --resend if it did not). A server that turns every\n"
	"message away for now (421, a rate limit or quota: 5.4.5, words such as 'sending\n"
	"quota', or 3 guests in a row refused alike) stops the run: --unsent later.\n"
	"Guests without an e-mail address are listed. The user name and password come\n"
	"from kiosk.conf [mail] (keep it chmod 600), never from the command line.\n"
	"Exit status: 0 all mailed, 2 some not (refused, unconfirmed, no address), 1 an\n"
	"error.\n\n"
	"options:\n"
	"  --code CODE        only this guest (repeat for more)\n"
	"  --unsent           only guests not mailed yet, or not at their address and code\n"
	"                     now (resume a run; after an import changed them)\n"
	"  --resend           mail guests who were mailed already once more\n"
	"  --dry-run DIR      write each message to DIR/CODE.eml instead; send nothing\n"
	"  --rate N/min       at most N messages a minute (default [mail] per_minute; 0: no limit)\n"
	"  --smtp URL         smtps://HOST:465 or smtp://HOST:587 (default [mail] smtp)\n"
	"  --from ADDR        the sender, 'Name <address>' (default [mail] from)\n"
	"  --subject TEXT     the subject, placeholders allowed (default: the template's)\n"
	"  --template FILE    one template for every guest (see templates/mail-en.txt)\n"
	"  --verbose          name every guest mailed\n"
	"  --on-door          mail from a door synced with a hub (refused without it: the\n"
	"                     record of who was mailed is the hub's; run kiosk mail there)\n",
	cmd_mail,
};
