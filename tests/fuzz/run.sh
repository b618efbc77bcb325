#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage into ftcancel_core) in build-fuzz and runs
# each for SECONDS (default 60) from a copy of the committed seed corpus.
#   tests/fuzz/run.sh              60 s per target (what CI runs)
#   tests/fuzz/run.sh 3600         an hour per target
#   FUZZ_TARGETS=jobid tests/fuzz/run.sh 600      only one target
# The committed corpus in tests/fuzz/corpus/ is never modified: inputs that reach new code go to
# build-fuzz/corpus/<target>/ (kept between runs), crashes to build-fuzz/artifacts/<target>/, logs to
# build-fuzz/logs/. Exits non-zero if any target crashed, timed out, leaked or ran out of memory, and prints
# how to reproduce it.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
case $seconds in
    '' | *[!0-9]*)
        echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
        exit 2
        ;;
esac
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=${FUZZ_TARGETS:-"jobid responseparser"}

for tool in clang++ cmake ninja; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "fuzz/run.sh: '$tool' not found; run installer/deps.sh (clang and libclang-rt-14-dev)" >&2
        exit 1
    fi
done

# No -Werror here: this build is for finding bugs, and clang warns about things gcc does not.
cmake -S . -B "$build" -G Ninja --log-level=WARNING -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DFTCANCEL_FUZZ=ON
cmake --build "$build" --target fuzzers

# The longest input worth trying: a pasted id or dashboard URL is short; a job or error JSON is a few KB
# (4 KB also reaches past Qt's JSON nesting limit of 1024).
max_len() {
    case $1 in
        jobid) echo 1024 ;;
        responseparser) echo 4096 ;;
        *) echo 4096 ;;
    esac
}

# UBSan stops at the first finding (the build uses -fno-sanitize-recover) and libFuzzer saves the input.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=""
mkdir -p "$build/logs"
for target in $targets; do
    binary="$build/tests/fuzz/fuzz_$target"
    seeds="tests/fuzz/corpus/$target"
    corpus="$build/corpus/$target"
    artifacts="$build/artifacts/$target"
    log="$build/logs/fuzz_$target.log"
    mkdir -p "$corpus" "$artifacts"
    cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
    echo "== fuzz_$target for ${seconds}s (corpus $corpus, max_len $(max_len "$target"))"
    stamp="$build/logs/.started_$target"
    touch "$stamp"
    set +e
    "$binary" "$corpus" -dict="tests/fuzz/$target.dict" -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    # The seeds as loaded, the last status line, and libFuzzer's final statistics.
    grep -E '^#[0-9]+[[:space:]]+INITED' "$log" | tail -n 1 || true
    grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse)' "$log" | tail -n 1 || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
    found=$(find "$artifacts" -type f -newer "$stamp")
    if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
        failed="$failed $target"
        echo "fuzz_$target FAILED (exit code $rc); the end of $log:" >&2
        tail -n 60 "$log" >&2
        for input in $found; do
            echo "crashing input saved as $input" >&2
            echo "reproduce with: $binary $input" >&2
        done
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz/run.sh: failures in:$failed" >&2
    exit 1
fi
echo "fuzz/run.sh: no crash, timeout or leak in $seconds s per target"
