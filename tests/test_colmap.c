/* test_colmap: header mapping on real exports, overrides, and the helpers
 * that split names and read attendee statuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/colmap.h"
#include "core/csvin.h"
#include "core/util.h"

#define NOVER ((const struct colmap_override *)NULL)

static char *
data_path(const char *name)
{
	const char *dir = getenv("KIOSK_TESTDATA");
	return xasprintf("%s/%s", dir ? dir : "tests/data", name);
}

/* Map the header row of a fixture, read as an import would read it. */
static struct colmap *
map_file(const char *name)
{
	char *path = data_path(name), *cause = NULL;
	struct csvin *c = NULL;
	struct csvin_record r;
	struct colmap *m = NULL;

	if (csvin_open_file(path, &c, &cause) != 0)
		fail_msg("%s", cause);
	if (csvin_next(c, &r, &cause) != 1)
		fail_msg("%s: no header: %s", path, cause ? cause : "");
	if (colmap_build(r.fields, r.nfields, NOVER, 0, &m, &cause) != 0)
		fail_msg("%s: %s", path, cause);
	csvin_free(c);
	free(path);
	return m;
}

static struct colmap *
map(char *const *h, size_t n, const struct colmap_override *ov, size_t nov)
{
	char *cause = NULL;
	struct colmap *m = NULL;

	if (colmap_build(h, n, ov, nov, &m, &cause) != 0)
		fail_msg("colmap_build: %s", cause);
	return m;
}

static char *
map_fails(char *const *h, size_t n, const struct colmap_override *ov, size_t nov)
{
	char *cause = NULL;
	struct colmap *m = NULL;

	assert_int_equal(colmap_build(h, n, ov, nov, &m, &cause), -1);
	assert_null(m);
	assert_non_null(cause);
	return cause;
}

/* Expected field of every column, -1 for extras; checks both directions. */
static void
expect(const struct colmap *m, const int *fields, size_t n)
{
	assert_int_equal(colmap_ncolumns(m), n);
	for (size_t c = 0; c < n; c++) {
		if (colmap_field_of(m, c) != fields[c])
			fail_msg("column %zu '%s': field %d, want %d", c,
			    colmap_header(m, c), colmap_field_of(m, c), fields[c]);
	}
	for (int f = 0; f < COLMAP__COUNT; f++) {
		int want = -1;
		for (size_t c = 0; c < n; c++)
			if (fields[c] == f)
				want = (int)c;
		if (colmap_column(m, (enum colmap_field)f) != want)
			fail_msg("field %s: column %d, want %d",
			    colmap_field_name((enum colmap_field)f),
			    colmap_column(m, (enum colmap_field)f), want);
	}
}

static void
test_eventbrite(void **state)
{
	/* Order #, Order Date, First Name, Last Name, Email, Quantity,
	 * Ticket Type, Attendee #, Barcode #, Attendee Status, Company,
	 * Job Title */
	static const int want[] = {
		-1, -1, COLMAP_FIRST, COLMAP_LAST, COLMAP_EMAIL, -1,
		COLMAP_TYPE, COLMAP_EXTID, COLMAP_CODE, COLMAP_STATUS, COLMAP_COMPANY,
		-1,
	};
	struct colmap *m = map_file("eventbrite-attendees.csv");

	(void)state;
	expect(m, want, 12);
	assert_string_equal(colmap_header(m, 0), "Order #");
	assert_string_equal(colmap_header(m, 11), "Job Title");
	assert_int_equal(colmap_field_of(m, 12), -1);
	assert_null(colmap_header(m, 12));
	colmap_free(m);
}

static void
test_excel_nl(void **state)
{
	/* Voornaam;Achternaam;E-mailadres;Bedrijf;Tickettype;Twitter */
	static const int want[] = {
		COLMAP_FIRST, COLMAP_LAST, COLMAP_EMAIL, COLMAP_COMPANY, COLMAP_TYPE,
		COLMAP_HANDLE,
	};
	struct colmap *m = map_file("excel-nl-utf8.csv");

	(void)state;
	expect(m, want, 6);
	colmap_free(m);
}

/* Code and ticket-type columns as French, German and Dutch exports name
 * them: a code column not found means every ticket sent is refused. */
static void
test_more_code_and_type_headers(void **state)
{
	static const char *const codes[] = { "Code-barres", "Barcode-Nummer", "Ticket-Nr.",
	    "Streepjescode", "Ticketcode" };
	static const char *const types[] = { "Ticketsoort", "Kaartsoort", "Type de place" };
	(void)state;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		char *h[] = { "Voornaam", "Achternaam", (char *)codes[i],
		    (char *)types[i % (sizeof types / sizeof types[0])], "Tussenvoegsel" };
		static const int want[] = { COLMAP_FIRST, COLMAP_LAST, COLMAP_CODE, COLMAP_TYPE,
		    COLMAP_INFIX };
		struct colmap *m = map(h, 5, NULL, 0);
		expect(m, want, 5);
		colmap_free(m);
	}
}

static void
test_meetup(void **state)
{
	/* Name,User ID,Title,RSVP,Guests,RSVPed on,URL of Member Profile:
	 * "Name" is the full name (no first-name column). */
	static const int want[] = {
		COLMAP_FULL, COLMAP_EXTID, -1, COLMAP_STATUS, -1, -1, -1,
	};
	struct colmap *m = map_file("meetup-rsvps.csv");

	(void)state;
	expect(m, want, 7);
	colmap_free(m);
}

static void
test_pretix(void **state)
{
	/* Order code, Position ID, Attendee name, Product, Price, Checked in,
	 * Paid, Secret, E-mail, Company */
	static const int want[] = {
		-1, COLMAP_EXTID, COLMAP_FULL, COLMAP_TYPE, -1, -1, -1, COLMAP_CODE,
		COLMAP_EMAIL, COLMAP_COMPANY,
	};
	struct colmap *m = map_file("csv-pretix-checkin.csv");

	(void)state;
	expect(m, want, 10);
	colmap_free(m);
}

/* The header a field (or its fallback) is read from, "" for none. */
static const char *
column_of(const struct colmap *m, enum colmap_field f, bool fallback)
{
	int c = fallback ? colmap_fallback(m, f) : colmap_column(m, f);
	return c >= 0 ? colmap_header(m, (size_t)c) : "";
}

/* The exports of platforms organisers in Belgium and around use, as they
 * are now: each ticket's code is its code, and the attendee's own name and
 * e-mail win over the buyer's, which stand in where the ticket has none. */
