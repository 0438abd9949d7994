#!/usr/bin/env bash
# The main job, for now: build teekeys, create a fresh master secret, and derive one user's
# addresses on every chain (key derivation v1), then show the same addresses coming back from
# a sealed copy of the master. Later issues grow this into the full local stack (`teekeys up`).
# Usage: scripts/demo.sh [ACCOUNT]   (default alice.near). Idempotent; needs root for apt-get once.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
account=${1:-alice.near}

TK_SKIP_NPM=1 scripts/deps.sh
echo "== building teekeys (build/bin/teekeys)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >build.configure.log 2>&1 ||
    { cat build.configure.log; exit 1; }
cmake --build build -j"$(nproc)" --target teekeys_cli >build.demo.log 2>&1 ||
    { tail -40 build.demo.log; exit 1; }
tk=build/bin/teekeys

home=${TEEKEYS_DEMO_HOME:-$HOME/.teekeys/demo}
mkdir -p "$home"
chmod 700 "$home"
if [ ! -f "$home/master.hex" ]; then
    echo "== creating a master secret in $home/master.hex (mode 0600; this is every key: keep it safe)"
    "$tk" master new --out "$home/master.hex"
else
    echo "== using the existing master secret in $home/master.hex"
fi

echo
echo "== addresses of $account (derivation v1: HKDF-SHA256(master, \"teekeys/v1|$account|<family>|<path>\"))"
printf '%-14s %-8s %s\n' family network address
for spec in "evm" "bitcoin mainnet" "bitcoin-test testnet" "bitcoin-test signet" "bitcoin-test regtest" "solana" "near"; do
    set -- $spec
    args=(address --account "$account" --family "$1" --master-file "$home/master.hex")
    [ $# -gt 1 ] && args+=(--network "$2")
    printf '%-14s %-8s %s\n' "$1" "${2:--}" "$("$tk" "${args[@]}")"
done
echo
echo "== the same key as a JSON record (path \"savings\" selects a second EVM key)"
"$tk" address --account "$account" --family evm --path savings --json --master-file "$home/master.hex"

echo
echo "== sealing the master with the SIMULATED provider (development only, not hardware-bound)"
rm -f "$home/master.sealed"
"$tk" master seal --sealed-blob "$home/master.sealed" --seal-provider sim --master-file "$home/master.hex" --replace
sealed=$("$tk" address --account "$account" --family evm --master-source sealed \
    --sealed-blob "$home/master.sealed" --seal-provider sim 2>/dev/null)
plain=$("$tk" address --account "$account" --family evm --master-file "$home/master.hex")
echo "evm address from the sealed master: $sealed"
[ "$sealed" = "$plain" ] && echo "== same address from backup and sealed storage: OK"
echo
echo "Try: $tk address --help    |    $tk master --help"
