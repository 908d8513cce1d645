/** POST /api/v1/runs/{id}/cancel — a queued run stops at once, a running one at its next stage (202).   runs:write */
import { runStatusView } from '../../../../../../server/public-api/run-status';
import { runStatusBody } from '../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../server/public-api/with-api-key';
import { cancelRun, getRunStatus } from '../../../../../../server/services/runs/manage-runs';

export const POST = withApiKey<{ id: string }, typeof runStatusBody>({ scope: 'runs:write', response: runStatusBody }, async ({ db, actor, params, uuid }) => {
  const runId = uuid(params.id, 'Run');
  await cancelRun(db, actor, runId);
  return { status: 202, body: runStatusView(await getRunStatus(db, actor, runId)) };
});
