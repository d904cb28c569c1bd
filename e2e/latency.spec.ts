// End-to-end latency on the production build (issue 8): from a key press to the views painted
// (one event, one instruction, the next VM exit), a lesson step change, a Dune sample's load, and
// a lesson deep link's landing.
// Figures go to artifacts/e2e/latency.json; nothing is asserted on them (the machine is noisy:
// `npm run -s bench -- player` holds the engine-side goals).

import { expect, test, type Page } from '@playwright/test';
import { openSample } from './helpers.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { installRequestCounter, settled, stats as timedStats, timedStep, type StepTiming } from './settle.ts';

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

/** 10,001,707 instructions in Dune (`sim run`): 200 rounds of a 50,000-instruction loop, each
 *  ending in getpid (SYSCALL in ring 0 -> libdune's stub -> a VMCALL exit). */
const TEN_M = `.text
_start:
    call dune_init_and_enter
    test rax, rax
    jne failed
    mov r12, 200
round:
    mov rcx, 10000
spin:
    add rbx, rcx
    xor rbx, 0x55
    mov qword ptr [rsp - 8], rbx
    dec rcx
    jne spin
    mov rax, SYS_getpid
    syscall
    dec r12
    jne round
    mov rdi, 0
    call exit
failed:
    mov rdi, 1
    call exit
`;

// Steps timed in the page until every view has settled (e2e/settle.ts): the paint of the last
// change a key press caused, with no request to the worker in flight. In getpid-dune.s (most of
// its 33,000 events are libdune's set-up) and anywhere in a 10 M-instruction run (the cursor put
// at five places by the timeline's scrubber). Reduced motion: the figures are the new state
// painted, not the end of an animation. Figures to artifacts/e2e/latency-step.json, not asserted.
test('step: key press to every view painted, frame-timed, in getpid-dune.s and a 10 M-instruction run', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.addInitScript(installRequestCounter);
  const kinds = { event: ['ArrowRight', 'ArrowLeft'], instr: ['Shift+ArrowRight', 'Shift+ArrowLeft'], vmexit: ['x', 'Shift+X'] } as const;
  const timed: Record<'getpid' | 'tenM', Record<keyof typeof kinds, StepTiming[]>> = {
    getpid: { event: [], instr: [], vmexit: [] }, tenM: { event: [], instr: [], vmexit: [] } };
  const step = async (run: 'getpid' | 'tenM', kind: keyof typeof kinds, dir: 0 | 1) => {
    timed[run][kind].push(await timedStep(page, kinds[kind][dir]));
  };
  const blur = () => page.locator('body').click({ position: { x: 5, y: 5 } });

  await page.goto('./');
  await openSample(page, 'getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 60_000 });
  await blur();
  for (const start of ['Home', 'End'] as const) {
    await page.keyboard.press(start);
    await settled(page);
    const dir = start === 'Home' ? 0 : 1;
    if (start === 'End') for (let i = 0; i < 3; i++) { await page.keyboard.press('Shift+X'); await settled(page); }
    for (let i = 0; i < 6; i++) { await step('getpid', 'event', dir); await step('getpid', 'instr', dir); }
    for (let i = 0; i < 3; i++) await step('getpid', 'vmexit', dir);
  }

  // The 10 M-instruction run, typed into the editor.
  await page.goto('./');
  const editor = page.locator('.code-host .cm-content');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(TEN_M);
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('instructions')).toHaveAttribute('data-value', '10001707', { timeout: 120_000 });
  const scrubber = page.locator('.tl-scrubber');
  for (const at of [0.1, 0.3, 0.5, 0.7, 0.9]) {
    const box = (await scrubber.boundingBox())!;
    await scrubber.click({ position: { x: box.width * at, y: box.height / 2 } });
    await blur();
    await settled(page);
    for (let i = 0; i < 2; i++) {
      for (const kind of ['event', 'instr', 'vmexit'] as const) await step('tenM', kind, 0);
      for (const kind of ['event', 'instr', 'vmexit'] as const) await step('tenM', kind, 1);
    }
  }

  const figures = (xs: StepTiming[]) => ({ settled: timedStats(xs.map((x) => x.settledMs)), first: timedStats(xs.map((x) => x.firstMs)),
    requestsPerStep: Math.round((10 * xs.reduce((n, x) => n + x.requests, 0)) / Math.max(1, xs.length)) / 10 });
  const per = (run: 'getpid' | 'tenM') => Object.fromEntries(Object.entries(timed[run]).map(([k, xs]) => [k, figures(xs)]));
  const all = [...Object.values(timed.getpid), ...Object.values(timed.tenM)].flat();
  const out = { what: 'key press to the paint of the last change, every view settled (e2e/settle.ts), 1366x768, reduced motion',
    all: figures(all), tenM: figures(Object.values(timed.tenM).flat()), getpid: figures(Object.values(timed.getpid).flat()),
    byKind: { getpid: per('getpid'), tenM: per('tenM') } };
  mkdirSync('artifacts/e2e', { recursive: true });
  writeFileSync('artifacts/e2e/latency-step.json', JSON.stringify(out, null, 2));
  // Every step changed the page and settled (a NaN is a step that showed nothing within 8 s).
  expect(all.length).toBe(2 * (12 + 3) + 5 * 12);
  expect(all.filter((x) => Number.isNaN(x.settledMs))).toEqual([]);
});
