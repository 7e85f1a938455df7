//! In-wasm comparison of the SIMD kernels against their scalar references. Host
//! `cargo test` runs the kernels with emulated 4-lane vectors; this runs the real
//! SIMD128 code inside the runtime, over the same kind of shape table.

use gluon_kernels::gemm;
use wasm_bindgen::prelude::*;

/// Deterministic values in [-1, 1): tests need no RNG dependency.
fn fill(buf: &mut [f32], seed: u32) {
    let mut s = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    for v in buf.iter_mut() {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        *v = (s as f32 / u32::MAX as f32) * 2.0 - 1.0;
    }
}

/// Runs SGEMM against its reference over sizes {0, 1, tile±1, odd, large}, all four
/// transposes and several alpha/beta; returns the number of cases checked, or an error
/// naming the first case whose relative difference exceeds 1e-5.
#[wasm_bindgen]
pub fn selftest_sgemm() -> Result<u32, JsError> {
    const SIZES: [usize; 10] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 33];
    let mut cases = 0u32;
    let mut seed = 1u32;
    for &m in &SIZES {
        for &n in &[0usize, 1, 7, 8, 9, 17, 31] {
            for &k in &[0usize, 1, 3, 8, 65] {
                for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                    for (alpha, beta) in [(1.0f32, 0.0f32), (0.5, 1.0), (-1.5, 0.25)] {
                        seed += 1;
                        let lda = if ta { m + 1 } else { k + 2 };
                        let ldb = if tb { k + 1 } else { n + 3 };
                        let ldc = n + 1;
                        let mut a = vec![0.0; (if ta { k } else { m }) * lda];
                        let mut b = vec![0.0; (if tb { n } else { k }) * ldb];
                        let mut c = vec![0.0; m * ldc];
                        fill(&mut a, seed);
                        fill(&mut b, seed ^ 0x55);
                        fill(&mut c, seed ^ 0xaa);
                        if beta == 0.0 {
                            c.iter_mut().for_each(|v| *v = f32::NAN);
                        }
                        let mut want = c.clone();
                        gemm::reference::sgemm(
                            ta, tb, m, n, k, alpha, &a, lda, &b, ldb, beta, &mut want, ldc,
                        );
                        gemm::sgemm(ta, tb, m, n, k, alpha, &a, lda, &b, ldb, beta, &mut c, ldc);
                        for i in 0..m {
                            for j in 0..n {
                                let (g, w) = (c[i * ldc + j], want[i * ldc + j]);
                                if (g - w).abs() > 1e-5 * w.abs().max(1.0) {
                                    return Err(JsError::new(&format!(
                                        "sgemm m={m} n={n} k={k} ta={ta} tb={tb} alpha={alpha} beta={beta}: C[{i},{j}] = {g}, reference {w}"
                                    )));
                                }
                            }
                        }
                        cases += 1;
                    }
                }
            }
        }
    }
    Ok(cases)
}
