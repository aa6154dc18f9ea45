#!/usr/bin/env bash
# Ticket e-mail tests: the real binary against a real SMTP server on
# loopback (tests/tools/smtpd.py: Debian's python3-aiosmtpd, its Mailbox
# handler writing each message as it arrived into a Maildir).
#
#  - a 100-guest event: 100 messages, each to the right address, each a valid
#    MIME message (Python's email parser) whose inline PNG decodes (zbarimg)
#    to that guest's code, in the language of the guest's import column (or
#    the event's default), with the PDF ticket, the Message-ID recorded;
#    guests without an address listed; nobody mailed twice without --resend;
#  - a dry run writes the very bytes that are sent (only the Date, the
#    Message-ID with what derives from it, and the PDF's creation time differ
#    from one making of a message to the next);
#  - a run stopped half-way (SIGTERM), then --unsent: everyone exactly once;
#    kill -9 half-way, then --unsent: everyone at least once, at most the one
#    message in flight twice (the documented trade-off);
#  - the server refusing one address (550) and deferring another (451 once):
#    the first reported and recorded, the second retried and delivered, the
#    other 98 unaffected;
#  - a message the server kept without answering (the line dropped), and one
#    whose answer a second Ctrl-C gave up on: reported unconfirmed, never sent
#    again by --unsent;
#  - STARTTLS and a login from kiosk.conf, the password nowhere in the output,
#    a refused login, an untrusted certificate, user info in --smtp refused,
#    the warning for a kiosk.conf others can read, an unreachable server;
#  - a mail server's name the network's DNS never answers: Ctrl-C twice ends
#    the run at once (in a network namespace; skipped where none can be made);
#  - a door synced with a hub refuses to mail (the hub keeps the record of
#    who was mailed), unless --on-door;
#  - the account's sending limit: 550 5.4.5, words of a limit (guests of one
#    domain too), or three guests of different domains refused alike, stop
#    the run at once; a company's server refusing its guests alike does not;
#  - a guest mailed before whose code an import replaced (--new-codes) gets
#    a ticket that says it replaces the earlier one, in their language;
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/mail.sh
#
# Prints "ok - NAME" / "not ok - NAME: REASON", last "mail: N passed, M failed".
# Needs /usr/bin/python3 with aiosmtpd, zbarimg, pdfinfo, sqlite3, openssl.
set -u
SUITE="mail"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

SMTPD=$ROOT/tests/tools/smtpd.py
PY=/usr/bin/python3   # Debian's, where python3-aiosmtpd lives

fail_setup() {
	echo "not ok - setup: $1"
	echo "mail: 0 passed, 1 failed"
	exit 1
}
for tool in zbarimg pdfinfo sqlite3 openssl; do
	command -v "$tool" >/dev/null 2>&1 || fail_setup "$tool is missing; run scripts/install-deps.sh"
done
"$PY" -c 'import aiosmtpd' 2>/dev/null ||
    fail_setup "python3-aiosmtpd is missing; run scripts/install-deps.sh"
[ -x "$KIOSK" ] || fail_setup "$KIOSK is not an executable (run make kiosk)"

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-mail.XXXXXX") || exit 1
PIDS="" # background processes this script started and has not reaped
cleanup() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1
# kiosk mail's work folder (the PDF being drawn): in here, so that a sender
# killed with -9 leaves nothing behind once the test is over.
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp

# check NAME CMD...: ok when CMD succeeds, else its output is the reason.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$name"; else notok "$name" "$(printf '%s' "$out" | head -c 600)"; fi
}
# Python checks print "ok - ..." / "not ok - ..." lines: pass them on, counted.
# Read from a file or a process substitution, never the end of a pipe: that
# runs in a subshell, whose counts are lost (a "not ok" printed, the suite
# passed).
tally() {
	local line
	while IFS= read -r line; do
		echo "$line"
		case $line in
		"ok - "*) PASS=$((PASS + 1)) ;;
		"not ok - "*) FAIL=$((FAIL + 1)) ;;
		esac
	done
}
# pycheck OUT SCRIPT ARGS...: run a Python check, its lines into OUT; one
# that dies (a traceback) adds a "not ok" line saying so, rather than
# leave its checks unsaid.
pycheck() {
	local out=$1 rc
	shift
	"$PY" "$@" >"$out" 2>&1
	rc=$?
	[ "$rc" = 0 ] ||
	    echo "not ok - $1 died (exit $rc): $(tail -n 3 "$out" | tr '\n' ' ' | head -c 400)" >>"$out"
}

# start_server NAME ARGS...: an SMTP server with its Maildir in NAME/;
# sets PORT and SPID.
start_server() {
	local name=$1 i
	shift
	mkdir -p "$name/tmp" "$name/new" "$name/cur"
	"$PY" "$SMTPD" --maildir "$name" --port-file "$name.port" "$@" 2>"$name.smtpd" &
	SPID=$!
	PIDS="$PIDS $SPID"
	for i in $(seq 1 100); do
		[ -s "$name.port" ] && break
		sleep 0.1
	done
	PORT=$(cat "$name.port" 2>/dev/null)
	[ -n "$PORT" ] || fail_setup "the SMTP server did not start: $(cat "$name.smtpd")"
}
stop_server() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; forget "$1"; }
count_new() { ls "$1/new" | wc -l; }

# conf FILE DB PORT [more lines]: a kiosk.conf for the event in DB.
conf() {
	local f=$1 db=$2 port=$3
	shift 3
	{
		echo "[event]"
		echo "database = $db"
		echo "name = Mail Test 2026"
		echo "date = Thursday 21 May 2026, 9:00"
		echo "place = De Singel, Antwerpen"
		echo "[mail]"
		echo "smtp = smtp://127.0.0.1:$port"
		echo "from = Mail Test <tickets@example.org>"
		echo "language = de"
		echo "per_minute = 0"
		for l in "$@"; do echo "$l"; done
	} >"$f"
	chmod 600 "$f"
}

