// The machine's log of marks for a sink that takes them in bulk (Machine.attach, markOne,
// drainMarks). World: an observer above the engine.

import type { TraceSink } from './events.ts';

/** Marks kept in columns for a sink that takes them in bulk (LoggingSink): the player's
 *  recorder, for which a system-call loop marks three events in every four instructions and a
 *  call per mark cost about a third of the recording. kind is the event type's KIND_BIT bit
 *  position (EVENT_TYPES index). take() gets the first n entries; the machine then empties it. */
export class MarkLog {
  static readonly SIZE = 4096;
  readonly kind = new Uint8Array(MarkLog.SIZE);
  readonly seq = new Float64Array(MarkLog.SIZE);
  readonly cycles = new Float64Array(MarkLog.SIZE);
  n = 0;
  constructor(readonly take: (log: MarkLog) => void) {}
}
/** A sink whose marks the machine logs (MarkLog) instead of calling mark() for each: it gets
 *  them, in order, when the log is full, when another sink is attached, and at drainMarks(); its
 *  built events still come one by one, so the two are not interleaved in seq order. */
export interface LoggingSink extends TraceSink { readonly markLog?: MarkLog }
