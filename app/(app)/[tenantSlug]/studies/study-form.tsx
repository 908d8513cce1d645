'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { covariateNames, outcomeLabels, outcomeNames, subgroupNames, type StudySpec } from '../../../../server/services/studies/study-spec';
import { useTRPC } from '../../../_trpc/client';
import { ErrorAlert } from '../../../_components/error-alert';

const LABELS: Record<string, string> = {
  hs_gpa: 'High-school GPA',
  test_score: 'Admission test score',
  pell_eligible_at_entry: 'Pell-eligible at entry',
  first_generation: 'First-generation',
  age_at_entry: 'Age at entry',
  sex: 'Sex',
  race_ethnicity: 'Race/ethnicity',
  residency: 'Residency',
  full_time_at_entry: 'Full-time at entry',
};
const field = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2';

export function StudyForm({ tenantSlug, interventions, initial, studyId }: { tenantSlug: string; interventions: string[]; initial?: StudySpec; studyId?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.studies.create.mutationOptions({ onSuccess: (s) => router.push(`/${tenantSlug}/studies/${s.id}`) }));
  const update = useMutation(trpc.studies.update.mutationOptions({ onSuccess: (s) => router.push(`/${tenantSlug}/studies/${s.id}`) }));
  const [name, setName] = useState(initial?.name ?? '');
  const [question, setQuestion] = useState(initial?.question ?? '');
  const [intervention, setIntervention] = useState(initial?.intervention ?? interventions[0] ?? '');
  const [outcome, setOutcome] = useState<StudySpec['outcome']>(initial?.outcome ?? 'retained_fall_to_fall');
  const [entryTerms, setEntryTerms] = useState((initial?.cohort.entryTerms ?? []).join(', '));
  const [studentType, setStudentType] = useState<StudySpec['cohort']['studentType']>(initial?.cohort.studentType ?? 'first_time');
  const [load, setLoad] = useState<StudySpec['cohort']['load']>(initial?.cohort.load ?? 'all');
  const [covariates, setCovariates] = useState<string[]>(initial?.covariates ?? [...covariateNames]);
  const [subgroups, setSubgroups] = useState<string[]>(initial?.subgroups ?? ['pell_eligible_at_entry', 'first_generation']);
  const [cost, setCost] = useState(initial?.costPerStudent?.toString() ?? '');
  const [negativeControl, setNegativeControl] = useState(initial?.negativeControl ?? '');
  const [advanced, setAdvanced] = useState(false);
  const [method, setMethod] = useState(
    initial?.method ?? { propensity: 'logistic' as const, caliper: 0.2 as number | null, ratio: 1, replace: false, estimator: 'matching' as const, imputations: 10, seed: 20_240_901, benchmarks: ['hs_gpa'] as StudySpec['covariates'], refuters: false },
  );
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const error = create.error ?? update.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    const spec = {
      name,
      question,
      intervention,
      outcome,
      cohort: { entryTerms: entryTerms.split(/[\s,]+/).filter(Boolean), studentType, load },
      covariates: covariates as StudySpec['covariates'],
      subgroups: subgroups as StudySpec['subgroups'],
      negativeControl: (negativeControl || undefined) as StudySpec['negativeControl'],
      costPerStudent: cost === '' ? undefined : Number(cost),
      method,
    };
    if (studyId) update.mutate({ tenantSlug, studyId, spec });
    else create.mutate({ tenantSlug, spec });
  }

  return (
    <form onSubmit={submit} className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold text-brand-900">{studyId ? 'Edit study' : 'New study'}</h1>
      {interventions.length === 0 ? (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          No programme participation is loaded yet. Load a participation file on the Data page first.
        </p>
      ) : null}
      <section className="grid gap-4 rounded-xl border border-slate-200 bg-white p-5">
        <label>
          <span className="text-sm font-medium">Study name</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} className={field} />
        </label>
        <label>
          <span className="text-sm font-medium">Research question</span>
          <textarea value={question} onChange={(e) => setQuestion(e.target.value)} rows={2} className={field} placeholder="Did the summer bridge programme raise first-year retention?" />
        </label>
        <div className="grid gap-4 sm:grid-cols-2">
          <label>
            <span className="text-sm font-medium">Programme</span>
            <select value={intervention} onChange={(e) => setIntervention(e.target.value)} className={field}>
              {interventions.map((i) => (
                <option key={i}>{i}</option>
              ))}
            </select>
          </label>
          <label>
            <span className="text-sm font-medium">Outcome</span>
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as StudySpec['outcome'])} className={field}>
              {outcomeNames.map((o) => (
                <option key={o} value={o}>
                  {outcomeLabels[o].label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </section>
      <fieldset className="grid gap-4 rounded-xl border border-slate-200 bg-white p-5 sm:grid-cols-3">
        <legend className="px-1 text-sm font-semibold">Cohort</legend>
        <label>
          <span className="text-sm font-medium">Entry terms (blank: all)</span>
          <input value={entryTerms} onChange={(e) => setEntryTerms(e.target.value)} className={field} placeholder="202180, 202280" />
        </label>
        <label>
          <span className="text-sm font-medium">Students</span>
          <select value={studentType} onChange={(e) => setStudentType(e.target.value as typeof studentType)} className={field}>
            <option value="first_time">First-time</option>
            <option value="transfer">Transfer</option>
            <option value="all">All</option>
          </select>
        </label>
        <label>
          <span className="text-sm font-medium">Load at entry</span>
          <select value={load} onChange={(e) => setLoad(e.target.value as typeof load)} className={field}>
            <option value="all">Full- and part-time</option>
            <option value="full_time">Full-time</option>
            <option value="part_time">Part-time</option>
          </select>
        </label>
      </fieldset>
      <fieldset className="rounded-xl border border-slate-200 bg-white p-5">
        <legend className="px-1 text-sm font-semibold">Covariates (measured at entry)</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {covariateNames.map((c) => (
            <label key={c} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={covariates.includes(c)} onChange={() => setCovariates(toggle(covariates, c))} />
              {LABELS[c]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="grid gap-4 rounded-xl border border-slate-200 bg-white p-5 sm:grid-cols-2">
        <legend className="px-1 text-sm font-semibold">Reporting</legend>
        <div>
          <span className="text-sm font-medium">Subgroups</span>
          {subgroupNames.map((s) => (
            <label key={s} className="mt-1 flex items-center gap-2 text-sm">
              <input type="checkbox" checked={subgroups.includes(s)} onChange={() => setSubgroups(toggle(subgroups, s))} />
              {LABELS[s]}
            </label>
          ))}
        </div>
        <div className="space-y-4">
          <label>
            <span className="text-sm font-medium">Negative-control outcome (optional)</span>
            <select value={negativeControl} onChange={(e) => setNegativeControl(e.target.value)} className={field}>
              <option value="">None</option>
              <option value="hs_gpa">High-school GPA (measured before the programme)</option>
              <option value="test_score">Admission test score</option>
            </select>
          </label>
          <label>
            <span className="text-sm font-medium">Programme cost per student (optional, $)</span>
            <input type="number" min={0} value={cost} onChange={(e) => setCost(e.target.value)} className={field} />
          </label>
        </div>
      </fieldset>
      <div>
        <button type="button" onClick={() => setAdvanced(!advanced)} className="text-sm text-brand-600 hover:underline" aria-expanded={advanced}>
          {advanced ? 'Hide' : 'Show'} advanced method settings
        </button>
        {advanced ? (
          <fieldset className="mt-3 grid gap-4 rounded-xl border border-slate-200 bg-white p-5 sm:grid-cols-3">
            <label>
              <span className="text-sm font-medium">Propensity model</span>
              <select value={method.propensity} onChange={(e) => setMethod({ ...method, propensity: e.target.value as 'logistic' | 'gbm' })} className={field}>
                <option value="logistic">Logistic regression</option>
                <option value="gbm">Gradient boosting (cross-fitted)</option>
              </select>
            </label>
            <label>
              <span className="text-sm font-medium">Caliper (SD of the logit; blank: none)</span>
              <input type="number" step="any" min={0.01} value={method.caliper ?? ''} onChange={(e) => setMethod({ ...method, caliper: e.target.value === '' ? null : Number(e.target.value) })} className={field} />
            </label>
            <label>
              <span className="text-sm font-medium">Controls per participant</span>
              <input type="number" min={1} max={5} value={method.ratio} onChange={(e) => setMethod({ ...method, ratio: Number(e.target.value) })} className={field} />
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={method.replace} onChange={(e) => setMethod({ ...method, replace: e.target.checked })} />
              Match with replacement
            </label>
            <label>
              <span className="text-sm font-medium">Estimator</span>
              <select value={method.estimator} onChange={(e) => setMethod({ ...method, estimator: e.target.value as 'matching' | 'ipw' | 'aipw' })} className={field}>
                <option value="matching">Matching</option>
                <option value="ipw">Inverse-probability weighting</option>
                <option value="aipw">Doubly robust (AIPW)</option>
              </select>
            </label>
            <label>
              <span className="text-sm font-medium">Imputations (when data are missing)</span>
              <input type="number" min={2} max={100} value={method.imputations} onChange={(e) => setMethod({ ...method, imputations: Number(e.target.value) })} className={field} />
            </label>
            <label>
              <span className="text-sm font-medium">Random seed</span>
              <input type="number" min={0} value={method.seed} onChange={(e) => setMethod({ ...method, seed: Number(e.target.value) })} className={field} />
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={method.refuters} onChange={(e) => setMethod({ ...method, refuters: e.target.checked })} />
              Refutation checks (slower)
            </label>
          </fieldset>
        ) : null}
      </div>
      <ErrorAlert message={error?.message} />
      <button type="submit" disabled={create.isPending || update.isPending || interventions.length === 0} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {studyId ? 'Save new version' : 'Create study'}
      </button>
    </form>
  );
}
