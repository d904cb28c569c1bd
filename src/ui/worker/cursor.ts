// One cursor move, answered in one message (issue 8: "derived views computed once per cursor in
// the worker"): the seek's view and context, plus what the other views used to ask for after each
// move in requests of their own (the swimlanes' transitions around the cursor, the program
// view's lines of the step just made, the Wedge view). One round trip and one render per step.
// No bundler imports (node tests use it).

import type { Player } from '../../engine/player/player.ts';
import type { LandmarkType } from '../../engine/player/landmarks.ts';
import type { TraceEvent, EventType } from '../../engine/trace/events.ts';
import type { SeekResult } from '../../engine/player/api.ts';
import type { MachineView } from '../../engine/player/view.ts';
import { sameData } from '../state/share.ts';
import { wedgeView, type WedgeView } from './wedge.ts';
import { EVENT_BLOCK, ROWS_AROUND, VIEW_PARTS, type EventBlock, type SentPart, type ViewPart } from './protocol.ts';

/** A step longer than this (a `continue` across a loop) marks only its last events' lines. */
export const MAX_STEP_EVENTS = 2000;
/** Transitions before and after the cursor the swimlanes draw from (a bar each side to spare). */
export const LANE_AROUND = 13;
export const LANE_TYPES: readonly LandmarkType[] = ['ring', 'vmexit', 'vmentry', 'syscall', 'exception'];

/** What a cursor move answers: the seek, the cursor's seq, and the views derived there. */
export interface CursorResult extends Omit<SeekResult, 'view'> {
  seq: number;
  /** The machine at the cursor. Sent to a page cache (the request's `rows`), the parts equal to
   *  what an earlier answer to that cache carried are left out and named in `same` (RowBlocks). */
  view: SentView;
  /** The swimlanes' landmark events (LANE_TYPES, LANE_AROUND each side of the cursor); left out
   *  like a view part when `same` names 'lanes'. */
  lanes: TraceEvent[];
  /** Source lines the events of the move name (from the previous cursor; empty without one). */
  stepLines: number[];
  /** The Wedge view at the cursor (null: no sthreads there). */
  wedge: WedgeView | null;
  /** The timeline's rows around the cursor: the event blocks (EVENT_BLOCK events each, by block
   *  number) the page's cache named in the request has not been sent yet (RowBlocks). */
  blocks?: EventBlock[];
  /** render's block: the parts left out, each with the number of the answer to this cache that
   *  carried it (the page keeps the last one of each: state/eventBlocks.ts expand). */
  same?: { [K in SentPart]?: number };
  /** This answer's number among those sent to its page cache (from 1). */
  answer?: number;
}

// --- render's block (issue 8, in-page step): the timeline's rows ride the cursor answer ---------


/** A machine view as a cursor answer carries it: the parts in `same` are absent. */
export type SentView = Omit<MachineView, ViewPart> & Partial<Pick<MachineView, ViewPart>>;

/** A cursor answer with its view whole again (the page fills the parts left out: EventBlocks.expand). */
export type CursorView = Omit<CursorResult, 'view' | 'same'> & { view: MachineView };

/** What this worker has sent one page cache (named by the page: a new cache, or a new run,
 *  starts from nothing, so the next answer is whole): the event blocks, and the last value of
 *  each view part with the number of the answer that carried it. A block the page fetched itself
 *  may be sent once more: the page keeps the first copy it has. */
export class RowBlocks {
  private player: Player | null = null;
  private cache = -1;
  private sent = new Set<number>();
  private parts = new Map<SentPart, { answer: number; value: unknown }>();
  private answers = 0;

  /** The last blocks built (any cache's), by block: a short step's events, and a block a new
   *  cache lacks, are read here, without a replay. */
  private recent = new Map<number, TraceEvent[]>();
  static readonly RECENT = 16;

  private use(player: Player, cache: number) {
    if (player !== this.player) this.recent = new Map();
    if (player !== this.player || cache !== this.cache) {
      this.player = player; this.cache = cache; this.sent = new Set(); this.parts = new Map(); this.answers = 0;
    }
  }
  private block(player: Player, b: number): TraceEvent[] {
    let evs = this.recent.get(b);
    if (evs) this.recent.delete(b);
    else evs = player.events(b * EVENT_BLOCK, (b + 1) * EVENT_BLOCK);
    this.recent.set(b, evs);
    if (this.recent.size > RowBlocks.RECENT) this.recent.delete(this.recent.keys().next().value!);
    return evs;
  }

