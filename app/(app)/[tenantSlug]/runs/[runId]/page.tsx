import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { outcomeLabels, type OutcomeName } from '../../../../../server/services/studies/study-spec';
import { orNotFound, serverCaller } from '../../../../_trpc/server';
import { LovePlot } from './love-plot';
import { OverlapPlot } from './overlap-plot';

export const metadata: Metadata = { title: 'Result' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RunResult {
  headline: string;
  grade: string;
  gradeReasons: string[];
  warnings: { code: string; message: string; severity: string }[];
  outcome: OutcomeName;
  counts: { cohort: number; participants: number; comparison: number; outcomeNotObservable: number };
  droppedCovariates: { covariate: string; reason: string }[];
  costPerAdditional: number | null;
  subgroups: { subgroup: string; level: string; participants: number; comparison: number; suppressed: boolean; estimate: number | null; ci95: [number, number] | null; note: string | null }[];
  analysis: {
    estimate: number;
    se: number;
    seType: string;
    ci95: [number, number];
    pValue: number;
    n: { treated: number; control: number; matchedTreated: number; matchedControl: number };
    matchRate: number | null;
    caliperWidth: number | null;
    balance: { covariate: string; smdBefore: number; smdAfter: number; varianceRatioBefore: number | null; varianceRatioAfter: number | null; ecdfMeanAfter: number; ecdfMaxAfter: number }[];
    propensity: { model: string; link: string; auc: number; treatedRange: [number, number]; controlRange: [number, number]; treatedOutsideControlRange: number; controlOutsideTreatedRange: number; histogram?: { edges: number[]; treated: number[]; control: number[] } };
    imputation?: { m: number; df: number; fmi: number };
    sensitivity?: {
      rosenbaum: { gammaStar: number | null; note: string };
      eValue: { point: number | null; ci: number | null; scale: string; note: string };
      robustnessValue: { rv: number | null; rvAlpha: number | null; partialR2: number | null; note: string };
      benchmarks: { covariate: string; bounds: { k: number; adjustedEstimate: number; adjustedCi95: [number, number] }[] }[];
    };
    negativeControl?: { estimate: number; ci95: [number, number]; verdict: string };
    warnings: string[];
  };
}

const f = (value: number | null | undefined, digits = 2) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));
const GRADE_STYLE: Record<string, string> = { A: 'bg-green-600', B: 'bg-lime-600', C: 'bg-amber-500', D: 'bg-red-600' };

