// English and Chinese everywhere (issue 10 section 4), in Debian's chromium: a lesson and an
// exercise in each language at 1366x768 and 1024x768, the language switch (remembered, <html
// lang>), `lang=` links and an instructor's exercise-set link. Screenshots go to
// artifacts/e2e/i18n/ (gitignored), with the Latin words each Chinese page still shows, to be
// looked at.

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { LESSONS } from '../src/lessons/index.ts';

const DIR = 'artifacts/e2e/i18n';
const SIZES = [{ width: 1366, height: 768 }, { width: 1024, height: 768 }] as const;

/** English words that are never a code name: a Chinese page showing one missed the catalog. */
const ENGLISH = /\b(the|and|of|to|is|at|from|with|Step|Event|Lesson|Previous|Next|Run|record|Choose|Your|Exercise|Check|Theme|Language|Text size|Output|Timeline|Glossary|Stepping|Jump|Terminal|Program|Open|Save|Copy|page walk|entries|references|cycles|instructions|none)\b/;

/** A kernel event as the trace writes it ("handle_mm_fault: get_user_pages: ..."). */
const TRACE_TEXT = /^(#\d+ )?[a-z_]+(\(\))?: /;

/** The page's visible text, with code (code elements, the editor, the terminal, SVG labels of
 *  addresses) left out: what must be Chinese. */
async function prose(page: Page): Promise<string> {
  return page.evaluate(() => {
    const skip = 'code, kbd, pre, .cm-editor, .xterm, script, style, option:not(:checked), [data-code]';
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip)) continue;
      const st = getComputedStyle(el);
      if (st.display === 'none' || st.visibility === 'hidden') continue;
      const t = n.textContent?.trim();
      if (t) out.push(t);
    }
    return out.join('\n');
  });
}

