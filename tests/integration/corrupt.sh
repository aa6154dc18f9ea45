#!/usr/bin/env bash
# Damaged and foreign database files: every command that opens the event
# database must refuse them with a clear message naming the file and a
# non-zero exit, and leave the file as it was: the same bytes (sha256) and no
# -wal, -shm or -journal left beside it (the files start without them).
#
# The files, made from a real event (3,000 guests, 500 check-ins, WAL mode,
# closed cleanly):
#   truncated  the first half of it and 1,000 bytes (a copy cut short)
#   garbage    8 pages of text written over the middle of its guest table
#              (a bad disk)
#   text       a text file named event.db
#   newer      the event with user_version 99 (a newer kiosk's schema)
#   foreign    a SQLite database of another program (application_id 0, tables)
# The commands: guests, checkin, scan, run (SDL's offscreen driver), export, backup
# (into a file beside it: the damage is the event's, not the copy's), import
# (of a list with a new guest, so a success would write), hub (on a free
# loopback port; a hub that serves is stopped after 5 s, and fails the test).
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/corrupt.sh
#
# Garbage in pages a command never reads is found by PRAGMA quick_check:
# writers run it when they open the file, the doors (scan, run) on their
# checkpoint thread before their first write.
# Prints "ok - NAME" / "not ok - NAME: REASON" and, last,
# "corrupt: N passed, M failed"; exits 1 when M > 0.
# Needs: bash, coreutils, sqlite3, timeout.
set -u
SUITE="corrupt"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"


need_tools --bare sqlite3 timeout sha256sum
[ -x "$KIOSK" ] || { begin binary; why "$KIOSK is not an executable (run make kiosk)"; end; finish; }

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-corrupt.XXXXXX") || exit 1
PIDS=""
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

# --- the real event ----------------------------------------------------------
awk 'BEGIN {
	print "First Name,Last Name,Email,Barcode #"
	for (i = 1; i <= 3000; i++) printf "Guest%d,Corrupt%d,g%d@example.org,66%014d\n", i, i, i, i
}' >guests.csv
{ head -n 1 guests.csv; echo "New,Guest,new@example.org,6699999999999999"; } >more.csv
CODE=6600000000003000   # the last guest, not checked in: a check-in would write
begin "setup: a real event (3,000 guests, 500 check-ins), closed cleanly"
"$KIOSK" import guests.csv --db base.db --tag CORR --timezone UTC >setup.log 2>&1 ||
    why "import: $(short setup.log)"
seq -f '66%014g' 1 500 | "$KIOSK" scan --db base.db --kiosk door >scan.log 2>&1 ||
    why "scan: $(short scan.log)"
[ "$(sqlite3 base.db "SELECT count(*) FROM checkin")" = 500 ] || why "not 500 check-ins"
[ "$(sqlite3 base.db 'PRAGMA journal_mode')" = wal ] || why "not a WAL database"
[ ! -e base.db-wal ] && [ ! -e base.db-shm ] || why "a -wal or -shm is left beside base.db"
end
[ -z "$WHY" ] || finish
SIZE=$(stat -c %s base.db)
# The garbage goes over 8 leaf pages from the middle of the guest table:
# `kiosk guests` reads them all; a check-in of $CODE, the last guest, does
# not. (Without sqlite3's dbstat table: 8 pages from the middle of the file.)
GARBAGE_PAGES=$(sqlite3 base.db "SELECT pageno FROM dbstat WHERE name = 'guest'
    AND pagetype = 'leaf' ORDER BY path" 2>/dev/null | awk '{ p[NR] = $1 }
    END { for (i = int(NR / 2) - 3; i <= int(NR / 2) + 4; i++) if (i >= 1) print p[i] }')
[ -n "$GARBAGE_PAGES" ] || GARBAGE_PAGES=$(seq $((SIZE / 8192)) $((SIZE / 8192 + 7)))

# make KIND DIR: DIR/event.db of that kind, alone in DIR
make_file() {
	local kind=$1 dir=$2 f=$2/event.db
	rm -rf "$dir"
	mkdir -p "$dir"
	case $kind in
	truncated) head -c $((SIZE / 2 + 1000)) base.db >"$f" ;;
	garbage)
		cp base.db "$f"
		for p in $GARBAGE_PAGES; do
			yes 'garbage from a bad disk' | head -c 4096 |
			    dd of="$f" bs=4096 seek=$((p - 1)) conv=notrunc 2>/dev/null
		done ;;
	text) printf 'Guest list\nZoe Celik, 8184922608941621308297001\n' >"$f" ;;
	newer)
		cp base.db "$f"
		sqlite3 "$f" 'PRAGMA user_version = 99' >/dev/null ;;
	foreign)
		sqlite3 "$f" "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT);
		    CREATE TABLE tag (note INTEGER, name TEXT);
		    INSERT INTO note (body) VALUES ('shopping'), ('call Ann');
		    INSERT INTO tag VALUES (1, 'home');" >/dev/null ;;
	esac
}
# what the message must say, per kind
phrase() {
	case $1 in
	truncated|garbage) echo "damaged" ;;
	text) echo "not a kiosk event database" ;;
	newer) echo "newer kiosk" ;;
	foreign) echo "another program" ;;
	esac
}

