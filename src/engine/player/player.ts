// Time travel over a run: the program runs once, recording checkpoints (machine snapshots) and a
// small index of landmark events; any point is then reached by restoring the nearest checkpoint
// and replaying deterministically (the engine gives byte-identical events). Stepping back is
// moving a cursor. World: an observer above the engine (it runs in the UI's Web Worker).

import { Session, assembleSource, DEFAULT_BUDGET } from '../session.ts';
import { parseKnobs } from '../knobs.ts';
import { filesReader } from '../asm/index.ts';
import type { AsmError } from '../asm/ir.ts';
import { machineView, type MachineView } from './view.ts';
import { memoryView, readVirtual, type MemoryView, type VirtualRead } from './memview.ts';
import { LandmarkIndex, LANDMARK_KINDS, type LandmarkType, type LandmarkSummary } from './landmarks.ts';
import type { TraceEvent, TraceSink, EventType } from '../trace/events.ts';
import type { MachineSnapshot } from '../machine.ts';

export { LANDMARK_TYPES, type LandmarkType } from './landmarks.ts';

export interface PlayerInit { source: string; file?: string; knobs?: Record<string, string>; stdin?: string; budget?: number;
  /** The files the program `.include`s, by path relative to `file` (asm collectIncludes). */
  files?: Record<string, string> }

/** Feeds the landmark index; before the first checkpoint it also keeps every event (the
 *  prologue: process creation, which no replay can reach). */
class Recorder implements TraceSink {
  kinds: ReadonlySet<EventType> | undefined = undefined;
  marks: ReadonlySet<EventType> | undefined = undefined;
  prologue: TraceEvent[] | null = [];
  constructor(readonly index: LandmarkIndex) {}
  event(e: TraceEvent) {
    this.prologue?.push(e);
    if (LANDMARK_KINDS.has(e.type)) this.index.add(e.type as LandmarkType, e.seq, e.cycles);
  }
  mark(type: EventType, seq: number, cycles: number) { this.index.add(type as LandmarkType, seq, cycles); }
  /** From the first checkpoint on, the frequent landmarks are only marked (no event is built);
   *  the rare ones (VM exits and entries, exceptions, signals, exit) are built and the first
   *  KEEP of them kept, so the views' context (the last VM exit) rarely needs a replay. */
  landmarksOnly(kept: Map<number, TraceEvent>) {
    this.prologue = null; this.kinds = LANDMARK_KINDS; this.marks = FREQUENT;
    this.event = (e) => {
      this.index.add(e.type as LandmarkType, e.seq, e.cycles);
      if (kept.size < Player.KEEP) kept.set(e.seq, e);
    };
  }
}

/** Landmark kinds that can come every few instructions (a system-call loop): only marked. */
const FREQUENT: ReadonlySet<EventType> = new Set(['ring', 'syscall', 'libdune']);

/** Counts events without building them (fast replays). */
const COUNT: TraceSink = { countOnly: true, event() {} };

/** Collects the events of a window [from, to) during a replay. */
class Window implements TraceSink {
  events: TraceEvent[] = [];
  constructor(readonly from: number, readonly to: number) {}
  event(e: TraceEvent) { if (e.seq >= this.from && e.seq < this.to) this.events.push(e); }
}

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
/** What seek returns (the name the UI's protocol uses). */
export type SeekView = SeekResult;

const TRANSITIONS: readonly LandmarkType[] = ['ring', 'vmexit', 'vmentry', 'syscall', 'exception'];
const TRANSITION_KINDS: ReadonlySet<EventType> = new Set(TRANSITIONS);

