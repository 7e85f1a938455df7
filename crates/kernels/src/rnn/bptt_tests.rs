//! Training kernels: SIMD pointwise kernels vs their scalar references, the references'
//! backward vs central differences of their forward (f64), and the whole BPTT vs central
//! differences of `reference::rnn_forward::<f64>` over a configuration table.

use super::backward::{gru_bwd, gru_fwd, lstm_bwd, lstm_fwd, vanilla_bwd, vanilla_fwd};
use super::backward_ref as r;
use super::reference;
use super::*;
use crate::gemm::tests::fill;
use crate::par::Inline;

/// Hidden sizes: empty, one, around the 4-lane tile and the 8-unit panel, odd.
const HS: [usize; 9] = [0, 1, 3, 4, 5, 7, 8, 9, 17];

fn close(what: &str, got: &[f32], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let err = (g as f64 - w).abs() / w.abs().max(1.0);
        assert!(err <= tol, "{what}[{i}]: got {g}, want {w} (err {err:e})");
    }
}

fn f64s(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| x as f64).collect()
}

fn to64(v: &[f32]) -> Vec<f64> {
    f64s(v)
}

/// Central difference of `f` along coordinate `i` of `x` (f64).
fn fd(x: &[f64], i: usize, f: &dyn Fn(&[f64]) -> f64) -> f64 {
    let eps = 1e-6;
    let (mut p, mut m) = (x.to_vec(), x.to_vec());
    p[i] += eps;
    m[i] -= eps;
    (f(&p) - f(&m)) / (2.0 * eps)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

const CLIP: StateClip = StateClip {
    min: -0.4,
    max: 0.35,
    nan: false,
};

#[test]
fn lstm_pointwise_matches_reference_and_differences() {
    for &h in &HS {
        for clip in [None, Some(CLIP)] {
            let pre = fill(4 * h, 1 + h as u32);
            let cp: Vec<f32> = fill(h, 2 + h as u32);
            let (wh, wc) = (fill(h, 3), fill(h, 4));
            // SIMD forward vs reference.
            let (mut act, mut c, mut hv) = (pre.clone(), cp.clone(), vec![0.0; h]);
            lstm_fwd(&mut act, &mut c, &mut hv, clip);
            let (ra, rc, rh) = r::lstm_fwd(&to64(&pre), &to64(&cp), clip);
            close("lstm act", &act, &ra, 1e-6);
            close("lstm c", &c, &rc, 1e-6);
            close("lstm h", &hv, &rh, 1e-6);
            // SIMD backward vs reference backward.
            let mut dc = wc.clone();
            let mut dg = vec![0.0; 4 * h];
            lstm_bwd(&act, &cp, &c, &wh, &mut dc, &mut dg, clip);
            let (rdc, rdg) = r::lstm_bwd(&ra, &to64(&cp), &rc, &to64(&wh), &to64(&wc), clip);
            close("lstm dc_prev", &dc, &rdc, 1e-6);
            close("lstm dgates", &dg, &rdg, 1e-6);
            // Reference backward vs central differences of the reference forward.
            let loss = |pre: &[f64], cp: &[f64]| {
                let (_, c, hv) = r::lstm_fwd(pre, cp, clip);
                dot(&hv, &to64(&wh)) + dot(&c, &to64(&wc))
            };
            let (p64, c64) = (to64(&pre), to64(&cp));
            for i in 0..4 * h {
                let want = fd(&p64, i, &|x| loss(x, &c64));
                assert!(
                    (rdg[i] - want).abs() < 1e-6,
                    "lstm h {h} dgate {i}: {} vs {want}",
                    rdg[i]
                );
                assert!((dg[i] as f64 - want).abs() < 1e-5, "lstm simd dgate {i}");
            }
            for j in 0..h {
                let want = fd(&c64, j, &|x| loss(&p64, x));
                assert!(
                    (rdc[j] - want).abs() < 1e-6,
                    "lstm h {h} dc_prev {j}: {} vs {want}",
                    rdc[j]
                );
                assert!((dc[j] as f64 - want).abs() < 1e-5, "lstm simd dc_prev {j}");
            }
        }
    }
}

#[test]
fn gru_pointwise_matches_reference_and_differences() {
    for &h in &HS {
        let s = h as u32;
        let (a, rh, bh, hp) = (
            fill(3 * h, s + 1),
            fill(3 * h, s + 2),
            fill(3 * h, s + 3),
            fill(h, s + 4),
        );
        let w = fill(h, s + 5);
        let mut act = vec![0.0; 4 * h];
        act[..3 * h].copy_from_slice(&a);
        let mut hv = hp.clone();
        gru_fwd(&mut act, &rh, &bh, &mut hv);
        let (ra, rhv) = r::gru_fwd(&to64(&a), &to64(&rh), &to64(&bh), &to64(&hp));
        close("gru act", &act, &ra, 1e-6);
        close("gru h", &hv, &rhv, 1e-6);
        let (mut da, mut dr, mut dhp) = (vec![0.0; 3 * h], vec![0.0; 3 * h], vec![0.0; h]);
        gru_bwd(&act, &hp, &w, &mut da, &mut dr, &mut dhp);
        let (rda, rdr, rdh) = r::gru_bwd(&ra, &to64(&hp), &to64(&w));
        close("gru da", &da, &rda, 1e-6);
        close("gru dr", &dr, &rdr, 1e-6);
        close("gru dh_prev", &dhp, &rdh, 1e-6);
        let (a64, rh64, bh64, hp64, w64) = (to64(&a), to64(&rh), to64(&bh), to64(&hp), to64(&w));
        let loss = |a: &[f64], rh: &[f64], hp: &[f64]| dot(&r::gru_fwd(a, rh, &bh64, hp).1, &w64);
        for i in 0..3 * h {
            let want = fd(&a64, i, &|x| loss(x, &rh64, &hp64));
            assert!((rda[i] - want).abs() < 1e-6, "gru da {i}");
            assert!((da[i] as f64 - want).abs() < 1e-5, "gru simd da {i}");
            let want = fd(&rh64, i, &|x| loss(&a64, x, &hp64));
            assert!((rdr[i] - want).abs() < 1e-6, "gru dr {i}");
            assert!((dr[i] as f64 - want).abs() < 1e-5, "gru simd dr {i}");
        }
        for j in 0..h {
            let want = fd(&hp64, j, &|x| loss(&a64, &rh64, x));
            assert!((rdh[j] - want).abs() < 1e-6, "gru dh_prev {j}");
            assert!((dhp[j] as f64 - want).abs() < 1e-5, "gru simd dh_prev {j}");
        }
    }
}

#[test]
fn vanilla_pointwise_matches_reference_and_differences() {
    for &h in &HS {
        for relu in [false, true] {
            let pre = fill(h, 7 + h as u32);
            let w = fill(h, 8);
            let (mut act, mut hv) = (pre.clone(), vec![0.0; h]);
            vanilla_fwd(&mut act, relu, &mut hv);
            let rh = r::vanilla_fwd(&to64(&pre), relu);
            close("rnn h", &hv, &rh, 1e-6);
            close("rnn act", &act, &rh, 1e-6);
            let mut dg = vec![0.0; h];
            vanilla_bwd(&act, &w, relu, &mut dg);
            let rdg = r::vanilla_bwd(&rh, &to64(&w), relu);
            close("rnn dg", &dg, &rdg, 1e-6);
            let p64 = to64(&pre);
            for i in 0..h {
                let want = fd(&p64, i, &|x| dot(&r::vanilla_fwd(x, relu), &to64(&w)));
                assert!((rdg[i] - want).abs() < 1e-6, "rnn dg {i}");
                assert!((dg[i] as f64 - want).abs() < 1e-5, "rnn simd dg {i}");
            }
        }
    }
}

/// Owned parameters of a stack, flat in the wasm order (per (layer, dir): i2h_w, h2h_w,
/// i2h_b, h2h_b).
struct Flat {
    w: Vec<f32>,
}

impl Flat {
    fn new(spec: RnnSpec, seed: u32) -> Self {
        let n = weight_floats(&spec).unwrap();
        let w = fill(n, seed).into_iter().map(|x| x * 0.7).collect();
        Flat { w }
    }

    fn params<'a>(spec: &RnnSpec, w: &'a [f32]) -> RnnParams<'a> {
        let (gh, h, hs) = (
            spec.mode.gates() * spec.hidden,
            spec.hidden,
            spec.out_size(),
        );
        let mut rest = w;
        let mut take = |k: usize| {
            let (a, b) = rest.split_at(k);
            rest = b;
            a
        };
        let dirs = (0..spec.num_layers * spec.dirs())
            .map(|idx| {
                let ni = spec.layer_input(idx / spec.dirs());
                DirParams {
                    i2h_weight: take(gh * ni),
                    h2h_weight: take(gh * hs),
                    i2h_bias: take(gh),
                    h2h_bias: take(gh),
                    h2r_weight: spec.projection.map(|pp| take(pp * h)),
                }
            })
            .collect();
        RnnParams { dirs }
    }
}