static void
test_platform_exports(void **state)
{
	(void)state;
	/* Eventbrite since 2024: "Barcode number", the buyer beside. */
	struct colmap *m = map_file("csv-eventbrite-2024.csv");
	assert_string_equal(column_of(m, COLMAP_CODE, false), "Barcode number");
	assert_string_equal(column_of(m, COLMAP_FIRST, false), "Attendee first name");
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Attendee email");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "Buyer email");
	assert_string_equal(column_of(m, COLMAP_FIRST, true), "Buyer first name");
	assert_string_equal(column_of(m, COLMAP_TYPE, false), "Ticket type");
	assert_int_equal(colmap_id_scope(m), -1);
	colmap_free(m);

	/* pretix's order data: the order's "Email" comes first, the
	 * attendee's wins; "Position ID" counts within its order. */
	m = map_file("csv-pretix-orders.csv");
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Attendee email");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "Email");
	assert_int_equal(colmap_field_of(m, 4), -1); /* "Email" is kept as an extra */
	assert_string_equal(column_of(m, COLMAP_CODE, false), "Ticket secret");
	assert_string_equal(column_of(m, COLMAP_EXTID, false), "Position ID");
	assert_string_equal(colmap_header(m, (size_t)colmap_id_scope(m)), "Order code");
	assert_string_equal(column_of(m, COLMAP_STATUS, false), "Status");
	colmap_free(m);
	m = map_file("csv-pretix-noname.csv");
	assert_string_equal(column_of(m, COLMAP_FULL, false), "Attendee name");
	assert_string_equal(column_of(m, COLMAP_FULL, true), "Invoice address name");
	colmap_free(m);

	/* Tito: the ticket's holder, then the registration's. */
	m = map_file("csv-tito.csv");
	assert_string_equal(column_of(m, COLMAP_FIRST, false), "Ticket First Name");
	assert_string_equal(column_of(m, COLMAP_LAST, false), "Ticket Last Name");
	assert_string_equal(column_of(m, COLMAP_FULL, false), "Ticket Full Name");
	assert_string_equal(column_of(m, COLMAP_FULL, true), "Registration Name");
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Ticket Email");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "Registration Email");
	assert_string_equal(column_of(m, COLMAP_COMPANY, false), "Ticket Company Name");
	assert_string_equal(column_of(m, COLMAP_STATUS, false), "Void Status");
	assert_string_equal(column_of(m, COLMAP_CODE, false), "Ticket Reference");
	colmap_free(m);

	/* HelloAsso: the participant, and the payer's e-mail as the only one. */
	m = map_file("csv-helloasso.csv");
	assert_string_equal(column_of(m, COLMAP_FIRST, false), "Prénom participant");
	assert_string_equal(column_of(m, COLMAP_LAST, false), "Nom participant");
	assert_string_equal(column_of(m, COLMAP_FIRST, true), "Prénom payeur");
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Email payeur");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "");
	assert_string_equal(column_of(m, COLMAP_STATUS, false), "Statut de la commande");
	colmap_free(m);

	/* Luma: the link its QR code holds is the ticket's code, whether the
	 * host approved the guest its status, "name" beside first and last
	 * an extra. */
	m = map_file("csv-luma.csv");
	assert_string_equal(column_of(m, COLMAP_CODE, false), "qr_code_url");
	assert_string_equal(column_of(m, COLMAP_STATUS, false), "approval_status");
	assert_string_equal(column_of(m, COLMAP_EXTID, false), "api_id");
	assert_string_equal(column_of(m, COLMAP_FIRST, false), "first_name");
	assert_string_equal(column_of(m, COLMAP_LAST, false), "last_name");
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "email");
	assert_string_equal(column_of(m, COLMAP_TYPE, false), "ticket_name");
	assert_int_equal(colmap_field_of(m, 1), -1); /* "name" */
	colmap_free(m);
}

/* A buyer's columns alone are the guest's; an override is never displaced
 * by an attendee's column. */
static void
test_buyer_columns_alone(void **state)
{
	char *h[] = { "Buyer name", "Buyer email", "Barcode" };
	char *h2[] = { "Email", "Attendee email", "Name" };
	struct colmap_override ov = { "email", "Email" };
	(void)state;
	struct colmap *m = map(h, 3, NOVER, 0);
	assert_string_equal(column_of(m, COLMAP_FULL, false), "Buyer name");
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Buyer email");
	colmap_free(m);
	m = map(h2, 3, &ov, 1);
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Email");
	colmap_free(m);
	m = map(h2, 3, NOVER, 0);
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Attendee email");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "Email");
	colmap_free(m);
	/* first and last names: the plain columns stand in as well */
	char *h3[] = { "Code", "First Name", "Last Name", "Attendee first name",
		"Attendee last name" };
	m = map(h3, 5, NOVER, 0);
	assert_string_equal(column_of(m, COLMAP_FIRST, false), "Attendee first name");
	assert_string_equal(column_of(m, COLMAP_FIRST, true), "First Name");
	assert_string_equal(column_of(m, COLMAP_LAST, true), "Last Name");
	colmap_free(m);
}

/* Which of several columns of one meaning a guest's field is read from,
 * and which stands in where it is blank: the first attendee's own column
 * wins, the first column that lost stands in (before a buyer's); a name
 * column of the guest's own, whichever its kind, keeps the buyer's name
 * out of the guest's; and only pretix's "Position ID" counts within its
 * order. */
static void
test_fallback_choices(void **state)
{
	(void)state;
	char *h[] = { "Name", "Attendee email", "Ticket email" };
	struct colmap *m = map(h, 3, NOVER, 0);
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Attendee email");
	colmap_free(m);

	char *h2[] = { "Name", "Email", "E-mail", "Attendee email" };
	m = map(h2, 4, NOVER, 0);
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Attendee email");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "Email");
	colmap_free(m);

	char *h3[] = { "Name", "Email", "Attendee email", "Buyer email" };
	m = map(h3, 4, NOVER, 0);
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Attendee email");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "Email");
	colmap_free(m);

	/* The guest's whole name, last name first, beside the payer's parts:
	 * the payer's stand in, they do not become the guest's name. */
	char *h4[] = { "Nom et prénom", "Prénom payeur", "Nom payeur", "Email payeur" };
	m = map(h4, 4, NOVER, 0);
	expect(m, (const int[]){ COLMAP_FULL_LF, -1, -1, COLMAP_EMAIL }, 4);
	assert_string_equal(column_of(m, COLMAP_FIRST, true), "Prénom payeur");
	colmap_free(m);
	char *h5[] = { "Attendee name", "Buyer first name", "Buyer last name" };
	m = map(h5, 3, NOVER, 0);
	expect(m, (const int[]){ COLMAP_FULL, -1, -1 }, 3);
	assert_string_equal(column_of(m, COLMAP_LAST, true), "Buyer last name");
	colmap_free(m);

	/* An id that is one on its own is not prefixed by an order code. */
	char *h6[] = { "Order code", "Attendee ID", "Attendee name" };
	m = map(h6, 3, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_EXTID), 1);
	assert_int_equal(colmap_id_scope(m), -1);
	colmap_free(m);
}

