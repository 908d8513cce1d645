/** POST /api/v1/studies/{id}/runs — start a run of the study's current version (202: it is queued).   runs:write */
import { runStarted } from '../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../server/public-api/with-api-key';
import { startRun } from '../../../../../../server/services/runs/manage-runs';

export const POST = withApiKey<{ id: string }, typeof runStarted>({ scope: 'runs:write', response: runStarted }, async ({ db, actor, params, uuid }) => {
  const started = await startRun(db, actor, uuid(params.id, 'Study'));
  return { status: 202, body: { id: started.runId, status: 'queued', counts: started.counts } };
});
