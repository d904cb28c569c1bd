// The TLB table past 64 entries renders only the rows in view (plus the highlighted one): 1,500
// entries give a bounded number of rows, each at its aria-rowindex in the sorted order; the
// highlighted entry is rendered and marked; the sort is the BigInt order of before, exactly.

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { TlbTable, sortTlb } from '../../../../src/ui/panels/walk/TlbTable.tsx';
import type { TlbEntryView } from '../../../../src/engine/player/view.ts';
import { messages } from '../../../../src/ui/messages/index.ts';
import { noConsoleErrors } from './fixtures.ts';

const t = messages.walk;
noConsoleErrors();
afterEach(cleanup);

/** A seeded xorshift32: the same 1,500 entries every run. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
}
const hex = (v: bigint) => '0x' + v.toString(16);
/** A highlight naming exactly this entry (its page and every tag). */
const naming = (e: TlbEntryView, kind: 'hit' | 'fill') => ({ va: e.va, kind, vpid: e.vpid, pcid: e.pcid, ept: e.ept });

/** Entries over the whole 48-bit space (low and high half, canonical), three VPIDs, PCIDs, EPT
 *  roots of different lengths (one past 2^32), both sizes, every flag; some pages in two tags. */
function entries(n: number): TlbEntryView[] {
  const r = rng(0x7b1);
  const epts = [null, '0x203a000', '0x1f000', '0x12345678000', '0x203b000'];
  const out: TlbEntryView[] = [];
  for (let i = 0; i < n; i++) {
    const size = r(5) === 0 ? '2M' : '4K';
    const page = BigInt(r(1 << 24)) * BigInt(r(1 << 12) + 1);
    const low = (size === '2M' ? page << 21n : page << 12n) & ((1n << 47n) - 1n);
    const va = r(3) === 0 ? (0xffffn << 48n) | (1n << 47n) | low : low;
    out.push({
      va: hex(va), size, vpid: r(3), pcid: r(4), ept: epts[r(epts.length)], hpa: hex(BigInt(r(1 << 20)) << 12n),
      flags: { rw: r(2) === 1, us: r(2) === 1, nx: r(2) === 1, dirty: r(2) === 1, global: r(2) === 1 },
    });
  }
  return out;
}

/** The order before (BigInt compares): tags (root-mode first), the VA's low 48 bits, size. */
function oracle(list: TlbEntryView[]): TlbEntryView[] {
  const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  const low = (va: string) => BigInt(va) & ((1n << 48n) - 1n);
  const size = { '4K': 1n << 12n, '2M': 1n << 21n };
  return [...list].sort((a, b) => a.vpid - b.vpid || a.pcid - b.pcid ||
    cmp(a.ept === null ? -1n : BigInt(a.ept), b.ept === null ? -1n : BigInt(b.ept)) ||
    cmp(low(a.va), low(b.va)) || cmp(size[a.size], size[b.size]));
}

const big = entries(1500);
const sorted = sortTlb(big);
const bodyRows = (c: HTMLElement) => [...c.querySelectorAll<HTMLElement>('tbody tr[aria-rowindex]')];
/** Each rendered row shows the sorted entry its aria-rowindex names (row 1 is the header). */
function expectInOrder(c: HTMLElement) {
  for (const tr of bodyRows(c)) {
    const e = sorted[Number(tr.getAttribute('aria-rowindex')) - 2];
    const cells = [...tr.querySelectorAll('td')].map((td) => td.querySelector('code')?.textContent ?? td.textContent);
    expect(cells.slice(0, 5)).toEqual([String(e.vpid), String(e.pcid), e.ept ?? t.tlbNoEpt, e.va, e.hpa]);
  }
}

describe('TlbTable, windowed', () => {
  it('sorts exactly as the BigInt order did, stably, whatever the input order', () => {
    expect(sorted).toEqual(oracle(big));
    expect(sortTlb([...big].reverse())).toEqual(oracle([...big].reverse()));
    // The VAs span both halves and exceed 2^32, so a 32-bit compare would not do.
    expect(big.some((e) => BigInt(e.va) > 0xffffffffn && BigInt(e.va) < 1n << 47n)).toBe(true);
    expect(big.some((e) => e.va.startsWith('0xffff8'))).toBe(true);
  });

  it('renders a bounded number of rows for 1,500 entries, every one where the order puts it', () => {
    const { container } = render(<TlbTable entries={big} />);
    const rows = bodyRows(container);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(80);
    expect(container.querySelector('table')!.getAttribute('aria-rowcount')).toBe('1501');
    expect(container.querySelector('thead tr')!.getAttribute('aria-rowindex')).toBe('1');
    expect(rows[0].getAttribute('aria-rowindex')).toBe('2');
    expectInOrder(container);
    // The rows left out are spacer rows, hidden from assistive technology, as are the sizer rows.
    const others = [...container.querySelectorAll('tbody tr:not([aria-rowindex])')];
    expect(others.length).toBeGreaterThan(0);
    for (const tr of others) expect(tr.getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByText(t.tlbCount(1500))).toBeTruthy();
  });

  it('renders and marks the highlighted entry, and follows a new highlight', () => {
    for (const at of [1000, 37, 1499]) {
      const e = sorted[at];
      const { container, rerender } = render(<TlbTable entries={big} highlight={naming(e, 'hit')} />);
      const hit = [...container.querySelectorAll<HTMLElement>('tr.hl-hit')];
      expect(hit.map((tr) => tr.getAttribute('aria-rowindex'))).toContain(String(at + 2));
      for (const tr of hit) {
        expect(tr.getAttribute('aria-current')).toBe('true');
        expect(tr.textContent).toContain(t.tlbKind.hit);
      }
      expect(bodyRows(container).length).toBeLessThanOrEqual(81);
      expectInOrder(container);
      const next = sorted[(at + 700) % 1500];
      rerender(<TlbTable entries={big} highlight={naming(next, 'fill')} />);
      const fill = [...container.querySelectorAll('tr.hl-fill')].map((tr) => tr.getAttribute('aria-rowindex'));
      expect(fill).toContain(String(((at + 700) % 1500) + 2));
      expect(container.querySelectorAll('tr.hl-hit')).toHaveLength(0);
      expectInOrder(container);
      cleanup();
    }
  });

  it('a flushed address no longer present is reported over 1,500 entries', () => {
    const absent = '0x' + (0x7000_0000_0000n + 0x123n).toString(16);
    expect(sorted.some((e) => BigInt(e.va) >> 12n === BigInt(absent) >> 12n)).toBe(false);
    const { container } = render(<TlbTable entries={big} highlight={{ va: absent, kind: 'flush' }} />);
    expect(screen.getByRole('status').textContent).toBe(t.tlbFlushed(absent));
    expect(container.querySelectorAll('tr.hl')).toHaveLength(0);
  });

  it('a small table (64 entries) renders whole, with no spacer or sizer rows', () => {
    const small = big.slice(0, 64);
    const { container } = render(<TlbTable entries={small} />);
    expect(container.querySelectorAll('tbody tr')).toHaveLength(64);
    expect(bodyRows(container).map((tr) => tr.getAttribute('aria-rowindex'))).toEqual(small.map((_, i) => String(i + 2)));
    expect(container.querySelector('table')!.getAttribute('aria-rowcount')).toBe('65');
  });
});
