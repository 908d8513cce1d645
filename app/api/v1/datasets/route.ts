/**
 * GET  /api/v1/datasets — dataset versions (uploaded files), newest first, cursor-paginated.   datasets:read
 * POST /api/v1/datasets?kind=&filename=[&name=] — upload; the body is the file itself,
 *      streamed to storage (text/csv, text/plain, text/tab-separated-values or
 *      application/octet-stream), or multipart/form-data with the file in the part `file`
 *      (kind, name and filename as form fields before it, or in the query).              datasets:write
 */
import { env } from '../../../../server/env';
import { queryObject } from '../../../../server/public-api/query';
import { readMultipartFile } from '../../../../server/public-api/multipart-upload';
import { apiError } from '../../../../server/public-api/problem';
import { datasetSummary, datasetUploaded, datasetUploadQuery, page, pageQuery, UPLOAD_CONTENT_TYPES } from '../../../../server/public-api/schemas';
import { withApiKey } from '../../../../server/public-api/with-api-key';
import { datasetStorage } from '../../../../server/services/datasets/dataset-storage';
import { findDatasetPage } from '../../../../server/services/datasets/manage-datasets';
import { uploadDataset } from '../../../../server/services/datasets/upload-dataset';

const UPLOAD_TYPES = new Set<string>(UPLOAD_CONTENT_TYPES);

export const GET = withApiKey({ scope: 'datasets:read', response: page(datasetSummary) }, async ({ db, actor, url }) => {
  return { status: 200, body: await findDatasetPage(db, actor, pageQuery.parse(queryObject(url))) };
});

export const POST = withApiKey({ scope: 'datasets:write', body: 'stream', response: datasetUploaded }, async ({ db, actor, url, request, stream }) => {
  const contentType = request.headers.get('content-type') ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const maxBytes = env().UPLOAD_MAX_BYTES;
  if (type !== 'multipart/form-data' && !UPLOAD_TYPES.has(type)) {
    throw apiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the file itself as the body with Content-Type text/csv (or text/plain, text/tab-separated-values, application/octet-stream), or as multipart/form-data with the file in a part named “file”.',
    );
  }
  // The multipart envelope adds a few hundred bytes; the file itself is checked against the limit.
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > maxBytes + (type === 'multipart/form-data' ? 64 * 1024 : 0)) throw apiError('PAYLOAD_TOO_LARGE', 'BODY_TOO_LARGE', `The file is larger than the ${maxBytes} byte limit.`);
  const query = queryObject(url);
  const uploaded =
    type === 'multipart/form-data'
      ? await readMultipartFile(contentType, stream(), maxBytes, ({ fields, filename, stream: file }) =>
          uploadDataset(db, datasetStorage(), actor, datasetUploadQuery.parse({ filename: filename || undefined, ...fields, ...query }), file, { maxBytes }),
        )
      : await uploadDataset(db, datasetStorage(), actor, datasetUploadQuery.parse(query), stream(), { maxBytes });
  return { status: 201, body: { id: uploaded.versionId, datasetId: uploaded.datasetId, kind: uploaded.kind, version: uploaded.version, bytes: uploaded.bytes, sha256: uploaded.sha256, status: 'uploaded' } };
});
