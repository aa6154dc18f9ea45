/* text: fonts and text on screen (see text.h).
 *
 * Faces. A face is one entry of the table below: a regular file and, where
 * there is one, a bold file (without one, bold is SDL_ttf's synthetic
 * TTF_STYLE_BOLD, or the regular where the table says). The first face is
 * the main font and is required; the others are fallbacks and optional: a
 * missing one only loses its scripts, and text_missing() says which for the
 * admin screen.
 *
 * Fonts. Files are mapped read-only on first use (so an unused fallback costs
 * nothing, and a used one only the pages FreeType touches). Each file has a
 * probe font opened at one size, used only to ask which characters it covers;
 * drawing uses fonts opened per (file, size step, synthetic bold), at most
 * TEXT_FONTS_MAX at once, the least recently used closed first but never one
 * the call in progress holds.
 *
 * Layout. Each character goes to the face made for its script (Arabic,
 * Hebrew, Hangul, the Indic scripts, Thai) if that face has a glyph for it,
 * else to the first face in table order that has one, else to the main face
 * (a box: text_covered says false). Spaces and punctuation join their
 * neighbours' run where that font has them, so "محمد علي" stays one run and
 * is shaped as one; combining marks and joiners (ZWJ, ZWNJ) stay with their
 * base character. Consecutive characters of one face and one direction form
 * a run. Each run is shaped by HarfBuzz (through SDL_ttf) with its script
 * and direction, then the runs are put in display order with rule L2 of the
 * Unicode bidi algorithm on two or three levels; the paragraph direction is
 * that of the first strong character. That is not the whole algorithm (no
 * explicit embeddings, no bracket pairs), but it lays out names and short
 * labels in any mix of left-to-right and right-to-left scripts correctly.
 *
 * Sizes. px is the em size in pixels (the point size at 72 dpi). It is rounded
 * to a step (a multiple of 4 below 64 px, of 8 from 64 to 512) by measuring
 * and drawing alike, so the fonts kept open stay few. A line's height is the
 * main font's, grown to fit the fallbacks it uses.
 *
 * Textures. A string is drawn as one texture (its runs rendered by SDL_ttf
 * and put side by side on one baseline, cut to the rows with ink). The last
 * TEXT_TEX_MAX, up to TEXT_TEX_BYTES, are kept by (string, size, weight,
 * colour) for the renderer they were made on: a screen redrawn every frame
 * then costs a copy per string, where rendering a 160 px name anew costs
 * about half a millisecond. They are destroyed only while that renderer is in
 * use (to make room); otherwise they are left to it, since SDL frees a
 * renderer's textures with it and the app may destroy it before text_close.
 *
 * Not thread-safe: one struct text belongs to the thread that draws. */
#include "ui/text.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL_ttf.h>
#include <utf8proc.h>

#include "core/util.h"

#define TEXT_CP_MAX     256              /* characters laid out per string; the rest is cut */
#define TEXT_FONTS_MAX  48               /* sized fonts kept open */
#define TEXT_FILE_MAX   ((off_t)64 << 20) /* a larger font file is refused */
#define TEXT_PX_MIN     4
#define TEXT_PX_MAX     512
#define TEXT_PX_FINE    64               /* steps of 4 px below, of 8 px from here up */
#define TEXT_PROBE_PX   16               /* size of the fonts used to ask about coverage */
#define TEXT_MISSING_MAX 2048            /* bytes of text_missing() */
#define TEXT_DRAW_W_MAX 4096             /* pixels of a line drawn; the rest is cut */
#define TEXT_TEX_MAX    64               /* drawn strings whose textures are kept */
#define TEXT_TEX_BYTES  ((size_t)8 << 20) /* and at most this much of their pixels */
#define TEXT_TEX_KEY_MAX 512             /* longer strings are drawn but not kept */

enum script {
	SC_COMMON, SC_LATN, SC_GREK, SC_CYRL, SC_ARAB, SC_HEBR, SC_HANG, SC_HIRA,
	SC_KANA, SC_HANI, SC_DEVA, SC_BENG, SC_GURU, SC_GUJR, SC_TAML, SC_TELU,
	SC_KNDA, SC_MLYM, SC_THAI, SC_COUNT
};

/* ISO 15924 codes, as TTF_SetFontScriptName (hb_script_from_string) wants. */
static const char *const script_code[SC_COUNT] = {
	"Zyyy", "Latn", "Grek", "Cyrl", "Arab", "Hebr", "Hang", "Hira", "Kana", "Hani",
	"Deva", "Beng", "Guru", "Gujr", "Taml", "Telu", "Knda", "Mlym", "Thai",
};

