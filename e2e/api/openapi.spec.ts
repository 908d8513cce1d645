/** The OpenAPI document and the docs page of /api/v1: public (no API key), and they list the endpoints. */
import { expect, test } from '@playwright/test';

test('GET /api/v1/openapi.json serves the OpenAPI 3.1 document without an API key', async ({ request }) => {
  const response = await request.get('/api/v1/openapi.json');
  expect(response.status(), await response.text()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  const document = (await response.json()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; 'x-required-scopes'?: string[] }>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  expect(document.openapi).toBe('3.1.0');
  expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  expect(document.paths['/datasets']?.post).toMatchObject({ operationId: 'uploadDataset', 'x-required-scopes': ['datasets:write'] });
  expect(document.paths['/runs/{id}/result']?.get).toMatchObject({ operationId: 'getRunResult', 'x-required-scopes': ['runs:read'] });
  expect(document.paths['/studies/{id}/runs']?.post?.operationId).toBe('startRun');
});

test('GET /api/v1/docs is a readable HTML page without an API key', async ({ request }) => {
  const response = await request.get('/api/v1/docs');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/html');
  const html = await response.text();
  expect(html).toContain('Idempotency-Key');
  expect(html).toContain('/studies/{id}/runs');
  expect(html).not.toContain('<script');
});

test('the catch-all still answers unknown /api/v1 paths with problem+json', async ({ request }) => {
  const response = await request.get('/api/v1/openapi.yaml');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-type']).toContain('application/problem+json');
});
