// Wasm SIMD128 benchmark + conformance check for gluon-kernels, run under Node.
//
//   cd crates/kernels/wasm-bench
//   RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS='-C target-feature=+simd128' /usr/bin/cargo build \
//     --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --target-dir /tmp/kern-wasm-target \
//     --config "target.wasm32-unknown-unknown.linker='wasm-ld-22'"
//   [ORDER_KEPT=1] node bench.mjs /tmp/kern-wasm-target/wasm32-unknown-unknown/release/gluon_kernels_wasm_bench.wasm [all|gemm|rnn|tile|rows|none]
//
// Prints the peak probe (same run), GEMM and fused-RNN GFLOP/s (best of 25 runs, since the
// 2-core machines are shared), and `check()`: 0 when real SIMD agrees with the scalar paths.
// `rows`: the batch-1 GEMV kernel alone from each cache level (below).
// `tile`: register tiles alone on L1-resident panels (the crate's, A read two ways, and
// variants: `tile_variant` in src/lib.rs), four rounds each beside the peak probe.
import fs from 'fs';
const {instance} = await WebAssembly.instantiate(fs.readFileSync(process.argv[2]));
const e = instance.exports;
function time(f, reps=25){ f(); let best=1e9; for (let r=0;r<reps;r++){ const t=performance.now(); f(); best=Math.min(best,(performance.now()-t)/1e3);} return best; }
const pi=1_000_000; const tp=time(()=>e.peak(pi)); const peak = pi*96/tp/1e9;
console.log('peak probe GFLOP/s', peak.toFixed(1), ' hoisted-variant', (pi*96/time(()=>e.peak_hoisted(pi))/1e9).toFixed(1));
console.log('wasm check (0 = ok):', e.check());
const what = process.argv[3] || 'all';
// ORDER_KEPT=1: the kernels as the package runs them where V8 keeps a wasm function's order (13.6+).
e.set_order_kept(Number(process.env.ORDER_KEPT ?? 0));
if (what==='all'||what==='gemm') for (const [m,n,k] of [[512,512,512],[1024,1024,1024],[64,2048,512],[256,2048,512],[1,2048,512],[4,2048,512],[1,512,512]]) {
  e.setup(m,n,k);
  const fl = 2*m*n*k; const it = Math.max(1, Math.round(6e7/fl));
  const t1 = time(()=>e.run_sgemm(m,n,k,it)); const t2 = time(()=>e.run_packed(m,n,k,it)); const t3 = time(()=>e.run_sgemm_tb(m,n,k,it));
  console.log(`gemm ${m}x${n}x${k}: sgemm ${(fl*it/t1/1e9).toFixed(1)} GF/s  sgemm(trans_b) ${(fl*it/t3/1e9).toFixed(1)}  packed ${(fl*it/t2/1e9).toFixed(1)}`);
}
if (what==='all'||what==='rnn') for (const [mode,h,n,t,i] of JSON.parse(process.argv[4] || "[[0,512,64,32,512],[0,256,32,32,256],[0,128,16,32,128],[1,512,64,32,512],[1,256,32,32,256],[0,512,1,32,512],[0,256,1,32,256],[0,128,1,32,128],[1,256,1,32,256],[2,256,1,32,256]]")) {
  e.setup_rnn(mode,h,n,t,i); const g=[4,3,1][mode];
  const fl = 2*t*n*g*h*(i+h); const it = Math.max(1, Math.round(6e7/fl));
  const tt = time(()=>e.run_rnn(n,t,it));
  console.log(`${['lstm','gru','rnn'][mode]} H${h} N${n} T${t} I${i}: ${(fl*it/tt/1e9).toFixed(1)} GF/s  ${(tt/it*1e3).toFixed(2)} ms/call`);
}
// `rows`: the batch-1 GEMV kernel alone (a token's weight walk) over weights from L1 to L3 size,
// LSTM's 4 panels and GRU's 3, beside the peak probe: GF/s and GB/s of weights streamed.
if (what==='rows') for (const panels of [4, 3]) for (const [k, blocks] of [[128,1],[256,4],[256,32],[384,32],[256,128]]) {
  const w = panels*8, bytes = k*w*4*blocks, flops = 2*k*w*blocks, passes = Math.max(1, Math.round(4e8/flops));
  const t = time(()=>e.rows_block(k, blocks, panels, passes), 15);
  console.log(`rows ${panels} panels, k ${k} x ${blocks} blocks (${(bytes/1024).toFixed(0)} KB): ${(flops*passes/t/1e9).toFixed(1)} GF/s, ${(bytes*passes/t/1e9).toFixed(1)} GB/s`);
}
if (what==='tile') {
  const names = ['crate tile', 'crate tile, splat rows', '4x8 A packed x4', '4x8 A by lane shuffles', '4x8 k x2', '4x8 k x4', '3x12', '6x8 splat', '5x8 rows 0-2 shuffled', '5x8 rows 0-1 shuffled'];
  for (let round=0; round<4; round++) {
    const passes = 20000;
    const gf = (v) => (passes*e.tile_variant_flops(v))/time(()=>e.tile_variant(v, passes), 15)/1e9;
    const pk = pi*96/time(()=>e.peak(pi), 15)/1e9;
    console.log(`tile GF/s: peak ${pk.toFixed(1)}  ` + names.map((n, v) => `${n} ${gf(v).toFixed(1)}`).join('  '));
  }
}
