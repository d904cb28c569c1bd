// The panel registry: every view of the machine by id, with its title, the store slice it reads
// and its component. Layouts (shell/layouts.ts) and lessons name panels by these ids.

import { useEffect, useMemo, useState, type ComponentType, type ReactNode } from 'react';
import { useEngine, useSlice, useStoreApi } from '../state/context.tsx';
import { LessonPlayer } from '../lessons/LessonPlayer.tsx';
import {
  selectCpu, selectEvent, selectPrivilege, selectTlb, selectVmcs, selectWalk, selectOutput, tlbHighlight,
} from '../state/selectors.ts';
import { PrivilegeMap, CpuPanel, VmcsPanel } from './machine/index.ts';
import { WalkGrid, VaSplit, TranslationChain, EntryFields, TlbTable } from './walk/index.ts';
import { EventDetail } from '../shell/EventDetail.tsx';
import { MemorySection } from '../shell/MemorySection.tsx';
import { TimelineSection } from '../shell/TimelineSection.tsx';
import { ProgramPanel } from '../shell/ProgramPanel.tsx';
import { OutputPanel } from '../OutputPanel.tsx';
import { Glossary } from '../shell/Glossary.tsx';
import { KeepMounted, KeptSlot, LessonSlot } from '../shell/LessonHost.tsx';
import { WhatIfPanel } from './whatif/WhatIfPanel.tsx';
import { Swimlanes } from './machine/Swimlanes.tsx';
import { WedgePanel } from './wedge/WedgePanel.tsx';
import { SandboxPanel } from './sandbox/SandboxPanel.tsx';
import { HeapView } from './heap/HeapView.tsx';
import { messages } from '../messages/index.ts';
import type { PanelId as LessonPanelId } from '../../lessons/types.ts';
import type { Store } from '../state/store.ts';

/**
 * The panel ids, in the order of the normal layout. Lessons name panels by these ids (a step's
 * `show`), as do embed links (`#embed&panels=walk,tlb`).
 * - `lesson`: the lesson player (pick a lesson; its step's text, previous/next)
 * - `source`: the program (an editor before a run; the recorded source with the line at the cursor after)
 * - `output`: the run's standard output and error, exit status and counters
 * - `event`: the event at the cursor, field by field
 * - `privilege`: the privilege map (VMX root/non-root x ring 0/3) and the last transition
 * - `walk`: the page walk at or before the cursor (grid, VA split, translation chain, entry fields)
 * - `tlb`: the TLB's entries with their tags
 * - `memory`: page tables, EPT and address spaces of the current process
 * - `timeline`: every event of the run, filterable, with a scrubber
 * - `swimlanes`: where the CPU was (host process, kernel + module, guest ring 0/3), transition by transition
 * - `cpu`: registers, RFLAGS, control registers, CPL and VMX mode
 * - `vmcs`: the current VMCS by group, the last exit decoded
 * - `whatif`: the recorded run beside the same program with one knob flipped (counts, first divergence)
 * - `heap`: the garbage collector's heap page by page at the cursor, and its four modes side by side
 * - `glossary`: short explanations of the terms the panels use
 * - `wedge`: the parent's and the sthreads' page tables side by side, and the recycle pass (Wedge
 *   programs only: samples/wedge)
 * - `sandbox`: ring-3 system calls, their paths and the policy's verdicts (samples/sandbox)
 */
