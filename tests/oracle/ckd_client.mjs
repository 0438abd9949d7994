// Independent check of teekeys' NEAR CKD client (`teekeys ckd request` / `teekeys ckd unmask`)
// against @noble/curves' BLS12-381, which here plays the NEAR MPC network:
//   - noble reproduces the official hash points of ../shared/vectors/ckd.json (same DST use);
//   - for ~20 random runs (random msk, predecessor and path, the empty path included) teekeys
//     prints a request; noble checks its shape, app_id and e(pk1, G2) == e(G1, pk2), answers
//     Y = y·G1, C = msk·H + y·A, checks the contract's on-chain test e(C, G2) == e(Y, pk2)·e(H, pk),
//     and `teekeys ckd unmask` must print exactly HKDF-SHA256(compress(msk·H)) as noble computes it;
//   - an answer made with another msk must exit 1, a malformed point 2;
//   - tests/vectors/ckd/cli_v1.txt (the CLI test's fixed answers for the official V1 key material)
//     must equal what this script computes (--write regenerates it).
// Usage: node tests/oracle/ckd_client.mjs [--write]   (env TK_BIN_DIR, TK_SHARED_DIR)
import { bls12_381 } from '@noble/curves/bls12-381';
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha256';
import { sha3_256 } from '@noble/hashes/sha3';
import { base58, hex } from '@scure/base';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(process.env.TK_BIN_DIR || path.join(here, '..', '..', 'build', 'bin'), 'teekeys');
const shared = process.env.TK_SHARED_DIR || path.join(here, '..', '..', '..', 'shared');
const cliVectorFile = path.join(here, '..', 'vectors', 'ckd', 'cli_v1.txt');
const DST = 'NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_';
const PREFIX = 'near-mpc v0.1.0 app_id derivation:';
const G1 = bls12_381.G1.ProjectivePoint;
const G2 = bls12_381.G2.ProjectivePoint;
const Fp12 = bls12_381.fields.Fp12;
const r = bls12_381.params.r;
const enc = new TextEncoder();

let failures = 0;
function check(cond, what) {
  if (!cond) {
    failures++;
    console.error(`FAIL: ${what}`);
  }
}

const big = (b) => BigInt('0x' + (hex.encode(b) || '0'));
const be32 = (x) => hex.decode(x.toString(16).padStart(64, '0'));
const randScalar = () => {
  const b = new Uint8Array(64);
  crypto.getRandomValues(b);
  return (big(b) % (r - 1n)) + 1n;
};
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const g1str = (p) => 'bls12381g1:' + base58.encode(p.toRawBytes(true));
const g2str = (p) => 'bls12381g2:' + base58.encode(p.toRawBytes(true));
function parseKey(s, prefix, Point) {
  if (typeof s !== 'string' || !s.startsWith(prefix)) throw new Error(`not a ${prefix} string: ${s}`);
  return Point.fromHex(base58.decode(s.slice(prefix.length)));
}
const appId = (pred, p) => sha3_256(enc.encode(PREFIX + pred + ',' + p));
const hashPoint = (pk, id) => G1.fromAffine(bls12_381.G1.hashToCurve(concat(pk.toRawBytes(true), id), { DST }).toAffine());
const secretOf = (sig) => hkdf(sha256, sig.toRawBytes(true), undefined, new Uint8Array(0), 32);
const pairEq = (a1, b1, a2, b2) => Fp12.eql(bls12_381.pairing(a1, b1), bls12_381.pairing(a2, b2));

// The network's answer for an app key A: (Y, C) = (y·G1, msk·H + y·A).
function answer(msk, y, H, A) {
  return { Y: G1.BASE.multiply(y), C: H.multiply(msk).add(A.multiply(y)) };
}

function run(args) {
  const res = spawnSync(bin, args, { encoding: 'utf8' });
  if (res.error) throw res.error;
  return res;
}

