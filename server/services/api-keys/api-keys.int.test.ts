/**
 * API keys against a real PostgreSQL as the app role: the secret is shown once and only its hash
 * is stored, revocation and expiry take effect on the next request, the rotation limit holds,
 * another tenant's keys are invisible (to the service and to plain SQL under RLS), and the
 * lookup function answers only for an exact prefix and hash.
 */
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditEvents } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { createTenantWithMembers, databaseError, testDatabases } from '../../../db/testing/fixtures';
import { AppError } from '../../errors/app-error';
import type { TenantActor } from '../members/manage-members';
import { authenticateApiKey, createApiKey, findApiKeys, MAX_ACTIVE_KEYS_PER_NAME, revokeApiKey } from './manage-api-keys';

const { app, owner } = testDatabases();
let home: Awaited<ReturnType<typeof createTenantWithMembers>>;
let other: Awaited<ReturnType<typeof createTenantWithMembers>>;
let admin: TenantActor;
let otherAdmin: TenantActor;

beforeAll(async () => {
  home = await createTenantWithMembers(app, ['owner', 'admin', 'analyst']);
  other = await createTenantWithMembers(app, ['admin']);
  admin = { tenantId: home.tenant.id, userId: home.members.admin!.id, role: 'admin', ip: '203.0.113.9' };
  otherAdmin = { tenantId: other.tenant.id, userId: other.members.admin!.id, role: 'admin' };
});

afterAll(async () => {
  await app.close();
  await owner.close();
});

async function problemOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return `${error.code}:${String(error.details.problemCode ?? '')}`;
    throw error;
  }
  return 'OK';
}

