/* conf: kiosk.conf, read with inih, described by one table (see conf.h).
 *
 * Rules:
 *  - Every key is one row of conf_keys[]: section, key, type, where it goes
 *    in struct conf, its default as text and its help. Defaults go through
 *    the same value parsers as the file, conf_write_default() prints the
 *    table, and conf_free() frees what the table says is owned.
 *  - inih reads lines through conf_read_line(), which counts them, so that
 *    every message carries the line it is about even though the handler gets
 *    no line number (Debian builds inih with INI_HANDLER_LINENO=0). The
 *    reader also drops leading white space, so an indented line is never
 *    taken for the continuation of the previous value, and checks [section]
 *    lines, which inih does not hand to the handler.
 *  - An error does not stop the parse: every one is collected, naming the
 *    file and line, so that a file with three typos is mended in one go
 *    (kiosk config --check lists them; conf_load says the first and how
 *    many more). A key whose value is refused keeps its default, and the
 *    keys under a section that is refused are skipped, not each reported.
 *    Checks that involve two keys run after the whole file, and only on
 *    keys whose own values were taken. */
#include "core/conf.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/code.h"
#include "core/ktime.h"
#include "core/secret.h"
#include "core/util.h"

#define CONF_MAX_BYTES   (1024 * 1024)  /* a kiosk.conf is a few KiB */
#define CONF_SHOW_MAX    60             /* bytes of a bad line looked at */
#define CONF_KEY_SHOWN   32             /* the longest first word quoted back as a key */

enum conf_type {
	CONF_T_STRING,
	CONF_T_PATH,      /* relative to the file's folder */
	CONF_T_BOOL,
	CONF_T_INT,       /* min..max */
	CONF_T_WORD,      /* one of words, stored as the word (char *) */
	CONF_T_CHOICE,    /* one of words, stored as its index (an enum) */
	CONF_T_LIST,      /* comma-separated, trimmed, empty items dropped */
	CONF_T_LOCALTIME, /* "YYYY-MM-DD HH:MM", "HH:MM" (every day) or "" */
	CONF_T_TZ,        /* IANA name present in the zoneinfo folder */
	CONF_T_TAG,       /* event tag (code.h) or "" */
	CONF_T_NAME,      /* a kiosk's name (util_name_check) or "" */
	CONF_T_URL,       /* SCHEME://HOST[:PORT][/...] with a scheme of words, or "" */
	CONF_T_LISTEN,    /* a hub's listen address (util_parse_listen) */
};

struct conf_key {
	const char *section;
	const char *key;
	enum conf_type type;
	size_t off;                /* offsetof(struct conf, field) */
	size_t count_off;          /* lists: offsetof the count field */
	int min, max;              /* ints */
	const char *const *words;  /* words and choices: NULL-terminated */
	const char *def;           /* default, as it is written in the file */
	const char *help;          /* lines for the comment above the key */
};

static const char *const language_words[] = { "en", "nl", "fr", "de", NULL };
static const char *const mode_words[] = { "entry", "exit", NULL };
static const char *const suffix_words[] = { "return", "tab", "none", NULL };
/* The layouts of badge.c (core does not look up at badge/; test_badge
 * checks that each of them loads here). */
static const char *const layout_words[] = { "a4-2x4", "a4-2x5", "card", "roll-62", NULL };
static const char *const hub_schemes[] = { "http", "https", NULL };
static const char *const smtp_schemes[] = { "smtps", "smtp", NULL };
_Static_assert(CONF_SUFFIX_RETURN == 0 && CONF_SUFFIX_TAB == 1 && CONF_SUFFIX_NONE == 2,
    "suffix_words order");

_Static_assert(CONF_MODE_ENTRY == 0 && CONF_MODE_EXIT == 1, "mode_words order");
_Static_assert(sizeof(enum conf_mode) == sizeof(int), "choices are stored as int");

#define F(field) offsetof(struct conf, field)
#define STR(sec, key, field, def, help) \
	{ sec, key, CONF_T_STRING, F(field), 0, 0, 0, NULL, def, help }
#define INT(sec, key, field, lo, hi, def, help) \
	{ sec, key, CONF_T_INT, F(field), 0, lo, hi, NULL, def, help }
#define BOOL(sec, key, field, def, help) \
	{ sec, key, CONF_T_BOOL, F(field), 0, 0, 0, NULL, def, help }
#define LIST(sec, key, field, count, help) \
	{ sec, key, CONF_T_LIST, F(field), F(count), 0, 0, NULL, "", help }
#define TYPED(sec, key, type, field, words, def, help) \
	{ sec, key, type, F(field), 0, 0, 0, words, def, help }

/* The order here is the order of conf_write_default() and of the section
 * list in messages. Help lines are for the organiser editing the file. */
