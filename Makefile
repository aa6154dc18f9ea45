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

PKGS     = sqlite3 inih libutf8proc jansson uuid
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla
OPT     ?= -O2 -g
SAN     ?=
CPPFLAGS += -D_DEFAULT_SOURCE -Isrc
CFLAGS  += -std=c11 $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS)
LDFLAGS += $(SAN)

CORE_SRC = $(wildcard src/core/*.c)
CLI_SRC  = $(wildcard src/cli/*.c) src/main.c
TEST_SRC = $(wildcard tests/test_*.c)

CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
CORE_LIB = $(BUILD)/libkcore.a
BIN      = $(BUILD)/kiosk

.PHONY: all deps run test unit integration asan-test bench install clean demo

# Keep test objects between runs (make would delete them as intermediates).
.SECONDARY:

all: kiosk

# The top-level ./kiosk is the normal build; sanitizer builds stay in their folder.
kiosk: $(BIN)
	@if [ "$(BUILD)" = build ]; then cp $(BIN) kiosk; fi

deps:
	@./scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(CORE_LIB) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(CORE_LIB) $(PKG_LIBS) -lcmocka

# --- demo and run ---------------------------------------------------------
DEMO_DB  = $(BUILD)/demo.db
DEMO_CSV = tests/data/eventbrite-attendees.csv

demo: kiosk
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./kiosk import $(DEMO_CSV) --db $(DEMO_DB) --config kiosk.conf

run: deps
	@$(MAKE) --no-print-directory demo
	@echo
	@echo "Demo event ready in $(DEMO_DB). Try:"
	@echo "  ./kiosk guests --db $(DEMO_DB) --search zoe"
	@echo "  ./kiosk checkin <code> --db $(DEMO_DB)"
	@echo "  ./kiosk stats --db $(DEMO_DB)"

# --- tests ----------------------------------------------------------------
# unit: every tests/test_*.c is one cmocka program; integration: the real binary.
unit: $(TESTS)
	@./tests/run-unit.sh $(TESTS)

integration: kiosk
	@KIOSK=$(abspath $(BIN)) ./tests/integration/run.sh

test: deps
	@$(MAKE) --no-print-directory unit integration
	@$(MAKE) --no-print-directory asan-test

asan-test:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		unit integration

# --- bench ----------------------------------------------------------------
BENCH_BIN = $(BUILD)/bench/bench_core
$(BENCH_BIN): $(BUILD)/bench/bench_core.o $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(CORE_LIB) $(PKG_LIBS)

bench: deps kiosk $(BENCH_BIN)
	@./bench/run.sh $(BENCH_BIN)

# --- install --------------------------------------------------------------
install: kiosk
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kiosk
	install -m 755 kiosk $(DESTDIR)$(PREFIX)/bin/kiosk
	install -m 644 kiosk.conf $(DESTDIR)$(PREFIX)/share/kiosk/kiosk.conf.example

clean:
	rm -rf build kiosk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
