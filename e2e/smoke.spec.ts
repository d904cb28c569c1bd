// Smoke test of the production build: the page loads, the hello program runs and records, the
// stepping controls move through it, nothing logs an error.

import { expect, test } from '@playwright/test';

test('runs and records the hello program, then steps', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));

  await page.goto('./');
  await expect(page).toHaveTitle('Dune Lab');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dune Lab');

  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('Hello from a Linux process!');
  await expect(page.getByTestId('exit-code')).toHaveText('0');
  await page.getByRole('button', { name: /next system call/ }).click();
  await expect(page.getByTestId('event')).toContainText('write');

  const shot = await page.screenshot({ path: 'artifacts/e2e/smoke.png', fullPage: true });
  await testInfo.attach('smoke', { body: shot, contentType: 'image/png' });
  expect(errors).toEqual([]);
});

test('steps a Dune program to its first VMCALL exit and back', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  await page.goto('./');
  await page.getByLabel('Sample program').selectOption('bench/getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText(/^\d+/, { timeout: 60_000 });
  // The first exits are EPT violations (the EPT starts empty); step exit by exit to the VMCALL.
  for (let i = 0; i < 60; i++) {
    const before = await page.getByTestId('cursor').textContent();
    await page.getByRole('button', { name: /next VM exit/ }).click();
    await expect(page.getByTestId('cursor')).not.toHaveText(before ?? '');
    if ((await page.getByTestId('event').textContent())?.includes('VMCALL')) break;
  }
  await expect(page.getByTestId('event')).toContainText('VMCALL');
  await expect(page.getByTestId('mode')).toHaveText('VMX root, ring 0');
  await page.getByRole('button', { name: /Back one event/ }).click();
  await expect(page.getByTestId('mode')).toHaveText('VMX non-root, ring 0');
  const shot = await page.screenshot({ path: 'artifacts/e2e/dune-vmexit.png', fullPage: true });
  await testInfo.attach('dune-vmexit', { body: shot, contentType: 'image/png' });
  expect(errors).toEqual([]);
});
