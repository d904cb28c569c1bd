// Offline after one visit (issue 12 §5): the service worker precaches the build, so with the
// network off a reload still loads the app, runs a sample and plays a lesson step; the page runs
// under its Content-Security-Policy with no violation.

import { expect, test } from '@playwright/test';

test.use({ serviceWorkers: 'allow' });

test('works offline after one visit, reload included, under the CSP', async ({ page, context }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });

  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dune Lab');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  // The first visit installs the worker, which precaches everything.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dune Lab');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('Hello from a Linux process!', { timeout: 60_000 });
  await expect(page.getByTestId('exit-code')).toHaveText('0');

  await page.getByLabel('Choose a lesson').selectOption('syscall-hypercall');
  await expect(page.getByTestId('lesson-title')).toHaveText('A process in VMX non-root ring 0');
  await expect(page.getByTestId('event')).toContainText('vmentry', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('lesson-title')).toHaveText('SYSCALL in ring 0');
  await expect(page.getByTestId('event')).toContainText('syscall', { timeout: 60_000 });

  // The terminal (a lazily loaded chunk) comes from the cache too.
  await page.getByText('Terminal', { exact: true }).first().click();
  await expect(page.locator('.xterm')).toBeVisible({ timeout: 30_000 });
  await context.setOffline(false);
  expect(problems).toEqual([]);
});
