import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_KEY_SCOPES } from '../services/api-keys/scopes';
import { findRouteFiles } from './api-router';
import { API_ROUTES, buildOpenApiDocument } from './openapi';
import { renderOpenApiHtml } from './openapi-html';

type Json = Record<string, unknown>;

const ROOT = new URL('../../', import.meta.url).pathname;
const API_DIR = join(ROOT, 'app/api/v1');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const doc = buildOpenApiDocument({ rateLimitPerMinute: 600, uploadMaxBytes: 1024 });
const paths = doc.paths as Record<string, Record<string, Json>>;
const operations = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ path, method, op })));

/** The endpoints' route files: the catch-all (`[...path]`, a 404 for anything else) is no endpoint. */
const routeFiles = (dir: string) => findRouteFiles(dir).filter((file) => !file.includes('[...'));

/** The HTTP methods a route module exports: `export const GET =`, `export function GET`, `export { x as GET }`. */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) found.add(match[1]!);
  for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).at(-1)?.trim();
      if (name && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) found.add(name);
    }
  }
  return [...found].sort();
}

/** `[id]` → `{id}`, relative to /api/v1. */
const openApiPath = (file: string) =>
  '/' +
  relative(API_DIR, file)
    .split('/')
    .slice(0, -1)
    .map((segment) => segment.replace(/^\[(\w+)\]$/, '{$1}'))
    .join('/');

function resolvePointer(ref: string): unknown {
  expect(ref.startsWith('#/'), `external or malformed $ref ${ref}`).toBe(true);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = (node as Json)[part];
  }
  return node;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
  return out;
}

describe('OpenAPI document: structure', () => {
  it('is an OpenAPI 3.1 document with info, servers, paths and the bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect((doc.info as Json).description).toContain('600 requests per minute');
    expect(Object.keys(paths).length).toBeGreaterThan(0);
    expect((doc.components as Json).securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('every operation has a unique operationId, tags, responses and security', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(typeof op.operationId, where).toBe('string');
      expect(typeof op.summary, where).toBe('string');
      expect(op.tags, where).toHaveLength(1);
      expect(Object.keys(op.responses as Json).length, where).toBeGreaterThan(0);
      expect(Array.isArray(op.security), where).toBe(true);
      for (const status of Object.keys(op.responses as Json)) expect(status, where).toMatch(/^[1-5]\d\d$|^default$/);
      // Path templates and path parameters agree.
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect(declared, where).toEqual(templated);
    }
  });

  it('keyed operations document their scope, rate-limit headers and problem+json errors', () => {
    const keyed = operations.filter(({ op }) => (op.security as unknown[]).length > 0);
    expect(keyed.length).toBe(API_ROUTES.filter((route) => route.scope).length);
    for (const { path, method, op } of keyed) {
      const where = `${method.toUpperCase()} ${path}`;
      const scopes = op['x-required-scopes'] as string[];
      expect(scopes, where).toHaveLength(1);
      expect(API_KEY_SCOPES, where).toContain(scopes[0]);
      expect(op.security, where).toEqual([{ bearerAuth: scopes }]);
      expect(op.description, where).toContain(scopes[0]);
      const responses = op.responses as Record<string, Json>;
      for (const status of ['401', '403', '429', '500']) expect(responses[status], `${where} ${status}`).toBeDefined();
      const success = Object.entries(responses).find(([status]) => status.startsWith('2'))![1];
      expect(Object.keys(success.headers as Json), where).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']));
      expect(Object.keys(success.content as Json), where).toEqual(path === '/runs/{id}/export' ? ['text/csv', 'application/json'] : ['application/json']);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        const resolved = resolvePointer(response.$ref as string) as Json;
        expect((resolved.content as Json)['application/problem+json'], `${where} ${status}`).toEqual({ schema: { $ref: '#/components/schemas/Problem' } });
      }
      const idempotency = ((op.parameters ?? []) as Json[]).some((p) => p.$ref === '#/components/parameters/IdempotencyKey');
      expect(idempotency, where).toBe(method === 'post');
    }
    const tooMany = resolvePointer('#/components/responses/TooManyRequests') as Json;
    expect(Object.keys(tooMany.headers as Json)).toContain('Retry-After');
  });

  it('has every error status of the conventions: 400 401 403 404 409 413 415 422 429', () => {
    const statuses = new Set(operations.flatMap(({ op }) => Object.keys(op.responses as Json)));
    for (const status of ['400', '401', '403', '404', '409', '413', '415', '422', '429']) expect(statuses).toContain(status);
  });

  it('describes the upload as a streamed text/csv or multipart body and the study as a strict JSON body', () => {
    const upload = paths['/datasets']!.post!;
    const content = (upload.requestBody as Json).content as Json;
    expect(Object.keys(content)).toEqual(expect.arrayContaining(['text/csv', 'application/octet-stream', 'multipart/form-data']));
    expect(content).not.toHaveProperty('application/json');
    expect(content['multipart/form-data']).toMatchObject({ schema: { required: ['file'] } });
    // kind and filename may come as form fields instead, so the query names them without requiring them.
    const query = (upload.parameters as Json[]).filter((p) => p.in === 'query');
    expect(query.map((p) => [p.name, p.required])).toEqual([
      ['kind', false],
      ['filename', false],
      ['name', false],
    ]);
    const create = paths['/studies']!.post!;
    expect(((create.requestBody as Json).content as Json)['application/json']).toEqual({ schema: { $ref: '#/components/schemas/StudyCreate' } });
    const studyCreate = resolvePointer('#/components/schemas/StudyCreate') as Json;
    expect(studyCreate).toMatchObject({ type: 'object', additionalProperties: false });
    expect(studyCreate.required).toEqual(expect.arrayContaining(['name', 'intervention', 'outcome']));
    const list = paths['/datasets']!.get!;
    expect((list.parameters as Json[]).find((p) => p.name === 'limit')).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } });
  });

  it('writes timestamps as date-time strings and pages as references to their items', () => {
    const summary = resolvePointer('#/components/schemas/DatasetSummary') as { properties: Record<string, Json> };
    expect(summary.properties.createdAt).toEqual({ type: 'string', format: 'date-time' });
    expect(summary.properties.loadedAt).toEqual({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] });
    const datasetPage = resolvePointer('#/components/schemas/DatasetPage') as { properties: Record<string, Json> };
    expect(datasetPage.properties.data).toEqual({ type: 'array', items: { $ref: '#/components/schemas/DatasetSummary' } });
    for (const schema of Object.values((doc.components as Json).schemas as Record<string, Json>)) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('describes each webhook event with its signed headers and the body schema receivers can validate with', () => {
    const webhooks = doc.webhooks as Record<string, { post: Json }>;
    expect(Object.keys(webhooks).sort()).toEqual(['dataset.failed', 'dataset.loaded', 'run.completed', 'run.failed']);
    for (const [type, { post }] of Object.entries(webhooks)) {
      expect((post.parameters as Json[]).map((p) => p.name)).toEqual(['Causeway-Signature', 'Causeway-Event', 'Causeway-Delivery', 'Causeway-Timestamp']);
      const ref = (((post.requestBody as Json).content as Json)['application/json'] as Json).schema as Json;
      const schema = resolvePointer(ref.$ref as string) as { properties: Record<string, Json>; required: string[] };
      expect(schema.required, type).toEqual(expect.arrayContaining(['id', 'type', 'createdAt', 'tenant', 'data']));
      expect(schema.properties.type, type).toMatchObject({ const: type });
    }
    const tag = (doc.tags as Json[]).find((t) => t.name === 'Webhooks')!;
    expect(tag.description).toMatch(/HMAC-SHA256/);
    expect(tag.description).toMatch(/8 attempts/);
  });

  it('every $ref resolves inside the document', () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(resolvePointer(ref), ref).toBeDefined();
  });
});

