// Frame-timed step latency in the page (issue 8): from a key press to the paint that shows the
// last change it caused, once every view has settled. A step is settled when no request to the
// engine's worker is in flight and the page has not changed for QUIET_MS: a view that asks the
// worker for its data after the cursor moved (the swimlanes, the program's step marks, the
// timeline's rows) counts until its answer is painted. The first figure is the paint of the first
// change (what a "first mutation" timer sees).

import type { Page } from '@playwright/test';

/** How long the page must stay unchanged, with nothing asked of the worker, to count as settled. */
export const QUIET_MS = 250;

export interface StepTiming { firstMs: number; settledMs: number; requests: number; key?: string; changed?: boolean }

/** Install before the page's scripts run (page.addInitScript): counts the engine requests in
 *  flight by wrapping Worker.prototype.postMessage (requests are { id, req }; answers { id }). */
export function installRequestCounter() {
  const w = window as unknown as { __lat: { pending: number; sent: number; answeredAt: number } };
  w.__lat = { pending: 0, sent: 0, answeredAt: 0 };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker & { __counted?: boolean }, m: unknown, ...rest: [StructuredSerializeOptions?]) {
    if (m && typeof m === 'object' && 'req' in m) {
      w.__lat.pending++; w.__lat.sent++;
      if (!this.__counted) {
        this.__counted = true;
        this.addEventListener('message', (ev: MessageEvent) => {
          if (ev.data && typeof ev.data === 'object' && 'id' in ev.data) { w.__lat.pending--; w.__lat.answeredAt = performance.now(); }
        });
      }
    }
    return post.call(this, m, ...rest);
  } as typeof Worker.prototype.postMessage;
}

/** Press KEY and time it (NaN figures: nothing changed within the time-out). */
export async function timedStep(page: Page, key: string, timeoutMs = 8000): Promise<StepTiming> {
  await page.evaluate(({ quiet, timeoutMs }) => {
    type Lat = { pending: number; sent: number; answeredAt: number };
    const w = window as unknown as { __lat: Lat; __step?: Promise<{ firstMs: number; settledMs: number; requests: number }> };
    const lat = w.__lat;
    w.__step = new Promise((done) => {
      let t0 = 0, sent0 = 0, firstMut = -1, lastMut = -1;
      const where = () => document.querySelector('[data-testid="cursor"]')?.getAttribute('data-seq') ?? '';
      let before = '';
      // Each frame: when its rAF callbacks ran, and when the task after its paint ran.
      const frames: [number, number][] = [];
      const obs = new MutationObserver(() => { lastMut = performance.now(); if (firstMut < 0) firstMut = lastMut; });
      // The paint that shows a change at t: that of the first frame whose rAF ran after it; a change
      // made inside a frame after its rAF (a resize observer, a later rAF callback) whose paint then
      // took longer than QUIET_MS has no such frame yet: that frame's own paint shows it (it was a
      // NaN, a step counted as showing nothing).
      const paintAfter = (t: number) => (frames.find(([raf]) => raf >= t) ?? frames.find(([, painted]) => painted >= t))?.[1];
      const frame = () => requestAnimationFrame(() => {
        const raf = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          const painted = performance.now();
          frames.push([raf, painted]);
          const calm = painted - Math.max(lastMut, lat.answeredAt, t0);
          if (lat.pending === 0 && lastMut >= 0 && calm > quiet) {
            obs.disconnect();
            done({ firstMs: paintAfter(firstMut)! - t0, settledMs: paintAfter(lastMut)! - t0, requests: lat.sent - sent0 });
          } else if (painted - t0 > timeoutMs) {
            obs.disconnect();
            done({ firstMs: NaN, settledMs: NaN, requests: lat.sent - sent0, changed: lastMut >= 0, pending: lat.pending, at: `${before} -> ${where()}` } as never);
          } else frame();
        };
        ch.port2.postMessage(0);
      });
      document.addEventListener('keydown', () => {
        t0 = performance.now(); sent0 = lat.sent; before = where();
        obs.observe(document.body, { childList: true, characterData: true, subtree: true, attributes: true });
        frame();
      }, { once: true, capture: true });
    });
  }, { quiet: QUIET_MS, timeoutMs });
  await page.keyboard.press(key);
  return { ...(await page.evaluate(() => (window as unknown as { __step: Promise<StepTiming> }).__step)), key };
}

/** Wait until the page has settled (after a seek by a click, a load). */
export async function settled(page: Page) {
  await page.waitForFunction((quiet) => {
    const lat = (window as unknown as { __lat: { pending: number; answeredAt: number } }).__lat;
    return lat.pending === 0 && performance.now() - lat.answeredAt > quiet;
  }, QUIET_MS * 2);
}

export function stats(xs: number[]) {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(s.length * q))]);
  return { n: s.length, missed: xs.length - s.length, medianMs: at(0.5), p95Ms: at(0.95), maxMs: Math.round(s[s.length - 1]) };
}
