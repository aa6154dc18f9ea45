/* print: send a badge PDF to a printer through CUPS, never blocking the
 * door: the kiosk prints from its own thread and shows the result as a
 * message. */
#ifndef KIOSK_PRINT_H
#define KIOSK_PRINT_H

/* Print the PDF at path on printer (NULL or "": the CUPS default printer),
 * as a job named title. Returns the CUPS job id (> 0), or -1 with *cause
 * ("no printer named 'Brother' (printers: PDF)", "no default printer"...). */
int print_pdf(const char *path, const char *printer, const char *title, char **cause);

/* Is printer (NULL or "": the default) there and taking jobs? Returns 0
 * with *state ("Brother_QL is ready"), 1 with *state when it is stopped or
 * refuses jobs, -1 with *cause (no print service, no such printer). The
 * caller frees *state. Bounded in time like print_pdf. */
int print_check(const char *printer, char **state, char **cause);

#endif
