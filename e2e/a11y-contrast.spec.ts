// Non-text contrast (WCAG 1.4.11) and colour never the only cue (1.4.1), measured in the page:
// every line and cell of the diagrams (walk grid, privilege map, memory trees' bit chips, the VA
// split, the legend swatches) is told from what is around it at >= 3:1 by its outline or its
// fill, and the text drawn in the SVG diagrams is at >= 4.5:1 on the cell under it, in the light
// and the dark theme. Colours are the computed values of the CSS variables (color-mix resolved).

import { expect, test, type Page } from '@playwright/test';

interface Finding { what: string; ratio: number; need: number }

/** Runs in the page: the contrast of every diagram shape and SVG text. */
function measure(): { found: Finding[]; unparsed: string[] } {
  type RGBA = [number, number, number, number];
  const unparsed: string[] = [];
  const parse = (c: string): RGBA | null => {
    if (!c || c === 'none' || c === 'transparent' || c.startsWith('url(')) return null;
    let m = /^rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:\s*[,/]\s*([\d.]+))?\)$/.exec(c);
    if (m) return [+m[1] / 255, +m[2] / 255, +m[3] / 255, m[4] === undefined ? 1 : +m[4]];
    m = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(c);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    unparsed.push(c);
    return null;
  };
  const over = (fg: RGBA, bg: RGBA, alpha = 1): RGBA => {
    const a = fg[3] * alpha;
    return [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a), 1];
  };
  const lum = (c: RGBA) => {
    const f = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a: RGBA, b: RGBA) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  /** The opaque colour behind an element: the nearest HTML ancestor with a background, over the page's. */
  const backdrop = (el: Element): RGBA => {
    const layers: RGBA[] = [];
    for (let e: Element | null = el instanceof SVGElement ? el.closest('svg')!.parentElement : el.parentElement; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg: RGBA = [1, 1, 1, 1];
    for (const l of layers.reverse()) bg = over(l, bg);
    return bg;
  };
  /** Opacity of the element and its SVG ancestors (a dim unlit cell is measured dim). */
  const opacity = (el: Element) => {
    let o = 1;
    for (let e: Element | null = el; e && e instanceof SVGElement; e = e.parentElement) o *= Number(getComputedStyle(e).opacity) * Number(e.getAttribute('opacity') ?? 1);
    return o;
  };
  const visible = (el: Element) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden'; };
  const name = (el: Element) => {
    const cls = (e: Element) => [...e.classList].filter((c) => !/^(lit|selected|is-ref|sp-\w+|dims-\d)$/.test(c)).join('.');
    const g = el.closest('.walk-cell, .pm-region, .pm-cpu, .pm-move');
    const state = g ? [...g.classList].filter((c) => /^(lit|fault|is-\w+|sp-\w+|pm-current|pm-root|pm-nonroot)$/.test(c)).join('.') : '';
    return `${el.tagName.toLowerCase()}${cls(el) ? '.' + cls(el) : ''}${g ? ` in ${[...g.classList][0]}${state ? '.' + state : ''}` : ''}`;
  };
  const found: Finding[] = [];
  const shapes = document.querySelectorAll('.walk-grid svg :is(rect, path, line, circle), .privilege-map svg :is(rect, path, line, circle)');
  for (const el of shapes) {
    if (el.closest('defs, pattern, marker') || el.matches('.walk-hit, .walk-hatch, .pm-hatch') || !visible(el)) continue;
    const cs = getComputedStyle(el), bg = backdrop(el), o = opacity(el);
    const stroke = Number.parseFloat(cs.strokeWidth) > 0 ? parse(cs.stroke) : null;
    const fill = parse(cs.fill);
    const r = Math.max(stroke ? ratio(over(stroke, bg, o * Number(cs.strokeOpacity)), bg) : 0, fill ? ratio(over(fill, bg, o * Number(cs.fillOpacity)), bg) : 0);
    if (stroke || fill) found.push({ what: name(el), ratio: r, need: 3 });
  }
  for (const el of document.querySelectorAll('.walk-grid svg text, .privilege-map svg text')) {
    if (!visible(el) || !el.textContent?.trim()) continue;
    const cs = getComputedStyle(el), bg0 = backdrop(el);
    // The cell under the text: its group's background rect, if it has one.
    const cell = el.parentElement?.querySelector(':scope > .walk-bg, :scope > .pm-box, :scope > rect');
    const cellFill = cell ? parse(getComputedStyle(cell).fill) : null;
    const bg = cellFill ? over(cellFill, bg0, opacity(cell!)) : bg0;
    const fill = parse(cs.fill);
    if (fill) found.push({ what: name(el), ratio: ratio(over(fill, bg, opacity(el)), bg), need: 4.5 });
  }
  for (const el of document.querySelectorAll('.mem-bit, .walk-va-part, .walk-swatch, .pair')) {
    if (!visible(el)) continue;
    const cs = getComputedStyle(el), bg = backdrop(el);
    const border = Number.parseFloat(cs.borderTopWidth) > 0 && cs.borderTopStyle !== 'none' ? parse(cs.borderTopColor) : null;
    const fill = parse(cs.backgroundColor);
    found.push({ what: name(el), ratio: Math.max(border ? ratio(over(border, bg), bg) : 0, fill && fill[3] > 0 ? ratio(over(fill, bg), bg) : 0), need: 3 });
  }
  return { found, unparsed };
}

