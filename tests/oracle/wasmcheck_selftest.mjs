// Self-test of scripts/wasmcheck.mjs: tiny wasm modules written byte by byte, one passing
// baseline and one variant per rule that must fail exactly that rule (float opcode, import from
// another module, unknown host function, wrong signature, too many locals, bulk-memory opcode,
// ...), plus the command line (exit codes, a module without expectations, a module whose
// sources exist but which was not built). Proves the checker can fail. No npm packages.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { checkWasm, parseHostHeader, NEARCORE, RULE_SOURCES } from '../../scripts/wasmcheck.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const hostPath = join(root, 'contracts/sdk/near_host.h');
const host = parseHostHeader(readFileSync(hostPath, 'utf8'));
let failures = 0;
let checks = 0;
const fail = (msg) => {
  failures++;
  console.log(`FAIL ${msg}`);
};

// ---- a minimal wasm encoder ----
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d;
const u32 = (n) => {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n) => {
  const out = [];
  let v = BigInt(n);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const str = (s) => [...u32(Buffer.byteLength(s)), ...Buffer.from(s)];
// (concat rather than spread: some payloads are hundreds of KiB)
const vec = (items) => u32(items.length).concat(...items);
const section = (id, payload) => [id].concat(u32(payload.length), payload);
const functype = (params, results) => [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
const body = (locals, code) => {
  const b = vec(locals.map(([n, t]) => [...u32(n), t])).concat(code, [0x0b]);
  return u32(b.length).concat(b);
};

// module(): the baseline contract, each part replaceable. Function 0 is the import
// env.log_utf8(i64,i64); function 1 is the method "hello" calling it.
function module(o = {}) {
  const types = o.types ?? [functype([], []), functype([I64, I64], [])];
  const imports = o.imports ?? [[...str('env'), ...str('log_utf8'), 0x00, ...u32(1)]];
  const funcs = o.funcs ?? [0];
  const code = o.code ?? [body([], [0x42, 0, 0x42, 0, 0x10, 0])];
  const exports = o.exports ?? [[...str('memory'), 0x02, 0], [...str('hello'), 0x00, 1]];
  const parts = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0]];
  parts.push(section(1, vec(types)));
  if (imports.length) parts.push(section(2, vec(imports)));
  parts.push(section(3, vec(funcs.map((t) => u32(t)))));
  if (o.tables) parts.push(section(4, vec(o.tables)));
  if (!o.noMemory) parts.push(section(5, vec([[0x00, 1]])));
  if (o.globals) parts.push(section(6, vec(o.globals)));
  parts.push(section(7, vec(exports)));
  if (o.start !== undefined) parts.push(section(8, u32(o.start)));
  if (o.dataCount !== undefined) parts.push(section(12, u32(o.dataCount)));
  parts.push(section(10, vec(code)));
  if (o.extra) parts.push(o.extra);
  return Uint8Array.from([].concat(...parts));
}

function expectRules(name, bytes, wantFailed, opts = {}) {
  checks++;
  const { results, info } = checkWasm(bytes, { name, kind: 'contract', exports: ['hello'], host, ...opts });
  const failed = results.filter((r) => !r.ok).map((r) => r.rule).sort();
  const want = [...wantFailed].sort();
  if (JSON.stringify(failed) !== JSON.stringify(want)) {
    fail(`${name}: failed rules [${failed}] , expected [${want}]`);
    for (const r of results) if (!r.ok || want.includes(r.rule)) console.log(`     ${r.ok ? 'PASS' : 'FAIL'} ${r.rule}: ${r.detail}`);
  } else console.log(`ok   ${name}: ${want.length ? `fails ${want.join(', ')}` : 'passes every rule'}`);
  return { results, info };
}

// ---- the baseline passes every rule ----
const base = module();
if (!WebAssembly.validate(base)) fail('baseline is not valid wasm');
expectRules('baseline', base, []);
for (const rule of Object.keys(RULE_SOURCES)) {
  const { results } = checkWasm(base, { name: 'b', kind: 'contract', exports: ['hello'], host });
  if (!results.some((r) => r.rule === rule)) fail(`rule ${rule} is never reported`);
}

