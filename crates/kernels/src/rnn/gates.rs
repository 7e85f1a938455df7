//! Gate layout: the Gluon order along the `G*H` axis of every weight and bias, and the
//! interleaved column order the packed kernels use instead.

use crate::gemm::params::NR;

/// LSTM gate blocks along the 4H axis: input, forget, cell candidate, output.
pub const LSTM_I: usize = 0;
pub const LSTM_F: usize = 1;
pub const LSTM_G: usize = 2;
pub const LSTM_O: usize = 3;

/// GRU gate blocks along the 3H axis: reset, update, new (cuDNN "reset after" variant).
pub const GRU_R: usize = 0;
pub const GRU_Z: usize = 1;
pub const GRU_N: usize = 2;

/// Hidden units per interleaved block: one GEMM panel per gate.
pub const UNITS: usize = NR;

/// Packed gate columns are interleaved by blocks of `UNITS` hidden units:
/// `[gate0 u0..u7, gate1 u0..u7, ..., gate0 u8..u15, ...]`, so one block of `G` adjacent
/// panels holds every gate of 8 units and the nonlinearities can run right after those
/// panels' GEMM, while the data is in L1. Returns the Gluon row (`g * hidden + unit`) of
/// packed column `col`, or `None` for a padding unit (`unit >= hidden`).
pub fn gluon_row(col: usize, gates: usize, hidden: usize) -> Option<usize> {
    let block = col / (gates * UNITS);
    let within = col % (gates * UNITS);
    let (g, unit) = (within / UNITS, block * UNITS + within % UNITS);
    (unit < hidden).then_some(g * hidden + unit)
}

/// Gate index of packed column `col`.
pub fn gate_of(col: usize, gates: usize) -> usize {
    (col % (gates * UNITS)) / UNITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_round_trip() {
        let (g, h) = (4usize, 11usize);
        let hp = h.next_multiple_of(UNITS);
        let mut seen = vec![false; g * h];
        for col in 0..g * hp {
            if let Some(r) = gluon_row(col, g, h) {
                assert!(!seen[r]);
                seen[r] = true;
                assert_eq!(gate_of(col, g), r / h);
            }
        }
        assert!(seen.iter().all(|&s| s));
    }
}
