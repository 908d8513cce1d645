/**
 * Rosenbaum bounds for 1:1 matched pairs (Rosenbaum 2002, Observational Studies, ch. 4;
 * METHODS.md §6.1): the Wilcoxon signed-rank test with a continuous outcome and the
 * McNemar-type test with a binary outcome.
 *
 * Wilcoxon, pair differences d_s = Y_treated − Y_control:
 *   drop d_s = 0;  S = #remaining;  r_s = rank(|d_s|) with average ranks for ties
 *   T⁺ = Σ r_s·1{d_s > 0}
 *   p⁺ = Γ/(1+Γ), p⁻ = 1/(1+Γ);  E = p Σ r_s;  Var = p(1−p) Σ r_s²
 *   upper-bound p = 1 − Φ((T⁺ − E⁺)/√Var⁺);  lower-bound p uses p⁻
 * Γ* = the largest Γ whose upper-bound p-value is still < α (bisection on Γ).
 *
 * Deliberate deviations from `rbounds::psens` (rbounds 2.1): zero differences are dropped
 * (psens ranks them, which inflates T⁺ and S), and the variance is always Σ r_s² (psens's
 * no-ties branch uses S(S+1)·2(S+1)/6 instead of S(S+1)(2S+1)/6). The tests reproduce psens's
 * printed values from the same building blocks to document the difference.
 *
 * McNemar-type bound (`rbounds::binarysens`): among D discordant pairs, t are pairs where only
 * the treated unit has the event; under Γ the count is at most Binomial(D, p⁺) stochastically,
 * so the upper-bound p-value is the exact tail P(X ≥ t), X ~ Bin(D, p⁺) (lower: p⁻).
 */
import { CausalInputError } from '../errors';
import { normalCdf } from '../stats/distributions';
import { betaRegularized } from '../stats/incomplete-beta';

export type Alternative = 'greater' | 'less';

export interface SignedRankSummary {
  /** Number of pairs supplied. */
  nPairs: number;
  /** Pairs with a zero difference (dropped). */
  nZero: number;
  /** S, the pairs that enter the test. */
  nUsed: number;
  /** T⁺, the sum of ranks of positive differences. */
  statistic: number;
  sumRanks: number;
  sumSquaredRanks: number;
}

export interface GammaBound {
  gamma: number;
  /** Lower bound on the one-sided p-value (most favourable hidden bias). */
  lower: number;
  /** Upper bound on the one-sided p-value (least favourable hidden bias). */
  upper: number;
}

export interface RosenbaumResult {
  method: 'wilcoxon-signed-rank' | 'mcnemar';
  alternative: Alternative;
  alpha: number;
  table: GammaBound[];
  /**
   * Largest Γ with upper-bound p < α. null when even Γ = 1 is not significant; Infinity when
   * the upper bound stays below α for every Γ (e.g. all differences favour treatment).
   */
  gammaStar: number | null;
}

export interface WilcoxonBoundsResult extends RosenbaumResult {
  summary: SignedRankSummary;
}

export interface McNemarBoundsResult extends RosenbaumResult {
  /** Discordant pairs in the direction of the alternative (treated event, control none for 'greater'). */
  favourable: number;
  discordant: number;
}

export interface RosenbaumOptions {
  /** Γ values to tabulate; default 1, 1.1, …, 3. */
  gammas?: readonly number[];
  /** Significance level for Γ*, default 0.05. */
  alpha?: number;
  /** 'greater' (default): treatment raises the outcome. 'less' tests the opposite direction. */
  alternative?: Alternative;
}

const DEFAULT_GAMMAS: readonly number[] = Array.from({ length: 21 }, (_, i) => Math.round((1 + i * 0.1) * 10) / 10);
const GAMMA_CAP = 1e6;

function checkOptions(options: RosenbaumOptions): { gammas: readonly number[]; alpha: number; alternative: Alternative } {
  const gammas = options.gammas ?? DEFAULT_GAMMAS;
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? 'greater';
  for (const g of gammas) {
    if (!(g >= 1) || !Number.isFinite(g)) throw new CausalInputError(`Every Γ must be a finite number ≥ 1; got ${g}.`, { gamma: g });
  }
  if (!(alpha > 0 && alpha < 1)) throw new CausalInputError(`alpha must lie strictly between 0 and 1; got ${alpha}.`, { alpha });
  return { gammas, alpha, alternative };
}

/** Average ranks (R's `rank(ties.method = "average")`), 1-based. */
export function averageRanks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = avg;
    i = j + 1;
  }
  return ranks;
}

/** Signed-rank building blocks with zero differences dropped (the textbook test). */
export function signedRankSummary(differences: Float64Array): SignedRankSummary {
  const kept: number[] = [];
  for (let i = 0; i < differences.length; i++) {
    const d = differences[i]!;
    if (Number.isNaN(d)) throw new CausalInputError(`Pair ${i + 1} has a missing outcome difference; remove or impute it first.`, { pair: i + 1 });
    if (d !== 0) kept.push(d);
  }
  const abs = Float64Array.from(kept, Math.abs);
  const ranks = averageRanks(abs);
  let statistic = 0;
  let sumRanks = 0;
  let sumSquaredRanks = 0;
  for (let i = 0; i < kept.length; i++) {
    const r = ranks[i]!;
    if (kept[i]! > 0) statistic += r;
    sumRanks += r;
    sumSquaredRanks += r * r;
  }
  return { nPairs: differences.length, nZero: differences.length - kept.length, nUsed: kept.length, statistic, sumRanks, sumSquaredRanks };
}

