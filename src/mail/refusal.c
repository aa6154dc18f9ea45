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

/* The enhanced status code (RFC 3463) after answer's reply code: its
 * subject and detail ("550 5.4.5 ...": 4 and 5), or false when it has
 * none. "550 " or "550-" (the first line of several), then "5.4.5 ". */
static bool
enhanced_code(const char *answer, int *subject, int *detail)
{
	const char *p = answer;
	for (int i = 0; i < 3; i++, p++)
		if (!isdigit((unsigned char)*p))
			return false;
	if (*p != ' ' && *p != '-')
		return false;
	while (*p == ' ' || *p == '-')
		p++;
	if (*p != '4' && *p != '5')
		return false;
	p++;
	if (*p++ != '.')
		return false;
	*subject = digits(&p);
	if (*subject < 0 || *p++ != '.')
		return false;
	*detail = digits(&p);
	return *detail >= 0 && (*p == '\0' || isspace((unsigned char)*p));
}

static void key_of(const char *answer, char *key, size_t max);

/* Words of a sending limit, by which servers without an X.4.5 code say it
 * ("550 5.7.1 Daily sending quota exceeded", "451 Ratelimit exceeded",
 * Office 365's "554 5.2.0 STOREDRV.Submission.Exception:
 * SubmissionQuotaExceededException"). A guest's mailbox is "full" or "over
 * quota", and a guest flooded "receiving mail at a rate that prevents
 * additional messages" (Gmail, 4.2.1): none of these. The first ones name
 * sending itself, and are the sender's even beside an X.2.x code (Office
 * 365's); the rest only where no code says the guest's. */
static const char *const sending_words[] = {
	"sending quota", "sending limit", "sending rate", "send quota", "send limit",
	"submission quota", "submissionquota",
};
static const char *const limit_words[] = {
	"rate limit", "ratelimit", "rate-limit", "too many messages", "message rate",
	"daily limit", "daily quota", "hourly limit", "throttl",
};

static bool
has_word(const char *lower, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(lower, words[i]) != NULL)
			return true;
	return false;
}

/* Does the server's reply (4xx or 5xx) name a sending limit? Its words
 * are read without the addresses in it ("<ratelimit@example.org>"). */
static bool
names_limit(const char *answer, bool sending_only)
{
	char key[SMTP_ANSWER_MAX];
	if ((answer[0] != '4' && answer[0] != '5') || !isdigit((unsigned char)answer[1]) ||
	    !isdigit((unsigned char)answer[2]))
		return false;
	key_of(answer, key, sizeof key);
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return has_word(key, sending_words, sizeof sending_words / sizeof *sending_words) ||
	    (!sending_only && has_word(key, limit_words, sizeof limit_words / sizeof *limit_words));
}

enum refusal_whose
refusal_whose(const char *answer)
{
	int subject = -1, detail = -1;
	if (answer == NULL)
		return REFUSAL_EITHER;
	if (!enhanced_code(answer, &subject, &detail))
		subject = detail = -1;
	if (subject == 1)
		return REFUSAL_GUEST;
	if (subject == 4 && detail == 5)
		return REFUSAL_SENDER;
	if (names_limit(answer, subject == 2))
		return REFUSAL_SENDER;
	return subject == 2 ? REFUSAL_GUEST : REFUSAL_EITHER;
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
