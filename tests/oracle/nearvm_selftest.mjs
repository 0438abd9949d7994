// The NEAR runtime's own scenario (docs/nearvm.md) over the nearvm_test contract, run on
// near_chain.mjs: `wasm` (the wasm build in Node's engine), `native` (the C runtime through
// nearvm_driver) or `compare` (both, then every recorded outcome, view, account and height must
// be the same JSON). Covers blocks and environment, storage and its accounting, the staking
// check, logs and their limits, panics and rollback, invalid transactions and access keys,
// cross-contract calls with callbacks, joint promises, promise_return chains, deposits and
// refunds, batch actions, gas and gas weights, yield/resume and timeouts, views, and nearcore's
// host errors. In `wasm` mode a generated module (near_host_probe.mjs) also calls every host
// function of near_host.h directly: argument checks, registers as inputs, limits, yields resumed
// in their own receipt or by a receipt that then fails. Exits non-zero on any failed check or
// difference.
import { makeChain, toJson, ViewError } from './near_chain.mjs';
import { sha256 } from '@noble/hashes/sha256';
import { ed25519 } from '@noble/curves/ed25519';
import { base58 } from '@scure/base';
import { probeModule, hostSignatures } from './near_host_probe.mjs';

const TGAS = 10n ** 12n;
const NEAR = 10n ** 24n;
const YIELD_TIMEOUT = 10;
const GENESIS = 1_650_000_000_000_000_000n;
const STEP = 2_000_000_000n;

const hex = (b) => Buffer.from(b).toString('hex');
const keyOf = (seed) => {
  const pub = ed25519.getPublicKey(sha256(new TextEncoder().encode(seed)));
  return { pk: 'ed25519:' + base58.encode(pub), borshHex: '00' + hex(pub) };
};
const b64text = (s) => Buffer.from(s, 'base64').toString('utf8');
const canon = (v) => {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  }
  return typeof v === 'bigint' ? v.toString() : v;
};

const alice = keyOf('alice'), aliceFc = keyOf('alice fc'), stranger = keyOf('stranger'), subKey = keyOf('sub'), fcKey = keyOf('sub fc');
const VM = 'vm.test.near', OTHER = 'other.test.near', BOB = 'bob.test.near';

// Each section runs on a fresh chain with the same genesis, so a difference stays local.
function setup(chain) {
  chain.createAccount('alice.test.near', { amount: 1000n * NEAR, keys: [alice.pk,
    { public_key: aliceFc.pk, access_key: { nonce: 5, permission: { FunctionCall: { allowance: null, receiver_id: VM, method_names: ['echo', 'info'] } } } }] });
  chain.createAccount(VM, { amount: 100n * NEAR, contract: 'nearvm_test' });
  chain.createAccount(OTHER, { amount: 100n * NEAR });
  chain.deploy(OTHER, 'nearvm_test');
  chain.createAccount(BOB, { amount: 0n });
}

