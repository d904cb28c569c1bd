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

/** How a sink takes events of one kind: built (event(), or instr() for an `instr`), marked
 *  (mark(): type, seq and cycles), or not at all. */
type Take = 0 | 1 | 2;
const NONE: Take = 0, BUILT: Take = 1, MARKED: Take = 2;
function takes(s: TraceSink, t: EventType): Take {
  if (s.countOnly || (s.kinds && !s.kinds.has(t))) return NONE;
  return s.mark && s.marks?.has(t) ? MARKED : BUILT;
}

/** Two sinks as one, for one replay or recording pass (the recorder and a lesson's probes): the
 *  machine builds a kind if either builds it and marks it if one marks it and neither builds it;
 *  each sink is given what it asked for (a built event is passed as a mark to a sink that marks
 *  that kind). Made anew whenever either sink changes its kinds (they are read here once). */
export function tee(a: TraceSink, b: TraceSink): TraceSink {
  const ta = {} as Record<EventType, Take>, tb = {} as Record<EventType, Take>;
  const kinds = new Set<EventType>(), marks = new Set<EventType>();
  for (const t of EVENT_TYPES) {
    ta[t] = takes(a, t); tb[t] = takes(b, t);
    if (ta[t] !== NONE || tb[t] !== NONE) kinds.add(t);
    if (ta[t] !== BUILT && tb[t] !== BUILT && kinds.has(t)) marks.add(t);
  }
  const give = (s: TraceSink, how: Take, e: TraceEvent) => { if (how === BUILT) s.event(e); else if (how === MARKED) s.mark!(e.type, e.seq, e.cycles); };
  const sink: TraceSink = {
    kinds, marks,
    event: (e) => { give(a, ta[e.type], e); give(b, tb[e.type], e); },
    mark: (type, seq, cycles) => { if (ta[type] === MARKED) a.mark!(type, seq, cycles); if (tb[type] === MARKED) b.mark!(type, seq, cycles); },
  };
  if (ta.instr !== BUILT && tb.instr !== BUILT) return sink;
  // An `instr` goes as fields (no object) to a sink with an instr() method.
  const one = (s: TraceSink, how: Take): NonNullable<TraceSink['instr']> | null => {
    if (how === NONE) return null;
    if (how === MARKED) return (seq, _rip, _text, cycles) => s.mark!('instr', seq, cycles);
    if (s.instr) return s.instr.bind(s);
    return (seq, rip, text, cycles, vmx, cpl) => s.event({ seq, type: 'instr', rip, text, cycles, vmx, cpl });
  };
  const ia = one(a, ta.instr), ib = one(b, tb.instr);
  return { ...sink, instr: ia && ib ? (seq, rip, text, cycles, vmx, cpl, site) => { ia(seq, rip, text, cycles, vmx, cpl, site); ib(seq, rip, text, cycles, vmx, cpl, site); } : (ia ?? ib)! };
}

/** Every event, built, the last `size` of them kept (by seq): the recording's copy of the events
 *  just before a checkpoint that follows a burst (player.ts). */
export class Ring implements TraceSink {
  private buf: (TraceEvent | undefined)[];
  constructor(readonly size: number) { this.buf = new Array<TraceEvent | undefined>(size); }
  event(e: TraceEvent) { this.buf[e.seq % this.size] = e; }
  /** The events [from, to) if all of them are still held, else null. */
  slice(from: number, to: number): TraceEvent[] | null {
    if (to - from > this.size) return null;
    const out: TraceEvent[] = [];
    for (let s = from; s < to; s++) { const e = this.buf[s % this.size]; if (e?.seq !== s) return null; out.push(e); }
    return out;
  }
}
