#!/bin/sh
# run.sh BENCH_CORE: the `make bench` table.
#
# Generates a 100,000-guest Eventbrite export (and the same as an .xlsx
# workbook, imported too), measures kiosk on it and, in
# the same run, the references it is judged against (sqlite3 .import of the
# same file, the raw fdatasync time of the same disk), then prints one table:
# what, figure, reference, target, verdict. bench_core (bench/bench_core.c)
# does the measuring and prints key=value lines; this script only runs it and
# the real ./kiosk, and lays out the figures. Work files go to bench/out/
# (git-ignored), which is on the same disk as the repo.
#
# Two more references give context, with no verdict: sqlite3 alone writing
# the same tables and indexes as the import (bench/same-tables.sql), and an
# fdatasync of the bytes a check-in's commit writes (its WAL frames).
#
# The raw fdatasync references run interleaved with the check-ins (blocks of
# 500 check-ins, then 125 probes of each): this machine's shared disk changes its
# sync time by 10x from one minute to the next, and a ratio of figures taken
# minutes apart would measure the weather.
#
# Knobs (environment): BENCH_GUESTS (100000), BENCH_SCANS (20000),
# BENCH_SEARCHES (3000), BENCH_PIPED (3000, codes piped into kiosk scan),
# BENCH_IMPORT_TIMEOUT (20 s: an import slower than that is reported as a miss
# and cut short, so the bench stays within about two minutes), KIOSK (./kiosk).
set -eu

BENCH=${1:?usage: bench/run.sh BENCH_CORE}
KIOSK=${KIOSK:-./kiosk}
GUESTS=${BENCH_GUESTS:-100000}
SCANS=${BENCH_SCANS:-20000}
SEARCHES=${BENCH_SEARCHES:-3000}
PIPED=${BENCH_PIPED:-3000}
TMO=${BENCH_IMPORT_TIMEOUT:-20}
OUT=bench/out

for tool in sqlite3 timeout awk; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench: needs $tool" >&2; exit 1; }
done
rm -rf "$OUT"
mkdir -p "$OUT"
CSV=$OUT/guests.csv
LOG=$OUT/bench.log   # every raw line, for whoever wants more than the table
: >"$LOG"

say() { printf 'bench: %s\n' "$*" >&2; }
# val FILE KEY: the value of KEY= on the first line of FILE that has it.
val() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1" | head -n 1; }
# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
keep() { cat "$1" >>"$LOG"; }
# kimport NAME DB FILE: the real kiosk import of FILE into a fresh $OUT/DB,
# timed into $OUT/NAME.txt (kept in the log), its output in $OUT/NAME.out
# and .err; cut short after TMO seconds.
kimport() {
	rm -f "$OUT/$2" "$OUT/$2-wal" "$OUT/$2-shm"
	"$BENCH" run "$OUT/$1.txt" timeout "$TMO" "$KIOSK" import "$3" \
	    --db "$OUT/$2" >"$OUT/$1.out" 2>"$OUT/$1.err" || true
	keep "$OUT/$1.txt"
}

# --- the export ------------------------------------------------------------
say "generating a $GUESTS-guest export"
"$BENCH" gen "$GUESTS" "$CSV" 1 >"$OUT/gen.txt"
keep "$OUT/gen.txt"
# The same export as a platform's .xlsx (bench_core xlsx: libxlsxwriter,
# strings in a shared strings table, order and attendee numbers as numbers,
# the order date a date-time, the barcode text), for the import below.
say "the same export as an .xlsx workbook"
"$BENCH" xlsx "$CSV" "$OUT/guests.xlsx" >"$OUT/xlsx.txt" || true
keep "$OUT/xlsx.txt"

# --- import: sqlite3 .import (reference) ------------------------------------
# A table with the export's columns, created first in a fresh database;
# --skip 1 drops the header line (sqlite3 3.32+). One transaction, as .import
# does, with the CLI's defaults (rollback journal, synchronous=FULL).
say "sqlite3 .import (reference)"
sqlite3 "$OUT/ref.db" 'CREATE TABLE t ("Order #", "Order Date", "First Name",
    "Last Name", "Email", "Quantity", "Ticket Type", "Attendee #", "Barcode #",
    "Attendee Status", "Company", "Job Title")'
