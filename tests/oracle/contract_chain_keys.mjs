// Scenario test of the chain-keys contract (contracts/chain_keys), run against near_chain.mjs in
// either mode: `wasm` (build/contracts/chain_keys.wasm in Node's engine) or `native` (the C
// runtime's nearvm_driver). Covers every method, every refusal (wrong caller, missing or short
// storage deposit, key conflicts, bad family/network/key, malformed JSON, policy schema errors),
// the NEP-297 events, NEP-145 storage accounting to the byte, and checks every address the
// contract derives against independent libraries: viem (EIP-55), bitcoinjs-lib with
// @bitcoinerlab/secp256k1 (BIP-86 P2TR), @solana/web3.js (base58). Exits non-zero on any failure.
import { makeChain, ViewError } from './near_chain.mjs';
import { secp256k1 } from '@noble/curves/secp256k1';
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { base58 } from '@scure/base';
import { publicKeyToAddress } from 'viem/accounts';
import * as bitcoin from 'bitcoinjs-lib';
import * as ecc from '@bitcoinerlab/secp256k1';
import { PublicKey } from '@solana/web3.js';
import { events, j, panicOf, Score } from './lib.mjs';

bitcoin.initEccLib(ecc);
const mode = process.argv[2] ?? 'wasm';
const chain = await makeChain(mode);
const score = new Score();
const { check } = score;

const NEAR = 10n ** 24n, PRICE = 10n ** 19n;
const ROOT = 'test.near', CK = 'chain-keys.test.near', DAO = 'dao.test.near';
const ALICE = 'alice.test.near', BOB = 'bob.test.near', CAROL = 'carol.test.near', MALLORY = 'mallory.test.near';
chain.createAccount(ROOT, { amount: 1000n * NEAR });
chain.createAccount(CK, { amount: 10n * NEAR, contract: 'chain_keys' });
for (const a of [DAO, ALICE, BOB, CAROL, MALLORY]) chain.createAccount(a, { amount: 100n * NEAR });

const call = (signer, method, args, deposit = 0n) => chain.call({ signer, receiver: CK, method, args, deposit });
const view = (method, args) => chain.view(CK, method, args).result;
const ok = (name, out) => {
  check(name, out.status && out.status.SuccessValue !== undefined, j(out.status));
  return out;
};
const refused = (name, out, re) => {
  const m = panicOf(out);
  check(name, m !== null && re.test(m), m ?? j(out.status));
  check(`${name} emits nothing`, out.logs.length === 0, j(out.logs));
};
const oneEvent = (name, out, event, data) => {
  const ev = events(out);
  check(`${name} event`, ev.length === 1 && ev[0].standard === 'teekeys-chain-keys' && ev[0].version === '1.0.0' &&
    ev[0].event === event && ev[0].data.length === 1 && (data === undefined || j(ev[0].data[0]) === j(data)), j(ev));
  return ev[0]?.data[0];
};
const usage = () => chain.account(CK).storage_usage;
const balanceOf = (a) => view('storage_balance_of', { account_id: a });
const amountOf = (a) => chain.account(a).amount;

// ---- keys and independent addresses
const seed = (label) => sha256(new TextEncoder().encode(`chain-keys scenario ${label}`));
const hex = (b) => Buffer.from(b).toString('hex');
function secpKey(label) {
  const pub = secp256k1.getPublicKey(seed(label), false).slice(1);
  return { pub, str: `secp256k1:${base58.encode(pub)}` };
}
function edKey(label) {
  const pub = ed25519.getPublicKey(seed(label));
  return { pub, str: `ed25519:${base58.encode(pub)}` };
}
const nets = { mainnet: bitcoin.networks.bitcoin, testnet: bitcoin.networks.testnet, signet: bitcoin.networks.testnet, regtest: bitcoin.networks.regtest };
function expectedAddress(family, network, pub) {
  switch (family) {
    case 'evm': return publicKeyToAddress(`0x04${hex(pub)}`);
    case 'bitcoin': case 'bitcoin-test':
      return bitcoin.payments.p2tr({ internalPubkey: Buffer.from(pub.slice(0, 32)), network: nets[network] }).address;
    case 'solana': return new PublicKey(pub).toBase58();
    case 'near': return hex(pub);
  }
  throw new Error(family);
}
const worker = edKey('worker');
const att = {
  tee_type: 'tdx', attestation_contract: 'verifier.test.near',
  measurements: { mrtd: 'a1'.repeat(48), rtmr0: 'b2'.repeat(48), rtmr1: 'c3'.repeat(48), rtmr2: 'd4'.repeat(48), rtmr3: 'e5'.repeat(48) },
  worker: worker.str, verified_at: '1700000000123456789',
};
const reg = (args) => call(DAO, 'register_tee_key', { tee_attestation: att, ...args });

