// Shared pieces of the oracle scripts (a module, not a test): where the C test helpers are,
// counting checks and failures, seeded randomness (a SHA-256 chain, xorshift32), the
// one-character collateral mutation of the two DCAP cross-checks, and what the contract
// scenario scripts read from call outcomes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha256';
import { utf8ToBytes } from '@noble/hashes/utils';

const here = path.dirname(fileURLToPath(import.meta.url));

// The path of the test helper `name` in TK_TEST_BIN_DIR (else build/tests); exits with a
// message naming `script` when it is not there.
export function testHelper(script, name) {
  const dir = process.env.TK_TEST_BIN_DIR || path.join(here, '..', '..', 'build', 'tests');
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    console.error(`${script}: helper not found at ${file} (set TK_TEST_BIN_DIR)`);
    process.exit(1);
  }
  return file;
}

// Counts checks and failures; check and eq may be destructured. eq compares bigints by value
// and anything else by its JSON.
export class Tally {
  checks = 0;
  failures = 0;
  check = (cond, what) => {
    this.checks++;
    if (!cond) {
      this.failures++;
      console.error('FAIL:', what);
    }
  };
  eq = (a, b, what) => {
    const sa = typeof a === 'bigint' ? a.toString() : JSON.stringify(a);
    const sb = typeof b === 'bigint' ? b.toString() : JSON.stringify(b);
    this.check(sa === sb, `${what}: ${sa} != ${sb}`);
  };
}

// rnd(n): n pseudo-random bytes from a SHA-256 chain seeded with SHA-256(label); each call
// starts on a fresh 32-byte block.
export function sha256Stream(label) {
  let seed = sha256(utf8ToBytes(label));
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 32) {
      seed = sha256(seed);
      out.set(seed.subarray(0, Math.min(32, n - i)), i);
    }
    return out;
  };
}

// rnd(n): a pseudo-random integer in [0, n) from xorshift32 started at `seed` (non-zero).
export function xorshift32(seed) {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

const HEX = '0123456789abcdef';

// A copy of the collateral object `coll` with one character of one member changed: a hex
// digit of a signature or CRL to another digit, else a printable character to a neighbour
// (with `wild`, one time in four to any printable character). Returns { coll, member, at, was }
// (was: the member's original text).
export function mutateCollateral(coll, rnd, wild = false) {
  const members = Object.keys(coll);
  const out = { ...coll };
  const m = members[rnd(members.length)];
  const s = out[m];
  const at = rnd(s.length);
  let ch;
  if (/signature|crl$/.test(m)) {
    ch = HEX[(HEX.indexOf(s[at].toLowerCase()) + 1 + rnd(15)) % 16];
  } else if (wild && rnd(4) === 0) {
    ch = String.fromCharCode(rnd(95) + 32);
  } else {
    const c = s.charCodeAt(at);
    ch = String.fromCharCode(c >= 0x21 && c < 0x7e ? (c === 0x41 ? 0x42 : c ^ 0x01) : c);
    if (ch === '\n' || ch === s[at]) ch = s[at] === 'A' ? 'B' : 'A';
  }
  out[m] = s.slice(0, at) + ch + s.slice(at + 1);
  return { coll: out, member: m, at, was: s };
}

// ---- contract scenario scripts (near_chain.mjs outcomes) ----

// Counts named checks; check may be destructured. A failure prints its name and detail.
export class Score {
  pass = 0;
  fail = 0;
  check = (name, cond, detail = '') => {
    if (cond) this.pass++;
    else { this.fail++; console.error(`FAIL ${name} ${detail}`); }
  };
}

// JSON with bigints written as decimal strings.
export const j = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x));
// The contract panic message of a call's outcome, or null when it did not panic.
export const panicOf = (out) => out.status?.Failure?.ActionError?.kind?.FunctionCallError?.ExecutionError ?? null;
// The NEP-297 events a call logged, parsed.
export const events = (out) => out.logs.filter((l) => l.startsWith('EVENT_JSON:')).map((l) => JSON.parse(l.slice(11)));
