/**
 * Order of a Float64Array by value (ties in any order), for the eCDF statistics, which only
 * look at the cumulative weights at the last unit of each distinct value and so need no
 * stability. Bucket sort: values are mapped monotonically to ~n/2 buckets on [min, max]
 * (b = ⌊(x − min)·B/(max − min)⌋ is non-decreasing in x under IEEE rounding), (value, index)
 * pairs are scattered by bucket (counting sort), and each bucket is put in order: insertion sort
 * when small, nothing when all its values are equal (ties, dummies), the same bucket sort again
 * when large (skewed data), a comparator sort as the last resort. The values travel with the
 * indices, so the bucket sorts and the caller's scan read memory in order. Linear time for
 * continuous data. Values must be finite (balance/summary checks).
 */

const SMALL = 24;
const MAX_DEPTH = 4;

export interface ValueOrder {
  /** Indices that sort x ascending. */
  readonly order: Int32Array;
  /** x in that order. */
  readonly sorted: Float64Array;
}

function insertionSort(v: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  for (let a = lo + 1; a < hi; a++) {
    const key = v[a]!;
    const k = idx[a]!;
    let b = a - 1;
    while (b >= lo && v[b]! > key) {
      v[b + 1] = v[b]!;
      idx[b + 1] = idx[b]!;
      b--;
    }
    v[b + 1] = key;
    idx[b + 1] = k;
  }
}

/** Orders the pairs (v, idx)[lo, hi) by v; sv, si, keys are scratch at least as long. */
function bucketSort(v: Float64Array, idx: Int32Array, sv: Float64Array, si: Int32Array, keys: Int32Array, lo: number, hi: number, depth: number): void {
  const m = hi - lo;
  let min = Infinity;
  let max = -Infinity;
  for (let a = lo; a < hi; a++) {
    const x = v[a]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min === max) return;
  if (depth >= MAX_DEPTH || !Number.isFinite(max - min)) {
    const order = Array.from({ length: m }, (_, k) => lo + k).sort((a, b) => v[a]! - v[b]!);
    for (let k = 0; k < m; k++) {
      sv[lo + k] = v[order[k]!]!;
      si[lo + k] = idx[order[k]!]!;
    }
    v.set(sv.subarray(lo, hi), lo);
    idx.set(si.subarray(lo, hi), lo);
    return;
  }
  const buckets = Math.max(2, m >> 1);
  const scale = buckets / (max - min);
  const start = new Int32Array(buckets + 1);
  for (let a = lo; a < hi; a++) {
    let b = Math.floor((v[a]! - min) * scale);
    if (b >= buckets) b = buckets - 1;
    keys[a] = b;
    start[b + 1]!++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = start[b + 1]! + start[b]!;
  const fill = start.slice(0, buckets);
  for (let a = lo; a < hi; a++) {
    const b = keys[a]!;
    const pos = lo + fill[b]!;
    fill[b] = fill[b]! + 1;
    sv[pos] = v[a]!;
    si[pos] = idx[a]!;
  }
  v.set(sv.subarray(lo, hi), lo);
  idx.set(si.subarray(lo, hi), lo);
  for (let b = 0; b < buckets; b++) {
    const s = lo + start[b]!;
    const e = lo + start[b + 1]!;
    if (e - s <= 1) continue;
    if (e - s <= SMALL) insertionSort(v, idx, s, e);
    else bucketSort(v, idx, sv, si, keys, s, e, depth + 1);
  }
}

/** Indices that sort `x` ascending (ties in unspecified order) and the sorted values. */
export function valueOrder(x: Float64Array): ValueOrder {
  const n = x.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sorted = Float64Array.from(x);
  if (n <= SMALL) insertionSort(sorted, order, 0, n);
  else bucketSort(sorted, order, new Float64Array(n), new Int32Array(n), new Int32Array(n), 0, n, 0);
  return { order, sorted };
}
