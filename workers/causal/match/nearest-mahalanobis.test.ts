import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng';
import type { Matrix } from '../types';
import { distanceTopKPlain } from '../tensor/distance-topk';
import { HnswIndex } from './hnsw';
import { matchNearest } from './nearest';

function synthetic(n: number, p: number, seed: number): { x: Matrix; treat: Uint8Array; logit: Float64Array } {
  const rng = createRng(seed);
  const x = new Float64Array(n * p);
  const treat = new Uint8Array(n);
  const logit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lp = -1;
    for (let j = 0; j < p; j++) {
      const v = rng.normal();
      x[i * p + j] = v;
      lp += (0.4 / (j + 1)) * v;
    }
    logit[i] = lp;
    treat[i] = rng.next() < 1 / (1 + Math.exp(-lp)) ? 1 : 0;
  }
  return { x: { data: x, rows: n, cols: p }, treat, logit };
}

describe('Mahalanobis candidate strategies', () => {
  const { x, treat, logit } = synthetic(3000, 6, 11);

  it('brute-force and tensor-style candidate lists give exactly the window (MatchIt walk) result', () => {
    for (const caliper of [undefined, 0.2]) {
      const base = { mahvars: x, caliper, ratio: 2 } as const;
      const ref = matchNearest(logit, treat, { ...base, candidates: 'window' });
      const brute = matchNearest(logit, treat, { ...base, candidates: 'brute' });
      const tensor = matchNearest(logit, treat, {
        ...base,
        candidates: 'tensor',
        topK: (qm, pm, k) => distanceTopKPlain(qm, pm, k).indices,
      });
      expect(Array.from(brute.matchMatrix)).toEqual(Array.from(ref.matchMatrix));
      expect(Array.from(tensor.matchMatrix)).toEqual(Array.from(ref.matchMatrix));
    }
  });

  it('the k-d tree search gives exactly the window (MatchIt walk) result, exact distance ties included', () => {
    // Rounded covariates: many controls at exactly the same distance, so MatchIt's tie rule decides.
    const tied: Matrix = { data: x.data.map((v) => Math.round(v)), rows: x.rows, cols: x.cols };
    const exact = Int32Array.from(logit, (_, i) => i % 2);
    const configs = [
      { mahvars: x, caliper: 0.2 },
      { mahvars: tied, caliper: 0.2, ratio: 2 },
      { mahvars: tied, caliper: 0.3, replace: true, ratio: 3 },
      { mahvars: tied },
      { mahvars: x, caliper: 0.1, mOrder: 'smallest', exact },
      { mahvars: tied, caliper: -0.5 },
    ] as const;
    for (const base of configs) {
      const ref = matchNearest(logit, treat, { ...base, candidates: 'window' });
      const kd = matchNearest(logit, treat, { ...base, candidates: 'kdtree' });
      expect(Array.from(kd.matchMatrix)).toEqual(Array.from(ref.matchMatrix));
    }
  });

  it('HNSW candidates leave no focal unit wrongly unmatched and agree with the exact result for most units', () => {
    const opts = { mahvars: x, caliper: 0.2, rng: createRng(5) } as const;
    const ref = matchNearest(logit, treat, { ...opts, candidates: 'window' });
    const ann = matchNearest(logit, treat, { ...opts, candidates: 'hnsw' });
    let same = 0;
    let matchedRef = 0;
    let matchedAnn = 0;
    for (let r = 0; r < ref.focalIndex.length; r++) {
      if (ref.matchMatrix[r] === ann.matchMatrix[r]) same++;
      if (ref.matchMatrix[r]! >= 0) matchedRef++;
      if (ann.matchMatrix[r]! >= 0) matchedAnn++;
    }
    expect(matchedAnn).toBe(matchedRef);
    expect(same / ref.focalIndex.length).toBeGreaterThan(0.9);
  });

  it('HNSW is deterministic for a seed and has high recall@1', () => {
    const pool: Matrix = { data: x.data.subarray(0, 2000 * 6), rows: 2000, cols: 6 };
    const a = new HnswIndex(pool, { rng: createRng(1) });
    const b = new HnswIndex(pool, { rng: createRng(1) });
    let hits = 0;
    for (let i = 2000; i < 2200; i++) {
      const q = x.data.subarray(i * 6, (i + 1) * 6);
      const ra = a.search(q, 1, 64);
      expect(Array.from(ra)).toEqual(Array.from(b.search(q, 1, 64)));
      let best = -1;
      let bd = Infinity;
      for (let j = 0; j < 2000; j++) {
        let s = 0;
        for (let t = 0; t < 6; t++) s += (q[t]! - pool.data[j * 6 + t]!) ** 2;
        if (s < bd) {
          bd = s;
          best = j;
        }
      }
      if (ra[0] === best) hits++;
    }
    expect(hits / 200).toBeGreaterThan(0.95);
  });
});
