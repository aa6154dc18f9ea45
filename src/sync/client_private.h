/* client_private: the client's reading of curl's failures, shared with
 * the tests.
 *
 * Why a request did not reach the hub decides both the advice kiosk sync
 * and kiosk doctor print after curl's words and the line a door's admin
 * screen shows (client_report.unreached): one decision, so that the two
 * never disagree. */
#ifndef KIOSK_CLIENT_PRIVATE_H
#define KIOSK_CLIENT_PRIVATE_H

#include <curl/curl.h>
#include <stdbool.h>

#include "core/merge.h"

/* Why a request that failed with cr did not reach the hub: os_errno is
 * curl's CURLINFO_OS_ERRNO, connected whether a connection was made
 * (CURLINFO_CONNECT_TIME_T), error curl's own words (its error buffer),
 * proxied whether it went through a proxy the environment names (then
 * what was not reached is the proxy), mdns whether the hub's name is one
 * only mDNS finds, tls whether the address is https://. MERGE_UNREACHED_NONE
 * when curl's words are all there is to say. */
enum merge_unreached client_unreached(CURLcode cr, long os_errno, bool connected,
    const char *error, bool proxied, bool mdns, bool tls);

/* Why a hub that answered HTTP status (5xx: it failed) with error, its own
 * words (its JSON's "error", NULL if none), gave no answer to use: its
 * disk full (its store_fail words say so), else its own trouble, which
 * someone at the hub's computer sees. Without its words, a 502, 503 or 504
 * is a web server in front of the hub that got no answer from it (proxied
 * as for client_unreached: then the proxy the environment names).
 * MERGE_UNREACHED_NONE for any other status, or another answer that is
 * not the hub's. */
enum merge_unreached client_hub_failed(long status, const char *error, bool proxied);

#endif
