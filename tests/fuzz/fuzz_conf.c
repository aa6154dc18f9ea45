/* fuzz_conf: kiosk.conf text through conf_load_string.
 *
 * The input is the file (up to its first NUL, as a file read as text would
 * be). A load either fails with one message that names the file and a line
 * ("kiosk.conf:12: ...") or gives settings that keep the promises of
 * conf.h: no NULL strings, numbers in range, exit mode only with re-entry,
 * open_until after open_from, relative paths resolved against the folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/code.h"
#include "core/conf.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "fuzz_conf: %s:%d: %s\n", \
	__FILE__, __LINE__, #cond); abort(); } } while (0)

static void
check_time(const char *s)
{
	int y, mo, d, h, mi;
	CHECK(s != NULL);
	CHECK(*s == '\0' || conf_parse_local_time(s, &y, &mo, &d, &h, &mi) == 0);
}

static void
check_conf(const struct conf *c)
{
	const char *strs[] = { c->db_path, c->event_name, c->event_tz, c->event_tag,
	    c->kiosk_name, c->language, c->admin_pin_hash, c->open_from, c->open_until,
	    c->hub_url, c->hub_token, c->sync_cafile, c->hub_listen, c->hub_tls_cert,
	    c->hub_tls_key, c->camera_device, c->badge_layout, c->badge_printer };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		CHECK(strs[i] != NULL);
	CHECK(c->path != NULL && strcmp(c->path, "kiosk.conf") == 0);
	CHECK(c->result_seconds >= 1 && c->result_seconds <= 60);
	CHECK(c->sync_seconds >= 1 && c->sync_seconds <= 3600);
	CHECK(c->mode == CONF_MODE_ENTRY || c->mode == CONF_MODE_EXIT);
	CHECK(c->mode != CONF_MODE_EXIT || c->reentry);
	CHECK(*c->event_tag == '\0' || code_tag_valid(c->event_tag));
	CHECK(strcmp(c->language, "en") == 0 || strcmp(c->language, "nl") == 0 ||
	    strcmp(c->language, "fr") == 0 || strcmp(c->language, "de") == 0);
	check_time(c->open_from);
	check_time(c->open_until);
	if (*c->open_from != '\0' && *c->open_until != '\0')
		CHECK(strcmp(c->open_from, c->open_until) < 0);
	CHECK(*c->db_path == '\0' || c->db_path[0] == '/');
	for (size_t i = 0; i < c->n_show_fields; i++)
		CHECK(c->show_fields[i] != NULL && c->show_fields[i][0] != '\0');
	for (size_t i = 0; i < c->n_admit_types; i++)
		CHECK(c->admit_types[i] != NULL && c->admit_types[i][0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct conf *c = NULL;
	char *cause = NULL;

	if (conf_load_string(text, "kiosk.conf", "/etc/kiosk", &c, &cause) == 0) {
		CHECK(cause == NULL);
		check_conf(c);
		conf_free(c);
	} else {
		CHECK(c == NULL && cause != NULL);
		/* One message naming the file and the line: "kiosk.conf:N: ...". */
		CHECK(strncmp(cause, "kiosk.conf:", 11) == 0);
		CHECK(cause[11] >= '1' && cause[11] <= '9');
		free(cause);
	}
	free(text);
	return 0;
}
