// Time travel over a run: the program runs once, recording checkpoints (machine snapshots) and a
// small index of landmark events; any point is then reached by restoring the nearest checkpoint
// and replaying deterministically (the engine gives byte-identical events). Stepping back is
// moving a cursor. World: an observer above the engine (it runs in the UI's Web Worker).

import { Session, assembleSource, DEFAULT_BUDGET } from '../session.ts';
import { parseKnobs } from '../knobs.ts';
import { filesReader } from '../asm/index.ts';
import { machineView, type MachineView } from './view.ts';
import { memoryView, readVirtual, type MemoryView, type VirtualRead } from './memview.ts';
import { LandmarkIndex, type LandmarkType } from './landmarks.ts';
import type { TraceEvent, TraceSink, EventType } from '../trace/events.ts';
import { COUNT, Window, unbuiltKinds, tee } from './sinks.ts';
import { Feeds, Bursts, ride } from './feeds.ts';
import type { MachineSnapshot } from '../machine.ts';
import { Recorder, type Tail } from './recorder.ts';

export { LANDMARK_TYPES, type LandmarkType } from './landmarks.ts';
export type { PlayerInit, ScanMarks, PlayerLoad, SeekResult, SeekProbe, SeekView, FindOptions, Rider } from './api.ts';
import type { PlayerInit, ScanMarks, PlayerLoad, SeekResult, SeekProbe, FindOptions, Rider } from './api.ts';


interface Checkpoint { seq: number; instret: number; snap: MachineSnapshot; tail?: Tail;
  /** The interval before it ended on a burst (one op of thousands of events: libdune's set-up). */
  burst?: boolean }


const TRANSITIONS: readonly LandmarkType[] = ['ring', 'vmexit', 'vmentry', 'syscall', 'exception'];
const TRANSITION_KINDS: ReadonlySet<EventType> = new Set(TRANSITIONS);

export class Player {
  private session!: Session;
  private checkpoints: Checkpoint[] = [];
  /** A checkpoint every EVERY instructions or EVENTS events, whichever comes first (thin()
   *  doubles both). */
  static readonly EVERY = 20_000;
  static readonly EVENTS = 20_000;
  private every = Player.EVERY;
  private everyEvents = Player.EVENTS;
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
  /** The run's first libdune events (up to 256; Recorder.early), in order. */
  earlyLibdune: readonly TraceEvent[] = [];
  /** Landmark events held whole: the first KEEP rare ones, and the last few a seek fetched. */
  private kept = new Map<number, TraceEvent>();
  private fetched = new Map<number, TraceEvent>();
  static readonly KEEP = 65_536;
  /** The events before the checkpoints that follow bursts (feeds.ts). */
  private bursts = new Bursts();
  /** The first HEAD events from the first checkpoint on, built during the recording (the
   *  timeline's first block, asked for at every landing; often inside a burst: exec's set-up). */
  private head: TraceEvent[] = [];
  /** The batches that emitted bursts, as [from, to): `from` is the op boundary the batch started
   *  at, `to` the checkpoint after it (in seq order). A replay to a point inside one counts up to
   *  `from` and hands over inside the op there, in one pass (fastForward). */
  private burstSpans: { from: number; to: number }[] = [];

  load(init: PlayerInit): PlayerLoad {
    const it = this.recording(init);
    for (;;) { const r = it.next(false); if (r.done) return r.value; }
  }

