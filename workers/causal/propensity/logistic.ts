/**
 * Logistic regression by iteratively reweighted least squares, step for step as R's
 * `glm.fit(x, y, weights, family = binomial())` (MatchIt `distance = "glm"`, METHODS.md §2.1):
 *
 *   start:   μ⁰ = (w·y + ½)/(w + 1)   (binomial()$initialize),  η⁰ = log(μ⁰/(1 − μ⁰))
 *   repeat:  z = η + (y − μ)/μ'(η),  W = w·μ'(η)²/(μ(1 − μ)),  β = (XᵀWX)⁻¹ XᵀWz,  η = Xβ
 *   stop:    |dev − dev_old| / (|dev| + 0.1) < 1e-8   (glm.control: epsilon 1e-8, maxit 25)
 *
 * with R's clamped inverse link (μ = t/(1+t), t = exp(η) limited to [ε, 1/ε] outside |η| ≤ 30)
 * and derivative μ'(η) = e^η/(1+e^η)² (ε outside |η| ≤ 30), binomial deviance
 * 2w[y log(y/μ) + (1−y) log((1−y)/(1−μ))]. The WLS step is solved by an equilibrated Cholesky
 * of XᵀWX (see linalg/cholesky-aliased) instead of R's QR: same iterates to ~1e-13 on
 * reasonably conditioned designs, and XᵀWX is one streaming pass that can be split over
 * threads (`options.crossprod`). Covariance = (XᵀWX)⁻¹ with the weights of the last step, as
 * `summary.glm` (dispersion 1).
 *
 * Separation (Albert & Anderson 1984) shows as fitted probabilities at 0/1 and coefficients
 * that keep growing; it is reported in `warnings` (with the covariates whose standardised
 * coefficient is implausibly large), never thrown. An optional ridge penalty λ‖β₋₀‖²/2 (not on
 * intercept columns) keeps the fit finite in that case.
 */
import { CausalInputError } from '../errors';
import { aliasedCholeskyInverse, aliasedCholeskySolve, choleskyAliased } from '../linalg/cholesky-aliased';
import { crossprodRange, symmetrizeUpper } from '../linalg/crossprod';
import type { Matrix } from '../types';

export interface LogisticOptions {
  /** Prior weights (R `weights`), default 1. Rows with weight 0 do not enter the fit. */
  readonly weights?: Float64Array;
  /** Ridge penalty λ ≥ 0 on non-intercept coefficients (default 0 = plain MLE). */
  readonly ridge?: number;
  /** Default 25 (glm.control). */
  readonly maxIterations?: number;
  /** Default 1e-8 (glm.control). */
  readonly epsilon?: number;
  /** Names for messages (e.g. DesignMatrix.columnNames). */
  readonly columnNames?: readonly string[];
  /** Aliasing tolerance on the squared relative residual norm (default 1e-10). */
  readonly aliasTolerance?: number;
  /**
   * Replacement for the XᵀWX accumulation (e.g. split over worker threads with
   * `crossprodRange`). Must ADD Σ w_i x_i x_iᵀ into the upper triangle of `out`.
   */
  readonly crossprod?: (x: Matrix, w: Float64Array, out: Float64Array) => void;
}

export type LogisticWarningCode = 'not-converged' | 'fitted-zero-one' | 'separation' | 'aliased';

export interface LogisticWarning {
  readonly code: LogisticWarningCode;
  readonly message: string;
  /** Design columns involved (names when given, else "x<j>"). */
  readonly columns?: readonly string[];
}

export interface LogisticFit {
  /** NaN for aliased columns (R's NA). */
  readonly coefficients: Float64Array;
  /** p×p row-major (XᵀWX)⁻¹; NaN rows/columns for aliased columns. */
  readonly covariance: Float64Array;
  readonly standardErrors: Float64Array;
  readonly linearPredictor: Float64Array;
  readonly fitted: Float64Array;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly rank: number;
  readonly aliased: Uint8Array;
  readonly warnings: LogisticWarning[];
}

