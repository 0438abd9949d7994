// near_chain.mjs: the JavaScript twin of teekeys' NEAR runtime (docs/nearvm.md), test only.
// `makeChain('wasm')` runs the contracts' wasm builds (build/contracts/<name>.wasm) in Node's
// WebAssembly engine against a host with nearcore's register/promise/yield semantics;
// `makeChain('native')` drives the C runtime's tests/contracts/nearvm_driver over its JSON-lines
// protocol with the same API. Scenario scripts are written once against this API.
//
// docs/nearvm.md is the specification (ids, outcome shapes, gas model, yields, views, errors).
// Where nearcore itself is the reference because the page says nothing, this file follows
// nearcore: AddKey sets the new key's nonce to (height - 1) * 10^6 (the nonce argument is
// ignored, runtime/runtime/src/access_keys.rs); a FunctionCall's method name must be UTF-8
// (InvalidMethodName); ed25519_verify rejects what RFC 8032 rejects (noble, zip215 off).
// Code deployed by a contract is wasm bytes (named after the build artifact they equal) or, as
// in the native runtime, the name of a built contract.
import { sha256 } from '@noble/hashes/sha256';
import { keccak_256 } from '@noble/hashes/sha3';
import { ed25519 } from '@noble/curves/ed25519';
import { secp256k1 } from '@noble/curves/secp256k1';
import { base58 } from '@scure/base';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TGAS = 10n ** 12n;
const HOST_CALL_GAS = 5n * 10n ** 9n;
const STORAGE_PRICE_PER_BYTE = 10n ** 19n;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const ACCOUNT_BYTES = 100;
const RECORD_EXTRA_BYTES = 40;
const ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT = 770; // NEP-448: smaller accounts need no balance
const NONCE_RANGE = 1_000_000n;
// nearcore's mainnet limit config
const LIMITS = {
  maxNumberRegisters: 100,
  maxRegisterSize: 104857600,
  maxNumberLogs: 100,
  maxTotalLogLength: 16384n,
  maxStorageKey: 2048,
  maxStorageValue: 4194304,
  maxReturnedData: 4194304,
  maxContractSize: 4194304,
  maxInputDataDependencies: 128,
  maxPromises: 1024,
  maxYieldPayload: 1024,
};
const MAX_GAS_BURNT_VIEW = 200n * TGAS;
const MAX_ARGS = 4 << 20;

const enc = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });
const hex = (b) => Buffer.from(b).toString('hex');
const b64 = (b) => Buffer.from(b).toString('base64');

// ---------------------------------------------------------------- errors

// A failed function call: its outcome kind (nearcore's FunctionCallErrorSer JSON) and its Display
// text (the ViewError message).
export class FunctionCallError extends Error {
  constructor(kind, display) {
    super(display);
    this.kind = kind;
  }
}

// nearcore's HostError, which outcomes show as {"ExecutionError": <its Display text>}
const hostError = (display) => new FunctionCallError({ ExecutionError: display }, display);
const E = {
  guestPanic: (msg) => hostError(`Smart contract panicked: ${msg}`),
  badUtf8: () => hostError('String encoding is bad UTF-8 sequence.'),
  gasExceeded: () => hostError('Exceeded the prepaid gas.'),
  gasLimitExceeded: () => hostError('Exceeded the maximum amount of gas allowed to burn per contract.'),
  balanceExceeded: () => hostError('Exceeded the account balance.'),
  emptyMethodName: () => hostError('Tried to call an empty method name.'),
  integerOverflow: () => hostError('Integer overflow.'),
  invalidPromiseIndex: (i) => hostError(`${i} does not correspond to existing promises`),
  cannotAppend: () => hostError('Actions can only be appended to non-joint promise.'),
  cannotReturnJoint: () => hostError('Returning joint promise is currently prohibited.'),
  invalidResultIndex: (i) => hostError(`Accessed invalid promise result index: ${i}`),
  invalidRegister: (i) => hostError(`Accessed invalid register id: ${i}`),
  memory: () => hostError('Accessed memory outside the bounds.'),
  invalidAccountId: () => hostError('VM Logic returned an invalid account id'),
  invalidMethodName: () => hostError('VM Logic returned an invalid method name'),
  invalidPublicKey: () => hostError('VM Logic provided an invalid public key'),
  prohibited: (m) => hostError(`${m} is not allowed in view calls`),
  numberOfLogs: (limit) => hostError(`The number of logs will exceed the limit ${limit}`),
  keyLength: (length, limit) => hostError(`The length of a storage key ${length} exceeds the limit ${limit}`),
  valueLength: (length, limit) => hostError(`The length of a storage value ${length} exceeds the limit ${limit}`),
  totalLogLength: (length, limit) => hostError(`The length of a log message ${length} exceeds the limit ${limit}`),
  numberPromises: (n, limit) => hostError(`The number of promises within a FunctionCall ${n} exceeds the limit ${limit}`),
  inputDeps: (n, limit) => hostError(`The number of input data dependencies ${n} exceeds the limit ${limit}`),
  returnedLength: (length, limit) => hostError(`The length of a returned value ${length} exceeds the limit ${limit}`),
  contractSize: (size, limit) => hostError(`The size of a contract code in DeployContract action ${size} exceeds the limit ${limit}`),
  ecrecover: (msg) => hostError(`ECDSA recover error: ${msg}`),
  ed25519: (msg) => hostError(`ED25519 signature verification error: ${msg}`),
  yieldPayload: (length, limit) => hostError(`Yield resume payload is ${length} bytes which exceeds the ${limit} byte limit`),
  dataIdMalformed: () => hostError('yield resumption token is malformed'),
  methodNotFound: () => new FunctionCallError({ MethodResolveError: 'MethodNotFound' }, 'MethodNotFound'),
  methodEmptyName: () => new FunctionCallError({ MethodResolveError: 'MethodEmptyName' }, 'MethodEmptyName'),
  codeDoesNotExist: (id) => new FunctionCallError({ CompilationError: { CodeDoesNotExist: { account_id: id } } },
    `cannot find contract code for account ${id}`),
  deserialization: () => new FunctionCallError({ CompilationError: { PrepareError: 'Deserialization' } },
    'PrepareError: Error happened while deserializing the module.'),
  link: (msg) => new FunctionCallError({ LinkError: { msg } }, msg),
  trap: (text) => hostError(`WebAssembly trap: ${text}`),
};

// Maps an exception thrown by the engine to nearcore's WasmTrap.
function trapOf(e) {
  if (e instanceof FunctionCallError) return e;
  const m = String(e && e.message);
  if (e instanceof RangeError && /call stack/i.test(m)) return E.trap('Stack overflow.');
  if (!(e instanceof WebAssembly.RuntimeError)) throw e; // a bug in this host, not the contract
  if (/unreachable/.test(m)) return E.trap('An `unreachable` opcode was executed.');
  if (/memory access out of bounds|out of bounds memory/.test(m)) return E.trap('Memory out of bounds trap.');
  if (/divide by zero|remainder by zero|integer overflow|invalid conversion|float unrepresentable/.test(m)) {
    return E.trap('An arithmetic exception, e.g. divided by zero.');
  }
  if (/signature mismatch/.test(m)) return E.trap('Call indirect incorrect signature trap.');
  if (/table index is out of bounds|out of bounds table/.test(m)) return E.trap('Call indirect out of bounds trap.');
  if (/null function/.test(m)) return E.trap('Indirect call to null.');
  return E.trap('Generic trap.');
}

