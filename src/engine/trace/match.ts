// Typed event patterns over the trace (events.ts): "the first VMCALL exit", "a walk of 24
// references that did not fault", "a VM exit other than EPT_VIOLATION". Lessons, exercises, the
// CLI and breakpoints share this one matcher. World: an observer of the trace, pure.

import type { TraceEvent, EventType } from './events.ts';

type Scalar = string | number | boolean | null;
type EventOf<T extends EventType> = Extract<TraceEvent, { type: T }>;
/** The event's own scalar fields (seq, cycles, vmx, cpl and the type's fields), compared by equality. */
type ScalarFields<E> = { [K in keyof E as K extends 'type' ? never : NonNullable<E[K]> extends Scalar ? K : never]?: E[K] };

/** What a pattern may say beyond equal fields. */
export interface MatchExtras {
  /** A substring of the event's text: an instruction's `text`, a kernel step's `fn` or `detail`,
   *  a libdune function's `fn`. */
  contains?: string;
  /** For a walk: exactly, at least, at most this many references. */
  refs?: number; minRefs?: number; maxRefs?: number;
  /** Bits of a hex field (e.g. a VM exit's qualification, an exception's errorCode) that must be
   *  set or clear: `{ qualification: { set: [7], clear: [8] } }`. */
  bits?: Record<string, { set?: number[]; clear?: number[] }>;
  /** The event must not also match this (e.g. `{ type: 'vmexit', not: { name: 'EPT_VIOLATION' } }`). */
  not?: Record<string, Scalar>;
  /** Free text: some field (type, names, addresses, numbers; not a walk's references) mentions
   *  it, case-insensitive (the event search box). */
  query?: string;
  /** The nth match (1 = the first; default 1). Used by searches, ignored by `matches`. */
  nth?: number;
}

/** A serialisable event pattern: the event's type, any of its scalar fields (which must be
 *  equal), and the extras above. A type error names a field the event type does not have. */
export type EventMatch = { [T in EventType]: { type: T } & ScalarFields<EventOf<T>> & MatchExtras }[EventType];

const EXTRAS = new Set(['contains', 'refs', 'minRefs', 'maxRefs', 'bits', 'not', 'query', 'nth']);

function bitsOf(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v)) return BigInt(v);
  return null;
}

/** A pattern's equal-field tests, listed once per pattern object: a lesson step's probe tries its
 *  patterns on every event of a run. (Patterns are data: nothing changes one after it is made.) */
const FIELDS = new WeakMap<EventMatch, [string, unknown][]>();
function fieldsOf(m: EventMatch): [string, unknown][] {
  let f = FIELDS.get(m);
  if (f === undefined) {
    f = Object.entries(m).filter(([k, want]) => k !== 'type' && !EXTRAS.has(k) && want !== undefined);
    FIELDS.set(m, f);
  }
  return f;
}

/** The event's text fields (text, fn, detail) that are strings, joined by newlines. */
function textOf(r: Record<string, unknown>): string {
  let out: string | null = null;
  for (const t of [r.text, r.fn, r.detail]) if (typeof t === 'string') out = out === null ? t : out + '\n' + t;
  return out ?? '';
}

/** Does event e satisfy pattern m? (nth is a search's business, not one event's.) */
export function matches(e: TraceEvent, m: EventMatch): boolean {
  if (e.type !== m.type) return false;
  const r = e as unknown as Record<string, unknown>;
  for (const [k, want] of fieldsOf(m)) if (r[k] !== want) return false;
  if (m.contains !== undefined && !textOf(r).includes(m.contains)) return false;
  if (m.refs !== undefined || m.minRefs !== undefined || m.maxRefs !== undefined) {
    if (e.type !== 'walk') return false;
    const n = e.refs.length;
    if ((m.refs !== undefined && n !== m.refs) || (m.minRefs !== undefined && n < m.minRefs) || (m.maxRefs !== undefined && n > m.maxRefs)) return false;
  }
  for (const [field, { set = [], clear = [] }] of Object.entries(m.bits ?? {})) {
    const v = bitsOf(r[field]);
    if (v === null) return false;
    if (set.some((b) => ((v >> BigInt(b)) & 1n) === 0n) || clear.some((b) => ((v >> BigInt(b)) & 1n) === 1n)) return false;
  }
  if (m.not && Object.entries(m.not).every(([k, v]) => r[k] === v)) return false;
  if (m.query !== undefined && !mentions(e, m.query.trim().toLowerCase())) return false;
  return true;
}

/** A chain of patterns: the first event matching the first pattern (its nth match), then from
 *  there the first matching the second, and so on. Fed events in trace order; `done` once the
 *  last pattern has matched, with `hits` the seq of each pattern's match. */
export class ChainMatcher {
  readonly hits: TraceEvent[] = [];
  private left: number;
  constructor(readonly chain: readonly EventMatch[]) { this.left = chain[0]?.nth ?? 1; }
  get done(): boolean { return this.hits.length === this.chain.length; }
  /** Feed the next event; true when this event completed the chain. */
  feed(e: TraceEvent): boolean {
    if (this.done) return false;
    const m = this.chain[this.hits.length];
    if (!matches(e, m) || --this.left > 0) return false;
    this.hits.push(e);
    if (!this.done) this.left = this.chain[this.hits.length].nth ?? 1;
    return this.done;
  }
}

/** Describe a pattern in one line (for failures and listings): `vmexit name=VMCALL`. */
export function describeMatch(m: EventMatch): string {
  const parts: string[] = [m.type];
  for (const [k, v] of Object.entries(m)) if (k !== 'type') parts.push(`${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  return parts.join(' ');
}

/** A free-text search over events (the event search box): some field (its type, names,
 *  addresses, numbers; not a walk's references) mentions `query`, case-insensitive. */
export interface TextQuery { query: string; nth?: number }
/** What a search looks for: a pattern, or free text. */
export type EventSearch = EventMatch | TextQuery;

function mentions(e: TraceEvent, q: string): boolean {
  for (const [k, v] of Object.entries(e)) {
    if (k === 'refs' || k === 'seq' || k === 'cycles') continue;
    const s = Array.isArray(v) ? v.join(' ') : typeof v === 'object' && v !== null ? Object.keys(v).join(' ') : String(v);
    if (s.toLowerCase().includes(q)) return true;
  }
  return false;
}

/** The predicate a search applies to each event. */
export function searchPredicate(m: EventSearch): (e: TraceEvent) => boolean {
  if ('type' in m) return (e) => matches(e, m);
  const q = m.query.trim().toLowerCase();
  return (e) => q !== '' && mentions(e, q);
}
