// Cross-check of the teekeys bitcoin module against bitcoinjs-lib 6.1.8 + @bitcoinerlab/secp256k1.
// For several keys (both parities of the internal key's y coordinate):
//  - our BIP-86 address/keys equal bitcoinjs's p2tr({internalPubkey});
//  - a PSBT built by bitcoinjs with five inputs paying to our P2TR output (sighash DEFAULT, ALL,
//    NONE|ANYONECANPAY, SINGLE, ALL|ANYONECANPAY) and one foreign P2TR input is signed by our C
//    code (tests/test_btc_helper, request on stdin); bitcoinjs validates every one of our
//    Taproot signatures (and rejects a tampered one), signs the foreign input itself, finalizes
//    and extracts; our finalizer/extractor on the same PSBT gives the identical transaction;
//  - an all-ours PSBT signed with finalize=true gives a tx whose every witness signature
//    verifies against bitcoinjs's own BIP-341 sighash;
//  - refusals: an input with only non_witness_utxo, SIGHASH_SINGLE without its output.
// Usage: node tests/oracle/btc_check.mjs [--write-corpus DIR]   (exits non-zero on any mismatch)
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const bitcoin = require('bitcoinjs-lib');
const ecc = require('@bitcoinerlab/secp256k1');
bitcoin.initEccLib(ecc);

const net = bitcoin.networks.regtest;
const helper = path.join(process.env.TK_TEST_BIN_DIR ?? 'build/tests', 'test_btc_helper');
const corpusArg = process.argv.indexOf('--write-corpus');
const corpusDir = corpusArg >= 0 ? process.argv[corpusArg + 1] : null;
const sha = (s) => createHash('sha256').update(s).digest();
const hex = (b) => Buffer.from(b).toString('hex');

function call(req, expectFail = false) {
  const r = spawnSync(helper, { input: JSON.stringify(req), encoding: 'utf8' });
  if (r.error) throw r.error;
  const out = JSON.parse(r.stdout);
  if (expectFail) {
    assert.notEqual(r.status, 0, `helper accepted a request it must refuse (${req.op})`);
    return out.error;
  }
  if (r.status !== 0) throw new Error(`helper failed: ${r.stdout} ${r.stderr}`);
  return out;
}

function bip86(sk) {
  const P = Buffer.from(ecc.xOnlyPointFromScalar(sk));
  return { sk, P, pay: bitcoin.payments.p2tr({ internalPubkey: P, network: net }) };
}

// A bitcoinjs signer for the BIP-86 tweaked key, written from BIP-341 (independent of our C).
function tweakedSigner(sk) {
  const full = ecc.pointFromScalar(sk, true);
  const d = full[0] === 3 ? ecc.privateNegate(sk) : sk;
  const t = bitcoin.crypto.taggedHash('TapTweak', Buffer.from(full.subarray(1)));
  const td = ecc.privateAdd(d, t);
  return {
    publicKey: Buffer.from(ecc.pointFromScalar(td, true)),
    signSchnorr: (h) => Buffer.from(ecc.signSchnorr(h, td, randomBytes(32))),
  };
}

const validator = (pub, msg, sig) => ecc.verifySchnorr(msg, pub, sig);

// The BIP-341 wallet vector key (the fuzz seeds pay to it), then derived keys until both
// parities of the internal key are covered.
const keys = [Buffer.from('6b973d88838f27366ed61c9ad6367663045cb456e28335c109e30717ae0c6baa', 'hex')];
for (let i = 0; keys.length < 3 || new Set(keys.map((k) => ecc.pointFromScalar(k, true)[0])).size < 2; i++) {
  keys.push(sha(`teekeys btc oracle key ${i}`));
}
const foreign = bip86(sha('teekeys btc oracle foreign key'));
const someone = bitcoin.payments.p2wpkh({ pubkey: Buffer.from(ecc.pointFromScalar(sha('p2wpkh'), true)), network: net });

function buildPsbt(ours, plan, nOutputs, opts = {}) {
  const psbt = new bitcoin.Psbt({ network: net });
  plan.forEach((d, i) => {
    const who = d.ours ? ours : foreign;
    const input = {
      hash: sha(`prev ${i} ${hex(ours.P)}`),
      index: i,
      sequence: 0xfffffffd,
      witnessUtxo: { script: who.pay.output, value: 100000 + i * 1111 },
    };
    if (!d.ours || i < 2) input.tapInternalKey = who.P; // our signer adds it when missing
    if (d.sighash !== undefined) input.sighashType = d.sighash;
    if (opts.nonWitnessForeign && !d.ours) {
      const prev = new bitcoin.Transaction();
      prev.addInput(sha('grandparent'), 0);
      prev.addOutput(who.pay.output, 100000 + i * 1111);
      input.hash = prev.getHash();
      input.index = 0;
      delete input.witnessUtxo;
      input.nonWitnessUtxo = prev.toBuffer();
    }
    psbt.addInput(input);
  });
  const outs = [someone.output, foreign.pay.output, ours.pay.output];
  for (let i = 0; i < nOutputs; i++) psbt.addOutput({ script: outs[i % 3], value: 5000 + i * 7 });
  psbt.setLocktime(1234);
  return psbt;
}

const MIXED = [
  { ours: true },
  { ours: true, sighash: 0x01 },
  { ours: false },
  { ours: true, sighash: 0x82 },
  { ours: true, sighash: 0x03 },
  { ours: true, sighash: 0x81 },
];

