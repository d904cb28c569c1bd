// The timeline over a real trace (and a 10,000,000-event one built from it): only the rows in view
// are rendered and requested, the cursor row is marked, click/Enter seek, filters hide types.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Timeline } from '../../../../src/ui/panels/machine/Timeline.tsx';
import { CostChart } from '../../../../src/ui/panels/machine/CostChart.tsx';
import { summarize } from '../../../../src/ui/panels/machine/eventSummary.ts';
import type { EventType, TraceEvent } from '../../../../src/engine/trace/events.ts';
import { runLinux } from '../../../engine/harness.ts';
import { DUNE_GETPID } from './fixtures.ts';
import { guardConsole, mockReducedMotion } from './setup.ts';

guardConsole();

// happy-dom lays nothing out: give the scrolling list a height so the virtualizer has a viewport.
let restore: () => void;
beforeAll(() => {
  const saved = (['clientHeight', 'scrollHeight'] as const).map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const);
  const list = (el: HTMLElement) => el.classList?.contains('tl-scroll');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get() { return list(this) ? 400 : 0; } });
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', { configurable: true, get() { return list(this) ? (this.firstElementChild as HTMLElement).offsetHeight || parseFloat((this.firstElementChild as HTMLElement).style.height) : 0; } });
  restore = () => { for (const [k, d] of saved) if (d) Object.defineProperty(HTMLElement.prototype, k, d); };
});
afterAll(() => restore());

const { events } = runLinux(DUNE_GETPID);
const real = (from: number, to: number) => events.slice(from, Math.min(to, events.length));
/** 10,000,000 events: the real trace repeated, renumbered. */
const huge = (from: number, to: number): TraceEvent[] => {
  const out: TraceEvent[] = [];
  for (let s = from; s < to; s++) out.push({ ...events[s % events.length], seq: s });
  return out;
};
const rows = () => [...document.querySelectorAll<HTMLElement>('.tl-row')];

