// The messages between the page and the engine's Web Worker: one request kind per engine
// operation, answered by id. Shared by the worker and the client.

import type { PlayerInit, PlayerLoad, SeekResult } from '../../engine/player/player.ts';
import type { MemoryView, VirtualRead } from '../../engine/player/memview.ts';
import type { TraceEvent } from '../../engine/trace/events.ts';
import type { RunResult } from '../../engine/session.ts';
import type { CompareRow } from '../../engine/player/compare.ts';

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
  | { kind: 'compare'; stem: string };

/** A serialisable event pattern (lessons use it to say "go to the first VMCALL exit"): every
 *  given field must equal the event's (text: a substring of an instr's text). */
export interface EventMatch { type: string; vmx?: 'root' | 'non-root'; name?: string; via?: string; text?: string; refs?: number; maxRefs?: number; nth?: number }

export type { SeekResult };

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
  R extends { kind: 'compare' } ? CompareRow : never;
