//! Fused stack vs the reference over a configuration table; reference f32 vs f64; the
//! numerical anchors of spec section 12; cells; validation errors.

use super::reference::{self, Float};
use super::*;
use crate::gemm::tests::fill;
use crate::par::Threads;

/// Owned parameters for one stack (test helper).
struct Owned {
    spec: RnnSpec,
    dirs: Vec<[Vec<f32>; 5]>,
}

impl Owned {
    fn random(spec: RnnSpec, seed: u32) -> Self {
        let (g, h, hs) = (spec.mode.gates(), spec.hidden, spec.out_size());
        let dirs = (0..spec.num_layers * spec.dirs())
            .map(|i| {
                let ni = spec.layer_input(i / spec.dirs());
                let s = seed + 10 * i as u32;
                let scale = |v: Vec<f32>, k: usize| {
                    v.into_iter()
                        .map(|x| x * 1.5 / (k as f32).sqrt())
                        .collect::<Vec<_>>()
                };
                [
                    scale(fill(g * h * ni, s), ni),
                    scale(fill(g * h * hs, s + 1), hs),
                    fill(g * h, s + 2),
                    fill(g * h, s + 3),
                    spec.projection
                        .map_or(Vec::new(), |p| scale(fill(p * h, s + 4), h)),
                ]
            })
            .collect();
        Owned { spec, dirs }
    }

    fn constant(spec: RnnSpec, w: f32) -> Self {
        let mut o = Owned::random(spec, 1);
        for d in &mut o.dirs {
            for (k, v) in d.iter_mut().enumerate() {
                v.iter_mut()
                    .for_each(|x| *x = if k == 2 || k == 3 { 0.0 } else { w });
            }
        }
        o
    }

    fn params(&self) -> RnnParams<'_> {
        let dirs = self
            .dirs
            .iter()
            .map(|d| DirParams {
                i2h_weight: &d[0],
                h2h_weight: &d[1],
                i2h_bias: &d[2],
                h2h_bias: &d[3],
                h2r_weight: self.spec.projection.map(|_| &d[4][..]),
            })
            .collect();
        RnnParams { dirs }
    }
}

struct Run {
    out: Vec<f32>,
    hn: Vec<f32>,
    cn: Vec<f32>,
}

struct Call<'a> {
    layout: Layout,
    t: usize,
    n: usize,
    x: &'a [f32],
    h0: Option<&'a [f32]>,
    c0: Option<&'a [f32]>,
    valid: Option<&'a [usize]>,
}

fn sizes(s: &RnnSpec, c: &Call) -> (usize, usize, usize) {
    let ld = s.num_layers * s.dirs();
    (
        c.t * c.n * s.dirs() * s.out_size(),
        ld * c.n * s.out_size(),
        ld * c.n * s.hidden,
    )
}

fn run_fast(o: &Owned, c: &Call, ws: &mut Workspace) -> Run {
    let p = PackedRnn::new(o.spec, &o.params()).unwrap();
    let (lo, lh, lc) = sizes(&o.spec, c);
    let mut r = Run {
        out: vec![f32::NAN; lo],
        hn: vec![f32::NAN; lh],
        cn: vec![f32::NAN; lc],
    };
    let cn = (o.spec.mode == Mode::Lstm).then_some(&mut r.cn[..]);
    rnn_forward(
        &p, c.layout, c.t, c.n, c.x, c.h0, c.c0, c.valid, &mut r.out, &mut r.hn, cn, ws,
    )
    .unwrap();
    r
}

fn run_ref<F: Float>(o: &Owned, c: &Call) -> Run {
    let (lo, lh, lc) = sizes(&o.spec, c);
    let mut r = Run {
        out: vec![f32::NAN; lo],
        hn: vec![f32::NAN; lh],
        cn: vec![f32::NAN; lc],
    };
    let cn = (o.spec.mode == Mode::Lstm).then_some(&mut r.cn[..]);
    reference::rnn_forward::<F>(
        &o.spec,
        &o.params(),
        c.layout,
        c.t,
        c.n,
        c.x,
        c.h0,
        c.c0,
        c.valid,
        &mut r.out,
        &mut r.hn,
        cn,
    );
    r
}

