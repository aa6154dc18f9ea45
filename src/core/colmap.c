/* colmap: which column of an export holds which guest field (see colmap.h).
 *
 * Header names and aliases are compared as keys: fold_key() of the text, so
 * case, accents, spaces and punctuation do not matter, plus a trailing '#'
 * when the text has one. fold_key drops the '#', and Eventbrite's
 * "Attendee #" (an id) must not be "Attendee" (a name). */
#include "core/colmap.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/fold.h"
#include "core/util.h"

/* Name, Naam, Nom: the last name next to a first-name column, else the full
 * name. Resolved after every other column is known. */
#define AMBIGUOUS_NAME COLMAP__COUNT
/* An alias for the attendee's own value, beside a buyer's or an order's:
 * its column wins over one of a plain alias ("Attendee email", "Email"). */
#define OWN 0x100

struct colmap {
	size_t n;                     /* columns in the header */
	char **headers;               /* trimmed header text of each column */
	int *field_of;                /* field of each column, or -1 for an extra */
	int column[COLMAP__COUNT];    /* column of each field, or -1 */
	int fallback[COLMAP__COUNT];  /* an extra column read where the field's is blank */
	int id_scope;                 /* pretix's order code, the id's scope, or -1 */
};

/* Header names as the platforms and spreadsheets in our four languages write
 * them. Only the folded form counts, so one spelling per word is enough. */