/* A colleague's list with the same column twice ("Email", "Email": a
 * second address typed where the first was blank), or a header with a
 * trailing space or a line break: the first is the field, the second
 * fills in where it is blank and is kept as an extra field too. */
static void
test_repeated_header_fills_in(void **state)
{
	(void)state;
	char *h[] = { "First Name ", "Last Name", "Email", "Email\n", "Barcode #", "Barcode #" };
	struct colmap *m = map(h, 6, NOVER, 0);
	assert_string_equal(column_of(m, COLMAP_FIRST, false), "First Name");
	assert_string_equal(column_of(m, COLMAP_EMAIL, false), "Email");
	assert_string_equal(column_of(m, COLMAP_EMAIL, true), "Email (2)");
	assert_int_equal(colmap_field_of(m, 3), -1);
	/* a code has no stand-in: the second is an extra field */
	assert_string_equal(column_of(m, COLMAP_CODE, false), "Barcode #");
	assert_int_equal(colmap_field_of(m, 5), -1);
	colmap_free(m);
}

/* The column an organiser adds to the platform's list to mark who
 * cancelled, in their own language: yes, an x or a tick cancels. */
static void
test_cancel_column_in_four_languages(void **state)
{
	(void)state;
	static const char *const headers[] = {
		"Cancelled", "Canceled", "Geannuleerd", "Annulé", "annulée", "Storniert",
		"Geannuleerd ",
	};
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		assert_true(colmap_cancel_column(headers[i]));
		assert_int_equal(colmap_status(headers[i], "Ja"), COLMAP_STATUS_CANCELLED);
		assert_int_equal(colmap_status(headers[i], "Oui"), COLMAP_STATUS_CANCELLED);
		assert_int_equal(colmap_status(headers[i], "x"), COLMAP_STATUS_CANCELLED);
		assert_int_equal(colmap_status(headers[i], "X"), COLMAP_STATUS_CANCELLED);
		assert_int_equal(colmap_status(headers[i], "✓"), COLMAP_STATUS_CANCELLED);
		assert_int_equal(colmap_status(headers[i], "Nee"), COLMAP_STATUS_VALID);
		assert_int_equal(colmap_status(headers[i], "Non"), COLMAP_STATUS_VALID);
		assert_int_equal(colmap_status(headers[i], "Nein"), COLMAP_STATUS_VALID);
		assert_int_equal(colmap_status(headers[i], " "), COLMAP_STATUS_VALID);
		assert_int_equal(colmap_status(headers[i], "misschien"), COLMAP_STATUS_UNKNOWN);
		/* a dash is "not cancelled", as in any column; a question
		 * mark is neither (a warning, a valid ticket): only a tick
		 * or a cross of the marks cancels */
		assert_int_equal(colmap_status(headers[i], "-"), COLMAP_STATUS_VALID);
		assert_int_equal(colmap_status(headers[i], " – "), COLMAP_STATUS_VALID);
		assert_int_equal(colmap_status(headers[i], "—"), COLMAP_STATUS_VALID);
		assert_int_equal(colmap_status(headers[i], "?"), COLMAP_STATUS_UNKNOWN);
		assert_int_equal(colmap_status(headers[i], "✔"), COLMAP_STATUS_CANCELLED);
		assert_int_equal(colmap_status(headers[i], "☑"), COLMAP_STATUS_CANCELLED);
		assert_int_equal(colmap_status(headers[i], "✗"), COLMAP_STATUS_CANCELLED);
	}
	assert_false(colmap_cancel_column("Attendee Status"));
	assert_false(colmap_cancel_column("Ticket Type"));
	assert_false(colmap_cancel_column("Aanwezig"));
	/* elsewhere an x is a tick for yes, present */
	assert_int_equal(colmap_status("Aanwezig", "x"), COLMAP_STATUS_VALID);
}

/* The last lines a colleague's spreadsheet or a platform's export puts
 * below the guests; a name is none of them. */
