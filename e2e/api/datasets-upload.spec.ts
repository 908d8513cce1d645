/**
 * The upload route (the file is the request body): anonymous → 401, a tenant the caller is not a
 * member of → 404 exactly like a missing one, bad parameters → 400, all as problem+json; a real
 * upload → 201 with the stored size and hash.
 */
import { createHash } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO } from '../fixtures/accounts';
import { signInRequest } from '../fixtures/sessions';

const csv = 'STVTERM_CODE,STVTERM_START_DATE,STVTERM_END_DATE\n202180,2021-08-23,2021-12-15\n';
const upload = (request: APIRequestContext, slug: string, query: string, body: string = csv) =>
  request.post(`/api/tenants/${slug}/datasets?${query}`, { data: body, headers: { 'content-type': 'text/csv' } });

test('anonymous uploads are refused with a problem+json 401', async ({ request }) => {
  const response = await upload(request, 'demo', 'kind=terms&filename=terms.csv');
  expect(response.status()).toBe(401);
  expect(response.headers()['content-type']).toContain('application/problem+json');
  expect(((await response.json()) as { code: string }).code).toBe('UNAUTHORIZED');
});

test('uploads go only to the caller’s own institution, and bad parameters are explained', async ({ request }) => {
  await signInRequest(request, DEMO.email, DEMO.password);
  const foreign = await upload(request, 'not-a-member-tenant', 'kind=terms&filename=terms.csv');
  expect(foreign.status()).toBe(404);

  const badKind = await upload(request, 'demo', 'kind=grades&filename=terms.csv');
  expect(badKind.status()).toBe(400);
  expect(((await badKind.json()) as { detail: string }).detail).toMatch(/Choose what the file holds/);
  const badName = await upload(request, 'demo', 'kind=terms&filename=terms.xlsx');
  expect(badName.status()).toBe(400);
  const empty = await upload(request, 'demo', 'kind=terms&filename=terms.csv', '');
  expect(empty.status()).toBe(400);

  const ok = await upload(request, 'demo', 'kind=terms&name=api-check&filename=terms.csv');
  expect(ok.status()).toBe(201);
  const body = (await ok.json()) as { bytes: number; sha256: string; kind: string };
  expect(body).toMatchObject({ kind: 'terms', bytes: Buffer.byteLength(csv), sha256: createHash('sha256').update(csv).digest('hex') });
});
