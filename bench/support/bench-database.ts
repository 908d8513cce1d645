/**
 * A fresh, migrated database for a benchmark, as the application role (row-level security
 * applies), with one tenant and its admin: DATABASE_URL (owner URL) when set, else an embedded
 * PostgreSQL in .bench/pg.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { defaultDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { createScratchDatabase } from '../../db/scratch-database';
import { memberships, tenants, users } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import type { TenantActor } from '../../server/services/members/manage-members';

const APP_PASSWORD = 'causeway-app-bench';

export interface BenchDatabase {
  db: Db;
  actor: TenantActor;
  serverVersion: string;
  /** PID of the embedded postmaster (for CPU accounting), when embedded. */
  postmasterPid?: number;
  close(): Promise<void>;
}

export async function startBenchDatabase(root: string, options: { keep?: boolean } = {}): Promise<BenchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let postmasterPid: number | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const previous = process.env.CAUSEWAY_DATA_DIR;
    process.env.CAUSEWAY_DATA_DIR = path.join(root, '.bench', 'pg');
    const dataDir = defaultDataDir(root);
    if (previous === undefined) delete process.env.CAUSEWAY_DATA_DIR;
    else process.env.CAUSEWAY_DATA_DIR = previous;
    embedded = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
    serverUrl = embedded.url;
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) postmasterPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  }
  const scratch = await createScratchDatabase(serverUrl, { prefix: 'causeway_bench', appPassword: APP_PASSWORD });
  process.env.APP_DATABASE_URL = scratch.appUrl;
  const app = createDb(scratch.appUrl, { max: 4 });
  const db = app.db;
  const [tenant] = await db.insert(tenants).values({ slug: `bench-${Date.now()}`, name: 'Bench University' }).returning();
  const [user] = await db.insert(users).values({ email: `bench-${Date.now()}@example.edu`, name: 'Bench Admin', passwordHash: 'x' }).returning();
  await withTenant(db, tenant!.id, (tx) => tx.insert(memberships).values({ tenantId: tenant!.id, userId: user!.id, role: 'admin' }));
  return {
    db,
    actor: { tenantId: tenant!.id, userId: user!.id, role: 'admin' },
    serverVersion: scratch.serverVersion,
    postmasterPid,
    close: async () => {
      await app.close();
      if (options.keep) return scratch.keep();
      await scratch.drop();
      await embedded?.stop();
    },
  };
}
