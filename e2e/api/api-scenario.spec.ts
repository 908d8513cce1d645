/**
 * A new institution integrates through the API only. The platform onboards it and its admin
 * creates an API key and registers a webhook endpoint in the portal (people do that once); from
 * then on a program does everything: uploads the institution's files (one as multipart), accepts
 * each suggested mapping, loads the files (waiting for the signed `dataset.loaded` webhooks),
 * defines a study, starts a run, receives the signed `run.completed` webhook on a local
 * receiver, verifies its signature as the docs describe, and fetches the result and its CSV
 * export. The e2e server runs with WEBHOOK_ALLOW_LOCAL_URLS=true so it may post to 127.0.0.1.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, request as playwrightRequest, test, type APIResponse } from '@playwright/test';
import { generateSisExport } from '../../db/seed/sis-generator';
import { onboardInstitution, trpc } from '../fixtures/sessions';

interface Delivery {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** Verifies `Causeway-Signature: t=…,v1=…` exactly as the API documentation tells receivers to. */
function signatureValid(secret: string, header: string, rawBody: Buffer): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  if (!parts.t || !parts.v1 || Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.`).update(rawBody).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

let receiver: Server;
const deliveries: Delivery[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, rawBody: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

test.afterAll(() => receiver.close());

test('a new institution goes from files to a verified result through the API and webhooks only', async ({ baseURL }) => {
  test.setTimeout(420_000);

  // --- once, by people: onboarding, an API key and a webhook endpoint in the portal -------
  const { slug, admin: portal } = await onboardInstitution(baseURL, 'Lakeside University', 'lakeside');
  const key = await trpc<{ secret: string }>(portal, 'apiKeys.create', {
    tenantSlug: slug,
    name: 'warehouse integration',
    scopes: ['datasets:read', 'datasets:write', 'studies:read', 'studies:write', 'runs:read', 'runs:write'],
  });
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/causeway`;
  const endpoint = await trpc<{ id: string; secret: string }>(portal, 'webhooks.create', {
    tenantSlug: slug,
    url: hookUrl,
    events: ['dataset.loaded', 'dataset.failed', 'run.completed', 'run.failed'],
  });

  // --- from here on: a program with the key -------------------------------------------------
  const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key.secret}` } });
  /** Calls the API like a well-behaved client: a 429 waits for Retry-After and tries again. */
  const call = async (send: () => Promise<APIResponse>): Promise<APIResponse> => {
    for (;;) {
      const response = await send();
      if (response.status() !== 429) return response;
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers()['retry-after'] ?? '1') * 1000));
    }
  };
  const json = async <T>(response: APIResponse, status: number): Promise<T> => {
    expect(response.status(), await response.text()).toBe(status);
    return (await response.json()) as T;
  };
  const webhook = async (type: string, match: (data: Record<string, unknown>) => boolean, timeout: number) => {
    let found: { delivery: Delivery; event: { id: string; type: string; tenant: string; data: Record<string, unknown> } } | undefined;
    await expect
      .poll(
        () => {
          for (const delivery of deliveries) {
            const event = JSON.parse(delivery.rawBody.toString('utf8')) as { id: string; type: string; tenant: string; data: Record<string, unknown> };
            if (event.type === type && match(event.data)) found = { delivery, event };
          }
          return found !== undefined;
        },
        { timeout, intervals: [500] },
      )
      .toBe(true);
    return found!;
  };

  const { files, truth } = generateSisExport({ seed: 'api-scenario', students: 1_500, cohorts: [2021, 2022], awards: false, programme: { name: 'Lakeside Bridge' } });
  const plan = [
    ['terms.csv', 'terms'],
    ['students.csv', 'students'],
    ['enrollments.csv', 'term_enrollments'],
    ['participation.csv', 'participation'],
  ] as const;
  for (const [file, kind] of plan) {
    const uploaded =
      kind === 'students'
        ? await call(() => client.post('/api/v1/datasets', { multipart: { kind, file: { name: file, mimeType: 'text/csv', buffer: Buffer.from(files[file]) } } }))
        : await call(() => client.post(`/api/v1/datasets?kind=${kind}&filename=${file}`, { headers: { 'content-type': 'text/csv' }, data: files[file] }));
    const { id } = await json<{ id: string }>(uploaded, 201);
    await expect
      .poll(async () => ((await (await call(() => client.get(`/api/v1/datasets/${id}`))).json()) as { status: string }).status, { timeout: 60_000, intervals: [1_500] })
      .toBe('profiled');
    const suggestion = await json<{ spec: unknown; unmappedRequired: string[] }>(await call(() => client.get(`/api/v1/datasets/${id}/mapping/suggestion`)), 200);
    expect(suggestion.unmappedRequired, file).toEqual([]);
    const mapping = await json<{ version: number; kind: string }>(await call(() => client.put(`/api/v1/datasets/${id}/mapping`, { data: suggestion.spec })), 200);
    expect(mapping.kind).toBe(kind);
    expect(await json(await call(() => client.get(`/api/v1/datasets/${id}/mapping`)), 200)).toMatchObject({ kind, version: mapping.version });
    await json(await call(() => client.post(`/api/v1/datasets/${id}/load`)), 202);
    const loaded = await webhook('dataset.loaded', (data) => data.datasetVersionId === id, 120_000);
    expect(loaded.event.data.rowCount).toBe(truth.rows[file]);
  }

  const study = await json<{ id: string; version: number }>(
    await call(() => client.post('/api/v1/studies', { data: { name: 'Lakeside Bridge and retention', intervention: 'Lakeside Bridge', outcome: 'retained_fall_to_fall' } })),
    201,
  );
  const started = await json<{ id: string; counts: Record<string, number> }>(await call(() => client.post(`/api/v1/studies/${study.id}/runs`)), 202);
  expect(started.counts.participants).toBeGreaterThan(0);

  const completed = await webhook('run.completed', (data) => data.runId === started.id, 300_000);
  const header = String(completed.delivery.headers['causeway-signature']);
  expect(signatureValid(endpoint.secret, header, completed.delivery.rawBody)).toBe(true);
  expect(signatureValid('whsec_not-the-secret', header, completed.delivery.rawBody)).toBe(false);
  expect(signatureValid(endpoint.secret, header, Buffer.concat([completed.delivery.rawBody, Buffer.from(' ')]))).toBe(false);
  expect(completed.delivery.headers['causeway-event']).toBe('run.completed');
  expect(completed.delivery.headers['causeway-delivery']).toBe(completed.event.id);
  expect(completed.event).toMatchObject({ tenant: slug, data: { studyId: study.id, studyVersion: 1, status: 'succeeded' } });

  const resultUrl = new URL(String(completed.event.data.resultUrl));
  const result = await json<{ runId: string; result: { analysis: { estimate: number; ci95: [number, number] } } }>(await call(() => client.get(resultUrl.pathname)), 200);
  expect(result.runId).toBe(started.id);
  const { estimate, ci95 } = result.result.analysis;
  expect(ci95[0]).toBeLessThan(estimate);
  expect(ci95[1]).toBeGreaterThan(estimate);
  const runs = await json<{ data: { id: string; status: string }[] }>(await call(() => client.get(`/api/v1/studies/${study.id}/runs`)), 200);
  expect(runs.data).toEqual([expect.objectContaining({ id: started.id, status: 'succeeded' })]);
  const csv = await call(() => client.get(`/api/v1/runs/${started.id}/export?format=csv`));
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(csv.headers()['content-disposition']).toMatch(/attachment; filename=".+\.csv"/);
  expect(await csv.text()).toMatch(/^section,name,value,lower,upper,detail\r\n/);

  // The portal's delivery log shows each delivery with its successful attempt.
  const log = await trpc<{ eventType: string; status: string; attemptLog: { ok: boolean }[] }[]>(portal, 'webhooks.deliveries', { tenantSlug: slug, endpointId: endpoint.id }, 'query');
  expect(log.filter((d) => d.eventType === 'dataset.loaded')).toHaveLength(4);
  expect(log.find((d) => d.eventType === 'run.completed')).toMatchObject({ status: 'succeeded', attemptLog: [expect.objectContaining({ ok: true })] });
});