static const struct face_spec {
	const char *regular;    /* file name in the fonts directory */
	const char *bold;       /* NULL: synthetic bold from the regular file, */
	bool regular_bold;      /* or, when true, the regular drawn for bold */
	enum script prefer;     /* its characters try this face first; SC_COMMON: none */
	const char *covers;     /* for text_missing() */
	int line_asc, line_desc; /* if not 0: most the face adds to the line box, 1/1000 em */
} faces[] = {
	{ "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", false, SC_COMMON, "Latin, Greek, Cyrillic", 0,
	    0 },
	/* Its own ascent and descent (1.374 and 0.738 em) are made for the
	 * tallest Urdu stacks; names' ink stays within 1.11 and 0.45 em (bold). */
	{ "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", false, SC_ARAB, "Arabic", 1150,
	    500 },
	{ "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", false, SC_HEBR, "Hebrew", 0, 0 },
	/* SDL_ttf's synthetic bold fills in a character of many strokes (娜,
	 * 赣) at a name's size: a white blot. The regular reads. */
	{ "DroidSansFallbackFull.ttf", NULL, true, SC_COMMON, "Chinese, Japanese", 0, 0 },
	{ "NanumSquareR.ttf", "NanumSquareB.ttf", false, SC_HANG, "Korean", 0, 0 },
	/* The scripts of India and Thailand, after the others: only their own
	 * characters look in them. */
	{ "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", false, SC_DEVA,
	    "Devanagari", 0, 0 },
	{ "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", false, SC_BENG, "Bengali",
	    0, 0 },
	{ "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf", false, SC_GURU, "Gurmukhi",
	    0, 0 },
	{ "NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf", false, SC_GUJR, "Gujarati",
	    0, 0 },
	{ "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", false, SC_TAML, "Tamil", 0, 0 },
	{ "NotoSansTelugu-Regular.ttf", "NotoSansTelugu-Bold.ttf", false, SC_TELU, "Telugu", 0, 0 },
	{ "NotoSansKannada-Regular.ttf", "NotoSansKannada-Bold.ttf", false, SC_KNDA, "Kannada",
	    0, 0 },
	{ "NotoSansMalayalam-Regular.ttf", "NotoSansMalayalam-Bold.ttf", false, SC_MLYM,
	    "Malayalam", 0, 0 },
	{ "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", false, SC_THAI, "Thai", 0, 0 },
	/* Last: emoji ("Bezoeker 🎟") and symbols the others lack, in outline
	 * (SDL_ttf draws no colour emoji); its line box is as DejaVu's. */
	{ "Symbola.ttf", NULL, false, SC_COMMON, "emoji and symbols", 930, 240 },
};
#define NFACES ((int)(sizeof faces / sizeof faces[0]))
#define NFILES (2 * NFACES)     /* file 2f is face f's regular file, 2f+1 its bold */

enum file_state { FILE_UNTRIED, FILE_OK, FILE_BAD };

struct file {
	char *path;             /* NULL for a face without a bold file */
	enum file_state state;
	void *map;              /* the file's bytes, mapped read-only when FILE_OK */
	size_t len;             /* bytes mapped */
	TTF_Font *probe;        /* opened at TEXT_PROBE_PX, for coverage only */
};

struct font {
	TTF_Font *ttf;
	int file;               /* index in text.files */
	int px;                 /* a size step */
	bool synth;             /* TTF_STYLE_BOLD set (no bold file) */
	uint64_t used;          /* text.clock when last handed out */
};

/* A drawn string's texture, kept for the next frames. */
struct tex {
	char *key;              /* the string; NULL when the slot is free */
	size_t keylen;
	int px;                 /* size step */
	enum text_weight wt;
	SDL_Color colour;
	SDL_Texture *texture;   /* NULL: nothing visible (only spaces) */
	int dy;                 /* texture top, relative to the y drawn at */
	int w, h;               /* texture size */
	int advance;            /* text_draw's answer */
	size_t bytes;           /* w * h * 4 */
	uint64_t used;          /* text.tex_clock when last drawn */
};

struct text {
	struct file files[NFILES];
	struct font fonts[TEXT_FONTS_MAX];
	int nfonts;             /* entries of fonts in use */
	uint64_t clock;         /* bumped per layout; fonts used at this tick stay */
	bool shaping;           /* SDL_ttf was built with HarfBuzz */
	struct buf missing;     /* "file (scripts): reason; ..." */
	SDL_Renderer *tex_ren;  /* the renderer the kept textures belong to */
	struct tex texs[TEXT_TEX_MAX];
	size_t tex_bytes;       /* sum of texs[].bytes */
	uint64_t tex_clock;     /* bumped per text_draw */
};

/* How a character takes part in layout. */
enum cls {
	CL_L,                   /* strong left-to-right (letters of most scripts) */
	CL_R,                   /* strong right-to-left (Arabic, Hebrew letters) */
	CL_NUM,                 /* digits: left to right, but not a strong character */
	CL_NEUTRAL,             /* spaces, punctuation, symbols: take their neighbours' run */
	CL_MARK,                /* combining marks, joiners: stay with their base */
};

struct ch {
	uint32_t cp;
	enum cls cls;
	enum script script;
	int face;               /* -1 until resolved */
	bool rtl;
	bool covered;           /* some face has a glyph (or needs none) */
};

struct run {
	int face;
	int file;               /* file drawn from, for the weight; -1: face unusable */
	bool synth;
	bool rtl;
	enum script script;
	int level;              /* bidi embedding level: 0, 1 or 2 */
	char *utf8;             /* in layout.bytes */
	TTF_Font *font;         /* sized font; NULL when it could not be opened */
	int w;                  /* width in pixels */
};

struct layout {
	struct ch *ch;
	int nch;
	struct run *run;
	int nrun;
	int *order;             /* display order: indices into run, left to right */
	char *bytes;            /* the runs' UTF-8, each NUL-terminated */
	bool valid;             /* the input was valid UTF-8 */
	int w, asc, desc;       /* after layout_size: width, ascent, descent (<= 0) */
};

/* --- sizes ------------------------------------------------------------- */

static int
px_clamp(int px)
{
	return px < TEXT_PX_MIN ? TEXT_PX_MIN : px > TEXT_PX_MAX ? TEXT_PX_MAX : px;
}

/* The step nearest px. */
static int
px_step(int px)
{
	px = px_clamp(px);
	if (px < TEXT_PX_FINE - 2)
		return (px + 2) / 4 * 4;
	return px_clamp((px + 4) / 8 * 8);
}

