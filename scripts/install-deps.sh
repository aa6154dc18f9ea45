#!/bin/sh
# install-deps.sh [--run]: install the Debian packages kiosk builds, tests and
# runs with; with --run only those it builds and runs with (make run: a venue
# laptop that opens the demo needs no browser or spreadsheet program).
#
# Idempotent and fast when everything is there: one dpkg-query, no apt call.
# Uses apt-get directly as root, through sudo otherwise (at a terminal, sudo
# may ask for the password); when neither works it prints the exact line to
# run (with su where there is no sudo) and fails.
set -eu

only_run=false
case "${1:-}" in
--run) only_run=true ;;
"") ;;
*) echo "usage: install-deps.sh [--run]" >&2; exit 2 ;;
esac

# One package a line, with the reason, so the lists stay honest.
# Built and run with:
RUN_PACKAGES="
build-essential   compiler and make
pkgconf           pkg-config for every library
libsqlite3-dev    the event store
libinih-dev       kiosk.conf parser
libutf8proc-dev   case and diacritic folding for name search
libcsv-dev        CSV reader for guest-list import and CSV export
libjansson-dev    JSON output of the commands
uuid-dev          UUIDs for guests, check-ins and scans
libsdl2-dev       the door app: window, input, audio
libsdl2-ttf-dev   text on screen (with HarfBuzz shaping)
libqrencode-dev   QR codes of walk-in tickets on screen
libzbar-dev       webcam QR decoding
libsodium-dev     admin PIN hash (argon2id), hub token hashes and randomness
libmicrohttpd-dev the hub's HTTP(S) server
libcurl4-gnutls-dev  the kiosk's sync client (HTTP(S) to the hub)
zlib1g-dev        gzip of sync bodies
libxlsxwriter-dev XLSX attendance export
libzip-dev        XLSX guest-list import: the workbook's zip
libexpat1-dev     XLSX guest-list import: the workbook's XML
libpng-dev        screenshots of the app (tests, --screenshot)
gettext           translations (msgfmt at build time)
tzdata            event time zones
libcairo2-dev     badges: PDF and PNG drawing
libpango1.0-dev   badges: text layout in every script (brings fontconfig)
libcups2-dev      badge printing through CUPS (src/badge/print.c)
"
# Tested and benchmarked with, besides:
TEST_PACKAGES="
sqlite3           bench reference (sqlite3 .import); integration tests (locks, CSV parsing)
libcmocka-dev     unit tests
jq                integration tests parse the commands' JSON output
libreoffice-calc-nogui  export test: a real spreadsheet program opens the XLSX (to CSV); tests/data/make-xlsx.py: the import fixtures it writes
python3-openpyxl  tests/data/make-xlsx.py: the XLSX import fixtures (committed; remade by hand)
faketime          sync test: a kiosk whose clock is an hour wrong
openssl           sync test: a self-signed certificate for an https hub
curl              sync and live-page tests: raw requests to the hub
chromium          live-page test: the organiser's page in a real browser (headless)
chromium-driver   live-page test: drives that browser
python3-selenium  live-page test: the script that logs in and watches the page
xvfb              real-window tests of the app
xdotool           typing into the app as a scanner in tests
x11-xkb-utils     keyboard layouts for the AZERTY scanner test
xkb-data          keyboard layouts for the AZERTY scanner test
dbus-daemon       app test: a session bus of its own, where the door asks the screen saver to wait
python3-dbus      app test: a fake org.freedesktop.ScreenSaver that writes down what the door asks
python3-gi        app test: that fake service's main loop
cups              print test: a private cupsd, lpadmin/lpstat/lp, the PDF filters
printer-driver-cups-pdf  print test: the cups-pdf virtual printer that writes PDFs
qrencode          bench reference (qrencode writing PNGs); print test fallback
img2pdf           print test: that QR as a PDF
poppler-utils     print and badge tests: pdftoppm rasterises the printed PDF
zbar-tools        print and badge tests: zbarimg decodes the QR codes
dosfstools        stick test: a FAT USB stick's image (mkfs.vfat), where the kernel mounts one
bindfs            stick test: else a folder that refuses chmod as FAT does (FUSE)
exfatprogs        stick test: an exFAT stick's image (mkfs.exfat), for the names it refuses
exfat-fuse        stick test: that image mounted where the kernel has no exFAT of its own
strace            install and lockdown tests: no file of the source tree opened; what the hub and app do stays in their units' sandbox
man-db            install test: man -l renders the man page, warnings shown
systemd           install test: systemd-analyze verify checks the units and lists @system-service
procps            install and lockdown tests: pgrep finds the process under strace
python3           lockdown test: a window manager's close and keyboard grab, through libX11 (ctypes)
python3-aiosmtpd  mail test and bench: a real SMTP server on loopback (tests/tools/smtpd.py)
clang             make fuzz: libFuzzer targets with ASan and UBSan (tests/fuzz, mk/fuzz.mk)
libclang-rt-dev   make fuzz: the libFuzzer and sanitizer runtimes (only recommended by clang)
"

if $only_run; then
	PACKAGES=$RUN_PACKAGES
else
	PACKAGES="$RUN_PACKAGES$TEST_PACKAGES"
fi
wanted=$(printf '%s\n' "$PACKAGES" | awk 'NF { print $1 }')

# dpkg-query prints "install ok installed" for each package that is fully there.
missing=""
for pkg in $wanted; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	"install ok installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

line="apt-get install -y --no-install-recommends$missing"
echo "install-deps: missing:$missing" >&2

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ] && [ -t 2 ] &&
    echo "install-deps: installing them with sudo (it may ask for your password)" >&2 &&
    sudo -v; then
	# A user whose sudo asks for a password, at a terminal: asked once
	# here (sudo -v), and the apt-get calls below run on that.
	SUDO="sudo"
else
	# Debian installed with a root password has no sudo, and its first
	# user is in no sudoers file: root's own su is the way in there.
	echo "install-deps: cannot install packages without root; run, then make again:" >&2
	if command -v sudo >/dev/null 2>&1; then
		echo "  sudo apt-get update && sudo $line" >&2
		echo "or, where your user may not use sudo, with root's password:" >&2
	fi
	echo "  su -c 'apt-get update && $line'" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# An apt-get install on a machine that never ran apt-get update finds nothing;
# update once when the package lists are missing or the install fails.
if ! $SUDO $line; then
	$SUDO apt-get update
	$SUDO $line || {
		echo "install-deps: apt-get failed; run by hand:" >&2
		echo "  apt-get update && $line" >&2
		exit 1
	}
fi
