#!/usr/bin/env bash
# Busy tests: the organiser's commands run on an event a door is using, as on
# the day. A read must never keep the door's WAL from starting over, and a
# command stopped half-way leaves nothing beside the file it was writing.
#
#   KIOSK=/abs/kiosk ./tests/integration/busy.sh
#
# Prints "ok - NAME" or "not ok - NAME: REASON" per test and, last,
# "busy: N passed, M failed"; exits 1 when M > 0.
# Needs: bash, coreutils, sqlite3. Runs in about 15 s.
set -u
SUITE="busy"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

need_tools sqlite3 timeout
[ -x "$KIOSK" ] || { notok binary "$KIOSK is not an executable (run make kiosk)"; finish; }

if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TBASE=/dev/shm
else
	TBASE=${TMPDIR:-/tmp}
fi
T=$(mktemp -d "$TBASE/kiosk-busy.XXXXXX") || exit 1
PIDS=""
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

# guests_csv FILE N: a guest list of N people, last names L00001...
guests_csv() {
	local i
	{
		echo "First Name,Last Name,Email,Company"
		for ((i = 1; i <= $2; i++)); do
			printf 'Guest%d,L%05d,g%d@example.org,Company %d\n' "$i" "$i" "$i" "$((i % 50))"
		done
	} >"$1"
}

guests_csv "$T/guests.csv" 3000
kq import "$T/guests.csv" --db "$T/event.db" --event-name "Busy" --tag BZ26 \
    --timezone Europe/Brussels || { notok setup "the import failed"; finish; }

# An organiser reads the list through a pager (kiosk guests | less, kiosk
# export | less) or pauses the terminal (Ctrl-S) while a door goes on
# scanning: the read's snapshot must not outlive the reading of the event,
# or every check-in from then on stays in the door's -wal (no checkpoint can
# copy it back), which then grows for as long as the pager stays open.
# The door's own checkpoints are PASSIVE, as this one: the third figure of
# PRAGMA wal_checkpoint is what one could copy back.
for cmd in "guests" "guests --format csv" "export" "export --format json"; do
	begin "kiosk $cmd into an unread pipe does not pin the door's WAL"
	rm -f "$T/event.db-wal" "$T/event.db-shm"
	# shellcheck disable=SC2086
	{ "$KIOSK" $cmd --db "$T/event.db" 2>/dev/null | sleep 4; } &
	P=$!
	PIDS="$PIDS $P"
	sleep 1 # it has read the event and is blocked writing its output
	for n in 00011 00012 00013; do
		kq checkin "$(code_of "$T/event.db" "L$n")" --db "$T/event.db" --kiosk "Door 1"
	done
	ck=$(sqlite3 "$T/event.db" "PRAGMA wal_checkpoint(PASSIVE)" 2>&1)
	IFS='|' read -r busy log done <<<"$ck"
	if [ "${log:-0}" -le 0 ]; then
		why "no check-in went into the WAL (wal_checkpoint: $ck)"
	elif [ "$done" != "$log" ]; then
		why "while kiosk $cmd waited on its reader, a checkpoint copied $done of the WAL's $log frames back (busy $busy): its read snapshot, held while it writes, keeps the door's WAL from starting over"
	fi
	wait "$P" 2>/dev/null
	forget "$P"
	[ "$(sqlite3 "$T/event.db" "SELECT count(*) FROM checkin" 2>/dev/null)" = 3 ] ||
	    why "the three check-ins are not all in the event"
	sqlite3 "$T/event.db" "DELETE FROM checkin; DELETE FROM scan" 2>/dev/null
	end
done

# A backup stopped with Ctrl-C (or systemctl stop) leaves no file of its
# own: its temporary copy is removed, and so must be the rollback journal
# SQLite keeps beside that copy while VACUUM INTO writes it.
begin "kiosk backup stopped half-way leaves no file beside its target"
mkdir -p "$T/stick"
for d in 0.02 0.03 0.04 0.05 0.06 0.08 0.1; do
	timeout -s INT "$d" "$KIOSK" backup "$T/stick/copy-$d.db" --db "$T/event.db" \
	    >/dev/null 2>&1 </dev/null
done
left=$(cd "$T/stick" && ls | grep -F '.tmp-' | head -3 | tr '\n' ' ')
[ -z "$left" ] || why "left beside the backups: $left"
end

finish
