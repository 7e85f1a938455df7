//! Fast path vs `reference::sgemm` over a shape table, all transposes, alpha/beta variants.

use super::params::{KC, MC, MR, NC, NR};
use super::*;

/// Deterministic pseudo-random values in [-1, 1).
pub(crate) fn fill(len: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2654435761).wrapping_add(12345);
    (0..len)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        })
        .collect()
}

/// Row-major `rows x k` `a` (`rows <= MR`) as one packed A panel of `k * MR` floats.
fn a_panel(a: &[f32], rows: usize, k: usize) -> Vec<f32> {
    let mut panel = vec![0.0; k * MR];
    if k > 0 {
        let av = MatRef {
            data: a,
            rs: k,
            cs: 1,
        };
        pack_a(av, 0, rows, 0, k, &mut panel);
    }
    panel
}

fn sizes() -> Vec<usize> {
    vec![0, 1, 2, MR - 1, MR, MR + 1, NR - 1, NR + 1, 13, MC + 1]
}

fn close(got: &[f32], want: &[f32], k: usize, what: &str) {
    // Both sum k products of values in [-1, 1]; bound the reordering error by k ulps-ish.
    let tol = 1e-5 * (k as f32 + 1.0);
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * (1.0 + w.abs()),
            "{what}: [{i}] got {g}, want {w}"
        );
    }
}

