/** Test-only helpers shared by the imputation tests (independent of the code under test). */
import type { Matrix } from '../types';

/** Solves A x = b by Gauss–Jordan elimination with partial pivoting (an independent oracle). */
export function solveDense(a: Float64Array, n: number, b: Float64Array): Float64Array {
  const m = Array.from({ length: n }, (_, i) => [...Array.from({ length: n }, (__, j) => a[i * n + j]!), b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  return Float64Array.from(m, (row, i) => row[n]! / row[i]!);
}

/** Dense inverse through `solveDense`, column by column. */
export function inverseDense(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const e = new Float64Array(n);
    e[c] = 1;
    const col = solveDense(a, n, e);
    for (let r = 0; r < n; r++) out[r * n + c] = col[r]!;
  }
  return out;
}

/** XᵀX by the textbook triple loop. */
export function naiveXtX(x: Matrix): Float64Array {
  const q = x.cols;
  const out = new Float64Array(q * q);
  for (let i = 0; i < x.rows; i++) for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) out[a * q + b] = out[a * q + b]! + x.data[i * q + a]! * x.data[i * q + b]!;
  return out;
}

/** OLS by normal equations with the dense oracle. */
export function naiveOls(x: Matrix, y: Float64Array): { coef: Float64Array; v: Float64Array } {
  const q = x.cols;
  const xty = new Float64Array(q);
  for (let i = 0; i < x.rows; i++) for (let a = 0; a < q; a++) xty[a] = xty[a]! + x.data[i * q + a]! * y[i]!;
  const xtx = naiveXtX(x);
  return { coef: solveDense(xtx, q, xty), v: inverseDense(xtx, q) };
}

export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}
