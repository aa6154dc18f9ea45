/* conf: kiosk.conf, the one settings file of a kiosk.
 *
 * The keys live in one table in conf.c (section, key, type, default, help);
 * the parser, the documented kiosk.conf that conf_write_default() prints and
 * the error messages ("kiosk.conf:12: unknown key 'hub_ulr' in [hub]") all
 * come from it. The file is INI, parsed with inih. Unknown sections, unknown
 * keys, repeated keys and bad values are errors naming the file and line.
 * Relative paths in the file are relative to the file's own folder. */
#ifndef KIOSK_CONF_H
#define KIOSK_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum conf_mode { CONF_MODE_ENTRY, CONF_MODE_EXIT };
/* What a scanner sends after a code (its "suffix" setting). */
enum conf_suffix { CONF_SUFFIX_RETURN, CONF_SUFFIX_TAB, CONF_SUFFIX_NONE };

/* Settings. Callers read fields directly; strings are never NULL ("" when
 * unset) unless noted. */
struct conf {
	char *path;              /* file it came from; NULL for built-in defaults */

	/* [event] */
	char *db_path;           /* database file, resolved against the file's folder */
	char *event_name;        /* used when a database is created */
	int event_name_line;     /* the line that set it; 0: the default */
	char *event_tz;          /* IANA zone, e.g. Europe/Brussels */
	int event_tz_line;       /* the line that set it; 0: the default */
	char *event_tag;         /* short tag in our codes; "" derives one from the name */
	int event_tag_line;      /* the line that set it; 0: the default */
	char *event_date;        /* when, as ticket e-mails say it ("21 May 2026, 9:00") */
	char *event_place;       /* where, as ticket e-mails say it */

	/* [kiosk] */
	char *kiosk_name;        /* "" means the host name */
	char *language;          /* en, nl, fr or de */
	char *admin_pin_hash;    /* "" means no PIN set */
	enum conf_mode mode;     /* entry or exit scanning */
	int result_seconds;      /* how long a result stays on screen, 1..60 */
	bool sound;
	bool staff_pin;          /* search and walk-in behind the admin PIN too */
	bool fullscreen;
	char **show_fields;      /* extra fields shown on the result screen */
	size_t n_show_fields;

	/* [checkin] */
	bool reentry;            /* exit scans let a guest back in */
	bool each_day;           /* a ticket gets in once each day */
	char **admit_types;      /* ticket types this kiosk admits; none means all */
	size_t n_admit_types;
	char *open_from;         /* "YYYY-MM-DD HH:MM" event-local, "HH:MM" every
	                          * day (conf_parse_daily_time), or "" */
	char *open_until;        /* same, of the same form */
	char **ticket_days;      /* "TYPE: YYYY-MM-DD" items (conf_ticket_day): a
	                          * type named there gets in on its days only */
	size_t n_ticket_days;

	/* [sync]: this kiosk as a client of a hub */
	char *hub_url;           /* "" means standalone */
	char *hub_token;         /* this kiosk's token, sent to the hub */
	char *sync_cafile;       /* PEM to trust for an https hub; "" system CAs */
	int sync_seconds;        /* seconds between sync rounds, 1..3600 */

	/* [hub]: this kiosk serving as the hub */
	bool hub_serve;
	char *hub_listen;        /* "ADDR:PORT" */
	char **hub_names;        /* more names the live page answers to (hostname.h) */
	size_t n_hub_names;
	char *hub_tls_cert;      /* "" means plain http */
	char *hub_tls_key;

	/* [scanner] */
	int scanner_gap_ms;      /* max ms between keys of a scanner burst */
	int scanner_min_length;  /* shortest burst taken as a scan */
	int scanner_min_length_line; /* the line that set it; 0: the default */
	enum conf_suffix scanner_suffix; /* the key that ends a scan, if any */
	int scanner_suffix_line; /* the line that set it; 0: the default */

	/* [camera] */
	char *camera_device;     /* "" means no camera */
	int camera_width;
	int camera_height;

	/* [badge] */
	char *badge_layout;
	char *badge_printer;     /* "" means the default CUPS printer */
	bool print_walkins;
	bool print_checkins;

	/* [mail]: ticket e-mails (kiosk mail) */
	char *mail_smtp;         /* smtps://HOST[:PORT] or smtp://HOST[:PORT]; "" none */
	char *mail_username;     /* SMTP login; "" sends without one */
	char *mail_password;     /* secret: never printed, never in a message */
	char *mail_cafile;       /* PEM to trust for the server; "" system CAs */
	char *mail_from;         /* "Name <address>" or an address */
	char *mail_language;     /* en, nl, fr or de: guests the import gave none */
	char *mail_templates;    /* folder of own mail-LANG.txt; "" the shipped ones */
	int mail_per_minute;     /* messages a minute at most; 0: no limit */
};

