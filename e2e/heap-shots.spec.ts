// The heap view in the GC lesson at 1366x768 and 1024x768, each step at its own cursor, and the four
// collector lanes: every step shows its heap, the lanes run one per mode with no error. Screenshots
// go to artifacts/e2e/heap/ (gitignored; HEAP_SHOTS=DIR elsewhere) to be looked at.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const dir = process.env.HEAP_SHOTS ?? 'artifacts/e2e/heap';

test('the GC lesson shows its heap at every sampled step, and the four lanes', async ({ page }) => {
  test.setTimeout(300_000);
  mkdirSync(dir, { recursive: true });
  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const step of [1, 3, 6, 10]) {
      await page.goto('about:blank');
      await page.goto(`./#lesson=gc-dirty&step=${step}`);
      await expect(page.getByTestId('heap-summary')).toBeVisible({ timeout: 120_000 });
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${dir}/lesson-${w}-step${step}.png` });
    }
    // The four lanes at the lesson's last cursor: one per mode, none failed.
    await page.getByRole('button', { name: 'Run the four modes' }).click();
    const lanes = page.getByTestId('gc-lanes');
    await expect(lanes).toBeVisible({ timeout: 120_000 });
    for (const mode of ['linux', 'dune', 'dune-tlb', 'dune-dirty']) await expect(lanes.locator(`[data-mode="${mode}"]`)).toBeVisible();
    await expect(lanes.locator('.error')).toHaveCount(0);
    await lanes.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${dir}/lanes-${w}.png` });
  }
});
