/**
 * The row-level products the MICE models spend their time in, over selected rows of an n × p
 * row-major matrix X (p = `stride`), rows given as an index list:
 *
 *   dots(rows, β_1..β_G)  ŷ_rg = x_{rows[r]}ᵀ β_g              (fitted values, linear predictors)
 *   xtv(rows, v_1..v_G)   Σ_r v_rg x_{rows[r]}                  (scores)
 *   gram(rows, w)         Σ_r w_r x_{rows[r]} x_{rows[r]}ᵀ      (XᵀX of a row subset, XᵀWX)
 *   replaceColumn         x_{rows[r], col} ← v_r, returning the rank correction of XᵀX
 *
 * `createRowKernels` allocates X inside a WebAssembly memory and runs the products as 128-bit
 * SIMD (f64x2) loops emitted by wasm-encoder.ts, reading the rows in place through the index
 * list (no gathered copy). The Gram uses the same register tiling as linalg/crossprod.ts — a
 * 3-row × 6-column tile of the upper triangle (9 f64x2 sums) held in registers while a block of
 * 256 rows streams past — and measured 2.5–3× faster than that JS kernel at 75,000 × 36 (dots
 * and xtv 4–7× faster than JS loops). When WebAssembly or the memory is unavailable (or the
 * matrix would exceed its 4 GiB address space) the same products run as plain JS loops
 * (`jsRowKernels`), which the tests also use as the oracle.
 *
 * Every output is a fixed-order sum of IEEE products (no fused multiply–add), so results are
 * identical on every machine and thread; they differ from a row-by-row JS sum only by rounding.
 * The SIMD loops read up to 11 values past the end of a row (into the next row, or the zeroed
 * slack after X) for the columns that pad p to a whole tile; those land only in discarded
 * outputs, so X may hold any finite values.
 */
import { crossprodRange, symmetrizeUpper } from '../linalg';
import { encodeModule, op } from './wasm-encoder';
import type { FunctionSpec } from './wasm-encoder';

export interface RowKernels {
  /** Which implementation runs the products. */
  readonly engine: 'wasm-simd' | 'js';
  /** n × stride row-major matrix the products read (writable: the caller fills it). */
  readonly data: Float64Array;
  readonly rows: number;
  readonly stride: number;
  /**
   * x_iᵀβ_g for i = rows[r] (rows 0..nRows−1 when `rows` is null) and each of `groups` vectors
   * β_g = beta[g·stride … (g+1)·stride): nRows × groups, row-major.
   */
  dots(rows: Int32Array | null, nRows: number, beta: Float64Array, groups?: number): Float64Array;
  /** Σ_r v[r·groups + g] x_{rows[r]} for each group g: groups × stride, row-major. */
  xtv(rows: Int32Array | null, nRows: number, v: Float64Array, groups?: number): Float64Array;
  /** Σ_r w_r x_{rows[r]} x_{rows[r]}ᵀ (stride × stride, full); unit weights when `w` is omitted. */
  gram(rows: Int32Array | null, nRows: number, w?: Float64Array): Float64Array;
  /**
   * Replaces column `col` of rows[r] by v_r and returns, in one pass, Σ_r c_r x_{rows[r]} over
   * the OLD rows (length stride) followed by Σ_r c_r v_r, with c_r = v_r − old value: the rank
   * correction of XᵀX for the change (chain-design.ts).
   */
  replaceColumn(rows: Int32Array | null, nRows: number, col: number, v: Float64Array): Float64Array;
}

/** Rows of one cache block in the SIMD Gram and xtv loops. */
const ROW_BLOCK = 256;
/** Gram tile: 3 rows × 6 columns (3 f64x2). */
const TILE_ROWS = 3;
const TILE_COLS = 6;
/** xtv: 12 columns (6 f64x2 sums) per pass over a row block. */
const XTV_COLS = 12;
/** Most vectors one dots / xtv call of the SIMD kernels takes (its buffers hold this many). */
const MAX_GROUPS = 3;
/** Zeroed bytes after X, covering the tiles' reads past the last row. */
const SLACK_BYTES = 256;

