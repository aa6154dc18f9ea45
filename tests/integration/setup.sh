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
lines_of() { grep -cF -- "$2" "$T/$1"; }

printf 'First Name,Last Name,Email\nAnn,Smit,a@example.org\n' >guests.csv
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
err_has "(and 2 more errors: kiosk config --check --config typos.conf lists them all)"
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

begin "--timezone: a city alone is named once, not also told what a name is like"
k import guests.csv --db tz.db --timezone Brussels
rc_is 1
err_has "kiosk: import: --timezone: unknown time zone 'Brussels'; did you mean Europe/Brussels?"
grep -q 'a name like' "$T/err" && why "two hints: $(short "$T/err")"
k import guests.csv --db tz.db --timezone 'CET+1'
rc_is 1
err_has "kiosk: import: --timezone: unknown time zone 'CET+1' (a name like Europe/Brussels)"
[ -e tz.db ] && why "a database was made"
end

# --- kiosk.conf files as volunteers make them --------------------------------
begin "kiosk.conf saved by Notepad as kiosk.conf.txt: said, not run on the defaults"
mkdir -p win && printf '[event]\r\nname = Meetup\r\ndatabase = ev.db\r\n' >win/kiosk.conf.txt
cd win && k config --check; cd "$T" || exit 1
rc_is 1
err_has "kiosk: config: kiosk.conf: no such file, but kiosk.conf.txt is there: Windows added .txt when it was saved (Notepad does); rename it to kiosk.conf"
cd win && k import ../guests.csv; cd "$T" || exit 1
rc_is 1
err_has "kiosk: import: kiosk.conf: no such file, but kiosk.conf.txt is there"
[ -e win/kiosk.db ] || [ -e win/ev.db ] && why "import made a database anyway"
cd win && k doctor --quick; cd "$T" || exit 1
rc_is 1
grep -q '^FAIL  config       kiosk.conf: no such file, but kiosk.conf.txt is there' "$T/out" ||
    why "doctor: $(short "$T/out")"
mv win/kiosk.conf.txt win/kiosk.conf
cd win && k config --check; cd "$T" || exit 1
rc_is 0
end

begin "a Notepad file (BOM, CRLF, accents in Windows-1252): the key named, and how to save it"
printf '\xef\xbb\xbf[event]\r\nname = Meetup\r\n[kiosk]\r\nlanguage = NL\r\nname = Entr\xe9e\r\n' >np.conf
k config --check --config np.conf
rc_is 1
err_has "kiosk: config: np.conf:5: [kiosk] name: not valid UTF-8 (save kiosk.conf as UTF-8)"
[ "$(grep -c . "$T/err")" = 1 ] || why "more than the one error: $(short "$T/err" 600)"
printf '\xef\xbb\xbf[event]\r\nname = Meetup\r\n[kiosk]\r\nlanguage = NL\r\nname = Entr\xc3\xa9e\r\n' >np.conf
k config --check --config np.conf
rc_is 0
end

begin "one file with all five mistakes: every one said at once, each with the fix"
mkdir -p "door/My Events"
cat >door/kiosk.conf <<'CONF'
[Event]
name = Social Media Day
[event]
database = 'My Events/smd.db'
[kiosk]
language = nl_BE
hub = http://192.168.1.10:8080
[sync]
hub = 192.168.1.10:8080
CONF
k config --check --config door/kiosk.conf
rc_is 1
err_has "door/kiosk.conf:1: unknown section [Event]; did you mean [event]? (names are in small letters)"
err_has "door/kiosk.conf:6: [kiosk] language: expected en, nl, fr or de, got 'nl_BE'; did you mean nl?"
err_has "door/kiosk.conf:7: unknown key 'hub' in [kiosk]; it belongs in [sync]"
err_has "door/kiosk.conf:9: [sync] hub: expected an address http://HOST[:PORT] or https://HOST[:PORT] (no user name or password in it), or nothing, got '192.168.1.10:8080'; did you mean http://192.168.1.10:8080?"
err_has "kiosk: config: 4 errors"
grep -q 'line 2\|:2:' "$T/err" && why "the key under the refused section was reported too: $(short "$T/err" 800)"
end

