/**
 * The rate limiter and the idempotency store against a real PostgreSQL: counts are shared by
 * every connection (as by several web instances), windows reset, concurrent requests are all
 * counted; idempotency claims are exclusive, completed responses come back, and a tenant can
 * neither see nor collide with another tenant's keys.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../db/client';
import { apiRateLimits, idempotencyKeys } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { createTenantWithMembers, testDatabases } from '../../../db/testing/fixtures';
import { inject } from 'vitest';
import { createApiKey } from '../api-keys/manage-api-keys';
import { claimIdempotencyKey, completeIdempotencyKey, IDEMPOTENCY_TTL_HOURS, releaseIdempotencyKey } from './idempotency-store';
import { authenticateApiKey } from '../api-keys/manage-api-keys';
import { rateLimitDecision } from './rate-limit';

const { app, owner } = testDatabases();
/** A second pool, standing in for a second web instance. */
const second = createDb(inject('appUrl'), { max: 5 });
let home: Awaited<ReturnType<typeof createTenantWithMembers>>;
let other: Awaited<ReturnType<typeof createTenantWithMembers>>;
let keyId: string;
let secret: string;
/** One request's count and decision, as `withApiKey` takes them: authentication counts it. */
const consume = async (db: typeof app.db, limit: number, now: Date) => rateLimitDecision((await authenticateApiKey(db, secret, now)).requestsInWindow, limit, now);

beforeAll(async () => {
  home = await createTenantWithMembers(app, ['admin']);
  other = await createTenantWithMembers(app, ['admin']);
  ({ id: keyId, secret } = await createApiKey(app.db, { tenantId: home.tenant.id, userId: home.members.admin!.id, role: 'admin' }, { name: 'rl', scopes: ['runs:read'] }));
});

afterAll(async () => {
  await second.close();
  await app.close();
  await owner.close();
});

describe('rate limit', () => {
  it('counts requests of one key across instances within a minute window, then resets', async () => {
    const t0 = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 10_000); // 10 s into a window
    expect(await consume(app.db, 3, t0)).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 50 });
    expect(await consume(second.db, 3, t0)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await consume(app.db, 3, t0)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await consume(second.db, 3, t0)).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 50 });
    const next = await consume(app.db, 3, new Date(t0.getTime() + 55_000));
    expect(next).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 55 });
    // The new window cleared the old one: one row per key.
    const rows = await owner.db.select().from(apiRateLimits).where(eq(apiRateLimits.keyId, keyId));
    expect(rows).toHaveLength(1);
  });

  it('counts every one of many concurrent requests (no lost updates)', async () => {
    const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3 * 60_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => consume(i % 2 ? app.db : second.db, 15, now)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(15);
    expect(results.filter((r) => !r.allowed)).toHaveLength(5);
  });

  it('keeps its rows under RLS: another tenant sees no counters', async () => {
    expect(await owner.db.select().from(apiRateLimits).where(eq(apiRateLimits.tenantId, home.tenant.id))).not.toHaveLength(0);
    expect(await withTenant(app.db, other.tenant.id, (tx) => tx.select().from(apiRateLimits))).toHaveLength(0);
    expect(await app.db.select().from(apiRateLimits)).toHaveLength(0);
  });
});

describe('idempotency store', () => {
  it('claims a key once; a twin sees it in progress; the completed response comes back; a failed one is released', async () => {
    const key = `k-${Date.now()}`;
    expect(await claimIdempotencyKey(app.db, home.tenant.id, key)).toEqual({ state: 'claimed' });
    expect(await claimIdempotencyKey(second.db, home.tenant.id, key)).toEqual({ state: 'in_progress' });
    await completeIdempotencyKey(app.db, home.tenant.id, key, { requestHash: 'h1', status: 201, body: { id: 'abc' } });
    expect(await claimIdempotencyKey(second.db, home.tenant.id, key)).toEqual({ state: 'completed', requestHash: 'h1', status: 201, body: { id: 'abc' } });
    // Releasing never removes a completed response.
    await releaseIdempotencyKey(app.db, home.tenant.id, key);
    expect((await claimIdempotencyKey(app.db, home.tenant.id, key)).state).toBe('completed');

    const failed = `${key}-failed`;
    expect((await claimIdempotencyKey(app.db, home.tenant.id, failed)).state).toBe('claimed');
    await releaseIdempotencyKey(app.db, home.tenant.id, failed);
    expect((await claimIdempotencyKey(app.db, home.tenant.id, failed)).state).toBe('claimed');
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const key = `race-${Date.now()}`;
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimIdempotencyKey(i % 2 ? app.db : second.db, home.tenant.id, key)));
    expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.state === 'in_progress')).toHaveLength(9);
  });

  it('scopes keys per tenant, forgets them after the TTL and takes over abandoned claims', async () => {
    const key = `shared-${Date.now()}`;
    await claimIdempotencyKey(app.db, home.tenant.id, key);
    await completeIdempotencyKey(app.db, home.tenant.id, key, { requestHash: 'h', status: 201, body: {} });
    expect((await claimIdempotencyKey(app.db, other.tenant.id, key)).state).toBe('claimed');
    expect(await withTenant(app.db, other.tenant.id, (tx) => tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.tenantId, home.tenant.id)))).toHaveLength(0);
    const later = new Date(Date.now() + (IDEMPOTENCY_TTL_HOURS + 1) * 3_600_000);
    expect((await claimIdempotencyKey(app.db, home.tenant.id, key, later)).state).toBe('claimed');

    const abandoned = `abandoned-${Date.now()}`;
    await claimIdempotencyKey(app.db, home.tenant.id, abandoned);
    expect((await claimIdempotencyKey(app.db, home.tenant.id, abandoned, new Date(Date.now() + 60_000))).state).toBe('in_progress');
    expect((await claimIdempotencyKey(app.db, home.tenant.id, abandoned, new Date(Date.now() + 16 * 60_000))).state).toBe('claimed');
  });
});
