// Where each reference of a `walk` event sits in the walk grid: the 5x5 two-dimensional grid
// (vtx-facts §4: rows gL4..gL1 + data GPA, columns nL4..nL1 + guest entry) or the 1-D row of 4.
// Pure data: no DOM. Cells that a paging-structure cache, a large page or a fault left out are kept
// with the reason, inferred from which levels appear in the refs (the event lists only reads).

import type { TraceEvent, WalkRef } from '../../../engine/trace/events.ts';
import { isLeaf } from './entry.ts';

export type WalkEvent = Extract<TraceEvent, { type: 'walk' }>;

/** Why a cell holds no reference. */
export type CellState = 'ref' | 'psc' | 'large' | 'unreached' | 'data';

export interface GridCell {
  /** Stable key for the data join: `r{row}c{col}`. */
  key: string;
  row: number;
  col: number;
  state: CellState;
  /** Index into walk.refs (hardware order) when state is 'ref'. */
  ref: number | null;
  space: WalkRef['space'] | 'data' | null;
}

export interface WalkLayout {
  dims: 1 | 2;
  rows: number;
  cols: number;
  cells: GridCell[];
  /** Cell index of each ref (refs[i] sits at cells[cellOf[i]]). */
  cellOf: number[];
  /** The ref where the walk stopped (the last one read), or null if it completed. */
  faultRef: number | null;
}

const COLS = 5;

/** Lay out a walk: 2-D if any ref is a guest or EPT read, else the native row. */
export function layoutWalk(w: WalkEvent): WalkLayout {
  const twoD = w.refs.some((r) => r.space !== 'host');
  return twoD ? layout2d(w) : layout1d(w);
}

/** Column of a table level (level 4 -> column 0, level 1 -> column 3). */
const colOf = (level: number) => 4 - level;

/** Fill one run of table reads (levels descending) into a row: missing levels above the first
 *  read were served by a paging-structure cache; below a leaf, not needed; else not reached. */
function fillRun(grid: (GridCell | null)[], row: number, refs: WalkRef[], idx: number[]) {
  const levels = idx.map((i) => refs[i].level);
  // No reads in this run: nothing was skipped, so every cell is 'not reached'.
  const top = levels.length ? Math.max(...levels) : 4, bottom = Math.min(...levels);
  const last = idx.length ? refs[idx[idx.length - 1]] : null;
  const endedAtLeaf = last !== null && isLeaf(last.space, last.level, BigInt(last.value));
  for (let level = 4; level >= 1; level--) {
    const at = idx.findIndex((i) => refs[i].level === level);
    const col = colOf(level);
    const state: CellState = at >= 0 ? 'ref' : level > top ? 'psc' : level < bottom && endedAtLeaf ? 'large' : 'unreached';
    grid[row * COLS + col] = cell(row, col, state, at >= 0 ? idx[at] : null, at >= 0 ? refs[idx[at]].space : null);
  }
}

function cell(row: number, col: number, state: CellState, ref: number | null, space: GridCell['space']): GridCell {
  return { key: `r${row}c${col}`, row, col, state, ref, space };
}

/** Guest start level when the walk began below PML4: the deepest guest paging-structure cache
 *  hit (PDE cache -> level 1, PDPTE cache -> 2, PML4E cache -> 3); only needed when no guest
 *  entry was read at all (the walk faulted in the first EPT walk). */
function guestStartFromPsc(psc: string[] | undefined): number {
  const hit = (psc ?? []).filter((p) => !p.startsWith('EPT '));
  if (hit.some((p) => p.startsWith('PDE '))) return 1;
  if (hit.some((p) => p.startsWith('PDPTE '))) return 2;
  if (hit.some((p) => p.startsWith('PML4E '))) return 3;
  return 4;
}

