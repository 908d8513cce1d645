/** GET /api/v1/datasets/{id}/mapping/suggestion — a suggested mapping for a profiled file (412 while profiling).   datasets:read */
import { mappingSuggestionBody } from '../../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../../server/public-api/with-api-key';
import { suggestMappingForVersion } from '../../../../../../../server/services/datasets/manage-datasets';

export const GET = withApiKey<{ id: string }, typeof mappingSuggestionBody>(
  { scope: 'datasets:read', response: mappingSuggestionBody },
  async ({ db, actor, params, uuid }) => {
    const { spec, ...suggestion } = await suggestMappingForVersion(db, actor, uuid(params.id, 'Dataset'));
    return { status: 200, body: { ...suggestion, spec: { nullTokens: spec.nullTokens, assignments: spec.assignments } } };
  },
);
