#!/usr/bin/env bash
# Printing through CUPS for real: a private cupsd of our own, a cups-pdf
# virtual printer writing into this test's folder, a badge printed with
# `kiosk badges --print`, the PDF that comes out rasterised (pdftoppm) and
# its QR decoded (zbarimg); then the failures a door meets: a printer name
# that does not exist, no default printer, a hung cupsd and a stopped one,
# each a clear message within seconds.
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/print.sh     (from the repo root)
#
# Prints "ok - NAME" / "not ok - NAME: REASON" and, last, "# K skipped"
# (when K > 0) and "print: N passed, M failed"; exits 1 when M > 0.
#
# Needs root: cupsd runs the cups-pdf backend as root (it refuses otherwise);
# without root every test is skipped. The system CUPS is left alone: our
# cupsd has its own ServerRoot, spool and logs in a temporary folder and
# listens only on a Unix socket there (CUPS_SERVER points the clients at it).
# The one file outside that folder is cups-pdf's configuration for our
# printer, /etc/cups/cups-pdf-kiosk-test-PID.conf (cups-pdf reads its
# configuration only from /etc/cups, named after the device URI), which
# sends the PDFs to $T/out instead of the printing user's ~/PDF; it is
# removed at exit.
#
# Until `kiosk badges` exists the badge is a QR code made here (qrencode,
# img2pdf) and printed with PRINT_PDF=/path/to/prog (run as "prog FILE
# PRINTER", a driver around print_pdf) when set, else with lp, which checks
# only the CUPS side: the tests of our messages are then skipped.
set -u
SUITE="print"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"


ALL="missing printer named in the message;no default printer;printed badge arrives and its QR decodes;default printer prints;the door app prints an answer shown again once;the door app prints a walk-in shown again, then checked in, once;the door app prints an answer held behind another once;hung cupsd: clear message within seconds;stopped cupsd: clear message at once"
if [ "$(id -u)" -ne 0 ]; then
	IFS=';'
	for name in $ALL; do skip "$name" "needs root (cupsd runs cups-pdf as root)"; done
	unset IFS
	finish
fi
need_tools cupsd lpadmin lpstat lp qrencode img2pdf pdftoppm zbarimg
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
if [ ! -x /usr/lib/cups/backend/cups-pdf ] || [ ! -r "$PPD" ]; then
	notok tools "cups-pdf is missing (printer-driver-cups-pdf); run scripts/install-deps.sh"
	finish
fi

