// Runs the sdk_selftest contract on near_chain.mjs, as wasm in Node's WebAssembly engine
// (argument `wasm`) or as its native build under the C runtime's nearvm_driver (argument
// `native`), through one scenario: JSON in/out, storage, environment, hashing (checked against
// @noble/hashes), events, ecrecover (against @noble/curves), strict JSON refusals and panics,
// borsh (against encodings built here) and persistent maps and sets (values, listing, pages,
// storage usage).
// Exits non-zero on any mismatch.
import { makeChain, toJson } from './near_chain.mjs';
import { sha256 } from '@noble/hashes/sha256';
import { keccak_256 } from '@noble/hashes/sha3';
import { secp256k1 } from '@noble/curves/secp256k1';
import { base58 } from '@scure/base';
import { Score } from './lib.mjs';

const mode = process.argv[2] ?? 'wasm';
const chain = await makeChain(mode);
const CONTRACT = 'selftest.test.near';
const U128_MAX = (1n << 128n) - 1n;
chain.createAccount(CONTRACT, { amount: 10n ** 25n, contract: 'sdk_selftest' });
chain.createAccount('carol.test.near', { amount: 10n ** 26n });
chain.createAccount('rich.test.near', { amount: U128_MAX });
chain.createAccount('whoami.test.near', { amount: 0n, contract: 'sdk_selftest' });

