import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng';
import type { MatchResult } from '../types';
import { loadLalonde, loadMatchFixture, matrixOf, type MatchFixture } from './lalonde-fixture';
import { mahalanobize } from './mahalanobis-transform';
import { matchNearest, type NearestOptions } from './nearest';

const lalonde = loadLalonde();
const mahvars = matrixOf([lalonde.columns.age!, lalonde.columns.educ!, lalonde.columns.re74!, lalonde.columns.re75!]);
const marriedCodes = Int32Array.from(lalonde.columns.married!);

const configs: Record<string, NearestOptions> = {
  m1: {},
  m2: { caliper: 0.2 },
  m3: { caliper: 0.2, ratio: 2 },
  m4: { replace: true },
  m5: { caliper: 0.2, exact: marriedCodes, mahvars },
  m6: { caliper: 0.2, mOrder: 'closest' },
};

/** Distance used to decide whether two different picks are an exact tie. */
function pairDistance(id: string, fx: MatchFixture, t: number, c: number): number {
  if (id === 'm5') {
    const focal = lalonde.treat;
    const { z } = mahalanobize(mahvars, focal, new Uint8Array(lalonde.n));
    let s = 0;
    for (let k = 0; k < z.cols; k++) s += (z.data[t * z.cols + k]! - z.data[c * z.cols + k]!) ** 2;
    return s;
  }
  return Math.abs(fx.distance[t]! - fx.distance[c]!);
}

/** Rows whose matches differ from MatchIt's; each must be an exact distance tie. */
function compareMatchMatrix(id: string, res: MatchResult, fx: MatchFixture): { differing: number; ties: number } {
  const k = fx.ratio;
  expect(res.ratio).toBe(k);
  expect(res.focalIndex.length).toBe(fx.matchMatrix.length / k);
  let differing = 0;
  let ties = 0;
  for (let row = 0; row < res.focalIndex.length; row++) {
    const t = res.focalIndex[row]!;
    for (let j = 0; j < k; j++) {
      const ours = res.matchMatrix[row * k + j]!;
      const theirs = fx.matchMatrix[row * k + j]!;
      if (ours === theirs) continue;
      differing++;
      expect(ours >= 0 && theirs >= 0, `${id}: treated row ${row + 1} matched ${ours} vs MatchIt ${theirs}`).toBe(true);
      const a = pairDistance(id, fx, t, ours);
      const b = pairDistance(id, fx, t, theirs);
      expect(Math.abs(a - b), `${id}: row ${row + 1} differs without a tie (${a} vs ${b})`).toBeLessThanOrEqual(1e-12 * Math.max(1, b));
      ties++;
    }
  }
  return { differing, ties };
}

describe('matchNearest against MatchIt 4.7.2 (lalonde)', () => {
  for (const [id, options] of Object.entries(configs)) {
    it(`${id}: matched sets, weights, subclasses, sample sizes`, () => {
      const fx = loadMatchFixture(id);
      const res = matchNearest(fx.distance, lalonde.treat, options);
      const { differing } = compareMatchMatrix(id, res, fx);
      expect(differing).toBe(0);
      for (let i = 0; i < lalonde.n; i++) expect(Math.abs(res.weights[i]! - fx.weights[i]!)).toBeLessThanOrEqual(1e-12);
      if (id === 'm4') {
        expect(res.replace).toBe(true);
        expect(Array.from(res.subclass).every((s) => s === -1)).toBe(true);
      } else {
        expect(Array.from(res.subclass)).toEqual(Array.from(fx.subclass));
        expect(res.nSubclasses).toBe(Math.max(...fx.subclass) + 1);
      }
      let nt = 0;
      let nc = 0;
      for (let i = 0; i < lalonde.n; i++) {
        if (res.weights[i]! > 0) {
          if (lalonde.treat[i]) nt++;
          else nc++;
        }
      }
      expect(nt).toBe(fx.nn.Matched!.treated);
      expect(nc).toBe(fx.nn.Matched!.control);
      if (!Number.isNaN(fx.caliperRaw)) expect(Math.abs(res.caliperWidth! - fx.caliperRaw)).toBeLessThanOrEqual(1e-12 * fx.caliperRaw);
    });
  }

  it('m2 caliper width is 0.2 SD of the logit over all 614 units = 0.3609023925', () => {
    const fx = loadMatchFixture('m2');
    const res = matchNearest(fx.distance, lalonde.treat, { caliper: 0.2 });
    expect(res.caliperWidth!).toBeCloseTo(0.3609023925, 10);
  });

  it('m.order "random" is deterministic for a seed and differs across seeds', () => {
    const fx = loadMatchFixture('m2');
    const run = (seed: number): Int32Array => matchNearest(fx.distance, lalonde.treat, { caliper: 0.2, mOrder: 'random', rng: createRng(seed) }).matchMatrix;
    expect(Array.from(run(7))).toEqual(Array.from(run(7)));
    expect(Array.from(run(7))).not.toEqual(Array.from(run(8)));
  });
});
