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
 *
 * Performance (the per-tree cost dominates a cross-fit): rows of a node are a contiguous
 * segment of one Int32Array, partitioned in place and STABLY, so every node's rows stay in
 * ascending order and the histogram pass reads the row-major bins and the interleaved
 * (g, h) array front to back. All per-node state lives in preallocated typed arrays of the
 * `TreeWorkspace`; growing a tree allocates only the returned tree.
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
const FEATURE_STRIDE = BIN_STRIDE * 3;

/**
 * Reusable buffers for growing trees on one dataset (no allocation per node). After
 * `growTree`, `leafCount`, `leafNode`, `leafStart` and `leafEnd` describe the leaves: leaf i is
 * tree node leafNode[i] and holds the rows index[leafStart[i], leafEnd[i]).
 */
export class TreeWorkspace {
  readonly histograms: Float64Array[];
  readonly scratch: Int32Array;
  readonly freeSlots: Int32Array;
  readonly levelNode: Int32Array;
  readonly levelStart: Int32Array;
  readonly levelEnd: Int32Array;
  readonly levelSlot: Int32Array;
  readonly levelTotal: Float64Array;
  readonly nextNode: Int32Array;
  readonly nextStart: Int32Array;
  readonly nextEnd: Int32Array;
  readonly nextSlot: Int32Array;
  readonly nextTotal: Float64Array;
  readonly leafNode: Int32Array;
  readonly leafStart: Int32Array;
  readonly leafEnd: Int32Array;
  leafCount = 0;
  bestGain = 0;
  bestFeature = -1;
  bestThreshold = 0;
  bestMissingLeft = false;
  constructor(
    readonly cols: number,
    maxRows: number,
    maxDepth: number,
  ) {
    const width = Math.max(2, 2 ** maxDepth);
    this.histograms = Array.from({ length: width }, () => new Float64Array(cols * FEATURE_STRIDE));
    this.scratch = new Int32Array(maxRows);
    this.freeSlots = new Int32Array(width);
    this.levelNode = new Int32Array(width);
    this.levelStart = new Int32Array(width);
    this.levelEnd = new Int32Array(width);
    this.levelSlot = new Int32Array(width);
    this.levelTotal = new Float64Array(3 * width);
    this.nextNode = new Int32Array(width);
    this.nextStart = new Int32Array(width);
    this.nextEnd = new Int32Array(width);
    this.nextSlot = new Int32Array(width);
    this.nextTotal = new Float64Array(3 * width);
    this.leafNode = new Int32Array(width);
    this.leafStart = new Int32Array(width);
    this.leafEnd = new Int32Array(width);
  }
}

/**
 * Histogram of the rows index[start, end); gh holds (g, h) of row r at 2r, 2r + 1. Two rows
 * and two features per step (measured 1.6× faster than one by one in V8: fewer loop
 * branches and more independent loads in flight); updates stay in row order.
 */
function buildHistogram(bins: Uint8Array, p: number, gh: Float64Array, index: Int32Array, start: number, end: number, hist: Float64Array): void {
  hist.fill(0);
  let s = start;
  for (; s + 1 < end; s += 2) {
    const r = index[s]!;
    const q = index[s + 1]!;
    const gr = gh[2 * r]!;
    const hr = gh[2 * r + 1]!;
    const gq = gh[2 * q]!;
    const hq = gh[2 * q + 1]!;
    const or = r * p;
    const oq = q * p;
    let base = 0;
    let f = 0;
    for (; f + 1 < p; f += 2) {
      const a = base + bins[or + f]! * 3;
      hist[a] = hist[a]! + gr;
      hist[a + 1] = hist[a + 1]! + hr;
      hist[a + 2] = hist[a + 2]! + 1;
      const b = base + bins[oq + f]! * 3;
      hist[b] = hist[b]! + gq;
      hist[b + 1] = hist[b + 1]! + hq;
      hist[b + 2] = hist[b + 2]! + 1;
      const c = base + FEATURE_STRIDE + bins[or + f + 1]! * 3;
      hist[c] = hist[c]! + gr;
      hist[c + 1] = hist[c + 1]! + hr;
      hist[c + 2] = hist[c + 2]! + 1;
      const d = base + FEATURE_STRIDE + bins[oq + f + 1]! * 3;
      hist[d] = hist[d]! + gq;
      hist[d + 1] = hist[d + 1]! + hq;
      hist[d + 2] = hist[d + 2]! + 1;
      base += 2 * FEATURE_STRIDE;
    }
    if (f < p) {
      const a = base + bins[or + f]! * 3;
      hist[a] = hist[a]! + gr;
      hist[a + 1] = hist[a + 1]! + hr;
      hist[a + 2] = hist[a + 2]! + 1;
      const b = base + bins[oq + f]! * 3;
      hist[b] = hist[b]! + gq;
      hist[b + 1] = hist[b + 1]! + hq;
      hist[b + 2] = hist[b + 2]! + 1;
    }
  }
  if (s < end) {
    const r = index[s]!;
    const gr = gh[2 * r]!;
    const hr = gh[2 * r + 1]!;
    const or = r * p;
    for (let f = 0; f < p; f++) {
      const a = f * FEATURE_STRIDE + bins[or + f]! * 3;
      hist[a] = hist[a]! + gr;
      hist[a + 1] = hist[a + 1]! + hr;
      hist[a + 2] = hist[a + 2]! + 1;
    }
  }
}

