// NDArray: float32 data owned by JavaScript (ARCHITECTURE.md decision 6), so the garbage
// collector reclaims it and no user frees a tensor. Kernels copy in and out of wasm memory.

export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Python's str() of a shape tuple: (3,), (2, 3). */
export function shapeStr(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function checkShape(shape: Shape, what: string): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: expected an array of dimensions, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${what}: dimensions must be non-negative integers, got [${shape.join(', ')}]`);
    }
  }
  return [...shape];
}

/** Normalises a possibly negative axis of an `ndim`-d array. */
export function normAxis(axis: number, ndim: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`${what}: axis ${String(axis)} is out of range for an array of ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Row-major strides of `shape`. */
function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (shape[i + 1] as number);
  return s;
}

type Nested = number | Nested[];

export class NDArray {
  /** Row-major float32 storage; treat as read-only unless you own the array. */
  readonly data: Float32Array;
  readonly shape: number[];

  constructor(data: Float32Array, shape: Shape) {
    const s = checkShape(shape, 'NDArray shape');
    if (data.length !== shapeSize(s)) {
      throw new RangeError(`NDArray: data has ${data.length} elements but shape ${shapeStr(s)} needs ${shapeSize(s)}`);
    }
    this.data = data;
    this.shape = s;
  }

  get size(): number {
    return this.data.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  get dtype(): 'float32' {
    return 'float32';
  }
  /** Always the CPU: the package has one device. */
  get context(): string {
    return 'cpu(0)';
  }

  /** A copy of the data, row-major. */
  toFloat32Array(): Float32Array {
    return this.data.slice();
  }

  /** Nested JS arrays (Python `asnumpy().tolist()`). */
  toArray(): Nested[] {
    const d = this.data;
    const shape = this.shape;
    const build = (dim: number, off: number): Nested[] => {
      const n = shape[dim] as number;
      const out: Nested[] = new Array<Nested>(n);
      if (dim === shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = d[off + i] as number;
        return out;
      }
      const stride = shapeSize(shape.slice(dim + 1));
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, off + i * stride);
      return out;
    };
    return shape.length === 0 ? [] : build(0, 0);
  }

  /** The single element of a size-1 array (Python `asscalar()`). */
  asScalar(): number {
    if (this.size !== 1)
      throw new RangeError(`asScalar: the array has shape ${shapeStr(this.shape)}, not a single element`);
    return this.data[0] as number;
  }

  /** A deep copy. */
  copy(): NDArray {
    return new NDArray(this.data.slice(), this.shape);
  }

  /**
   * `reshape(shape)` with MXNet's special codes: 0 copies the input dimension at that
   * position, -1 infers one dimension, -2 copies all remaining input dimensions, -3 merges two
   * consecutive input dimensions. The result shares the data (NDArrays are never written in
   * place by this package's ops).
   * Gluon note: MXNet's -4 (split one dimension in two) and `reverse` are not ported; -4 throws.
   */
  reshape(shape: Shape | number, ...rest: number[]): NDArray {
    const req = typeof shape === 'number' ? [shape, ...rest] : [...shape];
    const src = this.shape;
    const out: number[] = [];
    let inferAt = -1;
    let si = 0;
    for (let i = 0; i < req.length; i++) {
      const r = req[i] as number;
      if (!Number.isInteger(r)) throw new TypeError(`reshape: shape entries must be integers, got [${req.join(', ')}]`);
      if (r > 0) {
        out.push(r);
        si++;
      } else if (r === 0) {
        if (si >= src.length)
          throw new RangeError(
            `reshape: code 0 at position ${i} has no input dimension (input shape ${shapeStr(src)})`,
          );
        out.push(src[si] as number);
        si++;
      } else if (r === -1) {
        if (inferAt >= 0) throw new RangeError(`reshape: more than one -1 in [${req.join(', ')}]`);
        inferAt = out.length;
        out.push(1);
        si++;
      } else if (r === -2) {
        while (si < src.length) out.push(src[si++] as number);
      } else if (r === -3) {
        if (si + 1 >= src.length)
          throw new RangeError(`reshape: code -3 needs two input dimensions (input shape ${shapeStr(src)})`);
        out.push((src[si] as number) * (src[si + 1] as number));
        si += 2;
      } else {
        throw new RangeError(
          `reshape: unsupported code ${r} in [${req.join(', ')}] (supported: positive, 0, -1, -2, -3)`,
        );
      }
    }
    if (inferAt >= 0) {
      let known = 1;
      out.forEach((v, i) => {
        if (i !== inferAt) known *= v;
      });
      if (known === 0 || this.size % known !== 0) {
        throw new RangeError(`reshape: cannot reshape array of shape ${shapeStr(src)} into [${req.join(', ')}]`);
      }
      out[inferAt] = this.size / known;
    }
    if (shapeSize(out) !== this.size) {
      throw new RangeError(
        `reshape: cannot reshape array of shape ${shapeStr(src)} (size ${this.size}) into ${shapeStr(out)} (size ${shapeSize(out)})`,
      );
    }
    return new NDArray(this.data, out);
  }

