/**
 * The wrapper every /api/v1 route handler goes through:
 *  1. `Authorization: Bearer <key>` is parsed and the key authenticated (401 problem+json with
 *     API_KEY_MISSING / _MALFORMED / _UNKNOWN / _REVOKED / _EXPIRED);
 *  2. the key's tenant is resolved once, from the key itself;
 *  3. the per-key rate limit is counted in PostgreSQL in the same statement as step 1 (429 with
 *     Retry-After), and every response after this point carries RateLimit-Limit / -Remaining /
 *     -Reset (draft-ietf-httpapi-ratelimit-headers) and RateLimit-Policy;
 *  4. the scope is checked (403 INSUFFICIENT_SCOPE);
 *  5. a POST with `Idempotency-Key` is claimed, replayed or refused (see idempotency-store);
 *  6. the handler runs with a TenantActor and reads its body through `json()` (content type,
 *     size, JSON syntax and a strict zod schema checked) or `stream()`;
 *  7. every error becomes problem+json; a 500 never carries internals.
 * Requests made with a key act with the admin role of the tenant (the scope is the limit) and
 * are attributed in the audit log to the admin who created the key.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import { appDb } from '../../db';
import type { Db } from '../../db/client';
import { notFound } from '../errors/app-error';
import { env } from '../env';
import type { ApiKeyScope } from '../services/api-keys/scopes';
import { authenticateApiKey, type AuthenticatedKey } from '../services/api-keys/manage-api-keys';
import type { TenantActor } from '../services/members/manage-members';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../services/public-api/idempotency-store';
import { rateLimitDecision } from '../services/public-api/rate-limit';
import { apiError, problemJson, zodErrors } from './problem';
import { MAX_JSON_BYTES } from './schemas';

/** Largest JSON request body. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface ApiResult {
  status: number;
  body: unknown;
  /** A download instead of JSON (e.g. a CSV export): sent as is, with Content-Disposition. */
  file?: { contentType: string; filename: string; content: string };
}

export interface ApiContext<P> {
  request: Request;
  url: URL;
  params: P;
  key: AuthenticatedKey;
  actor: TenantActor;
  db: Db;
  /** Reads the body as JSON (application/json, at most MAX_JSON_BYTES) and parses it with `schema`. */
  json<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
  /** The raw body as a stream (for uploads); it is hashed on the way for idempotency. */
  stream(): Readable;
  /** A path parameter that must be a UUID; any other shape is a 404 like a missing resource. */
  uuid(value: string, what: string): string;
}

export interface ApiOptions<S extends z.ZodType | undefined> {
  scope: ApiKeyScope;
  /** How the request body is used: it decides what the idempotency hash covers. */
  body?: 'none' | 'json' | 'stream';
  /** Response schema: the handler's body is parsed with it (and a later OpenAPI document uses it). */
  response?: S;
  /** Test seam. */
  db?: () => Db;
}

type RouteHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

function bearerKey(request: Request): string {
  const header = request.headers.get('authorization');
  if (!header) {
    throw apiError('UNAUTHORIZED', 'API_KEY_MISSING', 'Send your API key as `Authorization: Bearer cw_live_…`.');
  }
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!match) throw apiError('UNAUTHORIZED', 'API_KEY_MALFORMED', 'The Authorization header must be `Bearer <API key>`.');
  return match[1]!;
}

/** A Node stream of the request body that feeds every byte it passes into `hash`. */
function hashedBody(request: Request, hash: Hash): Readable {
  if (!request.body) return Readable.from([]);
  const source = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  source.on('error', (error) => tee.destroy(error));
  return source.pipe(tee);
}

