// teekeys localnet driven by near-api-js (an independent NEAR client, unchanged): status,
// accounts, a sub-account with a transfer and a key, a transfer that creates an implicit
// account, function-call and full-access keys, DeployContract of nearvm_test.wasm (mapped to
// the native build by its hash), a function call with a deposit, views, and nearcore's typed
// errors (UNKNOWN_ACCOUNT, UNKNOWN_ACCESS_KEY, MethodNotFound views, InvalidNonce,
// InvalidSignature, Failure outcomes), the teekeys contracts of genesis (views, a DAO proposal and
// vote, a chain-keys storage deposit); then kill -9 and a restart that keeps the state.
// Needs TK_BIN_DIR (teekeys) and the wasm build in TK_BIN_DIR/../contracts.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Account,
  JsonRpcProvider,
  KeyPair,
  KeyPairSigner,
  actions,
  createTransaction,
  SignedTransaction,
  Signature,
  baseDecode,
  baseEncode,
} from 'near-api-js';
import {
  AccountDoesNotExistError,
  AccessKeyDoesNotExistError,
  ContractMethodNotFoundError,
  InvalidNonceError,
  InvalidSignatureError,
} from 'near-api-js/rpc-errors';

const bin = join(process.env.TK_BIN_DIR || 'build/bin', 'teekeys');
const wasmPath = join(process.env.TK_BIN_DIR || 'build/bin', '..', 'contracts', 'nearvm_test.wasm');
const NEAR = 10n ** 24n;
let failures = 0;
function check(cond, what) {
  if (!cond) {
    failures++;
    console.error('FAIL:', what);
  } else {
    console.log('ok  ', what);
  }
}
async function expectError(p, cls, what) {
  try {
    await p;
    check(false, `${what}: no error`);
  } catch (e) {
    check(e instanceof cls, `${what}: ${e.constructor.name} (${e.message})`);
    return e;
  }
}

function start(home) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['localnet', 'run', '--home', home, '--rpc-addr', '127.0.0.1:0',
                              '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('localnet did not start')), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/rpc (http:\/\/[0-9.:]+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`localnet exited ${code}`)));
  });
}