const EPS = Number.EPSILON;
const THRESH = 30;
const INV_EPS = 1 / EPS;

/** R's binomial deviance contribution 2w[y log(y/μ) + (1−y) log((1−y)/(1−μ))]. */
function devianceResidual(y: number, mu: number, w: number): number {
  const a = y !== 0 ? y * Math.log(y / mu) : 0;
  const b = y !== 1 ? (1 - y) * Math.log((1 - y) / (1 - mu)) : 0;
  return 2 * w * (a + b);
}

interface IrlsState {
  readonly x: Matrix;
  readonly y: Float64Array;
  readonly prior: Float64Array | undefined;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  /** Working weights W of the next WLS step. */
  readonly w: Float64Array;
  /** XᵀWz of the next WLS step. */
  readonly xtwz: Float64Array;
  /** Scratch: w_i z_i of one row block. */
  readonly zw: Float64Array;
}

const PASS_BLOCK = 512;

/**
 * One streaming pass over the rows (each row is read once per iteration besides XᵀWX):
 * η = Xβ (skipped for the start, where η is given), μ = linkinv(η), the deviance, and for the
 * next WLS step W = w·μ'(η)²/(μ(1 − μ)) and XᵀWz with z = η + (y − μ)/μ'(η). Per row the
 * operations are those of the separate R steps; exp(η) serves both linkinv and μ' because R
 * uses the same exp(η) there for |η| ≤ 30. XᵀWz is summed per 512-row block and then over
 * blocks (as XᵀWX), a different rounding order from R's QR by design, well inside the 1e-10
 * agreement. Returns the unpenalised deviance.
 */
function irlsPass(st: IrlsState, beta: Float64Array | null): number {
  const { rows: n, cols: p, data } = st.x;
  const { y, prior, eta, mu, w, xtwz, zw } = st;
  let dev = 0;
  xtwz.fill(0);
  for (let s = 0; s < n; s += PASS_BLOCK) {
    const end = Math.min(n, s + PASS_BLOCK);
    for (let i = s; i < end; i++) {
      let e: number;
      if (beta === null) e = eta[i]!;
      else {
        const row = i * p;
        e = 0;
        for (let j = 0; j < p; j++) e += data[row + j]! * beta[j]!;
        eta[i] = e;
      }
      const ex = Math.exp(e);
      const outside = e < -THRESH || e > THRESH;
      const t = e < -THRESH ? EPS : e > THRESH ? INV_EPS : ex;
      const m = t / (1 + t);
      mu[i] = m;
      const wi = prior === undefined ? 1 : prior[i]!;
      const yi = y[i]!;
      // devianceResidual, inlined in this hot loop.
      const a = yi !== 0 ? yi * Math.log(yi / m) : 0;
      const b = yi !== 1 ? (1 - yi) * Math.log((1 - yi) / (1 - m)) : 0;
      dev += 2 * wi * (a + b);
      const opexp = 1 + ex;
      const muEta = outside ? EPS : ex / (opexp * opexp);
      const wt = (wi * muEta * muEta) / (m * (1 - m));
      w[i] = wt;
      zw[i - s] = wt * (e + (yi - m) / muEta);
    }
    // XᵀWz over the block (still in cache), four columns at a time in local sums: a third
    // of the cost of updating all p sums in memory row by row.
    for (let j = 0; j < p; j += 4) {
      const j1 = j + 1 < p ? j + 1 : j;
      const j2 = j + 2 < p ? j + 2 : j;
      const j3 = j + 3 < p ? j + 3 : j;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let i = s; i < end; i++) {
        const row = i * p;
        const z = zw[i - s]!;
        a0 += z * data[row + j]!;
        a1 += z * data[row + j1]!;
        a2 += z * data[row + j2]!;
        a3 += z * data[row + j3]!;
      }
      xtwz[j] = xtwz[j]! + a0;
      if (j1 > j) xtwz[j1] = xtwz[j1]! + a1;
      if (j2 > j1) xtwz[j2] = xtwz[j2]! + a2;
      if (j3 > j2) xtwz[j3] = xtwz[j3]! + a3;
    }
  }
  return dev;
}