static void
test_footer_lines(void **state)
{
	(void)state;
	static const char *const footers[] = {
		"Total", "TOTAL:", "Totaal 212", "Totaux", "Summe", "Gesamt: 40", "Sous-total",
		"Grand total", "Generated by Eventbrite on 2026-06-20", "generated on 20/06/2026",
		"Exported from pretix", "Exporté le 20/06/2026", "Erstellt am 20.06.2026",
		"Aantal deelnemers: 3", "Anzahl", "Subtotal VIP",
	};
	for (size_t i = 0; i < sizeof footers / sizeof footers[0]; i++)
		if (!colmap_footer_text(footers[i]))
			fail_msg("'%s' is a footer line", footers[i]);
	static const char *const names[] = {
		"Ann", "Totalement", "Generation", "Generated", "Export", "Sumner", "Gesa",
		"", "   ", "Van den Berg, Jan", "Exported", "Summer",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (colmap_footer_text(names[i]))
			fail_msg("'%s' is not a footer line", names[i]);
	assert_false(colmap_footer_text(NULL));
}

static void
test_status_with_its_header(void **state)
{
	(void)state;
	assert_int_equal(colmap_status("Void Status", "true"), COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("Void Status", "Void"), COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("Void Status", "false"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Void Status", ""), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Void Status", "No"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Void Status", "nee"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Refunded", "Yes"), COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("Refunded", "No"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("RSVP", "No"), COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("Attending", "yes"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Status", "pending"), COLMAP_STATUS_UNPAID);
	assert_int_equal(colmap_status("Status", "Pending"), COLMAP_STATUS_UNPAID);
	assert_int_equal(colmap_status("Status", "paid"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Status", "canceled"), COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("Statut de la commande", "Remboursé"),
	    COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("Statut de la commande", "Validé"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Status", NULL), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Attendee Status", "Checked In"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Attendee Status", "  "), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Statut", "Payé"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Status", "Bestätigt"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Statut de la commande", "Payée"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Status", "Aangemeld"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Aanwezig", "✓"), COLMAP_STATUS_VALID);
	/* a word no platform uses for either, or a typo: let in, but said */
	assert_int_equal(colmap_status("Attendee Status", "Cancled"), COLMAP_STATUS_UNKNOWN);
	assert_int_equal(colmap_status("Attendee Status", "Transferred"), COLMAP_STATUS_UNKNOWN);
	/* Eventbrite's order statuses in its reports: an abandoned order
	 * issued no ticket, a manual one (Add Attendees) is a ticket, an
	 * offline one (pay at the door, by invoice) is not paid yet. */
	assert_int_equal(colmap_status("Order status", "Abandoned"), COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("Order status", "Manual"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("Order status", "Offline"), COLMAP_STATUS_UNPAID);
	assert_int_equal(colmap_status("Order status", "Refunded/Canceled"),
	    COLMAP_STATUS_CANCELLED);
	/* Luma's approval_status */
	assert_int_equal(colmap_status("approval_status", "approved"), COLMAP_STATUS_VALID);
	assert_int_equal(colmap_status("approval_status", "declined"), COLMAP_STATUS_CANCELLED);
	assert_int_equal(colmap_status("approval_status", "waitlist"), COLMAP_STATUS_CANCELLED);
	/* registered, the host not asked yet: no ticket (it was let in, "a
	 * status kiosk does not know") */
	assert_int_equal(colmap_status("approval_status", "pending_approval"),
	    COLMAP_STATUS_CANCELLED);
	/* Such columns in the other languages, and the ways a spreadsheet
	 * says yes. */
	static const char *const void_columns[][2] = {
		{ "Storniert", "Ja" }, { "Annulé", "Oui" }, { "Is cancelled", "1" },
		{ "Geannuleerd", "ja" }, { "Voided", "TRUE" }, { "Cancelled", "Y" },
		{ "Canceled", "vrai" }, { "Storniert", "wahr" },
	};
	for (size_t i = 0; i < sizeof void_columns / sizeof void_columns[0]; i++) {
		if (colmap_status(void_columns[i][0], void_columns[i][1]) !=
		    COLMAP_STATUS_CANCELLED)
			fail_msg("'%s' = '%s' should be cancelled", void_columns[i][0],
			    void_columns[i][1]);
		assert_int_equal(colmap_status(void_columns[i][0], "0"), COLMAP_STATUS_VALID);
	}
}

static void
test_excel_de_fr(void **state)
{
	/* Vorname;Nachname;E-Mail;Firma;Ticketart and
	 * Prénom;Nom;Adresse e-mail;Entreprise;Type de billet (CP1252) */
	static const int want[] = {
		COLMAP_FIRST, COLMAP_LAST, COLMAP_EMAIL, COLMAP_COMPANY, COLMAP_TYPE,
	};
	struct colmap *m = map_file("csv-excel-de.csv");

	(void)state;
	expect(m, want, 5);
	colmap_free(m);
	m = map_file("csv-excel-fr-cp1252.csv");
	expect(m, want, 5);
	assert_string_equal(colmap_header(m, 0), "Prénom");
	colmap_free(m);
}

/* Form and spreadsheet headers for a whole name, first name first, and
 * for the ticket's kind. */
static void
test_more_headers(void **state)
{
	char *nl[] = { "Voor- en achternaam", "E-mail", "Type" };
	char *fr[] = { "Prénom et nom", "Courriel", "Tarif" };
	char *de[] = { "Vor- und Nachname", "E-Mail", "Kategorie" };
	static const int want[] = { COLMAP_FULL, COLMAP_EMAIL, COLMAP_TYPE };
	char **all[] = { nl, fr, de };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct colmap *m = map(all[i], 3, NOVER, 0);
		expect(m, want, 3);
		colmap_free(m);
	}
}

static void
test_forms_and_tsv(void **state)
{
	/* Timestamp,Email Address,Full name,Company,T-shirt size,Dietary needs */
	static const int forms[] = {
		-1, COLMAP_EMAIL, COLMAP_FULL, COLMAP_COMPANY, -1, -1,
	};
	/* Naam, E-mail, Organisatie, Ticket: Naam alone is the full name. */
	static const int tsv[] = {
		COLMAP_FULL, COLMAP_EMAIL, COLMAP_COMPANY, COLMAP_TYPE,
	};
	struct colmap *m = map_file("csv-google-forms.csv");

	(void)state;
	expect(m, forms, 6);
	colmap_free(m);
	m = map_file("csv-export.tsv");
	expect(m, tsv, 4);
	colmap_free(m);
}

static void
test_languages(void **state)
{
	char *h[] = {
		"Given name", "Familienaam", "Courriel", "Société", "Billet",
		"Social handle", "Deelnemer ID", "QR code", "Inschrijvingsstatus",
	};
	static const int want[] = {
		COLMAP_FIRST, COLMAP_LAST, COLMAP_EMAIL, COLMAP_COMPANY, COLMAP_TYPE,
		COLMAP_HANDLE, COLMAP_EXTID, COLMAP_CODE, COLMAP_STATUS,
	};
	char *h2[] = {
		"Vollständiger Name", "E-Mail-Adresse", "Unternehmen", "Ticket-Typ",
		"X", "Ticketnummer", "Statut",
	};
	static const int want2[] = {
		COLMAP_FULL, COLMAP_EMAIL, COLMAP_COMPANY, COLMAP_TYPE, COLMAP_HANDLE,
		COLMAP_CODE, COLMAP_STATUS,
	};
	/* Case, accents, punctuation and spacing do not matter. */
	char *h3[] = { "  PRENOM ", "nom_de_famille", "e mail", "TYPE DE BILLET" };
	static const int want3[] = {
		COLMAP_FIRST, COLMAP_LAST, COLMAP_EMAIL, COLMAP_TYPE,
	};
	/* "Attendee" is a name, "Attendee #" an id. */
	char *h4[] = { "Attendee", "Attendee #", "Order #", "Barcode" };
	static const int want4[] = { COLMAP_FULL, COLMAP_EXTID, -1, COLMAP_CODE };

	(void)state;
	struct colmap *m = map(h, 9, NOVER, 0);
	expect(m, want, 9);
	colmap_free(m);
	m = map(h2, 7, NOVER, 0);
	expect(m, want2, 7);
	colmap_free(m);
	m = map(h3, 4, NOVER, 0);
	expect(m, want3, 4);
	assert_string_equal(colmap_header(m, 0), "PRENOM");
	colmap_free(m);
	m = map(h4, 4, NOVER, 0);
	expect(m, want4, 4);
	colmap_free(m);
}

static void
test_ambiguous_name(void **state)
{
	char *nl[] = { "Voornaam", "Naam", "E-mail" };
	char *nl_rev[] = { "Naam", "E-mail", "Voornaam" };
	char *en[] = { "Name", "Email" };
	char *fr[] = { "Nom", "Prénom" };
	char *both[] = { "Voornaam", "Achternaam", "Naam" };
	char *full[] = { "Full name", "Name" };

	(void)state;
	struct colmap *m = map(nl, 3, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_FIRST), 0);
	assert_int_equal(colmap_column(m, COLMAP_LAST), 1);
	assert_int_equal(colmap_column(m, COLMAP_FULL), -1);
	colmap_free(m);

	/* The first name may come after the ambiguous column. */
	m = map(nl_rev, 3, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_LAST), 0);
	assert_int_equal(colmap_column(m, COLMAP_FIRST), 2);
	colmap_free(m);

	m = map(en, 2, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_FULL), 0);
	assert_int_equal(colmap_column(m, COLMAP_LAST), -1);
	colmap_free(m);

	m = map(fr, 2, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_LAST), 0);
	assert_int_equal(colmap_column(m, COLMAP_FIRST), 1);
	colmap_free(m);

	/* With a real last-name column, "Naam" has nothing left to mean. */
	m = map(both, 3, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_LAST), 1);
	assert_int_equal(colmap_field_of(m, 2), -1);
	colmap_free(m);

	m = map(full, 2, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_FULL), 0);
	assert_int_equal(colmap_field_of(m, 1), -1);
	colmap_free(m);
}