// ---- before init
refused('call before init', reg({ account_id: ALICE, family: 'evm', public_key: secpKey('x').str }), /not initialized/);
try { view('get_config', {}); check('view before init', false); } catch (e) { check('view before init', e instanceof ViewError && /not initialized/.test(e.message), e.message); }

// ---- init
refused('new by a stranger', call(MALLORY, 'new', { dao_account_id: DAO }), /only by the contract account or its parent/);
refused('new with a bad dao id', call(ROOT, 'new', { dao_account_id: 'Not Valid' }), /dao_account_id must be a valid/);
refused('new with an unknown argument', call(ROOT, 'new', { dao_account_id: DAO, owner: ROOT }), /unknown argument: owner/);
oneEvent('new', ok('new by the parent account', call(ROOT, 'new', { dao_account_id: DAO })), 'init', { dao_account_id: DAO });
refused('new twice', call(CK, 'new', { dao_account_id: DAO }), /already initialized/);
check('get_config', j(view('get_config', {})) === j({ dao_account_id: DAO, version: '1.0.0' }));

// ---- NEP-145 storage
const MIN = 130n * PRICE;
check('storage_balance_bounds', j(view('storage_balance_bounds', {})) === j({ min: MIN.toString(), max: null }), j(view('storage_balance_bounds', {})));
check('storage_balance_of unregistered', balanceOf(ALICE) === null);
refused('storage_deposit below min', call(ALICE, 'storage_deposit', {}, MIN - 1n), /needs at least 1300000000000000000000 yoctoNEAR/);
refused('storage_deposit bad account', call(ALICE, 'storage_deposit', { account_id: 'UPPER' }, NEAR), /invalid account id/);
refused('storage_deposit bad registration_only', call(ALICE, 'storage_deposit', { registration_only: 'yes' }, NEAR), /registration_only must be a boolean/);
{
  const u0 = usage();
  const out = ok('storage_deposit alice', call(ALICE, 'storage_deposit', {}, NEAR / 10n));
  const recordBytes = BigInt(usage() - u0);
  check('alice record bytes', recordBytes === BigInt(2 + ALICE.length + 24 + 40), recordBytes);
  const bal = { total: (NEAR / 10n).toString(), available: (NEAR / 10n - recordBytes * PRICE).toString() };
  check('storage_deposit result', j(out.result) === j(bal), j(out.result));
  oneEvent('storage_deposit', out, 'storage_deposit', { account_id: ALICE, amount: (NEAR / 10n).toString(), balance: bal });
  check('storage_balance_of alice', j(balanceOf(ALICE)) === j(bal));
  const more = ok('storage_deposit top-up', call(ALICE, 'storage_deposit', { account_id: ALICE }, NEAR / 10n));
  check('top-up adds', more.result.total === (NEAR / 5n).toString() && usage() - u0 === Number(recordBytes));
  // registration_only on a registered account: everything comes back
  const before = amountOf(ALICE);
  const again = ok('registration_only again', call(ALICE, 'storage_deposit', { registration_only: true }, NEAR));
  check('registration_only refunds all', amountOf(ALICE) === before && again.result.total === (NEAR / 5n).toString() && events(again).length === 0,
    `${before} -> ${amountOf(ALICE)}`);
}
{
  // carol deposits for herself; alice deposits for carol too; bob registers with the minimum only
  ok('storage_deposit carol', call(CAROL, 'storage_deposit', {}, NEAR / 10n));
  ok('storage_deposit for another account', call(ALICE, 'storage_deposit', { account_id: CAROL }, NEAR / 10n));
  check('carol total', balanceOf(CAROL).total === (NEAR / 5n).toString());
  const before = amountOf(BOB);
  const out = ok('registration_only bob', call(BOB, 'storage_deposit', { registration_only: true }, NEAR));
  check('registration_only takes min', amountOf(BOB) === before - MIN && out.result.total === MIN.toString(), `${before - amountOf(BOB)}`);
}

