//! Fallible allocation. On wasm32 a failed allocation aborts (a trap that leaves the instance
//! unusable), and a single buffer over `isize::MAX` bytes (2 GiB there) aborts too; so every
//! buffer whose size a caller chooses is reserved with `try_reserve_exact` and a failure comes
//! back as an error value that starts with [`OUT_OF_MEMORY`].

/// Prefix of every allocation error (the JavaScript layer turns these into `RangeError`s).
pub const OUT_OF_MEMORY: &str = "out of memory";

fn bytes_of(len: usize) -> String {
    match len.checked_mul(4) {
        Some(b) => format!("{b} bytes"),
        None => format!("{len} floats (more than the address space)"),
    }
}

/// The product of `dims`, or an error when it does not fit `usize` (32 bits on wasm32).
pub fn elems(dims: &[usize]) -> Result<usize, String> {
    dims.iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or_else(|| format!("size {dims:?} overflows"))
}

/// Reserves room for `additional` more floats in `v`, or says which buffer could not grow.
pub fn reserve(v: &mut Vec<f32>, additional: usize, what: &str) -> Result<(), String> {
    v.try_reserve_exact(additional).map_err(|_| {
        format!(
            "{OUT_OF_MEMORY}: {what} needs {}",
            bytes_of(v.len().saturating_add(additional))
        )
    })
}

/// A zero-filled vector of `len` floats.
pub fn zeroed(len: usize, what: &str) -> Result<Vec<f32>, String> {
    let mut v = Vec::new();
    reserve(&mut v, len, what)?;
    v.resize(len, 0.0);
    Ok(v)
}

/// Grows `v` to at least `len` floats (never shrinks) and returns the first `len`.
pub fn grow<'a>(v: &'a mut Vec<f32>, len: usize, what: &str) -> Result<&'a mut [f32], String> {
    if v.len() < len {
        reserve(v, len - v.len(), what)?;
        v.resize(len, 0.0);
    }
    Ok(&mut v[..len])
}

/// Floats per cache line: [`Aligned`] buffers start on one.
pub const LINE: usize = 16;

/// Floats from the start of `buf` to its first cache-line boundary (`< LINE`).
fn to_line(buf: &[f32]) -> usize {
    (buf.as_ptr() as usize / 4).wrapping_neg() % LINE
}

/// A zero-filled float buffer whose first element starts a 64-byte cache line. The
/// allocator only promises 8 bytes on wasm32, and a 16-byte SIMD load that straddles two
/// lines costs two: weight streams read from L2 ran 7% slower when misaligned by 8 bytes.
#[derive(Debug, Default)]
pub struct Aligned {
    buf: Vec<f32>,
    off: usize,
    len: usize,
}

impl Aligned {
    /// `len` zeros, the first on a cache-line boundary.
    pub fn zeroed(len: usize, what: &str) -> Result<Self, String> {
        let buf = zeroed(len.saturating_add(LINE - 1), what)?;
        let off = to_line(&buf);
        Ok(Aligned { buf, off, len })
    }

    /// Floats held, padding included (for memory accounting).
    pub fn floats(&self) -> usize {
        self.buf.capacity()
    }
}

/// The first `len` floats of `scratch` from its first cache-line boundary on, growing it as
/// needed (a packing scratch: the kernels' 16-byte loads then never straddle two lines).
pub fn line_aligned(scratch: &mut Vec<f32>, len: usize) -> &mut [f32] {
    let need = len + LINE - 1;
    if scratch.len() < need {
        scratch.resize(need, 0.0);
    }
    let off = to_line(scratch);
    &mut scratch[off..][..len]
}

impl Clone for Aligned {
    /// A copy on a cache line of its own (the allocation, like `Vec::clone`'s, aborts on
    /// failure).
    fn clone(&self) -> Self {
        let mut buf = vec![0.0; self.len + LINE - 1];
        let off = to_line(&buf);
        buf[off..][..self.len].copy_from_slice(self);
        Aligned {
            buf,
            off,
            len: self.len,
        }
    }
}

impl core::ops::Deref for Aligned {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        &self.buf[self.off..][..self.len]
    }
}

impl core::ops::DerefMut for Aligned {
    fn deref_mut(&mut self) -> &mut [f32] {
        &mut self.buf[self.off..][..self.len]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_are_errors_not_aborts() {
        let e = zeroed(usize::MAX / 2, "huge").unwrap_err();
        assert!(e.starts_with(OUT_OF_MEMORY) && e.contains("huge"), "{e}");
        let mut v = vec![1.0f32; 3];
        assert!(grow(&mut v, usize::MAX / 4 + 1, "grown").is_err());
        assert_eq!(v, [1.0; 3], "a failed grow leaves the vector as it was");
        assert_eq!(grow(&mut v, 5, "ok").unwrap(), &[1.0, 1.0, 1.0, 0.0, 0.0]);
        assert!(zeroed(0, "empty").unwrap().is_empty());
    }

    #[test]
    fn aligned_buffers_start_on_a_cache_line() {
        for len in [0, 1, 15, 16, 17, 1000] {
            // Allocations of odd sizes in between move the allocator's next address around.
            let _spacer = vec![0u8; len % 7 + 1];
            let mut a = Aligned::zeroed(len, "test").unwrap();
            assert_eq!(a.len(), len);
            assert_eq!(a.as_ptr() as usize % 64, 0, "len {len}");
            assert!(a.iter().all(|&v| v == 0.0) && a.floats() >= len);
            a.iter_mut().enumerate().for_each(|(i, v)| *v = i as f32);
            assert_eq!(a.clone()[..], a[..]);
            assert_eq!(
                a.clone().as_ptr() as usize % 64,
                0,
                "a clone is aligned too"
            );
        }
        assert!(Aligned::zeroed(usize::MAX / 2, "huge").is_err());
    }

    #[test]
    fn line_aligned_scratch_grows_and_starts_on_a_line() {
        let mut v = Vec::new();
        for len in [0, 1, 17, 300, 5] {
            let s = line_aligned(&mut v, len);
            assert_eq!(s.len(), len);
            assert_eq!(s.as_ptr() as usize % 64, 0, "len {len}");
        }
        assert!(v.len() >= 300, "the scratch keeps its largest size");
    }
}
