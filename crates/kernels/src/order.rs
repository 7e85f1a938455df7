//! Index orderings for `topk`, `sort` and `argsort` as MXNet's CPU operators produce them
//! (`src/operator/tensor/ordering_op-inl.h`, TopKSort): an index array sorted with `std::sort`
//! when `k * 8 > n`, else with `std::partial_sort`, comparing values with `<` (ascending) or
//! `>` (descending). Neither algorithm is stable, so equal values come out in MXNet's order
//! only if libstdc++'s algorithms (bits/stl_algo.h, bits/stl_heap.h) are replayed step for
//! step: introsort (median of three, threshold 16, heapsort fallback) and heap select +
//! sort_heap. That is what this module does.

use crate::alloc;

/// The first `k` indices of each row of `n` values of `x` (rows contiguous), in MXNet's order,
/// into `out` (`k` per row).
pub fn order_rows(
    x: &[f32],
    n: usize,
    k: usize,
    ascend: bool,
    out: &mut [u32],
) -> Result<(), String> {
    if n == 0 {
        return if x.is_empty() && out.is_empty() {
            Ok(())
        } else {
            Err(format!("order: {} values are not rows of 0", x.len()))
        };
    }
    if !x.len().is_multiple_of(n) || k > n || out.len() != x.len() / n * k {
        return Err(format!(
            "order: {} values in rows of {n}, k = {k}, {} outputs: sizes disagree",
            x.len(),
            out.len()
        ));
    }
    let mut idx: Vec<u32> = Vec::new();
    idx.try_reserve_exact(n)
        .map_err(|_| format!("{}: order scratch of {n} indices", alloc::OUT_OF_MEMORY))?;
    idx.extend(0..n as u32);
    for (row, dst) in x.chunks_exact(n).zip(out.chunks_exact_mut(k.max(1))) {
        for (j, v) in idx.iter_mut().enumerate() {
            *v = j as u32;
        }
        let val = |j: u32| row[j as usize];
        if ascend {
            order(&mut idx, k, &|p: u32, q: u32| val(p) < val(q));
        } else {
            order(&mut idx, k, &|p: u32, q: u32| val(p) > val(q));
        }
        if k > 0 {
            dst.copy_from_slice(&idx[..k]);
        }
    }
    Ok(())
}

fn order<L: Fn(u32, u32) -> bool>(a: &mut [u32], k: usize, less: &L) {
    let n = a.len();
    if k * 8 > n {
        std_sort(a, less);
    } else {
        partial_sort(a, k, less);
    }
}

fn adjust_heap<L: Fn(u32, u32) -> bool>(
    a: &mut [u32],
    hole0: usize,
    len: usize,
    value: u32,
    less: &L,
) {
    let top = hole0;
    let (mut hole, mut second) = (hole0, hole0);
    while len >= 1 && second < (len - 1) / 2 {
        second = 2 * (second + 1);
        if less(a[second], a[second - 1]) {
            second -= 1;
        }
        a[hole] = a[second];
        hole = second;
    }
    if len & 1 == 0 && len >= 2 && second == (len - 2) / 2 {
        second = 2 * (second + 1);
        a[hole] = a[second - 1];
        hole = second - 1;
    }
    // push_heap back up
    while hole > top {
        let parent = (hole - 1) / 2;
        if !less(a[parent], value) {
            break;
        }
        a[hole] = a[parent];
        hole = parent;
    }
    a[hole] = value;
}

fn make_heap<L: Fn(u32, u32) -> bool>(a: &mut [u32], len: usize, less: &L) {
    if len < 2 {
        return;
    }
    let mut parent = (len - 2) / 2;
    loop {
        let v = a[parent];
        adjust_heap(a, parent, len, v, less);
        if parent == 0 {
            return;
        }
        parent -= 1;
    }
}

fn pop_heap<L: Fn(u32, u32) -> bool>(a: &mut [u32], last: usize, result: usize, less: &L) {
    let v = a[result];
    a[result] = a[0];
    adjust_heap(a, 0, last, v, less);
}

/// `std::partial_sort(a, a + middle, a + len)`.
fn partial_sort<L: Fn(u32, u32) -> bool>(a: &mut [u32], middle: usize, less: &L) {
    make_heap(a, middle, less);
    for i in middle..a.len() {
        if less(a[i], a[0]) {
            pop_heap(a, middle, i, less);
        }
    }
    let mut m = middle;
    while m > 1 {
        m -= 1;
        pop_heap(a, m, m, less);
    }
}

