// Where each reference of a real walk lands in the grid (vtx-facts §4): rows gL4..gL1 + data GPA,
// columns nL4..nL1 + guest entry; hardware order; cells the walk caches, large pages or a fault
// left out; and arrow-key movement between cells.

import { describe, expect, it } from 'vitest';
import { layoutWalk, moveSelection } from '../../../../src/ui/panels/walk/layout.ts';
import { guestEptViolation, guestPageFault, guestWalk, linuxWalk } from './fixtures.ts';

const at = (l: ReturnType<typeof layoutWalk>, row: number, col: number) => l.cells.find((c) => c.row === row && c.col === col)!;

describe('layoutWalk', () => {
  it('2-D walk without walk caches: 24 refs fill the 5x5 grid in hardware order, bottom-right is the data', () => {
    const w = guestWalk(false);
    const l = layoutWalk(w);
    expect([l.dims, l.rows, l.cols, w.refs.length]).toEqual([2, 5, 5, 24]);
    for (let i = 0; i < 24; i++) {
      // Rows gL4..gL1: four EPT reads then the guest entry; row 4: the data GPA's EPT walk.
      const [row, col] = i < 20 ? [Math.floor(i / 5), i % 5] : [4, i - 20];
      const c = l.cells[l.cellOf[i]];
      expect([c.row, c.col, c.state, c.ref]).toEqual([row, col, 'ref', i]);
      expect(c.space).toBe(col === 4 ? 'guest' : 'ept');
      if (col < 4) expect(w.refs[i].level).toBe(4 - col);
      else expect(w.refs[i].level).toBe(4 - row);
    }
    expect(at(l, 4, 4).state).toBe('data');
    expect(l.cells.filter((c) => c.state === 'ref')).toHaveLength(24);
    expect(l.faultRef).toBeNull();
  });

  it('with the paging-structure caches warm, skipped cells are marked as PSC hits', () => {
    const w = guestWalk(true);
    expect(w.psc).toEqual(['PDE cache', 'EPT PDE cache', 'EPT PDE cache']);
    const l = layoutWalk(w);
    expect(w.refs.map((r) => r.space + r.level)).toEqual(['ept1', 'guest1', 'ept1']);
    // Guest PDE cache: rows gL4..gL2 skipped entirely; EPT PDE cache: nL4..nL2 skipped in each walk.
    for (let row = 0; row < 3; row++) for (let col = 0; col < 5; col++) expect(at(l, row, col).state).toBe('psc');
    for (const row of [3, 4]) {
      for (let col = 0; col < 3; col++) expect(at(l, row, col).state).toBe('psc');
      expect(at(l, row, 3)).toMatchObject({ state: 'ref', space: 'ept' });
    }
    expect(at(l, 3, 4)).toMatchObject({ state: 'ref', ref: 1, space: 'guest' });
    expect(at(l, 4, 3).ref).toBe(2);
  });

  it('1-D walk: one row of 4 host references and the data access', () => {
    const l = layoutWalk(linuxWalk());
    expect([l.dims, l.rows]).toEqual([1, 1]);
    expect(l.cells.map((c) => c.state)).toEqual(['ref', 'ref', 'ref', 'ref', 'data']);
    expect(l.cells.slice(0, 4).map((c) => c.ref)).toEqual([0, 1, 2, 3]);
  });

  it('1-D walk with a PDPTE-cache hit starts at level 2', () => {
    const w = linuxWalk(true);
    const l = layoutWalk(w);
    const levels = w.refs.map((r) => r.level);
    expect(l.cells.slice(0, 4).map((c) => c.state)).toEqual([4, 3, 2, 1].map((lv) => (levels.includes(lv) ? 'ref' : 'psc')));
  });

  it('a guest #PF stops at the not-present guest entry; later rows are not reached', () => {
    const w = guestPageFault();
    const l = layoutWalk(w);
    expect(w.fault).toBe('#PF not present at level 3');
    expect(l.faultRef).toBe(9);
    expect(l.cells[l.cellOf[9]]).toMatchObject({ row: 1, col: 4, space: 'guest' });
    for (const row of [2, 3]) for (let col = 0; col < 5; col++) expect(at(l, row, col).state).toBe('unreached');
    expect(at(l, 4, 0).state).toBe('unreached');
  });

  it('an EPT violation in the EPT walk of the guest PTE address stops at row gL1, column nL1', () => {
    const { walk: w } = guestEptViolation();
    const l = layoutWalk(w);
    expect(w.fault).toBe('EPT violation at EPT level 1');
    expect(w.refs).toHaveLength(19);
    expect(l.cells[l.cellOf[18]]).toMatchObject({ row: 3, col: 3, space: 'ept' });
    expect(l.faultRef).toBe(18);
    expect(at(l, 3, 4).state).toBe('unreached');
  });

  it('arrow keys move along rows and columns, among the lit refs only', () => {
    const l = layoutWalk(guestWalk(false));
    expect(moveSelection(l, 0, 'ArrowRight')).toBe(1);
    expect(moveSelection(l, 0, 'ArrowDown')).toBe(5);
    expect(moveSelection(l, 6, 'ArrowUp')).toBe(1);
    expect(moveSelection(l, 6, 'ArrowLeft')).toBe(5);
    expect(moveSelection(l, 5, 'ArrowLeft')).toBe(5); // edge: stays
    expect(moveSelection(l, 19, 'ArrowDown')).toBe(23); // gL1's guest entry -> data row's nL1
    expect(moveSelection(l, 3, 'End')).toBe(23);
    expect(moveSelection(l, 3, 'End', 7)).toBe(6);
    expect(moveSelection(l, 0, 'ArrowDown', 5)).toBe(0); // row below not lit yet
  });
});
