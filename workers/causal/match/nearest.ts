/**
 * Greedy nearest-neighbour matching reproducing MatchIt 4.7.2 `matchit(method = "nearest")`
 * (R/matchit2nearest.R with src/nn_matchC_vec.cpp, nn_matchC_vec_closest.cpp,
 * nn_matchC_mahcovs.cpp, internal.cpp): 1-D matching on the distance the caller passes
 * (probability or logit), or Mahalanobis matching on `mahvars` with the distance used only for the
 * caliper and `discard`. Output weights and subclasses follow MatchIt (see ./weights).
 */
import { CausalInputError } from '../errors';
import type { MatchResult } from '../types';
import { argsortStable } from './argsort';
import { bestFirstMatch1D, greedyMatch1D, type Greedy1DInput, type GreedyState } from './greedy-1d';
import { matchMahalanobis } from './nearest-mahalanobis';
import type { MatchOrder, NearestOptions } from './options';
import { discardUnits, exactStrata, focalOrder, sdOver } from './prepare';
import { SortedIndex1D, type CovariateCaliperColumns } from './sorted-index-1d';
import { weightsFromMatchMatrix } from './weights';

export type { NearestOptions } from './options';

function checkInputs(distance: Float64Array | null, treat: Uint8Array, options: NearestOptions): void {
  const n = treat.length;
  if (distance !== null) {
    if (distance.length !== n) throw new CausalInputError(`The distance has ${distance.length} values but the treatment has ${n}.`, { distance: distance.length, n });
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(distance[i]!)) throw new CausalInputError(`The distance (propensity score) of row ${i + 1} is ${distance[i]}; every unit needs a finite score.`, { row: i });
    }
  } else if (options.mahvars === undefined) {
    throw new CausalInputError('Nearest-neighbour matching needs a distance (propensity score) or Mahalanobis covariates (mahvars).');
  }
  for (let i = 0; i < n; i++) {
    const t = treat[i]!;
    if (t !== 0 && t !== 1) throw new CausalInputError(`Treatment in row ${i + 1} is ${t}; it must be coded 0 (control) or 1 (treated).`, { row: i });
  }
  const ratio = options.ratio ?? 1;
  if (!Number.isInteger(ratio) || ratio < 1) throw new CausalInputError(`ratio must be a whole number ≥ 1, got ${ratio}.`, { ratio });
  if (options.reuseMax !== undefined && !(options.reuseMax >= 1)) throw new CausalInputError(`reuseMax must be ≥ 1, got ${options.reuseMax}.`);
  if (options.caliper !== undefined && !Number.isFinite(options.caliper)) throw new CausalInputError(`caliper must be a finite number, got ${options.caliper}.`);
  if (options.caliper !== undefined && distance === null) throw new CausalInputError('A caliper on the distance needs a distance (propensity score); put calipers on named covariates instead.');
  if (options.mahvars !== undefined && options.mahvars.rows !== n) {
    throw new CausalInputError(`mahvars has ${options.mahvars.rows} rows but there are ${n} units.`, { rows: options.mahvars.rows, n });
  }
}

/** MatchIt's default and forced m.order. */
function resolveOrder(options: NearestOptions, hasDistance: boolean, reuseMax: number, nFocal: number): MatchOrder {
  if (reuseMax >= nFocal) return 'data';
  if (options.mOrder !== undefined) {
    if (!hasDistance && (options.mOrder === 'largest' || options.mOrder === 'smallest')) {
      throw new CausalInputError(`m.order "${options.mOrder}" needs a distance (propensity score).`);
    }
    return options.mOrder;
  }
  if (!hasDistance) return 'data';
  return options.estimand === 'ATC' ? 'smallest' : 'largest';
}

