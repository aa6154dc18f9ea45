/* device: the kiosks a hub knows and their tokens (see device.h).
 *
 * The hash is taken over the token's 32 random bytes, not its text, so that
 * the stored value is exactly what docs/sync-protocol.md describes; decoding
 * with libsodium also refuses any text that is not the canonical base64url
 * of 32 bytes, so two spellings can never map to one device. */
#include "core/device.h"

#include <sodium.h>
#include <string.h>

#include "core/util.h"

#define TOKEN_PREFIX "kt1_"
#define TOKEN_PREFIX_LEN 4
#define TOKEN_BYTES 32
#define HASH_BYTES 32
#define SEEN_EVERY_MS 60000    /* last_seen_at is written at most this often */

static int
init(char **cause)
{
	if (sodium_init() < 0)
		return util_fail(cause, "cannot initialise libsodium");
	return 0;
}

/* The token's 32 bytes, or -1 for any text that is not a token of ours. */
static int
token_decode(const char *token, unsigned char raw[TOKEN_BYTES])
{
	size_t len = 0;
	const char *end = NULL;

	if (token == NULL || strlen(token) != DEVICE_TOKEN_LEN ||
	    strncmp(token, TOKEN_PREFIX, TOKEN_PREFIX_LEN) != 0)
		return -1;
	if (sodium_base642bin(raw, TOKEN_BYTES, token + TOKEN_PREFIX_LEN,
	    DEVICE_TOKEN_LEN - TOKEN_PREFIX_LEN, NULL, &len, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	if (len != TOKEN_BYTES || end != token + DEVICE_TOKEN_LEN)
		return -1;
	return 0;
}

static void
token_hash(const unsigned char raw[TOKEN_BYTES], unsigned char hash[HASH_BYTES])
{
	crypto_generichash(hash, HASH_BYTES, raw, TOKEN_BYTES, NULL, 0);
}

int
device_add(struct store *s, const char *name, char **token, char **cause)
{
	unsigned char raw[TOKEN_BYTES], hash[HASH_BYTES];
	char b64[sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sqlite3_stmt *st;
	bool begun = false;
	int rc = -1, step;

	if (init(cause) != 0 || util_name_check("device name", name, DEVICE_NAME_MAX, cause) != 0)
		return -1;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(raw, hash);

	if (store_begin(s, cause) != 0)
		goto out;
	begun = true;
	st = store_stmt(s, "SELECT revoked_at IS NULL FROM device WHERE name = ?", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	bool exists = step == SQLITE_ROW;
	bool active = exists && sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		store_fail(s, cause, "cannot read the devices");
		goto out;
	}
	if (active) {
		util_fail(cause, "device name '%s': already in use by an active device; revoke "
		    "it first or choose another name", name);
		goto out;
	}
	/* A revoked name given again is a new device under the old name: the
	 * old token stays refused since its hash is gone, and "last seen"
	 * starts over with the new token. */
	st = exists
	    ? store_stmt(s, "UPDATE device SET token_hash = ?1, created_at = ?2,"
	        " revoked_at = NULL, last_seen_at = NULL WHERE name = ?3", cause)
	    : store_stmt(s, "INSERT INTO device (token_hash, created_at, name)"
	        " VALUES (?1, ?2, ?3)", cause);
	if (st == NULL)
		goto out;
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_now(s));
	sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot add the device");
		goto out;
	}
	begun = false;
	if (store_commit(s, cause) != 0)
		goto out;
	*token = xasprintf(TOKEN_PREFIX "%s", b64);
	rc = 0;
out:
	if (begun)
		store_rollback(s);
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(b64, sizeof b64);
	return rc;
}

int
device_revoke(struct store *s, const char *name, char **cause)
{
	sqlite3_stmt *st;
	int changes;

	if (store_begin(s, cause) != 0)
		return -1;
	st = store_stmt(s, "UPDATE device SET revoked_at = ? WHERE name = ?"
	    " AND revoked_at IS NULL", cause);
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, store_now(s));
	sqlite3_bind_text(st, 2, name ? name : "", -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_fail(s, cause, "cannot revoke the device");
		goto fail;
	}
	changes = sqlite3_changes(store_db(s));
	if (store_commit(s, cause) != 0)
		return -1;
	return changes > 0 ? 0 : 1;
fail:
	store_rollback(s);
	return -1;
}

