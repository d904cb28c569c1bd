// Smoke test of the production build: the page loads, the hello program runs and records, the
// stepping controls move through it, nothing logs an error.

import { expect, test } from '@playwright/test';
import { openSample } from './helpers.ts';
import { mkdirSync, writeFileSync } from 'node:fs';

test('runs and records the hello program, then steps', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));

  await page.goto('./');
  await expect(page).toHaveTitle('Dune Lab');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dune Lab');
  // Measurements (recorded as an artifact, not asserted: the machine is noisy).
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return { domContentLoadedMs: Math.round(n.domContentLoadedEventEnd), loadMs: Math.round(n.loadEventEnd), firstContentfulPaintMs: fcp ? Math.round(fcp.startTime) : null };
  });

  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('Hello from a Linux process!');
  // Frame times while stepping (the animations run then).
  const frames = await page.evaluate(async () => {
    const times: number[] = [];
    let last = performance.now();
    const stop = performance.now() + 1500;
    const buttons = [...document.querySelectorAll('button')].filter((b) => /Forward one event/.test(b.getAttribute('aria-label') ?? ''));
    await new Promise<void>((done) => {
      const tick = () => { const now = performance.now(); times.push(now - last); last = now; if (now < stop) { buttons[0]?.click(); requestAnimationFrame(tick); } else done(); };
      requestAnimationFrame(tick);
    });
    times.sort((a, b) => a - b);
    return { frames: times.length, medianFrameMs: +times[Math.floor(times.length / 2)].toFixed(1), p95FrameMs: +times[Math.floor(times.length * 0.95)].toFixed(1) };
  });
  mkdirSync('artifacts/e2e', { recursive: true });
  writeFileSync('artifacts/e2e/metrics.json', JSON.stringify({ ...nav, ...frames }, null, 2));
  await expect(page.getByTestId('exit-code')).toHaveText('0');
  // The stepping above may have gone past the write: from the start, the first system call is it.
  await page.getByRole('button', { name: /Back to the start/ }).click();
  await page.getByRole('button', { name: /next system call/ }).click();
  await expect(page.getByTestId('event')).toContainText('write');

  const shot = await page.screenshot({ path: 'artifacts/e2e/smoke.png', fullPage: true });
  await testInfo.attach('smoke', { body: shot, contentType: 'image/png' });
  expect(errors).toEqual([]);
});

test('steps the getpid sample to its VMCALL exit and back, and plays the first lesson', async ({ page }, testInfo) => {
  // Each lesson step replays its run from the start (steps are re-entrant): slow on a loaded machine.
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  await page.goto('./');
  await openSample(page, 'getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 60_000 });
  // The first exits are EPT violations (the EPT starts empty); step exit by exit to the VMCALL.
  for (let i = 0; i < 60; i++) {
    const before = await page.getByTestId('cursor').textContent();
    await page.getByRole('button', { name: /next VM exit/ }).click();
    await expect(page.getByTestId('cursor')).not.toHaveText(before ?? '');
    if ((await page.getByTestId('event').textContent())?.includes('VMCALL')) break;
  }
  await expect(page.getByTestId('event')).toContainText('VMCALL');
  await expect(page.getByTestId('mode')).toHaveText('VMX root, ring 0');
  // The VMCS panel shows the exit reason and the (decoded) qualification.
  const vmcs = page.locator('.vmcs-panel');
  await expect(vmcs).toContainText('VM_EXIT_REASON');
  await expect(vmcs).toContainText('0x12');
  await expect(vmcs).toContainText('EXIT_QUALIFICATION');
  await expect(vmcs).toContainText(/VMCALL/);
  await page.getByRole('button', { name: /Back one event/ }).click();
  await expect(page.getByTestId('mode')).toHaveText('VMX non-root, ring 0');
  const shot = await page.screenshot({ path: 'artifacts/e2e/dune-vmexit.png', fullPage: true });
  await testInfo.attach('dune-vmexit', { body: shot, contentType: 'image/png' });

  // The first lesson, played through with its Next button (every step of every lesson: lessons.spec.ts).
  await page.getByLabel('Choose a lesson').selectOption('syscall-hypercall');
  const title = page.getByTestId('lesson-title');
  await expect(title).toHaveText('A process in VMX non-root ring 0');
  await expect(page.getByTestId('event')).toContainText('vmentry', { timeout: 60_000 });
  for (const [t, ev] of [['SYSCALL in ring 0', 'syscall'], ['libdune\'s stub', 'jne'], ['VM exit, reason 18 (VMCALL)', 'VMCALL'],
    ['The module runs the system call', 'vmcall'], ['VM entry: back to the guest', 'vmentry']] as const) {
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect(title).toHaveText(t);
    await expect(page.getByTestId('event')).toContainText(ev, { timeout: 60_000 });
  }
  await expect(page.getByTestId('lesson-progress')).toHaveText('Step 6 of 9');
  await expect(page).toHaveURL(/#lesson=syscall-hypercall&step=6/);
  const lessonShot = await page.screenshot({ path: 'artifacts/e2e/lesson.png', fullPage: true });
  await testInfo.attach('lesson', { body: lessonShot, contentType: 'image/png' });
  expect(errors).toEqual([]);
});
