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
  const estimatorLabel = r.estimator === 'matching' ? 'matching (weighted difference in means)' : r.estimator === 'ipw' ? 'inverse probability weighting' : 'augmented IPW (doubly robust)';
  out.push(`Causeway ${r.engineVersion} — ${r.estimand} by ${estimatorLabel}`);
  out.push('');
  out.push(`  Estimate   ${fmt(r.estimate)}`);
  out.push(`  SE         ${fmt(r.se)}   (${r.seType})`);
  out.push(`  95% CI     [${fmt(r.ci95[0])}, ${fmt(r.ci95[1])}]`);
  out.push(`  p-value    ${fmtP(r.pValue)}`);
  if (r.gComputation) {
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
