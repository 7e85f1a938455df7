//! wasm-only benchmark and conformance exports for gluon-kernels (not part of the main
//! workspace). Build and run: see the header of `bench.mjs`. Timing harness, not a test.
#![allow(clippy::all)]
use gluon_kernels::gemm::{sgemm, PackedB, sgemm_packed};
fn fill(len: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2654435761).wrapping_add(12345);
    (0..len).map(|_| { s ^= s << 13; s ^= s >> 17; s ^= s << 5; (s >> 8) as f32 / (1u32 << 23) as f32 - 1.0 }).collect()
}
#[no_mangle] pub extern "C" fn peak(iters: usize) -> f32 { gluon_kernels::simd_peak_probe(iters) }
/// The package loader's setting for engines that keep a wasm function's order (`micro::set_order_kept`).
#[no_mangle] pub extern "C" fn set_order_kept(on: u32) { gluon_kernels::gemm::micro::set_order_kept(on != 0) }
use std::cell::RefCell;
type GemmBufs = (Vec<f32>, Vec<f32>, Vec<f32>, Option<PackedB>);
// Per-instance state between the JS calls (no `static mut`, so no unsafe).
thread_local! { static BUF: RefCell<Option<GemmBufs>> = const { RefCell::new(None) }; }
fn with_buf<R>(f: impl FnOnce(&mut GemmBufs) -> R) -> R { BUF.with(|b| f(b.borrow_mut().as_mut().expect("call setup first"))) }
#[no_mangle] pub extern "C" fn setup(m: usize, n: usize, k: usize) {
    BUF.with(|b| *b.borrow_mut() = Some((fill(m*k,1), fill(k*n,2), vec![0.0; m*n], Some(PackedB::new(true, k, n, &fill(k*n,2), k)))));
}
#[no_mangle] pub extern "C" fn run_sgemm(m: usize, n: usize, k: usize, iters: usize) -> f32 {
    with_buf(|(a, b, c, _)| { for _ in 0..iters { sgemm(false, false, m, n, k, 1.0, a, k, b, n, 0.0, c, n); } c[0] })
}
/// Dense-layer form: B stored (n, k), op(B) = B^T.
#[no_mangle] pub extern "C" fn run_sgemm_tb(m: usize, n: usize, k: usize, iters: usize) -> f32 {
    with_buf(|(a, b, c, _)| { for _ in 0..iters { sgemm(false, true, m, n, k, 1.0, a, k, b, k, 0.0, c, n); } c[0] })
}
#[no_mangle] pub extern "C" fn run_packed(m: usize, n: usize, k: usize, iters: usize) -> f32 {
    with_buf(|(a, _, c, pb)| { for _ in 0..iters { sgemm_packed(m, 0..n, 1.0, a, k, pb.as_ref().unwrap(), 0.0, c, n); } c[0] })
}
/// The "hoistable" variant: acc += a*b with loop-invariant a, b (what a hand-written wat
/// loop gives if the engine hoists the multiply).
#[no_mangle] pub extern "C" fn peak_hoisted(iters: usize) -> f32 {
    use gluon_kernels::simd::F32x4;
    let a = F32x4::splat(core::hint::black_box(1e-3)); let b = F32x4::splat(core::hint::black_box(1.0001));
    let mut acc = [F32x4::zero(); 12];
    for _ in 0..iters { for x in acc.iter_mut() { *x = a.mul_add(b, *x); } }
    acc.iter().map(|a| a.to_array().iter().sum::<f32>()).sum()
}
use gluon_kernels::rnn::*;
type RnnBufs = (PackedRnn, Workspace, Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>);
thread_local! { static RNN: RefCell<Option<RnnBufs>> = const { RefCell::new(None) }; }
#[no_mangle] pub extern "C" fn setup_rnn(mode: u32, h: usize, n: usize, t: usize, i: usize) {
    let mode = [Mode::Lstm, Mode::Gru, Mode::RnnTanh][mode as usize];
    let g = mode.gates();
    let spec = RnnSpec { mode, hidden: h, num_layers: 1, bidirectional: false, input_size: i, projection: None, clip: None };
    let (wi, wh, bi, bh) = (fill(g*h*i, 1).iter().map(|x| x * 0.05).collect::<Vec<_>>(), fill(g*h*h, 2).iter().map(|x| x*0.05).collect::<Vec<_>>(), fill(g*h, 3), fill(g*h, 4));
    let p = PackedRnn::new(spec, &RnnParams { dirs: vec![DirParams { i2h_weight: &wi, h2h_weight: &wh, i2h_bias: &bi, h2h_bias: &bh, h2r_weight: None }] }).unwrap();
    RNN.with(|r| *r.borrow_mut() = Some((p, Workspace::new(), fill(t*n*i, 5), vec![0.0; t*n*h], vec![0.0; n*h], vec![0.0; n*h])));
}
#[no_mangle] pub extern "C" fn run_rnn(n: usize, t: usize, iters: usize) -> f32 {
    RNN.with(|r| {
        let mut r = r.borrow_mut();
        let (p, ws, x, out, hn, cn) = r.as_mut().expect("call setup_rnn first");
        let lstm = p.spec().mode == Mode::Lstm;
        for _ in 0..iters { rnn_forward(p, Layout::Tnc, t, n, x, None, None, None, out, hn, if lstm { Some(&mut cn[..]) } else { None }, ws).unwrap(); }
        out[out.len()-1]
    })
}
/// Wasm-side conformance: returns 0 when the real-SIMD paths agree with the scalar ones.
#[no_mangle] pub extern "C" fn check() -> i32 {
    use gluon_kernels::act::*;
    // activations: SIMD lanes vs scalar formula, bitwise (relaxed builds: the lanes fuse the
    // exp's multiply-adds, so within 2 ulp)
    let ulps = if cfg!(target_feature = "relaxed-simd") { 2 } else { 0 };
    let near = |a: f32, b: f32| (a.to_bits() as i64 - b.to_bits() as i64).abs() <= ulps;
    let xs: Vec<f32> = (-100000..100000).map(|i| i as f32 * 1e-3).chain([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.0, 1e-30, 88.0, -88.0, 100.0]).collect();
    let (mut s, mut t) = (xs.clone(), xs.clone());
    sigmoid_slice(&mut s); tanh_slice(&mut t);
    for (i, &x) in xs.iter().enumerate() {
        if !near(s[i], sigmoid(x)) && !(s[i].is_nan() && x.is_nan()) { return (1 << 24) | i as i32; }
        if !near(t[i], tanh(x)) && !(t[i].is_nan() && x.is_nan()) { return (2 << 24) | i as i32; }
    }
    if tanh(-0.0f32).to_bits() != (-0.0f32).to_bits() || t[xs.len()-5].to_bits() != (-0.0f32).to_bits() { return 3; }
    // gemm vs reference
    for &(m, n, k) in &[(1usize, 1usize, 1usize), (5, 17, 9), (13, 70, 300), (70, 33, 257), (3, 40, 7)] {
        for ta in [false, true] { for tb in [false, true] {
            let lda = if ta { m } else { k }; let ldb = if tb { k } else { n };
            let a = fill(m * k, 1); let b = fill(k * n, 2);
            let mut c1 = fill(m * n, 3); let mut c2 = c1.clone();
            gluon_kernels::gemm::sgemm(ta, tb, m, n, k, 0.5, &a, lda, &b, ldb, 0.25, &mut c1, n);
            gluon_kernels::gemm::reference::sgemm(ta, tb, m, n, k, 0.5, &a, lda, &b, ldb, 0.25, &mut c2, n);
            for (x, y) in c1.iter().zip(&c2) { if (x - y).abs() > 1e-4 * (1.0 + y.abs()) { return 4; } }
        }}
    }
    // rnn vs reference
    for mode in [Mode::Lstm, Mode::Gru, Mode::RnnTanh, Mode::RnnRelu] {
        for &(h, l, bi, i, t, n) in &[(17usize, 2usize, true, 5usize, 4usize, 3usize), (33, 1, false, 7, 3, 1), (9, 3, true, 2, 5, 6)] {
            let spec = RnnSpec { mode, hidden: h, num_layers: l, bidirectional: bi, input_size: i, projection: None, clip: None };
            let g = mode.gates(); let d = spec.dirs();
            let store: Vec<[Vec<f32>; 4]> = (0..l * d).map(|j| { let ni = spec.layer_input(j / d); let sc = |v: Vec<f32>, k: usize| v.into_iter().map(|x| x / (k as f32).sqrt()).collect::<Vec<_>>(); [sc(fill(g*h*ni, 10+j as u32), ni), sc(fill(g*h*h, 20+j as u32), h), fill(g*h, 30), fill(g*h, 40)] }).collect();
            let params = RnnParams { dirs: store.iter().map(|s| DirParams { i2h_weight: &s[0], h2h_weight: &s[1], i2h_bias: &s[2], h2h_bias: &s[3], h2r_weight: None }).collect() };
            let p = PackedRnn::new(spec, &params).unwrap();
            let x = fill(t * n * i, 5); let valid: Vec<usize> = (0..n).map(|b| 1 + (b * 7 + 3) % t).collect();
            let (mut o1, mut o2) = (vec![0.0; t*n*d*h], vec![0.0; t*n*d*h]);
            let (mut h1, mut h2) = (vec![0.0; l*d*n*h], vec![0.0; l*d*n*h]);
            let (mut c1, mut c2) = (vec![0.0; l*d*n*h], vec![0.0; l*d*n*h]);
            let lstm = mode == Mode::Lstm;
            rnn_forward(&p, Layout::Ntc, t, n, &x, None, None, Some(&valid), &mut o1, &mut h1, if lstm { Some(&mut c1[..]) } else { None }, &mut Workspace::new()).unwrap();
            reference::rnn_forward::<f32>(&spec, &params, Layout::Ntc, t, n, &x, None, None, Some(&valid), &mut o2, &mut h2, if lstm { Some(&mut c2[..]) } else { None });
            for (a, b) in o1.iter().zip(&o2).chain(h1.iter().zip(&h2)).chain(c1.iter().zip(&c2)) { if (a - b).abs() > 2e-5 * b.abs().max(1.0) { return 5; } }
        }
    }
    0
}
/// Activation throughput: `iters` passes of sigmoid (0) or tanh (1) over `n` floats.
#[no_mangle] pub extern "C" fn run_act(which: u32, n: usize, iters: usize) -> f32 {
    let mut v = fill(n, 9);
    for _ in 0..iters { if which == 0 { gluon_kernels::act::sigmoid_slice(&mut v) } else { gluon_kernels::act::tanh_slice(&mut v) } }
    v[0]
}
/// Register tiles on L1-resident panels of `tile_a::K` steps (docs/performance-log.md,
/// sessions 17-18); `bench.mjs` names them. 0 = the crate's tile as `kernel_f32_tile` runs it
/// by default (FMA builds: 5 rows, rows 0-3 by lane shuffles; plain builds: 4 rows, a
/// `load32_splat` per row), 1 = the crate's tile with a `load32_splat` per row
/// (`micro::set_order_kept`), 2 = 4 x 8 with A packed four times over (plain vector loads),
/// 3 = 4 x 8 from one vector load and lane shuffles, 4 / 5 = 4 x 8 by `load32_splat` with the
/// k loop unrolled 2 / 4 times, 6 = 3 x 12, 7 = 6 x 8 by `load32_splat`, 8 / 9 = 5 x 8 with
/// rows 0-2 / 0-1 by lane shuffles. Returns the tile's sum.
#[no_mangle] pub extern "C" fn tile_variant(variant: u32, passes: usize) -> f32 {
    use gluon_kernels::gemm::{micro::{kernel_f32_tile, tile_f32}, params::{MR, NR}};
    let k = tile_a::K;
    let a = fill(k * 6 + 4, 1);
    let wide: Vec<f32> = a[..k * MR].chunks(MR).flat_map(|s| s[..4].iter().flat_map(|&x| [x; 4])).collect();
    let b = fill(k * 12, 2);
    let mut c = [0.0f32; 6 * 12];
    for _ in 0..passes {
        let ap = core::hint::black_box(a.as_ptr());
        let (bp, cp) = (b.as_ptr(), c.as_mut_ptr());
        // SAFETY: `a` holds k * 6 + 4 floats, `wide` k * 16, `b` k * 12, `c` 6 x 12.
        unsafe { match variant {
            0 => kernel_f32_tile(k, 1.0, ap, bp, NR, 1.0, cp, NR),
            1 => tile_f32::<true>(k, 1.0, ap, bp, NR, 1.0, cp, NR),
            2 => tile_a::four_rows::<true>(k, core::hint::black_box(wide.as_ptr()), 16, bp, cp),
            3 => tile_a::four_rows::<false>(k, ap, MR, bp, cp),
            4 => tile_a::splat::<4, 2>(k, ap, MR, bp, cp),
            5 => tile_a::splat::<4, 4>(k, ap, MR, bp, cp),
            6 => tile_a::three_by_twelve(k, core::hint::black_box(bp), ap, cp),
            7 => tile_a::splat::<6, 1>(k, ap, 6, bp, cp),
            8 => tile_a::mixed5::<3>(k, ap, bp, cp),
            _ => tile_a::mixed5::<2>(k, ap, bp, cp),
        } }
    }
    c.iter().sum()
}
/// Flops of one pass of `tile_variant(variant, ..)`.
#[no_mangle] pub extern "C" fn tile_variant_flops(variant: u32) -> f64 {
    let k = tile_a::K;
    let rows = match variant { 0 | 1 => gluon_kernels::gemm::params::MR, 7 => 6, 8 | 9 => 5, _ => 4 };
    (if variant == 6 { (k * 8 / 9) * 3 * 12 * 2 } else { k * rows * 8 * 2 }) as f64
}
mod tile_a {
    use gluon_kernels::simd::F32x4;
    pub const K: usize = 128;
    /// An R x 8 tile, each row's A value by `load32_splat` (A read with a step of `a_step`
    /// floats), its k loop unrolled `U` times (the crate's 4-row tile at R 4, U 1).
    ///
    /// # Safety
    /// `a` readable for `k * a_step` floats, `b` for `k * 8`, `c` for R x 8 (row stride 12),
    /// `k % U == 0`.
    #[inline(never)]
    pub unsafe fn splat<const R: usize, const U: usize>(k: usize, a: *const f32, a_step: usize, b: *const f32, c: *mut f32) {
        let mut acc = [[F32x4::zero(); 2]; R];
        let (mut a, mut b) = (a, b);
        for _ in 0..k / U {
            for u in 0..U {
                // SAFETY: one k step inside the panels the caller vouched for.
                unsafe {
                    let (b0, b1) = (F32x4::load(b.add(u * 8)), F32x4::load(b.add(u * 8 + 4)));
                    for (i, row) in acc.iter_mut().enumerate() {
                        let ai = F32x4::load_splat(a.add(u * a_step + i));
                        row[0] = ai.mul_add(b0, row[0]);
                        row[1] = ai.mul_add(b1, row[1]);
                    }
                }
            }
            a = a.add(U * a_step);
            b = b.add(U * 8);
        }
        store_add(&acc, c, 12);
    }
    /// A 5 x 8 tile: rows `0..S` from one vector load of A and lane shuffles, the others by
    /// `load32_splat` (A panel with a step of 5 floats, as the crate packs it).
    ///
    /// # Safety
    /// `a` readable for `k * 5 + 3` floats, `b` for `k * 8`, `c` for 5 x 8 (row stride 12).
    #[inline(never)]
    pub unsafe fn mixed5<const S: usize>(k: usize, a: *const f32, b: *const f32, c: *mut f32) {
        let mut acc = [[F32x4::zero(); 2]; 5];
        let (mut a, mut b) = (a, b);
        for _ in 0..k {
            // SAFETY: one k step inside the panels the caller vouched for.
            unsafe {
                let (b0, b1) = (F32x4::load(b), F32x4::load(b.add(4)));
                let a4 = F32x4::load(a);
                let lanes = [a4.splat_lane::<0>(), a4.splat_lane::<1>(), a4.splat_lane::<2>()];
                for (i, row) in acc.iter_mut().enumerate() {
                    let ai = if i < S { lanes[i] } else { F32x4::load_splat(a.add(i)) };
                    row[0] = ai.mul_add(b0, row[0]);
                    row[1] = ai.mul_add(b1, row[1]);
                }
            }
            a = a.add(5);
            b = b.add(8);
        }
        store_add(&acc, c, 12);
    }
    /// A 3 x 12 tile (9 accumulators, 3 B vectors): 18 multiply-adds per 6 loads.
    ///
    /// # Safety
    /// `b` readable for `k * 8 / 9` steps of 12 floats, `a` for `k * 8 / 9 * 3`, `c` for 3 x 12
    /// (row stride 12).
    #[inline(never)]
    pub unsafe fn three_by_twelve(k: usize, b: *const f32, a: *const f32, c: *mut f32) {
        let mut acc = [[F32x4::zero(); 3]; 3];
        let (mut a, mut b) = (a, b);
        // Same flop count as the 4 x 8 variants: k * 4 * 8 = (k * 8 / 9) * 3 * 12.
        for _ in 0..k * 8 / 9 {
            // SAFETY: one k step inside the panels the caller vouched for.
            unsafe {
                let bv = [F32x4::load(b), F32x4::load(b.add(4)), F32x4::load(b.add(8))];
                for (i, row) in acc.iter_mut().enumerate() {
                    let ai = F32x4::load_splat(a.add(i));
                    for (r, bj) in row.iter_mut().zip(bv) { *r = ai.mul_add(bj, *r); }
                }
            }
            a = a.add(3);
            b = b.add(12);
        }
        store_add(&acc, c, 12);
    }
    /// `C += acc` for a tile of `acc.len()` rows, row stride `ldc`.
    unsafe fn store_add<const W: usize>(acc: &[[F32x4; W]], c: *mut f32, ldc: usize) {
        for (i, row) in acc.iter().enumerate() {
            for (h, v) in row.iter().enumerate() {
                // SAFETY: inside the caller's tile.
                unsafe {
                    let p = c.add(i * ldc + h * 4);
                    (F32x4::load(p) + *v).store(p);
                }
            }
        }
    }
    /// `C[0..4, 0..8] += A · B` with the rows' A values from one vector each (`WIDE`: A packed
    /// four times over, `a_step` 16) or from one vector load and lane shuffles (`a_step` MR).
    ///
    /// # Safety
    /// `a` readable for `k * a_step` floats (16 per step when `WIDE`, else 4 used), `b` for
    /// `k * 8`, `c` writable and readable for 4 x 8 (row stride 12).
    #[inline(never)]
    pub unsafe fn four_rows<const WIDE: bool>(k: usize, a: *const f32, a_step: usize, b: *const f32, c: *mut f32) {
        let mut acc = [[F32x4::zero(); 2]; 4];
        let (mut a, mut b) = (a, b);
        for _ in 0..k {
            // SAFETY: inside the panels the caller vouched for (one k step).
            let (b0, b1, rows) = unsafe {
                let rows = if WIDE {
                    [F32x4::load(a), F32x4::load(a.add(4)), F32x4::load(a.add(8)), F32x4::load(a.add(12))]
                } else {
                    let a4 = F32x4::load(a);
                    [a4.splat_lane::<0>(), a4.splat_lane::<1>(), a4.splat_lane::<2>(), a4.splat_lane::<3>()]
                };
                (F32x4::load(b), F32x4::load(b.add(4)), rows)
            };
            for (row, ai) in acc.iter_mut().zip(rows) {
                row[0] = ai.mul_add(b0, row[0]);
                row[1] = ai.mul_add(b1, row[1]);
            }
            a = a.add(a_step);
            b = b.add(8);
        }
        store_add(&acc, c, 12);
    }
}
/// The batch-1 GEMV kernel alone (`kernel_f32_rows_block`, one row against the `panels` (3 or 4)
/// panels of a unit block, as a token's step runs it) over `blocks` blocks of `k` rows, `passes`
/// times: the weights' size picks the cache level they stream from. Returns a sum of the outputs.
#[no_mangle] pub extern "C" fn rows_block(k: usize, blocks: usize, panels: usize, passes: usize) -> f32 {
    use gluon_kernels::gemm::{micro::{kernel_f32_rows_block, order_kept, PanelDst}, params::{MR, NR}};
    let w = panels * NR;
    let a = fill(k * MR, 1);
    let b = fill(k * w * blocks, 2);
    let mut c = vec![0.0f32; w * blocks];
    for _ in 0..passes {
        for blk in 0..blocks {
            let cp = c[blk * w..].as_mut_ptr();
            // SAFETY: panel p's 8 outputs lie in this block's `w` floats of `c`.
            let dst: [PanelDst; 4] = core::array::from_fn(|p| PanelDst { c: unsafe { cp.add(p.min(panels - 1) * NR) }, ldc: w, beta: 0.0 });
            let (ap, bp) = (core::hint::black_box(a.as_ptr()), b[blk * k * w..].as_ptr());
            // SAFETY: `a` holds k * MR floats, block `blk` of `b` k rows of `w` floats.
            unsafe { match (panels, order_kept()) {
                (3, _) => kernel_f32_rows_block::<1, 3, false>(k, w, 1.0, ap, bp, [dst[0], dst[1], dst[2]]),
                (_, true) => kernel_f32_rows_block::<1, 4, true>(k, w, 1.0, ap, bp, dst),
                _ => kernel_f32_rows_block::<1, 4, false>(k, w, 1.0, ap, bp, dst),
            } }
        }
    }
    c.iter().sum()
}
