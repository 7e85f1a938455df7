//! The exported surface of gluon-rnn-wasm (wasm-bindgen). Every export validates its
//! arguments and returns `Err(JsError)` instead of trapping: with `panic = "abort"` a
//! trap would leave the instance unusable, so kernels are only called with checked sizes.

#![cfg_attr(target_feature = "atomics", feature(stdarch_wasm_atomic_wait))]

mod alloc;
mod check;
mod dense;
mod gemm;
#[cfg(feature = "test-hooks")]
mod hooks;
mod info;
mod norm;
mod pool;
mod random;
mod rnn;
mod rnn_train;
mod selftest;
mod split;
mod staging;

pub use alloc::*;
pub use dense::*;
pub use gemm::*;
#[cfg(feature = "test-hooks")]
pub use hooks::*;
pub use info::*;
pub use norm::*;
pub use pool::*;
pub use random::*;
pub use rnn::*;
pub use rnn_train::*;
pub use selftest::*;
