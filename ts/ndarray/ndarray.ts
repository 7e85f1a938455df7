// NDArray: float32 data owned by JavaScript (ARCHITECTURE.md decision 6), so the garbage
// collector reclaims it and no user frees a tensor. Kernels copy in and out of wasm memory.

export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

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

  /** A copy of the data, row-major. */
  toFloat32Array(): Float32Array {
    return this.data.slice();
  }
}
