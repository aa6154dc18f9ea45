/* secret: salted slow hashes of PINs and tokens (see secret.h). */
#include "core/secret.h"

#include <sodium.h>
#include <string.h>

#include "core/util.h"

static int
init(char **cause)
{
	if (sodium_init() < 0)
		return util_fail(cause, "cannot initialise libsodium");
	return 0;
}

int
secret_hash(const char *secret, char **out, char **cause)
{
	char buf[crypto_pwhash_STRBYTES];
	if (init(cause) != 0)
		return -1;
	if (crypto_pwhash_str(buf, secret, strlen(secret), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return util_fail(cause, "cannot hash the secret (out of memory)");
	*out = xstrdup(buf);
	sodium_memzero(buf, sizeof buf);
	return 0;
}

bool
secret_verify(const char *hash, const char *secret)
{
	if (init(NULL) != 0 || !secret_is_hash(hash))
		return false;
	return crypto_pwhash_str_verify(hash, secret, strlen(secret)) == 0;
}

bool
secret_is_hash(const char *s)
{
	return s != NULL && strncmp(s, "$argon2id$", 10) == 0 &&
	    strlen(s) < crypto_pwhash_STRBYTES;
}
