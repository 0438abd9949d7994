#!/usr/bin/env node
// wasmcheck: checks teekeys' wasm32 contracts against nearcore's contract-preparation rules as
// nearcore's source states them (runtime/near-vm-runner/src/prepare/prepare_v3.rs, features.rs,
// imports.rs, core/parameters/res/runtime_configs/*), plus teekeys' own rules from issue 6 (MVP
// only, no floating point, < 300 KiB, only the host functions of contracts/sdk/near_host.h, every
// method exported). It parses the wasm binary itself (no npm packages): every section, every
// function body with a full opcode walk (proposal of each opcode, float use, blocks, locals and a
// type-stack simulation for the operand-stack peak).
//
//   node scripts/wasmcheck.mjs --rules contracts/wasm_rules.json --dir build/contracts
//   node scripts/wasmcheck.mjs --rules contracts/wasm_rules.json build/contracts/dao.wasm
//
// Prints per module: size, imports, exports, counts, and PASS/FAIL per rule with its source;
// then a size table. Exits 1 on any failure, 2 on a usage error. Importable: checkWasm() etc.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// nearcore's limits (values from core/parameters/res/runtime_configs; the strictest value of any
// stable protocol version that sets them) and the source of each rule.
export const NEARCORE = {
  max_contract_size: 4_194_304,
  initial_memory_pages: 1_024,
  max_memory_pages: 2_048,
  max_functions_number_per_contract: 10_000,
  max_locals_per_contract: 1_000_000,
  min_contract_size_per_local: 2,
  max_params_per_function: 64,
  max_params_per_contract: 50_000,
  max_types_per_contract: 1_024,
  max_tables_per_contract: 1,
  max_elements_per_contract_table: 10_000,
  max_globals_per_contract: 65_536,
  max_function_body_size: 196_608,
  max_blocks_per_function: 5_000,
  max_blocks_per_contract: 50_000,
  max_operand_stack_bytes_per_function: 8_192,
};
export const TEEKEYS_MAX_BYTES = 300 * 1024; // issue 6: a hard limit

const NC = 'nearcore runtime/near-vm-runner/src';
const RC = 'nearcore core/parameters/res/runtime_configs';
export const RULE_SOURCES = {
  size: `teekeys issue 6 (< 300 KiB); max_contract_size 4_194_304 in ${RC}/parameters.yaml`,
  structure: `${NC}/prepare/prepare_v3.rs (wasmparser Validator; unknown, tag and component ` +
    'sections → PrepareError::Deserialization); also WebAssembly.validate',
  features: `${NC}/features.rs (floats, mutable_global, sign_extension on; multi_value, simd, ` +
    'threads, tail_call, multi_memory, memory64, exceptions, extended_const, gc, ' +
    'function_references off; reference_types and bulk_memory only with reftypes_bulk_memory, ' +
    `${RC}/84.yaml, so not on every network)`,
  mvp: 'teekeys issue 6 (clang --target=wasm32 -mcpu=mvp: MVP only, not even sign-extension)',
  'no-float': 'teekeys issue 6 (no floating point; nearcore itself accepts floats: features.rs ' +
    'floats: true)',
  imports: `${NC}/prepare/prepare_v3.rs transform_import_section (module "env" only; table and ` +
    'global imports → Instantiate, memory import → Memory); names and signatures: ' +
    `contracts/sdk/near_host.h, mirroring ${NC}/imports.rs (linking fails otherwise)`,
  memory: `${NC}/prepare/prepare_v3.rs (the module's memory section is dropped and replaced by ` +
    'initial_memory_pages 1_024 / max_memory_pages 2_048 from parameters.yaml; multi_memory ' +
    'off in features.rs)',
  functions: `${NC}/prepare/prepare_v3.rs function_limit (imported + defined) ≤ ` +
    `max_functions_number_per_contract 10_000 (${RC}/parameters.yaml)`,
  locals: `${NC}/prepare/prepare_v3.rs local_limit ≤ max_locals_per_contract 1_000_000 ` +
    `(${RC}/parameters.snap); min_contract_size_per_local 2 (${RC}/87.yaml)`,
  params: `max_params_per_function 64, max_params_per_contract 50_000 (${RC}/parameters.snap, 84.yaml; ` +
    `${NC}/prepare.rs test too_many_function_params)`,
  types: `max_types_per_contract 1_024 (${RC}/parameters.snap, 84.yaml; ${NC}/prepare.rs test too_many_types)`,
  tables: `${NC}/prepare/prepare_v3.rs table_limit, table_element_limit: ` +
    `max_tables_per_contract 1, max_elements_per_contract_table 10_000 (${RC}/parameters.snap)`,
  globals: `max_globals_per_contract 65_536 (${RC}/88.yaml); global imports → Instantiate ` +
    '(prepare_v3.rs)',
  'function-body': `${NC}/prepare/prepare_v3.rs FunctionBodyTooLarge: max_function_body_size ` +
    `196_608 (${RC}/parameters.snap)`,
  blocks: `max_blocks_per_function 5_000, max_blocks_per_contract 50_000 (${RC}/parameters.snap, 84.yaml; ` +
    `${NC}/prepare.rs tests too_many_blocks_per_*)`,
  'operand-stack': `max_operand_stack_bytes_per_function 8_192 (${RC}/84.yaml; ` +
    `${NC}/prepare.rs test operand_stack_too_large: i32 4 bytes, i64 8 bytes)`,
  exports: `${NC}/wasmtime_runner (a method must be a function export of type [] -> [], else ` +
    'MethodInvalidSignature); prepare_v3.rs (a non-memory export named "memory" → ' +
    'Instantiate); instrument_v3.rs and lib.rs ("remaining_gas", "start" are added by ' +
    'instrumentation); teekeys: exactly the NEAR_METHOD / export_name list of the sources',
  start: 'teekeys (contracts are linked --no-entry); nearcore allows a start function ' +
    `(${NC}/prepare/instrument_v3.rs exports it as "start" and runs it before each call)`,
};

