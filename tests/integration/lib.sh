# shellcheck shell=bash
# The reporting helpers every integration script shares: one copy, sourced.
#
# In a script, right after `set -u` and before any `cd` (the path is found
# from $0, relative to where the script was started):
#
#   SUITE="name"  # the word of the last line, "name: N passed, M failed"
#   # shellcheck source=tests/integration/lib.sh
#   . "$(cd "$(dirname "$0")" && pwd)/lib.sh"
#
# It sets PASS, FAIL and SKIP to 0, NAME and WHY to "", HERE (the script's
# folder), ROOT (the source tree), KIOSK (absolute; ./kiosk unless set) and
# ART (where screenshots are kept: $ARTEFACTS, else build/test-artefacts;
# make test gives each build its own, as its passes run side by side), so
# a script needs none of its own, and defines:
#
#   ok NAME / notok NAME REASON / skip NAME REASON
#       one line each: "ok - NAME", "not ok - NAME: REASON",
#       "ok - NAME # SKIP REASON"; counted in PASS, FAIL, SKIP.
#   begin NAME ... why REASON ... end
#       a test whose checks call why on a failure: the first reason is the
#       one reported; end reports it as ok or not ok.
#   short FILE [BYTES]
#       the start of FILE (300 bytes unless told) on one line, for a reason.
#   summary
#       "# K skipped" when K > 0, then "SUITE: N passed, M failed";
#       returns 1 when M > 0.
#   finish
#       summary, then exit with its status.
#   need_tools [--bare] TOOL...
#       the first TOOL not on PATH fails test "tools" ("TOOL is missing; run
#       scripts/install-deps.sh", with --bare just "TOOL is missing") and
#       finishes.
#   forget PID
#       takes PID out of $PIDS (the background processes a script started
#       and has not reaped) once it was waited for.
#   kq ARGS...
#       runs $KIOSK for setup, output discarded; returns its status.
#   sq DB SQL / count DB TABLE / code_of DB LASTNAME
#       sqlite3 with errors dropped; a table's rows; the ticket code of the
#       guest of that last name.
#   wait_count DB TABLE N
#       up to 15 s for DB's TABLE to hold N rows (a door syncing on its own
#       thread); N holds the count at the end.
#   crashcheck WHAT
#       after a kiosk run with its status in $RC and stderr in $T/err: a
#       crash (a signal) or a sanitizer report fails the current test.
#   can_netns
#       whether a test may run kiosk in network and mount namespaces of its
#       own (root, unshare, ip), with python3 for the fake servers there;
#       CI without privileges skips those tests.

: "${SUITE:?set SUITE before sourcing lib.sh}"

# The script's folder, the source tree, and $KIOSK (default ./kiosk) made
# absolute, before the script moves to its temporary folder.
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KIOSK=${KIOSK:-./kiosk}
case $KIOSK in /*) ;; *) KIOSK=$(cd "$(dirname "$KIOSK")" && pwd)/$(basename "$KIOSK") ;; esac
ART=${ARTEFACTS:-$ROOT/build/test-artefacts}

PASS=0 FAIL=0 SKIP=0
NAME="" WHY=""

ok() { echo "ok - $1"; PASS=$((PASS + 1)); }
notok() { echo "not ok - $1: $2"; FAIL=$((FAIL + 1)); }
skip() { echo "ok - $1 # SKIP $2"; SKIP=$((SKIP + 1)); }

begin() { NAME=$1; WHY=""; }
why() { [ -n "$WHY" ] || WHY=$1; }
end() {
	if [ -z "$WHY" ]; then
		echo "ok - $NAME"
		PASS=$((PASS + 1))
	else
		echo "not ok - $NAME: $WHY"
		FAIL=$((FAIL + 1))
	fi
}

short() { head -c "${2:-300}" "$1" 2>/dev/null | tr '\n\r' '  '; }
# err_has TEXT: the last command's stderr ($T/err) holds TEXT.
err_has() { grep -qF -- "$1" "$T/err" || why "stderr lacks '$1' (stderr: $(short "$T/err"))"; }

summary() {
	[ "$SKIP" -gt 0 ] && echo "# $SKIP skipped"
	echo "$SUITE: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
finish() {
	summary
	exit
}

need_tools() {
	local hint="; run scripts/install-deps.sh" tool
	if [ "${1:-}" = --bare ]; then
		hint=""
		shift
	fi
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || { notok tools "$tool is missing$hint"; finish; }
	done
}

# shellcheck disable=SC2086 # one PID a word
forget() { PIDS=$(printf '%s\n' $PIDS | grep -vx "$1" | tr '\n' ' '); }

sq() { sqlite3 "$@" 2>/dev/null; }
count() { sq "$1" "SELECT count(*) FROM $2"; }
code_of() { sq "$1" "SELECT code FROM guest WHERE last_name = '$2'"; }
wait_count() {
	local i
	for ((i = 0; i < 150; i++)); do
		N=$(count "$1" "$2")
		[ "$N" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

kq() { { "$KIOSK" "$@" >/dev/null 2>&1 </dev/null; } 2>/dev/null; }

crashcheck() {
	if [ "$RC" -ge 128 ]; then
		why "crashed (exit $RC, signal $((RC - 128))) running: $1"
	elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/err" 2>/dev/null; then
		why "sanitizer report running: $1: $(sanitizer_summary "$T/err")"
	fi
}

# sanitizer_summary FILE: a sanitizer report's first line and the first
# frames of its stack, on one line: the run's log is all that is left of
# a CI failure.
sanitizer_summary() {
	awk '/Sanitizer|runtime error/ && !seen { seen = 1; out = $0; next }
	    seen && /^ *#[0-9]+ / && n < 8 { sub(/^ +/, ""); out = out " | " $0; n++ }
	    END { print out }' "$1"
}

# can_netns: see the top; a test that needs one says SKIP without.
can_netns() {
	[ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 &&
	    unshare -m -n true 2>/dev/null && command -v python3 >/dev/null 2>&1
}
