/**
 * Benchmark: 1-D nearest-neighbour matching (MatchIt semantics) on 1,000,000 units, ~30% treated,
 * 1:1 on the logit of the PS with a 0.2 SD caliper, without replacement. Scores are given; only
 * the matching step is timed. Run: npx tsx bench/matching-1d.ts
 */
import { matchNearest } from '../workers/causal/match/nearest';
import { createRng } from '../workers/causal/random/rng';

const n = Number(process.argv[2] ?? 1_000_000);
const rng = createRng(2024);
const logit = new Float64Array(n);
const treat = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  const x = rng.normal();
  const lp = -1.1 + 1.2 * x + 0.5 * rng.normal();
  logit[i] = lp;
  treat[i] = rng.next() < 1 / (1 + Math.exp(-lp)) ? 1 : 0;
}
let nt = 0;
for (let i = 0; i < n; i++) nt += treat[i]!;

for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const res = matchNearest(logit, treat, { caliper: 0.2 });
  const ms = performance.now() - t0;
  let matched = 0;
  for (let r = 0; r < res.focalIndex.length; r++) if (res.matchMatrix[r]! >= 0) matched++;
  console.log(
    `run ${rep + 1}: n=${n} treated=${nt} (${((100 * nt) / n).toFixed(1)}%) caliper=${res.caliperWidth!.toFixed(4)} matched pairs=${matched} time=${(ms / 1000).toFixed(3)} s`,
  );
}