static const struct {
	int field;        /* enum colmap_field, or AMBIGUOUS_NAME; | OWN */
	const char *text;
} aliases[] = {
	{ COLMAP_FIRST, "First Name" },
	{ COLMAP_FIRST, "First" },
	{ COLMAP_FIRST, "Given name" },
	{ COLMAP_FIRST, "Given names" },
	{ COLMAP_FIRST, "Forename" },
	{ COLMAP_FIRST | OWN, "Attendee first name" },
	{ COLMAP_FIRST | OWN, "Attendee name: Given name" },     /* pretix name parts */
	{ COLMAP_FIRST | OWN, "Ticket first name" },      /* Tito */
	{ COLMAP_FIRST | OWN, "Prénom participant" },     /* HelloAsso */
	{ COLMAP_FIRST | OWN, "Prénom adhérent" },
	{ COLMAP_FIRST, "Voornaam" },
	{ COLMAP_FIRST, "Roepnaam" },
	{ COLMAP_FIRST, "Prénom" },
	{ COLMAP_FIRST, "Vorname" },

	{ COLMAP_LAST, "Last Name" },
	{ COLMAP_LAST, "Last" },
	{ COLMAP_LAST, "Surname" },
	{ COLMAP_LAST, "Family name" },
	{ COLMAP_LAST | OWN, "Attendee last name" },
	{ COLMAP_LAST | OWN, "Attendee surname" },
	{ COLMAP_LAST | OWN, "Attendee name: Family name" },
	{ COLMAP_LAST | OWN, "Ticket last name" },
	{ COLMAP_LAST | OWN, "Nom participant" },
	{ COLMAP_LAST | OWN, "Nom adhérent" },
	{ COLMAP_LAST, "Achternaam" },
	{ COLMAP_LAST, "Familienaam" },
	{ COLMAP_LAST, "Nom de famille" },
	{ COLMAP_LAST, "Nachname" },
	{ COLMAP_LAST, "Familienname" },

	{ COLMAP_FULL, "Full name" },
	{ COLMAP_FULL | OWN, "Attendee name" },
	{ COLMAP_FULL, "Attendee" },
	{ COLMAP_FULL | OWN, "Ticket full name" },
	{ COLMAP_FULL, "Guest" },
	{ COLMAP_FULL, "Guest name" },
	{ COLMAP_FULL, "Participant" },
	{ COLMAP_FULL, "Participant name" },
	{ COLMAP_FULL, "Your name" },
	{ COLMAP_FULL, "Volledige naam" },
	{ COLMAP_FULL, "Naam deelnemer" },
	{ COLMAP_FULL, "Deelnemer" },
	{ COLMAP_FULL, "Gast" },
	{ COLMAP_FULL, "Uw naam" },
	{ COLMAP_FULL, "Jouw naam" },
	{ COLMAP_FULL, "Nom complet" },
	{ COLMAP_FULL, "Nom du participant" },
	{ COLMAP_FULL, "Votre nom" },
	{ COLMAP_FULL, "Vollständiger Name" },
	{ COLMAP_FULL, "Teilnehmer" },
	{ COLMAP_FULL, "Teilnehmername" },
	{ COLMAP_FULL, "Name des Teilnehmers" },
	{ COLMAP_FULL, "Ihr Name" },
	/* first name first; "Nom et prénom" is the other way round, below */
	{ COLMAP_FULL, "Voor- en achternaam" },
	{ COLMAP_FULL, "Voornaam en achternaam" },
	{ COLMAP_FULL, "Prénom et nom" },
	{ COLMAP_FULL, "Prénom nom" },
	{ COLMAP_FULL, "Vor- und Nachname" },
	{ COLMAP_FULL, "Vorname und Nachname" },

	/* the whole name, last name first: folded, "Nom, prénom" is "Nom
	 * prénom" */
	{ COLMAP_FULL_LF, "Nom et prénom" },
	{ COLMAP_FULL_LF, "Nom prénom" },
	{ COLMAP_FULL_LF, "Nom et prénoms" },
	{ COLMAP_FULL_LF, "Nom et prénom du participant" },
	{ COLMAP_FULL_LF, "Achternaam en voornaam" },
	{ COLMAP_FULL_LF, "Achternaam voornaam" },
	{ COLMAP_FULL_LF, "Naam en voornaam" },
	{ COLMAP_FULL_LF, "Naam voornaam" },
	{ COLMAP_FULL_LF, "Nachname und Vorname" },
	{ COLMAP_FULL_LF, "Nachname Vorname" },
	{ COLMAP_FULL_LF, "Name Vorname" },
	{ COLMAP_FULL_LF, "Last name first name" },
	{ COLMAP_FULL_LF, "Last name and first name" },
	{ COLMAP_FULL_LF, "Surname first name" },
	{ COLMAP_FULL_LF, "Surname and first name" },

	{ AMBIGUOUS_NAME, "Name" },
	{ AMBIGUOUS_NAME, "Naam" },
	{ AMBIGUOUS_NAME, "Nom" },

	{ COLMAP_EMAIL, "Email" },
	{ COLMAP_EMAIL, "Email address" },
	{ COLMAP_EMAIL | OWN, "Attendee email" },
	{ COLMAP_EMAIL | OWN, "Ticket email" },
	{ COLMAP_EMAIL | OWN, "Email participant" },
	{ COLMAP_EMAIL, "Your email" },
	{ COLMAP_EMAIL, "Mail" },
	{ COLMAP_EMAIL, "E-mailadres" },
	{ COLMAP_EMAIL, "Mailadres" },
	{ COLMAP_EMAIL, "Adresse e-mail" },
	{ COLMAP_EMAIL, "Adresse électronique" },
	{ COLMAP_EMAIL, "Courriel" },
	{ COLMAP_EMAIL, "E-Mail-Adresse" },

	{ COLMAP_COMPANY, "Company" },
	{ COLMAP_COMPANY, "Company name" },
	{ COLMAP_COMPANY, "Organization" },
	{ COLMAP_COMPANY, "Organisation" },
	{ COLMAP_COMPANY, "Affiliation" },
	{ COLMAP_COMPANY, "Employer" },
	{ COLMAP_COMPANY, "Ticket company name" },
	{ COLMAP_COMPANY, "Bedrijf" },
	{ COLMAP_COMPANY, "Bedrijfsnaam" },
	{ COLMAP_COMPANY, "Organisatie" },
	{ COLMAP_COMPANY, "Entreprise" },
	{ COLMAP_COMPANY, "Société" },
	{ COLMAP_COMPANY, "Organisme" },
	{ COLMAP_COMPANY, "Firma" },
	{ COLMAP_COMPANY, "Unternehmen" },

	{ COLMAP_TYPE, "Ticket Type" },
	{ COLMAP_TYPE, "Ticket" },
	{ COLMAP_TYPE, "Ticket class" },
	{ COLMAP_TYPE, "Ticket name" },
	{ COLMAP_TYPE, "Registration type" },
	{ COLMAP_TYPE, "Product" },                  /* pretix */
	{ COLMAP_TYPE, "Type ticket" },
	{ COLMAP_TYPE, "Soort ticket" },
	{ COLMAP_TYPE, "Ticketsoort" },
	{ COLMAP_TYPE, "Kaartsoort" },
	{ COLMAP_TYPE, "Soort kaart" },
	{ COLMAP_TYPE, "Type de place" },
	{ COLMAP_TYPE, "Ticketkategorie" },
	{ COLMAP_TYPE, "Type de billet" },
	{ COLMAP_TYPE, "Type de ticket" },
	{ COLMAP_TYPE, "Billet" },
	{ COLMAP_TYPE, "Ticketart" },
	{ COLMAP_TYPE, "Ticket-Typ" },
	{ COLMAP_TYPE, "Type" },
	{ COLMAP_TYPE, "Ticket category" },
	{ COLMAP_TYPE, "Tarif" },
	{ COLMAP_TYPE, "Catégorie" },
	{ COLMAP_TYPE, "Categorie" },
	{ COLMAP_TYPE, "Kategorie" },

	{ COLMAP_HANDLE, "Twitter" },
	{ COLMAP_HANDLE, "Twitter handle" },
	{ COLMAP_HANDLE, "X" },
	{ COLMAP_HANDLE, "X handle" },
	{ COLMAP_HANDLE, "Twitter/X" },
	{ COLMAP_HANDLE, "Handle" },
	{ COLMAP_HANDLE, "Social" },
	{ COLMAP_HANDLE, "Social handle" },
	{ COLMAP_HANDLE, "Instagram" },
	{ COLMAP_HANDLE, "Mastodon" },
	{ COLMAP_HANDLE, "Bluesky" },

	{ COLMAP_EXTID, "Attendee #" },              /* Eventbrite */
	{ COLMAP_EXTID, "Attendee ID" },
	{ COLMAP_EXTID, "User ID" },                 /* Meetup */
	{ COLMAP_EXTID, "Member ID" },
	{ COLMAP_EXTID, "ID" },
	{ COLMAP_EXTID, "Registration ID" },
	{ COLMAP_EXTID, "Position ID" },             /* pretix */
	{ COLMAP_EXTID, "Deelnemer ID" },
	{ COLMAP_EXTID, "ID participant" },
	{ COLMAP_EXTID, "Teilnehmer-ID" },
	{ COLMAP_EXTID, "API ID" },                  /* Luma: the guest's "gst-..." */

	{ COLMAP_CODE, "Barcode #" },                /* Eventbrite */
	{ COLMAP_CODE, "Barcode number" },           /* Eventbrite since 2024 */
	{ COLMAP_CODE, "Ticket reference" },         /* Tito */
	{ COLMAP_CODE, "Barcode" },
	{ COLMAP_CODE, "Secret" },                   /* pretix */
	{ COLMAP_CODE, "Ticket secret" },
	{ COLMAP_CODE, "Ticket code" },
	{ COLMAP_CODE, "Code" },
	{ COLMAP_CODE, "QR code" },
	/* Luma: the link its ticket's QR code holds, whole
	 * ("https://luma.com/check-in/evt-...?pk=g-..."); a scan of it is
	 * matched by code_url_parts too */
	{ COLMAP_CODE, "QR code URL" },
	{ COLMAP_CODE, "QR" },
	{ COLMAP_CODE, "Ticket number" },
	{ COLMAP_CODE, "Ticketnummer" },
	{ COLMAP_CODE, "Ticket-Nr." },
	{ COLMAP_CODE, "Ticket-Nummer" },
	{ COLMAP_CODE, "Ticketcode" },
	{ COLMAP_CODE, "Streepjescode" },
	{ COLMAP_CODE, "Barcodenummer" },
	{ COLMAP_CODE, "Barcode-Nummer" },
	{ COLMAP_CODE, "Strichcode" },
	{ COLMAP_CODE, "Code du billet" },
	{ COLMAP_CODE, "Code billet" },
	{ COLMAP_CODE, "Code-barres" },
	{ COLMAP_CODE, "Code barre" },
	{ COLMAP_CODE, "Numéro de billet" },

	{ COLMAP_STATUS, "Attendee Status" },        /* Eventbrite */
	{ COLMAP_STATUS, "Status" },
	{ COLMAP_STATUS, "RSVP" },                   /* Meetup */
	{ COLMAP_STATUS, "RSVP status" },
	{ COLMAP_STATUS, "Order status" },
	{ COLMAP_STATUS, "Ticket status" },
	{ COLMAP_STATUS, "Registration status" },
	{ COLMAP_STATUS, "Statut" },
	{ COLMAP_STATUS, "Statut de la commande" },  /* HelloAsso */
	{ COLMAP_STATUS, "Void status" },            /* Tito */
	{ COLMAP_STATUS, "Approval status" },        /* Luma: approved, declined, waitlist */
	{ COLMAP_STATUS, "Inschrijvingsstatus" },
	{ COLMAP_STATUS, "Teilnahmestatus" },

	{ COLMAP_LANGUAGE, "Language" },
	{ COLMAP_LANGUAGE, "Lang" },
	{ COLMAP_LANGUAGE, "Locale" },
	{ COLMAP_LANGUAGE, "Preferred language" },
	{ COLMAP_LANGUAGE, "Attendee language" },
	{ COLMAP_LANGUAGE, "Taal" },
	{ COLMAP_LANGUAGE, "Voorkeurstaal" },
	{ COLMAP_LANGUAGE, "Langue" },
	{ COLMAP_LANGUAGE, "Langue préférée" },
	{ COLMAP_LANGUAGE, "Sprache" },
	{ COLMAP_LANGUAGE, "Bevorzugte Sprache" },

	{ COLMAP_INFIX, "Tussenvoegsel" },
	{ COLMAP_INFIX, "Tussenvoegsels" },
	{ COLMAP_INFIX, "Voorvoegsel" },
	{ COLMAP_INFIX, "Voorvoegsels" },
};
#define NALIASES (sizeof aliases / sizeof aliases[0])

