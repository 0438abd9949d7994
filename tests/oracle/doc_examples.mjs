// The pasteable examples of docs/signing.md: one payload file per signing kind for alice.near under
// the documentation master secret (32 bytes of 0x42), built with each chain's own client
// library, and checked by signing them with the CLI and verifying the results with those
// libraries (viem, bitcoinjs-lib, @solana/web3.js, @near-js/transactions, @noble/curves).
//   node tests/oracle/doc_examples.mjs --write   (re)write docs/examples/*.json
//   node tests/oracle/doc_examples.mjs --check   sign every example and verify it independently
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as viem from 'viem';
import { recoverAuthorizationAddress } from 'viem/utils';
import * as bitcoin from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import { Transaction as SolTransaction, SystemProgram, PublicKey as SolPublicKey } from '@solana/web3.js';
import { createTransaction, actionCreators, encodeTransaction, decodeSignedTransaction } from '@near-js/transactions';
import { PublicKey as NearPublicKey } from '@near-js/crypto';
import { ed25519 } from '@noble/curves/ed25519';
import { schnorr } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha256';
import { base58, bech32m } from '@scure/base';

bitcoin.initEccLib(ecc);
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, '..', '..', 'docs', 'examples');
const vectors = JSON.parse(readFileSync(path.join(here, '..', 'vectors', 'derive_v1.json'), 'utf8')).vectors;
const master = '42'.repeat(32);
const alice = (family, network = null) => vectors.find((v) => v.master === master && v.account === 'alice.near' &&
  v.path === '' && v.family === family && v.network_arg === network);
const hexb = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const b64 = (b) => Buffer.from(b).toString('base64');
const enc = new TextEncoder();

const mail = {
  types: {
    EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }],
    Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
    Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' }, { name: 'contents', type: 'string' }],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
};

function examples() {
  const btc = alice('bitcoin-test', 'regtest');
  const sol = alice('solana');
  const near = alice('near');
  // btc_psbt: one input paying 50 000 sat to alice's regtest address, 40 000 to another address
  const aliceScript = bitcoin.address.toOutputScript(btc.address, bitcoin.networks.regtest);
  const psbt = new bitcoin.Psbt({ network: bitcoin.networks.regtest });
  psbt.addInput({ hash: '11'.repeat(32), index: 0, witnessUtxo: { script: aliceScript, value: 50000 },
    tapInternalKey: Buffer.from(btc.public_key_hex.slice(0, 64), 'hex') });
  psbt.addOutput({ address: 'bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6', value: 40000 });
  // sol_transaction: a 1000-lamport transfer paid and signed by alice's Solana key
  const solTx = new SolTransaction({ feePayer: new SolPublicKey(sol.address), recentBlockhash: 'EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k' })
    .add(SystemProgram.transfer({ fromPubkey: new SolPublicKey(sol.address), toPubkey: new SolPublicKey('11111111111111111111111111111112'), lamports: 1000 }));
  // near_transaction: alice.near sends 1 yoctoNEAR to bob.near with her derived key
  const nearTx = createTransaction('alice.near', NearPublicKey.from(near.public_key), 'bob.near', 1n,
    [actionCreators.transfer(1n)], base58.decode('EETubP5AKHgjPAhzPAFcb8BAY1hMH639CWCFTqi3hq1k'));
  return {
    eth_transaction: { family: 'evm', kind: 'eth_transaction', payload: {
      type: '0x2', chainId: '0x1', nonce: '0x0', to: '0x3535353535353535353535353535353535353535', value: '0xde0b6b3a7640000',
      gas: '0x5208', maxFeePerGas: '0x4a817c800', maxPriorityFeePerGas: '0x3b9aca00', data: '0x', accessList: [] } },
    eth_authorization: { family: 'evm', kind: 'eth_authorization', payload: {
      chainId: '0x1', address: '0x63c0c19a282a1B52b07dD5a65b58948A07DAE32B', nonce: '0x0' } },
    eth_personal: { family: 'evm', kind: 'eth_personal', payload: 'hello from teekeys' },
    eth_typed_data: { family: 'evm', kind: 'eth_typed_data', payload: mail },
    btc_psbt: { family: 'bitcoin-test', network: 'regtest', kind: 'btc_psbt', payload: { psbt: psbt.toBase64(), finalize: true } },
    sol_transaction: { family: 'solana', kind: 'sol_transaction', payload: {
      transaction: solTx.serialize({ requireAllSignatures: false, verifySignatures: false }).toString('base64') } },
    sol_message: { family: 'solana', kind: 'sol_message', payload: 'Sign in to example.org' },
    near_transaction: { family: 'near', kind: 'near_transaction', payload: { transaction: b64(encodeTransaction(nearTx)) } },
    nep413: { family: 'near', kind: 'nep413', payload: { message: 'Sign in to example.org', nonce: b64(new Uint8Array(32).fill(7)),
      recipient: 'example.org', accountId: 'alice.near' } },
    raw_digest: { family: 'evm', kind: 'raw_digest', payload: { digest: '0x' + 'ab'.repeat(32) } },
  };
}

