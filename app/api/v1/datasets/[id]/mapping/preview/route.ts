/** POST /api/v1/datasets/{id}/mapping/preview — a mapping applied to the file's first rows, with every cell problem; nothing is saved.   datasets:read */
import { mappingPreviewBody, mappingSpecBody } from '../../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../../server/public-api/with-api-key';
import { datasetStorage } from '../../../../../../../server/services/datasets/dataset-storage';
import { previewMappingForVersion } from '../../../../../../../server/services/datasets/manage-datasets';

export const POST = withApiKey<{ id: string }, typeof mappingPreviewBody>(
  { scope: 'datasets:read', body: 'json', response: mappingPreviewBody },
  async ({ db, actor, params, uuid, json }) => ({
    status: 200,
    body: await previewMappingForVersion(db, datasetStorage(), actor, uuid(params.id, 'Dataset'), await json(mappingSpecBody)),
  }),
);
