// contract_gas: estimates the NEAR gas of teekeys' contract calls from nearcore's published costs
// (an ESTIMATE, not a measurement on nearcore; method in docs/contracts.md "Gas"). The wasm
// contracts run in near_chain.mjs instrumented by scripts/wasmgas.mjs, which counts wasm
// operations as nearcore's finite-wasm instrumentation charges them; every host call is priced
// with nearcore's fee table (wasmgas.mjs GAS, from core/parameters parameters.snap).
//
// Calls: verify_quote on Intel's real TDX quote (../shared/vectors/tdx) at 1751000000 s and on a
// simulated quote; the DAO's register_worker_key (the DAO, verify_quote, on_worker_verified) and
// request_key (the DAO, the MPC signer's request_app_private_key, respond_ckd, the yield callback).
// Prints a table and fails (exit 1) when verify_quote exceeds 250 Tgas or any receipt exceeds
// the gas nearcore would give it (300 Tgas for a transaction; a promise's attached gas, with the
// weighted remainder computed from the estimates), or the instrumenter's self-test fails.
//   node tests/oracle/contract_gas.mjs [--markdown]
import { makeChain } from './near_chain.mjs';
import { instrumentWasm, hostCallGas, opsGas, contractLoadingGas, GAS } from '../../scripts/wasmgas.mjs';
import { ed25519 } from '@noble/curves/ed25519';
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { sha256 } from '@noble/hashes/sha256';
import { base58 } from '@scure/base';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { j, Score } from './lib.mjs';

const markdown = process.argv.includes('--markdown');
const binDir = process.env.TK_BIN_DIR ?? 'build/bin';
const testBin = process.env.TK_TEST_BIN_DIR ?? path.join(binDir, '..', 'tests');
const contractsDir = path.join(binDir, '..', 'contracts');
const sharedDir = process.env.TK_SHARED_DIR ?? '../shared';
const TGAS = 10n ** 12n;
const NS = 1_000_000_000n;
const NEAR = 10n ** 24n;
const T_REAL = 1751000000n;
const VERIFY_LIMIT = 250n * TGAS;

const score = new Score();
const { check } = score;
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const enc = (s) => new TextEncoder().encode(s);

// ---- the instrumenter on a hand-assembled module: run(n) loops n times calling f (if/else), so
// nearcore charges 18n + 6 operations (block/end/else are free; loop, if, br, br_if, call,
// return cost one each)
{
  const vec = (items) => [items.length, ...items.flat()];
  const sec = (id, payload) => [id, payload.length, ...payload];
  const fBody = [0x00, 0x20, 0, 0x41, 1, 0x71, 0x04, 0x7f, 0x41, 3, 0x05, 0x41, 5, 0x0b, 0x0b];
  const runBody = [0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x45, 0x0d, 1, 0x20, 1, 0x20, 0, 0x10, 0, 0x6a, 0x21, 1,
    0x20, 0, 0x41, 1, 0x6b, 0x21, 0, 0x0c, 0, 0x0b, 0x0b, 0x20, 1, 0x0f, 0x0b];
  const mod = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sec(1, vec([[0x60, 1, 0x7f, 1, 0x7f]])), ...sec(3, vec([[0], [0]])),
    ...sec(6, vec([[0x7f, 1, 0x41, 0, 0x0b]])), ...sec(7, vec([[3, ...enc('run'), 0, 1]])),
    ...sec(10, vec([[fBody.length, ...fBody], [runBody.length, ...runBody]]))]);
  const plain = new WebAssembly.Instance(new WebAssembly.Module(mod)).exports;
  const inst = instrumentWasm(mod);
  const ex = new WebAssembly.Instance(new WebAssembly.Module(inst.bytes)).exports;
  for (const n of [0, 1, 10, 1000]) {
    const before = ex.__tk_ops.value;
    const r = ex.run(n);
    check(`instrumenter: run(${n}) result unchanged`, r === plain.run(n), `${r}`);
    check(`instrumenter: run(${n}) counts 18n+6`, ex.__tk_ops.value - before === BigInt(18 * n + 6), `${ex.__tk_ops.value - before}`);
  }
  check('instrumenter: counter global after the module\'s own', inst.global === 1);
}

