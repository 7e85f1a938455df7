// The C++ standard library's std::sort and std::partial_sort as libstdc++ implements them
// (bits/stl_algo.h, bits/stl_heap.h: introsort with median-of-three, threshold 16, heapsort
// fallback; heap select + sort_heap). MXNet's CPU topk/sort/argsort (ordering_op-inl.h,
// TopKSort) order index arrays with these, so equal values come out in exactly MXNet's order
// only if the same algorithm is replayed step for step; neither is stable.

/** `a < b` in the sort's order (the comparator of std::sort). @internal */
export type Less = (a: number, b: number) => boolean;

function lg(n: number): number {
  return 31 - Math.clz32(n);
}

function adjustHeap(a: Int32Array, first: number, hole0: number, len: number, value: number, less: Less): void {
  let hole = hole0;
  const top = hole;
  let second = hole;
  while (second < Math.floor((len - 1) / 2)) {
    second = 2 * (second + 1);
    if (less(a[first + second] as number, a[first + second - 1] as number)) second--;
    a[first + hole] = a[first + second] as number;
    hole = second;
  }
  if ((len & 1) === 0 && second === Math.floor((len - 2) / 2)) {
    second = 2 * (second + 1);
    a[first + hole] = a[first + second - 1] as number;
    hole = second - 1;
  }
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(a[first + parent] as number, value)) {
    a[first + hole] = a[first + parent] as number;
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  a[first + hole] = value;
}

function makeHeap(a: Int32Array, first: number, last: number, less: Less): void {
  const len = last - first;
  if (len < 2) return;
  let parent = Math.floor((len - 2) / 2);
  for (;;) {
    adjustHeap(a, first, parent, len, a[first + parent] as number, less);
    if (parent === 0) return;
    parent--;
  }
}

function popHeap(a: Int32Array, first: number, last: number, result: number, less: Less): void {
  const v = a[result] as number;
  a[result] = a[first] as number;
  adjustHeap(a, first, 0, last - first, v, less);
}

/** std::partial_sort(first, middle, last): the smallest `middle - first` in order at the front. @internal */
export function partialSort(a: Int32Array, first: number, middle: number, last: number, less: Less): void {
  makeHeap(a, first, middle, less);
  for (let i = middle; i < last; i++) {
    if (less(a[i] as number, a[first] as number)) popHeap(a, first, middle, i, less);
  }
  let m = middle;
  while (m - first > 1) {
    m--;
    popHeap(a, first, m, m, less);
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

function moveMedianToFirst(a: Int32Array, result: number, x: number, y: number, z: number, less: Less): void {
  const [ax, ay, az] = [a[x] as number, a[y] as number, a[z] as number];
  if (less(ax, ay)) {
    if (less(ay, az)) swap(a, result, y);
    else if (less(ax, az)) swap(a, result, z);
    else swap(a, result, x);
  } else if (less(ax, az)) swap(a, result, x);
  else if (less(ay, az)) swap(a, result, z);
  else swap(a, result, y);
}

function unguardedPartition(a: Int32Array, first0: number, last0: number, pivot: number, less: Less): number {
  let first = first0;
  let last = last0;
  for (;;) {
    while (less(a[first] as number, a[pivot] as number)) first++;
    last--;
    while (less(a[pivot] as number, a[last] as number)) last--;
    if (!(first < last)) return first;
    swap(a, first, last);
    first++;
  }
}

function introsortLoop(a: Int32Array, first: number, last0: number, depth0: number, less: Less): void {
  let last = last0;
  let depth = depth0;
  while (last - first > 16) {
    if (depth === 0) {
      partialSort(a, first, last, last, less);
      return;
    }
    depth--;
    const mid = first + Math.floor((last - first) / 2);
    moveMedianToFirst(a, first, first + 1, mid, last - 1, less);
    const cut = unguardedPartition(a, first + 1, last, first, less);
    introsortLoop(a, cut, last, depth, less);
    last = cut;
  }
}

function unguardedLinearInsert(a: Int32Array, last0: number, less: Less): void {
  let last = last0;
  const v = a[last] as number;
  let next = last - 1;
  while (less(v, a[next] as number)) {
    a[last] = a[next] as number;
    last = next;
    next--;
  }
  a[last] = v;
}

function insertionSort(a: Int32Array, first: number, last: number, less: Less): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    if (less(a[i] as number, a[first] as number)) {
      const v = a[i] as number;
      a.copyWithin(first + 1, first, i);
      a[first] = v;
    } else unguardedLinearInsert(a, i, less);
  }
}

/** std::sort(first, last) as libstdc++ does it. @internal */
export function stdSort(a: Int32Array, first: number, last: number, less: Less): void {
  const n = last - first;
  if (n === 0) return;
  introsortLoop(a, first, last, lg(n) * 2, less);
  if (n > 16) {
    insertionSort(a, first, first + 16, less);
    for (let i = first + 16; i < last; i++) unguardedLinearInsert(a, i, less);
  } else insertionSort(a, first, last, less);
}