// ---- the rules of the brief ----
// a float opcode (f32.const 1.5; drop) and a float local
expectRules('float opcode', module({ code: [body([], [0x43, 0, 0, 0xc0, 0x3f, 0x1a, 0x42, 0, 0x42, 0, 0x10, 0])] }), ['no-float']);
expectRules('float local', module({ code: [body([[1, F32]], [0x42, 0, 0x42, 0, 0x10, 0])] }), ['no-float']);
expectRules('float conversion', module({ code: [body([], [0x42, 1, 0xb9, 0x1a, 0x42, 0, 0x42, 0, 0x10, 0])] }), ['no-float']);
// an import from another module
expectRules('import from another module', module({ imports: [[...str('wasi'), ...str('log_utf8'), 0x00, ...u32(1)]] }), ['imports']);
// an unknown host function
expectRules('unknown host function', module({ imports: [[...str('env'), ...str('log_utf9'), 0x00, ...u32(1)]] }), ['imports']);
// a host function with the wrong signature: log_utf8(i32, i32)
expectRules('wrong host signature', module({
  types: [functype([], []), functype([I32, I32], [])],
  code: [body([], [0x41, 0, 0x41, 0, 0x10, 0])],
}), ['imports']);
// a host function with the wrong result: log_utf8(i64, i64) -> i64
expectRules('wrong host result', module({
  types: [functype([], []), functype([I64, I64], [I64])],
  code: [body([], [0x42, 0, 0x42, 0, 0x10, 0, 0x1a])],
}), ['imports']);
// too many locals: more than max_locals_per_contract (over 21 functions: wasmparser and V8 both
// cap one function at 50_000 locals), and more than size / 2
expectRules('too many locals (absolute)', module({
  funcs: Array(21).fill(0),
  code: [body([[48_000, I32]], [0x42, 0, 0x42, 0, 0x10, 0]), ...Array(20).fill(body([[48_000, I64]], []))],
}), ['locals']);
expectRules('too many locals (per code byte)', module({ code: [body([[5000, I64]], [0x42, 0, 0x42, 0, 0x10, 0])] }), ['locals']);
// a bulk-memory opcode: memory.copy(0, 0, 0)
expectRules('bulk-memory opcode', module({
  code: [body([], [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, ...u32(10), 0, 0, 0x42, 0, 0x42, 0, 0x10, 0])],
}), ['features', 'mvp']);
expectRules('data count section', module({ dataCount: 0, extra: section(11, vec([])) }), ['features', 'mvp']);

// ---- the other rules ----
// sign extension: nearcore enables it, teekeys' MVP rule does not
expectRules('sign-extension opcode', module({ code: [body([], [0x41, 0, 0xc0, 0x1a, 0x42, 0, 0x42, 0, 0x10, 0])] }), ['mvp']);
expectRules('saturating float-to-int', module({ code: [body([], [0x43, 0, 0, 0, 0, 0xfc, 0, 0x1a, 0x42, 0, 0x42, 0, 0x10, 0])] }), ['features', 'mvp', 'no-float']);
expectRules('multi-value type', module({ types: [functype([], []), functype([I64, I64], []), functype([], [I32, I32])] }), ['features', 'mvp']);
expectRules('memory import', module({ noMemory: true, imports: [[...str('env'), ...str('log_utf8'), 0x00, ...u32(1)], [...str('env'), ...str('memory'), 0x02, 0x01, 1, 2]],
  exports: [[...str('hello'), 0x00, 1]] }), ['imports', 'memory']);