# --- the guest list ------------------------------------------------------------
# 100 guests with addresses (their language column in every spelling, blank
# for the default, and one unknown), 3 without, 1 cancelled. expect.tsv:
# e-mail, the language they should get, first and last name.
LANGS=("English" "Nederlands" "nl-BE" "Français" "fr" "Deutsch" "de" "" "en_GB" "Vlaams")
WANT=("en" "nl" "nl" "fr" "fr" "de" "de" "de" "en" "nl")
{
	echo "First Name,Last Name,Email,Taal,Attendee Status"
	: >expect.tsv
	for i in $(seq 1 100); do
		case $((i % 5)) in
		0) first="Zoë"; last="Çelik $i" ;;
		1) first="محمد"; last="علي $i" ;;
		2) first="小明"; last="王 $i" ;;
		3) first="Maximiliaan-Alexander Johannes"; last="Vanderhaeghen-Bosscher-Verstraete $i" ;;
		*) first="Jan"; last="Peeters $i" ;;
		esac
		lang=${LANGS[$((i % 10))]} want=${WANT[$((i % 10))]}
		[ "$i" = 42 ] && lang="Klingon" want="de"
		echo "$first,$last,g$i@example.org,$lang,Attending"
		printf 'g%s@example.org\t%s\t%s\t%s\n' "$i" "$want" "$first" "$last" >>expect.tsv
	done
	echo "Nora,Nomail,,nl,Attending"
	echo "Otto,Nomail,,,Attending"
	echo "Piet,Nomail,,fr,Attending"
	echo "Carl,Cancelled,carl@example.org,en,Cancelled"
} >guests.csv
if ! "$KIOSK" import guests.csv --db e.db --event-name "Mail Test 2026" --tag MT26 \
    --timezone Europe/Brussels >import.out 2>import.err; then
	[ $? = 2 ] || fail_setup "import failed: $(cat import.err)"
fi
if grep -q "guests.csv:43: warning: unknown language 'Klingon'" import.err; then
	ok "import warns about an unknown language, naming file and line"
else
	notok "import warns about an unknown language, naming file and line" "$(cat import.err)"
fi
check "import stores the language column normalised" test "$(sqlite3 e.db \
    "SELECT group_concat(language || ':' || n) FROM (SELECT language, count(*) n FROM guest
     GROUP BY language ORDER BY language)")" = ":12,de:20,en:21,fr:21,nl:30"
cp e.db e-fresh.db   # the same event, never mailed, for the runs below

# The checker: every message in a Maildir against the database and expect.tsv.
cat >check.py <<'EOF'
import email, json, os, re, sqlite3, subprocess, sys, tempfile
from email import policy

maildir, db, expect_path = sys.argv[1], sys.argv[2], sys.argv[3]
want_count = int(sys.argv[4])
subjects = {"en": "Your ticket for ", "nl": "Je ticket voor ", "fr": "Votre billet pour ",
            "de": "Ihr Ticket für "}
greetings = {"en": "Hello ", "nl": "Hallo ", "fr": "Bonjour ", "de": "Hallo "}
expect = {}
for line in open(expect_path, encoding="utf-8"):
    addr, lang, first, last = line.rstrip("\n").split("\t")
    expect[addr] = (lang, first, last)
con = sqlite3.connect(db)
code_of = dict(con.execute("SELECT email, code FROM guest"))
sent_ids = {}
for addr, mid in con.execute("SELECT address, message_id FROM mail WHERE result = 'sent'"):
    sent_ids.setdefault(addr, set()).add(mid)
env = {}
for line in open(os.path.join(maildir, "envelope.log")):
    e = json.loads(line)
    env[e["key"]] = e

problems = {}
def bad(check, why):
    problems.setdefault(check, []).append(why)

files = sorted(os.listdir(os.path.join(maildir, "new")))
seen = {}
for f in files:
    raw = open(os.path.join(maildir, "new", f), "rb").read()
    e = env.get(f)
    if e is None or len(e["rcpt"]) != 1:
        bad("each message has one envelope recipient", f)
        continue
    rcpt = e["rcpt"][0]
    seen[rcpt] = seen.get(rcpt, 0) + 1
    if rcpt not in expect:
        bad("each message goes to a guest", rcpt)
        continue
    lang, first, last = expect[rcpt]
    if b"\n" in raw.replace(b"\r\n", b"") or max(len(l) for l in raw.split(b"\r\n")) > 78:
        bad("CRLF lines of at most 78 characters", rcpt)
    m = email.message_from_bytes(raw, policy=policy.default)
    if m.defects or any(p.defects for p in m.walk()):
        bad("no MIME defects", "%s: %s" % (rcpt, m.defects))
    to = m["To"]
    if to.addresses[0].addr_spec != rcpt or to.addresses[0].display_name != first + " " + last:
        bad("To: is the guest, name and address", "%s: %s" % (rcpt, to))
    types = [p.get_content_type() for p in m.walk()]
    if types != ["multipart/mixed", "multipart/alternative", "text/plain",
                 "multipart/related", "text/html", "image/png", "application/pdf"]:
        bad("mixed(alternative(text, related(html, png)), pdf)", "%s: %s" % (rcpt, types))
        continue
    parts = list(m.walk())
    text, html, png, pdf = parts[2], parts[4], parts[5], parts[6]
    if not m["Subject"].startswith(subjects[lang] + "Mail Test 2026"):
        bad("the subject is in the guest's language", "%s (%s): %s" % (rcpt, lang, m["Subject"]))
    body = text.get_content()
    if not body.startswith(greetings[lang] + first + " " + last + ","):
        bad("the text greets the guest in their language", "%s: %r" % (rcpt, body[:60]))
    for what in ("Thursday 21 May 2026, 9:00", "De Singel, Antwerpen", code_of[rcpt]):
        if what not in body:
            bad("the text has the date, the place and the code", "%s: no %s" % (rcpt, what))
    h = html.get_content()
    cid = png["Content-ID"].strip("<>")
    if ('<html lang="%s">' % lang) not in h or ('src="cid:%s"' % cid) not in h:
        bad("the HTML shows the inline PNG (cid) and says its language", rcpt)
    if png.get_content_disposition() != "inline" or pdf.get_content_disposition() != "attachment":
        bad("the PNG is inline, the PDF an attachment", rcpt)
    with tempfile.NamedTemporaryFile(suffix=".png") as t:
        t.write(png.get_content())
        t.flush()
        got = subprocess.run(["zbarimg", "-q", "--raw", t.name], capture_output=True,
                             text=True).stdout.strip()
    if got != code_of[rcpt]:
        bad("the inline PNG decodes to the guest's code", "%s: %r, want %r" % (rcpt, got, code_of[rcpt]))
    data = pdf.get_content()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        bad("the PDF attachment is a PDF", rcpt)
    if m["Message-ID"] not in sent_ids.get(rcpt, ()):
        bad("the Message-ID is the one recorded as sent", "%s: %s" % (rcpt, m["Message-ID"]))

