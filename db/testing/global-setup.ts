/**
 * Vitest global setup for integration tests: a real PostgreSQL (DATABASE_URL, or an embedded
 * server in .data/test), a fresh database per run, migrated as the owner. Test files receive
 * the owner and app-role URLs through `inject('ownerUrl' | 'appUrl')`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { defaultDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from '../embedded';
import { createScratchDatabase } from '../scratch-database';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP_PASSWORD = 'causeway-app-test';

declare module 'vitest' {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(defaultDataDir(root), 'test'), database: 'postgres' });
    serverUrl = embedded.url;
  }
  const scratch = await createScratchDatabase(serverUrl, { prefix: 'causeway_test', appPassword: APP_PASSWORD });
  project.provide('ownerUrl', scratch.ownerUrl);
  project.provide('appUrl', scratch.appUrl);

  return async () => {
    await scratch.drop();
    await embedded?.stop();
  };
}
