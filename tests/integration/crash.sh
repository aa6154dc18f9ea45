#!/usr/bin/env bash
# Crash safety: the real `kiosk scan` on a 10,000-guest event, fed codes the
# way a door feeds them (bursts, pauses, a quiet second now and then so the
# checkpoint thread runs, a rush now and then so a commit checkpoints
# itself), killed with SIGKILL at random moments, CRASH_KILLS times. After
# each kill, on a copy of the files exactly as the kill left them:
#   - every code the kiosk printed as admitted has its check-in on disk
#     ("reported" = complete lines in its stdout, a file that outlives it);
#   - PRAGMA integrity_check is ok;
#   - the check-ins on disk are exactly the first codes fed, in order: at
#     most the one in flight (committed, not yet printed) is unreported;
#   - every check-in has its audit row (one transaction), nobody is in twice.
# Then the kiosk is started again on the files as they are (WAL and all) and
# carries on with the codes not yet on disk, plus rescans of admitted codes
# (which must answer already_checked_in) and unknown codes. After the last
# kill a run goes to the end of its input and must exit 0.
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/crash.sh
#   CRASH_KILLS=200 ...    number of kills (default 20; `make crash-test`: 200)
#   CRASH_SEED=N ...       repeat a run: the seed is printed at the start
#
# The seed fixes the codes, their order, the pauses and every kill's delay;
# only the machine's speed differs between two runs with one seed.
# Prints "ok - NAME" / "not ok - NAME: REASON" and, last,
# "crash: N passed, M failed"; exits 1 when M > 0.
# Needs: bash, coreutils, awk, jq, sqlite3.
set -u
SUITE="crash"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

KILLS=${CRASH_KILLS:-20}
SEED=${CRASH_SEED:-$(( $(date +%s) % 100000 ))}
GUESTS=10000
FRESH_PER_RUN=40    # new codes in one run's feed: 200 kills stay within 10,000 guests

need_tools jq sqlite3 awk
[ -x "$KIOSK" ] || { notok binary "$KIOSK is not an executable (run make kiosk)"; finish; }
case $KILLS in ''|*[!0-9]*) notok setup "CRASH_KILLS must be a number, not '$KILLS'"; finish ;; esac

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-crash.XXXXXX") || exit 1
PIDS=""
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1
START=$SECONDS
# The binary under test, copied: a rebuild in the tree during a long run
# (make writes build/kiosk in place) would otherwise fail a start.
cp "$KIOSK" "$T/kiosk" || { notok setup "cannot copy $KIOSK"; finish; }
KIOSK=$T/kiosk
echo "# crash: seed $SEED (CRASH_SEED=$SEED to repeat), $KILLS kills, $GUESTS guests"

# --- the event ---------------------------------------------------------------
# Platform codes (an Eventbrite-like "Barcode #" column), then the same codes
# in an order the seed decides.
awk -v n=$GUESTS 'BEGIN {
	print "First Name,Last Name,Email,Ticket Type,Barcode #"
	for (i = 1; i <= n; i++)
		printf "Guest%d,Crash%d,g%d@example.org,%s,77%013d\n", i, i, i,
		    i % 10 ? "General" : "VIP", i
}' >guests.csv
awk -F, -v seed="$SEED" 'NR > 1 { c[++n] = $5 }
END {
	srand(seed)
	for (i = n; i > 1; i--) { j = 1 + int(rand() * i); t = c[i]; c[i] = c[j]; c[j] = t }
	for (i = 1; i <= n; i++) print c[i]
}' guests.csv >order
if "$KIOSK" import guests.csv --db event.db --tag CRASH --timezone UTC \
    --event-name "Crash test" >import.log 2>&1 &&
    [ "$(sqlite3 event.db 'SELECT count(*) FROM guest')" = $GUESTS ]; then
	ok "setup: a $GUESTS-guest event"
else
	notok setup "import failed: $(head -c 300 import.log)"
	finish
fi

