import Link from 'next/link';

interface DatasetRow {
  kind: string;
  status: string;
  datasetId: string;
  version: number;
}

interface Counts {
  students: number;
  enrollments: number;
  terms: number;
  participations: number;
}

/**
 * Where an institution stands in onboarding: upload → review mapping → fix validation → load →
 * first study. Derived from the datasets and loaded counts, so it is always current.
 */
export function OnboardingChecklist({ tenantSlug, datasets, counts }: { tenantSlug: string; datasets: DatasetRow[]; counts: Counts }) {
  const latest = new Map<string, DatasetRow>();
  for (const d of datasets) if ((latest.get(d.datasetId)?.version ?? 0) < d.version) latest.set(d.datasetId, d);
  const current = [...latest.values()];
  const steps = [
    { label: 'Upload your files (terms, students, term enrollments, programme participation)', done: datasets.length > 0 },
    { label: 'Review the suggested mappings', done: current.length > 0 && current.every((d) => !['uploaded', 'profiling', 'profiled'].includes(d.status)) },
    { label: 'Fix what validation reports', done: current.length > 0 && current.every((d) => d.status !== 'invalid' && d.status !== 'failed') },
    { label: 'Load students, enrollments, terms and participation', done: counts.students > 0 && counts.enrollments > 0 && counts.terms > 0 && counts.participations > 0 },
    { label: 'Define the first study', done: false },
  ];
  const next = steps.findIndex((s) => !s.done);
  return (
    <section aria-labelledby="onboarding-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="onboarding-heading" className="text-lg font-semibold">
        Getting started
      </h2>
      <ol className="mt-3 space-y-2 text-sm">
        {steps.map((step, i) => (
          <li key={step.label} className="flex items-center gap-3" aria-current={i === next ? 'step' : undefined}>
            <span
              className={`flex h-6 w-6 items-center justify-center rounded-full text-xs font-semibold ${
                step.done ? 'bg-green-600 text-white' : i === next ? 'bg-brand-600 text-white' : 'bg-slate-200 text-slate-600'
              }`}
            >
              {step.done ? '✓' : i + 1}
            </span>
            <span className={step.done ? 'text-slate-500 line-through' : i === next ? 'font-medium' : ''}>{step.label}</span>
            {i === next && i < 4 ? (
              <Link href={`/${tenantSlug}/data`} className="text-brand-600 hover:underline">
                Go to data →
              </Link>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
