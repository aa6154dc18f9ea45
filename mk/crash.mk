# Crash safety: tests/integration/crash.sh kills `kiosk scan` with SIGKILL at
# random moments on a 10,000-guest event and checks, after every kill, that
# each check-in it had printed as admitted is on disk, that integrity_check is
# ok, and that the kiosk starts again and carries on.
#
#   make test                        runs it short: 20 kills (also under ASan)
#   make crash-test                  the full run: 200 kills (about 3 minutes)
#   make crash-test CRASH_KILLS=1000 as many kills as you like
#   make crash-test CRASH_SEED=N     repeat a run: the seed is printed at its start
#
# CRASH_KILLS is read by the script from the environment (default 20), so
# `make test CRASH_KILLS=50` lengthens the short run too.
# disk.sh (full disk, read-only and failing disks, needs root for its mounts)
# and corrupt.sh (damaged and foreign files) run in `make test` alone.

CRASH_TEST_KILLS ?= 200

.PHONY: crash-test
crash-test: kiosk
	@CRASH_KILLS=$(or $(CRASH_KILLS),$(CRASH_TEST_KILLS)) $(if $(CRASH_SEED),CRASH_SEED=$(CRASH_SEED)) \
		KIOSK=$(abspath $(BIN)) ./tests/integration/crash.sh
