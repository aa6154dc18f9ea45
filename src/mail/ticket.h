/* ticket: one guest's ticket e-mail, whole, as the bytes that are sent.
 *
 * The message (RFC 5322, MIME per RFC 2045-2047 and 2387):
 *
 *   multipart/mixed
 *     multipart/alternative
 *       text/plain; charset=UTF-8         quoted-printable
 *       multipart/related
 *         text/html; charset=UTF-8        quoted-printable, <img src="cid:...">
 *         image/png                       base64, inline: the ticket's QR code
 *     application/pdf                     base64, attachment: the ticket, drawn
 *                                         by the badge renderer ("card" layout)
 *
 * Headers: Date (the event's zone), From, To, Subject, Message-ID (made
 * here: a random UUID at the sender's domain), MIME-Version. Boundaries and
 * the QR's Content-ID derive from the Message-ID, so each message's are its
 * own. The text comes from the guest's language's template (template.h):
 * the guest's language column, else the event's default; a --template file
 * serves everyone. The QR code holds the ticket code exactly as the door
 * reads it (the badge's encoding: 8-bit mode, level M).
 *
 * A ticket that replaces one mailed before (the guest's code changed since)
 * says so, in the message's language, whatever the template: "New ticket
 * (replaces your earlier one): " before the subject, and a first paragraph
 * naming the earlier code, which no longer admits them. Without it the
 * guest holds two e-mails of the same subject, keeps the first, and is
 * turned away at the door.
 *
 * The same bytes go to the server and, in a dry run, to the .eml file. */
#ifndef KIOSK_TICKET_H
#define KIOSK_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "core/util.h"
#include "mail/template.h"

#define TICKET_LANGS      4        /* en, nl, fr, de */
#define TICKET_QR_MODULE  8        /* pixels per QR module in the PNG */
#define TICKET_PDF_MAX    (16u << 20)

/* What a ticket e-mail is made from that is the same for every guest. */
struct ticket_setup {
	const char *event_name;
	const char *event_date;       /* text, as it is written ("" when unset) */
	const char *event_place;
	const char *from;             /* "Name <address>" or an address */
	const char *language;         /* the default: en, nl, fr or de */
	const char *own_dir;          /* folder of one's own mail-LANG.txt, or NULL */
	const char *shipped_dir;      /* the shipped templates/ folder */
	const char *template_file;    /* one template for everybody (--template), or NULL */
	const char *subject;          /* a subject for everybody (--subject), or NULL */
	const char *work_dir;         /* a private folder the PDFs are drawn in */
	const char *conf_path;        /* the settings file messages name; NULL: kiosk.conf */
};

/* A guest, as the message needs them. NULL means "". */
struct ticket_guest {
	const char *first_name;
	const char *last_name;
	const char *email;
	const char *company;
	const char *ticket_type;
	const char *handle;
	const char *code;
	const char *language;         /* en, nl, fr, de, or "": the default */
	const char *replaces;         /* the code of the ticket mailed to them before that this
	                               * one replaces (an import gave them a new code), or
	                               * NULL or "": none */
};

/* A message, ready to send. ticket_message_clear frees it. */
struct ticket_message {
	char *data;                   /* CRLF lines */
	size_t len;
	char *message_id;             /* "<...@domain>" */
	char *lang;                   /* the language it is written in */
};

struct ticket_maker;

/* Load and check what every message needs: the sender's address, and the
 * templates of the four languages (own ones first, else shipped), each
 * checked for placeholders the event cannot fill ({date} with no
 * [event] date). Returns 0 and *out, or -1 with *cause. */
int ticket_maker_new(const struct ticket_setup *setup, struct ticket_maker **out,
    char **cause);

/* The sender's bare address (for the SMTP envelope). Owned by mk. */
const char *ticket_maker_from(const struct ticket_maker *mk);

/* Make guest g's message, dated now (UTC ms). The address must be valid
 * (util_email_ok). Returns 0 and *m, or -1 with *cause (the PDF could
 * not be drawn). */
int ticket_make(struct ticket_maker *mk, const struct ticket_guest *g, int64_t now_ms,
    struct ticket_message *m, char **cause);

/* ticket_maker_free(NULL) does nothing. */
void ticket_maker_free(struct ticket_maker *mk);


void ticket_message_clear(struct ticket_message *m);

/* The QR code of code as a 1-bit greyscale PNG in memory, module pixels a
 * module with the 4-module quiet zone. Returns 0 with *png (caller frees),
 * *len and *side (its width and height in pixels), or -1 with *cause. */
int ticket_qr_png(const char *code, int module, unsigned char **png, size_t *len, int *side,
    char **cause);

/* The parts of one message, for ticket_assemble. */
struct ticket_parts {
	const char *date;             /* mime_date() text */
	const char *message_id;       /* "<unique@domain>" */
	const char *from_name, *from_addr;
	const char *to_name, *to_addr;
	const char *subject;
	const char *text;             /* plain text, '\n' line ends */
	const char *html;             /* its HTML with <img src="cid:<qr_cid>"> */
	const char *qr_cid;           /* the PNG's Content-ID, without brackets */
	const unsigned char *png;
	size_t png_len;
	const unsigned char *pdf;
	size_t pdf_len;
	const char *boundary;         /* a unique stem; the three boundaries add to it */
};

/* Write the whole message (see the top of this file) into b. */
void ticket_assemble(const struct ticket_parts *p, struct buf *b);

#endif
