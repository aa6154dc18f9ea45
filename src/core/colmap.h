/* colmap: which column of an export holds which guest field.
 *
 * Header names are matched in English, Dutch, French and German, after
 * folding case, diacritics, punctuation and spaces ("E-mailadres",
 * "Adresse e-mail", "Prénom", "Barcode #"). Overrides (`--map field=Column`)
 * win over the table. Ambiguous names ("Name", "Naam", "Nom") mean the last
 * name when a first-name column exists, else the full name. A column that maps
 * to no field is an extra field (T-shirt size, dietary needs), kept per guest
 * under its header text. The first column mapped to a field wins, unless a
 * later one is the attendee's own ("Attendee email" beside an order's
 * "Email"); later columns with the same meaning become extras. A column without a header
 * is named "Column N", and a header seen before gets " (2)", " (3)"...,
 * so that no extra field hides another. */
#ifndef KIOSK_COLMAP_H
#define KIOSK_COLMAP_H

#include <stdbool.h>
#include <stddef.h>

enum colmap_field {
	COLMAP_FIRST,   /* first name */
	COLMAP_LAST,    /* last name */
	COLMAP_FULL,    /* full name, split with colmap_split_name() */
	COLMAP_EMAIL,
	COLMAP_COMPANY,
	COLMAP_TYPE,    /* ticket type */
	COLMAP_HANDLE,  /* social handle */
	COLMAP_EXTID,   /* the platform's own id for the attendee */
	COLMAP_CODE,    /* a ticket code the platform issued (barcode, secret) */
	COLMAP_STATUS,  /* attendee status: cancelled rows are marked cancelled */
	COLMAP_LANGUAGE,/* the language a guest is written to (colmap_language) */
	COLMAP_INFIX,   /* Dutch "tussenvoegsel" (van, de, van der): starts the last name */
	COLMAP_FULL_LF, /* full name, last name first ("Nom et prénom"):
	                 * colmap_split_name_last_first() */
	COLMAP__COUNT
};

struct colmap;

/* An override from the command line: field name (as colmap_field_name()
 * gives it, or an alias: first, last, name, email, company, type, handle, id,
 * code, status, language) and the exact header text of the column. */
struct colmap_override {
	const char *field;
	const char *column;
};

/* Parse "field=Column" into *ov (pointers into spec, which must outlive it).
 * Returns 0, or -1 with *cause ("--map 'emial=Mail': unknown field 'emial';
 * fields: first, last, ..."). */
int colmap_parse_override(const char *spec, struct colmap_override *ov, char **cause);

/* Build the map for a header row. Returns 0 and *out, or -1 with *cause when
 * no name can be found ("no name column: expected a first/last name or full
 * name column such as 'First Name', 'Voornaam', 'Prénom', 'Name'; use --map
 * first=COLUMN") or an override names a column that is not there. */
int colmap_build(char *const *headers, size_t n,
    const struct colmap_override *ov, size_t nov,
    struct colmap **out, char **cause);

/* Column index of a field, or -1 when the export has none. */
int colmap_column(const struct colmap *m, enum colmap_field f);

/* An extra column a row's first name, last name, full name or e-mail is
 * read from where the field's own column is blank, or -1: the buyer's
 * ("Buyer email", "Invoice address name", "Registration name", "Email
 * payeur"), or a column of the same meaning that lost to the attendee's
 * own (pretix's order "Email" beside "Attendee email"). */
int colmap_fallback(const struct colmap *m, enum colmap_field f);
/* The column whose value scopes the id column's, or -1: pretix numbers
 * each order's tickets from 1, so its "Position ID" is an id only after the
 * "Order code" ("QK3TA-2"). */
int colmap_id_scope(const struct colmap *m);
/* Field a column maps to, or -1 for an extra column. */
int colmap_field_of(const struct colmap *m, size_t column);

/* Number of columns in the header, and the header text of one (trimmed). */
size_t colmap_ncolumns(const struct colmap *m);
const char *colmap_header(const struct colmap *m, size_t column);

/* Canonical short name of a field: "first", "last", "name", "email",
 * "company", "type", "handle", "id", "code", "status", "language",
 * "infix", "name-last-first". */
const char *colmap_field_name(enum colmap_field f);