describe('Timeline', () => {
  it('names, as its active descendant, only a row that is in the document (a cursor moved far away scrolls first)', async () => {
    const getRange = vi.fn(huge);
    const { rerender } = render(<Timeline count={10_000_000} getRange={getRange} cursor={100} onSeek={() => {}} filters={new Set()} />);
    const tree = screen.getByRole('tree');
    const named = () => tree.getAttribute('aria-activedescendant');
    expect(named()).toBeTruthy();
    expect(document.getElementById(named()!)).not.toBeNull();
    for (const cursor of [9_000_000, 4_321, 9_999_999]) {
      rerender(<Timeline count={10_000_000} getRange={getRange} cursor={cursor} onSeek={() => {}} filters={new Set()} />);
      // Right after the move: either no name yet or one that exists; once rendered, the cursor's row.
      const n = named();
      if (n !== null) expect(document.getElementById(n)).not.toBeNull();
      // happy-dom moves scrollTop but sends no scroll event: send it, as a browser would.
      await waitFor(() => {
        fireEvent.scroll(tree);
        expect(document.getElementById(named() ?? '')?.getAttribute('data-seq')).toBe(String(cursor));
      });
    }
  });
  it('with 10,000,000 events renders a few dozen rows and asks only for the rows in view', () => {
    const getRange = vi.fn(huge);
    const onSeek = vi.fn();
    const cursor = 5_000_000;
    render(<Timeline count={10_000_000} getRange={getRange} cursor={cursor} onSeek={onSeek} filters={new Set()} />);
    const r = rows();
    expect(r.length).toBeGreaterThan(5);
    expect(r.length).toBeLessThan(60);
    expect(getRange).toHaveBeenCalled();
    for (const [from, to] of getRange.mock.calls) expect(to - from).toBeLessThanOrEqual(60);
    const cur = document.querySelector('.tl-row.cursor')!;
    expect(cur.getAttribute('data-seq')).toBe(String(cursor));
    expect(cur.getAttribute('aria-selected')).toBe('true');
    expect(cur.textContent).toContain(summarize(huge(cursor, cursor + 1)[0]));
    // Click and keyboard both seek.
    fireEvent.click(r[r.length - 1]);
    expect(onSeek).toHaveBeenLastCalledWith(Number(r[r.length - 1].getAttribute('data-seq')));
    const list = screen.getByRole('tree');
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(onSeek).toHaveBeenLastCalledWith(Number(r[r.length - 1].getAttribute('data-seq')) - 1);
    // The scrubber reaches the whole run.
    const scrub = screen.getByRole('slider') as HTMLInputElement;
    expect(scrub.max).toBe('9999999');
    fireEvent.change(scrub, { target: { value: '9999999' } });
    expect(onSeek).toHaveBeenLastCalledWith(9_999_999);
  });

  it('follows the cursor to the end of a 10,000,000-event run', async () => {
    const getRange = vi.fn(huge);
    const { rerender } = render(<Timeline count={10_000_000} getRange={getRange} cursor={0} onSeek={() => {}} filters={new Set()} />);
    expect(document.querySelector('.tl-row.cursor')!.getAttribute('data-seq')).toBe('0');
    rerender(<Timeline count={10_000_000} getRange={getRange} cursor={9_999_999} onSeek={() => {}} filters={new Set()} />);
    // happy-dom moves scrollTop but sends no scroll event: send it, as a browser would.
    await waitFor(() => {
      fireEvent.scroll(screen.getByRole('tree'));
      expect(document.querySelector('.tl-row.cursor')?.getAttribute('data-seq')).toBe('9999999');
    });
    const last = getRange.mock.calls.at(-1)!;
    expect(last[1] - last[0]).toBeLessThanOrEqual(60);
    expect(last[1]).toBe(10_000_000);
    expect(rows().length).toBeLessThan(60);
  });

  it('shows one line per event with the type-specific summary of a real VM exit and system call', () => {
    const exit = events.find((e) => e.type === 'vmexit' && e.name === 'VMCALL')!;
    render(<Timeline count={events.length} getRange={real} cursor={exit.seq} onSeek={() => {}} filters={new Set()} />);
    const cur = document.querySelector('.tl-row.cursor')!;
    expect(cur.querySelector('.tl-type')!.textContent).toBe('vmexit');
    expect(cur.querySelector('.tl-summary')!.textContent).toBe(`VMCALL  qual ${(exit as { qualification: string }).qualification}`);
    expect(cur.querySelector('.tl-cycles')!.textContent).toBe(`${exit.cycles.toLocaleString('en-US')} cycles`);
    const sc = events.find((e) => e.type === 'syscall' && e.name === 'getpid')!;
    expect(summarize(sc)).toMatch(/^getpid\(.*\) = 0x1  via vmcall$/);
  });

  it('shows placeholders while events load', () => {
    render(<Timeline count={1000} getRange={() => null} cursor={10} onSeek={() => {}} filters={new Set()} />);
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().every((r) => r.classList.contains('placeholder'))).toBe(true);
  });

  it('filters hide event types, and the toggles report the next set of hidden types', () => {
    const onFilters = vi.fn();
    const exits = events.filter((e) => e.type === 'vmexit' || e.type === 'vmentry');
    const hidden = new Set<EventType>(['instr', 'walk', 'tlb', 'ad', 'exception', 'ring', 'vmfail', 'syscall', 'signal', 'libdune', 'kernel', 'output', 'exit', 'summary']);
    const getRange = vi.fn(real);
    render(<Timeline count={events.length} getRange={getRange} cursor={exits[0].seq} onSeek={() => {}} filters={hidden} onFilters={onFilters} />);
    const types = new Set(rows().map((r) => r.querySelector('.tl-type')!.textContent));
    expect([...types].sort()).toEqual(['vmentry', 'vmexit']);
    expect(rows()[0].getAttribute('data-seq')).toBe(String(exits[0].seq));
    for (const [from, to] of getRange.mock.calls) expect(to - from).toBeLessThanOrEqual(1024);
    const box = screen.getByRole('checkbox', { name: 'Show vmexit events' }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    expect([...onFilters.mock.calls[0][0]]).toContain('vmexit');
    const kernel = screen.getByRole('checkbox', { name: 'Show kernel events' }) as HTMLInputElement;
    expect(kernel.checked).toBe(false);
  });
});

