// Cost of the portable ECDSA P-256 verifier (src/portable/p256.c) compiled to wasm32, in Node's
// engine: microseconds per verify of random valid signatures (@noble/curves makes them), and the
// number of wasm instructions one verify executes (the quantity NEAR charges gas for), counted
// by running a copy of the module in which every instruction is preceded by a counter increment.
// Loads build/contracts/portable_selftest.wasm (driven as in tests/oracle/portable_wasm.mjs).
// Run from the repository root: node bench/node_portable_p256.mjs [wasm] [verifies]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const require = createRequire(path.join(root, 'tests', 'oracle', 'package.json'));
const { p256 } = require('@noble/curves/p256');
const file = process.argv[2] ?? path.join(root, 'build', 'contracts', 'portable_selftest.wasm');
const count = Number(process.argv[3] ?? 2000);
const bytes = readFileSync(file);

// ---- wasm binary rewriting: an exported mutable i64 global counts executed instructions ----
function reader(buf, pos = 0) {
  return {
    buf, pos,
    byte() { return this.buf[this.pos++]; },
    u32() {
      let r = 0, shift = 0, b;
      do { b = this.buf[this.pos++]; r += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      return r;
    },
    skipLeb() { while (this.buf[this.pos++] & 0x80); },
    bytes(n) { const s = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return s; },
  };
}
const leb = (v) => {
  const out = [];
  do { let b = v & 0x7f; v = Math.floor(v / 128); if (v) b |= 0x80; out.push(b); } while (v);
  return out;
};
const vecBytes = (items) => Buffer.concat([Buffer.from(leb(items.length)), ...items]);
const section = (id, body) => Buffer.concat([Buffer.from([id, ...leb(body.length)]), body]);

// Skips one instruction's immediates (MVP, sign extension, bulk memory, reference types).
function skipImmediates(r, op) {
  if (op >= 0x02 && op <= 0x04) { // block type: 0x40, a value type, or an s33 type index
    const b = r.buf[r.pos];
    if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.pos++; else r.skipLeb();
  } else if (op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x26) || op === 0xd2) {
    r.skipLeb();
  } else if (op === 0x0e) {
    const n = r.u32();
    for (let i = 0; i <= n; i++) r.skipLeb();
  } else if (op === 0x11) {
    r.skipLeb(); r.skipLeb();
  } else if (op === 0x1c) {
    const n = r.u32(); r.pos += n;
  } else if (op >= 0x28 && op <= 0x3e) {
    r.skipLeb(); r.skipLeb();
  } else if (op === 0x3f || op === 0x40 || op === 0xd0) {
    r.pos++;
  } else if (op === 0x41 || op === 0x42) {
    r.skipLeb();
  } else if (op === 0x43) {
    r.pos += 4;
  } else if (op === 0x44) {
    r.pos += 8;
  } else if (op === 0xfc) {
    const sub = r.u32();
    if (sub === 8) { r.skipLeb(); r.pos++; } else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.skipLeb();
    else if (sub === 10) r.pos += 2; else if (sub === 11) r.pos++;
    else if (sub === 12 || sub === 14) { r.skipLeb(); r.skipLeb(); }
  } else if (op === 0xfd || op === 0xfe) {
    throw new Error(`prefix 0x${op.toString(16)} not supported`);
  }
}

function instrument(buf) {
  const r = reader(buf, 8);
  const sections = [];
  let importedGlobals = 0;
  while (r.pos < buf.length) {
    const id = r.byte(), size = r.u32();
    sections.push({ id, body: r.bytes(size) });
  }
  for (const s of sections.filter((x) => x.id === 2)) { // count imported globals
    const ir = reader(s.body);
    for (let n = ir.u32(); n > 0; n--) {
      ir.pos += ir.u32(); ir.pos += ir.u32();
      const kind = ir.byte();
      if (kind === 0) ir.skipLeb();
      else if (kind === 1) { ir.pos++; const f = ir.byte(); ir.skipLeb(); if (f & 1) ir.skipLeb(); }
      else if (kind === 2) { const f = ir.byte(); ir.skipLeb(); if (f & 1) ir.skipLeb(); }
      else { ir.pos += 2; importedGlobals++; }
    }
  }
  let globals = [];
  const gsec = sections.find((x) => x.id === 6);
  if (gsec) {
    const gr = reader(gsec.body);
    const n = gr.u32();
    globals = [Buffer.from(gsec.body.subarray(gr.pos))]; // existing entries, kept as they are
    globals.count = n;
  }
  const gidx = importedGlobals + (globals.count ?? 0);
  const newGlobal = Buffer.from([0x7e, 0x01, 0x42, 0x00, 0x0b]);
  const gbody = Buffer.concat([Buffer.from(leb((globals.count ?? 0) + 1)), ...globals, newGlobal]);
  const inc = Buffer.from([0x23, ...leb(gidx), 0x42, 0x01, 0x7c, 0x24, ...leb(gidx)]);
  const out = [buf.subarray(0, 8)];
  let placedGlobal = false;
  for (const s of sections) {
    if (!placedGlobal && s.id >= 7) { // no global section: add one before the exports
      out.push(section(6, gbody)); placedGlobal = true;
    }
    if (s.id === 6) { out.push(section(6, gbody)); placedGlobal = true; continue; }
    if (s.id === 7) {
      const er = reader(s.body);
      const n = er.u32();
      const name = Buffer.from('__icount');
      const entry = Buffer.from([...leb(name.length), ...name, 0x03, ...leb(gidx)]);
      out.push(section(7, Buffer.concat([Buffer.from(leb(n + 1)), s.body.subarray(er.pos), entry])));
      continue;
    }
    if (s.id === 10) {
      const cr = reader(s.body);
      const bodies = [];
      for (let n = cr.u32(); n > 0; n--) {
        const size = cr.u32(), end = cr.pos + size;
        const br = reader(cr.buf, cr.pos);
        for (let l = br.u32(); l > 0; l--) { br.skipLeb(); br.pos++; }
        const parts = [cr.buf.subarray(cr.pos, br.pos)];
        while (br.pos < end) {
          const start = br.pos, op = br.byte();
          skipImmediates(br, op);
          parts.push(inc, cr.buf.subarray(start, br.pos));
        }
        const body = Buffer.concat(parts);
        bodies.push(Buffer.concat([Buffer.from(leb(body.length)), body]));
        cr.pos = end;
      }
      out.push(section(10, vecBytes(bodies)));
      continue;
    }
    out.push(section(s.id, s.body));
  }
  return Buffer.concat(out);
}