// ---- register_tee_key: every family, addresses against independent libraries
const bindings = [];
const families = [
  ['evm', undefined, 'e', secpKey], ['evm', undefined, 'e2', secpKey], ['evm', undefined, '', secpKey],
  ['bitcoin', undefined, 'b', secpKey], ['bitcoin', 'mainnet', 'b2', secpKey],
  ['bitcoin-test', undefined, 't', secpKey], ['bitcoin-test', 'signet', 's', secpKey], ['bitcoin-test', 'regtest', 'r', secpKey],
  ['solana', undefined, 'sol', edKey], ['solana', undefined, 'sol/2', edKey], ['near', undefined, 'n', edKey], ['near', undefined, 'ünï/cøde', edKey],
];
for (let i = 0; i < 24; i++) {
  const [family, network, p, keyFn] = families[i % families.length];
  const account = i < families.length ? ALICE : CAROL;
  const key = keyFn(`${account}/${family}/${p}/${i}`);
  const args = { account_id: account, family, path: p, public_key: key.str };
  if (network !== undefined) args.network = network;
  const u0 = usage(), b0 = BigInt(balanceOf(account).available);
  const out = ok(`register ${family} ${i}`, reg(args));
  const net = network ?? (family === 'bitcoin' ? 'mainnet' : family === 'bitcoin-test' ? 'testnet' : null);
  const address = expectedAddress(family, net, key.pub);
  const rec = out.result;
  check(`address ${family} ${i}`, rec && rec.address === address, `${rec && rec.address} != ${address}`);
  const want = { account_id: account, family, path: p, network: net, public_key: key.str, address, tee_attestation: att };
  check(`record ${family} ${i}`, rec && j({ ...rec, registered_at: undefined }) === j(want) && /^[1-9][0-9]*$/.test(rec.registered_at), j(rec));
  oneEvent(`register ${family} ${i}`, out, 'register_binding', { account_id: account, family, path: p, network: net, public_key: key.str, address, worker: worker.str });
  const grown = BigInt(usage() - u0);
  check(`storage charged ${i}`, grown > 0n && BigInt(balanceOf(account).available) === b0 - grown * PRICE, `${grown}`);
  bindings.push({ ...want, key });
}
{
  const mine = bindings.filter((b) => b.account_id === ALICE);
  const got = view('get_bindings', { account_id: ALICE });
  check('get_bindings alice', Array.isArray(got) && got.length === mine.length &&
    got.every((r, i) => r.address === mine[i].address && r.path === mine[i].path), j(got.map((r) => r.path)));
  check('get_bindings none', j(view('get_bindings', { account_id: MALLORY })) === '[]');
  const b = mine[3];
  check('get_binding', view('get_binding', { account_id: ALICE, family: b.family, path: b.path }).address === b.address);
  check('get_binding default path', view('get_binding', { account_id: ALICE, family: 'evm' }).path === '');
  check('get_binding missing', view('get_binding', { account_id: ALICE, family: 'evm', path: 'nope' }) === null);
  for (const x of bindings) {
    const found = view('find_by_address', { address: x.address });
    check(`find_by_address ${x.family} ${x.path}`, found && found.account_id === x.account_id && found.path === x.path && found.family === x.family);
  }
  const evm = bindings.find((x) => x.family === 'evm');
  check('find_by_address lowercase evm', view('find_by_address', { address: evm.address.toLowerCase() })?.address === evm.address);
  const btc = bindings.find((x) => x.family === 'bitcoin');
  check('find_by_address uppercase bech32', view('find_by_address', { address: btc.address.toUpperCase() })?.address === btc.address);
  check('find_by_address unknown', view('find_by_address', { address: '0x0000000000000000000000000000000000000000' }) === null);
  for (const [name, args, re] of [
    ['get_bindings bad account', { account_id: 'X' }, /valid NEAR account id/],
    ['get_binding unknown family', { account_id: ALICE, family: 'tron' }, /unknown family/],
    ['find_by_address empty', { address: '' }, /non-empty string/],
    ['get_binding unknown argument', { account_id: ALICE, family: 'evm', network: 'x' }, /unknown argument: network/],
  ]) {
    try { view(name.split(' ')[0], args); check(name, false, 'no error'); } catch (e) { check(name, e instanceof ViewError && re.test(e.message), e.message); }
  }
}

// ---- idempotence and conflicts
{
  const b = bindings[0];
  const u0 = usage();
  const out = ok('same key again', reg({ account_id: b.account_id, family: b.family, path: b.path, public_key: b.key.str }));
  check('same key again is idempotent', out.logs.length === 0 && usage() === u0 && out.result.address === b.address &&
    out.result.registered_at === view('get_binding', { account_id: b.account_id, family: b.family, path: b.path }).registered_at);
  refused('different key for a bound triple', reg({ account_id: b.account_id, family: b.family, path: b.path, public_key: secpKey('other').str }), /already bound .* remove_binding/);
  const t = bindings.find((x) => x.family === 'bitcoin-test' && x.network === 'testnet');
  refused('same key on another network', reg({ account_id: t.account_id, family: t.family, path: t.path, network: 'regtest', public_key: t.key.str }), /remove_binding/);
  refused('same address under another path', reg({ account_id: b.account_id, family: b.family, path: 'elsewhere', public_key: b.key.str }), /address is already bound/);
}