struct Case {
    spec: RnnSpec,
    layout: Layout,
    t: usize,
    n: usize,
    states: bool,
    valid: Option<Vec<usize>>,
}

fn spec(mode: Mode, h: usize, layers: usize, bi: bool, c: usize, clip: bool) -> RnnSpec {
    RnnSpec {
        mode,
        hidden: h,
        num_layers: layers,
        bidirectional: bi,
        input_size: c,
        projection: None,
        clip: clip.then_some(CLIP),
    }
}

fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    let modes = [Mode::Lstm, Mode::Gru, Mode::RnnTanh, Mode::RnnRelu];
    for (k, &mode) in modes.iter().enumerate() {
        // (T, N, C, H)
        for (j, &(t, n, c, h)) in [(1, 1, 1, 1), (3, 2, 3, 5), (4, 3, 2, 9), (2, 5, 4, 4)]
            .iter()
            .enumerate()
        {
            for (layers, bi) in [(1, false), (2, true), (2, false), (1, true)] {
                let i = k + j + layers + bi as usize;
                v.push(Case {
                    spec: spec(mode, h, layers, bi, c, mode == Mode::Lstm && i % 2 == 1),
                    layout: if i.is_multiple_of(2) {
                        Layout::Tnc
                    } else {
                        Layout::Ntc
                    },
                    t,
                    n,
                    states: !i.is_multiple_of(3),
                    valid: (i % 3 == 1 && t > 1).then(|| (0..n).map(|b| 1 + (b * 2) % t).collect()),
                });
            }
        }
    }
    // LSTMP: (T, N, C, H, P).
    for (j, &(t, n, c, h, p)) in [(3, 2, 3, 5, 3), (4, 3, 2, 9, 4), (2, 1, 1, 4, 1)]
        .iter()
        .enumerate()
    {
        for (layers, bi) in [(1, false), (2, true), (2, false), (1, true)] {
            let i = j + layers + bi as usize;
            let mut sp = spec(Mode::Lstm, h, layers, bi, c, i % 2 == 1);
            sp.projection = Some(p);
            v.push(Case {
                spec: sp,
                layout: if i.is_multiple_of(2) {
                    Layout::Tnc
                } else {
                    Layout::Ntc
                },
                t,
                n,
                states: !i.is_multiple_of(3),
                valid: (i % 3 == 1).then(|| (0..n).map(|b| 1 + (b * 2) % t).collect()),
            });
        }
    }
    v
}

