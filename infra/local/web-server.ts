/**
 * The production web server `npm start` runs: the built Next.js app served by WEB_CONCURRENCY
 * processes (default: one per core, at most 4) sharing one port through node:cluster.
 *
 * Why not `next start`: it is one process, so one JavaScript thread serves every request, and
 * on a 2-core machine the API's pollers queue behind it while the other core idles. Nothing in
 * the portal or the API keeps state in the web process (sessions, rate limits, idempotency keys
 * and jobs all live in PostgreSQL), so more processes change nothing but capacity.
 *
 * Requests under /api/v1 skip Next's request pipeline (same route handlers, see
 * server/public-api/api-router.ts). A process that dies is replaced; SIGTERM/SIGINT stop them all.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { loadRoutes, serveApiRequest } from '../../server/public-api/api-router';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const port = Number(process.env.PORT ?? 3000);

function webConcurrency(): number {
  const configured = Number(process.env.WEB_CONCURRENCY);
  if (Number.isInteger(configured) && configured >= 1) return configured;
  return Math.min(4, availableParallelism());
}

async function serve(): Promise<void> {
  const app = next({ dev: false, dir: root, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // The tenant API's handlers are served directly (see api-router.ts), the rest by Next.js.
  const apiRoutes = await loadRoutes(path.join(root, 'app', 'api', 'v1'));
  const server = createServer((request, response) => {
    if (/^\/api\/v1(?:[/?]|$)/.test(request.url ?? '')) serveApiRequest(apiRoutes, '/api/v1', request, response).catch(() => response.destroy());
    else void handle(request, response);
  });
  // Longer than common proxies' and clients' idle timeouts, so a keep-alive connection is not
  // closed under a request that is just being sent (Node's default is 5 s).
  server.keepAliveTimeout = 65_000;
  server.listen(port);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function supervise(processes: number): void {
  let stopping = false;
  const listening = new Set<number>();
  for (let i = 0; i < processes; i += 1) cluster.fork();
  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    // One that never got as far as listening will not do better a second time (no build, port taken).
    if (!listening.has(worker.id)) {
      console.error(`[web] process ${worker.process.pid} failed to start (${signal ?? code})`);
      process.exitCode = 1;
      stopAll();
      return;
    }
    console.error(`[web] process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  function stopAll(): void {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  }
  process.on('SIGTERM', stopAll);
  process.on('SIGINT', stopAll);
}

const processes = webConcurrency();
if (cluster.isPrimary && processes > 1) supervise(processes);
else await serve();
