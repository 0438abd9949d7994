// Cross-checks RFC 9380 hash_to_curve in the bls12_381 module (teekeys C, driven through
// build/tests/test_bls_h2c_helper) against @noble/curves, an independent implementation:
// random messages (empty to 1 KiB) and random DSTs (including one longer than 255 bytes, which
// expand_message_xmd hashes first) hashed to G2 with BLS12381G2_XMD:SHA-256_SSWU_RO_ must give
// the same point byte for byte (ZCash uncompressed encoding), and a smaller set to G1.
// Randomness is a SHA-256 chain from a fixed seed, so failures reproduce.
//   node tests/oracle/bls_h2c_g2.mjs      (TK_TEST_BIN_DIR = the build's tests/ directory)
import { spawnSync } from 'node:child_process';
import { bls12_381 } from '@noble/curves/bls12-381';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { sha256Stream, testHelper } from './lib.mjs';

const helper = testHelper('bls_h2c_g2', 'test_bls_h2c_helper');
const rnd = sha256Stream('teekeys bls hash_to_curve oracle');
const rndInt = (max) => new DataView(rnd(4).buffer).getUint32(0) % max;

const G2_DST = 'QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_';
const cases = [];
for (let i = 0; i < 48; i++) {
  const len = i < 4 ? i : rndInt(i % 8 === 0 ? 1024 : 96);
  let dst;
  if (i === 5) dst = rnd(300); // oversize DST
  else if (i % 3 === 0) dst = utf8ToBytes('BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_');
  else if (i % 3 === 1) dst = utf8ToBytes(G2_DST);
  else dst = rnd(1 + rndInt(64));
  cases.push({ group: 'g2', msg: rnd(len), dst });
}
for (let i = 0; i < 12; i++) {
  const dst = i % 2 ? utf8ToBytes('NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_') : rnd(1 + rndInt(300));
  cases.push({ group: 'g1', msg: rnd(rndInt(200)), dst });
}

const hexOrDash = (b) => (b.length ? bytesToHex(b) : '-');
const input = cases.map((c) => `${c.group} ${hexOrDash(c.msg)} ${hexOrDash(c.dst)}\n`).join('');
const run = spawnSync(helper, [], { input, encoding: 'utf8' });
if (run.status !== 0) {
  console.error('bls_h2c_g2: helper failed', run.stderr);
  process.exit(1);
}
const lines = run.stdout.trim().split('\n');
let failures = 0;
if (lines.length !== cases.length) {
  console.error(`bls_h2c_g2: ${lines.length} answers for ${cases.length} requests`);
  process.exit(1);
}
cases.forEach((c, i) => {
  const curve = c.group === 'g2' ? bls12_381.G2 : bls12_381.G1;
  const want = bytesToHex(curve.hashToCurve(c.msg, { DST: c.dst }).toRawBytes(false));
  if (lines[i] !== want) {
    failures++;
    console.error(`FAIL ${c.group} msg=${hexOrDash(c.msg)} dst=${hexOrDash(c.dst)}\n  ours  ${lines[i]}\n  noble ${want}`);
  }
});
console.log(`bls_h2c_g2: ${cases.length - failures}/${cases.length} points agree with @noble/curves`);
process.exit(failures ? 1 : 0);
