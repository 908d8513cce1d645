import { describe, it, expect } from 'vitest';
import { mScores, rosenbaumMStatistic, separableMoments } from './m-statistic';
import { createRng } from '../random/rng';
import { normalCdf } from '../stats/distributions';

describe('separableMoments', () => {
  it('equals the maximum expectation over all 2^n hidden-bias patterns u ∈ {0,1}^n', () => {
    // Under the sensitivity model, P(unit j is the treated one) ∝ Γ^{u_j}. Enumerate every u.
    const q = Float64Array.of(-0.7, 0.2, 0.9, -0.1, 0.45);
    for (const gamma of [1, 1.3, 2, 5]) {
      let best = -Infinity;
      let bestVar = -Infinity;
      for (let mask = 0; mask < 1 << q.length; mask++) {
        let denom = 0;
        for (let j = 0; j < q.length; j++) denom += (mask >> j) & 1 ? gamma : 1;
        let mu = 0;
        let m2 = 0;
        for (let j = 0; j < q.length; j++) {
          const p = ((mask >> j) & 1 ? gamma : 1) / denom;
          mu += p * q[j]!;
          m2 += p * q[j]! * q[j]!;
        }
        if (mu > best + 1e-15) {
          best = mu;
          bestVar = m2 - mu * mu;
        } else if (Math.abs(mu - best) <= 1e-15) bestVar = Math.max(bestVar, m2 - mu * mu);
      }
      const got = separableMoments(q, gamma);
      expect(got.mean).toBeCloseTo(best, 14);
      if (gamma > 1) expect(got.variance).toBeCloseTo(bestVar, 14);
    }
  });
});

describe('rosenbaumMStatistic', () => {
  it('for pairs with trim = ∞ is the permutation mean test with closed-form bounds', () => {
    const d = Float64Array.of(3.1, -0.4, 2.2, 1.7, 0.6, -1.2, 2.9, 0.8, 1.1, -0.3, 2.4, 0.9);
    const sets = { data: new Float64Array(d.length * 2), rows: d.length, cols: 2 };
    d.forEach((v, i) => {
      sets.data[2 * i] = 10 + v;
      sets.data[2 * i + 1] = 10;
    });
    const res = rosenbaumMStatistic(sets, { trim: Infinity, gammas: [1, 1.5, 2.5] });
    let sum = 0;
    let sumAbs = 0;
    let sumSq = 0;
    for (const v of d) {
      sum += v / 2;
      sumAbs += Math.abs(v) / 2;
      sumSq += (v * v) / 4;
    }
    expect(res.statistic).toBeCloseTo(sum, 12);
    for (const b of res.table) {
      const g = b.gamma;
      const e = (sumAbs * (g - 1)) / (g + 1);
      const v = (sumSq * 4 * g) / ((1 + g) * (1 + g));
      expect(b.expectation).toBeCloseTo(e, 12);
      expect(b.variance).toBeCloseTo(v, 12);
      expect(Math.abs(b.pValue - normalCdf((sum - e) / Math.sqrt(v), { lowerTail: false }))).toBeLessThan(1e-14);
    }
  });

  it('scores: Huber ψ trimmed at 3 scale units, averaged over the set size', () => {
    const sets = { data: Float64Array.of(4, 0, Number.NaN, 1, 0, 2), rows: 2, cols: 3 };
    const { scores, scale } = mScores(sets, 0, 3, 0.5);
    // |differences| (ordered pairs): 4,4 | 1,1,2,2,1,1 → median of [1,1,1,1,2,2,4,4] = 1.5
    expect(scale).toBe(1.5);
    expect(scores[0]).toBeCloseTo(Math.min(1, 4 / 1.5 / 3) / 2, 14);
    expect(Number.isNaN(scores[2]!)).toBe(true);
    expect(scores[3]).toBeCloseTo((1 / 1.5 / 3 + -1 / 1.5 / 3) / 3, 14);
  });

  it('detects a real effect in 1:2 and variable-ratio sets and loses it as Γ grows', () => {
    const rng = createRng('m-stat');
    const rows = 300;
    const cols = 3;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const base = rng.normal();
      data[i * cols] = base + 0.5 + rng.normal();
      data[i * cols + 1] = base + rng.normal();
      data[i * cols + 2] = i % 3 === 0 ? Number.NaN : base + rng.normal();
    }
    const res = rosenbaumMStatistic({ data, rows, cols }, { gammas: [1, 1.5, 4] });
    expect(res.table[0]!.pValue).toBeLessThan(1e-4);
    expect(res.table[2]!.pValue).toBeGreaterThan(0.05);
    expect(res.gammaStar).toBeGreaterThan(1.2);
    expect(res.gammaStar).toBeLessThan(4);
  });

  it('keeps nominal size under no effect (Γ = 1)', () => {
    const rng = createRng('m-stat-null');
    let rejections = 0;
    const reps = 200;
    for (let r = 0; r < reps; r++) {
      const rows = 60;
      const data = new Float64Array(rows * 3);
      for (let i = 0; i < data.length; i++) data[i] = rng.normal();
      if (rosenbaumMStatistic({ data, rows, cols: 3 }, { gammas: [1] }).table[0]!.pValue < 0.05) rejections++;
    }
    // Binomial(200, 0.05): mean 10, sd ≈ 3.1.
    expect(rejections).toBeGreaterThan(1);
    expect(rejections).toBeLessThan(22);
  });

  it('rejects sets without controls or a treated outcome', () => {
    expect(() => rosenbaumMStatistic({ data: Float64Array.of(1, Number.NaN), rows: 1, cols: 2 })).toThrow(/No matched set/);
    expect(() => rosenbaumMStatistic({ data: Float64Array.of(Number.NaN, 1), rows: 1, cols: 2 })).toThrow(/set 1/);
  });
});
