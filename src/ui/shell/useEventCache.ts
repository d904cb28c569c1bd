// The timeline's synchronous getRange over the run's event cache (state/eventBlocks.ts): null
// while a block is on its way; a new getRange once it is there.

import { useCallback, useSyncExternalStore } from 'react';
import type { TraceEvent } from '../engineClient.ts';
import type { EventBlocks } from '../state/eventBlocks.ts';

const never = () => () => {};

export function useEventCache(blocks: EventBlocks | null) {
  // A block's arrival gives a new getRange: the timeline renders with it at once (no polling).
  const version = useSyncExternalStore(blocks?.subscribe ?? never, () => blocks?.version ?? 0);
  return useCallback((from: number, to: number): TraceEvent[] | null => (blocks ? blocks.range(from, to) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [blocks, version]);
}