export default async function RunResultPage({ params }: { params: Promise<{ tenantSlug: string; runId: string }> }) {
  const { tenantSlug, runId } = await params;
  if (!UUID.test(runId)) notFound();
  const caller = await serverCaller();
  await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  const run = await orNotFound(caller.runs.get({ tenantSlug, runId }));
  if (run.status !== 'succeeded' || !run.result) {
    return <p className="text-slate-700">This run has not finished ({run.status}).</p>;
  }
  const result = run.result as unknown as RunResult;
  const a = result.analysis;
  const binary = outcomeLabels[result.outcome].binary;
  const scale = binary ? 100 : 1;
  const s = a.sensitivity;
  return (
    <div className="space-y-10">
      <section aria-labelledby="headline" className="rounded-xl border border-slate-200 bg-white p-6">
        <div className="flex items-start justify-between gap-6">
          <div>
            <p className="text-sm uppercase tracking-wide text-slate-500">Result</p>
            <h1 id="headline" className="mt-1 text-xl font-semibold text-brand-900">
              {result.headline}
            </h1>
          </div>
          <div className="text-center">
            <span className={`inline-flex h-14 w-14 items-center justify-center rounded-full text-2xl font-bold text-white ${GRADE_STYLE[result.grade] ?? 'bg-slate-500'}`} aria-label={`Evidence grade ${result.grade}`}>
              {result.grade}
            </span>
            <p className="mt-1 text-xs text-slate-500">evidence grade</p>
          </div>
        </div>
        <ul className="mt-4 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {result.gradeReasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        <p className="mt-4 flex gap-4 text-sm">
          <a href={`/api/tenants/${tenantSlug}/runs/${runId}/export?format=csv`} className="font-medium text-brand-600 hover:underline">
            Download CSV
          </a>
          <a href={`/api/tenants/${tenantSlug}/runs/${runId}/export?format=json`} className="font-medium text-brand-600 hover:underline">
            Download JSON
          </a>
          <Link href={`/${tenantSlug}/runs/${runId}/report`} className="font-medium text-brand-600 hover:underline">
            Printable report
          </Link>
        </p>
      </section>

      <section aria-labelledby="sample">
        <h2 id="sample" className="text-lg font-semibold">
          Who was compared
        </h2>
        <table className="mt-2 w-full max-w-2xl rounded-xl border border-slate-200 bg-white text-sm">
          <tbody>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Students in the cohort with an observable outcome</th><td className="px-4 py-2">{result.counts.participants + result.counts.comparison}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Participants / non-participants</th><td className="px-4 py-2">{a.n.treated} / {a.n.control}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Matched participants / comparison students</th><td className="px-4 py-2">{a.n.matchedTreated} / {a.n.matchedControl}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Match rate</th><td className="px-4 py-2">{a.matchRate === null ? '—' : `${f(a.matchRate * 100, 0)}%`}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Estimate (SE, {a.seType})</th><td className="px-4 py-2">{f(a.estimate * scale, binary ? 1 : 3)} ({f(a.se * scale, binary ? 1 : 3)}), p = {f(a.pValue, 4)}</td></tr>
            {a.imputation ? <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Multiple imputation</th><td className="px-4 py-2">{a.imputation.m} imputations, df {f(a.imputation.df, 1)}, fraction of missing information {f(a.imputation.fmi, 3)}</td></tr> : null}
            {result.costPerAdditional !== null ? <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Cost per additional student</th><td className="px-4 py-2">${Math.round(result.costPerAdditional).toLocaleString('en-US')}</td></tr> : null}
          </tbody>
        </table>
        {result.droppedCovariates.length ? (
          <p className="mt-2 text-sm text-slate-600">Left out: {result.droppedCovariates.map((d) => `${d.covariate} (${d.reason})`).join('; ')}.</p>
        ) : null}
      </section>

      {result.warnings.length ? (
        <section aria-labelledby="warnings">
          <h2 id="warnings" className="text-lg font-semibold">Warnings</h2>
          <ul className="mt-2 space-y-2">
            {result.warnings.map((w) => (
              <li key={w.code} className={`rounded-md px-3 py-2 text-sm ${w.severity === 'major' ? 'bg-red-50 text-red-900' : 'bg-amber-50 text-amber-900'}`}>{w.message}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="balance">
        <h2 id="balance" className="text-lg font-semibold">Covariate balance</h2>
        <LovePlot rows={a.balance} />
        <table className="mt-3 w-full rounded-xl border border-slate-200 bg-white text-sm">
          <caption className="sr-only">Balance table</caption>
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">Covariate</th>
              <th className="px-3 py-2">SMD before</th>
              <th className="px-3 py-2">SMD after</th>
              <th className="px-3 py-2">Variance ratio after</th>
              <th className="px-3 py-2">eCDF max after</th>
            </tr>
          </thead>
          <tbody>
            {a.balance.map((b) => (
              <tr key={b.covariate} className="border-t border-slate-100">
                <td className="px-3 py-2 font-mono">{b.covariate}</td>
                <td className="px-3 py-2">{f(b.smdBefore, 3)}</td>
                <td className={`px-3 py-2 ${Math.abs(b.smdAfter) > 0.1 ? 'font-semibold text-red-700' : ''}`}>{f(b.smdAfter, 3)}</td>
                <td className="px-3 py-2">{f(b.varianceRatioAfter, 2)}</td>
                <td className="px-3 py-2">{f(b.ecdfMaxAfter, 3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="overlap">
        <h2 id="overlap" className="text-lg font-semibold">Propensity-score overlap</h2>
        {a.propensity.histogram ? (
          <>
            <OverlapPlot histogram={a.propensity.histogram} />
            <details className="mt-2 text-sm">
              <summary className="cursor-pointer text-brand-600">Overlap as a table</summary>
              <table className="mt-2 rounded-xl border border-slate-200 bg-white text-xs">
                <caption className="sr-only">Share of each group per propensity-score bin</caption>
                <thead className="bg-slate-100">
                  <tr><th className="px-2 py-1">Score</th><th className="px-2 py-1">Participants</th><th className="px-2 py-1">Non-participants</th></tr>
                </thead>
                <tbody>
                  {a.propensity.histogram.treated.map((share, k) => (
                    <tr key={k} className="border-t border-slate-100">
                      <td className="px-2 py-1">{f(a.propensity.histogram!.edges[k], 2)}–{f(a.propensity.histogram!.edges[k + 1], 2)}</td>
                      <td className="px-2 py-1">{f(share * 100, 1)}%</td>
                      <td className="px-2 py-1">{f(a.propensity.histogram!.control[k]! * 100, 1)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        ) : null}
        <table className="mt-2 w-full max-w-2xl rounded-xl border border-slate-200 bg-white text-sm">
          <tbody>
            <tr><th className="px-4 py-2 text-left font-normal text-slate-600">Model</th><td className="px-4 py-2">{a.propensity.model}, distance on the {a.propensity.link === 'linear.logit' ? 'logit' : 'probability'} scale{a.caliperWidth !== null ? `, caliper ${f(a.caliperWidth, 3)}` : ''}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">AUC</th><td className="px-4 py-2">{f(a.propensity.auc, 3)}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Participants’ score range</th><td className="px-4 py-2">{f(a.propensity.treatedRange[0], 3)} – {f(a.propensity.treatedRange[1], 3)}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Non-participants’ score range</th><td className="px-4 py-2">{f(a.propensity.controlRange[0], 3)} – {f(a.propensity.controlRange[1], 3)}</td></tr>
            <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Participants outside the comparison range</th><td className="px-4 py-2">{a.propensity.treatedOutsideControlRange}</td></tr>
          </tbody>
        </table>
      </section>

      {s ? (
        <section aria-labelledby="sensitivity">
          <h2 id="sensitivity" className="text-lg font-semibold">How sure are we? Sensitivity to hidden confounding</h2>
          <table className="mt-2 w-full rounded-xl border border-slate-200 bg-white text-sm">
            <tbody>
              <tr><th className="px-4 py-2 text-left font-normal text-slate-600">Rosenbaum Γ* (hidden bias at which significance is lost)</th><td className="px-4 py-2">{f(s.rosenbaum.gammaStar, 2)}</td><td className="px-4 py-2 text-xs text-slate-500">{s.rosenbaum.note}</td></tr>
              <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">E-value (estimate / CI limit)</th><td className="px-4 py-2">{f(s.eValue.point, 2)} / {f(s.eValue.ci, 2)}</td><td className="px-4 py-2 text-xs text-slate-500">{s.eValue.note}</td></tr>
              <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Robustness value RV (α = 0.05)</th><td className="px-4 py-2">{s.robustnessValue.rv === null ? '—' : `${f(s.robustnessValue.rv * 100, 1)}% (${f((s.robustnessValue.rvAlpha ?? 0) * 100, 1)}%)`}</td><td className="px-4 py-2 text-xs text-slate-500">{s.robustnessValue.note}</td></tr>
              {s.benchmarks.flatMap((b) =>
                b.bounds.map((bound) => (
                  <tr key={`${b.covariate}-${bound.k}`} className="border-t border-slate-100">
                    <th className="px-4 py-2 text-left font-normal text-slate-600">A confounder {bound.k}× as strong as {b.covariate}</th>
                    <td className="px-4 py-2">adjusted estimate {f(bound.adjustedEstimate * scale, binary ? 1 : 3)}</td>
                    <td className="px-4 py-2 text-xs text-slate-500">
                      95% CI {f(bound.adjustedCi95[0] * scale, binary ? 1 : 3)} to {f(bound.adjustedCi95[1] * scale, binary ? 1 : 3)}
                    </td>
                  </tr>
                )),
              )}
              {a.negativeControl ? (
                <tr className="border-t border-slate-100"><th className="px-4 py-2 text-left font-normal text-slate-600">Negative-control outcome</th><td className="px-4 py-2">{f(a.negativeControl.estimate, 3)} (CI {f(a.negativeControl.ci95[0], 3)} to {f(a.negativeControl.ci95[1], 3)})</td><td className="px-4 py-2">{a.negativeControl.verdict}</td></tr>
              ) : null}
            </tbody>
          </table>
        </section>
      ) : null}

      {result.subgroups.length ? (
        <section aria-labelledby="subgroups">
          <h2 id="subgroups" className="text-lg font-semibold">Subgroups</h2>
          <table className="mt-2 w-full rounded-xl border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr><th className="px-3 py-2">Subgroup</th><th className="px-3 py-2">Participants / others</th><th className="px-3 py-2">Effect (95% CI)</th></tr>
            </thead>
            <tbody>
              {result.subgroups.map((g) => (
                <tr key={`${g.subgroup}-${g.level}`} className="border-t border-slate-100">
                  <td className="px-3 py-2">{g.subgroup} = {g.level}</td>
                  <td className="px-3 py-2">{g.suppressed ? 'suppressed' : `${g.participants} / ${g.comparison}`}</td>
                  <td className="px-3 py-2">{g.suppressed || g.estimate === null ? g.note ?? '—' : `${f(g.estimate * scale, 1)} (${f(g.ci95![0] * scale, 1)} to ${f(g.ci95![1] * scale, 1)})`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
