/* test_conf: kiosk.conf parsing, messages, defaults and the documented file.
 *
 * Run from the repository root (fixtures are tests/data/conf-*.conf and the
 * top-level kiosk.conf); KIOSK_SRCDIR, as a macro or in the environment,
 * names the root when run from elsewhere. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/secret.h"

/* Keys kiosk.conf has: adding one is a decision this count makes visible. */
#define CONF_KEYS 48
#include "core/util.h"

#ifndef KIOSK_SRCDIR
#define KIOSK_SRCDIR "."
#endif

static const char *
srcdir(void)
{
	const char *d = getenv("KIOSK_SRCDIR");
	return d != NULL && *d != '\0' ? d : KIOSK_SRCDIR;
}

/* A path under the repository root; caller frees. */
static char *
repo_path(const char *rel)
{
	return xasprintf("%s/%s", srcdir(), rel);
}

/* Sentinel that a failed load must leave in *out. */
static struct conf untouched;

static struct conf *
load_ok(const char *text)
{
	struct conf *c = NULL;
	char *cause = NULL;
	int rc = conf_load_string(text, "kiosk.conf", NULL, &c, &cause);
	if (rc != 0)
		fail_msg("unexpected error: %s", cause);
	assert_null(cause);
	assert_non_null(c);
	return c;
}

/* Load text as "kiosk.conf" and check the exact message. */
static void
expect_err(const char *text, const char *want)
{
	struct conf *c = &untouched;
	char *cause = NULL;
	assert_int_equal(conf_load_string(text, "kiosk.conf", NULL, &c, &cause), -1);
	assert_ptr_equal(c, &untouched);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

/* Load "[section]\nkey = value" and check the value's message (line 2). */
static void
expect_bad_value(const char *section, const char *key, const char *value,
    const char *expected)
{
	char *text = xasprintf("[%s]\n%s = %s\n", section, key, value);
	char *want = xasprintf("kiosk.conf:2: [%s] %s: %s", section, key, expected);
	expect_err(text, want);
	free(want);
	free(text);
}

static struct conf *
load_one(const char *section, const char *key, const char *value)
{
	char *text = xasprintf("[%s]\n%s = %s\n", section, key, value);
	struct conf *c = load_ok(text);
	free(text);
	return c;
}

static void
assert_list(char **list, size_t n, const char *const *want, size_t n_want)
{
	assert_int_equal(n, n_want);
	assert_non_null(list);
	for (size_t i = 0; i < n_want; i++)
		assert_string_equal(list[i], want[i]);
	assert_null(list[n]);
}

static void
assert_conf_equal(const struct conf *a, const struct conf *b)
{
	assert_string_equal(a->db_path, b->db_path);
	assert_string_equal(a->event_name, b->event_name);
	assert_string_equal(a->event_tz, b->event_tz);
	assert_string_equal(a->event_tag, b->event_tag);
	assert_string_equal(a->kiosk_name, b->kiosk_name);
	assert_string_equal(a->language, b->language);
	assert_string_equal(a->admin_pin_hash, b->admin_pin_hash);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->result_seconds, b->result_seconds);
	assert_int_equal(a->sound, b->sound);
	assert_int_equal(a->fullscreen, b->fullscreen);
	assert_list(a->show_fields, a->n_show_fields,
	    (const char *const *)b->show_fields, b->n_show_fields);
	assert_int_equal(a->reentry, b->reentry);
	assert_list(a->admit_types, a->n_admit_types,
	    (const char *const *)b->admit_types, b->n_admit_types);
	assert_string_equal(a->open_from, b->open_from);
	assert_string_equal(a->open_until, b->open_until);
	assert_string_equal(a->hub_url, b->hub_url);
	assert_string_equal(a->hub_token, b->hub_token);
	assert_int_equal(a->sync_seconds, b->sync_seconds);
	assert_int_equal(a->scanner_gap_ms, b->scanner_gap_ms);
	assert_int_equal(a->scanner_min_length, b->scanner_min_length);
	assert_string_equal(a->camera_device, b->camera_device);
	assert_int_equal(a->camera_width, b->camera_width);
	assert_int_equal(a->camera_height, b->camera_height);
	assert_string_equal(a->badge_layout, b->badge_layout);
	assert_string_equal(a->badge_printer, b->badge_printer);
	assert_int_equal(a->print_walkins, b->print_walkins);
	assert_int_equal(a->print_checkins, b->print_checkins);
	assert_string_equal(a->event_date, b->event_date);
	assert_string_equal(a->event_place, b->event_place);
	assert_string_equal(a->mail_smtp, b->mail_smtp);
	assert_string_equal(a->mail_username, b->mail_username);
	assert_string_equal(a->mail_password, b->mail_password);
	assert_string_equal(a->mail_cafile, b->mail_cafile);
	assert_string_equal(a->mail_from, b->mail_from);
	assert_string_equal(a->mail_language, b->mail_language);
	assert_string_equal(a->mail_templates, b->mail_templates);
	assert_int_equal(a->mail_per_minute, b->mail_per_minute);
}

/* conf_write_default() into a new string. */
static char *
written_default(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	assert_non_null(fp);
	assert_int_equal(conf_write_default(fp), 0);
	assert_int_equal(fclose(fp), 0);
	return text;
}

/* Split text into lines (the array and the copy are one allocation's worth
 * of frees: lines[0] is the copy). */