checks = ["each message has one envelope recipient", "each message goes to a guest",
          "CRLF lines of at most 78 characters", "no MIME defects",
          "To: is the guest, name and address",
          "mixed(alternative(text, related(html, png)), pdf)",
          "the subject is in the guest's language", "the text greets the guest in their language",
          "the text has the date, the place and the code",
          "the HTML shows the inline PNG (cid) and says its language",
          "the PNG is inline, the PDF an attachment", "the inline PNG decodes to the guest's code",
          "the PDF attachment is a PDF", "the Message-ID is the one recorded as sent"]
print(("ok - %d messages arrived" if len(files) == want_count else
       "not ok - %d messages arrived: want " + str(want_count)) % len(files))
missing = [a for a in expect if a not in seen]
twice = [a for a, n in seen.items() if n > 1]
if missing or twice:
    print("not ok - every guest got exactly one: missing %s, twice %s" % (missing[:5], twice[:5]))
else:
    print("ok - every guest got exactly one")
for c in checks:
    if c in problems:
        print("not ok - %s: %d messages, e.g. %s" % (c, len(problems[c]), problems[c][:2]))
    else:
        print("ok - %s" % c)
EOF

# --- 1. the 100-guest event ----------------------------------------------------
start_server s1
S1=$SPID
conf k.conf e.db "$PORT"
"$KIOSK" mail --config k.conf >run1.out 2>run1.err
rc=$?
check "kiosk mail: exit 2 (some guests have no address)" test "$rc" = 2
check "the counts: sent 100, failed 0, no address 3" \
    grep -qx "sent 100, failed 0, no e-mail address 3, left 0" run1.out
if [ "$(grep -c 'no e-mail address: .* Nomail' run1.err)" = 3 ] &&
    grep -q "left out: 1 cancelled" run1.out; then
	ok "guests without an address are listed by name; the cancelled one left out"
else
	notok "guests without an address are listed by name; the cancelled one left out" \
	    "$(head -c 400 run1.err) / $(cat run1.out)"
fi
pycheck check-s1.out check.py s1 e.db expect.tsv 100
tally <check-s1.out
check "every guest has one 'sent' record with a unique Message-ID" test "$(sqlite3 e.db \
    "SELECT count(*), count(DISTINCT guest_uuid), count(DISTINCT message_id) FROM mail
     WHERE result = 'sent'")" = "100|100|100"
check "one SMTP connection carries many messages" test "$(wc -l <s1/ehlo.log)" -lt 10

# nobody twice without --resend
"$KIOSK" mail --config k.conf >again.out 2>again.err
rc=$?
if [ "$rc" = 1 ] && grep -q "100 guests were mailed already.*--unsent.*--resend" again.err &&
    [ "$(count_new s1)" = 100 ]; then
	ok "a second run is refused before anything is sent"
else
	notok "a second run is refused before anything is sent" "exit $rc: $(cat again.err)"
fi
"$KIOSK" mail --config k.conf --unsent >unsent.out 2>&1
check "--unsent after a complete run sends nothing" test "$(count_new s1)" = 100
code=$(sqlite3 e.db "SELECT code FROM guest WHERE email = 'g7@example.org'")
"$KIOSK" mail --config k.conf --code "$code" >one.out 2>one.err
rc=$?
if [ "$rc" = 1 ] && grep -q "was mailed already.*--resend" one.err; then
	ok "--code of a mailed guest is refused without --resend"
else
	notok "--code of a mailed guest is refused without --resend" "exit $rc: $(cat one.err)"
fi
"$KIOSK" mail --config k.conf --code "$code" --resend >one.out 2>one.err
if [ $? = 0 ] && [ "$(count_new s1)" = 101 ] && [ "$(sqlite3 e.db \
    "SELECT count(*) FROM mail m JOIN guest g ON g.uuid = m.guest_uuid
     WHERE g.code = '$code' AND result = 'sent'")" = 2 ]; then
	ok "--code CODE --resend mails that one guest once more"
else
	notok "--code CODE --resend mails that one guest once more" "$(cat one.err)"
fi

# --- 2. the dry run writes what is sent -------------------------------------------
rows=$(sqlite3 e.db "SELECT count(*) FROM mail")
"$KIOSK" mail --config k.conf --resend --dry-run dry >dry.out 2>dry.err
rc=$?
if [ "$rc" = 2 ] && [ "$(ls dry | grep -c '\.eml$')" = 100 ] && [ "$(count_new s1)" = 101 ] &&
    [ "$(sqlite3 e.db "SELECT count(*) FROM mail")" = "$rows" ]; then
	ok "--dry-run DIR writes 100 .eml files, sends and records nothing"
else
	notok "--dry-run DIR writes 100 .eml files, sends and records nothing" \
	    "exit $rc, $(ls dry | wc -l) files, $(count_new s1) received: $(head -c 300 dry.err)"
fi
cat >same.py <<'EOF'
import base64, email, json, os, re, sys
from email import policy
maildir, drydir, db = sys.argv[1], sys.argv[2], sys.argv[3]
import sqlite3
code_of = dict(sqlite3.connect(db).execute("SELECT email, code FROM guest"))
env = {json.loads(l)["key"]: json.loads(l)["rcpt"][0] for l in open(maildir + "/envelope.log")}
def normal(raw):
    """Mask what each making of a message has of its own: Date, the UUID
    behind the Message-ID (boundaries, Content-ID) and the PDF's creation
    time, which lives inside the PDF's base64."""
    mid = re.search(rb"^Message-ID: <([0-9a-f-]{36})@", raw, re.M).group(1)
    raw = re.sub(rb"^Date: [^\r]*\r\n", b"Date: -\r\n", raw, flags=re.M)
    raw = raw.replace(mid, b"UUID").replace(mid.replace(b"-", b"_"), b"UUID")
    head, sep, pdf = raw.partition(b'Content-Disposition: attachment; filename="ticket.pdf"\r\n\r\n')
    body, end = pdf.split(b"\r\n--", 1)
    pdf = base64.b64decode(body)
    pdf = re.sub(rb"/CreationDate \(D:[^)]*\)", b"/CreationDate (-)", pdf)
    return head + sep + pdf + b"\r\n--" + end
same = 0
for f in sorted(os.listdir(maildir + "/new")):
    rcpt = env[f]
    sent = open(maildir + "/new/" + f, "rb").read()
    dry = open("%s/%s.eml" % (drydir, code_of[rcpt]), "rb").read()
    if normal(sent) != normal(dry):
        print("not ok - a dry run writes the bytes that are sent: %s differs" % rcpt)
        sys.exit(0)
    same += 1
