/**
 * Rubin's rules for a scalar estimate over m imputations, with the Barnard–Rubin (1999)
 * small-sample degrees of freedom, as `mice::pool` / `mice:::barnard.rubin` compute them
 * (METHODS.md §4.6):
 *
 *   Q̄ = mean(Q_j);  Ū = mean(U_j) with U_j = SE_j²;  B = var(Q_j) (m − 1 denominator)
 *   T = Ū + (1 + 1/m)·B;  riv = (1 + 1/m)B/Ū;  λ = (1 + 1/m)B/T
 *   df_old = (m − 1)/λ²  with λ floored at 1e-4 (as barnard.rubin does, so B = 0 gives a
 *            large but finite df instead of Infinity)
 *   df_obs = (dfcom + 1)/(dfcom + 3)·dfcom·(1 − λ)
 *   df     = df_old·df_obs/(df_old + df_obs)      (df_old when dfcom is infinite)
 *   fmi    = (riv + 2/(df + 3))/(riv + 1)
 *   CI     = Q̄ ± t_{df, (1+level)/2}·√T;  p = 2·P(t_df > |Q̄ − h0|/√T)
 *
 * `fmi` uses the Barnard–Rubin df, as `mice::pool` and `mice::pool.scalar` do;
 * `fmiRubin1987` uses df_old (Rubin 1987, eq. 3.1.10), which some tools print instead.
 */
import { CausalInputError } from '../errors';
import { studentTCdf, studentTQuantile } from '../stats/distributions';

export interface RubinOptions {
  /**
   * Complete-data degrees of freedom (e.g. the residual df of the matched-data regression, or
   * G − 1 with cluster-robust SEs). Infinity for normal-theory SEs (AI, bootstrap). Default
   * 99999, the large-sample value used when the analysis does not report one.
   */
  dfcom?: number;
  /** Confidence level of the interval, default 0.95. */
  level?: number;
  /** Null value for the p-value, default 0. */
  nullValue?: number;
}

export interface RubinPooled {
  m: number;
  estimate: number;
  /** Ū, the mean within-imputation variance. */
  within: number;
  /** B, the between-imputation variance. */
  between: number;
  /** T = Ū + (1 + 1/m)B. */
  total: number;
  se: number;
  riv: number;
  lambda: number;
  dfcom: number;
  /** Barnard–Rubin df. */
  df: number;
  /** Rubin (1987) df = (m − 1)/λ² (λ floored at 1e-4). */
  dfRubin1987: number;
  fmi: number;
  fmiRubin1987: number;
  ci: [number, number];
  level: number;
  statistic: number;
  pValue: number;
}

/** Default complete-data df when the analysis reports none (METHODS.md §4.6). */
export const DEFAULT_DFCOM = 99999;

/** Barnard & Rubin (1999) df, exactly `mice:::barnard.rubin` (plus the Infinity case of `pool`). */
export function barnardRubinDf(m: number, between: number, total: number, dfcom: number): number {
  const lambda = Math.max((1 + 1 / m) * between / total, 1e-4);
  const dfOld = (m - 1) / (lambda * lambda);
  if (!Number.isFinite(dfcom)) return dfOld;
  const dfObs = ((dfcom + 1) / (dfcom + 3)) * dfcom * (1 - lambda);
  return (dfOld * dfObs) / (dfOld + dfObs);
}

/** Pools per-imputation estimates and their standard errors by Rubin's rules. */
export function poolRubin(estimates: Float64Array, standardErrors: Float64Array, options: RubinOptions = {}): RubinPooled {
  const m = estimates.length;
  const dfcom = options.dfcom ?? DEFAULT_DFCOM;
  const level = options.level ?? 0.95;
  const nullValue = options.nullValue ?? 0;
  if (m < 2) throw new CausalInputError(`Rubin's rules need at least 2 imputations; got ${m}. Use m ≥ 2 (5 or more is usual).`, { m });
  if (standardErrors.length !== m) {
    throw new CausalInputError(`Got ${m} estimates but ${standardErrors.length} standard errors; pass one of each per imputation.`, { m, se: standardErrors.length });
  }
  if (!(dfcom > 0)) throw new CausalInputError(`dfcom must be positive (or Infinity); got ${dfcom}.`, { dfcom });
  if (!(level > 0 && level < 1)) throw new CausalInputError(`level must lie strictly between 0 and 1; got ${level}.`, { level });
  for (let j = 0; j < m; j++) {
    const q = estimates[j]!;
    const s = standardErrors[j]!;
    if (!Number.isFinite(q)) throw new CausalInputError(`Imputation ${j + 1} has a non-finite estimate (${q}).`, { imputation: j + 1 });
    if (!(Number.isFinite(s) && s >= 0)) throw new CausalInputError(`Imputation ${j + 1} has an invalid standard error (${s}); it must be finite and ≥ 0.`, { imputation: j + 1 });
  }

  let sumQ = 0;
  let sumU = 0;
  for (let j = 0; j < m; j++) {
    sumQ += estimates[j]!;
    sumU += standardErrors[j]! * standardErrors[j]!;
  }
  const estimate = sumQ / m;
  const within = sumU / m;
  let ss = 0;
  for (let j = 0; j < m; j++) {
    const dev = estimates[j]! - estimate;
    ss += dev * dev;
  }
  const between = ss / (m - 1);
  const total = within + (1 + 1 / m) * between;
  if (!(total > 0)) throw new CausalInputError('All imputations give the same estimate with zero standard error; the pooled variance is 0.', {});

  const riv = ((1 + 1 / m) * between) / within;
  const lambda = ((1 + 1 / m) * between) / total;
  const df = barnardRubinDf(m, between, total, dfcom);
  const dfRubin1987 = barnardRubinDf(m, between, total, Infinity);
  const fmi = (riv + 2 / (df + 3)) / (riv + 1);
  const fmiRubin1987 = (riv + 2 / (dfRubin1987 + 3)) / (riv + 1);
  const se = Math.sqrt(total);
  const crit = studentTQuantile((1 + level) / 2, df);
  const statistic = (estimate - nullValue) / se;
  const pValue = 2 * studentTCdf(-Math.abs(statistic), df);

  return {
    m,
    estimate,
    within,
    between,
    total,
    se,
    riv,
    lambda,
    dfcom,
    df,
    dfRubin1987,
    fmi,
    fmiRubin1987,
    ci: [estimate - crit * se, estimate + crit * se],
    level,
    statistic,
    pValue,
  };
}
