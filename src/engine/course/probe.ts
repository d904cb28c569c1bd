// Plays one lesson step over a run's events: finds the cursor (a chain of patterns from the start)
// and gathers the figures a step's prose and expectations name ({walk.refs}, {cost.exitEntry}).
// Fed events in trace order by any replay (the CLI's run, the UI's worker). World: an observer, pure.

import { ChainMatcher, type EventMatch } from '../trace/match.ts';
import type { EventType, TraceEvent } from '../trace/events.ts';

export type Values = Record<string, number | string>;

/** Every placeholder a step may use, with what it is (documented once; docs/lessons.md quotes it). */
export const PLACEHOLDERS: Record<string, string> = {
  'event.*': 'a scalar field of the event at the cursor (event.reason, event.cycles, event.instrLen, ...)',
  'event.refs': 'the number of references of the walk at the cursor',
  'walk.refs': 'references read by the last page walk at or before the cursor',
  'walk.guest': 'of those, reads of guest page-table entries',
  'walk.ept': 'of those, reads of EPT entries',
  'walk.host': 'of those, reads of a native (1-D) walk',
  'walk.va': 'the linear address the last walk translated',
  'walk.result': 'the host-physical address it produced (or "none")',
  'exit.reason': 'the basic exit reason of the last VM exit at or before the cursor',
  'exit.name': 'its name (VMCALL, EPT_VIOLATION, ...)',
  'exit.qualification': 'its exit qualification (hex)',
  'exit.gpa': 'its guest-physical address, where the SDM defines one',
  'cost.exit': 'cycles the last VM exit added (the world switch into VMX root)',
  'cost.entry': 'cycles the VM entry after it added (the switch back)',
  'cost.exitEntry': 'the two together',
  'cost.roundTrip': 'cycles from just before that exit to the end of the entry after it (exit, handler, entry)',
  'cost.handler': 'of the round trip, the cycles in VMX root between the exit and the entry (the module\'s handler)',
  'span.cycles': 'cycles from just before the chain\'s span start (its first match, or the step\'s spanFrom) to the cursor',
  'span.walks': 'page walks after the span start, up to the cursor',
  'span.exits': 'VM exits after the span start, up to the cursor',
  'span.fn.*': 'kernel and libdune steps of one function after the span start, up to the cursor (span.fn.switch_to, ...)',
  'count.*': 'events of a type from the start of the run to the cursor (count.vmexit, count.walk, ...)',
  'exits.*': 'VM exits by name from the start to the cursor (exits.EPT_VIOLATION, ...)',
};

/** Does a placeholder name belong to the documented set (probe.ts PLACEHOLDERS)? */
export function knownPlaceholder(name: string): boolean {
  return Object.hasOwn(PLACEHOLDERS, name) || Object.keys(PLACEHOLDERS).some((k) => k.endsWith('.*') && name.startsWith(k.slice(0, -1)) && name.length > k.length - 1);
}

export class StepProbe {
  private chain: ChainMatcher;
  /** The cycles of the event before this one (0 before the first). */
  private prevCycles = 0;
  private before = 0;
  private atFirst: Record<string, number> = {};
  private fns: Record<string, number> = {};
  private fnsAtFirst: Record<string, number> = {};
  private walk: Extract<TraceEvent, { type: 'walk' }> | null = null;
  private exit: { e: Extract<TraceEvent, { type: 'vmexit' }>; cost: number; before: number; entry?: number; end?: number } | null = null;
  private counts: Record<string, number> = {};
  private exits: Record<string, number> = {};
  /** The event at the cursor, once the chain has matched. */
  cursor: TraceEvent | null = null;

  /** `spanFrom`: the chain pattern whose match starts the span.* figures (default the first). */
  constructor(readonly at: readonly EventMatch[], readonly spanFrom = 0) { this.chain = new ChainMatcher(at); }

  /** The cursor is found and every figure that needs later events (the entry after an exit) is in. */
  get complete(): boolean { return this.cursor !== null && (this.exit === null || this.exit.end !== undefined); }

  /** The event each pattern of the chain matched, so far. */
  get matched(): readonly TraceEvent[] { return this.chain.hits; }

  /** How far the chain got: the seq of each pattern's match. */
  get hits(): number[] { return this.chain.hits.map((e) => e.seq); }

