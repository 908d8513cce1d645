/**
 * SharedArrayBuffer-backed copies of typed arrays: posted to a worker they are shared, not
 * cloned, so the design matrix, weights and columns are written once and read by both threads.
 */
import type { Column } from '../causal/data/frame';
import type { Matrix } from '../causal/types';

export const isShared = (a: ArrayBufferView): boolean => a.buffer instanceof SharedArrayBuffer;

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/** `a` itself when already shared, else a shared copy. */
export function shareFloat64(a: Float64Array): Float64Array {
  if (isShared(a)) return a;
  const out = sharedFloat64(a.length);
  out.set(a);
  return out;
}

export function shareMatrix(x: Matrix): Matrix {
  return { data: shareFloat64(x.data), rows: x.rows, cols: x.cols };
}

/** Columns with shared values/codes (copies only those not shared yet). */
export function shareColumns(columns: readonly Column[]): Column[] {
  return columns.map((c) => {
    if (c.kind === 'numeric') return { ...c, values: shareFloat64(c.values) };
    if (isShared(c.codes)) return c;
    const codes = sharedInt32(c.codes.length);
    codes.set(c.codes);
    return { ...c, codes };
  });
}
