#!/usr/bin/env bash
# Upgrade tests: event databases made by older kiosks (tests/data/upgrade-*.db,
# each made by the commit in its name: an import of eventbrite-attendees.csv,
# a walk-in "Wally Walker", Léa Çelik and the walk-in checked in at "Old
# Door", Pieter-Jan de Vries checked in and undone) opened by this kiosk, as
# an organiser who upgrades between events or mid-season does: the check-ins
# are all there, and the event takes new walk-ins, imports and syncs.
#
#   KIOSK=/abs/kiosk ./tests/integration/upgrade.sh
#
# Needs: bash, coreutils, sqlite3, curl.
set -u
SUITE="upgrade"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

need_tools sqlite3 curl
[ -x "$KIOSK" ] || { notok binary "$KIOSK is not an executable (run make kiosk)"; finish; }
T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-upgrade.XXXXXX") || exit 1
PIDS=""
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

LEA=8184922608941621308297001
PJ=9430684960243480538242001

# NEW: a one-row Eventbrite list of a guest not on the fixture's list.
head -1 "$ROOT/tests/data/eventbrite-attendees.csv" > new.csv
echo '1,2026-06-02 10:00:00+02:00,Nina,Newcomer,nina@example.org,1,Regular,9999,1111222233334444555566667,Attending,,' >> new.csv

# start_hub DB LOG: a hub on DB on a free port; sets hp (its pid) and url
# ("" when it did not start within 5 s).
start_hub() {
	"$KIOSK" hub --db "$1" --listen 127.0.0.1:0 > "$2" 2>&1 &
	hp=$!; PIDS="$PIDS $hp"
	url=""
	for _ in $(seq 50); do
		url=$(grep -o 'http://127.0.0.1:[0-9]*' "$2" | head -1)
		[ -n "$url" ] && break
		sleep 0.1
	done
}

for fx in "$ROOT"/tests/data/upgrade-*.db; do
	base=$(basename "$fx" .db)
	db=$T/$base.db
	cp "$fx" "$db"
	WALKIN=$(sqlite3 "$db" "SELECT code FROM guest WHERE source = 'walkin'")

	begin "$base: the check-ins made by the old kiosk are there"
	"$KIOSK" doctor --db "$db" > out 2> "$T/err" || why "doctor failed: $(short "$T/err")"
	"$KIOSK" checkin "$LEA" --db "$db" --kiosk "New Door" > out 2> "$T/err"
	[ $? -eq 3 ] || why "Léa not refused as already checked in: $(short out)"
	grep -q "ALREADY CHECKED IN: .*at Old Door" out || why "no when and where: $(short out)"
	"$KIOSK" checkin "$WALKIN" --db "$db" > out 2> "$T/err"
	[ $? -eq 3 ] || why "the old walk-in not already checked in: $(short out)"
	"$KIOSK" checkin "$PJ" --db "$db" > out 2> "$T/err" || why "an undone check-in still counts: $(short out)"
	end

	begin "$base: search finds a guest after the upgrade"
	"$KIOSK" guests --db "$db" --search zoe > out 2> "$T/err" || why "guests --search failed: $(short "$T/err")"
	grep -q "Zoë" out || why "no Zoë found: $(short out)"
	end

	begin "$base: a walk-in can be registered after the upgrade"
	"$KIOSK" add --first Nora --last Late --email nora@example.org --db "$db" > out 2> "$T/err" ||
		why "kiosk add failed: $(short "$T/err")"
	end

	begin "$base: an import adds a new guest after the upgrade"
	"$KIOSK" import new.csv --db "$db" > out 2> "$T/err" || why "import failed: $(short "$T/err")"
	grep -q "added 1" out || why "not added: $(short out)"
	"$KIOSK" import "$ROOT/tests/data/eventbrite-attendees.csv" --db "$db" > out 2> "$T/err" ||
		why "re-import of the same list failed: $(short "$T/err")"
	grep -q "added 0" out || why "re-import added guests: $(short out)"
	end
done

