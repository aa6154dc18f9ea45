/* Tests for csvout: the attendance and guest lists as CSV. What an organiser
 * notices: a company with a comma or a semicolon in it stays in its column
 * when LibreOffice opens the file with its default Text Import settings
 * (comma, semicolon and tab all separators), whichever the file uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/csvout.h"

/* One row of fields written with delim, as the file holds it. */
static char *
row_of(const char *const *v, size_t n, char delim)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	for (size_t i = 0; i < n; i++)
		csvout_field(fp, v[i], delim, i == 0);
	csvout_end_row(fp);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_other_separators_are_quoted(void **state)
{
	(void)state;
	const char *v[] = { "Maarten", "Antwerp Social, Inc.", "Zuid; Marketing", "a\tb", "x" };
	char *s = row_of(v, 5, ';');
	assert_string_equal(s, "Maarten;\"Antwerp Social, Inc.\";\"Zuid; Marketing\";\"a\tb\";x\r\n");
	free(s);
	s = row_of(v, 5, ',');
	assert_string_equal(s, "Maarten,\"Antwerp Social, Inc.\",\"Zuid; Marketing\",\"a\tb\",x\r\n");
	free(s);
}

static void
test_plain_quotes_and_formulas(void **state)
{
	(void)state;
	const char *v[] = { "Zoë", "Studio \"Noord\"", "=1+1", "", " lead" };
	char *s = row_of(v, 5, ',');
	assert_string_equal(s, "Zoë,\"Studio \"\"Noord\"\"\",\"'=1+1\",,\" lead\"\r\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_separators_are_quoted),
		cmocka_unit_test(test_plain_quotes_and_formulas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
