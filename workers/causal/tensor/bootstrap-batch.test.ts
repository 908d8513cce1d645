import { describe, it, expect } from 'vitest';
import { readReferenceCsv, num } from '../testing/reference';
import { createRng } from '../random/rng';
import { batchedDiffInMeansCpu, clusterSums, drawClusterWeights } from '../estimate/batched-cluster-bootstrap';
import { getTensorBackend } from './backend';
import { batchedDiffInMeansTensor, tensorClusterBootstrap } from './bootstrap-batch';

const lalonde = readReferenceCsv('lalonde', 'lalonde.csv');
const y = Float64Array.from(lalonde, (r) => num(r.re78));
const treat = Uint8Array.from(lalonde, (r) => num(r.treat));
const m1 = readReferenceCsv('lalonde', 'matchit-4.7.2', 'm1_weights_subclass.csv');
const weights = Float64Array.from(m1, (r) => num(r.weights));
const subclass = Int32Array.from(m1, (r) => (r.subclass === 'NA' ? -1 : num(r.subclass)));

function sd(v: Float64Array): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

describe('batched cluster bootstrap: tfjs vs typed-array twin', () => {
  for (const kind of ['multinomial', 'poisson'] as const) {
    it(`agree within float32 tolerance for the same ${kind} draws (m1, B = 999, streamed blocks)`, async () => {
      const { tf } = await getTensorBackend();
      const sums = clusterSums(y, treat, weights, subclass);
      const B = 999;
      const M = drawClusterWeights(B, sums.G, createRng(42), kind);
      const cpu = batchedDiffInMeansCpu(M, B, sums);
      const gpu = batchedDiffInMeansTensor(tf, M, B, sums, { maxBlockElements: 100 * sums.G });
      const spread = sd(cpu);
      let worst = 0;
      for (let b = 0; b < B; b++) worst = Math.max(worst, Math.abs(gpu[b]! - cpu[b]!));
      // float32 sums of ~1e5 carry ~1e-2 absolute error; 1e-4 of the bootstrap SD is ~0.07.
      expect(worst).toBeLessThan(1e-4 * spread);
      expect(Math.abs(sd(gpu) / spread - 1)).toBeLessThan(1e-6);
      // Sanity vs the pair SE of METHODS §4.2 (704.27), within bootstrap MC error.
      expect(Math.abs(spread / 704.2735 - 1)).toBeLessThan(0.08);
    });
  }

  it('drawing block by block uses the same Rng stream as drawing the whole matrix', async () => {
    const { tf } = await getTensorBackend();
    const sums = clusterSums(y, treat, weights, subclass);
    const B = 250;
    const cpu = batchedDiffInMeansCpu(drawClusterWeights(B, sums.G, createRng(3)), B, sums);
    const gpu = tensorClusterBootstrap(tf, sums, { rng: createRng(3), replicates: B, maxBlockElements: 64 * sums.G });
    for (let b = 0; b < B; b++) expect(Math.abs(gpu[b]! - cpu[b]!)).toBeLessThan(0.1);
  });
});