/** Best split of a node with totals (G, H, C); result in ws.best*. */
function findSplit(binCounts: Uint16Array, p: number, hist: Float64Array, G: number, H: number, C: number, o: TreeOptions, ws: TreeWorkspace): void {
  const { lambda, minDataInLeaf, minChildHessian } = o;
  const parent = (G * G) / (H + lambda);
  let bestGain = 0;
  let bestFeature = -1;
  let bestThreshold = 0;
  let bestMissingLeft = false;
  for (let f = 0; f < p; f++) {
    const base = f * FEATURE_STRIDE;
    const g0 = hist[base]!;
    const h0 = hist[base + 1]!;
    const c0 = hist[base + 2]!;
    const last = binCounts[f]! - 1;
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
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestThreshold = t;
            bestMissingLeft = false;
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
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestThreshold = t;
            bestMissingLeft = true;
          }
        }
      }
    }
  }
  ws.bestGain = bestGain;
  ws.bestFeature = bestFeature;
  ws.bestThreshold = bestThreshold;
  ws.bestMissingLeft = bestMissingLeft;
}

/**
 * Stable partition of index[start, end): rows going left first, both sides keeping their
 * (ascending) order; returns the split point.
 */
function partition(bins: Uint8Array, p: number, index: Int32Array, scratch: Int32Array, start: number, end: number, f: number, t: number, missingLeft: boolean): number {
  let i = start;
  let nr = 0;
  for (let s = start; s < end; s++) {
    const r = index[s]!;
    const b = bins[r * p + f]!;
    if (b === 0 ? missingLeft : b <= t) index[i++] = r;
    else scratch[nr++] = r;
  }
  index.set(scratch.subarray(0, nr), i);
  return i;
}

/**
 * Grows one tree on the rows index[0, m) (the caller's sampled rows, ascending; the array is
 * permuted into leaf segments, see `TreeWorkspace`). gh[2r], gh[2r + 1] = g, h of row r.
 */
