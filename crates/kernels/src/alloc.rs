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
}