// ---------------------------------------------------------------------------------------------
// binary reader
class WasmError extends Error {}

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.b = bytes;
    this.pos = pos;
    this.end = end;
  }
  fail(msg) {
    throw new WasmError(`${msg} at byte ${this.pos}`);
  }
  eof() {
    return this.pos >= this.end;
  }
  u8() {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.b[this.pos++];
  }
  bytes(n) {
    if (n > this.end - this.pos) this.fail('length beyond the section');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u32() {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      if (i === 4 && byte > 0x0f) this.fail('u32 LEB128 out of range');
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return result;
    }
    this.fail('u32 LEB128 too long');
  }
  // signed LEB128 of at most `bits` bits, returned as a BigInt
  sleb(bits) {
    let result = 0n;
    let shift = 0n;
    const max = Math.ceil(bits / 7);
    for (let i = 0; i < max; i++) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) {
        if (shift < 64n && byte & 0x40) result -= 1n << shift;
        return BigInt.asIntN(bits, result);
      }
    }
    this.fail(`s${bits} LEB128 too long`);
  }
  name() {
    const raw = this.bytes(this.u32());
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      this.fail('name is not UTF-8');
    }
  }
}

// value types: size in bytes on the operand stack and the proposal that introduced them
const VALTYPES = {
  0x7f: { name: 'i32', size: 4 },
  0x7e: { name: 'i64', size: 8 },
  0x7d: { name: 'f32', size: 4, float: true },
  0x7c: { name: 'f64', size: 8, float: true },
  0x7b: { name: 'v128', size: 16, proposal: 'simd' },
  0x70: { name: 'funcref', size: 8, proposal: 'reference-types' },
  0x6f: { name: 'externref', size: 8, proposal: 'reference-types' },
};

// A module under inspection: parsed sections and the features and float uses seen.
class Module {
  constructor() {
    this.types = []; // {params: [code], results: [code]}
    this.imports = []; // {module, name, kind, type?, ...}
    this.funcTypes = []; // type index per defined function
    this.tables = [];
    this.memories = [];
    this.globals = []; // {type, mutable}
    this.exports = [];
    this.start = null;
    this.elements = [];
    this.data = [];
    this.dataCount = null;
    this.code = []; // per defined function: {size, locals, blocks, maxStack, error}
    this.customs = [];
    this.features = new Map(); // proposal -> first place seen
    this.floats = []; // places where floating point is used
    this.errors = []; // structural errors (parse or stack)
  }
  feature(proposal, where) {
    if (!this.features.has(proposal)) this.features.set(proposal, where);
  }
  float(where) {
    if (this.floats.length < 20) this.floats.push(where);
    else this.floatsMore = (this.floatsMore || 0) + 1;
  }
  valtype(code, where) {
    const t = VALTYPES[code];
    if (!t) throw new WasmError(`unknown value type 0x${code.toString(16)} in ${where}`);
    if (t.float) this.float(`${t.name} in ${where}`);
    if (t.proposal) this.feature(t.proposal, `${t.name} in ${where}`);
    return code;
  }
  get importedFuncs() {
    return this.imports.filter((i) => i.kind === 'func');
  }
  funcType(index) {
    const imp = this.importedFuncs;
    const t = index < imp.length ? imp[index].type : this.funcTypes[index - imp.length];
    return this.types[t];
  }
  globalType(index) {
    const imp = this.imports.filter((i) => i.kind === 'global');
    return index < imp.length ? imp[index].type : this.globals[index - imp.length]?.type;
  }
}

function readLimits(r, m, where, memory) {
  const flags = r.u8();
  if (flags > 7) r.fail(`bad limits flags 0x${flags.toString(16)} in ${where}`);
  if (flags & 2) m.feature('threads', `shared ${where}`);
  if (flags & 4) {
    if (!memory) r.fail(`64-bit limits on ${where}`);
    m.feature('memory64', where);
  }
  const min = r.u32();
  const max = flags & 1 ? r.u32() : null;
  return { min, max };
}

// a constant expression (global init, element/data offset); returns the i32.const value if the
// expression is exactly one i32.const, else null
function readConstExpr(r, m, where) {
  let value = null;
  let n = 0;
  for (;;) {
    const op = r.u8();
    if (op === 0x0b) break;
    n++;
    switch (op) {
      case 0x41: value = Number(r.sleb(32)); break;
      case 0x42: r.sleb(64); value = null; break;
      case 0x43: r.bytes(4); m.float(`f32.const in ${where}`); value = null; break;
      case 0x44: r.bytes(8); m.float(`f64.const in ${where}`); value = null; break;
      case 0x23: r.u32(); value = null; break;
      case 0xd0: r.u8(); m.feature('reference-types', `ref.null in ${where}`); value = null; break;
      case 0xd2: r.u32(); m.feature('reference-types', `ref.func in ${where}`); value = null; break;
      case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e:
        m.feature('extended-const', `arithmetic in ${where}`);
        value = null;
        break;
      default:
        r.fail(`opcode 0x${op.toString(16)} in the constant expression of ${where}`);
    }
  }
  return n === 1 ? value : null;
}

const SECTION_ORDER = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };
const SECTION_NAMES = {
  0: 'custom', 1: 'type', 2: 'import', 3: 'function', 4: 'table', 5: 'memory', 6: 'global',
  7: 'export', 8: 'start', 9: 'element', 10: 'code', 11: 'data', 12: 'data count', 13: 'tag',
};

// opts.onOp(body, op, at, next): called after each decoded instruction of each function body
// (scripts/wasmgas.mjs instruments at these offsets); m.sections: every section's byte range.
export function parseModule(bytes, opts = {}) {
  const m = new Module();
  m.onOp = opts.onOp ?? null;
  m.sections = []; // {id, start (the id byte), payload, end}
  const r = new Reader(bytes);
  const magic = r.bytes(4);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d)
    throw new WasmError('not a wasm module (bad magic)');
  const version = r.bytes(4);
  if (version[0] !== 1 || version[1] || version[2] || version[3])
    throw new WasmError('wasm version is not 1 (a component or another encoding)');
  let lastOrder = 0;
  let codeCount = null;
  let funcCount = 0;
  while (!r.eof()) {
    const sectionStart = r.pos;
    const id = r.u8();
    const size = r.u32();
    const s = new Reader(bytes, r.pos, r.pos + size);
    if (size > bytes.length - r.pos) r.fail(`section ${id} runs past the end`);
    m.sections.push({ id, start: sectionStart, payload: r.pos, end: r.pos + size });
    r.pos += size;
    if (id === 0) {
      const name = s.name();
      m.customs.push({ name, size });
      continue;
    }
    if (id === 13) {
      m.feature('exceptions', 'tag section');
      throw new WasmError('tag section (exceptions proposal): nearcore refuses it');
    }
    const order = SECTION_ORDER[id];
    if (!order) throw new WasmError(`unknown section id ${id}: nearcore refuses it`);
    if (order <= lastOrder)
      throw new WasmError(`${SECTION_NAMES[id]} section out of order or repeated`);
    lastOrder = order;
    const count = s.u32();
    for (let i = 0; i < count && id !== 8 && id !== 12; i++) readEntry(id, s, m, i);
    if (id === 3) funcCount = count;
    if (id === 8) m.start = count; // the start section holds one function index
    if (id === 12) {
      m.dataCount = count;
      m.feature('bulk-memory', 'data count section');
    }
    if (id === 10) codeCount = count;
    if (!s.eof()) throw new WasmError(`${SECTION_NAMES[id]} section has trailing bytes`);
  }
  if ((codeCount ?? 0) !== funcCount)
    throw new WasmError(`function section declares ${funcCount} functions, code has ${codeCount ?? 0}`);
  const nTables = m.tables.length + m.imports.filter((i) => i.kind === 'table').length;
  if (nTables > 1) m.feature('reference-types', `${nTables} tables`);
  if (m.dataCount !== null && m.dataCount !== m.data.length)
    throw new WasmError('data count section disagrees with the data section');
  return m;
}