print("ok - a dry run writes the bytes that are sent (%d messages compared)" % same)
EOF
pycheck same.out same.py s1 dry e.db
tally <same.out

# --- 3. stopped half-way, then --unsent ---------------------------------------------
# stop_half SIGNAL NAME: mail e-fresh's guests at 20 a second, stop the sender
# with SIGNAL after 40 messages, then --unsent. Leaves the Maildir in NAME.
stop_half() {
	local sig=$1 name=$2 pid i n
	cp e-fresh.db "$name.db"
	start_server "$name"
	local spid=$SPID
	conf "$name.conf" "$name.db" "$PORT"
	"$KIOSK" mail --config "$name.conf" --rate 1200/min >"$name.out" 2>"$name.err" &
	pid=$!
	PIDS="$PIDS $pid"
	for i in $(seq 1 300); do
		n=$(count_new "$name")
		[ "$n" -ge 40 ] && break
		sleep 0.05
	done
	# a second run meanwhile (the first looked stuck) must not mail the same
	"$KIOSK" mail --config "$name.conf" --unsent >"$name.out-second" 2>"$name.err-second"
	SECOND_RC=$?
	kill -"$sig" "$pid"
	{ wait "$pid"; } 2>/dev/null  # no "Killed" from bash
	STOP_RC=$?
	forget "$pid"
	STOP_AT=$(count_new "$name")
	"$KIOSK" mail --config "$name.conf" --unsent >"$name.out2" 2>"$name.err2"
	RESUME_RC=$?
	stop_server "$spid"
}
stop_half TERM stopped
if [ "$STOP_RC" = 1 ] && grep -q "interrupted: .* left; 'kiosk mail --unsent' goes on" stopped.err &&
    [ "$STOP_AT" -lt 100 ]; then
	ok "SIGTERM half-way: the run stops after the message in flight ($STOP_AT sent)"
else
	notok "SIGTERM half-way: the run stops after the message in flight" \
	    "exit $STOP_RC, $STOP_AT sent: $(tail -2 stopped.err)"
fi
check "--unsent after SIGTERM: exit 2 (no-address guests), nothing left" test "$RESUME_RC" = 2
if [ "$SECOND_RC" = 1 ] && grep -q "another 'kiosk mail' is sending" stopped.err-second; then
	ok "a second run while one is sending is refused, saying so"
else
	notok "a second run while one is sending is refused, saying so" \
	    "exit $SECOND_RC: $(tail -2 stopped.err-second)"
fi
pycheck check-stopped.out check.py stopped stopped.db expect.tsv 100
tally < <(grep -E "messages arrived|exactly one|decodes| died " check-stopped.out |
    sed 's/^\(not \)\{0,1\}ok - /&after SIGTERM and --unsent: /')
check "after SIGTERM and --unsent: one 'sent' record each" test "$(sqlite3 stopped.db \
    "SELECT count(*), count(DISTINCT guest_uuid) FROM mail WHERE result = 'sent'")" = "100|100"

stop_half KILL killed
n=$(count_new killed)
twice=$(sed -n 's/.*"rcpt": \["\([^"]*\)"\].*/\1/p' killed/envelope.log | sort | uniq -d | wc -l)
missing=$(cut -f1 expect.tsv | while read -r a; do
	grep -q "\"$a\"" killed/envelope.log || echo "$a"; done | wc -l)
if [ "$missing" = 0 ] && [ "$twice" -le 1 ] && [ "$n" -le 101 ]; then
	ok "kill -9 half-way, then --unsent: everyone mailed, at most the one in flight twice ($n messages)"
else
	notok "kill -9 half-way, then --unsent: everyone mailed, at most the one in flight twice" \
	    "$n messages, $missing missing, $twice twice"
fi

# --- 4. refused and deferred addresses -----------------------------------------------
cp e-fresh.db refuse.db
start_server refuse --refuse g5@example.org --defer g7@example.org
RPID=$SPID
conf refuse.conf refuse.db "$PORT"
"$KIOSK" mail --config refuse.conf >refuse.out 2>refuse.err
rc=$?
check "refusals: exit 2, the counts say 99 sent and 1 failed" \
    grep -qx "sent 99, failed 1, no e-mail address 3, left 0" refuse.out
if [ "$rc" = 2 ] && grep -q "g5@example.org>: not sent: 550 5.1.1" refuse.err; then
	ok "the address refused for good (550) is reported with the server's words"
else
	notok "the address refused for good (550) is reported with the server's words" "$(cat refuse.err)"
fi
if grep -q "g7@example.org>: temporary failure (451 .*); trying again in 1 s" refuse.err &&
    [ "$(grep -c '"g7@example.org"' refuse/envelope.log)" = 1 ]; then
	ok "the address deferred (451) is tried again and delivered once"
else
	notok "the address deferred (451) is tried again and delivered once" "$(grep g7 refuse.err)"
fi
check "the refused one is recorded failed, the deferred one failed then sent" test "$(sqlite3 refuse.db \
    "SELECT group_concat(address || ' ' || result || ' ' || substr(detail, 1, 13), '; ')
     FROM (SELECT * FROM mail WHERE address IN ('g5@example.org', 'g7@example.org') ORDER BY id)")" \
    = "g5@example.org failed 550 5.1.1 <g5; g7@example.org failed temporary, tr; g7@example.org sent 250 2.0.0 Ok:"
grep -v '^g5@' expect.tsv >expect98.tsv
pycheck check-refuse.out check.py refuse refuse.db expect98.tsv 99
tally < <(grep -E "arrived|exactly one|decodes|language| died " check-refuse.out |
    sed 's/^\(not \)\{0,1\}ok - /&with a refusal: /')
"$KIOSK" mail --config refuse.conf --unsent >refuse2.out 2>refuse2.err
check "--unsent tries only the refused address again" \
    grep -qx "sent 0, failed 1, no e-mail address 3, left 0" refuse2.out
stop_server "$RPID"

# --- 4b. no answer after the whole message -------------------------------------------
# A server that kept g5's message and dropped the line before answering: it
# may have arrived, so it is not sent again, and the report says so, apart
# from the refused (it said "not sent" and counted it failed).
cp e-fresh.db hangup.db
start_server hangup --hang-up g5@example.org
HPID=$SPID
conf hangup.conf hangup.db "$PORT"
"$KIOSK" mail --config hangup.conf >hangup.out 2>hangup.err
rc=$?
if [ "$rc" = 2 ] && grep -qx "sent 99, unconfirmed 1, failed 0, no e-mail address 3, left 0" \
    hangup.out && grep -q "g5@example.org>: unconfirmed: .*may have arrived.*--resend" hangup.err &&
    ! grep -q "g5@example.org>: not sent" hangup.err; then
	ok "a message the server kept without answering is reported unconfirmed, not 'not sent'"
