/**
 * Householder QR with R's limited column pivoting (LINPACK `dqrdc2`, R src/appl/dqrdc2.f):
 * columns are processed left to right; a column whose remaining norm falls below
 * `tol` × its original norm is moved to the end and counted as aliased. This is what
 * `lm` (tol 1e-7) and `glm.fit` (tol min(1e-7, epsilon/1000)) use, so the set of aliased
 * columns (NA coefficients in R) agrees with R's.
 *
 * Storage: column-major n×p copy (`qr[j * n + i]`), Householder vectors below the diagonal and
 * their leading elements in `qraux`, R on and above the diagonal, as in LINPACK.
 */

export interface QrDecomposition {
  readonly qr: Float64Array;
  readonly qraux: Float64Array;
  /** pivot[k] = original column index of decomposed column k. */
  readonly pivot: Int32Array;
  readonly rank: number;
  readonly n: number;
  readonly p: number;
}

function norm2(a: Float64Array, from: number, to: number): number {
  // Scaled sum of squares as in BLAS dnrm2, so large magnitudes do not overflow.
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < to; i++) {
    const v = a[i]!;
    if (v !== 0) {
      const av = Math.abs(v);
      if (scale < av) {
        ssq = 1 + ssq * (scale / av) * (scale / av);
        scale = av;
      } else ssq += (av / scale) * (av / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

/** Decomposes the column-major n×p matrix `a` (copied) with tolerance `tol`. */
export function qrDecompose(a: Float64Array, n: number, p: number, tol = 1e-7): QrDecomposition {
  const x = Float64Array.from(a);
  const qraux = new Float64Array(p);
  const work1 = new Float64Array(p);
  const work2 = new Float64Array(p);
  const pivot = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    const nrm = norm2(x, j * n, j * n + n);
    qraux[j] = nrm;
    work1[j] = nrm;
    work2[j] = nrm === 0 ? 1 : nrm;
    pivot[j] = j;
  }
  const lup = Math.min(n, p);
  let k = p + 1;
  const column = new Float64Array(n);
  for (let l = 1; l <= lup; l++) {
    // Cycle negligible columns to the end (1-based indices as in the Fortran).
    while (l < k && qraux[l - 1]! < work2[l - 1]! * tol) {
      column.set(x.subarray((l - 1) * n, l * n));
      x.copyWithin((l - 1) * n, l * n, p * n);
      x.set(column, (p - 1) * n);
      const pv = pivot[l - 1]!;
      const q = qraux[l - 1]!;
      const w1 = work1[l - 1]!;
      const w2 = work2[l - 1]!;
      for (let j = l; j < p; j++) {
        pivot[j - 1] = pivot[j]!;
        qraux[j - 1] = qraux[j]!;
        work1[j - 1] = work1[j]!;
        work2[j - 1] = work2[j]!;
      }
      pivot[p - 1] = pv;
      qraux[p - 1] = q;
      work1[p - 1] = w1;
      work2[p - 1] = w2;
      k--;
    }
    if (l === n) break;
    const cl = (l - 1) * n;
    const diag = cl + l - 1;
    let nrmxl = norm2(x, diag, cl + n);
    if (nrmxl === 0) continue;
    if (x[diag] !== 0) nrmxl = Math.sign(x[diag]!) * Math.abs(nrmxl);
    for (let i = diag; i < cl + n; i++) x[i] = x[i]! / nrmxl;
    x[diag] = 1 + x[diag]!;
    for (let j = l + 1; j <= p; j++) {
      const cj = (j - 1) * n;
      let dot = 0;
      for (let i = l - 1; i < n; i++) dot += x[cl + i]! * x[cj + i]!;
      const t = -dot / x[diag]!;
      for (let i = l - 1; i < n; i++) x[cj + i] = x[cj + i]! + t * x[cl + i]!;
      if (qraux[j - 1] !== 0) {
        const ratio = Math.abs(x[cj + l - 1]!) / qraux[j - 1]!;
        const tt = Math.max(1 - ratio * ratio, 0);
        // Doug Bates' 1999 fix in dqrdc2: recompute the norm when the downdate is unreliable.
        if (Math.abs(tt) < 1e-6) {
          qraux[j - 1] = norm2(x, cj + l, cj + n);
          work1[j - 1] = qraux[j - 1]!;
        } else {
          qraux[j - 1] = qraux[j - 1]! * Math.sqrt(tt);
        }
      }
    }
    qraux[l - 1] = x[diag]!;
    x[diag] = -nrmxl;
  }
  return { qr: x, qraux, pivot, rank: Math.min(k - 1, n), n, p };
}

/** Overwrites y (length n) with Qᵀy (LINPACK `dqrsl` with job "qty"). */
export function qrQty(d: QrDecomposition, y: Float64Array): void {
  const { qr, qraux, n } = d;
  const steps = Math.min(d.rank, n - 1);
  for (let j = 0; j < steps; j++) {
    if (qraux[j] === 0) continue;
    const cj = j * n;
    const saved = qr[cj + j]!;
    qr[cj + j] = qraux[j]!;
    let dot = 0;
    for (let i = j; i < n; i++) dot += qr[cj + i]! * y[i]!;
    const t = -dot / qr[cj + j]!;
    for (let i = j; i < n; i++) y[i] = y[i]! + t * qr[cj + i]!;
    qr[cj + j] = saved;
  }
}

/** Overwrites y with Qy (inverse of `qrQty`). */
export function qrQy(d: QrDecomposition, y: Float64Array): void {
  const { qr, qraux, n } = d;
  const steps = Math.min(d.rank, n - 1);
  for (let j = steps - 1; j >= 0; j--) {
    if (qraux[j] === 0) continue;
    const cj = j * n;
    const saved = qr[cj + j]!;
    qr[cj + j] = qraux[j]!;
    let dot = 0;
    for (let i = j; i < n; i++) dot += qr[cj + i]! * y[i]!;
    const t = -dot / qr[cj + j]!;
    for (let i = j; i < n; i++) y[i] = y[i]! + t * qr[cj + i]!;
    qr[cj + j] = saved;
  }
}
