// The landmark index of a recorded run: for each event type worth jumping to, the seq and cycles
// of its events in typed arrays (16 bytes each). Bounded: past CAP entries in all, the most
// numerous type keeps every other entry and records every other one from then on (coarser), and
// the player replays between entries to answer exactly. World: an observer above the engine.

import { EVENT_TYPES, type EventType } from '../trace/events.ts';
import { MarkFilter, type MarkLog } from '../trace/marklog.ts';

/** Event types worth jumping to. */
export const LANDMARK_TYPES = ['vmexit', 'vmentry', 'ring', 'syscall', 'exception', 'signal', 'exit', 'libdune'] as const satisfies readonly EventType[];
export type LandmarkType = (typeof LANDMARK_TYPES)[number];
export const LANDMARK_KINDS: ReadonlySet<EventType> = new Set(LANDMARK_TYPES);

/** One type's entries: entry i is that type's (i * stride)-th event of the run. The count of
 *  its events, the ordinal of the next one kept and the stride are the filter's (shared with the
 *  machine's mark log, which logs only the ones kept: MarkFilter). */
class Series {
  seq = new Float64Array(256);
  cycles = new Float64Array(256);
  n = 0;
  /** k: the type's index in EVENT_TYPES. */
  constructor(private readonly f: MarkFilter, private readonly k: number) {}
  get stride() { return this.f.stride[this.k]; }
  /** Events of this type seen in the run (kept or not). */
  get seen() { return this.f.seen[this.k]; }

  /** The next event of this type: kept if its ordinal is the next multiple of stride. */
  add(seq: number, cycles: number) {
    const f = this.f, k = this.k, o = f.seen[k]++;
    if (o !== f.next[k]) return false;
    f.next[k] = o + f.stride[k];
    this.push(seq, cycles);
    return true;
  }
  /** An event the mark log kept (its ordinal o, at the stride of then): kept still unless the
   *  series was thinned since (then only multiples of the new stride). */
  addLogged(seq: number, cycles: number, o: number) {
    // A multiple of the stride (a power of two: the quotient is exact; `%` on these doubles is a
    // slow call in V8).
    if (!Number.isInteger(o / this.f.stride[this.k])) return false;
    this.push(seq, cycles);
    return true;
  }
  private push(seq: number, cycles: number) {
    if (this.n === this.seq.length) {
      const s = new Float64Array(this.n * 2), c = new Float64Array(this.n * 2);
      s.set(this.seq); c.set(this.cycles);
      this.seq = s; this.cycles = c;
    }
    this.seq[this.n] = seq; this.cycles[this.n] = cycles; this.n++;
  }
  /** Keep entries 0, 2, 4, ... (ordinals that are multiples of the doubled stride). */
  thin() {
    const k = Math.ceil(this.n / 2);
    for (let i = 0; i < k; i++) { this.seq[i] = this.seq[2 * i]; this.cycles[i] = this.cycles[2 * i]; }
    const removed = this.n - k;
    this.n = k;
    const f = this.f, stride = (f.stride[this.k] *= 2);
    f.next[this.k] = Math.ceil(f.seen[this.k] / stride) * stride;
    // Release the unused half once it is large (the arrays would only grow back to this size).
    if (this.seq.length > 4 * k && this.seq.length > 1024) { this.seq = this.seq.slice(0, 2 * k); this.cycles = this.cycles.slice(0, 2 * k); }
    return removed;
  }
  /** Index of the first entry with seq > s (n if none). */
  after(s: number): number {
    let lo = 0, hi = this.n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.seq[mid] > s) hi = mid; else lo = mid + 1; }
    return lo;
  }
  bytes() { return this.seq.byteLength + this.cycles.byteLength; }
}

export interface LandmarkEntry { type: LandmarkType; seq: number; cycles: number }
export interface LandmarkSummary {
  /** Events of each type in the run. */
  counts: Record<LandmarkType, number>;
  /** Types whose index keeps only every k-th event (k: the value): finding one replays. */
  coarse: Partial<Record<LandmarkType, number>>;
}

export class LandmarkIndex {
  /** Entries held across all types (16 bytes each: 16 MiB at the cap). A coarse type costs a
   *  replay between its entries, and the types that come thick enough to be thinned come every
   *  few instructions, so that replay is short; a larger index cost the recording more (at 4 M
   *  entries, filling and copying it took a fifth of a system-call loop's recording). */
  static CAP = 1 << 20;
  /** What the machine's mark log keeps of each type (the recorder's MarkLog shares it). */
  readonly filter = new MarkFilter();
  private series = Object.fromEntries(LANDMARK_TYPES.map((t) => [t, new Series(this.filter, EVENT_TYPES.indexOf(t))])) as Record<LandmarkType, Series>;
  private held = 0;
  constructor(private cap = LandmarkIndex.CAP) {}

  /** Each type's series by its index in EVENT_TYPES (addLog). */
  private byKind = EVENT_TYPES.map((t) => (LANDMARK_KINDS.has(t) ? this.series[t as LandmarkType] : undefined));

  add(type: LandmarkType, seq: number, cycles: number) {
    if (this.series[type].add(seq, cycles) && ++this.held > this.cap) this.thinBiggest(this.series[type]);
  }
  /** The entries of a mark log made with this index's filter (the machine counted the marks it
   *  left out), in order. */
  addLog(log: MarkLog) {
    const byKind = this.byKind, { kind, seq, cycles, ord } = log;
    for (let i = 0; i < log.n; i++) {
      const r = byKind[kind[i]]!;
      if (r.addLogged(seq[i], cycles[i], ord[i]) && ++this.held > this.cap) this.thinBiggest(r);
    }
  }
  private thinBiggest(big: Series) {
    for (const t of LANDMARK_TYPES) if (this.series[t].n > big.n) big = this.series[t];
    this.held -= big.thin();
  }

  /** Every event of the type is in the index. */
  exact(type: LandmarkType): boolean { return this.series[type].stride === 1; }
  count(type: LandmarkType): number { return this.series[type].seen; }

  /** The first indexed event of these types with seq > s (or null). */
  next(types: readonly LandmarkType[], s: number): LandmarkEntry | null {
    let best: LandmarkEntry | null = null;
    for (const type of types) {
      const r = this.series[type], i = r.after(s);
      if (i < r.n && (best === null || r.seq[i] < best.seq)) best = { type, seq: r.seq[i], cycles: r.cycles[i] };
    }
    return best;
  }
  /** The last indexed event of these types with seq <= s (or null). */
  atOrBefore(types: readonly LandmarkType[], s: number): LandmarkEntry | null {
    let best: LandmarkEntry | null = null;
    for (const type of types) {
      const r = this.series[type], i = r.after(s) - 1;
      if (i >= 0 && (best === null || r.seq[i] > best.seq)) best = { type, seq: r.seq[i], cycles: r.cycles[i] };
    }
    return best;
  }
  /** The indexed seqs of one type, in order (tests, small runs). */
  seqs(type: LandmarkType): number[] { const r = this.series[type]; return Array.from(r.seq.subarray(0, r.n)); }

  summary(): LandmarkSummary {
    const counts = {} as Record<LandmarkType, number>, coarse: LandmarkSummary['coarse'] = {};
    for (const t of LANDMARK_TYPES) { counts[t] = this.series[t].seen; if (this.series[t].stride > 1) coarse[t] = this.series[t].stride; }
    return { counts, coarse };
  }
  bytes(): number { return LANDMARK_TYPES.reduce((n, t) => n + this.series[t].bytes(), 0); }
}
