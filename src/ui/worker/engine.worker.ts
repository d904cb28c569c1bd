// The engine's Web Worker: the simulator runs here so the page never blocks on it. Requests are
// served in time slices (slices.ts); a { stop: true } message ends the one in flight.
/// <reference lib="webworker" />

import { createEngineWithSamples, WARM_UP } from './handler.ts';
import { JobRunner } from './slices.ts';
import type { Request } from './protocol.ts';
import { runtime, useRuntimeImage } from '../../engine/libdune/link.ts';
import runtimeImage from 'virtual:dune-runtime-image';

// libc + libdune as the build assembled them (vite.config.ts runtimeImage): linking then only
// unpacks data instead of assembling ~3,000 instructions.
useRuntimeImage(runtimeImage);
const engine = createEngineWithSamples();
// Idle time records a lesson's other programs ahead (core.ts idle).
const runner = new JobRunner(engine.job, undefined, engine.idle, undefined, engine.idleNow);
// Link libc + libdune (once per worker, every run links it) while the page is still starting,
// not in its first load. Then, after the quiet time (the page's own start is done by then: run at
// once, the warm-up took CPU from it), warm the engine up (core.ts warm) unless a request made it
// moot (a load, or a lesson link's plan: that recording warms it).
if (WARM_UP.source) engine.warmUp(WARM_UP);
setTimeout(() => { runtime(); runner.armIdle(); }, 0);
const post = (m: unknown) => (self as unknown as Worker).postMessage(m);
self.onmessage = (ev: MessageEvent<{ id: number; req: Request } | { stop: true }>) => {
  if ('stop' in ev.data) { runner.stop(); return; }
  const { id, req } = ev.data;
  runner.submit(req).then(
    (value) => post({ id, ok: true, value }),
    (e) => post({ id, ok: false, error: e instanceof Error ? e.message : String(e) }));
};