fn move_median_to_first<L: Fn(u32, u32) -> bool>(
    a: &mut [u32],
    result: usize,
    x: usize,
    y: usize,
    z: usize,
    less: &L,
) {
    let (ax, ay, az) = (a[x], a[y], a[z]);
    let pick = if less(ax, ay) {
        if less(ay, az) {
            y
        } else if less(ax, az) {
            z
        } else {
            x
        }
    } else if less(ax, az) {
        x
    } else if less(ay, az) {
        z
    } else {
        y
    };
    a.swap(result, pick);
}

fn unguarded_partition<L: Fn(u32, u32) -> bool>(
    a: &mut [u32],
    mut first: usize,
    mut last: usize,
    pivot: usize,
    less: &L,
) -> usize {
    loop {
        while less(a[first], a[pivot]) {
            first += 1;
        }
        last -= 1;
        while less(a[pivot], a[last]) {
            last -= 1;
        }
        if first >= last {
            return first;
        }
        a.swap(first, last);
        first += 1;
    }
}

fn introsort_loop<L: Fn(u32, u32) -> bool>(
    a: &mut [u32],
    first: usize,
    mut last: usize,
    mut depth: u32,
    less: &L,
) {
    while last - first > 16 {
        if depth == 0 {
            // heapsort of [first, last)
            let s = &mut a[first..last];
            let len = s.len();
            partial_sort(s, len, less);
            return;
        }
        depth -= 1;
        let mid = first + (last - first) / 2;
        move_median_to_first(a, first, first + 1, mid, last - 1, less);
        let cut = unguarded_partition(a, first + 1, last, first, less);
        introsort_loop(a, cut, last, depth, less);
        last = cut;
    }
}

fn unguarded_linear_insert<L: Fn(u32, u32) -> bool>(a: &mut [u32], mut last: usize, less: &L) {
    let v = a[last];
    let mut next = last - 1;
    while less(v, a[next]) {
        a[last] = a[next];
        last = next;
        next -= 1;
    }
    a[last] = v;
}

fn insertion_sort<L: Fn(u32, u32) -> bool>(a: &mut [u32], first: usize, last: usize, less: &L) {
    if first == last {
        return;
    }
    for i in first + 1..last {
        if less(a[i], a[first]) {
            let v = a[i];
            a.copy_within(first..i, first + 1);
            a[first] = v;
        } else {
            unguarded_linear_insert(a, i, less);
        }
    }
}

/// `std::sort(a, a + len)`.
fn std_sort<L: Fn(u32, u32) -> bool>(a: &mut [u32], less: &L) {
    let n = a.len();
    if n == 0 {
        return;
    }
    introsort_loop(a, 0, n, 2 * n.ilog2(), less);
    if n > 16 {
        insertion_sort(a, 0, 16, less);
        for i in 16..n {
            unguarded_linear_insert(a, i, less);
        }
    } else {
        insertion_sort(a, 0, n, less);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values with many ties (so the order of equals matters) and NaN-free.
    fn ties(n: usize, seed: u32) -> Vec<f32> {
        let mut s = seed.max(1);
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
                ((s >> 16) % 7) as f32
            })
            .collect()
    }

    #[test]
    fn orders_are_sorted_permutations_for_every_path() {
        for n in [1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1000] {
            for k in [1, 2, 5, n / 8, n] {
                if k == 0 || k > n {
                    continue;
                }
                for ascend in [false, true] {
                    let x = ties(2 * n, (n + k) as u32);
                    let mut out = vec![0u32; 2 * k];
                    order_rows(&x, n, k, ascend, &mut out).unwrap();
                    for (r, got) in out.chunks(k).enumerate() {
                        let row = &x[r * n..(r + 1) * n];
                        let mut seen = vec![false; n];
                        for w in got.windows(2) {
                            let (a, b) = (row[w[0] as usize], row[w[1] as usize]);
                            assert!(if ascend { a <= b } else { a >= b }, "n={n} k={k}");
                        }
                        for &i in got {
                            assert!(!seen[i as usize], "repeated index");
                            seen[i as usize] = true;
                        }
                        // nothing left out is better than the last one taken
                        let last = row[got[k - 1] as usize];
                        for (j, &v) in row.iter().enumerate() {
                            if !seen[j] {
                                assert!(if ascend { v >= last } else { v <= last });
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn size_errors() {
        assert!(order_rows(&[1.0; 5], 2, 1, true, &mut [0; 2]).is_err());
        assert!(order_rows(&[1.0; 4], 2, 3, true, &mut [0; 6]).is_err());
        assert!(order_rows(&[], 0, 0, true, &mut []).is_ok());
    }
}
