// The machine panels at the cursor, laid out in a grid. Each panel component renders its own
// labelled region; this file only feeds them from the store.

import { useState } from 'react';
import type { Store } from '../state/store.ts';
import { EventDetail } from './EventDetail.tsx';
import { useEventCache } from './useEventCache.ts';
import { WalkGrid, VaSplit, TranslationChain, EntryFields, TlbTable } from '../panels/walk/index.ts';
import { PrivilegeMap, CpuPanel, VmcsPanel, Timeline, SourcePanel } from '../panels/machine/index.ts';
import { messages } from '../messages/index.ts';
import type { EventType } from '../../engine/trace/events.ts';

export function Panels({ s }: { s: Store }) {
  const v = s.view;
  const walk = s.lastWalk?.type === 'walk' ? s.lastWalk : null;
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const tlbEvent = s.event?.type === 'tlb' ? s.event : null;
  const getRange = useEventCache(s.events, s.loaded);
  return (
    <div className="panels">
      <div className="column">
        {v && <PrivilegeMap vmx={v.vmx} cpl={v.cpl} transition={s.transition} costCycles={s.transitionCost} procs={v.procs} />}
        <section className="panel" aria-label={messages.panels.event}>
          <h2>{messages.panels.event}</h2>
          <p data-testid="mode">{v ? `VMX ${v.vmx}, ring ${v.cpl}` : ''}</p>
          <EventDetail event={s.event} />
        </section>
        <SourcePanel source={s.source} line={v?.line ?? null} breakpoints={s.breakpoints} onToggleBreakpoint={s.toggleBreakpoint} />
      </div>
      <div className="column wide">
        <section className="panel" aria-label={messages.panels.walk}>
          <h2>{messages.panels.walk}</h2>
          {walk ? (
            <>
              <WalkGrid walk={walk} step={s.walkStep} selected={selected} onSelect={setSelected} />
              <VaSplit va={walk.va} />
              <TranslationChain walk={walk} />
              <EntryFields entry={selected !== undefined ? walk.refs[selected] ?? null : null} />
            </>
          ) : <p className="muted">{messages.noWalk}</p>}
        </section>
        <TlbTable entries={v?.tlb ?? []} highlight={tlbEvent?.va ? { va: tlbEvent.va, kind: tlbEvent.op === 'fill' ? 'fill' : 'flush' } : undefined} />
      </div>
      <div className="column">
        {s.loaded && <Timeline count={s.loaded.total} getRange={getRange} cursor={Math.max(0, s.cursor)} onSeek={(seq) => void s.seek(seq)}
          filters={s.hiddenTypes as Set<EventType>} onFilters={(f) => s.setHiddenTypes(f)} />}
        {v && <CpuPanel view={v} previous={s.previous} />}
        <VmcsPanel fields={v?.vmcs ?? null} lastExit={s.lastExit?.type === 'vmexit' ? s.lastExit : null} />
      </div>
    </div>
  );
}