else
	notok "a message the server kept without answering is reported unconfirmed, not 'not sent'" \
	    "exit $rc: $(cat hangup.out; grep g5 hangup.err)"
fi
"$KIOSK" mail --config hangup.conf --unsent >hangup2.out 2>hangup2.err
check "--unsent does not send the unconfirmed one again" test \
    "$(grep -c '"g5@example.org"' hangup/envelope.log)" = 1
stop_server "$HPID"

# --- 4d. the account's sending limit ---------------------------------------------------
# The server takes 5 messages, then refuses every one after its data with
# Gmail's daily-limit answer (550 5.4.5). That used to fail all 95 guests
# left, one "not sent" line each; it is the sender's limit (X.4.5), so the
# run stops at once, nobody recorded failed, and --unsent sends the rest.
cp e-fresh.db quota.db
start_server quota --quota 5
QPID=$SPID
conf quota.conf quota.db "$PORT"
"$KIOSK" mail --config quota.conf >quota.out 2>quota.err
rc=$?
if [ "$rc" = 1 ] && [ "$(count_new quota)" = 5 ] && ! grep -q "not sent:" quota.err &&
    [ "$(grep -c "kiosk mail --unsent" quota.err)" = 1 ] &&
    grep -qx "sent 5, failed 0, no e-mail address 3, left 95" quota.out &&
    grep -q "will not take more messages from this account for now: '550 5.4.5 Daily user sending quota exceeded.'; stopped: 95 not mailed yet; 'kiosk mail --unsent' sends them later, e.g. tomorrow or from another account" quota.err &&
    [ "$(sqlite3 quota.db "SELECT group_concat(DISTINCT result) || ' ' || count(*) FROM mail")" = "sent 5" ]; then
	ok "over the account's daily limit (550 5.4.5): the run stops at once, saying why, no guest failed"
else
	notok "over the account's daily limit (550 5.4.5): the run stops at once, saying why, no guest failed" \
	    "exit $rc: $(cat quota.out; head -c 1500 quota.err)"
fi
stop_server "$QPID"
start_server quota2
QPID=$SPID
conf quota2.conf quota.db "$PORT"
"$KIOSK" mail --config quota2.conf --unsent >quota2.out 2>quota2.err
check "the next day, --unsent sends the 95 left" \
    grep -qx "sent 95, failed 0, no e-mail address 3, left 0" quota2.out
stop_server "$QPID"

# Other providers' refusals may say nothing of whose they are, neither code
# nor words of a limit: three guests of different domains in a row refused
# alike stop the run (two "not sent" lines, not one per guest left). A
# guest's own refusal (550 5.1.1) three times in a row does not.
{
	echo "First Name,Last Name,Email"
	for i in 1 2 3 4 5 6 7 8; do echo "Q$i,Q$i,q$i@d$i.example.org"; done
} >domains.csv
"$KIOSK" import domains.csv --db dom.db --event-name "Mail Test 2026" --tag MT26 \
    --timezone Europe/Brussels >dom-import.out 2>dom-import.err ||
    fail_setup "import failed: $(cat dom-import.err)"
cp dom.db dom2.db
start_server dom --quota 2 --quota-reply "550 5.7.1 <%s>: Message not accepted for policy reasons"
QPID=$SPID
conf dom.conf dom.db "$PORT"
"$KIOSK" mail --config dom.conf >dom.out 2>dom.err
rc=$?
if [ "$rc" = 1 ] && [ "$(count_new dom)" = 2 ] && [ "$(grep -c "not sent:" dom.err)" = 2 ] &&
    [ "$(grep -c "kiosk mail --unsent" dom.err)" = 1 ] &&
    grep -q "the mail server refused the last 3 messages alike: '550 5.7.1 <q5@d5.example.org>: Message not accepted for policy reasons'; stopped: 6 not mailed yet; 'kiosk mail --unsent' sends them later" dom.err; then
	ok "three guests of different domains in a row refused alike: stopped after the third, saying why"
else
	notok "three guests of different domains in a row refused alike: stopped after the third, saying why" \
	    "exit $rc: $(cat dom.out dom.err | head -c 1500)"
fi
stop_server "$QPID"
start_server dom2 --refuse q2@d2.example.org --refuse q3@d3.example.org --refuse q4@d4.example.org
QPID=$SPID
conf dom2.conf dom2.db "$PORT"
"$KIOSK" mail --config dom2.conf >dom2.out 2>dom2.err
rc=$?
if [ "$rc" = 2 ] && grep -qx "sent 5, failed 3, no e-mail address 0, left 0" dom2.out; then
	ok "three unknown users in a row (550 5.1.1) are the guests' own: the run goes on"
else
	notok "three unknown users in a row (550 5.1.1) are the guests' own: the run goes on" \
	    "exit $rc: $(cat dom2.out dom2.err | head -c 1500)"
fi
stop_server "$QPID"

# A company's event: every guest of one domain. The provider's limit in
# words, with no code that says whose ("554 Message rejected: Daily sending
# quota exceeded."): "three alike of more than one domain" never held, so
# every guest left was refused "not sent" one by one. The words say it is
# the sender's limit: the run stops at once. The company's own server
# refusing all its guests alike, in words of no limit, stops nothing.
{
	echo "First Name,Last Name,Email"
	for i in 1 2 3 4 5 6 7 8; do echo "C$i,C$i,c$i@acme.example.org"; done
} >company.csv
"$KIOSK" import company.csv --db co.db --event-name "Mail Test 2026" --tag MT26 \
    --timezone Europe/Brussels >co-import.out 2>co-import.err ||
    fail_setup "import failed: $(cat co-import.err)"
cp co.db co2.db
start_server co --quota 2 --quota-reply "554 Message rejected: Daily sending quota exceeded."
QPID=$SPID
conf co.conf co.db "$PORT"
"$KIOSK" mail --config co.conf >co.out 2>co.err
rc=$?
if [ "$rc" = 1 ] && [ "$(count_new co)" = 2 ] && ! grep -q "not sent:" co.err &&
    [ "$(grep -c "kiosk mail --unsent" co.err)" = 1 ] &&
    grep -qx "sent 2, failed 0, no e-mail address 0, left 6" co.out &&
    grep -q "will not take more messages from this account for now: '554 Message rejected: Daily sending quota exceeded.'; stopped: 6 not mailed yet; 'kiosk mail --unsent' sends them later" co.err &&
    [ "$(sqlite3 co.db "SELECT group_concat(DISTINCT result) || ' ' || count(*) FROM mail")" = "sent 2" ]; then
	ok "guests of one domain, the provider's limit in words (no code): the run stops at once, no guest failed"
