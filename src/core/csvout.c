/* csvout: writing CSV that spreadsheets open safely (see csvout.h). */
#include "core/csvout.h"

#include <string.h>

void
csvout_field(FILE *fp, const char *s, char delim, bool first)
{
	if (!first)
		fputc(delim, fp);
	/* OWASP's list: a tab or CR first makes a formula of what follows too. */
	bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	/* Every usual separator, not only delim: LibreOffice's Text Import splits
	 * on comma, semicolon and tab at once unless told otherwise, and would
	 * cut "Antwerp Social, Inc." in two in a file of semicolons. */
	bool quote = formula || strchr(s, delim) || strpbrk(s, ",;\t\"\n\r") != NULL ||
	    s[0] == ' ';
	if (!quote) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

void
csvout_end_row(FILE *fp)
{
	fputs("\r\n", fp);
}
