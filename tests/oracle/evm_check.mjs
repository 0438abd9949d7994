// Cross-checks the evm module (teekeys C, driven through build/tests/test_evm_helper) against
// viem and ethers, two independent implementations:
//   - every transaction type we sign is parsed by viem and ethers, its sender recovered, its
//     hash checked, and it must equal viem's own signature of the same transaction byte for
//     byte (both use RFC 6979 deterministic nonces);
//   - transactions signed by viem are decoded by our decoder (fields and sender);
//   - EIP-7702 authorizations, EIP-191 messages and EIP-712 typed data: our signatures must
//     equal viem's and verify with viem; typed-data digests also match ethers' TypedDataEncoder.
// Cases are generated deterministically at run time. Exits non-zero on any disagreement.
//   node tests/oracle/evm_check.mjs      (TK_TEST_BIN_DIR = the build's tests/ directory)
import { execFileSync } from 'node:child_process';
import {
  keccak256, parseTransaction, recoverTransactionAddress, verifyMessage, verifyTypedData,
  hashTypedData, toHex, getAddress, serializeTransaction,
} from 'viem';
import { recoverAuthorizationAddress } from 'viem/utils';
import { privateKeyToAccount } from 'viem/accounts';
import { Transaction as EthersTransaction, TypedDataEncoder } from 'ethers';
import { Tally, testHelper } from './lib.mjs';

const helper = testHelper('evm_check', 'test_evm_helper');
const tally = new Tally();
const { check, eq } = tally;

// Deterministic pseudo-random bytes (keccak chain), so failures reproduce.
let seed = keccak256(toHex('teekeys evm oracle'));
function rnd(n) {
  let out = '';
  while (out.length < 2 * n) {
    seed = keccak256(seed);
    out += seed.slice(2);
  }
  return '0x' + out.slice(0, 2 * n);
}
function rndInt(max) { return Number(BigInt(rnd(6)) % BigInt(max)); }
function rndBig(bytes) { return BigInt(rnd(bytes)); }

const q = (n) => '0x' + BigInt(n).toString(16); // JSON-RPC quantity
const keys = ['0x' + '46'.repeat(32), keccak256(toHex('cow')), rnd(32), rnd(32)];

// ---- transactions: one abstract description, rendered for viem and as JSON-RPC ----
function makeTx(i) {
  const types = ['legacy', 'eip2930', 'eip1559', 'eip7702'];
  const type = types[i % 4];
  const t = {
    type,
    chainId: [1, 137, 11155111, 42161, 2 ** 40 + 7][rndInt(5)],
    nonce: [0, 1, 127, 128, 255, 256, 2 ** 32, rndInt(1e9)][rndInt(8)],
    gas: [21000n, 100000n, rndBig(4)][rndInt(3)],
    value: [0n, 1n, 10n ** 18n, rndBig(32) >> BigInt(rndInt(256))][rndInt(4)],
    data: ['0x', '0xa9059cbb', rnd(rndInt(200)), rnd(56), rnd(55)][rndInt(5)],
    to: (type === 'eip7702' || rndInt(4) !== 0) ? getAddress(rnd(20)) : null,
  };
  if (type === 'legacy' || type === 'eip2930') {
    t.gasPrice = [0n, 1n, 20n * 10n ** 9n, rndBig(16)][rndInt(4)];
  } else {
    t.maxFeePerGas = [1n, 30n * 10n ** 9n, rndBig(16)][rndInt(3)];
    t.maxPriorityFeePerGas = t.maxFeePerGas >> BigInt(rndInt(8));
  }
  if (type !== 'legacy') {
    const n = rndInt(3);
    t.accessList = [];
    for (let k = 0; k < n; k++) {
      const m = rndInt(3);
      t.accessList.push({ address: getAddress(rnd(20)),
        storageKeys: Array.from({ length: m }, () => rnd(32)) });
    }
  }
  return t;
}

