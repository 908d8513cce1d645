/**
 * Hierarchical Navigable Small World graph for approximate nearest neighbours under squared L2
 * (Malkov & Yashunin 2018, "Efficient and robust approximate nearest neighbor search using
 * HNSW graphs", Algorithms 1, 2, 4 with the neighbour-selection heuristic), in pure TypeScript.
 * Deterministic: levels come from the seeded `Rng` and points are inserted in index order, single
 * threaded, so the same data and seed give the same graph and the same answers everywhere.
 * Distances are float64. Used only to propose candidates; callers re-rank exactly.
 */
import type { Rng } from '../random/rng';
import type { Matrix } from '../types';

export interface HnswOptions {
  readonly rng: Rng;
  /** Links per node on upper layers (level 0 gets 2M). Default 16. */
  readonly m?: number;
  /** Beam width while building. Default 40 (recall is re-checked by the callers' exact re-rank and fallback). */
  readonly efConstruction?: number;
}

/** Binary heap of (distance, id); `max` true makes it a max-heap. */
class DistHeap {
  d: Float64Array;
  id: Int32Array;
  size = 0;

  constructor(
    capacity: number,
    private readonly max: boolean,
  ) {
    this.d = new Float64Array(capacity);
    this.id = new Int32Array(capacity);
  }

  private before(a: number, b: number): boolean {
    return this.max ? this.d[a]! > this.d[b]! : this.d[a]! < this.d[b]!;
  }

  private swap(a: number, b: number): void {
    const x = this.d[a]!;
    this.d[a] = this.d[b]!;
    this.d[b] = x;
    const y = this.id[a]!;
    this.id[a] = this.id[b]!;
    this.id[b] = y;
  }

