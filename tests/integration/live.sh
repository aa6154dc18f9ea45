#!/usr/bin/env bash
# The hub's live page, as an organiser sees it: a real hub, a real kiosk
# syncing with it, and Debian's headless Chromium driven by Selenium (log in,
# watch the count change after a synced check-in, take a screenshot), plus
# curl for what must be refused without a login and for the downloads.
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/live.sh
#
# Prints "ok - NAME" / "not ok - NAME: REASON" and, last,
# "live: N passed, M failed"; exits 1 when M > 0. The screenshot is kept in
# build/test-artefacts/live.png.
set -u
SUITE="live"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

mkdir -p "$ART"
PY=/usr/bin/python3   # Debian's, with python3-selenium

need_tools curl sqlite3 chromium chromedriver
"$PY" -c 'import selenium' 2>/dev/null || { notok tools "python3-selenium is missing"; finish; }

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-live.XXXXXX") || exit 1
HUB_PID="" gpid=""
cleanup() {
	# shellcheck disable=SC2086 # the guessers' PID, when they run
	kill $HUB_PID $gpid 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

cat >guests.csv <<'CSV'
First Name,Last Name,Email
Zoë,Çelik,zoe@example.org
Ann,Aerts,ann@example.org
Bob,Bos,bob@example.org
Carl,Claes,carl@example.org
CSV
"$KIOSK" import guests.csv --db hub.db --event-name "Live Test" --timezone Europe/Brussels \
    --tag LT26 >/dev/null || { notok setup "import failed"; finish; }
TOKEN=$("$KIOSK" hub token add "Door 2" --db hub.db 2>/dev/null | tail -n 1)
printf 'organiser-pw\norganiser-pw\n' | "$KIOSK" hub password --db hub.db >/dev/null ||
    { notok setup "kiosk hub password failed"; finish; }
"$KIOSK" hub --db hub.db --listen 127.0.0.1:0 >hub.out 2>hub.err &
HUB_PID=$!
for _ in $(seq 100); do grep -q serving hub.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*:\([0-9]*\)$/\1/p' hub.out | head -n 1)
[ -n "$PORT" ] || { notok setup "the hub did not start: $(cat hub.err)"; finish; }
U=http://127.0.0.1:$PORT
"$KIOSK" join "$U" "$TOKEN" --config k.conf --db k.db >/dev/null 2>join.err ||
    { notok setup "join failed: $(cat join.err)"; finish; }
# The token need not be on the command line (ps, the shell's history):
# without it, join reads it from a pipe (or asks, unshown, at a terminal),
# spaces a paste brought around it left out.
printf '  %s \n' "$TOKEN" | "$KIOSK" join "$U" --config k3.conf --db k3.db >join3.out 2>join3.err
rc3=$?
"$KIOSK" join "$U" --config k4.conf --db k4.db </dev/null >/dev/null 2>join4.err
rc4=$?
{ [ "$rc3" = 0 ] && grep -q '^joined ' join3.out && [ "$rc4" != 0 ] &&
    grep -q 'no token given' join4.err && [ ! -e k4.db ]; } &&
    ok "join reads the token from a pipe; without one it says so" ||
    notok "join reads the token from a pipe; without one it says so" \
        "piped: exit $rc3 ($(head -c 200 join3.err)); none: exit $rc4 ($(head -c 200 join4.err))"
codes() { sqlite3 hub.db "SELECT code FROM guest ORDER BY last_name LIMIT 1 OFFSET $1"; }
"$KIOSK" checkin "$(codes 0)" --config k.conf >/dev/null
"$KIOSK" sync --config k.conf >/dev/null

# --- without a login: the form and nothing else ------------------------------
page=$(curl -s "$U/")
if echo "$page" | grep -q 'type=password' && ! echo "$page" | grep -q 'registered checked in' &&
    ! echo "$page" | grep -q 'Aerts'; then
	ok "without a login / is the login form only"
else
	notok "without a login / is the login form only" "got: $(echo "$page" | head -c 300)"
fi
bad=""
for p in "/export.csv" "/export.xlsx" "/arrivals.png" "/?part=live"; do
	code=$(curl -s -o body -w '%{http_code}' "$U$p")
	{ [ "$code" = 401 ] && ! grep -q 'Aerts' body; } || bad="$bad $p=$code"
done
[ -z "$bad" ] && ok "without a login the data and downloads are refused (401)" ||
    notok "without a login the data and downloads are refused (401)" "$bad"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Cookie: kiosk_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "$U/export.csv")
[ "$code" = 401 ] && ok "a made-up session cookie is refused" ||
    notok "a made-up session cookie is refused" "HTTP $code"
