// Scenario test of the MPC signer contract (contracts/mpc_signer, the local stand-in for NEAR's
// v1.signer), run against near_chain.mjs in either mode: `wasm` (build/contracts/mpc_signer.wasm
// in Node's engine) or `native` (the C runtime's nearvm_driver). Every answer is computed here
// with @noble/curves (msk known to the test, Y = y·G1, C = msk·H + y·A) and every value the
// contract derives (app_id with SHA3-256, H with hash_to_curve G1 through the bls12381 host
// functions, the DKG key and public shares) is compared with noble's. Covers: the three app key
// forms end to end with unmasking, the PV checks (app key pairing, wrong answer refused with the
// request left pending), participants-only respond, ≥ 1 yocto and ≥ 15 Tgas, bad points,
// respond by data_id, the yield timeout (clean failure, request removed), the official vectors
// (V1's pk and app key pair end to end, V1/V2's hash points and V1's own answer checked on-chain,
// the 16 app_id vectors from real requests), a DKG round with complaints and a threshold answer,
// and the NEP-297 events. Exits non-zero on any failure.
import { makeChain, ViewError } from './near_chain.mjs';
import { bls12_381 } from '@noble/curves/bls12-381';
import { sha3_256 } from '@noble/hashes/sha3';
import { sha256 } from '@noble/hashes/sha256';
import { hkdf } from '@noble/hashes/hkdf';
import { base58 } from '@scure/base';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { events, j, panicOf, Score } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const mode = process.argv[2] ?? 'wasm';
const YIELD_TIMEOUT = 60;
const chain = await makeChain(mode, { yieldTimeout: YIELD_TIMEOUT });
const score = new Score();
const { check } = score;

const shared = process.env.TK_SHARED_DIR ?? path.join(here, '..', '..', '..', 'shared');
const vectors = JSON.parse(readFileSync(path.join(shared, 'vectors', 'ckd.json'), 'utf8'));

// ---- BLS helpers (noble)
const G1 = bls12_381.G1.ProjectivePoint, G2 = bls12_381.G2.ProjectivePoint;
const Fr = bls12_381.fields.Fr, Fp12 = bls12_381.fields.Fp12;
const DST = 'NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_';
const PREFIX = 'near-mpc v0.1.0 app_id derivation:';
const enc = new TextEncoder();
const toHex = (b) => Buffer.from(b).toString('hex');
const fromHex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const g1str = (p) => 'bls12381g1:' + base58.encode(p.toRawBytes(true));
const g2str = (p) => 'bls12381g2:' + base58.encode(p.toRawBytes(true));
const g1of = (s) => G1.fromHex(base58.decode(s.slice('bls12381g1:'.length)));
const concat = (a, b) => { const o = new Uint8Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };
const appId = (pred, p) => sha3_256(enc.encode(PREFIX + pred + ',' + p));
const hashPoint = (pk, id) => G1.fromAffine(bls12_381.G1.hashToCurve(concat(pk.toRawBytes(true), id), { DST }).toAffine());
const scalarOf = (label) => Fr.create(BigInt('0x' + toHex(sha256(enc.encode(`mpc scenario ${label}`)))) || 1n);
const beScalar = (h) => BigInt('0x' + h);
const secretOf = (sig) => hkdf(sha256, sig.toRawBytes(true), undefined, new Uint8Array(0), 32);
const pairEq = (a1, b1, a2, b2) => Fp12.eql(bls12_381.pairing(a1, b1), bls12_381.pairing(a2, b2));
let yCounter = 0;
const answer = (msk, H, A) => {
  const y = scalarOf(`y ${yCounter++}`);
  return { big_y: g1str(G1.BASE.multiply(y)), big_c: g1str(H.multiply(msk).add(A.multiply(y))) };
};