/* The largest step below px, or 0 when there is none. */
static int
px_step_below(int px)
{
	int s;

	if (px > TEXT_PX_MAX)
		return TEXT_PX_MAX;
	s = px - 1 >= TEXT_PX_FINE ? (px - 1) / 8 * 8 : (px - 1) / 4 * 4;
	return s >= TEXT_PX_MIN ? s : 0;
}

/* The smallest step above step s. */
static int
px_step_above(int s)
{
	return s < TEXT_PX_FINE ? s + 4 : s + 8;
}

/* --- files and fonts --------------------------------------------------- */

static void
note_missing(struct text *t, int file, const char *why)
{
	const struct face_spec *fs = &faces[file / 2];
	const char *role = file == 0 ? "main font" : file % 2 ? "bold" : fs->covers;

	if (t->missing.len > 0)
		buf_add(&t->missing, "; ", 2);
	/* Past the cap the list just stops; the first entries are there. */
	(void)buf_addf(&t->missing, "%s (%s): %s", file % 2 ? fs->bold : fs->regular,
	    role, why);
}

static void
file_fail(struct text *t, int file, const char *why)
{
	struct file *f = &t->files[file];

	if (f->state == FILE_BAD)
		return;
	/* A mapping stays until text_close: fonts opened from it may be open. */
	f->state = FILE_BAD;
	note_missing(t, file, why);
}

