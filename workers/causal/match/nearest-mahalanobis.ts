/**
 * Greedy Mahalanobis nearest-neighbour matching as MatchIt 4.7.2 does it with `mahvars`
 * (`nn_matchC_mahcovs` + `find_control_mahcovs`, src/internal.cpp): covariates whitened as in
 * ./mahalanobis-transform, so the distance is squared Euclidean on Z; exact strata are matched
 * separately; the propensity score only enters through its caliper (|Δdistance| ≤ width) and
 * `discard`; rounds for ratio > 1 without replacement; k at once with replacement.
 *
 * MatchIt's search walks the units sorted by Z's first column, alternately left and right, keeping
 * the best candidate so far and stopping a side once (Δz₁)² exceeds it. The result is the exact
 * nearest admissible control; on an exact distance tie MatchIt keeps the LATER-discovered
 * candidate (`potential_matches[0] = new_match` on `dist <= best`). TIE RULE here: the same —
 * discovery key 2s − 1 for a unit s steps to the left of the focal unit in that order, 2s for one s
 * steps to the right; larger key wins; for k at once the k best by (distance, −key).
 *
 * Strategies for finding the nearest admissible alive control (always exact float64 distances):
 * - 'window': search at match time — the units inside the PS caliper in PS order when there is a
 *   caliper, else MatchIt's own pruned walk along z₁. Exact. Cheap when the caliper window is
 *   narrow, quadratic when it is wide.
 * - 'kdtree': search at match time in ./alive-kdtree, a k-d tree over the stratum's controls whose
 *   nodes track the box and PS range of their still-alive controls; the PS caliper window is a
 *   range filter inside the tree. Exact (same result as 'window', ties included): nodes are pruned
 *   only when their lower bound is strictly above the current best.
 * - 'brute' | 'tensor' | 'hnsw': METHODS.md §3.5. Each focal unit gets K = ratio + 32 candidate
 *   controls (brute: exact float64 blocks; tensor: caller's float32 top-k, e.g. tfjs; hnsw: the
 *   pure-TS HNSW index of ./hnsw), re-ranked exactly in float64, caliper violators dropped; the
 *   greedy pass takes the first still-available candidate. When a list runs out, or its first
 *   available candidate is as far as the list's farthest (so a closer or tied control could lie
 *   outside the list), the focal unit is searched exactly as in 'kdtree', so no focal unit is
 *   left unmatched while an admissible control remains. brute/tensor are exact up to float32
 *   ties in the candidate step; hnsw is approximate (recall < 1 can pick a slightly farther
 *   control, never an inadmissible one).
 * - 'auto': 'window' when the summed caliper-window size is ≤ 4e7 units or the stratum is small
 *   (n₁·n₀ ≤ 2e7); otherwise 'tensor' if a provider was given; otherwise 'kdtree'.
 */
import type { Rng } from '../random/rng';
import { createRng } from '../random/rng';
import type { Matrix } from '../types';
import { AliveKdTree } from './alive-kdtree';
import { argsortStable } from './argsort';
import type { GreedyState } from './greedy-1d';
import { HnswIndex } from './hnsw';
import { mahalanobize } from './mahalanobis-transform';
import type { CandidateStrategy, MatchOrder, TopKProvider } from './options';
import { focalOrder } from './prepare';
import type { CovariateCaliperColumns } from './sorted-index-1d';

export interface MahalanobisInput {
  readonly mahvars: Matrix;
  readonly mahvarNames?: readonly string[];
  readonly distance: Float64Array | null;
  readonly focal: Uint8Array;
  readonly discarded: Uint8Array;
  readonly usable: Uint8Array;
  readonly stratum: Int32Array;
  readonly nStrata: number;
  readonly focalUnits: Int32Array;
  readonly ratio: Int32Array;
  readonly maxRatio: number;
  readonly reuseMax: number;
  readonly caliper: number | null;
  readonly covariateCalipers: CovariateCaliperColumns | null;
  readonly order: MatchOrder;
  readonly rng?: Rng;
  readonly strategy: CandidateStrategy;
  readonly topK?: TopKProvider;
}

const EXTRA_CANDIDATES = 32;

/** Squared Euclidean distance between rows a and b of Z (summed in column order, as MatchIt). */
function sqDist(z: Float64Array, q: number, a: number, b: number): number {
  let s = 0;
  const oa = a * q;
  const ob = b * q;
  for (let k = 0; k < q; k++) {
    const d = z[oa + k]! - z[ob + k]!;
    s += d * d;
  }
  return s;
}

