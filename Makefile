# kiosk: offline-first event check-in.
#
#   make          build ./kiosk
#   make run      install deps, build, start on the demo event
#   make test     install deps, build, run unit + integration tests (also under ASan/UBSan)
#   make bench    print the benchmark table
#   make install  PREFIX=/usr/local DESTDIR=
#
# Objects go to $(BUILD) (build/ or build/asan/); headers dependencies come from -MMD -MP.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

PKGS     = sqlite3 inih libutf8proc jansson uuid sdl2 SDL2_ttf libqrencode zbar libsodium libpng \
           cairo pangocairo fontconfig libmicrohttpd libcurl zlib xlsxwriter libzip expat
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lcups -lpthread -lm

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla
OPT     ?= -O2 -g
SAN     ?=
# 64-bit file offsets on 32-bit systems too (a Raspberry Pi's armhf): the
# draft lock of a new event sits at 1 TiB (store.c).
CPPFLAGS += -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -Isrc -DKIOSK_DATADIR='"$(PREFIX)/share/kiosk"'
CFLAGS  += -std=c11 $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS)
LDFLAGS += $(SAN)

CORE_SRC = $(wildcard src/core/*.c)
UI_SRC   = $(wildcard src/ui/*.c) $(wildcard src/badge/*.c)
SYNC_SRC = $(wildcard src/sync/*.c)
REPORT_SRC = $(wildcard src/report/*.c)
MAIL_SRC = $(wildcard src/mail/*.c)
CLI_SRC  = $(wildcard src/cli/*.c) src/main.c
TEST_SRC = $(wildcard tests/test_*.c)

CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
UI_OBJ   = $(UI_SRC:%.c=$(BUILD)/%.o)
SYNC_OBJ = $(SYNC_SRC:%.c=$(BUILD)/%.o)
REPORT_OBJ = $(REPORT_SRC:%.c=$(BUILD)/%.o)
MAIL_OBJ = $(MAIL_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
CORE_LIB = $(BUILD)/libkcore.a
UI_LIB   = $(BUILD)/libkui.a
SYNC_LIB = $(BUILD)/libksync.a
REPORT_LIB = $(BUILD)/libkreport.a
MAIL_LIB = $(BUILD)/libkmail.a
BIN      = $(BUILD)/kiosk

.PHONY: all deps deps-run libs-check run test unit integration check asan-test asan-build asan-run bench install clean demo po

# Keep test objects between runs (make would delete them as intermediates).
.SECONDARY:

all: kiosk

# Translations: po/LANG.po -> build/locale/LANG/LC_MESSAGES/kiosk.mo
LANGS   = $(basename $(notdir $(wildcard po/*.po)))
MO      = $(LANGS:%=build/locale/%/LC_MESSAGES/kiosk.mo)
build/locale/%/LC_MESSAGES/kiosk.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# After changing strings in src/ui, the hub's live page or the arrivals
# chart: make po, then translate the new entries. The live page and the
# chart look their strings up with tr() and trn() (src/sync/live.c,
# src/report/plot.c), in the browser's language.
po:
	xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=tr:2 --keyword=trn:2,3 \
		--add-comments=TRANSLATORS --package-name=kiosk -o po/kiosk.pot \
		src/ui/*.c src/sync/live.c src/report/plot.c
	for l in $(LANGS); do msgmerge --quiet --update --backup=none po/$$l.po po/kiosk.pot; done

# The top-level ./kiosk is the normal build; sanitizer builds stay in their folder.
kiosk: $(BIN) $(MO)
	@if [ "$(BUILD)" = build ]; then cp $(BIN) kiosk.new && mv -f kiosk.new kiosk; fi

deps:
	@./scripts/install-deps.sh

# What building and running need, without the test tools (make run).
deps-run:
	@./scripts/install-deps.sh --run

# V=1 shows the full compiler lines.
Q = $(if $(V),,@)
# A plain make on a machine without the libraries says what to run, not
# that a header is missing somewhere.
PKG_MISSING := $(shell pkg-config --exists $(PKGS) 2>/dev/null || echo yes)
libs-check:
	@if [ -n "$(PKG_MISSING)" ]; then \
		echo "kiosk: libraries missing:$$(for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || printf ' %s' $$p; done)"; \
		echo "kiosk: run 'make deps' (or scripts/install-deps.sh), then make again"; exit 1; fi
$(BUILD)/%.o: %.c | libs-check
	@mkdir -p $(dir $@)
	@$(if $(V),true,echo "  CC      $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

# src/ui is SDL's side; src/core never links against it.
$(UI_LIB): $(UI_OBJ)
	@rm -f $@
	ar rcs $@ $^

# src/sync is the network's side (hub and client); the door app runs its
# client on a thread of its own.
$(SYNC_LIB): $(SYNC_OBJ)
	@rm -f $@
	ar rcs $@ $^

# src/report: what organisers take away (spreadsheets, plots); used by the
# commands and the hub's live page.
$(REPORT_LIB): $(REPORT_OBJ)
	@rm -f $@
	ar rcs $@ $^

# src/mail: composing and sending ticket e-mails; above core and badge.
$(MAIL_LIB): $(MAIL_OBJ)
	@rm -f $@
	ar rcs $@ $^

LIBS = $(MAIL_LIB) $(UI_LIB) $(SYNC_LIB) $(REPORT_LIB) $(CORE_LIB)

$(BIN): $(CLI_OBJ) $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBS) $(PKG_LIBS)

# Each build's tests keep their pictures apart: the passes run side by side.
$(BUILD)/tests/%.o: CPPFLAGS += -DTEST_ARTEFACTS='"$(BUILD)/test-artefacts"'
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBS) $(PKG_LIBS) -lcmocka
# test_store plays file systems that lack a no-replace rename, or links too.
$(BUILD)/tests/test_store: LDFLAGS += -Wl,--wrap=renameat2 -Wl,--wrap=link

# --- demo and run ---------------------------------------------------------
DEMO_DB  = $(BUILD)/demo.db
DEMO_CSV = tests/data/eventbrite-attendees.csv

# Imported again on every run, which changes nothing in an event already
# there: the demo's check-ins stay (rm build/demo.db to start over).
demo: kiosk
	./kiosk import $(DEMO_CSV) --db $(DEMO_DB) --config kiosk.conf

# The demo kiosk opens in a window (WINDOWED= for full screen). Without a
# display it says so and leaves the demo event for the commands.
WINDOWED ?= --windowed
run: deps-run
	@$(MAKE) --no-print-directory demo
	@echo
	@echo "Demo event in $(DEMO_DB) (rm it to start over)."
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || [ "$$SDL_VIDEODRIVER" = kmsdrm ]; then \
		echo "Scan or type 8184922608941621308297001 then Return; type a name to"; \
		echo "search; F12 opens the admin menu, where the kiosk is quit."; \
		./kiosk run --db $(DEMO_DB) --config kiosk.conf $(WINDOWED); \
	else \
		echo "No display here (DISPLAY is not set): try the commands instead:"; \
		echo "  ./kiosk guests --db $(DEMO_DB) --search zoe"; \
		echo "  ./kiosk checkin 8184922608941621308297001 --db $(DEMO_DB) --json"; \
		echo "  ./kiosk stats --db $(DEMO_DB)"; \
	fi

# --- tests ----------------------------------------------------------------
# unit: every tests/test_*.c is one cmocka program; integration: the real binary.
unit: $(TESTS) $(MO)
	@./tests/run-unit.sh $(TESTS)

# Test tools: plain programs the integration tests drive (a proxy that cuts
# connections at random bytes; a reader of one pixel of a screenshot).
TOOLS = $(BUILD)/tools/cutproxy $(BUILD)/tools/pngpixel
$(BUILD)/tools/pngpixel: TOOL_LIBS = $(shell pkg-config --cflags --libs libpng)
$(BUILD)/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARN) $(OPT) $(SAN) -o $@ $< $(TOOL_LIBS)

# Every script runs, and the target fails at the end if any did, so a run
# shows all that is wrong at once. The ASan pass (asan-test) leaves out
# install.sh, which builds and tests the plain binary whatever it is given,
# and kills the kiosk fewer times. The suites run LANES at a time
# (tests/run-integration.sh): most of their time is waiting, not work.
# Longest first, so that no lane is left with a long one at the end; unit
# (the cmocka programs, tests/run-unit.sh) is one of them in check.
INTEGRATION = sync live run app print life crash mail corrupt busy faults badges disk stick \
	install export lockdown clock upgrade setup deps
LANES ?= 2
SUITE_ENV = KIOSK=$(abspath $(BIN)) CUTPROXY=$(abspath $(BUILD)/tools/cutproxy) \
	PNGPIXEL=$(abspath $(BUILD)/tools/pngpixel) ARTEFACTS=$(abspath $(BUILD))/test-artefacts
integration: kiosk $(TOOLS)
	@$(SUITE_ENV) ./tests/run-integration.sh -j $(LANES) $(INTEGRATION)

# Unit and integration tests together, LANES at a time: one pass of make
# test. unit goes in after the suites that take longer than it.
check: kiosk $(TESTS) $(TOOLS)
	@$(SUITE_ENV) UNIT_TESTS="$(TESTS)" ./tests/run-integration.sh -j $(LANES) \
		$(wordlist 1,4,$(INTEGRATION)) unit $(wordlist 5,99,$(INTEGRATION))

# Builds use every core. The plain pass and the ASan/UBSan pass then run
# side by side, each LANES tests at a time (check): most of a test's time is
# waiting (for a child, a socket, a timeout), and nothing is shared between
# them (ports and displays are free ones, folders temporary, pictures in
# each build's own). The ASan pass's log is shown when both are done. With
# one core (JOBS=1) they run one after the other. A shell starts a job in
# the background with Ctrl-C (SIGINT) ignored, for it and all it runs: env
# gives the ASan pass Ctrl-C back, or it would go on alone after make stops.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ASAN_VARS = BUILD=build/asan OPT="-O1 -g" \
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
ASAN_LOG = build/asan/test.log

test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) kiosk $(TESTS) $(TOOLS)
	@$(MAKE) --no-print-directory asan-build
	@if [ "$(JOBS)" -gt 1 ]; then \
		echo "ASan/UBSan pass: running alongside, into $(ASAN_LOG); shown at the end"; \
		env --default-signal=INT,QUIT $(MAKE) --no-print-directory asan-run \
			>$(ASAN_LOG) 2>&1 & apid=$$!; \
		$(MAKE) --no-print-directory check; prc=$$?; \
		wait $$apid; arc=$$?; \
		echo "=== ASan/UBSan pass ($(ASAN_LOG)) ==="; cat $(ASAN_LOG); \
	else \
		$(MAKE) --no-print-directory check; prc=$$?; \
		$(MAKE) --no-print-directory asan-run; arc=$$?; \
	fi; \
	$(MAKE) --no-print-directory -j$(JOBS) fuzz-regress; frc=$$?; \
	[ $$prc = 0 ] || echo "make test: the plain pass failed"; \
	[ $$arc = 0 ] || echo "make test: the ASan/UBSan pass failed"; \
	[ $$frc = 0 ] || echo "make test: the fuzz replay failed"; \
	[ $$prc = 0 ] && [ $$arc = 0 ] && [ $$frc = 0 ]

asan-test: asan-build
	@$(MAKE) --no-print-directory asan-run

asan-build:
	@$(MAKE) --no-print-directory -j$(JOBS) $(ASAN_VARS) build/asan/kiosk \
		$(TESTS:build/%=build/asan/%) $(TOOLS:build/%=build/asan/%)

asan-run:
	@CRASH_KILLS=$${CRASH_KILLS:-10} ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1} \
		$(MAKE) --no-print-directory $(ASAN_VARS) \
		INTEGRATION="$(filter-out install,$(INTEGRATION))" check

# --- bench ----------------------------------------------------------------
BENCH_BIN = $(BUILD)/bench/bench_core
$(BENCH_BIN): $(BUILD)/bench/bench_core.o $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(CORE_LIB) $(PKG_LIBS)

# camdec's decode rate on noisy 640x480 frames; prints "camera_decode_fps N".
BENCH_CAMERA = $(BUILD)/bench/bench_camera
$(BENCH_CAMERA): $(BUILD)/bench/bench_camera.o $(UI_LIB) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(UI_LIB) $(CORE_LIB) $(PKG_LIBS)

# Built by a make of its own after deps, as test is: this make read the
# libraries' flags before deps could install them.
bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) kiosk $(BENCH_BIN) $(BENCH_CAMERA)
	@./bench/run.sh $(BENCH_BIN)

# --- install --------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]; make uninstall, the same way.
# Paths are quoted: a DESTDIR or PREFIX with spaces ("Event tools 2026") is
# one folder, not several made in the source tree.
# The installed binary finds its fonts and translations in PREFIX/share/kiosk
# beside its own bin/ (app_datadir), so a DESTDIR tree runs as it is.
# Nothing is put in /etc or /var: docs/setup.md makes /etc/kiosk and the
# 'kiosk' user; the units' state directory is made by systemd.
BINDIR  = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/kiosk
MANDIR  = $(PREFIX)/share/man
DOCDIR  = $(PREFIX)/share/doc/kiosk
UNITDIR = $(PREFIX)/lib/systemd/system
INSTALL_UNITS = kiosk.service kiosk-hub.service

.PHONY: uninstall
install: kiosk
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(DATADIR)/fonts" "$(DESTDIR)$(MANDIR)/man1" \
		"$(DESTDIR)$(DOCDIR)/examples" "$(DESTDIR)$(UNITDIR)"
	install -m 755 kiosk "$(DESTDIR)$(BINDIR)/kiosk"
	install -m 644 fonts/*.ttf fonts/LICENSE* fonts/README.md "$(DESTDIR)$(DATADIR)/fonts/"
	for l in $(LANGS); do \
		install -d "$(DESTDIR)$(DATADIR)/locale/$$l/LC_MESSAGES" && \
		install -m 644 build/locale/$$l/LC_MESSAGES/kiosk.mo \
			"$(DESTDIR)$(DATADIR)/locale/$$l/LC_MESSAGES/" || exit 1; \
	done
	install -d "$(DESTDIR)$(DATADIR)/templates"
	install -m 644 templates/mail-*.txt "$(DESTDIR)$(DATADIR)/templates/"
	install -m 644 man/kiosk.1 "$(DESTDIR)$(MANDIR)/man1/kiosk.1"
	install -m 644 README.md docs/setup.md docs/import.md docs/sync-protocol.md docs/security.md \
		"$(DESTDIR)$(DOCDIR)/"
# The example is the documented default, with the database where the units
# write; the units run the binary installed here.
	./kiosk config --defaults >"$(DESTDIR)$(DOCDIR)/examples/kiosk.conf"
	sed -i 's|^database = kiosk\.db$$|database = /var/lib/kiosk/event.db|' \
		"$(DESTDIR)$(DOCDIR)/examples/kiosk.conf"
	chmod 644 "$(DESTDIR)$(DOCDIR)/examples/kiosk.conf"
# systemd splits ExecStart= at spaces unless the path is quoted.
	bin="$(BINDIR)/kiosk"; case "$$bin" in *" "*) bin="\"$$bin\"" ;; esac; \
	for u in $(INSTALL_UNITS); do \
		sed "s|/usr/local/bin/kiosk|$$bin|" scripts/$$u >"$(DESTDIR)$(UNITDIR)/$$u" && \
		chmod 644 "$(DESTDIR)$(UNITDIR)/$$u" || exit 1; \
	done

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/kiosk" "$(DESTDIR)$(MANDIR)/man1/kiosk.1"
	rm -rf "$(DESTDIR)$(DATADIR)" "$(DESTDIR)$(DOCDIR)"
	for u in $(INSTALL_UNITS); do rm -f "$(DESTDIR)$(UNITDIR)/$$u"; done

clean:
	rm -rf build kiosk

# Targets of their own (fuzzing, crash tests...) live in mk/*.mk.
-include $(wildcard mk/*.mk)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
