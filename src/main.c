/* kiosk: offline-first event check-in. One binary, one subcommand per job;
 * the commands are described as data (cmd_entry) in src/cli/. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define KIOSK_VERSION "0.1.0"

static const struct cmd_entry *const commands[] = {
	&cmd_import_entry, &cmd_guests_entry, &cmd_add_entry, &cmd_checkin_entry,
	&cmd_scan_entry, &cmd_undo_entry, &cmd_export_entry, &cmd_stats_entry, &cmd_backup_entry,
	&cmd_config_entry, &cmd_run_entry, &cmd_pin_entry, &cmd_badges_entry, &cmd_mail_entry,
	&cmd_hub_entry,
	&cmd_sync_entry, &cmd_join_entry, &cmd_cancel_entry, &cmd_forget_entry, &cmd_doctor_entry,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: kiosk COMMAND [OPTIONS] [ARGS]\n\n"
	    "Offline-first check-in for events.\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(fp, "\n'kiosk COMMAND --help' shows a command's options.\n");
}

static const struct cmd_entry *
find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static int
dispatch(int argc, char **argv, const char **name)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("kiosk %s\n", KIOSK_VERSION);
		return CLI_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		const struct cmd_entry *cmd = argc > 2 ? find(argv[2]) : NULL;
		if (cmd == NULL && argc > 2) {
			fprintf(stderr, "kiosk: help: unknown command '%s'; see 'kiosk --help'\n",
			    argv[2]);
			return CLI_ERROR;
		}
		if (cmd == NULL) {
			usage(stdout);
			return CLI_OK;
		}
		cli_usage(cmd, stdout);
		return CLI_OK;
	}
	const struct cmd_entry *cmd = find(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "kiosk: unknown command '%s'; see 'kiosk --help'\n", argv[1]);
		return CLI_ERROR;
	}
	*name = cmd->name;
	return cmd->exec(argc - 1, argv + 1);
}

int
main(int argc, char **argv)
{
	const char *name = NULL;
	int rc = dispatch(argc, argv, &name);
	return cli_exit_status(name, rc);
}
