// Does this runtime fuse `f32x4.relaxed_madd` (one rounding) or compute a multiply and an add
// (two)? (1 + 2^-13)(1 - 2^-13) - 1 is -2^-26 exactly; rounded twice it is 0. Runs in Node,
// Deno and Bun: `node bench/fused_madd.mjs`, `deno run bench/fused_madd.mjs`, `bun bench/fused_madd.mjs`.
// docs/performance-log.md, session 13: V8 fuses; JavaScriptCore on x86-64 (Bun) does not.

// (func (param f32 f32 f32) (result f32)
//   (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat a) (f32x4.splat b) (f32x4.splat c))))
// biome-ignore format: the bytes grouped by instruction
const body = [
  0x00, 0x20, 0x00, 0xfd, 0x13, 0x20, 0x01, 0xfd, 0x13, 0x20, 0x02, 0xfd, 0x13, 0xfd, 0x85, 0x02, 0xfd, 0x1f, 0x00,
  0x0b,
];
// biome-ignore format: the bytes grouped by section
const bytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7d, 0x7d, 0x7d, 0x01, 0x7d, // type: (f32 f32 f32) -> f32
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f"
  0x0a, body.length + 2, 0x01, body.length, ...body,
]);
const runtime =
  typeof Bun !== 'undefined'
    ? `Bun ${Bun.version}`
    : typeof Deno !== 'undefined'
      ? `Deno ${Deno.version.deno}`
      : `Node ${process.version}`;
if (!WebAssembly.validate(bytes)) {
  console.log(`${runtime}: no relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd)`);
} else {
  const { instance } = await WebAssembly.instantiate(bytes);
  const e = 2 ** -13;
  const r = instance.exports.f(Math.fround(1 + e), Math.fround(1 - e), -1);
  console.log(
    `${runtime}: relaxed_madd ${r === 0 ? 'is a multiply and an add (two roundings)' : 'is fused (one rounding)'}: ${r}`,
  );
}
