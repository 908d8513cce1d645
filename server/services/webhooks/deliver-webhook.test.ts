import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeliverWebhookInput, deliverWebhook, formatDuration, resolveAndDeliverWebhook, WEBHOOK_USER_AGENT } from './deliver-webhook';
import { isRetryable } from './webhook-retry';
import { signWebhook } from './webhook-signature';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
  servername?: string | false | null;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  // Raw net servers that never read would otherwise keep their sockets (and close()) open.
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  servers.push({ close });
  return (server.address() as AddressInfo).port;
}

/** A real HTTP(S) server that records each request and answers with `handler` once the body is in. */
async function startServer(handler: Handler, options: { tls?: { key: Buffer; cert: Buffer }; host?: string } = {}) {
  const received: Received[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const socket = req.socket as Partial<TLSSocket>;
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), servername: socket.servername });
      handler(req, res);
    });
  };
  const server = options.tls ? https.createServer(options.tls, onRequest) : http.createServer(onRequest);
  const port = await listen(server, options.host);
  return { port, received };
}

const BODY = JSON.stringify({ id: '5d0f7c64-4f5e-4a8e-9d1c-1d2b3c4d5e6f', type: 'run.completed' });

describe('deliverWebhook', () => {
  it('POSTs the body to the pinned address with the URL’s Host, our headers and the caller’s', async () => {
    const server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'));
    // The name does not resolve anywhere: the delivery can only work by using `address`.
    const url = new URL(`http://webhooks.example.test:${server.port}/hooks/in?tenant=x`);
    const signature = signWebhook('whsec_x', 1_700_000_000, BODY);
    const result = await deliverWebhook({
      url,
      address: '127.0.0.1',
      body: BODY,
      headers: { 'Causeway-Signature': signature, 'Causeway-Event': 'run.completed', host: 'evil.example', 'User-Agent': 'spoof', 'content-type': 'text/plain' },
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true, status: 200, responseSnippet: '{"received":true}', responseTruncated: false, error: null, errorCode: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.received).toHaveLength(1);
    const [req] = server.received as [Received];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/in?tenant=x');
    expect(req.body).toBe(BODY);
    expect(req.headers).toMatchObject({
      host: `webhooks.example.test:${server.port}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
      'user-agent': WEBHOOK_USER_AGENT,
      'causeway-signature': signature,
      'causeway-event': 'run.completed',
    });
  });

  it('accepts the URL as a string and an IPv6 address', async (ctx) => {
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer((_req, res) => res.writeHead(204).end(), { host: '::1' });
    } catch {
      ctx.skip(); // no IPv6 loopback on this machine
      return;
    }
    const result = await deliverWebhook({ url: `http://[::1]:${server.port}/h`, address: '::1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: true, status: 204, responseSnippet: '' });
    expect(server.received[0]?.headers.host).toBe(`[::1]:${server.port}`);
  });

  it('reports a 500 as a failure with the status and the response', async () => {
    const server = await startServer((_req, res) => res.writeHead(500).end('database down'));
    const result = await deliverWebhook({ url: `http://hooks.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: 500, responseSnippet: 'database down', error: 'the endpoint answered 500 Internal Server Error', errorCode: 'http_status' });
    expect(isRetryable(result)).toBe(true);
  });

  it('reports a 4xx as a failure that is not retried', async () => {
    const server = await startServer((_req, res) => res.writeHead(410).end());
    const result = await deliverWebhook({ url: `http://hooks.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: 410, error: 'the endpoint answered 410 Gone', errorCode: 'http_status' });
    expect(isRetryable(result)).toBe(false);
  });

  it('does not follow redirects', async () => {
    const target = await startServer((_req, res) => res.writeHead(200).end('followed'));
    const server = await startServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${target.port}/` }).end());
    const result = await deliverWebhook({ url: `http://hooks.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: 302, errorCode: 'redirect' });
    expect(result.error).toBe(`the endpoint answered 302 (a redirect to http://127.0.0.1:${target.port}/); redirects are not followed`);
    expect(target.received).toHaveLength(0);
    expect(isRetryable(result)).toBe(false);
  });

  it('times out a server that never answers, within the total time allowed', async () => {
    const server = await startServer(() => undefined);
    const result = await deliverWebhook({ url: `http://hooks.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, status: null, error: 'timed out after 200 ms', errorCode: 'timeout' });
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
    expect(result.durationMs).toBeLessThan(3000);
    expect(server.received).toHaveLength(1);
    expect(isRetryable(result)).toBe(true);
  });

  it('times out a connection that never completes (no HTTP at all)', async () => {
    // A TCP server that accepts and says nothing: the request is written, no status line comes.
    const silent = net.createServer(() => undefined);
    const port = await listen(silent);
    const started = Date.now();
    const result = await deliverWebhook({ url: `https://hooks.test:${port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 150 });
    expect(result).toMatchObject({ ok: false, status: null, error: 'timed out after 150 ms', errorCode: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('judges by the status when the body stalls after the headers', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const result = await deliverWebhook({ url: `http://hooks.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: true, status: 200, responseSnippet: 'partial', error: null });
  });

  it('reads at most maxResponseBytes of the response', async () => {
    const big = 'x'.repeat(100_000);
    const server = await startServer((_req, res) => res.writeHead(200).end(big));
    const url = `http://hooks.test:${server.port}/`;
    const result = await deliverWebhook({ url, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: true, status: 200, responseTruncated: true });
    expect(result.responseSnippet).toBe('x'.repeat(4096));

    const small = await deliverWebhook({ url, address: '127.0.0.1', body: BODY, timeoutMs: 5000, maxResponseBytes: 10 });
    expect(small).toMatchObject({ ok: true, responseSnippet: 'xxxxxxxxxx', responseTruncated: true });

    const none = await deliverWebhook({ url, address: '127.0.0.1', body: BODY, timeoutMs: 5000, maxResponseBytes: 0 });
    expect(none).toMatchObject({ ok: true, responseSnippet: '', responseTruncated: true });
  });

  it('does not call a body of exactly the limit truncated, and never cuts a character in half', async () => {
    const server = await startServer((req, res) => res.writeHead(200).end(req.url === '/exact' ? 'y'.repeat(4096) : 'é'.repeat(10)));
    const exact = await deliverWebhook({ url: `http://hooks.test:${server.port}/exact`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(exact).toMatchObject({ responseSnippet: 'y'.repeat(4096), responseTruncated: false });
    const accents = await deliverWebhook({ url: `http://hooks.test:${server.port}/accents`, address: '127.0.0.1', body: BODY, timeoutMs: 5000, maxResponseBytes: 5 });
    expect(accents).toMatchObject({ responseSnippet: 'éé', responseTruncated: true });
  });

  it('reports a closed port as connection refused', async () => {
    const closed = http.createServer();
    const port = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await deliverWebhook({ url: `http://hooks.test:${port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: null, error: 'connection refused', errorCode: 'connection_refused', responseSnippet: '' });
    expect(isRetryable(result)).toBe(true);
  });

  it('reports a connection dropped before any answer', async () => {
    const server = await startServer((req) => req.socket.destroy());
    const result = await deliverWebhook({ url: `http://hooks.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: null, error: 'connection closed by the endpoint before it answered', errorCode: 'connection_reset' });
  });

  it('reports a response that is not HTTP', async () => {
    const liar = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    const port = await listen(liar);
    const result = await deliverWebhook({ url: `http://hooks.test:${port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'invalid_response' });
    expect(result.error).toMatch(/^invalid HTTP response/);
  });

  it('never throws: bad input becomes an invalid_request result', async () => {
    const cases: (Pick<DeliverWebhookInput, 'url' | 'address'> & Partial<DeliverWebhookInput>)[] = [
      { url: 'not a url', address: '127.0.0.1' },
      { url: 'ftp://hooks.test/', address: '127.0.0.1' },
      { url: 'http://hooks.test/', address: 'hooks.test' },
      { url: 'http://hooks.test/', address: '127.0.0.1', timeoutMs: 0 },
      { url: 'http://hooks.test/', address: '127.0.0.1', timeoutMs: Number.NaN },
      { url: 'http://hooks.test/', address: '127.0.0.1', maxResponseBytes: -1 },
      { url: 'http://hooks.test/', address: '127.0.0.1', headers: { 'Causeway-Event': 'a\r\nX-Injected: 1' } },
      { url: 'http://hooks.test/', address: '127.0.0.1', headers: { 'bad header': 'x' } },
    ];
    for (const c of cases) {
      const result = await deliverWebhook({ body: BODY, timeoutMs: 1000, ...c });
      expect(result, JSON.stringify(c)).toMatchObject({ ok: false, status: null, errorCode: 'invalid_request' });
      expect(result.error).toBeTruthy();
      expect(isRetryable(result)).toBe(false);
    }
  });
});

describe('deliverWebhook over TLS', () => {
  // A self-signed certificate for webhooks.example.test, made with the openssl CLI. Where
  // openssl is missing these tests are skipped (node:crypto cannot issue X.509 certificates).
  const tls = ((): { key: Buffer; cert: Buffer } | null => {
    const dir = mkdtempSync(path.join(tmpdir(), 'causeway-webhook-tls-'));
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=webhooks.example.test', '-addext', 'subjectAltName=DNS:webhooks.example.test'],
        { cwd: dir, stdio: 'ignore', timeout: 20_000 },
      );
      return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
    } catch {
      return null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();

  it.skipIf(tls === null)('connects to the pinned address and checks the certificate against the URL’s name (SNI)', async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end('ok'), { tls: tls! });
    const result = await deliverWebhook({ url: `https://webhooks.example.test:${server.port}/in`, address: '127.0.0.1', body: BODY, timeoutMs: 5000, ca: tls!.cert });
    expect(result).toMatchObject({ ok: true, status: 200, responseSnippet: 'ok' });
    expect(server.received[0]).toMatchObject({ servername: 'webhooks.example.test', body: BODY });
    expect(server.received[0]?.headers.host).toBe(`webhooks.example.test:${server.port}`);
  });

  it.skipIf(tls === null)('refuses an untrusted or mismatched certificate', async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end('ok'), { tls: tls! });
    const untrusted = await deliverWebhook({ url: `https://webhooks.example.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(untrusted).toMatchObject({ ok: false, status: null, error: 'TLS error: the certificate is self-signed', errorCode: 'tls' });
    const mismatch = await deliverWebhook({ url: `https://other.example.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000, ca: tls!.cert });
    expect(mismatch).toMatchObject({ ok: false, error: 'TLS error: the certificate does not match the host name', errorCode: 'tls' });
    const byIp = await deliverWebhook({ url: `https://127.0.0.1:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000, ca: tls!.cert });
    expect(byIp).toMatchObject({ ok: false, errorCode: 'tls' });
    expect(server.received).toHaveLength(0);
  });

  it('reports https to a plain-http server as a TLS error', async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end());
    const result = await deliverWebhook({ url: `https://hooks.test:${server.port}/`, address: '127.0.0.1', body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'tls' });
  });
});

describe('resolveAndDeliverWebhook', () => {
  const lookupTo = (address: string) => () => Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);

  it('resolves the host, delivers to that address and says which it was', async () => {
    const server = await startServer((_req, res) => res.writeHead(202).end('queued'));
    const result = await resolveAndDeliverWebhook({
      url: `http://receiver.example.test:${server.port}/in`,
      allowHttp: true,
      allowPrivate: true,
      lookup: lookupTo('127.0.0.1'),
      body: BODY,
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true, status: 202, responseSnippet: 'queued', address: '127.0.0.1' });
    expect(server.received[0]?.headers.host).toBe(`receiver.example.test:${server.port}`);
  });

  it('refuses private addresses in production without sending anything', async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end());
    const result = await resolveAndDeliverWebhook({ url: `http://127.0.0.1:${server.port}/`, allowHttp: true, allowPrivate: false, body: BODY, timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'address_refused', address: null });
    expect(result.error).toMatch(/“127\.0\.0\.1” is a loopback address/);
    expect(server.received).toHaveLength(0);
    expect(isRetryable(result)).toBe(false);

    const rebinding = await resolveAndDeliverWebhook({ url: 'https://rebind.example.test/', allowHttp: false, allowPrivate: false, lookup: lookupTo('10.1.2.3'), body: BODY, timeoutMs: 5000 });
    expect(rebinding).toMatchObject({ ok: false, errorCode: 'address_refused' });
  });

  it('turns bad URLs and DNS failures into results', async () => {
    const http1 = await resolveAndDeliverWebhook({ url: 'http://hooks.example.com/', allowHttp: false, allowPrivate: false, body: BODY, timeoutMs: 5000 });
    expect(http1).toMatchObject({ ok: false, errorCode: 'invalid_request' });
    expect(http1.error).toMatch(/must start with https:\/\//);
    const dns = await resolveAndDeliverWebhook({
      url: 'https://gone.example.test/',
      allowHttp: false,
      allowPrivate: false,
      lookup: () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' })),
      body: BODY,
      timeoutMs: 5000,
    });
    expect(dns).toMatchObject({ ok: false, errorCode: 'dns', error: 'Could not resolve the webhook host “gone.example.test”: no such host.' });
    expect(isRetryable(dns)).toBe(true);
  });

  it('counts DNS time against the total timeout', async () => {
    const slow = (): Promise<never> => new Promise(() => undefined);
    const result = await resolveAndDeliverWebhook({ url: 'https://slow-dns.example.test/', allowHttp: false, allowPrivate: false, lookup: slow, body: BODY, timeoutMs: 100 });
    expect(result).toMatchObject({ ok: false, errorCode: 'timeout', error: 'timed out after 100 ms resolving slow-dns.example.test' });
    expect(result.durationMs).toBeLessThan(3000);

    const server = await startServer(() => undefined);
    const late = await resolveAndDeliverWebhook({
      url: `http://hooks.example.test:${server.port}/`,
      allowHttp: true,
      allowPrivate: true,
      lookup: () => new Promise((resolve) => setTimeout(() => resolve([{ address: '127.0.0.1', family: 4 }]), 80)),
      body: BODY,
      timeoutMs: 200,
    });
    expect(late).toMatchObject({ ok: false, errorCode: 'timeout', error: 'timed out after 200 ms', address: '127.0.0.1' });
    expect(late.durationMs).toBeGreaterThanOrEqual(190);
    expect(late.durationMs).toBeLessThan(3000);
  });
});

describe('formatDuration', () => {
  it('writes milliseconds under a second and seconds above', () => {
    expect([formatDuration(200), formatDuration(999), formatDuration(1000), formatDuration(1500), formatDuration(10_000)]).toEqual(['200 ms', '999 ms', '1 s', '1.5 s', '10 s']);
  });
});