function readEntry(id, s, m, i) {
  switch (id) {
    case 1: {
      const form = s.u8();
      if (form !== 0x60) s.fail(`type ${i} is not a function type (0x${form.toString(16)})`);
      const params = [];
      const results = [];
      for (let n = s.u32(); n > 0; n--) params.push(m.valtype(s.u8(), `type ${i}`));
      for (let n = s.u32(); n > 0; n--) results.push(m.valtype(s.u8(), `type ${i}`));
      if (results.length > 1) m.feature('multi-value', `type ${i} has ${results.length} results`);
      m.types.push({ params, results });
      break;
    }
    case 2: {
      const imp = { module: s.name(), name: s.name() };
      const where = `import ${imp.module}.${imp.name}`;
      const kind = s.u8();
      if (kind === 0) {
        imp.kind = 'func';
        imp.type = s.u32();
        if (imp.type >= m.types.length) s.fail(`${where}: type index out of range`);
      } else if (kind === 1) {
        imp.kind = 'table';
        imp.elem = tableElem(s, m, where);
        imp.limits = readLimits(s, m, where, false);
      } else if (kind === 2) {
        imp.kind = 'memory';
        imp.limits = readLimits(s, m, where, true);
      } else if (kind === 3) {
        imp.kind = 'global';
        imp.type = m.valtype(s.u8(), where);
        imp.mutable = s.u8() === 1;
        if (imp.mutable) m.feature('mutable-global', `mutable ${where}`);
      } else if (kind === 4) {
        imp.kind = 'tag';
        m.feature('exceptions', where);
        s.u8();
        s.u32();
      } else s.fail(`${where}: unknown import kind ${kind}`);
      m.imports.push(imp);
      break;
    }
    case 3: {
      const t = s.u32();
      if (t >= m.types.length) s.fail(`function ${i}: type index out of range`);
      m.funcTypes.push(t);
      break;
    }
    case 4: {
      const elem = tableElem(s, m, `table ${i}`);
      m.tables.push({ elem, limits: readLimits(s, m, `table ${i}`, false) });
      break;
    }
    case 5:
      m.memories.push(readLimits(s, m, `memory ${i}`, true));
      break;
    case 6: {
      const type = m.valtype(s.u8(), `global ${i}`);
      const mut = s.u8();
      if (mut > 1) s.fail(`global ${i}: bad mutability`);
      readConstExpr(s, m, `global ${i}`);
      m.globals.push({ type, mutable: mut === 1 });
      break;
    }
    case 7: {
      const name = s.name();
      const kindCode = s.u8();
      const kind = ['func', 'table', 'memory', 'global', 'tag'][kindCode];
      if (!kind) s.fail(`export ${name}: unknown kind ${kindCode}`);
      if (kind === 'tag') m.feature('exceptions', `export ${name}`);
      const index = s.u32();
      if (kind === 'global' && m.globals[index - m.imports.filter((x) => x.kind === 'global').length]?.mutable)
        m.feature('mutable-global', `export of mutable global ${name}`);
      if (m.exports.some((e) => e.name === name)) s.fail(`duplicate export ${name}`);
      m.exports.push({ name, kind, index });
      break;
    }
    case 9:
      m.elements.push(readElement(s, m, i));
      break;
    case 10:
      m.code.push(readBody(s, m, i));
      break;
    case 11:
      m.data.push(readData(s, m, i));
      break;
    default:
      s.fail(`section ${id}`);
  }
}

// a table's element type: funcref is MVP there (as a value type it is reference-types)
function tableElem(s, m, where) {
  const code = s.u8();
  if (code === 0x70) return code;
  m.valtype(code, where);
  m.feature('reference-types', `table of ${VALTYPES[code].name} in ${where}`);
  return code;
}

function readElement(s, m, i) {
  const where = `element segment ${i}`;
  const flags = s.u32();
  if (flags > 7) s.fail(`${where}: bad flags ${flags}`);
  if (flags !== 0) m.feature(flags & 4 || flags === 3 ? 'reference-types' : 'bulk-memory', `${where} (flags ${flags})`);
  const seg = { table: 0, offset: null, count: 0, mode: flags & 1 ? (flags & 2 ? 'declarative' : 'passive') : 'active' };
  if ((flags & 1) === 0) {
    if (flags & 2) seg.table = s.u32();
    seg.offset = readConstExpr(s, m, where);
  }
  if (flags & 4) {
    if (flags & 3) m.valtype(s.u8(), where);
    seg.count = s.u32();
    for (let k = 0; k < seg.count; k++) readConstExpr(s, m, where);
  } else {
    if (flags & 3) {
      const kind = s.u8();
      if (kind !== 0) s.fail(`${where}: bad element kind`);
    }
    seg.count = s.u32();
    for (let k = 0; k < seg.count; k++) s.u32();
  }
  if (seg.table !== 0) m.feature('reference-types', `${where} for table ${seg.table}`);
  return seg;
}

function readData(s, m, i) {
  const where = `data segment ${i}`;
  const flags = s.u32();
  const seg = { memory: 0, offset: null, size: 0, active: flags !== 1 };
  if (flags === 1) m.feature('bulk-memory', `passive ${where}`);
  else if (flags === 2) {
    seg.memory = s.u32();
    if (seg.memory !== 0) m.feature('multi-memory', `${where} for memory ${seg.memory}`);
  } else if (flags !== 0) s.fail(`${where}: bad flags ${flags}`);
  if (seg.active) seg.offset = readConstExpr(s, m, where);
  seg.size = s.u32();
  s.bytes(seg.size);
  return seg;
}