/* Field names for --map: the canonical name first, then what people type. */
#define NAMES_PER_FIELD 7
static const struct {
	enum colmap_field field;
	const char *names[NAMES_PER_FIELD];   /* NULL after the last */
} field_names[COLMAP__COUNT] = {
	{ COLMAP_FIRST, { "first", "firstname", "given", "givenname", "voornaam", "prenom" } },
	{ COLMAP_LAST, { "last", "lastname", "surname", "family", "familyname", "achternaam" } },
	{ COLMAP_FULL, { "name", "full", "fullname", "naam", "nom" } },
	{ COLMAP_EMAIL, { "email", "mail" } },
	{ COLMAP_COMPANY, { "company", "organisation", "organization", "org", "bedrijf" } },
	{ COLMAP_TYPE, { "type", "ticket", "tickettype" } },
	{ COLMAP_HANDLE, { "handle", "twitter", "social" } },
	{ COLMAP_EXTID, { "id", "extid", "externalid", "attendeeid" } },
	{ COLMAP_CODE, { "code", "barcode", "secret", "ticketcode", "qr" } },
	{ COLMAP_STATUS, { "status", "rsvp" } },
	{ COLMAP_LANGUAGE, { "language", "lang", "taal", "langue", "sprache", "locale" } },
	{ COLMAP_INFIX, { "infix", "tussenvoegsel", "voorvoegsel" } },
	{ COLMAP_FULL_LF, { "name-last-first", "namelastfirst", "lastfirst" } },
};

/* Status values that mean the ticket is not valid, as folded keys. A value
 * matches one exactly, or starts with one of the stems below. */
static const char *const cancelled_values[] = {
	"notattending", "notgoing", "no", "declined", "waitlist", "waitlisted",
	"waitinglist", "deleted", "void", "expired",
	"abandoned", /* Eventbrite: an order never completed, no ticket issued */
	"pendingapproval", /* Luma: the host has not said yes yet, no ticket */
	"nee", "afgemeld", "wachtlijst", "nietaanwezig", "verwijderd",
	"non", "listedattente", "supprime",
	"nein", "warteliste", "abgemeldet", "geloscht", "erstattet",
	"zuruckerstattet", "abgesagt",
};
static const char *const cancelled_stems[] = {
	"cancel", "refund", "geannuleerd", "terugbetaald", "annul", "rembours",
	"storn",
};

const char *
colmap_field_name(enum colmap_field f)
{
	if ((int)f < 0 || f >= COLMAP__COUNT)
		return "?";
	return field_names[f].names[0];
}

/* Compare key of a header or alias: see the top of the file. */
static char *
header_key(const char *s)
{
	char *k = fold_key(s);

	if (strchr(s, '#') == NULL)
		return k;
	char *h = xasprintf("%s#", k);
	free(k);
	return h;
}

static int
lookup_field(const char *name)
{
	char *k = fold_key(name);
	int found = -1;

	for (size_t f = 0; f < COLMAP__COUNT && found < 0; f++)
		for (size_t j = 0; j < NAMES_PER_FIELD && field_names[f].names[j]; j++)
			if (strcmp(k, field_names[f].names[j]) == 0) {
				found = (int)field_names[f].field;
				break;
			}
	free(k);
	return found;
}

static char *
field_list(void)
{
	struct buf b;

	buf_init(&b, 0);
	for (int f = 0; f < COLMAP__COUNT; f++)
		buf_addf(&b, "%s%s", f ? ", " : "", colmap_field_name((enum colmap_field)f));
	return buf_take(&b);
}

int
colmap_parse_override(const char *spec, struct colmap_override *ov, char **cause)
{
	const char *eq = strchr(spec, '=');
	char *raw = NULL, *field = NULL, *list = NULL;
	int rc = -1;

	if (eq == NULL) {
		util_fail(cause, "--map '%s': expected FIELD=COLUMN, e.g. "
		    "email='E-mail address'", spec);
		goto out;
	}
	raw = xstrndup(spec, (size_t)(eq - spec));
	field = util_trim(raw);
	int f = lookup_field(field);
	if (f < 0) {
		list = field_list();
		util_fail(cause, "--map '%s': unknown field '%s'; fields: %s", spec,
		    field, list);
		goto out;
	}
	const char *col = eq + 1;
	while (*col == ' ' || *col == '\t')
		col++;
	if (*col == '\0') {
		util_fail(cause, "--map '%s': no column named after '='", spec);
		goto out;
	}
	/* The field comes back as its canonical (static) name, so that nobody
	 * has to cut spec at the '='. */
	ov->field = colmap_field_name((enum colmap_field)f);
	ov->column = col;
	rc = 0;
out:
	free(list);
	free(field);
	free(raw);
	return rc;
}

/* The header list for a message, cut short on very wide exports. */
static char *
column_list(const struct colmap *m)
{
	struct buf b;

	buf_init(&b, 0);
	for (size_t i = 0; i < m->n; i++) {
		if (i == 30) {
			buf_addf(&b, ", ... (%zu more)", m->n - i);
			break;
		}
		buf_addf(&b, "%s'%s'", i ? ", " : "", m->headers[i]);
	}
	return buf_take(&b);
}

/* Column an override names: its exact (trimmed) header text, or failing
 * that the same folded key, since people type "email" for "E-mail". */
