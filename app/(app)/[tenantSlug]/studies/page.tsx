import type { Metadata } from 'next';
import Link from 'next/link';
import { orNotFound, serverCaller } from '../../../_trpc/server';

export const metadata: Metadata = { title: 'Studies' };

export default async function StudiesPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const caller = await serverCaller();
  const dashboard = await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  const studies = await caller.studies.list({ tenantSlug });
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold text-brand-900">Studies</h1>
        {dashboard.role !== 'viewer' ? (
          <Link href={`/${tenantSlug}/studies/new`} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
            New study
          </Link>
        ) : null}
      </div>
      {studies.length === 0 ? (
        <p className="text-slate-600">No studies yet. A study asks whether a programme changed an outcome for a cohort of students.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
          {studies.map((study) => (
            <li key={study.id}>
              <Link href={`/${tenantSlug}/studies/${study.id}`} className="flex justify-between px-4 py-3 hover:bg-slate-50">
                <span className="font-medium">{study.name}</span>
                <span className="text-sm text-slate-500">version {study.version}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