// ---------------------------------------------------------------------------------------------
// function bodies: every opcode with its immediates, the proposal it belongs to, float use,
// block count and the operand-stack peak (bytes) by a type-stack walk.

// result size (bytes) of the conversion opcodes 0xa7..0xbf
const CONV_SIZE = [4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 4, 8, 4, 8];

function isFloatOp(op) {
  return op === 0x2a || op === 0x2b || op === 0x38 || op === 0x39 || op === 0x43 || op === 0x44 ||
    (op >= 0x5b && op <= 0x66) || (op >= 0x8b && op <= 0xa6) || (op >= 0xa8 && op <= 0xab) ||
    (op >= 0xae && op <= 0xbf);
}

const OPNAMES = {
  0x02: 'block', 0x03: 'loop', 0x04: 'if', 0x0e: 'br_table', 0x11: 'call_indirect', 0x1c: 'select t',
  0x25: 'table.get', 0x26: 'table.set', 0xc0: 'i32.extend8_s', 0xc1: 'i32.extend16_s',
  0xc2: 'i64.extend8_s', 0xc3: 'i64.extend16_s', 0xc4: 'i64.extend32_s', 0xd0: 'ref.null',
  0xd1: 'ref.is_null', 0xd2: 'ref.func',
};
const FC_NAMES = [
  'i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u',
  'memory.init', 'data.drop', 'memory.copy', 'memory.fill', 'table.init', 'elem.drop',
  'table.copy', 'table.grow', 'table.size', 'table.fill',
];
// opcodes of proposals this walker does not decode: it stops at the first one
const UNDECODED = {
  0x06: 'exceptions', 0x07: 'exceptions', 0x08: 'exceptions', 0x09: 'exceptions',
  0x0a: 'exceptions', 0x18: 'exceptions', 0x19: 'exceptions', 0x1f: 'exceptions',
  0x12: 'tail-call', 0x13: 'tail-call', 0x14: 'function-references', 0x15: 'function-references',
  0xd3: 'function-references', 0xd4: 'function-references', 0xd5: 'function-references',
  0xd6: 'function-references', 0xfb: 'gc', 0xfd: 'simd', 0xfe: 'threads',
};

function readBody(s, m, i) {
  const funcIndex = m.importedFuncs.length + i;
  const where = `function ${funcIndex}`;
  const size = s.u32();
  const start = s.pos;
  const r = new Reader(s.b, s.pos, s.pos + size);
  if (size > s.end - s.pos) s.fail(`${where}: body runs past the code section`);
  s.pos += size;
  const type = m.types[m.funcTypes[i]];
  // local types as runs [firstIndex, code]; params first
  const runs = [];
  let nLocals = type.params.length;
  type.params.forEach((p, k) => runs.push([k, p]));
  let declared = 0;
  for (let n = r.u32(); n > 0; n--) {
    const count = r.u32();
    const code = m.valtype(r.u8(), `locals of ${where}`);
    if (count > 0) runs.push([nLocals, code]);
    nLocals += count;
    declared += count;
    if (nLocals > 0xffffffff) r.fail(`${where}: too many locals`);
  }
  const body = { index: funcIndex, size, declared, blocks: 0, maxStack: 0, error: null, codeStart: r.pos, end: start + size };
  try {
    walkCode(r, m, body, type, runs, nLocals, where);
  } catch (e) {
    if (!(e instanceof WasmError)) throw e;
    body.error = e.message;
    m.errors.push(`${where}: ${e.message}`);
  }
  body.bodyStart = start;
  return body;
}

function localType(runs, idx) {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid][0] <= idx) lo = mid;
    else hi = mid - 1;
  }
  return runs[lo][1];
}

