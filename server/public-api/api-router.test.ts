import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoutes, matchRoute, routeSegments, serveApiRequest, sortRoutes, type ApiRoute, type RouteModule } from './api-router';

const echo =
  (name: string): NonNullable<RouteModule['GET']> =>
  async (request, { params }) =>
    Response.json(
      { route: name, method: request.method, params: await params, forwardedFor: request.headers.get('x-forwarded-for'), body: request.body ? await request.text() : null },
      { headers: { 'x-route': name } },
    );

const route = (dir: string, module: RouteModule): ApiRoute => ({ segments: routeSegments(dir), module });

const ROUTES = sortRoutes([
  route('[...path]', { GET: echo('catch-all'), POST: echo('catch-all') }),
  route('runs/[id]', { GET: echo('run') }),
  route('runs/[id]/cancel', { POST: echo('cancel') }),
  route('runs/latest', { GET: echo('latest') }),
  route('datasets', { GET: echo('datasets'), POST: echo('datasets') }),
]);

const parts = (p: string) => p.split('/').filter(Boolean);

describe('route matching', () => {
  it('prefers a static segment to a parameter, and a parameter to a catch-all, whatever the file order', () => {
    expect(matchRoute(ROUTES, parts('runs/latest'))?.params).toEqual({});
    expect(matchRoute(ROUTES, parts('runs/latest'))?.route.module.GET).toBe(ROUTES.find((r) => r.segments[1]?.kind === 'static')?.module.GET);
    expect(matchRoute(ROUTES, parts('runs/abc'))?.params).toEqual({ id: 'abc' });
    expect(matchRoute(ROUTES, parts('runs/abc/cancel'))?.params).toEqual({ id: 'abc' });
    expect(matchRoute(ROUTES, parts('runs/abc/cancel/more'))?.params).toEqual({ path: ['runs', 'abc', 'cancel', 'more'] });
    expect(matchRoute(ROUTES, parts('nothing'))?.params).toEqual({ path: ['nothing'] });
    expect(matchRoute(ROUTES, [])).toBeNull();
  });

  it('finds every route of the real API under the path Next.js gives it', async () => {
    const dir = path.resolve(import.meta.dirname, '../../app/api/v1');
    const routes = await loadRoutes(dir);
    expect(routes.length).toBeGreaterThanOrEqual(16);
    const id = '0b5f8a52-8a3e-4d43-9d0b-6a9b0b1f0c11';
    const expectations: [string, string, Record<string, unknown>][] = [
      ['runs/' + id, 'runs/[id]', { id }],
      ['runs/' + id + '/cancel', 'runs/[id]/cancel', { id }],
      ['datasets/' + id + '/mapping/suggestion', 'datasets/[id]/mapping/suggestion', { id }],
      ['openapi.json', 'openapi.json', {}],
      ['studies', 'studies', {}],
      ['no/such/thing', '[...path]', { path: ['no', 'such', 'thing'] }],
    ];
    for (const [requestPath, dirName, params] of expectations) {
      const match = matchRoute(routes, parts(requestPath));
      const expected = routes.find((r) => r.segments.map((s) => (s.kind === 'static' ? s.value : s.kind === 'param' ? `[${s.name}]` : `[...${s.name}]`)).join('/') === dirName);
      expect(match?.route, requestPath).toBe(expected);
      expect(match?.params).toEqual(params);
    }
  });
});

describe('serveApiRequest over HTTP', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => void serveApiRequest(ROUTES, '/api/v1', req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes method, decoded params, body and the client address to the handler, and sends its answer with a length', async () => {
    const response = await fetch(`${base}/api/v1/runs/a%20b`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-route')).toBe('run');
    expect(response.headers.get('content-length')).toBe(String((await response.clone().arrayBuffer()).byteLength));
    expect(await response.json()).toMatchObject({ route: 'run', method: 'GET', params: { id: 'a b' }, forwardedFor: '127.0.0.1', body: null });

    const posted = await fetch(`${base}/api/v1/runs/x/cancel`, { method: 'POST', body: 'hello', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(await posted.json()).toMatchObject({ route: 'cancel', method: 'POST', body: 'hello', forwardedFor: '203.0.113.9' });
  });

  it('answers HEAD like GET without a body, OPTIONS with the methods, and an unsupported method with 405 problem+json', async () => {
    const head = await fetch(`${base}/api/v1/datasets`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-route')).toBe('datasets');
    expect(await head.text()).toBe('');

    const options = await fetch(`${base}/api/v1/datasets`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');

    const refused = await fetch(`${base}/api/v1/runs/x`, { method: 'DELETE' });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await refused.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED', instance: '/api/v1/runs/x' });
  });

  it('redirects a trailing slash away (308), keeping the query', async () => {
    const response = await fetch(`${base}/api/v1/datasets/?limit=2`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/api/v1/datasets?limit=2');
  });

  it('answers a path no route matches, a bad % escape and a bad Host header with problem+json 4xx', async () => {
    const none = await fetch(`${base}/api/v1`);
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ code: 'NO_SUCH_ENDPOINT' });

    const badEscape = await fetch(`${base}/api/v1/runs/%E0%A4%A`);
    expect(badEscape.status).toBe(400);
    expect(await badEscape.json()).toMatchObject({ code: 'INVALID_URL' });

    const badHost = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${base}/api/v1/datasets`, { headers: { host: 'bad host[' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(badHost.status).toBe(400);
    expect(JSON.parse(badHost.body)).toMatchObject({ code: 'INVALID_URL' });
  });

  it('answers a handler that throws with a generic 500 problem, and keeps serving', async () => {
    const failing = sortRoutes([route('boom', { GET: () => Promise.reject(new Error('secret detail')) })]);
    const local = createServer((req, res) => void serveApiRequest(failing, '/api/v1', req, res));
    local.listen(0, '127.0.0.1');
    await once(local, 'listening');
    const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/api/v1/boom`;
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(url);
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('secret detail');
      expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL' });
    }
    await new Promise<void>((resolve) => local.close(() => resolve()));
  });
});
