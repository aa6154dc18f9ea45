/* kiosk doctor: check a kiosk before the doors open and say in plain words
 * what is wrong. Each check gathers facts here; whether they are fine is
 * decided in core/doctor.c. It changes nothing (the database is opened
 * read-only; the hub is only asked who it is; where a file's mode is
 * wrong, an empty file made beside it and removed at once tells whether
 * chmod can put it right). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "badge/print.h"
#include "cli/cli.h"
#include "core/attend.h"
#include "core/code.h"
#include "core/device.h"
#include "core/doctor.h"
#include "core/guest.h"
#include "core/ktime.h"
#include "core/merge.h"
#include "core/util.h"
#include "sync/client.h"
#include "sync/hub.h"
#include "sync/repl.h"
#include "ui/app.h"
#include "ui/text.h"

enum { OPT_JSON = OPT__FIRST_OWN, OPT_SKIP_INTEGRITY };

struct doctor {
	bool json;
	json_t *checks;
	int fails, warns;
};

static void
say(struct doctor *d, enum doctor_level l, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
say(struct doctor *d, enum doctor_level l, const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (l == DOCTOR_FAIL)
		d->fails++;
	else if (l == DOCTOR_WARN)
		d->warns++;
	if (d->json)
		json_array_append_new(d->checks, json_pack("{s:s, s:s, s:s}", "check", what,
		    "level", doctor_level_word(l), "message", msg));
	else
		printf("%-5s %-12s %s\n", doctor_level_word(l), what, msg);
	free(msg);
}

/* secret: 1 or 0 for kiosk.conf (whether it holds one), -1 for the
 * database (guest data: always private). */
static void
check_mode(struct doctor *d, const char *what, const char *path, int secret)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	enum doctor_level l = secret < 0 ? doctor_file_mode(st.st_mode) :
	    doctor_conf_mode(st.st_mode, secret == 1);
	if (l == DOCTOR_OK)
		return;
	const char *how = (st.st_mode & 0002) ? "changed" : "read";
	if (!cli_disk_keeps_modes(path))
		say(d, l, what, "%s can be %s by other users (mode %03o), and %s", path, how,
		    st.st_mode & 0777, CLI_MODES_UNKEPT);
	else
		say(d, l, what, "%s can be %s by other users (mode %03o): chmod 600 %s", path, how,
		    st.st_mode & 0777, path);
}

static void
check_disk(struct doctor *d, const char *db)
{
	char *dir = util_folder_of(db);
	struct statvfs v;
	if (statvfs(dir, &v) != 0) {
		say(d, DOCTOR_WARN, "disk", "cannot tell the free space of %s: %s", dir,
		    strerror(errno));
	} else {
		uint64_t free_b = (uint64_t)v.f_bavail * v.f_frsize;
		enum doctor_level l = doctor_free_space(free_b);
		say(d, l, "disk", "%.0f MB free where the database is (%s)%s",
		    (double)free_b / (1 << 20), dir, l == DOCTOR_OK ? "" :
		    ": free some space before the doors open");
	}
	free(dir);
}

/* The database: opens, is ours, is whole; its guest list and state. */
/* A clock behind what the event already recorded (a laptop whose battery
 * ran down, a wrong year): every new check-in sorts before the old ones,
 * and open_from / open_until refuse guests. Said even without a hub. */