export class ViewError extends Error {
  constructor(message, logs = []) {
    super(message);
    this.logs = logs;
  }
}

// ---------------------------------------------------------------- account ids, keys, borsh

export function validAccountId(s) {
  if (typeof s !== 'string' || s.length < 2 || s.length > 64) return false;
  let afterSeparator = true;
  for (const c of s) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) afterSeparator = false;
    else if (c === '-' || c === '_' || c === '.') {
      if (afterSeparator) return false;
      afterSeparator = true;
    } else return false;
  }
  return !afterSeparator;
}

function isSubAccountOf(id, parent) {
  if (!id.endsWith('.' + parent)) return false;
  return !id.slice(0, id.length - parent.length - 1).includes('.');
}

// public key "ed25519:<base58>" | "secp256k1:<base58>" <-> borsh PublicKey (tag || bytes)
export function publicKeyToBorsh(pk) {
  const m = /^(ed25519|secp256k1):(.+)$/.exec(pk);
  if (!m) throw new Error(`bad public key ${pk}`);
  const raw = base58.decode(m[2]);
  const n = m[1] === 'ed25519' ? 32 : 64;
  if (raw.length !== n) throw new Error(`bad public key length ${pk}`);
  return Uint8Array.from([m[1] === 'ed25519' ? 0 : 1, ...raw]);
}

// borsh PublicKey -> string, or null when the bytes are not exactly one key
export function publicKeyFromBorsh(b) {
  if (b.length === 33 && b[0] === 0) return 'ed25519:' + base58.encode(b.slice(1));
  if (b.length === 65 && b[0] === 1) return 'secp256k1:' + base58.encode(b.slice(1));
  return null;
}

// borsh length of an AccessKey {nonce, permission} in nearcore's view form
function accessKeyBorshLen(ak) {
  if (ak.permission === 'FullAccess') return 8 + 1;
  const fc = ak.permission.FunctionCall;
  let n = 8 + 1 + (fc.allowance === null ? 1 : 17) + 4 + enc.encode(fc.receiver_id).length + 4;
  for (const m of fc.method_names) n += 4 + enc.encode(m).length;
  return n;
}

function normalizeKey(k) {
  if (typeof k === 'string') return { public_key: k, access_key: { nonce: 0, permission: 'FullAccess' } };
  const ak = k.access_key ?? { nonce: 0, permission: 'FullAccess' };
  let permission = ak.permission ?? 'FullAccess';
  if (permission !== 'FullAccess') {
    const fc = permission.FunctionCall;
    permission = { FunctionCall: { allowance: fc.allowance === null || fc.allowance === undefined ? null : String(fc.allowance),
      receiver_id: fc.receiver_id, method_names: [...(fc.method_names ?? [])] } };
  }
  publicKeyToBorsh(k.public_key);
  return { public_key: k.public_key, access_key: { nonce: Number(ak.nonce ?? 0), permission } };
}

const u128le = (v) => {
  const b = new Uint8Array(16);
  let x = BigInt(v);
  for (let i = 0; i < 16; i++) { b[i] = Number(x & 0xffn); x >>= 8n; }
  return b;
};
const u128FromLe = (b) => { let x = 0n; for (let i = 15; i >= 0; i--) x = (x << 8n) | BigInt(b[i]); return x; };

