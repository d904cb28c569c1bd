// Screenshots of the heap view (not a check: HEAP_SHOTS=DIR must be set, or it is skipped): the
// GC lesson's steps at 1366x768 and 1024x768, each at its own cursor.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const dir = process.env.HEAP_SHOTS;
test.skip(!dir, 'HEAP_SHOTS=DIR writes the screenshots');

test('heap view screenshots', async ({ page }) => {
  test.setTimeout(300_000);
  mkdirSync(dir!, { recursive: true });
  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const step of [1, 3, 6, 10]) {
      await page.goto('about:blank');
      await page.goto(`./#lesson=gc-dirty&step=${step}`);
      await expect(page.getByTestId('heap-summary')).toBeVisible({ timeout: 120_000 });
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${dir}/lesson-${w}-step${step}.png` });
    }
    // The four lanes at the lesson's last cursor.
    await page.getByRole('button', { name: 'Run the four modes' }).click();
    await expect(page.getByTestId('gc-lanes')).toBeVisible({ timeout: 120_000 });
    await page.getByTestId('gc-lanes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${dir}/lanes-${w}.png` });
  }
});
