// Cross-checks teekeys' BLS12-381 group operations and the CKD threshold math (teekeys C,
// driven through <build>/tests/test_ckd_threshold_helper) against @noble/curves, an independent
// implementation:
//   - G1/G2 multiplication (constant-time and _var), addition, subtraction, doubling, negation
//     of random points: compressed encodings must match byte for byte;
//   - pairing bilinearity e(aP, bQ) == e(P, Q)^(ab) through teekeys' pairing check (and noble's);
//   - Lagrange coefficients at 0 for random id sets, computed in noble's Fr;
//   - threshold CKD runs for several (t, n): noble recomputes pk, the hash point, checks that
//     the C side's shares lie on one degree t-1 polynomial through msk, checks every partial
//     with its own pairing, sums them, and expects the unmasked answer to be msk·H; corrupted
//     partials (made by C, and partials made by noble) must be named by the C checker;
//   - a DKG: every dealt share against its commitments, pk and public shares, reconstruction.
// Test randomness is a SHA-256 chain, so failures reproduce. Exits non-zero on any disagreement.
//   node tests/oracle/ckd_threshold.mjs   (TK_TEST_BIN_DIR = the build's tests/ directory)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { bls12_381 } from '@noble/curves/bls12-381';
import { bytesToHex, concatBytes } from '@noble/hashes/utils';
import { sha256Stream, Tally, testHelper } from './lib.mjs';

const helperPath = testHelper('ckd_threshold', 'test_ckd_threshold_helper');

const Fr = bls12_381.fields.Fr;
const Fp12 = bls12_381.fields.Fp12;
const G1 = bls12_381.G1.ProjectivePoint;
const G2 = bls12_381.G2.ProjectivePoint;
const DST = 'NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_';
const started = Date.now();

const tally = new Tally();
const { check, eq } = tally;

// ---- the bridge: one JSON line out, one back ----
const child = spawn(helperPath, [], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout });
const waiting = [];
lines.on('line', (l) => waiting.shift()(JSON.parse(l)));
function call(req) {
  return new Promise((resolve) => {
    waiting.push(resolve);
    child.stdin.write(JSON.stringify(req) + '\n');
  });
}
async function ok(req) {
  const ans = await call(req);
  if (!ans.ok) {
    throw new Error(`helper refused ${req.op}: ${ans.error}`);
  }
  return ans.result;
}

// ---- deterministic randomness ----
const rnd = sha256Stream('teekeys ckd threshold oracle');
function rndInt(max) {
  return Number(BigInt('0x' + bytesToHex(rnd(6))) % BigInt(max));
}
function rndScalar() {
  const v = Fr.create(BigInt('0x' + bytesToHex(rnd(48))));
  return v === 0n ? 1n : v;
}
const sh = (k) => k.toString(16).padStart(64, '0');
const ph = (p) => p.toHex(true);
const g1 = (h) => G1.fromHex(h);
const g2 = (h) => G2.fromHex(h);
function pairingIsOne(pairs) {
  return Fp12.eql(bls12_381.pairingBatch(pairs.map(([p, q]) => ({ g1: p, g2: q }))), Fp12.ONE);
}
function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rndInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
function lagrange(ids, id) {
  let num = 1n;
  let den = 1n;
  for (const j of ids) {
    if (j === id) continue;
    num = Fr.mul(num, BigInt(j));
    den = Fr.mul(den, Fr.sub(BigInt(j), BigInt(id)));
  }
  return Fr.mul(num, Fr.inv(den));
}
function interpolate(ids, ys) {
  return ids.reduce((acc, id, i) => Fr.add(acc, Fr.mul(lagrange(ids, id), ys[i])), 0n);
}

// ---- 1. group operations ----
async function groupOps() {
  const edge = [1n, 2n, Fr.ORDER - 1n, Fr.ORDER - 2n, (1n << 128n) + 7n];
  for (const [name, P, count] of [['g1', G1, 24], ['g2', G2, 12]]) {
    for (let i = 0; i < count; i++) {
      const p = i % 3 === 0 && name === 'g1'
        ? bls12_381.G1.hashToCurve(rnd(40), { DST: 'teekeys oracle' })
        : P.BASE.multiply(rndScalar());
      const q = i === 1 ? p : P.BASE.multiply(rndScalar()); // i == 1: q == p (add doubles)
      const k = i < edge.length ? edge[i] : rndScalar();
      const r = await ok({ op: name, p: ph(p), q: ph(q), k: sh(k) });
      const want = ph(p.multiply(k));
      eq(r.mul, want, `${name} mul #${i}`);
      eq(r.mul_var, want, `${name} mul_var #${i}`);
      eq(r.add, ph(p.add(q)), `${name} add #${i}`);
      eq(r.sub, i === 1 ? ph(P.ZERO) : ph(p.subtract(q)), `${name} sub #${i}`);
      eq(r.dbl, ph(p.double()), `${name} dbl #${i}`);
      eq(r.neg, ph(p.negate()), `${name} neg #${i}`);
    }
  }
}

