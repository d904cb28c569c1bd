// Shared steps of the e2e specs.
import { expect, type Page } from '@playwright/test';
import { LESSONS } from '../src/lessons/index.ts';

/** Opens a bundled sample in the program view (src/ui/code/FileBar.tsx: its "Open" list). */
export async function openSample(page: Page, name: string) {
  await page.locator('#program-open').selectOption(`/samples/${name}`);
}

/** Opens the page-walk lesson's first step in presentation at w x h and waits until it has played
 *  (its run loaded, its cursor placed, its checks held). Gives the page's errors (collected from
 *  now on) and the lesson's number of steps. */
export async function presentPagewalk(page: Page, w: number, h: number) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: w, height: h });
  const n = LESSONS.find((l) => l.id === 'pagewalk')!.steps.length;
  await page.goto('./#lesson=pagewalk&step=1&present');
  await expect(page.getByTestId('present-where')).toHaveText(`Step 1 of ${n}`);
  await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
  return { errors, n };
}
