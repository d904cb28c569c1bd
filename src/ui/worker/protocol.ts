// The messages between the page and the engine's Web Worker: one request kind per engine
// operation, answered by id. Shared by the worker and the client.

import type { PlayerInit, PlayerLoad } from '../../engine/player/player.ts';
import type { MachineView } from '../../engine/player/view.ts';
import type { MemoryView, VirtualRead } from '../../engine/player/memview.ts';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { RunResult } from '../../engine/session.ts';
import type { CompareRow } from '../../engine/player/compare.ts';
import type { EventMatch } from '../../engine/trace/match.ts';
import type { LessonStep } from '../../engine/course/lesson.ts';
import type { Values } from '../../engine/course/probe.ts';
import type { Problem, Solution } from '../../engine/course/exercises/kinds.ts';

/** Event patterns (lessons: "go to the first VMCALL exit") are the trace's own (engine/trace/match.ts). */
export type { EventMatch };

/** What "step" moves to. */
export type StepKind = 'event' | 'instr' | 'vmexit' | 'fault' | 'ring' | 'syscall' | 'breakpoint';

export type Request =
  | { kind: 'run'; source: string; file?: string; knobs?: Record<string, string>; stdin?: string }
  | { kind: 'load'; init: PlayerInit }
  | { kind: 'seek'; seq: number }
  | { kind: 'events'; from: number; to: number }
  | { kind: 'find'; dir: 1 | -1; step: StepKind; lines?: number[] }
  | { kind: 'match'; from: number; match: EventMatch }
  | { kind: 'check'; source: string; file?: string }
  /** The current process's memory at the cursor (memview.ts). */
  | { kind: 'memory'; maxNodes?: number }
  /** N bytes at a virtual address (hex) at the cursor (memview.ts readVirtual). */
  | { kind: 'read-virtual'; va: string; n: number }
  /** Run one paper row's pair (samples/bench) untraced: stem is the row, as in PAPER ('getpid'). */
  | { kind: 'compare'; stem: string }
  /** Play a lesson step over the loaded run (engine/course/probe.ts): its cursor, figures and checks. */
  | { kind: 'lesson-step'; step: LessonStep }
  /** An exercise's problem for a seed (engine/course/exercises), and checking an answer to it. */
  | { kind: 'exercise'; exercise: string; seed: string }
  | { kind: 'exercise-check'; exercise: string; seed: string; answer: string };

/** A lesson step played over the loaded run: the cursor (null: its events never happen), the
 *  figures its prose names, and the expectations that failed (none: it holds). */
export interface LessonStepResult { seq: number | null; values: Values; failed: string[] }

export interface SeekResult { view: MachineView; event: TraceEvent | null; lastWalk: TraceEvent | null }

export type Response<R extends Request> =
  R extends { kind: 'run' } ? RunResult :
  R extends { kind: 'load' } ? PlayerLoad :
  R extends { kind: 'seek' } ? SeekResult :
  R extends { kind: 'events' } ? TraceEvent[] :
  R extends { kind: 'find' } ? number | null :
  R extends { kind: 'match' } ? number | null :
  R extends { kind: 'check' } ? { line: number; col: number; message: string }[] :
  R extends { kind: 'memory' } ? MemoryView :
  R extends { kind: 'read-virtual' } ? VirtualRead :
  R extends { kind: 'compare' } ? CompareRow :
  R extends { kind: 'lesson-step' } ? LessonStepResult :
  R extends { kind: 'exercise' } ? Problem :
  R extends { kind: 'exercise-check' } ? { correct: boolean; problem: Problem; solution: Solution } : never;
