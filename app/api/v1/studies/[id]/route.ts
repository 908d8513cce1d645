/** GET /api/v1/studies/{id} — a study with its current specification.   studies:read */
import { studyDetail } from '../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../server/public-api/with-api-key';
import { getStudy } from '../../../../../server/services/studies/manage-studies';

export const GET = withApiKey<{ id: string }, typeof studyDetail>({ scope: 'studies:read', response: studyDetail }, async ({ db, actor, params, uuid }) => ({
  status: 200,
  body: await getStudy(db, actor, uuid(params.id, 'Study')),
}));
