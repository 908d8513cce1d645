import { describe, it, expect } from 'vitest';
import { readReferenceCsv, num } from '../testing/reference';
import { createRng } from '../random/rng';
import { batchedDiffInMeansCpu, clusterSums, drawClusterWeights } from './batched-cluster-bootstrap';
import { matchedBootstrap } from './bootstrap';

const lalonde = readReferenceCsv('lalonde', 'lalonde.csv');
const y = Float64Array.from(lalonde, (r) => num(r.re78));
const treat = Uint8Array.from(lalonde, (r) => num(r.treat));

function design(config: string): { weights: Float64Array; subclass: Int32Array } {
  const rows = readReferenceCsv('lalonde', 'matchit-4.7.2', `${config}_weights_subclass.csv`);
  return { weights: Float64Array.from(rows, (r) => num(r.weights)), subclass: Int32Array.from(rows, (r) => (r.subclass === 'NA' ? -1 : num(r.subclass))) };
}

describe('batched difference-in-means cluster bootstrap (typed arrays)', () => {
  it('all-ones weights give the MatchIt ATT (m3, 2:1 with caliper)', () => {
    const { weights, subclass } = design('m3');
    const sums = clusterSums(y, treat, weights, subclass);
    expect(sums.G).toBe(117);
    const ones = new Float32Array(sums.G).fill(1);
    expect(batchedDiffInMeansCpu(ones, 1, sums)[0]).toBeCloseTo(1622.3440081196607, 8);
  });

  it('multinomial draws reproduce the refit-per-replicate cluster bootstrap exactly (same seed)', () => {
    const { weights, subclass } = design('m1');
    const sums = clusterSums(y, treat, weights, subclass);
    const B = 199;
    const batched = batchedDiffInMeansCpu(drawClusterWeights(B, sums.G, createRng(99)), B, sums);
    const refit = matchedBootstrap(y, treat, { weights, subclass, rng: createRng(99), replicates: B });
    for (let b = 0; b < B; b++) expect(batched[b]).toBeCloseTo(refit.replicates[b]!, 7);
  });

  it('Poisson(1) weights give a bootstrap SE close to the pair SE (704.27)', () => {
    const { weights, subclass } = design('m1');
    const sums = clusterSums(y, treat, weights, subclass);
    const B = 999;
    const reps = batchedDiffInMeansCpu(drawClusterWeights(B, sums.G, createRng(5), 'poisson'), B, sums);
    const m = reps.reduce((a, b) => a + b, 0) / B;
    const sd = Math.sqrt(reps.reduce((a, b) => a + (b - m) ** 2, 0) / (B - 1));
    expect(Math.abs(sd / 704.2735 - 1)).toBeLessThan(0.08);
  });
});
