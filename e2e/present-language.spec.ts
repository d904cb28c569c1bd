// Presentation's own language switch (shell/PresentLanguage.tsx; the header with the page's switch
// is hidden there): reached by Tab, its focus drawn, at least 24x24 px (WCAG 2.5.8), its text at
// >= 4.5:1 and its edge and focus ring at >= 3:1 (1.4.3, 1.4.11); a switch says the bar, the
// lesson and the page's lang in the other language, keeps the step and writes `lang=` into the
// link. At 1366x768 and 1024x768; screenshots go to artifacts/e2e/present-language-*.png.

import { expect, test, type Page } from '@playwright/test';
import { presentPagewalk } from './helpers.ts';
import { mkdirSync } from 'node:fs';

mkdirSync('artifacts/e2e', { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `artifacts/e2e/present-language-${name}.png` });

/** Runs in the page: the switch's box, its focus outline, and its contrasts against what is behind it. */
function measure() {
  type RGB = [number, number, number];
  const parse = (c: string): RGB | null => {
    const m = /^rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:\s*[,/]\s*([\d.]+))?\)$/.exec(c);
    return m && (m[4] === undefined || +m[4] > 0) ? [+m[1] / 255, +m[2] / 255, +m[3] / 255] : null;
  };
  const lum = (c: RGB) => {
    const f = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a: RGB, b: RGB) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  /** The nearest opaque background from el up (the page's, white, if none). */
  const behind = (el: Element | null): RGB => {
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c) return c; }
    return [1, 1, 1];
  };
  const sel = document.querySelector('[data-testid="present-language"]')!;
  const cs = getComputedStyle(sel), r = sel.getBoundingClientRect();
  const fill = behind(sel), around = behind(sel.parentElement);
  return {
    focused: document.activeElement === sel,
    w: r.width, h: r.height,
    outline: [cs.outlineStyle, cs.outlineWidth],
    text: ratio(parse(cs.color)!, fill),
    edge: Math.max(ratio(parse(cs.borderTopColor)!, around), ratio(fill, around)),
    ring: ratio(parse(cs.outlineColor)!, around),
  };
}

for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
  test(`presentation has its own language switch, by keyboard and WCAG 2.2 AA, at ${w}x${h}`, async ({ page }) => {
    test.setTimeout(180_000);
    const { errors, n } = await presentPagewalk(page, w, h);
    await expect(page.getByTestId('language')).toHaveCount(0); // the header's switch is not there
    const lang = page.getByRole('combobox', { name: 'Language', exact: true });
    await expect(lang).toHaveValue('en');

    // Tab reaches it (the page's order, from the top), and its focus is drawn.
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await lang.evaluate((el) => el === document.activeElement);
    }
    expect(reached, 'Tab reaches the language switch').toBe(true);
    const m = await page.evaluate(measure);
    expect(m.focused).toBe(true);
    expect(m.outline).toEqual(['solid', '2px']);
    expect(m.w).toBeGreaterThanOrEqual(24);
    expect(m.h).toBeGreaterThanOrEqual(24);
    expect(m.text).toBeGreaterThanOrEqual(4.5);
    expect(m.edge).toBeGreaterThanOrEqual(3);
    expect(m.ring).toBeGreaterThanOrEqual(3);
    await shot(page, `${w}-en`);

    // The arrow key chooses the next language (the select has it, not the presentation keys).
    await page.keyboard.press('ArrowDown');
    await expect(lang).toHaveCount(0); // its name is Chinese now
    const zh = page.getByRole('combobox', { name: '语言', exact: true });
    await expect(zh).toHaveValue('zh-CN');
    await expect(zh).toBeFocused();
    await expect(page.getByTestId('present-where')).toHaveText(`第 1 步，共 ${n} 步`);
    await expect(page.getByRole('button', { name: '下一步 ▶' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.locator('section.lesson')).toHaveAttribute('lang', 'zh-CN');
    await expect(page).toHaveURL(/#lesson=pagewalk&step=1&lang=zh-CN&present$/);
    await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
    const z = await page.evaluate(measure);
    expect([z.w >= 24, z.h >= 24, z.text >= 4.5, z.edge >= 3, z.ring >= 3]).toEqual([true, true, true, true, true]);
    await shot(page, `${w}-zh`);

    // The link keeps it: a reload opens in Chinese, in presentation, on the step.
    await page.reload();
    await expect(page.getByTestId('present-where')).toHaveText(`第 1 步，共 ${n} 步`);
    await expect(zh).toHaveValue('zh-CN');
    // And back, with the pointer this time.
    await zh.selectOption('en');
    await expect(page.getByTestId('present-where')).toHaveText(`Step 1 of ${n}`);
    await expect(page).toHaveURL(/#lesson=pagewalk&step=1&present$/);
    expect(errors).toEqual([]);
  });
}
