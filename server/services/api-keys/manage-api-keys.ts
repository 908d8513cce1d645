/**
 * API keys of a tenant: create (the secret is returned once and only its SHA-256 is kept), list,
 * revoke (takes effect on the next request: every request looks the key up), and authenticate a
 * presented key. Admins and owners manage keys.
 *
 * "Two active keys for rotation" (issue 7) is enforced per key *name*: an integration (the
 * nightly export, the scheduler) keeps its name, and may hold the old and the new key while it
 * rotates; a third active key of that name is refused until one is revoked or expires. A tenant
 * holds at most MAX_ACTIVE_KEYS_PER_TENANT active keys in all.
 */
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { apiKeys, users } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError, notFound } from '../../errors/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { TenantActor } from '../members/manage-members';
import { assertRole } from '../tenants/roles';
import { API_KEY_SCOPES, generateApiKey, parseApiKey, type ApiKeyScope } from './api-key-format';

export const MAX_ACTIVE_KEYS_PER_NAME = 2;
export const MAX_ACTIVE_KEYS_PER_TENANT = 20;

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, 'Name the key after what uses it, e.g. “nightly warehouse export”.').max(80),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { error: `Scopes are ${API_KEY_SCOPES.join(', ')}.` }))
    .min(1, 'Give the key at least one scope.')
    .transform((scopes) => [...new Set(scopes)].sort()),
  expiresAt: z.coerce.date().optional(),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

const activeKey = (now: Date) => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));

export async function createApiKey(db: Db, actor: TenantActor, rawInput: CreateApiKeyInput, now = new Date()) {
  assertRole(actor.role, 'admin');
  const input = createApiKeyInput.parse(rawInput);
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw new AppError('BAD_REQUEST', 'Choose an expiry date in the future, or none.');
  }
  const key = generateApiKey();
  return withTenant(db, actor.tenantId, async (tx) => {
    // Serialise key creation per tenant so two concurrent requests cannot both pass the limits.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`api_keys:${actor.tenantId}`}, 0))`);
    const [counts] = await tx
      .select({
        total: sql<number>`count(*)::int`,
        sameName: sql<number>`count(*) filter (where ${apiKeys.name} = ${input.name})::int`,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, actor.tenantId), activeKey(now)));
    if ((counts?.sameName ?? 0) >= MAX_ACTIVE_KEYS_PER_NAME) {
      throw new AppError(
        'CONFLICT',
        `“${input.name}” already has ${MAX_ACTIVE_KEYS_PER_NAME} active keys (the current one and its replacement). Revoke the older key, then create a new one.`,
      );
    }
    if ((counts?.total ?? 0) >= MAX_ACTIVE_KEYS_PER_TENANT) {
      throw new AppError('CONFLICT', `Your institution has ${MAX_ACTIVE_KEYS_PER_TENANT} active keys; revoke unused keys before creating another.`);
    }
    const [row] = await tx
      .insert(apiKeys)
      .values({
        tenantId: actor.tenantId,
        name: input.name,
        scopes: input.scopes,
        prefix: key.prefix,
        lastFour: key.lastFour,
        secretHash: key.secretHash,
        expiresAt: input.expiresAt ?? null,
        createdBy: actor.userId,
      })
      .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt });
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'api_key.created',
      subject: input.name,
      ip: actor.ip,
      metadata: { keyId: row!.id, prefix: key.prefix, scopes: input.scopes, expiresAt: input.expiresAt?.toISOString() ?? null },
    });
    return {
      id: row!.id,
      name: input.name,
      scopes: input.scopes,
      prefix: key.prefix,
      lastFour: key.lastFour,
      expiresAt: input.expiresAt ?? null,
      createdAt: row!.createdAt,
      /** Shown to the user once; it cannot be read again. */
      secret: key.secret,
    };
  });
}

export async function findApiKeys(db: Db, actor: TenantActor, now = new Date()) {
  assertRole(actor.role, 'admin');
  const rows = await withTenant(db, actor.tenantId, (tx) =>
    tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        scopes: apiKeys.scopes,
        prefix: apiKeys.prefix,
        lastFour: apiKeys.lastFour,
        expiresAt: apiKeys.expiresAt,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
        createdAt: apiKeys.createdAt,
        createdByEmail: users.email,
      })
      .from(apiKeys)
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      .where(eq(apiKeys.tenantId, actor.tenantId))
      .orderBy(desc(apiKeys.createdAt)),
  );
  return rows.map((row) => ({
    ...row,
    status: row.revokedAt ? ('revoked' as const) : row.expiresAt && row.expiresAt.getTime() <= now.getTime() ? ('expired' as const) : ('active' as const),
  }));
}

export async function revokeApiKey(db: Db, actor: TenantActor, keyId: string) {
  assertRole(actor.role, 'admin');
  return withTenant(db, actor.tenantId, async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.tenantId, actor.tenantId), eq(apiKeys.id, keyId)))
      .returning({ name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt });
    if (!revoked) throw notFound('API key');
    await recordAuditEvent(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      action: 'api_key.revoked',
      subject: revoked.name,
      ip: actor.ip,
      metadata: { keyId, prefix: revoked.prefix },
    });
    return { id: keyId, revokedAt: revoked.revokedAt };
  });
}

export interface AuthenticatedKey {
  tenantId: string;
  keyId: string;
  scopes: ApiKeyScope[];
  /** The admin who created the key: requests made with it are attributed to them in the audit log. */
  createdBy: string | null;
}

/** Stable problem codes of a refused key (the REST API answers them in problem+json `code`). */
export type ApiKeyProblem = 'API_KEY_MISSING' | 'API_KEY_MALFORMED' | 'API_KEY_UNKNOWN' | 'API_KEY_REVOKED' | 'API_KEY_EXPIRED';

const refused = (problemCode: ApiKeyProblem, message: string) => new AppError('UNAUTHORIZED', message, { problemCode });

/**
 * Finds the key before any tenant is known and, for a usable key, counts the request in the
 * key's rate-limit window and touches its last-used time, all in one statement:
 * app_authenticate_api_key (SECURITY DEFINER, migrations/0012). The app role can read no other
 * tenant's keys; the function answers only for the exact prefix and hash presented.
 */
export async function authenticateApiKey(db: Db, presented: string, now = new Date(), windowSeconds = 60): Promise<AuthenticatedKey & { requestsInWindow: number }> {
  const parsed = parseApiKey(presented);
  if (!parsed) throw refused('API_KEY_MALFORMED', 'The API key is not in the expected form (cw_live_…). Copy the whole key from the portal.');
  const [row] = await db.execute<{
    id: string;
    tenant_id: string;
    scopes: string[];
    expires_at: string | Date | null;
    revoked_at: string | Date | null;
    created_by: string | null;
    window_count: number | null;
  }>(sql`select * from app_authenticate_api_key(${parsed.prefix}, ${parsed.secretHash}, ${now.toISOString()}::timestamptz, ${windowSeconds}::int)`);
  if (!row) throw refused('API_KEY_UNKNOWN', 'This API key is not valid.');
  if (row.revoked_at) throw refused('API_KEY_REVOKED', 'This API key has been revoked. Ask an administrator for a new one.');
  if (row.expires_at && new Date(row.expires_at).getTime() <= now.getTime()) {
    throw refused('API_KEY_EXPIRED', 'This API key has expired. Ask an administrator for a new one.');
  }
  return {
    tenantId: row.tenant_id,
    keyId: row.id,
    scopes: row.scopes.filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)),
    createdBy: row.created_by,
    requestsInWindow: row.window_count ?? 0,
  };
}