describe('API keys', () => {
  it('returns the secret once, stores only its SHA-256, prefix and last four, and audit-logs the creation', async () => {
    const created = await createApiKey(app.db, admin, { name: 'warehouse export', scopes: ['datasets:write', 'datasets:read', 'datasets:read'] });
    expect(created.secret).toMatch(/^cw_live_[a-z2-7]{8}_/);
    expect(created.scopes).toEqual(['datasets:read', 'datasets:write']);
    const [row] = await owner.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row).toMatchObject({ prefix: created.prefix, lastFour: created.secret.slice(-4), secretHash: createHash('sha256').update(created.secret).digest('hex') });
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(17));
    const listed = await findApiKeys(app.db, admin);
    const mine = listed.find((k) => k.id === created.id)!;
    expect(mine).toMatchObject({ status: 'active', prefix: created.prefix, lastFour: created.lastFour, lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(Object.keys(mine)).not.toContain('secretHash');
    const [audit] = await owner.db.select().from(auditEvents).where(eq(auditEvents.subject, 'warehouse export'));
    expect(audit).toMatchObject({ tenantId: home.tenant.id, action: 'api_key.created', actorUserId: admin.userId, ip: '203.0.113.9' });
    expect(JSON.stringify(audit!.metadata)).not.toContain(created.secret);
  });

  it('authenticates the key to its tenant and scopes, and records the last use at most once a minute', async () => {
    const created = await createApiKey(app.db, admin, { name: 'scheduler', scopes: ['studies:read', 'runs:write'] });
    const t0 = new Date();
    expect(await authenticateApiKey(app.db, created.secret, t0)).toEqual({
      tenantId: home.tenant.id,
      keyId: created.id,
      scopes: ['runs:write', 'studies:read'],
      createdBy: admin.userId,
      requestsInWindow: 1,
    });
    const used = async () => (await owner.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, created.id)))[0]!.at;
    expect((await used())?.getTime()).toBe(t0.getTime());
    await authenticateApiKey(app.db, created.secret, new Date(t0.getTime() + 30_000));
    expect((await used())?.getTime()).toBe(t0.getTime());
    await authenticateApiKey(app.db, created.secret, new Date(t0.getTime() + 61_000));
    expect((await used())?.getTime()).toBe(t0.getTime() + 61_000);
  });

  it('refuses malformed, unknown, revoked and expired keys with distinct problem codes; revocation is instant', async () => {
    const created = await createApiKey(app.db, admin, { name: 'dashboard', scopes: ['runs:read'] });
    expect(await problemOf(authenticateApiKey(app.db, 'not-a-key'))).toBe('UNAUTHORIZED:API_KEY_MALFORMED');
    const wrongSecret = `${created.prefix}_${'A'.repeat(43)}`;
    expect(await problemOf(authenticateApiKey(app.db, wrongSecret))).toBe('UNAUTHORIZED:API_KEY_UNKNOWN');
    expect(await problemOf(authenticateApiKey(app.db, created.secret))).toBe('OK');
    await revokeApiKey(app.db, admin, created.id);
    expect(await problemOf(authenticateApiKey(app.db, created.secret))).toBe('UNAUTHORIZED:API_KEY_REVOKED');
    expect((await findApiKeys(app.db, admin)).find((k) => k.id === created.id)?.status).toBe('revoked');
    const [audit] = await owner.db.select().from(auditEvents).where(eq(auditEvents.action, 'api_key.revoked'));
    expect(audit).toMatchObject({ tenantId: home.tenant.id, subject: 'dashboard', metadata: { keyId: created.id } });

    const soon = new Date(Date.now() + 60_000);
    const expiring = await createApiKey(app.db, admin, { name: 'short-lived', scopes: ['runs:read'], expiresAt: soon });
    expect(await problemOf(authenticateApiKey(app.db, expiring.secret))).toBe('OK');
    expect(await problemOf(authenticateApiKey(app.db, expiring.secret, new Date(soon.getTime() + 1)))).toBe('UNAUTHORIZED:API_KEY_EXPIRED');
    expect((await findApiKeys(app.db, admin, new Date(soon.getTime() + 1))).find((k) => k.id === expiring.id)?.status).toBe('expired');
    expect(await problemOf(createApiKey(app.db, admin, { name: 'past', scopes: ['runs:read'], expiresAt: new Date(Date.now() - 1000) }))).toBe('BAD_REQUEST:');
  });

  it('keeps at most two active keys per name (rotation), counting neither revoked nor expired ones', async () => {
    const first = await createApiKey(app.db, admin, { name: 'rotating', scopes: ['runs:read'] });
    await createApiKey(app.db, admin, { name: 'rotating', scopes: ['runs:read'] });
    expect(MAX_ACTIVE_KEYS_PER_NAME).toBe(2);
    expect(await problemOf(createApiKey(app.db, admin, { name: 'rotating', scopes: ['runs:read'] }))).toBe('CONFLICT:');
    await revokeApiKey(app.db, admin, first.id);
    expect(await problemOf(createApiKey(app.db, admin, { name: 'rotating', scopes: ['runs:read'] }))).toBe('OK');
    // The same name in another tenant is unaffected.
    expect(await problemOf(createApiKey(app.db, otherAdmin, { name: 'rotating', scopes: ['runs:read'] }))).toBe('OK');
  });

  it('lets only admins and owners manage keys, and validates scopes', async () => {
    const analyst: TenantActor = { tenantId: home.tenant.id, userId: home.members.analyst!.id, role: 'analyst' };
    expect(await problemOf(createApiKey(app.db, analyst, { name: 'x', scopes: ['runs:read'] }))).toBe('FORBIDDEN:');
    expect(await problemOf(findApiKeys(app.db, analyst))).toBe('FORBIDDEN:');
    await expect(createApiKey(app.db, admin, { name: 'x', scopes: ['admin:all' as never] })).rejects.toThrow(/Scopes are/);
    await expect(createApiKey(app.db, admin, { name: 'x', scopes: [] })).rejects.toThrow(/at least one scope/);
  });

  it('hides one tenant’s keys from another: list, revoke and plain SQL under RLS', async () => {
    const foreign = await createApiKey(app.db, otherAdmin, { name: 'theirs', scopes: ['runs:read'] });
    expect((await findApiKeys(app.db, admin)).map((k) => k.id)).not.toContain(foreign.id);
    expect(await problemOf(revokeApiKey(app.db, admin, foreign.id))).toBe('NOT_FOUND:');
    expect(await problemOf(authenticateApiKey(app.db, foreign.secret))).toBe('OK');
    // Plain reads as the app role: nothing without a tenant, only the own tenant's rows with one.
    expect(await app.db.select().from(apiKeys)).toHaveLength(0);
    const seen = await withTenant(app.db, home.tenant.id, (tx) => tx.select().from(apiKeys).where(eq(apiKeys.id, foreign.id)));
    expect(seen).toHaveLength(0);
    const message = await databaseError(
      withTenant(app.db, home.tenant.id, (tx) =>
        tx.insert(apiKeys).values({ tenantId: other.tenant.id, name: 'planted', scopes: ['runs:read'], prefix: 'cw_live_planted0', lastFour: 'abcd', secretHash: 'x' }),
      ),
    );
    expect(message).toMatch(/row-level security/);
  });

  it('lets the app role call only the authentication function, which answers for an exact prefix and hash only', async () => {
    const created = await createApiKey(app.db, admin, { name: 'lookup', scopes: ['runs:read'] });
    const hash = createHash('sha256').update(created.secret).digest('hex');
    const call = (secretHash: string) => app.db.execute<Record<string, unknown>>(sql`select * from app_authenticate_api_key(${created.prefix}, ${secretHash}, now(), 60)`);
    expect(await call('0'.repeat(64))).toHaveLength(0);
    const exact = await call(hash);
    expect(exact).toHaveLength(1);
    expect(Object.keys(exact[0]!).sort()).toEqual(['created_by', 'expires_at', 'id', 'revoked_at', 'scopes', 'tenant_id', 'window_count']);
    const [role] = await owner.db.execute<{ secdef: boolean }>(sql`select prosecdef as secdef from pg_proc where proname = 'app_authenticate_api_key'`);
    expect(role?.secdef).toBe(true);
    // The owner-only write policies it relies on give the app role nothing.
    expect(await app.db.select().from(apiKeys)).toHaveLength(0);
  });

});
