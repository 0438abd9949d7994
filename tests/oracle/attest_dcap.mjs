// Cross-check of teekeys' native DCAP verifier against Phala's dcap-qvl (@phala/dcap-qvl-web,
// the Rust verifier built to wasm, test only). Drives build/tests/test_attest_helper over
// JSON lines and compares, on the shared vectors and on thousands of seeded mutations of the
// TDX quote and of its collateral: accepted or rejected, and when both accept, the TCB status
// and advisory ids. Disagreements are classified; the known ones are documented below and
// counted, any other disagreement fails the test. Also reports verification time per quote
// for both verifiers, measured in the same run.
//   node tests/oracle/attest_dcap.mjs [mutations]   (default 1500 quote + 500 collateral)
//
// Known, explained disagreements (teekeys is stricter on purpose):
//  - padding: teekeys refuses non-zero bytes after the quote; dcap-qvl ignores trailing bytes.
//  - sgx: teekeys refuses SGX quotes at parse time (a TDX verifier); dcap-qvl verifies them.
//  - v5: dcap-qvl 0.3.3 cannot decode v5 quotes ("Failed to decode quote"); teekeys parses them.
//  - qe_identity: dcap-qvl 0.3.3 does not check the QE identity (its signature, chain or
//    policy, its validity window); teekeys does, so a changed QE identity text or signature,
//    or a time before the QE identity's issueDate, is refused by teekeys only.
//  - pck_crl_issuer_chain: dcap-qvl 0.3.3 does not read it (the PCK CRL is checked against
//    the quote's own chain); teekeys also verifies this chain to the pinned root.
//  - root_copy: a chain as served ends in a copy of the root. teekeys never trusts it but
//    requires it to be the pinned root byte for byte; dcap-qvl ignores most changes to it.
//  - pem_text: teekeys reads PEM strictly (only whitespace between blocks, strict base64,
//    no trailing DER bytes); dcap-qvl's PEM reader tolerates some changed characters.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, js_verify } from '@phala/dcap-qvl-web';
import { mutateCollateral, xorshift32 } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.env.TK_SHARED_DIR ?? path.join(here, '..', '..', '..', 'shared');
const vec = path.join(shared, 'vectors', 'tdx');
const testBin = process.env.TK_TEST_BIN_DIR ?? path.join(here, '..', '..', 'build', 'tests');
const helper = path.join(testBin, 'test_attest_helper');
const nQuote = Number(process.argv[2] ?? 1500);
const nColl = Math.round(nQuote / 3);

initSync({ module: readFileSync(path.join(here, 'node_modules/@phala/dcap-qvl-web/dcap-qvl-web_bg.wasm')) });

const T_IN = 1751000000;
const load = (name) => readFileSync(path.join(vec, name));
const tdxQuote = load('tdx_quote');
const tdxColl = JSON.parse(load('tdx_quote_collateral.json'));
const QUOTE_END = 4936; // the quote proper; 70 zero bytes of padding follow

// Deterministic PRNG (xorshift32) so failures reproduce.
const rnd = xorshift32(0x7ee4e75);

function dcap(quote, coll, now) {
  try {
    const r = js_verify(Array.from(quote), coll, BigInt(now));
    return { ok: true, status: r.status, advisory_ids: [...r.advisory_ids].sort() };
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e) };
  }
}

function ours(cases) {
  const input = cases.map((c) => JSON.stringify({ quote: Buffer.from(c.quote).toString('hex'),
    collateral: c.coll, now: c.now, ...(c.bench ? { bench: c.bench } : {}) })).join('\n') + '\n';
  const out = execFileSync(helper, { input, maxBuffer: 1 << 28 }).toString().trim().split('\n');
  if (out.length !== cases.length) throw new Error(`helper answered ${out.length} of ${cases.length}`);
  return out.map((l) => JSON.parse(l));
}

const cases = [];
const add = (kind, quote, coll, now, extra = {}) => cases.push({ kind, quote, coll, now, ...extra });

// The vectors.
for (const t of [1750329146, 1750329147, T_IN, 1752919234, 1752919235, Math.floor(Date.now() / 1000)]) {
  add('vector', tdxQuote, tdxColl, t);
}
add('sgx', load('sgx_quote'), JSON.parse(load('sgx_quote_collateral.json')), T_IN);
add('v5', load('tdx_quote_outdated'), JSON.parse(load('tdx_quote_outdated_collateral.json')), 1772000000);

