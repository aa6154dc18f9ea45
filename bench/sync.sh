#!/bin/sh
# sync.sh OUT BENCH_CORE: the sync figures of `make bench`, as "key value"
# lines in OUT/sync.txt (bench/run.sh lays them out in its table).
#
# A real hub and real kiosks on loopback (one machine, so CPU is shared):
#  1. four kiosks join a hub with SYNC_GUESTS guests, each records
#     SYNC_CHECKINS check-ins of its own while none syncs (offline), then all
#     four sync at once, in rounds until every node holds the same
#     check-ins (a second round brings a kiosk the check-ins others pushed
#     after its own pull ended): that time, the rounds, requests, bytes;
#  2. twenty kiosks (copies of a joined one, each with its own token) record
#     SYNC_SMALL check-ins each and sync at once: the hub's throughput.
#  3. a door app (Door 1) scans while its sync takes in what those pushed
#     and a re-import on the hub that changed every guest: scan to screen.
# Equality is checked, not assumed: a node that differs is reported.
set -eu

OUT=${1:?usage: bench/sync.sh OUT BENCH_CORE}
BENCH=${2:?usage: bench/sync.sh OUT BENCH_CORE}
KIOSK=${KIOSK:-./kiosk}
PER=${SYNC_CHECKINS:-10000}
SMALL=${SYNC_SMALL:-1000}
S=$(cd "$OUT" && pwd)/sync
R=$OUT/sync.txt
rm -rf "$S"
mkdir -p "$S"
: >"$R"
HUB_PID=""
trap '[ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null; true' EXIT