// ---- refusals
const k1 = secpKey('refusals'), e1 = edKey('refusals');
for (const [name, signer, args, re] of [
  ['wrong caller', ALICE, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: att }, /only by the DAO account dao.test.near/],
  ['no storage deposit', DAO, { account_id: MALLORY, family: 'evm', public_key: k1.str, tee_attestation: att }, /no storage deposit/],
  ['short storage deposit', DAO, { account_id: BOB, family: 'evm', public_key: k1.str, tee_attestation: att }, /insufficient storage deposit for bob.test.near/],
  ['bad family', DAO, { account_id: ALICE, family: 'tron', public_key: k1.str, tee_attestation: att }, /unknown family/],
  ['network on evm', DAO, { account_id: ALICE, family: 'evm', network: 'mainnet', public_key: k1.str, tee_attestation: att }, /takes no network/],
  ['testnet on bitcoin', DAO, { account_id: ALICE, family: 'bitcoin', network: 'testnet', public_key: k1.str, tee_attestation: att }, /only the network mainnet/],
  ['mainnet on bitcoin-test', DAO, { account_id: ALICE, family: 'bitcoin-test', network: 'mainnet', public_key: k1.str, tee_attestation: att }, /testnet, signet or regtest/],
  ['ed25519 key for evm', DAO, { account_id: ALICE, family: 'evm', public_key: e1.str, tee_attestation: att }, /needs a secp256k1: public key/],
  ['secp256k1 key for near', DAO, { account_id: ALICE, family: 'near', public_key: k1.str, tee_attestation: att }, /needs an ed25519: public key/],
  ['key off the curve', DAO, { account_id: ALICE, family: 'evm', public_key: `secp256k1:${base58.encode(new Uint8Array(64).fill(7))}`, tee_attestation: att }, /not a point on secp256k1/],
  ['malformed key string', DAO, { account_id: ALICE, family: 'evm', public_key: 'secp256k1:0OIl', tee_attestation: att }, /NEAR key string/],
  ['bad account id', DAO, { account_id: 'Alice', family: 'evm', public_key: k1.str, tee_attestation: att }, /invalid NEAR account id in account_id/],
  ['path with a bar', DAO, { account_id: ALICE, family: 'evm', path: 'a|b', public_key: k1.str, tee_attestation: att }, /invalid path/],
  ['path too long', DAO, { account_id: ALICE, family: 'evm', path: 'x'.repeat(257), public_key: k1.str, tee_attestation: att }, /invalid path/],
  ['missing attestation', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str }, /missing argument: tee_attestation/],
  ['attestation unknown field', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: { ...att, quote: 'x' } }, /tee_attestation: unknown field quote/],
  ['attestation bad measurement', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: { ...att, measurements: { ...att.measurements, rtmr3: 'E5'.repeat(48) } } }, /rtmr3 must be 96 lowercase hex/],
  ['attestation missing rtmr', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: { ...att, measurements: { mrtd: att.measurements.mrtd } } }, /rtmr0 must be/],
  ['attestation bad worker', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: { ...att, worker: 'worker' } }, /tee_attestation.worker must be a NEAR key string/],
  ['attestation bad time', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: { ...att, verified_at: -1 } }, /verified_at must be a u64/],
  ['attestation bad contract', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: { ...att, attestation_contract: '' } }, /attestation_contract/],
  ['unknown argument', DAO, { account_id: ALICE, family: 'evm', public_key: k1.str, tee_attestation: att, note: 1 }, /unknown argument: note/],
]) refused(name, call(signer, 'register_tee_key', args), re);
for (const [name, raw, re] of [
  ['truncated JSON', '{"account_id":', /invalid JSON arguments/],
  ['duplicate key', '{"family":"evm","family":"near"}', /invalid JSON arguments: duplicate key/],
  ['trailing data', '{} {}', /invalid JSON arguments: trailing/],
  ['not an object', '[1,2]', /expected an object/],
  ['bad UTF-8', Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /invalid JSON arguments/],
]) {
  refused(`malformed JSON: ${name}`, call(DAO, 'register_tee_key', raw), re);
  refused(`malformed JSON to set_policy: ${name}`, call(ALICE, 'set_policy', raw), re);
}

