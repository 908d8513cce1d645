'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../../../../_trpc/client';
import { ErrorAlert } from '../../../../_components/error-alert';

const ACTIVE = new Set(['queued', 'running']);

export function RunsPanel({ tenantSlug, studyId, canRun }: { tenantSlug: string; studyId: string; canRun: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runs = useQuery({
    ...trpc.runs.list.queryOptions({ tenantSlug, studyId }),
    refetchInterval: (query) => (query.state.data?.some((r) => ACTIVE.has(r.status)) ? 1000 : false),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey({ tenantSlug, studyId }) });
  const start = useMutation(trpc.runs.start.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.runs.cancel.mutationOptions({ onSuccess: refresh }));
  const error = start.error ?? cancel.error;
  return (
    <section aria-labelledby="runs-heading" className="space-y-3">
      <div className="flex items-center justify-between">
        <h2 id="runs-heading" className="text-lg font-semibold">
          Runs
        </h2>
        {canRun ? (
          <button type="button" disabled={start.isPending} onClick={() => start.mutate({ tenantSlug, studyId })} className="rounded-md bg-green-700 px-4 py-2 font-medium text-white hover:bg-green-800 disabled:opacity-60">
            Run the study
          </button>
        ) : null}
      </div>
      <ErrorAlert message={error?.message} />
      <ul className="space-y-2">
        {(runs.data ?? []).map((run) => {
          const progress = (run.progress ?? {}) as { stage?: string; percent?: number };
          return (
            <li key={run.id} className="rounded-xl border border-slate-200 bg-white p-4 text-sm">
              <div className="flex items-center justify-between">
                <span>
                  Started {new Date(run.createdAt).toLocaleString()} · study version {run.studyVersion} · <strong data-testid="run-status">{run.status}</strong>
                </span>
                <span className="flex gap-3">
                  {run.status === 'succeeded' ? (
                    <Link href={`/${tenantSlug}/runs/${run.id}`} className="font-medium text-brand-600 hover:underline">
                      See the result
                    </Link>
                  ) : null}
                  {canRun && ACTIVE.has(run.status) ? (
                    <button type="button" onClick={() => cancel.mutate({ tenantSlug, runId: run.id })} className="text-red-700 hover:underline">
                      Cancel
                    </button>
                  ) : null}
                </span>
              </div>
              {ACTIVE.has(run.status) ? (
                <div className="mt-2">
                  <div className="h-2 w-full rounded bg-slate-100" role="progressbar" aria-valuenow={progress.percent ?? 0} aria-valuemin={0} aria-valuemax={100} aria-label="Run progress">
                    <div className="h-2 rounded bg-brand-600" style={{ width: `${progress.percent ?? 0}%` }} />
                  </div>
                  <p className="mt-1 text-xs text-slate-600">{progress.stage ?? 'queued'}</p>
                </div>
              ) : null}
              {run.error ? <p className="mt-2 text-red-800">{run.error}</p> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
