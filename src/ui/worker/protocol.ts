// The messages between the page and the engine's Web Worker: one request kind per engine
// operation, answered by id. Shared by the worker and the client.

import type { PlayerInit, PlayerLoad, SeekResult, LandmarkType } from '../../engine/player/player.ts';
import type { MemoryView, VirtualRead } from '../../engine/player/memview.ts';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { RunResult } from '../../engine/session.ts';
import type { CompareRow } from '../../engine/player/compare.ts';
import type { WhatIf } from './whatif.ts';
import type { EventMatch, EventSearch } from '../../engine/trace/match.ts';
import type { LessonStep } from '../../engine/course/lesson.ts';
import type { StepResult } from '../../engine/course/ride.ts';
import type { Problem, Solution } from '../../engine/course/exercises/kinds.ts';
import type { WedgeView, RecycleStop } from './wedge.ts';
import type { SandboxCall } from './sandbox.ts';
import type { HeapMap } from '../../engine/player/heapmap.ts';
import type { GcLane } from '../../engine/player/gclanes.ts';
import type { AsmError } from '../../engine/asm/ir.ts';
import type { CursorResult } from './cursor.ts';

/** Event patterns (lessons: "go to the first VMCALL exit") are the trace's own (engine/trace/match.ts). */
export type { EventMatch, EventSearch };

/** What "step" moves to. */
export type StepKind = 'event' | 'instr' | 'vmexit' | 'fault' | 'ring' | 'syscall' | 'breakpoint' | 'program';

export type Request =
  | { kind: 'run'; source: string; file?: string; knobs?: Record<string, string>; stdin?: string; files?: Record<string, string> }
  | { kind: 'load'; init: PlayerInit }
  | { kind: 'seek'; seq: number }
  /** Move the cursor (to seq, or to where a find lands) and derive every per-cursor view there in
   *  one answer (cursor.ts); null when the find lands nowhere. from: the cursor before the move. */
  | { kind: 'cursor'; seq?: number; find?: { dir: 1 | -1; step: StepKind; lines?: number[] }; from?: number | null;
      /** render's block: the page's event cache (its id); the answer brings the blocks of rows
       *  around the cursor it has not been sent (cursor.ts RowBlocks). */
      rows?: number }
  | { kind: 'events'; from: number; to: number }
  | { kind: 'find'; dir: 1 | -1; step: StepKind; lines?: number[] }
  /** The first event from `from` on matching (dir -1: the last one before `from`). */
  | { kind: 'match'; from: number; match: EventSearch; dir?: 1 | -1 }
  | { kind: 'check'; source: string; file?: string; files?: Record<string, string> }
  /** The recorded program's [line, first instruction address] pairs. */
  | { kind: 'lines' }
  /** The current process's memory at the cursor (memview.ts). */
  | { kind: 'memory'; maxNodes?: number }
  /** N bytes at a virtual address (hex) at the cursor (memview.ts readVirtual). */
  | { kind: 'read-virtual'; va: string; n: number }
  /** Run one paper row's pair (samples/bench) untraced: stem is the row, as in PAPER ('getpid'). */
  | { kind: 'compare'; stem: string }
  /** The program with the baseline knobs and with a variant, compared (whatif.ts). */
  | { kind: 'whatif'; source: string; base: Record<string, string>; variant: Record<string, string> }
  /** libdune's set-up in the loaded run: its first call to the return that enters Dune. */
  | { kind: 'setup' }
  /** The landmark events of these types around seq (up to `around` before and after it). */
  | { kind: 'landmark-events'; seq: number; around: number; types: LandmarkType[] }
  /** Play a lesson step over the loaded run (engine/course/probe.ts): its cursor, figures and checks.
   *  siblings: the lesson's other steps over the same program, played in the same replay (kept
   *  for their own requests). */
  | { kind: 'lesson-step'; step: LessonStep; siblings?: LessonStep[] }
  /** A lesson's programs (as the page will load them) and the steps over each, the one needed
   *  first first: a load of one of them plays its steps in the recording's own pass, and the
   *  worker records the others while it is idle (cancelled by any request; kept for their loads). */
  | { kind: 'lesson-plan'; programs: { init: PlayerInit; steps: LessonStep[] }[];
      /** Record the first program not recorded yet at once, not after IDLE_MS (a deep link: the
       *  page's first script sends the plan before it renders, and its load follows). */
      now?: boolean }
  /** An exercise's problem for a seed (engine/course/exercises), and checking an answer to it. */
  | { kind: 'exercise'; exercise: string; seed: string }
  | { kind: 'exercise-check'; exercise: string; seed: string; answer: string }
  /** The Wedge view at the cursor (wedge.ts): page tables side by side and the recycle pass. */
  | { kind: 'wedge' }
  /** The previous or next point of the recycle pass (a page visited, or copied back). */
  | { kind: 'wedge-step'; dir: 1 | -1; stop: RecycleStop }
  /** The ring-3 system calls of the loaded run with their paths and verdicts (sandbox.ts). */
  | { kind: 'sandbox' }
  /** Move the cursor to seq and give the collector's heap there, page by page, with the activity
   *  of the last `window` events (player/heapmap.ts); null when the program has no GC heap yet. */
  | { kind: 'heap'; seq: number; window?: number }
  /** The program once per collector mode, counted (player/gclanes.ts). */
  | { kind: 'gc-lanes'; source: string; file?: string; files?: Record<string, string> };

