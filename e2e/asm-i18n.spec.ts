// The assembler's words in Chinese (issue 10 section 4): a program with several mistakes in a
// zh-CN page shows its inline diagnostics, the status line, the Run error, the terminal's `check`
// and `run`, and the hover help in Chinese; a switch to English says the same diagnostics in
// English (the text `check` prints). The spec fails on any English diagnostic text in the Chinese
// page: the messages the engine gives these mistakes in English, and the usual English words.
// Screenshots at 1366x768 and 1024x768 go to artifacts/e2e/i18n/ (gitignored), to be looked at.

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { assemble } from '../src/engine/asm/index.ts';

const DIR = 'artifacts/e2e/i18n';
const BAD = ['_start:', '    mvo rax, 1', '    mov rax, [rbx + rsp*2]', '    add eax, rbx', '    jne nowhere', '    mov al, 0x1g',
  '    shl rax, 300', '    mov rax, SYS_exit', '    syscall', ''].join('\n');

/** The English the engine gives BAD's mistakes (messages and hints): none may show in Chinese. */
const r = assemble(BAD, 'program.s');
const ENGLISH_DIAGNOSTICS = r.ok ? [] : r.errors.flatMap((e) => [e.message, ...(e.hint ? [e.hint] : [])]);
/** Words of the frame and of English diagnostics in general. */
const ENGLISH_WORDS = /\b(error|hint|note|unknown|expected|cannot|did you mean|instruction|register|operand|symbol|problems?)\b/;

const editor = (page: Page) => page.locator('.code-host .cm-content');
const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

