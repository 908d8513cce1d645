/**
 * GET /api/v1/datasets/{id}/mapping — the mapping attached to a dataset version.     datasets:read
 * PUT /api/v1/datasets/{id}/mapping — save a mapping as a new version and attach it
 *     (the body is a mapping spec, e.g. a suggestion's `spec`).                      datasets:write
 */
import { notFound } from '../../../../../../server/errors/app-error';
import { mappingDetail, mappingSpecBody } from '../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../server/public-api/with-api-key';
import { getDatasetVersion, saveMapping } from '../../../../../../server/services/datasets/manage-datasets';
import type { Db } from '../../../../../../db/client';
import type { TenantActor } from '../../../../../../server/services/members/manage-members';

async function attachedMapping(db: Db, actor: TenantActor, versionId: string) {
  const version = await getDatasetVersion(db, actor, versionId);
  if (!version.mapping) throw notFound('Mapping of this dataset version');
  return { id: version.mapping.id, version: version.mapping.version, kind: version.kind, spec: version.mapping.spec };
}

export const GET = withApiKey<{ id: string }, typeof mappingDetail>({ scope: 'datasets:read', response: mappingDetail }, async ({ db, actor, params, uuid }) => ({
  status: 200,
  body: await attachedMapping(db, actor, uuid(params.id, 'Dataset')),
}));

export const PUT = withApiKey<{ id: string }, typeof mappingDetail>({ scope: 'datasets:write', body: 'json', response: mappingDetail }, async ({ db, actor, params, uuid, json }) => {
  return { status: 200, body: await saveMapping(db, actor, uuid(params.id, 'Dataset'), await json(mappingSpecBody)) };
});
