// Runs the sdk_selftest contract, as wasm in Node's WebAssembly engine (argument `wasm`) or as
// its native build under the C test host (argument `native`), through one scenario: JSON in/out, storage, environment, hashing (checked against @noble/hashes), events,
// strict JSON refusals and panics. Exits non-zero on any mismatch.
import { Host, NativeHost, ContractPanic } from './near_wasm_host.mjs';
import { sha256 } from '@noble/hashes/sha256';
import { keccak_256 } from '@noble/hashes/sha3';
import path from 'node:path';

const build = path.join(process.env.TK_BIN_DIR ?? 'build/bin', '..');
const mode = process.argv[2] ?? 'wasm';
const host = mode === 'native'
  ? new NativeHost(path.join(build, 'tests', 'native_host'), 'sdk_selftest', 'selftest.test.near')
  : new Host(path.join(build, 'contracts', 'sdk_selftest.wasm'), 'selftest.test.near');
let pass = 0, fail = 0;
const check = (name, cond, detail = '') => { if (cond) pass++; else { fail++; console.error(`FAIL ${name} ${detail}`); } };
const panics = (name, fn, re) => {
  try { fn(); fail++; console.error(`FAIL ${name}: no panic`); }
  catch (e) { check(name, e instanceof ContractPanic && re.test(e.message), e.message); }
};

const nearImports = new Set(['read_register', 'register_len', 'write_register', 'current_account_id', 'signer_account_id',
  'signer_account_pk', 'predecessor_account_id', 'input', 'block_index', 'block_timestamp', 'epoch_height', 'storage_usage',
  'account_balance', 'attached_deposit', 'prepaid_gas', 'used_gas', 'random_seed', 'sha256', 'keccak256', 'ed25519_verify',
  'ecrecover', 'value_return', 'panic', 'panic_utf8', 'log_utf8', 'storage_write', 'storage_read', 'storage_remove', 'storage_has_key']);
for (const imp of host.imports()) check(`import ${imp} is a NEAR host function`, imp.startsWith('env.') && nearImports.has(imp.slice(4)));

check('echo', host.call('echo', '{"a":1}').result === '{"a":1}');
const put = host.call('put', '{"key":"k\\u00e9y","value":"v\\n1"}');
check('put event', put.logs[0] === 'EVENT_JSON:{"standard":"teekeys-selftest","version":"1.0.0","event":"put","data":[{"key":"kéy"}]}', put.logs[0]);
check('get', host.call('get', '{"key":"kéy"}').result === '"v\\u000a1"');
check('get missing', host.call('get', '{"key":"nope"}').result === 'null');
check('remove', host.call('remove', '{"key":"kéy"}').result === 'true');
check('remove again', host.call('remove', '{"key":"kéy"}').result === 'false');
const who = JSON.parse(host.call('whoami', '', { predecessor: 'bob.near', signer: 'carol.near', deposit: 340282366920938463463374607431768211455n }).result);
check('whoami', who.current === 'selftest.test.near' && who.predecessor === 'bob.near' && who.signer === 'carol.near' &&
  who.block_index === 1 && who.deposit === '340282366920938463463374607431768211455', JSON.stringify(who));
const data = 'the quick brown fox';
const h = JSON.parse(host.call('hash', data).result);
check('sha256', h.sha256 === Buffer.from(sha256(new TextEncoder().encode(data))).toString('hex'));
check('keccak256', h.keccak256 === Buffer.from(keccak_256(new TextEncoder().encode(data))).toString('hex'));
check('parse amount', host.call('parse', '{"amount":"1000000000000000000000000","x":[1,2,{"y":null}]}').result === '{"type":5,"count":2,"amount":"1000000000000000000000000"}');
check('parse number amount', host.call('parse', '{"amount":18446744073709551616}').result === '{"type":5,"count":1,"amount":"18446744073709551616"}');
check('parse surrogate pair', host.call('parse', '["\\ud83d\\ude00"]').result === '{"type":4,"count":1}');
panics('fail', () => host.call('fail'), /selftest failure requested/);
// ecrecover against @noble/curves: a recoverable signature, its high-S twin with and without the
// malleability check, an invalid v, a signature that recovers nothing
{
  const { secp256k1 } = await import('@noble/curves/secp256k1');
  const hx = (b) => Buffer.from(b).toString('hex');
  for (let i = 1; i <= 5; i++) {
    const sk = new Uint8Array(32).fill(i);
    const hash = sha256(new TextEncoder().encode(`msg ${i}`));
    const sig = secp256k1.sign(hash, sk);
    const pub = hx(secp256k1.getPublicKey(sk, false).slice(1));
    const req = (s, v, strict) => JSON.stringify({ hash: hx(hash), sig: s, v, strict });
    check(`ecrecover ${i}`, host.call('recover', req(hx(sig.toCompactRawBytes()), sig.recovery, true)).result === `"${pub}"`);
    const high = new secp256k1.Signature(sig.r, secp256k1.CURVE.n - sig.s);
    check(`ecrecover high-S lenient ${i}`, host.call('recover', req(hx(high.toCompactRawBytes()), sig.recovery ^ 1, false)).result === `"${pub}"`);
    check(`ecrecover high-S strict ${i}`, host.call('recover', req(hx(high.toCompactRawBytes()), sig.recovery ^ 1, true)).result === 'null');
  }
  panics('ecrecover bad v', () => host.call('recover', JSON.stringify({ hash: '00'.repeat(32), sig: '11'.repeat(64), v: 4 })), /ECRecoverError/);
  check('ecrecover zero sig', host.call('recover', JSON.stringify({ hash: '00'.repeat(32), sig: '00'.repeat(64), v: 0 })).result === 'null');
}
for (const [name, bad, re] of [
  ['duplicate key', '{"a":1,"a":2}', /duplicate key/], ['trailing comma', '{"a":1,}', /member name/],
  ['leading zero', '[01]', /leading zero/], ['trailing data', '{} x', /trailing/], ['lone surrogate', '["\\ud800"]', /surrogate/],
  ['raw control', '["a\u0001"]', /control/], ['bad utf8', Uint8Array.from([0x5b, 0x22, 0xc0, 0xaf, 0x22, 0x5d]), /UTF-8/],
  ['too deep', '['.repeat(40) + ']'.repeat(40), /deep/], ['empty', '', /end of input/], ['single quote', "{'a':1}", /member name/],
  ['bad literal', '[tru]', /unexpected/], ['bad escape', '["\\x"]', /bad escape/],
]) panics(`refuses ${name}`, () => host.call('parse', bad), re);
panics('missing argument', () => host.call('put', '{"key":"k"}'), /missing string argument: value/);
// a panic rolls back storage
host.call('put', '{"key":"keep","value":"1"}');
check('storage kept', host.call('get', '{"key":"keep"}').result === '"1"');
check('wasm exports every method', mode !== 'wasm' || ['echo', 'put', 'get', 'remove', 'whoami', 'hash', 'parse', 'recover', 'fail']
  .every((m) => WebAssembly.Module.exports(host.module).some((e) => e.name === m)));
console.log(`${mode}: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
