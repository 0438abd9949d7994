// Differential test of the portable (freestanding, wasm) DCAP verifier against the native
// OpenSSL one: drives build/tests/test_portable_dcap_helper, which runs BOTH verifiers on each
// case, over the shared vectors at times inside and outside their windows, the SGX and v5
// quotes, and thousands of seeded mutations: bit flips and byte overwrites anywhere in the TDX
// quote (signed region, signatures, QE report, auth data, PEM chain, padding), truncations,
// one-character changes of every collateral member (CRLs, chains, TCB info / QE identity text,
// signatures), a wrong root (the Intel root handed in as a "development" root, a foreign root),
// and whole-member swaps. Both must return the same code, checks_passed, status and advisory
// ids, the native failure detail must start with the check the portable verifier names, and
// the verdict JSON must be byte-identical. Any disagreement fails the test.
//   node tests/oracle/portable_dcap.mjs [mutations]   (default 3000 quote + 1500 collateral;
//   PDCAP_SEED=n for another mutation sequence, PDCAP_DUMP=dir to save disagreeing cases)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mutateCollateral, xorshift32 } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const shared = process.env.TK_SHARED_DIR ?? path.join(here, '..', '..', '..', 'shared');
const vec = path.join(shared, 'vectors', 'tdx');
const testBin = process.env.TK_TEST_BIN_DIR ?? path.join(here, '..', '..', 'build', 'tests');
const helper = path.join(testBin, 'test_portable_dcap_helper');
const nQuote = Number(process.argv[2] ?? 3000);
const nColl = Math.round(nQuote / 2);

const T_IN = 1751000000;
const load = (name) => readFileSync(path.join(vec, name));
const tdxQuote = load('tdx_quote');
const tdxCollText = load('tdx_quote_collateral.json').toString();
const tdxColl = JSON.parse(tdxCollText);
const v5Quote = load('tdx_quote_outdated');
const v5CollText = load('tdx_quote_outdated_collateral.json').toString();

const rnd = xorshift32(Number(process.env.PDCAP_SEED ?? 0x5eed1234) >>> 0 || 1);

const cases = [];
const add = (kind, quote, coll, now, extra = {}) =>
  cases.push({ kind, quote, coll: typeof coll === 'string' ? coll : JSON.stringify(coll), now, ...extra });

// Vectors at the edges of their windows and outside.
for (const t of [0, 1700000000, 1750329146, 1750329147, T_IN, 1752919234, 1752919235, 1752919236,
                 1780000000, 2000000000, Math.floor(Date.now() / 1000)]) {
  add('vector', tdxQuote, tdxCollText, t);
  add('vector_v5', v5Quote, v5CollText, t);
}
for (const t of [1760000000, 1772000000, 1775000000]) add('vector_v5', v5Quote, v5CollText, t);
add('sgx', load('sgx_quote'), load('sgx_quote_collateral.json').toString(), T_IN);
add('padding', Buffer.concat([tdxQuote, Buffer.alloc(100)]), tdxCollText, T_IN);
// Collateral of one quote with the other quote.
add('cross', tdxQuote, v5CollText, T_IN);
add('cross', v5Quote, tdxCollText, 1772000000);

// Wrong roots: Intel's own root handed in as a development root (PEM and DER), a foreign one.
const rootPem = load('intel_sgx_root_ca.pem');
const rootDer = Buffer.from(rootPem.toString().replace(/-----[^-]+-----|\s/g, ''), 'base64');
add('root', tdxQuote, tdxCollText, T_IN, { dev_root: rootPem });
add('root', tdxQuote, tdxCollText, T_IN, { dev_root: rootDer });
{
  const pem = tdxColl.tcb_info_issuer_chain;
  const first = pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25);
  add('root', tdxQuote, tdxCollText, T_IN, { dev_root: Buffer.from(first) });
  const d = Buffer.from(first.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  add('root', tdxQuote, tdxCollText, T_IN, { dev_root: d });
  add('root', tdxQuote, tdxCollText, T_IN, { dev_root: d.subarray(0, d.length - 1) });
  add('root', tdxQuote, tdxCollText, T_IN, { dev_root: Buffer.from('-----BEGIN junk') });
}

// Quote mutations.
for (let i = 0; i < nQuote; i++) {
  const q = Buffer.from(tdxQuote);
  const op = rnd(10);
  const when = rnd(8) === 0 ? [1750329146, 1752919235, 1780000000][rnd(3)] : T_IN;
  let where = rnd(q.length);
  if (op < 7) {
    q[where] ^= 1 << rnd(8);
    add('quote', q, tdxCollText, when, { where });
  } else if (op < 9) {
    q[where] = rnd(256);
    add('quote', q, tdxCollText, when, { where });
  } else {
    add('quote', q.subarray(0, where), tdxCollText, when, { where, trunc: true });
  }
}
// Targeted: td_attributes DEBUG, SEPT_VE_DISABLE; tee_tcb_svn major/minor; header fields.
for (const [off, x] of [[48 + 120, 1], [48 + 123, 0x10], [48 + 1, 1], [48 + 0, 4], [0, 1], [2, 1],
                        [4, 0x81], [12, 1], [48 + 16, 1], [48 + 136, 1]]) {
  const q = Buffer.from(tdxQuote);
  q[off] ^= x;
  add('targeted', q, tdxCollText, T_IN, { where: off });
}

