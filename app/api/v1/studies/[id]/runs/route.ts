/**
 * GET  /api/v1/studies/{id}/runs — the study's runs, newest first, cursor-paginated.   runs:read
 * POST /api/v1/studies/{id}/runs — start a run of the study's current version (202: queued).   runs:write
 */
import { queryObject } from '../../../../../../server/public-api/query';
import { page, pageQuery, runStarted, runSummary } from '../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../server/public-api/with-api-key';
import { findRunPage, startRun } from '../../../../../../server/services/runs/manage-runs';

const runPage = page(runSummary);

export const GET = withApiKey<{ id: string }, typeof runPage>({ scope: 'runs:read', response: runPage }, async ({ db, actor, params, uuid, url }) => ({
  status: 200,
  body: await findRunPage(db, actor, uuid(params.id, 'Study'), pageQuery.parse(queryObject(url))),
}));

export const POST = withApiKey<{ id: string }, typeof runStarted>({ scope: 'runs:write', response: runStarted }, async ({ db, actor, params, uuid }) => {
  const started = await startRun(db, actor, uuid(params.id, 'Study'));
  return { status: 202, body: { id: started.runId, status: 'queued', counts: started.counts } };
});
