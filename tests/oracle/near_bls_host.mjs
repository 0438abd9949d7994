// nearcore's nine bls12381_* host functions in JavaScript (@noble/curves), for the wasm runtime
// (near_chain.mjs) and as the independent side of the differential test nearvm_bls.mjs. Same
// semantics as src/nearvm/bls_host.c, whose header comment states nearcore's encodings, checks
// and return codes with their sources.
//
// API: blsHost.<name>(bytes: Uint8Array, opts?) for the nine import names
//   → { ret: 0 | 1 | 2, out?: Uint8Array }   (out only when ret === 0, and never for
//                                              bls12381_pairing_check)
//   or throws HostError (nearcore's HostError::BLS12381InvalidInput; err.message is its Display
//   text, "BLS12-381 invalid input: Incorrect input length for …").
// opts.notInGroupFix (default false): nearcore's `bls12381_not_in_group_fix` (NEP-488 fix):
// p1_sum / p1_decompress then also accept the points (0, ±2). Off = the stable protocol.
//
// How near_chain.mjs binds them (as nearcore's logic.rs does): for an import
// `bls12381_X(value_len, value_ptr, register_id)`:
//   1. charge the host call as for any other;
//   2. if value_len === 2n**64n - 1n (input from a register): throw the host error
//      "Integer overflow." — nearcore charges (value_len / item size) * per-element gas before
//      it reads the input, and that product overflows (HostError::IntegerOverflow), so on NEAR
//      these functions never read a register; else input = memory[value_ptr .. + value_len];
//   3. r = blsHost.bls12381_X(input); a thrown HostError aborts the call with its message as the
//      ExecutionError text (no "Smart contract panicked: " prefix: it is a host error, not a
//      guest panic); any other exception is a bug;
//   4. if r.ret === 0 and r.out: write r.out to register_id;
//   5. return BigInt(r.ret) (imports return i64).
// bls12381_pairing_check(value_len, value_ptr) has no register: steps 1-3 and 5.
import { bls12_381 as bls } from '@noble/curves/bls12-381';

export class HostError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'HostError';
    this.kind = kind;
  }
}

const Fp = bls.fields.Fp;
const Fp2 = bls.fields.Fp2;
const Fp12 = bls.fields.Fp12;
const P = Fp.ORDER;
const R = bls.fields.Fr.ORDER;
const HALF = (P - 1n) / 2n;
const G1 = bls.G1.ProjectivePoint;
const G2 = bls.G2.ProjectivePoint;
const B1 = 4n;
const B2 = Fp2.fromBigTuple([4n, 4n]);

const ITEM = {
  bls12381_p1_sum: [97, 'bls12381_p1_sum'],
  bls12381_p2_sum: [193, 'bls12381_p2_sum'],
  bls12381_g1_multiexp: [128, 'bls12381_p1_multiexp'],
  bls12381_g2_multiexp: [224, 'bls12381_p2_multiexp'],
  bls12381_map_fp_to_g1: [48, 'bls12381_map_fp_to_g1'],
  bls12381_map_fp2_to_g2: [96, 'bls12381_map_fp2_to_g2'],
  bls12381_pairing_check: [288, 'bls12381_pairing_check'],
  bls12381_p1_decompress: [48, 'bls12381_p1_decompress'],
  bls12381_p2_decompress: [96, 'bls12381_p2_decompress'],
};

const INVALID = { ret: 1 };

