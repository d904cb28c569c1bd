import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './e2e/chromium.ts';

export default defineConfig({
  plugins: [react()],
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
