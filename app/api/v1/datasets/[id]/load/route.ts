/** POST /api/v1/datasets/{id}/load — validate and load a mapped dataset version into the standard model (202: queued).   datasets:write */
import { loadRequested } from '../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../server/public-api/with-api-key';
import { requestLoad } from '../../../../../../server/services/datasets/manage-datasets';

export const POST = withApiKey<{ id: string }, typeof loadRequested>({ scope: 'datasets:write', response: loadRequested }, async ({ db, actor, params, uuid }) => {
  const versionId = uuid(params.id, 'Dataset');
  const queued = await requestLoad(db, actor, versionId);
  return { status: 202, body: { id: versionId, status: queued.status } };
});
