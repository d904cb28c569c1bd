// The engine on the page's own thread: for DOM tests (no Web Worker there). The app uses the
// worker (engineClient.ts); keeping this apart keeps the engine out of the page's bundle. It
// serves requests in the same time slices as the worker, so stop() behaves the same.

import { createEngineWithSamples } from './worker/handler.ts';
import { JobRunner } from './worker/slices.ts';
import { clientOver, type EngineClient } from './engineClient.ts';

export function inThreadEngine(): EngineClient {
  const runner = new JobRunner(createEngineWithSamples().job);
  return clientOver((req) => runner.submit(req) as never, () => runner.stop());
}
