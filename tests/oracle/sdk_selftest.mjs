// Runs the sdk_selftest contract on near_chain.mjs, as wasm in Node's WebAssembly engine
// (argument `wasm`) or as its native build under the C runtime's nearvm_driver (argument
// `native`), through one scenario: JSON in/out, storage, environment, hashing (checked against
// @noble/hashes), events, ecrecover (against @noble/curves), strict JSON refusals and panics.
// Exits non-zero on any mismatch.
import { makeChain, toJson } from './near_chain.mjs';
import { sha256 } from '@noble/hashes/sha256';
import { keccak_256 } from '@noble/hashes/sha3';
import { secp256k1 } from '@noble/curves/secp256k1';

const mode = process.argv[2] ?? 'wasm';
const chain = await makeChain(mode);
const CONTRACT = 'selftest.test.near';
const U128_MAX = (1n << 128n) - 1n;
chain.createAccount(CONTRACT, { amount: 10n ** 25n, contract: 'sdk_selftest' });
chain.createAccount('carol.test.near', { amount: 10n ** 26n });
chain.createAccount('rich.test.near', { amount: U128_MAX });
chain.createAccount('whoami.test.near', { amount: 0n, contract: 'sdk_selftest' });

let pass = 0, fail = 0;
const check = (name, cond, detail = '') => { if (cond) pass++; else { fail++; console.error(`FAIL ${name} ${detail}`); } };
const call = (method, args = '', o = {}) => chain.call({ signer: o.signer ?? 'carol.test.near', receiver: o.receiver ?? CONTRACT,
  method, args, deposit: o.deposit ?? 0n });
// the raw returned string of a successful call, or undefined
const value = (out) => (out.status && out.status.SuccessValue !== undefined ? Buffer.from(out.status.SuccessValue, 'base64').toString('utf8') : undefined);
const ret = (method, args, o) => value(call(method, args, o));
const panics = (name, out, re) => {
  const msg = out.status?.Failure?.ActionError?.kind?.FunctionCallError?.ExecutionError;
  check(name, typeof msg === 'string' && msg.startsWith('Smart contract panicked: ') && re.test(msg), JSON.stringify(out.status));
};

if (mode === 'wasm') {
  const provided = new Set(chain.hostFunctionNames());
  const code = chain.code.load('sdk_selftest');
  for (const imp of WebAssembly.Module.imports(code.module)) {
    check(`import ${imp.module}.${imp.name} is a NEAR host function`, imp.module === 'env' && provided.has(imp.name));
  }
  check('wasm exports every method', ['echo', 'put', 'get', 'remove', 'whoami', 'hash', 'parse', 'recover', 'fail']
    .every((m) => WebAssembly.Module.exports(code.module).some((e) => e.name === m && e.kind === 'function')));
}

