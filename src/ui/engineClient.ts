// The UI's only door to the engine. Components receive an EngineClient (see main.tsx) and never
// import src/engine themselves, so this file is all that changes when the engine moves into a
// Web Worker; the Promise-based API already fits that.

import { runSource, type RunResult } from '../engine/index.ts';

export type { RunResult };

export interface RunOptions {
  file?: string;
  maxInstructions?: number;
  stdin?: string;
  knobs?: Record<string, string>;
}

export interface EngineClient {
  run(source: string, opts?: RunOptions): Promise<RunResult>;
}

/** Runs the engine on the main thread (for now). */
export const engineClient: EngineClient = {
  run: async (source, opts) => runSource(source, opts),
};
