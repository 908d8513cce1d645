/**
 * Brings a database to the current schema, as the owner: drizzle migrations (tables and the
 * hand-written RLS SQL), graphile-worker's own schema, and the application role's login and
 * grants. Safe to run concurrently (advisory lock) and repeatedly.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { Logger, runMigrations } from 'graphile-worker';
import { createDb } from './client';

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const MIGRATION_LOCK = 7_250_101;

export async function migrateDatabase(options: { ownerUrl: string; appPassword?: string }): Promise<void> {
  const { db, close } = createDb(options.ownerUrl, { max: 1 });
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await migrate(db, { migrationsFolder });
      await runMigrations({ connectionString: options.ownerUrl, logger: quietLogger });
      await db.execute(sql.raw(GRANT_WORKER_SCHEMA));
      if (options.appPassword) {
        // Identifiers and passwords cannot be bound as parameters in ALTER ROLE; the password
        // is validated by the env schema and quoted here.
        await db.execute(sql.raw(`alter role causeway_app with login password ${quoteLiteral(options.appPassword)}`));
      }
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    await close();
  }
}

const GRANT_WORKER_SCHEMA = `
  grant usage on schema graphile_worker to causeway_app;
  grant select, insert, update, delete on all tables in schema graphile_worker to causeway_app;
  grant usage, select on all sequences in schema graphile_worker to causeway_app;
  grant execute on all functions in schema graphile_worker to causeway_app;
`;

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const quietLogger = new Logger(() => (level: string, message: string) => {
  if (level === 'error' || level === 'warning') console.error(`[graphile-worker] ${message}`);
});
