'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../_trpc/client';
import { ErrorAlert } from '../../../_components/error-alert';

type Level = 'certificate' | 'associate' | 'bachelor';
interface Settings {
  calendar: 'semester' | 'quarter';
  censusDayOffset: number;
  normalTimeYears: Partial<Record<Level, number>>;
  minCellSize: number;
}

const field = 'mt-1 block w-40 rounded-md border border-slate-300 px-3 py-2';

export function SettingsForm({ tenantSlug, initial, canEdit }: { tenantSlug: string; initial: Settings; canEdit: boolean }) {
  const trpc = useTRPC();
  const update = useMutation(trpc.settings.update.mutationOptions());
  const [form, setForm] = useState(initial);
  const setYears = (level: Level, value: string) => {
    const years = { ...form.normalTimeYears };
    if (value === '') delete years[level];
    else years[level] = Number(value);
    setForm({ ...form, normalTimeYears: years });
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate({ tenantSlug, ...form });
  }
  return (
    <form onSubmit={submit} className="max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold text-brand-900">Institution settings</h1>
      <fieldset disabled={!canEdit} className="grid gap-4 rounded-xl border border-slate-200 bg-white p-5 sm:grid-cols-2">
        <label>
          <span className="text-sm font-medium">Calendar</span>
          <select value={form.calendar} onChange={(e) => setForm({ ...form, calendar: e.target.value as Settings['calendar'] })} className={field}>
            <option value="semester">Semester</option>
            <option value="quarter">Quarter</option>
          </select>
        </label>
        <label>
          <span className="text-sm font-medium">Census day (days after term start, when a term has none)</span>
          <input type="number" min={0} max={60} value={form.censusDayOffset} onChange={(e) => setForm({ ...form, censusDayOffset: Number(e.target.value) })} className={field} />
        </label>
        {(['certificate', 'associate', 'bachelor'] as const).map((level) => (
          <label key={level}>
            <span className="text-sm font-medium">Normal time to a {level} (years)</span>
            <input type="number" min={0.5} max={8} step={0.5} value={form.normalTimeYears[level] ?? ''} onChange={(e) => setYears(level, e.target.value)} className={field} />
          </label>
        ))}
        <label>
          <span className="text-sm font-medium">Minimum cell size for reporting</span>
          <input type="number" min={1} max={100} value={form.minCellSize} onChange={(e) => setForm({ ...form, minCellSize: Number(e.target.value) })} className={field} />
        </label>
      </fieldset>
      {canEdit ? (
        <button type="submit" disabled={update.isPending} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Save settings
        </button>
      ) : (
        <p className="text-sm text-slate-600">Only administrators can change these settings.</p>
      )}
      <ErrorAlert message={update.error?.message} />
      {update.isSuccess ? <p role="status" className="text-sm text-green-700">Settings saved. Outcomes use them from the next load.</p> : null}
    </form>
  );
}