function walkCode(r, m, body, type, runs, nLocals, where) {
  const size = (code) => VALTYPES[code]?.size ?? 8;
  const stack = []; // sizes in bytes
  let sum = 0;
  const ctrl = [];
  const push = (n) => {
    stack.push(n);
    sum += n;
    if (sum > body.maxStack) body.maxStack = sum;
  };
  const pop = () => {
    const f = ctrl[ctrl.length - 1];
    if (stack.length > f.height) {
      const n = stack.pop();
      sum -= n;
      return n;
    }
    if (!f.unreachable) r.fail('operand stack underflow');
    return 8;
  };
  const popN = (n) => {
    for (let k = 0; k < n; k++) pop();
  };
  const cut = (f) => {
    while (stack.length > f.height) sum -= stack.pop();
  };
  const blockType = (op) => {
    const first = r.b[r.pos];
    if (first === 0x40) {
      r.pos++;
      return { params: [], results: [] };
    }
    if (VALTYPES[first]) {
      r.pos++;
      m.valtype(first, `${OPNAMES[op]} in ${where}`);
      return { params: [], results: [first] };
    }
    const idx = Number(r.sleb(33));
    if (idx < 0 || idx >= m.types.length) r.fail('bad block type');
    m.feature('multi-value', `${OPNAMES[op]} with a type index in ${where}`);
    return m.types[idx];
  };
  const memarg = (op) => {
    const align = r.u32();
    if (align >= 64) m.feature('multi-memory', `memory index in a memarg in ${where}`);
    if (align & 64) r.u32();
    r.u32();
    if (m.memories.length + m.imports.filter((x) => x.kind === 'memory').length === 0)
      r.fail(`opcode 0x${op.toString(16)} without a memory`);
  };
  ctrl.push({ height: 0, results: type.results, unreachable: false });
  while (ctrl.length > 0) {
    const at = r.pos;
    const op = r.u8();
    const here = `${where} at byte ${at}`;
    if (isFloatOp(op)) m.float(`opcode 0x${op.toString(16)} in ${here}`);
    const f = ctrl[ctrl.length - 1];
    switch (true) {
      case op === 0x00: // unreachable
        cut(f);
        f.unreachable = true;
        break;
      case op === 0x01:
        break;
      case op === 0x02 || op === 0x03 || op === 0x04: {
        const bt = blockType(op);
        if (op === 0x04) pop();
        popN(bt.params.length);
        body.blocks++;
        ctrl.push({ height: stack.length, results: bt.results, params: bt.params, unreachable: false });
        bt.params.forEach((p) => push(size(p)));
        break;
      }
      case op === 0x05: // else
        cut(f);
        f.unreachable = false;
        (f.params || []).forEach((p) => push(size(p)));
        break;
      case op === 0x0b: // end
        cut(f);
        ctrl.pop();
        if (ctrl.length > 0) f.results.forEach((t) => push(size(t)));
        break;
      case op === 0x0c: // br
        r.u32();
        cut(f);
        f.unreachable = true;
        break;
      case op === 0x0d: // br_if
        r.u32();
        pop();
        break;
      case op === 0x0e: { // br_table
        for (let n = r.u32(); n > 0; n--) r.u32();
        r.u32();
        pop();
        cut(f);
        f.unreachable = true;
        break;
      }
      case op === 0x0f: // return
        cut(f);
        f.unreachable = true;
        break;
      case op === 0x10: { // call
        const idx = r.u32();
        const t = m.funcType(idx);
        if (!t) r.fail(`call of unknown function ${idx}`);
        popN(t.params.length);
        t.results.forEach((x) => push(size(x)));
        break;
      }
      case op === 0x11: { // call_indirect
        const t = m.types[r.u32()];
        if (!t) r.fail('call_indirect of an unknown type');
        const table = r.u32();
        if (table !== 0) m.feature('reference-types', `call_indirect on table ${table} in ${here}`);
        pop();
        popN(t.params.length);
        t.results.forEach((x) => push(size(x)));
        break;
      }
      case op === 0x1a: // drop
        pop();
        break;
      case op === 0x1b: { // select
        pop();
        const a = pop();
        const b = pop();
        push(Math.max(a, b));
        break;
      }
      case op === 0x1c: { // select with types
        m.feature('reference-types', `select t in ${here}`);
        const n = r.u32();
        let sz = 8;
        for (let k = 0; k < n; k++) sz = size(m.valtype(r.u8(), here));
        popN(3);
        push(sz);
        break;
      }
      case op === 0x20 || op === 0x21 || op === 0x22: { // local.get/set/tee
        const idx = r.u32();
        if (idx >= nLocals) r.fail(`local ${idx} out of range`);
        if (op === 0x20) push(size(localType(runs, idx)));
        else if (op === 0x21) pop();
        else push(pop());
        break;
      }
      case op === 0x23 || op === 0x24: { // global.get/set
        const idx = r.u32();
        const t = m.globalType(idx);
        if (t === undefined) r.fail(`global ${idx} out of range`);
        if (op === 0x23) push(size(t));
        else pop();
        break;
      }
      case op === 0x25 || op === 0x26:
        m.feature('reference-types', `${OPNAMES[op]} in ${here}`);
        r.u32();
        if (op === 0x25) {
          pop();
          push(8);
        } else popN(2);
        break;
      case op >= 0x28 && op <= 0x35: // loads
        memarg(op);
        pop();
        push(op === 0x29 || op === 0x2b || op >= 0x30 ? 8 : 4);
        break;
      case op >= 0x36 && op <= 0x3e: // stores
        memarg(op);
        popN(2);
        break;
      case op === 0x3f || op === 0x40: { // memory.size / memory.grow
        const mem = r.u8();
        if (mem !== 0) m.feature('multi-memory', `memory index ${mem} in ${here}`);
        if (op === 0x40) pop();
        push(4);
        break;
      }
      case op === 0x41:
        r.sleb(32);
        push(4);
        break;
      case op === 0x42:
        r.sleb(64);
        push(8);
        break;
      case op === 0x43:
        r.bytes(4);
        push(4);
        break;
      case op === 0x44:
        r.bytes(8);
        push(8);
        break;
      case op === 0x45 || op === 0x50: // eqz
        pop();
        push(4);
        break;
      case op >= 0x46 && op <= 0x66: // comparisons
        popN(2);
        push(4);
        break;
      case op >= 0x67 && op <= 0xa6: { // arithmetic
        const unary = (op >= 0x67 && op <= 0x69) || (op >= 0x79 && op <= 0x7b) ||
          (op >= 0x8b && op <= 0x91) || (op >= 0x99 && op <= 0x9f);
        const sz = op <= 0x78 || (op >= 0x8b && op <= 0x98) ? 4 : 8;
        popN(unary ? 1 : 2);
        push(sz);
        break;
      }
      case op >= 0xa7 && op <= 0xbf: // conversions
        pop();
        push(CONV_SIZE[op - 0xa7]);
        break;
      case op >= 0xc0 && op <= 0xc4: // sign extension
        m.feature('sign-extension', `${OPNAMES[op]} in ${here}`);
        pop();
        push(op <= 0xc1 ? 4 : 8);
        break;
      case op === 0xd0:
        m.feature('reference-types', `ref.null in ${here}`);
        r.u8();
        push(8);
        break;
      case op === 0xd1:
        m.feature('reference-types', `ref.is_null in ${here}`);
        pop();
        push(4);
        break;
      case op === 0xd2:
        m.feature('reference-types', `ref.func in ${here}`);
        r.u32();
        push(8);
        break;
      case op === 0xfc: {
        const sub = r.u32();
        const name = FC_NAMES[sub] ?? `0xfc ${sub}`;
        if (sub <= 7) {
          m.feature('saturating-float-to-int', `${name} in ${here}`);
          m.float(`${name} in ${here}`);
          pop();
          push(sub <= 3 ? 4 : 8);
        } else if (sub <= 14) {
          m.feature('bulk-memory', `${name} in ${here}`);
          if (sub === 8) { r.u32(); r.u8(); popN(3); }
          else if (sub === 9 || sub === 13) r.u32();
          else if (sub === 10) { r.u8(); r.u8(); popN(3); }
          else if (sub === 11) { r.u8(); popN(3); }
          else if (sub === 12) {
            r.u32();
            if (r.u32() !== 0) m.feature('reference-types', `${name} on another table in ${here}`);
            popN(3);
          } else if (sub === 14) {
            if (r.u32() !== 0 || r.u32() !== 0) m.feature('reference-types', `${name} on another table in ${here}`);
            popN(3);
          }
        } else if (sub <= 17) {
          m.feature('reference-types', `${name} in ${here}`);
          r.u32();
          if (sub === 15) { popN(2); push(4); }
          else if (sub === 16) push(4);
          else popN(3);
        } else {
          m.feature('unknown', `opcode 0xfc ${sub} in ${here}`);
          r.fail(`unknown opcode 0xfc ${sub}`);
        }
        break;
      }
      default: {
        const proposal = UNDECODED[op] ?? 'unknown';
        m.feature(proposal, `opcode 0x${op.toString(16)} in ${here}`);
        r.fail(`opcode 0x${op.toString(16)} (${proposal}) not decoded`);
      }
    }
    if (m.onOp) m.onOp(body, op, at, r.pos);
  }
  if (!r.eof()) r.fail('bytes after the end of the function body');
}