static char **
split_lines(const char *text, size_t *n)
{
	char *copy = xstrdup(text);
	char **lines = NULL;
	size_t len = 0;
	for (char *s = copy; *s != '\0';) {
		char *nl = strchr(s, '\n');
		lines = xreallocarray(lines, len + 1, sizeof *lines);
		lines[len++] = s;
		if (nl == NULL)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	if (len == 0)
		free(copy);
	*n = len;
	return lines;
}

static void
free_lines(char **lines, size_t n)
{
	if (n > 0)
		free(lines[0]);
	free(lines);
}

/* "key" of a "key = value" line, or NULL for comments, blanks, sections. */
static char *
line_key(const char *line)
{
	if (*line == '\0' || *line == '#' || *line == ';' || *line == '[')
		return NULL;
	const char *eq = strchr(line, '=');
	if (eq == NULL)
		return NULL;
	char *raw = xstrndup(line, (size_t)(eq - line));
	char *k = util_trim(raw);
	free(raw);
	return k;
}

/* --- defaults and the documented file ---------------------------------------- */

static void
test_defaults(void **state)
{
	(void)state;
	struct conf *c = conf_defaults();
	assert_null(c->path);
	assert_string_equal(c->db_path, "kiosk.db");
	assert_string_equal(c->event_name, "Untitled event");
	assert_string_equal(c->event_tz, "Europe/Brussels");
	assert_string_equal(c->event_tag, "");
	assert_string_equal(c->kiosk_name, "");
	assert_string_equal(c->language, "en");
	assert_string_equal(c->admin_pin_hash, "");
	assert_int_equal(c->mode, CONF_MODE_ENTRY);
	assert_int_equal(c->result_seconds, 4);
	assert_true(c->sound);
	assert_true(c->fullscreen);
	assert_list(c->show_fields, c->n_show_fields, NULL, 0);
	assert_false(c->reentry);
	assert_list(c->admit_types, c->n_admit_types, NULL, 0);
	assert_string_equal(c->open_from, "");
	assert_string_equal(c->open_until, "");
	assert_string_equal(c->hub_url, "");
	assert_string_equal(c->hub_token, "");
	assert_int_equal(c->sync_seconds, 5);
	assert_int_equal(c->scanner_gap_ms, 30);
	assert_int_equal(c->scanner_min_length, 6);
	assert_string_equal(c->camera_device, "");
	assert_int_equal(c->camera_width, 640);
	assert_int_equal(c->camera_height, 480);
	assert_string_equal(c->badge_layout, "a4-2x4");
	assert_string_equal(c->badge_printer, "");
	assert_false(c->print_walkins);
	assert_false(c->print_checkins);
	assert_string_equal(c->event_date, "");
	assert_string_equal(c->event_place, "");
	assert_string_equal(c->mail_smtp, "");
	assert_string_equal(c->mail_username, "");
	assert_string_equal(c->mail_password, "");
	assert_string_equal(c->mail_cafile, "");
	assert_string_equal(c->mail_from, "");
	assert_string_equal(c->mail_language, "en");
	assert_string_equal(c->mail_templates, "");
	assert_int_equal(c->mail_per_minute, 60);
	conf_free(c);
	conf_free(NULL);
}

static void
test_empty_text_is_defaults(void **state)
{
	(void)state;
	struct conf *d = conf_defaults();
	struct conf *c = load_ok("");
	assert_conf_equal(c, d);
	assert_string_equal(c->path, "kiosk.conf");
	conf_free(c);
	c = load_ok("# only a comment\n\n[hub]\n");
	assert_conf_equal(c, d);
	conf_free(c);
	conf_free(d);
}

static void
test_write_default_parses_back(void **state)
{
	(void)state;
	char *text = written_default();
	struct conf *d = conf_defaults();
	struct conf *c = load_ok(text);
	assert_conf_equal(c, d);
	conf_free(c);
	conf_free(d);
	free(text);
}

/* Every key line has comment lines right above it, and the "Value:" line
 * uses the same words as the error messages. */
static void
test_write_default_documents_every_key(void **state)
{
	(void)state;
	char *text = written_default();
	size_t n, keys = 0;
	char **lines = split_lines(text, &n);

	assert_true(n > 0);
	assert_memory_equal(lines[0], "# ", 2);
	for (size_t i = 0; i < n; i++) {
		char *k = line_key(lines[i]);
		if (k == NULL)
			continue;
		keys++;
		assert_true(i > 0);
		assert_memory_equal(lines[i - 1], "# ", 2);
		free(k);
	}
	assert_int_equal(keys, CONF_KEYS);
	assert_non_null(strstr(text,
	    "# Value: a whole number from 1 to 60.\nresult_seconds = 4\n"));
	assert_non_null(strstr(text, "# Value: en, nl, fr or de.\nlanguage = en\n"));
	assert_non_null(strstr(text, "# Value: yes or no.\nreentry = no\n"));
	assert_non_null(strstr(text, "`kiosk pin`"));
	assert_non_null(strstr(text, "`kiosk join`"));
	free_lines(lines, n);
	free(text);
}

static void
test_write_default_reports_write_error(void **state)
{
	(void)state;
	FILE *fp = fopen("/dev/full", "w");
	if (fp == NULL)
		skip();
	assert_int_equal(conf_write_default(fp), -1);
	fclose(fp);

	/* The whole file fits in the buffer: the error only shows at the flush. */
	static char big[1 << 16];
	fp = fopen("/dev/full", "w");
	assert_non_null(fp);
	assert_int_equal(setvbuf(fp, big, _IOFBF, sizeof big), 0);
	assert_int_equal(conf_write_default(fp), -1);
	fclose(fp);
}

/* The repository's kiosk.conf is conf_write_default() with the demo event
 * filled in: same lines, same comments, every key of the table, and only
 * the demo values differ. */
static void
test_repo_kiosk_conf_matches_table(void **state)
{
	(void)state;
	static const char *const demo[][2] = {
		{ "[event]", "name" }, { "[event]", "timezone" }, { "[event]", "tag" },
		{ "[event]", "database" }, { "[event]", "date" }, { "[event]", "place" },
		{ "[kiosk]", "name" },
	};
	char *path = repo_path("kiosk.conf");
	char *mine = NULL, *cause = NULL;
	size_t len, n_def, n_repo;

	if (util_read_file(path, 1 << 20, &mine, &len, &cause) != 0)
		fail_msg("%s", cause);
	char *def = written_default();
	char **d = split_lines(def, &n_def);
	char **r = split_lines(mine, &n_repo);
	assert_int_equal(n_repo, n_def);

	const char *section = "";
	size_t keys = 0;
	for (size_t i = 0; i < n_def; i++) {
		if (d[i][0] == '[')
			section = d[i];
		char *dk = line_key(d[i]);
		if (dk != NULL)
			keys++;
		if (strcmp(d[i], r[i]) != 0) {
			char *rk = line_key(r[i]);
			if (dk == NULL || rk == NULL || strcmp(dk, rk) != 0)
				fail_msg("kiosk.conf:%zu differs from conf_write_default():\n"
				    "  have: %s\n  want: %s", i + 1, r[i], d[i]);
			bool allowed = false;
			for (size_t j = 0; j < sizeof demo / sizeof demo[0]; j++)
				if (strcmp(demo[j][0], section) == 0 && strcmp(demo[j][1], dk) == 0)
					allowed = true;
			if (!allowed)
				fail_msg("kiosk.conf:%zu: %s %s is not a demo value", i + 1,
				    section, dk);
			free(rk);
		}
		free(dk);
	}
	assert_int_equal(keys, CONF_KEYS);

	struct conf *c = NULL;
	if (conf_load(path, &c, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(c->event_name, "Social Media Day Antwerp 2026");
	assert_string_equal(c->event_tz, "Europe/Brussels");
	assert_string_equal(c->event_tag, "SMD26");
	assert_string_equal(c->kiosk_name, "Door 1");
	char *db = repo_path("kiosk.db");
	assert_string_equal(c->db_path, db);
	free(db);
	conf_free(c);
	free_lines(d, n_def);
	free_lines(r, n_repo);
	free(def);
	free(mine);
	free(path);
}

/* --- value types -------------------------------------------------------------- */

static void
test_bool_values(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool value;
	} good[] = {
		{ "yes", true }, { "no", false }, { "true", true }, { "false", false },
		{ "on", true }, { "off", false }, { "1", true }, { "0", false },
		{ "YES", true }, { "Off", false },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct conf *c = load_one("checkin", "reentry", good[i].text);
		assert_int_equal(c->reentry, good[i].value);
		conf_free(c);
		c = load_one("kiosk", "sound", good[i].text);
		assert_int_equal(c->sound, good[i].value);
		conf_free(c);
	}
	expect_err("[event]\nname = x\n\n[checkin]\n\n\nreentry = maybe\n",
	    "kiosk.conf:7: [checkin] reentry: expected yes or no, got 'maybe'");
	expect_bad_value("kiosk", "sound", "y", "expected yes or no, got 'y'");
	expect_bad_value("kiosk", "fullscreen", "2", "expected yes or no, got '2'");
	/* A kiosk.conf saved as Latin-1: the name would reach the hub as
	 * bytes JSON cannot carry. */
	expect_bad_value("kiosk", "name", "Entr\xe9" "e", "not valid UTF-8 (save kiosk.conf as UTF-8)");
	struct conf *ok = load_one("kiosk", "name", "Entr\xc3\xa9" "e");
	assert_string_equal(ok->kiosk_name, "Entrée");
	conf_free(ok);
	/* The name is on the door's screen and in every record it makes: one
	 * line, at most 63 bytes (a cut one broke the "already checked in at"). */
	char long64[65];
	memset(long64, 'D', 64);
	long64[64] = '\0';
	char *want = xasprintf("expected a name on one line, at most 63 bytes, or nothing, got"
	    " '%s'", long64);
	expect_bad_value("kiosk", "name", long64, want);
	free(want);
	expect_bad_value("kiosk", "name", "Door\x7f", "expected a name on one line, at most 63"
	    " bytes, or nothing, got 'Door\x7f'");
	ok = load_one("kiosk", "name", long64 + 1);
	assert_string_equal(ok->kiosk_name, long64 + 1);
	conf_free(ok);
	expect_bad_value("badge", "print_walkins", "", "expected yes or no, got ''");
	/* A layout badges do not have: said by 'kiosk config --check' with its
	 * line, not first by 'kiosk badges' or at the door's first walk-in. */
	expect_bad_value("badge", "layout", "a4-3x8",
	    "expected a4-2x4, a4-2x5, card or roll-62, got 'a4-3x8'");
}

static void
test_int_values(void **state)
{
	(void)state;
	struct conf *c = load_ok("[kiosk]\nresult_seconds = 1\n[sync]\nevery_seconds = 3600\n"
	    "[scanner]\nmax_gap_ms = +12\nmin_length = 256\n[camera]\nwidth = 1920\n"
	    "height = 1080\n");
	assert_int_equal(c->result_seconds, 1);
	assert_int_equal(c->sync_seconds, 3600);
	assert_int_equal(c->scanner_gap_ms, 12);
	assert_int_equal(c->scanner_min_length, 256);
	assert_int_equal(c->camera_width, 1920);
	assert_int_equal(c->camera_height, 1080);
	conf_free(c);
	c = load_one("kiosk", "result_seconds", "60");
	assert_int_equal(c->result_seconds, 60);
	conf_free(c);

	expect_err("[kiosk]\nsound = yes\nresult_seconds = 0\n",
	    "kiosk.conf:3: [kiosk] result_seconds: expected a whole number from 1 to 60, got '0'");
	static const char *const bad[] = {
		"61", "-1", "4s", "4.5", "", "four", "99999999999999999999", "0x10", "+",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want = xasprintf("expected a whole number from 1 to 60, got '%s'", bad[i]);
		expect_bad_value("kiosk", "result_seconds", bad[i], want);
		free(want);
	}
	expect_bad_value("sync", "every_seconds", "3601",
	    "expected a whole number from 1 to 3600, got '3601'");
	expect_bad_value("scanner", "min_length", "0",
	    "expected a whole number from 1 to 256, got '0'");
}

static void
test_enum_values(void **state)
{
	(void)state;
	static const char *const langs[] = { "en", "nl", "fr", "de" };
	for (size_t i = 0; i < 4; i++) {
		struct conf *c = load_one("kiosk", "language", langs[i]);
		assert_string_equal(c->language, langs[i]);
		conf_free(c);
	}
	struct conf *c = load_one("kiosk", "language", "NL");
	assert_string_equal(c->language, "nl");
	conf_free(c);
	c = load_one("kiosk", "mode", "entry");
	assert_int_equal(c->mode, CONF_MODE_ENTRY);
	conf_free(c);
	c = load_ok("[kiosk]\nmode = Exit\n[checkin]\nreentry = yes\n");
	assert_int_equal(c->mode, CONF_MODE_EXIT);
	conf_free(c);

	expect_bad_value("kiosk", "language", "es", "expected en, nl, fr or de, got 'es'");
	/* a locale, or the language's name: the code meant is named */
	expect_bad_value("kiosk", "language", "english",
	    "expected en, nl, fr or de, got 'english'; did you mean en?");
	expect_bad_value("kiosk", "language", "nl_BE",
	    "expected en, nl, fr or de, got 'nl_BE'; did you mean nl?");
	expect_bad_value("kiosk", "language", "fr-BE",
	    "expected en, nl, fr or de, got 'fr-BE'; did you mean fr?");
	expect_bad_value("kiosk", "language", "de_DE.UTF-8",
	    "expected en, nl, fr or de, got 'de_DE.UTF-8'; did you mean de?");
	expect_bad_value("kiosk", "language", "Nederlands",
	    "expected en, nl, fr or de, got 'Nederlands'; did you mean nl?");
	expect_bad_value("mail", "language", "Fran\xc3\xa7" "ais",
	    "expected en, nl, fr or de, got 'Fran\xc3\xa7" "ais'; did you mean fr?");
	expect_bad_value("kiosk", "language", "es_ES", "expected en, nl, fr or de, got 'es_ES'");
	/* a scanner's manual says Enter, or CR */
	expect_bad_value("scanner", "suffix", "Enter",
	    "expected return, tab or none, got 'Enter'; did you mean return? (the Enter key)");
	expect_bad_value("scanner", "suffix", "CR",
	    "expected return, tab or none, got 'CR'; did you mean return? (the Enter key)");
	expect_bad_value("scanner", "suffix", "space", "expected return, tab or none, got 'space'");
	/* capitals are fine as they are */
	struct conf *nl = load_one("kiosk", "language", "NL");
	assert_string_equal(nl->language, "nl");
	conf_free(nl);
	expect_bad_value("kiosk", "mode", "in", "expected entry or exit, got 'in'");
	expect_bad_value("kiosk", "mode", "", "expected entry or exit, got ''");
}

/* What kiosk pin writes (PIN 1234). */
#define GOOD_HASH "$argon2id$v=19$m=65536,t=2,p=1$NY1twlSHQXgHnOpb3s3q6Q$" \
	"NsLNLyxN8LDUcqPAPbDEf7We6aXFrXwRk8O9yvv4Hvo"

/* A PIN written where its hash goes, or a hash cut short, is refused by
 * its line: the admin menu would never open, and a full-screen door could
 * not be quit. */
static void
test_pin_hash_values(void **state)
{
	(void)state;
	conf_free(load_one("kiosk", "admin_pin_hash", GOOD_HASH));
	conf_free(load_one("kiosk", "admin_pin_hash", ""));
	static const char *const bad[] = {
		"1234",
		"$argon2id$v=19$m=65536,t=2,p=1$NY1twlSHQXgHnOpb3s3q6Q$NsLNLyxN8LDUcqPAPbDEf7We6aX",
		"$argon2id$v=19$m=65536,t=2,p=1$NY1twlSHQXgHnOpb3s3q6Q",
		"$argon2i$v=19$m=65536,t=2,p=1$NY1twlSHQXgHnOpb3s3q6Q$"
		    "NsLNLyxN8LDUcqPAPbDEf7We6aXFrXwRk8O9yvv4Hvo",
		"$argon2id$v=19$m=65536,p=1$NY1twlSHQXgHnOpb3s3q6Q$"
		    "NsLNLyxN8LDUcqPAPbDEf7We6aXFrXwRk8O9yvv4Hvo",
		GOOD_HASH "x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *text = xasprintf("[kiosk]\nadmin_pin_hash = %s\n", bad[i]);
		expect_err(text, "kiosk.conf:2: [kiosk] admin_pin_hash is not a hash kiosk pin "
		    "wrote (cut short, or a PIN put in its place), and no PIN would open the admin "
		    "menu: run kiosk pin to set the PIN again, or leave it empty");
		free(text);
	}
	/* and the hash kiosk pin makes is one */
	char *hash = NULL;
	assert_int_equal(secret_hash("2468", &hash, NULL), 0);
	assert_true(secret_is_hash(hash));
	assert_true(secret_verify(hash, "2468"));
	free(hash);
}

static void
test_string_values(void **state)
{
	(void)state;
	struct conf *c = load_ok("[kiosk]\nname = \"Door 1\"\nadmin_pin_hash = " GOOD_HASH "\n"
	    "[event]\nname = Rock ; a comment after white space\n"
	    "[badge]\nprinter = Brother #2\n[sync]\ntoken =\n");
	assert_string_equal(c->kiosk_name, "Door 1");
	assert_string_equal(c->admin_pin_hash, GOOD_HASH);
	assert_string_equal(c->event_name, "Rock");
	assert_string_equal(c->badge_printer, "Brother #2");
	assert_string_equal(c->hub_token, "");
	conf_free(c);
}

/* The hub's and the mail server's addresses are checked where they are
 * written: "smtp.gmail.com" said nothing until `kiosk mail` refused it, and
 * a hub address without http:// left the door syncing with nobody. A
 * password put in one is not repeated in the message. */
static void
test_address_values(void **state)
{
	(void)state;
	static const char *const good[][3] = {
		{ "sync", "hub", "http://192.168.1.10:8080" },
		{ "sync", "hub", "https://hub.example.org" },
		{ "sync", "hub", "http://[fe80::1]:8080/" },
		{ "mail", "smtp", "smtps://mail.example.org:465" },
		{ "mail", "smtp", "SMTP://localhost:25" },
		{ "mail", "smtp", "" },
		{ "sync", "hub", "http://hub:65535" },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		conf_free(load_one(good[i][0], good[i][1], good[i][2]));
		assert_true(conf_address_ok(good[i][0], good[i][1], good[i][2]) ||
		    good[i][2][0] == '\0');
	}
	const char *hub = "expected an address http://HOST[:PORT] or https://HOST[:PORT] (no "
	    "user name or password in it), or nothing, got ";
	const char *smtp = "expected an address smtps://HOST[:PORT] or smtp://HOST[:PORT] (no "
	    "user name or password in it), or nothing, got ";
	static const char *const bad[][4] = {
		/* written without http://, or with it mistyped: the address meant */
		{ "sync", "hub", "192.168.1.10:8080", "'192.168.1.10:8080'; did you mean "
		    "http://192.168.1.10:8080?" },
		{ "sync", "hub", "hub.local", "'hub.local'; did you mean http://hub.local?" },
		{ "sync", "hub", "http//10.0.0.2:8080", "'http//10.0.0.2:8080'; did you mean "
		    "http://10.0.0.2:8080?" },
		{ "sync", "hub", "https:/hub:8443", "'https:/hub:8443'; did you mean "
		    "https://hub:8443?" },
		/* in quotes, as the address is read when it is right */
		{ "sync", "hub", "\"192.168.1.10:8080\"", "'\"192.168.1.10:8080\"'; did you mean "
		    "http://192.168.1.10:8080?" },
		{ "mail", "smtp", "'smtp.gmail.com'", "''smtp.gmail.com''; did you mean "
		    "smtps://smtp.gmail.com?" },
		{ "sync", "hub", "\"kiosk:s3cret@hub:8080\"", "'***@hub:8080\"'" },
		/* never one with the password put back, nor one that is no address */
		{ "sync", "hub", "kiosk:s3cret@hub:8080", "'***@hub:8080'" },
		{ "sync", "hub", "hub:99999", "'hub:99999'" },
		{ "sync", "hub", "ftp://hub", "'ftp://hub'" },
		{ "sync", "hub", "http://", "'http://'" },
		{ "sync", "hub", "http://hub:99999", "'http://hub:99999'" },
		{ "sync", "hub", "http://hub:0", "'http://hub:0'" },
		{ "sync", "hub", "http://[]:8080", "'http://[]:8080'" },
		{ "sync", "hub", "http://door hub:8080", "'http://door hub:8080'" },
		{ "sync", "hub", "http://kiosk:s3cret@hub:8080", "'http://***@hub:8080'" },
		{ "sync", "hub", "http://kiosk@hub:8080", "'http://***@hub:8080'" },
		{ "mail", "smtp", "smtp.gmail.com", "'smtp.gmail.com'; did you mean "
		    "smtps://smtp.gmail.com?" },
		{ "mail", "smtp", "smtp://localhost:", "'smtp://localhost:'" },
		{ "mail", "smtp", "smtp://bot:s3cret@mail.example.org", "'smtp://***@mail.example.org'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want = xasprintf("%s%s", strcmp(bad[i][0], "sync") == 0 ? hub : smtp,
		    bad[i][3]);
		expect_bad_value(bad[i][0], bad[i][1], bad[i][2], want);
		free(want);
		assert_false(conf_address_ok(bad[i][0], bad[i][1], bad[i][2]));
	}
	assert_false(conf_address_ok("kiosk", "name", "http://x"));
}

/* A listen address kiosk hub and a door serving would refuse is refused
 * at load, by its line: config --check no longer says ok to it. Empty is
 * the default, as the hub reads it. */
static void
test_hub_values(void **state)
{
	(void)state;
	static const char *const good[] = { "0.0.0.0:8080", "8080", ":0", "localhost:80",
	    "*:443", "192.168.1.10:8080", "\"127.0.0.1:9\"", "" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		conf_free(load_one("hub", "listen", good[i]));
	static const char *const bad[] = { "0.0.0.0:99999", "nonsense", "hub.local:8080",
	    "0.0.0.0:", "0.0.0.0:80x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want = xasprintf("expected ADDR:PORT, PORT or :PORT with a port from 0 to "
		    "65535, such as 0.0.0.0:8080, got '%s'", bad[i]);
		expect_bad_value("hub", "listen", bad[i], want);
		free(want);
	}
	/* A certificate without its key is kiosk hub's to refuse, when it
	 * serves (a door that never serves is not stopped by it). */
	struct conf *c = load_ok("[hub]\ntls_cert = hub.pem\n");
	assert_string_equal(c->hub_tls_cert, "hub.pem");
	conf_free(c);
}

static void
test_list_values(void **state)
{
	(void)state;
	static const char *const fields[] = { "T-shirt size", "Dietary needs" };
	static const char *const types[] = { "Speaker", "VIP", "Crew" };
	struct conf *c = load_ok("[kiosk]\nshow_fields =   T-shirt size ,Dietary needs,  \n"
	    "[checkin]\nadmit_types = Speaker,VIP, ,Crew\n");
	assert_list(c->show_fields, c->n_show_fields, fields, 2);
	assert_list(c->admit_types, c->n_admit_types, types, 3);
	conf_free(c);
	c = load_one("checkin", "admit_types", " , ,");
	assert_list(c->admit_types, c->n_admit_types, NULL, 0);
	conf_free(c);
}

static void
test_local_time_values(void **state)
{
	(void)state;
	struct conf *c = load_ok("[checkin]\nopen_from = 2026-05-21 08:00\n"
	    "open_until = 2026-05-21 18:30\n");
	assert_string_equal(c->open_from, "2026-05-21 08:00");
	assert_string_equal(c->open_until, "2026-05-21 18:30");
	conf_free(c);
	c = load_one("checkin", "open_until", "2028-02-29 23:59");
	assert_string_equal(c->open_until, "2028-02-29 23:59");
	conf_free(c);

	static const char *const bad[] = {
		"2026-05-21", "2026-05-21 8:00", "2026-05-21T08:00", "21-05-2026 08:00",
		"2026-02-29 10:00", "2026-13-01 10:00", "2026-05-21 24:00",
		"2026-05-21 08:60", "2026-05-21 08:00:00", "tomorrow",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want = xasprintf("expected a time written YYYY-MM-DD HH:MM, or HH:MM for "
		    "every day, or nothing, "
		    "got '%s'", bad[i]);
		expect_bad_value("checkin", "open_from", bad[i], want);
		free(want);
	}
}

/* [checkin] ticket_days: "TYPE: YYYY-MM-DD" items; a mistyped one (no
 * colon, a day that does not exist) is said with its line, as the door
 * would else let a Day 2 ticket in on day 1 without a word. */
static void
test_ticket_days_values(void **state)
{
	(void)state;
	struct conf *c = load_one("checkin", "ticket_days",
	    "Day 1: 2026-10-24, Day 2:2026-10-25 , Weekend pass : 2026-10-24");
	static const char *const want[] = { "Day 1: 2026-10-24", "Day 2:2026-10-25",
	    "Weekend pass : 2026-10-24" };
	assert_list(c->ticket_days, c->n_ticket_days, want, 3);
	size_t n;
	int day;
	assert_int_equal(conf_ticket_day(c->ticket_days[2], &n, &day), 0);
	assert_int_equal(n, strlen("Weekend pass"));
	assert_int_equal(day, 20261024);
	conf_free(c);
	c = load_ok("[checkin]\n");
	assert_int_equal(c->n_ticket_days, 0);
	conf_free(c);

	static const char *const bad[] = {
		"Day 1 2026-10-24", ": 2026-10-24", "Day 1: 2026-02-29", "Day 1: 24-10-2026",
		"Day 1: 2026-10-24 08:00", "Day 1:",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want_msg = xasprintf("'%s' is not a ticket type, a colon and a date "
		    "YYYY-MM-DD (e.g. Day 1: 2026-06-30)", bad[i]);
		expect_bad_value("checkin", "ticket_days", bad[i], want_msg);
		free(want_msg);
	}
}

static void
test_parse_local_time(void **state)
{
	(void)state;
	int y = 0, mo = 0, d = 0, h = 0, mi = 0;
	assert_int_equal(conf_parse_local_time("2026-05-21 08:30", &y, &mo, &d, &h, &mi), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(mo, 5);
	assert_int_equal(d, 21);
	assert_int_equal(h, 8);
	assert_int_equal(mi, 30);
	assert_int_equal(conf_parse_local_time("2000-02-29 00:00", &y, &mo, &d, &h, &mi), 0);
	assert_int_equal(conf_parse_local_time("2024-12-31 23:59", &y, &mo, &d, &h, &mi), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(mi, 59);

	y = -7;
	assert_int_equal(conf_parse_local_time("2100-02-29 10:00", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(y, -7);  /* written only on success */
	assert_int_equal(conf_parse_local_time("2026-04-31 10:00", &y, &mo, &d, &h, &mi), -1);
	/* a leap year has a 29 February, not a 31 April */
	assert_int_equal(conf_parse_local_time("2028-02-29 10:00", &y, &mo, &d, &h, &mi), 0);
	y = -7;
	assert_int_equal(conf_parse_local_time("2028-02-30 10:00", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time("2028-04-31 10:00", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time("2028-06-31 10:00", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time("2026-00-10 10:00", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time("2026-05-00 10:00", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time("2026-05-21 08:30 ", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time("2026/05/21 08:30", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time("", &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(conf_parse_local_time(NULL, &y, &mo, &d, &h, &mi), -1);
	assert_int_equal(y, -7);
}

static void
test_timezone_values(void **state)
{
	(void)state;
	static const char *const good[] = {
		"Europe/Brussels", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+1",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct conf *c = load_one("event", "timezone", good[i]);
		assert_string_equal(c->event_tz, good[i]);
		conf_free(c);
	}
	expect_err("[event]\nname = x\ntimezone = Europe/Antwerpen\n",
	    "kiosk.conf:3: [event] timezone: unknown time zone 'Europe/Antwerpen'");
	/* Notepad's capitals gone, or the city alone: the zone meant is named */
	expect_bad_value("event", "timezone", "Europe/brussels",
	    "unknown time zone 'Europe/brussels'; did you mean Europe/Brussels?");
	expect_bad_value("event", "timezone", "Brussels",
	    "unknown time zone 'Brussels'; did you mean Europe/Brussels?");
	expect_bad_value("event", "timezone", "utc", "unknown time zone 'utc'; did you mean UTC?");
	/* a folder, not a zone */
	expect_bad_value("event", "timezone", "Europe",
	    "unknown time zone 'Europe' (a name like Europe/Brussels)");
	/* one hint, never two: a name like none says what a name is like */
	expect_bad_value("event", "timezone", "CET+1",
	    "unknown time zone 'CET+1' (a name like Europe/Brussels)");
	static const char *const bad[] = {
		"", "../../../etc/passwd", "Europe/../UTC", "/usr/share/zoneinfo/UTC",
		"Europe//Brussels", "Europe/Brussels/", "./UTC", "Europe/Brus sels",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want = xasprintf("expected a time zone name like Europe/Brussels, "
		    "got '%s'", bad[i]);
		expect_bad_value("event", "timezone", bad[i], want);
		free(want);
	}
}

/* With TZDIR set the check looks there, as glibc does: a file that is not a
 * compiled zone is refused, and a missing folder says to install tzdata. */
static void
test_timezone_checks_zone_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_conf_tz.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *sub = xasprintf("%s/Test", dir);
	char *zone = xasprintf("%s/Test/Zone", dir);
	char *tab = xasprintf("%s/zone.tab", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	FILE *fp = fopen(zone, "w");
	assert_non_null(fp);
	fputs("TZif2 and the rest of a zone", fp);
	fclose(fp);
	fp = fopen(tab, "w");
	assert_non_null(fp);
	fputs("# not a zone\n", fp);
	fclose(fp);

	const char *old = getenv("TZDIR");
	char *saved = old ? xstrdup(old) : NULL;
	setenv("TZDIR", dir, 1);
	struct conf *c = load_one("event", "timezone", "Test/Zone");
	assert_string_equal(c->event_tz, "Test/Zone");
	conf_free(c);
	expect_bad_value("event", "timezone", "zone.tab",
	    "unknown time zone 'zone.tab' (a name like Europe/Brussels)");
	expect_bad_value("event", "timezone", "Europe/Brussels",
	    "unknown time zone 'Europe/Brussels'");
	/* a zone there in other case, or without its region, is named */
	expect_bad_value("event", "timezone", "test/zone",
	    "unknown time zone 'test/zone'; did you mean Test/Zone?");
	expect_bad_value("event", "timezone", "ZONE",
	    "unknown time zone 'ZONE'; did you mean Test/Zone?");
	expect_bad_value("event", "timezone", "Test/Zones", "unknown time zone 'Test/Zones'");

	char *gone = xasprintf("%s/nothing-here", dir);
	setenv("TZDIR", gone, 1);
	char *want = xasprintf("cannot check time zone 'UTC': %s: No such file or "
	    "directory (install tzdata)", gone);
	expect_bad_value("event", "timezone", "UTC", want);
	/* The defaults never look at the disk. */
	struct conf *d = conf_defaults();
	assert_string_equal(d->event_tz, "Europe/Brussels");
	conf_free(d);

	if (saved != NULL)
		setenv("TZDIR", saved, 1);
	else
		unsetenv("TZDIR");
	unlink(zone);
	unlink(tab);
	rmdir(sub);
	rmdir(dir);
	free(want);
	free(gone);
	free(saved);
	free(tab);
	free(zone);
	free(sub);
}

static void
test_tag_values(void **state)
{
	(void)state;
	struct conf *c = load_one("event", "tag", "smd26");
	assert_string_equal(c->event_tag, "SMD26");
	conf_free(c);
	c = load_one("event", "tag", "AB");
	assert_string_equal(c->event_tag, "AB");
	conf_free(c);
	static const char *const bad[] = { "S", "TOOLONGTAG", "SMD-26", "SMD 26", "ÉTÉ26" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want = xasprintf("expected 2 to 8 letters A-Z or digits, or nothing, "
		    "got '%s'", bad[i]);
		expect_bad_value("event", "tag", bad[i], want);
		free(want);
	}
}

static void
test_path_resolved_against_folder(void **state)
{
	(void)state;
	struct conf *c = NULL;
	char *cause = NULL;

	assert_int_equal(conf_load_string("[event]\ndatabase = data/door.db\n",
	    "/srv/door/kiosk.conf", "/srv/door", &c, &cause), 0);
	assert_string_equal(c->db_path, "/srv/door/data/door.db");
	assert_string_equal(c->path, "/srv/door/kiosk.conf");
	conf_free(c);

	assert_int_equal(conf_load_string("[event]\ndatabase = /var/lib/kiosk/e.db\n",
	    "k.conf", "/srv/door", &c, &cause), 0);
	assert_string_equal(c->db_path, "/var/lib/kiosk/e.db");
	conf_free(c);

	/* the default is relative too */
	assert_int_equal(conf_load_string("", "k.conf", "/srv/door/", &c, &cause), 0);
	assert_string_equal(c->db_path, "/srv/door/kiosk.db");
	conf_free(c);
	assert_int_equal(conf_load_string("", "k.conf", "/", &c, &cause), 0);
	assert_string_equal(c->db_path, "/kiosk.db");
	conf_free(c);

	/* ~ is no shell's: a home folder it does not mean is said, not made */
	assert_int_equal(conf_load_string("[event]\ndatabase = ~/events/smd.db\n",
	    "k.conf", "/srv/door", &c, &cause), -1);
	assert_string_equal(cause, "k.conf:2: [event] database: '~/events/smd.db': ~ is not "
	    "your home folder here (no shell reads kiosk.conf): write the whole path, from /");
	free(cause);
	cause = NULL;

	/* no folder: the current one; quotes come off */
	assert_int_equal(conf_load_string("[event]\ndatabase = \"my event.db\"\n",
	    "k.conf", NULL, &c, &cause), 0);
	assert_string_equal(c->db_path, "my event.db");
	conf_free(c);
	/* single quotes too, as a shell would want a path with a space */
	assert_int_equal(conf_load_string("[event]\ndatabase = 'My Events/smd.db'\n",
	    "k.conf", "/srv/door", &c, &cause), 0);
	assert_string_equal(c->db_path, "/srv/door/My Events/smd.db");
	conf_free(c);
	/* a path copied from Windows would be a file of that odd name here */
	expect_bad_value("event", "database", "C:\\Users\\Jan\\Documents\\smd.db",
	    "'C:\\Users\\Jan\\Documents\\smd.db' is a Windows path: write where the file is on "
	    "this computer, with / (such as /media/usb/event.db), or its name alone when it is "
	    "beside kiosk.conf");
	expect_bad_value("mail", "templates", "\\\\nas\\events\\mails",
	    "'\\\\nas\\events\\mails' is a Windows path: write where the file is on this "
	    "computer, with / (such as /media/usb/event.db), or its name alone when it is "
	    "beside kiosk.conf");
	/* a device path is kept as given */
	assert_int_equal(conf_load_string("[camera]\ndevice = video0\n",
	    "k.conf", "/srv/door", &c, &cause), 0);
	assert_string_equal(c->camera_device, "video0");
	conf_free(c);
	assert_null(cause);

	expect_bad_value("event", "database", "", "expected a file name, got ''");
}

/* --- structure errors ---------------------------------------------------------- */

static void
test_unknown_section(void **state)
{
	(void)state;
	expect_err("[event]\nname = x\n[snyc]\nhub = http://hub\n",
	    "kiosk.conf:3: unknown section [snyc]; sections: event, kiosk, checkin, sync, "
	    "hub, scanner, camera, badge, mail");
	/* even with nothing in it */
	expect_err("[event]\n\n\n[Event]\n",
	    "kiosk.conf:4: unknown section [Event]; did you mean [event]? (names are in small "
	    "letters)");
	expect_err("[sync\nhub = x\n", "kiosk.conf:1: expected ']' to close the section name");
	/* on the first line of a file saved with a BOM (Notepad) too */
	expect_err("\xEF\xBB\xBF[evnt]\nname = x\n",
	    "kiosk.conf:1: unknown section [evnt]; sections: event, kiosk, checkin, sync, "
	    "hub, scanner, camera, badge, mail");
	struct conf *c = load_ok("[ sync ]\nhub = http://hub\n");
	assert_string_equal(c->hub_url, "http://hub");
	conf_free(c);
}

static void
test_unknown_key(void **state)
{
	(void)state;
	expect_err("# door 1\n\n[event]\nname = x\n\n[sync]\n\n\n\n\n\nhub_ulr = http://hub\n",
	    "kiosk.conf:12: unknown key 'hub_ulr' in [sync]; keys: hub, token, cafile, "
	    "every_seconds");
	expect_err("[kiosk]\nreentry = yes\n",
	    "kiosk.conf:2: unknown key 'reentry' in [kiosk]; it belongs in [checkin]");
	/* a typo: one or two letters swapped, missing, extra or wrong */
	expect_err("[kiosk]\nlangauge = nl\n",
	    "kiosk.conf:2: unknown key 'langauge' in [kiosk]; did you mean language?");
	expect_err("[kiosk]\nresult_secs = 4\n",
	    "kiosk.conf:2: unknown key 'result_secs' in [kiosk]; keys: name, language, "
	    "admin_pin_hash, staff_pin, mode, result_seconds, sound, fullscreen, show_fields");
	expect_err("[sync]\nevry_second = 5\n",
	    "kiosk.conf:2: unknown key 'evry_second' in [sync]; did you mean every_seconds?");
	expect_err("[kiosk]\nName = Door 1\n",
	    "kiosk.conf:2: unknown key 'Name' in [kiosk]; did you mean name? (names are in "
	    "small letters)");
	/* a key of another section in capitals is still said to belong there */
	expect_err("[kiosk]\nReentry = yes\n",
	    "kiosk.conf:2: unknown key 'Reentry' in [kiosk]; it belongs in [checkin], as "
	    "reentry (names are in small letters)");
	expect_err("\nname = x\n[event]\n",
	    "kiosk.conf:2: 'name' comes before any [section]; it belongs in [event] or [kiosk]");
	expect_err("colour = red\n",
	    "kiosk.conf:1: 'colour' comes before any [section]; sections: event, kiosk, "
	    "checkin, sync, hub, scanner, camera, badge, mail");
	/* What the first versions wrote: the key's name now. */
	expect_err("[hub]\nurl = http://hub:8080\n",
	    "kiosk.conf:2: unknown key 'url' in [hub]; it is now 'hub' in [sync] (an older "
	    "kiosk's name for it)");
	expect_err("[hub]\nsync_seconds = 5\n",
	    "kiosk.conf:2: unknown key 'sync_seconds' in [hub]; it is now 'every_seconds' in "
	    "[sync] (an older kiosk's name for it)");
}

static void
test_repeated_key(void **state)
{
	(void)state;
	expect_err("[sync]\nhub = http://a\ntoken = t\nhub = http://b\n",
	    "kiosk.conf:4: [sync] hub is set twice (first on line 2)");
	expect_err("[sync]\nhub = http://a\n[kiosk]\nname = k\n[sync]\nhub = http://b\n",
	    "kiosk.conf:6: [sync] hub is set twice (first on line 2)");
	/* the same key name in two sections is two keys */
	struct conf *c = load_ok("[event]\nname = E\n[kiosk]\nname = K\n");
	assert_string_equal(c->event_name, "E");
	assert_string_equal(c->kiosk_name, "K");
	conf_free(c);
}

/* The command that lists every error checks the file that has them: a
 * kiosk.conf named by --config is not the ./kiosk.conf (or the built-in
 * defaults, "ok") that a bare kiosk config --check reads. */
static void
test_more_errors_name_the_file(void **state)
{
	(void)state;
	static const char *const text = "[kiosk]\nsound\nresult_seconds = 0\n";
	static const struct { const char *name, *want; } cases[] = {
		{ "kiosk.conf", "kiosk config --check lists them all)" },
		{ "./kiosk.conf", "kiosk config --check lists them all)" },
		{ "typos.conf", "kiosk config --check --config typos.conf lists them all)" },
		{ "/etc/kiosk/door-1.conf",
		  "kiosk config --check --config /etc/kiosk/door-1.conf lists them all)" },
		{ "/media/usb/Door 2/kiosk.conf",
		  "kiosk config --check --config '/media/usb/Door 2/kiosk.conf' lists them all)" },
		{ "it's.conf", "kiosk config --check --config 'it'\\''s.conf' lists them all)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct conf *c = &untouched;
		char *cause = NULL;
		assert_int_equal(conf_load_string(text, cases[i].name, NULL, &c, &cause), -1);
		assert_non_null(cause);
		const char *tail = strstr(cause, "(and 1 more error: ");
		if (tail == NULL || strcmp(tail + strlen("(and 1 more error: "), cases[i].want) != 0)
			fail_msg("%s: got \"%s\"", cases[i].name, cause);
		free(cause);
	}
}

static void
test_line_without_equals(void **state)
{
	(void)state;
	expect_err("[sync]\n# the hub\n\nhub https://hub.example.org\n",
	    "kiosk.conf:4: expected 'key = value' or '[section]', got 'hub ...'");
	/* the first error by line comes first, whichever kind it is, and
	 * the rest are counted */
	expect_err("[kiosk]\nsound\nresult_seconds = 0\n",
	    "kiosk.conf:2: expected 'key = value' or '[section]', got 'sound' (and 1 more "
	    "error: kiosk config --check lists them all)");
	expect_err("[kiosk]\nresult_seconds = 0\nsound\n",
	    "kiosk.conf:2: [kiosk] result_seconds: expected a whole number from 1 to 60, got '0' "
	    "(and 1 more error: kiosk config --check lists them all)");
	/* a secret's line is shown by its name alone: the message reaches
	 * the screen and logs */
	expect_err("[mail]\npassword S3cr3t-Pa55word\n", "kiosk.conf:2: expected 'key = value' "
	    "or '[section]', got 'password ...' (the rest not shown: a secret)");
	expect_err("[sync]\ntoken kt1_abcdef\n", "kiosk.conf:2: expected 'key = value' "
	    "or '[section]', got 'token ...' (the rest not shown: a secret)");
	/* a token wrapped onto a line of its own, and a key with a space in
	 * it: no part of them is quoted (the door's screen shows this) */
	expect_err("[sync]\ntoken =\nkt1_Qx7vB2nLp9RtYw3KzH8mJd5FsA1cE6gU4oNiVbXy0Zq\n",
	    "kiosk.conf:3: expected 'key = value' or '[section]', got a line not shown here "
	    "(it may hold a secret)");
	expect_err("[mail]\nsmtp password = hunter2\n", "kiosk.conf:2: expected 'key = value' "
	    "or '[section]', got 'smtp ...'");
	/* ':' is inih's other separator */
	struct conf *c = load_ok("[kiosk]\nname: Door 3\n");
	assert_string_equal(c->kiosk_name, "Door 3");
	conf_free(c);
}

/* Quotes come off every value, as "Values need no quotes" has people
 * write them anyway: a word, a number, a time, a zone, each item of a list. */
static void
test_quoted_values(void **state)
{
	(void)state;
	struct conf *c = load_ok("[event]\ntimezone = \"Europe/Brussels\"\ntag = 'smd26'\n"
	    "[kiosk]\nlanguage = \"nl\"\nsound = \"no\"\nresult_seconds = '5'\nmode = \"entry\"\n"
	    "show_fields = \"T-shirt size\", Diet, 'Badge name'\n"
	    "[checkin]\nopen_from = \"2026-05-21 08:30\"\n");
	assert_string_equal(c->event_tz, "Europe/Brussels");
	assert_string_equal(c->event_tag, "SMD26");
	assert_string_equal(c->language, "nl");
	assert_false(c->sound);
	assert_int_equal(c->result_seconds, 5);
	assert_int_equal(c->mode, CONF_MODE_ENTRY);
	assert_int_equal(c->n_show_fields, 3);
	assert_string_equal(c->show_fields[0], "T-shirt size");
	assert_string_equal(c->show_fields[1], "Diet");
	assert_string_equal(c->show_fields[2], "Badge name");
	assert_string_equal(c->open_from, "2026-05-21 08:30");
	conf_free(c);
	/* a value refused is shown without them, as it was read */
	expect_bad_value("kiosk", "sound", "\"loud\"", "expected yes or no, got 'loud'");
}

/* Notepad saves kiosk.conf as kiosk.conf.txt (and Explorer hides the .txt):
 * the missing file's message says what is there instead. */
static void
test_saved_as_txt(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_conf_txt.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *conf = xasprintf("%s/kiosk.conf", dir), *txt = xasprintf("%s/kiosk.conf.txt", dir);
	struct conf *c = &untouched;
	char *cause = NULL;

	assert_int_equal(conf_load(conf, &c, &cause), -1);
	char *want = xasprintf("%s: No such file or directory", conf);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	FILE *fp = fopen(txt, "w");
	assert_non_null(fp);
	fputs("[kiosk]\r\nname = Door 1\r\n", fp);
	fclose(fp);
	assert_int_equal(conf_load(conf, &c, &cause), -1);
	assert_ptr_equal(c, &untouched);
	want = xasprintf("%s: no such file, but %s.txt is there: Windows added .txt when it "
	    "was saved (Notepad does); rename it to %s", conf, conf, conf);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	unlink(txt);
	rmdir(dir);
	free(conf);
	free(txt);
}

/* What messages call the file: its path, or kiosk.conf for the defaults. */
static void
test_conf_file(void **state)
{
	(void)state;
	struct conf *c = conf_defaults();
	assert_string_equal(conf_file(c), "kiosk.conf");
	conf_free(c);
	c = NULL;
	char *cause = NULL;
	assert_int_equal(conf_load_string("", "/srv/door/kiosk.conf", NULL, &c, &cause), 0);
	assert_string_equal(conf_file(c), "/srv/door/kiosk.conf");
	conf_free(c);
}

/* Load text as "kiosk.conf" with every error, and check the messages: want
 * is NULL-terminated. */
static void
expect_errs(const char *text, const char *const *want)
{
	struct conf *c = &untouched;
	struct conf_errors errs;
	size_t n = 0;
	while (want[n] != NULL)
		n++;
	assert_int_equal(conf_load_string_all(text, "kiosk.conf", NULL, &c, &errs), -1);
	assert_ptr_equal(c, &untouched);
	for (size_t i = 0; i < errs.n && i < n; i++)
		assert_string_equal(errs.msg[i], want[i]);
	assert_int_equal(errs.n, n);
	assert_int_equal(errs.total, n);
	assert_null(errs.msg[n]);
	conf_errors_free(&errs);
}

/* A volunteer's file with three typos is mended in one go: every error,
 * each with its line and key, in line order; conf_load says the first and
 * counts the rest. */
static void
test_every_error(void **state)
{
	(void)state;
	static const char text[] =
	    "[kiosk]\n"
	    "langauge = nl\n"
	    "result_seconds = 100\n"
	    "sound = yes\n"
	    "[sync]\n"
	    "hub http://192.168.1.10:8080\n"
	    "every_seconds = 5\n";
	static const char *const want[] = {
		"kiosk.conf:2: unknown key 'langauge' in [kiosk]; did you mean language?",
		"kiosk.conf:3: [kiosk] result_seconds: expected a whole number from 1 to 60, "
		    "got '100'",
		"kiosk.conf:6: expected 'key = value' or '[section]', got 'hub ...'",
		NULL,
	};
	expect_errs(text, want);
	expect_err(text, "kiosk.conf:2: unknown key 'langauge' in [kiosk]; did you mean language? "
	    "(and 2 more errors: kiosk config --check lists them all)");

	/* a rule of two keys comes in line order too, after the file is read */
	static const char *const rule[] = {
		"kiosk.conf:2: [kiosk] mode = exit needs [checkin] reentry = yes: without "
		    "re-entry a guest scanned out could not come back in",
		"kiosk.conf:3: [kiosk] sound: expected yes or no, got 'loud'",
		NULL,
	};
	expect_errs("[kiosk]\nmode = exit\nsound = loud\n", rule);

	/* a file that does not load at all is one error, as before */
	struct conf *c = &untouched;
	struct conf_errors errs;
	assert_int_equal(conf_load_all("/nonexistent/kiosk.conf", &c, &errs), -1);
	assert_ptr_equal(c, &untouched);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.total, 1);
	assert_non_null(strstr(errs.msg[0], "/nonexistent/kiosk.conf: "));
	conf_errors_free(&errs);
	/* and a good file none */
	assert_int_equal(conf_load_string_all("[kiosk]\nname = D\n", "kiosk.conf", NULL, &c,
	    &errs), 0);
	assert_int_equal(errs.n, 0);
	assert_int_equal(errs.total, 0);
	conf_errors_free(&errs);
	conf_free(c);
}

/* One mistake, one message: not a second one that follows from it. */
static void
test_errors_not_repeated(void **state)
{
	(void)state;
	/* the keys under a section refused are not each unknown */
	static const char *const section[] = {
		"kiosk.conf:1: unknown section [Kiosk]; did you mean [kiosk]? (names are in "
		    "small letters)",
		"kiosk.conf:5: [sync] every_seconds: expected a whole number from 1 to 3600, "
		    "got '0'",
		NULL,
	};
	expect_errs("[Kiosk]\nname = Door 1\nlanguage = nl\n[sync]\nevery_seconds = 0\n",
	    section);
	/* ...but a known one in capitals has its keys checked as its own:
	 * their mistakes are said in the same check, not after it is mended */
	static const char *const capitals[] = {
		"kiosk.conf:1: unknown section [Kiosk]; did you mean [kiosk]? (names are in "
		    "small letters)",
		"kiosk.conf:3: [kiosk] language: expected en, nl, fr or de, got 'klingon'",
		"kiosk.conf:4: unknown key 'langauge' in [kiosk]; did you mean language?",
		NULL,
	};
	expect_errs("[Kiosk]\nname = Door 1\nlanguage = klingon\nlangauge = nl\n", capitals);
	static const char *const unclosed[] = {
		"kiosk.conf:1: expected ']' to close the section name",
		NULL,
	};
	expect_errs("[sync\nhub = x\n", unclosed);
	/* a rule is not asked about a value that was refused: mode = exit
	 * with reentry = maybe is reentry's error alone */
	static const char *const rule[] = {
		"kiosk.conf:4: [checkin] reentry: expected yes or no, got 'maybe'",
		NULL,
	};
	expect_errs("[kiosk]\nmode = exit\n[checkin]\nreentry = maybe\n", rule);
	static const char *const staff[] = {
		"kiosk.conf:2: [kiosk] staff_pin: expected yes or no, got 'ja'",
		NULL,
	};
	expect_errs("[kiosk]\nstaff_pin = ja\n", staff);
}

/* A file that is not a kiosk.conf (a CSV given as --config) keeps the
 * first CONF_ERRORS_MAX messages and counts the rest. */
static void
test_errors_bounded(void **state)
{
	(void)state;
	struct buf b;
	struct conf *c = &untouched;
	struct conf_errors errs;
	buf_init(&b, 0);
	buf_addf(&b, "[kiosk]\n");
	for (int i = 0; i < CONF_ERRORS_MAX + 50; i++)
		buf_addf(&b, "Name%d;Email\n", i);
	assert_int_equal(conf_load_string_all(buf_cstr(&b), "kiosk.conf", NULL, &c, &errs), -1);
	assert_int_equal(errs.n, CONF_ERRORS_MAX);
	assert_int_equal(errs.total, CONF_ERRORS_MAX + 50);
	assert_string_equal(errs.msg[0], "kiosk.conf:2: expected 'key = value' or "
	    "'[section]', got a line not shown here (it may hold a secret)");
	assert_null(errs.msg[CONF_ERRORS_MAX]);
	conf_errors_free(&errs);
	buf_free(&b);
}

static void
test_comments_blank_lines_and_layout(void **state)
{
	(void)state;
	static const char *const fields[] = { "Size" };
	struct conf *c = load_ok(
	    "\xEF\xBB\xBF# kiosk.conf with a BOM\r\n"
	    "; another comment\r\n"
	    "\r\n"
	    "   [kiosk]   \r\n"
	    "\tname = Door 4\r\n"
	    "    # indented comment\r\n"
	    "  language = fr\r\n"
	    "  sound = no\r\n"   /* indented: a key, not more of language's value */
	    "\tfullscreen = no\r\n" /* so with a tab */
	    "show_fields = Size\r\n"
	    "\n"
	    "[sync]\n"
	    "every_seconds = 7");  /* no newline at the end */
	assert_string_equal(c->kiosk_name, "Door 4");
	assert_string_equal(c->language, "fr");
	assert_false(c->sound);
	assert_false(c->fullscreen);
	assert_list(c->show_fields, c->n_show_fields, fields, 1);
	assert_int_equal(c->sync_seconds, 7);
	conf_free(c);
}

static void
test_long_lines(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	buf_addf(&b, "[sync]\n# ");
	for (int i = 0; i < 300; i++)
		buf_addc(&b, 'c');
	buf_addf(&b, "\n; ");
	for (int i = 0; i < 300; i++)
		buf_addc(&b, 'c');
	buf_addf(&b, "\nhub = http://hub/");
	for (int i = 0; i < 150; i++)
		buf_addc(&b, 'p');
	buf_addf(&b, "\n");
	struct conf *c = load_ok(buf_cstr(&b));
	assert_int_equal(strlen(c->hub_url), strlen("http://hub/") + 150);
	conf_free(c);

	buf_addf(&b, "token = ");
	for (int i = 0; i < 300; i++)
		buf_addc(&b, 't');
	buf_addf(&b, "\nsync_seconds = 9\n");
	struct conf *out = &untouched;
	char *cause = NULL;
	assert_int_equal(conf_load_string(buf_cstr(&b), "kiosk.conf", NULL, &out, &cause), -1);
	assert_ptr_equal(out, &untouched);
	assert_non_null(strstr(cause, "kiosk.conf:5: line is longer than "));
	free(cause);
	buf_free(&b);
}

/* --- rules about two keys -------------------------------------------------------- */

static void
test_exit_needs_reentry(void **state)
{
	(void)state;
	const char *want = "kiosk.conf:3: [kiosk] mode = exit needs [checkin] reentry = yes: "
	    "without re-entry a guest scanned out could not come back in";
	expect_err("[kiosk]\nname = Exit\nmode = exit\n", want);
	expect_err("[kiosk]\nname = Exit\nmode = exit\n[checkin]\nreentry = no\n", want);
	struct conf *c = load_ok("[checkin]\nreentry = yes\n[kiosk]\nmode = exit\n");
	assert_int_equal(c->mode, CONF_MODE_EXIT);
	assert_true(c->reentry);
	conf_free(c);
}

/* A door that asks for the PIN before search with no PIN to ask for:
 * search and walk-in would never open. */
static void
test_staff_pin_needs_a_pin(void **state)
{
	(void)state;
	expect_err("[kiosk]\nname = Self\nstaff_pin = yes\n", "kiosk.conf:3: [kiosk] staff_pin = "
	    "yes needs an admin PIN to ask for: run kiosk pin");
	char *text = xasprintf("[kiosk]\nstaff_pin = yes\nadmin_pin_hash = %s\n", GOOD_HASH);
	struct conf *c = load_ok(text);
	assert_true(c->staff_pin);
	conf_free(c);
	free(text);
	c = load_ok("[kiosk]\nstaff_pin = no\n");
	assert_false(c->staff_pin);
	conf_free(c);
}

static void
test_open_window(void **state)
{
	(void)state;
	expect_err("[checkin]\nopen_from = 2026-05-21 09:00\nopen_until = 2026-05-21 08:00\n",
	    "kiosk.conf:3: [checkin] open_until (2026-05-21 08:00) must be after open_from "
	    "(2026-05-21 09:00, line 2)");
	expect_err("[checkin]\nopen_until = 2026-05-21 09:00\n\nopen_from = 2026-05-21 09:00\n",
	    "kiosk.conf:2: [checkin] open_until (2026-05-21 09:00) must be after open_from "
	    "(2026-05-21 09:00, line 4)");
	expect_err("[checkin]\nopen_from = 2026-05-22 00:00\nopen_until = 2026-05-21 23:59\n",
	    "kiosk.conf:3: [checkin] open_until (2026-05-21 23:59) must be after open_from "
	    "(2026-05-22 00:00, line 2)");
	struct conf *c = load_ok("[checkin]\nopen_from = 2026-05-21 08:59\n"
	    "open_until = 2026-05-21 09:00\n");
	conf_free(c);
	/* the hours of every day of a conference of days */
	c = load_ok("[checkin]\nopen_from = 08:30\nopen_until = 18:00\n");
	assert_string_equal(c->open_from, "08:30");
	assert_string_equal(c->open_until, "18:00");
	conf_free(c);
	c = load_one("checkin", "open_from", "00:00");
	conf_free(c);
	expect_err("[checkin]\nopen_from = 18:00\nopen_until = 08:30\n",
	    "kiosk.conf:3: [checkin] open_until (08:30) must be after open_from (18:00, line 2)");
	expect_err("[checkin]\nopen_from = 08:30\nopen_until = 2026-05-21 18:00\n",
	    "kiosk.conf:3: [checkin] open_until (2026-05-21 18:00) and open_from (08:30, line 2) "
	    "must both be a date and time, or both a time of day (HH:MM, every day)");
	static const char *const bad[] = { "8:30", "24:00", "08:60", "08.30", "0830" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *want = xasprintf("expected a time written YYYY-MM-DD HH:MM, or HH:MM for "
		    "every day, or nothing, got '%s'", bad[i]);
		expect_bad_value("checkin", "open_from", bad[i], want);
		free(want);
	}
	c = load_one("checkin", "open_until", "2026-05-21 09:00");
	assert_string_equal(c->open_from, "");
	conf_free(c);
	c = load_one("checkin", "open_from", "2026-05-21 09:00");
	assert_string_equal(c->open_until, "");
	conf_free(c);
}

/* --- files ------------------------------------------------------------------------ */

static void
test_load_good_file(void **state)
{
	(void)state;
	static const char *const fields[] = { "T-shirt size", "Dietary needs" };
	static const char *const types[] = { "Speaker", "VIP" };
	char *path = repo_path("tests/data/conf-good.conf");
	char *db = repo_path("tests/data/guests/door.db");
	struct conf *c = NULL;
	char *cause = NULL;

	if (conf_load(path, &c, &cause) != 0)
		fail_msg("%s", cause);
	assert_string_equal(c->path, path);
	assert_string_equal(c->db_path, db);
	assert_string_equal(c->event_name, "Social Media Day Antwerp 2026");
	assert_string_equal(c->event_tag, "SMD26");
	assert_string_equal(c->kiosk_name, "Door 2");
	assert_string_equal(c->language, "nl");
	assert_int_equal(c->mode, CONF_MODE_EXIT);
	assert_int_equal(c->result_seconds, 3);
	assert_false(c->sound);
	assert_true(c->fullscreen);
	assert_list(c->show_fields, c->n_show_fields, fields, 2);
	assert_true(c->reentry);
	assert_list(c->admit_types, c->n_admit_types, types, 2);
	assert_string_equal(c->open_from, "2026-05-21 08:00");
	assert_string_equal(c->open_until, "2026-05-21 18:30");
	assert_string_equal(c->hub_url, "http://192.168.1.10:8080");
	assert_string_equal(c->hub_token, "k3y-for-door-2");
	assert_int_equal(c->sync_seconds, 10);
	assert_int_equal(c->scanner_gap_ms, 25);
	assert_int_equal(c->scanner_min_length, 8);
	assert_string_equal(c->camera_device, "/dev/video0");
	assert_int_equal(c->camera_width, 1280);
	assert_int_equal(c->camera_height, 720);
	assert_string_equal(c->badge_printer, "Brother_QL_800");
	assert_true(c->print_walkins);
	assert_false(c->print_checkins);
	conf_free(c);
	free(db);
	free(path);
}

static void
expect_file_err(const char *rel, const char *fmt_after_path)
{
	char *path = repo_path(rel);
	char *want = xasprintf("%s%s", path, fmt_after_path);
	struct conf *c = &untouched;
	char *cause = NULL;
	assert_int_equal(conf_load(path, &c, &cause), -1);
	assert_ptr_equal(c, &untouched);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
	free(want);
	free(path);
}

static void
test_bad_files(void **state)
{
	(void)state;
	expect_file_err("tests/data/conf-unknown-section.conf",
	    ":3: unknown section [hbu]; sections: event, kiosk, checkin, sync, hub, "
	    "scanner, camera, badge, mail");
	expect_file_err("tests/data/conf-exit-no-reentry.conf",
	    ":4: [kiosk] mode = exit needs [checkin] reentry = yes: without re-entry a guest "
	    "scanned out could not come back in");
	expect_file_err("tests/data/conf-bad-value.conf",
	    ":6: [checkin] reentry: expected yes or no, got 'maybe'");
	expect_file_err("tests/data/conf-does-not-exist.conf", ": No such file or directory");
	expect_file_err("tests/data", ": is a directory");
}

/* Notepad's "Unicode" (UTF-16 LE) and "Unicode big endian" saves: the
 * message says what the file is and how to save it, not only that it is
 * no text. */
static void
test_utf16_file(void **state)
{
	(void)state;
	static const char le[] = "\xff\xfe[\0e\0v\0e\0n\0t\0]\0\r\0\n\0";
	static const char be[] = "\xfe\xff\0[\0e\0v\0e\0n\0t\0]\0\r\0\n";
	const char *const texts[] = { le, be };
	for (size_t i = 0; i < 2; i++) {
		char path[] = "/tmp/test_conf_u16.XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, texts[i], sizeof le - 1), (ssize_t)(sizeof le - 1));
		close(fd);
		struct conf *c = &untouched;
		char *cause = NULL;
		assert_int_equal(conf_load(path, &c, &cause), -1);
		char *want = xasprintf("%s: saved as UTF-16 (Notepad's \"Unicode\"): save it "
		    "again with the encoding UTF-8", path);
		assert_string_equal(cause, want);
		assert_ptr_equal(c, &untouched);
		unlink(path);
		free(want);
		free(cause);
	}
}

static void
test_binary_file_and_null_cause(void **state)
{
	(void)state;
	char path[] = "/tmp/test_conf_bin.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[hub]\nurl = x\0y\n", 16), 16);
	close(fd);
	struct conf *c = &untouched;
	char *cause = NULL;
	assert_int_equal(conf_load(path, &c, &cause), -1);
	char *want = xasprintf("%s: not a text file (it holds a NUL byte)", path);
	assert_string_equal(cause, want);
	assert_ptr_equal(c, &untouched);
	/* a caller that does not want the message */
	assert_int_equal(conf_load(path, &c, NULL), -1);
	assert_int_equal(conf_load_string("[x]\n", "k.conf", NULL, &c, NULL), -1);
	assert_ptr_equal(c, &untouched);
	unlink(path);
	free(want);
	free(cause);
}

/* A value kiosk.conf would read back otherwise is refused by conf_set, and
 * the file is left as it was: "Door ; 4" came back as "Door". */
static void
test_set_refuses_what_would_read_back_cut(void **state)
{
	(void)state;
	assert_true(conf_value_writable("Door 2; back"));
	assert_true(conf_value_writable("Door #4"));
	assert_false(conf_value_writable("Door ; 4"));
	assert_false(conf_value_writable("Door\t;4"));
	assert_false(conf_value_writable("Door\n[sync]"));
	char dir[] = "/tmp/test_conf_set.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/kiosk.conf", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[kiosk]\nname = Door 1\n", fp);
	fclose(fp);
	char *cause = NULL;
	assert_int_equal(conf_set(path, "kiosk", "name", "Door ; 4", &cause), -1);
	assert_non_null(strstr(cause, "starts a comment"));
	free(cause);
	cause = NULL;
	char *text = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(path, 1024, &text, &len, NULL), 0);
	assert_string_equal(text, "[kiosk]\nname = Door 1\n");
	free(text);

	/* A kiosk.conf with a bad value: refused, named by its own path and
	 * line (not the temporary file's), the file left as it was. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[kiosk]\nname = Door 1\n\n[scanner]\nmax_gap_ms = many\n", fp);
	fclose(fp);
	assert_int_equal(conf_set(path, "kiosk", "admin_pin_hash", "$argon2id$x", &cause), -1);
	char *want = xasprintf("%s:5: [scanner] max_gap_ms", path);
	if (strncmp(cause, want, strlen(want)) != 0)
		fail_msg("got '%s', want it to start '%s'", cause, want);
	free(want);
	free(cause);
	assert_int_equal(util_read_file(path, 1024, &text, &len, NULL), 0);
	assert_string_equal(text, "[kiosk]\nname = Door 1\n\n[scanner]\nmax_gap_ms = many\n");
	free(text);

	/* A file whose only error is the value being set is mended: kiosk pin
	 * over a PIN hash cut short, as the error for it says to run. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[kiosk]\nadmin_pin_hash = $argon2id$v=19$m=65536\nname = Door 1\n", fp);
	fclose(fp);
	assert_int_equal(conf_set(path, "kiosk", "admin_pin_hash", GOOD_HASH, &cause), 0);
	struct conf *c = NULL;
	assert_int_equal(conf_load(path, &c, &cause), 0);
	assert_string_equal(c->admin_pin_hash, GOOD_HASH);
	conf_free(c);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* The line that set the time zone, for kiosk doctor's warning; 0 when the
 * file leaves it to the default. */
static void
test_timezone_line(void **state)
{
	(void)state;
	struct conf *c = load_ok("# door 1\n[event]\nname = x\ntimezone = Europe/London\n");
	assert_int_equal(c->event_tz_line, 4);
	conf_free(c);
	c = load_ok("[event]\nname = x\n");
	assert_int_equal(c->event_tz_line, 0);
	conf_free(c);
}

/* The lines that set the event's name and tag, for kiosk doctor's
 * warning that the event made before says otherwise. */
static void
test_name_tag_lines(void **state)
{
	(void)state;
	struct conf *c = load_ok("[event]\nname = Social Media Day Antwerp\n\ntag = smd26\n");
	assert_int_equal(c->event_name_line, 2);
	assert_int_equal(c->event_tag_line, 4);
	conf_free(c);
	c = load_ok("[kiosk]\nname = Door 1\n");
	assert_int_equal(c->event_name_line, 0);
	assert_int_equal(c->event_tag_line, 0);
	conf_free(c);
}

static char *
read_text(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	assert_int_equal(util_read_file(path, 1 << 16, &text, &len, NULL), 0);
	return text;
}

static int
count_of(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

/* A kiosk.conf saved by Windows Notepad (a BOM, CRLF line ends): what
 * kiosk pin and kiosk join write into it ends its lines the same way, so
 * that the file is not left with two kinds of line end, which an editor
 * then shows run together or saves as it pleases. */
static void
test_set_keeps_crlf(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_conf_crlf.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/kiosk.conf", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("\xef\xbb\xbf# door 1\r\n[kiosk]\r\nadmin_pin_hash =\r\nlanguage = nl\r\n", fp);
	fclose(fp);
	char *cause = NULL;

	assert_int_equal(conf_set(path, "kiosk", "admin_pin_hash", GOOD_HASH, &cause), 0);
	assert_int_equal(conf_set(path, "kiosk", "name", "Door 1", &cause), 0);
	assert_int_equal(conf_set(path, "sync", "hub", "http://hub:8080", &cause), 0);
	assert_null(cause);

	char *text = read_text(path);
	for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
		assert_true(p > text && p[-1] == '\r');
	assert_non_null(strstr(text, "admin_pin_hash = " GOOD_HASH "\r\nlanguage = nl\r\n"));
	free(text);
	struct conf *c = NULL;
	assert_int_equal(conf_load(path, &c, &cause), 0);
	assert_string_equal(c->admin_pin_hash, GOOD_HASH);
	assert_string_equal(c->kiosk_name, "Door 1");
	assert_string_equal(c->hub_url, "http://hub:8080");
	conf_free(c);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* What kiosk join and kiosk pin write: each key in its own section (a
 * [kiosk] name is not the [event] name), added to the section that is
 * there rather than to a second one, a missing section added once; the
 * organiser's comments kept, and the file's mode (0600, once it holds a
 * token) too. */
static void
test_set_keeps_the_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_conf_set.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/kiosk.conf", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("# my notes\n[event]\nname = Gala\n\n[kiosk]\nlanguage = nl\n\n"
	    "[sync]\nhub = http://old:8080\n", fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0600), 0);
	char *cause = NULL;

	assert_int_equal(conf_set(path, "kiosk", "name", "Door 2", &cause), 0);
	assert_int_equal(conf_set(path, "sync", "token", "t0ken", &cause), 0);
	assert_int_equal(conf_set(path, "sync", "hub", "http://new:8080", &cause), 0);
	assert_int_equal(conf_set(path, "mail", "from", "tickets@example.org", &cause), 0);
	assert_null(cause);

	char *text = read_text(path);
	assert_non_null(strstr(text, "# my notes\n[event]\nname = Gala\n"));
	assert_int_equal(count_of(text, "[kiosk]"), 1);
	assert_int_equal(count_of(text, "[sync]"), 1);
	assert_int_equal(count_of(text, "[mail]"), 1);
	assert_int_equal(count_of(text, "hub ="), 1);
	/* the new [kiosk] key is in [kiosk], before [sync] */
	assert_true(strstr(text, "name = Door 2") < strstr(text, "[sync]"));
	free(text);

	struct conf *c = NULL;
	assert_int_equal(conf_load(path, &c, &cause), 0);
	assert_string_equal(c->event_name, "Gala");
	assert_string_equal(c->kiosk_name, "Door 2");
	assert_string_equal(c->language, "nl");
	assert_string_equal(c->hub_url, "http://new:8080");
	assert_string_equal(c->hub_token, "t0ken");
	assert_string_equal(c->mail_from, "tickets@example.org");
	conf_free(c);

	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* A sync agent restarts when kiosk.conf says otherwise about any of hub,
 * token, cafile and every_seconds. */
static void
test_sync_settings_compared(void **state)
{
	(void)state;
	struct conf_sync cs = { 0 };
	struct conf *a = load_ok("[sync]\nhub = http://hub:8080\ntoken = one\nevery_seconds = 5\n");
	assert_false(conf_sync_same(&cs, a)); /* none taken yet */
	conf_sync_take(&cs, a);
	assert_true(conf_sync_same(&cs, a));
	static const char *const other[] = {
		"[sync]\nhub = http://hub:8081\ntoken = one\nevery_seconds = 5\n",
		"[sync]\nhub = http://hub:8080\ntoken = two\nevery_seconds = 5\n",
		"[sync]\nhub = http://hub:8080\ntoken = one\nevery_seconds = 6\n",
		"[sync]\nhub = http://hub:8080\ntoken = one\nevery_seconds = 5\ncafile = /ca.pem\n",
	};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
		struct conf *b = load_ok(other[i]);
		assert_false(conf_sync_same(&cs, b));
		conf_free(b);
	}
	conf_sync_free(&cs);
	assert_false(conf_sync_same(&cs, a));
	conf_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_text_is_defaults),
		cmocka_unit_test(test_write_default_parses_back),
		cmocka_unit_test(test_write_default_documents_every_key),
		cmocka_unit_test(test_write_default_reports_write_error),
		cmocka_unit_test(test_repo_kiosk_conf_matches_table),
		cmocka_unit_test(test_bool_values),
		cmocka_unit_test(test_int_values),
		cmocka_unit_test(test_enum_values),
		cmocka_unit_test(test_string_values),
		cmocka_unit_test(test_address_values),
		cmocka_unit_test(test_hub_values),
		cmocka_unit_test(test_pin_hash_values),
		cmocka_unit_test(test_list_values),
		cmocka_unit_test(test_local_time_values),
		cmocka_unit_test(test_ticket_days_values),
		cmocka_unit_test(test_parse_local_time),
		cmocka_unit_test(test_timezone_values),
		cmocka_unit_test(test_timezone_checks_zone_files),
		cmocka_unit_test(test_timezone_line),
		cmocka_unit_test(test_name_tag_lines),
		cmocka_unit_test(test_tag_values),
		cmocka_unit_test(test_path_resolved_against_folder),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_repeated_key),
		cmocka_unit_test(test_line_without_equals),
		cmocka_unit_test(test_more_errors_name_the_file),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_conf_file),
		cmocka_unit_test(test_saved_as_txt),
		cmocka_unit_test(test_quoted_values),
		cmocka_unit_test(test_errors_not_repeated),
		cmocka_unit_test(test_errors_bounded),
		cmocka_unit_test(test_comments_blank_lines_and_layout),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_exit_needs_reentry),
		cmocka_unit_test(test_staff_pin_needs_a_pin),
		cmocka_unit_test(test_open_window),
		cmocka_unit_test(test_load_good_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_binary_file_and_null_cause),
		cmocka_unit_test(test_utf16_file),
		cmocka_unit_test(test_set_refuses_what_would_read_back_cut),
		cmocka_unit_test(test_set_keeps_the_file),
		cmocka_unit_test(test_set_keeps_crlf),
		cmocka_unit_test(test_sync_settings_compared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