/** The lowest ratio per kind of element, and the failures. */
async function check(page: Page, where: string, failures: string[], figures: string[]) {
  const { found, unparsed } = await page.evaluate(measure);
  expect(unparsed, `colours the test cannot read (${where})`).toEqual([]);
  expect(found.length, `diagram elements measured (${where})`).toBeGreaterThan(20);
  const low = new Map<string, Finding>();
  for (const f of found) if (!low.has(f.what) || f.ratio < low.get(f.what)!.ratio) low.set(f.what, f);
  for (const f of low.values()) {
    figures.push(`${where}: ${f.what} ${f.ratio.toFixed(2)}:1`);
    if (f.ratio < f.need) failures.push(`${where}: ${f.what} is ${f.ratio.toFixed(2)}:1, needs ${f.need}:1`);
  }
}

// The settled colours are what is measured: no cell caught mid-fade (a lit cell fades in).
test.use({ reducedMotion: 'reduce' });

test('diagram lines, cells and their text meet non-text and text contrast in both themes', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const failures: string[] = [], figures: string[] = [];
  // The two-dimensional walk and the privilege map (the page-walk lesson's first step: an EPT violation).
  await page.goto('./#lesson=pagewalk&step=1');
  await expect(page.getByTestId('event')).toContainText('EPT_VIOLATION', { timeout: 90_000 });
  await expect(page.locator('.walk-grid svg .walk-cell.lit').first()).toBeAttached();
  for (const theme of ['light', 'dark']) {
    await page.getByRole('combobox', { name: /^Theme/ }).selectOption(theme);
    await check(page, `walk lesson, ${theme}`, failures, figures);
  }
  // A 24-reference walk partly lit (a step back inside a walk unlights a reference), and a walk
  // that the paging-structure caches cut short (skipped cells).
  await page.goto('about:blank'); // a new hash alone does not reload the page
  await page.goto('./#lesson=pagewalk&step=2');
  await expect(page.getByTestId('lesson-title')).toHaveText('24 references');
  await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('.walk-grid svg .walk-cell.lit')).toHaveCount(25);
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: /Back one event/ }).click();
  await expect(page.locator('.walk-grid svg .walk-cell.is-ref:not(.lit)').first()).toBeAttached();
  for (const theme of ['light', 'dark']) {
    await page.getByRole('combobox', { name: /^Theme/ }).selectOption(theme);
    await check(page, `walk partly lit, ${theme}`, failures, figures);
  }
  await page.goto('about:blank');
  await page.goto('./#lesson=pagewalk&step=6');
  await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('.walk-grid svg .walk-cell.is-psc').first()).toBeAttached();
  for (const theme of ['light', 'dark']) {
    await page.getByRole('combobox', { name: /^Theme/ }).selectOption(theme);
    await check(page, `walk with PSC hits, ${theme}`, failures, figures);
  }
  // Every panel after a Dune run, at a VM exit (memory trees with A/D chips, the walk of the fault).
  await page.goto('about:blank');
  await page.goto('./');
  await page.locator('#program-open').selectOption('/samples/getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).not.toBeEmpty({ timeout: 60_000 });
  await page.getByRole('button', { name: /Forward to the next VM exit/ }).click();
  await expect(page.getByTestId('event')).toContainText('vmexit', { timeout: 30_000 });
  await page.locator('.memory-section > summary').click();
  await expect(page.locator('.mem-bit').first()).toBeVisible({ timeout: 30_000 });
  // A step on, so A/D chips newly set are lit.
  await page.getByRole('button', { name: /Forward to the next VM exit/ }).click();
  for (const theme of ['light', 'dark']) {
    await page.getByRole('combobox', { name: /^Theme/ }).selectOption(theme);
    await check(page, `Dune run, ${theme}`, failures, figures);
  }
  console.log(figures.join('\n'));
  expect(failures).toEqual([]);
});