static int
find_column(const struct colmap *m, const char *want)
{
	char *t = util_trim(want);
	char *k = NULL;
	int found = -1;

	for (size_t i = 0; i < m->n && found < 0; i++)
		if (strcmp(m->headers[i], t) == 0)
			found = (int)i;
	if (found < 0 && *t != '\0') {
		k = header_key(t);
		for (size_t i = 0; i < m->n && found < 0; i++) {
			char *h = header_key(m->headers[i]);
			if (strcmp(h, k) == 0)
				found = (int)i;
			free(h);
		}
	}
	free(k);
	free(t);
	return found;
}

static void
assign(struct colmap *m, int f, size_t col)
{
	m->column[f] = (int)col;
	m->field_of[col] = f;
}

static int
apply_overrides(struct colmap *m, const struct colmap_override *ov, size_t nov,
    char **cause)
{
	for (size_t k = 0; k < nov; k++) {
		const char *fname = ov[k].field ? ov[k].field : "";
		const char *cname = ov[k].column ? ov[k].column : "";
		int f = lookup_field(fname);
		if (f < 0) {
			char *list = field_list();
			util_fail(cause, "--map %s=%s: unknown field '%s'; fields: %s",
			    fname, cname, fname, list);
			free(list);
			return -1;
		}
		int col = find_column(m, cname);
		if (col < 0) {
			char *list = column_list(m);
			util_fail(cause, "--map %s=%s: there is no column '%s'; the "
			    "columns are %s", fname, cname, cname, list);
			free(list);
			return -1;
		}
		if (m->column[f] >= 0 && m->column[f] != col)
			return util_fail(cause, "--map: field '%s' is given twice "
			    "('%s' and '%s')", colmap_field_name((enum colmap_field)f),
			    m->headers[m->column[f]], m->headers[col]);
		if (m->field_of[col] >= 0 && m->field_of[col] != f)
			return util_fail(cause, "--map: column '%s' is given for both "
			    "'%s' and '%s'", m->headers[col],
			    colmap_field_name((enum colmap_field)m->field_of[col]),
			    colmap_field_name((enum colmap_field)f));
		assign(m, f, (size_t)col);
	}
	return 0;
}

/* Columns of the one who bought the ticket, read for a guest whose own
 * cell is blank: pretix's order e-mail and invoice name where the event
 * asks no attendee's, Tito's unassigned tickets, HelloAsso's payer. They
 * stay extra fields as well. */
static const struct {
	enum colmap_field field;
	const char *text;
} fallbacks[] = {
	{ COLMAP_FIRST, "Buyer first name" },        /* Eventbrite */
	{ COLMAP_FIRST, "Purchaser first name" },
	{ COLMAP_FIRST, "Prénom payeur" },           /* HelloAsso */
	{ COLMAP_LAST, "Buyer last name" },
	{ COLMAP_LAST, "Purchaser last name" },
	{ COLMAP_LAST, "Nom payeur" },
	{ COLMAP_FULL, "Invoice address name" },     /* pretix */
	{ COLMAP_FULL, "Buyer name" },
	{ COLMAP_FULL, "Purchaser name" },
	{ COLMAP_FULL, "Registration name" },        /* Tito */
	{ COLMAP_EMAIL, "Buyer email" },
	{ COLMAP_EMAIL, "Purchaser email" },
	{ COLMAP_EMAIL, "Registration email" },
	{ COLMAP_EMAIL, "Order email" },
	{ COLMAP_EMAIL, "Email payeur" },
};
#define NFALLBACKS (sizeof fallbacks / sizeof fallbacks[0])

/* The entry of n keys that header key k is, or -1. */
static int
key_in(char *const *keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n && *k != '\0'; i++)
		if (strcmp(keys[i], k) == 0)
			return (int)i;
	return -1;
}

/* Map the columns no override took, by the alias table: the first column of
 * a field takes it, unless a later one is the attendee's own (pretix's
 * "Attendee email" beside the order's "Email"). A header repeated ("Email"
 * twice: a colleague's second address) is looked up as written (base), not
 * as made unique ("Email (2)"), so that it fills in where the first is
 * blank. */
static void
apply_table(struct colmap *m, char *const *base)
{
	char *akeys[NALIASES], *fkeys[NFALLBACKS];
	char **ckeys = xcalloc(m->n, sizeof *ckeys);   /* each column's header key */
	int *alias = xcalloc(m->n, sizeof *alias);
	bool own[COLMAP__COUNT] = { false };

	for (size_t i = 0; i < NALIASES; i++)
		akeys[i] = header_key(aliases[i].text);
	for (size_t i = 0; i < NFALLBACKS; i++)
		fkeys[i] = header_key(fallbacks[i].text);
	for (size_t c = 0; c < m->n; c++) {
		ckeys[c] = header_key(base[c]);
		alias[c] = m->field_of[c] >= 0 ? -1 : key_in(akeys, NALIASES, ckeys[c]);
		int f = alias[c] >= 0 ? aliases[alias[c]].field & ~OWN : -1;
		if (f < 0 || f == AMBIGUOUS_NAME)
			continue;
		if (m->column[f] < 0 || ((aliases[alias[c]].field & OWN) != 0 && !own[f] &&
		    m->field_of[m->column[f]] == f && alias[m->column[f]] >= 0)) {
			if (m->column[f] >= 0)
				m->field_of[m->column[f]] = -1;
			assign(m, f, c);
			own[f] = (aliases[alias[c]].field & OWN) != 0;
		}
	}
	/* Only now is it known whether a first-name column exists anywhere. */
	int f = m->column[COLMAP_FIRST] >= 0 ? COLMAP_LAST : COLMAP_FULL;
	for (size_t c = 0; c < m->n; c++)
		if (alias[c] >= 0 && aliases[alias[c]].field == AMBIGUOUS_NAME &&
		    m->column[f] < 0)
			assign(m, f, c);
	/* A name or e-mail read from elsewhere where the row's own is blank:
	 * a column of the same meaning that lost to another, or the buyer's. */
	for (size_t c = 0; c < m->n; c++) {
		int g = m->field_of[c] < 0 && alias[c] >= 0 ? aliases[alias[c]].field & ~OWN : -1;
		if (g >= COLMAP_FIRST && g <= COLMAP_EMAIL && m->column[g] >= 0 &&
		    m->fallback[g] < 0)
			m->fallback[g] = (int)c;
	}
	for (size_t c = 0; c < m->n; c++) {
		int i = m->field_of[c] < 0 ? key_in(fkeys, NFALLBACKS, ckeys[c]) : -1;
		if (i >= 0 && m->fallback[fallbacks[i].field] < 0)
			m->fallback[fallbacks[i].field] = (int)c;
	}
	/* With no column of its own, the buyer's is the guest's. */
	bool named = false;
	for (int g = COLMAP_FIRST; g <= COLMAP_FULL; g++)
		named = named || m->column[g] >= 0;
	named = named || m->column[COLMAP_FULL_LF] >= 0;
	for (int g = COLMAP_FIRST; g <= COLMAP_EMAIL; g++) {
		if (m->fallback[g] >= 0 && m->column[g] < 0 && (g == COLMAP_EMAIL || !named)) {
			assign(m, g, (size_t)m->fallback[g]);
			m->fallback[g] = -1;
		}
	}
	for (size_t i = 0; i < NALIASES; i++)
		free(akeys[i]);
	for (size_t i = 0; i < NFALLBACKS; i++)
		free(fkeys[i]);
	for (size_t c = 0; c < m->n; c++)
		free(ckeys[c]);
	free(ckeys);
	free(alias);
}

