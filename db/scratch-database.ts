/**
 * A fresh database on a PostgreSQL server, migrated, with the application role's URL: what the
 * integration tests and the benchmarks run against. Dropped again by `drop()`.
 */
import postgres from 'postgres';
import { migrateDatabase } from './migrate';

export interface ScratchDatabase {
  ownerUrl: string;
  appUrl: string;
  serverVersion: string;
  drop(): Promise<void>;
  /** Keeps the database (for inspection) and closes the connection to the server. */
  keep(): Promise<void>;
}

export async function createScratchDatabase(serverUrl: string, options: { prefix: string; appPassword: string }): Promise<ScratchDatabase> {
  const database = `${options.prefix}_${process.pid}_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  const [version] = await admin`select version()`;
  await admin.unsafe(`create database "${database}"`);
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${database}`;
  await migrateDatabase({ ownerUrl: ownerUrl.toString(), appPassword: options.appPassword });
  const appUrl = new URL(ownerUrl);
  appUrl.username = 'causeway_app';
  appUrl.password = options.appPassword;
  return {
    ownerUrl: ownerUrl.toString(),
    appUrl: appUrl.toString(),
    serverVersion: String(version?.version).split(',')[0] ?? '',
    drop: async () => {
      await admin.unsafe(`drop database if exists "${database}" with (force)`);
      await admin.end();
    },
    keep: async () => {
      await admin.end();
    },
  };
}
