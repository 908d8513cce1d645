/**
 * Onboarding a new institution through the portal: the platform administrator creates it and
 * invites its first administrator; the invitation e-mail (outbox, delivered by the worker)
 * carries a link that sets the password; the new administrator signs in. Then the demo user
 * tries the new institution's URL and gets not-found.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { alert, DEMO, PLATFORM_ADMIN, signIn, signOut } from '../fixtures/accounts';

test.describe.configure({ mode: 'serial' });

const slug = `northfield-${Date.now().toString(36)}`;
const fixtures = fileURLToPath(new URL('../fixtures/northfield/', import.meta.url));
const firstAdmin = { email: `ir@${slug}.edu`, password: 'a sturdy passphrase' };

test('a platform administrator onboards an institution and its admin joins through the e-mailed link', async ({ page }) => {
  await signIn(page, PLATFORM_ADMIN.email, PLATFORM_ADMIN.password);
  await page.getByRole('link', { name: /Platform administration/ }).click();
  await page.getByLabel('Institution name').fill('Northfield College');
  await page.getByLabel('Slug (used in URLs)').fill(slug);
  await page.getByLabel('First administrator’s e-mail').fill(firstAdmin.email);
  await page.getByRole('button', { name: 'Create institution and invite' }).click();
  await expect(page.getByRole('status')).toContainText(`invitation sent to ${firstAdmin.email}`);
  await expect(page.getByRole('cell', { name: slug })).toBeVisible();

  // The worker delivers the e-mail asynchronously; reload until it is in the outbox.
  const message = page.getByTestId('outbox-body').filter({ hasText: `/invite/${slug}/` });
  await expect(async () => {
    await page.reload();
    await expect(message).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const link = /https?:\/\/\S+\/invite\/\S+/.exec((await message.textContent()) ?? '')?.[0];
  expect(link).toBeTruthy();
  await signOut(page);

  await page.goto(link!);
  await expect(page.getByRole('heading', { name: 'Join Northfield College' })).toBeVisible();
  await page.getByLabel('Your name').fill('Irene Research');
  await page.getByLabel(/Choose a password/).fill(firstAdmin.password);
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(page.getByRole('status')).toContainText('Welcome!');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('E-mail').fill(firstAdmin.email);
  await page.getByLabel('Password').fill(firstAdmin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Northfield College' })).toBeVisible();
  await expect(page.getByText('you are owner')).toBeVisible();

  // The link cannot be used twice.
  await signOut(page);
  await page.goto(link!);
  await expect(alert(page)).toContainText('not valid any more');
});

test('the new administrator uploads three files, fixes the suggested mapping, loads them and sees the counts', async ({ page }) => {
  await signIn(page, firstAdmin.email, firstAdmin.password);
  await expect(page.getByRole('heading', { name: 'Getting started' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Institution' }).getByRole('link', { name: 'Data' }).click();

  const files: [kind: string, file: string, fix?: [field: string, column: string]][] = [
    ['terms', 'terms.csv'],
    ['students', 'students.csv', ['degree_seeking', 'ZQ']],
    ['term_enrollments', 'enrollments.csv'],
  ];
  for (const [kind, file, fix] of files) {
    await page.getByLabel('What the file holds').selectOption(kind);
    await page.getByLabel('CSV or TSV file').setInputFiles(path.join(fixtures, file));
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.getByRole('status')).toContainText(`Uploaded ${file}`);
    await page.getByRole('link', { name: file }).first().click();
    await expect(page.getByRole('heading', { name: /Mapping/ })).toBeVisible();
    if (fix) {
      // The column name is local jargon the suggestion cannot know: the required field is flagged.
      await expect(page.getByText('Required: choose a column.')).toBeVisible();
      await page.getByLabel(`Column for ${fix[0]}`).selectOption(fix[1]);
      await page.getByRole('button', { name: 'Preview' }).click();
      await expect(page.getByText(/Preview of the first 5 rows: 0 with problems/)).toBeVisible();
    }
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await expect(page.getByRole('status')).toContainText('Mapping saved');
    await page.getByRole('button', { name: 'Validate and load' }).click();
    await expect(page.getByText('loaded', { exact: true })).toBeVisible({ timeout: 30_000 });
    await page.getByRole('link', { name: '← All files' }).click();
  }
  await expect(page.getByTestId('count-students')).toHaveText('5');
  await expect(page.getByTestId('count-term-enrollments')).toHaveText('11');
  await expect(page.getByTestId('count-terms')).toHaveText('5');
  await expect(page.getByTestId('count-derived-outcomes')).toHaveText('5');
});

test('another institution’s URL shows not-found, like one that does not exist', async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page.getByRole('heading', { level: 1, name: DEMO.tenantName })).toBeVisible();
  for (const path of [`/${slug}`, `/${slug}/members`, '/no-such-institution']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  }
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
