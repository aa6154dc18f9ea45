/* cli: what the subcommands share (see cli.h). */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/code.h"
#include "core/device.h"
#include "core/doctor.h"
#include "core/guest.h"
#include "core/ktime.h"
#include "core/util.h"
#include "sync/repl.h"

void
cli_usage(const struct cmd_entry *cmd, FILE *fp)
{
	fprintf(fp, "usage: kiosk %s %s\n\n%s\n\n%s", cmd->name, cmd->usage, cmd->summary,
	    cmd->help);
	fprintf(fp, "  --db PATH          event database (default: kiosk.conf's [event] database)\n"
	    "  --config PATH      settings file (default: ./kiosk.conf when present)\n"
	    "  --help             this help\n");
}

bool
cli_disk_keeps_modes(const char *path)
{
	char *dir = util_folder_of(path);
	char *tmp = xasprintf("%s/.kiosk-modes-XXXXXX", dir);
	int fd = util_mkstemp_removed(tmp);
	bool kept = true;
	struct stat st;
	if (fd >= 0) {
		if (fstat(fd, &st) == 0)
			kept = doctor_mode_kept(st.st_mode & 0777);
		close(fd);
		unlink(tmp);
		util_stop_keeps(tmp);
	}
	free(tmp);
	free(dir);
	return kept;
}

int
cli_exit_status(const char *name, int rc)
{
	errno = 0;
	bool lost = fflush(stdout) != 0;
	int err = errno;
	if (lost || ferror(stdout)) {
		if (rc == CLI_ERROR) /* the command said what went wrong */
			return rc;
		fprintf(stderr, "kiosk: %s%scannot write the output%s%s (anything the command "
		    "changed is saved)\n", name ? name : "", name ? ": " : "", err ? ": " : "",
		    err ? strerror(err) : "");
		return CLI_ERROR;
	}
	return rc;
}

void
cli_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "kiosk: %s: ", c->cmd->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int
cli_fail(const struct cli *c, char *cause)
{
	cli_error(c, "%s", cause ? cause : "failed");
	free(cause);
	return CLI_ERROR;
}

int
cli_getopt(struct cli *c, int argc, char **argv, const struct option *longopts)
{
	c->argv = argv;
	c->argc = argc;
	c->longopts = longopts;
	opterr = 0;
	/* A leading ':' makes a missing value ':' rather than '?'. */
	int ix = -1;
	int opt = getopt_long(argc, argv, ":h", longopts, &ix); /* -h: as kiosk -h */
	if (opt >= 0 && ix >= 0 && ix < 64 && longopts[ix].has_arg == required_argument &&
	    strcmp(longopts[ix].name, "map") != 0 && strcmp(longopts[ix].name, "code") != 0) {
		if (c->given & (UINT64_C(1) << ix)) {
			cli_error(c, "option '--%s' given twice; give it once", longopts[ix].name);
			exit(CLI_ERROR);
		}
		c->given |= UINT64_C(1) << ix;
	}
	return opt;
}

/* The long options arg (--pre or --pre=value) is the start of, in b, when
 * more than one: getopt calls an ambiguous one unknown. */
static bool
ambiguous(const struct cli *c, const char *arg, struct buf *b)
{
	if (c->longopts == NULL || strncmp(arg, "--", 2) != 0)
		return false;
	size_t n = strcspn(arg + 2, "="), k = 0;
	for (const struct option *o = c->longopts; o->name != NULL; o++)
		if (strncmp(o->name, arg + 2, n) == 0 && k++ < 8)
			buf_addf(b, "%s--%s", k > 1 ? ", " : "", o->name);
	return k > 1;
}

/* The option argument that holds byte b, for a message. */
static const char *
bad_byte_arg(const struct cli *c, char b)
{
	for (int i = optind; i >= optind - 1 && i >= 1; i--)
		if (i < c->argc && c->argv[i][0] == '-' && strchr(c->argv[i], b) != NULL)
			return c->argv[i];
	return "?";
}

