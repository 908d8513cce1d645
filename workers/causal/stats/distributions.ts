/**
 * Normal, Student t and chi-square distribution functions, written to agree with R's
 * `pnorm`, `qnorm`, `pt`, `qt` and `pchisq` to about 1e-12 relative (tests against R values).
 *
 * - normalCdf: W. J. Cody (1993) rational Chebyshev approximations, as R's `pnorm_both`.
 * - normalQuantile: Wichura (1988) AS 241 `PPND16`, as R's `qnorm`.
 * - studentTCdf: R's `pt`: P(|T| > |t|) = I_{n/(n+t²)}(n/2, ½); df > 4e5 uses R's normal
 *   approximation (Abramowitz & Stegun 26.7.8) so the values stay identical to R's.
 * - studentTQuantile: Cornish–Fisher start (A&S 26.7.5), then safeguarded Newton steps on
 *   log F(t) using the accurate lower tail, so small tail probabilities keep their precision.
 * - chiSquareCdf: P(df/2, x/2), the regularised incomplete gamma.
 * Every CDF takes `{ lowerTail: false }` to return the upper tail directly (no 1 − p loss).
 */
import { logGamma } from './gamma-functions';
import { betaRegularized } from './incomplete-beta';
import { gammaRegularized } from './incomplete-gamma';

export interface TailOptions {
  /** true (default): P[X ≤ x]; false: P[X > x]. */
  readonly lowerTail?: boolean;
}

const SQRT_32 = 5.656854249492380195206754896838;
const INV_SQRT_2PI = 0.398942280401432677939946059934;
const HALF_EPS = Number.EPSILON * 0.5;

const CODY_A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const CODY_B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const CODY_C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const CODY_D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const CODY_P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const CODY_Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/** exp(−x²/2) · temp, splitting x² so that the exponent is exact for the leading part (Cody). */
function gaussianTail(x: number, temp: number): number {
  const xsq = Math.trunc(x * 16) / 16;
  const del = (x - xsq) * (x + xsq);
  return Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5) * temp;
}

export function normalCdf(x: number, options: TailOptions = {}): number {
  const lower = options.lowerTail ?? true;
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let cum: number;
  let ccum: number;
  if (y <= 0.67448975) {
    let xnum = 0;
    let xden = 0;
    if (y > HALF_EPS) {
      const xsq = x * x;
      xnum = CODY_A[4]! * xsq;
      xden = xsq;
      for (let i = 0; i < 3; i++) {
        xnum = (xnum + CODY_A[i]!) * xsq;
        xden = (xden + CODY_B[i]!) * xsq;
      }
    }
    const temp = (x * (xnum + CODY_A[3]!)) / (xden + CODY_B[3]!);
    cum = 0.5 + temp;
    ccum = 0.5 - temp;
    return lower ? cum : ccum;
  }
  if (y <= SQRT_32) {
    let xnum = CODY_C[8]! * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + CODY_C[i]!) * y;
      xden = (xden + CODY_D[i]!) * y;
    }
    cum = gaussianTail(y, (xnum + CODY_C[7]!) / (xden + CODY_D[7]!));
  } else if (y < 37.5193) {
    const xsq = 1 / (x * x);
    let xnum = CODY_P[5]! * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + CODY_P[i]!) * xsq;
      xden = (xden + CODY_Q[i]!) * xsq;
    }
    let temp = (xsq * (xnum + CODY_P[4]!)) / (xden + CODY_Q[4]!);
    temp = (INV_SQRT_2PI - temp) / y;
    cum = gaussianTail(x, temp);
  } else {
    cum = 0;
  }
  // `cum` is the tail beyond |x|; the other tail is its complement.
  ccum = 1 - cum;
  if (x > 0) return lower ? ccum : cum;
  return lower ? cum : ccum;
}

export function normalDensity(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

function horner(coefficients: readonly number[], r: number): number {
  let s = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) s = s * r + coefficients[i]!;
  return s;
}