static void
check_clock_against(struct doctor *d, struct store *s)
{
	sqlite3_stmt *st = NULL;
	int64_t latest = 0;
	if (sqlite3_prepare_v2(store_db(s), "SELECT max(at) FROM (SELECT max(at) AS at FROM checkin"
	    " UNION ALL SELECT max(at) FROM scan)", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		latest = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	char then[KTIME_BUF], here[KTIME_BUF];
	(void)ktime_set_zone(store_event(s)->tz, NULL); /* the event's times */
	/* A clock not set (no clock battery: 1970, 2000-01-01): store_now
	 * stands in the latest time the event holds, which hides it from the
	 * test below. */
	int64_t mine = util_now_ms();
	if (mine < MERGE_CLOCK_MIN) {
		ktime_local(mine, here);
		if (store_clock_anchored(s))
			say(d, DOCTOR_WARN, "clock", "this computer says %s: check-ins go on the hub's "
			    "time learnt at the last sync until it restarts; set the clock "
			    "(timedatectl set-time)", here);
		else
			say(d, DOCTOR_FAIL, "clock", "this computer says %s (no clock battery?): "
			    "check-ins would all be stamped at the last time the event holds, and "
			    "the check-in hours would refuse guests; set the clock (timedatectl "
			    "set-time 'YYYY-MM-DD HH:MM'), or sync with the hub", here);
		return;
	}
	int64_t now = store_now(s);
	if (latest == 0 || now >= latest - 10 * 60 * 1000)
		return;
	ktime_local(latest, then);
	ktime_local(now, here);
	say(d, DOCTOR_FAIL, "clock", "this computer says %s, but check-ins were recorded at %s: "
	    "set the clock (timedatectl)", here, then);
}

/* The door's hours: a check-in window that has closed, or opens in days,
 * refuses every guest who comes now. */
static void
check_gates(struct doctor *d, struct cli *c, struct store *s)
{
	struct checkin_policy p;
	char from[KTIME_BUF], until[KTIME_BUF], in[DOCTOR_SPAN_BUF];
	if (cli_policy(c, &p) != 0)
		return;
	/* An event of days, or not: the hub's word holds over kiosk.conf's
	 * (repl_each_day); a door set otherwise is told whose it follows. */
	p.each_day = repl_each_day(s, c->conf->each_day);
	/* Set on the hub only is as the README says; a door's own yes set
	 * aside is worth a look. */
	if (p.each_day && !c->conf->each_day)
		say(d, DOCTOR_OK, "days", "a ticket gets in once each day (the hub's [checkin] "
		    "each_day)");
	else if (!p.each_day && c->conf->each_day)
		say(d, DOCTOR_WARN, "days", "the hub's event is a one-day event (a ticket gets in "
		    "once), and this door follows it: [checkin] each_day = yes here is set aside");
	else if (p.each_day)
		say(d, DOCTOR_OK, "days", "a ticket gets in once each day ([checkin] each_day)");
	int64_t now = store_now(s);
	if (p.daily_from != 0 || p.daily_until != 0) {
		/* hours of every day: never closed for good */
		say(d, DOCTOR_OK, "gates", "check-in open every day%s%s%s%s",
		    p.daily_from ? " from " : "", c->conf->open_from,
		    p.daily_until ? " until " : "", c->conf->open_until);
		return;
	}
	if (p.open_from != 0)
		ktime_local(p.open_from, from);
	if (p.open_until != 0)
		ktime_local(p.open_until, until);
	switch (doctor_gates(now, p.open_from, p.open_until)) {
	case DOCTOR_FAIL:
		say(d, DOCTOR_FAIL, "gates", "check-in closed at %s ([checkin] open_until): every "
		    "guest is refused as 'this entrance is closed'; set open_from and open_until "
		    "in %s to the event's times", until, conf_file(c->conf));
		return;
	case DOCTOR_WARN:
		doctor_span(p.open_from - now, in);
		say(d, DOCTOR_WARN, "gates", "check-in opens at %s ([checkin] open_from), in %s: "
		    "until then every guest is refused as 'not open yet'; is the date right?",
		    from, in + 1);
		return;
	case DOCTOR_OK:
		break;
	}
	if (p.open_from != 0 || p.open_until != 0)
		say(d, DOCTOR_OK, "gates", "check-in open %s%s%s%s", p.open_from ? "from " : "",
		    p.open_from ? from : "", p.open_until ? (p.open_from ? " until " : "until ") : "",
		    p.open_until ? until : "");
}

/* Guests whose ticket type (sql: "type") or extra field ("field") is name. */
static int64_t
guests_with(struct store *s, const char *sql, const char *name)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

/* What the list has, for the message: up to eight of them. */
static char *
names_in(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *list = xstrdup("");
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		return list;
	for (int i = 0; i < 8 && sqlite3_step(st) == SQLITE_ROW; i++) {
		char *more = xasprintf("%s%s%s", list, i ? ", " : "",
		    (const char *)sqlite3_column_text(st, 0));
		free(list);
		list = more;
	}
	sqlite3_finalize(st);
	if (list[0] == '\0') {
		free(list);
		list = xstrdup("none");
	}
	return list;
}

/* [checkin] admit_types and [kiosk] show_fields name types and columns of
 * the import; one the list does not have (a typo, another language's
 * export) refuses every such guest, or shows nothing, without a word. */
/* One kiosk.conf list (key) whose names no guest has (count_sql, with the
 * name bound, finds none): a warning naming it, and what the list has
 * (list_sql). */
static void
check_list(struct doctor *d, struct store *s, const char *check, const char *key,
    const char *const *names, size_t n, const char *count_sql, const char *list_sql,
    const char *what)
{
	for (size_t i = 0; i < n; i++) {
		if (guests_with(s, count_sql, names[i]) != 0)
			continue;
		char *have = names_in(s, list_sql);
		say(d, DOCTOR_WARN, check, "%s names '%s', %s (the list has: %s)", key, names[i],
		    what, have);
		free(have);
	}
}

static void
check_names(struct doctor *d, const struct conf *cf, struct store *s)
{
	check_list(d, s, "gates", "[checkin] admit_types", (const char *const *)cf->admit_types,
	    cf->n_admit_types, "SELECT count(*) FROM guest WHERE ticket_type = ? COLLATE NOCASE",
	    "SELECT DISTINCT ticket_type FROM guest WHERE ticket_type != '' ORDER BY 1",
	    "a ticket type no guest has");
	/* a day ticket misspelt there gets in every day */
	char **types = xcalloc(cf->n_ticket_days + 1, sizeof *types);
	size_t nt = 0;
	for (size_t i = 0; i < cf->n_ticket_days; i++) {
		size_t len;
		int day;
		if (conf_ticket_day(cf->ticket_days[i], &len, &day) == 0)
			types[nt++] = xstrndup(cf->ticket_days[i], len);
	}
	check_list(d, s, "gates", "[checkin] ticket_days", (const char *const *)types, nt,
	    "SELECT count(*) FROM guest WHERE ticket_type = ? COLLATE NOCASE",
	    "SELECT DISTINCT ticket_type FROM guest WHERE ticket_type != '' ORDER BY 1",
	    "a ticket type no guest has, whose tickets then get in every day");
	for (size_t i = 0; i < nt; i++)
		free(types[i]);
	free(types);
	check_list(d, s, "show fields", "[kiosk] show_fields", (const char *const *)cf->show_fields,
	    cf->n_show_fields, "SELECT count(*) FROM guest, json_each(guest.extra)"
	    " WHERE json_each.key = ?", "SELECT DISTINCT json_each.key FROM guest,"
	    " json_each(guest.extra) ORDER BY 1",
	    "a column no guest has, so the door shows nothing for it");
}

/* The database's line: its event, guests and check-ins. */
static void
say_counts(struct doctor *d, struct store *s, const char *path, bool integrity)
{
	struct attend_counts ac;
	char *cause = NULL;
	if (attend_counts(s, store_now(s), &ac, &cause) != 0) {
		say(d, DOCTOR_FAIL, "database", "%s", cause);
		free(cause);
		return;
	}
	say(d, ac.registered > 0 ? DOCTOR_OK : DOCTOR_WARN, "database",
	    "%s: \"%s\", %d guest%s, %d checked in%s%s", path, store_event(s)->name,
	    ac.registered, ac.registered == 1 ? "" : "s", ac.checked_in,
	    integrity ? ", integrity ok" : "",
	    ac.registered > 0 ? "" : " (import the guest list, or join a hub)");
}

static struct store *
check_database(struct doctor *d, struct cli *c, bool integrity)
{
	const char *path = c->db ? c->db : c->conf->db_path;
	struct store *s = NULL;
	char *cause = NULL;

	if (store_open(path, STORE_READONLY, NULL, &s, &cause) != 0) {
		say(d, DOCTOR_FAIL, "database", "%s", cause);
		free(cause);
		return NULL;
	}
	bool damaged = false;
	if (integrity) {
		sqlite3_stmt *st = NULL;
		const char *verdict = "cannot check";
		if (sqlite3_prepare_v2(store_db(s), "PRAGMA integrity_check(1)", -1, &st, NULL) ==
		    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			verdict = (const char *)sqlite3_column_text(st, 0);
		/* SQLite's report (b-tree pages, error codes, over lines) is not
		 * the organiser's; what to do is. */
		damaged = strcmp(verdict, "ok") != 0;
		if (damaged)
			say(d, DOCTOR_FAIL, "database", "%s is damaged (" STORE_BROKEN_PAGES "): "
			    STORE_DAMAGED_ADVICE, path);
		sqlite3_finalize(st);
	}
	/* Whole pages, but a table or column gone (edited in a database
	 * browser): every command that needs it would fail. */
	if (!damaged && store_schema_check(s, &cause) != 0) {
		say(d, DOCTOR_FAIL, "database", "%s", cause);
		free(cause);
		cause = NULL;
		damaged = true;
	}
	/* A damaged file has had its one verdict: no "ok" line after it. */
	if (!damaged)
		say_counts(d, s, path, integrity);
	/* A join cut short: the door holds part of the list, and turns away
	 * valid tickets of the rest as unknown (repl_list_short). */
	bool is_short = false, served = false;
	if (repl_list_short(s, &is_short, NULL) == 0 && is_short) {
		(void)repl_served(s, &served, NULL);
		if (served)
			say(d, DOCTOR_FAIL, "guest list", "not all here: this database's join was cut "
			    "short before it served as the hub, and its doors pull only what it has; "
			    "import the platform's export here");
		else
			say(d, DOCTOR_FAIL, "guest list", "not all here: the join with the hub was cut "
			    "short, and tickets not yet pulled are answered \"unknown\"; run kiosk "
			    "sync until it completes");
	}
	/* Events made before tags were checked could get one that is not a
	 * tag ("AGth" from "10th Anniversary"): their own codes are refused. */
	if (!code_tag_valid(store_event(s)->tag))
		say(d, DOCTOR_FAIL, "event tag", "'%s' is not a valid tag, so the codes kiosk "
		    "made for this event are refused at the door: make the event again with "
		    "--tag (2 to 8 capital letters and digits) and import the list",
		    store_event(s)->tag);
	/* kiosk.conf's zone is a new event's; this event's was set when it
	 * was made, and is what the hours and times are read in. */
	const struct conf *cf = c->conf;
	const char *file = conf_file(cf);
	if (cf->event_tz_line > 0 && strcmp(cf->event_tz, store_event(s)->tz) != 0)
		say(d, DOCTOR_WARN, "time zone", "%s:%d says timezone = %s, but this event's time "
		    "zone is %s, set when it was made: open_from, open_until and every time shown "
		    "are in %s", file, cf->event_tz_line, cf->event_tz,
		    store_event(s)->tz, store_event(s)->tz);
	/* So are its name and tag: a kiosk.conf edited after the first
	 * import (a typo in the name mended) changes neither, and the screens,
	 * badges and codes made here go on with the event's. The example's
	 * "Untitled event" names none: that event was named with flags. */
	struct conf *def = conf_defaults();
	bool named = cf->event_name_line > 0 && strcmp(cf->event_name, def->event_name) != 0;
	conf_free(def);
	if (named && strcmp(cf->event_name, store_event(s)->name) != 0)
		say(d, DOCTOR_WARN, "event name", "%s:%d says name = %s, but this event's name is "
		    "%s, set when it was made: screens, badges and ticket e-mails say %s", file,
		    cf->event_name_line, cf->event_name, store_event(s)->name, store_event(s)->name);
	if (cf->event_tag_line > 0 && cf->event_tag[0] != '\0' &&
	    strcasecmp(cf->event_tag, store_event(s)->tag) != 0)
		say(d, DOCTOR_WARN, "event tag", "%s:%d says tag = %s, but this event's tag is %s, "
		    "set when it was made: the codes made here begin with %s", file,
		    cf->event_tag_line, cf->event_tag, store_event(s)->tag, store_event(s)->tag);
	/* Doctor reads; the door writes. A file or folder this user cannot
	 * write to (a copy owned by root, a read-only mount) refuses every
	 * check-in, in the words the door would use. */
	char *dir = util_folder_of(path);
	if (access(path, W_OK) != 0 || access(dir, W_OK) != 0)
		say(d, DOCTOR_FAIL, "database", "%s: the database is read-only for this user (%s); "
		    "kiosk needs to write to it and to its folder", path, strerror(errno));
	free(dir);
	check_clock_against(d, s);
	check_mode(d, "database", path, -1);
	check_disk(d, path);
	return s;
}

static void
check_files(struct doctor *d)
{
	const char *fonts[64];
	int max = (int)(sizeof fonts / sizeof fonts[0]), nfonts = text_font_files(fonts, max);
	static const char *const langs[] = { "nl", "fr", "de" };
	const char *dir = app_datadir();
	int missing = 0;
	struct buf b;

	buf_init(&b, 0);
	for (int i = 0; i < nfonts && i < max; i++) {
		char *p = xasprintf("%s/fonts/%s", dir, fonts[i]);
		if (access(p, R_OK) != 0)
			buf_addf(&b, "%s%s", missing++ ? ", " : "", fonts[i]);
		free(p);
	}
	if (missing)
		say(d, DOCTOR_FAIL, "fonts", "missing in %s/fonts: %s (names in some scripts "
		    "would not draw)", dir, buf_cstr(&b));
	else
		say(d, DOCTOR_OK, "fonts", "all in %s/fonts", dir);
	buf_free(&b);
	buf_init(&b, 0);
	missing = 0;
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		char *p = xasprintf("%s/locale/%s/LC_MESSAGES/kiosk.mo", dir, langs[i]);
		char *q = xasprintf("%s/build/locale/%s/LC_MESSAGES/kiosk.mo", dir, langs[i]);
		if (access(p, R_OK) != 0 && access(q, R_OK) != 0)
			buf_addf(&b, "%s%s", missing++ ? ", " : "", langs[i]);
		free(p);
		free(q);
	}
	if (missing)
		say(d, DOCTOR_WARN, "languages", "no translation for %s: those screens would "
		    "be in English", buf_cstr(&b));
	else
		say(d, DOCTOR_OK, "languages", "English, Dutch, French and German");
	buf_free(&b);
}

#define INPUT_DEVICES "/proc/bus/input/devices"
#define INPUT_DEVICES_MAX (256 * 1024)   /* a few KiB; hundreds of devices fit */

/* The barcode scanner: kiosk.conf names no device for it (it is a
 * keyboard), so what is said is whether a keyboard is plugged in over USB
 * or Bluetooth, and what only a scan can tell. */
static bool
check_scanner(struct doctor *d, const struct conf *cf)
{
	static const char *const ends[] = {
		[CONF_SUFFIX_RETURN] = "end each code with Enter ([scanner] suffix = return, "
		    "as most do)",
		[CONF_SUFFIX_TAB] = "end each code with Tab ([scanner] suffix = tab)",
		[CONF_SUFFIX_NONE] = "send nothing after a code ([scanner] suffix = none)",
	};
	struct doctor_keyboards kb;
	char *list = NULL;
	size_t len;

	if (util_read_file(INPUT_DEVICES, INPUT_DEVICES_MAX, &list, &len, NULL) != 0)
		list = NULL;
	doctor_keyboards(list, (int)(sizeof(unsigned long) * 8), &kb);
	free(list);
	const char *end = ends[cf->scanner_suffix];
	enum doctor_level l = doctor_scanner(&kb, cf->camera_device[0] != '\0');
	if (kb.devices == 0) {
		say(d, l, "scanner", "cannot see which keyboards are plugged in (%s lists no input "
		    "device), and a USB scanner is one: scan a badge at the door to try it; it "
		    "must %s", INPUT_DEVICES, end);
	} else if (kb.n == 0 && cf->camera_device[0] != '\0') {
		say(d, l, "scanner", "no USB or Bluetooth keyboard is plugged in, and a barcode "
		    "scanner is one: the camera reads codes ([camera] device); a scanner plugged "
		    "in must %s", end);
	} else if (kb.n == 0) {
		say(d, l, "scanner", "no USB or Bluetooth keyboard is plugged in, and a barcode "
		    "scanner is one: plug the scanner in (or pair a Bluetooth one), else codes are "
		    "typed by hand; then scan a badge at the door to try it (it must %s)", end);
	} else {
		struct buf b;
		buf_init(&b, 0);
		for (int i = 0; i < kb.n && i < DOCTOR_KEYBOARDS_LISTED; i++)
			buf_addf(&b, "%s\"%s\"", i ? ", " : "", kb.name[i]);
		if (kb.n > DOCTOR_KEYBOARDS_LISTED)
			buf_addf(&b, " and %d more", kb.n - DOCTOR_KEYBOARDS_LISTED);
		say(d, l, "scanner", "USB or Bluetooth keyboard%s plugged in: %s (a barcode "
		    "scanner is one, and only a scan tells which): scan a badge at the door to "
		    "try it; it must %s", kb.n == 1 ? "" : "s", buf_cstr(&b), end);
		buf_free(&b);
	}
	/* whether a scanner may read at this door: not at one with a camera
	 * and no keyboard plugged in */
	return !(kb.devices > 0 && kb.n == 0 && cf->camera_device[0] != '\0');
}

/* Where a [scanner] key is set, for the message: "kiosk.conf:14", or the
 * file to add it to when it is the default (line 0). */
static char *
scanner_key_at(const struct conf *cf, const char *key, int line, const char *value)
{
	if (line > 0)
		return xasprintf("%s = %s in %s:%d", key, value, conf_file(cf), line);
	return xasprintf("%s = %s under [scanner] in %s", key, value, conf_file(cf));
}

static int
any_device(const struct device_info *di, void *arg)
{
	(void)di;
	(void)arg;
	return 0;
}

/* The list's codes against [scanner] min_length: a code shorter is taken
 * for typing when scanned (doctor_codes), so every such guest stands at
 * the door unscanned. An import from a form or a platform with short codes
 * of its own is where they come from. */
static void
check_codes(struct doctor *d, const struct conf *cf, struct store *s, bool scanner)
{
	/* A hub of its own (kiosk-hub.service: tokens for doors, no [hub]
	 * serve, no [sync] hub) scans nothing; its doors' settings matter. */
	bool hub_only = cf->hub_url[0] == '\0' && !cf->hub_serve &&
	    device_each(s, any_device, NULL, NULL) > 0;
	if (hub_only)
		scanner = false;
	int64_t shorter = 0;
	int shortest = 0;
	char *cause = NULL;
	struct doctor_codes v;

	if (guest_short_codes(s, cf->scanner_min_length, &shorter, &shortest, &cause) != 0) {
		say(d, DOCTOR_FAIL, "codes", "%s", cause);
		free(cause);
		return;
	}
	doctor_codes(shorter, shortest, !hub_only && cf->scanner_suffix == CONF_SUFFIX_NONE,
	    scanner, &v);
	if (v.advice == DOCTOR_CODES_FINE) {
		if (shortest > 0)
			say(d, DOCTOR_OK, "codes", "every code has at least %d characters, as a scan "
			    "needs ([scanner] min_length = %d)", cf->scanner_min_length,
			    cf->scanner_min_length);
		return;
	}
	char want[16];
	snprintf(want, sizeof want, "%d", v.min_length);
	char *where = cf->scanner_min_length_line > 0 ? xasprintf("%s:%d", conf_file(cf),
	    cf->scanner_min_length_line) : xstrdup("the default");
	char *set = scanner_key_at(cf, "min_length", cf->scanner_min_length_line, want);
	char *suffix = scanner_key_at(cf, "suffix", cf->scanner_suffix_line, "return");
	char *what = xasprintf("%" PRId64 " code%s shorter than [scanner] min_length = %d (%s; "
	    "the shortest code has %d character%s): a scanner's keys for %s are taken for a person "
	    "typing, so %s not checked in by a scan", shorter, shorter == 1 ? " is" : "s are",
	    cf->scanner_min_length, where, shortest, shortest == 1 ? "" : "s",
	    shorter == 1 ? "it" : "them", shorter == 1 ? "that guest is" :
	    "those guests are");
	if (v.advice == DOCTOR_CODES_SUFFIX)
		say(d, v.level, "codes", "%s; and with no Enter after a code, a code this short "
		    "cannot be told from typing: set the scanner to end each code with Enter, then "
		    "set %s and %s", what, suffix, set);
	else if (hub_only)
		say(d, v.level, "codes", "%s; set [scanner] min_length = %d in the kiosk.conf of "
		    "every door that syncs with this hub (this computer is the hub only)", what,
		    v.min_length);
	else
		say(d, v.level, "codes", "%s; set %s%s", what, set, scanner ? "" :
		    " (this door reads with its camera, which any length suits; a scanner "
		    "plugged in needs it)");
	free(what);
	free(where);
	free(set);
	free(suffix);
}

static void
check_devices(struct doctor *d, const struct conf *cf, struct store *s)
{
	if (cf->admin_pin_hash[0] == '\0')
		say(d, DOCTOR_WARN, "admin PIN", "none set: anyone at the door can open the "
		    "admin menu and quit; set one with 'kiosk pin'");
	else
		say(d, DOCTOR_OK, "admin PIN", "set");

	if (cf->camera_device[0] != '\0') {
		int fd = open(cf->camera_device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			say(d, DOCTOR_FAIL, "camera", "%s: %s (scan with a USB scanner instead, "
			    "or fix [camera] device)", cf->camera_device, strerror(errno));
		else
			say(d, DOCTOR_OK, "camera", "%s opens", cf->camera_device);
		if (fd >= 0)
			close(fd);
	}

	bool scanner = check_scanner(d, cf);
	if (s != NULL)
		check_codes(d, cf, s, scanner);

	if (cf->print_walkins || cf->print_checkins) {
		char *state = NULL, *cause = NULL;
		int r = print_check(cf->badge_printer, &state, &cause);
		if (r < 0)
			say(d, DOCTOR_FAIL, "printer", "%s", cause);
		else
			say(d, r == 0 ? DOCTOR_OK : DOCTOR_FAIL, "printer", "%s", state);
		free(state);
		free(cause);
	}
}

/* A door that serves as the hub: the address the other doors join it by,
 * which 0.0.0.0 (every interface, the default) is not. */
static void
check_serving(struct doctor *d, const struct conf *cf)
{
	/* The door's hub would not start (hub_start refuses it): say so. */
	if ((cf->hub_tls_cert[0] != '\0') != (cf->hub_tls_key[0] != '\0')) {
		say(d, DOCTOR_FAIL, "sync", "serves as the hub ([hub] serve), but [hub] %s is set "
		    "and %s is not, so it does not start: set both for https, or neither for "
		    "plain http", cf->hub_tls_cert[0] ? "tls_cert" : "tls_key",
		    cf->hub_tls_cert[0] ? "tls_key" : "tls_cert");
		return;
	}
	/* Nor with a certificate or key gone, unreadable, or not in PEM form:
	 * the organiser who set https would find the doors offline at the
	 * event, where this said ok. */
	char *why = NULL;
	if (cf->hub_tls_cert[0] != '\0' && hub_tls_check(cf->hub_tls_cert, cf->hub_tls_key,
	    &why) != 0) {
		say(d, DOCTOR_FAIL, "sync", "serves as the hub ([hub] serve), but it does not start: "
		    "%s ([hub] tls_cert, tls_key)", why ? why : "cannot read its certificate");
		free(why);
		return;
	}
	const char *listen = hub_listen_text(cf->hub_listen);
	int port = hub_listen_port(listen);
	if (port < 0) {
		say(d, DOCTOR_FAIL, "sync", "serves as the hub ([hub] serve), but [hub] listen = %s "
		    "is no address to listen on: write ADDR:PORT, such as 0.0.0.0:8080",
		    listen);
		return;
	}
	if (port == 0) {
		say(d, DOCTOR_WARN, "sync", "serves as the hub on %s ([hub] serve): port 0 is "
		    "another port at every start, and no door can find it: set one, such as "
		    "0.0.0.0:8080", listen);
		return;
	}
	char *urls = hub_join_urls(cf->hub_listen, port, cf->hub_tls_cert[0] != '\0');
	if (urls == NULL || urls[0] == '\0') {
		say(d, DOCTOR_WARN, "sync", "serves as the hub on %s ([hub] serve), but no other "
		    "computer can reach it there (this computer only, or no network yet)",
		    listen);
	} else {
		struct buf b; /* "http://A:8080 or http://B:8080" */
		buf_init(&b, 0);
		for (char *line = urls, *end; (end = strchr(line, '\n')) != NULL; line = end + 1)
			buf_addf(&b, "%s%.*s", b.len ? " or " : "", (int)(end - line), line);
		/* Plain http to other computers is a warning, not a note on an ok:
		 * whoever shares the network reads a door's token there (and with
		 * it changes the guest list and reads it all), the live page's
		 * password and the guests' names. Whether the network is the
		 * doors' own, doctor cannot tell; the organiser can. */
		say(d, cf->hub_tls_cert[0] ? DOCTOR_OK : DOCTOR_WARN, "sync", "serves as the "
		    "hub on %s ([hub] serve): the other doors join %s%s", listen, buf_cstr(&b),
		    cf->hub_tls_cert[0] ? "" : "; plain http: the doors' tokens, the live page's "
		    "password and the guest list are readable by anyone on that network, which "
		    "is fine only on one of the doors' own: on a Wi-Fi the attendees share, set "
		    "[hub] tls_cert and tls_key");
		buf_free(&b);
	}
	free(urls);
}

/* The kiosks a hub's database has tokens for, for a hub served by `kiosk
 * hub` (kiosk.conf knows nothing of it). */
#define SEEN_LISTED 6 /* kiosks named with when they were last heard from */

struct hub_doors {
	int active, revoked, seen;
	int64_t now;
	struct buf seen_list;    /* "Door 1 (2 min ago), ..." */
};

static int
count_door(const struct device_info *di, void *arg)
{
	struct hub_doors *h = arg;
	if (di->revoked_at != 0) {
		h->revoked++;
		return 0;
	}
	h->active++;
	if (di->last_seen_at == 0)
		return 0;
	if (h->seen++ == SEEN_LISTED) {
		buf_addf(&h->seen_list, " and more (kiosk hub token list)");
		return 0;
	}
	if (h->seen > SEEN_LISTED)
		return 0;
	char ago[DOCTOR_SPAN_BUF];
	int64_t span = h->now - di->last_seen_at;
	doctor_span(span, ago);
	/* a time ahead of this clock (a clock set back): not "ago" */
	buf_addf(&h->seen_list, "%s%s %s", h->seen > 1 ? ", " : "", di->name, span < 0 ?
	    "just now" : ago[0] == '+' ? ago + 1 : ago);
	if (span >= 0)
		buf_addf(&h->seen_list, " ago");
	return 0;
}

/* The kiosks this database has tokens for (the hub's database, served by
 * `kiosk hub` or by this door: serving), else "standalone". */
static void
check_hub_tokens(struct doctor *d, struct store *s, bool serving)
{
	struct hub_doors h = { .now = s != NULL ? store_now(s) : 0 };
	buf_init(&h.seen_list, 0);
	if (s != NULL && device_each(s, count_door, &h, NULL) > 0) {
		/* A door that serves is the hub already: naming kiosk hub there would
		 * start a second one on its port. */
		say(d, DOCTOR_OK, "sync", "the hub's database: tokens for %d kiosk%s (%d revoked); "
		    "%s%s. %s%s%s", h.active, h.active == 1 ? "" : "s", h.revoked,
		    h.seen ? "last heard from " : "none has synced yet",
		    h.seen ? buf_cstr(&h.seen_list) : "",
		    serving ? "This door serves it ([hub] serve)" : "kiosk hub --db ",
		    serving ? "" : store_path(s),
		    serving ? "" : " serves it, and says the address the doors join");
	} else if (serving) {
		say(d, DOCTOR_WARN, "sync", "no kiosk has a token for this hub yet: make one with "
		    "kiosk hub token add NAME --db %s", s != NULL ? store_path(s) : "EVENT.db");
	} else {
		say(d, DOCTOR_OK, "sync", "standalone (no [sync] hub): this kiosk keeps its own "
		    "list");
	}
	buf_free(&h.seen_list);
}

static void
check_hub(struct doctor *d, const struct conf *cf, struct store *s)
{
	if (cf->hub_url[0] == '\0') {
		if (cf->hub_serve)
			check_serving(d, cf);
		check_hub_tokens(d, s, cf->hub_serve);
		return;
	}
	/* A hub keeps what its doors push as already sent (the doors sent it), so
	 * a hub that is also another hub's door never passes their check-ins on:
	 * typically the door made the hub after the hub's laptop died, with the
	 * dead hub still in its [sync] hub, and "offline" on its screen for good. */
	if (cf->hub_serve)
		say(d, DOCTOR_FAIL, "sync", "serves as the hub ([hub] serve) and also syncs with "
		    "%s ([sync] hub), which never gets its doors' check-ins: on the hub, "
		    "empty [sync] hub and token", cf->hub_url);
	if (cf->hub_token[0] == '\0') {
		say(d, DOCTOR_FAIL, "hub", "[sync] hub is %s but [sync] token is empty, so the hub "
		    "refuses this kiosk: set it up with 'kiosk join URL' (it asks for a token, "
		    "made with 'kiosk hub token add NAME' on the hub)", cf->hub_url);
		return;
	}
	struct client_options o = { .url = cf->hub_url, .token = cf->hub_token,
	    .cafile = cf->sync_cafile, .connect_ms = 3000, .timeout_ms = 10000 };
	struct client_report r;
	json_t *ev = NULL;
	char *device = NULL, *cause = NULL;
	enum client_status st = client_hello(&o, &ev, &device, &r, &cause);
	/* An empty reply to http:// is what a hub with a certificate gives,
	 * and once what a hub stopping gives: asked again a moment later, a
	 * stopped hub's port refuses, a hub that wants https is empty again. */
	if (st == CLIENT_UNREACHABLE && r.unreached == MERGE_UNREACHED_WANTS_HTTPS) {
		free(cause);
		cause = NULL;
		struct timespec pause = { 0, 500 * 1000000L };
		nanosleep(&pause, NULL);
		st = client_hello(&o, &ev, &device, &r, &cause);
	}
	if (st != CLIENT_OK) {
		/* A certificate problem is no network down: it never mends; nor
		 * does a Wi-Fi that wants a login, until someone logs in, nor a
		 * hub whose computer sends the doors to another address, nor an
		 * address whose scheme the hub does not speak. */
		bool offline = st == CLIENT_UNREACHABLE && !r.untrusted && !r.portal && !r.moved &&
		    r.unreached != MERGE_UNREACHED_WANTS_HTTP &&
		    r.unreached != MERGE_UNREACHED_WANTS_HTTPS;
		say(d, offline ? DOCTOR_WARN : DOCTOR_FAIL, "hub", "%s%s", cause, offline ?
		    " (the door works offline; it syncs when the hub is back)" : "");
	} else {
		const char *uuid = json_string_value(json_object_get(ev, "uuid"));
		const char *name = json_string_value(json_object_get(ev, "name"));
		if (s != NULL && uuid != NULL && strcmp(uuid, store_event(s)->uuid) != 0)
			say(d, DOCTOR_FAIL, "hub", "%s serves \"%s\", not this database's event: "
			    "join it again with 'kiosk join'", cf->hub_url, name);
		else
			say(d, DOCTOR_OK, "hub", "%s answers; token valid for \"%s\"", cf->hub_url,
			    device);
		if (r.hub_clock_lost)
			say(d, DOCTOR_FAIL, "clock", "the hub's clock is not set (a dead clock "
			    "battery?): set the date and time on the hub's computer (timedatectl "
			    "set-time 'YYYY-MM-DD HH:MM'); the doors keep their own clocks meanwhile");
		if (r.clock_valid) {
			char span[DOCTOR_SPAN_BUF];
			doctor_span(r.clock_offset == INT64_MIN ? INT64_MAX : -r.clock_offset, span);
			say(d, doctor_clock(r.clock_offset), "clock", "this computer is %s off the "
			    "hub's%s", span, doctor_clock(r.clock_offset) == DOCTOR_OK ? "" :
			    " (check-ins are recorded on the hub's clock, but fix the time: "
			    "timedatectl)");
			/* What it records goes by the hub's clock as learnt at the last
			 * sync; the computer's clock changed while it was off since
			 * (set right at boot) is learnt again only at the next. */
			int64_t ahead = s != NULL ? store_now_fresh(s) - util_now_ms() -
			    r.clock_offset : 0;
			if (doctor_clock(ahead) != DOCTOR_OK) {
				doctor_span(ahead, span);
				say(d, DOCTOR_WARN, "clock", "this kiosk records check-ins %s off the "
				    "hub's clock until it syncs (this computer's clock was changed "
				    "since the last sync): run 'kiosk sync' (a door app syncs "
				    "within seconds)", span);
			}
		}
	}
	if (s != NULL) {
		int64_t waiting = 0, oldest = 0, age = 0;
		char span[DOCTOR_SPAN_BUF] = "";
		if (repl_oldest_waiting(s, &oldest, NULL) == 1) {
			int64_t now = store_now_fresh(s);
			age = now > oldest ? now - oldest : 0;
			doctor_span(age, span);
		}
		if (repl_waiting(s, &waiting, NULL) == 0) {
			enum doctor_level lv = doctor_waiting(waiting, age,
			    (int64_t)cf->sync_seconds * 1000);
			say(d, lv, "waiting", "%lld record%s not yet on the hub%s%s%s",
			    (long long)waiting, waiting == 1 ? "" : "s",
			    span[0] ? ", the oldest from " : "",
			    span + (span[0] == '+' || span[0] == '-'), /* an age: no sign */
			    span[0] ? " ago" : "");
			if (lv != DOCTOR_OK)
				say(d, lv, "waiting", "the hub has not taken them for a while: is the "
				    "network up? 'kiosk sync' says what it answers");
		}
		/* Not a fault: said so that "everything sent again" is expected. */
		char *was = NULL;
		if (repl_hub(s, &was, NULL) == 1 && !util_url_same(was, cf->hub_url)) {
			char *shown = util_url_redact(was);
			say(d, DOCTOR_OK, "sync", "this kiosk last synced with %s: its next round "
			    "starts over with %s, sending it everything it holds", strcmp(was,
			    REPL_HUB_SERVED) == 0 ? "none (it served as the hub)" : shown, cf->hub_url);
			free(shown);
		}
		free(was);
	}
	json_decref(ev);
	free(device);
	free(cause);
}

static int
cmd_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quick", no_argument, NULL, OPT_SKIP_INTEGRITY },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_doctor_entry };
	struct doctor d = { 0 };
	struct conf_errors errs;
	bool integrity = true;
	char *cause = NULL;
	int opt;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1) {
		if (cli_common_opt(&c, opt))
			continue;
		if (opt == OPT_JSON)
			d.json = true;
		else if (opt == OPT_SKIP_INTEGRITY)
			integrity = false;
	}
	if (optind != argc) {
		cli_error(&c, "unexpected argument '%s'", argv[optind]);
		return CLI_ERROR;
	}
	d.checks = json_array();
	if (cli_load_all(&c, &errs) != 0) {
		/* what is wrong, with the file and line: also in --json's; every
		 * error, so that all are mended before doctor runs again */
		for (size_t i = 0; i < errs.n; i++)
			say(&d, DOCTOR_FAIL, "config", "%s", errs.msg[i]);
		if (errs.total > errs.n)
			say(&d, DOCTOR_FAIL, "config", "and %zu more errors", errs.total - errs.n);
		conf_errors_free(&errs);
	} else {
		say(&d, DOCTOR_OK, "config", "%s", c.conf->path ? c.conf->path :
		    "no kiosk.conf here: built-in defaults");
		if (c.conf->path != NULL)
			check_mode(&d, "config", c.conf->path, c.conf->hub_token[0] != '\0' ||
			    c.conf->mail_password[0] != '\0' || c.conf->admin_pin_hash[0] != '\0');
		struct store *s = check_database(&d, &c, integrity);
		if (s != NULL && ktime_set_zone(store_event(s)->tz, &cause) != 0) {
			say(&d, DOCTOR_FAIL, "time zone", "%s", cause);
			free(cause);
		}
		if (s != NULL && ktime_set_zone(store_event(s)->tz, NULL) == 0)
			check_gates(&d, &c, s);
		if (s != NULL)
			check_names(&d, c.conf, s);
		check_files(&d);
		check_devices(&d, c.conf, s);
		check_hub(&d, c.conf, s);
		if (s != NULL)
			store_close(s);
	}
	if (d.json) {
		json_t *j = json_pack("{s:b, s:i, s:i, s:o}", "ok", d.fails == 0, "problems",
		    d.fails, "warnings", d.warns, "checks", d.checks);
		json_dumpf(j, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(j);
	} else {
		json_decref(d.checks);
		printf("\n%s\n", d.fails ? "Not ready: fix what says FAIL before the doors open." :
		    d.warns ? "Ready, with warnings worth a look." : "Ready.");
	}
	cli_done(&c);
	return d.fails ? CLI_ERROR : CLI_OK;
}

const struct cmd_entry cmd_doctor_entry = {
	"doctor", "[--json] [--quick]",
	"Check this kiosk before the doors open and say what is wrong.",
	"Checks kiosk.conf, the event database (opens, intact, guests, file mode),\n"
	"free disk space, the check-in hours ([checkin] open_from and open_until),\n"
	"ticket types and columns kiosk.conf names that the guest list lacks,\n"
	"fonts and translations, the admin PIN, whether a USB or Bluetooth keyboard\n"
	"(a barcode scanner is one) is plugged in, codes shorter than [scanner]\n"
	"min_length (taken for typing when scanned), the camera and badge printer when\n"
	"configured, and the hub: reachable, token valid, same event, clock offset,\n"
	"records waiting. Changes nothing. Exit status 0 when nothing says FAIL.\n\n"
	"options:\n"
	"  --json             print the checks as JSON\n"
	"  --quick            skip the database integrity check (seconds on a big list)\n",
	cmd_doctor,
};