function nep413Hash(p) {
  const str = (s) => { const b = enc.encode(s); const l = Buffer.alloc(4); l.writeUInt32LE(b.length); return Buffer.concat([l, b]); };
  const tag = Buffer.alloc(4); tag.writeUInt32LE(2 ** 31 + 413);
  const cb = p.callbackUrl ? Buffer.concat([Buffer.from([1]), str(p.callbackUrl)]) : Buffer.from([0]);
  return sha256(Buffer.concat([tag, str(p.message), Buffer.from(p.nonce, 'base64'), str(p.recipient), cb]));
}

async function verify(name, ex, env) {
  const r = env.result;
  const evm = alice('evm').address;
  switch (name) {
    case 'eth_transaction': {
      const from = await viem.recoverTransactionAddress({ serializedTransaction: r.raw });
      const tx = viem.parseTransaction(r.raw);
      return from === evm && r.from === evm && viem.keccak256(r.raw) === r.hash && tx.chainId === 1 && tx.value === 10n ** 18n;
    }
    case 'eth_authorization': {
      const signer = await recoverAuthorizationAddress({ authorization: {
        chainId: Number(r.chainId), address: r.address, nonce: Number(r.nonce), yParity: Number(r.yParity), r: r.r, s: r.s } });
      return signer === evm;
    }
    case 'eth_personal':
      return viem.verifyMessage({ address: evm, message: ex.payload, signature: r.signature });
    case 'eth_typed_data':
      return viem.verifyTypedData({ address: evm, ...mail, signature: r.signature });
    case 'btc_psbt': {
      const p = bitcoin.Psbt.fromBase64(r.psbt, { network: bitcoin.networks.regtest });
      const tx = bitcoin.Transaction.fromHex(r.tx);
      const prog = Buffer.from(bech32m.fromWords(bech32m.decode(alice('bitcoin-test', 'regtest').address).words.slice(1)));
      const sighash = tx.hashForWitnessV1(0, [bitcoin.address.toOutputScript(alice('bitcoin-test', 'regtest').address, bitcoin.networks.regtest)], [50000], bitcoin.Transaction.SIGHASH_DEFAULT);
      return p.txInputs.length === 1 && schnorr.verify(tx.ins[0].witness[0], sighash, prog) && r.signed_inputs.length === 1;
    }
    case 'sol_transaction':
      return SolTransaction.from(Buffer.from(r.transaction, 'base64')).verifySignatures();
    case 'sol_message':
      return ed25519.verify(base58.decode(r.signature), enc.encode(ex.payload), base58.decode(alice('solana').address));
    case 'near_transaction': {
      const st = decodeSignedTransaction(Buffer.from(r.signed_transaction, 'base64'));
      const h = sha256(encodeTransaction(st.transaction));
      const sig = Uint8Array.from(st.signature.ed25519Signature?.data ?? st.signature.data);
      return base58.encode(h) === r.hash && ed25519.verify(sig, h, hexb(alice('near').public_key_hex));
    }
    case 'nep413':
      return r.publicKey === alice('near').public_key && r.accountId === 'alice.near' &&
        ed25519.verify(Buffer.from(r.signature, 'base64'), nep413Hash(ex.payload), hexb(alice('near').public_key_hex));
    case 'raw_digest':
      return (await viem.recoverAddress({ hash: ex.payload.digest, signature: r.signature })) === evm;
  }
  return false;
}

const mode = process.argv[2] ?? '--check';
if (mode === '--write') {
  for (const [name, ex] of Object.entries(examples())) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(ex.payload, null, 2) + '\n');
  console.log(`wrote ${Object.keys(examples()).length} examples to ${dir}`);
} else {
  const bin = path.join(process.env.TK_BIN_DIR ?? path.join(here, '..', '..', 'build', 'bin'), 'teekeys');
  let pass = 0, fail = 0;
  const meta = examples();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const name = file.replace(/\.json$/, '');
    const ex = { ...meta[name], payload: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) };
    const args = ['sign', '--account', 'alice.near', '--family', ex.family, '--kind', ex.kind, '--payload-file', path.join(dir, file)];
    if (ex.network) args.push('--network', ex.network);
    let ok = false;
    try {
      const env = JSON.parse(execFileSync(bin, args, { env: { ...process.env, TEEKEYS_MASTER_SECRET: master } }));
      ok = env.kind === ex.kind && env.key.family === ex.family && (await verify(name, ex, env));
    } catch (e) { console.error(`${name}: ${e.message}`); }
    if (ok) pass++; else { fail++; console.error(`FAIL ${name}`); }
  }
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(fail || pass === 0 ? 1 : 0);
}
