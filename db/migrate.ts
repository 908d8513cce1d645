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
  -- graphile-worker turns RLS on for its private tables (owner-only access); the app role
  -- enqueues and runs jobs, so it gets an explicit policy there. Job rows hold ids, never
  -- tenant data.
  do $$
  declare t record;
  begin
    for t in
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'graphile_worker' and c.relkind = 'r' and c.relrowsecurity
        and not exists (select 1 from pg_policy p where p.polrelid = c.oid and p.polname = 'causeway_app_access')
    loop
      execute format('create policy causeway_app_access on graphile_worker.%I to causeway_app using (true) with check (true)', t.relname);
    end loop;
  end
  $$;
`;

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const quietLogger = new Logger(() => (level: string, message: string) => {
  if (level === 'error' || level === 'warning') console.error(`[graphile-worker] ${message}`);
});
