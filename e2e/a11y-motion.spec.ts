// Reduced motion (WCAG 2.3.3, and 2.2.2's pause): with prefers-reduced-motion: reduce nothing in
// the page animates, whatever the student does: stepping a lesson (privilege map, walk grid,
// timeline, cost chart), the editor's caret, the terminal. Sampled every frame: CSS animations
// and transitions (document.getAnimations()) and d3 transitions in flight (a node's __transition).
// The same steps without the preference do animate, so the probe sees what it looks for.

import { expect, test, type Page } from '@playwright/test';

async function startSampling(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __seen: Set<string>; __stop: boolean };
    w.__seen = new Set(); w.__stop = false;
    const tick = () => {
      for (const a of document.getAnimations()) {
        if (a.playState !== 'running') continue;
        const el = (a.effect as KeyframeEffect | null)?.target as Element | null;
        w.__seen.add(`css ${(a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty ?? 'animation'} on ${el?.getAttribute('class') ?? el?.tagName}`);
      }
      for (const n of document.querySelectorAll('svg *')) {
        const tr = (n as unknown as { __transition?: Record<string, unknown> }).__transition;
        if (tr && Object.keys(tr).length) w.__seen.add(`d3 transition on ${n.getAttribute('class') ?? n.tagName}`);
      }
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
/** Clicks a stepping button and waits until the step has landed and anything it started could run. */
async function stepBy(page: Page, name: RegExp) {
  const before = await page.getByTestId('cursor').textContent();
  await page.getByRole('button', { name }).first().click();
  await expect(page.getByTestId('cursor')).not.toHaveText(before ?? '', { timeout: 30_000 });
  await page.waitForTimeout(700);
}

const stopSampling = (page: Page) => page.evaluate(() => {
  const w = window as unknown as { __seen: Set<string>; __stop: boolean };
  w.__stop = true;
  return [...w.__seen].sort();
});

/** A lesson step, stepping by events and VM exits, the editor focused, the terminal open and focused. */
async function exercise(page: Page) {
  await page.goto('./#lesson=pagewalk&step=1');
  await expect(page.getByTestId('event')).toContainText('EPT_VIOLATION', { timeout: 90_000 });
  await startSampling(page);
  const title = await page.getByTestId('lesson-title').textContent();
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('lesson-title')).not.toHaveText(title ?? '', { timeout: 60_000 });
  await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
  for (const name of [/Forward one event/, /Forward to the next VM exit/, /Back one event/, /Back to the previous VM exit/]) await stepBy(page, name);
  await page.getByLabel('Choose a lesson').selectOption('');
  await page.getByText('Terminal', { exact: true }).first().click();
  await expect(page.locator('.xterm')).toBeVisible({ timeout: 30_000 });
  await page.locator('.xterm').click();
  await page.waitForTimeout(600);
  await page.goto('./');
  await startSampling(page);
  await page.locator('.cm-content').click();
  await page.keyboard.type('; a comment');
  await page.waitForTimeout(1500); // the caret would blink (1.2 s period)
}

test.describe('prefers-reduced-motion: reduce', () => {
  test.use({ reducedMotion: 'reduce' });
  test('nothing animates: no running animation or transition, no d3 transition in flight', async ({ page }) => {
    test.setTimeout(240_000);
    const seen: string[] = [];
    await exercise(page);
    seen.push(...await stopSampling(page));
    expect(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
    expect(seen).toEqual([]);
  });
});

test.describe('no motion preference', () => {
  test.use({ reducedMotion: 'no-preference' });
  test('the same steps animate (the probe sees animations when there are some)', async ({ page }) => {
    test.setTimeout(240_000);
    const seen: string[] = [];
    await page.goto('./#lesson=pagewalk&step=1');
    await expect(page.getByTestId('event')).toContainText('EPT_VIOLATION', { timeout: 90_000 });
    await startSampling(page);
    for (const name of [/Forward one event/, /Forward to the next VM exit/, /Back to the previous VM exit/]) await stepBy(page, name);
    seen.push(...await stopSampling(page));
    await page.goto('./');
    await startSampling(page);
    await page.locator('.cm-content').click();
    await page.waitForTimeout(1500);
    seen.push(...await stopSampling(page));
    console.log(seen.join('\n'));
    expect(seen.some((s) => s.startsWith('d3 transition'))).toBe(true);
    expect(seen.some((s) => s.includes('cm-blink'))).toBe(true);
  });
});
