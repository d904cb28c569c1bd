// Target size (WCAG 2.5.8, minimum): every pointer target in the page is at least 24x24 CSS px,
// or is spaced so that a 24 px circle centred on it touches no other target (the criterion's
// spacing exception); targets inside a sentence (links, glossary terms) are exempt as inline.
// Measured at 1366x768 and 1024x768, after a run (every panel) and in the page-walk lesson.

import { expect, test, type Page } from '@playwright/test';

const TARGETS = 'button, a[href], input:not([type="hidden"]), select, summary, [role="button"], [role="option"], [role="checkbox"], [role="tab"], [role="separator"][tabindex], [tabindex="0"]';

/** Exempt as "equivalent" (2.5.8): a swimlane bar is as wide as its stay's cycles (a few px for a
 *  short one); what it does (go to that transition's event) the timeline row of the event does, and
 *  those rows are measured here like every other target. */
const EQUIVALENT = '.lanes-svg rect.lane-bar';

/** In the page: the targets that fail, with their size. */
function undersized([sel, equivalent]: [string, string]): string[] {
  const inline = (el: Element) => el.closest('p, li.glossary-entry, .lesson-prose, dd') !== null && (el.tagName === 'A' || el.tagName === 'ABBR');
  const els = [...document.querySelectorAll(sel)].filter((el) => {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden' || (el as HTMLButtonElement).disabled) return false;
    if (r.bottom < 0 || r.right < 0) return false; // off screen until focused (the skip link)
    // Text areas of the editor and the terminal, and scroll regions, are large; xterm's helper textarea is not a target.
    if (el.closest('.xterm-helpers') || el.classList.contains('cm-content')) return false;
    // Covered where it is (under the docked terminal, or scrolled out of its box): not a target now.
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    if (cx >= 0 && cy >= 0 && cx < innerWidth && cy < innerHeight) {
      const top = document.elementFromPoint(cx, cy);
      if (top && !el.contains(top) && !top.contains(el) && !(el as HTMLInputElement).labels?.[0]?.contains(top)) return false;
    }
    return !inline(el) && !el.matches(equivalent);
  });
  const box = els.map((el) => el.getBoundingClientRect());
  const small = box.map((r) => r.width < 24 - 0.01 || r.height < 24 - 0.01);
  const dist = (x: number, y: number, r: DOMRect) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const out: string[] = [];
  els.forEach((el, i) => {
    if (!small[i]) return;
    const r = box[i], cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const clash = els.findIndex((o, j) => {
      if (j === i || o.contains(el) || el.contains(o)) return false;
      const q = box[j];
      return small[j] ? Math.hypot(q.left + q.width / 2 - cx, q.top + q.height / 2 - cy) < 24 : dist(cx, cy, q) < 12;
    });
    if (clash < 0) return;
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''}[${(e.getAttribute('aria-label') ?? (e as HTMLInputElement).labels?.[0]?.textContent ?? e.textContent ?? '').trim().slice(0, 30)}]@${Math.round(e.getBoundingClientRect().left)},${Math.round(e.getBoundingClientRect().top)}`;
    out.push(`${name(el)} ${r.width.toFixed(1)}x${r.height.toFixed(1)} near ${name(els[clash])}`);
  });
  return out;
}

async function check(page: Page, where: string, found: string[]) {
  const bad = await page.evaluate(undersized, [TARGETS, EQUIVALENT] as [string, string]);
  found.push(...bad.map((b) => `${where}: ${b}`));
  const n = await page.evaluate((s) => document.querySelectorAll(s).length, TARGETS);
  expect(n, `targets found (${where})`).toBeGreaterThan(where === 'start' ? 10 : 30);
  // The equivalent of a swimlane bar, a timeline row, is a full-size target.
  const rows = await page.locator('.tl-row[role="option"]').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().height));
  if (rows.length) expect(Math.min(...rows), `timeline row height (${where})`).toBeGreaterThanOrEqual(24);
}

for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
  test(`targets are at least 24x24 px or spaced apart at ${w}x${h}`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: w, height: h });
    const found: string[] = [];
    await page.goto('./');
    await check(page, 'start', found);
    await page.getByRole('button', { name: /Run and record/ }).click();
    await expect(page.getByTestId('stdout')).toContainText('Hello from a Linux process!', { timeout: 60_000 });
    await page.locator('.memory-section > summary').click();
    await page.getByText('Terminal', { exact: true }).first().click();
    await expect(page.locator('.xterm')).toBeVisible({ timeout: 30_000 });
    await check(page, 'after a run', found);
    await page.getByLabel('Choose a lesson').selectOption('pagewalk');
    await expect(page.getByTestId('event')).toContainText('EPT_VIOLATION', { timeout: 90_000 });
    await check(page, 'page-walk lesson', found);
    console.log(found.join('\n'));
    expect(found).toEqual([]);
  });
}