// ---- 2. pairing bilinearity ----
async function bilinearity() {
  for (let i = 0; i < 6; i++) {
    const a = rndScalar();
    const b = rndScalar();
    const P = G1.BASE.multiply(rndScalar());
    const Q = G2.BASE.multiply(rndScalar());
    const ab = Fr.mul(a, b);
    // e(aP, bQ) · e(-(ab)P, Q) == 1
    const good = [[P.multiply(a), Q.multiply(b)], [P.multiply(ab).negate(), Q]];
    const bad = [[P.multiply(a), Q.multiply(b)], [P.multiply(Fr.add(ab, 1n)).negate(), Q]];
    const r1 = await ok({ op: 'pairing_check', g1: good.map((x) => ph(x[0])),
      g2: good.map((x) => ph(x[1])) });
    const r2 = await ok({ op: 'pairing_check', g1: bad.map((x) => ph(x[0])),
      g2: bad.map((x) => ph(x[1])) });
    eq(r1.result, true, `bilinearity #${i}`);
    eq(r2.result, false, `bilinearity (wrong exponent) #${i}`);
    if (i < 2) { // noble agrees on both (its pairing is the slow part of this script)
      eq(pairingIsOne(good), true, `noble bilinearity #${i}`);
      eq(pairingIsOne(bad), false, `noble bilinearity (wrong) #${i}`);
    }
  }
}

// ---- 3. Lagrange coefficients ----
async function lagrangeSets() {
  for (let i = 0; i < 15; i++) {
    const count = 1 + rndInt(12);
    const ids = new Set();
    while (ids.size < count) {
      const id = i % 2 ? 1 + rndInt(30) : 1 + rndInt(0xffffffff);
      ids.add(id);
    }
    const list = [...ids];
    const r = await ok({ op: 'lagrange', ids: list });
    list.forEach((id, j) => eq(r.lambdas[j], sh(lagrange(list, id)), `lagrange set #${i} id ${id}`));
  }
  const dup = await call({ op: 'lagrange', ids: [3, 1, 3] });
  eq(dup.ok, false, 'lagrange refuses a repeated id');
  const zero = await call({ op: 'lagrange', ids: [0, 1] });
  eq(zero.ok, false, 'lagrange refuses id 0');
}

// The PV check of one partial with noble's pairing:
// e(C_i, G2) == e(Y_i, a·G2) · e(H, lambda_i·X_i).
function noblePartialOk(part, a2, h, lambda, x) {
  return pairingIsOne([[g1(part.c).negate(), G2.BASE], [g1(part.y), a2],
    [h, x.multiply(lambda)]]);
}

