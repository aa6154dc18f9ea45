#!/usr/bin/env bash
# Badge tests on the real binary: a 48-guest event's badges as a PDF,
# rasterised at 300 and 150 dpi (pdftoppm), every QR decoded (zbarimg): each
# guest's code exactly once and nothing else; the page size of each layout;
# bad input refused with nothing written.
#
#   KIOSK=/abs/path/to/kiosk ./tests/integration/badges.sh
#
# Prints "ok - NAME" / "not ok - NAME: REASON", last "badges: N passed, M failed".
set -u
SUITE="badges"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

need_tools pdftoppm pdfinfo zbarimg sqlite3
T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-badges.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

# 48 guests on six pages: half with platform barcodes, half getting codes of
# ours, some with long and non-Latin names. (Rasterising and decoding is
# half a second a page: 200 guests took 35 s of each test run.)
N=48
{
	echo "First Name,Last Name,Email,Company,Ticket Type,Barcode #"
	for i in $(seq 1 "$N"); do
		case $((i % 5)) in
		0) first="Maximiliaan-Alexander Johannes"; last="Vanderhaeghen-Bosscher $i" ;;
		1) first="محمد"; last="علي $i" ;;
		2) first="小明"; last="王 $i" ;;
		3) first="Zoë"; last="Çelik $i" ;;
		*) first="Jan"; last="Peeters $i" ;;
		esac
		if [ $((i % 2)) = 0 ]; then code=$((7000000000000000000 + i)); else code=""; fi
		echo "$first,$last,g$i@example.org,Company $i,Regular,$code"
	done
} >guests.csv
"$KIOSK" import guests.csv --db e.db --event-name "Badge Test 2026" --tag BT26 \
	--timezone Europe/Brussels >/dev/null || notok setup "import failed"
sqlite3 e.db "SELECT code FROM guest ORDER BY code" >want.txt

# decode PDF DPI: every QR code on every page, one a line, sorted. Pages are
# rasterised as a printer prints them, without blending edges into grey.
# zbar reading eight codes from one page image now and then misses one whose
# finder patterns line up with a neighbour's; a door scanner sees one badge
# at a time, so such a page is read again badge by badge (the a4-2x4 slots).
decode() {
	local pdf=$1 dpi=$2 pages p n
	rm -rf "pages$dpi" && mkdir "pages$dpi"
	pdftoppm -r "$dpi" -gray -aa no -aaVector no -png "$pdf" "pages$dpi/p" || return 1
	pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
	for p in $(seq 1 "$pages"); do
		local img want
		img=$(ls "pages$dpi"/p-*.png | sed -n "${p}p")
		want=8
		[ "$p" = "$pages" ] && want=$((N - 8 * (pages - 1)))
		zbarimg -q --raw -Sdisable -Sqrcode.enable "$img" 2>/dev/null >"codes$dpi-$p.txt"
		n=$(wc -l <"codes$dpi-$p.txt")
		if [ "$n" -lt "$want" ]; then
			: >"codes$dpi-$p.txt"
			for slot in $(seq 0 $((want - 1))); do
				local x y
				x=$(awk -v c=$((slot % 2)) -v d="$dpi" 'BEGIN { printf "%d", (10 + c * 100) / 25.4 * d }')
				y=$(awk -v r=$((slot / 2)) -v d="$dpi" 'BEGIN { printf "%d", (31 + r * 60) / 25.4 * d }')
				pdftoppm -r "$dpi" -gray -aa no -aaVector no -png -f "$p" -l "$p" \
				    -x "$x" -y "$y" -W $((90 * dpi * 10 / 254)) -H $((55 * dpi * 10 / 254)) \
				    "$pdf" "pages$dpi/slot"
				zbarimg -q --raw -Sdisable -Sqrcode.enable "pages$dpi"/slot*.png 2>/dev/null \
				    >>"codes$dpi-$p.txt"
				rm -f "pages$dpi"/slot*.png
			done
		fi
	done
	cat "codes$dpi"-*.txt | sort
}

