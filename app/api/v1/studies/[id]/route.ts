/**
 * GET /api/v1/studies/{id} — a study with its current specification.                 studies:read
 * PUT /api/v1/studies/{id} — replace the specification (the study gets a new version;
 *     earlier runs keep the version they ran).                                       studies:write
 */
import { studyDetail, studyUpdateBody } from '../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../server/public-api/with-api-key';
import { getStudy, updateStudy } from '../../../../../server/services/studies/manage-studies';

export const GET = withApiKey<{ id: string }, typeof studyDetail>({ scope: 'studies:read', response: studyDetail }, async ({ db, actor, params, uuid }) => ({
  status: 200,
  body: await getStudy(db, actor, uuid(params.id, 'Study')),
}));

export const PUT = withApiKey<{ id: string }, typeof studyDetail>({ scope: 'studies:write', body: 'json', response: studyDetail }, async ({ db, actor, params, uuid, json }) => {
  return { status: 200, body: await updateStudy(db, actor, uuid(params.id, 'Study'), await json(studyUpdateBody)) };
});