// ---------------------------------------------------------------------------------------------
// the host functions of contracts/sdk/near_host.h: X(name, ret, (params)); ret 0 = nothing,
// 1 = u64, 2 = u32
export function parseHostHeader(text) {
  const host = new Map();
  const re = /\bX\(\s*(\w+)\s*,\s*([0-2])\s*,\s*\(([^()]*)\)\s*\)/g;
  let match;
  while ((match = re.exec(text.replace(/\\\n/g, ' '))) !== null) {
    const params = match[3].trim();
    const n = params === 'void' || params === '' ? 0 : params.split(',').length;
    const result = [[], [0x7e], [0x7f]][Number(match[2])];
    host.set(match[1], { params: Array(n).fill(0x7e), results: result });
  }
  if (host.size === 0) throw new Error('no X(...) entries found in the host header');
  return host;
}

const sig = (t) => `(${t.params.map((p) => VALTYPES[p]?.name ?? '?').join(',')})->(${t.results.map((p) => VALTYPES[p]?.name ?? '?').join(',')})`;
const sameSig = (a, b) => a.params.length === b.params.length && a.results.length === b.results.length &&
  a.params.every((p, k) => p === b.params[k]) && a.results.every((p, k) => p === b.results[k]);
const fmt = (n) => n.toLocaleString('en-US').replace(/,/g, '_');