# --- one run -----------------------------------------------------------------
# plan RUN FRESHFILE POOLFILE > PLAN: what run RUN feeds, one item a line:
#   K ms      kill after ms (first line)
#   F code    a code not yet checked in      -> admitted
#   R code    a code reported admitted before -> already_checked_in
#   U code    a code nobody has               -> unknown_code
#   S secs    a pause (the last one outlasts any kill)
# One run in six is a rush of 6,000 rescans with no pause (about 3 WAL
# pages each), killed later than the others (0.8 to 4 s), so the WAL may
# pass 10,000 pages, where the checkpoint thread starts on it, and 12,000,
# where a commit checkpoints and the WAL starts over; one in ten pauses a
# second and more, so the thread checkpoints a quiet WAL (and may be the
# one killed).
plan() {
	awk -v seed="$SEED" -v run="$1" -v fresh="$2" -v pool="$3" 'BEGIN {
		srand(seed * 1000 + run)
		while ((getline l < fresh) > 0) f[++nf] = l
		while ((getline l < pool) > 0) p[++np] = l
		early = rand() < 0.2
		rush = run % 6 == 0 && np > 0
		printf "K %d\n", rush ? 800 + int(rand() * 3200) : early ? int(rand() * 60) : \
		    int(rand() * 1600)
		if (rush) {
			for (i = 1; i <= 6000; i++) {
				if (rand() < 0.9)
					printf "R %s\n", p[1 + int(rand() * np)]
				else
					printf "U 99%013d\n", int(rand() * 1e9)
			}
		} else {
			i = 0
			while (i < nf) {
				burst = 1 + int(rand() * 12)
				for (b = 0; b < burst && i < nf; b++) {
					r = rand()
					if (r < 0.75 || np == 0)
						printf "F %s\n", f[++i]
					else if (r < 0.93)
						printf "R %s\n", p[1 + int(rand() * np)]
					else
						printf "U 99%013d\n", int(rand() * 1e9)
				}
				if (rand() < 0.1)
					printf "S %.3f\n", 1.05 + rand() * 0.5
				else
					printf "S %.3f\n", rand() * 0.12
			}
		}
		print "S 60"
	}'
}

# feed PLAN: write its codes, pausing as told, without forking a sleep (so
# killing this one process stops the feed).
feed() {
	local kind val pause
	exec {pause}<> <(:)
	while read -r kind val; do
		case $kind in
		F|R|U) printf '%s\n' "$val" || return ;;
		S) read -r -t "$val" -u "$pause" ;;
		esac
	done <"$1"
}

# complete_lines FILE: its lines, without a last one the kill cut short.
complete_lines() {
	if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then
		sed '$d' "$1"
	else
		cat "$1"
	fi
}

# answers OUT: "RESULT CODE" per complete JSON line; a line that is not
# JSON becomes "garbage".
answers() {
	complete_lines "$1" | jq -R -r '(fromjson? // null) as $j |
		if ($j | type) == "object" then "\($j.result) \($j.code // "-")" else "garbage -" end'
}

# compare EXPECTED ANSWERS: the first problem, or nothing. Answer i must be
# for item i, with the result its kind calls for; no more answers than items.
compare() {
	awk 'NR == FNR { k[NR] = $1; c[NR] = $2; n = NR; next }
	{
		want = k[FNR] == "F" ? "admitted" : k[FNR] == "R" ? "already_checked_in" : "unknown_code"
		if (FNR > n) { printf "answer %d with only %d codes fed: %s", FNR, n, $0; exit }
		if ($1 != want || $2 != c[FNR]) {
			printf "answer %d is \"%s\", expected \"%s %s\"", FNR, $0, want, c[FNR]; exit
		}
	}' "$1" "$2"
}

# dbcheck DB FED REPORTED: one line "integrity lost ondisk maxn dups orphans"
#   integrity: PRAGMA integrity_check ("ok")
#   lost: reported admissions without their check-in
#   ondisk, maxn: how many fed new codes have a check-in, and the last one's
#     place in the feed (equal when the codes on disk are a prefix)
#   dups: guests with two check-ins; orphans: check-ins without audit row
dbcheck() {
	{
		echo "CREATE TEMP TABLE fed (n INTEGER PRIMARY KEY, code TEXT);"
		echo "CREATE TEMP TABLE rep (code TEXT);"
		awk '{ printf "INSERT INTO temp.fed VALUES (%d, '\''%s'\'');\n", NR, $1 }' "$2"
		awk '{ printf "INSERT INTO temp.rep VALUES ('\''%s'\'');\n", $1 }' "$3"
		cat <<'SQL'
CREATE TEMP TABLE inside AS SELECT g.code FROM guest g JOIN checkin c
    ON c.guest_uuid = g.uuid AND c.kind = 'in';
SELECT (SELECT group_concat(integrity_check, ' ') FROM pragma_integrity_check) || ' ' ||
    (SELECT count(*) FROM rep WHERE code NOT IN (SELECT code FROM inside)) || ' ' ||
    (SELECT count(*) FROM fed WHERE code IN (SELECT code FROM inside)) || ' ' ||
    (SELECT coalesce(max(n), 0) FROM fed WHERE code IN (SELECT code FROM inside)) || ' ' ||
    (SELECT count(*) FROM (SELECT guest_uuid FROM checkin WHERE kind = 'in'
        GROUP BY guest_uuid HAVING count(*) > 1)) || ' ' ||
    (SELECT count(*) FROM checkin c WHERE NOT EXISTS
        (SELECT 1 FROM scan s WHERE s.uuid = c.uuid));