"$BENCH" run "$OUT/ref.txt" sqlite3 "$OUT/ref.db" -cmd '.mode csv' \
    ".import --skip 1 $CSV t"
keep "$OUT/ref.txt"
ref_rows=$(sqlite3 "$OUT/ref.db" 'SELECT count(*) FROM t')
ref_ms=$(val "$OUT/ref.txt" wall_ms)

# --- import: sqlite3 doing the kiosk's storage work (reference) -------------
# The file into a staging table as above, then bench/same-tables.sql: the
# kiosk's guest table, indexes and search words, written by sqlite3 alone.
say "sqlite3: .import, then the same tables and indexes (reference)"
{
	echo "PRAGMA cache_size = -65536;"
	echo 'CREATE TEMP TABLE t ("Order #", "Order Date", "First Name", "Last Name", "Email",'
	echo '    "Quantity", "Ticket Type", "Attendee #", "Barcode #", "Attendee Status",'
	echo '    "Company", "Job Title");'
	echo ".mode csv"
	echo ".import --skip 1 $CSV t"
	cat bench/same-tables.sql
} >"$OUT/same.sql"
same_exit=0
"$BENCH" run "$OUT/same.txt" sqlite3 -bail "$OUT/same.db" <"$OUT/same.sql" >/dev/null ||
    same_exit=$?
keep "$OUT/same.txt"
same_rows=$(sqlite3 "$OUT/same.db" 'SELECT count(*) FROM guest' 2>/dev/null || echo 0)
same_ms=$(val "$OUT/same.txt" wall_ms)

# --- import: the real kiosk import -----------------------------------------
say "kiosk import (timeout ${TMO}s)"
kimport kimport kiosk.db "$CSV"
kimp_exit=$(val "$OUT/kimport.txt" exit)
kimp_ms=$(val "$OUT/kimport.txt" wall_ms)
kimp_rss=$(val "$OUT/kimport.txt" maxrss_kb)

