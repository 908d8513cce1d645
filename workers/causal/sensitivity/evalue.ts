/**
 * E-values (VanderWeele & Ding 2017, Ann Intern Med 167:268), as the R package `EValue`
 * computes them (`threshold()`, `evalues.RR/OR/HR/MD/OLS`). METHODS.md §6.2.
 *
 *   threshold(RR, true): if RR < 1 use 1/RR and 1/true;
 *     true ≤ RR:  E = (RR + √(RR(RR − true)))/true          (true = 1: RR + √(RR(RR − 1)))
 *     true > RR:  rat = true/RR;  E = rat + √(rat(rat − 1))
 * The CI E-value is computed for the limit closer to the null; it is 1 when the CI includes
 * the null (`true`) and the other limit's E-value is null.
 *
 * Conversions to the RR scale:
 *   OR: rare outcome RR ≈ OR; common RR ≈ √OR
 *   HR: rare outcome RR ≈ HR; common RR ≈ (1 − 0.5^√HR)/(1 − 0.5^√(1/HR))
 *   standardised mean difference d (se_d): RR ≈ exp(0.91 d), CI exp(0.91 d ∓ 1.78 se_d)
 *   OLS coefficient β with outcome SD σ and contrast δ: d = δβ/σ, se_d = δ·se/σ
 *   risk difference from g-computation: RR = p₁/p₀ with a delta-method CI on log RR,
 *     Var(log RR) = Var(p₁)/p₁² + Var(p₀)/p₀² − 2Cov(p₁, p₀)/(p₁p₀)
 */
import { CausalInputError } from '../errors';
import { normalQuantile } from '../stats/distributions';

export interface EValueResult {
  /** Point estimate and CI limits on the risk-ratio scale (limits null when not supplied). */
  rr: { estimate: number; lower: number | null; upper: number | null };
  /** E-values for the estimate and the limits; null for the limit farther from the null. */
  evalue: { estimate: number; lower: number | null; upper: number | null };
  /** E-value of the CI limit closer to the null (1 when the CI includes it); null without a CI. */
  evalueCI: number | null;
  /** The non-null value on the RR scale the E-value is computed against. */
  trueRR: number;
}

export interface EValueOptions {
  /** The non-null hypothesised true value, on the estimate's own scale. Default: the null. */
  trueValue?: number;
}

/** EValue's `threshold()`: the E-value of one risk ratio against `trueRR`. */
export function evalueThreshold(rr: number, trueRR = 1): number {
  if (!(rr > 0) || !Number.isFinite(rr)) throw new CausalInputError(`A risk ratio must be a positive finite number; got ${rr}.`, { rr });
  if (!(trueRR > 0) || !Number.isFinite(trueRR)) throw new CausalInputError(`The true value must be a positive finite risk ratio; got ${trueRR}.`, { trueRR });
  let x = rr;
  let t = trueRR;
  if (x < 1) {
    x = 1 / x;
    t = 1 / t;
  }
  if (t <= x) return (x + Math.sqrt(x * (x - t))) / t;
  const rat = t / x;
  return rat + Math.sqrt(rat * (rat - 1));
}

/** E-values for a risk ratio and optional CI (`EValue::evalues.RR`). */
export function evaluesRR(estimate: number, lower: number | null = null, upper: number | null = null, options: EValueOptions = {}): EValueResult {
  return evaluesOnRRScale(estimate, lower, upper, options.trueValue ?? 1);
}

function evaluesOnRRScale(est: number, lo: number | null, hi: number | null, trueRR: number): EValueResult {
  if (lo !== null && hi !== null && !(lo <= est && est <= hi)) {
    throw new CausalInputError(`The CI [${lo}, ${hi}] must contain the estimate ${est}.`, { est, lo, hi });
  }
  const estimate = evalueThreshold(est, trueRR);
  let lower: number | null = null;
  let upper: number | null = null;
  if (est > trueRR) {
    if (lo !== null) lower = lo <= trueRR ? 1 : evalueThreshold(lo, trueRR);
  } else if (est < trueRR) {
    if (hi !== null) upper = hi >= trueRR ? 1 : evalueThreshold(hi, trueRR);
  } else if (lo !== null) lower = 1;
  const evalueCI = lower ?? upper ?? (lo === null && hi === null ? null : 1);
  return { rr: { estimate: est, lower: lo, upper: hi }, evalue: { estimate, lower, upper }, evalueCI, trueRR };
}

const mapNullable = (v: number | null, f: (x: number) => number): number | null => (v === null ? null : f(v));

function checkRatio(name: string, v: number | null): void {
  if (v !== null && !(v > 0 && Number.isFinite(v))) throw new CausalInputError(`The ${name} must be a positive finite ratio; got ${v}.`, { [name]: v });
}

