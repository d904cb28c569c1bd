// Smoke test of the production build: the page loads, the hello program runs, nothing logs an error.

import { expect, test } from '@playwright/test';

test('runs the hello program', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));

  await page.goto('./');
  await expect(page).toHaveTitle('Dune Lab');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dune Lab');

  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('stdout')).toContainText('Hello from a Linux process!');
  await expect(page.getByTestId('exit-code')).toHaveText('0');

  const shot = await page.screenshot({ path: 'artifacts/e2e/smoke.png', fullPage: true });
  await testInfo.attach('smoke', { body: shot, contentType: 'image/png' });

  expect(errors).toEqual([]);
});
