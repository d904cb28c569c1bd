// The sinks the player's replays attach (player.ts): counting, marking every kind, collecting a
// window of events. World: an observer above the engine.

import { EVENT_TYPES, type TraceEvent, type TraceSink, type EventType } from '../trace/events.ts';

/** Counts events without building them (fast replays). */
export const COUNT: TraceSink = { countOnly: true, event() {} };
/** Every kind: a sink that marks them all builds nothing but sees each event's seq. */
const ALL_MARKED: ReadonlySet<EventType> = new Set(EVENT_TYPES);

/** Collects the events of a window [from, to) during a replay. */
export class Window implements TraceSink {
  events: TraceEvent[] = [];
  constructor(readonly from: number, readonly to: number) {}
  event(e: TraceEvent) { if (e.seq >= this.from && e.seq < this.to) this.events.push(e); }
}

/** The kinds a sink does not build (every kind for a counting sink, none for one that builds all):
 *  a sink standing in for it marks these, so it still sees each event's seq. */
export function unbuiltKinds(sink: TraceSink): ReadonlySet<EventType> {
  if (sink.countOnly) return ALL_MARKED;
  const built = sink.kinds;
  return built ? new Set(EVENT_TYPES.filter((t) => !built.has(t))) : new Set<EventType>();
}
