import { describe, it, expect } from 'vitest';
import { adjustForConfounder, benchmarkPartialR2, ovbSensitivity, robustnessValue } from './ovb';
import { num, readReferenceCsv, readReferenceJson } from '../testing/reference';
import { createRng } from '../random/rng';

interface DarfurRef {
  estimate: number;
  se: number;
  t: number;
  dof: number;
  'r2yd.x': number;
  rv_q1: number;
  rv_q1_alpha05: number;
  'female_r2yxj.dx': number;
  'female_r2dxj.x': number;
  bounds: {
    bound_label: string;
    'r2dz.x': number;
    'r2yz.dx': number;
    adjusted_estimate: number;
    adjusted_se: number;
    adjusted_t: number;
    adjusted_lower_CI: number;
    adjusted_upper_CI: number;
  }[];
  extra_rv: { q: number; alpha: number; rv: number }[];
}

const ref = readReferenceJson<DarfurRef>('sensitivity', 'darfur_sensemakr.json');
const close = (got: number, want: number): void => {
  expect(Math.abs(got - want) / Math.max(1, Math.abs(want))).toBeLessThan(1e-6);
  expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-6);
};

/** peacefactor ~ directlyharmed + age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female + village */
function darfurInput() {
  const rows = readReferenceCsv('sensitivity', 'darfur.csv');
  const numeric = ['age', 'farmer_dar', 'herder_dar', 'pastvoted', 'hhsize_darfur', 'female'];
  // Treatment contrasts for the village factor (first sorted level is the reference).
  const villages = [...new Set(rows.map((r) => r.village!))].sort();
  const dummies = villages.slice(1);
  const names = [...numeric, ...dummies.map((v) => `village${v}`)];
  const n = rows.length;
  const data = new Float64Array(n * names.length);
  rows.forEach((r, i) => {
    numeric.forEach((c, j) => (data[i * names.length + j] = num(r[c])));
    const k = dummies.indexOf(r.village!);
    if (k >= 0) data[i * names.length + numeric.length + k] = 1;
  });
  return {
    y: Float64Array.from(rows.map((r) => num(r.peacefactor))),
    d: Float64Array.from(rows.map((r) => num(r.directlyharmed))),
    covariates: { data, rows: n, cols: names.length },
    covariateNames: names,
  };
}

describe('ovbSensitivity on darfur (sensemakr)', () => {
  const input = darfurInput();
  const res = ovbSensitivity(input, { benchmarks: [{ label: 'female', columns: ['female'] }] });

  it('reproduces the outcome regression: estimate, se, t, dof', () => {
    close(res.estimate, ref.estimate);
    close(res.se, ref.se);
    close(res.t, ref.t);
    expect(res.dof).toBe(ref.dof);
  });

  it('reproduces partial R², RV(q=1) and RV(q=1, α=0.05)', () => {
    close(res.r2ydX, ref['r2yd.x']);
    close(res.rvQ, ref.rv_q1);
    close(res.rvQAlpha, ref.rv_q1_alpha05);
  });

  it('reproduces the benchmark partial R² of female', () => {
    close(res.benchmarks[0]!.r2yxjDx, ref['female_r2yxj.dx']);
    close(res.benchmarks[0]!.r2dxjX, ref['female_r2dxj.x']);
  });

  it('reproduces the 1x/2x/3x female bounds', () => {
    expect(res.bounds).toHaveLength(3);
    ref.bounds.forEach((want, i) => {
      const got = res.bounds[i]!;
      expect(got.label).toBe(want.bound_label);
      close(got.r2dzX, want['r2dz.x']);
      close(got.r2yzDx, want['r2yz.dx']);
      close(got.adjustedEstimate, want.adjusted_estimate);
      close(got.adjustedSe, want.adjusted_se);
      close(got.adjustedT, want.adjusted_t);
      close(got.adjustedLower, want.adjusted_lower_CI);
      close(got.adjustedUpper, want.adjusted_upper_CI);
    });
  });

  it('reproduces the extra robustness values (q = 0.5, 1, 2; α = 0.1)', () => {
    for (const e of ref.extra_rv) close(robustnessValue(ref.t, ref.dof, e.q, e.alpha), e.rv);
  });

  it('accepts a factor (group of dummy columns) as a benchmark', () => {
    const villageCols = input.covariateNames.filter((c) => c.startsWith('village'));
    const g = ovbSensitivity(input, { benchmarks: [{ label: 'village', columns: villageCols }], kd: [0.5] });
    const b = g.benchmarks[0]!;
    expect(b.r2yxjDx).toBeGreaterThan(0);
    expect(b.r2yxjDx).toBeLessThan(1);
    expect(b.r2dxjX).toBeGreaterThan(0);
    expect(g.bounds[0]!.label).toBe('0.5x village');
  });
});

