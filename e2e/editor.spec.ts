// The program view as a student uses it: type a program with a mistake, see the assembler's
// error at its line before running, fix it, run, step with the highlighted line following, and
// set a breakpoint in the gutter that the terminal's `info breakpoints` lists. Screenshots of the
// view at a laptop (1366x768) and a projector (1024x768, largest text) in both themes.

import { expect, test, type Page } from '@playwright/test';
import { openSample } from './helpers.ts';

const editor = (page: Page) => page.locator('.code-host .cm-content');
const line = (page: Page, n: number) => page.locator('.code-host .cm-line').nth(n - 1);

/** Types the lines as a student would (the editor keeps the previous line's indent). */
async function typeLines(page: Page, lines: string[]) {
  for (const l of lines) { await page.keyboard.type(l); await page.keyboard.press('Enter'); }
}

test('type, see the error at its line, fix, run, step, breakpoint shared with the terminal', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./');
  await expect(editor(page)).toBeVisible();

  await editor(page).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await typeLines(page, ['_start:', '    mov rax, SYS_getpid', 'syscall', 'mvo rdi, 0', 'mov rax, SYS_exit', 'syscall']);

  // Highlighting from the assembler's tables: a mnemonic, a register, a SYS_ name, a label.
  await expect(line(page, 1).locator('.g-label')).toHaveText('_start');
  await expect(line(page, 2).locator('.g-mnemonic')).toHaveText('mov');
  await expect(line(page, 2).locator('.g-register')).toHaveText('rax');
  await expect(line(page, 2).locator('.g-syscall')).toHaveText('SYS_getpid');

  // The mistake is underlined on its line, before any run, with the text `check` prints.
  await expect(line(page, 4).locator('.cm-lintRange-error')).toHaveText('mvo', { timeout: 10_000 });
  await expect(page.getByTestId('check-status')).toHaveText("1 problem: program.s:4:5: error: unknown instruction 'mvo' hint: did you mean 'mov'?");
  await line(page, 4).locator('.cm-lintRange-error').hover();
  await expect(page.locator('.cm-tooltip .cm-diagnostic')).toContainText("program.s:4:5: error: unknown instruction 'mvo'");
  const err = await page.screenshot({ path: 'artifacts/e2e/editor-error.png' });
  await testInfo.attach('editor-error', { body: err, contentType: 'image/png' });

  // Fix it: the error goes away as you type.
  await line(page, 4).locator('.cm-lintRange-error').dblclick();
  await page.keyboard.type('mov');
  await expect(page.getByTestId('check-status')).toHaveText('assembles cleanly', { timeout: 10_000 });
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);

  // Hover help from the docs' tables.
  await line(page, 2).locator('.g-mnemonic').hover();
  await expect(page.locator('.cm-tooltip .cm-guest-help')).toContainText('forms: r, r/m/imm');

  // Run, then step: the highlighted line follows the instruction at the cursor.
  await editor(page).click();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('exit-code')).toHaveText('0', { timeout: 30_000 });
  // While the editor has focus the arrows move its caret, not the player's cursor; Escape leaves it.
  // (The run re-lays the page but keeps the editor and its focus: the last test checks that.)
  const at = await page.getByTestId('cursor').getAttribute('data-seq');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('cursor')).toHaveAttribute('data-seq', at ?? '');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('cursor')).toHaveAttribute('data-seq', String(Number(at) + 1));
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('cursor')).toHaveAttribute('data-seq', at ?? '');
  const current = page.locator('.code-host .cm-step-current');
  const next = page.getByRole('button', { name: /Forward one instruction/ });
  await expect(current).toHaveText(/^\s*mov rax, SYS_getpid$/);
  await next.click();
  await expect(current).toHaveText(/^\s*syscall$/);
  await expect(page.locator('.code-host .cm-step-event')).toHaveText([/^\s*mov rax, SYS_getpid$/]);
  // After the syscall instruction the kernel runs: no program line is current; the step's
  // events name the syscall's line.
  await next.click();
  await expect(current).toHaveCount(0);
  await expect(page.locator('.code-host .cm-step-event')).toHaveText([/^\s*syscall$/]);
  await expect(page.getByTestId('step-line')).toContainText('outside the program');
  // The next instruction step runs the kernel to sysret and then `mov rdi, 0`.
  await next.click();
  await expect(current).toHaveText(/^\s*mov rax, SYS_exit$/);
  await expect(page.locator('.code-host .cm-step-event')).toHaveText([/^\s*mov rdi, 0$/]);

  // A breakpoint in the gutter, on line 5; the terminal's `info breakpoints` lists it.
  const gutter = await page.locator('.code-host .cm-bp-gutter').boundingBox();
  const line5 = await line(page, 5).boundingBox();
  await page.mouse.click(gutter!.x + gutter!.width / 2, line5!.y + line5!.height / 2);
  await expect(page.locator('.code-host .cm-bp-dot')).toHaveCount(1);
  const shot = await page.screenshot({ path: 'artifacts/e2e/editor-stepping-light-1366.png' });
  await testInfo.attach('editor-stepping', { body: shot, contentType: 'image/png' });
  await page.locator('.terminal-section summary').click();
  const term = page.locator('.terminal-box .xterm-rows');
  await expect(term).toContainText('Dune Lab shell');
  await page.getByTestId('terminal').click();
  await page.keyboard.type('info breakpoints\n');
  await expect(term).toContainText('breakpoints at lines 5');
  expect(errors).toEqual([]);
});

