/**
 * The sorted 1-D search of MatchIt 4.7.2 (`find_control_vec` in src/internal.cpp), run in
 * O(log n)-amortised time per query instead of walking over every unit.
 *
 * MatchIt sorts all units by distance once, then for a focal unit at sorted position ii walks
 * outward, one step left, one step right, alternately, skipping units that are of the focal group,
 * already used up, or discarded. A side stops at the first eligible unit beyond the caliper, after
 * `ratio` accepted candidates on that side, or when `ratio` candidates strictly closer than the
 * current unit are already in hand. The candidates are then ordered by |Δdistance| with
 * libstdc++'s `partial_sort` (first `ratio` kept).
 *
 * Here the eligible non-focal units of each exact stratum live in one array sorted by distance
 * (with their global sorted positions); used-up units are removed with two union–find
 * "next alive" pointer arrays (path halving), so skipping them is amortised O(α(n)). Units of
 * other strata, focal units and dead units are never visited, but their positions still count as
 * walk steps: the k-th left step happens at walk iteration 2k − 1 and the k-th right step at 2k,
 * so whichever side reaches its candidate at the smaller iteration number discovers it first.
 * That discovery order is what decides exact distance ties, exactly as in MatchIt:
 *   TIE RULE: at equal |Δdistance| the candidate MatchIt's alternating walk meets first wins,
 *   i.e. the left one when (ii − pos_left) ≤ (pos_right − ii) in the sorted order of all units,
 *   otherwise the right one (for ratio 1; for ratio > 1 libstdc++'s heap order decides, emulated
 *   in ./libstdcxx-sort).
 * Skipping units of other strata is safe: in MatchIt such a unit can only stop a side at a point
 * beyond which no same-stratum unit could be accepted, and stopping one side early only moves the
 * other side's later discoveries earlier, after every discovery already made.
 */
import { insertionSortByDist, partialSortLibstdcxx } from './libstdcxx-sort';

export interface CovariateCaliperColumns {
  /** Per unit covariate values, one array per caliper. */
  readonly columns: readonly Float64Array[];
  /** Raw widths; negative means "must be farther than |w|" as in MatchIt. */
  readonly widths: Float64Array;
}

export interface SortedIndexInput {
  readonly distance: Float64Array;
  /** 1 = focal group, 0 = the group matched to it. */
  readonly focal: Uint8Array;
  /** Units that may take part (not discarded, stratum has both groups). */
  readonly usable: Uint8Array;
  /** Dense stratum id per unit (0 when no exact matching). */
  readonly stratum: Int32Array;
  readonly nStrata: number;
  /** Raw caliper on |Δdistance|; MatchIt's "no caliper" is max − min + 1. Negative = minimum gap. */
  readonly caliper: number;
  readonly covariateCalipers: CovariateCaliperColumns | null;
}

export class SortedIndex1D {
  readonly n: number;
  /** Global sorted position of each unit (R `order(distance)`, stable). */
  readonly posOf: Int32Array;
  /** Non-focal usable units in stratum-then-distance order. */
  readonly cUnit: Int32Array;
  readonly cPos: Int32Array;
  readonly cDist: Float64Array;
  readonly stratumStart: Int32Array;
  readonly stratumEnd: Int32Array;
  /** For a focal unit: index in `cUnit` of the first control of its stratum to its right. */
  readonly insertAt: Int32Array;
  /** Index in `cUnit` of each control unit, −1 otherwise. */
  readonly slotOf: Int32Array;
  private readonly leftNext: Int32Array;
  private readonly rightNext: Int32Array;
  private readonly alive: Uint8Array;
  readonly distance: Float64Array;
  private readonly stratum: Int32Array;
  private readonly caliper: number;
  private readonly cc: CovariateCaliperColumns | null;
  // Scratch for one query (candidates: at most ratio per side).
  private candUnit = new Int32Array(8);
  private candDist = new Float64Array(8);
  private candOrder = new Int32Array(8);

