// Cross-checks the near module against near-api-js 7.2.0 and @near-js/transactions 2.5.1
// through tests/test_near_bridge:
//  - transactions built by near-api-js (every action kind, including a SignedDelegateAction,
//    plus random transfers and function calls) decode and re-encode byte for byte;
//  - we sign them; @near-js/transactions decodes our SignedTransaction, the signature verifies
//    over sha256(tx) with @noble/curves, it equals near-api-js's own signature, and our hash is
//    the sha256 of the transaction;
//  - NEP-413: our signatures verify with an independent implementation (@noble/curves ed25519,
//    @noble/hashes sha256, the payload serialized by hand) and equal near-api-js's
//    signNep413Message; we verify near-api-js's signatures and refuse a tampered one.
// Exits non-zero on any disagreement. Needs TK_TEST_BIN_DIR (set by CTest).
import { KeyPairSigner, actions, createTransaction, encodeTransaction } from 'near-api-js';
import { decodeSignedTransaction, decodeTransaction } from '@near-js/transactions';
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { base58, hex } from '@scure/base';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildAll, keyFromSeed, nep413Cases, signWith } from './near_vectors.mjs';

const bridge = path.join(process.env.TK_TEST_BIN_DIR ?? 'build/tests', 'test_near_bridge');
const enc = new TextEncoder();
let failures = 0;
const fail = (what) => { failures++; console.error('FAIL', what); };
const det = (label, i) => sha256(enc.encode(`teekeys near_check ${label} ${i}`));
const b64 = (u8) => Buffer.from(u8).toString('base64');
const eq = (a, b) => Buffer.from(a).equals(Buffer.from(b));

function runBridge(lines) {
  const out = execFileSync(bridge, { input: lines.join('\n') + '\n', maxBuffer: 1 << 26 }).toString();
  const res = out.trimEnd().split('\n');
  if (res.length !== lines.length) throw new Error(`bridge answered ${res.length} of ${lines.length}`);
  return res.map((l) => l.split(' '));
}

// ---- transactions ----
const cases = [];
for (let i = 0; i < 12; i++) {
  const seed = det('seed', i);
  const key = keyFromSeed(seed);
  let tx;
  if (i < 4) {
    tx = await buildAll(key, BigInt(i) * 1000003n + 1n);
  } else {
    const acts = [
      actions.transfer(BigInt('0x' + hex.encode(det('amount', i).slice(0, 16)))),
      actions.functionCall(`m${i}`, det('args', i), BigInt(i) * 10n ** 12n, BigInt(i)),
    ];
    tx = createTransaction(i % 2 ? hex.encode(key.getPublicKey().data) : `user-${i}.testnet`,
      key.getPublicKey(), `contract_${i}.near`, BigInt(2 ** 40 + i), acts, det('block', i));
  }
  const ref = await signWith(key, tx);
  cases.push({ i, seed, key, ...ref });
}

const lines = [];
for (const c of cases) {
  lines.push(`roundtrip ${b64(c.tx)}`);
  lines.push(`sign ${hex.encode(c.seed)} ${b64(c.tx)}`);
}
const answers = runBridge(lines);
for (const [k, c] of cases.entries()) {
  const rt = answers[2 * k];
  const sg = answers[2 * k + 1];
  if (rt[0] !== 'ok' || !eq(Buffer.from(rt[1], 'base64'), c.tx)) fail(`case ${c.i}: roundtrip ${rt.slice(0, 3).join(' ')}`);
  if (sg[0] !== 'ok') { fail(`case ${c.i}: sign ${sg.join(' ')}`); continue; }
  const signed = Buffer.from(sg[1], 'base64');
  const dec = decodeSignedTransaction(signed);
  const txBytes = encodeTransaction(dec.transaction);
  if (!eq(txBytes, c.tx)) fail(`case ${c.i}: decoded transaction differs`);
  const sig = Uint8Array.from(dec.signature.ed25519Signature.data);
  if (!ed25519.verify(sig, sha256(c.tx), c.key.getPublicKey().data)) fail(`case ${c.i}: signature does not verify`);
  if (!c.key.getPublicKey().verify(sha256(c.tx), sig)) fail(`case ${c.i}: near-api-js PublicKey.verify refused`);
  if (!eq(signed, c.signed)) fail(`case ${c.i}: SignedTransaction differs from near-api-js`);
  if (sg[2] !== base58.encode(sha256(c.tx)) || sg[2] !== base58.encode(c.hash)) fail(`case ${c.i}: hash`);
  if (decodeTransaction(c.tx).actions.length !== dec.transaction.actions.length) fail(`case ${c.i}: action count`);
}

