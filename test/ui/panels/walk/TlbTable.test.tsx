// The TLB table from a real MachineView (the hello-dune sample part-way through: root-mode and
// VPID/EPT-tagged entries): columns, stable sort, highlighted hit/fill/flush, the empty state.

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { TlbTable, sortTlb } from '../../../../src/ui/panels/walk/TlbTable.tsx';
import { messages } from '../../../../src/ui/messages/index.ts';
import { ofType } from '../../../engine/harness.ts';
import { duneSession, noConsoleErrors } from './fixtures.ts';

const t = messages.walk;
noConsoleErrors();
afterEach(cleanup);

const { view, events } = duneSession();

describe('TlbTable', () => {
  it('renders every entry of a real machine view with its tags', () => {
    expect(view.tlb.length).toBeGreaterThan(10);
    const { container } = render(<TlbTable entries={view.tlb} />);
    // Every entry is a row of the table (aria-rowcount, the header row too); those rendered are
    // the first ones, in order (a TLB this big renders the rows in view: TlbTable.window.test.tsx).
    expect(container.querySelector('table')!.getAttribute('aria-rowcount')).toBe(String(view.tlb.length + 1));
    const rows = container.querySelectorAll('tbody tr[aria-rowindex]');
    expect(rows.length).toBeGreaterThan(10);
    expect([...rows].map((r) => r.getAttribute('aria-rowindex'))).toEqual([...rows].map((_, i) => String(i + 2)));
    expect([...container.querySelectorAll('thead th')].map((e) => e.textContent)).toEqual(Object.values(t.tlbCols));
    expect(screen.getByText(t.tlbCount(view.tlb.length))).toBeTruthy();
    // Both worlds: root-mode entries (no EPT tag) and the Dune process's (VPID 1, EPT root).
    const sorted = sortTlb(view.tlb);
    const first = within(rows[0] as HTMLElement).getAllByRole('cell').map((c) => c.textContent);
    expect(first.slice(0, 5)).toEqual([String(sorted[0].vpid), String(sorted[0].pcid), sorted[0].ept ?? t.tlbNoEpt, sorted[0].va, sorted[0].hpa]);
    expect(view.tlb.some((e) => e.ept === null) && view.tlb.some((e) => e.vpid === 1 && e.ept !== null)).toBe(true);
  });

  it('sorts by VPID, PCID, EPT tag, then VA, stably', () => {
    const s = sortTlb(view.tlb);
    for (let i = 1; i < s.length; i++) {
      const a = s[i - 1], b = s[i];
      expect(a.vpid <= b.vpid).toBe(true);
      if (a.vpid === b.vpid && a.pcid === b.pcid && a.ept === b.ept) expect(BigInt(a.va) & 0xffffffffffffn).toBeLessThanOrEqual(BigInt(b.va) & 0xffffffffffffn);
    }
    expect(sortTlb([...view.tlb].reverse())).toEqual(s); // keys are unique per entry, so order is total
  });

  it('marks the entry of the last TLB fill', () => {
    const fill = ofType(events, 'tlb').filter((e) => e.op === 'fill').at(-1)!;
    const { container } = render(<TlbTable entries={view.tlb} highlight={{ va: fill.va!, kind: 'fill' }} />);
    const marked = container.querySelectorAll('tr.hl-fill');
    expect(marked.length).toBeGreaterThanOrEqual(1);
    for (const tr of marked) {
      expect(tr.getAttribute('aria-current')).toBe('true');
      expect(tr.textContent).toContain(t.tlbKind.fill);
    }
  });

  it('a hit inside a page marks the entry that covers it', () => {
    const e = view.tlb.find((x) => x.vpid === 1)!;
    const inside = '0x' + (BigInt(e.va) + 0x123n).toString(16);
    const { container } = render(<TlbTable entries={[e]} highlight={{ va: inside, kind: 'hit' }} />);
    expect(container.querySelectorAll('tr.hl-hit')).toHaveLength(1);
  });

  it('a flushed address no longer present is reported; an empty TLB says so', () => {
    render(<TlbTable entries={[]} highlight={{ va: '0x401000', kind: 'flush' }} />);
    expect(screen.getByText(t.tlbEmpty)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(t.tlbFlushed('0x401000'));
  });
});