describe('OpenAPI document: matches the route files under app/api/v1', () => {
  const files = routeFiles(API_DIR);
  const fromFiles = files.flatMap((file) => exportedMethods(readFileSync(file, 'utf8')).map((method) => `${method} ${openApiPath(file)}`)).sort();

  it('finds the route files (and skips the catch-all)', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(fromFiles).toContain('GET /datasets/{id}');
    expect(fromFiles.some((entry) => entry.includes('...'))).toBe(false);
  });

  it('documents every exported method of every route file, and nothing else', () => {
    const documented = operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    expect(documented).toEqual(fromFiles);
  });

  it("the table's file and scope agree with each route file", () => {
    for (const route of API_ROUTES) {
      const source = readFileSync(join(ROOT, route.file), 'utf8');
      expect(openApiPath(join(ROOT, route.file)), route.operationId).toBe(route.path);
      const scope = new RegExp(`export const ${route.method} = withApiKey[^(]*\\(\\s*\\{\\s*scope: '([^']+)'`).exec(source)?.[1] ?? null;
      expect(scope, `${route.method} ${route.path}`).toBe(route.scope);
      const body = new RegExp(`export const ${route.method} = withApiKey[^(]*\\(\\s*\\{[^}]*body: '(\\w+)'`).exec(source)?.[1];
      expect(body ?? 'none', `${route.method} ${route.path}`).toBe(route.body?.kind ?? 'none');
    }
  });
});

describe('renderOpenApiHtml', () => {
  const html = renderOpenApiHtml(doc, { specUrl: '/api/v1/openapi.json', webhookSnippet: 'verifyCausewaySignature(secret, header, rawBody) && a < b' });

  it('lists every operation, its parameters and the conventions, without external assets', () => {
    for (const { op } of operations) expect(html).toContain(`id="${String(op.operationId)}"`);
    expect(html).toContain('<code>Idempotency-Key</code>');
    expect(html).toContain('<code>limit</code>');
    expect(html).toContain('<code>datasets:write</code>');
    expect(html).toContain('RateLimit-Remaining');
    expect(html).toContain('application/problem+json');
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('has a webhooks section with every event and the (escaped) verification example', () => {
    expect(html).toContain('id="webhooks"');
    for (const type of ['run.completed', 'run.failed', 'dataset.loaded', 'dataset.failed']) expect(html).toContain(`<code>${type}</code>`);
    expect(html).toContain('<pre><code>verifyCausewaySignature(secret, header, rawBody) &amp;&amp; a &lt; b</code></pre>');
  });

  it('escapes text from the document', () => {
    const hostile = { ...doc, info: { title: '<script>x</script>', version: '1', description: 'a & b' } };
    const out = renderOpenApiHtml(hostile);
    expect(out).not.toContain('<script>x');
    expect(out).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(out).toContain('a &amp; b');
  });
});
