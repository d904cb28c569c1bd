// Per-panel selectors: each panel reads one slice of the store, derived from the one cursor (the
// machine just after event N, as the worker's Player.seek defines it). Pure functions of the store.

import type { Store } from './store.ts';
import type { TraceEvent } from '../engineClient.ts';
import type { TlbHighlight } from '../panels/walk/TlbTable.tsx';

type Ev<T extends TraceEvent['type']> = Extract<TraceEvent, { type: T }>;

/** The mode every panel shows: the view at the cursor (equal to the event's vmx/cpl by construction). */
export const selectMode = (s: Store) => ({ vmx: s.view?.vmx ?? null, cpl: s.view?.cpl ?? null });

export const selectPrivilege = (s: Store) => ({
  vmx: s.view?.vmx ?? null, cpl: s.view?.cpl ?? null, transition: s.transition, costCycles: s.transitionCost, procs: s.view?.procs,
});

export const selectEvent = (s: Store) => ({ event: s.event, vmx: s.view?.vmx ?? null, cpl: s.view?.cpl ?? null });

export const selectCpu = (s: Store) => ({ view: s.view, previous: s.previous });

export const selectVmcs = (s: Store) => ({
  fields: s.view?.vmcs ?? null,
  lastExit: s.lastExit?.type === 'vmexit' ? s.lastExit as Ev<'vmexit'> : null,
  /** At a VM exit the panel opens on the exit-information group. */
  atExit: s.event?.type === 'vmexit',
});

/** The TLB rows and the cursor's TLB event (selectors return store fields, never new objects:
 *  the highlight is derived from them by tlbHighlight). */
export const selectTlb = (s: Store) => ({ entries: s.view?.tlb ?? NO_TLB, event: s.event?.type === 'tlb' ? s.event as Ev<'tlb'> : null });
const NO_TLB: never[] = [];

/** The entry a TLB event names: its page, VPID, PCID (and EPT tag when the event gives one). */
export function tlbHighlight(e: Ev<'tlb'> | null): TlbHighlight | undefined {
  if (!e?.va) return undefined;
  return { va: e.va, kind: e.op === 'fill' ? 'fill' : 'flush', vpid: e.vpid, pcid: e.pcid, ept: e.ept };
}

export const selectWalk = (s: Store) => ({
  walk: s.lastWalk?.type === 'walk' ? s.lastWalk as Ev<'walk'> : null, step: s.walkStep, seq: s.lastWalk?.seq ?? -1,
});

export const selectSource = (s: Store) => ({
  source: s.loaded ? s.loadedSource : s.source, line: s.loaded ? s.line : null, breakpoints: s.breakpoints, onToggleBreakpoint: s.toggleBreakpoint,
});

export const selectTimeline = (s: Store) => ({
  loaded: s.loaded, cursor: Math.max(0, s.cursor), hiddenTypes: s.hiddenTypes, seek: s.seek, setHiddenTypes: s.setHiddenTypes, rows: s.rows,
});

export const selectOutput = (s: Store) => ({ output: s.output, busy: s.busy, loaded: s.loaded !== null });
