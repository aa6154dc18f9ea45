/* xlsx: the attendance as a spreadsheet (see xlsx.h). */
#include "report/xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>
#include <xlsxwriter.h>

#include "core/ktime.h"
#include "core/util.h"

#define DATE_FORMAT "yyyy-mm-dd hh:mm"
#define DATE_WIDTH  17     /* "2026-06-30 19:02" and the autofilter's button */
#define MAX_WIDTH   40     /* a column no wider than this; long cells wrap off */

/* The Attendance sheet's columns: the CSV export's header, in its order. */
enum {
	COL_FIRST, COL_LAST, COL_EMAIL, COL_COMPANY, COL_TYPE, COL_SOURCE, COL_ATTENDED,
	COL_AT, COL_KIOSK, COL_SCANS, COL_DUPS, COL_CANCELLED, COL_DAYS, NCOLS
};
/* COL_DAYS only at an event of days (store_each_day), as the CSV's. */
static const char *const header[NCOLS] = {
	"first_name", "last_name", "email", "company", "ticket_type", "source", "attended",
	"checked_in_at", "kiosk", "scans", "duplicate_entries", "cancelled", "days_attended",
};

/* The state of one sheet while rows are added. */
struct sheet {
	lxw_worksheet *ws;
	lxw_format *date;          /* DATE_FORMAT */
	lxw_format *percent;       /* 0.0% */
	enum attend_list list;
	lxw_row_t row;             /* the next row to write */
	double width[NCOLS];       /* widest cell so far, in character cells */
	lxw_error err;             /* the first libxlsxwriter error; later writes skip */
	lxw_col_t ncols;           /* NCOLS, or one fewer: no COL_DAYS */
};

/* Columns wide enough for their text: characters counted as the screen shows
 * them (a Chinese character takes two cells). */
static void
widen(struct sheet *sh, lxw_col_t col, const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
	double w = 0;

	while (left > 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
		if (n <= 0) {
			n = 1;
			w += 1;
		} else {
			w += utf8proc_charwidth(cp);
		}
		p += n;
		left -= n;
	}
	w += 2; /* margins and the autofilter's button */
	if (w > MAX_WIDTH)
		w = MAX_WIDTH;
	if (col < NCOLS && w > sh->width[col])
		sh->width[col] = w;
}

static void
check(struct sheet *sh, lxw_error e)
{
	if (sh->err == LXW_NO_ERROR)
		sh->err = e;
}

/* s with U+FFFE and U+FFFF as U+FFFD (caller frees), or NULL when it has
 * none. Valid UTF-8 but no XML characters: libxlsxwriter writes them as they
 * are, and LibreOffice then reads the shared strings as broken, every name of
 * the workbook empty. Each is three bytes, as U+FFFD is. */
static char *
xml_chars(const char *s)
{
	char *copy = NULL;
	for (const char *p = strstr(s, "\xEF\xBF"); p != NULL; p = strstr(p + 2, "\xEF\xBF")) {
		if ((unsigned char)p[2] != 0xBE && (unsigned char)p[2] != 0xBF)
			continue;
		if (copy == NULL)
			copy = xstrdup(s);
		copy[p - s + 2] = (char)0xBD;
	}
	return copy;
}

/* Text is written as a string cell, whatever it starts with: "=1+1" from a
 * guest list stays those four characters (write_string never makes a formula). */
static void
put_text(struct sheet *sh, lxw_col_t col, const char *s, lxw_format *fmt)
{
	if (sh->err != LXW_NO_ERROR || s[0] == '\0')
		return;
	char *safe = xml_chars(s);
	check(sh, worksheet_write_string(sh->ws, sh->row, col, safe ? safe : s, fmt));
	widen(sh, col, s);
	free(safe);
}

static void
put_number(struct sheet *sh, lxw_col_t col, double v, lxw_format *fmt)
{
	if (sh->err == LXW_NO_ERROR)
		check(sh, worksheet_write_number(sh->ws, sh->row, col, v, fmt));
}

/* ms UTC as an Excel date-time in the local (event) zone, to the second:
 * Excel's numbers are wall-clock days with no zone. */
static double
excel_local(int64_t ms)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	lxw_datetime dt = {
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		tm.tm_sec,
	};
	return lxw_datetime_to_excel_datetime(&dt);
}

static void
put_time(struct sheet *sh, lxw_col_t col, int64_t ms)
{
	put_number(sh, col, excel_local(ms), sh->date);
}