  constructor(input: SortedIndexInput, order: Int32Array) {
    const { distance, focal, usable, stratum, nStrata } = input;
    const n = distance.length;
    this.n = n;
    this.distance = distance;
    this.stratum = stratum;
    this.caliper = input.caliper;
    this.cc = input.covariateCalipers;
    const posOf = new Int32Array(n);
    for (let p = 0; p < n; p++) posOf[order[p]!] = p;
    this.posOf = posOf;

    const counts = new Int32Array(nStrata + 1);
    for (let i = 0; i < n; i++) if (usable[i] && !focal[i]) counts[stratum[i]! + 1]!++;
    for (let s = 0; s < nStrata; s++) counts[s + 1]! += counts[s]!;
    const m = counts[nStrata]!;
    this.stratumStart = counts.slice(0, nStrata);
    this.stratumEnd = counts.slice(1, nStrata + 1);
    const fill = counts.slice(0, nStrata);
    this.cUnit = new Int32Array(m);
    this.cPos = new Int32Array(m);
    this.cDist = new Float64Array(m);
    this.insertAt = new Int32Array(n).fill(-1);
    this.slotOf = new Int32Array(n).fill(-1);
    for (let p = 0; p < n; p++) {
      const u = order[p]!;
      if (!usable[u]) continue;
      const s = stratum[u]!;
      if (focal[u]) {
        this.insertAt[u] = fill[s]!;
      } else {
        const j = fill[s]!++;
        this.cUnit[j] = u;
        this.cPos[j] = p;
        this.cDist[j] = distance[u]!;
        this.slotOf[u] = j;
      }
    }
    // Union–find arrays shifted by one: slot j lives at j + 1; 0 and m + 1 are sentinels.
    this.leftNext = new Int32Array(m + 2);
    this.rightNext = new Int32Array(m + 2);
    for (let j = 0; j < m + 2; j++) {
      this.leftNext[j] = j;
      this.rightNext[j] = j;
    }
    this.alive = new Uint8Array(m).fill(1);
  }

  isAlive(slot: number): boolean {
    return this.alive[slot] === 1;
  }

