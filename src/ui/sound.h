/* sound: short tones for admitted and refused, made with SDL audio (no
 * sound files). A machine without an audio device simply stays silent. */
#ifndef KIOSK_SOUND_H
#define KIOSK_SOUND_H

#include <stdbool.h>

struct sound;

/* Open the default audio device; NULL when there is none (no error). */
struct sound *sound_open(void);
void sound_close(struct sound *s);
/* Queue the admitted (rising) or refused (low, longer) tone. */
void sound_play(struct sound *s, bool good);

#endif