/// Everything one case's forward reads, flat: `x | h0 | c0 | weights`.
struct Inputs {
    x: Vec<f32>,
    h0: Vec<f32>,
    c0: Vec<f32>,
    w: Vec<f32>,
}

/// Floats of x, output, h states and c states (0 unless LSTM).
fn sizes(cs: &Case) -> (usize, usize, usize, usize) {
    let s = &cs.spec;
    let states = s.num_layers * s.dirs() * cs.n;
    let cl = if s.mode == Mode::Lstm {
        states * s.hidden
    } else {
        0
    };
    (
        cs.t * cs.n * s.input_size,
        cs.t * cs.n * s.dirs() * s.out_size(),
        states * s.out_size(),
        cl,
    )
}

/// Reference forward in f64: (out, hn, cn).
fn reference_f64(cs: &Case, inp: &Inputs) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let (_, out_len, st, cl) = sizes(cs);
    let lstm = cs.spec.mode == Mode::Lstm;
    let (mut out, mut hn, mut cn) = (vec![0.0; out_len], vec![0.0; st], vec![0.0; cl]);
    reference::rnn_forward::<f64>(
        &cs.spec,
        &Flat::params(&cs.spec, &inp.w),
        cs.layout,
        cs.t,
        cs.n,
        &inp.x,
        cs.states.then_some(&inp.h0[..]),
        (cs.states && lstm).then_some(&inp.c0[..]),
        cs.valid.as_deref(),
        &mut out,
        &mut hn,
        lstm.then_some(&mut cn[..]),
    );
    (out, hn, cn)
}

