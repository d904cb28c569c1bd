// Nothing typed is lost (issue 12 §2): text typed in the editor and never saved comes back after
// the page is reloaded (the draft store), as unsaved changes, and can then be saved.
// (A full store: e2e/quota.spec.ts, in the page, and test/ui/files/vfs-safety.test.ts.)

import { expect, test, type Page } from '@playwright/test';

const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

async function openTerminal(page: Page) {
  await page.locator('.terminal-section summary').click();
  await expect(screen(page)).toContainText('Dune Lab shell');
  await page.getByTestId('terminal').click();
}

test('unsaved editor text survives a reload', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await openTerminal(page);
  await page.keyboard.type('edit /home/draft.s\n');
  await expect(screen(page)).toContainText('Dune Lab editor');
  await page.keyboard.type('; work that must not be lost\n');
  await expect(screen(page)).toContainText('[modified]');

  await page.reload(); // never saved
  await openTerminal(page);
  await page.keyboard.type('edit /home/draft.s\n');
  await expect(screen(page)).toContainText('your unsaved text from before the page was closed is back');
  await expect(screen(page)).toContainText('; work that must not be lost');
  await page.keyboard.press('Control+s');
  await expect(screen(page)).toContainText('Saved /home/draft.s');
  await page.keyboard.press('Control+q');
  await page.keyboard.type('cat /home/draft.s\n');
  await expect(screen(page)).toContainText('; work that must not be lost');
});
