#!/bin/sh
# mail.sh [OUT]: the ticket e-mail figures of `make bench`, as "key value"
# lines on stdout (and in OUT/mail.txt; OUT is bench/out by default).
#
# A generated MAIL_GUESTS-guest event (1,000; names in several scripts,
# languages mixed), then:
#   mail_build_per_s  messages made per second by `kiosk mail --dry-run`
#                     (template, QR PNG, the PDF ticket drawn, MIME, a file)
#   mail_send_per_s   messages per second to a real SMTP server on loopback
#                     (tests/tools/smtpd.py --discard: aiosmtpd, which takes
#                     and counts them), every one recorded in the event
#   mail_kib_per_msg  the size of one message, KiB
# The server is Python on the same machine: when it is the slower side,
# mail_send_per_s measures it more than kiosk.
set -eu

OUT=${1:-bench/out}
KIOSK=${KIOSK:-./kiosk}
N=${MAIL_GUESTS:-1000}
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
SMTPD=$HERE/../tests/tools/smtpd.py
mkdir -p "$OUT"
M=$(cd "$OUT" && pwd)/mail
R=$(cd "$OUT" && pwd)/mail.txt
rm -rf "$M"
mkdir -p "$M"
: >"$R"
SPID=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; true' EXIT

say() { printf 'bench: %s\n' "$*" >&2; }
put() { echo "$1 $2" | tee -a "$R"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

"$PY" -c 'import aiosmtpd' 2>/dev/null || { say "mail: needs python3-aiosmtpd"; exit 1; }

say "mail: a $N-guest event"
awk -v n="$N" 'BEGIN {
	split("English,Nederlands,fr,Deutsch,,nl-BE", lang, ",")
	split("Jan,Zoë,محمد,小明,Inès,Maximiliaan", first, ",")
	print "First Name,Last Name,Email,Language"
	for (i = 1; i <= n; i++)
		printf "%s,Guest %d,g%d@example.org,%s\n", first[i % 6 + 1], i, i, lang[i % 6 + 1]
}' >"$M/guests.csv"
"$KIOSK" import "$M/guests.csv" --db "$M/e.db" --event-name "Mail Bench 2026" --tag MB26 \
    --timezone Europe/Brussels >/dev/null
cp "$M/e.db" "$M/send.db"
cat >"$M/k.conf" <<EOF
[event]
database = e.db
date = Thursday 21 May 2026, 9:00
place = De Singel, Antwerpen
[mail]
from = Mail Bench <tickets@example.org>
per_minute = 0
EOF

say "mail: dry run, $N messages"
t0=$(ms)
"$KIOSK" mail --config "$M/k.conf" --dry-run "$M/dry" >/dev/null
t1=$(ms)
made=$(ls "$M/dry" | grep -c '\.eml$')
[ "$made" = "$N" ] || { say "mail: the dry run wrote $made messages, not $N"; exit 1; }
put mail_build_per_s "$(awk -v n="$N" -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1000 / t }')"
put mail_kib_per_msg "$(du -sk "$M/dry" | awk -v n="$N" '{ printf "%.1f", $1 / n }')"

say "mail: sending $N messages to a loopback SMTP server"
mkdir -p "$M/box"
"$PY" "$SMTPD" --maildir "$M/box" --port-file "$M/port" --discard 2>"$M/smtpd.err" &
SPID=$!
i=0
while [ ! -s "$M/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$M/port")
t0=$(ms)
"$KIOSK" mail --config "$M/k.conf" --db "$M/send.db" --smtp "smtp://127.0.0.1:$PORT" \
    >"$M/send.out" 2>"$M/send.err"
t1=$(ms)
sent=$(sqlite3 "$M/send.db" "SELECT count(*) FROM mail WHERE result = 'sent'")
[ "$sent" = "$N" ] || { say "mail: $sent sent, not $N: $(tail -1 "$M/send.err")"; exit 1; }
put mail_send_per_s "$(awk -v n="$N" -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", n * 1000 / t }')"
