#!/usr/bin/env node
// wasmgas: instruments a contract wasm so that running it counts wasm operations the way
// nearcore charges them, and holds nearcore's fee table to turn a run (ops + host calls) into gas.
// An ESTIMATE from nearcore's published costs, not a measurement on nearcore.
//
// How nearcore charges wasm execution (runtime/near-vm-runner/src/prepare/prepare_v3.rs,
// instrument_v3.rs; finite-wasm): the analysis gives every instruction a fee, `regular_op_cost`
// (wasm_regular_op_cost 822_756 gas) for every instruction except `block`, `end` and `else`
// (free) and the bulk-memory/table instructions (linear fees, absent from MVP contracts); the
// instrumented code charges the fees of a straight-line run of instructions once, at its start.
// This tool does the same: it splits each function body into runs that end after every
// instruction that branches or is a branch target's boundary (loop, if, else, end, br, br_if,
// br_table, return, unreachable), and inserts at the start of each run
//   global.get $__tk_ops; i64.const <fees of the run>; i64.add; global.set $__tk_ops
// into a new mutable i64 global exported as `__tk_ops`. On a run that completes, the counter is
// exactly the number of fee-bearing instructions executed (a trap mid-run counts the whole run, as
// nearcore's advance charge does). Function, type and global indices are unchanged.
//
//   node scripts/wasmgas.mjs in.wasm out.wasm     writes the instrumented module, prints counts
//
// Importable: instrumentWasm(), GAS (fees), hostCallGas(), opsGas(), contractLoadingGas().
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModule } from './wasmcheck.mjs';

export const OPS_GLOBAL_EXPORT = '__tk_ops';