function layout2d(w: WalkEvent): WalkLayout {
  const rows = 5, grid: (GridCell | null)[] = new Array(rows * COLS).fill(null);
  const guest = w.refs.map((r, i) => (r.space === 'guest' ? i : -1)).filter((i) => i >= 0);
  const start = guest.length ? w.refs[guest[0]].level : guestStartFromPsc(w.psc);
  let pending: number[] = [];
  let lastGuest: WalkRef | null = null;
  const usedRows = new Set<number>();
  w.refs.forEach((r, i) => {
    if (r.space !== 'guest') { pending.push(i); return; }
    // The EPT reads just before a guest read translated that entry's guest-physical address.
    const row = 4 - r.level;
    fillRun(grid, row, w.refs, pending);
    grid[row * COLS + 4] = cell(row, 4, 'ref', i, 'guest');
    usedRows.add(row);
    pending = [];
    lastGuest = r;
  });
  const lg = lastGuest as WalkRef | null;
  const guestLeaf = lg !== null && isLeaf('guest', lg.level, BigInt(lg.value));
  if (pending.length) {
    // Trailing EPT reads: the data GPA after a guest leaf; else the next guest entry's address
    // (the walk faulted inside that EPT walk).
    const row = guestLeaf ? 4 : 4 - (lg ? lg.level - 1 : start);
    fillRun(grid, row, w.refs, pending);
    usedRows.add(row);
    if (row < 4) grid[row * COLS + 4] = cell(row, 4, 'unreached', null, null);
  }
  const leafLevel = guestLeaf ? lg!.level : 0;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < COLS; col++) {
      if (grid[row * COLS + col]) continue;
      if (row === 4 && col === 4) { grid[row * COLS + col] = cell(row, col, 'data', null, 'data'); continue; }
      const level = 4 - row; // guest level of this row (row 4: the data GPA)
      const state: CellState = row < 4 && level > start ? 'psc'
        : row < 4 && leafLevel > 0 && level < leafLevel ? 'large'
        : 'unreached';
      grid[row * COLS + col] = cell(row, col, state, null, null);
    }
  }
  return finish(w, 2, rows, grid as GridCell[]);
}

function layout1d(w: WalkEvent): WalkLayout {
  const grid: (GridCell | null)[] = new Array(COLS).fill(null);
  fillRun(grid, 0, w.refs, w.refs.map((_, i) => i));
  grid[4] = cell(0, 4, 'data', null, 'data');
  return finish(w, 1, 1, grid as GridCell[]);
}

function finish(w: WalkEvent, dims: 1 | 2, rows: number, cells: GridCell[]): WalkLayout {
  const cellOf = new Array<number>(w.refs.length).fill(-1);
  cells.forEach((c, k) => { if (c.ref !== null) cellOf[c.ref] = k; });
  const faultRef = w.fault !== null && w.refs.length ? w.refs.length - 1 : null;
  return { dims, rows, cols: COLS, cells, cellOf, faultRef };
}

/** The ref selected by an arrow key from `from`: the nearest cell holding a ref in that
 *  direction (same row or column first), among the first `limit` refs (the lit ones).
 *  Home/End: first/last of them in hardware order. */
export function moveSelection(l: WalkLayout, from: number, key: string, limit = l.cellOf.length): number {
  const n = Math.min(limit, l.cellOf.length);
  if (n === 0) return from;
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  const at = l.cells[l.cellOf[from]];
  if (!at) return 0;
  const [dr, dc] = key === 'ArrowLeft' ? [0, -1] : key === 'ArrowRight' ? [0, 1] : key === 'ArrowUp' ? [-1, 0] : key === 'ArrowDown' ? [1, 0] : [0, 0];
  if (dr === 0 && dc === 0) return from;
  let best = from, bestScore = Infinity;
  for (let i = 0; i < n; i++) {
    const c = l.cells[l.cellOf[i]];
    const along = (c.row - at.row) * dr + (c.col - at.col) * dc;
    if (along <= 0) continue;
    const across = Math.abs(dr !== 0 ? c.col - at.col : c.row - at.row);
    const score = along + across * 10; // stay in line before jumping across
    if (score < bestScore) { bestScore = score; best = i; }
  }
  return best;
}
