/**
 * The compute pool and its hooks give the results of the single-threaded code: XᵀWX to 1e-12
 * relative (only the final addition of the two halves rounds differently), GBM cross-fit
 * scores, balance rows and CSV tables bit-identical. Expected values are those of the pure
 * single-threaded functions on the same inputs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossprodRange } from '../causal/linalg/crossprod';
import { balanceRows } from '../causal/pipeline/balance-table';
import { binFeatures } from '../causal/propensity/binning';
import { crossFitGbm } from '../causal/propensity/cross-fit';
import { createRng } from '../causal/random/rng';
import { readCsvFile } from '../io/csv';
import { readCsvSplit } from './csv-split';
import { parallelBalance, parallelCrossFitGbm, parallelCrossprod } from './hooks';
import { ComputePool, ComputeWorkerError } from './pool';
import { shareMatrix, sharedFloat64 } from './shared';
import { createTracedRng, rebuildRng, recipeOf } from './traced-rng';

let pool: ComputePool;
let dir: string;
beforeAll(() => {
  pool = ComputePool.start();
  dir = mkdtempSync(path.join(tmpdir(), 'causeway-compute-'));
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

function randomMatrix(n: number, p: number, seed: number): { data: Float64Array; rows: number; cols: number } {
  const rng = createRng(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    data[i * p] = 1;
    for (let j = 1; j < p; j++) data[i * p + j] = rng.normal() * j;
  }
  return { data, rows: n, cols: p };
}

describe('ComputePool', () => {
  it('runs a task on the worker and returns its reply', () => {
    const x = shareMatrix(randomMatrix(3000, 5, 1));
    const w = sharedFloat64(3000).fill(0.5);
    const out = sharedFloat64(25);
    pool.submit({ type: 'crossprod', x, w, start: 1000, end: 3000, out });
    expect(pool.receive().type).toBe('crossprod');
    expect(pool.loaded).toBe(true);
    expect(pool.busy).toBe(false);
    const expected = new Float64Array(25);
    crossprodRange(x, w, 1000, 3000, expected);
    expect([...out]).toEqual([...expected]);
  });

  it('reports a failing task as an error and stays usable', () => {
    pool.submit({ type: 'balance', covariates: null as never, treat: new Uint8Array(2), weights: new Float64Array(2) });
    expect(() => pool.receive()).toThrow(ComputeWorkerError);
    expect(pool.busy).toBe(false);
    pool.submit({ type: 'crossprod', x: shareMatrix(randomMatrix(10, 2, 1)), w: sharedFloat64(10).fill(1), start: 0, end: 10, out: sharedFloat64(4) });
    expect(pool.receive().type).toBe('crossprod');
  });
});

describe('parallel hooks', () => {
  it('XᵀWX split over two threads equals the one-pass sum to 1e-12 relative', () => {
    const n = 20_000;
    const p = 9;
    const x = shareMatrix(randomMatrix(n, p, 2));
    const rng = createRng(3);
    const w = Float64Array.from({ length: n }, () => rng.next());
    const single = new Float64Array(p * p);
    crossprodRange(x, w, 0, n, single);
    const split = new Float64Array(p * p);
    parallelCrossprod(pool, { minRows: 0 })(x, w, split);
    for (let j = 0; j < p; j++) {
      for (let k = j; k < p; k++) {
        const a = single[j * p + k]!;
        expect(Math.abs(split[j * p + k]! - a)).toBeLessThanOrEqual(1e-12 * Math.abs(a));
      }
    }
  });

  it('cross-fitted GBM on two threads gives the single-threaded scores bit for bit', () => {
    const n = 3000;
    const p = 4;
    const rng = createRng(4);
    const data = new Float64Array(n * p).map(() => rng.normal());
    const treat = Float64Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-data[i * p]! + data[i * p + 1]! * data[i * p + 2]!)) ? 1 : 0));
    const binned = binFeatures({ data, rows: n, cols: p }, createRng(5));
    const options = { folds: 3, maxTrees: 30 };
    const single = crossFitGbm(binned, treat, createRng(6).derive('folds'), options);
    const traced = createTracedRng(6).derive('folds');
    expect(recipeOf(traced)).toEqual({ seed: 6, labels: ['folds'] });
    const parallel = parallelCrossFitGbm(pool)(binned, treat, traced, options);
    expect([...parallel.foldOf]).toEqual([...single.foldOf]);
    expect([...parallel.treesPerFold]).toEqual([...single.treesPerFold]);
    expect(parallel.rawScore.every((v, i) => Object.is(v, single.rawScore[i]))).toBe(true);
  });

  it('balance on the worker equals balanceRows', () => {
    const n = 4000;
    const rng = createRng(7);
    const covariates = [
      { name: 'a', kind: 'numeric' as const, values: Float64Array.from({ length: n }, () => rng.normal()) },
      { name: 'g', kind: 'categorical' as const, codes: Int32Array.from({ length: n }, () => rng.nextInt(3)), levels: ['x', 'y', 'z'] },
    ];
    const treat = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const weights = Float64Array.from(treat, (t) => (t === 1 ? 1 : rng.next() < 0.4 ? 1 : 0));
    const join = parallelBalance(pool, { minRows: 0 })(covariates, treat, weights);
    expect(join()).toEqual(balanceRows(covariates, treat, weights));
  });
});

describe('traced generator', () => {
  it('draws as createRng and is rebuilt from its recipe', () => {
    const a = createTracedRng(11).derive('x').derive(2);
    const b = createRng(11).derive('x').derive(2);
    const c = rebuildRng(recipeOf(a)!);
    const draws = [a.next(), a.normal(), a.nextInt(10)];
    expect(draws).toEqual([b.next(), b.normal(), b.nextInt(10)]);
    expect([c.next(), c.normal(), c.nextInt(10)]).toEqual(draws);
  });
});

describe('readCsvSplit', () => {
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const lines = (n: number, row: (i: number) => string): string => Array.from({ length: n }, (_, i) => row(i)).join('\n');

  it('two halves joined equal the one-pass table (numeric, missing, categorical)', async () => {
    const file = write('plain.csv', `id,x,g\n${lines(5000, (i) => `${i},${i % 7 === 0 ? 'NA' : (i * 0.37).toString()},${'abc'[i % 3]}`)}\n`);
    const split = await readCsvSplit(pool, file, {}, { minBytes: 0 });
    const whole = await readCsvFile(file);
    expect(split.columns[1]!.kind === 'numeric' && split.columns[1]!.values.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(split).toEqual(whole);
  });

  it('falls back to one pass for quotes, different levels per half, and errors', async () => {
    const quoted = write('quoted.csv', `x,g\n${lines(2000, (i) => `${i},"a\nb"`)}\n`);
    expect(await readCsvSplit(pool, quoted, {}, { minBytes: 0 })).toEqual(await readCsvFile(quoted));
    const levels = write('levels.csv', `x,g\n${lines(2000, (i) => `${i},${i < 1500 ? 'a' : 'b'}`)}\n`);
    expect(await readCsvSplit(pool, levels, {}, { minBytes: 0 })).toEqual(await readCsvFile(levels));
    const ragged = write('ragged.csv', `x,y\n${lines(2000, (i) => (i === 1900 ? `${i}` : `${i},1`))}\n`);
    const message = await readCsvFile(ragged).then(
      () => 'no error',
      (err: Error) => err.message,
    );
    await expect(readCsvSplit(pool, ragged, {}, { minBytes: 0 })).rejects.toThrow(message);
  });
});
