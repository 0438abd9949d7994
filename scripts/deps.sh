#!/usr/bin/env bash
# Installs what teekeys needs to build and test on Debian 12, idempotently: Debian packages
# only when one is missing, and the npm test oracles (tests/oracle) only when the lock file
# changed since the last `npm ci`. Safe to run again; a second run takes about a second.
set -euo pipefail

PKGS=(build-essential cmake pkg-config clang lld libclang-rt-14-dev libclang-rt-14-dev-wasm32
      wabt valgrind libsecp256k1-dev libsodium-dev libssl-dev nettle-dev libmicrohttpd-dev
      libcurl4-openssl-dev libjansson-dev libsqlite3-dev libcmocka-dev curl ca-certificates)

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Test oracles (npm, test only). Node.js 20 and npm come with the machine: never apt-get them.
if [ "${TK_SKIP_NPM:-0}" != 1 ]; then
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "deps: node and npm are required for the test oracles (Node.js 20)" >&2
        exit 1
    fi
    root=$(cd "$(dirname "$0")/.." && pwd)
    oracle="$root/tests/oracle"
    stamp="$oracle/node_modules/.tk-lock.sha256"
    want=$(sha256sum "$oracle/package-lock.json" | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "deps: npm ci in tests/oracle"
        (cd "$oracle" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        echo "$want" > "$stamp"
    fi
fi
