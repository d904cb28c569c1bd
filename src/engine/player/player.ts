// Time travel over a run: the program runs once, recording checkpoints (machine snapshots) and a
// small index of landmark events; any point is then reached by restoring the nearest checkpoint
// and replaying deterministically (the engine gives byte-identical events). Stepping back is
// moving a cursor. World: an observer above the engine (it runs in the UI's Web Worker).

import { Session, assembleSource, DEFAULT_BUDGET } from '../session.ts';
import { parseKnobs } from '../knobs.ts';
import { filesReader } from '../asm/index.ts';
import { runBatch } from '../cpu/exec.ts';
import { CpuFault, VmExit, Halt } from '../cpu/fault.ts';
import { machineView, type MachineView } from './view.ts';
import { memoryView, readVirtual, type MemoryView, type VirtualRead } from './memview.ts';
import type { TraceEvent, TraceSink, EventType } from '../trace/events.ts';
import type { MachineSnapshot } from '../machine.ts';

export interface PlayerInit { source: string; file?: string; knobs?: Record<string, string>; stdin?: string; budget?: number;
  /** The files the program `.include`s, by path relative to `file` (asm collectIncludes). */
  files?: Record<string, string> }

/** Event types worth jumping to, kept for every event of the run (seq, type, and a label). */
export const LANDMARK_TYPES: ReadonlySet<EventType> = new Set(['vmexit', 'vmentry', 'ring', 'syscall', 'exception', 'signal', 'exit', 'libdune']);
export interface Landmark { seq: number; type: EventType; label: string; event: TraceEvent }

/** A sink that counts events and remembers landmarks; it builds nothing else. */
class Recorder implements TraceSink {
  readonly countOnly = false;
  landmarks: Landmark[] = [];
  /** The events before the first checkpoint (process creation), which no replay can reach. */
  prologue: TraceEvent[] | null = [];
  event(e: TraceEvent) {
    this.prologue?.push(e);
    if (LANDMARK_TYPES.has(e.type)) this.landmarks.push({ seq: e.seq, type: e.type, label: landmarkLabel(e), event: e });
  }
}

function landmarkLabel(e: TraceEvent): string {
  switch (e.type) {
    case 'vmexit': return e.name;
    case 'vmentry': return e.kind;
    case 'ring': return `${e.from}->${e.to} ${e.via}`;
    case 'syscall': return `${e.name} (${e.via})`;
    case 'exception': return e.name;
    case 'signal': return e.name;
    case 'exit': return `${e.how} ${e.code}`;
    case 'libdune': return e.fn;
    default: return e.type;
  }
}

/** Counts events without building them (fast replays). */
const COUNT: TraceSink = { countOnly: true, event() {} };

/** Collects the events of a window [from, to) during a replay. */
class Window implements TraceSink {
  events: TraceEvent[] = [];
  constructor(readonly from: number, readonly to: number) {}
  event(e: TraceEvent) { if (e.seq >= this.from && e.seq < this.to) this.events.push(e); }
}

/** What seek returns: the machine at event seq (see seek), the event, the last walk before it. */
export interface SeekView { view: MachineView; event: TraceEvent | null; lastWalk: TraceEvent | null; line: number | null }

export type PlayerLoad = { ok: true; total: number; finished: boolean; landmarks: Landmark[]; lines: number } | { ok: false; diagnostics: string };

export class Player {
  private session!: Session;
  private checkpoints: { seq: number; instret: number; snap: MachineSnapshot }[] = [];
  private every = 20_000;
  /** Events in the recorded run, and whether the program ended within the budget. */
  total = 0;
  finished = false;
  landmarks: Landmark[] = [];
  private prologue: TraceEvent[] = [];
  /** The source line of each program instruction address. */
  private lineAt = new Map<number, number>();
  /** Where the cursor is: the seq of the last event shown (-1 before the first). */
  cursor = -1;

