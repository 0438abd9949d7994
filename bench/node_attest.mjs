// JavaScript baseline for bench_attest: Phala's dcap-qvl (Rust, as wasm: @phala/dcap-qvl-web)
// verifying the published v4 TDX quote, quotes per second. Run from the repository root:
// node bench/node_attest.mjs [seconds]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const require = createRequire(path.join(root, 'tests', 'oracle', 'package.json'));
const dir = path.dirname(require.resolve('@phala/dcap-qvl-web'));
const { initSync, js_verify } = await import(path.join(dir, 'dcap-qvl-web.js'));
initSync({ module: readFileSync(path.join(dir, 'dcap-qvl-web_bg.wasm')) });
const v = path.join(root, '..', 'shared', 'vectors', 'tdx');
const quote = Array.from(readFileSync(path.join(v, 'tdx_quote')));
const coll = JSON.parse(readFileSync(path.join(v, 'tdx_quote_collateral.json'), 'utf8'));
const secs = Number(process.argv[2] ?? 1);
let n = 0;
const start = performance.now();
while (performance.now() - start < secs * 1000) {
  js_verify(quote, coll, 1751000000n);
  n++;
}
const rate = (n * 1000) / (performance.now() - start);
console.log(`dcap-qvl-web (wasm) verify            : ${rate.toFixed(0).padStart(8)} quotes/s  ${(1000 / rate).toFixed(2)} ms/quote`);