int
device_check(struct store *s, const char *token, int64_t now, char **name, char **cause)
{
	unsigned char raw[TOKEN_BYTES], hash[HASH_BYTES];
	sqlite3_stmt *st;
	char *who = NULL;
	int64_t seen = 0;
	bool revoked = false, seen_null = true;

	if (token_decode(token, raw) != 0)
		return 0;
	if (init(cause) != 0)
		return -1;
	token_hash(raw, hash);
	sodium_memzero(raw, sizeof raw);

	st = store_stmt(s, "SELECT name, revoked_at IS NOT NULL, last_seen_at FROM device"
	    " WHERE token_hash = ?", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		who = xstrdup((const char *)sqlite3_column_text(st, 0));
		revoked = sqlite3_column_int(st, 1) != 0;
		seen_null = sqlite3_column_type(st, 2) == SQLITE_NULL;
		seen = sqlite3_column_int64(st, 2);
	}
	/* Reset at once: a statement left on its row would hold a read
	 * snapshot open on this connection (and stop WAL checkpoints). */
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(s, cause, "cannot read the devices");
	if (who == NULL || revoked) {
		free(who);
		return 0;
	}
	/* now < seen: a clock set back; write so the minute starts over. */
	if (seen_null || now - seen >= SEEN_EVERY_MS || now < seen) {
		/* Only a note for `kiosk hub token list`: a busy or failing
		 * database must not turn a valid token away, so errors are
		 * ignored. The condition is repeated so that two threads seeing
		 * the same old value write once. */
		st = store_stmt(s, "UPDATE device SET last_seen_at = ?1 WHERE name = ?2 AND"
		    " (last_seen_at IS NULL OR last_seen_at <= ?1 - ?3 OR last_seen_at > ?1)",
		    NULL);
		if (st != NULL) {
			sqlite3_bind_int64(st, 1, now);
			sqlite3_bind_text(st, 2, who, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, SEEN_EVERY_MS);
			sqlite3_step(st);
			sqlite3_reset(st);
		}
	}
	*name = who;
	return 1;
}

int
device_each(struct store *s, device_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *st = NULL;
	int n = 0, step, rc = -1;

	/* Prepared here rather than cached: fn may run statements of its own,
	 * and a cached statement fetched again would be reset under us.
	 * Numbers in names in their order (the store's collation
	 * natural_order), so a dozen entrances read Door 1, Door 2 ... Door 10
	 * rather than Door 1, Door 10, Door 11, Door 2. */
	if (sqlite3_prepare_v2(store_db(s), "SELECT d.name, d.created_at, d.revoked_at,"
	    " d.last_seen_at, (SELECT value FROM setting WHERE key = '" DEVICE_DOOR_SETTING "'"
	    " || d.name) FROM device d ORDER BY d.name COLLATE natural_order", -1, &st, NULL)
	    != SQLITE_OK) {
		store_fail(s, cause, "cannot read the devices");
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct device_info d = {
			.name = (const char *)sqlite3_column_text(st, 0),
			.created_at = sqlite3_column_int64(st, 1),
			.revoked_at = sqlite3_column_int64(st, 2),
			.last_seen_at = sqlite3_column_int64(st, 3),
			.door = (const char *)sqlite3_column_text(st, 4),
		};
		if (d.name == NULL)
			d.name = "";
		n++;
		if (fn(&d, arg) != 0)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		store_fail(s, cause, "cannot read the devices");
		goto out;
	}
	rc = n;
out:
	sqlite3_finalize(st);
	return rc;
}

int
device_note_door(struct store *s, const char *device, const char *kiosk, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO setting (key, value) VALUES ('"
	    DEVICE_DOOR_SETTING "' || ?1, ?2) ON CONFLICT (key) DO UPDATE"
	    " SET value = excluded.value WHERE value IS NOT excluded.value", cause);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, cause, "cannot note a door's name");
		return -1;
	}
	return 0;
}

void
device_label(const char *name, const char *door, char *buf, size_t n)
{
	char whole[2 * DEVICE_LABEL_MAX];
	if (n == 0)
		return;
	if (door != NULL && door[0] != '\0' && strcmp(door, name) != 0)
		snprintf(whole, sizeof whole, "%s (%s)", name, door);
	else
		snprintf(whole, sizeof whole, "%s", name);
	/* cut on a character, not inside one */
	size_t len = util_utf8_cut(whole, strlen(whole), n - 1);
	memcpy(buf, whole, len);
	buf[len] = '\0';
}