begin "the same file mended: a path with spaces in quotes is the folder beside kiosk.conf"
cat >door/kiosk.conf <<'CONF'
[event]
name = Social Media Day
database = 'My Events/smd.db'
[kiosk]
language = nl
[sync]
hub = http://192.168.1.10:8080
CONF
k config --check --config door/kiosk.conf
rc_is 0
k import guests.csv --config door/kiosk.conf --timezone Europe/Brussels
rc_is 0
[ -f "door/My Events/smd.db" ] || why "no database in 'door/My Events': $(ls -R door)"
end

# --- the barcode scanner ---------------------------------------------------
# kiosk.conf names no scanner: it is a USB keyboard. doctor reads the
# kernel's list of input devices; here a made-up one is put in its place,
# in a mount namespace of the test's own (root, unshare), else skipped.
can_fake_proc() { [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null && [ -d /proc/bus ]; }
# doctor_with LIST ARGS...: kiosk doctor ARGS with LIST as /proc/bus/input/devices.
doctor_with() {
	local list=$1
	shift
	mkdir -p "$T/bus/input"
	cp "$list" "$T/bus/input/devices"
	# shellcheck disable=SC2016 # the inner shell expands them
	{ unshare -m sh -c 'mount --bind "$1" /proc/bus && shift && exec "$@"' sh "$T/bus" \
	    "$KIOSK" doctor "$@" >"$T/out" 2>"$T/err" </dev/null; } 2>/dev/null
	RC=$?
	crashcheck "kiosk doctor $* (input devices: $list)"
}
scanner_json() { jq -c '[.checks[] | select(.check == "scanner")][0]' "$T/out"; }

cat >laptop.list <<'LIST'
I: Bus=0011 Vendor=0001 Product=0001 Version=ab83
N: Name="AT Translated Set 2 keyboard"
H: Handlers=sysrq kbd event3 leds
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe

I: Bus=0003 Vendor=046d Product=0825 Version=0012
N: Name="UVC Camera (046d:0825)"
H: Handlers=kbd event6
B: KEY=100000 0 0 0

LIST
{
	cat laptop.list
	printf '%s\n' 'I: Bus=0003 Vendor=0c2e Product=0b61 Version=0111' \
	    'N: Name="Honeywell Imaging & Mobility 1900"' 'H: Handlers=sysrq kbd event5 leds' \
	    'B: KEY=1000000000007 ff800000000007ff febeffdff3cfffff fffffffffffffffe' ''
} >scanner.list
printf '[scanner]\nsuffix = tab\n' >tab.conf
printf '[camera]\ndevice = /dev/null\n' >camera.conf

begin "doctor: a scanner plugged in is named, with what only a scan can tell"
if can_fake_proc; then
	doctor_with scanner.list --config tab.conf --quick --json
	jq -e '[.checks[] | select(.check == "scanner")][0] | .level == "ok" and
	    (.message | test("keyboard plugged in: \"Honeywell Imaging & Mobility 1900\"")) and
	    (.message | test("end each code with Tab \\(\\[scanner\\] suffix = tab\\)"))' "$T/out" \
	    >/dev/null || why "scanner: $(scanner_json)"
	end
else
	skip "$NAME" "needs root and unshare to stand in /proc/bus/input/devices"
fi

begin "doctor: no scanner plugged in is a warning at a door without a camera, not with one"
if can_fake_proc; then
	doctor_with laptop.list --quick --json
	jq -e '[.checks[] | select(.check == "scanner")][0] | .level == "warn" and
	    (.message | test("no USB or Bluetooth keyboard is plugged in.*plug the scanner in"))' \
	    "$T/out" >/dev/null || why "without a camera: $(scanner_json)"
	doctor_with laptop.list --config camera.conf --quick --json
	jq -e '[.checks[] | select(.check == "scanner")][0] | .level == "ok" and
	    (.message | test("the camera reads codes"))' "$T/out" >/dev/null ||
	    why "with a camera: $(scanner_json)"
	end
else
	skip "$NAME" "needs root and unshare to stand in /proc/bus/input/devices"
fi

begin "doctor: where no input device can be seen, the scanner check says what it cannot tell"
if can_fake_proc; then
	: >empty.list
	doctor_with empty.list --quick
	grep -q '^ok    scanner      cannot see which keyboards are plugged in' "$T/out" ||
	    why "scanner: $(grep scanner "$T/out" || echo "no scanner line")"
	end
else
	skip "$NAME" "needs root and unshare to stand in /proc/bus/input/devices"
fi

begin "a list with short codes of its own: import and doctor say the scanner takes them for typing"
# A Google Form with its own ticket codes, two and four characters: below
# [scanner] min_length = 6, a scanner's keys for them reach the door as
# typing, and those guests are not checked in by a scan.
mkdir -p short && cd short || exit 1
printf '[event]\nname = Form Night\ntimezone = Europe/Brussels\ndatabase = event.db\n[kiosk]\nname = Door 2\n' \
    >kiosk.conf
printf 'Name,Email,Code\nAnn Smit,a@example.org,A7K3\nDirk Vos,d@example.org,B2\nEva Lenaerts,e@example.org,TICKET123\n' \
    >form.csv
# the dry run first, as the README has it: the warning is for it to say
k import form.csv --dry-run
rc_is 0
err_has "warning: 2 codes of the list are shorter than [scanner] min_length = 6 (the shortest has 2 characters)"
[ -e event.db ] && why "a dry run made the event's file"
k import form.csv
rc_is 0
err_has "warning: 2 codes of the list are shorter than [scanner] min_length = 6 (the shortest has 2 characters)"
err_has "set min_length = 2 in kiosk.conf (under [scanner]), and in the kiosk.conf of every other door"
k doctor --quick
rc_is 1
grep -qF 'FAIL  codes        2 codes are shorter than [scanner] min_length = 6 (the default; the shortest code has 2 characters)' \
    "$T/out" || why "doctor: $(grep codes "$T/out" || short "$T/out" 800)"
grep -qF 'set min_length = 2 under [scanner] in kiosk.conf' "$T/out" ||
    why "doctor names no fix: $(grep codes "$T/out")"
# Set in the file: its line is named; no Enter after a code and codes of
# two characters: the scanner must send one.
printf '[scanner]\nsuffix = none\nmin_length = 5\n' >>kiosk.conf
k doctor --quick --json
jq -e '[.checks[] | select(.check == "codes")][0] | .level == "FAIL" and
    (.message | test("min_length = 5 \\(kiosk.conf:9;")) and
    (.message | test("set suffix = return in kiosk.conf:8 and min_length = 2 in kiosk.conf:9"))' \
    "$T/out" >/dev/null || why "suffix none: $(short "$T/out" 1500)"
sed -i 's/suffix = none/suffix = return/; s/min_length = 5/min_length = 2/' kiosk.conf
k doctor --quick
grep -qF 'ok    codes        every code has at least 2 characters' "$T/out" ||
    why "set right: $(grep codes "$T/out" || short "$T/out" 800)"
k import form.csv
grep -q "shorter than" "$T/err" && why "import still warns: $(short "$T/err")"
cd .. || exit 1
end

begin "a hub of its own with short codes: doctor warns to set every door, and passes"
# kiosk-hub.service's machine: tokens for the doors, no [hub] serve, no
# [sync] hub. It scans nothing; its doors' kiosk.conf is what matters.
mkdir -p hubonly && cd hubonly || exit 1
printf '[event]\nname = Form Night\ntimezone = Europe/Brussels\ndatabase = event.db\n' >kiosk.conf
k import ../short/form.csv
k hub token add "Door 1"
rc_is 0
k doctor --quick --json
jq -e '[.checks[] | select(.check == "codes")][0] | .level == "warn" and
    (.message | test("set \\[scanner\\] min_length = 2 in the kiosk.conf of every door that syncs with this hub"))' \
    "$T/out" >/dev/null || why "hub only: $(short "$T/out" 1500)"
jq -e '[.checks[] | select(.level == "FAIL")] | length == 0' "$T/out" >/dev/null ||
    why "hub only fails: $(short "$T/out" 1500)"
cd .. || exit 1
end

finish