export class Player {
  private session!: Session;
  private checkpoints: { seq: number; instret: number; snap: MachineSnapshot }[] = [];
  private every = 20_000;
  private everyEvents = 20_000;
  /** Events in the recorded run, and whether the program ended within the budget. */
  total = 0;
  finished = false;
  landmarks = new LandmarkIndex();
  private prologue: TraceEvent[] = [];
  /** The source line of each program instruction address. */
  private lineAt = new Map<number, number>();
  /** Where the cursor is: the seq of the last event shown (-1 before the first). */
  cursor = -1;
  /** The seq the machine's state is at (after a seek or memory request), or null after any
   *  other replay: derived views at the cursor reuse it instead of replaying again. */
  private at: number | null = null;
  private memo: { seq: number; maxNodes: number | undefined; view: MemoryView } | null = null;
  /** The machine just after the cursor's event: seq is the cursor, next the machine's seq then
   *  (the first event a replay from it can see). */
  private atCursor: { seq: number; next: number; snap: MachineSnapshot } | null = null;
  /** Landmark events held whole: the first KEEP rare ones, and the last few a seek fetched. */
  private kept = new Map<number, TraceEvent>();
  private fetched = new Map<number, TraceEvent>();
  static readonly KEEP = 65_536;

  load(init: PlayerInit): PlayerLoad {
    const it = this.recording(init);
    for (;;) { const r = it.next(false); if (r.done) return r.value; }
  }

  /** Record a run in slices: yields after each one (about `every` instructions); pass true to
   *  next() to stop there (the run so far stays seekable, like a budget). The worker drives it
   *  so that a stop request is seen between slices. */
  *recording(init: PlayerInit, landmarkCap = LandmarkIndex.CAP): Generator<void, PlayerLoad, boolean | undefined> {
    const a = assembleSource(init.source, init.file ?? 'program.s', filesReader(init.files));
    if (!a.ok) return { ok: false, diagnostics: a.diagnostics, errors: a.errors };
    const k = parseKnobs(init.knobs ?? {});
    if (!k.ok) return { ok: false, diagnostics: k.error };
    this.landmarks = new LandmarkIndex(landmarkCap);
    const rec = new Recorder(this.landmarks);
    this.session = new Session(a.program, { file: init.file, stdin: init.stdin, knobs: k.knobs, sink: rec });
    this.lineAt = new Map(a.program.instrs.map((i) => [i.addr, i.line]));
    const m = this.session.machine;
    const budget = init.budget ?? DEFAULT_BUDGET;
    m.instrLimit = budget; // a native waiting on its fault handler stops at the budget too
    this.checkpoints = [];
    this.every = 20_000;
    this.everyEvents = Player.EVENTS;
    this.at = null; this.memo = null; this.atCursor = null; this.kept = new Map(); this.fetched = new Map();
    let cancelled = false;
    // A checkpoint every `every` instructions or every `everyEvents` events, whichever comes first (a
    // single native routine can emit thousands of events; replays should not start far before).
    while (m.status === null && m.instret < budget) {
      this.checkpoint();
      if (rec.prologue) { this.prologue = rec.prologue; rec.landmarksOnly(this.kept); m.attach(rec); }
      const i0 = m.instret, s0 = m.seq;
      while (m.status === null && m.instret < budget && m.instret - i0 < this.every && m.seq - s0 < this.everyEvents) {
        m.run(Math.min(500, this.every - (m.instret - i0), budget - m.instret));
      }
      if (this.checkpoints.length > Player.MAX_CHECKPOINTS) this.thin();
      if (yield) { cancelled = true; break; }
    }
    this.total = m.seq;
    this.finished = m.status !== null;
    this.cursor = -1;
    return { ok: true, total: this.total, finished: this.finished, lines: init.source.split('\n').length,
      stopped: this.finished ? null : cancelled ? 'cancelled' : 'budget', instructions: m.instret,
      vmexits: { ...m.vmexits }, landmarks: this.landmarks.summary() };
  }

  static readonly EVENTS = 20_000;
  /** Checkpoints kept (small: the cache model is packed and memory copy-on-write); past it,
   *  every other one goes. More of them: shorter replays (a step in a system-call loop). */
  static readonly MAX_CHECKPOINTS = 1024;

