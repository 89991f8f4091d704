#!/usr/bin/env bash
# Install RunningRoom and what a fresh Debian machine lacks.
#   bash scripts/install.sh          runtime only
#   bash scripts/install.sh --test   plus test dependencies (dbus for the BLE emulation tier)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

debs=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core)
[ "$want_test" = 1 ] && debs+=(dbus-daemon dbus poppler-utils)
missing=()
for d in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed" || missing+=("$d")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "warning: missing Debian packages (install them as root): ${missing[*]}" >&2
    fi
fi

if [ "$want_test" = 1 ]; then
    python3 -m pip install -q -e '.[test]'
else
    python3 -m pip install -q -e .
fi