int
cli_common_opt(struct cli *c, int opt)
{
	switch (opt) {
	case OPT_DB:
	case OPT_CONFIG:
		/* --db "" (an unset shell variable) would be taken as no file
		 * at all, with words to match */
		if (optarg[0] == '\0') {
			fprintf(stderr, "kiosk: %s: %s: no file name given\n", c->cmd->name,
			    opt == OPT_DB ? "--db" : "--config");
			exit(CLI_ERROR);
		}
		if (opt == OPT_DB)
			c->db = optarg;
		else
			c->config = optarg;
		return 1;
	case OPT_HELP:
	case 'h':
		cli_usage(c->cmd, stdout);
		exit(cli_exit_status(c->cmd->name, CLI_OK));
	case '?':
		/* getopt's own messages are off (opterr = 0): ours carry the prefix. */
		/* optopt is an unknown short option's letter, or a known long
		 * switch's id when it was given a value (--json=yes). */
		if (optopt > 0 && optopt < 128 && isprint(optopt))
			fprintf(stderr, "kiosk: %s: unknown option '-%c'; see 'kiosk %s --help'\n",
			    c->cmd->name, optopt, c->cmd->name);
		else if (optopt != 0 && optopt < 256)
			/* a byte of a letter that is not ASCII ("-é", an en dash
			 * for "--"): the argument holding it, which getopt has
			 * passed when it was that argument's last byte */
			fprintf(stderr, "kiosk: %s: unknown option '%s'; see 'kiosk %s --help'\n",
			    c->cmd->name, bad_byte_arg(c, (char)optopt), c->cmd->name);
		else if (optopt != 0 && strchr(c->argv[optind - 1], '=') != NULL)
			fprintf(stderr, "kiosk: %s: option '%.*s' takes no value; see 'kiosk %s "
			    "--help'\n", c->cmd->name, (int)strcspn(c->argv[optind - 1], "="),
			    c->argv[optind - 1], c->cmd->name);
		else {
			struct buf names;
			buf_init(&names, 0);
			if (ambiguous(c, c->argv[optind - 1], &names))
				fprintf(stderr, "kiosk: %s: option '%.*s' is the start of more than one "
				    "(%s): write it whole\n", c->cmd->name,
				    (int)strcspn(c->argv[optind - 1], "="), c->argv[optind - 1],
				    buf_cstr(&names));
			else
				fprintf(stderr, "kiosk: %s: unknown option '%s'; see 'kiosk %s --help'\n",
				    c->cmd->name, c->argv[optind - 1], c->cmd->name);
			buf_free(&names);
		}
		exit(CLI_ERROR);
	case ':':
		fprintf(stderr, "kiosk: %s: option '%s' needs a value; see 'kiosk %s --help'\n",
		    c->cmd->name, c->argv[optind - 1], c->cmd->name);
		exit(CLI_ERROR);
	default:
		return 0;
	}
}

/* The kiosk.conf a command reads: --config, else ./kiosk.conf when there
 * is one; NULL: none (the built-in defaults). A kiosk.conf.txt is no
 * "none": it is the volunteer's kiosk.conf as Windows saved it, and the
 * load says so rather than run on the defaults. */
static const char *
conf_path(const struct cli *c)
{
	struct stat st;

	if (c->config != NULL)
		return c->config;
	return stat("kiosk.conf", &st) == 0 || stat("kiosk.conf.txt", &st) == 0 ?
	    "kiosk.conf" : NULL;
}

int
cli_load_quiet(struct cli *c, char **cause)
{
	const char *path = conf_path(c);

	if (path != NULL)
		return conf_load(path, &c->conf, cause);
	c->conf = conf_defaults();
	c->conf_none = true;
	return 0;
}

int
cli_load_all(struct cli *c, struct conf_errors *errs)
{
	const char *path = conf_path(c);

	memset(errs, 0, sizeof *errs);
	if (path != NULL)
		return conf_load_all(path, &c->conf, errs);
	c->conf = conf_defaults();
	c->conf_none = true;
	return 0;
}

bool
cli_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

int
cli_load(struct cli *c)
{
	char *cause = NULL;
	if (cli_load_quiet(c, &cause) != 0)
		return cli_fail(c, cause), -1;
	return 0;
}

int
cli_open(struct cli *c, int flags, const struct store_event_init *init)
{
	char *cause = NULL;
	if (cli_open_quiet(c, flags, init, &cause) != 0)
		return cli_fail(c, cause), -1;
	return 0;
}

/* [checkin] each_day as the event's own: kept in it by every command that
 * opens it to write with a kiosk.conf (the hub, a standalone door), and
 * read back when it is opened with none (a copy made with kiosk backup,
 * the hub's file read from another folder). Without it such a copy
 * counted a guest of two days as a duplicate entry on the second, and had
 * no days_attended. Returns the setting that counts at this open. */
#define EVENT_DAYS "event_each_day"