  /** Removes a control slot (used up). */
  remove(slot: number): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.leftNext[slot + 1] = slot;
    this.rightNext[slot + 1] = slot + 2;
  }

  /** Largest alive slot ≤ j (shifted arithmetic), or −1 if none. */
  private findLeft(j: number): number {
    const a = this.leftNext;
    let x = j + 1;
    while (a[x]! !== x) {
      const nx = a[x]!;
      a[x] = a[nx]!;
      x = nx;
    }
    return x - 1;
  }

  /** Smallest alive slot ≥ j, or m if none. */
  private findRight(j: number): number {
    const a = this.rightNext;
    let x = j + 1;
    while (a[x]! !== x) {
      const nx = a[x]!;
      a[x] = a[nx]!;
      x = nx;
    }
    return x - 1;
  }

  private ensureScratch(size: number): void {
    if (this.candUnit.length >= size) return;
    this.candUnit = new Int32Array(size);
    this.candDist = new Float64Array(size);
    this.candOrder = new Int32Array(size);
  }

  private covCaliperOk(t: number, c: number): boolean {
    const cc = this.cc;
    if (cc === null) return true;
    for (let k = 0; k < cc.widths.length; k++) {
      const col = cc.columns[k]!;
      const w = cc.widths[k]!;
      const gap = Math.abs(col[t]! - col[c]!);
      if (w >= 0 ? gap > w : gap <= -w) return false;
    }
    return true;
  }

  /**
   * `find_control_vec(t, …, r, mm_row, ratio, prev_start)`: writes up to `ratio` control units
   * into `out` (closest first) and returns how many. `previous` are units already matched to t
   * (MatchIt restarts the walk beyond them in round r > 1 and never re-picks them);
   * `prevStart` is the unit t was last paired with (best-first re-matching), −1 if none.
   */
  find(t: number, ratio: number, previous: Int32Array | null, nPrevious: number, prevStart: number, out: Int32Array): number {
    const s = this.stratum[t]!;
    const lo = this.stratumStart[s]!;
    const hi = this.stratumEnd[s]!;
    const ii = this.posOf[t]!;
    const dt = this.distance[t]!;
    const distance = this.distance;
    let iil = ii;
    let iir = ii;
    let jl = this.insertAt[t]! - 1;
    let jr = this.insertAt[t]!;
    let minDist = 0;
    let anyStart = false;
    const nStarts = (previous === null ? 0 : nPrevious) + (prevStart >= 0 ? 1 : 0);
    for (let k = 0; k < nStarts; k++) {
      const u = previous !== null && k < nPrevious ? previous[k]! : prevStart;
      const p = this.posOf[u]!;
      const slot = this.slotOf[u]!;
      if (p < iil) {
        iil = p;
        jl = slot - 1;
      }
      if (p > iir) {
        iir = p;
        jr = slot + 1;
      }
      anyStart = true;
    }
    if (anyStart) {
      const dl = Math.abs(dt - distance[this.cUnit[jl + 1]!]!);
      const dr = Math.abs(dt - distance[this.cUnit[jr - 1]!]!);
      if (iil === ii) minDist = dr;
      else if (iir === ii) minDist = dl;
      else minDist = Math.max(dl, dr);
    }
    const cal = this.caliper;
    if (cal <= 0 && minDist < -cal) minDist = -cal;

    this.ensureScratch(2 * ratio + 2);
    const candUnit = this.candUnit;
    const candDist = this.candDist;
    let nCand = 0;
    let nLeft = 0;
    let nRight = 0;
    let l = jl >= lo ? this.findLeft(jl) : -1;
    let r = jr < hi ? this.findRight(jr) : hi;
    let lActive = l >= lo;
    let rActive = r < hi;
    while (lActive || rActive) {
      let goLeft: boolean;
      if (lActive && rActive) goLeft = 2 * (iil - this.cPos[l]!) - 1 < 2 * (this.cPos[r]! - iir);
      else goLeft = lActive;
      const slot = goLeft ? l : r;
      const u = this.cUnit[slot]!;
      // Advance this side past `slot` before deciding, so `continue` moves on.
      if (goLeft) {
        l = slot - 1 >= lo ? this.findLeft(slot - 1) : -1;
      } else {
        r = slot + 1 < hi ? this.findRight(slot + 1) : hi;
      }
      let stopSide = false;
      let accept = true;
      if (previous !== null && nPrevious > 0) {
        for (let k = 0; k < nPrevious; k++) if (previous[k] === u) accept = false;
      }
      if (accept) {
        const d = Math.abs(dt - distance[u]!);
        if (cal >= 0) {
          if (d > cal) {
            stopSide = true;
            accept = false;
          }
        } else if (d <= -cal) accept = false;
        if (accept && d < minDist) accept = false;
        if (accept && nCand >= ratio) {
          let closer = 0;
          for (let k = 0; k < nCand && closer < ratio; k++) if (candDist[k]! < d) closer++;
          if (closer >= ratio) {
            stopSide = true;
            accept = false;
          }
        }
        if (accept && !this.covCaliperOk(t, u)) accept = false;
        if (accept) {
          candUnit[nCand] = u;
          candDist[nCand] = d;
          nCand++;
          if (goLeft) {
            if (++nLeft === ratio) stopSide = true;
          } else if (++nRight === ratio) stopSide = true;
        }
      }
      if (goLeft) lActive = !stopSide && l >= lo;
      else rActive = !stopSide && r < hi;
    }
    return this.selectClosest(nCand, ratio, out);
  }

  private selectClosest(nCand: number, ratio: number, out: Int32Array): number {
    const candUnit = this.candUnit;
    const candDist = this.candDist;
    if (nCand <= 1) {
      if (nCand === 1) out[0] = candUnit[0]!;
      return nCand;
    }
    let sorted = true;
    for (let k = 1; k < nCand; k++) if (candDist[k]! < candDist[k - 1]!) sorted = false;
    if (nCand <= ratio && sorted) {
      for (let k = 0; k < nCand; k++) out[k] = candUnit[k]!;
      return nCand;
    }
    const ord = this.candOrder;
    for (let k = 0; k < nCand; k++) ord[k] = k;
    if (nCand > ratio) {
      partialSortLibstdcxx(ord, nCand, ratio, candDist);
      for (let k = 0; k < ratio; k++) out[k] = candUnit[ord[k]!]!;
      return ratio;
    }
    insertionSortByDist(ord, nCand, candDist);
    for (let k = 0; k < nCand; k++) out[k] = candUnit[ord[k]!]!;
    return nCand;
  }
}
