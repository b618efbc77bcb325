#!/usr/bin/env bash
# Runs the whole test suite once more under AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer):
# tests/run.sh with -DFTCANCEL_SANITIZE=ON in build-asan (gcc; Qt itself is not instrumented).
#   tests/sanitizer/run.sh                    build-asan, every test
#   BUILD_DIR=dir tests/sanitizer/run.sh      another build directory
# Any sanitizer report fails the run, including one from a child process (tst_cli runs the real ftcancel
# through QProcess and only sees its exit code): ASan and LeakSanitizer reports are written to
# <build>/sanitizer-logs/ and printed at the end, and a report there fails the run even if the test that caused
# it passed. UBSan reports go to stderr whatever log_path says (gcc links UBSan as a separate runtime, libubsan,
# which ignores it): from a test program they show in ctest's output; from the ftcancel child they end up in the
# stderr tst_cli captures, so they show only as an exit code of -2 (a crash: abort_on_error) in tst_cli's
# failure. Run that ftcancel command by hand from build-asan to see the report.
# The options below reach the tests through ctest, tests/with-keyring.sh, tests/without-keyring.sh and
# QProcess, which all pass the environment on.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$PWD
build=${BUILD_DIR:-build-asan}
logs="$here/$build/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"

# ASan: stop at the first error with SIGABRT (a crash ctest and QProcess both see), and also catch
# use-after-return and static initialisation order problems in our code.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:\
check_initialization_order=1:strict_init_order=1:log_path=$logs/asan"
# UBSan: the build already uses -fno-sanitize-recover=all; abort with a stack trace, like ASan.
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:report_error_type=1:log_path=$logs/ubsan"
# LeakSanitizer runs at exit of every instrumented program (detect_leaks=1 above). The keyring (libsecret, glib,
# D-Bus) and the offscreen GUI (fontconfig, Qt plugins) report nothing: what they keep for the life of the process
# stays reachable. tests/sanitizer/lsan.supp names the one third-party library that does (OpenSSL's per-thread
# random generators, see there); it names libraries only, never our own code.
export LSAN_OPTIONS="suppressions=$here/tests/sanitizer/lsan.supp:print_suppressions=0"

status=0
BUILD_DIR=$build CMAKE_ARGS="-DFTCANCEL_SANITIZE=ON ${CMAKE_ARGS:-}" tests/run.sh || status=$?

reports=$(find "$logs" -type f | sort)
errors=0
for report in $reports; do
    echo "== sanitizer report $report" >&2
    cat "$report" >&2
    if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$report"; then
        errors=$((errors + 1))
    fi
done
if [ "$errors" -gt 0 ]; then
    echo "sanitizer/run.sh: $errors sanitizer report(s) in $logs" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "sanitizer/run.sh: tests/run.sh failed (exit code $status); no ASan/LSan report in $logs (a UBSan" \
        "report is in the failing test's output, or, for an exit code of -2 in tst_cli, in the ftcancel child's" \
        "stderr)" >&2
    exit "$status"
fi
echo "sanitizer/run.sh: all tests passed under ASan+UBSan, no sanitizer report"