# --- import: the same list as an Excel workbook ------------------------------
# The export's workbook (above), imported into a fresh database right after
# the CSV import, which it is judged against. A workbook is read whole before
# its first row is written (xlsxin.h): 52 MB of XML unpacked and parsed for
# this 16 MB CSV, 0.9 to 2.0 times the CSV import's time (1.65 at the median,
# 25 runs on a loaded 2-core VM); the bound, 2.5 times, leaves about the
# margin the lone-CR row's does. Both must hold the same guests: as many, the
# platform's barcodes all alike (a row without one gets a code of the kiosk's
# own, new at each import), the same names by attendee number.
say "kiosk import, the same list as an .xlsx workbook (timeout ${TMO}s)"
kimport kimport_xlsx kiosk-xlsx.db "$OUT/guests.xlsx"
kimp_x_exit=$(val "$OUT/kimport_xlsx.txt" exit)
kimp_x_ms=$(val "$OUT/kimport_xlsx.txt" wall_ms)
kimp_x_rss=$(val "$OUT/kimport_xlsx.txt" maxrss_kb)
# "CSV guests|xlsx guests|barcodes alike|names alike by attendee number"
xlsx_same=""
if [ "$kimp_x_exit" = 0 ] && [ "$kimp_exit" = 0 ]; then
	xlsx_same=$(sqlite3 "$OUT/kiosk.db" "ATTACH '$OUT/kiosk-xlsx.db' AS x;
	    SELECT (SELECT count(*) FROM main.guest), (SELECT count(*) FROM x.guest),
	        (SELECT count(*) FROM main.guest JOIN x.guest USING (code)),
	        (SELECT count(*) FROM main.guest g JOIN x.guest h ON h.ext_id = g.ext_id
	            AND h.first_name = g.first_name AND h.last_name = g.last_name
	            AND h.email = g.email AND h.cancelled = g.cancelled)" 2>&1 || true)
fi
echo "xlsx_same $xlsx_same" >>"$LOG"

# --- import: the same file with Mac line ends -------------------------------
# Excel's "CSV (Macintosh)" ends lines with a lone CR: reading one must cost
# what reading LF lines does (it once searched the rest of the file for an
# LF at every line: 16.7 s for this file).
say "kiosk import, the same file with lone-CR line ends (timeout ${TMO}s)"
tr '\n' '\r' <"$CSV" >"$OUT/guests-cr.csv"
kimport kimport_cr kiosk-cr.db "$OUT/guests-cr.csv"
kimp_cr_exit=$(val "$OUT/kimport_cr.txt" exit)
kimp_cr_ms=$(val "$OUT/kimport_cr.txt" wall_ms)

# --- import: in-process, phase by phase ------------------------------------
# Skipped when kiosk import was cut short: the same code would be too.
core_exit=124
if [ "$kimp_exit" != 124 ]; then
	say "bench_core import (timeout ${TMO}s)"
	core_exit=0
	timeout "$TMO" "$BENCH" import "$CSV" "$OUT/core.db" >"$OUT/import.txt" || core_exit=$?
	keep "$OUT/import.txt"
fi
if [ "$core_exit" -ne 0 ]; then
	# Too slow to wait for: build the event the other phases need with the
	# suggested fix (an index on guest_word(guest_id), dropped afterwards,
	# so the schema is the real one) and report that import too.
	say "import too slow; building the event with the guest_word(guest_id) index workaround"
	"$BENCH" import "$CSV" "$OUT/core.db" index >"$OUT/import_index.txt"
	keep "$OUT/import_index.txt"
fi
DB=$OUT/core.db

# --- check-in committed vs raw fdatasync ------------------------------------
say "checkin_scan x $SCANS (durable, checkpointer on), raw fdatasync interleaved"
cp "$DB" "$OUT/checkin.db"
"$BENCH" checkin "$OUT/checkin.db" "$SCANS" 7 cp "$OUT" >"$OUT/checkin.txt"
keep "$OUT/checkin.txt"
grep '^fsync ' "$OUT/checkin.txt" >"$OUT/fsync.txt"
grep '^fsync_same ' "$OUT/checkin.txt" >"$OUT/fsync_same.txt"
grep '^checkin ' "$OUT/checkin.txt" >"$OUT/checkin1.txt"
# The same with SQLite's own automatic checkpoint instead of the
# checkpointer thread: does taking checkpoints off the scan path pay?
AUTO_SCANS=$((SCANS / 4))
say "checkin_scan x $AUTO_SCANS with SQLite's auto-checkpoint, raw fdatasync interleaved"
cp "$DB" "$OUT/checkin_auto.db"
"$BENCH" checkin "$OUT/checkin_auto.db" "$AUTO_SCANS" 7 auto "$OUT" >"$OUT/auto.txt"
keep "$OUT/auto.txt"
grep '^fsync ' "$OUT/auto.txt" >"$OUT/auto_fsync.txt"

# --- name search -------------------------------------------------------------
say "guest_search x $SEARCHES keystrokes"
"$BENCH" search "$DB" "$SEARCHES" 11 >"$OUT/search.txt"
keep "$OUT/search.txt"

# --- kiosk scan: throughput, memory, start-up --------------------------------
say "kiosk scan < $PIPED codes"
cp "$DB" "$OUT/scan.db"
"$BENCH" codes "$DB" "$PIPED" 13 >"$OUT/codes.txt"
"$BENCH" run "$OUT/start.txt" "$KIOSK" scan --db "$OUT/scan.db" </dev/null >/dev/null
keep "$OUT/start.txt"
"$BENCH" run "$OUT/scan.txt" "$KIOSK" scan --db "$OUT/scan.db" \
    <"$OUT/codes.txt" >"$OUT/scan.out" 2>"$OUT/scan.err" || true
keep "$OUT/scan.txt"
scan_lines=$(wc -l <"$OUT/scan.out")
scan_errors=$(grep -c '"result": *"error"' "$OUT/scan.out" || true)
scan_ms=$(val "$OUT/scan.txt" wall_ms)

# --- the door app: scan to frame, start-up, memory; camera decoding ------------
APP_SCANS=${BENCH_APP_SCANS:-10000}
say "kiosk run (offscreen, 1280x720) with $APP_SCANS scanner bursts"
cp "$DB" "$OUT/app.db"
"$BENCH" codes "$DB" "$APP_SCANS" 17 >"$OUT/app_codes.txt"
# The app quits after the last code's result; timeout only guards a hang.
SDL_VIDEODRIVER=offscreen timeout 300 "$KIOSK" run --db "$OUT/app.db" --size 1280x720 \
    --bench-codes "$OUT/app_codes.txt" --timings "$OUT/app.txt" >/dev/null 2>&1 || true
keep "$OUT/app.txt"
CAMERA_BIN=${CAMERA_BIN:-build/bench/bench_camera}
cam_fps=""
if [ -x "$CAMERA_BIN" ]; then
	say "camera decode rate"
	"$CAMERA_BIN" >"$OUT/camera.txt" 2>&1 || true
	keep "$OUT/camera.txt"
	cam_fps=$(sed -n 's/^camera_decode_fps \([0-9.]*\).*/\1/p' "$OUT/camera.txt" | head -n 1)
fi
# --- badges: a 1,000-guest PDF, against qrencode writing the same codes ---------
say "badges for 1000 guests"
"$BENCH" gen 1000 "$OUT/b1000.csv" 5 >/dev/null
rm -f "$OUT/b1000.db"
"$KIOSK" import "$OUT/b1000.csv" --db "$OUT/b1000.db" --tag BB26 --timezone UTC \
    --event-name "Bench Event" >/dev/null 2>&1 || true
sqlite3 "$OUT/b1000.db" "SELECT code FROM guest" >"$OUT/b1000.codes"
t0=$(date +%s%N)
"$KIOSK" badges --db "$OUT/b1000.db" --out "$OUT/b1000.pdf" >/dev/null 2>&1 || true
badge_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
badge_kb=$(( $(stat -c %s "$OUT/b1000.pdf" 2>/dev/null || echo 0) / 1024 ))
qr_ms=""
if command -v qrencode >/dev/null 2>&1; then
	mkdir -p "$OUT/qr"
	t0=$(date +%s%N)
	i=0
	while read -r code; do
		i=$((i + 1))
		qrencode -o "$OUT/qr/$i.png" "$code"
	done <"$OUT/b1000.codes"
	qr_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
fi

# --- sync: a hub and kiosks on loopback (bench/sync.sh) --------------------------
say "sync: hub and kiosks on loopback"
sync_ok=0
KIOSK="$KIOSK" ./bench/sync.sh "$OUT" "$BENCH" || sync_ok=$?
keep "$OUT/sync.txt"
# sv KEY: a "key value" line of the sync figures.
sv() { sed -n "s/^$1 \(.*\)/\1/p" "$OUT/sync.txt" | head -n 1; }

# --- ticket e-mails (bench/mail.sh) ------------------------------------------------
say "mail: 1,000 tickets built (dry run) and sent to a loopback SMTP server"
mail_ok=0
KIOSK="$KIOSK" ./bench/mail.sh "$OUT" >/dev/null || mail_ok=$?
[ -f "$OUT/mail.txt" ] && keep "$OUT/mail.txt"
mval() { sed -n "s/^$1 \(.*\)/\1/p" "$OUT/mail.txt" 2>/dev/null | head -n 1; }

# app VALUE: a "key value" line of the app's timings file.
app() { sed -n "s/^$1 \(.*\)/\1/p" "$OUT/app.txt" | head -n 1; }

# --- the table -----------------------------------------------------------------
row() { printf '%-38s %-24s %-24s %-12s %s\n' "$1" "$2" "$3" "$4" "$5"; }
# verdict OK: PASS when the awk condition holds.
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo MISS; }