static const struct conf_key conf_keys[] = {
	TYPED("event", "database", CONF_T_PATH, db_path, NULL, "kiosk.db",
	    "The event's database file: guest list, check-ins and scans.\n"
	    "A relative path is relative to the folder of this file."),
	STR("event", "name", event_name, "Untitled event",
	    "The event's name, shown on screens and badges. It is used when the\n"
	    "database is created."),
	TYPED("event", "timezone", CONF_T_TZ, event_tz, NULL, "Europe/Brussels",
	    "Time zone of the venue, as an IANA name: Europe/Brussels,\n"
	    "Europe/London, America/New_York. It is used when the database is\n"
	    "created; from then on the event's own zone is used for the times\n"
	    "on the screens and in exports, and for open_from and open_until\n"
	    "below (kiosk doctor warns when this one differs)."),
	TYPED("event", "tag", CONF_T_TAG, event_tag, NULL, "",
	    "Short tag at the start of the ticket codes kiosk makes (SMD26-...):\n"
	    "2 to 8 letters A-Z or digits. A code with another tag is recognised\n"
	    "as a ticket for another event. Keep it unchanged once tickets are\n"
	    "sent. Empty: derived from the name (\"Social Media Day Antwerp\n"
	    "2026\" gives SMDA26)."),
	STR("event", "date", event_date, "",
	    "When the event is, as the ticket e-mails say it, e.g.\n"
	    "  date = Thursday 21 May 2026, 9:00 to 17:00\n"
	    "It is written as is in every language. Empty: `kiosk mail` refuses\n"
	    "a template that asks for {date}."),
	STR("event", "place", event_place, "",
	    "Where the event is, as the ticket e-mails say it, e.g.\n"
	    "  place = De Singel, Desguinlei 25, 2018 Antwerp\n"
	    "Empty: `kiosk mail` refuses a template that asks for {place}."),

	TYPED("kiosk", "name", CONF_T_NAME, kiosk_name, NULL, "",
	    "This kiosk's name, shown to door staff and in the check-in history\n"
	    "(\"already checked in 19:02 at Door 2\"). Give each kiosk its own.\n"
	    "One line, at most 63 bytes. Empty: the computer's host name."),
	TYPED("kiosk", "language", CONF_T_WORD, language, language_words, "en",
	    "Language of the kiosk screens: English, Dutch, French or German.\n"
	    "A guest may pick another on the idle screen; the kiosk comes back\n"
	    "to this one after their answer, or a minute untouched."),
	STR("kiosk", "admin_pin_hash", admin_pin_hash, "",
	    "Hash of the PIN that opens the admin menu on the kiosk. Written by\n"
	    "`kiosk pin`; never put the PIN itself here. Empty: no PIN set."),
	BOOL("kiosk", "staff_pin", staff_pin, "no",
	    "Ask for the admin PIN before name search, the walk-in form and Undo\n"
	    "too, for a door guests use themselves or whose screen faces the\n"
	    "queue: else a guest can look other guests up, register and admit\n"
	    "themselves, or undo another's admission. Once given, the PIN opens\n"
	    "them while staff use them, until a minute untouched or the door is\n"
	    "back on its idle screen. A code typed by hand with Enter is checked\n"
	    "in; a name typed opens nothing. Needs admin_pin_hash (kiosk pin)."),
	TYPED("kiosk", "mode", CONF_T_CHOICE, mode, mode_words, "entry",
	    "entry: a scan lets the guest in. exit: a scan records the guest\n"
	    "leaving, so that they can come back in; needs reentry = yes in\n"
	    "[checkin]."),
	INT("kiosk", "result_seconds", result_seconds, 1, 60, "4",
	    "How long a result (green, amber or red) stays on screen, in seconds."),
	BOOL("kiosk", "sound", sound, "yes",
	    "Play a sound with each result."),
	BOOL("kiosk", "fullscreen", fullscreen, "yes",
	    "Fill the whole screen. Say no to try the kiosk out in a window."),
	LIST("kiosk", "show_fields", show_fields, n_show_fields,
	    "Extra columns of the imported guest list to show on the admitted\n"
	    "screen, comma-separated, named as in the import, e.g.\n"
	    "  show_fields = T-shirt size, Dietary needs\n"
	    "Empty: none."),

	BOOL("checkin", "reentry", reentry, "no",
	    "Let a guest who was scanned out at an exit kiosk back in. With no,\n"
	    "a ticket gets in once; a second scan shows \"already checked in\"."),
	BOOL("checkin", "each_day", each_day, "no",
	    "For an event of several days: a ticket gets in once each day (the\n"
	    "calendar day in the event's time zone), and a second scan that day\n"
	    "shows \"already checked in\" with the time of the first. Earlier\n"
	    "days' admissions stay in the attendance. With reentry = yes, an\n"
	    "exit scan lets the guest back in the same day. Set on the hub, it\n"
	    "holds for every door at its next sync; a kiosk alone needs its own."),
	LIST("checkin", "admit_types", admit_types, n_admit_types,
	    "Ticket types this kiosk admits, comma-separated, named as in the\n"
	    "import, e.g. for a speakers' entrance:\n"
	    "  admit_types = Speaker, VIP\n"
	    "Other tickets are refused here, also a guest imported without a\n"
	    "type; a walk-in this kiosk registered without one (the door's form\n"
	    "asks for none) is let in. Empty: all types."),
	TYPED("checkin", "open_from", CONF_T_LOCALTIME, open_from, NULL, "",
	    "Check-in opens at this time, in the event's time zone, written\n"
	    "YYYY-MM-DD HH:MM, e.g. 2026-05-21 08:30, or HH:MM alone for every\n"
	    "day of an event of days (08:30). Empty: no opening time.\n"
	    "On the night the clocks change, a time shown twice means its first\n"
	    "showing, and one skipped the moment the clock jumps past it."),
	TYPED("checkin", "open_until", CONF_T_LOCALTIME, open_until, NULL, "",
	    "Check-in closes at this time, written the same way; it must be after\n"
	    "open_from (HH:MM: the same day's). Empty: no closing time."),
	LIST("checkin", "ticket_days", ticket_days, n_ticket_days,
	    "Ticket types valid on some days only (a day ticket), each as\n"
	    "TYPE: YYYY-MM-DD, comma-separated; a type valid on two days is\n"
	    "named twice, e.g.\n"
	    "  ticket_days = Day 1: 2026-06-30, Day 2: 2026-07-01\n"
	    "Such a ticket is refused on another day (in the event's time zone)\n"
	    "with \"This ticket is for another day\" and the day it is for.\n"
	    "Types not named (a combi ticket, speakers) get in every day. Give\n"
	    "every door the same list. Empty: every ticket, every day."),

	TYPED("sync", "hub", CONF_T_URL, hub_url, hub_schemes, "",
	    "Address of the hub that keeps all kiosks of the event in step (the\n"
	    "computer running `kiosk hub`), e.g. http://192.168.1.10:8080.\n"
	    "Written by `kiosk join`. Empty: this kiosk works alone."),
	STR("sync", "token", hub_token, "",
	    "This kiosk's token for the hub, written by `kiosk join`. Keep it\n"
	    "secret: whoever has it can sync with the hub as this kiosk."),
	TYPED("sync", "cafile", CONF_T_PATH, sync_cafile, NULL, "",
	    "For a hub on https:// with a certificate of its own making: the\n"
	    "certificate (PEM) to trust. Empty: the system's authorities."),
	INT("sync", "every_seconds", sync_seconds, 1, 3600, "5",
	    "Seconds between two sync rounds with the hub. A check-in also\n"
	    "starts one at once."),

	BOOL("hub", "serve", hub_serve, "no",
	    "Also serve as the hub for the other kiosks of the event (for a\n"
	    "venue with a local network and no extra computer). Give each other\n"
	    "kiosk a token with `kiosk hub token add NAME`."),
	TYPED("hub", "listen", CONF_T_LISTEN, hub_listen, NULL, "0.0.0.0:8080",
	    "Address and port the hub listens on."),
	LIST("hub", "names", hub_names, n_hub_names,
	    "Names, besides its address, that browsers open the live page by,\n"
	    "comma-separated, e.g. a name the venue's network gives this computer:\n"
	    "  names = checkin.venue.lan\n"
	    "The page answers to its IP address, localhost and this computer's own\n"
	    "name (also under .local) in any case and, over plain http, to no\n"
	    "other name: a page on another site pointed at the hub (DNS rebinding)\n"
	    "gets a 421 and nothing else. Doors sync by any name."),
	TYPED("hub", "tls_cert", CONF_T_PATH, hub_tls_cert, NULL, "",
	    "Certificate (PEM) for https://. Empty: plain http (fine on a venue\n"
	    "network you trust; tokens and names travel unencrypted)."),
	TYPED("hub", "tls_key", CONF_T_PATH, hub_tls_key, NULL, "",
	    "Private key (PEM) of that certificate."),

	INT("scanner", "max_gap_ms", scanner_gap_ms, 1, 1000, "30",
	    "A USB barcode scanner types like a very fast keyboard. Keys at most\n"
	    "this many milliseconds apart belong to one scan; slower keys are a\n"
	    "person typing."),
	INT("scanner", "min_length", scanner_min_length, 1, CODE_MAX_LEN, "6",
	    "Fewest characters a burst of keys needs to count as a scan. A code\n"
	    "shorter than this is taken for typing when scanned: no more than the\n"
	    "list's shortest code (kiosk doctor says when it is more)."),
	TYPED("scanner", "suffix", CONF_T_CHOICE, scanner_suffix, suffix_words, "return",
	    "What the scanner sends after each code: return (Enter, what most\n"
	    "scanners do out of the box), tab, or none (the scan ends when its\n"
	    "keys stop; a code cut short then reads as an unknown code rather\n"
	    "than 'scan again')."),

	STR("camera", "device", camera_device, "",
	    "Camera that reads QR codes, e.g. /dev/video0. Empty: no camera\n"
	    "(scan with a USB scanner or search by name)."),
	INT("camera", "width", camera_width, 16, 7680, "640",
	    "Camera picture width in pixels. 640 x 480 reads QR codes quickly."),
	INT("camera", "height", camera_height, 16, 4320, "480",
	    "Camera picture height in pixels."),

	TYPED("badge", "layout", CONF_T_WORD, badge_layout, layout_words, "a4-2x4",
	    "Badge layout: the sheet or card badges are printed on. a4-2x4 is\n"
	    "eight badges on an A4 sheet, 2 across and 4 down; a4-2x5 ten\n"
	    "smaller ones; card a credit-card badge; roll-62 a 62 mm label roll\n"
	    "(`kiosk badges --list-layouts` gives the sizes)."),
	STR("badge", "printer", badge_printer, "",
	    "CUPS printer for badges printed at the door. Empty: the default\n"
	    "printer."),
	BOOL("badge", "print_walkins", print_walkins, "no",
	    "Print a badge when door staff register a walk-in."),
	BOOL("badge", "print_checkins", print_checkins, "no",
	    "Print a badge for every guest who checks in, at their first\n"
	    "admission (not again at a re-entry, or on a later day)."),

	TYPED("mail", "smtp", CONF_T_URL, mail_smtp, smtp_schemes, "",
	    "The mail server that sends the ticket e-mails (`kiosk mail`):\n"
	    "smtps://HOST:465 (TLS from the start) or smtp://HOST:587 (STARTTLS,\n"
	    "which is then required). Without TLS kiosk only talks to this\n"
	    "computer (smtp://localhost:25, a local relay). The user name and\n"
	    "password go in the keys below, never in this address."),
	STR("mail", "username", mail_username, "",
	    "User name on that mail server. Empty: send without logging in."),
	STR("mail", "password", mail_password, "",
	    "Password for that user name. Keep this file readable by you alone\n"
	    "(chmod 600 kiosk.conf): `kiosk mail` warns when others can read it.\n"
	    "It is never given on the command line and never printed. A space\n"
	    "then ; in it starts a comment here: choose one without."),
	TYPED("mail", "cafile", CONF_T_PATH, mail_cafile, NULL, "",
	    "For a mail server with a certificate of its own making: the\n"
	    "certificate (PEM) to trust. Empty: the system's authorities."),
	STR("mail", "from", mail_from, "",
	    "Sender of the ticket e-mails, e.g.\n"
	    "  from = Social Media Day <tickets@example.org>\n"
	    "Replies go there too."),
	TYPED("mail", "language", CONF_T_WORD, mail_language, language_words, "en",
	    "Language of the ticket e-mail for guests whose import gave none\n"
	    "(a Language, Taal, Langue or Sprache column sets it per guest).\n"
	    "Not [kiosk] language: that is what one door's screen shows."),
	TYPED("mail", "templates", CONF_T_PATH, mail_templates, NULL, "",
	    "Folder with your own mail-en.txt, mail-nl.txt, mail-fr.txt and\n"
	    "mail-de.txt (a Subject: line, a blank line, then the text with\n"
	    "{first_name}, {event}, {date}, {place}, {code}...). A language\n"
	    "missing there uses the shipped one; a folder that is not there, or\n"
	    "holds none of them, stops kiosk mail. Empty: the shipped templates."),
	INT("mail", "per_minute", mail_per_minute, 0, 100000, "60",
	    "Ticket e-mails sent a minute at most, for mail servers that limit\n"
	    "their users (`kiosk mail --rate` overrides it). 0: no limit."),
};

