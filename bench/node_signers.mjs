// Baselines for bench_sign: the same payloads as docs/examples signed by JavaScript signers in
// this process (viem for EVM, @noble/curves for BIP-340 and ed25519), as operations per second.
// Run from the repository root with the oracle packages: node bench/node_signers.mjs [seconds]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const require = createRequire(path.join(root, 'tests', 'oracle', 'package.json'));
const { privateKeyToAccount } = require('viem/accounts');
const { ed25519 } = require('@noble/curves/ed25519');
const { schnorr } = require('@noble/curves/secp256k1');

const secs = Number(process.argv[2] ?? 1);
const example = (k) => JSON.parse(readFileSync(path.join(root, 'docs', 'examples', `${k}.json`), 'utf8'));
const account = privateKeyToAccount('0x' + '11'.repeat(32));
const edKey = new Uint8Array(32).fill(17);
const msg = new Uint8Array(32).fill(3);

async function rate(fn) {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < secs * 1000) {
    await fn(n++);
  }
  return (n * 1000) / (performance.now() - start);
}

const tx = example('eth_transaction');
const viemTx = { type: 'eip1559', chainId: 1, nonce: 0, to: tx.to, value: BigInt(tx.value), gas: BigInt(tx.gas),
  maxFeePerGas: BigInt(tx.maxFeePerGas), maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas), data: '0x' };
const typed = example('eth_typed_data');
const results = {
  'viem eth_transaction': await rate(() => account.signTransaction(viemTx)),
  'viem eth_personal': await rate(() => account.signMessage({ message: example('eth_personal') })),
  'viem eth_typed_data': await rate(() => account.signTypedData(typed)),
  'noble schnorr (BIP-340)': await rate(() => schnorr.sign(msg, edKey)),
  'noble ed25519': await rate(() => ed25519.sign(msg, edKey)),
};
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(26)} ${v.toFixed(0).padStart(9)} sig/s`);
