// The player's recording sink (player.ts): what the one recording run keeps besides checkpoints:
// the landmark index, the prologue before the first checkpoint, libdune's first calls, and the
// context just before each checkpoint (Tail). World: an observer above the engine.

import { LANDMARK_KINDS, type LandmarkIndex, type LandmarkType } from './landmarks.ts';
import type { TraceEvent, EventType } from '../trace/events.ts';
import { MarkLog, type LoggingSink } from '../trace/marklog.ts';

/** Feeds the landmark index; before the first checkpoint it also keeps every event (the
 *  prologue: process creation, which no replay can reach). */
export class Recorder implements LoggingSink {
  kinds: ReadonlySet<EventType> | undefined = undefined;
  marks: ReadonlySet<EventType> | undefined = undefined;
  prologue: TraceEvent[] | null = [];
  private kept: Map<number, TraceEvent> | null = null;
  /** While watching, page walks and instructions are built too, and the last walk and program
   *  instruction kept: the context a seek just after the next checkpoint needs (Tail). */
  watching = false;
  lastWalk: TraceEvent | null = null;
  lastLine: { seq: number; line: number } | null = null;
  /** libdune calls and returns, built (not only marked) until MAX_EARLY of them: libdune's
   *  set-up (the worker's set-up span) is then read from them without a replay. */
  early: TraceEvent[] = [];
  /** keep: how many rare landmark events to keep whole (Player.KEEP). */
  constructor(readonly index: LandmarkIndex, readonly lineAt: Map<number, number>, readonly keep: number) {
    this.markLog = new MarkLog((log) => index.addLog(log), index.filter);
  }
  event(e: TraceEvent) {
    if (this.watching && (e.type === 'walk' || e.type === 'instr')) {
      if (e.type === 'walk') this.lastWalk = e;
      else this.instrLine(e.seq, e.rip);
      return;
    }
    if (this.kept) {
      this.index.add(e.type as LandmarkType, e.seq, e.cycles);
      if (e.type === 'libdune' && this.early.length < MAX_EARLY) this.early.push(e);
      if (this.kept.size < this.keep) this.kept.set(e.seq, e);
      return;
    }
    this.prologue?.push(e);
    if (LANDMARK_KINDS.has(e.type)) this.index.add(e.type as LandmarkType, e.seq, e.cycles);
  }
  /** The program line of the instruction at rip (hex, as the trace prints it), kept as the last. */
  private instrLine(seq: number, rip: string) {
    // The program's addresses are below 2^47, printed in at most 12 hex digits: a longer rip (a
    // canonical upper-half address) is none of them, and parseInt is exact for the rest.
    const line = rip.length <= 14 ? this.lineAt.get(parseInt(rip, 16)) : undefined;
    if (line !== undefined) this.lastLine = { seq, line };
  }
  mark(type: EventType, seq: number, cycles: number) { this.index.add(type as LandmarkType, seq, cycles); }
  /** The machine logs the marks (the frequent landmarks) and hands them over in bulk. */
  readonly markLog: MarkLog;
  /** From the first checkpoint on, the frequent landmarks are only marked (no event is built);
   *  the rare ones (VM exits and entries, exceptions, signals, exit) are built and the first
   *  KEEP of them kept, so the views' context (the last VM exit) rarely needs a replay. */
  landmarksOnly(kept: Map<number, TraceEvent>) {
    this.prologue = null; this.kinds = LANDMARK_KINDS; this.kept = kept;
    this.marks = this.early.length < MAX_EARLY ? FREQUENT_BUT_LIBDUNE : FREQUENT;
  }
  /** Watch (or stop watching) walks and instructions; the machine must be re-attached. */
  watch(on: boolean) {
    this.watching = on;
    if (this.kept) this.marks = this.early.length < MAX_EARLY ? FREQUENT_BUT_LIBDUNE : FREQUENT;
    this.kinds = on ? WATCHED : LANDMARK_KINDS;
    if (on) { this.lastWalk = null; this.lastLine = null; }
  }
}

/** What the recorder builds while watching (the first, small batches after a checkpoint). */
const WATCHED: ReadonlySet<EventType> = new Set([...LANDMARK_KINDS, 'walk', 'instr']);

/** The context from just before a checkpoint that a seek's window (the 512 events up to the
 *  cursor) can reach: the last page walk and the last program instruction in the 512 events
 *  before it (null: none there). Known when recording saw them, else filled by the first seek
 *  that needs it. */
export interface Tail { walk: TraceEvent | null; line: { seq: number; line: number } | null }

/** Landmark kinds that can come every few instructions (a system-call loop): only marked. */
const FREQUENT: ReadonlySet<EventType> = new Set(['ring', 'syscall', 'libdune']);
const FREQUENT_BUT_LIBDUNE: ReadonlySet<EventType> = new Set(['ring', 'syscall']);
const MAX_EARLY = 256;
