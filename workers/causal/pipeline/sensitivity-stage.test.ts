/**
 * Sensitivity analyses wired into the pipeline (./sensitivity-stage, ./sensitivity-report). The
 * formulas themselves are checked against sensemakr / EValue / rbounds in sensitivity/*.test.ts;
 * here: (b) an unmeasured confounder U of known strength — the pipeline's OVB regression omits
 * U, and adjusting it with U's actual partial R² in the matched sample (computed from the
 * simulated U) recovers the truth within MC error, while the unadjusted estimate is far off;
 * which Rosenbaum bound applies to which design; E-values on both outcome types; refuters.
 */
import { describe, expect, it } from 'vitest';
import { numericColumn, type Frame } from '../data/frame';
import { createRng } from '../random/rng';
import { adjustForConfounder, ovbSensitivity } from '../sensitivity/ovb';
import { analyzeImputed, runAnalysis } from './within';
import { simulatedFrame } from './simulate';
import { simulateMar } from './simulate-mar';

const expit = (x: number): number => 1 / (1 + Math.exp(-x));

/** X1, X2, U ~ N(0,1); T ~ Bern(expit(−1 + 0.5X1 + 0.5X2 + 0.8U)); Y = T + X1 + X2 + U + N(0,1). ATT = 1. */
function confounded(n: number, seed: number, binaryY = false): { frame: Frame; u: Float64Array } {
  const rng = createRng(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const u = new Float64Array(n);
  const t = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = rng.normal();
    x2[i] = rng.normal();
    u[i] = rng.normal();
    t[i] = rng.next() < expit(-1 + 0.5 * x1[i]! + 0.5 * x2[i]! + 0.8 * u[i]!) ? 1 : 0;
    const lin = t[i]! + x1[i]! + x2[i]! + u[i]!;
    y[i] = binaryY ? (rng.next() < expit(lin - 1) ? 1 : 0) : lin + rng.normal();
  }
  return { frame: { rows: n, columns: [numericColumn('T', t), numericColumn('Y', y), numericColumn('X1', x1), numericColumn('X2', x2)] }, u };
}