/* Map file's bytes. Returns false (and notes why) when it cannot be read. */
static bool
file_map(struct text *t, int file, char **cause)
{
	struct file *f = &t->files[file];
	struct stat st;
	int fd = -1;
	bool ok = false;

	if (f->state != FILE_UNTRIED)
		return f->state == FILE_OK;
	if (f->path == NULL) {
		f->state = FILE_BAD;
		return false;
	}
	fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		util_fail(cause, "%s: %s", f->path, strerror(errno));
		file_fail(t, file, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > TEXT_FILE_MAX) {
		util_fail(cause, "%s: not a font file (size %lld)", f->path,
		    (long long)st.st_size);
		file_fail(t, file, "not a font file");
		goto out;
	}
	f->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (f->map == MAP_FAILED) {
		f->map = NULL;
		util_fail(cause, "%s: %s", f->path, strerror(errno));
		file_fail(t, file, strerror(errno));
		goto out;
	}
	f->len = (size_t)st.st_size;
	f->state = FILE_OK;
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Open file at px from its mapping; NULL (the file marked bad) when FreeType
 * refuses it. */
static TTF_Font *
file_open_font(struct text *t, int file, int px, char **cause)
{
	struct file *f = &t->files[file];
	SDL_RWops *rw;
	TTF_Font *ttf;

	if (!file_map(t, file, cause))
		return NULL;
	rw = SDL_RWFromConstMem(f->map, (int)f->len);
	if (rw == NULL) {
		util_fail(cause, "%s: %s", f->path, SDL_GetError());
		return NULL;
	}
	ttf = TTF_OpenFontRW(rw, 1, px);    /* closes rw, also on failure */
	if (ttf == NULL) {
		char *why = xasprintf("not a usable font (%s)", TTF_GetError());
		util_fail(cause, "%s: %s", f->path, why);
		file_fail(t, file, why);
		free(why);
	}
	return ttf;
}

static TTF_Font *
file_probe(struct text *t, int file)
{
	struct file *f = &t->files[file];

	if (f->probe == NULL && f->state != FILE_BAD)
		f->probe = file_open_font(t, file, TEXT_PROBE_PX, NULL);
	return f->probe;
}

/* The file face draws weight wt from (its bold file, else its regular one),
 * or -1 when the face has no usable file. */
static int
face_file(struct text *t, int face, enum text_weight wt)
{
	if (wt == TEXT_BOLD && file_probe(t, 2 * face + 1) != NULL)
		return 2 * face + 1;
	if (file_probe(t, 2 * face) != NULL)
		return 2 * face;
	return -1;
}

static bool
face_has(struct text *t, int face, enum text_weight wt, uint32_t cp)
{
	int file = face_file(t, face, wt);

	return file >= 0 && TTF_GlyphIsProvided32(t->files[file].probe, cp) != 0;
}

/* The font for file at size step px, from the cache or newly opened. */
static TTF_Font *
font_get(struct text *t, int file, int px, bool synth)
{
	struct font *slot = NULL;
	TTF_Font *ttf;

	for (int i = 0; i < t->nfonts; i++) {
		struct font *c = &t->fonts[i];
		if (c->file == file && c->px == px && c->synth == synth) {
			c->used = t->clock;
			return c->ttf;
		}
	}
	ttf = file_open_font(t, file, px, NULL);
	if (ttf == NULL)
		return NULL;
	if (synth)
		TTF_SetFontStyle(ttf, TTF_STYLE_BOLD);
	if (t->nfonts < TEXT_FONTS_MAX) {
		slot = &t->fonts[t->nfonts++];
	} else {
		for (int i = 0; i < t->nfonts; i++) {
			struct font *c = &t->fonts[i];
			if (c->used < t->clock && (slot == NULL || c->used < slot->used))
				slot = c;
		}
		/* One layout holds at most one font per file. */
		assert(slot != NULL);
		if (slot == NULL) {
			TTF_CloseFont(ttf);
			return NULL;
		}
		TTF_CloseFont(slot->ttf);
	}
	slot->ttf = ttf;
	slot->file = file;
	slot->px = px;
	slot->synth = synth;
	slot->used = t->clock;
	return ttf;
}

/* --- characters -------------------------------------------------------- */

static bool
in(uint32_t cp, uint32_t lo, uint32_t hi)
{
	return cp >= lo && cp <= hi;
}

static enum script
script_of(uint32_t cp)
{
	if (in(cp, 0x41, 0x5A) || in(cp, 0x61, 0x7A) || in(cp, 0xC0, 0x24F) ||
	    in(cp, 0x1E00, 0x1EFF) || in(cp, 0x2C60, 0x2C7F) || in(cp, 0xA720, 0xA7FF))
		return cp == 0xD7 || cp == 0xF7 ? SC_COMMON : SC_LATN;
	if (in(cp, 0x370, 0x3FF) || in(cp, 0x1F00, 0x1FFF))
		return SC_GREK;
	if (in(cp, 0x400, 0x52F) || in(cp, 0x1C80, 0x1C8F) || in(cp, 0x2DE0, 0x2DFF) ||
	    in(cp, 0xA640, 0xA69F))
		return SC_CYRL;
	if (in(cp, 0x590, 0x5FF) || in(cp, 0xFB1D, 0xFB4F))
		return SC_HEBR;
	if (in(cp, 0x600, 0x6FF) || in(cp, 0x750, 0x77F) || in(cp, 0x8A0, 0x8FF) ||
	    in(cp, 0xFB50, 0xFDFF) || in(cp, 0xFE70, 0xFEFF))
		return SC_ARAB;
	if (in(cp, 0x1100, 0x11FF) || in(cp, 0x3130, 0x318F) || in(cp, 0xA960, 0xA97F) ||
	    in(cp, 0xAC00, 0xD7FF))
		return SC_HANG;
	if (in(cp, 0x3040, 0x309F))
		return SC_HIRA;
	if (in(cp, 0x30A0, 0x30FF) || in(cp, 0x31F0, 0x31FF) || in(cp, 0xFF66, 0xFF9F))
		return SC_KANA;
	if (in(cp, 0x2E80, 0x2FDF) || in(cp, 0x3400, 0x4DBF) || in(cp, 0x4E00, 0x9FFF) ||
	    in(cp, 0xF900, 0xFAFF) || in(cp, 0x20000, 0x3FFFF))
		return SC_HANI;
	/* The blocks of the Brahmic scripts, U+0900 to U+0D7F, 128 each. */
	static const enum script brahmic[] = { SC_DEVA, SC_BENG, SC_GURU, SC_GUJR, SC_COMMON,
		SC_TAML, SC_TELU, SC_KNDA, SC_MLYM };
	if (in(cp, 0x900, 0xD7F))
		return brahmic[(cp - 0x900) / 0x80];
	if (in(cp, 0xA8E0, 0xA8FF) || in(cp, 0x1CD0, 0x1CFF))
		return SC_DEVA;
	if (in(cp, 0xE00, 0xE7F))
		return SC_THAI;
	return SC_COMMON;
}

static bool
is_joiner(uint32_t cp)
{
	return cp == 0x200C || cp == 0x200D;    /* ZWNJ, ZWJ: shaping hints, no glyph needed */
}

/* The class of cp, or -1 for characters that are not drawn (controls and
 * format characters other than the joiners, such as bidi marks). */
static int
classify(uint32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);

	switch (p->category) {
	case UTF8PROC_CATEGORY_CC:
		return -1;
	case UTF8PROC_CATEGORY_CF:
		return is_joiner(cp) ? CL_MARK : -1;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return CL_MARK;
	default:
		break;
	}
	switch (p->bidi_class) {
	case UTF8PROC_BIDI_CLASS_L:
		return CL_L;
	case UTF8PROC_BIDI_CLASS_R:
	case UTF8PROC_BIDI_CLASS_AL:
		return CL_R;
	case UTF8PROC_BIDI_CLASS_EN:
	case UTF8PROC_BIDI_CLASS_AN:
		return CL_NUM;
	default:
		return CL_NEUTRAL;
	}
}

/* The face for cp: its script's face, else the first that has it. Returns
 * whether one has it; *face is the main face when none does. */
static bool
pick_face(struct text *t, uint32_t cp, enum script sc, enum text_weight wt, int *face)
{
	if (sc != SC_COMMON) {
		for (int f = 0; f < NFACES; f++) {
			if (faces[f].prefer == sc && face_has(t, f, wt, cp)) {
				*face = f;
				return true;
			}
		}
	}
	for (int f = 0; f < NFACES; f++) {
		if (face_has(t, f, wt, cp)) {
			*face = f;
			return true;
		}
	}
	*face = 0;
	return false;
}

/* --- layout ------------------------------------------------------------ */

static void
layout_free(struct layout *lay)
{
	free(lay->ch);
	free(lay->run);
	free(lay->order);
	free(lay->bytes);
	memset(lay, 0, sizeof *lay);
}

/* Decode utf8 into lay->ch: invalid bytes become U+FFFD (and lay->valid
 * false), characters that are not drawn are dropped. */
