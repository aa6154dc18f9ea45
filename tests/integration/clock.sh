#!/usr/bin/env bash
# Venue clocks (QA): wrong and jumping wall clocks at doors and at the hub,
# with libfaketime. Each test is what a user would notice.
#
#   KIOSK=/abs/kiosk ./tests/integration/clock.sh
#
# Needs: bash, jq, sqlite3, faketime, curl.
set -u
SUITE="clock"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

need_tools jq sqlite3 faketime curl
T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-clock.XXXXXX") || exit 1
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
# NTP, staff and a dead battery move the wall clock only, never the boot clock.
export FAKETIME_DONT_FAKE_MONOTONIC=1
# libfaketime is preloaded before the ASan build's runtime: let it be.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
LIBFT=$(find /usr/lib -name libfaketime.so.1 2>/dev/null | head -n 1)

{
	echo "First Name,Last Name,Email"
	for i in $(seq 1 20); do printf 'Guest%d,L%05d,g%d@example.org\n' "$i" "$i" "$i"; done
} >guests.csv
kq import guests.csv --db ev.db --event-name "Clock Test" --timezone Europe/Brussels --tag CT26 ||
    { notok setup "import failed"; finish; }
result() { jq -r .result; }

# --- a standalone door whose clock NTP sets back between entry and exit ---
begin "re-entry after the door's clock was set back 2 h: admitted, not 'already checked in'"
mkdir re && cp ev.db re/ev.db
"$KIOSK" config --defaults >re/entry.conf 2>/dev/null
sed -i 's/^database = .*/database = ev.db/; s/^reentry = no/reentry = yes/' re/entry.conf
sed 's/^mode = entry/mode = exit/' re/entry.conf >re/exit.conf
C=$(code_of re/ev.db L00001)
r=$(faketime '2026-10-24 20:00:00' "$KIOSK" checkin "$C" --config re/entry.conf --json | result)
[ "$r" = admitted ] || why "entry on the fast clock: $r"
r=$(faketime '2026-10-24 18:30:00' "$KIOSK" checkin "$C" --config re/exit.conf --json | result)
[ "$r" = exited ] || why "exit after the correction: $r"
r=$(faketime '2026-10-24 19:00:00' "$KIOSK" checkin "$C" --config re/entry.conf --json | result)
[ "$r" = admitted ] || why "back in after the exit: $r (a wrong red at the door)"
end

# --- a kiosk booted at 2000-01-01 (dead clock battery) ---------------------
begin "doctor at 2000-01-01 00:05 on an event made in 2026: the clock is not ok"
cp ev.db dead.db
faketime '2000-01-01 00:05:00' "$KIOSK" doctor --db dead.db --quick >out 2>&1
grep -Eq '^(warn|FAIL) +clock' out || why "doctor says nothing of the clock: $(short out 400)"
end

