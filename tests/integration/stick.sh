#!/usr/bin/env bash
# The event on a USB stick, as organisers keep it: a disk that keeps no
# file permissions of its own (FAT, exFAT, NTFS: the mount gives every file
# one mode, and Linux refuses a chmod to any other with EPERM).
#   - the event made, checked in, exported (CSV, XLSX), backed up, badged,
#     plotted there, and kiosk.conf's PIN set there: each works, the file
#     written with the disk's mode (they were refused: "Operation not
#     permitted", kiosk's files being made private with a chmod);
#   - kiosk doctor there, and kiosk mail's warning of a password in
#     kiosk.conf, say the disk keeps no permissions and how to mount it,
#     not a "chmod 600" that cannot work.
#   - a name such a stick refuses (" * : < > ? \ |: 'SMD: Antwerp.db',
#     'attendance 15:30.csv') is said to be the reason, not "No such file or
#     directory" (exFAT through FUSE) or "Invalid argument" (vfat).
# The stick is a real vfat image when this kernel mounts one (loop), else
# a folder through bindfs --chmod-deny (FUSE), which refuses chmod as vfat
# does; for names, a vfat or else an exFAT image (the kernel's, else
# exfat-fuse). Needs root; without root, or with none, the tests are skipped.
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/stick.sh
#
# Prints "ok - NAME" / "not ok - NAME: REASON" and, last,
# "stick: N passed, M failed"; exits 1 when M > 0.
# Needs: root, bash, coreutils, sqlite3; mkfs.vfat (dosfstools) or bindfs;
# for names mkfs.vfat, or mkfs.exfat (exfatprogs) and exfat-fuse.
set -u
SUITE="stick"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

