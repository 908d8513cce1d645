/**
 * Exact nearest-neighbour search under squared L2 over a shrinking point set: a k-d tree
 * (Friedman, Bentley & Finkel 1977, "An algorithm for finding best matches in logarithmic expected
 * time", ACM TOMS 3(3)) whose nodes keep the bounding box, the window-key range and the count of
 * their ALIVE points only. Greedy matching without replacement deletes each matched control; the
 * boxes shrink with it, so a query never descends into used-up regions and its pruning bound stays
 * tight however many neighbours were taken (no candidate lists to run dry, no linear fallback).
 *
 * Each point also carries a scalar key (the propensity score): a query only sees points whose key
 * lies in [keyLo, keyHi] (the PS caliper window), and a node whose alive key range misses the
 * window is skipped whole.
 *
 * Exactness: a node is pruned only when its box lower bound lb = Σₖ gapₖ² is STRICTLY greater than
 * the caller's current bound, and gapₖ ≤ |qₖ − xₖ| holds in floating point (rounded subtraction,
 * squaring and summation in the same column order are monotone), so lb ≤ d for every point below,
 * and every point that could beat or tie the bound is visited. Point distances are summed in
 * column order exactly as the matcher's own `sqDist`, so callers see the same float64 values.
 */

/** Leaf size: 32 measured best among 4–32 on bench/matching-mahalanobis (10 covariates). */
const LEAF = 32;

export class AliveKdTree {
  private readonly q: number;
  /** Slot (tree order) → unit id, coordinates, key, alive flag. */
  private readonly unit: Int32Array;
  private readonly pts: Float64Array;
  private readonly key: Float64Array;
  private readonly alive: Uint8Array;
  private readonly slotOf: Int32Array;
  private readonly leafOf: Int32Array;
  /** Nodes: slot range, children (−1 for a leaf), parent, alive count, alive box, alive key range. */
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly parent: Int32Array;
  private readonly count: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly kLo: Float64Array;
  private readonly kHi: Float64Array;
  private nNodes = 0;
  private readonly stack: Int32Array;
  private readonly stackLb: Float64Array;
  private readonly qv: Float64Array;
  private depth = 0;

  /**
   * @param units the points' unit ids; `z` holds row u's coordinates at u·q…u·q+q−1
   * @param key per unit id (e.g. the propensity score); null: all keys 0
   * @param nUnits size of the unit-id space
   * @param keySplit nodes whose key range is wider than this split on the key first (at its
   *   median), so that subtrees align with key windows of about that width; Infinity: never
   */
  constructor(units: Int32Array, z: Float64Array, q: number, key: Float64Array | null, nUnits: number, keySplit = Infinity) {
    const n = units.length;
    this.q = q;
    this.unit = Int32Array.from(units);
    const nodes = nodeCount(n);
    this.start = new Int32Array(nodes);
    this.end = new Int32Array(nodes);
    this.left = new Int32Array(nodes);
    this.right = new Int32Array(nodes);
    this.parent = new Int32Array(nodes);
    this.count = new Int32Array(nodes);
    this.lo = new Float64Array(nodes * q);
    this.hi = new Float64Array(nodes * q);
    this.kLo = new Float64Array(nodes);
    this.kHi = new Float64Array(nodes);
    this.leafOf = new Int32Array(n);
    if (n > 0) this.build(z, key, keySplit, -1, 0, n, 0);
    this.stack = new Int32Array(this.depth + 2);
    this.stackLb = new Float64Array(this.depth + 2);
    this.qv = new Float64Array(q);
    this.pts = new Float64Array(n * q);
    this.key = new Float64Array(n);
    this.alive = new Uint8Array(n).fill(1);
    this.slotOf = new Int32Array(nUnits).fill(-1);
    for (let s = 0; s < n; s++) {
      const u = this.unit[s]!;
      this.slotOf[u] = s;
      for (let k = 0; k < q; k++) this.pts[s * q + k] = z[u * q + k]!;
      this.key[s] = key === null ? 0 : key[u]!;
    }
    for (let v = this.nNodes - 1; v >= 0; v--) this.refresh(v);
  }

