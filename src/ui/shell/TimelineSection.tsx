// The timeline panel fed from the store: the run's events through a block cache, the cursor, and
// the type filters. Registered as `timeline` (panels/registry.tsx).

import { useSlice } from '../state/context.tsx';
import { selectTimeline } from '../state/selectors.ts';
import { useEventCache } from './useEventCache.ts';
import { Timeline } from '../panels/machine/index.ts';
import type { EventType } from '../../engine/trace/events.ts';
import type { TraceEvent } from '../engineClient.ts';
import { useMemo } from 'react';
import { messages } from '../messages/index.ts';

/** libdune's set-up: from the first dune_init / dune_enter call to the last return of one. */
export function setupSpan(landmarks: { seq: number; event: TraceEvent }[]): { from: number; to: number } | null {
  const ls = landmarks.filter((l) => l.event.type === 'libdune' && SETUP.has(l.event.fn));
  const back = ls.filter((l) => l.event.type === 'libdune' && l.event.ret !== null).at(-1);
  return ls.length && back ? { from: ls[0].seq, to: back.seq } : null;
}
const SETUP = new Set(['dune_init', 'dune_init_and_enter', 'dune_enter']);

export function TimelineSection() {
  const { loaded, cursor, hiddenTypes, seek, setHiddenTypes, events } = useSlice(selectTimeline);
  const step = useSlice((s) => ({ step: s.step })).step;
  const getRange = useEventCache(events, loaded);
  const setup = useMemo(() => (loaded ? setupSpan(loaded.landmarks) : null), [loaded]);
  if (!loaded) return null;
  return (
    <>
      {setup && (
        <p className="setup-row" data-testid="setup-row">
          <span>{messages.setupRow(setup.from, setup.to)}</span>{' '}
          <button type="button" className="secondary" onClick={() => void seek(setup.from)}>{messages.setupStart}</button>{' '}
          <button type="button" className="secondary" onClick={() => void step(1, 'program')}>{messages.setupSkip}</button>
        </p>
      )}
      <Timeline count={loaded.total} getRange={getRange} cursor={cursor} onSeek={(seq) => void seek(seq)}
        filters={hiddenTypes as Set<EventType>} onFilters={(f) => setHiddenTypes(f)} />
    </>
  );
}
