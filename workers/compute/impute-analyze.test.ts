/**
 * The 'impute-analyze' task: imputation j run on the worker (stream rebuilt from the traced
 * generator's recipe) equals `runImputation` on this thread, and the pool hook returns the runs
 * of the serial loop, in order of j, whichever thread ran each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedFrame } from '../causal/pipeline/simulate';
import { simulateMar } from '../causal/pipeline/simulate-mar';
import { runImputation, runImputationsSerial } from '../causal/pipeline/within';
import type { ImputeAnalyzeInput } from '../causal/pipeline/within-types';
import { createRng } from '../causal/random/rng';
import { parallelImputeAnalyze } from './hooks';
import { ComputePool } from './pool';
import type { WorkerReply } from './tasks';
import { createTracedRng, recipeOf } from './traced-rng';

let pool: ComputePool;
beforeAll(() => {
  pool = ComputePool.start();
});
afterAll(async () => {
  await pool.close();
});

const input: ImputeAnalyzeInput = {
  frame: simulatedFrame(simulateMar(600, createRng(31))),
  mice: { treatment: 'T', outcome: 'Y', maxit: 3 },
  analyze: { treatment: 'T', outcome: 'Y', covariates: ['X1', 'X2', 'X3', 'X4'], sensitivity: {} },
  m: 4,
};

describe('impute-analyze on the compute worker', () => {
  it('the worker alone runs every imputation exactly as this thread does', () => {
    const rng = createTracedRng(9).derive('imputations');
    const next = new Int32Array(new SharedArrayBuffer(4));
    pool.submit({ type: 'impute-analyze', input, rng: recipeOf(rng)!, next });
    const got: number[] = [];
    for (;;) {
      const reply = pool.receive<Extract<WorkerReply, { type: 'impute-run' | 'impute-analyze' }>>();
      if (reply.type === 'impute-analyze') break;
      got.push(reply.run.j);
      expect(JSON.stringify(reply.run)).toBe(JSON.stringify(runImputation(input, createRng(9).derive('imputations'), reply.run.j)));
    }
    expect(got.sort()).toEqual([0, 1, 2, 3]);
  });

  it('the hook (both threads) returns the serial runs in order', () => {
    const parallel = parallelImputeAnalyze(pool)(input, createTracedRng(4).derive('imputations'));
    const serial = runImputationsSerial(input, createRng(4).derive('imputations'));
    expect(parallel.map((r) => r.j)).toEqual([0, 1, 2, 3]);
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(serial));
  });
});
