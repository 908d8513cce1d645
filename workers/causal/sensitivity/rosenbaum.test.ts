import { describe, it, expect } from 'vitest';
import {
  averageRanks,
  binomialUpperTail,
  discordantPairs,
  rosenbaumMcNemar,
  rosenbaumWilcoxon,
  signedRankSummary,
  wilcoxonBoundPValues,
} from './rosenbaum';
import { num, readReferenceCsv, readReferenceJson } from '../testing/reference';

interface RosenbaumFixture {
  n_pairs: number;
  zero_diffs: number;
  T_rbounds: number;
  T_textbook: number;
  table: { Gamma: number; rbounds_lower: number; rbounds_upper: number; textbook_lower: number; textbook_upper: number }[];
}

/** re78(treated) − re78(control) for the 185 MatchIt m1 pairs. */
function m1Differences(): Float64Array {
  const lalonde = readReferenceCsv('lalonde', 'lalonde.csv');
  const re78 = lalonde.map((r) => num(r.re78));
  const pairs = readReferenceCsv('lalonde', 'matchit-4.7.2', 'm1_match_matrix.csv');
  return Float64Array.from(pairs.map((p) => re78[num(p.treated_index) - 1]! - re78[num(p.control1_index) - 1]!));
}

const fixture = readReferenceJson<RosenbaumFixture>('sensitivity', 'rosenbaum_lalonde_m1.json');
const diffs = m1Differences();

describe('rosenbaumWilcoxon on the lalonde m1 pairs (textbook values)', () => {
  const res = rosenbaumWilcoxon(diffs, { gammas: fixture.table.map((r) => r.Gamma) });

  it('drops the zero differences and reproduces T⁺', () => {
    expect(res.summary.nPairs).toBe(fixture.n_pairs);
    expect(res.summary.nZero).toBe(fixture.zero_diffs);
    expect(res.summary.statistic).toBe(fixture.T_textbook);
  });

  it('matches the textbook lower and upper bounds to 1e-6 over the Γ grid', () => {
    fixture.table.forEach((row, i) => {
      const got = res.table[i]!;
      expect(got.gamma).toBe(row.Gamma);
      expect(Math.abs(got.lower - row.textbook_lower)).toBeLessThan(1e-6);
      expect(Math.abs(got.upper - row.textbook_upper)).toBeLessThan(1e-6);
      expect(Math.abs(got.lower - row.textbook_lower) / row.textbook_lower).toBeLessThan(1e-6);
      expect(Math.abs(got.upper - row.textbook_upper) / row.textbook_upper).toBeLessThan(1e-6);
    });
  });

  it('has no Γ* here: the m1 effect is not significant even at Γ = 1', () => {
    expect(res.table[0]!.upper).toBeGreaterThan(0.05);
    expect(res.gammaStar).toBeNull();
  });
});

describe('documented deviation from rbounds::psens', () => {
  it("keeping the zero differences (psens's ties branch) reproduces psens's printed values", () => {
    // psens ranks all 185 differences, zeros included (they tie at the bottom), counts only
    // d > 0 in T, and, because the zeros create ties, uses Σ r² for the variance.
    const ranks = averageRanks(diffs.map(Math.abs));
    let t = 0;
    let sr = 0;
    let sr2 = 0;
    diffs.forEach((d, i) => {
      const r = ranks[i]!;
      if (d > 0) t += r;
      sr += r;
      sr2 += r * r;
    });
    expect(t).toBe(fixture.T_rbounds);
    for (const row of fixture.table) {
      const b = wilcoxonBoundPValues(t, sr, sr2, row.Gamma);
      expect(Math.abs(b.lower - row.rbounds_lower)).toBeLessThan(1e-6);
      expect(Math.abs(b.upper - row.rbounds_upper)).toBeLessThan(1e-6);
      expect(Math.abs(b.upper - row.textbook_upper)).toBeGreaterThan(1e-4);
    }
  });

  it("psens's no-ties branch uses S(S+1)·2(S+1)/6, which differs from Σ r² = S(S+1)(2S+1)/6", () => {
    // Distinct |d| (no ties, no zeros): the textbook variance is S(S+1)(2S+1)/6 exactly.
    const d = Float64Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (i + 1) * 1.5);
    const s = signedRankSummary(d);
    const S = s.nUsed;
    expect(s.sumSquaredRanks).toBe((S * (S + 1) * (2 * S + 1)) / 6);
    const gamma = 1.5;
    const p = gamma / (1 + gamma);
    const psensUpper = 1 - 0.5 * (1 + erf((s.statistic - (p * S * (S + 1)) / 2) / Math.sqrt((p * (1 - p) * S * (S + 1) * 2 * (S + 1)) / 6) / Math.SQRT2));
    const ours = wilcoxonBoundPValues(s.statistic, s.sumRanks, s.sumSquaredRanks, gamma).upper;
    expect(Math.abs(psensUpper - ours)).toBeGreaterThan(1e-4);
  });
});