static int
put_guest(const struct attend_row *r, void *arg)
{
	struct sheet *sh = arg;
	const struct guest *g = r->guest;

	if (!attend_listed(r, sh->list))
		return 0;
	put_text(sh, COL_FIRST, g->first_name, NULL);
	put_text(sh, COL_LAST, g->last_name, NULL);
	put_text(sh, COL_EMAIL, g->email, NULL);
	put_text(sh, COL_COMPANY, g->company, NULL);
	put_text(sh, COL_TYPE, g->ticket_type, NULL);
	put_text(sh, COL_SOURCE, g->source, NULL);
	/* A boolean, not "yes"/"no": the spreadsheet shows it in the reader's
	 * language (WAAR, VRAI) and counts it (COUNTIF(G:G;TRUE())); the CSV
	 * says yes/no only because CSV has no types. */
	if (sh->err == LXW_NO_ERROR)
		check(sh, worksheet_write_boolean(sh->ws, sh->row, COL_ATTENDED,
		    r->first_at != 0, NULL));
	if (r->first_at != 0) {
		put_time(sh, COL_AT, r->first_at);
		put_text(sh, COL_KIOSK, r->first_kiosk, NULL);
	}
	put_number(sh, COL_SCANS, r->scans, NULL);
	put_number(sh, COL_DUPS, r->duplicate_entries, NULL);
	if (sh->err == LXW_NO_ERROR)
		check(sh, worksheet_write_boolean(sh->ws, sh->row, COL_CANCELLED,
		    g->cancelled, NULL));
	if (sh->ncols == NCOLS)
		put_number(sh, COL_DAYS, r->days, NULL);
	sh->row++;
	return sh->err != LXW_NO_ERROR;
}

static int
write_attendance(lxw_workbook *wb, struct store *s, struct sheet *sh, lxw_format *bold,
    char **cause)
{
	sh->ws = workbook_add_worksheet(wb, "Attendance");
	if (sh->ws == NULL) {
		sh->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return 0;
	}
	sh->ncols = store_each_day(s) ? NCOLS : NCOLS - 1;
	for (lxw_col_t c = 0; c < sh->ncols; c++)
		put_text(sh, c, header[c], bold);
	sh->width[COL_AT] = DATE_WIDTH;
	sh->row = 1;
	if (attend_each(s, put_guest, sh, cause) < 0)
		return -1;
	if (sh->err != LXW_NO_ERROR)
		return 0;
	worksheet_freeze_panes(sh->ws, 1, 0);
	check(sh, worksheet_autofilter(sh->ws, 0, 0, sh->row - 1, sh->ncols - 1));
	for (lxw_col_t c = 0; c < sh->ncols; c++)
		check(sh, worksheet_set_column(sh->ws, c, c, sh->width[c], NULL));
	return 0;
}

static void
put_rate(struct sheet *sh, lxw_col_t col, int part, int whole)
{
	/* An event without guests has no rate; an empty cell, not 0% or #DIV/0!. */
	if (whole > 0)
		put_number(sh, col, (double)part / whole, sh->percent);
}

static int
put_type(const struct attend_type *t, void *arg)
{
	struct sheet *sh = arg;
	put_text(sh, 0, t->type[0] ? t->type : "(no ticket type)", NULL);
	put_number(sh, 1, t->registered, NULL);
	put_number(sh, 2, t->checked_in, NULL);
	put_rate(sh, 3, t->checked_in, t->registered);
	sh->row++;
	return sh->err != LXW_NO_ERROR;
}

static void
put_figure(struct sheet *sh, const char *label, int v)
{
	put_text(sh, 0, label, NULL);
	put_number(sh, 1, v, NULL);
	sh->row++;
}

static int
write_summary(lxw_workbook *wb, struct store *s, const struct attend_stats *st,
    struct sheet *sh, lxw_format *bold, char **cause)
{
	static const char *const lists[] = {
		[ATTEND_LIST_ALL] = "every guest",
		[ATTEND_LIST_NO_SHOWS] = "no-shows only",
		[ATTEND_LIST_WALK_INS] = "walk-ins only",
	};
	const struct store_event *ev = store_event(s);

	sh->ws = workbook_add_worksheet(wb, "Summary");
	if (sh->ws == NULL) {
		sh->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
		return 0;
	}
	sh->row = 0;
	put_text(sh, 0, "Event", bold);
	put_text(sh, 1, ev->name, bold);
	sh->row++;
	put_text(sh, 0, "Time zone", NULL);
	put_text(sh, 1, ev->tz, NULL);
	sh->row++;
	put_text(sh, 0, "Generated at", NULL);
	put_time(sh, 1, store_now(s));
	sh->row++;
	put_text(sh, 0, "Attendance sheet", NULL);
	put_text(sh, 1, lists[sh->list], NULL);
	sh->row += 2;

