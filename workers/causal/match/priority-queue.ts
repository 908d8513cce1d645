/**
 * Binary min-heap of integer ids keyed by (primary, secondary) doubles, used by best-first
 * ("closest"/"farthest") matching. Lazy: an id may be pushed again with a new key after the
 * caller bumped its version; stale entries are recognised by the caller and dropped.
 */
export class PairHeap {
  private ids: Int32Array;
  private k1: Float64Array;
  private k2: Float64Array;
  private size = 0;

  constructor(capacity = 16) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.k1 = new Float64Array(Math.max(1, capacity));
    this.k2 = new Float64Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.size;
  }

  private less(a: number, b: number): boolean {
    const x = this.k1[a]!;
    const y = this.k1[b]!;
    return x < y || (x === y && this.k2[a]! < this.k2[b]!);
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a]!;
    this.ids[a] = this.ids[b]!;
    this.ids[b] = id;
    const x = this.k1[a]!;
    this.k1[a] = this.k1[b]!;
    this.k1[b] = x;
    const y = this.k2[a]!;
    this.k2[a] = this.k2[b]!;
    this.k2[b] = y;
  }

  push(id: number, key1: number, key2: number): void {
    if (this.size === this.ids.length) {
      const cap = this.ids.length * 2;
      const ids = new Int32Array(cap);
      ids.set(this.ids);
      const k1 = new Float64Array(cap);
      k1.set(this.k1);
      const k2 = new Float64Array(cap);
      k2.set(this.k2);
      this.ids = ids;
      this.k1 = k1;
      this.k2 = k2;
    }
    let i = this.size++;
    this.ids[i] = id;
    this.k1[i] = key1;
    this.k2[i] = key2;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Id at the top (smallest key); −1 when empty. */
  peek(): number {
    return this.size > 0 ? this.ids[0]! : -1;
  }

  pop(): number {
    if (this.size === 0) return -1;
    const top = this.ids[0]!;
    this.size--;
    if (this.size > 0) {
      this.ids[0] = this.ids[this.size]!;
      this.k1[0] = this.k1[this.size]!;
      this.k2[0] = this.k2[this.size]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.size && this.less(l, m)) m = l;
        if (r < this.size && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}
