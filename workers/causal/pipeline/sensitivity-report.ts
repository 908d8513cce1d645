/**
 * The sensitivity report from one dataset's material (./sensitivity-stage) or from m
 * imputations'. With multiple imputation there is no pooling theory for Γ (METHODS §6.1), so
 * the report gives each imputation's Γ*, their minimum (worst case, the headline) and median,
 * and the grid of the largest upper-bound p-value over imputations. E-values use the pooled
 * estimate and pooled CI (Rubin). OVB pools the per-imputation classical WLS estimates by
 * Rubin's rules (t = Q̄/√T with the mean classical dof) and averages the benchmarks' partial R²
 * over imputations. The refuters run on the first imputation only (each costs full re-runs).
 */
import { poolRubin } from '../pool/rubin';
import { evaluesRR } from '../sensitivity/evalue';
import { adjustForConfounder, benchmarkPartialR2, partialR2FromT, robustnessValue } from '../sensitivity/ovb';
import { normalQuantile } from '../stats/distributions';
import type { GammaGridPoint, OvbBoundRow, SensitivityDetail, SensitivityReport } from './sensitivity-types';

export interface Headline {
  readonly estimate: number;
  readonly ci95: readonly [number, number];
}

const finiteOrNull = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

function gammaOrder(g: number | null): number {
  return g === null ? 0 : g;
}

function rosenbaumReport(details: readonly SensitivityDetail[]): SensitivityReport['rosenbaum'] {
  const first = details[0]!.rosenbaum;
  const stars = details.map((d) => d.rosenbaum.gammaStar);
  const sorted = [...stars].sort((a, b) => gammaOrder(a) - gammaOrder(b));
  const min = sorted[0] ?? null;
  const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : sorted[sorted.length / 2 - 1]!;
  const grid: GammaGridPoint[] = first.grid.map((p, k) => ({ gamma: p.gamma, upper: Math.max(...details.map((d) => d.rosenbaum.grid[k]?.upper ?? Number.NaN)) }));
  const describe = (g: number | null): string => (g === null ? 'not significant even at Γ = 1' : g === Infinity ? 'unbounded (beyond Γ = 10⁶)' : `Γ* = ${g.toFixed(3)}`);
  let note = first.note;
  if (first.method !== null) {
    const meaning = ' Γ* is the largest odds ratio of hidden bias in treatment assignment (within matched sets) at which the one-sided test is still significant at 5%.';
    note = details.length > 1 ? `${note}${meaning} Multiple imputation: Γ* per imputation; the headline is the minimum (worst case), the median beside it; the grid is the largest upper-bound p-value over imputations (no pooling theory exists for Γ).` : `${note}${meaning}`;
    if (min === Infinity || min === null) note += ` Worst case: ${describe(min)}.`;
  }
  return {
    method: first.method,
    alternative: first.alternative,
    gammaStar: finiteOrNull(min),
    gammaStarMedian: details.length > 1 ? finiteOrNull(median) : null,
    perImputation: details.length > 1 ? stars.map(finiteOrNull) : null,
    grid,
    note,
  };
}

function eValueReport(details: readonly SensitivityDetail[], headline: Headline, dfcom: number): SensitivityReport['eValue'] {
  const first = details[0]!.eValue;
  const empty = (scale: string, note: string): SensitivityReport['eValue'] => ({ point: null, ci: null, scale, rr: { estimate: null, lower: null, upper: null }, note });
  if (!first.binary) {
    const sds = details.map((d) => d.eValue.sdOutcome);
    const scale = 'risk ratio ≈ exp(0.91·d), d = ATT / SD(Y), SD(Y) = total SD of the outcome over all analysed rows (n − 1; the conservative choice)';
    if (sds.some((s) => s === null)) return empty(scale, first.note ?? 'No E-value.');
    const sd = (sds as number[]).reduce((a, b) => a + b, 0) / sds.length;
    const rr = Math.exp((0.91 * headline.estimate) / sd);
    const lo = Math.exp((0.91 * headline.ci95[0]) / sd);
    const hi = Math.exp((0.91 * headline.ci95[1]) / sd);
    const e = evaluesRR(rr, lo, hi);
    const mi = details.length > 1 ? ' Multiple imputation: the pooled estimate and pooled CI, SD(Y) averaged over imputations.' : '';
    return {
      point: e.evalue.estimate,
      ci: e.evalueCI,
      scale,
      rr: { estimate: rr, lower: lo, upper: hi },
      note: `SD(Y) = ${sd.toPrecision(4)}. The CI limits are converted like the estimate (exp(0.91·limit/SD)), i.e. EValue's evalues.OLS with the reported interval. The CI E-value is for the limit nearest the null (1 when the CI includes it).${mi}`,
    };
  }
  const scale = 'risk ratio p₁/p₀ from the weighted g-computation (p₀ = p₁ − ATT), delta-method CI on log RR';
  const logs = details.map((d) => d.eValue.logRR);
  const ses = details.map((d) => d.eValue.seLogRR);
  if (logs.some((v) => v === null) || ses.some((v) => v === null)) return empty(scale, details.find((d) => d.eValue.note)?.eValue.note ?? 'No E-value.');
  let logRR: number;
  let lower: number;
  let upper: number;
  if (details.length === 1) {
    const z = normalQuantile(0.975);
    logRR = logs[0]!;
    lower = logRR - z * ses[0]!;
    upper = logRR + z * ses[0]!;
  } else {
    const pooled = poolRubin(Float64Array.from(logs as number[]), Float64Array.from(ses as number[]), { dfcom });
    logRR = pooled.estimate;
    [lower, upper] = pooled.ci;
  }
  const e = evaluesRR(Math.exp(logRR), Math.exp(lower), Math.exp(upper));
  return {
    point: e.evalue.estimate,
    ci: e.evalueCI,
    scale,
    rr: { estimate: Math.exp(logRR), lower: Math.exp(lower), upper: Math.exp(upper) },
    note: `Var(log RR) uses the CR1 covariance of the matched-sample risks (unadjusted; conservative when covariates predict the outcome).${details.length > 1 ? ' Multiple imputation: log RR pooled by Rubin’s rules.' : ''} The CI E-value is for the limit nearest the null (1 when the CI includes it).`,
  };
}

