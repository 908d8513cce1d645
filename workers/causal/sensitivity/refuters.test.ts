import { describe, it, expect } from 'vitest';
import { dataSubsetRefuter, negativeControlVerdict, placeboTreatmentRefuter, randomCommonCauseRefuter, refutationPValue } from './refuters';
import { createRng } from '../random/rng';
import { weightedLeastSquares } from '../linalg';

/** Randomised experiment with a known effect of 2. */
function simulate(n: number, seed: string): { y: Float64Array; t: Float64Array } {
  const rng = createRng(seed);
  const y = new Float64Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = rng.next() < 0.4 ? 1 : 0;
    y[i] = 1 + 2 * t[i]! + rng.normal();
  }
  return { y, t };
}

function diffInMeans(y: Float64Array, t: Float64Array, rows?: Int32Array): number {
  let s1 = 0;
  let n1 = 0;
  let s0 = 0;
  let n0 = 0;
  const visit = (i: number): void => {
    if (t[i] === 1) {
      s1 += y[i]!;
      n1++;
    } else {
      s0 += y[i]!;
      n0++;
    }
  };
  if (rows) rows.forEach(visit);
  else for (let i = 0; i < y.length; i++) visit(i);
  return s1 / n1 - s0 / n0;
}

const { y, t } = simulate(400, 'refuters');
const ate = diffInMeans(y, t);

describe('refutationPValue (DoWhy test_significance, two-tailed)', () => {
  it('uses the empirical quantile with ≥ 100 simulations', () => {
    const sims = Float64Array.from({ length: 100 }, (_, i) => i); // 0..99, median 50
    // 95 > median: searchsorted left = 95 → one tail 1 − 95/100 = 0.05 → two-tailed 0.1
    expect(refutationPValue(95, sims).pValue).toBeCloseTo(0.1, 14);
    expect(refutationPValue(95, sims).testType).toBe('bootstrap');
    // 2 ≤ median: searchsorted right = 3 → 0.03 → 0.06
    expect(refutationPValue(2, sims).pValue).toBeCloseTo(0.06, 15);
    expect(refutationPValue(-5, sims).pValue).toBe(0);
    expect(refutationPValue(49.5, sims).pValue).toBe(1);
  });

  it('uses a normal test (population SD) with fewer simulations', () => {
    const sims = Float64Array.of(-1, 1, -1, 1);
    const res = refutationPValue(1.96, sims);
    expect(res.testType).toBe('normal');
    expect(res.pValue).toBeCloseTo(0.04999579029644087, 12);
  });
});

describe('placeboTreatmentRefuter', () => {
  it('passes for a correct estimator: placebo estimates centre on 0', () => {
    const res = placeboTreatmentRefuter(ate, t, (pt) => diffInMeans(y, pt), createRng(1));
    expect(ate).toBeGreaterThan(1.7);
    expect(ate).toBeLessThan(2.3);
    expect(res.simulations!.n).toBe(100);
    expect(Math.abs(res.simulations!.mean)).toBeLessThan(0.1);
    expect(res.testType).toBe('bootstrap');
    expect(res.verdict).toBe('passed');
  });

  it('fails for a broken estimator that ignores the treatment labels', () => {
    const broken = (): number => 2;
    const res = placeboTreatmentRefuter(broken(), t, broken, createRng(2));
    expect(res.pValue).toBe(0);
    expect(res.verdict).toBe('failed');
    expect(res.explanation).toMatch(/check the pipeline/);
  });

  it('fails for an estimator that leaks the real treatment into the placebo run', () => {
    const leaky = (pt: Float64Array): number => 0.5 * diffInMeans(y, pt) + 0.5 * ate;
    expect(placeboTreatmentRefuter(ate, t, leaky, createRng(3)).verdict).toBe('failed');
  });

  it('is reproducible for a seed', () => {
    const a = placeboTreatmentRefuter(ate, t, (pt) => diffInMeans(y, pt), createRng('s'), { simulations: 20 });
    const b = placeboTreatmentRefuter(ate, t, (pt) => diffInMeans(y, pt), createRng('s'), { simulations: 20 });
    expect(a).toEqual(b);
    expect(a.testType).toBe('normal');
  });
});

describe('randomCommonCauseRefuter', () => {
  it('passes when a regression-adjusted estimate is unmoved by a random covariate', () => {
    const n = y.length;
    const withCovariate = (z: Float64Array): number => {
      const data = new Float64Array(n * 3);
      for (let i = 0; i < n; i++) {
        data[3 * i] = 1;
        data[3 * i + 1] = t[i]!;
        data[3 * i + 2] = z[i]!;
      }
      return weightedLeastSquares({ data, rows: n, cols: 3 }, y).coef[1]!;
    };
    const res = randomCommonCauseRefuter(ate, n, withCovariate, createRng(4));
    expect(Math.abs(res.simulations!.mean - ate)).toBeLessThan(0.02);
    expect(res.verdict).toBe('passed');
  });
});

describe('dataSubsetRefuter', () => {
  it('passes for difference in means on 80% subsets', () => {
    const res = dataSubsetRefuter(ate, y.length, (rows) => diffInMeans(y, t, rows), createRng(5));
    expect(res.verdict).toBe('passed');
    expect(res.simulations!.q025).toBeLessThan(ate);
    expect(res.simulations!.q975).toBeGreaterThan(ate);
  });

  it('fails for an estimator that scales with the sample size (a sum instead of a mean)', () => {
    const total = (rows?: Int32Array): number => {
      let s = 0;
      const idx = rows ?? Int32Array.from({ length: y.length }, (_, i) => i);
      for (const i of idx) s += t[i] === 1 ? y[i]! : 0;
      return s;
    };
    const res = dataSubsetRefuter(total(), y.length, total, createRng(6));
    expect(res.verdict).toBe('failed');
  });
});

describe('negativeControlVerdict', () => {
  it('passes when the CI includes 0 and fails when it excludes 0', () => {
    const ok = negativeControlVerdict({ estimate: 0.1, ci95: [-0.1, 0.3], pValue: 0.33 }, { outcomeName: 'gpa_pre' });
    expect(ok.verdict).toBe('passed');
    expect(ok.explanation).toMatch(/gpa_pre/);
    const bad = negativeControlVerdict({ estimate: 0.3, ci95: [0.1, 0.5], pValue: 0.003 });
    expect(bad.verdict).toBe('failed');
    expect(bad.explanation).toMatch(/residual confounding/);
  });
});
