// Offline use: in a production build the page registers the service worker that vite-plugin-pwa
// (Workbox) generates, which precaches the whole build; after one visit the app loads and runs
// with the network off. The worker's URL is relative, so a build in any subfolder keeps its own.

/** Register ./sw.js (production builds only: the dev server and unit tests have none). */
export function registerOffline(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e: unknown) => {
      // Offline use is a convenience: the page works without it (e.g. on file:// or http on a LAN).
      console.warn(`offline use unavailable: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
}
