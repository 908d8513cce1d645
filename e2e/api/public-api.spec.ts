/**
 * The public REST API (/api/v1) with API keys, without a browser: keys are created through the
 * portal's tRPC procedures, then every endpoint is called with them. Covers success paths,
 * another tenant's key (404, nothing changed), wrong scope (403), revoked / expired / malformed
 * keys (401 problem+json), idempotent POST retries, the rate limit (429 + Retry-After; the e2e
 * server runs with API_RATE_LIMIT_PER_MINUTE=40) and bad input (4xx problem+json, never 500).
 */
import { randomUUID } from 'node:crypto';
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { DEMO } from '../fixtures/accounts';
import { onboardInstitution, signInRequest as signIn, trpc } from '../fixtures/sessions';

const ALL_SCOPES = ['datasets:read', 'datasets:write', 'studies:read', 'studies:write', 'runs:read', 'runs:write'];
const csv = 'STVTERM_CODE,STVTERM_START_DATE,STVTERM_END_DATE\n202180,2021-08-23,2021-12-15\n';

interface CreatedKey {
  id: string;
  secret: string;
}

const createKey = (session: APIRequestContext, tenantSlug: string, scopes: string[], extra: Record<string, unknown> = {}) =>
  trpc<CreatedKey>(session, 'apiKeys.create', { tenantSlug, name: `e2e ${randomUUID().slice(0, 8)}`, scopes, ...extra });

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function expectProblem(response: APIResponse, status: number, code: string): Promise<Record<string, unknown>> {
  expect(response.status(), await response.text()).toBe(status);
  expect(response.headers()['content-type']).toContain('application/problem+json');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.detail).toBe('string');
  expect(typeof body.type).toBe('string');
  return body;
}

let demo: APIRequestContext;

/** The demo's first study, which `npm start` defines once the demo data has loaded. */
async function demoStudy(): Promise<string> {
  if (studyId) return studyId;
  await expect
    .poll(
      async () => {
        const studies = (await (await demo.get('/api/v1/studies', { headers: auth(full.secret) })).json()) as { data: { id: string }[] };
        studyId = studies.data.at(-1)?.id ?? '';
        return studyId;
      },
      { timeout: 150_000, intervals: [2_000] },
    )
    .not.toBe('');
  return studyId;
}
let full: CreatedKey;
let foreign: CreatedKey;
let studyId = '';
let succeededRunId: string | null = null;
test.describe.configure({ timeout: 90_000 });

test.beforeAll(async ({ baseURL }) => {
  demo = await playwrightRequest.newContext({ baseURL });
  await signIn(demo, DEMO.email, DEMO.password);
  full = await createKey(demo, 'demo', ALL_SCOPES);

  // A second institution with its own admin and key (onboarded through the platform admin and
  // the invitation e-mail, as in production).
  const { slug, admin: other } = await onboardInstitution(baseURL, 'Other College', 'other');
  foreign = await createKey(other, slug, ALL_SCOPES);
});

