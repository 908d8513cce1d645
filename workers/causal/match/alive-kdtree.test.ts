import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng';
import { AliveKdTree } from './alive-kdtree';

/** The k best (distance, unit) among alive units with key in [lo, hi], by brute force. */
function bruteKBest(z: Float64Array, q: number, qOff: number, units: number[], alive: Set<number>, key: Float64Array, lo: number, hi: number, k: number): number[][] {
  const all: number[][] = [];
  for (const u of units) {
    if (!alive.has(u) || key[u]! < lo || key[u]! > hi) continue;
    let d = 0;
    for (let j = 0; j < q; j++) d += (z[qOff + j]! - z[u * q + j]!) ** 2;
    all.push([d, u]);
  }
  all.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  return all.slice(0, k);
}

describe('AliveKdTree', () => {
  it('finds exactly the k nearest alive points inside a key window while points are deleted', () => {
    const rng = createRng(21);
    const q = 4;
    const n = 3000;
    const z = new Float64Array(n * q);
    const key = new Float64Array(n);
    // Coarse grid values make many exact distance ties; the key is partly correlated with z.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < q; j++) z[i * q + j] = Math.round(rng.normal() * 2) / 2;
      key[i] = z[i * q]! * 0.5 + rng.normal() * 0.5;
    }
    const units = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 0);
    const queries = Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 === 0);
    const tree = new AliveKdTree(Int32Array.from(units), z, q, key, n, 0.3);
    const alive = new Set(units);
    for (const t of queries) {
      const k = 1 + (t % 3);
      const lo = key[t]! - 0.4;
      const hi = key[t]! + 0.4;
      const found: number[][] = [];
      tree.search(z, t * q, lo, hi, (u, d) => {
        found.push([d, u]);
        found.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
        if (found.length > k) found.pop();
        return found.length < k ? Infinity : found[found.length - 1]![0]!;
      });
      const expected = bruteKBest(z, q, t * q, units, alive, key, lo, hi, k);
      // Same distances; with ties the visited set holds every tied point, so the ids agree too.
      expect(found).toEqual(expected);
      const first = expected[0];
      if (first !== undefined) {
        tree.remove(first[1]!);
        alive.delete(first[1]!);
      }
    }
    expect(alive.size).toBeLessThan(units.length);
  });

  it('returns nothing once every point is deleted, and ignores unknown or repeated removals', () => {
    const z = Float64Array.from([0, 0, 1, 1, 2, 2, 5, 5]);
    const tree = new AliveKdTree(Int32Array.from([0, 1, 2]), z, 2, null, 4);
    tree.remove(3);
    tree.remove(1);
    tree.remove(1);
    const seen: number[] = [];
    tree.search(z, 6, -Infinity, Infinity, (u) => {
      seen.push(u);
      return Infinity;
    });
    expect(seen.sort()).toEqual([0, 2]);
    tree.remove(0);
    tree.remove(2);
    let calls = 0;
    tree.search(z, 6, -Infinity, Infinity, () => {
      calls++;
      return Infinity;
    });
    expect(calls).toBe(0);
  });
});
