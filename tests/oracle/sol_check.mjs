// Cross-checks the solana module against @solana/web3.js 1.98.4 through tests/test_sol_bridge:
//  - transactions built by web3.js (legacy and v0 with address lookup tables, one or two
//    signers, our key as fee payer or as a second signer) are signed by us; web3.js deserializes
//    the result, its signatures verify, and our signature equals web3.js's own (ed25519 is
//    deterministic) and sits in our key's slot;
//  - a key that is not a required signer is refused;
//  - sol_message signatures verify with @noble/curves, and message bytes are refused.
// Exits non-zero on any disagreement. Needs TK_TEST_BIN_DIR (set by CTest).
import {
  Keypair, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction,
  AddressLookupTableAccount, TransactionInstruction,
} from '@solana/web3.js';
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { base58, hex } from '@scure/base';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const bridge = path.join(process.env.TK_TEST_BIN_DIR ?? 'build/tests', 'test_sol_bridge');
const enc = new TextEncoder();
let failures = 0;
const fail = (what) => { failures++; console.error('FAIL', what); };
const det = (label, i) => sha256(enc.encode(`teekeys sol_check ${label} ${i}`));

function runBridge(lines) {
  const out = execFileSync(bridge, { input: lines.join('\n') + '\n', maxBuffer: 1 << 26 }).toString();
  const res = out.trimEnd().split('\n');
  if (res.length !== lines.length) throw new Error(`bridge answered ${res.length} of ${lines.length}`);
  return res.map((l) => l.split(' '));
}

const memo = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');
const cases = [];
for (let i = 0; i < 24; i++) {
  const seed = det('seed', i);
  const me = Keypair.fromSeed(seed);
  const other = Keypair.fromSeed(det('other', i));
  const dest = Keypair.fromSeed(det('dest', i)).publicKey;
  const blockhash = base58.encode(det('blockhash', i));
  const weArePayer = i % 2 === 0;
  const twoSigners = i % 4 >= 2;
  const payer = weArePayer || !twoSigners ? me : other;
  const signers = twoSigners ? [payer, payer === me ? other : me] : [me];
  const ixs = [
    SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: dest, lamports: 1000 + i }),
    new TransactionInstruction({
      programId: memo,
      keys: signers.map((s) => ({ pubkey: s.publicKey, isSigner: true, isWritable: false })),
      data: Buffer.from(`memo ${i} ✓`.repeat(1 + (i % 3))),
    }),
  ];
  let unsigned, reference, version;
  if (i % 3 === 2) {
    // v0 with a lookup table holding the destination and an extra readonly account
    version = 0;
    const extra = Keypair.fromSeed(det('extra', i)).publicKey;
    ixs.push(new TransactionInstruction({ programId: memo, keys: [{ pubkey: extra, isSigner: false, isWritable: false }], data: Buffer.from([i]) }));
    const table = new AddressLookupTableAccount({
      key: Keypair.fromSeed(det('table', i)).publicKey,
      state: { deactivationSlot: 2n ** 64n - 1n, lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, addresses: [dest, extra] },
    });
    const msg = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: blockhash, instructions: ixs }).compileToV0Message([table]);
    unsigned = new VersionedTransaction(msg).serialize();
    const ref = new VersionedTransaction(msg);
    ref.sign(signers);
    reference = ref.serialize();
  } else if (i % 3 === 1) {
    version = 0;
    const msg = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: blockhash, instructions: ixs }).compileToV0Message();
    unsigned = new VersionedTransaction(msg).serialize();
    const ref = new VersionedTransaction(msg);
    ref.sign(signers);
    reference = ref.serialize();
  } else {
    version = 'legacy';
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(...ixs);
    unsigned = tx.serialize({ requireAllSignatures: false, verifySignatures: false });
    tx.sign(...signers);
    reference = tx.serialize();
  }
  cases.push({ i, seed, me, signers, unsigned: Buffer.from(unsigned), reference: Buffer.from(reference), version });
}