const home = mkdtempSync(join(tmpdir(), 'tk-localnet-'));
let node;
try {
  execFileSync(bin, ['localnet', 'init', '--home', home, '--block-ms', '100', '--yield-timeout',
                     '5']);
  const vk = JSON.parse(readFileSync(join(home, 'validator_key.json'), 'utf8'));
  check(vk.account_id === 'test.near' && vk.public_key.startsWith('ed25519:') &&
        vk.secret_key.startsWith('ed25519:'), 'validator_key.json in NEAR key-string form');
  node = await start(home);
  const provider = new JsonRpcProvider({ url: node.url }, { retries: 1 });
  const status = await provider.viewNodeStatus();
  check(status.chain_id === 'localnet', `status: chain ${status.chain_id}`);
  check(status.sync_info.latest_block_height >= 1, 'status: height');
  const root = new Account('test.near', provider, KeyPairSigner.fromSecretKey(vk.secret_key));
  const rootState = await provider.viewAccount({ accountId: 'test.near' });
  check(rootState.amount === 10n ** 33n, `view_account test.near: ${rootState.amount}`);

  // a sub-account with 10 NEAR and a full-access key (CreateAccount + Transfer + AddKey)
  const aliceKey = KeyPair.fromRandom('ed25519');
  const out1 = await root.createSubAccount({ accountOrPrefix: 'alice', publicKey: aliceKey.getPublicKey(),
                                             nearToTransfer: 10n * NEAR });
  check(out1.final_execution_status === 'FINAL' && 'SuccessValue' in out1.status,
        'create alice.test.near: SuccessValue');
  check(out1.transaction.hash === out1.transaction_outcome.id &&
        out1.receipts_outcome.length >= 1, 'outcome shape (transaction, receipts_outcome)');
  const alice = new Account('alice.test.near', provider, new KeyPairSigner(aliceKey));
  check((await provider.viewAccount({ accountId: 'alice.test.near' })).amount === 10n * NEAR,
        'alice holds 10 NEAR');

  // a transfer creates an implicit account
  const implicitKey = KeyPair.fromRandom('ed25519');
  const implicitId = Buffer.from(implicitKey.getPublicKey().data).toString('hex');
  await alice.transfer({ receiverId: implicitId, amount: NEAR });
  const imp = await provider.viewAccount({ accountId: implicitId });
  check(imp.amount === NEAR, 'implicit account created by a transfer');
  const impKeys = await provider.viewAccessKeyList({ accountId: implicitId });
  check(impKeys.keys.length === 1 && impKeys.keys[0].public_key === implicitKey.getPublicKey().toString(),
        'implicit account has its key');

  // deploy nearvm_test.wasm: DeployContract by hash
  const wasm = readFileSync(wasmPath);
  const contractKey = KeyPair.fromRandom('ed25519');
  await root.createSubAccount({ accountOrPrefix: 'c', publicKey: contractKey.getPublicKey(),
                                nearToTransfer: 20n * NEAR });
  const c = new Account('c.test.near', provider, new KeyPairSigner(contractKey));
  const dep = await c.deployContract(new Uint8Array(wasm));
  check('SuccessValue' in dep.status, 'deploy nearvm_test.wasm');
  const cState = await provider.viewAccount({ accountId: 'c.test.near' });
  check(cState.code_hash === baseEncode(createHash('sha256').update(wasm).digest()),
        `code_hash is sha256 of the wasm (${cState.code_hash})`);

  // add keys: a function-call key for c.test.near's put, a second full-access key
  const fcKey = KeyPair.fromRandom('ed25519');
  const fullKey = KeyPair.fromRandom('ed25519');
  await alice.addFunctionCallAccessKey({ publicKey: fcKey.getPublicKey(), contractId: 'c.test.near',
                                         methodNames: ['put'], allowance: NEAR / 4n });
  await alice.addFullAccessKey(fullKey.getPublicKey());
  const ak = await provider.viewAccessKey({ accountId: 'alice.test.near', publicKey: fcKey.getPublicKey() });
  check(ak.permission.FunctionCall && ak.permission.FunctionCall.receiver_id === 'c.test.near' &&
        ak.permission.FunctionCall.method_names[0] === 'put' &&
        ak.permission.FunctionCall.allowance === (NEAR / 4n).toString(), 'view_access_key: FunctionCall');
  const list = await provider.viewAccessKeyList({ accountId: 'alice.test.near' });
  check(list.keys.length === 3, `view_access_key_list: ${list.keys.length} keys`);

  // a function call with a deposit
  const who = await alice.callFunction({ contractId: 'c.test.near', methodName: 'whoami', args: {},
                                         deposit: NEAR / 2n, gas: 50_000_000_000_000n });
  check(who.deposit === (NEAR / 2n).toString() && who.predecessor === 'alice.test.near' &&
        who.signer === 'alice.test.near', `function call with deposit: ${JSON.stringify(who)}`);
  // with the function-call key (no deposit), then a view
  const fcAlice = new Account('alice.test.near', provider, new KeyPairSigner(fcKey));
  const put = await fcAlice.callFunction({ contractId: 'c.test.near', methodName: 'put',
                                           args: { key: 'k', value: 'v1' } });
  check(put && put.replaced === false, 'put through the function-call key');
  const got = await provider.callFunction({ contractId: 'c.test.near', method: 'get', args: { key: 'k' } });
  check(got === 'v1', `view get: ${got}`);
  const state = await provider.viewContractState({ contractId: 'c.test.near', prefix: 'k' });
  check(state.values.length === 1 && Buffer.from(state.values[0].value, 'base64').toString() === 'v1',
        'view_state');

  // typed errors
  await expectError(provider.viewAccount({ accountId: 'nobody.test.near' }), AccountDoesNotExistError,
                    'UNKNOWN_ACCOUNT');
  await expectError(provider.viewAccessKey({ accountId: 'alice.test.near',
                                             publicKey: KeyPair.fromRandom('ed25519').getPublicKey() }),
                    AccessKeyDoesNotExistError, 'UNKNOWN_ACCESS_KEY');
  await expectError(provider.callFunction({ contractId: 'c.test.near', method: 'no_such', args: {} }),
                    ContractMethodNotFoundError, 'view of a missing method');
  {
    // a successful JSON-RPC response whose result carries the error (near-api-js turns it into
    // an RpcError; read it raw)
    const resp = await fetch(node.url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'query', params: {
        request_type: 'call_function', finality: 'final', account_id: 'c.test.near',
        method_name: 'fail', args_base64: '' } }) });
    const raw = (await resp.json()).result;
    check(typeof raw.error === 'string' && raw.error.includes('GuestPanic') && Array.isArray(raw.logs) &&
          typeof raw.block_height === 'number' && typeof raw.block_hash === 'string',
          `failing view: result.error ${raw.error}`);
  }
  // InvalidNonce: a transaction reusing the key's current nonce
  {
    const pk = aliceKey.getPublicKey();
    const cur = await provider.viewAccessKey({ accountId: 'alice.test.near', publicKey: pk });
    const block = await provider.viewBlock({ finality: 'final' });
    const tx = createTransaction('alice.test.near', pk, 'c.test.near', cur.nonce,
                                 [actions.transfer(1n)], baseDecode(block.header.hash));
    const { signedTransaction } = await new KeyPairSigner(aliceKey).signTransaction(tx);
    const e = await expectError(provider.sendTransaction(signedTransaction), InvalidNonceError, 'InvalidNonce');
    check(e && BigInt(e.accessKeyNonce) === cur.nonce, 'InvalidNonce carries ak_nonce');
    // InvalidSignature: signed by another key
    const tx2 = createTransaction('alice.test.near', pk, 'c.test.near', cur.nonce + 1n,
                                  [actions.transfer(1n)], baseDecode(block.header.hash));
    const { signedTransaction: good } = await new KeyPairSigner(aliceKey).signTransaction(tx2);
    const bad = Uint8Array.from(good.signature.data);
    bad[5] ^= 1;
    const forged = new SignedTransaction({ transaction: tx2,
                                           signature: new Signature({ keyType: 0, data: bad }) });
    await expectError(provider.sendTransaction(forged), InvalidSignatureError, 'InvalidSignature');
  }
  // a failed function call is a Failure inside the outcome
  {
    const out = await alice.signAndSendTransaction({ receiverId: 'c.test.near', throwOnFailure: false,
      actions: [actions.functionCall('fail', { message: 'boom' }, 30_000_000_000_000n, 7n)] });
    const err = out.status.Failure && out.status.Failure.ActionError;
    check(err && err.kind.FunctionCallError.ExecutionError === 'Smart contract panicked: boom',
          `Failure outcome: ${JSON.stringify(out.status)}`);
    const st = await provider.viewTransactionStatusWithReceipts({ txHash: out.transaction.hash,
                                                                   accountId: 'alice.test.near' });
    check(st.receipts.length === out.receipts_outcome.length && st.receipts_outcome.length >= 2,
          'EXPERIMENTAL_tx_status: receipts (the refund included)');
  }
  // near-api-js's balance helper (EXPERIMENTAL_protocol_config)
  const bal = await alice.getState();
  check(bal.balance.total > 0n, `getState: ${bal.balance.total}`);

  // the teekeys contracts from genesis (initialised by test.near): views and real transactions
  const daoCfg = await provider.callFunction({ contractId: 'dao.test.near', method: 'get_config', args: {} });
  check(daoCfg.mpc_account_id === 'mpc.test.near' && daoCfg.verifier_account_id === 'verifier.test.near' &&
        daoCfg.chain_keys_account_id === 'chain-keys.test.near', 'genesis DAO config');
  const ckCfg = await provider.callFunction({ contractId: 'chain-keys.test.near', method: 'get_config', args: {} });
  check(ckCfg.dao_account_id === 'dao.test.near', 'genesis chain-keys config');
  const parts = await provider.callFunction({ contractId: 'mpc.test.near', method: 'get_participants', args: {} });
  check(parts.threshold === 1 && parts.participants[0].account_id === 'test.near', 'genesis MPC signer participants');
  const prop = await root.callFunction({ contractId: 'dao.test.near', methodName: 'propose',
                                         args: { kind: 'add_member', member_id: 'alice.test.near' },
                                         gas: 100_000_000_000_000n });
  await root.callFunction({ contractId: 'dao.test.near', methodName: 'vote',
                            args: { proposal_id: prop.id, approve: true }, gas: 100_000_000_000_000n });
  const members = await provider.callFunction({ contractId: 'dao.test.near', method: 'get_members', args: {} });
  check(members.members.includes('alice.test.near'), `DAO proposal and vote by transactions: ${JSON.stringify(members)}`);

  // a payable call on chain-keys (NEP-145 storage deposit) with a deposit from near-api-js
  await alice.callFunction({ contractId: 'chain-keys.test.near', methodName: 'storage_deposit', args: {},
                             deposit: NEAR / 100n, gas: 50_000_000_000_000n });
  const sb = await provider.callFunction({ contractId: 'chain-keys.test.near', method: 'storage_balance_of',
                                           args: { account_id: 'alice.test.near' } });
  check(sb && sb.total === (NEAR / 100n).toString(), `chain-keys storage_deposit: ${JSON.stringify(sb)}`);

  // kill -9 and restart: the state is still there
  const heightBefore = (await provider.viewBlock({ finality: 'final' })).header.height;
  node.child.kill('SIGKILL');
  await new Promise((r) => node.child.once('exit', r));
  node = await start(home);
  const p2 = new JsonRpcProvider({ url: node.url }, { retries: 1 });
  const after = await p2.viewAccount({ accountId: 'alice.test.near' });
  check(after.amount > 0n, 'alice survives kill -9');
  check((await p2.callFunction({ contractId: 'c.test.near', method: 'get', args: { key: 'k' } })) === 'v1',
        'contract state survives kill -9');
  check((await p2.viewAccessKeyList({ accountId: 'alice.test.near' })).keys.length === 3, 'keys survive');
  const h2 = (await p2.viewBlock({ finality: 'final' })).header.height;
  check(h2 >= heightBefore, `height continues (${heightBefore} -> ${h2})`);
  const alice2 = new Account('alice.test.near', p2, new KeyPairSigner(aliceKey));
  const put2 = await alice2.callFunction({ contractId: 'c.test.near', methodName: 'put',
                                           args: { key: 'k', value: 'v2' } });
  check(put2 && put2.replaced === true, 'transactions after the restart');
  node.child.kill('SIGTERM');
  const code = await new Promise((r) => node.child.once('exit', (c) => r(c)));
  check(code === 0, `SIGTERM stops cleanly (exit ${code})`);
  node = null;
} catch (e) {
  failures++;
  console.error('FAIL:', e);
} finally {
  if (node) node.child.kill('SIGKILL');
  if (existsSync(home)) rmSync(home, { recursive: true, force: true });
}
if (failures) {
  console.error(`${failures} failure(s)`);
  process.exit(1);
}
console.log('localnet_nearapi: all checks passed');