check('echo', ret('echo', '{"a":1}') === '{"a":1}');
const usageBefore = chain.account(CONTRACT).storage_usage;
const put = call('put', '{"key":"k\\u00e9y","value":"v\\n1"}');
check('put event', put.logs[0] === 'EVENT_JSON:{"standard":"teekeys-selftest","version":"1.0.0","event":"put","data":[{"key":"kéy"}]}', put.logs[0]);
// nearcore's accounting: key (4 bytes) + value (3 bytes) + 40 per record
check('put storage usage', chain.account(CONTRACT).storage_usage === usageBefore + 47, toJson(chain.account(CONTRACT)));
check('get', ret('get', '{"key":"kéy"}') === '"v\\u000a1"');
check('get (view)', chain.view(CONTRACT, 'get', { key: 'kéy' }).result === 'v\n1');
check('get missing', ret('get', '{"key":"nope"}') === 'null');
check('remove', ret('remove', '{"key":"kéy"}') === 'true');
check('remove again', ret('remove', '{"key":"kéy"}') === 'false');
{
  // the whole u128 range: an account holding nothing receives u128::MAX
  const h = chain.height;
  const out = call('whoami', '', { signer: 'rich.test.near', receiver: 'whoami.test.near', deposit: U128_MAX });
  const who = JSON.parse(value(out) ?? 'null');
  check('whoami', who && who.current === 'whoami.test.near' && who.predecessor === 'rich.test.near' && who.signer === 'rich.test.near' &&
    who.block_index === h + 1 && who.deposit === U128_MAX.toString(), toJson(out));
  check('whoami deposit credited', chain.account('whoami.test.near').amount === U128_MAX && chain.account('rich.test.near').amount === 0n);
}
const data = 'the quick brown fox';
const h = JSON.parse(ret('hash', data));
check('sha256', h.sha256 === Buffer.from(sha256(new TextEncoder().encode(data))).toString('hex'));
check('keccak256', h.keccak256 === Buffer.from(keccak_256(new TextEncoder().encode(data))).toString('hex'));
check('parse amount', ret('parse', '{"amount":"1000000000000000000000000","x":[1,2,{"y":null}]}') === '{"type":5,"count":2,"amount":"1000000000000000000000000"}');
check('parse number amount', ret('parse', '{"amount":18446744073709551616}') === '{"type":5,"count":1,"amount":"18446744073709551616"}');
check('parse surrogate pair', ret('parse', '["\\ud83d\\ude00"]') === '{"type":4,"count":1}');
panics('fail', call('fail'), /selftest failure requested/);
// ecrecover against @noble/curves: a recoverable signature, its high-S twin with and without the
// malleability check, an invalid v, a signature that recovers nothing
{
  const hx = (b) => Buffer.from(b).toString('hex');
  for (let i = 1; i <= 5; i++) {
    const sk = new Uint8Array(32).fill(i);
    const hash = sha256(new TextEncoder().encode(`msg ${i}`));
    const sig = secp256k1.sign(hash, sk);
    const pub = hx(secp256k1.getPublicKey(sk, false).slice(1));
    const req = (s, v, strict) => JSON.stringify({ hash: hx(hash), sig: s, v, strict });
    check(`ecrecover ${i}`, ret('recover', req(hx(sig.toCompactRawBytes()), sig.recovery, true)) === `"${pub}"`);
    const high = new secp256k1.Signature(sig.r, secp256k1.CURVE.n - sig.s);
    check(`ecrecover high-S lenient ${i}`, ret('recover', req(hx(high.toCompactRawBytes()), sig.recovery ^ 1, false)) === `"${pub}"`);
    check(`ecrecover high-S strict ${i}`, ret('recover', req(hx(high.toCompactRawBytes()), sig.recovery ^ 1, true)) === 'null');
  }
  const bad = call('recover', JSON.stringify({ hash: '00'.repeat(32), sig: '11'.repeat(64), v: 4 }));
  check('ecrecover bad v', bad.status?.Failure?.ActionError?.kind?.FunctionCallError?.ExecutionError ===
    'ECDSA recover error: V recovery byte 0 through 3 are valid but was provided 4', JSON.stringify(bad.status));
  check('ecrecover zero sig', ret('recover', JSON.stringify({ hash: '00'.repeat(32), sig: '00'.repeat(64), v: 0 })) === 'null');
}
for (const [name, bad, re] of [
  ['duplicate key', '{"a":1,"a":2}', /duplicate key/], ['trailing comma', '{"a":1,}', /member name/],
  ['leading zero', '[01]', /leading zero/], ['trailing data', '{} x', /trailing/], ['lone surrogate', '["\\ud800"]', /surrogate/],
  ['raw control', '["a\u0001"]', /control/], ['bad utf8', Uint8Array.from([0x5b, 0x22, 0xc0, 0xaf, 0x22, 0x5d]), /UTF-8/],
  ['too deep', '['.repeat(40) + ']'.repeat(40), /deep/], ['empty', '', /end of input/], ['single quote', "{'a':1}", /member name/],
  ['bad literal', '[tru]', /unexpected/], ['bad escape', '["\\x"]', /bad escape/],
]) panics(`refuses ${name}`, call('parse', bad), re);
panics('missing argument', call('put', '{"key":"k"}'), /missing string argument: value/);
// a failed call changes nothing: storage and balances as before
{
  call('put', '{"key":"keep","value":"1"}');
  const before = chain.account(CONTRACT);
  const out = call('put', '{"key":"keep"}', { deposit: 5n });
  panics('failed put', out, /missing string argument/);
  check('failed call refunds', out.receipts.length === 2 && out.receipts[1].predecessor === 'system' &&
    out.receipts[1].receiver === 'carol.test.near', JSON.stringify(out.receipts));
  check('storage kept', ret('get', '{"key":"keep"}') === '"1"');
  const after = chain.account(CONTRACT);
  check('state unchanged by the failure', after.amount === before.amount && after.storage_usage === before.storage_usage);
}
check('missing method', JSON.stringify(call('nope').status) ===
  '{"Failure":{"ActionError":{"index":0,"kind":{"FunctionCallError":{"MethodResolveError":"MethodNotFound"}}}}}');
chain.close();
console.log(`${mode}: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
