// A full store in the real page (issue 12 §2): this Chromium does not enforce a quota set with
// Storage.overrideQuotaForOrigin on IndexedDB, so an init script gives the page's IndexedDB a
// quota: once the records written reach LIMIT bytes, a write fails as Chromium's does when the
// origin is full (the transaction aborts and its error is a QuotaExceededError DOMException).
// Saving then says clearly that the storage is full, the editor keeps the text, it still shows
// as unsaved, and the file's previous version is intact.

import { expect, test } from '@playwright/test';

const LIMIT = 4000;

test('a full store: a clear message, the editor keeps its text, the saved version is intact', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript((limit: number) => {
    let used = 0;
    const w = window as unknown as { __quota: { used: number; refused: number } };
    w.__quota = { used: 0, refused: 0 };
    const size = (v: unknown) => new Blob([JSON.stringify(v) ?? '']).size;
    for (const name of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[name];
      IDBObjectStore.prototype[name] = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        const request = original.call(this, value, key);
        const n = size(value);
        if (used + n > limit) {
          // As Chromium when the origin's quota is used up: the transaction aborts, its error a
          // QuotaExceededError (the request itself fails with AbortError).
          const tx = this.transaction;
          const error = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          Object.defineProperty(tx, 'error', { get: () => error, configurable: true });
          w.__quota.refused++;
          tx.abort();
        } else {
          used += n;
          w.__quota.used = used;
        }
        return request;
      } as typeof original;
    }
  }, LIMIT);

  await page.goto('./');
  const content = page.locator('.cm-content');
  await expect(content).toBeVisible({ timeout: 30_000 });
  const status = page.locator('.code-status [role="status"]');

  // A first save fits.
  await content.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('; first version\n');
  await page.keyboard.press('Control+s');
  await page.locator('.save-as input').fill('quota.s');
  await page.locator('.save-as button[type="submit"]').click();
  await expect(status).toContainText('saved /home/quota.s');
  expect(await page.evaluate(() => (window as unknown as { __quota: { refused: number } }).__quota.refused)).toBe(0);

  // A second, larger save does not.
  const big = Array.from({ length: 120 }, (_, i) => `; line ${i} of text typed before the store filled up`).join('\n');
  await content.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(`${big}\n; the last line typed\n`);
  await page.keyboard.press('Control+s');
  await expect(status).toContainText("could not save /home/quota.s: the browser's storage for this page is full");
  await expect(status).toContainText('Your text is kept');
  expect(await page.evaluate(() => (window as unknown as { __quota: { refused: number } }).__quota.refused)).toBeGreaterThan(0);
  // The editor keeps all of it, and says it is not saved.
  const scroller = page.locator('.cm-scroller');
  await scroller.evaluate((s) => { s.scrollTop = 0; });
  await expect(content).toContainText('; first version');
  await scroller.evaluate((s) => { s.scrollTop = s.scrollHeight; });
  await expect(content).toContainText('; the last line typed');
  await expect(page.locator('.program-view .unsaved')).toBeVisible();

  // The saved file is the first version, whole.
  await page.locator('.terminal-section summary').click();
  const screen = page.locator('.terminal-box .xterm-rows');
  await expect(screen).toContainText('Dune Lab shell', { timeout: 30_000 });
  await page.getByTestId('terminal').click();
  await page.keyboard.type('cat /home/quota.s\n');
  await expect(screen).toContainText('; first version');
  await expect(screen).not.toContainText('before the store filled up');
});