/** The Latin words a text shows, most frequent first (for the reviewer; code names expected). */
function latinWords(text: string): string[] {
  const counts = new Map<string, number>();
  for (const w of text.match(/[A-Za-z][A-Za-z_.-]{2,}/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([w, k]) => `${w} ${k}`);
}

/** Nothing sticks out to the right of the page or of a panel. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const W = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > W + 1) bad.push(`page ${document.documentElement.scrollWidth} > ${W}`);
    for (const el of document.querySelectorAll<HTMLElement>('button, label, h2, h3, .toolbar, .pair-word, .lesson-step p')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > W + 1) bad.push(`${el.tagName}.${el.className} "${el.textContent?.slice(0, 30)}" right ${Math.round(r.right)} > ${W}`);
    }
    return bad;
  });
}

for (const lang of ['en', 'zh-CN'] as const) {
  test(`a lesson in ${lang}: every word in the language, at 1366x768 and 1024x768`, async ({ page }) => {
    test.setTimeout(300_000);
    mkdirSync(DIR, { recursive: true });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
    const report: Record<string, unknown> = {};
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.goto('about:blank');
      await page.goto(`./#lesson=pagewalk&step=2${lang === 'en' ? '' : `&lang=${lang}`}`);
      await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      const n = LESSONS.find((x) => x.id === 'pagewalk')!.steps.length;
      await expect(page.getByTestId('lesson-progress')).toHaveText(lang === 'en' ? `Step 2 of ${n}` : `第 2 步，共 ${n} 步`);
      // Next, then one event forward: the panels follow the cursor in the same language.
      await page.getByRole('button', { name: lang === 'en' ? 'Next step' : '下一步', exact: true }).click();
      await expect(page.getByTestId('lesson-progress')).toHaveText(lang === 'en' ? `Step 3 of ${n}` : `第 3 步，共 ${n} 步`, { timeout: 60_000 });
      await expect(page.getByTestId('lesson-checked')).toBeVisible({ timeout: 90_000 });
      const text = await prose(page);
      const name = `lesson-${lang}-${size.width}x${size.height}`;
      await page.screenshot({ path: `${DIR}/${name}.png` });
      await page.screenshot({ path: `${DIR}/${name}-full.png`, fullPage: true });
      report[name] = { latin: latinWords(text), overflow: await overflow(page) };
      if (lang === 'zh-CN') {
        // A kernel event's detail is the trace's own text (fn: detail, cli-and-trace.md), kept
        // as the trace writes it, like code.
        const hit = text.split('\n').filter((l) => ENGLISH.test(l) && !TRACE_TEXT.test(l));
        expect(hit, 'English words in the Chinese page').toEqual([]);
      }
      expect(await overflow(page)).toEqual([]);
    }
    writeFileSync(`${DIR}/lesson-${lang}.json`, JSON.stringify(report, null, 1) + '\n');
    expect(errors).toEqual([]);
  });

  test(`an exercise set by link in ${lang}: predict, check, hint, the deciding run`, async ({ page }) => {
    test.setTimeout(300_000);
    mkdirSync(DIR, { recursive: true });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
    const l = lang === 'en'
      ? { set1: 'Exercise set: problem 1 of 4', set2: 'Exercise set: problem 2 of 4', name: 'Your name or ID', check: 'Check', wrong: 'Not quite.', right: 'Right.', run: 'Show the run that decides it', look: 'Look in the panel:' }
      : { set1: '练习集：第 1 题，共 4 题', set2: '练习集：第 2 题，共 4 题', name: '你的姓名或学号', check: '核对', wrong: '不太对。', right: '正确。', run: '查看决定答案的运行', look: '请看面板：' };
    await page.setViewportSize(SIZES[0]);
    await page.goto(`./#exercises=which-world,pf-error-code&count=2${lang === 'en' ? '' : `&lang=${lang}`}`);
    await expect(page.getByTestId('exercise-set')).toHaveText(l.set1);
    await expect(page.getByTestId('exercise-student')).toBeFocused();
    await page.getByTestId('exercise-student').fill('Ada Lovelace');
    await page.getByTestId('exercise-new').click();
    await expect(page.getByTestId('exercise-prompt')).toContainText(lang === 'en' ? 'Who handles' : '谁来处理', { timeout: 60_000 });
    await page.getByTestId('exercise-answer').fill('nobody');
    await page.getByRole('button', { name: l.check, exact: true }).click();
    await expect(page.getByTestId('exercise-result')).toContainText(l.wrong, { timeout: 60_000 });
    await expect(page.getByTestId('exercise-result')).toContainText(l.look);
    await page.getByTestId('exercises').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${DIR}/exercise-${lang}-wrong.png` });
    if (lang === 'zh-CN') expect((await page.getByTestId('exercises').innerText()).split('\n').filter((x) => ENGLISH.test(x.replace(/"[a-z]+"/g, '')))).toEqual([]);
    // The set moves on: the second problem is the same kind (count=2), numbered 2 of 4.
    await page.getByTestId('exercise-new').click();
    await expect(page.getByTestId('exercise-set')).toHaveText(l.set2, { timeout: 60_000 });
    await page.getByTestId('exercise-answer').fill('process');
    await page.getByRole('button', { name: l.check, exact: true }).click();
    await expect(page.getByTestId('exercise-result')).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: l.run }).click();
    await expect(page.getByTestId('cursor')).not.toHaveAttribute('data-seq', '-1', { timeout: 60_000 });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.getByTestId('exercises').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${DIR}/exercise-${lang}-run-${size.width}x${size.height}.png` });
      expect(await overflow(page)).toEqual([]);
    }
    writeFileSync(`${DIR}/exercise-${lang}.json`, JSON.stringify({ latin: latinWords(await prose(page)) }, null, 1) + '\n');
    expect(errors).toEqual([]);
  });
}

test('the language switch: the whole page changes, <html lang> follows, a reload remembers it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(SIZES[0]);
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Run and record', exact: true })).toBeVisible();
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('button', { name: '运行并记录', exact: true })).toBeVisible();
  // A run in Chinese: the toolbar's accessible names and the panels are Chinese.
  await page.getByRole('button', { name: '运行并记录', exact: true }).click();
  await expect(page.getByRole('button', { name: '前进一个事件 (→)' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: '前进一个事件 (→)' }).click();
  await expect(page.getByText('光标处的事件').first()).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('language')).toHaveValue('zh-CN');
  await page.getByTestId('language').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Run and record', exact: true })).toBeVisible();
});
