// The CPU at the cursor: the 16 general-purpose registers, RIP, RFLAGS with CF ZF SF OF IF
// decoded, CPL, VMX mode and CR0 CR2 CR3 CR4 EFER; what changed since `previous` is highlighted.

import type { ReactNode } from 'react';
import type { MachineView } from '../../../engine/player/view.ts';
import { messages } from '../../messages/index.ts';
import { cpuChanges } from './cpuDiff.ts';
import { useDomId, VisuallyHidden } from './a11y.tsx';
import './machine.css';

const t = messages.machine;
const CRS = ['cr0', 'cr2', 'cr3', 'cr4', 'efer'] as const;

export interface CpuPanelProps { view: MachineView; previous?: MachineView | null }

export function CpuPanel({ view, previous }: CpuPanelProps) {
  const id = useDomId('cpu');
  const changed = cpuChanges(view, previous);
  const cell = (name: string, label: ReactNode, value: ReactNode) => (
    <div className={'cpu-cell' + (changed.has(name) ? ' changed' : '')} data-item={name} data-changed={changed.has(name) || undefined} key={name}>
      <dt>{label}</dt>
      <dd className="mono">{value}{changed.has(name) && <VisuallyHidden> ({t.changed})</VisuallyHidden>}</dd>
    </div>
  );

  return (
    <section className="panel machine-panel cpu-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t.cpuTitle}</h2>
      <dl className="cpu-mode" aria-label={t.modeLabel}>
        {cell('vmx', t.vmxMode, view.vmx === 'root' ? t.root : t.nonRoot)}
        {cell('cpl', t.cpl, view.cpl)}
        {cell('rip', t.rip, view.rip)}
      </dl>
      <dl className="cpu-regs" aria-label={t.regsLabel}>
        {view.regs.map((r) => cell(r.name, r.name, r.value))}
      </dl>
      <dl className="cpu-flags" aria-label={t.flagsLabel}>
        {cell('rflags', t.rflags, view.rflags)}
        {(Object.keys(view.flags) as (keyof MachineView['flags'])[]).map((f) => cell(f, f,
          <span className={view.flags[f] ? 'flag-on' : 'flag-off'}>{view.flags[f] ? `1 ${t.flagSet}` : `0 ${t.flagClear}`}</span>))}
      </dl>
      <dl className="cpu-crs" aria-label={t.crLabel}>
        {CRS.map((c) => cell(c, c.toUpperCase(), view.cr[c]))}
      </dl>
      {/* Announced politely after each step, so a screen reader hears what the step did. */}
      <p className="visually-hidden" aria-live="polite" data-testid="cpu-changes">
        {previous ? t.changedList([...changed]) : ''}
      </p>
    </section>
  );
}
