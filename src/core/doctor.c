/* doctor: the verdicts of `kiosk doctor` (see doctor.h). */
#include "core/doctor.h"

#include <inttypes.h>
#include <stdio.h>

enum doctor_level
doctor_free_space(uint64_t free_bytes)
{
	if (free_bytes < DOCTOR_FREE_FAIL)
		return DOCTOR_FAIL;
	return free_bytes < DOCTOR_FREE_WARN ? DOCTOR_WARN : DOCTOR_OK;
}

enum doctor_level
doctor_file_mode(unsigned int mode)
{
	if (mode & 0002)
		return DOCTOR_FAIL;   /* anyone may change it */
	return (mode & 0044) ? DOCTOR_WARN : DOCTOR_OK;
}

enum doctor_level
doctor_conf_mode(unsigned int mode, bool holds_secret)
{
	enum doctor_level l = doctor_file_mode(mode);
	return l == DOCTOR_WARN && !holds_secret ? DOCTOR_OK : l;
}

bool
doctor_mode_kept(unsigned int fresh_mode)
{
	return (fresh_mode & 0077) == 0;
}

enum doctor_level
doctor_clock(int64_t offset_ms)
{
	int64_t a = offset_ms < 0 ? -offset_ms : offset_ms;
	return a > DOCTOR_CLOCK_WARN ? DOCTOR_WARN : DOCTOR_OK;
}

void
doctor_span(int64_t ms, char out[DOCTOR_SPAN_BUF])
{
	char sign = ms < 0 ? '-' : '+';
	uint64_t a = ms < 0 ? (uint64_t)-(ms + 1) + 1 : (uint64_t)ms;
	uint64_t min = a / 60000, h = min / 60, days = h / 24;
	if (a < 50) /* shown as 0.0: no sign ("-0.0 s off the hub's") */
		snprintf(out, DOCTOR_SPAN_BUF, "0.0 s");
	else if (a < 60000)
		snprintf(out, DOCTOR_SPAN_BUF, "%c%.1f s", sign, (double)a / 1000.0);
	else if (min < 60)
		snprintf(out, DOCTOR_SPAN_BUF, "%c%" PRIu64 " min", sign, min);
	else if (h < 48)
		snprintf(out, DOCTOR_SPAN_BUF, "%c%" PRIu64 " h %" PRIu64 " min", sign, h, min % 60);
	else
		snprintf(out, DOCTOR_SPAN_BUF, "%c%" PRIu64 " days", sign, days);
}

enum doctor_level
doctor_waiting(int64_t waiting, int64_t oldest_ms, int64_t every_ms)
{
	int64_t stale = every_ms > DOCTOR_WAITING_AGE_MS / 10 ? 10 * every_ms :
	    DOCTOR_WAITING_AGE_MS;
	return waiting > DOCTOR_WAITING_WARN || (waiting > 0 && oldest_ms >= stale) ?
	    DOCTOR_WARN : DOCTOR_OK;
}

enum doctor_level
doctor_gates(int64_t now, int64_t open_from, int64_t open_until)
{
	if (open_until != 0 && now >= open_until)
		return DOCTOR_FAIL;
	if (open_from != 0 && open_from - now > DOCTOR_OPENS_WARN)
		return DOCTOR_WARN;
	return DOCTOR_OK;
}

const char *
doctor_level_word(enum doctor_level l)
{
	switch (l) {
	case DOCTOR_OK:   return "ok";
	case DOCTOR_WARN: return "warn";
	case DOCTOR_FAIL: return "FAIL";
	}
	return "FAIL";
}
