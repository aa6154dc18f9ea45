/* pngpixel: the colour of one pixel of a PNG, for integration tests that
 * look at the door app's screenshots.
 *
 *   pngpixel FILE X Y
 *
 * prints the pixel at column X, row Y (0-based, from the top left) as
 * RRGGBB in capitals and a newline, and exits 0; a file that cannot be
 * read, or a point outside the picture, gets a message on stderr and exit
 * 1; wrong arguments exit 2. A pixel that is not opaque is composed over
 * black (the app's screenshots are opaque RGB); a 16-bit or gamma-tagged
 * file is converted to 8-bit sRGB by libpng first.
 *
 * Standalone on purpose (C11 + libpng's simplified API, no project
 * headers): a test instrument must not depend on the code under test. It
 * replaces ImageMagick's convert, which is not among the packages the
 * tests install, so the check it served was skipped on a fresh machine. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
coordinate(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)s[0]) || errno != 0 || *end != '\0' || v > INT_MAX)
		return -1;
	*out = v;
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long x, y;
	if (argc != 4 || coordinate(argv[2], &x) != 0 || coordinate(argv[3], &y) != 0) {
		fprintf(stderr, "usage: pngpixel FILE X Y\n");
		return 2;
	}
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, argv[1])) {
		fprintf(stderr, "pngpixel: %s: %s\n", argv[1], img.message);
		return 1;
	}
	img.format = PNG_FORMAT_RGB;
	if (x >= img.width || y >= img.height) {
		fprintf(stderr, "pngpixel: %s: %lu,%lu is outside its %ux%u\n", argv[1], x, y,
		    (unsigned)img.width, (unsigned)img.height);
		png_image_free(&img);
		return 1;
	}
	png_bytep buf = calloc(1, PNG_IMAGE_SIZE(img)); /* black, under what is not opaque */
	if (buf == NULL) {
		fprintf(stderr, "pngpixel: out of memory\n");
		png_image_free(&img);
		return 1;
	}
	if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
		fprintf(stderr, "pngpixel: %s: %s\n", argv[1], img.message);
		free(buf);
		return 1;
	}
	const png_byte *p = buf + (y * img.width + x) * 3;
	printf("%02X%02X%02X\n", p[0], p[1], p[2]);
	free(buf);
	return 0;
}