function beInt(b) {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function be48(v) {
  const out = new Uint8Array(48);
  for (let i = 47; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function allZero(b) {
  return b.every((x) => x === 0);
}

// Splits the input into items after nearcore's length check.
function items(name, bytes) {
  const [size, errName] = ITEM[name];
  if (bytes.length % size !== 0) {
    throw new HostError(
      'BLS12381InvalidInput',
      `BLS12-381 invalid input: Incorrect input length for ${errName}: ${bytes.length} is not divisible by ${size}`,
    );
  }
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

// The identity's one encoding in every flagged form: `flag` then zeros.
function isInfinity(b, flag) {
  return b[0] === flag && allZero(b.subarray(1));
}

// ---- uncompressed points (blst_p*_deserialize after nearcore refused the 0x80 flag) ----
// Returns { pt, xZero } or null.
function readP1(b) {
  if (b[0] & 0x80) return null;
  if ((b[0] & 0xe0) !== 0) return isInfinity(b, 0x40) ? { pt: G1.ZERO, xZero: false } : null;
  const x = beInt(b.subarray(0, 48));
  const y = beInt(b.subarray(48, 96));
  if (x >= P || y >= P) return null;
  if (Fp.sqr(y) !== Fp.add(Fp.mul(Fp.sqr(x), x), B1)) return null;
  return { pt: G1.fromAffine({ x, y }), xZero: x === 0n };
}

function readP2(b) {
  if (b[0] & 0x80) return null;
  if ((b[0] & 0xe0) !== 0) return isInfinity(b, 0x40) ? { pt: G2.ZERO, xZero: false } : null;
  const c = [0, 48, 96, 144].map((o) => beInt(b.subarray(o, o + 48)));
  if (c.some((v) => v >= P)) return null;
  const x = Fp2.fromBigTuple([c[1], c[0]]);
  const y = Fp2.fromBigTuple([c[3], c[2]]);
  if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), B2))) return null;
  return { pt: G2.fromAffine({ x, y }), xZero: Fp2.is0(x) };
}

// ---- compressed points (blst_p*_uncompress) ----
function sqrtOrNull(F, v) {
  try {
    const r = F.sqrt(v);
    return F.eql(F.sqr(r), v) ? r : null;
  } catch {
    return null;
  }
}

function uncompressP1(b) {
  if (!(b[0] & 0x80)) return null;
  if (b[0] & 0x40) return isInfinity(b, 0xc0) ? { pt: G1.ZERO, xZero: false } : null;
  const xb = Uint8Array.from(b);
  xb[0] &= 0x1f;
  const x = beInt(xb);
  if (x >= P) return null;
  let y = sqrtOrNull(Fp, Fp.add(Fp.mul(Fp.sqr(x), x), B1));
  if (y === null) return null;
  if (y > HALF !== Boolean(b[0] & 0x20)) y = Fp.neg(y);
  return { pt: G1.fromAffine({ x, y }), xZero: x === 0n };
}

function lexLargest2(y) {
  return y.c1 !== 0n ? y.c1 > HALF : y.c0 > HALF;
}

function uncompressP2(b) {
  if (!(b[0] & 0x80)) return null;
  if (b[0] & 0x40) return isInfinity(b, 0xc0) ? { pt: G2.ZERO, xZero: false } : null;
  const hi = Uint8Array.from(b.subarray(0, 48));
  hi[0] &= 0x1f;
  const c1 = beInt(hi);
  const c0 = beInt(b.subarray(48, 96));
  if (c1 >= P || c0 >= P) return null;
  const x = Fp2.fromBigTuple([c0, c1]);
  let y = sqrtOrNull(Fp2, Fp2.add(Fp2.mul(Fp2.sqr(x), x), B2));
  if (y === null) return null;
  if (lexLargest2(y) !== Boolean(b[0] & 0x20)) y = Fp2.neg(y);
  return { pt: G2.fromAffine({ x, y }), xZero: false };
}

// ---- output ----
function serP1(pt) {
  const out = new Uint8Array(96);
  if (pt.is0()) {
    out[0] = 0x40;
    return out;
  }
  const { x, y } = pt.toAffine();
  out.set(be48(x), 0);
  out.set(be48(y), 48);
  return out;
}

function serP2(pt) {
  const out = new Uint8Array(192);
  if (pt.is0()) {
    out[0] = 0x40;
    return out;
  }
  const { x, y } = pt.toAffine();
  [x.c1, x.c0, y.c1, y.c0].forEach((v, i) => out.set(be48(v), 48 * i));
  return out;
}

function concat(parts, size) {
  const out = new Uint8Array(parts.length * size);
  parts.forEach((p, i) => out.set(p, i * size));
  return out;
}

