/* printq: badges printed at the door, on their own thread.
 *
 * The door never waits for a printer: a badge to print is queued (a copy of
 * what goes on it), and a thread renders it to a temporary PDF and sends it
 * to CUPS. The result comes back as a line of text the door shows
 * ("Badge printed", or what went wrong with the printer). A full queue
 * drops the newest badge with a message rather than grow. */
#ifndef KIOSK_PRINTQ_H
#define KIOSK_PRINTQ_H

#include <stdbool.h>
#include <stddef.h>

#include "badge/badge.h"

#define PRINTQ_MAX 16

struct printq;

/* Start the printing thread for layout (a name from badge.h) and printer
 * ("" for the default). NULL when the layout is unknown or no thread. */
struct printq *printq_start(const char *layout, const char *printer);
void printq_stop(struct printq *q);       /* waits for the job in hand */

/* Queue one badge (the strings are copied). False when the queue is full. */
bool printq_add(struct printq *q, const struct badge_info *b);

/* The newest result not yet taken, copied to buf: true when there was one. */
bool printq_result(struct printq *q, char *buf, size_t n, bool *ok);

#endif
