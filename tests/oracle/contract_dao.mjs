// Scenario test of the DAO (contracts/dao) and the TDX verifier (contracts/verifier) with
// chain-keys and the MPC signer stand-in deployed beside them, run against
// near_chain.mjs in either mode: `wasm` (build/contracts/*.wasm in Node's engine) or `native`
// (the C runtime's nearvm_driver). Quotes are SIMULATED (the development PKI of attest_sim.h
// through tests/test_dao_helper), the DAO runs in development mode with the simulated root, and
// the chain's clock starts inside the collateral's window; Intel's real quote
// (../shared/vectors/tdx) is checked through verify_quote too. Covers init, members, votes and
// thresholds, every proposal kind, worker registration with every refusal of DESIGN 2.3 (wrong
// caller, missing deposit, unapproved measurements, bad quote, wrong report_data binding, wrong
// app key, stale or replayed block height, key reuse), the verifier failing, renewal, expiry
// and prune, revocation, request_key answered through the MPC stand-in and register_binding
// through chain-keys (including a dedicated worker and another tenant), upgrades, malformed JSON and the NEP-297 events. Exits non-zero on any failure.
import { makeChain, ViewError } from './near_chain.mjs';
import { ed25519 } from '@noble/curves/ed25519';
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { sha256 } from '@noble/hashes/sha256';
import { sha3_256 } from '@noble/hashes/sha3';
import { base58 } from '@scure/base';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { events, j, panicOf, Score } from './lib.mjs';

const mode = process.argv[2] ?? 'wasm';
const binDir = process.env.TK_BIN_DIR ?? 'build/bin';
const testBin = process.env.TK_TEST_BIN_DIR ?? path.join(binDir, '..', 'tests');
const contractsDir = path.join(binDir, '..', 'contracts');
const sharedDir = process.env.TK_SHARED_DIR ?? '../shared';
const T_REAL = 1751000000n; // seconds: inside the real vectors' collateral window (vectors README)
const NS = 1_000_000_000n;
const TTL_S = 120n;

const score = new Score();
const { check } = score;
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const enc = (s) => new TextEncoder().encode(s);