// ---- 4. threshold runs, C side makes everything ----
let nobleChecks = 0;
async function ckdRun(t, n, signers, corrupt) {
  const msk = rndScalar();
  const a = rndScalar();
  const appId = rnd(32);
  const what = `ckd (${t},${n}) signers ${signers}${corrupt ? ` corrupt ${corrupt.what}@${corrupt.index}` : ''}`;
  const r = await ok({ op: 'ckd_run', msk: sh(msk), a: sh(a), app_id: bytesToHex(appId), t, n,
    signers, corrupt: corrupt || null });
  const pk = G2.BASE.multiply(msk);
  eq(r.pk, ph(pk), `${what}: pk`);
  const h = bls12_381.G1.hashToCurve(concatBytes(pk.toRawBytes(true), appId), { DST });
  eq(r.h, ph(h), `${what}: hash point`);
  eq(r.a1, ph(G1.BASE.multiply(a)), `${what}: a·G1`);
  const a2 = G2.BASE.multiply(a);
  eq(r.a2, ph(a2), `${what}: a·G2`);
  eq(r.app_key_ok, true, `${what}: app key check`);
  // the shares lie on one polynomial of degree t-1 through msk
  const shares = r.shares.map((s) => BigInt('0x' + s));
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const base = ids.slice(0, t);
  eq(sh(interpolate(base, shares.slice(0, t))), sh(msk), `${what}: first t shares give msk`);
  for (let j = t; j < n; j++) { // f(j) from the first t shares must be share j
    let v = 0n;
    for (let i = 0; i < t; i++) {
      let l = 1n;
      for (let m = 0; m < t; m++) {
        if (m !== i) {
          l = Fr.mul(l, Fr.mul(Fr.sub(BigInt(j + 1), BigInt(m + 1)),
            Fr.inv(Fr.sub(BigInt(i + 1), BigInt(m + 1)))));
        }
      }
      v = Fr.add(v, Fr.mul(l, shares[i]));
    }
    eq(sh(v), sh(shares[j]), `${what}: share ${j + 1} on the polynomial`);
  }
  if (t > 1) {
    check(interpolate(base.slice(0, t - 1), shares.slice(0, t - 1)) !== msk,
      `${what}: t-1 shares do not give msk`);
  }
  r.public_shares.forEach((x, i) => eq(x, ph(G2.BASE.multiply(shares[i])), `${what}: X_${i + 1}`));
  signers.forEach((id, i) => eq(r.lambdas[i], sh(lagrange(signers, id)), `${what}: lambda ${id}`));
  eq(r.combined, sh(interpolate(signers, signers.map((id) => shares[id - 1]))),
    `${what}: combine`);
  // noble checks the partials itself (a few per run: its pairing is slow) and sums them
  const checkIdx = corrupt ? [corrupt.index] : [0, signers.length - 1];
  for (const i of new Set(checkIdx)) {
    const id = signers[i];
    const good = noblePartialOk(r.partials[i], a2, h, lagrange(signers, id),
      G2.BASE.multiply(shares[id - 1]));
    nobleChecks++;
    eq(good, !corrupt, `${what}: noble's check of partial ${i}`);
  }
  const Y = r.partials.reduce((acc, p) => acc.add(g1(p.y)), G1.ZERO);
  const C = r.partials.reduce((acc, p) => acc.add(g1(p.c)), G1.ZERO);
  eq(r.big_y, ph(Y), `${what}: sum Y`);
  eq(r.big_c, ph(C), `${what}: sum C`);
  eq(ph(C.subtract(Y.multiply(a))), r.sig, `${what}: unmask`);
  const msH = ph(h.multiply(msk));
  if (corrupt) {
    eq(r.verify.ok, false, `${what}: C checker rejects`);
    eq(r.verify.bad, corrupt.index, `${what}: C checker names the node`);
    eq(r.response_ok, false, `${what}: contract check rejects`);
    check(r.sig !== msH, `${what}: corrupted answer is not msk·H`);
  } else {
    eq(r.verify.ok, true, `${what}: C checker accepts`);
    eq(r.verify.bad, signers.length, `${what}: no node named`);
    eq(r.response_ok, signers.length >= t, `${what}: contract check`);
    if (signers.length >= t) {
      eq(r.sig, msH, `${what}: sig == msk·H (noble)`);
    } else {
      check(r.sig !== msH, `${what}: t-1 partials do not give msk·H`);
    }
  }
}

async function thresholdRuns() {
  for (const [t, n] of [[1, 1], [2, 3], [3, 5], [5, 9], [4, 7], [7, 10]]) {
    const all = Array.from({ length: n }, (_, i) => i + 1);
    await ckdRun(t, n, shuffle([...all]).slice(0, t)); // any t
    await ckdRun(t, n, shuffle([...all]).slice(0, t));
    if (n > t) await ckdRun(t, n, shuffle([...all]).slice(0, t + 1)); // more than t
    if (t > 1) await ckdRun(t, n, shuffle([...all]).slice(0, t - 1)); // too few
  }
  for (const [t, n] of [[2, 3], [3, 5], [5, 9]]) {
    for (const w of ['Y', 'C']) {
      const all = Array.from({ length: n }, (_, i) => i + 1);
      const signers = shuffle([...all]).slice(0, t);
      await ckdRun(t, n, signers, { index: rndInt(t), what: w });
    }
  }
}