fn assert_close(got: &[f32], want: &[f32], rtol: f32, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let ok = (g.is_nan() && w.is_nan()) || (g - w).abs() <= rtol * w.abs().max(1.0);
        assert!(ok, "{what}: [{i}] got {g}, want {w}");
    }
}

fn compare(a: &Run, b: &Run, lstm: bool, rtol: f32, what: &str) {
    assert_close(&a.out, &b.out, rtol, &format!("{what} out"));
    assert_close(&a.hn, &b.hn, rtol, &format!("{what} hn"));
    if lstm {
        assert_close(&a.cn, &b.cn, rtol, &format!("{what} cn"));
    }
}

fn spec(mode: Mode, hidden: usize, layers: usize, bidir: bool, input: usize) -> RnnSpec {
    RnnSpec {
        mode,
        hidden,
        num_layers: layers,
        bidirectional: bidir,
        input_size: input,
        projection: None,
        clip: None,
    }
}

/// (spec, T, N, with states, valid lengths)
fn table() -> Vec<(RnnSpec, usize, usize, bool, bool)> {
    let mut v = Vec::new();
    for mode in [Mode::Lstm, Mode::Gru, Mode::RnnTanh, Mode::RnnRelu] {
        for &(h, layers, bidir, input, t, n) in &[
            (1, 1, false, 1, 1, 1),
            (3, 2, true, 7, 4, 3),
            (17, 1, true, 5, 3, 5),
            (33, 3, false, 2, 2, 1),
            (9, 2, true, 13, 5, 6),
            // batches of two or more row tiles: the threaded path splits them by rows
            (17, 2, true, 5, 3, 9),
            (9, 1, false, 3, 4, 13),
            // 8 and 12 rows: a 5-row tile with tails of 3 and 2 (the FMA builds' tile)
            (9, 2, false, 5, 3, 8),
            (17, 1, true, 4, 2, 12),
            // one-step calls (tokens): the input projection runs inside the step's unit
            // blocks (several blocks, rows below, at and above one row tile)
            (33, 2, true, 7, 1, 1),
            (17, 2, false, 5, 1, 3),
            (40, 1, false, 9, 1, 6),
        ] {
            v.push((spec(mode, h, layers, bidir, input), t, n, n % 2 == 1, false));
            v.push((spec(mode, h, layers, bidir, input), t, n, true, t > 1));
        }
    }
    let mut p = spec(Mode::Lstm, 11, 2, true, 6);
    p.projection = Some(5);
    v.push((p, 4, 3, true, true));
    p.projection = Some(13);
    v.push((p, 3, 5, false, false));
    v.push((p, 1, 2, true, false));
    let mut c = spec(Mode::Lstm, 10, 2, true, 3);
    c.clip = Some(StateClip {
        min: -0.3,
        max: 0.4,
        nan: false,
    });
    v.push((c, 5, 3, true, true));
    c.projection = Some(4);
    v.push((c, 5, 3, true, false));
    v.push((c, 4, 11, true, true));
    v
}

fn lengths(t: usize, n: usize) -> Vec<usize> {
    (0..n).map(|b| 1 + (b * 7 + 3) % t).collect()
}