// ---- accounts
const NEAR = 10n ** 24n, TGAS = 10n ** 12n;
const ROOT = 'test.near', MPC = 'mpc.test.near', MPC2 = 'mpc2.test.near';
const N1 = 'n1.test.near', N2 = 'n2.test.near', N3 = 'n3.test.near';
const APP = 'app.test.near', APP2 = 'app2.test.near', MALLORY = 'mallory.test.near';
chain.createAccount(ROOT, { amount: 1000n * NEAR });
chain.createAccount(MPC, { amount: 50n * NEAR, contract: 'mpc_signer' });
chain.createAccount(MPC2, { amount: 50n * NEAR, contract: 'mpc_signer' });
for (const a of [N1, N2, N3, APP, APP2, MALLORY]) chain.createAccount(a, { amount: 100n * NEAR });

const ok = (name, out) => {
  check(name, out.status && out.status.SuccessValue !== undefined, j(out.status));
  return out;
};
const refused = (name, out, re) => {
  const m = panicOf(out);
  check(name, m !== null && re.test(m), m ?? j(out.status));
  check(`${name} emits nothing`, out.logs.filter((l) => l.startsWith('EVENT_JSON:')).length === 0, j(out.logs));
};
const oneEvent = (name, out, event, data) => {
  const ev = events(out);
  check(`${name} event`, ev.length === 1 && ev[0].standard === 'teekeys-mpc-signer' && ev[0].version === '1.0.0' &&
    ev[0].event === event && ev[0].data.length === 1 && (data === undefined || j(ev[0].data[0]) === j(data)), j(ev));
  return ev[0]?.data[0];
};
const view = (c, method, args) => chain.view(c, method, args).result;
const viewFails = (name, c, method, args, re) => {
  try { view(c, method, args); check(name, false, 'no error'); } catch (e) { check(name, e instanceof ViewError && re.test(e.message), e.message); }
};
const call = (signer, receiver, method, args, deposit = 0n, gas = 300n * TGAS) => chain.call({ signer, receiver, method, args, deposit, gas });
const request = (signer, req, { deposit = 1n, gas = 300n * TGAS, contract = MPC } = {}) =>
  call(signer, contract, 'request_app_private_key', { request: req }, deposit, gas);
const respond = (signer, args, contract = MPC) => call(signer, contract, 'respond_ckd', args);
const settle = (id) => {
  let out = chain.outcome(id);
  for (let i = 0; i < 5 && out.status === 'Pending'; i++) { chain.advance(1); out = chain.outcome(id); }
  return out;
};
const pending = (contract = MPC, args = {}) => view(contract, 'get_pending_ckd_requests', args);

// ---- keys: domain 0 = the official vector V1's key, domain 1 = V2's
const V1 = vectors.ckd[0], V2 = vectors.ckd[1];
const msk0 = beScalar(V1.msk), msk1 = beScalar(V2.msk);
const pk0 = G2.BASE.multiply(msk0), pk1 = G2.BASE.multiply(msk1);
check('V1 pk = msk·G2 (noble)', toHex(pk0.toRawBytes(true)) === V1.pk);
check('V2 pk = msk·G2 (noble)', toHex(pk1.toRawBytes(true)) === V2.pk);
const share1 = G2.BASE.multiply(scalarOf('share n1'));

// ---- before init
refused('request before init', request(APP, { derivation_path: '', app_public_key: g1str(G1.BASE), domain_id: 0 }), /not initialized/);
viewFails('public_key before init', MPC, 'public_key', {}, /not initialized/);

// ---- init
const init = {
  participants: [{ account_id: N1, public_share: g2str(share1) }, N2, { account_id: N3 }],
  threshold: 2,
  domains: [{ domain_id: 0, public_key: g2str(pk0) }, { domain_id: 1, public_key: g2str(pk1) }],
};
refused('new by a stranger', call(MALLORY, MPC, 'new', init), /only by the contract account or its parent/);
refused('new with threshold 4', call(ROOT, MPC, 'new', { ...init, threshold: 4 }), /threshold must be between 1 and the number of participants/);
refused('new with an unknown argument', call(ROOT, MPC, 'new', { ...init, owner: ROOT }), /unknown argument: owner/);
{
  // a G2 string of a point off the curve: x = 1 (no y with y^2 = 1 + 4(u+1))
  const bad = new Uint8Array(96); bad[0] = 0x80; bad[95] = 1;
  refused('new with an invalid public key', call(ROOT, MPC, 'new', { ...init, domains: [{ domain_id: 0, public_key: 'bls12381g2:' + base58.encode(bad) }] }),
    /public_key is not a valid G2 point/);
  refused('new with an identity public key', call(ROOT, MPC, 'new', { ...init, domains: [{ domain_id: 0, public_key: g2str(G2.ZERO) }] }),
    /public_key is not a valid G2 point/);
}
oneEvent('new', ok('new by the parent account', call(ROOT, MPC, 'new', init)), 'init', {
  participants: [N1, N2, N3], threshold: 2,
  domains: [{ domain_id: 0, public_key: g2str(pk0) }, { domain_id: 1, public_key: g2str(pk1) }],
});
refused('new twice', call(MPC, MPC, 'new', init), /already initialized/);