  push(dist: number, id: number): void {
    if (this.size === this.d.length) {
      const d = new Float64Array(this.size * 2);
      d.set(this.d);
      const ids = new Int32Array(this.size * 2);
      ids.set(this.id);
      this.d = d;
      this.id = ids;
    }
    let i = this.size++;
    this.d[i] = dist;
    this.id[i] = id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): void {
    this.size--;
    if (this.size === 0) return;
    this.d[0] = this.d[this.size]!;
    this.id[0] = this.id[this.size]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.before(l, m)) m = l;
      if (r < this.size && this.before(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

export class HnswIndex {
  private readonly data: Float64Array;
  private readonly dim: number;
  private readonly n: number;
  private readonly m: number;
  private readonly m0: number;
  private readonly efC: number;
  private readonly level: Int32Array;
  /** Level-0 links: node × m0, with counts. */
  private readonly links0: Int32Array;
  private readonly count0: Int32Array;
  /** Upper-level links: per node, per level ≥ 1, an array of neighbour ids. */
  private readonly upper: Map<number, Int32Array[]> = new Map();
  private entry = -1;
  private maxLevel = -1;
  private visited: Uint32Array;
  private stamp = 0;
  private readonly cand = new DistHeap(256, false);
  private readonly res = new DistHeap(256, true);

  constructor(points: Matrix, options: HnswOptions) {
    this.data = points.data;
    this.dim = points.cols;
    this.n = points.rows;
    this.m = options.m ?? 16;
    this.m0 = 2 * this.m;
    this.efC = options.efConstruction ?? 40;
    this.level = new Int32Array(this.n);
    this.links0 = new Int32Array(this.n * this.m0);
    this.count0 = new Int32Array(this.n);
    this.visited = new Uint32Array(this.n);
    const mult = 1 / Math.log(this.m);
    for (let i = 0; i < this.n; i++) this.level[i] = Math.floor(-Math.log(1 - options.rng.next()) * mult);
    for (let i = 0; i < this.n; i++) this.insert(i);
  }

  private distTo(q: Float64Array, qOff: number, b: number): number {
    const d = this.data;
    const dim = this.dim;
    let s = 0;
    const ob = b * dim;
    for (let k = 0; k < dim; k++) {
      const x = q[qOff + k]! - d[ob + k]!;
      s += x * x;
    }
    return s;
  }

  private neighbours(node: number, lev: number): { ids: Int32Array; off: number; len: number } {
    if (lev === 0) return { ids: this.links0, off: node * this.m0, len: this.count0[node]! };
    const arr = this.upper.get(node)![lev - 1]!;
    return { ids: arr, off: 1, len: arr[0]! };
  }

  private setNeighbours(node: number, lev: number, list: Int32Array, len: number): void {
    if (lev === 0) {
      this.links0.set(list.subarray(0, len), node * this.m0);
      this.count0[node] = len;
    } else {
      const arr = this.upper.get(node)![lev - 1]!;
      arr[0] = len;
      arr.set(list.subarray(0, len), 1);
    }
  }

  /** Greedy beam search on one layer; leaves the `ef` best in `this.res` (max-heap). */
  private searchLayer(q: Float64Array, qOff: number, entry: number, entryDist: number, ef: number, lev: number): void {
    this.stamp++;
    if (this.stamp === 0xffffffff) {
      this.visited.fill(0);
      this.stamp = 1;
    }
    const cand = this.cand;
    const res = this.res;
    cand.size = 0;
    res.size = 0;
    this.visited[entry] = this.stamp;
    cand.push(entryDist, entry);
    res.push(entryDist, entry);
    while (cand.size > 0) {
      const cd = cand.d[0]!;
      const c = cand.id[0]!;
      if (cd > res.d[0]! && res.size >= ef) break;
      cand.pop();
      const nb = this.neighbours(c, lev);
      for (let k = 0; k < nb.len; k++) {
        const e = nb.ids[nb.off + k]!;
        if (this.visited[e] === this.stamp) continue;
        this.visited[e] = this.stamp;
        const d = this.distTo(q, qOff, e);
        if (res.size < ef || d < res.d[0]!) {
          cand.push(d, e);
          res.push(d, e);
          if (res.size > ef) res.pop();
        }
      }
    }
  }

  /** Drains `res` into arrays sorted by ascending distance. */
  private drainResults(): { ids: Int32Array; d: Float64Array } {
    const len = this.res.size;
    const ids = new Int32Array(len);
    const d = new Float64Array(len);
    for (let k = len - 1; k >= 0; k--) {
      ids[k] = this.res.id[0]!;
      d[k] = this.res.d[0]!;
      this.res.pop();
    }
    return { ids, d };
  }

  /** Neighbour-selection heuristic (Algorithm 4) over candidates sorted by distance to base. */
  private selectNeighbours(ids: Int32Array, d: Float64Array, len: number, maxM: number, out: Int32Array): number {
    let count = 0;
    for (let k = 0; k < len && count < maxM; k++) {
      const e = ids[k]!;
      let keep = true;
      for (let j = 0; j < count; j++) {
        if (this.distTo(this.data, e * this.dim, out[j]!) < d[k]!) {
          keep = false;
          break;
        }
      }
      if (keep) out[count++] = e;
    }
    return count;
  }

  private insert(i: number): void {
    const lev = this.level[i]!;
    if (lev > 0) this.upper.set(i, Array.from({ length: lev }, () => new Int32Array(this.m + 1)));
    if (this.entry < 0) {
      this.entry = i;
      this.maxLevel = lev;
      return;
    }
    const q = this.data;
    const qOff = i * this.dim;
    let ep = this.entry;
    let epDist = this.distTo(q, qOff, ep);
    for (let l = this.maxLevel; l > lev; l--) {
      let changed = true;
      while (changed) {
        changed = false;
        const nb = this.neighbours(ep, l);
        for (let k = 0; k < nb.len; k++) {
          const e = nb.ids[nb.off + k]!;
          const d = this.distTo(q, qOff, e);
          if (d < epDist) {
            epDist = d;
            ep = e;
            changed = true;
          }
        }
      }
    }
    const selected = new Int32Array(this.m0 + 1);
    const merged = new Int32Array(this.m0 + 1);
    const mergedD = new Float64Array(this.m0 + 1);
    const pruned = new Int32Array(this.m0 + 1);
    for (let l = Math.min(lev, this.maxLevel); l >= 0; l--) {
      this.searchLayer(q, qOff, ep, epDist, this.efC, l);
      const { ids, d } = this.drainResults();
      const maxM = l === 0 ? this.m0 : this.m;
      const count = this.selectNeighbours(ids, d, ids.length, this.m, selected);
      this.setNeighbours(i, l, selected, count);
      for (let k = 0; k < count; k++) {
        const e = selected[k]!;
        const nb = this.neighbours(e, l);
        if (nb.len < maxM) {
          nb.ids[nb.off + nb.len] = i;
          if (l === 0) this.count0[e]!++;
          else nb.ids[0]!++;
          continue;
        }
        // Full: re-select e's links among its current ones plus i.
        const eo = e * this.dim;
        const tmpIds: number[] = [];
        for (let j = 0; j < nb.len; j++) tmpIds.push(nb.ids[nb.off + j]!);
        tmpIds.push(i);
        const withD = tmpIds.map((x) => ({ x, dd: this.distTo(this.data, eo, x) })).sort((a, b) => a.dd - b.dd || a.x - b.x);
        withD.forEach((w, j) => {
          merged[j] = w.x;
          mergedD[j] = w.dd;
        });
        const kept = this.selectNeighbours(merged, mergedD, withD.length, maxM, pruned);
        this.setNeighbours(e, l, pruned, kept);
      }
      ep = ids[0]!;
      epDist = d[0]!;
    }
    if (lev > this.maxLevel) {
      this.maxLevel = lev;
      this.entry = i;
    }
  }

  /** Ids of (approximately) the k nearest points to `query`, closest first. */
  search(query: Float64Array, k: number, ef: number): Int32Array {
    if (this.entry < 0) return new Int32Array(0);
    let ep = this.entry;
    let epDist = this.distTo(query, 0, ep);
    for (let l = this.maxLevel; l > 0; l--) {
      let changed = true;
      while (changed) {
        changed = false;
        const nb = this.neighbours(ep, l);
        for (let j = 0; j < nb.len; j++) {
          const e = nb.ids[nb.off + j]!;
          const d = this.distTo(query, 0, e);
          if (d < epDist) {
            epDist = d;
            ep = e;
            changed = true;
          }
        }
      }
    }
    this.searchLayer(query, 0, ep, epDist, Math.max(ef, k), 0);
    const { ids } = this.drainResults();
    return ids.subarray(0, Math.min(k, ids.length));
  }
}
