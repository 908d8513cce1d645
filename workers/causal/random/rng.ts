/**
 * Seeded pseudo-random numbers for the numeric core. Every stochastic step (m.order = "random",
 * bootstrap, MICE draws, permutation refuters) takes an `Rng` argument; `Math.random()` is never
 * used, so the same seed gives bit-identical results on every platform.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), 32-bit state words so it runs on plain
 * integer arithmetic in JS; seeds are expanded with splitmix32. Doubles use 53 random bits.
 */
export interface Rng {
  /** Uniform in [0, 1) with 53 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal draw (Marsaglia polar method, no cached pair so the stream stays simple). */
  normal(): number;
  /** Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 boosted by U^(1/shape)). */
  gamma(shape: number): number;
  /** Chi-square draw with `df` degrees of freedom. */
  chiSquare(df: number): number;
  /** Poisson draw (inversion for small means, normal-free PTRS is not needed at our sizes). */
  poisson(mean: number): number;
  /** An independent stream derived from this generator's seed and a label (e.g. imputation j). */
  derive(label: string | number): Rng;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a string, used to turn labels and string seeds into 32-bit seeds. */
export function hashSeed(value: string | number): number {
  const text = String(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(private readonly seed: number) {
    const init = splitmix32(seed);
    this.s0 = init();
    this.s1 = init();
    this.s2 = init();
    this.s3 = init();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  nextInt(n: number): number {
    if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`nextInt needs a positive bound, got ${n}`);
    return Math.floor(this.next() * n);
  }

  normal(): number {
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }

  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be positive, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  chiSquare(df: number): number {
    return 2 * this.gamma(df / 2);
  }

  poisson(mean: number): number {
    if (!(mean >= 0)) throw new RangeError(`poisson mean must be non-negative, got ${mean}`);
    if (mean > 30) {
      // Sum of independent Poissons keeps inversion accurate without long products.
      const half = mean / 2;
      return this.poisson(half) + this.poisson(mean - half);
    }
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.next();
    while (product > limit) {
      k++;
      product *= this.next();
    }
    return k;
  }

  derive(label: string | number): Rng {
    return new Xoshiro128(hashSeed(`${this.seed}:${label}`));
  }
}

/** Creates a generator from a numeric or string seed (e.g. `${tenantId}:${runId}`). */
export function createRng(seed: number | string): Rng {
  const numeric = typeof seed === 'number' && Number.isInteger(seed) ? seed >>> 0 : hashSeed(seed);
  return new Xoshiro128(numeric);
}

/** Fisher–Yates shuffle of an index permutation 0..n-1, driven by `rng`. */
export function permutation(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}
