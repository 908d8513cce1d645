/** GET /api/v1/openapi.json — the OpenAPI 3.1 document of the API. Public: no API key. */
import { env } from '../../../../server/env';
import { buildOpenApiDocument } from '../../../../server/public-api/openapi';

let cached: string | null = null;

export function GET(): Response {
  cached ??= JSON.stringify(buildOpenApiDocument({ rateLimitPerMinute: env().API_RATE_LIMIT_PER_MINUTE, uploadMaxBytes: env().UPLOAD_MAX_BYTES }));
  return new Response(cached, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' } });
}