# --- a hub booted at 2000-01-01 --------------------------------------------
start_hub() { # start_hub DB CLOCKFILE: HUB_PID, HUB_PORT
	: >hub.out
	LD_PRELOAD=$LIBFT FAKETIME_TIMESTAMP_FILE=$2 FAKETIME_NO_CACHE=1 \
	    "$KIOSK" hub --db "$1" --listen 127.0.0.1:0 >hub.out 2>>hub.err </dev/null &
	HUB_PID=$!
	PIDS="$PIDS $HUB_PID"
	for _ in $(seq 200); do
		HUB_PORT=$(grep -m1 'kiosk hub: serving' hub.out 2>/dev/null | sed 's/.*://')
		[ -n "$HUB_PORT" ] && return 0
		sleep 0.05
	done
	return 1
}
mkdir hub && cp ev.db hub/hub.db
TOK=$("$KIOSK" hub token add "Door B" --db hub/hub.db 2>/dev/null </dev/null | tail -1)
echo "+0" >hub/clock.rc
begin "a door with the right clock does not follow a hub booted at 2000-01-01"
if start_hub hub/hub.db "$T/hub/clock.rc"; then
	mkdir B
	kq join "http://127.0.0.1:$HUB_PORT" "$TOK" --name "Door B" --config B/kiosk.conf --db B/k.db ||
	    why "join failed"
	kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null; forget "$HUB_PID"
	echo "@2000-01-01 00:05:00" >hub/clock.rc
	start_hub hub/hub.db "$T/hub/clock.rc" || why "the hub did not start again"
	sed -i "s|^hub = .*|hub = http://127.0.0.1:$HUB_PORT|" B/kiosk.conf
	kq sync --config B/kiosk.conf
	# No answer of that hub gives a time: its pull pages neither (they gave
	# the event's latest time plus the hub's uptime, which the doors took).
	# Here the latest is seconds old, so a door's check-in time alone
	# cannot tell; a hub restarted the next morning would put the doors
	# back to the previous evening.
	EV=$(sqlite3 hub/hub.db "SELECT uuid FROM event")
	n=$(curl -s --max-time 10 -H "Authorization: Bearer $TOK" -H 'Kiosk-Protocol: 1' \
	    -H "Kiosk-Event: $EV" "http://127.0.0.1:$HUB_PORT/v1/pull?guests=0&checkins=0&limit=5" |
	    jq -r .now)
	[ "$n" = null ] || why "a pull page of the hub at 2000-01-01 says now = $n"
	"$KIOSK" sync --config B/kiosk.conf >out 2>&1
	grep -q "hub's clock is not set" out || why "kiosk sync does not say the hub's clock is not set: $(short out 400)"
	"$KIOSK" sync --config B/kiosk.conf --json 2>/dev/null | jq -e '.hub_clock_lost == true' >/dev/null ||
	    why "kiosk sync --json has no hub_clock_lost"
	at=$("$KIOSK" checkin "$(code_of B/k.db L00002)" --config B/kiosk.conf --json | jq -r .at)
	case $at in 2000-*) why "door B's check-in is stamped $at" ;; esac
	"$KIOSK" doctor --config B/kiosk.conf >out 2>&1
	grep -q 'this computer is +9[0-9]* days off the hub' out &&
	    why "door B's doctor tells its right clock to be fixed: $(grep 'off the hub' out)"
else
	why "the hub did not start: $(short hub.err)"
fi
end

# --- a door restarted with its clock set right while it was off -----------
begin "a door restarted after NTP set its clock right records the right time, or doctor says so"
if [ -n "${HUB_PID:-}" ]; then
	echo "+0" >hub/clock.rc
	TOKC=$("$KIOSK" hub token add "Door C" --db hub/hub.db 2>/dev/null </dev/null | tail -1)
	mkdir C
	faketime -f '-2h' "$KIOSK" join "http://127.0.0.1:$HUB_PORT" "$TOKC" --name "Door C" \
	    --config C/kiosk.conf --db C/k.db >/dev/null 2>&1 || why "join failed"
	# the laptop restarts (another boot id) with its clock set right
	sqlite3 C/k.db "UPDATE sync_state SET value = 12345 WHERE key = 'clock_boot_id'"
	before=$(date +%s)
	at=$("$KIOSK" checkin "$(code_of C/k.db L00003)" --config C/kiosk.conf --json | jq -r .at)
	ms=$(sqlite3 C/k.db "SELECT max(at) FROM checkin")
	ahead=$((ms / 1000 - before))
	"$KIOSK" doctor --config C/kiosk.conf >out 2>&1
	if [ "$ahead" -gt 600 ] && ! grep -Eq '^(warn|FAIL) +clock' out; then
		why "check-in stamped $at, $ahead s ahead, and doctor says: $(grep -E '^ok +clock' out)"
	fi
fi
end

# --- a two-day conference over the night summer time ends -----------------
# Day tickets ([checkin] ticket_days): a Day 2 ticket on day 1 hears it is for
# another day (it heard "not admitted at this entrance", admit_types being the
# only way, and went looking for another door); the day turns at midnight,
# Brussels time, the night the clocks go back; a combi gets in both days.
begin "day tickets over a two-day event: another day's ticket is told its day, not another door"
mkdir days
{
	echo "First Name,Last Name,Email,Ticket Type"
	echo "One,D1,d1@example.org,Day 1"
	echo "Two,D2,d2@example.org,Day 2"
	echo "Both,DC,dc@example.org,Combi"
} >days/guests.csv
kq import days/guests.csv --db days/ev.db --event-name "Two Days" --timezone Europe/Brussels --tag TD26 ||
    why "import failed"