// ---- inputs: random keys and valid (sometimes high-S) signatures over random digests ----
const be32 = (x) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const vectors = [];
for (let i = 0; i < 64; i++) {
  const sk = p256.utils.randomPrivateKey();
  const pub = p256.getPublicKey(sk, false).slice(1);
  const digest = p256.utils.randomPrivateKey();
  const s = p256.sign(digest, sk, { prehash: false, lowS: false });
  vectors.push(Buffer.concat([be32(s.r), be32(s.s), digest, pub]));
}
const load = (buf) => new WebAssembly.Instance(new WebAssembly.Module(buf), {}).exports;
const run = (ex, v) => {
  new Uint8Array(ex.memory.buffer, ex.buffer(), 160).set(v);
  if (ex.p256_verify() !== 1) throw new Error('valid signature rejected');
};

const ex = load(bytes);
for (let i = 0; i < 200; i++) run(ex, vectors[i % vectors.length]); // warm up the JIT tiers
const t0 = process.hrtime.bigint();
for (let i = 0; i < count; i++) run(ex, vectors[i % vectors.length]);
const us = Number(process.hrtime.bigint() - t0) / 1e3 / count;

const ix = load(instrument(bytes));
let total = 0n, lo = null, hi = 0n;
for (const v of vectors) {
  const before = ix.__icount.value;
  run(ix, v);
  const n = ix.__icount.value - before;
  total += n;
  lo = lo === null || n < lo ? n : lo;
  hi = n > hi ? n : hi;
}
const mean = Number(total) / vectors.length;
console.log(`portable P-256 verify (wasm32, ${bytes.length} bytes): ${us.toFixed(1)} us/verify over ${count}; ` +
  `${(mean / 1e6).toFixed(3)} M wasm instructions/verify (min ${lo}, max ${hi}, ${vectors.length} signatures)`);

// ---- the whole portable DCAP verifier (portable_dcap.wasm beside it) on the published quote ----
const dfile = path.join(path.dirname(file), 'portable_dcap.wasm');
let dbytes = null;
try { dbytes = readFileSync(dfile); } catch { /* not built: P-256 only */ }
if (dbytes) {
  const v = path.join(root, '..', 'shared', 'vectors', 'tdx');
  const quote = readFileSync(path.join(v, 'tdx_quote'));
  const coll = readFileSync(path.join(v, 'tdx_quote_collateral.json'));
  const dcap = (d) => {
    new Uint8Array(d.memory.buffer, d.buffer(), quote.length + coll.length).set(Buffer.concat([quote, coll]));
    if (d.dcap_verify(quote.length, coll.length, 0, 1751000000n, 0) !== 0) throw new Error('quote rejected');
  };
  const d = load(dbytes);
  for (let i = 0; i < 10; i++) dcap(d);
  const n = Math.max(10, Math.floor(count / 20));
  const d0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) dcap(d);
  const ms = Number(process.hrtime.bigint() - d0) / 1e6 / n;
  const di = load(instrument(dbytes));
  const before = di.__icount.value;
  dcap(di);
  const insns = Number(di.__icount.value - before);
  console.log(`portable DCAP verify (wasm32, ${dbytes.length} bytes): ${ms.toFixed(2)} ms/quote over ${n}; ` +
    `${(insns / 1e6).toFixed(3)} M wasm instructions/quote`);
}
