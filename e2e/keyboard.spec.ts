// Keyboard only (issue 12 §4): open a sample, step to a VM exit and back, play a lesson step, open
// the terminal and run a program, with no mouse: Tab to reach things, the page's shortcut keys to
// step.

import { expect, test, type Page } from '@playwright/test';

/** Press Tab until the focused element matches (at most 300 presses). */
async function tabTo(page: Page, test: (el: { tag: string; label: string; text: string; id: string }) => boolean, what: string) {
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      const labels = (a as HTMLInputElement | null)?.labels;
      return { tag: a?.tagName ?? '', label: a?.getAttribute('aria-label') ?? labels?.[0]?.textContent ?? '', text: (a?.textContent ?? '').trim().slice(0, 60), id: a?.id ?? '' };
    });
    if (test(el)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

test('keyboard only: sample, VM exit and back, a lesson step, the terminal', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await page.keyboard.press('Enter'); // past the header

  await tabTo(page, (e) => e.id === 'program-open', 'the program view Open list');
  await page.keyboard.type('getpid-dune'); // a select picks the option as you type
  await expect(page.locator('#program-open')).toHaveValue('/samples/getpid-dune.s');
  await tabTo(page, (e) => e.tag === 'BUTTON' && /Run and record/.test(e.text), 'Run and record');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 60_000 });
  await page.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  for (let i = 0; i < 60; i++) {
    const before = await page.getByTestId('cursor').textContent();
    await page.keyboard.press('x'); // the next VM exit
    await expect(page.getByTestId('cursor')).not.toHaveText(before ?? '');
    if ((await page.getByTestId('event').textContent())?.includes('VMCALL')) break;
  }
  await expect(page.getByTestId('event')).toContainText('VMCALL');
  await expect(page.getByTestId('mode')).toHaveText('VMX root, ring 0');
  await page.keyboard.press('Shift+ArrowLeft'); // back one instruction
  await expect(page.getByTestId('mode')).toHaveText('VMX non-root, ring 0');

  await tabTo(page, (e) => e.tag === 'SELECT' && /lesson/i.test(e.label), 'the lesson list');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('lesson-title')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('event')).not.toBeEmpty({ timeout: 60_000 }); // the lesson's run is loaded
  const first = await page.getByTestId('lesson-title').textContent();
  await page.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('n'); // the next lesson step
  await expect(page.getByTestId('lesson-title')).not.toHaveText(first ?? '', { timeout: 60_000 });

  await tabTo(page, (e) => e.tag === 'SUMMARY' && /Terminal/.test(e.text), 'the terminal');
  await page.keyboard.press('Enter');
  const screen = page.locator('.terminal-box .xterm-rows');
  await expect(screen).toContainText('Dune Lab shell', { timeout: 30_000 });
  await tabTo(page, (e) => e.tag === 'TEXTAREA' && e.id !== 'program', 'the terminal input');
  await page.keyboard.type('run /samples/hello-linux.s\n');
  await expect(screen).toContainText('Hello from a Linux process!', { timeout: 30_000 });
});
