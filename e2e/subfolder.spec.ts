// The static build from a subfolder of a plain static host (issue 12 §5): dist/ served at
// /dune-lab/ by a minimal file server (nothing at the root, no SPA rewrites), as a GitHub Pages
// project site would. The page loads, runs a sample, plays a lesson step; its service worker is
// registered with the subfolder as its scope, and after a visit a reload works offline there.
// Every request stays inside /dune-lab/ (a root-absolute URL would 404 here).

import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const DIST = join(import.meta.dirname, '..', 'dist');
const BASE = '/dune-lab/';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.woff2': 'font/woff2',
};

let server: Server;
let origin = '';
const outside: string[] = [];
const missing: string[] = [];

test.beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === BASE.slice(0, -1)) { res.writeHead(301, { location: BASE }).end(); return; }
    if (!path.startsWith(BASE)) { outside.push(path); res.writeHead(404).end('not here'); return; }
    const rel = normalize(path.slice(BASE.length) || 'index.html').replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, rel.endsWith('/') ? `${rel}index.html` : rel);
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(await readFile(file));
    } catch {
      missing.push(path);
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const a = server.address();
  origin = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
test.afterAll(async () => { await new Promise((ok) => server.close(ok)); });

test.use({ serviceWorkers: 'allow' });

test('the build served from /dune-lab/ loads, runs a sample, plays a lesson step, and its service worker is scoped there', async ({ page, context }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/dune-lab`); // the folder without its slash: redirected
  await expect(page).toHaveURL(`${origin}${BASE}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dune Lab');

  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${origin}${BASE}`);
  const script = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
  expect(script).toBe(`${origin}${BASE}sw.js`);

  await page.locator('#program-open').selectOption('/samples/getpid-dune.s');
  await page.getByRole('button', { name: /Run and record/ }).click();
  await expect(page.getByTestId('exit-code')).toHaveText('0', { timeout: 60_000 });
  await page.getByRole('button', { name: /Forward to the next VM exit/ }).click();
  await expect(page.getByTestId('event')).toContainText('vmexit', { timeout: 30_000 });

  await page.getByLabel('Choose a lesson').selectOption('syscall-hypercall');
  await expect(page.getByTestId('lesson-title')).toHaveText('A process in VMX non-root ring 0');
  await expect(page.getByTestId('event')).toContainText('vmentry', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page.getByTestId('lesson-title')).toHaveText('SYSCALL in ring 0');
  await expect(page.getByTestId('event')).toContainText('syscall', { timeout: 60_000 });

  // Controlled by the subfolder's worker, a reload with the network off still loads the page.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(`${origin}${BASE}sw.js`);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dune Lab');
  // The reload keeps the lesson step (its hash): its run is recorded again, offline.
  await expect(page.getByTestId('lesson-title')).toHaveText('SYSCALL in ring 0');
  await expect(page.getByTestId('event')).toContainText('syscall', { timeout: 60_000 });
  await context.setOffline(false);

  expect(outside, 'requests outside the subfolder').toEqual([]);
  expect(missing, 'files the build refers to but does not have').toEqual([]);
  expect(errors).toEqual([]);
});
