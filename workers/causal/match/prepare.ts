/**
 * Input processing shared by the nearest-neighbour matchers, following MatchIt 4.7.2:
 * - `discard` (R/discard.R): "both" drops units outside [max(min₀, min₁), min(max₀, max₁)] of the
 *   distance; "control" drops controls outside the treated range; "treated" the reverse.
 * - calipers (`process.caliper`, R/input_processing.R): with std.caliper the width is
 *   caliper × sd(x[!discarded]), the n − 1 SD over all non-discarded units of both groups.
 * - exact strata (`matchit2nearest`): strata lacking either group are left out of matching.
 * - m.order (`matchit2nearest`, `nn_matchC_dispatch`): default "largest" with a distance for the
 *   ATT ("smallest" for the ATC), "data" without one, forced to "data" when
 *   reuse.max ≥ number of focal units; "largest"/"smallest" = R `order(distance[focal])`
 *   (stable, every focal unit), "data"/"random" = the usable focal units in data / random order.
 */
import { CausalInputError } from '../errors';
import { permutation, type Rng } from '../random/rng';
import { argsortStable } from './argsort';
import type { DiscardOption, MatchOrder } from './options';

/** Sample SD with n − 1 denominator over units where `keep` is 1 (R `sd`). */
export function sdOver(x: Float64Array, keep: Uint8Array): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    if (!keep[i]) continue;
    n++;
    sum += x[i]!;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (keep[i]) ss += (x[i]! - mean) * (x[i]! - mean);
  return n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN;
}

export function discardUnits(distance: Float64Array, treat: Uint8Array, option: DiscardOption): Uint8Array {
  const n = distance.length;
  const out = new Uint8Array(n);
  if (option === 'none') return out;
  let min0 = Infinity;
  let max0 = -Infinity;
  let min1 = Infinity;
  let max1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = distance[i]!;
    if (treat[i]) {
      if (d < min1) min1 = d;
      if (d > max1) max1 = d;
    } else {
      if (d < min0) min0 = d;
      if (d > max0) max0 = d;
    }
  }
  const lo = Math.max(min0, min1);
  const hi = Math.min(max0, max1);
  for (let i = 0; i < n; i++) {
    const d = distance[i]!;
    if (option === 'both') out[i] = d < lo || d > hi ? 1 : 0;
    else if (option === 'control') out[i] = !treat[i] && (d < min1 || d > max1) ? 1 : 0;
    else out[i] = treat[i] && (d < min0 || d > max0) ? 1 : 0;
  }
  return out;
}

/**
 * Dense stratum ids (0..S−1) and the units left out because their stratum lacks one group.
 * Codes are numbered in order of first appearance.
 */
export function exactStrata(exact: Int32Array | undefined, focal: Uint8Array): { stratum: Int32Array; nStrata: number; leftOut: Uint8Array } {
  const n = focal.length;
  const stratum = new Int32Array(n);
  const leftOut = new Uint8Array(n);
  if (exact === undefined) return { stratum, nStrata: 1, leftOut };
  if (exact.length !== n) throw new CausalInputError(`The exact-matching strata have ${exact.length} values but there are ${n} units.`, { exact: exact.length, n });
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const code = exact[i]!;
    let id = ids.get(code);
    if (id === undefined) {
      id = ids.size;
      ids.set(code, id);
    }
    stratum[i] = id;
  }
  const has = new Uint8Array(ids.size * 2);
  for (let i = 0; i < n; i++) has[stratum[i]! * 2 + (focal[i] ? 1 : 0)] = 1;
  let both = 0;
  for (let s = 0; s < ids.size; s++) if (has[2 * s] && has[2 * s + 1]) both++;
  if (both === 0) throw new CausalInputError('No exact-matching stratum contains both treated and control units, so no matches are possible. Use fewer or coarser exact-matching variables.');
  for (let i = 0; i < n; i++) {
    const s = stratum[i]!;
    if (!(has[2 * s] && has[2 * s + 1])) leftOut[i] = 1;
  }
  return { stratum, nStrata: ids.size, leftOut };
}

/** Focal rows in matching order. */
export function focalOrder(
  order: MatchOrder,
  focalUnits: Int32Array,
  usable: Uint8Array,
  distance: Float64Array | null,
  rng: Rng | undefined,
): Int32Array {
  const nf = focalUnits.length;
  if (order === 'largest' || order === 'smallest') {
    if (distance === null) throw new CausalInputError(`m.order "${order}" needs a distance (propensity score); use "data" or "random".`);
    const d = new Float64Array(nf);
    for (let r = 0; r < nf; r++) d[r] = distance[focalUnits[r]!]!;
    return argsortStable(d, order === 'largest');
  }
  const rows: number[] = [];
  for (let r = 0; r < nf; r++) if (usable[focalUnits[r]!]) rows.push(r);
  if (order === 'random') {
    if (rng === undefined) throw new CausalInputError('m.order "random" needs a seeded random-number generator (options.rng).');
    const perm = permutation(rows.length, rng);
    return Int32Array.from(perm, (k) => rows[k]!);
  }
  return Int32Array.from(rows);
}
