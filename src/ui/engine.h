/* engine: the door's operations (door_ops) carried out on an event store.
 * No SDL: the rendering tests and the app share it. */
#ifndef KIOSK_ENGINE_H
#define KIOSK_ENGINE_H

#include "core/checkin.h"
#include "core/store.h"
#include "ui/door.h"

struct engine {
	struct store *store;
	struct checkin_policy policy;   /* exit_mode follows the admin's toggle */
	const char *kiosk;              /* this kiosk's name */
	const char *pin_hash;           /* "" when none */
	int64_t (*now)(void);           /* ms UTC; NULL: store_now (the event's clock) */
	void (*on_config)(void *arg, const struct door_config *cfg);
	void (*on_feedback)(void *arg, bool good);
	void (*on_change)(void *arg);   /* NULL, or: a record was written (sync it) */
	void *arg;
};

/* The door_ops; pass the engine as their ctx. */
extern const struct door_ops engine_ops;

#endif