static void
test_duplicates_become_extras(void **state)
{
	char *h[] = { "First Name", "Last Name", "Email", "E-mail", "Voornaam",
	    "Status", "Attendee Status" };
	static const int want[] = {
		COLMAP_FIRST, COLMAP_LAST, COLMAP_EMAIL, -1, -1, COLMAP_STATUS, -1,
	};

	(void)state;
	struct colmap *m = map(h, 7, NOVER, 0);
	expect(m, want, 7);
	assert_string_equal(colmap_header(m, 3), "E-mail");
	colmap_free(m);
}

static void
test_overrides(void **state)
{
	char *h[] = { "Deelnemer", "Contact", "Mail", "Pas", "Opmerking" };
	struct colmap_override ov[] = {
		{ "email", "Contact" },
		{ "code", "Pas" },
		{ "type", "Opmerking" },
	};
	static const int want[] = {
		COLMAP_FULL, COLMAP_EMAIL, -1, COLMAP_CODE, COLMAP_TYPE,
	};

	(void)state;
	/* Without overrides "Mail" is the email and the rest are extras. */
	struct colmap *m = map(h, 5, NOVER, 0);
	assert_int_equal(colmap_column(m, COLMAP_EMAIL), 2);
	assert_int_equal(colmap_column(m, COLMAP_CODE), -1);
	colmap_free(m);

	/* Overrides win over the table; the table's column becomes an extra. */
	m = map(h, 5, ov, 3);
	expect(m, want, 5);
	colmap_free(m);

	/* An override can name a column the table mapped to something else,
	 * and fields by their aliases; case and spacing of the column are
	 * forgiven when nothing matches exactly. */
	char *h2[] = { "Naam", "Voornaam", "Twitter", "ID" };
	struct colmap_override ov2[] = {
		{ "first", "naam" },
		{ "last", "Voornaam" },
		{ "barcode", " ID " },
	};
	m = map(h2, 4, ov2, 3);
	assert_int_equal(colmap_column(m, COLMAP_FIRST), 0);
	assert_int_equal(colmap_column(m, COLMAP_LAST), 1);
	assert_int_equal(colmap_column(m, COLMAP_CODE), 3);
	assert_int_equal(colmap_column(m, COLMAP_EXTID), -1);
	assert_int_equal(colmap_column(m, COLMAP_HANDLE), 2);
	colmap_free(m);

	/* A name column given only by override satisfies the name rule. */
	char *h3[] = { "Wie", "Waar" };
	struct colmap_override ov3[] = { { "name", "Wie" } };
	m = map(h3, 2, ov3, 1);
	assert_int_equal(colmap_column(m, COLMAP_FULL), 0);
	assert_int_equal(colmap_field_of(m, 1), -1);
	colmap_free(m);
}

static void
test_override_errors(void **state)
{
	char *h[] = { "First Name", "Last Name", "Email" };
	char *cause;

	(void)state;
	struct colmap_override missing[] = { { "email", "E-mail address" } };
	cause = map_fails(h, 3, missing, 1);
	assert_non_null(strstr(cause, "no column 'E-mail address'"));
	/* and says what is there */
	assert_non_null(strstr(cause, "'First Name', 'Last Name', 'Email'"));
	free(cause);

	struct colmap_override unknown[] = { { "emial", "Email" } };
	cause = map_fails(h, 3, unknown, 1);
	assert_non_null(strstr(cause, "unknown field 'emial'"));
	free(cause);

	struct colmap_override twice[] = { { "email", "Email" }, { "mail", "Last Name" } };
	cause = map_fails(h, 3, twice, 2);
	assert_non_null(strstr(cause, "'email' is given twice"));
	free(cause);

	struct colmap_override clash[] = { { "first", "Email" }, { "email", "Email" } };
	cause = map_fails(h, 3, clash, 2);
	assert_non_null(strstr(cause, "column 'Email' is given for both"));
	free(cause);

	/* The same --map given again (from a saved command line, or by its
	 * alias) is no clash: the import goes ahead with it. */
	struct colmap_override again[] = { { "email", "Email" }, { "mail", "email" } };
	struct colmap *m = map(h, 3, again, 2);
	assert_int_equal(colmap_column(m, COLMAP_EMAIL), 2);
	colmap_free(m);
}

static void
test_no_name_column(void **state)
{
	char *h[] = { "Email", "Company", "Ticket Type" };
	char *cause;

	(void)state;
	cause = map_fails(h, 3, NOVER, 0);
	assert_string_equal(cause, "no name column: expected a first/last name or "
	    "full name column such as 'First Name', 'Voornaam', 'Prénom', 'Name'; "
	    "use --map first=COLUMN (and last=COLUMN), or --map name=COLUMN for a column "
	    "holding the whole name (name-last-first=COLUMN when it comes last name first)");
	free(cause);
	cause = map_fails(NULL, 0, NOVER, 0);
	assert_non_null(strstr(cause, "no name column"));
	free(cause);
	/* "Order #" and "Title" are not names. */
	char *h2[] = { "Order #", "Title", "Timestamp", "" };
	cause = map_fails(h2, 4, NOVER, 0);
	free(cause);
}