else
	notok "guests of one domain, the provider's limit in words (no code): the run stops at once, no guest failed" \
	    "exit $rc: $(cat co.out co.err | head -c 1500)"
fi
stop_server "$QPID"
start_server co2 --quota 2 --quota-reply "550 5.7.1 <%s>: Message not accepted for policy reasons"
QPID=$SPID
conf co2.conf co2.db "$PORT"
"$KIOSK" mail --config co2.conf >co2.out 2>co2.err
rc=$?
if [ "$rc" = 2 ] && grep -qx "sent 2, failed 6, no e-mail address 0, left 0" co2.out; then
	ok "a company's server refusing all its guests alike, in words of no limit: the run goes on"
else
	notok "a company's server refusing all its guests alike, in words of no limit: the run goes on" \
	    "exit $rc: $(cat co2.out co2.err | head -c 1500)"
fi
stop_server "$QPID"

# --- 4c. a second Ctrl-C while the server's answer is awaited ---------------------------
# The server keeps g3's message and answers 30 s later; Ctrl-C twice
# meanwhile cuts the connection. The message may have arrived: recorded so,
# and --unsent mails everyone else, never g3 a second time.
cp e-fresh.db hold.db
start_server hold --hold g3@example.org
OPID=$SPID
conf hold.conf hold.db "$PORT"
g3=$(sqlite3 hold.db "SELECT code FROM guest WHERE email = 'g3@example.org'")
"$KIOSK" mail --config hold.conf --code "$g3" >hold.out 2>hold.err &
pid=$!
PIDS="$PIDS $pid"
for i in $(seq 1 100); do
	[ "$(count_new hold)" -ge 1 ] && break
	sleep 0.05
done
sleep 0.3
kill -INT "$pid"
sleep 0.3
# the first Ctrl-C says what it waits for (a server slow to answer held it
# silent for up to 120 s)
if kill -0 "$pid" 2>/dev/null && grep -qx "kiosk: mail: stopping after the message in flight \
(Ctrl-C again to stop at once)" hold.err; then
	ok "the first Ctrl-C says the run stops after the message in flight"
else
	notok "the first Ctrl-C says the run stops after the message in flight" "$(cat hold.err)"
fi
kill -INT "$pid"
{ wait "$pid"; } 2>/dev/null
forget "$pid"
"$KIOSK" mail --config hold.conf --unsent >hold2.out 2>hold2.err
if [ "$(grep -c '"g3@example.org"' hold/envelope.log)" = 1 ] &&
    [ "$(sqlite3 hold.db "SELECT result FROM mail WHERE address = 'g3@example.org'")" = unknown ] &&
    grep -qx "sent 99, failed 0, no e-mail address 3, left 0" hold2.out; then
	ok "Ctrl-C twice while the answer is awaited: recorded as may have arrived, not mailed twice"
else
	notok "Ctrl-C twice while the answer is awaited: recorded as may have arrived, not mailed twice" \
	    "$(grep -c '"g3@example.org"' hold/envelope.log) to g3: $(cat hold.err hold2.out)"
fi
stop_server "$OPID"

# --- 5. STARTTLS, a login, and the secrets ---------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout key.pem -out cert.pem >/dev/null 2>&1 ||
    fail_setup "openssl could not make a certificate"
PW='Zq9-secret-Pa55!'
sqlite3 e-fresh.db "SELECT code FROM guest WHERE email IN ('g1@example.org', 'g2@example.org')" >two.txt
cp e-fresh.db tls.db
start_server tls --tls cert.pem key.pem --login ticketbot "$PW"
TPID=$SPID
conf tls.conf tls.db "$PORT" "username = ticketbot" "password = $PW" "cafile = $T/cert.pem"
"$KIOSK" mail --config tls.conf --code "$(sed -n 1p two.txt)" --code "$(sed -n 2p two.txt)" \
    >tls.out 2>tls.err
rc=$?
if [ "$rc" = 0 ] && [ "$(count_new tls)" = 2 ] &&
    [ "$(grep -c '"tls": true, "login": "ticketbot"' tls/envelope.log)" = 2 ]; then
	ok "STARTTLS with the cafile, then the login from kiosk.conf"
else
	notok "STARTTLS with the cafile, then the login from kiosk.conf" "exit $rc: $(cat tls.err)"
fi
conf tlsbad.conf tls.db "$PORT" "username = ticketbot" "password = wrong-$PW" "cafile = $T/cert.pem"
"$KIOSK" mail --config tlsbad.conf --unsent >bad.out 2>bad.err
rc=$?
if [ "$rc" = 1 ] && grep -q "refused the login of user 'ticketbot'" bad.err &&
    [ "$(count_new tls)" = 2 ]; then
	ok "a refused login stops the run at once"
else
	notok "a refused login stops the run at once" "exit $rc: $(cat bad.err)"
fi
conf tlsca.conf tls.db "$PORT" "username = ticketbot" "password = $PW"
"$KIOSK" mail --config tlsca.conf --unsent >ca.out 2>ca.err
rc=$?
if [ "$rc" = 1 ] && grep -q "no trusted TLS.*cafile" ca.err; then
	ok "a certificate nobody vouches for stops the run (and says [mail] cafile)"
else
	notok "a certificate nobody vouches for stops the run" "exit $rc: $(cat ca.err)"
fi
if cat tls.out tls.err bad.out bad.err ca.out ca.err | grep -qF -e "$PW" -e "wrong-$PW"; then
	notok "the password appears in no output" "found it"
else
	ok "the password appears in no output"
fi
"$KIOSK" mail --config tls.conf --smtp "smtp://ticketbot:hunter2@127.0.0.1:$PORT" --unsent \
    >url.out 2>url.err
rc=$?
if [ "$rc" = 1 ] && grep -q "username and password in tls.conf" url.err &&
    ! grep -q hunter2 url.err; then
	ok "--smtp with user info is refused, without echoing it"
else
	notok "--smtp with user info is refused, without echoing it" "exit $rc: $(cat url.err)"
fi
chmod 644 tls.conf
"$KIOSK" mail --config tls.conf --unsent --dry-run tlsdry >perm.out 2>perm.err
if grep -q "warning: tls.conf holds the mail password and others can read it: chmod 600" perm.err; then
	ok "a kiosk.conf with the password that others can read is warned about"
