/**
 * The application's database handle (role `causeway_app`), shared by the web app and workers.
 * Created lazily so importing a module never opens a connection.
 */
import { appDatabaseUrl } from '../server/env';
import { createDb, type Db, type DbHandle } from './client';

export * from './client';
export { withTenant, withPlatform, withUser } from './tenant';

const globalForDb = globalThis as unknown as { causewayDb?: DbHandle };

export function appDb(): Db {
  globalForDb.causewayDb ??= createDb(appDatabaseUrl());
  return globalForDb.causewayDb.db;
}

export async function closeAppDb(): Promise<void> {
  await globalForDb.causewayDb?.close();
  globalForDb.causewayDb = undefined;
}