SQL
	} | sqlite3 "$1" 2>&1 | tail -n 1
}

# --- the kills -----------------------------------------------------------------
: >reported          # every code ever printed as admitted
NEXT=1               # place in ./order of the next new code
SURVIVED=0 LOST=0 INFLIGHT=0 ANSWERED=0 EARLY=0 HOTWAL=0
F_RUNNING="" F_LOST="" F_INTEGRITY="" F_PREFIX="" F_ATOMIC="" F_ANSWERS=""
first() { # first VAR TEXT: keep the first failure of a kind
	[ -n "${!1}" ] || printf -v "$1" '%s' "$2"
}

for run in $(seq 1 "$KILLS"); do
	d=run$run
	mkdir "$d"
	tail -n +"$NEXT" order | head -n $FRESH_PER_RUN >"$d/fresh"
	plan "$run" "$d/fresh" reported >"$d/plan"
	delay=$(awk 'NR == 1 { print $2 }' "$d/plan")
	awk '$1 ~ /^[FRU]$/' "$d/plan" >"$d/expected"
	awk '$1 == "F" { print $2 }' "$d/plan" >"$d/fed"
	rm -f in.fifo
	mkfifo in.fifo
	"$KIOSK" scan --db event.db --kiosk crash <in.fifo >"$d/out" 2>"$d/err" &
	kpid=$!
	feed "$d/plan" >in.fifo 2>/dev/null &
	fpid=$!
	PIDS="$kpid $fpid"
	read -r -t "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))" <> <(:)
	kill -9 "$kpid" 2>/dev/null
	# (the braces keep the shell's "Killed" line off the report)
	{ wait "$kpid"; } 2>/dev/null
	st=$?
	kill "$fpid" 2>/dev/null
	wait "$fpid" 2>/dev/null
	PIDS=""
	[ "$delay" -lt 60 ] && EARLY=$((EARLY + 1))
	if [ "$st" -eq 137 ]; then
		SURVIVED=$((SURVIVED + 1))
	else
		first F_RUNNING "kill $run (after ${delay} ms): the kiosk had already ended, status $st: $(head -c 200 "$d/err")"
	fi

	# What was reported, and is it right?
	answers "$d/out" >"$d/answers"
	awk '$1 == "admitted" { print $2 }' "$d/answers" >"$d/reported"
	ANSWERED=$((ANSWERED + $(wc -l <"$d/answers")))
	why=$(compare "$d/expected" "$d/answers")
	[ -z "$why" ] || first F_ANSWERS "run $run: $why"
	[ ! -s "$d/err" ] || first F_ANSWERS "run $run wrote to stderr: $(head -c 200 "$d/err")"

	# The files as the kill left them, checked on a copy: sqlite3 would
	# otherwise checkpoint and remove the WAL the next kiosk must recover.
	mkdir "$d/copy"
	for f in event.db event.db-wal event.db-shm; do
		[ -e "$f" ] && cp "$f" "$d/copy/$f"
	done
	# frames in the WAL when the kill came: what the next start recovers
	frames=$(sqlite3 "$d/copy/event.db" 'PRAGMA wal_checkpoint' 2>/dev/null | cut -d '|' -f 2)
	[ "${frames:-0}" -gt 0 ] 2>/dev/null && HOTWAL=$((HOTWAL + 1))
	read -r integ lost ondisk maxn dups orphans <<<"$(dbcheck "$d/copy/event.db" "$d/fed" "$d/reported")"
	if [ "$integ" != ok ]; then
		first F_INTEGRITY "kill $run (after ${delay} ms): integrity_check says: $integ $lost $ondisk"
	fi
	case ${lost:-x}${ondisk:-x}${maxn:-x}${dups:-x}${orphans:-x} in
	*[!0-9]*) first F_LOST "kill $run: the database could not be read: $integ $lost"; lost=0; ondisk=0; maxn=0 ;;
	esac
	if [ "${lost:-0}" -gt 0 ]; then
		LOST=$((LOST + lost))
		first F_LOST "kill $run (after ${delay} ms): $lost check-in(s) reported admitted are not on disk"
	fi
	nrep=$(wc -l <"$d/reported")
	if [ "$ondisk" != "$maxn" ] || [ "$ondisk" -lt "$nrep" ] || [ "$ondisk" -gt $((nrep + 1)) ]; then
		first F_PREFIX "kill $run (after ${delay} ms): $ondisk of the codes fed are on disk, the last at place $maxn, $nrep reported"
	fi
	[ "$ondisk" -gt "$nrep" ] && INFLIGHT=$((INFLIGHT + ondisk - nrep))
	if [ "${dups:-0}" != 0 ] || [ "${orphans:-0}" != 0 ]; then
		first F_ATOMIC "kill $run: $dups guest(s) checked in twice, $orphans check-in(s) without their audit row"
	fi
	cat "$d/reported" >>reported
	NEXT=$((NEXT + maxn))
	# keep what explains a failure, drop the rest (200 copies of 6 MB)
	if [ -z "$F_RUNNING$F_LOST$F_INTEGRITY$F_PREFIX$F_ATOMIC$F_ANSWERS" ]; then
		rm -rf "$d"
	fi
	[ $((run % 50)) -eq 0 ] && echo "# $run kills, $(wc -l <reported) admissions reported, ${SECONDS}s"