echo
echo "kiosk bench: $GUESTS guests ($(val "$OUT/gen.txt" with_code) with a platform barcode)," \
    "$(nproc) cores, $(sqlite3 --version | cut -d' ' -f1) sqlite3, disk of $(df -P "$OUT" | awk 'NR == 2 { print $1 }')"
echo
row "what" "figure" "reference" "target" "verdict"
row "----" "------" "---------" "------" "-------"

ref_s=$(calc "$ref_ms / 1000")
ref_txt=$(printf '%.2f s sqlite3 .import' "$ref_s")
if [ "$kimp_exit" = 124 ]; then
	row "import: kiosk import" ">${TMO} s (cut short)" "$ref_txt" "<= ref" "MISS"
else
	row "import: kiosk import (exit $kimp_exit)" "$(calc "$kimp_ms / 1000" | xargs printf '%.2f s') ($(calc "$kimp_ms / $ref_ms" | xargs printf '%.1fx'))" \
	    "$ref_txt" "<= ref" "$(verdict "$kimp_ms <= $ref_ms")"
fi
if [ "$kimp_cr_exit" = 0 ] && [ "$kimp_exit" = 0 ]; then
	row "  the same, lone-CR line ends" "$(calc "$kimp_cr_ms / 1000" | xargs printf '%.2f s') ($(calc "$kimp_cr_ms / $kimp_ms" | xargs printf '%.2fx'))" \
	    "kiosk import, LF" "<= 1.5x" "$(verdict "$kimp_cr_ms <= 1.5 * $kimp_ms")"
