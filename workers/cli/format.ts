/** Human-readable report of an `AnalyzeResult` (the CLI's default output without --json). */
import type { AnalyzeResult } from '../causal/pipeline/options';

const fmt = (x: number | null | undefined, digits = 4): string => {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(3);
  return x.toFixed(digits);
};
const pad = (s: string, w: number): string => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const lpad = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const fmtP = (p: number): string => (Number.isNaN(p) ? '—' : p < 1e-4 ? '< 0.0001' : p.toFixed(4));

export function formatReport(r: AnalyzeResult, timingsMs?: Readonly<Record<string, number>>): string {
  const out: string[] = [];
  // With multiple imputation the matching estimator pools the g-computation by default.
  const pooledG = r.imputation?.pool === 'g-computation';
  const matchingLabel = pooledG ? 'matching (g-computation with treatment × covariate interactions)' : 'matching (weighted difference in means)';
  const estimatorLabel = r.estimator === 'matching' ? matchingLabel : r.estimator === 'ipw' ? 'inverse probability weighting' : 'augmented IPW (doubly robust)';
  out.push(`Causeway ${r.engineVersion} — ${r.estimand} by ${estimatorLabel}`);
  out.push('');
  out.push(`  Estimate   ${fmt(r.estimate)}`);
  out.push(`  SE         ${fmt(r.se)}   (${r.seType})`);
  out.push(`  95% CI     [${fmt(r.ci95[0])}, ${fmt(r.ci95[1])}]`);
  out.push(`  p-value    ${fmtP(r.pValue)}`);
  if (r.gComputation && !pooledG) {
    const g = r.gComputation;
    out.push(`  G-computation (treatment × covariate interactions): ${fmt(g.estimate)} (SE ${fmt(g.se)}, 95% CI [${fmt(g.ci95[0])}, ${fmt(g.ci95[1])}])`);
  }
  out.push('');
  const n = r.n;
  out.push(`Sample: ${n.used} rows used of ${n.rows}; ${n.treated} treated, ${n.control} control.`);
  if (r.estimator === 'matching') {
    out.push(`Matched: ${n.matchedTreated} treated, ${n.matchedControl} control` + (r.matchRate !== null ? ` (${(100 * r.matchRate).toFixed(1)}% of treated matched)` : '') + (r.caliperWidth !== null ? `; caliper width ${fmt(r.caliperWidth, 6)}` : '') + '.');
  }
  const ps = r.propensity;
  out.push(
    `Propensity (${ps.model}, ${ps.link === 'logit' ? 'probability' : 'logit'} scale): AUC ${fmt(ps.auc, 3)}; ` +
      `${ps.treatedOutsideControlRange} treated outside the controls' score range, ${ps.controlOutsideTreatedRange} controls outside the treated range.`,
  );
  if (r.balance.length > 0) {
    out.push('');
    out.push('Balance (standardised mean difference; variance ratio; eCDF after):');
    const w = Math.max(9, ...r.balance.map((b) => b.covariate.length)) + 2;
    out.push(`  ${pad('covariate', w)}${lpad('SMD before', 11)}${lpad('SMD after', 11)}${lpad('VR before', 11)}${lpad('VR after', 10)}${lpad('eCDF mean', 11)}${lpad('eCDF max', 10)}`);
    for (const b of r.balance) {
      const flag = Math.abs(b.smdAfter) > 0.1 ? '  *' : '';
      out.push(
        `  ${pad(b.covariate, w)}${lpad(fmt(b.smdBefore, 3), 11)}${lpad(fmt(b.smdAfter, 3), 11)}${lpad(fmt(b.varianceRatioBefore, 2), 11)}${lpad(fmt(b.varianceRatioAfter, 2), 10)}${lpad(fmt(b.ecdfMeanAfter, 3), 11)}${lpad(fmt(b.ecdfMaxAfter, 3), 10)}${flag}`,
      );
    }
    if (r.balance.some((b) => Math.abs(b.smdAfter) > 0.1)) out.push('  * |SMD| > 0.1 after adjustment');
  }
  if (r.imputation) {
    const im = r.imputation;
    out.push('');
    out.push(`Multiple imputation (${im.mode}): m = ${im.m}, maxit = ${im.maxit}; pooled ${im.pooledEstimator} by Rubin's rules.`);
    out.push(`  df ${fmt(im.df, 1)} (Barnard–Rubin, dfcom ${fmt(im.dfcom, 0)}), FMI ${fmt(im.fmi, 3)}, RIV ${fmt(im.riv, 3)}; ${im.incompleteRows} incomplete rows.`);
    out.push(`  Missing: ${Object.entries(im.missingRates).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(', ')}`);
    const rhat = Object.values(im.convergence.rhat).filter((v) => Number.isFinite(v));
    out.push(`  Convergence: max R̂ ${rhat.length ? fmt(Math.max(...rhat), 3) : '—'} (${im.convergence.converged === null ? 'not computable' : im.convergence.converged ? 'converged' : 'NOT converged'}, threshold ${im.convergence.threshold}).`);
    out.push(`  ${pad('imputation', 12)}${lpad('estimate', 11)}${lpad('SE', 10)}${lpad('matched T', 11)}${lpad('matched C', 11)}${lpad('mean|SMD|', 11)}${lpad('max|SMD|', 10)}`);
    im.perImputation.forEach((p, j) => {
      out.push(`  ${pad(String(j + 1), 12)}${lpad(fmt(p.estimate), 11)}${lpad(fmt(p.se), 10)}${lpad(String(p.matchedTreated), 11)}${lpad(String(p.matchedControl), 11)}${lpad(fmt(p.meanAbsSmd, 3), 11)}${lpad(fmt(p.maxAbsSmd, 3), 10)}`);
    });
    out.push(`  Spread: estimate ${fmt(im.spread.estimate.min)} to ${fmt(im.spread.estimate.max)} (SD ${fmt(im.spread.estimate.sd)}); matched treated ${im.spread.matchedTreated.min}–${im.spread.matchedTreated.max}. Balance above is averaged over imputations.`);
  }
  if (r.sensitivity) {
    const s = r.sensitivity;
    out.push('');
    out.push('Sensitivity to unmeasured confounding:');
    const ro = s.rosenbaum;
    if (ro.method) {
      const median = ro.gammaStarMedian !== null ? `, median over imputations ${fmt(ro.gammaStarMedian, 3)}` : '';
      out.push(`  Rosenbaum (${ro.method}, ${ro.alternative}): Γ* = ${fmt(ro.gammaStar, 3)}${median}`);
      out.push(`    Γ:        ${ro.grid.map((g) => lpad(String(g.gamma), 7)).join('')}`);
      out.push(`    upper p:  ${ro.grid.map((g) => lpad(g.upper < 1e-4 ? '<1e-4' : g.upper.toFixed(4), 7)).join('')}`);
    }
    out.push(`    ${ro.note}`);
    out.push(`  E-value: ${fmt(s.eValue.point, 3)} for the estimate, ${fmt(s.eValue.ci, 3)} for the CI limit nearest the null (${s.eValue.scale}).`);
    const rv = s.robustnessValue;
    out.push(`  Robustness value RV ${fmt(rv.rv, 4)}, RV_α=0.05 ${fmt(rv.rvAlpha, 4)}, partial R²(Y~D|X) ${fmt(rv.partialR2, 4)} (WLS estimate ${fmt(rv.estimate)}, dof ${fmt(rv.dof, 0)}).`);
    for (const b of s.benchmarks) {
      out.push(`  Confounder k × as strong as "${b.covariate}" (R²d ${fmt(b.r2dxjX, 4)}, R²y ${fmt(b.r2yxjDx, 4)}):`);
      for (const k of b.bounds) out.push(`    k = ${k.k}: adjusted estimate ${fmt(k.adjustedEstimate)} [${fmt(k.adjustedCi95[0])}, ${fmt(k.adjustedCi95[1])}]`);
    }
    for (const ref of s.refuters) out.push(`  Refuter ${ref.name}: ${ref.verdict.toUpperCase()} — ${ref.explanation}`);
    for (const n of s.notes) out.push(`  Note: ${n}`);
  }
  if (r.negativeControl) {
    const nc = r.negativeControl;
    out.push('');
    out.push(`Negative control "${nc.column}": ${fmt(nc.estimate)} [${fmt(nc.ci95[0])}, ${fmt(nc.ci95[1])}] — ${nc.verdict.toUpperCase()}. ${nc.explanation}`);
  }
  if (r.warnings.length > 0) {
    out.push('');
    out.push('Warnings:');
    for (const w of r.warnings) out.push(`  - ${w}`);
  }
  if (timingsMs) {
    out.push('');
    out.push('Timings (ms): ' + Object.entries(timingsMs).map(([k, v]) => `${k} ${v}`).join(', '));
  }
  return out.join('\n') + '\n';
}