  private checkpoint() {
    const m = this.session.machine;
    this.checkpoints.push({ seq: m.seq, instret: m.instret, snap: m.snapshot() });
  }
  /** Keep memory bounded: drop every other checkpoint and space later ones twice as far. */
  private thin() {
    this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 0);
    this.every *= 2;
    this.everyEvents *= 2;
  }

  /** Restore the last checkpoint at or before event seq (with a sink of our choosing). */
  private checkpointIndex(seq: number) {
    let i = this.checkpoints.length - 1;
    while (i > 0 && this.checkpoints[i].seq > Math.max(seq, 0)) i--;
    return i;
  }
  /** The seq of the checkpoint a replay to `seq` starts from. */
  private checkpointBefore(seq: number) { return this.checkpoints[this.checkpointIndex(seq)].seq; }
  /** Restore the latest saved state from which event seq can still be replayed: a checkpoint,
   *  or the state at the cursor when seq lies ahead of it (stepping forward replays only the
   *  step, not the checkpoint interval). */
  private rewind(seq: number, sink: TraceSink | null) {
    const m = this.session.machine;
    const ck = this.checkpoints[this.checkpointIndex(seq)];
    const here = this.atCursor;
    m.restore(here && here.next <= Math.max(seq, 0) && here.next > ck.seq ? here.snap : ck.snap);
    m.attach(sink);
    this.at = null;
  }

  /** Restore the checkpoint before `seq` and replay up to just before it counting events only
   *  (no event objects are built), then hand over to `sink` for the events from `seq` on. */
  private fastForward(seq: number, sink: TraceSink, pre: TraceSink = COUNT) {
    this.rewind(seq, pre);
    const m = this.session.machine;
    const stop = seq - 64; // stop a little early, then capture exactly, op by op
    // Batches sized so that even at 8 events per instruction they cannot pass `stop`.
    while (m.seq < stop && m.status === null) m.run(Math.max(1, Math.floor((stop - m.seq) / 8)));
    if (m.seq > seq) this.rewind(seq, sink); // one op emitted a burst past the target: replay it all
    else m.attach(sink);
  }

  /** The first event at or after `from` satisfying pred, in one replay pass (or null). kinds:
   *  the only event types pred can accept (the replay then builds no others). */
  scan(from: number, pred: (e: TraceEvent) => boolean, kinds?: ReadonlySet<EventType>): number | null {
    const first = this.checkpoints[0]?.seq ?? 0;
    for (let i = Math.max(0, from); i < first; i++) if (pred(this.prologue[i])) return i;
    let hit: number | null = null;
    const start = Math.max(from, first);
    const sink: TraceSink = { kinds, event: (e) => { if (hit === null && e.seq >= start && pred(e)) hit = e.seq; } };
    this.rewind(start, sink);
    const m = this.session.machine;
    while (hit === null && m.status === null && m.seq < this.total) m.step(Infinity, true);
    return hit;
  }

  /** The source line of the program instruction at rip, or undefined (libdune, libc, the kernel). */
  lineOf(rip: number): number | undefined { return this.lineAt.get(rip); }

  /** The last event with seq in [from, to] satisfying pred, in one replay pass (or null). */
  scanLast(from: number, to: number, pred: (e: TraceEvent) => boolean, kinds?: ReadonlySet<EventType>): number | null {
    from = Math.max(0, from); to = Math.min(to, this.total - 1);
    if (to < from) return null;
    const first = this.checkpoints[0]?.seq ?? 0;
    let hit: number | null = null;
    if (to >= first) {
      const sink: TraceSink = { kinds, event: (e) => { if (e.seq >= from && e.seq <= to && pred(e)) hit = e.seq; } };
      this.fastForward(Math.max(from, first), sink);
      this.session.machine.runUntilSeq(to);
      if (hit !== null) return hit;
    }
    for (let i = Math.min(to, first - 1); i >= from; i--) if (pred(this.prologue[i])) return i;
    return null;
  }

  /** Each source line's first instruction address (for breakpoints by line). */
  lineAddresses(): Map<number, number> {
    const out = new Map<number, number>();
    for (const i of this.session.program.instrs) if (!out.has(i.line)) out.set(i.line, i.addr);
    return out;
  }

  /** The next event after `after` of these landmark types: from the index, or, where the index
   *  is coarse, by a replay that the next indexed entry bounds. */
  nextOf(types: readonly LandmarkType[], after: number): number | null {
    if (types.every((t) => this.landmarks.exact(t))) return this.landmarks.next(types, after)?.seq ?? null;
    const kinds = new Set<EventType>(types);
    return this.scan(after + 1, (e) => kinds.has(e.type), kinds);
  }
  /** The last event at or before `at` of these landmark types (exact, as nextOf). */
  lastOf(types: readonly LandmarkType[], at: number): number | null {
    const bound = this.landmarks.atOrBefore(types, at)?.seq ?? null;
    if (types.every((t) => this.landmarks.exact(t))) return bound;
    const kinds = new Set<EventType>(types);
    return this.scanLast(bound ?? 0, at, (e) => kinds.has(e.type), kinds);
  }

  /** Move the cursor to event seq and describe the machine there, with the context the views
   *  show (last walk, last VM exit, the transition and its cost), in one replay where the context
   *  is near. "The state at event N" is the machine just after event N was emitted: the view is
   *  taken inside the sink at that event, so a VM exit, walk or TLB fill in the middle of one
   *  instruction shows the machine at that moment (its mode and CPL are the event's), not at the
   *  end of the instruction. `line` is the source line of the last program instruction that
   *  retired at or before N. */
  seek(seq: number): SeekResult {
    const first = this.checkpoints[0]?.seq ?? 0;
    seq = Math.max(first - 1, Math.min(seq, this.total - 1));
    const exitSeq = this.lastOf(['vmexit'], seq);
    const moveSeq = this.lastOf(TRANSITIONS, seq);
    // The next transition is needed only for its cycles: the index has them where it is exact.
    const exactMoves = TRANSITIONS.every((t) => this.landmarks.exact(t));
    const nextIndexed = moveSeq === null || !exactMoves ? null : this.landmarks.next(TRANSITIONS, seq);
    const nextMove = moveSeq === null || exactMoves ? null : this.nextOf(TRANSITIONS, seq);
    const want = new Map<number, TraceEvent | null>();
    for (const s of [exitSeq, moveSeq, nextMove]) if (s !== null) want.set(s, s < first ? this.prologue[s] : this.kept.get(s) ?? this.fetched.get(s) ?? null);
    // One replay: the event at seq, the last page walk in the 512 events up to it, and the
    // context events from the checkpoint on (the fast part builds only the transition kinds).
    let event: TraceEvent | null = seq < first ? this.prologue[seq] ?? null : null;
    let lastWalk: TraceEvent | null = null;
    let line: number | null = null;
    let view: MachineView | null = null;
    const from = seq - 512;
    const sink: TraceSink = { event: (e) => {
      if (e.seq === seq) { event = e; view = machineView(this.session); }
      if (e.seq >= from && e.seq <= seq) {
        if (e.type === 'walk') lastWalk = e;
        if (e.type === 'instr') line = this.lineAt.get(Number(BigInt(e.rip) & 0xffff_ffff_ffffn)) ?? line;
      }
      if (want.has(e.seq)) want.set(e.seq, e);
    } };
    const start = Math.max(from, first);
    const ck = this.checkpointBefore(start);
    // The rest of the context, from before that checkpoint or after the cursor (a replay each,
    // before the seek's own).
    for (const [s, e] of want) {
      if (e !== null || (s >= ck && s <= seq)) continue;
      const got = this.eventAt(s);
      want.set(s, got);
      if (got) { if (this.fetched.size >= 256) this.fetched.delete(this.fetched.keys().next().value!); this.fetched.set(s, got); }
    }
    // Only if a context event is still missing does the fast part build the transition kinds.
    const missing = [...want.values()].includes(null);
    const pre: TraceSink = missing ? { kinds: TRANSITION_KINDS, event: (e) => { if (want.has(e.seq)) want.set(e.seq, e); } } : COUNT;
    this.fastForward(start, sink, pre);
    const m = this.session.machine;
    m.runUntilSeq(seq);
    this.cursor = seq;
    this.at = seq;
    // Kept so that derived views (memory, bytes) at this cursor restore it instead of replaying.
    this.atCursor = { seq, next: m.seq, snap: m.snapshot() };
    const get = (s: number | null) => (s === null ? null : want.get(s) ?? null);
    const transition = get(moveSeq), afterCycles = nextIndexed?.cycles ?? get(nextMove)?.cycles;
    const v: MachineView = view ?? machineView(this.session);
    return { view: v, event, lastWalk, line: line ?? v.line, lastExit: get(exitSeq), transition,
      transitionCost: transition && afterCycles !== undefined ? afterCycles - transition.cycles : undefined };
  }

  /** The one event with this seq (a short replay), or null past the end. */
  eventAt(seq: number): TraceEvent | null { return this.events(seq, seq + 1)[0] ?? null; }

  /** The current process's memory at the cursor (page-table trees, EPT, address spaces),
   *  computed once per cursor. Other requests (events, find) replay past the cursor, so the
   *  machine is brought back to it first. */
  memory(opts?: { maxNodes?: number }): MemoryView {
    if (this.memo && this.memo.seq === this.cursor && this.memo.maxNodes === opts?.maxNodes) return this.memo.view;
    this.machineAtCursor();
    const view = memoryView(this.session, opts);
    this.memo = { seq: this.cursor, maxNodes: opts?.maxNodes, view };
    return view;
  }

  /** N bytes at virtual address va of the process at the cursor (memview.ts readVirtual). */
  readVirtual(va: number, n: number): VirtualRead {
    this.machineAtCursor();
    return readVirtual(this.session, va, n);
  }

  private machineAtCursor() {
    const first = this.checkpoints[0]?.seq ?? 0;
    if (this.at === this.cursor) return;
    if (this.atCursor?.seq === this.cursor) {
      this.session.machine.restore(this.atCursor.snap);
      this.session.machine.attach(COUNT);
    } else if (this.cursor >= first) {
      // Counting only: with no sink the machine emits nothing and seq would stand still.
      this.fastForward(this.cursor, COUNT);
      this.session.machine.runUntilSeq(this.cursor);
    } else {
      this.rewind(first, COUNT);
    }
    this.at = this.cursor;
  }

  /** The events with seq in [from, to) (at most 2,000). */
  events(from: number, to: number): TraceEvent[] {
    from = Math.max(0, from); to = Math.min(this.total, to, from + 2000);
    if (to <= from) return [];
    const first = this.checkpoints[0]?.seq ?? 0;
    const head = from < first ? this.prologue.slice(from, Math.min(to, first)) : [];
    if (to <= first) return head;
    const w = new Window(Math.max(from, first), to);
    this.fastForward(Math.max(from, first), w);
    this.session.machine.runUntilSeq(to - 1);
    return [...head, ...w.events];
  }

  /** The seq of the next (dir 1) or previous (dir -1) event from the cursor matching pred,
   *  from the landmark index for landmark types and by replay otherwise (kinds: the event types
   *  pred can accept, so the replay builds no others). */
  find(dir: 1 | -1, pred: (e: TraceEvent) => boolean, landmarkTypes?: LandmarkType[], kinds?: ReadonlySet<EventType>): number | null {
    if (landmarkTypes) return dir > 0 ? this.nextOf(landmarkTypes, this.cursor) : this.lastOf(landmarkTypes, this.cursor - 1);
    if (dir > 0) return this.scan(this.cursor + 1, pred, kinds);
    const span = 20_000;
    for (let to = this.cursor - 1; to >= 0; to -= span) {
      const hit = this.scanLast(Math.max(0, to - span + 1), to, pred, kinds);
      if (hit !== null) return hit;
    }
    return null;
  }
}