else
	row "  the same, lone-CR line ends" "exit $kimp_cr_exit" "kiosk import, LF" "<= 1.5x" "MISS"
fi
if [ "$kimp_x_exit" = 0 ] && [ "$kimp_exit" = 0 ]; then
	csv_n=${xlsx_same%%|*}
	xlsx_want="$csv_n|$csv_n|$(val "$OUT/gen.txt" with_code)|$csv_n"
	v=MISS
	[ "$xlsx_same" = "$xlsx_want" ] && v=$(verdict "$kimp_x_ms <= 2.5 * $kimp_ms")
	row "  the same list as .xlsx" "$(calc "$kimp_x_ms / 1000" | xargs printf '%.2f s') ($(calc "$kimp_x_ms / $kimp_ms" | xargs printf '%.2fx'))" \
	    "kiosk import, CSV" "<= 2.5x" "$v"
	# what differs: guests, barcodes alike, names alike; or sqlite3's error
	same_txt() { echo "$1" | awk -F'|' '{ printf "%s; codes %s, names %s", $2, $3, $4 }'; }
	case $xlsx_same in
	"$xlsx_want") ;;
	*[!0-9\|]* | '') row "    not compared with the CSV's guests" "$xlsx_same" "" "" "MISS" ;;
	*) row "    not the CSV's guests" "$(same_txt "$xlsx_same")" "$(same_txt "$xlsx_want")" "" "MISS" ;;
	esac
else
	row "  the same list as .xlsx" "exit $kimp_x_exit" "kiosk import, CSV" "<= 2.5x" "MISS"
fi
if [ "$core_exit" -eq 0 ]; then
	core_ms=$(val "$OUT/import.txt" total_ms)
	row "import: read+apply in-process" "$(calc "$core_ms / 1000" | xargs printf '%.2f s') ($(calc "$core_ms / $ref_ms" | xargs printf '%.1fx'))" \
	    "$ref_txt" "<= ref" "$(verdict "$core_ms <= $ref_ms")"
	row "  of which header / rows (read alongside)" "$(val "$OUT/import.txt" read_ms) / $(val "$OUT/import.txt" apply_ms) ms" "" "" "info"
else
	if [ -s "$OUT/import.txt" ] || [ "$kimp_exit" != 124 ]; then
		row "import: read+apply in-process" ">${TMO} s (cut short)" "$ref_txt" "<= ref" "MISS"
	fi
	idx_ms=$(val "$OUT/import_index.txt" total_ms)
	row "  same + guest_word(guest_id) index" "$(calc "$idx_ms / 1000" | xargs printf '%.2f s') ($(calc "$idx_ms / $ref_ms" | xargs printf '%.1fx'))" \
	    "$ref_txt" "<= ref" "$(verdict "$idx_ms <= $ref_ms")"
	row "    of which read / apply" "$(val "$OUT/import_index.txt" read_ms) / $(val "$OUT/import_index.txt" apply_ms) ms" "" "" "info"
fi
[ "$ref_rows" = "$GUESTS" ] || row "  (sqlite3 imported $ref_rows rows)" "" "" "" "CHECK"
if [ "$same_exit" != 0 ] || [ "$same_rows" != "$GUESTS" ]; then
	row "  against the same tables and indexes" "no figure" \
	    "sqlite3 exit $same_exit, $same_rows guests" "" "CHECK"
elif [ "$kimp_exit" = 0 ]; then
	row "  against the same tables and indexes" "$(calc "$kimp_ms / $same_ms" | xargs printf '%.2fx')" \
	    "$(calc "$same_ms / 1000" | xargs printf '%.2f s') sqlite3 alone" "" "info"
fi

