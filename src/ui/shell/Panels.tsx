// The machine panels at the cursor, laid out in a grid. Each panel component renders its own
// labelled region; this file only feeds them from the store.

import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Store } from '../state/store.ts';
import { EventDetail } from './EventDetail.tsx';
import { MemorySection } from './MemorySection.tsx';
import type { EngineClient } from '../engineClient.ts';
import { LESSONS, type PanelId } from '../../lessons/index.ts';
import { useEventCache } from './useEventCache.ts';
import { WalkGrid, VaSplit, TranslationChain, EntryFields, TlbTable } from '../panels/walk/index.ts';
import { PrivilegeMap, CpuPanel, VmcsPanel, Timeline } from '../panels/machine/index.ts';
import { messages } from '../messages/index.ts';
import type { EventType } from '../../engine/trace/events.ts';

/** Column widths (fractions), remembered across reloads. */
function useColumns(): [number[], (i: number, dx: number, total: number) => void] {
  const [cols, setCols] = useState<number[]>(() => {
    try { const v = JSON.parse(globalThis.localStorage?.getItem('dune-lab.columns') ?? ''); if (Array.isArray(v) && v.length === 3) return v; } catch { /* default */ }
    return [1, 1.6, 1.1];
  });
  const move = (i: number, dx: number, total: number) => setCols((c) => {
    const sum = c.reduce((a, b) => a + b, 0), d = (dx / total) * sum;
    const n = c.slice();
    n[i] = Math.max(0.4, c[i] + d); n[i + 1] = Math.max(0.4, c[i + 1] - d);
    try { globalThis.localStorage?.setItem('dune-lab.columns', JSON.stringify(n)); } catch { /* not remembered */ }
    return n;
  });
  return [cols, move];
}

/** Where divider i sits, in percent of the row (a focusable separator's aria-valuenow). */
const splitAt = (cols: number[], i: number) => Math.round((100 * cols.slice(0, i + 1).reduce((a, b) => a + b, 0)) / cols.reduce((a, b) => a + b, 0));

/** A draggable (and keyboard-operable) divider between two columns. */
function Divider({ i, onMove, at }: { i: number; onMove: (i: number, dx: number, total: number) => void; at: number }) {
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    const total = (e.currentTarget.parentElement?.clientWidth ?? 1000);
    let x = e.clientX;
    const mv = (ev: PointerEvent) => { onMove(i, ev.clientX - x, total); x = ev.clientX; };
    const up = () => { window.removeEventListener('pointermove', mv); window.removeEventListener('pointerup', up); };
    window.addEventListener('pointermove', mv); window.addEventListener('pointerup', up);
  };
  return <div className="divider" role="separator" aria-orientation="vertical" aria-label={messages.resize} tabIndex={0} onPointerDown={onPointerDown}
    aria-valuemin={0} aria-valuemax={100} aria-valuenow={at}
    onKeyDown={(e) => { if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') { e.preventDefault(); e.stopPropagation(); onMove(i, e.key === 'ArrowLeft' ? -24 : 24, e.currentTarget.parentElement?.clientWidth ?? 1000); } }} />;
}

export function Panels({ s, engine }: { s: Store; engine: EngineClient }) {
  const v = s.view;
  const [cols, moveCol] = useColumns();
  const walk = s.lastWalk?.type === 'walk' ? s.lastWalk : null;
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const tlbEvent = s.event?.type === 'tlb' ? s.event : null;
  const getRange = useEventCache(s.events, s.loaded);
  // A lesson step may name the views it is about; the others are hidden while it plays.
  const show = s.lesson ? LESSONS.find((l) => l.id === s.lesson!.id)?.steps[s.lesson.step]?.show : undefined;
  const on = (id: PanelId) => !show || show.includes(id);
  return (
    <div className="panels" style={{ gridTemplateColumns: `minmax(0, ${cols[0]}fr) 6px minmax(0, ${cols[1]}fr) 6px minmax(0, ${cols[2]}fr)` }}>
      <div className="column">
        {v && on('privilege') && <PrivilegeMap vmx={v.vmx} cpl={v.cpl} transition={s.transition} costCycles={s.transitionCost} procs={v.procs} />}
        <section className="panel" aria-label={messages.panels.event}>
          <h2>{messages.panels.event}</h2>
          <p data-testid="mode">{v ? `VMX ${v.vmx}, ring ${v.cpl}` : ''}</p>
          <EventDetail event={s.event} />
        </section>
      </div>
      <Divider i={0} onMove={moveCol} at={splitAt(cols, 0)} />
      <div className="column wide">
        {on('walk') && <section className="panel" aria-label={messages.panels.walk}>
          <h2>{messages.panels.walk}</h2>
          {walk ? (
            <>
              <WalkGrid walk={walk} step={s.walkStep} selected={selected} onSelect={setSelected} />
              <VaSplit va={walk.va} />
              <TranslationChain walk={walk} />
              <EntryFields entry={selected !== undefined ? walk.refs[selected] ?? null : null} />
            </>
          ) : <p className="muted">{messages.noWalk}</p>}
        </section>}
        {on('memory') && <MemorySection engine={engine} cursor={s.cursor} />}
        {on('tlb') && <TlbTable entries={v?.tlb ?? []} highlight={tlbEvent?.va ? { va: tlbEvent.va, kind: tlbEvent.op === 'fill' ? 'fill' : 'flush' } : undefined} />}
      </div>
      <Divider i={1} onMove={moveCol} at={splitAt(cols, 1)} />
      <div className="column">
        {s.loaded && on('timeline') && <Timeline count={s.loaded.total} getRange={getRange} cursor={Math.max(0, s.cursor)} onSeek={(seq) => void s.seek(seq)}
          filters={s.hiddenTypes as Set<EventType>} onFilters={(f) => s.setHiddenTypes(f)} />}
        {v && on('cpu') && <CpuPanel view={v} previous={s.previous} />}
        {on('vmcs') && <VmcsPanel fields={v?.vmcs ?? null} lastExit={s.lastExit?.type === 'vmexit' ? s.lastExit : null} />}
      </div>
    </div>
  );
}