let checks = 0;
for (const [k, sk] of keys.entries()) {
  const ours = bip86(sk);

  // 1. Address and keys.
  const addr = call({ op: 'address', seckey: hex(sk), hrp: 'bcrt' });
  assert.equal(addr.internal_key, hex(ours.P));
  assert.equal(addr.output_key, hex(ours.pay.pubkey));
  assert.equal(addr.address, ours.pay.address);
  checks++;

  // 2. Mixed PSBT with a foreign input: we sign ours, bitcoinjs validates.
  const psbt = buildPsbt(ours, MIXED, 6);
  const res = call({ op: 'sign', seckey: hex(sk), payload: { psbt: psbt.toBase64() } });
  assert.deepEqual(res.signed_inputs, [0, 1, 3, 4, 5]);
  assert.equal(res.tx, undefined);
  const signed = bitcoin.Psbt.fromBase64(res.psbt, { network: net });
  assert.equal(signed.data.inputs[2].tapKeySig, undefined);
  for (const i of res.signed_inputs) {
    const sig = signed.data.inputs[i].tapKeySig;
    const type = MIXED[i].sighash;
    assert.equal(sig.length, type === undefined ? 64 : 65, `input ${i} signature length`);
    if (type !== undefined) assert.equal(sig[64], type);
    assert.ok(signed.validateSignaturesOfInput(i, validator), `bitcoinjs rejects our signature on input ${i}`);
    checks++;
  }
  {
    // The validation is real: a flipped bit fails it.
    const tampered = bitcoin.Psbt.fromBase64(res.psbt, { network: net });
    const sig = Buffer.from(tampered.data.inputs[3].tapKeySig);
    sig[10] ^= 1;
    tampered.data.inputs[3].tapKeySig = sig;
    assert.equal(tampered.validateSignaturesOfInput(3, validator), false);
  }
  if (corpusDir && k === 0) {
    writeFileSync(path.join(corpusDir, 'oracle_mixed_unsigned'), psbt.toBuffer());
    writeFileSync(path.join(corpusDir, 'oracle_mixed_signed'), signed.toBuffer());
  }

  // 3. bitcoinjs signs the foreign input, finalizes and extracts; our finalizer agrees.
  signed.signInput(2, tweakedSigner(foreign.sk));
  assert.ok(signed.validateSignaturesOfInput(2, validator));
  const both = signed.toBase64();
  const js = bitcoin.Psbt.fromBase64(both, { network: net });
  js.finalizeAllInputs();
  const jsTx = js.extractTransaction().toHex();
  const fin = call({ op: 'finalize', psbt: both });
  assert.equal(fin.finalized, 6);
  assert.equal(fin.tx, jsTx, 'our extracted transaction differs from bitcoinjs');
  assert.equal(bitcoin.Psbt.fromBase64(fin.psbt, { network: net }).extractTransaction().toHex(), jsTx);
  checks += 2;
  if (corpusDir && k === 0) writeFileSync(path.join(corpusDir, 'oracle_mixed_both_signed'), Buffer.from(both, 'base64'));

  // 4. All ours, finalize=true: every witness verifies against bitcoinjs's own sighash.
  const allOurs = MIXED.map((d) => ({ ...d, ours: true }));
  const psbt2 = buildPsbt(ours, allOurs, 5);
  const res2 = call({ op: 'sign', seckey: hex(sk), payload: { psbt: psbt2.toBase64(), finalize: true } });
  assert.deepEqual(res2.signed_inputs, [0, 1, 2, 3, 4, 5]);
  assert.ok(res2.tx, 'finalize=true with every input ours must return tx');
  const tx = bitcoin.Transaction.fromHex(res2.tx);
  assert.equal(bitcoin.Psbt.fromBase64(res2.psbt, { network: net }).extractTransaction().toHex(), res2.tx);
  const scripts = allOurs.map(() => ours.pay.output);
  const values = allOurs.map((_, i) => 100000 + i * 1111);
  tx.ins.forEach((input, i) => {
    assert.equal(input.witness.length, 1);
    const w = input.witness[0];
    const type = w.length === 65 ? w[64] : 0;
    assert.equal(type, allOurs[i].sighash ?? 0);
    const h = tx.hashForWitnessV1(i, scripts, values, type);
    assert.ok(ecc.verifySchnorr(h, ours.pay.pubkey, w.subarray(0, 64)), `final witness ${i} does not verify`);
    checks++;
  });
  // The unsigned transaction is unchanged apart from witnesses (same txid).
  {
    const unsigned = bitcoin.Transaction.fromBuffer(psbt2.data.globalMap.unsignedTx.toBuffer());
    assert.equal(tx.getId(), unsigned.getId());
  }
  if (corpusDir && k === 0) writeFileSync(path.join(corpusDir, 'oracle_all_ours_final'), Buffer.from(res2.psbt, 'base64'));

  // 5. Refusals.
  const noWitness = buildPsbt(ours, MIXED, 6, { nonWitnessForeign: true });
  let err = call({ op: 'sign', seckey: hex(sk), payload: { psbt: noWitness.toBase64() } }, true);
  assert.match(err.message, /input 2 has no witness_utxo/);
  const shortOutputs = buildPsbt(ours, MIXED, 3);
  err = call({ op: 'sign', seckey: hex(sk), payload: { psbt: shortOutputs.toBase64() } }, true);
  assert.match(err.message, /input 4: SIGHASH_SINGLE without a matching output/);
  err = call({ op: 'sign', seckey: hex(foreign.sk), payload: { psbt: buildPsbt(ours, allOurs, 6).toBase64() } }, true);
  assert.match(err.message, /no input spends/);
  checks += 3;
}
console.log(`btc_check: ${keys.length} keys, ${checks} checks against bitcoinjs-lib ${require('bitcoinjs-lib/package.json').version}: OK`);
