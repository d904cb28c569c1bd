// Where each reference of a `walk` event sits in the walk grid: the 5x5 two-dimensional grid
// (vtx-facts §4: rows gL4..gL1 + data GPA, columns nL4..nL1 + guest entry) or the 1-D row of 4.
// One pure function of the walk's structured record (docs/trace.md): each reference says which
// row it serves and its level, the paging-structure-cache hits say where each walk began, and
// the cause says where it stopped. No DOM.

import type { TraceEvent, WalkRef, PscHit } from '../../../engine/trace/events.ts';
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
  /** The ref where the walk stopped (the entry that faulted), or null if it completed. */
  faultRef: number | null;
}

const COLS = 5;

/** Column of a table level (level 4 -> column 0, level 1 -> column 3); column 4: the guest entry. */
const colOf = (level: number) => 4 - level;

function cell(row: number, col: number, state: CellState, ref: number | null, space: GridCell['space']): GridCell {
  return { key: `r${row}c${col}`, row, col, state, ref, space };
}

/** Where the walk of `space` for row `serves` began (a paging-structure-cache hit), else 4. */
const startOf = (hits: PscHit[], space: PscHit['space'], serves: number) =>
  hits.find((h) => h.space === space && h.serves === serves)?.level ?? 4;

/** One walk of 4 table levels laid along a row: read, skipped by a cache above where it began,
 *  not needed below a leaf (a large page), or not reached. */
function fillRun(grid: (GridCell | null)[], row: number, refs: WalkRef[], idx: number[], start: number) {
  const last = idx.length ? refs[idx[idx.length - 1]] : null;
  const leafAt = last !== null && isLeaf(last.space, last.level, BigInt(last.value)) ? last.level : 0;
  for (let level = 4; level >= 1; level--) {
    const at = idx.find((i) => refs[i].level === level);
    const state: CellState = at !== undefined ? 'ref' : level > start ? 'psc' : level < leafAt ? 'large' : 'unreached';
    grid[row * COLS + colOf(level)] = cell(row, colOf(level), state, at ?? null, at !== undefined ? refs[at].space : null);
  }
}

/** Lay out a walk: 2-D if any reference is a guest or EPT read, else the native row. */
export function layoutWalk(w: WalkEvent): WalkLayout {
  const hits = w.pscHits ?? [];
  const serves = (r: WalkRef) => r.serves ?? r.level;
  if (!w.refs.some((r) => r.space !== 'host')) {
    const grid: (GridCell | null)[] = new Array(COLS).fill(null);
    fillRun(grid, 0, w.refs, w.refs.map((_, i) => i), hits.find((h) => h.space === 'host')?.level ?? 4);
    grid[4] = cell(0, 4, 'data', null, 'data');
    return finish(w, 1, 1, grid as GridCell[]);
  }
  const rows = 5, grid: (GridCell | null)[] = new Array(rows * COLS).fill(null);
  const guestStart = hits.find((h) => h.space === 'guest')?.level ?? 4;
  const guestRefs = w.refs.map((r, i) => (r.space === 'guest' ? i : -1)).filter((i) => i >= 0);
  const lastGuest = guestRefs.length ? w.refs[guestRefs[guestRefs.length - 1]] : null;
  const guestLeaf = lastGuest !== null && isLeaf('guest', lastGuest.level, BigInt(lastGuest.value)) ? lastGuest.level : 0;
  for (let row = 0; row < rows; row++) {
    const s = row === 4 ? 0 : 4 - row; // the guest level this row serves (0: the data GPA)
    if (s > guestStart) { // above where the guest walk began: a paging-structure cache held it
      for (let col = 0; col < COLS; col++) grid[row * COLS + col] = cell(row, col, 'psc', null, null);
      continue;
    }
    if (s > 0 && guestLeaf > 0 && s < guestLeaf) { // below a large guest page: not needed
      for (let col = 0; col < COLS; col++) grid[row * COLS + col] = cell(row, col, 'large', null, null);
      continue;
    }
    const ept = w.refs.map((r, i) => (r.space === 'ept' && serves(r) === s ? i : -1)).filter((i) => i >= 0);
    fillRun(grid, row, w.refs, ept, startOf(hits, 'ept', s));
    const g = guestRefs.find((i) => serves(w.refs[i]) === s);
    grid[row * COLS + 4] = row === 4 ? cell(row, 4, 'data', null, 'data')
      : g !== undefined ? cell(row, 4, 'ref', g, 'guest') : cell(row, 4, 'unreached', null, null);
  }
  return finish(w, 2, rows, grid as GridCell[]);
}

function finish(w: WalkEvent, dims: 1 | 2, rows: number, cells: GridCell[]): WalkLayout {
  const cellOf = new Array<number>(w.refs.length).fill(-1);
  cells.forEach((c, k) => { if (c.ref !== null) cellOf[c.ref] = k; });
  // The entry that stopped the walk: the cause names it (a guest entry whose A/D update the EPT
  // refused is not the last read); without one, the last reference read.
  const c = w.cause;
  let faultRef: number | null = null;
  if (w.fault !== null && w.refs.length) {
    const named = c ? w.refs.findLastIndex((r) => r.space === c.space && r.level === c.level && (r.serves ?? r.level) === c.serves) : -1;
    faultRef = named >= 0 ? named : w.refs.length - 1;
  }
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
