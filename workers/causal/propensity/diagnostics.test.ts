import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import { auc, scoreOverlap } from './diagnostics';

describe('auc', () => {
  it('equals the brute-force pair count with ties as ½', () => {
    const rng = createRng(3);
    const n = 300;
    const score = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 4) / 4);
    const treat = Float64Array.from({ length: n }, (_, i) => (rng.next() < 0.3 + 0.1 * score[i]! ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < n; i++) {
      if (treat[i] !== 1) continue;
      for (let j = 0; j < n; j++) {
        if (treat[j] !== 0) continue;
        pairs++;
        wins += score[i]! > score[j]! ? 1 : score[i] === score[j] ? 0.5 : 0;
      }
    }
    expect(Math.abs(auc(score, treat) - wins / pairs)).toBeLessThan(1e-14);
    expect(auc(Float64Array.from([1, 2, 3, 4]), Float64Array.from([0, 0, 1, 1]))).toBe(1);
    expect(auc(Float64Array.from([1, 1, 1, 1]), Float64Array.from([0, 1, 0, 1]))).toBe(0.5);
  });
});

describe('scoreOverlap', () => {
  it('summarises ranges, R type-7 quantiles, outside shares and shared histogram bins', () => {
    const score = Float64Array.from([0, 1, 2, 3, 4, 2.5, 5, 6, 7, 8]);
    const treat = Float64Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const o = scoreOverlap(score, treat, { bins: 4, probabilities: [0, 0.5, 0.9] });
    // R: quantile(c(2.5, 5, 6, 7, 8), c(0, .5, .9)) = 2.5 6.0 7.6
    expect(o.treated.quantiles[0]).toBe(2.5);
    expect(o.treated.quantiles[1]).toBe(6);
    expect(Math.abs(o.treated.quantiles[2]! - 7.6)).toBeLessThan(1e-15);
    expect(o.control.min).toBe(0);
    expect(o.treated.max).toBe(8);
    expect(o.treated.outsideOtherRange).toBe(4 / 5); // 5..8 above the control maximum 4
    expect(o.control.outsideOtherRange).toBe(3 / 5); // 0, 1, 2 below the treated minimum 2.5
    expect(Array.from(o.binEdges)).toEqual([0, 2, 4, 6, 8]);
    expect(Array.from(o.control.histogram)).toEqual([2, 2, 1, 0]);
    expect(Array.from(o.treated.histogram)).toEqual([0, 1, 1, 3]);
  });
});