#[test]
fn fused_matches_reference() {
    let mut ws = Workspace::new();
    for (i, (s, t, n, states, varlen)) in table().into_iter().enumerate() {
        let o = Owned::random(s, 100 + i as u32);
        let x = fill(t * n * s.input_size, 7 + i as u32);
        let ld = s.num_layers * s.dirs();
        let h0 = fill(ld * n * s.out_size(), 8);
        let c0 = fill(ld * n * s.hidden, 9);
        let v = lengths(t, n);
        for layout in [Layout::Tnc, Layout::Ntc] {
            let call = Call {
                layout,
                t,
                n,
                x: &x,
                h0: states.then_some(&h0[..]),
                c0: (states && s.mode == Mode::Lstm).then_some(&c0[..]),
                valid: varlen.then_some(&v[..]),
            };
            let what = format!("{s:?} T{t} N{n} states{states} varlen{varlen} {layout:?}");
            let fast = run_fast(&o, &call, &mut ws);
            let slow = run_ref::<f32>(&o, &call);
            compare(&fast, &slow, s.mode == Mode::Lstm, 2e-5, &what);
            if varlen {
                // Padded steps output exact zeros.
                let w = s.dirs() * s.out_size();
                for (b, &len) in v.iter().enumerate() {
                    for tt in len..t {
                        let off = match layout {
                            Layout::Tnc => (tt * n + b) * w,
                            Layout::Ntc => (b * t + tt) * w,
                        };
                        assert!(
                            fast.out[off..off + w].iter().all(|&y| y == 0.0),
                            "{what}: padding"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn reference_f32_matches_f64() {
    for (i, (s, t, n, states, varlen)) in table().into_iter().enumerate() {
        let o = Owned::random(s, 100 + i as u32);
        let x = fill(t * n * s.input_size, 7 + i as u32);
        let ld = s.num_layers * s.dirs();
        let (h0, c0, v) = (
            fill(ld * n * s.out_size(), 8),
            fill(ld * n * s.hidden, 9),
            lengths(t, n),
        );
        let call = Call {
            layout: Layout::Tnc,
            t,
            n,
            x: &x,
            h0: states.then_some(&h0[..]),
            c0: (states && s.mode == Mode::Lstm).then_some(&c0[..]),
            valid: varlen.then_some(&v[..]),
        };
        let a = run_ref::<f32>(&o, &call);
        let b = run_ref::<f64>(&o, &call);
        compare(&a, &b, s.mode == Mode::Lstm, 1e-5, &format!("{s:?}"));
    }
}

#[test]
fn workspace_reuse_is_stable_and_does_not_grow() {
    let s = spec(Mode::Lstm, 17, 2, true, 5);
    let o = Owned::random(s, 3);
    let x = fill(4 * 3 * 5, 1);
    let call = Call {
        layout: Layout::Ntc,
        t: 4,
        n: 3,
        x: &x,
        h0: None,
        c0: None,
        valid: None,
    };
    let mut ws = Workspace::new();
    let a = run_fast(&o, &call, &mut ws);
    let cap = ws.capacity();
    let b = run_fast(&o, &call, &mut ws);
    assert_eq!(ws.capacity(), cap);
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.out), bits(&b.out));
    assert_eq!(bits(&a.hn), bits(&b.hn));
}

/// Empty sequences and empty batches in both layouts (an NTC input with T = 0 once panicked in
/// its transposition, a token of an empty batch in its projection): outputs are empty and the
/// final states are the initial ones.
#[test]
fn zero_sizes_in_both_layouts() {
    for mode in [Mode::RnnTanh, Mode::Lstm, Mode::Gru] {
        let s = spec(mode, 9, 2, true, 3);
        let o = Owned::random(s, 5);
        for layout in [Layout::Ntc, Layout::Tnc] {
            for (t, n) in [(0, 3), (4, 0), (1, 0), (0, 0)] {
                let ld = s.num_layers * s.dirs();
                let h0 = fill(ld * n * s.out_size(), 7);
                let c0 = fill(ld * n * s.hidden, 8);
                let lstm = mode == Mode::Lstm;
                let call = Call {
                    layout,
                    t,
                    n,
                    x: &[],
                    h0: Some(&h0),
                    c0: lstm.then_some(&c0[..]),
                    valid: None,
                };
                let r = run_fast(&o, &call, &mut Workspace::new());
                assert!(r.out.is_empty());
                if t == 0 {
                    assert_eq!(r.hn, h0, "{mode:?} {layout:?}");
                    if lstm {
                        assert_eq!(r.cn, c0);
                    }
                }
            }
        }
    }
}

/// Spec section 12: weights 1, biases 0, input ones, T=2, N=2, C=2, bidirectional.
/// (Values copied verbatim from the spec, hence more digits than f32 holds.)
#[test]
#[allow(clippy::excessive_precision)]
fn numerical_anchors() {
    let cases: [(Mode, usize, [f32; 4]); 4] = [
        (
            Mode::Lstm,
            6,
            [0.720_456_36, 0.720_456_36, 0.952_152_13, 0.952_152_13],
        ),
        (
            Mode::Gru,
            6,
            [0.201_975_24, 0.201_975_24, 0.329_655_61, 0.329_655_61],
        ),
        (
            Mode::RnnTanh,
            6,
            [0.999_327_46, 0.999_327_46, 0.999_987_64, 0.999_987_64],
        ),
        (Mode::RnnRelu, 2, [16.0, 16.0, 48.0, 48.0]),
    ];
    let mut ws = Workspace::new();
    for (mode, layers, t0) in cases {
        let o = Owned::constant(spec(mode, 2, layers, true, 2), 1.0);
        let x = vec![1.0; 8];
        let call = Call {
            layout: Layout::Tnc,
            t: 2,
            n: 2,
            x: &x,
            h0: None,
            c0: None,
            valid: None,
        };
        let t1 = [t0[2], t0[3], t0[0], t0[1]];
        let want: Vec<f32> = [t0, t0, t1, t1].concat();
        for r in [run_fast(&o, &call, &mut ws), run_ref::<f64>(&o, &call)] {
            assert_close(&r.out, &want, 1e-5, &format!("{mode:?} anchor"));
        }
    }
}

#[test]
fn clip_nan_handling() {
    for nan in [false, true] {
        let mut s = spec(Mode::Lstm, 5, 1, true, 3);
        s.clip = Some(StateClip {
            min: -0.5,
            max: 0.5,
            nan,
        });
        let o = Owned::random(s, 5);
        let mut x = fill(3 * 2 * 3, 2);
        x[4] = f32::NAN; // sample 1 at t = 0
        let call = Call {
            layout: Layout::Tnc,
            t: 3,
            n: 2,
            x: &x,
            h0: None,
            c0: None,
            valid: None,
        };
        let (a, b) = (
            run_fast(&o, &call, &mut Workspace::new()),
            run_ref::<f32>(&o, &call),
        );
        compare(&a, &b, true, 2e-5, "clip");
        let c1 = &a.cn[5..10]; // forward direction, sample 1
        assert!(
            c1.iter().all(|&c| if nan { c == -0.5 } else { c.is_nan() }),
            "{c1:?}"
        );
        assert!(a.cn[..5].iter().all(|c| (-0.5..=0.5).contains(c)));
    }
}

#[test]
fn cells_match_one_step_reference() {
    let mut ws = Workspace::new();
    for mode in [Mode::Lstm, Mode::Gru, Mode::RnnTanh, Mode::RnnRelu] {
        for &(h, i, n) in &[(1, 1, 1), (17, 5, 3), (33, 9, 6)] {
            let s = spec(mode, h, 1, false, i);
            let o = Owned::random(s, 11);
            let d = &o.dirs[0];
            let cell = PackedCell::new(mode, h, i, &d[0], &d[1], &d[2], &d[3]).unwrap();
            assert_eq!(cell.shape(), (mode, h, i));
            let (x, h0, c0) = (fill(n * i, 1), fill(n * h, 2), fill(n * h, 3));
            let lstm = mode == Mode::Lstm;
            let (mut ho, mut co) = (vec![0.0; n * h], vec![0.0; n * h]);
            let c_in = lstm.then_some(&c0[..]);
            cell_step(
                &cell,
                n,
                &x,
                &h0,
                c_in,
                &mut ho,
                lstm.then_some(&mut co[..]),
                &mut ws,
            )
            .unwrap();
            let call = Call {
                layout: Layout::Tnc,
                t: 1,
                n,
                x: &x,
                h0: Some(&h0),
                c0: c_in,
                valid: None,
            };
            let r = run_ref::<f32>(&o, &call);
            assert_close(&ho, &r.out, 2e-5, "cell h");
            if lstm {
                assert_close(&co, &r.cn, 2e-5, "cell c");
            }
        }
    }
}

#[test]
fn validation_errors() {
    let s = spec(Mode::Lstm, 4, 1, false, 3);
    let o = Owned::random(s, 1);
    let mut p = o.params();
    p.dirs[0].h2h_bias = &o.dirs[0][3][..3];
    let e = PackedRnn::new(s, &p).unwrap_err();
    assert!(e.contains("l0_h2h_bias"), "{e}");
    let mut bad = s;
    bad.mode = Mode::Gru;
    bad.projection = Some(2);
    assert!(PackedRnn::new(bad, &o.params()).is_err());
    let pk = PackedRnn::new(s, &o.params()).unwrap();
    let mut ws = Workspace::new();
    let (x, mut out, mut hn) = (vec![0.0; 2 * 3], vec![0.0; 2 * 4], vec![0.0; 4]);
    let e = rnn_forward(
        &pk,
        Layout::Tnc,
        2,
        1,
        &x,
        None,
        None,
        Some(&[3]),
        &mut out,
        &mut hn,
        None,
        &mut ws,
    )
    .unwrap_err();
    assert!(e.contains("sequence_length"), "{e}");
    let e = rnn_forward(
        &pk,
        Layout::Tnc,
        2,
        1,
        &x[..5],
        None,
        None,
        None,
        &mut out,
        &mut hn,
        None,
        &mut ws,
    )
    .unwrap_err();
    assert!(e.contains("input"), "{e}");
    // T = 0 and N = 0 are empty calls; states pass through.
    let h0 = [0.5; 4];
    rnn_forward(
        &pk,
        Layout::Tnc,
        0,
        1,
        &[],
        Some(&h0),
        None,
        None,
        &mut [],
        &mut hn,
        None,
        &mut ws,
    )
    .unwrap();
    assert_eq!(hn, h0);
    rnn_forward(
        &pk,
        Layout::Ntc,
        3,
        0,
        &[],
        None,
        None,
        None,
        &mut [],
        &mut [],
        None,
        &mut ws,
    )
    .unwrap();
}

#[test]
fn nan_inputs_follow_mxnet() {
    // relu(NaN) = 0 (MXNet: x > 0 ? x : 0); tanh/GRU/LSTM propagate NaN.
    for mode in [Mode::RnnRelu, Mode::RnnTanh, Mode::Gru, Mode::Lstm] {
        let s = spec(mode, 6, 2, true, 3);
        let o = Owned::random(s, 4);
        let mut x = fill(2 * 3 * 3, 6);
        x[3] = f32::NAN; // t = 0, sample 1
        let call = Call {
            layout: Layout::Tnc,
            t: 2,
            n: 3,
            x: &x,
            h0: None,
            c0: None,
            valid: None,
        };
        let (a, b) = (
            run_fast(&o, &call, &mut Workspace::new()),
            run_ref::<f32>(&o, &call),
        );
        compare(&a, &b, mode == Mode::Lstm, 2e-5, &format!("{mode:?} NaN"));
        let w = 2 * 6;
        let sample1 = &a.out[w..2 * w];
        let relu = mode == Mode::RnnRelu;
        // relu turns the NaN into 0, so nothing downstream is NaN; the others carry it on.
        let ok = if relu {
            a.out.iter().all(|v| !v.is_nan())
        } else {
            sample1.iter().all(|v| v.is_nan())
        };
        assert!(ok, "{mode:?} {sample1:?}");
    }
}

#[test]
fn parallel_is_bitwise_identical_to_serial() {
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (i, (s, t, n, states, varlen)) in table().into_iter().enumerate() {
        let o = Owned::random(s, 300 + i as u32);
        let p = PackedRnn::new(s, &o.params()).unwrap();
        let x = fill(t * n * s.input_size, 3);
        let ld = s.num_layers * s.dirs();
        let (h0, c0, v) = (
            fill(ld * n * s.out_size(), 8),
            fill(ld * n * s.hidden, 9),
            lengths(t, n),
        );
        let lstm = s.mode == Mode::Lstm;
        let (h0, c0) = (
            states.then_some(&h0[..]),
            (states && lstm).then_some(&c0[..]),
        );
        let valid = varlen.then_some(&v[..]);
        let call = Call {
            layout: Layout::Ntc,
            t,
            n,
            x: &x,
            h0,
            c0,
            valid,
        };
        let serial = run_fast(&o, &call, &mut Workspace::new());
        for threads in [2, 3, 5] {
            let (lo, lh, lc) = sizes(&s, &call);
            let (mut out, mut hn, mut cn) = (vec![0.0; lo], vec![0.0; lh], vec![0.0; lc]);
            let cnr = lstm.then_some(&mut cn[..]);
            let mut ws = Workspace::new();
            rnn_forward_par(
                &p,
                Layout::Ntc,
                t,
                n,
                &x,
                h0,
                c0,
                valid,
                &mut out,
                &mut hn,
                cnr,
                &mut ws,
                &Threads(threads),
            )
            .unwrap();
            let what = format!("{s:?} threads {threads}");
            assert_eq!(bits(&out), bits(&serial.out), "{what} out");
            assert_eq!(bits(&hn), bits(&serial.hn), "{what} hn");
            if lstm {
                assert_eq!(bits(&cn), bits(&serial.cn), "{what} cn");
            }
        }
    }
}

/// A batch too thin for two row tiles per part splits each step by units once a step has
/// enough work (`plan`), and gives bitwise the serial result.
#[test]
fn thin_batches_split_steps_by_units() {
    use super::sequence::{plan, Split};
    use crate::gemm::params::MR;
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let pool = Threads(2);
    // H 256: a step multiplies G * 256 gate columns by 256 recurrent inputs per row.
    let split = |g: usize, n: usize| plan(&pool, 4, n, g * 256, 256, 256);
    assert!(
        matches!(split(4, 3 * MR), Split::Units(2)),
        "LSTM, 3 row tiles"
    );
    assert!(
        matches!(split(4, 4 * MR), Split::Rows(2)),
        "LSTM, 4 row tiles"
    );
    assert!(
        matches!(split(1, 3 * MR), Split::Rows(2)),
        "one-gate step: too little work"
    );
    for mode in [Mode::Lstm, Mode::Gru] {
        let s = spec(mode, 256, 1, false, 3);
        let o = Owned::random(s, 7);
        let p = PackedRnn::new(s, &o.params()).unwrap();
        let (t, n) = (2, 3 * MR);
        let x = fill(t * n * 3, 3);
        let (h0, c0, v) = (fill(n * 256, 8), fill(n * 256, 9), lengths(t, n));
        let lstm = mode == Mode::Lstm;
        let call = Call {
            layout: Layout::Tnc,
            t,
            n,
            x: &x,
            h0: Some(&h0),
            c0: lstm.then_some(&c0[..]),
            valid: Some(&v),
        };
        let serial = run_fast(&o, &call, &mut Workspace::new());
        let (lo, lh, lc) = sizes(&s, &call);
        let (mut out, mut hn, mut cn) = (vec![0.0; lo], vec![0.0; lh], vec![0.0; lc]);
        let cnr = lstm.then_some(&mut cn[..]);
        rnn_forward_par(
            &p,
            Layout::Tnc,
            t,
            n,
            &x,
            call.h0,
            call.c0,
            call.valid,
            &mut out,
            &mut hn,
            cnr,
            &mut Workspace::new(),
            &pool,
        )
        .unwrap();
        assert_eq!(bits(&out), bits(&serial.out), "{mode:?} out");
        assert_eq!(bits(&hn), bits(&serial.hn), "{mode:?} hn");
        if lstm {
            assert_eq!(bits(&cn), bits(&serial.cn), "{mode:?} cn");
        }
    }
}

/// Small enough for `cargo +nightly miri test miri_smoke`, which checks the unsafe code
/// (raw tile writers, `RawBuf` parts, packing) for undefined behaviour.
#[test]
fn miri_smoke() {
    // All transposes, through the packed (m = 5) and the small-m (3, 1) paths.
    for (ta, tb, m) in (0..12).map(|i| (i % 2 == 1, i / 2 % 2 == 1, [5, 3, 1][i / 4])) {
        let (n, k) = (19, 3);
        let (a, b, mut c) = (fill(m * k, 1), fill(k * n, 2), fill(m * n, 3));
        let mut want = c.clone();
        let (lda, ldb) = (if ta { m } else { k }, if tb { k } else { n });
        crate::gemm::sgemm(ta, tb, m, n, k, 0.5, &a, lda, &b, ldb, 1.0, &mut c, n);
        crate::gemm::reference::sgemm(ta, tb, m, n, k, 0.5, &a, lda, &b, ldb, 1.0, &mut want, n);
        assert_close(&c, &want, 1e-5, "miri sgemm");
    }
    for (mode, proj) in [(Mode::Lstm, Some(3)), (Mode::Gru, None)] {
        let mut s = spec(mode, 9, 2, true, 2);
        s.projection = proj;
        let o = Owned::random(s, 1);
        let x = fill(2 * 5 * 2, 4);
        let v = [2, 1, 2, 2, 1];
        let call = Call {
            layout: Layout::Ntc,
            t: 2,
            n: 5,
            x: &x,
            h0: None,
            c0: None,
            valid: Some(&v),
        };
        let (a, b) = (
            run_fast(&o, &call, &mut Workspace::new()),
            run_ref::<f32>(&o, &call),
        );
        compare(&a, &b, mode == Mode::Lstm, 2e-5, "miri rnn");
        let p = PackedRnn::new(s, &o.params()).unwrap();
        let (lo, lh, lc) = sizes(&s, &call);
        let (mut out, mut hn, mut cn) = (vec![0.0; lo], vec![0.0; lh], vec![0.0; lc]);
        let cnr = (mode == Mode::Lstm).then_some(&mut cn[..]);
        rnn_forward_par(
            &p,
            Layout::Ntc,
            2,
            5,
            &x,
            None,
            None,
            Some(&v),
            &mut out,
            &mut hn,
            cnr,
            &mut Workspace::new(),
            &Threads(2),
        )
        .unwrap();
        assert_close(&out, &a.out, 0.0, "miri par");
    }
}

/// A one-step call (a token; batches of 1-3 rows project their input panel by panel) gives
/// the bits of the first step of a longer call from the same states, serial and threaded,
/// with inputs deep enough to cross the projection's KC slices. Unidirectional: a backward
/// direction's first step is the sequence's last.
#[test]
fn one_step_matches_first_step_of_a_sequence() {
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for mode in [Mode::Lstm, Mode::Gru, Mode::RnnTanh, Mode::RnnRelu] {
        for &(h, input) in &[(1, 1), (9, 7), (40, 3), (17, 530)] {
            let s = spec(mode, h, 2, false, input);
            let o = Owned::random(s, 21);
            let p = PackedRnn::new(s, &o.params()).unwrap();
            let lstm = mode == Mode::Lstm;
            for n in 1..=5 {
                let (h0, c0) = (fill(2 * n * h, 6), fill(2 * n * h, 7));
                let x = fill(2 * n * input, 5);
                for threads in [1, 2] {
                    let run = |t: usize| {
                        let mut out = vec![f32::NAN; t * n * h];
                        let (mut hn, mut cn) = (vec![0.0; 2 * n * h], vec![0.0; 2 * n * h]);
                        rnn_forward_par(
                            &p,
                            Layout::Tnc,
                            t,
                            n,
                            &x[..t * n * input],
                            Some(&h0),
                            lstm.then_some(&c0[..]),
                            None,
                            &mut out,
                            &mut hn,
                            lstm.then_some(&mut cn[..]),
                            &mut Workspace::new(),
                            &Threads(threads),
                        )
                        .unwrap();
                        out
                    };
                    let (one, two) = (run(1), run(2));
                    let what = format!("{mode:?} H{h} I{input} N{n} threads {threads}");
                    assert_eq!(bits(&one), bits(&two[..n * h]), "{what}");
                }
            }
        }
    }
}

/// Consecutive tokens on one workspace alternate between the plain walk and the mirrored one
/// (recurrent products first, `token.rs`): both give the same bits, outputs and final
/// states, for every mode, stacks and directions, batch 1-3, given or zero initial states,
/// on one thread and split over two (the same bits as one), and cell steps too; shapes that
/// cannot mirror (batch MR+, input deeper than KC) never flip.
#[test]
fn mirrored_token_matches_the_plain_walk() {
    use crate::gemm::params::{KC, MR};
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for mode in [Mode::Lstm, Mode::Gru, Mode::RnnTanh, Mode::RnnRelu] {
        for &(h, input, layers, bidir) in &[
            (1, 1, 1, false),
            (9, 7, 2, true),
            (40, 3, 3, false),
            (17, KC, 2, false),
            (17, KC + 1, 1, false),
        ] {
            let s = spec(mode, h, layers, bidir, input);
            let o = Owned::random(s, 31);
            let p = PackedRnn::new(s, &o.params()).unwrap();
            let (lstm, ld, d) = (mode == Mode::Lstm, layers * s.dirs(), s.dirs());
            for n in 1..=5 {
                let (h0, c0, x) = (fill(ld * n * h, 2), fill(ld * n * h, 3), fill(n * input, 4));
                let mut one_thread = None;
                for (threads, given) in [(1, true), (1, false), (2, true)] {
                    let mut ws = Workspace::new();
                    let run = |ws: &mut Workspace| {
                        let mut out = vec![f32::NAN; n * d * h];
                        let (mut hn, mut cn) = (vec![0.0; ld * n * h], vec![0.0; ld * n * h]);
                        rnn_forward_par(
                            &p,
                            Layout::Tnc,
                            1,
                            n,
                            &x,
                            given.then_some(&h0[..]),
                            (lstm && given).then_some(&c0[..]),
                            None,
                            &mut out,
                            &mut hn,
                            lstm.then_some(&mut cn[..]),
                            ws,
                            &Threads(threads),
                        )
                        .unwrap();
                        (bits(&out), bits(&hn), bits(&cn), ws.token.odd)
                    };
                    let what =
                        format!("{mode:?} H{h} I{input} L{layers} {bidir} N{n} t{threads} {given}");
                    let (a, b, c) = (run(&mut ws), run(&mut ws), run(&mut ws));
                    let can = n < MR && input <= KC;
                    assert_eq!((a.3, b.3, c.3), (can, false, can), "{what}: walks");
                    let (a, b, c) = ((a.0, a.1, a.2), (b.0, b.1, b.2), (c.0, c.1, c.2));
                    assert!(a == b && b == c, "{what}");
                    if given {
                        let first = one_thread.get_or_insert_with(|| a.clone());
                        assert!(*first == a, "{what}: two threads against one");
                    }
                    if layers == 1 && !bidir && given {
                        // A cell step takes the same two walks, to the same bits.
                        let d = &o.dirs[0];
                        let cell =
                            PackedCell::new(mode, h, input, &d[0], &d[1], &d[2], &d[3]).unwrap();
                        let mut ws = Workspace::new();
                        let mut step = || {
                            let (mut ho, mut co) = (vec![0.0; n * h], vec![0.0; n * h]);
                            let c_in = lstm.then_some(&c0[..]);
                            let c_out = lstm.then_some(&mut co[..]);
                            cell_step(&cell, n, &x, &h0, c_in, &mut ho, c_out, &mut ws).unwrap();
                            (bits(&ho), if lstm { bits(&co) } else { bits(&[]) })
                        };
                        let (one, two) = (step(), step());
                        assert_eq!(one, two, "{what}: cell");
                        assert_eq!(
                            one,
                            (a.1.clone(), if lstm { a.2.clone() } else { vec![] }),
                            "{what}: cell"
                        );
                    }
                }
            }
        }
    }
}

/// A split token mirrors only when every layer's step splits over the same parts (each core
/// then walks its own share of every layer): a stack whose first layer is too small to split
/// while the second splits keeps the plain walk.
#[test]
fn mirrored_token_needs_one_split_for_every_layer() {
    struct Pool {
        min_macs: usize,
    }
    impl crate::par::Parallel for Pool {
        fn threads(&self) -> usize {
            2
        }
        fn run(&self, parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), String> {
            Threads(2).run(parts, f)
        }
        fn min_parallel_macs(&self) -> usize {
            self.min_macs
        }
    }
    // LSTM H16 (two unit blocks), input 1: one step multiplies 64 columns by 17 in layer 0
    // and by 32 in layer 1.
    let s = spec(Mode::Lstm, 16, 2, false, 1);
    let p = PackedRnn::new(s, &Owned::random(s, 5).params()).unwrap();
    let x = fill(1, 6);
    for (min_macs, mirrors) in [(0, true), (64 * 20, false), (64 * 40, true)] {
        let mut ws = Workspace::new();
        let mut walks = vec![];
        for _ in 0..3 {
            let (mut out, mut hn, mut cn) = (vec![0.0; 16], vec![0.0; 32], vec![0.0; 32]);
            let pool = Pool { min_macs };
            let (o, h, c) = (&mut out[..], &mut hn[..], Some(&mut cn[..]));
            rnn_forward_par(
                &p,
                Layout::Tnc,
                1,
                1,
                &x,
                None,
                None,
                None,
                o,
                h,
                c,
                &mut ws,
                &pool,
            )
            .unwrap();
            walks.push(ws.token.odd);
        }
        assert_eq!(
            walks,
            [mirrors, false, mirrors],
            "min_parallel_macs {min_macs}"
        );
    }
}