// refusals: wrong key, trailing byte, truncated
const wrong = runBridge([
  `sign ${hex.encode(det('stranger', 0))} ${b64(cases[0].tx)}`,
  `roundtrip ${b64(new Uint8Array([...cases[4].tx, 0]))}`,
  `roundtrip ${b64(cases[4].tx.slice(0, cases[4].tx.length - 1))}`,
]);
for (const [k, a] of wrong.entries()) if (a[0] !== 'err') fail(`refusal ${k}: ${a.join(' ')}`);

// ---- NEP-413 ----
function borshString(s) {
  const b = enc.encode(s);
  const out = new Uint8Array(4 + b.length);
  new DataView(out.buffer).setUint32(0, b.length, true);
  out.set(b, 4);
  return out;
}
function nep413Payload({ message, nonce, recipient, callbackUrl }) {
  const tag = new Uint8Array(4);
  new DataView(tag.buffer).setUint32(0, 2 ** 31 + 413, true);
  const parts = [tag, borshString(message), nonce, borshString(recipient)];
  parts.push(callbackUrl === undefined ? new Uint8Array([0]) : new Uint8Array([1, ...borshString(callbackUrl)]));
  return new Uint8Array(parts.flatMap((p) => [...p]));
}
const nepCases = [...nep413Cases];
for (let i = 0; i < 10; i++) {
  nepCases.push({
    message: `teekeys-request v1\nPOST\n/v1/accounts/a${i}.near/sign\n${hex.encode(det('body', i))}\n${1700000000000 + i}`,
    nonce: det('nonce', i),
    recipient: i % 3 ? 'teekeys@dao.test.near' : `app-${i}.near`,
    ...(i % 2 ? { callbackUrl: `https://wallet.example/cb/${i}?ünï` } : {}),
  });
}
const nepLines = nepCases.map((c, i) => `nep413 ${hex.encode(det('nepseed', i))} ${b64(nep413Payload(c))}`);
const nepAnswers = runBridge(nepLines);
const verifyLines = [];
for (const [i, c] of nepCases.entries()) {
  const key = keyFromSeed(det('nepseed', i));
  const a = nepAnswers[i];
  if (a[0] !== 'ok') { fail(`nep413 ${i}: ${a.join(' ')}`); continue; }
  const sig = Buffer.from(a[1], 'base64');
  const pub = key.getPublicKey().data;
  if (!ed25519.verify(sig, sha256(nep413Payload(c)), pub)) fail(`nep413 ${i}: independent verification failed`);
  const ref = await new KeyPairSigner(key).signNep413Message(`a${i}.near`, c);
  if (!eq(ref.signature, sig)) fail(`nep413 ${i}: differs from near-api-js signNep413Message`);
  verifyLines.push(`nep413v ${hex.encode(pub)} ${b64(ref.signature)} ${b64(nep413Payload(c))}`);
  const tampered = new Uint8Array(ref.signature);
  tampered[10] ^= 1;
  verifyLines.push(`nep413v ${hex.encode(pub)} ${b64(tampered)} ${b64(nep413Payload(c))}`);
}
const verified = runBridge(verifyLines);
for (let k = 0; k < verified.length; k += 2) {
  if (verified[k][0] !== 'ok') fail(`nep413 verify ${k / 2}: ${verified[k].join(' ')}`);
  if (verified[k + 1][0] !== 'err' || verified[k + 1][1] !== '-4') fail(`nep413 tampered ${k / 2} accepted`);
}

const total = 2 * cases.length + wrong.length + nepAnswers.length + verified.length;
if (failures) {
  console.error(`near_check: ${failures} failure(s)`);
  process.exit(1);
}
console.log(`near_check: ${total} checks against near-api-js / @near-js/transactions passed`);
