// The timeline panel fed from the store: the run's events through a block cache, the cursor, and
// the type filters. Registered as `timeline` (panels/registry.tsx).

import { useSlice } from '../state/context.tsx';
import { selectTimeline } from '../state/selectors.ts';
import { useEventCache } from './useEventCache.ts';
import { Timeline } from '../panels/machine/index.ts';
import type { EventType } from '../../engine/trace/events.ts';

export function TimelineSection() {
  const { loaded, cursor, hiddenTypes, seek, setHiddenTypes, events } = useSlice(selectTimeline);
  const getRange = useEventCache(events, loaded);
  if (!loaded) return null;
  return <Timeline count={loaded.total} getRange={getRange} cursor={cursor} onSeek={(seq) => void seek(seq)}
    filters={hiddenTypes as Set<EventType>} onFilters={(f) => setHiddenTypes(f)} />;
}
