// A NEAR host for running teekeys contract wasm in Node's WebAssembly engine (test only):
// registers, input, value_return, storage, environment, hashing, logs and panics with
// nearcore's semantics for the functions the contracts import. Each call gets a fresh
// instance (as on NEAR); storage persists across calls in the Host object.
import { sha256 } from '@noble/hashes/sha256';
import { keccak_256 } from '@noble/hashes/sha3';
import { ed25519 } from '@noble/curves/ed25519';
import { secp256k1 } from '@noble/curves/secp256k1';
import { readFileSync } from 'node:fs';

export class ContractPanic extends Error {}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
const hex = (b) => Buffer.from(b).toString('hex');

export class Host {
  constructor(wasmPath, accountId) {
    this.module = new WebAssembly.Module(readFileSync(wasmPath));
    this.accountId = accountId;
    this.storage = new Map(); // hex(key) -> Uint8Array
    this.blockIndex = 1n;
    this.blockTimestamp = 1_700_000_000_000_000_000n;
  }

  imports() {
    return WebAssembly.Module.imports(this.module).map((i) => `${i.module}.${i.name}`);
  }

  // Calls `method` with `args` (string or bytes). Returns {result: string|null, logs}.
  call(method, args = '', ctx = {}) {
    const regs = new Map();
    const logs = [];
    let result = null;
    let memory;
    const mem = () => new Uint8Array(memory.buffer);
    const read = (len, ptr) => mem().slice(Number(ptr), Number(ptr) + Number(len));
    const write = (ptr, bytes) => mem().set(bytes, Number(ptr));
    const input = typeof args === 'string' ? enc.encode(args) : args;
    const u128le = (v) => { const b = new Uint8Array(16); let x = BigInt(v); for (let i = 0; i < 16; i++) { b[i] = Number(x & 0xffn); x >>= 8n; } return b; };
    const setReg = (id, bytes) => regs.set(id, Uint8Array.from(bytes));
    const env = {
      read_register: (id, ptr) => { if (!regs.has(id)) throw new ContractPanic('InvalidRegisterId'); write(ptr, regs.get(id)); },
      register_len: (id) => (regs.has(id) ? BigInt(regs.get(id).length) : 0xffffffffffffffffn),
      write_register: (id, len, ptr) => setReg(id, read(len, ptr)),
      current_account_id: (id) => setReg(id, enc.encode(this.accountId)),
      signer_account_id: (id) => setReg(id, enc.encode(ctx.signer ?? ctx.predecessor ?? 'alice.near')),
      signer_account_pk: (id) => setReg(id, ctx.signerPk ?? new Uint8Array(33)),
      predecessor_account_id: (id) => setReg(id, enc.encode(ctx.predecessor ?? 'alice.near')),
      input: (id) => setReg(id, input),
      block_index: () => this.blockIndex,
      block_timestamp: () => this.blockTimestamp,
      epoch_height: () => 1n,
      storage_usage: () => 0n,
      account_balance: (ptr) => write(ptr, u128le(ctx.balance ?? 0)),
      attached_deposit: (ptr) => write(ptr, u128le(ctx.deposit ?? 0)),
      prepaid_gas: () => 300_000_000_000_000n,
      used_gas: () => 0n,
      random_seed: (id) => setReg(id, new Uint8Array(32)),
      sha256: (len, ptr, id) => setReg(id, sha256(read(len, ptr))),
      keccak256: (len, ptr, id) => setReg(id, keccak_256(read(len, ptr))),
      ed25519_verify: (sl, sp, ml, mp, pl, pp) => {
        if (sl !== 64n || pl !== 32n) throw new ContractPanic('Ed25519VerifyInvalidInput');
        try { return ed25519.verify(read(sl, sp), read(ml, mp), read(pl, pp)) ? 1n : 0n; } catch { return 0n; }
      },
      ecrecover: (hl, hp, sl, sp, v, mal, id) => {
        if (hl !== 32n || sl !== 64n) throw new ContractPanic('ECRecoverError: invalid input length');
        if (v > 3n) throw new ContractPanic('ECRecoverError: V recovery byte 0 through 3 are valid');
        if (mal > 1n) throw new ContractPanic('ECRecoverError: invalid malleability flag');
        const sig = read(sl, sp);
        try {
          const s = secp256k1.Signature.fromCompact(sig);
          if (mal === 1n && s.hasHighS()) return 0n;
          const pub = s.addRecoveryBit(Number(v)).recoverPublicKey(read(hl, hp)).toRawBytes(false);
          setReg(id, pub.slice(1));
          return 1n;
        } catch { return 0n; }
      },
      value_return: (len, ptr) => { result = read(len, ptr); },
      panic: () => { throw new ContractPanic('explicit guest panic'); },
      panic_utf8: (len, ptr) => { throw new ContractPanic(dec.decode(read(len, ptr))); },
      log_utf8: (len, ptr) => logs.push(dec.decode(read(len, ptr))),
      storage_write: (kl, kp, vl, vp, id) => {
        const k = hex(read(kl, kp)); const old = this.storage.get(k);
        this.storage.set(k, read(vl, vp));
        if (old) { setReg(id, old); return 1n; } return 0n;
      },
      storage_read: (kl, kp, id) => { const v = this.storage.get(hex(read(kl, kp))); if (!v) return 0n; setReg(id, v); return 1n; },
      storage_remove: (kl, kp, id) => { const k = hex(read(kl, kp)); const v = this.storage.get(k); if (!v) return 0n; setReg(id, v); this.storage.delete(k); return 1n; },
      storage_has_key: (kl, kp) => (this.storage.has(hex(read(kl, kp))) ? 1n : 0n),
    };
    const instance = new WebAssembly.Instance(this.module, { env });
    memory = instance.exports.memory;
    if (typeof instance.exports[method] !== 'function') throw new Error(`MethodNotFound: ${method}`);
    const snapshot = new Map(this.storage);
    try {
      instance.exports[method]();
    } catch (e) {
      this.storage = snapshot; // a panic rolls back the call's state changes
      throw e;
    }
    return { result: result === null ? null : dec.decode(result), logs };
  }
}

// The same interface over the natively built contract, through the test host binary
// (tests/contracts/native_host.c): one process per call, storage kept in a state file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import pathMod from 'node:path';

export class NativeHost {
  constructor(binary, contract, accountId) {
    this.binary = binary;
    this.contract = contract;
    this.accountId = accountId;
    this.state = pathMod.join(mkdtempSync(pathMod.join(os.tmpdir(), 'tk-native-host-')), 'state.json');
  }

  imports() {
    return [];
  }

  call(method, args = '', ctx = {}) {
    const c = { current: this.accountId, block_index: 1 };
    for (const [k, v] of Object.entries(ctx)) c[k] = typeof v === 'bigint' ? v.toString() : v;
    const input = typeof args === 'string' ? Buffer.from(args) : Buffer.from(args);
    const run = spawnSync(this.binary, [this.contract, method, this.state, JSON.stringify(c)], { input });
    if (run.status !== 0) throw new Error(`native host failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout.toString());
    if (out.panic !== null) {
      if (out.panic === 'MethodNotFound') throw new Error(`MethodNotFound: ${method}`);
      throw new ContractPanic(out.panic);
    }
    return { result: out.result, logs: out.logs };
  }
}
