/* template: the words of a ticket e-mail, one text file per language
 * (templates/mail-en.txt, -nl, -fr, -de; [mail] templates or --template
 * for one's own).
 *
 * File format (UTF-8):
 *
 *     Subject: Your ticket for {event}
 *
 *     Hello {first_name},
 *
 *     {qr}
 *     ...
 *
 * The first line is "Subject: " and the subject; then a blank line; then
 * the body, paragraphs separated by blank lines. Placeholders in braces
 * ({first_name}, {last_name}, {name}, {email}, {company}, {ticket_type},
 * {code}, {event}, {date}, {place}) are replaced by the guest's and the
 * event's values; "{{" and "}}" are literal braces. An unknown or unclosed
 * placeholder is an error naming the file and line when the template is
 * loaded, before any guest is mailed. A paragraph that is only {qr} marks
 * where the HTML shows the QR code; the plain text leaves it out, and
 * without one the QR code comes after the text.
 *
 * One source makes both alternatives, so they never say different things:
 * the plain text is the body with the values in; the HTML is the same text
 * escaped, each paragraph a <p>, a single line break a <br>, and http(s)
 * addresses written in the template links. Values are escaped and never
 * made links: a guest named "<b>" or "https://evil" is text. */
#ifndef KIOSK_TEMPLATE_H
#define KIOSK_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#define TEMPLATE_MAX_BYTES (256 * 1024)  /* a template is a letter, not a book */

enum template_field {
	TEMPLATE_FIRST_NAME,
	TEMPLATE_LAST_NAME,
	TEMPLATE_NAME,          /* "First Last", or whichever there is */
	TEMPLATE_EMAIL,
	TEMPLATE_COMPANY,
	TEMPLATE_TICKET_TYPE,
	TEMPLATE_CODE,
	TEMPLATE_EVENT,
	TEMPLATE_DATE,
	TEMPLATE_PLACE,
	TEMPLATE__COUNT
};

struct template;

/* Parse a template from text; name stands for the file in messages
 * ("mail-nl.txt:7: unknown placeholder {frist_name}; placeholders: ...").
 * Returns 0 and *out, or -1 with *cause. Free with template_free(). */
int template_parse(const char *text, size_t len, const char *name, struct template **out,
    char **cause);

/* Same, from a file. */
int template_load(const char *path, struct template **out, char **cause);

/* Replace the subject with text (which may hold placeholders: --subject).
 * Returns 0, or -1 with *cause (the template is unchanged). */
int template_set_subject(struct template *t, const char *text, char **cause);

/* The placeholder's name without braces ("first_name"). */
const char *template_field_name(enum template_field f);

/* True when the subject or the body uses the placeholder. */
bool template_uses(const struct template *t, enum template_field f);

/* The template's file name, for messages. */
const char *template_name(const struct template *t);

/* A filled-in message. Strings are new; template_result_clear frees them. */
struct template_result {
	char *subject;          /* one line */
	char *text;             /* the plain text, '\n' line ends, ending with one */
	char *html;             /* a whole HTML document */
};

/* Words kiosk puts before the template's own, for what the template
 * cannot know (this ticket replaces one sent before): subject goes before
 * the subject, text is a paragraph before the first, set off in the HTML.
 * Plain text, escaped like a value; NULL for none. */
struct template_notice {
	const char *subject;
	const char *text;
};

/* Fill in the template. values[f] is the value of each placeholder (NULL
 * means ""); lang is the HTML's lang attribute ("nl"); qr_img is the HTML
 * element that shows the QR code, put in as it is; notice (may be NULL)
 * goes first. Never fails. */
void template_render(const struct template *t, const char *const values[TEMPLATE__COUNT],
    const char *lang, const char *qr_img, const struct template_notice *notice,
    struct template_result *r);

void template_result_clear(struct template_result *r);

/* template_free(NULL) does nothing. */
void template_free(struct template *t);

#endif