  /** Builds the subtree over slots [s, e); splits at the median of the widest coordinate. */
  private build(z: Float64Array, key: Float64Array | null, keySplit: number, parent: number, s: number, e: number, depth: number): number {
    const v = this.nNodes++;
    if (depth > this.depth) this.depth = depth;
    this.start[v] = s;
    this.end[v] = e;
    this.parent[v] = parent;
    this.left[v] = -1;
    this.right[v] = -1;
    if (e - s <= LEAF) {
      for (let i = s; i < e; i++) this.leafOf[i] = v;
      return v;
    }
    const q = this.q;
    let dim = 0;
    let widest = -1;
    if (key !== null && keySplit < Infinity) {
      let a = Infinity;
      let b = -Infinity;
      for (let i = s; i < e; i++) {
        const x = key[this.unit[i]!]!;
        if (x < a) a = x;
        if (x > b) b = x;
      }
      if (b - a > keySplit) dim = -1;
    }
    for (let k = 0; k < q && dim >= 0; k++) {
      let a = Infinity;
      let b = -Infinity;
      for (let i = s; i < e; i++) {
        const x = z[this.unit[i]! * q + k]!;
        if (x < a) a = x;
        if (x > b) b = x;
      }
      if (b - a > widest) {
        widest = b - a;
        dim = k;
      }
    }
    const mid = (s + e) >> 1;
    if (dim < 0) this.select(key!, 1, 0, s, e - 1, mid);
    else this.select(z, q, dim, s, e - 1, mid);
    this.left[v] = this.build(z, key, keySplit, v, s, mid, depth + 1);
    this.right[v] = this.build(z, key, keySplit, v, mid, e, depth + 1);
    return v;
  }