done

NREP=$(wc -l <reported)
N=$KILLS
if [ -z "$F_RUNNING" ]; then
	ok "$N kills at random moments ($EARLY while starting up, $HOTWAL with frames in the WAL): the kiosk was running at each"
else
	notok "$N kills at random moments: the kiosk was running at each" "$F_RUNNING"
fi
if [ -z "$F_LOST" ]; then
	ok "after every kill: each of the $NREP check-ins reported as admitted is on disk"
else
	notok "after every kill: each check-in reported as admitted is on disk" "$F_LOST"
fi
if [ -z "$F_INTEGRITY" ]; then
	ok "after every kill: PRAGMA integrity_check is ok"
else
	notok "after every kill: PRAGMA integrity_check is ok" "$F_INTEGRITY"
fi
if [ -z "$F_PREFIX" ]; then
	ok "after every kill: the check-ins on disk are the codes fed, in order; unreported at most the one in flight ($INFLIGHT in all)"
else
	notok "after every kill: the check-ins on disk are the codes fed, in order" "$F_PREFIX"
fi
if [ -z "$F_ATOMIC" ]; then
	ok "after every kill: each check-in has its audit row, no guest is checked in twice"
else
	notok "after every kill: each check-in has its audit row, no guest is checked in twice" "$F_ATOMIC"
fi
if [ -z "$F_ANSWERS" ]; then
	ok "every restart carries on: $ANSWERED answers, each the right one (new code admitted, rescan already checked in, unknown refused), no errors"
else
	notok "every restart carries on with the right answers" "$F_ANSWERS"
fi

# --- after the last kill: to the end ---------------------------------------
# The rest of a run's worth of new codes and some rescans, without pauses;
# the kiosk reads to the end of its input and exits 0.
tail -n +"$NEXT" order | head -n 300 | sed 's/^/F /' >final.plan
tail -n 100 reported | sed 's/^/R /' >>final.plan
awk '{ print $2 }' final.plan >final.in
"$KIOSK" scan --db event.db --kiosk crash <final.in >final.out 2>final.err
st=$?
answers final.out >final.answers
why=$(compare final.plan final.answers)
if [ "$st" = 0 ] && [ -z "$why" ] && [ "$(wc -l <final.answers)" = "$(wc -l <final.plan)" ] &&
    [ ! -s final.err ]; then
	ok "after the last kill: the kiosk starts again, scans $(wc -l <final.plan) more codes to the end and exits 0"
else
	notok "after the last kill: the kiosk scans to the end and exits 0" \
	    "exit $st; ${why:-$(wc -l <final.answers) answers to $(wc -l <final.plan) codes}; stderr: $(head -c 200 final.err)"
fi
awk '$1 == "admitted" { print $2 }' final.answers >>reported
NREP=$(wc -l <reported)
read -r integ lost _ <<<"$(dbcheck event.db /dev/null reported)"
INDB=$(sqlite3 event.db "SELECT count(*) FROM checkin WHERE kind = 'in'")
if [ "$integ" = ok ] && [ "$lost" = 0 ]; then
	ok "at the end: all $NREP reported admissions are in the database ($INDB check-ins), integrity ok"
else
	notok "at the end: all reported admissions are in the database" "integrity: $integ; lost: $lost of $NREP"
fi

echo "# crash: $SURVIVED kills survived of $KILLS; check-ins lost: $LOST; reported admitted: $NREP; in flight at a kill (on disk, not yet printed): $INFLIGHT; seed $SEED; $((SECONDS - START)) s"
finish
