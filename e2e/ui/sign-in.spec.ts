import { expect, test } from '@playwright/test';
import { alert, DEMO, signIn } from '../fixtures/accounts';

test('the demo user signs in and sees the institution dashboard', async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/demo$/);
  await expect(page.getByRole('heading', { level: 1, name: DEMO.tenantName })).toBeVisible();
  await expect(page.getByText('you are owner')).toBeVisible();
  await page.getByRole('navigation', { name: 'Institution' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('cell', { name: DEMO.email })).toBeVisible();
});

test('a wrong password gets a clear message and no session', async ({ page }) => {
  await signIn(page, DEMO.email, 'not the password');
  await expect(alert(page)).toHaveText('The e-mail address or password is not correct.');
  await page.goto('/demo');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('pages of a tenant need a session', async ({ page }) => {
  await page.goto('/demo/members');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
});
