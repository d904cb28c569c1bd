// The run's events as the timeline reads them: blocks of EVENT_BLOCK events, fetched from the
// engine when a row in view needs one, or brought by a cursor answer (the blocks around the new
// cursor, worker/cursor.ts RowBlocks). One cache per recorded run, held by the store, so a
// timeline mounted later (a lesson step that shows it) starts from what is already here.

import { EVENT_BLOCK, type EventBlock } from '../worker/protocol.ts';
import type { TraceEvent } from '../engineClient.ts';

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

  subscribe = (f: () => void) => { this.listeners.add(f); return () => { this.listeners.delete(f); }; };
}
