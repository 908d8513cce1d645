/**
 * Greedy nearest-neighbour matching on a scalar distance, as MatchIt 4.7.2's
 * `nn_matchC_vec` (m.order largest/smallest/random/data) and `nn_matchC_vec_closest`
 * (m.order closest/farthest) do it, on top of the O(log n) sorted search of ./sorted-index-1d.
 *
 * Without replacement (reuse.max < number of focal units): rounds r = 1..max(ratio); in each
 * round every focal unit, in m.order, takes the nearest still-available control (so every
 * focal unit gets its 1st match before any gets its 2nd). A focal unit with no admissible
 * control drops out; a control used reuse.max times is removed.
 * With replacement: each focal unit takes its `ratio` nearest controls at once; nothing is removed.
 * Best-first (Rassen et al. 2012, "closest"; "farthest" reverses it): in each round every focal
 * unit proposes its nearest control; proposals are taken in order of |Δdistance| (stable, data
 * order on ties); when a proposal's control has been taken meanwhile, the focal unit searches
 * again from where it was and re-enters the queue ahead of equal distances (behind them for
 * "farthest"), which is where MatchIt's `std::lower_bound` + `std::rotate` puts it.
 */
import { PairHeap } from './priority-queue';
import type { SortedIndex1D } from './sorted-index-1d';

export interface GreedyState {
  /** focal row × maxRatio, control unit ids, −1 empty. */
  readonly matchMatrix: Int32Array;
  readonly filled: Int32Array;
}

export interface Greedy1DInput {
  readonly index: SortedIndex1D;
  /** Focal units in data order: the rows of the match matrix. */
  readonly focalUnits: Int32Array;
  /** Row of each unit in `focalUnits` (−1 for non-focal units). */
  readonly rowOf: Int32Array;
  /** Per focal row, how many matches it should get. */
  readonly ratio: Int32Array;
  readonly maxRatio: number;
  readonly reuseMax: number;
  /** Focal units that may be matched (not discarded, stratum has both groups). */
  readonly usable: Uint8Array;
  /** Number of usable non-focal units. */
  readonly nUsableControls: number;
}

function newState(input: Greedy1DInput): GreedyState {
  const rows = input.focalUnits.length;
  return { matchMatrix: new Int32Array(rows * input.maxRatio).fill(-1), filled: new Int32Array(rows) };
}

/** m.order largest/smallest/random/data; `order` lists focal rows in matching order. */
export function greedyMatch1D(input: Greedy1DInput, order: Int32Array): GreedyState {
  const { index, focalUnits, ratio, maxRatio, reuseMax } = input;
  const state = newState(input);
  const mm = state.matchMatrix;
  const filled = state.filled;
  const out = new Int32Array(Math.max(1, maxRatio));
  const nFocal = focalUnits.length;
  const eligible = Uint8Array.from(input.usable);
  if (reuseMax < nFocal) {
    const times = new Int32Array(index.n);
    let controlsLeft = input.nUsableControls;
    const prev = new Int32Array(Math.max(1, maxRatio));
    for (let r = 1; r <= maxRatio; r++) {
      for (let k = 0; k < order.length; k++) {
        const row = order[k]!;
        if (ratio[row]! < r) continue;
        if (controlsLeft === 0) break;
        const t = focalUnits[row]!;
        if (!eligible[t]) continue;
        const nPrev = filled[row]!;
        for (let q = 0; q < nPrev; q++) prev[q] = mm[row * maxRatio + q]!;
        const got = index.find(t, 1, r > 1 ? prev : null, r > 1 ? nPrev : 0, -1, out);
        if (got === 0) {
          eligible[t] = 0;
          continue;
        }
        const c = out[0]!;
        mm[row * maxRatio + filled[row]!++] = c;
        if (++times[c]! >= reuseMax) {
          index.remove(index.slotOf[c]!);
          controlsLeft--;
        }
        if (++times[t]! >= ratio[row]!) eligible[t] = 0;
      }
    }
  } else {
    for (let k = 0; k < order.length; k++) {
      const row = order[k]!;
      const t = focalUnits[row]!;
      if (!eligible[t]) continue;
      const got = index.find(t, ratio[row]!, null, 0, -1, out);
      for (let q = 0; q < got; q++) mm[row * maxRatio + filled[row]!++] = out[q]!;
    }
  }
  return state;
}

/** m.order closest (`close` true) or farthest: MatchIt's `nn_matchC_vec_closest`. */
export function bestFirstMatch1D(input: Greedy1DInput, close: boolean): GreedyState {
  const { index, focalUnits, ratio, maxRatio, reuseMax } = input;
  const state = newState(input);
  const mm = state.matchMatrix;
  const filled = state.filled;
  const nFocal = focalUnits.length;
  const eligible = Uint8Array.from(input.usable);
  let focalLeft = 0;
  for (let row = 0; row < nFocal; row++) if (eligible[focalUnits[row]!]) focalLeft++;
  let controlsLeft = input.nUsableControls;
  const times = new Int32Array(index.n);
  const out = new Int32Array(1);
  const prev = new Int32Array(Math.max(1, maxRatio));
  const proposal = new Int32Array(nFocal).fill(-1);
  const proposalDist = new Float64Array(nFocal);
  const dist = (t: number, c: number): number => Math.abs(index.distance[t]! - index.distance[c]!);
  const search = (row: number, r: number, prevStart: number): number => {
    const t = focalUnits[row]!;
    const nPrev = filled[row]!;
    for (let q = 0; q < nPrev; q++) prev[q] = mm[row * maxRatio + q]!;
    return index.find(t, 1, r > 1 ? prev : null, r > 1 ? nPrev : 0, prevStart, out) === 0 ? -1 : out[0]!;
  };
  for (let r = 1; r <= maxRatio; r++) {
    const heap = new PairHeap(nFocal);
    for (let row = 0; row < nFocal; row++) {
      const t = focalUnits[row]!;
      if (!eligible[t]) continue;
      const c = search(row, r, -1);
      if (c < 0) {
        eligible[t] = 0;
        focalLeft--;
        continue;
      }
      proposal[row] = c;
      proposalDist[row] = dist(t, c);
      // Stable order by distance (ties in data order): secondary key = row.
      heap.push(row, close ? proposalDist[row]! : -proposalDist[row]!, row);
    }
    // Re-queued rows go ahead of equal keys (closest) or behind them (farthest).
    let requeue = 0;
    while (heap.length > 0 && focalLeft > 0 && controlsLeft > 0) {
      const row = heap.peek();
      const t = focalUnits[row]!;
      if (!eligible[t]) {
        heap.pop();
        continue;
      }
      const c = proposal[row]!;
      if (!index.isAlive(index.slotOf[c]!)) {
        heap.pop();
        const c2 = search(row, r, c);
        if (c2 < 0) {
          eligible[t] = 0;
          focalLeft--;
          continue;
        }
        proposal[row] = c2;
        proposalDist[row] = dist(t, c2);
        requeue++;
        heap.push(row, close ? proposalDist[row]! : -proposalDist[row]!, close ? -requeue : nFocal + requeue);
        continue;
      }
      heap.pop();
      mm[row * maxRatio + filled[row]!++] = c;
      if (++times[c]! >= reuseMax) {
        index.remove(index.slotOf[c]!);
        controlsLeft--;
      }
      if (++times[t]! >= ratio[row]!) {
        eligible[t] = 0;
        focalLeft--;
      }
    }
  }
  return state;
}