// ---- views
check('public_key default domain 0 = V1 pk', view(MPC, 'public_key', {}) === 'bls12381g2:' + base58.encode(fromHex(V1.pk)));
check('public_key domain 1 = V2 pk', view(MPC, 'public_key', { domain_id: 1 }) === g2str(pk1));
viewFails('public_key unknown domain', MPC, 'public_key', { domain_id: 5 }, /unknown domain_id \(no key\): 5/);
check('get_domains', j(view(MPC, 'get_domains', {})) === j([{ domain_id: 0, public_key: g2str(pk0) }, { domain_id: 1, public_key: g2str(pk1) }]));
check('get_participants', j(view(MPC, 'get_participants', {})) === j({
  threshold: 2,
  participants: [{ account_id: N1, public_shares: { 0: g2str(share1), 1: g2str(share1) } },
    { account_id: N2, public_shares: {} }, { account_id: N3, public_shares: {} }],
}), j(view(MPC, 'get_participants', {})));
check('no pending requests', j(pending()) === '[]');

// ---- the official vectors' hash points and V1's own answer, checked by the contract's code
check('hash_point V1 (on-chain H = official)', view(MPC, 'hash_point', { domain_id: 0, app_id: V1.app_id }) === g1str(G1.fromHex(V1.hash_point)));
check('hash_point V2 (on-chain H = official)', view(MPC, 'hash_point', { domain_id: 1, app_id: V2.app_id }) === g1str(G1.fromHex(V2.hash_point)));
const v1key = { AppPublicKeyPV: { pk1: g1str(G1.fromHex(V1.app_pk1)), pk2: g2str(G2.fromHex(V1.app_pk2)) } };
const v1resp = { big_y: g1str(G1.fromHex(V1.big_y)), big_c: g1str(G1.fromHex(V1.big_c)) };
check('check_ckd_response accepts V1 (NEAR\'s answer)', view(MPC, 'check_ckd_response', { domain_id: 0, app_id: V1.app_id, app_public_key: v1key, response: v1resp }) === true);
check('check_ckd_response refuses V1 swapped', view(MPC, 'check_ckd_response', { domain_id: 0, app_id: V1.app_id, app_public_key: v1key, response: { big_y: v1resp.big_c, big_c: v1resp.big_y } }) === false);
check('check_ckd_response refuses V1 on another domain', view(MPC, 'check_ckd_response', { domain_id: 1, app_id: V1.app_id, app_public_key: v1key, response: v1resp }) === false);
viewFails('check_ckd_response plain form', MPC, 'check_ckd_response', { domain_id: 0, app_id: V1.app_id, app_public_key: v1key.AppPublicKeyPV.pk1, response: v1resp }, /only an AppPublicKeyPV answer/);

