/* shot: save what the renderer drew as a PNG (libpng): for the rendering
 * tests' artefacts and `kiosk run --screenshot`. */
#ifndef KIOSK_SHOT_H
#define KIOSK_SHOT_H

#include <SDL.h>

/* Read the current frame of r and write it to path. Returns 0, or -1 with *cause. */
int shot_save(SDL_Renderer *r, const char *path, char **cause);

/* Read the current frame into a new ARGB8888 surface (caller frees). */
SDL_Surface *shot_read(SDL_Renderer *r, char **cause);

#endif