/** A lesson step played over the loaded run: the cursor (null: its events never happen), the
 *  figures its prose names, and the expectations that failed (none: it holds). */
export type LessonStepResult = StepResult;

/** One assembler error as an editor shows it (engine/asm/diag.ts editorDiagnostics): where (1-based
 *  line and column, token length), the message with its hint, and the `file:line:col: error:` block
 *  `check` prints for it, said in the page's language when shown (messages/asmText.ts). The worker
 *  sends the errors themselves (AsmError: keys with parameters), never their words. */
export interface CheckDiagnostic { line: number; col: number; message: string; length?: number; text?: string }

export type { SeekResult, CursorResult };

export type Response<R extends Request> =
  R extends { kind: 'run' } ? RunResult :
  R extends { kind: 'load' } ? PlayerLoad :
  R extends { kind: 'seek' } ? SeekResult :
  R extends { kind: 'cursor' } ? CursorResult | null :
  R extends { kind: 'events' } ? TraceEvent[] :
  R extends { kind: 'find' } ? number | null :
  R extends { kind: 'match' } ? number | null :
  R extends { kind: 'check' } ? AsmError[] :
  R extends { kind: 'lines' } ? [number, number][] :
  R extends { kind: 'memory' } ? MemoryView :
  R extends { kind: 'read-virtual' } ? VirtualRead :
  R extends { kind: 'compare' } ? CompareRow :
  R extends { kind: 'whatif' } ? WhatIf :
  R extends { kind: 'setup' } ? { from: number; to: number } | null :
  R extends { kind: 'landmark-events' } ? TraceEvent[] :
  R extends { kind: 'lesson-step' } ? LessonStepResult :
  R extends { kind: 'lesson-plan' } ? null :
  R extends { kind: 'exercise' } ? Problem :
  R extends { kind: 'exercise-check' } ? { correct: boolean; problem: Problem; solution: Solution } :
  R extends { kind: 'wedge' } ? WedgeView | null :
  R extends { kind: 'wedge-step' } ? number | null :
  R extends { kind: 'sandbox' } ? SandboxCall[] :
  R extends { kind: 'heap' } ? HeapMap | null :
  R extends { kind: 'gc-lanes' } ? GcLane[] : never;

// --- render's block (issue 8, in-page step) -----------------------------------------------------
/** Events per block of the page's event cache (state/eventBlocks.ts); cursor answers bring the
 *  blocks of the rows around the new cursor (worker/cursor.ts RowBlocks). */
export const EVENT_BLOCK = 256;
/** Rows either side of the cursor the timeline may show at once: half its list when the cursor
 *  row is centred, plus the virtual list's overscan, with a margin (20rem of 1.6rem rows + 8). */
export const ROWS_AROUND = 24;
/** One block of the run's events: events [block * EVENT_BLOCK, (block + 1) * EVENT_BLOCK). */
export interface EventBlock { block: number; events: TraceEvent[] }
/** The machine view's parts a cursor answer may leave out (the large ones, and those that change
 *  least: the TLB's 512 rows and the VMCS's fields are most of an answer's bytes). */
export const VIEW_PARTS = ['regs', 'flags', 'cr', 'vmcs', 'tlb', 'procs', 'status', 'stdout', 'stderr', 'guestStderr', 'report'] as const;
export type ViewPart = (typeof VIEW_PARTS)[number];
/** What `same` can name: a view part, or the swimlanes' events. */
export type SentPart = ViewPart | 'lanes';
// --- end of render's block ---------------------------------------------------------------------
