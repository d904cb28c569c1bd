// The heap view (issue 11 section 4): a GC run played at 60 steps per second on the 16,384-page
// heap reservation (every page drawn; in dune-dirty every one is mapped in libdune's guest page
// table), timed with requestAnimationFrame in the page: median and p95 frame time, dropped frames
// (an interval of k frame periods drops k - 1), steps per second reached. Figures go to
// artifacts/e2e/heap.json. HEAP_SHOTS=DIR also writes screenshots at 1366x768 and 1024x768.

import { expect, test, type Page } from '@playwright/test';
import { openSample } from './helpers.ts';
import { mkdirSync, writeFileSync } from 'node:fs';

const heapPanel = (page: Page) => page.getByRole('region', { name: 'GC heap' }).first();

async function record(page: Page, mode: string) {
  await openSample(page, 'gc/bigheap.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('bigheap: sum', { timeout: 120_000 });
  const panel = heapPanel(page);
  await panel.getByLabel('Mode (stdin)').selectOption(mode);
  await expect(page.getByTestId('stdout')).toContainText(mode === 'dune-dirty' ? /D bits cleared [1-9]/ : /write faults [1-9]/, { timeout: 120_000 });
  // To the start of the tenth collection (the heap is past 1,000 blocks there).
  for (let k = 1; k <= 10; k++) {
    await panel.getByRole('button', { name: 'Next collection' }).click();
    await expect(panel.getByText(new RegExp(`^Collections ${k} `))).toBeVisible({ timeout: 60_000 });
  }
  await expect(page.getByTestId('heap-summary')).toContainText(`Mode ${mode}`);
}

test('the heap view plays a GC run at 60 steps per second on a 16,384-page grid', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./');
  await record(page, 'dune-dirty');
  const panel = heapPanel(page);
  await panel.getByLabel('Pages shown').selectOption('all');
  await panel.getByLabel('Events per step').selectOption('100');
  await panel.getByLabel('Steps per second').selectOption('60');
  // Into the collector's busy part: a third of the way through the run.
  await expect(page.getByTestId('heap-grid')).toBeVisible();

  // Frame timing in the page: 3 s idle (the machine's own frame rate, for comparison), then 6 s
  // while the view plays.
  const frames = async (ms: number, during?: () => Promise<void>) => {
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __on: boolean };
      w.__frames = []; w.__on = true;
      let last = 0;
      const f = (t: number) => { if (last) w.__frames.push(t - last); last = t; if (w.__on) requestAnimationFrame(f); };
      requestAnimationFrame(f);
    });
    if (during) await during();
    await page.waitForTimeout(ms);
    return page.evaluate(() => { const w = window as unknown as { __frames: number[]; __on: boolean }; w.__on = false; return w.__frames; });
  };
  const stats = (xs: number[]) => {
    const s = xs.slice(5).sort((a, b) => a - b), frame = 1000 / 60;
    return { frames: s.length, medianFrameMs: Math.round(s[Math.floor(s.length / 2)] * 10) / 10,
      p95FrameMs: Math.round(s[Math.floor(s.length * 0.95)] * 10) / 10,
      droppedFrames: xs.slice(5).reduce((n, x) => n + Math.max(0, Math.round(x / frame) - 1), 0) };
  };
  const idle = stats(await frames(3000));
  let t0 = 0;
  const grid = page.getByTestId('heap-grid');
  const played = stats(await frames(6000, async () => { await panel.getByRole('button', { name: 'Play' }).click(); t0 = Date.now(); }));
  const steps = Number(await grid.getAttribute('data-steps'));
  const seconds = (Date.now() - t0) / 1000;
  await panel.getByRole('button', { name: 'Pause' }).click();
  const out = { pages: 16384, mode: 'dune-dirty', eventsPerStep: 100, stepsPerSecondAsked: 60,
    stepsPerSecond: Math.round((steps / seconds) * 10) / 10, idle, playing: played };
  mkdirSync('artifacts/e2e', { recursive: true });
  writeFileSync('artifacts/e2e/heap.json', JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out));
  // Painting the grid costs the page no frames beyond what it drops idle on this machine.
  expect(played.medianFrameMs).toBeLessThanOrEqual(idle.medianFrameMs + 2);
  expect(steps).toBeGreaterThan(0);
  // After the pause the app's cursor is where the heap view stopped.
  await expect(page.getByTestId('heap-at')).toContainText('Event');

  const dir = process.env.HEAP_SHOTS;
  if (dir) {
    // Several cursors, each farther into the run (the view's own forward step of 10,000 events).
    mkdirSync(dir, { recursive: true });
    await panel.getByLabel('Events per step').selectOption('10000');
    for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
      await page.setViewportSize({ width: w, height: h });
      for (let k = 0; k < 3; k++) {
        for (let i = 0; i < 40; i++) await panel.getByRole('button', { name: 'Step forward' }).click();
        await page.waitForTimeout(800);
        await panel.getByTestId('heap-grid').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${dir}/heap-${w}-${k}.png` });
        await panel.screenshot({ path: `${dir}/heap-panel-${w}-${k}.png` });
      }
    }
  }
});
