/**
 * GET /api/v1/runs/{id}/export?format=csv|json — the result of a finished run as a file (CSV:
 * estimate, balance and subgroup tables; JSON: the full result), audit-logged; 409 while the run
 * has no result.   runs:read
 */
import { queryObject } from '../../../../../../server/public-api/query';
import { exportQuery } from '../../../../../../server/public-api/schemas';
import { withApiKey } from '../../../../../../server/public-api/with-api-key';
import { exportRun } from '../../../../../../server/services/runs/export-run';

export const GET = withApiKey<{ id: string }>({ scope: 'runs:read' }, async ({ db, actor, params, uuid, url }) => {
  const { format } = exportQuery.parse(queryObject(url));
  const file = await exportRun(db, actor, uuid(params.id, 'Run'), format);
  return { status: 200, body: null, file: { contentType: file.contentType, filename: file.filename, content: file.body } };
});