test('looks right at 1366x768 and at a 1024x768 projector, light and dark', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  for (const [w, theme, size] of [[1366, 'light', 1], [1366, 'dark', 1], [1024, 'light', 2], [1024, 'dark', 2]] as const) {
    await page.setViewportSize({ width: w, height: 768 });
    await page.goto('./');
    await page.evaluate(([t, f]) => { localStorage.setItem('dune-lab.theme', String(t)); localStorage.setItem('dune-lab.fontScale', String(f)); }, [theme, size]);
    await page.reload();
    await expect(editor(page)).toBeVisible();
    await page.getByRole('button', { name: /Run and record/ }).click();
    await expect(page.getByTestId('exit-code')).toHaveText('0', { timeout: 30_000 });
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: /Forward one instruction/ }).click();
    await expect(page.locator('.code-host .cm-step-current')).toHaveCount(1);
    await page.locator('.program-view').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const shot = await page.screenshot({ path: `artifacts/e2e/editor-${theme}-${w}.png` });
    await testInfo.attach(`editor-${theme}-${w}`, { body: shot, contentType: 'image/png' });
  }
});

test('a recorded run keeps the program view: focus and undo survive Ctrl+Enter; the file line names what is open', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./');
  await expect(editor(page)).toBeVisible();
  await editor(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n; a note before the run');
  // Mark the editor's DOM: a remount would make a new one.
  await page.locator('.code-host .cm-editor').evaluate((el) => { (el as HTMLElement & { kept?: boolean }).kept = true; });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('exit-code')).toHaveText('0', { timeout: 30_000 });
  await expect(page.locator('.layout-normal')).toHaveCount(1);
  expect(await page.locator('.code-host .cm-editor').evaluate((el) => (el as HTMLElement & { kept?: boolean }).kept === true)).toBe(true);
  expect(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))).toBe(true);
  // The keys still go to the editor (the player's cursor stays), and Ctrl+Z has the edit to undo:
  // it asks first (undoing discards the recording), then undoes it.
  const at = await page.getByTestId('cursor').textContent();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('cursor')).toHaveText(at ?? '');
  await page.keyboard.press('Control+z');
  await page.getByRole('button', { name: 'Edit and discard the recording' }).click();
  await expect(editor(page)).not.toContainText('a note before the run');
  await expect(editor(page)).toContainText('_start');

  // A sample opened and recorded: the file line names it, as the Open list does.
  await openSample(page, 'getpid-dune.s');
  await expect(page.getByTestId('file-state')).toHaveText('/samples/getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('stdout')).toContainText('1', { timeout: 60_000 });
  await expect(page.getByTestId('file-state')).toHaveText('/samples/getpid-dune.s');
  await expect(page.locator('#program-open')).toHaveValue('/samples/getpid-dune.s');
  await page.screenshot({ path: '/tmp/pw-player/shots/file-line-1366.png' });
});
