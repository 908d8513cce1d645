/**
 * A minimal WebAssembly binary encoder (WebAssembly Core Specification 2.0, §5 "Binary Format"),
 * just enough to emit the few numeric kernels of row-kernels.ts from readable TypeScript instead
 * of shipping an opaque .wasm file: LEB128 integers, the type / import / function / export / code
 * sections, and the opcodes the kernels use (i32 arithmetic, f64 and 128-bit SIMD f64x2 loads,
 * stores and arithmetic, structured control flow). Every module is checked by the engine's own
 * validator when compiled.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: readonly number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: readonly number[]): number[] => [id, ...uleb(body.length), ...body];
/** memarg: log2 alignment hint (8 bytes: 3) and a constant byte offset. */
const mem = (align: number, offset: number): number[] => [align, ...uleb(offset)];
const simd = (code: number, ...rest: number[]): number[] => [0xfd, ...uleb(code), ...rest];

/** Instructions, each as its byte sequence. */
export const op = {
  get: (i: number): number[] => [0x20, ...uleb(i)],
  set: (i: number): number[] => [0x21, ...uleb(i)],
  tee: (i: number): number[] => [0x22, ...uleb(i)],
  i32: (v: number): number[] => [0x41, ...sleb(v)],
  i32Load: (offset = 0): number[] => [0x28, ...mem(2, offset)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  remU: [0x70],
  shl: [0x74],
  ltS: [0x48],
  geS: [0x4e],
  select: [0x1b],
  f64Load: (offset = 0): number[] => [0x2b, ...mem(3, offset)],
  f64Store: (offset = 0): number[] => [0x39, ...mem(3, offset)],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  v128Load: (offset = 0): number[] => simd(0x00, ...mem(3, offset)),
  v128Store: (offset = 0): number[] => simd(0x0b, ...mem(3, offset)),
  v128Zero: simd(0x0c, ...new Array<number>(16).fill(0)),
  f64x2Splat: simd(0x14),
  f64x2Lane: (lane: number): number[] => simd(0x21, lane),
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
};

export interface FunctionSpec {
  readonly name: string;
  /** Number of i32 parameters (all parameters are i32 addresses or counts); no results. */
  readonly params: number;
  /** Extra locals by type, declared after the parameters in this order: i32, f64, v128. */
  readonly locals: { readonly i32: number; readonly f64: number; readonly v128: number };
  readonly body: readonly number[][];
}

/** A module importing its memory as env.memory and exporting each function under its name. */
export function encodeModule(functions: readonly FunctionSpec[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [I32])), 0]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]];
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const code = [
      ...vec([
        [...uleb(f.locals.i32), I32],
        [...uleb(f.locals.f64), F64],
        [...uleb(f.locals.v128), V128],
      ]),
      ...f.body.flat(),
      ...op.end,
    ];
    return [...uleb(code.length), ...code];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
