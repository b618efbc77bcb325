#!/bin/sh
# Builds FtCancel with warnings as errors and runs every test. Keychain tests start their own private D-Bus
# session and gnome-keyring (tests/with-keyring.sh), so nothing touches your own keyring or settings.
#   tests/run.sh                  build in ./build and run all tests
#   BUILD_DIR=dir tests/run.sh    use another build directory
#   CMAKE_ARGS="-DFTCANCEL_SANITIZE=ON" BUILD_DIR=build-asan tests/run.sh    sanitizers
set -eu
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
need_deps=""
for tool in c++ cmake ninja dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || need_deps=1
done
ls /usr/lib/*/cmake/Qt6Keychain/Qt6KeychainConfig.cmake >/dev/null 2>&1 || need_deps=1
if [ -n "$need_deps" ]; then
    echo "run.sh: installing dependencies first (installer/deps.sh)"
    installer/deps.sh
fi
# shellcheck disable=SC2086
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFTCANCEL_WERROR=ON ${CMAKE_ARGS:-}
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j2