export function matchNearest(distance: Float64Array | null, treat: Uint8Array, options: NearestOptions = {}): MatchResult {
  checkInputs(distance, treat, options);
  const n = treat.length;
  const estimand = options.estimand ?? 'ATT';
  const focal = new Uint8Array(n);
  for (let i = 0; i < n; i++) focal[i] = (estimand === 'ATC' ? 1 - treat[i]! : treat[i]!) as number;
  let nFocal = 0;
  for (let i = 0; i < n; i++) nFocal += focal[i]!;
  const focalUnits = new Int32Array(nFocal);
  for (let i = 0, r = 0; i < n; i++) if (focal[i]) focalUnits[r++] = i;
  if (nFocal === 0 || nFocal === n) throw new CausalInputError('Matching needs both treated and control units.', { nFocal, n });
  const rowOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < nFocal; r++) rowOf[focalUnits[r]!] = r;

  const discard = options.discard ?? 'none';
  if (discard !== 'none' && distance === null) throw new CausalInputError(`discard = "${discard}" needs a distance (propensity score).`);
  const discarded = distance === null ? new Uint8Array(n) : discardUnits(distance, treat, discard);
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) kept[i] = 1 - discarded[i]!;

  let caliperWidth: number | null = null;
  if (options.caliper !== undefined && distance !== null) {
    caliperWidth = options.stdCaliper === false ? options.caliper : options.caliper * sdOver(distance, kept);
  }
  let covCal: CovariateCaliperColumns | null = null;
  const calNames = Object.keys(options.covariateCalipers ?? {});
  if (calNames.length > 0) {
    const columns: Float64Array[] = [];
    const widths = new Float64Array(calNames.length);
    calNames.forEach((name, k) => {
      const c = options.covariateCalipers![name]!;
      if (c.values.length !== n) throw new CausalInputError(`The caliper covariate "${name}" has ${c.values.length} values but there are ${n} units.`, { name });
      if (!Number.isFinite(c.width)) throw new CausalInputError(`The caliper on "${name}" must be a finite number, got ${c.width}.`, { name });
      columns.push(c.values);
      widths[k] = c.std === false ? c.width : c.width * sdOver(c.values, kept);
    });
    covCal = { columns, widths };
  }

  const { stratum, nStrata, leftOut } = exactStrata(options.exact, focal);
  const usable = new Uint8Array(n);
  let nUsableControls = 0;
  for (let i = 0; i < n; i++) {
    usable[i] = !discarded[i] && !leftOut[i] ? 1 : 0;
    if (usable[i] && !focal[i]) nUsableControls++;
  }

  const ratioK = options.ratio ?? 1;
  const reuseMax = options.reuseMax ?? (options.replace ? Number.MAX_SAFE_INTEGER : 1);
  const replace = reuseMax > 1;
  const mOrder = resolveOrder(options, distance !== null, reuseMax, nFocal);
  const ratio = new Int32Array(nFocal).fill(ratioK);

  let state: GreedyState;
  if (options.mahvars !== undefined && (mOrder === 'closest' || mOrder === 'farthest')) {
    throw new CausalInputError(`m.order "${mOrder}" is not available with Mahalanobis matching (mahvars) yet; use "largest", "smallest", "data" or "random".`);
  }
  if (options.mahvars !== undefined) {
    state = matchMahalanobis({
      mahvars: options.mahvars,
      mahvarNames: options.mahvarNames,
      distance,
      focal,
      discarded,
      usable,
      stratum,
      nStrata,
      focalUnits,
      ratio,
      maxRatio: ratioK,
      reuseMax,
      caliper: caliperWidth,
      covariateCalipers: covCal,
      order: mOrder,
      rng: options.rng,
      strategy: options.candidates ?? 'auto',
      topK: options.topK,
    });
  } else {
    const d = distance!;
    const noCaliper = (() => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        if (d[i]! < lo) lo = d[i]!;
        if (d[i]! > hi) hi = d[i]!;
      }
      return hi - lo + 1;
    })();
    const index = new SortedIndex1D(
      { distance: d, focal, usable, stratum, nStrata, caliper: caliperWidth ?? noCaliper, covariateCalipers: covCal },
      argsortStable(d),
    );
    const input: Greedy1DInput = { index, focalUnits, rowOf, ratio, maxRatio: ratioK, reuseMax, usable, nUsableControls };
    state =
      mOrder === 'closest' || mOrder === 'farthest'
        ? bestFirstMatch1D(input, mOrder === 'closest')
        : greedyMatch1D(input, focalOrder(mOrder, focalUnits, usable, d, options.rng));
  }

  const w = weightsFromMatchMatrix(state.matchMatrix, focalUnits, ratioK, n, !replace);
  return {
    estimand,
    treat,
    weights: w.weights,
    subclass: w.subclass,
    nSubclasses: w.nSubclasses,
    discarded,
    focalIndex: focalUnits,
    matchMatrix: state.matchMatrix,
    ratio: ratioK,
    caliperWidth,
    replace,
  };
}
