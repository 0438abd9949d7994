#!/usr/bin/env bash
# Long fuzzing run (not part of the default suite): builds the libFuzzer harnesses and runs
# each for SECONDS (default 600), keeping the grown corpora in build-fuzz/corpus-run/.
# Usage: scripts/fuzz-long.sh [SECONDS] [NAME-FILTER]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-600}
filter=${2:-}
TK_SKIP_NPM=1 scripts/deps.sh
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DTK_FUZZ=ON -DTK_TESTS=OFF -DTK_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null
status=0
for f in build-fuzz/fuzz/fuzz_*${filter}*; do
    name=$(basename "$f")
    corpus="fuzz/corpus/${name#fuzz_}"
    mkdir -p "build-fuzz/corpus-run/$name"
    echo "== $name for ${secs}s"
    if ! "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "build-fuzz/corpus-run/$name" $([ -d "$corpus" ] && echo "$corpus") >"build-fuzz/$name.long.log" 2>&1; then
        echo "!! $name failed: see build-fuzz/$name.long.log"
        status=1
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build-fuzz/$name.long.log" || true
done
exit $status