/** Sorted list of controls with "next alive" links (deleted nodes keep their forward link). */
class AliveList {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly slotOf: Map<number, number> = new Map();

  constructor(
    readonly units: Int32Array,
    readonly values: Float64Array,
  ) {
    const m = units.length;
    this.next = Int32Array.from({ length: m }, (_, k) => k + 1);
    this.prev = Int32Array.from({ length: m }, (_, k) => k - 1);
    units.forEach((u, k) => this.slotOf.set(u, k));
  }

  remove(u: number): void {
    const slot = this.slotOf.get(u)!;
    const a = this.prev[slot]!;
    const b = this.next[slot]!;
    if (a >= 0) this.next[a] = b;
    if (b < this.units.length) this.prev[b] = a;
  }

  /** First index with value ≥ x (`upper` false) or > x (`upper` true). */
  bound(x: number, upper: boolean): number {
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.values[mid]! < x || (upper && this.values[mid]! === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First alive slot at or after `slot` (m when none). */
  firstAlive(slot: number, alive: Uint8Array): number {
    let s = slot;
    while (s < this.units.length && !alive[this.units[s]!]) s = this.next[s]!;
    return s;
  }

  /** Last alive slot at or before `slot` (−1 when none). */
  lastAlive(slot: number, alive: Uint8Array): number {
    let s = slot;
    while (s >= 0 && !alive[this.units[s]!]) s--;
    return s;
  }
}

/** One exact stratum: its controls in PS order and in z₁ order, and MatchIt's walk positions. */
class Stratum {
  readonly controls: Int32Array;
  /** Position of each unit of the stratum in z₁ order (all units: MatchIt's walk). */
  readonly walkPos: Int32Array;
  readonly alive: Uint8Array;
  private readonly byPs: AliveList;
  private readonly byZ: AliveList;
  private kd: AliveKdTree | null = null;

  constructor(
    units: Int32Array,
    isControl: (u: number) => boolean,
    private readonly z: Float64Array,
    private readonly q: number,
    private readonly distance: Float64Array | null,
    private readonly n: number,
  ) {
    const walk = argsortStable(Float64Array.from(units, (u) => z[u * q]!));
    this.walkPos = new Int32Array(n).fill(-1);
    walk.forEach((k, p) => {
      this.walkPos[units[k]!] = p;
    });
    const ctrl: number[] = [];
    for (let k = 0; k < walk.length; k++) if (isControl(units[walk[k]!]!)) ctrl.push(units[walk[k]!]!);
    this.controls = Int32Array.from(ctrl);
    this.byZ = new AliveList(this.controls, Float64Array.from(this.controls, (u) => z[u * q]!));
    const ps = distance === null ? new Float64Array(ctrl.length) : Float64Array.from(this.controls, (u) => distance[u]!);
    const psOrder = argsortStable(ps);
    this.byPs = new AliveList(
      Int32Array.from(psOrder, (k) => this.controls[k]!),
      Float64Array.from(psOrder, (k) => ps[k]!),
    );
    this.alive = new Uint8Array(n);
    for (const u of ctrl) this.alive[u] = 1;
  }

  isAlive(u: number): boolean {
    return this.alive[u] === 1;
  }

  remove(u: number): void {
    this.alive[u] = 0;
    this.byPs.remove(u);
    this.byZ.remove(u);
    this.kd?.remove(u);
  }

  /** The k-d tree over the alive controls, keyed by the distance (built on first use). */
  tree(keySplit: number): AliveKdTree {
    if (this.kd === null) {
      this.kd = new AliveKdTree(this.controls, this.z, this.q, this.distance, this.n, keySplit);
      for (const u of this.controls) if (!this.alive[u]) this.kd.remove(u);
    }
    return this.kd;
  }

  /** Calls `visit` for every alive control with PS in [lo, hi]. */
  scanPsWindow(lo: number, hi: number, visit: (u: number) => void): void {
    const list = this.byPs;
    let s = list.firstAlive(list.bound(lo, false), this.alive);
    while (s < list.units.length && list.values[s]! <= hi) {
      visit(list.units[s]!);
      s = list.next[s]!;
    }
  }

  /** Number of controls (dead ones too) with PS in [lo, hi]: the cost of a window scan. */
  windowSize(lo: number, hi: number): number {
    return this.byPs.bound(hi, true) - this.byPs.bound(lo, false);
  }

  /**
   * MatchIt's walk along z₁ outward from the focal unit, alternating sides; `visit` returns the
   * current k-th best distance, and a side stops once (Δz₁)² exceeds it (strictly, so no tied
   * candidate is cut off).
   */
  walkZ(t: number, visit: (u: number) => number): void {
    const list = this.byZ;
    const m = list.units.length;
    const zt = this.z[t * this.q]!;
    const start = list.bound(zt, false);
    let r = list.firstAlive(start, this.alive);
    let l = r < m ? list.prev[r]! : list.lastAlive(m - 1, this.alive);
    let best = Infinity;
    let left = false;
    let lStop = l < 0;
    let rStop = r >= m;
    while (!lStop || !rStop) {
      left = lStop ? false : rStop ? true : !left;
      const slot = left ? l : r;
      const gap = list.values[slot]! - zt;
      if (gap * gap > best) {
        if (left) lStop = true;
        else rStop = true;
        continue;
      }
      best = visit(list.units[slot]!);
      if (left) {
        l = list.prev[slot]!;
        lStop = l < 0;
      } else {
        r = list.next[slot]!;
        rStop = r >= m;
      }
    }
  }
}

interface Pick {
  unit: number;
  dist: number;
  key: number;
}

/** (dist, −key) order: smaller distance first; on a tie the later-discovered unit first. */
function better(d: number, key: number, bestD: number, bestKey: number): boolean {
  return d < bestD || (d === bestD && key > bestKey);
}

export function matchMahalanobis(input: MahalanobisInput): GreedyState {
  const { focal, usable, stratum, nStrata, focalUnits, ratio, maxRatio, reuseMax, distance, caliper } = input;
  const n = focal.length;
  const { z: zm } = mahalanobize(input.mahvars, focal, input.discarded, input.mahvarNames);
  const z = zm.data;
  const q = zm.cols;
  const rows = focalUnits.length;
  const mm = new Int32Array(rows * maxRatio).fill(-1);
  const filled = new Int32Array(rows);
  const rowOf = new Int32Array(n).fill(-1);
  focalUnits.forEach((u, r) => {
    rowOf[u] = r;
  });
  const cc = input.covariateCalipers;
  const admissible = (t: number, c: number): boolean => {
    if (caliper !== null && distance !== null) {
      const gap = Math.abs(distance[t]! - distance[c]!);
      if (caliper >= 0 ? gap > caliper : gap <= -caliper) return false;
    }
    if (cc !== null) {
      for (let k = 0; k < cc.widths.length; k++) {
        const w = cc.widths[k]!;
        const gap = Math.abs(cc.columns[k]![t]! - cc.columns[k]![c]!);
        if (w >= 0 ? gap > w : gap <= -w) return false;
      }
    }
    return true;
  };
  const globalOrder = focalOrder(input.order === 'closest' || input.order === 'farthest' ? 'data' : input.order, focalUnits, usable, distance, input.rng);

  // Units of each stratum (MatchIt passes every unit of a matched stratum, discarded included).
  const members: number[][] = Array.from({ length: nStrata }, () => []);
  for (let i = 0; i < n; i++) members[stratum[i]!]!.push(i);

  for (let s = 0; s < nStrata; s++) {
    const units = Int32Array.from(members[s]!);
    const st = new Stratum(units, (u) => !focal[u] && usable[u] === 1, z, q, distance, n);
    const walkPos = st.walkPos;
    const keyOf = (t: number, c: number): number => {
      const dp = walkPos[c]! - walkPos[t]!;
      return dp < 0 ? -2 * dp - 1 : 2 * dp;
    };
    const order = Int32Array.from(Array.from(globalOrder).filter((row) => stratum[focalUnits[row]!] === s));
    const nfStratum = Array.from(focalUnits).filter((u) => stratum[u] === s).length;
    const useRounds = reuseMax < nfStratum;
    const m0 = st.controls.length;
    const n1 = order.length;
    if (m0 === 0 || n1 === 0) continue;

    const times = new Int32Array(n);
    let controlsLeft = m0;
    const eligible = (u: number): boolean => usable[u] === 1 && (focal[u] ? true : st.isAlive(u));
    const previous = (row: number, u: number): boolean => {
      for (let k = 0; k < filled[row]!; k++) if (mm[row * maxRatio + k] === u) return true;
      return false;
    };

    let strategy = input.strategy;
    /** Exact best-k admissible alive controls for focal t (k ≥ 1), by (dist, −key). */
    const exactSearch = (row: number, t: number, k: number, excludePrevious: boolean): Pick[] => {
      const found: Pick[] = [];
      const consider = (c: number, dc?: number): number => {
        if (!(excludePrevious && previous(row, c)) && admissible(t, c)) {
          const d = dc ?? sqDist(z, q, t, c);
          if (Number.isFinite(d)) {
            const key = keyOf(t, c);
            if (found.length < k || better(d, key, found[found.length - 1]!.dist, found[found.length - 1]!.key)) {
              let at = found.length;
              while (at > 0 && better(d, key, found[at - 1]!.dist, found[at - 1]!.key)) at--;
              found.splice(at, 0, { unit: c, dist: d, key });
              if (found.length > k) found.pop();
            }
          }
        }
        return found.length < k ? Infinity : found[found.length - 1]!.dist;
      };
      const windowed = caliper !== null && caliper >= 0 && distance !== null;
      if (strategy !== 'window') {
        // The window bounds exactly as scanPsWindow computes them, so the admitted sets agree.
        const lo = windowed ? distance[t]! - caliper : -Infinity;
        const hi = windowed ? distance[t]! + caliper : Infinity;
        st.tree(windowed ? caliper : Infinity).search(z, t * q, lo, hi, consider);
      } else if (windowed) {
        st.scanPsWindow(distance[t]! - caliper, distance[t]! + caliper, (c) => {
          consider(c);
        });
      } else {
        st.walkZ(t, consider);
      }
      return found;
    };

    if (strategy === 'auto') {
      let windowCost = 0;
      if (caliper !== null && caliper >= 0 && distance !== null) {
        for (let k = 0; k < n1; k++) {
          const t = focalUnits[order[k]!]!;
          windowCost += st.windowSize(distance[t]! - caliper, distance[t]! + caliper);
        }
      } else windowCost = Infinity;
      if (windowCost <= 4e7 || n1 * m0 <= 2e7) strategy = 'window';
      else strategy = input.topK !== undefined ? 'tensor' : 'kdtree';
    }

    const assign = (row: number, t: number, c: number): void => {
      mm[row * maxRatio + filled[row]!++] = c;
      if (useRounds) {
        if (++times[c]! >= reuseMax) {
          st.remove(c);
          controlsLeft--;
        }
      }
      void t;
    };

    if (strategy === 'window' || strategy === 'kdtree') {
      if (useRounds) {
        for (let r = 1; r <= maxRatio; r++) {
          for (let k = 0; k < n1; k++) {
            const row = order[k]!;
            if (ratio[row]! < r) continue;
            if (controlsLeft === 0) break;
            const t = focalUnits[row]!;
            if (!eligible(t) || times[t]! >= ratio[row]!) continue;
            const best = exactSearch(row, t, 1, r > 1);
            if (best.length === 0) {
              times[t] = ratio[row]!;
              continue;
            }
            assign(row, t, best[0]!.unit);
            times[t]!++;
          }
        }
      } else {
        for (let k = 0; k < n1; k++) {
          const row = order[k]!;
          const t = focalUnits[row]!;
          if (!eligible(t)) continue;
          for (const pick of exactSearch(row, t, ratio[row]!, false)) assign(row, t, pick.unit);
        }
      }
      continue;
    }

    // Candidate lists (METHODS §3.5).
    const K = Math.min(m0, maxRatio + EXTRA_CANDIDATES);
    const focalRows = order;
    const queryUnits = Int32Array.from(focalRows, (row) => focalUnits[row]!);
    const cand = candidateLists(strategy, z, q, queryUnits, st.controls, K, input.topK, input.rng);
    const lists: Pick[][] = [];
    const listMax = new Float64Array(n1);
    for (let k = 0; k < n1; k++) {
      const t = queryUnits[k]!;
      const list: Pick[] = [];
      let maxD = 0;
      for (let j = 0; j < K; j++) {
        const c = cand[k * K + j]!;
        if (c < 0) continue;
        const d = sqDist(z, q, t, c);
        if (d > maxD) maxD = d;
        if (admissible(t, c) && Number.isFinite(d)) list.push({ unit: c, dist: d, key: keyOf(t, c) });
      }
      list.sort((a, b) => a.dist - b.dist || b.key - a.key);
      lists.push(list);
      // With fewer than K controls in the stratum the list is complete.
      listMax[k] = K >= m0 ? Infinity : maxD;
    }
    const cursor = new Int32Array(n1);
    /** First usable list entry, or the exact search when the list cannot be trusted. */
    const nextPick = (k: number, row: number, t: number, excludePrevious: boolean): number => {
      const list = lists[k]!;
      let j = cursor[k]!;
      while (j < list.length && (!st.isAlive(list[j]!.unit) || (excludePrevious && previous(row, list[j]!.unit)))) j++;
      cursor[k] = j;
      if (j < list.length && list[j]!.dist < listMax[k]!) return list[j]!.unit;
      const exact = exactSearch(row, t, 1, excludePrevious);
      return exact.length === 0 ? -1 : exact[0]!.unit;
    };
    if (useRounds) {
      for (let r = 1; r <= maxRatio; r++) {
        for (let k = 0; k < n1; k++) {
          const row = focalRows[k]!;
          if (ratio[row]! < r) continue;
          if (controlsLeft === 0) break;
          const t = queryUnits[k]!;
          if (!eligible(t) || times[t]! >= ratio[row]!) continue;
          const c = nextPick(k, row, t, r > 1);
          if (c < 0) {
            times[t] = ratio[row]!;
            continue;
          }
          assign(row, t, c);
          times[t]!++;
        }
      }
    } else {
      for (let k = 0; k < n1; k++) {
        const row = focalRows[k]!;
        const t = queryUnits[k]!;
        if (!eligible(t)) continue;
        const list = lists[k]!;
        const need = ratio[row]!;
        const picks = list.length >= need && list[need - 1]!.dist < listMax[k]! ? list.slice(0, need) : exactSearch(row, t, need, false);
        for (const p of picks) assign(row, t, p.unit);
      }
    }
  }
  return { matchMatrix: mm, filled };
}

/** K candidate controls per query unit (unit ids, −1 padding). */
function candidateLists(
  strategy: CandidateStrategy,
  z: Float64Array,
  q: number,
  queries: Int32Array,
  controls: Int32Array,
  k: number,
  topK: TopKProvider | undefined,
  rng: Rng | undefined,
): Int32Array {
  const nq = queries.length;
  const out = new Int32Array(nq * k).fill(-1);
  const gather = (units: Int32Array): Matrix => {
    const data = new Float64Array(units.length * q);
    for (let i = 0; i < units.length; i++) for (let j = 0; j < q; j++) data[i * q + j] = z[units[i]! * q + j]!;
    return { data, rows: units.length, cols: q };
  };
  if (strategy === 'tensor' && topK !== undefined) {
    const idx = topK(gather(queries), gather(controls), k);
    for (let i = 0; i < idx.length; i++) out[i] = idx[i]! >= 0 ? controls[idx[i]!]! : -1;
    return out;
  }
  if (strategy === 'hnsw') {
    const pool = gather(controls);
    const index = new HnswIndex(pool, { rng: rng?.derive('hnsw') ?? createRng('hnsw') });
    const qm = gather(queries);
    const ef = Math.max(64, 2 * k);
    for (let i = 0; i < nq; i++) {
      const res = index.search(qm.data.subarray(i * q, (i + 1) * q), k, ef);
      for (let j = 0; j < res.length; j++) out[i * k + j] = controls[res[j]!]!;
    }
    return out;
  }
  // Exact float64 brute force in blocks of queries, keeping the k best per query.
  const pool = gather(controls);
  const best = new Float64Array(k);
  for (let i = 0; i < nq; i++) {
    const t = queries[i]!;
    let count = 0;
    for (let c = 0; c < controls.length; c++) {
      let d = 0;
      for (let j = 0; j < q; j++) {
        const x = z[t * q + j]! - pool.data[c * q + j]!;
        d += x * x;
      }
      if (count < k || d < best[count - 1]!) {
        let at = count < k ? count++ : k - 1;
        while (at > 0 && best[at - 1]! > d) {
          best[at] = best[at - 1]!;
          out[i * k + at] = out[i * k + at - 1]!;
          at--;
        }
        best[at] = d;
        out[i * k + at] = controls[c]!;
      }
    }
  }
  return out;
}