#[test]
fn bptt_matches_finite_differences_of_the_reference() {
    for (ci, cs) in cases().iter().enumerate() {
        let s = &cs.spec;
        let lstm = s.mode == Mode::Lstm;
        let (xl, ol, sl, cl) = sizes(cs);
        let inp = Inputs {
            x: fill(xl, 100 + ci as u32),
            h0: fill(sl, 200 + ci as u32),
            c0: fill(cl, 300 + ci as u32),
            w: Flat::new(*s, 400 + ci as u32).w,
        };
        let (wo, wh, wc) = (fill(ol, 1), fill(sl, 2), fill(cl, 3));
        // Training forward vs the reference.
        let mut st = TrainState::new();
        let (mut out, mut hn, mut cn) = (vec![0.0; ol], vec![0.0; sl], vec![0.0; cl]);
        let params = Flat::params(s, &inp.w);
        train_forward(
            &mut st,
            s,
            &params,
            cs.layout,
            cs.t,
            cs.n,
            &inp.x,
            cs.states.then_some(&inp.h0[..]),
            (cs.states && lstm).then_some(&inp.c0[..]),
            cs.valid.as_deref(),
            None,
            &mut out,
            &mut hn,
            lstm.then_some(&mut cn[..]),
            &Inline,
        )
        .unwrap();
        let (ro, rh, rc) = reference_f64(cs, &inp);
        close(&format!("case {ci} out"), &out, &f64s(&ro), 1e-5);
        close(&format!("case {ci} hn"), &hn, &f64s(&rh), 1e-5);
        close(&format!("case {ci} cn"), &cn, &f64s(&rc), 1e-5);
        // Backward of the loss sum(wo*out) + sum(wh*hn) + sum(wc*cn).
        let mut dx = vec![0.0; xl];
        let (mut dh0, mut dc0) = (vec![0.0; sl], vec![0.0; cl]);
        let mut dw = vec![0.0; inp.w.len()];
        train_backward(
            &mut st,
            &params,
            &wo,
            Some(&wh),
            lstm.then_some(&wc[..]),
            &mut dx,
            &mut dh0,
            lstm.then_some(&mut dc0[..]),
            &mut dw,
            &Inline,
        )
        .unwrap();
        let loss = |inp: &Inputs| {
            let (o, h, c) = reference_f64(cs, inp);
            dot(&f64s(&o), &f64s(&wo)) + dot(&f64s(&h), &f64s(&wh)) + dot(&f64s(&c), &f64s(&wc))
        };
        // Perturbations in f32 (the reference reads f32), divided by the actual step.
        let kinks = core::cell::Cell::new(0usize);
        let smooth = s.clip.is_none() && s.mode != Mode::RnnRelu;
        let eps = if smooth { 4e-3 } else { 1e-3 };
        let check = |what: &str, got: &[f32], pick: &dyn Fn(&mut Inputs) -> &mut Vec<f32>| {
            let mut p = Inputs {
                x: inp.x.clone(),
                h0: inp.h0.clone(),
                c0: inp.c0.clone(),
                w: inp.w.clone(),
            };
            for (i, &gi) in got.iter().enumerate() {
                let x0 = pick(&mut p)[i];
                let (xp, xm) = (x0 + eps, x0 - eps);
                pick(&mut p)[i] = xp;
                let lp = loss(&p);
                pick(&mut p)[i] = xm;
                let lm = loss(&p);
                pick(&mut p)[i] = x0;
                let want = (lp - lm) / (xp as f64 - xm as f64);
                if !smooth {
                    // Clipping and relu make the loss piecewise smooth: where the two
                    // one-sided differences disagree, the step crossed a kink; skip it.
                    let l0 = loss(&p);
                    let right = (lp - l0) / (xp as f64 - x0 as f64);
                    let left = (l0 - lm) / (x0 as f64 - xm as f64);
                    if (right - left).abs() > 3e-3 * want.abs().max(1.0) {
                        kinks.set(kinks.get() + 1);
                        continue;
                    }
                }
                let err = (gi as f64 - want).abs() / want.abs().max(1.0);
                assert!(
                    err < 2e-3,
                    "case {ci} ({:?} P {:?} L{} bi {} {:?}) {what}[{i}]: got {}, want {want}",
                    s.mode,
                    s.projection,
                    s.num_layers,
                    s.bidirectional,
                    cs.layout,
                    gi
                );
            }
        };
        check("dx", &dx, &|p| &mut p.x);
        check("dw", &dw, &|p| &mut p.w);
        assert!(
            kinks.get() * 4 <= dw.len() + dx.len(),
            "case {ci}: {} kinks",
            kinks.get()
        );
        if cs.states {
            check("dh0", &dh0, &|p| &mut p.h0);
            if lstm {
                check("dc0", &dc0, &|p| &mut p.c0);
            }
        }
    }
}