static void
layout_decode(struct layout *lay, const char *utf8)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)utf8;
	size_t n = strlen(utf8), i = 0;
	size_t cap = n < TEXT_CP_MAX ? n : TEXT_CP_MAX;

	lay->ch = xcalloc(cap, sizeof *lay->ch);
	lay->nch = 0;
	lay->valid = true;
	while (i < n && (size_t)lay->nch < cap) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			cp = 0xFFFD;
			k = 1;
			lay->valid = false;
		}
		i += (size_t)k;
		int cls = classify((uint32_t)cp);
		if (cls < 0)
			continue;
		/* A mark with nothing before it has no base to stay with. */
		if (cls == CL_MARK && lay->nch == 0)
			cls = CL_NEUTRAL;
		struct ch *c = &lay->ch[lay->nch++];
		c->cp = (uint32_t)cp;
		c->cls = (enum cls)cls;
		c->script = script_of((uint32_t)cp);
		c->face = -1;
	}
}

/* Whether face has every character of ch[i..j) (joiners need no glyph). */
static bool
face_has_all(struct text *t, int face, enum text_weight wt, const struct ch *ch,
    int i, int j)
{
	for (int k = i; k < j; k++)
		if (!is_joiner(ch[k].cp) && !face_has(t, face, wt, ch[k].cp))
			return false;
	return true;
}

/* Give the neutrals ch[i..j) (and the marks among them) a face and a
 * direction: their neighbours' when those agree, else the neighbour's that
 * runs in the paragraph direction, else each its own. */
static void
resolve_neutrals(struct text *t, struct layout *lay, enum text_weight wt, bool base_rtl,
    int i, int j)
{
	struct ch *ch = lay->ch;
	const struct ch *p = NULL, *nx = j < lay->nch ? &ch[j] : NULL;
	const struct ch *pick = NULL;

	for (int k = i - 1; k >= 0; k--) {
		if (ch[k].cls != CL_MARK) {
			p = &ch[k];
			break;
		}
	}
	if (p != NULL && nx != NULL && p->face == nx->face && p->rtl == nx->rtl &&
	    face_has_all(t, p->face, wt, ch, i, j))
		pick = p;
	else if (p != NULL && p->rtl == base_rtl && face_has_all(t, p->face, wt, ch, i, j))
		pick = p;
	else if (nx != NULL && nx->rtl == base_rtl && face_has_all(t, nx->face, wt, ch, i, j))
		pick = nx;
	for (int k = i; k < j; k++) {
		struct ch *c = &ch[k];
		if (pick != NULL) {
			c->face = pick->face;
			c->rtl = pick->rtl;
			c->covered = true;
		} else {
			c->covered = pick_face(t, c->cp, c->script, wt, &c->face) || is_joiner(c->cp);
			c->rtl = base_rtl;
		}
	}
}

/* Choose a face and direction for every character, cut the runs and order
 * them for display. Needs no sized font, so text_covered uses it alone. */
static void
layout_resolve(struct text *t, struct layout *lay, const char *utf8, enum text_weight wt)
{
	struct ch *ch;
	bool base_rtl = false;
	size_t nbytes;
	char *o;

	layout_decode(lay, utf8);
	ch = lay->ch;
	for (int i = 0; i < lay->nch; i++) {
		if (ch[i].cls == CL_L || ch[i].cls == CL_R) {
			base_rtl = ch[i].cls == CL_R;
			break;
		}
	}
	/* Strong characters and digits first: they decide for the rest. */
	for (int i = 0; i < lay->nch; i++) {
		struct ch *c = &ch[i];
		if (c->cls == CL_L || c->cls == CL_R || c->cls == CL_NUM) {
			c->covered = pick_face(t, c->cp, c->script, wt, &c->face);
			c->rtl = c->cls == CL_R;
		}
	}
	for (int i = 0; i < lay->nch;) {
		if (ch[i].cls != CL_NEUTRAL) {
			i++;
			continue;
		}
		int j = i;
		while (j < lay->nch && (ch[j].cls == CL_NEUTRAL || ch[j].cls == CL_MARK))
			j++;
		resolve_neutrals(t, lay, wt, base_rtl, i, j);
		i = j;
	}
	/* Marks after a strong character or digit go with it if its face has them. */
	for (int i = 0; i < lay->nch; i++) {
		struct ch *c = &ch[i];
		if (c->face >= 0)
			continue;
		const struct ch *b = &ch[i - 1];    /* decode made ch[0] no mark */
		c->rtl = b->rtl;
		if (is_joiner(c->cp) || face_has(t, b->face, wt, c->cp)) {
			c->face = b->face;
			c->covered = true;
		} else {
			c->covered = pick_face(t, c->cp, c->script, wt, &c->face);
			if (!c->covered)
				c->face = b->face;
		}
	}

	/* Runs: maximal spans of one face and direction. */
	lay->run = xcalloc((size_t)lay->nch + 1, sizeof *lay->run);
	lay->order = xcalloc((size_t)lay->nch + 1, sizeof *lay->order);
	nbytes = (size_t)lay->nch * 4 + (size_t)lay->nch + 1;
	lay->bytes = o = xmalloc(nbytes);
	lay->nrun = 0;
	for (int i = 0; i < lay->nch;) {
		struct run *r = &lay->run[lay->nrun++];
		int j = i;
		while (j < lay->nch && ch[j].face == ch[i].face && ch[j].rtl == ch[i].rtl)
			j++;
		r->face = ch[i].face;
		r->rtl = ch[i].rtl;
		r->script = SC_COMMON;
		for (int k = i; k < j && r->script == SC_COMMON; k++)
			if (ch[k].cls != CL_NEUTRAL && ch[k].cls != CL_NUM)
				r->script = ch[k].script;
		r->level = r->rtl ? 1 : base_rtl ? 2 : 0;
		r->file = face_file(t, r->face, wt);
		r->synth = wt == TEXT_BOLD && r->file >= 0 && r->file % 2 == 0 &&
		    !faces[r->face].regular_bold;
		r->utf8 = o;
		/* Without HarfBuzz nothing reverses a right-to-left run: do it here
		 * (unjoined letters, but in the right order). */
		bool flip = r->rtl && !t->shaping;
		for (int k = i; k < j; k++) {
			const struct ch *c = &ch[flip ? i + j - 1 - k : k];
			o += utf8proc_encode_char((utf8proc_int32_t)c->cp, (utf8proc_uint8_t *)o);
		}
		*o++ = '\0';
		i = j;
	}
	/* Rule L2: from the highest level down to 1, reverse every maximal
	 * sequence of runs at that level or higher. */
	for (int k = 0; k < lay->nrun; k++)
		lay->order[k] = k;
	for (int lev = 2; lev >= 1; lev--) {
		for (int k = 0; k < lay->nrun;) {
			if (lay->run[lay->order[k]].level < lev) {
				k++;
				continue;
			}
			int e = k;
			while (e < lay->nrun && lay->run[lay->order[e]].level >= lev)
				e++;
			for (int a = k, b = e - 1; a < b; a++, b--) {
				int tmp = lay->order[a];
				lay->order[a] = lay->order[b];
				lay->order[b] = tmp;
			}
			k = e;
		}
	}
}