const sections = [
  ['accounts and storage usage', (t) => {
    const { chain, check, call, account, view } = t;
    const a = account('alice.test.near');
    // 100 + full key (33 + 9 + 40) + function-call key (33 + nonce 8, tag 1, no allowance 1,
    // receiver 4+12, names 4 + (4+4) + (4+4) = 46, + 40)
    check('account shape', a.amount === 1000n * NEAR && a.contract === null && a.keys.length === 2, a);
    check('storage usage of keys', a.storage_usage === 100 + 82 + 33 + 46 + 40, a);
    check('function-call key view', toJson(a.keys.find((k) => k.public_key === aliceFc.pk).access_key) ===
      toJson({ nonce: 5, permission: { FunctionCall: { allowance: null, receiver_id: VM, method_names: ['echo', 'info'] } } }), a);
    const keysSorted = a.keys.map((k) => k.public_key);
    check('keys sorted by borsh bytes', toJson(keysSorted) === toJson([...keysSorted].sort((x, y) =>
      Buffer.compare(Buffer.from(base58.decode(x.slice(8))), Buffer.from(base58.decode(y.slice(8)))))));
    const vm = account(VM);
    check('contract account', vm.contract === 'nearvm_test' && vm.storage_usage > 100 + 10000, vm);
    check('unknown account', chain.account('nobody.test.near') === null);
  }],
  ['blocks and environment', (t) => {
    const { chain, check, call, rec, account } = t;
    const h = chain.height;
    const out = rec('whoami', call(VM, 'whoami', {}, { signerPk: alice.pk, deposit: 3n, gas: 50n * TGAS }));
    const w = out.result;
    check('whoami', w && w.current === VM && w.predecessor === 'alice.test.near' && w.signer === 'alice.test.near' &&
      w.signer_pk === alice.borshHex && w.deposit === '3' && w.balance === (100n * NEAR + 3n).toString() &&
      w.block_index === h + 1 && w.block_timestamp === (GENESIS + BigInt(h) * STEP).toString() &&
      w.prepaid_gas === (50n * TGAS).toString(), out);
    check('one block per receipt', chain.height === h + 1 && out.receipts.length === 1 && out.receipts[0].block_height === h + 1, out);
    check('transaction id is its receipt id', out.id === out.receipts[0].id, out);
    const burnt = BigInt(out.receipts[0].gas_burnt);
    check('gas model', burnt > TGAS && (burnt - TGAS) % 5_000_000_000n === 0n && BigInt(w.used_gas) < burnt && (burnt - BigInt(w.used_gas)) % 5_000_000_000n === 0n, out);
    const anon = rec('whoami without key', call(VM, 'whoami'));
    check('no signer key: 33 zero bytes', anon.result && anon.result.signer_pk === '00'.repeat(33) && anon.result.prepaid_gas === (300n * TGAS).toString(), anon);
    check('deposit moved', chain.account('alice.test.near').amount === 1000n * NEAR - 3n && chain.account(VM).amount === 100n * NEAR + 3n);
  }],
  ['storage, usage, logs', (t) => {
    const { chain, check, call, rec, execError, account, view } = t;
    const u0 = chain.account(VM).storage_usage;
    const p1 = rec('put', call(VM, 'put', { key: 'k1', value: 'value-1' }));
    check('put new', p1.result && p1.result.replaced === false && p1.result.usage === u0 + 2 + 7 + 40, p1);
    const p2 = rec('put again', call(VM, 'put', { key: 'k1', value: 'v2' }));
    check('put replaces', p2.result && p2.result.replaced === true && p2.result.usage === u0 + 2 + 2 + 40, p2);
    check('account usage', account(VM, 'vm after put').storage_usage === u0 + 44);
    check('get', rec('get', call(VM, 'get', { key: 'k1' })).result === 'v2');
    check('get view', view('view get', VM, 'get', { key: 'k1' }).result === 'v2');
    check('remove', rec('remove', call(VM, 'remove', { key: 'k1' })).result === true);
    check('remove again', rec('remove again', call(VM, 'remove', { key: 'k1' })).result === false);
    check('usage back', rec('usage', call(VM, 'usage')).result === u0);
    const logs = rec('log', call(VM, 'log', { messages: ['one', 'two', 'ünï'] }));
    check('logs', toJson(logs.logs) === toJson(['one', 'two', 'ünï']) && toJson(logs.receipts[0].logs) === toJson(logs.logs), logs);
    const many = rec('100 logs', call(VM, 'log', { messages: Array.from({ length: 100 }, (_, i) => `m${i}`) }));
    check('100 logs fit', many.result === 100 && many.logs.length === 100, many.status);
    const tooMany = rec('101 logs', call(VM, 'log', { messages: Array.from({ length: 101 }, (_, i) => `m${i}`) }));
    check('101 logs', execError(tooMany) === 'The number of logs will exceed the limit 100' && tooMany.logs.length === 100, tooMany.status);
    const long = rec('long logs', call(VM, 'log', { messages: ['a'.repeat(10000), 'b'.repeat(7000)] }));
    check('log bytes', execError(long) === 'The length of a log message 17000 exceeds the limit 16384', long.status);
  }],
  ['panics roll back; deposits come back in a refund receipt', (t) => {
    const { chain, check, call, rec, execError, account } = t;
    const before = chain.account(VM), aliceBefore = chain.account('alice.test.near').amount;
    const out = rec('put_then_panic', call(VM, 'put_then_panic', { key: 'p', value: 'q' }, { deposit: 1000n }));
    check('panic outcome', toJson(out.status) === toJson({ Failure: { ActionError: { index: 0, kind: { FunctionCallError: { ExecutionError: 'Smart contract panicked: after write' } } } } }), out.status);
    check('panic keeps logs', toJson(out.logs) === toJson(['wrote before panic']), out.logs);
    check('refund receipt', out.receipts.length === 2 && out.receipts[1].predecessor === 'system' && out.receipts[1].receiver === 'alice.test.near' &&
      out.receipts[1].method === null && out.receipts[1].block_height === out.receipts[0].block_height + 1 && out.receipts[1].gas_burnt === 1e12, out.receipts);
    const after = chain.account(VM);
    check('rollback', after.amount === before.amount && after.storage_usage === before.storage_usage, after);
    check('refunded', chain.account('alice.test.near').amount === aliceBefore);
    check('nothing stored', rec('get after panic', call(VM, 'get', { key: 'p' })).result === null);
    const f = rec('fail', call(VM, 'fail', { message: 'with \\"quotes\\" and ünïcödé' }));
    check('panic message', execError(f) === 'Smart contract panicked: with \\"quotes\\" and ünïcödé', f.status);
    const echo = rec('echo raw', call(VM, 'echo', 'not json ✓'));
    check('non-JSON result', echo.result === 'not json ✓' && b64text(echo.status.SuccessValue) === 'not json ✓', echo);
    const empty = rec('echo empty', call(VM, 'echo', ''));
    check('empty result', empty.result === null && empty.status.SuccessValue === '', empty);
    check('method not found', toJson(rec('missing method', call(VM, 'nope')).status) ===
      toJson({ Failure: { ActionError: { index: 0, kind: { FunctionCallError: { MethodResolveError: 'MethodNotFound' } } } } }));
    check('empty method', toJson(rec('empty method', call(VM, '')).status.Failure.ActionError.kind) ===
      toJson({ FunctionCallError: { MethodResolveError: 'MethodEmptyName' } }));
    check('no code', toJson(rec('no code', call(BOB, 'echo')).status.Failure.ActionError.kind) ===
      toJson({ FunctionCallError: { CompilationError: { CodeDoesNotExist: { account_id: BOB } } } }));
    const nobody = rec('no account', call('nobody.test.near', 'echo', {}, { deposit: 5n }));
    check('no account', toJson(nobody.status.Failure.ActionError.kind) === toJson({ AccountDoesNotExist: { account_id: 'nobody.test.near' } }) &&
      nobody.receipts.length === 2 && nobody.receipts[1].receiver === 'alice.test.near', nobody);
  }],
  ['invalid transactions and access keys', (t) => {
    const { chain, check, call, rec, account } = t;
    const inv = (label, out, kind) => {
      rec(label, out);
      check(label, out.id === null && toJson(out.status) === toJson({ Failure: { InvalidTxError: kind } }) && out.receipts.length === 0, out);
    };
    const h = chain.height;
    inv('no signer', call(VM, 'echo', {}, { signer: 'ghost.test.near' }), { SignerDoesNotExist: { signer_id: 'ghost.test.near' } });
    inv('not enough balance', call(VM, 'echo', {}, { signer: BOB, deposit: 1n }), { NotEnoughBalance: { signer_id: BOB, balance: '0', cost: '1' } });
    inv('unknown key', call(VM, 'echo', {}, { signerPk: stranger.pk }),
      { InvalidAccessKeyError: { AccessKeyNotFound: { account_id: 'alice.test.near', public_key: stranger.pk } } });
    inv('fc key receiver', call(OTHER, 'echo', {}, { signerPk: aliceFc.pk }),
      { InvalidAccessKeyError: { ReceiverMismatch: { tx_receiver: OTHER, ak_receiver: VM } } });
    inv('fc key method', call(VM, 'put', {}, { signerPk: aliceFc.pk }), { InvalidAccessKeyError: { MethodNameMismatch: { method_name: 'put' } } });
    inv('fc key deposit', call(VM, 'echo', {}, { signerPk: aliceFc.pk, deposit: 1n }), { InvalidAccessKeyError: 'DepositWithFunctionCall' });
    inv('valid key, not enough balance', call(VM, 'echo', {}, { signerPk: alice.pk, deposit: 2000n * NEAR }),
      { NotEnoughBalance: { signer_id: 'alice.test.near', balance: (1000n * NEAR).toString(), cost: (2000n * NEAR).toString() } });
    check('invalid transactions make no blocks', chain.height === h);
    const ok = rec('fc key call', call(VM, 'echo', 'x', { signerPk: aliceFc.pk }));
    rec('full key call', call(VM, 'echo', 'y', { signerPk: alice.pk }));
    check('fc key call', ok.result === 'x', ok);
    const keys = account('alice.test.near', 'alice after fc call').keys;
    check('nonce incremented', keys.find((k) => k.public_key === aliceFc.pk).access_key.nonce === 6 &&
      keys.find((k) => k.public_key === alice.pk).access_key.nonce === 1, keys);
    // a signer that would fall below its storage stake
    chain.createAccount('tight.test.near', { amount: 0n, contract: 'nearvm_test' });
    const tight = chain.account('tight.test.near');
    const stake = BigInt(tight.storage_usage) * 10n ** 19n;
    chain.createAccount('funder.test.near', { amount: 10n * NEAR });
    rec('fund tight', call('tight.test.near', 'echo', '', { signer: 'funder.test.near', deposit: stake + 10n }));
    inv('signer stake', call(VM, 'echo', {}, { signer: 'tight.test.near', deposit: 11n }),
      { LackBalanceForState: { signer_id: 'tight.test.near', amount: '1' } });
  }],
  ['the storage staking check', (t) => {
    const { chain, check, call, rec, account } = t;
    chain.createAccount('poor.test.near', { amount: 0n, contract: 'nearvm_test' });
    const usage = chain.account('poor.test.near').storage_usage;
    const need = BigInt(usage) * 10n ** 19n;
    const out0 = rec('poor without stake', call('poor.test.near', 'echo', 'x'));
    check('stake missing', toJson(out0.status) === toJson({ Failure: { ActionError: { index: null, kind: { LackBalanceForState: {
      account_id: 'poor.test.near', amount: need.toString() } } } } }), out0.status);
    const out1 = rec('poor with stake', call('poor.test.near', 'echo', 'x', { deposit: need }));
    check('deposit covers the stake', out1.result === 'x', out1.status);
    const grow = rec('grow beyond stake', call('poor.test.near', 'grow', { count: 2, size: 10 }, { deposit: 5n }));
    const growth = 2 * (2 + 10 + 40);
    check('growth refused', toJson(grow.status.Failure?.ActionError) === toJson({ index: null, kind: { LackBalanceForState: {
      account_id: 'poor.test.near', amount: (BigInt(growth) * 10n ** 19n - 5n).toString() } } }), grow.status);
    check('growth rolled back', chain.account('poor.test.near').storage_usage === usage && chain.account('poor.test.near').amount === need, account('poor.test.near'));
    const bobPay = rec('zero-balance account', call(BOB, 'echo', {}, { deposit: 0n }));
    check('small accounts need no stake', toJson(bobPay.status.Failure.ActionError.kind) === toJson({ FunctionCallError: { CompilationError: { CodeDoesNotExist: { account_id: BOB } } } }));
  }],
  ['cross-contract calls, callbacks, promise_return, deposits', (t) => {
    const { chain, check, call, rec, execError, account } = t;
    const h = chain.height;
    const out = rec('call_other', call(VM, 'call_other', { account: OTHER, method: 'whoami', deposit: '77' }));
    const [r0, r1, r2] = out.receipts;
    check('three receipts, one block apart', out.receipts.length === 3 && r0.block_height === h + 1 && r1.block_height === h + 2 &&
      r2.block_height === h + 3 && r1.predecessor === VM && r2.receiver === VM && r2.method === 'on_results', out.receipts);
    check('receipt ids', r1.id === r0.id + 1 && r2.id === r0.id + 2 && toJson(r0.status) === toJson({ SuccessReceiptId: r2.id }), out.receipts);
    const res = out.result;
    const inner = res && res.results && res.results[0] && JSON.parse(res.results[0].value);
    check('callback sees the result', res && res.tag === 'call_other' && res.count === 1 && res.predecessor === VM && res.results[0].status === 'ok', res);
    check('callee context', inner && inner.predecessor === VM && inner.signer === 'alice.test.near' && inner.deposit === '77' &&
      inner.prepaid_gas === (30n * TGAS).toString() && inner.block_index === h + 2, inner);
    check('deposit credited', chain.account(OTHER).amount === 100n * NEAR + 77n && chain.account(VM).amount === 100n * NEAR - 77n);
    const bad = rec('call_other failing', call(VM, 'call_other', { account: OTHER, method: 'fail', args: '{"message":"inner"}', deposit: '9' }));
    check('failed result', bad.result && bad.result.results[0].status === 'failed' && bad.result.results[0].value === null, bad.result);
    check('inner failure and refund to the caller', bad.receipts.length === 4 && execError({ status: bad.receipts[1].status }) === 'Smart contract panicked: inner' &&
      bad.receipts[3].receiver === VM && bad.receipts[3].predecessor === 'system', bad.receipts);
    const none = rec('call_other nobody', call(VM, 'call_other', { account: 'nobody.test.near', method: 'echo' }));
    check('missing callee', none.result && none.result.results[0].status === 'failed', none);
    const all = rec('call_all', call(VM, 'call_all', { calls: [{ account: OTHER, method: 'echo', args: 'first' },
      { account: OTHER, method: 'fail' }, { account: VM, method: 'echo', args: '"third"' }] }));
    check('joint results in order', all.result && all.result.count === 3 && toJson(all.result.results.map((x) => x.status)) === toJson(['ok', 'failed', 'ok']) &&
      all.result.results[0].value === 'first' && all.result.results[2].value === '"third"', all.result);
    const calls = all.receipts.slice(1, 4);
    check('same block, creation order', calls.every((x, i) => x.block_height === all.receipts[0].block_height + 1 && (i === 0 || x.id === calls[i - 1].id + 1)), all.receipts);
    const cb = all.receipts.find((x) => x.method === 'on_results');
    check('callback after the last dependency', cb && cb.block_height === Math.max(...all.receipts.filter((x) => x.method !== 'on_results' && x.predecessor !== 'system').map((x) => x.block_height)) + 1, all.receipts);
    const ret = rec('call_return', call(VM, 'call_return', { account: OTHER, method: 'echo', args: '{"v":[1,2]}' }));
    check('returned value passes on', toJson(ret.result) === toJson({ v: [1, 2] }) && ret.receipts[0].status.SuccessReceiptId === ret.receipts[1].id, ret);
    const retFail = rec('call_return failing', call(VM, 'call_return', { account: OTHER, method: 'fail', args: '{"message":"deep"}' }));
    check('returned failure passes on', execError(retFail) === 'Smart contract panicked: deep', retFail.status);
    const chainRet = rec('call_return of call_other', call(VM, 'call_return', { account: OTHER, method: 'call_other',
      args: JSON.stringify({ account: VM, method: 'echo', args: 'deep value' }) }));
    check('promise_return chains', chainRet.result && chainRet.result.tag === 'call_other' && chainRet.result.results[0].value === 'deep value' &&
      chainRet.receipts.length === 4, chainRet);
    const weighted = rec('call_weighted', call(VM, 'call_weighted', { account: OTHER, method: 'whoami' }, { gas: 100n * TGAS }));
    const wb = BigInt(weighted.receipts[0].gas_burnt);
    check('weight takes the unused gas', weighted.result && weighted.result.prepaid_gas === (100n * TGAS - wb).toString(), { burnt: wb, r: weighted.result });
    const gasProbe = rec('gas below one receipt', call(VM, 'echo', 'x', { gas: 500_000_000_000n }));
    check('less than 1 Tgas', execError(gasProbe) === 'Exceeded the prepaid gas.', gasProbe.status);
  }],
  ['batch actions', (t) => {
    const { chain, check, call, rec, execError, account } = t;
    const SUB = `sub.${VM}`;
    const vmBefore = chain.account(VM).amount;
    const out = rec('batch create', call(VM, 'batch', { receiver: SUB, create: true, transfer: (5n * NEAR).toString(), deploy: 'nearvm_test',
      full_key: subKey.borshHex, fc_key: { key: fcKey.borshHex, receiver: OTHER, methods: 'echo,get', allowance: '250' }, callback: true }));
    check('batch callback', out.result && out.result.tag === 'batch' && out.result.results[0].status === 'ok', out);
    const sub = account(SUB, 'sub account');
    check('created with contract and keys', sub && sub.amount === 5n * NEAR && sub.contract === 'nearvm_test' && sub.keys.length === 2, sub);
    const fk = sub && sub.keys.find((k) => k.public_key === fcKey.pk);
    check('function-call key', fk && toJson(fk.access_key.permission) === toJson({ FunctionCall: { allowance: '250', receiver_id: OTHER, method_names: ['echo', 'get'] } }), sub);
    check('vm paid the transfer', chain.account(VM).amount === vmBefore - 5n * NEAR);
    const again = rec('batch create existing', call(VM, 'batch', { receiver: SUB, create: true }));
    check('AccountAlreadyExists', toJson(again.receipts[1].status) === toJson({ Failure: { ActionError: { index: 0, kind: { AccountAlreadyExists: { account_id: SUB } } } } }), again.receipts);
    const foreign = rec('batch create foreign', call(VM, 'batch', { receiver: `x.${OTHER}`, create: true }));
    check('CreateAccountNotAllowed', toJson(foreign.receipts[1].status.Failure.ActionError.kind) === toJson({ CreateAccountNotAllowed: { account_id: `x.${OTHER}`, predecessor_id: VM } }), foreign.receipts);
    const actor = rec('batch key on other', call(VM, 'batch', { receiver: OTHER, full_key: subKey.borshHex }));
    check('ActorNoPermission', toJson(actor.receipts[1].status.Failure.ActionError.kind) === toJson({ ActorNoPermission: { account_id: OTHER, actor_id: VM } }), actor.receipts);
    const unknown = rec('batch deploy unknown', call(VM, 'batch', { receiver: VM, deploy: 'no_such_contract' }));
    check('UnknownContractCode', toJson(unknown.receipts[1].status.Failure.ActionError.kind) === toJson({ UnknownContractCode: { code_len: 16 } }), unknown.receipts);
    // keys on the sub-account: only the sub-account itself may change them
    const subCall = (label, args) => rec(label, chain.call({ signer: 'alice.test.near', receiver: SUB, method: 'batch', args }));
    const dup = subCall('sub add existing key', { receiver: SUB, full_key: subKey.borshHex });
    check('AddKeyAlreadyExists', toJson(dup.receipts[1].status.Failure.ActionError.kind) === toJson({ AddKeyAlreadyExists: { account_id: SUB, public_key: subKey.pk } }), dup.receipts);
    const del = subCall('sub delete key', { receiver: SUB, delete_key: fcKey.borshHex });
    check('DeleteKey', del.receipts[1].status.SuccessValue === '' && chain.account(SUB).keys.length === 1, del.receipts);
    const del2 = subCall('sub delete missing key', { receiver: SUB, delete_key: fcKey.borshHex });
    check('DeleteKeyDoesNotExist', toJson(del2.receipts[1].status.Failure.ActionError.kind) === toJson({ DeleteKeyDoesNotExist: { account_id: SUB, public_key: fcKey.pk } }), del2.receipts);
    const badKey = subCall('sub bad key', { receiver: SUB, full_key: '02' + '11'.repeat(32) });
    check('InvalidPublicKey', execError(badKey) === 'VM Logic provided an invalid public key', badKey.status);
    const emptyName = subCall('sub fc key empty method', { receiver: SUB, fc_key: { key: fcKey.borshHex, receiver: OTHER, methods: 'a,,b' } });
    check('empty method name', execError(emptyName) === 'Tried to call an empty method name.', emptyName.status);
    const vmAmount = chain.account(VM).amount, subAmount = chain.account(SUB).amount;
    const gone = subCall('sub delete account', { receiver: SUB, delete_account: VM });
    check('DeleteAccount', gone.receipts[1].status.SuccessValue === '' && chain.account(SUB) === null, gone.receipts);
    const tr = gone.receipts[2];
    check('balance to the beneficiary', tr && tr.predecessor === 'system' && tr.receiver === VM && chain.account(VM).amount === vmAmount + subAmount, gone.receipts);
  }],
  ['refund of a failed batch', (t) => {
    const { chain, check, call, rec, account } = t;
    const vmBefore = chain.account(VM).amount;
    // the refund covers every deposit of the failed receipt, also those after the failing action
    const refund = rec('batch refund', call(VM, 'batch', { receiver: OTHER, create: true, transfer: '7' }));
    const rr = refund.receipts.find((x) => x.predecessor === 'system');
    check('failed batch', toJson(refund.receipts[1].status.Failure.ActionError.kind) === toJson({ AccountAlreadyExists: { account_id: OTHER } }), refund.receipts);
    check('refund of every deposit', rr && rr.receiver === VM, refund.receipts);
    check('vm got its 7 back', account(VM, 'vm after refund').amount === vmBefore);
  }],
  ['probes: nearcore\'s host errors', (t) => {
    const { check, call, rec, execError, account } = t;
    for (const [what, msg] of [
      ['register', 'Accessed invalid register id: 7'],
      ['promise_index', '99 does not correspond to existing promises'],
      ['account_id', 'VM Logic returned an invalid account id'],
      ['joint_return', 'Returning joint promise is currently prohibited.'],
      ['joint_action', 'Actions can only be appended to non-joint promise.'],
      ['utf8', 'String encoding is bad UTF-8 sequence.'],
      ['key_length', 'The length of a storage key 2049 exceeds the limit 2048'],
      ['gas', 'Exceeded the prepaid gas.'],
      ['balance', 'Exceeded the account balance.'],
      ['result_index', 'Accessed invalid promise result index: 3'],
      ['ecrecover', 'ECDSA recover error: V recovery byte 0 through 3 are valid but was provided 4'],
      ['empty_method', 'Tried to call an empty method name.'],
    ]) {
      const out = rec(`probe ${what}`, call(VM, 'probe', { what }));
      check(`probe ${what}`, execError(out) === msg && out.receipts.length === 1, out.status);
    }
  }],
  ['yield / resume', (t) => {
    const { chain, check, call, rec, execError, account } = t;
    const h = chain.height;
    const y = rec('yield_start', call(VM, 'yield_start', {}));
    const expected = hex(sha256(new TextEncoder().encode(`yield:${y.id}:0:0`)));
    check('data id', y.result === expected && y.logs[0] === `yield ${expected}`, y);
    check('yield tx is final, callback waits', y.status.SuccessValue !== undefined && y.receipts.length === 1 && chain.height === h + 1, y);
    const other = rec('resume by another account', call(OTHER, 'yield_resume', { data_id: expected, payload: 'x' }));
    check('only the same account resumes', other.result === false, other);
    const unknown = rec('resume unknown', call(VM, 'yield_resume', { data_id: '00'.repeat(32), payload: 'x' }));
    check('unknown data id', unknown.result === false, unknown);
    const r = rec('resume', call(VM, 'yield_resume', { data_id: expected, payload: 'hello' }));
    check('resumed', r.result === true, r);
    const r2 = rec('resume twice', call(VM, 'yield_resume', { data_id: expected, payload: 'again' }));
    const afterResume = rec('yield outcome after resume', chain.outcome(y.id));
    const cbr = afterResume.receipts[1];
    check('callback ran the block after the resume', cbr && cbr.method === 'on_yield' && cbr.block_height === r.receipts[0].block_height + 1 &&
      toJson(afterResume.logs) === toJson([`yield ${expected}`, 'on_yield resumed']), afterResume);
    check('second resume refused', r2.result === false, r2);
    check('callback result', rec('yield result', call(VM, 'get', { key: 'yield_result' })).result === '{"status":"ok","payload":"hello"}');
    const malformed = rec('resume malformed', call(VM, 'probe', { what: 'none' }));
    check('unknown probe panics', execError(malformed) === 'Smart contract panicked: unknown probe: none', malformed.status);
    // returned yield: Pending until the timeout
    const y2 = rec('yield_start returned', call(VM, 'yield_start', { return: true }));
    const created = y2.receipts[0].block_height;
    check('pending', y2.status === 'Pending' && y2.result === null, y2);
    const id2 = hex(sha256(new TextEncoder().encode(`yield:${y2.id}:0:0`)));
    chain.advance(YIELD_TIMEOUT - 1);
    check('not yet timed out', rec('yield before timeout', chain.outcome(y2.id)).status === 'Pending');
    chain.advance(1); // end of block created + timeout: the timeout fires
    check('timeout fired at created + timeout', chain.height === created + YIELD_TIMEOUT && rec('yield at timeout', chain.outcome(y2.id)).status === 'Pending');
    chain.advance(1);
    const done = rec('yield after timeout', chain.outcome(y2.id));
    check('timeout callback', done.result && done.result.status === 'timeout' && done.receipts[1].block_height === created + YIELD_TIMEOUT + 1, done);
    const late = rec('resume after timeout', call(VM, 'yield_resume', { data_id: id2, payload: 'late' }));
    check('late resume refused', late.result === false, late);
    // a yield resumed by a later transaction while its creator waits
    const y3 = rec('yield_start returned 2', call(VM, 'yield_start', { return: true }));
    const id3 = hex(sha256(new TextEncoder().encode(`yield:${y3.id}:0:0`)));
    rec('resume 3', call(VM, 'yield_resume', { data_id: id3, payload: 'third' }));
    chain.advance(1);
    const done3 = rec('yield 3 outcome', chain.outcome(y3.id));
    check('resumed returned yield', done3.result && done3.result.status === 'ok' && done3.result.payload === 'third', done3);
  }],
  ['views', (t) => {
    const { chain, check, account, view } = t;
    const info = view('view info', VM, 'info');
    check('view context', info.result && info.result.current === VM && info.result.block_index === chain.height && info.result.deposit === '0' &&
      info.result.balance === chain.account(VM).amount.toString(), info);
    const cases = [
      ['view whoami', VM, 'whoami', 'signer_account_pk is not allowed in view calls'],
      ['view write', VM, 'view_write', 'storage_write is not allowed in view calls'],
      ['view promise', VM, 'call_other', 'promise_batch_create is not allowed in view calls', { account: OTHER, method: 'echo' }],
      ['view yield', VM, 'yield_start', 'promise_yield_create is not allowed in view calls'],
      ['view resume', VM, 'yield_resume', 'promise_submit_data is not allowed in view calls', { data_id: '00'.repeat(32), payload: '' }],
      ['view remove', VM, 'remove', 'storage_remove is not allowed in view calls', { key: 'x' }],
      ['view fail', VM, 'fail', 'Smart contract panicked: in view', { message: 'in view' }],
      ['view missing method', VM, 'nope', 'MethodNotFound'],
      ['view no code', BOB, 'info', `cannot find contract code for account ${BOB}`],
      ['view no account', 'nobody.test.near', 'info', 'account nobody.test.near does not exist while viewing'],
    ];
    for (const [label, acc, method, msg, args] of cases) check(label, view(label, acc, method, args ?? {}).error === msg, label);
    const usage = chain.account(VM).storage_usage;
    check('views change nothing', chain.account(VM).storage_usage === usage);
  }],
];