/// Dropout masks: the stack equals its layers run one by one with the mask applied between,
/// forward and backward.
#[test]
fn dropout_masks_compose_layer_by_layer() {
    for mode in [Mode::Lstm, Mode::Gru, Mode::RnnTanh] {
        let (t, n, c, h) = (3, 2, 3, 5);
        let full = spec(mode, h, 2, true, c, false);
        let fl = Flat::new(full, 9);
        let lstm = mode == Mode::Lstm;
        let w = 2 * h;
        let mask: Vec<f32> = fill(t * n * w, 5)
            .iter()
            .map(|&v| if v < 0.0 { 0.0 } else { 2.0 })
            .collect();
        let x = fill(t * n * c, 6);
        let dout = fill(t * n * w, 7);
        let sl = 2 * 2 * n * h;
        let cl = if lstm { sl } else { 0 };
        // The whole stack.
        let mut st = TrainState::new();
        let (mut out, mut hn, mut cn) = (vec![0.0; t * n * w], vec![0.0; sl], vec![0.0; cl]);
        let params = Flat::params(&full, &fl.w);
        train_forward(
            &mut st,
            &full,
            &params,
            Layout::Tnc,
            t,
            n,
            &x,
            None,
            None,
            None,
            Some(&mask),
            &mut out,
            &mut hn,
            lstm.then_some(&mut cn[..]),
            &Inline,
        )
        .unwrap();
        let (mut dx, mut dh0, mut dc0, mut dw) = (
            vec![0.0; x.len()],
            vec![0.0; sl],
            vec![0.0; cl],
            vec![0.0; fl.w.len()],
        );
        train_backward(
            &mut st,
            &params,
            &dout,
            None,
            None,
            &mut dx,
            &mut dh0,
            lstm.then_some(&mut dc0[..]),
            &mut dw,
            &Inline,
        )
        .unwrap();
        // Layer by layer.
        let s0 = spec(mode, h, 1, true, c, false);
        let s1 = spec(mode, h, 1, true, w, false);
        let n0 = weight_floats(&s0).unwrap();
        let (w0, w1) = fl.w.split_at(n0);
        let (p0, p1) = (Flat::params(&s0, w0), Flat::params(&s1, w1));
        let (mut st0, mut st1) = (TrainState::new(), TrainState::new());
        let (mut y0, mut h0n, mut c0n) =
            (vec![0.0; t * n * w], vec![0.0; sl / 2], vec![0.0; cl / 2]);
        train_forward(
            &mut st0,
            &s0,
            &p0,
            Layout::Tnc,
            t,
            n,
            &x,
            None,
            None,
            None,
            None,
            &mut y0,
            &mut h0n,
            lstm.then_some(&mut c0n[..]),
            &Inline,
        )
        .unwrap();
        let x1: Vec<f32> = y0.iter().zip(&mask).map(|(a, b)| a * b).collect();
        let (mut y1, mut h1n, mut c1n) =
            (vec![0.0; t * n * w], vec![0.0; sl / 2], vec![0.0; cl / 2]);
        train_forward(
            &mut st1,
            &s1,
            &p1,
            Layout::Tnc,
            t,
            n,
            &x1,
            None,
            None,
            None,
            None,
            &mut y1,
            &mut h1n,
            lstm.then_some(&mut c1n[..]),
            &Inline,
        )
        .unwrap();
        assert_eq!(out, y1);
        assert_eq!(&hn[..sl / 2], &h0n[..]);
        assert_eq!(&hn[sl / 2..], &h1n[..]);
        let (mut dx1, mut dh1, mut dc1, mut dw1) = (
            vec![0.0; x1.len()],
            vec![0.0; sl / 2],
            vec![0.0; cl / 2],
            vec![0.0; w1.len()],
        );
        train_backward(
            &mut st1,
            &p1,
            &dout,
            None,
            None,
            &mut dx1,
            &mut dh1,
            lstm.then_some(&mut dc1[..]),
            &mut dw1,
            &Inline,
        )
        .unwrap();
        let dy0: Vec<f32> = dx1.iter().zip(&mask).map(|(a, b)| a * b).collect();
        let (mut dx0, mut dh00, mut dc00, mut dw0) = (
            vec![0.0; x.len()],
            vec![0.0; sl / 2],
            vec![0.0; cl / 2],
            vec![0.0; w0.len()],
        );
        train_backward(
            &mut st0,
            &p0,
            &dy0,
            None,
            None,
            &mut dx0,
            &mut dh00,
            lstm.then_some(&mut dc00[..]),
            &mut dw0,
            &Inline,
        )
        .unwrap();
        assert_eq!(dx, dx0);
        assert_eq!(&dw[..n0], &dw0[..]);
        assert_eq!(&dw[n0..], &dw1[..]);
        assert_eq!(&dh0[..sl / 2], &dh00[..]);
        assert_eq!(&dh0[sl / 2..], &dh1[..]);
    }
}