test('datasets: list with cursor pagination, get one, upload a streamed file', async () => {
  const k = await createKey(demo, 'demo', ALL_SCOPES);
  const first = await demo.get('/api/v1/datasets?limit=2', { headers: auth(k.secret) });
  expect(first.status()).toBe(200);
  expect(first.headers()['ratelimit-limit']).toBe('40');
  const page1 = (await first.json()) as { data: { id: string; status: string }[]; nextCursor: string | null };
  expect(page1.data).toHaveLength(2);
  expect(page1.nextCursor).not.toBeNull();
  const page2 = (await (await demo.get(`/api/v1/datasets?limit=2&cursor=${page1.nextCursor}`, { headers: auth(k.secret) })).json()) as { data: { id: string }[] };
  expect(page2.data[0]?.id).not.toBe(page1.data[1]?.id);

  const one = await demo.get(`/api/v1/datasets/${page1.data[0]!.id}`, { headers: auth(k.secret) });
  expect(one.status()).toBe(200);
  expect(await one.json()).toMatchObject({ id: page1.data[0]!.id, profile: expect.anything() });

  const uploaded = await demo.post('/api/v1/datasets?kind=terms&filename=terms.csv&name=api-v1', { headers: { ...auth(k.secret), 'content-type': 'text/csv' }, data: csv });
  expect(uploaded.status(), await uploaded.text()).toBe(201);
  const body = (await uploaded.json()) as { id: string; bytes: number };
  expect(body.bytes).toBe(Buffer.byteLength(csv));
  expect((await demo.get(`/api/v1/datasets/${body.id}`, { headers: auth(k.secret) })).status()).toBe(200);

  // Its mapping: none yet (404), a preview of the suggestion on the first rows, then saved.
  await expect
    .poll(async () => ((await (await demo.get(`/api/v1/datasets/${body.id}`, { headers: auth(k.secret) })).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe('profiled');
  await expectProblem(await demo.get(`/api/v1/datasets/${body.id}/mapping`, { headers: auth(k.secret) }), 404, 'NOT_FOUND');
  await expectProblem(await demo.post(`/api/v1/datasets/${body.id}/load`, { headers: auth(k.secret) }), 412, 'PRECONDITION_FAILED');
  await expectProblem(await demo.post(`/api/v1/datasets/${body.id}/mapping/preview`, { headers: auth(k.secret), data: { assignments: [], colour: 'red' } }), 400, 'VALIDATION_FAILED');
  const suggestion = (await (await demo.get(`/api/v1/datasets/${body.id}/mapping/suggestion`, { headers: auth(k.secret) })).json()) as { spec: { assignments: { field: string }[] } };
  expect(suggestion.spec.assignments.map((a) => a.field)).toEqual(expect.arrayContaining(['term_code', 'start', 'end']));
  const preview = await demo.post(`/api/v1/datasets/${body.id}/mapping/preview`, { headers: auth(k.secret), data: suggestion.spec });
  expect(preview.status(), await preview.text()).toBe(200);
  expect(await preview.json()).toMatchObject({ rows: [expect.objectContaining({ rowNumber: 1 })], cellErrors: 0 });
  const badMapping = await expectProblem(await demo.put(`/api/v1/datasets/${body.id}/mapping`, { headers: auth(k.secret), data: { assignments: [{ field: 'term_code', column: 'NO_SUCH_COLUMN' }] } }), 400, 'BAD_REQUEST');
  expect(badMapping.detail).toMatch(/NO_SUCH_COLUMN/);
  const saved = await demo.put(`/api/v1/datasets/${body.id}/mapping`, { headers: auth(k.secret), data: suggestion.spec });
  expect(saved.status(), await saved.text()).toBe(200);
  const mapping = (await saved.json()) as { id: string; version: number };
  expect(await (await demo.get(`/api/v1/datasets/${body.id}/mapping`, { headers: auth(k.secret) })).json()).toMatchObject({ id: mapping.id, kind: 'terms' });

  // A multipart upload (fields before the file part) is the same upload.
  const multipart = await demo.post('/api/v1/datasets', { headers: auth(k.secret), multipart: { kind: 'terms', name: 'api-v1', file: { name: 'terms.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } } });
  expect(multipart.status(), await multipart.text()).toBe(201);
  expect(await multipart.json()).toMatchObject({ kind: 'terms', version: 2, bytes: Buffer.byteLength(csv) });
});

test('studies and runs: list, create, get, start, status, cancel, result', async () => {
  test.setTimeout(300_000);
  const k = await createKey(demo, 'demo', ALL_SCOPES);
  await demoStudy();
  const study = await demo.get(`/api/v1/studies/${studyId}`, { headers: auth(k.secret) });
  expect(study.status()).toBe(200);
  const spec = ((await study.json()) as { spec: Record<string, unknown> }).spec;

  const created = await demo.post('/api/v1/studies', { headers: auth(k.secret), data: { name: `API study ${randomUUID().slice(0, 6)}`, intervention: spec.intervention, outcome: spec.outcome } });
  expect(created.status(), await created.text()).toBe(201);
  const newStudy = (await created.json()) as { id: string; version: number; spec: { method: { estimator: string } } };
  expect(newStudy).toMatchObject({ version: 1, spec: { method: { estimator: 'matching' } } });
  const list = (await (await demo.get('/api/v1/studies', { headers: auth(k.secret) })).json()) as { data: { id: string }[] };
  expect(list.data.map((s) => s.id)).toContain(newStudy.id);
  const updated = await demo.put(`/api/v1/studies/${newStudy.id}`, { headers: auth(k.secret), data: { name: `${spec.intervention as string} (revised)`, intervention: spec.intervention, outcome: spec.outcome, method: { caliper: 0.1 } } });
  expect(updated.status(), await updated.text()).toBe(200);
  expect(await updated.json()).toMatchObject({ id: newStudy.id, version: 2, spec: { method: { caliper: 0.1 } } });

  const started = await demo.post(`/api/v1/studies/${newStudy.id}/runs`, { headers: auth(k.secret) });
  expect(started.status(), await started.text()).toBe(202);
  const run = (await started.json()) as { id: string; status: string };
  const status = await demo.get(`/api/v1/runs/${run.id}`, { headers: auth(k.secret) });
  expect(status.status()).toBe(200);
  expect(await status.json()).toMatchObject({ id: run.id, studyId: newStudy.id, status: expect.stringMatching(/queued|running|succeeded/) });

  const cancelled = await demo.post(`/api/v1/runs/${run.id}/cancel`, { headers: auth(k.secret) });
  expect([202, 409]).toContain(cancelled.status());
  if (cancelled.status() === 202) expect(((await cancelled.json()) as { cancelRequested: boolean }).cancelRequested).toBe(true);

  // The demo's first study was started by `npm start`; wait for its run to finish.
  await expect
    .poll(async () => {
      const runs = await trpc<{ id: string; status: string }[]>(demo, 'runs.list', { tenantSlug: 'demo', studyId }, 'query');
      succeededRunId = runs.find((r) => r.status === 'succeeded')?.id ?? null;
      return succeededRunId;
    }, { timeout: 120_000, intervals: [2_000] })
    .not.toBeNull();
  if (succeededRunId) {
    const result = await demo.get(`/api/v1/runs/${succeededRunId}/result`, { headers: auth(k.secret) });
    expect(result.status()).toBe(200);
    expect(await result.json()).toMatchObject({ runId: succeededRunId, result: expect.anything() });
    const exported = await demo.get(`/api/v1/runs/${succeededRunId}/export?format=json`, { headers: auth(k.secret) });
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-disposition']).toMatch(/attachment; filename=".+\.json"/);
    expect(await exported.json()).toMatchObject({ runId: succeededRunId });
    await expectProblem(await demo.get(`/api/v1/runs/${succeededRunId}/export?format=xlsx`, { headers: auth(k.secret) }), 400, 'VALIDATION_FAILED');
  }
  const runPage = (await (await demo.get(`/api/v1/studies/${studyId}/runs?limit=1`, { headers: auth(k.secret) })).json()) as { data: { id: string }[]; nextCursor: string | null };
  expect(runPage.data).toHaveLength(1);
  const notFinished = await demo.get(`/api/v1/runs/${run.id}/result`, { headers: auth(k.secret) });
  if (notFinished.status() !== 200) await expectProblem(notFinished, 409, 'CONFLICT');
});

test('another tenant’s key gets 404 on every resource and changes nothing', async () => {
  const k = await createKey(demo, 'demo', ALL_SCOPES);
  test.setTimeout(200_000);
  await demoStudy();
  const runs = await trpc<{ id: string }[]>(demo, 'runs.list', { tenantSlug: 'demo', studyId }, 'query');
  const runId = runs[0]!.id;
  const datasets = (await (await demo.get('/api/v1/datasets', { headers: auth(k.secret) })).json()) as { data: { id: string }[] };
  const h = auth(foreign.secret);
  await expectProblem(await demo.get(`/api/v1/datasets/${datasets.data[0]!.id}`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.get(`/api/v1/studies/${studyId}`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.post(`/api/v1/studies/${studyId}/runs`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.get(`/api/v1/runs/${runId}`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.get(`/api/v1/runs/${runId}/result`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.post(`/api/v1/runs/${runId}/cancel`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.get(`/api/v1/runs/${runId}/export`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.get(`/api/v1/studies/${studyId}/runs`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.put(`/api/v1/studies/${studyId}`, { headers: h, data: { name: 'Hijacked', intervention: 'Summer Bridge', outcome: 'retained_fall_to_fall' } }), 404, 'NOT_FOUND');
  const datasetId = datasets.data[0]!.id;
  await expectProblem(await demo.get(`/api/v1/datasets/${datasetId}/mapping`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.get(`/api/v1/datasets/${datasetId}/mapping/suggestion`, { headers: h }), 404, 'NOT_FOUND');
  await expectProblem(await demo.post(`/api/v1/datasets/${datasetId}/mapping/preview`, { headers: h, data: { assignments: [] } }), 404, 'NOT_FOUND');
  await expectProblem(await demo.put(`/api/v1/datasets/${datasetId}/mapping`, { headers: h, data: { assignments: [] } }), 404, 'NOT_FOUND');
  await expectProblem(await demo.post(`/api/v1/datasets/${datasetId}/load`, { headers: h }), 404, 'NOT_FOUND');
  const study = (await (await demo.get(`/api/v1/studies/${studyId}`, { headers: auth(k.secret) })).json()) as { name: string };
  expect(study.name).not.toBe('Hijacked');
  // Its own lists hold none of the demo institution's items.
  const own = (await (await demo.get('/api/v1/studies', { headers: h })).json()) as { data: unknown[] };
  expect(own.data).toEqual([]);
  const after = await trpc<{ id: string }[]>(demo, 'runs.list', { tenantSlug: 'demo', studyId }, 'query');
  expect(after.map((r) => r.id)).toEqual(runs.map((r) => r.id));
});

test('a key without the scope gets 403; missing, malformed, unknown, revoked and expired keys get 401', async () => {
  const k = await createKey(demo, 'demo', ALL_SCOPES);
  const readOnly = await createKey(demo, 'demo', ['datasets:read']);
  expect((await demo.get('/api/v1/datasets', { headers: auth(readOnly.secret) })).status()).toBe(200);
  const forbidden = await expectProblem(await demo.get('/api/v1/studies', { headers: auth(readOnly.secret) }), 403, 'INSUFFICIENT_SCOPE');
  expect(forbidden.detail).toMatch(/studies:read/);
  await expectProblem(await demo.post('/api/v1/datasets?kind=terms&filename=t.csv', { headers: { ...auth(readOnly.secret), 'content-type': 'text/csv' }, data: csv }), 403, 'INSUFFICIENT_SCOPE');
  const someDataset = ((await (await demo.get('/api/v1/datasets?limit=1', { headers: auth(readOnly.secret) })).json()) as { data: { id: string }[] }).data[0]!.id;
  await expectProblem(await demo.put(`/api/v1/datasets/${someDataset}/mapping`, { headers: auth(readOnly.secret), data: { assignments: [] } }), 403, 'INSUFFICIENT_SCOPE');
  await expectProblem(await demo.post(`/api/v1/datasets/${someDataset}/load`, { headers: auth(readOnly.secret) }), 403, 'INSUFFICIENT_SCOPE');
  await expectProblem(await demo.get(`/api/v1/runs/${randomUUID()}/export`, { headers: auth(readOnly.secret) }), 403, 'INSUFFICIENT_SCOPE');

  const missing = await expectProblem(await demo.get('/api/v1/datasets'), 401, 'API_KEY_MISSING');
  expect(missing.instance).toBe('/api/v1/datasets');
  await expectProblem(await demo.get('/api/v1/datasets', { headers: { authorization: 'Basic abc' } }), 401, 'API_KEY_MALFORMED');
  await expectProblem(await demo.get('/api/v1/datasets', { headers: auth('cw_live_nope') }), 401, 'API_KEY_MALFORMED');
  await expectProblem(await demo.get('/api/v1/datasets', { headers: auth(`${k.secret.slice(0, 17)}${'A'.repeat(43)}`) }), 401, 'API_KEY_UNKNOWN');

  await trpc(demo, 'apiKeys.revoke', { tenantSlug: 'demo', keyId: readOnly.id });
  await expectProblem(await demo.get('/api/v1/datasets', { headers: auth(readOnly.secret) }), 401, 'API_KEY_REVOKED');

  const expiring = await createKey(demo, 'demo', ['datasets:read'], { expiresAt: new Date(Date.now() + 1500).toISOString() });
  await expect.poll(async () => ((await (await demo.get('/api/v1/datasets', { headers: auth(expiring.secret) })).json()) as { code?: string }).code, { timeout: 10_000 }).toBe('API_KEY_EXPIRED');
});

test('an idempotent POST retried with the same key creates one resource; a different body is 422', async () => {
  const k = await createKey(demo, 'demo', ALL_SCOPES);
  test.setTimeout(200_000);
  await demoStudy();
  const study = (await (await demo.get(`/api/v1/studies/${studyId}`, { headers: auth(k.secret) })).json()) as { spec: Record<string, unknown> };
  const key = randomUUID();
  const data = { name: `Idempotent ${key.slice(0, 6)}`, intervention: study.spec.intervention, outcome: study.spec.outcome };
  const first = await demo.post('/api/v1/studies', { headers: { ...auth(k.secret), 'idempotency-key': key }, data });
  expect(first.status()).toBe(201);
  const retry = await demo.post('/api/v1/studies', { headers: { ...auth(k.secret), 'idempotency-key': key }, data });
  expect(retry.status()).toBe(201);
  expect(retry.headers()['idempotent-replayed']).toBe('true');
  expect(((await retry.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
  const list = (await (await demo.get('/api/v1/studies?limit=100', { headers: auth(k.secret) })).json()) as { data: { name: string }[] };
  expect(list.data.filter((s) => s.name === data.name)).toHaveLength(1);
  await expectProblem(await demo.post('/api/v1/studies', { headers: { ...auth(k.secret), 'idempotency-key': key }, data: { ...data, name: 'Something else' } }), 422, 'IDEMPOTENCY_KEY_REUSED');

  // Uploads too: the streamed body is hashed on the way.
  const uploadKey = randomUUID();
  const upload = () => demo.post('/api/v1/datasets?kind=terms&filename=terms.csv&name=idem', { headers: { ...auth(k.secret), 'content-type': 'text/csv', 'idempotency-key': uploadKey }, data: csv });
  const u1 = (await (await upload()).json()) as { id: string };
  const u2 = await upload();
  expect(u2.status()).toBe(201);
  expect(((await u2.json()) as { id: string }).id).toBe(u1.id);
});

test('bad input is a 4xx problem+json, never a 500', async () => {
  const k = await createKey(demo, 'demo', ALL_SCOPES);
  const h = auth(k.secret);
  await expectProblem(await demo.post('/api/v1/studies', { headers: { ...h, 'content-type': 'text/plain' }, data: Buffer.from('{}') }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  await expectProblem(await demo.post('/api/v1/studies', { headers: { ...h, 'content-type': 'application/json' }, data: Buffer.from('{"name": ') }), 400, 'INVALID_JSON');
  await expectProblem(await demo.post('/api/v1/studies', { headers: { ...h, 'content-type': 'application/json' }, data: Buffer.alloc(0) }), 400, 'INVALID_JSON');
  const unknown = await expectProblem(
    await demo.post('/api/v1/studies', { headers: h, data: { name: 'X study', intervention: 'Y', outcome: 'retained_fall_to_fall', methd: {} } }),
    400,
    'VALIDATION_FAILED',
  );
  expect(JSON.stringify(unknown.errors)).toMatch(/methd/);
  await expectProblem(await demo.post('/api/v1/studies', { headers: h, data: { name: 'X study', intervention: 'Y', outcome: 'retained_fall_to_fall', method: { estimatr: 'ipw' } } }), 400, 'VALIDATION_FAILED');
  await expectProblem(await demo.post('/api/v1/studies', { headers: h, data: ['not', 'an', 'object'] }), 400, 'VALIDATION_FAILED');
  await expectProblem(await demo.post('/api/v1/studies', { headers: h, data: { name: 'x'.repeat(70_000) } }), 413, 'BODY_TOO_LARGE');
  await expectProblem(await demo.post('/api/v1/datasets?kind=terms&filename=terms.csv', { headers: { ...h, 'content-type': 'application/json' }, data: Buffer.from('{}') }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  await expectProblem(await demo.post('/api/v1/datasets?kind=grades&filename=terms.csv', { headers: { ...h, 'content-type': 'text/csv' }, data: csv }), 400, 'VALIDATION_FAILED');
  await expectProblem(await demo.post('/api/v1/datasets?kind=terms&filename=terms.csv', { headers: { ...h, 'content-type': 'text/csv' }, data: '' }), 400, 'BAD_REQUEST');
  await expectProblem(await demo.post('/api/v1/datasets', { headers: h, multipart: { kind: 'terms', upload: { name: 't.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } } }), 400, 'INVALID_MULTIPART');
  await expectProblem(await demo.post('/api/v1/datasets', { headers: { ...h, 'content-type': 'multipart/form-data' }, data: Buffer.from('x') }), 400, 'INVALID_MULTIPART');
  await expectProblem(await demo.put(`/api/v1/studies/${randomUUID()}`, { headers: h, data: { name: 'X study', intervention: 'Y', outcome: 'retained_fall_to_fall', extra: 1 } }), 400, 'VALIDATION_FAILED');
  await expectProblem(await demo.get(`/api/v1/studies/${randomUUID()}/runs?cursor=${Buffer.from('1999-01-01 00:00:00+00|x').toString('base64url')}`, { headers: h }), 404, 'NOT_FOUND');
  for (const path of ['/api/v1/datasets/not-a-uuid', '/api/v1/studies/123', '/api/v1/runs/%27%20or%201%3D1', `/api/v1/runs/${randomUUID()}`]) {
    await expectProblem(await demo.get(path, { headers: h }), 404, 'NOT_FOUND');
  }
  await expectProblem(await demo.get('/api/v1/no-such-thing', { headers: h }), 404, 'NO_SUCH_ENDPOINT');
  await expectProblem(await demo.get('/api/v1/datasets?limit=0', { headers: h }), 400, 'VALIDATION_FAILED');
  await expectProblem(await demo.get('/api/v1/datasets?limit=abc', { headers: h }), 400, 'VALIDATION_FAILED');
  await expectProblem(await demo.get('/api/v1/datasets?cursor=bm9wZQ', { headers: h }), 400, 'INVALID_CURSOR');
  await expectProblem(await demo.get('/api/v1/datasets?colour=red', { headers: h }), 400, 'VALIDATION_FAILED');
  await expectProblem(await demo.post('/api/v1/studies', { headers: { ...h, 'idempotency-key': 'bad key with spaces' }, data: {} }), 400, 'INVALID_IDEMPOTENCY_KEY');
});

test('the rate limit per key answers 429 with Retry-After and RateLimit headers', async () => {
  const k = await createKey(demo, 'demo', ALL_SCOPES);
  const key = await createKey(demo, 'demo', ['runs:read']);
  let last: APIResponse | undefined;
  // 40 per minute; a window boundary may reset the count once, so allow for two windows.
  for (let i = 0; i < 81; i += 1) {
    last = await demo.get(`/api/v1/runs/${randomUUID()}`, { headers: auth(key.secret) });
    if (last.status() === 429) break;
    expect(last.status()).toBe(404);
    expect(Number(last.headers()['ratelimit-remaining'])).toBeGreaterThanOrEqual(0);
  }
  const body = await expectProblem(last!, 429, 'RATE_LIMITED');
  expect(body.detail).toMatch(/40 requests/);
  const retryAfter = Number(last!.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(last!.headers()['ratelimit-remaining']).toBe('0');
  // Another key is not affected.
  expect((await demo.get(`/api/v1/runs/${randomUUID()}`, { headers: auth(k.secret) })).status()).toBe(404);
});
