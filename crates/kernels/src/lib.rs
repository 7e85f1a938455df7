//! `gluon-kernels`: pure compute for gluon-rnn-wasm (no ABI, no dependencies).
//!
//! Module map:
//! - [`simd`]: the `F32x4` vocabulary (wasm SIMD128 or a portable emulation).
//! - [`act`]: sigmoid / tanh (scalar and `F32x4`, one formula each, documented error).
//! - [`gemm`]: BLIS-style SGEMM, pre-packed B, naive reference.
//! - [`dense`]: `FullyConnected` with its weight packed once.
//! - [`rnn`]: fused RNN/LSTM/GRU stacks and single-step cells, with a scalar reference.
//! - [`norm`]: softmax / log-softmax and layer normalisation over rows, with references.
//! - [`order`]: topk / sort / argsort index orders, replaying libstdc++ as MXNet does.
//! - [`par`]: the fork-join hook (`Parallel`) a thread pool implements.
//! - [`peak`]: synthetic SIMD peak probe for benchmarks.
//! - [`alloc`]: fallible allocation (an error value instead of an abort).
//!
//! Conventions: matrices are row-major with a leading dimension (`lda`, ...); `alpha`/`beta`
//! keep their BLAS meaning (`beta == 0` never reads C). Size mismatches are caller bugs and
//! panic with the name of the operand.

#![deny(unsafe_op_in_unsafe_fn)]

pub mod act;
pub mod alloc;
pub mod dense;
pub mod gemm;
pub mod norm;
pub mod order;
pub mod par;
pub mod peak;
pub mod random;
pub mod rnn;
pub mod simd;

pub use peak::simd_peak_probe;