# A hub whose database an old kiosk made: after the upgrade, a door's
# walk-in and check-in reach it.
fx=$ROOT/tests/data/upgrade-schema2-bdf17ba.db
if [ -f "$fx" ]; then
	begin "upgrade-schema2-bdf17ba: a current hub on it takes a door's walk-in"
	mkdir -p hub door
	cp "$fx" hub/hub.db
	tok=$("$KIOSK" hub token add "Door 9" --db hub/hub.db 2> "$T/err" | tail -1 | grep -o 'kt1_[A-Za-z0-9_-]*')
	[ -n "$tok" ] || why "no token: $(short "$T/err")"
	start_hub hub/hub.db hub/log
	[ -n "$url" ] || why "the hub did not start: $(short hub/log)"
	echo "$tok" | "$KIOSK" join "$url" --db door/door.db --config door/kiosk.conf > out 2> "$T/err" ||
		why "join failed: $(short "$T/err")"
	"$KIOSK" add --first Walt --last Door --config door/kiosk.conf > out 2> "$T/err" ||
		why "add at the door failed: $(short "$T/err")"
	"$KIOSK" sync --config door/kiosk.conf > out 2> "$T/err" || why "sync failed: $(short "$T/err")"
	n=$(sqlite3 hub/hub.db "SELECT count(*) FROM guest WHERE first_name = 'Walt'")
	[ "$n" = 1 ] || why "the hub lacks the door's walk-in (hub log: $(short hub/log 600))"
	kill "$hp" 2>/dev/null; wait "$hp" 2>/dev/null; forget "$hp"
	end
fi
# A hub from before 26 November 2026, 02:46 refused a pull asking mine=0
# (a parameter it did not know) and so every pull of a current door: the
# join got no guest and every ticket was "not on the guest list". Such a
# hub is played by a proxy in front of a current one that answers as it
# did; the door asks again without mine and gets the list and the other
# doors' check-ins.
begin "a door joins and pulls from a hub older than mine= (it asks without it)"
mkdir -p oh
"$KIOSK" import "$ROOT/tests/data/eventbrite-attendees.csv" --db oh/hub.db --event-name Old \
    --tag OLD > /dev/null 2> "$T/err" || why "import failed: $(short "$T/err")"
tok=$("$KIOSK" hub token add "Door 1" --db oh/hub.db 2> /dev/null | grep -o 'kt1_[A-Za-z0-9_-]*')
tok2=$("$KIOSK" hub token add "Door 2" --db oh/hub.db 2> /dev/null | grep -o 'kt1_[A-Za-z0-9_-]*')
start_hub oh/hub.db oh/log
[ -n "$url" ] || why "the hub did not start: $(short oh/log)"
python3 - "$url" > oh/port 2> oh/proxy.err <<'PY' &
import http.client, http.server, json, sys, urllib.parse
hub = urllib.parse.urlsplit(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    def relay(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if "mine" in q:
            body = json.dumps({"error": "unknown query parameter 'mine' (expected "
                               "guests, checkins and limit)"}).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        n = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(n) if n else None
        c = http.client.HTTPConnection(hub.hostname, hub.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        c.request(self.command, self.path, body=data, headers=headers)
        r = c.getresponse()
        body = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding", "date",
                                 "server"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = relay
    do_POST = relay
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
pp=$!; PIDS="$PIDS $pp"
for _ in $(seq 50); do [ -s oh/port ] && break; sleep 0.1; done
old="http://127.0.0.1:$(cat oh/port)"
echo "$tok" | "$KIOSK" join "$old" --db oh/door1.db --config oh/door1.conf > out 2> "$T/err" ||
	why "join through the old hub failed: $(short "$T/err")"
n=$(sqlite3 oh/door1.db "SELECT count(*) FROM guest")
[ "$n" = "$(sqlite3 oh/hub.db "SELECT count(*) FROM guest")" ] || why "the door has $n guests"
# a check-in at another door, straight at the hub, reaches door 1
echo "$tok2" | "$KIOSK" join "$url" --db oh/door2.db --config oh/door2.conf > /dev/null 2>&1 ||
	why "door 2 did not join"
"$KIOSK" checkin "$LEA" --config oh/door2.conf > /dev/null 2>&1
"$KIOSK" sync --config oh/door2.conf > /dev/null 2>&1 || why "door 2 did not sync"
"$KIOSK" sync --config oh/door1.conf > out 2> "$T/err" ||
	why "sync through the old hub failed: $(short "$T/err")"
"$KIOSK" checkin "$LEA" --config oh/door1.conf > out 2>&1
[ $? -eq 3 ] || why "door 1 does not know door 2's check-in: $(short out)"
kill "$pp" "$hp" 2> /dev/null; wait "$pp" "$hp" 2> /dev/null; forget "$pp"; forget "$hp"
end
finish