export const PANEL_IDS = ['lesson', 'source', 'output', 'event', 'privilege', 'walk', 'tlb', 'memory', 'timeline', 'swimlanes', 'cpu', 'vmcs', 'whatif', 'heap', 'glossary', 'wedge', 'sandbox'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

// Every panel a lesson can name is a registered panel.
const lessonIdsAreRegistered = (id: LessonPanelId): PanelId => id;
void lessonIdsAreRegistered;

/** What a panel reads: `run` (needs a recorded run), `view` (the machine at the cursor), `event`
 *  (the event at the cursor), `landmarks` (the run's index), `worker` (asks the worker itself). */
export type PanelNeed = 'run' | 'view' | 'event' | 'landmarks' | 'worker';

export interface PanelEntry {
  id: PanelId;
  titleKey: keyof typeof messages.panels;
  needs: readonly PanelNeed[];
  Component: ComponentType;
}

/** The panels that stay mounted while layouts change (shell/LessonHost.tsx): the page renders
 *  them once, inside this host, and a layout shows them through their slots. */
export function PanelHost({ children }: { children: ReactNode }) {
  return <KeepMounted keep={{ lesson: <LessonDock />, source: <ProgramPanel /> }}>{children}</KeepMounted>;
}
/** The program view's slot: CodeMirror (its undo history, focus and open file) survives a re-lay. */
const SourceSlot = () => <KeptSlot id="source" />;

/** The store fields the lesson player (and its exercises) read while rendering. */
const selectLessonDock = (s: Store) => ({ lesson: s.lesson, locale: s.locale, knobs: s.knobs, file: s.file, busy: s.busy,
  loaded: s.loaded, source: s.source, loadedStdin: s.loadedStdin });
/** The lesson player takes the whole store as one prop; it renders again when a field it reads
 *  changes, not at every cursor move (it used to: its exercise form's inputs with it). */
export function LessonDock() {
  useSlice(selectLessonDock);
  const s = useStoreApi().getState();
  return <LessonPlayer s={s} engine={useEngine()} />;
}

function PrivilegePanel() {
  const p = useSlice(selectPrivilege);
  if (p.vmx === null || p.cpl === null) return null;
  return <PrivilegeMap vmx={p.vmx} cpl={p.cpl} transition={p.transition} costCycles={p.costCycles} procs={p.procs} />;
}

function EventPanel() {
  const { event, vmx, cpl } = useSlice(selectEvent);
  return (
    <section className="panel" aria-label={messages.panels.event}>
      <h2>{messages.panels.event}</h2>
      <p data-testid="mode">{vmx ? messages.modeAt(vmx, cpl ?? 0) : ''}</p>
      <EventDetail event={event} />
    </section>
  );
}

function CpuView() {
  const { view, previous } = useSlice(selectCpu);
  return view ? <CpuPanel view={view} previous={previous} /> : null;
}

function VmcsView() {
  const { fields, lastExit, atExit } = useSlice(selectVmcs);
  // At an exit the panel opens on the exit-information group (the groups reset; the rows are
  // updated in place: a remount built all of them again, the VM exit step's longest render).
  return <VmcsPanel resetKey={atExit ? 'exit' : 'all'} fields={fields} lastExit={lastExit} initiallyOpen={atExit ? ['info'] : undefined} />;
}

function TlbView() {
  const { entries, event } = useSlice(selectTlb);
  const highlight = useMemo(() => tlbHighlight(event), [event]);
  return (
    <section className="panel" aria-label={messages.panels.tlb}>
      <h2>{messages.panels.tlb}</h2>
      <TlbTable entries={entries} highlight={highlight} />
    </section>
  );
}

function WalkView() {
  const { walk, step, seq } = useSlice(selectWalk);
  const [selected, setSelected] = useState<number | undefined>(undefined);
  useEffect(() => setSelected(undefined), [seq]);
  return (
    <section className="panel" aria-label={messages.panels.walk}>
      <h2>{messages.panels.walk}</h2>
      {walk ? (
        <>
          <WalkGrid walk={walk} step={step} selected={selected} onSelect={setSelected} />
          <VaSplit va={walk.va} />
          <TranslationChain walk={walk} />
          <EntryFields entry={selected !== undefined ? walk.refs[selected] ?? null : null} />
        </>
      ) : <p className="muted">{messages.noWalk}</p>}
    </section>
  );
}

function OutputView() {
  const { output, busy } = useSlice(selectOutput);
  return <OutputPanel state={output ? { kind: 'done', result: output } : busy ? { kind: 'running' } : { kind: 'idle' }} />;
}

export const PANELS: Record<PanelId, PanelEntry> = {
  lesson: { id: 'lesson', titleKey: 'lesson', needs: [], Component: LessonSlot },
  source: { id: 'source', titleKey: 'source', needs: [], Component: SourceSlot },
  output: { id: 'output', titleKey: 'output', needs: [], Component: OutputView },
  event: { id: 'event', titleKey: 'event', needs: ['run', 'event', 'view'], Component: EventPanel },
  privilege: { id: 'privilege', titleKey: 'privilege', needs: ['run', 'view', 'landmarks'], Component: PrivilegePanel },
  walk: { id: 'walk', titleKey: 'walk', needs: ['run', 'event'], Component: WalkView },
  tlb: { id: 'tlb', titleKey: 'tlb', needs: ['run', 'view', 'event'], Component: TlbView },
  memory: { id: 'memory', titleKey: 'memory', needs: ['run', 'worker'], Component: MemorySection },
  timeline: { id: 'timeline', titleKey: 'timeline', needs: ['run', 'landmarks', 'worker'], Component: TimelineSection },
  swimlanes: { id: 'swimlanes', titleKey: 'swimlanes', needs: ['run', 'landmarks'], Component: Swimlanes },
  cpu: { id: 'cpu', titleKey: 'cpu', needs: ['run', 'view'], Component: CpuView },
  vmcs: { id: 'vmcs', titleKey: 'vmcs', needs: ['run', 'view', 'landmarks'], Component: VmcsView },
  whatif: { id: 'whatif', titleKey: 'whatif', needs: ['run', 'worker'], Component: WhatIfPanel },
  heap: { id: 'heap', titleKey: 'heap', needs: ['run', 'worker'], Component: HeapView },
  glossary: { id: 'glossary', titleKey: 'glossary', needs: [], Component: Glossary },
  wedge: { id: 'wedge', titleKey: 'wedge', needs: ['run', 'worker'], Component: WedgePanel },
  sandbox: { id: 'sandbox', titleKey: 'sandbox', needs: ['run', 'worker'], Component: SandboxPanel },
};
