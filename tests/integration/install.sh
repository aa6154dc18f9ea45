#!/usr/bin/env bash
# Install tests: 'make install' into a temporary DESTDIR with PREFIX
# /opt/kiosk-test, then the installed binary alone, run from an empty folder:
# import, badges, export, doctor, and a hub with a door syncing to it. Under
# strace, no path of the source tree is touched (and, where a mount namespace
# can be had, it all runs again with the source tree hidden under an empty
# tmpfs); the fonts come from PREFIX/share/kiosk/fonts. The man page renders
# without warnings and names every command, option and kiosk.conf key; the
# systemd units pass systemd-analyze verify; and what the hub does in that
# session stays inside kiosk-hub.service's sandbox (system calls, address
# families, memory mappings, files written).
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/install.sh
#
# The binary tested is the one 'make install' installs (./kiosk, built when
# needed); KIOSK is taken for the house style and not used. Prints
# "ok - NAME" / "not ok - NAME: REASON" and, last, "install: N passed,
# M failed"; exits 1 when M > 0.
set -u
SUITE="install"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

PREFIX=/opt/kiosk-test

need_tools make strace man systemd-analyze pdffonts curl jq

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-install.XXXXXX") || exit 1
case $T in "$ROOT"/*) echo "not ok - setup: TMPDIR is inside the source tree"; exit 1 ;; esac
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

D=$T/dest          # DESTDIR
P=$D$PREFIX        # where the files are
K=$P/bin/kiosk     # the installed binary
W=$T/work          # an empty folder to run it in
mkdir -p "$W" "$T/tmp"
cd "$W" || exit 1
# Nothing may point the binary back at the tree.
unset KIOSK_DATADIR

# --- make install ----------------------------------------------------------
begin "make install DESTDIR=... PREFIX=$PREFIX"
# A make of its own, not the one running this test (make test's variables
# would carry over).
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$ROOT" --no-print-directory install \
	DESTDIR="$D" PREFIX="$PREFIX" >"$T/make.log" 2>&1 || why "failed: $(tail -c 400 "$T/make.log")"
end
[ -x "$K" ] || finish

begin "the files are where they belong, and only there"
for f in bin/kiosk share/kiosk/fonts/DejaVuSans.ttf share/kiosk/fonts/DejaVuSans-Bold.ttf \
	share/kiosk/fonts/NotoSansArabic-Regular.ttf share/kiosk/fonts/DroidSansFallbackFull.ttf \
	share/kiosk/fonts/NanumSquareR.ttf share/kiosk/fonts/LICENSE-DejaVu.txt \
	share/kiosk/locale/nl/LC_MESSAGES/kiosk.mo share/kiosk/locale/fr/LC_MESSAGES/kiosk.mo \
	share/kiosk/locale/de/LC_MESSAGES/kiosk.mo share/man/man1/kiosk.1 \
	share/doc/kiosk/setup.md share/doc/kiosk/import.md share/doc/kiosk/examples/kiosk.conf \
	lib/systemd/system/kiosk.service lib/systemd/system/kiosk-hub.service; do
	[ -f "$P/$f" ] || why "missing: PREFIX/$f"
done
outside=$(find "$D" -mindepth 1 \( -path "$P" -o -path "$P/*" -o -path "$D/opt" \) -prune -o -print | head -n 3)
[ -z "$outside" ] || why "installed outside PREFIX: $outside"
bad=$(find "$P" -type f ! -path "$P/bin/*" -perm /111 | head -n 3)
[ -z "$bad" ] || why "data files with exec bits: $bad"
end

begin "the units run the installed binary; the example config keeps its data in /var/lib/kiosk"
for u in kiosk kiosk-hub; do
	grep -q "^ExecStart=$PREFIX/bin/kiosk " "$P/lib/systemd/system/$u.service" ||
		why "$u.service: $(grep '^ExecStart' "$P/lib/systemd/system/$u.service")"
done
grep -qx 'database = /var/lib/kiosk/event.db' "$P/share/doc/kiosk/examples/kiosk.conf" ||
	why "examples/kiosk.conf: $(grep '^database' "$P/share/doc/kiosk/examples/kiosk.conf")"
"$K" config --check --config "$P/share/doc/kiosk/examples/kiosk.conf" >"$T/out" 2>&1 ||
	why "kiosk config --check refuses the example: $(short "$T/out" 400)"
end

begin "a make without the libraries says which are missing and what to run"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$ROOT" --no-print-directory \
	BUILD="$T/nolibs" PKGS="sqlite3 kiosk-no-such-lib" "$T/nolibs/src/core/util.o" \
	>"$T/nolibs.log" 2>&1 && why "it built"
grep -q "libraries missing: kiosk-no-such-lib\$" "$T/nolibs.log" &&
	grep -q "run 'make deps'" "$T/nolibs.log" || why "said: $(short "$T/nolibs.log" 400)"
[ ! -e "$T/nolibs/src/core/util.o" ] || why "compiled anyway"
end

# --- the installed binary, alone -------------------------------------------
cat >guests.csv <<'CSV'
First Name,Last Name,Email,Company,Ticket Type,Barcode #
Zoë,Çelik,zoe@example.org,Acme,Regular,8184922608941621308297001
محمد,علي,m@example.org,,Regular,8184922608941621308297002
小明,王,w@example.org,,Speaker,8184922608941621308297003
CSV

# traced NAME ARGS...: run the installed kiosk under strace (file system
# calls, every process and thread); stdout in $T/NAME.out, stderr in
# $T/NAME.err, the trace in $T/NAME.trace, status in RC.
traced() {
	local name=$1
	shift
	strace -f -qq -e trace=%file -o "$T/$name.trace" "$K" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
}
# touched NAME: the paths in the trace that are in the source tree
touched() { grep -F "\"$ROOT" "$T/$1.trace" | grep -vF "\"$T" | head -n 3; }

begin "installed: import from an empty folder"
traced import import guests.csv --db event.db --event-name "Install Test 2026" \
	--timezone Europe/Brussels --tag IT26
[ "$RC" = 0 ] || why "exit $RC: $(short "$T/import.err" 400)"
grep -q 'added 3' "$T/import.out" || why "output: $(short "$T/import.out" 400)"
t=$(touched import)
[ -z "$t" ] && end || { why "opened in the source tree: $t"; end; }

begin "installed: badges, with the fonts of PREFIX/share/kiosk/fonts"
traced badges badges --db event.db --out badges.pdf
[ "$RC" = 0 ] || why "exit $RC: $(short "$T/badges.err" 400)"
[ -s badges.pdf ] || why "no badges.pdf"
# Latin and Arabic may come from the system's DejaVu; Chinese comes from
# Droid Sans Fallback, which only PREFIX/share/kiosk/fonts has here.
grep -qE "\"$P/share/kiosk/fonts/[^\"]+\.ttf\"" "$T/badges.trace" ||
	why "no font file of PREFIX/share/kiosk/fonts was opened"
fonts=$(pdffonts badges.pdf 2>/dev/null)
for f in DejaVuSans DroidSansFallback; do
	echo "$fonts" | grep -q "$f" || why "$f is not in the PDF: $(echo "$fonts" | awk 'NR>2 {print $1}' | tr '\n' ' ')"
done
t=$(touched badges)
[ -z "$t" ] || why "opened in the source tree: $t"
end

begin "installed: check-in and export"
"$K" checkin 8184922608941621308297001 --db event.db >/dev/null 2>&1 || why "checkin failed"
traced export export --db event.db --out attendance.csv
[ "$RC" = 0 ] || why "exit $RC: $(short "$T/export.err" 400)"
[ "$(wc -l <attendance.csv 2>/dev/null)" = 4 ] || why "attendance.csv: $(short attendance.csv 400)"
grep -q 'Çelik' attendance.csv || why "no Çelik in attendance.csv"
t=$(touched export)
[ -z "$t" ] || why "opened in the source tree: $t"
end

begin "installed: doctor finds the fonts and translations in PREFIX/share/kiosk"
traced doctor doctor --db event.db --json
jq -e --arg d "$P/share/kiosk/fonts" \
	'.checks[] | select(.check == "fonts") | .level == "ok" and (.message | contains($d))' \
	"$T/doctor.out" >/dev/null || why "fonts: $(jq -c '.checks[] | select(.check == "fonts")' "$T/doctor.out" 2>/dev/null)"
jq -e '.checks[] | select(.check == "languages") | .level == "ok"' "$T/doctor.out" >/dev/null ||
	why "languages: $(jq -c '.checks[] | select(.check == "languages")' "$T/doctor.out" 2>/dev/null)"
t=$(touched doctor)
[ -z "$t" ] || why "opened in the source tree: $t"
end

# A font gone from the installed folder (a copy cut short, a file removed
# by hand) is named where it is missing; the binary still finds its own
# translations, and never looks in another prefix (an older kiosk in
# /usr/local) for them.
begin "installed, a font missing: doctor names it in PREFIX/share/kiosk/fonts"
mv "$P/share/kiosk/fonts/DejaVuSans.ttf" "$T/DejaVuSans.ttf"
"$K" doctor --db event.db --json >"$T/doctor.out" 2>"$T/doctor.err"
mv "$T/DejaVuSans.ttf" "$P/share/kiosk/fonts/DejaVuSans.ttf"
jq -e --arg d "missing in $P/share/kiosk/fonts: DejaVuSans.ttf (" \
	'.checks[] | select(.check == "fonts") | .level == "FAIL" and (.message | startswith($d))' \
	"$T/doctor.out" >/dev/null || why "fonts: $(jq -c '.checks[] | select(.check == "fonts")' "$T/doctor.out" 2>/dev/null)"
jq -e '.checks[] | select(.check == "languages") | .level == "ok"' "$T/doctor.out" >/dev/null ||
	why "languages: $(jq -c '.checks[] | select(.check == "languages")' "$T/doctor.out" 2>/dev/null)"
end

# The same with the tree out of sight: an empty tmpfs over it, in a mount
# namespace of this test's own (needs root or user namespaces).
if unshare -m --propagation private true 2>/dev/null; then
	begin "installed: import, badges, export with the source tree hidden"
	mkdir -p "$T/hidden"
	unshare -m --propagation private sh -c '
		mount -t tmpfs -o size=1m none "$1" || exit 9
		[ -z "$(ls -A "$1")" ] || exit 8
		cd "$2" && cp "$4/guests.csv" . &&
		"$3" import guests.csv --db e.db --event-name Hidden --tag HD26 \
			--timezone Europe/Brussels >/dev/null &&
		"$3" badges --db e.db --out b.pdf >/dev/null &&
		"$3" export --db e.db --out a.csv >/dev/null
	' sh "$ROOT" "$T/hidden" "$K" "$W" >"$T/hidden.log" 2>&1
	rc=$?
	case $rc in
	0) [ -s "$T/hidden/b.pdf" ] && [ "$(wc -l <"$T/hidden/a.csv")" = 4 ] || why "no badges or export" ;;
	9) why "could not hide the tree: $(short "$T/hidden.log" 400)" ;;
	*) why "exit $rc: $(short "$T/hidden.log" 400)" ;;
	esac
	end
else
	skip "installed: import, badges, export with the source tree hidden" "no mount namespace here"
fi

# --- the man page ----------------------------------------------------------
MAN=$P/share/man/man1/kiosk.1
begin "man -l renders the page without warnings"
warn=$(MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
[ -z "$warn" ] || why "$warn"
MANPATH=$P/share/man man kiosk 2>/dev/null | grep -q 'offline-first check-in' ||
	why "'man kiosk' does not find it under PREFIX/share/man"
end

begin "the man page has every command and option of 'kiosk --help'"
cmds=$("$K" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || why "no commands in kiosk --help"
for c in $cmds; do
	grep -q "^\.SS \"kiosk $c[ \"]" "$MAN" || { why "no section for kiosk $c"; continue; }
	for o in $("$K" "$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$MAN" || why "kiosk $c $o is not in the page"
	done
done
for s in "token add" "token list" "token revoke" password; do
	grep -q "kiosk hub $s" "$MAN" || why "no kiosk hub $s"
done
end

begin "the man page's KIOSK.CONF section is today's key table, every key in its section"
"$ROOT/scripts/man-conf.sh" --check "$K" "$MAN" 2>"$T/manconf.err" ||
	why "out of date (run scripts/man-conf.sh): $(head -c 300 "$T/manconf.err")"
"$K" config --defaults | awk '/^\[/ { s = $0 } /^[a-z_]+ =/ { print s, $1 }' >"$T/keys.want"
awk '/^\.SS \[/ { s = $2 } /^\.BR? "[a-z_]+ =/ { k = $2; sub(/^"/, "", k); print s, k }' \
	"$MAN" >"$T/keys.have"
[ -s "$T/keys.want" ] || why "no keys from kiosk config --defaults"
missing=$(comm -23 <(sort "$T/keys.want") <(sort "$T/keys.have") | head -n 5 | tr '\n' ',')
[ -z "$missing" ] || why "keys not in the page: $missing"
end

# --- the systemd units -----------------------------------------------------
# systemd-analyze wants ExecStart= to exist: point the copies at the DESTDIR
# binary; Documentation=man:kiosk(1) is looked up with the installed page.
begin "systemd-analyze verify accepts the units (installed and in scripts/)"
mkdir -p "$T/units/installed" "$T/units/scripts"
for u in kiosk kiosk-hub; do
	sed "s|$PREFIX/bin/kiosk|$K|" "$P/lib/systemd/system/$u.service" >"$T/units/installed/$u.service"
	sed "s|/usr/local/bin/kiosk|$K|" "$ROOT/scripts/$u.service" >"$T/units/scripts/$u.service"
done
for d in installed scripts; do
	out=$(MANPATH=$P/share/man systemd-analyze verify "$T/units/$d"/*.service 2>&1)
	rc=$?
	[ "$rc" = 0 ] && [ -z "$out" ] || why "$d: exit $rc: $(echo "$out" | head -c 400 | tr '\n' ' ')"
done
end

# A PREFIX with a space: systemd splits an unquoted ExecStart= there, and
# runs "/opt/kiosk" (unquoted, verify said "Command /opt/kiosk is not
# executable"). The copies point at a path with a space that exists.
begin "systemd-analyze verify accepts the units of a PREFIX with a space"
SP="/opt/kiosk test"
mkdir -p "$T/spaced" "$T/units/spaced" "$T/kiosk bin" && ln -sf "$K" "$T/kiosk bin/kiosk"
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$ROOT" --no-print-directory install \
	DESTDIR="$T/spaced" PREFIX="$SP" >"$T/make.log" 2>&1; then
	for u in kiosk kiosk-hub; do
		sed "s|$SP/bin/kiosk|$T/kiosk bin/kiosk|" "$T/spaced$SP/lib/systemd/system/$u.service" \
			>"$T/units/spaced/$u.service"
	done
	out=$(MANPATH=$P/share/man systemd-analyze verify "$T/units/spaced"/*.service 2>&1)
	rc=$?
	[ "$rc" = 0 ] && [ -z "$out" ] || why "exit $rc: $(echo "$out" | head -c 400 | tr '\n' ' ')"
else
	why "install failed: $(tail -c 300 "$T/make.log")"
fi
end

# --- the hub in its sandbox --------------------------------------------------
# A hub session as the installed binary runs it (import, tokens, a door that
# joins, checks in and syncs, the live page with its downloads), the hub under
# strace. What it did must be allowed by kiosk-hub.service: its system calls
# in SystemCallFilter=@system-service, its sockets in RestrictAddressFamilies=,
# no writable-and-executable memory (MemoryDenyWriteExecute=), files written
# only in its state directory and private /tmp (ProtectSystem=strict,
# PrivateTmp=), no devices but PrivateDevices=' own.
STATE=$T/state     # stands for /var/lib/kiosk (also the kiosk user's home)
mkdir -p "$STATE" "$T/hubtmp" "$T/door"
UNIT=$P/lib/systemd/system/kiosk-hub.service
hub_port=""
"$K" import guests.csv --db "$STATE/event.db" --event-name "Hub Test 2026" --tag HT26 \
	--timezone Europe/Brussels >/dev/null 2>&1
TOKEN=$("$K" hub token add "Door 2" --db "$STATE/event.db" 2>/dev/null | tail -n 1)
printf 'organiser-pw\norganiser-pw\n' | "$K" hub password --db "$STATE/event.db" >/dev/null 2>&1
(cd "$STATE" && HOME=$STATE TMPDIR=$T/hubtmp exec strace -f -qq -o "$T/hub.trace" \
	"$K" hub --db "$STATE/event.db" --listen 127.0.0.1:0 >"$T/hub.out" 2>"$T/hub.err" </dev/null) &
HUB_PID=$!
PIDS="$PIDS $HUB_PID"
for _ in $(seq 200); do
	line=$(grep -m1 'kiosk hub: serving' "$T/hub.out" 2>/dev/null)
	[ -n "$line" ] && hub_port=${line##*:} && break
	sleep 0.05
done
begin "a hub session: a door joins, checks in and syncs; the live page and its downloads"
if [ -z "$hub_port" ]; then
	why "the hub did not start: $(short "$T/hub.err" 400)"
else
	U=http://127.0.0.1:$hub_port
	(
		cd "$T/door" &&
		"$K" join "$U" "$TOKEN" --config door.conf --db door.db >/dev/null &&
		"$K" checkin 8184922608941621308297003 --config door.conf >/dev/null &&
		"$K" sync --config door.conf >/dev/null
	) 2>"$T/door.err" || why "door: $(short "$T/door.err" 400)"
	curl -s -c "$T/jar" -o /dev/null -d password=organiser-pw "$U/login"
	for path in / /export.csv /export.xlsx /arrivals.png; do
		code=$(curl -s -b "$T/jar" -o "$T/dl" -w '%{http_code}' "$U$path")
		[ "$code" = 200 ] && [ -s "$T/dl" ] || why "GET $path: HTTP $code"
	done
	curl -s -b "$T/jar" "$U/export.csv" | grep -q '王' || why "the door's check-in is not in the hub's export"
fi
# $HUB_PID is strace, which leaves with the hub's status.
child=$(pgrep -P "$HUB_PID")
[ -n "$child" ] && kill -TERM $child 2>/dev/null
for _ in $(seq 100); do
	kill -0 "$HUB_PID" 2>/dev/null || break
	sleep 0.1
done
kill -KILL "$HUB_PID" $child 2>/dev/null
wait "$HUB_PID"
rc=$?
[ "$rc" = 0 ] || why "the hub's exit status after SIGTERM: $rc"
end

# The trace's lines: "PID syscall(args) = result"; a call split by another
# thread is "PID syscall(args <unfinished ...>" then "PID <... syscall resumed>".
calls() { sed -nE 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/p' "$T/hub.trace" | sort -u; }

begin "kiosk-hub.service: every system call the hub made is in its SystemCallFilter="
filter=$(sed -n 's/^SystemCallFilter=//p' "$UNIT")
[ "$filter" = @system-service ] || why "the unit's filter is '$filter'; this test knows @system-service"
expand() { # the system calls of a set, nested sets opened
	systemd-analyze syscall-filter "$1" 2>/dev/null | sed 1d | grep -v '^ *#' | awk 'NF { print $1 }' |
		while read -r s; do
			case $s in @*) expand "$s" ;; *) echo "$s" ;; esac
		done
}
expand @system-service | sort -u >"$T/allowed"
[ -s "$T/allowed" ] || why "systemd-analyze syscall-filter printed nothing"
denied=$(calls | comm -23 - "$T/allowed" | tr '\n' ' ')
[ -z "$denied" ] || why "outside @system-service: $denied"
end

begin "kiosk-hub.service: sockets in RestrictAddressFamilies=, no W+X memory, no devices"
families=$(sed -n 's/^RestrictAddressFamilies=//p' "$UNIT")
for f in $(sed -nE 's/^[0-9]+ +socket\((AF_[A-Z0-9]+).*/\1/p' "$T/hub.trace" | sort -u); do
	case " $families " in *" $f "*) ;; *) why "socket($f) is not in RestrictAddressFamilies=$families" ;; esac
