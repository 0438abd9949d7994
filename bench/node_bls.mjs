// Baselines for bench_bls: the same BLS12-381 operations with @noble/curves (every operation)
// and with blst through its native binding @chainsafe/blst (only the Eth2-style operations it
// exposes: sign = hash to G2 + G2 multiplication, verify = hash to G2 + two-pairing check, and
// the multi-signature checks), measured in this process. It first runs teekeys' bench_bls
// (TK_BENCH_BLS, default build/bin/bench_bls) with --json in the same run and prints
// microseconds of CPU time per operation and the ratios noble/teekeys and teekeys/blst.
// Run from the repository root with the oracle packages: node bench/node_bls.mjs [seconds]
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const require = createRequire(path.join(root, 'tests', 'oracle', 'package.json'));
const { bls12_381: bls } = require('@noble/curves/bls12-381');
const { hkdf } = require('@noble/hashes/hkdf');
const { sha256 } = require('@noble/hashes/sha256');
const blst = require('@chainsafe/blst');

const secs = Number(process.argv[2] ?? 1);
const bin = process.env.TK_BENCH_BLS || path.join(root, 'build', 'bin', 'bench_bls');

// teekeys' numbers: bench_bls runs before and after the JavaScript measurements and the
// better of the two is kept, so that load on a shared machine does not favour either side.
let ours = {};
const runOurs = () => {
  if (!existsSync(bin)) return;
  const r = JSON.parse(execFileSync(bin, [String(secs / 2), '--json', '--cpu'], { encoding: 'utf8' }));
  for (const [k, v] of Object.entries(r)) ours[k] = Math.min(ours[k] ?? Infinity, v);
};
if (!existsSync(bin)) console.error(`node_bls: ${bin} not found (build bench_bls or set TK_BENCH_BLS); baselines only`);
runOurs();

// microseconds of process CPU time per call of fn (both sides measure CPU time: wall-clock
// time on a loaded shared machine mostly measures the other processes): the best of two rounds
// of secs/2 (at least 3 calls each), after one warm-up call
const cpuUs = () => { const u = process.cpuUsage(); return u.user + u.system; };
function usPer(fn) {
  fn(0);
  let best = Infinity;
  for (let round = 0; round < 2; round++) {
    let n = 0;
    const start = cpuUs();
    while (n < 3 || cpuUs() - start < (secs * 1e6) / 2) fn(++n);
    best = Math.min(best, (cpuUs() - start) / n);
  }
  return best;
}

const G1 = bls.G1.ProjectivePoint;
const G2 = bls.G2.ProjectivePoint;
const Fp12 = bls.fields.Fp12;
const Fr = bls.fields.Fr;
const POP = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const NEAR = 'NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_';
const rndScalar = () => Fr.create(BigInt('0x' + Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('hex')));
const be32 = (x) => Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
const msgOf = (i) => { const m = new Uint8Array(32); new DataView(m.buffer).setUint32(0, i, true); return m; };

const k = rndScalar();
const p1 = G1.BASE.multiply(k);
const p2 = G2.BASE.multiply(k);
const skBytes = be32(rndScalar());
const sk = bls.longSignatures; // pk in G1, signature in G2 (Eth2)
const pk = sk.getPublicKey(skBytes);
const m0 = new Uint8Array(32);
const sig0 = sk.sign(sk.hash(m0, POP), skBytes);

// CKD: pk = msk G2, H = hash_to_g1(pk || app_id), Y = y G1, C = msk H + y a G1
const msk = rndScalar(), a = rndScalar(), y = rndScalar();
const ckdPk = G2.BASE.multiply(msk);
const ckdMsg = new Uint8Array([...ckdPk.toRawBytes(true), ...new Uint8Array(32).fill(0x5a)]);
const ckdH = bls.G1.hashToCurve(ckdMsg, { DST: NEAR });
const bigY = G1.BASE.multiply(y);
const bigC = ckdH.multiply(msk).add(G1.BASE.multiply(a).multiply(y));
const encY = bigY.toRawBytes(true), encC = bigC.toRawBytes(true), encPk = ckdPk.toRawBytes(true);
function nobleCkd(Y, C, P) {
  const s = C.subtract(Y.multiply(a));
  const h = bls.G1.hashToCurve(ckdMsg, { DST: NEAR });
  const f = bls.pairingBatch([{ g1: h, g2: P }, { g1: s.negate(), g2: G2.BASE }]);
  if (!Fp12.eql(f, Fp12.ONE)) throw new Error('noble ckd check failed');
  return hkdf(sha256, s.toRawBytes(true), undefined, new Uint8Array(0), 32);
}