const roundUp = (v: number, m: number): number => Math.ceil(v / m) * m;

/** Address of row rows[r]: data + rows[r]·stride·8, left on the stack. */
const rowAddress = (data: number, stride: number, rowsPtr: number, r: number): number[][] => [
  op.get(data), op.get(rowsPtr), op.get(r), op.i32(2), op.shl, op.add, op.i32Load(), op.get(stride), op.mul, op.i32(3), op.shl, op.add,
];

/**
 * gram(data, stride, rows, nRows, w, out, outStride, q): out[j·outStride + k] += Σ w x_j x_k,
 * k ≥ j (tile-rounded). The unweighted variant (`gramUnit`, w ignored) skips the load and the
 * multiply by w_r, 25% faster.
 */
function gramKernel(weighted: boolean): FunctionSpec {
  const [data, stride, rows, nRows, w, out, outStride, q] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [j0, k0, r, base, tmp, rEnd, rb] = [8, 9, 10, 11, 12, 13, 14];
  const wr = 15;
  const acc = 16;
  const xs = acc + TILE_ROWS * 3;
  const y = xs + TILE_ROWS;
  const body: number[][] = [];
  const e = (...xsOps: number[][]): void => {
    body.push(...xsOps);
  };
  e(op.i32(0), op.set(rb), op.block, op.loop);
  e(op.get(rb), op.get(nRows), op.geS, op.brIf(1));
  e(op.get(rb), op.i32(ROW_BLOCK), op.add, op.tee(rEnd), op.get(nRows), op.get(rEnd), op.get(nRows), op.ltS, op.select, op.set(rEnd));
  e(op.i32(0), op.set(j0), op.block, op.loop);
  e(op.get(j0), op.get(q), op.geS, op.brIf(1));
  // First column block: the tile-aligned block holding the diagonal.
  e(op.get(j0), op.get(j0), op.i32(TILE_COLS), op.remU, op.sub, op.set(k0), op.block, op.loop);
  e(op.get(k0), op.get(q), op.geS, op.brIf(1));
  for (let a = 0; a < TILE_ROWS * 3; a++) e(op.v128Zero, op.set(acc + a));
  e(op.get(rb), op.set(r), op.block, op.loop);
  e(op.get(r), op.get(rEnd), op.geS, op.brIf(1));
  e(...rowAddress(data, stride, rows, r), op.set(base));
  if (weighted) e(op.get(w), op.get(r), op.i32(3), op.shl, op.add, op.f64Load(), op.set(wr));
  e(op.get(base), op.get(j0), op.i32(3), op.shl, op.add, op.set(tmp));
  for (let j = 0; j < TILE_ROWS; j++) e(op.get(tmp), op.f64Load(8 * j), ...(weighted ? [op.get(wr), op.f64Mul] : []), op.f64x2Splat, op.set(xs + j));
  e(op.get(base), op.get(k0), op.i32(3), op.shl, op.add, op.set(tmp));
  for (let t = 0; t < 3; t++) {
    e(op.get(tmp), op.v128Load(16 * t), op.set(y));
    for (let j = 0; j < TILE_ROWS; j++) e(op.get(acc + j * 3 + t), op.get(xs + j), op.get(y), op.f64x2Mul, op.f64x2Add, op.set(acc + j * 3 + t));
  }
  e(op.get(r), op.i32(1), op.add, op.set(r), op.br(0), op.end, op.end);
  e(op.get(out), op.get(j0), op.get(outStride), op.mul, op.get(k0), op.add, op.i32(3), op.shl, op.add, op.set(tmp));
  for (let j = 0; j < TILE_ROWS; j++) {
    for (let t = 0; t < 3; t++) e(op.get(tmp), op.get(tmp), op.v128Load(16 * t), op.get(acc + j * 3 + t), op.f64x2Add, op.v128Store(16 * t));
    e(op.get(tmp), op.get(outStride), op.i32(3), op.shl, op.add, op.set(tmp));
  }
  e(op.get(k0), op.i32(TILE_COLS), op.add, op.set(k0), op.br(0), op.end, op.end);
  e(op.get(j0), op.i32(TILE_ROWS), op.add, op.set(j0), op.br(0), op.end, op.end);
  e(op.get(rb), op.i32(ROW_BLOCK), op.add, op.set(rb), op.br(0), op.end, op.end);
  return { name: weighted ? 'gram' : 'gramUnit', params: 8, locals: { i32: 7, f64: 1, v128: TILE_ROWS * 3 + TILE_ROWS + 1 }, body };
}

