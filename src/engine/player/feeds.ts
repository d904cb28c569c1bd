// What a recording feeds besides its recorder (player.ts): a rider (a lesson's step probes,
// course/ride.ts StepRider) in the same pass, the ring of the run's first events, the window of
// the first events after the first checkpoint, and the bursts' last events kept from the ring;
// and a rider fed a recorded run by one replay. World: an observer above the engine.

import type { TraceEvent, TraceSink } from '../trace/events.ts';
import type { Machine } from '../machine.ts';
import type { Recorder } from './recorder.ts';
import type { Rider } from './api.ts';
import { Ring, Window, tee } from './sinks.ts';

/** Events the recording builds beside the recorder, and the sink it attaches. */
export class Feeds {
  /** How many events before a checkpoint after a burst are kept (Bursts). */
  static readonly BEFORE = 2_560;
  /** Events at the start of a run the ring may hold (libdune's set-up is there). */
  static readonly RING = 65_536;
  /** The first events after the first checkpoint kept whole (the timeline's first block). */
  static readonly HEAD = 2_560;

  /** Every event, built while `ringOn` in the run's first RING events: a checkpoint after a
   *  burst then keeps the events just before it (Bursts.keep) without replaying the burst. */
  readonly ring = new Ring(Feeds.BEFORE);
  ringOn = false;
  /** The first HEAD events after the first checkpoint (started when it is taken). */
  private head: Window | null = null;
  /** What is attached (a key of what is teed) and the recorder's marks then, or -1: re-attached
   *  only when that changes (each attach drains the marks and reads the sinks' kinds anew). */
  private attached = -1;
  private marks: Recorder['marks'] = undefined;

  constructor(private readonly m: Machine, private readonly rec: Recorder, private readonly rider?: Rider) {}

  /** Attach the recorder with the rider beside it while it wants events, the ring while it is
   *  on and the head window until it is full (nothing is done when that has not changed, unless
   *  `anew`: at each interval's start, after a yield). Call after the recorder's kinds change,
   *  and before each batch. */
  attach(anew = false) {
    const m = this.m, rider = this.rider;
    const riding = rider !== undefined && !rider.done, ringing = this.ringOn && m.seq < Feeds.RING;
    const heading = this.head !== null && m.seq < this.head.to;
    const key = (riding ? 1 : 0) | (ringing ? 2 : 0) | (heading ? 4 : 0) | (this.rec.watching ? 8 : 0);
    if (!anew && key === this.attached && this.marks === this.rec.marks) return;
    this.attached = key; this.marks = this.rec.marks;
    let s: TraceSink = riding ? tee(this.rec, rider) : this.rec;
    if (ringing) s = tee(s, this.ring);
    m.attach(heading ? tee(s, this.head!) : s);
  }

  /** Start the head window at the first checkpoint (later calls do nothing). */
  startHead(seq: number) { this.head ??= new Window(seq, seq + Feeds.HEAD); }
  /** The head window's events if whole (the run went past it, or ended inside it), else none. */
  headEvents(total: number): TraceEvent[] {
    const h = this.head;
    return h && h.events.length === Math.min(h.to, total) - h.from ? h.events : [];
  }
}

/** The last BEFORE events before a checkpoint that follows a burst, by checkpoint seq (the last
 *  few used): the timeline and the program view ask for windows there (the events just before
 *  a cursor past libdune's set-up), and each would replay the whole burst. */
export class Bursts {
  static readonly KEEP = 4;
  /** By checkpoint seq, least recently used first. */
  readonly map = new Map<number, { from: number; events: TraceEvent[] }>();

  /** The events kept before the checkpoint at seq, now the most recently used; or undefined. */
  get(seq: number) {
    const kept = this.map.get(seq);
    if (kept) { this.map.delete(seq); this.map.set(seq, kept); }
    return kept;
  }
  set(seq: number, kept: { from: number; events: TraceEvent[] }) {
    this.map.set(seq, kept);
    if (this.map.size > Bursts.KEEP) this.map.delete(this.map.keys().next().value!);
  }
  /** The events before the checkpoint at ckSeq (the one before it at prevSeq) made by one
   *  replay, and kept: `replay` restores the state before `start` with `w` to be attached from
   *  `start` on (inside the burst's op: Player.handOver). Null if the machine stopped short. */
  make(ckSeq: number, prevSeq: number, replay: (start: number, w: Window) => Machine) {
    const start = Math.max(ckSeq - Feeds.BEFORE, prevSeq);
    const w = new Window(start, ckSeq);
    const m = replay(start, w);
    // Batches may run past the burst's end (the window is attached inside it, at an event): only
    // the events are wanted here.
    while (m.seq < ckSeq && m.status === null) m.run(Math.max(1, Math.floor((ckSeq - m.seq) / 8)));
    if (w.events.length !== ckSeq - start) return null;
    const got = { from: start, events: w.events };
    this.set(ckSeq, got);
    return got;
  }
  /** The checkpoint at ckSeq follows a burst (the one before it at prevSeq): keep the events
   *  before it from the ring, if it holds them all. */
  keep(ring: Ring, ckSeq: number, prevSeq: number) {
    const from = Math.max(ckSeq - Feeds.BEFORE, prevSeq);
    const events = ring.slice(from, ckSeq);
    if (events) this.set(ckSeq, { from, events });
  }
}

/** Feed a rider a recorded run from its first event, in one replay that ends when the rider is
 *  done (or at the run's end `total`): the prologue from the copy kept of it (its events before
 *  `first`, the first checkpoint's seq), the rest replayed from there (`rewind` restores the
 *  first checkpoint with the rider attached). */
export function ride(rider: Rider, prologue: readonly TraceEvent[], first: number, total: number,
  rewind: (seq: number, sink: TraceSink) => Machine) {
  for (let i = 0; i < first && !rider.done; i++) {
    const e = prologue[i];
    if (rider.kinds && !rider.kinds.has(e.type)) continue;
    if (rider.marks?.has(e.type) && rider.mark) rider.mark(e.type, e.seq, e.cycles); else rider.event(e);
  }
  if (rider.done) return;
  const m = rewind(first, rider);
  // As Player.scan: one op, then batches doubling to 4,096 instructions (the rider ignores what
  // follows its last cursor).
  for (let n = 1; !rider.done && m.status === null && m.seq < total; n = Math.min(2 * n, 4096)) m.step(n, n === 1);
}
