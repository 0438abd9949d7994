#!/usr/bin/env bash
# The whole default test suite, as CI runs it (.ci/run calls exactly this):
#   1. installs dependencies (scripts/deps.sh, idempotent)
#   2. release build with gcc, -Werror, all CTest tests          -> build/
#   3. ASan + UBSan build with clang, all CTest tests             -> build-asan/
#   4. libFuzzer harnesses built with clang, a short run of each  -> build-fuzz/
# Exits non-zero on any failure and ends with one summary line "N passed, N failed".
# Long fuzzing, soak and differential runs are separate: see scripts/fuzz-long.sh and docs/testing.md.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)
fuzz_seconds=${TK_FUZZ_SECONDS:-4}
passed=0
failed=0
failures=()

stage() { # name, command...
    local name=$1
    shift
    echo "== $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "!! stage failed: $name"
    fi
}

build() { # dir, cmake args...
    local dir=$1
    shift
    cmake -S . -B "$dir" -DTK_WERROR=ON "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; return 1; }
    if ! cmake --build "$dir" -j"$jobs" >"$dir.build.log" 2>&1; then
        grep -E -A4 "error|Error" "$dir.build.log" | head -80
        return 1
    fi
}

run_ctest() { # dir
    (cd "$1" && ctest --output-on-failure -j"$jobs" --timeout 600)
}

run_ctest_asan() {
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 run_ctest build-asan
}

fuzz_smoke() {
    local dir=build-fuzz ok=0
    for f in "$dir"/fuzz/fuzz_*; do
        [ -x "$f" ] || continue
        local name corpus
        name=$(basename "$f")
        corpus="fuzz/corpus/${name#fuzz_}"
        mkdir -p "$dir/corpus-run/$name"
        if ! "$f" -max_total_time="$fuzz_seconds" -print_final_stats=0 -timeout=10 \
            -rss_limit_mb=2048 "$dir/corpus-run/$name" $( [ -d "$corpus" ] && echo "$corpus" ) \
            >"$dir/$name.log" 2>&1; then
            tail -40 "$dir/$name.log"
            echo "!! $name found a crash (log: $dir/$name.log)"
            ok=1
        else
            echo "   $name: $(grep -Eo '#[0-9]+[[:space:]]+DONE.*' "$dir/$name.log" | head -1)"
        fi
    done
    return $ok
}

mkdir -p build build-asan build-fuzz
stage "dependencies" scripts/deps.sh
stage "build (gcc, release, -Werror)" build build -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
stage "tests (release)" run_ctest build
stage "build (clang, ASan+UBSan)" build build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DTK_SANITIZE=ON -DTK_BENCH=OFF
stage "tests (ASan+UBSan)" run_ctest_asan
stage "build (clang, libFuzzer)" build build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTK_FUZZ=ON -DTK_TESTS=OFF -DTK_BENCH=OFF
stage "fuzz smoke (${fuzz_seconds}s each)" fuzz_smoke

if [ $failed -gt 0 ]; then
    echo "failed stages: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
