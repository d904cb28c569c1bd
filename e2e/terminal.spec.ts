// The terminal as a student uses it: edit a program, save, run it, see an assembler error at its
// line, reload and find the file, share it by link, and get the prompt back from a runaway loop.

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';

const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

async function openTerminal(page: Page) {
  await page.locator('.terminal-section summary').click();
  await expect(screen(page)).toContainText('Dune Lab shell');
  await page.getByTestId('terminal').click();
}

test('edit, save, run; an error at its line; the file survives a reload; share; Ctrl-C', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await openTerminal(page);

  await page.keyboard.type('edit /home/hello.s\n');
  await expect(screen(page)).toContainText('Dune Lab editor');
  await page.keyboard.type('_start:\n    mov rdi, 7\n    mov rax, SYS_exit\n    syscall\n');
  await page.keyboard.press('Control+s');
  await expect(screen(page)).toContainText('Saved /home/hello.s. No errors.');
  await page.keyboard.press('Control+q');
  await expect(screen(page)).not.toContainText('Dune Lab editor');
  await page.keyboard.type('run /home/hello.s\n');
  await expect(screen(page)).toContainText('exit 7', { timeout: 30_000 });
  // The cursor goes to the end of the run; the terminal says where, and the page's views agree.
  await expect(screen(page)).toContainText('Cursor at the end of the run');
  const where = /#([\d,]+) [^\n]*\(end of the run\)/.exec(await screen(page).innerText());
  expect(where).not.toBeNull();
  // The toolbar, the terminal and the timeline all number events by their trace seq (#0 first).
  await expect(page.getByTestId('cursor')).toHaveAttribute('data-seq', where![1].replace(/,/g, ''));
  await expect(page.getByTestId('cursor')).toHaveText(`#${where![1]}`);

  // A mistake: the editor shows the assembler's error at its line on save.
  await page.keyboard.type('edit /home/hello.s\n');
  await expect(screen(page)).toContainText('Dune Lab editor');
  await page.keyboard.type('    movv rax, 1\n');
  await page.keyboard.press('Control+s');
  await expect(screen(page)).toContainText(/unknown instruction 'movv'/, { timeout: 15_000 });
  const shot = await page.screenshot({ path: 'artifacts/e2e/terminal.png', fullPage: false });
  await testInfo.attach('terminal', { body: shot, contentType: 'image/png' });
  await page.keyboard.press('Control+q');

  // The file is still there after a reload (IndexedDB), with the mistake saved.
  await page.reload();
  await openTerminal(page);
  await page.keyboard.type('cat /home/hello.s\n');
  await expect(screen(page)).toContainText('mov rdi, 7');
  await expect(screen(page)).toContainText('movv rax, 1');

  // Download a file, upload one from the computer (the browser's own download and file picker).
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.type('download hello.s\n')]);
  expect(download.suggestedFilename()).toBe('hello.s');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.type('upload\n')]);
  await chooser.setFiles({ name: 'up.s', mimeType: 'text/plain', buffer: Buffer.from('_start:\n    hlt\n') });
  await expect(screen(page)).toContainText('uploaded /home/up.s');
  await page.keyboard.type('cat up.s\n');
  await expect(screen(page)).toContainText('hlt');

  // A runaway loop: Ctrl-C gives the prompt back at once, the engine stops the run (it works in
  // slices and sees the stop between them), and the next run answers in under a second.
  await page.keyboard.type('edit /home/ok.s\n');
  await expect(screen(page)).toContainText('Dune Lab editor');
  await page.keyboard.type('_start:\n    mov rdi, 3\n    mov rax, SYS_exit\n    syscall\n');
  await page.keyboard.press('Control+s');
  await expect(screen(page)).toContainText('Saved /home/ok.s');
  await page.keyboard.press('Control+q');
  await expect(screen(page)).not.toContainText('Dune Lab editor');
  await page.keyboard.type('edit /home/loop.s\n');
  await expect(screen(page)).toContainText('Dune Lab editor');
  await page.keyboard.type('_start:\n    jmp _start\n');
  await page.keyboard.press('Control+s');
  await expect(screen(page)).toContainText('Saved /home/loop.s');
  await page.keyboard.press('Control+q');
  await expect(screen(page)).not.toContainText('Dune Lab editor');
  await page.keyboard.type('run /home/loop.s\n');
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+c');
  await expect(screen(page)).toContainText('^C');
  await page.keyboard.type('run /home/ok.s');
  const t0 = Date.now();
  await page.keyboard.press('Enter');
  await expect(screen(page)).toContainText('exit 3', { timeout: 1000 });
  const nextRunMs = Date.now() - t0;
  mkdirSync('artifacts/e2e', { recursive: true });
  writeFileSync('artifacts/e2e/terminal-metrics.json', JSON.stringify({ ctrlCThenRunMs: nextRunMs }, null, 2));

  // A share link shows the program read-only until it is copied into /home.
  await page.getByRole('button', { name: /share link/ }).click();
  const url = await page.getByRole('textbox', { name: /share link/ }).inputValue();
  expect(url).toContain('#share=');
  await page.goto(url);
  await page.reload();
  await expect(page.getByText(/jmp _start|Dune Lab/).first()).toBeVisible();
  expect(errors).toEqual([]);
});
