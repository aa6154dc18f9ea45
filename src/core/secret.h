/* secret: PINs and tokens are stored only as slow salted hashes
 * (libsodium's crypto_pwhash_str: Argon2id, interactive limits), so a stolen
 * kiosk.conf or hub database does not give them away. */
#ifndef KIOSK_SECRET_H
#define KIOSK_SECRET_H

#include <stdbool.h>

/* Hash secret into a self-describing string ("$argon2id$v=19$..."), caller
 * frees. Returns 0, or -1 with *cause. */
int secret_hash(const char *secret, char **out, char **cause);

/* True when secret matches hash; false for a wrong secret or a bad hash. */
bool secret_verify(const char *hash, const char *secret);

/* True when s looks like a hash secret_hash() made. */
bool secret_is_hash(const char *s);

#endif