describe('Timeline: the libdune set-up as a fold row', () => {
  const fold = { from: 100, to: 8_999_999 };
  const foldRow = () => screen.getByTestId('setup-fold');

  it('is one collapsed row at first: its events are not rows, the next row is the event after it, no request spans it', () => {
    const getRange = vi.fn(huge);
    render(<Timeline count={10_000_000} getRange={getRange} cursor={fold.to + 1} onSeek={() => {}} filters={new Set()} fold={fold} />);
    expect(foldRow().getAttribute('role')).toBe('treeitem');
    expect(foldRow().getAttribute('aria-expanded')).toBe('false');
    expect(foldRow().textContent).toContain('libdune set-up: 8,999,900 events');
    const seqs = rows().filter((r) => r.dataset.seq).map((r) => Number(r.dataset.seq));
    expect(seqs.some((q) => q >= fold.from && q <= fold.to)).toBe(false);
    const after = rows()[rows().indexOf(foldRow()) + 1];
    expect(after.dataset.seq).toBe(String(fold.to + 1));
    for (const [from, to] of getRange.mock.calls) expect(from > fold.to || to <= fold.from).toBe(true);
    // Each row's name is its text (no aria-label that hides it).
    expect(rows().every((r) => !r.hasAttribute('aria-label'))).toBe(true);
  });

  it('opens and closes from the keyboard (Enter, arrows) and with a click; opened, its events are rows one level down', () => {
    const onSeek = vi.fn();
    render(<Timeline count={10_000_000} getRange={huge} cursor={99} onSeek={onSeek} filters={new Set()} fold={fold} />);
    const tree = screen.getByRole('tree');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(tree.getAttribute('aria-activedescendant')).toBe(foldRow().id);
    fireEvent.keyDown(tree, { key: 'Enter' });
    expect(onSeek).not.toHaveBeenCalled();
    expect(foldRow().getAttribute('aria-expanded')).toBe('true');
    const inside = rows().find((r) => r.dataset.seq === String(fold.from))!;
    expect(inside.getAttribute('aria-level')).toBe('2');
    fireEvent.keyDown(tree, { key: 'ArrowRight' });
    expect(tree.getAttribute('aria-activedescendant')).toBe(inside.id);
    fireEvent.keyDown(tree, { key: 'Enter' });
    expect(onSeek).toHaveBeenLastCalledWith(fold.from);
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(tree.getAttribute('aria-activedescendant')).toBe(foldRow().id);
    fireEvent.keyDown(tree, { key: 'ArrowLeft' });
    expect(foldRow().getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(foldRow());
    expect(foldRow().getAttribute('aria-expanded')).toBe('true');
  });

  it('a cursor inside the collapsed set-up marks the fold row and says where it is', () => {
    render(<Timeline count={10_000_000} getRange={huge} cursor={5_000} onSeek={() => {}} filters={new Set()} fold={fold} />);
    expect(foldRow().classList.contains('cursor')).toBe(true);
    expect(foldRow().getAttribute('aria-selected')).toBe('true');
    expect(foldRow().textContent).toContain('cursor inside, at 5,000');
    expect(screen.getByRole('tree').getAttribute('aria-activedescendant')).toBe(foldRow().id);
  });

  it('with filters on, the fold row stands in for the matching events of the span', () => {
    const vmexits = new Set<EventType>(['instr', 'walk', 'tlb', 'ad', 'exception', 'ring', 'vmfail', 'syscall', 'signal', 'libdune', 'kernel', 'output', 'exit', 'summary', 'vmentry']);
    const exits = events.filter((e) => e.type === 'vmexit');
    const f = { from: exits[1].seq, to: exits[exits.length - 2].seq };
    render(<Timeline count={events.length} getRange={real} cursor={exits[0].seq} onSeek={() => {}} filters={vmexits} fold={f} />);
    const seqs = rows().map((r) => r.dataset.seq ?? 'fold');
    expect(seqs).toEqual([String(exits[0].seq), 'fold', String(exits[exits.length - 1].seq)]);
  });
});

describe('CostChart', () => {
  it('draws one labelled bar per category and updates them in place', () => {
    mockReducedMotion(true);
    const walks = events.filter((e) => e.type === 'walk').length;
    const { container, rerender } = render(<CostChart summary={{ instructions: 300, walks, vmexits: 5000, kernel: 1200 }} />);
    const bars = container.querySelectorAll('g.cc-row');
    expect(bars).toHaveLength(4);
    expect(container.querySelector('g[data-key="vmexits"] .cc-label')!.textContent).toBe('VM exits and entries');
    expect(Number(container.querySelector('g[data-key="vmexits"] rect')!.getAttribute('width')))
      .toBeGreaterThan(Number(container.querySelector('g[data-key="kernel"] rect')!.getAttribute('width')));
    expect(screen.getByRole('list', { name: 'Cycles by category' }).textContent).toContain('VM exits and entries: 5,000 cycles');
    const before = container.querySelector('g[data-key="kernel"]');
    rerender(<CostChart summary={{ instructions: 300, walks, vmexits: 5000, kernel: 9000 }} />);
    expect(container.querySelector('g[data-key="kernel"]')).toBe(before);
    expect(container.querySelector('g[data-key="kernel"] .cc-value')!.textContent).toMatch(/^9,000/);
  });
});