"$KIOSK" config --defaults >days/main.conf 2>/dev/null
sed -i 's/^database = .*/database = ev.db/; s/^each_day = no/each_day = yes/;
    s/^ticket_days =.*/ticket_days = Day 1: 2026-10-24, Day 2: 2026-10-25/' days/main.conf
at() { date -u -d "TZ=\"Europe/Brussels\" $1" +'%F %T'; } # a Brussels time, as UTC for faketime
dk() { TZ=UTC faketime "$(at "$1")" "$KIOSK" checkin "$(code_of days/ev.db "$2")" \
    --config days/main.conf --json 2>/dev/null; }
r=$(dk '2026-10-24 09:00' D2)
[ "$(jq -r .result <<<"$r")" = wrong_day ] || why "Day 2 on day 1: $(jq -r .result <<<"$r")"
[ "$(jq -r .detail <<<"$r")" = 2026-10-25 ] || why "Day 2 on day 1 names no day: $r"
[ "$(jq -r .message <<<"$r")" = "This ticket is for another day." ] || why "words: $r"
out=$(TZ=UTC faketime "$(at '2026-10-24 09:00')" "$KIOSK" checkin "$(code_of days/ev.db D2)" \
    --config days/main.conf 2>/dev/null)
case $out in *"Valid on 2026-10-25"*) ;; *) why "kiosk checkin says: $out" ;; esac
[ "$(dk '2026-10-24 09:01' D1 | jq -r .result)" = admitted ] || why "Day 1 on day 1"
[ "$(dk '2026-10-24 09:02' DC | jq -r .result)" = admitted ] || why "Combi on day 1"
[ "$(dk '2026-10-24 23:59' D1 | jq -r .result)" = already_checked_in ] || why "Day 1 at 23:59"
# 00:30 on the 25th is +02:00 still; 02:30 comes twice
[ "$(dk '2026-10-25 00:30' D1 | jq -r .result)" = wrong_day ] || why "Day 1 after midnight"
[ "$(dk '2026-10-25 02:30' D2 | jq -r .result)" = admitted ] || why "Day 2 in the night the clocks go back"
[ "$(dk '2026-10-25 09:00' DC | jq -r .result)" = admitted ] || why "Combi on day 2"
[ "$(dk '2026-10-25 09:05' DC | jq -r .result)" = already_checked_in ] || why "Combi twice on day 2"
n=$(sqlite3 days/ev.db "SELECT count(*) FROM checkin WHERE kind = 'in'")
[ "$n" = 4 ] || why "$n admissions recorded, want 4"
days=$(TZ=UTC faketime "$(at '2026-10-25 19:00')" "$KIOSK" export --config days/main.conf \
    --format csv 2>/dev/null | tr -d "\r" | awk -F, '$2 == "DC" { print $NF }')
[ "$days" = 2 ] || why "the combi's days_attended: $days"
end

# The hours of every day (open_from = 08:30, open_until = 18:00): a window
# from day 1's opening to day 2's closing, the only way before, left the
# door open all night and at 07:00 on day 2.
begin "the hours of every day of a two-day event: closed at night, opens at 08:30 on day 2"
sed 's/^open_from =.*/open_from = 08:30/; s/^open_until =.*/open_until = 18:00/' days/main.conf \
    >days/hours.conf
hk() { TZ=UTC faketime "$(at "$1")" "$KIOSK" checkin "$(code_of days/ev.db "$2")" \
    --config days/hours.conf --json 2>/dev/null; }
"$KIOSK" config --check --config days/hours.conf >/dev/null 2>&1 || why "08:30 and 18:00 refused"
[ "$(hk '2026-10-24 18:00' D2 | jq -r .result)" = wrong_day ] || why "Day 2 on day 1 at 18:00"
[ "$(hk '2026-10-24 20:00' DC | jq -r .result)" = too_late ] || why "combi at 20:00 on day 1"
r=$(hk '2026-10-25 07:00' D2)
[ "$(jq -r .result <<<"$r")" = too_early ] || why "Day 2 at 07:00: $(jq -r .result <<<"$r")"
[ "$(jq -r .opens_at <<<"$r")" = 2026-10-25T08:30:00+01:00 ] || why "opens_at: $r"
"$KIOSK" doctor --config days/hours.conf --quick 2>/dev/null |
    grep -q 'check-in open every day from 08:30 until 18:00' || why "doctor does not say the hours"
end

finish