async function scenario(mode) {
  const transcript = [];
  let pass = 0;
  const failures = [];
  for (const [title, fn] of sections) {
    const chain = await makeChain(mode, { yieldTimeout: YIELD_TIMEOUT, genesisTime: GENESIS, blockTime: STEP });
    const record = (label, value) => { transcript.push([`${title}: ${label}`, canon(value)]); return value; };
    const check = (name, cond, detail = '') => {
      if (cond) pass++; else failures.push(`${title}: ${name} ${typeof detail === 'string' ? detail : toJson(detail)}`);
    };
    check('genesis height', record('height at genesis', chain.height) === 1);
    setup(chain);
    const call = (receiver, method, args = {}, o = {}) => chain.call({ signer: o.signer ?? 'alice.test.near', signerPk: o.signerPk,
      receiver, method, args, deposit: o.deposit ?? 0n, gas: o.gas });
    const view = (label, acc, method, args = {}) => {
      try { return record(label, chain.view(acc, method, args)); } catch (e) {
        if (!(e instanceof ViewError)) throw e;
        record(label, { error: e.message, logs: e.logs });
        return { error: e.message, logs: e.logs };
      }
    };
    fn({ chain, record, check, call, view, rec: (label, out) => record(label, out),
      execError: (out) => out.status?.Failure?.ActionError?.kind?.FunctionCallError?.ExecutionError,
      account: (id, label = `account ${id}`) => record(label, chain.account(id)) });
    record('height at end', chain.height);
    record('accounts at end', ['alice.test.near', VM, OTHER, BOB].map((id) => chain.account(id)));
    chain.close();
  }
  return { transcript, pass, failures };
}