say() { printf 'bench: %s\n' "$*" >&2; }
put() { echo "$1 $2" >>"$R"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# sum KEY FILES...: add up an integer field of kiosk sync --json reports.
sum() { k=$1; shift; cat "$@" | jq -s "map($k) | add"; }

GUESTS=$((4 * PER + 20 * SMALL))
say "sync: a hub with $GUESTS guests"
"$BENCH" gen "$GUESTS" "$S/guests.csv" 21 >/dev/null
"$KIOSK" import "$S/guests.csv" --db "$S/hub.db" --event-name "Sync Bench" --timezone UTC \
    --tag SB26 >/dev/null
sqlite3 "$S/hub.db" "SELECT code FROM guest ORDER BY id" >"$S/codes"

"$KIOSK" hub --db "$S/hub.db" --listen 127.0.0.1:0 >"$S/hub.out" 2>"$S/hub.err" &
HUB_PID=$!
i=0
until grep -q 'serving' "$S/hub.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { say "the hub did not start: $(cat "$S/hub.err")"; exit 1; }
	sleep 0.1
done
PORT=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$S/hub.out" | head -n 1)
URL=http://127.0.0.1:$PORT

# kiosk N NAME: join a kiosk in S/kN.
join_kiosk() {
	mkdir -p "$S/k$1"
	tok=$("$KIOSK" hub token add "$2" --db "$S/hub.db" 2>/dev/null | tail -n 1)
	"$KIOSK" join "$URL" "$tok" --config "$S/k$1/kiosk.conf" --db "$S/k$1/k.db" >/dev/null
}

say "sync: four kiosks join (each pulls the whole list)"
t0=$(ms)
# pids: wait for these only (a bare wait would wait for the hub too)
pids=""
for n in 1 2 3 4; do join_kiosk $n "Door $n" & pids="$pids $!"; done
wait $pids
put join4_ms $(( $(ms) - t0 ))

say "sync: $PER offline check-ins at each kiosk"
for n in 1 2 3 4; do
	sed -n "$(( (n - 1) * PER + 1 )),$(( n * PER ))p" "$S/codes" >"$S/k$n.codes"
	"$KIOSK" scan --config "$S/k$n/kiosk.conf" <"$S/k$n.codes" >/dev/null &
	pids="$pids $!"
done
wait $pids

# nodes_equal: do all four kiosks hold the hub's check-ins (uuids)?
nodes_equal() {
	want=$(sqlite3 "$S/hub.db" "SELECT uuid FROM checkin ORDER BY uuid" | md5sum)
	for n in 1 2 3 4; do
		have=$(sqlite3 "$S/k$n/k.db" "SELECT uuid FROM checkin ORDER BY uuid" | md5sum)
		[ "$have" = "$want" ] || return 1
	done
}

say "sync: all four sync at once, in rounds until every node is equal"
# A round pushes, then pulls to the end; a kiosk whose pull ended before
# another pushed needs a second round. Nothing runs between rounds, so the
# clock stops when a round leaves the nodes equal (checked, at most 3).
elapsed=0
rounds=0
equal=no
while [ $rounds -lt 3 ] && [ $equal = no ]; do
	rounds=$((rounds + 1))
	t0=$(ms)
	pids=""
	for n in 1 2 3 4; do
		"$KIOSK" sync --json --config "$S/k$n/kiosk.conf" >"$S/r$rounds-$n.json" &
		pids="$pids $!"
	done
	wait $pids
	elapsed=$((elapsed + $(ms) - t0))
	if nodes_equal; then equal=yes; fi
done
put sync4_ms $elapsed
put sync4_rounds $rounds
put sync4_equal $equal
put sync4_hub_checkins "$(sqlite3 "$S/hub.db" 'SELECT count(*) FROM checkin')"
files=$(ls "$S"/r?-?.json)
put sync4_requests "$(sum .requests $files)"
put sync4_bytes "$(( $(sum .bytes_sent $files) + $(sum .bytes_received $files) ))"
put sync4_moved "$(( $(sum .pushed.checkins $files) + $(sum .pulled.checkins $files) ))"

# The twenty start as copies of Door 1 after that sync (so they pull only
# what the twenty add).
sqlite3 "$S/k1/k.db" "VACUUM INTO '$S/template.db'"
cp "$S/k1/kiosk.conf" "$S/template.conf"

say "sync: twenty kiosks with $SMALL check-ins each sync at once"
for n in $(seq 1 20); do
	d=$S/s$n
	mkdir -p "$d"
	cp "$S/template.db" "$d/k.db"
	tok=$("$KIOSK" hub token add "Gate $n" --db "$S/hub.db" 2>/dev/null | tail -n 1)
	sed -e "s|^token = .*|token = $tok|" -e "s|^name = Door 1|name = Gate $n|" \
	    -e "s|^database = .*|database = $d/k.db|" "$S/template.conf" >"$d/kiosk.conf"
	sed -n "$(( 4 * PER + (n - 1) * SMALL + 1 )),$(( 4 * PER + n * SMALL ))p" "$S/codes" |
	    "$KIOSK" scan --config "$d/kiosk.conf" >/dev/null
done
before=$(sqlite3 "$S/hub.db" 'SELECT count(*) FROM checkin')
t0=$(ms)
pids=""
for n in $(seq 1 20); do
	"$KIOSK" sync --json --config "$S/s$n/kiosk.conf" >"$S/s$n.json" &
	pids="$pids $!"
done
wait $pids
put hub20_ms $(( $(ms) - t0 ))
put hub20_stored $(( $(sqlite3 "$S/hub.db" 'SELECT count(*) FROM checkin') - before ))
put hub20_requests "$(sum .requests "$S"/s*.json)"
put hub20_pulled "$(sum .pulled.checkins "$S"/s*.json)"

# 3. A door app scans while its own sync takes in what the twenty pushed and
#    then the whole list changed on the hub (every guest's e-mail: a
#    re-import mid-event): scan to result on screen during those pulls. The
#    door's scans go before its sync's transactions (store_set_first).
say "sync: a door scans while its sync takes in $GUESTS changed guests"
sed 's/@example\.org,/@example.net,/' "$S/guests.csv" >"$S/guests2.csv"
( sleep 2; "$KIOSK" import "$S/guests2.csv" --db "$S/hub.db" >/dev/null 2>&1 ) &
imp=$!
SDL_VIDEODRIVER=offscreen timeout 300 "$KIOSK" run --config "$S/k1/kiosk.conf" --size 1280x720 \
    --bench-codes "$S/k1.codes" --timings "$S/door.txt" >/dev/null 2>&1 || true
wait $imp || true
door() { sed -n "s/^$1 \(.*\)/\1/p" "$S/door.txt" 2>/dev/null | head -n 1; }
put door_sync_scans "$(door scans)"
put door_sync_p50_ms "$(door scan_to_frame_p50_ms)"
put door_sync_p99_ms "$(door scan_to_frame_p99_ms)"
put door_sync_p999_ms "$(door scan_to_frame_p999_ms)"
# how much of the change the door took in while it scanned
put door_sync_changed "$(sqlite3 "$S/k1/k.db" "SELECT count(*) FROM guest WHERE email LIKE '%@example.net'")"
kill "$HUB_PID"
wait "$HUB_PID" 2>/dev/null || true
HUB_PID=""