async function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw apiError('PAYLOAD_TOO_LARGE', 'BODY_TOO_LARGE', `The request body is larger than ${limit / 1024} KiB.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function assertJsonContentType(request: Request): void {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw apiError('UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with `Content-Type: application/json`.');
  }
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_JSON_BYTES) throw apiError('PAYLOAD_TOO_LARGE', 'BODY_TOO_LARGE', `The request body is larger than ${MAX_JSON_BYTES / 1024} KiB.`);
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw apiError('BAD_REQUEST', 'INVALID_JSON', 'The request body is empty; send a JSON object.');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw apiError('BAD_REQUEST', 'INVALID_JSON', 'The request body is not valid JSON.');
  }
}

/** A response that does not match its schema is our bug: a 500 (logged), never a 400. */
function parseResponse(schema: z.ZodType, body: unknown): unknown {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`response does not match its schema: ${JSON.stringify(zodErrors(parsed.error))}`);
  return parsed.data;
}

const toJson = (body: unknown): unknown => (body === undefined ? null : JSON.parse(JSON.stringify(body)));

export function withApiKey<P extends Record<string, string> = Record<string, never>, S extends z.ZodType | undefined = undefined>(
  options: ApiOptions<S>,
  handler: (context: ApiContext<P>) => Promise<ApiResult>,
): RouteHandler<P> {
  return async (request, routeContext) => {
    const url = new URL(request.url);
    const instance = url.pathname;
    const headers = new Headers();
    let idempotency: { tenantId: string; key: string } | null = null;
    const database = (options.db ?? appDb)();
    try {
      const now = new Date();
      const key = await authenticateApiKey(database, bearerKey(request), now);
      if (!key.createdBy) {
        throw apiError('UNAUTHORIZED', 'API_KEY_REVOKED', 'The administrator who created this key no longer has an account; create a new key.');
      }
      const limit = rateLimitDecision(key.requestsInWindow, env().API_RATE_LIMIT_PER_MINUTE, now);
      headers.set('RateLimit-Limit', String(limit.limit));
      headers.set('RateLimit-Remaining', String(limit.remaining));
      headers.set('RateLimit-Reset', String(limit.resetSeconds));
      headers.set('RateLimit-Policy', `${limit.limit};w=60`);
      if (!limit.allowed) {
        headers.set('Retry-After', String(limit.resetSeconds));
        throw apiError('TOO_MANY_REQUESTS', 'RATE_LIMITED', `This key made more than ${limit.limit} requests this minute; retry in ${limit.resetSeconds} s.`);
      }
      if (!key.scopes.includes(options.scope)) {
        throw apiError('FORBIDDEN', 'INSUFFICIENT_SCOPE', `This key lacks the ${options.scope} scope. Create a key with it in the portal.`, { requiredScope: options.scope });
      }
      const actor: TenantActor = {
        tenantId: key.tenantId,
        userId: key.createdBy,
        role: 'admin',
        ip: request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? null,
      };
      const params = await routeContext.params;
      const bodyKind = options.body ?? 'none';
      const hash = createHash('sha256').update(`${request.method} ${url.pathname}${url.search}\n`);
      let body: Readable | null = null;
      const stream = () => (body ??= hashedBody(request, hash));
      const readJson = async () => {
        assertJsonContentType(request);
        return parseJson(await readLimited(stream(), MAX_JSON_BYTES));
      };

      const idempotencyKey = request.method === 'POST' ? request.headers.get('idempotency-key') : null;
      if (idempotencyKey !== null) {
        if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
          throw apiError('BAD_REQUEST', 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–255 visible ASCII characters (a UUID is a good choice).');
        }
        const claim = await claimIdempotencyKey(database, key.tenantId, idempotencyKey);
        if (claim.state === 'in_progress') {
          throw apiError('CONFLICT', 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed; retry in a moment.');
        }
        if (claim.state === 'completed') {
          if (bodyKind === 'json') await readJson();
          else if (bodyKind === 'stream') for await (const _chunk of stream()) void _chunk;
          if (hash.digest('hex') !== claim.requestHash) {
            throw apiError('UNPROCESSABLE_CONTENT', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request; use a new key for a new request.');
          }
          headers.set('Idempotent-Replayed', 'true');
          headers.set('content-type', 'application/json');
          return new Response(JSON.stringify(claim.body), { status: claim.status, headers });
        }
        idempotency = { tenantId: key.tenantId, key: idempotencyKey };
      }

      const result = await handler({
        request,
        url,
        params,
        key,
        actor,
        db: database,
        stream,
        json: async (schema) => {
          const parsed = schema.safeParse(await readJson());
          if (!parsed.success) {
            throw apiError('BAD_REQUEST', 'VALIDATION_FAILED', parsed.error.issues[0]?.message ?? 'The request body is not valid.', { errors: zodErrors(parsed.error) });
          }
          return parsed.data;
        },
        uuid: (value, what) => {
          if (!UUID.test(value)) throw notFound(what);
          return value.toLowerCase();
        },
      });
      if (result.file) {
        headers.set('content-type', result.file.contentType);
        headers.set('content-disposition', `attachment; filename="${result.file.filename}"`);
        return new Response(result.file.content, { status: result.status, headers });
      }
      const responseBody = toJson(options.response ? parseResponse(options.response, result.body) : result.body);
      if (idempotency && result.status >= 200 && result.status < 300) {
        await completeIdempotencyKey(database, idempotency.tenantId, idempotency.key, { requestHash: hash.digest('hex'), status: result.status, body: responseBody });
        idempotency = null;
      }
      headers.set('content-type', 'application/json');
      return new Response(JSON.stringify(responseBody), { status: result.status, headers });
    } catch (error) {
      return problemJson(error, instance, headers);
    } finally {
      if (idempotency) await releaseIdempotencyKey(database, idempotency.tenantId, idempotency.key).catch(() => undefined);
    }
  };
}

