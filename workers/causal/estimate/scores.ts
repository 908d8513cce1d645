/**
 * Propensity-score preparation shared by the weighting estimators (IPW, AIPW):
 * - validation: scores in (0, 1) and finite, treatment coded 0/1;
 * - trimming (`trim: [a, b]`): units with e ∉ [a, b] are dropped (Crump et al. 2009 style);
 * - truncation (`truncate: [a, b]`): scores are clipped to [a, b] (winsorised), units kept.
 * Clipped units are flagged because their weight no longer moves with the PS coefficients
 * (their derivative in the M-estimation SE is 0).
 */
import type { Estimand } from '../types';
import { CausalInputError } from '../errors';

export interface ScoreOptions {
  readonly estimand?: Estimand;
  readonly trim?: readonly [number, number];
  readonly truncate?: readonly [number, number];
}

export interface PreparedScores {
  /** Score after truncation (NaN for trimmed units). */
  readonly e: Float64Array;
  /** 1 = unit kept (not trimmed). */
  readonly kept: Uint8Array;
  /** 1 = score was clipped by truncation. */
  readonly clipped: Uint8Array;
  readonly nTrimmed: number;
}

function checkRange(range: readonly [number, number] | undefined, name: string): void {
  if (!range) return;
  const [a, b] = range;
  if (!(a >= 0 && b <= 1 && a < b)) throw new CausalInputError(`${name} must be an interval [a, b] with 0 ≤ a < b ≤ 1; got [${a}, ${b}].`);
}

export function prepareScores(ps: Float64Array, treat: Uint8Array, y: Float64Array, options: ScoreOptions): PreparedScores {
  const n = ps.length;
  if (treat.length !== n || y.length !== n) throw new CausalInputError(`Propensity scores (${ps.length}), treatment (${treat.length}) and outcome (${y.length}) must have one value per unit.`);
  checkRange(options.trim, 'trim');
  checkRange(options.truncate, 'truncate');
  const e = new Float64Array(n);
  const kept = new Uint8Array(n);
  const clipped = new Uint8Array(n);
  let nTrimmed = 0;
  let n1 = 0;
  let n0 = 0;
  for (let i = 0; i < n; i++) {
    const t = treat[i]!;
    if (t !== 0 && t !== 1) throw new CausalInputError(`Treatment in row ${i + 1} is ${t}; it must be coded 0 or 1.`, { row: i });
    let s = ps[i]!;
    if (!(s > 0 && s < 1)) throw new CausalInputError(`Propensity score of row ${i + 1} is ${s}; scores must lie strictly between 0 and 1 (consider truncation).`, { row: i });
    if (!Number.isFinite(y[i]!)) throw new CausalInputError(`Outcome of row ${i + 1} is missing or not finite.`, { row: i });
    if (options.trim && (s < options.trim[0] || s > options.trim[1])) {
      e[i] = Number.NaN;
      nTrimmed++;
      continue;
    }
    if (options.truncate) {
      const [a, b] = options.truncate;
      if (s < a || s > b) {
        s = Math.min(b, Math.max(a, s));
        clipped[i] = 1;
      }
    }
    e[i] = s;
    kept[i] = 1;
    if (t === 1) n1++;
    else n0++;
  }
  if (n1 === 0 || n0 === 0) throw new CausalInputError(`After trimming, ${n1} treated and ${n0} control units remain; both groups are needed.`, { n1, n0 });
  return { e, kept, clipped, nTrimmed };
}
