import { describe, it, expect } from 'vitest';
import { createRng } from '../random/rng';
import { createRowKernels, jsRowKernels } from './row-kernels';
import { encodeModule, op, sleb, uleb } from './wasm-encoder';
import { maxRelDiff } from './test-helpers';

/** Textbook formulas, independent of both kernel implementations. */
const naive = {
  dots: (x: Float64Array, p: number, rows: Int32Array, beta: Float64Array, groups: number): Float64Array => {
    const out = new Float64Array(rows.length * groups);
    rows.forEach((i, r) => {
      for (let g = 0; g < groups; g++) for (let l = 0; l < p; l++) out[r * groups + g] = out[r * groups + g]! + x[i * p + l]! * beta[g * p + l]!;
    });
    return out;
  },
  xtv: (x: Float64Array, p: number, rows: Int32Array, v: Float64Array, groups: number): Float64Array => {
    const out = new Float64Array(groups * p);
    rows.forEach((i, r) => {
      for (let g = 0; g < groups; g++) for (let l = 0; l < p; l++) out[g * p + l] = out[g * p + l]! + v[r * groups + g]! * x[i * p + l]!;
    });
    return out;
  },
  gram: (x: Float64Array, p: number, rows: Int32Array, w: Float64Array | null): Float64Array => {
    const out = new Float64Array(p * p);
    rows.forEach((i, r) => {
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) out[a * p + b] = out[a * p + b]! + (w ? w[r]! : 1) * x[i * p + a]! * x[i * p + b]!;
    });
    return out;
  },
};

// Shapes around every tile edge: 1 column, odd widths, widths above one 12-column slice and a
// multiple of the 6-column tile; row counts below and above the 256-row block.
const shapes: [number, number][] = [[1, 1], [2, 3], [7, 5], [300, 7], [600, 12], [700, 13], [520, 36], [90, 41]];

describe('row kernels (SIMD WebAssembly and JS loops)', () => {
  for (const [n, p] of shapes) {
    it(`dots, xtv, gram and replaceColumn match the textbook sums at ${n} × ${p}`, () => {
      const rng = createRng(n * 100 + p);
      const wasm = createRowKernels(n, p);
      for (let i = 0; i < n * p; i++) wasm.data[i] = rng.normal() * 3 + 1;
      const x = Float64Array.from(wasm.data);
      const js = jsRowKernels(Float64Array.from(x), n, p);
      const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1 || n < 3);
      for (const groups of [1, 2, 3, 5]) {
        const beta = Float64Array.from({ length: groups * p }, () => rng.normal());
        const v = Float64Array.from({ length: rows.length * groups }, () => rng.normal());
        const wantDots = naive.dots(x, p, rows, beta, groups);
        const wantXtv = naive.xtv(x, p, rows, v, groups);
        for (const k of [wasm, js]) {
          expect(maxRelDiff(k.dots(rows, rows.length, beta, groups), wantDots)).toBeLessThan(1e-12);
          expect(maxRelDiff(k.xtv(rows, rows.length, v, groups), wantXtv)).toBeLessThan(1e-12);
        }
      }
      // Signed weights, as in the off-diagonal blocks of the multinomial information.
      const w = Float64Array.from(rows, () => rng.normal());
      for (const k of [wasm, js]) {
        expect(maxRelDiff(k.gram(rows, rows.length, w), naive.gram(x, p, rows, w))).toBeLessThan(1e-12);
        expect(maxRelDiff(k.gram(null, n), naive.gram(x, p, Int32Array.from({ length: n }, (_, i) => i), null))).toBeLessThan(1e-12);
      }
      // replaceColumn: the old-row rank correction, then the new values in place.
      const col = p - 1;
      const next = Float64Array.from(rows, () => rng.normal());
      const change = Float64Array.from(rows, (i, r) => next[r]! - x[i * p + col]!);
      const want = new Float64Array(p + 1);
      want.set(naive.xtv(x, p, rows, change, 1));
      want[p] = change.reduce((s, c, r) => s + c * next[r]!, 0);
      const after = Float64Array.from(x);
      rows.forEach((i, r) => (after[i * p + col] = next[r]!));
      for (const k of [wasm, js]) {
        expect(maxRelDiff(k.replaceColumn(rows, rows.length, col, next), want)).toBeLessThan(1e-12);
        expect(Array.from(k.data)).toEqual(Array.from(after));
      }
    });
  }

  it('runs on WebAssembly SIMD in Node', () => {
    expect(createRowKernels(10, 3).engine).toBe('wasm-simd');
    expect(jsRowKernels(new Float64Array(30), 10, 3).engine).toBe('js');
  });

  it('gives the same bits on every call (fixed summation order)', () => {
    const rng = createRng(3);
    const k = createRowKernels(1000, 36);
    for (let i = 0; i < k.data.length; i++) k.data[i] = rng.normal();
    const rows = Int32Array.from({ length: 1000 }, (_, i) => 999 - i);
    expect(Array.from(k.gram(rows, 1000))).toEqual(Array.from(k.gram(rows, 1000)));
  });
});

/** Unsigned LEB128 decoding, the inverse of `uleb`. */
function decodeLeb(bytes: readonly number[]): number {
  let value = 0;
  bytes.forEach((b, i) => {
    value += (b & 0x7f) * 2 ** (7 * i);
  });
  return value;
}

describe('WebAssembly encoder', () => {
  it('encodes LEB128 as the specification examples', () => {
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0)).toEqual([0]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    for (const v of [0, 1, 127, 128, 300, 2 ** 31 - 1]) expect(decodeLeb(uleb(v))).toBe(v);
  });

  it('emits a module the engine validates and runs', () => {
    // add(a, b, out): f64 out = a·b + a (addresses a, b, out).
    const bytes = encodeModule([
      {
        name: 'add',
        params: 3,
        locals: { i32: 0, f64: 0, v128: 0 },
        body: [op.get(2), op.get(0), op.f64Load(), op.get(1), op.f64Load(), op.f64Mul, op.get(0), op.f64Load(), op.f64Add, op.f64Store()],
      },
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const run = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.add as (a: number, b: number, out: number) => void;
    const f = new Float64Array(memory.buffer, 0, 3);
    f[0] = 1.5;
    f[1] = 4;
    run(0, 8, 16);
    expect(f[2]).toBe(7.5);
  });
});