else
	notok "a kiosk.conf with the password that others can read is warned about" "$(cat perm.err)"
fi
chmod 600 tls.conf
"$KIOSK" mail --config tls.conf --unsent --dry-run tlsdry >perm.out 2>perm.err
check "... and not when it is mode 600" sh -c "! grep -q 'others can read' perm.err"
stop_server "$TPID"

# --- 6. no server ---------------------------------------------------------------------
cp e-fresh.db down.db
conf down.conf down.db "$PORT"   # the port of a server that has gone
start=$(date +%s)
"$KIOSK" mail --config down.conf >down.out 2>down.err
rc=$?
if [ "$rc" = 1 ] && grep -q "cannot reach the mail server at smtp://127.0.0.1:$PORT" down.err &&
    [ $(($(date +%s) - start)) -lt 10 ] && [ "$(sqlite3 down.db "SELECT count(*) FROM mail")" = 0 ]; then
	ok "an unreachable server stops the run at once, nothing recorded"
else
	notok "an unreachable server stops the run at once, nothing recorded" "exit $rc: $(cat down.err)"
fi

# --- 6b. a mail server's name the DNS never answers -----------------------------------
# In a network namespace whose one nameserver takes the question and never
# answers (as sync.sh's t_dns_hangs): the message in flight waits on the
# name, and a second Ctrl-C abandons it. libcurl's cleanup then waited out
# glibc's resolver thread (20 s here) before kiosk mail could end.
if ! can_netns; then
	skip "Ctrl-C with a mail server's name the DNS never answers ends kiosk mail at once" \
	    "needs root, unshare, ip and python3 (a network namespace with a DNS that never answers)"
else
	mkdir -p dns
	cp e-fresh.db dns/dns.db
	conf dns/dns.conf "$T/dns/dns.db" 0
	sed -i 's|^smtp = .*|smtp = smtp://mail.venue.example:587|' dns/dns.conf
	printf 'nameserver 127.0.0.1\noptions timeout:20 attempts:1\n' >dns/resolv.conf
	printf 'hosts: files dns\n' >dns/nsswitch.conf
	cat >dns/sink.py <<-'EOF'
		import socket
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 53))
		print("ready", flush=True)
		while True:
		    s.recvfrom(2048)
		    print("asked", flush=True)
	EOF
	cat >dns/in.sh <<-'EOF'
		ip link set lo up && mount --bind "$1/resolv.conf" /etc/resolv.conf &&
		    { [ ! -e /etc/nsswitch.conf ] || mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf; } ||
		    exit 99
		python3 "$1/sink.py" >"$1/sink.out" & sink=$!
		for i in $(seq 200); do grep -q ready "$1/sink.out" 2>/dev/null && break; sleep 0.05; done
		"$KIOSK" mail --config "$1/dns.conf" >"$1/mail.out" 2>"$1/mail.err" & mail=$!
		for i in $(seq 200); do grep -q asked "$1/sink.out" 2>/dev/null && break; sleep 0.05; done
		s=$(date +%s%N)
		kill -INT $mail; sleep 0.2; kill -INT $mail
		wait $mail
		echo "rc $? ms $(( ($(date +%s%N) - s) / 1000000 ))"
		kill $sink
	EOF
	KIOSK=$KIOSK unshare -m -n bash dns/in.sh "$T/dns" >dns/times 2>&1
	ms=$(sed -n 's/^rc [0-9]* ms \([0-9]*\)$/\1/p' dns/times)
	# Well under the resolver's 20 s, with room for a loaded machine.
	if ! grep -q asked dns/sink.out 2>/dev/null; then
		notok "Ctrl-C with a mail server's name the DNS never answers ends kiosk mail at once" \
		    "the DNS was never asked: $(cat dns/times dns/mail.err 2>/dev/null | head -c 600)"
	elif [ -z "$ms" ] || [ "$ms" -ge 5000 ]; then
		notok "Ctrl-C with a mail server's name the DNS never answers ends kiosk mail at once" \
		    "${ms:-no} ms after Ctrl-C twice: $(cat dns/times dns/mail.err | head -c 600)"
	elif [ "$(sqlite3 dns/dns.db "SELECT count(*) FROM mail")" != 0 ]; then
		notok "Ctrl-C with a mail server's name the DNS never answers ends kiosk mail at once" \
		    "a message was recorded as sent"
	else
		ok "Ctrl-C with a mail server's name the DNS never answers ends kiosk mail at once"
	fi
fi

# --- 6c. a door synced with a hub -----------------------------------------------------
# Who was mailed is recorded where kiosk mail ran, and sync does not carry
# it: on a door, --unsent (for a walk-in registered there) mailed every
# guest the hub had mailed a second time. Refused there, unless --on-door.
cp e-fresh.db door.db
start_server door
DPID=$SPID
conf door.conf door.db "$PORT" "[sync]" "hub = http://127.0.0.1:9" "token = kt1_test"
"$KIOSK" mail --config door.conf --unsent >door.out 2>door.err
rc=$?
if [ "$rc" = 1 ] && [ "$(count_new door)" = 0 ] &&
    grep -q "door.db is a door synced with the hub at http://127.0.0.1:9: run 'kiosk mail' on the hub" \
    door.err && [ "$(sqlite3 door.db "SELECT count(*) FROM mail")" = 0 ]; then
	ok "kiosk mail on a door synced with a hub is refused, pointing to the hub; nothing sent"
else
	notok "kiosk mail on a door synced with a hub is refused, pointing to the hub; nothing sent" \
	    "exit $rc, $(count_new door) sent: $(cat door.err)"
fi
"$KIOSK" mail --config door.conf --unsent --dry-run doordry >doordry.out 2>doordry.err
check "a dry run on a door is not refused" grep -q "^dry run: 100 written" doordry.out
"$KIOSK" mail --config door.conf --on-door >door2.out 2>door2.err
check "--on-door mails from the door all the same" \
    grep -qx "sent 100, failed 0, no e-mail address 3, left 0" door2.out
stop_server "$DPID"

# --- 7. a walk-in's language ---------------------------------------------------------
cp e-fresh.db walk.db
conf walk.conf walk.db "$PORT"
"$KIOSK" add --config walk.conf --first Wim --last Walkin --email wim@example.org \
    --language Nederlands --json >wim.json 2>wim.err