#undef F
#undef STR
#undef INT
#undef BOOL
#undef LIST
#undef TYPED

#define CONF_NKEYS (sizeof conf_keys / sizeof conf_keys[0])

/* One load in progress. */
struct conf_parse {
	const char *name;        /* the file, in messages */
	const char *pos;         /* next line of the text */
	const char *cur;         /* the line inih is on, as written */
	size_t cur_len;
	int line;                /* lines handed to inih so far */
	struct conf *c;
	int set_line[CONF_NKEYS]; /* line that set each key; 0: default */
	bool bad[CONF_NKEYS];    /* the key's value was refused (it kept its default) */
	bool skip_section;       /* the last [section] line was refused: skip its keys */
	const char *section_as;  /* or it was a known one in capitals: its keys are
	                          * checked as this one's (static); NULL */
	int err_lines[CONF_ERRORS_MAX]; /* the line of each error kept */
	char *errs[CONF_ERRORS_MAX];    /* its message, without "name:line: " */
	size_t n_err;            /* errors kept */
	size_t total_err;        /* errors found, kept or not */
};

/* --- the table ------------------------------------------------------------- */

static bool
section_known(const char *s)
{
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].section, s) == 0)
			return true;
	return false;
}

/* The section s is with its capitals gone ("Kiosk": "kiosk"), or NULL. */
static const char *
section_nocase(const char *s)
{
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (strcasecmp(conf_keys[i].section, s) == 0)
			return conf_keys[i].section;
	return NULL;
}

/* True when conf_keys[i] is the first key of its section. */
static bool
section_starts(size_t i)
{
	return i == 0 || strcmp(conf_keys[i - 1].section, conf_keys[i].section) != 0;
}

/* "event, kiosk, checkin, ..." */
static void
sections_list(struct buf *b)
{
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (section_starts(i))
			buf_addf(b, "%s%s", i ? ", " : "", conf_keys[i].section);
}

/* "hub, token, cafile, every_seconds" */
static void
keys_list(struct buf *b, const char *section)
{
	int n = 0;
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].section, section) == 0)
			buf_addf(b, "%s%s", n++ ? ", " : "", conf_keys[i].key);
}

static const struct conf_key *
key_find(const char *section, const char *key)
{
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].section, section) == 0 &&
		    strcmp(conf_keys[i].key, key) == 0)
			return &conf_keys[i];
	return NULL;
}

/* Append where a misplaced key belongs ("; it belongs in [event] or
 * [kiosk]"), or else what the section (or the file, for "") can hold. */
/* Edits between a and b (insert, delete, change, or swap two letters side
 * by side: "langauge"), or more than 2 when more: a key misspelt, told
 * from another key. */
static int
typo_distance(const char *a, const char *b)
{
	enum { MOST = 40 };
	size_t n = strlen(a), m = strlen(b);
	if (n >= MOST || m >= MOST || (n > m ? n - m : m - n) > 2)
		return 3;
	int d[MOST + 1][MOST + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/* The one key of section that key is a typo of (one or two edits, for a
 * key of five letters or more), else NULL. */
static const char *
key_meant(const char *section, const char *key)
{
	const char *meant = NULL;
	int best = 3;
	bool tie = false;
	if (strlen(key) < 5)
		return NULL;
	for (size_t i = 0; i < CONF_NKEYS; i++) {
		if (strcmp(conf_keys[i].section, section) != 0)
			continue;
		int dist = typo_distance(key, conf_keys[i].key);
		if (dist < best) {
			best = dist;
			meant = conf_keys[i].key;
			tie = false;
		} else if (dist == best) {
			tie = true;
		}
	}
	return tie ? NULL : meant;
}

static void
suggest(struct buf *b, const char *section, const char *key)
{
	/* Keys of older versions, renamed since: a kiosk.conf they wrote is
	 * mended by the line named. */
	static const struct { const char *section, *key, *now_section, *now_key; } renamed[] = {
		{ "hub", "url", "sync", "hub" },
		{ "hub", "sync_seconds", "sync", "every_seconds" },
	};
	const char *homes[CONF_NKEYS];
	int n = 0;

	for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
		if (strcmp(renamed[i].section, section) == 0 && strcmp(renamed[i].key, key) == 0) {
			buf_addf(b, "; it is now '%s' in [%s] (an older kiosk's name for it)",
			    renamed[i].now_key, renamed[i].now_section);
			return;
		}
	/* "Language": the key is in small letters */
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].section, section) == 0 &&
		    strcasecmp(conf_keys[i].key, key) == 0) {
			buf_addf(b, "; did you mean %s? (names are in small letters)", conf_keys[i].key);
			return;
		}
	const char *named = NULL;  /* the key as the table writes it */
	for (size_t i = 0; i < CONF_NKEYS; i++)
		if (strcasecmp(conf_keys[i].key, key) == 0 &&
		    strcmp(conf_keys[i].section, section) != 0) {
			homes[n++] = conf_keys[i].section;
			named = conf_keys[i].key;
		}
	if (n > 0) {
		buf_addf(b, "; it belongs in ");
		for (int i = 0; i < n; i++)
			buf_addf(b, "%s[%s]", i == 0 ? "" : i == n - 1 ? " or " : ", ",
			    homes[i]);
		if (strcmp(named, key) != 0)
			buf_addf(b, ", as %s (names are in small letters)", named);
	} else if (*section == '\0') {
		buf_addf(b, "; sections: ");
		sections_list(b);
	} else if (key_meant(section, key) != NULL) {
		buf_addf(b, "; did you mean %s?", key_meant(section, key));
	} else {
		buf_addf(b, "; keys: ");
		keys_list(b, section);
	}
}

/* What a value must look like, as words: "a whole number from 1 to 60".
 * The same text is used in messages and in the file's comments. */
