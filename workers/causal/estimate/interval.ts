/**
 * Turns a point estimate and its standard error into the shared `EffectEstimate` shape.
 *
 *   CI95 = est ± q · SE,   q = t_{df, 0.975}  (df = Infinity → z_{0.975} = 1.959964)
 *   p    = 2 · F_df(−|est / SE|)   (lower tail, so tiny p-values keep their precision)
 *
 * Which df to use is the caller's decision and is part of the estimator's documentation:
 * lm-based estimators (difference in means, g-computation) use the residual df of the weighted
 * `lm`, as `lmtest::coeftest(fit, vcov = vcovCL)` and the MatchIt vignette do; the Abadie–Imbens
 * variance, IPW/AIPW (M-estimators) and the bootstrap use the normal (df = Infinity), as
 * `Matching::summary.Match` does.
 */
import type { Estimand, EffectEstimate } from '../types';
import { studentTCdf, studentTQuantile } from '../stats/distributions';

export interface EstimateParts {
  readonly estimand: Estimand;
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly seType: string;
}

export function toEffectEstimate(parts: EstimateParts): EffectEstimate {
  const { estimate, se, df } = parts;
  const q = studentTQuantile(0.975, df);
  const z = estimate / se;
  // An SE of 0 (or NaN) gives a degenerate interval; report NaN rather than a misleading p = 0.
  const valid = Number.isFinite(z);
  const pValue = valid ? 2 * studentTCdf(-Math.abs(z), df) : Number.NaN;
  return {
    estimand: parts.estimand,
    estimate,
    se,
    ci95: valid ? [estimate - q * se, estimate + q * se] : [Number.NaN, Number.NaN],
    pValue,
    df,
    seType: parts.seType,
  };
}
