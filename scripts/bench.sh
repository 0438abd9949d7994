#!/usr/bin/env bash
# Benchmarks (not part of the test suite): derivation per family and signing per kind, each
# against baselines measured in the same run (raw libsecp256k1 / libsodium, and JavaScript
# signers: viem, @noble/curves). Usage: scripts/bench.sh [SECONDS-PER-CASE]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-1}
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target bench_derive bench_sign >/dev/null
echo "== derivation + address (build/bin/bench_derive)"
build/bin/bench_derive "$secs"
echo "== signing per kind through tk_sign_payload (build/bin/bench_sign)"
build/bin/bench_sign "$secs"
echo "== JavaScript signers on the same payloads (bench/node_signers.mjs)"
node bench/node_signers.mjs "$secs"
echo "== TDX quote verification (build/bin/bench_attest, bench/node_attest.mjs)"
cmake --build build -j"$(nproc)" --target bench_attest >/dev/null
build/bin/bench_attest "$secs"
node bench/node_attest.mjs "$secs"
echo "== BLS12-381 against @noble/curves and blst (build/bin/bench_bls, bench/node_bls.mjs)"
cmake --build build -j"$(nproc)" --target bench_bls >/dev/null
build/bin/bench_bls "$secs"
node bench/node_bls.mjs "$secs"
