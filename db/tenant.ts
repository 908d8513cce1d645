/**
 * The one place that sets the row-level-security context. Each helper opens a transaction and
 * sets `app.*` settings with `set_config(…, true)` (transaction-local), so a pooled connection
 * never carries one tenant's context into another request. Web handlers and workers both use
 * these; nothing else calls set_config.
 */
import { sql } from 'drizzle-orm';
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
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

/** The tenant context as a postgres.js statement (for raw transactions; drizzle's go through withContext). */
const tenantSettings = (sql: Sql | TransactionSql, tenantId: string) =>
  sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', '', true), set_config('app.platform', 'off', true)`;

/**
 * The same tenant context on a raw postgres.js transaction, for bulk work drizzle does not
 * expose (COPY into a staging table during a dataset load).
 */
export function withTenantSql<T>(db: Db, tenantId: string, fn: (sql: TransactionSql) => Promise<T>): Promise<T> {
  return db.$client.begin(async (tx) => {
    await tenantSettings(tx, tenantId);
    return fn(tx);
  }) as Promise<T>;
}

/**
 * One read-only statement in `tenantId`'s context in ONE network round trip: BEGIN READ ONLY, the
 * settings, the statement and COMMIT go out in a single write on one reserved connection
 * (postgres.js pipelines queries issued in the same tick), where `withTenant` waits for four
 * answers. For hot read paths only (an API run status polled by hundreds of clients): each round
 * trip costs a process wake-up on both sides, which on a small VM costs more than the query.
 * The statement must still filter by tenant itself; the settings are the second line of defence.
 * On the shared client drizzle has switched off timestamp parsing: timestamps arrive as text.
 */
export async function readAsTenant<T extends readonly Row[]>(db: Db, tenantId: string, statement: (sql: Sql) => PendingQuery<T>): Promise<T> {
  const connection = await db.$client.reserve();
  try {
    const queries = [
      connection`begin read only`,
      tenantSettings(connection, tenantId),
      statement(connection),
      connection`commit`,
    ] as const;
    // execute() in this order fixes the order on the wire; awaiting each would cost a round trip.
    for (const query of queries) query.execute();
    const settled = await Promise.allSettled(queries);
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return (settled[2] as PromiseFulfilledResult<T>).value;
  } finally {
    connection.release();
  }
}
