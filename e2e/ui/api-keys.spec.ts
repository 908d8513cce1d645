/**
 * The API keys page: an admin creates a key with chosen scopes, sees the whole key once, the list
 * shows only its prefix and last four, the key works against /api/v1, and revoking it stops it.
 */
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from '../fixtures/accounts';

test('an admin creates a key, sees it once, uses it, and revokes it', async ({ page, request }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/demo$/);
  await page.getByRole('navigation', { name: 'Institution' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();

  const name = `ui key ${Date.now()}`;
  await page.getByLabel('Key name').fill(name);
  await page.getByLabel('studies:read').uncheck();
  await page.getByLabel('runs:read').uncheck();
  await page.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('textbox', { name: 'New API key' });
  await expect(shown).toHaveValue(/^cw_live_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
  const secret = await shown.inputValue();

  const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(`${secret.slice(0, 16)}…${secret.slice(-4)}`);
  await expect(row).toContainText('datasets:read');
  await expect(row).not.toContainText('studies:read');
  await expect(row).toContainText('active');

  await page.getByRole('button', { name: 'I have copied it' }).click();
  await expect(shown).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(secret.slice(17));

  expect((await request.get('/api/v1/datasets', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(200);
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText('revoked');
  expect((await request.get('/api/v1/datasets', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
});