// ---------------------------------------------------------------------------------------------
// nearcore's fees, gas units: core/parameters/res/runtime_configs/parameters.snap (the
// current protocol's resolved values; parameters.yaml plus every NN.yaml diff). Action fees are
// {send_sir, send_not_sir, execution}.
export const GAS = {
  regular_op_cost: 822_756n,
  wasm_base: 264_768_111n, // every host function call
  contract_loading_base: 35_445_963n,
  contract_loading_bytes: 1_089_295n,
  read_memory_base: 2_609_863_200n,
  read_memory_byte: 3_801_333n,
  write_memory_base: 2_803_794_861n,
  write_memory_byte: 2_723_772n,
  read_register_base: 2_517_165_186n,
  read_register_byte: 98_562n,
  write_register_base: 2_865_522_486n,
  write_register_byte: 3_801_564n,
  utf8_decoding_base: 3_111_779_061n,
  utf8_decoding_byte: 291_580_479n,
  sha256_base: 4_540_970_250n,
  sha256_byte: 24_117_351n,
  keccak256_base: 5_879_491_275n,
  keccak256_byte: 21_471_105n,
  ecrecover_base: 278_821_988_457n,
  ed25519_verify_base: 210_000_000_000n,
  ed25519_verify_byte: 9_000_000n,
  log_base: 3_543_313_050n,
  log_byte: 13_198_791n,
  storage_write_base: 64_196_736_000n,
  storage_write_key_byte: 70_482_867n,
  storage_write_value_byte: 31_018_539n,
  storage_write_evicted_byte: 32_117_307n,
  storage_read_base: 56_356_845_749n,
  storage_read_key_byte: 30_952_533n,
  storage_read_value_byte: 5_611_004n,
  storage_remove_base: 53_473_030_500n,
  storage_remove_key_byte: 38_220_384n,
  storage_remove_ret_value_byte: 11_531_556n,
  storage_has_key_base: 54_039_896_625n,
  storage_has_key_byte: 30_790_845n,
  touching_trie_node: 2_280_000_000n,
  promise_and_base: 1_465_013_400n,
  promise_and_per_promise: 5_452_176n,
  promise_return: 560_152_386n,
  yield_create_base: 153_411_779_276n,
  yield_create_byte: 15_643_988n,
  yield_resume_base: 1_195_627_285_210n,
  yield_resume_byte: 47_683_715n,
  bls12381_p1_sum: [16_500_000_000n, 6_000_000_000n, 97],
  bls12381_p2_sum: [18_600_000_000n, 15_000_000_000n, 193],
  bls12381_g1_multiexp: [16_500_000_000n, 930_000_000_000n, 128],
  bls12381_g2_multiexp: [18_600_000_000n, 1_995_000_000_000n, 224],
  bls12381_map_fp_to_g1: [1_500_000_000n, 252_000_000_000n, 48],
  bls12381_map_fp2_to_g2: [1_500_000_000n, 900_000_000_000n, 96],
  bls12381_pairing_check: [2_130_000_000_000n, 2_130_000_000_000n, 288],
  bls12381_p1_decompress: [15_000_000_000n, 81_000_000_000n, 48],
  bls12381_p2_decompress: [15_000_000_000n, 165_000_000_000n, 96],
  // actions: [send_sir, send_not_sir, execution]
  action_receipt_creation: [108_059_500_000n, 108_059_500_000n, 108_059_500_000n],
  data_receipt_creation_base: [36_486_732_312n, 36_486_732_312n, 36_486_732_312n],
  data_receipt_creation_per_byte: [17_212_011n, 47_683_715n, 17_212_011n],
  action_function_call: [200_000_000_000n, 200_000_000_000n, 780_000_000_000n],
  action_function_call_per_byte: [2_235_934n, 47_683_715n, 2_235_934n],
  action_transfer: [115_123_062_500n, 115_123_062_500n, 115_123_062_500n],
  action_add_full_access_key: [101_765_125_000n, 101_765_125_000n, 101_765_125_000n],
  action_add_function_call_key: [102_217_625_000n, 102_217_625_000n, 102_217_625_000n],
  action_add_function_call_key_per_byte: [1_925_331n, 47_683_715n, 1_925_331n],
  action_delete_key: [94_946_625_000n, 94_946_625_000n, 94_946_625_000n],
  action_create_account: [3_850_000_000_000n, 3_850_000_000_000n, 3_850_000_000_000n],
  action_deploy_contract: [184_765_750_000n, 184_765_750_000n, 184_765_750_000n],
  action_deploy_contract_per_byte: [6_812_999n, 47_683_715n, 64_572_944n],
  action_delete_account: [147_489_000_000n, 147_489_000_000n, 147_489_000_000n],
  // limits: 300 Tgas until protocol 83 (83.yaml raised max_total_prepaid_gas and max_gas_burnt
  // to 1 Pgas)
  max_total_prepaid_gas: 300_000_000_000_000n,
};
// trie nodes a storage write/remove is assumed to touch (reads use flat storage: none)
export const ASSUMED_TRIE_DEPTH = 10n;

export const opsGas = (ops) => BigInt(ops) * GAS.regular_op_cost;
export const contractLoadingGas = (bytes) => GAS.contract_loading_base + BigInt(bytes) * GAS.contract_loading_bytes;

// ---------------------------------------------------------------------------------------------
// instrumentation

