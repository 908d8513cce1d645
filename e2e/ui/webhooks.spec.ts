/**
 * The webhooks page: an admin registers an endpoint (a local receiver), sees its signing secret
 * once, a dataset load through the API produces a signed `dataset.loaded` delivery that shows up
 * in the endpoint's delivery log with its attempt, "Resend" posts the same event again as a
 * second attempt, and disabling the endpoint is reflected in the list.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from '../fixtures/accounts';

const terms = 'STVTERM_CODE,STVTERM_START_DATE,STVTERM_END_DATE\n203080,2030-08-23,2030-12-15\n';

test('an admin registers an endpoint, sees a signed delivery in its log, and resends it', async ({ page, request }) => {
  test.setTimeout(240_000);
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('thanks');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ui-hook`;

  try {
    await signIn(page, DEMO.email, DEMO.password);
    await expect(page).toHaveURL(/\/demo$/);
    const created = await page.request.post('/api/trpc/apiKeys.create', {
      data: { json: { tenantSlug: 'demo', name: `ui webhooks ${Date.now()}`, scopes: ['datasets:read', 'datasets:write', 'studies:read'] } },
    });
    expect(created.status(), await created.text()).toBe(200);
    const key = ((await created.json()) as { result: { data: { json: { secret: string } } } }).result.data.json.secret;
    const auth = { authorization: `Bearer ${key}` };
    // `npm start` loads the demo's files in the background; its study is defined once they are loaded, so
    // waiting for it keeps the demo's own dataset.loaded events out of this endpoint's log.
    await expect
      .poll(async () => ((await (await request.get('/api/v1/studies', { headers: auth })).json()) as { data: unknown[] }).data.length, { timeout: 150_000, intervals: [2_000] })
      .toBeGreaterThan(0);
    await page.goto('/demo');
    await page.getByRole('navigation', { name: 'Institution' }).getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('run.completed').uncheck();
    await page.getByLabel('run.failed').uncheck();
    await page.getByLabel('dataset.loaded').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const shown = page.getByRole('textbox', { name: 'Signing secret' });
    await expect(shown).toHaveValue(/^whsec_[A-Za-z0-9_-]{43}$/);
    const secret = await shown.inputValue();
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(page.locator('body')).not.toContainText(secret.slice(6));
    const item = page.getByRole('listitem').filter({ hasText: url });
    await expect(item).toContainText('dataset.loaded · enabled');

    // An event: a terms file loaded through the API with its suggested mapping.
    const uploaded = (await (await request.post('/api/v1/datasets?kind=terms&filename=terms-2030.csv&name=ui-webhooks', { headers: { ...auth, 'content-type': 'text/csv' }, data: terms })).json()) as { id: string };
    await expect.poll(async () => ((await (await request.get(`/api/v1/datasets/${uploaded.id}`, { headers: auth })).json()) as { status: string }).status).toBe('profiled');
    const suggestion = (await (await request.get(`/api/v1/datasets/${uploaded.id}/mapping/suggestion`, { headers: auth })).json()) as { spec: unknown };
    expect((await request.put(`/api/v1/datasets/${uploaded.id}/mapping`, { headers: auth, data: suggestion.spec })).status()).toBe(200);
    expect((await request.post(`/api/v1/datasets/${uploaded.id}/load`, { headers: auth })).status()).toBe(202);

    await expect.poll(() => received.length, { timeout: 60_000 }).toBe(1);
    const [first] = received;
    const t = /t=(\d+)/.exec(String(first!.headers['causeway-signature']))![1]!;
    const expected = createHmac('sha256', secret).update(`${t}.${first!.body}`).digest('hex');
    expect(first!.headers['causeway-signature']).toContain(`v1=${expected}`);
    expect(JSON.parse(first!.body)).toMatchObject({ type: 'dataset.loaded', data: { datasetVersionId: uploaded.id, status: 'loaded' } });

    await item.getByRole('button', { name: 'Deliveries' }).click();
    const log = item.getByRole('table', { name: 'Deliveries' });
    await expect(log).toContainText('dataset.loaded');
    await expect(log).toContainText('succeeded');
    await expect(log).toContainText('#1 event');
    await log.getByRole('button', { name: 'Resend' }).click();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    expect(received[1]!.body).toBe(first!.body);
    await expect(log).toContainText('#2 resend', { timeout: 15_000 });

    await item.getByRole('button', { name: 'Disable' }).click();
    await expect(item).toContainText('dataset.loaded · disabled');
  } finally {
    receiver.close();
  }
});
