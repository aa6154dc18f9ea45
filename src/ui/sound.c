/* sound: short tones made with SDL audio (see sound.h). */
#include "ui/sound.h"

#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/util.h"

#define RATE 48000

struct sound {
	SDL_AudioDeviceID dev;
	int16_t *good, *bad;
	size_t ngood, nbad;
};

/* Append a tone with soft edges (no clicks): freq Hz for ms, at amplitude. */
static size_t
tone(int16_t *buf, size_t at, double freq, int ms, double amp, bool square)
{
	size_t n = (size_t)RATE * (size_t)ms / 1000, fade = RATE / 200;
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / RATE, v = sin(2 * M_PI * freq * t);
		if (square)
			v = v > 0 ? 0.6 : -0.6;
		double env = 1.0;
		if (i < fade)
			env = (double)i / (double)fade;
		else if (n - i < fade)
			env = (double)(n - i) / (double)fade;
		buf[at + i] = (int16_t)(v * env * amp * 32767);
	}
	return at + n;
}

struct sound *
sound_open(void)
{
	SDL_AudioSpec want = { 0 }, have;
	/* Without a sound card ALSA fills stderr with complaints at start-up;
	 * a kiosk without one is silent, not noisy. */
	if (getenv("SDL_AUDIODRIVER") == NULL && access("/dev/snd", F_OK) != 0)
		return NULL;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
		return NULL;
	want.freq = RATE;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 1024;
	SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (dev == 0) {
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		return NULL;
	}
	struct sound *s = xcalloc(1, sizeof *s);
	s->dev = dev;
	/* Admitted: two rising notes. Refused: a low buzz, twice as long, so
	 * the two are told apart without looking. */
	s->good = xcalloc((size_t)RATE * 250 / 1000 + 1, sizeof *s->good);
	s->ngood = tone(s->good, tone(s->good, 0, 880, 90, 0.5, false), 1320, 150, 0.5, false);
	s->bad = xcalloc((size_t)RATE * 500 / 1000 + 1, sizeof *s->bad);
	s->nbad = tone(s->bad, tone(s->bad, 0, 220, 220, 0.35, true), 180, 260, 0.35, true);
	SDL_PauseAudioDevice(dev, 0);
	return s;
}

void
sound_play(struct sound *s, bool good)
{
	if (s == NULL)
		return;
	SDL_ClearQueuedAudio(s->dev); /* the newest result wins */
	if (good)
		SDL_QueueAudio(s->dev, s->good, (Uint32)(s->ngood * sizeof *s->good));
	else
		SDL_QueueAudio(s->dev, s->bad, (Uint32)(s->nbad * sizeof *s->bad));
}

void
sound_close(struct sound *s)
{
	if (s == NULL)
		return;
	SDL_CloseAudioDevice(s->dev);
	SDL_QuitSubSystem(SDL_INIT_AUDIO);
	free(s->good);
	free(s->bad);
	free(s);
}