const leb = (n) => {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
};
const sleb = (n) => {
  const out = [];
  let v = BigInt(n);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const nameBytes = (s) => {
  const b = new TextEncoder().encode(s);
  return [...leb(b.length), ...b];
};
const section = (id, payload) => [id, ...leb(payload.length), ...payload];

// nearcore's fee of one instruction in units of regular_op_cost (prepare_v3.rs gas_cost!)
function opFee(bytes, op, at) {
  if (op === 0x02 || op === 0x05 || op === 0x0b) return 0; // block, else, end
  if (op === 0xfc) {
    const sub = bytes[at + 1]; // sub-opcodes below 128 are one LEB byte
    if (sub >= 8 && sub !== 9 && sub !== 13 && sub <= 17 && sub !== 15 && sub !== 16)
      throw new Error(`bulk-memory/table instruction 0xfc ${sub}: linear fee, not modelled`);
  }
  return 1;
}
// a run of instructions ends after these (control flow leaves or re-enters there)
const ENDS_RUN = new Set([0x00, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);

// Returns {bytes, global, runs, functions}: the instrumented module, the counter's global index,
// the number of counter updates inserted and of function bodies.
export function instrumentWasm(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const bodies = new Map(); // body.index -> {body, inserts: [[pos, fee]]}
  let cur = null;
  const m = parseModule(bytes, {
    onOp: (body, op, at, next) => {
      if (!cur || cur.body !== body) {
        cur = { body, inserts: [], runStart: body.codeStart, fee: 0 };
        bodies.set(body.index, cur);
      }
      cur.fee += opFee(bytes, op, at);
      if (ENDS_RUN.has(op)) {
        if (cur.fee > 0) cur.inserts.push([cur.runStart, cur.fee]);
        cur.runStart = next;
        cur.fee = 0;
      }
    },
  });
  if (m.errors.length > 0) throw new Error(`wasmgas: ${m.errors[0]}`);
  const importedGlobals = m.imports.filter((i) => i.kind === 'global').length;
  const g = importedGlobals + m.globals.length;
  const getSet = (op) => [op, ...leb(g)];
  const update = (fee) => [...getSet(0x23), 0x42, ...sleb(fee), 0x7c, ...getSet(0x24)];
  const newGlobal = [0x7e, 0x01, 0x42, 0x00, 0x0b]; // (mut i64) (i64.const 0)
  const newExport = [...nameBytes(OPS_GLOBAL_EXPORT), 0x03, ...leb(g)];
  const out = [...bytes.subarray(0, 8)];
  let runs = 0;
  let addedGlobal = false;
  let addedExport = false;
  const countOf = (sec) => {
    let pos = sec.payload;
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++];
      n |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) return { n, rest: pos };
    }
  };
  for (const sec of m.sections) {
    // a module without globals or exports gets those sections before the first later one
    if (!addedGlobal && [7, 8, 9, 12, 10, 11].includes(sec.id)) {
      out.push(...section(6, [1, ...newGlobal]));
      addedGlobal = true;
    }
    if (!addedExport && [8, 9, 12, 10, 11].includes(sec.id)) {
      out.push(...section(7, [1, ...newExport]));
      addedExport = true;
    }
    if (sec.id === 6 || sec.id === 7) {
      const { n, rest } = countOf(sec);
      const payload = [...leb(n + 1), ...bytes.subarray(rest, sec.end), ...(sec.id === 6 ? newGlobal : newExport)];
      out.push(...section(sec.id, payload));
      if (sec.id === 6) addedGlobal = true;
      else addedExport = true;
    } else if (sec.id === 10) {
      const { n } = countOf(sec);
      const payload = [...leb(n)];
      for (const body of m.code) {
        const b = bodies.get(body.index);
        const parts = [...bytes.subarray(body.bodyStart, body.codeStart)];
        let pos = body.codeStart;
        for (const [at, fee] of b ? b.inserts : []) {
          parts.push(...bytes.subarray(pos, at), ...update(fee));
          pos = at;
          runs++;
        }
        parts.push(...bytes.subarray(pos, body.end));
        payload.push(...leb(parts.length), ...parts);
      }
      out.push(...section(10, payload));
    } else {
      out.push(...bytes.subarray(sec.start, sec.end));
    }
  }
  if (!addedGlobal) out.push(...section(6, [1, ...newGlobal]));
  if (!addedExport) out.push(...section(7, [1, ...newExport]));
  return { bytes: Uint8Array.from(out), global: g, runs, functions: m.code.length };
}

// ---------------------------------------------------------------------------------------------
// host functions: nearcore's charge for one call (runtime/near-vm-runner/src/logic/logic.rs).
// `call` = {name, args (u64 BigInts), reg(id) -> byte length of register id before the call,
// written: bytes the call wrote to its output register (undefined: none), deps: receipts a
// promise_then waits for}. Returns {gas, prepaid}: the gas the call uses (receipts it creates
// included, their send and execution fees) and the gas it attaches to a new function call.
const U64_MAX = (1n << 64n) - 1n;
const memRead = (len) => GAS.read_memory_base + BigInt(len) * GAS.read_memory_byte;
const memWrite = (len) => GAS.write_memory_base + BigInt(len) * GAS.write_memory_byte;
const regWrite = (len) => GAS.write_register_base + BigInt(len) * GAS.write_register_byte;
const regRead = (len) => GAS.read_register_base + BigInt(len) * GAS.read_register_byte;
const utf8 = (n) => GAS.utf8_decoding_base + BigInt(n) * GAS.utf8_decoding_byte;
// an action's fees charged to the creating call: send (sender is not receiver, the pessimistic
// case) plus execution, both used gas (nearcore pay_action_base / pay_action_per_byte)
export const actionFee = (fee, bytes = 1n) => {
  const [, notSir, exec] = GAS[fee];
  return (notSir + exec) * BigInt(bytes);
};

