/* fuzz_code: a scanned code from the door to the decision.
 *
 * The input is what a scanner typed. It goes through code_normalize (which
 * must be idempotent and never keep a control character), code_parse_ours
 * and code_tag_from_name (a tag made from any event name must be a valid
 * tag), code_url_parts (a link's parts are normalised codes, each once), then checkin_decide on facts and a policy taken from its first bytes
 * (checked against the rule book in checkin.h), and finally checkin_scan on
 * the fixed event (fuzz.h): a ticket admitted once is never admitted again
 * by a second scan at the same door, and nothing but ADMITTED or EXITED
 * writes a check-in. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/checkin.h"
#include "core/code.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *work;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_template();
	work = fz_open(NULL);
	return 0;
}

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "fuzz_code: %s:%d: %s\n", \
	__FILE__, __LINE__, #cond); abort(); } } while (0)

static void
check_normalize(const uint8_t *data, size_t size)
{
	char *out = NULL, *again = NULL, tag[CODE_TAG_MAX + 1];

	enum code_status cs = code_normalize((const char *)data, size, &out);
	CHECK(code_status_str(cs) != NULL);
	if (cs != CODE_OK)
		return;
	size_t n = strlen(out);
	CHECK(n > 0 && n <= size && n <= CODE_MAX_LEN);
	for (size_t i = 0; i < n; i++)
		CHECK((unsigned char)out[i] >= ' ' && out[i] != 0x7f);
	CHECK((unsigned char)out[0] > ' ' && (unsigned char)out[n - 1] > ' ');
	/* A scanner that sends the code twice gets the same ticket. */
	CHECK(code_normalize(out, n, &again) == CODE_OK);
	CHECK(strcmp(out, again) == 0);
	if (code_parse_ours(out, tag))
		CHECK(code_tag_valid(tag));
	/* A link's parts are codes as code_normalize makes them, each once. */
	char *parts[CODE_URL_PARTS];
	size_t np = code_url_parts(out, parts);
	CHECK(np <= CODE_URL_PARTS);
	for (size_t i = 0; i < np; i++) {
		char *norm = NULL;
		CHECK(code_normalize(parts[i], strlen(parts[i]), &norm) == CODE_OK);
		CHECK(strcmp(norm, parts[i]) == 0);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(parts[i], parts[j]) != 0);
		free(norm);
	}
	for (size_t i = 0; i < np; i++)
		free(parts[i]);
	free(again);
	free(out);
}

static void
check_tag(const uint8_t *data, size_t size)
{
	char *name = xstrndup((const char *)data, size);
	char tag[CODE_TAG_MAX + 1];

	code_tag_from_name(name, tag);
	/* store.c makes the event's tag this way; code_new and the scanner's
	 * normalisation assume it is valid. */
	if (!code_tag_valid(tag)) {
		fprintf(stderr, "fuzz_code: name '%s' gives the invalid tag '%s'\n", name, tag);
		abort();
	}
	free(name);
}

/* Bytes of the input as the door's facts and rules; the rest of the input
 * stays the code. */
struct pick {
	const uint8_t *p;
	size_t n;
};

static unsigned
take(struct pick *k)
{
	if (k->n == 0)
		return 0;
	k->n--;
	return *k->p++;
}

static const char *const types[] = { "Student", "VIP", "speaker", "", "Early bird" };

static void
check_decide(const uint8_t *data, size_t size)
{
	struct pick k = { data, size };
	unsigned a = take(&k), b = take(&k), c = take(&k), d = take(&k);
	struct checkin_facts f = {
		.valid = a & 1, .other_event = a & 2, .found = a & 4, .cancelled = a & 8,
		.inside = a & 16, .ins = (int)(b % 4),
		.ticket_type = (a & 32) ? NULL : types[b / 4 % 5],
	};
	const char *admit[2] = { types[c % 5], types[c / 5 % 5] };
	struct checkin_policy p = {
		.exit_mode = c & 64, .reentry = c & 128, .admit_types = admit,
		.n_admit_types = (size_t)(d % 3),
		.open_from = (d & 4) ? FZ_NOW - (int64_t)(d & 8 ? 1 : -1) * 3600000 : 0,
		.open_until = (d & 16) ? FZ_NOW + (int64_t)(d & 32 ? 1 : -1) * 3600000 : 0,
	};
	int64_t now = FZ_NOW + (int64_t)((int)take(&k) - 128) * 60000;

	enum checkin_result r = checkin_decide(&f, &p, now);
	CHECK(checkin_result_name(r) != NULL && checkin_result_text(r) != NULL);
	/* The rule book (checkin.h), as properties. */
	CHECK((r == CHECKIN_INVALID) == !f.valid);
	if (!f.valid)
		return;
	if (!f.found) {
		CHECK(r == (f.other_event ? CHECKIN_OTHER_EVENT : CHECKIN_UNKNOWN));
		return;
	}
	/* A guest inside is let out, though cancelled since they came in. */
	if (p.exit_mode && f.inside) {
		CHECK(r == CHECKIN_EXITED);
		return;
	}
	if (f.cancelled) {
		CHECK(r == CHECKIN_CANCELLED);
		return;
	}
	if (p.exit_mode) {
		CHECK(r == CHECKIN_NOT_INSIDE);
		return;
	}
	CHECK(r != CHECKIN_EXITED && r != CHECKIN_NOT_INSIDE);
	if (r == CHECKIN_ADMITTED) {
		CHECK(p.open_from == 0 || now >= p.open_from);
		CHECK(p.open_until == 0 || now < p.open_until);
		CHECK(f.ins == 0 || (p.reentry && !f.inside));
	}
	CHECK(checkin_result_ok(r) == (r == CHECKIN_ADMITTED));
}

static int64_t
count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(store_db(work), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
check_scan(const uint8_t *data, size_t size)
{
	struct checkin_outcome o, o2;
	struct checkin_policy p = { 0 };
	char *cause = NULL;
	unsigned mode = size > 0 ? data[size - 1] : 0;

	/* The last byte picks the door's mode; the whole input is the code. */
	p.reentry = mode & 1;
	p.exit_mode = p.reentry && (mode & 2);
	fz_reset(work);
	int64_t before = count("SELECT count(*) FROM checkin");
	if (checkin_scan(work, (const char *)data, size, "Door 1", &p, FZ_NOW, &o, &cause) != 0)
		fz_die("checkin_scan", cause);
	int64_t after = count("SELECT count(*) FROM checkin");
	CHECK(after - before == (checkin_result_ok(o.result) ? 1 : 0));
	CHECK(o.has_guest == (o.result != CHECKIN_INVALID && o.result != CHECKIN_UNKNOWN &&
	    o.result != CHECKIN_OTHER_EVENT));
	CHECK(o.result != CHECKIN_INVALID || o.detail != NULL);
	if (checkin_scan(work, (const char *)data, size, "Door 1", &p, FZ_NOW + 1000, &o2,
	    &cause) != 0)
		fz_die("checkin_scan", cause);
	if (o.result == CHECKIN_ADMITTED)
		CHECK(o2.result == CHECKIN_ALREADY && o2.first_at == FZ_NOW &&
		    strcmp(o2.first_kiosk, "Door 1") == 0);
	if (o.result == CHECKIN_EXITED)
		CHECK(o2.result == CHECKIN_NOT_INSIDE);
	checkin_outcome_clear(&o);
	checkin_outcome_clear(&o2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_normalize(data, size);
	check_tag(data, size);
	check_decide(data, size);
	check_scan(data, size);
	return 0;
}
