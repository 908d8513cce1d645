import type { getRunStatus } from '../services/runs/manage-runs';

/** The public view of a run row: status and progress, without the stored result. */
export function runStatusView(run: Awaited<ReturnType<typeof getRunStatus>>) {
  return {
    id: run.id,
    studyId: run.studyId,
    studyVersion: run.studyVersion,
    status: run.status,
    progress: run.progress ?? null,
    error: run.error,
    cancelRequested: run.cancelRequestedAt !== null,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}