static bool
event_days(struct cli *c, int flags)
{
	int64_t v = 0;
	int known = store_state_get(c->store, EVENT_DAYS, &v, NULL);
	bool own = c->conf->each_day;

	if (c->conf_none)
		return known == 1 ? v != 0 : own;
	if ((flags & (STORE_READONLY | STORE_MEMORY | STORE_SNAPSHOT | STORE_CREATE)) ||
	    known < 0 || (known == 1 && (v != 0) == own))
		return own;
	/* written once, then only when kiosk.conf changes; a busy or
	 * read-only file keeps what it had */
	char *cause = NULL;
	if (store_begin(c->store, &cause) != 0 ||
	    store_state_set(c->store, EVENT_DAYS, own, &cause) != 0 ||
	    store_commit(c->store, &cause) != 0)
		store_rollback(c->store);
	free(cause);
	return own;
}

int
cli_open_quiet(struct cli *c, int flags, const struct store_event_init *init, char **out)
{
	char *cause = NULL;
	struct store_event_init def = { c->conf->event_name, c->conf->event_tz, c->conf->event_tag,
	    NULL };
	const char *path = c->db ? c->db : c->conf->db_path;

	/* A writer checks the file first; a door checks it in the background. */
	if (flags & CLI_OPEN_DOOR)
		flags &= ~CLI_OPEN_DOOR;
	else if (!(flags & STORE_READONLY))
		flags |= STORE_VERIFY;
	if (store_open(path, flags, init ? init : &def, &c->store, &cause) != 0) {
		/* run in another folder than the event's: the default path
		 * names nothing there, which the message alone does not say */
		if (c->conf_none && c->db == NULL && !(flags & STORE_CREATE) &&
		    access(path, F_OK) != 0) {
			char *more = xasprintf("%s (there is no kiosk.conf in this folder to name "
			    "the event: run kiosk in its folder, or give --config or --db)", cause);
			free(cause);
			cause = more;
		}
		*out = cause;
		return -1;
	}
	/* An event of days: the hub this door syncs with says, else this
	 * kiosk.conf (repl_each_day), else (no kiosk.conf here) the one
	 * that last opened the event to write (event_days). */
	if (c->conf != NULL)
		repl_each_day(c->store, event_days(c, flags));
	/* A zone this machine lacks (no tzdata), or one an older version let
	 * in: the event's data must still be reachable. Say so, and use UTC,
	 * which is what glibc made of it then. */
	if (ktime_set_zone(store_event(c->store)->tz, &cause) != 0) {
		cli_error(c, "warning: %s; times are shown in UTC (kiosk doctor checks this)",
		    cause);
		free(cause);
		cause = NULL;
		if (ktime_set_zone("UTC", &cause) != 0) {
			free(cause);
			setenv("TZ", "UTC0", 1); /* a POSIX rule: needs no zone file */
			tzset();
		}
	}
	return 0;
}

int
cli_kiosk_check(const struct cli *c, const char *kiosk)
{
	char *cause = NULL;
	/* --kiosk "" (an unset $KIOSK in a script) means not given. */
	if (kiosk != NULL && kiosk[0] != '\0' &&
	    util_name_check("--kiosk", kiosk, UTIL_NAME_MAX, &cause) != 0)
		return cli_fail(c, cause), -1;
	return 0;
}

int
cli_check_event_flags(const struct cli *c, const char *tz, const char *tag)
{
	char *cause = NULL, up[CODE_TAG_MAX + 2];
	if (tz != NULL && ktime_zone_check(tz, &cause) != 0) {
		cli_error(c, "--timezone: %s", cause);
		free(cause);
		return -1;
	}
	if (tag == NULL)
		return 0;
	if (!code_tag_normalize(tag, up)) {
		cli_error(c, "--tag '%s': expected %d to %d letters A-Z or digits", tag, CODE_TAG_MIN,
		    CODE_TAG_MAX);
		return -1;
	}
	return 0;
}

void
cli_note_event_flags(const struct cli *c, const char *name, const char *tz, const char *tag)
{
	const struct store_event *ev = store_event(c->store);
	const char *flag[] = { "--event-name", "--timezone", "--tag" };
	const char *given[] = { name, tz, tag };
	const char *kept[] = { ev->name, ev->tz, ev->tag };
	const char *what[] = { "name", "time zone", "tag" };
	for (size_t i = 0; i < 3; i++)
		if (given[i] != NULL && strcasecmp(given[i], kept[i]) != 0)
			cli_error(c, "warning: %s %s ignored: the event's %s is %s, set when it "
			    "was created", flag[i], given[i], what[i], kept[i]);
}

