/** GET /api/v1/runs/{id} — a run's status and progress.   runs:read */
import { runStatusView } from '../../../../../server/public-api/run-status';
import { runStatusBody } from '../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../server/public-api/with-api-key';
import { getRunStatus } from '../../../../../server/services/runs/manage-runs';

export const GET = withApiKey<{ id: string }, typeof runStatusBody>({ scope: 'runs:read', response: runStatusBody }, async ({ db, actor, params, uuid }) => ({
  status: 200,
  body: runStatusView(await getRunStatus(db, actor, uuid(params.id, 'Run'))),
}));
