// Cross-checks the portable crypto (src/portable) compiled to wasm32 against @noble/curves p256
// and @noble/hashes in Node's WebAssembly engine: random keys and signatures (valid, high-S twin,
// corrupted), keys off the curve, and SHA-256/384 of random inputs. Exits non-zero on any
// disagreement. Then the portable DCAP verifier in wasm32 against the native one (below).
import { p256 } from '@noble/curves/p256';
import { mod, invert } from '@noble/curves/abstract/modular';
import { sha256 } from '@noble/hashes/sha256';
import { sha384 } from '@noble/hashes/sha512';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
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
// Chosen R = u1 G + u2 Q (Q = (R - u1 G) / u2): x(R) >= n, where the verifier must find
// x(R) = r + n, and x(R) < p - n, where a wrong digest must fail both candidates.
{
  const { ProjectivePoint: Pt } = p256;
  let found = 0;
  for (let i = 0; found < 20 && i < 2000; i++) {
    const off = BigInt('0x' + randomBytes(12).toString('hex'));
    const x = found % 2 === 0 ? N + off : off;
    let R;
    try { R = Pt.fromHex('02' + x.toString(16).padStart(64, '0')); } catch { continue; }
    const r = mod(x, N), s = mod(BigInt('0x' + randomBytes(32).toString('hex')), N - 1n) + 1n;
    const digest = randomBytes(32); digest[0] &= 0x7f;
    const w = invert(s, N), e = BigInt('0x' + digest.toString('hex'));
    const u1 = mod(e * w, N), u2 = mod(r * w, N);
    const Q = R.subtract(Pt.BASE.multiply(u1)).multiply(invert(u2, N));
    const pub = Q.toRawBytes(false).slice(1), sig = new Uint8Array([...be32(r), ...be32(s)]);
    check(`chosen R ${found} valid`, verify(sig, digest, pub) === 1);
    digest[31] ^= 1;
    check(`chosen R ${found} wrong digest`, verify(sig, digest, pub) === 0);
    found++;
  }
  check('chosen R points found', found === 20);
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

// The portable DCAP verifier in wasm32 (build/contracts/portable_dcap.wasm) against the native
// verifier (through test_portable_dcap_helper): the vectors inside and outside their windows,
// the SGX quote and seeded bit flips of the quote and collateral; same code, same verdict JSON.
{
  const dwasm = path.join(path.dirname(wasm), 'portable_dcap.wasm');
  const d = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(dwasm)), {}).exports;
  const shared = process.env.TK_SHARED_DIR ?? path.join('..', 'shared');
  const vec = (n) => readFileSync(path.join(shared, 'vectors', 'tdx', n));
  const helper = path.join(process.env.TK_TEST_BIN_DIR ?? 'build/tests', 'test_portable_dcap_helper');
  const q4 = vec('tdx_quote'), c4 = vec('tdx_quote_collateral.json').toString();
  const q5 = vec('tdx_quote_outdated'), c5 = vec('tdx_quote_outdated_collateral.json').toString();
  const cases = [];
  for (const t of [0, 1750329147, 1751000000, 1752919234, 1752919235, 1772000000]) {
    cases.push([q4, c4, t], [q5, c5, t]);
  }
  cases.push([vec('sgx_quote'), vec('sgx_quote_collateral.json').toString(), 1751000000]);
  let sd = 12345;
  const rnd = (n) => { sd = (sd * 1103515245 + 12345) >>> 0; return (sd >>> 8) % n; };
  for (let i = 0; i < 150; i++) {
    const q = Buffer.from(q4); q[rnd(q.length)] ^= 1 << rnd(8);
    cases.push([q, c4, 1751000000]);
    const at = rnd(c4.length);
    cases.push([q4, c4.slice(0, at) + (c4[at] === 'a' ? 'b' : 'a') + c4.slice(at + 1), 1751000000]);
  }
  const input = cases.map(([q, c, t]) => JSON.stringify({ quote: q.toString('hex'), collateral: c, now: t })).join('\n') + '\n';
  const native = execFileSync(helper, { input, maxBuffer: 1 << 28 }).toString().trim().split('\n').map((l) => JSON.parse(l).native);
  const t0 = process.hrtime.bigint();
  cases.forEach(([q, c, t], i) => {
    const cb = Buffer.from(c);
    const m = new Uint8Array(d.memory.buffer, d.buffer(), 256 * 1024);
    m.set(q, 0); m.set(cb, q.length);
    const code = d.dcap_verify(q.length, cb.length, 0, BigInt(t), 0);
    const v = Buffer.from(new Uint8Array(d.memory.buffer, d.verdict(), d.verdict_len())).toString();
    check(`dcap case ${i}`, code === native[i].code && v === native[i].verdict);
    if (i === 4) check('tdx_quote accepted in wasm', code === 0 && JSON.parse(v).status === 'UpToDate');
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / cases.length;
  console.log(`portable DCAP wasm (${readFileSync(dwasm).length} bytes): ${cases.length} cases against native, ${ms.toFixed(1)} ms per case`);
}
console.log(`portable wasm (${readFileSync(wasm).length} bytes): ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
