// The engine's requests with the bundled samples (samples/bench for the paper rows): what the
// Web Worker (engine.worker.ts) and the in-thread engine (DOM tests) serve. See core.ts.

import { createEngine } from './core.ts';
import { SAMPLE_FILES } from '../samples.ts';
import type { Request } from './protocol.ts';

/** A bundled benchmark program (samples/bench/<name>), or null. */
const benchSource = (name: string) => SAMPLE_FILES.find((s) => s.name === `bench/${name}`)?.source ?? null;

/** The worker's warm-up program (core.ts warm): a short Dune sample (dune_init's set-up, VM
 *  entry, a system call as a VM exit), the paths a Dune sample's load runs. */
export const WARM_UP = { source: SAMPLE_FILES.find((s) => s.name === 'hello-dune.s')?.source ?? '', file: 'hello-dune.s' };

/** Jobs (sliced) and an at-once handler over one Player. */
export const createEngineWithSamples = () => createEngine(benchSource);

/** Serve each request at once (tests). */
export function createHandler(): (req: Request) => unknown {
  return createEngineWithSamples().handle;
}
