import Link from 'next/link';
import { orNotFound, serverCaller } from '../../_trpc/server';
import { OnboardingChecklist } from './onboarding-checklist';

export default async function TenantDashboardPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const caller = await serverCaller();
  const dashboard = await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  const isAdmin = dashboard.role === 'owner' || dashboard.role === 'admin';
  const [datasets, counts] = isAdmin ? await Promise.all([caller.datasets.list({ tenantSlug }), caller.datasets.counts({ tenantSlug })]) : [null, null];
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold text-brand-900">{dashboard.tenant.name}</h1>
        <p className="mt-1 text-slate-600">
          {dashboard.tenant.calendar === 'semester' ? 'Semester' : 'Quarter'} calendar · plan {dashboard.tenant.plan}
          {dashboard.tenant.ipedsUnitId ? ` · IPEDS ${dashboard.tenant.ipedsUnitId}` : ''} · you are {dashboard.role}
        </p>
      </section>
      {datasets && counts ? <OnboardingChecklist tenantSlug={tenantSlug} datasets={datasets} counts={counts} /> : null}
      <section className="grid gap-4 sm:grid-cols-2">
        <div className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 className="text-sm font-medium text-slate-500">Members</h2>
          <p className="mt-1 text-3xl font-semibold">{dashboard.memberCount}</p>
          <Link href={`/${tenantSlug}/members`} className="mt-2 inline-block text-sm text-brand-600 hover:underline">
            Manage members
          </Link>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 className="text-sm font-medium text-slate-500">Pending invitations</h2>
          <p className="mt-1 text-3xl font-semibold">{dashboard.pendingInvitationCount}</p>
        </div>
      </section>
      {dashboard.recentActivity.length > 0 ? (
        <section>
          <h2 className="text-lg font-semibold">Recent activity</h2>
          <table className="mt-3 w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                <th className="px-4 py-2">When</th>
                <th className="px-4 py-2">Who</th>
                <th className="px-4 py-2">What</th>
                <th className="px-4 py-2">About</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.recentActivity.map((event) => (
                <tr key={event.id} className="border-t border-slate-100">
                  <td className="px-4 py-2 text-slate-500">{event.at.toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                  <td className="px-4 py-2">{event.actor ?? '—'}</td>
                  <td className="px-4 py-2">{event.action}</td>
                  <td className="px-4 py-2">{event.subject ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