// ---------------------------------------------------------------------------------------------
// checkWasm(bytes, {name, kind: 'contract'|'selftest', exports: [names], host: Map,
//                   maxBytes?, allowStart?}) -> {info, results: [{rule, ok, detail}]}
export function checkWasm(bytes, opts) {
  const results = [];
  const add = (rule, ok, detail) => results.push({ rule, ok, detail, source: RULE_SOURCES[rule] });
  const maxBytes = opts.maxBytes ?? TEEKEYS_MAX_BYTES;
  const info = { name: opts.name, kind: opts.kind, bytes: bytes.length };
  add('size', bytes.length < maxBytes && bytes.length <= NEARCORE.max_contract_size,
    `${fmt(bytes.length)} bytes = ${(bytes.length / 1024).toFixed(1)} KiB (limit ${(maxBytes / 1024).toFixed(0)} KiB; ` +
    `nearcore ${fmt(NEARCORE.max_contract_size)} bytes)`);
  let m;
  try {
    m = parseModule(bytes);
  } catch (e) {
    if (!(e instanceof WasmError)) throw e;
    add('structure', false, `does not parse: ${e.message}`);
    info.unparsed = true;
    return { info, results };
  }
  const v8ok = WebAssembly.validate(bytes);
  if (v8ok) {
    // this parser and V8 must see the same imports and exports
    const v8 = new WebAssembly.Module(bytes);
    const kinds = { function: 'func', table: 'table', memory: 'memory', global: 'global', tag: 'tag' };
    const mine = [...m.imports.map((i) => `${i.module}.${i.name}:${i.kind}`), ...m.exports.map((e) => `${e.name}:${e.kind}`)];
    const theirs = [...WebAssembly.Module.imports(v8).map((i) => `${i.module}.${i.name}:${kinds[i.kind]}`),
      ...WebAssembly.Module.exports(v8).map((e) => `${e.name}:${kinds[e.kind]}`)];
    if (mine.join() !== theirs.join()) m.errors.push(`imports/exports differ from V8's: ${mine.join()} vs ${theirs.join()}`);
  }
  add('structure', m.errors.length === 0 && v8ok,
    m.errors.length ? m.errors.slice(0, 3).join('; ') : v8ok ? 'well-formed, sections in order, WebAssembly.validate: valid, ' +
      'imports and exports as V8 sees them' : 'WebAssembly.validate: invalid');

  // features: nearcore enables MVP, sign-extension and mutable-global on every network
  const enabled = new Set(['sign-extension', 'mutable-global']);
  const feats = [...m.features.entries()];
  const bad = feats.filter(([p]) => !enabled.has(p));
  add('features', bad.length === 0, bad.length ? bad.map(([p, w]) => `${p} (${w})`).join('; ')
    : feats.length ? `post-MVP in use: ${feats.map(([p]) => p).join(', ')} (enabled by nearcore)` : 'MVP only');
  add('mvp', feats.length === 0, feats.length ? feats.map(([p, w]) => `${p} (${w})`).join('; ') : 'MVP only');
  add('no-float', m.floats.length === 0, m.floats.length
    ? m.floats.slice(0, 5).join('; ') + (m.floats.length > 5 || m.floatsMore ? ` … ${m.floats.length + (m.floatsMore || 0)} uses` : '')
    : 'no f32/f64 type or opcode');

  // imports
  const importProblems = [];
  for (const imp of m.imports) {
    const id = `${imp.module}.${imp.name}`;
    if (imp.module !== 'env') importProblems.push(`${id}: module is not "env" (PrepareError::Instantiate)`);
    if (imp.kind === 'memory') importProblems.push(`${id}: memory import (PrepareError::Memory)`);
    else if (imp.kind !== 'func') importProblems.push(`${id}: ${imp.kind} import (PrepareError::Instantiate)`);
    else if (imp.module === 'env') {
      const want = opts.host.get(imp.name);
      const got = m.types[imp.type];
      if (!want) importProblems.push(`${id}: not a host function of near_host.h`);
      else if (!sameSig(want, got)) importProblems.push(`${id}: signature ${sig(got)}, host function is ${sig(want)}`);
    }
  }
  info.imports = m.imports.map((i) => `${i.module}.${i.name}${i.kind === 'func' ? sig(m.types[i.type]) : ` (${i.kind})`}`);
  add('imports', importProblems.length === 0, importProblems.length ? importProblems.join('; ')
    : `${m.imports.length} imports, all NEAR host functions from "env" with their signatures`);

  // memory
  const memImports = m.imports.filter((i) => i.kind === 'memory').length;
  const memProblems = [];
  const pageBytes = 65536;
  const limitBytes = NEARCORE.initial_memory_pages * pageBytes;
  if (memImports) memProblems.push('imports a memory');
  if (m.memories.length + memImports > 1) memProblems.push(`${m.memories.length + memImports} memories`);
  const mem = m.memories[0];
  if (mem && mem.min > NEARCORE.initial_memory_pages)
    memProblems.push(`declares ${mem.min} initial pages, nearcore provides ${NEARCORE.initial_memory_pages}`);
  let dataEnd = 0;
  let dataBytes = 0;
  for (const [k, d] of m.data.entries()) {
    dataBytes += d.size;
    if (!d.active) continue;
    if (d.offset === null) { memProblems.push(`data segment ${k} has a non-constant offset`); continue; }
    const end = (d.offset >>> 0) + d.size;
    dataEnd = Math.max(dataEnd, end);
    if (end > limitBytes) memProblems.push(`data segment ${k} ends at ${end}, beyond ${NEARCORE.initial_memory_pages} pages`);
  }
  if (m.data.length && m.memories.length + memImports === 0) memProblems.push('data without a memory');
  info.memory = mem ? `${mem.min} pages declared${mem.max !== null ? ` (max ${mem.max})` : ''}; ` +
    `data ${fmt(dataBytes)} bytes in ${m.data.length} segments, up to ${fmt(dataEnd)}` : 'none';
  add('memory', memProblems.length === 0, memProblems.length ? memProblems.join('; ')
    : `${info.memory}; replaced by nearcore's ${NEARCORE.initial_memory_pages}..${NEARCORE.max_memory_pages} pages`);

  // limits
  const nImported = m.importedFuncs.length;
  const nDefined = m.funcTypes.length;
  const nFuncs = nImported + nDefined;
  add('functions', nFuncs <= NEARCORE.max_functions_number_per_contract,
    `${nImported} imported + ${nDefined} defined = ${nFuncs} (limit ${fmt(NEARCORE.max_functions_number_per_contract)})`);
  const locals = m.code.reduce((a, c) => a + c.declared, 0);
  const localsBySize = Math.floor(bytes.length / NEARCORE.min_contract_size_per_local);
  add('locals', locals <= NEARCORE.max_locals_per_contract && locals <= localsBySize,
    `${fmt(locals)} declared locals (limits ${fmt(NEARCORE.max_locals_per_contract)} and size/2 = ${fmt(localsBySize)})`);
  const allFuncTypes = [...m.importedFuncs.map((i) => m.types[i.type]), ...m.funcTypes.map((t) => m.types[t])];
  const maxParams = allFuncTypes.reduce((a, t) => Math.max(a, t.params.length), 0);
  const sumParams = allFuncTypes.reduce((a, t) => a + t.params.length, 0);
  add('params', maxParams <= NEARCORE.max_params_per_function && sumParams <= NEARCORE.max_params_per_contract,
    `at most ${maxParams} per function, ${fmt(sumParams)} in all (limits ${NEARCORE.max_params_per_function}, ` +
    `${fmt(NEARCORE.max_params_per_contract)})`);
  add('types', m.types.length <= NEARCORE.max_types_per_contract,
    `${m.types.length} types (limit ${fmt(NEARCORE.max_types_per_contract)})`);
  const tableImports = m.imports.filter((i) => i.kind === 'table');
  const tables = [...tableImports.map((t) => t.limits), ...m.tables.map((t) => t.limits)];
  const elemCount = m.elements.reduce((a, e) => a + e.count, 0);
  info.tables = `${tables.length} table(s)${tables.length ? ` (initial ${tables.map((t) => t.min).join(', ')})` : ''}, ` +
    `${m.elements.length} element segment(s) with ${elemCount} entries`;
  const tableProblems = [];
  if (tables.length > NEARCORE.max_tables_per_contract) tableProblems.push(`${tables.length} tables`);
  for (const t of tables)
    if (t.min > NEARCORE.max_elements_per_contract_table) tableProblems.push(`a table of ${t.min} elements`);
  add('tables', tableProblems.length === 0, (tableProblems.length ? tableProblems.join('; ') + '; ' : '') +
    `${info.tables} (limits ${NEARCORE.max_tables_per_contract} table, ${fmt(NEARCORE.max_elements_per_contract_table)} elements)`);
  const nGlobals = m.globals.length + m.imports.filter((i) => i.kind === 'global').length;
  add('globals', nGlobals <= NEARCORE.max_globals_per_contract,
    `${nGlobals} globals (limit ${fmt(NEARCORE.max_globals_per_contract)})`);
  const biggest = m.code.reduce((a, c) => (c.size > a.size ? c : a), { size: 0, index: -1 });
  add('function-body', biggest.size <= NEARCORE.max_function_body_size,
    `largest body ${fmt(biggest.size)} bytes (function ${biggest.index}; limit ${fmt(NEARCORE.max_function_body_size)})`);
  const mostBlocks = m.code.reduce((a, c) => (c.blocks > a.blocks ? c : a), { blocks: 0, index: -1 });
  const allBlocks = m.code.reduce((a, c) => a + c.blocks, 0);
  add('blocks', mostBlocks.blocks <= NEARCORE.max_blocks_per_function && allBlocks <= NEARCORE.max_blocks_per_contract,
    `at most ${fmt(mostBlocks.blocks)} in a function (function ${mostBlocks.index}), ${fmt(allBlocks)} in all ` +
    `(limits ${fmt(NEARCORE.max_blocks_per_function)}, ${fmt(NEARCORE.max_blocks_per_contract)})`);
  const deepest = m.code.reduce((a, c) => (c.maxStack > a.maxStack ? c : a), { maxStack: 0, index: -1 });
  add('operand-stack', deepest.maxStack <= NEARCORE.max_operand_stack_bytes_per_function,
    `peak ${fmt(deepest.maxStack)} bytes (function ${deepest.index}; limit ${fmt(NEARCORE.max_operand_stack_bytes_per_function)})`);
  Object.assign(info, { functions: nFuncs, imported: nImported, defined: nDefined, locals, maxStack: deepest.maxStack,
    types: m.types.length, globals: nGlobals, customs: m.customs });

  // exports
  const expProblems = [];
  const expected = new Set(opts.exports);
  const funcExports = m.exports.filter((e) => e.kind === 'func');
  info.exports = m.exports.map((e) => (e.kind === 'func' ? e.name : `${e.name} (${e.kind})`));
  for (const name of expected) {
    const e = m.exports.find((x) => x.name === name);
    if (!e) expProblems.push(`${name} not exported`);
    else if (e.kind !== 'func') expProblems.push(`${name} exported as a ${e.kind}`);
    else if (opts.kind === 'contract') {
      const t = m.funcType(e.index);
      if (t.params.length || t.results.length)
        expProblems.push(`${name} has type ${sig(t)}, a method must be ()->() (MethodInvalidSignature)`);
    }
  }
  for (const e of m.exports) {
    if (e.name === 'memory' && e.kind !== 'memory') expProblems.push(`a ${e.kind} exported as "memory" (PrepareError::Instantiate)`);
    else if (e.name === 'remaining_gas' || e.name === 'start') expProblems.push(`export "${e.name}" collides with nearcore's instrumentation`);
    else if (e.kind === 'memory') continue;
    else if (!expected.has(e.name)) expProblems.push(`unexpected export ${e.name} (${e.kind})`);
  }
  add('exports', expProblems.length === 0, expProblems.length ? expProblems.join('; ')
    : `${funcExports.length} functions exported, as declared in the sources${opts.kind === 'contract' ? ', all ()->()' : ''}`);
  add('start', m.start === null || opts.allowStart === true,
    m.start === null ? 'no start function' : `start function ${m.start}`);
  return { info, results };
}

