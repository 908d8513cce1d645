import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import type { Rng } from '../random/rng';
import { CausalInputError } from '../errors';
import { num, readReferenceCsv } from '../testing/reference';
import { imputeOnce, mice } from './mice';
import type { Frame } from '../data/frame';
import type { ImputeColumn, NumericImputeColumn, CategoricalImputeColumn } from './types';
import { naiveOls } from './test-helpers';

const numeric = (name: string, values: Float64Array): NumericImputeColumn => ({ name, kind: 'numeric', values });
const getNumeric = (cols: readonly ImputeColumn[] | Frame, name: string): Float64Array => {
  const col = ('columns' in cols ? cols.columns : cols).find((c) => c.name === name);
  if (!col || col.kind !== 'numeric') throw new Error(`no numeric column ${name}`);
  return col.values;
};
const getCodes = (cols: readonly ImputeColumn[] | Frame, name: string): Int32Array => {
  const col = ('columns' in cols ? cols.columns : cols).find((c) => c.name === name);
  if (!col || col.kind !== 'categorical') throw new Error(`no categorical column ${name}`);
  return col.codes;
};
const frameOf = (columns: readonly ImputeColumn[]): Frame => ({
  rows: columns[0]!.kind === 'numeric' ? columns[0]!.values.length : columns[0]!.codes.length,
  columns,
});
const expit = (v: number): number => 1 / (1 + Math.exp(-v));
const mean = (v: ArrayLike<number>): number => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]): number => {
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
};

