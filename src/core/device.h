/* device: the kiosks a hub knows, each with its own token.
 *
 * A token is 32 random bytes (libsodium), shown once as "kt1_" followed by
 * 43 base64url characters (no padding). The hub keeps only its BLAKE2b-256
 * hash (crypto_generichash, 32 bytes) in device.token_hash: a token is
 * random, not a password, so a fast hash is enough and a lookup by hash
 * costs one index probe per request. A revoked device keeps its row (so its
 * name stays in the records it made) with revoked_at set; its token is
 * refused from the next request on. */
#ifndef KIOSK_DEVICE_H
#define KIOSK_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/store.h"
#include "core/util.h"

#define DEVICE_NAME_MAX UTIL_NAME_MAX /* a kiosk registers under its kiosk name */
#define DEVICE_TOKEN_LEN 47    /* "kt1_" + 43 */
#define DEVICE_DOOR_SETTING "door_name:"  /* + device: device_note_door */

/* A new device named name (1..63 bytes of printable UTF-8, no control
 * characters). Fails when a device of that name exists and is not revoked;
 * a revoked name may be given again (a new token; the old stays refused).
 * Commits. Returns 0 with *token (caller frees), or -1 with *cause. */
int device_add(struct store *s, const char *name, char **token, char **cause);

/* Revoke name. Returns 0, 1 when there is no such device (or it was
 * already revoked), -1 with *cause. Commits. */
int device_revoke(struct store *s, const char *name, char **cause);

/* Who holds token. Returns 1 with *name (caller frees) for a known device
 * that is not revoked, 0 for any other token (unknown, revoked, malformed),
 * -1 with *cause on a database error. Records last_seen_at = now at most
 * once a minute per device, so that a busy hub does not write per request. */
int device_check(struct store *s, const char *token, int64_t now, char **name, char **cause);

struct device_info {
	const char *name;
	int64_t created_at;
	int64_t revoked_at;     /* 0: active */
	int64_t last_seen_at;   /* 0: never */
	const char *door;       /* the kiosk name ([kiosk] name, kiosk join --name)
	                         * of the latest check-in it pushed here
	                         * (device_note_door); NULL: none yet */
};
typedef int (*device_fn)(const struct device_info *d, void *arg);

/* Every device, by name (numbers in it in their order: Door 2 before Door 10,
 * Door 1b before Door 2). Returns the number or -1 with *cause. */
int device_each(struct store *s, device_fn fn, void *arg, char **cause);

/* The hub stored a check-in device pushed, made at the door named kiosk:
 * kept (in the setting table, one row a device, written only when it
 * changes) for device_each, so that listing the doors costs no look
 * through the check-ins on the door's own thread. 0, or -1 with *cause. */
int device_note_door(struct store *s, const char *device, const char *kiosk, char **cause);

/* How the hub's page and admin screen name a device: its token's name, and
 * after it, in brackets, the name its door gives itself when that is
 * another ("Door 2 (Porte 2)"), as the check-ins, the duplicates and the
 * door's own screen say it: else the organiser reads two doors for one.
 * door may be NULL. Writes at most n bytes into buf (cut on a character),
 * DEVICE_LABEL_MAX holds any. */
#define DEVICE_LABEL_MAX (2 * DEVICE_NAME_MAX + 4)
void device_label(const char *name, const char *door, char *buf, size_t n);

#endif
