use super::PackedDense;
use crate::gemm::tests::fill;
use crate::gemm::{reference, sgemm_packed, PackedB};
use crate::par::{Inline, Threads};

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// `x W^T + b` by the naive reference, then the bias.
fn naive(m: usize, units: usize, k: usize, x: &[f32], w: &[f32], b: Option<&[f32]>) -> Vec<f32> {
    let mut y = vec![0.0; m * units];
    reference::sgemm(
        false, true, m, units, k, 1.0, x, k, w, k, 0.0, &mut y, units,
    );
    if let Some(b) = b {
        for row in y.chunks_exact_mut(units.max(1)) {
            row.iter_mut().zip(b).for_each(|(v, &bj)| *v += bj);
        }
    }
    y
}

/// Rows 0, 1, MR +- 1, odd; depths 0, 1, tile +- 1 and past one KC slice; units around NR.
const ROWS: [usize; 6] = [0, 1, 3, 4, 5, 9];
const DEPTHS: [usize; 7] = [0, 1, 7, 8, 9, 33, 515];
const UNITS: [usize; 5] = [1, 7, 8, 9, 17];

/// The packed product is `sgemm_packed`'s to the bit, plus the bias; close to the naive
/// reference; the same on 1 to 3 threads.
#[test]
fn matches_packed_sgemm_and_reference_on_any_thread_count() {
    for &m in &ROWS {
        for &k in &DEPTHS {
            for &units in &UNITS {
                let (x, w, b) = (fill(m * k, 1), fill(units * k, 2), fill(units, 3));
                for bias in [None, Some(&b[..])] {
                    let what = format!("m {m} k {k} units {units} bias {}", bias.is_some());
                    let mut d = PackedDense::new(units, k, &w, bias).unwrap();
                    let mut y = vec![f32::NAN; m * units];
                    d.forward(m, &x, &mut y, &Inline).unwrap();
                    let mut want = vec![f32::NAN; m * units];
                    let pb = PackedB::new(true, k, units, &w, k);
                    sgemm_packed(m, 0..units, 1.0, &x, k, &pb, 0.0, &mut want, units);
                    if let Some(b) = bias {
                        want.chunks_exact_mut(units)
                            .for_each(|r| r.iter_mut().zip(b).for_each(|(v, &bj)| *v += bj));
                    }
                    assert_eq!(bits(&y), bits(&want), "{what}");
                    let r = naive(m, units, k, &x, &w, bias);
                    for (g, e) in y.iter().zip(&r) {
                        assert!(
                            (g - e).abs() <= 1e-5 * (k as f32 + 1.0) * e.abs().max(1.0),
                            "{what}: {g} vs {e}"
                        );
                    }
                    for threads in [2, 3] {
                        let mut yt = vec![f32::NAN; m * units];
                        d.forward(m, &x, &mut yt, &Threads(threads)).unwrap();
                        assert_eq!(bits(&yt), bits(&y), "{what}, {threads} threads");
                    }
                }
            }
        }
    }
}

/// A row's result does not depend on the batch it is in (each element is reduced in k order
/// by the same kernel), so a decoder's logits for a beam are those of the beam alone.
#[test]
fn a_row_is_the_same_alone_or_in_a_batch() {
    let (units, k, m) = (37, 300, 9);
    let (x, w, b) = (fill(m * k, 4), fill(units * k, 5), fill(units, 6));
    let mut d = PackedDense::new(units, k, &w, Some(&b)).unwrap();
    let mut all = vec![0.0; m * units];
    d.forward(m, &x, &mut all, &Inline).unwrap();
    for r in 0..m {
        let mut one = vec![0.0; units];
        d.forward(1, &x[r * k..(r + 1) * k], &mut one, &Inline)
            .unwrap();
        assert_eq!(
            bits(&one),
            bits(&all[r * units..(r + 1) * units]),
            "row {r}"
        );
    }
}

/// Wrong lengths are errors naming the argument, never panics, and the kernel still works.
#[test]
fn wrong_sizes_are_named_errors() {
    let w = fill(12, 1);
    let e = |r: Result<PackedDense, String>| r.err().unwrap();
    assert!(e(PackedDense::new(3, 5, &w, None))
        .starts_with("weight: expected 3x5 = 15 elements, got 12"));
    assert!(e(PackedDense::new(3, 4, &w, Some(&[1.0; 2])))
        .starts_with("bias: expected 3 elements, got 2"));
    assert!(e(PackedDense::new(usize::MAX, 2, &w, None)).contains("overflows"));
    let mut d = PackedDense::new(3, 4, &w, None).unwrap();
    let mut y = vec![0.0; 6];
    assert!(d
        .forward(2, &[0.0; 7], &mut y, &Inline)
        .unwrap_err()
        .starts_with("x: expected 2x4 elements, got 7"));
    assert!(d
        .forward(2, &[0.0; 8], &mut y[..5], &Inline)
        .unwrap_err()
        .starts_with("out: expected 2x3 elements, got 5"));
    assert!(d
        .forward(usize::MAX, &[], &mut y, &Inline)
        .unwrap_err()
        .contains("overflows"));
    d.forward(2, &[1.0; 8], &mut y, &Inline).unwrap();
    assert_eq!(d.shape(), (3, 4));
}
