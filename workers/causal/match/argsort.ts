/**
 * Stable argsort of a Float64Array, the equivalent of R's `order(x)` and
 * `order(x, decreasing = TRUE)` (method "radix", which is stable in both directions: tied values
 * keep their data order). LSD radix sort on the IEEE-754 bits made order-preserving
 * (flip all bits of negatives, flip the sign bit of positives), four 16-bit passes, so 1M keys
 * sort in tens of milliseconds instead of the ~1 s of `Array.prototype.sort` with a comparator.
 * −0 is folded into +0 so the two compare equal, as in R. NaN is rejected by the callers.
 */

const RADIX = 1 << 16;

/** Order-preserving 64-bit key of each value, as (hi, lo) uint32 halves. */
function sortableKeys(values: Float64Array, descending: boolean): { hi: Uint32Array; lo: Uint32Array } {
  const n = values.length;
  const scratch = new Float64Array(1);
  const bits = new Uint32Array(scratch.buffer);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    scratch[0] = values[i]! + 0;
    let l = bits[0]!;
    let h = bits[1]!;
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    if (descending) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    hi[i] = h;
    lo[i] = l;
  }
  return { hi, lo };
}

/** 0-based indices that sort `values` (ascending unless `descending`), ties in index order. */
export function argsortStable(values: Float64Array, descending = false): Int32Array {
  const n = values.length;
  const { hi, lo } = sortableKeys(values, descending);
  let idx = new Int32Array(n);
  let tmp = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const count = new Int32Array(RADIX);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(word[idx[i]!]! >>> shift) & 0xffff]!++;
    // Skip passes where every key has the same digit: common for the high bits.
    let distinct = 0;
    for (let d = 0; d < RADIX && distinct < 2; d++) if (count[d]! > 0) distinct++;
    if (distinct < 2) continue;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      const d = (word[j]! >>> shift) & 0xffff;
      tmp[count[d]!++] = j;
    }
    const swap = idx;
    idx = tmp;
    tmp = swap;
  }
  return idx;
}
