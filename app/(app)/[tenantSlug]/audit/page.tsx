import type { Metadata } from 'next';
import Link from 'next/link';
import { orNotFound, serverCaller } from '../../../_trpc/server';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantSlug: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const { tenantSlug } = await params;
  const before = Number((await searchParams).before) || undefined;
  const page = await orNotFound((await serverCaller()).audit.list({ tenantSlug, before, limit: 50 }));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold text-brand-900">Audit log</h1>
      <table className="w-full rounded-xl border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            <th className="px-4 py-2">When (UTC)</th>
            <th className="px-4 py-2">Who</th>
            <th className="px-4 py-2">Action</th>
            <th className="px-4 py-2">Subject</th>
            <th className="px-4 py-2">Details</th>
          </tr>
        </thead>
        <tbody>
          {page.events.map((event) => (
            <tr key={event.id} className="border-t border-slate-100 align-top">
              <td className="px-4 py-2 whitespace-nowrap text-slate-500">{event.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td className="px-4 py-2">{event.actor ?? '—'}</td>
              <td className="px-4 py-2">{event.action}</td>
              <td className="px-4 py-2">{event.subject ?? ''}</td>
              <td className="px-4 py-2 font-mono text-xs text-slate-600">{JSON.stringify(event.metadata)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.nextCursor ? (
        <Link href={`/${tenantSlug}/audit?before=${page.nextCursor}`} className="text-brand-600 hover:underline">
          Older events →
        </Link>
      ) : null}
    </div>
  );
}