export function growTree(data: BinnedData, gh: Float64Array, index: Int32Array, m: number, o: TreeOptions, ws: TreeWorkspace): Tree {
  const { bins, cols: p } = data;
  const binCounts = data.binning.binCounts;
  const { histograms, scratch, freeSlots } = ws;
  const maxNodes = 2 ** (o.maxDepth + 1) - 1;
  const feature = new Int32Array(maxNodes).fill(-1);
  const threshold = new Uint8Array(maxNodes);
  const missingLeft = new Uint8Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const value = new Float64Array(maxNodes);
  const eta = o.learningRate;
  const lambda = o.lambda;
  let nodeCount = 1;
  let G = 0;
  let H = 0;
  for (let s = 0; s < m; s++) {
    const r = index[s]!;
    G += gh[2 * r]!;
    H += gh[2 * r + 1]!;
  }
  let levelNode = ws.levelNode;
  let levelStart = ws.levelStart;
  let levelEnd = ws.levelEnd;
  let levelSlot = ws.levelSlot;
  let levelTotal = ws.levelTotal;
  let nextNode = ws.nextNode;
  let nextStart = ws.nextStart;
  let nextEnd = ws.nextEnd;
  let nextSlot = ws.nextSlot;
  let nextTotal = ws.nextTotal;
  let levelSize = 1;
  levelNode[0] = 0;
  levelStart[0] = 0;
  levelEnd[0] = m;
  levelSlot[0] = 0;
  levelTotal[0] = G;
  levelTotal[1] = H;
  levelTotal[2] = m;
  // Free histogram slots form a stack; slot 0 holds the root.
  let freeCount = 0;
  for (let k = histograms.length - 1; k >= 1; k--) freeSlots[freeCount++] = k;
  const { leafNode, leafStart, leafEnd } = ws;
  let leafCount = 0;
  if (o.maxDepth > 0) buildHistogram(bins, p, gh, index, 0, m, histograms[0]!);
  for (let depth = 0; depth < o.maxDepth && levelSize > 0; depth++) {
    const lastLevel = depth === o.maxDepth - 1;
    let nextSize = 0;
    for (let q = 0; q < levelSize; q++) {
      const start = levelStart[q]!;
      const end = levelEnd[q]!;
      const slot = levelSlot[q]!;
      const hist = histograms[slot]!;
      const nG = levelTotal[3 * q]!;
      const nH = levelTotal[3 * q + 1]!;
      const nC = levelTotal[3 * q + 2]!;
      if (end - start >= 2 * o.minDataInLeaf) findSplit(binCounts, p, hist, nG, nH, nC, o, ws);
      else ws.bestFeature = -1;
      if (ws.bestFeature < 0) {
        const node = levelNode[q]!;
        value[node] = (-eta * nG) / (nH + lambda);
        leafNode[leafCount] = node;
        leafStart[leafCount] = start;
        leafEnd[leafCount] = end;
        leafCount++;
        freeSlots[freeCount++] = slot;
        continue;
      }
      const f = ws.bestFeature;
      const t = ws.bestThreshold;
      const ml = ws.bestMissingLeft;
      const mid = partition(bins, p, index, scratch, start, end, f, t, ml);
      // Left totals from the parent histogram: missing bin (if sent left) plus bins 1..t.
      const base = f * FEATURE_STRIDE;
      let lG = 0;
      let lH = 0;
      let lC = 0;
      for (let b = ml ? 0 : 1; b <= t; b++) {
        lG += hist[base + 3 * b]!;
        lH += hist[base + 3 * b + 1]!;
        lC += hist[base + 3 * b + 2]!;
      }
      const node = levelNode[q]!;
      const l = nodeCount++;
      const r = nodeCount++;
      feature[node] = f;
      threshold[node] = t;
      missingLeft[node] = ml ? 1 : 0;
      left[node] = l;
      right[node] = r;
      const li = nextSize++;
      const ri = nextSize++;
      nextNode[li] = l;
      nextStart[li] = start;
      nextEnd[li] = mid;
      nextTotal[3 * li] = lG;
      nextTotal[3 * li + 1] = lH;
      nextTotal[3 * li + 2] = lC;
      nextNode[ri] = r;
      nextStart[ri] = mid;
      nextEnd[ri] = end;
      nextTotal[3 * ri] = nG - lG;
      nextTotal[3 * ri + 1] = nH - lH;
      nextTotal[3 * ri + 2] = nC - lC;
      if (lastLevel) {
        freeSlots[freeCount++] = slot;
        continue;
      }
      // Smaller child from its rows; larger = parent − smaller, in the parent's buffer.
      const smallIsLeft = mid - start <= end - mid;
      const smallSlot = freeSlots[--freeCount]!;
      const smallHist = histograms[smallSlot]!;
      if (smallIsLeft) buildHistogram(bins, p, gh, index, start, mid, smallHist);
      else buildHistogram(bins, p, gh, index, mid, end, smallHist);
      for (let k = 0; k < hist.length; k++) hist[k] = hist[k]! - smallHist[k]!;
      nextSlot[smallIsLeft ? li : ri] = smallSlot;
      nextSlot[smallIsLeft ? ri : li] = slot;
    }
    [levelNode, nextNode] = [nextNode, levelNode];
    [levelStart, nextStart] = [nextStart, levelStart];
    [levelEnd, nextEnd] = [nextEnd, levelEnd];
    [levelSlot, nextSlot] = [nextSlot, levelSlot];
    [levelTotal, nextTotal] = [nextTotal, levelTotal];
    levelSize = nextSize;
  }
  for (let q = 0; q < levelSize; q++) {
    const node = levelNode[q]!;
    value[node] = (-eta * levelTotal[3 * q]!) / (levelTotal[3 * q + 1]! + lambda);
    leafNode[leafCount] = node;
    leafStart[leafCount] = levelStart[q]!;
    leafEnd[leafCount] = levelEnd[q]!;
    leafCount++;
  }
  ws.leafCount = leafCount;
  return {
    feature: feature.slice(0, nodeCount),
    threshold: threshold.slice(0, nodeCount),
    missingLeft: missingLeft.slice(0, nodeCount),
    left: left.slice(0, nodeCount),
    right: right.slice(0, nodeCount),
    value: value.slice(0, nodeCount),
  };
}

/** Tree output for the row whose bins start at `offset`. */
export function predictTreeRow(tree: Tree, bins: Uint8Array, offset: number): number {
  let k = 0;
  while (tree.feature[k]! >= 0) {
    const b = bins[offset + tree.feature[k]!]!;
    const goLeft = b === 0 ? tree.missingLeft[k] === 1 : b <= tree.threshold[k]!;
    k = goLeft ? tree.left[k]! : tree.right[k]!;
  }
  return tree.value[k]!;
}

/** score[r] += tree(x_r) for r = rows[0, count): one pass, tree arrays held in locals. */
export function addTreeToScores(tree: Tree, data: BinnedData, rows: Int32Array, count: number, score: Float64Array): void {
  const { feature, threshold, missingLeft, left, right, value } = tree;
  const { bins, cols: p } = data;
  for (let s = 0; s < count; s++) {
    const r = rows[s]!;
    const o = r * p;
    let k = 0;
    let f = feature[0]!;
    while (f >= 0) {
      const b = bins[o + f]!;
      k = (b === 0 ? missingLeft[k] === 1 : b <= threshold[k]!) ? left[k]! : right[k]!;
      f = feature[k]!;
    }
    score[r] = score[r]! + value[k]!;
  }
}
