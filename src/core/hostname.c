/* hostname: which names the hub's live page answers to (see hostname.h). */
#include "core/hostname.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

/* The name part of host into out ("[::1]:8080" is "::1", "Hub.:80" is
 * "Hub"), or false when host is no host[:port]. *literal: it was in
 * brackets (an IPv6 address). */
static bool
name_of(const char *host, char *out, size_t size, bool *literal)
{
	const char *end, *port;
	*literal = host[0] == '[';
	if (*literal) {
		end = strchr(host, ']');
		if (end == NULL)
			return false;
		host++;
		port = end + 1;
	} else {
		end = host + strcspn(host, ":");
		port = end;
	}
	if (*port == ':') {
		port++;
		if (*port == '\0' || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5)
			return false;
	} else if (*port != '\0') {
		return false;
	}
	size_t len = (size_t)(end - host);
	if (!*literal && len > 0 && host[len - 1] == '.')
		len--;  /* "hub.lan." is "hub.lan" */
	if (len == 0 || len >= size)
		return false;
	memcpy(out, host, len);
	out[len] = '\0';
	return true;
}

/* The name a [hub] names entry gives (name_of), also when it was copied
 * from the browser's address bar: "http://checkin.venue.lan:8080/" is
 * "checkin.venue.lan". Without this, the page answered 421 to the very
 * name the organiser had listed, and its message said to list it. */
static bool
listed_name(const char *listed, char *out, size_t size, bool *literal)
{
	char host[HOSTNAME_MAX + 16];
	const char *scheme = strstr(listed, "://");
	if (scheme != NULL)
		listed = scheme + 3;
	size_t len = strcspn(listed, "/?#");
	if (len >= sizeof host)
		return false;
	memcpy(host, listed, len);
	host[len] = '\0';
	return name_of(host, out, size, literal);
}

/* name is want, or want followed by suffix (".local"). */
static bool
same(const char *name, const char *want, const char *suffix)
{
	size_t n = strlen(want);
	if (n == 0 || strncasecmp(name, want, n) != 0)
		return false;
	return suffix == NULL ? name[n] == '\0' : strcasecmp(name + n, suffix) == 0;
}

bool
hostname_allowed(const char *host, const char *self, const char *const *names, size_t n)
{
	char name[HOSTNAME_MAX + 1];
	unsigned char addr[16];
	bool literal;

	if (host == NULL)
		return true;
	/* spaces around a header's value are not part of it (RFC 9110, 5.5) */
	char trimmed[HOSTNAME_MAX + 16];
	size_t len = strlen(host + strspn(host, " \t"));
	host += strspn(host, " \t");
	while (len > 0 && (host[len - 1] == ' ' || host[len - 1] == '\t'))
		len--;
	if (len >= sizeof trimmed)
		return false;
	memcpy(trimmed, host, len);
	trimmed[len] = '\0';
	if (!name_of(trimmed, name, sizeof name, &literal))
		return false;
	if (literal)
		return inet_pton(AF_INET6, name, addr) == 1;
	/* dotted quads only: a browser writes 0x7f.1 and 2130706433 so too */
	if (inet_pton(AF_INET, name, addr) == 1)
		return true;
	len = strlen(name);
	if (strcasecmp(name, "localhost") == 0 ||
	    (len > 10 && strcasecmp(name + len - 10, ".localhost") == 0))
		return true;
	if (self != NULL && (same(name, self, NULL) || same(name, self, ".local")))
		return true;
	/* A computer named with its domain ("hub.venue.lan") is reached by its
	 * first label alone too ("hub", the venue's search domain added):
	 * a name of one label is nobody's on the internet. */
	size_t label = self != NULL ? strcspn(self, ".") : 0;
	if (label > 0 && self[label] == '.' && strlen(name) == label &&
	    strncasecmp(name, self, label) == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		char want[HOSTNAME_MAX + 1];
		bool lit;
		/* a listed name may carry a port or a dot at its end too, or be
		 * the page's address as the browser shows it */
		if (names[i] != NULL && listed_name(names[i], want, sizeof want, &lit) &&
		    strcasecmp(name, want) == 0)
			return true;
	}
	return false;
}
