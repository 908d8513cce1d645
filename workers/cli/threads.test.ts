/**
 * `--threads 2` (compute pool: split CSV read, split XᵀWX, balance on the worker) gives the
 * output of `--threads 1`: identical JSON on lalonde (quoted CSV, so read on one thread), and on
 * the unquoted synth_10k.csv (read in two halves) the same counts and balance, with ATT and SE
 * within 1e-9 relative (XᵀWX halves are added in a different order) and MatchIt's within 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { readReferenceJson, referencePath } from '../causal/testing/reference';
import { runInProcess } from './test-helpers';

const LALONDE = ['analyze', '--data', referencePath('lalonde', 'lalonde.csv'), '--treatment', 'treat', '--outcome', 're78', '--covariates', 'age,educ,race,married,nodegree,re74,re75', '--json', '--no-timings'];
const SYNTH = ['analyze', '--data', referencePath('synthetic', 'synth_10k.csv'), '--treatment', 'treat', '--outcome', 'y', '--covariates', Array.from({ length: 20 }, (_, j) => `x${j + 1}`).join(','), '--link', 'linear.logit', '--caliper', '0.2', '--json', '--no-timings'];

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

async function json(args: string[]): Promise<Record<string, unknown> & { estimate: number; se: number }> {
  const run = await runInProcess(args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown> & { estimate: number; se: number };
}

describe('causeway analyze --threads 2', () => {
  it('lalonde: the same JSON as --threads 1', async () => {
    const one = await runInProcess([...LALONDE, '--threads', '1']);
    const two = await runInProcess([...LALONDE, '--threads', '2']);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('synth_10k (caliper 0.2 on the logit): ATT and SE within 1e-9 of one thread and 1e-6 of MatchIt', async () => {
    const one = await json([...SYNTH, '--threads', '1']);
    const two = await json([...SYNTH, '--threads', '2']);
    expect(rel(two.estimate, one.estimate)).toBeLessThan(1e-9);
    expect(rel(two.se, one.se)).toBeLessThan(1e-9);
    expect(two.n).toEqual(one.n);
    expect(two.balance).toEqual(one.balance);
    const ref = readReferenceJson<{ label: string; spec: string; att: number; se: number }[]>('synthetic', 'matchit-4.7.2-results.json').find((r) => r.label === '10k' && r.spec === 'nn_cal')!;
    expect(rel(two.estimate, ref.att)).toBeLessThan(1e-6);
    expect(rel(two.se, ref.se)).toBeLessThan(1e-6);
  });
});
