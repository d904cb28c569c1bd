// The UI's only door to the engine: requests to the engine's Web Worker (or, where there is no
// Worker, e.g. DOM tests, the same handler in-thread). Components never import src/engine.

import type { Request, Response, StepKind, SeekResult, CursorResult, EventBlock, EventMatch, EventSearch, CheckDiagnostic, LessonStepResult } from './worker/protocol.ts';
import type { LessonStep } from '../engine/course/lesson.ts';
import type { Problem, Solution } from '../engine/course/exercises/kinds.ts';
import type { RunResult } from '../engine/session.ts';
import type { PlayerInit, PlayerLoad, LandmarkType } from '../engine/player/player.ts';
import type { TraceEvent } from '../engine/trace/events.ts';
import type { MemoryView, VirtualRead } from '../engine/player/memview.ts';
import type { CompareRow, CompareSide } from '../engine/player/compare.ts';
import type { CostBreakdown, CostKey } from '../engine/player/costs.ts';
import type { PaperOp } from '../engine/paper.ts';
import type { WhatIf, WhatIfCounts } from './worker/whatif.ts';
import type { WedgeView, RecycleStop } from './worker/wedge.ts';
import type { SandboxCall } from './worker/sandbox.ts';
import type { HeapMap } from '../engine/player/heapmap.ts';
import type { GcLane } from '../engine/player/gclanes.ts';
import type { AsmError } from '../engine/asm/ir.ts';

export type { WhatIf, WhatIfCounts, LessonStepResult, Problem, Solution, EventSearch };
export type { WedgeView, RecycleStop, SandboxCall };
export type { AsmError };
export type { CheckDiagnostic, RunResult, StepKind, SeekResult, CursorResult, EventBlock, PlayerLoad, PlayerInit, TraceEvent, EventMatch, CompareRow, CompareSide, CostBreakdown, CostKey, PaperOp };
export type { MachineView } from '../engine/player/view.ts';
export type { HeapMap, GcLane };
export type { MemoryView } from '../engine/player/memview.ts';

export interface RunOptions { file?: string; maxInstructions?: number; stdin?: string; knobs?: Record<string, string> }