/** E-values for an odds ratio (`EValue::evalues.OR`); `rare` when the outcome is < 15%. */
export function evaluesOR(estimate: number, lower: number | null, upper: number | null, options: EValueOptions & { rare: boolean }): EValueResult {
  for (const [n, v] of [['odds ratio', estimate], ['lower limit', lower], ['upper limit', upper]] as const) checkRatio(n, v);
  const toRR = (or: number): number => (options.rare ? or : Math.sqrt(or));
  return evaluesOnRRScale(toRR(estimate), mapNullable(lower, toRR), mapNullable(upper, toRR), toRR(options.trueValue ?? 1));
}

/** E-values for a hazard ratio (`EValue::evalues.HR`); `rare` when the outcome is < 15% at the end of follow-up. */
export function evaluesHR(estimate: number, lower: number | null, upper: number | null, options: EValueOptions & { rare: boolean }): EValueResult {
  for (const [n, v] of [['hazard ratio', estimate], ['lower limit', lower], ['upper limit', upper]] as const) checkRatio(n, v);
  const toRR = (hr: number): number => (options.rare ? hr : (1 - 0.5 ** Math.sqrt(hr)) / (1 - 0.5 ** Math.sqrt(1 / hr)));
  return evaluesOnRRScale(toRR(estimate), mapNullable(lower, toRR), mapNullable(upper, toRR), toRR(options.trueValue ?? 1));
}

/** E-values for a standardised mean difference d with standard error se (`EValue::evalues.MD`). */
export function evaluesMD(d: number, se: number | null, options: EValueOptions = {}): EValueResult {
  if (!Number.isFinite(d)) throw new CausalInputError(`The standardised difference must be finite; got ${d}.`, { d });
  if (se !== null && !(se >= 0 && Number.isFinite(se))) throw new CausalInputError(`The standard error must be finite and ≥ 0; got ${se}.`, { se });
  const rr = Math.exp(0.91 * d);
  const lo = se === null ? null : Math.exp(0.91 * d - 1.78 * se);
  const hi = se === null ? null : Math.exp(0.91 * d + 1.78 * se);
  return evaluesOnRRScale(rr, lo, hi, Math.exp(0.91 * (options.trueValue ?? 0)));
}

/**
 * E-values for a regression coefficient / ATT on a continuous outcome (`EValue::evalues.OLS`):
 * d = δβ/σ with σ the outcome SD (total SD is conservative, residual SD less so).
 */
export function evaluesOLS(estimate: number, se: number | null, sdOutcome: number, options: EValueOptions & { delta?: number } = {}): EValueResult {
  if (!(sdOutcome > 0 && Number.isFinite(sdOutcome))) throw new CausalInputError(`The outcome SD must be positive; got ${sdOutcome}.`, { sdOutcome });
  const delta = options.delta ?? 1;
  return evaluesMD((delta * estimate) / sdOutcome, se === null ? null : (delta * se) / sdOutcome, { trueValue: ((options.trueValue ?? 0) * delta) / sdOutcome });
}

export interface RiskInputs {
  /** Mean potential-outcome risk under treatment (e.g. weighted g-computation). */
  risk1: number;
  risk0: number;
  var1: number;
  var0: number;
  /** Covariance of the two risk estimates, default 0. */
  cov?: number;
}

/**
 * E-values for a binary outcome analysed on the risk-difference scale: the RR p₁/p₀ with a
 * delta-method Wald CI on log RR (level default 0.95). Needs p₀ > 0 and p₁ > 0.
 */
export function evaluesRiskRatioDelta(inputs: RiskInputs, options: EValueOptions & { level?: number } = {}): EValueResult & { seLogRR: number } {
  const { risk1, risk0, var1, var0 } = inputs;
  const cov = inputs.cov ?? 0;
  const level = options.level ?? 0.95;
  for (const [n, v] of [['risk1', risk1], ['risk0', risk0]] as const) {
    if (!(v > 0 && v < 1)) throw new CausalInputError(`${n} must lie strictly between 0 and 1 for a risk ratio; got ${v}.`, { [n]: v });
  }
  const varLog = var1 / (risk1 * risk1) + var0 / (risk0 * risk0) - (2 * cov) / (risk1 * risk0);
  if (!(varLog >= 0)) throw new CausalInputError(`The delta-method variance of log RR is negative (${varLog}); check the variances and covariance.`, { varLog });
  const seLogRR = Math.sqrt(varLog);
  const z = normalQuantile((1 + level) / 2);
  const logRR = Math.log(risk1 / risk0);
  const res = evaluesOnRRScale(Math.exp(logRR), Math.exp(logRR - z * seLogRR), Math.exp(logRR + z * seLogRR), options.trueValue ?? 1);
  return { ...res, seLogRR };
}