// ---- 5. partials made by noble, checked by C ----
async function noblePartials() {
  const [t, n] = [3, 6];
  const msk = rndScalar();
  const coeffs = [msk, rndScalar(), rndScalar()];
  const f = (x) => coeffs.reduceRight((acc, c) => Fr.add(Fr.mul(acc, BigInt(x)), c), 0n);
  const a = rndScalar();
  const pk = G2.BASE.multiply(msk);
  const a2 = G2.BASE.multiply(a);
  const A = G1.BASE.multiply(a);
  const h = bls12_381.G1.hashToCurve(concatBytes(pk.toRawBytes(true), rnd(32)), { DST });
  const ids = shuffle(Array.from({ length: n }, (_, i) => i + 1)).slice(0, 4);
  const make = (id, share) => {
    const l = lagrange(ids, id);
    const y = rndScalar();
    return { y: ph(G1.BASE.multiply(Fr.mul(l, y))),
      c: ph(h.multiply(Fr.mul(l, share)).add(A.multiply(Fr.mul(l, y)))) };
  };
  const parts = ids.map((id) => make(id, f(id)));
  const xs = ids.map((id) => ph(G2.BASE.multiply(f(id))));
  const req = { op: 'ckd_verify', h: ph(h), pk: ph(pk), a2: ph(a2), ids, public_shares: xs };
  let r = await ok({ ...req, partials: parts });
  eq(r.verify.ok, true, 'noble partials: accepted');
  eq(r.response_ok, true, 'noble partials: contract check');
  const sum = (k) => parts.reduce((acc, p) => acc.add(g1(p[k])), G1.ZERO);
  eq(r.big_y, ph(sum('y')), 'noble partials: sum Y');
  eq(r.big_c, ph(sum('c')), 'noble partials: sum C');
  eq(ph(sum('c').subtract(sum('y').multiply(a))), ph(h.multiply(msk)), 'noble partials: msk·H');
  for (let k = 0; k < ids.length; k++) {
    const bad = parts.slice();
    const kind = k % 3;
    if (kind === 0) bad[k] = make(ids[k], Fr.add(f(ids[k]), 1n)); // wrong share
    if (kind === 1) bad[k] = { ...parts[k], y: ph(g1(parts[k].y).double()) };
    if (kind === 2) bad[k] = { ...parts[k], c: ph(g1(parts[k].c).add(h)) };
    r = await ok({ ...req, partials: bad });
    eq(r.verify.ok, false, `noble partials: corrupted #${k} rejected`);
    eq(r.verify.bad, k, `noble partials: corrupted #${k} named`);
    eq(r.response_ok, false, `noble partials: corrupted #${k} fails the contract check`);
  }
}

// ---- 6. DKG ----
async function dkg() {
  for (const [t, n] of [[2, 3], [3, 5]]) {
    const r = await ok({ op: 'dkg', t, n });
    const commits = r.commitments.map((hex) => {
      eq(hex.length, 192 * t, `dkg (${t},${n}): commitment length`);
      return Array.from({ length: t }, (_, k) => g2(hex.slice(192 * k, 192 * (k + 1))));
    });
    const sent = r.sent.map((row) => row.map((s) => BigInt('0x' + s)));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let want = G2.ZERO;
        let pw = 1n;
        for (let k = 0; k < t; k++) {
          want = want.add(commits[i][k].multiply(pw));
          pw = Fr.mul(pw, BigInt(j + 1));
        }
        check(G2.BASE.multiply(sent[i][j]).equals(want), `dkg (${t},${n}): share ${i}->${j + 1}`);
      }
    }
    const pk = commits.reduce((acc, c) => acc.add(c[0]), G2.ZERO);
    eq(r.pk, ph(pk), `dkg (${t},${n}): pk`);
    const finals = r.shares.map((s) => BigInt('0x' + s));
    finals.forEach((x, j) => {
      eq(sh(x), sh(sent.reduce((acc, row) => Fr.add(acc, row[j]), 0n)), `dkg: x_${j + 1}`);
      eq(r.public_shares[j], ph(G2.BASE.multiply(x)), `dkg: X_${j + 1}`);
    });
    const ids = shuffle(Array.from({ length: n }, (_, i) => i + 1)).slice(0, t);
    const z = interpolate(ids, ids.map((id) => finals[id - 1]));
    eq(ph(G2.BASE.multiply(z)), r.pk, `dkg (${t},${n}): t shares reconstruct pk's log`);
  }
}

try {
  await groupOps();
  await bilinearity();
  await lagrangeSets();
  await thresholdRuns();
  await noblePartials();
  await dkg();
} catch (e) {
  tally.failures++;
  console.error('FAIL:', e.stack || e);
}
child.stdin.end();
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`ckd_threshold oracle: ${tally.checks} checks (${nobleChecks} partials re-checked by ` +
  `noble), ${tally.failures} failures, ${secs} s`);
process.exit(tally.failures ? 1 : 0);