function argsBytes(args) {
  if (args === undefined || args === null) return new Uint8Array(0);
  if (args instanceof Uint8Array) return args;
  if (typeof args === 'string') return enc.encode(args);
  return enc.encode(JSON.stringify(args, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

// A value as scenario scripts see it: parsed JSON, else the string, else null.
function parseResult(bytes) {
  if (bytes === null || bytes === undefined || bytes.length === 0) return null;
  let s;
  try { s = utf8.decode(bytes); } catch { return null; }
  try { return JSON.parse(s); } catch { return s; }
}

// ---------------------------------------------------------------- contract code

const here = path.dirname(fileURLToPath(import.meta.url));
function defaultContractsDir() {
  const bin = process.env.TK_BIN_DIR ?? path.join(here, '..', '..', 'build', 'bin');
  return path.join(bin, '..', 'contracts');
}

class CodeStore {
  constructor(dir, instrument = null) {
    this.dir = dir;
    this.instrument = instrument; // bytes -> bytes run instead (scripts/wasmgas.mjs); size and hash stay the original's
    this.byName = new Map();
    this.byHash = null;
  }

  load(name) {
    if (!this.byName.has(name)) {
      const file = path.join(this.dir, `${name}.wasm`);
      const bytes = fs.readFileSync(file);
      this.byName.set(name, this.fromBytes(bytes, name));
    }
    return this.byName.get(name);
  }

  // Makes wasm bytes deployable under `name` (tests that generate their own modules).
  add(name, bytes) {
    this.byName.set(name, this.fromBytes(bytes, name));
  }

  fromBytes(bytes, name = null) {
    let module = null;
    try { module = new WebAssembly.Module(this.instrument ? this.instrument(bytes) : bytes); } catch { module = null; }
    return { name, module, size: bytes.length, hash: hex(sha256(bytes)) };
  }

  // Code deployed by a contract: wasm bytes (named after the build artifact they equal, if any),
  // or, as the native runtime takes it, the name of a built contract. null: neither.
  deployBytes(bytes) {
    if (!(bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d)) {
      const name = Buffer.from(bytes).toString('latin1');
      if (!/^[a-z0-9_]{1,64}$/.test(name) || !fs.existsSync(path.join(this.dir, `${name}.wasm`))) return null;
      return this.load(name);
    }
    if (this.byHash === null) {
      this.byHash = new Map();
      let files = [];
      try { files = fs.readdirSync(this.dir).filter((f) => f.endsWith('.wasm')); } catch { files = []; }
      for (const f of files) this.byHash.set(hex(sha256(fs.readFileSync(path.join(this.dir, f)))), f.slice(0, -5));
    }
    const h = hex(sha256(bytes));
    const name = this.byHash.get(h);
    if (name) return this.load(name);
    return this.fromBytes(bytes, null);
  }
}

let blsHost;
async function loadBlsHost() {
  if (blsHost !== undefined) return blsHost;
  try { blsHost = await import('./near_bls_host.mjs'); } catch (e) {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && /near_bls_host/.test(e.message)) blsHost = null; else throw e;
  }
  return blsHost;
}

const BLS_FUNCTIONS = ['bls12381_p1_sum', 'bls12381_p2_sum', 'bls12381_g1_multiexp', 'bls12381_g2_multiexp',
  'bls12381_map_fp_to_g1', 'bls12381_map_fp2_to_g2', 'bls12381_pairing_check', 'bls12381_p1_decompress',
  'bls12381_p2_decompress'];

// ---------------------------------------------------------------- the chain (wasm)

function computeStorageUsage(acc) {
  let n = ACCOUNT_BYTES + (acc.code ? acc.code.size : 0);
  for (const [k, v] of acc.storage) n += k.length / 2 + v.length + RECORD_EXTRA_BYTES;
  for (const [pk, ak] of acc.keys) n += publicKeyToBorsh(pk).length + accessKeyBorshLen(ak) + RECORD_EXTRA_BYTES;
  return n;
}

// the yoctoNEAR an account lacks for its storage (0n when the staking check holds)
function stakeMissing(acc) {
  const required = BigInt(acc.storage_usage) * STORAGE_PRICE_PER_BYTE;
  if (acc.amount >= required || acc.storage_usage <= ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT) return 0n;
  return required - acc.amount;
}

function cloneAccount(a) {
  return { id: a.id, amount: a.amount, code: a.code, storage: new Map(a.storage), keys: new Map(a.keys), storage_usage: a.storage_usage };
}

class ReceiptFailure extends Error {
  constructor(index, kind) {
    super(JSON.stringify(kind));
    this.index = index;
    this.kind = kind;
  }
}

export class WasmChain {
  constructor(opts = {}) {
    this.mode = 'wasm';
    // 0 or absent: the defaults (as the C runtime's config)
    this.yieldTimeout = Number(opts.yieldTimeout || 200);
    this.genesisTime = BigInt(opts.genesisTime || 1_700_000_000_000_000_000n);
    this.blockTime = BigInt(opts.blockTime || 1_000_000_000n);
    this.code = new CodeStore(opts.contractsDir ?? defaultContractsDir(), opts.instrument ?? null);
    // metering (tests/oracle/contract_gas.mjs), off by default: opts.meter = {hostCall(ctx, name, args) -> after(ret)?,
    // vmDone(ctx, {method, ops, error, receipts})}; ops from the instrumented modules' __tk_ops global
    this.meter = opts.meter ?? null;
    this.bls = opts.bls ?? null;
    this.height = 1;
    this.accounts = new Map();
    this.queue = new Set(); // registered receipts not executed yet
    this.yields = new Map(); // hex(data_id) -> {receipt, owner, createdAt, resolved}
    this.txs = new Map();
    this.nextReceipt = 1;
  }

  get timestamp() { return this.timestampAt(this.height); }
  timestampAt(h) { return this.genesisTime + BigInt(h - 1) * this.blockTime; }

  close() {}

  // ---- state set-up (genesis-like, no receipts)
  createAccount(id, { amount = 0n, contract = null, keys = [] } = {}) {
    if (!validAccountId(id)) throw new Error(`invalid account id ${id}`);
    if (this.accounts.has(id)) throw new Error(`account ${id} exists`);
    const acc = { id, amount: BigInt(amount), code: contract ? this.code.load(contract) : null, storage: new Map(), keys: new Map() };
    for (const k of keys) { const n = normalizeKey(k); acc.keys.set(n.public_key, n.access_key); }
    acc.storage_usage = computeStorageUsage(acc);
    this.accounts.set(id, acc);
  }

  deploy(id, contract) {
    const acc = this.accounts.get(id);
    if (!acc) throw new Error(`no account ${id}`);
    acc.code = this.code.load(contract);
    acc.storage_usage = computeStorageUsage(acc);
  }

  account(id) {
    const a = this.accounts.get(id);
    if (!a) return null;
    const keys = [...a.keys].map(([public_key, access_key]) => ({ public_key, access_key: structuredClone(access_key) }))
      .sort((x, y) => Buffer.compare(Buffer.from(publicKeyToBorsh(x.public_key)), Buffer.from(publicKeyToBorsh(y.public_key))));
    return { amount: a.amount, storage_usage: a.storage_usage, contract: a.code ? (a.code.name ?? `sha256:${a.code.hash}`) : null, keys };
  }

  // ---- transactions
  // Returns the outcome; a transaction the chain refuses gets {"id": null, "status": {"Failure":
  // {"InvalidTxError": …}}} and changes nothing. Malformed arguments throw.
  call({ signer, signerPk, receiver, method, args, deposit = 0n, gas = 300n * TGAS }) {
    if (!validAccountId(signer) || !validAccountId(receiver)) throw new Error('invalid signer or receiver account id');
    const input = argsBytes(args);
    if (input.length > MAX_ARGS || Buffer.byteLength(method) > 256) throw new Error('method name or arguments too long');
    deposit = BigInt(deposit);
    const pk = signerPk ? publicKeyToBorsh(signerPk) : new Uint8Array(33);
    const s = this.accounts.get(signer);
    const saved = s ? cloneAccount(s) : null;
    let invalid = s ? null : { SignerDoesNotExist: { signer_id: signer } };
    if (!invalid && signerPk) invalid = this.checkKey(s, signerPk, receiver, method, deposit);
    if (!invalid && s.amount < deposit) {
      invalid = { NotEnoughBalance: { signer_id: signer, balance: s.amount.toString(), cost: deposit.toString() } };
    }
    if (!invalid) {
      s.amount -= deposit;
      const missing = stakeMissing(s);
      if (missing > 0n) invalid = { LackBalanceForState: { signer_id: signer, amount: missing.toString() } };
    }
    if (invalid) {
      if (saved) this.accounts.set(signer, saved);
      return { id: null, status: { Failure: { InvalidTxError: invalid } }, result: null, logs: [], receipts: [] };
    }
    const tx = { id: this.nextReceipt, pending: 0, due: 0, executed: [], root: null };
    this.txs.set(tx.id, tx);
    tx.root = this.register({
      receiver, predecessor: signer, signer, signerPk: pk,
      actions: [{ type: 'FunctionCall', method, args: input, deposit, gas: BigInt(gas) || 300n * TGAS, weight: 0n }],
      deps: [], yieldData: null,
    }, tx);
    // blocks run until nothing is left for this transaction but yields nobody resumed yet
    for (let guard = 0; tx.pending > 0 && tx.due > 0; guard++) {
      if (guard > 100000) throw new Error('runaway receipts');
      this.produceBlock();
    }
    return this.outcome(tx.id);
  }

  // nearcore's access-key checks of a function-call transaction; bumps the key's nonce.
  checkKey(s, signerPk, receiver, method, deposit) {
    const ak = s.keys.get(signerPk);
    if (!ak) return { InvalidAccessKeyError: { AccessKeyNotFound: { account_id: s.id, public_key: signerPk } } };
    if (ak.permission !== 'FullAccess') {
      const fc = ak.permission.FunctionCall;
      if (deposit !== 0n) return { InvalidAccessKeyError: 'DepositWithFunctionCall' };
      if (fc.receiver_id !== receiver) return { InvalidAccessKeyError: { ReceiverMismatch: { tx_receiver: receiver, ak_receiver: fc.receiver_id } } };
      if (fc.method_names.length > 0 && !fc.method_names.includes(method)) return { InvalidAccessKeyError: { MethodNameMismatch: { method_name: method } } };
    }
    s.keys.set(signerPk, { ...ak, nonce: ak.nonce + 1 }); // a new object: a refused tx restores the old
    return null;
  }

  advance(n = 1) {
    for (let i = 0; i < n; i++) this.produceBlock();
  }

  produceBlock() {
    this.height++;
    const due = [...this.queue].filter((r) => r.due !== null && r.due <= this.height).sort((a, b) => a.id - b.id);
    for (const r of due) {
      this.queue.delete(r);
      r.tx.pending--;
      r.tx.due--;
      this.execute(r);
    }
    for (const y of this.yields.values()) {
      if (!y.resolved && y.createdAt + this.yieldTimeout <= this.height) {
        y.resolved = true;
        this.fillInput(y.receipt, 0, { ok: false });
      }
    }
  }

  // Adds a receipt (whose deps are registered receipts) to the queue; numbers it.
  register(r, tx) {
    r.id = this.nextReceipt++;
    r.tx = tx;
    r.waiters = [];
    r.result = undefined;
    r.inputs = r.yieldData ? [undefined] : r.deps.map(() => undefined);
    r.createdAt = this.height;
    r.deps.forEach((d, i) => d.waiters.push([r, i]));
    r.due = null;
    tx.pending++;
    if (r.inputs.length === 0) this.schedule(r);
    this.queue.add(r);
    return r;
  }

  schedule(r) {
    r.due = this.height + 1;
    r.tx.due++;
  }

  fillInput(r, slot, res) {
    if (r.inputs[slot] !== undefined) return;
    r.inputs[slot] = res;
    if (r.inputs.every((x) => x !== undefined)) this.schedule(r);
  }

  // A receipt finished with {ok, value} | {ok:false} | {forward: receipt}.
  finish(r, result) {
    r.result = result;
    if (result.forward) {
      result.forward.waiters.push(...r.waiters);
      return;
    }
    for (const [w, slot] of r.waiters) this.fillInput(w, slot, result);
  }

  outcome(id) {
    const tx = this.txs.get(id);
    if (!tx) throw new Error(`no transaction ${id}`);
    let r = tx.root;
    while (r.result && r.result.forward) r = r.result.forward;
    let status = 'Pending';
    let result = null;
    if (r.result) {
      if (r.result.ok) { status = { SuccessValue: b64(r.result.value) }; result = parseResult(r.result.value); } else status = { Failure: r.result.failure };
    }
    const receipts = tx.executed.map((e) => structuredClone(e));
    return { id: tx.id, status, result, logs: receipts.flatMap((e) => e.logs), receipts };
  }

  // ---- receipt execution
  execute(r) {
    const record = { id: r.id, receiver: r.receiver, predecessor: r.predecessor,
      method: r.actions.find((a) => a.type === 'FunctionCall')?.method ?? null, status: null, logs: [], gas_burnt: Number(TGAS),
      block_height: this.height };
    r.tx.executed.push(record);
    const before = this.accounts.get(r.receiver);
    const snapshot = before ? cloneAccount(before) : null;
    const committed = { receipts: [], resumes: [], beneficiary: null };
    let burnt = TGAS;
    let ret = { value: new Uint8Array(0) };
    let actor = r.predecessor;
    try {
      for (let i = 0; i < r.actions.length; i++) {
        const a = r.actions[i];
        let acc = this.accounts.get(r.receiver);
        if (a.type === 'CreateAccount') {
          if (acc) throw new ReceiptFailure(i, { AccountAlreadyExists: { account_id: r.receiver } });
          // docs/nearvm.md: only <name>.<predecessor> (nearcore also lets long top-level ids through)
          if (!isSubAccountOf(r.receiver, r.predecessor)) {
            throw new ReceiptFailure(i, { CreateAccountNotAllowed: { account_id: r.receiver, predecessor_id: r.predecessor } });
          }
          acc = { id: r.receiver, amount: 0n, code: null, storage: new Map(), keys: new Map() };
          acc.storage_usage = computeStorageUsage(acc);
          this.accounts.set(r.receiver, acc);
          actor = r.receiver;
          ret = { value: new Uint8Array(0) };
          continue;
        }
        if (!acc) throw new ReceiptFailure(i, { AccountDoesNotExist: { account_id: r.receiver } });
        if (['DeployContract', 'AddKey', 'DeleteKey', 'DeleteAccount'].includes(a.type) && actor !== r.receiver) {
          throw new ReceiptFailure(i, { ActorNoPermission: { account_id: r.receiver, actor_id: actor } });
        }
        ret = { value: new Uint8Array(0) };
        switch (a.type) {
          case 'DeployContract': {
            const code = this.code.deployBytes(a.bytes);
            if (!code) throw new ReceiptFailure(i, { UnknownContractCode: { code_len: a.bytes.length } });
            acc.code = code;
            break;
          }
          case 'Transfer':
            if (acc.amount + a.deposit > U128_MAX) throw new ReceiptFailure(i, { FunctionCallError: E.integerOverflow().kind });
            acc.amount += a.deposit;
            break;
          case 'AddKey': {
            if (acc.keys.has(a.publicKey)) throw new ReceiptFailure(i, { AddKeyAlreadyExists: { account_id: r.receiver, public_key: a.publicKey } });
            const ak = structuredClone(a.accessKey);
            ak.nonce = Number(BigInt(this.height - 1) * NONCE_RANGE);
            acc.keys.set(a.publicKey, ak);
            break;
          }
          case 'DeleteKey':
            if (!acc.keys.has(a.publicKey)) throw new ReceiptFailure(i, { DeleteKeyDoesNotExist: { account_id: r.receiver, public_key: a.publicKey } });
            acc.keys.delete(a.publicKey);
            break;
          case 'DeleteAccount':
            committed.beneficiary = { receiver: a.beneficiary, predecessor: 'system', signer: r.signer, signerPk: r.signerPk,
              actions: [{ type: 'Transfer', deposit: acc.amount }], deps: [], yieldData: null };
            this.accounts.delete(r.receiver);
            break;
          case 'FunctionCall': {
            if (acc.amount + a.deposit > U128_MAX) throw new ReceiptFailure(i, { FunctionCallError: E.integerOverflow().kind });
            const out = this.runFunctionCall(r, a, acc, record.logs);
            burnt += out.used - TGAS;
            if (out.error) throw new ReceiptFailure(i, { FunctionCallError: out.error.kind });
            committed.receipts.push(...out.receipts);
            committed.resumes.push(...out.resumes);
            ret = out.ret;
            break;
          }
          default:
            throw new Error(`unknown action ${a.type}`);
        }
      }
      const acc = this.accounts.get(r.receiver);
      if (acc) {
        acc.storage_usage = computeStorageUsage(acc);
        const missing = stakeMissing(acc);
        if (missing > 0n) throw new ReceiptFailure(null, { LackBalanceForState: { account_id: r.receiver, amount: missing.toString() } });
      }
    } catch (e) {
      if (!(e instanceof ReceiptFailure)) throw e;
      if (snapshot) this.accounts.set(r.receiver, snapshot); else this.accounts.delete(r.receiver);
      const failure = { ActionError: { index: e.index, kind: e.kind } };
      record.status = { Failure: failure };
      record.gas_burnt = Number(burnt);
      const refund = r.actions.reduce((s, a) => s + (a.type === 'Transfer' || a.type === 'FunctionCall' ? a.deposit : 0n), 0n);
      if (refund > 0n && r.predecessor !== 'system') {
        this.register({ receiver: r.predecessor, predecessor: 'system', signer: r.signer, signerPk: r.signerPk,
          actions: [{ type: 'Transfer', deposit: refund }], deps: [], yieldData: null }, r.tx);
      }
      this.finish(r, { ok: false, failure });
      return;
    }
    record.gas_burnt = Number(burnt);
    // commit: number and queue the new receipts, apply resumes
    // (a staged receipt object becomes the registered one; its deps were staged before it)
    for (const nr of committed.receipts) {
      this.register(nr, r.tx);
      if (nr.yieldData) this.yields.set(hex(nr.yieldData), { receipt: nr, owner: r.receiver, createdAt: this.height, resolved: false });
    }
    for (const [key, payload] of committed.resumes) {
      const y = this.yields.get(key);
      y.resolved = true;
      this.fillInput(y.receipt, 0, { ok: true, value: payload });
    }
    if (committed.beneficiary && committed.beneficiary.actions[0].deposit > 0n) this.register(committed.beneficiary, r.tx);
    if (ret.promise) {
      record.status = { SuccessReceiptId: ret.promise.id };
      this.finish(r, { forward: ret.promise });
    } else {
      record.status = { SuccessValue: b64(ret.value) };
      this.finish(r, { ok: true, value: ret.value });
    }
  }

  // Runs one FunctionCall action of receipt r on account acc (mutated in place; the caller
  // restores it on failure). Returns {used, error?, receipts, resumes, ret}.
  runFunctionCall(r, a, acc, logs) {
    const ctx = {
      view: false, receiptId: r.id, actionIndex: r.actions.indexOf(a), account: r.receiver, predecessor: r.predecessor, signer: r.signer, signerPk: r.signerPk,
      input: a.args, deposit: a.deposit, prepaid: a.gas, acc, logs,
      promiseResults: r.inputs.map((x) => (x.ok ? { ok: true, value: x.value } : { ok: false })),
    };
    acc.amount += a.deposit; // balance seen by the contract includes the attached deposit
    const out = this.runVm(ctx, acc.code, a.method);
    return out;
  }

  view(accountId, method, args) {
    const acc = this.accounts.get(accountId);
    if (!acc) throw new ViewError(`account ${accountId} does not exist while viewing`);
    const ctx = {
      view: true, receiptId: 0, actionIndex: 0, account: accountId, predecessor: null, signer: null, signerPk: null,
      input: argsBytes(args), deposit: 0n, prepaid: MAX_GAS_BURNT_VIEW, acc: cloneAccount(acc), logs: [], promiseResults: [],
    };
    const out = this.runVm(ctx, acc.code, method);
    if (out.error) throw new ViewError(out.error.message, ctx.logs);
    return { result: parseResult(out.ret.value ?? null), logs: ctx.logs };
  }

  // Instantiates a fresh instance and runs `method`. ctx.acc is changed in place.
  runVm(ctx, code, method) {
    ctx.used = TGAS;
    ctx.promised = 0n;
    ctx.registers = new Map();
    ctx.totalLogLength = 0n;
    ctx.returnData = null;
    ctx.promises = [];
    ctx.resumes = new Map();
    ctx.balance = ctx.acc.amount;
    ctx.storageUsage = ctx.acc.storage_usage;
    ctx.weighted = [];
    ctx.logsBase = ctx.logs.length;
    ctx.meter = this.meter;
    let instance;
    const metered = (out) => {
      const ops = instance?.exports.__tk_ops?.value ?? null;
      if (this.meter) this.meter.vmDone(ctx, { method, ops, code, error: out.error, receipts: out.receipts });
      return out;
    };
    const done = (error) => metered({ used: ctx.used, error, receipts: [], resumes: [], ret: null });
    if (!code) return done(E.codeDoesNotExist(ctx.account));
    if (!code.module) return done(E.deserialization());
    if (method === '') return done(E.methodEmptyName());
    if (ctx.used > ctx.prepaid) return done(E.gasExceeded());
    const exp = WebAssembly.Module.exports(code.module).find((x) => x.name === method);
    if (!exp || exp.kind !== 'function') return done(E.methodNotFound());
    const env = this.hostFunctions(ctx);
    for (const imp of WebAssembly.Module.imports(code.module)) {
      if (imp.module === 'env' && imp.name === 'memory' && imp.kind === 'memory') {
        ctx.importedMemory = new WebAssembly.Memory({ initial: 17, maximum: 2048 });
        env.memory = ctx.importedMemory;
      }
    }
    try {
      instance = new WebAssembly.Instance(code.module, { env });
    } catch (e) {
      return done(E.link(String(e.message)));
    }
    ctx.memory = ctx.importedMemory ?? instance.exports.memory;
    try {
      instance.exports[method]();
    } catch (e) {
      return done(trapOf(e));
    }
    // success: the account keeps its storage changes; balance and storage usage as tracked
    ctx.acc.amount = ctx.balance;
    const remaining = ctx.prepaid - ctx.used - ctx.promised;
    const totalWeight = ctx.weighted.reduce((s, x) => s + x.weight, 0n);
    if (remaining > 0n && totalWeight > 0n) {
      // docs/nearvm.md: floor(remainder * weight / total) each, the rest to the last weighted call
      // (nearcore gives floor(remainder / total) * weight)
      let given = 0n;
      for (const x of ctx.weighted) { const share = (remaining * x.weight) / totalWeight; x.gas += share; given += share; }
      ctx.weighted[ctx.weighted.length - 1].gas += remaining - given;
    }
    const receipts = ctx.promises.filter((p) => p.receipt).map((p) => p.receipt);
    let ret = { value: new Uint8Array(0) };
    if (ctx.returnData && ctx.returnData.promise) ret = { promise: ctx.returnData.promise };
    else if (ctx.returnData) ret = { value: ctx.returnData.value };
    return metered({ used: ctx.used, error: null, receipts, resumes: [...ctx.resumes], ret });
  }

  // the names this host provides under module "env"
  hostFunctionNames() { return Object.keys(this.hostFunctions({})); }

  // ---------------------------------------------------------------- host functions
  hostFunctions(ctx) {
    const chain = this;
    const charge = () => {
      ctx.used += HOST_CALL_GAS;
      if (ctx.view && ctx.used > ctx.prepaid) throw E.gasLimitExceeded();
      if (ctx.used + ctx.promised > ctx.prepaid) throw E.gasExceeded();
    };
    const prohibit = (name) => { if (ctx.view) throw E.prohibited(name); };
    const mem = () => new Uint8Array(ctx.memory.buffer);
    const readMem = (ptr, len) => {
      if (ptr + len > BigInt(ctx.memory.buffer.byteLength)) throw E.memory();
      return mem().slice(Number(ptr), Number(ptr + len));
    };
    const writeMem = (ptr, bytes) => {
      if (ptr + BigInt(bytes.length) > BigInt(ctx.memory.buffer.byteLength)) throw E.memory();
      mem().set(bytes, Number(ptr));
    };
    const regGet = (id) => {
      const v = ctx.registers.get(id);
      if (v === undefined) throw E.invalidRegister(id);
      return v;
    };
    const regSet = (id, data) => {
      if (data.length > LIMITS.maxRegisterSize) throw E.memory();
      if (ctx.registers.size >= LIMITS.maxNumberRegisters) throw E.memory(); // nearcore's protocol bug kept
      ctx.registers.set(id, Uint8Array.from(data));
    };
    const readMemOrReg = (ptr, len) => (len === U64_MAX ? regGet(ptr) : readMem(ptr, len));
    const readU128 = (ptr) => u128FromLe(readMem(ptr, 16n));
    const readAccountId = (ptr, len) => {
      const buf = readMemOrReg(ptr, len);
      let s;
      try { s = utf8.decode(buf); } catch { throw E.badUtf8(); }
      if (!validAccountId(s)) throw E.invalidAccountId();
      return s;
    };
    const readUtf8String = (len, ptr) => {
      const maxLen = LIMITS.maxTotalLogLength - ctx.totalLogLength > 0n ? LIMITS.maxTotalLogLength - ctx.totalLogLength : 0n;
      let buf;
      if (len !== U64_MAX) {
        if (len > maxLen) throw E.totalLogLength(ctx.totalLogLength + len, LIMITS.maxTotalLogLength);
        buf = readMem(ptr, len);
      } else {
        const bytes = [];
        for (let i = 0n; i <= maxLen; i++) {
          const el = readMem(ptr + i, 1n)[0];
          if (el === 0) break;
          if (i === maxLen) throw E.totalLogLength(maxLen + 1n, LIMITS.maxTotalLogLength);
          bytes.push(el);
        }
        buf = Uint8Array.from(bytes);
      }
      try { return utf8.decode(buf); } catch { throw E.badUtf8(); }
    };
    const pushPromise = (p) => {
      ctx.promises.push(p);
      if (ctx.promises.length > LIMITS.maxPromises) throw E.numberPromises(ctx.promises.length, LIMITS.maxPromises);
      return BigInt(ctx.promises.length - 1);
    };
    const newReceipt = (receiver, deps) => ({
      receiver, predecessor: ctx.account, signer: ctx.signer, signerPk: ctx.signerPk, actions: [], deps, yieldData: null,
    });
    const receiptOf = (idx) => {
      const p = ctx.promises[Number(idx)];
      if (idx >= BigInt(ctx.promises.length) || !p) throw E.invalidPromiseIndex(idx);
      if (!p.receipt) throw E.cannotAppend();
      return p.receipt;
    };
    const depsOf = (idx) => {
      const p = idx < BigInt(ctx.promises.length) ? ctx.promises[Number(idx)] : undefined;
      if (!p) throw E.invalidPromiseIndex(idx);
      return p.receipt ? [p.receipt] : [...p.and];
    };
    const methodString = (bytes) => {
      try { return utf8.decode(bytes); } catch { throw E.invalidMethodName(); }
    };
    const deductBalance = (amount) => {
      if (ctx.balance < amount) throw E.balanceExceeded();
      ctx.balance -= amount;
    };
    const prepay = (gas) => {
      ctx.promised += gas;
      if (ctx.used + ctx.promised > ctx.prepaid) throw E.gasExceeded();
    };
    const decodeKey = (bytes) => {
      const pk = publicKeyFromBorsh(bytes);
      if (pk === null) throw E.invalidPublicKey();
      return pk;
    };
    const storageKey = (kl, kp) => {
      const key = readMemOrReg(kp, kl);
      if (key.length > LIMITS.maxStorageKey) throw E.keyLength(key.length, LIMITS.maxStorageKey);
      return key;
    };
    const functionCallWeight = (idx, nl, np, al, ap, amountPtr, gas, weight) => {
      prohibit('promise_batch_action_function_call');
      const amount = readU128(amountPtr);
      const name = readMemOrReg(np, nl);
      if (name.length === 0) throw E.emptyMethodName();
      const args = readMemOrReg(ap, al);
      const receipt = receiptOf(idx);
      prepay(gas);
      deductBalance(amount);
      const action = { type: 'FunctionCall', method: methodString(name), args, deposit: amount, gas, weight };
      receipt.actions.push(action);
      if (weight > 0n) ctx.weighted.push(action);
    };
    const batchCreate = (len, ptr) => {
      prohibit('promise_batch_create');
      const id = readAccountId(ptr, len);
      const receipt = newReceipt(id, []);
      return pushPromise({ receipt });
    };
    const batchThen = (idx, len, ptr) => {
      prohibit('promise_batch_then');
      const id = readAccountId(ptr, len);
      const deps = depsOf(idx);
      return pushPromise({ receipt: newReceipt(id, deps) });
    };
    // near_bls_host.mjs: blsHost.<name>(bytes) -> {ret, out?}, or throws its HostError
    const bls = (name) => (len, ptr, reg) => {
      // nearcore charges per-element gas on value_len before reading, which overflows for the
      // "input from a register" length: these functions never read a register on NEAR
      if (BigInt.asUintN(64, BigInt(len)) === U64_MAX) throw hostError('Integer overflow.');
      const data = readMemOrReg(ptr, len);
      const host = chain.bls ?? blsHost?.blsHost;
      if (!host || typeof host[name] !== 'function') throw E.guestPanic(`${name}: not implemented`);
      let r;
      try { r = host[name](data); } catch (e) {
        if (e && e.name === 'HostError') throw hostError(e.message); // BLS12381InvalidInput's text
        throw e;
      }
      if (r.ret === 0 && r.out && reg !== undefined) regSet(reg, r.out);
      return BigInt(r.ret);
    };

    const f = {
      read_register: (id, ptr) => writeMem(ptr, regGet(id)),
      register_len: (id) => { const v = ctx.registers.get(id); return v === undefined ? U64_MAX : BigInt(v.length); },
      write_register: (id, len, ptr) => regSet(id, readMem(ptr, len)),
      current_account_id: (reg) => regSet(reg, enc.encode(ctx.account)),
      signer_account_id: (reg) => { prohibit('signer_account_id'); regSet(reg, enc.encode(ctx.signer)); },
      signer_account_pk: (reg) => { prohibit('signer_account_pk'); regSet(reg, ctx.signerPk); },
      predecessor_account_id: (reg) => { prohibit('predecessor_account_id'); regSet(reg, enc.encode(ctx.predecessor)); },
      input: (reg) => regSet(reg, ctx.input),
      block_index: () => BigInt(chain.height),
      block_timestamp: () => chain.timestamp,
      epoch_height: () => 1n,
      storage_usage: () => BigInt(ctx.storageUsage),
      account_balance: (ptr) => writeMem(ptr, u128le(ctx.balance)),
      attached_deposit: (ptr) => writeMem(ptr, u128le(ctx.deposit)),
      prepaid_gas: () => { prohibit('prepaid_gas'); return ctx.prepaid; },
      used_gas: () => { prohibit('used_gas'); return ctx.used; },
      random_seed: (reg) => regSet(reg, sha256(enc.encode(`random_seed:${chain.height}:${ctx.receiptId}`))),
      sha256: (len, ptr, reg) => regSet(reg, sha256(readMemOrReg(ptr, len))),
      keccak256: (len, ptr, reg) => regSet(reg, keccak_256(readMemOrReg(ptr, len))),
      ed25519_verify: (sl, sp, ml, mp, pl, pp) => {
        const sig = readMemOrReg(sp, sl);
        if (sig.length !== 64) throw E.ed25519('invalid signature length');
        if ((sig[63] & 0xe0) !== 0) return 0n;
        const msg = readMemOrReg(mp, ml);
        const pub = readMemOrReg(pp, pl);
        if (pub.length !== 32) throw E.ed25519('invalid public key length');
        try { return ed25519.verify(sig, msg, pub, { zip215: false }) ? 1n : 0n; } catch { return 0n; }
      },
      ecrecover: (hl, hp, sl, sp, v, mal, reg) => {
        const sig = readMemOrReg(sp, sl);
        if (sig.length !== 64) throw E.ecrecover(`The length of the signature: ${sig.length}, exceeds the limit of 64 bytes`);
        if (v >= 4n) throw E.ecrecover(`V recovery byte 0 through 3 are valid but was provided ${v}`);
        const hash = readMemOrReg(hp, hl);
        if (hash.length !== 32) throw E.ecrecover(`The length of the hash: ${hash.length}, exceeds the limit of 32 bytes`);
        if (mal !== 0n && mal !== 1n) throw E.ecrecover(`Malleability flag needs to be 0 or 1, but is instead ${mal}`);
        const n = secp256k1.CURVE.n;
        const r = BigInt('0x' + hex(sig.slice(0, 32)));
        const s = BigInt('0x' + hex(sig.slice(32)));
        const sOk = mal === 1n ? s < (n >> 1n) + 1n : s < n;
        if (!(r >= 1n && r < n && s >= 1n && sOk)) return 0n;
        try {
          const pub = new secp256k1.Signature(r, s).addRecoveryBit(Number(v)).recoverPublicKey(hash).toRawBytes(false);
          regSet(reg, pub.slice(1));
          return 1n;
        } catch (e) {
          if (e instanceof FunctionCallError) throw e;
          return 0n;
        }
      },
      value_return: (len, ptr) => {
        const v = readMemOrReg(ptr, len);
        if (v.length > LIMITS.maxReturnedData) throw E.returnedLength(v.length, LIMITS.maxReturnedData);
        ctx.returnData = { value: v };
      },
      panic: () => { throw E.guestPanic('explicit guest panic'); },
      panic_utf8: (len, ptr) => { throw E.guestPanic(readUtf8String(len, ptr)); },
      log_utf8: (len, ptr) => {
        if (ctx.logs.length - ctx.logsBase >= LIMITS.maxNumberLogs) throw E.numberOfLogs(LIMITS.maxNumberLogs);
        const s = readUtf8String(len, ptr);
        const n = BigInt(Buffer.byteLength(s));
        if (ctx.totalLogLength + n > LIMITS.maxTotalLogLength) throw E.totalLogLength(ctx.totalLogLength + n, LIMITS.maxTotalLogLength);
        ctx.totalLogLength += n;
        ctx.logs.push(s);
      },
      storage_write: (kl, kp, vl, vp, reg) => {
        prohibit('storage_write');
        const key = storageKey(kl, kp);
        const value = readMemOrReg(vp, vl);
        if (value.length > LIMITS.maxStorageValue) throw E.valueLength(value.length, LIMITS.maxStorageValue);
        const k = hex(key);
        const old = ctx.acc.storage.get(k);
        ctx.acc.storage.set(k, value);
        if (old !== undefined) {
          ctx.storageUsage += value.length - old.length;
          regSet(reg, old);
          return 1n;
        }
        ctx.storageUsage += key.length + value.length + RECORD_EXTRA_BYTES;
        return 0n;
      },
      storage_read: (kl, kp, reg) => {
        const v = ctx.acc.storage.get(hex(storageKey(kl, kp)));
        if (v === undefined) return 0n;
        regSet(reg, v);
        return 1n;
      },
      storage_remove: (kl, kp, reg) => {
        prohibit('storage_remove');
        const key = storageKey(kl, kp);
        const k = hex(key);
        const v = ctx.acc.storage.get(k);
        if (v === undefined) return 0n;
        ctx.acc.storage.delete(k);
        ctx.storageUsage -= key.length + v.length + RECORD_EXTRA_BYTES;
        regSet(reg, v);
        return 1n;
      },
      storage_has_key: (kl, kp) => (ctx.acc.storage.has(hex(storageKey(kl, kp))) ? 1n : 0n),
      promise_create: (il, ip, nl, np, al, ap, amountPtr, gas) => {
        const idx = batchCreate(il, ip);
        functionCallWeight(idx, nl, np, al, ap, amountPtr, gas, 0n);
        return idx;
      },
      promise_then: (idx, il, ip, nl, np, al, ap, amountPtr, gas) => {
        const n = batchThen(idx, il, ip);
        functionCallWeight(n, nl, np, al, ap, amountPtr, gas, 0n);
        return n;
      },
      promise_and: (ptr, count) => {
        prohibit('promise_and');
        const len = count * 8n;
        if (len > U64_MAX) throw E.integerOverflow();
        const raw = readMem(ptr, len);
        const deps = [];
        for (let i = 0; i < raw.length; i += 8) {
          let idx = 0n;
          for (let j = 7; j >= 0; j--) idx = (idx << 8n) | BigInt(raw[i + j]);
          deps.push(...depsOf(idx));
          if (deps.length > LIMITS.maxInputDataDependencies) throw E.inputDeps(deps.length, LIMITS.maxInputDataDependencies);
        }
        return pushPromise({ and: deps });
      },
      promise_batch_create: (len, ptr) => batchCreate(len, ptr),
      promise_batch_then: (idx, len, ptr) => batchThen(idx, len, ptr),
      promise_batch_action_create_account: (idx) => {
        prohibit('promise_batch_action_create_account');
        receiptOf(idx).actions.push({ type: 'CreateAccount' });
      },
      promise_batch_action_deploy_contract: (idx, len, ptr) => {
        prohibit('promise_batch_action_deploy_contract');
        const bytes = readMemOrReg(ptr, len);
        if (bytes.length > LIMITS.maxContractSize) throw E.contractSize(bytes.length, LIMITS.maxContractSize);
        receiptOf(idx).actions.push({ type: 'DeployContract', bytes });
      },
      promise_batch_action_function_call: (idx, nl, np, al, ap, amountPtr, gas) => functionCallWeight(idx, nl, np, al, ap, amountPtr, gas, 0n),
      promise_batch_action_function_call_weight: functionCallWeight,
      promise_batch_action_transfer: (idx, amountPtr) => {
        prohibit('promise_batch_action_transfer');
        const amount = readU128(amountPtr);
        const receipt = receiptOf(idx);
        deductBalance(amount);
        receipt.actions.push({ type: 'Transfer', deposit: amount });
      },
      promise_batch_action_add_key_with_full_access: (idx, pl, pp) => {
        prohibit('promise_batch_action_add_key_with_full_access');
        const pk = readMemOrReg(pp, pl);
        const receipt = receiptOf(idx);
        receipt.actions.push({ type: 'AddKey', publicKey: decodeKey(pk), accessKey: { nonce: 0, permission: 'FullAccess' } });
      },
      promise_batch_action_add_key_with_function_call: (idx, pl, pp, _nonce, allowancePtr, rl, rp, ml, mp) => {
        prohibit('promise_batch_action_add_key_with_function_call');
        const pk = readMemOrReg(pp, pl);
        const allowance = readU128(allowancePtr);
        const receiverId = readAccountId(rp, rl);
        const raw = readMemOrReg(mp, ml);
        const names = [];
        if (raw.length > 0) {
          let start = 0;
          for (let i = 0; i <= raw.length; i++) {
            if (i === raw.length || raw[i] === 0x2c) {
              if (i === start) throw E.emptyMethodName();
              names.push(raw.slice(start, i));
              start = i + 1;
            }
          }
        }
        const receipt = receiptOf(idx);
        const key = decodeKey(pk);
        const methodNames = names.map(methodString);
        receipt.actions.push({ type: 'AddKey', publicKey: key, accessKey: { nonce: 0, permission: { FunctionCall: {
          allowance: allowance > 0n ? allowance.toString() : null, receiver_id: receiverId, method_names: methodNames } } } });
      },
      promise_batch_action_delete_key: (idx, pl, pp) => {
        prohibit('promise_batch_action_delete_key');
        const pk = readMemOrReg(pp, pl);
        const receipt = receiptOf(idx);
        receipt.actions.push({ type: 'DeleteKey', publicKey: decodeKey(pk) });
      },
      promise_batch_action_delete_account: (idx, bl, bp) => {
        prohibit('promise_batch_action_delete_account');
        const beneficiary = readAccountId(bp, bl);
        receiptOf(idx).actions.push({ type: 'DeleteAccount', beneficiary });
      },
      promise_yield_create: (nl, np, al, ap, gas, weight, reg) => {
        prohibit('promise_yield_create');
        const name = readMemOrReg(np, nl);
        if (name.length === 0) throw E.emptyMethodName();
        const args = readMemOrReg(ap, al);
        prepay(gas);
        const receipt = { receiver: ctx.account, predecessor: ctx.account, signer: ctx.signer, signerPk: ctx.signerPk, actions: [], deps: [], yieldData: null };
        const idx = pushPromise({ receipt });
        const dataId = sha256(enc.encode(`yield:${ctx.receiptId}:${ctx.actionIndex}:${idx}`));
        receipt.yieldData = dataId;
        const action = { type: 'FunctionCall', method: methodString(name), args, deposit: 0n, gas, weight };
        receipt.actions.push(action);
        if (weight > 0n) ctx.weighted.push(action);
        regSet(reg, dataId);
        return idx;
      },
      promise_yield_resume: (dl, dp, pl, pp) => {
        prohibit('promise_submit_data');
        const dataId = readMemOrReg(dp, dl);
        const payload = readMemOrReg(pp, pl);
        if (payload.length > LIMITS.maxYieldPayload) throw E.yieldPayload(payload.length, LIMITS.maxYieldPayload);
        if (dataId.length !== 32) throw E.dataIdMalformed();
        const key = hex(dataId);
        if (ctx.resumes.has(key)) return 0;
        // a yield of this very call counts (it is registered before the resumes are applied)
        const own = ctx.promises.some((p) => p.receipt && p.receipt.yieldData && hex(p.receipt.yieldData) === key);
        const y = chain.yields.get(key);
        if (!own && (!y || y.resolved || y.owner !== ctx.account)) return 0;
        ctx.resumes.set(key, payload);
        return 1;
      },
      promise_results_count: () => { prohibit('promise_results_count'); return BigInt(ctx.promiseResults.length); },
      promise_result: (idx, reg) => {
        prohibit('promise_result');
        const res = idx < BigInt(ctx.promiseResults.length) ? ctx.promiseResults[Number(idx)] : undefined;
        if (!res) throw E.invalidResultIndex(idx);
        if (!res.ok) return 2n;
        regSet(reg, res.value);
        return 1n;
      },
      promise_return: (idx) => {
        prohibit('promise_return');
        const p = idx < BigInt(ctx.promises.length) ? ctx.promises[Number(idx)] : undefined;
        if (!p) throw E.invalidPromiseIndex(idx);
        if (!p.receipt) throw E.cannotReturnJoint();
        ctx.returnData = { promise: p.receipt };
      },
    };
    for (const name of BLS_FUNCTIONS) f[name] = bls(name);
    // every host call costs HOST_CALL_GAS before anything else
    const env = {};
    // (wasm passes i64 arguments as signed BigInts; nearcore's are u64)
    for (const [name, fn] of Object.entries(f)) {
      env[name] = (...args) => {
        charge();
        const a = args.map((x) => BigInt.asUintN(64, x));
        if (!ctx.meter) return fn(...a);
        const after = ctx.meter.hostCall(ctx, name, a);
        const ret = fn(...a);
        if (after) after(ret);
        return ret;
      };
    }
    return env;
  }
}

// ---------------------------------------------------------------- the chain (native driver)

// Speaks the driver's JSON-lines protocol synchronously through two FIFOs (the driver's stdin
// and stdout), so scenario scripts stay synchronous.
export class NativeChain {
  constructor(driver, opts = {}) {
    this.mode = 'native';
    if (!fs.existsSync(driver)) throw new Error(`${driver} is missing (build the nearvm_driver target)`);
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-nearvm-'));
    const dir = this.dir;
    this.cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
    process.once('exit', this.cleanup);
    const inPath = path.join(this.dir, 'in');
    const outPath = path.join(this.dir, 'out');
    const mk = spawnSync('mkfifo', [inPath, outPath]);
    if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
    const wasmDir = opts.contractsDir ?? defaultContractsDir();
    this.child = spawn('sh', ['-c', 'exec "$0" --wasm-dir "$1" <"$2" >"$3"', driver, wasmDir, inPath, outPath],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    this.child.unref();
    this.in = fs.openSync(inPath, 'w');
    this.out = fs.openSync(outPath, 'r');
    this.buf = Buffer.alloc(0);
    const cfg = { contractsDir: wasmDir };
    if (opts.yieldTimeout !== undefined) cfg.yieldTimeout = opts.yieldTimeout;
    if (opts.genesisTime !== undefined) cfg.genesisTime = String(opts.genesisTime);
    if (opts.blockTime !== undefined) cfg.blockTime = String(opts.blockTime);
    this.checked({ op: 'config', ...cfg });
  }

  request(obj) {
    fs.writeSync(this.in, JSON.stringify(obj) + '\n');
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl).toString('utf8');
        this.buf = this.buf.subarray(nl + 1);
        return JSON.parse(line);
      }
      const chunk = Buffer.alloc(65536);
      const n = fs.readSync(this.out, chunk, 0, chunk.length, null);
      if (n === 0) throw new Error(`nearvm_driver closed its output (request ${JSON.stringify(obj).slice(0, 200)})`);
      this.buf = Buffer.concat([this.buf, chunk.subarray(0, n)]);
    }
  }

  // a request whose error reply becomes an exception (ViewError for views)
  checked(obj) {
    const r = this.request(obj);
    if (r && r.error) {
      if (r.error.code === 'ViewError') throw new ViewError(r.error.message, r.error.logs ?? []);
      throw new Error(`nearvm_driver ${r.error.code}: ${r.error.message}`);
    }
    return r;
  }

  get height() { return this.checked({ op: 'height' }).height; }

  close() {
    if (this.in !== null) { fs.closeSync(this.in); this.in = null; }
    if (this.out !== null) { fs.closeSync(this.out); this.out = null; }
    process.removeListener('exit', this.cleanup);
    this.cleanup();
  }

  createAccount(id, { amount = 0n, contract = null, keys = [] } = {}) {
    this.checked({ op: 'create_account', account: id, amount: String(amount), contract, keys: keys.map(normalizeKey) });
  }

  deploy(id, contract) { this.checked({ op: 'deploy', account: id, contract }); }

  account(id) {
    const r = this.request({ op: 'account', account: id });
    if (r && r.error) return null;
    return { ...r, amount: BigInt(r.amount) };
  }

  call({ signer, signerPk, receiver, method, args, deposit = 0n, gas = 300n * TGAS }) {
    const req = { op: 'call', signer, receiver, method, args: b64(argsBytes(args)), deposit: String(deposit), gas: String(gas) };
    if (signerPk) req.signerPk = signerPk;
    return this.checked(req);
  }

  view(account, method, args) {
    const r = this.checked({ op: 'view', account, method, args: b64(argsBytes(args)) });
    return { result: r.result, logs: r.logs };
  }

  advance(n = 1) { this.checked({ op: 'advance', blocks: n }); }
  outcome(id) { return this.checked({ op: 'outcome', id }); }
}

export function nativeDriverPath() {
  const testBin = process.env.TK_TEST_BIN_DIR ?? path.join(process.env.TK_BIN_DIR ?? path.join(here, '..', '..', 'build', 'bin'), '..', 'tests');
  return path.join(testBin, 'nearvm_driver');
}

export async function makeChain(mode, opts = {}) {
  if (mode === 'wasm') {
    await loadBlsHost();
    return new WasmChain(opts);
  }
  if (mode === 'native') return new NativeChain(opts.driver ?? nativeDriverPath(), opts);
  throw new Error(`unknown chain mode ${mode}`);
}

// JSON with bigints as decimal strings (for transcripts and comparisons)
export function toJson(v) {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? b64(x) : x));
}
