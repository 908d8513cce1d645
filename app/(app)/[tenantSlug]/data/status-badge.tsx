const STYLES: Record<string, string> = {
  loaded: 'bg-green-100 text-green-800',
  profiled: 'bg-blue-100 text-blue-800',
  invalid: 'bg-amber-100 text-amber-900',
  failed: 'bg-red-100 text-red-800',
  superseded: 'bg-slate-100 text-slate-600',
};

const LABELS: Record<string, string> = {
  uploaded: 'uploaded, waiting to be profiled',
  profiling: 'profiling…',
  profiled: 'profiled — review the mapping',
  validating: 'validating and loading…',
  invalid: 'not loaded — fix the problems',
  loaded: 'loaded',
  superseded: 'replaced by a newer upload',
  failed: 'failed',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status] ?? 'bg-slate-100 text-slate-700'}`}>{LABELS[status] ?? status}</span>;
}

export const BUSY_STATUSES = new Set(['uploaded', 'profiling', 'validating', 'loading']);