// multi-signature data: 16 keys, 8 messages
const keys = Array.from({ length: 16 }, () => be32(rndScalar()));
const msgs = Array.from({ length: 8 }, (_, i) => new Uint8Array(32).fill(97 + i));
const noblePks = keys.map((kb) => sk.getPublicKey(kb));
const nobleOne = sk.aggregateSignatures(keys.map((kb) => sk.sign(sk.hash(msgs[0], POP), kb)));
const nobleMany = sk.aggregateSignatures(msgs.map((m, i) => sk.sign(sk.hash(m, POP), keys[i])));
const blstSks = keys.map((kb) => blst.SecretKey.fromBytes(kb));
const blstPks = blstSks.map((s) => s.toPublicKey());
const blstOne = blst.aggregateSignatures(blstSks.map((s) => s.sign(msgs[0])));
const blstSigs = msgs.map((m, i) => blstSks[i].sign(m));
const blstMany = blst.aggregateSignatures(blstSigs);
const blstSk = blst.SecretKey.fromBytes(skBytes);
const blstPk = blstSk.toPublicKey();
const blstSig0 = blstSk.sign(m0);

const noble = {
  g1_mul: () => p1.multiply(k),
  g1_mul_var: () => p1.multiplyUnsafe(k),
  g2_mul: () => p2.multiply(k),
  hash_to_g1: (i) => bls.G1.hashToCurve(msgOf(i), { DST: NEAR }),
  hash_to_g2: (i) => bls.G2.hashToCurve(msgOf(i), { DST: POP }),
  pairing: () => bls.pairing(p1, p2),
  pairing_check2: () => Fp12.eql(bls.pairingBatch([{ g1: p1, g2: G2.BASE }, { g1: G1.BASE.negate(), g2: p2 }]), Fp12.ONE),
  eth_sign: (i) => sk.sign(sk.hash(msgOf(i), POP), skBytes),
  eth_verify: () => { if (!sk.verify(sig0, sk.hash(m0, POP), pk)) throw new Error('noble verify'); },
  ckd_unmask_verify: () => nobleCkd(bigY, bigC, ckdPk),
  ckd_decode_unmask_verify: () => {
    const Y = G1.fromHex(encY), C = G1.fromHex(encC), P = G2.fromHex(encPk);
    Y.assertValidity(); C.assertValidity(); P.assertValidity();
    return nobleCkd(Y, C, P);
  },
  eth_fast_aggregate_verify16: () => {
    if (!sk.verify(nobleOne, sk.hash(msgs[0], POP), sk.aggregatePublicKeys(noblePks))) throw new Error('noble fav');
  },
  eth_aggregate_verify8: () => {
    if (!sk.verifyBatch(nobleMany, msgs.map((m) => sk.hash(m, POP)), noblePks.slice(0, 8))) throw new Error('noble av');
  },
};
const blstOps = {
  eth_sign: (i) => blstSk.sign(msgOf(i)),
  eth_verify: () => { if (!blst.verify(m0, blstPk, blstSig0, false, false)) throw new Error('blst verify'); },
  eth_fast_aggregate_verify16: () => { if (!blst.fastAggregateVerify(msgs[0], blstPks, blstOne, false)) throw new Error('blst fav'); },
  eth_aggregate_verify8: () => { if (!blst.aggregateVerify(msgs, blstPks.slice(0, 8), blstMany, false, false)) throw new Error('blst av'); },
  eth_batch_verify8: () => {
    const sets = msgs.map((m, i) => ({ msg: m, pk: blstPks[i], sig: blstSigs[i] }));
    if (!blst.verifyMultipleAggregateSignatures(sets, false, false)) throw new Error('blst batch');
  },
};

const rows = [];
const names0 = [...new Set([...Object.keys(ours), ...Object.keys(noble), ...Object.keys(blstOps)])];
for (const name of names0) {
  rows.push([name, noble[name] ? usPer(noble[name]) : undefined, blstOps[name] ? usPer(blstOps[name]) : undefined]);
}
runOurs();
const fmt = (v) => (v === undefined ? '-' : v.toFixed(1)).padStart(10);
const ratio = (a, b) => (a === undefined || b === undefined ? '-' : (a / b).toFixed(2) + 'x').padStart(9);
console.log(`${'operation (us/op)'.padEnd(28)}${'teekeys'.padStart(10)}${'noble'.padStart(10)}${'blst'.padStart(10)}${'noble/tk'.padStart(9)}${'tk/blst'.padStart(9)}`);
for (const [name, n, b] of rows) {
  const t = ours[name];
  console.log(`${name.padEnd(28)}${fmt(t)}${fmt(n)}${fmt(b)}${ratio(n, t)}${ratio(t, b)}`);
}
console.log('noble/tk: how many times faster teekeys is than @noble/curves (goal >= 5x);');
console.log('tk/blst: teekeys time over blst time (goal <= 2x). Goal for ckd_unmask_verify: < 1500 us.');
