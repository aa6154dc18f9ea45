# Fuzzing: libFuzzer targets, one per tests/fuzz/fuzz_*.c (see tests/fuzz/run.sh).
#
#   make fuzz               build every target and fuzz each for FUZZ_SECONDS (30)
#                           from a copy of its seeds; fails on any crash, leak or hang
#   make fuzz FUZZ_TARGETS="fuzz_csv fuzz_hub" FUZZ_SECONDS=600
#   make fuzz-regress       no fuzzing: each target runs once over its seeds
#                           (tests/fuzz/corpus/T/) and crash reproducers
#                           (tests/fuzz/regress/T/); a few seconds, part of make test
#   make fuzz-build         the binaries only, in build/fuzz/
#
# A crash: reproduce it with build/fuzz/T FILE, minimise it with
# build/fuzz/T -minimize_crash=1 -max_total_time=60 -exact_artifact_path=OUT FILE,
# put OUT in tests/fuzz/regress/T/ under a name that says what it was, fix the
# bug and give it a unit test in tests/test_MODULE.c.
#
# The fuzz build is clang's own: the project's sources are compiled again
# into build/fuzz/ with coverage instrumentation (-fsanitize=fuzzer-no-link),
# ASan and UBSan, never reusing the gcc objects of the normal build, which
# needs no clang. New inputs and crash artifacts stay in build/fuzz/; the
# seed folders in the repository are only read.

FUZZ_CC      ?= clang
FUZZ_BUILD    = build/fuzz
FUZZ_SECONDS ?= 30
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# clang also flags vsnprintf(fmt) inside a va_list function (hub.c's MHD
# logger), which gcc, the project's compiler, accepts: that one is let be.
FUZZ_CFLAGS   = -std=c11 $(WARN) -Wno-format-nonliteral -O1 -g $(FUZZ_SAN) \
                -fsanitize=fuzzer-no-link $(PKG_CFLAGS)

FUZZ_SRC      = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_ALL      = $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS     = $(FUZZ_ALL:%=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ  = $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(CORE_SRC) $(SYNC_SRC) $(REPORT_SRC))
FUZZ_LIB      = $(FUZZ_BUILD)/libkfuzz.a

.PHONY: fuzz fuzz-build fuzz-regress fuzz-cc

fuzz-cc:
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' | \
	$(FUZZ_CC) -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null || { \
		echo "fuzz: '$(FUZZ_CC)' cannot build libFuzzer targets; 'make deps' installs" \
		     "clang and libclang-rt-dev" >&2; exit 1; }

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),true,echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -Itests/fuzz -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

$(FUZZ_LIB_OBJ) $(FUZZ_SRC:%.c=$(FUZZ_BUILD)/%.o): | fuzz-cc

fuzz-build: $(FUZZ_BINS)

# Built by a make of its own after deps, as test and bench are: this make
# read the libraries' flags before deps could install them.
fuzz: deps
	@$(MAKE) --no-print-directory -j$(JOBS) fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh fuzz $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz-regress: fuzz-build
	@./tests/fuzz/run.sh regress $(FUZZ_BUILD) $(FUZZ_TARGETS)