function ovbReport(details: readonly SensitivityDetail[], notes: string[]): Pick<SensitivityReport, 'robustnessValue' | 'benchmarks'> {
  const fits = details.map((d) => d.ovb);
  const none: SensitivityReport['robustnessValue'] = { rv: null, rvAlpha: null, partialR2: null, estimate: null, se: null, dof: null, perImputation: null, note: 'Not available (see notes).' };
  if (fits.some((f) => f === null)) return { robustnessValue: none, benchmarks: [] };
  const ok = fits as NonNullable<(typeof fits)[number]>[];
  let estimate: number;
  let se: number;
  let dof: number;
  if (ok.length === 1) {
    ({ estimate, se, dof } = ok[0]!);
  } else {
    dof = Math.round(ok.reduce((a, f) => a + f.dof, 0) / ok.length);
    const pooled = poolRubin(Float64Array.from(ok, (f) => f.estimate), Float64Array.from(ok, (f) => f.se), { dfcom: dof });
    estimate = pooled.estimate;
    se = pooled.se;
  }
  const t = estimate / se;
  const stats = (tt: number, df: number): { rv: number; rvAlpha: number; partialR2: number } => ({ rv: robustnessValue(tt, df, 1, 1), rvAlpha: robustnessValue(tt, df, 1, 0.05), partialR2: partialR2FromT(tt, df) });
  const headline = stats(t, dof);
  const benchmarks = ok[0]!.benchmarks.map((b, k) => {
    const r2dxjX = ok.reduce((a, f) => a + f.benchmarks[k]!.r2dxjX, 0) / ok.length;
    const r2yxjDx = ok.reduce((a, f) => a + f.benchmarks[k]!.r2yxjDx, 0) / ok.length;
    const bounds: OvbBoundRow[] = [];
    for (const kd of [1, 2, 3]) {
      try {
        const { r2dzX, r2yzDx } = benchmarkPartialR2(r2dxjX, r2yxjDx, kd);
        const adj = adjustForConfounder(estimate, se, dof, r2dzX, r2yzDx);
        bounds.push({ k: kd, r2dzX, r2yzDx, adjustedEstimate: adj.adjustedEstimate, adjustedSe: adj.adjustedSe, adjustedCi95: [adj.adjustedLower, adj.adjustedUpper] });
      } catch (err) {
        notes.push(`Benchmark ${kd}× "${b.covariate}": ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { covariate: b.covariate, r2dxjX, r2yxjDx, bounds };
  });
  const mi = ok.length > 1;
  return {
    robustnessValue: {
      ...headline,
      estimate,
      se,
      dof,
      perImputation: mi ? ok.map((f) => stats(f.estimate / f.se, f.dof)) : null,
      note: `From the classical (iid) weighted OLS of Y on D and the covariates over the matched sample with the matching weights (Cinelli & Hazlett 2020; its estimate differs slightly from the headline). RV: the partial R² an unmeasured confounder needs with both treatment and outcome to bring the estimate to 0 (RV_α: to make it insignificant at 5%).${mi ? ' Multiple imputation: the WLS estimates pooled by Rubin’s rules, t = Q̄/√T with the mean classical dof; benchmark partial R² averaged over imputations; adjusted estimates from the pooled values.' : ''}`,
    },
    benchmarks,
  };
}

/**
 * `perImputation`: each imputation's own estimate and CI, for the per-imputation E-values shown
 * beside the pooled one (multiple imputation only).
 */
export function sensitivityReport(details: readonly SensitivityDetail[], headline: Headline, dfcom: number, perImputation: readonly Headline[] = []): SensitivityReport {
  const notes = [...new Set(details.flatMap((d) => d.notes))];
  const rosenbaum = rosenbaumReport(details);
  const pooledE = eValueReport(details, headline, dfcom);
  const eValue =
    details.length > 1 && perImputation.length === details.length
      ? { ...pooledE, perImputation: details.map((d, j) => { const e = eValueReport([d], perImputation[j]!, dfcom); return { point: e.point, ci: e.ci }; }) }
      : pooledE;
  const ovb = ovbReport(details, notes);
  if (details.length > 1 && details[0]!.refuters.length > 0) notes.push('Refuters ran on the first imputation only (each needs full re-runs).');
  return { rosenbaum, eValue, ...ovb, refuters: details[0]!.refuters, notes };
}