export interface EngineClient {
  run(source: string, opts?: RunOptions): Promise<RunResult>;
  load(init: PlayerInit): Promise<PlayerLoad>;
  seek(seq: number): Promise<SeekResult>;
  /** Move the cursor to seq, or where a step lands (null: nowhere), with every per-cursor view
   *  derived there (the swimlanes' transitions, the step's lines, the Wedge view): one answer.
   *  from: the cursor before the move. rows: the page's event cache (EventBlocks.id), to be sent
   *  the timeline's rows around the new cursor it lacks. */
  cursor(to: { seq: number } | { find: { dir: 1 | -1; step: StepKind; lines?: number[] } }, from: number | null, rows?: number): Promise<CursorResult | null>;
  events(from: number, to: number): Promise<TraceEvent[]>;
  find(dir: 1 | -1, step: StepKind, lines?: number[]): Promise<number | null>;
  /** Assemble only: the assembler's errors (empty when the program assembles). */
  /** The assembler's errors (keys with parameters; messages/asmText.ts says them). */
  check(source: string, file?: string, files?: Record<string, string>): Promise<AsmError[]>;
  /** The recorded program's [line, instruction address] pairs (the program view's RIP -> line). */
  lines(): Promise<[number, number][]>;
  /** The first event from `from` on that matches (lessons). */
  match(from: number, match: EventSearch, dir?: 1 | -1): Promise<number | null>;
  /** The current process's memory at the cursor (the Memory panel). */
  memory(maxNodes?: number): Promise<MemoryView>;
  /** N bytes at virtual address VA (hex) at the cursor, read without side effects (`x` in the terminal). */
  readVirtual(va: string, n: number): Promise<VirtualRead>;
  /** Run a paper row's Linux and Dune programs (untraced; seconds for page_walk) and compare them. */
  compare(stem: string): Promise<CompareRow>;
  /** Run the program with the baseline knobs and with a variant; counts and the first divergence. */
  whatIf(source: string, base: Record<string, string>, variant: Record<string, string>): Promise<WhatIf>;
  /** Play a lesson step over the loaded run: its cursor, its prose's figures, its failed checks. */
  /** siblings: the lesson's other steps over the same program (played in the same replay). */
  lessonStep(step: LessonStep, siblings?: LessonStep[]): Promise<LessonStepResult>;
  /** A lesson's programs and their steps (the one needed first first): their loads play the
   *  steps as they record, and the worker records the others while it is idle. now: start on
   *  the first at once (a deep link, before the page renders: its load follows). */
  lessonPlan(programs: { init: PlayerInit; steps: LessonStep[] }[], now?: boolean): Promise<null>;
  /** An exercise's problem for a seed, and checking an answer (the engine runs the problem). */
  exercise(kind: string, seed: string): Promise<Problem>;
  checkExercise(kind: string, seed: string, answer: string): Promise<{ correct: boolean; problem: Problem; solution: Solution }>;
  /** Stop the request in flight (a run or a recording: it answers at once with what it has,
   *  "stopped: interrupted"); the next request is served at once. */
  stop(): void;
  /** libdune's set-up span in the loaded run (null: the program never enters Dune). */
  setup(): Promise<{ from: number; to: number } | null>;
  /** The landmark events of these types around seq (the swimlanes' transitions). */
  landmarkEvents(seq: number, around: number, types: LandmarkType[]): Promise<TraceEvent[]>;
  /** The Wedge view at the cursor (null: no sthreads there). */
  wedge(): Promise<WedgeView | null>;
  /** The previous or next point of the recycle pass from the cursor (null: none). */
  wedgeStep(dir: 1 | -1, stop: RecycleStop): Promise<number | null>;
  /** The loaded run's ring-3 system calls with their paths and verdicts (the sandbox view). */
  sandbox(): Promise<SandboxCall[]>;
  /** Move the worker's cursor to seq and give the GC heap there (null: no heap yet). */
  heap(seq: number, window?: number): Promise<HeapMap | null>;
  /** The program once per collector mode, counted (seconds: four runs). */
  gcLanes(source: string, file?: string, files?: Record<string, string>): Promise<GcLane[]>;
}

type Send = <R extends Request>(req: R) => Promise<Response<R>>;

function client(send: Send, stop: () => void): EngineClient {
  return {
    stop,
    run: (source, opts) => send({ kind: 'run', source, file: opts?.file, knobs: opts?.knobs, stdin: opts?.stdin }),
    load: (init) => send({ kind: 'load', init }),
    seek: (seq) => send({ kind: 'seek', seq }),
    cursor: (to, from, rows) => send({ kind: 'cursor', ...to, from, rows }),
    events: (from, to) => send({ kind: 'events', from, to }),
    find: (dir, step, lines) => send({ kind: 'find', dir, step, lines }),
    match: (from, match, dir) => send({ kind: 'match', from, match, dir }),
    check: (source, file, files) => send({ kind: 'check', source, file, files }),
    lines: () => send({ kind: 'lines' }),
    memory: (maxNodes) => send({ kind: 'memory', maxNodes }),
    readVirtual: (va, n) => send({ kind: 'read-virtual', va, n }),
    compare: (stem) => send({ kind: 'compare', stem }),
    whatIf: (source, base, variant) => send({ kind: 'whatif', source, base, variant }),
    setup: () => send({ kind: 'setup' }),
    landmarkEvents: (seq, around, types) => send({ kind: 'landmark-events', seq, around, types }),
    lessonStep: (step, siblings) => send({ kind: 'lesson-step', step, siblings }),
    lessonPlan: (programs, now) => send({ kind: 'lesson-plan', programs, now }),
    exercise: (exercise, seed) => send({ kind: 'exercise', exercise, seed }),
    checkExercise: (exercise, seed, answer) => send({ kind: 'exercise-check', exercise, seed, answer }),
    wedge: () => send({ kind: 'wedge' }),
    wedgeStep: (dir, stop) => send({ kind: 'wedge-step', dir, stop }),
    sandbox: () => send({ kind: 'sandbox' }),
    heap: (seq, window) => send({ kind: 'heap', seq, window }),
    gcLanes: (source, file, files) => send({ kind: 'gc-lanes', source, file, files }),
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