/** Text that must be Chinese: no English diagnostic, no English frame word (code names aside). */
function englishIn(text: string): string[] {
  const hits = ENGLISH_DIAGNOSTICS.filter((m) => text.includes(m));
  for (const l of text.split('\n')) if (ENGLISH_WORDS.test(l.replace(/'[^']*'/g, ''))) hits.push(l);
  return hits;
}

async function putProgram(page: Page, text: string) {
  await editor(page).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

test('a program with mistakes in zh-CN: inline diagnostics, Run, terminal check and run, hover help; then English', async ({ page }) => {
  test.setTimeout(240_000);
  expect(ENGLISH_DIAGNOSTICS.length).toBeGreaterThan(5);
  mkdirSync(DIR, { recursive: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./#lang=zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(editor(page)).toBeVisible({ timeout: 30_000 });
  await putProgram(page, BAD);

  // Inline diagnostics: underlined, the status line's first one, the tooltip of one, in Chinese.
  await expect(page.locator('.code-host .cm-lintRange-error').first()).toBeVisible({ timeout: 15_000 });
  const status = page.getByTestId('check-status');
  await expect(status).toContainText("program.s:2:5: 错误: 未知指令 'mvo'", { timeout: 15_000 });
  await page.locator('.code-host .cm-line').nth(1).locator('.cm-lintRange-error').hover();
  const tip = page.locator('.cm-tooltip .cm-diagnostic');
  await expect(tip).toContainText("提示: 你是想写 'mov' 吗？");
  expect(englishIn(await status.innerText())).toEqual([]);
  expect(englishIn(await tip.innerText())).toEqual([]);
  // Every diagnostic the editor holds, one underline each, said in Chinese in its tooltip.
  const marks = page.locator('.code-host .cm-lintRange-error');
  await expect(marks).toHaveCount(r.ok ? 0 : r.errors.length);
  for (let i = 0; i < await marks.count(); i++) {
    await page.mouse.move(0, 0);
    await marks.nth(i).hover();
    await expect(tip.first()).toContainText('错误: ');
    expect(englishIn(await tip.first().innerText())).toEqual([]);
  }

  // Run: the assembler's errors under the program, in `check`'s layout, in Chinese.
  await page.getByRole('button', { name: '运行并记录', exact: true }).first().click();
  const alert = page.locator('.program-view pre.diagnostics');
  await expect(alert).toContainText('错误: 未知指令', { timeout: 30_000 });
  expect(englishIn(await alert.innerText())).toEqual([]);
  // The editor, its diagnostics and the Run error before the terminal opens over them.
  for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
    await page.setViewportSize(size);
    await page.mouse.move(0, 0);
    await marks.nth(1).hover();
    await expect(tip.first()).toContainText('错误: ');
    await page.screenshot({ path: `${DIR}/asm-zh-CN-${size.width}x${size.height}-editor.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  // The terminal: save the program in /home with the editor, then `check` and `run` it.
  await page.locator('.terminal-section summary').click();
  await expect(screen(page)).toContainText('Dune Lab', { timeout: 30_000 });
  await page.getByTestId('terminal').click();
  await page.keyboard.type('edit /home/bad.s\n');
  await page.keyboard.type(BAD.split('\n').map((l) => l.trim()).join('\n'));
  await page.keyboard.press('Control+s');
  await expect(screen(page)).toContainText('未知指令', { timeout: 15_000 });
  await page.keyboard.press('Control+q');
  await page.keyboard.type('clear\n');
  const shown = async () => (await screen(page).innerText()).split('\n').filter((l) => !/^\$ |Dune Lab/.test(l)).join('\n');
  await page.keyboard.type('check /home/bad.s\n');
  await expect(screen(page)).toContainText('bad.s:7:10: 错误: 移位次数 300 不在 0..255 之内', { timeout: 30_000 });
  expect(englishIn(await shown())).toEqual([]);
  await page.keyboard.type('clear\n');
  await page.keyboard.type('run /home/bad.s\n');
  await expect(screen(page)).toContainText('bad.s:7:10: 错误: 移位次数 300 不在 0..255 之内', { timeout: 30_000 });
  expect(englishIn(await shown())).toEqual([]);

  // Hover help of a mnemonic, from the Chinese tables.
  await page.locator('.code-host .cm-line').nth(2).locator('.g-mnemonic').hover();
  const help = page.locator('.cm-tooltip .cm-guest-help');
  await expect(help).toContainText('指令');
  await expect(help).toContainText('形式');
  expect(englishIn(await help.innerText())).toEqual([]);
  await page.screenshot({ path: `${DIR}/asm-zh-CN-1366x768.png` });

  await page.setViewportSize({ width: 1024, height: 768 });
  await page.locator('.code-host .cm-line').nth(1).locator('.cm-lintRange-error').hover();
  await expect(tip).toContainText('未知指令');
  await page.screenshot({ path: `${DIR}/asm-zh-CN-1024x768.png` });
  await page.locator('.code-host .cm-line').nth(2).locator('.g-mnemonic').hover();
  await expect(help).toContainText('形式');
  await page.screenshot({ path: `${DIR}/asm-zh-CN-1024x768-help.png` });

  // A switch to English: the same diagnostics in English, as `check` prints them.
  await page.getByTestId('language').selectOption('en');
  await expect(status).toContainText("bad.s:2:1: error: unknown instruction 'mvo'", { timeout: 15_000 }); // the terminal's run opened bad.s
  await expect(alert).toContainText("error: unknown instruction 'mvo'");
  await page.locator('.code-host .cm-line').nth(1).locator('.cm-lintRange-error').hover();
  await expect(tip).toContainText("hint: did you mean 'mov'?");
  await page.locator('.code-host .cm-line').nth(2).locator('.g-mnemonic').hover();
  await expect(help).toContainText('forms: ');
  await page.screenshot({ path: `${DIR}/asm-en-1024x768.png` });
  expect(errors).toEqual([]);
});

test('a run that faults in zh-CN: the report in the Output panel is Chinese; in English it is the CLI\'s text', async ({ page }) => {
  test.setTimeout(180_000);
  mkdirSync(DIR, { recursive: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./#lang=zh-CN');
  await expect(editor(page)).toBeVisible({ timeout: 30_000 });
  await putProgram(page, '_start:\n    mov rax, 5\n    mov qword ptr [0x10], rax\n');
  await page.getByRole('button', { name: '运行并记录', exact: true }).first().click();
  const stderr = page.getByTestId('stderr');
  await expect(stderr).toContainText('program.s[1]：段错误，地址 0x10', { timeout: 60_000 });
  await expect(stderr).toContainText('SIGSEGV（信号 11），位于 0x');
  // Besides the register dump (names and values), nothing in English.
  const lines = (await stderr.innerText()).split('\n').filter((l) => !/^(RIP|RAX|RSP|R8 |R12): /.test(l));
  expect(lines.filter((l) => /\b(segfault|signal|at|line|error)\b/.test(l.replace(/`[^`]*`/g, '')))).toEqual([]);
  for (const size of [{ width: 1366, height: 768 }, { width: 1024, height: 768 }]) {
    await page.setViewportSize(size);
    await stderr.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${DIR}/report-zh-CN-${size.width}x${size.height}.png` });
  }
  await page.getByTestId('language').selectOption('en');
  await expect(stderr).toContainText('program.s[1]: segfault at 0x10 ip 0x');
  await expect(stderr).toContainText('SIGSEGV (signal 11) at 0x');
  expect(errors).toEqual([]);
});
