/**
 * Balance rows for the report, laid out as MatchIt's `summary.matchit`: numeric covariates as
 * they are, categorical covariates as one indicator per level (all levels, not treatment
 * contrasts, as summary.matchit shows them). The statistics are balance/summary's
 * (`summary.matchit(un = TRUE)`: SMD with the unmatched treated SD, variance ratio, eCDF).
 */
import { balanceSummary } from '../balance/summary';
import type { Column } from '../data/frame';
import type { BalanceRow } from './options';

function expand(columns: readonly Column[], n: number): { names: string[]; data: Float64Array; cols: number } {
  const vars: { name: string; value: (i: number) => number }[] = [];
  for (const c of columns) {
    if (c.kind === 'numeric') vars.push({ name: c.name, value: (i) => c.values[i]! });
    else c.levels.forEach((level, k) => vars.push({ name: `${c.name}${level}`, value: (i) => (c.codes[i] === k ? 1 : 0) }));
  }
  const cols = vars.length;
  const data = new Float64Array(n * cols);
  vars.forEach((v, j) => {
    for (let i = 0; i < n; i++) data[i * cols + j] = v.value(i);
  });
  return { names: vars.map((v) => v.name), data, cols };
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

export function balanceRows(covariates: readonly Column[], treat: Uint8Array, weightsAfter: Float64Array): BalanceRow[] {
  const n = treat.length;
  const { names, data, cols } = expand(covariates, n);
  const { before, after } = balanceSummary({ data, rows: n, cols }, names, treat, weightsAfter, { estimand: 'ATT' });
  return names.map((name, j) => ({
    covariate: name,
    smdBefore: before[j]!.smd,
    smdAfter: after[j]!.smd,
    varianceRatioBefore: orNull(before[j]!.varRatio),
    varianceRatioAfter: orNull(after[j]!.varRatio),
    ecdfMeanAfter: after[j]!.ecdfMean,
    ecdfMaxAfter: after[j]!.ecdfMax,
  }));
}
