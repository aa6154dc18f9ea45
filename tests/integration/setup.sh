#!/usr/bin/env bash
# Setting up a door (QA): `kiosk config --check` and `kiosk doctor` on the
# kiosk.conf files a volunteer makes by hand, checked for what they would
# read: every mistake at once, each with its file, line and key, and a
# fix they can follow.
#
#   KIOSK=/abs/kiosk ./tests/integration/setup.sh
#
# Needs: bash, jq.
set -u
SUITE="setup"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

need_tools jq
T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-setup.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

# k ARGS...: run kiosk; stdout in $T/out, stderr in $T/err, status in $RC.
k() {
	{ "$KIOSK" "$@" >"$T/out" 2>"$T/err" </dev/null; } 2>/dev/null
	RC=$?
	crashcheck "kiosk $*"
}
rc_is() { [ "$RC" = "$1" ] || why "exit $RC, expected $1 (stderr: $(short "$T/err" 600))"; }
out_has() { grep -qF -- "$1" "$T/out" || why "stdout lacks '$1' (stdout: $(short "$T/out" 600))"; }
lines_of() { grep -cF -- "$2" "$T/$1"; }

# A kiosk.conf with three typos, as a volunteer writes one.
printf '[kiosk]\nlangauge = nl\nresult_seconds = 100\nsound = yes\n[sync]\nhub http://192.168.1.10:8080\n' \
    >typos.conf

begin "config --check lists every error, each with its file, line and key, and fails"
k config --check --config typos.conf
rc_is 1
err_has "kiosk: config: typos.conf:2: unknown key 'langauge' in [kiosk]"
err_has "kiosk: config: typos.conf:3: [kiosk] result_seconds: expected a whole number from 1 to 60, got '100'"
err_has "kiosk: config: typos.conf:6: expected 'key = value' or '[section]', got 'hub ...'"
err_has "kiosk: config: 3 errors"
[ -s "$T/out" ] && why "config --check printed on stdout for a bad file: $(short "$T/out")"
end

begin "another command says the first error and how many more, and where the list is"
k stats --config typos.conf
rc_is 1
err_has "kiosk: stats: typos.conf:2: unknown key 'langauge' in [kiosk]"
err_has "(and 2 more errors: kiosk config --check lists them all)"
end

begin "doctor says every kiosk.conf error, in --json too"
k doctor --config typos.conf --quick
rc_is 1
[ "$(lines_of out 'FAIL  config       typos.conf:')" = 3 ] ||
    why "doctor does not list the 3 errors: $(short "$T/out" 800)"
k doctor --config typos.conf --quick --json
rc_is 1
jq -e '[.checks[] | select(.check == "config" and .level == "FAIL")] | length == 3' "$T/out" \
    >/dev/null || why "--json: $(short "$T/out" 800)"
end

finish
