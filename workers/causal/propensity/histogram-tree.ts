/**
 * One regression tree of a histogram gradient-boosting model, grown depth-wise on binned
 * features (XGBoost `hist` / LightGBM, METHODS.md §7.2):
 *
 *   gain  = ½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)]     (Chen & Guestrin 2016, eq. 7)
 *   leaf  = −η · G/(H+λ)
 *
 * Each node histogram holds (Σg, Σh, count) per (feature, bin); only the smaller child's
 * histogram is built from its rows, the larger one is parent − smaller (LightGBM's histogram
 * subtraction). Bin 0 holds missing values: every split is tried with missing sent left and
 * right and the better direction is stored (XGBoost's learned default direction); a
 * "missing vs. present" split (threshold 0, missing left) is also considered.
 * Rows of a node are a contiguous segment of one Int32Array, partitioned in place.
 */
import type { BinnedData } from './binning';

export interface TreeOptions {
  readonly maxDepth: number;
  readonly lambda: number;
  readonly minDataInLeaf: number;
  readonly minChildHessian: number;
  readonly learningRate: number;
}

/** Flat tree: node 0 is the root; `feature[k] < 0` marks a leaf with value `value[k]`. */
export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Uint8Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

const BIN_STRIDE = 256;

/** Reusable buffers for growing trees on one dataset (no allocation per tree). */
export class TreeWorkspace {
  readonly histograms: Float64Array[];
  readonly scratch: Int32Array;
  constructor(
    readonly cols: number,
    maxRows: number,
    maxDepth: number,
  ) {
    const pool = Math.max(2, 2 ** maxDepth);
    this.histograms = Array.from({ length: pool }, () => new Float64Array(cols * BIN_STRIDE * 3));
    this.scratch = new Int32Array(maxRows);
  }
}

function buildHistogram(data: BinnedData, grad: Float64Array, hess: Float64Array, index: Int32Array, start: number, end: number, hist: Float64Array): void {
  hist.fill(0);
  const p = data.cols;
  const bins = data.bins;
  for (let s = start; s < end; s++) {
    const r = index[s]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const o = r * p;
    for (let f = 0; f < p; f++) {
      const k = (f * BIN_STRIDE + bins[o + f]!) * 3;
      hist[k] = hist[k]! + g;
      hist[k + 1] = hist[k + 1]! + h;
      hist[k + 2] = hist[k + 2]! + 1;
    }
  }
}

interface Split {
  gain: number;
  feature: number;
  threshold: number;
  missingLeft: boolean;
}

function findSplit(data: BinnedData, hist: Float64Array, total: Float64Array, o: TreeOptions, best: Split): void {
  const { lambda, minDataInLeaf, minChildHessian } = o;
  const G = total[0]!;
  const H = total[1]!;
  const C = total[2]!;
  const parent = (G * G) / (H + lambda);
  best.gain = 0;
  best.feature = -1;
  const counts = data.binning.binCounts;
  for (let f = 0; f < data.cols; f++) {
    const base = f * BIN_STRIDE * 3;
    const g0 = hist[base]!;
    const h0 = hist[base + 1]!;
    const c0 = hist[base + 2]!;
    const last = counts[f]! - 1;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let t = 0; t < last; t++) {
      if (t > 0) {
        const k = base + t * 3;
        gl += hist[k]!;
        hl += hist[k + 1]!;
        cl += hist[k + 2]!;
        // Missing to the right.
        const cr = C - cl;
        const hr = H - hl;
        if (cl >= minDataInLeaf && cr >= minDataInLeaf && hl >= minChildHessian && hr >= minChildHessian) {
          const gr = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
          if (gain > best.gain) {
            best.gain = gain;
            best.feature = f;
            best.threshold = t;
            best.missingLeft = false;
          }
        }
      }
      if (c0 > 0) {
        // Missing to the left (t = 0: missing vs. present).
        const gL = gl + g0;
        const hL = hl + h0;
        const cL = cl + c0;
        const cr = C - cL;
        const hr = H - hL;
        if (cL >= minDataInLeaf && cr >= minDataInLeaf && hL >= minChildHessian && hr >= minChildHessian) {
          const gr = G - gL;
          const gain = (gL * gL) / (hL + lambda) + (gr * gr) / (hr + lambda) - parent;
          if (gain > best.gain) {
            best.gain = gain;
            best.feature = f;
            best.threshold = t;
            best.missingLeft = true;
          }
        }
      }
    }
  }
}

/** Partitions index[start, end) so rows going left come first; returns the split point. */
function partition(data: BinnedData, index: Int32Array, start: number, end: number, split: Split): number {
  const p = data.cols;
  const bins = data.bins;
  const f = split.feature;
  const t = split.threshold;
  const ml = split.missingLeft;
  let i = start;
  let j = end - 1;
  while (i <= j) {
    const b = bins[index[i]! * p + f]!;
    const goLeft = b === 0 ? ml : b <= t;
    if (goLeft) i++;
    else {
      const tmp = index[i]!;
      index[i] = index[j]!;
      index[j] = tmp;
      j--;
    }
  }
  return i;
}

