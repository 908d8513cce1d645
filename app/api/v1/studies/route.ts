/**
 * GET  /api/v1/studies — studies, most recently changed first, cursor-paginated.   studies:read
 * POST /api/v1/studies — define a study (the specification, as in the portal).      studies:write
 */
import { queryObject } from '../../../../server/public-api/query';
import { page, pageQuery, studyCreateBody, studyDetail, studySummary } from '../../../../server/public-api/schemas';
import { withApiKey } from '../../../../server/public-api/with-api-key';
import { createStudy, findStudyPage } from '../../../../server/services/studies/manage-studies';

export const GET = withApiKey({ scope: 'studies:read', response: page(studySummary) }, async ({ db, actor, url }) => {
  return { status: 200, body: await findStudyPage(db, actor, pageQuery.parse(queryObject(url))) };
});

export const POST = withApiKey({ scope: 'studies:write', body: 'json', response: studyDetail }, async ({ db, actor, json }) => {
  return { status: 201, body: await createStudy(db, actor, await json(studyCreateBody)) };
});
