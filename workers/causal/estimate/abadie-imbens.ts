/**
 * Matching estimator with the Abadie–Imbens (2006) variance, exactly as `Matching::Match`
 * computes it (R/Matching.R `RmatchLoop`, C `EstFuncC`; METHODS §4.4). Input: for every focal
 * unit i the set J(i) of matched units of the other group, ties included (Matching's
 * `ties = TRUE`), each weighted 1/|J(i)|. Match rows r = (i, l ∈ J(i)) carry W_r = 1/|J(i)|.
 *
 *   τ_r = Y_t(r) − Y_c(r)   (treated minus control of the row);   τ̂ = Σ_r W_r τ_r / Σ_r W_r
 *   τ_i = ±(Y_i − Σ_{l∈J(i)} Y_l / |J(i)|)          (YCAUS, sign so that it is treated − control)
 *   K(l)  = Σ_{i: l∈J(i)} 1/|J(i)|,   KK(l) = Σ_{i: l∈J(i)} 1/|J(i)|²
 *   σ̂²   = ½ Σ_r W_r (τ_r − τ̂)² / Σ_r W_r      (Var.calc = 0; per match ROW, as the R code)
 *          or a caller-supplied σ̂²(X_l) per unit  (Var.calc = J, AI 2006 eq. 14)
 *   ι_t(l) = 1 if l is focal;  ι_c(l) = 1 if l can serve as a match (ATE: every unit is both)
 *   N_F   = Σ ι_t (focal units with at least one match)
 *   V_sample = Σ_l σ̂²_l (ι_t + ι_c K(l))² / N_F²                               (sample = TRUE)
 *   V_pop    = Σ_l σ̂²_l ι_c (K² − KK) / N_F²   [ATE: (K² + 2K − KK)]  + Σ_{i focal} (τ_i − τ̂)² / N_F²
 *   SE = √V_pop by default (`sample = FALSE`, Matching's default), √V_sample with sample = TRUE.
 *
 * ATT: focal = treated, matches = controls; ATC: focal = controls, matches = treated (Matching
 * flips Tr and negates the estimate, which is the same); ATE: focal = all units.
 * Interval and p-value are normal (df = Infinity), as `summary.Match`. Not implemented:
 * observation weights (`weights=`), bias adjustment (`BiasAdjust`), and the Abadie–Imbens (2016)
 * correction for an estimated propensity score: for matching on an estimated PS this SE
 * "ignores PS estimation" (use the full re-run bootstrap instead, METHODS §4.4).
 * Focal units with an empty match set (caliper drops) are left out of τ̂ and N_F.
 */
import type { EffectEstimate, Estimand, MatchResult } from '../types';
import { CausalInputError } from '../errors';
import { toEffectEstimate } from './interval';

/** Matched sets in CSR form: focal[f] is matched to matches[offsets[f] .. offsets[f+1]). */
export interface MatchedSets {
  readonly focal: Int32Array;
  readonly offsets: Int32Array;
  readonly matches: Int32Array;
}

export interface AbadieImbensOptions {
  readonly estimand?: Estimand;
  /** true: variance of the sample ATT (Matching's `sample = TRUE`); default false (population). */
  readonly sample?: boolean;
  /** Per-unit conditional outcome variance σ̂²(X_l) (heteroskedastic, Var.calc > 0). */
  readonly sigma2?: Float64Array;
}

export interface AbadieImbensEstimate extends EffectEstimate {
  readonly seSample: number;
  readonly sePopulation: number;
  /** Number of focal units with at least one match (N_F). */
  readonly nFocal: number;
  /** Number of match rows (Matching's "Matched number of observations (unweighted)"). */
  readonly nMatchRows: number;
  /** K(l): how often each unit is used as a match, ties weighted 1/|J(i)|. */
  readonly matchCounts: Float64Array;
}

/** Converts a MatchResult's focal × ratio match matrix (−1 = empty slot) into CSR form. */
export function matchedSetsFromMatchResult(result: MatchResult): MatchedSets {
  const { focalIndex, matchMatrix, ratio } = result;
  const focal: number[] = [];
  const offsets: number[] = [0];
  const matches: number[] = [];
  for (let f = 0; f < focalIndex.length; f++) {
    const before = matches.length;
    for (let j = 0; j < ratio; j++) {
      const c = matchMatrix[f * ratio + j]!;
      if (c >= 0) matches.push(c);
    }
    if (matches.length > before) {
      focal.push(focalIndex[f]!);
      offsets.push(matches.length);
    }
  }
  return { focal: Int32Array.from(focal), offsets: Int32Array.from(offsets), matches: Int32Array.from(matches) };
}

