//! The MR x NR register-tile microkernel, written once over `F32x4` (real SIMD on wasm,
//! emulated on the host). Both operands are packed; the tile is always full — partial
//! tiles go through `loops::edge_tile`, which calls this kernel on a scratch tile.

use super::params::{MR, NR};
use crate::simd::F32x4;

/// `C[0..MR, 0..NR] = alpha * (A_panel · B_panel) + beta * C`; with `beta == 0` C is not
/// read (NaNs are overwritten).
///
/// Each C element is reduced in plain k order (one add per k), so the result does not
/// depend on where the tile sits in C.
///
/// # Safety
/// `a` must be readable for `k * MR` f32 (panel layout `a[p * MR + i]`), `b` for `k * NR`
/// (`b[p * NR + j]`), and `c` writable (and readable if `beta != 0`) at
/// `c[i * ldc + j]` for `i < MR`, `j < NR`.
#[inline(always)]
pub unsafe fn kernel_f32_4x8(
    k: usize,
    alpha: f32,
    a: *const f32,
    b: *const f32,
    beta: f32,
    c: *mut f32,
    ldc: usize,
) {
    let mut acc = [[F32x4::zero(); 2]; MR];
    let (mut a, mut b) = (a, b);
    for _ in 0..k {
        // SAFETY: p < k, so the panel reads stay inside the caller's `k * NR` / `k * MR`.
        let (b0, b1) = unsafe { (F32x4::load(b), F32x4::load(b.add(4))) };
        for (i, row) in acc.iter_mut().enumerate() {
            // SAFETY: i < MR inside the current k step of the A panel.
            let ai = unsafe { F32x4::load_splat(a.add(i)) };
            row[0] = ai.mul_add(b0, row[0]);
            row[1] = ai.mul_add(b1, row[1]);
        }
        // SAFETY: advancing by one k step; the last advance points one past the end.
        unsafe {
            a = a.add(MR);
            b = b.add(NR);
        }
    }
    let alpha_v = F32x4::splat(alpha);
    let beta_v = F32x4::splat(beta);
    for (i, row) in acc.iter().enumerate() {
        for (h, &v) in row.iter().enumerate() {
            // SAFETY: i < MR, h * 4 + 3 < NR: inside the tile the caller vouched for.
            unsafe {
                let p = c.add(i * ldc + h * 4);
                let ab = v * alpha_v;
                let out = if beta == 0.0 {
                    ab
                } else {
                    ab + F32x4::load(p) * beta_v
                };
                out.store(p);
            }
        }
    }
}
