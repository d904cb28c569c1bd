// The privilege map on a real Dune run: where the CPU is after DUNE_ENTER, and the VMCALL exit
// drawn from non-root ring 0 to root ring 0 with its SDM name and cost.

import { describe, expect, it, afterEach, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { PrivilegeMap } from '../../../../src/ui/panels/machine/PrivilegeMap.tsx';
import { moveOf } from '../../../../src/ui/panels/machine/regions.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { DUNE_GETPID, exitsOf, runCaptured } from './fixtures.ts';
import { guardConsole, mockReducedMotion } from './setup.ts';

guardConsole();
afterEach(() => vi.restoreAllMocks());

const run = runCaptured(DUNE_GETPID);
const launch = run.events.find((e) => e.type === 'vmentry' && e.kind === 'launch')!;
const vmcall = exitsOf(run.events).find((e) => e.name === 'VMCALL')!;
const resume = run.events.find((e) => e.type === 'vmentry' && e.seq > vmcall.seq)!;

const current = (c: HTMLElement) => [...c.querySelectorAll('g.pm-region.pm-current')].map((g) => g.getAttribute('data-region'));

describe('PrivilegeMap', () => {
  it('marks VMX non-root ring 0 after DUNE_ENTER (the VMLAUNCH entry) and lists the Dune process there', () => {
    mockReducedMotion(true);
    const view = run.views.get(launch.seq)!;
    const { container } = render(<PrivilegeMap vmx={launch.vmx} cpl={launch.cpl} transition={launch} procs={view.procs} />);
    expect(launch).toMatchObject({ vmx: 'non-root', cpl: 0 });
    expect(current(container)).toEqual(['nonroot-0']);
    const here = container.querySelector('g[data-region="nonroot-0"]')!;
    expect(here.getAttribute('aria-current')).toBe('true');
    expect(here.querySelector('.pm-members')!.textContent).toContain('pid 1');
    expect(container.querySelector('g.pm-cpu')!.getAttribute('transform')).toMatch(/translate\(\d+,\d+\)/);
    const move = container.querySelector('g.pm-move')!;
    expect(move.getAttribute('data-from')).toBe('root-0');
    expect(move.getAttribute('data-to')).toBe('nonroot-0');
    expect(move.querySelector('.pm-move-label')!.textContent).toBe('VM entry (VMLAUNCH)');
    expect(screen.getByTestId('pm-status').textContent).toContain(messages.machine.regions['nonroot-0'].title);
  });

  it('labels a VMCALL exit with its SDM name and cost, along the path non-root ring 0 → root ring 0', () => {
    mockReducedMotion(true);
    const cost = resume.cycles - vmcall.cycles;
    const { container } = render(<PrivilegeMap vmx={vmcall.vmx} cpl={vmcall.cpl} transition={vmcall} costCycles={cost} />);
    expect(current(container)).toEqual(['root-0']);
    const move = container.querySelector('g.pm-move')!;
    expect([move.getAttribute('data-from'), move.getAttribute('data-to')]).toEqual(['nonroot-0', 'root-0']);
    const label = move.querySelector('.pm-move-label')!.textContent!;
    expect(label).toContain('VMCALL');
    expect(label).toContain(`${cost.toLocaleString('en-US')} cycles`);
    // Reduced motion: the token is already at the destination end of the arrow.
    const token = move.querySelector('circle.pm-token')!;
    const d = move.querySelector('path.pm-arrow')!.getAttribute('d')!;
    const [bx, by] = d.split(' ').at(-1)!.split(',');
    expect([token.getAttribute('cx'), token.getAttribute('cy')]).toEqual([bx, by]);
  });

  it('updates by data join: a new transition replaces the arrow, regions are reused, and motion starts at the source', () => {
    mockReducedMotion(false);
    const { container, rerender } = render(<PrivilegeMap vmx={launch.vmx} cpl={launch.cpl} transition={launch} />);
    const region = container.querySelector('g[data-region="root-0"]');
    const token = container.querySelector('circle.pm-token')!;
    const start = container.querySelector('path.pm-arrow')!.getAttribute('d')!.slice(1).split(' ')[0].split(',');
    expect([token.getAttribute('cx'), token.getAttribute('cy')]).toEqual(start);
    rerender(<PrivilegeMap vmx={vmcall.vmx} cpl={vmcall.cpl} transition={vmcall} />);
    expect(container.querySelector('g[data-region="root-0"]')).toBe(region);
    expect(container.querySelectorAll('g.pm-move')).toHaveLength(1);
    expect(container.querySelector('.pm-move-label')!.textContent).toContain('VMCALL');
  });

  it('names the cause of ring changes and system calls from the trace', () => {
    const ring = run.events.find((e) => e.type === 'ring' && e.via === 'sysret')
      ?? run.events.find((e) => e.type === 'ring')!;
    const m = moveOf(ring)!;
    expect(m.label).toBe(messages.machine.via[(ring as { via: string }).via]);
    const sc = run.events.find((e) => e.type === 'syscall' && e.via === 'vmcall')!;
    expect(moveOf(sc, 10)).toMatchObject({ from: 'nonroot-0', to: 'root-0', label: expect.stringMatching(/getpid via VMCALL · 10 cycles/) });
    expect(moveOf(run.events.find((e) => e.type === 'instr')!)).toBeNull();
  });
});