// Collateral mutations: one character of one member, sometimes outside the window.
const members = Object.keys(tdxColl);
for (let i = 0; i < nColl; i++) {
  const { coll, member, at } = mutateCollateral(tdxColl, rnd, true);
  const when = rnd(6) === 0 ? [1750329146, 1752919235, 1780000000][rnd(3)] : T_IN;
  add('collateral', tdxQuote, coll, when, { member, at });
}
// Whole-member swaps and removals, and raw JSON text edits of the collateral object.
for (const a of members) {
  for (const b of members) {
    if (a === b) continue;
    add('swap', tdxQuote, { ...tdxColl, [a]: tdxColl[b] }, T_IN, { member: `${a}<-${b}` });
  }
  const { [a]: _drop, ...rest } = tdxColl;
  add('drop', tdxQuote, rest, T_IN, { member: a });
}
for (let i = 0; i < 200; i++) {
  const at = rnd(tdxCollText.length);
  const ch = String.fromCharCode(rnd(95) + 32);
  add('collateral_text', tdxQuote, tdxCollText.slice(0, at) + ch + tdxCollText.slice(at + 1), T_IN, { at });
}
add('bench', tdxQuote, tdxCollText, T_IN, { bench: 200 });

const out = [];
for (let k = 0; k < cases.length; k += 1500) { // batches keep the piped text below V8's limit
  const input = cases.slice(k, k + 1500).map((c) => JSON.stringify({
    quote: Buffer.from(c.quote).toString('hex'), collateral: c.coll, now: c.now,
    ...(c.dev_root ? { dev_root: Buffer.from(c.dev_root).toString('hex') } : {}),
    ...(c.bench ? { bench: c.bench } : {}),
  })).join('\n') + '\n';
  let text;
  try {
    text = execFileSync(helper, { input, maxBuffer: 1 << 28 }).toString();
  } catch (e) {
    if (process.env.PDCAP_DUMP) writeFileSync(`${process.env.PDCAP_DUMP}/crash_input.jsonl`, input);
    throw e;
  }
  out.push(...text.trim().split('\n').map((l) => JSON.parse(l)));
}
if (out.length !== cases.length) throw new Error(`helper answered ${out.length} of ${cases.length}`);

let agree = 0, disagree = 0, accepted = 0;
const byCode = {};
for (let i = 0; i < cases.length; i++) {
  const c = cases[i], { native: a, portable: b } = out[i];
  const same = a.code === b.code && a.checks_passed === b.checks_passed && a.status === b.status &&
    JSON.stringify(a.advisory_ids) === JSON.stringify(b.advisory_ids) &&
    a.error.startsWith(b.what) && a.verdict === b.verdict;
  if (same) {
    agree++;
    if (a.code === 0) accepted++;
    byCode[a.code] = (byCode[a.code] ?? 0) + 1;
    continue;
  }
  disagree++;
  if (process.env.PDCAP_DUMP) {
    writeFileSync(`${process.env.PDCAP_DUMP}/case_${disagree}.json`, JSON.stringify({ quote: Buffer.from(c.quote).toString('hex'),
      collateral: c.coll, now: c.now, dev_root: c.dev_root ? Buffer.from(c.dev_root).toString('hex') : undefined, out: out[i] }));
  }
  if (disagree <= 40) {
    console.error('DISAGREE', JSON.stringify({ kind: c.kind, where: c.where, member: c.member, at: c.at, now: c.now,
      native: { code: a.code, status: a.status, error: a.error }, portable: { code: b.code, status: b.status, error: b.error },
      verdictSame: a.verdict === b.verdict }));
  }
}
const vecIn = out[cases.findIndex((c) => c.kind === 'vector' && c.now === T_IN)];
if (vecIn.portable.code !== 0 || vecIn.portable.status !== 'UpToDate') {
  console.error('FAIL: tdx_quote does not verify UpToDate with the portable verifier', vecIn.portable);
  disagree++;
}
const b = out[out.length - 1];
console.log(`portable_dcap: ${cases.length} cases, ${agree} agree (${accepted} accepted; codes ${JSON.stringify(byCode)}), ${disagree} disagree`);
console.log(`portable_dcap: verify time per TDX quote: native ${b.us_native.toFixed(0)} us, portable ${b.us_portable.toFixed(0)} us`);
process.exit(disagree === 0 ? 0 : 1);
