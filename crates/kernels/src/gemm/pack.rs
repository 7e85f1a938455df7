//! Packing of A and B blocks into the panel layouts the microkernel streams.
//!
//! Operands are addressed through strides so one routine serves all transposes:
//! element (i, p) of op(A) is `a[i * rs + p * cs]`.

use super::params::{MR, NR};

/// A strided read-only matrix view: element (r, c) at `data[r * rs + c * cs]`.
#[derive(Clone, Copy)]
pub struct MatRef<'a> {
    pub data: &'a [f32],
    pub rs: usize,
    pub cs: usize,
}

impl MatRef<'_> {
    #[inline(always)]
    fn at(&self, r: usize, c: usize) -> f32 {
        self.data[r * self.rs + c * self.cs]
    }
}

/// Packs rows `i0..i0+mc`, columns `p0..p0+kc` of `a` into MR-row panels:
/// `dst[panel * kc * MR + p * MR + i]`, rows past `mc` zero-filled.
pub fn pack_a(a: MatRef<'_>, i0: usize, mc: usize, p0: usize, kc: usize, dst: &mut [f32]) {
    let panels = mc.div_ceil(MR);
    let dst = &mut dst[..panels * kc * MR];
    for (ip, panel) in dst.chunks_exact_mut(kc * MR).enumerate() {
        let rows = MR.min(mc - ip * MR);
        for (p, col) in panel.chunks_exact_mut(MR).enumerate() {
            for (i, d) in col.iter_mut().enumerate() {
                *d = if i < rows {
                    a.at(i0 + ip * MR + i, p0 + p)
                } else {
                    0.0
                };
            }
        }
    }
}

/// Packs rows `p0..p0+kc`, columns `j0..j0+nc` of `b` into NR-column panels:
/// `dst[panel * kc * NR + p * NR + j]`, columns past `nc` zero-filled.
pub fn pack_b(b: MatRef<'_>, p0: usize, kc: usize, j0: usize, nc: usize, dst: &mut [f32]) {
    let panels = nc.div_ceil(NR);
    let dst = &mut dst[..panels * kc * NR];
    for (jp, panel) in dst.chunks_exact_mut(kc * NR).enumerate() {
        let cols = NR.min(nc - jp * NR);
        for (p, row) in panel.chunks_exact_mut(NR).enumerate() {
            for (j, d) in row.iter_mut().enumerate() {
                *d = if j < cols {
                    b.at(p0 + p, j0 + jp * NR + j)
                } else {
                    0.0
                };
            }
        }
    }
}
