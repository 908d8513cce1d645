/**
 * The tRPC HTTP endpoint, without a browser: anonymous calls are 401, another tenant's
 * procedures answer 404 exactly like a missing tenant, and malformed input is a 400.
 */
import { expect, test } from '@playwright/test';
import { DEMO } from '../fixtures/accounts';
import { signInRequest } from '../fixtures/sessions';

const query = (path: string, input: unknown) => `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

test('anonymous calls are refused with 401', async ({ request }) => {
  const response = await request.get(query('tenant.dashboard', { tenantSlug: 'demo' }));
  expect(response.status()).toBe(401);
  expect(((await response.json()) as { error: { json: { message: string } } }).error.json.message).toBe('Sign in to continue.');
});

test('a member gets their tenant; other tenants are 404; bad input is 400', async ({ request }) => {
  await signInRequest(request, DEMO.email, DEMO.password);
  const own = await request.get(query('tenant.dashboard', { tenantSlug: 'demo' }));
  expect(own.status()).toBe(200);
  const body = (await own.json()) as { result: { data: { json: { tenant: { name: string } } } } };
  expect(body.result.data.json.tenant.name).toBe(DEMO.tenantName);

  expect((await request.get(query('tenant.dashboard', { tenantSlug: 'no-such-tenant' }))).status()).toBe(404);
  expect((await request.get(query('members.list', { tenantSlug: 'x'.repeat(500) }))).status()).toBe(400);
  const platformOnly = await request.get(query('admin.tenants', undefined));
  expect(platformOnly.status()).toBe(403);
});
