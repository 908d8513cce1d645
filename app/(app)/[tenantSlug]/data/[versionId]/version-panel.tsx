'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../../../_trpc/client';
import { BUSY_STATUSES, StatusBadge } from '../status-badge';
import { draftFrom, MappingEditor, specFrom, type EditorField, type MappingDraft } from './mapping-editor';
import { ErrorAlert } from '../../../../_components/error-alert';

export function VersionPanel({ tenantSlug, versionId, canManage }: { tenantSlug: string; versionId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const version = useQuery({
    ...trpc.datasets.version.queryOptions({ tenantSlug, versionId }),
    refetchInterval: (query) => (query.state.data && BUSY_STATUSES.has(query.state.data.status) ? 1000 : false),
  });
  const v = version.data;
  const suggestion = useQuery({ ...trpc.datasets.suggestMapping.queryOptions({ tenantSlug, versionId }), enabled: canManage && Boolean(v?.header) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.datasets.version.queryKey({ tenantSlug, versionId }) });
  const preview = useMutation(trpc.datasets.previewMapping.mutationOptions());
  const save = useMutation(trpc.datasets.saveMapping.mutationOptions({ onSuccess: refresh }));
  const load = useMutation(trpc.datasets.load.mutationOptions({ onSuccess: refresh }));
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [draftError, setDraftError] = useState<string | null>(null);

  // Start from the saved mapping when there is one, otherwise from the suggestion.
  const fields: EditorField[] = (suggestion.data?.fields ?? []).map((f) => {
    const saved = (v?.mapping?.spec as { assignments?: { field: string; column?: string; transform?: unknown }[] } | undefined)?.assignments?.find(
      (a) => a.field === f.field,
    );
    return v?.mapping
      ? { field: f.field, required: f.required, column: saved?.column ?? null, transform: saved?.transform ?? f.transform, reason: saved ? 'Saved mapping.' : f.reason }
      : { field: f.field, required: f.required, column: f.column, transform: f.transform, reason: f.reason, confidence: f.confidence };
  });
  const ready = fields.length > 0;
  useEffect(() => {
    if (ready && draft === null) setDraft(draftFrom(fields));
  }, [ready, draft, fields]);

  const withSpec = (run: (spec: { assignments: unknown[] }) => void) => {
    const { spec, error } = specFrom(draft ?? {});
    setDraftError(error ?? null);
    if (spec) run(spec);
  };
  const error = draftError ?? preview.error?.message ?? save.error?.message ?? load.error?.message ?? null;
  if (!v) return <p>Loading…</p>;
  const report = (v.validationReport ?? []) as { rule: string; severity: string; description: string; count: number; examples: { row: number; column: string; value: string; message: string }[] }[];

  return (
    <div className="space-y-8">
      <div>
        <Link href={`/${tenantSlug}/data`} className="text-sm text-brand-600 hover:underline">
          ← All files
        </Link>
        <h1 className="mt-2 text-2xl font-semibold text-brand-900">
          {v.originalFilename} <span className="text-base font-normal text-slate-500">({v.kind.replace('_', ' ')}, version {v.version})</span>
        </h1>
        <p className="mt-1 flex items-center gap-3 text-sm text-slate-600">
          <StatusBadge status={v.status} />
          {v.rowCount !== null ? `${v.rowCount.toLocaleString('en-US')} rows` : null}
          {v.encoding ? ` · ${v.encoding}, delimiter “${v.delimiter === '\t' ? 'tab' : v.delimiter}”` : null}
        </p>
        {v.error ? (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {v.error}
          </p>
        ) : null}
      </div>

      {report.length > 0 ? (
        <section aria-labelledby="report-heading">
          <h2 id="report-heading" className="text-lg font-semibold">
            Validation report
          </h2>
          <ul className="mt-2 space-y-3">
            {report.map((r) => (
              <li key={r.rule} className={`rounded-xl border p-4 text-sm ${r.severity === 'error' ? 'border-red-200 bg-red-50' : 'border-amber-200 bg-amber-50'}`}>
                <p className="font-medium">
                  {r.severity === 'error' ? 'Error' : 'Warning'}: {r.description} — {r.count.toLocaleString('en-US')} row(s)
                </p>
                <ul className="mt-1 list-disc pl-5 text-slate-700">
                  {r.examples.map((e) => (
                    <li key={`${e.row}-${e.column}`}>
                      Row {e.row}, {e.column}: {e.message}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {v.profile ? (
        <section aria-labelledby="profile-heading">
          <h2 id="profile-heading" className="text-lg font-semibold">
            Profile
          </h2>
          <table className="mt-2 w-full rounded-xl border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">Column</th>
                <th className="px-3 py-2">Type</th>
                <th className="px-3 py-2">Missing</th>
                <th className="px-3 py-2">Distinct</th>
                <th className="px-3 py-2">Range</th>
                <th className="px-3 py-2">Most frequent</th>
              </tr>
            </thead>
            <tbody>
              {v.profile.columns.map((c) => (
                <tr key={c.name} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-2 font-mono">{c.name}</td>
                  <td className="px-3 py-2">
                    {c.inferredType}
                    {c.format ? ` (${c.format})` : ''}
                  </td>
                  <td className="px-3 py-2">{(c.missingRate * 100).toFixed(1)}%</td>
                  <td className="px-3 py-2">
                    {c.distinct.count.toLocaleString('en-US')}
                    {c.distinct.exact ? '' : ' (est.)'}
                  </td>
                  <td className="px-3 py-2">{c.min !== null && c.max !== null ? `${String(c.min)} – ${String(c.max)}` : '—'}</td>
                  <td className="px-3 py-2 text-xs">
                    {c.topValues
                      .slice(0, 4)
                      .map((t) => `${t.value} (${t.count})`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {canManage && ready && draft ? (
        <section aria-labelledby="mapping-heading" className="space-y-3">
          <h2 id="mapping-heading" className="text-lg font-semibold">
            Mapping {v.mapping ? `(saved, version ${v.mapping.version})` : '(suggested — review it)'}
          </h2>
          <MappingEditor fields={fields} header={v.header ?? []} draft={draft} onChange={setDraft} readOnly={!canManage} />
          <ErrorAlert message={error} />
          <div className="flex gap-3">
            <button type="button" className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50" onClick={() => withSpec((spec) => preview.mutate({ tenantSlug, versionId, spec }))}>
              Preview
            </button>
            <button type="button" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700" onClick={() => withSpec((spec) => save.mutate({ tenantSlug, versionId, spec }))}>
              Save mapping
            </button>
            <button
              type="button"
              disabled={!v.mapping || BUSY_STATUSES.has(v.status) || v.status === 'loaded'}
              className="rounded-md bg-green-700 px-4 py-2 font-medium text-white hover:bg-green-800 disabled:opacity-50"
              onClick={() => load.mutate({ tenantSlug, versionId })}
            >
              Validate and load
            </button>
          </div>
          {save.isSuccess ? <p role="status" className="text-sm text-green-700">Mapping saved (version {save.data.version}).</p> : null}
          {preview.data ? (
            <div className="overflow-x-auto">
              <p className="text-sm text-slate-600">
                Preview of the first {preview.data.rows.length} rows: {preview.data.rowsWithErrors} with problems.
              </p>
              <table className="mt-2 text-xs">
                <thead className="bg-slate-100">
                  <tr>
                    <th className="px-2 py-1">Row</th>
                    {preview.data.fields.filter((f) => f.column || f.derived).map((f) => (
                      <th key={f.field} className="px-2 py-1 font-mono">
                        {f.field}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.data.rows.map((row) => (
                    <tr key={row.rowNumber} className="border-t border-slate-100">
                      <td className="px-2 py-1">{row.rowNumber}</td>
                      {preview.data.fields.filter((f) => f.column || f.derived).map((f) => {
                        const problems = row.errors[f.field];
                        return (
                          <td key={f.field} className={`px-2 py-1 ${problems ? 'bg-red-100 text-red-900' : ''}`} title={problems?.join(' ')}>
                            {problems ? `⚠ ${problems[0]}` : String(row.values[f.field] ?? '')}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
