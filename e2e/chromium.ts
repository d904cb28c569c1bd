// Debian's Chromium, shared by Vitest browser mode (vite.config.ts) and Playwright
// (playwright.config.ts). We never download Playwright's own browsers.
// The flags let it run as root in a container and stop it reaching for hosts it cannot reach.

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
