// Host-function probes for near_chain.mjs's wasm runtime (test only): builds small wasm modules
// that import every function of contracts/sdk/near_host.h and call them with exact arguments, so
// the scenario can check nearcore's argument checks, register semantics and error texts
// directly (the contracts themselves only reach them through near_sdk).
//
// probeModule({ methods: { name: [step, ...] }, data: [[offset, bytes], ...] }) returns wasm bytes.
// A step is { call: 'host_fn', args: [BigInt...], keep?: true } (keep stores the i64 result, or
// the i32 of promise_yield_resume, as u64 LE at 8 * k in memory; the method then returns the kept
// values with value_return unless it already returned), or { trap: true } (unreachable), or
// { loop: n, body: [steps] } (the body n times). Memory: 65 pages, exported as "memory".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// name -> { params, ret: 0 (nothing) | 1 (i64) | 2 (i32) }, from the X-macro of near_host.h
export function hostSignatures() {
  const text = fs.readFileSync(path.join(here, '..', '..', 'contracts', 'sdk', 'near_host.h'), 'utf8');
  const sigs = new Map();
  for (const m of text.matchAll(/X\((\w+),[\s\\]*([012]),[\s\\]*\(([^)]*)\)\)/g)) {
    const params = m[3].trim() === 'void' ? 0 : m[3].split(',').length;
    sigs.set(m[1], { params, ret: Number(m[2]) });
  }
  return sigs;
}

const uleb = (n) => {
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
// signed LEB128 of a u64 read as two's complement i64
const sleb64 = (n) => {
  let v = BigInt.asIntN(64, BigInt(n));
  const out = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const name = (s) => { const b = [...Buffer.from(s)]; return [...uleb(b.length), ...b]; };
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, body) => [id, ...uleb(body.length), ...body];

export function probeModule({ methods, data = [] }) {
  const sigs = hostSignatures();
  const hostNames = [...sigs.keys()];
  const types = [];
  const typeIndex = (params, results) => {
    const key = `${params}:${results.join(',')}`;
    let i = types.findIndex((t) => t.key === key);
    if (i < 0) { types.push({ key, bytes: [0x60, ...vec(Array(params).fill([0x7e])), ...vec(results.map((r) => [r]))] }); i = types.length - 1; }
    return i;
  };
  const imports = hostNames.map((n) => {
    const s = sigs.get(n);
    const t = typeIndex(s.params, s.ret === 1 ? [0x7e] : s.ret === 2 ? [0x7f] : []);
    return [...name('env'), ...name(n), 0x00, ...uleb(t)];
  });
  const voidType = typeIndex(0, []);
  const methodNames = Object.keys(methods);
  const bodies = methodNames.map((m) => {
    const code = [];
    let kept = 0;
    let returned = false;
    const emit = (steps) => {
      for (const st of steps) {
        if (st.trap) { code.push(0x00); continue; }
        if (st.loop) { for (let i = 0; i < st.loop; i++) emit(st.body); continue; }
        const s = sigs.get(st.call);
        if (!s) throw new Error(`no host function ${st.call}`);
        if (st.args.length !== s.params) throw new Error(`${st.call} takes ${s.params} arguments`);
        if (st.call === 'value_return') returned = true;
        if (st.keep && s.ret) code.push(0x41, ...sleb64(8 * kept)); // i32.const address
        for (const a of st.args) code.push(0x42, ...sleb64(a)); // i64.const
        code.push(0x10, ...uleb(hostNames.indexOf(st.call)));
        if (st.keep && s.ret) {
          if (s.ret === 2) code.push(0xad); // i64.extend_i32_u
          code.push(0x37, 0x03, 0x00); // i64.store align=8 offset=0
          kept++;
        } else if (s.ret) code.push(0x1a); // drop
      }
    };
    emit(methods[m]);
    if (kept && !returned) {
      code.push(0x42, ...sleb64(8 * kept), 0x42, 0x00, 0x10, ...uleb(hostNames.indexOf('value_return')));
    }
    const body = [0x00, ...code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const nImports = hostNames.length;
  const exports = [[...name('memory'), 0x02, 0x00],
    ...methodNames.map((m, i) => [...name(m), 0x00, ...uleb(nImports + i)])];
  const dataSegs = data.map(([offset, bytes]) => [0x00, 0x41, ...sleb64(offset), 0x0b, ...uleb(bytes.length), ...bytes]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types.map((t) => t.bytes))),
    ...section(2, vec(imports)),
    ...section(3, vec(methodNames.map(() => uleb(voidType)))),
    ...section(5, vec([[0x00, ...uleb(65)]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
    ...(dataSegs.length ? section(11, vec(dataSegs)) : []),
  ]);
}
