/**
 * `npm start` / `npm run dev`: one command that runs the whole product locally.
 *   1. PostgreSQL: DATABASE_URL if set, otherwise an embedded server (data in .data/).
 *   2. Migrations (as owner) and, on first run, the demo institution.
 *   3. The web portal (after a build when sources changed: infra/local/web-server.ts, one Next.js
 *      process per core; or `next dev`) and the worker process, both connecting as the
 *      application role.
 * Ctrl-C (or SIGTERM) stops the web app, the worker and the embedded database, in that order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { buildIsCurrent, markBuildCurrent } from './build-freshness';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dev = process.argv.includes('--dev');
const startedAt = Date.now();
const children: ChildProcess[] = [];
let embedded: EmbeddedDatabase | undefined;
let stopping = false;

const say = (message: string) => console.log(`[causeway] ${message}`);

function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(root, '.data', 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function portIsFree(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${path.basename(args[0] ?? command)} exited (${signal ?? code}); stopping everything.`);
      void shutdown(code ?? 1);
    }
  });
  return child;
}

function runToCompletion(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code})`))));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the web portal did not answer at ${url} within ${timeoutMs / 1000} s`);
}

async function shutdown(exitCode: number): Promise<never> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  if (embedded) {
    say('stopping the embedded PostgreSQL');
    await embedded.stop();
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (!process.env.DATABASE_URL) {
    const dataDir = defaultDataDir(root);
    say(`starting the embedded PostgreSQL (data in ${dataDir})`);
    embedded = await startEmbeddedPostgres({ dataDir });
    process.env.DATABASE_URL = embedded.url;
  }
  const port = Number(process.env.PORT ?? 3000);
  const webPort = (await portIsFree(port)) ? port : await freePort();
  const appUrl = process.env.APP_URL ?? `http://localhost:${webPort}`;
  Object.assign(process.env, { AUTH_SECRET: authSecret(), APP_URL: appUrl, AUTH_URL: appUrl });

  const { migrateDatabase } = await import('../../db/migrate');
  const { env } = await import('../../server/env');
  await migrateDatabase({ ownerUrl: process.env.DATABASE_URL, appPassword: process.env.APP_DATABASE_URL ? undefined : env().APP_DATABASE_PASSWORD });
  say('database migrated');

  const { appDb } = await import('../../db');
  const { seedDemo, demoCredentials, demoActor, DEMO_TENANT } = await import('../../db/seed/demo');
  const firstRun = await seedDemo(appDb());

  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(webPort) };
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const tsxBin = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  if (dev) {
    run(process.execPath, [nextBin, 'dev', '--turbopack', '-p', String(webPort)], { ...childEnv, NODE_ENV: 'development' });
  } else {
    if (!buildIsCurrent(root)) {
      say('building the web portal (first run or sources changed; takes a minute or two)');
      await runToCompletion(process.execPath, [nextBin, 'build'], { ...childEnv, NODE_ENV: 'production' });
      markBuildCurrent(root);
    }
    run(process.execPath, ['--import', 'tsx', path.join(root, 'infra', 'local', 'web-server.ts')], { ...childEnv, NODE_ENV: 'production' });
  }
  run(process.execPath, [tsxBin, path.join(root, 'workers', 'index.ts')], childEnv);

  await waitForHttp(`http://localhost:${webPort}/sign-in`, dev ? 180_000 : 60_000);
  const credentials = demoCredentials();
  say(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  console.log(`
  Causeway is running at ${appUrl}
  ${firstRun ? 'Seeded' : 'Demo'} institution: ${DEMO_TENANT.name} (${appUrl}/${DEMO_TENANT.slug})
    demo user:            ${credentials.demoEmail} / ${credentials.password}
    platform admin:       ${credentials.adminEmail} / ${credentials.password}
  Press Ctrl-C to stop.
`);
  // The demo's data goes through the product's own upload → profile → map → load path, handled
  // by the worker that just started; the portal is usable meanwhile.
  const [{ seedDemoData, seedDemoStudy }, { datasetStorage }] = await Promise.all([import('../../db/seed/demo-data'), import('../../server/services/datasets/dataset-storage')]);
  try {
    const actor = await demoActor(appDb());
    const truth = await seedDemoData(appDb(), datasetStorage(), actor);
    if (truth) {
      say(`demo data loaded: ${truth.cohortSize} first-time students in 5 fall cohorts, ${truth.participants} in ${truth.programme} (true effect on retention +${(truth.attRetention * 100).toFixed(1)} points)`);
    }
    if (await seedDemoStudy(appDb(), actor)) say(`demo study queued: see ${appUrl}/${DEMO_TENANT.slug}/studies`);
  } catch (error) {
    if (!stopping) say(`the demo data could not be loaded (the portal keeps running): ${error instanceof Error ? error.message : String(error)}`);
  }
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  console.error(`[causeway] could not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
