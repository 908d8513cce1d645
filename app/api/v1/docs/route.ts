/** GET /api/v1/docs — the API documentation as a self-contained HTML page. Public: no API key. */
import { env } from '../../../../server/env';
import { buildOpenApiDocument } from '../../../../server/public-api/openapi';
import { renderOpenApiHtml } from '../../../../server/public-api/openapi-html';
import { WEBHOOK_VERIFY_SNIPPET } from '../../../../server/services/webhooks/webhook-signature';

let cached: string | null = null;

export function GET(): Response {
  cached ??= renderOpenApiHtml(buildOpenApiDocument({ rateLimitPerMinute: env().API_RATE_LIMIT_PER_MINUTE, uploadMaxBytes: env().UPLOAD_MAX_BYTES }), {
    specUrl: '/api/v1/openapi.json',
    webhookSnippet: WEBHOOK_VERIFY_SNIPPET,
  });
  return new Response(cached, {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=300', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" },
  });
}
