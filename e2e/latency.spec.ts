// End-to-end latency on the production build (issue 8): from a key press to the views painted
// (one event, one instruction, the next VM exit), a lesson step change, a Dune sample's load, and
// a lesson deep link's landing.
// Figures go to artifacts/e2e/latency.json; nothing is asserted on them (the machine is noisy:
// `npm run -s bench -- player` holds the engine-side goals).

import { expect, test, type Page } from '@playwright/test';
import { openSample } from './helpers.ts';
import { mkdirSync, writeFileSync } from 'node:fs';

/** Time from the key press until the views change and a frame is painted after it (ms): any
 *  change to the page counts (a step inside a walk lights a cell and leaves the cursor). NaN if
 *  nothing changed within 5 s (the step had nowhere to go). */
async function pressToPaint(page: Page, key: string): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __t?: Promise<number> };
    let t0 = 0;
    w.__t = new Promise<number>((done) => {
      const obs = new MutationObserver(() => {
        obs.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
      });
      document.addEventListener('keydown', () => {
        t0 = performance.now();
        obs.observe(document.body, { childList: true, characterData: true, subtree: true, attributes: true });
        setTimeout(() => { obs.disconnect(); done(NaN); }, 5000);
      }, { once: true, capture: true });
    });
  });
  await page.keyboard.press(key);
  return page.evaluate(() => (window as unknown as { __t: Promise<number> }).__t);
}

const stats = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return { n: s.length, medianMs: Math.round(s[Math.floor(s.length / 2)]), p95Ms: Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]) };
};

test('key press to paint, lesson step change and Dune load, recorded', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  // Load: the Dune getpid sample, from the click to its output shown.
  await openSample(page, 'getpid-dune.s');
  const t0 = Date.now();
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 60_000 });
  const duneLoadMs = Date.now() - t0;

  // Steps from the start and from the middle of the run.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const steps: Record<string, number[]> = { event: [], instr: [], vmexit: [] };
  for (const start of ['Home', 'End']) {
    await page.keyboard.press(start);
    if (start === 'End') for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+X'); // back into the run
    for (let i = 0; i < 8; i++) {
      steps.event.push(await pressToPaint(page, start === 'Home' ? 'ArrowRight' : 'ArrowLeft'));
      steps.instr.push(await pressToPaint(page, start === 'Home' ? 'Shift+ArrowRight' : 'Shift+ArrowLeft'));
    }
    for (let i = 0; i < 3; i++) steps.vmexit.push(await pressToPaint(page, start === 'Home' ? 'x' : 'Shift+X'));
  }

  // Lesson step changes: from a click on Next to the step's event shown.
  await page.getByLabel('Choose a lesson').selectOption('syscall-hypercall');
  await expect(page.getByTestId('event')).toContainText('vmentry', { timeout: 60_000 });
  const lesson: number[] = [];
  for (const ev of ['syscall', 'jne', 'VMCALL', 'vmcall', 'vmentry']) {
    const t = Date.now();
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(page.getByTestId('event')).toContainText(ev, { timeout: 60_000 });
    lesson.push(Date.now() - t);
  }

  // Deep-link landing: from the page's load event to the step played (its checks shown), and
  // from the navigation's start (the page's own clock).
  const deepLink: { link: string; afterLoadMs: number; fromNavigationMs: number }[] = [];
  for (const link of ['costs&step=4', 'pagewalk&step=3', 'process&step=2', 'tlb-tags&step=5']) {
    await page.goto('about:blank');
    await page.goto(`./#lesson=${link}`);
    const t = Date.now();
    await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 60_000 });
    deepLink.push({ link, afterLoadMs: Date.now() - t, fromNavigationMs: Math.round(await page.evaluate(() => performance.now())) });
  }

  const all = [...steps.event, ...steps.instr, ...steps.vmexit];
  const out = { duneLoadMs, step: stats(all), stepEvent: stats(steps.event), stepInstr: stats(steps.instr), stepVmexit: stats(steps.vmexit),
    lessonStepMaxMs: Math.max(...lesson), lessonStepMs: lesson,
    deepLinkMaxMs: Math.max(...deepLink.map((d) => d.afterLoadMs)), deepLink };
  mkdirSync('artifacts/e2e', { recursive: true });
  writeFileSync('artifacts/e2e/latency.json', JSON.stringify(out, null, 2));
  expect(all.length).toBeGreaterThan(30);
});