# run_cmd CMD DB: run one command on DB; stdout, stderr in $T/out, $T/err;
# status in $RC.
run_cmd() {
	local db=$2
	case $1 in
	guests) "$KIOSK" guests --db "$db" </dev/null ;;
	checkin) "$KIOSK" checkin "$CODE" --db "$db" </dev/null ;;
	scan) printf '%s\n' "$CODE" | "$KIOSK" scan --db "$db" ;;
	run) SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout -s KILL 30 \
		"$KIOSK" run --db "$db" --windowed --exit-after 3000 </dev/null ;;
	import) "$KIOSK" import more.csv --db "$db" </dev/null ;;
	export) "$KIOSK" export --db "$db" </dev/null ;;
	backup) "$KIOSK" backup "$db-copy.db" --db "$db" </dev/null ;;
	hub) timeout 5 "$KIOSK" hub --db "$db" --listen 127.0.0.1:0 </dev/null ;;
	esac >"$T/out" 2>"$T/err"
}

for kind in truncated garbage text newer foreign; do
	for cmd in guests checkin scan run import export backup hub; do
		dir=$T/$kind-$cmd
		make_file "$kind" "$dir"
		db=$dir/event.db
		before=$(sha256sum <"$db")
		files=$(ls "$dir")
		begin "$kind file: kiosk $cmd refuses it, names the file, leaves it as it was"
		{ run_cmd "$cmd" "$db"; } 2>/dev/null
		RC=$?
		case $RC in
		0) why "exit 0 (stdout: $(short "$T/out"))" ;;
		124) why "it ran (stopped by timeout after 5 s)" ;;
		1) ;;
		*) [ "$RC" -ge 128 ] && why "crashed (exit $RC)" || why "exit $RC, expected 1" ;;
		esac
		if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/err"; then
			why "sanitizer report: $(sanitizer_summary "$T/err")"
		fi
		if [ -z "$WHY" ]; then
			grep -q "^kiosk: $cmd: " "$T/err" || why "no 'kiosk: $cmd: ' message (stderr: $(short "$T/err"))"
			grep -qF -- "$db" "$T/err" || why "the message does not name $db (stderr: $(short "$T/err"))"
			grep -qF -- "$(phrase "$kind")" "$T/err" ||
			    why "the message does not say '$(phrase "$kind")' (stderr: $(short "$T/err"))"
			# the damage, not a write that did not fail
			grep -q "cannot write" "$T/err" && why "a false 'cannot write' (stderr: $(short "$T/err"))"
			# damage: what to do, in words of the organiser's, not SQLite's
			if [ "$kind" = truncated ] || [ "$kind" = garbage ]; then
				grep -q "move it aside" "$T/err" ||
				    why "no next step (stderr: $(short "$T/err"))"
				grep -qE '\*\*\*|btree|malformed|error code' "$T/err" &&
				    why "SQLite's own words (stderr: $(short "$T/err"))"
			fi
		fi
		[ "$before" = "$(sha256sum <"$db")" ] || why "the file changed"
		[ "$files" = "$(ls "$dir")" ] || why "files beside it changed: $(ls "$dir" | tr '\n' ' ')"
		end
	done
done

finish