/**
 * dots(data, stride, rows, nRows, beta, out, groups): out[r·groups + g] = x_{rows[r]}ᵀβ_g with
 * β_g = beta[g·stride …], 4 columns per step and a scalar tail; the row is read from memory once
 * for all groups.
 */
function dotsKernel(): FunctionSpec {
  const [data, stride, rows, nRows, beta, out, groups] = [0, 1, 2, 3, 4, 5, 6];
  const [r, base, l, full, g, coef, cell] = [7, 8, 9, 10, 11, 12, 13];
  const sum = 14;
  const [acc0, acc1] = [15, 16];
  const body: number[][] = [];
  const e = (...xs: number[][]): void => {
    body.push(...xs);
  };
  // full = stride − stride mod 4
  e(op.get(stride), op.get(stride), op.i32(4), op.remU, op.sub, op.set(full));
  e(op.i32(0), op.set(r), op.get(out), op.set(cell), op.block, op.loop);
  e(op.get(r), op.get(nRows), op.geS, op.brIf(1));
  e(...rowAddress(data, stride, rows, r), op.set(base));
  e(op.i32(0), op.set(g), op.get(beta), op.set(coef), op.block, op.loop);
  e(op.get(g), op.get(groups), op.geS, op.brIf(1));
  e(op.v128Zero, op.set(acc0), op.v128Zero, op.set(acc1), op.i32(0), op.set(l), op.block, op.loop);
  e(op.get(l), op.get(full), op.geS, op.brIf(1));
  for (const [a, off] of [[acc0, 0], [acc1, 16]] as const) {
    e(op.get(a), op.get(base), op.get(l), op.i32(3), op.shl, op.add, op.v128Load(off), op.get(coef), op.get(l), op.i32(3), op.shl, op.add, op.v128Load(off), op.f64x2Mul, op.f64x2Add, op.set(a));
  }
  e(op.get(l), op.i32(4), op.add, op.set(l), op.br(0), op.end, op.end);
  e(op.get(acc0), op.get(acc1), op.f64x2Add, op.set(acc0));
  e(op.get(acc0), op.f64x2Lane(0), op.get(acc0), op.f64x2Lane(1), op.f64Add, op.set(sum));
  // Scalar tail: columns full..stride−1.
  e(op.block, op.loop, op.get(l), op.get(stride), op.geS, op.brIf(1));
  e(op.get(sum), op.get(base), op.get(l), op.i32(3), op.shl, op.add, op.f64Load(), op.get(coef), op.get(l), op.i32(3), op.shl, op.add, op.f64Load(), op.f64Mul, op.f64Add, op.set(sum));
  e(op.get(l), op.i32(1), op.add, op.set(l), op.br(0), op.end, op.end);
  e(op.get(cell), op.get(sum), op.f64Store(), op.get(cell), op.i32(8), op.add, op.set(cell));
  e(op.get(coef), op.get(stride), op.i32(3), op.shl, op.add, op.set(coef));
  e(op.get(g), op.i32(1), op.add, op.set(g), op.br(0), op.end, op.end);
  e(op.get(r), op.i32(1), op.add, op.set(r), op.br(0), op.end, op.end);
  return { name: 'dots', params: 7, locals: { i32: 7, f64: 1, v128: 2 }, body };
}

