'use client';
import { useState } from 'react';

export interface EditorField {
  field: string;
  required: boolean;
  column: string | null;
  transform: unknown;
  reason?: string | null;
  confidence?: number;
}

export interface MappingDraft {
  [field: string]: { column: string | null; transform: string };
}

export function draftFrom(fields: EditorField[]): MappingDraft {
  return Object.fromEntries(fields.map((f) => [f.field, { column: f.column, transform: JSON.stringify(f.transform ?? { kind: 'text', case: 'keep' }) }]));
}

/** The spec the server validates: one assignment per field that has a column. */
export function specFrom(draft: MappingDraft): { spec?: { assignments: unknown[] }; error?: string } {
  const assignments: unknown[] = [];
  for (const [field, value] of Object.entries(draft)) {
    if (!value.column) continue;
    try {
      assignments.push({ field, column: value.column, transform: JSON.parse(value.transform) });
    } catch {
      return { error: `The transform of ${field} is not valid JSON.` };
    }
  }
  return { spec: { assignments } };
}

function describe(transform: string): string {
  try {
    const t = JSON.parse(transform) as Record<string, unknown>;
    switch (t.kind) {
      case 'termCode':
        return `term code (${String(t.preset ?? 'custom rule')})`;
      case 'date':
        return `date ${String(t.format)}${t.output === 'year' ? ' → year' : ''}`;
      case 'crosswalk':
        return `crosswalk of ${Object.keys((t.map as object) ?? {}).length} codes`;
      case 'cast':
        return `${String(t.to)}`;
      case 'scale':
        return 'scale conversion';
      default:
        return 'text';
    }
  } catch {
    return 'invalid JSON';
  }
}

export function MappingEditor(props: { fields: EditorField[]; header: string[]; draft: MappingDraft; onChange: (draft: MappingDraft) => void; readOnly: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  const set = (field: string, patch: Partial<MappingDraft[string]>) => props.onChange({ ...props.draft, [field]: { ...props.draft[field]!, ...patch } });
  return (
    <table className="w-full rounded-xl border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Mapping of the file’s columns onto the standard model</caption>
      <thead className="bg-slate-100 text-left text-slate-600">
        <tr>
          <th className="px-3 py-2">Field</th>
          <th className="px-3 py-2">Column in your file</th>
          <th className="px-3 py-2">Transform</th>
          <th className="px-3 py-2">Why</th>
        </tr>
      </thead>
      <tbody>
        {props.fields.map((f) => {
          const value = props.draft[f.field] ?? { column: null, transform: '{"kind":"text","case":"keep"}' };
          const missing = f.required && !value.column;
          return (
            <tr key={f.field} className={`border-t border-slate-100 align-top ${missing ? 'bg-amber-50' : ''}`}>
              <td className="px-3 py-2 font-mono">
                {f.field}
                {f.required ? <span className="ml-1 text-red-700" title="required">*</span> : null}
              </td>
              <td className="px-3 py-2">
                <select
                  aria-label={`Column for ${f.field}`}
                  disabled={props.readOnly}
                  value={value.column ?? ''}
                  onChange={(e) => set(f.field, { column: e.target.value || null })}
                  className="rounded-md border border-slate-300 px-2 py-1"
                >
                  <option value="">— not mapped —</option>
                  {props.header.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
                {missing ? <p className="mt-1 text-xs text-amber-900">Required: choose a column.</p> : null}
              </td>
              <td className="px-3 py-2">
                <button type="button" className="text-brand-600 hover:underline" onClick={() => setOpen(open === f.field ? null : f.field)}>
                  {describe(value.transform)}
                </button>
                {open === f.field ? (
                  <textarea
                    aria-label={`Transform for ${f.field}`}
                    readOnly={props.readOnly}
                    value={value.transform}
                    onChange={(e) => set(f.field, { transform: e.target.value })}
                    rows={6}
                    className="mt-2 block w-80 rounded-md border border-slate-300 p-2 font-mono text-xs"
                  />
                ) : null}
              </td>
              <td className="px-3 py-2 text-xs text-slate-600">
                {f.reason ?? ''}
                {typeof f.confidence === 'number' && f.column ? ` (${Math.round(f.confidence * 100)}% sure)` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