/** Intercept α such that mean(expit(α + score)) = rate (bisection): the `ampute` calibration. */
function calibrate(score: Float64Array, rate: number): number {
  let lo = -20;
  let hi = 20;
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    if (mean(score.map((s) => expit(mid + s))) < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function ampute(values: Float64Array, score: Float64Array, rate: number, rng: Rng): Float64Array {
  const alpha = calibrate(score, rate);
  return values.map((v, i) => (rng.next() < expit(alpha + score[i]!) ? Number.NaN : v));
}

/** Rubin's rules for a scalar (Q̄, T), written out here so the test does not depend on pool/. */
function rubin(q: number[], u: number[]): { qbar: number; t: number } {
  const m = q.length;
  return { qbar: mean(q), t: mean(u) + (1 + 1 / m) * variance(q) };
}

describe('MICE on a simulation with a known truth (MAR, 25% of x1)', () => {
  // x2 ~ N(0,1); x1 = 0.6·x2 + 0.8·e (so E x1 = 0, Var x1 = 1); a ~ Bern(expit(0.5·x2));
  // y = 1 + 2a + x1 + x2 + N(0,1). x1 missing with logit P = α + 2·y_std (MAR on the outcome),
  // x2 missing with logit P = α' + 1.0·a (MAR on the treatment, 15%).
  const n = 5000;
  const rng = createRng(20240601);
  const x2 = Float64Array.from({ length: n }, () => rng.normal());
  const x1 = x2.map((v) => 0.6 * v + 0.8 * rng.normal());
  const a = x2.map((v) => (rng.next() < expit(0.5 * v) ? 1 : 0));
  const y = x1.map((v, i) => 1 + 2 * a[i]! + v + x2[i]! + rng.normal());
  const ym = mean(y);
  const ysd = Math.sqrt(variance(Array.from(y)));
  const x1mis = ampute(x1, y.map((v) => (2 * (v - ym)) / ysd), 0.25, rng);
  const x2mis = ampute(x2, a.map((v) => 1.0 * v), 0.15, rng);
  const columns: ImputeColumn[] = [numeric('a', a), numeric('x1', x1mis), numeric('x2', x2mis), numeric('y', y)];

  function coefX1(cols: { a: Float64Array; x1: Float64Array; x2: Float64Array; y: Float64Array }, rows: number[]): { est: number; se2: number } {
    const data = new Float64Array(rows.length * 4);
    const yy = new Float64Array(rows.length);
    rows.forEach((i, r) => {
      data.set([1, cols.a[i]!, cols.x1[i]!, cols.x2[i]!], r * 4);
      yy[r] = cols.y[i]!;
    });
    const x = { data, rows: rows.length, cols: 4 };
    const fit = naiveOls(x, yy);
    let rss = 0;
    for (let r = 0; r < rows.length; r++) {
      let f = 0;
      for (let j = 0; j < 4; j++) f += data[r * 4 + j]! * fit.coef[j]!;
      rss += (yy[r]! - f) ** 2;
    }
    return { est: fit.coef[2]!, se2: (rss / (rows.length - 4)) * fit.v[2 * 4 + 2]! };
  }

  const result = mice(frameOf(columns), { treatment: 'a', outcome: 'y', m: 20 }, createRng(99));

  it('imputes the mean of x1 without bias, where complete cases are biased', () => {
    const rate = mean(x1mis.map((v) => (Number.isNaN(v) ? 1 : 0)));
    expect(rate).toBeGreaterThan(0.22);
    expect(rate).toBeLessThan(0.28);
    const q = result.datasets.map((d) => mean(getNumeric(d.frame, 'x1')));
    const u = result.datasets.map((d) => variance(Array.from(getNumeric(d.frame, 'x1'))) / n);
    const pooled = rubin(q, u);
    // Against the mean of the full data before amputation: what the imputations should recover.
    const full = mean(x1);
    expect(Math.abs(pooled.qbar - full) / Math.sqrt(pooled.t)).toBeLessThan(3);
    expect(Math.abs(pooled.qbar - 0) / Math.sqrt(pooled.t)).toBeLessThan(4);
    const cc = Array.from(x1mis).filter((v) => !Number.isNaN(v));
    const ccSe = Math.sqrt(variance(cc) / cc.length);
    expect(Math.abs(mean(cc) - full) / ccSe).toBeGreaterThan(6);
  });

  it('recovers the coefficient of x1 in y ~ a + x1 + x2 (truth 1)', () => {
    const all = Array.from({ length: n }, (_, i) => i);
    const fits = result.datasets.map((d) =>
      coefX1({ a: getNumeric(d.frame, 'a'), x1: getNumeric(d.frame, 'x1'), x2: getNumeric(d.frame, 'x2'), y: getNumeric(d.frame, 'y') }, all),
    );
    const pooled = rubin(fits.map((f) => f.est), fits.map((f) => f.se2));
    expect(Math.abs(pooled.qbar - 1) / Math.sqrt(pooled.t)).toBeLessThan(3);
  });

  it('recovers the slope of x1 on x2 (truth 0.6), where complete cases are biased', () => {
    const slope = (x1v: Float64Array, x2v: Float64Array, rows: number[]): { est: number; se2: number } => {
      const data = new Float64Array(rows.length * 2);
      const yy = new Float64Array(rows.length);
      rows.forEach((i, r) => {
        data[r * 2] = 1;
        data[r * 2 + 1] = x2v[i]!;
        yy[r] = x1v[i]!;
      });
      const fit = naiveOls({ data, rows: rows.length, cols: 2 }, yy);
      let rss = 0;
      rows.forEach((_, r) => (rss += (yy[r]! - fit.coef[0]! - fit.coef[1]! * data[r * 2 + 1]!) ** 2));
      return { est: fit.coef[1]!, se2: (rss / (rows.length - 2)) * fit.v[3]! };
    };
    const all = Array.from({ length: n }, (_, i) => i);
    const fits = result.datasets.map((d) => slope(getNumeric(d.frame, 'x1'), getNumeric(d.frame, 'x2'), all));
    const pooled = rubin(fits.map((f) => f.est), fits.map((f) => f.se2));
    expect(Math.abs(pooled.qbar - 0.6) / Math.sqrt(pooled.t)).toBeLessThan(3);
    const cc = slope(x1mis, x2mis, all.filter((i) => !Number.isNaN(x1mis[i]!) && !Number.isNaN(x2mis[i]!)));
    expect(Math.abs(cc.est - 0.6) / Math.sqrt(cc.se2)).toBeGreaterThan(4);
  });

  it('reports missing rates, chain means per sweep and a convergence verdict', () => {
    const report = result.datasets[0]!.report;
    expect(report.visitSequence).toEqual(['x1', 'x2']);
    expect(report.variables.find((v) => v.name === 'x1')!.method).toBe('pmm');
    expect(report.variables.find((v) => v.name === 'y')!.missingRate).toBe(0);
    expect(report.chainMean.x1!.length).toBe(10);
    expect(report.chainSd.x2!.every((s) => s > 0.5 && s < 1.5)).toBe(true);
    expect(result.convergence.window).toBe(5);
    expect(result.convergence.rhat.x1).toBeLessThan(1.1);
    expect(result.convergence.converged).toBe(true);
  });
});

describe('MICE for binary and categorical variables', () => {
  // z ~ N(0,1); b ~ Bern(expit(−0.5 + 1.2z)) as 0/1; g a 2-level factor ~ Bern(expit(0.3 − z));
  // c a 3-level factor with logits (0, 0.9z, 0.4 − 0.9z). 25% MCAR in b, g and c.
  const n = 3000;
  const rng = createRng(77);
  const z = Float64Array.from({ length: n }, () => rng.normal());
  const b = z.map((v) => (rng.next() < expit(-0.5 + 1.2 * v) ? 1 : 0));
  const g = Int32Array.from(z, (v) => (rng.next() < expit(0.3 - v) ? 1 : 0));
  const c = Int32Array.from(z, (v) => {
    const e = [1, Math.exp(0.9 * v), Math.exp(0.4 - 0.9 * v)];
    const u = rng.next() * (e[0]! + e[1]! + e[2]!);
    return u < e[0]! ? 0 : u < e[0]! + e[1]! ? 1 : 2;
  });
  const t = z.map(() => (rng.next() < 0.5 ? 1 : 0));
  const y = z.map((v, i) => v + t[i]! + rng.normal());
  const missB = Uint8Array.from(z, () => (rng.next() < 0.25 ? 1 : 0));
  const missG = Uint8Array.from(z, () => (rng.next() < 0.25 ? 1 : 0));
  const missC = Uint8Array.from(z, () => (rng.next() < 0.25 ? 1 : 0));
  const gCol: CategoricalImputeColumn = { name: 'g', kind: 'categorical', levels: ['no', 'yes'], codes: g.map((v, i) => (missG[i] ? -1 : v)) };
  const cCol: CategoricalImputeColumn = { name: 'c', kind: 'categorical', levels: ['p', 'q', 'r'], codes: c.map((v, i) => (missC[i] ? -1 : v)) };
  const columns: ImputeColumn[] = [numeric('t', t), numeric('z', z), numeric('b', b.map((v, i) => (missB[i] ? Number.NaN : v))), gCol, cCol, numeric('y', y)];
  const result = mice(frameOf(columns), { treatment: 't', outcome: 'y', m: 5, maxit: 5 }, createRng(5));

  it('chooses logreg for 0/1 and 2-level columns, polyreg for 3 levels', () => {
    const methods = Object.fromEntries(result.datasets[0]!.report.variables.map((v) => [v.name, v.method]));
    expect(methods).toEqual({ t: null, z: null, b: 'logreg', g: 'logreg', c: 'polyreg', y: null });
  });

  it('recovers the class proportions among the missing rows, conditional on z', () => {
    const check = (truth: ArrayLike<number>, miss: Uint8Array, imputed: (d: number) => ArrayLike<number>, level: number): void => {
      const rows = Array.from({ length: n }, (_, i) => i).filter((i) => miss[i]);
      const trueShare = mean(rows.map((i) => (truth[i] === level ? 1 : 0)));
      const shares = result.datasets.map((_, d) => mean(rows.map((i) => (imputed(d)[i] === level ? 1 : 0))));
      const se = Math.sqrt((trueShare * (1 - trueShare)) / rows.length);
      expect(Math.abs(mean(shares) - trueShare)).toBeLessThan(3.5 * se);
      // Model-based, not a random hot deck: imputed level tracks z as the truth does.
      const zGap = (values: ArrayLike<number>): number =>
        mean(rows.filter((i) => values[i] === level).map((i) => z[i]!)) - mean(rows.filter((i) => values[i] !== level).map((i) => z[i]!));
      const gaps = result.datasets.map((_, d) => zGap(imputed(d)));
      expect(Math.abs(mean(gaps) - zGap(truth))).toBeLessThan(0.15);
    };
    const ds = result.datasets;
    check(b, missB, (d) => getNumeric(ds[d]!.frame, 'b'), 1);
    check(g, missG, (d) => getCodes(ds[d]!.frame, 'g'), 1);
    for (const level of [0, 1, 2]) check(c, missC, (d) => getCodes(ds[d]!.frame, 'c'), level);
  });
});

describe('MICE on lalonde with 25% MCAR (reference data)', () => {
  const rows = readReferenceCsv('imputation', 'lalonde_mcar25_seed42.csv');
  const col = (name: string): NumericImputeColumn => numeric(name, Float64Array.from(rows, (r) => num(r[name])));
  const levels = ['black', 'hispan', 'white'];
  const columns: ImputeColumn[] = [
    col('treat'), col('age'), col('educ'),
    { name: 'race', kind: 'categorical', levels, codes: Int32Array.from(rows, (r) => levels.indexOf(r.race!)) },
    col('married'), col('nodegree'), col('re74'), col('re75'), col('re78'),
  ];
  const options = {
    treatment: 'treat',
    outcome: 're78',
    maxit: 5,
    derived: [
      { name: 're74pos', inputs: ['re74'], compute: (c: Readonly<Record<string, Float64Array | Int32Array>>) => Float64Array.from(c.re74!, (v) => (v > 0 ? 1 : 0)) },
    ],
  };

  it('imputes plausible values: observed values only, educ integer within its range', () => {
    const out = imputeOnce(frameOf(columns), options, createRng(42).derive(0));
    for (const name of ['educ', 're74', 're75']) {
      const input = getNumeric(columns, name);
      const observed = new Set(Array.from(input).filter((v) => !Number.isNaN(v)));
      const imputed = getNumeric(out.frame, name);
      expect(imputed.every((v) => observed.has(v))).toBe(true);
      const summary = out.report.variables.find((v) => v.name === name)!;
      expect(summary.nMissing).toBe(Array.from(input).filter(Number.isNaN).length);
      expect(summary.missingRate).toBeGreaterThan(0.2);
    }
    const educ = getNumeric(out.frame, 'educ');
    expect(educ.every((v) => Number.isInteger(v) && v >= 0 && v <= 18)).toBe(true);
    expect(getNumeric(out.frame, 're74').every((v) => v >= 0)).toBe(true);
    // Passive column recomputed from the completed re74.
    const re74 = getNumeric(out.frame, 're74');
    expect(Array.from(getNumeric(out.frame, 're74pos'))).toEqual(Array.from(re74, (v) => (v > 0 ? 1 : 0)));
    // Complete columns are untouched.
    expect(Array.from(getNumeric(out.frame, 're78'))).toEqual(Array.from(getNumeric(columns, 're78')));
  });

  it('is reproducible: same seed → identical output; mice(j) = imputeOnce(rng.derive(j))', () => {
    const a = imputeOnce(frameOf(columns), options, createRng(7).derive(1));
    const b = imputeOnce(frameOf(columns), options, createRng(7).derive(1));
    const c = imputeOnce(frameOf(columns), options, createRng(7).derive(2));
    expect(Array.from(getNumeric(a.frame, 're75'))).toEqual(Array.from(getNumeric(b.frame, 're75')));
    expect(Array.from(getNumeric(a.frame, 're75'))).not.toEqual(Array.from(getNumeric(c.frame, 're75')));
    const all = mice(frameOf(columns), { ...options, m: 2 }, createRng(7));
    expect(Array.from(getNumeric(all.datasets[1]!.frame, 'educ'))).toEqual(Array.from(getNumeric(a.frame, 'educ')));
  });
});

describe('MICE input checks', () => {
  const base: ImputeColumn[] = [
    numeric('t', Float64Array.from([0, 1, 0, 1])),
    numeric('x', Float64Array.from([1, Number.NaN, 3, 4])),
    numeric('y', Float64Array.from([1, 2, 3, 4])),
  ];
  it('requires the treatment and outcome in the model', () => {
    expect(() => imputeOnce(frameOf(base), { treatment: 'treat', outcome: 'y' }, createRng(1))).toThrow(CausalInputError);
    expect(() => imputeOnce(frameOf(base), { treatment: 't', outcome: 'y', exclude: ['y'] }, createRng(1))).toThrow(/cannot be excluded/);
  });
  it('rejects a column with no observed values and bad method overrides', () => {
    const empty = [...base, numeric('e', new Float64Array(4).fill(Number.NaN))];
    expect(() => imputeOnce(frameOf(empty), { treatment: 't', outcome: 'y' }, createRng(1))).toThrow(/"e" has no observed values/);
    expect(() => imputeOnce(frameOf(base), { treatment: 't', outcome: 'y', method: { x: 'logreg' } }, createRng(1))).toThrow(/not binary/);
  });
});
