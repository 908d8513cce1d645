/**
 * GET  /api/v1/datasets — dataset versions (uploaded files), cursor-paginated.        datasets:read
 * POST /api/v1/datasets?kind=&filename=[&name=] — upload; the body is the file itself,
 *      streamed to storage (text/csv, text/plain, text/tab-separated-values or
 *      application/octet-stream).                                                        datasets:write
 */
import { env } from '../../../../server/env';
import { paginate, queryObject } from '../../../../server/public-api/pagination';
import { apiError } from '../../../../server/public-api/problem';
import { datasetSummary, datasetUploaded, datasetUploadQuery, page, pageQuery, UPLOAD_CONTENT_TYPES } from '../../../../server/public-api/schemas';
import { withApiKey } from '../../../../server/public-api/with-api-key';
import { datasetStorage } from '../../../../server/services/datasets/dataset-storage';
import { findDatasets } from '../../../../server/services/datasets/manage-datasets';
import { uploadDataset } from '../../../../server/services/datasets/upload-dataset';

const UPLOAD_TYPES = new Set<string>(UPLOAD_CONTENT_TYPES);

export const GET = withApiKey({ scope: 'datasets:read', response: page(datasetSummary) }, async ({ db, actor, url }) => {
  const query = pageQuery.parse(queryObject(url));
  const versions = await findDatasets(db, actor);
  const items = versions.map(({ versionId, ...version }) => ({ id: versionId, ...version }));
  return { status: 200, body: paginate(items, query) };
});

export const POST = withApiKey({ scope: 'datasets:write', body: 'stream', response: datasetUploaded }, async ({ db, actor, url, request, stream }) => {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!UPLOAD_TYPES.has(type)) {
    throw apiError('UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE', 'Send the file itself as the body, with Content-Type text/csv (or text/plain, text/tab-separated-values, application/octet-stream).');
  }
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > env().UPLOAD_MAX_BYTES) throw apiError('PAYLOAD_TOO_LARGE', 'BODY_TOO_LARGE', `The file is larger than the ${env().UPLOAD_MAX_BYTES} byte limit.`);
  const query = datasetUploadQuery.parse(queryObject(url));
  const uploaded = await uploadDataset(db, datasetStorage(), actor, query, stream(), { maxBytes: env().UPLOAD_MAX_BYTES });
  return { status: 201, body: { id: uploaded.versionId, datasetId: uploaded.datasetId, kind: uploaded.kind, version: uploaded.version, bytes: uploaded.bytes, sha256: uploaded.sha256, status: 'uploaded' } };
});