/**
 * Grows one tree on the rows index[0, m) (the caller's sampled rows; the array is permuted).
 */
export function growTree(data: BinnedData, grad: Float64Array, hess: Float64Array, index: Int32Array, m: number, o: TreeOptions, ws: TreeWorkspace): Tree {
  const maxNodes = 2 ** (o.maxDepth + 1) - 1;
  const feature = new Int32Array(maxNodes).fill(-1);
  const threshold = new Uint8Array(maxNodes);
  const missingLeft = new Uint8Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const value = new Float64Array(maxNodes);
  let nodeCount = 1;
  // Current level: node id, row segment, histogram slot, totals.
  let level: { node: number; start: number; end: number; slot: number; total: Float64Array }[] = [];
  const rootTotal = new Float64Array(3);
  for (let s = 0; s < m; s++) {
    const r = index[s]!;
    rootTotal[0] = rootTotal[0]! + grad[r]!;
    rootTotal[1] = rootTotal[1]! + hess[r]!;
  }
  rootTotal[2] = m;
  level.push({ node: 0, start: 0, end: m, slot: 0, total: rootTotal });
  if (o.maxDepth > 0) buildHistogram(data, grad, hess, index, 0, m, ws.histograms[0]!);
  const best: Split = { gain: 0, feature: -1, threshold: 0, missingLeft: false };
  const leafValue = (t: Float64Array): number => (-o.learningRate * t[0]!) / (t[1]! + o.lambda);
  for (let depth = 0; depth < o.maxDepth && level.length > 0; depth++) {
    const next: typeof level = [];
    const lastLevel = depth === o.maxDepth - 1;
    let freeSlot = 0;
    const usedSlots = new Set(level.map((l) => l.slot));
    const takeSlot = (): number => {
      while (usedSlots.has(freeSlot)) freeSlot++;
      usedSlots.add(freeSlot);
      return freeSlot;
    };
    for (const nd of level) {
      const hist = ws.histograms[nd.slot]!;
      if (nd.end - nd.start < 2 * o.minDataInLeaf) {
        value[nd.node] = leafValue(nd.total);
        continue;
      }
      findSplit(data, hist, nd.total, o, best);
      if (best.feature < 0) {
        value[nd.node] = leafValue(nd.total);
        continue;
      }
      const mid = partition(data, index, nd.start, nd.end, best);
      const leftTotal = new Float64Array(3);
      const base = best.feature * BIN_STRIDE * 3;
      if (best.missingLeft) {
        leftTotal[0] = hist[base]!;
        leftTotal[1] = hist[base + 1]!;
        leftTotal[2] = hist[base + 2]!;
      }
      for (let t = 1; t <= best.threshold; t++) {
        leftTotal[0] = leftTotal[0]! + hist[base + t * 3]!;
        leftTotal[1] = leftTotal[1]! + hist[base + t * 3 + 1]!;
        leftTotal[2] = leftTotal[2]! + hist[base + t * 3 + 2]!;
      }
      const rightTotal = Float64Array.from([nd.total[0]! - leftTotal[0]!, nd.total[1]! - leftTotal[1]!, nd.total[2]! - leftTotal[2]!]);
      const l = nodeCount++;
      const r = nodeCount++;
      feature[nd.node] = best.feature;
      threshold[nd.node] = best.threshold;
      missingLeft[nd.node] = best.missingLeft ? 1 : 0;
      left[nd.node] = l;
      right[nd.node] = r;
      const leftNode = { node: l, start: nd.start, end: mid, slot: -1, total: leftTotal };
      const rightNode = { node: r, start: mid, end: nd.end, slot: -1, total: rightTotal };
      if (!lastLevel) {
        // Smaller child from its rows; larger = parent − smaller, in the parent's buffer.
        const smallIsLeft = mid - nd.start <= nd.end - mid;
        const small = smallIsLeft ? leftNode : rightNode;
        const large = smallIsLeft ? rightNode : leftNode;
        small.slot = takeSlot();
        const smallHist = ws.histograms[small.slot]!;
        buildHistogram(data, grad, hess, index, small.start, small.end, smallHist);
        for (let k = 0; k < hist.length; k++) hist[k] = hist[k]! - smallHist[k]!;
        large.slot = nd.slot;
      }
      next.push(leftNode, rightNode);
    }
    level = next;
  }
  for (const nd of level) value[nd.node] = leafValue(nd.total);
  return {
    feature: feature.slice(0, nodeCount),
    threshold: threshold.slice(0, nodeCount),
    missingLeft: missingLeft.slice(0, nodeCount),
    left: left.slice(0, nodeCount),
    right: right.slice(0, nodeCount),
    value: value.slice(0, nodeCount),
  };
}

/** Tree output for row r of binned data. */
export function predictTreeRow(tree: Tree, bins: Uint8Array, offset: number): number {
  let k = 0;
  while (tree.feature[k]! >= 0) {
    const b = bins[offset + tree.feature[k]!]!;
    const goLeft = b === 0 ? tree.missingLeft[k] === 1 : b <= tree.threshold[k]!;
    k = goLeft ? tree.left[k]! : tree.right[k]!;
  }
  return tree.value[k]!;
}