for p in p50 p99 p999; do
	c=$(val "$OUT/checkin1.txt" "${p}_ms")
	f=$(val "$OUT/fsync.txt" "${p}_ms")
	name=$(echo "$p" | sed 's/p999/p99.9/')
	if [ "$p" = p99 ]; then
		row "check-in committed $name" "$c ms ($(calc "$c / $f" | xargs printf '%.2fx'))" \
		    "$f ms fdatasync $name" "<= 1.5x" "$(verdict "$c <= 1.5 * $f")"
	else
		row "check-in committed $name" "$c ms ($(calc "$c / $f" | xargs printf '%.2fx'))" \
		    "$f ms fdatasync $name" "" "info"
	fi
done
c=$(val "$OUT/checkin1.txt" p99_ms)
f=$(val "$OUT/fsync_same.txt" p99_ms)
row "  p99 against the same bytes" "$c ms ($(calc "$c / $f" | xargs printf '%.2fx'))" \
    "$f ms, $(val "$OUT/fsync_same.txt" pages) WAL frames" "" "info"
row "  max; commits > 16.7 ms" "$(val "$OUT/checkin1.txt" max_ms) ms; $(val "$OUT/checkin1.txt" over16ms)" \
    "$(val "$OUT/fsync.txt" max_ms) ms; $(val "$OUT/fsync.txt" over16ms)" "" "info"
row "  checkpoints: thread passes; by commits" "$(val "$OUT/checkin1.txt" cp_passes); $(val "$OUT/checkin1.txt" cp_by_commits) (WAL at most $(val "$OUT/checkin1.txt" wal_most) pages)" "" "" "info"
a=$(val "$OUT/auto.txt" p99_ms)
af=$(val "$OUT/auto_fsync.txt" p99_ms)
row "  p99 with auto-checkpoint instead" "$a ms ($(calc "$a / $af" | xargs printf '%.2fx'))" \
    "$af ms fdatasync p99" "" "info"

s50=$(val "$OUT/search.txt" p50_ms)
s99=$(val "$OUT/search.txt" p99_ms)
row "name search per keystroke p50" "$s50 ms" "" "" "info"
row "name search per keystroke p99" "$s99 ms" "" "< 2 ms" "$(verdict "$s99 < 2")"
row "  max, one sample (query)" "$(val "$OUT/search.txt" max_ms) ms ($(val "$OUT/search.txt" worst_query))" \
    "" "" "info"
row "  slowest query, timed again" \
    "$(val "$OUT/search.txt" retimed_ms) ms ($(val "$OUT/search.txt" retimed_query))" "" "< 5 ms" \
    "$(verdict "$(val "$OUT/search.txt" retimed_ms) < 5")"

f50=$(val "$OUT/fsync.txt" p50_ms)
if [ "$scan_lines" -eq "$PIPED" ] && [ "$scan_errors" -eq 0 ]; then
	row "kiosk scan throughput" "$(calc "$PIPED * 1000 / $scan_ms" | xargs printf '%.0f') scans/s" \
	    "$(calc "1000 / $f50" | xargs printf '%.0f') fdatasync/s" "" "info"
else
	row "kiosk scan throughput" "$scan_lines answers, $scan_errors errors" "$PIPED codes" "all answered" "MISS"
fi
rss=$(val "$OUT/scan.txt" maxrss_kb)
row "kiosk scan peak resident memory" "$(calc "$rss / 1024" | xargs printf '%.1f MB')" \
    "" "< 64 MB" "$(verdict "$rss < 64 * 1024")"
start=$(val "$OUT/start.txt" wall_ms)
row "kiosk scan start to ready (and exit)" "$start ms" "" "< 200 ms" "$(verdict "$start < 200")"
if [ "$kimp_exit" != 124 ]; then
	row "kiosk import peak resident memory" "$(calc "$kimp_rss / 1024" | xargs printf '%.1f MB')" "" "" "info"
fi
if [ "$kimp_x_exit" = 0 ]; then
	row "  the same list as .xlsx" "$(calc "$kimp_x_rss / 1024" | xargs printf '%.1f MB')" "" "" "info"
