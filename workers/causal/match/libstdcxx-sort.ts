/**
 * The exact tie behaviour of the two C++ sorts MatchIt's `find_control_vec` (src/internal.cpp,
 * MatchIt 4.7.2) applies to its candidate list, so that our picks agree with MatchIt even when two
 * candidates are at exactly the same distance:
 * - `std::partial_sort(first, first + k, last, cmp)` as libstdc++ implements it (`__heap_select`
 *   = make_heap on the first k, then every later element that compares less than the heap top
 *   replaces it via `__pop_heap`; then `__sort_heap`). Not stable: the heap decides ties.
 * - `std::sort` on at most 16 elements, which libstdc++ runs as a plain insertion sort (stable).
 *   Longer lists (only possible for ratio ≥ 9) are also insertion-sorted here; libstdc++ would
 *   use introsort, so ties could then be ordered differently (documented deviation).
 * `cmp(a, b)` is `dist[a] < dist[b]` on the candidate slots `ind`.
 */

function pushHeap(ind: Int32Array, dist: Float64Array, hole: number, top: number, value: number): void {
  let parent = (hole - 1) >> 1;
  while (hole > top && dist[ind[parent]!]! < dist[value]!) {
    ind[hole] = ind[parent]!;
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  ind[hole] = value;
}

function adjustHeap(ind: Int32Array, dist: Float64Array, hole: number, len: number, value: number): void {
  const top = hole;
  let second = hole;
  while (second < ((len - 1) >> 1)) {
    second = 2 * (second + 1);
    if (dist[ind[second]!]! < dist[ind[second - 1]!]!) second--;
    ind[hole] = ind[second]!;
    hole = second;
  }
  if ((len & 1) === 0 && second === (len - 2) >> 1) {
    second = 2 * (second + 1);
    ind[hole] = ind[second - 1]!;
    hole = second - 1;
  }
  pushHeap(ind, dist, hole, top, value);
}

function popHeap(ind: Int32Array, dist: Float64Array, last: number, result: number): void {
  const value = ind[result]!;
  ind[result] = ind[0]!;
  adjustHeap(ind, dist, 0, last, value);
}

/** libstdc++ `std::partial_sort(ind, ind + k, ind + n, cmp)`. */
export function partialSortLibstdcxx(ind: Int32Array, n: number, k: number, dist: Float64Array): void {
  if (k >= 2) {
    let parent = (k - 2) >> 1;
    for (;;) {
      adjustHeap(ind, dist, parent, k, ind[parent]!);
      if (parent === 0) break;
      parent--;
    }
  }
  for (let i = k; i < n; i++) {
    if (dist[ind[i]!]! < dist[ind[0]!]!) popHeap(ind, dist, k, i);
  }
  for (let last = k; last > 1; ) {
    last--;
    popHeap(ind, dist, last, last);
  }
}

/** Stable insertion sort of `ind[0..n)` by `dist` (libstdc++ `std::sort` for n ≤ 16). */
export function insertionSortByDist(ind: Int32Array, n: number, dist: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const v = ind[i]!;
    const dv = dist[v]!;
    let j = i - 1;
    while (j >= 0 && dv < dist[ind[j]!]!) {
      ind[j + 1] = ind[j]!;
      j--;
    }
    ind[j + 1] = v;
  }
}
