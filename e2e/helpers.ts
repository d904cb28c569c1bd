// Shared steps of the e2e specs.
import type { Page } from '@playwright/test';

/** Opens a bundled sample in the program view (src/ui/code/FileBar.tsx: its "Open" list). */
export async function openSample(page: Page, name: string) {
  await page.locator('#program-open').selectOption(`/samples/${name}`);
}
