/**
 * Stored responses of POST requests made with an `Idempotency-Key` (scoped to the tenant).
 * A request first claims the key (insert; a concurrent twin finds the claim and is told to
 * retry later), runs, then stores its response with the hash of what was asked. A retry with the
 * same key and the same request gets the stored response; with a different request, 422.
 * Only successful (2xx) responses are kept: a failed request changed nothing, so its claim is
 * released and a retry runs again. Keys are remembered for IDEMPOTENCY_TTL_HOURS.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { idempotencyKeys } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';

export const IDEMPOTENCY_TTL_HOURS = 24;
/** A claim older than this whose request never finished (a crashed instance) may be taken over. */
const STALE_CLAIM_MINUTES = 15;

export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'in_progress' }
  | { state: 'completed'; requestHash: string; status: number; body: unknown };

export async function claimIdempotencyKey(db: Db, tenantId: string, key: string, now = new Date()): Promise<IdempotencyClaim> {
  return withTenant(db, tenantId, async (tx) => {
    const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000);
    const stale = new Date(now.getTime() - STALE_CLAIM_MINUTES * 60_000);
    // Forget expired keys and abandoned claims of this key before claiming it.
    await tx
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.tenantId, tenantId),
          eq(idempotencyKeys.key, key),
          sql`(${idempotencyKeys.createdAt} < ${expired.toISOString()}::timestamptz or (${idempotencyKeys.completedAt} is null and ${idempotencyKeys.createdAt} < ${stale.toISOString()}::timestamptz))`,
        ),
      );
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({ tenantId, key, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) {
      // Housekeeping: a few expired keys of this tenant go with each new claim.
      await tx.execute(
        sql`delete from idempotency_keys where tenant_id = ${tenantId} and ctid in (select ctid from idempotency_keys where tenant_id = ${tenantId} and created_at < ${expired.toISOString()}::timestamptz limit 20)`,
      );
      return { state: 'claimed' };
    }
    const [existing] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
    if (!existing || existing.completedAt === null || existing.requestHash === null || existing.responseStatus === null) return { state: 'in_progress' };
    return { state: 'completed', requestHash: existing.requestHash, status: existing.responseStatus, body: existing.responseBody };
  });
}

export async function completeIdempotencyKey(
  db: Db,
  tenantId: string,
  key: string,
  response: { requestHash: string; status: number; body: unknown },
): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(idempotencyKeys)
      .set({ requestHash: response.requestHash, responseStatus: response.status, responseBody: response.body, completedAt: new Date() })
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key))),
  );
}

export async function releaseIdempotencyKey(db: Db, tenantId: string, key: string): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key), sql`${idempotencyKeys.completedAt} is null`)),
  );
}

/** Removes every expired key of the tenant (for a periodic job; claims also clean up as they go). */
export async function purgeExpiredIdempotencyKeys(db: Db, tenantId: string, now = new Date()): Promise<void> {
  const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_HOURS * 3_600_000);
  await withTenant(db, tenantId, (tx) => tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), lt(idempotencyKeys.createdAt, expired))));
}