/* Built-in defaults (what a missing key means). Never NULL; conf_free() it. */
struct conf *conf_defaults(void);

/* Load a file over the defaults. Returns 0 and *out, or -1 with *cause naming
 * the file and line of the first error ("kiosk.conf:7: [checkin] reentry:
 * expected yes or no, got 'maybe'"), followed by how many more there are
 * when there are ("(and 2 more errors: kiosk config --check lists them
 * all)"); a missing file is an error ("kiosk.conf: No such file or
 * directory"). */
int conf_load(const char *path, struct conf **out, char **cause);

/* Same on text in memory; name stands for the file in messages and base_dir
 * resolves relative paths (NULL: the current folder). */
int conf_load_string(const char *text, const char *name, const char *base_dir,
    struct conf **out, char **cause);

#define CONF_ERRORS_MAX 100   /* errors a load keeps the messages of */

/* Every error one load found, in line order. */
struct conf_errors {
	char **msg;     /* "kiosk.conf:12: unknown key 'hub_ulr' in [sync]; ..." */
	size_t n;       /* messages in msg, at most CONF_ERRORS_MAX */
	size_t total;   /* errors found: more than n when the rest were not kept */
};

/* conf_load and conf_load_string, reporting every error rather than the
 * first: returns 0 and *out (errs empty), or -1 with errs filled (at least
 * one), which the caller frees with conf_errors_free. An error about the
 * whole file (missing, not text) is the only one. */
int conf_load_all(const char *path, struct conf **out, struct conf_errors *errs);
int conf_load_string_all(const char *text, const char *name, const char *base_dir,
    struct conf **out, struct conf_errors *errs);
void conf_errors_free(struct conf_errors *errs);

/* Write the documented default kiosk.conf: every key, each with its comment
 * and its default value. Returns 0 or -1 on a write error. */
int conf_write_default(FILE *fp);

/* Check "YYYY-MM-DD HH:MM"; returns 0 and the parts, or -1. */
/* One item of [checkin] ticket_days, "TYPE: YYYY-MM-DD" (the type is what
 * comes before the last colon, trimmed): 0 with the type's length in
 * *type_len (it starts at item) and the day as YYYYMMDD in *day, or -1
 * when the item is not of that shape or the date does not exist. */
int conf_ticket_day(const char *item, size_t *type_len, int *day);

/* "HH:MM", a time of every day: 0 with *hour and *min, or -1. */
int conf_parse_daily_time(const char *s, int *hour, int *min);

int conf_parse_local_time(const char *s, int *year, int *mon, int *day, int *hour, int *min);

/* Set key in [section] of the file at path to value, keeping every other
 * line and comment as it is (the line is replaced, or added to the section,
 * or the section added). The new file is checked with conf_load before it
 * replaces the old one, atomically. Returns 0, or -1 with *cause. */
int conf_set(const char *path, const char *section, const char *key, const char *value,
    char **cause);
/* Can value be written as a kiosk.conf value and read back the same (no
 * line break, no ';' after white space, which starts a comment)? */
bool conf_value_writable(const char *value);

/* Whether url is an address kiosk.conf takes for [section] key (one of
 * the address keys: [sync] hub, [mail] smtp): the scheme it allows, a host,
 * no user name or password, a port from 1 to 65535 if any. */
bool conf_address_ok(const char *section, const char *key, const char *url);

/* The file c came from, as a message names it: its path, or "kiosk.conf"
 * for the built-in defaults (the file to make, in this folder). */
const char *conf_file(const struct conf *c);

/* conf_free(NULL) does nothing. */
void conf_free(struct conf *c);

/* A copy of what a sync agent runs with ([sync] hub, token, cafile,
 * every_seconds), to tell when kiosk.conf now says otherwise (the door app
 * and kiosk scan --sync follow kiosk join). Zeroed: none yet, the same as
 * no kiosk.conf. */
struct conf_sync {
	char *url, *token, *cafile;
	int seconds;
};
void conf_sync_take(struct conf_sync *cs, const struct conf *c);
bool conf_sync_same(const struct conf_sync *cs, const struct conf *c);
void conf_sync_free(struct conf_sync *cs);

#endif