/* pretix numbers the tickets of each order 1, 2, ...: its "Position ID" is
 * an id only with the order code before it. */
static void
find_id_scope(struct colmap *m)
{
	int c = m->column[COLMAP_EXTID];
	m->id_scope = -1;
	if (c < 0 || m->field_of[c] != COLMAP_EXTID)
		return;
	char *k = fold_key(m->headers[c]);
	bool position = strcmp(k, "positionid") == 0;
	free(k);
	for (size_t i = 0; position && i < m->n && m->id_scope < 0; i++) {
		char *h = fold_key(m->headers[i]);
		if (strcmp(h, "ordercode") == 0 && m->field_of[i] < 0)
			m->id_scope = (int)i;
		free(h);
	}
}

/* Does a column before c have c's (final) header? */
static bool
seen_before(const struct colmap *m, size_t c)
{
	for (size_t i = 0; i < c; i++)
		if (strcmp(m->headers[i], m->headers[c]) == 0)
			return true;
	return false;
}

int
colmap_build(char *const *headers, size_t n,
    const struct colmap_override *ov, size_t nov,
    struct colmap **out, char **cause)
{
	struct colmap *m = NULL;
	char **base = NULL;     /* each column's header before it was made unique */
	int rc = -1;

	if (n > INT_MAX) {
		util_fail(cause, "too many columns (%zu)", n);
		goto out;
	}
	m = xcalloc(1, sizeof *m);
	m->n = n;
	m->headers = xcalloc(n, sizeof *m->headers);
	m->field_of = xcalloc(n, sizeof *m->field_of);
	base = xcalloc(n, sizeof *base);
	for (size_t c = 0; c < n; c++) {
		base[c] = util_trim(headers[c] ? headers[c] : "");
		if (base[c][0] == '\0') {
			free(base[c]);
			base[c] = xasprintf("Column %zu", c + 1);
		}
		m->headers[c] = xstrdup(base[c]);
		m->field_of[c] = -1;
		/* Extras are kept under their header: two "Notes" columns would
		 * be one key, and the first's values lost. The second is
		 * "Notes (2)", or the next such name nobody has. */
		if (!seen_before(m, c))
			continue;
		size_t k = 1;
		for (size_t i = 0; i < c; i++)
			k += strcmp(base[i], base[c]) == 0;
		if (k < 2) /* the same as a name made unique before it */
			k = 2;
		do {
			free(m->headers[c]);
			m->headers[c] = xasprintf("%s (%zu)", base[c], k++);
		} while (seen_before(m, c));
	}
	for (int f = 0; f < COLMAP__COUNT; f++)
		m->column[f] = m->fallback[f] = -1;

	if (apply_overrides(m, ov, nov, cause) != 0)
		goto out;
	apply_table(m, base);
	find_id_scope(m);
	if (m->column[COLMAP_FIRST] < 0 && m->column[COLMAP_LAST] < 0 &&
	    m->column[COLMAP_FULL] < 0 && m->column[COLMAP_FULL_LF] < 0) {
		util_fail(cause, "no name column: expected a first/last name or full "
		    "name column such as 'First Name', 'Voornaam', 'Prénom', "
		    "'Name'; use --map first=COLUMN (and last=COLUMN), or --map name=COLUMN "
		    "for a column holding the whole name (name-last-first=COLUMN when it "
		    "comes last name first)");
		goto out;
	}
	*out = m;
	m = NULL;
	rc = 0;
out:
	for (size_t c = 0; base != NULL && c < n; c++)
		free(base[c]);
	free(base);
	colmap_free(m);
	return rc;
}

int
colmap_column(const struct colmap *m, enum colmap_field f)
{
	if ((int)f < 0 || f >= COLMAP__COUNT)
		return -1;
	return m->column[f];
}

int
colmap_fallback(const struct colmap *m, enum colmap_field f)
{
	if ((int)f < 0 || f >= COLMAP__COUNT)
		return -1;
	return m->fallback[f];
}

int
colmap_id_scope(const struct colmap *m)
{
	return m->id_scope;
}

int
colmap_field_of(const struct colmap *m, size_t column)
{
	return column < m->n ? m->field_of[column] : -1;
}

size_t
colmap_ncolumns(const struct colmap *m)
{
	return m->n;
}

const char *
colmap_header(const struct colmap *m, size_t column)
{
	return column < m->n ? m->headers[column] : NULL;
}

/* Words that belong to the last name that follows them: Dutch, German,
 * French, Italian, Spanish, Portuguese and Arabic name particles. */
static const char *const particles[] = {
	"van", "von", "vom", "zu", "zum", "zur", "de", "der", "den", "het", "te",
	"ten", "ter", "op", "in", "'t", "\xE2\x80\x99t", "du", "des", "le", "la",
	"les", "da", "di", "del", "della", "dello", "dos", "das", "do", "al", "el",
	"bin", "ibn",
};

static int
is_particle(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
		if (strlen(particles[i]) == n && strncasecmp(particles[i], w, n) == 0)
			return 1;
	return 0;
}

/* "Broeck-De", "Peeters-Van": a double surname's first half, whose second
 * half starts with a particle ("Van den Broeck-De Smet"); it joins the
 * word after it. */
static int
ends_in_particle(const char *w, size_t n)
{
	const char *dash = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (w[i] == '-')
			dash = w + i;
	return dash != NULL && dash > w && is_particle(dash + 1, n - (size_t)(dash + 1 - w));
}

/* Commas separate words too: "Smit,Jan" and "Jan Smit," are handled below. */
static int
is_space_char(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' ||
	    ch == '\f' || ch == ',';
}

/* Bytes of the white space (or comma) s[0..n) starts with, or 0: a no-break
 * space pasted between "Jan" and "Smit" splits them as a space does. */