/** Abramowitz–Stegun 7.1.26 is too coarse for exact checks, so use a series/continued fraction. */
function erf(x: number): number {
  const z = Math.abs(x);
  let sum = z;
  let term = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  const value = (2 / Math.sqrt(Math.PI)) * sum;
  return x < 0 ? -value : value;
}

describe('rosenbaumWilcoxon behaviour', () => {
  it('finds Γ* by bisection where the upper bound crosses α', () => {
    const d = Float64Array.from({ length: 60 }, (_, i) => (i % 5 === 0 ? -1 : 1) * (i + 1));
    const res = rosenbaumWilcoxon(d, { alpha: 0.05 });
    expect(res.gammaStar).not.toBeNull();
    const g = res.gammaStar!;
    expect(g).toBeGreaterThan(1);
    const s = res.summary;
    expect(wilcoxonBoundPValues(s.statistic, s.sumRanks, s.sumSquaredRanks, g).upper).toBeLessThan(0.05);
    expect(wilcoxonBoundPValues(s.statistic, s.sumRanks, s.sumSquaredRanks, g * (1 + 1e-8)).upper).toBeGreaterThanOrEqual(0.05);
  });

  it("alternative 'less' is the same test on the negated differences", () => {
    const less = rosenbaumWilcoxon(diffs.map((d) => -d), { alternative: 'less', gammas: [1, 1.5] });
    const greater = rosenbaumWilcoxon(diffs, { gammas: [1, 1.5] });
    expect(less.table).toEqual(greater.table);
  });

  it('rejects all-zero differences and NaN', () => {
    expect(() => rosenbaumWilcoxon(new Float64Array(5))).toThrow(/zero outcome difference/);
    expect(() => rosenbaumWilcoxon(Float64Array.of(1, Number.NaN))).toThrow(/Pair 2/);
    expect(() => rosenbaumWilcoxon(Float64Array.of(1, 2), { gammas: [0.5] })).toThrow(/Γ/);
  });
});

describe('rosenbaumMcNemar (binary outcome)', () => {
  it('binomialUpperTail matches a direct sum of binomial probabilities', () => {
    const n = 30;
    const p = 0.6;
    const choose = (a: number, b: number): number => {
      let c = 1;
      for (let i = 1; i <= b; i++) c = (c * (a - b + i)) / i;
      return c;
    };
    for (const t of [0, 1, 12, 18, 25, 30, 31]) {
      let direct = 0;
      for (let k = t; k <= n; k++) direct += choose(n, k) * p ** k * (1 - p) ** (n - k);
      expect(Math.abs(binomialUpperTail(t, n, p) - Math.min(1, direct))).toBeLessThan(1e-13);
    }
  });

  it('at Γ = 1 equals the exact one-sided McNemar (sign) test and bounds widen with Γ', () => {
    const res = rosenbaumMcNemar(30, 12, { gammas: [1, 1.5, 2, 3] });
    // P(X ≥ 30 | Bin(42, 1/2)) computed by summation of exact integers.
    let tail = 0n;
    const choose = (n: bigint, k: bigint): bigint => {
      let c = 1n;
      for (let i = 1n; i <= k; i++) c = (c * (n - k + i)) / i;
      return c;
    };
    for (let k = 30n; k <= 42n; k++) tail += choose(42n, k);
    const exact = Number(tail) / 2 ** 42;
    expect(Math.abs(res.table[0]!.upper - exact) / exact).toBeLessThan(1e-12);
    expect(res.table[0]!.lower).toBe(res.table[0]!.upper);
    for (let i = 1; i < res.table.length; i++) {
      expect(res.table[i]!.upper).toBeGreaterThan(res.table[i - 1]!.upper);
      expect(res.table[i]!.lower).toBeLessThan(res.table[i - 1]!.lower);
    }
    expect(res.gammaStar).toBeGreaterThan(1);
    expect(binomialUpperTail(30, 42, res.gammaStar! / (1 + res.gammaStar!))).toBeLessThan(0.05);
  });

  it('counts discordant pairs and validates 0/1 outcomes', () => {
    expect(discordantPairs(Float64Array.of(1, 1, 0, 0, 1), Float64Array.of(0, 1, 1, 0, 0))).toEqual({ treatedOnly: 2, controlOnly: 1 });
    expect(() => discordantPairs(Float64Array.of(2), Float64Array.of(0))).toThrow(/Pair 1/);
    expect(() => rosenbaumMcNemar(0, 0)).toThrow(/discordant/);
  });
});
