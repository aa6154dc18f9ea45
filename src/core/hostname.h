/* hostname: which names the hub's live page answers to (the Host header).
 *
 * A page on another site, open in a browser on the venue network, can have
 * its own name made to point at the hub (DNS rebinding: evil.example first
 * resolves to the attacker's server, a minute later to 192.168.1.10). The
 * browser then takes the hub's answers for evil.example's own: the page
 * reads them, and sends forms the hub takes for the page's own (its Origin
 * and its Host agree), from the browser's address, so a guess it makes
 * counts against the organiser's. A hub on 127.0.0.1 is reached that way
 * too. The browser still sends the name it meant in Host, so the hub
 * answers only to names an attacker cannot own:
 *
 *  - an IP address written out (192.168.1.10, [fe80::1]): a rebinding page
 *    has a name, never an address;
 *  - localhost and names under .localhost (browsers keep them on loopback);
 *  - this computer's own name, and that name under .local (mDNS); for a
 *    name with its domain (hub.venue.lan), its first label too (hub);
 *  - the names kiosk.conf's [hub] names lists (a name the venue's DNS or
 *    a hosts file gives the hub), each a name, with a port or not, or the
 *    page's address copied from the browser ("http://NAME:8080/").
 *
 * With or without a port, in any case, a trailing dot allowed. No Host at
 * all (HTTP/1.0, which no browser sends) is let through: a browser always
 * sends one. Doors are not judged by it: their token is what lets them in. */
#ifndef KIOSK_HOSTNAME_H
#define KIOSK_HOSTNAME_H

#include <stdbool.h>
#include <stddef.h>

#define HOSTNAME_MAX 253        /* a DNS name's longest */

/* May a request with this Host header (NULL: none) be served? self: this
 * computer's name (gethostname; NULL or "" for none); names: n more names
 * the hub goes by. */
bool hostname_allowed(const char *host, const char *self, const char *const *names, size_t n);

#endif
