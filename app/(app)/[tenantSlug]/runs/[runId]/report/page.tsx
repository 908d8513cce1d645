import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { outcomeLabels, type StudySpec } from '../../../../../../server/services/studies/study-spec';
import { orNotFound, serverCaller } from '../../../../../_trpc/server';

export const metadata: Metadata = { title: 'Report' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const f = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));

/**
 * A printable report with the methods section MatchIt's authors ask analysts to report:
 * matching method, distance and its model, caliper, sample sizes before and after, balance,
 * the estimator and its standard error, and what was done about missing data.
 */
export default async function ReportPage({ params }: { params: Promise<{ tenantSlug: string; runId: string }> }) {
  const { tenantSlug, runId } = await params;
  if (!UUID.test(runId)) notFound();
  const caller = await serverCaller();
  const dashboard = await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  const run = await orNotFound(caller.runs.get({ tenantSlug, runId }));
  if (run.status !== 'succeeded' || !run.result) notFound();
  const spec = run.spec as unknown as StudySpec;
  const result = run.result as unknown as {
    headline: string;
    grade: string;
    gradeReasons: string[];
    analysis: {
      estimate: number; se: number; seType: string; ci95: [number, number]; caliperWidth: number | null;
      n: { treated: number; control: number; matchedTreated: number; matchedControl: number };
      balance: { covariate: string; smdBefore: number; smdAfter: number }[];
      propensity: { model: string; link: string; auc: number };
      imputation?: { m: number; df: number; fmi: number; pool?: 'g-computation' | 'headline' };
      engineVersion: string;
    };
  };
  const a = result.analysis;
  const lineage = (run.lineage ?? {}) as { datasets?: { kind: string; version: number; sha256: string }[]; seed?: number };
  return (
    <article className="prose max-w-3xl space-y-4 bg-white p-8 print:p-0">
      <header>
        <p className="text-sm text-slate-500">{dashboard.tenant.name} · Causeway report · run {runId}</p>
        <h1 className="text-2xl font-semibold">{spec.name}</h1>
        <p className="text-lg">{result.headline}</p>
        <p>Evidence grade {result.grade}: {result.gradeReasons.join(' ')}</p>
      </header>
      <section>
        <h2 className="text-lg font-semibold">Methods</h2>
        <p>
          The effect of {spec.intervention} on {outcomeLabels[spec.outcome].label} was estimated for {spec.cohort.studentType === 'first_time' ? 'first-time' : spec.cohort.studentType} degree-seeking
          students{spec.cohort.entryTerms.length ? ` entering in ${spec.cohort.entryTerms.join(', ')}` : ''} by propensity-score matching. The propensity score was
          estimated by {a.propensity.model === 'logistic' ? 'logistic regression' : 'cross-fitted gradient boosting'} on {spec.covariates.join(', ')} (AUC {f(a.propensity.auc)}). Participants
          were matched {spec.method.ratio}:1 to non-participants by nearest neighbour on the {a.propensity.link === 'linear.logit' ? 'logit of the propensity score' : 'propensity score'}
          {spec.method.replace ? ' with' : ' without'} replacement{a.caliperWidth !== null ? `, within a caliper of ${spec.method.caliper} standard deviations (${f(a.caliperWidth)})` : ''}. Of {a.n.treated} participants,{' '}
          {a.n.matchedTreated} were matched to {a.n.matchedControl} of {a.n.control} non-participants. The effect on the treated (ATT) was estimated as{' '}
          {a.imputation?.pool === 'g-computation'
            ? 'a g-computation on the matched sample (an outcome regression with treatment × covariate interactions, averaged over the matched participants)'
            : 'the weighted difference in means'}{' '}
          with a {a.seType} standard error{a.imputation ? `, within each of ${a.imputation.m} multiply imputed datasets, pooled with Rubin's rules (df ${f(a.imputation.df, 1)}, fraction of missing information ${f(a.imputation.fmi)})` : ''}.
          Estimate {f(a.estimate, 4)}, SE {f(a.se, 4)}, 95% CI {f(a.ci95[0], 4)} to {f(a.ci95[1], 4)}.
        </p>
        <p>
          Engine {a.engineVersion}; seed {lineage.seed}; data: {(lineage.datasets ?? []).map((d) => `${d.kind} v${d.version} (sha256 ${d.sha256.slice(0, 12)}…)`).join(', ')}.
        </p>
      </section>
      <section>
        <h2 className="text-lg font-semibold">Balance (standardised mean differences)</h2>
        <table className="w-full text-sm">
          <thead><tr><th className="text-left">Covariate</th><th className="text-left">Before</th><th className="text-left">After</th></tr></thead>
          <tbody>
            {a.balance.map((b) => (
              <tr key={b.covariate}><td>{b.covariate}</td><td>{f(b.smdBefore)}</td><td>{f(b.smdAfter)}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