#[test]
fn sgemm_matches_reference() {
    let ab = [(1.0, 0.0), (0.5, 1.0), (-1.5, 0.25), (0.0, 2.0)];
    for &m in &sizes() {
        for &n in &sizes() {
            for &k in &[0, 1, 3, 9, 70, KC + 1] {
                if k == KC + 1 && (m > 13 || n > 13) {
                    continue; // deep k is about KC slicing; keep the table fast
                }
                for ta in [false, true] {
                    for tb in [false, true] {
                        for &(alpha, beta) in &ab {
                            let (lda, ldb, ldc) = (
                                if ta { m } else { k } + 1,
                                if tb { k } else { n } + 2,
                                n + 3,
                            );
                            let a = fill((if ta { k } else { m }) * lda, 1);
                            let b = fill((if tb { n } else { k }) * ldb, 2);
                            let mut c = fill(m * ldc, 3);
                            if beta == 0.0 {
                                c.iter_mut().step_by(3).for_each(|v| *v = f32::NAN);
                            }
                            let mut want = c.clone();
                            reference::sgemm(
                                ta, tb, m, n, k, alpha, &a, lda, &b, ldb, beta, &mut want, ldc,
                            );
                            sgemm(ta, tb, m, n, k, alpha, &a, lda, &b, ldb, beta, &mut c, ldc);
                            let what = format!("m{m} n{n} k{k} ta{ta} tb{tb} a{alpha} b{beta}");
                            // Padding columns past n must be untouched (compare whole C).
                            for i in 0..m {
                                assert_eq!(
                                    c[i * ldc + n..(i + 1) * ldc]
                                        .iter()
                                        .map(|v| v.to_bits())
                                        .collect::<Vec<_>>(),
                                    want[i * ldc + n..(i + 1) * ldc]
                                        .iter()
                                        .map(|v| v.to_bits())
                                        .collect::<Vec<_>>(),
                                    "{what}: padding changed"
                                );
                            }
                            for i in 0..m {
                                let r = i * ldc..i * ldc + n;
                                close(&c[r.clone()], &want[r], k, &what);
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn packed_matches_reference_and_split_is_bitwise_identical() {
    for &(m, n, k) in &[
        (1, 1, 1),
        (5, 17, 9),
        (13, 70, 300),
        (4, 8, 0),
        (70, 33, 257),
        (MC + 1, NC + 1, KC + 1),
    ] {
        for tb in [false, true] {
            let ldb = if tb { k } else { n };
            let b = fill(n * k, 7);
            let pb = PackedB::new(tb, k, n, &b, ldb);
            assert_eq!((pb.k(), pb.n()), (k, n));
            let a = fill(m * k, 8);
            let c0 = fill(m * n, 9);
            let mut want = c0.clone();
            reference::sgemm(false, tb, m, n, k, 0.75, &a, k, &b, ldb, 0.5, &mut want, n);
            let mut one = c0.clone();
            sgemm_packed(m, 0..n, 0.75, &a, k, &pb, 0.5, &mut one, n);
            close(&one, &want, k, "packed");
            // Unaligned splits (not multiples of NR) must reproduce the single call exactly.
            for cuts in [
                vec![0, 3, n],
                vec![0, n / 2, n / 2 + 5, n],
                vec![0, 1, NR + 1, n],
            ] {
                let mut split = c0.clone();
                for w in cuts.windows(2) {
                    let (lo, hi) = (w[0].min(n), w[1].min(n));
                    sgemm_packed(m, lo..hi.max(lo), 0.75, &a, k, &pb, 0.5, &mut split, n);
                }
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&split), bits(&one), "m{m} n{n} k{k} cuts {cuts:?}");
            }
        }
    }
}

#[test]
fn beta_zero_overwrites_nan_in_packed_path() {
    let (m, n, k) = (5, 9, 4);
    let pb = PackedB::new(false, k, n, &fill(k * n, 1), n);
    let mut c = vec![f32::NAN; m * n];
    sgemm_packed(m, 0..n, 1.0, &fill(m * k, 2), k, &pb, 0.0, &mut c, n);
    assert!(c.iter().all(|v| v.is_finite()));
}

#[test]
#[should_panic(expected = "sgemm: A")]
fn short_a_panics() {
    let mut c = vec![0.0; 4];
    sgemm(
        false, false, 2, 2, 2, 1.0, &[0.0; 3], 2, &[0.0; 4], 2, 0.0, &mut c, 2,
    );
}

/// The wasm layer splits `sgemm` by column blocks (B offset to the block's first column);
/// results must not change by a bit, in both the small-m and the packed paths.
#[test]
fn sgemm_column_split_is_bitwise_identical() {
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for &(m, n, k) in &[(1, 37, 19), (3, 50, 9), (4, 33, 70), (9, 41, 300)] {
        for tb in [false, true] {
            let ldb = if tb { k } else { n };
            let (a, b, c0) = (fill(m * k, 1), fill(n * k, 2), fill(m * n, 3));
            let mut one = c0.clone();
            sgemm(false, tb, m, n, k, 0.5, &a, k, &b, ldb, 0.25, &mut one, n);
            for cut in [8, 13, n / 2] {
                let mut split = c0.clone();
                for (lo, hi) in [(0, cut), (cut, n)] {
                    let w = hi - lo;
                    let mut blk: Vec<f32> = (0..m)
                        .flat_map(|i| c0[i * n + lo..i * n + hi].to_vec())
                        .collect();
                    let b_off = if tb { lo * ldb } else { lo };
                    sgemm(
                        false,
                        tb,
                        m,
                        w,
                        k,
                        0.5,
                        &a,
                        k,
                        &b[b_off..],
                        ldb,
                        0.25,
                        &mut blk,
                        w,
                    );
                    for i in 0..m {
                        split[i * n + lo..i * n + hi].copy_from_slice(&blk[i * w..(i + 1) * w]);
                    }
                }
                assert_eq!(bits(&split), bits(&one), "m{m} n{n} k{k} tb{tb} cut{cut}");
            }
        }
    }
}

/// `tile_rows_block` (1..=MR rows, 1..=4 side-by-side panels) and `tile_full_raw` with a
/// row stride (the RNN step's unit-block rows of `G * NR` floats) against a scalar loop
/// with the kernels' arithmetic (k-order mul then add, then `ab * alpha + c * beta`):
/// bitwise equal on the host; panels alternate between the two destinations.
#[test]
fn block_rows_kernels_match_scalar_reference() {
    use crate::par::RawBuf;
    for &k in &[0usize, 1, 2, MR - 1, MR, MR + 1, NR - 1, NR, NR + 1, 13, 70] {
        for rows in 1..=MR {
            for np in 1..=4 {
                for extra in [0usize, 3] {
                    let rsb = np * NR + extra;
                    for &(alpha, beta) in &[(1.0f32, 0.0f32), (1.0, 1.0), (-1.5, 0.5)] {
                        let a_src = fill(rows * k, 1);
                        let apack = a_panel(&a_src, rows, k);
                        let b = fill(k * rsb, 2);
                        let (ld1, ld2) = (np * NR + 5, NR + 1);
                        let dst = |p: usize| BlockDst {
                            off: if p.is_multiple_of(2) {
                                ld1 + p * NR
                            } else {
                                p * MR * ld2
                            },
                            ldc: if p.is_multiple_of(2) { ld1 } else { ld2 },
                            beta,
                            second: p % 2 == 1,
                        };
                        let dsts: Vec<BlockDst> = (0..np).map(dst).collect();
                        let mut c0 = [fill((MR + 1) * ld1, 3), fill(5 * MR * ld2, 4)];
                        if beta == 0.0 {
                            for c in &mut c0 {
                                c.iter_mut().step_by(3).for_each(|v| *v = f32::NAN);
                            }
                        }
                        let mut want = c0.clone();
                        for (p, d) in dsts.iter().enumerate() {
                            let c = &mut want[d.second as usize];
                            for i in 0..rows {
                                for j in 0..NR {
                                    let mut acc = 0.0f32;
                                    for kk in 0..k {
                                        acc += a_src[i * k + kk] * b[kk * rsb + p * NR + j];
                                    }
                                    let q = &mut c[d.off + i * d.ldc + j];
                                    let ab = acc * alpha;
                                    *q = if beta == 0.0 { ab } else { ab + *q * beta };
                                }
                            }
                        }
                        let what = format!("k {k} rows {rows} np {np} rsb {rsb} beta {beta}");
                        let same = |got: &[Vec<f32>; 2], what: &str| {
                            for (g, w) in got.iter().flatten().zip(want.iter().flatten()) {
                                assert_eq!(g.to_bits(), w.to_bits(), "{what}: {g} vs {w}");
                            }
                        };
                        let mut got = c0.clone();
                        let [g1, g2] = &mut got;
                        // SAFETY: both buffers are exclusively borrowed for the call.
                        unsafe {
                            tile_rows_block(
                                k,
                                alpha,
                                &apack,
                                rows,
                                &b,
                                rsb,
                                &dsts,
                                RawBuf::new(g1),
                                RawBuf::new(g2),
                            )
                        };
                        same(&got, &what);
                        if rows == MR {
                            let mut got = c0.clone();
                            for (p, d) in dsts.iter().enumerate() {
                                let c = RawBuf::new(&mut got[d.second as usize]);
                                let bp = &b[(p * NR).min(b.len())..];
                                // SAFETY: `got` is exclusively borrowed for the call.
                                unsafe {
                                    tile_full_raw(k, alpha, &apack, bp, rsb, beta, c, d.off, d.ldc)
                                };
                            }
                            same(&got, &format!("full tile, {what}"));
                        }
                    }
                }
            }
        }
    }
}

/// The one-step projection (`sgemm_rows_packed_raw`: A packed once, whole B panels) gives the
/// bits of `sgemm_packed` with `beta = 0` over the same columns and stays within the
/// reference's tolerance; k crosses KC, panel ranges start and end anywhere, other columns
/// are left alone.
#[test]
fn rows_packed_matches_packed_bitwise() {
    for rows in 1..=MR {
        for &k in &[0, 1, 3, KC - 1, KC, KC + 1, 2 * KC + 5] {
            for &n in &[1, NR - 1, NR, NR + 1, 5 * NR + 3, 9 * NR] {
                let np = n.div_ceil(NR);
                let (a, b) = (fill(rows * k, 1), fill(k * n, 2));
                let pb = PackedB::new(false, k, n, &b, n);
                let ldc = np * NR + 1;
                let mut want = vec![0.0; rows * ldc];
                sgemm_packed(rows, 0..n, 1.0, &a, k, &pb, 0.0, &mut want, ldc);
                let mut refc = vec![0.0; rows * ldc];
                reference::sgemm(
                    false, false, rows, n, k, 1.0, &a, k, &b, n, 0.0, &mut refc, ldc,
                );
                let xa = a_panel(&a, rows, k);
                for panels in [0..np, 1.min(np)..np, 0..np / 2, np / 2..np] {
                    let mut c = vec![f32::NAN; rows * ldc];
                    // SAFETY: `c` is this test's own buffer.
                    unsafe {
                        sgemm_rows_packed_raw(
                            rows,
                            &xa,
                            &pb,
                            panels.clone(),
                            |_| 0.0,
                            RawBuf::new(&mut c),
                            ldc,
                        )
                    };
                    let what = format!("rows {rows} k {k} n {n} panels {panels:?}");
                    let written = panels.start * NR..panels.end * NR;
                    let cols = written.start..written.end.min(n).max(written.start);
                    for i in 0..rows {
                        for j in cols.clone() {
                            let (g, w) = (c[i * ldc + j], want[i * ldc + j]);
                            assert_eq!(g.to_bits(), w.to_bits(), "{what} [{i}, {j}]");
                        }
                        let at = |v: &[f32]| v[i * ldc..][cols.clone()].to_vec();
                        close(&at(&c), &at(&refc), k, &what);
                        let outside = (0..ldc).filter(|j| !written.contains(j));
                        assert!(
                            outside.map(|j| c[i * ldc + j]).all(f32::is_nan),
                            "{what}: wrote outside its panels"
                        );
                    }
                }
            }
        }
    }
}

/// Within one KC slice, a panel with `beta(jp) = 1` adds onto C exactly as `sgemm_packed`
/// with beta 1 does (the token path adds its projection onto recurrent products computed
/// first), and a panel with beta 0 overwrites.
#[test]
fn rows_packed_beta_per_panel() {
    for rows in 1..=MR {
        for &k in &[0, 1, 3, KC - 1, KC] {
            for &n in &[1, NR - 1, NR + 1, 5 * NR + 3, 9 * NR] {
                let np = n.div_ceil(NR);
                let (a, b) = (fill(rows * k, 3), fill(k * n, 4));
                let pb = PackedB::new(false, k, n, &b, n);
                let ldc = np * NR;
                let c0 = fill(rows * ldc, 5);
                let (mut over, mut add) = (c0.clone(), c0.clone());
                sgemm_packed(rows, 0..n, 1.0, &a, k, &pb, 0.0, &mut over, ldc);
                sgemm_packed(rows, 0..n, 1.0, &a, k, &pb, 1.0, &mut add, ldc);
                let xa = a_panel(&a, rows, k);
                let mut c = c0.clone();
                // SAFETY: `c` is this test's own buffer.
                unsafe {
                    sgemm_rows_packed_raw(
                        rows,
                        &xa,
                        &pb,
                        0..np,
                        |jp| (jp % 2) as f32,
                        RawBuf::new(&mut c),
                        ldc,
                    )
                };
                for i in 0..rows {
                    for j in 0..n {
                        let want = if (j / NR) % 2 == 1 { &add } else { &over };
                        let (g, w) = (c[i * ldc + j], want[i * ldc + j]);
                        assert_eq!(
                            g.to_bits(),
                            w.to_bits(),
                            "rows {rows} k {k} n {n} [{i}, {j}]"
                        );
                    }
                }
            }
        }
    }
}

/// [`micro::tile_f32`]'s signature, to pick one of its instances at run time.
type TileFn = unsafe fn(usize, f32, *const f32, *const f32, usize, f32, *mut f32, usize);

#[test]
fn tile_a_reads_agree_bitwise_and_with_reference() {
    // Both ways of reading A (`micro::set_order_kept`) against the scalar reference, and bit
    // for bit against each other, over depths 0, 1, odd and past KC.
    let bits = |c: &[f32]| c.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for &k in &[0, 1, 2, 7, 64, KC + 1] {
        for &(alpha, beta) in &[(1.0, 0.0), (-0.5, 1.5)] {
            let a = fill(MR * k, 11);
            let b = fill(k * NR, 12);
            let ldc = NR + 3;
            let c0 = fill(MR * ldc, 13);
            let mut want = c0.clone();
            reference::sgemm(
                false, false, MR, NR, k, alpha, &a, k, &b, NR, beta, &mut want, ldc,
            );
            let panel = a_panel(&a, MR, k);
            let run = |tile: TileFn| {
                let mut c = c0.clone();
                // SAFETY: `panel` holds k * MR floats, `b` k rows of NR, `c` MR rows of `ldc`.
                unsafe {
                    tile(
                        k,
                        alpha,
                        panel.as_ptr(),
                        b.as_ptr(),
                        NR,
                        beta,
                        c.as_mut_ptr(),
                        ldc,
                    )
                };
                c
            };
            let splat = run(micro::tile_f32::<true>);
            let what = format!("MR {MR} k {k} alpha {alpha} beta {beta}");
            assert_eq!(
                bits(&splat),
                bits(&run(micro::tile_f32::<false>)),
                "{what}: the two A reads differ"
            );
            close(&splat, &want, k, &what);
        }
    }
}

#[test]
fn one_row_kernels_agree_bitwise_whether_or_not_order_is_kept() {
    // `micro::set_order_kept` drops the 1-row x 4-panel kernels' pinning stores: the same
    // products either way, over depths 0, 1, odd and past KC.
    use micro::{kernel_f32_rows, kernel_f32_rows_block, PanelDst};
    type Dsts = [PanelDst; 4];
    type RowsFn = unsafe fn(usize, usize, f32, *const f32, [*const f32; 4], Dsts);
    type BlockFn = unsafe fn(usize, usize, f32, *const f32, *const f32, Dsts);
    let bits = |c: &[f32]| c.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for &k in &[0, 1, 3, 8, KC + 1] {
        let a = a_panel(&fill(k, 21), 1, k);
        let block = fill(k * 4 * NR, 22); // 4 panels side by side, row stride 4 * NR
        let panels: Vec<Vec<f32>> = (0..4)
            .map(|p| {
                (0..k)
                    .flat_map(|kk| block[kk * 4 * NR + p * NR..][..NR].to_vec())
                    .collect()
            })
            .collect();
        let a_row: Vec<f32> = (0..k).map(|kk| a[kk * MR]).collect();
        let mut want = vec![0.0; 4 * NR];
        let n = 4 * NR;
        reference::sgemm(
            false, false, 1, n, k, 0.5, &a_row, k, &block, n, 0.0, &mut want, n,
        );
        // Runs `f` with destinations for the 4 panels in one row of `c`.
        let run = |f: &dyn Fn(Dsts)| {
            let mut c = vec![f32::NAN; n];
            f(core::array::from_fn(|p| PanelDst {
                c: c[p * NR..].as_mut_ptr(),
                ldc: n,
                beta: 0.0,
            }));
            c
        };
        let bs: [*const f32; 4] = core::array::from_fn(|p| panels[p].as_ptr());
        // SAFETY (both): `a` holds k * MR floats, each panel k rows of NR (the block k rows of
        // 4 * NR), and each destination one row of NR inside `c`.
        let rows = |f: RowsFn| run(&|d| unsafe { f(k, NR, 0.5, a.as_ptr(), bs, d) });
        let blocked = |f: BlockFn| run(&|d| unsafe { f(k, n, 0.5, a.as_ptr(), block.as_ptr(), d) });
        let kept = [
            (
                rows(kernel_f32_rows::<1, 4, true>),
                rows(kernel_f32_rows::<1, 4, false>),
            ),
            (
                blocked(kernel_f32_rows_block::<1, 4, true>),
                blocked(kernel_f32_rows_block::<1, 4, false>),
            ),
        ];
        for (i, (kept, pinned)) in kept.iter().enumerate() {
            let what = format!("k {k} kernel {i}");
            assert_eq!(bits(kept), bits(pinned), "{what}: the two orders differ");
            close(kept, &want, k, &what);
        }
    }
}