  /** Record a run in slices: yields after each one (about `every` instructions); pass true to
   *  next() to stop there (the run so far stays seekable, like a budget). The worker drives it
   *  so that a stop request is seen between slices. A rider (a lesson's step probes) is fed
   *  the run's events from the first, in the same pass, until it is done. */
  *recording(init: PlayerInit, landmarkCap = LandmarkIndex.CAP, rider?: Rider): Generator<void, PlayerLoad, boolean | undefined> {
    const a = assembleSource(init.source, init.file ?? 'program.s', filesReader(init.files));
    if (!a.ok) return { ok: false, diagnostics: a.diagnostics, errors: a.errors };
    const k = parseKnobs(init.knobs ?? {});
    if (!k.ok) return { ok: false, diagnostics: k.error };
    this.landmarks = new LandmarkIndex(landmarkCap);
    this.lineAt = new Map(a.program.instrs.map((i) => [i.addr, i.line]));
    const rec = new Recorder(this.landmarks, this.lineAt, Player.KEEP);
    this.session = new Session(a.program, { file: init.file, stdin: init.stdin, knobs: k.knobs, sink: rider ? tee(rec, rider) : rec });
    const m = this.session.machine;
    // The rider, the ring of first events and the head window beside the recorder (feeds.ts).
    const feeds = new Feeds(m, rec, rider);
    const budget = init.budget ?? DEFAULT_BUDGET;
    m.instrLimit = budget; // a native waiting on its fault handler stops at the budget too
    this.checkpoints = [];
    this.every = Player.EVERY;
    this.everyEvents = Player.EVENTS;
    this.at = null; this.memo = null; this.atCursor = null; this.kept = new Map(); this.fetched = new Map(); this.bursts = new Bursts(); this.head = []; this.burstSpans = [];
    let cancelled = false;
    // A checkpoint every `every` instructions or `everyEvents` events, whichever comes first (a
    // native routine can emit thousands of events; replays should not start far before).
    // Batches grow from one op after each checkpoint, and one that emits a burst (a quarter of
    // the interval's events: libdune's set-up) ends the interval, so a checkpoint follows the
    // burst closely and replays after it skip it. Bursts come in runs near the start, so the
    // first batches of the first interval and of one after a burst are watched (Tail: an
    // interval that ends there hands its tail to the next checkpoint), and the ring is on while
    // watching and for all of an interval after a burst. In a steady loop neither is: they built
    // events nothing read (a fifth of a cold memory-loop recording). Where they were off, the
    // seek that needs a tail or a burst's last events replays for them (fill, burstTail).
    let tail: Tail | undefined;
    let burst = false;
    for (let first = true; m.status === null && m.instret < budget; first = false) {
      this.checkpoints.push({ seq: m.seq, instret: m.instret, snap: m.snapshot(), tail, burst });
      const ci = this.checkpoints.length - 1;
      if (burst && ci > 0) this.bursts.keep(feeds.ring, m.seq, this.checkpoints[ci - 1].seq);
      feeds.startHead(m.seq);
      tail = undefined;
      const afterBurst = burst;
      burst = false;
      if (rec.prologue) { this.prologue = rec.prologue; rec.landmarksOnly(this.kept); }
      const i0 = m.instret, s0 = m.seq;
      rec.watch(first || afterBurst);
      feeds.ringOn = first || afterBurst;
      feeds.attach(true);
      for (let batch = 1; m.status === null && m.instret < budget && m.instret - i0 < this.every && m.seq - s0 < this.everyEvents; batch = Math.min(500, batch * 2)) {
        const s1 = m.seq;
        if (rec.watching && batch > Player.WATCH) { rec.watch(false); feeds.ringOn = afterBurst; }
        feeds.attach();
        m.run(Math.min(batch, this.every - (m.instret - i0), budget - m.instret));
        if (m.seq - s1 >= this.everyEvents / 4) { burst = true; this.burstSpans.push({ from: s1, to: m.seq }); break; }
      }
      if (rec.watching) {
        const near = m.seq - 512;
        tail = { walk: rec.lastWalk && rec.lastWalk.seq >= near ? rec.lastWalk : null, line: rec.lastLine && rec.lastLine.seq >= near ? rec.lastLine : null };
        rec.watch(false);
      }
      if (this.checkpoints.length > Player.MAX_CHECKPOINTS) this.thin();
      m.drainMarks(); // the index is whole between slices
      if (yield) { cancelled = true; break; }
    }
    m.drainMarks();
    this.total = m.seq;
    this.head = feeds.headEvents(m.seq);
    this.earlyLibdune = rec.early;
    this.finished = m.status !== null;
    this.cursor = -1;
    return { ok: true, total: this.total, finished: this.finished, lines: init.source.split('\n').length,
      stopped: this.finished ? null : cancelled ? 'cancelled' : 'budget', instructions: m.instret,
      vmexits: { ...m.vmexits }, landmarks: this.landmarks.summary() };
  }

