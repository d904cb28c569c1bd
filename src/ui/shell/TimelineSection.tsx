// The timeline panel fed from the store: the run's events through a block cache, the cursor, the
// type filters and libdune's set-up as a fold row (with buttons to its start and past it).
// Registered as `timeline` (panels/registry.tsx).

import { useEngine, useSlice } from '../state/context.tsx';
import { selectTimeline } from '../state/selectors.ts';
import { useEventCache } from './useEventCache.ts';
import { Timeline } from '../panels/machine/index.ts';
import type { EventType } from '../../engine/trace/events.ts';
import { useEffect, useState } from 'react';
import { messages } from '../messages/index.ts';


export function TimelineSection() {
  const { loaded, cursor, hiddenTypes, seek, setHiddenTypes, rows } = useSlice(selectTimeline);
  const step = useSlice((s) => ({ step: s.step })).step;
  const getRange = useEventCache(rows);
  const engine = useEngine();
  // libdune's set-up span, from the worker (core.ts 'setup'), once per recorded run.
  const [setup, setSetup] = useState<{ from: number; to: number } | null>(null);
  useEffect(() => {
    let live = true;
    setSetup(null);
    if (loaded) void engine.setup().then((r) => { if (live) setSetup(r); });
    return () => { live = false; };
  }, [engine, loaded]);
  if (!loaded) return null;
  return (
    <>
      {setup && (
        <p className="setup-row" data-testid="setup-row" role="group" aria-label={messages.setupGroup}>
          <button type="button" className="secondary" onClick={() => void seek(setup.from)}>{messages.setupStart}</button>{' '}
          <button type="button" className="secondary" onClick={() => void step(1, 'program')}>{messages.setupSkip}</button>
        </p>
      )}
      <Timeline count={loaded.total} getRange={getRange} cursor={cursor} onSeek={(seq) => void seek(seq)}
        filters={hiddenTypes as Set<EventType>} onFilters={setHiddenTypes} fold={setup} />
    </>
  );
}
