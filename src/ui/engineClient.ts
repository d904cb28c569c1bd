// The UI's only door to the engine: requests to the engine's Web Worker (or, where there is no
// Worker, e.g. DOM tests, the same handler in-thread). Components never import src/engine.

import type { Request, Response, StepKind, SeekResult, EventMatch } from './worker/protocol.ts';
import type { RunResult } from '../engine/session.ts';
import type { PlayerInit, PlayerLoad } from '../engine/player/player.ts';
import type { TraceEvent } from '../engine/trace/events.ts';
import type { MemoryView, VirtualRead } from '../engine/player/memview.ts';
import type { CompareRow, CompareSide } from '../engine/player/compare.ts';
import type { CostBreakdown, CostKey } from '../engine/player/costs.ts';
import type { PaperOp } from '../engine/paper.ts';

export type { RunResult, StepKind, SeekResult, PlayerLoad, TraceEvent, EventMatch, CompareRow, CompareSide, CostBreakdown, CostKey, PaperOp };
export type { MachineView } from '../engine/player/view.ts';
export type { MemoryView } from '../engine/player/memview.ts';

export interface RunOptions { file?: string; maxInstructions?: number; stdin?: string; knobs?: Record<string, string> }

export interface EngineClient {
  run(source: string, opts?: RunOptions): Promise<RunResult>;
  load(init: PlayerInit): Promise<PlayerLoad>;
  seek(seq: number): Promise<SeekResult>;
  events(from: number, to: number): Promise<TraceEvent[]>;
  find(dir: 1 | -1, step: StepKind, lines?: number[]): Promise<number | null>;
  /** Assemble only: the assembler's errors (empty when the program assembles). */
  check(source: string, file?: string): Promise<{ line: number; col: number; message: string }[]>;
  /** The first event from `from` on that matches (lessons). */
  match(from: number, match: EventMatch): Promise<number | null>;
  /** The current process's memory at the cursor (the Memory panel). */
  memory(maxNodes?: number): Promise<MemoryView>;
  /** N bytes at virtual address VA (hex) at the cursor, read without side effects (`x` in the terminal). */
  readVirtual(va: string, n: number): Promise<VirtualRead>;
  /** Run a paper row's Linux and Dune programs (untraced; seconds for page_walk) and compare them. */
  compare(stem: string): Promise<CompareRow>;
  /** Stop the request in flight (a run or a recording: it answers at once with what it has,
   *  "stopped: interrupted"); the next request is served at once. */
  stop(): void;
}

type Send = <R extends Request>(req: R) => Promise<Response<R>>;

function client(send: Send, stop: () => void): EngineClient {
  return {
    stop,
    run: (source, opts) => send({ kind: 'run', source, file: opts?.file, knobs: opts?.knobs, stdin: opts?.stdin }),
    load: (init) => send({ kind: 'load', init }),
    seek: (seq) => send({ kind: 'seek', seq }),
    events: (from, to) => send({ kind: 'events', from, to }),
    find: (dir, step, lines) => send({ kind: 'find', dir, step, lines }),
    match: (from, match) => send({ kind: 'match', from, match }),
    check: (source, file) => send({ kind: 'check', source, file }),
    memory: (maxNodes) => send({ kind: 'memory', maxNodes }),
    readVirtual: (va, n) => send({ kind: 'read-virtual', va, n }),
    compare: (stem) => send({ kind: 'compare', stem }),
  };
}

/** An engine client over any request handler (the worker's, or the in-thread one in tests). */
export function clientOver(send: Send, stop: () => void = () => {}): EngineClient { return client(send, stop); }

/** The engine in a Web Worker. */
export function workerEngine(): EngineClient {
  const worker = new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module' });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.onmessage = (ev: MessageEvent<{ id: number; ok: boolean; value?: unknown; error?: string }>) => {
    const p = pending.get(ev.data.id);
    if (!p) return;
    pending.delete(ev.data.id);
    if (ev.data.ok) p.resolve(ev.data.value); else p.reject(new Error(ev.data.error));
  };
  return client((req) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker.postMessage({ id, req });
  }), () => worker.postMessage({ stop: true }));
}

export type { Send };