// ---- one request in each form, answered by a participant
const a = scalarOf('app a'), A = G1.BASE.multiply(a), A2 = G2.BASE.multiply(a);
const forms = {
  plain: g1str(A),
  AppPublicKey: { AppPublicKey: g1str(A) },
  AppPublicKeyPV: { AppPublicKeyPV: { pk1: g1str(A), pk2: g2str(A2) } },
};
let expectedId = 1;
function roundTrip(name, form, { path = `keys/${name}`, domain = 0, signer = APP, byDataId = false } = {}) {
  const msk = domain === 0 ? msk0 : msk1, pk = domain === 0 ? pk0 : pk1;
  const out = request(signer, { derivation_path: path, app_public_key: forms[form], domain_id: domain });
  check(`${name}: request pending`, out.status === 'Pending', j(out.status) + j(out.logs));
  const id = expectedId++;
  const id32 = appId(signer, path), H = hashPoint(pk, id32);
  const ev = oneEvent(`${name}: request`, out, 'ckd_request');
  check(`${name}: event fields`, ev && ev.request_id === id && ev.requester === signer && ev.app_id === toHex(id32) && ev.form === form && ev.domain_id === domain, j(ev));
  const rec = pending().find((r) => r.id === id);
  check(`${name}: pending record`, rec && rec.app_id === toHex(id32) && rec.hash_point === g1str(H) && rec.requester === signer &&
    rec.derivation_path === path && rec.domain_id === domain && rec.form === form && j(rec.app_public_key) === j(forms[form]) &&
    rec.app_pk1 === g1str(A) && rec.app_pk2 === (form === 'AppPublicKeyPV' ? g2str(A2) : null) && rec.data_id === ev?.data_id, j(rec));
  const resp = answer(msk, H, A);
  const r = respond(N2, byDataId ? { data_id: rec.data_id, response: resp } : { request_id: id, response: resp });
  ok(`${name}: respond`, r);
  oneEvent(`${name}: respond`, r, 'ckd_response', { request_id: id, responder: N2, domain_id: domain, big_y: resp.big_y, big_c: resp.big_c });
  const fin = settle(out.id);
  check(`${name}: app receives {big_y, big_c}`, j(fin.result) === j(resp), j(fin.status) + j(fin.result));
  const sig = g1of(fin.result.big_c).subtract(g1of(fin.result.big_y).multiply(a));
  check(`${name}: unmasked = msk·H`, sig.equals(H.multiply(msk)));
  check(`${name}: e(H, pk) == e(sig, G2)`, pairEq(H, pk, sig, G2.BASE));
  check(`${name}: request removed`, pending().every((x) => x.id !== id));
  return { sig, id32 };
}
roundTrip('plain', 'plain');
roundTrip('tagged', 'AppPublicKey', { path: '' });
roundTrip('pv', 'AppPublicKeyPV', { path: 'teekeys/master/v1' });
roundTrip('pv by data_id on domain 1', 'AppPublicKeyPV', { domain: 1, signer: APP2, byDataId: true });

// ---- V1 end to end: its pk (domain 0), its app key pair from `a`, NEAR's derivation on-chain
{
  const va = beScalar(V1.a);
  check('V1 app_pk1 = a·G1', toHex(G1.BASE.multiply(va).toRawBytes(true)) === V1.app_pk1);
  check('V1 app_pk2 = a·G2', toHex(G2.BASE.multiply(va).toRawBytes(true)) === V1.app_pk2);
  const path = 'teekeys/master/v1';
  const out = request(APP, { derivation_path: path, app_public_key: v1key, domain_id: 0 });
  const id = expectedId++;
  check('V1: request pending', out.status === 'Pending', j(out.status));
  const H = hashPoint(pk0, appId(APP, path));
  const rec = pending().find((r) => r.id === id);
  check('V1: on-chain H = noble H', rec?.hash_point === g1str(H), j(rec));
  const resp = answer(msk0, H, G1.fromHex(V1.app_pk1));
  // NEAR's own answer for V1's app_id does not fit this request's app_id: refused, stays pending
  refused('V1: the vector answer for another app_id is refused', respond(N1, { request_id: id, response: v1resp }), /wrong CKD response/);
  ok('V1: respond', respond(N1, { request_id: id, response: resp }));
  const fin = settle(out.id);
  const sig = g1of(fin.result.big_c).subtract(g1of(fin.result.big_y).multiply(va));
  check('V1: unmasked = msk·H', sig.equals(H.multiply(msk0)));
  check('V1: secret = HKDF(compress48(sig))', toHex(secretOf(sig)) === toHex(hkdf(sha256, H.multiply(msk0).toRawBytes(true), undefined, new Uint8Array(0), 32)));
}

