// End-to-end latency on the production build (issue 8): from a key press to the views painted
// (one event, one instruction, the next VM exit), a lesson step change, a Dune sample's load (the
// press on "Run and record" to its output and views painted), and a lesson deep link's landing.
// Figures go to artifacts/e2e/latency.json; nothing is asserted on them (the machine is noisy:
// `npm run -s bench -- player` holds the engine-side goals). Lesson landings are timed in the page
// (a MutationObserver sees the step's checks appear; then two frames for the paint), not by the
// test's polling, and Playwright's trace is off here: its DOM snapshots run on the page's thread
// (~0.5 s of a deep link) and would be timed too.

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

/** In the page: resolve with performance.now() once lesson step n shows its checks, and a frame
 *  after it is painted. */
async function armStep(page: Page, n: number): Promise<void> {
  await page.evaluate((n) => {
    const w = window as unknown as { __step?: Promise<{ seen: number; painted: number }> };
    w.__step = new Promise((done) => {
      const landed = () => document.querySelector('[data-testid="lesson-checked"]') && document.querySelector('[data-testid="lesson-progress"]')?.textContent?.startsWith(`Step ${n} `);
      const finish = () => { const seen = performance.now(); requestAnimationFrame(() => requestAnimationFrame(() => done({ seen, painted: performance.now() }))); };
      if (landed()) { finish(); return; }
      const obs = new MutationObserver(() => { if (landed()) { obs.disconnect(); finish(); } });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  }, n);
}
const landedAt = (page: Page) => page.evaluate(() => (window as unknown as { __step: Promise<{ seen: number; painted: number }> }).__step);

/** From a click on Next to step n's checks painted (ms, the page's clock). */
async function nextStep(page: Page, n: number): Promise<number> {
  await armStep(page, n);
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Next step' }).click();
  const { painted } = await landedAt(page);
  return Math.round(painted - t0);
}

/** Open the Dune getpid sample and run it: from the press on "Run and record" to its output
 *  painted (ms, the page's clock), and the same as the test's clock and polling see it. */
async function duneLoad(page: Page): Promise<{ duneLoadMs: number; duneLoadPolledMs: number }> {
  await openSample(page, 'getpid-dune.s');
  await page.evaluate(() => {
    const w = window as unknown as { __dune?: Promise<number> };
    w.__dune = new Promise<number>((done) => {
      let t0 = NaN;
      document.addEventListener('pointerdown', () => { t0 = performance.now(); }, { capture: true, once: true });
      const obs = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="stdout"]')?.textContent?.includes('1')) return;
        obs.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
      });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  });
  const t0 = Date.now();
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 60_000 });
  const duneLoadPolledMs = Date.now() - t0;
  const duneLoadMs = Math.round(await page.evaluate(() => (window as unknown as { __dune: Promise<number> }).__dune));
  expect(duneLoadMs).toBeGreaterThan(0); // the press was seen (NaN fails)
  return { duneLoadMs, duneLoadPolledMs };
}

test.use({ trace: 'off' });

const stats = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return { n: s.length, medianMs: Math.round(s[Math.floor(s.length / 2)]), p95Ms: Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]) };
};

test('key press to paint, lesson step change and Dune load, recorded', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  // Load: the Dune getpid sample, from the press on "Run and record" to its output painted, on
  // the page's clock (armed before the press; a MutationObserver, then two frames), as the lesson
  // landings are timed. The output and every view at the run's start land in one update
  // (state/store.ts load), so this is the views' time too. duneLoadPolledMs is the figure as
  // taken before session 12: the test's clock around Playwright's click and its polling of the
  // output, whose retries come 20, 50, 100, 100 and then 500 ms apart (playwright-core's
  // retryWithProgressAndBackoff), so that it reads any load between 270 and 770 ms as ~770.
  const { duneLoadMs, duneLoadPolledMs } = await duneLoad(page);

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
  await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 60_000 });
  for (const [i, ev] of ['syscall', 'jne', 'VMCALL', 'vmcall', 'vmentry'].entries()) {
    lesson.push(await nextStep(page, i + 2));
    await expect(page.getByTestId('event')).toContainText(ev, { timeout: 60_000 });
  }

  // Deep-link landing: from the page's load event to the step's checks painted (the page's clock),
  // and from the navigation's start.
  const deepLink: { link: string; afterLoadMs: number; fromNavigationMs: number }[] = [];
  await page.addInitScript(() => {
    // Armed before the app runs: the first time a step shows its checks.
    const w = window as unknown as { __step?: Promise<{ seen: number; painted: number }> };
    w.__step = new Promise((done) => {
      const obs = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="lesson-checked"]')) return;
        obs.disconnect();
        const seen = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => done({ seen, painted: performance.now() })));
      });
      document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, { childList: true, subtree: true }));
    });
  });
  for (const link of ['costs&step=4', 'pagewalk&step=3', 'process&step=2', 'tlb-tags&step=5']) {
    await page.goto('about:blank');
    await page.goto(`./#lesson=${link}`);
    const { painted } = await landedAt(page);
    const loaded = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
    deepLink.push({ link, afterLoadMs: Math.round(painted - loaded), fromNavigationMs: Math.round(painted) });
  }

  // Step changes to another program (the costs lesson: getpid, fault, walk, each on Linux then in
  // Dune): at once after the step landed (cold: the worker records the program now, unless its
  // idle work already began), and after reading the step for 4 s (the worker recorded the
  // lesson's next programs meanwhile: slices.ts IDLE_MS).
  const programChange: { to: number; how: 'at-once' | 'after-reading'; ms: number }[] = [];
  for (const [from, how] of [[1, 'at-once'], [4, 'at-once'], [6, 'at-once'], [1, 'after-reading'], [4, 'after-reading'], [6, 'after-reading']] as const) {
    await page.goto('about:blank');
    await page.goto(`./#lesson=costs&step=${from}`);
    await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 60_000 });
    if (how === 'after-reading') await page.waitForTimeout(4000);
    programChange.push({ to: from + 1, how, ms: await nextStep(page, from + 1) });
  }

  // The Dune load again on a fresh page, after reading it for 3 s: the worker warmed its engine
  // up meanwhile (core.ts warm, after the quiet time at its start); duneLoadMs above is a press
  // at once after the page's load event, before the warm-up begins.
  await page.goto('about:blank');
  await page.goto('./');
  await page.waitForTimeout(3000);
  const duneLoadAfterReadingMs = (await duneLoad(page)).duneLoadMs;

  const all = [...steps.event, ...steps.instr, ...steps.vmexit];
  const out = { duneLoadMs, duneLoadPolledMs, duneLoadAfterReadingMs, step: stats(all), stepEvent: stats(steps.event), stepInstr: stats(steps.instr), stepVmexit: stats(steps.vmexit),
    lessonStepMaxMs: Math.max(...lesson), lessonStepMs: lesson,
    deepLinkMaxMs: Math.max(...deepLink.map((d) => d.afterLoadMs)), deepLink,
    programChangeAtOnceMaxMs: Math.max(...programChange.filter((x) => x.how === 'at-once').map((x) => x.ms)),
    programChangeAfterReadingMaxMs: Math.max(...programChange.filter((x) => x.how === 'after-reading').map((x) => x.ms)), programChange };
  mkdirSync('artifacts/e2e', { recursive: true });
  writeFileSync('artifacts/e2e/latency.json', JSON.stringify(out, null, 2));
  expect(all.length).toBeGreaterThan(30);
});