  feed(e: TraceEvent): void {
    if (this.complete) return;
    const prevCycles = this.prevCycles;
    if (this.cursor === null) {
      const n = this.chain.hits.length;
      const done = this.chain.feed(e);
      this.counts[e.type] = (this.counts[e.type] ?? 0) + 1;
      if (e.type === 'kernel' || e.type === 'libdune') this.fns[e.fn] = (this.fns[e.fn] ?? 0) + 1;
      if (n === this.spanFrom && this.chain.hits.length === n + 1) { this.before = prevCycles; this.atFirst = { ...this.counts }; this.fnsAtFirst = { ...this.fns }; }
      if (e.type === 'walk') this.walk = e;
      if (e.type === 'vmexit') {
        this.exit = { e, cost: e.cycles - prevCycles, before: prevCycles };
        this.exits[e.name] = (this.exits[e.name] ?? 0) + 1;
      }
      if (e.type === 'vmentry' && this.exit && this.exit.end === undefined) { this.exit.entry = e.cycles - prevCycles; this.exit.end = e.cycles; }
      if (done) this.cursor = e;
    } else if (e.type === 'vmentry' && this.exit && this.exit.end === undefined) {
      this.exit.entry = e.cycles - prevCycles; this.exit.end = e.cycles;
    }
    this.prevCycles = e.cycles;
  }

  /** The pattern the chain waits for (undefined once the cursor is found). */
  get next(): EventMatch | undefined { return this.cursor === null ? this.at[this.chain.hits.length] : undefined; }

  /** n events of one type that none of the chain's patterns could match now (a run of
   *  instructions), the last of them with these cycles: counted, as n calls of mark() would. */
  skip(type: EventType, n: number, cycles: number): void {
    if (this.complete || n <= 0) return;
    if (this.cursor === null) this.counts[type] = (this.counts[type] ?? 0) + n;
    this.prevCycles = cycles;
  }

  /** An event the probe needs only as its type and cycles (its kind is none of those `builds`
   *  lists): counted, and its cycles are the next span's start, as feed() does with the event. */
  mark(type: EventType, cycles: number): void {
    if (this.complete) return;
    if (this.cursor === null) this.counts[type] = (this.counts[type] ?? 0) + 1;
    this.prevCycles = cycles;
  }

  /** The kinds feed() must see whole: the patterns' types, and those the figures read (walks,
   *  exits and entries, kernel and libdune functions). Others may come to mark(). */
  builds(): Set<EventType> {
    return new Set<EventType>([...this.at.map((m) => m.type), 'walk', 'vmexit', 'vmentry', 'kernel', 'libdune']);
  }

  /** The figures at the cursor (only those that exist there: no walk yet, no walk.refs). */
  values(): Values {
    const v: Values = {};
    const c = this.cursor;
    if (!c) return v;
    for (const [k, x] of Object.entries(c)) if (typeof x === 'number' || typeof x === 'string') v[`event.${k}`] = x;
    if (c.type === 'walk') v['event.refs'] = c.refs.length;
    const w = this.walk;
    if (w) {
      v['walk.refs'] = w.refs.length;
      for (const space of ['guest', 'ept', 'host'] as const) v[`walk.${space}`] = w.refs.filter((r) => r.space === space).length;
      v['walk.va'] = w.va;
      v['walk.result'] = w.result ?? 'none';
    }
    const x = this.exit;
    if (x) {
      v['exit.reason'] = x.e.reason; v['exit.name'] = x.e.name; v['exit.qualification'] = x.e.qualification;
      if (x.e.gpa !== undefined) v['exit.gpa'] = x.e.gpa;
      v['cost.exit'] = x.cost;
      if (x.entry !== undefined && x.end !== undefined) {
        v['cost.entry'] = x.entry; v['cost.exitEntry'] = x.cost + x.entry; v['cost.roundTrip'] = x.end - x.before;
        v['cost.handler'] = x.end - x.before - x.cost - x.entry;
      }
    }
    v['span.cycles'] = c.cycles - this.before;
    v['span.walks'] = (this.counts.walk ?? 0) - (this.atFirst.walk ?? 0);
    v['span.exits'] = (this.counts.vmexit ?? 0) - (this.atFirst.vmexit ?? 0);
    for (const [k, n] of Object.entries(this.fns)) v[`span.fn.${k}`] = n - (this.fnsAtFirst[k] ?? 0);
    for (const [k, n] of Object.entries(this.counts)) v[`count.${k}`] = n;
    for (const [k, n] of Object.entries(this.exits)) v[`exits.${k}`] = n;
    return v;
  }
}