function defaultCrossprod(x: Matrix, w: Float64Array, out: Float64Array): void {
  crossprodRange(x, w, 0, x.rows, out);
}

export function fitLogistic(x: Matrix, y: Float64Array, options: LogisticOptions = {}): LogisticFit {
  const { rows: n, cols: p, data } = x;
  const name = (j: number): string => options.columnNames?.[j] ?? `x${j + 1}`;
  if (y.length !== n) throw new CausalInputError(`The treatment has ${y.length} values but the design matrix has ${n} rows.`);
  const prior = options.weights;
  if (prior !== undefined && prior.length !== n) throw new CausalInputError(`The weights have ${prior.length} values but the design matrix has ${n} rows.`);
  const maxit = options.maxIterations ?? 25;
  const epsilon = options.epsilon ?? 1e-8;
  const ridge = options.ridge ?? 0;
  const accumulate = options.crossprod ?? defaultCrossprod;
  if (!(ridge >= 0)) throw new CausalInputError(`ridge must be ≥ 0, got ${ridge}.`);

  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const w2 = new Float64Array(n);
  let sumW = 0;
  let sumWy = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    const wi = prior === undefined ? 1 : prior[i]!;
    if (!(yi >= 0 && yi <= 1)) throw new CausalInputError(`Treatment in row ${i + 1} is ${yi}; it must be 0 or 1 (or a proportion in [0, 1]).`, { row: i });
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new CausalInputError(`Weight in row ${i + 1} is ${wi}; weights must be finite and non-negative.`, { row: i });
    // binomial()$initialize: y[weights == 0] <- 0; mustart = (w y + 0.5)/(w + 1)
    const yUsed = wi === 0 ? 0 : yi;
    const m0 = (wi * yUsed + 0.5) / (wi + 1);
    eta[i] = Math.log(m0 / (1 - m0));
    sumW += wi;
    sumWy += wi * yi;
  }
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(data[row + j]!)) {
        throw new CausalInputError(`Covariate "${name(j)}" is missing or not finite in row ${i + 1}; impute or drop it before fitting.`, { row: i, column: name(j) });
      }
    }
  }
  const penalised = new Uint8Array(p);
  if (ridge > 0) {
    for (let j = 0; j < p; j++) {
      let allOnes = true;
      for (let i = 0; i < n && allOnes; i++) allOnes = data[i * p + j] === 1;
      penalised[j] = allOnes ? 0 : 1;
    }
  }

  const xtwx = new Float64Array(p * p);
  const xtwz = new Float64Array(p);
  const state: IrlsState = { x, y, prior, eta, mu, w: w2, xtwz, zw: new Float64Array(PASS_BLOCK) };
  let devOld = irlsPass(state, null);
  let dev = devOld;
  let beta: Float64Array = new Float64Array(p);
  let converged = false;
  let iterations = 0;
  let factor = choleskyAliased(new Float64Array(p * p), p);
  for (let iter = 1; iter <= maxit; iter++) {
    iterations = iter;
    xtwx.fill(0);
    accumulate(x, w2, xtwx);
    symmetrizeUpper(xtwx, p);
    if (ridge > 0) for (let j = 0; j < p; j++) if (penalised[j] === 1) xtwx[j * p + j] = xtwx[j * p + j]! + ridge;
    factor = choleskyAliased(xtwx, p, options.aliasTolerance ?? 1e-10);
    beta = aliasedCholeskySolve(factor, xtwz);
    // Also prepares W and XᵀWz for the next step (unused when this one converges).
    dev = irlsPass(state, beta);
    if (ridge > 0) for (let j = 0; j < p; j++) if (penalised[j] === 1) dev += ridge * beta[j]! * beta[j]!;
    if (!Number.isFinite(dev)) throw new CausalInputError('The logistic fit diverged (non-finite deviance); check for extreme covariate values.');
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devOld = dev;
  }

  const covariance = aliasedCholeskyInverse(factor);
  const coefficients = new Float64Array(p);
  const standardErrors = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    coefficients[j] = factor.aliased[j] === 1 ? Number.NaN : beta[j]!;
    standardErrors[j] = Math.sqrt(covariance[j * p + j]!);
  }
  const wtdmu = sumWy / sumW;
  let nullDeviance = 0;
  for (let i = 0; i < n; i++) nullDeviance += devianceResidual(y[i]!, wtdmu, prior === undefined ? 1 : prior[i]!);

  const warnings: LogisticWarning[] = [];
  const aliasedNames = [...factor.aliased].flatMap((a, j) => (a === 1 ? [name(j)] : []));
  if (aliasedNames.length > 0) {
    warnings.push({
      code: 'aliased',
      message: `Covariates ${aliasedNames.join(', ')} are linear combinations of earlier covariates; their coefficients are not estimable (NA in R) and were dropped.`,
      columns: aliasedNames,
    });
  }
  if (!converged) warnings.push({ code: 'not-converged', message: `The logistic fit did not converge in ${maxit} iterations.` });
  let extreme = 0;
  for (let i = 0; i < n; i++) if (mu[i]! > 1 - 10 * EPS || mu[i]! < 10 * EPS) extreme++;
  if (extreme > 0) {
    warnings.push({ code: 'fitted-zero-one', message: `Fitted probabilities numerically 0 or 1 occurred for ${extreme} units.` });
  }
  if (extreme > 0 || !converged) {
    const involved = separationColumns(x, beta, factor.aliased, prior);
    warnings.push({
      code: 'separation',
      message:
        `The treatment is (quasi-)perfectly predicted by ${involved.length > 0 ? involved.map(name).join(', ') : 'the covariates'}; ` +
        'coefficients diverge and the propensity score is 0 or 1 for some units. Coarsen or drop these covariates, restrict to common support, or refit with a ridge penalty.',
      columns: involved.map(name),
    });
  }
  return {
    coefficients,
    covariance,
    standardErrors,
    linearPredictor: eta,
    fitted: mu,
    deviance: dev,
    nullDeviance,
    iterations,
    converged,
    rank: factor.rank,
    aliased: factor.aliased,
    warnings,
  };
}