/**
 * xtv(data, stride, rows, nRows, v, out, width, groups): out[g·width + l] += Σ_r v[r·groups + g]·
 * x_{rows[r], l}, l < width (a multiple of 12); each block of 256 rows is re-read from cache for
 * every group and 12-column slice.
 */
function xtvKernel(): FunctionSpec {
  const [data, stride, rows, nRows, v, out, width, groups] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [rb, rEnd, l0, r, base, g] = [8, 9, 10, 11, 12, 13];
  const acc = 14;
  const s = acc + XTV_COLS / 2;
  const body: number[][] = [];
  const e = (...xs: number[][]): void => {
    body.push(...xs);
  };
  e(op.i32(0), op.set(rb), op.block, op.loop);
  e(op.get(rb), op.get(nRows), op.geS, op.brIf(1));
  e(op.get(rb), op.i32(ROW_BLOCK), op.add, op.tee(rEnd), op.get(nRows), op.get(rEnd), op.get(nRows), op.ltS, op.select, op.set(rEnd));
  e(op.i32(0), op.set(g), op.block, op.loop);
  e(op.get(g), op.get(groups), op.geS, op.brIf(1));
  e(op.i32(0), op.set(l0), op.block, op.loop);
  e(op.get(l0), op.get(width), op.geS, op.brIf(1));
  for (let t = 0; t < XTV_COLS / 2; t++) e(op.v128Zero, op.set(acc + t));
  e(op.get(rb), op.set(r), op.block, op.loop);
  e(op.get(r), op.get(rEnd), op.geS, op.brIf(1));
  e(...rowAddress(data, stride, rows, r), op.get(l0), op.i32(3), op.shl, op.add, op.set(base));
  e(op.get(v), op.get(r), op.get(groups), op.mul, op.get(g), op.add, op.i32(3), op.shl, op.add, op.f64Load(), op.f64x2Splat, op.set(s));
  for (let t = 0; t < XTV_COLS / 2; t++) e(op.get(acc + t), op.get(s), op.get(base), op.v128Load(16 * t), op.f64x2Mul, op.f64x2Add, op.set(acc + t));
  e(op.get(r), op.i32(1), op.add, op.set(r), op.br(0), op.end, op.end);
  e(op.get(out), op.get(g), op.get(width), op.mul, op.get(l0), op.add, op.i32(3), op.shl, op.add, op.set(base));
  for (let t = 0; t < XTV_COLS / 2; t++) e(op.get(base), op.get(base), op.v128Load(16 * t), op.get(acc + t), op.f64x2Add, op.v128Store(16 * t));
  e(op.get(l0), op.i32(XTV_COLS), op.add, op.set(l0), op.br(0), op.end, op.end);
  e(op.get(g), op.i32(1), op.add, op.set(g), op.br(0), op.end, op.end);
  e(op.get(rb), op.i32(ROW_BLOCK), op.add, op.set(rb), op.br(0), op.end, op.end);
  return { name: 'xtv', params: 8, locals: { i32: 6, f64: 0, v128: XTV_COLS / 2 + 1 }, body };
}

/**
 * replace(data, stride, rows, nRows, v, col, acc, width): per row, c = v_r − x_col; acc[0..width)
 * += c·x (old row, f64x2 steps, width even); acc[width] += c·v_r; x_col = v_r.
 */