done
grep -q '^MemoryDenyWriteExecute=yes' "$UNIT" || why "the unit has no MemoryDenyWriteExecute=yes"
wx=$(grep -E '^[0-9]+ +(mmap|mprotect|pkey_mprotect)\(' "$T/hub.trace" |
	grep -E 'mprotect\(.*PROT_EXEC|mmap\(.*(PROT_WRITE\|PROT_EXEC|PROT_EXEC\|PROT_WRITE)' | head -n 2)
[ -z "$wx" ] || why "writable and executable memory: $wx"
devs=$(grep -oE '"/dev/[^"]*"' "$T/hub.trace" | sort -u |
	grep -vE '^"/dev/(null|zero|full|random|urandom|tty|ptmx|pts/.*|shm/.*)"$' | tr '\n' ' ')
[ -z "$devs" ] || why "devices PrivateDevices= hides: $devs"
end

begin "kiosk-hub.service: files written only in its state directory and /tmp (ProtectSystem=strict)"
grep -q '^ProtectSystem=strict' "$UNIT" || why "the unit has no ProtectSystem=strict"
written=$(grep -E '^[0-9]+ +(open|openat|creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|rmdir|link|linkat|symlink|symlinkat|truncate|chmod|fchmodat)\(' "$T/hub.trace" |
	grep -vE '(open|openat)\(.*O_RDONLY' | grep -oE '"/[^"]*"' | tr -d '"' | sort -u |
	grep -vE "^($STATE|$T/hubtmp|/dev/null)(/|$)" | head -n 5 | tr '\n' ' ')