// 1. sign each web3.js transaction with our key only (a partial signature when two are needed)
const answers = runBridge(cases.map((c) => `sign ${hex.encode(c.seed)} ${c.unsigned.toString('base64')}`));
for (const [k, c] of cases.entries()) {
  const a = answers[k];
  if (a[0] !== 'ok') { fail(`case ${c.i}: ${a.join(' ')}`); continue; }
  const ours = Buffer.from(a[2], 'base64');
  const vt = VersionedTransaction.deserialize(ours);
  if ((vt.version === 'legacy' ? 'legacy' : vt.version) !== c.version) fail(`case ${c.i}: version ${vt.version}`);
  const keys = vt.message.staticAccountKeys;
  const slot = keys.findIndex((k2) => k2.equals(c.me.publicKey));
  if (slot < 0 || slot >= vt.message.header.numRequiredSignatures) fail(`case ${c.i}: our key is not a signer`);
  const msgBytes = vt.message.serialize();
  if (!ed25519.verify(vt.signatures[slot], msgBytes, c.me.publicKey.toBytes())) fail(`case ${c.i}: our signature does not verify`);
  if (base58.encode(vt.signatures[slot]) !== a[1]) fail(`case ${c.i}: base58 signature differs from the slot`);
  const refVt = VersionedTransaction.deserialize(c.reference);
  if (!Buffer.from(refVt.signatures[slot]).equals(Buffer.from(vt.signatures[slot]))) fail(`case ${c.i}: signature differs from web3.js`);
  for (let s = 0; s < vt.signatures.length; s++) {
    if (s !== slot && vt.signatures[s].some((b) => b !== 0)) fail(`case ${c.i}: other slot ${s} was touched`);
  }
  if (c.signers.length === 1) {
    if (!ours.equals(c.reference)) fail(`case ${c.i}: signed transaction differs from web3.js`);
    if (c.version === 'legacy') {
      const t = Transaction.from(ours);
      if (!t.verifySignatures()) fail(`case ${c.i}: web3.js verifySignatures() refused`);
    }
  }
}

// 2. the second signer completes a transaction we signed first; then web3.js verifies all
const twoSigner = cases.filter((c) => c.signers.length === 2);
const first = runBridge(twoSigner.map((c) => `sign ${hex.encode(c.seed)} ${c.unsigned.toString('base64')}`));
const completed = [];
for (const [k, c] of twoSigner.entries()) {
  const other = c.signers.find((s) => s !== c.me);
  completed.push(`sign ${hex.encode(other.secretKey.slice(0, 32))} ${first[k][2]}`);
}
const second = runBridge(completed);
for (const [k, c] of twoSigner.entries()) {
  if (second[k][0] !== 'ok') { fail(`two-signer ${c.i}: ${second[k].join(' ')}`); continue; }
  const full = Buffer.from(second[k][2], 'base64');
  if (!full.equals(c.reference)) fail(`two-signer ${c.i}: differs from web3.js signing with both keys`);
  if (c.version === 'legacy' && !Transaction.from(full).verifySignatures()) fail(`two-signer ${c.i}: verifySignatures()`);
}

// 3. a key that is not a required signer, a mismatched signature count, garbage
const stranger = det('stranger', 0);
const bad = runBridge([
  `sign ${hex.encode(stranger)} ${cases[0].unsigned.toString('base64')}`,
  `sign ${hex.encode(cases[0].seed)} ${Buffer.concat([Buffer.from([2]), Buffer.alloc(64), cases[0].unsigned.subarray(1)]).toString('base64')}`,
  `sign ${hex.encode(cases[0].seed)} AAAA`,
]);
if (bad[0][0] !== 'err' || bad[0][1] !== '-7') fail(`stranger: ${bad[0].join(' ')}`);
if (bad[1][0] !== 'err') fail(`signature count: ${bad[1].join(' ')}`);
if (bad[2][0] !== 'err') fail(`garbage: ${bad[2].join(' ')}`);

// 4. sol_message: text verifies with noble; transaction message bytes are refused
const texts = ['hello', 'Sign in to example.com ✓\nnonce: 42', 'x'.repeat(3000)];
const msgAnswers = runBridge([
  ...texts.map((t, k) => `msg ${hex.encode(det('seed', k))} ${hex.encode(enc.encode(t))}`),
  ...cases.slice(0, 6).map((c) => `msg ${hex.encode(c.seed)} ${hex.encode(VersionedTransaction.deserialize(c.unsigned).message.serialize())}`),
]);
texts.forEach((t, k) => {
  const a = msgAnswers[k];
  const pub = Keypair.fromSeed(det('seed', k)).publicKey.toBytes();
  if (a[0] !== 'ok' || !ed25519.verify(base58.decode(a[1]), enc.encode(t), pub)) fail(`message ${k}: ${a.join(' ')}`);
});
for (let k = texts.length; k < msgAnswers.length; k++) {
  if (msgAnswers[k][0] !== 'err') fail(`transaction message ${k} was signed as text`);
}

const total = cases.length + twoSigner.length + 3 + msgAnswers.length;
if (failures) {
  console.error(`sol_check: ${failures} failure(s)`);
  process.exit(1);
}
console.log(`sol_check: ${total} checks against @solana/web3.js passed`);