  /** Events [from, to) if every block they fall in was built lately for this player (else null). */
  kept(player: Player, from: number, to: number): TraceEvent[] | null {
    if (player !== this.player || to <= from) return null;
    const out: TraceEvent[] = [];
    for (let b = Math.floor(from / EVENT_BLOCK); b * EVENT_BLOCK < to; b++) {
      const evs = this.recent.get(b);
      if (!evs) return null;
      for (const e of evs) if (e.seq >= from && e.seq < to) out.push(e);
    }
    return out;
  }

  /** The blocks around seq that cache `cache` lacks, marked sent. */
  around(player: Player, cache: number, seq: number): EventBlock[] {
    this.use(player, cache);
    const out: EventBlock[] = [];
    const lo = Math.max(0, seq - ROWS_AROUND), hi = Math.min(player.total - 1, seq + ROWS_AROUND);
    for (let b = Math.floor(lo / EVENT_BLOCK); b * EVENT_BLOCK <= hi; b++) {
      if (this.sent.has(b)) continue;
      this.sent.add(b);
      out.push({ block: b, events: this.block(player, b) });
    }
    return out;
  }

  /** Numbers the answer and leaves out each part equal to the one last sent to this cache (the
   *  structured clone of an answer, and the page's reading of it, cost by its size). */
  compact(player: Player, cache: number, r: CursorResult): CursorResult {
    this.use(player, cache);
    const answer = ++this.answers;
    const same: { [K in SentPart]?: number } = {};
    const view: Partial<MachineView> = { ...r.view };
    const one = (k: SentPart, value: unknown, drop: () => void) => {
      const held = this.parts.get(k);
      if (held && sameData(held.value, value)) { same[k] = held.answer; drop(); } else this.parts.set(k, { answer, value });
    };
    for (const k of VIEW_PARTS) one(k, view[k], () => { delete view[k]; });
    const out: CursorResult = { ...r, view: view as SentView, answer, same };
    one('lanes', r.lanes, () => { out.lanes = []; });
    return out;
  }
}
// --- end of render's block ---------------------------------------------------------------------

/** The landmark events of some types around a cursor: the indexed landmarks bound the span
 *  [lo, hi] (up to `around` of them on each side), and the answer is every event of those types
 *  in it, as one replay of [lo, hi] would build them (the recording is deterministic).
 *  Where the index holds every event of the types (exact: all but a thinned system-call loop),
 *  it names the events, and only those not fetched before are built: one short replay per
 *  cluster of them, from the checkpoint before the cluster, or the events the player keeps from
 *  just before a checkpoint after a burst (a span across libdune's set-up, or a long stretch
 *  without transitions, would replay all of it). Where it is coarse, the span is
 *  replayed, kept as one contiguous stretch: a request whose span overlaps it replays only the
 *  part it lacks. */
export class LandmarkWindow {
  private player: Player | null = null;
  /** Events fetched by seq (any of the types asked for so far): each replayed once. */
  private byseq = new Map<number, TraceEvent>();
  // The coarse path's span.
  private types = '';
  private lo = 0;
  private hi = -1;
  private events: TraceEvent[] = [];
  /** Events held at most (past it, what is held is cut back to the request's). */
  static readonly KEEP = 8192;
  /** Indexed events further apart than this (in events) are fetched apart, each cluster from
   *  the checkpoint before it: running on across a longer gap costs more than that replay, and
   *  across libdune's set-up (its bursts) far more. */
  static readonly GAP = 4096;
  /** Clusters shorter than this (in events) are read as windows of events (Player.events). */
  static readonly SHORT = 1024;

  /** Up to `around` indexed landmarks of these types before and after seq bound the span. */
  around(player: Player, seq: number, around: number, types: readonly LandmarkType[]): TraceEvent[] {
    let lo = seq, hi = seq;
    for (let i = 0; i < around; i++) {
      const b = player.landmarks.atOrBefore(types, lo - 1); if (b) lo = b.seq;
      const n = player.landmarks.next(types, hi); if (n) hi = n.seq;
    }
    lo = Math.max(0, lo);
    if (player !== this.player) { this.player = player; this.byseq = new Map(); this.types = ''; this.events = []; this.lo = 0; this.hi = -1; }
    const kinds = new Set<EventType>(types);
    if (!types.every((t) => player.landmarks.exact(t))) return this.span(player, lo, hi, types, kinds);
    // The index's entries in [lo, hi]: exactly the events of these types there.
    const seqs: number[] = [];
    for (let e = player.landmarks.next(types, lo - 1); e && e.seq <= hi; e = player.landmarks.next(types, e.seq)) seqs.push(e.seq);
    const missing = seqs.filter((s) => !this.byseq.has(s));
    for (let i = 0; i < missing.length;) {
      let j = i + 1;
      while (j < missing.length && missing[j] - missing[j - 1] <= LandmarkWindow.GAP) j++;
      // A short cluster from the player's window of events (near a checkpoint after a burst it
      // holds them: libdune's set-up is not replayed); a long one by a replay building only these.
      const a = missing[i], b = missing[j - 1];
      const got = b - a < LandmarkWindow.SHORT ? player.events(a, b + 1).filter((e) => kinds.has(e.type)) : collect(player, a, b, kinds);
      for (const e of got) this.byseq.set(e.seq, e);
      i = j;
    }
    const out = seqs.map((s) => this.byseq.get(s));
    // (Every indexed event is one a replay builds; were one not, the span's replay answers.)
    if (out.includes(undefined)) return this.span(player, lo, hi, types, kinds);
    const got = out as TraceEvent[];
    if (this.byseq.size > LandmarkWindow.KEEP) this.byseq = new Map(got.map((e) => [e.seq, e]));
    return got;
  }

