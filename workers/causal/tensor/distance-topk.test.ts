import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng';
import type { Matrix } from '../types';
import { getTensorBackend } from './backend';
import { distanceTopK, distanceTopKPlain } from './distance-topk';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { data, rows, cols };
}

function exactSq(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  for (let t = 0; t < a.cols; t++) s += (a.data[i * a.cols + t]! - b.data[j * b.cols + t]!) ** 2;
  return s;
}

describe('distanceTopK (tfjs) vs distanceTopKPlain', () => {
  it('chooses a backend and describes it', async () => {
    const backend = await getTensorBackend();
    expect(['tensorflow-gpu', 'wasm', 'cpu']).toContain(backend.name);
    expect(backend.description.length).toBeGreaterThan(0);
  });

  it('gives the same candidate sets up to float32 ties, and the plain twin finds the true k nearest', async () => {
    const { tf } = await getTensorBackend();
    const q = randomMatrix(200, 10, 1);
    const c = randomMatrix(3000, 10, 2);
    const k = 8;
    const a = distanceTopK(tf, q, c, k, { maxBlockElements: 50 * 3000 });
    const b = distanceTopKPlain(q, c, k, { maxBlockElements: 70 * 3000 });
    let differing = 0;
    for (let i = 0; i < q.rows; i++) {
      const sa = new Set(Array.from(a.indices.subarray(i * k, (i + 1) * k)));
      const sb = new Set(Array.from(b.indices.subarray(i * k, (i + 1) * k)));
      // True k-th distance (float64 brute force) decides which disagreements are ties.
      const all = Array.from({ length: c.rows }, (_, j) => exactSq(q, i, c, j)).sort((x, y) => x - y);
      const kth = all[k - 1]!;
      for (const j of sb) expect(exactSq(q, i, c, j)).toBeLessThanOrEqual(kth * (1 + 1e-5) + 1e-6);
      for (const j of sa) {
        if (sb.has(j)) continue;
        differing++;
        expect(Math.abs(exactSq(q, i, c, j) - kth)).toBeLessThanOrEqual(1e-4 * kth + 1e-5);
      }
    }
    expect(differing).toBeLessThanOrEqual(4);
  });
});
