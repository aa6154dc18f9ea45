#!/usr/bin/env bash
# Integration tests of `kiosk export`: the XLSX workbook as a real spreadsheet
# program reads it, the --no-shows / --walk-ins lists in every format, and a
# guest who came and whose ticket was cancelled since (kept, cancelled = yes).
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/export.sh     (from the repo root)
#
# The workbook is opened by LibreOffice (headless, a private profile so that
# it runs as root and beside other runs) and saved as one CSV per sheet; what
# it shows must be what kiosk's own CSV export says: the same guests and
# values, check-in times in the event's zone (Europe/Brussels, not UTC), a
# name starting with "=" kept as text, and the summary's figures.
#
# Prints "ok - NAME" or "not ok - NAME: REASON" per test and, last,
# "export: N passed, M failed"; exits 1 when M > 0.
# Needs: bash, coreutils, jq, sqlite3, faketime, libreoffice (calc), pdftotext
# (scripts/install-deps.sh installs them).
set -u
SUITE="export"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"


LO=$(command -v libreoffice || command -v soffice || true)
for tool in jq sqlite3 faketime pdftotext "${LO:-libreoffice}"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$SUITE: $tool is missing; run scripts/install-deps.sh" >&2
		FAIL=1
		finish
	fi
done
[ -x "$KIOSK" ] || { notok binary "$KIOSK is not an executable (run make kiosk)"; finish; }

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-export.XXXXXX") || exit 1
cleanup() { rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
# Work in the temporary folder: no ./kiosk.conf of the repo is picked up.
cd "$T" || exit 1

TZNAME=Europe/Brussels

# --- running kiosk ---------------------------------------------------------
# k ARGS...: run kiosk; stdout in $T/out, stderr in $T/err, status in $RC. A
# crash or a sanitizer report fails the current test whatever it expects.
k() {
	{ "$KIOSK" "$@" >"$T/out" 2>"$T/err" </dev/null; } 2>/dev/null
	RC=$?
	if [ "$RC" -ge 128 ]; then
		why "crashed (exit $RC) running: kiosk $*"
	elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/err" 2>/dev/null; then
		why "sanitizer report running: kiosk $*: $(sanitizer_summary "$T/err")"
	fi
}
# at "YYYY-MM-DD HH:MM:SS" ARGS...: run kiosk with the clock at that UTC time
# (libfaketime; ASan refuses to start behind its LD_PRELOAD unless told not
# to check). Returns kiosk's status.
FAKE_ASAN="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
at() {
	local when=$1
	shift
	{ TZ=UTC ASAN_OPTIONS=$FAKE_ASAN faketime "$when" "$KIOSK" "$@" >/dev/null 2>"$T/err" </dev/null; } 2>/dev/null
}

rc_is() { [ "$RC" = "$1" ] || why "exit $RC, expected $1 (stderr: $(short "$T/err"))"; }
err_prefix() { grep -q "^kiosk: $1: " "$T/err" || why "no 'kiosk: $1: ' message (stderr: $(short "$T/err"))"; }
jout() {
	jq -e -s "length == 1 and (.[0] | ($1))" "$T/out" >/dev/null 2>&1 ||
	    why "JSON check '$1' failed on: $(short "$T/out")"
}
# csvq FILE SQL: query a CSV file as table t (columns named by its header).
csvq() {
	sqlite3 :memory: '.mode csv' ".import '$1' t" '.mode list' '.separator |' "$2" 2>/dev/null
}
# eq WHAT GOT WANT
eq() { [ "$2" = "$3" ] || why "$1 is '$2', expected '$3'"; }
code_of() { # code of the guest with this last name
	"$KIOSK" guests --db "$1" --format json 2>/dev/null |
	    jq -r --arg l "$2" '[.[] | select(.last_name == $l)][0].code'
}
# No file and no temporary file of path left behind.
nothing_at() {
	[ ! -e "$1" ] || why "$1 was created"
	local left
	left=$(find "$(dirname "$1")" -maxdepth 1 -name "$(basename "$1").tmp-*" 2>/dev/null)
	[ -z "$left" ] || why "left behind: $left"
}

# lo_csv OUTDIR FILE...: LibreOffice opens each workbook and writes one CSV
# per sheet, OUTDIR/NAME-SHEET.csv, the cells as shown (number formats
# applied). Filter options: comma, '"', UTF-8, from line 1, ..., "save cell
# contents as shown" on, formulas not exported, every sheet (-1: LibreOffice
# 7.2 and later, Debian 12 has 7.4). C locale: TRUE/FALSE and 50.0%, not
# the machine's language. Returns LibreOffice's status; its output in $T/lo.log.
lo_csv() {
	local outdir=$1
	shift
	mkdir -p "$outdir" "$T/lo-home"
	HOME=$T/lo-home LC_ALL=C.UTF-8 LANG=C.UTF-8 timeout 180 "$LO" \
	    "-env:UserInstallation=file://$T/lo-profile" --headless --norestore \
	    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
	    --outdir "$outdir" "$@" >"$T/lo.log" 2>&1
}

# =========================================================================
# The event: names in several scripts, a name that looks like a formula, a
# company with a comma, a cancelled ticket, two walk-ins; check-ins at known
# times (UTC; the event is in Brussels, CEST = UTC+2 in May). faketime's clock
# runs on from the time given, so each leaves seconds to spare before the
# next minute; 17:02:40 also shows that 19:02:40 reads 19:02, as in the CSV
# export (cut to the minute, not rounded).
# =========================================================================
DB=$T/event.db
cat >"$T/list.csv" <<'EOF'
First Name,Last Name,Email,Company,Ticket Type,Barcode #,Attendee Status
Zoë,Çelik,zoe@example.org,"=HYPERLINK(""http://evil.example"",""x"")",Regular,EXP-1,Attending
李,小龙,li@example.org,,VIP,EXP-2,Attending
=1+1,Formula,formula@example.org,@SUM(A1),Regular,EXP-3,Attending
Ann,Aerts,ann@example.org,"Aerts, Zonen & Co",Regular,EXP-4,Attending
Cas,Claes,cas@example.org,,VIP,EXP-5,Cancelled
EOF

setup() {
	kq import "$T/list.csv" --db "$DB" --tag EXP26 --timezone "$TZNAME" --event-name "Test event" ||
	    return 1
	kq add --first Wendy --last Walkin --db "$DB" || return 1
	kq add --first Walt --last Walker --db "$DB" || return 1
	at '2026-05-21 17:02:40' checkin EXP-1 --db "$DB" --kiosk "Door 1" || return 1
	at '2026-05-21 17:10:00' checkin EXP-2 --db "$DB" --kiosk "Door 2" || return 1
	at '2026-05-21 17:15:00' checkin EXP-2 --db "$DB" --kiosk "Door 1"
	[ $? = 3 ] || return 1 # already checked in
	at '2026-05-21 17:30:05' checkin "$(code_of "$DB" Walker)" --db "$DB" --kiosk "Door 2" ||
	    return 1
}

begin "setup: import 5, 2 walk-ins, 3 check-ins at fixed times"
setup || why "could not set up the event"
[ "$("$KIOSK" stats --db "$DB" --json 2>/dev/null | jq -r '"\(.registered)/\(.checked_in)"')" = 6/3 ] ||
    why "stats: $("$KIOSK" stats --db "$DB" --json 2>&1 | tr '\n' ' ')"
end

t_xlsx_file() {
	begin "export --format xlsx --out FILE: a zip, mode 0600, nothing on stdout"
	k export --db "$DB" --format xlsx --out "$T/all.xlsx"
	rc_is 0
	[ -s "$T/all.xlsx" ] || why "no $T/all.xlsx"
	[ "$(head -c 2 "$T/all.xlsx" 2>/dev/null)" = PK ] || why "not a zip"
	[ "$(stat -c %a "$T/all.xlsx" 2>/dev/null)" = 600 ] ||
	    why "mode $(stat -c %a "$T/all.xlsx" 2>/dev/null), expected 600"
	[ ! -s "$T/out" ] || why "data on stdout: $(short "$T/out")"
	[ -z "$(find "$T" -maxdepth 1 -name '*.tmp-*')" ] || why "a temporary file is left"
	k export --db "$DB" --format xlsx --out "$T/noshows.xlsx" --no-shows
	rc_is 0
	k export --db "$DB" --format xlsx --out "$T/walkins.xlsx" --walk-ins
	rc_is 0
	k export --db "$DB" --out "$T/all.csv"
	rc_is 0
	# The same event, after Zoë's ticket was cancelled (she had come: a
	# refund after the event), for t_cancelled_after_checkin.
	sqlite3 "$DB" ".backup '$T/cx.db'" || why "cannot copy the event"
	kq cancel EXP-1 --db "$T/cx.db" || why "cannot cancel EXP-1"
	k export --db "$T/cx.db" --format xlsx --out "$T/cx.xlsx"
	rc_is 0
	end
}

t_libreoffice() {
	begin "LibreOffice opens the workbooks and writes both sheets"
	if ! lo_csv "$T/lo" "$T/all.xlsx" "$T/noshows.xlsx" "$T/walkins.xlsx" "$T/cx.xlsx"; then
		why "libreoffice failed: $(short "$T/lo.log")"
	fi
	local f
	for f in all-Attendance all-Summary noshows-Attendance walkins-Attendance cx-Attendance cx-Summary; do
		[ -s "$T/lo/$f.csv" ] || why "no $f.csv ($(find "$T/lo" -name '*.csv' 2>/dev/null | tr '\n' ' '); log: $(short "$T/lo.log"))"
	done
	end
	LA=$T/lo/all-Attendance.csv
	LS=$T/lo/all-Summary.csv

	begin "Attendance sheet: the CSV export's header and guests, value for value"
	eq "header" "$(head -n1 "$LA" | tr -d '\r')" "$(head -n1 "$T/all.csv" | tr -d '\r')"
	eq "rows" "$(csvq "$LA" 'SELECT count(*) FROM t')" 6
	# Every cell the same as kiosk's CSV, but for the types the CSV cannot
	# carry: attended yes/no is TRUE/FALSE, and the CSV's apostrophe before a
	# formula-looking value (the spreadsheet keeps it as text without one).
	local cols="first_name last_name email company ticket_type source checked_in_at kiosk scans duplicate_entries"
	local c cond="x.attended <> CASE a.attended WHEN 'yes' THEN 'TRUE' ELSE 'FALSE' END"
	cond="$cond OR x.cancelled <> CASE a.cancelled WHEN 'yes' THEN 'TRUE' ELSE 'FALSE' END"
	for c in $cols; do
		cond="$cond OR x.$c IS NOT (CASE WHEN substr(a.$c, 1, 2) IN ('''=', '''+', '''-', '''@')"
		cond="$cond THEN substr(a.$c, 2) ELSE a.$c END)"
	done
	local diff
	diff=$(sqlite3 :memory: '.mode csv' ".import '$T/all.csv' a" ".import '$LA' x" '.mode list' \
	    "SELECT (SELECT count(*) FROM a) || '/' || (SELECT count(*) FROM a JOIN x USING (last_name));
	     SELECT a.last_name FROM a JOIN x USING (last_name) WHERE $cond;" 2>&1 | tr '\n' ' ')
	eq "rows joined, then rows that differ" "$diff" "6/6 "
	end

	begin "check-in times in Europe/Brussels (19:02, not the 17:02 UTC stored)"
	eq "Zoë's time" "$(csvq "$LA" "SELECT checked_in_at FROM t WHERE first_name = 'Zoë'")" "2026-05-21 19:02"
	eq "李's time" "$(csvq "$LA" "SELECT checked_in_at FROM t WHERE first_name = '李'")" "2026-05-21 19:10"
	eq "Walt's time" "$(csvq "$LA" "SELECT checked_in_at FROM t WHERE last_name = 'Walker'")" "2026-05-21 19:30"
	eq "Zoë's row" "$(csvq "$LA" "SELECT last_name||'/'||attended||'/'||kiosk||'/'||scans FROM t WHERE first_name = 'Zoë'")" \
	    "Çelik/TRUE/Door 1/1"
	eq "李's row" "$(csvq "$LA" "SELECT last_name||'/'||ticket_type||'/'||kiosk||'/'||scans FROM t WHERE first_name = '李'")" \
	    "小龙/VIP/Door 2/2"
	end

	begin "a name starting with = stays text (no formula ran)"
	eq "the =1+1 name" "$(csvq "$LA" "SELECT first_name FROM t WHERE last_name = 'Formula'")" "=1+1"
	eq "its company" "$(csvq "$LA" "SELECT company FROM t WHERE last_name = 'Formula'")" "@SUM(A1)"
	eq "Zoë's company" "$(csvq "$LA" "SELECT company FROM t WHERE first_name = 'Zoë'")" \
	    '=HYPERLINK("http://evil.example","x")'
	eq "no-show row" "$(csvq "$LA" "SELECT attended||'/'||checked_in_at||'/'||scans FROM t WHERE last_name = 'Formula'")" "FALSE//0"
	eq "comma in a company" "$(csvq "$LA" "SELECT company FROM t WHERE last_name = 'Aerts'")" "Aerts, Zonen & Co"
	eq "cancelled rows" "$(csvq "$LA" "SELECT count(*) FROM t WHERE last_name = 'Claes'")" 0
	end

	begin "Summary sheet: the event, its zone and the figures"
	# The sheet has no header row: name its columns, then look values up by
	# their label (sv LABEL), as LibreOffice shows them.
	{ echo "c1,c2,c3,c4"; cat "$LS"; } >"$T/summary.csv"
	LS=$T/summary.csv
	sv() { csvq "$LS" "SELECT c2 FROM t WHERE c1 = '$1'"; }
	eq "Event" "$(sv Event)" "Test event"
	eq "Time zone" "$(sv 'Time zone')" "$TZNAME"
	local gen now1 now2
	gen=$(sv 'Generated at')
	now1=$(TZ=$TZNAME date '+%Y-%m-%d %H:%M')
	now2=$(TZ=$TZNAME date -d '1 minute ago' '+%Y-%m-%d %H:%M')
	[ "$gen" = "$now1" ] || [ "$gen" = "$now2" ] || why "Generated at '$gen' is not now in $TZNAME ($now1)"
	eq "Attendance sheet" "$(sv 'Attendance sheet')" "every guest"
	eq "Registered" "$(sv Registered)" 6
	eq "Attended" "$(sv 'Attended (checked in)')" 3
	eq "No-shows" "$(sv No-shows)" 3
	eq "Walk-ins" "$(sv Walk-ins)" 2
	eq "Cancelled" "$(sv Cancelled)" 1
	eq "Duplicate entries" "$(sv 'Duplicate entries')" 0
	eq "Repeat scans" "$(sv 'Repeat scans')" 1
	eq "Attendance rate" "$(sv 'Attendance rate')" "50.0%"
	# the same figures as kiosk stats
	local js
	js=$("$KIOSK" stats --db "$DB" --json 2>/dev/null |
	    jq -r '"\(.registered)/\(.checked_in)/\(.no_shows)/\(.walk_ins)/\(.cancelled)"')
	eq "stats" "$js" "$(sv Registered)/$(sv 'Attended (checked in)')/$(sv No-shows)/$(sv Walk-ins)/$(sv Cancelled)"
	local types
	types=$(csvq "$LS" "SELECT c1||'/'||c2||'/'||c3||'/'||c4 FROM t
	    WHERE rowid > (SELECT rowid FROM t WHERE c1 = 'Ticket type')" | tr '\n' ' ')
	eq "per ticket type" "$types" "(no ticket type)/2/1/50.0% Regular/3/1/33.3% VIP/1/1/100.0% "
	end

	begin "--no-shows / --walk-ins workbooks list the same guests as the CSV"
	eq "no-shows in the workbook" \
	    "$(csvq "$T/lo/noshows-Attendance.csv" "SELECT group_concat(last_name, ' ') FROM (SELECT last_name FROM t ORDER BY last_name)")" \
	    "Aerts Formula Walkin"
	eq "walk-ins in the workbook" \
	    "$(csvq "$T/lo/walkins-Attendance.csv" "SELECT group_concat(last_name, ' ') FROM (SELECT last_name FROM t ORDER BY last_name)")" \
	    "Walker Walkin"
	eq "no-shows' attended" "$(csvq "$T/lo/noshows-Attendance.csv" "SELECT group_concat(DISTINCT attended) FROM t")" FALSE
	end
}

# LibreOffice opening kiosk's CSV as a user does, with its Text Import
# dialog's defaults: comma, semicolon and tab all ticked as separators. A
# company with a comma (in the --excel file of semicolons) or a semicolon (in
# the plain file of commas) must stay one cell, the columns after it in place.
t_csv_separators() {
	begin "LibreOffice's default Text Import: a comma or semicolon in a company keeps its columns"
	sqlite3 "$DB" ".backup '$T/semi.db'" || why "cannot copy the event"
	kq add --first Sam --last Semi --company "Zuid; Marketing" --db "$T/semi.db" ||
	    why "cannot add the walk-in"
	k export --db "$T/semi.db" --excel --out "$T/excel.csv"
	rc_is 0
	k export --db "$T/semi.db" --out "$T/plain.csv"
	rc_is 0
	mkdir -p "$T/lo-text" "$T/lo-home"
	HOME=$T/lo-home LC_ALL=C.UTF-8 LANG=C.UTF-8 timeout 180 "$LO" \
	    "-env:UserInstallation=file://$T/lo-profile" --headless --norestore \
	    '--infilter=CSV:44/59/9,34,76,1' \
	    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' \
	    --outdir "$T/lo-text" "$T/excel.csv" "$T/plain.csv" >"$T/lo.log" 2>&1 ||
	    why "libreoffice failed: $(short "$T/lo.log")"
	local f
	for f in excel plain; do
		local got="$T/lo-text/$f.csv"
		# the BOM of --excel is LibreOffice's to drop; strip it if kept
		sed -i '1s/^\xEF\xBB\xBF//' "$got" 2>/dev/null
		eq "$f: Aerts's company" "$(csvq "$got" "SELECT company FROM t WHERE last_name = 'Aerts'")" \
		    "Aerts, Zonen & Co"
		eq "$f: Aerts's source" "$(csvq "$got" "SELECT source FROM t WHERE last_name = 'Aerts'")" \
		    "import"
		eq "$f: Semi's company" "$(csvq "$got" "SELECT company FROM t WHERE last_name = 'Semi'")" \
		    "Zuid; Marketing"
		eq "$f: Semi's source" "$(csvq "$got" "SELECT source FROM t WHERE last_name = 'Semi'")" \
		    "walkin"
	done
	end
}

t_lists() {
	begin "--no-shows in csv and json: registered, not cancelled, never checked in"
	k export --db "$DB" --no-shows
	rc_is 0
	cp "$T/out" "$T/ns.csv"
	eq "header" "$(head -n1 "$T/ns.csv" | tr -d '\r')" "$(head -n1 "$T/all.csv" | tr -d '\r')"
	eq "csv" "$(csvq "$T/ns.csv" "SELECT group_concat(last_name, ' ') FROM (SELECT last_name FROM t ORDER BY last_name)")" \
	    "Aerts Formula Walkin"
	eq "csv attended" "$(csvq "$T/ns.csv" "SELECT group_concat(DISTINCT attended) FROM t")" no
	# rows are the full export's rows, byte for byte
	local missing
	missing=$(tail -n +2 "$T/ns.csv" | grep -vxF -f "$T/all.csv" | head -n1)
	[ -z "$missing" ] || why "row not as in the full export: $missing"
	k export --db "$DB" --format json --no-shows
	rc_is 0
	jout '([.[].last_name] | sort) == ["Aerts", "Formula", "Walkin"]'
	jout 'all(.[]; .attended == false and .checked_in_at == null)'
	k export --db "$DB" --excel --no-shows
	rc_is 0
	tr -d '\r' <"$T/out" | tail -n +2 | cut -d';' -f2 | sort | tr '\n' ' ' >"$T/ns-excel"
	eq "excel dialect" "$(cat "$T/ns-excel")" "Aerts Formula Walkin "
	end

	begin "--walk-ins in csv and json: registered at the door"
	k export --db "$DB" --walk-ins
	rc_is 0
	cp "$T/out" "$T/wi.csv"
	eq "csv" "$(csvq "$T/wi.csv" "SELECT group_concat(last_name||':'||attended, ' ') FROM (SELECT * FROM t ORDER BY last_name)")" \
	    "Walker:yes Walkin:no"
	eq "source" "$(csvq "$T/wi.csv" "SELECT group_concat(DISTINCT source) FROM t")" walkin
	k export --db "$DB" --format json --walk-ins --out "$T/wi.json"
	rc_is 0
	jq -e '([.[].last_name] | sort) == ["Walker", "Walkin"] and all(.[]; .source == "walkin")' \
	    "$T/wi.json" >/dev/null 2>&1 || why "walk-ins JSON: $(short "$T/wi.json")"
	jq -e '.[] | select(.last_name == "Walker") | .checked_in_at | test("^2026-05-21T19:30:0[0-9][+]02:00$")' \
	    "$T/wi.json" >/dev/null 2>&1 || why "Walt's time in JSON: $(short "$T/wi.json")"
	end

	begin "without a list option the export is what it was (every guest, not cancelled)"
	k export --db "$DB"
	rc_is 0
	cmp -s "$T/out" "$T/all.csv" || why "stdout and --out differ"
	eq "rows" "$(csvq "$T/all.csv" 'SELECT count(*) FROM t')" 6
	end
}

# Zoë came at 19:02 and her ticket was cancelled since: she keeps her row
# (attended, cancelled = yes) in every format, and every figure counts her
# as registered and checked in; Cas, cancelled and never there, stays out.
t_cancelled_after_checkin() {
	local CX=$T/cx.db
	begin "cancelled after check-in: CSV and JSON keep the row, cancelled = yes, last column"
	k export --db "$CX" --out "$T/cx.csv"
	rc_is 0
	eq "header" "$(head -n1 "$T/cx.csv" | tr -d '\r')" \
	    "first_name,last_name,email,company,ticket_type,source,attended,checked_in_at,kiosk,scans,duplicate_entries,cancelled"
	eq "Zoë's row" "$(csvq "$T/cx.csv" "SELECT attended||'/'||checked_in_at||'/'||kiosk||'/'||cancelled FROM t WHERE first_name = 'Zoë'")" \
	    "yes/2026-05-21 19:02/Door 1/yes"
	eq "rows" "$(csvq "$T/cx.csv" 'SELECT count(*) FROM t')" 6
	eq "others not cancelled" "$(csvq "$T/cx.csv" "SELECT group_concat(DISTINCT cancelled) FROM t WHERE first_name <> 'Zoë'")" no
	eq "Cas" "$(csvq "$T/cx.csv" "SELECT count(*) FROM t WHERE last_name = 'Claes'")" 0
	k export --db "$CX" --format json
	rc_is 0
	jout 'length == 6 and ([.[] | select(.cancelled)] | length == 1 and .[0].last_name == "Çelik" and .[0].attended and .[0].checked_in_at != null)'
	k export --db "$CX" --excel
	rc_is 0
	eq "excel dialect" "$(tr -d '\r' <"$T/out" | grep -c ';yes$')" 1
	k export --db "$CX" --no-shows
	rc_is 0
	eq "no-shows" "$(csvq "$T/out" "SELECT group_concat(last_name, ' ') FROM (SELECT last_name FROM t ORDER BY last_name)")" \
	    "Aerts Formula Walkin"
	end

	begin "cancelled after check-in: stats, the workbook and the export agree"
	k stats --db "$CX" --json
	rc_is 0
	jout '.registered == 6 and .checked_in == 3 and .no_shows == 3 and .cancelled == 1 and .cancelled_after_checkin == 1 and ([.arrivals_per_15_minutes[].arrivals] | add) == 3'
	k stats --db "$CX"
	rc_is 0
	grep -q "1 came and had their ticket cancelled since" "$T/out" || why "stats text: $(short "$T/out")"
	local cs=$T/cx-summary.csv
	{ echo "c1,c2,c3,c4"; cat "$T/lo/cx-Summary.csv"; } >"$cs"
	eq "Summary" "$(csvq "$cs" "SELECT group_concat(c2, '/') FROM t WHERE c1 IN ('Registered',
	    'Attended (checked in)', 'No-shows', 'Cancelled', 'Came, cancelled since')")" "6/3/3/1/1"
	eq "Zoë in the workbook" "$(csvq "$T/lo/cx-Attendance.csv" "SELECT attended||'/'||cancelled FROM t WHERE first_name = 'Zoë'")" \
	    "TRUE/TRUE"
	eq "rows in the workbook" "$(csvq "$T/lo/cx-Attendance.csv" 'SELECT count(*) FROM t')" 6
	end

	begin "cancel --undo: the same row, cancelled = no; cancelled after undo of the admission: gone"
	kq cancel --undo EXP-1 --db "$CX" || why "cannot reinstate EXP-1"
	k export --db "$CX"
	rc_is 0
	eq "Zoë" "$(csvq "$T/out" "SELECT attended||'/'||cancelled FROM t WHERE first_name = 'Zoë'")" "yes/no"
	kq cancel EXP-1 --db "$CX" || why "cannot cancel EXP-1 again"
	kq undo EXP-1 --db "$CX" || why "cannot undo EXP-1's check-in"
	k export --db "$CX"
	rc_is 0
	eq "rows" "$(csvq "$T/out" 'SELECT count(*) FROM t')" 5
	k stats --db "$CX" --json
	jout '.registered == 5 and .checked_in == 2 and .no_shows == 3 and .cancelled == 2 and .cancelled_after_checkin == 0'
	end
}

# Summer time ends on 25 October 2026 at 03:00 CEST (01:00 UTC): 02:00 to
# 03:00 comes twice in Brussels. The arrivals are counted per real quarter
# hour, and the text listing gives each time its offset, or the two 02:45
# lines read as one quarter hour listed twice.
t_dst() {
	begin "stats across the end of summer time: each quarter hour once, with its offset"
	local DD=$T/dst.db
	kq import "$T/list.csv" --db "$DD" --tag DST26 --timezone "$TZNAME" --event-name "DST" ||
	    why "cannot import"
	at '2026-10-25 00:50:00' checkin EXP-1 --db "$DD" --kiosk "Door 1" || why "checkin EXP-1"
	at '2026-10-25 01:05:00' checkin EXP-2 --db "$DD" --kiosk "Door 1" || why "checkin EXP-2"
	at '2026-10-25 01:50:00' checkin EXP-3 --db "$DD" --kiosk "Door 1" || why "checkin EXP-3"
	k stats --db "$DD"
	rc_is 0
	grep -q "with UTC offsets" "$T/out" || why "no word of the offsets: $(short "$T/out")"
	grep -qE '^  2026-10-25 02:45 \+02:00 +1 ' "$T/out" || why "02:45 CEST: $(short "$T/out")"
	grep -qE '^  2026-10-25 02:00 \+01:00 +1 ' "$T/out" || why "02:00 CET: $(short "$T/out")"
	grep -qE '^  2026-10-25 02:45 \+01:00 +1 ' "$T/out" || why "02:45 CET: $(short "$T/out")"
	eq "slots" "$(grep -c "^  2026-10-25" "$T/out")" 5
	k stats --db "$DD" --json
	jout '.checked_in == 3 and (.arrivals_per_15_minutes | length) == 5 and .arrivals_per_15_minutes[0].start == "2026-10-25T02:45:00+02:00" and .arrivals_per_15_minutes[1].start == "2026-10-25T02:00:00+01:00"'
	# without a change, no offsets
	k stats --db "$DB"
	grep -q "+02:00" "$T/out" && why "offsets without a change: $(short "$T/out")"
	end
}

t_clock_1970() {
	begin "a first import or walk-in with the clock at 1970: refused, saying so, no event made"
	at '1970-01-02 10:00:00' import "$T/list.csv" --db "$T/c1970.db" --tag OLD70 \
	    --timezone "$TZNAME" --event-name "Clock"
	RC=$?
	rc_is 1
	err_has "this computer's clock reads 1970-01-02 10:00 UTC, so it is not set: set the date and time"
	[ ! -e "$T/c1970.db" ] || why "the event was made: $(sqlite3 "$T/c1970.db" 'SELECT min(created_at) FROM guest' 2>&1)"
	at '1970-01-02 10:00:00' add --first Wendy --last Walkin --db "$T/c1970w.db" --tag OLD70 \
	    --timezone "$TZNAME" --event-name "Clock"
	RC=$?
	rc_is 1
	err_has "this computer's clock reads 1970"
	[ ! -e "$T/c1970w.db" ] || why "the walk-in's event was made"
	# with the clock right, the same import goes in
	kq import "$T/list.csv" --db "$T/c1970.db" --tag OLD70 --timezone "$TZNAME" \
	    --event-name "Clock" || why "the import with the clock right failed"
	end
}

t_refusals() {
	begin "xlsx needs --out FILE: refused on standard output, nothing written"
	k export --db "$DB" --format xlsx
	rc_is 1
	err_prefix export
	err_has "--out"
	[ ! -s "$T/out" ] || why "bytes on stdout: $(head -c 20 "$T/out" | od -An -c | head -n1)"
	k export --db "$DB" --format xlsx --out -
	rc_is 1
	err_prefix export
	[ ! -s "$T/out" ] || why "bytes on stdout with --out -"
	end

	begin "--excel with xlsx, --no-shows with --walk-ins, an unknown format: refused"
	k export --db "$DB" --format xlsx --excel --out "$T/x1.xlsx"
	rc_is 1
	err_prefix export
	err_has "--excel"
	nothing_at "$T/x1.xlsx"
	k export --db "$DB" --no-shows --walk-ins --out "$T/x2.csv"
	rc_is 1
	err_prefix export
	nothing_at "$T/x2.csv"
	k export --db "$DB" --format ods --out "$T/x3.ods"
	rc_is 1
	err_prefix export
	err_has "xlsx"
	nothing_at "$T/x3.ods"
	end

	begin "--out FILE.xlsx without --format writes a spreadsheet, .json JSON; CSV into .xlsx is refused"
	k export --db "$DB" --out "$T/named.xlsx"
	rc_is 0
	[ "$(head -c 2 "$T/named.xlsx" 2>/dev/null)" = PK ] || why "--out named.xlsx is not a zip"
	k export --db "$DB" --out "$T/named.json"
	rc_is 0
	python3 -m json.tool "$T/named.json" >/dev/null 2>&1 || why "--out named.json is not JSON"
	k export --db "$DB" --out "$T/csv.XLSX" --format csv
	rc_is 1
	err_has "--format csv writes CSV, and --out $T/csv.XLSX is named as a spreadsheet"
	nothing_at "$T/csv.XLSX"
	k export --db "$DB" --out "$T/excel.xlsx" --excel
	rc_is 1
	err_has "--excel writes CSV"
	nothing_at "$T/excel.xlsx"
	k export --db "$DB" --out "$T/csv.json" --format csv
	rc_is 1
	err_has "--format csv writes CSV, and --out $T/csv.json is named as JSON"
	nothing_at "$T/csv.json"
	k export --db "$DB" --out "$T/excel.json" --excel
	rc_is 1
	err_has "--excel writes CSV, and --out $T/excel.json is named as JSON"
	nothing_at "$T/excel.json"
	k export --db "$DB" --out "$T/json.csv" --format json
	rc_is 1
	err_has "--format json writes JSON, and --out $T/json.csv is named as CSV"
	nothing_at "$T/json.csv"
	end

	# A LibreOffice user names the file as LibreOffice saves, an old Excel's
	# user as theirs: CSV written under those names is a file LibreOffice
	# refuses to open ("source file could not be loaded"), nobody knows why.
	begin "--out FILE.ods or FILE.xls: refused, .xlsx said, nothing written"
	local name
	for name in att.ods att.ODS att.xls; do
		k export --db "$DB" --out "$T/$name"
		rc_is 1
		err_prefix export
		err_has "--out $T/$name"
		err_has ".xlsx"
		nothing_at "$T/$name"
	done
	k export --db "$DB" --excel --out "$T/excel.ods"
	rc_is 1
	err_has ".xlsx"
	nothing_at "$T/excel.ods"
	k export --db "$DB" --format xlsx --out "$T/x.ods"
	rc_is 1
	err_has ".xlsx"
	nothing_at "$T/x.ods"
	k export --db "$DB" --format json --out "$T/j.xls"
	rc_is 1
	err_has "kiosk writes no .xls file; name it .json"
	nothing_at "$T/j.xls"
	end

	begin "xlsx to a missing folder or over a folder: exit 1, named, nothing left"
	k export --db "$DB" --format xlsx --out "$T/no/such/dir/a.xlsx"
	rc_is 1
	err_prefix export
	err_has "$T/no/such/dir/a.xlsx"
	[ ! -e "$T/no" ] || why "folder created"
	mkdir -p "$T/adir.xlsx"
	k export --db "$DB" --format xlsx --out "$T/adir.xlsx"
	rc_is 1
	err_prefix export
	err_has "adir.xlsx"
	if [ ! -d "$T/adir.xlsx" ] || [ -n "$(ls -A "$T/adir.xlsx")" ]; then
		why "the folder changed"
	fi
	local left
	left=$(find "$T" -maxdepth 1 -name '*.tmp-*')
	[ -z "$left" ] || why "left behind: $left"
	end

	begin "xlsx over an existing file: replaced whole"
	printf 'old\n' >"$T/old.xlsx"
	chmod 644 "$T/old.xlsx"
	k export --db "$DB" --format xlsx --out "$T/old.xlsx"
	rc_is 0
	[ "$(head -c 2 "$T/old.xlsx")" = PK ] || why "not replaced"
	[ "$(stat -c %a "$T/old.xlsx")" = 600 ] || why "mode $(stat -c %a "$T/old.xlsx")"
	end

	begin "export --help names xlsx, --no-shows and --walk-ins"
	k export --help
	rc_is 0
	local w
	for w in xlsx --no-shows --walk-ins; do
		grep -qF -- "$w" "$T/out" || why "--help lacks $w"
	done
	end
}

# A systemd stop (or Ctrl-C) in the middle of an export or a badge PDF:
# nothing at the name, and no temporary file of guests' names left beside
# it (the import already cleaned up its draft; these did not).
t_stopped() {
	begin "an export or a badge PDF stopped half-way leaves no file, not even its temporary one"
	local big=$T/stop i try got
	mkdir -p "$big"
	awk 'BEGIN { print "First Name,Last Name,Email,Barcode #";
	    for (i = 1; i <= 100000; i++) printf "Guest,N%d,g%d@example.org,QS%07d\n", i, i, i }' \
	    >"$big/big.csv"
	k import "$big/big.csv" --db "$big/big.db" --tag QS --timezone UTC
	rc_is 0
	# badges of the first 3,000 (an ASan build measures 100,000 names for
	# longer than the wait below)
	head -n 3001 "$big/big.csv" >"$big/small.csv"
	k import "$big/small.csv" --db "$big/small.db" --tag QS --timezone UTC
	rc_is 0
	local what db
	for what in "export --out $big/att.csv" "export --format xlsx --out $big/att.xlsx" \
	    "badges --out $big/b.pdf"; do
		got=""
		db=$big/big.db
		[ "${what%% *}" = badges ] && db=$big/small.db
		for try in 1 2 3 4 5; do
			rm -f "$big"/att.* "$big"/b.*
			# shellcheck disable=SC2086
			env --default-signal=INT "$KIOSK" $what --db "$db" >/dev/null 2>&1 &
			local pid=$!
			for ((i = 0; i < 2000; i++)); do # 20 s at most
				ls "$big" | grep -q '\.tmp-' && break
				sleep 0.005
			done
			# Ctrl-C for the CSV, a systemd stop for the others
			kill -"$([ "${what##*.}" = csv ] && echo INT || echo TERM)" "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			[ "$i" -lt 2000 ] && [ ! -e "${what##* }" ] && { got=yes; break; }
		done
		if [ -z "$got" ]; then
			why "${what%% *}: could not stop it half-way in 5 tries"
		elif ls "$big" | grep -q '\.tmp-'; then
			why "${what%% --out*} stopped half-way left $(ls "$big" | grep '\.tmp-')"
		fi
	done
	end
}

# kiosk stats --plot draws in kiosk.conf's language, as the hub's page
# does for a browser that asks for none of kiosk's: an organiser in Ghent
# prints it for a Dutch-speaking sponsor. It was English whatever the
# language (pdftotext reads the words back).
t_plot_language() {
	begin "stats --plot in kiosk.conf's language (Dutch, French), else English"
	local d=$T/plotlang code lang want
	mkdir -p "$d"
	cat >"$d/kiosk.conf" <<'CONF'
[event]
database = ev.db
name = Zomerfeest
timezone = Europe/Brussels
tag = ZF26
[kiosk]
language = nl
CONF
	cd "$d" || return
	code=$("$KIOSK" add --first Ann --last Aerts --json 2>/dev/null </dev/null | jq -r .code)
	k checkin "$code"
	[ "$RC" = 0 ] || why "check-in: $(short "$T/err")"
	for lang in nl fr en; do
		sed -i "s/^language = .*/language = $lang/" "$d/kiosk.conf"
		k stats --plot "$d/$lang.pdf"
		[ "$RC" = 0 ] || { why "$lang: stats --plot: $(short "$T/err")"; continue; }
		case $lang in
		nl) want='aankomsten per 15 minuten|1 van 1 ingecheckt|stand van' ;;
		fr) want='arrivées par tranche de 15 minutes|1 entrée sur 1 inscrits|heure \(Europe/Brussels\)' ;;
		en) want='arrivals per 15 minutes|1 of 1 checked in|as of' ;;
		esac
		local IFS='|' w
		for w in $want; do
			pdftotext "$d/$lang.pdf" - 2>/dev/null | grep -qE -- "$w" ||
			    why "$lang: no '$w' in the plot: $(pdftotext "$d/$lang.pdf" - 2>&1 | head -c 200)"
		done
		unset IFS
	done
	pdftotext "$d/nl.pdf" - 2>/dev/null | grep -qE 'arrivals|checked in|as of' &&
	    why "nl: English words left in the plot"
	cd "$T" || exit 1
	end
}