expectRules('global import', module({ imports: [[...str('env'), ...str('log_utf8'), 0x00, ...u32(1)], [...str('env'), ...str('g'), 0x03, I32, 0]] }), ['imports']);
expectRules('two tables', module({ tables: [[0x70, 0x00, 1], [0x70, 0x00, 1]] }), ['tables', 'features', 'mvp']);
expectRules('table too large', module({ tables: [[0x70, 0x00, ...u32(NEARCORE.max_elements_per_contract_table + 1)]] }), ['tables']);
expectRules('externref table', module({ tables: [[0x6f, 0x00, 1]] }), ['features', 'mvp']);
expectRules('start function', module({ start: 1 }), ['start']);
expectRules('method with parameters', module({ funcs: [1], code: [body([], [0x20, 0, 0x20, 1, 0x10, 0])] }), ['exports']);
expectRules('method not exported', module({ exports: [[...str('memory'), 0x02, 0]] }), ['exports']);
expectRules('extra export', module({ exports: [[...str('memory'), 0x02, 0], [...str('hello'), 0x00, 1], [...str('helper'), 0x00, 1]] }), ['exports']);
expectRules('function exported as "memory"', module({ noMemory: true, exports: [[...str('memory'), 0x00, 1], [...str('hello'), 0x00, 1]] }), ['exports']);
expectRules('export named remaining_gas', module({ exports: [[...str('hello'), 0x00, 1], [...str('remaining_gas'), 0x00, 1]] }), ['exports'], { exports: ['hello', 'remaining_gas'] });
// 65 parameters in one function
expectRules('too many parameters', module({
  types: [functype([], []), functype([I64, I64], []), functype(Array(NEARCORE.max_params_per_function + 1).fill(I32), [])],
  funcs: [0, 2], code: [body([], [0x42, 0, 0x42, 0, 0x10, 0]), body([], [])],
}), ['params']);
// more types than max_types_per_contract
expectRules('too many types', module({
  types: [functype([], []), functype([I64, I64], []), ...Array.from({ length: NEARCORE.max_types_per_contract - 1 }, (_, k) => functype(Array(k % 60).fill(I32), [I64]))],
}), ['types']);
// operand stack: 16 i64 pushes are 128 bytes; 1025 are beyond 8 KiB
{
  const pushes = (n) => [...Array(n).fill([0x42, 0]).flat(), ...Array(n).fill(0x1a)];
  const { info } = expectRules('16 i64 pushes', module({ code: [body([], [...pushes(16), 0x42, 0, 0x42, 0, 0x10, 0])] }), []);
  checks++;
  if (info.maxStack !== 128) fail(`16 i64 pushes: operand stack peak ${info.maxStack}, expected 128`);
  else console.log('ok   16 i64 pushes peak at 128 bytes (nearcore prepare.rs operand_stack_too_large)');
  expectRules('operand stack too deep', module({ code: [body([], [...pushes(NEARCORE.max_operand_stack_bytes_per_function / 8 + 1), 0x42, 0, 0x42, 0, 0x10, 0])] }), ['operand-stack']);
}
// blocks: 5_001 sequential blocks in one function
expectRules('too many blocks', module({ code: [body([], Array(NEARCORE.max_blocks_per_function + 1).fill([0x02, 0x40, 0x0b]).flat().concat([0x42, 0, 0x42, 0, 0x10, 0]))] }), ['blocks']);
// a function body over max_function_body_size (nops)
expectRules('function body too large', module({ code: [body([], Array(NEARCORE.max_function_body_size).fill(0x01).concat([0x42, 0, 0x42, 0, 0x10, 0]))] }), ['function-body']);
// over 300 KiB (a custom section as padding)
expectRules('over 300 KiB', module({ extra: section(0, str('pad').concat(Array(300 * 1024).fill(0))) }), ['size']);
// structure: an unknown section, sections out of order, a truncated module
expectRules('unknown section', module({ extra: section(14, [0]) }), ['structure']);
expectRules('truncated module', base.subarray(0, base.length - 3), ['structure']);
expectRules('operand stack underflow', module({ code: [body([], [0x1a, 0x42, 0, 0x42, 0, 0x10, 0])] }), ['structure']);

