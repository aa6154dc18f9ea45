#!/usr/bin/env bash
# run-integration.sh [-j N] SUITE...: run tests/integration/SUITE.sh for
# each SUITE, N at a time (1 unless told), in the order given: put the long
# ones first, or the last lane runs alone at the end. The SUITE "unit" is
# tests/run-unit.sh over the programs in $UNIT_TESTS.
#
# Most of a suite's time is waiting (for a child, a socket, a back-off, a
# window), and suites share nothing (temporary folders, free ports and
# displays), so side by side they take the time of the longest lane rather
# than of all of them. Each suite's output is kept and printed whole when it
# ends, with how long it took, so the log reads one suite after another.
# Last line: "suites: N, all passed (S s)" or "suites: failed: SUITE...
# (S s)". Exits 1 when any suite failed (or could not be run).
#
# The environment (KIOSK, CUTPROXY, PNGPIXEL, ARTEFACTS...) is the suites'.
set -u
lanes=1
if [ "${1:-}" = -j ]; then
	lanes=${2:?-j needs a number}
	shift 2
fi
case $lanes in '' | *[!0-9]* | 0) echo "run-integration.sh: -j $lanes: not a number of lanes" >&2; exit 1 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
logs=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-suites.XXXXXX") || exit 1
declare -A name began
running=0
failed=""
t0=$SECONDS

# A stop (Ctrl-C in make, a CI timeout) stops the suites too: each cleans
# up after itself on TERM (its EXIT trap kills what it started).
stop() {
	for p in "${!name[@]}"; do kill -TERM "$p" 2>/dev/null; done
	wait
	rm -rf "$logs"
	exit 130
}
trap stop INT TERM
trap 'rm -rf "$logs"' EXIT

# reap: wait for one suite to end, print its log, note a failure.
reap() {
	local pid rc s
	wait -n -p pid
	rc=$?
	s=${name[$pid]}
	running=$((running - 1))
	cat "$logs/$s.log"
	echo "# $s: $((SECONDS - began[$pid])) s"
	unset "name[$pid]" "began[$pid]"
	[ "$rc" = 0 ] || failed="$failed $s"
}

# launch SUITE COMMAND...: COMMAND in the background, its output kept. A
# background job of a script ignores Ctrl-C; env gives it back.
launch() {
	local s=$1
	shift
	env --default-signal=INT,QUIT "$@" >"$logs/$s.log" 2>&1 &
	name[$!]=$s
	began[$!]=$SECONDS
	running=$((running + 1))
}

for s in "$@"; do
	while [ "$running" -ge "$lanes" ]; do reap; done
	if [ "$s" = unit ]; then
		# shellcheck disable=SC2086 # one program a word
		launch unit "$here/run-unit.sh" ${UNIT_TESTS:-}
	elif [ -x "$here/integration/$s.sh" ]; then
		launch "$s" "$here/integration/$s.sh"
	else
		echo "not ok - $s: no tests/integration/$s.sh to run"
		failed="$failed $s"
	fi
done
while [ "$running" -gt 0 ]; do reap; done

if [ -n "$failed" ]; then
	echo "suites: failed:$failed ($((SECONDS - t0)) s)"
	exit 1
fi
echo "suites: $#, all passed ($((SECONDS - t0)) s)"