// ---- the simulated TDX evidence
const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-dao-sim-'));
process.on('exit', () => fs.rmSync(simDir, { recursive: true, force: true }));
const helper = (...args) => {
  const r = spawnSync(path.join(testBin, 'test_dao_helper'), args.map(String), { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`test_dao_helper ${args[0]}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};
const devRoot = helper('init', path.join(simDir, 'pki')).dev_root;
const simPki = path.join(simDir, 'pki');
// the simulated PKI is valid from now on: the scenario's chain starts now, inside the window of
// the simulated collateral; Intel's real quote is checked on a second chain at T_REAL
const T0 = BigInt(Math.floor(Date.now() / 1000));
const collateral = helper('collateral', simPki, T0);

const chain = await makeChain(mode, { genesisTime: T0 * NS, contractsDir });
const realChain = await makeChain(mode, { genesisTime: T_REAL * NS, contractsDir });
const NEAR = 10n ** 24n;
const ROOT = 'test.near', DAO = 'dao.test.near', VER = 'verifier.test.near', CK = 'chain-keys.test.near', MPC = 'mpc.test.near';
const DAOB = 'dao-b.test.near', CKB = 'chain-keys-b.test.near', DAOX = 'dao-x.test.near', DAOP = 'dao-prod.test.near';
const BROKEN = 'broken-verifier.test.near';
const N1 = 'n1.test.near', ALICE = 'alice.test.near', BOB = 'bob.test.near', CAROL = 'carol.test.near', DAVE = 'dave.test.near', MALLORY = 'mallory.test.near', OP = 'operator.test.near';
chain.createAccount(ROOT, { amount: 1000n * NEAR });
chain.createAccount(VER, { amount: 10n * NEAR, contract: 'verifier' });
chain.createAccount(BROKEN, { amount: 10n * NEAR, contract: 'nearvm_test' }); // has no verify_quote
for (const d of [DAO, DAOB, DAOX, DAOP]) chain.createAccount(d, { amount: 50n * NEAR, contract: 'dao' });
chain.createAccount(CK, { amount: 10n * NEAR, contract: 'chain_keys' });
chain.createAccount(CKB, { amount: 10n * NEAR, contract: 'chain_keys' });
chain.createAccount(MPC, { amount: 10n * NEAR, contract: 'mpc_signer' });
for (const a of [N1, ALICE, BOB, CAROL, DAVE, MALLORY, OP]) chain.createAccount(a, { amount: 100n * NEAR });

const ok = (name, out) => {
  check(name, out.status && out.status.SuccessValue !== undefined, j(out.status) + ' ' + j(out.receipts?.map((r) => [r.receiver, r.method, r.status])));
  return out;
};
const refused = (name, out, re) => {
  const m = panicOf(out);
  check(name, m !== null && re.test(m), m ?? j(out.status));
  check(`${name} emits nothing`, out.logs.filter((l) => l.startsWith('EVENT_JSON:')).length === 0, j(out.logs));
};
const eventsOf = (out, name) => events(out).filter((e) => e.standard === 'teekeys-dao' && e.version === '1.0.0' && e.event === name);
const call = (signer, receiver, method, args, deposit = 0n, extra = {}) => chain.call({ signer, receiver, method, args, deposit, ...extra });
const view = (acct, method, args = {}) => chain.view(acct, method, args).result;
const viewErr = (name, acct, method, args, re) => {
  try { chain.view(acct, method, args); check(name, false, 'no error'); } catch (e) { check(name, e instanceof ViewError && re.test(e.message), e.message); }
};
const amountOf = (a) => chain.account(a).amount;

// ---- keys
const seed = (label) => sha256(enc(`dao scenario ${label}`));
function workerKey(label) {
  const pub = ed25519.getPublicKey(seed(label));
  return { pub, str: `ed25519:${base58.encode(pub)}` };
}
function appKey(label) {
  const a = BigInt('0x' + hex(seed(`app ${label}`))) % bls.params.r;
  const pk1 = bls.G1.ProjectivePoint.BASE.multiply(a).toRawBytes(true);
  const pk2 = bls.G2.ProjectivePoint.BASE.multiply(a).toRawBytes(true);
  return { a, pk1, pk2, json: { pk1: `bls12381g1:${base58.encode(pk1)}`, pk2: `bls12381g2:${base58.encode(pk2)}` } };
}
const u64le = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; };
function reportData(w, dao, height, app) {
  const bind = sha256(Uint8Array.from([...enc('teekeys/register/v1'), ...enc(dao), ...u64le(height), ...app.pk1, ...app.pk2]));
  return Uint8Array.from([...w.pub, ...bind]);
}
// the keystore's report_data (teekeys' C code) must equal this scenario's own computation
{
  const w = workerKey('x'), app = appKey('x');
  const c = helper('report_data', hex(w.pub), DAO, 12345, hex(app.pk1), hex(app.pk2)).report_data;
  check('report_data: C and JS agree', c === hex(reportData(w, DAO, 12345, app)), c);
}
const quoteFor = (rd) => helper('quote', simPki, hex(rd));
function registration(w, app, { dao = DAO, height = chain.height, rdOverride = null, quoteHex = null } = {}) {
  const q = quoteFor(rdOverride ?? reportData(w, dao, height, app));
  return { args: { public_key: w.str, quote_hex: quoteHex ?? q.quote_hex, collateral, block_height: height, app_public_key: app.json }, q };
}
const simMeasurements = quoteFor(new Uint8Array(64)).measurements;

// ---- the verifier contract
const real = fs.readFileSync(path.join(sharedDir, 'vectors/tdx/tdx_quote'));
const realColl = JSON.parse(fs.readFileSync(path.join(sharedDir, 'vectors/tdx/tdx_quote_collateral.json'), 'utf8'));
realChain.createAccount(ROOT, { amount: 1000n * NEAR });
realChain.createAccount(VER, { amount: 10n * NEAR, contract: 'verifier' });
for (const a of [ALICE, OP]) realChain.createAccount(a, { amount: 100n * NEAR });
const rview = (acct, method, args = {}) => realChain.view(acct, method, args).result;
const rcall = (signer, receiver, method, args, deposit = 0n) => realChain.call({ signer, receiver, method, args, deposit });
{
  const v = rview(VER, 'verify_quote', { quote_hex: real.toString('hex'), collateral: realColl });
  const body = (off, len) => real.subarray(48 + off, 48 + off + len).toString('hex');
  check('real quote: UpToDate with Intel\'s root', v.accepted === true && v.status === 'UpToDate' && v.root === 'intel' && v.reason === null &&
    v.dev_root_sha256 === null && v.time === Number(T_REAL), j(v));
  check('real quote: measured fields', v.mrtd === body(136, 48) && v.rtmr0 === body(328, 48) && v.rtmr1 === body(376, 48) &&
    v.rtmr2 === body(424, 48) && v.rtmr3 === body(472, 48) && v.report_data === body(520, 64) && v.td_attributes === body(120, 8) &&
    v.fmspc === 'b0c06f000000' && Array.isArray(v.advisory_ids), j(v));
  check('verdict fields', j(Object.keys(v)) === j(['accepted', 'status', 'advisory_ids', 'root', 'platform_status', 'qe_status', 'tdx_module_status',
    'fmspc', 'valid_from', 'valid_until', 'mrtd', 'rtmr0', 'rtmr1', 'rtmr2', 'rtmr3', 'report_data', 'td_attributes', 'xfam', 'mrconfigid',
    'mrowner', 'mrownerconfig', 'mrseam', 'tee_tcb_svn', 'reason', 'dev_root_sha256', 'time']), j(Object.keys(v)));
  // the collateral as a JSON string, and the same call as a transaction (a verdict, not a failure)
  const asString = rview(VER, 'verify_quote', { quote_hex: real.toString('hex'), collateral: JSON.stringify(realColl) });
  check('collateral as a string', asString.accepted === true && asString.mrtd === v.mrtd);
  const flipped = Buffer.from(real); flipped[48 + 520] ^= 1; // report_data: the quote signature breaks
  const bad = ok('flipped bit: a verdict, not a failed receipt', rcall(ALICE, VER, 'verify_quote', { quote_hex: flipped.toString('hex'), collateral: realColl }));
  check('flipped bit: not accepted', bad.result.accepted === false && typeof bad.result.reason === 'string' && bad.result.reason.length > 0, j(bad.result));
  const sgx = rview(VER, 'verify_quote', { quote_hex: fs.readFileSync(path.join(sharedDir, 'vectors/tdx/sgx_quote')).toString('hex'), collateral: realColl });
  check('SGX quote refused', sgx.accepted === false && sgx.status === null && sgx.root === 'none', j(sgx));
  // simulated quotes: only with the development root, which the verdict names by hash
  const sq = quoteFor(new Uint8Array(64).fill(7));
  const dev = view(VER, 'verify_quote', { quote_hex: sq.quote_hex, collateral, dev_root: devRoot });
  check('sim quote with the dev root', dev.accepted === true && dev.status === 'UpToDate' && dev.root === 'dev' &&
    dev.dev_root_sha256 === hex(sha256(unhex(devRoot))) && dev.report_data === '07'.repeat(64) && dev.mrtd === sq.measurements.mrtd, j(dev));
  const noDev = view(VER, 'verify_quote', { quote_hex: sq.quote_hex, collateral });
  check('sim quote without the dev root', noDev.accepted === false && noDev.root !== 'dev' && noDev.dev_root_sha256 === null, j(noDev));
  const realDev = rview(VER, 'verify_quote', { quote_hex: real.toString('hex'), collateral: realColl, dev_root: devRoot });
  check('real quote against the dev root', realDev.accepted === false, j(realDev));
  // time comes from the block: the scenario's chain runs today, past the real collateral's window
  const lv = view(VER, 'verify_quote', { quote_hex: real.toString('hex'), collateral: realColl });
  check('real quote after its window', lv.accepted === false && lv.time === Number(T0) && typeof lv.reason === 'string', j(lv));
  for (const [name, args, re] of [
    ['no quote', { collateral: realColl }, /missing string argument: quote_hex/],
    ['quote not hex', { quote_hex: 'zz', collateral: realColl }, /quote_hex must be hex/],
    ['quote odd length', { quote_hex: 'abc', collateral: realColl }, /even number of hex digits/],
    ['no collateral', { quote_hex: 'abcd' }, /collateral must be an object/],
    ['collateral a number', { quote_hex: 'abcd', collateral: 5 }, /collateral must be an object/],
    ['dev_root not hex', { quote_hex: 'abcd', collateral: realColl, dev_root: 'root' }, /dev_root/],
    ['unknown argument', { quote_hex: 'abcd', collateral: realColl, now: 1 }, /unknown argument: now/],
  ]) refused(`verify_quote: ${name}`, call(ALICE, VER, 'verify_quote', args), re);
  refused('verify_quote: truncated JSON', call(ALICE, VER, 'verify_quote', '{"quote_hex":'), /invalid JSON arguments/);
  refused('verify_quote: deposit', call(ALICE, VER, 'verify_quote', { quote_hex: 'abcd', collateral: realColl }, 1n), /does not accept an attached deposit/);
  const garbage = ok('garbage quote bytes', call(ALICE, VER, 'verify_quote', { quote_hex: 'abcd', collateral: realColl }));
  check('garbage quote: not accepted', garbage.result.accepted === false && garbage.result.status === null, j(garbage.result));
}

// ---- DAO init
const initArgs = (extra = {}) => ({
  members: [ALICE, BOB, CAROL], threshold: 2, mpc_account_id: MPC, domain_id: 1, chain_keys_account_id: CK,
  verifier_account_id: VER, dev_mode: true, dev_root: devRoot, worker_ttl_ns: (TTL_S * NS).toString(), ...extra,
});
refused('new before: call', call(ALICE, DAO, 'get_config', {}), /not initialized/);
refused('new by a stranger', call(MALLORY, DAO, 'new', initArgs()), /only by the contract account or its parent/);
for (const [name, extra, re] of [
  ['threshold 0', { threshold: 0 }, /threshold must be an integer from 1/],
  ['threshold above members', { threshold: 4 }, /threshold must be an integer from 1/],
  ['duplicate member', { members: [ALICE, ALICE] }, /duplicate member/],
  ['bad member', { members: ['Alice'] }, /valid NEAR account id/],
  ['no members', { members: [] }, /members must be an array/],
  ['dev_mode without root', { dev_root: undefined }, /dev_mode needs dev_root/],
  ['dev_root without dev_mode', { dev_mode: false }, /only accepted with dev_mode/],
  ['dev_root uppercase', { dev_root: devRoot.toUpperCase() }, /dev_root must be lowercase hex/],
  ['bad mpc account', { mpc_account_id: 'MPC' }, /invalid NEAR account id in mpc_account_id/],
  ['domain_id string', { domain_id: '1' }, /domain_id must be an unsigned integer/],
  ['ttl too short', { worker_ttl_ns: '1000' }, /worker_ttl_ns/],
  ['window 0', { block_window: 0 }, /block_window/],
  ['unknown argument', { owner: ALICE }, /unknown argument: owner/],
]) refused(`new: ${name}`, call(ROOT, DAO, 'new', initArgs(extra)), re);
{
  const out = ok('new', call(ROOT, DAO, 'new', initArgs()));
  const ev = eventsOf(out, 'init');
  check('init event', ev.length === 1 && j(ev[0].data[0]) === j({ members: [ALICE, BOB, CAROL], threshold: 2, mpc_account_id: MPC, domain_id: 1,
    chain_keys_account_id: CK, verifier_account_id: VER, dev_mode: true }), j(ev));
  refused('new twice', call(DAO, DAO, 'new', initArgs()), /already initialized/);
  const cfg = view(DAO, 'get_config');
  check('get_config', cfg.dev_mode === true && cfg.dev_root_sha256 === hex(sha256(unhex(devRoot))) && cfg.threshold === 2 &&
    cfg.mpc_account_id === MPC && cfg.domain_id === 1 && cfg.verifier_account_id === VER && cfg.chain_keys_account_id === CK &&
    cfg.worker_ttl_ns === (TTL_S * NS).toString() && cfg.block_window === 600 && cfg.pending_upgrade_code_hash === null &&
    BigInt(cfg.worker_deposit) === BigInt(cfg.worker_allowance) + 2000n * 10n ** 19n, j(cfg));
  check('get_members', j(view(DAO, 'get_members')) === j({ members: [ALICE, BOB, CAROL], threshold: 2 }));
  check('no access keys on the DAO', chain.account(DAO).keys.length === 0);
}
const WORKER_DEPOSIT = BigInt(view(DAO, 'get_config').worker_deposit);
// dev mode is off by default
ok('new (production DAO)', call(ROOT, DAOP, 'new', initArgs({ dev_mode: undefined, dev_root: undefined, members: [ALICE], threshold: 1 })));
check('dev mode off by default', view(DAOP, 'get_config').dev_mode === false && view(DAOP, 'get_config').dev_root_sha256 === null);
ok('new (DAO with a broken verifier)', call(ROOT, DAOX, 'new', initArgs({ verifier_account_id: BROKEN, members: [ALICE], threshold: 1 })));
ok('new (DAO B)', call(ROOT, DAOB, 'new', initArgs({ members: [ALICE], threshold: 1, chain_keys_account_id: CKB })));
ok('chain-keys new', call(ROOT, CK, 'new', { dao_account_id: DAO }));
ok('chain-keys B new', call(ROOT, CKB, 'new', { dao_account_id: DAOB }));
// the MPC stand-in: one participant, domain 1 with a known master key
const G1 = bls.G1.ProjectivePoint;
const MSK = BigInt('0x' + hex(seed('mpc master'))) % bls.params.r;
const MPK = bls.G2.ProjectivePoint.BASE.multiply(MSK);
const APPID_SHARED = sha3_256(enc(`near-mpc v0.1.0 app_id derivation:${DAO},teekeys/master/v1`));
ok('mpc new', call(ROOT, MPC, 'new', { participants: [N1], threshold: 1, domains: [{ domain_id: 1, public_key: `bls12381g2:${base58.encode(MPK.toRawBytes(true))}` }] }));

// ---- proposals and votes
const propose = (who, args, dao = DAO) => call(who, dao, 'propose', args);
const vote = (who, id, approve, dao = DAO) => call(who, dao, 'vote', { proposal_id: id, approve });
const addSim = { kind: 'add_measurement', measurements: simMeasurements, mode: 'shared', note: 'simulated keystore' };
for (const [name, args, re] of [
  ['unknown kind', { kind: 'mint' }, /unknown proposal kind/],
  ['no kind', { measurements: simMeasurements }, /missing string argument: kind/],
  ['shared with owner', { ...addSim, owner: ALICE }, /shared measurement set has no owner/],
  ['dedicated without owner', { ...addSim, mode: 'dedicated' }, /dedicated measurement set needs its owner/],
  ['bad mode', { ...addSim, mode: 'both' }, /mode must be/],
  ['rtmr3 missing', { ...addSim, measurements: { ...simMeasurements, rtmr3: undefined } }, /measurements.rtmr3 must be 96 lowercase hex/],
  ['rtmr alone', { ...addSim, measurements: { rtmr3: simMeasurements.rtmr3 } }, /measurements.mrtd must be/],
  ['uppercase hex', { ...addSim, measurements: { ...simMeasurements, mrtd: simMeasurements.mrtd.toUpperCase() } }, /mrtd must be 96 lowercase/],
  ['extra register', { ...addSim, measurements: { ...simMeasurements, rtmr4: simMeasurements.rtmr3 } }, /unknown field rtmr4/],
  ['field of another kind', { ...addSim, member_id: DAVE }, /unknown field member_id/],
  ['remove unknown set', { kind: 'remove_measurement', measurements: simMeasurements }, /not approved/],
  ['add an existing member', { kind: 'add_member', member_id: BOB }, /already a member/],
  ['remove a stranger', { kind: 'remove_member', member_id: DAVE }, /not a member/],
  ['threshold above members', { kind: 'set_threshold', threshold: 4 }, /exceeds the number of members/],
  ['empty upgrade', { kind: 'upgrade', note: 'nothing' }, /names a code_hash/],
  ['bad code hash', { kind: 'upgrade', code_hash: 'xyz' }, /code_hash must be the SHA-256/],
  ['note too long', { kind: 'add_member', member_id: DAVE, note: 'x'.repeat(1025) }, /note must be a string of at most 1024/],
]) refused(`propose: ${name}`, propose(ALICE, args), re);
refused('propose by a non-member', propose(MALLORY, addSim), /only DAO members.*mallory/);
refused('propose with a deposit', call(ALICE, DAO, 'propose', addSim, 1n), /does not accept an attached deposit/);

// registration before the measurement set is approved: refused in the callback, deposit refunded
const W1 = workerKey('w1'), APP1 = appKey('w1');
{
  const before = amountOf(OP);
  const out = ok('register with unapproved measurements', call(OP, DAO, 'register_worker_key', registration(W1, APP1).args, WORKER_DEPOSIT));
  check('unapproved measurements refused', out.result?.registered === false && /not approved/.test(out.result.reason), j(out.result));
  check('unapproved: deposit refunded', amountOf(OP) === before, `${before - amountOf(OP)}`);
  const ev = eventsOf(out, 'worker_rejected');
  check('worker_rejected event', ev.length === 1 && ev[0].data[0].public_key === W1.str && ev[0].data[0].refund === WORKER_DEPOSIT.toString(), j(ev));
  check('unapproved: no worker', view(DAO, 'get_worker', { public_key: W1.str }) === null && chain.account(DAO).keys.length === 0);
}

let pid;
{
  const out = ok('propose add_measurement', propose(ALICE, addSim));
  pid = out.result.id;
  check('proposal record', out.result.status === 'open' && out.result.proposer === ALICE && out.result.proposal.kind === 'add_measurement' &&
    j(out.result.proposal.measurements) === j(simMeasurements) && out.result.proposal.mode === 'shared' && out.result.proposal.owner === null, j(out.result));
  check('proposal_created event', eventsOf(out, 'proposal_created')[0]?.data[0]?.id === pid);
  const v1 = ok('vote alice', vote(ALICE, pid, true));
  check('one approval: still open', v1.result.status === 'open' && j(v1.result.approvals) === j([ALICE]));
  check('vote event', j(eventsOf(v1, 'vote')[0]?.data[0]) === j({ proposal_id: pid, voter: ALICE, approve: true }));
  refused('vote twice', vote(ALICE, pid, false), /already voted/);
  refused('vote by a non-member', vote(MALLORY, pid, true), /only DAO members/);
  refused('vote on a missing proposal', vote(BOB, 999, true), /no such proposal/);
  refused('vote with a bad approve', call(BOB, DAO, 'vote', { proposal_id: pid, approve: 'yes' }), /approve must be a boolean/);
  check('not approved yet', view(DAO, 'is_approved', { measurements: simMeasurements }) === false);
  const v2 = ok('vote bob', vote(BOB, pid, true));
  check('threshold reached: approved', v2.result.status === 'approved', j(v2.result));
  const added = eventsOf(v2, 'measurement_added');
  check('measurement_added event', added.length === 1 && added[0].data[0].mode === 'shared' && j(added[0].data[0].measurements) === j(simMeasurements) &&
    added[0].data[0].proposal_id === pid && added[0].data[0].id === hex(sha256(unhex(Object.values(simMeasurements).join('')))), j(added));
  check('proposal_closed event', eventsOf(v2, 'proposal_closed')[0]?.data[0]?.status === 'approved');
  refused('vote on a closed proposal', vote(CAROL, pid, true), /no longer open/);
  check('is_approved', view(DAO, 'is_approved', { measurements: simMeasurements }) === true);
  check('is_approved other set', view(DAO, 'is_approved', { measurements: { ...simMeasurements, rtmr3: '00'.repeat(48) } }) === false);
  const ms = view(DAO, 'get_measurements');
  check('get_measurements', ms.length === 1 && ms[0].mode === 'shared' && ms[0].note === 'simulated keystore' && ms[0].owner === null, j(ms));
  refused('propose the same set again', propose(ALICE, addSim), /already approved/);
  viewErr('is_approved with bad hex', DAO, 'is_approved', { measurements: { mrtd: 'x' } }, /must be 96 lowercase hex/);
}
{
  // rejection: 3 members, threshold 2: two rejections close it
  const id = ok('propose add_member', propose(BOB, { kind: 'add_member', member_id: DAVE, note: 'not yet' })).result.id;
  ok('reject alice', vote(ALICE, id, false));
  const r = ok('reject carol', vote(CAROL, id, false));
  check('rejected', r.result.status === 'rejected' && j(r.result.rejections) === j([ALICE, CAROL]), j(r.result));
  check('dave not a member', !view(DAO, 'get_members').members.includes(DAVE));
  // add dave, then threshold 3, then remove dave with three votes
  const id2 = ok('propose add_member again', propose(BOB, { kind: 'add_member', member_id: DAVE })).result.id;
  ok('approve alice', vote(ALICE, id2, true));
  const a = ok('approve bob', vote(BOB, id2, true));
  check('member_added', eventsOf(a, 'member_added')[0]?.data[0]?.member_id === DAVE && view(DAO, 'get_members').members.includes(DAVE));
  const id3 = ok('propose set_threshold 3', propose(DAVE, { kind: 'set_threshold', threshold: 3 })).result.id;
  ok('approve dave', vote(DAVE, id3, true));
  const t = ok('approve carol', vote(CAROL, id3, true));
  check('threshold_set', eventsOf(t, 'threshold_set')[0]?.data[0]?.threshold === 3 && view(DAO, 'get_members').threshold === 3);
  const id4 = ok('propose remove_member dave', propose(ALICE, { kind: 'remove_member', member_id: DAVE })).result.id;
  ok('remove: alice', vote(ALICE, id4, true));
  check('remove: two of three is not enough', ok('remove: bob', vote(BOB, id4, true)).result.status === 'open');
  // a proposal that became inapplicable fails when approved (4 members, threshold 3: removing two
  // members one after the other)
  const id5 = ok('propose remove_member carol', propose(ALICE, { kind: 'remove_member', member_id: CAROL })).result.id;
  const rm = ok('remove: carol', vote(CAROL, id4, true));
  check('member_removed', eventsOf(rm, 'member_removed')[0]?.data[0]?.member_id === DAVE && !view(DAO, 'get_members').members.includes(DAVE));
  ok('remove carol: alice', vote(ALICE, id5, true));
  ok('remove carol: bob', vote(BOB, id5, true));
  const f = ok('remove carol: carol', vote(CAROL, id5, true));
  check('inapplicable proposal fails', f.result.status === 'failed' && /fewer members than the threshold/.test(f.result.result), j(f.result));
  check('carol still a member', view(DAO, 'get_members').members.includes(CAROL));
  refused('removed member cannot vote', vote(DAVE, id5, true), /only DAO members/);
  const id6 = ok('propose set_threshold 2', propose(ALICE, { kind: 'set_threshold', threshold: 2 })).result.id;
  for (const m of [ALICE, BOB, CAROL]) ok(`threshold 2: ${m}`, vote(m, id6, true));
  check('threshold back to 2', view(DAO, 'get_members').threshold === 2);
  const all = view(DAO, 'get_proposals');
  check('get_proposals', all.map((p) => `${p.id}:${p.status}`).join() ===
    '0:approved,1:rejected,2:approved,3:approved,4:approved,5:failed,6:approved', j(all.map((p) => [p.id, p.status])));
  check('get_proposals page', j(view(DAO, 'get_proposals', { from_index: 2, limit: 2 }).map((p) => p.id)) === j([2, 3]));
  check('get_proposal', view(DAO, 'get_proposal', { proposal_id: 1 }).status === 'rejected' && view(DAO, 'get_proposal', { proposal_id: 99 }) === null);
}

// ---- worker registration (development mode, simulated quotes)
let w1reg;
{
  chain.advance(610); // room for a block height older than the window
  const reg = registration(W1, APP1);
  for (const [name, args, dep, re] of [
    ['no deposit', reg.args, 0n, /attached deposit of at least/],
    ['deposit one short', reg.args, WORKER_DEPOSIT - 1n, /attached deposit of at least/],
    ['stale block height', { ...reg.args, block_height: chain.height - 601 }, WORKER_DEPOSIT, /older than the DAO's window of 600/],
    ['future block height', { ...reg.args, block_height: chain.height + 1000 }, WORKER_DEPOSIT, /in the future/],
    ['secp256k1 worker key', { ...reg.args, public_key: `secp256k1:${base58.encode(new Uint8Array(64).fill(1))}` }, WORKER_DEPOSIT, /ed25519/],
    ['quote not hex', { ...reg.args, quote_hex: 'xy' }, WORKER_DEPOSIT, /quote_hex must be the quote as hex/],
    ['app key as a string', { ...reg.args, app_public_key: APP1.json.pk1 }, WORKER_DEPOSIT, /app_public_key must be an object/],
    ['app key pk2 too short', { ...reg.args, app_public_key: { pk1: APP1.json.pk1, pk2: APP1.json.pk1.replace('g1', 'g2') } }, WORKER_DEPOSIT, /pk2 must be bls12381g2/],
    ['no collateral', { ...reg.args, collateral: undefined }, WORKER_DEPOSIT, /collateral must be/],
    ['unknown argument', { ...reg.args, mode: 'dedicated' }, WORKER_DEPOSIT, /unknown argument: mode/],
  ]) {
    const before = amountOf(OP);
    refused(`register: ${name}`, call(OP, DAO, 'register_worker_key', args, dep), re);
    check(`register: ${name}: deposit back`, amountOf(OP) === before);
  }
  refused('register: truncated JSON', call(OP, DAO, 'register_worker_key', '{"public_key":', WORKER_DEPOSIT), /invalid JSON arguments/);
  refused('register: duplicate key', call(OP, DAO, 'register_worker_key', '{"public_key":"a","public_key":"b"}', WORKER_DEPOSIT), /duplicate key/);
  // refusals in the callback: each refunds the whole deposit
  const W9 = workerKey('w9'), APP9 = appKey('w9');
  const flip = (h, byte) => { const b = Buffer.from(h, 'hex'); b[byte] ^= 0x01; return b.toString('hex'); };
  for (const [name, make, re] of [
    ['bad quote (flipped bit)', () => registration(W9, APP9, { quoteHex: flip(registration(W9, APP9).args.quote_hex, 48 + 520 + 40) }).args, /not accepted/],
    ['report_data for another key', () => registration(W9, APP9, { rdOverride: reportData(W1, DAO, chain.height, APP9) }).args, /report_data\[0\.\.32\] is not the worker public key/],
    ['report_data for another DAO', () => registration(W9, APP9, { rdOverride: reportData(W9, DAOB, chain.height, APP9) }).args, /report_data\[32\.\.64\] does not bind/],
    ['report_data for another height', () => { const h = chain.height; const r = registration(W9, APP9, { rdOverride: reportData(W9, DAO, h - 1, APP9) }); return { ...r.args, block_height: h }; }, /report_data\[32\.\.64\] does not bind/],
    ['wrong app key', () => ({ ...registration(W9, APP9).args, app_public_key: appKey('other').json }), /report_data\[32\.\.64\] does not bind/],
  ]) {
    const before = amountOf(OP);
    const out = ok(`callback: ${name}`, call(OP, DAO, 'register_worker_key', make(), WORKER_DEPOSIT));
    check(`callback: ${name}: refused`, out.result?.registered === false && re.test(out.result.reason), j(out.result));
    check(`callback: ${name}: refunded`, amountOf(OP) === before, `${before - amountOf(OP)}`);
    check(`callback: ${name}: event`, eventsOf(out, 'worker_rejected').length === 1 && eventsOf(out, 'worker_registered').length === 0);
  }
  check('no worker after refusals', view(DAO, 'get_workers').length === 0 && chain.account(DAO).keys.length === 0);
  // the verifier's receipt fails: the callback sees a failed promise result and refunds
  {
    const ok1 = ok('approve sim set on dao-x', propose(ALICE, addSim, DAOX));
    ok('dao-x vote', vote(ALICE, ok1.result.id, true, DAOX));
    const before = amountOf(OP);
    const out = ok('verifier fails', call(OP, DAOX, 'register_worker_key', registration(W9, APP9, { dao: DAOX }).args, WORKER_DEPOSIT));
    check('verifier fails: refused', out.result?.registered === false && /verifier contract failed/.test(out.result.reason), j(out.result));
    check('verifier fails: refunded', amountOf(OP) === before);
    check('verifier fails: the verifier receipt failed', out.receipts.some((r) => r.receiver === BROKEN && r.status.Failure), j(out.receipts.map((r) => [r.receiver, r.status])));
  }
  // production mode: Intel's root is required; simulated quotes are refused, the real quote passes
  // the root and measurement checks and stops at report_data
  {
    const p = ok('prod: approve sim set', propose(ALICE, addSim, DAOP));
    ok('prod: vote', vote(ALICE, p.result.id, true, DAOP));
    const out = ok('prod: sim quote', call(OP, DAOP, 'register_worker_key', registration(W9, APP9, { dao: DAOP }).args, WORKER_DEPOSIT));
    check('prod: sim quote refused', out.result?.registered === false && /not accepted/.test(out.result.reason), j(out.result));
  }
  // Intel's real quote on the chain at T_REAL: a production DAO passes its root and
  // measurement checks and stops at report_data (the vector binds no teekeys worker); a
  // development DAO refuses it because the verdict does not name its development root
  {
    for (const d of [DAOP, DAOB]) realChain.createAccount(d, { amount: 50n * NEAR, contract: 'dao' });
    ok('real chain: prod DAO', rcall(ROOT, DAOP, 'new', initArgs({ dev_mode: undefined, dev_root: undefined, members: [ALICE], threshold: 1 })));
    ok('real chain: dev DAO', rcall(ROOT, DAOB, 'new', initArgs({ members: [ALICE], threshold: 1 })));
    const rv = rview(VER, 'verify_quote', { quote_hex: real.toString('hex'), collateral: realColl });
    const realSet = { mrtd: rv.mrtd, rtmr0: rv.rtmr0, rtmr1: rv.rtmr1, rtmr2: rv.rtmr2, rtmr3: rv.rtmr3 };
    const args = () => ({ public_key: W9.str, quote_hex: real.toString('hex'), collateral: realColl, block_height: realChain.height, app_public_key: APP9.json });
    const o1 = ok('prod: real quote, set not approved', rcall(OP, DAOP, 'register_worker_key', args(), WORKER_DEPOSIT));
    check('prod: real quote, set not approved: refused', /not approved/.test(o1.result?.reason ?? ''), j(o1.result));
    for (const d of [DAOP, DAOB]) {
      const p2 = ok(`real set on ${d}`, rcall(ALICE, d, 'propose', { kind: 'add_measurement', measurements: realSet, mode: 'dedicated', owner: ALICE }));
      ok(`real set on ${d}: vote`, rcall(ALICE, d, 'vote', { proposal_id: p2.result.id, approve: true }));
    }
    const o2 = ok('prod: real quote', rcall(OP, DAOP, 'register_worker_key', args(), WORKER_DEPOSIT));
    check('prod: real quote passes root and measurements', /report_data\[0\.\.32\]/.test(o2.result?.reason ?? ''), j(o2.result));
    const o3 = ok('dev: real quote', rcall(OP, DAOB, 'register_worker_key', args(), WORKER_DEPOSIT));
    check('dev: Intel root refused in development mode', /not accepted|development root/.test(o3.result?.reason ?? ''), j(o3.result));
    realChain.close();
  }

  // the happy path
  w1reg = registration(W1, APP1);
  const opBefore = amountOf(OP);
  const usage0 = chain.account(DAO).storage_usage;
  const out = ok('register_worker_key', call(OP, DAO, 'register_worker_key', w1reg.args, WORKER_DEPOSIT + 5n * NEAR));
  check('registered', out.result?.registered === true && out.result.renewed === false, j(out.result));
  const w = out.result.worker;
  const now = BigInt(out.receipts.find((r) => r.method === 'on_worker_verified')?.block_height ?? 0);
  check('worker record', w && w.public_key === W1.str && j(w.measurements) === j(simMeasurements) && w.mode === 'shared' && w.owner === null &&
    w.app_key_hash === hex(sha256(Uint8Array.from([...APP1.pk1, ...APP1.pk2]))) && w.block_height === w1reg.args.block_height &&
    w.operator === OP && BigInt(w.expires_at) - BigInt(w.registered_at) === TTL_S * NS && w.verified_at === w.registered_at &&
    BigInt(w.registered_at) === T0 * NS + (now - 1n) * NS, j(w));
  check('excess deposit refunded', amountOf(OP) === opBefore - WORKER_DEPOSIT, `${opBefore - amountOf(OP)}`);
  check('worker_registered event', j(eventsOf(out, 'worker_registered')[0]?.data[0]) === j(w));
  check('get_worker', j(view(DAO, 'get_worker', { public_key: W1.str })) === j(w));
  check('get_workers', j(view(DAO, 'get_workers')) === j([w]));
  const keys = chain.account(DAO).keys;
  check('function-call key added', keys.length === 1 && keys[0].public_key === W1.str &&
    j(keys[0].access_key.permission) === j({ FunctionCall: { allowance: view(DAO, 'get_config').worker_allowance, receiver_id: DAO, method_names: ['request_key', 'register_binding'] } }), j(keys));
  const grown = chain.account(DAO).storage_usage - usage0;
  check('storage within what the deposit covers', grown > 0 && grown <= 2000, grown);
  viewErr('get_worker bad key', DAO, 'get_worker', { public_key: 'ed25519:abc' }, /ed25519/);
  // replays
  refused('replay: the same registration again', call(OP, DAO, 'register_worker_key', w1reg.args, WORKER_DEPOSIT), /not newer than the worker's last registration/);
}

// ---- request_key and register_binding, signed by the worker's access key
const asWorker = (w, method, args, extra = {}) => chain.call({ signer: DAO, signerPk: w.str, receiver: DAO, method, args, ...extra });
{
  refused('request_key by another account', call(OP, DAO, 'request_key', { app_public_key: { AppPublicKeyPV: APP1.json } }), /only by the DAO account itself/);
  const stranger = workerKey('stranger');
  const noKey = chain.call({ signer: DAO, signerPk: stranger.str, receiver: DAO, method: 'request_key', args: {} });
  check('request_key with an unknown key: no access key', noKey.status?.Failure?.InvalidTxError?.InvalidAccessKeyError?.AccessKeyNotFound !== undefined, j(noKey.status));
  const other = asWorker(W1, 'propose', addSim);
  check('worker key limited to its methods', other.status?.Failure?.InvalidTxError?.InvalidAccessKeyError?.MethodNameMismatch?.method_name === 'propose', j(other.status));
  refused('request_key: plain app key', asWorker(W1, 'request_key', { app_public_key: APP1.json.pk1 }), /only the publicly verifiable app key form/);
  refused('request_key: AppPublicKey form', asWorker(W1, 'request_key', { app_public_key: { AppPublicKey: APP1.json.pk1 } }), /only the publicly verifiable/);
  refused('request_key: bare pair', asWorker(W1, 'request_key', { app_public_key: APP1.json }), /only the publicly verifiable/);
  refused('request_key: another app key', asWorker(W1, 'request_key', { app_public_key: { AppPublicKeyPV: appKey('other').json } }), /not the one the worker's quote bound/);
  refused('request_key: a path of its own choosing', asWorker(W1, 'request_key', { app_public_key: { AppPublicKeyPV: APP1.json }, derivation_path: 'bob.test.near:keystore' }), /unknown argument: derivation_path/);
  refused('request_key: malformed JSON', asWorker(W1, 'request_key', '{"app_public_key":{'), /invalid JSON arguments/);
  const out = asWorker(W1, 'request_key', { app_public_key: { AppPublicKeyPV: APP1.json } });
  const ev = eventsOf(out, 'key_requested');
  check('key_requested event', ev.length === 1 && j(ev[0].data[0]) === j({ worker: W1.str, derivation_path: 'teekeys/master/v1', mpc_account_id: MPC, domain_id: 1 }), j(out.logs));
  const toMpc = out.receipts.find((r) => r.receiver === MPC);
  check('request_key forwards to the MPC contract', toMpc && toMpc.method === 'request_app_private_key' && toMpc.predecessor === DAO, j(out.receipts.map((r) => [r.receiver, r.method])));
  // the MPC stand-in holds the request (a yield) until a participant answers it
  check('request_key: pending on the MPC yield', out.status === 'Pending', j(out.status));
  const req = view(MPC, 'get_pending_ckd_requests', {}).find((r) => r.requester === DAO);
  const H = G1.fromAffine(bls.G1.hashToCurve(Uint8Array.from([...MPK.toRawBytes(true), ...APPID_SHARED]), { DST: 'NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_' }).toAffine());
  check('MPC request: the DAO, the shared path, the PV key, domain 1', req && req.derivation_path === 'teekeys/master/v1' && req.domain_id === 1 &&
    req.form === 'AppPublicKeyPV' && req.app_pk1 === APP1.json.pk1 && req.app_pk2 === APP1.json.pk2 && req.app_id === hex(APPID_SHARED) &&
    req.hash_point === `bls12381g1:${base58.encode(H.toRawBytes(true))}`, j(req));
  const y = 12345n;
  const resp = { big_y: `bls12381g1:${base58.encode(G1.BASE.multiply(y).toRawBytes(true))}`,
    big_c: `bls12381g1:${base58.encode(H.multiply(MSK).add(G1.BASE.multiply(APP1.a).multiply(y)).toRawBytes(true))}` };
  ok('MPC participant answers', call(N1, MPC, 'respond_ckd', { request_id: req?.id, response: resp }));
  let fin = chain.outcome(out.id);
  for (let i = 0; i < 5 && fin.status === 'Pending'; i++) { chain.advance(1); fin = chain.outcome(out.id); }
  check('request_key returns the MPC answer', j(fin.result) === j(resp), j(fin.status) + j(fin.result));
  const sig = G1.fromHex(base58.decode(fin.result.big_c.slice(11))).subtract(G1.fromHex(base58.decode(fin.result.big_y.slice(11))).multiply(APP1.a));
  check('the worker unmasks msk·H: e(H, pk) == e(sig, G2)', sig.equals(H.multiply(MSK)) &&
    bls.fields.Fp12.eql(bls.pairing(H, MPK), bls.pairing(sig, bls.G2.ProjectivePoint.BASE)));
  // register_binding through chain-keys
  ok('alice storage deposit', call(ALICE, CK, 'storage_deposit', {}, NEAR / 10n));
  const nearKey = workerKey('alice near key');
  refused('register_binding by another account', call(OP, DAO, 'register_binding', { account_id: ALICE, family: 'near', public_key: nearKey.str }), /only by the DAO account itself/);
  refused('register_binding: bad account', asWorker(W1, 'register_binding', { account_id: 'Alice', family: 'near', public_key: nearKey.str }), /invalid NEAR account id/);
  refused('register_binding: no family', asWorker(W1, 'register_binding', { account_id: ALICE, public_key: nearKey.str }), /missing string argument: family/);
  refused('register_binding: unknown argument', asWorker(W1, 'register_binding', { account_id: ALICE, family: 'near', public_key: nearKey.str, tee_attestation: {} }), /unknown argument: tee_attestation/);
  const b = ok('register_binding', asWorker(W1, 'register_binding', { account_id: ALICE, family: 'near', path: 'main', public_key: nearKey.str }));
  const rec = b.result;
  check('binding record', rec && rec.account_id === ALICE && rec.family === 'near' && rec.path === 'main' && rec.address === hex(nearKey.pub) &&
    j(rec.tee_attestation) === j({ tee_type: 'tdx', attestation_contract: VER, measurements: simMeasurements, worker: W1.str,
      verified_at: view(DAO, 'get_worker', { public_key: W1.str }).verified_at }), j(rec));
  check('binding_requested event', eventsOf(b, 'binding_requested')[0]?.data[0]?.account_id === ALICE);
  check('chain-keys has the binding', view(CK, 'get_binding', { account_id: ALICE, family: 'near', path: 'main' })?.address === hex(nearKey.pub));
  const bad = asWorker(W1, 'register_binding', { account_id: ALICE, family: 'tron', public_key: nearKey.str });
  check('chain-keys refusal passed back', bad.status?.Failure !== undefined && /unknown family/.test(j(bad.status)), j(bad.status));
}

// ---- renewal, expiry, prune
{
  chain.advance(3);
  const rn = registration(W1, APP1);
  refused('renewal with another app key', call(OP, DAO, 'register_worker_key', { ...rn.args, app_public_key: appKey('x2').json }, WORKER_DEPOSIT), /renewal must bind the app key/);
  const before = view(DAO, 'get_worker', { public_key: W1.str });
  const out = ok('renewal', call(OP, DAO, 'register_worker_key', rn.args, WORKER_DEPOSIT));
  check('renewed', out.result?.registered === true && out.result.renewed === true, j(out.result));
  const after = out.result.worker;
  check('renewal extends expires_at', BigInt(after.expires_at) > BigInt(before.expires_at) && after.registered_at === before.registered_at &&
    after.verified_at !== before.verified_at && after.block_height === rn.args.block_height, j([before, after]));
  check('worker_renewed event', eventsOf(out, 'worker_renewed').length === 1);
  check('still one access key', chain.account(DAO).keys.length === 1 && chain.account(DAO).keys[0].public_key === W1.str);
  // expire it: TTL is 120 s, one block per second
  chain.advance(Number(TTL_S) + 2);
  refused('request_key after expiry', asWorker(W1, 'request_key', { app_public_key: { AppPublicKeyPV: APP1.json } }), /registration has expired/);
  refused('register_binding after expiry', asWorker(W1, 'register_binding', { account_id: ALICE, family: 'near', public_key: workerKey('k2').str }), /registration has expired/);
  refused('renewal after expiry', call(OP, DAO, 'register_worker_key', registration(W1, APP1).args, WORKER_DEPOSIT), /has expired and is never accepted again/);
  refused('prune with a bad limit', call(MALLORY, DAO, 'prune_workers', { limit: 0 }), /limit must be an integer/);
  const p = ok('prune_workers (anyone)', call(MALLORY, DAO, 'prune_workers', {}));
  check('pruned one', j(p.result) === j({ pruned: 1 }), j(p.result));
  check('worker_removed event', j(eventsOf(p, 'worker_removed')[0]?.data) === j([{ public_key: W1.str, reason: 'expired' }]));
  check('pruned: record and key gone', view(DAO, 'get_worker', { public_key: W1.str }) === null && chain.account(DAO).keys.length === 0);
  check('prune again: nothing', ok('prune again', call(MALLORY, DAO, 'prune_workers', { limit: 5 })).result.pruned === 0);
  refused('a pruned key is never accepted again', call(OP, DAO, 'register_worker_key', registration(W1, APP1).args, WORKER_DEPOSIT), /registered before and is never accepted again/);
}

// ---- a dedicated worker on DAO B: its owner's path and bindings only
const W3 = workerKey('w3'), APP3 = appKey('w3');
{
  const p = ok('dao-b: dedicated set for alice', propose(ALICE, { ...addSim, mode: 'dedicated', owner: ALICE, note: 'alice only' }, DAOB));
  ok('dao-b: vote', vote(ALICE, p.result.id, true, DAOB));
  const out = ok('dao-b: register dedicated worker', call(OP, DAOB, 'register_worker_key', registration(W3, APP3, { dao: DAOB }).args, WORKER_DEPOSIT));
  check('dedicated worker', out.result?.worker?.mode === 'dedicated' && out.result.worker.owner === ALICE, j(out.result));
  const asW3 = (method, args) => chain.call({ signer: DAOB, signerPk: W3.str, receiver: DAOB, method, args });
  const rk = asW3('request_key', { app_public_key: { AppPublicKeyPV: APP3.json } });
  check('dedicated path', eventsOf(rk, 'key_requested')[0]?.data[0]?.derivation_path === `${ALICE}:keystore`, j(rk.logs));
  refused('dedicated worker: another tenant\'s binding', asW3('register_binding', { account_id: BOB, family: 'near', public_key: workerKey('bob k').str }), /only for its owner alice.test.near/);
  ok('alice storage deposit (B)', call(ALICE, CKB, 'storage_deposit', {}, NEAR / 10n));
  ok('dedicated worker: owner\'s binding', asW3('register_binding', { account_id: ALICE, family: 'solana', public_key: workerKey('alice sol').str }));
  // W3 cannot act on DAO A (its key is an access key of DAO B only)
  const cross = chain.call({ signer: DAO, signerPk: W3.str, receiver: DAO, method: 'request_key', args: {} });
  check('a worker key of DAO B is no key of DAO A', cross.status?.Failure?.InvalidTxError !== undefined, j(cross.status));
  // revocation: removing the set removes its workers and their keys
  const r = ok('dao-b: remove the set', propose(ALICE, { kind: 'remove_measurement', measurements: simMeasurements, note: 'revoked' }, DAOB));
  const v = ok('dao-b: vote remove', vote(ALICE, r.result.id, true, DAOB));
  check('measurement_removed event', eventsOf(v, 'measurement_removed').length === 1);
  check('revocation event', j(eventsOf(v, 'worker_removed')[0]?.data) === j([{ public_key: W3.str, reason: 'revoked' }]), j(v.logs));
  check('revoked: record and key gone', view(DAOB, 'get_workers').length === 0 && chain.account(DAOB).keys.length === 0 &&
    view(DAOB, 'get_measurements').length === 0);
  const gone = asW3('request_key', { app_public_key: { AppPublicKeyPV: APP3.json } });
  check('revoked worker cannot call: its key is gone', gone.status?.Failure?.InvalidTxError?.InvalidAccessKeyError?.AccessKeyNotFound !== undefined, j(gone.status));
  const again = ok('dao-b: re-approve', propose(ALICE, addSim, DAOB));
  ok('dao-b: vote re-approve', vote(ALICE, again.result.id, true, DAOB));
  refused('a revoked key is never accepted again', call(OP, DAOB, 'register_worker_key', registration(W3, APP3, { dao: DAOB }).args, WORKER_DEPOSIT), /never accepted again/);
}

// ---- upgrade: MPC account / domain change and new code by hash
{
  const code = mode === 'wasm' ? fs.readFileSync(path.join(contractsDir, 'dao.wasm')) : Buffer.from('dao');
  const hash = sha256(code);
  refused('deploy_upgrade without an approved hash', call(MALLORY, DAO, 'deploy_upgrade', new Uint8Array(code)), /no approved upgrade/);
  const p = ok('propose upgrade', propose(BOB, { kind: 'upgrade', code_hash: base58.encode(hash), domain_id: 7, note: 'v1.0.1' }));
  check('upgrade proposal canonical', j(p.result.proposal) === j({ kind: 'upgrade', code_hash: base58.encode(hash), mpc_account_id: null, domain_id: 7, note: 'v1.0.1' }), j(p.result.proposal));
  ok('upgrade: alice', vote(ALICE, p.result.id, true));
  const a = ok('upgrade: carol', vote(CAROL, p.result.id, true));
  check('upgrade_approved event', j(eventsOf(a, 'upgrade_approved')[0]?.data[0]) === j({ code_hash: base58.encode(hash), mpc_account_id: MPC, domain_id: 7, proposal_id: p.result.id }), j(a.logs));
  const cfg = view(DAO, 'get_config');
  check('domain changed, upgrade pending', cfg.domain_id === 7 && cfg.pending_upgrade_code_hash === base58.encode(hash) && cfg.mpc_account_id === MPC, j(cfg));
  refused('deploy_upgrade with other code', call(MALLORY, DAO, 'deploy_upgrade', new Uint8Array([...code, 0])), /not the approved code hash/);
  const d = ok('deploy_upgrade', call(MALLORY, DAO, 'deploy_upgrade', new Uint8Array(code)));
  check('upgrade_deployed event', j(eventsOf(d, 'upgrade_deployed')[0]?.data[0]) === j({ code_hash: base58.encode(hash), code_len: code.length }));
  check('deploy receipt ran', d.receipts.some((r) => r.receiver === DAO && r.predecessor === DAO && r.status.SuccessValue !== undefined), j(d.receipts));
  check('state kept after the upgrade', view(DAO, 'get_config').pending_upgrade_code_hash === null && view(DAO, 'get_members').members.length === 3 &&
    view(DAO, 'is_approved', { measurements: simMeasurements }) === true);
  refused('deploy_upgrade twice', call(MALLORY, DAO, 'deploy_upgrade', new Uint8Array(code)), /no approved upgrade/);
  const m = ok('propose mpc change', propose(BOB, { kind: 'upgrade', mpc_account_id: 'v1.signer-prod.testnet' }));
  ok('mpc change: alice', vote(ALICE, m.result.id, true));
  ok('mpc change: bob', vote(BOB, m.result.id, true));
  check('mpc account changed by upgrade only', view(DAO, 'get_config').mpc_account_id === 'v1.signer-prod.testnet');
}

// ---- malformed JSON everywhere
for (const method of ['propose', 'vote', 'register_worker_key', 'prune_workers']) {
  for (const [name, raw, re] of [
    ['truncated', '{"kind":', /invalid JSON arguments/],
    ['not an object', '[1]', /expected an object/],
    ['bad UTF-8', Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /invalid JSON arguments/],
    ['trailing data', '{} {}', /invalid JSON arguments/],
  ]) refused(`${method}: ${name}`, call(ALICE, DAO, method, raw, method === 'register_worker_key' ? WORKER_DEPOSIT : 0n), re);
}
refused('on_worker_verified is private', call(MALLORY, DAO, 'on_worker_verified', {}), /private callback/);
try { chain.view(DAO, 'propose', addSim); check('change method as view', false); } catch (e) { check('change method as view', e instanceof ViewError, e.message); }
{
  const acc = chain.account(DAO);
  check('DAO covers its storage', acc.amount >= BigInt(acc.storage_usage) * 10n ** 19n);
  check('DAO has no full-access key', acc.keys.every((k) => k.access_key.permission !== 'FullAccess'));
}

if (mode === 'wasm') {
  for (const [name, methods] of [
    ['verifier', ['verify_quote']],
    ['dao', ['new', 'get_config', 'get_members', 'propose', 'vote', 'get_proposal', 'get_proposals', 'get_measurements', 'is_approved',
      'deploy_upgrade', 'register_worker_key', 'on_worker_verified', 'request_key', 'register_binding', 'prune_workers', 'get_worker', 'get_workers']],
  ]) {
    const file = path.join(contractsDir, `${name}.wasm`);
    const m = new WebAssembly.Module(fs.readFileSync(file));
    const exp = WebAssembly.Module.exports(m).map((e) => e.name);
    for (const meth of methods) check(`${name} exports ${meth}`, exp.includes(meth));
    check(`${name} imports only env`, WebAssembly.Module.imports(m).every((i) => i.module === 'env'));
    const size = fs.statSync(file).size;
    check(`${name}.wasm under 300 KiB`, size < 300 * 1024, size);
    console.log(`${name}.wasm: ${size} bytes; exports ${exp.filter((e) => e !== 'memory').join(' ')}`);
  }
}
chain.close();
console.log(`${mode}: ${score.pass} passed, ${score.fail} failed`);
process.exit(score.fail ? 1 : 0);
