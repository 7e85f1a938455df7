//! The uniform fill of `mx.random` (ts/random.ts `fillUniform`): sfc32 draws, and
//! `lo + (hi - lo) * u` with u the 24 high bits of a draw over 2^24, in f64 and rounded to f32
//! once, as JavaScript stores that expression into a Float32Array. The same generator and arithmetic,
//! so the same values: the JavaScript and the wasm fill are interchangeable mid-stream.

/// One sfc32 step over `s = [a, b, c, d]`: returns the drawn 32 bits (ts/random.ts `next32`).
#[inline(always)]
fn next32(s: &mut [u32; 4]) -> u32 {
    let [a, b, c, d] = *s;
    let t = a.wrapping_add(b).wrapping_add(d);
    *s = [
        b ^ (b >> 9),
        c.wrapping_add(c << 3),
        c.rotate_left(21).wrapping_add(t),
        d.wrapping_add(1),
    ];
    t
}

/// Fills `out` with uniform values in `[lo, hi)`, advancing `state` by `out.len()` draws.
pub fn fill_uniform(out: &mut [f32], state: &mut [u32; 4], lo: f64, hi: f64) {
    let w = hi - lo;
    let mut s = *state;
    for o in out.iter_mut() {
        let t = next32(&mut s);
        *o = (lo + w * (f64::from(t >> 8) / 16_777_216.0)) as f32;
    }
    *state = s;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_javascript_stream() {
        // Values and state from ts/random.ts's loop, run in Node from state [1, 2, 3, 2^32 - 16]
        // (d wraps past 2^32 within the draws).
        let mut s = [1, 2, 3, 0xffff_fff0];
        let mut out = [0.0f32; 6];
        fill_uniform(&mut out, &mut s, -0.5, 1.5);
        let want = [
            1.499_999_880_790_710_4,
            -0.5,
            -0.473_632_931_709_289_55,
            1.412_070_751_190_185_5,
            0.743_866_443_634_033_2,
            0.169_542_074_203_491_2,
        ];
        assert_eq!(
            out.map(f32::to_bits),
            want.map(|v: f64| (v as f32).to_bits())
        );
        assert_eq!(
            s,
            [2_805_584_462, 2_298_746_532, 2_789_919_591, 4_294_967_286]
        );
        // Two fills continue one stream.
        let (mut a, mut b) = ([7, 8, 9, 10], [0.0f32; 5]);
        let mut whole = [0.0f32; 5];
        let mut sw = a;
        fill_uniform(&mut whole, &mut sw, 0.0, 1.0);
        fill_uniform(&mut b[..2], &mut a, 0.0, 1.0);
        fill_uniform(&mut b[2..], &mut a, 0.0, 1.0);
        assert_eq!((b, a), (whole, sw));
    }
}
