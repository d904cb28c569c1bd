// A cache of trace-event blocks fetched from the engine, giving the timeline the synchronous
// getRange it wants (null while a block is on its way; a new getRange once it is there).

import { useCallback, useMemo, useState } from 'react';
import type { TraceEvent } from '../engineClient.ts';

const BLOCK = 256;

export function useEventCache(fetch: (from: number, to: number) => Promise<TraceEvent[]>, runKey: unknown) {
  const cache = useMemo(() => new Map<number, TraceEvent[] | 'loading'>(), [runKey]);
  // A block's arrival gives a new getRange: the timeline renders with it at once (no polling).
  const [arrived, bump] = useState(0);
  return useCallback((from: number, to: number): TraceEvent[] | null => {
    const out: TraceEvent[] = [];
    let missing = false;
    for (let b = Math.floor(from / BLOCK); b * BLOCK < to; b++) {
      const got = cache.get(b);
      if (got === undefined) {
        missing = true;
        cache.set(b, 'loading');
        fetch(b * BLOCK, (b + 1) * BLOCK).then((evs) => { cache.set(b, evs); bump((n) => n + 1); }, () => cache.delete(b));
      } else if (got === 'loading') missing = true;
      else out.push(...got.filter((e) => e.seq >= from && e.seq < to));
    }
    return missing ? null : out;
  }, [cache, fetch, arrived]);
}