if "$KIOSK" badges --db e.db --out all.pdf >out.txt 2>err.txt; then
	pages=$(pdfinfo all.pdf | sed -n 's/^Pages: *//p')
	[ "$pages" = 6 ] && ok "$N badges on 6 A4 pages of 8" || notok "$N badges on 6 A4 pages of 8" "$pages pages"
	for dpi in 300 150; do
		decode all.pdf $dpi >got$dpi.txt
		if cmp -s want.txt got$dpi.txt; then
			ok "every code decodes exactly once at $dpi dpi"
		else
			notok "every code decodes exactly once at $dpi dpi" \
			    "$(wc -l <got$dpi.txt) decoded; diff: $(diff want.txt got$dpi.txt | head -5 | tr '\n' ' ')"
		fi
	done
else
	notok "kiosk badges" "$(cat err.txt)"
fi

# Page sizes: A4 for the sheets, the card and roll sizes for the others.
for spec in "a4-2x5 595.276 841.89" "card 243.78 153.07" "roll-62 283.465 175.748"; do
	set -- $spec
	if "$KIOSK" badges --db e.db --layout "$1" --out "$1.pdf" >/dev/null 2>&1; then
		size=$(pdfinfo "$1.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p')
		if awk -v s="$size" -v w="$2" -v h="$3" 'BEGIN { split(s, a, " ");
		    d1 = a[1] - w; d2 = a[2] - h; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2;
		    exit !(d1 < 1.5 && d2 < 1.5) }'; then  # 1.5 pt = 0.5 mm
			ok "layout $1: page size within 0.5 mm"
		else
			notok "layout $1: page size within 0.5 mm" "got '$size' pts, want $2 x $3"
		fi
	else
		notok "layout $1" "kiosk badges failed"
	fi
done

# One badge as a PNG, named by code; it decodes.
code=$(head -n 1 want.txt)
if "$KIOSK" badges --db e.db --code "$code" --out one.png >one.out 2>&1 &&
    [ "$(zbarimg -q --raw one.png 2>/dev/null)" = "$code" ] &&
    grep -q "^1 badge (one [a-z0-9-]* label, 300 dpi) written to one.png" one.out; then
	ok "one badge as PNG decodes to its code (and is said to be one label)"
else
	notok "one badge as PNG decodes to its code (and is said to be one label)" \
	    "$(zbarimg -q --raw one.png 2>&1 | head -2) $(head -c 200 one.out)"
fi

# Bad input: a message, exit 1, no file.
check_refused() { # NAME FILE ARGS...
	local name=$1 file=$2
	shift 2
	if "$KIOSK" badges --db e.db "$@" >/dev/null 2>err.txt; then
		notok "$name" "exit 0"
	elif ! grep -q '^kiosk: badges: ' err.txt; then
		notok "$name" "message: $(cat err.txt)"
	elif [ -e "$file" ] || ls "$(dirname "$file")" 2>/dev/null | grep -q 'tmp-'; then
		notok "$name" "a file was left behind"
	else
		ok "$name"
	fi
}
check_refused "unknown layout refused" bad1.pdf --layout a3-giant --out bad1.pdf
check_refused "unknown guest refused" bad2.pdf --code NOPE-123 --out bad2.pdf
check_refused "unwritable path refused" /nonexistent/dir/b.pdf --out /nonexistent/dir/b.pdf
check_refused "an output that is neither .pdf nor .png refused" bad3.svg --code "$code" --out bad3.svg
check_refused "the event's database as output refused" e.db-not-there --out e.db
[ "$(head -c 15 e.db)" = "SQLite format 3" ] || notok "the database is still a database" "replaced"
"$KIOSK" badges --list-layouts | grep -q '^a4-2x4' && ok "--list-layouts lists the layouts" ||
    notok "--list-layouts lists the layouts" "no a4-2x4"

finish