/* Split a full name into first and last name (new strings, caller frees).
 * "Inès Çelik" -> Inès / Çelik; "Thijs Van Der Auwera" -> Thijs / Van Der
 * Auwera (particles van, de, der, den, von, du, le, la, da, di, ten, ter...
 * join the last name); "Jan Willem Smit" -> Jan Willem / Smit; "Smit, Jan" ->
 * Jan / Smit; "Anne Van den Broeck-De Smet" -> Anne / Van den Broeck-De
 * Smet (a double surname whose second half starts with a particle); a
 * single word is a first name with an empty last name. */
void colmap_split_name(const char *full, char **first, char **last);

/* The same for a column that asks for the last name first ("Nom et
 * prénom", "Achternaam en voornaam"): "Dupont Jean" -> Jean / Dupont; the
 * particles that start a last name stay with it ("Van den Berg Jan Peter"
 * -> Jan Peter / Van den Berg; "Van der Berg" alone is a last name, as
 * is "Le Van Thanh"), and so does a double surname ("Peeters-Van den Berg
 * Anne" -> Anne / Peeters-Van den Berg); "Dupont, Jean" -> Jean / Dupont;
 * a single word is a last name with an empty first name, as the column
 * asks for the last name first. */
void colmap_split_name_last_first(const char *full, char **first, char **last);

/* True when an attendee-status value means the ticket is not valid:
 * Eventbrite "Not Attending"/"Cancelled"/"Refunded"/"Deleted"/"Abandoned", Meetup RSVP
 * "No"/"Waitlist", pretix "canceled", and Dutch, French, German equivalents
 * (geannuleerd, annulé, storniert...). Blank and unknown values are valid. */
bool colmap_status_cancelled(const char *value);
/* What a status column's value says of its ticket, the header read too: a
 * cancelled value above, or yes in a column asking whether the ticket is
 * void (Tito's "Void Status": true); unpaid for pretix's "pending",
 * Eventbrite's "Offline" (to be paid at the door or by invoice) (and
 * "unpaid", "onbetaald", "impayé", "unbezahlt"...), which the import lets
 * in with a warning; valid for blank and the words platforms use for a
 * valid ticket (Attending, Checked In, paid, Yes, Validé, Bezahlt...);
 * unknown for any other ("Transferred", a typo such as "Cancled"), which
 * the import also lets in with a warning. */
enum colmap_status {
	COLMAP_STATUS_VALID,
	COLMAP_STATUS_CANCELLED,
	COLMAP_STATUS_UNPAID,
	COLMAP_STATUS_UNKNOWN,
};
enum colmap_status colmap_status(const char *header, const char *value);

/* True when a column (header, value) says the order is not paid: pretix's
 * "Paid" = "No", a "Payment status" of "Pending" or "Unpaid", and their
 * Dutch, French and German words (Betaald: Nee, Payé : Non, Bezahlt: Nein,
 * Zahlungsstatus: offen). Such a column is an extra field; the import
 * warns of the row. colmap_unpaid is the two halves below: a reader of
 * many rows judges the header once. */
/* Whether a column asks if the ticket is cancelled, yes or no (Tito's
 * "Void Status", "Refunded", and the column an organiser adds to a list:
 * "Cancelled", "Geannuleerd", "Annulé", "Storniert"...). Beside another
 * status column, the import reads it too: a yes (or an x, a tick) in
 * either cancels. */
bool colmap_cancel_column(const char *header);

bool colmap_unpaid(const char *header, const char *value);
bool colmap_payment_column(const char *header);
bool colmap_unpaid_value(const char *value);

/* Whether a column counts the guests a registrant brings (Meetup's
 * "Guests", "Plus-ones", "Introducés", "Begleitpersonen"...): they have no
 * tickets of their own, so the import warns of each row that has some. */
bool colmap_plus_ones_column(const char *header);

/* Whether text, the first cell of a row with no e-mail, code or id, starts
 * a spreadsheet's totals line or an export's footer, not a guest: "Total",
 * "Totaal: 212", "Sous-total", "Summe", "Generated by Eventbrite on ...",
 * "Exporté le ...", "Erstellt am ...". Case and accents folded; a word
 * that only starts one ("Totalement", "Generation") is no such line. */
bool colmap_footer_text(const char *text);

/* The language a Language column's value names: "en", "nl", "fr" or "de"
 * (static strings), "" for a blank value, or NULL for a value that names
 * none of them ("Klingon", "es"). Takes codes and locales ("nl", "nl-BE",
 * "fr_BE.UTF-8", "DE", "deu") and the languages' names in the four
 * languages ("Nederlands", "Dutch", "Vlaams", "Français", "Deutsch",
 * "Anglais"), case and accents folded. */
const char *colmap_language(const char *value);

void colmap_free(struct colmap *m);

#endif
