// The engine on the page's own thread: for DOM tests (no Web Worker there). The app uses the
// worker (engineClient.ts); keeping this apart keeps the engine out of the page's bundle.

import { createHandler } from './worker/handler.ts';
import { clientOver, type EngineClient } from './engineClient.ts';

export function inThreadEngine(): EngineClient {
  const handle = createHandler();
  return clientOver(async (req) => handle(req) as never);
}
