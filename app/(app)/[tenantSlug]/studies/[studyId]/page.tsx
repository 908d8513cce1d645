import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { outcomeLabels } from '../../../../../server/services/studies/study-spec';
import { orNotFound, serverCaller } from '../../../../_trpc/server';
import { RunsPanel } from './runs-panel';

export const metadata: Metadata = { title: 'Study' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function StudyPage({ params }: { params: Promise<{ tenantSlug: string; studyId: string }> }) {
  const { tenantSlug, studyId } = await params;
  if (!UUID.test(studyId)) notFound();
  const caller = await serverCaller();
  const dashboard = await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  const study = await orNotFound(caller.studies.get({ tenantSlug, studyId }));
  const { spec } = study;
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold text-brand-900">{study.name}</h1>
        {spec.question ? <p className="mt-1 text-slate-700">{spec.question}</p> : null}
        <dl className="mt-4 grid gap-x-6 gap-y-2 rounded-xl border border-slate-200 bg-white p-5 text-sm sm:grid-cols-2">
          <dt className="text-slate-500">Programme</dt>
          <dd>{spec.intervention}</dd>
          <dt className="text-slate-500">Outcome</dt>
          <dd>{outcomeLabels[spec.outcome].label}</dd>
          <dt className="text-slate-500">Cohort</dt>
          <dd>
            {spec.cohort.studentType === 'all' ? 'All' : spec.cohort.studentType === 'first_time' ? 'First-time' : 'Transfer'} degree-seeking students,{' '}
            {spec.cohort.entryTerms.length ? `entering ${spec.cohort.entryTerms.join(', ')}` : 'every entry term'}
            {spec.cohort.load === 'all' ? '' : `, ${spec.cohort.load.replace('_', '-')}`}
          </dd>
          <dt className="text-slate-500">Covariates</dt>
          <dd>{spec.covariates.join(', ')}</dd>
          <dt className="text-slate-500">Method</dt>
          <dd>
            {spec.method.propensity === 'logistic' ? 'Logistic' : 'Cross-fitted GBM'} propensity score; {spec.method.ratio}:1 nearest-neighbour matching
            {spec.method.replace ? ' with' : ' without'} replacement{spec.method.caliper !== null ? `, caliper ${spec.method.caliper} SD of the logit` : ''}; {spec.method.imputations}{' '}
            imputations when data are missing; seed {spec.method.seed}
          </dd>
          <dt className="text-slate-500">Version</dt>
          <dd>{study.version}</dd>
        </dl>
      </section>
      <RunsPanel tenantSlug={tenantSlug} studyId={studyId} canRun={dashboard.role !== 'viewer'} />
    </div>
  );
}
