// The player's public shapes (player.ts): what a load, a seek and a search take and give, for
// the worker's protocol. World: an observer above the engine.

import type { AsmError } from '../asm/ir.ts';
import type { Session } from '../session.ts';
import type { MachineView } from './view.ts';
import type { LandmarkType, LandmarkSummary } from './landmarks.ts';
import type { TraceEvent, TraceSink, EventType } from '../trace/events.ts';

export interface PlayerInit { source: string; file?: string; knobs?: Record<string, string>; stdin?: string; budget?: number;
  /** The files the program `.include`s, by path relative to `file` (asm collectIncludes). */
  files?: Record<string, string> }

/** Kinds a scan's caller needs only as (type, seq, cycles): marked, not built (Player.scan). */
export interface ScanMarks { kinds: ReadonlySet<EventType>; mark(type: EventType, seq: number, cycles: number): void }

export type PlayerLoad = {
  ok: true; total: number; finished: boolean; lines: number;
  /** Why recording stopped before the program ended: its budget, or a stop request. */
  stopped: 'budget' | 'cancelled' | null;
  instructions: number;
  /** VM exits of the run by name. */
  vmexits: Record<string, number>;
  landmarks: LandmarkSummary;
} | { ok: false; diagnostics: string; /** The assembler's errors (for a page to say them in its language). */ errors?: AsmError[] };

/** What the views need at the cursor besides the machine: one replay, computed in the worker. */
export interface SeekResult {
  view: MachineView; event: TraceEvent | null;
  /** The last page walk in the 512 events up to the cursor. */
  lastWalk: TraceEvent | null;
  /** The last VM exit at or before the cursor (the VMCS panel decodes it). */
  lastExit: TraceEvent | null;
  /** The last transition (ring change, VM exit/entry, system call, exception) at or before the
   *  cursor, and its cost: cycles until the next one (undefined if none follows). */
  transition: TraceEvent | null;
  transitionCost: number | undefined;
  /** The source line of the last program instruction that retired at or before the cursor. */
  line: number | null;
}
/** A view taken at the cursor inside the seek's replay (player/heapmap.ts HeapProbe): installed
 *  before the replay, which then covers at least `window` events before the cursor; taken just
 *  after the cursor's event; removed after. */
export interface SeekProbe<T = unknown> { window: number; install(s: Session): void; take(s: Session, seq: number): T; remove(): void }

/** What seek returns (the name the UI's protocol uses). */
export type SeekView = SeekResult;

/** Where Player.find starts and what it may use. */
export interface FindOptions {
  /** Search after (dir 1) or before (dir -1) this event; default the cursor. */
  from?: number;
  /** Answer from the landmark index (pred is then not consulted): events of these types. */
  landmarks?: readonly LandmarkType[];
  /** The event types pred can accept: the replay builds no others. */
  kinds?: ReadonlySet<EventType>;
}

/** A sink fed a whole run from its first event (a lesson's step probes: course/ride.ts), in the
 *  recording's pass or in one replay; done once it needs no more events. */
export interface Rider extends TraceSink { readonly done: boolean }
