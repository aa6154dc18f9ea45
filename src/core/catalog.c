/* catalog: a gettext catalogue read by kiosk itself (see catalog.h).
 *
 * The .mo format (GNU gettext manual, "The Format of GNU MO Files"): a
 * header of 32-bit words (magic 0x950412de in the writer's byte order,
 * revision, string count N, offset of the originals' table, offset of
 * the translations' table, hash size and offset), then two tables of N
 * (length, offset) pairs. msgfmt sorts the originals, so a lookup is a
 * binary search; a plural entry's strings hold their forms NUL-separated. */
#include "core/catalog.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define MO_MAGIC 0x950412deu

struct catalog {
	char *data;             /* the file, with a NUL after it */
	size_t len;
	uint32_t n;             /* strings */
	uint32_t orig, trans;   /* offsets of the two tables */
	int swapped;            /* written in the other byte order */
	int plural_gt1;         /* Plural-Forms is n > 1 (French); else n != 1 */
};

static uint32_t
word(const struct catalog *c, size_t at)
{
	uint32_t w;
	memcpy(&w, c->data + at, 4);
	return c->swapped ? __builtin_bswap32(w) : w;
}

/* Entry i of the table at tab: its string, NULL when it lies outside the
 * file or is not NUL-terminated where it says it ends. */
static const char *
entry(const struct catalog *c, uint32_t tab, uint32_t i, uint32_t *lenp)
{
	size_t at = (size_t)tab + (size_t)i * 8;
	uint32_t len = word(c, at), off = word(c, at + 4);
	if ((size_t)off + len >= c->len + 1 || c->data[(size_t)off + len] != '\0')
		return NULL;
	if (lenp != NULL)
		*lenp = len;
	return c->data + off;
}

struct catalog *
catalog_from(const void *mo, size_t len, char **cause)
{
	struct catalog *c = NULL;
	if (len < 28 || len > CATALOG_MAX) {
		util_fail(cause, "not a translation catalogue (%zu bytes)", len);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->data = xmalloc(len + 1);
	memcpy(c->data, mo, len);
	c->data[len] = '\0';
	c->len = len;
	uint32_t magic;
	memcpy(&magic, c->data, 4);
	if (magic != MO_MAGIC && __builtin_bswap32(magic) != MO_MAGIC) {
		util_fail(cause, "not a translation catalogue (no .mo magic number)");
		goto err;
	}
	c->swapped = magic != MO_MAGIC;
	if (word(c, 4) >> 16 != 0) {
		util_fail(cause, "a translation catalogue of an unknown revision");
		goto err;
	}
	c->n = word(c, 8);
	c->orig = word(c, 12);
	c->trans = word(c, 16);
	if ((uint64_t)c->n * 8 > len || (uint64_t)c->orig + (uint64_t)c->n * 8 > len ||
	    (uint64_t)c->trans + (uint64_t)c->n * 8 > len) {
		util_fail(cause, "a translation catalogue cut short");
		goto err;
	}
	for (uint32_t i = 0; i < c->n; i++) {
		if (entry(c, c->orig, i, NULL) == NULL || entry(c, c->trans, i, NULL) == NULL) {
			util_fail(cause, "a translation catalogue with a string outside it");
			goto err;
		}
	}
	/* The header is the translation of "" (sorted first). */
	const char *head = c->n > 0 && entry(c, c->orig, 0, NULL)[0] == '\0' ?
	    entry(c, c->trans, 0, NULL) : "";
	const char *pf = strstr(head, "plural=");
	if (pf != NULL) {
		char rule[32];
		size_t o = 0;
		for (pf += 7; *pf && *pf != ';' && *pf != '\n' && o + 1 < sizeof rule; pf++)
			if (*pf != ' ' && *pf != '(' && *pf != ')')
				rule[o++] = *pf;
		rule[o] = '\0';
		c->plural_gt1 = strcmp(rule, "n>1") == 0;
	}
	return c;
err:
	catalog_free(c);
	return NULL;
}

struct catalog *
catalog_load(const char *localedir, const char *lang, const char *domain, char **cause)
{
	char *path = xasprintf("%s/%s/LC_MESSAGES/%s.mo", localedir, lang, domain);
	char *bytes = NULL;
	size_t len = 0;
	struct catalog *c = NULL;
	if (util_read_file(path, CATALOG_MAX, &bytes, &len, cause) == 0) {
		char *why = NULL;
		c = catalog_from(bytes, len, &why);
		if (c == NULL) {
			util_fail(cause, "%s: %s", path, why);
			free(why);
		}
	}
	free(bytes);
	free(path);
	return c;
}

void
catalog_free(struct catalog *c)
{
	if (c == NULL)
		return;
	free(c->data);
	free(c);
}

/* The index of msgid among the originals, or -1. */
static long
find(const struct catalog *c, const char *msgid)
{
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, entry(c, c->orig, mid, NULL));
		if (cmp == 0)
			return mid;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *
catalog_get(const struct catalog *c, const char *msgid)
{
	if (c == NULL || msgid[0] == '\0')
		return msgid;
	long i = find(c, msgid);
	if (i < 0)
		return msgid;
	const char *t = entry(c, c->trans, (uint32_t)i, NULL);
	return t[0] != '\0' ? t : msgid;   /* an untranslated entry is empty */
}

const char *
catalog_nget(const struct catalog *c, const char *singular, const char *plural, long n)
{
	int form = c != NULL && c->plural_gt1 ? n > 1 : n != 1;
	long i = c != NULL ? find(c, singular) : -1;
	if (i < 0)
		return form ? plural : singular;
	uint32_t len = 0;
	const char *t = entry(c, c->trans, (uint32_t)i, &len), *end = t + len;
	if (t[0] == '\0')
		return form ? plural : singular;
	/* the forms, NUL-separated: the form-th, or the last there is */
	for (int k = 0; k < form; k++) {
		const char *next = t + strlen(t) + 1;
		if (next > end)
			break;
		t = next;
	}
	return t;
}