# An event of days read from a copy with no kiosk.conf beside it (kiosk
# backup on a USB stick, the hub's file read from another folder) gives the
# figures its doors gave: before, a guest who came on two days was a
# duplicate entry there, and the export had no days_attended.
t_days_copy() {
	begin "an event of days read from its backup, without kiosk.conf: no duplicate entry, days_attended kept"
	local d=$T/days code got
	mkdir -p "$d/event" "$d/stick"
	cat >"$d/event/kiosk.conf" <<'CONF'
[event]
database = ev.db
name = Two days
timezone = Europe/Brussels
tag = TD26
[checkin]
each_day = yes
CONF
	code=$(cd "$d/event" && TZ=UTC ASAN_OPTIONS=$FAKE_ASAN faketime "2026-05-20 10:00:00" \
	    "$KIOSK" add --first Ann --last Two --json 2>/dev/null </dev/null | jq -r .code)
	(cd "$d/event" && at "2026-05-21 07:10:00" checkin "$code") || why "day 1: $(short "$T/err")"
	(cd "$d/event" && at "2026-05-22 07:05:00" checkin "$code") || why "day 2: $(short "$T/err")"
	got=$(cd "$d/event" && "$KIOSK" stats --json 2>/dev/null | jq -c '[.duplicate_entries, (.days | length)]')
	[ "$got" = "[0,2]" ] || why "beside kiosk.conf: [duplicates, days] $got, expected [0,2]"
	(cd "$d/event" && "$KIOSK" backup "$d/stick/copy.db" >/dev/null 2>&1) || why "kiosk backup failed"
	got=$(cd "$d/stick" && "$KIOSK" stats --db copy.db --json 2>/dev/null |
	    jq -c '[.duplicate_entries, (.days // [] | length)]')
	[ "$got" = "[0,2]" ] || why "the copy: [duplicates, days] $got, expected [0,2]"
	got=$(cd "$d/stick" && "$KIOSK" export --db copy.db --format json 2>/dev/null |
	    jq -c '.[0] | [.duplicate_entries, .days_attended]')
	[ "$got" = "[0,2]" ] || why "the copy's export: [duplicate_entries, days_attended] $got, expected [0,2]"
	end
}

t_plot_language
t_xlsx_file
t_libreoffice
t_csv_separators
t_lists
t_days_copy
t_cancelled_after_checkin
t_dst
t_refusals
t_clock_1970
t_stopped

finish
