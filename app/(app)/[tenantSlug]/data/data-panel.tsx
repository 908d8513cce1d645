'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../_trpc/client';
import { BUSY_STATUSES, StatusBadge } from './status-badge';

const KINDS = [
  { value: 'terms', label: 'Terms (academic calendar)' },
  { value: 'students', label: 'Students' },
  { value: 'term_enrollments', label: 'Term enrollments' },
  { value: 'participation', label: 'Programme participation' },
  { value: 'awards', label: 'Awards (degrees, certificates)' },
] as const;

export function DataPanel({ tenantSlug, canManage }: { tenantSlug: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const datasets = useQuery({
    ...trpc.datasets.list.queryOptions({ tenantSlug }),
    refetchOnMount: 'always',
    refetchInterval: (query) => (query.state.data?.some((d) => BUSY_STATUSES.has(d.status)) ? 1000 : false),
  });
  const busy = datasets.data?.some((d) => BUSY_STATUSES.has(d.status)) ?? false;
  // Counts change when a load finishes: fetch them fresh on every visit and while anything loads.
  const counts = useQuery({ ...trpc.datasets.counts.queryOptions({ tenantSlug }), refetchOnMount: 'always', refetchInterval: busy ? 1000 : false });
  const [kind, setKind] = useState<string>('terms');
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  async function upload(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setUploading(true);
    setMessage(null);
    try {
      const query = new URLSearchParams({ kind, filename: file.name });
      const response = await fetch(`/api/tenants/${encodeURIComponent(tenantSlug)}/datasets?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      });
      const body = (await response.json()) as { detail?: string; version?: number };
      if (!response.ok) setMessage({ error: true, text: body.detail ?? 'The upload failed.' });
      else setMessage({ error: false, text: `Uploaded ${file.name} (version ${body.version}). Profiling it now.` });
      await queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey({ tenantSlug }) });
    } finally {
      setUploading(false);
    }
  }

  const c = counts.data;
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold text-brand-900">Data</h1>
      {c ? (
        <section aria-label="Loaded data" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
          {[
            ['Students', c.students],
            ['Term enrollments', c.enrollments],
            ['Terms', c.terms],
            ['Participation rows', c.participations],
            ['Awards', c.awards],
            ['Derived outcomes', c.outcomes],
          ].map(([label, value]) => (
            <div key={label} className="rounded-xl border border-slate-200 bg-white p-4">
              <p className="text-xs text-slate-500">{label}</p>
              <p className="text-2xl font-semibold" data-testid={`count-${String(label).toLowerCase().replace(/\s+/g, '-')}`}>
                {Number(value).toLocaleString('en-US')}
              </p>
            </div>
          ))}
        </section>
      ) : null}
      {canManage ? (
        <form onSubmit={upload} className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
          <label>
            <span className="text-sm font-medium">What the file holds</span>
            <select value={kind} onChange={(e) => setKind(e.target.value)} className="mt-1 block rounded-md border border-slate-300 px-3 py-2">
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex-1">
            <span className="text-sm font-medium">CSV or TSV file</span>
            <input
              type="file"
              accept=".csv,.tsv,.txt,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              className="mt-1 block w-full text-sm"
            />
          </label>
          <button type="submit" disabled={!file || uploading} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
            {uploading ? 'Uploading…' : 'Upload'}
          </button>
          {message ? (
            <p role={message.error ? 'alert' : 'status'} className={`w-full text-sm ${message.error ? 'text-red-800' : 'text-green-700'}`}>
              {message.text}
            </p>
          ) : null}
        </form>
      ) : null}
      <table className="w-full rounded-xl border border-slate-200 bg-white text-sm">
        <caption className="sr-only">Uploaded files</caption>
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            <th className="px-4 py-2">Kind</th>
            <th className="px-4 py-2">File</th>
            <th className="px-4 py-2">Version</th>
            <th className="px-4 py-2">Rows</th>
            <th className="px-4 py-2">Status</th>
          </tr>
        </thead>
        <tbody>
          {(datasets.data ?? []).map((d) => (
            <tr key={d.versionId} className="border-t border-slate-100 align-top">
              <td className="px-4 py-2">{d.kind.replace('_', ' ')}</td>
              <td className="px-4 py-2">
                <Link href={`/${tenantSlug}/data/${d.versionId}`} className="text-brand-600 hover:underline">
                  {d.filename}
                </Link>
              </td>
              <td className="px-4 py-2">{d.version}</td>
              <td className="px-4 py-2">{d.rowCount?.toLocaleString('en-US') ?? '—'}</td>
              <td className="px-4 py-2">
                <StatusBadge status={d.status} />
                {d.error ? <p className="mt-1 max-w-md text-xs text-red-800">{d.error}</p> : null}
              </td>
            </tr>
          ))}
          {datasets.data?.length === 0 ? (
            <tr>
              <td colSpan={5} className="px-4 py-6 text-center text-slate-500">
                No files yet. Start with the terms file, then students, then term enrollments and programme participation.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