  /** The coarse path: every event of the kinds in [lo, hi], by replay of what is not held. */
  private span(player: Player, lo: number, hi: number, types: readonly LandmarkType[], kinds: ReadonlySet<EventType>): TraceEvent[] {
    const key = types.join(',');
    if (key !== this.types || hi < this.lo - 1 || lo > this.hi + 1) {
      this.types = key;
      this.events = collect(player, lo, hi, kinds); this.lo = lo; this.hi = hi;
    } else {
      if (lo < this.lo) { this.events = [...collect(player, lo, this.lo - 1, kinds), ...this.events]; this.lo = lo; }
      if (hi > this.hi) { this.events = [...this.events, ...collect(player, this.hi + 1, hi, kinds)]; this.hi = hi; }
    }
    const out = this.events.filter((e) => e.seq >= lo && e.seq <= hi);
    if (this.events.length > LandmarkWindow.KEEP) { this.events = out; this.lo = lo; this.hi = hi; }
    return out;
  }
}

/** The events of these kinds with seq in [lo, hi], in one replay that builds only them. */
function collect(player: Player, lo: number, hi: number, kinds: ReadonlySet<EventType>): TraceEvent[] {
  const out: TraceEvent[] = [];
  if (hi < lo) return out;
  player.scan(lo, (e) => { if (e.seq > hi) return true; if (kinds.has(e.type)) out.push(e); return e.seq >= hi; }, kinds);
  return out;
}

/** The lines the events (from, to] name (the last MAX_STEP_EVENTS of them), by the RIP of the
 *  first instruction of each line, as the program view marks them (code/useStepMarks.ts). */
export function stepLines(player: Player, from: number | null, to: number, lineOf: ReadonlyMap<string, number>,
  kept?: (from: number, to: number) => TraceEvent[] | null): number[] {
  if (from === null || from === to) return [];
  const lo = Math.max(Math.min(from, to) + 1, Math.max(from, to) - MAX_STEP_EVENTS + 1, 0), hi = Math.max(from, to);
  const out = new Set<number>();
  for (const e of kept?.(lo, hi + 1) ?? player.events(lo, hi + 1)) {
    const l = 'rip' in e && typeof e.rip === 'string' ? lineOf.get(e.rip) : undefined;
    if (l !== undefined) out.add(l);
  }
  return [...out].sort((a, b) => a - b);
}

/** Seek to `seq` and derive the views there. `from`: the cursor before the move (its step's lines
 *  are read before the seek when the move goes forward, after it when it goes back: either way
 *  the replay starts from the state kept at the earlier cursor, not from a checkpoint). */
export function cursorMove(player: Player, seq: number, from: number | null, lanes: LandmarkWindow, lineOf: ReadonlyMap<string, number>,
  rows?: { blocks: RowBlocks; cache: number }): CursorResult {
  const ahead = from !== null && from < seq;
  // A short step's events are in the blocks sent around the cursor before (RowBlocks.kept): no replay.
  const kept = rows ? (lo: number, hi: number) => rows.blocks.kept(player, lo, hi) : undefined;
  const early = ahead ? stepLines(player, from, seq, lineOf, kept) : null;
  const r = player.seek(seq);
  const wedge = player.inspect(wedgeView);
  const lines = early ?? stepLines(player, from, seq, lineOf, kept);
  const out: CursorResult = { ...r, seq, wedge, stepLines: lines, lanes: lanes.around(player, Math.max(0, seq), LANE_AROUND, LANE_TYPES) };
  if (!rows) return out;
  // Last: the blocks replay from a checkpoint (the player brings the machine back to the cursor
  // for the next request that reads it).
  out.blocks = rows.blocks.around(player, rows.cache, Math.max(0, seq));
  return rows.blocks.compact(player, rows.cache, out);
}