# A page on another site whose name was pointed at the hub (DNS
# rebinding) is same-origin with itself: its forms carry its own Origin
# and Host. The hub answers only to names no other site can own, so the
# page reads nothing, and its guesses never count against the organiser's
# address. By address, localhost and this computer's name the page opens;
# a door, by any name, still syncs (its token lets it in).
ev="http://evil.example:$PORT"
c1=$(curl -s -o body -w '%{http_code}' -H "Host: evil.example:$PORT" "$U/")
c2=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: evil.example:$PORT" -H "Origin: $ev" \
    -H 'Sec-Fetch-Site: same-origin' -d password=wrong-pw "$U/login")
c3=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: 192.168.1.10.nip.io:$PORT" "$U/login")
c4=""
for h in "127.0.0.1:$PORT" "localhost:$PORT" "$(hostname):$PORT" "$(hostname).local"; do
	c4="$c4 $(curl -s -o /dev/null -w '%{http_code}' -H "Host: $h" "$U/login")"
done
c5=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: evil.example:$PORT" \
    -H "Authorization: Bearer $TOKEN" -H 'Kiosk-Protocol: 1' "$U/v1/event")
# The organiser who typed a name the hub does not know is shown a page
# that says why and links the page by the address the hub was reached at.
c6=$(curl -s -o body6 -w '%{http_code} %{content_type}' -H 'Host: <b>hub.fritz.box' "$U/")
[ "$c6" = "421 text/html; charset=utf-8" ] && grep -q "not known as '&lt;b&gt;hub.fritz.box'" body6 &&
    grep -q "<a href=\"http://127.0.0.1:$PORT/\">" body6 &&
    ok "a name the hub does not answer to: a page that says why, linking its address" ||
    notok "a name the hub does not answer to: a page that says why, linking its address" \
        "$c6: $(head -c 400 body6)"
{ [ "$c1" = 421 ] && grep -q "not known as 'evil.example:$PORT'" body && [ "$c2" = 421 ] &&
    [ "$c3" = 421 ] && [ "$c4" = " 200 200 200 200" ] && [ "$c5" = 200 ] &&
    ! grep -q 'wrong live-page password' hub.err; } &&
    ok "the page by another site's name (DNS rebinding): 421, no guess counted; doors sync" ||
    notok "the page by another site's name (DNS rebinding): 421, no guess counted; doors sync" \
        "page $c1 ($(head -c 200 body)), login $c2, nip.io $c3, own names$c4, door $c5"
code=$(curl -s -o body -w '%{http_code}' -d password=wrong-pw "$U/login")
{ [ "$code" = 401 ] && grep -q 'Wrong password' body; } && ok "a wrong password is refused" ||
    notok "a wrong password is refused" "HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -d password=organiser-pw "$U/login")
[ "$code" = 429 ] && ok "a second try within a second is turned away" ||
    notok "a second try within a second is turned away" "HTTP $code"
sleep 1.2
pids=""
for i in 1 2 3 4 5 6; do
	curl -s -o /dev/null -w '%{http_code}\n' -d password=wrong-pw "$U/login" >"par.$i" &
	pids="$pids $!"
done
wait $pids   # not a bare wait: the hub runs in the background too
tried=$(cat par.* | grep -c 401)
[ "$tried" = 1 ] && ok "six wrong passwords at once: one is checked, five turned away" ||
    notok "six wrong passwords at once: one is checked, five turned away" "$(cat par.* | tr '\n' ' ')"
# A guesser at another address does not hold the organiser up: a wrong
# password from 127.0.0.2, then at once the right one from 127.0.0.1.
sleep 1.2
code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -d password=wrong-pw "$U/login")
code2=$(curl -s -o /dev/null -w '%{http_code}' -d password=organiser-pw "$U/login")
code3=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -d password=organiser-pw "$U/login")
{ [ "$code" = 401 ] && [ "$code2" = 303 ] && [ "$code3" = 429 ]; } &&
    ok "another address logs in while a guesser waits" ||
    notok "another address logs in while a guesser waits" "guesser $code, organiser $code2, guesser again $code3"