  load(init: PlayerInit): PlayerLoad {
    const a = assembleSource(init.source, init.file ?? 'program.s', filesReader(init.files));
    if (!a.ok) return { ok: false, diagnostics: a.diagnostics };
    const k = parseKnobs(init.knobs ?? {});
    if (!k.ok) return { ok: false, diagnostics: k.error };
    const rec = new Recorder();
    this.session = new Session(a.program, { file: init.file, stdin: init.stdin, knobs: k.knobs, sink: rec });
    this.lineAt = new Map(a.program.instrs.map((i) => [i.addr, i.line]));
    const m = this.session.machine;
    const budget = init.budget ?? DEFAULT_BUDGET;
    m.instrLimit = budget; // a native waiting on its fault handler stops at the budget too
    this.checkpoints = [];
    this.every = 20_000;
    // A checkpoint every `every` instructions or every EVENTS events, whichever comes first (a
    // single native routine can emit thousands of events; replays should not start far before).
    while (m.status === null && m.instret < budget) {
      this.checkpoint();
      if (rec.prologue) { this.prologue = rec.prologue; rec.prologue = null; }
      const i0 = m.instret, s0 = m.seq;
      while (m.status === null && m.instret < budget && m.instret - i0 < this.every && m.seq - s0 < Player.EVENTS) {
        m.run(Math.min(500, this.every - (m.instret - i0), budget - m.instret));
      }
      if (this.checkpoints.length > Player.MAX_CHECKPOINTS) this.thin();
    }
    this.total = m.seq;
    this.finished = m.status !== null;
    this.landmarks = rec.landmarks;
    this.cursor = -1;
    return { ok: true, total: this.total, finished: this.finished, landmarks: this.landmarks, lines: init.source.split('\n').length };
  }

  static readonly EVENTS = 20_000;
  /** Checkpoints kept (each ~1.3 MB: mostly the cache model); past it, every other one goes. */
  static readonly MAX_CHECKPOINTS = 256;

