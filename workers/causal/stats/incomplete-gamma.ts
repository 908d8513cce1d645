/**
 * Regularised incomplete gamma P(a, x) and Q(a, x) = 1 − P(a, x): the power series for
 * x < a + 1 and the Legendre continued fraction (modified Lentz) otherwise (Numerical Recipes
 * §6.2). The common factor x^a e^{−x} / Γ(a + 1) is R's `dpois_raw(a, x)` (Loader's
 * saddle-point form), which keeps full relative accuracy for large a.
 */
import { poissonDensityRaw } from './gamma-functions';

const TINY = 1e-300;
const EPS = 1e-16;
const MAX_ITER = 100000;

export function gammaRegularized(a: number, x: number, lowerTail = true): number {
  if (Number.isNaN(a) || Number.isNaN(x) || !(a > 0)) return Number.NaN;
  if (x <= 0) return lowerTail ? 0 : 1;
  if (x === Infinity) return lowerTail ? 1 : 0;
  const front = poissonDensityRaw(a, x);
  if (x < a + 1) {
    // P = x^a e^-x / Γ(a+1) · Σ_k x^k / ((a+1)…(a+k))
    let term = 1;
    let sum = 1;
    for (let k = 1; k <= MAX_ITER; k++) {
      term *= x / (a + k);
      sum += term;
      if (term < sum * EPS) break;
    }
    const lower = front * sum;
    return lowerTail ? lower : 1 - lower;
  }
  // Q = x^a e^-x / Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− …)) and x^a e^-x/Γ(a) = a · front.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const upper = a * front * h;
  return lowerTail ? 1 - upper : upper;
}
