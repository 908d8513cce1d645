/**
 * Per-key rate limit in fixed one-minute windows, counted in PostgreSQL so that every web
 * instance shares the same counter: one upsert per request returns the window's count
 * atomically (`insert … on conflict do update … returning`). The first request of a window
 * clears the key's older windows, so the table holds about one row per active key.
 * A fixed window lets a client make up to 2×limit requests around a window boundary; that is
 * the accepted trade-off for one statement per request.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { apiRateLimits } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export async function consumeRateLimit(
  db: Db,
  input: { tenantId: string; keyId: string; limit: number; windowSeconds?: number; now?: Date },
): Promise<RateLimitDecision> {
  const windowMs = (input.windowSeconds ?? 60) * 1000;
  const now = input.now ?? new Date();
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const count = await withTenant(db, input.tenantId, async (tx) => {
    const [row] = await tx
      .insert(apiRateLimits)
      .values({ tenantId: input.tenantId, keyId: input.keyId, windowStart, count: 1 })
      .onConflictDoUpdate({
        target: [apiRateLimits.tenantId, apiRateLimits.keyId, apiRateLimits.windowStart],
        set: { count: sql`${apiRateLimits.count} + 1` },
      })
      .returning({ count: apiRateLimits.count });
    if (row!.count === 1) {
      await tx
        .delete(apiRateLimits)
        .where(and(eq(apiRateLimits.tenantId, input.tenantId), eq(apiRateLimits.keyId, input.keyId), lt(apiRateLimits.windowStart, windowStart)));
    }
    return row!.count;
  });
  const resetSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: count <= input.limit, limit: input.limit, remaining: Math.max(0, input.limit - count), resetSeconds };
}
