#!/usr/bin/env bash
# CLI tests for `teekeys address`, `master`, `ckd` and `localnet`: outputs, exit codes (0 ok, 2 bad
# usage/input, 1 other failure), one-line errors, file modes, seal/unseal round trips, and
# that no command except the secret-handing ones prints the master secret.
# Usage: test_cli.sh BIN_DIR
set -u
bin="$1/teekeys"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
M42=$(printf '42%.0s' {1..32})

check() { # description, expected exit code, command...
    local desc=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" = "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $desc: exit $got, want $want"
        sed 's/^/  out: /' "$tmp/out" | head -5
        sed 's/^/  err: /' "$tmp/err" | head -5
    fi
}
expect_out() { # description, regex the stdout must match
    if grep -Eq "$2" "$tmp/out"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $1: stdout does not match $2"; head -3 "$tmp/out"; fi
}
expect_err() { # description, regex stderr must match; at most one line is an error line
    if [ "$(grep -c '^teekeys: error:' "$tmp/err")" -le 1 ] && grep -Eq "$2" "$tmp/err"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $1: stderr does not match $2"; head -3 "$tmp/err"; fi
}
no_secret() { # description: neither stream contains the 0x42 master
    if grep -q "$M42" "$tmp/out" "$tmp/err"; then fail=$((fail + 1)); echo "FAIL: $1 leaked the master"; else pass=$((pass + 1)); fi
}
mode_of() { stat -c %a "$1"; }

# help and dispatch
check "top-level help" 0 "$bin" --help
expect_out "help lists commands" "address"
check "no command" 2 "$bin"
check "unknown command" 2 "$bin" frobnicate
expect_err "unknown command message" "unknown command 'frobnicate'"
check "version" 0 "$bin" --version
check "address help" 0 "$bin" address --help
expect_out "address help names families" "bitcoin-test"
check "master help" 0 "$bin" master --help

# address
export TEEKEYS_MASTER_SECRET=$M42
check "evm address" 0 "$bin" address --account alice.near --family evm
expect_out "evm address value" "^0x680eCe54589078CA539c8Da83AcEE97D26fe54DE$"
no_secret "address"
check "json address" 0 "$bin" address --account alice.near --family near --json
expect_out "json fields" '"address":"[0-9a-f]{64}","public_key":"ed25519:[1-9A-HJ-NP-Za-km-z]+","family":"near","network":null,"path":"","account":"alice.near"'
check "regtest" 0 "$bin" address --account alice.near --family bitcoin-test --network regtest
expect_out "regtest hrp" "^bcrt1p"
check "signet" 0 "$bin" address --account alice.near --family bitcoin-test --network=signet
expect_out "signet hrp" "^tb1p"
check "bitcoin mainnet" 0 "$bin" address --account alice.near --family bitcoin --network mainnet
expect_out "mainnet hrp" "^bc1p"
check "bad account" 2 "$bin" address --account Alice.near --family evm
expect_err "bad account message" "invalid character at position 0"
check "bad family" 2 "$bin" address --account alice.near --family ethereum
check "network on evm" 2 "$bin" address --account alice.near --family evm --network mainnet
check "testnet on bitcoin" 2 "$bin" address --account alice.near --family bitcoin --network testnet
check "path with bar" 2 "$bin" address --account alice.near --family evm --path 'a|b'
check "missing family" 2 "$bin" address --account alice.near
check "repeated option" 2 "$bin" address --account a.near --account b.near --family evm
check "missing value" 2 "$bin" address --account alice.near --family
check "positional" 2 "$bin" address alice.near
TEEKEYS_MASTER_SECRET=${M42}00 check "long master" 2 "$bin" address --account alice.near --family evm
expect_err "long master message" "exactly 64 hex characters"
no_secret "long master error"
TEEKEYS_MASTER_SECRET=zz${M42:2} check "non-hex master" 2 "$bin" address --account alice.near --family evm
unset TEEKEYS_MASTER_SECRET
check "no master" 1 "$bin" address --account alice.near --family evm
expect_err "no master message" "TEEKEYS_MASTER_SECRET"