  private checkpoint() {
    const m = this.session.machine;
    this.checkpoints.push({ seq: m.seq, instret: m.instret, snap: m.snapshot() });
  }
  /** Keep memory bounded: drop every other checkpoint and space later ones twice as far. */
  private thin() {
    this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 0);
    this.every *= 2;
  }

  /** Restore the last checkpoint at or before event seq (with a sink of our choosing). */
  private rewind(seq: number, sink: TraceSink | null) {
    let i = this.checkpoints.length - 1;
    while (i > 0 && this.checkpoints[i].seq > Math.max(seq, 0)) i--;
    const m = this.session.machine;
    m.restore(this.checkpoints[i].snap);
    m.attach(sink);
  }

  /** Restore the checkpoint before `seq` and replay up to just before it counting events only
   *  (no event objects are built), then hand over to `sink` for the events from `seq` on. */
  private fastForward(seq: number, sink: TraceSink) {
    this.rewind(seq, COUNT);
    const m = this.session.machine;
    const stop = seq - 64; // stop a little early, then capture exactly, op by op
    // Batches sized so that even at 8 events per instruction they cannot pass `stop`.
    while (m.seq < stop && m.status === null) m.run(Math.max(1, Math.floor((stop - m.seq) / 8)));
    if (m.seq > seq) this.rewind(seq, sink); // one op emitted a burst past the target: replay it all
    else m.attach(sink);
  }

  /** Run op by op until the machine has emitted event `seq` (or the run ends). */
  private replayThrough(seq: number) {
    const m = this.session.machine;
    while (m.seq <= seq && m.status === null) {
      try { runBatch(m, Infinity, true); } catch (e) {
        if (e instanceof CpuFault || e instanceof VmExit || e instanceof Halt) m.fault(e); else throw e;
      }
    }
  }

  /** The first event at or after `from` satisfying pred, in one replay pass (or null). */
  scan(from: number, pred: (e: TraceEvent) => boolean): number | null {
    const first = this.checkpoints[0]?.seq ?? 0;
    for (let i = Math.max(0, from); i < first; i++) if (pred(this.prologue[i])) return i;
    let hit: number | null = null;
    const start = Math.max(from, first);
    const sink: TraceSink = { event: (e) => { if (hit === null && e.seq >= start && pred(e)) hit = e.seq; } };
    this.rewind(start, sink);
    const m = this.session.machine;
    while (hit === null && m.status === null && m.seq < this.total) {
      try { runBatch(m, Infinity, true); } catch (e) {
        if (e instanceof CpuFault || e instanceof VmExit || e instanceof Halt) m.fault(e); else throw e;
      }
    }
    return hit;
  }

  /** The source line of the program instruction at rip, or undefined (libdune, libc, the kernel). */
  lineOf(rip: number): number | undefined { return this.lineAt.get(rip); }

  /** Each source line's first instruction address (for breakpoints by line). */
  lineAddresses(): Map<number, number> {
    const out = new Map<number, number>();
    for (const i of this.session.program.instrs) if (!out.has(i.line)) out.set(i.line, i.addr);
    return out;
  }

  /** Move the cursor to event seq and describe the machine there. "The state at event N" is the
   *  machine just after event N was emitted: the view is taken inside the sink at that event, so
   *  a VM exit, walk or TLB fill in the middle of one instruction shows the machine at that
   *  moment (its mode and CPL are the event's), not at the end of the instruction. `line` is the
   *  source line of the last program instruction that retired at or before N. */
  seek(seq: number): SeekView {
    const first = this.checkpoints[0]?.seq ?? 0;
    seq = Math.max(first - 1, Math.min(seq, this.total - 1));
    // One replay: the event at seq, the machine then, and the last page walk and retired
    // instruction in the 512 events up to it.
    let event: TraceEvent | null = seq < first ? this.prologue[seq] ?? null : null;
    let lastWalk: TraceEvent | null = null;
    let line: number | null = null;
    let view: MachineView | null = null;
    const from = seq - 512;
    const sink: TraceSink = { event: (e) => {
      if (e.seq < from || e.seq > seq) return;
      if (e.type === 'walk') lastWalk = e;
      if (e.type === 'instr') line = this.lineAt.get(Number(BigInt(e.rip) & 0xffff_ffff_ffffn)) ?? line;
      if (e.seq === seq) { event = e; view = machineView(this.session); }
    } };
    this.fastForward(Math.max(from, first), sink);
    this.replayThrough(seq);
    this.cursor = seq;
    const v: MachineView = view ?? machineView(this.session);
    return { view: v, event, lastWalk, line: line ?? v.line };
  }

  /** The current process's memory at the cursor (page-table trees, EPT, address spaces). Other
   *  requests (events, find) replay past the cursor, so the machine is brought back to it first. */
  memory(opts?: { maxNodes?: number }): MemoryView {
    this.machineAtCursor();
    return memoryView(this.session, opts);
  }

  /** N bytes at virtual address va of the process at the cursor (memview.ts readVirtual). */
  readVirtual(va: number, n: number): VirtualRead {
    this.machineAtCursor();
    return readVirtual(this.session, va, n);
  }

  private machineAtCursor() {
    const first = this.checkpoints[0]?.seq ?? 0;
    if (this.cursor >= first) {
      // Counting only: with no sink the machine emits nothing and seq would stand still.
      this.fastForward(this.cursor, COUNT);
      this.replayThrough(this.cursor);
    }
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
    this.replayThrough(to - 1);
    return [...head, ...w.events];
  }

  /** The seq of the next (dir 1) or previous (dir -1) event from the cursor matching pred,
   *  searching landmarks for landmark types and replaying otherwise. */
  find(dir: 1 | -1, pred: (e: TraceEvent) => boolean, landmarkTypes?: EventType[]): number | null {
    if (landmarkTypes) {
      const ls = this.landmarks.filter((l) => landmarkTypes.includes(l.type) && (dir > 0 ? l.seq > this.cursor : l.seq < this.cursor));
      const l = dir > 0 ? ls[0] : ls.at(-1);
      return l ? l.seq : null;
    }
    const span = 2000;
    if (dir > 0) return this.scan(this.cursor + 1, pred);
    else {
      for (let to = this.cursor; to > 0; to -= span) {
        const e = this.events(Math.max(0, to - span), to).filter(pred).at(-1);
        if (e) return e.seq;
      }
    }
    return null;
  }
}
