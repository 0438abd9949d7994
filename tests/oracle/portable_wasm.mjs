// Cross-checks the portable crypto (src/portable) compiled to wasm32 against @noble/curves p256
// and @noble/hashes in Node's WebAssembly engine: random keys and signatures (valid, high-S twin,
// corrupted), keys off the curve, and SHA-256/384 of random inputs. Exits non-zero on any
// disagreement.
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha256';
import { sha384 } from '@noble/hashes/sha512';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const wasm = path.join(process.env.TK_BIN_DIR ?? 'build/bin', '..', 'contracts', 'portable_selftest.wasm');
const { exports: ex } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), {});
const mem = () => new Uint8Array(ex.memory.buffer, ex.buffer(), 65536);
const N = p256.CURVE.n;
let pass = 0, fail = 0;
const check = (name, cond) => { if (cond) pass++; else { fail++; console.error(`FAIL ${name}`); } };

function verify(sig, digest, pub) {
  const m = mem();
  m.set(sig, 0); m.set(digest, 64); m.set(pub, 96);
  return ex.p256_verify();
}
const be32 = (x) => Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));

for (let i = 0; i < 200; i++) {
  const sk = p256.utils.randomPrivateKey();
  const pub = p256.getPublicKey(sk, false).slice(1);
  const digest = i === 0 ? new Uint8Array(32).fill(0xff) : randomBytes(32);
  const s = p256.sign(digest, sk, { prehash: false, lowS: false });
  const sig = new Uint8Array([...be32(s.r), ...be32(s.s)]);
  check(`valid ${i}`, verify(sig, digest, pub) === 1);
  const twin = new Uint8Array([...be32(s.r), ...be32(N - s.s)]);
  check(`high-S twin ${i}`, verify(twin, digest, pub) === 1);
  const bad = sig.slice(); bad[i % 64] ^= 1 << (i % 8);
  check(`corrupt sig ${i}`, verify(bad, digest, pub) === (p256.verify(bad, digest, new Uint8Array([4, ...pub]), { prehash: false, lowS: false }) ? 1 : 0));
  const offcurve = pub.slice(); offcurve[63] ^= 1;
  check(`off-curve key ${i}`, verify(sig, digest, offcurve) === 0);
  const d2 = digest.slice(); d2[0] ^= 0x80;
  check(`other digest ${i}`, verify(sig, d2, pub) === 0);
}
for (let len = 0; len < 1200; len += 7) {
  const data = randomBytes(len);
  const m = mem();
  m.set(data, 256);
  ex.sha256(len);
  check(`sha256 ${len}`, Buffer.from(mem().slice(0, 32)).equals(Buffer.from(sha256(data))));
  mem().set(data, 256);
  ex.sha384(len);
  check(`sha384 ${len}`, Buffer.from(mem().slice(0, 48)).equals(Buffer.from(sha384(data))));
}
console.log(`portable wasm (${readFileSync(wasm).length} bytes): ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