// non-payable change methods refuse a deposit
for (const [signer, method, args] of [[ROOT, 'new', { dao_account_id: DAO }],
  [DAO, 'register_tee_key', { account_id: ALICE, family: 'evm', path: 'dep', public_key: secpKey('dep').str, tee_attestation: att }],
  [ALICE, 'remove_binding', { family: 'evm', path: 'e' }], [ALICE, 'set_policy', { family: 'evm', policy: null }],
  [ALICE, 'add_automation_key', {}], [ALICE, 'remove_automation_key', {}]]) {
  const before = amountOf(signer);
  refused(`${method} with a deposit`, call(signer, method, args, 1n), /does not accept an attached deposit/);
  check(`${method} deposit refunded`, amountOf(signer) === before);
}

// ---- remove_binding (by the account), then a new key for the same triple
{
  const b = bindings[1];
  refused('remove_binding of a missing binding', call(ALICE, 'remove_binding', { family: 'evm', path: 'never' }), /no binding/);
  refused('remove_binding with account_id', call(ALICE, 'remove_binding', { family: 'evm', path: b.path, account_id: ALICE }), /unknown argument: account_id/);
  refused('remove_binding by another account', call(MALLORY, 'remove_binding', { family: b.family, path: b.path }), /no binding/);
  const u0 = usage(), a0 = BigInt(balanceOf(ALICE).available);
  const out = ok('remove_binding', call(ALICE, 'remove_binding', { family: b.family, path: b.path }));
  oneEvent('remove_binding', out, 'remove_binding', { account_id: ALICE, family: b.family, path: b.path, public_key: b.key.str, address: b.address });
  const freed = BigInt(u0 - usage());
  check('remove_binding refunds storage', freed > 0n && BigInt(balanceOf(ALICE).available) === a0 + freed * PRICE);
  check('binding gone', view('get_binding', { account_id: ALICE, family: b.family, path: b.path }) === null &&
    view('find_by_address', { address: b.address }) === null &&
    !view('get_bindings', { account_id: ALICE }).some((r) => r.path === b.path && r.family === b.family));
  const nk = secpKey('rotated');
  const again = ok('register after remove', reg({ account_id: ALICE, family: b.family, path: b.path, public_key: nk.str }));
  check('rotated address', again.result.address === expectedAddress('evm', null, nk.pub));
  check('old key may now bind elsewhere', ok('old key under a new path', reg({ account_id: ALICE, family: 'evm', path: 'moved', public_key: b.key.str })).result.address === b.address);
}

