/* refusal: whether a mail server's refusal is one guest's or the sender's
 * (see refusal.h). */
#include "mail/refusal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Digits at *p, 1 to 3 of them; their value, or -1. Moves *p past them. */
static int
digits(const char **p)
{
	int v = 0, n = 0;
	while (n < 3 && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n > 0 ? v : -1;
}

enum refusal_whose
refusal_whose(const char *answer)
{
	if (answer == NULL)
		return REFUSAL_EITHER;
	const char *p = answer;
	/* "550 " or "550-" (the first line of several), then "5.4.5 " */
	for (int i = 0; i < 3; i++, p++)
		if (!isdigit((unsigned char)*p))
			return REFUSAL_EITHER;
	if (*p != ' ' && *p != '-')
		return REFUSAL_EITHER;
	while (*p == ' ' || *p == '-')
		p++;
	if (*p != '4' && *p != '5')
		return REFUSAL_EITHER;
	p++;
	if (*p++ != '.')
		return REFUSAL_EITHER;
	int subject = digits(&p);
	if (subject < 0 || *p++ != '.')
		return REFUSAL_EITHER;
	int detail = digits(&p);
	if (detail < 0 || (*p != '\0' && !isspace((unsigned char)*p)))
		return REFUSAL_EITHER;
	if (subject == 1 || subject == 2)
		return REFUSAL_GUEST;
	if (subject == 4 && detail == 5)
		return REFUSAL_SENDER;
	return REFUSAL_EITHER;
}

/* answer's words into key (max bytes), one space between them, each word
 * with an '@' in it (an address, "<ann@example.org>:") as "@", and after
 * the reply and enhanced codes each word with a digit in it as "#" (a
 * session id, a time, an IP: Gmail and Outlook end their refusals with
 * one): the same refusal to two guests gives the same key. */
static void
key_of(const char *answer, char *key, size_t max)
{
	size_t n = 0, words = 0;
	const char *p = answer;
	key[0] = '\0';
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		size_t len = 0;
		while (p[len] != '\0' && !isspace((unsigned char)p[len]))
			len++;
		bool addr = memchr(p, '@', len) != NULL, number = false;
		for (size_t k = 0; words >= 2 && k < len && !number; k++)
			number = isdigit((unsigned char)p[k]);
		words++;
		const char *w = addr ? "@" : number ? "#" : p;
		size_t wlen = addr || number ? 1 : len;
		if (n + (n > 0) + wlen >= max)
			break;  /* the rest does not fit; what does is the key */
		if (n > 0)
			key[n++] = ' ';
		memcpy(key + n, w, wlen);
		n += wlen;
		key[n] = '\0';
		p += len;
	}
}

static const char *
domain_of(const char *addr)
{
	const char *at = strrchr(addr, '@');
	return at ? at + 1 : addr;
}

void
refusal_streak_reset(struct refusal_streak *st)
{
	memset(st, 0, sizeof *st);
}

bool
refusal_streak_note(struct refusal_streak *st, const char *answer, const char *to)
{
	char key[SMTP_ANSWER_MAX];
	/* Only the server's own refusals: a connection lost mid-way is no
	 * word on the sender, and retried as it is. */
	bool reply = answer != NULL && (answer[0] == '4' || answer[0] == '5') &&
	    isdigit((unsigned char)answer[1]) && isdigit((unsigned char)answer[2]);
	if (!reply || to == NULL || refusal_whose(answer) == REFUSAL_GUEST) {
		refusal_streak_reset(st);
		return false;
	}
	key_of(answer, key, sizeof key);
	if (st->n == 0 || strcmp(key, st->key) != 0) {
		refusal_streak_reset(st);
		memcpy(st->key, key, sizeof key);
	}
	for (size_t i = 0; i < st->n; i++)
		if (strcasecmp(st->to[i], to) == 0)
			return false;  /* a retry of a guest counted already */
	if (st->n > 0 && strcasecmp(domain_of(st->to[0]), domain_of(to)) != 0)
		st->domains_differ = true;
	if (st->n < REFUSAL_ALIKE) {
		/* An address too long to keep whole is told apart by its start. */
		size_t len = strlen(to);
		if (len >= REFUSAL_ADDR_MAX)
			len = REFUSAL_ADDR_MAX - 1;
		memcpy(st->to[st->n], to, len);
		st->to[st->n][len] = '\0';
		st->n++;
	}
	return st->n >= REFUSAL_ALIKE && st->domains_differ;
}