export function hostCallGas(call) {
  const { name, args: a } = call;
  const reg = call.reg ?? (() => 0n);
  const written = call.written === undefined ? null : BigInt(call.written);
  // get_memory_or_register: (len, ptr) names a register when len is u64::MAX
  const size = (l, p) => (l === U64_MAX ? BigInt(reg(p)) : l);
  const input = (l, p) => (l === U64_MAX ? regRead(reg(p)) : memRead(l));
  const out = () => (written === null ? 0n : regWrite(written));
  let gas = GAS.wasm_base;
  let prepaid = 0n;
  const act = (fee, bytes) => { gas += actionFee(fee, bytes); };
  const account = (l, p) => input(l, p) + utf8(size(l, p));
  const fcall = (nl, np, al, ap, g) => {
    gas += input(nl, np) + input(al, ap) + memRead(16n);
    act('action_function_call');
    act('action_function_call_per_byte', size(nl, np) + size(al, ap));
    prepaid += g;
  };
  const then = () => { act('action_receipt_creation'); act('data_receipt_creation_base', BigInt(call.deps ?? 1)); };
  switch (name) {
    case 'read_register': gas += regRead(reg(a[0])) + memWrite(reg(a[0])); break;
    case 'register_len': break;
    case 'write_register': gas += memRead(a[1]) + regWrite(a[1]); break;
    case 'current_account_id': case 'signer_account_id': case 'predecessor_account_id':
    case 'signer_account_pk': case 'input': case 'promise_result': gas += out(); break;
    case 'random_seed': gas += regWrite(32n); break;
    case 'account_balance': case 'attached_deposit': gas += memWrite(16n); break;
    case 'block_index': case 'block_timestamp': case 'epoch_height': case 'storage_usage':
    case 'prepaid_gas': case 'used_gas': case 'promise_results_count': case 'panic': break;
    case 'sha256': gas += input(a[0], a[1]) + GAS.sha256_base + size(a[0], a[1]) * GAS.sha256_byte + regWrite(32n); break;
    case 'keccak256': gas += input(a[0], a[1]) + GAS.keccak256_base + size(a[0], a[1]) * GAS.keccak256_byte + regWrite(32n); break;
    case 'ecrecover': gas += input(a[0], a[1]) + input(a[2], a[3]) + GAS.ecrecover_base + regWrite(64n); break;
    case 'ed25519_verify':
      gas += input(a[0], a[1]) + input(a[2], a[3]) + input(a[4], a[5]) + GAS.ed25519_verify_base + size(a[2], a[3]) * GAS.ed25519_verify_byte;
      break;
    case 'value_return': gas += input(a[0], a[1]); break;
    case 'panic_utf8': gas += memRead(call.bytes ?? a[0]) + utf8(call.bytes ?? a[0]); break;
    case 'log_utf8': {
      const b = BigInt(call.bytes ?? a[0]);
      gas += memRead(b) + utf8(b) + GAS.log_base + b * GAS.log_byte;
      break;
    }
    case 'storage_write':
      gas += input(a[0], a[1]) + input(a[2], a[3]) + GAS.storage_write_base + size(a[0], a[1]) * GAS.storage_write_key_byte +
        size(a[2], a[3]) * GAS.storage_write_value_byte + ASSUMED_TRIE_DEPTH * GAS.touching_trie_node;
      if (written !== null) gas += written * GAS.storage_write_evicted_byte + out();
      break;
    case 'storage_read':
      gas += input(a[0], a[1]) + GAS.storage_read_base + size(a[0], a[1]) * GAS.storage_read_key_byte;
      if (written !== null) gas += written * GAS.storage_read_value_byte + out();
      break;
    case 'storage_remove':
      gas += input(a[0], a[1]) + GAS.storage_remove_base + size(a[0], a[1]) * GAS.storage_remove_key_byte +
        ASSUMED_TRIE_DEPTH * GAS.touching_trie_node;
      if (written !== null) gas += written * GAS.storage_remove_ret_value_byte + out();
      break;
    case 'storage_has_key': gas += input(a[0], a[1]) + GAS.storage_has_key_base + size(a[0], a[1]) * GAS.storage_has_key_byte; break;
    case 'promise_batch_create': gas += account(a[0], a[1]); act('action_receipt_creation'); break;
    case 'promise_batch_then': gas += account(a[1], a[2]); then(); break;
    case 'promise_create': gas += account(a[0], a[1]); act('action_receipt_creation'); fcall(a[2], a[3], a[4], a[5], a[7]); break;
    case 'promise_then': gas += account(a[1], a[2]); then(); fcall(a[3], a[4], a[5], a[6], a[8]); break;
    case 'promise_and': gas += memRead(a[1] * 8n) + GAS.promise_and_base + a[1] * GAS.promise_and_per_promise; break;
    case 'promise_batch_action_function_call': case 'promise_batch_action_function_call_weight':
      fcall(a[1], a[2], a[3], a[4], a[6]);
      break;
    case 'promise_batch_action_transfer': gas += memRead(16n); act('action_transfer'); break;
    case 'promise_batch_action_add_key_with_full_access': gas += input(a[1], a[2]); act('action_add_full_access_key'); break;
    case 'promise_batch_action_add_key_with_function_call':
      gas += input(a[1], a[2]) + memRead(16n) + account(a[5], a[6]) + input(a[7], a[8]);
      act('action_add_function_call_key');
      act('action_add_function_call_key_per_byte', size(a[5], a[6]) + size(a[7], a[8]));
      break;
    case 'promise_batch_action_delete_key': gas += input(a[1], a[2]); act('action_delete_key'); break;
    case 'promise_batch_action_create_account': act('action_create_account'); break;
    case 'promise_batch_action_deploy_contract':
      gas += input(a[1], a[2]); act('action_deploy_contract'); act('action_deploy_contract_per_byte', size(a[1], a[2])); break;
    case 'promise_batch_action_delete_account': gas += account(a[1], a[2]); act('action_delete_account'); break;
    case 'promise_yield_create': {
      const bytes = size(a[0], a[1]) + size(a[2], a[3]);
      gas += input(a[0], a[1]) + input(a[2], a[3]) + GAS.yield_create_base + bytes * GAS.yield_create_byte + regWrite(32n);
      // the yield's own receipt and function call (sender is receiver: send_sir)
      gas += GAS.action_receipt_creation[0] + GAS.action_receipt_creation[2] + GAS.action_function_call[0] + GAS.action_function_call[2] +
        bytes * (GAS.action_function_call_per_byte[0] + GAS.action_function_call_per_byte[2]);
      prepaid += a[4];
      break;
    }
    case 'promise_yield_resume':
      gas += input(a[0], a[1]) + input(a[2], a[3]) + GAS.yield_resume_base + size(a[2], a[3]) * GAS.yield_resume_byte;
      break;
    case 'promise_return': gas += GAS.promise_return; break;
    default: {
      const bls = GAS[name];
      if (!Array.isArray(bls) || !name.startsWith('bls12381_')) throw new Error(`wasmgas: no fee model for host function ${name}`);
      const elements = size(a[0], a[1]) / BigInt(bls[2]);
      gas += input(a[0], a[1]) + bls[0] + elements * bls[1] + out();
    }
  }
  return { gas, prepaid };
}

// ---------------------------------------------------------------------------------------------
function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: node scripts/wasmgas.mjs in.wasm out.wasm');
    return 2;
  }
  const r = instrumentWasm(readFileSync(argv[0]));
  writeFileSync(argv[1], r.bytes);
  console.log(`${argv[0]}: ${r.functions} functions, ${r.runs} counter updates, counter global ${r.global} exported as ${OPS_GLOBAL_EXPORT}; wrote ${argv[1]} (${r.bytes.length} bytes)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