function rpcTx(t, auths) {
  const o = { type: q(['legacy', 'eip2930', 'eip1559', '', 'eip7702'].indexOf(t.type)),
    chainId: q(t.chainId), nonce: q(t.nonce), gas: q(t.gas), value: q(t.value), data: t.data,
    to: t.to };
  if (t.gasPrice !== undefined) o.gasPrice = q(t.gasPrice);
  if (t.maxFeePerGas !== undefined) {
    o.maxFeePerGas = q(t.maxFeePerGas);
    o.maxPriorityFeePerGas = q(t.maxPriorityFeePerGas);
  }
  if (t.accessList) o.accessList = t.accessList;
  if (auths) {
    o.authorizationList = auths.map((a) => ({ chainId: q(a.chainId), address: a.address,
      nonce: q(a.nonce), yParity: q(a.yParity), r: q(BigInt(a.r)), s: q(BigInt(a.s)) }));
  }
  return o;
}

// ---- typed data ----
const mail = {
  types: {
    Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
    Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' },
      { name: 'contents', type: 'string' }],
  },
  primaryType: 'Mail',
  domain: { name: 'Ether Mail', version: '1', chainId: 1,
    verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  message: { from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!' },
};
const everything = {
  types: {
    Inner: [{ name: 'flag', type: 'bool' }, { name: 'tag', type: 'bytes3' },
      { name: 'blob', type: 'bytes' }],
    Outer: [
      { name: 'u8', type: 'uint8' }, { name: 'u256', type: 'uint256' },
      { name: 'i8', type: 'int8' }, { name: 'i64', type: 'int64' }, { name: 'i256', type: 'int256' },
      { name: 'u40', type: 'uint40' }, { name: 'b1', type: 'bytes1' }, { name: 'b32', type: 'bytes32' },
      { name: 'who', type: 'address' }, { name: 'text', type: 'string' },
      { name: 'list', type: 'uint16[]' }, { name: 'fixed', type: 'int32[3]' },
      { name: 'grid', type: 'uint8[2][]' }, { name: 'jag', type: 'string[][2]' },
      { name: 'inner', type: 'Inner' }, { name: 'inners', type: 'Inner[]' },
      { name: 'innerGrid', type: 'Inner[1][2]' },
    ],
  },
  primaryType: 'Outer',
  domain: { name: 'teekeys', chainId: 10n, salt: rnd(32) },
  message: {
    u8: 255n, u256: 2n ** 256n - 1n, i8: -128n, i64: -(2n ** 63n), i256: -(2n ** 255n),
    u40: 2n ** 40n - 1n, b1: '0x7f', b32: rnd(32), who: getAddress(rnd(20)),
    text: 'héllo ✓ "quoted"', list: [1n, 2n, 65535n], fixed: [-1n, 0n, 2147483647n],
    grid: [[1n, 2n], [3n, 4n], [0n, 255n]], jag: [['a', 'b'], []],
    inner: { flag: true, tag: '0xabcdef', blob: rnd(70) },
    inners: [{ flag: false, tag: '0x000000', blob: '0x' }, { flag: true, tag: '0x010203', blob: rnd(3) }],
    innerGrid: [[{ flag: true, tag: '0x111111', blob: '0x00' }], [{ flag: false, tag: '0x222222', blob: '0x' }]],
  },
};
const nested = { // recursive type and a domain with only verifyingContract and version
  types: { Node: [{ name: 'v', type: 'int24' }, { name: 'kids', type: 'Node[]' }] },
  primaryType: 'Node',
  domain: { version: '2', verifyingContract: getAddress(rnd(20)) },
  message: { v: -5n, kids: [{ v: 1n, kids: [] }, { v: 2n, kids: [{ v: 8388607n, kids: [] }] }] },
};
const withDomainType = { ...mail, types: { ...mail.types, EIP712Domain: [
  { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }] } };
const typedCases = [mail, everything, nested, withDomainType];

// Random schemas: struct types referring to later ones (so values stay finite), atomic
// fields of every kind, arrays of one or two dimensions, fixed and dynamic, values at and
// inside their bounds, and a random subset of domain fields (EIP712Domain left to be built).
function randomAtomic() {
  switch (rndInt(7)) {
    case 0: return 'bool';
    case 1: return 'address';
    case 2: return 'string';
    case 3: return 'bytes';
    case 4: return `bytes${1 + rndInt(32)}`;
    case 5: return `uint${8 * (1 + rndInt(32))}`;
    default: return `int${8 * (1 + rndInt(32))}`;
  }
}
function randomValue(type, types) {
  const arr = type.match(/^(.*)\[(\d*)\]$/);
  if (arr) {
    const n = arr[2] === '' ? rndInt(4) : Number(arr[2]);
    return Array.from({ length: n }, () => randomValue(arr[1], types));
  }
  if (types[type]) {
    return Object.fromEntries(types[type].map((f) => [f.name, randomValue(f.type, types)]));
  }
  if (type === 'bool') return rndInt(2) === 1;
  if (type === 'address') return getAddress(rnd(20));
  if (type === 'string') return ['', 'plain', 'ünï✓', 'x'.repeat(rndInt(80))][rndInt(4)];
  if (type === 'bytes') return rnd(rndInt(70));
  if (type.startsWith('bytes')) return rnd(Number(type.slice(5)));
  const bits = BigInt(type.replace(/^u?int/, ''));
  if (type.startsWith('uint')) {
    return [0n, (1n << bits) - 1n, rndBig(32) % (1n << bits)][rndInt(3)];
  }
  const half = 1n << (bits - 1n);
  return [-half, half - 1n, 0n, (rndBig(32) % (2n * half)) - half][rndInt(4)];
}
const randomTyped = new Set();
const names = ['Zeta', 'Alpha', 'Mid', 'Beta_2', 'Order', 'Permit'];
for (let c = 0; c < 30; c++) {
  const k = 1 + rndInt(4);
  const structs = names.slice(0, k).sort(() => rndInt(3) - 1);
  const types = {};
  for (let i = k - 1; i >= 0; i--) {
    const nf = 1 + rndInt(5);
    types[structs[i]] = Array.from({ length: nf }, (_, j) => {
      let t = (i < k - 1 && rndInt(4) === 0) ? structs[i + 1 + rndInt(k - 1 - i)] : randomAtomic();
      for (let d = rndInt(3) === 0 ? 1 + rndInt(2) : 0; d > 0; d--) {
        t += rndInt(2) ? '[]' : `[${1 + rndInt(3)}]`;
      }
      return { name: `f${j}`, type: t };
    });
  }
  const domain = {};
  if (rndInt(2)) domain.name = 'random ' + c;
  if (rndInt(2)) domain.version = String(c);
  if (rndInt(2)) domain.chainId = BigInt(1 + rndInt(1e6));
  if (rndInt(2)) domain.verifyingContract = getAddress(rnd(20));
  if (rndInt(2)) domain.salt = rnd(32);
  const td = { types, primaryType: structs[0], domain, message: randomValue(structs[0], types) };
  randomTyped.add(td);
  typedCases.push(td);
}

// bigint → decimal string (negative ones too), small ones as JSON numbers sometimes.
function jsonify(v) {
  return JSON.parse(JSON.stringify(v, (k, x) => (typeof x === 'bigint'
    ? (x >= -1000n && x <= 1000n && x % 2n === 0n ? Number(x) : (x < 0n ? '-0x' + (-x).toString(16)
      : x.toString())) : x)));
}

// ---- build all requests ----
const reqs = [];
const expect = [];
function add(req, onAnswer) { reqs.push(JSON.stringify(req)); expect.push(onAnswer); }

async function main() {
  const accounts = keys.map((k) => privateKeyToAccount(k));

  // EIP-7702 authorizations: ours vs viem's, and the authorities recover.
  const authsFor = [];
  for (let i = 0; i < 6; i++) {
    const acc = accounts[i % accounts.length];
    const a = { chainId: [0, 1, 137, 2 ** 40][i % 4], address: getAddress(rnd(20)),
      nonce: [0, 1, 2 ** 32 + 3][i % 3] };
    const vs = await acc.signAuthorization({ contractAddress: a.address, chainId: a.chainId,
      nonce: a.nonce });
    authsFor.push(vs);
    add({ key: keys[i % keys.length], kind: 'eth_authorization',
      payload: { chainId: q(a.chainId), address: a.address, nonce: q(a.nonce) } }, async (r) => {
      eq(r.chainId, q(a.chainId), 'auth chainId');
      eq(r.address, a.address, 'auth address');
      eq(r.nonce, q(a.nonce), 'auth nonce');
      eq(BigInt(r.yParity), BigInt(vs.yParity), 'auth yParity vs viem');
      eq(BigInt(r.r), BigInt(vs.r), 'auth r vs viem');
      eq(BigInt(r.s), BigInt(vs.s), 'auth s vs viem');
      const who = await recoverAuthorizationAddress({ authorization: { address: a.address,
        chainId: a.chainId, nonce: a.nonce, r: toHex(BigInt(r.r), { size: 32 }),
        s: toHex(BigInt(r.s), { size: 32 }), yParity: Number(r.yParity) } });
      eq(who, acc.address, 'auth authority');
    });
  }

  // Transactions of every type.
  for (let i = 0; i < 40; i++) {
    const ki = i % keys.length;
    const acc = accounts[ki];
    const t = makeTx(i);
    let auths;
    if (t.type === 'eip7702') auths = authsFor.slice(0, 1 + rndInt(3));
    const viemTx = { ...t };
    if (viemTx.to === null) delete viemTx.to;
    if (auths) viemTx.authorizationList = auths;
    const viemRaw = await acc.signTransaction(viemTx);
    const rpc = rpcTx(t, auths);
    if (i % 5 === 0) rpc.from = acc.address;
    if (i % 7 === 0) { rpc.input = rpc.data; if (i % 2) delete rpc.data; }
    add({ key: keys[ki], kind: 'eth_transaction', payload: rpc }, async (r) => {
      eq(r.raw, viemRaw, `tx ${i} (${t.type}) raw vs viem`);
      eq(r.hash, keccak256(r.raw), `tx ${i} hash`);
      eq(r.from, acc.address, `tx ${i} from`);
      const p = parseTransaction(r.raw);
      eq(p.type, t.type, `tx ${i} viem type`);
      eq(p.chainId, t.chainId, `tx ${i} viem chainId`);
      eq(p.nonce ?? 0, t.nonce, `tx ${i} viem nonce`);
      eq(p.gas, t.gas, `tx ${i} viem gas`);
      eq(p.value ?? 0n, t.value, `tx ${i} viem value`);
      eq((p.data ?? '0x').toLowerCase(), t.data.toLowerCase(), `tx ${i} viem data`);
      eq(p.to ? getAddress(p.to) : null, t.to, `tx ${i} viem to`);
      const { r: pr, s: ps, v: pv, yParity: py, ...fields } = p;
      eq(serializeTransaction(fields, { r: pr, s: ps, v: pv, yParity: py }), r.raw,
        `tx ${i} viem re-serialises our parse to the same bytes`);
      const who = await recoverTransactionAddress({ serializedTransaction: r.raw });
      eq(who, acc.address, `tx ${i} viem recovers sender`);
      const et = EthersTransaction.from(r.raw);
      eq(et.from, acc.address, `tx ${i} ethers recovers sender`);
      eq(et.hash, r.hash, `tx ${i} ethers hash`);
      eq(Number(et.type), ['legacy', 'eip2930', 'eip1559', '', 'eip7702'].indexOf(t.type),
        `tx ${i} ethers type`);
    });
    // and our decoder on viem's transaction
    add({ decode: viemRaw }, async (d) => {
      eq(d.from, acc.address, `decode ${i} sender`);
      eq(d.chainId, q(t.chainId), `decode ${i} chainId`);
      eq(d.nonce, q(t.nonce), `decode ${i} nonce`);
      eq(d.value, q(t.value), `decode ${i} value`);
      eq(d.input, t.data.toLowerCase(), `decode ${i} data`);
      eq(d.to, t.to, `decode ${i} to`);
      if (t.accessList) eq(d.accessList.length, t.accessList.length, `decode ${i} accessList`);
      if (auths) eq(d.authorizationList.length, auths.length, `decode ${i} authorizationList`);
    });
  }
  // Unsigned legacy serialisation sanity: viem's EIP-155 payload hash is what we sign, shown
  // by the byte-equal signatures above; a contract creation is among the cases.

  // EIP-191 personal messages.
  const messages = ['hello world', '', 'ünïcode ✓ \n multi-line', 'x'.repeat(1000)];
  for (let i = 0; i < messages.length + 3; i++) {
    const ki = i % keys.length;
    const acc = accounts[ki];
    const raw = i >= messages.length ? rnd(rndInt(100)) : null;
    const message = raw ? { raw } : messages[i];
    const vsig = await acc.signMessage({ message });
    add({ key: keys[ki], kind: 'eth_personal', payload: message }, async (r) => {
      eq(r.signature, vsig, `personal ${i} vs viem`);
      check(await verifyMessage({ address: acc.address, message, signature: r.signature }),
        `personal ${i} verifies`);
    });
  }

  // EIP-712 typed data.
  typedCases.forEach((td, i) => {
    const ki = i % keys.length;
    const acc = accounts[ki];
    add({ key: keys[ki], kind: 'eth_typed_data', payload: jsonify(td) }, async (r) => {
      const vsig = await acc.signTypedData(td);
      eq(r.signature, vsig, `typed ${i} vs viem`);
      check(await verifyTypedData({ address: acc.address, ...td, signature: r.signature }),
        `typed ${i} verifies`);
      const { EIP712Domain, ...plain } = td.types;
      void EIP712Domain;
      // ethers refuses recursive struct types and types unused by the primary type (random
      // schemas may have them); viem and we accept both.
      let ethersHash = null;
      try {
        ethersHash = TypedDataEncoder.hash(td.domain, plain, td.message);
      } catch (e) {
        check(td === nested || randomTyped.has(td), `typed ${i} ethers: ${e.shortMessage}`);
      }
      if (ethersHash !== null) eq(ethersHash, hashTypedData(td), `typed ${i} ethers digest`);
    });
  });

  // eth_signTypedData_v4 style: the typed data as a JSON string.
  {
    const vsig = await accounts[1].signTypedData(everything);
    add({ key: keys[1], kind: 'eth_typed_data', payload: JSON.stringify(jsonify(everything)) },
      async (r) => eq(r.signature, vsig, 'typed (string payload) vs viem'));
  }

  // Refusals that viem also refuses: an out-of-range uint8 and a bad checksum.
  add({ key: keys[0], kind: 'eth_typed_data', payload: jsonify({ ...mail, message: { ...mail.message,
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827' } } }) }, null);
  add({ key: keys[0], kind: 'eth_transaction', payload: { type: '0x2', chainId: '0x1',
    nonce: '0x0', gas: '0x5208', maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x2' } }, null);

  const t0 = Date.now();
  const out = execFileSync(helper, { input: reqs.join('\n') + '\n', maxBuffer: 64 << 20 })
    .toString().trim().split('\n');
  const elapsed = Date.now() - t0;
  if (out.length !== reqs.length) {
    console.error(`helper answered ${out.length} of ${reqs.length} requests`);
    process.exit(1);
  }
  for (let i = 0; i < out.length; i++) {
    const ans = JSON.parse(out[i]);
    if (expect[i] === null) {
      check(!ans.ok, `request ${i} should be refused: ${reqs[i].slice(0, 120)}`);
      continue;
    }
    if (!ans.ok) {
      check(false, `request ${i} failed: ${ans.error} :: ${reqs[i].slice(0, 200)}`);
      continue;
    }
    await expect[i](ans.result);
  }
  console.log(`evm_check: ${reqs.length} requests (C side ${elapsed} ms), ${tally.checks} checks, ` +
    `${tally.failures} failures`);
  process.exit(tally.failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
