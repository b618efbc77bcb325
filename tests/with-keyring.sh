#!/usr/bin/env bash
# Run a command against a REAL Secret Service that belongs to it alone.
#
#   tests/with-keyring.sh COMMAND [ARGS...]
#
# The command runs inside a private D-Bus session bus (dbus-run-session) in
# which a fresh gnome-keyring-daemon serves org.freedesktop.secrets with its
# "login" keyring created and unlocked (password "ci"). The user's own
# keyring, session bus and settings are never touched:
#   - XDG_DATA_HOME (where keyrings live), XDG_CONFIG_HOME, XDG_CACHE_HOME
#     and XDG_RUNTIME_DIR (mode 700) point into a new temporary directory;
#   - DISPLAY and WAYLAND_DISPLAY are unset (a keyring prompt with no screen
#     would wait forever) and QT_QPA_PLATFORM=offscreen is exported;
#   - the desktop variables QtKeychain looks at to choose KWallet are unset,
#     so it always takes the libsecret (Secret Service) backend;
#   - the private bus has no activatable services: nothing (a second, locked
#     keyring daemon, a prompter, the accessibility bus...) is started behind
#     our back; a call to a missing service fails at once instead.
#
# The exit status is the command's (77 if dbus-run-session or
# gnome-keyring-daemon is missing, 125 if the keyring could not be started).
# Afterwards the keyring daemon is stopped and the directory removed; with
# FTCANCEL_KEEP_TESTDIR=1 the directory is kept and its path printed on stderr.
# (A wrapper killed with SIGKILL leaves its directory; the next run removes it.)
# In CMake:
#   add_test(NAME tst_x COMMAND ${PROJECT_SOURCE_DIR}/tests/with-keyring.sh $<TARGET_FILE:tst_x>)
# Needs the Debian packages dbus (dbus-run-session, dbus-send) and
# gnome-keyring. Works as root, without a display and without stdin.

if [ -z "${BASH_VERSION:-}" ]; then      # started as "sh with-keyring.sh ..."
    exec bash "$0" "$@"
fi

set -u

me=${0##*/}

if [ "$#" -eq 0 ]; then
    echo "usage: $me COMMAND [ARGS...]" >&2
    exit 2
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$me: '$tool' not found (install the Debian packages dbus and gnome-keyring)" >&2
        exit 77
    fi
done

# Short, plain path: it ends up in a bus config file and in Unix socket paths
# (at most 107 bytes), so fall back to /tmp for a long or unusual TMPDIR.
base=${TMPDIR:-/tmp}
case $base in
    *[!A-Za-z0-9._/-]*) base=/tmp ;;
esac
if [ "${#base}" -gt 60 ]; then
    base=/tmp
fi
# The start time of a live process (to tell it from a later one with the
# same PID), nothing for a dead one.
process_id() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }                   # the fields after "(comm)"
    # shellcheck disable=SC2086
    set -- $stat
    echo "${20}"                        # field 22 of stat: start time
}

# Whether process $1 was started inside test directory $2.
started_in() {
    local var
    while IFS= read -r -d '' var; do
        [ "$var" = "XDG_RUNTIME_DIR=$2/runtime" ] && return 0
    done 2>/dev/null <"/proc/$1/environ"
    return 1
}

# A wrapper killed with SIGKILL (ctest does so on a timeout, to the whole
# process tree) cannot clean up; its daemons die with it, but its directory
# stays. Remove such leftovers: directories whose owner process is gone and
# that no process still uses.
for old in "${base%/}"/ftcancel-keyring.*; do
    [ -f "$old/owner" ] || continue     # being set up, or kept on purpose
    read -r old_pid old_id 2>/dev/null <"$old/owner" || continue
    [ "$(process_id "$old_pid")" = "$old_id" ] && continue
    for proc in /proc/[0-9]*; do
        if started_in "${proc#/proc/}" "$old"; then
            continue 2
        fi
    done
    rm -rf "$old" 2>/dev/null
done

testdir=$(mktemp -d "${base%/}/ftcancel-keyring.XXXXXX") || exit 125
testdir=$(cd "$testdir" && pwd -P) || exit 125
chmod 700 "$testdir"
echo "$$ $(process_id $$)" >"$testdir/owner"

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    # The inner script stops its own daemon; this catches one it could not
    # stop (the wrapper killed, say): any gnome-keyring-daemon whose
    # XDG_RUNTIME_DIR is ours. Other users' or sessions' daemons are left alone.
    local pid pids='' _
    for pid in $(pgrep gnome-keyring 2>/dev/null); do
        if started_in "$pid" "$testdir"; then
            pids="$pids $pid"
        fi
    done
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086  # $pids is a list of numbers
        kill $pids 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            # shellcheck disable=SC2086
            kill -0 $pids 2>/dev/null || break
            sleep 0.2
        done
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null
    fi
    if [ "${FTCANCEL_KEEP_TESTDIR:-0}" = 1 ]; then
        rm -f "$testdir/owner"
        echo "$me: kept test directory $testdir" >&2
    else
        rm -rf "$testdir"
    fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 700 "$testdir/data" "$testdir/config" "$testdir/cache" "$testdir/runtime" "$testdir/home" || exit 125

export XDG_DATA_HOME="$testdir/data"
export XDG_CONFIG_HOME="$testdir/config"
export XDG_CACHE_HOME="$testdir/cache"
export XDG_RUNTIME_DIR="$testdir/runtime"
# QStandardPaths test mode writes under $HOME/.qttest: keep that inside the test directory too.
export HOME="$testdir/home"
export QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY
unset DBUS_SESSION_BUS_ADDRESS DBUS_STARTER_ADDRESS DBUS_STARTER_BUS_TYPE
unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID SSH_AUTH_SOCK
unset XDG_CURRENT_DESKTOP XDG_SESSION_DESKTOP DESKTOP_SESSION GNOME_DESKTOP_SESSION_ID
unset KDE_FULL_SESSION KDE_SESSION_VERSION

# A session bus like the standard one, minus service activation.
cat >"$testdir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=$testdir/runtime</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

# Runs on the private bus: start the keyring, wait until it serves
# org.freedesktop.secrets, run the command, stop the keyring.
# shellcheck disable=SC2016  # expanded by the inner bash
inner='
log="$XDG_RUNTIME_DIR/gnome-keyring.log"
printf %s ci | gnome-keyring-daemon --unlock --components=secrets --foreground >"$log" 2>&1 &
keyring=$!
stop_keyring() {
    kill "$keyring" 2>/dev/null && wait "$keyring" 2>/dev/null
}
trap "stop_keyring; exit 129" HUP
trap "stop_keyring; exit 130" INT
trap "stop_keyring; exit 143" TERM
i=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q "boolean true"; do
    i=$((i + 1))
    if [ "$i" -ge 100 ] || ! kill -0 "$keyring" 2>/dev/null; then
        echo "$0: gnome-keyring-daemon did not start:" >&2
        cat "$log" >&2
        stop_keyring
        exit 125
    fi
    sleep 0.1
done
"$@"
rc=$?
stop_keyring
exit "$rc"
'

dbus-run-session --config-file="$testdir/bus.conf" -- bash -c "$inner" "$me" "$@"
exit $?
