// The run's events as the timeline reads them: blocks of EVENT_BLOCK events, fetched from the
// engine when a row in view needs one, or brought by a cursor answer (the blocks around the new
// cursor, worker/cursor.ts RowBlocks). One cache per recorded run, held by the store, so a
// timeline mounted later (a lesson step that shows it) starts from what is already here.

import { EVENT_BLOCK, VIEW_PARTS, type EventBlock, type SentPart } from '../worker/protocol.ts';
import type { TraceEvent, CursorResult, MachineView } from '../engineClient.ts';
import type { CursorView } from '../worker/cursor.ts';

let caches = 0;

export class EventBlocks {
  /** Names this cache to the worker (a new cache is a new id: the worker then sends it all). */
  readonly id = ++caches;
  private readonly blocks = new Map<number, TraceEvent[] | 'loading'>();
  private readonly listeners = new Set<() => void>();
  /** Changes when a fetched block arrives (blocks a cursor answer brings arrive with its update). */
  version = 0;

  constructor(private readonly fetch: (from: number, to: number) => Promise<TraceEvent[]>) {}

  /** Events [from, to), or null while a block of them is on its way (it is asked for here). */
  range(from: number, to: number): TraceEvent[] | null {
    const out: TraceEvent[] = [];
    let missing = false;
    for (let b = Math.floor(from / EVENT_BLOCK); b * EVENT_BLOCK < to; b++) {
      const got = this.blocks.get(b);
      if (got === undefined) {
        missing = true;
        this.blocks.set(b, 'loading');
        this.fetch(b * EVENT_BLOCK, (b + 1) * EVENT_BLOCK).then((evs) => {
          if (this.blocks.get(b) === 'loading') this.blocks.set(b, evs);
          this.version++;
          this.listeners.forEach((f) => f());
        }, () => { if (this.blocks.get(b) === 'loading') this.blocks.delete(b); });
      } else if (got === 'loading') missing = true;
      else for (const e of got) if (e.seq >= from && e.seq < to) out.push(e);
    }
    return missing ? null : out;
  }

  /** Blocks from a cursor answer: kept without a notice (the answer's own store update renders
   *  the timeline); a block already held stays as it is (the run is deterministic: same events). */
  put(blocks: readonly EventBlock[] | undefined) {
    if (!blocks?.length) return;
    for (const b of blocks) if (!Array.isArray(this.blocks.get(b.block))) this.blocks.set(b.block, b.events);
    this.version++;
  }

  /** The last value of each part the worker left out of later answers, with the number of the
   *  answer that carried it (worker/cursor.ts RowBlocks.compact). */
  private readonly parts = new Map<SentPart, { answer: number; value: unknown }>();

  /** A cursor answer to this cache made whole: the parts it leaves out are those an earlier answer
   *  carried. Every answer to this cache must pass here, in the order the worker sent them (a
   *  stale one too: a later answer may name its parts). null: a part left out is not held as the
   *  answer it names (answers taken out of order): the page asks again without the cache. */
  expand(r: CursorResult): CursorView | null {
    const held = (k: SentPart, answer: number | undefined) => { const p = this.parts.get(k); return p && p.answer === answer ? p : null; };
    const view = { ...r.view } as Record<string, unknown>;
    let lanes = r.lanes, whole = true;
    for (const [k, answer] of Object.entries(r.same ?? {}) as [SentPart, number][]) {
      const p = held(k, answer);
      if (!p) { whole = false; continue; }
      if (k === 'lanes') lanes = p.value as TraceEvent[]; else view[k] = p.value;
    }
    if (r.answer !== undefined) {
      for (const k of VIEW_PARTS) if (!(k in (r.same ?? {}))) this.keep(k, r.answer, view[k]);
      if (!r.same?.lanes) this.keep('lanes', r.answer, r.lanes);
    }
    if (!whole) return null;
    const { same: _same, ...rest } = r;
    return { ...rest, view: view as unknown as MachineView, lanes };
  }
  /** After the store shared an answer's parts with what it held (state/share.ts): the held
   *  objects, equal to those sent, stand for them (the next answer that names them is then
   *  shared by identity, with no deep comparison). */
  held(answer: number | undefined, view: MachineView, lanes: TraceEvent[]) {
    if (answer === undefined) return;
    for (const [k, p] of this.parts) if (p.answer <= answer) p.value = k === 'lanes' ? lanes : view[k as keyof MachineView];
  }
  private keep(k: SentPart, answer: number, value: unknown) {
    const p = this.parts.get(k);
    if (!p || p.answer < answer) this.parts.set(k, { answer, value });
  }

  subscribe = (f: () => void) => { this.listeners.add(f); return () => { this.listeners.delete(f); }; };
}