# Guessers on thirty addresses keep the one password check busy: the
# organiser, who guessed nothing wrong, waits a moment for a turn rather
# than be told "busy" (and penalised for it). Once each guesser has had a
# wrong guess checked, that is: until then a new address may wait for its
# turn as the organiser does (the first seconds of an attack, longer on a
# slow or loaded machine, where "busy" at those tries is fine).
sleep 1.2
rm -f guessers.stop
python3 - "${U#http://}" >guessers.out 2>&1 <<'PY' &
import os, socket, sys, threading, time
host, port = sys.argv[1].split(":")
body = b"password=wrong-pw"
req = (b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
       b"urlencoded\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
end = time.time() + 60
def guess(i):
    while time.time() < end and not os.path.exists("guessers.stop"):
        try:
            c = socket.create_connection((host, int(port)), 5, ("127.0.0.%d" % i, 0))
            c.sendall(req)
            while c.recv(4096):
                pass
            c.close()
        except OSError:
            time.sleep(0.05)
ts = [threading.Thread(target=guess, args=(i,)) for i in range(2, 32)]
for t in ts:
    t.start()
for t in ts:
    t.join()
PY
gpid=$!
for _ in $(seq 300); do # every guesser's address in the hub's log, 30 s at most
	[ "$(grep -o 'wrong live-page password from 127\.0\.0\.[0-9]*' hub.err | sort -u |
	    grep -vcx 'wrong live-page password from 127\.0\.0\.1')" -ge 30 ] && break
	sleep 0.1
done
got=""
for i in 1 2 3 4; do
	got="$got $(curl -s -o /dev/null -w '%{http_code}' -d password=organiser-pw "$U/login")"
	sleep 1.1
done
touch guessers.stop
wait $gpid
gpid=""
# (three of four: a "busy" now and then while the guessers are new is
# fine; before, three of four were "busy")
[ "$(echo "$got" | tr ' ' '\n' | grep -c 303)" -ge 3 ] &&
    ok "guessers on thirty addresses do not keep the organiser out" ||
    notok "guessers on thirty addresses do not keep the organiser out" "organiser got$got"
# A guesser's first wrong passwords come a second apart (an organiser's
# typos); past five in a row each wait is longer, and the page says how
# long. The organiser on another address is not held up by it.
got=""
for i in 1 2 3 4 5 6; do
	sleep 1.1
	got="$got $(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.40 \
	    -d password=wrong-pw "$U/login")"
done
sleep 1.1
code=$(curl -s -o body -w '%{http_code}' --interface 127.0.0.40 -d password=organiser-pw "$U/login")
code2=$(curl -s -o /dev/null -w '%{http_code}' -d password=organiser-pw "$U/login")
{ [ "$got" = " 401 401 401 401 401 401" ] && [ "$code" = 429 ] &&
    grep -q 'Too many wrong passwords from this address, which other devices on the network may share: try again in 1 min' body &&
    [ "$code2" = 303 ]; } &&
    ok "a guesser's sixth wrong password in a row: told to wait minutes" ||
    notok "a guesser's sixth wrong password in a row: told to wait minutes" \
        "wrong ones:$got; then $code ($(head -c 200 body)); organiser $code2"
# Behind one NAT address (127.0.0.50 here: a venue's NAT, or a web server
# in front of the hub) a guesser's wrong passwords close the address to
# every new browser; the organiser's phone, which logged in there before,
# still gets in at once with the right password (its device cookie).
nat="--interface 127.0.0.50"
sleep 1.1
# shellcheck disable=SC2086 # $nat is two words
curl -s $nat -c natjar -D nathead -o /dev/null -d password=organiser-pw "$U/login"
# shellcheck disable=SC2086
curl -s $nat -b natjar -c natjar -o /dev/null -X POST "$U/logout"
got=""
for i in 1 2 3 4 5 6; do
	sleep 1.1
	# shellcheck disable=SC2086
	got="$got $(curl -s $nat -o /dev/null -w '%{http_code}' -d password=wrong-pw "$U/login")"
done
sleep 1.1
# shellcheck disable=SC2086
c1=$(curl -s $nat -o natbody -w '%{http_code}' -d password=organiser-pw "$U/login")
# shellcheck disable=SC2086
c2=$(curl -s $nat -b natjar -c natjar -o /dev/null -w '%{http_code}' -d password=organiser-pw \
    "$U/login")
# shellcheck disable=SC2086
c3=$(curl -s $nat -b natjar -o /dev/null -w '%{http_code}' "$U/export.csv")
# shellcheck disable=SC2086
c4=$(curl -s $nat -o /dev/null -w '%{http_code}' -H "Cookie: kiosk_device=$(printf 'A%.0s' \
    $(seq 43))" -d password=organiser-pw "$U/login")
dev=$(sed -n 's/^kiosk_device=\([^;]*\);.*/\1/p' <(grep -i '^set-cookie: kiosk_device=' nathead |
    sed 's/^[^:]*: //'))
kept=$(sqlite3 hub.db "SELECT count(*) FROM setting WHERE key GLOB 'live_device:*'")
{ [ "$got" = " 401 401 401 401 401 401" ] && [ "$c1" = 429 ] && [ "$c2" = 303 ] &&
    grep -q 'A browser that logged in here before, or one on the hub' natbody &&
    [ "$c3" = 200 ] && [ "$c4" = 429 ] && [ -n "$dev" ] && [ "$kept" -ge 1 ] &&
    grep -qi '^set-cookie: kiosk_device=.*HttpOnly; SameSite=Strict' nathead &&
    ! sqlite3 hub.db "SELECT key || value FROM setting" | grep -qF "$dev"; } &&
    ok "behind one address with a guesser: a device that logged in before gets in" ||
    notok "behind one address with a guesser: a device that logged in before gets in" \
        "guesser:$got; new browser $c1, known device $c2 (page $c3), made-up device $c4"
sleep 1.2
code=$(curl -s -o /dev/null -w '%{http_code}' "$U/logout")
[ "$code" = 405 ] && ok "logging out takes the page's button (GET /logout refused)" ||
    notok "logging out takes the page's button (GET /logout refused)" "HTTP $code"
sleep 1.2

# --- with a login: the downloads -----------------------------------------------
curl -s -c jar -o /dev/null -d password=organiser-pw "$U/login"
curl -s -b jar -o dl.csv "$U/export.csv"
# (with a UTF-8 BOM: a spreadsheet reads Zoë Çelik right)
if [ "$(head -c 3 dl.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] &&
    head -n 1 dl.csv | tail -c +4 | grep -q '^first_name,last_name' &&
    [ "$(grep -c ',yes,' dl.csv)" = 1 ] && grep -q 'Zoë,Çelik' dl.csv; then
	ok "logged in: the CSV download lists the guests, one checked in, with a BOM"
else
	notok "logged in: the CSV download lists the guests, one checked in, with a BOM" \
	    "$(head -c 300 dl.csv)"
fi

# --- in the organiser's language ------------------------------------------------
# Social Media Day in Antwerp: a Belgian browser asks for nl-BE or fr-BE.
# The page, its refresh, the login form and the stale note (built by the
# script) come in that language; a link (?lang=) overrides the browser; a
# browser that asks for none of kiosk's gets kiosk.conf's (here English).
nl=$(curl -s -b jar -H 'Accept-Language: nl-BE,nl;q=0.9,en-US;q=0.8,en;q=0.7' "$U/")
fr=$(curl -s -b jar -H 'Accept-Language: fr-BE,fr;q=0.9,en;q=0.5' "$U/?part=live")
de=$(curl -s -b jar -H 'Accept-Language: nl-BE' "$U/?lang=de")
es=$(curl -s -b jar -H 'Accept-Language: es-ES,es;q=0.9' "$U/")
form=$(curl -s -H 'Accept-Language: fr-BE' "$U/")
bad=""
for want in '<html lang=nl>' 'van 4 ingeschreven gasten ingecheckt' 'Kiosken' 'Laatste contact' \
    'Wacht op synchronisatie' 'Aanwezigheid (CSV)' 'Aankomsten, laatste 3 uur' \
    'aria-label="aankomsten per 15 minuten"' 'Geen antwoord van de hub sinds' \
    'part=live\u0026lang=nl' 'Afmelden' 'geleden'; do
	echo "$nl" | grep -qF -- "$want" || bad="$bad nl:'$want'"
done
for want in 'sur 4 inscrits (' 'Présences (CSV)' 'Bornes' 'il y a ' \
    'Entrées en double'; do
	echo "$fr" | grep -qF -- "$want" || bad="$bad fr:'$want'"
done
for want in '<html lang=de>' 'Anwesenheit (CSV)' 'Seit %s s keine Antwort'; do
	echo "$de" | grep -qF -- "$want" || bad="$bad de:'$want'"
done
echo "$es" | grep -qF 'of 4 registered checked in' || bad="$bad es:English"
echo "$form" | grep -qF 'Mot de passe' || bad="$bad form:fr"
for page in "$nl" "$fr" "$de"; do
	echo "$page" | grep -qE 'registered checked in|Waiting to sync|No answer from the hub' &&
	    bad="$bad English-left"
done
[ -z "$bad" ] && ok "the page in the browser's language (nl-BE, fr), a link's, else kiosk.conf's" ||
    notok "the page in the browser's language (nl-BE, fr), a link's, else kiosk.conf's" "$bad"
# Only the wording changes: without a login, a language is no way in.
bad=""
for p in "/?part=live&lang=nl" "/export.csv?lang=fr" "/?lang=de&part=live"; do
	code=$(curl -s -o body -w '%{http_code}' -H 'Accept-Language: nl-BE' "$U$p")
	{ [ "$code" = 401 ] && ! grep -q 'Aerts' body; } || bad="$bad $p=$code"
done
[ -z "$bad" ] && ok "in any language the data needs the login (401)" ||
    notok "in any language the data needs the login (401)" "$bad"
# The CSV in Dutch and French is Excel's there: semicolons, a BOM.
curl -s -b jar -o dl-nl.csv -H 'Accept-Language: nl-BE' "$U/export.csv"
curl -s -b jar -o dl-fr.csv "$U/export.csv?lang=fr"
if [ "$(head -c 3 dl-nl.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] &&
    grep -q '^Zoë;Çelik;' dl-nl.csv && grep -q '^Zoë;Çelik;' dl-fr.csv; then
	ok "the CSV for a Dutch or French page: semicolons and a BOM"
else
	notok "the CSV for a Dutch or French page: semicolons and a BOM" "$(head -c 200 dl-nl.csv)"
fi
sleep 1.2
# The link's language outlives the login: its form says it, and the
# redirect after goes back to it.
loc=$(curl -s -D - -o /dev/null -H 'Accept-Language: en' -d 'password=organiser-pw&lang=fr' \
    "$U/login" | tr -d '\r' | sed -n 's/^Location: //Ip')
hidden=$(curl -s "$U/?lang=nl" | grep -c 'name=lang value=nl')
{ [ "$loc" = "/?lang=fr" ] && [ "$hidden" = 1 ]; } &&
    ok "a language chosen by the link is kept across the login" ||
    notok "a language chosen by the link is kept across the login" "location '$loc', hidden $hidden"
# The arrivals picture speaks the page's language: a Dutch page's link
# names it, and the picture it gives is the one a Dutch browser gets, not
# the English one (which it was, whatever the page's language).
curl -s -b jar -o p-link.png "$U$(echo "$nl" | grep -o 'href="/arrivals.png[^"]*"' | head -n 1 |
    sed 's/^href="//; s/"$//')"
curl -s -b jar -o p-nl.png -H 'Accept-Language: nl-BE' "$U/arrivals.png"
curl -s -b jar -o p-en.png -H 'Accept-Language: nl-BE' "$U/arrivals.png?lang=en"
if echo "$nl" | grep -qF 'href="/arrivals.png?lang=nl"' && cmp -s p-link.png p-nl.png &&
    [ "$(head -c 4 p-nl.png | tail -c 3)" = PNG ] && ! cmp -s p-nl.png p-en.png; then
	ok "the arrivals picture in the page's language (its link says which)"
else
	notok "the arrivals picture in the page's language (its link says which)" \
	    "link $(echo "$nl" | grep -o 'href="/arrivals.png[^"]*"'); nl and en pictures $(cmp -s p-nl.png p-en.png && echo alike || echo differ)"
fi
curl -s -b jar -o dl.xlsx "$U/export.xlsx"
curl -s -b jar -o dl.png "$U/arrivals.png"
if [ "$(head -c 2 dl.xlsx)" = PK ] && [ "$(head -c 4 dl.png | tail -c 3)" = PNG ]; then
	ok "logged in: the Excel and picture downloads are a workbook and a PNG"
else
	notok "logged in: the Excel and picture downloads are a workbook and a PNG" \
	    "$(file dl.xlsx dl.png 2>/dev/null)"
fi
grep -q 'HttpOnly; SameSite=Strict' <(curl -s -D - -o /dev/null -d password=organiser-pw "$U/login") &&
    ok "the session cookie is HttpOnly and SameSite=Strict" ||
    notok "the session cookie is HttpOnly and SameSite=Strict" "see the Set-Cookie header"
sleep 1.2
# A new password ends the sessions logged in with the old one.
curl -s -c oldjar -o /dev/null -d password=organiser-pw "$U/login"
printf 'second-pw\nsecond-pw\n' | "$KIOSK" hub password --db hub.db >/dev/null
left=$(sqlite3 hub.db "SELECT count(*) FROM setting WHERE key GLOB 'live_session:*' OR
    key GLOB 'live_device:*'")
code=$(curl -s -b oldjar -o /dev/null -w '%{http_code}' "$U/export.csv")
sleep 1.2
code2=$(curl -s -o /dev/null -w '%{http_code}' -d password=second-pw "$U/login")
{ [ "$code" = 401 ] && [ "$code2" = 303 ] && [ "$left" = 0 ]; } &&
    ok "a new password ends the sessions of the old one" ||
    notok "a new password ends the sessions of the old one" \
        "old session $code, new password $code2, $left logins kept"
printf 'organiser-pw\norganiser-pw\n' | "$KIOSK" hub password --db hub.db >/dev/null
sleep 1.2

# Another site's page cannot log the organiser out with a hidden form: the
# browser says where the form comes from (Sec-Fetch-Site, or Origin).
curl -s -c xjar -o /dev/null -d password=organiser-pw "$U/login"
c1=$(curl -s -b xjar -o /dev/null -w '%{http_code}' -X POST -H 'Sec-Fetch-Site: cross-site' \
    -H 'Origin: http://evil.example' "$U/logout")
c2=$(curl -s -b xjar -o /dev/null -w '%{http_code}' -X POST -H 'Origin: http://evil.example' \
    "$U/logout")
c3=$(curl -s -b xjar -o /dev/null -w '%{http_code}' "$U/export.csv")
c4=$(curl -s -b xjar -o /dev/null -w '%{http_code}' -X POST -H 'Sec-Fetch-Site: same-origin' \
    -H "Origin: $U" "$U/logout")
{ [ "$c1" = 403 ] && [ "$c2" = 403 ] && [ "$c3" = 200 ] && [ "$c4" = 303 ]; } &&
    ok "another site's form cannot log the organiser out; the page's own can" ||
    notok "another site's form cannot log the organiser out; the page's own can" \
        "cross-site $c1, other origin $c2, still in $c3, own button $c4"
sleep 1.2
grep -q 'a wrong live-page password from 127.0.0.1' hub.err &&
    ok "a wrong live-page password is in the hub's log, with its address" ||
    notok "a wrong live-page password is in the hub's log, with its address" \
        "$(grep -c . hub.err) lines in hub.err"
grep -qi '^Allow: GET, POST' <(curl -s -D - -o /dev/null -X PUT "$U/") &&
    ok "the live page's 405 says GET and POST are allowed" ||
    notok "the live page's 405 says GET and POST are allowed" "see the Allow header"

# Requests of no door are logged at most five a second, then counted: a
# flood of them does not fill the hub's disk with its log.
before=$(wc -l <hub.err)
for i in $(seq 40); do curl -s -o /dev/null "$U/v1/event"; done
sleep 1.1
curl -s -o /dev/null "$U/v1/event"
added=$(( $(wc -l <hub.err) - before ))
# (the count rides on the next line logged: in the burst's next second on
# a slow run, else on the last request's)
{ [ "$added" -le 16 ] && tail -n "$added" hub.err | grep -q 'more refused, not shown'; } &&
    ok "41 refused requests of no door: a few log lines, and a count of the rest" ||
    notok "41 refused requests of no door: a few log lines, and a count of the rest" \
        "$added lines; last: $(tail -n 1 hub.err)"

# Strangers on six addresses hold connections open, reconnecting when cut,
# more than the hub keeps for strangers: sending their headers a line at
# a time (never idle for the timeout), then a login form a byte at a time
# (a request not yet in is not being answered). The door still syncs.
cat >slow.py <<'PY'
import socket, sys, time
host, port = sys.argv[1].split(":")
body = sys.argv[2] == "body"
conns = [[a, None] for a in range(6) for _ in range(48)]
def dial(a):
    try:
        s = socket.create_connection((host, int(port)), 2, ("127.0.60.%d" % (a + 1), 0))
        s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\np" if body
                  else b"GET / HTTP/1.1\r\nHost: x\r\n")
        s.setblocking(False)
        return s
    except OSError:
        return None
end, beat = time.time() + 9, 0
while time.time() < end:
    for c in conns:
        if c[1] is not None:
            try:
                if c[1].recv(100) == b"":
                    c[1].close(); c[1] = None
            except BlockingIOError:
                pass
            except OSError:
                c[1].close(); c[1] = None
        if c[1] is None:
            c[1] = dial(c[0])
    if time.time() - beat > 4:
        beat = time.time()
        for c in conns:
            if c[1] is not None:
                try:
                    c[1].sendall(b"a" if body else b"X-a: b\r\n")
                except OSError:
                    c[1].close(); c[1] = None
    time.sleep(0.5)
print("held", sum(c[1] is not None for c in conns))
PY
for how in headers body; do
	python3 slow.py "${U#http://}" "$how" >slow.out 2>&1 &
	spid=$!
	sleep 3
	got=""
	for i in 1 2 3; do
		got="$got $(curl -s -m 3 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		    -H 'Kiosk-Protocol: 1' -H "Kiosk-Event: $(sqlite3 hub.db 'SELECT uuid FROM event')" \
		    "$U/v1/event")"
		sleep 0.5
	done
	synced=0
	timeout 10 "$KIOSK" sync --config k.conf >/dev/null 2>sync.err && synced=1
	wait $spid
	{ [ "$got" = " 200 200 200" ] && [ "$synced" = 1 ]; } &&
	    ok "strangers holding 288 connections open, $how slowly: the door still syncs" ||
	    notok "strangers holding 288 connections open, $how slowly: the door still syncs" \
	        "door got$got; kiosk sync $synced ($(head -c 200 sync.err)); $(cat slow.out)"
done

# A hub started again (a door app serving as the hub, quit and back) keeps
# its logins: kept in the event's settings as a hash, never the cookie.
curl -s -c keptjar -o /dev/null -d password=organiser-pw "$U/login"
kill "$HUB_PID"
wait "$HUB_PID" 2>/dev/null
"$KIOSK" hub --db hub.db --listen "127.0.0.1:$PORT" >hub2.out 2>hub2.err &
HUB_PID=$!
for _ in $(seq 100); do grep -q serving hub2.out 2>/dev/null && break; sleep 0.1; done
code=$(curl -s -b keptjar -o /dev/null -w '%{http_code}' "$U/export.csv")
cookie=$(awk '$6 == "kiosk_session" { print $7 }' keptjar)
kept=$(sqlite3 hub.db "SELECT count(*) FROM setting WHERE key GLOB 'live_session:*'")
plain=$(sqlite3 hub.db "SELECT count(*) FROM setting WHERE instr(key || value, '$cookie') > 0")
{ [ "$code" = 200 ] && [ "$kept" -ge 1 ] && [ "$plain" = 0 ] && [ -n "$cookie" ]; } &&
    ok "a login outlives the hub started again, kept hashed" ||
    notok "a login outlives the hub started again, kept hashed" \
        "HTTP $code after the restart; $kept kept, $plain in plain; $(head -c 200 hub2.err)"
# a made-up cookie's logout is answered as any (and writes nothing: live.c)
MADE=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
curl -s -H "Cookie: kiosk_session=$MADE" -o /dev/null -X POST "$U/logout"
curl -s -b keptjar -o /dev/null -X POST "$U/logout"
code=$(curl -s -b keptjar -o /dev/null -w '%{http_code}' "$U/export.csv")
[ "$code" = 401 ] && ok "logged out, the kept login is gone" ||
    notok "logged out, the kept login is gone" "HTTP $code"

# --- in a browser: log in, watch a synced check-in arrive ---------------------
cat >browse.py <<'PY'
import sys, time
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service

url, shot, trigger = sys.argv[1], sys.argv[2], sys.argv[3]
o = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,1200",
          "--disable-dev-shm-usage"):
    o.add_argument(a)
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
d.set_page_load_timeout(30)
try:
    d.get(url + "/")
    if "registered" in d.page_source:
        print("FAIL: data shown before logging in"); sys.exit(1)
    d.find_element(By.NAME, "password").send_keys("organiser-pw")
    d.find_element(By.TAG_NAME, "button").click()
    def count():
        return int(d.find_element(By.CSS_SELECTOR, ".num").text)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            before = count(); break
        except Exception:
            time.sleep(0.2)
    else:
        print("FAIL: no count after logging in"); sys.exit(1)
    print("before", before, flush=True)
    open(trigger, "w").close()          # the test checks a guest in and syncs now
    deadline = time.time() + 25
    while time.time() < deadline:
        try:
            if count() > before:
                break
        except Exception:
            pass
        time.sleep(0.5)
    after = count()
    print("after", after, flush=True)
    if "Door 2" not in d.page_source:
        print("FAIL: the kiosk is not listed"); sys.exit(1)
    d.save_screenshot(shot)
finally:
    d.quit()
PY
rm -f trigger
( for _ in $(seq 300); do [ -e trigger ] && break; sleep 0.1; done
  "$KIOSK" checkin "$(codes 1)" --config k.conf >/dev/null
  "$KIOSK" sync --config k.conf >/dev/null ) &
SYNCER=$!
HOME=$T "$PY" browse.py "$U" "$ART/live.png" "$T/trigger" >browse.out 2>browse.err
brc=$?
wait "$SYNCER" 2>/dev/null
before=$(sed -n 's/^before //p' browse.out)
after=$(sed -n 's/^after //p' browse.out)
if [ $brc -eq 0 ] && [ "$before" = 1 ] && [ "$after" = 2 ]; then
	ok "in Chromium: log in, the count goes from 1 to 2 after a kiosk syncs a check-in"
else
	notok "in Chromium: log in, the count goes from 1 to 2 after a kiosk syncs a check-in" \
	    "rc=$brc before=$before after=$after $(tail -n 3 browse.out browse.err | tr '\n' ' ' | head -c 400)"
fi
[ -s "$ART/live.png" ] && ok "screenshot in build/test-artefacts/live.png" ||
    notok "screenshot in build/test-artefacts/live.png" "none"

# At a phone's width (390 CSS pixels) the arrivals' times and counts are
# readable: the chart is drawn 600 units wide and shrunk to fit, and its
# 13-unit labels came out 7 pixels tall.
cat >phone.py <<'PY'
import sys
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
url, shot = sys.argv[1], sys.argv[2]
o = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
    o.add_argument(a)
o.add_experimental_option("mobileEmulation",
                          {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0}})
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
d.set_page_load_timeout(30)
try:
    d.get(url + "/")
    d.find_element(By.NAME, "password").send_keys("organiser-pw")
    d.find_element(By.TAG_NAME, "button").click()
    d.implicitly_wait(10)   # for the page after the login's redirect
    d.find_element(By.CSS_SELECTOR, ".num")
    d.save_screenshot(shot)
    print(d.execute_script(
        "var w=document.documentElement.scrollWidth,m=99;"
        "document.querySelectorAll('svg text').forEach(function(t){"
        "m=Math.min(m,t.getBoundingClientRect().height)});return w+' '+Math.round(m)"))
finally:
    d.quit()
PY
sleep 1.2
read -r pw ph < <(HOME=$T "$PY" phone.py "$U" "$ART/live-phone.png" 2>phone.err)
{ [ "${pw:-0}" -le 390 ] && [ "${ph:-0}" -ge 11 ]; } &&
    ok "at a phone's width: nothing wider than the screen, the chart's labels readable" ||
    notok "at a phone's width: nothing wider than the screen, the chart's labels readable" \
        "page ${pw:-?} px wide, smallest label ${ph:-?} px tall $(tail -n 1 phone.err | head -c 200)"

# A Dutch-speaking organiser's browser (nl-BE): the page as they see it,
# in Dutch, kept in build/test-artefacts/live-nl.png.
cat >dutch.py <<'PY'
import sys
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
url, shot = sys.argv[1], sys.argv[2]
o = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,1200",
          "--disable-dev-shm-usage", "--lang=nl-BE"):
    o.add_argument(a)
o.add_experimental_option("prefs", {"intl.accept_languages": "nl-BE,nl"})
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
d.set_page_load_timeout(30)
try:
    d.get(url + "/")
    print("form", d.find_element(By.TAG_NAME, "label").text.strip(), flush=True)
    d.find_element(By.NAME, "password").send_keys("organiser-pw")
    d.find_element(By.TAG_NAME, "button").click()
    d.implicitly_wait(10)
    d.find_element(By.CSS_SELECTOR, ".num")
    d.save_screenshot(shot)
    print("page", d.find_element(By.TAG_NAME, "main").text.replace("\n", " | "), flush=True)
finally:
    d.quit()
PY
sleep 1.2
HOME=$T "$PY" dutch.py "$U" "$ART/live-nl.png" >dutch.out 2>dutch.err
if grep -q '^form Wachtwoord' dutch.out && grep -q 'ingeschreven gasten ingecheckt' dutch.out &&
    grep -q 'Laatste contact' dutch.out && ! grep -q 'registered' dutch.out; then
	ok "in Chromium asking for nl-BE: the login and the page in Dutch (live-nl.png)"
else
	notok "in Chromium asking for nl-BE: the login and the page in Dutch (live-nl.png)" \
	    "$(head -c 300 dutch.out) $(tail -n 2 dutch.err | head -c 200)"
fi

# The hub goes silent while the page is open (its laptop asleep: SIGSTOP,
# nothing answers; then stopped: refused): the page must not go on showing
# its last figures as now ("4 s ago", "0 waiting", "refreshes by itself").
# It says the hub has not answered, and says no more once it does again.
cat >stale.py <<'PY'
import os, sys, time
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service

url, shot, steps = sys.argv[1], sys.argv[2], sys.argv[3]
o = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=412,1200",
          "--disable-dev-shm-usage"):
    o.add_argument(a)
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
d.set_page_load_timeout(30)
def note():
    return d.execute_script("var e=document.getElementById('stale');"
                            "return e && !e.hidden ? e.textContent : ''")