function replaceKernel(): FunctionSpec {
  const [data, stride, rows, nRows, v, col, acc, width] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [r, base, l, cell] = [8, 9, 10, 11];
  const [change, value, self] = [12, 13, 14];
  const s = 15;
  const body: number[][] = [];
  const e = (...xs: number[][]): void => {
    body.push(...xs);
  };
  e(op.i32(0), op.set(r), op.block, op.loop);
  e(op.get(r), op.get(nRows), op.geS, op.brIf(1));
  e(...rowAddress(data, stride, rows, r), op.set(base));
  e(op.get(base), op.get(col), op.i32(3), op.shl, op.add, op.set(cell));
  e(op.get(v), op.get(r), op.i32(3), op.shl, op.add, op.f64Load(), op.tee(value), op.get(cell), op.f64Load(), op.f64Sub, op.tee(change));
  e(op.f64x2Splat, op.set(s));
  e(op.get(self), op.get(change), op.get(value), op.f64Mul, op.f64Add, op.set(self));
  e(op.i32(0), op.set(l), op.block, op.loop);
  e(op.get(l), op.get(width), op.geS, op.brIf(1));
  e(op.get(acc), op.get(l), op.i32(3), op.shl, op.add, op.tee(cell));
  e(op.get(cell), op.v128Load(), op.get(s), op.get(base), op.get(l), op.i32(3), op.shl, op.add, op.v128Load(), op.f64x2Mul, op.f64x2Add, op.v128Store());
  e(op.get(l), op.i32(2), op.add, op.set(l), op.br(0), op.end, op.end);
  e(op.get(base), op.get(col), op.i32(3), op.shl, op.add, op.get(value), op.f64Store());
  e(op.get(r), op.i32(1), op.add, op.set(r), op.br(0), op.end, op.end);
  e(op.get(acc), op.get(width), op.i32(3), op.shl, op.add, op.get(self), op.f64Store());
  return { name: 'replace', params: 8, locals: { i32: 4, f64: 3, v128: 1 }, body };
}

let compiled: WebAssembly.Module | null | undefined;

/** The kernels' module, compiled once per thread; null when WebAssembly SIMD is unavailable. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(encodeModule([gramKernel(true), gramKernel(false), dotsKernel(), xtvKernel(), replaceKernel()]));
  } catch {
    compiled = null;
  }
  return compiled;
}

type GramFn = (data: number, stride: number, rows: number, nRows: number, w: number, out: number, outStride: number, q: number) => void;
type DotsFn = (data: number, stride: number, rows: number, nRows: number, beta: number, out: number, groups: number) => void;
type XtvFn = (data: number, stride: number, rows: number, nRows: number, v: number, out: number, width: number, groups: number) => void;
type ReplaceFn = (data: number, stride: number, rows: number, nRows: number, v: number, col: number, acc: number, width: number) => void;

/** Fills out[0..nRows) with `rows` or, when null, with 0..nRows−1. */
function copyRows(out: Int32Array, rows: Int32Array | null, nRows: number): void {
  if (rows) out.set(rows.subarray(0, nRows));
  else for (let r = 0; r < nRows; r++) out[r] = r;
}

/** Full symmetric p × p from the upper triangle of a p-row block with row stride `outStride`. */
function symmetricFrom(upper: Float64Array, p: number, outStride: number): Float64Array {
  const full = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      const v = upper[j * outStride + k]!;
      full[j * p + k] = v;
      full[k * p + j] = v;
    }
  }
  return full;
}

class WasmRowKernels implements RowKernels {
  readonly engine = 'wasm-simd';
  readonly data: Float64Array;
  private readonly rowsBuf: Int32Array;
  private readonly vecBuf: Float64Array;
  private readonly outBuf: Float64Array;
  private readonly gramBuf: Float64Array;
  private readonly gramStride: number;
  private readonly xtvWidth: number;
  private readonly ptr: { rows: number; vec: number; out: number; gram: number };
  private readonly fn: { gram: GramFn; gramUnit: GramFn; dots: DotsFn; xtv: XtvFn; replace: ReplaceFn };

  constructor(
    readonly rows: number,
    readonly stride: number,
    memory: WebAssembly.Memory,
    instance: WebAssembly.Instance,
    layout: Layout,
  ) {
    const buffer = memory.buffer;
    this.data = new Float64Array(buffer, 0, rows * stride);
    this.rowsBuf = new Int32Array(buffer, layout.rows, rows);
    this.vecBuf = new Float64Array(buffer, layout.vec, MAX_GROUPS * Math.max(rows, layout.xtvWidth));
    this.outBuf = new Float64Array(buffer, layout.out, MAX_GROUPS * Math.max(rows, layout.xtvWidth + 2));
    this.gramStride = layout.gramStride;
    this.xtvWidth = layout.xtvWidth;
    this.gramBuf = new Float64Array(buffer, layout.gram, (stride + TILE_ROWS) * layout.gramStride);
    this.ptr = { rows: layout.rows, vec: layout.vec, out: layout.out, gram: layout.gram };
    const ex = instance.exports as unknown as { gram: GramFn; gramUnit: GramFn; dots: DotsFn; xtv: XtvFn; replace: ReplaceFn };
    this.fn = { gram: ex.gram, gramUnit: ex.gramUnit, dots: ex.dots, xtv: ex.xtv, replace: ex.replace };
  }