// ---- refusals on request
const plainReq = { derivation_path: 'x', app_public_key: forms.plain, domain_id: 0 };
refused('request without deposit', request(APP, plainReq, { deposit: 0n }), /attached deposit of at least 1 yoctoNEAR/);
refused('request with 14.9 Tgas', request(APP, plainReq, { gas: 15n * TGAS - 1n }), /at least 15 Tgas of prepaid gas/);
{
  const out = request(APP, plainReq, { gas: 15n * TGAS });
  check('request with exactly 15 Tgas is accepted', out.status === 'Pending', j(out.status) + j(panicOf(out)));
  const id = expectedId++;
  ok('15 Tgas request answered', respond(N3, { request_id: id, response: answer(msk0, hashPoint(pk0, appId(APP, 'x')), A) }));
  const fin = settle(out.id);
  check('15 Tgas request completes', fin.result && fin.result.big_y !== undefined, j(fin.status));
}
refused('request unknown domain', request(APP, { ...plainReq, domain_id: 9 }), /unknown domain_id \(no key\): 9/);
refused('request malformed JSON', call(APP, MPC, 'request_app_private_key', '{"request":', 1n), /invalid JSON arguments/);
refused('request missing request', call(APP, MPC, 'request_app_private_key', {}, 1n), /missing argument: request/);
refused('request bad form', request(APP, { ...plainReq, app_public_key: { Other: forms.plain } }), /app_public_key must be/);
refused('request G2 string as app key', request(APP, { ...plainReq, app_public_key: g2str(A2) }), /must start with bls12381g1:/);
refused('request identity app key', request(APP, { ...plainReq, app_public_key: g1str(G1.ZERO) }), /app_public_key is not a valid G1 point/);
{
  // a G1 point on the curve but outside the subgroup: the first small x with x^3 + 4 a square
  const p = bls12_381.fields.Fp.ORDER, Fp = bls12_381.fields.Fp;
  let found = null;
  for (let x = 1n; x < 100n && !found; x++) {
    const rhs = Fp.add(Fp.pow(x, 3n), 4n);
    let y;
    try { y = Fp.sqrt(rhs); } catch { continue; }
    if (y === undefined || Fp.mul(y, y) !== rhs) continue;
    if (!G1.fromAffine({ x, y }).isTorsionFree()) found = { x, y };
  }
  check('found a G1 curve point outside the subgroup', found !== null);
  if (found) {
    const bytes = new Uint8Array(48);
    let x = found.x;
    for (let i = 47; i >= 0; i--, x >>= 8n) bytes[i] = Number(x & 0xffn);
    bytes[0] |= 0x80;
    if (found.y > (p - 1n) / 2n) bytes[0] |= 0x20;
    refused('request app key outside G1', request(APP, { ...plainReq, app_public_key: 'bls12381g1:' + base58.encode(bytes) }), /app_public_key is not a valid G1 point/);
  }
}
refused('request PV with mismatched pk2', request(APP, { ...plainReq, app_public_key: { AppPublicKeyPV: { pk1: g1str(A), pk2: g2str(G2.BASE.multiply(a + 1n)) } } }),
  /pk1 and pk2 are not a·G1 and a·G2 for one a/);
refused('request path with a control character', request(APP, { ...plainReq, derivation_path: 'a\u0001b' }), /control characters/);
refused('request path too long', request(APP, { ...plainReq, derivation_path: 'p'.repeat(1025) }), /longer than 1024 bytes/);
check('no pending request after refusals', j(pending()) === '[]', j(pending()));

