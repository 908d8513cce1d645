/**
 * The public API wrapper on real requests and a real PostgreSQL (no Next server): key checks,
 * scopes, the rate limit with its headers, idempotent replays, body limits, and 500s that carry
 * no internals.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTenantWithMembers, testDatabases, useTestEnv } from '../../db/testing/fixtures';
import { createApiKey } from '../services/api-keys/manage-api-keys';
import { withApiKey } from './with-api-key';

useTestEnv();
process.env.API_RATE_LIMIT_PER_MINUTE = '5';
const { app, owner } = testDatabases();
let secret: string;
let readOnly: string;
let calls = 0;

beforeAll(async () => {
  const home = await createTenantWithMembers(app, ['admin']);
  const actor = { tenantId: home.tenant.id, userId: home.members.admin!.id, role: 'admin' as const };
  secret = (await createApiKey(app.db, actor, { name: 'wrapper', scopes: ['studies:write', 'studies:read'] })).secret;
  readOnly = (await createApiKey(app.db, actor, { name: 'read', scopes: ['datasets:read'] })).secret;
});

afterAll(async () => {
  await app.close();
  await owner.close();
});

const db = () => app.db;
const echo = withApiKey({ scope: 'studies:write', body: 'json', db }, async ({ json, actor }) => {
  calls += 1;
  const body = await json(z.strictObject({ name: z.string() }));
  return { status: 201, body: { id: randomUUID(), name: body.name, tenantId: actor.tenantId, role: actor.role } };
});
const call = (handler: typeof echo, init: RequestInit & { key?: string } = {}) =>
  handler(
    new Request('http://localhost/api/v1/things', {
      method: 'POST',
      ...init,
      headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    }),
    { params: Promise.resolve({}) },
  );
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

describe('withApiKey', () => {
  it('refuses missing and malformed keys with 401 problem+json and stable codes', async () => {
    const missing = await call(echo, { body: '{}' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(missing)).toMatchObject({ code: 'API_KEY_MISSING', status: 401, instance: '/api/v1/things' });
    expect(await json(await call(echo, { key: 'cw_live_x', body: '{}' }))).toMatchObject({ code: 'API_KEY_MALFORMED' });
    expect(await json(await call(echo, { headers: { authorization: secret }, body: '{}' }))).toMatchObject({ code: 'API_KEY_MALFORMED' });
  });

  it('checks the scope, and replays an idempotent POST without running it twice', async () => {
    const forbidden = await call(echo, { key: readOnly, body: '{"name":"a"}' });
    expect(forbidden.status).toBe(403);
    expect(await json(forbidden)).toMatchObject({ code: 'INSUFFICIENT_SCOPE', requiredScope: 'studies:write' });
    const before = calls;
    const key = randomUUID();
    const first = await call(echo, { key: secret, body: '{"name":"a"}', headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(first.headers.get('ratelimit-limit')).toBe('5');
    const replay = await call(echo, { key: secret, body: '{"name":"a"}', headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(replay)).toEqual(await json(first));
    expect(calls).toBe(before + 1);
    const reused = await call(echo, { key: secret, body: '{"name":"b"}', headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(await json(reused)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('answers 429 with Retry-After once the key has made its requests this minute', async () => {
    let response: Response | undefined;
    for (let i = 0; i < 12; i += 1) {
      response = await call(echo, { key: readOnly, body: '{}' });
      if (response.status === 429) break;
    }
    expect(response!.status).toBe(429);
    expect(await json(response!)).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number(response!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response!.headers.get('ratelimit-remaining')).toBe('0');
    expect(response!.headers.get('ratelimit-reset')).toBe(response!.headers.get('retry-after'));
  });

  it('turns unexpected errors and response-schema mismatches into a bare 500', async () => {
    const other = await createTenantWithMembers(app, ['admin']);
    const fresh = (await createApiKey(app.db, { tenantId: other.tenant.id, userId: other.members.admin!.id, role: 'admin' }, { name: 'x', scopes: ['runs:read'] })).secret;
    const broken = withApiKey({ scope: 'runs:read', db }, async () => {
      throw new Error('connection to 10.0.0.5 failed: password "hunter2"');
    });
    const response = await call(broken, { key: fresh, method: 'GET', body: undefined });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/hunter2|10\.0\.0\.5|Error/);
    expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL', status: 500 });
    const lying = withApiKey({ scope: 'runs:read', db, response: z.object({ id: z.string().uuid() }) }, async () => ({ status: 200, body: { id: 'not-a-uuid', secret: 'x' } }));
    expect((await call(lying, { key: fresh, method: 'GET', body: undefined })).status).toBe(500);
  });
});
