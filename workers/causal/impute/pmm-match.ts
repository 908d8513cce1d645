/**
 * Donor search for predictive mean matching (mice `matchindex`, src/matchindex.cpp).
 *
 * For each missing case with predicted value ŷ_mis, the donors are the `k` observed cases whose
 * ŷ_obs are closest to it; one of them is drawn with probability 1/k and its observed y is
 * imputed. mice shuffles the observed cases before sorting so that ties in ŷ_obs are broken at
 * random. We sort first and then shuffle each run of equal ŷ_obs: the result has the same
 * distribution (sorted by value, a uniformly random order within each tie), and continuous
 * predictions, which almost never tie, need no random draws and no shuffled copy at all.
 *
 * Sorting and searching use one bucket index (a distribution sort, Knuth TAOCP vol. 3 §5.2.5):
 * the key ⌊(ŷ − min)·B/(max − min)⌋, B = n_obs buckets, is non-decreasing in ŷ (each floating
 * operation is monotone), so a stable counting sort on the key followed by an insertion sort
 * within each bucket (≈ 1–4 values for bell-shaped predictions) sorts the values, and the
 * insertion point of any ŷ_mis lies within the bucket of its own key: found by a short scan
 * instead of a binary search over all n_obs values. Crowded buckets (clumped or tied values)
 * fall back to a comparison sort and a binary search within the bucket. O(n_obs + n_mis) for
 * smooth predictions, O(n log n) in the worst case; memory O(n_obs + n_mis), never an
 * n_mis × n_obs distance matrix (METHODS.md §1.3 item 7).
 */
import type { Rng } from '../random/rng';

/** Observed cases sorted by ŷ_obs: `order[r]` is the observed index of rank r. */
export interface SortedPredictions {
  readonly order: Int32Array;
  readonly sorted: Float64Array;
  /** Bucket index: bucket b holds ranks [start[b], start[b + 1]); key(ŷ) = ⌊(ŷ − low)·scale⌋. */
  readonly start: Int32Array;
  readonly low: number;
  readonly scale: number;
}

/** Buckets with more values than this are sorted and searched by comparison / bisection. */
const SMALL_BUCKET = 16;

/** Bucket of `value` ≥ low: non-decreasing in `value`, in [0, buckets − 1]. */
function bucketOf(value: number, low: number, scale: number, buckets: number): number {
  const k = Math.floor((value - low) * scale);
  return k < buckets ? k : buckets - 1;
}

/**
 * Sorts ŷ_obs ascending (stable), then shuffles every run of equal values with `rng` (random
 * tie-breaking), and builds the bucket index that `drawDonors` searches.
 */
export function sortPredictions(yhatObs: Float64Array, rng: Rng): SortedPredictions {
  const n = yhatObs.length;
  let low = Infinity;
  let high = -Infinity;
  let nan = false;
  for (let r = 0; r < n; r++) {
    const v = yhatObs[r]!;
    if (v < low) low = v;
    if (v > high) high = v;
    if (v !== v) nan = true;
  }
  if (nan || (n > 0 && !(Number.isFinite(low) && Number.isFinite(high)))) throw new RangeError('predictive mean matching needs finite predicted values');
  const buckets = Math.max(n, 1);
  // A zero or overflowing range puts everything in one bucket (the comparison-sort path).
  let scale = buckets / (high - low);
  if (!Number.isFinite(scale)) scale = 0;
  const key = new Int32Array(n);
  const start = new Int32Array(buckets + 1);
  for (let r = 0; r < n; r++) {
    const k = bucketOf(yhatObs[r]!, low, scale, buckets);
    key[r] = k;
    start[k + 1]!++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = start[b + 1]! + start[b]!;
  const cursor = start.slice(0, buckets);
  const order = new Int32Array(n);
  const sorted = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const pos = cursor[key[r]!]!++;
    order[pos] = r;
    sorted[pos] = yhatObs[r]!;
  }
  for (let b = 0; b < buckets; b++) {
    const s = start[b]!;
    const e = start[b + 1]!;
    if (e - s <= 1) continue;
    if (e - s <= SMALL_BUCKET) insertionSort(sorted, order, s, e);
    else comparisonSort(yhatObs, sorted, order, s, e);
  }
  shuffleTies(sorted, order, rng);
  return { order, sorted, start, low, scale };
}

/** Stable insertion sort of ranks [s, e) by value (the run is in input order). */
function insertionSort(sorted: Float64Array, order: Int32Array, s: number, e: number): void {
  for (let i = s + 1; i < e; i++) {
    const v = sorted[i]!;
    if (!(sorted[i - 1]! > v)) continue;
    const o = order[i]!;
    let j = i;
    while (j > s && sorted[j - 1]! > v) {
      sorted[j] = sorted[j - 1]!;
      order[j] = order[j - 1]!;
      j--;
    }
    sorted[j] = v;
    order[j] = o;
  }
}

/** Sorts ranks [s, e) by value, ties by input index (= stable, the run is in input order). */
function comparisonSort(yhat: Float64Array, sorted: Float64Array, order: Int32Array, s: number, e: number): void {
  const part = order.subarray(s, e);
  part.sort((a, b) => yhat[a]! - yhat[b]! || a - b);
  for (let r = s; r < e; r++) sorted[r] = yhat[order[r]!]!;
}

