// The engine's Web Worker: the simulator runs here so the page never blocks on it.
/// <reference lib="webworker" />

import { createHandler } from './handler.ts';

const handle = createHandler();
self.onmessage = (ev: MessageEvent<{ id: number; req: Parameters<typeof handle>[0] }>) => {
  const { id, req } = ev.data;
  try {
    (self as unknown as Worker).postMessage({ id, ok: true, value: handle(req) });
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
