/**
 * `causeway analyze --impute … --sensitivity …` end to end on lalonde with values blanked at
 * random (seeded): the JSON fields of the issue, no NaN / null where a number is promised,
 * identical output with 1 and 2 threads for the same seed, the readable report, and usage
 * errors for bad --impute settings.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../causal/random/rng';
import { referencePath } from '../causal/testing/reference';
import { runInProcess } from './test-helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'causeway-impute-'));
const lines = readFileSync(referencePath('lalonde', 'lalonde.csv'), 'utf8').trimEnd().split('\n');
const header = lines[0]!.replaceAll('"', '').split(',');
const rng = createRng(77);
const blank = new Set(['age', 're74', 'married']);
const body = lines.slice(1).map((line) => {
  const f = line.split(',');
  header.forEach((name, j) => {
    if (blank.has(name) && rng.next() < 0.2) f[j] = 'NA';
  });
  return f.join(',');
});
const file = path.join(dir, 'lalonde-missing.csv');
writeFileSync(file, [lines[0], ...body].join('\n') + '\n');

const ARGS = ['analyze', '--data', file, '--treatment', 'treat', '--outcome', 're78', '--covariates', 'age,race,married,nodegree,re74,re75', '--impute', 'm=3,maxit=4', '--sensitivity', '--benchmark', 're75,age', '--negative-control', 'educ', '--no-timings', '--seed', '11'];

function nonFinite(value: unknown, where = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [where];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${where}.${k}`));
  return [];
}

interface Out {
  estimate: number;
  imputation: { m: number; maxit: number; pool: string; df: number; fmi: number; riv: number; pooled: { estimate: number; se: number; ci95: number[] }; perImputation: Record<string, number>[]; missingRates: Record<string, number>; convergence: { rhat: Record<string, number> } };
  sensitivity: { rosenbaum: { gammaStar: number | null; grid: unknown[]; note: string; perImputation: unknown[] }; eValue: { point: number; ci: number; scale: string }; robustnessValue: { rv: number; rvAlpha: number; partialR2: number }; benchmarks: { covariate: string; bounds: unknown[] }[]; refuters: unknown[] };
  negativeControl: { estimate: number; ci95: number[]; verdict: string };
}

describe('causeway analyze --impute --sensitivity', () => {
  it('JSON: imputation, sensitivity and negative-control blocks; identical with 1 and 2 threads', async () => {
    const one = await runInProcess([...ARGS, '--json', '--threads', '1']);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const two = await runInProcess([...ARGS, '--json', '--threads', '2']);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const out = JSON.parse(one.stdout) as Out;
    const im = out.imputation;
    expect(im).toMatchObject({ m: 3, maxit: 4, pool: 'g-computation' });
    expect(im.pooled.estimate).toBe(out.estimate);
    // pool=headline pools each imputation's difference in means instead: same imputations, another estimate.
    const headline = JSON.parse((await runInProcess([...ARGS.map((a) => (a === 'm=3,maxit=4' ? 'm=3,maxit=4,pool=headline' : a)), '--json'])).stdout) as Out & { imputation: { pool: string } };
    expect(headline.imputation.pool).toBe('headline');
    expect(headline.estimate).not.toBe(out.estimate);
    expect(im.perImputation).toHaveLength(3);
    expect(Object.keys(im.perImputation[0]!).sort()).toEqual(['estimate', 'matchedControl', 'matchedTreated', 'maxAbsSmd', 'meanAbsSmd', 'se']);
    expect(Object.keys(im.missingRates).sort()).toEqual(['age', 'married', 're74']);
    expect(Object.keys(im.convergence.rhat).sort()).toEqual(['age', 'married', 're74']);
    const s = out.sensitivity;
    expect(s.rosenbaum.perImputation).toHaveLength(3);
    expect(s.rosenbaum.grid.length).toBeGreaterThan(5);
    expect(s.benchmarks.map((b) => b.covariate)).toEqual(['re75', 'age']);
    expect(s.refuters).toEqual([]);
    expect(typeof s.eValue.point).toBe('number');
    expect(typeof s.robustnessValue.rv).toBe('number');
    expect(['passed', 'failed']).toContain(out.negativeControl.verdict);
    // No NaN became null in these blocks (toJson writes non-finite numbers as null).
    const parsed = JSON.parse(one.stdout, (_k, v: unknown) => (v === null ? Number.NaN : v)) as Out;
    expect(nonFinite({ imputation: { ...parsed.imputation, convergence: undefined }, eValue: parsed.sensitivity.eValue, rv: parsed.sensitivity.robustnessValue, nc: parsed.negativeControl })).toEqual([]);
  });

  it('readable report shows the imputation table and the sensitivity section', async () => {
    const run = await runInProcess(ARGS);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Multiple imputation (within): m = 3, maxit = 4');
    expect(run.stdout).toContain('Rosenbaum (wilcoxon-signed-rank');
    expect(run.stdout).toContain('E-value:');
    expect(run.stdout).toContain('Negative control "educ"');
  });

  it('usage errors: m < 2, bad settings, --impute-mode alone, a benchmark that is not a covariate', async () => {
    const base = ['analyze', '--data', file, '--treatment', 'treat', '--outcome', 're78', '--covariates', 'age,re74'];
    for (const [extra, message] of [
      [['--impute', 'm=1'], '--impute m must be a whole number ≥ 2'],
      [['--impute', 'm=5,iters=3'], 'unknown setting "iters"'],
      [['--impute', 'm=5,pool=median'], '--impute pool is g-computation or headline'],
      [['--impute-mode', 'gbm-missing'], '--impute-mode needs --impute'],
      [['--impute', 'm=5', '--complete-cases'], 'exclude each other'],
      [['--sensitivity', '--benchmark', 'educ'], '--benchmark "educ" is not one of the --covariates'],
    ] as const) {
      const run = await runInProcess([...base, ...extra]);
      expect(run.code, extra.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it('data errors: a covariate missing in every row, a negative control that is the outcome', async () => {
    const allMissing = path.join(dir, 'all-missing.csv');
    const age = header.indexOf('age');
    writeFileSync(allMissing, [lines[0], ...lines.slice(1).map((l) => l.split(',').map((v, j) => (j === age ? 'NA' : v)).join(','))].join('\n') + '\n');
    const a = await runInProcess(['analyze', '--data', allMissing, '--treatment', 'treat', '--outcome', 're78', '--covariates', 'age,re74', '--impute', 'm=5']);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('The covariate "age" is missing in every row.');
    const b = await runInProcess(['analyze', '--data', file, '--treatment', 'treat', '--outcome', 're78', '--covariates', 'age,re74', '--impute', 'm=2', '--negative-control', 're78']);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('is the outcome itself');
  });
});