  /** Quickselect (Hoare partition, median-of-three pivot): slot `k` gets its order statistic of z[u·q + dim]. */
  private select(z: Float64Array, q: number, dim: number, lo: number, hi: number, k: number): void {
    const u = this.unit;
    const val = (i: number): number => z[u[i]! * q + dim]!;
    const swap = (a: number, b: number): void => {
      const t = u[a]!;
      u[a] = u[b]!;
      u[b] = t;
    };
    while (hi > lo) {
      const m = (lo + hi) >> 1;
      if (val(m) < val(lo)) swap(m, lo);
      if (val(hi) < val(lo)) swap(hi, lo);
      if (val(hi) < val(m)) swap(hi, m);
      const pivot = val(m);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (val(i) < pivot) i++;
        while (val(j) > pivot) j--;
        if (i <= j) {
          swap(i, j);
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /** Recomputes node v's alive count, box and key range from its points or children. */
  private refresh(v: number): void {
    const q = this.q;
    const o = v * q;
    const l = this.left[v]!;
    let kl = Infinity;
    let kh = -Infinity;
    for (let k = 0; k < q; k++) {
      this.lo[o + k] = Infinity;
      this.hi[o + k] = -Infinity;
    }
    if (l < 0) {
      let c = 0;
      for (let s = this.start[v]!; s < this.end[v]!; s++) {
        if (!this.alive[s]) continue;
        c++;
        const ps = s * q;
        for (let k = 0; k < q; k++) {
          const x = this.pts[ps + k]!;
          if (x < this.lo[o + k]!) this.lo[o + k] = x;
          if (x > this.hi[o + k]!) this.hi[o + k] = x;
        }
        const x = this.key[s]!;
        if (x < kl) kl = x;
        if (x > kh) kh = x;
      }
      this.count[v] = c;
    } else {
      const r = this.right[v]!;
      this.count[v] = this.count[l]! + this.count[r]!;
      for (let k = 0; k < q; k++) {
        this.lo[o + k] = Math.min(this.lo[l * q + k]!, this.lo[r * q + k]!);
        this.hi[o + k] = Math.max(this.hi[l * q + k]!, this.hi[r * q + k]!);
      }
      kl = Math.min(this.kLo[l]!, this.kLo[r]!);
      kh = Math.max(this.kHi[l]!, this.kHi[r]!);
    }
    this.kLo[v] = kl;
    this.kHi[v] = kh;
  }

  /** Deletes unit u (no-op when absent or already deleted); O(leaf·q + depth·q). */
  remove(u: number): void {
    const s = u < this.slotOf.length ? this.slotOf[u]! : -1;
    if (s < 0 || !this.alive[s]) return;
    this.alive[s] = 0;
    for (let v = this.leafOf[s]!; v >= 0; v = this.parent[v]!) this.refresh(v);
  }

  /** Squared distance from the query to node v's alive box, summed in column order. */
  private boxLb(qv: Float64Array, v: number): number {
    const q = this.q;
    const lo = this.lo;
    const hi = this.hi;
    const o = v * q;
    let sum = 0;
    for (let k = 0; k < q; k++) {
      const x = qv[k]!;
      const a = lo[o + k]!;
      const b = hi[o + k]!;
      const g = x < a ? a - x : x > b ? x - b : 0;
      sum += g * g;
    }
    return sum;
  }

  /**
   * Visits alive points with key in [keyLo, keyHi] that may lie within the bound, nearer subtrees
   * first: `visit(unit, d)` gets the squared distance from the query (row at z[qOff…]) and returns
   * the new bound (Infinity until the caller has all it needs); points with d > bound are skipped.
   */
  search(z: Float64Array, qOff: number, keyLo: number, keyHi: number, visit: (unit: number, d: number) => number): void {
    const count = this.count;
    if (this.nNodes === 0 || count[0] === 0) return;
    const q = this.q;
    const { left, right, start, end, kLo, kHi, alive, key, pts, unit, stack, stackLb, qv } = this;
    for (let k = 0; k < q; k++) qv[k] = z[qOff + k]!;
    let bound = Infinity;
    // Depth-first; a node pops itself and pushes ≤ 2 children, so depth + 2 slots suffice.
    let top = 1;
    stack[0] = 0;
    stackLb[0] = 0;
    while (top > 0) {
      top--;
      if (stackLb[top]! > bound) continue;
      const v = stack[top]!;
      const l = left[v]!;
      if (l >= 0) {
        const r = right[v]!;
        const ll = count[l]! > 0 && kHi[l]! >= keyLo && kLo[l]! <= keyHi ? this.boxLb(qv, l) : Infinity;
        const lr = count[r]! > 0 && kHi[r]! >= keyLo && kLo[r]! <= keyHi ? this.boxLb(qv, r) : Infinity;
        // Farther child first on the stack, so the nearer one is explored first.
        const nearL = ll <= lr;
        const farLb = nearL ? lr : ll;
        const nearLb = nearL ? ll : lr;
        if (farLb <= bound) {
          stack[top] = nearL ? r : l;
          stackLb[top++] = farLb;
        }
        if (nearLb <= bound) {
          stack[top] = nearL ? l : r;
          stackLb[top++] = nearLb;
        }
        continue;
      }
      const inside = kLo[v]! >= keyLo && kHi[v]! <= keyHi;
      for (let s = start[v]!; s < end[v]!; s++) {
        if (!alive[s]) continue;
        if (!inside) {
          const ks = key[s]!;
          if (ks < keyLo || ks > keyHi) continue;
        }
        // Partial sums only grow, so stopping once one exceeds the bound skips no candidate.
        let d = 0;
        const ps = s * q;
        let k = 0;
        for (; k < q && d <= bound; k++) {
          const x = qv[k]! - pts[ps + k]!;
          d += x * x;
        }
        if (k === q && d <= bound) bound = visit(unit[s]!, d);
      }
    }
  }
}

/** Nodes of the tree over n points (the same recursion as `build`). */
function nodeCount(n: number): number {
  if (n === 0) return 0;
  if (n <= LEAF) return 1;
  const h = n >> 1;
  return 1 + nodeCount(h) + nodeCount(n - h);
}