const AS241_A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const AS241_B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const AS241_C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const AS241_D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const AS241_E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const AS241_F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(AS241_A, r)) / horner(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 0.5 - p + 0.5));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = horner(AS241_C, r) / horner(AS241_D, r);
  } else {
    r -= 5;
    value = horner(AS241_E, r) / horner(AS241_F, r);
  }
  return q < 0 ? -value : value;
}

/** Probability of the tail beyond |t| on one side: P(T > |t|). */
function studentTTail(t: number, df: number): number {
  const nx = 1 + (t / df) * t;
  if (nx > 1e100) {
    const logValue = -0.5 * df * (2 * Math.log(Math.abs(t)) - Math.log(df)) - logBetaHalf(df) - Math.log(0.5 * df);
    return Math.exp(logValue) / 2;
  }
  const both =
    df > t * t
      ? betaRegularized((t * t) / (df + t * t), df / (df + t * t), 0.5, df / 2, false)
      : betaRegularized(1 / nx, (t * t) / df / nx, df / 2, 0.5, true);
  return both / 2;
}

function logBetaHalf(df: number): number {
  return logGamma(0.5 * df) + logGamma(0.5) - logGamma(0.5 * df + 0.5);
}

export function studentTCdf(t: number, df: number, options: TailOptions = {}): number {
  const lower = options.lowerTail ?? true;
  if (Number.isNaN(t) || Number.isNaN(df) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return (t < 0) === lower ? 0 : 1;
  if (!Number.isFinite(df)) return normalCdf(t, options);
  if (df > 4e5) {
    const v = 1 / (4 * df);
    return normalCdf((t * (1 - v)) / Math.sqrt(1 + t * t * 2 * v), options);
  }
  const tail = studentTTail(t, df);
  // `tail` is P(T > |t|): it is the lower tail when t ≤ 0, the upper tail when t > 0.
  const tailIsRequested = t <= 0 ? lower : !lower;
  return tailIsRequested ? tail : 0.5 - tail + 0.5;
}

export function studentTDensity(t: number, df: number): number {
  if (!Number.isFinite(df)) return normalDensity(t);
  const logDensity =
    logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

/** Cornish–Fisher expansion of the t quantile around the normal quantile z (A&S 26.7.5). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || p < 0 || p > 1 || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(df)) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  // Solve F(x) = q on the lower half (x < 0), where F is computed as a small tail.
  const upperHalf = p > 0.5;
  const q = upperHalf ? 0.5 - p + 0.5 : p;
  const logQ = Math.log(q);
  let x = df === 2 ? (2 * q - 1) / Math.sqrt(2 * q * (1 - q)) : cornishFisher(normalQuantile(q), df);
  if (!(x < 0) || !Number.isFinite(x)) x = -1;
  // Bracket [lo, hi] with F(lo) ≤ q ≤ F(hi), hi ≤ 0, kept for safeguarding Newton.
  let lo = -Infinity;
  let hi = 0;
  for (let iter = 0; iter < 200; iter++) {
    const f = studentTCdf(x, df);
    if (f === q) break;
    if (f < q) lo = x;
    else hi = x;
    // Newton on g(x) = log F(x) − log q, g'(x) = density / F.
    const step = ((Math.log(f) - logQ) * f) / studentTDensity(x, df);
    let next = x - step;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      next = Number.isFinite(lo) ? (lo + hi) / 2 : Math.min(2 * x, hi - 1);
    }
    if (Math.abs(next - x) <= 1e-15 * Math.abs(x)) {
      x = next;
      break;
    }
    x = next;
  }
  return upperHalf ? -x : x;
}

export function chiSquareCdf(x: number, df: number, options: TailOptions = {}): number {
  const lower = options.lowerTail ?? true;
  if (Number.isNaN(x) || Number.isNaN(df) || !(df > 0)) return Number.NaN;
  if (x <= 0) return lower ? 0 : 1;
  return gammaRegularized(df / 2, x / 2, lower);
}
