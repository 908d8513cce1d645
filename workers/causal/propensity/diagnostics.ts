/**
 * Propensity-score diagnostics (METHODS.md §7.2 "Diagnostics"):
 *
 * - `auc`: area under the ROC curve = P(score_treated > score_control) + ½ P(tie), computed
 *   from mid-ranks (Mann–Whitney U / (n₁ n₀), Hanley & McNeil 1982) in O(n log n).
 * - `scoreOverlap`: per group min / max / quantiles (R `quantile` type 7), the share of each
 *   group outside the other group's [min, max] (no common support), and a histogram of both
 *   groups on shared bins spanning the pooled range.
 */
import { CausalInputError } from '../errors';

function check(score: Float64Array, treat: Float64Array | Uint8Array): void {
  if (score.length !== treat.length) throw new CausalInputError(`The score has ${score.length} values but the treatment has ${treat.length}.`);
  for (let i = 0; i < score.length; i++) {
    if (Number.isNaN(score[i]!)) throw new CausalInputError(`The propensity score is missing in row ${i + 1}.`, { row: i });
  }
}

export function auc(score: Float64Array, treat: Float64Array | Uint8Array): number {
  check(score, treat);
  const n = score.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a]! - score[b]!);
  let rankSumTreated = 0;
  let n1 = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]!] === score[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (treat[order[k]!] === 1) {
        rankSumTreated += midRank;
        n1++;
      }
    }
    i = j + 1;
  }
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) throw new CausalInputError('AUC needs both treated and control units.');
  return (rankSumTreated - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

export interface GroupScoreSummary {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  /** Quantiles at `probabilities` (R quantile type 7). */
  readonly quantiles: Float64Array;
  /** Share of this group outside the other group's [min, max]. */
  readonly outsideOtherRange: number;
  /** Counts per histogram bin. */
  readonly histogram: Int32Array;
}

export interface ScoreOverlap {
  readonly probabilities: Float64Array;
  readonly treated: GroupScoreSummary;
  readonly control: GroupScoreSummary;
  /** Bin edges (length bins + 1) over the pooled [min, max]. */
  readonly binEdges: Float64Array;
}

function quantileType7(sorted: Float64Array, prob: number): number {
  const h = (sorted.length - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function scoreOverlap(
  score: Float64Array,
  treat: Float64Array | Uint8Array,
  options: { bins?: number; probabilities?: readonly number[] } = {},
): ScoreOverlap {
  check(score, treat);
  const bins = options.bins ?? 20;
  const probabilities = Float64Array.from(options.probabilities ?? [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]);
  const t: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < score.length; i++) (treat[i] === 1 ? t : c).push(score[i]!);
  if (t.length === 0 || c.length === 0) throw new CausalInputError('Overlap needs both treated and control units.');
  const ts = Float64Array.from(t).sort();
  const cs = Float64Array.from(c).sort();
  const lo = Math.min(ts[0]!, cs[0]!);
  const hi = Math.max(ts[ts.length - 1]!, cs[cs.length - 1]!);
  const width = (hi - lo) / bins;
  const binEdges = Float64Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * width));
  const summarise = (own: Float64Array, other: Float64Array): GroupScoreSummary => {
    const oMin = other[0]!;
    const oMax = other[other.length - 1]!;
    let outside = 0;
    const histogram = new Int32Array(bins);
    for (const v of own) {
      if (v < oMin || v > oMax) outside++;
      const k = width > 0 ? Math.min(bins - 1, Math.floor((v - lo) / width)) : 0;
      histogram[k] = histogram[k]! + 1;
    }
    return {
      n: own.length,
      min: own[0]!,
      max: own[own.length - 1]!,
      quantiles: probabilities.map((p) => quantileType7(own, p)),
      outsideOtherRange: outside / own.length,
      histogram,
    };
  };
  return { probabilities, treated: summarise(ts, cs), control: summarise(cs, ts), binEdges };
}
