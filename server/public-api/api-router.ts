/**
 * Serves the /api/v1 route handlers (app/api/v1/**\/route.ts, the same modules Next.js serves)
 * straight from Node's HTTP server, without Next's request pipeline. The production web server
 * (infra/local/web-server.ts) sends /api/v1 here; `next dev` still serves them itself.
 *
 * Why: an API poll costs ≈1 ms in our handler and ≈2.5 ms more in Next's routing, async-context
 * and stream plumbing, all on the one JavaScript thread of a web process (bench/api-poll.ts).
 *
 * What it keeps from Next's behaviour for route handlers: the most specific route wins (static
 * segment, then `[param]`, then `[...rest]`), params are URL-decoded, HEAD answers like GET
 * without a body, OPTIONS lists the methods, a trailing slash is redirected away (308), and
 * `x-forwarded-for` is filled from the socket when no proxy set it.
 */
import { readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { apiError, noSuchEndpoint, problemJson } from './problem';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
export type RouteModule = Partial<Record<(typeof METHODS)[number], RouteHandler>>;

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'rest'; name: string };

export interface ApiRoute {
  segments: Segment[];
  module: RouteModule;
}

/** `runs/[id]/cancel` → its segments (relative to the API's base path). */
export function routeSegments(relativeDir: string): Segment[] {
  return relativeDir
    .split('/')
    .filter(Boolean)
    .map((part): Segment => {
      const rest = /^\[\.\.\.(\w+)\]$/.exec(part);
      if (rest) return { kind: 'rest', name: rest[1]! };
      const param = /^\[(\w+)\]$/.exec(part);
      return param ? { kind: 'param', name: param[1]! } : { kind: 'static', value: part };
    });
}

const RANK = { static: 0, param: 1, rest: 2 } as const;

/** Orders routes so that the first match is the most specific one, as Next.js resolves them. */
export function sortRoutes(routes: ApiRoute[]): ApiRoute[] {
  return [...routes].sort((a, b) => {
    for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i += 1) {
      const x = a.segments[i];
      const y = b.segments[i];
      if (!x || !y) return x ? (x.kind === 'rest' ? 1 : -1) : y!.kind === 'rest' ? -1 : 1;
      if (RANK[x.kind] !== RANK[y.kind]) return RANK[x.kind] - RANK[y.kind];
    }
    return 0;
  });
}

export function matchRoute(routes: ApiRoute[], parts: string[]): { route: ApiRoute; params: Record<string, string | string[]> } | null {
  for (const route of routes) {
    const params: Record<string, string | string[]> = {};
    let matched = true;
    for (let i = 0; i < route.segments.length && matched; i += 1) {
      const segment = route.segments[i]!;
      if (segment.kind === 'rest') {
        if (i >= parts.length) matched = false;
        else params[segment.name] = parts.slice(i);
        break;
      }
      const part = parts[i];
      if (part === undefined) matched = false;
      else if (segment.kind === 'static') matched = segment.value === part;
      else params[segment.name] = part;
    }
    const consumedAll = route.segments.at(-1)?.kind === 'rest' || route.segments.length === parts.length;
    if (matched && consumedAll) return { route, params };
  }
  return null;
}

/** Every route handler file (`route.ts`) under `dir`, catch-all routes included. */
export function findRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findRouteFiles(full);
    return /^route\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

/** Every `route.ts` under `dir`, imported (the web server runs with tsx, which loads TypeScript). */
export async function loadRoutes(dir: string): Promise<ApiRoute[]> {
  const routes = await Promise.all(
    findRouteFiles(dir).map(async (file) => ({ segments: routeSegments(path.relative(dir, path.dirname(file))), module: (await import(pathToFileURL(file).href)) as RouteModule })),
  );
  return sortRoutes(routes);
}

function toRequest(incoming: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  if (!headers.has('x-forwarded-for') && incoming.socket.remoteAddress) headers.set('x-forwarded-for', incoming.socket.remoteAddress);
  const hasBody = incoming.method !== 'GET' && incoming.method !== 'HEAD';
  return new Request(url, {
    method: incoming.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(outgoing: ServerResponse, response: Response, withBody: boolean): Promise<void> {
  const body = withBody && response.body ? Buffer.from(await response.arrayBuffer()) : null;
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (body) headers['content-length'] = String(body.length);
  outgoing.writeHead(response.status, headers);
  outgoing.end(body ?? undefined);
}

/** The methods a route answers, for `Allow` (HEAD with GET, OPTIONS always). */
function allowHeader(route: ApiRoute): string {
  const allowed: string[] = METHODS.filter((name) => route.module[name]);
  if (allowed.includes('GET')) allowed.push('HEAD');
  return [...allowed, 'OPTIONS'].join(', ');
}

/** The URL and its path segments below `basePath` (URL-decoded), or null when they cannot be read. */
function requestPath(incoming: IncomingMessage, basePath: string): { url: URL; parts: string[] } | null {
  try {
    const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`);
    return { url, parts: url.pathname.slice(basePath.length).split('/').filter(Boolean).map(decodeURIComponent) };
  } catch {
    return null; // a malformed Host header or % escape
  }
}

/** Answers one request under `basePath` (e.g. /api/v1) with the matching route handler. */
export async function serveApiRequest(routes: ApiRoute[], basePath: string, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const method = (incoming.method ?? 'GET').toUpperCase();
  const withBody = method !== 'HEAD';
  const target = requestPath(incoming, basePath);
  const instance = target?.url.pathname ?? basePath;
  try {
    if (!target) {
      await send(outgoing, problemJson(apiError('BAD_REQUEST', 'INVALID_URL', 'The request URL or its Host header is not valid.'), instance), withBody);
      return;
    }
    const { url, parts } = target;
    if (url.pathname.length > basePath.length + 1 && url.pathname.endsWith('/')) {
      outgoing.writeHead(308, { location: url.pathname.replace(/\/+$/, '') + url.search });
      outgoing.end();
      return;
    }
    const match = matchRoute(routes, parts);
    if (!match) {
      await send(outgoing, noSuchEndpoint(instance), withBody);
      return;
    }
    if (method === 'OPTIONS') {
      outgoing.writeHead(204, { allow: allowHeader(match.route) });
      outgoing.end();
      return;
    }
    const handler = match.route.module[(method === 'HEAD' ? 'GET' : method) as (typeof METHODS)[number]];
    if (!handler) {
      const allow = allowHeader(match.route);
      const refusal = apiError('METHOD_NOT_ALLOWED', 'METHOD_NOT_ALLOWED', `This endpoint does not accept ${method}; it accepts ${allow}.`);
      await send(outgoing, problemJson(refusal, instance, { allow }), withBody);
      return;
    }
    await send(outgoing, await handler(toRequest(incoming, url), { params: Promise.resolve(match.params) }), withBody);
  } catch (error) {
    // The handlers answer their own errors; reaching this is our bug (problemJson logs it).
    if (!outgoing.headersSent) await send(outgoing, problemJson(error, instance), withBody);
    else outgoing.destroy();
  }
}