// ---- metering: one record per function-call execution
const records = [];
const meter = {
  hostCall(ctx, name, a) {
    const lens = new Map([...ctx.registers].map(([k, v]) => [k, v.length]));
    const call = { name, args: a, reg: (id) => BigInt(lens.get(id) ?? 0) };
    if (name === 'promise_then' || name === 'promise_batch_then') {
      const p = ctx.promises[Number(a[0])];
      call.deps = p?.receipt ? 1 : (p?.and?.length ?? 1);
    }
    ctx.hostLog = ctx.hostLog ?? [];
    ctx.hostLog.push(call);
    const outReg = { current_account_id: 0, signer_account_id: 0, predecessor_account_id: 0, signer_account_pk: 0, input: 0,
      promise_result: 1, storage_read: 2, storage_remove: 2, storage_write: 4 }[name];
    return (ret) => {
      const regLen = (id) => ctx.registers.get(id)?.length;
      if (outReg !== undefined && (['promise_result', 'storage_read', 'storage_remove', 'storage_write'].includes(name) ? ret === 1n : true)) {
        call.written = regLen(a[outReg]);
      } else if (name.startsWith('bls12381_') && name !== 'bls12381_pairing_check' && ret === 0n) call.written = regLen(a[2]);
      if (name === 'log_utf8') call.bytes = Buffer.byteLength(ctx.logs[ctx.logs.length - 1]);
      if (name === 'value_return') call.returned = Number(a[0] === (1n << 64n) - 1n ? call.reg(a[1]) : a[0]);
    };
  },
  vmDone(ctx, { method, ops, code, error, receipts }) {
    const calls = ctx.hostLog ?? [];
    ctx.hostLog = [];
    let host = 0n, hostCalls = 0;
    const byName = new Map();
    for (const c of calls) {
      const g = hostCallGas(c).gas;
      host += g;
      hostCalls++;
      byName.set(c.name, (byName.get(c.name) ?? 0n) + g);
    }
    // a value returned to a waiting callback becomes a data receipt (per-byte fee)
    const ret = calls.find((c) => c.name === 'value_return');
    const dataBytes = ret && ctx.predecessor !== ctx.signer ? BigInt(ret.returned ?? 0) : 0n;
    const data = dataBytes * (GAS.data_receipt_creation_per_byte[1] + GAS.data_receipt_creation_per_byte[2]);
    // the weighted remainder the simple model handed out, to recover each call's static gas
    const remaining = ctx.prepaid - ctx.used - ctx.promised;
    const totalW = ctx.weighted.reduce((s, x) => s + x.weight, 0n);
    const out = [];
    for (const r of receipts) {
      const a = r.actions.find((x) => x.type === 'FunctionCall');
      if (!a) continue;
      let share = 0n;
      if (a.weight > 0n && remaining > 0n && totalW > 0n) {
        share = (remaining * a.weight) / totalW;
        if (a === ctx.weighted[ctx.weighted.length - 1]) share += remaining - ctx.weighted.reduce((s, x) => s + (remaining * x.weight) / totalW, 0n);
      }
      out.push({ receipt: r, method: a.method, static: a.gas - share, weight: a.weight ?? 0n });
    }
    records.push({ receiptId: ctx.receiptId, account: ctx.account, method, view: ctx.view, ops: BigInt(ops ?? 0), codeSize: code?.size ?? 0,
      host: host + data, hostCalls, byName, error: error ? error.message ?? j(error.kind) : null, out, prepaid: ctx.prepaid });
  },
};
const estimate = (r) => contractLoadingGas(r.codeSize) + opsGas(r.ops) + r.host;

