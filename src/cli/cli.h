/* cli: what the subcommands share: the command table, common options
 * (--db, --config, --help), loading kiosk.conf, opening the event, and
 * writing output files whole or not at all.
 *
 * Every command prints its errors as "kiosk: <command>: <what went wrong>"
 * and exits with CLI_OK, CLI_ERROR, CLI_PARTIAL (import: some rows rejected)
 * or CLI_REFUSED (checkin: not admitted). */
#ifndef KIOSK_CLI_H
#define KIOSK_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/checkin.h"
#include "core/conf.h"
#include "core/store.h"

enum { CLI_OK = 0, CLI_ERROR = 1, CLI_PARTIAL = 2, CLI_REFUSED = 3 };

struct cmd_entry {
	const char *name;
	const char *usage;      /* arguments after the name */
	const char *summary;    /* one line for `kiosk --help` */
	const char *help;       /* the options, for `kiosk CMD --help` */
	int (*exec)(int argc, char **argv);
};

extern const struct cmd_entry cmd_import_entry, cmd_guests_entry, cmd_add_entry,
    cmd_checkin_entry, cmd_scan_entry, cmd_undo_entry, cmd_export_entry, cmd_stats_entry,
    cmd_config_entry, cmd_run_entry, cmd_pin_entry, cmd_badges_entry;
extern const struct cmd_entry cmd_hub_entry;
extern const struct cmd_entry cmd_sync_entry, cmd_join_entry, cmd_cancel_entry, cmd_forget_entry;
extern const struct cmd_entry cmd_mail_entry;
extern const struct cmd_entry cmd_doctor_entry;
extern const struct cmd_entry cmd_backup_entry;

/* Option ids of the common options, above any character. */
enum { OPT_DB = 256, OPT_CONFIG, OPT_HELP, OPT__FIRST_OWN };
#define CLI_COMMON_OPTIONS \
	{ "db", required_argument, NULL, OPT_DB }, \
	{ "config", required_argument, NULL, OPT_CONFIG }, \
	{ "help", no_argument, NULL, OPT_HELP }

struct cli {
	const struct cmd_entry *cmd;
	char **argv;            /* the command's arguments, for messages */
	int argc;
	const char *db;         /* --db, or NULL */
	const char *config;     /* --config, or NULL */
	struct conf *conf;      /* after cli_load() */
	bool conf_none;         /* no --config and no ./kiosk.conf: the defaults */
	struct store *store;    /* after cli_open() */
	uint64_t given;         /* cli_getopt: the options of one value seen, by index */
	const struct option *longopts; /* cli_getopt's, for an ambiguous one's message */
};

/* getopt_long with our conventions: options before or after arguments,
 * errors reported by cli_common_opt with the "kiosk: CMD:" prefix. An
 * option of one value given twice exits 1, saying so (the first would be
 * dropped without a word: a shell alias's --config after the user's own);
 * --map and --code gather theirs. */
int cli_getopt(struct cli *c, int argc, char **argv, const struct option *longopts);

/* Handle a common option returned by getopt_long; returns 1 if it was one,
 * 0 if not, and exits for --help. Unknown options (getopt's '?') exit 1. */
int cli_common_opt(struct cli *c, int opt);