  /** Permutes axes; no argument reverses them (Python `transpose(axes=None)`). */
  transpose(axes?: readonly number[]): NDArray {
    const nd = this.ndim;
    const perm =
      axes === undefined || axes.length === 0
        ? [...Array(nd).keys()].reverse()
        : axes.map((a) => normAxis(a, nd, 'transpose'));
    if (perm.length !== nd || new Set(perm).size !== nd) {
      throw new RangeError(`transpose: axes [${(axes ?? []).join(', ')}] are not a permutation of ${nd} axes`);
    }
    const outShape = perm.map((p) => this.shape[p] as number);
    const inStrides = stridesOf(this.shape);
    const permStrides = perm.map((p) => inStrides[p] as number);
    const out = new Float32Array(this.size);
    const idx = new Array<number>(nd).fill(0);
    const src = this.data;
    let off = 0;
    for (let o = 0; o < out.length; o++) {
      out[o] = src[off] as number;
      for (let k = nd - 1; k >= 0; k--) {
        idx[k] = (idx[k] as number) + 1;
        off += permStrides[k] as number;
        if ((idx[k] as number) < (outShape[k] as number)) break;
        off -= (permStrides[k] as number) * (outShape[k] as number);
        idx[k] = 0;
      }
    }
    return new NDArray(out, outShape);
  }

  /** Swaps two axes (Python `swapaxes(dim1, dim2)`). */
  swapaxes(dim1: number, dim2: number): NDArray {
    const a = normAxis(dim1, this.ndim, 'swapaxes(dim1)');
    const b = normAxis(dim2, this.ndim, 'swapaxes(dim2)');
    if (a === b) return this;
    const perm = [...Array(this.ndim).keys()];
    perm[a] = b;
    perm[b] = a;
    return this.transpose(perm);
  }

  /** Python `x[i]`: drops the first axis (a 1-d array gives shape (1,), as MXNet 1.x). */
  get(i: number): NDArray {
    if (this.ndim === 0) throw new RangeError('get: cannot index a 0-d array');
    const n = this.shape[0] as number;
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new RangeError(`get: index ${String(i)} is out of bounds for axis 0 with size ${n}`);
    }
    const k = i < 0 ? i + n : i;
    const inner = this.shape.slice(1);
    const step = shapeSize(inner);
    return new NDArray(this.data.slice(k * step, (k + 1) * step), inner.length === 0 ? [1] : inner);
  }

  /**
   * Python `x[begin:end]` along axis 0 (numbers), or MXNet `nd.slice(x, begin, end)` with one
   * entry per leading axis (arrays; `null` means the whole axis). Negative indices count from
   * the end.
   */
  slice(begin: number | readonly (number | null)[], end?: number | null | readonly (number | null)[]): NDArray {
    if (typeof begin === 'number' || begin === null) {
      return this.sliceAxis(0, begin, (end as number | null | undefined) ?? null);
    }
    const ends = (end ?? []) as readonly (number | null)[];
    if (begin.length > this.ndim)
      throw new RangeError(`slice: ${begin.length} begin entries for an array of ${this.ndim} dimension(s)`);
    let out: NDArray = this;
    for (let ax = 0; ax < begin.length; ax++) {
      out = out.sliceAxis(ax, begin[ax] ?? null, ends[ax] ?? null);
    }
    return out;
  }

  /** MXNet `slice_axis(axis, begin, end)`; `end` null means the end of the axis. */
  sliceAxis(axis: number, begin: number | null, end: number | null): NDArray {
    const ax = normAxis(axis, this.ndim, 'sliceAxis');
    const n = this.shape[ax] as number;
    const norm = (v: number | null, dflt: number): number => {
      if (v === null) return dflt;
      if (!Number.isInteger(v)) throw new TypeError(`sliceAxis: indices must be integers, got ${String(v)}`);
      return Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    };
    const b = norm(begin, 0);
    const e = norm(end, n);
    if (e < b) throw new RangeError(`sliceAxis: begin ${b} > end ${e} on axis ${ax} of size ${n}`);
    const outer = shapeSize(this.shape.slice(0, ax));
    const inner = shapeSize(this.shape.slice(ax + 1));
    const len = e - b;
    const out = new Float32Array(outer * len * inner);
    for (let o = 0; o < outer; o++) {
      out.set(this.data.subarray((o * n + b) * inner, (o * n + e) * inner), o * len * inner);
    }
    const shape = [...this.shape];
    shape[ax] = len;
    return new NDArray(out, shape);
  }

  /** Inserts an axis of size 1. */
  expandDims(axis: number): NDArray {
    const ax = normAxis(axis, this.ndim + 1, 'expandDims');
    const shape = [...this.shape];
    shape.splice(ax, 0, 1);
    return new NDArray(this.data, shape);
  }

  /** Removes axes of size 1 (all, or the given one). */
  squeeze(axis?: number): NDArray {
    if (axis === undefined) {
      const s = this.shape.filter((d) => d !== 1);
      return new NDArray(this.data, s.length === 0 ? [1] : s);
    }
    const ax = normAxis(axis, this.ndim, 'squeeze');
    if (this.shape[ax] !== 1) throw new RangeError(`squeeze: axis ${ax} has size ${String(this.shape[ax])}, not 1`);
    const s = [...this.shape];
    s.splice(ax, 1);
    return new NDArray(this.data, s.length === 0 ? [1] : s);
  }

  toString(): string {
    return `\n${JSON.stringify(this.toArray())}\n<NDArray ${this.shape.join('x')} @cpu(0)>`;
  }
}
