/* print: send a badge PDF to a printer through CUPS, never blocking the
 * door: the kiosk prints from its own thread and shows the result as a
 * message. */
#ifndef KIOSK_PRINT_H
#define KIOSK_PRINT_H

/* Print the PDF at path on printer (NULL or "": the CUPS default printer),
 * as a job named title. Returns the CUPS job id (> 0), or -1 with *cause
 * ("no printer named 'Brother' (printers: PDF)", "no default printer"...). */
int print_pdf(const char *path, const char *printer, const char *title, char **cause);

#endif