need_tools --bare sqlite3 mount umount
[ -x "$KIOSK" ] || { begin binary; why "$KIOSK is not an executable (run make kiosk)"; end; finish; }
if [ "$(id -u)" != 0 ]; then
	skip "an event on a USB stick" "needs root to mount one"
	finish
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-stick.XXXXXX") && T=$(cd "$T" && pwd -P) || exit 1
S=$T/stick     # where the stick is mounted
N=$T/names     # where the stick for names is mounted
MOUNTED=""
NAMED=""
LOOP=""        # the loop device exfat-fuse mounts, detached by the cleanup
cleanup() {
	local m
	for m in "$S" "$N"; do
		grep -qF " $m " /proc/mounts && { umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; }
	done
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	# never rm -rf through a mount that is still there
	if grep -qF " $T/" /proc/mounts; then
		echo "# stick: still mounted under $T, left in place" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1
mkdir -p "$S"

# A FAT stick as udisks mounts one (the mounting program's umask: 022).
if command -v mkfs.vfat >/dev/null 2>&1 && truncate -s 32M stick.img &&
    mkfs.vfat stick.img >/dev/null 2>&1 &&
    mount -o loop,uid=0,gid=0,umask=022 stick.img "$S" 2>/dev/null; then
	MOUNTED=vfat
elif command -v bindfs >/dev/null 2>&1 && [ -c /dev/fuse ] && mkdir -p under &&
    bindfs --chmod-deny --perms=a+rX,u+w "$T/under" "$S" 2>/dev/null; then
	MOUNTED="bindfs --chmod-deny"
fi
echo "# stick: ${MOUNTED:-none}"
# precondition: the stick refuses a chmod to private, as FAT does
if [ -n "$MOUNTED" ]; then
	touch "$S/probe"
	if chmod 600 "$S/probe" 2>/dev/null && [ "$(stat -c %a "$S/probe")" = 600 ]; then
		begin "setup"; why "$MOUNTED keeps modes: nothing to test"; end; finish
	fi
	rm -f "$S/probe"
fi

k() { # k ARGS...: kiosk in the stick's folder; status in RC, output in out/err
	(cd "$S" && "$KIOSK" "$@") >"$T/out" 2>"$T/err" </dev/null
	RC=$?
}
rc0() { [ "$RC" = 0 ] || why "$1: exit $RC ($(short "$T/err"))"; }

if [ -z "$MOUNTED" ]; then
	skip "an event on a USB stick that keeps no modes" \
	    "this kernel mounts no vfat image and bindfs (FUSE) is missing"
else
begin "on the stick: the event made, and a ticket checked in"
k import "$ROOT/tests/data/eventbrite-attendees.csv" --db event.db --tag STICK \
    --timezone Europe/Brussels --event-name "Stick"
rc0 "kiosk import"
k checkin 8184922608941621308297001 --db event.db
rc0 "kiosk checkin"
grep -q ADMITTED "$T/out" || why "checkin said: $(short "$T/out")"
[ "$(sqlite3 "$S/event.db" 'PRAGMA integrity_check' 2>&1)" = ok ] || why "integrity_check fails"
end

begin "on the stick: export, backup, badges, a plot, the PIN in kiosk.conf are written"
for what in "export --out attendance.csv" "export --out attendance.xlsx" \
    "backup copy.db" "badges --out badges.pdf" "stats --plot arrivals.png"; do
	# shellcheck disable=SC2086  # the command's words
	k ${what} --db event.db
	rc0 "kiosk $what"
	out=${what##* }
	[ -s "$S/$out" ] || why "kiosk $what: no $out on the stick"
	left=$(find "$S" -name '*.tmp-*' | head -n 3 | tr '\n' ' ')
	[ -z "$left" ] || why "kiosk $what left a temporary file: $left"
done
[ "$(sqlite3 "$S/copy.db" 'SELECT count(*) FROM guest' 2>&1)" = 40 ] || why "the backup lacks guests"
"$KIOSK" config --defaults >"$S/kiosk.conf" 2>/dev/null
printf '4821\n4821\n' | (cd "$S" && "$KIOSK" pin) >/dev/null 2>"$T/err"
RC=$?
rc0 "kiosk pin"
grep -q '^admin_pin_hash *= *\$argon2id' "$S/kiosk.conf" || why "kiosk pin: no hash in kiosk.conf"
end

begin "kiosk doctor on the stick: the disk keeps no permissions, mount it with umask=077"
k doctor --db event.db
grep -E '^(warn|FAIL) +database +event.db can be read by other users' "$T/out" | grep -qF \
    'keeps no file permissions of its own' ||
    why "doctor's database lines: $(grep -E '^[a-zA-Z]+ +database' "$T/out" | tr '\n' ' ')"
grep -qF 'umask=077' "$T/out" || why "doctor does not say to mount it with umask=077"
grep -q 'chmod 600' "$T/out" && why "doctor still says chmod 600: $(grep 'chmod 600' "$T/out" | head -n 1)"
left=$(find "$S" -name '.kiosk-modes-*' | head -n 3 | tr '\n' ' ')
[ -z "$left" ] || why "doctor left its probe file: $left"
end

begin "kiosk mail on the stick: its password in kiosk.conf, mount it with umask=077"
sed -i 's/^password *=.*/password = s3cret/; s/^smtp *=.*/smtp = smtp:\/\/127.0.0.1:9/' "$S/kiosk.conf"
mkdir -p "$T/dry"
k mail --db event.db --dry-run "$T/dry" --code 8184922608941621308297001
grep -F 'holds the mail password and others can read it' "$T/err" | grep -qF 'umask=077' ||
    why "kiosk mail said: $(short "$T/err")"
grep -q 'chmod 600' "$T/err" && why "kiosk mail still says chmod 600: $(short "$T/err")"
left=$(find "$S" -name '.kiosk-modes-*' | head -n 3 | tr '\n' ' ')
[ -z "$left" ] || why "kiosk mail left its probe file: $left"
end
fi

# --- names a stick refuses ---------------------------------------------------
mkdir -p "$N"
if command -v mkfs.vfat >/dev/null 2>&1 && truncate -s 32M names.img &&
    mkfs.vfat names.img >/dev/null 2>&1 && mount -o loop names.img "$N" 2>/dev/null; then
	NAMED=vfat
elif command -v mkfs.exfat >/dev/null 2>&1 && truncate -s 32M names.img &&
    mkfs.exfat names.img >/dev/null 2>&1; then
	if mount -o loop -t exfat names.img "$N" 2>/dev/null; then
		NAMED=exfat
	elif command -v mount.exfat-fuse >/dev/null 2>&1 && [ -c /dev/fuse ] &&
	    LOOP=$(losetup -f --show names.img 2>/dev/null) &&
	    mount.exfat-fuse "$LOOP" "$N" >/dev/null 2>&1; then
		NAMED=exfat-fuse
	fi
fi
if [ -z "$NAMED" ]; then
	skip "names a USB stick refuses" "this kernel mounts no vfat or exFAT image, and exfat-fuse is missing"
	finish
fi
echo "# names: $NAMED"

kn() { # kn ARGS...: kiosk in the names stick's folder
	(cd "$N" && "$KIOSK" "$@") >"$T/out" 2>"$T/err" </dev/null
	RC=$?
}
refused() { # refused WHAT CHAR: exit 1, the character and the stick named
	[ "$RC" = 1 ] || why "$1: exit $RC, expected 1"
	grep -qF "refuses the character '$2' in a file name (a USB stick" "$T/err" ||
	    why "$1 said: $(short "$T/err")"
}

begin "on a stick: an event name with : or \" is said to be what the disk refuses"
kn import "$ROOT/tests/data/eventbrite-attendees.csv" --db "SMD: Antwerp.db" --tag SMDA \
    --timezone Europe/Brussels
refused "kiosk import --db 'SMD: Antwerp.db'" ":"
kn import "$ROOT/tests/data/eventbrite-attendees.csv" --db 'Ev "SMD".db' --tag SMDA \
    --timezone Europe/Brussels
refused "kiosk import --db 'Ev \"SMD\".db'" '"'
left=$(find "$N" -mindepth 1 | head -n 3 | tr '\n' ' ')
[ -z "$left" ] || why "files left on the stick: $left"
end

begin "on a stick: an export or a backup named with : or ? is said to be what the disk refuses"
# made here and copied there, as a volunteer does (exfat-fuse can neither
# rename without replacing nor link, which a first import needs)
"$KIOSK" import "$ROOT/tests/data/eventbrite-attendees.csv" --db names.db --tag SMDA \
    --timezone Europe/Brussels >/dev/null 2>&1 && cp names.db "$N/event.db" ||
    why "could not make the event and copy it to the stick"
kn export --db event.db --out "attendance 15:30.csv"
refused "kiosk export --out 'attendance 15:30.csv'" ":"
kn backup --db event.db "copy?.db"
refused "kiosk backup 'copy?.db'" "?"
kn export --db event.db --out "attendance 15h30.csv"
[ "$RC" = 0 ] && [ -s "$N/attendance 15h30.csv" ] || why "a name the stick takes: exit $RC ($(short "$T/err"))"
end

finish