static size_t
space_len(const char *s, size_t n)
{
	return n > 0 && is_space_char(s[0]) ? 1 : fold_space(s, n);
}

/* The same for the white space s[0..n) ends with. */
static size_t
space_len_before(const char *s, size_t n)
{
	if (n > 0 && is_space_char(s[n - 1]))
		return 1;
	for (size_t k = 2; k <= 3 && k <= n; k++)
		if (fold_space(s + n - k, k) == k)
			return k;
	return 0;
}

struct word {
	const char *s;   /* start in the name */
	size_t n;        /* bytes */
};

/* Split s[0..n) at white space; returns the count, words in *out (caller
 * frees). */
static size_t
split_words(const char *s, size_t n, struct word **out)
{
	struct word *w = NULL;
	size_t count = 0, cap = 0;

	for (size_t i = 0; i < n;) {
		size_t k;
		while (i < n && (k = space_len(s + i, n - i)) > 0)
			i += k;
		if (i == n)
			break;
		size_t start = i;
		while (i < n && space_len(s + i, n - i) == 0)
			i++;
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			w = xreallocarray(w, cap, sizeof *w);
		}
		w[count].s = s + start;
		w[count].n = i - start;
		count++;
	}
	*out = w;
	return count;
}

/* Words [from, to) joined by single spaces. */
static char *
join_words(const struct word *w, size_t from, size_t to)
{
	struct buf b;

	buf_init(&b, 0);
	for (size_t i = from; i < to; i++) {
		if (i > from)
			buf_addc(&b, ' ');
		buf_add(&b, w[i].s, w[i].n);
	}
	return buf_take(&b);
}

/* Words after a name that belong to the last name, not to the first one,
 * compared without dots and case ("Ph.D." is "phd"); the Roman numerals
 * only in capitals ("Ii" is a Japanese family name). Not "Ma" or "Md":
 * those are names. */
static const char *const suffixes[] = {
	"jr", "sr", "phd", "msc", "mba", "esq", "bsc", "II", "III", "IV",
};

static bool
is_suffix(const char *w, size_t n)
{
	char k[8];
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '.')
			continue;
		if (m + 1 >= sizeof k)
			return false;
		k[m++] = w[i];
	}
	k[m] = '\0';
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		bool roman = isupper((unsigned char)suffixes[i][0]);
		if ((roman ? strcmp(k, suffixes[i]) : strcasecmp(k, suffixes[i])) == 0)
			return true;
	}
	return false;
}

/* Where a trailing suffix ("Jr.", ", PhD") starts in s, or strlen(s): the
 * last word when it is one and at least two words come before it; *word
 * and *len are that word. */
static size_t
suffix_start(const char *s, const char **word, size_t *len)
{
	struct word *w = NULL;
	size_t n = split_words(s, strlen(s), &w), at = strlen(s);
	if (n >= 3 && is_suffix(w[n - 1].s, w[n - 1].n)) {
		*word = w[n - 1].s;
		*len = w[n - 1].n;
		at = (size_t)(w[n - 1].s - s);
		size_t k;
		while ((k = space_len_before(s, at)) > 0)
			at -= k;
	}
	free(w);
	return at;
}

void
colmap_split_name(const char *full, char **first, char **last)
{
	struct word *w = NULL;
	const char *s = full ? full : "";
	const char *comma = strchr(s, ',');
	size_t n = 0;

	/* "Jan Smit Jr.", "Jan Smit, PhD": the name without it, and the suffix
	 * after the last name, as written. */
	const char *suffix = NULL;
	size_t slen = 0, cut = suffix_start(s, &suffix, &slen);
	if (suffix != NULL) {
		char *core = xstrndup(s, cut), *l = NULL;
		bool sep = memchr(s + cut, ',', (size_t)(suffix - (s + cut))) != NULL;
		colmap_split_name(core, first, &l);
		*last = xasprintf("%s%s%.*s", l, sep ? ", " : " ", (int)slen, suffix);
		free(l);
		free(core);
		return;
	}

	/* "Smit, Jan": last name first, as sorted lists print it. With nothing
	 * on one side ("Jan Smit,") the comma is just noise. */
	if (comma != NULL) {
		struct word *wb = NULL;
		size_t nb = split_words(s, (size_t)(comma - s), &wb);
		size_t na = split_words(comma + 1, strlen(comma + 1), &w);
		if (nb > 0 && na > 0) {
			*first = join_words(w, 0, na);
			*last = join_words(wb, 0, nb);
			free(wb);
			free(w);
			return;
		}
		free(wb);
		free(w);
		w = NULL;
	}

	n = split_words(s, strlen(s), &w);
	if (n == 0) {
		*first = xstrdup("");
		*last = xstrdup("");
	} else if (n == 1) {
		*first = join_words(w, 0, 1);
		*last = xstrdup("");
	} else {
		/* The last word is the last name, with the particles before it;
		 * the first word always stays a first name ("Van Gogh" is a
		 * first and a last name, not a last name alone). */
		size_t k = n - 1;
		while (k > 1 && (is_particle(w[k - 1].s, w[k - 1].n) ||
		    ends_in_particle(w[k - 1].s, w[k - 1].n)))
			k--;
		*first = join_words(w, 0, k);
		*last = join_words(w, k, n);
	}
	free(w);
}

void
colmap_split_name_last_first(const char *full, char **first, char **last)
{
	const char *s = full ? full : "";
	const char *comma = strchr(s, ',');
	struct word *w = NULL;

	/* "Dupont, Jean" is the same either way round; "Dupont Jr., Jean"
	 * and "Dupont, Jean, PhD" are colmap_split_name's too. */
	if (comma != NULL) {
		colmap_split_name(s, first, last);
		return;
	}
	size_t n = split_words(s, strlen(s), &w);
	/* The particles that start it, then one word: "Van den Berg" (alone, a
	 * last name: "Van der Berg" and "De Smet" with no first name are
	 * surnames, as is, structurally the same, "Le Van Thanh"). */
	size_t k = 0;
	while (k + 1 < n && is_particle(w[k].s, w[k].n))
		k++;
	k = n > 0 ? k + 1 : 0;
	/* "Van den Broeck-De Smet Anne", "Peeters-Van den Berg Anne": a double
	 * surname goes on past its particles to the word after them */
	while (k + 1 < n && (ends_in_particle(w[k - 1].s, w[k - 1].n) ||
	    is_particle(w[k - 1].s, w[k - 1].n)))
		k++;
	*last = join_words(w, 0, k);
	*first = join_words(w, k, n);
	free(w);
}