// ---------------------------------------------------------------------------------------------
// expectations: contracts/wasm_rules.json names each module, its kind and its sources; the
// expected exports are read from the sources (NEAR_METHOD(name) for contracts, export_name("x")
// for self-test modules)
function sourceFiles(root, list) {
  const out = [];
  for (const rel of list) {
    const p = resolve(root, rel);
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.c')) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

export function expectedExports(kind, files) {
  const names = [];
  const re = kind === 'contract' ? /^\s*NEAR_METHOD\((\w+)\)/gm : /export_name\("([^"]+)"\)/g;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    let match;
    while ((match = re.exec(text)) !== null) if (!names.includes(match[1])) names.push(match[1]);
  }
  return names;
}

export function loadRules(rulesPath, root) {
  const rules = JSON.parse(readFileSync(rulesPath, 'utf8'));
  const host = parseHostHeader(readFileSync(resolve(root, rules.host), 'utf8'));
  const modules = new Map();
  for (const [name, spec] of Object.entries(rules.modules)) {
    if (spec.kind !== 'contract' && spec.kind !== 'selftest') throw new Error(`${name}: kind must be contract or selftest`);
    const files = sourceFiles(root, spec.sources);
    modules.set(name, { ...spec, files, exports: files.length ? expectedExports(spec.kind, files) : [] });
  }
  return { host, modules, maxBytes: rules.maxBytes ?? TEEKEYS_MAX_BYTES };
}

// ---------------------------------------------------------------------------------------------
function printReport(file, { info, results }, out) {
  const ok = results.every((x) => x.ok);
  out.push(`== ${basename(file)} (${info.kind}): ${ok ? 'PASS' : 'FAIL'}`);
  out.push(`   size      ${fmt(info.bytes)} bytes (${(info.bytes / 1024).toFixed(1)} KiB)`);
  if (!info.unparsed) {
    out.push(`   exports   ${info.exports.join(', ') || '-'}`);
    out.push(`   imports   ${info.imports.length ? info.imports.join(' ') : '-'}`);
    out.push(`   functions ${info.imported} imported + ${info.defined} defined; ${fmt(info.locals)} locals; ` +
      `${info.types} types; ${info.globals} globals; operand stack peak ${info.maxStack} bytes`);
    out.push(`   table     ${info.tables}`);
    out.push(`   memory    ${info.memory}`);
    if (info.customs.length) out.push(`   custom    ${info.customs.map((c) => `${c.name} (${c.size} bytes)`).join(', ')}`);
  }
  for (const r of results) out.push(`   ${r.ok ? 'PASS' : 'FAIL'} ${r.rule.padEnd(13)} ${r.detail}`);
  return ok;
}

function main(argv) {
  const args = { files: [], rules: null, dir: null, root: resolve(dirname(fileURLToPath(import.meta.url)), '..') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rules') args.rules = argv[++i];
    else if (a === '--dir') args.dir = argv[++i];
    else if (a === '--root') args.root = resolve(argv[++i]);
    else if (a.startsWith('--')) {
      console.error(`unknown option ${a}`);
      return 2;
    } else args.files.push(a);
  }
  if (!args.rules || (!args.dir && args.files.length === 0)) {
    console.error('usage: wasmcheck.mjs --rules RULES.json [--root DIR] (--dir WASM_DIR | FILE.wasm...)');
    return 2;
  }
  const rules = loadRules(resolve(args.root, args.rules), args.root);
  const files = [...args.files];
  const out = ['rules and their sources:'];
  for (const [rule, source] of Object.entries(RULE_SOURCES)) out.push(`  ${rule.padEnd(13)} ${source}`);
  out.push('');
  let failed = 0;
  if (args.dir) {
    for (const f of readdirSync(args.dir).sort()) if (f.endsWith('.wasm')) files.push(join(args.dir, f));
    // a module whose sources exist must have been built
    for (const [name, spec] of rules.modules) {
      const built = files.some((f) => basename(f, '.wasm') === name);
      if (!built && spec.files.length) {
        out.push(`== ${name}.wasm: FAIL: sources exist (${spec.sources.join(', ')}) but ${args.dir}/${name}.wasm does not`);
        failed++;
      } else if (!built) out.push(`-- ${name}: not checked, its sources (${spec.sources.join(', ')}) do not exist yet`);
    }
  }
  const table = [];
  for (const file of files) {
    const name = basename(file, '.wasm');
    const spec = rules.modules.get(name);
    if (!spec) {
      out.push(`== ${basename(file)}: FAIL: no expectations in ${args.rules}`);
      failed++;
      continue;
    }
    if (spec.files.length === 0) {
      out.push(`== ${basename(file)}: FAIL: none of its sources (${spec.sources.join(', ')}) exist`);
      failed++;
      continue;
    }
    const report = checkWasm(readFileSync(file), { name, kind: spec.kind, exports: spec.exports, host: rules.host,
      maxBytes: rules.maxBytes, allowStart: spec.allowStart });
    const ok = printReport(file, report, out);
    if (!ok) failed++;
    const i = report.info;
    table.push(`| ${name} | ${i.kind} | ${fmt(i.bytes)} | ${(i.bytes / 1024).toFixed(1)} | ` +
      (i.unparsed ? '- | - | - | - |' : `${i.imported} + ${i.defined} | ${fmt(i.locals)} | ${i.maxStack} | ` +
      `${i.exports.filter((e) => !e.endsWith('(memory)')).length} |`) + ` ${ok ? 'PASS' : 'FAIL'} |`);
  }
  out.push('');
  out.push('| module | kind | bytes | KiB | functions (imported + defined) | locals | operand stack peak (bytes) | exported functions | rules |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  out.push(...table);
  out.push('');
  out.push(failed ? `wasmcheck: ${failed} module(s) FAIL` : `wasmcheck: all ${table.length} module(s) PASS`);
  console.log(out.join('\n'));
  return failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
