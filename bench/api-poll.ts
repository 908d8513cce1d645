/**
 * Tenant API under load (issue 7): 200 concurrent clients polling `GET /api/v1/runs/{id}` for
 * 30 s against the product as `npm start` runs it. Target: p95 < 100 ms with no errors.
 *
 * Each client is one keep-alive connection polling the run once a second (a scheduler waiting
 * for a run), starting at its own moment of the first second (spread evenly, as independent
 * clients are), so the offered load is 200 requests/s. For contrast the script also runs
 * autocannon's fixed-rate mode, where all 200 clients fire in the same instant every second (a
 * synchronised burst that queues behind itself), and then 200 connections polling back to back
 * for 15 s, which gives the throughput ceiling (there, by Little's law, latency is just
 * 200 / throughput). Every request goes the full way: API key lookup, the rate-limit count in
 * PostgreSQL, the tenant-scoped read, the response schema.
 *
 * By default the script starts the product itself (`infra/local/start.ts`, i.e. `npm start`)
 * on a free port with its own data folder, and with a per-key rate limit high enough not to
 * answer 429 (one key polling 200 times a second is far over the default 600/min). To measure
 * an instance you started yourself, pass its URL (it needs such a limit too):
 *   npx tsx bench/api-poll.ts [BASE_URL] [clients=200] [seconds=30]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../db/embedded';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [urlArg, clientsArg, secondsArg] = process.argv.slice(2);
const clients = Number(clientsArg ?? 200);
const seconds = Number(secondsArg ?? 30);
const DEMO = { email: 'demo@causeway.local', password: process.env.DEMO_PASSWORD ?? 'causeway-demo' };

let product: ChildProcess | null = null;

async function startProduct(): Promise<string> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  product = spawn(path.join(root, 'node_modules/.bin/tsx'), ['infra/local/start.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), APP_URL: base, CAUSEWAY_DATA_DIR: '.data/bench-api', DEMO_PASSWORD: DEMO.password, LOG_LEVEL: 'warn', API_RATE_LIMIT_PER_MINUTE: '10000000' },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the product did not start within 10 minutes');
    const ok = await fetch(`${base}/sign-in`).then((r) => r.ok, () => false);
    if (ok) return base;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Signs in to the portal (next-auth credentials) and returns the session cookie header. */
async function signIn(base: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
  };
  const header = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ csrfToken, email: DEMO.email, password: DEMO.password, callbackUrl: '/' }),
  });
  keep(response);
  if (response.status !== 302) throw new Error(`sign-in failed (${response.status})`);
  return header();
}

/** A key for this run (revoked at the end: an institution may hold at most 20 active keys). */
async function apiKey(base: string, cookie: string): Promise<{ id: string; secret: string }> {
  const response = await fetch(`${base}/api/trpc/apiKeys.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ json: { tenantSlug: 'demo', name: `bench ${Date.now()}`, scopes: ['studies:read', 'runs:read'] } }),
  });
  if (!response.ok) throw new Error(`creating the key failed: ${await response.text()}`);
  return ((await response.json()) as { result: { data: { json: { id: string; secret: string } } } }).result.data.json;
}

async function revokeKey(base: string, cookie: string, keyId: string): Promise<void> {
  await fetch(`${base}/api/trpc/apiKeys.revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ json: { tenantSlug: 'demo', keyId } }),
  });
}

/** The demo study's run, once `npm start` has loaded the demo data and finished that run (so it does not compete for the CPU). */
async function demoRun(base: string, key: string): Promise<string> {
  const headers = { authorization: `Bearer ${key}` };
  const deadline = Date.now() + 900_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the demo run did not finish within 15 minutes');
    const studies = (await (await fetch(`${base}/api/v1/studies`, { headers })).json()) as { data: { id: string }[] };
    const study = studies.data.at(-1);
    if (study) {
      const runs = (await (await fetch(`${base}/api/v1/studies/${study.id}/runs`, { headers })).json()) as { data: { id: string; status: string }[] };
      const run = runs.data.at(-1);
      if (run && ['succeeded', 'failed', 'cancelled'].includes(run.status)) return run.id;
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

interface Phase {
  latencies: number[];
  result: autocannon.Result;
}

function poll(url: string, key: string, options: { duration: number; connectionRate?: number }): Promise<Phase> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: clients, duration: options.duration, headers: { authorization: `Bearer ${key}` }, ...(options.connectionRate ? { connectionRate: options.connectionRate } : {}) },
      (error, result) => (error ? reject(error) : resolve({ latencies, result })),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
}

