#!/bin/sh
# man-conf.sh: write the KIOSK.CONF section of the man page from the key
# table itself ('kiosk config --defaults', made from src/core/conf.c), so
# the page names every key with its default and help and cannot drift.
#
#   scripts/man-conf.sh [--check] [KIOSK [PAGE]]
#
# KIOSK is the binary (default ./kiosk), PAGE the man page (default
# man/kiosk.1). The section is the text between the lines
#   .\" BEGIN KIOSK.CONF    and    .\" END KIOSK.CONF
# which is replaced in place. With --check nothing is written: exit 0 when
# the page is up to date, 1 (with a diff on stderr) when it is not.
set -eu

check=no
if [ "${1:-}" = --check ]; then
	check=yes
	shift
fi
KIOSK=${1:-./kiosk}
PAGE=${2:-man/kiosk.1}

tmp=$(mktemp "${TMPDIR:-/tmp}/man-conf.XXXXXX")
trap 'rm -f "$tmp" "$tmp.sec" "$tmp.new"' EXIT

"$KIOSK" config --defaults >"$tmp"

# The defaults file: a header comment, then per [section] a comment block
# (the help) above each 'key = value'. Comment lines indented by three
# spaces are examples. Roff: '\' is written '\e', a line may not start with
# '.' or "'", `code` is bold, -- in options is \-\-.
awk '
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/--/, "\\-\\-", s)
	while (match(s, /`[^`]*`/))
		s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 1, RLENGTH - 2) "\\fR" \
		    substr(s, RSTART + RLENGTH)
	if (s ~ /^[.\x27]/)
		s = "\\&" s
	return s
}
function flush_example() {
	if (nex == 0)
		return
	print ".RS"
	print ".nf"
	for (i = 1; i <= nex; i++)
		print esc(ex[i])
	print ".fi"
	print ".RE"
	nex = 0
}
BEGIN { insection = 0; nhelp = 0; nex = 0 }
/^\[[a-z_]+\]$/ {
	insection = 1
	print ".SS " $0
	nhelp = 0
	next
}
!insection { next }
/^#/ {
	line = $0
	sub(/^# ?/, "", line)
	help[++nhelp] = line
	next
}
/^[a-z_]+ =/ {
	key = $1
	value = $0
	sub(/^[a-z_]+ = ?/, "", value)
	gsub(/"/, "\"\"", value)
	print ".TP"
	if (value == "")
		print ".BR \"" key " =\" \"   (empty)\""
	else
		print ".B \"" key " = " esc(value) "\""
	for (h = 1; h <= nhelp; h++) {
		if (help[h] ~ /^  /) {
			l = help[h]
			sub(/^  +/, "", l)
			ex[++nex] = l
		} else {
			flush_example()
			if (help[h] != "")
				print esc(help[h])
		}
	}
	flush_example()
	nhelp = 0
	next
}
' "$tmp" >"$tmp.sec"

grep -q '^\.SS \[' "$tmp.sec" || { echo "man-conf: no sections read from $KIOSK config --defaults" >&2; exit 1; }
grep -q '^\.\\" BEGIN KIOSK.CONF' "$PAGE" && grep -q '^\.\\" END KIOSK.CONF' "$PAGE" ||
	{ echo "man-conf: $PAGE has no BEGIN/END KIOSK.CONF lines" >&2; exit 1; }

awk -v sec="$tmp.sec" '
/^\.\\" BEGIN KIOSK.CONF/ {
	print
	while ((getline l < sec) > 0)
		print l
	skip = 1
	next
}
/^\.\\" END KIOSK.CONF/ { skip = 0 }
!skip { print }
' "$PAGE" >"$tmp.new"

if [ "$check" = yes ]; then
	if cmp -s "$PAGE" "$tmp.new"; then
		exit 0
	fi
	echo "man-conf: the KIOSK.CONF section of $PAGE is out of date; run scripts/man-conf.sh" >&2
	diff -u "$PAGE" "$tmp.new" >&2 || true
	exit 1
fi
cmp -s "$PAGE" "$tmp.new" || cat "$tmp.new" >"$PAGE"
