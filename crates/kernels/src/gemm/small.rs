//! SGEMM with few rows (`m <= MR`: GEMV-like calls such as a Dense layer on a batch of 1).
//! Packing B would cost more than the arithmetic here (about 1.4 ns per element of B
//! against 0.07 ns per multiply-add), so B is read in place:
//! - op(B) rows contiguous (`!trans_b`): the partial-height kernel with B's row stride;
//! - op(B) columns contiguous (`trans_b`, weights stored `(n, k)`): dot products.
//!
//! The path depends only on `m` and the transposes, and every C element is computed the
//! same way wherever its column falls, so column-split calls agree bitwise.

use super::loops::{tile, tile_rows, RowsDst};
use super::pack::{pack_a, pack_b, MatRef};
use super::params::{MR, NR};
use crate::par::RawBuf;
use crate::simd::F32x4;

/// Handles `1 <= m <= MR`, `n, k >= 1` when one of op(B)'s strides is 1; returns `false`
/// (nothing written) otherwise.
///
/// # Safety
/// `c` must view a live buffer that nothing else reads or writes, in rows `0..m` of columns
/// `0..n`, during the call.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn gemm_small_m(
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: MatRef<'_>,
    b: MatRef<'_>,
    beta: f32,
    c: RawBuf,
    ldc: usize,
    scratch: &mut Vec<f32>,
) -> bool {
    debug_assert!((1..=MR).contains(&m) && n > 0 && k > 0);
    if b.cs == 1 {
        // SAFETY: the caller's window.
        unsafe { rows_in_place(m, n, k, alpha, a, b, beta, c, ldc, scratch) };
        true
    } else if b.rs == 1 {
        // SAFETY: the caller's window.
        unsafe { dots(m, n, k, alpha, a, b, beta, c, ldc, scratch) };
        true
    } else {
        false
    }
}

/// op(B) row p, column j at `b[p * rs + j]`: 8-column panels read with stride `rs`.
///
/// # Safety
/// As [`gemm_small_m`].
#[allow(clippy::too_many_arguments)]
unsafe fn rows_in_place(
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: MatRef<'_>,
    b: MatRef<'_>,
    beta: f32,
    c: RawBuf,
    ldc: usize,
    scratch: &mut Vec<f32>,
) {
    if scratch.len() < k * (MR + NR) {
        scratch.resize(k * (MR + NR), 0.0);
    }
    let (apanel, tail_panel) = scratch.split_at_mut(k * MR);
    pack_a(a, 0, m, 0, k, apanel);
    let full = n / NR;
    for g0 in (0..full).step_by(4) {
        let cnt = 4.min(full - g0);
        let dst = |i: usize| {
            let j = (g0 + i.min(cnt - 1)) * NR;
            RowsDst {
                b_panel: &b.data[j..],
                off: j,
                ldc,
                beta,
                second: false,
            }
        };
        let d = [dst(0), dst(1), dst(2), dst(3)];
        // SAFETY: `c` is exclusively borrowed and not touched during the call.
        unsafe {
            tile_rows(
                k,
                alpha,
                apanel,
                m,
                &d[..cnt],
                b.rs,
                c,
                RawBuf::new(&mut []),
            )
        };
    }
    let rest = n - full * NR;
    if rest > 0 {
        // The last partial panel is packed (k x NR, zero-padded) and finished by `tile`.
        pack_b(b, 0, k, full * NR, rest, &mut tail_panel[..k * NR]);
        // SAFETY: the caller's window.
        unsafe {
            tile(
                k,
                alpha,
                apanel,
                &tail_panel[..k * NR],
                beta,
                c,
                full * NR,
                ldc,
                m,
                0..rest,
            )
        };
    }
}

/// op(B) column j at `b[j * cs..][..k]`: `C[i, j] = dot(A row i, that column)`.
///
/// # Safety
/// As [`gemm_small_m`].
#[allow(clippy::too_many_arguments)]
unsafe fn dots(
    m: usize,
    n: usize,
    k: usize,
    alpha: f32,
    a: MatRef<'_>,
    b: MatRef<'_>,
    beta: f32,
    c: RawBuf,
    ldc: usize,
    scratch: &mut Vec<f32>,
) {
    // A's rows, contiguous.
    if scratch.len() < m * k {
        scratch.resize(m * k, 0.0);
    }
    for i in 0..m {
        for (p, v) in scratch[i * k..(i + 1) * k].iter_mut().enumerate() {
            *v = a.data[i * a.rs + p * a.cs];
        }
    }
    let col = |j: usize| &b.data[j * b.cs..][..k];
    let store = |i: usize, j: usize, s: f32| {
        // SAFETY: element (i, j) of the caller's window (bounds-checked by `slice`).
        let cij = &mut unsafe { c.slice(i * ldc + j, 1) }[0];
        *cij = if beta == 0.0 {
            s * alpha
        } else {
            s * alpha + *cij * beta
        };
    };
    // Four columns at a time share each load of A (their rows stay in L1 across i).
    for j0 in (0..n).step_by(4) {
        let jn = 4.min(n - j0);
        for i in 0..m {
            let arow = &scratch[i * k..(i + 1) * k];
            if jn == 4 {
                let s = dot::<4>(arow, [col(j0), col(j0 + 1), col(j0 + 2), col(j0 + 3)]);
                for (jj, &v) in s.iter().enumerate() {
                    store(i, j0 + jj, v);
                }
            } else {
                for j in j0..j0 + jn {
                    store(i, j, dot::<1>(arow, [col(j)])[0]);
                }
            }
        }
    }
}

/// `J` dot products of `a` with `bs[j]` (all of length `a.len()`). Per product: two 4-lane
/// partial sums over blocks of 8, combined as `((l0 + l1) + (l2 + l3))`, then the tail in
/// order — the same operations for every `J`.
#[inline(always)]
fn dot<const J: usize>(a: &[f32], bs: [&[f32]; J]) -> [f32; J] {
    let k = a.len();
    let k8 = k / 8 * 8;
    let mut acc = [[F32x4::zero(); 2]; J];
    let a8 = &a[..k8];
    let b8: [&[f32]; J] = core::array::from_fn(|j| &bs[j][..k8]);
    for p in (0..k8).step_by(8) {
        let (a0, a1) = (F32x4::from_slice(&a8[p..]), F32x4::from_slice(&a8[p + 4..]));
        for j in 0..J {
            acc[j][0] = a0.mul_add(F32x4::from_slice(&b8[j][p..]), acc[j][0]);
            acc[j][1] = a1.mul_add(F32x4::from_slice(&b8[j][p + 4..]), acc[j][1]);
        }
    }
    core::array::from_fn(|j| {
        let v = (acc[j][0] + acc[j][1]).to_array();
        let mut s = (v[0] + v[1]) + (v[2] + v[3]);
        for p in k8..k {
            s += a[p] * bs[j][p];
        }
        s
    })
}
