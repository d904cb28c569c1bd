// The player on the screens people teach on: presentation mode without page scroll at 1366x768 and
// 1024x768, the walk grid's text following the text size, a share link reopening at its event,
// and an embed in an 800x500 iframe. Screenshots go to artifacts/e2e/player-*.png.

import { expect, test, type Page } from '@playwright/test';
import { openSample, presentPagewalk } from './helpers.ts';
import { mkdirSync } from 'node:fs';

mkdirSync('artifacts/e2e', { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `artifacts/e2e/player-${name}.png` });
const docHeight = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));

for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
  test(`presentation mode fits ${w}x${h} with no page scroll, at the default and the largest text size`, async ({ page }) => {
    test.setTimeout(180_000);
    const { errors, n } = await presentPagewalk(page, w, h);
    expect(await docHeight(page)).toBe(h);
    await shot(page, `present-${w}`);
    // A presentation remote sends PageDown / PageUp.
    await page.keyboard.press('PageDown');
    await expect(page.getByTestId('present-where')).toHaveText(`Step 2 of ${n}`);
    // The link keeps `present` as the lesson moves: a reload stays in presentation, on that step.
    await expect(page).toHaveURL(/#lesson=pagewalk&step=2&present$/);
    await page.reload();
    await expect(page.getByTestId('present-where')).toHaveText(`Step 2 of ${n}`);
    await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
    expect(await docHeight(page)).toBe(h);
    await page.keyboard.press('PageUp');
    await expect(page.getByTestId('present-where')).toHaveText(`Step 1 of ${n}`);
    // The largest text size still gives one screen.
    for (let i = 0; i < 10; i++) await page.getByRole('button', { name: /Larger text/ }).click();
    await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
    expect(await docHeight(page)).toBe(h);
    await shot(page, `present-${w}-largest`);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('present-where')).toHaveCount(0);
    await expect(page).toHaveURL(/#lesson=pagewalk&step=1$/);
    // Shift+P enters it again and writes it into the link.
    await page.keyboard.press('Shift+P');
    await expect(page).toHaveURL(/#lesson=pagewalk&step=1&present$/);
    expect(errors).toEqual([]);
  });
}

test('the walk grid and privilege map text grows with the text size', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('./#lesson=pagewalk&step=1');
  await expect(page.getByTestId('event')).toContainText('EPT_VIOLATION', { timeout: 90_000 });
  const sizes = () => page.evaluate(() => ({
    walk: document.querySelector('.walk-cell .walk-num')!.getBoundingClientRect().height,
    map: document.querySelector('.pm-title')!.getBoundingClientRect().height,
  }));
  const small = await sizes();
  await shot(page, 'walk-text-100');
  await page.getByLabel('Text size').fill('2');
  await expect.poll(async () => (await sizes()).walk).toBeGreaterThan(small.walk * 1.4);
  const big = await sizes();
  expect(big.map).toBeGreaterThan(small.map * 1.6);
  // At 200% the grid's numbers are at least ~16 px tall (they were ~8 px when the grid scaled with its column).
  expect(big.walk).toBeGreaterThan(16);
  await shot(page, 'walk-text-200');
});

test('a share link reopens the program at its event', async ({ page, context }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./');
  await openSample(page, 'getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 90_000 });
  await page.getByRole('button', { name: /Forward to the next VM exit/ }).click();
  await expect(page.getByTestId('event')).toContainText('vmexit');
  await page.getByRole('button', { name: /Forward one event/ }).click();
  const at = await page.getByTestId('cursor').textContent();
  await page.getByRole('button', { name: /share link/ }).click();
  const url = await page.getByRole('textbox', { name: /share link/ }).inputValue();
  expect(url).toContain('#share=');

  const other = await context.newPage();
  await other.setViewportSize({ width: 1366, height: 768 });
  await other.goto(url);
  const banner = other.getByRole('region', { name: /shared program/ });
  await expect(banner).toBeVisible();
  await shot(other, 'share-banner');
  await banner.getByRole('button', { name: /Run it here and go to event/ }).click();
  await expect(other.getByTestId('cursor')).toHaveText(at ?? '', { timeout: 90_000 });
  await shot(other, 'share-reopened');
});

test('an embed renders in an 800x500 iframe with the named panels and a link to the full app', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 900, height: 600 });
  const src = `${baseURL}/#embed&lesson=pagewalk&step=1&panels=privilege,walk,event`;
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="f" src="${src}" width="800" height="500" style="border:1px solid #888"></iframe></body>`);
  const f = page.frameLocator('#f');
  await expect(f.getByTestId('event')).toContainText('EPT_VIOLATION', { timeout: 90_000 });
  await expect(f.getByRole('heading', { name: 'Privilege map' })).toBeVisible();
  await expect(f.getByRole('heading', { name: 'Address translation' })).toBeVisible();
  await expect(f.getByRole('heading', { name: 'Timeline' })).toHaveCount(0);
  await expect(f.getByText('Terminal')).toHaveCount(0);
  await expect(f.getByRole('link', { name: /Open in Dune Lab/ })).toHaveAttribute('href', /#lesson=pagewalk&step=1$/);
  const frame = page.frames().find((x) => x.url().includes('#'))!;
  expect(await frame.evaluate(() => document.documentElement.scrollHeight)).toBe(500);
  await shot(page, 'embed-800x500');
});

test('what-if: psc=off beside the recorded run, and one click to the first divergence', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./');
  await openSample(page, 'hello-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('knobs')).toHaveText(/default knobs/, { timeout: 90_000 });
  await page.getByRole('button', { name: 'Compare with psc=off' }).click();
  const table = page.getByTestId('whatif');
  await expect(table).toBeVisible({ timeout: 90_000 });
  await table.scrollIntoViewIfNeeded();
  await shot(page, 'whatif');
  const diverge = await page.getByTestId('whatif-diverge').textContent();
  const k = Number(/event #([\d,]+)/.exec(diverge ?? '')![1].replace(/,/g, ''));
  await page.getByRole('button', { name: 'Variant there' }).click();
  await expect(page.getByTestId('knobs')).toHaveText('Recorded with psc=off.', { timeout: 90_000 });
  await expect(page.getByTestId('cursor')).toHaveAttribute('data-seq', String(k));
});

test('at 1024x768 and 200% text an open terminal sits below the views, never over the program', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('./');
  await page.evaluate(() => localStorage.setItem('dune-lab.fontScale', '2'));
  await page.reload();
  await openSample(page, 'getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 90_000 });
  await page.locator('.terminal-section summary').click();
  await expect(page.locator('.terminal-box .xterm-rows')).toContainText('Dune Lab shell', { timeout: 30_000 });
  await page.evaluate(() => scrollTo(0, 0));
  const box = async (sel: string) => (await page.locator(sel).first().boundingBox())!;
  const views = await box('.screen .panels'), term = await box('.terminal-section');
  // The views end above the terminal; the program panel and the terminal are both on screen.
  expect(views.y + views.height).toBeLessThanOrEqual(term.y + 1);
  expect(term.y + term.height).toBeLessThanOrEqual(768 + 1);
  expect((await box('.program-view')).y).toBeLessThan(term.y);
  await shot(page, 'terminal-1024-200');
});