# The socket path must fit in sun_path (108 bytes): keep it short.
base=${TMPDIR:-/tmp}
[ ${#base} -le 60 ] || base=/tmp
T=$(mktemp -d "$base/kiosk-print.XXXXXX") || exit 1
# cupsd's filters run as lp and must reach the spool below.
chmod 755 "$T"
INST=kiosk-test-$$
CPCONF=/etc/cups/cups-pdf-$INST.conf
CUPSD_PID=""
cleanup() {
	if [ -n "$CUPSD_PID" ]; then
		kill -CONT "$CUPSD_PID" 2>/dev/null
		kill "$CUPSD_PID" 2>/dev/null
		wait "$CUPSD_PID" 2>/dev/null
	fi
	rm -f "$CPCONF"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

export CUPS_SERVER=$T/cups.sock
unset LPDEST PRINTER
mkdir -p etc spool cache state log out cpspool

cat >cups-files.conf <<EOF
ServerRoot $T/etc
RequestRoot $T/spool
CacheDir $T/cache
StateDir $T/state
ErrorLog $T/log/error_log
AccessLog $T/log/access_log
PageLog $T/log/page_log
SystemGroup root
EOF
cat >cupsd.conf <<EOF
Listen $T/cups.sock
LogLevel info
Browsing No
WebInterface No
ErrorPolicy abort-job
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
cat >"$CPCONF" <<EOF
# kiosk's print test ($T); removed when it ends.
Out $T/out
AnonDirName $T/out
Spool $T/cpspool
Log $T/log
LogType 3
Grp root
EOF

# start_cupsd: our cupsd in the foreground of a background job, waited for.
start_cupsd() {
	cupsd -f -c "$T/cupsd.conf" -s "$T/cups-files.conf" >log/cupsd.out 2>&1 &
	CUPSD_PID=$!
	# lpstat -r exits 0 whether or not the scheduler answers: read its words.
	for _ in $(seq 100); do
		lpstat -r 2>/dev/null | grep -q 'is running' && return 0
		sleep 0.1
	done
	return 1
}
if ! start_cupsd; then
	notok setup "cupsd did not start: $(tail -3 log/cupsd.out log/error_log 2>/dev/null | tr '\n' ' ')"
	finish
fi
# A scheduler that just came up may still refuse a connection on a busy
# machine: a few tries before giving up.
added=no
for _ in 1 2 3 4 5; do
	if lpadmin -p PDF -E -v "cups-pdf:/$INST" -P "$PPD" 2>lpadmin.err; then
		added=yes
		break
	fi
	sleep 0.5
done
if [ "$added" != yes ]; then
	notok setup "lpadmin: $(cat lpadmin.err)"
	finish
fi

CODE=KT-$$-0042
SAY=""  # why our own messages cannot be tested
if "$KIOSK" badges --help >/dev/null 2>&1; then
	MODE=kiosk
	printf 'First Name,Last Name,Email,Barcode #\nZoë,Çelik,zoe@example.org,%s\n' "$CODE" >guests.csv
	if ! "$KIOSK" import guests.csv --db e.db --event-name "Print Test" --tag PT \
	    --timezone Europe/Brussels >import.out 2>&1; then
		notok setup "import: $(cat import.out)"
		finish
	fi
elif [ -n "${PRINT_PDF:-}" ]; then
	MODE=driver
else
	MODE="lp"
	SAY="kiosk badges is not built: printing with lp"
fi
if [ "$MODE" != kiosk ]; then
	if ! qrencode -s 8 -m 4 -o q.png "$CODE" || ! img2pdf -o badge.pdf q.png 2>/dev/null; then
		notok setup "cannot make a badge PDF with qrencode and img2pdf"
		finish
	fi
fi

# print_to PRINTER: print the badge (PRINTER "" = the default printer);
# stderr to err.txt; returns the command's status.
print_to() {
	case $MODE in
	kiosk)
		if [ -n "$1" ]; then
			"$KIOSK" badges --db e.db --code "$CODE" --print="$1"
		else
			"$KIOSK" badges --db e.db --code "$CODE" --print default
		fi ;;
	driver) "$PRINT_PDF" badge.pdf "$1" ;;
	lp) lp ${1:+-d "$1"} badge.pdf ;;
	esac >out.txt 2>err.txt
}

# timed CMD...: run it, leaving the seconds it took in $SECS.
timed() {
	local t0 t1 rc
	t0=$(date +%s%N)
	"$@"
	rc=$?
	t1=$(date +%s%N)
	SECS=$(((t1 - t0) / 1000000000))
	return $rc
}