void
cli_note_new_event(struct cli *c, const char *path, bool dry, FILE *out)
{
	const struct store_event *ev = store_event(c->store);
	if (out != NULL)
		fprintf(out, "%s event \"%s\" (tag %s, time zone %s) in %s\n", dry ?
		    "would make the" : "made the", ev->name, ev->tag, ev->tz, path);
	struct conf *def = conf_defaults();
	if (strcmp(ev->name, def->event_name) != 0) {
		conf_free(def);
		return;
	}
	conf_free(def);
	if (dry)
		cli_error(c, "warning: the event would have no name of its own (\"%s\", tag %s): "
		    "give --event-name NAME --tag TAG, or set [event] name and tag in kiosk.conf",
		    ev->name, ev->tag);
	else
		cli_error(c, "warning: the event has no name of its own (\"%s\", tag %s): before "
		    "tickets or badges go out, delete %s and make it again with --event-name NAME "
		    "--tag TAG, or with [event] name and tag set in kiosk.conf", ev->name, ev->tag,
		    path);
}

#define CLI_CODE_TAIL 6 /* characters of a code said of a forgotten guest */

const char *
cli_code_tail(const char *code)
{
	size_t n = strlen(code);
	return n > CLI_CODE_TAIL ? code + n - CLI_CODE_TAIL : code;
}

char *
cli_guest_said(const struct guest *g)
{
	char *name = guest_display_name(g);
	if (name[0] != '\0')
		return name;
	free(name);
	return xasprintf("the guest with code ending %s", cli_code_tail(g->code));
}

const char *
cli_kiosk_name(const struct cli *c, const char *override)
{
	static char host[256];
	if (override != NULL && override[0] != '\0')
		return override;
	if (c->conf != NULL && c->conf->kiosk_name[0] != '\0')
		return c->conf->kiosk_name;
	/* The host's short name ("door2" of "door2.venue.lan"), which is
	 * ASCII: a kiosk name is at most UTIL_NAME_MAX bytes. */
	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = '\0';
	host[strcspn(host, ".")] = '\0';
	host[UTIL_NAME_MAX] = '\0';
	if (util_name_check("host name", host, UTIL_NAME_MAX, NULL) != 0)
		snprintf(host, sizeof host, "kiosk");
	return host;
}