// ---- refusals on respond (PV request stays pending through them)
{
  const path = 'wrong-answers';
  const out = request(APP, { derivation_path: path, app_public_key: forms.AppPublicKeyPV, domain_id: 0 });
  const id = expectedId++;
  const H = hashPoint(pk0, appId(APP, path));
  const good = answer(msk0, H, A);
  const wrong = { big_y: good.big_y, big_c: g1str(g1of(good.big_c).add(G1.BASE)) };
  refused('respond by a non-participant', respond(MALLORY, { request_id: id, response: good }), /only by a participant/);
  refused('respond by the requester', respond(APP, { request_id: id, response: good }), /only by a participant/);
  refused('respond wrong answer (PV)', respond(N1, { request_id: id, response: wrong }), /wrong CKD response: e\(big_c, G2\) != e\(big_y, pk2\)/);
  refused('respond with msk·H of another key', respond(N1, { request_id: id, response: answer(msk1, H, A) }), /wrong CKD response/);
  refused('respond identity big_y', respond(N1, { request_id: id, response: { big_y: g1str(G1.ZERO), big_c: good.big_c } }), /big_y is not a valid G1 point/);
  refused('respond unknown id', respond(N1, { request_id: 999, response: good }), /no pending CKD request with id 999/);
  refused('respond unknown data_id', respond(N1, { data_id: '00'.repeat(32), response: good }), /no pending CKD request has this data_id/);
  refused('respond both ids', respond(N1, { request_id: id, data_id: '00'.repeat(32), response: good }), /exactly one of request_id and data_id/);
  refused('respond with a deposit', call(N1, MPC, 'respond_ckd', { request_id: id, response: good }, 1n), /does not accept an attached deposit/);
  check('wrong answers leave the request pending', pending().some((r) => r.id === id));
  check('requester still waiting', chain.outcome(out.id).status === 'Pending');
  ok('respond right answer after refusals', respond(N1, { request_id: id, response: good }));
  const fin = settle(out.id);
  check('right answer delivered', j(fin.result) === j(good), j(fin.status));
  refused('respond twice', respond(N1, { request_id: id, response: good }), /no pending CKD request with id/);
}
refused('return_ck called directly', call(MALLORY, MPC, 'return_ck', { request_id: 1 }), /return_ck is private/);
refused('fail_on_timeout called directly', call(MALLORY, MPC, 'fail_on_timeout', { request_id: 1 }), /fail_on_timeout is private/);

// ---- the 16 app_id vectors from real requests (accounts named as in the vectors), then timeout
{
  const reqs = [];
  for (const name of [...new Set(vectors.app_id.map((v) => v.predecessor))]) chain.createAccount(name, { amount: 10n * NEAR });
  for (const v of vectors.app_id) {
    const out = request(v.predecessor, { derivation_path: v.derivation_path, app_public_key: forms.plain, domain_id: 0 });
    reqs.push({ v, out, id: expectedId++ });
  }
  const list = pending(MPC, { domain_id: 0 });
  for (const { v, id } of reqs) {
    const rec = list.find((r) => r.id === id);
    check(`app_id vector ${v.predecessor}/${v.derivation_path}`, rec?.app_id === v.app_id, j(rec?.app_id));
  }
  check('pending filtered by domain', pending(MPC, { domain_id: 1 }).length === 0 && pending(MPC, { domain_id: 0 }).length === 16);
  check('pending unfiltered', pending().length === 16);
  // timeout: advance past the yield timeout
  chain.advance(YIELD_TIMEOUT + 2);
  let allFailed = true, sawTimeoutEvent = 0;
  for (const { out, id } of reqs) {
    const fin = chain.outcome(out.id);
    const m = panicOf(fin);
    if (!(m && /CKD request timed out: the MPC network did not answer in time; request id \d+/.test(m))) { allFailed = false; console.error(j(fin.status)); }
    if (events(fin).some((e) => e.event === 'ckd_timeout' && e.data[0].request_id === id)) sawTimeoutEvent++;
  }
  check('timeouts fail cleanly', allFailed);
  check('timeout events', sawTimeoutEvent === 16, sawTimeoutEvent);
  check('timed-out requests removed', j(pending()) === '[]', j(pending()));
  refused('respond after timeout', respond(N1, { request_id: reqs[0].id, response: answer(msk0, G1.BASE, A) }), /no pending CKD request/);
}

// ---- DKG on a second instance
const dkgIds = [N1, N2, N3];
oneEvent('mpc2 new without domains', ok('mpc2 new', call(ROOT, MPC2, 'new', { participants: [N1], threshold: 1 })), 'init',
  { participants: [N1], threshold: 1, domains: [] });
