#!/usr/bin/env bash
# Install RunningRoom and what a fresh Debian machine lacks.
#   bash scripts/install.sh                 runtime only
#   bash scripts/install.sh --test          plus test dependencies (dbus for the BLE emulation
#                                           tier, Xvfb for the real-window test, PDF tools)
#   bash scripts/install.sh --system-only   only the Debian packages, no pip install
#                                           (combine with --test; for a machine whose Python
#                                           environment is installed from another checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
want_pip=1
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        --system-only) want_pip=0 ;;
        *) echo "usage: $0 [--test] [--system-only]" >&2; exit 2 ;;
    esac
done

# What Qt 6's xcb platform plugin (PySide6/Qt/plugins/platforms/libqxcb.so and
# libQt6XcbQpa.so.6) links against, from `ldd`: without libxcb-cursor0 Qt >= 6.5 aborts
# with "xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin".
xcb_debs=(libxcb1 libx11-6 libx11-xcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
          libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
          libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon0
          libxkbcommon-x11-0)
# Qt's GUI core: OpenGL/EGL, fonts, D-Bus (platform theme, accessibility), GLib event loop.
qt_debs=(libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
debs=("${xcb_debs[@]}" "${qt_debs[@]}")
# xvfb: a virtual X server, for the test that opens the real window on the xcb platform
[ "$want_test" = 1 ] && debs+=(dbus-daemon dbus poppler-utils xvfb)
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

[ "$want_pip" = 1 ] || exit 0
if [ "$want_test" = 1 ]; then
    python3 -m pip install -q -e '.[test]'
else
    python3 -m pip install -q -e .
fi