static void
test_parse_override(void **state)
{
	struct colmap_override ov = { NULL, NULL };
	char *cause = NULL;

	(void)state;
	assert_int_equal(colmap_parse_override("email=E-mail address", &ov, &cause), 0);
	assert_string_equal(ov.field, "email");
	assert_string_equal(ov.column, "E-mail address");

	/* Aliases come back under the canonical name; '=' in the column is
	 * kept (only the first one splits). */
	assert_int_equal(colmap_parse_override(" first_name = Given=name", &ov,
	    &cause), 0);
	assert_string_equal(ov.field, "first");
	assert_string_equal(ov.column, "Given=name");
	assert_int_equal(colmap_parse_override("Barcode=Pas", &ov, &cause), 0);
	assert_string_equal(ov.field, "code");
	assert_null(cause);

	assert_int_equal(colmap_parse_override("emial=Mail", &ov, &cause), -1);
	assert_string_equal(cause, "--map 'emial=Mail': unknown field 'emial'; "
	    "fields: first, last, name, email, company, type, handle, id, code, "
	    "status, language, infix, name-last-first");
	free(cause);
	cause = NULL;

	assert_int_equal(colmap_parse_override("email", &ov, &cause), -1);
	assert_non_null(strstr(cause, "expected FIELD=COLUMN"));
	free(cause);
	cause = NULL;

	assert_int_equal(colmap_parse_override("email=  ", &ov, &cause), -1);
	assert_non_null(strstr(cause, "no column"));
	free(cause);
	cause = NULL;

	/* Failures leave the override as it was. */
	assert_string_equal(ov.field, "code");
	assert_string_equal(ov.column, "Pas");
}

static void
test_field_names(void **state)
{
	static const char *const names[] = {
		"first", "last", "name", "email", "company", "type", "handle", "id",
		"code", "status", "language", "infix", "name-last-first",
	};
	struct colmap_override ov;
	char *cause = NULL;

	(void)state;
	for (int f = 0; f < COLMAP__COUNT; f++) {
		assert_string_equal(colmap_field_name((enum colmap_field)f), names[f]);
		/* every canonical name is accepted by --map */
		char *spec = xasprintf("%s=X", names[f]);
		assert_int_equal(colmap_parse_override(spec, &ov, &cause), 0);
		assert_string_equal(ov.field, names[f]);
		free(spec);
	}
}

/* A language column in any of our languages, and --map language=. */
static void
test_language_column(void **state)
{
	static const char *const names[] = {
		"Language", "Taal", "Langue", "Sprache", "Lang", "Locale", "LANGUE ",
		"Voorkeurstaal", "Langue préférée", "Bevorzugte Sprache",
	};
	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *h[] = { "Voornaam", "Achternaam", (char *)names[i], "E-mail" };
		static const int want[] = {
			COLMAP_FIRST, COLMAP_LAST, COLMAP_LANGUAGE, COLMAP_EMAIL,
		};
		struct colmap *m = map(h, 4, NOVER, 0);
		expect(m, want, 4);
		colmap_free(m);
	}
	/* a column of another name, by hand */
	char *h[] = { "Name", "Correspondence" };
	struct colmap_override ov = { NULL, NULL };
	char *cause = NULL;
	assert_int_equal(colmap_parse_override("taal=Correspondence", &ov, &cause), 0);
	assert_string_equal(ov.field, "language");
	struct colmap *m = map(h, 2, &ov, 1);
	static const int want[] = { COLMAP_FULL, COLMAP_LANGUAGE };
	expect(m, want, 2);
	colmap_free(m);
}

