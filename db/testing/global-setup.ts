/**
 * Vitest global setup for integration tests: a real PostgreSQL (DATABASE_URL, or an embedded
 * server in .data/test), a fresh database per run, migrated as the owner. Test files receive
 * the owner and app-role URLs through `inject('ownerUrl' | 'appUrl')`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { defaultDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from '../embedded';
import { migrateDatabase } from '../migrate';

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
  const database = `causeway_test_${process.pid}_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${database}"`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${database}`;
  await migrateDatabase({ ownerUrl: ownerUrl.toString(), appPassword: APP_PASSWORD });
  const appUrl = new URL(ownerUrl);
  appUrl.username = 'causeway_app';
  appUrl.password = APP_PASSWORD;
  project.provide('ownerUrl', ownerUrl.toString());
  project.provide('appUrl', appUrl.toString());

  return async () => {
    await admin.unsafe(`drop database if exists "${database}" with (force)`);
    await admin.end();
    await embedded?.stop();
  };
}