  dots(rows: Int32Array | null, nRows: number, beta: Float64Array, groups = 1): Float64Array {
    copyRows(this.rowsBuf, rows, nRows);
    const stride = this.stride;
    if (groups <= MAX_GROUPS) {
      this.vecBuf.set(beta.subarray(0, groups * stride));
      this.fn.dots(0, stride, this.ptr.rows, nRows, this.ptr.vec, this.ptr.out, groups);
      return this.outBuf.slice(0, nRows * groups);
    }
    const out = new Float64Array(nRows * groups);
    for (let g0 = 0; g0 < groups; g0 += MAX_GROUPS) {
      const gc = Math.min(MAX_GROUPS, groups - g0);
      this.vecBuf.set(beta.subarray(g0 * stride, (g0 + gc) * stride));
      this.fn.dots(0, stride, this.ptr.rows, nRows, this.ptr.vec, this.ptr.out, gc);
      for (let r = 0; r < nRows; r++) for (let g = 0; g < gc; g++) out[r * groups + g0 + g] = this.outBuf[r * gc + g]!;
    }
    return out;
  }

  xtv(rows: Int32Array | null, nRows: number, v: Float64Array, groups = 1): Float64Array {
    copyRows(this.rowsBuf, rows, nRows);
    const stride = this.stride;
    const width = this.xtvWidth;
    const out = new Float64Array(groups * stride);
    for (let g0 = 0; g0 < groups; g0 += MAX_GROUPS) {
      const gc = Math.min(MAX_GROUPS, groups - g0);
      if (gc === groups) this.vecBuf.set(v.subarray(0, nRows * groups));
      else for (let r = 0; r < nRows; r++) for (let g = 0; g < gc; g++) this.vecBuf[r * gc + g] = v[r * groups + g0 + g]!;
      this.outBuf.fill(0, 0, gc * width);
      this.fn.xtv(0, stride, this.ptr.rows, nRows, this.ptr.vec, this.ptr.out, width, gc);
      for (let g = 0; g < gc; g++) out.set(this.outBuf.subarray(g * width, g * width + stride), (g0 + g) * stride);
    }
    return out;
  }

  gram(rows: Int32Array | null, nRows: number, w?: Float64Array): Float64Array {
    copyRows(this.rowsBuf, rows, nRows);
    if (w) this.vecBuf.set(w.subarray(0, nRows));
    this.gramBuf.fill(0);
    (w ? this.fn.gram : this.fn.gramUnit)(0, this.stride, this.ptr.rows, nRows, this.ptr.vec, this.ptr.gram, this.gramStride, this.stride);
    return symmetricFrom(this.gramBuf, this.stride, this.gramStride);
  }

  replaceColumn(rows: Int32Array | null, nRows: number, col: number, v: Float64Array): Float64Array {
    copyRows(this.rowsBuf, rows, nRows);
    this.vecBuf.set(v.subarray(0, nRows));
    const width = roundUp(this.stride, 2);
    this.outBuf.fill(0, 0, width + 1);
    this.fn.replace(0, this.stride, this.ptr.rows, nRows, this.ptr.vec, col, this.ptr.out, width);
    const out = this.outBuf.slice(0, this.stride + 1);
    out[this.stride] = this.outBuf[width]!;
    return out;
  }
}

interface Layout {
  readonly rows: number;
  readonly vec: number;
  readonly out: number;
  readonly gram: number;
  readonly gramStride: number;
  readonly xtvWidth: number;
  readonly bytes: number;
}