# wait_pdf: wait (up to 20 s) for a PDF in out/ (emptied before each
# print) and for the queue to empty, so the file is whole; prints its name.
wait_pdf() {
	local f
	for _ in $(seq 200); do
		f=$(find out -name '*.pdf' | head -1)
		if [ -n "$f" ] && [ -z "$(lpstat -o 2>/dev/null)" ]; then
			echo "$f"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# decodes PDF: the QR codes on its pages, one a line.
decodes() {
	rm -rf pages && mkdir pages
	pdftoppm -r 200 -gray -png "$1" pages/p || return 1
	zbarimg -q --raw -Sdisable -Sqrcode.enable pages/*.png 2>/dev/null
}

# 1. A printer that does not exist: its name in the message, with the ones
# there are.
name="missing printer named in the message"
if [ "$MODE" = lp ]; then
	skip "$name" "$SAY"
elif timed print_to Brother_QL; then
	notok "$name" "printing to Brother_QL succeeded"
elif ! grep -q "Brother_QL" err.txt || ! grep -q "PDF" err.txt; then
	notok "$name" "message does not name Brother_QL and list PDF: $(cat err.txt)"
elif [ "$SECS" -gt 5 ]; then
	notok "$name" "took $SECS s"
else
	ok "$name"
fi

# 2. No default printer yet.
name="no default printer"
if [ "$MODE" = lp ]; then
	skip "$name" "$SAY"
elif print_to ""; then
	notok "$name" "printing without a default printer succeeded"
elif ! grep -qi "default printer" err.txt; then
	notok "$name" "unclear message: $(cat err.txt)"
else
	ok "$name"
fi

# 3. The badge printed on PDF arrives as a PDF whose QR decodes.
name="printed badge arrives and its QR decodes"
rm -f out/*.pdf
if ! print_to PDF; then
	notok "$name" "printing failed: $(cat err.txt)"
elif ! pdf=$(wait_pdf); then
	notok "$name" "no PDF in 20 s; $(grep -h 'E \[' log/error_log 2>/dev/null | tail -2 | tr '\n' ' ')"
elif ! decodes "$pdf" | grep -qx "$CODE"; then
	notok "$name" "$pdf: QR does not decode to $CODE (got: $(decodes "$pdf" | tr '\n' ' '))"
else
	ok "$name"
fi

# 4. With a default printer, printing without a name goes there.
name="default printer prints"
lpadmin -d PDF
rm -f out/*.pdf
if ! print_to ""; then
	notok "$name" "printing failed: $(cat err.txt)"
elif ! pdf=$(wait_pdf); then
	notok "$name" "no PDF in 20 s"
elif ! decodes "$pdf" | grep -qx "$CODE"; then
	notok "$name" "$pdf: QR does not decode to $CODE"
else
	ok "$name"
fi

# 4b. At the door: kiosk.conf print_checkins = yes, a guest admitted by a
# scan, the badge printed from the app's own thread.
name="the door app prints the admitted guest's badge"
if [ "$MODE" != kiosk ]; then
	skip "$name" "${SAY:-kiosk badges is not built}"
else
	cat >door.conf <<CONF
[event]
database = e.db
[kiosk]
name = Door 1
[badge]
layout = card
printer = PDF
print_checkins = yes
CONF
	printf '%s\n' "$CODE" >codes.txt
	rm -f out/*.pdf
	if ! SDL_VIDEODRIVER=offscreen "$KIOSK" run --config door.conf --size 800x600 \
	    --bench-codes codes.txt --timings door.timings --exit-after 5000 >door.out 2>&1; then
		notok "$name" "kiosk run failed: $(head -c 300 door.out)"
	elif ! pdf=$(wait_pdf); then
		notok "$name" "no PDF in 20 s; $(head -c 300 door.out)"
	elif ! decodes "$pdf" | grep -qx "$CODE"; then
		notok "$name" "$pdf: QR does not decode to $CODE"
	else
		ok "$name"
	fi
fi

# 4c. Guests scanned one after another, each while the last one's result
# is still on the screen: a badge each. And with the printer hung, a queue
# full is said on the screen (the trace's notice), not left silent.
name="the door app prints a badge for each guest scanned back to back"
name2="the door app says when the printer's queue is full"
if [ "$MODE" != kiosk ]; then
	skip "$name" "${SAY:-kiosk badges is not built}"
	skip "$name2" "${SAY:-kiosk badges is not built}"
else
	{
		printf 'First Name,Last Name,Email,Barcode #\n'
		for i in $(seq 10 39); do printf 'Guest,Number%s,g%s@example.org,KT-%s-%s\n' "$i" "$i" "$$" "$i"; done
	} >more.csv
	"$KIOSK" import more.csv --db e.db >import2.out 2>&1 || notok "$name" "import: $(cat import2.out)"
	for i in 10 11 12; do printf 'KT-%s-%s\n' "$$" "$i"; done >codes3.txt
	rm -f out/*.pdf
	SDL_VIDEODRIVER=offscreen "$KIOSK" run --config door.conf --size 800x600 \
	    --bench-codes codes3.txt --exit-after 4000 >door3.out 2>&1
	n=0
	for _ in $(seq 200); do
		n=$(find out -name '*.pdf' | wc -l)
		[ "$n" -ge 3 ] && [ -z "$(lpstat -o 2>/dev/null)" ] && break
		sleep 0.1
	done
	if [ "$n" -ne 3 ]; then
		notok "$name" "$n badges printed for 3 guests; $(head -c 300 door3.out)"
	else
		ok "$name"
	fi
	# A hung cupsd: the first job waits, 16 more fill the queue, the next is
	# said.
	for i in $(seq 13 39); do printf 'KT-%s-%s\n' "$$" "$i"; done >codes27.txt
	: >trace27.txt
	kill -STOP "$CUPSD_PID"
	SDL_VIDEODRIVER=offscreen "$KIOSK" run --config door.conf --size 800x600 \
	    --bench-codes codes27.txt --trace trace27.txt --exit-after 6000 >door27.out 2>&1
	kill -CONT "$CUPSD_PID"
	if grep -q "notice print_full" trace27.txt; then
		ok "$name2"
	else
		notok "$name2" "trace: $(sort trace27.txt | uniq -c | tr '\n' ' ')"
	fi
	# let the jobs of the hung run go before the tests below
	for _ in $(seq 300); do [ -z "$(lpstat -o 2>/dev/null)" ] && break; sleep 0.1; done
fi

# 4d. One badge per admission or walk-in, however often its screen comes
# back: staff tap Undo on a guest's green answer, then No, and the answer is
# shown again; the next guest scans while a walk-in's new code is shown, and
# the code comes back after their answer. A door in a real window (Xvfb),
# as app.sh's: a mouse to tap.
name="the door app prints an answer shown again once"
name2="the door app prints a walk-in shown again, then checked in, once"
name3="the door app prints an answer held behind another once"
if [ "$MODE" != kiosk ]; then
	skip "$name" "${SAY:-kiosk badges is not built}"
	skip "$name2" "${SAY:-kiosk badges is not built}"
	skip "$name3" "${SAY:-kiosk badges is not built}"
elif ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null; then
	skip "$name" "needs Xvfb and xdotool"
	skip "$name2" "needs Xvfb and xdotool"
	skip "$name3" "needs Xvfb and xdotool"
else
	# a badge sent, if one is, is in the printer's queue or out
	settle() {
		sleep 1
		for _ in $(seq 100); do [ -z "$(lpstat -o 2>/dev/null)" ] && break; sleep 0.1; done
		sleep 1
	}
	UCODE=$("$KIOSK" add --db e.db --first Una --last Undo --json 2>/dev/null |
	    sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
	NCODE=$("$KIOSK" add --db e.db --first Nico --last Next --json 2>/dev/null |
	    sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
	HCODE=$("$KIOSK" add --db e.db --first Hana --last Held --json 2>/dev/null |
	    sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
	OCODE=$("$KIOSK" add --db e.db --first Olga --last Other --json 2>/dev/null |
	    sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
	sed -e 's/^print_checkins = yes$/&\nprint_walkins = yes/' \
	    -e 's/^name = Door 1$/&\nresult_seconds = 2/' door.conf >again.conf
	rm -f out/*.pdf display.txt
	Xvfb -displayfd 3 -screen 0 800x600x24 -nolisten tcp -noreset 3>display.txt \
	    >xvfb.log 2>&1 &
	XPID=$!
	for _ in $(seq 100); do [ -s display.txt ] && break; sleep 0.1; done
	XD=:$(tr -dc 0-9 <display.txt 2>/dev/null)
	: >trace-undo.txt
	DISPLAY=$XD SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy "$KIOSK" run --config again.conf \
	    --size 800x600 --trace trace-undo.txt --exit-after 60000 >door-undo.out 2>&1 &
	DPID=$!
	w=""
	for _ in $(seq 100); do
		w=$(DISPLAY=$XD xdotool search --name '^kiosk$' 2>/dev/null | head -n 1)
		[ -n "$w" ] && break
		sleep 0.1
	done
	[ -n "$w" ] && DISPLAY=$XD xdotool windowactivate --sync "$w" 2>/dev/null
	sleep 0.3
	DISPLAY=$XD xdotool type --delay 5 -- "$UCODE"$'\r'
	for _ in $(seq 50); do grep -q 'screen result admitted' trace-undo.txt && break; sleep 0.1; done
	# Undo, bottom right of an 800x600 answer; then No (Escape)
	DISPLAY=$XD xdotool mousemove --window "$w" 740 557 click 1
	for _ in $(seq 30); do grep -q '^screen undo' trace-undo.txt && break; sleep 0.1; done
	DISPLAY=$XD xdotool key Escape
	settle
	n=$(find out -name '*.pdf' | wc -l)
	# a walk-in registered (Return from field to field, then Register),
	# then Nico scans; his answer times out to the walk-in's code again
	for _ in $(seq 50); do tail -n 1 trace-undo.txt | grep -q '^screen idle' && break; sleep 0.1; done
	DISPLAY=$XD xdotool key F3
	sleep 0.3
	DISPLAY=$XD xdotool type --delay 100 Wanda
	DISPLAY=$XD xdotool key --delay 100 Return Return Return Return
	for _ in $(seq 30); do grep -q '^screen walkin_done' trace-undo.txt && break; sleep 0.1; done
	settle
	DISPLAY=$XD xdotool type --delay 5 -- "$NCODE"$'\r'
	sleep 3
	settle
	n2=$(find out -name '*.pdf' | wc -l)
	last2=$(tail -n 1 trace-undo.txt)
	# Check in now (Return) on the walk-in's code: admitted, with
	# print_checkins too, but their badge came out at registering
	DISPLAY=$XD xdotool key Return
	for _ in $(seq 50); do tail -n 1 trace-undo.txt | grep -q '^screen result admitted' && break; sleep 0.1; done
	checked=$(tail -n 1 trace-undo.txt)
	settle
	n2b=$(find out -name '*.pdf' | wc -l)
	# Hana admitted, Undo tapped; Olga scans on the question (held), her
	# answer times out to Hana's question again, and No shows Hana's
	# answer: one badge each
	DISPLAY=$XD xdotool key Escape
	for _ in $(seq 30); do tail -n 1 trace-undo.txt | grep -q '^screen idle' && break; sleep 0.1; done
	last() { for _ in $(seq "$2"); do tail -n 1 trace-undo.txt | grep -q "$1" && return 0; sleep 0.1; done; return 1; }
	DISPLAY=$XD xdotool type --delay 5 -- "$HCODE"$'\r'
	last '^screen result admitted' 50
	DISPLAY=$XD xdotool mousemove --window "$w" 740 557 click 1
	last '^screen undo' 30
	DISPLAY=$XD xdotool type --delay 5 -- "$OCODE"$'\r'
	last '^screen result admitted' 50
	held=no
	last '^screen undo' 60 && held=yes
	DISPLAY=$XD xdotool key Escape
	settle
	n3=$(find out -name '*.pdf' | wc -l)
	kill "$DPID" "$XPID" 2>/dev/null
	wait "$DPID" "$XPID" 2>/dev/null
	if ! grep -q '^screen undo' trace-undo.txt; then
		notok "$name" "no badge, or no Undo question; trace: $(sort -u trace-undo.txt | tr '\n' ' ')"
	elif [ "$n" -ne 1 ]; then
		notok "$name" "$n badges printed for one admission, shown twice"
	else
		ok "$name"
	fi
	# the walk-in's code shown, Nico's answer, the walk-in's code again
	shown=$(grep -c '^screen walkin_done' trace-undo.txt)
	if ! echo "$last2" | grep -q '^screen walkin_done'; then
		notok "$name2" "the walk-in's code did not come back; trace: $(tr '\n' ' ' <trace-undo.txt)"
	elif [ "$((n2 - n))" -ne 2 ]; then
		notok "$name2" "$((n2 - n)) badges printed for a walk-in (shown $shown times) and one guest"
	elif ! echo "$checked" | grep -q '^screen result admitted'; then
		notok "$name2" "Check in now did not admit the walk-in: $checked"
	elif [ "$n2b" -ne "$n2" ]; then
		notok "$name2" "$((n2b - n2)) more badges printed when the walk-in was checked in"
	else
		ok "$name2"
	fi
	if [ "$held" != yes ]; then
		notok "$name3" "the Undo question did not come back after the next answer; trace: $(tr '\n' ' ' <trace-undo.txt)"
	elif [ "$((n3 - n2b))" -ne 2 ]; then
		notok "$name3" "$((n3 - n2b)) badges printed for two guests, one shown again after the other's"
	else
		ok "$name3"
	fi
fi

# 5. A hung cupsd (stopped with SIGSTOP: connections are accepted by the
# kernel, never answered) fails in bounded time, not never.
name="hung cupsd: clear message within seconds"
if [ "$MODE" = lp ]; then
	skip "$name" "$SAY"
else
	kill -STOP "$CUPSD_PID"
	if timed print_to PDF; then
		notok "$name" "printing to a hung cupsd succeeded"
	elif [ "$SECS" -gt 20 ]; then
		notok "$name" "took $SECS s"
	elif ! grep -q "did not answer" err.txt; then
		notok "$name" "unclear message: $(cat err.txt)"
	else
		ok "$name"
	fi
	kill -CONT "$CUPSD_PID"
fi

# 6. cupsd gone: at once, and saying so.
name="stopped cupsd: clear message at once"
kill "$CUPSD_PID"
wait "$CUPSD_PID" 2>/dev/null
CUPSD_PID=""
if [ "$MODE" = lp ]; then
	skip "$name" "$SAY"
elif timed print_to PDF; then
	notok "$name" "printing without cupsd succeeded"
elif [ "$SECS" -gt 3 ]; then
	notok "$name" "took $SECS s"
elif ! grep -q "is cupsd running" err.txt || ! grep -q "PDF" err.txt; then
	notok "$name" "unclear message: $(cat err.txt)"
else
	ok "$name"
fi

finish
