// The Memory panel rendered from real memory views (a Linux process before and after it runs; a
// Dune process at its VMCALL exit): trees, collapsing, A/D lit against the previous view, spaces.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { render, screen, fireEvent, within } from '@testing-library/react';
import { Session, assembleSource } from '../../../../src/engine/session.ts';
import { memoryView } from '../../../../src/engine/player/memview.ts';
import { MemoryPanel } from '../../../../src/ui/panels/memory/index.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { guardConsole } from '../machine/setup.ts';

const t = messages.memory;
guardConsole();

function session(source: string) {
  const a = assembleSource(source, 't.s');
  if (!a.ok) throw new Error(a.diagnostics);
  return new Session(a.program, {});
}

/** A Linux process before its first instruction, and after it wrote its data page. */
function linuxViews() {
  const s = session(`
.data
x: .quad 1
.text
_start:
    mov qword ptr [x], 7
spin:
    jmp spin
`);
  const before = memoryView(s);
  s.run(100);
  return { before, after: memoryView(s) };
}

function duneView() {
  const s = session(readFileSync('samples/getpid-dune.s', 'utf8'));
  while (s.machine.status === null && !(s.machine.vmexits['VMCALL'] >= 1)) s.run(1);
  return memoryView(s);
}

/** The tree row whose title is `title` (e.g. "PT[1]") inside the tree labelled `tree`. */
const row = (tree: string, title: string) => {
  const li = within(screen.getByRole('tree', { name: tree })).getAllByText(title)[0].closest('li')!;
  return li;
};

describe('MemoryPanel', () => {
  const { before, after } = linuxViews();

  it('says there is nothing to show before a program is loaded', () => {
    render(<MemoryPanel memory={null} />);
    expect(screen.getByText(t.none)).toBeTruthy();
  });

  it('renders the host tree of a Linux process with its entries and bits, and no guest tree', () => {
    render(<MemoryPanel memory={after} />);
    expect(screen.getByRole('tree', { name: t.trees.host })).toBeTruthy();
    expect(screen.queryByRole('tree', { name: t.trees.guest })).toBeNull();
    expect(screen.getByText(t.noGuest)).toBeTruthy();
    // The data page: PT entry 1 of the table mapping 0x400000 (text at index 0).
    const data = row(t.trees.host, 'PT[1]');
    expect(data.textContent).toContain(t.maps('0x401000'));
    const bits = within(data).getByRole('group');
    expect(bits.getAttribute('aria-label')).toBe(t.bitsLabel(['P', 'RW', 'US', 'A', 'D', 'NX']));
  });

  it('collapses and expands a subtree', () => {
    render(<MemoryPanel memory={after} />);
    const pml4 = row(t.trees.host, 'PML4[0]');
    expect(pml4.getAttribute('aria-expanded')).toBe('true');
    expect(within(pml4).queryAllByText('PDPT[0]').length).toBe(1);
    fireEvent.click(within(pml4).getByRole('button', { name: t.collapse('PML4[0]') }));
    expect(pml4.getAttribute('aria-expanded')).toBe('false');
    expect(within(pml4).queryAllByText('PDPT[0]').length).toBe(0);
    fireEvent.click(within(pml4).getByRole('button', { name: t.expand('PML4[0]') }));
    expect(within(pml4).queryAllByText('PDPT[0]').length).toBe(1);
  });

  it('lights A and D that were set since the previous view', () => {
    render(<MemoryPanel memory={after} previous={before} />);
    const data = row(t.trees.host, 'PT[1]');
    const lit = [...data.querySelectorAll(':scope > .mem-row .mem-bit.lit')].map((b) => b.getAttribute('data-bit'));
    expect(lit).toEqual(['A', 'D']);
    expect(within(data).getByText(t.litD)).toBeTruthy();
    // The text page was fetched (A) but not written (no D).
    const text = row(t.trees.host, 'PT[0]');
    expect([...text.querySelectorAll(':scope > .mem-row .mem-bit.lit')].map((b) => b.getAttribute('data-bit'))).toEqual(['A']);
  });

  it('lights nothing without a previous view, or against the same view', () => {
    const { container, rerender } = render(<MemoryPanel memory={after} />);
    expect(container.querySelectorAll('.mem-bit.lit').length).toBe(0);
    rerender(<MemoryPanel memory={after} previous={after} />);
    expect(container.querySelectorAll('.mem-bit.lit').length).toBe(0);
  });

  it('shows a Dune process: guest tree, EPT tree and the three windows with lines to frames', () => {
    const v = duneView();
    const { container } = render(<MemoryPanel memory={v} />);
    expect(screen.getByRole('tree', { name: t.trees.guest })).toBeTruthy();
    expect(screen.getByRole('tree', { name: t.trees.ept })).toBeTruthy();
    const boxes = [...container.querySelectorAll('g.mem-box')].map((g) => g.getAttribute('data-key'));
    expect(boxes).toEqual(expect.arrayContaining(['win-low', 'win-mmap', 'win-stack']));
    expect(boxes.filter((k) => k!.startsWith('vma-')).length).toBe(v.spaces.vmas.length);
    const stack = v.spaces.vmas.findIndex((a) => a.kind === 'stack');
    expect(container.querySelector(`path[data-key="l1-${stack}"]`)).toBeTruthy();
    expect(container.querySelector(`path[data-key="l2-${stack}"]`)!.getAttribute('class')).toBe('mem-link');
    // Summarised tables say how many entries they leave out.
    expect(screen.getAllByText(/entries not shown/).length).toBeGreaterThan(0);
  });
});
