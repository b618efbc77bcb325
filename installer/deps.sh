#!/bin/sh
# Installs what FtCancel needs to build, run and test on Debian 12 (bookworm) or a recent Ubuntu.
# Uses sudo when not run as root. Safe to run again.
set -eu
packages="g++ cmake ninja-build pkg-config qt6-base-dev qt6-tools-dev qt6-l10n-tools qtkeychain-qt6-dev \
libqt6svg6 libsecret-1-0 gnome-keyring dbus xvfb xauth fonts-dejavu-core dpkg-dev file desktop-file-utils appstream \
libgl-dev clang libclang-rt-14-dev"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "deps.sh: build and test dependencies are installed."