int
cli_policy(const struct cli *c, struct checkin_policy *p)
{
	const struct conf *cf = c->conf;
	char *cause = NULL;
	if (checkin_policy_from_conf(cf, c->store != NULL ? store_each_day(c->store) :
	    cf->each_day, p, &cause) != 0) {
		cli_error(c, "kiosk.conf: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

int
cli_write_output(const struct cli *c, const char *path, int (*fn)(FILE *, void *, char **),
    void *arg)
{
	struct util_replace r;
	char *cause = NULL;

	if (path == NULL || strcmp(path, "-") == 0) {
		/* Made whole, the event's read ended, then written: a reader
		 * that stops (a pager, Ctrl-S) would else hold the snapshot, and
		 * no door's check-ins could leave its WAL until it ended. */
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		if (mem == NULL) {
			cli_error(c, "cannot hold the output: %s", strerror(errno));
			return -1;
		}
		int made = fn(mem, arg, &cause);
		bool held = fclose(mem) == 0;
		if (c->store != NULL)
			store_rollback(c->store); /* the read is over */
		if (made != 0 || !held) {
			free(text);
			if (cause != NULL)
				return cli_fail(c, cause), -1;
			cli_error(c, "cannot hold the output: %s", strerror(errno ? errno : ENOMEM));
			return -1;
		}
		errno = 0;
		size_t put = fwrite(text, 1, len, stdout);
		free(text);
		if (put != len || fflush(stdout) != 0 || ferror(stdout)) {
			cli_error(c, "cannot write the output: %s", strerror(errno ? errno : EIO));
			return -1;
		}
		return 0;
	}
	if (util_replace_open(&r, path, 0600, &cause) != 0)
		return cli_fail(c, cause), -1;
	errno = 0;
	if (fn(r.fp, arg, &cause) != 0) {
		util_replace_abort(&r);
		if (cause != NULL)
			return cli_fail(c, cause), -1;
		cli_error(c, "%s: cannot write: %s", path, strerror(errno ? errno : EIO));
		return -1;
	}
	if (util_replace_commit(&r, &cause) != 0)
		return cli_fail(c, cause), -1;
	return 0;
}

void
cli_done(struct cli *c)
{
	store_close(c->store);
	conf_free(c->conf);
	c->store = NULL;
	c->conf = NULL;
}

json_t *
cli_guest_json(const struct guest *g, bool with_code)
{
	json_t *o = json_object();
	json_object_set_new(o, "first_name", json_string(g->first_name));
	json_object_set_new(o, "last_name", json_string(g->last_name));
	json_object_set_new(o, "email", json_string(g->email));
	json_object_set_new(o, "company", json_string(g->company));
	json_object_set_new(o, "ticket_type", json_string(g->ticket_type));
	json_object_set_new(o, "handle", json_string(g->handle));
	json_object_set_new(o, "source", json_string(g->source));
	json_object_set_new(o, "cancelled", json_boolean(g->cancelled));
	if (with_code)
		json_object_set_new(o, "code", json_string(g->code));
	json_t *extra = json_loads(g->extra, 0, NULL);
	json_object_set_new(o, "extra", json_is_object(extra) ? extra : json_object());
	if (!json_is_object(extra))
		json_decref(extra);
	return o;
}

int
cli_json_line(json_t *v)
{
	if (json_dumpf(v, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0)
		return -1;
	return 0;
}

int
cli_read_secret(const char *prompt, char *buf, size_t n)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)n, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (got == NULL)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

int
cli_ensure_conf(const struct cli *c, const char *path, bool *made)
{
	*made = false;
	if (access(path, F_OK) == 0)
		return 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fp == NULL || conf_write_default(fp) != 0 || fflush(fp) != 0 || fsync(fd) != 0) {
		cli_error(c, "cannot create %s: %s", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		else if (fd >= 0)
			close(fd);
		if (fd >= 0) /* ours; not a file someone made meanwhile */
			unlink(path);
		return -1;
	}
	fclose(fp);
	*made = true;
	return 0;
}

bool
cli_list_short(struct cli *c)
{
	bool is_short = false;
	return c->store != NULL && repl_list_short(c->store, &is_short, NULL) == 0 && is_short;
}

static int
count_device(const struct device_info *d, void *arg)
{
	(void)d;
	(void)arg;
	return 0;
}

bool
cli_conf_db(const struct cli *c)
{
	struct stat a, b;
	return c->db == NULL || (stat(c->db, &a) == 0 && stat(c->conf->db_path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

enum cli_role
cli_event_role(struct cli *c, const char **url)
{
	*url = NULL;
	if (device_each(c->store, count_device, NULL, NULL) > 0)
		return CLI_ROLE_HUB;
	if (cli_conf_db(c) && c->conf->hub_serve)
		return CLI_ROLE_HUB;
	if (cli_conf_db(c) && c->conf->hub_url[0] != '\0') {
		*url = c->conf->hub_url;
		return CLI_ROLE_DOOR;
	}
	struct repl_pos pos;
	return repl_cursors(c->store, &pos, NULL) == 0 && pos.guests > 0 ? CLI_ROLE_DOOR :
	    CLI_ROLE_ALONE;
}

void
cli_warn_short_codes(struct cli *c, const char *conf_path)
{
	int64_t shorter = 0;
	int shortest = 0;
	char *cause = NULL;
	if (c->store == NULL || guest_short_codes(c->store, c->conf->scanner_min_length, &shorter,
	    &shortest, &cause) != 0) {
		free(cause); /* the list is in; kiosk doctor says it again */
		return;
	}
	cli_say_short_codes(c, conf_path, shorter, shortest);
}

void
cli_say_short_codes(struct cli *c, const char *conf_path, int64_t shorter, int shortest)
{
	struct doctor_codes v;
	const struct conf *cf = c->conf;
	doctor_codes(shorter, shortest, cf->scanner_suffix == CONF_SUFFIX_NONE, true, &v);
	if (v.advice == DOCTOR_CODES_FINE)
		return;
	const char *file = conf_path != NULL ? conf_path : conf_file(cf);
	char *at = cf->scanner_min_length_line > 0 ? xasprintf("%s:%d", file,
	    cf->scanner_min_length_line) : xasprintf("%s (under [scanner])", file);
	fprintf(stderr, "kiosk: %s: warning: %" PRId64 " code%s of the list %s shorter than "
	    "[scanner] min_length = %d (the shortest has %d character%s): a door's USB scanner "
	    "takes %s for typing, and does not check %s in; set min_length = %d in %s, and in "
	    "the kiosk.conf of every other door%s (kiosk doctor checks it)\n", c->cmd->name,
	    shorter, shorter == 1 ? "" : "s", shorter == 1 ? "is" : "are", cf->scanner_min_length,
	    shortest, shortest == 1 ? "" : "s", shorter == 1 ? "it" : "them",
	    shorter == 1 ? "that guest" : "those guests", v.min_length, at,
	    v.advice == DOCTOR_CODES_SUFFIX ? ", with a scanner set to end each code with Enter "
	    "([scanner] suffix = return): without one, codes this short cannot be told from "
	    "typing" : "");
	free(at);
}