/** Paths of numbers that are NaN or infinite (the JSON would turn them into null). */
function nonFinite(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

const opts = { treatment: 'T', outcome: 'Y', covariates: ['X1', 'X2'] };

describe('OVB with an unmeasured confounder of known strength', () => {
  it('the adjustment with U’s partial R² recovers the true ATT = 1 (5 replications, n = 4000)', () => {
    const adjusted: number[] = [];
    const naive: number[] = [];
    for (let r = 0; r < 5; r++) {
      const { frame, u } = confounded(4000, 500 + r);
      const res = runAnalysis(frame, { ...opts, sensitivity: { benchmarks: ['X1'] }, emitMatches: true }, createRng(r));
      const rv = res.sensitivity!.robustnessValue;
      // The matched sample from the pipeline's pairs: weights as MatchIt's (treated 1, controls Σ 1/k).
      const w = new Float64Array(frame.rows);
      for (const [tr, c, wt] of res.matches!) {
        w[tr] = 1;
        w[c] = w[c]! + wt;
      }
      const rows = Array.from(w.keys()).filter((i) => w[i]! > 0);
      const col = (name: string): Float64Array => (frame.columns.find((c) => c.name === name) as { values: Float64Array }).values;
      const pick = (a: Float64Array): Float64Array => Float64Array.from(rows, (i) => a[i]!);
      const x = new Float64Array(rows.length * 3);
      rows.forEach((i, k) => {
        x[k * 3] = col('X1')[i]!;
        x[k * 3 + 1] = col('X2')[i]!;
        x[k * 3 + 2] = u[i]!;
      });
      // U's actual partial R² with D | X and with Y | D, X in the matched sample (sensemakr's
      // benchmark statistics of the column U in the regression that includes it).
      const withU = ovbSensitivity({ y: pick(col('Y')), d: pick(col('T')), covariates: { data: x, rows: rows.length, cols: 3 }, covariateNames: ['X1', 'X2', 'U'], weights: pick(w) }, { benchmarks: [{ label: 'U', columns: ['U'] }] });
      const b = withU.benchmarks[0]!;
      const adj = adjustForConfounder(rv.estimate!, rv.se!, rv.dof!, b.r2dxjX, b.r2yxjDx);
      adjusted.push(adj.adjustedEstimate);
      naive.push(rv.estimate!);
      // The pipeline reports k = 1, 2, 3 bounds for the benchmark.
      expect(res.sensitivity!.benchmarks[0]!.bounds.map((k) => k.k)).toEqual([1, 2, 3]);
    }
    const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
    // SD of one estimate ≈ 0.05 (n = 4000), so the mean of 5 is within ±0.1 of the truth.
    expect(Math.abs(mean(adjusted) - 1)).toBeLessThan(0.1);
    expect(mean(naive) - 1).toBeGreaterThan(0.3);
  });
});

describe('sensitivity in the pipeline: which bound for which design', () => {
  const { frame } = confounded(1500, 9);
  it('1:1 without replacement: Wilcoxon, Γ* > 1 for a clear effect, E-value on the SMD scale', () => {
    const r = runAnalysis(frame, { ...opts, sensitivity: {} }, createRng(1)).sensitivity!;
    expect(r.rosenbaum.method).toBe('wilcoxon-signed-rank');
    expect(r.rosenbaum.gammaStar!).toBeGreaterThan(1.5);
    expect(r.rosenbaum.grid[0]!.gamma).toBe(1);
    expect(r.eValue.point!).toBeGreaterThan(1);
    expect(r.eValue.ci!).toBeLessThanOrEqual(r.eValue.point!);
    expect(r.eValue.scale).toContain('SD(Y)');
    expect(r.robustnessValue.rvAlpha!).toBeLessThan(r.robustnessValue.rv!);
  });

  it('2:1: M-statistic; with replacement: a note instead of a bound', () => {
    const k2 = runAnalysis(frame, { ...opts, ratio: 2, sensitivity: {} }, createRng(1)).sensitivity!;
    expect(k2.rosenbaum.method).toBe('huber-maritz-m');
    expect(k2.rosenbaum.gammaStar!).toBeGreaterThan(1);
    const rep = runAnalysis(frame, { ...opts, replace: true, sensitivity: {} }, createRng(1)).sensitivity!;
    expect(rep.rosenbaum.method).toBeNull();
    expect(rep.rosenbaum.note).toContain('with replacement');
  });

  it('binary outcome: McNemar bound and a risk-ratio E-value from the g-computation', () => {
    const b = confounded(3000, 12, true).frame;
    const r = runAnalysis(b, { ...opts, sensitivity: {} }, createRng(1)).sensitivity!;
    expect(r.rosenbaum.method).toBe('mcnemar');
    expect(r.eValue.scale).toContain('risk ratio p₁/p₀');
    expect(r.eValue.rr.estimate!).toBeGreaterThan(1);
    expect(r.eValue.rr.lower!).toBeLessThan(r.eValue.rr.estimate!);
  });

  it('refuters: placebo on the fixed design, random common cause and subset pass on a correct pipeline', () => {
    const small = confounded(600, 15).frame;
    const r = runAnalysis(small, { ...opts, sensitivity: { refuters: true, rerunSimulations: 8 } }, createRng(3)).sensitivity!;
    expect(r.refuters.map((x) => x.name)).toEqual(['placebo-treatment', 'random-common-cause', 'data-subset']);
    for (const x of r.refuters) expect(x.verdict).toBe('passed');
  });

  it('with multiple imputation: Γ* per imputation with min and median; pooled E-value and RV', () => {
    const f = simulatedFrame(simulateMar(1000, createRng(8)));
    const r = analyzeImputed(f, { treatment: 'T', outcome: 'Y', covariates: ['X1', 'X2', 'X3', 'X4'], impute: { m: 3, maxit: 3 }, sensitivity: { benchmarks: ['X3'] } }, createRng(2));
    const s = r.sensitivity!;
    expect(s.rosenbaum.perImputation).toHaveLength(3);
    const stars = s.rosenbaum.perImputation!.map((g) => g!);
    expect(s.rosenbaum.gammaStar).toBe(Math.min(...stars));
    expect(s.rosenbaum.gammaStarMedian).toBe([...stars].sort((a, b) => a - b)[1]);
    expect(s.robustnessValue.perImputation).toHaveLength(3);
    expect(s.benchmarks[0]!.covariate).toBe('X3');
    expect(s.eValue.point!).toBeGreaterThan(1);
    expect(s.eValue.perImputation).toHaveLength(3);
    expect(nonFinite(r)).toEqual([]);
  });
});
