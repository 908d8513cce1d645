/**
 * Weighted least squares as R's `lm.wfit`: minimise Σ w_i (y_i − x_iᵀβ)² by Householder QR of
 * √w·X with `dqrdc2` pivoting (tol 1e-7). Aliased columns get NaN coefficients (R's NA) and NaN
 * rows/columns in (XᵀWX)⁻¹. Rows with w = 0 do not enter the fit or the residual df (as in
 * `lm.wfit`); their fitted values are still x_iᵀβ.
 * sigma2 = Σ w_i r_i² / (n_{w>0} − rank).
 */
import { CausalInputError } from '../errors';
import type { Matrix } from '../types';
import { qrDecompose, qrQty } from './qr';

export interface WlsResult {
  coef: Float64Array;
  residuals: Float64Array;
  fitted: Float64Array;
  xtwxInverse: Float64Array;
  rank: number;
  aliased: Uint8Array;
  dfResidual: number;
  sigma2: number;
}

export function weightedLeastSquares(x: Matrix, y: Float64Array, w?: Float64Array, options: { tol?: number } = {}): WlsResult {
  const { rows: n, cols: p, data } = x;
  if (y.length !== n) throw new CausalInputError(`The outcome has ${y.length} values but the design matrix has ${n} rows.`);
  if (w !== undefined && w.length !== n) throw new CausalInputError(`The weights have ${w.length} values but the design matrix has ${n} rows.`);
  const used: number[] = [];
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new CausalInputError(`Weight in row ${i + 1} is ${wi}; weights must be finite and non-negative.`, { row: i });
    if (wi > 0) used.push(i);
  }
  const m = used.length;
  const a = new Float64Array(m * p);
  const z = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const i = used[r]!;
    const sw = w === undefined ? 1 : Math.sqrt(w[i]!);
    for (let j = 0; j < p; j++) a[j * m + r] = data[i * p + j]! * sw;
    z[r] = y[i]! * sw;
  }
  const qr = qrDecompose(a, m, p, options.tol ?? 1e-7);
  const rank = qr.rank;
  qrQty(qr, z);
  // Back-substitute R β = (Qᵀz)[0..rank) on the leading rank columns.
  const beta = new Float64Array(rank);
  for (let i = rank - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < rank; k++) s -= qr.qr[k * m + i]! * beta[k]!;
    beta[i] = s / qr.qr[i * m + i]!;
  }
  const coef = new Float64Array(p).fill(Number.NaN);
  const aliased = new Uint8Array(p).fill(1);
  for (let k = 0; k < rank; k++) {
    coef[qr.pivot[k]!] = beta[k]!;
    aliased[qr.pivot[k]!] = 0;
  }
  // (RᵀR)⁻¹ = R⁻¹R⁻ᵀ for the leading rank×rank block, then scattered to original order.
  const rinv = new Float64Array(rank * rank);
  for (let j = 0; j < rank; j++) {
    rinv[j * rank + j] = 1 / qr.qr[j * m + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += qr.qr[k * m + i]! * rinv[k * rank + j]!;
      rinv[i * rank + j] = -s / qr.qr[i * m + i]!;
    }
  }
  const xtwxInverse = new Float64Array(p * p).fill(Number.NaN);
  for (let i = 0; i < rank; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < rank; k++) s += rinv[i * rank + k]! * rinv[j * rank + k]!;
      const oi = qr.pivot[i]!;
      const oj = qr.pivot[j]!;
      xtwxInverse[oi * p + oj] = s;
      xtwxInverse[oj * p + oi] = s;
    }
  }
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) if (aliased[j] === 0) s += data[i * p + j]! * coef[j]!;
    fitted[i] = s;
    residuals[i] = y[i]! - s;
    const wi = w === undefined ? 1 : w[i]!;
    rss += wi * residuals[i]! * residuals[i]!;
  }
  const dfResidual = m - rank;
  return { coef, residuals, fitted, xtwxInverse, rank, aliased, dfResidual, sigma2: dfResidual > 0 ? rss / dfResidual : Number.NaN };
}
