/**
 * GET /api/v1/runs/{id}/result — the result of a finished run (the JSON export, audit-logged like
 * every export); 409 while the run has none.   runs:read
 */
import { runResultBody } from '../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../server/public-api/with-api-key';
import { exportRun } from '../../../../../../server/services/runs/export-run';

export const GET = withApiKey<{ id: string }, typeof runResultBody>({ scope: 'runs:read', response: runResultBody }, async ({ db, actor, params, uuid }) => {
  const file = await exportRun(db, actor, uuid(params.id, 'Run'), 'json');
  return { status: 200, body: JSON.parse(file.body) as unknown };
});