// the first path where two canonical JSON values differ
function firstDifference(a, b, where = '') {
  if (toJson(a) === toJson(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${where}.${k}`);
      if (d) return d;
    }
  }
  const cut = (v) => { const s = v === undefined ? '(absent)' : toJson(v); return s.length > 300 ? s.slice(0, 300) + '…' : s; };
  return `${where || '.'}: wasm ${cut(a)} | native ${cut(b)}`;
}

// ---- wasm only: every host function of near_host.h called directly by a generated module
async function hostProbes() {
  const chain = await makeChain('wasm', { yieldTimeout: YIELD_TIMEOUT });
  let pass = 0;
  const failures = [];
  const check = (name, cond, detail = '') => { if (cond) pass++; else failures.push(`host probes: ${name} ${typeof detail === 'string' ? detail : toJson(detail)}`); };
  const U64 = (1n << 64n) - 1n;
  const SELF = 'probe.test.near';
  const A = { abc: 1024, hi: 1040, badUtf8: 1056, pg: 1072, self: 1080, sig: 1100, pub: 1200, msg: 1240, zeros: 3000,
    idx7: 1500, idx0: 1508, names: 1700, pk: 1720, sigHigh: 1800, cbres: 1900, yid: 1910, payload: 4096, long: 8192 };
  const seed = sha256(new TextEncoder().encode('probe key'));
  const pub = ed25519.getPublicKey(seed);
  const sig = ed25519.sign(new TextEncoder().encode('msg'), seed);
  const sigHigh = Uint8Array.from(sig);
  sigHigh[63] |= 0xe0;
  const u64le = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return [...b]; };
  const data = [[A.abc, [...Buffer.from('abc')]], [A.hi, [...Buffer.from('hi\0')]], [A.badUtf8, [0xc0, 0xaf]],
    [A.pg, [...Buffer.from('pg')]], [A.self, [...Buffer.from(SELF)]], [A.sig, [...sig]], [A.pub, [...pub]],
    [A.msg, [...Buffer.from('msg')]], [A.idx7, u64le(7)], [A.idx0, u64le(0)], [A.names, [...Buffer.from(',a')]],
    [A.pk, [0, ...pub]], [A.sigHigh, [...sigHigh]], [A.cbres, [...Buffer.from('cbres')]], [A.yid, [...Buffer.from('yid')]],
    [A.long, Array(16400).fill(0x61)]];
  const c = (call, ...args) => ({ call, args: args.map(BigInt) });
  const k = (call, ...args) => ({ call, args: args.map(BigInt), keep: true });
  const selfBatch = c('promise_batch_create', SELF.length, A.self);
  const probes = {
    reglen: [k('register_len', 5)],
    regs: [c('write_register', 1, 3, A.abc), c('read_register', 1, 2048), c('value_return', 3, 2048)],
    badreg: [c('read_register', 9, 0)],
    regs100: Array.from({ length: 100 }, (_, i) => c('write_register', i, 3, A.abc)),
    regs101: [...Array.from({ length: 100 }, (_, i) => c('write_register', i, 3, A.abc)), c('write_register', 5, 1, A.abc)],
    shareg: [c('write_register', 0, 3, A.abc), c('sha256', U64, 0, 1), c('value_return', U64, 1)],
    oob: [c('sha256', 10, 65 * 65536 - 5, 0)],
    lognul: [c('log_utf8', U64, A.hi)],
    loglong: [c('log_utf8', U64, A.long)],
    panicnul: [c('panic_utf8', U64, A.hi)],
    panic: [c('panic')],
    badutf8: [c('promise_batch_create', 2, A.badUtf8)],
    andbad: [c('promise_and', A.idx7, 1)],
    results: [k('promise_results_count')],
    result0: [c('promise_result', 0, 0)],
    resumelen: [c('promise_yield_resume', 31, A.zeros, 3, A.abc)],
    resumepayload: [c('promise_yield_resume', 31, A.zeros, 1025, A.payload)],
    resumeunknown: [k('promise_yield_resume', 32, A.zeros, 3, A.abc)],
    yieldempty: [c('promise_yield_create', 0, A.pg, 0, 0, 0, 0, 0)],
    edsig: [c('ed25519_verify', 63, A.sig, 3, A.msg, 32, A.pub)],
    edpub: [c('ed25519_verify', 64, A.sig, 3, A.msg, 31, A.pub)],
    edok: [k('ed25519_verify', 64, A.sig, 3, A.msg, 32, A.pub), k('ed25519_verify', 64, A.sig, 2, A.msg, 32, A.pub),
      k('ed25519_verify', 64, A.sigHigh, 3, A.msg, 32, A.pub)],
    ecsig: [c('ecrecover', 32, A.zeros, 65, A.sig, 0, 0, 0)],
    ecv: [c('ecrecover', 31, A.zeros, 64, A.sig, 4, 0, 0)],
    echash: [c('ecrecover', 31, A.zeros, 64, A.sig, 0, 0, 0)],
    ecmal: [c('ecrecover', 32, A.zeros, 64, A.sig, 0, 2, 0)],
    jointappend: [selfBatch, c('promise_and', A.idx0, 1), c('promise_batch_action_transfer', 1, A.zeros)],
    fcempty: [selfBatch, c('promise_batch_action_add_key_with_function_call', 0, 33, A.pk, 0, A.zeros, SELF.length, A.self, 2, A.names)],
    badkey: [selfBatch, c('promise_batch_action_add_key_with_full_access', 0, 32, A.pub, 0)],
    trap: [{ trap: true }],
    balance: [c('account_balance', 0), c('value_return', 16, 0)],
    deposit: [c('attached_deposit', 0), c('value_return', 16, 0)],
    env: [k('block_index'), k('block_timestamp'), k('epoch_height'), k('storage_usage'), k('used_gas'), k('prepaid_gas')],
    pg: [k('prepaid_gas')],
    weights: [selfBatch, c('promise_batch_action_function_call_weight', 0, 2, A.pg, 0, 0, A.zeros, 0, 3), selfBatch,
      c('promise_batch_action_function_call_weight', 1, 2, A.pg, 0, 0, A.zeros, 1_000_000_000_000, 4)],
    storage: [c('write_register', 2, 3, A.abc), k('storage_write', U64, 2, U64, 2, 3), k('storage_read', U64, 2, 4),
      k('storage_has_key', 3, A.abc), k('storage_remove', 3, A.abc, 5), k('storage_has_key', 3, A.abc)],
    write: [c('storage_write', 3, A.abc, 3, A.abc, 0)],
    resumeview: [c('promise_yield_resume', 32, A.zeros, 0, 0)],
    usedview: [c('used_gas')],
    retmissing: [c('value_return', U64, 77)],
    blslen: [c('bls12381_p1_sum', 96, A.zeros, 0)],
    // yields: a resume undone by its receipt's failure, a resume in the creating receipt
    cbres: [c('promise_result', 0, 1), c('value_return', U64, 1)],
    yieldstore: [c('promise_yield_create', 5, A.cbres, 0, 0, 5n * TGAS, 0, 0), c('storage_write', 3, A.yid, U64, 0, 1)],
    resumefail: [c('storage_read', 3, A.yid, 1), c('promise_yield_resume', U64, 1, 3, A.abc), c('panic')],
    resumeok: [c('storage_read', 3, A.yid, 1), k('promise_yield_resume', U64, 1, 3, A.abc)],
    yieldself: [c('promise_yield_create', 5, A.cbres, 0, 0, 5n * TGAS, 0, 0), k('promise_yield_resume', U64, 0, 2, A.hi)],
    blsempty: [k('bls12381_p1_sum', 0, A.zeros, 0), c('read_register', 0, 2048), c('value_return', 96, 2048)],
  };
  let bytes;
  try { bytes = probeModule({ methods: probes, data }); } catch (e) { check('probe module', false, e.message); return { pass, failures }; }
  chain.code.add('host_probe', bytes);
  chain.createAccount('alice.test.near', { amount: 1000n * NEAR });
  chain.createAccount(SELF, { amount: 10n * NEAR, contract: 'host_probe' });
  const run = (method, o = {}) => chain.call({ signer: 'alice.test.near', receiver: SELF, method, args: '', deposit: o.deposit ?? 0n, gas: o.gas });
  const value = (out) => (out.status.SuccessValue !== undefined ? Buffer.from(out.status.SuccessValue, 'base64') : null);
  const u64s = (buf) => Array.from({ length: buf.length / 8 }, (_, i) => buf.readBigUInt64LE(8 * i));
  const err = (out) => out.status?.Failure?.ActionError?.kind?.FunctionCallError?.ExecutionError;
  const fails = (method, msg) => { const out = run(method); check(`${method}`, err(out) === msg, out.status); return out; };
  const names = [...hostSignatures().keys()];
  check('every host function of near_host.h is provided', names.length > 50 && names.every((n) => chain.hostFunctionNames().includes(n)),
    names.filter((n) => !chain.hostFunctionNames().includes(n)));
  check('register_len of an unset register', toJson(u64s(value(run('reglen')))) === toJson([U64]));
  check('write/read register', value(run('regs'))?.toString() === 'abc');
  fails('badreg', 'Accessed invalid register id: 9');
  check('100 registers', value(run('regs100')) !== null);
  fails('regs101', 'Accessed memory outside the bounds.'); // even replacing one, as nearcore
  check('u64::MAX length reads a register', value(run('shareg'))?.toString('hex') === hex(sha256(new TextEncoder().encode('abc'))));
  fails('oob', 'Accessed memory outside the bounds.');
  check('NUL-terminated log', toJson(run('lognul').logs) === toJson(['hi']));
  fails('loglong', 'The length of a log message 16385 exceeds the limit 16384');
  fails('panicnul', 'Smart contract panicked: hi');
  fails('panic', 'Smart contract panicked: explicit guest panic');
  fails('badutf8', 'String encoding is bad UTF-8 sequence.');
  fails('andbad', '7 does not correspond to existing promises');
  check('no promise results outside callbacks', toJson(u64s(value(run('results')))) === toJson([0n]));
  fails('result0', 'Accessed invalid promise result index: 0');
  fails('resumelen', 'yield resumption token is malformed');
  fails('resumepayload', 'Yield resume payload is 1025 bytes which exceeds the 1024 byte limit');
  check('resume of an unknown data id', toJson(u64s(value(run('resumeunknown')))) === toJson([0n]));
  fails('yieldempty', 'Tried to call an empty method name.');
  fails('edsig', 'ED25519 signature verification error: invalid signature length');
  fails('edpub', 'ED25519 signature verification error: invalid public key length');
  check('ed25519_verify', toJson(u64s(value(run('edok')))) === toJson([1n, 0n, 0n]));
  fails('ecsig', 'ECDSA recover error: The length of the signature: 65, exceeds the limit of 64 bytes');
  fails('ecv', 'ECDSA recover error: V recovery byte 0 through 3 are valid but was provided 4');
  fails('echash', 'ECDSA recover error: The length of the hash: 31, exceeds the limit of 32 bytes');
  fails('ecmal', 'ECDSA recover error: Malleability flag needs to be 0 or 1, but is instead 2');
  fails('jointappend', 'Actions can only be appended to non-joint promise.');
  fails('fcempty', 'Tried to call an empty method name.');
  fails('badkey', 'VM Logic provided an invalid public key');
  fails('trap', 'WebAssembly trap: An `unreachable` opcode was executed.');
  fails('retmissing', 'Accessed invalid register id: 77');
  const balance = value(run('balance', { deposit: 5n }));
  check('account_balance includes the deposit', balance && balance.length === 16 &&
    balance.readBigUInt64LE(0) + (balance.readBigUInt64LE(8) << 64n) === 10n * NEAR + 5n);
  const h = chain.height;
  const env = u64s(value(run('env', { gas: 7n * TGAS })));
  check('environment', toJson(env) === toJson([BigInt(h + 1), 1_700_000_000_000_000_000n + BigInt(h) * 1_000_000_000n, 1n,
    BigInt(chain.account(SELF).storage_usage), TGAS + 5n * 5_000_000_000n, 7n * TGAS]), env);
  // two weighted calls share what the caller left: floor(rest * w / 7), the rounding to the last
  const w = run('weights', { gas: 50n * TGAS });
  const rest = 50n * TGAS - BigInt(w.receipts[0].gas_burnt) - TGAS;
  const got = w.receipts.slice(1).map((r) => u64s(Buffer.from(r.status.SuccessValue, 'base64'))[0]);
  const s0 = (rest * 3n) / 7n, s1 = (rest * 4n) / 7n;
  check('gas weights', toJson(got) === toJson([s0, TGAS + s1 + (rest - s0 - s1)]), { rest, got });
  check('storage through registers', toJson(u64s(value(run('storage')))) === toJson([0n, 1n, 1n, 1n, 0n]));
  const bl = run('blslen');
  check('BLS input length', /^BLS12-381 invalid input: /.test(err(bl) ?? ''), bl.status);
  const be = value(run('blsempty'));
  check('BLS sum of nothing is the point at infinity', be && be.length === 96 && be[0] === 0x40 && be.subarray(1).every((x) => x === 0),
    be && be.toString('hex'));
  const ys = run('yieldstore');
  fails('resumefail', 'Smart contract panicked: explicit guest panic');
  const ok = run('resumeok');
  check('a failed receipt\'s resume is undone', toJson(u64s(value(ok))) === toJson([1n]), ok.status);
  chain.advance(1);
  const yo = chain.outcome(ys.id);
  check('resumed callback sees the payload', yo.receipts.length === 2 && yo.receipts[1].status.SuccessValue === Buffer.from('abc').toString('base64') &&
    yo.receipts[1].block_height === ok.receipts[0].block_height + 1, yo);
  const self = run('yieldself');
  check('resume in the creating receipt', toJson(u64s(value(self))) === toJson([1n]), self.status);
  chain.advance(1);
  const so = chain.outcome(self.id);
  check('its callback runs the next block', so.receipts.length === 2 && so.receipts[1].status.SuccessValue === Buffer.from('hi').toString('base64') &&
    so.receipts[1].block_height === self.receipts[0].block_height + 1, so);
  const viewErr = (method) => { try { chain.view(SELF, method, ''); return null; } catch (e) { return e instanceof ViewError ? e.message : String(e); } };
  check('view storage_write', viewErr('write') === 'storage_write is not allowed in view calls');
  check('view resume', viewErr('resumeview') === 'promise_submit_data is not allowed in view calls');
  check('view used_gas', viewErr('usedview') === 'used_gas is not allowed in view calls');
  check('view attached_deposit is 0', chain.view(SELF, 'deposit', '').result === '\0'.repeat(16));
  return { pass, failures };
}

const mode = process.argv[2] ?? 'wasm';
const modes = mode === 'compare' ? ['wasm', 'native'] : [mode];
const runs = {};
let failed = 0;
for (const m of modes) {
  runs[m] = await scenario(m);
  for (const f of runs[m].failures) console.error(`FAIL [${m}] ${f}`);
  failed += runs[m].failures.length;
  console.log(`${m}: ${runs[m].pass} checks passed, ${runs[m].failures.length} failed, ${runs[m].transcript.length} records`);
}
if (mode === 'wasm') {
  const probes = await hostProbes();
  for (const f of probes.failures) console.error(`FAIL [wasm] ${f}`);
  failed += probes.failures.length;
  console.log(`wasm host probes: ${probes.pass} checks passed, ${probes.failures.length} failed`);
}
if (mode === 'compare') {
  const a = runs.wasm.transcript, b = runs.native.transcript;
  let diffs = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = firstDifference(a[i], b[i]);
    if (d) {
      diffs++;
      console.error(`DIFF #${i} ${a[i]?.[0] ?? b[i]?.[0]}: ${d}`);
    }
  }
  console.log(`compare: ${a.length} records, ${diffs} differ`);
  failed += diffs;
}
process.exit(failed ? 1 : 0);