void cli_error(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_usage(const struct cmd_entry *cmd, FILE *fp);
/* The status kiosk exits with once a command (name, or NULL before one was
 * found) returned rc: stdout flushed, and CLI_ERROR, said on stderr, when
 * it could not be written (a command's answer is its stdout: `kiosk guests
 * --format csv > list.csv` on a full disk must not exit 0). */
int cli_exit_status(const char *name, int rc);
/* Print "kiosk: CMD: cause", free cause, return CLI_ERROR. */
int cli_fail(const struct cli *c, char *cause);

/* Whether chmod can make a file at path private: false on a disk that keeps
 * no modes of its own (a USB stick formatted FAT, exFAT or NTFS), told by
 * a new empty file made 0600 beside it and removed at once; true when none
 * can be made there (nothing is known then). */
bool cli_disk_keeps_modes(const char *path);
/* What to do about a file on such a disk, after "...can be read by others, and ". */
#define CLI_MODES_UNKEPT "its disk keeps no file permissions of its own (a USB stick " \
	"formatted FAT, exFAT or NTFS?), so chmod cannot change that: mount it with the " \
	"option umask=077, or keep the file on this computer's own disk"

/* Load kiosk.conf: --config must exist; without it ./kiosk.conf is used when
 * present, else the built-in defaults. Returns 0 or prints and returns -1. */
int cli_load(struct cli *c);

/* Does s end in suffix, case aside ("B.PDF", ".pdf")? For an output's
 * format from its name. */
bool cli_ends_with(const char *s, const char *suffix);
/* The same, returning -1 with *cause rather than printing it. */
int cli_load_quiet(struct cli *c, char **cause);
/* The same, returning -1 with every error in errs (conf_load_all), for
 * kiosk config --check and kiosk doctor. */
int cli_load_all(struct cli *c, struct conf_errors *errs);

/* Open the event database (--db, else the config's), with STORE_* flags;
 * sets the process time zone to the event's. Returns 0 or prints, -1.
 * A writer's database is checked for damage first (STORE_VERIFY), unless
 * CLI_OPEN_DOOR says the caller is a door (kiosk scan, kiosk run) whose
 * checkpointer checks it in the background, before the first write. */
#define CLI_OPEN_DOOR (1 << 16)
int cli_open(struct cli *c, int flags, const struct store_event_init *init);
/* The same, returning -1 with *cause rather than printing it. */
int cli_open_quiet(struct cli *c, int flags, const struct store_event_init *init,
    char **cause);

/* Whether the open event is a door's whose join was cut short: part of
 * the guest list here (repl_list_short); its figures and its "unknown"
 * are about that part. */
bool cli_list_short(struct cli *c);

/* A --timezone and --tag given (NULL when not) are ones a new event takes;
 * else says why and returns -1. Checked before the file is read. */
int cli_check_event_flags(const struct cli *c, const char *tz, const char *tag);

/* After cli_open of an event that may have been there: a --event-name,
 * --timezone or --tag (NULL when not given) that differs from the event's
 * is said to be ignored (they are for a new event), on stderr. */
void cli_note_event_flags(const struct cli *c, const char *name, const char *tz,
    const char *tag);

/* After a command made the event (store_made_event): say its name, tag and
 * time zone, which are set for good (the tag begins every ticket code made
 * here), on out (NULL: not at all, for JSON output); and warn on stderr
 * when nobody named it (kiosk.conf's default). */
void cli_note_new_event(struct cli *c, const char *path, bool dry, FILE *out);
/* This kiosk's name: override (a --kiosk that passed cli_kiosk_check),
 * else kiosk.conf, else the host's short name. */
const char *cli_kiosk_name(const struct cli *c, const char *override);
/* A --kiosk NAME given (kiosk may be NULL) is a kiosk name (util_name_check);
 * else says why and returns -1. Checked before anything is opened. */
int cli_kiosk_check(const struct cli *c, const char *kiosk);

/* Whether the event open in c is the one c's settings open (--db names
 * no other file). */
bool cli_conf_db(const struct cli *c);
/* What the event open in c is to the others: a hub when it has kiosk
 * tokens of its own, or its settings serve it ([hub] serve), as a hub's do
 * (a door made the hub among them); a door synced with a hub by the
 * settings that open it ([sync] hub), or by what it holds (guests pulled
 * from a hub); else alone. *url: the hub's address when known, else NULL. */
enum cli_role { CLI_ROLE_ALONE, CLI_ROLE_HUB, CLI_ROLE_DOOR };
enum cli_role cli_event_role(struct cli *c, const char **url);

/* "…297001": the end of a ticket code, enough to tell guests apart, for
 * what is said of a guest forgotten with kiosk forget (no name to say). */
const char *cli_code_tail(const char *code);
/* A guest as a command names them: "First Last", or for a guest with no
 * name left (forgotten with kiosk forget), "the guest with code ending
 * 297001". Caller frees. */
char *cli_guest_said(const struct guest *g);

/* The check-in policy from kiosk.conf (after cli_open: times need the zone). */
int cli_policy(const struct cli *c, struct checkin_policy *p);

/* Read a line (a PIN, a password) from standard input, without echo on a
 * terminal, prompting on stderr then. Returns 0, or -1 at end of input. */
int cli_read_secret(const char *prompt, char *buf, size_t n);

/* Write output through fn to path atomically (a temporary file renamed over
 * it, mode 0600: attendance is personal data), or to stdout when path is
 * NULL or "-" (made in memory first, and the store's read ended, so that a
 * reader that stops holds up no door). fn returns -1 with *cause when it
 * could not make the output (a damaged database), or -1 alone when writing
 * failed. Returns 0 or prints why and returns -1; a failed write leaves no
 * file. */
int cli_write_output(const struct cli *c, const char *path,
    int (*fn)(FILE *, void *, char **), void *arg);

/* The kiosk.conf at path, made as the documented default (mode 0600) when
 * there is none, for the commands that write settings into it (join, pin);
 * *made says so, so that a command that then fails can take it away again.
 * Returns 0, or prints why and returns -1. */
int cli_ensure_conf(const struct cli *c, const char *path, bool *made);

/* After a command that brought in the list (import, join): warn when
 * codes of it are shorter than [scanner] min_length, which a door's USB
 * scanner then takes for typing (doctor_codes), naming the setting in
 * conf_path's file (NULL: c's kiosk.conf) and its line. Says nothing when
 * every code is long enough, or when the codes cannot be read (kiosk doctor
 * says it again). */
void cli_warn_short_codes(struct cli *c, const char *conf_path);
/* The same for counts read already (guest_short_codes: shorter codes than
 * [scanner] min_length, the shortest's length), as a dry run's import
 * reads them before it rolls back. */
void cli_say_short_codes(struct cli *c, const char *conf_path, int64_t shorter, int shortest);

/* Release what cli_load/cli_open made. */
void cli_done(struct cli *c);


#endif

#include <jansson.h>
#include "core/guest.h"

/* A guest as JSON: names, e-mail, company, ticket type, handle, source,
 * cancelled and the extra fields; the code only when with_code (organiser
 * tools; the door never prints it). New reference. */
json_t *cli_guest_json(const struct guest *g, bool with_code);

/* Print one JSON value on its own line and flush (for `kiosk scan`); -1
 * when it could not be written (errno says why). */
int cli_json_line(json_t *v);