/** Normal-approximation bounds on the signed-rank p-value at one Γ. */
export function wilcoxonBoundPValues(statistic: number, sumRanks: number, sumSquaredRanks: number, gamma: number): GammaBound {
  const tail = (p: number): number => {
    const sd = Math.sqrt(p * (1 - p) * sumSquaredRanks);
    if (!(sd > 0)) return statistic > p * sumRanks ? 0 : 1;
    return normalCdf((statistic - p * sumRanks) / sd, { lowerTail: false });
  };
  return { gamma, lower: tail(1 / (1 + gamma)), upper: tail(gamma / (1 + gamma)) };
}

/**
 * Largest Γ with upperP(Γ) < α, by bracketing then bisection (upperP increases with Γ).
 * null when upperP(1) ≥ α; Infinity when it stays below α up to Γ = 1e6.
 */
export function largestSignificantGamma(upperP: (gamma: number) => number, alpha: number): number | null {
  if (!(upperP(1) < alpha)) return null;
  let lo = 1;
  let hi = 2;
  while (upperP(hi) < alpha) {
    lo = hi;
    hi *= 2;
    if (hi > GAMMA_CAP) return Infinity;
  }
  for (let iter = 0; iter < 200 && hi - lo > 1e-12 * hi; iter++) {
    const mid = 0.5 * (lo + hi);
    if (upperP(mid) < alpha) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Rosenbaum bounds for the Wilcoxon signed-rank test on 1:1 pair differences (treated − control). */
export function rosenbaumWilcoxon(differences: Float64Array, options: RosenbaumOptions = {}): WilcoxonBoundsResult {
  const { gammas, alpha, alternative } = checkOptions(options);
  const signed = alternative === 'greater' ? differences : differences.map((d) => -d);
  const summary = signedRankSummary(signed);
  if (summary.nUsed === 0) {
    throw new CausalInputError('Every matched pair has a zero outcome difference; the signed-rank test is undefined.', { nPairs: summary.nPairs });
  }
  const bound = (g: number): GammaBound => wilcoxonBoundPValues(summary.statistic, summary.sumRanks, summary.sumSquaredRanks, g);
  return {
    method: 'wilcoxon-signed-rank',
    alternative,
    alpha,
    summary,
    table: gammas.map(bound),
    gammaStar: largestSignificantGamma((g) => bound(g).upper, alpha),
  };
}

/** P(X ≥ t) for X ~ Binomial(n, p), exactly, via the regularised incomplete beta I_p(t, n − t + 1). */
export function binomialUpperTail(t: number, n: number, p: number): number {
  if (t <= 0) return 1;
  if (t > n) return 0;
  return betaRegularized(p, 1 - p, t, n - t + 1);
}

/**
 * McNemar-type Rosenbaum bounds for a binary outcome in 1:1 pairs.
 * `treatedOnly`: discordant pairs where only the treated unit has the event;
 * `controlOnly`: discordant pairs where only the control has it.
 */
export function rosenbaumMcNemar(treatedOnly: number, controlOnly: number, options: RosenbaumOptions = {}): McNemarBoundsResult {
  const { gammas, alpha, alternative } = checkOptions(options);
  for (const [name, v] of [['treatedOnly', treatedOnly], ['controlOnly', controlOnly]] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw new CausalInputError(`${name} must be a non-negative whole number of pairs; got ${v}.`, { [name]: v });
  }
  const discordant = treatedOnly + controlOnly;
  if (discordant === 0) throw new CausalInputError('There are no discordant pairs; the McNemar bound is undefined.', {});
  const favourable = alternative === 'greater' ? treatedOnly : controlOnly;
  const bound = (g: number): GammaBound => ({
    gamma: g,
    lower: binomialUpperTail(favourable, discordant, 1 / (1 + g)),
    upper: binomialUpperTail(favourable, discordant, g / (1 + g)),
  });
  return {
    method: 'mcnemar',
    alternative,
    alpha,
    favourable,
    discordant,
    table: gammas.map(bound),
    gammaStar: largestSignificantGamma((g) => bound(g).upper, alpha),
  };
}

/** Counts the discordant pairs of binary outcomes (1 = event) for `rosenbaumMcNemar`. */
export function discordantPairs(yTreated: Float64Array, yControl: Float64Array): { treatedOnly: number; controlOnly: number } {
  if (yTreated.length !== yControl.length) {
    throw new CausalInputError(`Got ${yTreated.length} treated and ${yControl.length} control outcomes; pass one of each per pair.`, {});
  }
  let treatedOnly = 0;
  let controlOnly = 0;
  for (let i = 0; i < yTreated.length; i++) {
    const a = yTreated[i]!;
    const b = yControl[i]!;
    if ((a !== 0 && a !== 1) || (b !== 0 && b !== 1)) {
      throw new CausalInputError(`Pair ${i + 1}: the McNemar bound needs a 0/1 outcome; got ${a} and ${b}.`, { pair: i + 1 });
    }
    if (a === 1 && b === 0) treatedOnly++;
    else if (a === 0 && b === 1) controlOnly++;
  }
  return { treatedOnly, controlOnly };
}