# master new
check "master new" 0 "$bin" master new
expect_out "master new prints 64 hex" "^[0-9a-f]{64}$"
check "master new --out" 0 "$bin" master new --out "$tmp/m.hex"
[ "$(mode_of "$tmp/m.hex")" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: master file mode"; }
check "master new refuses overwrite" 1 "$bin" master new --out "$tmp/m.hex"
check "address from master file" 0 "$bin" address --account bob.near --family solana --master-file "$tmp/m.hex"
cp "$tmp/out" "$tmp/bob.addr"
chmod 644 "$tmp/m.hex"
check "world-readable master file" 1 "$bin" address --account bob.near --family solana --master-file "$tmp/m.hex"
expect_err "readable file message" "chmod 600"
chmod 600 "$tmp/m.hex"

# seal / unseal with the simulated provider
check "seal sim" 0 "$bin" master seal --sealed-blob "$tmp/m.sealed" --seal-provider sim --master-file "$tmp/m.hex"
expect_err "seal says simulated" "SIMULATED"
[ "$(mode_of "$tmp/m.sealed")" = 600 ] && [ -f "$tmp/m.sealed.sim-key.NOT-HARDWARE-BOUND" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: sealed files"; }
check "seal keeps existing blob" 1 "$bin" master seal --sealed-blob "$tmp/m.sealed" --seal-provider sim --master-file "$tmp/m.hex"
check "address from sealed" 0 "$bin" address --account bob.near --family solana --master-source sealed --sealed-blob "$tmp/m.sealed" --seal-provider sim
cmp -s "$tmp/out" "$tmp/bob.addr" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: sealed address differs"; }
check "unseal needs a target" 2 "$bin" master unseal --sealed-blob "$tmp/m.sealed" --seal-provider sim
check "unseal --out" 0 "$bin" master unseal --sealed-blob "$tmp/m.sealed" --seal-provider sim --out "$tmp/m2.hex"
cmp -s "$tmp/m.hex" "$tmp/m2.hex" && [ "$(mode_of "$tmp/m2.hex")" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: unsealed file"; }
check "unseal --stdout" 0 "$bin" master unseal --sealed-blob "$tmp/m.sealed" --seal-provider sim --stdout
cmp -s "$tmp/out" "$tmp/m.hex" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: unsealed stdout"; }
check "wrong provider" 2 "$bin" master unseal --sealed-blob "$tmp/m.sealed" --seal-provider dstack --stdout
check "unknown provider" 2 "$bin" master unseal --sealed-blob "$tmp/m.sealed" --seal-provider tpm --stdout
printf '\x01' | dd of="$tmp/m.sealed" bs=1 seek=40 conv=notrunc 2>/dev/null
check "tampered blob" 1 "$bin" master unseal --sealed-blob "$tmp/m.sealed" --seal-provider sim --stdout
expect_err "tampered message" "modified"
head -c 30 "$tmp/m2.hex" >"$tmp/short.sealed"
check "truncated blob" 2 "$bin" master unseal --sealed-blob "$tmp/short.sealed" --seal-provider sim --stdout --sim-key-file "$tmp/m.sealed.sim-key.NOT-HARDWARE-BOUND"
check "seal --generate" 0 "$bin" master seal --generate --sealed-blob "$tmp/g.sealed" --seal-provider sim
[ -s "$tmp/out" ] && { fail=$((fail + 1)); echo "FAIL: seal --generate printed something"; } || pass=$((pass + 1))
check "dstack without agent" 1 "$bin" master seal --generate --sealed-blob "$tmp/d.sealed" --seal-provider dstack --dstack-socket "$tmp/none.sock"
expect_err "dstack unreachable" "unreachable"
[ -e "$tmp/d.sealed" ] && { fail=$((fail + 1)); echo "FAIL: partial blob left"; } || pass=$((pass + 1))

# sign / verify
export TEEKEYS_MASTER_SECRET=$M42
check "sign help" 0 "$bin" sign --help
expect_out "sign help lists kinds" "near_transaction"
check "sign personal" 0 "$bin" sign --account alice.near --family evm --kind eth_personal --payload '"hi"'
expect_out "envelope" '^\{"kind":"eth_personal","result":\{"signature":"0x[0-9a-f]{130}"\},"key":\{"family":"evm","path":"","network":null,"public_key":"secp256k1:[1-9A-HJ-NP-Za-km-z]+","address":"0x680eCe54589078CA539c8Da83AcEE97D26fe54DE"\}\}$'
no_secret "sign"
cp "$tmp/out" "$tmp/env.json"
check "verify valid" 0 "$bin" verify --kind eth_personal --payload '"hi"' --envelope-file "$tmp/env.json"
expect_out "verify says valid" "^valid$"
check "verify other message" 1 "$bin" verify --kind eth_personal --payload '"hj"' --envelope-file "$tmp/env.json"
check "verify other signer" 1 "$bin" verify --kind eth_personal --payload '"hi"' --envelope-file "$tmp/env.json" --signer 0x0000000000000000000000000000000000000001
check "verify wrong kind" 2 "$bin" verify --kind sol_message --payload '"hi"' --envelope-file "$tmp/env.json"
check "unknown kind" 2 "$bin" sign --account alice.near --family evm --kind eth_sign --payload '"hi"'
expect_err "unknown kind message" "unknown kind 'eth_sign'"
check "kind of another family" 2 "$bin" sign --account alice.near --family solana --kind eth_personal --payload '"hi"'
expect_err "family message" "kind eth_personal signs for family evm, not solana"
check "malformed payload" 2 "$bin" sign --account alice.near --family evm --kind eth_personal --payload '{"a":'
expect_err "malformed payload message" "payload is not valid JSON"
check "duplicate keys" 2 "$bin" sign --account alice.near --family evm --kind raw_digest --payload '{"digest":"00","digest":"11"}'
check "payload and file" 2 "$bin" sign --account alice.near --family evm --kind eth_personal --payload '"a"' --payload-file /dev/null
check "missing payload file" 1 "$bin" sign --account alice.near --family evm --kind eth_personal --payload-file "$tmp/none.json"
check "short digest" 2 "$bin" sign --account alice.near --family evm --kind raw_digest --payload '{"digest":"abcd"}'
check "bad transaction" 2 "$bin" sign --account alice.near --family evm --kind eth_transaction --payload '{"type":"0x2","chainId":"0x01"}'
check "bad psbt" 2 "$bin" sign --account alice.near --family bitcoin --kind btc_psbt --payload '{"psbt":"cHNidP8="}'
check "bad near tx" 2 "$bin" sign --account alice.near --family near --kind near_transaction --payload '{"transaction":"AAAA"}'
check "raw digest near" 0 "$bin" sign --account alice.near --family near --kind raw_digest --payload "{\"digest\":\"$(printf 'ab%.0s' {1..32})\"}"
expect_out "near signature form" '"signature":"ed25519:[1-9A-HJ-NP-Za-km-z]+"'
unset TEEKEYS_MASTER_SECRET
check "sign without master" 1 "$bin" sign --account alice.near --family evm --kind eth_personal --payload '"hi"'

# attest (the published TDX vectors of ../shared/vectors/tdx)
V=${TK_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared}/vectors/tdx
check "attest help" 0 "$bin" attest --help
check "attest verify in window" 0 "$bin" attest verify --quote "$V/tdx_quote" --collateral "$V/tdx_quote_collateral.json" --at 1751000000
expect_out "UpToDate" "^status +UpToDate \(accepted\)$"
expect_out "rtmr0 printed" "^rtmr0 +44c0197b39157fdd"
check "attest verify expired" 1 "$bin" attest verify --quote "$V/tdx_quote" --collateral "$V/tdx_quote_collateral.json" --at 1800000000
expect_err "expired message" "expired"
check "attest verify json" 0 "$bin" attest verify --quote "$V/tdx_quote" --collateral "$V/tdx_quote_collateral.json" --at 1751000000 --json
expect_out "json verdict" '"accepted":true,"status":"UpToDate"'
check "attest outdated" 1 "$bin" attest verify --quote "$V/tdx_quote_outdated" --collateral "$V/tdx_quote_outdated_collateral.json" --at 1772000000
check "attest sgx" 2 "$bin" attest verify --quote "$V/sgx_quote" --collateral "$V/sgx_quote_collateral.json" --at 1751000000
expect_err "sgx message" "SGX quote"
check "attest no collateral" 1 "$bin" attest verify --quote "$V/tdx_quote"
expect_out "not verified" "^status +not verified$"
check "attest bad time" 2 "$bin" attest verify --quote "$V/tdx_quote" --at yesterday
check "rtmr3 dstack" 0 "$bin" attest rtmr3 --event-log "$V/dstack_getquote.json"
expect_out "dstack rtmr3" "^6f24c170d0fd63fc"
check "rtmr3 garbage" 2 "$bin" attest rtmr3 --event-log "$V/tdx_quote"
check "quote without a TEE" 1 "$bin" attest quote --provider tsm --tsm-dir "$tmp/no-tsm" --report-data 00ff
expect_err "quote tsm message" "configfs-tsm"
check "quote unknown provider" 2 "$bin" attest quote --provider sgx --report-data 00ff
check "quote bad report data" 2 "$bin" attest quote --provider tsm --report-data xyz
check "sim init" 0 "$bin" attest sim-init --dir "$tmp/sim"
expect_err "sim init says simulated" "SIMULATED"
check "sim init again" 1 "$bin" attest sim-init --dir "$tmp/sim"
check "sim quote" 0 "$bin" attest quote --provider sim --sim-dir "$tmp/sim" --report-data "$(printf 'ab%.0s' {1..64})" --event-log-out "$tmp/sim.log"
expect_err "sim quote says simulated" "SIMULATED"
cp "$tmp/out" "$tmp/sim.quote"
check "sim collateral" 0 "$bin" attest sim-collateral --dir "$tmp/sim"
cp "$tmp/out" "$tmp/sim.coll"
check "sim verify with dev root" 0 "$bin" attest verify --quote "$tmp/sim.quote" --collateral "$tmp/sim.coll" --dev-root "$tmp/sim/root.pem"
expect_out "sim root named" "^root +development"
expect_out "sim report data" "^report_data +(ab){64}$"
check "sim verify without dev root" 1 "$bin" attest verify --quote "$tmp/sim.quote" --collateral "$tmp/sim.coll"
check "sim rtmr3 replay" 0 "$bin" attest rtmr3 --event-log "$tmp/sim.log"
cp "$tmp/out" "$tmp/sim.rtmr3"
"$bin" attest verify --quote "$tmp/sim.quote" --collateral "$tmp/sim.coll" --dev-root "$tmp/sim/root.pem" | awk '/^rtmr3/ {print $2}' > "$tmp/q.rtmr3"
cmp -s "$tmp/sim.rtmr3" "$tmp/q.rtmr3" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: sim RTMR3 does not replay"; }

# ckd (NEAR Confidential Key Derivation): the official V1 key material answered by @noble/curves
# (tests/vectors/ckd/cli_v1.txt, regenerated and checked by tests/oracle/ckd_client.mjs)
CV="$(cd "$(dirname "$0")" && pwd)/vectors/ckd/cli_v1.txt"
cv() { awk -v k="$1" '$1 == k {print $2}' "$CV"; }
CKD_PK=$(cv pk)
check "ckd help" 0 "$bin" ckd --help
expect_out "ckd help names unmask" "unmask --a-file FILE"
check "ckd no subcommand" 2 "$bin" ckd
check "ckd request" 0 "$bin" ckd request --predecessor alice.near --path "" --domain-id 2 --key-out "$tmp/ckd.key"
expect_out "ckd request json" '^\{"request":\{"derivation_path":"","app_public_key":\{"AppPublicKeyPV":\{"pk1":"bls12381g1:[1-9A-HJ-NP-Za-km-z]+","pk2":"bls12381g2:[1-9A-HJ-NP-Za-km-z]+"\}\},"domain_id":2\}\}$'
expect_err "ckd request app_id" "app_id e8419b477ad2ac3cc147c5040422548c10cb7b3db6cbb5acab9455a2004f95fc"
[ "$(mode_of "$tmp/ckd.key")" = 600 ] && grep -Eq '^[0-9a-f]{64}$' "$tmp/ckd.key" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: ckd key file"; }
check "ckd request refuses overwrite" 1 "$bin" ckd request --predecessor alice.near --path "" --domain-id 2 --key-out "$tmp/ckd.key"
[ -s "$tmp/out" ] && { fail=$((fail + 1)); echo "FAIL: request printed without writing its key"; } || pass=$((pass + 1))
check "ckd request bad account" 2 "$bin" ckd request --predecessor Alice --path "" --domain-id 2 --key-out "$tmp/ckd2.key"
check "ckd request bad domain" 2 "$bin" ckd request --predecessor alice.near --path "" --domain-id -1 --key-out "$tmp/ckd2.key"
check "ckd request missing path" 2 "$bin" ckd request --predecessor alice.near --domain-id 2 --key-out "$tmp/ckd2.key"
[ -e "$tmp/ckd2.key" ] && { fail=$((fail + 1)); echo "FAIL: key written on a refused request"; } || pass=$((pass + 1))
printf '%s\n' "$(cv a)" >"$tmp/v1.key"
chmod 600 "$tmp/v1.key"
unmask() { # case, extra args...
    local c=$1 p=""
    shift
    [ "$c" = master ] && p=$(cv master.path)
    "$bin" ckd unmask --a-file "$tmp/v1.key" --pk "$CKD_PK" --predecessor alice.near --path "$p" --big-y "$(cv "$c.big_y")" --big-c "$(cv "$c.big_c")" "$@"
}
check "ckd unmask empty path" 0 unmask empty --stdout
expect_out "ckd secret (empty path)" "^$(cv empty.secret)$"
[ "$(wc -l <"$tmp/out")" = 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: unmask --stdout is not one line"; }
check "ckd unmask master path to file" 0 unmask master --out "$tmp/ckd.secret"
[ -s "$tmp/out" ] && { fail=$((fail + 1)); echo "FAIL: unmask --out printed to stdout"; } || pass=$((pass + 1))
[ "$(mode_of "$tmp/ckd.secret")" = 600 ] && [ "$(cat "$tmp/ckd.secret")" = "$(cv master.secret)" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: ckd secret file"; }
check "ckd unmask refuses overwrite" 1 unmask master --out "$tmp/ckd.secret"
check "ckd unmask wrong msk" 1 unmask wrong --stdout
expect_err "ckd pairing message" "pairing check failed"
[ -s "$tmp/out" ] && { fail=$((fail + 1)); echo "FAIL: failed unmask printed"; } || pass=$((pass + 1))
check "ckd unmask other path" 1 "$bin" ckd unmask --a-file "$tmp/v1.key" --pk "$CKD_PK" --predecessor alice.near --path "x" --big-y "$(cv empty.big_y)" --big-c "$(cv empty.big_c)" --stdout
check "ckd unmask other key" 1 "$bin" ckd unmask --a-file "$tmp/ckd.key" --pk "$CKD_PK" --predecessor alice.near --path "" --big-y "$(cv empty.big_y)" --big-c "$(cv empty.big_c)" --stdout
check "ckd unmask needs a target" 2 unmask empty
check "ckd unmask two targets" 2 unmask empty --stdout --out "$tmp/x.secret"
check "ckd unmask bad big-y" 2 "$bin" ckd unmask --a-file "$tmp/v1.key" --pk "$CKD_PK" --predecessor alice.near --path "" --big-y "$(cv empty.big_y)x" --big-c "$(cv empty.big_c)" --stdout
expect_err "ckd bad point message" "big-y"
check "ckd unmask identity big-c" 2 "$bin" ckd unmask --a-file "$tmp/v1.key" --pk "$CKD_PK" --predecessor alice.near --path "" --big-y "$(cv empty.big_y)" --big-c "bls12381g1:83VnBdpeT9ioHuUTBD2zcitXg7JqNiebUs5yxDaYaLgZYDLLk2gayHrJKNyRt4vBQB" --stdout
check "ckd unmask g1 as pk" 2 "$bin" ckd unmask --a-file "$tmp/v1.key" --pk "$(cv empty.big_y)" --predecessor alice.near --path "" --big-y "$(cv empty.big_y)" --big-c "$(cv empty.big_c)" --stdout
check "ckd unmask bad predecessor" 2 "$bin" ckd unmask --a-file "$tmp/v1.key" --pk "$CKD_PK" --predecessor A --path "" --big-y "$(cv empty.big_y)" --big-c "$(cv empty.big_c)" --stdout
printf '%s\n\n' "$(cv a)" >"$tmp/bad.key"
chmod 600 "$tmp/bad.key"
check "ckd unmask two newlines" 2 "$bin" ckd unmask --a-file "$tmp/bad.key" --pk "$CKD_PK" --predecessor alice.near --path "" --big-y "$(cv empty.big_y)" --big-c "$(cv empty.big_c)" --stdout
printf '%064d\n' 0 >"$tmp/zero.key"
chmod 600 "$tmp/zero.key"
check "ckd unmask zero key" 2 "$bin" ckd unmask --a-file "$tmp/zero.key" --pk "$CKD_PK" --predecessor alice.near --path "" --big-y "$(cv empty.big_y)" --big-c "$(cv empty.big_c)" --stdout
chmod 644 "$tmp/v1.key"
check "ckd unmask readable key file" 1 unmask empty --stdout
expect_err "ckd readable key message" "chmod 600"
chmod 600 "$tmp/v1.key"

# ---- localnet (docs/localnet.md): nearcore sandbox layout, ready line, JSON-RPC, SIGTERM ----
ln_home="$tmp/localnet"
check "localnet init" 0 "$bin" localnet init --home "$ln_home" --block-ms 50
expect_out "localnet init names the files" "validator_key.json"
check "localnet init twice" 2 "$bin" localnet init --home "$ln_home"
expect_err "localnet init twice message" "already exists"
check "localnet init without home or HOME" 2 env HOME= "$bin" localnet init
mkdir -p "$tmp/lnhome"
check "localnet init in the default home" 0 env HOME="$tmp/lnhome" "$bin" localnet init --block-ms 50
expect_out "localnet default home" "$tmp/lnhome/.teekeys/localnet"
[ -f "$tmp/lnhome/.teekeys/localnet/genesis.json" ] && [ "$(mode_of "$tmp/lnhome/.teekeys")" = 700 ] &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: localnet default home files / mode"; }
check "localnet --dev-sim without a PKI" 1 "$bin" localnet init --home "$tmp/lndev" --dev-sim "$tmp/nosim"
expect_err "localnet --dev-sim message" "no simulated PKI"
check "localnet --bare with --dev-sim" 2 "$bin" localnet init --home "$tmp/lndev" --bare --dev-sim "$tmp/nosim"
check "localnet sim PKI" 0 "$bin" attest sim-init --dir "$tmp/lnsim"
check "localnet init --dev-sim" 0 "$bin" localnet init --home "$tmp/lndev" --dev-sim "$tmp/lnsim"
expect_out "localnet --dev-sim says SIMULATED" "SIMULATED"
grep -q '"dev_mode": true' "$tmp/lndev/genesis.json" && ! grep -q '"dev_mode"' "$ln_home/genesis.json" &&
    pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: localnet --dev-sim genesis DAO dev_mode"; }
check "localnet bad rpc address" 2 "$bin" localnet run --home "$ln_home" --rpc-addr nowhere --quiet
[ "$(mode_of "$ln_home/validator_key.json")" = 600 ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: validator_key.json mode"; }
grep -q '"addr": "127.0.0.1:3030"' "$ln_home/config.json" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: config.json rpc.addr is not 127.0.0.1:3030"; }
grep -q '"chain_id": "localnet"' "$ln_home/genesis.json" && grep -q '"yield_timeout_length": 200' "$ln_home/genesis.json" &&
    grep -q '"account_id": "test.near"' "$ln_home/validator_key.json" && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: genesis.json chain id / yield timeout or validator_key.json account"; }
"$bin" localnet run --home "$ln_home" --rpc-addr 127.0.0.1:0 --quiet >"$tmp/ln.out" 2>"$tmp/ln.err" &
ln_pid=$!
for _ in $(seq 100); do grep -q "localnet ready" "$tmp/ln.out" && break; sleep 0.1; done
ln_url=$(sed -n 's/^localnet ready: chain localnet at height [0-9]*, rpc \(http:[0-9./:]*\)$/\1/p' "$tmp/ln.out")
rpc() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$1" "$ln_url"; }
if [ -n "$ln_url" ] && rpc '{"jsonrpc":"2.0","id":1,"method":"status","params":[]}' | grep -q '"chain_id":"localnet"'; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: localnet ready line / status"; cat "$tmp/ln.out" "$tmp/ln.err"; fi
if rpc '{"jsonrpc":"2.0","id":1,"method":"query","params":{"request_type":"view_account","finality":"final","account_id":"dao.test.near"}}' |
    grep -q '"code_hash"'; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: localnet genesis has dao.test.near"; fi
head -c 11000000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$tmp/big.json" "$ln_url")
[ "$code" = 413 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: 11 MB request: HTTP $code, want 413"; }
kill -TERM "$ln_pid"
wait "$ln_pid"
ln_rc=$?
[ "$ln_rc" = 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: localnet after SIGTERM: exit $ln_rc"; }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