def step(name, want, secs):
    open(os.path.join(steps, name), "w").close()   # the test acts on the hub now
    end = time.time() + secs
    while time.time() < end:
        got = note()
        if bool(got) == want:
            print(name, "ok", repr(got), flush=True)
            return True
        time.sleep(0.5)
    print("FAIL: %s: the note is %r" % (name, note()), flush=True)
    return False
try:
    d.get(url + "/")
    d.find_element(By.NAME, "password").send_keys("organiser-pw")
    d.find_element(By.TAG_NAME, "button").click()
    time.sleep(6)   # a refresh or two with the hub there
    if note():
        print("FAIL: a note with the hub answering: %r" % note())
        sys.exit(1)
    ok = step("stop", True, 30)
    if ok:
        d.save_screenshot(shot)
    ok = step("cont", False, 20) and ok
    ok = step("kill", True, 30) and ok
    ok = step("start", False, 20) and ok
    sys.exit(0 if ok else 1)
finally:
    d.quit()
PY
mkdir -p steps
HOME=$T "$PY" stale.py "$U" "$ART/live-stale.png" "$T/steps" >stale.out 2>stale.err &
SPID=$!
for s in stop cont kill start; do
	for _ in $(seq 600); do [ -e "steps/$s" ] && break; kill -0 $SPID 2>/dev/null || break; sleep 0.1; done
	[ -e "steps/$s" ] || break
	case $s in
	stop) kill -STOP "$HUB_PID" ;;
	cont) kill -CONT "$HUB_PID" ;;
	kill) kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null ;;
	start)
		"$KIOSK" hub --db hub.db --listen "127.0.0.1:$PORT" >hub3.out 2>hub3.err &
		HUB_PID=$! ;;
	esac
done
wait $SPID
src=$?
kill -CONT "$HUB_PID" 2>/dev/null
[ $src -eq 0 ] && ok "the page says when the hub stops answering, and no more once it is back" ||
    notok "the page says when the hub stops answering, and no more once it is back" \
        "$(tr '\n' ' ' <stale.out | head -c 400) $(tail -n 2 stale.err | tr '\n' ' ' | head -c 200)"

hash=$(sqlite3 hub.db "SELECT value FROM setting WHERE key = 'hub_password_hash'")
case $hash in
'$argon2id$'*) ok "the page's password is stored as an argon2id hash" ;;
*) notok "the page's password is stored as an argon2id hash" "stored: ${hash:0:20}..." ;;
esac
kill "$HUB_PID" 2>/dev/null
wait "$HUB_PID" 2>/dev/null
HUB_PID=""
leaks=""
for secret in "$TOKEN" organiser-pw wrong-pw Aerts Çelik ann@example.org; do
	grep -qF -- "$secret" hub.out hub.err && leaks="$leaks '$secret'"
done
[ -z "$leaks" ] && ok "the hub's log holds no token, password or guest data" ||
    notok "the hub's log holds no token, password or guest data" "found:$leaks"

finish