const score = new Score();
const { check } = score;
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
  check('wasm exports every method', ['echo', 'put', 'get', 'remove', 'whoami', 'hash', 'parse', 'recover', 'borsh', 'map', 'fail']
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
// borsh: every type of the reader against encodings built here; the contract writes what it
// read back and panics when the writer disagrees
{
  const le = (v, n) => { const b = Buffer.alloc(n); for (let i = 0; i < n; i++) { b[i] = Number(v & 0xffn); v >>= 8n; } return b; };
  const str = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([le(BigInt(b.length), 4), b]); };
  const ed = Buffer.alloc(32, 0x11), sk = Buffer.alloc(64, 0x22);
  const parts = [
    ['u8', le(7n, 1), '"7"'], ['u32', le(0x01020304n, 4), '"16909060"'], ['u64', le((1n << 64n) - 1n, 8), `"${(1n << 64n) - 1n}"`],
    ['u128', le(U128_MAX - 5n, 16), `"${U128_MAX - 5n}"`], ['string', str('héllo'), '"héllo"'], ['bytes', str('\x01\x02\x03'), '"010203"'],
    ['opt_u32', Buffer.from([0]), 'null'], ['opt_u32', Buffer.concat([Buffer.from([1]), le(5n, 4)]), '"5"'],
    ['vec_u64', Buffer.concat([le(2n, 4), le(1n, 8), le(2n, 8)]), '["1","2"]'],
    ['pk', Buffer.concat([Buffer.from([0]), ed]), `"ed25519:${base58.encode(ed)}"`],
    ['pk', Buffer.concat([Buffer.from([1]), sk]), `"secp256k1:${base58.encode(sk)}"`],
  ];
  const bytes = Buffer.concat(parts.map((p) => p[1]));
  const schema = parts.map((p) => p[0]).join(',');
  const borsh = (hex, sch = schema) => ret('borsh', JSON.stringify({ hex, schema: sch }));
  check('borsh round trip', borsh(bytes.toString('hex')) === `[${parts.map((p) => p[2]).join(',')}]`, borsh(bytes.toString('hex')));
  let truncated = 0;
  for (let n = 0; n < bytes.length; n++) truncated += borsh(bytes.subarray(0, n).toString('hex')) === '{"error":"refused"}';
  check('borsh refuses every truncation', truncated === bytes.length, `${truncated}/${bytes.length}`);
  check('borsh trailing bytes', borsh(bytes.toString('hex') + '00') === '{"error":"trailing bytes"}');
  for (const [name, hex, sch] of [
    ['option tag 2', '02', 'opt_u32'], ['curve tag 2', '02' + '00'.repeat(64), 'pk'],
    ['string not UTF-8', '02000000c0af', 'string'], ['surrogate in string', '03000000eda080', 'string'],
    ['vec count beyond the input', 'ffffffff' + '00'.repeat(16), 'vec_u64'], ['bytes length beyond the input', '05000000aabb', 'bytes'],
  ]) check(`borsh refuses ${name}`, borsh(hex, sch) === '{"error":"refused"}', borsh(hex, sch));
}
// persistent maps and sets: plain, iterable with fixed and with varying keys, an iterable set
{
  const op = (map, o, extra = {}) => ret('map', JSON.stringify({ map, op: o, ...extra }));
  const u0 = chain.account(CONTRACT).storage_usage;
  check('map set new', op('plain', 'set', { key: 'a', value: 'x' }) === 'true');
  check('map set replaces', op('plain', 'set', { key: 'a', value: 'yy' }) === 'false');
  check('map get', op('plain', 'get', { key: 'a' }) === '"yy"');
  check('map has', op('plain', 'has', { key: 'a' }) === 'true' && op('plain', 'has', { key: 'b' }) === 'false');
  check('map get missing', op('plain', 'get', { key: 'b' }) === 'null');
  check('map storage: prefix + key, value, 40', chain.account(CONTRACT).storage_usage === u0 + 2 + 4 + 40);
  check('map remove', op('plain', 'remove', { key: 'a' }) === 'true' && op('plain', 'remove', { key: 'a' }) === 'false');
  check('map storage released', chain.account(CONTRACT).storage_usage === u0);
  panics('plain map has no len', call('map', JSON.stringify({ map: 'plain', op: 'len' })), /not iterable/);
  for (const k of ['k001', 'k002', 'k003', 'k004']) op('fixed', 'set', { key: k, value: `v${k}` });
  check('fixed set existing', op('fixed', 'set', { key: 'k002', value: 'new' }) === 'false');
  check('fixed len', op('fixed', 'len') === '4');
  check('fixed page', op('fixed', 'page') === '["vk001","new","vk003","vk004"]');
  check('fixed page from, limit', op('fixed', 'page', { from: 1, limit: 2 }) === '["new","vk003"]');
  check('fixed page past the end', op('fixed', 'page', { from: 9 }) === '[]');
  check('fixed remove keeps order', op('fixed', 'remove', { key: 'k002' }) === 'true' && op('fixed', 'keys') === '["k001","k003","k004"]');
  panics('fixed map refuses a key of another size', call('map', JSON.stringify({ map: 'fixed', op: 'set', key: 'long key', value: '' })), /wrong size/);
  for (const k of ['k001', 'k003', 'k004']) op('fixed', 'remove', { key: k });
  check('fixed empty', op('fixed', 'len') === '0' && op('fixed', 'page') === '[]');
  check('emptied maps release all storage', chain.account(CONTRACT).storage_usage === u0);
  const keys = ['', 'a', 'bc', 'a'.repeat(300), 'd|e'];
  for (const k of keys) op('var', 'set', { key: k, value: k.length.toString() });
  check('var len', op('var', 'len') === '5');
  check('var keys', op('var', 'keys') === JSON.stringify(keys));
  check('var keys from', op('var', 'keys', { from: 3, limit: 1 }) === JSON.stringify([keys[3]]));
  check('var page', op('var', 'page', { from: 1, limit: 2 }) === '["1","2"]');
  check('var remove', op('var', 'remove', { key: 'bc' }) === 'true' && op('var', 'keys') === JSON.stringify(['', 'a', 'a'.repeat(300), 'd|e']));
  for (const k of ['', 'a', 'a'.repeat(300), 'd|e']) op('var', 'remove', { key: k });
  check('var emptied', op('var', 'len') === '0' && chain.account(CONTRACT).storage_usage === u0);
  check('set add', op('set', 'set', { key: 'alice' }) === 'true' && op('set', 'set', { key: 'alice' }) === 'false' && op('set', 'set', { key: 'bob' }) === 'true');
  check('set has', op('set', 'has', { key: 'bob' }) === 'true' && op('set', 'has', { key: 'carol' }) === 'false');
  check('set members', op('set', 'keys') === '["alice","bob"]' && op('set', 'len') === '2');
  // the set's index: "Si" -> two borsh strings (4 + 5, 4 + 3); entries "S"+key with empty values
  check('set storage', chain.account(CONTRACT).storage_usage === u0 + (2 + 16 + 40) + (6 + 40) + (4 + 40));
}
check('missing method', JSON.stringify(call('nope').status) ===
  '{"Failure":{"ActionError":{"index":0,"kind":{"FunctionCallError":{"MethodResolveError":"MethodNotFound"}}}}}');
chain.close();
console.log(`${mode}: ${score.pass} passed, ${score.fail} failed`);
process.exit(score.fail ? 1 : 0);
