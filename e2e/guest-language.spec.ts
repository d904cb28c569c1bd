// The guest language in the terminal: the CS:APP-style sample (movzx, setcc, cmovcc, a macro)
// runs; a /home program that includes a /home file runs; an error inside an included file shows
// in the editor at the .include line, naming the included file.

import { expect, test, type Page } from '@playwright/test';

const screen = (page: Page) => page.locator('.terminal-box .xterm-rows');

async function openTerminal(page: Page) {
  await page.locator('.terminal-section summary').click();
  await expect(screen(page)).toContainText('Dune Lab shell');
  await page.getByTestId('terminal').click();
}

test('CS:APP sample, .include from /home, and an included file\'s error in the editor', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await openTerminal(page);

  await page.keyboard.type('run /samples/csapp-cmov.s\n');
  await expect(screen(page)).toContainText('pairs with x < y:', { timeout: 30_000 });
  await expect(screen(page)).toContainText('csapp-cmov.s: exit 0');
  const shot1 = await page.screenshot({ path: 'artifacts/e2e/guest-language-csapp.png', fullPage: false });
  await testInfo.attach('csapp', { body: shot1, contentType: 'image/png' });

  await page.keyboard.type('edit /home/sys.inc\n');
  await expect(screen(page)).toContainText('Dune Lab editor');
  await page.keyboard.type('.macro bye code\n    mov edi, \\code\n    mov eax, SYS_exit\n    syscal\n.endm\n');
  await page.keyboard.press('Control+s');
  await expect(screen(page)).toContainText('Saved /home/sys.inc.');
  await page.keyboard.press('Control+q');
  await expect(screen(page)).not.toContainText('Dune Lab editor');
  await page.keyboard.type('edit /home/main.s\n');
  await expect(screen(page)).toContainText('Dune Lab editor');
  await page.keyboard.type('.include "sys.inc"\n_start:\n    bye 9\n');
  await page.keyboard.press('Control+s');
  // The mistake is in sys.inc, in the macro: the editor of main.s shows it at the macro's use.
  await expect(screen(page)).toContainText(/sys\.inc:4: unknown instruction 'syscal'/, { timeout: 15_000 });
  const shot = await page.screenshot({ path: 'artifacts/e2e/guest-language-include-error.png', fullPage: false });
  await testInfo.attach('include-error', { body: shot, contentType: 'image/png' });
  await page.keyboard.press('Control+q');
  await expect(screen(page)).not.toContainText('Dune Lab editor');
  await page.keyboard.type('run /home/main.s\n');
  await expect(screen(page)).toContainText(/sys\.inc:4:\d+: error: unknown instruction 'syscal'/, { timeout: 15_000 });
  await expect(screen(page)).toContainText('main.s:3:5: note: in macro');
  for (const [w, h, name] of [[1366, 768, 'guest-language-1366'], [1024, 768, 'guest-language-1024']] as const) {
    await page.setViewportSize({ width: w, height: h });
    const shot = await page.screenshot({ path: `artifacts/e2e/${name}.png`, fullPage: false });
    await testInfo.attach(name, { body: shot, contentType: 'image/png' });
  }
  expect(errors).toEqual([]);
});