static void
run_prepare(struct text *t, const struct run *r)
{
	if (!t->shaping)
		return;
	TTF_SetFontDirection(r->font, r->rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
	TTF_SetFontScriptName(r->font, script_code[r->script]);
}

/* Open the sized fonts of the runs and measure them. The line's ascent and
 * descent are the extremes of the main font and of the fonts used (within
 * their line_asc, line_desc), so a line of Latin alone is as tall at one
 * size whatever the name. Runs are aligned on one baseline. */
static void
layout_size(struct text *t, struct layout *lay, int px, enum text_weight wt)
{
	int main_file = face_file(t, 0, wt);
	TTF_Font *main_font;

	t->clock++;
	px = px_step(px);
	lay->w = 0;
	lay->asc = lay->desc = 0;
	main_font = main_file >= 0 ?
	    font_get(t, main_file, px, wt == TEXT_BOLD && main_file % 2 == 0) : NULL;
	if (main_font != NULL) {
		lay->asc = TTF_FontAscent(main_font);
		lay->desc = TTF_FontDescent(main_font);
	}
	for (int k = 0; k < lay->nrun; k++) {
		struct run *r = &lay->run[k];
		int w = 0;
		r->font = r->file >= 0 ? font_get(t, r->file, px, r->synth) : NULL;
		r->w = 0;
		if (r->font == NULL)
			continue;
		run_prepare(t, r);
		if (TTF_SizeUTF8(r->font, r->utf8, &w, NULL) == 0 && w > 0)
			r->w = w;
		lay->w += r->w;
		int asc = TTF_FontAscent(r->font), desc = TTF_FontDescent(r->font);
		if (faces[r->face].line_asc > 0 && asc > faces[r->face].line_asc * px / 1000)
			asc = faces[r->face].line_asc * px / 1000;
		if (faces[r->face].line_desc > 0 && -desc > faces[r->face].line_desc * px / 1000)
			desc = -(faces[r->face].line_desc * px / 1000);
		if (asc > lay->asc)
			lay->asc = asc;
		if (desc < lay->desc)
			lay->desc = desc;
	}
}

/* --- drawing ----------------------------------------------------------- */

/* Render the runs into one surface, left to right on one baseline: the
 * runs' own surfaces are as tall as their fonts, so the line's surface spans
 * them all and *dy tells where its top is relative to the line's top. Runs
 * past TEXT_DRAW_W_MAX pixels are left out. NULL when nothing is visible. */
static SDL_Surface *
layout_render(struct text *t, struct layout *lay, SDL_Color colour, int *dy)
{
	SDL_Surface **parts = xcalloc((size_t)lay->nrun + 1, sizeof *parts);
	int *xs = xcalloc((size_t)lay->nrun + 1, sizeof *xs);
	int *ys = xcalloc((size_t)lay->nrun + 1, sizeof *ys);
	SDL_Surface *line = NULL;
	int pen = 0, top = 0, bottom = 0, right = 0, nparts = 0, last = -1;

	for (int k = 0; k < lay->nrun; k++) {
		struct run *run = &lay->run[lay->order[k]];
		xs[k] = pen;
		pen += run->w;
		if (run->font == NULL || run->w == 0 || xs[k] >= TEXT_DRAW_W_MAX ||
		    run->w > TEXT_DRAW_W_MAX)
			continue;
		run_prepare(t, run);
		parts[k] = TTF_RenderUTF8_Blended(run->font, run->utf8, colour);
		if (parts[k] == NULL)
			continue;   /* nothing visible (spaces) or out of memory */
		ys[k] = lay->asc - TTF_FontAscent(run->font);
		if (nparts == 0 || ys[k] < top)
			top = ys[k];
		if (nparts == 0 || ys[k] + parts[k]->h > bottom)
			bottom = ys[k] + parts[k]->h;
		if (xs[k] + parts[k]->w > right)
			right = xs[k] + parts[k]->w;
		nparts++;
		last = k;
	}
	if (nparts == 1 && xs[last] == 0 && right <= TEXT_DRAW_W_MAX) {
		/* One run, the usual name: its surface is the line. */
		line = parts[last];
		parts[last] = NULL;
	} else if (nparts > 0) {
		if (right > TEXT_DRAW_W_MAX)
			right = TEXT_DRAW_W_MAX;
		line = SDL_CreateRGBSurfaceWithFormat(0, right, bottom - top, 32,
		    SDL_PIXELFORMAT_ARGB8888);
	}
	for (int k = 0; k < lay->nrun; k++) {
		if (parts[k] == NULL)
			continue;
		if (line != NULL) {
			/* Copy, not blend: the runs sit side by side, and copying
			 * keeps SDL_ttf's colour and coverage as they are. */
			SDL_Rect d = { xs[k], ys[k] - top, parts[k]->w, parts[k]->h };
			SDL_SetSurfaceBlendMode(parts[k], SDL_BLENDMODE_NONE);
			SDL_BlitSurface(parts[k], NULL, line, &d);
		}
		SDL_FreeSurface(parts[k]);
	}
	free(parts);
	free(xs);
	free(ys);
	*dy = top;
	return line;
}

/* Narrow [*top, *bottom) to the rows of s with any ink. */
static void
crop_rows(const SDL_Surface *s, int *top, int *bottom)
{
	const uint8_t *p = s->pixels;
	bool found = false;

	for (int y = 0; y < s->h; y++) {
		const uint32_t *row = (const uint32_t *)(p + (size_t)y * (size_t)s->pitch);
		bool ink = false;
		for (int x = 0; x < s->w && !ink; x++)
			ink = (row[x] >> 24) != 0;
		if (ink) {
			if (!found)
				*top = y;
			*bottom = y + 1;
			found = true;
		}
	}
	if (!found)
		*top = *bottom = 0;
}

static void
tex_copy(SDL_Renderer *r, const struct tex *e, int x, int y)
{
	if (e->texture != NULL) {
		SDL_Rect dst = { x, y + e->dy, e->w, e->h };
		SDL_RenderCopy(r, e->texture, NULL, &dst);
	}
}

static const struct tex *
tex_find(struct text *t, const char *utf8, size_t n, int px, enum text_weight wt,
    SDL_Color c)
{
	for (int i = 0; i < TEXT_TEX_MAX; i++) {
		struct tex *e = &t->texs[i];
		if (e->key != NULL && e->keylen == n && e->px == px && e->wt == wt &&
		    e->colour.r == c.r && e->colour.g == c.g && e->colour.b == c.b &&
		    e->colour.a == c.a && memcmp(e->key, utf8, n) == 0) {
			e->used = t->tex_clock;
			return e;
		}
	}
	return NULL;
}

static void
tex_drop(struct text *t, struct tex *e, bool destroy)
{
	if (destroy && e->texture != NULL)
		SDL_DestroyTexture(e->texture);
	free(e->key);
	t->tex_bytes -= e->bytes;
	memset(e, 0, sizeof *e);
}

/* Forget the kept textures without destroying them: they belong to
 * tex_ren, which frees them when it is destroyed (and may already have). */
static void
tex_forget(struct text *t)
{
	for (int i = 0; i < TEXT_TEX_MAX; i++)
		if (t->texs[i].key != NULL)
			tex_drop(t, &t->texs[i], false);
}

/* Keep e (its key and texture now belong to the cache), making room by
 * destroying the least recently drawn. Only called while drawing on tex_ren,
 * so that renderer is alive. */
static void
tex_keep(struct text *t, const struct tex *e)
{
	struct tex *slot;

	for (;;) {
		struct tex *old = NULL;
		slot = NULL;
		for (int i = 0; i < TEXT_TEX_MAX; i++) {
			struct tex *c = &t->texs[i];
			if (c->key == NULL)
				slot = c;
			else if (old == NULL || c->used < old->used)
				old = c;
		}
		if (slot != NULL && t->tex_bytes + e->bytes <= TEXT_TEX_BYTES)
			break;
		assert(old != NULL);
		if (old == NULL)
			return;
		tex_drop(t, old, true);
	}
	*slot = *e;
	t->tex_bytes += e->bytes;
}

/* --- public ------------------------------------------------------------ */

int
text_open(const char *dir, struct text **out, char **cause)
{
	struct text *t = NULL;
	int rc = -1;
	int major = 0, minor = 0, patch = 0;

	if (dir == NULL || *dir == '\0')
		dir = ".";
	/* SDL_ttf counts its users; each struct text holds one (text_close). */
	if (TTF_Init() != 0)
		return util_fail(cause, "SDL_ttf: %s", TTF_GetError());
	t = xcalloc(1, sizeof *t);
	buf_init(&t->missing, TEXT_MISSING_MAX);
	TTF_GetHarfBuzzVersion(&major, &minor, &patch);
	t->shaping = major > 0 || minor > 0 || patch > 0;
	for (int f = 0; f < NFACES; f++) {
		t->files[2 * f].path = xasprintf("%s/%s", dir, faces[f].regular);
		if (faces[f].bold != NULL)
			t->files[2 * f + 1].path = xasprintf("%s/%s", dir, faces[f].bold);
		else
			t->files[2 * f + 1].state = FILE_BAD;
	}
	/* The main font is needed now; the others only say now whether they are
	 * there (for the admin screen) and are read when a name needs them. */
	t->files[0].probe = file_open_font(t, 0, TEXT_PROBE_PX, cause);
	if (t->files[0].probe == NULL)
		goto out;
	for (int i = 1; i < NFILES; i++) {
		struct stat st;
		if (t->files[i].path != NULL && stat(t->files[i].path, &st) != 0)
			file_fail(t, i, strerror(errno));
	}
	*out = t;
	t = NULL;
	rc = 0;
out:
	text_close(t);
	return rc;
}

void
text_close(struct text *t)
{
	if (t == NULL)
		return;
	tex_forget(t);
	for (int i = 0; i < t->nfonts; i++)
		TTF_CloseFont(t->fonts[i].ttf);
	for (int i = 0; i < NFILES; i++) {
		struct file *f = &t->files[i];
		if (f->probe != NULL)
			TTF_CloseFont(f->probe);
		if (f->map != NULL)
			munmap(f->map, f->len);
		free(f->path);
	}
	buf_free(&t->missing);
	free(t);
	TTF_Quit();
}

int
text_font_files(const char **names, int max)
{
	int n = 0;
	for (int f = 0; f < NFACES; f++)
		for (int b = 0; b < 2; b++) {
			const char *name = b ? faces[f].bold : faces[f].regular;
			if (name != NULL && n < max)
				names[n] = name;
			n += name != NULL;
		}
	return n;
}

const char *
text_missing(struct text *t)
{
	if (t == NULL || t->missing.len == 0)
		return "";
	return buf_cstr(&t->missing);
}

void
text_measure(struct text *t, const char *utf8, int px, enum text_weight wt, int *w, int *h)
{
	struct layout lay = { 0 };

	if (t != NULL) {
		layout_resolve(t, &lay, utf8 != NULL ? utf8 : "", wt);
		layout_size(t, &lay, px, wt);
	}
	if (w != NULL)
		*w = lay.w;
	if (h != NULL)
		*h = lay.asc - lay.desc;
	layout_free(&lay);
}

int
text_draw(struct text *t, SDL_Renderer *r, const char *utf8, int px, enum text_weight wt,
    SDL_Color colour, int x, int y)
{
	struct layout lay = { 0 };
	struct tex e = { 0 };
	const struct tex *hit;
	SDL_Surface *line = NULL;
	size_t n;

	if (t == NULL || r == NULL || utf8 == NULL || *utf8 == '\0')
		return 0;
	if (r != t->tex_ren) {
		tex_forget(t);
		t->tex_ren = r;
	}
	t->tex_clock++;
	px = px_step(px);
	n = strlen(utf8);
	hit = tex_find(t, utf8, n, px, wt, colour);
	if (hit != NULL) {
		tex_copy(r, hit, x, y);
		return hit->advance;
	}

	layout_resolve(t, &lay, utf8, wt);
	layout_size(t, &lay, px, wt);
	e.advance = lay.w;
	line = layout_render(t, &lay, colour, &e.dy);
	if (line != NULL) {
		int top = 0, bottom = line->h;
		crop_rows(line, &top, &bottom);
		if (bottom > top) {
			/* A surface over the inked rows only: less to upload and blend. */
			SDL_Surface *ink = SDL_CreateRGBSurfaceWithFormatFrom(
			    (uint8_t *)line->pixels + (size_t)top * (size_t)line->pitch, line->w,
			    bottom - top, 32, line->pitch, SDL_PIXELFORMAT_ARGB8888);
			if (ink != NULL) {
				e.texture = SDL_CreateTextureFromSurface(r, ink);
				SDL_FreeSurface(ink);
			}
			e.dy += top;
			e.w = line->w;
			e.h = bottom - top;
		}
		SDL_FreeSurface(line);
	}
	e.bytes = (size_t)e.w * (size_t)e.h * 4;
	tex_copy(r, &e, x, y);
	if (n <= TEXT_TEX_KEY_MAX && (e.texture != NULL || e.advance > 0) &&
	    e.bytes <= TEXT_TEX_BYTES / 4) {
		e.key = xstrndup(utf8, n);
		e.keylen = n;
		e.px = px;
		e.wt = wt;
		e.colour = colour;
		tex_keep(t, &e);
	} else if (e.texture != NULL) {
		SDL_DestroyTexture(e.texture);
	}
	layout_free(&lay);
	return e.advance;
}

void
text_forget_renderer(struct text *t)
{
	if (t != NULL) {
		tex_forget(t);
		t->tex_ren = NULL;
	}
}

int
text_fit(struct text *t, const char *utf8, int max_px, int min_px, enum text_weight wt,
    int max_w)
{
	int w = 0, px;

	if (min_px > max_px)
		min_px = max_px;
	text_measure(t, utf8, max_px, wt, &w, NULL);
	if (w <= max_w || w <= 0)
		return max_px;
	/* Width grows about linearly with size: start near the answer, then
	 * walk the steps down until it fits, and up while the next one fits. */
	px = px_step_below((int)((int64_t)max_px * (max_w > 0 ? max_w : 0) / w) + 1);
	if (px >= max_px)
		px = px_step_below(max_px);
	for (;;) {
		if (px <= min_px)
			return min_px;
		text_measure(t, utf8, px, wt, &w, NULL);
		if (w <= max_w)
			break;
		px = px_step_below(px);
	}
	for (;;) {
		int up = px_step_above(px);
		if (up >= max_px)
			break;
		text_measure(t, utf8, up, wt, &w, NULL);
		if (w > max_w)
			break;
		px = up;
	}
	return px;
}

bool
text_covered(struct text *t, const char *utf8)
{
	struct layout lay = { 0 };
	bool ok;

	if (t == NULL || utf8 == NULL)
		return false;
	layout_resolve(t, &lay, utf8, TEXT_REGULAR);
	ok = lay.valid;
	for (int i = 0; ok && i < lay.nch; i++)
		ok = lay.ch[i].covered;
	layout_free(&lay);
	return ok;
}
