/* fonts: see fonts.h. */
#include "core/fonts.h"

#include <stdatomic.h>

static atomic_bool pango_used;

void
fonts_note_pango(void)
{
	atomic_store(&pango_used, true);
}

bool
fonts_pango_used(void)
{
	return atomic_load(&pango_used);
}
