/** GET /api/v1/datasets/{id} — one dataset version: status, profile, validation report, mapping.   datasets:read */
import { datasetDetail } from '../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../server/public-api/with-api-key';
import { getDatasetVersion } from '../../../../../server/services/datasets/manage-datasets';

export const GET = withApiKey<{ id: string }, typeof datasetDetail>({ scope: 'datasets:read', response: datasetDetail }, async ({ db, actor, params, uuid }) => {
  const version = await getDatasetVersion(db, actor, uuid(params.id, 'Dataset'));
  return {
    status: 200,
    body: {
      id: version.id,
      datasetId: version.datasetId,
      kind: version.kind,
      name: version.name,
      version: version.version,
      status: version.status,
      filename: version.originalFilename,
      bytes: version.bytes,
      rowCount: version.rowCount,
      error: version.error,
      createdAt: version.createdAt,
      loadedAt: version.loadedAt,
      sha256: version.sha256,
      encoding: version.encoding,
      delimiter: version.delimiter,
      header: version.header,
      profile: version.profile as Record<string, unknown> | null,
      validationReport: version.validationReport,
      mapping: version.mapping ? { id: version.mapping.id, version: version.mapping.version } : null,
    },
  };
});