describe('OVB formulas', () => {
  it('uses the "constraint not binding" RV_{q,α} branch when f_q > 1/f*', () => {
    // Large t relative to dof: f_q = 3, f* ≈ 0.63 > 1/3.
    const t = 3 * Math.sqrt(10);
    const rv = robustnessValue(t, 10, 1, 0.05);
    const fq = 3;
    const fCrit = 2.2621571627409915 / 3; // qt(0.975, 9)/√9
    expect(rv).toBeCloseTo((fq * fq - fCrit * fCrit) / (1 + fq * fq), 10);
    expect(robustnessValue(0.5, 100, 1, 0.05)).toBe(0);
  });

  it('weighted fit equals the frequency-expanded fit (same weights in the treatment regression)', () => {
    const rng = createRng('ovb-weights');
    const n = 200;
    const x = new Float64Array(n * 2);
    const d = new Float64Array(n);
    const y = new Float64Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = rng.normal();
      x[2 * i + 1] = rng.normal();
      d[i] = x[2 * i]! + rng.normal() > 0 ? 1 : 0;
      y[i] = 1 + 0.5 * d[i]! + x[2 * i]! - x[2 * i + 1]! + rng.normal();
      w[i] = 1 + rng.nextInt(3);
    }
    const names = ['x1', 'x2'];
    const weighted = ovbSensitivity({ y, d, covariates: { data: x, rows: n, cols: 2 }, covariateNames: names, weights: w }, { benchmarks: [{ label: 'x1', columns: ['x1'] }], kd: [1] });
    const rowsIdx: number[] = [];
    for (let i = 0; i < n; i++) for (let k = 0; k < w[i]!; k++) rowsIdx.push(i);
    const xe = new Float64Array(rowsIdx.length * 2);
    rowsIdx.forEach((i, r) => {
      xe[2 * r] = x[2 * i]!;
      xe[2 * r + 1] = x[2 * i + 1]!;
    });
    const expanded = ovbSensitivity(
      { y: Float64Array.from(rowsIdx, (i) => y[i]!), d: Float64Array.from(rowsIdx, (i) => d[i]!), covariates: { data: xe, rows: rowsIdx.length, cols: 2 }, covariateNames: names },
      { benchmarks: [{ label: 'x1', columns: ['x1'] }], kd: [1] },
    );
    // Partial R² of x1 with D and the benchmark bound do not depend on dof.
    expect(weighted.benchmarks[0]!.r2dxjX).toBeCloseTo(expanded.benchmarks[0]!.r2dxjX, 12);
    expect(weighted.benchmarks[0]!.r2yxjDx).toBeCloseTo(expanded.benchmarks[0]!.r2yxjDx, 12);
    expect(weighted.estimate).toBeCloseTo(expanded.estimate, 12);
  });

  it('gives the same answer when a collinear covariate forces the regressions onto the rows (aliased column dropped, as lm does)', () => {
    const rng = createRng('ovb-aliased');
    const n = 300;
    const x = new Float64Array(n * 2);
    const x3 = new Float64Array(n * 3);
    const d = new Float64Array(n);
    const y = new Float64Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      x[2 * i] = a;
      x[2 * i + 1] = b;
      x3.set([a, b, a - 2 * b], 3 * i);
      d[i] = a + rng.normal() > 0 ? 1 : 0;
      y[i] = 0.7 * d[i]! + a - b + rng.normal();
      w[i] = i % 7 === 0 ? 0 : 1 + rng.nextInt(2);
    }
    const options = { benchmarks: [{ label: 'x1', columns: ['x1'] }], kd: [1] };
    const two = ovbSensitivity({ y, d, covariates: { data: x, rows: n, cols: 2 }, covariateNames: ['x1', 'x2'], weights: w }, options);
    const three = ovbSensitivity({ y, d, covariates: { data: x3, rows: n, cols: 3 }, covariateNames: ['x1', 'x2', 'x3'], weights: w }, options);
    for (const key of ['estimate', 'se', 't', 'dof', 'rvQ', 'rvQAlpha'] as const) expect(three[key]).toBeCloseTo(two[key], 10);
    // The benchmark is x1 alone: with x3 = x1 − 2·x2 still in, dropping x1 removes nothing.
    expect(three.benchmarks[0]!.r2yxjDx).toBeCloseTo(0, 10);
    // Zero weights: neither in the fit nor in dof (n − 43 rows with w = 0 − rank 4).
    expect(two.dof).toBe(n - Math.ceil(n / 7) - 4);
  });

  it('the adjusted estimate is zero exactly at the robustness value (q = 1)', () => {
    const rv = robustnessValue(ref.t, ref.dof);
    const adj = adjustForConfounder(ref.estimate, ref.se, ref.dof, rv, rv);
    expect(Math.abs(adj.adjustedEstimate)).toBeLessThan(1e-12);
  });

  it('rejects impossible benchmarks and unknown columns', () => {
    expect(() => benchmarkPartialR2(0.4, 0.1, 3)).toThrow(/kd/);
    const input = darfurInput();
    expect(() => ovbSensitivity(input, { benchmarks: [{ label: 'x', columns: ['nope'] }] })).toThrow(/"nope"/);
  });
});