// ---- near_host.h against nearcore's runtime/near-vm-runner/src/imports.rs (its import list:
// name, number of u64 parameters, result u64 / u32 / none), so the imports rule checks what
// nearcore links ----
{
  const N = null, U64 = 'u64', U32 = 'u32';
  const nearcore = {
    read_register: [2, N], register_len: [1, U64], write_register: [3, N], current_account_id: [1, N],
    signer_account_id: [1, N], signer_account_pk: [1, N], predecessor_account_id: [1, N], input: [1, N],
    block_index: [0, U64], block_timestamp: [0, U64], epoch_height: [0, U64], storage_usage: [0, U64],
    account_balance: [1, N], account_locked_balance: [1, N], attached_deposit: [1, N], prepaid_gas: [0, U64],
    used_gas: [0, U64], random_seed: [1, N], sha256: [3, N], keccak256: [3, N], keccak512: [3, N],
    ed25519_verify: [6, U64], ripemd160: [3, N], ecrecover: [7, U64], value_return: [2, N], panic: [0, N],
    panic_utf8: [2, N], log_utf8: [2, N], log_utf16: [2, N], promise_create: [8, U64], promise_then: [9, U64],
    promise_and: [2, U64], promise_batch_create: [2, U64], promise_batch_then: [3, U64],
    promise_batch_action_create_account: [1, N], promise_batch_action_deploy_contract: [3, N],
    promise_batch_action_function_call: [7, N], promise_batch_action_function_call_weight: [8, N],
    promise_batch_action_transfer: [2, N], promise_batch_action_stake: [4, N],
    promise_batch_action_add_key_with_full_access: [4, N], promise_batch_action_add_key_with_function_call: [9, N],
    promise_batch_action_delete_key: [3, N], promise_batch_action_delete_account: [3, N],
    promise_yield_create: [7, U64], promise_yield_resume: [4, U32], promise_results_count: [0, U64],
    promise_result: [2, U64], promise_return: [1, N], storage_write: [5, U64], storage_read: [3, U64],
    storage_remove: [3, U64], storage_has_key: [2, U64], validator_stake: [3, N], validator_total_stake: [1, N],
    alt_bn128_g1_multiexp: [3, N], alt_bn128_g1_sum: [3, N], alt_bn128_pairing_check: [2, U64],
    bls12381_p1_sum: [3, U64], bls12381_p2_sum: [3, U64], bls12381_g1_multiexp: [3, U64],
    bls12381_g2_multiexp: [3, U64], bls12381_map_fp_to_g1: [3, U64], bls12381_map_fp2_to_g2: [3, U64],
    bls12381_pairing_check: [2, U64], bls12381_p1_decompress: [3, U64], bls12381_p2_decompress: [3, U64],
  };
  for (const [name, t] of host) {
    checks++;
    const want = nearcore[name];
    const got = [t.params.length, t.results.length ? (t.results[0] === I64 ? U64 : U32) : N];
    if (!t.params.every((p) => p === I64)) fail(`near_host.h ${name}: a parameter is not u64`);
    else if (!want) fail(`near_host.h ${name}: not a host function of nearcore's imports.rs`);
    else if (want[0] !== got[0] || want[1] !== got[1]) fail(`near_host.h ${name}: (${got}) but nearcore has (${want})`);
  }
  console.log(`ok   near_host.h: ${host.size} host functions, each as nearcore's imports.rs declares it`);
}

// ---- the command line ----
const dir = mkdtempSync(join(tmpdir(), 'wasmcheck-'));
try {
  writeFileSync(join(dir, 'good.c'), '#include "near_sdk.h"\nNEAR_METHOD(hello)\n{\n}\n');
  const rules = (modules) => writeFileSync(join(dir, 'rules.json'), JSON.stringify({ host: hostPath, modules }));
  const good = { kind: 'contract', sources: [join(dir, 'good.c')] };
  rules({ good, later: { kind: 'contract', sources: [join(dir, 'absent')] } });
  const wasmDir = join(dir, 'wasm');
  spawnSync('mkdir', [wasmDir]);
  writeFileSync(join(wasmDir, 'good.wasm'), base);
  const cli = (...args) => spawnSync(process.execPath, [join(root, 'scripts/wasmcheck.mjs'), '--rules', join(dir, 'rules.json'), ...args], { encoding: 'utf8' });
  const expectExit = (what, res, code, text) => {
    checks++;
    if (res.status !== code || (text && !res.stdout.includes(text))) {
      fail(`cli ${what}: exit ${res.status}, expected ${code}${text ? ` and "${text}"` : ''}\n${res.stdout}${res.stderr}`);
    } else console.log(`ok   cli ${what}: exit ${code}`);
  };
  expectExit('a passing module', cli('--dir', wasmDir), 0, '| good | contract |');
  rules({ good, floaty: good });
  writeFileSync(join(wasmDir, 'floaty.wasm'), module({ code: [body([[1, F32]], [0x42, 0, 0x42, 0, 0x10, 0])] }));
  expectExit('a failing module', cli('--dir', wasmDir), 1, 'FAIL no-float');
  rmSync(join(wasmDir, 'floaty.wasm'));
  rules({ good });
  writeFileSync(join(wasmDir, 'stray.wasm'), base);
  expectExit('a module without expectations', cli('--dir', wasmDir), 1, 'stray.wasm: FAIL: no expectations');
  rmSync(join(wasmDir, 'stray.wasm'));
  rules({ good, built_later: good });
  expectExit('a module whose sources exist but is not built', cli('--dir', wasmDir), 1, 'built_later.wasm: FAIL: sources exist');
  expectExit('usage', cli(), 2);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(failures ? `wasmcheck_selftest: ${failures} of ${checks} checks FAILED` : `wasmcheck_selftest: all ${checks} checks passed`);
process.exitCode = failures ? 1 : 0;
