// The TLB table's scroll into view with real layout (Chromium; happy-dom has none): a 512-entry
// table in its 28rem box, the highlighted row out of view brought to the middle of the box (the box
// scrolls, never the page), a highlight already in view left where it is, and a highlight near
// the end reached too. The row named by aria-current is the highlighted entry.

import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { TlbTable, sortTlb, type TlbHighlight } from '../../src/ui/panels/walk/TlbTable.tsx';
import type { TlbEntryView } from '../../src/engine/player/view.ts';

/** 512 4 KiB entries, VPID 1 PCID 1, one page after another. */
const entries: TlbEntryView[] = Array.from({ length: 512 }, (_, i) => ({
  va: '0x' + (0x400000 + i * 0x1000).toString(16), size: '4K', vpid: 1, pcid: 1, ept: '0x203a000',
  hpa: '0x' + (0x1000000 + i * 0x1000).toString(16), flags: { rw: true, us: true, nx: false, dirty: i % 2 === 0, global: false },
}));
const sorted = sortTlb(entries);
const naming = (i: number): TlbHighlight => ({ va: sorted[i].va, kind: 'fill', vpid: 1, pcid: 1, ept: '0x203a000' });

let root: Root | null = null, host: HTMLElement | null = null;
afterEach(() => { root?.unmount(); host?.remove(); root = null; host = null; window.scrollTo(0, 0); });

/** Renders the table (a tall page below it, so that a page scroll would show), and waits two
 *  frames (the virtual list measures its rows): the next highlight comes within the list's
 *  150 ms of scrolling, as when stepping through TLB events. */
async function show(highlight?: TlbHighlight) {
  if (!host) {
    host = document.createElement('div');
    host.style.cssText = 'width: 700px; font-size: 16px;';
    document.body.append(host);
    const after = document.createElement('div');
    after.style.height = '3000px';
    host.after(after);
    root = createRoot(host);
  }
  flushSync(() => root!.render(createElement(TlbTable, { entries, highlight })));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}
const box = () => host!.querySelector<HTMLElement>('.walk-tlb')!;
/** Where the marked row sits in the box: its top and bottom, relative to the box's visible area
 *  below the sticky header. */
function placeOfMarked() {
  const b = box(), tr = b.querySelector<HTMLElement>('tr[aria-current="true"]')!;
  const head = b.querySelector('thead th')!.getBoundingClientRect();
  const r = tr.getBoundingClientRect(), outer = b.getBoundingClientRect();
  return { tr, top: r.top - head.bottom, bottom: outer.bottom - r.bottom, middle: (r.top + r.bottom) / 2 - (outer.top + outer.bottom) / 2 };
}

describe('the TLB table scrolls its highlighted row into view (real layout)', () => {
  it('a row out of view is brought to the middle of the box; the page does not scroll', async () => {
    await show();
    expect(box().clientHeight).toBeGreaterThan(200);
    expect(box().scrollHeight).toBeGreaterThan(box().clientHeight * 5);
    expect(box().scrollTop).toBe(0);
    for (const i of [300, 40, 505]) {
      await show(naming(i));
      const p = placeOfMarked();
      expect(p.tr.getAttribute('aria-rowindex'), `entry ${i}`).toBe(String(i + 2));
      expect(p.tr.textContent).toContain(sorted[i].va);
      // In view, below the sticky header and above the box's bottom edge.
      expect(p.top, `entry ${i}`).toBeGreaterThanOrEqual(-0.5);
      expect(p.bottom, `entry ${i}`).toBeGreaterThanOrEqual(-0.5);
      // Centred where the box can scroll that far (the last rows sit at its bottom).
      if (i !== 505) expect(Math.abs(p.middle), `entry ${i}`).toBeLessThan(30);
      expect(window.scrollY).toBe(0);
    }
  });

  it('a highlight already in view stays where it is (no scroll)', async () => {
    await show(naming(200));
    const before = box().scrollTop;
    expect(before).toBeGreaterThan(0);
    // The next entry, a row below: in view already.
    await show(naming(201));
    expect(box().scrollTop).toBe(before);
    const p = placeOfMarked();
    expect(p.tr.getAttribute('aria-rowindex')).toBe('203');
    expect(p.top).toBeGreaterThanOrEqual(-0.5);
    expect(p.bottom).toBeGreaterThanOrEqual(-0.5);
  });
});
