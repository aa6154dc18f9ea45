/* kiosk backup: the event as one file, while doors and the hub use it.
 *
 * A copy of the database file alone misses what is only in its -wal (the
 * day's check-ins, while a door or the hub has it open), and a copy of the
 * three files taken while they change may not be one moment. SQLite's
 * VACUUM INTO writes a consistent snapshot of the event from a read
 * transaction, which holds up no door's scan; written to a temporary file
 * beside FILE, synced, then renamed over it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli/cli.h"
#include "core/attend.h"
#include "core/store.h"
#include "core/util.h"

static int
cmd_backup(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .cmd = &cmd_backup_entry };
	struct util_replace r = { 0 };
	sqlite3_stmt *st = NULL;
	char *cause = NULL, *journal = NULL;
	int opt, rc = CLI_ERROR;

	while ((opt = cli_getopt(&c, argc, argv, longopts)) != -1)
		(void)cli_common_opt(&c, opt);
	if (optind + 1 != argc) {
		cli_error(&c, optind == argc ? "name the file to write: kiosk backup FILE" :
		    "unexpected argument '%s'", argv[optind + 1 < argc ? optind + 1 : optind]);
		goto out;
	}
	const char *path = argv[optind];
	if (path[0] == '\0') {
		cli_error(&c, "the file to write is empty: name one");
		goto out;
	}
	if (cli_load(&c) != 0 || cli_open(&c, STORE_READONLY, NULL) != 0)
		goto out;
	if (strcmp(path, store_path(c.store)) == 0) {
		cli_error(&c, "%s is the event itself: name another file", path);
		goto out;
	}
	/* Guests' names: the copy is the owner's alone, as the event is. */
	if (util_replace_open(&r, path, 0600, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	if (sqlite3_prepare_v2(store_db(c.store), "VACUUM INTO ?", -1, &st, NULL) != SQLITE_OK) {
		store_fail(c.store, &cause, "cannot copy the event");
		rc = cli_fail(&c, cause);
		goto out;
	}
	sqlite3_bind_text(st, 1, r.tmp, -1, SQLITE_STATIC);
	/* VACUUM INTO keeps a rollback journal beside the copy while it
	 * writes it: a stop (Ctrl-C) removes it with the copy. */
	journal = xasprintf("%s-journal", r.tmp);
	util_stop_removes(journal);
	int stepped = sqlite3_step(st);
	util_stop_keeps(journal);
	unlink(journal); /* gone once the copy is whole; after a failure, left */
	if (stepped != SQLITE_DONE) {
		/* A full disk, a copy that cannot be made or written: the copy's
		 * (a full USB stick), named; anything else (a damaged page, a
		 * read error) is the event's, named as before. */
		sqlite3 *db = store_db(c.store);
		int ext = sqlite3_extended_errcode(db), code = ext & 0xff;
		bool theirs = code == SQLITE_FULL || code == SQLITE_CANTOPEN ||
		    ext == SQLITE_IOERR_WRITE || ext == SQLITE_IOERR_FSYNC ||
		    ext == SQLITE_IOERR_TRUNCATE || ext == SQLITE_IOERR_DIR_FSYNC;
		if (theirs)
			util_fail(&cause, "%s: cannot write the copy: %s%s", path, sqlite3_errmsg(db),
			    code == SQLITE_FULL ? " (its disk is full: free some space there, or "
			    "name a file on another disk)" : "");
		else
			store_fail(c.store, &cause, "cannot copy the event");
		rc = cli_fail(&c, cause);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (util_replace_commit(&r, &cause) != 0) {
		rc = cli_fail(&c, cause);
		goto out;
	}
	struct attend_counts n;
	if (attend_counts(c.store, store_now(c.store), &n, &cause) == 0)
		printf("backed up \"%s\" to %s: %d guest%s, %d checked in\n",
		    store_event(c.store)->name, path, n.registered, n.registered == 1 ? "" : "s",
		    n.checked_in);
	else
		printf("backed up \"%s\" to %s\n", store_event(c.store)->name, path);
	free(cause);
	rc = CLI_OK;
out:
	sqlite3_finalize(st);
	util_replace_abort(&r);
	free(journal);
	cli_done(&c);
	return rc;
}

const struct cmd_entry cmd_backup_entry = {
	"backup", "FILE",
	"Copy the event into one file, also while doors and the hub use it.",
	"A copy of the database file alone can miss the latest check-ins (they wait in\n"
	"its -wal file while a door or the hub has it open): this writes all of it, as\n"
	"one moment, into FILE (mode 0600; a database there, an older backup or an\n"
	"event, is never replaced: give a new name). Open the copy with --db FILE.\n"
	"\n"
	"options:\n",
	cmd_backup,
};
