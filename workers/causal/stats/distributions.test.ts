import { describe, it, expect } from 'vitest';
import { chiSquareCdf, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions';
import { logGamma } from './gamma-functions';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Exact t CDF for integer df (Abramowitz & Stegun 26.7.3–4), an independent closed form. */
function tCdfClosedForm(t: number, df: number): number {
  const theta = Math.atan(t / Math.sqrt(df));
  const c2 = Math.cos(theta) ** 2;
  if (df % 2 === 0) {
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= df - 2; k += 2) {
      term *= ((k - 1) / k) * c2;
      sum += term;
    }
    return 0.5 + 0.5 * Math.sin(theta) * sum;
  }
  if (df === 1) return 0.5 + theta / Math.PI;
  let term = 1;
  let sum = 1;
  for (let k = 3; k <= df - 2; k += 2) {
    term *= ((k - 1) / k) * c2;
    sum += term;
  }
  return 0.5 + (theta + Math.sin(theta) * Math.cos(theta) * sum) / Math.PI;
}

describe('normal distribution (R pnorm / qnorm)', () => {
  it('matches R values', () => {
    expect(rel(normalCdf(-3), 0.0013498980316301)).toBeLessThan(1e-13);
    expect(rel(normalCdf(1.96), 0.9750021048517795)).toBeLessThan(1e-15);
    expect(rel(normalCdf(-10), 7.619853024160527e-24)).toBeLessThan(1e-13);
    expect(rel(normalCdf(10, { lowerTail: false }), 7.619853024160527e-24)).toBeLessThan(1e-13);
    expect(rel(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(1e-15);
    expect(rel(normalQuantile(0.025), -1.959963984540054)).toBeLessThan(1e-15);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalQuantile(0.5)).toBe(0);
  });
  it('is symmetric and quantile inverts the CDF to 1e-13', () => {
    for (const x of [-30, -8, -5.7, -3, -1, -0.3, 0.1, 0.67, 2.5, 6]) {
      expect(rel(normalCdf(x) + normalCdf(-x), 1)).toBeLessThan(1e-15);
      expect(normalCdf(x, { lowerTail: false })).toBe(normalCdf(-x));
      // Invert on the small tail, where p carries full relative precision.
      if (x < 0.7) expect(Math.abs(normalQuantile(normalCdf(x)) - x)).toBeLessThan(2e-15 * Math.max(1, Math.abs(x)));
    }
    expect(rel(normalCdf(normalQuantile(1e-300)), 1e-300)).toBeLessThan(1e-12);
  });
});

describe('Student t (R pt / qt)', () => {
  it('matches R values', () => {
    expect(rel(studentTCdf(2, 5), 0.9490302605850709)).toBeLessThan(1e-14);
    expect(rel(studentTQuantile(0.975, 10), 2.228138851986274)).toBeLessThan(1e-13);
    expect(rel(studentTQuantile(0.975, 1), 12.70620473617471)).toBeLessThan(1e-13);
    // df = 2 closed form: t = (2p − 1) / √(2p(1 − p))
    expect(rel(studentTQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.975 * 0.025))).toBeLessThan(1e-14);
  });
  it('agrees with the closed forms for integer df to 1e-13 relative', () => {
    for (const df of [1, 2, 3, 4, 5, 7, 10, 15, 30]) {
      // The closed forms compute 0.5 + s, so only test where F is not a small difference.
      for (const t of [-1, -0.2, 0.3, 1.5, 4, 12]) {
        expect(rel(studentTCdf(t, df), tCdfClosedForm(t, df))).toBeLessThan(1e-13);
      }
    }
  });
  it('keeps relative accuracy in the far tail (upper-tail form)', () => {
    // For df = 2, P(T > t) = (1 − t/√(2+t²))/2 = 1/(√(2+t²)(√(2+t²)+t)) without cancellation.
    for (const t of [10, 100, 1e4]) {
      const s = Math.sqrt(2 + t * t);
      expect(rel(studentTCdf(t, 2, { lowerTail: false }), 1 / (s * (s + t)))).toBeLessThan(1e-13);
      expect(rel(studentTCdf(-t, 2), 1 / (s * (s + t)))).toBeLessThan(1e-13);
    }
  });
  it('quantile inverts the CDF, including tails and non-integer df; Infinity gives normal', () => {
    for (const df of [1.5, 2, 3, 7.3, 25, 236.39, 1e4, 1e6]) {
      for (const p of [1e-12, 1e-5, 0.01, 0.2, 0.5, 0.8, 0.975, 0.999999]) {
        const x = studentTQuantile(p, df);
        const back = p < 0.5 ? studentTCdf(x, df) : studentTCdf(x, df, { lowerTail: false });
        expect(rel(back, p < 0.5 ? p : 1 - p)).toBeLessThan(1e-11);
      }
    }
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(studentTCdf(1.3, Infinity)).toBe(normalCdf(1.3));
  });
});

describe('chi-square (R pchisq)', () => {
  it('matches R and the closed forms', () => {
    expect(rel(chiSquareCdf(3, 2), 0.7768698398515702)).toBeLessThan(1e-14);
    for (const x of [0.01, 0.5, 2, 7, 30, 90]) {
      expect(rel(chiSquareCdf(x, 2, { lowerTail: false }), Math.exp(-x / 2))).toBeLessThan(1e-13);
      expect(rel(chiSquareCdf(x, 4, { lowerTail: false }), Math.exp(-x / 2) * (1 + x / 2))).toBeLessThan(1e-13);
      // df = 1: P(χ² ≤ x) = 1 − 2Φ(−√x)
      expect(rel(chiSquareCdf(x, 1, { lowerTail: false }), 2 * normalCdf(-Math.sqrt(x)))).toBeLessThan(1e-13);
    }
    // Wilson–Hilferty is only approximate; use the exact df = 200 Poisson identity instead:
    // P(χ²_{2k} > x) = Σ_{j<k} e^{-x/2} (x/2)^j / j!
    const k = 100;
    const x = 230;
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(-x / 2 + j * Math.log(x / 2) - logGamma(j + 1));
    expect(rel(chiSquareCdf(x, 2 * k, { lowerTail: false }), sum)).toBeLessThan(1e-12);
  });
});

describe('logGamma', () => {
  it('matches exact factorials and Γ(½)', () => {
    expect(rel(logGamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(5e-15);
    let f = 0;
    for (let n = 1; n < 60; n++) {
      expect(Math.abs(logGamma(n + 1) - (f += Math.log(n)))).toBeLessThan(1e-13 * Math.max(1, f));
    }
  });
});