// ---- policies
const evmPolicy = {
  version: 1, kinds: ['eth_transaction', 'eth_authorization', 'eth_personal', 'eth_typed_data'],
  chains: [{ chain: '*', max_value_per_tx: '10000000000000000000', max_value_per_window: { amount: '100000000000000000000', window_s: 86400 } },
    { chain: '1', allow: ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'], deny: ['0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359'] }],
  rate_limit: { max_requests: 600, window_s: 60 }, valid_from: '1700000000000000000', valid_until: 1800000000000000000,
};
{
  check('get_policy none', view('get_policy', { account_id: ALICE, family: 'evm', path: 'e' }) === null);
  const u0 = usage(), a0 = BigInt(balanceOf(ALICE).available);
  const out = ok('set_policy', call(ALICE, 'set_policy', { family: 'evm', path: 'e', policy: evmPolicy }));
  oneEvent('set_policy', out, 'set_policy');
  check('set_policy event data', events(out)[0]?.data[0]?.account_id === ALICE && events(out)[0].data[0].family === 'evm' && events(out)[0].data[0].path === 'e');
  check('set_policy charged', BigInt(balanceOf(ALICE).available) === a0 - BigInt(usage() - u0) * PRICE && usage() > u0);
  const got = chain.view(CK, 'get_policy', { account_id: ALICE, family: 'evm', path: 'e' });
  check('get_policy', j(got.result) === JSON.stringify(evmPolicy), j(got.result));
  ok('set_policy for the default path', call(ALICE, 'set_policy', { family: 'solana', policy: { version: 1, kinds: ['sol_message'], allow_raw_digest: true } }));
  check('get_policy default path', view('get_policy', { account_id: ALICE, family: 'solana' })?.allow_raw_digest === true);
  check('policy is per account', view('get_policy', { account_id: CAROL, family: 'solana' }) === null);
  ok('replace policy', call(ALICE, 'set_policy', { family: 'evm', path: 'e', policy: { version: 1, kinds: [] } }));
  check('replaced policy', j(view('get_policy', { account_id: ALICE, family: 'evm', path: 'e' })) === j({ version: 1, kinds: [] }));
  const u1 = usage();
  const rm = ok('remove policy', call(ALICE, 'set_policy', { family: 'evm', path: 'e', policy: null }));
  check('remove policy event', events(rm)[0]?.data[0]?.policy === null && usage() < u1);
  check('policy removed', view('get_policy', { account_id: ALICE, family: 'evm', path: 'e' }) === null);
  refused('remove a missing policy', call(ALICE, 'set_policy', { family: 'evm', path: 'e', policy: null }), /no policy to remove/);
  refused('set_policy without storage', call(MALLORY, 'set_policy', { family: 'evm', policy: { version: 1, kinds: [] } }), /no storage deposit/);
  refused('set_policy missing policy', call(ALICE, 'set_policy', { family: 'evm' }), /missing argument: policy/);
  refused('set_policy with account_id', call(ALICE, 'set_policy', { account_id: ALICE, family: 'evm', policy: { version: 1, kinds: [] } }), /unknown argument: account_id/);
}
// every JSON example of docs/policy.md passes the contract's validator unchanged
{
  const fs = await import('node:fs');
  const doc = fs.readFileSync(new URL('../../docs/policy.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]));
  check('docs/policy.md has examples', blocks.length >= 3, blocks.length);
  blocks.forEach((policy, i) => {
    const family = policy.kinds.some((k) => k.startsWith('eth_')) ? 'evm' : policy.kinds.includes('nep413') ? 'near' : null;
    ok(`docs/policy.md example ${i}`, call(ALICE, 'set_policy', { family, path: `doc${i}`, policy }));
    check(`docs/policy.md example ${i} stored`, j(view('get_policy', { account_id: ALICE, family, path: `doc${i}` })) === JSON.stringify(policy));
  });
}
for (const [name, family, policy, re] of [
  ['not an object', 'evm', [], /policy must be an object/],
  ['no version', 'evm', { kinds: [] }, /policy.version must be the number 1/],
  ['version 2', 'evm', { version: 2, kinds: [] }, /unsupported policy version: 2/],
  ['version as string', 'evm', { version: '1', kinds: [] }, /policy.version must be the number 1/],
  ['unknown field', 'evm', { version: 1, kinds: [], owner: 'x' }, /policy: unknown field owner/],
  ['no kinds', 'evm', { version: 1 }, /policy.kinds must be an array/],
  ['unknown kind', 'evm', { version: 1, kinds: ['eth_sign'] }, /unknown signing kind eth_sign/],
  ['kind of another family', 'solana', { version: 1, kinds: ['eth_personal'] }, /does not apply to the family/],
  ['raw_digest listed', 'evm', { version: 1, kinds: ['raw_digest'] }, /allow_raw_digest/],
  ['duplicate kind', 'near', { version: 1, kinds: ['nep413', 'nep413'] }, /duplicate kind/],
  ['raw switch not bool', 'evm', { version: 1, kinds: [], allow_raw_digest: 'no' }, /allow_raw_digest must be a boolean/],
  ['chains not array', 'evm', { version: 1, kinds: [], chains: { '*': {} } }, /policy.chains must be an array/],
  ['chain rule unknown field', 'evm', { version: 1, kinds: [], chains: [{ chain: '*', cap: '1' }] }, /unknown field cap/],
  ['chain id on solana', 'solana', { version: 1, kinds: [], chains: [{ chain: 'mainnet-beta' }] }, /must be "\*" for this family/],
  ['bad evm chain id', 'evm', { version: 1, kinds: [], chains: [{ chain: '0x1' }] }, /decimal EVM chain id/],
  ['duplicate chain', 'evm', { version: 1, kinds: [], chains: [{ chain: '5' }, { chain: '5' }] }, /duplicate chain 5/],
  ['bad checksum', 'evm', { version: 1, kinds: [], chains: [{ chain: '*', allow: ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'] }] }, /not a valid destination/],
  ['testnet address on bitcoin', 'bitcoin', { version: 1, kinds: [], chains: [{ chain: '*', deny: ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'] }] }, /not a valid destination/],
  ['bad solana destination', 'solana', { version: 1, kinds: [], chains: [{ chain: '*', allow: ['not-base58!'] }] }, /not a valid destination/],
  ['bad near destination', 'near', { version: 1, kinds: [], chains: [{ chain: '*', allow: ['-bad-'] }] }, /not a valid destination/],
  ['duplicate destination', 'near', { version: 1, kinds: [], chains: [{ chain: '*', allow: ['a.near', 'a.near'] }] }, /duplicate entry/],
  ['too many destinations', 'near', { version: 1, kinds: [], chains: [{ chain: '*', allow: Array.from({ length: 65 }, (_, i) => `a${i}.near`) }] }, /more than 64/],
  ['cap as number', 'evm', { version: 1, kinds: [], chains: [{ chain: '*', max_value_per_tx: 5 }] }, /max_value_per_tx must be a decimal string/],
  ['negative cap', 'evm', { version: 1, kinds: [], chains: [{ chain: '*', max_value_per_tx: '-5' }] }, /max_value_per_tx must be a decimal string/],
  ['window without seconds', 'evm', { version: 1, kinds: [], chains: [{ chain: '*', max_value_per_window: { amount: '1' } }] }, /window_s must be an integer/],
  ['window too long', 'evm', { version: 1, kinds: [], chains: [{ chain: '*', max_value_per_window: { amount: '1', window_s: 31536001 } }] }, /window_s must be an integer/],
  ['rate limit zero', 'evm', { version: 1, kinds: [], rate_limit: { max_requests: 0, window_s: 60 } }, /max_requests must be an integer/],
  ['rate limit fraction', 'evm', { version: 1, kinds: [], rate_limit: { max_requests: 1.5, window_s: 60 } }, /max_requests must be an integer/],
  ['rate limit extra', 'evm', { version: 1, kinds: [], rate_limit: { max_requests: 1, window_s: 60, burst: 2 } }, /unknown field burst/],
  ['validity reversed', 'evm', { version: 1, kinds: [], valid_from: '20', valid_until: '10' }, /valid_from must be before/],
  ['validity not a number', 'evm', { version: 1, kinds: [], valid_until: 'tomorrow' }, /valid_until must be a u64/],
]) refused(`policy schema: ${name}`, call(ALICE, 'set_policy', { family, path: 'e', policy }), re);

// ---- automation keys
{
  const now = 1_700_000_000_000_000_000n;
  const ak1 = edKey('automation 1'), ak2 = secpKey('automation 2');
  const far = (now + 86_400_000_000_000n * 365n).toString();
  check('get_automation_keys none', j(view('get_automation_keys', { account_id: ALICE })) === '[]');
  const scopes = { families: ['evm', 'near'], kinds: ['eth_personal', 'nep413'], paths: ['e', ''] };
  const u0 = usage(), a0 = BigInt(balanceOf(ALICE).available);
  const out = ok('add_automation_key', call(ALICE, 'add_automation_key', { public_key: ak1.str, scopes, expires_at: far }));
  oneEvent('add_automation_key', out, 'add_automation_key', { account_id: ALICE, public_key: ak1.str, scopes, expires_at: far });
  check('add_automation_key charged', BigInt(balanceOf(ALICE).available) === a0 - BigInt(usage() - u0) * PRICE && usage() > u0);
  check('get_automation_keys', j(view('get_automation_keys', { account_id: ALICE })) === j([{ public_key: ak1.str, scopes, expires_at: far }]));
  ok('add a second key', call(ALICE, 'add_automation_key', { public_key: ak2.str, scopes: { families: ['bitcoin'], kinds: ['btc_psbt'] }, expires_at: Number(now / 1_000_000_000n) * 1e9 + 1e15 }));
  const scopes2 = { families: ['evm'], kinds: ['eth_transaction'] };
  ok('replace the first key', call(ALICE, 'add_automation_key', { public_key: ak1.str, scopes: scopes2, expires_at: far }));
  const keys = view('get_automation_keys', { account_id: ALICE });
  check('replaced in place', keys.length === 2 && keys[0].public_key === ak1.str && j(keys[0].scopes) === j(scopes2) && keys[1].public_key === ak2.str, j(keys));
  for (const [name, args, re] of [
    ['expired', { public_key: ak1.str, scopes, expires_at: '1' }, /not in the future/],
    ['bad key', { public_key: 'ed25519:xyz', scopes, expires_at: far }, /NEAR key string/],
    ['no scopes', { public_key: ak1.str, expires_at: far }, /missing argument: scopes/],
    ['scope kind mismatch', { public_key: ak1.str, scopes: { families: ['solana'], kinds: ['nep413'] }, expires_at: far }, /does not apply/],
    ['scope unknown field', { public_key: ak1.str, scopes: { ...scopes, chains: ['1'] }, expires_at: far }, /unknown field chains/],
    ['scope bad path', { public_key: ak1.str, scopes: { ...scopes, paths: ['a|b'] }, expires_at: far }, /scopes.paths: invalid path/],
    ['account_id given', { account_id: ALICE, public_key: ak1.str, scopes, expires_at: far }, /unknown argument: account_id/],
  ]) refused(`add_automation_key ${name}`, call(ALICE, 'add_automation_key', args), re);
  refused('add_automation_key without storage', call(MALLORY, 'add_automation_key', { public_key: ak1.str, scopes, expires_at: far }), /no storage deposit/);
  refused('remove unknown automation key', call(ALICE, 'remove_automation_key', { public_key: edKey('nobody').str }), /no such automation key/);
  refused('remove automation key of another account', call(CAROL, 'remove_automation_key', { public_key: ak1.str }), /no such automation key/);
  const rm = ok('remove_automation_key', call(ALICE, 'remove_automation_key', { public_key: ak1.str }));
  oneEvent('remove_automation_key', rm, 'remove_automation_key', { account_id: ALICE, public_key: ak1.str });
  check('one key left', j(view('get_automation_keys', { account_id: ALICE }).map((k) => k.public_key)) === j([ak2.str]));
  ok('remove the last key', call(ALICE, 'remove_automation_key', { public_key: ak2.str }));
  check('no keys left', j(view('get_automation_keys', { account_id: ALICE })) === '[]');
}

// ---- storage_withdraw
{
  refused('storage_withdraw without 1 yocto', call(ALICE, 'storage_withdraw', {}), /exactly 1 yoctoNEAR/);
  refused('storage_withdraw unregistered', call(MALLORY, 'storage_withdraw', {}, 1n), /no storage deposit/);
  const avail = BigInt(balanceOf(ALICE).available);
  refused('storage_withdraw too much', call(ALICE, 'storage_withdraw', { amount: (avail + 1n).toString() }, 1n), /exceeds the available balance/);
  refused('storage_withdraw amount as number', call(ALICE, 'storage_withdraw', { amount: 5 }, 1n), /amount must be a decimal string/);
  const before = amountOf(ALICE);
  const out = ok('storage_withdraw part', call(ALICE, 'storage_withdraw', { amount: (10n ** 21n).toString() }, 1n));
  check('withdraw transfers back', amountOf(ALICE) === before - 1n + 10n ** 21n, `${amountOf(ALICE) - before}`);
  oneEvent('storage_withdraw', out, 'storage_withdraw', { account_id: ALICE, amount: (10n ** 21n).toString(), balance: out.result });
  check('withdraw result', BigInt(out.result.available) === avail - 10n ** 21n);
  const before2 = amountOf(ALICE);
  const all = ok('storage_withdraw all', call(ALICE, 'storage_withdraw', {}, 1n));
  check('withdraw all', all.result.available === '0' && amountOf(ALICE) === before2 - 1n + (avail - 10n ** 21n));
  refused('register beyond the balance', reg({ account_id: ALICE, family: 'near', path: 'late', public_key: edKey('late').str }), /insufficient storage deposit for alice.test.near/);
  ok('top up', call(ALICE, 'storage_deposit', {}, NEAR / 10n));
  ok('register after top-up', reg({ account_id: ALICE, family: 'near', path: 'late', public_key: edKey('late').str }));
  // the contract's own balance still covers its storage
  const acc = chain.account(CK);
  check('contract covers its storage', acc.amount >= BigInt(acc.storage_usage) * PRICE);
}

// ---- views cannot change state
try { chain.view(CK, 'storage_deposit', {}); check('change method as view', false); } catch (e) { check('change method as view', e instanceof ViewError, e.message); }

if (mode === 'wasm') {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const file = path.join(process.env.TK_BIN_DIR ?? 'build/bin', '..', 'contracts', 'chain_keys.wasm');
  const m = new WebAssembly.Module(fs.readFileSync(file));
  const exp = WebAssembly.Module.exports(m).map((e) => e.name);
  for (const meth of ['new', 'get_config', 'register_tee_key', 'remove_binding', 'get_binding', 'get_bindings', 'find_by_address',
    'storage_deposit', 'storage_withdraw', 'storage_balance_of', 'storage_balance_bounds', 'set_policy', 'get_policy',
    'add_automation_key', 'remove_automation_key', 'get_automation_keys']) check(`exports ${meth}`, exp.includes(meth));
  check('imports only env', WebAssembly.Module.imports(m).every((i) => i.module === 'env'));
  console.log(`chain_keys.wasm: ${fs.statSync(file).size} bytes`);
}
chain.close();
console.log(`${mode}: ${score.pass} passed, ${score.fail} failed`);
process.exit(score.fail ? 1 : 0);
