#!/usr/bin/env bash
# scripts/install-deps.sh (what `make run` and `make test` start with), as a
# user who cannot install packages meets it: what it tells them to run.
# dpkg-query, id and sudo are stand-ins on a PATH of their own, so nothing
# is installed and no root is needed: a package is missing, the user is
# not root, and sudo is absent (Debian installed with a root password) or
# refuses (a user in no sudoers file).
#
#   ./tests/integration/deps.sh
#
# Needs: bash, sh. Prints "ok - NAME" / "not ok - NAME: REASON" and, last,
# "deps: N passed, M failed"; exits 1 when M > 0.
set -u
SUITE="deps"
# shellcheck source=tests/integration/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-deps.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1

# A bin folder with the few tools the script runs, and stand-ins: every
# package but libsdl2-dev is installed, and the user is uid 1000.
mkdir -p bin
for tool in sh awk; do ln -s "$(command -v "$tool")" "bin/$tool"; done
cat >bin/dpkg-query <<'EOF'
#!/bin/sh
[ "$3" = libsdl2-dev ] && exit 1
printf 'install ok installed'
EOF
printf '#!/bin/sh\necho 1000\n' >bin/id
chmod +x bin/dpkg-query bin/id

# deps: run the script with that PATH, stdin not a terminal; stderr in
# $T/err, status in $RC.
deps() {
	PATH=$T/bin "$ROOT/scripts/install-deps.sh" --run </dev/null >"$T/out" 2>"$T/err"
	RC=$?
}

begin "no sudo (Debian with a root password): the line to run is su's, not sudo's"
deps
[ "$RC" = 1 ] || why "exit $RC, expected 1"
err_has "install-deps: missing: libsdl2-dev"
err_has "  su -c 'apt-get update && apt-get install -y --no-install-recommends libsdl2-dev'"
grep -q "sudo" "$T/err" && why "tells a computer without sudo to use it: $(short "$T/err")"
end

begin "a sudo that refuses this user: sudo's line, and su's for a user not in sudoers"
printf '#!/bin/sh\necho "vm is not in the sudoers file." >&2\nexit 1\n' >bin/sudo
chmod +x bin/sudo
deps
[ "$RC" = 1 ] || why "exit $RC, expected 1"
err_has "  sudo apt-get update && sudo apt-get install -y --no-install-recommends libsdl2-dev"
err_has "  su -c 'apt-get update && apt-get install -y --no-install-recommends libsdl2-dev'"
end

begin "nothing missing: no apt call, no word"
printf '#!/bin/sh\nprintf "install ok installed"\n' >bin/dpkg-query
deps
[ "$RC" = 0 ] || why "exit $RC, expected 0"
[ -s "$T/err" ] && why "says: $(short "$T/err")"
end

finish
