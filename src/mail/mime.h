/* mime: the pieces of an Internet message, written into a struct buf:
 * RFC 5322 headers, RFC 2047 encoded words, RFC 2045 bodies.
 *
 * Rules:
 *  - Every line ends CRLF and stays within 78 characters, headers included
 *    (RFC 5322's limit; RFC 2047 asks 76 of a line with encoded words), so
 *    a message passes SMTP unchanged: what a dry run writes is what the
 *    server receives, byte for byte.
 *  - Header values come from outside (a guest's name, the event's name, a
 *    template's subject): every control character in them, CR and LF
 *    included, becomes a space, so no value can add a header of its own.
 *  - Text that is not plain ASCII becomes UTF-8 "Q" encoded words of at
 *    most 75 characters, cut between characters, never inside one. ASCII
 *    display names are quoted strings; ASCII subjects are folded at spaces.
 *  - Bodies: text as quoted-printable (UTF-8), with a '.' or "From " at the
 *    start of a line encoded too, so no relay's dot-stuffing or mbox quoting
 *    can alter it; binary as base64. Both in lines of at most 76.
 *  - Boundaries start with "=_", which neither body encoding can produce,
 *    so a boundary never occurs inside a part.
 * Nothing here fails: buffers grow without a cap (util.h aborts when memory
 * runs out), and the caller bounds what goes in. */
#ifndef KIOSK_MIME_H
#define KIOSK_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

#define MIME_DATE_MAX   40   /* bytes of a Date value with its NUL */

/* Split "Name <addr>", "\"Name\" <addr>" or a bare "addr" into a new
 * display name ("" when none) and address, the address checked with
 * util_email_ok. Returns 0, or -1 (nothing written). Caller frees. */
int mime_parse_mailbox(const char *text, char **name, char **addr);

/* Append "Name: value" with value an unstructured text (a Subject),
 * folded and encoded as the rules above say. */
void mime_header_text(struct buf *b, const char *name, const char *value);

/* Append "Name: display <addr>" (or "Name: addr" when display is empty or
 * NULL). addr must be valid (util_email_ok). */
void mime_header_mailbox(struct buf *b, const char *name, const char *display,
    const char *addr);

/* Append len bytes of UTF-8 text ('\n' or "\r\n" line ends) as
 * quoted-printable, ending with CRLF. */
void mime_qp(struct buf *b, const char *text, size_t len);

/* Append len bytes as base64 in lines of 76, ending with CRLF. */
void mime_base64(struct buf *b, const void *data, size_t len);

/* The RFC 5322 date of ms (UTC milliseconds) in the process's time zone:
 * "Thu, 21 May 2026 09:00:00 +0200", English names whatever the locale. */
void mime_date(int64_t ms, char out[MIME_DATE_MAX]);

#endif
