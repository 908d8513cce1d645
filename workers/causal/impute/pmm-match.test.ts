import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import type { Rng } from '../random/rng';
import { donorSets, drawDonors, lowerBound, sortPredictions, uniformDigits } from './pmm-match';

/** Prediction shapes that exercise every path of the bucket index. */
const shapes: Record<string, (rng: Rng, n: number) => Float64Array> = {
  normal: (rng, n) => Float64Array.from({ length: n }, () => rng.normal()),
  // Two far clusters: nearly all values share a few buckets (comparison sort, bisection).
  clumped: (rng, n) => Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 1e6 : 0) + rng.normal()),
  // Integers: long runs of ties.
  ties: (rng, n) => Float64Array.from({ length: n }, () => rng.nextInt(7) - 3),
  constant: (_rng, n) => new Float64Array(n).fill(2.5),
  signedZero: (rng, n) => Float64Array.from({ length: n }, () => (rng.next() < 0.5 ? -0 : rng.nextInt(3) - 1)),
};

/** First index with sorted[i] >= value, by bisection (the reference for the bucket search). */
function bisect(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

describe('PMM bucket sort and search', () => {
  for (const [name, make] of Object.entries(shapes)) {
    it(`sorts and finds insertion points exactly (${name})`, () => {
      const rng = createRng(name.length);
      const obs = make(rng, 3000);
      const p = sortPredictions(obs, rng);
      // A permutation of the observed cases, in ascending order of ŷ.
      expect(Array.from(p.order).sort((a, b) => a - b)).toEqual(Array.from({ length: obs.length }, (_, i) => i));
      // (=== : a −0 and a +0 are one tie, in either order)
      expect(Array.from(p.sorted).every((v, r) => v === obs[p.order[r]!])).toBe(true);
      expect(Array.from(p.sorted).every((v, r) => r === 0 || p.sorted[r - 1]! <= v)).toBe(true);
      const queries = [...Array.from(make(rng, 500)), ...Array.from(obs.subarray(0, 200)), -1e9, 1e9, Number.NaN];
      expect(queries.map((v) => lowerBound(p, v))).toEqual(queries.map((v) => bisect(p.sorted, v)));
    });

    it(`donor sets are the k nearest, as a brute-force search finds them (${name})`, () => {
      const rng = createRng(40 + name.length);
      const obs = make(rng, 400);
      const mis = Float64Array.from(make(rng, 150), (v) => v + rng.normal() * 0.1);
      const sets = donorSets(sortPredictions(obs, rng), mis, 5);
      for (let i = 0; i < mis.length; i++) {
        // Ties make the identity of the 5th donor ambiguous; its distance is not.
        const got = Array.from(sets.subarray(i * 5, i * 5 + 5), (d) => Math.abs(obs[d]! - mis[i]!)).sort((a, b) => a - b);
        const want = Array.from(obs, (v) => Math.abs(v - mis[i]!)).sort((a, b) => a - b).slice(0, 5);
        expect(got).toEqual(want);
      }
    });
  }

  it('breaks ties uniformly at random', () => {
    const rng = createRng(11);
    const counts = new Map<string, number>();
    const reps = 6000;
    for (let r = 0; r < reps; r++) {
      const key = Array.from(sortPredictions(Float64Array.from([5, 1, 5, 5]), rng).order).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // 1 first, then the 3! orders of the three tied 5s, each with probability 1/6.
    expect([...counts.keys()].sort()).toEqual(['1023', '1032', '1203', '1230', '1302', '1320']);
    for (const c of counts.values()) expect(Math.abs(c / reps - 1 / 6)).toBeLessThan(0.02); // > 4 SD
  });

  it('draws donor positions as independent uniform integers', () => {
    for (const base of [2, 3, 5, 7]) {
      const d = uniformDigits(60000, base, createRng(base));
      const single = new Array<number>(base).fill(0);
      const pairs = new Array<number>(base * base).fill(0);
      expect(d.every((v) => v >= 0 && v < base)).toBe(true);
      for (let i = 0; i < d.length; i++) {
        single[d[i]!]!++;
        if (i % 2 === 1) pairs[d[i - 1]! * base + d[i]!]!++;
      }
      // Pearson χ² for uniformity of single digits and of consecutive pairs (independence),
      // against df + 6·√(2·df) + 6, beyond the 99.99% quantile for these df.
      const chi = (counts: number[], total: number): number => counts.reduce((s, c) => s + (c - total / counts.length) ** 2 / (total / counts.length), 0);
      const bound = (df: number): number => df + 6 * Math.sqrt(2 * df) + 6;
      expect(chi(single, d.length)).toBeLessThan(bound(base - 1));
      expect(chi(pairs, d.length / 2)).toBeLessThan(bound(base * base - 1));
    }
    expect(Array.from(uniformDigits(5, 1, createRng(1)))).toEqual([0, 0, 0, 0, 0]);
  });

  it('draws each of the k donors with probability 1/k, also near the ends', () => {
    const rng = createRng(12);
    const obs = Float64Array.from({ length: 50 }, (_, i) => i);
    const mis = new Float64Array(20000).fill(-3); // nearest: 0..4
    const drawn = drawDonors(sortPredictions(obs, rng), mis, 5, rng);
    const counts = new Array<number>(50).fill(0);
    for (const d of drawn) counts[d]!++;
    for (let i = 0; i < 5; i++) expect(Math.abs(counts[i]! / 20000 - 0.2)).toBeLessThan(0.012);
    expect(counts.slice(5).every((c) => c === 0)).toBe(true);
  });
});

describe('PMM bucket sort input checks', () => {
  it('rejects predictions that are not finite', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) expect(() => sortPredictions(Float64Array.from([1, bad, 2]), createRng(1))).toThrow(RangeError);
  });
});
