#!/bin/sh
# Runs a command in a throw-away profile (HOME and XDG dirs in a temp dir) with no D-Bus session bus and no
# display, so QtKeychain finds no keyring at all: the "no keyring available" path, as on a bare server or a
# minimal desktop. Every test that does not need a keyring runs this way, so no test touches a real profile.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftcancel-nokeyring.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/run" "$tmp/home"
chmod 700 "$tmp/run"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
export HOME="$tmp/home"
export QT_QPA_PLATFORM=offscreen
"$@"