bool
colmap_status_cancelled(const char *value)
{
	if (value == NULL)
		return false;
	char *k = fold_key(value);
	bool hit = false;

	for (size_t i = 0; i < sizeof cancelled_values / sizeof cancelled_values[0]
	    && !hit; i++)
		hit = strcmp(k, cancelled_values[i]) == 0;
	for (size_t i = 0; i < sizeof cancelled_stems / sizeof cancelled_stems[0]
	    && !hit; i++)
		hit = strncmp(k, cancelled_stems[i], strlen(cancelled_stems[i])) == 0;
	free(k);
	return hit;
}

static bool folded_in(const char *text, const char *const *set, size_t n);

/* Columns that ask whether the ticket is void (Tito's "Void Status"), and
 * the one an organiser adds to a list in their own language: yes means it
 * is. */
static const char *const void_headers[] = {
	"voidstatus", "void", "voided", "isvoid", "cancelled", "canceled",
	"iscancelled", "refunded", "geannuleerd", "annule", "annulee", "storniert",
	"cancellation", "annulering", "annulation", "stornierung", "abgesagt", "afgemeld",
};
#define NVOID_HEADERS (sizeof void_headers / sizeof void_headers[0])

bool
colmap_cancel_column(const char *header)
{
	return folded_in(header, void_headers, NVOID_HEADERS);
}

/* A cell's marks, folding to nothing: a tick or a cross says yes in a
 * column asking whether the ticket is cancelled; a dash says no (nothing
 * to say), as anywhere else. */
static const char *const ticks[] = {
	"\u2713", "\u2714", "\u2611", "\u2612", "\u2715", "\u2716", "\u2717", "\u2718",
	"\u00d7",
};
static const char *const dashes[] = { "-", "\u2010", "\u2012", "\u2013", "\u2014",
	"\u2015", "\u2212" };

/* Whether value is one or more of the n marks set, between white space. */
static bool
marks_only(const char *value, const char *const *set, size_t n)
{
	bool any = false;
	for (const char *p = value; *p;) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		size_t i = 0, k = 0;
		for (; i < n; i++) {
			k = strlen(set[i]);
			if (strncmp(p, set[i], k) == 0)
				break;
		}
		if (i == n)
			return false;
		p += k;
		any = true;
	}
	return any;
}

enum colmap_status
colmap_status(const char *header, const char *value)
{
	static const char *const yes[] = {
		"true", "yes", "y", "1", "ja", "oui", "vrai", "wahr",
		"x", /* the cross a spreadsheet's user types in such a column */
	};
	/* pretix's order status of a ticket not paid for yet: it scans like
	 * any other, which the organiser may not want. */
	static const char *const unpaid[] = {
		"pending", "unpaid", "notpaid", "awaitingpayment", "onbetaald", "nietbetaald",
		"inafwachtingvanbetaling", "impaye", "nonpaye", "enattentedepaiement",
		"unbezahlt", "nichtbezahlt", "zahlungausstehend",
		"offline", /* Eventbrite: to be paid at the door, by cheque or invoice */
	};
	static const char *const no[] = {
		"false", "no", "n", "0", "nee", "non", "faux", "nein", "falsch",
	};
	/* In a column asking whether the ticket is void, no means valid
	 * (elsewhere, Meetup's RSVP "No" is a cancellation). */
	if (colmap_cancel_column(header)) {
		if (value == NULL || util_blank(value) || folded_in(value, no, sizeof no / sizeof no[0]) ||
		    marks_only(value, dashes, sizeof dashes / sizeof dashes[0]))
			return COLMAP_STATUS_VALID;
		/* Ticked or crossed (✓, ✗), the ticket is void. */
		if (marks_only(value, ticks, sizeof ticks / sizeof ticks[0]) ||
		    folded_in(value, yes, sizeof yes / sizeof yes[0]))
			return COLMAP_STATUS_CANCELLED;
		/* Another mark ("?", "."): neither; the valid one below would
		 * take it silently. */
		char *k = fold_key(value);
		bool mark = k[0] == '\0';
		free(k);
		if (mark)
			return COLMAP_STATUS_UNKNOWN;
	}
	/* A valid ticket's words, folded, in the platforms' languages (French
	 * in both genders: une commande payée, un billet payé). */
	static const char *const valid[] = {
		"attending", "checkedin", "checkin", "attended", "paid", "yes", "y", "x", "going",
		"confirmed", "complete", "completed", "registered", "approved", "accepted",
		"active", "valid", "validated", "free", "present", "ok", "true", "1", "booked",
		"placed", "issued", "reserved", "purchased", "complimentary", "comp", "invited",
		"processed", "authorized", "authorised",
		"manual", /* Eventbrite: an order the organiser added (Add Attendees) */
		"ja", "aanwezig", "betaald", "bevestigd", "geldig", "ingeschreven", "voltooid",
		"geregistreerd", "ingecheckt", "goedgekeurd", "aangemeld", "gratis", "geboekt",
		"gereserveerd", "voldaan", "actief", "geaccepteerd",
		"oui", "paye", "payee", "confirme", "confirmee", "inscrit", "inscrite", "valide",
		"validee", "enregistre", "enregistree", "vrai", "termine", "terminee", "presente",
		"regle", "reglee", "accepte", "acceptee", "approuve", "approuvee", "reserve",
		"reservee", "gratuit", "gratuite", "actif",
		"bezahlt", "bestatigt", "gultig", "angemeldet", "teilnehmend", "anwesend",
		"eingecheckt", "abgeschlossen", "wahr", "registriert", "gebucht", "zugesagt",
		"akzeptiert", "kostenlos", "aktiv", "reserviert", "genehmigt", "teilnahmebestatigt",
	};
	if (colmap_status_cancelled(value))
		return COLMAP_STATUS_CANCELLED;
	if (folded_in(value, unpaid, sizeof unpaid / sizeof unpaid[0]))
		return COLMAP_STATUS_UNPAID;
	/* A tick (✓) or a dash folds to nothing: a mark, not a word. */
	char *k = fold_key(value != NULL ? value : "");
	bool mark = k[0] == '\0';
	free(k);
	if (mark || folded_in(value, valid, sizeof valid / sizeof valid[0]))
		return COLMAP_STATUS_VALID;
	return COLMAP_STATUS_UNKNOWN;
}

/* Whether text, folded to a key, is one of set's n keys (false for NULL). */
static bool
folded_in(const char *text, const char *const *set, size_t n)
{
	if (text == NULL)
		return false;
	char *k = fold_key(text);
	bool hit = false;
	for (size_t i = 0; i < n && !hit; i++)
		hit = strcmp(k, set[i]) == 0;
	free(k);
	return hit;
}