/** Byte offsets (16-aligned) of X, its slack, and the row-list, vector, output and Gram buffers. */
function layoutFor(n: number, stride: number): Layout {
  const align = (v: number): number => roundUp(v, 16);
  const gramStride = roundUp(stride, TILE_COLS);
  const xtvWidth = roundUp(stride, XTV_COLS);
  const rows = align(n * stride * 8 + SLACK_BYTES);
  const vec = align(rows + n * 4);
  const out = align(vec + MAX_GROUPS * Math.max(n, xtvWidth) * 8);
  const gram = align(out + MAX_GROUPS * Math.max(n, xtvWidth + 2) * 8);
  const bytes = gram + (stride + TILE_ROWS) * gramStride * 8 + SLACK_BYTES;
  return { rows, vec, out, gram, gramStride, xtvWidth, bytes };
}

const PAGE = 65536;
const MAX_PAGES = 65536;

/**
 * Kernels over a new zeroed n × stride matrix (fill `data`, then call the products): in a
 * WebAssembly memory when possible, else in a plain Float64Array.
 */
export function createRowKernels(n: number, stride: number): RowKernels {
  const module = kernelModule();
  const layout = layoutFor(n, stride);
  const pages = Math.ceil(layout.bytes / PAGE);
  if (module && pages <= MAX_PAGES) {
    try {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      return new WasmRowKernels(n, stride, memory, instance, layout);
    } catch {
      // Out of memory for one contiguous block: the JS loops need no such block.
    }
  }
  return jsRowKernels(new Float64Array(n * stride), n, stride);
}

/** The same products as plain JS loops over an existing row-major matrix. */
export function jsRowKernels(data: Float64Array, n: number, stride: number): RowKernels {
  const rowOf = (rows: Int32Array | null, r: number): number => (rows ? rows[r]! : r);
  return {
    engine: 'js',
    data,
    rows: n,
    stride,
    dots(rows, nRows, beta, groups = 1) {
      const out = new Float64Array(nRows * groups);
      for (let r = 0; r < nRows; r++) {
        const base = rowOf(rows, r) * stride;
        for (let g = 0; g < groups; g++) {
          let s = 0;
          for (let l = 0; l < stride; l++) s += data[base + l]! * beta[g * stride + l]!;
          out[r * groups + g] = s;
        }
      }
      return out;
    },
    xtv(rows, nRows, v, groups = 1) {
      const out = new Float64Array(groups * stride);
      for (let r = 0; r < nRows; r++) {
        const base = rowOf(rows, r) * stride;
        for (let g = 0; g < groups; g++) {
          const f = v[r * groups + g]!;
          for (let l = 0; l < stride; l++) out[g * stride + l] = out[g * stride + l]! + f * data[base + l]!;
        }
      }
      return out;
    },
    gram(rows, nRows, w) {
      const out = new Float64Array(stride * stride);
      const block = 512;
      const buffer = new Float64Array(Math.min(nRows, block) * stride);
      const weights = new Float64Array(Math.min(nRows, block));
      for (let s = 0; s < nRows; s += block) {
        const e = Math.min(nRows, s + block);
        for (let r = s; r < e; r++) {
          const src = rowOf(rows, r) * stride;
          buffer.set(data.subarray(src, src + stride), (r - s) * stride);
          weights[r - s] = w ? w[r]! : 1;
        }
        crossprodRange({ data: buffer, rows: e - s, cols: stride }, weights, 0, e - s, out);
      }
      symmetrizeUpper(out, stride);
      return out;
    },
    replaceColumn(rows, nRows, col, v) {
      const out = new Float64Array(stride + 1);
      for (let r = 0; r < nRows; r++) {
        const base = rowOf(rows, r) * stride;
        const change = v[r]! - data[base + col]!;
        for (let l = 0; l < stride; l++) out[l] = out[l]! + change * data[base + l]!;
        out[stride] = out[stride]! + change * v[r]!;
        data[base + col] = v[r]!;
      }
      return out;
    },
  };
}