  /** Batches up to this size after a checkpoint are watched (the first 127 instructions). */
  static readonly WATCH = 64;
  /** Checkpoints kept (small: the cache model is packed and memory copy-on-write); past it,
   *  every other one goes. More of them: shorter replays (a step in a system-call loop). */
  static readonly MAX_CHECKPOINTS = 2048;

  /** Keep memory bounded: drop every other checkpoint and space later ones twice as far. */
  private thin() {
    this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 0);
    this.every *= 2;
    this.everyEvents *= 2;
  }

  /** The index of the last checkpoint at or before event seq. */
  private checkpointIndex(seq: number) {
    let i = this.checkpoints.length - 1;
    while (i > 0 && this.checkpoints[i].seq > Math.max(seq, 0)) i--;
    return i;
  }
  /** Restore the latest saved state from which event seq can still be replayed: a checkpoint,
   *  or the state at the cursor when seq lies ahead of it (stepping forward replays only the
   *  step, not the checkpoint interval). */
  private rewind(seq: number, sink: TraceSink | null) {
    const m = this.session.machine;
    m.restore(this.resumePoint(seq).snap);
    m.attach(sink);
    this.at = null;
  }
  /** The saved state rewind(seq) restores, and the first event a replay from it sees. */
  private resumePoint(seq: number): { from: number; snap: MachineSnapshot } {
    const ck = this.checkpoints[this.checkpointIndex(seq)];
    const here = this.atCursor;
    return here && here.next <= Math.max(seq, 0) && here.next > ck.seq ? { from: here.next, snap: here.snap } : { from: ck.seq, snap: ck.snap };
  }

  /** Restore the checkpoint before `seq` and replay up to just before it counting events only
   *  (no event objects are built), then hand over to `sink` for the events from `seq` on. */
  private fastForward(seq: number, sink: TraceSink, pre: TraceSink = COUNT) {
    const from = this.resumePoint(seq).from;
    this.rewind(seq, pre);
    const m = this.session.machine;
    // Where `seq` lies in a batch that emitted a burst, count only up to the batch's start (or
    // the resume point, if inside it: both op boundaries) and hand over there: the burst's op is
    // replayed once. Else stop a little before `seq`, then capture exactly, op by op.
    const span = this.burstSpan(seq);
    const stop = span ? Math.max(span.from, from) : seq - 64;
    // Batches sized so that even at 8 events per instruction they cannot pass `stop`.
    while (m.seq < stop && m.status === null) m.run(Math.max(1, Math.floor((stop - m.seq) / 8)));
    if (span && m.seq === stop) m.attach(this.handOver(seq, sink, pre, stop));
    // One op emitted a burst past the target (libdune's set-up: tens of thousands of events in
    // one native routine): replay it, building events only from a little before the target.
    else if (m.seq > seq) this.rewind(seq, this.handOver(seq, sink, pre));
    else m.attach(sink);
  }

  /** The recorded burst batch holding event seq, or null. */
  private burstSpan(seq: number): { from: number; to: number } | null {
    const spans = this.burstSpans;
    let lo = 0, hi = spans.length; // the first span ending after seq
    while (lo < hi) { const mid = (lo + hi) >> 1; if (spans[mid].to <= seq) lo = mid + 1; else hi = mid; }
    const span = spans[lo];
    return span && span.from <= seq ? span : null;
  }

  /** Events before a burst's target are counted (or given to `pre`) and the rest built for
   *  `sink`: the sink is attached inside the op, HANDOVER events before the target (at once
   *  where the replay is at an op boundary `from` no further back than that). A body is
   *  prepared before its event is emitted (a walk's record, its A/D events: a few events at most),
   *  so the first events after the hand-over may be short of fields; every sink here ignores
   *  events before its target, and the margin keeps those well before it. */
  private handOver(seq: number, sink: TraceSink, pre: TraceSink, from = this.resumePoint(seq).from): TraceSink {
    const at = seq - Player.HANDOVER;
    const m = this.session.machine;
    if (from >= at) return sink;
    const marks = unbuiltKinds(pre);
    return { marks, mark: (_type, s) => { if (s >= at) m.attach(sink); },
      event: (e) => { pre.event(e); if (e.seq >= at) m.attach(sink); } };
  }
  /** How many events before its target a burst's replay starts building them (Player.handOver). */
  static readonly HANDOVER = 256;

  /** The first event at or after `from` satisfying pred, in one replay pass (or null). kinds:
   *  the only event types pred can accept (the replay then builds no others). */
  scan(from: number, pred: (e: TraceEvent) => boolean, kinds?: ReadonlySet<EventType>, marks?: ScanMarks): number | null {
    const first = this.checkpoints[0]?.seq ?? 0;
    for (let i = Math.max(0, from); i < first; i++) if (pred(this.prologue[i])) return i;
    let hit: number | null = null;
    const start = Math.max(from, first);
    const end = this.total;
    const sink: TraceSink = { kinds, event: (e) => { if (hit === null && e.seq >= start && e.seq < end && pred(e)) hit = e.seq; },
      marks: marks?.kinds, mark: marks && ((type, seq, cycles) => { if (hit === null && seq >= start && seq < end) marks.mark(type, seq, cycles); }) };
    this.rewind(start, sink);
    const m = this.session.machine;
    // One op at first (a step's next match is usually near), then in batches that double up to
    // 4,096 instructions (a lesson step's probes read a whole run): the sink keeps the first hit,
    // so running past it costs a little time, never a different answer; rewind left `at` unknown.
    for (let n = 1; hit === null && m.status === null && m.seq < end; n = Math.min(2 * n, 4096)) m.step(n, n === 1);
    return hit;
  }

  /** Feed a rider the recorded run from its first event, in one replay that ends when the rider
   *  is done (or at the end of the run): the prologue from the copy kept of it, the rest replayed
   *  from the first checkpoint with the rider as the sink. */
  ride(rider: Rider): void {
    const rewind = (seq: number, sink: TraceSink) => { this.rewind(seq, sink); return this.session.machine; };
    ride(rider, this.prologue, this.checkpoints[0]?.seq ?? 0, this.total, rewind); // rewind left `at` unknown
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
  seek(seq: number): SeekResult;
  seek<T>(seq: number, probe: SeekProbe<T>): SeekResult & { probe: T | null };
  seek<T>(seq: number, probe?: SeekProbe<T>): SeekResult & { probe?: T | null } {
    const first = this.checkpoints[0]?.seq ?? 0;
    seq = Math.max(first - 1, Math.min(seq, this.total - 1));
    const exitSeq = this.lastOf(['vmexit'], seq);
    // The next transition is needed only for its cycles: the index has them where it is exact.
    const exactMoves = TRANSITIONS.every((t) => this.landmarks.exact(t));
    // Where the index is coarse (a system-call loop), the last transition is looked for in the
    // seek's own replay first (it is usually a few events back), and the next one just after it.
    const inReplay = !exactMoves && seq >= first;
    let seenMove: TraceEvent | null = null, seenNext: number | undefined;
    const moveSeq = inReplay ? null : this.lastOf(TRANSITIONS, seq);
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
    let probed: T | null = null, taken = false;
    const from = seq - 512;
    // Where the window starts: 512 events back, or, where that is before the checkpoint the
    // cursor's replay starts from, at that checkpoint, with the tail it keeps of the events
    // before it (filled here, by a replay from the tail's start, if not known yet).
    const ci = this.checkpointIndex(seq), near = this.checkpoints[ci];
    const split = ci > 0 && from < near.seq;
    const tail = split ? near.tail : undefined;
    const fill = split && !tail ? near : null;
    let fillWalk: TraceEvent | null = null, fillLine: Tail['line'] = null;
    const sink: TraceSink = { event: (e) => {
      if (e.seq === seq) {
        event = e; view = machineView(this.session);
        if (probe) { probed = probe.take(this.session, seq); taken = true; }
      }
      if (e.seq >= from && e.seq <= seq) {
        if (e.type === 'walk') lastWalk = e;
        if (e.type === 'instr') line = this.lineAt.get(Number(BigInt(e.rip) & 0xffff_ffff_ffffn)) ?? line;
      }
      if (fill && e.seq >= fill.seq - 512 && e.seq < fill.seq) {
        if (e.type === 'walk') fillWalk = e;
        if (e.type === 'instr') { const l = this.lineAt.get(Number(BigInt(e.rip) & 0xffff_ffff_ffffn)); if (l !== undefined) fillLine = { seq: e.seq, line: l }; }
      }
      if (want.has(e.seq)) want.set(e.seq, e);
      if (inReplay && TRANSITION_KINDS.has(e.type)) {
        if (e.seq <= seq) seenMove = e;
        else if (seenNext === undefined) seenNext = e.cycles;
      }
      // Past the cursor only transitions are read (the next one, its cycles): the rest of the
      // op (a burst's) runs without building the other kinds.
      if (e.seq >= seq) this.session.machine.attach(ahead);
    } };
    const ahead: TraceSink = { kinds: TRANSITION_KINDS, event: (e) => {
      if (want.has(e.seq)) want.set(e.seq, e);
      if (inReplay && e.seq > seq && seenNext === undefined) seenNext = e.cycles;
    } };
    const base = tail ? near.seq : Math.max(fill ? near.seq - 512 : from, first);
    // The heap probe needs its window of events before the cursor too.
    const start = probe ? Math.max(Math.min(base, seq - probe.window), first) : base;
    const ck = this.resumePoint(start).from;
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
    if (probe) probe.install(this.session);
    this.fastForward(start, sink, pre);
    const m = this.session.machine;
    try { m.runUntilSeq(seq); } finally { if (probe) { if (!taken) probed = probe.take(this.session, seq); probe.remove(); } }
    if (fill) fill.tail = { walk: fillWalk, line: fillLine };
    const before = tail ?? fill?.tail;
    if (before) {
      if (lastWalk === null && before.walk && before.walk.seq >= from) lastWalk = before.walk;
      if (line === null && before.line && before.line.seq >= from) line = before.line.line;
    }
    this.cursor = seq;
    this.at = seq;
    // Kept so that derived views (memory, bytes) at this cursor restore it instead of replaying.
    this.atCursor = { seq, next: m.seq, snap: m.snapshot() };
    const get = (s: number | null) => (s === null ? null : want.get(s) ?? null);
    let transition = get(moveSeq), afterCycles = nextIndexed?.cycles ?? get(nextMove)?.cycles;
    const v: MachineView = view ?? machineView(this.session);
    if (inReplay) {
      if (seenMove === null) {
        // Not in the replayed stretch: find it as before (a replay bounded by the index).
        const s = this.lastOf(TRANSITIONS, seq);
        seenMove = s === null ? null : s < first ? this.prologue[s] : this.kept.get(s) ?? this.fetched.get(s) ?? this.eventAt(s);
      }
      transition = seenMove;
      afterCycles = transition ? seenNext ?? this.nextTransitionCycles(seq) : undefined;
    }
    const r: SeekResult = { view: v, event, lastWalk, line: line ?? v.line, lastExit: get(exitSeq), transition,
      transitionCost: transition && afterCycles !== undefined ? afterCycles - transition.cycles : undefined };
    return probe ? { ...r, probe: probed } : r;
  }

  /** The cycles of the first transition after seq (the cursor), by running on from the state
   *  kept at the cursor up to the next indexed one (which bounds it); undefined if none follows. */
  private nextTransitionCycles(seq: number): number | undefined {
    const bound = this.landmarks.next(TRANSITIONS, seq);
    const here = this.atCursor;
    if (!here || here.seq !== seq) return bound?.cycles;
    const m = this.session.machine;
    m.restore(here.snap);
    let hit: number | undefined;
    m.attach({ kinds: TRANSITION_KINDS, event: (e) => { if (hit === undefined && e.seq > seq && TRANSITION_KINDS.has(e.type)) hit = e.cycles; } });
    this.at = null;
    while (hit === undefined && m.status === null && m.seq < this.total && (bound === null || m.seq <= bound.seq)) m.step(Infinity, true);
    return hit ?? bound?.cycles;
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

  /** fn over the session at the cursor, for views derived from the machine state (the Wedge
   *  view): fn only reads it (no step, no MMU access). */
  inspect<T>(fn: (s: Session) => T): T {
    this.machineAtCursor();
    return fn(this.session);
  }

  /** The session as the machine is now: inside a `scan` predicate, just after that event (the
   *  sandbox view reads the registers at each ring transition). Read only. */
  get live(): Session { return this.session; }

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
    const lo = Math.max(from, first);
    if (to <= first + this.head.length) return [...head, ...this.head.slice(lo - first, to - first)];
    // A window that starts in the last events of a burst before a checkpoint: those from the
    // kept copy (made by one replay of the burst the first time), the rest from the checkpoint.
    const ci = this.checkpointIndex(lo) + 1, ck = this.checkpoints[ci];
    const kept = ck?.burst && ck.seq > lo && ck.seq - lo <= Feeds.BEFORE && lo >= this.checkpoints[ci - 1].seq ? this.burstTail(ci) : null;
    if (kept) {
      const part = kept.events.slice(lo - kept.from, Math.min(to, ck.seq) - kept.from);
      if (to <= ck.seq) return [...head, ...part];
      const w = new Window(ck.seq, to);
      this.fastForward(ck.seq, this.upTo(w));
      this.session.machine.runUntilSeq(to - 1);
      return [...head, ...part, ...w.events];
    }
    const w = new Window(lo, to);
    this.fastForward(lo, this.upTo(w));
    this.session.machine.runUntilSeq(to - 1);
    return [...head, ...w.events];
  }

  /** `w` until its last event, then counting only: a window inside a burst does not build the
   *  rest of the burst's op (which runs to its end; the machine's state is not kept). */
  private upTo(w: Window): TraceSink {
    const m = this.session.machine, last = w.to - 1;
    return { event: (e) => { w.event(e); if (e.seq >= last) m.attach(COUNT); } };
  }

  /** The events [ck.seq - BEFORE, ck.seq) before checkpoint ci (not before the checkpoint ahead
   *  of it): kept, or built by one replay of the interval (counted until a little before them);
   *  null if the machine stopped short of the checkpoint. */
  private burstTail(ci: number): { from: number; events: TraceEvent[] } | null {
    const ck = this.checkpoints[ci];
    return this.bursts.get(ck.seq) ??
      this.bursts.make(ck.seq, this.checkpoints[ci - 1].seq, (start, w) => { this.fastForward(start, w); return this.session.machine; });
  }

  /** The seq of the next (dir 1) or previous (dir -1) event matching pred, strictly after (or
   *  before) event `from` (default: the cursor, which never moves here). From the landmark index
   *  for landmark types and by replay otherwise (kinds: the event types pred can accept, so the
   *  replay builds no others). */
  find(dir: 1 | -1, pred: (e: TraceEvent) => boolean, opts: FindOptions = {}): number | null {
    const from = opts.from ?? this.cursor;
    const { landmarks, kinds } = opts;
    if (landmarks) return dir > 0 ? this.nextOf(landmarks, from) : this.lastOf(landmarks, from - 1);
    if (dir > 0) return this.scan(from + 1, pred, kinds);
    const span = 20_000;
    for (let to = from - 1; to >= 0; to -= span) {
      const hit = this.scanLast(Math.max(0, to - span + 1), to, pred, kinds);
      if (hit !== null) return hit;
    }
    return null;
  }
}
