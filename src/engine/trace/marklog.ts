// The machine's log of marks for a sink that takes them in bulk (Machine.attach, markOne,
// drainMarks). World: an observer above the engine.

import type { TraceSink } from './events.ts';

/** Which marks of each kind a log keeps: every `stride`-th from ordinal `next` on, the others
 *  only counted (`seen`: the kind's marks so far, kept or not). Indexed by the kind's KIND_BIT
 *  bit position (EVENT_TYPES index). The taker owns it and may change next and stride between
 *  marks (the landmark index thins a kind that comes thick: every other one from then on); the
 *  machine reads them at each mark, so the filter is exact in ordinals. */
export class MarkFilter {
  readonly seen = new Float64Array(32);
  readonly next = new Float64Array(32);
  readonly stride = new Float64Array(32).fill(1);
}

/** Marks kept in columns for a sink that takes them in bulk (LoggingSink): the player's
 *  recorder, for which a system-call loop marks three events in every four instructions and a
 *  call per mark cost about a third of the recording. kind is the event type's KIND_BIT bit
 *  position (EVENT_TYPES index), ord the mark's ordinal among its kind's (MarkFilter.seen before
 *  it). Only the marks the filter keeps are logged: past the landmark cap the index keeps one
 *  in 16 or 32 of a loop's system calls, and the rest cost a count. take() gets the first n
 *  entries; the machine then empties it. */
export class MarkLog {
  static readonly SIZE = 4096;
  readonly kind = new Uint8Array(MarkLog.SIZE);
  readonly seq = new Float64Array(MarkLog.SIZE);
  readonly cycles = new Float64Array(MarkLog.SIZE);
  readonly ord = new Float64Array(MarkLog.SIZE);
  n = 0;
  constructor(readonly take: (log: MarkLog) => void, readonly filter = new MarkFilter()) {}
}
/** A sink whose marks the machine logs (MarkLog) instead of calling mark() for each: it gets
 *  them, in order, when the log is full, when another sink is attached, and at drainMarks(); its
 *  built events still come one by one, so the two are not interleaved in seq order. */
export interface LoggingSink extends TraceSink { readonly markLog?: MarkLog }