fi
a50=$(app scan_to_frame_p50_ms); a99=$(app scan_to_frame_p99_ms)
if [ -n "$a99" ]; then
	row "app: scan to result on screen p50" "$a50 ms" "" "" "info"
	row "app: scan to result on screen p99" "$a99 ms ($(app scans) scans)" "16.7 ms (a frame)" "< 5 ms" \
	    "$(verdict "$a99 < 5")"
	row "app: start to ready to scan" "$(app start_to_ready_ms) ms" "" "< 150 ms" \
	    "$(verdict "$(app start_to_ready_ms) < 150")"
	first=$(calc "$(app start_to_ready_ms) + $(app first_scan_ms)")
	row "app: start to first scan answered" "$first ms" "ready $(app start_to_ready_ms) + scan $(app first_scan_ms) ms" \
	    "< 200 ms" "$(verdict "$first < 200")"
	row "app: resident memory idle / after scans" "$(app rss_idle_mb) / $(app rss_end_mb) MB" \
	    "" "< 64 MB" "$(verdict "$(app rss_peak_mb) < 64")"
else
	row "app: scan to result on screen" "no figures" "" "< 5 ms" "MISS"
fi
row "badges: 1,000-guest PDF" "$badge_ms ms, $badge_kb KB" \
    "${qr_ms:-?} ms qrencode PNGs" "< 1 s, < 5 MB" \
    "$(verdict "$badge_ms < 1000 && $badge_kb < 5120")"
if [ "$sync_ok" = 0 ] && [ -n "$(sv sync4_ms)" ]; then
	moved=$(sv sync4_moved); made=$(sv sync4_hub_checkins)
	row "sync: 4 kiosks x $((made / 4)) offline, to equal" "$(calc "$(sv sync4_ms) / 1000" | xargs printf '%.2f s') (equal: $(sv sync4_equal), $(sv sync4_rounds) rounds)" \
	    "" "< 2 s" "$(verdict "$(sv sync4_ms) < 2000 && \"$(sv sync4_equal)\" == \"yes\"")"
	row "  check-ins per request" "$(calc "$moved / $(sv sync4_requests)" | xargs printf '%.0f') ($(sv sync4_requests) requests)" \
	    "" ">= 500" "$(verdict "$moved / $(sv sync4_requests) >= 500")"
	row "  bytes per check-in sent or received" "$(calc "$(sv sync4_bytes) / $moved" | xargs printf '%.0f B')" \
	    "$(calc "$(sv sync4_bytes) / $made" | xargs printf '%.0f B') per check-in made" "< 100 B" \
	    "$(verdict "$(sv sync4_bytes) / $moved < 100")"
	row "  join: 4 kiosks pull the list at once" "$(calc "$(sv join4_ms) / 1000" | xargs printf '%.1f s')" "" "" "info"
	if [ -n "$(sv door_sync_p99_ms)" ]; then
		row "app: scan to screen p99, door syncing" "$(sv door_sync_p99_ms) ms ($(sv door_sync_scans) scans)" \
		    "p50 $(sv door_sync_p50_ms), p99.9 $(sv door_sync_p999_ms) ms; $(sv door_sync_changed) changed in" "< 16.7 ms" \
		    "$(verdict "$(sv door_sync_p99_ms) < 16.7")"
	fi
	row "sync: hub, 20 kiosks at once" "$(calc "($(sv hub20_stored) + $(sv hub20_pulled)) * 1000 / $(sv hub20_ms)" | xargs printf '%.0f records/s')" \
	    "$(sv hub20_requests) requests in $(calc "$(sv hub20_ms) / 1000" | xargs printf '%.1f s')" "" "info"
else
	row "sync" "no figures (bench/sync.sh failed)" "" "< 2 s" "MISS"
fi
if [ "$mail_ok" = 0 ] && [ -n "$(mval mail_build_per_s)" ]; then
	row "mail: tickets built (dry run)" "$(mval mail_build_per_s) messages/s" "$(mval mail_kib_per_msg) KiB each" "" "info"
	row "mail: sent to loopback SMTP" "$(mval mail_send_per_s) messages/s" "" "" "info"
else
	row "mail" "no figures (bench/mail.sh failed)" "" "" "MISS"
fi
if [ -n "$cam_fps" ]; then
	row "camera: QR decode, noisy 640x480" "$cam_fps frames/s" "" ">= 60/s" "$(verdict "$cam_fps >= 60")"
fi
echo
echo "raw figures: $LOG"