static void
test_language_values(void **state)
{
	static const struct {
		const char *value;
		const char *want;   /* NULL: names no language of ours */
	} cases[] = {
		{ "en", "en" }, { "NL", "nl" }, { "fr", "fr" }, { " de ", "de" },
		{ "nl-BE", "nl" }, { "fr_BE.UTF-8", "fr" }, { "de-AT", "de" }, { "en_GB", "en" },
		{ "eng", "en" }, { "dut", "nl" }, { "nld", "nl" }, { "fre", "fr" }, { "deu", "de" },
		{ "English", "en" }, { "Engels", "en" }, { "anglais", "en" }, { "Englisch", "en" },
		{ "Nederlands", "nl" }, { "Dutch", "nl" }, { "Vlaams", "nl" }, { "Flemish", "nl" },
		{ "Nederlands (België)", "nl" }, { "Néerlandais", "nl" }, { "Niederländisch", "nl" },
		{ "Français", "fr" }, { "FRANCAIS", "fr" }, { "French", "fr" }, { "Frans", "fr" },
		{ "Französisch", "fr" },
		{ "Deutsch", "de" }, { "German", "de" }, { "Duits", "de" }, { "Allemand", "de" },
		{ "", "" }, { "   ", "" },
		{ "Klingon", NULL }, { "es", NULL }, { "Español", NULL }, { "e", NULL },
		{ "english-ish?", "en" }, { "end", NULL }, { "n", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = colmap_language(cases[i].value);
		if (cases[i].want == NULL) {
			if (got != NULL)
				fail_msg("'%s': got '%s', want none", cases[i].value, got);
		} else if (got == NULL || strcmp(got, cases[i].want) != 0) {
			fail_msg("'%s': got '%s', want '%s'", cases[i].value, got ? got : "(none)",
			    cases[i].want);
		}
	}
	assert_string_equal(colmap_language(NULL), "");
}

static void
check_split(const char *full, const char *first, const char *last)
{
	char *f = NULL, *l = NULL;

	colmap_split_name(full, &f, &l);
	if (strcmp(f, first) != 0 || strcmp(l, last) != 0)
		fail_msg("split '%s': '%s' / '%s', want '%s' / '%s'", full ? full : "(null)",
		    f, l, first, last);
	free(f);
	free(l);
}

static void
test_split_name(void **state)
{
	(void)state;
	check_split("Inès Çelik", "Inès", "Çelik");
	check_split("Thijs Van Der Auwera", "Thijs", "Van Der Auwera");
	check_split("Siobhán van den Berg", "Siobhán", "van den Berg");
	check_split("Pieter-Jan de Vries", "Pieter-Jan", "de Vries");
	check_split("Ludwig van Beethoven", "Ludwig", "van Beethoven");
	check_split("Jan van 't Hof", "Jan", "van 't Hof");
	check_split("Maria de la Cruz", "Maria", "de la Cruz");
	check_split("Otto von Bismarck", "Otto", "von Bismarck");
	/* several first names */
	check_split("Jan Willem Smit", "Jan Willem", "Smit");
	/* a double surname whose second half starts with a particle */
	check_split("Anne Van den Broeck-De Smet", "Anne", "Van den Broeck-De Smet");
	check_split("Sofie Peeters-Van Damme", "Sofie", "Peeters-Van Damme");
	check_split("Els Van Hoof-Van Damme", "Els", "Van Hoof-Van Damme");
	check_split("Sofie Peeters-Janssens", "Sofie", "Peeters-Janssens");
	check_split("Marie-Claire Dubois", "Marie-Claire", "Dubois");
	check_split("Jean-De Smet", "Jean-De", "Smet"); /* the first word stays a first name */
	check_split("Anne Peeters-Van den Berg", "Anne", "Peeters-Van den Berg");
	check_split("Anne Marie Louise de Wit", "Anne Marie Louise", "de Wit");
	/* particles of the other languages, and the typographic apostrophe */
	check_split("Jan van \xe2\x80\x99t Hof", "Jan", "van \xe2\x80\x99t Hof");
	check_split("Gerard ter Horst", "Gerard", "ter Horst");
	check_split("Anne ten Cate", "Anne", "ten Cate");
	check_split("Jo\xc3\xa3o dos Santos", "João", "dos Santos");
	check_split("Maria das Dores", "Maria", "das Dores");
	check_split("Ana do Carmo", "Ana", "do Carmo");
	check_split("Ahmed bin Rashid", "Ahmed", "bin Rashid");
	check_split("Ali ibn Sina", "Ali", "ibn Sina");
	/* the last name first, with a comma */
	check_split("Smit, Jan", "Jan", "Smit");
	check_split("Van Der Auwera,Thijs", "Thijs", "Van Der Auwera");
	check_split("Smit , Jan Willem", "Jan Willem", "Smit");
	/* a comma with nothing on one side is noise */
	check_split("Jan Smit,", "Jan", "Smit");
	check_split(", Cher", "Cher", "");
	/* one word is a first name */
	check_split("Cher", "Cher", "");
	check_split("  Zoë  ", "Zoë", "");
	/* the first word stays a first name even when it looks like a particle */
	check_split("Van Gogh", "Van", "Gogh");
	check_split("De Smet", "De", "Smet");
	/* a suffix stays after the last name, as written */
	check_split("Jan Smit Jr.", "Jan", "Smit Jr.");
	check_split("Jan Smit, PhD", "Jan", "Smit, PhD");
	check_split("Martin Luther King III", "Martin Luther", "King III");
	check_split("Smit, Jan Sr", "Jan", "Smit Sr");
	check_split("Jack Ma", "Jack", "Ma");
	check_split("Jan II", "Jan", "II");
	/* a no-break or thin space, pasted from a web page, is a space */
	check_split("Jan\xc2\xa0Smit", "Jan", "Smit");
	check_split("Marie\xc2\xa0" "Claire\xe2\x80\x89" "Dubois", "Marie Claire", "Dubois");
	check_split("Jan Smit\xc2\xa0Jr.", "Jan", "Smit Jr.");
	check_split("Jan Smit\xe2\x80\x89Jr.", "Jan", "Smit Jr."); /* a thin space */
	check_split("Jan Smit,\xe2\x80\xaf" "PhD", "Jan", "Smit, PhD"); /* narrow no-break */
	check_split("An Claes MSc", "An", "Claes MSc");
	check_split("Anna Peeters, MBA", "Anna", "Peeters, MBA");
	check_split("John Smith Esq.", "John", "Smith Esq.");
	check_split("Els Maes BSc", "Els", "Maes BSc");
	check_split("Anna Maria Ii", "Anna Maria", "Ii");
	check_split("Jan Smit Jr.,", "Jan", "Smit Jr.");
	check_split("Jan Smit ,Jr", "Jan", "Smit, Jr");
	/* white space is tidied */
	check_split("  Jan \t Willem   Smit  ", "Jan Willem", "Smit");
	check_split("", "", "");
	check_split("   ", "", "");
	check_split(NULL, "", "");
}

static void
check_split_lf(const char *full, const char *first, const char *last)
{
	char *f = NULL, *l = NULL;
	colmap_split_name_last_first(full, &f, &l);
	if (strcmp(f, first) != 0 || strcmp(l, last) != 0)
		fail_msg("split last first '%s': '%s' / '%s', want '%s' / '%s'",
		    full ? full : "(null)", f, l, first, last);
	free(f);
	free(l);
}

/* A column that asks for the last name first: the name is not reversed,
 * and a last name's particles stay with it. */
static void
test_split_name_last_first(void **state)
{
	(void)state;
	check_split_lf("Dupont Jean", "Jean", "Dupont");
	check_split_lf("Dupont Jean Pierre", "Jean Pierre", "Dupont");
	check_split_lf("Van den Berg Jan Peter", "Jan Peter", "Van den Berg");
	check_split_lf("de la Cruz Maria", "Maria", "de la Cruz");
	check_split_lf("Çelik\xc2\xa0Inès", "Inès", "Çelik");
	/* a comma says where the last name ends, as it does either way */
	check_split_lf("Dupont, Jean", "Jean", "Dupont");
	check_split_lf("Le Goff Dupont, Anne", "Anne", "Le Goff Dupont");
	/* one word is the last name the column asked for first */
	check_split_lf("Dupont", "", "Dupont");
	/* particles and a word with nothing after them: a surname alone (a
	 * Vietnamese "Le Van Thanh" is read so too: the same shape) */
	check_split_lf("Van Gogh", "", "Van Gogh");
	check_split_lf("Van der Berg", "", "Van der Berg");
	check_split_lf("De Smet", "", "De Smet");
	check_split_lf("Le Van Thanh", "", "Le Van Thanh");
	check_split_lf("Le Goff Anne", "Anne", "Le Goff");
	check_split_lf("Le Thi Hoa", "Hoa", "Le Thi");
	check_split_lf("Van den Broeck-De Smet Anne", "Anne", "Van den Broeck-De Smet");
	check_split_lf("Peeters-Van Damme Sofie", "Sofie", "Peeters-Van Damme");
	check_split_lf("Peeters-Janssens Sofie", "Sofie", "Peeters-Janssens");
	check_split_lf("Peeters-Van den Berg Anne", "Anne", "Peeters-Van den Berg");
	check_split_lf("Van Hoof-Van der Berg Els", "Els", "Van Hoof-Van der Berg");
	check_split_lf("Broeck-De la Cruz Maria", "Maria", "Broeck-De la Cruz");
	check_split_lf("Le Van", "", "Le Van"); /* particles only: all last name */
	check_split_lf("  ", "", "");
	check_split_lf(NULL, "", "");
}

/* "Nom et prénom" and its kind are read last name first, by header or by
 * --map name-last-first=; a first-name-first full name is still preferred
 * when both are there. */
static void
test_last_name_first_headers(void **state)
{
	char *fr[] = { "Nom et prénom", "Adresse e-mail" };
	char *fr_comma[] = { "Nom, prénom", "E-mail" };
	char *de[] = { "Nachname, Vorname", "E-Mail" };
	char *nl[] = { "Achternaam en voornaam", "E-mail" };
	char *en[] = { "Surname, first name", "Email" };
	char *both[] = { "Full name", "Nom et prénom" };
	char *custom[] = { "Deelnemer (achternaam eerst)", "E-mail" };
	char *const *all[] = { fr, fr_comma, de, nl, en };

	(void)state;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		struct colmap *m = map(all[i], 2, NOVER, 0);
		expect(m, (const int[]){ COLMAP_FULL_LF, COLMAP_EMAIL }, 2);
		colmap_free(m);
	}
	struct colmap *m = map(both, 2, NOVER, 0);
	expect(m, (const int[]){ COLMAP_FULL, COLMAP_FULL_LF }, 2);
	colmap_free(m);

	struct colmap_override ov;
	char *cause = NULL;
	assert_int_equal(colmap_parse_override("name-last-first=Deelnemer (achternaam eerst)",
	    &ov, &cause), 0);
	m = map(custom, 2, &ov, 1);
	expect(m, (const int[]){ COLMAP_FULL_LF, COLMAP_EMAIL }, 2);
	colmap_free(m);
}

