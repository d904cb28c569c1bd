// The CPU panel on two real machine views one instruction apart: exactly what the instruction
// changed is highlighted and announced; the flags are decoded.

import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { CpuPanel } from '../../../../src/ui/panels/machine/CpuPanel.tsx';
import { cpuChanges } from '../../../../src/ui/panels/machine/cpuDiff.ts';
import { Session } from '../../../../src/engine/session.ts';
import { machineView } from '../../../../src/engine/player/view.ts';
import { asm } from '../../../engine/harness.ts';
import { DUNE_GETPID, runCaptured } from './fixtures.ts';
import { guardConsole } from './setup.ts';

guardConsole();

// A Linux process, stepped one instruction at a time.
const s = new Session(asm(`_start:
  mov rax, 5
  mov rbx, 7
  sub rax, rbx
  mov rdi, 0
  call exit
`));
const views = [machineView(s)];
for (let i = 0; i < 3; i++) { s.run(1); views.push(machineView(s)); }
// views[i] is the state before the i-th instruction; views[3] after `sub rax, rbx` (5 - 7 < 0: CF, SF).

const highlighted = (c: HTMLElement, sel: string) => [...c.querySelectorAll(`${sel} [data-changed]`)].map((e) => e.getAttribute('data-item'));

describe('CpuPanel', () => {
  it('shows the 16 registers, RIP, RFLAGS decoded, CPL, VMX mode and the control registers', () => {
    const { container } = render(<CpuPanel view={views[0]} />);
    expect(container.querySelectorAll('.cpu-regs .cpu-cell')).toHaveLength(16);
    for (const item of ['rip', 'rflags', 'CF', 'ZF', 'SF', 'OF', 'IF', 'cpl', 'vmx', 'cr0', 'cr2', 'cr3', 'cr4', 'efer']) {
      expect(container.querySelector(`[data-item="${item}"]`), item).not.toBeNull();
    }
    expect(container.querySelector('[data-item="cpl"] dd')!.textContent).toBe('3');
    expect(container.querySelector('[data-item="vmx"] dd')!.textContent).toBe('root');
    expect(container.querySelector('[data-item="rip"] dd')!.textContent).toBe(views[0].rip);
    expect(container.querySelectorAll('[data-changed]')).toHaveLength(0);
  });

  it('highlights exactly the register an instruction wrote (mov rbx, 7: rbx and RIP)', () => {
    const { container } = render(<CpuPanel view={views[2]} previous={views[1]} />);
    expect(highlighted(container, '.cpu-regs')).toEqual(['rbx']);
    expect([...container.querySelectorAll('[data-changed]')].map((e) => e.getAttribute('data-item')).sort()).toEqual([...cpuChanges(views[2], views[1])].sort());
    expect([...cpuChanges(views[2], views[1])].sort()).toEqual(['rbx', 'rip']);
    expect(highlighted(container, '.cpu-mode')).toEqual(['rip']);
    expect(screen.getByTestId('cpu-changes').textContent).toBe('Changed: rbx, rip');
    expect(container.querySelector('[data-item="rbx"] dd')!.textContent).toBe('0x0000000000000007 (changed)');
  });

  it('decodes the flags a SUB sets, and highlights them with the register', () => {
    const { container } = render(<CpuPanel view={views[3]} previous={views[2]} />);
    expect(highlighted(container, '.cpu-regs')).toEqual(['rax']);
    expect(views[3].flags).toMatchObject({ CF: true, SF: true, ZF: false, OF: false });
    expect(highlighted(container, '.cpu-flags')).toEqual(expect.arrayContaining(['rflags', 'CF', 'SF']));
    expect(container.querySelector('[data-item="CF"] dd')!.textContent).toMatch(/^1 set/);
    expect(container.querySelector('[data-item="ZF"] dd')!.textContent).toBe('0 clear');
  });

  it('marks VMX mode, CPL and CR3 as changed across a VM exit of a Dune process', () => {
    const run = runCaptured(DUNE_GETPID);
    const exit = run.events.find((e) => e.type === 'vmexit' && e.name === 'VMCALL')!;
    const entry = [...run.events].reverse().find((e) => e.type === 'vmentry' && e.seq < exit.seq)!;
    const { container } = render(<CpuPanel view={run.views.get(exit.seq)!} previous={run.views.get(entry.seq)!} />);
    expect(container.querySelector('[data-item="vmx"] dd')!.textContent).toMatch(/^root/);
    const changed = [...container.querySelectorAll('[data-changed]')].map((e) => e.getAttribute('data-item'));
    expect(changed).toEqual(expect.arrayContaining(['vmx', 'rip', 'cr3']));
  });
});
