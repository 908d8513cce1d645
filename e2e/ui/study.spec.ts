/**
 * From "did the programme work?" to an answer: the demo user defines a study on the demo data
 * (loaded by `npm start` through the real path), runs it, watches the progress, reads the
 * headline, balance and sensitivity, and exports the result. Screenshots of the results page
 * are kept as test artifacts.
 */
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from '../fixtures/accounts';

test('the demo user defines a study, runs it, reads the result and exports it', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(/\/demo$/);
  // The demo data loads in the background after start-up; wait until the programme is there.
  await expect(async () => {
    await page.goto('/demo/studies/new');
    await expect(page.getByRole('combobox', { name: 'Programme', exact: true })).toHaveValue('Summer Bridge', { timeout: 1_000 });
  }).toPass({ timeout: 180_000 });

  await page.getByLabel('Study name').fill('Summer Bridge and first-year retention');
  await page.getByLabel('Research question').fill('Did the summer bridge programme raise fall-to-fall retention?');
  await page.getByRole('combobox', { name: 'Outcome', exact: true }).selectOption('retained_fall_to_fall');
  await page.getByRole('button', { name: 'Show advanced method settings' }).click();
  await page.getByLabel('Imputations (when data are missing)').fill('3');
  await page.getByRole('button', { name: 'Create study' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Summer Bridge and first-year retention' })).toBeVisible();

  await page.getByRole('button', { name: 'Run the study' }).click();
  await expect(page.getByTestId('run-status').first()).toHaveText(/queued|running|succeeded/);
  await expect(page.getByTestId('run-status').first()).toHaveText('succeeded', { timeout: 240_000 });
  await page.getByRole('link', { name: 'See the result' }).first().click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText(/fall-to-fall retention was [\d.]+ points (higher|lower) than comparable non-participants/);
  await expect(page.getByLabel(/Evidence grade [ABCD]/)).toBeVisible();
  await expect(page.getByRole('img', { name: /Love plot/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Balance table' }).getByRole('row')).not.toHaveCount(1);
  await expect(page.getByRole('heading', { name: /Sensitivity to hidden confounding/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('results-page.png'), fullPage: true });
  await testInfo.attach('results-page', { path: testInfo.outputPath('results-page.png'), contentType: 'image/png' });

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const file = await (await download).path();
  const { readFile } = await import('node:fs/promises');
  const csv = await readFile(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('section,name,value,lower,upper,detail');
  expect(csv).toMatch(/^headline,estimate,/m);

  await page.getByRole('link', { name: 'Printable report' }).click();
  await expect(page.getByRole('heading', { name: 'Methods' })).toBeVisible();
  await expect(page.getByText(/nearest neighbour on the logit of the propensity score/)).toBeVisible();
});