export function abadieImbens(y: Float64Array, treat: Uint8Array, sets: MatchedSets, options: AbadieImbensOptions = {}): AbadieImbensEstimate {
  const n = y.length;
  const estimand = options.estimand ?? 'ATT';
  if (treat.length !== n) throw new CausalInputError(`The treatment indicator has ${treat.length} values but the outcome has ${n}.`);
  const { focal, offsets, matches } = sets;
  if (offsets.length !== focal.length + 1 || offsets[0] !== 0 || offsets[focal.length] !== matches.length) {
    throw new CausalInputError('Matched sets are malformed: offsets must start at 0, have one entry per focal unit plus one, and end at the number of matches.');
  }
  const K = new Float64Array(n);
  const KK = new Float64Array(n);
  const tauUnit = new Float64Array(focal.length);
  const isFocal = new Uint8Array(n);
  let rowSum = 0;
  let rowWeight = 0;
  let nFocal = 0;
  for (let f = 0; f < focal.length; f++) {
    const i = focal[f]!;
    const start = offsets[f]!;
    const end = offsets[f + 1]!;
    const m = end - start;
    if (i < 0 || i >= n) throw new CausalInputError(`Focal unit index ${i} is outside the data (0..${n - 1}).`);
    const ti = treat[i]!;
    if ((estimand === 'ATT' && ti !== 1) || (estimand === 'ATC' && ti !== 0)) {
      throw new CausalInputError(`Row ${i + 1} is listed as a focal unit but is ${ti === 1 ? 'treated' : 'a control'}, which does not fit the ${estimand}.`, { row: i });
    }
    if (isFocal[i]) throw new CausalInputError(`Row ${i + 1} appears twice as a focal unit.`, { row: i });
    if (m === 0) continue;
    isFocal[i] = 1;
    nFocal++;
    const wr = 1 / m;
    let mean = 0;
    for (let r = start; r < end; r++) {
      const l = matches[r]!;
      if (l < 0 || l >= n) throw new CausalInputError(`Match index ${l} of row ${i + 1} is outside the data.`);
      if (treat[l] === ti) throw new CausalInputError(`Row ${i + 1} is matched to row ${l + 1} of the same treatment group.`, { row: i, match: l });
      mean += y[l]!;
      K[l] = K[l]! + wr;
      KK[l] = KK[l]! + wr * wr;
      rowSum += wr * (ti === 1 ? y[i]! - y[l]! : y[l]! - y[i]!);
      rowWeight += wr;
    }
    mean /= m;
    tauUnit[f] = ti === 1 ? y[i]! - mean : mean - y[i]!;
  }
  if (nFocal === 0) throw new CausalInputError('No focal unit has a match; the matching estimator is undefined.');
  const estimate = rowSum / rowWeight;

  let sigma2Const = 0;
  if (!options.sigma2) {
    let ss = 0;
    for (let f = 0; f < focal.length; f++) {
      const i = focal[f]!;
      const start = offsets[f]!;
      const end = offsets[f + 1]!;
      const wr = 1 / (end - start);
      for (let r = start; r < end; r++) {
        const l = matches[r]!;
        const e = (treat[i] === 1 ? y[i]! - y[l]! : y[l]! - y[i]!) - estimate;
        ss += wr * e * e;
      }
    }
    sigma2Const = (0.5 * ss) / rowWeight;
  } else if (options.sigma2.length !== n) {
    throw new CausalInputError(`sigma2 has ${options.sigma2.length} values but the data have ${n} rows.`);
  }

  const ate = estimand === 'ATE';
  let vSample = 0;
  let vPop = 0;
  for (let l = 0; l < n; l++) {
    const s2 = options.sigma2 ? options.sigma2[l]! : sigma2Const;
    const iotT = isFocal[l]!;
    // Potential matches: the other group (ATE: every unit).
    const iotC = ate ? 1 : estimand === 'ATT' ? 1 - treat[l]! : treat[l]!;
    const a = iotT + iotC * K[l]!;
    vSample += s2 * a * a;
    const k = K[l]!;
    vPop += s2 * iotC * (ate ? k * k + 2 * k - KK[l]! : k * k - KK[l]!);
  }
  for (let f = 0; f < focal.length; f++) {
    if (offsets[f + 1]! === offsets[f]!) continue;
    const d = tauUnit[f]! - estimate;
    vPop += d * d;
  }
  const sn2 = nFocal * nFocal;
  const seSample = Math.sqrt(vSample / sn2);
  const sePopulation = Math.sqrt(vPop / sn2);
  const sample = options.sample ?? false;
  return {
    ...toEffectEstimate({
      estimand,
      estimate,
      se: sample ? seSample : sePopulation,
      df: Number.POSITIVE_INFINITY,
      seType: `Abadie–Imbens (${sample ? 'sample' : 'population'}, ${options.sigma2 ? 'heteroskedastic' : 'homoskedastic'}; ignores PS estimation)`,
    }),
    seSample,
    sePopulation,
    nFocal,
    nMatchRows: matches.length,
    matchCounts: K,
  };
}
