/**
 * Frequent values in bounded memory: exact counts until `exactCap` distinct values have been
 * seen, then the Misra–Gries summary with `k` counters (Misra & Gries 1982, "Finding repeated
 * elements"). Misra–Gries counts are lower bounds: each is at most N/(k+1) below the true count,
 * N being the values added, and every value occurring more than N/(k+1) times is kept.
 *
 * On the switch the k largest exact counts are kept; each dropped value's count is at most the
 * (k+1)-th largest, which is ≤ N/(k+1), so the bound holds from then on. Decrementing all
 * counters costs O(k) but removes k+1 units of count, so it is O(1) amortised per value.
 */
export interface TopValue {
  value: string;
  count: number;
}

export class TopValues {
  private counts = new Map<string, number>();
  private exact = true;
  private added = 0;

  constructor(
    private readonly k = 1000,
    private readonly exactCap = 10_000,
    /** Called once, with every value seen and its count, just before exact counting stops. */
    private readonly onLeaveExact?: (entries: Iterable<[string, number]>) => void,
  ) {}

  add(value: string): void {
    this.added++;
    const counts = this.counts;
    const c = counts.get(value);
    if (c !== undefined) {
      counts.set(value, c + 1);
      return;
    }
    if (this.exact) {
      counts.set(detach(value), 1);
      if (counts.size > this.exactCap) this.toSummary();
      return;
    }
    if (counts.size < this.k) {
      counts.set(detach(value), 1);
      return;
    }
    for (const [v, n] of counts) {
      if (n <= 1) counts.delete(v);
      else counts.set(v, n - 1);
    }
  }

  get isExact(): boolean {
    return this.exact;
  }

  /** Distinct values counted exactly so far (meaningful only while `isExact`). */
  get exactDistinct(): number {
    return this.counts.size;
  }

  /** Every value and its exact count (only while `isExact`). */
  exactEntries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  /** Largest possible undercount of any reported count. */
  get maxError(): number {
    return this.exact ? 0 : Math.floor(this.added / (this.k + 1));
  }

  top(n: number): TopValue[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n)
      .map(([value, count]) => ({ value, count }));
  }

  private toSummary(): void {
    this.onLeaveExact?.(this.counts.entries());
    const kept = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, this.k);
    this.counts = new Map(kept);
    this.exact = false;
  }
}

/**
 * A copy of `s` that does not keep its source alive. V8 represents `chunk.slice(a, b)` (13+
 * characters) as a view into the whole decoded chunk, so a value kept in a summary would pin
 * hundreds of KB; concatenating then slicing forces a flat copy of just the value.
 */
export const detach = (s: string): string => (s.length < 13 ? s : (' ' + s).slice(1));
