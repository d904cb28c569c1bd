import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './e2e/chromium.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { docPage } from './src/ui/shell/docPage.ts';
import { messages } from './src/ui/messages/core.ts';
import { assembleRuntime } from './src/engine/libdune/link.ts';
import { packRuntime } from './src/engine/libdune/image.ts';

// The Content-Security-Policy the built page runs under: everything from its own origin (scripts,
// the engine's worker, the service worker); inline styles only (React style props, xterm's
// <style>); no eval, no plugins, no inline scripts. Build only: Vite's dev server injects an
// inline script for React refresh.
export const CSP = [
  "default-src 'self'", "script-src 'self'", "worker-src 'self'", "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
  "base-uri 'self'", "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'dune-lab-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

/** docs/*.md as docs/NAME.html in the build (and from the dev server): the page links them. */
function docsPages(): Plugin {
  const names = () => readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
  const page = (name: string, all: string[]) =>
    docPage(name, readFileSync(`docs/${name}.md`, 'utf8'), new Set(all), { href: '../index.html', label: messages.docsBack });
  return {
    name: 'dune-lab-docs',
    generateBundle() {
      const all = names();
      for (const n of all) this.emitFile({ type: 'asset', fileName: `docs/${n}.html`, source: page(n, all) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /\/docs\/([a-z0-9-]+)\.html$/.exec(req.url?.split('?')[0] ?? '');
        const all = names();
        if (!m || !all.includes(m[1])) { next(); return; }
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(page(m[1], all));
      });
    },
  };
}

export const RUNTIME_IMAGE_ID = 'virtual:dune-runtime-image';

/** The module `virtual:dune-runtime-image`: libc + libdune assembled here in node (once per build
 *  or dev-server start; Vite restarts the server when runtime.ts or the assembler changes, as they
 *  are imports of this config), as image.ts data the engine worker hands to link.ts, so the page
 *  does not spend ~300 ms assembling it at start. */
export function runtimeImage(): Plugin {
  const resolved = '\0' + RUNTIME_IMAGE_ID;
  return {
    name: 'dune-lab-runtime-image',
    resolveId: (id) => (id === RUNTIME_IMAGE_ID ? resolved : undefined),
    load(id) {
      if (id !== resolved) return undefined;
      // A JSON string parses faster than the same object as a JS literal.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(packRuntime(assembleRuntime())))});\n`;
    },
  };
}

export default defineConfig({
  plugins: [
    runtimeImage(),
    react(),
    contentSecurityPolicy(),
    docsPages(),
    // Offline after one visit: a Workbox service worker precaches the whole build (the page, its
    // chunks, the engine worker, the samples inside them); registered by src/ui/offline.ts in
    // production builds only. Relative URLs keep it working from any subfolder.
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg}'],
        navigateFallback: 'index.html',
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  // Worker bundles get only these plugins in a build (config.plugins reach them in dev only).
  worker: { plugins: () => [runtimeImage()] },
  // Relative asset URLs: the static build works from any subfolder.
  base: './',
  test: {
    // Keep failure attachments out of the source tree (test-results/ is gitignored).
    attachmentsDir: 'test-results/vitest-attachments',
    // Engine tests run whole guest programs; on a loaded 2-core machine 5 s is too tight.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/ui/**', 'test/browser/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['test/ui/**/*.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
            // These tests check platform facts, not pixels; a screenshot of a blank page helps no one.
            screenshotFailures: false,
          },
        },
      },
    ],
  },
});