/** Independent pollers: each starts at its own moment of the first second, then polls every second. */
async function staggeredPollers(url: string, key: string, duration: number): Promise<{ latencies: number[]; bySlice: number[][]; errors: number; requests: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const bySlice: number[][] = [];
  const begin = performance.now();
  let errors = 0;
  const end = performance.now() + duration * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = httpRequest(url, { agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          const latency = performance.now() - started;
          latencies.push(latency);
          (bySlice[Math.floor((started - begin) / 5000)] ??= []).push(latency);
          if (res.statusCode !== 200) errors += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });
  const client = async (offset: number) => {
    await new Promise((resolve) => setTimeout(resolve, offset));
    for (let next = performance.now(); next < end; next += 1000) {
      await once();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next + 1000 - performance.now())));
    }
  };
  // Start offsets spread evenly over the first second (7919 is prime: i ↦ 7919·i mod n permutes the slots).
  await Promise.all(Array.from({ length: clients }, (_, i) => client(((i * 7919) % clients) * (1000 / clients))));
  agent.destroy();
  return { latencies, bySlice, errors, requests: latencies.length };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function report(title: string, { latencies, result }: Phase): void {
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(`\n${title}`);
  console.log(`  requests ${result.requests.total} in ${result.duration.toFixed(1)} s → ${(result.requests.total / result.duration).toFixed(0)} req/s`);
  console.log(`  latency ms: p50 ${percentile(sorted, 50).toFixed(1)}  p95 ${percentile(sorted, 95).toFixed(1)}  p99 ${percentile(sorted, 99).toFixed(1)}  max ${(sorted.at(-1) ?? 0).toFixed(1)}`);
  console.log(`  errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`);
}

async function stopProduct(): Promise<void> {
  if (!product?.pid || product.exitCode !== null || product.signalCode !== null) return;
  const exited = new Promise((resolve) => product!.once('exit', resolve));
  process.kill(product.pid, 'SIGTERM'); // npm start stops the web, the worker and then PostgreSQL, in that order
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
}

let revoke: () => Promise<void> = async () => undefined;
try {
  const base = urlArg ?? (await startProduct());
  const cookie = await signIn(base);
  const { id: keyId, secret: key } = await apiKey(base, cookie);
  revoke = () => revokeKey(base, cookie, keyId);
  const runId = await demoRun(base, key);
  const url = `${base}/api/v1/runs/${runId}`;
  console.log(`polling ${url} with ${clients} clients`);
  await poll(url, key, { duration: 10, connectionRate: 1 }); // warm-up: JIT in every web process, connection pools
  const pollers = await staggeredPollers(url, key, seconds);
  const sorted = [...pollers.latencies].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  console.log(`\n${clients} independent clients, each polling once a second, ${seconds} s (target p95 < 100 ms, no errors)`);
  console.log(`  requests ${pollers.requests} → ${(pollers.requests / seconds).toFixed(0)} req/s`);
  console.log(`  latency ms: p50 ${percentile(sorted, 50).toFixed(1)}  p95 ${p95.toFixed(1)}  p99 ${percentile(sorted, 99).toFixed(1)}  max ${(sorted.at(-1) ?? 0).toFixed(1)}`);
  console.log(`  errors ${pollers.errors}`);
  console.log(`  p95 per 5 s: ${pollers.bySlice.map((slice) => percentile([...slice].sort((a, b) => a - b), 95).toFixed(0)).join(' · ')} ms`);
  report(`${clients} clients firing together once a second (autocannon fixed rate: a synchronised burst), ${seconds} s`, await poll(url, key, { duration: seconds, connectionRate: 1 }));
  report(`${clients} clients polling back to back, 15 s (throughput ceiling)`, await poll(url, key, { duration: 15 }));
  console.log(`\nverdict: independent pollers p95 ${p95.toFixed(1)} ms, ${pollers.errors} errors → ${p95 < 100 && pollers.errors === 0 ? 'target met' : 'target NOT met'}`);
} finally {
  await revoke();
  await stopProduct();
}
