// Generates tests/vectors/near/near_api_js.txt with near-api-js 7.2.0 (pinned in package-lock.json):
// a transaction with every action kind up to Delegate and a plain transfer, encoded and signed by
// near-api-js with the ed25519 key whose seed is 01..20, and NEP-413 signatures by its
// KeyPairSigner.signNep413Message. Lines are `name hex`.
//   node tests/oracle/near_vectors.mjs > tests/vectors/near/near_api_js.txt
import {
  KeyPair, KeyPairSigner, PublicKey, actions, createTransaction, encodeTransaction,
  buildDelegateAction, encodeDelegateAction,
} from 'near-api-js';
import { sha256 } from '@noble/hashes/sha256';
import { ed25519 } from '@noble/curves/ed25519';
import { base58, hex } from '@scure/base';

const enc = new TextEncoder();
const seqBytes = (start, n) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

export function keyFromSeed(seed) {
  const pub = ed25519.getPublicKey(seed);
  return KeyPair.fromString('ed25519:' + base58.encode(new Uint8Array([...seed, ...pub])));
}

// Every action kind; the delegate is signed by a second key. Exported for near_check.mjs.
export async function buildAll(key, nonce = 7n) {
  const other = keyFromSeed(seqBytes(0x21, 32));
  const secpKey = PublicKey.fromString('secp256k1:' + base58.encode(seqBytes(0x02, 64)));
  const delegate = buildDelegateAction({
    senderId: 'relayed.testnet',
    receiverId: 'dapp.testnet',
    actions: [
      actions.transfer(5n),
      actions.functionCall('ft_transfer', enc.encode('{"a":1}'), 30000000000000n, 1n),
      actions.addFunctionCallAccessKey(other.getPublicKey(), 'dapp.testnet', [], undefined),
    ],
    nonce: 99n,
    maxBlockHeight: 123456789n,
    publicKey: other.getPublicKey(),
  });
  const { signedDelegate } = await new KeyPairSigner(other).signDelegateAction(delegate);
  const acts = [
    actions.createAccount(),
    actions.deployContract(seqBytes(0, 300)),
    actions.functionCall('set_greeting', enc.encode('{"greeting":"héllo ✓"}'), 100000000000000n,
      10n ** 24n),
    actions.transfer(340282366920938463463374607431768211455n),
    actions.stake(32n * 10n ** 27n, other.getPublicKey()),
    actions.addFullAccessKey(other.getPublicKey()),
    actions.addFunctionCallAccessKey(secpKey, 'app.near', ['a', 'method_two'], 250000000000000000000000n),
    actions.addFunctionCallAccessKey(other.getPublicKey(), 'app.near', [], undefined),
    actions.deleteKey(secpKey),
    actions.deleteAccount('beneficiary.near'),
    actions.signedDelegate(signedDelegate),
  ];
  return createTransaction('alice.near', key.getPublicKey(), 'bob.near', nonce, acts, seqBytes(0xa0, 32));
}

export async function signWith(key, tx) {
  const { txHash, signedTransaction } = await new KeyPairSigner(key).signTransaction(tx);
  return { tx: encodeTransaction(tx), signed: signedTransaction.encode(), hash: txHash };
}

export const nep413Cases = [
  { message: 'Login to teekeys ✓', nonce: seqBytes(0x10, 32), recipient: 'teekeys@dao.test.near' },
  { message: '', nonce: new Uint8Array(32), recipient: 'app.near', callbackUrl: 'https://example.com/cb?x=1' },
];

async function main() {
  const seed = seqBytes(1, 32);
  const key = keyFromSeed(seed);
  const out = [];
  const line = (k, v) => out.push(`${k} ${hex.encode(v)}`);
  line('seed', seed);
  line('pub', key.getPublicKey().data);
  const all = await signWith(key, await buildAll(key));
  line('all_tx', all.tx);
  line('all_signed', all.signed);
  line('all_hash', all.hash);
  const t = createTransaction('98793cd91a3f870fb126f66285808c7e094afcfc4eda8a970f6648cdf0dbd6de',
    key.getPublicKey(), 'receiver.testnet', 1n, [actions.transfer(10n ** 24n)], seqBytes(0x30, 32));
  const tr = await signWith(key, t);
  line('transfer_tx', tr.tx);
  line('transfer_signed', tr.signed);
  line('transfer_hash', tr.hash);
  const signer = new KeyPairSigner(key);
  for (const [i, c] of nep413Cases.entries()) {
    const r = await signer.signNep413Message('alice.near', c);
    line(`nep413_${i}_message`, enc.encode(c.message));
    line(`nep413_${i}_nonce`, c.nonce);
    line(`nep413_${i}_recipient`, enc.encode(c.recipient));
    line(`nep413_${i}_callback`, c.callbackUrl === undefined ? new Uint8Array([0xff]) : enc.encode(c.callbackUrl));
    line(`nep413_${i}_signature`, r.signature);
  }
  console.log(out.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