// 1. noble reproduces the official hash points and secrets (so its DST and HKDF use match NEAR's).
const vectors = JSON.parse(readFileSync(path.join(shared, 'vectors', 'ckd.json'), 'utf8'));
for (const v of vectors.ckd) {
  const pk = G2.fromHex(v.pk);
  const H = hashPoint(pk, hex.decode(v.app_id));
  check(hex.encode(H.toRawBytes(true)) === v.hash_point, `${v.name}: noble hash point`);
  check(hex.encode(secretOf(H.multiply(big(hex.decode(v.msk))))) === v.s, `${v.name}: noble secret`);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'tk-ckd-oracle-'));
try {
  // 2. random runs through the CLI
  const preds = ['alice.near', 'dao.teekeys.testnet', 'x1', 'a-b_c.d-e', '98793cd91a3f870fb126f66285808c7e094afcfc4eda8a970f6648cdf0dbd6de'];
  const paths = ['', 'teekeys/master/v1', 'bob.near:keystore', 'ünïcödé ✓ "quoted" \\ back/slash', ''];
  const RUNS = 20;
  for (let i = 0; i < RUNS; i++) {
    const pred = preds[i % preds.length];
    const p = i < paths.length ? paths[i] : `path-${i}-${hex.encode(crypto.getRandomValues(new Uint8Array(4)))}`;
    const domain = i % 3;
    const keyFile = path.join(tmp, `a${i}.key`);
    const req = run(['ckd', 'request', '--predecessor', pred, '--path', p, '--domain-id', String(domain), '--key-out', keyFile]);
    check(req.status === 0, `run ${i}: ckd request exit ${req.status}: ${req.stderr}`);
    if (req.status !== 0) continue;
    check((statSync(keyFile).mode & 0o777) === 0o600, `run ${i}: key file mode`);
    check(/^[0-9a-f]{64}\n$/.test(readFileSync(keyFile, 'utf8')), `run ${i}: key file format`);
    const lines = req.stdout.split('\n');
    check(lines.length === 2 && lines[1] === '', `run ${i}: request is one line`);
    const args = JSON.parse(lines[0]);
    const rq = args.request;
    check(Object.keys(args).join() === 'request', `run ${i}: top-level keys`);
    check(Object.keys(rq).join() === 'derivation_path,app_public_key,domain_id', `run ${i}: request keys`);
    check(rq.derivation_path === p && rq.domain_id === domain, `run ${i}: path and domain echoed`);
    check(Object.keys(rq.app_public_key).join() === 'AppPublicKeyPV', `run ${i}: PV form`);
    const pk1 = parseKey(rq.app_public_key.AppPublicKeyPV.pk1, 'bls12381g1:', G1);
    const pk2 = parseKey(rq.app_public_key.AppPublicKeyPV.pk2, 'bls12381g2:', G2);
    pk1.assertValidity();
    pk2.assertValidity();
    check(pairEq(pk1, G2.BASE, G1.BASE, pk2), `run ${i}: e(pk1, G2) == e(G1, pk2)`);
    const a = big(hex.decode(readFileSync(keyFile, 'utf8').trim()));
    check(G1.BASE.multiply(a).equals(pk1), `run ${i}: pk1 = a·G1`);
    const id = appId(pred, p);
    check(req.stderr.includes(`app_id ${hex.encode(id)}`), `run ${i}: app_id on stderr`);

    // the network
    const msk = randScalar();
    const pk = G2.BASE.multiply(msk);
    const H = hashPoint(pk, id);
    const { Y, C } = answer(msk, randScalar(), H, pk1);
    // the contract's on-chain check for the PV form: e(C, G2) == e(Y, pk2) · e(H, pk)
    check(Fp12.eql(bls12_381.pairing(C, G2.BASE), Fp12.mul(bls12_381.pairing(Y, pk2), bls12_381.pairing(H, pk))),
      `run ${i}: on-chain output check`);
    const want = hex.encode(secretOf(H.multiply(msk)));
    const common = ['ckd', 'unmask', '--a-file', keyFile, '--pk', g2str(pk), '--predecessor', pred, '--path', p];
    const toFile = i % 4 === 3;
    const outFile = path.join(tmp, `s${i}.hex`);
    const un = run([...common, '--big-y', g1str(Y), '--big-c', g1str(C), ...(toFile ? ['--out', outFile] : ['--stdout'])]);
    check(un.status === 0, `run ${i}: unmask exit ${un.status}: ${un.stderr}`);
    const got = toFile ? readFileSync(outFile, 'utf8') : un.stdout;
    check(got === want + '\n', `run ${i} (path ${JSON.stringify(p)}): secret ${got.trim()} != ${want}`);
    if (toFile) check((statSync(outFile).mode & 0o777) === 0o600, `run ${i}: secret file mode`);

    if (i % 5 === 0) {
      // another msk: the pairing check must fail with exit 1
      const msk2 = randScalar();
      const bad = answer(msk2, randScalar(), H, pk1);
      const w = run([...common, '--big-y', g1str(bad.Y), '--big-c', g1str(bad.C), '--stdout']);
      check(w.status === 1 && w.stdout === '' && /pairing check failed/.test(w.stderr), `run ${i}: wrong msk exit ${w.status}`);
      // the right answer for another path: exit 1 as well
      const other = hashPoint(pk, appId(pred, p + 'x'));
      const o = answer(msk, randScalar(), other, pk1);
      const w2 = run([...common, '--big-y', g1str(o.Y), '--big-c', g1str(o.C), '--stdout']);
      check(w2.status === 1, `run ${i}: other path exit ${w2.status}`);
      // a malformed point: exit 2
      const m = run([...common, '--big-y', g1str(Y).slice(0, -2), '--big-c', g1str(C), '--stdout']);
      check(m.status === 2, `run ${i}: malformed big_y exit ${m.status}`);
    }
  }
  console.log(`ckd_client: ${RUNS} random CKD runs through the CLI`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// 3. the CLI test's fixed answers: official V1 key material (msk, pk = msk·G2, a), a derived
// app_id, y = SHA-256("teekeys ckd cli vector y " || name) mod r.
function cliVectors() {
  const v1 = vectors.ckd.find((v) => v.name === 'V1');
  const msk = big(hex.decode(v1.msk));
  const pk = G2.fromHex(v1.pk);
  const A = G1.BASE.multiply(big(hex.decode(v1.a)));
  const out = [
    '# Generated by tests/oracle/ckd_client.mjs --write (@noble/curves), checked on every oracle run.',
    '# Official NEAR CKD vector V1 key material (../shared/vectors/ckd.json: msk, pk, a) answered',
    '# for app_id(predecessor, path); y = SHA-256("teekeys ckd cli vector y " || case) mod r.',
    `a ${v1.a}`,
    `pk ${g2str(pk)}`,
    `predecessor alice.near`,
  ];
  for (const [name, p] of [['empty', ''], ['master', 'teekeys/master/v1']]) {
    const H = hashPoint(pk, appId('alice.near', p));
    const y = big(sha256(enc.encode('teekeys ckd cli vector y ' + name))) % r;
    const { Y, C } = answer(msk, y, H, A);
    if (name !== 'empty') out.push(`${name}.path ${p}`);
    out.push(`${name}.big_y ${g1str(Y)}`, `${name}.big_c ${g1str(C)}`, `${name}.secret ${hex.encode(secretOf(H.multiply(msk)))}`);
  }
  // a well-formed answer under another msk (msk + 1): the pairing check must fail
  const H = hashPoint(pk, appId('alice.near', ''));
  const bad = answer(msk + 1n, 7n, H, A);
  out.push(`wrong.big_y ${g1str(bad.Y)}`, `wrong.big_c ${g1str(bad.C)}`);
  return out.join('\n') + '\n';
}
const text = cliVectors();
if (process.argv.includes('--write')) {
  writeFileSync(cliVectorFile, text);
  console.log(`wrote ${cliVectorFile}`);
} else {
  check(readFileSync(cliVectorFile, 'utf8') === text, `${cliVectorFile} differs from what noble computes`);
}

if (failures > 0) {
  console.error(`ckd_client: ${failures} failure(s)`);
  process.exit(1);
}
console.log('ckd_client: all checks passed');
