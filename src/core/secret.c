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

/* What crypto_pwhash_str writes: $argon2id$v=19$m=M,t=T,p=P$SALT$HASH,
 * SALT and HASH in unpadded base64 (16 and 32 bytes: 22 and 43 characters).
 * A hash cut short in a copy, or a PIN put where its hash goes, is none:
 * no PIN would ever open the admin menu. */
bool
secret_is_hash(const char *s)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char head[] = "$argon2id$v=19$m=";
	if (s == NULL || strlen(s) >= crypto_pwhash_STRBYTES || strncmp(s, head, strlen(head)) != 0)
		return false;
	s += strlen(head);
	for (int i = 0; i < 3; i++) { /* m=digits,t=digits,p=digits$ */
		size_t n = strspn(s, "0123456789");
		if (n == 0 || s[n] != (i < 2 ? ',' : '$'))
			return false;
		s += n + 1;
		if (i < 2 && strncmp(s, i == 0 ? "t=" : "p=", 2) != 0)
			return false;
		s += i < 2 ? 2 : 0;
	}
	size_t salt = strspn(s, b64);
	if (salt != 22 || s[salt] != '$')
		return false;
	s += salt + 1;
	return strspn(s, b64) == 43 && s[43] == '\0';
}