	put_figure(sh, "Registered", st->registered);
	put_figure(sh, "Attended (checked in)", st->checked_in);
	put_figure(sh, "No-shows", st->no_shows);
	put_figure(sh, "Walk-ins", st->walkins);
	put_figure(sh, "Cancelled", st->cancelled);
	put_figure(sh, "Came, cancelled since", st->cancelled_after_checkin);
	put_figure(sh, "Duplicate entries", st->duplicate_entries);
	put_figure(sh, "Repeat scans", st->repeat_scans);
	put_text(sh, 0, "Attendance rate", NULL);
	put_rate(sh, 1, st->checked_in, st->registered);
	sh->row++;
	/* at an event of days: who came each day */
	for (size_t i = 0; i < st->ndays; i++) {
		char day[KTIME_BUF], label[KTIME_BUF + 16];
		snprintf(label, sizeof label, "Came on %s", ktime_day_text(st->days[i].day, day));
		put_figure(sh, label, st->days[i].came);
	}
	sh->row++;

	put_text(sh, 0, "Ticket type", bold);
	put_text(sh, 1, "Registered", bold);
	put_text(sh, 2, "Attended", bold);
	put_text(sh, 3, "Rate", bold);
	sh->row++;
	if (attend_by_type(s, put_type, sh, cause) < 0)
		return -1;

	if (sh->width[1] < DATE_WIDTH)
		sh->width[1] = DATE_WIDTH;
	for (lxw_col_t c = 0; c < 4; c++)
		check(sh, worksheet_set_column(sh->ws, c, c, sh->width[c], NULL));
	return 0;
}

int
xlsx_write_attendance(struct store *s, const char *path, const struct xlsx_filter *f,
    char **cause)
{
	struct attend_stats st = { 0 };
	struct sheet att = { 0 }, sum = { 0 };
	lxw_workbook *wb = NULL;
	struct util_replace r = { 0 };
	int rc = -1;
	/* Inside the caller's transaction, the sheets agree with its reads. */
	bool own = sqlite3_get_autocommit(store_db(s)) != 0;

	att.list = sum.list = f ? f->list : ATTEND_LIST_ALL;
	if (own && store_begin_read(s, cause) != 0)
		return -1;
	if (attend_stats(s, &st, cause) != 0)
		goto out;

	/* The file is 0600 before any byte is in it; libxlsxwriter later opens
	 * it by name and truncates it, which keeps the mode (and the inode our
	 * stream syncs). */
	if (util_replace_open(&r, path, 0600, cause) != 0)
		goto out;
	wb = workbook_new(r.tmp);
	if (wb == NULL) {
		util_fail(cause, "%s: cannot start the spreadsheet (out of memory?)", path);
		goto out;
	}
	lxw_format *bold = workbook_add_format(wb);
	att.date = sum.date = workbook_add_format(wb);
	att.percent = sum.percent = workbook_add_format(wb);
	if (bold == NULL || att.date == NULL || att.percent == NULL) {
		util_fail(cause, "%s: cannot start the spreadsheet (out of memory?)", path);
		goto out;
	}
	format_set_bold(bold);
	format_set_num_format(att.date, DATE_FORMAT);
	format_set_num_format(att.percent, "0.0%");
	lxw_doc_properties props = { .title = (char *)"Attendance",
	    .subject = (char *)store_event(s)->name, .author = (char *)"kiosk" };
	workbook_set_properties(wb, &props);

	if (write_attendance(wb, s, &att, bold, cause) != 0 ||
	    write_summary(wb, s, &st, &sum, bold, cause) != 0)
		goto out;
	lxw_error err = att.err != LXW_NO_ERROR ? att.err : sum.err;
	if (err != LXW_NO_ERROR) {
		util_fail(cause, "%s: cannot write the spreadsheet: %s", path, lxw_strerror(err));
		goto out;
	}
	errno = 0;
	err = workbook_close(wb);
	wb = NULL;
	if (err != LXW_NO_ERROR) {
		/* Only file errors leave a meaningful errno (a full disk, a folder
		 * that went away); for the rest the library's words are all. */
		bool file = err == LXW_ERROR_CREATING_XLSX_FILE ||
		    err == LXW_ERROR_CREATING_TMPFILE || err == LXW_ERROR_ZIP_FILE_OPERATION;
		util_fail(cause, "%s: cannot write: %s%s%s", path, lxw_strerror(err),
		    file && errno ? ": " : "", file && errno ? strerror(errno) : "");
		goto out;
	}
	if (util_replace_commit(&r, cause) != 0)
		goto out;
	rc = 0;
out:
	if (wb != NULL)
		lxw_workbook_free(wb);
	if (rc != 0)
		util_replace_abort(&r);
	attend_stats_free(&st);
	if (own)
		store_rollback(s);
	return rc;
}
