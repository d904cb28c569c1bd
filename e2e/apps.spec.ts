// The applications' views and lessons (issue 11): each of the two lessons opened and stepped
// through with Next, the step's Wedge or sandbox view on screen where it is named, at 1366x768
// and 1024x768. Screenshots go to artifacts/e2e/apps/ (gitignored) to be looked at.

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { LESSONS } from '../src/lessons/index.ts';

const DIR = process.env.E2E_SHOTS ?? 'artifacts/e2e/apps';

async function played(page: Page) {
  await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
}

for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
  for (const id of ['sandbox', 'sthreads']) {
    test(`lesson ${id} at ${size.width}x${size.height}: every step plays, with its view`, async ({ page }) => {
      test.setTimeout(600_000);
      mkdirSync(DIR, { recursive: true });
      await page.setViewportSize(size);
      const lesson = LESSONS.find((l) => l.id === id)!;
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
      page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
      await page.goto(`./#lesson=${id}&step=1`);
      for (let i = 1; i <= lesson.steps.length; i++) {
        if (i > 1) {
          await page.getByRole('button', { name: 'Next step' }).click();
          await expect(page).toHaveURL(new RegExp(`#lesson=${id}&step=${i}$`));
        }
        await played(page);
        await expect(page.getByTestId('lesson-progress')).toHaveText(`Step ${i} of ${lesson.steps.length}`);
        await expect(page.getByTestId('lesson-text')).not.toContainText('{');
        const show = lesson.steps[i - 1].show;
        if (show.includes('sandbox')) {
          const panel = page.getByRole('region', { name: 'Sandbox: system calls and verdicts' });
          await expect(panel).toBeVisible();
          await expect(panel.getByRole('group', { name: 'Verdicts along the run' }).getByRole('button').first()).toBeVisible();
          await panel.scrollIntoViewIfNeeded();
        }
        if (show.includes('wedge')) {
          const panel = page.getByRole('region', { name: 'Wedge: sthread page tables' });
          await expect(panel).toBeVisible();
          await expect(panel.getByTestId('wedge-table')).toBeVisible();
          await panel.scrollIntoViewIfNeeded();
        }
        await page.screenshot({ path: `${DIR}/${id}-${i}-${size.width}.png` });
      }
      if (id === 'sthreads') {
        // The leak step: the Wedge view marks the unrecorded write.
        await page.goto('about:blank');
        await page.goto(`./#lesson=${id}&step=8`);
        await played(page);
        const panel = page.getByRole('region', { name: 'Wedge: sthread page tables' });
        await expect(panel.getByText('⚠ differs with D clear: an unrecorded write')).toBeVisible();
        // Step back through the recycle pass from the view's own buttons.
        await panel.getByRole('button', { name: '◀ D cleared' }).click();
        await expect(panel.getByTestId('wedge-pass')).toContainText('The pass is running');
        await page.screenshot({ path: `${DIR}/${id}-recycle-step-${size.width}.png` });
      }
      if (id === 'sandbox') {
        await page.goto('about:blank');
        await page.goto(`./#lesson=${id}&step=5`);
        await played(page);
        const panel = page.getByRole('region', { name: 'Sandbox: system calls and verdicts' });
        await expect(panel.getByTestId('sandbox-noexit')).toBeVisible();
        await expect(panel.getByTestId('sandbox-path')).toContainText('rax = -1');
      }
      await page.getByTestId('language').selectOption('zh-CN'); // the header's menu
      await expect(page.getByTestId('lesson-title')).toHaveText(lesson.prose['zh-CN'].steps[lesson.steps[id === 'sthreads' ? 7 : 4].id].title);
      await page.screenshot({ path: `${DIR}/${id}-zh-${size.width}.png` });
      expect(errors).toEqual([]);
    });
  }
}