static void
type_expect(struct buf *b, const struct conf_key *k)
{
	switch (k->type) {
	case CONF_T_BOOL:
		buf_addf(b, "yes or no");
		break;
	case CONF_T_INT:
		buf_addf(b, "a whole number from %d to %d", k->min, k->max);
		break;
	case CONF_T_WORD:
	case CONF_T_CHOICE:
		for (size_t i = 0; k->words[i] != NULL; i++)
			buf_addf(b, "%s%s", i == 0 ? "" : k->words[i + 1] ? ", " : " or ",
			    k->words[i]);
		break;
	case CONF_T_LOCALTIME:
		buf_addf(b, "a time written YYYY-MM-DD HH:MM, or HH:MM for every day, or nothing");
		break;
	case CONF_T_TZ:
		buf_addf(b, "a time zone name like Europe/Brussels");
		break;
	case CONF_T_TAG:
		buf_addf(b, "%d to %d letters A-Z or digits, or nothing",
		    CODE_TAG_MIN, CODE_TAG_MAX);
		break;
	case CONF_T_PATH:
		buf_addf(b, "a file name");
		break;
	case CONF_T_NAME:
		buf_addf(b, "a name on one line, at most %d bytes, or nothing", UTIL_NAME_MAX);
		break;
	case CONF_T_URL:
		for (size_t i = 0; k->words[i] != NULL; i++)
			buf_addf(b, "%s%s://HOST[:PORT]", i == 0 ? "an address " : " or ",
			    k->words[i]);
		buf_addf(b, " (no user name or password in it), or nothing");
		break;
	case CONF_T_LISTEN:
		buf_addf(b, "ADDR:PORT, PORT or :PORT with a port from 0 to 65535, such as "
		    "0.0.0.0:8080");
		break;
	case CONF_T_STRING:
	case CONF_T_LIST:
		buf_addf(b, "text");
		break;
	}
}

/* --- values ---------------------------------------------------------------- */

/* SCHEME://HOST[:PORT][/...] with one of schemes: a host (a name, an IPv4
 * address or an [IPv6] one), no user name or password (they have keys of
 * their own, and an address is shown in messages and logs), and a port, if
 * any, from 1 to 65535. "smtp.gmail.com" or "smtp://host:" said nothing
 * until `kiosk mail` refused it, or the door synced with nobody. */