static void
test_status_cancelled(void **state)
{
	static const char *const cancelled[] = {
		"Not Attending", "not attending", "Cancelled", "canceled", "CANCELED",
		"Refunded", "Deleted", "No", "no", "Waitlist", "Geannuleerd",
		"Terugbetaald", "Nee", "Annulé", "annulee", "Remboursé", "Non",
		"Liste d'attente", "Storniert", "Nein", "Warteliste", "Abgesagt",
		"Cancelled (refunded)", "expired",
	};
	static const char *const valid[] = {
		"", "  ", "Attending", "Yes", "Checked In", "paid", "Pending",
		"Ja", "Oui", "Bevestigd", "Confirmé", "Bestätigt", "Noord", "None?",
		"Nothing special", "Transferred", "VIP",
	};

	(void)state;
	for (size_t i = 0; i < sizeof cancelled / sizeof cancelled[0]; i++)
		if (!colmap_status_cancelled(cancelled[i]))
			fail_msg("'%s' should mean cancelled", cancelled[i]);
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		if (colmap_status_cancelled(valid[i]))
			fail_msg("'%s' should mean valid", valid[i]);
	assert_false(colmap_status_cancelled(NULL));
}

/* A pending order in a pretix list (or a payment column of another
 * platform): the import warns of it; paid ones and other columns' "No" do
 * not count. */
static void
test_unpaid(void **state)
{
	(void)state;
	static const char *const unpaid[][2] = {
		{ "Paid", "No" }, { "paid", " no " }, { "Payment status", "Pending" },
		{ "Betaald", "Nee" }, { "Payé", "Non" }, { "Bezahlt", "Nein" },
		{ "Zahlungsstatus", "offen" }, { "Statut du paiement", "En attente" },
		{ "Payment status", "Open" },
		{ "Betaalstatus", "Niet betaald" },
	};
	static const char *const not_unpaid[][2] = {
		{ "Paid", "Yes" }, { "Paid", "" }, { "Payment status", "Completed" },
		{ "Newsletter", "No" }, { "Vegetarian", "Nee" }, { "Paid", "Ja" },
	};
	for (size_t i = 0; i < sizeof unpaid / sizeof unpaid[0]; i++)
		if (!colmap_unpaid(unpaid[i][0], unpaid[i][1]))
			fail_msg("'%s' = '%s' should be unpaid", unpaid[i][0], unpaid[i][1]);
	for (size_t i = 0; i < sizeof not_unpaid / sizeof not_unpaid[0]; i++)
		if (colmap_unpaid(not_unpaid[i][0], not_unpaid[i][1]))
			fail_msg("'%s' = '%s' is not unpaid", not_unpaid[i][0], not_unpaid[i][1]);
	assert_false(colmap_unpaid(NULL, "No"));
}

/* Columns counting the guests a registrant brings, in our four languages. */
static void
test_plus_ones_columns(void **state)
{
	static const char *const yes[] = {
		"Guests", "Plus-ones", "Plus one", "Extra guests", "Additional guests",
		"Gasten", "Extra gasten", "Introducés", "Invités", "Accompagnants",
		"Gäste", "Begleitpersonen", "Begleitung",
	};
	static const char *const no[] = { "Guest", "Guest name", "Notes", "", NULL };

	(void)state;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!colmap_plus_ones_column(yes[i]))
			fail_msg("'%s' should count plus-ones", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_false(colmap_plus_ones_column(no[i]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eventbrite),
		cmocka_unit_test(test_excel_nl),
		cmocka_unit_test(test_more_code_and_type_headers),
		cmocka_unit_test(test_meetup),
		cmocka_unit_test(test_pretix),
		cmocka_unit_test(test_platform_exports),
		cmocka_unit_test(test_buyer_columns_alone),
		cmocka_unit_test(test_fallback_choices),
		cmocka_unit_test(test_repeated_header_fills_in),
		cmocka_unit_test(test_cancel_column_in_four_languages),
		cmocka_unit_test(test_footer_lines),
		cmocka_unit_test(test_status_with_its_header),
		cmocka_unit_test(test_excel_de_fr),
		cmocka_unit_test(test_more_headers),
		cmocka_unit_test(test_forms_and_tsv),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_ambiguous_name),
		cmocka_unit_test(test_duplicates_become_extras),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_override_errors),
		cmocka_unit_test(test_no_name_column),
		cmocka_unit_test(test_parse_override),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_language_column),
		cmocka_unit_test(test_language_values),
		cmocka_unit_test(test_split_name),
		cmocka_unit_test(test_split_name_last_first),
		cmocka_unit_test(test_last_name_first_headers),
		cmocka_unit_test(test_status_cancelled),
		cmocka_unit_test(test_unpaid),
		cmocka_unit_test(test_plus_ones_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