function scalarLE(b) {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  return v % R;
}

// ---- the functions ----
function sum(name, bytes, opts, read, Point, ser, isG1) {
  let acc = Point.ZERO;
  for (const it of items(name, bytes)) {
    const p = read(it.subarray(1));
    if (p === null || it[0] > 1) return INVALID;
    if (isG1 && p.xZero && !opts.notInGroupFix) return INVALID;
    acc = acc.add(it[0] === 1 ? p.pt.negate() : p.pt);
  }
  return { ret: 0, out: ser(acc) };
}

function multiexp(name, bytes, size, read, Point, ser) {
  let acc = Point.ZERO;
  for (const it of items(name, bytes)) {
    const p = read(it.subarray(0, size));
    if (p === null || !p.pt.isTorsionFree()) return INVALID;
    const k = scalarLE(it.subarray(size));
    if (k !== 0n && !p.pt.is0()) acc = acc.add(p.pt.multiplyUnsafe(k));
  }
  return { ret: 0, out: ser(acc) };
}

function decompress(name, bytes, opts, read, ser, size, isG1) {
  const parts = [];
  for (const it of items(name, bytes)) {
    const p = read(it);
    if (p === null || (isG1 && p.xZero && !opts.notInGroupFix)) return INVALID;
    parts.push(ser(p.pt));
  }
  return { ret: 0, out: concat(parts, size) };
}

export const blsHost = {
  bls12381_p1_sum: (bytes, opts = {}) =>
    sum('bls12381_p1_sum', bytes, opts, readP1, G1, serP1, true),
  bls12381_p2_sum: (bytes, opts = {}) =>
    sum('bls12381_p2_sum', bytes, opts, readP2, G2, serP2, false),
  bls12381_g1_multiexp: (bytes) => multiexp('bls12381_g1_multiexp', bytes, 96, readP1, G1, serP1),
  bls12381_g2_multiexp: (bytes) => multiexp('bls12381_g2_multiexp', bytes, 192, readP2, G2, serP2),
  bls12381_map_fp_to_g1(bytes) {
    const parts = [];
    for (const it of items('bls12381_map_fp_to_g1', bytes)) {
      const u = beInt(it);
      if (u >= P) return INVALID;
      parts.push(serP1(bls.G1.mapToCurve([u])));
    }
    return { ret: 0, out: concat(parts, 96) };
  },
  bls12381_map_fp2_to_g2(bytes) {
    const parts = [];
    for (const it of items('bls12381_map_fp2_to_g2', bytes)) {
      const c1 = beInt(it.subarray(0, 48));
      const c0 = beInt(it.subarray(48, 96));
      if (c1 >= P || c0 >= P) return INVALID;
      parts.push(serP2(bls.G2.mapToCurve([c0, c1])));
    }
    return { ret: 0, out: concat(parts, 192) };
  },
  bls12381_pairing_check(bytes) {
    const pairs = [];
    for (const it of items('bls12381_pairing_check', bytes)) {
      const p = readP1(it.subarray(0, 96));
      // blst_p1_deserialize reports (0, ±2) as not in the group: refused here as well
      if (p === null || p.xZero || !p.pt.isTorsionFree()) return INVALID;
      const q = readP2(it.subarray(96));
      if (q === null || !q.pt.isTorsionFree()) return INVALID;
      if (!p.pt.is0() && !q.pt.is0()) pairs.push({ g1: p.pt, g2: q.pt });
    }
    if (pairs.length === 0) return { ret: 0 };
    return { ret: Fp12.eql(bls.pairingBatch(pairs), Fp12.ONE) ? 0 : 2 };
  },
  bls12381_p1_decompress: (bytes, opts = {}) =>
    decompress('bls12381_p1_decompress', bytes, opts, uncompressP1, serP1, 96, true),
  bls12381_p2_decompress: (bytes, opts = {}) =>
    decompress('bls12381_p2_decompress', bytes, opts, uncompressP2, serP2, 192, false),
};

export const BLS_HOST_FUNCTIONS = Object.keys(ITEM);