bool
colmap_payment_column(const char *header)
{
	static const char *const headers[] = {
		"paid", "paymentstatus", "payment", "betaald", "betaalstatus", "betaling",
		"paye", "paiement", "statutdupaiement", "statutdepaiement", "bezahlt",
		"zahlungsstatus", "zahlung",
	};
	return folded_in(header, headers, sizeof headers / sizeof headers[0]);
}

/* The first two words of s, each folded (fold_key), split at white space
 * and punctuation: "Sous-total :" gives "sous", "total". */
static void
first_words(const char *s, char **w1, char **w2)
{
	char *w[2] = { NULL, NULL };
	size_t i = 0, n = strlen(s);
	for (int k = 0; k < 2; k++) {
		/* ASCII other than letters and digits parts words; a byte of a
		 * UTF-8 letter ("é") does not. */
		while (i < n && (unsigned char)s[i] < 0x80 && !isalnum((unsigned char)s[i]))
			i++;
		size_t start = i;
		while (i < n && ((unsigned char)s[i] >= 0x80 || isalnum((unsigned char)s[i])))
			i++;
		char *word = xstrndup(s + start, i - start);
		w[k] = fold_key(word);
		free(word);
	}
	*w1 = w[0];
	*w2 = w[1];
}

bool
colmap_footer_text(const char *text)
{
	/* A first word that alone says it ("Total: 212", "Totaal VIP"). */
	static const char *const words[] = {
		"total", "totals", "totaal", "totalen", "totaux", "totale", "gesamt",
		"gesamtzahl", "summe", "zwischensumme", "subtotal", "subtotaal", "aantal",
		"anzahl", "gegenereerd", "geexporteerd", "genere", "generee", "exporte",
		"exportee", "erstellt", "erzeugt", "exportiert",
	};
	/* Two that do ("Generated by Eventbrite", "Sous-total"). */
	static const struct { const char *a, *b; } pairs[] = {
		{ "generated", "by" }, { "generated", "on" }, { "generated", "at" },
		{ "generated", "with" }, { "generated", "from" }, { "exported", "by" },
		{ "exported", "on" }, { "exported", "at" }, { "exported", "from" },
		{ "exported", "with" }, { "report", "generated" }, { "export", "date" },
		{ "created", "with" }, { "created", "by" }, { "created", "on" },
		{ "powered", "by" }, { "grand", "total" }, { "sous", "total" },
		{ "sub", "total" }, { "nombre", "total" }, { "total", "count" },
	};
	if (text == NULL)
		return false;
	char *a = NULL, *b = NULL;
	first_words(text, &a, &b);
	bool hit = folded_in(a, words, sizeof words / sizeof words[0]);
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0] && !hit; i++)
		hit = strcmp(a, pairs[i].a) == 0 && strcmp(b, pairs[i].b) == 0;
	free(a);
	free(b);
	return hit;
}

bool
colmap_plus_ones_column(const char *header)
{
	static const char *const headers[] = {
		"guests", "plusones", "plusone", "extraguests", "additionalguests",
		"gasten", "extragasten", "introduces", "invites", "accompagnants",
		"gaste", "begleitpersonen", "begleitung",
	};
	return folded_in(header, headers, sizeof headers / sizeof headers[0]);
}

bool
colmap_unpaid_value(const char *value)
{
	static const char *const unpaid[] = {
		"no", "false", "0", "unpaid", "notpaid", "pending", "open", "awaitingpayment",
		"nee", "onbetaald", "nietbetaald", "inafwachting", "openstaand",
		"non", "impaye", "nonpaye", "enattente",
		"nein", "unbezahlt", "nichtbezahlt", "offen", "ausstehend",
	};
	return folded_in(value, unpaid, sizeof unpaid / sizeof unpaid[0]);
}

bool
colmap_unpaid(const char *header, const char *value)
{
	return colmap_payment_column(header) && colmap_unpaid_value(value);
}

/* Names of the four languages, folded, in each of the four and as people
 * write them in a spreadsheet; a value starting with one counts
 * ("Nederlands (België)", "English UK"). */
static const struct {
	const char *code;
	const char *name;
} language_names[] = {
	{ "en", "english" }, { "en", "engels" }, { "en", "anglais" }, { "en", "englisch" },
	{ "nl", "nederlands" }, { "nl", "dutch" }, { "nl", "vlaams" }, { "nl", "flemish" },
	{ "nl", "neerlandais" }, { "nl", "flamand" }, { "nl", "niederlandisch" },
	{ "nl", "hollands" }, { "nl", "flamisch" },
	{ "fr", "francais" }, { "fr", "french" }, { "fr", "frans" }, { "fr", "franzosisch" },
	{ "de", "deutsch" }, { "de", "german" }, { "de", "duits" }, { "de", "allemand" },
};

/* ISO 639-2 codes (both the B and T forms). */
static const struct {
	const char *code;
	const char *iso3;
} language_iso3[] = {
	{ "en", "eng" }, { "nl", "nld" }, { "nl", "dut" }, { "fr", "fra" }, { "fr", "fre" },
	{ "de", "deu" }, { "de", "ger" },
};

const char *
colmap_language(const char *value)
{
	static const char *const codes[] = { "en", "nl", "fr", "de" };
	char *t = util_trim(value ? value : "");
	char *k = NULL;
	const char *found = NULL;
	size_t n = strlen(t);

	if (n == 0) {
		found = "";
		goto out;
	}
	/* A code, alone or as a locale: "nl", "nl-BE", "fr_BE.UTF-8". */
	for (size_t i = 0; i < sizeof codes / sizeof codes[0] && found == NULL; i++)
		if (n >= 2 && strncasecmp(t, codes[i], 2) == 0 &&
		    (n == 2 || strchr("-_.@ ", t[2]) != NULL))
			found = codes[i];
	for (size_t i = 0; i < sizeof language_iso3 / sizeof language_iso3[0] && found == NULL;
	    i++)
		if (strcasecmp(t, language_iso3[i].iso3) == 0)
			found = language_iso3[i].code;
	if (found != NULL)
		goto out;
	k = fold_key(t);
	for (size_t i = 0; i < sizeof language_names / sizeof language_names[0] &&
	    found == NULL; i++)
		if (strncmp(k, language_names[i].name, strlen(language_names[i].name)) == 0)
			found = language_names[i].code;
out:
	free(k);
	free(t);
	return found;
}

void
colmap_free(struct colmap *m)
{
	if (m == NULL)
		return;
	if (m->headers != NULL)
		for (size_t c = 0; c < m->n; c++)
			free(m->headers[c]);
	free(m->headers);
	free(m->field_of);
	free(m);
}
