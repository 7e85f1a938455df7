//! The exported surface of gluon-rnn-wasm (wasm-bindgen). Every export validates its
//! arguments and returns `Err(JsError)` instead of trapping: with `panic = "abort"` a
//! trap would leave the instance unusable, so kernels are only called with checked sizes.

mod check;
mod gemm;
mod info;
mod rnn;
mod selftest;

pub use gemm::*;
pub use info::*;
pub use rnn::*;
pub use selftest::*;
