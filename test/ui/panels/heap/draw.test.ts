// The heap grid's painter (panels/heap/draw.ts): states from bits, overlays from activity, every
// state told apart by shape as well as colour, the layout, and repainting only what changed.
import { describe, it, expect } from 'vitest';
import { cellKind, cellOverlay, sprite, gridLayout, pageAt, paintHeap, tally, KINDS, OVERLAYS, ST, ACT, PALETTE, BACKGROUND } from '../../../../src/ui/panels/heap/draw.ts';
import { PAGE_STATE, HEAP_ACT } from '../../../../src/engine/player/heapmap.ts';

describe('the heap painter', () => {
  it('uses the engine\'s bits and activity codes', () => {
    expect(ST).toEqual(PAGE_STATE);
    expect(ACT).toEqual(HEAP_ACT);
  });

  it('a page\'s state from its bits, by hand', () => {
    expect(cellKind(0, 'linux')).toBe('unmapped');
    expect(cellKind(ST.MAPPED, 'linux')).toBe('mapped');
    expect(cellKind(ST.MAPPED | ST.INUSE, 'linux')).toBe('clean');
    expect(cellKind(ST.MAPPED | ST.WP | ST.DBIT | ST.INUSE, 'linux')).toBe('wp'); // 23: D in a host PTE means nothing to linux
    expect(cellKind(ST.MAPPED | ST.DBIT | ST.DIRTY | ST.INUSE, 'linux')).toBe('dirty'); // 29
    expect(cellKind(ST.MAPPED | ST.DBIT | ST.INUSE, 'dune-dirty')).toBe('dbit'); // 21
    expect(cellKind(ST.MAPPED | ST.DBIT | ST.INUSE, 'linux')).toBe('clean');
    expect(cellKind(ST.MAPPED | ST.WP | ST.DBIT | ST.FREED, 'linux')).toBe('freed'); // 39
    expect(cellOverlay(ACT.FAULT, ST.SCAN)).toBe('fault');
    expect(cellOverlay(ACT.PTE, 0)).toBe('pte');
    expect(cellOverlay(ACT.ADD, 0)).toBe('write');
    expect(cellOverlay(ACT.MARK, ST.SCAN)).toBe('scan');
    expect(cellOverlay(ACT.NONE, 0)).toBe('none');
  });

  it('no two states or overlays differ by colour alone: their shapes differ', () => {
    // A sprite's shape: which pixels share a colour with which (colours numbered by first use).
    const shape = (px: Uint8ClampedArray) => {
      const ids = new Map<number, number>(), out: number[] = [];
      for (let i = 0; i < px.length; i += 4) {
        const c = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
        if (!ids.has(c)) ids.set(c, ids.size);
        out.push(ids.get(c)!);
      }
      return out.join(',');
    };
    for (const size of [4, 8, 14]) {
      const kinds = KINDS.map((k) => shape(sprite(k, 'none', size)));
      expect(new Set(kinds).size, `states at ${size} px`).toBe(KINDS.length);
      const ovs = OVERLAYS.map((o) => shape(sprite('clean', o, size)));
      expect(new Set(ovs).size, `overlays at ${size} px`).toBe(OVERLAYS.length);
    }
    // and a dirty page is orange with a dark centre, a clean one plain blue
    const d = sprite('dirty', 'none', 8);
    expect([...d.slice(0, 3)]).toEqual([...PALETTE.dirty.fill]);
    const c = (4 * 8 + 4) * 4;
    expect([...d.slice(c, c + 3)]).toEqual([...PALETTE.dirty.mark]);
    const u = sprite('unmapped', 'none', 8), centre = (4 * 8 + 4) * 4;
    expect([...u.slice(centre, centre + 3)]).toEqual([...BACKGROUND]);
  });

  it('lays out cells as large as fit, and finds the page under a pixel', () => {
    const g = gridLayout(16384, 560, 420);
    expect(g.cell).toBe(3); // 16,384 pages never fit larger: 140 columns of 3 + 1 px
    expect(g.cols).toBe(140);
    expect(g.rows).toBe(118);
    const small = gridLayout(256, 560, 420);
    expect(small.cell).toBe(18);
    expect(small.cols).toBe(29);
    expect(pageAt(small, 0, 0)).toBe(0);
    expect(pageAt(small, 19, 0)).toBe(1);
    expect(pageAt(small, 18, 0)).toBeNull(); // the gap
    expect(pageAt(small, 0, 19)).toBe(29);
    expect(pageAt(small, 19 * 23, 19 * 8)).toBe(255); // 8 * 29 + 23, the last page
    expect(pageAt(small, 19 * 24, 19 * 8)).toBeNull(); // past it
  });

  it('paints each page\'s sprite in its cell, and then only the pages that changed', () => {
    const g = gridLayout(64, 100, 100);
    const img = { data: new Uint8ClampedArray(g.width * g.height * 4), width: g.width, height: g.height };
    const state = new Uint8Array(64), act = new Uint8Array(64);
    state[0] = ST.MAPPED | ST.INUSE; state[1] = ST.MAPPED | ST.DIRTY | ST.INUSE; act[1] = ACT.FAULT;
    const cache = new Map();
    expect(paintHeap(img, g, { state, act, mode: 'linux' }, cache)).toBe(64);
    const at = (page: number, x: number, y: number) => {
      const p = g.cell + g.gap, i = ((Math.floor(page / g.cols) * p + y) * g.width + (page % g.cols) * p + x) * 4;
      return [...img.data.slice(i, i + 3)];
    };
    expect(at(0, 0, 0)).toEqual([...PALETTE.clean.fill]);
    expect(at(1, 0, 0)).toEqual([...PALETTE.dirty.fill]);
    const mid = Math.floor(g.cell / 2);
    expect(at(1, mid, 0)).toEqual([0xff, 0x2a, 0x2a]); // the fault's bar
    const next = { state: state.slice(), act: act.slice(), mode: 'linux' };
    next.state[5] = ST.MAPPED | ST.INUSE;
    expect(paintHeap(img, g, next, cache, { state, act, mode: 'linux' })).toBe(1);
    expect(at(5, 0, 0)).toEqual([...PALETTE.clean.fill]);
    expect(tally(next, 64)).toMatchObject({ clean: 2, dirty: 1, unmapped: 61, fault: 1 });
  });
});