/// Empty sequences or batches: no work, states pass through, every output written.
#[test]
fn empty_sizes() {
    for (t, n) in [(0, 2), (2, 0), (0, 0)] {
        let s = spec(Mode::Lstm, 3, 2, true, 2, false);
        let fl = Flat::new(s, 1);
        let p = Flat::params(&s, &fl.w);
        let sl = 4 * n * 3;
        let h0 = fill(sl, 2);
        let mut st = TrainState::new();
        let (mut out, mut hn, mut cn) = (vec![1.0; t * n * 6], vec![0.0; sl], vec![0.0; sl]);
        train_forward(
            &mut st,
            &s,
            &p,
            Layout::Ntc,
            t,
            n,
            &vec![0.0; t * n * 2],
            Some(&h0),
            None,
            None,
            None,
            &mut out,
            &mut hn,
            Some(&mut cn),
            &Inline,
        )
        .unwrap();
        assert_eq!(hn, h0);
        let dhn = fill(sl, 3);
        let (mut dx, mut dh0, mut dc0, mut dw) = (
            vec![0.0; t * n * 2],
            vec![0.0; sl],
            vec![1.0; sl],
            vec![1.0; fl.w.len()],
        );
        train_backward(
            &mut st,
            &p,
            &vec![0.0; t * n * 6],
            Some(&dhn),
            None,
            &mut dx,
            &mut dh0,
            Some(&mut dc0),
            &mut dw,
            &Inline,
        )
        .unwrap();
        assert_eq!(dh0, dhn);
        assert!(dc0.iter().all(|&v| v == 0.0));
        assert!(
            dw.iter().all(|&v| v == 0.0),
            "t {t} n {n}: weight gradients are zero"
        );
    }
}

/// Bad calls are errors naming the argument; a backward needs a forward.
#[test]
fn validation() {
    let s = spec(Mode::Gru, 4, 1, false, 3, false);
    let fl = Flat::new(s, 1);
    let p = Flat::params(&s, &fl.w);
    let mut st = TrainState::new();
    let (mut dx, mut dh0, mut dw) = (vec![0.0; 6], vec![0.0; 8], vec![0.0; fl.w.len()]);
    let e = train_backward(
        &mut st, &p, &[0.0; 16], None, None, &mut dx, &mut dh0, None, &mut dw, &Inline,
    )
    .unwrap_err();
    assert!(e.contains("no saved forward"), "{e}");
    let (mut out, mut hn) = (vec![0.0; 16], vec![0.0; 8]);
    let e = train_forward(
        &mut st,
        &s,
        &p,
        Layout::Tnc,
        2,
        2,
        &[0.0; 5],
        None,
        None,
        None,
        None,
        &mut out,
        &mut hn,
        None,
        &Inline,
    )
    .unwrap_err();
    assert!(
        e.contains("input") && e.contains("12") && e.contains('5'),
        "{e}"
    );
    let e = train_forward(
        &mut st,
        &s,
        &p,
        Layout::Tnc,
        2,
        2,
        &[0.0; 12],
        None,
        None,
        Some(&[1, 3]),
        None,
        &mut out,
        &mut hn,
        None,
        &Inline,
    )
    .unwrap_err();
    assert!(e.contains("sequence_length"), "{e}");
    let mut sp = s;
    sp.projection = Some(2);
    assert!(train_supported(&sp).is_err());
    train_forward(
        &mut st,
        &s,
        &p,
        Layout::Tnc,
        2,
        2,
        &[0.0; 12],
        None,
        None,
        None,
        None,
        &mut out,
        &mut hn,
        None,
        &Inline,
    )
    .unwrap();
    let e = train_backward(
        &mut st, &p, &[0.0; 16], None, None, &mut dx, &mut dh0, None, &mut dw, &Inline,
    )
    .unwrap_err();
    assert!(e.contains("input gradient"), "{e}");
}