/**
 * Columns whose standardised coefficient s_j = |β_j|·sd(x_j) exceeds 5 (a one-SD change
 * multiplying the odds by e⁵ ≈ 150) and is at least a tenth of the largest s_j: under
 * separation β runs off along the separating direction, which these columns dominate.
 */
function separationColumns(x: Matrix, beta: Float64Array, aliased: Uint8Array, prior?: Float64Array): number[] {
  const { rows: n, cols: p, data } = x;
  const sum = new Float64Array(p);
  const sumSq = new Float64Array(p);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = prior === undefined ? 1 : prior[i]!;
    total += wi;
    for (let j = 0; j < p; j++) {
      const v = data[i * p + j]!;
      sum[j] = sum[j]! + wi * v;
      sumSq[j] = sumSq[j]! + wi * v * v;
    }
  }
  const score = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (aliased[j] === 1) continue;
    const mean = sum[j]! / total;
    const sd = Math.sqrt(Math.max(sumSq[j]! / total - mean * mean, 0));
    score[j] = Math.abs(beta[j]!) * sd;
  }
  const cutoff = Math.max(5, 0.1 * Math.max(...score));
  const out: number[] = [];
  for (let j = 0; j < p; j++) if (score[j]! >= cutoff) out.push(j);
  return out;
}