static bool
url_ok(const char *url, const char *const *schemes)
{
	const char *rest = NULL;
	for (size_t i = 0; schemes[i] != NULL && rest == NULL; i++) {
		size_t n = strlen(schemes[i]);
		if (strncasecmp(url, schemes[i], n) == 0 && strncmp(url + n, "://", 3) == 0)
			rest = url + n + 3;
	}
	if (rest == NULL)
		return false;
	size_t auth = strcspn(rest, "/?#");
	if (memchr(rest, '@', auth) != NULL)
		return false;
	size_t host;
	if (rest[0] == '[') {
		const char *end = memchr(rest, ']', auth);
		if (end == NULL || end == rest + 1)
			return false;
		host = (size_t)(end - rest) + 1;
	} else {
		host = strcspn(rest, ":/?#");
		if (host == 0)
			return false;
	}
	for (size_t i = 0; i < host; i++)
		if ((unsigned char)rest[i] <= ' ' || rest[i] == 0x7f)
			return false;
	if (host == auth)
		return true;
	if (rest[host] != ':' || auth - host < 2 || auth - host > 6)
		return false;
	long port = 0;
	for (size_t i = host + 1; i < auth; i++) {
		if (rest[i] < '0' || rest[i] > '9')
			return false;
		port = port * 10 + (rest[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

static char **
str_field(struct conf *c, const struct conf_key *k)
{
	return (char **)((char *)c + k->off);
}

static void
set_str(struct conf *c, const struct conf_key *k, char *v)
{
	char **p = str_field(c, k);
	free(*p);
	*p = v;
}

static void
list_free(char **list)
{
	if (list == NULL)
		return;
	for (size_t i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

/* Surrounding quotes, double or single, are taken off text values: people
 * write them (a path with a space in it, as a shell would want it). */
static char *
unquote(const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		return xstrndup(v + 1, n - 2);
	return xstrdup(v);
}

/* Split "a, b ,,c" into a NULL-terminated array {"a", "b", "c"}; quotes
 * around an item come off. */
static char **
list_split(const char *v, size_t *n)
{
	char **list = xcalloc(1, sizeof *list);
	size_t len = 0;

	for (const char *s = v;;) {
		const char *comma = strchr(s, ',');
		size_t w = comma ? (size_t)(comma - s) : strlen(s);
		char *raw = xstrndup(s, w);
		char *trimmed = util_trim(raw);
		char *item = unquote(trimmed);  /* "T-shirt size", "Diet" */
		free(trimmed);
		free(raw);
		if (*item != '\0') {
			list = xreallocarray(list, len + 2, sizeof *list);
			list[len++] = item;
			list[len] = NULL;
		} else {
			free(item);
		}
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	*n = len;
	return list;
}

static int
parse_bool(const char *v, bool *out)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "yes", true }, { "no", false }, { "true", true }, { "false", false },
		{ "on", true }, { "off", false }, { "1", true }, { "0", false },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(v, words[i].word) == 0) {
			*out = words[i].value;
			return 0;
		}
	return -1;
}

static int
parse_int(const char *v, int min, int max, int *out)
{
	char *end;
	if (!isdigit((unsigned char)*v) && !((*v == '-' || *v == '+') &&
	    isdigit((unsigned char)v[1])))
		return -1;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
conf_ticket_day(const char *item, size_t *type_len, int *day)
{
	const char *colon = strrchr(item, ':');
	int y, mo, d, h, mi;
	char when[32];
	if (colon == NULL)
		return -1;
	size_t n = (size_t)(colon - item);
	while (n > 0 && isspace((unsigned char)item[n - 1]))
		n--;
	const char *date = colon + 1;
	while (isspace((unsigned char)*date))
		date++;
	/* the date's check is the one open_from's takes, at a minute of it */
	if (n == 0 || strlen(date) != 10 ||
	    snprintf(when, sizeof when, "%s 00:00", date) != 16 ||
	    conf_parse_local_time(when, &y, &mo, &d, &h, &mi) != 0)
		return -1;
	*type_len = n;
	*day = (y * 100 + mo) * 100 + d;
	return 0;
}

int
conf_parse_daily_time(const char *s, int *hour, int *min)
{
	if (s == NULL || strlen(s) != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), mi = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || mi > 59)
		return -1;
	*hour = h;
	*min = mi;
	return 0;
}

int
conf_parse_local_time(const char *s, int *year, int *mon, int *day, int *hour, int *min)
{
	static const char shape[] = "dddd-dd-dd dd:dd";
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int f[5] = { 0 }, nf = 0;

	if (s == NULL || strlen(s) != sizeof shape - 1)
		return -1;
	for (size_t i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd') {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			f[nf] = f[nf] * 10 + (s[i] - '0');
		} else if (s[i] != shape[i]) {
			return -1;
		} else {
			nf++;
		}
	}
	int y = f[0], mo = f[1], d = f[2], h = f[3], mi = f[4];
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59)
		return -1;
	if (d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
		return -1;
	*year = y;
	*mon = mo;
	*day = d;
	*hour = h;
	*min = mi;
	return 0;
}


/* "C:\Users\..." or "\\server\share\...": a path copied from Windows, which
 * would be taken for a file of that odd name beside kiosk.conf. */
static bool
windows_path(const char *p)
{
	return (isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/')) ||
	    (p[0] == '\\' && p[1] == '\\');
}

/* "nl_BE", "fr-BE", "de_DE.UTF-8" (a locale, as the system writes one) or
 * a language's name in one of the four: the code meant, or NULL. */
static const char *
language_guess(const char *v)
{
	static const struct { const char *name, *code; } names[] = {
		{ "english", "en" }, { "engels", "en" }, { "anglais", "en" }, { "englisch", "en" },
		{ "dutch", "nl" }, { "nederlands", "nl" }, { "flemish", "nl" }, { "vlaams", "nl" },
		{ "néerlandais", "nl" }, { "neerlandais", "nl" }, { "niederländisch", "nl" },
		{ "french", "fr" }, { "frans", "fr" }, { "français", "fr" }, { "francais", "fr" },
		{ "französisch", "fr" },
		{ "german", "de" }, { "duits", "de" }, { "allemand", "de" }, { "deutsch", "de" },
	};
	size_t n = strcspn(v, "_-.@ ");
	for (size_t i = 0; n == 2 && v[n] != '\0' && language_words[i] != NULL; i++)
		if (strncasecmp(v, language_words[i], 2) == 0)
			return language_words[i];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(v, names[i].name) == 0)
			return names[i].code;
	return NULL;
}

/* An address written without its scheme, or with it mistyped
 * ("192.168.1.10:8080", "http//hub:8080", "http:/hub"): the one meant, when
 * it is one url_ok takes, for the caller to free; else NULL. */
static char *
url_guess(const char *v, const char *const *schemes)
{
	const char *scheme = schemes[0], *rest = v;

	if (strstr(v, "://") != NULL)
		return NULL;
	for (size_t i = 0; schemes[i] != NULL; i++) {
		size_t n = strlen(schemes[i]);
		if (strncasecmp(v, schemes[i], n) == 0 && (v[n] == ':' || v[n] == '/')) {
			scheme = schemes[i];
			rest = v + n + strspn(v + n, ":/");
		}
	}
	char *guess = xasprintf("%s://%s", scheme, rest);
	if (url_ok(guess, schemes))
		return guess;
	free(guess);
	return NULL;
}

/* Parse v for key k into c. Returns 0, or -1 with *why (caller frees) saying
 * what was expected. check_disk is false for the built-in defaults, which
 * must not depend on the machine. */
static int
apply_value(struct conf *c, const struct conf_key *k, const char *v, bool check_disk,
    char **why)
{
	void *field = (char *)c + k->off;
	struct buf b;

	switch (k->type) {
	case CONF_T_STRING:
		set_str(c, k, unquote(v));
		return 0;
	case CONF_T_NAME: {
		char *p = unquote(v), *bad = NULL;
		if (*p != '\0' && util_name_check("name", p, UTIL_NAME_MAX, &bad) != 0) {
			free(bad);
			free(p);
			break;
		}
		set_str(c, k, p);
		return 0;
	}
	case CONF_T_PATH: {
		char *p = unquote(v);
		if (*p == '\0' && k->def[0] != '\0') { /* a key that may be empty defaults to "" */
			free(p);
			break;
		}
		/* No shell reads kiosk.conf: ~/events/e.db would be a folder
		 * named ~ beside the file, and "no folder ~/events" a puzzle to
		 * whoever made their home's events folder. */
		if (p[0] == '~' && (p[1] == '\0' || strchr(p, '/') != NULL)) {
			*why = xasprintf("'%s': ~ is not your home folder here (no shell reads "
			    "kiosk.conf): write the whole path, from /", p);
			free(p);
			return -1;
		}
		if (windows_path(p)) {
			*why = xasprintf("'%s' is a Windows path: write where the file is on this "
			    "computer, with / (such as /media/usb/event.db), or its name alone when "
			    "it is beside kiosk.conf", p);
			free(p);
			return -1;
		}
		set_str(c, k, p);
		return 0;
	}
	case CONF_T_BOOL:
		if (parse_bool(v, field) == 0)
			return 0;
		break;
	case CONF_T_INT:
		if (parse_int(v, k->min, k->max, field) == 0)
			return 0;
		break;
	case CONF_T_WORD:
	case CONF_T_CHOICE:
		for (int i = 0; k->words[i] != NULL; i++) {
			if (strcasecmp(v, k->words[i]) != 0)
				continue;
			if (k->type == CONF_T_WORD)
				set_str(c, k, xstrdup(k->words[i]));
			else
				memcpy(field, &i, sizeof i);
			return 0;
		}
		break;
	case CONF_T_LIST: {
		size_t n;
		char **list = list_split(v, &n);
		list_free(*(char ***)field);
		*(char ***)field = list;
		*(size_t *)(void *)((char *)c + k->count_off) = n;
		return 0;
	}
	case CONF_T_LOCALTIME: {
		int y, mo, d, h, mi;
		if (*v != '\0' && conf_parse_local_time(v, &y, &mo, &d, &h, &mi) != 0 &&
		    conf_parse_daily_time(v, &h, &mi) != 0)
			break;
		set_str(c, k, xstrdup(v));
		return 0;
	}
	case CONF_T_TZ:
		if (!ktime_zone_name_ok(v))
			break;
		if (check_disk && ktime_zone_check(v, why) != 0)
			return -1;
		set_str(c, k, xstrdup(v));
		return 0;
	case CONF_T_URL: {
		char *p = unquote(v);
		if (*p != '\0' && !url_ok(p, k->words)) {
			free(p);
			break;
		}
		set_str(c, k, p);
		return 0;
	}
	case CONF_T_LISTEN: { /* empty: the default, 0.0.0.0:8080, as the hub reads it */
		struct sockaddr_in sa;
		char *p = unquote(v);
		if (*p != '\0' && util_parse_listen(p, &sa, NULL) != 0) {
			free(p);
			break;
		}
		set_str(c, k, p);
		return 0;
	}
	case CONF_T_TAG: {
		char tag[CODE_TAG_MAX + 2];
		if (*v == '\0' || code_tag_normalize(v, tag)) {
			set_str(c, k, xstrdup(*v == '\0' ? "" : tag));
			return 0;
		}
		break;
	}
	}

	buf_init(&b, 0);
	buf_addf(&b, "expected ");
	type_expect(&b, k);
	if (k->type == CONF_T_URL) {
		/* A password put in the address is not repeated on the screen;
		 * url_guess makes none (url_ok refuses a user name). The guess
		 * is of the address inside quotes, as a right one is read. */
		char *bare = unquote(v);
		char *shown = util_url_redact(v), *guess = url_guess(bare, k->words);
		buf_addf(&b, ", got '%s'", shown);
		if (guess != NULL)
			buf_addf(&b, "; did you mean %s?", guess);
		free(guess);
		free(shown);
		free(bare);
	} else {
		buf_addf(&b, ", got '%s'", v);
	}
	if (k->words == language_words && language_guess(v) != NULL)
		buf_addf(&b, "; did you mean %s?", language_guess(v));
	/* the key's name on the keyboard, or in a scanner's manual */
	static const char *const enter[] = { "enter", "cr", "crlf", "lf", "newline", NULL };
	for (size_t i = 0; k->words == suffix_words && enter[i] != NULL; i++)
		if (strcasecmp(v, enter[i]) == 0)
			buf_addf(&b, "; did you mean return? (the Enter key)");
	*why = buf_take(&b);
	return -1;
}

/* apply_value, with the quotes taken off a word, number or time as off
 * text: language = "nl" reads as nl, as name = "Door 1" reads as Door 1 (a
 * list's items, each in quotes or not, are unquoted by list_split). */
static int
conf_apply(struct conf *c, const struct conf_key *k, const char *v, bool check_disk,
    char **why)
{
	char *bare = NULL;

	switch (k->type) {
	case CONF_T_BOOL: case CONF_T_INT: case CONF_T_WORD: case CONF_T_CHOICE:
	case CONF_T_LOCALTIME: case CONF_T_TZ: case CONF_T_TAG:
		v = bare = unquote(v);
		break;
	default:
		break;
	}
	int rc = apply_value(c, k, v, check_disk, why);
	free(bare);
	return rc;
}

/* --- the struct -------------------------------------------------------------- */

struct conf *
conf_defaults(void)
{
	struct conf *c = xcalloc(1, sizeof *c);
	for (size_t i = 0; i < CONF_NKEYS; i++) {
		char *why = NULL;
		int rc = conf_apply(c, &conf_keys[i], conf_keys[i].def, false, &why);
		assert(rc == 0 && "a default in conf_keys[] does not parse");
		(void)rc;
		free(why);
	}
	return c;
}

const char *
conf_file(const struct conf *c)
{
	return c->path != NULL ? c->path : "kiosk.conf";
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < CONF_NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];
		switch (k->type) {
		case CONF_T_STRING: case CONF_T_PATH: case CONF_T_WORD:
		case CONF_T_LOCALTIME: case CONF_T_TZ: case CONF_T_TAG: case CONF_T_NAME:
		case CONF_T_URL: case CONF_T_LISTEN:
			free(*str_field(c, k));
			break;
		case CONF_T_LIST:
			list_free(*(char ***)(void *)((char *)c + k->off));
			break;
		case CONF_T_BOOL: case CONF_T_INT: case CONF_T_CHOICE:
			break;
		}
	}
	free(c->path);
	free(c);
}

/* --- parsing ----------------------------------------------------------------- */

/* Record an error at line (takes msg). */
static void
parse_fail(struct conf_parse *p, int line, char *msg)
{
	p->total_err++;
	if (p->n_err == CONF_ERRORS_MAX) {
		free(msg);
		return;
	}
	p->err_lines[p->n_err] = line;
	p->errs[p->n_err++] = msg;
}

static bool
parse_failed_at(const struct conf_parse *p, int line)
{
	for (size_t i = 0; i < p->n_err; i++)
		if (p->err_lines[i] == line)
			return true;
	return false;
}

/* The message for a line that is neither a section nor key = value. It goes
 * to logs and to the door's own screen (a door that cannot start shows it
 * to the queue): so only the line's first word is quoted, and only when
 * it reads as a key's name ("hub https://..." with the '=' forgotten is
 * 'hub ...'); a secret's name is said to hide the rest, and a line that
 * starts otherwise (a token or password wrapped onto a line of its own)
 * is not quoted at all. */
static char *
syntax_msg(const char *line, size_t len)
{
	static const char *const secrets[] = { "password", "token", "admin_pin", NULL };
	char *raw = xstrndup(line, len < CONF_SHOW_MAX ? len : CONF_SHOW_MAX);
	char *t = util_trim(raw);
	size_t word = strcspn(t, " \t:="), keyish = strspn(t, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	bool more = t[word] != '\0';
	t[word] = '\0';
	char *msg = NULL;
	for (size_t i = 0; secrets[i] != NULL && msg == NULL; i++)
		if (strncasecmp(t, secrets[i], strlen(secrets[i])) == 0)
			msg = xasprintf("expected 'key = value' or '[section]', got '%s ...' (the rest "
			    "not shown: a secret)", t);
	if (msg == NULL && (keyish != word || word == 0 || word > CONF_KEY_SHOWN))
		msg = xstrdup("expected 'key = value' or '[section]', got a line not shown here "
		    "(it may hold a secret)");
	if (msg == NULL)
		msg = xasprintf("expected 'key = value' or '[section]', got '%s%s'", t,
		    more ? " ..." : "");
	free(t);
	free(raw);
	return msg;
}

/* Check a "[section]" line (leading white space already gone). A refused
 * one skips the keys under it: its own message covers them; one refused
 * for its capitals only has them checked as its own (section_as). */
static void
check_section_line(struct conf_parse *p, const char *s, size_t len)
{
	const char *close = memchr(s, ']', len);
	struct buf b;

	p->skip_section = true;
	p->section_as = NULL;
	if (close == NULL) {
		parse_fail(p, p->line, xstrdup("expected ']' to close the section name"));
		return;
	}
	char *raw = xstrndup(s + 1, (size_t)(close - s - 1));
	char *name = util_trim(raw);
	free(raw);
	if (!section_known(name)) {
		buf_init(&b, 0);
		buf_addf(&b, "unknown section [%s]; ", name);
		const char *lower = section_nocase(name);
		if (lower != NULL) {
			buf_addf(&b, "did you mean [%s]? (names are in small letters)", lower);
			/* its keys' own mistakes are said now too, not after
			 * this one is mended (one check finds them all) */
			p->skip_section = false;
			p->section_as = lower;
		} else {
			buf_addf(&b, "sections: ");
			sections_list(&b);
		}
		parse_fail(p, p->line, buf_take(&b));
	} else {
		p->skip_section = false;
	}
	free(name);
}

/* Whether inih takes line (no leading white space, no line end) for
 * "key = value": an '=' or ':' before any inline comment (a ';' after white
 * space), as inih looks for them. Comments, blank and [section] lines are
 * not asked about. */
static bool
line_has_value(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '=' || s[i] == ':')
			return true;
		if (s[i] == ';' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
			return false;
	}
	return false;
}

/* inih's reader: hands over one line at a time (fgets-like). A line that
 * is in error is reported here and handed over blank, so that the parse
 * goes on to the next. Returns NULL at the end of the text. */
static char *
conf_read_line(char *str, int num, void *stream)
{
	struct conf_parse *p = stream;

	if (*p->pos == '\0' || num < 4)
		return NULL;
	const char *s = p->pos;
	const char *nl = strchr(s, '\n');
	size_t len = nl ? (size_t)(nl - s) : strlen(s);
	p->pos = s + len + (nl != NULL);
	p->line++;

	if (p->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len > 0 && s[len - 1] == '\r')
		len--;
	p->cur = s;
	p->cur_len = len;

	/* Room for the line, '\n' and NUL, one byte short of full so that an
	 * inih built to grow its buffer never asks for more of the line. */
	size_t room = (size_t)num - 3;
	bool comment = len > 0 && (*s == '#' || *s == ';');
	if (comment && len > room) {
		len = 1;  /* a long comment is still a comment */
	} else if (len > room) {
		parse_fail(p, p->line, xasprintf("line is longer than %zu characters", room));
		len = 0;
	} else if (len > 0 && *s == '[') {
		check_section_line(p, s, len);
		if (memchr(s, ']', len) == NULL)
			len = 0;  /* inih would refuse it too: said once */
	} else if (len > 0 && !comment && !line_has_value(s, len)) {
		parse_fail(p, p->line, syntax_msg(s, len));
		len = 0;
	}
	memcpy(str, s, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

/* inih's handler: one "key = value" in a section. Records what is wrong
 * with it and returns 1: the parse goes on. */
static int
conf_handler(void *user, const char *section, const char *name, const char *value)
{
	struct conf_parse *p = user;
	char *sec = p->section_as != NULL ? xstrdup(p->section_as) : util_trim(section);
	char *why = NULL;
	struct buf b;

	buf_init(&b, 0);
	if (p->skip_section)
		goto out;
	if (strpbrk(name, " \t") != NULL) {
		/* inih also splits at ':', so "url https://x" arrives as the key
		 * "url https"; no key has a space, so the line is not key = value. */
		parse_fail(p, p->line, syntax_msg(p->cur, p->cur_len));
		goto out;
	}
	if (*sec == '\0') {
		buf_addf(&b, "'%s' comes before any [section]", name);
		suggest(&b, "", name);
		goto out;
	}
	const struct conf_key *k = key_find(sec, name);
	if (k == NULL) {
		buf_addf(&b, "unknown key '%s' in [%s]", name, sec);
		suggest(&b, sec, name);
		goto out;
	}
	size_t i = (size_t)(k - conf_keys);
	if (p->set_line[i] != 0) {
		buf_addf(&b, "[%s] %s is set twice (first on line %d)", k->section, k->key,
		    p->set_line[i]);
		goto out;
	}
	p->set_line[i] = p->line;
	if (!util_utf8_valid(value, strlen(value)))
		buf_addf(&b, "[%s] %s: not valid UTF-8 (save kiosk.conf as UTF-8)", k->section,
		    k->key);
	else if (conf_apply(p->c, k, value, true, &why) != 0)
		buf_addf(&b, "[%s] %s: %s", k->section, k->key, why);
	p->bad[i] = b.len > 0;
out:
	free(why);
	free(sec);
	if (b.len > 0)
		parse_fail(p, p->line, buf_take(&b));
	buf_free(&b);
	return 1;
}

/* Line n (1-based) of text, as written; *len gets its length. */
static const char *
line_at(const char *text, int n, size_t *len)
{
	for (int i = 1; i < n && text != NULL; i++) {
		text = strchr(text, '\n');
		if (text != NULL)
			text++;
	}
	if (text == NULL)
		text = "";
	*len = strcspn(text, "\n");
	return text;
}

static size_t
key_index(const char *section, const char *key)
{
	const struct conf_key *k = key_find(section, key);
	assert(k != NULL);
	return (size_t)(k - conf_keys);
}

/* Rules about more than one key, each recorded as an error when broken.
 * A rule is not asked about a key whose own value was refused (it holds
 * its default, not what the file says). */
static void
conf_check(struct conf_parse *p)
{
	struct conf *c = p->c;
	size_t mode = key_index("kiosk", "mode"), reentry = key_index("checkin", "reentry");
	size_t hash = key_index("kiosk", "admin_pin_hash"), staff = key_index("kiosk", "staff_pin");
	size_t from = key_index("checkin", "open_from"), until = key_index("checkin", "open_until");

	if (!p->bad[mode] && !p->bad[reentry] && c->mode == CONF_MODE_EXIT && !c->reentry)
		parse_fail(p, p->set_line[mode], xstrdup(
		    "[kiosk] mode = exit needs [checkin] reentry = yes: without re-entry "
		    "a guest scanned out could not come back in"));
	/* A PIN put here, or its hash cut short: the admin menu, the only way
	 * out of a full-screen door, would never open. */
	if (!p->bad[hash] && c->admin_pin_hash[0] != '\0' && !secret_is_hash(c->admin_pin_hash))
		parse_fail(p, p->set_line[hash], xstrdup(
		    "[kiosk] admin_pin_hash is not a hash kiosk pin wrote (cut short, or a PIN "
		    "put in its place), and no PIN would open the admin menu: run kiosk pin to "
		    "set the PIN again, or leave it empty"));
	if (!p->bad[staff] && !p->bad[hash] && c->staff_pin && c->admin_pin_hash[0] == '\0')
		parse_fail(p, p->set_line[staff], xstrdup(
		    "[kiosk] staff_pin = yes needs an admin PIN to ask for: run kiosk pin"));
	/* both dated or both daily: a daily opening and a dated closing (or
	 * the other way round) has no one meaning */
	if (*c->open_from != '\0' && *c->open_until != '\0' &&
	    strlen(c->open_from) != strlen(c->open_until))
		parse_fail(p, p->set_line[until], xasprintf(
		    "[checkin] open_until (%s) and open_from (%s, line %d) must both be a date "
		    "and time, or both a time of day (HH:MM, every day)",
		    c->open_until, c->open_from, p->set_line[from]));
	else if (*c->open_from != '\0' && *c->open_until != '\0' &&
	    strcmp(c->open_from, c->open_until) >= 0)
		parse_fail(p, p->set_line[until], xasprintf(
		    "[checkin] open_until (%s) must be after open_from (%s, line %d)",
		    c->open_until, c->open_from, p->set_line[from]));
	for (size_t i = 0; i < c->n_ticket_days; i++) {
		size_t n;
		int day;
		if (conf_ticket_day(c->ticket_days[i], &n, &day) != 0)
			parse_fail(p, p->set_line[key_index("checkin", "ticket_days")], xasprintf(
			    "[checkin] ticket_days: '%s' is not a ticket type, a colon and a date "
			    "YYYY-MM-DD (e.g. Day 1: 2026-06-30)", c->ticket_days[i]));
	}
}

static void
resolve_paths(struct conf *c, const char *base_dir)
{
	if (base_dir == NULL || *base_dir == '\0')
		return;
	size_t n = strlen(base_dir);
	for (size_t i = 0; i < CONF_NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];
		char **p = str_field(c, k);
		if (k->type != CONF_T_PATH || (*p)[0] == '/' || (*p)[0] == '\0')
			continue;
		set_str(c, k, xasprintf("%s%s%s", base_dir,
		    base_dir[n - 1] == '/' ? "" : "/", *p));
	}
}

/* Hand the errors of p over to errs, in line order ("name:line: ..."). */
static void
errors_take(struct conf_parse *p, struct conf_errors *errs)
{
	/* Errors come in line order but for those found after the whole file
	 * (conf_check): an insertion sort, stable, of at most CONF_ERRORS_MAX. */
	for (size_t i = 1; i < p->n_err; i++) {
		int line = p->err_lines[i];
		char *msg = p->errs[i];
		size_t j = i;
		for (; j > 0 && p->err_lines[j - 1] > line; j--) {
			p->err_lines[j] = p->err_lines[j - 1];
			p->errs[j] = p->errs[j - 1];
		}
		p->err_lines[j] = line;
		p->errs[j] = msg;
	}
	errs->msg = xcalloc(p->n_err + 1, sizeof *errs->msg);
	for (size_t i = 0; i < p->n_err; i++) {
		errs->msg[i] = xasprintf("%s:%d: %s", p->name, p->err_lines[i], p->errs[i]);
		free(p->errs[i]);
		p->errs[i] = NULL;
	}
	errs->n = p->n_err;
	errs->total = p->total_err;
	p->n_err = 0;
}

/* One error that is about the whole file (errs is empty). */
static int
errors_one(struct conf_errors *errs, char *msg)
{
	errs->msg = xcalloc(2, sizeof *errs->msg);
	errs->msg[0] = msg;
	errs->n = errs->total = 1;
	return -1;
}

int
conf_load_string_all(const char *text, const char *name, const char *base_dir,
    struct conf **out, struct conf_errors *errs)
{
	struct conf_parse p;
	int rc = -1;

	memset(errs, 0, sizeof *errs);
	memset(&p, 0, sizeof p);
	p.name = name != NULL ? name : "kiosk.conf";
	p.pos = text != NULL ? text : "";
	p.c = conf_defaults();

	int line = ini_parse_stream(conf_read_line, &p, conf_handler, &p);
	if (line == -2) {
		errors_one(errs, xasprintf("%s: out of memory", p.name));
		goto out;
	}
	if (line > 0 && !parse_failed_at(&p, line)) {
		/* inih's own complaint, which the reader did not foresee:
		 * neither a section nor key = value. */
		size_t len;
		const char *s = line_at(text, line, &len);
		parse_fail(&p, line, syntax_msg(s, len));
	}
	conf_check(&p);
	if (p.total_err > 0) {
		errors_take(&p, errs);
		goto out;
	}
	resolve_paths(p.c, base_dir);
	p.c->path = name != NULL ? xstrdup(name) : NULL;
	p.c->event_name_line = p.set_line[key_index("event", "name")];
	p.c->event_tz_line = p.set_line[key_index("event", "timezone")];
	p.c->event_tag_line = p.set_line[key_index("event", "tag")];
	p.c->scanner_min_length_line = p.set_line[key_index("scanner", "min_length")];
	p.c->scanner_suffix_line = p.set_line[key_index("scanner", "suffix")];
	*out = p.c;
	p.c = NULL;
	rc = 0;
out:
	for (size_t i = 0; i < p.n_err; i++)
		free(p.errs[i]);
	conf_free(p.c);
	return rc;
}

/* path is missing and path.txt is there: a kiosk.conf saved on Windows,
 * where Notepad adds .txt and Explorer hides it. */
static bool
saved_as_txt(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 || errno != ENOENT)
		return false;
	char *txt = xasprintf("%s.txt", path);
	bool there = stat(txt, &st) == 0 && S_ISREG(st.st_mode);
	free(txt);
	return there;
}

int
conf_load_all(const char *path, struct conf **out, struct conf_errors *errs)
{
	char *text = NULL, *dir = NULL, *cause = NULL;
	size_t len;
	int rc = -1;

	memset(errs, 0, sizeof *errs);
	if (util_read_file(path, CONF_MAX_BYTES, &text, &len, &cause) != 0) {
		if (saved_as_txt(path)) {
			free(cause);
			cause = xasprintf("%s: no such file, but %s.txt is there: Windows added .txt "
			    "when it was saved (Notepad does); rename it to %s", path, path, path);
		}
		errors_one(errs, cause);
		goto out;
	}
	/* Notepad saves "Unicode" as UTF-16 with a byte order mark: every
	 * other byte is NUL, and the fix is a save with another encoding. */
	if (len >= 2 && ((text[0] == '\xff' && text[1] == '\xfe') ||
	    (text[0] == '\xfe' && text[1] == '\xff'))) {
		errors_one(errs, xasprintf("%s: saved as UTF-16 (Notepad's \"Unicode\"): save it "
		    "again with the encoding UTF-8", path));
		goto out;
	}
	if (strlen(text) != len) {
		errors_one(errs, xasprintf("%s: not a text file (it holds a NUL byte)", path));
		goto out;
	}
	const char *slash = strrchr(path, '/');
	if (slash != NULL)
		dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	rc = conf_load_string_all(text, path, dir, out, errs);
out:
	free(dir);
	free(text);
	return rc;
}

/* The command that lists every error of the file name, for the caller to
 * free: a bare "kiosk config --check" reads ./kiosk.conf (or, with none,
 * the built-in defaults, which are "ok"), not the file a command was given
 * with --config. A name a shell would split or expand is single-quoted. */
static char *
check_command(const char *name)
{
	if (name == NULL || strcmp(name, "kiosk.conf") == 0 || strcmp(name, "./kiosk.conf") == 0)
		return xstrdup("kiosk config --check");
	if (name[0] != '\0' && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/._-+,:@%") == strlen(name))
		return xasprintf("kiosk config --check --config %s", name);
	struct buf b;
	buf_init(&b, 0);
	buf_addf(&b, "kiosk config --check --config '");
	for (const char *p = name; *p; p++) {
		if (*p == '\'')
			buf_addf(&b, "'\\''");
		else
			buf_addc(&b, *p);
	}
	buf_addc(&b, '\'');
	return buf_take(&b);
}

/* The first error, and how many more there are: a door's screen and a
 * command's one line have no room for the list, and name the command that
 * lists it for the file at name. */
static int
errors_cause(struct conf_errors *errs, const char *name, char **cause)
{
	if (errs->total <= 1) {
		util_fail(cause, "%s", errs->msg[0]);
	} else {
		char *check = check_command(name);
		util_fail(cause, "%s (and %zu more error%s: %s lists them all)", errs->msg[0],
		    errs->total - 1, errs->total == 2 ? "" : "s", check);
		free(check);
	}
	conf_errors_free(errs);
	return -1;
}

int
conf_load_string(const char *text, const char *name, const char *base_dir,
    struct conf **out, char **cause)
{
	struct conf_errors errs;
	if (conf_load_string_all(text, name, base_dir, out, &errs) != 0)
		return errors_cause(&errs, name, cause);
	return 0;
}

int
conf_load(const char *path, struct conf **out, char **cause)
{
	struct conf_errors errs;
	if (conf_load_all(path, out, &errs) != 0)
		return errors_cause(&errs, path, cause);
	return 0;
}

void
conf_errors_free(struct conf_errors *errs)
{
	if (errs->msg != NULL)
		for (size_t i = 0; i < errs->n; i++)
			free(errs->msg[i]);
	free(errs->msg);
	memset(errs, 0, sizeof *errs);
}

/* --- writing ----------------------------------------------------------------- */

int
conf_write_default(FILE *fp)
{
	struct buf b;
	int rc = -1;

	buf_init(&b, 0);
	buf_addf(&b,
	    "# kiosk.conf: the settings of one kiosk (one door) of kiosk, the\n"
	    "# offline-first event check-in tool.\n"
	    "#\n"
	    "# Settings are 'key = value' lines under a [section]. Lines starting\n"
	    "# with # or ; are comments. A key left out takes its default, which\n"
	    "# `kiosk config --defaults` shows. Values need no quotes.\n");
	for (size_t i = 0; i < CONF_NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];
		if (section_starts(i))
			buf_addf(&b, "\n[%s]\n", k->section);
		buf_addf(&b, "\n");
		for (const char *h = k->help; *h != '\0';) {
			size_t w = strcspn(h, "\n");
			buf_addf(&b, "# %.*s\n", (int)w, h);
			h += w + (h[w] == '\n');
		}
		switch (k->type) {
		case CONF_T_BOOL: case CONF_T_INT: case CONF_T_WORD: case CONF_T_CHOICE:
			buf_addf(&b, "# Value: ");
			type_expect(&b, k);
			buf_addf(&b, ".\n");
			break;
		default:
			break;
		}
		buf_addf(&b, "%s =%s%s\n", k->key, *k->def ? " " : "", k->def);
	}
	if (fwrite(b.data, 1, b.len, fp) != b.len || fflush(fp) != 0 || ferror(fp))
		goto out;
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/* The section a "[name]" line opens (into buf), or NULL for other lines. */
static const char *
section_of(const char *line, size_t n, char *buf, size_t bufsz)
{
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	if (n == 0 || *line != '[')
		return NULL;
	const char *end = memchr(line, ']', n);
	if (end == NULL || (size_t)(end - line - 1) >= bufsz)
		return NULL;
	snprintf(buf, bufsz, "%.*s", (int)(end - line - 1), line + 1);
	return buf;
}

/* True when the line sets key ("key = ..." after optional blanks). */
static bool
line_sets(const char *line, size_t n, const char *key)
{
	size_t k = strlen(key);
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	if (n < k || strncmp(line, key, k) != 0)
		return false;
	line += k;
	n -= k;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	return n > 0 && *line == '=';
}

bool
conf_value_writable(const char *value)
{
	for (const char *p = value; *p; p++)
		if (*p == '\n' || *p == '\r' || (*p == ';' && p > value && (p[-1] == ' ' ||
		    p[-1] == '\t')))
			return false;
	return true;
}

bool
conf_address_ok(const char *section, const char *key, const char *url)
{
	for (size_t i = 0; i < CONF_NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];
		if (k->type == CONF_T_URL && strcmp(k->section, section) == 0 &&
		    strcmp(k->key, key) == 0)
			return url != NULL && url_ok(url, k->words);
	}
	return false;
}

int
conf_set(const char *path, const char *section, const char *key, const char *value,
    char **cause)
{
	char *old = NULL;
	size_t len = 0;
	struct buf out;
	struct conf *check = NULL;
	struct stat st;
	struct util_replace r = { 0 };
	int rc = -1;
	char sec[64] = "";
	bool in_section = false, done = false;

	buf_init(&out, 0);
	if (!conf_value_writable(value))
		return util_fail(cause, "[%s] %s: '%s' cannot be kept in kiosk.conf (a ';' after a "
		    "space starts a comment there, and a line ends the value)", section, key, value);
	if (util_read_file(path, 1 << 20, &old, &len, cause) != 0)
		goto out;
	/* A file saved by Windows Notepad ends its lines in CRLF: the lines
	 * written here do too, not leaving two kinds of line end in it. */
	const char *first_nl = memchr(old, '\n', len);
	const char *eol = first_nl != NULL && first_nl > old && first_nl[-1] == '\r' ?
	    "\r\n" : "\n";
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(old + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (old + pos)) + 1 : len - pos;
		const char *line = old + pos;
		char name[64];
		if (section_of(line, n, name, sizeof name) != NULL) {
			if (in_section && !done) {
				buf_addf(&out, "%s = %s%s", key, value, eol);
				done = true;
			}
			snprintf(sec, sizeof sec, "%s", name);
			in_section = strcmp(sec, section) == 0;
			buf_add(&out, line, n);
		} else if (in_section && !done && line_sets(line, n, key)) {
			buf_addf(&out, "%s = %s%s", key, value, eol);
			done = true;
		} else {
			buf_add(&out, line, n);
		}
		pos += n;
	}
	if (!done) {
		if (out.len > 0 && out.data[out.len - 1] != '\n')
			buf_addf(&out, "%s", eol);
		if (!in_section)
			buf_addf(&out, "%s[%s]%s", eol, section, eol);
		buf_addf(&out, "%s = %s%s", key, value, eol);
	}
	/* What replaces kiosk.conf must load. When it does not, the error is
	 * named by the file's own lines if the file has it too (a key added
	 * moves the lines below it); but a file whose only error is the value
	 * set here (a PIN hash cut short, for kiosk pin) is mended. */
	if (conf_load_string(buf_cstr(&out), path, NULL, &check, cause) != 0) {
		struct conf *old_conf = NULL;
		char *old_cause = NULL;
		if (conf_load(path, &old_conf, &old_cause) != 0) {
			free(*cause);
			*cause = old_cause;
		}
		conf_free(old_conf);
		goto out;
	}
	/* The new file keeps the old one's mode (0600 once it holds a token). */
	if (util_replace_open(&r, path, stat(path, &st) == 0 ? st.st_mode & 07777 : 0644,
	    cause) != 0)
		goto out;
	if (fwrite(out.data, 1, out.len, r.fp) != out.len || fflush(r.fp) != 0) {
		util_fail(cause, "%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	if (util_replace_commit(&r, cause) != 0)
		goto out;
	rc = 0;
out:
	conf_free(check);
	if (rc != 0)
		util_replace_abort(&r);
	free(old);
	buf_free(&out);
	return rc;
}

void
conf_sync_take(struct conf_sync *cs, const struct conf *c)
{
	conf_sync_free(cs);
	*cs = (struct conf_sync){ xstrdup(c->hub_url), xstrdup(c->hub_token),
	    xstrdup(c->sync_cafile), c->sync_seconds };
}

bool
conf_sync_same(const struct conf_sync *cs, const struct conf *c)
{
	return cs->url != NULL && strcmp(cs->url, c->hub_url) == 0 &&
	    strcmp(cs->token, c->hub_token) == 0 && strcmp(cs->cafile, c->sync_cafile) == 0 &&
	    cs->seconds == c->sync_seconds;
}

void
conf_sync_free(struct conf_sync *cs)
{
	free(cs->url);
	free(cs->token);
	free(cs->cafile);
	memset(cs, 0, sizeof *cs);
}