// ---- the simulated TDX evidence (test_dao_helper, as contract_dao.mjs)
const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gas-sim-'));
process.on('exit', () => fs.rmSync(simDir, { recursive: true, force: true }));
const helper = (...args) => {
  const r = spawnSync(path.join(testBin, 'test_dao_helper'), args.map(String), { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`test_dao_helper ${args[0]}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const simPki = path.join(simDir, 'pki');
const devRoot = helper('init', simPki).dev_root;
const T0 = BigInt(Math.floor(Date.now() / 1000));
const collateral = helper('collateral', simPki, T0);
const quoteFor = (rd) => helper('quote', simPki, hex(rd));

const opts = { contractsDir, instrument: (b) => instrumentWasm(b).bytes, meter };
const chain = await makeChain('wasm', { ...opts, genesisTime: T0 * NS });
const realChain = await makeChain('wasm', { ...opts, genesisTime: T_REAL * NS });
const ROOT = 'test.near', DAO = 'dao.test.near', VER = 'verifier.test.near', CK = 'chain-keys.test.near', MPC = 'mpc.test.near';
const N1 = 'n1.test.near', ALICE = 'alice.test.near', OP = 'operator.test.near';
for (const c of [chain, realChain]) {
  c.createAccount(ROOT, { amount: 1000n * NEAR });
  c.createAccount(VER, { amount: 10n * NEAR, contract: 'verifier' });
  for (const a of [N1, ALICE, OP]) c.createAccount(a, { amount: 100n * NEAR });
}
chain.createAccount(DAO, { amount: 50n * NEAR, contract: 'dao' });
chain.createAccount(CK, { amount: 10n * NEAR, contract: 'chain_keys' });
chain.createAccount(MPC, { amount: 10n * NEAR, contract: 'mpc_signer' });

// each measured transaction: its metered receipts, in execution order
const rows = [];
const avail = new Map(); // receipt id -> the gas nearcore would give it (estimated)
function measure(label, c, tx, { top = 300n * TGAS } = {}) {
  const from = records.length;
  const out = c.call({ gas: top, ...tx });
  let fin = out;
  for (let i = 0; i < 5 && fin.status === 'Pending'; i++) { c.advance(1); fin = c.outcome(out.id); }
  const ids = new Set(fin.receipts.map((r) => r.id));
  const recs = records.slice(from).filter((r) => ids.has(r.receiptId));
  // the gas nearcore would give each receipt: the transaction's for the first, else the static
  // gas its creator attached plus its weighted share of what the creator's estimate leaves
  for (const r of recs) {
    if (!avail.has(r.receiptId)) avail.set(r.receiptId, top);
    const mine = avail.get(r.receiptId);
    const staticSum = r.out.reduce((s, o) => s + o.static, 0n);
    const rest = mine - estimate(r) - staticSum;
    const totalW = r.out.reduce((s, o) => s + o.weight, 0n);
    for (const o of r.out) {
      const share = o.weight > 0n && rest > 0n ? (rest * o.weight) / totalW : 0n;
      if (o.receipt.id !== undefined) avail.set(o.receipt.id, o.static + share);
    }
  }
  for (const r of recs) rows.push({ label, ...r, est: estimate(r), avail: avail.get(r.receiptId) });
  return fin;
}
const result = (out) => (out.status?.SuccessValue !== undefined ? JSON.parse(Buffer.from(out.status.SuccessValue, 'base64').toString() || 'null') : out.result);

// ---- verify_quote: Intel's quote at T_REAL, a simulated quote with the development root
const real = fs.readFileSync(path.join(sharedDir, 'vectors/tdx/tdx_quote'));
const realColl = JSON.parse(fs.readFileSync(path.join(sharedDir, 'vectors/tdx/tdx_quote_collateral.json'), 'utf8'));
{
  const out = measure('verify_quote (Intel quote)', realChain, { signer: ALICE, receiver: VER, method: 'verify_quote', args: { quote_hex: real.toString('hex'), collateral: realColl } });
  const v = out.result;
  check('real quote accepted (instrumented wasm)', v?.accepted === true && v.status === 'UpToDate' && v.root === 'intel', j(out.status) + j(v));
  const sq = quoteFor(new Uint8Array(64).fill(7));
  const o2 = measure('verify_quote (simulated quote)', chain, { signer: ALICE, receiver: VER, method: 'verify_quote', args: { quote_hex: sq.quote_hex, collateral, dev_root: devRoot } });
  check('sim quote accepted', o2.result?.accepted === true && o2.result.root === 'dev', j(o2.result));
}

// ---- the DAO: init, the simulated measurement set, one worker, request_key through the MPC signer
const seed = (label) => sha256(enc(`gas scenario ${label}`));
const wpub = ed25519.getPublicKey(seed('w1'));
const W1 = `ed25519:${base58.encode(wpub)}`;
const appA = BigInt('0x' + hex(seed('app'))) % bls.params.r;
const pk1 = bls.G1.ProjectivePoint.BASE.multiply(appA).toRawBytes(true);
const pk2 = bls.G2.ProjectivePoint.BASE.multiply(appA).toRawBytes(true);
const APP = { pk1: `bls12381g1:${base58.encode(pk1)}`, pk2: `bls12381g2:${base58.encode(pk2)}` };
const u64le = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; };
const reportData = (height) => Uint8Array.from([...wpub, ...sha256(Uint8Array.from([...enc('teekeys/register/v1'), ...enc(DAO), ...u64le(height), ...pk1, ...pk2]))]);
const MSK = BigInt('0x' + hex(seed('mpc master'))) % bls.params.r;
const MPK = bls.G2.ProjectivePoint.BASE.multiply(MSK);
const ok = (name, out) => { check(name, out.status && out.status.SuccessValue !== undefined, j(out.status)); return out; };
const call = (signer, receiver, method, args, deposit = 0n) => chain.call({ signer, receiver, method, args, deposit });
ok('dao new', call(ROOT, DAO, 'new', { members: [ALICE], threshold: 1, mpc_account_id: MPC, domain_id: 1, chain_keys_account_id: CK,
  verifier_account_id: VER, dev_mode: true, dev_root: devRoot, worker_ttl_ns: (3600n * NS).toString() }));
ok('chain-keys new', call(ROOT, CK, 'new', { dao_account_id: DAO }));
ok('mpc new', call(ROOT, MPC, 'new', { participants: [N1], threshold: 1, domains: [{ domain_id: 1, public_key: `bls12381g2:${base58.encode(MPK.toRawBytes(true))}` }] }));
const measurements = quoteFor(new Uint8Array(64)).measurements;
const prop = ok('propose', call(ALICE, DAO, 'propose', { kind: 'add_measurement', measurements, mode: 'shared' }));
ok('vote', call(ALICE, DAO, 'vote', { proposal_id: prop.result.id, approve: true }));
const deposit = BigInt(chain.view(DAO, 'get_config', {}).result.worker_deposit);
{
  const height = chain.height;
  const q = quoteFor(reportData(height));
  const out = measure('register_worker_key', chain, { signer: OP, receiver: DAO, method: 'register_worker_key', deposit,
    args: { public_key: W1, quote_hex: q.quote_hex, collateral, block_height: height, app_public_key: APP } });
  check('worker registered', result(out)?.registered === true, j(out.status) + j(result(out)));
}
{
  const out = measure('request_key', chain, { signer: DAO, signerPk: W1, receiver: DAO, method: 'request_key', args: { app_public_key: { AppPublicKeyPV: APP } } });
  check('request_key pending on the MPC yield', out.status === 'Pending', j(out.status));
  const req = chain.view(MPC, 'get_pending_ckd_requests', {}).result.find((r) => r.requester === DAO);
  const H = bls.G1.ProjectivePoint.fromHex(base58.decode(req.hash_point.slice(11)));
  const y = 12345n;
  const G1 = bls.G1.ProjectivePoint.BASE;
  const resp = { big_y: `bls12381g1:${base58.encode(G1.multiply(y).toRawBytes(true))}`,
    big_c: `bls12381g1:${base58.encode(H.multiply(MSK).add(G1.multiply(appA).multiply(y)).toRawBytes(true))}` };
  const r2 = measure('respond_ckd', chain, { signer: N1, receiver: MPC, method: 'respond_ckd', args: { request_id: req.id, response: resp } });
  check('respond_ckd succeeds', r2.status?.SuccessValue !== undefined || r2.status === 'Pending' || r2.result !== undefined, j(r2.status));
  let fin = chain.outcome(out.id);
  for (let i = 0; i < 5 && fin.status === 'Pending'; i++) { chain.advance(1); fin = chain.outcome(out.id); }
  check('request_key returns the MPC answer', j(fin.result) === j(resp), j(fin.status));
  // the receipts that ran after respond_ckd (the yield callback and the DAO's) belong to request_key
  const ids = new Set(fin.receipts.map((r) => r.id));
  const have = new Set(rows.map((r) => r.receiptId));
  for (const r of records) if (ids.has(r.receiptId) && !have.has(r.receiptId)) rows.push({ label: 'request_key (after respond)', ...r, est: estimate(r), avail: avail.get(r.receiptId) ?? r.prepaid });
}

// ---- the table
const tg = (g) => (Number(g) / 1e12).toFixed(2);
const lines = [];
const head = ['call', 'receipt', 'wasm ops', 'ops Tgas', 'host calls', 'host Tgas', 'load Tgas', 'total Tgas', 'gas given', 'margin', 'vs 300'];
const body = rows.filter((r) => !r.view).map((r) => [r.label, `${r.account.split('.')[0]}.${r.method}`, r.ops.toString(), tg(opsGas(r.ops)), String(r.hostCalls),
  tg(r.host), tg(contractLoadingGas(r.codeSize)), tg(r.est), tg(r.avail), tg(r.avail - r.est), tg(300n * TGAS - r.est)]);
if (markdown) {
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const b of body) lines.push(`| ${b.join(' | ')} |`);
} else {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  lines.push(head.map((h, i) => h.padEnd(w[i])).join('  '));
  for (const b of body) lines.push(b.map((x, i) => (i < 2 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  '));
}
console.log(lines.join('\n'));
for (const r of rows.filter((x) => !x.view)) {
  const top = [...r.byName].sort((a, b) => (b[1] > a[1] ? 1 : -1)).slice(0, 4).map(([n, g]) => `${n} ${tg(g)}`).join(', ');
  console.log(`  ${r.account.split('.')[0]}.${r.method}: host gas by function: ${top}`);
}

// ---- budgets
for (const r of rows.filter((x) => !x.view)) {
  check(`${r.label}: ${r.method} ran`, r.error === null && r.ops > 0n, r.error ?? '');
  check(`${r.label}: ${r.method} within the gas it is given`, r.est <= r.avail, `${tg(r.est)} > ${tg(r.avail)} Tgas`);
  if (r.method === 'verify_quote') check(`${r.label}: verify_quote ≤ 250 Tgas`, r.est <= VERIFY_LIMIT, `${tg(r.est)} Tgas`);
}
check('all calls measured', ['verify_quote', 'register_worker_key', 'on_worker_verified', 'request_key', 'request_app_private_key', 'respond_ckd']
  .every((m) => rows.some((r) => r.method === m)), j(rows.map((r) => r.method)));
console.log(`contract_gas: ${score.pass} passed, ${score.fail} failed`);
process.exit(score.fail === 0 ? 0 : 1);