[ -z "$written" ] || why "written outside /var/lib/kiosk and /tmp: $written"
end

# A stage in a folder whose name has spaces and accents: one folder, and the
# binary there runs. (Unquoted, install made 'dir/bin' in the source tree
# and failed, and uninstall's rm -rf took the words one by one: the folder
# $T/Événements beside it.)
begin "make install and uninstall with spaces and accents in DESTDIR"
S="$T/Événements 2026/stage dir"
mkdir -p "$T/Événements" "$S" && echo keep >"$T/Événements/keep.txt"
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$ROOT" --no-print-directory install \
	DESTDIR="$S" PREFIX="$PREFIX" >"$T/make.log" 2>&1; then
	[ -x "$S$PREFIX/bin/kiosk" ] || why "no $S$PREFIX/bin/kiosk"
	(cd "$W" && "$S$PREFIX/bin/kiosk" doctor --db "$T/none.db") >"$T/doctor.out" 2>&1
	grep -qF "ok    fonts        all in $S$PREFIX/share/kiosk/fonts" "$T/doctor.out" ||
	    why "doctor of that binary: $(grep fonts "$T/doctor.out")"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$ROOT" --no-print-directory uninstall \
		DESTDIR="$S" PREFIX="$PREFIX" >"$T/make.log" 2>&1 || why "uninstall failed: $(tail -c 400 "$T/make.log")"
	left=$(find "$S" ! -type d | head -n 3 | tr '\n' ' ')
	[ -z "$left" ] || why "left behind: $left"
else
	why "install failed: $(tail -c 300 "$T/make.log")"
fi
[ -f "$T/Événements/keep.txt" ] || why "a folder beside the stage ($T/Événements) was removed"
# the words of that path, made as folders where make ran
for w in 2026 dir; do
	[ -e "$ROOT/$w" ] && why "make made $ROOT/$w (a word of the stage's path)"
done
end

begin "make uninstall removes every file make install put there"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$ROOT" --no-print-directory uninstall \
	DESTDIR="$D" PREFIX="$PREFIX" >"$T/make.log" 2>&1 || why "failed: $(tail -c 400 "$T/make.log")"
left=$(find "$D" ! -type d | head -n 3 | tr '\n' ' ')
[ -z "$left" ] || why "left behind: $left"
end

finish