viewFails('mpc2 public_key before DKG', MPC2, 'public_key', { domain_id: 0 }, /unknown domain_id/);
refused('start_dkg by a stranger', call(MALLORY, MPC2, 'start_dkg', { domain_id: 0, participants: dkgIds, threshold: 2 }), /only by the contract account or a participant/);
refused('start_dkg bad threshold', call(N1, MPC2, 'start_dkg', { domain_id: 0, participants: dkgIds, threshold: 0 }), /threshold must be between 1/);
oneEvent('start_dkg', ok('start_dkg', call(N1, MPC2, 'start_dkg', { domain_id: 0, participants: dkgIds, threshold: 2 })), 'dkg_start');
refused('start_dkg twice', call(N1, MPC2, 'start_dkg', { domain_id: 0, participants: dkgIds, threshold: 2 }), /already in progress/);
{
  const t = 2;
  const poly = dkgIds.map((_, i) => [scalarOf(`dkg ${i} 0`), scalarOf(`dkg ${i} 1`)]);
  const evalAt = (f, x) => f.reduce((acc, c, k) => Fr.add(acc, Fr.mul(c, Fr.pow(BigInt(x), BigInt(k)))), 0n);
  const commits = poly.map((f) => f.map((c) => g2str(G2.BASE.multiply(c))));
  const submit = (i, cs) => call(dkgIds[i], MPC2, 'submit_dkg_commitment', { domain_id: 0, commitments: cs });
  refused('commitment by a non-participant', call(MALLORY, MPC2, 'submit_dkg_commitment', { domain_id: 0, commitments: commits[0] }), /participant of the DKG round/);
  refused('commitment with t-1 points', submit(0, commits[0].slice(0, 1)), /commitments must be an array of threshold = 2/);
  refused('commitment with the identity', submit(0, [commits[0][0], g2str(G2.ZERO)]), /commitment is not a valid G2 point/);
  for (let i = 0; i < 3; i++) {
    oneEvent(`commitment ${i}`, ok(`commitment ${i}`, submit(i, commits[i])), 'dkg_commitment', { domain_id: 0, dealer: dkgIds[i], commitments: commits[i] });
  }
  refused('commitment twice', submit(0, commits[0]), /already submitted/);
  const round = view(MPC2, 'get_dkg', { domain_id: 0 });
  check('get_dkg commitments', round && round.threshold === 2 && j(round.participants) === j(dkgIds) && j(round.commitments[N2]) === j(commits[1]), j(round));
  // n2 complains about n3; n3 answers with the right share; n1 complains about n2, who stays silent
  refused('complain about oneself', call(N2, MPC2, 'complain', { domain_id: 0, dealer: N2 }), /cannot complain about itself/);
  oneEvent('complain n2->n3', ok('complain n2->n3', call(N2, MPC2, 'complain', { domain_id: 0, dealer: N3 })), 'dkg_complaint', { domain_id: 0, dealer: N3, complainer: N2 });
  refused('complain twice', call(N2, MPC2, 'complain', { domain_id: 0, dealer: N3 }), /already made/);
  refused('finalize with an open complaint', call(N1, MPC2, 'finalize_dkg', { domain_id: 0 }), /waits for every dealer/);
  const hex32 = (s) => s.toString(16).padStart(64, '0');
  refused('answer with a wrong share', call(N3, MPC2, 'answer_complaint', { domain_id: 0, complainer: N2, share: hex32(Fr.add(evalAt(poly[2], 2), 1n)) }),
    /revealed share does not match/);
  refused('answer by someone else', call(N1, MPC2, 'answer_complaint', { domain_id: 0, complainer: N2, share: hex32(evalAt(poly[2], 2)) }), /no open complaint/);
  oneEvent('answer n3', ok('answer n3', call(N3, MPC2, 'answer_complaint', { domain_id: 0, complainer: N2, share: hex32(evalAt(poly[2], 2)) })),
    'dkg_complaint_answered', { domain_id: 0, dealer: N3, complainer: N2, share: hex32(evalAt(poly[2], 2)) });
  ok('complain n1->n2', call(N1, MPC2, 'complain', { domain_id: 0, dealer: N2 }));
  refused('finalize before the window', call(N1, MPC2, 'finalize_dkg', { domain_id: 0 }), /or until block \d+/);
  check('get_dkg complaints', j(view(MPC2, 'get_dkg', { domain_id: 0 }).complaints) ===
    j([{ dealer: N2, complainer: N1, answered: false }, { dealer: N3, complainer: N2, answered: true }]), j(view(MPC2, 'get_dkg', { domain_id: 0 }).complaints));
  chain.advance(100);
  refused('finalize by a stranger', call(MALLORY, MPC2, 'finalize_dkg', { domain_id: 0 }), /only by the contract account or a participant/);
  const fin = ok('finalize after the window', call(N3, MPC2, 'finalize_dkg', { domain_id: 0 }));
  const qualified = [0, 2];
  const msk = qualified.reduce((s, i) => Fr.add(s, poly[i][0]), 0n);
  const pk = G2.BASE.multiply(msk);
  oneEvent('finalize', fin, 'dkg_finalized', { domain_id: 0, qualified: [N1, N3], public_key: g2str(pk), participants: dkgIds, threshold: t });
  check('DKG pk = sum of qualified C_i0', view(MPC2, 'public_key', { domain_id: 0 }) === g2str(pk));
  const shares = dkgIds.map((_, jj) => qualified.reduce((s, i) => Fr.add(s, evalAt(poly[i], jj + 1)), 0n));
  const parts = view(MPC2, 'get_participants', {});
  check('DKG participants and threshold', parts.threshold === 2 && j(parts.participants.map((p) => p.account_id)) === j(dkgIds));
  check('DKG public shares X_j = x_j·G2', parts.participants.every((p, jj) => p.public_shares[0] === g2str(G2.BASE.multiply(shares[jj]))), j(parts));
  check('DKG round removed', view(MPC2, 'get_dkg', { domain_id: 0 }) === null);
  // a threshold answer from nodes 1 and 3 (Lagrange at 0), checked on-chain for the PV form
  const path = 'dkg/app';
  const out = request(APP, { derivation_path: path, app_public_key: forms.AppPublicKeyPV, domain_id: 0 }, { contract: MPC2 });
  check('DKG request pending', out.status === 'Pending', j(out.status));
  const H = hashPoint(pk, appId(APP, path));
  const ids = [1n, 3n];
  const lambda = (i) => ids.filter((m) => m !== i).reduce((acc, m) => Fr.mul(acc, Fr.div(m, Fr.sub(m, i))), 1n);
  let Y = G1.ZERO, C = G1.ZERO;
  for (const i of ids) {
    const y = scalarOf(`partial ${i}`), l = lambda(i), x = shares[Number(i) - 1];
    Y = Y.add(G1.BASE.multiply(Fr.mul(l, y)));
    C = C.add(H.multiply(Fr.mul(l, x)).add(A.multiply(Fr.mul(l, y))));
  }
  ok('DKG respond (threshold answer)', respond(N2, { request_id: 1, response: { big_y: g1str(Y), big_c: g1str(C) } }, MPC2));
  const done = settle(out.id);
  const sig = g1of(done.result.big_c).subtract(g1of(done.result.big_y).multiply(a));
  check('DKG: unmasked = msk·H', sig.equals(H.multiply(msk)));
  refused('start_dkg for a domain with a key', call(N1, MPC2, 'start_dkg', { domain_id: 0, participants: dkgIds, threshold: 2 }), /already has a key/);
  // a round in which too few dealers commit ends without a key
  ok('start_dkg domain 3', call(MPC2, MPC2, 'start_dkg', { domain_id: 3, participants: dkgIds, threshold: 3 }));
  ok('one commitment', call(N1, MPC2, 'submit_dkg_commitment', { domain_id: 3, commitments: [...commits[0], g2str(G2.BASE)] }));
  chain.advance(100);
  oneEvent('failed round', ok('finalize a failed round', call(N1, MPC2, 'finalize_dkg', { domain_id: 3 })), 'dkg_failed',
    { domain_id: 3, qualified: [N1], threshold: 3, reason: 'fewer qualified dealers than the threshold' });
  viewFails('no key after a failed round', MPC2, 'public_key', { domain_id: 3 }, /unknown domain_id/);
  check('failed round removed', view(MPC2, 'get_dkg', { domain_id: 3 }) === null);
}

console.log(`contract_mpc_signer (${mode}): ${score.pass} passed, ${score.fail} failed`);
if (chain.close) chain.close();
process.exit(score.fail === 0 ? 0 : 1);