/** Fisher–Yates shuffle of the observed indices within each run of equal sorted values. */
function shuffleTies(sorted: Float64Array, order: Int32Array, rng: Rng): void {
  const n = sorted.length;
  let s = 0;
  while (s < n) {
    let e = s + 1;
    while (e < n && sorted[e] === sorted[s]) e++;
    for (let i = e - 1; i > s; i--) {
      const j = s + rng.nextInt(i - s + 1);
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    s = e;
  }
}

/** First rank r with sorted[r] ≥ value (n when none), from the bucket of `value`. */
export function lowerBound(p: SortedPredictions, value: number): number {
  const sorted = p.sorted;
  const n = sorted.length;
  if (n === 0 || !(value > sorted[0]!)) return 0;
  if (value > sorted[n - 1]!) return n;
  // Keys are non-decreasing, so every rank before the bucket holds a smaller value and every
  // rank after it a larger one: the insertion point is inside the bucket (or at its end).
  const k = bucketOf(value, p.low, p.scale, p.start.length - 1);
  let lo = p.start[k]!;
  let hi = p.start[k + 1]!;
  if (hi - lo <= SMALL_BUCKET) {
    while (lo < hi && sorted[lo]! < value) lo++;
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k donor sets: row i of the returned (n_mis × k) array lists the observed indices of the
 * k cases nearest to ŷ_mis[i], nearest first (walking outwards from the insertion point; the
 * left neighbour wins exact distance ties). Used by tests and diagnostics; imputation itself
 * uses `drawDonors`, which does not store the sets.
 */
export function donorSets(sortedObs: SortedPredictions, yhatMis: Float64Array, k: number): Int32Array {
  const nObs = sortedObs.order.length;
  const kk = Math.min(k, nObs);
  const sorted = sortedObs.sorted;
  const out = new Int32Array(yhatMis.length * kk);
  for (let i = 0; i < yhatMis.length; i++) {
    const value = yhatMis[i]!;
    let right = lowerBound(sortedObs, value);
    let left = right - 1;
    for (let step = 0; step < kk; step++) {
      let rank: number;
      if (left < 0) rank = right++;
      else if (right >= nObs) rank = left--;
      else if (value - sorted[left]! <= sorted[right]! - value) rank = left--;
      else rank = right++;
      out[i * kk + step] = sortedObs.order[rank]!;
    }
  }
  return out;
}

/**
 * For each missing case, draws one of its k nearest observed cases uniformly and returns its
 * observed index. Drawing the position h ~ U{0..k-1} first and walking h+1 steps is the same
 * distribution as drawing from the stored set, without storing it. The positions come from
 * `uniformDigits`: exactly uniform and independent, at one generator call per ~20 cases.
 */
export function drawDonors(
  sortedObs: SortedPredictions,
  yhatMis: Float64Array,
  k: number,
  rng: Rng,
): Int32Array {
  const nObs = sortedObs.order.length;
  if (nObs === 0) throw new RangeError('predictive mean matching needs at least one observed case');
  const kk = Math.min(Math.max(1, Math.floor(k)), nObs);
  const position = uniformDigits(yhatMis.length, kk, rng);
  const out = new Int32Array(yhatMis.length);
  const sorted = sortedObs.sorted;
  for (let i = 0; i < yhatMis.length; i++) {
    const value = yhatMis[i]!;
    const h = position[i]!;
    let right = lowerBound(sortedObs, value);
    let left = right - 1;
    let rank = 0;
    for (let step = 0; step <= h; step++) {
      if (left < 0) rank = right++;
      else if (right >= nObs) rank = left--;
      else if (value - sorted[left]! <= sorted[right]! - value) rank = left--;
      else rank = right++;
    }
    out[i] = sortedObs.order[rank]!;
  }
  return out;
}

/** 2⁵³: `rng.next()` is a uniform 53-bit integer divided by this. */
const TWO_53 = 9007199254740992;

/**
 * `count` independent uniform integers in [0, base): the base-`base` digits of uniform 53-bit
 * integers x = 2⁵³·U, m digits per x with B = base^m ≤ 2⁵⁰, and x rejected when
 * x ≥ ⌊2⁵³/B⌋·B (probability < 1/8), which makes x mod B — hence each of its m digits — exactly
 * uniform. All arithmetic is on integers below 2⁵³, exact in doubles.
 */
export function uniformDigits(count: number, base: number, rng: Rng): Int32Array {
  const out = new Int32Array(count);
  if (base <= 1) return out;
  let digits = 0;
  let block = 1;
  while (block * base <= 2 ** 50) {
    block *= base;
    digits++;
  }
  const limit = Math.floor(TWO_53 / block) * block;
  let x = 0;
  let left = 0;
  for (let i = 0; i < count; i++) {
    if (left === 0) {
      do x = rng.next() * TWO_53;
      while (x >= limit);
      x %= block;
      left = digits;
    }
    const d = x % base;
    out[i] = d;
    x = (x - d) / base;
    left--;
  }
  return out;
}
