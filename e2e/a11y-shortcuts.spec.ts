// WCAG 2.1.4 in the page: the single-key shortcuts are turned off from the keyboard, stay off
// after a reload (a remembered view setting), and while off a letter key does nothing and the
// arrows still step; turned on again, the letter works.

import { expect, test, type Page } from '@playwright/test';

const cursor = (page: Page) => page.getByTestId('cursor');
const blur = (page: Page) => page.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

async function run(page: Page) {
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('Hello from a Linux process!', { timeout: 60_000 });
  await blur(page);
}

test('single-key shortcuts can be turned off, and the setting is remembered', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await run(page);
  const box = page.getByRole('checkbox', { name: 'Single-key shortcuts' });
  await expect(box).toBeChecked();
  // On: S jumps to the next system call.
  const start = await cursor(page).textContent();
  await page.keyboard.press('s');
  await expect(cursor(page)).not.toHaveText(start ?? '');
  await expect(page.getByTestId('event')).toContainText('syscall');

  await box.focus();
  await page.keyboard.press('Space');
  await expect(box).not.toBeChecked();
  await blur(page);
  const at = await cursor(page).getAttribute('data-seq');
  for (const key of ['s', 'x', 'Space', 'Shift+S', 'n', '+']) await page.keyboard.press(key);
  await page.waitForTimeout(1000);
  await expect(cursor(page)).toHaveAttribute('data-seq', at ?? '');
  await page.keyboard.press('ArrowRight');
  await expect(cursor(page)).toHaveAttribute('data-seq', String(Number(at) + 1));
  await expect(page.getByRole('button', { name: /Forward to the next system call/ })).not.toHaveAttribute('aria-keyshortcuts', /s/);

  await page.reload();
  await expect(box).not.toBeChecked();
  await run(page);
  const again = await cursor(page).textContent();
  await page.keyboard.press('s');
  await page.waitForTimeout(1000);
  await expect(cursor(page)).toHaveText(again ?? '');

  await box.check();
  await blur(page);
  await page.keyboard.press('s');
  await expect(cursor(page)).not.toHaveText(again ?? '');
});
