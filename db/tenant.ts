/**
 * The one place that sets the row-level-security context. Each helper opens a transaction and
 * sets `app.*` settings with `set_config(…, true)` (transaction-local), so a pooled connection
 * never carries one tenant's context into another request. Web handlers and workers both use
 * these; nothing else calls set_config.
 */
import { sql } from 'drizzle-orm';
import type { TransactionSql } from 'postgres';
import type { Db, Queryable, Tx } from './client';

interface Context {
  tenantId?: string;
  userId?: string;
  platform?: boolean;
}

async function withContext<T>(db: Queryable, context: Context, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.tenant_id', ${context.tenantId ?? ''}, true),
                 set_config('app.user_id', ${context.userId ?? ''}, true),
                 set_config('app.platform', ${context.platform ? 'on' : 'off'}, true)`,
    );
    return fn(tx);
  });
}

/** Runs `fn` in a transaction that can see and write only `tenantId`'s rows. */
export function withTenant<T>(db: Queryable, tenantId: string, fn: (tx: Tx) => Promise<T>, userId?: string): Promise<T> {
  return withContext(db, { tenantId, userId }, fn);
}

/** Runs `fn` in a transaction that can see the given user's memberships across tenants. */
export function withUser<T>(db: Queryable, userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withContext(db, { userId }, fn);
}

/** Platform context: sees platform-level rows (tenant_id IS NULL), never tenant rows. */
export function withPlatform<T>(db: Queryable, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withContext(db, { platform: true }, fn);
}

/**
 * The same tenant context on a raw postgres.js transaction, for bulk work drizzle does not
 * expose (COPY into a staging table during a dataset load).
 */
export function withTenantSql<T>(db: Db, tenantId: string, fn: (sql: TransactionSql) => Promise<T>): Promise<T> {
  return db.$client.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', '', true), set_config('app.platform', 'off', true)`;
    return fn(tx);
  }) as Promise<T>;
}
