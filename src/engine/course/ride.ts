// A lesson's steps over one program as one trace sink: each step's probe (probe.ts) fed every event
// of the run in order, from the first, as `sim lesson --check` feeds them. It rides a pass that
// runs anyway (the player's recording) or one replay of the run; either way the figures are those
// of the whole run from its start. World: an observer, pure.

import { StepProbe } from './probe.ts';
import { checkStep } from './run.ts';
import { EVENT_TYPES, type EventType, type TraceEvent, type TraceSink, type Vmx } from '../trace/events.ts';
import type { EventMatch } from '../trace/match.ts';
import type { LessonStep } from './lesson.ts';
import type { Values } from './probe.ts';

/** A step played over a run: its cursor (null: its events never happen), its figures, and the
 *  expectations that failed (none: it holds). */
export interface StepResult { seq: number | null; values: Values; failed: string[] }

/** Could an instruction with this text and rip match pattern m (its fixed fields only)? */
function mayMatch(m: EventMatch, rip: string, text: string): boolean {
  if (m.type !== 'instr') return false;
  return (m.text === undefined || m.text === text) && (m.rip === undefined || m.rip === rip) && (m.contains === undefined || text.includes(m.contains));
}

/** Instructions are most of a run's events and few steps look for one: an instruction goes only
 *  to the probes whose chain waits for an instruction it may match; the others are told how many
 *  went by (StepProbe.skip) before their next event, so each sees the same counts and cycles as
 *  if fed every one. */
export class StepRider implements TraceSink {
  readonly probes: StepProbe[];
  /** Built: the kinds some probe matches or reads; every other kind is marked (its type and
   *  cycles are all the probes count), so no `instr` is built unless a pattern names one, and
   *  those come as fields (instr()). */
  readonly kinds: ReadonlySet<EventType> = new Set(EVENT_TYPES);
  readonly marks: ReadonlySet<EventType>;
  private open: number;
  /** Instructions so far, the cycles of the last, and how many each probe has been told of. */
  private n = 0;
  private cycles = 0;
  private told: number[];
  /** The probes whose chain waits for an instruction. */
  private hunting: number[] = [];
  /** Set when instructions are built (a pattern is an `instr`): the fast path, no event object. */
  readonly instr?: (seq: number, rip: string, text: string, cycles: number, vmx: Vmx, cpl: 0 | 3) => void;

  constructor(readonly steps: readonly LessonStep[]) {
    this.probes = steps.map((s) => new StepProbe(s.at, s.spanFrom));
    this.open = this.probes.length;
    this.told = this.probes.map(() => 0);
    const built = new Set(this.probes.flatMap((p) => [...p.builds()]));
    this.marks = new Set(EVENT_TYPES.filter((t) => !built.has(t)));
    if (built.has('instr')) this.instr = (seq, rip, text, cycles, vmx, cpl) => this.onInstr(seq, rip, text, cycles, vmx, cpl);
    this.rehunt();
  }

  /** Every probe has its cursor and the figures after it. */
  get done(): boolean { return this.open === 0; }

  private onInstr(seq: number, rip: string, text: string, cycles: number, vmx: Vmx, cpl: 0 | 3) {
    const before = this.cycles;
    this.n++; this.cycles = cycles;
    if (this.hunting.length === 0) return;
    let moved = false;
    for (const i of this.hunting) {
      const p = this.probes[i];
      if (!mayMatch(p.next!, rip, text)) continue;
      p.skip('instr', this.n - 1 - this.told[i], before);
      this.told[i] = this.n;
      const hits = p.matched.length;
      p.feed({ seq, type: 'instr', rip, text, cycles, vmx, cpl });
      if (p.complete) this.open--;
      if (p.complete || p.matched.length !== hits) moved = true;
    }
    if (moved) this.rehunt();
  }

  /** Tell every probe of the instructions since its last event. */
  private catchUp() {
    for (let i = 0; i < this.probes.length; i++) {
      if (this.told[i] === this.n) continue;
      this.probes[i].skip('instr', this.n - this.told[i], this.cycles);
      this.told[i] = this.n;
    }
  }

  private rehunt() {
    this.hunting = [];
    this.probes.forEach((p, i) => { if (!p.complete && p.next?.type === 'instr') this.hunting.push(i); });
  }

  event(e: TraceEvent) {
    if (e.type === 'instr') { this.onInstr(e.seq, e.rip, e.text, e.cycles, e.vmx, e.cpl); return; }
    this.catchUp();
    let moved = false;
    for (const p of this.probes) {
      if (p.complete) continue;
      const hits = p.matched.length;
      p.feed(e);
      if (p.complete) this.open--;
      if (p.complete || p.matched.length !== hits) moved = true;
    }
    if (moved) this.rehunt();
  }
  mark(type: EventType, _seq: number, cycles: number) {
    if (type === 'instr') { this.n++; this.cycles = cycles; return; }
    this.catchUp();
    for (const p of this.probes) p.mark(type, cycles);
  }

  /** Each step's result, in the order of `steps` (after the whole run, or once done). */
  results(): StepResult[] {
    this.catchUp();
    return this.steps.map((s, i) => ({ seq: this.probes[i].cursor?.seq ?? null, values: this.probes[i].values(), failed: checkStep(s, this.probes[i]) }));
  }
}
