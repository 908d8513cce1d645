/**
 * Balance rows for the report, laid out as MatchIt's `summary.matchit`: numeric covariates as
 * they are, categorical covariates as one indicator per level (all levels, not treatment
 * contrasts, as summary.matchit shows them). The statistics are balance/summary's
 * (`summary.matchit(un = TRUE)`: SMD with the unmatched treated SD, variance ratio, eCDF).
 */
import { balanceColumns, type BalanceColumn } from '../balance/summary';
import type { Column } from '../data/frame';
import type { BalanceRow } from './options';

/** Balance columns: numeric covariates as they are (no copy), categoricals as 0/1 indicators. */
function expand(columns: readonly Column[], n: number): BalanceColumn[] {
  const out: BalanceColumn[] = [];
  for (const c of columns) {
    if (c.kind === 'numeric') {
      out.push({ name: c.name, values: c.values });
      continue;
    }
    c.levels.forEach((level, k) => {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = c.codes[i] === k ? 1 : 0;
      out.push({ name: `${c.name}${level}`, values });
    });
  }
  return out;
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

export function balanceRows(covariates: readonly Column[], treat: Uint8Array, weightsAfter: Float64Array): BalanceRow[] {
  const n = treat.length;
  const columns = expand(covariates, n);
  // The report shows the eCDF after matching only.
  const { before, after } = balanceColumns(columns, treat, weightsAfter, { estimand: 'ATT', ecdfBefore: false });
  return columns.map(({ name }, j) => ({
    covariate: name,
    smdBefore: before[j]!.smd,
    smdAfter: after[j]!.smd,
    varianceRatioBefore: orNull(before[j]!.varRatio),
    varianceRatioAfter: orNull(after[j]!.varRatio),
    ecdfMeanAfter: after[j]!.ecdfMean,
    ecdfMaxAfter: after[j]!.ecdfMax,
  }));
}
