//! Packing of A and B blocks into the panel layouts the microkernel streams.
//!
//! Operands are addressed through strides so one routine serves all transposes:
//! element (i, p) of op(A) is `a[i * rs + p * cs]`. Unit-stride sources take a fast path
//! that copies contiguous runs (packing B per call is otherwise a visible cost when m is
//! small, e.g. 64 x 2048 x 512).

use super::params::{MR, NR};

/// A strided read-only matrix view: element (r, c) at `data[r * rs + c * cs]`.
#[derive(Clone, Copy)]
pub struct MatRef<'a> {
    pub data: &'a [f32],
    pub rs: usize,
    pub cs: usize,
}

/// Packs `w` consecutive lines of a strided source into `W`-wide interleaved panel rows:
/// `dst[p * W + l] = src(line0 + l, p0 + p)` for `l < w`, zeros for `w <= l < W`.
/// `line_s` / `elem_s` are the strides between lines and between elements of a line.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn pack_panel<const W: usize>(
    data: &[f32],
    line_s: usize,
    elem_s: usize,
    line0: usize,
    w: usize,
    p0: usize,
    kc: usize,
    dst: &mut [f32],
) {
    let dst = &mut dst[..kc * W];
    if w < W {
        dst.fill(0.0);
    }
    if w == 0 || kc == 0 {
        return;
    }
    if line_s == 1 && w == W {
        // A full panel: runs of a constant W, which compile to vector moves (a run of
        // run-time length is a call to memcpy for every element index).
        for (p, row) in dst.chunks_exact_mut(W).enumerate() {
            let src: &[f32; W] = data[line0 + (p0 + p) * elem_s..][..W]
                .try_into()
                .expect("W values");
            row.copy_from_slice(src);
        }
    } else if line_s == 1 {
        // The w lines of one element index are contiguous: copy runs of w.
        for (p, row) in dst.chunks_exact_mut(W).enumerate() {
            row[..w].copy_from_slice(&data[line0 + (p0 + p) * elem_s..][..w]);
        }
    } else if elem_s == 1 && w == W {
        // A full panel of contiguous lines: W read streams, one sequential write stream.
        let lines: [&[f32]; W] = core::array::from_fn(|l| &data[(line0 + l) * line_s + p0..][..kc]);
        for (p, row) in dst.chunks_exact_mut(W).enumerate() {
            for (d, line) in row.iter_mut().zip(&lines) {
                *d = line[p];
            }
        }
    } else if elem_s == 1 {
        // Each line is contiguous: stream it into its lane.
        for l in 0..w {
            let src = &data[(line0 + l) * line_s + p0..][..kc];
            for (row, &v) in dst.chunks_exact_mut(W).zip(src) {
                row[l] = v;
            }
        }
    } else {
        for (p, row) in dst.chunks_exact_mut(W).enumerate() {
            for (l, d) in row[..w].iter_mut().enumerate() {
                *d = data[(line0 + l) * line_s + (p0 + p) * elem_s];
            }
        }
    }
}

/// Writes column `j < n` of a `k`-row matrix stored as blocks of `width` columns, each block
/// row-major (`k` rows of `width` floats: B's packed panels when `width = NR`, the RNN's gate
/// blocks when wider), from `col(j)` (`k` values; `None` leaves the column as it is). One
/// source row is copied with a stride per column, with no index arithmetic per element: the
/// packing runs once, on the way to a first result, in the engine's baseline code.
pub(crate) fn columns_into<'a>(
    dst: &mut [f32],
    k: usize,
    width: usize,
    n: usize,
    col: impl Fn(usize) -> Option<&'a [f32]>,
) {
    for j in 0..n {
        if let Some(src) = col(j) {
            // Block j / width, column j % width: element (q, j) at that + q * width.
            let d = dst[(j / width) * k * width + j % width..]
                .iter_mut()
                .step_by(width);
            d.zip(&src[..k]).for_each(|(d, &v)| *d = v);
        }
    }
}

/// Packs rows `i0..i0+mc`, columns `p0..p0+kc` of `a` into MR-row panels:
/// `dst[panel * kc * MR + p * MR + i]`, rows past `mc` zero-filled.
pub fn pack_a(a: MatRef<'_>, i0: usize, mc: usize, p0: usize, kc: usize, dst: &mut [f32]) {
    let panels = mc.div_ceil(MR);
    for (ip, panel) in dst[..panels * kc * MR]
        .chunks_exact_mut(kc * MR)
        .enumerate()
    {
        let rows = MR.min(mc - ip * MR);
        pack_panel::<MR>(a.data, a.rs, a.cs, i0 + ip * MR, rows, p0, kc, panel);
    }
}

/// Rows of a row-major B packed into every panel of a block at a time (see [`pack_b`]).
const B_ROWS: usize = 8;

/// Packs rows `p0..p0+kc`, columns `j0..j0+nc` of `b` into NR-column panels:
/// `dst[panel * kc * NR + p * NR + j]`, columns past `nc` zero-filled.
pub fn pack_b(b: MatRef<'_>, p0: usize, kc: usize, j0: usize, nc: usize, dst: &mut [f32]) {
    let panels = nc.div_ceil(NR);
    let dst = &mut dst[..panels * kc * NR];
    // Row-major B: one panel's rows are ldb apart, so a panel walked over all kc rows reads
    // 32 bytes per cache line and finds the line evicted when the next panel wants its other
    // half. Eight rows of every panel at a time read each line once (1024 x 1024: 0.40
    // against 1.15 ms in the wasm bench).
    let rows = if b.cs == 1 { B_ROWS } else { kc };
    for r0 in (0..kc).step_by(rows.max(1)) {
        let rb = rows.min(kc - r0);
        for (jp, panel) in dst.chunks_exact_mut(kc * NR).enumerate() {
            let cols = NR.min(nc - jp * NR);
            // Lines of B's panels are its columns: line stride cs, element (row) stride rs.
            let part = &mut panel[r0 * NR..];
            pack_panel::<NR>(b.data, b.cs, b.rs, j0 + jp * NR, cols, p0 + r0, rb, part);
        }
    }
}