wcode=$(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' wim.json)
"$KIOSK" mail --config walk.conf --code "$wcode" --dry-run wimdry >wim.out 2>>wim.err
if [ -n "$wcode" ] && grep -q "^Subject: Je ticket voor Mail Test 2026" wimdry/*.eml 2>/dev/null; then
	ok "a walk-in added with --language Nederlands is written to in Dutch"
else
	notok "a walk-in added with --language Nederlands is written to in Dutch" \
	    "$(cat wim.err; grep -h '^Subject' wimdry/*.eml 2>/dev/null)"
fi
"$KIOSK" add --config walk.conf --first Xena --last Nope --language es >/dev/null 2>wim.err
rc=$?
if [ "$rc" = 1 ] && grep -q "language 'es': expected en, nl, fr or de" wim.err &&
    [ "$(sqlite3 walk.db "SELECT count(*) FROM guest WHERE first_name = 'Xena'")" = 0 ]; then
	ok "kiosk add --language with an unknown language: refused, nobody added"
else
	notok "kiosk add --language with an unknown language: refused, nobody added" "exit $rc: $(cat wim.err)"
fi

# --- 8. a ticket that replaces one mailed before ----------------------------------------
# An import gave mailed guests new codes (--new-codes); --unsent mails them
# the new ticket. It came with the same subject and words as the first,
# nothing telling the guest which one to keep, and the old one is refused
# at the door. It now says it replaces the earlier one (naming its code),
# in the guest's language; a guest mailed for the first time gets the usual
# message.
{
	echo "First Name,Last Name,Email,Language"
	echo "Rea,Anders,r1@example.org,en"
	echo "Rémi,Bernard,r2@example.org,fr"
	echo "Rolf,Christ,r3@example.org,de"
	echo "Roos,Dirks,r4@example.org,nl"
} >renew1.csv
{
	echo "First Name,Last Name,Email,Language,Barcode #"
	echo "Rea,Anders,r1@example.org,en,4100000001"
	echo "Rémi,Bernard,r2@example.org,fr,4100000002"
	echo "Rolf,Christ,r3@example.org,de,4100000003"
	echo "Roos,Dirks,r4@example.org,nl,4100000004"
	echo "Rik,Evers,r5@example.org,nl,4100000005"
} >renew2.csv
"$KIOSK" import renew1.csv --db renew.db --event-name "Mail Test 2026" --tag MT26 \
    --timezone Europe/Brussels >renew-import.out 2>renew-import.err ||
    fail_setup "import failed: $(cat renew-import.err)"
start_server renew
NPID=$SPID
conf renew.conf renew.db "$PORT"
"$KIOSK" mail --config renew.conf >renew.out 2>renew.err ||
    fail_setup "the first mailing failed: $(cat renew.err)"
sqlite3 -separator "$(printf '\t')" renew.db "SELECT email, code FROM guest" >renew-old.tsv
cat >renew.py <<'EOF'
import email, json, sys
from email import policy
old = dict(l.rstrip("\n").split("\t") for l in open("renew-old.tsv", encoding="utf-8"))
want = {
    "r1@example.org": ("New ticket (replaces your earlier one): Your ticket for Mail Test 2026",
                       "This ticket replaces the one we sent you earlier (code %s), which is no "
                       "longer valid at the entrance.", "Hello Rea Anders,"),
    "r2@example.org": ("Nouveau billet (remplace le précédent)\u00a0: Votre billet pour Mail "
                       "Test 2026", "Ce billet remplace celui que nous vous avons envoyé "
                       "précédemment (code %s), qui n'est plus valable à l'entrée.",
                       "Bonjour Rémi Bernard,"),
    "r3@example.org": ("Neues Ticket (ersetzt Ihr früheres): Ihr Ticket für Mail Test 2026",
                       "Dieses Ticket ersetzt das Ticket, das wir Ihnen zuvor geschickt haben "
                       "(Code %s); jenes ist am Eingang nicht mehr gültig.", "Hallo Rolf Christ,"),
    "r4@example.org": ("Nieuw ticket (vervangt je eerdere): Je ticket voor Mail Test 2026",
                       "Dit ticket vervangt het ticket dat we je eerder stuurden (code %s), dat "
                       "aan de ingang niet meer geldig is.", "Hallo Roos Dirks,"),
}
first, again = {}, {}
for line in open("renew/envelope.log"):
    e = json.loads(line)
    rcpt = e["rcpt"][0]
    m = email.message_from_bytes(open("renew/new/" + e["key"], "rb").read(), policy=policy.default)
    parts = list(m.walk())
    (again if rcpt in first else first)[rcpt] = (str(m["Subject"]),
        parts[2].get_content().replace("\r\n", "\n"), parts[4].get_content())
bad = []
for rcpt, (subject, para, greet) in want.items():
    s, text, html = again.get(rcpt, ("", "", ""))
    p = para % old[rcpt]
    if s != subject:
        bad.append("%s: subject %r" % (rcpt, s))
    elif not text.startswith(p) or not (text.split("\n\n") + [""])[1].startswith(greet):
        bad.append("%s: text %r" % (rcpt, text[:300]))
    elif p.replace("'", "&#39;") not in html.split("<body")[1].split("</p>")[0]:
        bad.append("%s: the HTML does not open with it" % rcpt)
    elif first[rcpt][0] == s or old[rcpt] in first[rcpt][1].split("\n\n")[0]:
        bad.append("%s: the first message said it too" % rcpt)
if bad:
    print("not ok - a ticket replacing one mailed before says so, in the guest's language: %s" % bad)
else:
    print("ok - a ticket replacing one mailed before says so, in the guest's language")
s, text, html = first.get("r5@example.org", ("", "", ""))
if s == "Je ticket voor Mail Test 2026" and text.startswith("Hallo Rik Evers,") and \
        "r5@example.org" not in again:
    print("ok - a guest mailed for the first time gets no such notice")
else:
    print("not ok - a guest mailed for the first time gets no such notice: %r %r" % (s, text[:100]))
EOF
if "$KIOSK" import renew2.csv --db renew.db --new-codes >renew-import2.out 2>renew-import2.err &&
    "$KIOSK" mail --config renew.conf --unsent >renew2.out 2>renew2.err &&
    grep -qx "sent 5, failed 0, no e-mail address 0, left 0" renew2.out; then
	pycheck renew-check.out renew.py
	tally <renew-check.out
else
	notok "a ticket replacing one mailed before says so, in the guest's language" \
	    "$(cat renew-import2.err renew2.out renew2.err | head -c 1500)"
fi
stop_server "$NPID"

stop_server "$S1"
finish