// Quote mutations: bit flips anywhere (signed region, signatures, QE report, auth data, chain,
// padding), byte overwrites and truncations.
for (let i = 0; i < nQuote; i++) {
  const q = Buffer.from(tdxQuote);
  const op = rnd(10);
  let where;
  if (op < 8) {
    where = rnd(q.length);
    q[where] ^= 1 << rnd(8);
    add('quote', q, tdxColl, T_IN, { where });
  } else if (op < 9) {
    where = rnd(q.length);
    q[where] = rnd(256);
    add('quote', q, tdxColl, T_IN, { where });
  } else {
    where = rnd(q.length);
    add('quote', q.subarray(0, where), tdxColl, T_IN, { where, trunc: true });
  }
}

// Collateral mutations: one character of one member.
for (let i = 0; i < nColl; i++) {
  const { coll, member, at, was } = mutateCollateral(tdxColl, rnd);
  add('collateral', tdxQuote, coll, T_IN, { member, at, rootAt: was.lastIndexOf('-----BEGIN') });
}

// Benchmark case (last): the valid vector, verified many times by the helper.
add('bench', tdxQuote, tdxColl, T_IN, { bench: 300 });

const mine = ours(cases);
const counts = { agree: 0, known: {}, unexplained: 0 };
const known = (k) => { counts.known[k] = (counts.known[k] ?? 0) + 1; };
const pemStart = tdxQuote.indexOf('-----BEGIN CERTIFICATE-----');
const rootCopyStart = tdxQuote.lastIndexOf('-----BEGIN CERTIFICATE-----');

for (let i = 0; i < cases.length; i++) {
  const c = cases[i];
  const a = mine[i];
  const b = dcap(c.quote, c.coll, c.now);
  const aOk = a.checks_passed === true;
  const same = aOk === b.ok && (!aOk || (a.status === b.status &&
    JSON.stringify(a.advisory_ids) === JSON.stringify(b.advisory_ids)));
  if (c.kind === 'vector' && c.now === T_IN && !(aOk && a.status === 'UpToDate' && a.code === 0)) {
    console.error('FAIL: tdx_quote does not verify UpToDate at', T_IN, a);
    process.exit(1);
  }
  if (same) { counts.agree++; continue; }
  let why = null;
  if (c.kind === 'sgx' && a.code === -8 && /SGX/.test(a.error)) why = 'sgx';
  else if (c.kind === 'v5' && !b.ok && /decode quote/.test(b.error) && a.code === -3 &&
           /no TCB level/.test(a.error)) why = 'v5';
  else if (c.kind === 'quote' && !c.trunc && c.where >= QUOTE_END && !aOk && b.ok && /padding/.test(a.error)) why = 'padding';
  else if (c.kind === 'collateral' && /^qe_identity/.test(c.member) && !aOk && b.ok) why = 'qe_identity';
  else if (c.kind === 'vector' && !aOk && b.ok && /^QE identity/.test(a.error)) why = 'qe_identity';
  else if (c.kind === 'collateral' && c.member === 'pck_crl_issuer_chain' && !aOk && b.ok) why = 'pck_crl_issuer_chain';
  else if (!aOk && b.ok && ((c.kind === 'quote' && c.where >= rootCopyStart) ||
           (c.kind === 'collateral' && /issuer_chain$/.test(c.member) && c.at >= c.rootAt)) &&
           (a.code === -2 || a.code === -4)) why = 'root_copy';
  else if (!aOk && b.ok && ((c.kind === 'quote' && c.where >= pemStart) ||
           (c.kind === 'collateral' && /issuer_chain$/.test(c.member))) &&
           a.code === -2 && /PEM|decode|END line/.test(a.error)) why = 'pem_text';
  if (why) { known(why); continue; }
  counts.unexplained++;
  console.error('DISAGREE', JSON.stringify({ kind: c.kind, where: c.where, member: c.member, ours: a, dcap: b }));
}

// Time per verification, both verifiers, same machine and run.
const benchOurs = mine[mine.length - 1].us_per_verify;
const reps = 100;
let t0 = process.hrtime.bigint();
for (let i = 0; i < reps; i++) dcap(tdxQuote, tdxColl, T_IN);
const benchDcap = Number(process.hrtime.bigint() - t0) / 1000 / reps;

console.log(`attest_dcap: ${cases.length} cases, ${counts.agree} agree, known differences ${JSON.stringify(counts.known)}, unexplained ${counts.unexplained}`);
console.log(`attest_dcap: verify time per TDX quote: teekeys native ${benchOurs.toFixed(0)} us, dcap-qvl-web (wasm) ${benchDcap.toFixed(0)} us`);
process.exit(counts.unexplained === 0 ? 0 : 1);
