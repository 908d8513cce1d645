/**
 * Regularised incomplete beta I_x(a, b) and its complement, by the continued fraction of
 * Numerical Recipes §6.4 (modified Lentz), evaluated on whichever side converges fast
 * (x < (a + 1) / (a + b + 2)) and mirrored with I_x(a, b) = 1 − I_{1−x}(b, a).
 *
 * The caller passes both x and y = 1 − x so that a y close to 0 keeps its relative precision
 * (R's `pbeta_raw` takes the same pair). The prefactor x^a y^b / (a B(a, b)) uses `logBeta`,
 * which is accurate for large a, b.
 */
import { logBeta } from './gamma-functions';

const TINY = 1e-300;
const EPS = 1e-16;
const MAX_ITER = 20000;

/** Continued fraction for I_x(a, b) (NR `betacf`), valid and fast for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/**
 * Returns I_x(a, b) when `lowerTail`, else 1 − I_x(a, b), with y = 1 − x supplied by the caller.
 */
export function betaRegularized(x: number, y: number, a: number, b: number, lowerTail = true): number {
  if (Number.isNaN(x) || Number.isNaN(y) || !(a > 0) || !(b > 0)) return Number.NaN;
  if (x <= 0) return lowerTail ? 0 : 1;
  if (y <= 0) return lowerTail ? 1 : 0;
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
    return lowerTail ? lower : 1 - lower;
  }
  const upper = (Math.exp(logFront) * betaContinuedFraction(y, b, a)) / b;
  return lowerTail ? 1 - upper : upper;
}
