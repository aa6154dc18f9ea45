/* shot: save the renderer's frame as a PNG (see shot.h). */
#include "ui/shot.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

SDL_Surface *
shot_read(SDL_Renderer *r, char **cause)
{
	int w, h;
	if (SDL_GetRendererOutputSize(r, &w, &h) != 0) {
		util_fail(cause, "cannot read the frame size: %s", SDL_GetError());
		return NULL;
	}
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (s == NULL) {
		util_fail(cause, "cannot make a surface: %s", SDL_GetError());
		return NULL;
	}
	if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
		util_fail(cause, "cannot read the frame: %s", SDL_GetError());
		SDL_FreeSurface(s);
		return NULL;
	}
	return s;
}

/* The libpng part on its own, so that nothing setjmp can clobber lives here
 * besides the arguments. Returns 0 or -1. */
static int
write_png(png_structp png, png_infop info, FILE *fp, const SDL_Surface *s, png_bytep row)
{
	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_init_io(png, fp);
	png_set_IHDR(png, info, (png_uint_32)s->w, (png_uint_32)s->h, 8, PNG_COLOR_TYPE_RGB,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 3);
	png_write_info(png, info);
	for (int y = 0; y < s->h; y++) {
		const Uint32 *px = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * s->pitch);
		for (int x = 0; x < s->w; x++) {
			row[3 * x] = (png_byte)(px[x] >> 16);
			row[3 * x + 1] = (png_byte)(px[x] >> 8);
			row[3 * x + 2] = (png_byte)px[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	return 0;
}

int
shot_save(SDL_Renderer *r, const char *path, char **cause)
{
	SDL_Surface *s = NULL;
	FILE *fp = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	png_bytep row = NULL;
	int rc = -1;

	s = shot_read(r, cause);
	if (s == NULL)
		return -1;
	fp = fopen(path, "wb");
	if (fp == NULL) {
		util_fail(cause, "%s: cannot create the screenshot", path);
		goto out;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (info == NULL) {
		util_fail(cause, "%s: cannot start libpng", path);
		goto out;
	}
	row = xmalloc((size_t)s->w * 3);
	if (write_png(png, info, fp, s, row) != 0) {
		util_fail(cause, "%s: cannot write the PNG", path);
		goto out;
	}
	rc = 0;
out:
	if (png != NULL)
		png_destroy_write_struct(&png, info ? &info : NULL);
	if (fp != NULL && fclose(fp) != 0 && rc == 0)
		rc = util_fail(cause, "%s: cannot write the PNG", path);
	free(row);
	SDL_FreeSurface(s);
	return rc;
}
